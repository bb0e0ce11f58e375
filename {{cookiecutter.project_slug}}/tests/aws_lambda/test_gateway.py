import pytest

from {{ cookiecutter.package_name }}.aws_lambda.gateway import prefix_before, without_stage


@pytest.mark.parametrize(
    ("client_path", "app_path", "prefix"),
    [
        ("/prod/openapi.json", "/openapi.json", "/prod"),
        ("/openapi.json", "/openapi.json", ""),
        ("/v1-api/prod/items", "/items", "/v1-api/prod"),  # a custom domain's base path too
        ("/prod/", "/", "/prod"),
        ("/elsewhere", "/items", ""),
        ("", "/items", ""),
    ],
)
def test_the_prefix_is_what_the_client_path_has_before_the_apps(
    client_path: str, app_path: str, prefix: str
) -> None:
    assert prefix_before(client_path, app_path) == prefix


@pytest.mark.parametrize(
    ("path", "stage", "expected"),
    [
        ("/prod/api/v1/items", "prod", ("/api/v1/items", "/prod")),
        ("/prod", "prod", ("/", "/prod")),
        ("/production/items", "prod", ("/production/items", "")),
        ("/api/v1/items", "prod", ("/api/v1/items", "")),
    ],
)
def test_a_named_stage_is_taken_off_the_path(
    path: str, stage: str, expected: tuple[str, str]
) -> None:
    assert without_stage(path, stage) == expected
