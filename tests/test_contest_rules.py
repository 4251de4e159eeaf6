"""Contest rules and results, each with a small hand-computed case."""

import io
from datetime import timedelta

from conftest import START, Api, iso, upload_units
from factories import one_prize_round
from openpyxl import load_workbook
from test_results import play


def _close(clock, rnd):
    clock.set(START + timedelta(days=8))  # every test round closes at START + 7 days


def test_blocks_keep_their_own_participants(app, organiser, make_round, register, clock):
    make_round()  # creates the contest "thu"
    blocks = [
        organiser.post("/api/v1/contests/thu/blocks", json={"name": name, "category": cat}).json
        for name, cat in (("Cán bộ, công chức, viên chức", "cbccvc"), ("Nhân dân", "nhan_dan"))
    ]
    staff = make_round(block_id=blocks[0]["id"])
    public = make_round(block_id=blocks[1]["id"])
    civil = register(phone="0912000101")
    citizen = register(phone="0912000102", category="nhan_dan")
    assert (
        civil.post(f"/api/v1/rounds/{public['id']}/attempts").json["error"]["code"] == "wrong_block"
    )
    assert citizen.post(f"/api/v1/rounds/{staff['id']}/attempts").status_code == 403
    play(app, citizen, public["id"], 4, clock, 10)
    play(app, civil, staff["id"], 2, clock, 10)
    board = app.test_client().get(f"/api/v1/rounds/{public['id']}/leaderboard").json["entries"]
    assert [e["score"] for e in board] == [4.0]
    other = make_round(slug="khac")
    bad = organiser.post(
        "/api/v1/contests/khac/rounds",
        json={
            "name": "x",
            "opens_at": iso(START),
            "closes_at": iso(START + timedelta(days=1)),
            "bank_id": other["bank_id"],
            "question_count": 5,
            "time_limit_s": 600,
            "block_id": blocks[0]["id"],
        },
    )
    assert bad.status_code == 422 and "block_id" in bad.json["error"]["fields"]


def test_registration_fields_set_per_contest(app, organiser, make_round, register, clock):
    rnd = make_round()
    organiser.put(
        "/api/v1/contests/thu",
        json={
            "registration_fields": {
                "birth_date": "required",
                "address": "required",
                "cccd": "hidden",
            }
        },
    )
    api = Api(app.test_client())
    body = {
        "full_name": "Lê Thị Hoa",
        "phone": "0988000111",
        "password": "matkhau1",
        "unit_code": "PNV",
        "contest": "thu",
    }
    refused = api.post("/api/v1/register", json=body)
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"birth_date", "address"}
    ok = api.post(
        "/api/v1/register", json=body | {"birth_date": "1990-05-01", "address": "Phường Nghi Thủy"}
    )
    assert ok.status_code == 201
    earlier = register(phone="0988000222")  # registered before, without those fields
    blocked = earlier.post(f"/api/v1/rounds/{rnd['id']}/attempts")
    assert blocked.status_code == 403 and blocked.json["error"]["code"] == "profile_incomplete"
    assert set(blocked.json["error"]["fields"]) == {"birth_date", "address"}
    earlier.put("/api/v1/profile", json={"birth_date": "1985-01-02", "address": "Nghi Hải"})
    assert earlier.post(f"/api/v1/rounds/{rnd['id']}/attempts").status_code == 201


def test_earliest_fully_correct_attempt_counts(app, make_round, register, clock):
    rnd = make_round(counting="first_perfect", max_attempts=0)
    api = register()
    play(app, api, rnd["id"], 3, clock, 20)
    play(app, api, rnd["id"], 4, clock, 30)  # before any perfect one: the best counts
    board = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert (board[0]["score"], board[0]["duration_ms"]) == (4.0, 30000)
    play(app, api, rnd["id"], 5, clock, 90)  # the first perfect one
    play(app, api, rnd["id"], 5, clock, 40)  # faster, but later: does not count
    board = app.test_client().get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]
    assert (board[0]["score"], board[0]["duration_ms"]) == (5.0, 90000)


def _people(app, register, rnd, clock, results):
    """results: [(phone, unit, right answers, seconds)] -> {phone: api}."""
    people = {}
    for phone, unit, right, seconds in results:
        people[phone] = register(phone=phone, name=f"Người {phone[-2:]}", unit=unit)
        play(app, people[phone], rnd["id"], right, clock, seconds)
    return people


def test_prize_draft_void_confirm(app, organiser, make_round, register, clock):
    upload_units(
        organiser,
        [
            ["UB", "UBND thị xã", "", 100, "", "x"],
            ["PNV", "Phòng Nội vụ", "UB", 10, "x", ""],
            ["PTC", "Phòng Tài chính", "UB", 20, "", ""],
        ],
    )  # UB: people work there
    rnd = make_round(prize_first=1, prize_second=1, prize_third=1, prize_consolation=1)
    _people(
        app,
        register,
        rnd,
        clock,
        [
            ("0912000201", "PTC", 5, 50),
            ("0912000202", "PNV", 5, 10),  # PNV: no prizes
            ("0912000203", "PTC", 4, 30),
            ("0912000204", "UB", 4, 40),
            ("0912000205", "PTC", 3, 10),
            ("0912000206", "UB", 2, 10),
        ],
    )
    draft = organiser.get(f"/api/v1/rounds/{rnd['id']}/prizes").json
    assert [(w["name"], w["prize"], w["rank"]) for w in draft["winners"]] == [
        ("Người 01", "first", 2),
        ("Người 03", "second", 3),
        ("Người 04", "third", 4),
        ("Người 05", "consolation", 5),
    ]
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm").status_code == 409
    first = draft["winners"][0]["entry_id"]
    voided = organiser.post(
        f"/api/v1/rounds/{rnd['id']}/entries/{first}/void", json={"reason": "Thi hộ người khác"}
    ).json
    assert [w["name"] for w in voided["winners"]] == [
        "Người 03",
        "Người 04",
        "Người 05",
        "Người 06",
    ]
    _close(clock, rnd)
    confirmed = organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm").json
    assert confirmed["confirmed"] and len(confirmed["winners"]) == 4
    again = organiser.post(f"/api/v1/rounds/{rnd['id']}/entries/{first}/restore")
    assert again.status_code == 409
    audit = organiser.get("/api/v1/audit").json
    assert [a["action"] for a in audit][:2] == ["confirm_prizes", "void_entry"]
    assert audit[1]["details"]["reason"] == "Thi hộ người khác"


def test_one_individual_prize_per_person_per_contest(app, organiser, make_round, register, clock):
    week1 = one_prize_round(organiser, make_round, one_prize_per_person=True)
    week2 = make_round(prize_first=1, prize_second=1, prize_third=0, prize_consolation=0)
    star, second, third = (
        register(phone=f"091200030{i}", name=n) for i, n in enumerate(["Sao", "Hai", "Ba"])
    )
    for rnd in (week1, week2):
        play(app, star, rnd["id"], 5, clock, 10)
        play(app, second, rnd["id"], 4, clock, 10)
        play(app, third, rnd["id"], 3, clock, 10)
    clock.advance(hours=2)
    organiser.post(f"/api/v1/rounds/{week1['id']}/prizes/confirm")
    draft = organiser.get(f"/api/v1/rounds/{week2['id']}/prizes").json["winners"]
    assert [(w["name"], w["prize"], w["rank"]) for w in draft] == [
        ("Hai", "first", 2),
        ("Ba", "second", 3),
    ]


def test_collective_prizes_by_basis_and_threshold(app, organiser, make_round, register, clock):
    upload_units(
        organiser,
        [
            ["A", "Đơn vị A", "", 4, ""],
            ["B", "Đơn vị B", "", 10, ""],
            ["C", "Đơn vị C", "", 2, "x"],
            ["D", "Đơn vị D", "", 20, ""],
        ],
    )
    rnd = make_round()
    _people(
        app,
        register,
        rnd,
        clock,
        [
            ("0912000401", "A", 2, 10),
            ("0912000402", "A", 4, 10),  # A: 2/4 = 50 %, avg 3
            ("0912000403", "B", 5, 10),
            ("0912000404", "B", 5, 10),
            ("0912000405", "B", 5, 10),  # B: 3/10 = 30 %, avg 5
            ("0912000406", "C", 1, 10),
            ("0912000407", "C", 1, 10),  # C: 100 %, excluded
            ("0912000408", "D", 5, 10),
        ],
    )  # D: 1/20 = 5 %, avg 5
    organiser.put(
        "/api/v1/contests/thu", json={"unit_prize_threshold": 0.25, "unit_prize_count": 5}
    )
    awards = app.test_client().get("/api/v1/contests/thu/units/awards").json
    assert [(a["unit_code"], a["prize"]) for a in awards if a["unit_code"] in "ABCD"] == [
        ("C", None),
        ("A", "Giải tập thể 1"),
        ("B", "Giải tập thể 2"),
        ("D", None),
    ]
    organiser.put(
        "/api/v1/contests/thu",
        json={
            "unit_prize_basis": "average_score",
            "unit_prize_threshold": 0,
            "unit_prize_count": 2,
        },
    )
    awards = app.test_client().get("/api/v1/contests/thu/units/awards").json
    assert [(a["unit_code"], a["prize"]) for a in awards if a["unit_code"] in "ABCD"] == [
        ("B", "Giải tập thể 1"),
        ("D", "Giải tập thể 2"),
        ("A", None),
        ("C", None),
    ]


def test_units_roll_up_to_level_one(app, organiser, make_round, register, clock):
    rnd = make_round()
    _people(app, register, rnd, clock, [("0912000501", "PNV", 5, 10), ("0912000502", "PTC", 3, 10)])
    organiser.put("/api/v1/contests/thu", json={"unit_level": "top"})
    ranking = app.test_client().get("/api/v1/contests/thu/units/ranking").json
    assert [
        (r["unit_code"], r["participants"], r["headcount"], r["average_score"]) for r in ranking
    ] == [("UB", 2, 130, 4.0)]


def test_winners_and_full_results_exports(app, organiser, make_round, register, clock):
    rnd = make_round(prize_first=1, prize_second=1, prize_third=0, prize_consolation=0)
    _people(
        app,
        register,
        rnd,
        clock,
        [("0912000601", "PNV", 5, 10), ("0912000602", "PTC", 4, 10), ("0912000603", "PTC", 1, 10)],
    )
    rnd2 = make_round(name="Tuần 2")
    play(app, register(phone="0912000604", name="=SUM(1)"), rnd2["id"], 2, clock, 10)
    wb = load_workbook(io.BytesIO(organiser.get(f"/api/v1/rounds/{rnd['id']}/winners.xlsx").data))
    ws = wb["Đề nghị khen thưởng"]
    assert ws["A1"].value == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" and ws["A2"].value == "Cuộc thi thử"
    assert [c.value for c in ws[5]] == [
        "STT",
        "Họ và tên",
        "Đơn vị",
        "Điểm",
        "Thời gian",
        "Dự đoán",
        "Giải",
    ]
    assert [(r[1], r[6]) for r in ws.iter_rows(min_row=6, values_only=True)] == [
        ("Người 01", "Giải Nhất"),
        ("Người 02", "Giải Nhì"),
    ]
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows == "$5:$5"
    xlsx = load_workbook(io.BytesIO(organiser.get("/api/v1/contests/thu/results.xlsx").data))
    rows = list(xlsx.active.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("Tuần 1", 1, "Người 01"),
        ("Tuần 1", 2, "Người 02"),
        ("Tuần 1", 3, "Người 03"),
        ("Tuần 2", 1, "=SUM(1)"),
    ]
    text = organiser.get("/api/v1/contests/thu/results.csv").data.decode("utf-8")
    assert text.startswith("\ufeffĐợt thi,") and "'=SUM(1)" in text
    assert len(text.strip().splitlines()) == 5


def test_live_counts_and_cached_board(app, make_round, register, clock, monkeypatch):
    rnd = make_round()
    play(app, register(phone="0912000701"), rnd["id"], 3, clock, 10)
    monkeypatch.setitem(app.config, "LEADERBOARD_CACHE_S", 60)
    from contest.extensions import cache

    with app.app_context():
        cache.clear()
    client = app.test_client()
    assert len(client.get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]) == 1
    play(app, register(phone="0912000702", unit="PTC"), rnd["id"], 4, clock, 10)
    assert len(client.get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]) == 1
    with app.app_context():
        cache.clear()
    assert len(client.get(f"/api/v1/rounds/{rnd['id']}/leaderboard").json["entries"]) == 2
    assert client.get("/api/v1/contests/thu/stats").json == {
        "attempts": 2,
        "participants": 2,
        "units": 2,
    }


def test_public_pages_serve_the_board_and_counts_from_the_cache(
    app, make_round, register, clock, monkeypatch
):
    """A contest's landing page at a rush: its board, unit table and counts come from the cache
    (what a million attempts make slow), so a new entry shows once the cache expires."""
    rnd = make_round()
    play(app, register(phone="0912000711"), rnd["id"], 3, clock, 10)
    monkeypatch.setitem(app.config, "LEADERBOARD_CACHE_S", 60)
    monkeypatch.setitem(app.config, "COUNTS_CACHE_S", 60)
    from contest.extensions import cache

    with app.app_context():
        cache.clear()
    client = app.test_client()
    page = client.get("/cuoc-thi/thu").get_data(as_text=True)
    board = client.get(f"/dot-thi/{rnd['id']}/xep-hang").get_data(as_text=True)
    assert 'id="count-participants">1<' in page and "Nguyễn Văn An" in board
    play(
        app, register(phone="0912000712", name="Trần Thị Bình", unit="PTC"), rnd["id"], 4, clock, 10
    )
    assert 'id="count-participants">1<' in client.get("/cuoc-thi/thu").get_data(as_text=True)
    assert "Trần Thị Bình" not in client.get(f"/dot-thi/{rnd['id']}/xep-hang").get_data(
        as_text=True
    )
    assert client.get("/api/v1/contests/thu/stats").json["participants"] == 1
    with app.app_context():
        cache.clear()
    assert 'id="count-participants">2<' in client.get("/cuoc-thi/thu").get_data(as_text=True)
    assert "Trần Thị Bình" in client.get(f"/dot-thi/{rnd['id']}/xep-hang").get_data(as_text=True)
