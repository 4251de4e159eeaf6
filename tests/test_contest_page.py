"""A contest's public page, and registering through it with the contest's profile fields."""

import io
import re
import struct
import zlib
from xml.etree import ElementTree

from conftest import csrf_from
from test_results import play


def tiny_png() -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = zlib.compress(b"\x00\xa3\x1d\x1d")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


def test_public_contest_page(app, organiser, make_round, register, clock):
    rnd = make_round()
    play(app, register(), rnd["id"], 3, clock, 10)
    token = csrf_from(organiser.client.get("/to-chuc/cuoc-thi/thu").text)
    saved = organiser.client.post(
        "/to-chuc/cuoc-thi/thu/thiet-lap",
        data={
            "csrf_token": token,
            "rules": "Thể lệ: mỗi người 2 lượt.",
            "documents": "Kế hoạch 123/KH-UBND | https://example.vn/kh.pdf\nkhông có gạch",
            "banner": (io.BytesIO(tiny_png()), "banner.png"),
            "field_cccd": "required",
        },
        follow_redirects=True,
    )
    assert "Đã lưu thiết lập cuộc thi" in saved.text
    page = app.test_client().get("/cuoc-thi/thu").text
    assert "Thể lệ: mỗi người 2 lượt." in page and "Kế hoạch 123/KH-UBND" in page
    assert 'data-countdown-to="' in page and "Tuần 1 kết thúc sau" in page
    assert re.search(r'id="count-attempts">1<', page) and re.search(r'id="count-units">1<', page)
    assert "/cuoc-thi/thu/banner" in page
    banner = app.test_client().get("/cuoc-thi/thu/banner")
    assert banner.mimetype == "image/png" and banner.data == tiny_png()
    qr = app.test_client().get("/cuoc-thi/thu/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    ElementTree.fromstring(qr.data)
    bad = organiser.client.post(
        "/to-chuc/cuoc-thi/thu/thiet-lap",
        data={"csrf_token": token, "banner": (io.BytesIO(b"GIF89a"), "x.gif")},
        follow_redirects=True,
    )
    assert "Ảnh biểu ngữ phải là PNG" in bad.text


def test_registration_follows_the_contest_and_profile_completes_it(
    app, organiser, make_round, register, clock
):
    rnd = make_round()
    organiser.put(
        "/api/v1/contests/thu",
        json={
            "registration_fields": {
                "birth_date": "required",
                "gender": "optional",
                "cccd": "hidden",
            }
        },
    )
    client = app.test_client()
    form = client.get("/dang-ky?next=/cuoc-thi/thu").text
    assert 'name="birth_date"' in form and 'name="gender"' in form and 'name="cccd"' not in form
    token = csrf_from(form)
    refused = client.post(
        "/dang-ky?next=/cuoc-thi/thu",
        data={
            "csrf_token": token,
            "full_name": "Phan Văn Bảo",
            "phone": "0977000111",
            "password": "matkhau1",
            "unit_code": "PNV",
            "category": "cbccvc",
        },
    )
    assert refused.status_code == 422 and "Ngày sinh là bắt buộc" in refused.text
    older = register(phone="0977000222")  # registered before the rule
    contest = older.client.get("/cuoc-thi/thu").text
    started = older.client.post(
        f"/dot-thi/{rnd['id']}/bat-dau", data={"csrf_token": csrf_from(contest)}
    )
    assert started.status_code == 302 and "/ho-so" in started.headers["Location"]
    profile = older.client.get(started.headers["Location"])
    assert "Ngày sinh" in profile.text
    done = older.client.post(
        started.headers["Location"],
        data={
            "csrf_token": csrf_from(profile.text),
            "birth_date": "1990-02-03",
            "category": "cbccvc",
        },
    )
    assert done.status_code == 302 and done.headers["Location"] == "/cuoc-thi/thu"
    again = older.client.post(
        f"/dot-thi/{rnd['id']}/bat-dau", data={"csrf_token": csrf_from(contest)}
    )
    assert "/bai-thi/" in again.headers["Location"]
