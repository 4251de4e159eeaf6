"""units can be deactivated; pending uploads say what they hold (a bank or a unit list)

Revision ID: 6fdc783774a7
Revises: 6108ff2c62c1
Create Date: 2026-12-04 20:10:00.000000

Existing units stay active; existing pending uploads are banks, as they all were.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6fdc783774a7'
down_revision = '6108ff2c62c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units') as batch:
        batch.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    with op.batch_alter_table('pending_uploads') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=False,
                                   server_default='bank'))


def downgrade():
    with op.batch_alter_table('pending_uploads') as batch:
        batch.drop_column('kind')
    with op.batch_alter_table('units') as batch:
        batch.drop_column('active')
