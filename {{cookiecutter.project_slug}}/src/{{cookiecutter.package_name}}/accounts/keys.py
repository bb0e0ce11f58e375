"""The service's own signing keys: Ed25519 (JWS ``EdDSA``), the first signs, all verify.

Ed25519 because its signatures are deterministic (no per-signature random number to get wrong,
unlike ECDSA), its keys and signatures small, and signing as cheap as verifying; every JOSE
library that verifies ``EdDSA`` (PyJWT, jose, Nimbus, ...) accepts the tokens. A key's id
(``kid``) is its RFC 7638 thumbprint: the same key has the same id in every process, and
publishing a new key never reuses an old id.
"""

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..auth.bearer.key_files import private_pem, write_once
from ..config import Environment, SettingsError
from .settings import AccountsSettings

ALGORITHM = "EdDSA"
DEVELOPMENT_KEY_FILE = Path("var") / "dev-accounts-key.pem"
PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.DOTALL)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    key_id: str
    public_jwk: dict[str, str]

    @classmethod
    def of(cls, private_key: Ed25519PrivateKey) -> "SigningKey":
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        # RFC 7638: the required members, in lexicographic order, without whitespace.
        required = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
        key_id = _b64url(hashlib.sha256(orjson.dumps(required)).digest())
        public_jwk = {**required, "kid": key_id, "use": "sig", "alg": ALGORITHM}
        return cls(private_key, key_id, public_jwk)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


class SigningKeys:
    """The keys of the service, newest first. Also the bearer scheme's key source (by ``kid``)."""

    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("no signing key")
        self.keys = keys
        self.by_id = {key.key_id: key.public_key for key in keys}

    @property
    def signing(self) -> SigningKey:
        return self.keys[0]

    def jwks(self) -> dict[str, Any]:
        """The public keys as a JWK set (RFC 7517), for ``/.well-known/jwks.json``."""
        return {"keys": [key.public_jwk for key in self.keys]}

    # The bearer scheme's KeySource.
    @property
    def loaded(self) -> bool:
        return True

    @property
    def may_refresh(self) -> bool:
        return False

    def find(self, key_id: str | None) -> Ed25519PublicKey | None:
        return None if key_id is None else self.by_id.get(key_id)

    async def refresh(self) -> None:
        """The keys change with the settings only."""


def parse_keys(text: str) -> list[SigningKey]:
    """Every PEM private key in ``text``, in order; ValueError if one is not Ed25519."""
    keys = []
    for block in PEM_BLOCK.findall(text):
        key = serialization.load_pem_private_key(block.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("a signing key is not an Ed25519 private key")
        keys.append(SigningKey.of(key))
    if not keys:
        raise ValueError("no PEM private key found")
    return keys


def load_signing_keys(settings: AccountsSettings, environment: Environment) -> SigningKeys:
    """The configured keys; in development and test, a key of the machine's when none is."""
    configured = settings.configured_keys
    if configured is not None:
        try:
            return SigningKeys(parse_keys(configured))
        except (ValueError, TypeError) as error:
            raise SettingsError(f"invalid setting ACCOUNTS_SIGNING_KEYS: {error}") from None
    if environment not in (Environment.DEVELOPMENT, Environment.TEST):
        raise SettingsError(
            "invalid setting ACCOUNTS_SIGNING_KEYS: set it or ACCOUNTS_SIGNING_KEYS_FILE "
            "(make signing-key prints one); a development key stands in for development and test"
        )
    if not DEVELOPMENT_KEY_FILE.exists():
        write_once(DEVELOPMENT_KEY_FILE, private_pem(Ed25519PrivateKey.generate()))
    return SigningKeys(parse_keys(DEVELOPMENT_KEY_FILE.read_text("ascii")))


def new_key_pem() -> str:
    """A new signing key in PEM, for ``python -m <package> signing-key``."""
    return private_pem(Ed25519PrivateKey.generate()).decode("ascii")
