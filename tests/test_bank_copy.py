"""On PostgreSQL a bank's questions and choices are written with COPY (contest/services/
bank_copy.py): every stored field is what the INSERT path (bank_store.insert_questions, SQLite's)
stores for the same .xlsx, and a failure after the COPY, or a row the COPY refuses, leaves
nothing behind once the owner of the transaction rolls back."""

import threading

import pytest
from conftest import BANK_HEADERS, BANK_HEADERS_WITH_CODE, bank_rows, xlsx_bytes
from sqlalchemy import func, select

from contest.extensions import db
from contest.models import Bank, Choice, Question, User
from contest.models.banks import CHOICE_ID_MAX, CHOICE_ID_MIN
from contest.services import bank_store, banks
from contest.services.accounts import upsert_organiser
from contest.timing import utcnow
from question_bank.importer import parse_upload


def _rows() -> list[list]:
    """Plain questions, and values COPY's text format must escape or keep exactly."""
    rows = [[r[0], f"Q{r[0]:03d}", *r[1:]] for r in bank_rows(30)]
    rows[0][1] = None  # no code: NULL
    rows[1][2] = 'Tab\tnew line\nbackslash \\ and "quotes" \\N, Tiếng Việt: ữ ỷ đ?'
    rows[2][3:7] = ["Tất cả các phương án trên", "Cả A và B", "\\.", "D\r\nhai dòng"]
    rows[3][7] = "A, C"  # more than one correct
    rows[4][8] = "Giải thích\tcó tab"
    rows[5][11] = 1.5
    rows[6][11] = 2
    return rows


def _dump(bank_id: int) -> list[tuple]:
    """Every stored field of the bank's questions and their choices, ids aside."""
    questions = db.session.scalars(
        select(Question).where(Question.bank_id == bank_id).order_by(Question.position)
    ).all()
    skip = {"id", "bank_id"}
    columns = [c.key for c in Question.__table__.columns if c.key not in skip]
    return [
        (
            tuple((column, getattr(q, column)) for column in columns),
            [(c.position, c.label, c.text, c.correct) for c in q.choices],
        )
        for q in questions
    ]


def _types(bank_id: int) -> set[tuple]:
    """The Python types each stored column comes back as from the driver, over every row."""
    rows = db.session.execute(select(Question.__table__).where(Question.bank_id == bank_id))
    return {(key, type(value).__name__) for row in rows for key, value in row._mapping.items()}


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("COPY is PostgreSQL's path; SQLite keeps the INSERT statements")


def _import(data: bytes, user) -> Bank:
    return banks.import_bank(user, "Ngân hàng", "bank.xlsx", data, utcnow())


def _organiser():
    return upsert_organiser("btc@example.vn", "matkhau1", "BTC", None)


def test_copy_stores_what_the_insert_path_stores(app, postgresql, monkeypatch):
    data = xlsx_bytes([BANK_HEADERS_WITH_CODE] + _rows())
    assert parse_upload("bank.xlsx", data).ok
    more = xlsx_bytes(
        [BANK_HEADERS_WITH_CODE]
        + [[1, "Q900", "Câu thêm?", "a", "b", "c", "d", "B", "", "", "", 1]]
    )
    with app.app_context():
        user = _organiser()
        copied = _import(data, user)
        banks.import_into_bank(copied, "more.xlsx", more, user, utcnow())
        db.session.commit()
        with monkeypatch.context() as patch:  # PostgreSQL through SQLite's path
            patch.setattr(bank_store, "copy_questions", bank_store.insert_questions)
            inserted = _import(data, user)
            banks.import_into_bank(inserted, "more.xlsx", more, user, utcnow())
            db.session.commit()
        db.session.expire_all()
        assert len(_dump(copied.id)) == 31
        assert _dump(copied.id) == _dump(inserted.id)
        assert _types(copied.id) == _types(inserted.id)
        ids = db.session.scalars(
            select(Question.id).where(Question.bank_id == copied.id).order_by(Question.position)
        ).all()
        assert ids == sorted(ids) and len(set(ids)) == 31
        choice_ids = db.session.scalars(
            select(Choice.id).join(Question).where(Question.bank_id == copied.id)
        ).all()
        assert len(set(choice_ids)) == len(choice_ids) == 31 * 4
        assert all(CHOICE_ID_MIN <= c < CHOICE_ID_MAX for c in choice_ids)
        # the sequence moved past the copied ids: a plain INSERT after them does not collide
        question = Question(bank_id=copied.id, position=99, text="Sau COPY?")
        db.session.add(question)
        db.session.flush()
        assert question.id > max(ids)


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(t)) for t in (Bank, Question, Choice)
    )


def test_an_error_after_the_copy_is_rolled_back(app, postgresql, monkeypatch):
    def too_big(bank_id):
        assert db.session.scalar(select(func.count()).where(Question.bank_id == bank_id)) == 30
        raise RuntimeError("after the COPY")

    monkeypatch.setattr(banks, "check_bank_bytes", too_big)
    with app.app_context():
        with pytest.raises(RuntimeError, match="after the COPY"):
            _import(xlsx_bytes([BANK_HEADERS_WITH_CODE] + _rows()), _organiser())
        db.session.rollback()
        assert _counts() == (0, 0, 0)


def test_a_row_the_copy_refuses_is_rolled_back(app, postgresql):
    parsed = parse_upload("bank.xlsx", xlsx_bytes([BANK_HEADERS_WITH_CODE] + _rows())).questions
    parsed[-1].choices[0].label = "ABC"  # choices.label is VARCHAR(2): the choices' COPY fails
    with app.app_context():
        organisation_id = _organiser().organisation_id
        db.session.commit()
        with pytest.raises(Exception, match="value too long"):
            bank_store.create_bank(organisation_id, "B", parsed)
        db.session.rollback()
        assert _counts() == (0, 0, 0)
        bank = bank_store.create_bank(organisation_id, "Sau lỗi", parsed[:-1])
        db.session.commit()
        assert _counts() == (1, 29, 29 * 4) and bank.id


def test_two_imports_at_once_keep_their_own_rows(app, postgresql, monkeypatch):
    """Both reserve their ids before either copies; each bank gets its own rows, all kept."""
    from contest.services import bank_copy

    reserve, both = bank_copy.reserve_question_ids, threading.Barrier(2, timeout=30)

    def reserve_then_wait(n):
        ids = reserve(n)
        both.wait()
        return ids

    monkeypatch.setattr(bank_copy, "reserve_question_ids", reserve_then_wait)
    with app.app_context():
        user_ids = []
        for who in ("mot", "hai"):
            user_ids.append(upsert_organiser(f"{who}@example.vn", "matkhau1", "BTC", None).id)
        db.session.commit()
    bank_ids, failures = [], []

    def run(user_id, prefix):
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                data = xlsx_bytes([BANK_HEADERS] + bank_rows(200, prefix))
                bank_ids.append((prefix, _import(data, user).id))
                db.session.commit()
        except Exception as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=a) for a in zip(user_ids, ("Một", "Hai"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    with app.app_context():
        assert _counts() == (2, 400, 1600)
        for prefix, bank_id in bank_ids:
            dump = _dump(bank_id)
            texts = [dict(fields)["text"] for fields, _choices in dump]
            assert texts == [f"{prefix} {i}?" for i in range(1, 201)]
            assert all(
                [c[2] for c in choices] == [f"{x}{i}" for x in "ABCD"]
                for i, (_fields, choices) in enumerate(dump, 1)
            )
