"""Where a member is told about their side: whether they read the team group, and their choice.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_group", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("notify_where", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("notify_where")
        batch_op.drop_column("in_group")
