"""The organiser's certificate batch in Debian's chromium: the round page's button opens the
progress page, whose bar follows the drawing (slowed here so that it is seen between 0 and
the end) and which downloads the one PDF when it is ready."""

import time

import pytest
import test_certificates
from pypdf import PdfReader
from test_browser import browser, expect, live_server  # noqa: F401  (shared fixtures)
from test_browser_organiser import desk  # noqa: F401

from contest import certificate_pdf, jobs

pytestmark = pytest.mark.browser
week = test_certificates.week


def test_the_batch_shows_its_progress_then_downloads(
    desk,
    organiser,
    week,
    monkeypatch,  # noqa: F811
    tmp_path,
):
    rnd, _people = week
    real = certificate_pdf.render

    def slow(pages, title, progress=None, every=25):
        def told(n):
            progress(n)
            time.sleep(1.5)  # the bar is read between two pages

        return real(pages, title, progress=told, every=1)

    monkeypatch.setattr(jobs, "render", slow)
    page = desk
    page.goto("/dang-nhap")
    page.fill("#f-login", "btc@example.vn")
    page.fill("#f-password", "matkhau1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/to-chuc/dot-thi/{rnd['id']}")
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Tải mọi giấy chứng nhận của đợt (.pdf)").click()
        expect(page.locator(".batch-state")).to_contain_text("Đang tạo: 1/2")
        expect(page.locator("#batch progress")).to_have_attribute("value", "1")
        expect(page.locator(".batch-state")).to_contain_text("Đã xong: 2 giấy chứng nhận")
    saved = tmp_path / "gcn.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"giay-chung-nhan-dot-{rnd['id']}.pdf"
    assert len(PdfReader(saved).pages) == 2
    expect(page.locator(".batch-link a")).to_be_visible()
