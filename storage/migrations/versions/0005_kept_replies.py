"""Kept replies (sent again for a redelivered update) and the parts of a nudge already delivered.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_inputs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", ID, nullable=True))
        batch_op.add_column(sa.Column("reply", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_processed_inputs_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parts_sent", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("parts_sent")
    with op.batch_alter_table("processed_inputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_inputs_person_id"))
        batch_op.drop_column("reply")
        batch_op.drop_column("person_id")
