"""The keys tokens are verified with: one static key, or an identity provider's JWKS.

The JWKS is fetched in the background when the service starts and every
``AUTH_JWKS_MAX_AGE_SECONDS``, and again when a token names a key id it does not hold (the
provider rotated its keys), but never more often than ``AUTH_JWKS_COOLDOWN_SECONDS``: a
stream of tokens with made-up key ids cannot turn into a stream of fetches. Requests waiting for
a fetch share it. A failed fetch keeps the keys held.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, Protocol

import httpx2
import orjson
from jwt import PyJWK, PyJWKSet
from jwt.exceptions import PyJWTError
from loguru import logger

# Key types of public-key algorithms: a symmetric ("oct") key published in a JWKS would turn
# anyone who can read the JWKS into a token issuer.
PUBLIC_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})

# A PyJWK from a JWKS, or what PyJWT takes as a key as it is (a PEM, a secret).
Key = Any


class KeySource(Protocol):
    """Where the verifier finds the key of a token (by its ``kid``)."""

    @property
    def loaded(self) -> bool: ...

    @property
    def may_refresh(self) -> bool: ...

    def find(self, key_id: str | None) -> Key | None: ...

    async def refresh(self) -> None: ...


class StaticKey:
    """One key for every token, from the settings."""

    def __init__(self, key: Key) -> None:
        self.key = key

    def find(self, key_id: str | None) -> Key | None:
        return self.key

    @property
    def may_refresh(self) -> bool:
        return False

    @property
    def loaded(self) -> bool:
        return True

    async def refresh(self) -> None:
        """A static key never changes."""


class JwksKeys:
    def __init__(
        self,
        url: str,
        *,
        timeout: float,
        cooldown: float,
        max_age: float,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.cooldown = cooldown
        self.max_age = max_age
        self.on_change = on_change
        self._keys: dict[str | None, PyJWK] = {}
        self._fingerprint = b""  # the published keys, to tell a change
        self._attempted = -cooldown  # monotonic time of the last fetch
        self._fetching: asyncio.Task[None] | None = None
        self._client: httpx2.AsyncClient | None = None

    def find(self, key_id: str | None) -> PyJWK | None:
        if key_id is None and len(self._keys) == 1:  # a token without kid, one key
            return next(iter(self._keys.values()))
        return self._keys.get(key_id)

    @property
    def loaded(self) -> bool:
        return bool(self._keys)

    @property
    def may_refresh(self) -> bool:
        """A fetch is under way, or the cool-down since the last one has passed."""
        return self._fetching is not None or time.monotonic() - self._attempted >= self.cooldown

    async def refresh(self) -> None:
        """Fetch the key set now, unless the cool-down forbids it; share a fetch under way."""
        if self._fetching is None:
            if not self.may_refresh:
                return
            self._fetching = asyncio.create_task(self._fetch())
        # Shielded: a request cancelled while waiting (its timeout) must not cancel the fetch
        # other requests wait for.
        await asyncio.shield(self._fetching)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Keep the key set fresh for the app's life (after the fork: one client per worker)."""
        self._client = httpx2.AsyncClient(timeout=self.timeout)
        refreshing = asyncio.create_task(self._refresh_periodically())
        try:
            yield
        finally:
            refreshing.cancel()
            with suppress(asyncio.CancelledError):
                await refreshing
            await self._client.aclose()
            self._client = None

    async def _refresh_periodically(self) -> None:
        while True:
            await self.refresh()
            # Without any key yet, sooner: requests with tokens are answered 503 meanwhile.
            await asyncio.sleep(self.max_age if self.loaded else self.cooldown)

    async def _fetch(self) -> None:
        self._attempted = time.monotonic()
        try:
            published = await self._download()
            keys = {key.key_id: key for key in PyJWKSet(published).keys}
        except (httpx2.HTTPError, ValueError, PyJWTError) as error:
            # The reason without the response: it is the provider's, and may be large.
            logger.warning("the JWKS at {} could not be fetched: {}", self.url, error)
            return
        finally:
            self._fetching = None
        fingerprint = orjson.dumps(published, option=orjson.OPT_SORT_KEYS)
        if fingerprint != self._fingerprint:
            self._keys, self._fingerprint = keys, fingerprint
            logger.info("JWKS key ids now held: {}", sorted(str(key_id) for key_id in keys))
            self.on_change()

    async def _download(self) -> list[dict[str, Any]]:
        """The signing keys the provider publishes, of public-key types only."""
        if self._client is None:  # outside the app's life: a client for this fetch only
            async with httpx2.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(self.url)
        else:
            response = await self._client.get(self.url)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            raise ValueError("not a JWK set")
        return [
            key
            for key in document["keys"]
            if isinstance(key, dict)
            and key.get("kty") in PUBLIC_KEY_TYPES
            and key.get("use", "sig") == "sig"
        ]
