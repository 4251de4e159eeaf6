"""contests.signin_mode and contests.signin_password_hash: how participants sign in for a
contest (phone + password, phone + CCCD, phone + birth date) and an optional contest password

Revision ID: 6108ff2c62c1
Revises: 7c3e9a41b5d2
Create Date: 2026-12-04 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6108ff2c62c1'
down_revision = '7c3e9a41b5d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contests') as batch:
        batch.add_column(sa.Column('signin_mode', sa.String(length=20), nullable=False,
                                   server_default='password'))
        batch.add_column(sa.Column('signin_password_hash', sa.String(length=255),
                                   nullable=True))


def downgrade():
    # a plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of `contests` could not drop
    # the old table while rounds and other tables refer to it
    for column in ('signin_password_hash', 'signin_mode'):
        op.execute(f'ALTER TABLE contests DROP COLUMN {column}')
