-- wrk script of the benchmark (bench/run.py): asks as a browser does, prints one JSON line.
wrk.headers["Accept-Encoding"] = "gzip, br"
wrk.headers["Accept-Language"] = "de-DE,de;q=0.9"

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "median_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
