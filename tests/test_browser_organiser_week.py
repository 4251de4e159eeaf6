"""An organiser's week in Debian's chromium: a unit list with a variant header ("Số lượng
CBCCVC") uploaded again, its headcount changes read and confirmed; a participant's wrong unit
put right on the participants page; the round extended, then closed early with a reason; and
the prize draft appearing once the grace is over, made by the in-app scheduler (no cron, no
request needed)."""

import re
import time
from datetime import timedelta

import pytest
from conftest import START, xlsx_bytes
from test_browser import browser, expect, live_server  # noqa: F401  (shared fixtures)
from test_browser_organiser import desk  # noqa: F401
from test_scheduler import abandon

from contest.extensions import db
from contest.models import AuditEntry, Entry, Round, Unit
from contest.scheduler import JobRunner
from contest.timing import format_local

pytestmark = pytest.mark.browser


def _log_in(page):
    page.goto("/dang-nhap")
    page.fill("#f-login", "btc@example.vn")
    page.fill("#f-password", "matkhau1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Quản lý cuộc thi")).to_be_visible()


def _upload_units(page, tmp_path):
    path = tmp_path / "don-vi-tuan-2.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Số lượng CBCCVC"],
                ["UB", "UBND thị xã", "", 100],
                ["PNV", "Phòng Nội vụ", "UB", 12],
                ["PTP", "Phòng Tư pháp", "UB", 6],
            ]
        )
    )
    page.set_input_files("#units-file", str(path))
    page.get_by_role("button", name="Tải lên danh sách đơn vị").click()
    changes = page.locator("#headcount-changes")
    expect(changes).to_contain_text("Phòng Nội vụ")
    expect(changes).to_contain_text("10 → 12")
    expect(page.locator("#new-units")).to_contain_text("Phòng Tư pháp")
    expect(page.locator("#missing-units")).to_contain_text("Phòng Tài chính")
    page.get_by_role("button", name="Xác nhận lưu danh sách đơn vị").click()
    expect(
        page.get_by_text("Đã nhập danh sách đơn vị: 1 đơn vị mới, 2 đơn vị cập nhật.")
    ).to_be_visible()
    expect(page.locator("tr", has_text="UBND thị xã › Phòng Nội vụ")).to_contain_text("12")


def _fix_unit(page):
    page.goto("/to-chuc/nguoi-du-thi")
    row = page.locator("tr", has_text="Nguyễn Văn An")
    row.get_by_text("Đổi đơn vị", exact=True).click()
    row.locator("input[name=unit_code]").fill("PTP")
    row.locator("form[action*='/don-vi'] button").click()
    expect(
        page.get_by_text("Đã chuyển Nguyễn Văn An sang đơn vị Phòng Tư pháp (1 bài thi")
    ).to_be_visible()


def _extend_then_close(page, round_id, clock):
    page.goto(f"/to-chuc/dot-thi/{round_id}")
    later = START + timedelta(days=8)
    page.locator("input[name=closes_at]").fill(format_local(later, "%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Gia hạn / đổi giờ kết thúc").click()
    expect(page.get_by_text(f"Đợt thi kết thúc lúc {format_local(later)}.")).to_be_visible()
    clock.advance(minutes=5)
    page.get_by_placeholder("Lý do đóng sớm").fill("Đề bị lộ, đóng theo chỉ đạo")
    page.get_by_role("button", name="Đóng đợt thi ngay").click()
    expect(page.get_by_text('Đã đóng đợt thi "Tuần 1"')).to_be_visible()
    expect(page.get_by_text("Đã kết thúc, đang chờ chốt kết quả")).to_be_visible()
    expect(page.locator("#giai")).not_to_contain_text("Trần Thị Bình")


def test_an_organisers_week(
    desk,
    app,
    organiser,
    make_round,
    register,
    clock,
    tmp_path,  # noqa: F811
    monkeypatch,
):
    rnd = make_round()
    an = register(phone="0912000001", name="Nguyễn Văn An", unit="PNV")
    attempt = an.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    assert an.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).status_code == 200
    abandon(app, register(phone="0912000002", name="Trần Thị Bình", unit="PTC"), rnd["id"])
    page = desk
    _log_in(page)
    _upload_units(page, tmp_path)
    _fix_unit(page)
    _extend_then_close(page, rnd["id"], clock)

    monkeypatch.setitem(app.config, "SCHEDULER_INTERVAL_S", 0.2)
    runner = JobRunner(app).start()
    try:
        clock.advance(seconds=31)  # the grace is over: nobody makes a request
        deadline = time.monotonic() + 15
        while (
            time.monotonic() < deadline
            and "Trần Thị Bình" not in page.locator("#giai").inner_text()
        ):
            time.sleep(0.3)
            page.reload()
    finally:
        runner.stop()
    expect(page.locator("#giai")).to_contain_text("Trần Thị Bình")
    expect(page.get_by_text(re.compile("Đã kết thúc, kết quả đã chốt lúc"))).to_be_visible()
    with app.app_context():
        closed = db.session.get(Round, rnd["id"])
        assert closed.closes_at == START + timedelta(minutes=5)
        ptp = db.session.scalar(db.select(Unit).filter_by(code="PTP"))
        assert (
            db.session.scalar(db.select(Entry.unit_id).filter_by(user_id=an.user["id"])) == ptp.id
        )
        actions = [
            a for a in db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id))
        ]
    assert actions[-5:] == [
        "import_units",
        "change_participant_unit",
        "update_round",
        "close_round",
        "finalise_round",
    ]
