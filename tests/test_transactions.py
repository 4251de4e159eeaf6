"""One owner for each request's transaction: views and services never commit; on SQLite the
write lock is free while a password is hashed, a plan is read or a page renders; another
participant cannot use up my save limit; a submit carries the final answers; every organiser
action leaves the same audit entry through the pages as through the API."""

import ast
import fcntl
import io
import sqlite3
from pathlib import Path

import pytest
from conftest import (
    BANK_HEADERS,
    Api,
    bank_rows,
    csrf_from,
    post_form,
    units_xlsx,
    upload_units,
    xlsx_bytes,
)
from flask.signals import before_render_template

from contest.extensions import db
from contest.models import Answer, Attempt, AuditEntry, User

ROOT = Path(__file__).resolve().parent.parent


def _commits_in(folder: Path) -> list[str]:
    """Every `<...>.commit()` / `.rollback()` on a session in the folder's modules."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
                and "session" in ast.unparse(node.func.value)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


# a question's new content, given through its page and through the API
EDITED = {
    "text": "Câu hỏi đã sửa?",
    "A": "Một",
    "B": "Hai",
    "C": "Ba",
    "D": "Bốn",
    "correct": "B",
    "points": "1",
}


def test_no_view_or_service_commits_or_rolls_back():
    assert _commits_in(ROOT / "contest" / "views") == []
    assert _commits_in(ROOT / "contest" / "services") == []
    assert _commits_in(ROOT / "question_bank") == []


def _sqlite_file(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    return url.removeprefix("sqlite:///")


def _write_lock_free(path: str) -> bool:
    """Neither the app's queue (the flock) nor SQLite's own write lock is held."""
    with open(f"{path}-applock", "a+b") as lock_file:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def test_password_hashing_never_holds_the_write_lock(app, register, monkeypatch):
    path = _sqlite_file(app)
    register(phone="0912000301")
    seen = []
    original_check, original_set = User.check_password, User.set_password

    def check(self, password):
        seen.append(("check", _write_lock_free(path)))
        return original_check(self, password)

    def set_password(self, password):
        seen.append(("set", _write_lock_free(path)))
        return original_set(self, password)

    monkeypatch.setattr(User, "check_password", check)
    monkeypatch.setattr(User, "set_password", set_password)
    client = app.test_client()
    for password in ("sai-mat-khau", "matkhau1"):  # a wrong one, then the right one
        client.post("/api/v1/login", json={"login": "0912000301", "password": password})
    Api(app.test_client()).post(
        "/api/v1/register",
        json={
            "full_name": "Trần Thị Bình",
            "phone": "0912000302",
            "password": "matkhau1",
            "unit_code": "PNV",
        },
    )
    page = app.test_client()
    html = page.get("/dang-nhap").text
    page.post(
        "/dang-nhap", data={"csrf_token": csrf_from(html), "login": "0912000301", "password": "sai"}
    )
    assert [kind for kind, _free in seen] == ["check", "check", "set", "check"]
    assert all(free for _kind, free in seen), seen


def test_pages_render_without_the_write_lock(app, organiser, make_round, register):
    """A page that wrote (an upload kept for confirmation, an attempt expired on view) renders
    after its writes are committed; a page that only reads never takes the lock."""
    path = _sqlite_file(app)
    rendered = []

    def probe(_app, template, **_context):
        rendered.append((template.name, _write_lock_free(path)))

    before_render_template.connect(probe, app)
    try:
        client = organiser.client
        html = client.get("/to-chuc/").text
        data = xlsx_bytes([BANK_HEADERS] + bank_rows(6))
        preview = client.post(
            "/to-chuc/ngan-hang",
            data={
                "csrf_token": csrf_from(html),
                "file": (io.BytesIO(data), "nh.xlsx"),
                "name": "NH",
            },
        )
        assert preview.status_code == 200
        rnd = make_round()
        api = register(phone="0912000303")
        api.post(f"/api/v1/rounds/{rnd['id']}/attempts")
        assert api.get("/").status_code == 200
        assert api.get("/cuoc-thi/thu").status_code == 200
    finally:
        before_render_template.disconnect(probe, app)
    names = {name for name, _free in rendered}
    assert {"organiser/dashboard.html", "organiser/preview.html", "public/home.html"} <= names
    assert all(free for _name, free in rendered), rendered


def test_reading_a_plan_never_holds_the_write_lock(app, organiser, monkeypatch):
    path = _sqlite_file(app)
    from contest.views import organiser_drafts

    seen = []
    original = organiser_drafts.draft_isolated

    def draft_isolated(filename, data):
        seen.append(_write_lock_free(path))
        return original(filename, data)

    monkeypatch.setattr(organiser_drafts, "draft_isolated", draft_isolated)
    client = organiser.client
    html = client.get("/to-chuc/soan-cau-hoi").text
    plan = (
        "Kế hoạch cải cách hành chính năm 2026. Mục tiêu: 100% thủ tục hành chính đủ điều "
        "kiện được cung cấp dịch vụ công trực tuyến toàn trình."
    ).encode()
    client.post(
        "/to-chuc/soan-cau-hoi",
        data={"csrf_token": csrf_from(html), "plan": (io.BytesIO(plan), "ke-hoach.txt")},
    )
    assert seen == [True]


def test_another_participants_saves_do_not_use_up_my_limit(make_round, register, tight_limits):
    tight_limits(RATE_LIMIT_SAVES="120 per minute")
    rnd = make_round()
    me, other = register(phone="0912000304"), register(phone="0912000305", name="Kẻ Phá")
    attempt = me.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    question = attempt["questions"][0]
    url = f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}"
    choice = question["choices"][0]["id"]
    answers = [
        other.put(url, json={"choices": [choice], "seq": i}).status_code for i in range(1, 301)
    ]
    assert set(answers[:120]) == {404} and 429 in answers  # the other one is held back
    for seq in range(1, 6):
        response = me.put(url, json={"choices": [choice], "seq": 1000 + seq})
        assert response.status_code == 200, response.json


def test_api_submit_carries_the_final_answers(app, make_round, register):
    rnd = make_round()
    api = register(phone="0912000306")
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    first, second, third = attempt["questions"][:3]
    base = f"/api/v1/attempts/{attempt['id']}"
    assert (
        api.put(
            f"{base}/answers/{first['id']}",
            json={"choices": [first["choices"][0]["id"]], "seq": 50},
        ).status_code
        == 200
    )
    response = api.post(
        f"{base}/submit",
        json={
            "answers": [
                # older than what is stored: changes nothing (the seq rule)
                {"question_id": first["id"], "choices": [first["choices"][1]["id"]], "seq": 10},
                {"question_id": second["id"], "choices": [second["choices"][2]["id"]], "seq": 11},
                # a choice of another question: left out, the rest still counts
                {"question_id": third["id"], "choices": [first["choices"][3]["id"]], "seq": 12},
            ]
        },
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "submitted"
    with app.app_context():
        stored = dict(
            db.session.execute(
                db.select(Answer.question_id, Answer.choices).filter_by(attempt_id=attempt["id"])
            ).all()
        )
    assert stored == {
        first["id"]: [first["choices"][0]["id"]],
        second["id"]: [second["choices"][2]["id"]],
    }
    again = api.post(
        f"{base}/submit",
        json={
            "answers": [
                {"question_id": third["id"], "choices": [third["choices"][0]["id"]], "seq": 99}
            ]
        },
    )
    assert again.status_code == 200 and again.json["score"] == response.json["score"]


def test_an_overdue_submit_answers_409_and_the_attempt_stays_expired(
    app, make_round, register, clock
):
    rnd = make_round(time_limit_s=60, grace_s=5)
    api = register(phone="0912000307")
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    clock.advance(seconds=120)
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).status_code == 409
    with app.app_context():
        assert db.session.get(Attempt, attempt["id"]).status == "expired"


def test_a_refused_page_form_saves_nothing(app, organiser, make_bank):
    """The round form with a broken rule: the page shows it, and nothing of it is stored."""
    client = organiser.client
    organiser.post("/api/v1/contests", json={"slug": "loi", "title": "Cuộc thi lỗi"})
    response = post_form(
        client,
        "/to-chuc/cuoc-thi/loi",
        {
            "name": "Tuần 1",
            "opens_at": "2026-03-02T10:00",
            "closes_at": "2026-03-01T10:00",
            "bank_id": str(make_bank()),
            "question_count": "5",
            "time_limit_min": "10",
            "max_attempts": "1",
            "counting": "best",
            "prediction": "none",
        },
    )
    assert response.status_code == 422
    assert organiser.get("/api/v1/contests/loi").json["rounds"] == []
    with app.app_context():
        assert not db.session.scalar(db.select(AuditEntry).filter_by(action="create_round"))


def _entries(app) -> list[AuditEntry]:
    from contest.models.audit_text import sentence

    with app.app_context():
        rows = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(a.action, sorted(a.details), sentence(a)) for a in rows]


def test_each_organiser_action_leaves_the_same_entry_through_pages_and_api(app, organiser):
    """Unit upload, contest and round creation, bank upload (confirmed), question edit and
    retire, once through the pages and once through the API: the same actions with the same
    kinds of detail, each read as a Vietnamese sentence naming who did what to what."""
    client = organiser.client
    with app.app_context():
        db.session.execute(db.delete(AuditEntry))
        db.session.commit()
    bank = xlsx_bytes([BANK_HEADERS] + bank_rows(8))

    # through the pages
    html = client.get("/to-chuc/").text
    csrf = csrf_from(html)
    assert (
        client.post(
            "/to-chuc/don-vi",
            data={"csrf_token": csrf, "file": (io.BytesIO(units_xlsx()), "don-vi.xlsx")},
        ).status_code
        == 302
    )
    preview = client.post(
        "/to-chuc/ngan-hang",
        data={"csrf_token": csrf, "file": (io.BytesIO(bank), "nh-trang.xlsx"), "name": "NH trang"},
    )
    pending_id = int(preview.text.split("/to-chuc/tai-len/")[1].split('"')[0])
    confirmed = client.post(f"/to-chuc/tai-len/{pending_id}", data={"csrf_token": csrf})
    bank_id = int(confirmed.headers["Location"].rstrip("/").split("/")[-1])
    questions = organiser.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]
    assert (
        client.post(
            "/to-chuc/cuoc-thi/moi",
            data={
                "csrf_token": csrf,
                "slug": "trang",
                "title": "Cuộc thi trang",
                "masking": "none",
            },
        ).status_code
        == 302
    )
    round_form = {
        "csrf_token": csrf,
        "name": "Tuần trang",
        "opens_at": "2026-03-02T10:00",
        "closes_at": "2026-03-09T10:00",
        "bank_id": str(bank_id),
        "question_count": "5",
        "time_limit_min": "10",
        "max_attempts": "1",
        "counting": "best",
        "prediction": "none",
    }
    assert client.post("/to-chuc/cuoc-thi/trang", data=round_form).status_code == 302
    edit_url = f"/to-chuc/ngan-hang/{bank_id}/cau-hoi/{questions[0]['id']}"
    assert client.post(edit_url, data={"csrf_token": csrf} | EDITED).status_code == 302
    assert (
        client.post(
            f"/to-chuc/ngan-hang/{bank_id}/cau-hoi/{questions[1]['id']}/thoi-dung",
            data={"csrf_token": csrf},
        ).status_code
        == 302
    )
    through_pages = _entries(app)
    with app.app_context():
        db.session.execute(db.delete(AuditEntry))
        db.session.commit()

    # through the API
    assert upload_units(organiser, filename="don-vi.xlsx").status_code == 200
    api_bank = organiser.post(
        "/api/v1/banks", data={"file": (io.BytesIO(bank), "nh-api.xlsx"), "name": "NH api"}
    ).json["id"]
    questions = organiser.get(f"/api/v1/banks/{api_bank}/questions").json["questions"]
    assert (
        organiser.post(
            "/api/v1/contests", json={"slug": "api", "title": "Cuộc thi API", "masking": "none"}
        ).status_code
        == 201
    )
    assert (
        organiser.post(
            "/api/v1/contests/api/rounds",
            json={
                "name": "Tuần API",
                "opens_at": "2026-03-02T10:00:00+07:00",
                "closes_at": "2026-03-09T10:00:00+07:00",
                "bank_id": api_bank,
                "question_count": 5,
                "time_limit_s": 600,
                "max_attempts": 1,
                "counting": "best",
                "prediction": "none",
            },
        ).status_code
        == 201
    )
    assert (
        organiser.put(
            f"/api/v1/banks/{api_bank}/questions/{questions[0]['id']}",
            json=EDITED,
        ).status_code
        == 200
    )
    assert (
        organiser.post(
            f"/api/v1/banks/{api_bank}/questions/{questions[1]['id']}/retire"
        ).status_code
        == 204
    )
    through_api = _entries(app)

    expected = [
        "import_units",
        "import_bank",
        "create_contest",
        "create_round",
        "edit_question",
        "retire_question",
    ]
    assert [action for action, _keys, _text in through_pages] == expected
    assert [(a, k) for a, k, _t in through_pages] == [(a, k) for a, k, _t in through_api]
    sentences = [text for _a, _k, text in through_pages]
    assert all(text.startswith("Ban Tổ chức đã ") for text in sentences), sentences
    assert "«Cuộc thi trang»" in sentences[2] and "«Tuần trang»" in sentences[3]
    assert "nội dung câu hỏi «Câu hỏi số 1?» → «Câu hỏi đã sửa?»" in sentences[4]
    assert "đáp án «B» → «B»" not in sentences[4]
    listed = client.get("/to-chuc/nhat-ky").text
    assert "Ban Tổ chức đã tạo đợt thi «Tuần API» của cuộc thi «Cuộc thi API»." in listed
