"""The archive's S3, a pytest plugin (conftest.py loads it): one moto server for the session, the
archive pointed at it, and a bucket of its own for each test, emptied and removed after it."""

import uuid
from collections.abc import Iterator

import pytest

from support.s3 import CREDENTIALS, S3


@pytest.fixture(scope="session", autouse=True)
def s3() -> Iterator[S3]:
    server = S3()
    server.start()
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("ARCHIVE_S3_ENDPOINT_URL", server.url)
        environment.setenv("ARCHIVE_S3_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"])
        environment.setenv("ARCHIVE_S3_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"])
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def archive_bucket(monkeypatch: pytest.MonkeyPatch, s3: S3, events_topic: str) -> Iterator[str]:
    """The archive's consumer group is named after the test's topic (the broker removes it with
    the topic)."""
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    client = s3.client()
    client.create_bucket(Bucket=bucket)
    monkeypatch.setenv("ARCHIVE_BUCKET", bucket)
    monkeypatch.setenv("ARCHIVE_GROUP", f"{events_topic}-archive")
    try:
        yield bucket
    finally:
        for key in s3.archived(bucket):
            client.delete_object(Bucket=bucket, Key=key)
        client.delete_bucket(Bucket=bucket)
