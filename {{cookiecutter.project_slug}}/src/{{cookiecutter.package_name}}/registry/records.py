"""The ``registry_services`` table: each registration as the client sent it (validated), so a
registration that gains fields stays readable without a migration."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, UtcDateTime


class RegisteredService(Base):
    __tablename__ = "registry_services"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    registration: Mapped[dict[str, Any]] = mapped_column(JSON)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
