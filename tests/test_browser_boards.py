"""The public boards on a phone, in Debian's chromium at 320 and 360 px: the round's
individual board and units board, the contest page's collective prizes, and the standings.
With the demo's unit list (long names such as "Trung tâm Văn hóa, Thể thao và Truyền thông thị
xã"), every column of every row is on the screen (its box inside the viewport), nothing is
wider than the screen, and a unit's name has the width of the card, not a one-word column.
At 320 px the boards are photographed for the README (UPDATE_SCREENSHOTS=1)."""

import io
from pathlib import Path

import pytest
from test_announcements import two_hour_round
from test_browser import SCREENSHOTS, browser, live_server, touch_page  # noqa: F401
from test_results import play

pytestmark = pytest.mark.browser
DEMO_UNITS = Path(__file__).resolve().parent.parent / "contest" / "demo_data" / "demo_units.xlsx"
PEOPLE = (
    ("Tôn Nữ Hoàng Thị Phương Thảo", "CL-TTVH", 5, 61),
    ("Nguyễn Thị Ánh Tuyết", "CL-VP", 5, 95),
    ("Lê Văn Bình", "CL-TCKH", 4, 40),
    ("Phạm Cường", "CL-NTHUY", 3, 300),
    ("Hồ Dũng", "CL-VHTT", 2, 20),
)

# Every row of a board: each cell (or card part) with text, its box, and the viewport's width.
ROWS = """() => [...document.querySelectorAll('table.ranking tbody tr, ol.cards > li')].map(row =>
  [...row.querySelectorAll(':scope > td, :scope > span, :scope > div, :scope > div > *')]
    .filter(cell => cell.textContent.trim() !== '')
    .map(cell => { const b = cell.getBoundingClientRect();
      return {text: cell.textContent.trim().slice(0, 40), cls: cell.className,
              left: b.left, right: b.right, width: b.width, height: b.height,
              shown: getComputedStyle(cell).display !== 'none'
                     && getComputedStyle(cell).visibility !== 'hidden'}; }))"""
WIDE = """w => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > w + 0.5)
  .map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 30))"""


def demo_boards(app, organiser, make_round, register, clock):
    response = organiser.post(
        "/api/v1/units/import", data={"file": (io.BytesIO(DEMO_UNITS.read_bytes()), "dv.xlsx")}
    )
    assert response.status_code == 200, response.json
    organiser.put("/api/v1/contests/thu", json={"unit_prize_threshold": 0, "unit_prize_count": 3})
    r1 = two_hour_round(
        make_round,
        "Tuần 1",
        prediction="perfect_count",
        prize_first=1,
        prize_second=1,
        prize_third=1,
        prize_consolation=0,
    )
    r2 = two_hour_round(make_round, "Tuần 2")
    for i, (name, unit, right, seconds) in enumerate(PEOPLE):
        person = register(phone=f"09120007{i:02d}", name=name, unit=unit)
        play(app, person, r1["id"], right, clock, seconds, prediction=2 + i)
        if i % 2 == 0:
            play(app, person, r2["id"], max(right - 1, 0), clock, seconds + 7)
    clock.advance(hours=3)
    assert organiser.post(f"/api/v1/rounds/{r1['id']}/prizes/confirm").status_code == 200
    return r1


@pytest.mark.parametrize("width", [320, 360])
def test_every_column_of_the_boards_is_on_a_phone_screen(
    app,
    organiser,
    make_round,
    register,
    clock,
    browser,
    live_server,  # noqa: F811
    width,
):
    rnd = demo_boards(app, organiser, make_round, register, clock)
    page = touch_page(browser, live_server, width, 740)
    boards = (
        (
            "boards-round",
            f"/dot-thi/{rnd['id']}/xep-hang",
            ("Điểm", "Thời gian", "Dự đoán", "CBCCVC", "Tỉ lệ", "Điểm TB"),
        ),
        ("boards-contest", "/cuoc-thi/thu", ("CBCCVC", "Tỉ lệ", "Điểm TB", "Giải")),
        ("boards-standings", "/cuoc-thi/thu/xep-hang-chung", ("điểm", "đợt")),
    )
    try:
        for name, url, labels in boards:
            page.goto(url)
            assert page.evaluate(WIDE, width) == [], name
            rows = page.evaluate(ROWS)
            assert len(rows) >= 5, name
            for row in rows:
                for cell in row:
                    assert cell["shown"] and cell["width"] > 0 and cell["height"] > 0, (name, cell)
                    assert cell["left"] >= -0.5 and cell["right"] <= width + 0.5, (name, cell)
                    if "name" in cell["cls"].split() or cell["cls"] == "who":
                        assert cell["width"] >= 0.6 * (width - 40), (name, cell)  # not squeezed
            text = page.locator("main").inner_text()
            for label in labels:  # every column's name is read beside its value
                assert label in text, (name, label)
            assert "Trung tâm Văn hóa, Thể thao và Truyền thông thị xã" in text, name
            if width == 320:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"{name}-320.png"), full_page=True)
    finally:
        page.context.close()
