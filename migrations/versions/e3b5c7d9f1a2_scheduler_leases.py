"""scheduler leases: one process at a time runs the time-driven jobs (finalising rounds,
closing expired attempts), whatever the number of workers and hosts

Revision ID: e3b5c7d9f1a2
Revises: d17f6a7b8c92
Create Date: 2026-12-03 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b5c7d9f1a2'
down_revision = 'd17f6a7b8c92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scheduler_leases',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('holder', sa.String(length=120), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name'))


def downgrade():
    op.drop_table('scheduler_leases')
