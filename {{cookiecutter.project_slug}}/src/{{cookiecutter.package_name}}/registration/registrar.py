"""Registering this instance with the registry, and keeping it registered.

The same ``PUT`` is sent at startup and every ``REGISTRY_REFRESH_SECONDS``: the registry treats
an unchanged registration as nothing new, and one that forgot us (it restarted, or dropped us
while we were down) learns of us again. While the registry cannot be reached, the attempts back
off exponentially, with jitter, up to ``MAX_BACKOFF_SECONDS``.
"""

import asyncio
import random
from collections.abc import Mapping
from typing import Any, Final

import httpx2
from loguru import logger

FIRST_BACKOFF_SECONDS: Final = 0.5
MAX_BACKOFF_SECONDS: Final = 30.0
REQUEST_TIMEOUT_SECONDS: Final = 5.0
DEREGISTER_TIMEOUT_SECONDS: Final = 2.0  # shutdown waits for it


class Registrar:
    def __init__(
        self,
        registry_url: str,
        service_id: str,
        registration: Mapping[str, Any],
        refresh_seconds: float,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = f"{registry_url.rstrip('/')}/api/v1/services/{service_id}"
        self.service_id = service_id
        self.registration = dict(registration)
        self.refresh_seconds = refresh_seconds
        self.headers = dict(headers or {})
        self._registered = False  # by the last attempt: only changes are logged

    async def keep_registered(self, client: httpx2.AsyncClient) -> None:
        """Register now and every ``refresh_seconds``; retry with backoff on failure. Runs
        until cancelled."""
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            try:
                await self.register(client)
            except httpx2.HTTPError as error:
                if self._registered or backoff == FIRST_BACKOFF_SECONDS:
                    logger.warning(
                        "Registering as {} at {} failed, retrying: {}",
                        self.service_id,
                        self.url,
                        describe(error),
                    )
                self._registered = False
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))  # noqa: S311  # nosec B311
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if not self._registered:
                logger.info("Registered as {} at {}", self.service_id, self.url)
            self._registered = True
            backoff = FIRST_BACKOFF_SECONDS
            await asyncio.sleep(self.refresh_seconds)

    async def register(self, client: httpx2.AsyncClient) -> None:
        response = await client.put(
            self.url, json=self.registration, headers=self.headers, timeout=REQUEST_TIMEOUT_SECONDS
        )
        response.raise_for_status()

    async def deregister(self, client: httpx2.AsyncClient) -> None:
        """Remove the registration; a registry that does not answer in time is left to notice
        (its checks fail, and it drops us after ``deregister_after``)."""
        try:
            response = await client.delete(
                self.url, headers=self.headers, timeout=DEREGISTER_TIMEOUT_SECONDS
            )
            if response.status_code != httpx2.codes.NOT_FOUND:  # another worker was first
                response.raise_for_status()
        except httpx2.HTTPError as error:
            logger.warning("Deregistering {} failed: {}", self.service_id, describe(error))
        else:
            logger.info("Deregistered {}", self.service_id)


def describe(error: httpx2.HTTPError) -> str:
    if isinstance(error, httpx2.HTTPStatusError):
        return f"HTTP {error.response.status_code} {error.response.text[:200]}"
    return type(error).__name__
