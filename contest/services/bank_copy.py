"""New questions and their choices written with COPY on PostgreSQL (bank_store.add_questions).

A 10,000-question import as multi-row INSERTs spends most of its save in psycopg splitting the
statements into placeholders and in the 40,000 choice rows' executemany; COPY sends the rows as
one stream. It runs on the session's own connection, inside the request's transaction: nothing
here commits, and a failure (a COPY refused, an error after it) is undone by the caller's
rollback like any other write.

The questions' ids are taken from their sequence first, in one statement (nextval is atomic:
two imports at once never get the same id), so the choices can name their question in the same
pass; the rows written are those the INSERT path writes (bank_store.question_row, a random
choice id from new_choice_id), value for value.
"""

from sqlalchemy import text

from question_bank.parsed import ParsedQuestion

from ..extensions import db
from ..models.banks import CONTENT_FIELDS, new_choice_id
from ..transaction import note_write

# the columns of bank_store.question_row, with the id first
QUESTION_COLUMNS = ("id", "bank_id", "position", "code", *CONTENT_FIELDS, "retired")
CHOICE_COLUMNS = ("id", "question_id", "position", "label", "text", "correct")


def reserve_question_ids(n: int) -> list[int]:
    """n new ids from the questions' sequence, ascending (the order an INSERT would give)."""
    return sorted(
        db.session.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence('questions', 'id'))"
                " FROM generate_series(1, :n)"
            ),
            {"n": n},
        )
    )


def copy_questions(rows: list[dict], questions: list[ParsedQuestion]) -> list[int]:
    """COPY the question rows (bank_store.question_row, without id) and their choices; returns
    the questions' ids in order."""
    db.session.flush()  # what the session holds is written before the rows that follow it
    ids = reserve_question_ids(len(rows))
    connection = db.session.connection().connection.driver_connection
    note_write()
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY questions ({', '.join(QUESTION_COLUMNS)}) FROM STDIN") as copy:
            for qid, row in zip(ids, rows, strict=True):
                copy.write_row((qid, *(row[column] for column in QUESTION_COLUMNS[1:])))
        with cursor.copy(f"COPY choices ({', '.join(CHOICE_COLUMNS)}) FROM STDIN") as copy:
            for qid, q in zip(ids, questions, strict=True):
                for pos, c in enumerate(q.choices):
                    copy.write_row((new_choice_id(), qid, pos, c.label, c.text, c.correct))
    return ids
