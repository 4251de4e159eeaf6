"""A confirmed prize list is a snapshot: headcounts changed afterwards (a unit list uploaded
again) and a winner moved to another unit change neither the collective order, nor the rates,
nor the units shown, in the winners' .xlsx, the print page or the draft decision; reopening the
list lets the figures follow again. A round confirmed before snapshots existed is frozen at its
first read."""

import io
import re

from docx import Document
from factories import insert_organisation_and_bank, migration_app, one_prize_round
from openpyxl import load_workbook
from sqlalchemy import select, update
from test_results import play

from contest.extensions import db
from contest.models import Entry, Participation, Round, Unit, User


def _confirmed_round(app, organiser, make_round, register, clock):
    rnd = one_prize_round(organiser, make_round, unit_prize_threshold=0, unit_prize_count=2)
    for phone, unit, right in (
        ("0912000601", "PNV", 5),
        ("0912000602", "PNV", 3),
        ("0912000603", "PTC", 4),
        ("0912000604", "PTC", 2),
    ):
        play(
            app,
            register(phone=phone, name=f"Người {phone[-2:]}", unit=unit),
            rnd["id"],
            right,
            clock,
            10,
        )
    clock.advance(hours=2)
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm").status_code == 200
    return rnd


def _collective(organiser, round_id):
    wb = load_workbook(io.BytesIO(organiser.get(f"/api/v1/rounds/{round_id}/winners.xlsx").data))
    rows = list(wb["Tập thể"].iter_rows(min_row=4, values_only=True))
    person = next(iter(wb["Đề nghị khen thưởng"].iter_rows(min_row=6, values_only=True)))
    return [(r[1], r[3], r[4], r[6]) for r in rows], person[2]


def _upload_again(app):
    """PNV's headcount 10 -> 200 (its rate falls below PTC's), the winner moved to PTC."""
    with app.app_context():
        db.session.execute(update(Unit).where(Unit.code == "PNV").values(headcount=200))
        ptc = db.session.scalar(select(Unit.id).filter_by(code="PTC"))
        person = select(User.id).where(User.phone == "0912000601").scalar_subquery()
        for model in (Participation, Entry):  # their unit in the contest and entry, put right
            db.session.execute(update(model).where(model.user_id == person).values(unit_id=ptc))
        db.session.commit()


def _print_units(organiser, round_id):
    html = organiser.client.get(f"/to-chuc/dot-thi/{round_id}/giai-thuong").get_data(as_text=True)
    units = html.split("Tập thể", 1)[1]
    return re.findall(r"<td>(Phòng [^<]+)</td><td>\d+</td><td>([^<]+)</td>", units)


def _decision_units(organiser, round_id):
    doc = Document(io.BytesIO(organiser.get(f"/api/v1/rounds/{round_id}/decision.docx").data))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    return [(r[1], r[4]) for r in rows if r[-1].startswith("Giải tập thể")], [
        r[2] for r in rows if r[-1] == "Giải Nhất"
    ]


def test_a_confirmed_list_keeps_its_order_rates_and_units(
    app, organiser, make_round, register, clock
):
    rnd = _confirmed_round(app, organiser, make_round, register, clock)
    before = _collective(organiser, rnd["id"])
    assert before == (
        [
            ("Phòng Nội vụ", 10, 0.2, "Giải tập thể 1"),
            ("Phòng Tài chính", 20, 0.1, "Giải tập thể 2"),
        ],
        "Phòng Nội vụ",
    )
    printed, decided = _print_units(organiser, rnd["id"]), _decision_units(organiser, rnd["id"])
    _upload_again(app)
    assert _collective(organiser, rnd["id"]) == before
    assert _print_units(organiser, rnd["id"]) == printed
    assert _decision_units(organiser, rnd["id"]) == decided
    assert decided == ([("Phòng Nội vụ", "20,0%"), ("Phòng Tài chính", "10,0%")], ["Phòng Nội vụ"])
    prizes = organiser.get(f"/api/v1/rounds/{rnd['id']}/prizes").json
    assert prizes["winners"][0]["unit"] == "Phòng Nội vụ"  # as confirmed
    bulletin = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/bulletin").json
    assert bulletin["winners"][0]["unit"] == "Phòng Nội vụ"
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/reopen").status_code == 200
    units, person_unit = _collective(organiser, rnd["id"])
    assert [u[0] for u in units] == ["Phòng Tài chính", "Phòng Nội vụ"]  # the draft follows
    assert person_unit == "Phòng Tài chính"


def test_a_round_confirmed_before_snapshots_is_frozen_at_its_first_read(
    app, organiser, make_round, register, clock
):
    rnd = _confirmed_round(app, organiser, make_round, register, clock)
    with app.app_context():  # as the migration leaves a round confirmed before it
        db.session.execute(update(Round).where(Round.id == rnd["id"]).values(prize_snapshot=None))
        db.session.commit()
    first = _collective(organiser, rnd["id"])
    with app.app_context():
        assert db.session.get(Round, rnd["id"]).prize_snapshot is not None
    _upload_again(app)
    assert _collective(organiser, rnd["id"]) == first


def test_the_migration_keeps_confirmed_rounds_and_leaves_their_snapshot_for_the_first_read(
    make_app,
    tmp_path,
):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    app = migration_app(make_app, tmp_path)
    with app.app_context():
        upgrade(revision="e4c1a7b2d9f0")
        with db.engine.begin() as conn:
            insert_organisation_and_bank(conn)
            conn.execute(
                text(
                    "INSERT INTO contests (id, organisation_id, slug, title, description, rules, "
                    "masking, created_at, registration_fields, one_prize_per_person, "
                    "unit_prize_basis, unit_prize_threshold, unit_prize_count, unit_level, "
                    "documents) VALUES (1, 1, 'c', 'C', '', '', 'none', '2026-01-01', '{}', false, "
                    "'participation_rate', 0, 3, 'unit', '[]')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO rounds (id, contest_id, name, opens_at, closes_at, bank_id, "
                    "question_count, time_limit_s, grace_s, max_attempts, counting, prediction, "
                    "score_display, draw_quotas, excluded_question_ids, prize_first, prize_second, "
                    "prize_third, prize_consolation, prizes_confirmed_at) VALUES (1, 1, 'Tuần 1', "
                    "'2026-01-01', '2026-01-08', 1, 5, 600, 30, 1, 'best', 'none', 'after_submit', "
                    "'[]', '[]', 1, 0, 0, 0, '2026-01-09')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(
                text("SELECT name, prizes_confirmed_at IS NOT NULL, prize_snapshot FROM rounds")
            ).one() == ("Tuần 1", 1, None)
        from contest.services.prize_snapshot import round_unit_prizes

        assert round_unit_prizes(db.session.get(Round, 1)) == []
        assert db.session.get(Round, 1).prize_snapshot == {"units": [], "people": {}}
        db.session.rollback()
        downgrade(revision="e4c1a7b2d9f0")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM rounds")).scalar() == 1
