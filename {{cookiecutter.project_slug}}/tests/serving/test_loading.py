import threading
from collections.abc import Callable

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.logging import configure_logging
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.serving.feature import Serving
from {{ cookiecutter.package_name }}.serving.settings import ServingSettings
from {{ cookiecutter.package_name }}_model import Model, load

from support import LogCapture
from support.serving import instances, wait_until_ready

PREDICT = "/api/v1/predict"


def gated(gate: threading.Event) -> Callable[[], Model]:
    """A loader that loads only once the gate opens."""

    def loader() -> Model:
        gate.wait(timeout=20)
        return load()

    return loader


def test_not_ready_and_no_predictions_until_the_model_is_loaded(settings: Settings) -> None:
    gate = threading.Event()
    serving = Serving(ServingSettings(), loader=gated(gate))
    with TestClient(create_app(settings, [serving])) as client:
        ready = client.get("/health/ready")
        predict = client.post(PREDICT, json={"instances": instances(1)})
        live = client.get("/health/live")
        gate.set()
        report = wait_until_ready(client)
        after = client.post(PREDICT, json={"instances": instances(1)})

    assert ready.status_code == 503
    assert ready.json()["checks"]["model"] == "failing"
    assert "model" not in ready.json()["components"]
    assert predict.status_code == 503
    assert predict.headers["content-type"] == "application/problem+json"
    assert live.status_code == 200
    assert report["checks"]["model"] == "ok"
    assert after.status_code == 200


def test_a_model_that_fails_to_load_keeps_the_service_not_ready(settings: Settings) -> None:
    def broken() -> Model:
        raise RuntimeError("no artifact")

    app = create_app(settings, [Serving(loader=broken)])
    logs = LogCapture()
    configure_logging(settings.model_copy(update={"log_format": "json"}), logs.stream)
    with TestClient(app) as client:
        for _ in range(3):
            assert client.get("/health/ready").status_code == 503

    failures = [record for record in logs.records if "could not be loaded" in record["message"]]
    assert len(failures) == 1
    assert "no artifact" in failures[0]["exception"]


def test_preloading_loads_when_the_app_is_built(settings: Settings) -> None:
    loads: list[Model] = []

    def counted() -> Model:
        loads.append(load())
        return loads[-1]

    app = create_app(settings, [Serving(ServingSettings(preload=True), loader=counted)])
    assert len(loads) == 1  # before any worker would fork

    with TestClient(app) as client:
        assert client.get("/health/ready").status_code == 200  # at once
        assert client.post(PREDICT, json={"instances": instances(2)}).status_code == 200

    assert len(loads) == 1
