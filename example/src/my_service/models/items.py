"""The ``items`` table."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, TimestampMixin


class ItemRecord(TimestampMixin, Base):
    __tablename__ = "items"
    # SQLite would otherwise reuse the id of the last row after it is deleted.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (read by SQLAlchemy)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(String(1000))
