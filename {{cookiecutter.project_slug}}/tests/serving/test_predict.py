import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.serving.feature import Serving
from {{ cookiecutter.package_name }}.serving.settings import ServingSettings
from {{ cookiecutter.package_name }}_model import NAME, Measurements, Model, Prediction, load

from support.serving import instances, rows, wait_until_ready

PREDICT = "/api/v1/predict"
PROBLEM = "application/problem+json"


def test_predictions_are_the_models_own_in_order(predicting: TestClient) -> None:
    batch = instances(64)

    response = predicting.post(PREDICT, json={"instances": batch})

    assert response.status_code == 200
    species = [prediction["species"] for prediction in response.json()["predictions"]]
    assert species == load().estimator.predict(rows(batch)).tolist()
    assert len(set(species)) == 3  # the batch is not all one answer


def test_the_answer_names_the_installed_model_version(predicting: TestClient) -> None:
    response = predicting.post(PREDICT, json={"instances": instances(1)})

    version = metadata.version("{{ cookiecutter.project_slug }}-model")
    assert response.json()["model"] == {"name": NAME, "version": version}


def test_health_and_readiness_name_the_model(predicting: TestClient) -> None:
    model = {"name": NAME, "version": metadata.version("{{ cookiecutter.project_slug }}-model")}

    assert predicting.get("/api/v1/health").json()["components"]["model"] == model
    ready = predicting.get("/health/ready").json()
    assert ready["components"]["model"] == model
    assert ready["checks"]["model"] == "ok"


def test_the_documented_example_predicts(predicting: TestClient, settings: Settings) -> None:
    document = create_app(settings.model_copy(update={"docs_enabled": True})).openapi()
    body = document["components"]["schemas"]["PredictionRequest"]["example"]

    response = predicting.post(PREDICT, json=body)

    assert response.status_code == 200
    assert len(response.json()["predictions"]) == len(body["instances"])


def test_a_batch_over_the_limit_is_refused_naming_it(settings: Settings) -> None:
    serving = Serving(ServingSettings(max_batch_size=4))
    with TestClient(create_app(settings, [serving])) as client:
        wait_until_ready(client)

        assert client.post(PREDICT, json={"instances": instances(4)}).status_code == 200
        response = client.post(PREDICT, json={"instances": instances(5)})

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert "at most 4 instances" in response.json()["detail"]


def test_bad_instances_are_listed_by_index_and_field(predicting: TestClient) -> None:
    good, negative, incomplete = instances(3)
    negative["sepal_length"] = -1.0
    del incomplete["petal_width"]

    response = predicting.post(PREDICT, json={"instances": [good, negative, incomplete]})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    locations = [error["loc"] for error in response.json()["errors"]]
    assert locations == [
        ["body", "instances", 1, "sepal_length"],
        ["body", "instances", 2, "petal_width"],
    ]


def test_a_request_the_stopping_model_cannot_take_is_a_503(settings: Settings) -> None:
    serving = Serving()
    with TestClient(create_app(settings, [serving])) as client:
        wait_until_ready(client)
        assert serving.inference is not None
        serving.inference.close()  # as the worker's shutdown does

        response = client.post(PREDICT, json={"instances": instances(2)})

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("body", [{"instances": []}, {}, {"instances": {"sepal_length": 1}}])
def test_a_request_without_a_batch_is_invalid(predicting: TestClient, body: object) -> None:
    response = predicting.post(PREDICT, json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_predictions_are_counted_by_model_version(predicting: TestClient) -> None:
    version = metadata.version("{{ cookiecutter.project_slug }}-model")
    labels = {"model": NAME, "version": version}

    def sample(name: str, **extra: str) -> float:
        return REGISTRY.get_sample_value(name, labels | extra) or 0.0

    added = {  # by a request of 3 instances, predicted in one call
        "model_predictions_total": 3,
        "model_batch_size_count": 1,
        "model_inference_instances_sum": 3,
        "model_inference_seconds_count": 1,
    }
    before = {name: sample(name) for name in added}
    batches_of_4 = sample("model_batch_size_bucket", le="4.0")
    predicting.post(PREDICT, json={"instances": instances(3)})

    assert {name: sample(name) - before[name] for name in added} == added
    assert sample("model_batch_size_bucket", le="4.0") == batches_of_4 + 1
    assert 'model_predictions_total{model="iris-species"' in predicting.get("/metrics").text


@dataclass(frozen=True)
class GatedModel(Model):
    """The real model; each call's size recorded, and each call held until ``gate`` is set."""

    gate: threading.Event = field(default_factory=threading.Event)
    calls: list[int] = field(default_factory=list)

    def predict(self, instances: Sequence[Measurements]) -> list[Prediction]:
        self.calls.append(len(instances))
        assert self.gate.wait(timeout=10)
        return super().predict(instances)


def test_batches_waiting_for_the_model_are_merged_and_each_gets_its_own(
    settings: Settings,
) -> None:
    model = load()
    gated = GatedModel(model.name, model.version, model.estimator)
    batches = [instances(size) for size in (5, 3, 7, 2)]
    labels = {"model": NAME, "version": model.version}

    def requests_seen() -> float:
        return REGISTRY.get_sample_value("model_batch_size_count", labels) or 0.0

    with (
        TestClient(create_app(settings, [Serving(loader=lambda: gated)])) as client,
        ThreadPoolExecutor(max_workers=len(batches)) as clients,
    ):
        wait_until_ready(client)
        before = requests_seen()

        def post(batch: list[dict[str, float]]) -> Any:
            return client.post(PREDICT, json={"instances": batch})

        first = clients.submit(post, batches[0])
        while not gated.calls:  # the first batch has the model
            time.sleep(0.005)
        others = [clients.submit(post, batch) for batch in batches[1:]]
        while requests_seen() < before + len(batches):  # the others wait for it
            time.sleep(0.005)
        gated.gate.set()
        responses = [first.result(), *(other.result() for other in others)]

    assert gated.calls == [5, 3 + 7 + 2]
    for batch, response in zip(batches, responses, strict=True):
        assert response.status_code == 200
        species = [prediction["species"] for prediction in response.json()["predictions"]]
        assert species == model.estimator.predict(rows(batch)).tolist()
