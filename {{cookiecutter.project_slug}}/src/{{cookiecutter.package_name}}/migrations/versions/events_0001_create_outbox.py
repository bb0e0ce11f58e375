"""Create the events' outbox table.

Revision ID: events_0001
Revises: {{ "registry_0001" if cookiecutter.service_registry == "server" else "0001" }}
Created: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "events_0001"
down_revision: str | None = "{{ 'registry_0001' if cookiecutter.service_registry == 'server' else '0001' }}"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def now() -> sa.TextClause:
    """The database's clock as a column default: to the millisecond on SQLite."""
    if op.get_context().dialect.name == "sqlite":
        return sa.text("(strftime('%Y-%m-%d %H:%M:%f000', 'now'))")
    return sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "event_outbox",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_event_outbox")),
        sa.UniqueConstraint("id", name=op.f("uq_event_outbox_id")),
    )
    op.create_index("ix_event_outbox_pending", "event_outbox", ["sent_at", "seq"])


def downgrade() -> None:
    op.drop_index("ix_event_outbox_pending", table_name="event_outbox")
    op.drop_table("event_outbox")
