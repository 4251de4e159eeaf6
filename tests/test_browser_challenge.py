"""The proof-of-work widget in Debian's chromium, under the site's Content-Security-Policy:
past the threshold the login page shows it, it solves the challenge by itself from this site's
files only, and the login goes through."""

import pytest
from test_browser import browser, expect, live_server  # noqa: F401  (shared fixtures)

from contest.extensions import limiter

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(browser, live_server):  # noqa: F811
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.outside = []
    page.on("request", lambda r: not r.url.startswith(live_server) and page.outside.append(r.url))
    yield page
    context.close()


def test_the_widget_solves_the_challenge_and_the_login_goes_through(
    app, desk, organiser, monkeypatch
):
    monkeypatch.setitem(app.config, "RATE_LIMIT_CHALLENGE_AFTER", "1 per minute")
    monkeypatch.setitem(app.config, "CHALLENGE_COST", 500)
    limiter.reset()
    page = desk
    page.goto("/dang-nhap")
    page.fill("#f-login", "btc@example.vn")
    page.fill("#f-password", "sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("altcha-widget")).to_be_visible()  # the address passed the threshold
    page.wait_for_function(
        "() => [...document.querySelectorAll('form input[name=altcha]')]"
        ".some(i => i.value.length > 100)"
    )
    page.fill("#f-login", "btc@example.vn")
    page.fill("#f-password", "matkhau1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Quản lý cuộc thi")).to_be_visible()
    limiter.reset()
    assert page.outside == []
    # no script error, no CSP refusal; only the wrong password's own 401 answer
    assert [p for p in page.problems if "status of 401" not in p] == []
