"""Where refresh tokens are kept: in Redis, which every worker and replica shares, each key
expiring with its token or its login (the users stay in the database)."""

from ..redis.feature import RedisFeature
from ..state import ServiceState
from .redis_refresh_tokens import RedisRefreshTokens
from .refresh_tokens import RefreshTokenStore
from .settings import AccountsSettings


def refresh_token_store(state: ServiceState, settings: AccountsSettings) -> RefreshTokenStore:
    redis = state.feature(RedisFeature)
    if redis.client is None:
        raise RuntimeError("the accounts start after Redis (features.py)")
    return RedisRefreshTokens(redis.client, redis.settings.key_prefix, settings)
