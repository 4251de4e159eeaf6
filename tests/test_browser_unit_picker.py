"""The unit picker on a 320 px phone, in Debian's chromium: typing without accents narrows
the list to the matching paths, the one match is chosen, the page never scrolls sideways, and
the registration enters the contest with that unit."""

import re

import pytest
from sqlalchemy import select
from test_browser import CHROMIUM_ARGS, PHONE, TIMEOUT_MS, browser, expect, serving  # noqa: F401
from test_participations import open_contest, second_organiser

from contest.extensions import db
from contest.models import Participation, User

pytestmark = pytest.mark.browser
PORTS = range(54100, 54200)  # this suite's own port range (a free one is taken)


@pytest.fixture
def server(app):
    with serving(app, PORTS, "picker-server") as url:
        yield url


@pytest.fixture
def small_phone(browser, server):  # noqa: F811
    context = browser.new_context(
        base_url=server, **(PHONE | {"viewport": {"width": 320, "height": 640}})
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, errors
    context.close()


def test_the_picker_searches_as_you_type_on_a_small_phone(app, runner, organiser, small_phone):
    page, errors = small_phone
    ds = second_organiser(app, runner)
    open_contest(ds)
    page.goto("/dang-ky?contest=dong-son")
    search = page.locator("#f-unit_code-search")
    expect(search).to_be_visible()
    search.fill("dong tien")  # no accents: finds "UBND xã Đông Tiến"
    visible = page.locator("#f-unit_code option:not([hidden])")
    expect(visible).to_have_count(2)  # the placeholder and the one match
    assert page.locator("#f-unit_code").input_value() == "DS-TIEN"
    assert "UBND huyện Đông Sơn › UBND xã Đông Tiến" in visible.nth(1).inner_text()
    search.fill("khong co dau")
    expect(page.get_by_text("Không có đơn vị nào khớp.")).to_be_visible()
    search.fill("phong noi")
    assert page.locator("#f-unit_code").input_value() == "DS-PNV"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.locator('input[name="full_name"]').fill("Đỗ Thị Hoa")
    page.locator('input[name="phone"]').fill("0912000020")
    page.locator('input[name="password"]').fill("matkhau1")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator(".flash.success")).to_contain_text("Đăng ký thành công")
    assert not re.search(r"dang-ky", page.url)
    assert errors == []
    with app.app_context():
        code = db.session.scalar(
            select(Participation).join(User).where(User.phone == "0912000020")
        ).unit.code
    assert code == "DS-PNV"
