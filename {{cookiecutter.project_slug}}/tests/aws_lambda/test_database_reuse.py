import pytest

from {{ cookiecutter.package_name }}.aws_lambda.runtime import FunctionRuntime
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.db import feature
from {{ cookiecutter.package_name }}.db.database import Database
from {{ cookiecutter.package_name }}.db.settings import DatabaseSettings

from support.lambda_events import LambdaContext, http_api_request


def test_invocations_share_one_engine(
    function_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Database] = []

    class CountedDatabase(Database):
        def __init__(self, settings: DatabaseSettings) -> None:
            super().__init__(settings)
            made.append(self)

    monkeypatch.setattr(feature, "Database", CountedDatabase)
    runtime = FunctionRuntime.start(function_settings)
    try:
        for _ in range(2):
            response = runtime(http_api_request("GET", "/api/v1/items"), LambdaContext())
            assert response["statusCode"] == 200
        assert len(made) == 1
    finally:
        runtime.close()
