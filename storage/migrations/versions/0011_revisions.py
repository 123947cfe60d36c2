"""Revision counters: what a turn read of a project is still current if the counter is unchanged.

`sides.revision` counts the side's answer writes, `projects.revision` every other change of the
project (its sides, members, sign-offs and agreements). A process keeps what it read with the
counter it read it at, and reads it again only when a counter moved.

Also an index on the outbox by project: withdrawing a project's stale nudges scanned the whole
outbox (8 ms with 10,000 projects' messages).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("sides") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_outbox_project_state", "outbox", ["project_id", "state"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_project_state", table_name="outbox")
    with op.batch_alter_table("sides") as batch:
        batch.drop_column("revision")
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("revision")
