"""Fixtures: an app on a real database built by the migrations (SQLite by default, PostgreSQL
when TEST_DATABASE_URL is set), a client, a CLI runner, a controllable clock and factories."""

import io
import os
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from openpyxl import Workbook
from sqlalchemy import text

from contest import create_app, lean_save, timing
from contest.extensions import cache, db, limiter

START = datetime(2026, 3, 2, 3, 0, 0)  # 10:00 in Hà Nội, a Monday
BANK_HEADERS = [
    "STT",
    "Câu hỏi",
    "A",
    "B",
    "C",
    "D",
    "Đáp án đúng",
    "Giải thích",
    "Chủ đề",
    "Mức độ",
    "Điểm",
]
# `flask create-organiser` for the `organiser` fixture's account
ORGANISER_CLI = [
    "create-organiser",
    "btc@example.vn",
    "--password",
    "matkhau1",
    "--name",
    "Ban Tổ chức",
]
# the same columns with the optional question code second (a bank's own codes)
BANK_HEADERS_WITH_CODE = [BANK_HEADERS[0], "Mã câu hỏi", *BANK_HEADERS[1:]]


class ClosingClient(FlaskClient):
    """A test client that finishes each request as a WSGI server does: the answer is read whole
    and closed (a file download's file with it), and so is the request body, which Werkzeug
    spools to a temporary file past 500 KB and, without follow_redirects, never closes itself.
    Unclosed, both end as a ResourceWarning, which fails the suite (filterwarnings = error)."""

    def open(self, *args, buffered=True, **kwargs):
        response = super().open(*args, buffered=buffered, **kwargs)
        if buffered:
            response.request.input_stream.close()
        else:
            response.call_on_close(response.request.input_stream.close)
        return response


def side_database(tmp_path, name: str) -> str:
    """A database of its own for a script a test runs (a load test's): SQLite in tmp_path, or
    on the suite's PostgreSQL server one named after the suite's database, so that two suites
    on one server (CI's and another checkout's) never drop each other's."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / name}.db"
    parts = urlsplit(url)
    return parts._replace(path=f"/{parts.path.strip('/') or 'test'}_{name}").geturl()


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "RATE_LIMIT_LOGIN": "10000 per minute",
            "LEADERBOARD_CACHE_S": 0,
            "COUNTS_CACHE_S": 0,
            "PAGE_CACHE_S": 0,
            "RATE_LIMIT_LOGIN_ACCOUNT": "10000 per minute",
            "RATE_LIMIT_SAVES": "10000 per minute",
            "RATE_LIMIT_CHECK": "10000 per minute",
            "RATE_LIMIT_REGISTER": "10000 per minute",
            "RATE_LIMIT_CHALLENGE_AFTER": "10000 per minute",
            "RATE_LIMIT_LOGIN_DEVICE": "10000 per minute",
            "RATE_LIMIT_INVITE": "10000 per minute",
        }
    )
    app.test_client_class = ClosingClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    yield app
    dispose_engines(app)


def dispose_engines(app) -> None:
    """Close the pooled connections of every engine of `app`: an app dropped with its pool
    open leaves the connections to the garbage collector, and psycopg's warn
    (ResourceWarning) in whichever later test happens to collect them."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def make_app():
    """create_app(config) for a test's own app (another database, other settings); its
    engines are disposed when the test ends."""
    made = []

    def make(config):
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:
        dispose_engines(app)


@pytest.fixture(autouse=True)
def clean_db(app):
    """Each test starts from empty tables (the schema stays)."""
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def tight_limits(app, monkeypatch):
    """tight_limits(RATE_LIMIT_X="5 per minute", ...): those limits for this test, the limiter's
    counts cleared then and again after it."""

    def set_limits(**limits):
        for key, value in limits.items():
            monkeypatch.setitem(app.config, key, value)
        limiter.reset()

    yield set_limits
    limiter.reset()


@pytest.fixture
def cached(app):
    """The anonymous pages cached (PAGE_CACHE_S = 300) for this test, from an empty cache."""
    app.config["PAGE_CACHE_S"] = 300
    with app.app_context():
        cache.clear()
    yield app
    app.config["PAGE_CACHE_S"] = 0
    with app.app_context():
        cache.clear()


@pytest.fixture
def served(monkeypatch):
    """The saves the lean path answered itself, in order: their status codes, None for a save
    it handed to Flask."""
    seen = []
    original = lean_save.LeanSave.serve

    def spy(self, environ, attempt_id, question_id):
        response = original(self, environ, attempt_id, question_id)
        seen.append(None if response is None else int(response[0].split()[0]))
        return response

    monkeypatch.setattr(lean_save.LeanSave, "serve", spy)
    return seen


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def set(self, now):
        self.now = now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, frozen at START (10:00 Monday, Hà Nội) until moved."""
    fake = Clock(START)
    monkeypatch.setattr(timing, "utcnow", fake)
    return fake


def xlsx_bytes(rows: list[list], title_rows: list[list] | None = None, sheet="Câu hỏi") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in (title_rows or []) + rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bank_rows(n: int, prefix="Câu hỏi số") -> list[list]:
    """n valid questions; question i has its key at choice 'ABCD'[i % 4]."""
    return [
        [
            i,
            f"{prefix} {i}?",
            f"A{i}",
            f"B{i}",
            f"C{i}",
            f"D{i}",
            "ABCD"[i % 4],
            "",
            "Chung",
            "Dễ",
            1,
        ]
        for i in range(1, n + 1)
    ]


def units_xlsx(rows=None) -> bytes:
    rows = rows or [
        ["UB", "UBND thị xã", "", 100],
        ["PNV", "Phòng Nội vụ", "UB", 10],
        ["PTC", "Phòng Tài chính", "UB", 20],
    ]
    header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Mã đơn vị cấp trên",
        "Số CBCCVC",
        "Không xét giải",
        "Được chọn",
    ]
    return xlsx_bytes([header[: len(rows[0])]] + rows)


def upload_units(api, rows=None, filename: str = "dv.xlsx", **form):
    """POST /units/import of units_xlsx(rows); `form`: unit_list_id, list_name."""
    return api.post(
        "/api/v1/units/import", data={"file": (io.BytesIO(units_xlsx(rows)), filename)} | form
    )


class Api:
    """A logged-in API client: cookie session plus X-CSRFToken, as the pages' script does."""

    def __init__(self, client):
        self.client = client
        self.csrf = client.get("/api/v1/session").json["csrf_token"]

    def call(self, method, url, **kw):
        headers = kw.pop("headers", {})
        headers.setdefault("X-CSRFToken", self.csrf)
        return self.client.open(url, method=method, headers=headers, **kw)

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, **kw):
        return self.call("POST", url, **kw)

    def put(self, url, **kw):
        return self.call("PUT", url, **kw)

    def refresh_csrf(self):
        self.csrf = self.client.get("/api/v1/session").json["csrf_token"]

    def register(self, full_name: str, phone: str, password="matkhau1", unit_code="PNV", **body):
        """POST /api/v1/register with these fields (and `body`): the answer."""
        fields = {"full_name": full_name, "phone": phone, "password": password}
        return self.post("/api/v1/register", json=fields | {"unit_code": unit_code} | body)

    def login(self, login: str, password: str = "matkhau1", **body):
        """POST /api/v1/login with this login and password (and `body`): the answer."""
        return self.post("/api/v1/login", json={"login": login, "password": password} | body)


@pytest.fixture
def organiser(app, runner):
    """An organiser's API client, with the unit list loaded."""
    result = runner.invoke(args=ORGANISER_CLI)
    assert result.exit_code == 0, result.output
    api = Api(app.test_client())
    assert api.login("btc@example.vn").status_code == 200
    api.refresh_csrf()
    response = upload_units(api)
    assert response.status_code == 200, response.json
    api.unit_list_id = response.json["unit_list_id"]
    return api


@pytest.fixture
def make_bank(organiser):
    def make(rows=None, name="Ngân hàng thử"):
        data = xlsx_bytes([BANK_HEADERS] + (rows or bank_rows(10)))
        response = organiser.post(
            "/api/v1/banks", data={"file": (io.BytesIO(data), "nh.xlsx"), "name": name}
        )
        assert response.status_code == 201, response.json
        return response.json["id"]

    return make


@pytest.fixture
def make_round(organiser, make_bank, clock):
    """A contest with one round open from START - 1 h to START + 7 days."""

    def make(slug="thu", **overrides):
        bank_id = overrides.pop("bank_id", None) or make_bank()
        if organiser.get(f"/api/v1/contests/{slug}").status_code == 404:
            assert (
                organiser.post(
                    "/api/v1/contests",
                    json={
                        "slug": slug,
                        "title": "Cuộc thi thử",
                        "masking": "none",
                        "unit_list_id": organiser.unit_list_id,
                    },
                ).status_code
                == 201
            )
        body = {
            "name": "Tuần 1",
            "opens_at": iso(START - timedelta(hours=1)),
            "closes_at": iso(START + timedelta(days=7)),
            "bank_id": bank_id,
            "question_count": 5,
            "time_limit_s": 600,
            "max_attempts": 2,
            "counting": "best",
            "prediction": "none",
            "grace_s": 30,
            # the suite reads scores at submit; rounds of more than one attempt would
            # otherwise show them after the close (tests/test_score_display.py)
            "score_display": "after_submit",
        } | overrides
        response = organiser.post(f"/api/v1/contests/{slug}/rounds", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return make


def iso(naive_utc: datetime) -> str:
    return timing.iso(naive_utc)


@pytest.fixture
def register(app, organiser):
    """register(phone) -> a logged-in participant's Api client (the unit list is loaded)."""

    def make(phone="0912000001", name="Nguyễn Văn An", unit="PNV", **extra):
        api = Api(app.test_client())
        response = api.register(name, phone, unit_code=unit, **extra)
        assert response.status_code == 201, response.json
        api.refresh_csrf()
        api.user = response.json["user"]
        api.token = response.json["token"]
        return api

    return make


def correct_choice_ids(app, question_id: int) -> list[int]:
    from contest.models import Choice

    with app.app_context():
        return [
            c.id
            for c in db.session.scalars(
                db.select(Choice).filter_by(question_id=question_id, correct=True)
            )
        ]


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def post_form(client, path: str, data: dict, **kw):
    """The form of the page at `path` sent as a browser sends it: with the page's CSRF token."""
    token = csrf_from(client.get(path).text)
    return client.post(path, data={"csrf_token": token} | data, **kw)
