"""One person, one account: phone and CCCD however they are typed (fullwidth digits, +84, 84,
0084, separators), e-mail however it is cased; and the migration that brings old rows in line."""

import os

import pytest
from conftest import Api, csrf_from, post_form
from sqlalchemy import create_engine, text

from contest.extensions import db
from contest.models import User
from contest.services.accounts import normalise_cccd, normalise_phone

GOOD = {
    "full_name": "Trần Thị Bình",
    "phone": "0987654321",
    "password": "matkhau1",
    "unit_code": "PNV",
}
SPELLINGS = [
    "０９８７６５４３２１",
    "+84 987 654 321",
    "84987654321",
    "0084987654321",
    "0987.654.321",
    "(098) 765-4321",
    "+８４９８７６５４３２１",
]


@pytest.mark.parametrize("typed", SPELLINGS + ["0987654321"])
def test_every_spelling_of_a_phone_is_one_number(typed):
    assert normalise_phone(typed) == "0987654321"


@pytest.mark.parametrize("typed", ["٠٩٨٧٦٥٤٣٢١", "0987x54321", "", "+", "8498765432"])
def test_what_is_not_a_vietnamese_phone_is_not_normalised_into_one(typed):
    assert normalise_phone(typed) != "0987654321"


def test_cccd_spellings():
    assert normalise_cccd("００１２０３００４００５") == "001203004005"
    assert normalise_cccd(" 001 203-004.005 ") == "001203004005"
    assert normalise_cccd("٠٠١٢٠٣٠٠٤٠٠٥") != "001203004005"


def _register(app, **fields):
    return Api(app.test_client()).post("/api/v1/register", json=GOOD | fields)


@pytest.mark.parametrize("typed", SPELLINGS)
def test_a_second_registration_in_another_spelling_is_refused(organiser, app, typed):
    assert _register(app).status_code == 201
    again = _register(app, phone=typed)
    assert again.status_code == 409 and "phone" in again.json["error"]["fields"]
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count(User.id)).where(User.role == "participant"))
            == 1
        )


@pytest.mark.parametrize("typed", ["84987654321", "0084987654321", "０９８７６５４３２１"])
def test_84_and_0084_and_fullwidth_register_as_the_canonical_number(organiser, app, typed):
    response = _register(app, phone=typed)
    assert response.status_code == 201, response.json
    with app.app_context():
        assert db.session.get(User, response.json["user"]["id"]).phone == "0987654321"
    for login in SPELLINGS + ["0987654321"]:
        assert Api(app.test_client()).login(login).status_code == 200, login


def test_arabic_indic_digits_are_not_a_phone(organiser, app):
    response = _register(app, phone="٠٩٨٧٦٥٤٣٢١")
    assert response.status_code == 422 and "phone" in response.json["error"]["fields"]


def test_one_cccd_is_stored_once_however_typed(organiser, app):
    assert _register(app, cccd="001203004005").status_code == 201
    for i, typed in enumerate(["００１２０３００４００５", "001 203 004 005", "001-203-004-005"]):
        again = _register(app, phone=f"091000000{i}", cccd=typed)
        assert again.status_code == 409, typed
        assert "fields" not in again.json["error"]  # it does not say the CCCD is registered
    fullwidth = _register(app, phone="0910000009", cccd="００２２０３００４００５")
    assert fullwidth.status_code == 201
    with app.app_context():
        assert sorted(db.session.scalars(db.select(User.cccd).where(User.cccd.is_not(None)))) == [
            "001203004005",
            "002203004005",
        ]


def test_email_is_unique_whatever_its_case(organiser, app):
    first = _register(app, email="Binh.Tran@Example.VN")
    assert first.status_code == 201
    with app.app_context():
        assert db.session.get(User, first.json["user"]["id"]).email == "binh.tran@example.vn"
    assert _register(app, phone="0911111111", email="BINH.TRAN@example.vn").status_code == 409
    assert _register(app, phone="0911111112", email="btc@EXAMPLE.vn").status_code == 409
    assert Api(app.test_client()).login("BINH.tran@example.vn").status_code == 200


def test_profile_email_and_cccd_clashes_are_409_in_vietnamese(organiser, register, app):
    first = register("0912000001", email="an@example.vn", cccd="001203004005")
    other = register("0912000002")
    for body, field in (
        ({"email": "AN@example.vn"}, "email"),
        ({"email": "BTC@example.vn"}, "email"),
        ({"cccd": "００１２０３００４００５"}, "cccd"),
    ):
        response = other.put("/api/v1/profile", json=body)
        assert response.status_code == 409, body
        assert "đã được đăng ký" in response.json["error"]["fields"][field]
    # one's own e-mail in other letters is no clash, and is stored lower-cased
    mine = first.put("/api/v1/profile", json={"email": "An@Example.VN", "cccd": "001203004005"})
    assert mine.status_code == 200
    with app.app_context():
        assert db.session.get(User, first.user["id"]).email == "an@example.vn"


def test_profile_page_email_clash_is_a_message_not_a_500(organiser, register):
    register("0912000001", email="an@example.vn")
    other = register("0912000002")
    page = other.client.get("/ho-so")
    response = other.client.post(
        "/ho-so", data={"csrf_token": csrf_from(page.text), "email": "AN@EXAMPLE.VN"}
    )
    assert response.status_code == 422
    assert "đã được đăng ký" in response.text


def test_the_as_you_type_check_names_nothing_taken(organiser, register, app):
    register("0912000001", email="an@example.vn", cccd="001203004005")
    check = Api(app.test_client()).post(
        "/api/v1/register/check",
        json={"phone": "0912000001", "email": "AN@example.vn", "cccd": "001203004005"},
    )
    assert check.status_code == 200
    assert not {"phone", "email", "cccd"} & set(check.json["fields"])
    # a format error is still said as-you-type
    bad = Api(app.test_client()).post("/api/v1/register/check", json={"cccd": "123"})
    assert "cccd" in bad.json["fields"]


def test_registration_page_names_the_phone_only_at_submit(organiser, register, app):
    register("0912000001")
    client = app.test_client()
    response = post_form(
        client,
        "/dang-ky",
        {
            "full_name": "Lê Văn C",
            "phone": "+84 912 000 001",
            "password": "matkhau1",
            "unit_code": "PNV",
        },
    )
    assert response.status_code == 422
    assert "Số điện thoại này đã được đăng ký" in response.text


def test_login_page_accepts_any_spelling(organiser, register, app):
    register("0912000001")
    client = app.test_client()
    response = post_form(
        client, "/dang-nhap", {"login": "８４９１２０００００１", "password": "matkhau1"}
    )
    assert response.status_code == 302


def _revision_before(revision: str) -> str:
    """The migration this one follows (re-chained when branches merge)."""
    import re
    from pathlib import Path

    path = next((Path(__file__).parent.parent / "migrations" / "versions").glob(f"{revision}_*.py"))
    return re.search(r"^down_revision = '(\w+)'", path.read_text(), re.MULTILINE).group(1)


def _scratch_database(tmp_path):
    """A database of its own for the migration test: a file on SQLite, a schema on PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path / "migrate.db"), None
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migrate_test CASCADE; CREATE SCHEMA migrate_test"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return url + sep + "options=-csearch_path%3Dmigrate_test", url


def test_the_migration_normalises_old_rows_and_reports_duplicates(tmp_path, capsys):
    from flask_migrate import upgrade

    from contest import create_app

    url, base = _scratch_database(tmp_path)
    scratch = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    try:
        with scratch.app_context():
            upgrade(revision=_revision_before("b13a5e7c0d21"))
            rows = [  # id, phone, cccd, email, created_at (ordering)
                (
                    1,
                    "０９１２０００００１",
                    "００１２０３００４００５",
                    "An@Example.vn",
                    "2026-01-01",
                ),
                (2, "+84912000001", "001203004005", "AN@example.vn", "2026-01-02"),
                (3, "0913000003", None, "binh@example.vn", "2026-01-03"),
                (4, "0084913000003", "００２２０３００４００５", None, "2026-01-04"),
                (5, "84914000005", None, "Chi@Example.vn", "2026-01-05"),
            ]
            with db.engine.begin() as conn:
                conn.execute(
                    text("INSERT INTO organisations (id, code, name) VALUES (1, 'default', 'x')")
                )
                for uid, phone, cccd, email, created in rows:
                    conn.execute(
                        text(
                            "INSERT INTO users (id, organisation_id, role, full_name, phone, cccd, "
                            "email, category, password_hash, created_at) VALUES (:id, 1, "
                            "'participant', 'N', :phone, :cccd, :email, 'cbccvc', 'x', :created)"
                        ),
                        {
                            "id": uid,
                            "phone": phone,
                            "cccd": cccd,
                            "email": email,
                            "created": created + " 00:00:00",
                        },
                    )
            capsys.readouterr()
            upgrade()
            printed = capsys.readouterr().out
            with db.engine.connect() as conn:
                got = {
                    r.id: (r.phone, r.cccd, r.email)
                    for r in conn.execute(text("SELECT id, phone, cccd, email FROM users"))
                }
        assert got == {
            # the earliest takes the number; its CCCD is another's already-canonical one
            1: ("0912000001", "００１２０３００４００５", "an@example.vn"),
            2: ("+84912000001", "001203004005", "AN@example.vn"),  # as it was, reported
            3: ("0913000003", None, "binh@example.vn"),  # already canonical: keeps it
            4: ("0084913000003", "002203004005", None),
            5: ("0914000005", None, "chi@example.vn"),
        }
        assert "duplicate cccd '001203004005': account 1" in printed
        assert "duplicate phone '0912000001': account 2" in printed
        assert "duplicate phone '0913000003': account 4" in printed
        assert "duplicate email 'an@example.vn': account 2" in printed
        assert printed.count("duplicate") == 4
    finally:
        with scratch.app_context():
            db.session.remove()
            db.engine.dispose()
        if base:
            engine = create_engine(base)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA migrate_test CASCADE"))
            engine.dispose()
