"""Where refresh tokens are kept: the database's table (with Redis, ``refresh_store.redis.py``
keeps them there instead)."""

from ..db.feature import DatabaseFeature
from ..state import ServiceState
from .refresh_tokens import RefreshTokenStore
from .settings import AccountsSettings
from .sql_refresh_tokens import SqlRefreshTokens


def refresh_token_store(state: ServiceState, settings: AccountsSettings) -> RefreshTokenStore:
    return SqlRefreshTokens(state.feature(DatabaseFeature).database, settings)
