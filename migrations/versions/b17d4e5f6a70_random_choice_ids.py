"""choices.id random (BIGINT on PostgreSQL): the ids a participant sees no longer follow the
bank's A, B, C, D order. Choices of questions never drawn get new random ids here; those of
questions some attempt drew keep theirs (answers and attempts refer to them)

Revision ID: b17d4e5f6a70
Revises: a17c01d2e3f4
Create Date: 2026-12-03 10:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

from contest.models.banks import new_choice_id


# revision identifiers, used by Alembic.
revision = 'b17d4e5f6a70'
down_revision = 'a17c01d2e3f4'
branch_labels = None
depends_on = None

choices = sa.table('choices', sa.column('id', sa.BigInteger),
                   sa.column('question_id', sa.Integer))
drawn = sa.table('attempt_questions', sa.column('question_id', sa.Integer))


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name == 'postgresql':
        op.execute('ALTER TABLE choices ALTER COLUMN id TYPE BIGINT')
    never_drawn = sa.select(choices.c.id).where(
        choices.c.question_id.not_in(sa.select(drawn.c.question_id).distinct()))
    old_ids = connection.execute(never_drawn).scalars().all()
    taken = set(connection.execute(sa.select(choices.c.id)).scalars())
    for old in old_ids:
        new = new_choice_id()
        while new in taken:
            new = new_choice_id()
        taken.add(new)
        connection.execute(choices.update().where(choices.c.id == old).values(id=new))


def downgrade():
    pass  # random ids stay valid ids; PostgreSQL keeps BIGINT (narrowing could not hold them)
