"""Initial schema: people, projects, sides, members, answer revisions, sign-offs, agreements, invites.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Integer keys: BIGINT on PostgreSQL, INTEGER (rowid) on SQLite; UTC timestamps.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('persons',
    sa.Column('id', ID, nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=True),
    sa.Column('private_chat', sa.String(length=64), nullable=True),
    sa.Column('current_project_id', ID, nullable=True),
    sa.Column('unreachable', sa.Boolean(), nullable=False),
    sa.Column('created_at', TIMESTAMP, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('external_id', name=op.f('uq_persons_external_id'))
    )
    op.create_table('processed_inputs',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('processed_at', TIMESTAMP, nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_processed_inputs'))
    )
    with op.batch_alter_table('processed_inputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processed_inputs_processed_at'), ['processed_at'], unique=False)

    op.create_table('chat_states',
    sa.Column('person_id', ID, nullable=False),
    sa.Column('chat', sa.String(length=64), nullable=False),
    sa.Column('pending', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_chat_states_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'chat', name=op.f('pk_chat_states'))
    )
    op.create_table('projects',
    sa.Column('id', ID, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_by', ID, nullable=True),
    sa.Column('created_at', TIMESTAMP, nullable=False),
    sa.Column('closed_at', TIMESTAMP, nullable=True),
    sa.Column('closed_reason', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['persons.id'], name=op.f('fk_projects_created_by_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    op.create_table('agreements',
    sa.Column('id', ID, nullable=False),
    sa.Column('project_id', ID, nullable=False),
    sa.Column('phase_id', sa.String(length=32), nullable=False),
    sa.Column('revision_ids', sa.JSON(), nullable=False),
    sa.Column('signoff_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', TIMESTAMP, nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_agreements_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_project_id'), ['project_id'], unique=False)

    op.create_table('invites',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('project_id', ID, nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_by', ID, nullable=True),
    sa.Column('created_at', TIMESTAMP, nullable=False),
    sa.Column('expires_at', TIMESTAMP, nullable=False),
    sa.Column('revoked_at', TIMESTAMP, nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['persons.id'], name=op.f('fk_invites_created_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_invites_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_invites'))
    )
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invites_project_id'), ['project_id'], unique=False)

    op.create_table('sides',
    sa.Column('id', ID, nullable=False),
    sa.Column('project_id', ID, nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('group_chat', sa.String(length=64), nullable=True),
    sa.Column('group_locale', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_sides_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sides')),
    sa.UniqueConstraint('group_chat', name=op.f('uq_sides_group_chat')),
    sa.UniqueConstraint('project_id', 'role', name=op.f('uq_sides_project_id'))
    )
    op.create_table('answers',
    sa.Column('id', ID, nullable=False),
    sa.Column('side_id', ID, nullable=False),
    sa.Column('question_key', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('author_id', ID, nullable=True),
    sa.Column('created_at', TIMESTAMP, nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['persons.id'], name=op.f('fk_answers_author_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['side_id'], ['sides.id'], name=op.f('fk_answers_side_id_sides'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_side_question', ['side_id', 'question_key', 'id'], unique=False)

    op.create_table('members',
    sa.Column('side_id', ID, nullable=False),
    sa.Column('person_id', ID, nullable=False),
    sa.Column('joined_at', TIMESTAMP, nullable=False),
    sa.Column('muted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_members_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['side_id'], ['sides.id'], name=op.f('fk_members_side_id_sides'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('side_id', 'person_id', name=op.f('pk_members'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_person_id'), ['person_id'], unique=False)

    op.create_table('signoffs',
    sa.Column('id', ID, nullable=False),
    sa.Column('project_id', ID, nullable=False),
    sa.Column('phase_id', sa.String(length=32), nullable=False),
    sa.Column('side_id', ID, nullable=False),
    sa.Column('person_id', ID, nullable=True),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('revision_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', TIMESTAMP, nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_signoffs_person_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_signoffs_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['side_id'], ['sides.id'], name=op.f('fk_signoffs_side_id_sides'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signoffs'))
    )
    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.create_index('ix_signoffs_project_phase', ['project_id', 'phase_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.drop_index('ix_signoffs_project_phase')

    op.drop_table('signoffs')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_person_id'))

    op.drop_table('members')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_side_question')

    op.drop_table('answers')
    op.drop_table('sides')
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invites_project_id'))

    op.drop_table('invites')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_project_id'))

    op.drop_table('agreements')
    op.drop_table('projects')
    op.drop_table('chat_states')
    with op.batch_alter_table('processed_inputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processed_inputs_processed_at'))

    op.drop_table('processed_inputs')
    op.drop_table('persons')
