"""The drafts review page in Debian's chromium: general-knowledge drafts carry their badge, and
the filter shows them alone or hides them (CSS only, no script)."""

import pytest
from test_browser import browser, expect, live_server  # noqa: F401  (shared fixtures)
from test_draft_pages import SIPAS_PLAN

pytestmark = pytest.mark.browser


def test_reviewer_sees_and_filters_general_knowledge(
    browser,
    live_server,
    organiser,  # noqa: F811
    tmp_path,
):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 800}, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/dang-nhap")
        page.fill("#f-login", "btc@example.vn")
        page.fill("#f-password", "matkhau1")
        page.get_by_role("button", name="Đăng nhập").click()
        plan = tmp_path / "hoa-binh.txt"
        plan.write_text(SIPAS_PLAN, encoding="utf-8")
        page.goto("/to-chuc/soan-cau-hoi")
        page.set_input_files("#plan-file", str(plan))
        page.get_by_role("button", name="Soạn câu hỏi nháp").click()
        general = page.locator(".draft.basis-catalogue")
        own = page.locator(".draft.basis-plan")
        sipas = general.filter(has_text="Chỉ số SIPAS đo lường nội dung nào?")
        expect(sipas.get_by_text("Kiến thức chung — không có trong kế hoạch")).to_be_visible()
        assert general.count() >= 1 and own.count() >= 1
        page.get_by_label("Chỉ câu kiến thức chung").check()
        expect(own.first).to_be_hidden()
        expect(sipas).to_be_visible()
        page.get_by_label("Chỉ câu theo kế hoạch").check()
        expect(sipas).to_be_hidden()
        expect(own.first).to_be_visible()
        page.get_by_label("Tất cả").check()
        expect(sipas).to_be_visible()
        expect(own.first).to_be_visible()
    finally:
        context.close()
