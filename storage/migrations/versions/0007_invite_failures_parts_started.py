"""Failed invite attempts per person (guessing invite codes is rate-limited), and the outbox part in flight.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "invite_failures",
        sa.Column("id", ID, nullable=False, autoincrement=True),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_invite_failures_person_id_persons"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_failures")),
    )
    op.create_index("ix_invite_failures_person_at", "invite_failures", ["person_id", "at"], unique=False)
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("parts_started", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("parts_started")
    op.drop_index("ix_invite_failures_person_at", table_name="invite_failures")
    op.drop_table("invite_failures")
