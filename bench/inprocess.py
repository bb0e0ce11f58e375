"""Per-request CPU time in-process, without a server: bare FastAPI, the service, and the
service's request pipeline with no stage and with each stage alone, on the benchmark's request.

Run by ``python -m bench`` with the service's interpreter: ``inprocess.py <package> <rounds>``.
Prints JSON: microseconds per request, medians of alternating rounds. This is the profile behind
the throughput figures: what each stage costs, apart from the server and the load generator.
"""

import asyncio
import importlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import baseline

PATH = "/api/v1/health"
CALLS = 3000


def request_scope() -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk"), (b"accept", b"*/*")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def send(message: dict[str, Any]) -> None:
    return None


async def per_request(app: Any, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        await app(request_scope(), receive, send)
    return (time.perf_counter() - start) / calls * 1e6


async def main(package: str, rounds: int) -> dict[str, float]:
    main_module = importlib.import_module(f"{package}.main")
    config = importlib.import_module(f"{package}.config")
    core = importlib.import_module(f"{package}.pipeline.core")
    logging = importlib.import_module(f"{package}.logging")
    layer = importlib.import_module(f"{package}.pipeline.layer")

    # As benchmarked under load; the stages alone with every optional one switched on too.
    settings = config.Settings(environment="production")
    every_stage = settings.model_copy(
        update={
            "allowed_hosts": ["127.0.0.1"],
            "api_deprecations": {"v1": config.ApiDeprecation(deprecated_on="2026-01-01")},
            "cors_origins": ["https://ui.example"],
            # Counted in this process; a limit the benchmark's requests never reach.
            "rate_limits": {"default": "1000000/second"},
        }
    )
    log = Path(os.devnull).open("w")  # noqa: SIM115 (open for the whole run)
    all_stages: Callable[..., list[Any]] = core.core_stages

    def service(stages: Callable[..., list[Any]], access_log: bool = True) -> Any:
        core_stages = main_module.core_stages
        main_module.core_stages = stages
        try:
            app = main_module.create_app(settings.model_copy(update={"access_log": access_log}))
        finally:
            main_module.core_stages = core_stages
        logging.configure_logging(settings, log)  # a file, as deployed: buffered lines
        return app

    apps: dict[str, Any] = {"bare FastAPI": baseline.app}
    apps["service, access log on"] = service(all_stages)
    apps["service, access log off"] = service(all_stages, access_log=False)
    apps["pipeline with no stage"] = service(lambda *_: [], access_log=False)
    for stage in all_stages(every_stage):
        apps[f"stage {stage.name}"] = service(lambda *_, s=stage: [s])
    without_pipeline = service(lambda *_: [], access_log=False)
    without_pipeline.user_middleware = [
        m for m in without_pipeline.user_middleware if m.cls is not layer.Pipeline
    ]
    apps["service without the pipeline"] = without_pipeline

    async with AsyncExitStack() as lifespans:
        for app in apps.values():
            await lifespans.enter_async_context(app.router.lifespan_context(app))
        logging.configure_logging(settings, log)
        runs: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(rounds):
            for name, app in apps.items():
                await per_request(app, CALLS // 10)  # warm up
                runs[name].append(await per_request(app, CALLS))
    return {name: round(statistics.median(values), 1) for name, values in runs.items()}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], int(sys.argv[2])))))
