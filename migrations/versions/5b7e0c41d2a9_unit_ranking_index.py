"""unit ranking index: entries by round and unit, covering the unit ranking's aggregate

Revision ID: 5b7e0c41d2a9
Revises: 2cc1272fb45b
Create Date: 2026-11-22 11:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e0c41d2a9'
down_revision = '2cc1272fb45b'
branch_labels = None
depends_on = None


def upgrade():
    # contest.ranking.unit_figures reads only this index: people, entries and the score total
    # per unit of a round, without touching the table.
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.create_index('ix_entry_unit_stats',
                              ['round_id', 'unit_id', 'user_id', 'score', 'voided'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_unit_stats')
