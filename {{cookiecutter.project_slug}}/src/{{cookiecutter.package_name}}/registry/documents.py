"""The services' OpenAPI documents, fetched when asked for and kept ``REGISTRY_OPENAPI_MAX_AGE``
seconds; after that, asked for again with the ETag the service gave (a 304 keeps the copy)."""

import time
from dataclasses import dataclass
from typing import Any, Final

import httpx2

MAX_DOCUMENT_BYTES: Final = 10 * 1024 * 1024

Document = dict[str, Any]


class DocumentError(Exception):
    """The document could not be had; the message says why, for the merged document."""


@dataclass
class _Copy:
    document: Document
    etag: str | None
    fetched_at: float


class OpenApiDocuments:
    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._copies: dict[str, _Copy] = {}

    async def get(self, client: httpx2.AsyncClient, url: str, within: float) -> Document:
        """The document at ``url``: the kept copy while it is fresh, else fetched."""
        copy = self._copies.get(url)
        now = time.monotonic()
        if copy is not None and now - copy.fetched_at < self.max_age:
            return copy.document
        headers = {"If-None-Match": copy.etag} if copy is not None and copy.etag else {}
        try:
            response = await client.get(url, headers=headers, timeout=within)
        except httpx2.TimeoutException:
            raise DocumentError("timeout") from None
        except httpx2.TransportError as error:
            raise DocumentError(f"unreachable ({type(error).__name__})") from None
        if response.status_code == httpx2.codes.NOT_MODIFIED and copy is not None:
            copy.fetched_at = now
            return copy.document
        if response.status_code != httpx2.codes.OK:
            raise DocumentError(f"HTTP {response.status_code}")
        if len(response.content) > MAX_DOCUMENT_BYTES:
            raise DocumentError("larger than 10 MiB")
        try:
            document = response.json()
        except ValueError:
            raise DocumentError("not JSON") from None
        if not isinstance(document, dict) or not isinstance(document.get("paths", {}), dict):
            raise DocumentError("not an OpenAPI document")
        self._copies[url] = _Copy(document, response.headers.get("ETag"), now)
        return document

    def keep_only(self, urls: set[str]) -> None:
        """Drop the copies of documents no registered service points at any more."""
        for url in self._copies.keys() - urls:
            del self._copies[url]
