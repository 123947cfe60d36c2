"""When a member last opened the project's web page ("new since your last visit").

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "web_visits",
        sa.Column("person_id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_web_visits_person_id_persons"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_web_visits_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", "project_id", name=op.f("pk_web_visits")),
    )


def downgrade() -> None:
    op.drop_table("web_visits")
