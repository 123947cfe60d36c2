"""Outbox for nudges and reminders; reminder settings per project and person; pausing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', ID, nullable=False),
    sa.Column('chat', sa.String(length=64), nullable=False),
    sa.Column('person_id', ID, nullable=True),
    sa.Column('project_id', ID, nullable=True),
    sa.Column('side_id', ID, nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('debounce_key', sa.String(length=200), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('due_at', TIMESTAMP, nullable=False),
    sa.Column('created_at', TIMESTAMP, nullable=False),
    sa.Column('claimed_until', TIMESTAMP, nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', TIMESTAMP, nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_outbox_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_outbox_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['side_id'], ['sides.id'], name=op.f('fk_outbox_side_id_sides'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_debounce', ['debounce_key', 'state'], unique=False)
        batch_op.create_index('ix_outbox_side_kind', ['side_id', 'kind', 'created_at'], unique=False)
        batch_op.create_index('ix_outbox_state_due', ['state', 'due_at'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reminders', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_days', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('reminder_repeat_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.add_column(sa.Column('reminder_max', sa.Integer(), server_default='3', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('reminder_max')
        batch_op.drop_column('reminder_repeat_days')
        batch_op.drop_column('reminder_days')

    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_column('reminders')
        batch_op.drop_column('timezone')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('paused')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_state_due')
        batch_op.drop_index('ix_outbox_side_kind')
        batch_op.drop_index('ix_outbox_debounce')

    op.drop_table('outbox')
