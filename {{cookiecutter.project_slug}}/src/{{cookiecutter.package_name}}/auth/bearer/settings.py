"""The settings of bearer tokens: ``AUTH_JWKS_URL``, ``AUTH_ISSUER``, ``AUTH_ALGORITHMS``, ...

The key comes from one place: an identity provider's JWKS URL, a PEM public key, or a shared
HS256 secret. The algorithms are an allow-list of one family: ``none`` is never accepted, and a
secret never verifies a public-key algorithm nor a public key an HMAC one (the classic
confusion of a token signed with HS256 using the RSA public key as the secret).
"""

from typing import Annotated, Self

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import Field, HttpUrl, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode

from ...config import comma_separated, feature_settings

HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
PUBLIC_KEY_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
MIN_SECRET_BYTES = 32  # RFC 7518, section 3.2: at least the hash's size


class BearerSettings(BaseSettings):
    model_config = feature_settings("AUTH_")

    jwks_url: HttpUrl | None = Field(default=None, description="The identity provider's keys.")
    jwt_public_key: str | None = Field(default=None, description="A PEM public key instead.")
    jwt_secret: SecretStr | None = Field(default=None, description="An HS256 secret instead.")
    issuer: str | None = Field(default=None, description="The required iss claim.")
    audience: str | None = Field(default=None, description="The required aud claim.")
    algorithms: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Accepted, comma-separated (default RS256, or HS256)."
    )
    leeway_seconds: int = Field(default=30, ge=0, le=300, description="Clock skew allowed.")
    jwks_cooldown_seconds: float = Field(
        default=30, gt=0, description="Least time between two fetches of the JWKS."
    )
    jwks_max_age_seconds: float = Field(
        default=3600, ge=60, description="The JWKS is fetched again this often."
    )
    jwks_timeout_seconds: float = Field(default=5, gt=0, description="One fetch of the JWKS.")
    token_cache_size: int = Field(
        default=10_000, ge=0, description="Verified tokens remembered until they expire (0: off)."
    )

    @field_validator("algorithms", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return comma_separated(value)

    @field_validator("algorithms")
    @classmethod
    def _known_algorithms(cls, algorithms: list[str]) -> list[str]:
        if any(algorithm.lower() == "none" for algorithm in algorithms):
            raise ValueError("'none' is never accepted")
        unknown = set(algorithms) - HMAC_ALGORITHMS - PUBLIC_KEY_ALGORITHMS
        if unknown:
            raise ValueError(f"unknown algorithms {sorted(unknown)}")
        if set(algorithms) & HMAC_ALGORITHMS and set(algorithms) - HMAC_ALGORITHMS:
            raise ValueError("HMAC (HS*) and public-key algorithms cannot be mixed")
        return algorithms

    @field_validator("jwt_public_key")
    @classmethod
    def _pem_public_key(cls, pem: str | None) -> str | None:
        if pem is not None:
            try:
                load_pem_public_key(pem.encode())
            except ValueError:
                raise ValueError("not a PEM public key") from None
        return pem

    @field_validator("jwt_secret")
    @classmethod
    def _long_secret(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and len(secret.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"must be at least {MIN_SECRET_BYTES} bytes")
        return secret

    @model_validator(mode="after")
    def _one_key_for_its_algorithms(self) -> Self:
        sources = [self.jwks_url, self.jwt_public_key, self.jwt_secret]
        if sum(source is not None for source in sources) > 1:
            raise ValueError(
                "set only one of AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY and AUTH_JWT_SECRET"
            )
        algorithms = set(self.accepted_algorithms)
        if self.jwt_secret is not None and algorithms - HMAC_ALGORITHMS:
            raise ValueError("AUTH_JWT_SECRET verifies HMAC algorithms only (AUTH_ALGORITHMS)")
        if self.jwt_secret is None and algorithms & HMAC_ALGORITHMS:
            raise ValueError("HMAC algorithms in AUTH_ALGORITHMS need AUTH_JWT_SECRET")
        return self

    @property
    def has_key(self) -> bool:
        return any(s is not None for s in (self.jwks_url, self.jwt_public_key, self.jwt_secret))

    @property
    def accepted_algorithms(self) -> list[str]:
        if self.algorithms:
            return self.algorithms
        return ["HS256"] if self.jwt_secret is not None else ["RS256"]
