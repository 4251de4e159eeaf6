"""An organisation's admin, in Debian's chromium, invites an organiser by a one-time link; the
invitee opens it in another browser, makes an account, and runs a contest: creates it and a
round on the organisation's bank."""

import re

import pytest
from staff import admin_of_default
from test_browser import browser, create_contest_and_round, expect, serving  # noqa: F401

pytestmark = pytest.mark.browser
PORTS = range(54200, 54300)  # this worktree's ports


@pytest.fixture
def admin(app, runner, organiser):
    return admin_of_default(app, runner)


@pytest.fixture
def team_server(app):
    """The session app on 127.0.0.1, on the first free port of PORTS."""
    with serving(app, PORTS, "team-server") as url:
        yield url


def _page(browser, base):  # noqa: F811
    context = browser.new_context(
        base_url=base, viewport={"width": 1280, "height": 800}, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_an_admin_invites_an_organiser_who_runs_a_contest(
    browser,
    team_server,
    admin,  # noqa: F811
    make_bank,
    clock,
):
    make_bank(name="Ngân hàng của tổ chức")
    admin_context, desk = _page(browser, team_server)
    desk.goto("/dang-nhap")
    desk.fill("#f-login", "qtv@example.vn")
    desk.fill("#f-password", "matkhau1")
    desk.get_by_role("button", name="Đăng nhập").click()
    desk.get_by_role("link", name="Nhân sự").first.click()
    expect(desk.get_by_role("heading", name="Nhân sự của tổ chức")).to_be_visible()
    desk.select_option("#f-role", "organiser")
    desk.get_by_role("button", name="Tạo lời mời").click()
    link = desk.locator("#invite-link").inner_text()
    assert re.fullmatch(re.escape(team_server) + r"/moi/[\w-]{20,}", link)
    admin_context.close()

    context, page = _page(browser, team_server)
    page.goto(link)
    expect(page.get_by_text("với vai trò Ban tổ chức")).to_be_visible()
    page.fill("#f-full_name", "Trần Thị Mới")
    page.fill("#f-email", "moi@example.vn")
    page.fill("#f-password", "matkhau1")
    page.get_by_role("button", name="Tạo tài khoản và nhận lời mời").click()
    expect(page.get_by_role("heading", name="Quản lý cuộc thi")).to_be_visible()
    expect(page.get_by_role("link", name="Nhân sự")).to_have_count(0)  # not an admin
    create_contest_and_round(page, "Cuộc thi của người được mời", "nguoi-duoc-moi")
    expect(page.get_by_role("link", name="Tải kết quả (.xlsx)")).to_be_visible()
    page.goto(link)  # the link was used: the same answer as any wrong code
    expect(page.get_by_text("Lời mời không đúng, đã được dùng hoặc đã hết hạn.")).to_be_visible()
    context.close()
