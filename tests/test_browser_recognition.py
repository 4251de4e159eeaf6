"""The standings and the bulletin at 320 and 360 px, in Debian's chromium: nothing wider than
the screen (no hidden column), and every figure of each row visible."""

import pytest
from test_announcements import bulletin_round, two_hour_round
from test_browser import SCREENSHOTS, browser, live_server, touch_page  # noqa: F401
from test_results import play

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 360])
def test_standings_and_bulletin_fit_a_phone(
    app, organiser, make_round, register, clock, browser, live_server, width
):  # noqa: F811
    rnd, _people = bulletin_round(app, organiser, make_round, register, clock)
    r2 = two_hour_round(make_round, "Tuần 2")
    long = register(phone="0912000099", name="Tôn Nữ Hoàng Thị Phương Thảo", unit="PTC")
    play(app, long, r2["id"], 4, clock, 100)
    clock.advance(hours=3)
    organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm")
    page = touch_page(browser, live_server, width, 700)
    try:
        for name, url in (
            ("standings", "/cuoc-thi/thu/xep-hang-chung"),
            ("bulletin", f"/dot-thi/{rnd['id']}/ban-tin"),
        ):
            page.goto(url)
            wide = page.evaluate(
                """w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 0.5)
                .map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 30))""",
                width,
            )
            assert wide == [], (name, wide)
            rows = page.locator("ol.cards > li")
            assert rows.count() >= 2
            for i in range(rows.count()):
                box, figures = rows.nth(i).bounding_box(), rows.nth(i).locator(".figures")
                inner = figures.bounding_box()
                assert inner["x"] + inner["width"] <= box["x"] + box["width"] + 1, (name, i)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        text = page.locator("main").inner_text()
        assert "Giải Nhất" in text and "Nguyễn T. Á. Tuyết" in text
    finally:
        page.context.close()
