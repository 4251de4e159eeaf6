"""rounds.score_display: the score shown right after submit or only after the round closes;
existing rounds follow the default rule (after the close when more than one attempt is allowed)

Revision ID: c17e5f6a7b81
Revises: b17d4e5f6a70
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c17e5f6a7b81'
down_revision = 'b17d4e5f6a70'
branch_labels = None
depends_on = None

rounds = sa.table('rounds', sa.column('max_attempts', sa.Integer),
                  sa.column('score_display', sa.String))


def upgrade():
    op.add_column('rounds', sa.Column('score_display', sa.String(length=20), nullable=False,
                                      server_default='after_submit'))
    op.execute(rounds.update().where(rounds.c.max_attempts != 1)
               .values(score_display='after_close'))


def downgrade():
    op.execute('ALTER TABLE rounds DROP COLUMN score_display')
