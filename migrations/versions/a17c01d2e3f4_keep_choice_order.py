"""questions.keep_choice_order: drawn with the choices in the bank's order; existing questions
whose choices refer to others ("Tất cả các phương án trên", "Cả A và B") get it set by the
same rule as an import (question_bank.choice_order)

Revision ID: a17c01d2e3f4
Revises: 8d2f4a6b9c31
Create Date: 2026-12-03 10:40:00.000000

"""
from collections import defaultdict

from alembic import op
import sqlalchemy as sa

from question_bank.choice_order import needs_fixed_order


# revision identifiers, used by Alembic.
revision = 'a17c01d2e3f4'
down_revision = '8d2f4a6b9c31'
branch_labels = None
depends_on = None

questions = sa.table('questions', sa.column('id', sa.Integer),
                     sa.column('keep_choice_order', sa.Boolean))
choices = sa.table('choices', sa.column('question_id', sa.Integer), sa.column('text', sa.Text))


def upgrade():
    # A plain ADD COLUMN on both databases (a batch copy of questions on SQLite would trip the
    # foreign keys of choices and attempt_questions).
    op.add_column('questions', sa.Column('keep_choice_order', sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    connection = op.get_bind()
    texts = defaultdict(list)
    for question_id, text in connection.execute(sa.select(choices.c.question_id,
                                                          choices.c.text)):
        texts[question_id].append(text)
    keep = [question_id for question_id, found in texts.items() if needs_fixed_order(found)]
    for start in range(0, len(keep), 500):
        connection.execute(questions.update().where(questions.c.id.in_(keep[start:start + 500]))
                           .values(keep_choice_order=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+), for the same reason.
    op.execute('ALTER TABLE questions DROP COLUMN keep_choice_order')
