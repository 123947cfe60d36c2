"""Each side's latest activity, indexed, so the reminder scan does not aggregate all answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sides", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_sides_last_activity_at"), ["last_activity_at"], unique=False)
    # Existing sides: their newest answer, else their newest member's joining.
    op.execute(
        "UPDATE sides SET last_activity_at = COALESCE("
        "(SELECT MAX(answers.created_at) FROM answers WHERE answers.side_id = sides.id), "
        "(SELECT MAX(members.joined_at) FROM members WHERE members.side_id = sides.id))"
    )


def downgrade() -> None:
    with op.batch_alter_table("sides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sides_last_activity_at"))
        batch_op.drop_column("last_activity_at")
