"""rounds.excluded_question_ids: questions a round never draws (their key was published
before it was created, and the organiser chose to draw only the others)

Revision ID: d17f6a7b8c92
Revises: c17e5f6a7b81
Create Date: 2026-12-03 11:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd17f6a7b8c92'
down_revision = 'c17e5f6a7b81'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('rounds', sa.Column('excluded_question_ids', sa.JSON(), nullable=False,
                                      server_default='[]'))


def downgrade():
    op.execute('ALTER TABLE rounds DROP COLUMN excluded_question_ids')
