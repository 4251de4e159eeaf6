"""Issue 4 through the pages: the public contest page, contest-aware registration, the
organiser's settings, blocks, prizes, printable list, dashboard and audit trail."""

import io
import re
import struct
import zlib
from datetime import timedelta
from xml.etree import ElementTree

from conftest import START, csrf_from
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


def test_organiser_prizes_print_dashboard_and_audit(app, organiser, make_round, register, clock):
    rnd = make_round(prize_first=1, prize_second=1, prize_third=0, prize_consolation=0)
    for i, right in enumerate([5, 4, 3]):
        play(
            app,
            register(phone=f"09770003{i:02d}", name=f"Thí sinh {i}", unit="PNV" if i else "PTC"),
            rnd["id"],
            right,
            clock,
            10 + i,
        )
    client = organiser.client
    page = client.get(f"/to-chuc/dot-thi/{rnd['id']}").text
    prizes = page.split('id="giai"')[1].split("</section>")[0]
    assert "Dự thảo" in prizes and prizes.index("Thí sinh 0") < prizes.index("Thí sinh 1")
    token = csrf_from(page)
    entry = int(re.search(r"/huy/(\d+)", page).group(1))
    client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/huy/{entry}",
        data={"csrf_token": token, "reason": "Gian lận"},
    )
    page = client.get(f"/to-chuc/dot-thi/{rnd['id']}").text
    assert "Gian lận" in page and "Khôi phục" in page
    refused = client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/xac-nhan-giai",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "chưa thể xác nhận" in refused.text
    clock.set(START + timedelta(days=8))
    client.post(f"/to-chuc/dot-thi/{rnd['id']}/xac-nhan-giai", data={"csrf_token": token})
    printed = client.get(f"/to-chuc/dot-thi/{rnd['id']}/giai-thuong").text
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in printed and "Dự thảo" not in printed
    assert (
        printed.index("Thí sinh 1") < printed.index("Thí sinh 2")
        and "Thí sinh 0" not in printed.split("<tbody>")[1].split("</tbody>")[0]
    )
    stats = client.get("/to-chuc/cuoc-thi/thu/thong-ke").text
    assert stats.count("<svg") == 3 and "style=" not in stats.split("<main")[1]
    assert stats.index("UBND thị xã") < stats.index("Phòng Nội vụ")  # nobody yet: first
    audit = client.get("/to-chuc/nhat-ky").text
    assert "đã huỷ kết quả của «Thí sinh 0» trong đợt «Tuần 1», lý do: «Gian lận»" in audit
    assert "đã xác nhận danh sách giải của đợt «Tuần 1»" in audit
    shown = re.sub(r"<[^>]+>", " ", audit)  # what a person reads (a filter's values are codes)
    assert "void_entry" not in shown and "confirm_prizes" not in shown  # no developer codes


def test_blocks_through_the_pages(app, organiser, make_round, clock):
    make_round()
    client = organiser.client
    token = csrf_from(client.get("/to-chuc/cuoc-thi/thu").text)
    client.post(
        "/to-chuc/cuoc-thi/thu/bang",
        data={"csrf_token": token, "name": "Bảng B", "category": "nhan_dan"},
    )
    page = client.get("/to-chuc/cuoc-thi/thu").text
    assert "Bảng B" in page and 'name="block_id"' in page
