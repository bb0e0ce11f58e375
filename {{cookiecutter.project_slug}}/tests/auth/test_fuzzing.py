"""Random bytes as credentials, in every header the service reads them from: a clean 401
problem (or an anonymous read), never a 5xx."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.features import AUTH_SCHEMES

# What may travel in a header: no NUL, CR or LF; no leading or trailing white space.
HEADER_VALUES = st.binary(min_size=1, max_size=300).map(
    lambda value: value.translate(None, b"\x00\r\n").strip(b" \t")
)


@given(value=HEADER_VALUES, header=st.sampled_from([scheme.header for scheme in AUTH_SCHEMES]))
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_random_credentials_are_refused_cleanly(app: FastAPI, value: bytes, header: bytes) -> None:
    client = TestClient(app)
    headers = [(header, value)] if value else []

    read = client.get("/openapi.json", headers=headers)
    write = client.delete("/api/v1/items/1", headers=headers)

    assert read.status_code in {200, 401}
    assert write.status_code == 401
    assert write.headers["content-type"] == "application/problem+json"
