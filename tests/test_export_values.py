"""Exports read back with openpyxl: times are Excel dates in Vietnam time, durations Excel
durations, scores numbers, rates fractions with a % format; the CSV writes 19, not 19.0; the
round export lists voided entries, marked; every board and export ranks units at the contest's
level."""

import io
from datetime import datetime, timedelta

from factories import one_prize_round
from openpyxl import load_workbook
from sqlalchemy import select
from test_results import play

from contest.excel_values import Score, csv_value
from contest.extensions import db
from contest.models import Entry


def _sheet_rows(ws, min_row=2):
    return list(ws.iter_rows(min_row=min_row))


def _void_one(app, round_id, phone):
    from contest.models import User

    with app.app_context():
        entry = db.session.scalar(
            select(Entry)
            .join(User, User.id == Entry.user_id)
            .where(Entry.round_id == round_id, User.phone == phone)
        )
        entry.voided, entry.void_reason = True, "Thi hộ"
        db.session.commit()


def test_round_export_cells_are_typed(app, organiser, make_round, register, clock):
    rnd = make_round(prize_first=1, prize_second=0, prize_third=0, prize_consolation=0)
    play(app, register(phone="0912000101", name="Lê An"), rnd["id"], 5, clock, 65.3)
    play(app, register(phone="0912000102", name="Trần Bình", unit="PTC"), rnd["id"], 2, clock, 20)
    play(app, register(phone="0912000103", name="Vũ Chi"), rnd["id"], 4, clock, 20)
    _void_one(app, rnd["id"], "0912000103")
    wb = load_workbook(io.BytesIO(organiser.get(f"/api/v1/rounds/{rnd['id']}/export.xlsx").data))
    ws = wb["Kết quả"]
    headers = [c.value for c in ws[1]]
    assert "Mã bài thi" not in headers and headers[-2:] == ["Bị huỷ", "Lý do huỷ"]
    first = _sheet_rows(ws)[0]
    assert first[5].value == 5 and isinstance(first[5].value, int) and first[5].data_type == "n"
    assert first[7].value == timedelta(seconds=65.3) and first[7].number_format == "[m]:ss.0"
    submitted = first[10]
    assert submitted.is_date and submitted.number_format == "dd/mm/yyyy hh:mm:ss"
    # the clock's START is 03:00 UTC: 10:00 in Hà Nội, plus the 65.3 s of the attempt
    assert submitted.value == datetime(2026, 3, 2, 10, 1, 5, 300000)
    rows = [[c.value for c in r] for r in _sheet_rows(ws)]
    assert [(r[0], r[1], r[11], r[12]) for r in rows] == [
        (1, "Lê An", None, None),
        (2, "Trần Bình", None, None),
        (None, "Vũ Chi", "Bị huỷ", "Thi hộ"),
    ]
    units = {r[1].value: r for r in _sheet_rows(wb["Đơn vị"])}
    assert units["PNV"][5].value == 0.1 and units["PNV"][5].number_format == "0.0%"
    assert units["PNV"][6].value == 5 and units["PTC"][6].value == 2
    questions = _sheet_rows(wb["Câu hỏi"])
    assert all(
        q[5].value is None or (0 <= q[5].value <= 1 and q[5].number_format == "0.0%")
        for q in questions
    )
    winners = _sheet_rows(wb["Đạt giải"])
    assert winners[0][5].value == 5 and isinstance(winners[0][6].value, timedelta)


def test_winners_workbook_rates_and_scores_are_numbers(app, organiser, make_round, register, clock):
    rnd = one_prize_round(organiser, make_round, unit_prize_threshold=0, unit_prize_count=2)
    play(app, register(phone="0912000201"), rnd["id"], 3, clock, 30)
    clock.advance(hours=2)
    wb = load_workbook(io.BytesIO(organiser.get(f"/api/v1/rounds/{rnd['id']}/winners.xlsx").data))
    person = wb["Đề nghị khen thưởng"][6]
    assert person[3].value == 3 and isinstance(person[3].value, int)
    assert person[4].value == timedelta(seconds=30) and person[4].number_format == "[m]:ss.0"
    collective = wb["Tập thể"][4]
    assert collective[1].value == "Phòng Nội vụ"
    assert collective[4].value == 0.1 and collective[4].number_format == "0.0%"


def test_full_results_xlsx_and_csv(app, organiser, make_round, register, clock):
    rnd = make_round()
    play(app, register(phone="0912000301", name="Lê An"), rnd["id"], 5, clock, 10)
    play(app, register(phone="0912000302", name="Trần Bình"), rnd["id"], 2, clock, 12)
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.score == 2))
        entry.score = 4.5  # a score of half points
        db.session.commit()
    ws = load_workbook(io.BytesIO(organiser.get("/api/v1/contests/thu/results.xlsx").data)).active
    rows = _sheet_rows(ws)
    assert rows[0][7].value == 5 and isinstance(rows[0][7].value, int)
    assert rows[0][9].value == timedelta(seconds=10) and rows[0][11].is_date
    assert rows[0][11].value == datetime(2026, 3, 2, 10, 0, 10)
    assert rows[1][7].value == 4.5
    text = organiser.get("/api/v1/contests/thu/results.csv").data.decode("utf-8")
    lines = text.strip().splitlines()
    assert ",5,5,0:10.0," in lines[1] and "5.0" not in lines[1]
    assert ",4.5,5,0:12.0," in lines[2]
    assert "02/03/2026 10:00:10" in lines[1]


def test_csv_values_read_as_typed():
    assert csv_value(Score(19.0)) == 19 and csv_value(Score(9.5)) == 9.5
    assert csv_value(19.0) == 19 and csv_value(timedelta(minutes=12, seconds=5.3)) == "12:05.3"


def _two_units_under_top(app, organiser, make_round, register, clock):
    rnd = make_round()
    organiser.put("/api/v1/contests/thu", json={"unit_level": "top"})
    play(app, register(phone="0912000401", unit="PNV"), rnd["id"], 5, clock, 10)
    play(app, register(phone="0912000402", unit="PTC"), rnd["id"], 3, clock, 10)
    return rnd


def test_round_board_page_and_export_follow_the_contest_unit_level(
    app, organiser, make_round, register, clock
):
    rnd = _two_units_under_top(app, organiser, make_round, register, clock)
    public = app.test_client().get(f"/dot-thi/{rnd['id']}/xep-hang").get_data(as_text=True)
    monitor = organiser.get(f"/to-chuc/dot-thi/{rnd['id']}").get_data(as_text=True)
    for html in (public, monitor):
        assert _unit_rows(html) == [["1", "UBND thị xã", "2", "130"]]
    wb = load_workbook(io.BytesIO(organiser.get(f"/api/v1/rounds/{rnd['id']}/export.xlsx").data))
    units = [[c.value for c in r] for r in _sheet_rows(wb["Đơn vị"])]
    assert [(u[1], u[3], u[4]) for u in units] == [("UB", 2, 130)]


def _unit_rows(html: str) -> list[list[str]]:
    """The rows of the unit ranking table (the last table.ranking whose head says CBCCVC)."""
    import re

    tables = re.findall(r'<table class="ranking">(.*?)</table>', html, re.DOTALL)
    units = next(t for t in reversed(tables) if "CBCCVC" in t)
    body = units.split("<tbody>", 1)[1]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ][:4]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    ]
