"""The benchmark's Markdown tables, with each target and whether it holds: all of them for the
docs' benchmarks page, and a headline of a few rows for the README. Both files hold them between
the same markers; ``update_docs`` writes them there, so no figure is typed by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .function import START_LABELS

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
# Where the figures go, from the repository's root: every table, and the headline.
DOCS_PAGE = Path("docs") / "benchmarks.md"
README = Path("README.md")
# What was measured once of peers the benchmark does not run.
PEERS = Path(__file__).resolve().parent / "results" / "peers.json"

# (scenario, its baseline, most CPU per request ratio, least req/s ratio, most p99 ratio):
# one worker saturates one core, so its target is what a request costs; with 2 workers on 2
# cores, the load generator shares them, so the target is what they answer.
THROUGHPUT_TARGETS = [
    ("log", "bare", 1.2, None, None),
    ("quiet", "bare", 1.1, None, None),
    ("log2", "bare2", None, 0.85, 1.5),
    ("quiet2", "bare2", None, 0.92, 1.5),
]
# An authenticated request against the same request without credentials, on one server.
AUTH_RATIO = 0.85
# A token the service issued itself: the same GET without credentials, judged on CPU.
ACCOUNTS_RATIO = 0.95
AUTH_SCENARIOS = {
    "anonymous": "no credentials",
    "bearer": "RS256 bearer token",
    "bearer_uncached": "RS256 bearer token, token cache off",
}
# A traced service against the default one without tracing: (least req/s ratio, label).
TRACING_SCENARIOS = {
    "off": (None, "without tracing (the default answers)"),
    "sampled": (0.75, "tracing, every request sampled"),
    "ratio": (0.92, "tracing, parent-based 10% sampling"),
}
# Writes with events (through the outbox) against the same writes without: least req/s ratio;
# and the outbox empty again within this many seconds of the load's end.
EVENTS_RATIO = 0.8
EVENTS_DRAIN_SECONDS = 2.0
EVENTS_LABELS = {
    "off": "SQLite, without events (the default answers)",
    "on": "SQLite, events through the outbox",
    "off_pg": "PostgreSQL, without events",
    "on_pg": "PostgreSQL, events through the outbox",
}
# Rate limits against none on the same route, one worker: least ratio of requests per CPU second
# (limits-off's CPU per request over the limited one's). And a cached item read against the same
# read without a cache: least ratio of req/s (the databases' and Redis's own CPU is not the
# service's), with its target where it has one.
LIMITS_TARGETS = {"memory": ("off", 0.95), "redis": ("redis_off", 0.8)}
CACHE_TARGETS = {"read_sqlite": None, "read_postgresql": 1.5}
# The registry checking 50 services every second: every one checked within 10% of its interval,
# and its listing answered within 10 ms (p99) meanwhile.
REGISTRY_GAP_SLACK = 1.1
REGISTRY_LISTING_P99_MS = 10.0
# Cold starts against the baseline with the same dependencies: FastAPI + SQLAlchemy on aiosqlite.
COLD_START_RATIO = 1.2
# As Lambda starts the function: with SQLite migrated at init, and without a database.
FUNCTION_START_RATIO = 1.3
FUNCTION_START_RATIO_NO_DATABASE = 1.2
# Rows per second over HTTP against a plain FastAPI endpoint on the same model, batches of 1
# and of 64; and /health/live's p99 under load at most this share of the plain endpoint's.
SERVING_PLAIN_RATIO = 1.5
SERVING_LIVENESS_SHARE = 1 / 3
# The function's package for the default answers with aws_lambda=yes: unzipped, less than this.
FUNCTION_PACKAGE_MB = 50.0
RENDER_SECONDS = 1.0
SCRAPE_SECONDS = 0.020
SOAK_RSS_GROWTH_PERCENT = 10.0


def mark(holds: bool) -> str:
    return "met" if holds else "**missed**"


def at_least(ratio: float, least: float) -> str:
    return f">= {least:.2f}x: {mark(ratio >= least)}"


def at_most(ratio: float, most: float) -> str:
    return f"<= {most:.3g}x: {mark(ratio <= most)}"


def cpu_ratio(row: dict[str, Any], base: dict[str, Any]) -> float | None:
    """CPU per request of ``row`` against ``base``'s, when both were measured."""
    if "cpu_us_per_request" not in row or "cpu_us_per_request" not in base:
        return None
    ratio: float = row["cpu_us_per_request"] / base["cpu_us_per_request"]
    return ratio


def cpu_cell(row: dict[str, Any]) -> str:
    return f"{row['cpu_us_per_request']:.0f}" if "cpu_us_per_request" in row else ""


def throughput_verdict(load: dict[str, Any], name: str) -> tuple[float, float, str]:
    """A service's req/s and p99 as ratios of its baseline's, and its target's verdict (on
    CPU per request, or on req/s and p99)."""
    _, baseline, most_cpu, least, most = next(t for t in THROUGHPUT_TARGETS if t[0] == name)
    base = load[baseline]
    ratio = load[name]["requests_per_second"] / base["requests_per_second"]
    p99 = load[name]["p99_ms"] / base["p99_ms"]
    if most_cpu is not None:
        cpu = cpu_ratio(load[name], base)
        held = cpu is not None and cpu <= most_cpu
        return ratio, p99, f"CPU per request <= {most_cpu}x: {mark(held)}"
    assert least is not None
    assert most is not None
    holds = ratio >= least and p99 <= most
    return ratio, p99, f"req/s >= {least:.2f}x, p99 <= {most}x: {mark(holds)}"


def cold_start_verdict(cold: dict[str, float]) -> tuple[float, str]:
    ratio = cold["service"] / cold["bare_db"]
    return ratio, at_most(ratio, COLD_START_RATIO)


def markdown(results: dict[str, Any]) -> str:
    """Every table, as the benchmarks page shows them."""
    load = results["throughput"]
    m = results["machine"]
    lines = [
        f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores), Python {m['python']}, "
        f"load from {m['load']} on loopback; {results['mode']} run, medians of alternating rounds.",
        "",
        "GET /api/v1/health, 64 connections. Baseline: bare FastAPI serving the same handler "
        "and response model (no middleware, no logging, no metrics).",
        "",
        "| scenario | req/s | p50 ms | p99 ms | CPU µs per request | req/s of bare "
        "| p99 of bare | CPU per request of bare | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in ("bare", "log", "quiet", "bare2", "log2", "quiet2"):
        row = load[name]
        if name.startswith("bare"):
            ratio = p99 = cpu = "1.00"
            verdict = "baseline"
        else:
            r, p, verdict = throughput_verdict(load, name)
            c = cpu_ratio(row, load[f"bare{name[-1]}" if name.endswith("2") else "bare"])
            ratio, p99, cpu = f"{r:.2f}", f"{p:.2f}", "" if c is None else f"{c:.2f}"
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        lines.append(
            f"| {row['name']}{errors} | {row['requests_per_second']:,.0f} | {row['p50_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {cpu_cell(row)} | {ratio} | {p99} | {cpu} | {verdict} |"
        )
    lines += instructions_table(results.get("instructions_per_request", {}), load)
    cold = results["cold_start_s"]
    _, cold_verdict = cold_start_verdict(cold)
    scrape = results["metrics_scrape_s"]
    soak = results["soak"]
    imports = results["import_s"]
    lines += [
        "",
        "Cold start and import: the baseline with the same dependencies is FastAPI + "
        "SQLAlchemy's asyncio engine on aiosqlite, connecting and creating its table at startup "
        "(the default answers use SQLite); bare FastAPI is shown for reference.",
        "",
        "| measure | service | FastAPI + SQLAlchemy | bare FastAPI | target |",
        "|---|---:|---:|---:|---|",
        f"| cold start to first 200 from /health/live | {cold['service'] * 1000:.0f} ms "
        f"| {cold['bare_db'] * 1000:.0f} ms | {cold['bare'] * 1000:.0f} ms | {cold_verdict} |",
        f"| import time of the app module | {imports['service'] * 1000:.0f} ms "
        f"| {imports['bare_db'] * 1000:.0f} ms | {imports['bare'] * 1000:.0f} ms | |",
        f"| RSS after load, 1 worker / 2 workers | {load['log']['rss_mib']:.0f} / "
        f"{load['log2']['rss_mib']:.0f} MiB | | {load['bare']['rss_mib']:.0f} / "
        f"{load['bare2']['rss_mib']:.0f} MiB | |",
        f"| /metrics scrape after 10,000 requests over 20 paths, 1 / 2 workers "
        f"| {scrape['1'] * 1000:.1f} / {scrape['2'] * 1000:.1f} ms | | | < 20 ms: "
        f"{mark(max(scrape.values()) < SCRAPE_SECONDS)} |",
        f"| `cookiecutter --no-input` (default answers, with git) | {results['render_s']:.2f} s "
        f"| | | < 1 s: {mark(results['render_s'] < RENDER_SECONDS)} |",
        f"| soak: {soak['seconds']:.0f} s of mixed reads and writes on /api/v1/items, "
        f"{soak['clients']} clients | {soak['requests']:,} requests "
        f"({soak['requests_per_second']:,.0f} req/s), {soak['errors']} errors | | "
        f"| 0 errors: {mark(soak['errors'] == 0)} |",
        f"| soak: RSS, mean of the first / last {soak['window_seconds']} s "
        f"| {soak['rss_first_mib']:.1f} / {soak['rss_last_mib']:.1f} MiB | | "
        f"| growth < {SOAK_RSS_GROWTH_PERCENT:.0f}%: {soak['rss_growth_percent']:+.1f}%, "
        f"{mark(soak['rss_growth_percent'] < SOAK_RSS_GROWTH_PERCENT)} |",
    ]
    lines += ["", *auth_table(results["auth"])]
    if "accounts" in results:  # (results from before the accounts had their scenario)
        lines += ["", *accounts_table(results["accounts"])]
    lines += ["", *tracing_table(results["tracing"])]
    lines += ["", *events_table(results["events"])]
    if "limits" in results:  # (results from before the limits had their scenario)
        lines += ["", *limits_table(results["limits"])]
    if "archive" in results:  # (results from before the archive had its scenario)
        lines += ["", *archive_table(results["archive"])]
    lines += ["", *serving_table(results["serving"])]
    lines += ["", *registry_table(results["registry"])]
    if "function" in results:  # (results from before the function had its scenario)
        lines += ["", *function_table(results["function"])]
    lines += ["", *in_process_table(results["in_process_us"])]
    lines += ["", *peers_table(json.loads(PEERS.read_text("utf-8")))]
    return "\n".join(lines) + "\n"


def instructions_table(counted: dict[str, float], load: dict[str, Any]) -> list[str]:
    """Instructions per request under callgrind: the same requests, counted, not timed."""
    if not counted:
        return ["", "(Instructions per request not measured: valgrind is not installed.)"]
    bare = counted["bare"]
    lines = [
        "",
        "| callgrind: GET /api/v1/health one after another, after a warm-up, 1 worker "
        "| instructions per request | of bare |",
        "|---|---:|---:|",
    ]
    for name, count in counted.items():
        lines.append(f"| {load[name]['name']} | {count:,.0f} | {count / bare:.2f} |")
    return lines


def accounts_verdict(load: dict[str, Any]) -> tuple[float, str]:
    """Requests per CPU second with a token the service issued, of those without credentials."""
    cpu = cpu_ratio(load["bearer"], load["anonymous"])
    ratio = 0.0 if cpu is None else 1 / cpu
    return ratio, f"requests per CPU second {at_least(ratio, ACCOUNTS_RATIO)}"


def accounts_table(load: dict[str, Any]) -> list[str]:
    """A service rendered with ``auth=password`` (SQLite), 1 worker: logins and refresh-token
    rotations per second, and the same GET with and without a token it issued."""
    ratio, verdict = accounts_verdict(load)
    logins, rotations = load["logins"], load["rotations"]
    lines = [
        f"Accounts: logins are bounded by the password hash, by design ({load['hashing']}); "
        f"each refresh spends a token and writes the next. {load['clients']} clients at once.",
        "",
        "| auth=password, 1 worker | per second | server CPU ms each |",
        "|---|---:|---:|",
        f"| logins (`grant_type=password`) | {logins['per_second']:,.1f} "
        f"| {logins['cpu_ms_per_operation']:.2f} |",
        f"| refresh-token rotations | {rotations['per_second']:,.1f} "
        f"| {rotations['cpu_ms_per_operation']:.2f} |",
        "",
        "| auth=password, GET /api/v1/health, 1 worker | req/s | p50 ms | p99 ms "
        "| CPU µs per request | requests per CPU second of no credentials | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, label in (("anonymous", "no credentials"), ("bearer", "a token it issued")):
        row = load[name]
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        shown = f"{ratio:.2f}" if name == "bearer" else ""
        lines.append(
            f"| {label}{errors} | {row['requests_per_second']:,.0f} | {row['p50_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {cpu_cell(row)} | {shown} "
            f"| {verdict if name == 'bearer' else 'baseline'} |"
        )
    return lines


def auth_table(load: dict[str, Any]) -> list[str]:
    """A service rendered with ``auth=jwt``, 1 worker: the same route with and without a token."""
    base = load["anonymous"]["requests_per_second"]
    lines = [
        "| auth=jwt, GET /api/v1/health, 1 worker | req/s | p50 ms | p99 ms "
        "| CPU µs per request | req/s of no credentials | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, label in AUTH_SCENARIOS.items():
        row = load[name]
        ratio = row["requests_per_second"] / base
        verdict = at_least(ratio, AUTH_RATIO) if name == "bearer" else ""
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        lines.append(
            f"| {label}{errors} | {row['requests_per_second']:,.0f} | {row['p50_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {cpu_cell(row)} | {ratio:.2f} | {verdict} |"
        )
    return lines


def tracing_table(load: dict[str, Any]) -> list[str]:
    """A service rendered with ``tracing=opentelemetry`` exporting to a collector on loopback,
    against the default service, 1 worker each, JSON access log on."""
    base = load["off"]["requests_per_second"]
    lines = [
        f"| tracing, GET /api/v1/health, 1 worker ({load['exports']:,} exports taken) | req/s "
        "| p50 ms | p99 ms | CPU µs per request | req/s of no tracing | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, (target, label) in TRACING_SCENARIOS.items():
        row = load[name]
        ratio = row["requests_per_second"] / base
        verdict = "" if target is None else at_least(ratio, target)
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        lines.append(
            f"| {label}{errors} | {row['requests_per_second']:,.0f} | {row['p50_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {cpu_cell(row)} | {ratio:.2f} | {verdict} |"
        )
    return lines


def events_table(load: dict[str, Any]) -> list[str]:
    """Services rendered with ``event_broker=kafka`` (the outbox, a broker on loopback) writing
    items, against the same without events, 1 worker each, on SQLite and on PostgreSQL."""
    lines = [
        "| event_broker=kafka, POST /api/v1/items (a new item each), 1 worker | req/s | p50 ms "
        "| p99 ms | CPU µs per request | req/s without events | outbox drained after a load "
        "| target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, base in (("off", "off"), ("on", "off"), ("off_pg", "off_pg"), ("on_pg", "off_pg")):
        row = load[name]
        ratio = row["requests_per_second"] / load[base]["requests_per_second"]
        drain = verdict = ""
        if "drain_s" in row:
            drain = f"{row['drain_s']:.2f} s"
            verdict = events_verdict(ratio, row["drain_s"])
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        lines.append(
            f"| {EVENTS_LABELS[name]}{errors} | {row['requests_per_second']:,.0f} "
            f"| {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {cpu_cell(row)} | {ratio:.2f} "
            f"| {drain} | {verdict} |"
        )
    return lines


def limits_verdicts(load: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Each limited server's requests per CPU second as a ratio of the same render's without
    limits, and the cached read's req/s as ratios of the uncached reads', with their targets."""
    verdicts = {}
    for name, (base, least) in LIMITS_TARGETS.items():
        cpu = cpu_ratio(load[name], load[base])
        ratio = 0.0 if cpu is None else 1 / cpu
        verdicts[name] = (ratio, f"requests per CPU second {at_least(ratio, least)}")
    for name, target in CACHE_TARGETS.items():
        ratio = load["read_cached"]["requests_per_second"] / load[name]["requests_per_second"]
        verdicts[name] = (ratio, "" if target is None else f"req/s {at_least(ratio, target)}")
    return verdicts


def limits_table(load: dict[str, Any]) -> list[str]:
    """Rate limits never reached (so every request is counted) in memory and in Redis, against
    the same render without limits; a cached item read against the same read from SQLite and
    from PostgreSQL. One worker each, JSON access log on."""
    verdicts = limits_verdicts(load)
    lines = [
        "Rate limits: `RATE_LIMITS` set to a limit no load reaches, so every request is counted "
        "and admitted, against the same render without limits, on the same route. Cached read: "
        "the same item read again and again from a service rendered with `redis=yes` "
        "(PostgreSQL behind its cache), against the same read without a cache.",
        "",
        "| rate limits and cache, 1 worker | req/s | p50 ms | p99 ms | CPU µs per request "
        "| req/s of baseline | requests per CPU second of baseline | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    rows = [
        ("off", None, None),
        ("memory", "off", "memory"),
        ("redis_off", None, None),
        ("redis", "redis_off", "redis"),
        ("read_sqlite", None, None),
        ("read_postgresql", None, None),
        ("read_cached", "read_postgresql", None),
    ]
    for name, base, verdict_of in rows:
        row = load[name]
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        if row.get("redis_failures"):
            errors += f" ({row['redis_failures']:.0f} Redis calls failed)"
        ratio = efficiency = ""
        verdict = "baseline" if base is None else ""
        if base is not None:
            ratio = f"{row['requests_per_second'] / load[base]['requests_per_second']:.2f}"
            cpu = cpu_ratio(row, load[base])
            efficiency = "" if cpu is None else f"{1 / cpu:.2f}"
        if verdict_of is not None:
            verdict = verdicts[verdict_of][1]
        if name == "read_cached":
            verdict = "; ".join(
                f"of {'SQLite' if other == 'read_sqlite' else 'PostgreSQL'}: "
                f"{verdicts[other][0]:.2f}x"
                + (f", {verdicts[other][1]}" if verdicts[other][1] else "")
                for other in CACHE_TARGETS
            )
        lines.append(
            f"| {row['name']}{errors} | {row['requests_per_second']:,.0f} | {row['p50_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {cpu_cell(row)} | {ratio} | {efficiency} | {verdict} |"
        )
    return lines


def events_verdict(ratio: float, drain_s: float) -> str:
    holds = ratio >= EVENTS_RATIO and drain_s <= EVENTS_DRAIN_SECONDS
    return f">= {EVENTS_RATIO:.2f}x, drained <= {EVENTS_DRAIN_SECONDS:g} s: {mark(holds)}"


def archive_table(archive: dict[str, Any]) -> list[str]:
    """A service rendered with ``event_archive=s3``: its archive process storing events from
    Kafka in S3 (moto's server), against a bare consumer reading the same events."""
    rate, bare = archive["events_per_second"], archive["bare_events_per_second"]
    return [
        f"| event_archive=s3, {archive['events']:,} events from Kafka to S3, its own process "
        "| events/s | objects | stored bytes per event | bare consumer events/s | of bare |",
        "|---|---:|---:|---:|---:|---:|",
        f"| archived (gzip JSON Lines, uploaded, then committed) | {rate:,.0f} "
        f"| {archive['objects']} | {archive['stored_bytes'] / archive['events']:.1f} "
        f"| {bare:,.0f} | {rate / bare:.2f} |",
    ]


def serving_verdicts(serving: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Each batch size's rows/s, and the liveness p99 under load, as ratios of the plain
    endpoint's, with their targets' verdicts."""
    verdicts = {}
    for size, row in serving["http"].items():
        ratio = row["rows_per_second"] / serving["plain"][size]["rows_per_second"]
        verdicts[size] = (ratio, at_least(ratio, SERVING_PLAIN_RATIO))
    share = serving["liveness"]["p99_ms"] / serving["plain_liveness"]["p99_ms"]
    verdicts["liveness"] = (share, at_most(share, SERVING_LIVENESS_SHARE))
    return verdicts


def serving_table(serving: dict[str, Any]) -> list[str]:
    """A service rendered with ``ml_serving=yes``: POST /api/v1/predict over HTTP, 1 worker,
    against a plain FastAPI endpoint on the same model, and the model package predicting the
    same batches in-process; and 2 workers' memory."""
    limit = serving["in_process_rows_per_second"]
    memory = serving["pss_mib"]
    verdicts = serving_verdicts(serving)
    lines = [
        "Baseline: a plain FastAPI `def` endpoint calling the same model package in FastAPI's "
        "threadpool, one model call per request (`bench/plain_predict.py`), as ML tutorials "
        "write it. The model's own predict in-process, with no server, is the limit: shown, not "
        "a target.",
        "",
        "| ml_serving=yes, POST /api/v1/predict, 1 worker, 8 clients | rows/s | p50 ms | p99 ms "
        "| CPU µs per request | rows/s of plain FastAPI | of in-process | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size, row in serving["http"].items():
        plain = serving["plain"][size]
        for label, measured, verdict in (
            (f"plain FastAPI, batches of {size}", plain, "baseline"),
            (f"service, batches of {size}", row, verdicts[size][1]),
        ):
            errors = f" ({measured['errors']} errors)" if measured["errors"] else ""
            ratio = measured["rows_per_second"] / plain["rows_per_second"]
            of_limit = measured["rows_per_second"] / limit[size]
            lines.append(
                f"| {label}{errors} | {measured['rows_per_second']:,.0f} "
                f"| {measured['p50_ms']:.2f} | {measured['p99_ms']:.2f} | {cpu_cell(measured)} "
                f"| {ratio:.2f} | {of_limit:.2f} | {verdict} |"
            )
    for label, live, verdict in (
        ("plain FastAPI", serving["plain_liveness"], "baseline"),
        ("service", serving["liveness"], f"p99 of plain's {verdicts['liveness'][1]}"),
    ):
        merged = (
            f", {live['requests_per_call']:.1f} requests per model call"
            if label == "service"
            else ""
        )
        lines.append(
            f"| {label}: /health/live while 8 clients send batches of 64 "
            f"({live['rows_per_second']:,.0f} rows/s{merged}) | | {live['p50_ms']:.2f} "
            f"| {live['p99_ms']:.2f} | | | | {verdict} |"
        )
    lines += [
        "",
        "| 2 workers after predicting, proportional memory (PSS) | MiB |",
        "|---|---:|",
        f"| each worker loads the model | {memory['per_worker']:.0f} |",
        f"| preloaded before the fork (MODEL_PRELOAD=true) | {memory['preloaded']:.0f} |",
    ]
    return lines


def registry_table(registry: dict[str, Any]) -> list[str]:
    """A service rendered with ``service_registry=server`` checking services on their sockets
    while one client lists them back to back."""
    interval, services = registry["interval_s"], registry["services"]
    quick = registry["listing_p99_ms"] < REGISTRY_LISTING_P99_MS
    return [
        f"| service_registry=server, {services} services checked every {interval:g} s, 1 worker "
        "| p50 | max or p99 | target |",
        "|---|---:|---:|---|",
        f"| time between two checks of a service ({registry['checks']:,} checks) "
        f"| {registry['check_gap_p50_s']:.3f} s | {registry['check_gap_max_s']:.3f} s "
        f"| {registry_gap_verdict(registry)} |",
        f"| GET {services} services meanwhile ({registry['listings']:,} listings) "
        f"| {registry['listing_p50_ms']:.2f} ms | {registry['listing_p99_ms']:.2f} ms "
        f"| p99 < {REGISTRY_LISTING_P99_MS:.0f} ms: {mark(quick)} |",
    ]


def registry_gap_verdict(registry: dict[str, Any]) -> str:
    most = registry["interval_s"] * REGISTRY_GAP_SLACK
    return f"max <= {most:g} s: {mark(registry['check_gap_max_s'] <= most)}"


def function_verdicts(starts: dict[str, float]) -> dict[str, tuple[float, str]]:
    """The function's cold starts as ratios of their baselines', with their targets."""
    no_database = starts["no_database"] / starts["bare"]
    migrating = starts["migrating"] / starts["bare_db"]
    return {
        "no_database": (no_database, at_most(no_database, FUNCTION_START_RATIO_NO_DATABASE)),
        "migrating": (migrating, at_most(migrating, FUNCTION_START_RATIO)),
        "migrated": (starts["migrated"] / starts["bare_db"], ""),
    }


def function_table(function: dict[str, Any]) -> list[str]:
    """A service rendered with ``aws_lambda=yes`` started as Lambda starts a function, against
    baselines wrapped by Mangum; and the weight of its package."""
    starts = function["cold_start_s"]
    verdicts = function_verdicts(starts)
    lines = [
        "Baselines, packaged the same way from the same releases: bare FastAPI for the function "
        "without a database; FastAPI + SQLAlchemy's asyncio engine on aiosqlite, creating its "
        "table at init, for the function with SQLite.",
        "",
        f"| aws_lambda=yes, import of the handler + first invocation, new process, median of "
        f"{function['starts']} | ms | of bare FastAPI | of FastAPI + SQLAlchemy | target |",
        "|---|---:|---:|---:|---|",
    ]
    for name, label in START_LABELS.items():
        verdict = "baseline" if name.startswith("bare") else verdicts[name][1]
        lines.append(
            f"| {label} | {starts[name] * 1000:.0f} | {starts[name] / starts['bare']:.2f} "
            f"| {starts[name] / starts['bare_db']:.2f} | {verdict} |"
        )
    weight = function["package"]
    unzipped = weight["size_bytes"] / 1e6
    lines.append(
        f"| the package, default answers ({weight['architecture']}, Python {weight['python']}): "
        f"unzipped / zipped | {unzipped:.1f} / {weight['zipped_bytes'] / 1e6:.1f} MB | | "
        f"| < {FUNCTION_PACKAGE_MB:.0f} MB unzipped: {mark(unzipped < FUNCTION_PACKAGE_MB)} |"
    )
    return lines


def in_process_table(per_request: dict[str, float]) -> list[str]:
    """The profile: CPU per request without server or load generator, and what each stage adds
    to the pipeline with no stage."""
    empty = per_request["pipeline with no stage"]
    bare = per_request["bare FastAPI"]
    lines = [
        "| in-process, one request, no server | µs | added |",
        "|---|---:|---:|",
    ]
    for name, micros in per_request.items():
        base = empty if name.startswith("stage ") else bare
        added = "" if name == "bare FastAPI" else f"{micros - base:+.1f}"
        lines.append(f"| {name} | {micros:.1f} | {added} |")
    return lines


def peers_table(peers: dict[str, Any]) -> list[str]:
    """What was measured once of other templates and serving frameworks (not run by the
    benchmark): ranges over alternating rounds."""

    def span(values: list[float]) -> str:
        low, high = values
        return f"{low:.2f}x-{high:.2f}x"

    lines = [
        f"Peers, measured {peers['date']}: {peers['how']}.",
        "",
        "| small JSON GET | req/s of bare FastAPI | cold start of bare FastAPI |",
        "|---|---:|---:|",
    ]
    for name, row in peers["json_get"].items():
        lines.append(
            f"| {name} | {span(row['requests_per_second_of_bare'])} "
            f"| {span(row['cold_start_of_bare'])} |"
        )
    lines += [
        "",
        "| ml_serving=yes against, same artefact, 8 clients, batches of 64 | service's rows/s, "
        "of theirs | their /health/live p99 under load, of the service's |",
        "|---|---:|---:|",
    ]
    for name, row in peers["serving_batches_of_64"].items():
        lines.append(
            f"| {name} | {row['service_rows_per_second_ratio']:.1f}x "
            f"| {row['service_liveness_p99_lower']:.1f}x |"
        )
    return lines


def headline(results: dict[str, Any]) -> str:
    """The README's few rows: the default service against bare FastAPI, its cold start, and
    each option's target, each as a ratio to its baseline (the benchmarks page has the rest)."""
    load = results["throughput"]
    m = results["machine"]
    rows: list[tuple[str, str, str]] = []
    for name, label in (
        ("log", "the default service as deployed, 1 worker: CPU per request of bare FastAPI's"),
        ("quiet", "the same, access log off"),
    ):
        _, _, verdict = throughput_verdict(load, name)
        cpu = cpu_ratio(load[name], load["bare"])
        rows.append((label, "" if cpu is None else f"{cpu:.2f}x", verdict))
    ratio, p99, verdict = throughput_verdict(load, "log2")
    rows.append(
        (
            "the default service, 2 workers: req/s and p99 of bare FastAPI with 2 workers",
            f"{ratio:.2f}x, p99 {p99:.2f}x",
            verdict,
        )
    )
    cold_ratio, cold_verdict = cold_start_verdict(results["cold_start_s"])
    rows.append(
        (
            "cold start of the default service, of FastAPI + SQLAlchemy on aiosqlite",
            f"{cold_ratio:.2f}x",
            cold_verdict,
        )
    )
    auth = results["auth"]
    ratio = auth["bearer"]["requests_per_second"] / auth["anonymous"]["requests_per_second"]
    rows.append(
        (
            "auth=jwt, an RS256 bearer token: req/s of no credentials",
            f"{ratio:.2f}x",
            at_least(ratio, AUTH_RATIO),
        )
    )
    tracing = results["tracing"]
    for name, (target, label) in TRACING_SCENARIOS.items():
        if target is not None:
            ratio = tracing[name]["requests_per_second"] / tracing["off"]["requests_per_second"]
            rows.append((f"{label}: req/s of no tracing", f"{ratio:.2f}x", at_least(ratio, target)))
    events = results["events"]
    for name, base in (("on", "off"), ("on_pg", "off_pg")):
        row = events[name]
        ratio = row["requests_per_second"] / events[base]["requests_per_second"]
        rows.append(
            (
                f"event_broker=kafka, {EVENTS_LABELS[name]}: writes' req/s without events",
                f"{ratio:.2f}x, drained in {row['drain_s']:.2f} s",
                events_verdict(ratio, row["drain_s"]),
            )
        )
    if "accounts" in results:
        ratio, verdict = accounts_verdict(results["accounts"])
        label = "auth=password, a token it issued: requests per CPU second of no credentials"
        rows.append((label, f"{ratio:.2f}x", verdict))
    if "limits" in results:
        limiting = limits_verdicts(results["limits"])
        for key, label in (
            ("memory", "rate limits in memory: requests per CPU second of limits off"),
            ("redis", "redis=yes, rate limits in Redis: requests per CPU second of limits off"),
            ("read_postgresql", "redis=yes, a cached item read: req/s of the read from PostgreSQL"),
        ):
            ratio, verdict = limiting[key]
            rows.append((label, f"{ratio:.2f}x", verdict))
    serving = serving_verdicts(results["serving"])
    for key, label in (
        ("64", "ml_serving=yes, batches of 64: rows/s of a plain FastAPI endpoint's"),
        ("1", "ml_serving=yes, batches of 1: rows/s of a plain FastAPI endpoint's"),
        ("liveness", "ml_serving=yes, /health/live p99 under load: of a plain endpoint's"),
    ):
        ratio, verdict = serving[key]
        rows.append((label, f"{ratio:.2f}x", verdict))
    registry = results["registry"]
    rows.append(
        (
            f"service_registry=server, {registry['services']} services checked every "
            f"{registry['interval_s']:g} s: the longest time between two checks of one",
            f"{registry['check_gap_max_s']:.3f} s",
            registry_gap_verdict(registry),
        )
    )
    if "function" in results:
        function = function_verdicts(results["function"]["cold_start_s"])
        for key, label in (
            (
                "migrating",
                "aws_lambda=yes, a cold start as deployed (SQLite migrated at init): of FastAPI + "
                "SQLAlchemy with Mangum",
            ),
            ("no_database", "aws_lambda=yes, database=none, a cold start: of bare FastAPI's"),
        ):
            ratio, verdict = function[key]
            rows.append((label, f"{ratio:.2f}x", verdict))
    lines = [
        f"Measured {m['date']} on {m['cores']} cores, Python {m['python']}; {results['mode']} "
        "run, medians of alternating rounds.",
        "",
        "| scenario | measured | target |",
        "|---|---:|---|",
        *(f"| {label} | {measured} | {verdict} |" for label, measured, verdict in rows),
    ]
    return "\n".join(lines) + "\n"


def between_markers(text: str, generated: str) -> str:
    """``text`` with ``generated`` in place of what stands between its markers."""
    start, end = text.index(START), text.index(END)
    return text[: start + len(START)] + "\n" + generated + text[end:]


def update_docs(repository: Path, results: dict[str, Any]) -> None:
    """Every table into the benchmarks page, and the headline into the README."""
    for path, generated in (
        (repository / DOCS_PAGE, markdown(results)),
        (repository / README, headline(results)),
    ):
        path.write_text(between_markers(path.read_text("utf-8"), generated), "utf-8")
