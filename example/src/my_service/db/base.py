"""The declarative base of every table, and the timestamp columns they share."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, TypeDecorator
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

# Constraint names that migrations can refer to, the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(AsyncAttrs, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp. SQLite keeps no zone, so what it returns is marked as UTC,
    which is what ``utcnow()`` stores there."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class utcnow(FunctionElement[datetime]):  # noqa: N801 (named like the SQL functions it stands for)
    """The database's clock: ``CURRENT_TIMESTAMP``, to the millisecond on SQLite (whose own
    ``CURRENT_TIMESTAMP`` stops at the second)."""

    type = UtcDateTime()
    inherit_cache = True


@compiles(utcnow)
def _current_timestamp(element: utcnow, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utcnow, "sqlite")
def _sqlite_now(element: utcnow, compiler: SQLCompiler, **kw: Any) -> str:
    return "(strftime('%Y-%m-%d %H:%M:%f000', 'now'))"


class TimestampMixin:
    """``created_at`` and ``updated_at``, both set by the database and read back on write."""

    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 (read by SQLAlchemy, not mutated)

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=utcnow())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, server_default=utcnow(), onupdate=utcnow()
    )
