from fastapi.testclient import TestClient
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.features import enabled_features
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.redis.feature import RedisFeature
from {{ cookiecutter.package_name }}.redis.settings import RedisSettings


def test_readiness_asks_redis_and_liveness_does_not() -> None:
    settings = Settings(environment=Environment.TEST)
    features = [
        RedisFeature(RedisSettings(url=SecretStr("redis://127.0.0.1:9/0"), timeout=0.2))
        if isinstance(feature, RedisFeature)
        else feature
        for feature in enabled_features(settings)
    ]
    with TestClient(create_app(settings, features)) as client:
        ready = client.get("/health/ready")
        live = client.get("/health/live")

    assert ready.status_code == 503
    assert "redis" in ready.text
    assert live.status_code == 200


def test_ready_with_redis(client: TestClient) -> None:
    assert client.get("/health/ready").status_code == 200
