"""The benchmark's verdicts and report (bench/run.py), from given figures, with no server."""

from bench.run import STATIC, TRIVIAL, Measurement, evaluate_targets, report_markdown


def figures(rps: float, median: float = 10, p99: float = 20, errors: int = 0) -> Measurement:
    """A measurement of ``rps`` requests per second over 10 seconds."""
    return Measurement(
        requests=round(rps * 10), seconds=10, median_ms=median, p99_ms=p99, errors=errors
    )


def level(**pages: Measurement) -> dict[str, Measurement]:
    return {**pages, TRIVIAL: figures(1000), STATIC: figures(3000)}


def results(*, cached=None, uncached=None, large_uncached=None):
    found = {
        "small": {
            "cached": {16: cached or level(home=figures(800))},
            "uncached": {16: uncached or level(home=figures(200, median=40))},
        }
    }
    if large_uncached:
        found["large"] = {"uncached": {16: large_uncached}}
    return found


QUERIES = {"small": {"home": {"cold": 8, "warm": 6}, TRIVIAL: {"cold": 0, "warm": 0}}}


def verdicts(found, queries=QUERIES, **kwargs) -> dict[str, tuple]:
    """``{title up to its connection count: (verdict, misses)}``."""
    return {
        target.title.split(" at 16 connections")[0]: (target.verdict, target.misses)
        for target in evaluate_targets(found, queries, **kwargs)
    }


def test_all_met():
    found = results(large_uncached=level(home=figures(180, median=55)))
    assert {verdict for verdict, _misses in verdicts(found, load_seconds=40).values()} == {"met"}


def test_a_cached_page_below_half_of_the_trivial_view_misses():
    found = results(cached=level(home=figures(800), directory=figures(450)))
    verdict, misses = verdicts(found)[
        "Cached: every page ≥ 50% of the trivial view's requests per second"
    ]
    assert verdict == "missed"
    assert misses == ["small: directory 45%"]


def test_the_ceiling_is_no_page():
    """A static file slower than the trivial view is no miss: it is not a page."""
    found = results(cached=level(home=figures(600)))
    found["small"]["cached"][16][STATIC] = figures(100)
    title = "Cached: every page ≥ 50% of the trivial view's requests per second"
    assert verdicts(found)[title] == ("met", [])


def test_a_slow_p99_misses_with_the_page_cache():
    found = results(cached=level(home=figures(800, p99=100)))
    assert verdicts(found)["Cached: p99 under 100 ms"] == ("missed", ["small: home 100 ms"])


def test_uncached_pages_need_a_tenth_of_the_trivial_view():
    met = results(uncached=level(home=figures(100)))
    missed = results(uncached=level(home=figures(99)))
    title = "Uncached: every page ≥ 10% of the trivial view's requests per second"
    assert verdicts(met)[title][0] == "met"
    assert verdicts(missed)[title] == ("missed", ["small: home 10%"])


def test_more_than_twelve_queries_miss():
    title = "Uncached: at most 12 SQL queries per page (every cache empty)"
    twelve = {"small": {"home": {"cold": 12, "warm": 3}}}
    thirteen = {"small": {"home": {"cold": 13, "warm": 3}}}
    assert verdicts(results(), twelve)[title][0] == "met"
    assert verdicts(results(), thirteen)[title] == ("missed", ["small: home 13 queries"])


def test_median_growth_needs_both_sizes():
    title = "Uncached: median latency with the large data set ≤ 1.5× the median with the small one"
    assert verdicts(results())[title][0] == "not measured"
    grown = results(large_uncached=level(home=figures(150, median=61)))
    assert verdicts(grown)[title] == ("missed", ["home 1.52×"])
    flat = results(large_uncached=level(home=figures(150, median=60)))
    assert verdicts(flat)[title][0] == "met"


def test_any_error_misses_and_says_where():
    found = results(uncached=level(home=figures(200, errors=3)))
    verdict, misses = verdicts(found)[
        "No errors: every request answered 2xx or 3xx within 2 seconds"
    ]
    assert verdict == "missed"
    assert misses == ["small, uncached, 16 connections: home 3 errors (0 timeouts)"]


def test_the_load_time_of_the_large_data_set():
    title = "The large data set loads in under 2 minutes"
    assert verdicts(results())[title][0] == "not measured"
    assert verdicts(results(), load_seconds=119)[title][0] == "met"
    assert verdicts(results(), load_seconds=130)[title] == ("missed", ["130 s"])


def test_the_report_shows_the_figures_and_the_verdicts():
    run = {
        "arguments": "--seconds 2",
        "date": "2026-01-01 10:00 UTC",
        "commit": "abc1234",
        "machine": {
            "cpu_count": "2",
            "cpu_model": "Example CPU",
            "memory": "4.0 GB",
            "load_before": "0.10 / 0.10 / 0.10",
            "load_after": "1.00 / 0.50 / 0.20",
        },
        "versions": "Python 3.11",
        "workers": 2,
        "wrk_threads": 2,
        "seconds": 2,
        "cache": "Redis database 14",
        "data": {
            "small": {
                "rows": {"actors (published)": 135},
                "generation": "rows in 0.4 s",
                "load_seconds": 0.5,
                "paths": {"home": "/", TRIVIAL: "/robots.txt"},
                "cache_headers": {"cached": {"home": "hit"}},
            }
        },
        "notes": ["The run took 1.0 minutes."],
    }
    found = results(cached=level(home=figures(400, median=12.25, p99=30)))
    report = report_markdown(run, found, QUERIES)
    assert "commit abc1234" in report
    assert "2 CPUs: Example CPU" in report
    assert "| actors (published) | 135 |" in report
    assert "## small, page cache on (600 s), 16 connections" in report
    assert "| home | `/` | 400 | 0.40 | 12.2 | 30.0 | 0 | 8/6 | hit |" in report
    assert (
        "- **missed** — Cached: every page ≥ 50% of the trivial view's requests per second at "
        "16 connections: small: home 40%"
    ) in report
    assert "- The run took 1.0 minutes." in report
