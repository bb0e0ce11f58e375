"""``AUTH_API_KEYS``: the keys accepted, as JSON, key id -> the SHA-256 of its secret and its
scopes, for example ``{"billing": {"hash": "9f86d0...", "scopes": ["items:write"]}}``.

Several keys at once is how a key is rotated: add the new one, move the client over, then mark
the old one ``"revoked": true`` (or remove it).
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic_settings import BaseSettings

from ...config import feature_settings

# Key ids appear in keys ("<id>.<secret>") and logs: short and plain, no dot.
KEY_ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
KeyId = Annotated[str, StringConstraints(pattern=f"^{KEY_ID_PATTERN}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ApiKey(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hash: Sha256 = Field(description="The SHA-256 of the secret, in lower-case hex.")
    scopes: frozenset[str] = frozenset()
    revoked: bool = False


class ApiKeySettings(BaseSettings):
    model_config = feature_settings("AUTH_")

    api_keys: dict[KeyId, ApiKey] = Field(
        default_factory=dict, description="Key id -> its secret's SHA-256, scopes, revoked."
    )
