"""API keys as a scheme: ``X-API-Key: <key id>.<secret>``, and the ``api-key new`` command."""

import argparse
import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

from fastapi.security import APIKeyHeader
from fastapi.security.base import SecurityBase

from ...config import Settings, load
from ...feature import Command
from ..failures import AuthenticationError
from ..identity import Identity
from ..scheme import Scheme
from .keyring import Keyring, new_key
from .settings import KEY_ID_PATTERN, ApiKeySettings

HEADER = "X-API-Key"


class ApiKeys(Scheme):
    name = "api_keys"
    header = HEADER.lower().encode()
    security: ClassVar[SecurityBase] = APIKeyHeader(
        name=HEADER, description="`<key id>.<secret>`, from `api-key new`.", auto_error=False
    )

    def __init__(self, service: Settings, settings: ApiKeySettings | None = None) -> None:
        super().__init__(service)
        self.settings: ApiKeySettings = settings or load(ApiKeySettings)
        self.keyring = Keyring(self.settings.api_keys)

    def challenge(self, invalid: bool) -> str:
        return f'ApiKey header="{HEADER}"'

    def authenticate(self, value: bytes) -> Identity:
        try:
            presented = value.decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationError("malformed") from None
        return self.keyring.authenticate(presented)

    def commands(self) -> Sequence[Command]:
        return [Command("api-key", "make a new API key", run=make_key, add_arguments=key_arguments)]


def key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["new"], help="new: make a key and print it once")
    parser.add_argument("--scopes", default="", help="comma- or space-separated")
    parser.add_argument("--id", dest="key_id", help="the key's id (default: key-<date>-<n>)")


def make_key(arguments: argparse.Namespace) -> None:
    key_id = arguments.key_id or datetime.now(UTC).strftime("key-%Y%m%d-%H%M%S")
    if not re.fullmatch(KEY_ID_PATTERN, key_id):
        sys.exit("invalid key id: letters, digits, _ and - only, at most 64")
    scopes = sorted(set(arguments.scopes.replace(",", " ").split()))
    key, digest = new_key(key_id)
    entry = json.dumps({key_id: {"hash": digest, "scopes": scopes}})
    print(f"API key (shown once; give it to the client as {HEADER}): {key}")
    print(f"Add to AUTH_API_KEYS (a JSON object of every key): {entry}")
