"""The accounts' tables: ``users`` and ``refresh_tokens``."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, TimestampMixin, UtcDateTime


class UserRecord(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (read by SQLAlchemy)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Normalised (passwords.normalise): "Alice" and "alice" are one account.
    username: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    scopes: Mapped[str] = mapped_column(String(1000), default="")  # space-separated
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class RefreshTokenRecord(Base):
    """One refresh token, by the SHA-256 of its value (the value itself is never stored).

    The tokens of one login form a family: each use rotates it (``used_at`` set, a new one in
    the family); a used one presented again revokes the family.
    """

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_family", "family"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)  # unused this long: expired
    family_expires_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the login's end
    scope: Mapped[str] = mapped_column(String(1000))  # granted at login, space-separated
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
