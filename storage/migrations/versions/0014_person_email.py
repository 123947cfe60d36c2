"""A person's e-mail address and where they are told: in the chat, by mail or both.

`persons.email` is an address the person gave; nothing but its confirmation mail is sent to it until
`email_confirmed_at` is set (by the link in that mail). `told_by` is chat, mail or both (NULL: in the
chat, or by mail for someone without a chat). `/forget` removes all three with the person.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
        batch.add_column(sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("told_by", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_column("told_by")
        batch.drop_column("email_confirmed_at")
        batch.drop_column("email")
