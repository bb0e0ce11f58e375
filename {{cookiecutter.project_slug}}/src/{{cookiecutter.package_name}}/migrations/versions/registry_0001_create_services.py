"""Create the service registry's table of registrations.

Revision ID: registry_0001
Revises: 0001
Created: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "registry_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registry_services",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("registration", sa.JSON(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_services")),
    )


def downgrade() -> None:
    op.drop_table("registry_services")
