"""gunicorn's settings for the portal (`make serve`, or `gunicorn --config gunicorn.conf.py`).

Each value comes from the environment (.env.example), with a default for one app server on a
small machine behind the reverse proxy. gunicorn reads this file itself: it runs before Django
and must not import the settings.
"""

import os
from pathlib import Path

import environ

# The .env file beside manage.py, as the settings read it; real environment variables win.
environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


wsgi_app = "quartier.wsgi:application"
# Where the reverse proxy or the load balancer reaches this app server, e.g. 0.0.0.0:8000
# when the load balancer runs on another machine.
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
# Processes, and threads in each: a request waits mostly for the database, so a few threads
# per process serve more with the same memory. WEB_CONCURRENCY is the name hosting platforms
# set; the default suits the two cores of these machines.
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
threads = _int("GUNICORN_THREADS", 4)
# A request running longer than this kills its worker (and is logged); a restart lets running
# requests end within the graceful timeout.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds a connection from the proxy is kept open for the next request; longer than the
# proxy's own idle timeout would let the proxy reuse a connection gunicorn just closed.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests (spread by the jitter, so that they
# are not all replaced at once), which bounds any slow growth of its memory; 0: never.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# The addresses of the proxies whose X-Forwarded-Proto gunicorn believes (comma-separated, "*"
# for any: only when nothing but the proxy can reach the app server). Django itself reads the
# header only with BEHIND_TLS_PROXY=1 and the client's address with TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
# No control socket (gunicornc): signals are enough to reload and stop, and two instances on
# one machine would otherwise share its one default path.
control_socket_disable = True
# The workers' heartbeat files in memory rather than on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's own files

# Logs to standard output: an access log line per request, with the request's id.
accesslog = "-"
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()
_debug = (os.environ.get("DEBUG") or "0").lower() in ("1", "true", "yes", "on")
if (os.environ.get("LOG_FORMAT") or ("text" if _debug else "json")) == "json":
    # The same JSON lines as the portal's own logs (quartier/log_format.py).
    _errors = {"handlers": ["json"], "level": loglevel.upper(), "propagate": False}
    _access = {"handlers": ["json"], "level": "INFO", "propagate": False}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "quartier.log_format.JsonFormatter"}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["json"], "level": loglevel.upper()},
        "loggers": {"gunicorn.error": _errors, "gunicorn.access": _access},
    }
else:
    access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms [%({x-request-id}o)s] "%(a)s"'
