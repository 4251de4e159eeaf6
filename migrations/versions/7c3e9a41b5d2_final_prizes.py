"""the contest's final prizes (tier counts, confirmation, snapshot, voids, awards) and the
certificate batches built in the background

Revision ID: 7c3e9a41b5d2
Revises: 9218c1352ef9
Create Date: 2026-12-04 20:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9a41b5d2'
down_revision = '9218c1352ef9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contests') as batch:
        for name, default in (('first', '1'), ('second', '2'), ('third', '3'),
                              ('consolation', '5')):
            batch.add_column(sa.Column(f'final_prize_{name}', sa.Integer(), nullable=False,
                                       server_default=default))
        batch.add_column(sa.Column('final_prizes_confirmed_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('final_prize_snapshot', sa.JSON(), nullable=True))
    op.create_table(
        'final_prize_voids',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('voided_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('contest_id', 'user_id', name='uq_final_void_user'))
    op.create_index('ix_final_prize_voids_contest_id', 'final_prize_voids', ['contest_id'])
    op.create_table(
        'final_awards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('prize', sa.String(length=20), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('rounds_taken', sa.Integer(), nullable=False),
        sa.Column('total_score', sa.Double(), nullable=False),
        sa.Column('total_duration_ms', sa.Integer(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('contest_id', 'user_id', name='uq_final_award_user'))
    op.create_index('ix_final_awards_contest_id', 'final_awards', ['contest_id'])
    op.create_index('ix_final_awards_user_id', 'final_awards', ['user_id'])
    op.create_table(
        'certificate_batches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id']),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id']),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_certificate_batches_organisation_id', 'certificate_batches',
                    ['organisation_id'])


def downgrade():
    op.drop_index('ix_certificate_batches_organisation_id', table_name='certificate_batches')
    op.drop_table('certificate_batches')
    op.drop_index('ix_final_awards_user_id', table_name='final_awards')
    op.drop_index('ix_final_awards_contest_id', table_name='final_awards')
    op.drop_table('final_awards')
    op.drop_index('ix_final_prize_voids_contest_id', table_name='final_prize_voids')
    op.drop_table('final_prize_voids')
    # a plain DROP COLUMN (SQLite 3.35+, PostgreSQL): the batch's copy of `contests` could not
    # drop the old table while rounds refer to it
    for column in ('final_prize_snapshot', 'final_prizes_confirmed_at', 'final_prize_consolation',
                   'final_prize_third', 'final_prize_second', 'final_prize_first'):
        op.execute(f'ALTER TABLE contests DROP COLUMN {column}')
