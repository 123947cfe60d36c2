"""What answer an outbox message tells of: an undo withdraws it, or tells its readers once.

`outbox.answer_id` is the id of the answer revision whose change the message is about (a nudge that
a tool is finished, a decision, a card); NULL for everything else and for rows made before.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("answer_id", sa.Integer(), nullable=True))
        batch.create_index("ix_outbox_answer", ["answer_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_answer")
        batch.drop_column("answer_id")
