"""An organiser at an office PC, in Debian's chromium: a bank with errors, the errors read, the
fixed file uploaded (with its progress), a round created, the export downloaded. And the
registration form's as-you-type messages, the same as the server's."""

import re

import pytest
from conftest import BANK_HEADERS, bank_rows, xlsx_bytes
from openpyxl import load_workbook
from test_browser import (  # noqa: F401  (shared fixtures)
    browser,
    create_contest_and_round,
    expect,
    live_server,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(browser, live_server):  # noqa: F811
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 800},
        locale="vi-VN",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_organiser_uploads_fixes_creates_a_round_and_downloads(desk, organiser, tmp_path, clock):
    page = desk
    page.goto("/dang-nhap")
    page.fill("#f-login", "btc@example.vn")
    page.fill("#f-password", "matkhau1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Quản lý cuộc thi")).to_be_visible()
    rows = bank_rows(6)
    rows[3][6] = ""
    bad, good = tmp_path / "sai.xlsx", tmp_path / "dung.xlsx"
    bad.write_bytes(xlsx_bytes([BANK_HEADERS] + rows))
    rows[3][6] = "B"
    good.write_bytes(xlsx_bytes([BANK_HEADERS] + rows))
    page.fill("#bank-name", "Ngân hàng tuần 1")
    page.set_input_files("#bank-file", str(bad))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.locator(".import-errors")).to_contain_text("Thiếu đáp án đúng")
    expect(page.locator(".import-errors")).to_contain_text("5")  # the row
    page.goto("/to-chuc/")
    page.fill("#bank-name", "Ngân hàng tuần 1")
    page.set_input_files("#bank-file", str(good))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.get_by_role("button", name=re.compile("Xác nhận lưu 6 câu hỏi")).click()
    expect(page.get_by_text("6 câu hỏi đang dùng")).to_be_visible()
    create_contest_and_round(page, "Tìm hiểu CCHC quý I", "cchc-quy-1")
    expect(page.get_by_role("link", name="Tải kết quả (.xlsx)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kết quả (.xlsx)").click()
    path = tmp_path / "ket-qua.xlsx"
    download.value.save_as(path)
    assert load_workbook(path).sheetnames[:2] == ["Kết quả", "Đạt giải"]


def test_registration_says_what_is_wrong_while_typing(desk, organiser):
    page = desk
    page.goto("/dang-ky")
    page.fill("#f-phone", "12345")
    page.fill("#f-full_name", "Trần Văn Bình")
    expect(page.locator("#e-phone")).to_have_text("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.")
    page.fill("#f-phone", "0912345670")
    page.locator("#f-full_name").focus()
    expect(page.locator("#e-phone")).to_be_hidden()
    page.fill("#f-cccd", "123")
    page.locator("#f-full_name").focus()
    expect(page.locator("#e-cccd")).to_have_text("Số CCCD gồm đúng 12 chữ số.")


def test_round_form_says_what_is_wrong_while_typing(desk, organiser, make_round, clock):
    make_round(question_count=5)  # contest "thu" with a 10-question bank
    page = desk
    page.goto("/dang-nhap")
    page.fill("#f-login", "btc@example.vn")
    page.fill("#f-password", "matkhau1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/to-chuc/cuoc-thi/thu")
    page.fill("#f-question_count", "50")
    page.locator("#f-name").focus()
    expect(page.locator("#e-question_count")).to_contain_text("chỉ có 10 câu hỏi")
    page.fill("#f-question_count", "5")
    page.locator("#f-name").focus()
    expect(page.locator("#e-question_count")).to_be_hidden()


def test_unit_list_upload_is_confirmed_then_a_unit_edited(desk, organiser, tmp_path):
    """The upload goes by XMLHttpRequest (with progress) and is redirected: the page shown
    must still say what was imported (the flash message is read once)."""
    from conftest import units_xlsx

    page = desk
    page.goto("/dang-nhap")
    page.fill("#f-login", "btc@example.vn")
    page.fill("#f-password", "matkhau1")
    page.get_by_role("button", name="Đăng nhập").click()
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(
        units_xlsx(
            [
                ["UB", "UBND thị xã", "", 100],
                ["PNV", "Phòng Nội vụ", "UB", 10],
                ["PTP", "Phòng Tư pháp", "UB", 6],
            ]
        )
    )
    page.set_input_files("#units-file", str(path))
    page.get_by_role("button", name="Tải lên danh sách đơn vị").click()
    expect(
        page.get_by_text(
            'Đã nhập danh sách đơn vị "Danh sách đơn vị": 1 đơn vị mới, 2 đơn vị cập nhật.'
        )
    ).to_be_visible()
    assert page.url.endswith("/to-chuc/")
    page.get_by_role("link", name="Xem, sửa danh sách đơn vị").click()
    row = page.locator("tr", has_text="UBND thị xã › Phòng Tư pháp")
    row.get_by_text("Sửa", exact=True).click()
    row.locator("input[name=headcount]").fill("7")
    row.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu đơn vị Phòng Tư pháp.")).to_be_visible()
    expect(page.locator("tr", has_text="UBND thị xã › Phòng Tư pháp")).to_contain_text("7")
