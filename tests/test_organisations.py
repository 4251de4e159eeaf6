"""Organisations in the product: the instance administrator's pages (create, rename, logo,
public address), each organisation's public page, the home page's open contests by
organisation, and the migration that gave existing organisations an address and an admin."""

import io
from datetime import timedelta

from conftest import BANK_HEADERS, START, bank_rows, csrf_from, iso, xlsx_bytes
from factories import migration_app
from flask_migrate import downgrade, upgrade
from PIL import Image
from sqlalchemy import text
from staff import cli_staff

from contest.extensions import db
from contest.models import AuditEntry, Organisation


def _png(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _admin(app, runner):
    return cli_staff(app, runner, "qt@example.vn", None, "so-noi-vu", "--instance-admin")


def _org(app, code):
    with app.app_context():
        return db.session.scalar(db.select(Organisation).filter_by(code=code))


def test_the_instance_admin_creates_renames_and_readdresses_an_organisation(app, runner):
    admin = _admin(app, runner)
    page = admin.client.get("/quan-tri/to-chuc")
    assert page.status_code == 200 and "so-noi-vu" in page.text
    token = csrf_from(page.text)
    made = admin.client.post(
        "/quan-tri/to-chuc",
        data={
            "csrf_token": token,
            "code": "DongSon",
            "name": "Phòng Nội vụ huyện Đông Sơn",
            "slug": "dong-son",
        },
    )
    assert made.status_code == 302
    org = _org(app, "DongSon")
    assert org.slug == "dong-son"
    public = app.test_client().get("/don-vi-to-chuc/dong-son")
    assert public.status_code == 200 and "Phòng Nội vụ huyện Đông Sơn" in public.text
    for bad, message in (("Dong Son!", "chữ thường không dấu"), ("so-noi-vu", "đã có tổ chức")):
        refused = admin.client.post(
            f"/quan-tri/to-chuc/{org.id}",
            data={"csrf_token": token, "name": "Đông Sơn", "slug": bad},
        )
        assert refused.status_code == 422 and message in refused.text, bad
    again = admin.client.post(
        "/quan-tri/to-chuc",
        data={"csrf_token": token, "code": "DongSon", "name": "Trùng mã", "slug": "trung"},
    )
    assert again.status_code == 422 and "Mã tổ chức này đã có" in again.text
    moved = admin.client.post(
        f"/quan-tri/to-chuc/{org.id}",
        data={"csrf_token": token, "name": "UBND huyện Đông Sơn", "slug": "huyen-dong-son"},
    )
    assert moved.status_code == 302
    assert app.test_client().get("/don-vi-to-chuc/dong-son").status_code == 404
    assert "UBND huyện Đông Sơn" in app.test_client().get("/don-vi-to-chuc/huyen-dong-son").text
    from contest.models.audit_text import sentence

    with app.app_context():
        entries = db.session.scalars(
            db.select(AuditEntry).filter_by(organisation_id=org.id).order_by(AuditEntry.id)
        ).all()
        log = [sentence(e) for e in entries]
    assert log[0].startswith(
        "Cán bộ qt@example.vn đã tạo tổ chức «Phòng Nội vụ huyện Đông "
        "Sơn» (mã «DongSon», địa chỉ trang «dong-son»)"
    )
    assert "tên «Phòng Nội vụ huyện Đông Sơn» → «UBND huyện Đông Sơn»" in log[1]
    assert "địa chỉ trang «dong-son» → «huyen-dong-son»" in log[1]


def test_a_logo_is_checked_stored_and_served(app, runner, tmp_path):
    admin = _admin(app, runner)
    org = _org(app, "so-noi-vu")
    token = csrf_from(admin.client.get("/quan-tri/to-chuc").text)
    hostile = [
        b"<html><script>alert(1)</script></html>",
        b"\x89PNG\r\n\x1a\n" + b"x" * 100,
        _png((2000, 10)),
        b"GIF89a" + b"\0" * 50,
        _png() + b"\0" * 400_000,
    ]
    for data in hostile:
        refused = admin.client.post(
            f"/quan-tri/to-chuc/{org.id}/logo",
            data={"csrf_token": token, "logo": (io.BytesIO(data), "logo.png")},
        )
        assert refused.status_code == 422 and "PNG hoặc JPEG" in refused.text
    assert app.test_client().get("/don-vi-to-chuc/so-noi-vu/logo").status_code == 404
    logo = _png()
    stored = admin.client.post(
        f"/quan-tri/to-chuc/{org.id}/logo",
        data={"csrf_token": token, "logo": (io.BytesIO(logo), "logo.png")},
    )
    assert stored.status_code == 302
    served = app.test_client().get("/don-vi-to-chuc/so-noi-vu/logo")
    assert served.data == logo and served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        'src="/don-vi-to-chuc/so-noi-vu/logo"'
        in app.test_client().get("/don-vi-to-chuc/so-noi-vu").text
    )


def test_home_lists_open_contests_by_organisation(app, runner, organiser, make_round, clock):
    make_round()  # the default organisation's, open now
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    data = xlsx_bytes([BANK_HEADERS] + bank_rows(6))
    bank = other.post(
        "/api/v1/banks", data={"file": (io.BytesIO(data), "nh.xlsx"), "name": "NH"}
    ).json["id"]
    for slug, title in (("khac", "Cuộc thi tỉnh khác"), ("trong", "Cuộc thi chưa có đợt")):
        assert (
            other.post(
                "/api/v1/contests", json={"slug": slug, "title": title, "masking": "none"}
            ).status_code
            == 201
        )
    assert (
        other.post(
            "/api/v1/contests/khac/rounds",
            json={
                "name": "Tuần 1",
                "opens_at": iso(START + timedelta(days=1)),
                "closes_at": iso(START + timedelta(days=20)),
                "bank_id": bank,
                "question_count": 5,
                "time_limit_s": 600,
                "max_attempts": 1,
                "counting": "best",
                "prediction": "none",
                "grace_s": 30,
            },
        ).status_code
        == 201
    )
    home = app.test_client().get("/").text
    sections = home.split('<section class="organisation"')[1:]
    by_org = {s.split('"')[1]: s for s in sections}
    assert set(by_org) == {"to-chuc-default", "to-chuc-tinh-khac"}
    assert "Cuộc thi thử" in by_org["to-chuc-default"]
    assert "Cuộc thi tỉnh khác" in by_org["to-chuc-tinh-khac"]
    assert "Cuộc thi thử" not in by_org["to-chuc-tinh-khac"]
    assert "Cuộc thi chưa có đợt" not in home  # nothing to enter
    clock.advance(days=8)  # the default organisation's round is over
    home = app.test_client().get("/").text
    assert "Cuộc thi thử" not in home and "Cuộc thi tỉnh khác" in home
    page = app.test_client().get("/don-vi-to-chuc/tinh-khac").text
    assert "Cuộc thi tỉnh khác" in page and "Cuộc thi chưa có đợt" in page
    assert "Cuộc thi thử" not in page


def test_only_the_instance_admin_manages_organisations(app, runner, organiser, register):
    org = _org(app, "default")
    participant = register(phone="0912000999")
    for client in (organiser.client, participant.client):
        token = csrf_from(client.get("/dang-nhap").text)
        assert (
            client.post(
                "/quan-tri/to-chuc",
                data={"csrf_token": token, "code": "X1", "name": "X", "slug": "x1"},
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/quan-tri/to-chuc/{org.id}",
                data={"csrf_token": token, "name": "Đổi", "slug": "doi"},
            ).status_code
            == 403
        )
    assert _org(app, "X1") is None and _org(app, "default").slug == "default"


def test_the_migration_gives_addresses_and_each_organisation_an_admin(make_app, tmp_path):
    app = migration_app(make_app, tmp_path)
    with app.app_context():
        upgrade(revision="6fdc783774a7")
        with db.engine.begin() as conn:
            for oid, code in ((1, "Tinh_Khac"), (2, "tinh-khac"), (3, "ngoai")):
                conn.execute(
                    text("INSERT INTO organisations (id, code, name) VALUES (:i, :c, 'O')"),
                    {"i": oid, "c": code},
                )
            people = (
                (1, 1, "organiser", "2026-01-02"),
                (2, 1, "organiser", "2026-01-01"),
                (3, 2, "admin", "2026-01-03"),
                (4, 2, "organiser", "2026-01-01"),
                (5, 3, "participant", "2026-01-01"),
            )
            for uid, oid, role, at in people:
                conn.execute(
                    text(
                        "INSERT INTO users (id, organisation_id, role, full_name, password_hash, "
                        "category, created_at) VALUES (:u, :o, :r, 'N', 'x', 'cbccvc', :at)"
                    ),
                    {"u": uid, "o": oid, "r": role, "at": at},
                )
            conn.execute(
                text(  # another table's row refers to a user: the rebuild keeps it
                    "INSERT INTO user_sessions (user_id, key_hash, created_at, expires_at, remember) "
                    "VALUES (5, 'k', '2026-01-01', '2026-02-01', false)"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            slugs = dict(conn.execute(text("SELECT id, slug FROM organisations")).all())
            roles = dict(conn.execute(text("SELECT id, role FROM users")).all())
        assert slugs == {1: "tinh-khac", 2: "tinh-khac-2", 3: "ngoai"}
        assert roles == {1: "organiser", 2: "admin", 3: "admin", 4: "organiser", 5: "participant"}
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT user_id FROM user_sessions")).all() == [(5,)]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        downgrade(revision="6fdc783774a7")
        upgrade()  # and back again
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM user_sessions")).scalar() == 1


def test_cli_creates_an_organisation_then_only_renames_it(app, runner):
    made = runner.invoke(args=["create-organisation", "dong-son", "--name", "Đông Sơn"])
    assert made.exit_code == 0 and "/don-vi-to-chuc/dong-son" in made.output
    again = runner.invoke(
        args=["create-organisation", "dong-son", "--name", "Huyện Đông Sơn", "--slug", "khac"]
    )
    assert again.exit_code == 0 and "Đã đổi tên" in again.output
    org = _org(app, "dong-son")
    assert (org.name, org.slug) == ("Huyện Đông Sơn", "dong-son")
    bad = runner.invoke(args=["create-organisation", "x y", "--name", "Sai"])
    assert bad.exit_code != 0 and "Mã tổ chức gồm" in bad.output and _org(app, "x y") is None
    assert "Huyện Đông Sơn" in app.test_client().get("/don-vi-to-chuc/dong-son").text


def test_an_organisation_admin_sets_its_own_name_and_logo(app, runner, organiser):
    admin = cli_staff(app, runner, "qtv@example.vn", "admin")
    page = admin.client.get("/to-chuc/thiet-lap-to-chuc")
    assert page.status_code == 200
    assert organiser.client.get("/to-chuc/thiet-lap-to-chuc").status_code == 403
    token = csrf_from(page.text)
    bad = admin.client.post(
        "/to-chuc/thiet-lap-to-chuc",
        data={"csrf_token": token, "name": "Sở Nội vụ", "logo": (io.BytesIO(b"<svg/>"), "a.png")},
    )
    assert bad.status_code == 422 and "PNG hoặc JPEG" in bad.text
    assert _org(app, "default").name != "Sở Nội vụ"  # nothing saved
    done = admin.client.post(
        "/to-chuc/thiet-lap-to-chuc",
        data={"csrf_token": token, "name": "Sở Nội vụ", "logo": (io.BytesIO(_png()), "a.png")},
    )
    assert done.status_code == 302
    org = _org(app, "default")
    assert (org.name, org.slug, org.logo_type) == ("Sở Nội vụ", "default", "image/png")
