"""S3 for the archive's tests: moto's S3, a real HTTP server on a loopback port (the archive
talks to it over HTTP, as to AWS), and what a test reads back from it."""

import gzip
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from .servers import free_port

REGION = "us-east-1"
# moto accepts any; set so that no credentials of the machine are looked for.
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class S3:
    """moto on ``port``; ``stop()`` and ``start()`` again on the same port keep what it holds
    (moto keeps it in this process)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: ThreadedMotoServer | None = None

    def start(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def client(self) -> Any:
        return boto3.client("s3", endpoint_url=self.url, region_name=REGION, **CREDENTIALS)

    def archived(self, bucket: str) -> dict[str, list[bytes]]:
        """Each object of ``bucket``: its lines, uncompressed."""
        client = self.client()
        objects = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for entry in page.get("Contents", []):
                body = client.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()
                objects[entry["Key"]] = gzip.decompress(body).splitlines()
        return objects
