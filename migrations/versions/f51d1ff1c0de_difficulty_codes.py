"""difficulty stored as a code (easy, medium, hard), no longer as its Vietnamese word

Revision ID: f51d1ff1c0de
Revises: 70601cbd8a89
Create Date: 2026-12-07 15:10:00.000000

Keeps today's data: every question's difficulty and every round's draw quota that names one
("Dễ", "Trung bình", "Khó") gets the code; anything else is left as it is. The downgrade writes
the words back. Audit entries keep the words they were written with (they are history).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f51d1ff1c0de'
down_revision = '70601cbd8a89'
branch_labels = None
depends_on = None

# fixed here, not imported: a migration must not change when the app's vocabulary does
CODES = {"Dễ": "easy", "Trung bình": "medium", "Khó": "hard"}

questions = sa.table("questions", sa.column("difficulty", sa.String))
rounds = sa.table("rounds", sa.column("id", sa.Integer), sa.column("draw_quotas", sa.JSON))


def _convert(mapping: dict[str, str]) -> None:
    conn = op.get_bind()
    for old, new in mapping.items():
        conn.execute(
            questions.update().where(questions.c.difficulty == old).values(difficulty=new)
        )
    for rid, quotas in conn.execute(sa.select(rounds.c.id, rounds.c.draw_quotas)).all():
        if not isinstance(quotas, list):
            continue
        changed = [
            {**q, "difficulty": mapping[q["difficulty"]]}
            if isinstance(q, dict) and q.get("difficulty") in mapping
            else q
            for q in quotas
        ]
        if changed != quotas:
            conn.execute(rounds.update().where(rounds.c.id == rid).values(draw_quotas=changed))


def upgrade():
    _convert(CODES)


def downgrade():
    _convert({code: word for word, code in CODES.items()})
