"""Each organisation's currency: what an amount typed without one is in.

`sides.currency` is an ISO 4217 code (DKK, NOK, SEK, EUR …), NULL until it is known: a side made
before this revision is in the currency its organisation's name and its members' language suggest
(`bot.engine.currency.side_currency`); stored answers keep the currency they were stored with.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sides") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sides") as batch:
        batch.drop_column("currency")
