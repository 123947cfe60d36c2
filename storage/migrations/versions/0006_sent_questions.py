"""Question messages the bot sent, so a reply to one is filed under that question.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sent_questions",
        sa.Column("chat", sa.String(64), nullable=False),
        sa.Column("message_ref", sa.String(64), nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("question_key", sa.String(128), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_sent_questions_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("chat", "message_ref", name=op.f("pk_sent_questions")),
    )
    op.create_index(op.f("ix_sent_questions_sent_at"), "sent_questions", ["sent_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sent_questions_sent_at"), table_name="sent_questions")
    op.drop_table("sent_questions")
