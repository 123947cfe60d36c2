"""Remember which sides the reminder scan found nothing to remind of, until their project changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("sides", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminders_checked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sides", schema=None) as batch_op:
        batch_op.drop_column("reminders_checked_at")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("changed_at")
