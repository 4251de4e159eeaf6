"""rounds.prize_snapshot: the confirmed prize list as it was confirmed (the collective ranking
with its figures and prizes, each winner's unit), so that a later unit-list upload changes
neither its rates nor its order. Rounds confirmed before this revision keep NULL here and get
their snapshot the first time their confirmed list is read (services.prize_snapshot): the
figures of that moment are the nearest to their confirmation that can be had, and computing
them here would need the application's ranking code inside a migration.

Revision ID: b62570df192c
Revises: e4c1a7b2d9f0
Create Date: 2026-12-03 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b62570df192c'
down_revision = 'e4c1a7b2d9f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.add_column(sa.Column('prize_snapshot', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.drop_column('prize_snapshot')
