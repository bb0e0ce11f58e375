"""A development helper: tokens signed with a local key, to try /docs and to test by hand.

Mounted as ``POST /dev/token`` in development and test only, and only when the service signs
nothing real: the development key (when no key is configured) or the development secret. The
key is made once and kept in ``var/`` (git-ignored), so every worker and every reload accepts the
tokens of the others.
"""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from .key_files import private_pem, write_once
from .settings import BearerSettings

KEY_FILE = Path("var") / "dev-jwt-key.pem"


@dataclass(frozen=True)
class DevelopmentKey:
    private_pem: str
    public_pem: str

    @classmethod
    def load_or_create(cls, path: Path | None = None) -> "DevelopmentKey":
        path = path or KEY_FILE
        if not path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            write_once(path, private_pem(key))
        private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(path.read_text("ascii"), public_pem.decode("ascii"))


class TokenRequest(BaseModel):
    subject: str = Field(default="developer", min_length=1, max_length=200)
    scopes: list[str] = Field(default_factory=lambda: ["items:write"], max_length=50)
    expires_in: int = Field(default=3600, ge=1, le=86_400, description="Seconds.")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 (the scheme's name, not a secret)
    expires_in: int


def dev_token_routes(signing_key: str, algorithm: str, settings: BearerSettings) -> APIRouter:
    router = APIRouter(prefix="/dev", tags=["development"])

    @router.post("/token", summary="Issue a development token (development and test only)")
    async def issue_token(
        request: Annotated[TokenRequest, Body()] = TokenRequest(),  # noqa: B008
    ) -> TokenResponse:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": request.subject,
            "scope": " ".join(request.scopes),
            "iat": now,
            "exp": now + request.expires_in,
        }
        if settings.issuer:
            claims["iss"] = settings.issuer
        if settings.audience:
            claims["aud"] = settings.audience
        token = jwt.encode(claims, signing_key, algorithm=algorithm)
        return TokenResponse(access_token=token, expires_in=request.expires_in)

    return router
