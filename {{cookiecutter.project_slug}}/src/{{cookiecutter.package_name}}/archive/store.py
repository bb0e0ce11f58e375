"""S3, or any S3-compatible store (MinIO, Ceph, R2: ``ARCHIVE_S3_ENDPOINT_URL``), through
aioboto3 (boto3's asyncio form: the same credentials chain and configuration)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aioboto3
from botocore.config import Config

from .settings import ArchiveSettings


class S3Store:
    def __init__(self, settings: ArchiveSettings) -> None:
        self.settings = settings
        self._client: Any = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        settings = self.settings
        session = aioboto3.Session(
            aws_access_key_id=_secret(settings.s3_access_key_id),
            aws_secret_access_key=_secret(settings.s3_secret_access_key),
            region_name=settings.s3_region,
        )
        config = Config(
            connect_timeout=min(settings.upload_timeout, 10),
            read_timeout=settings.upload_timeout,
            retries={"max_attempts": 1, "mode": "standard"},  # the archiver retries itself
        )
        endpoint = str(settings.s3_endpoint_url) if settings.s3_endpoint_url else None
        async with session.client("s3", endpoint_url=endpoint, config=config) as client:
            self._client = client
            try:
                yield
            finally:
                self._client = None

    async def put(self, key: str, body: bytes) -> None:
        await self._client.put_object(
            Bucket=self.settings.bucket, Key=key, Body=body, ContentType="application/gzip"
        )


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None
