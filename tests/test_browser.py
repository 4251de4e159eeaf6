"""A participant on a phone, in Debian's chromium: register, take a whole attempt, reload.

The session `app` is served by werkzeug in a background thread; the server's clock stays
frozen by the `clock` fixture (through make_round), the page's countdown follows server_now.
"""

import os
import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "device_scale_factor": 1,
}
# The README's pictures are refreshed with UPDATE_SCREENSHOTS=1 scripts/test; otherwise the
# screenshots go to a temporary folder, so a test run leaves the work tree as it was.
SCREENSHOTS = (
    Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "contest-screenshots"
)
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@contextmanager
def serving(app, ports=(0,), name="live-server"):
    """The app on 127.0.0.1 at the first free port of `ports` (0: any free one), served by a
    background thread; yields the base URL."""
    for port in ports:
        try:
            server = make_server("127.0.0.1", port, app, threaded=True)
            break
        except OSError:
            continue
    else:
        pytest.fail(f"no free port in {ports[0]}-{ports[-1]}")
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def live_server(app):
    """The session app on 127.0.0.1 at a free port; yields the base URL."""
    with serving(app) as url:
        yield url


def touch_page(browser, base_url, width, height):
    """A page in a new touch context of width x height (its own cookies); close its context
    (page.context) when done."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height},
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def create_contest_and_round(page, title, slug):
    """Through the organiser's pages: a new contest, then its first round of five questions
    from 2 to 9 March 2026 on the organisation's bank."""
    page.goto("/to-chuc/cuoc-thi/moi")
    page.fill("#f-title", title)
    page.fill("#f-slug", slug)
    page.get_by_role("button", name="Tạo cuộc thi").click()
    page.fill("#f-name", "Tuần 1")
    page.fill("#f-opens_at", "2026-03-02T09:00")
    page.fill("#f-closes_at", "2026-03-09T09:00")
    page.fill("#f-question_count", "5")
    page.get_by_role("button", name="Tạo đợt thi").click()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test installs it when run as root)")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A fresh 390x844 touch context (own cookies and localStorage) and its page."""
    context = browser.new_context(base_url=live_server, **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.js_errors = errors
    yield page
    context.close()  # before clean_db empties the tables under a still-saving page


def register_in_browser(page, phone="0912000001", name="Nguyễn Văn An"):
    """From the contest page through the register form and back to the contest page."""
    page.goto("/cuoc-thi/thu")
    expect(page.get_by_role("link", name="Đăng nhập để thi")).to_be_visible()
    page.locator("main").get_by_role("link", name="Đăng ký").click()
    expect(page).to_have_url(re.compile(r"/dang-ky\?next=/cuoc-thi/thu(&contest=thu)?$"))
    page.locator('input[name="full_name"]').fill(name)
    page.locator('input[name="phone"]').fill(phone)
    page.locator('input[name="password"]').fill("matkhau1")
    page.locator('select[name="unit_code"]').select_option("PNV")
    page.locator('input[name="email"]').fill(f"{phone}@example.vn")
    page.locator('input[name="cccd"]').fill("0" * 4 + phone[-8:])
    page.get_by_role("button", name="Đăng ký").click()
    expect(page).to_have_url(re.compile(r"/cuoc-thi/thu$"))
    expect(page.locator(".flash.success")).to_contain_text("Đăng ký thành công")


def start_attempt(page) -> int:
    page.get_by_role("button", name="Bắt đầu thi").click()
    expect(page).to_have_url(re.compile(r"/bai-thi/\d+$"))
    expect(page.locator("#attempt")).to_be_visible()
    page.get_by_role("button", name="Xem tất cả câu").click()  # the list: every question shown
    return int(page.locator("#attempt").get_attribute("data-attempt-id"))


def wait_saved(page):
    state = page.locator("#save-state")
    expect(state).to_have_text("Đã lưu")
    expect(state).to_have_class(re.compile(r"\bsaved\b"))
    # every answer was acknowledged by the server: nothing left in the page's queue
    attempt_id = page.locator("#attempt").get_attribute("data-attempt-id")
    pending = page.evaluate("id => localStorage.getItem('attempt:' + id + ':pending')", attempt_id)
    assert pending in (None, "{}"), pending


def stored_answers(app, attempt_id: int) -> dict[int, list[int]]:
    from contest.extensions import db
    from contest.models import Answer

    with app.app_context():
        rows = db.session.execute(
            select(Answer.question_id, Answer.choices).filter_by(attempt_id=attempt_id)
        ).all()
        db.session.remove()
    return {qid: list(choices) for qid, choices in rows}


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide at a 390px viewport"


def test_participant_takes_whole_attempt_on_phone(app, make_round, phone):
    page = phone
    rnd = make_round(question_count=5, time_limit_s=600)
    register_in_browser(page)
    assert page.locator("html").get_attribute("lang") == "vi"
    no_horizontal_scroll(page)

    attempt_id = start_attempt(page)
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d{1,3}:[0-5]\d$"))
    minutes = int(page.locator("#countdown").inner_text().split(":")[0])
    assert 8 <= minutes <= 10  # a 10-minute limit, counted on the server's clock
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(5)
    expect(page.locator("#save-state")).to_have_text("Đã lưu")

    chosen = {}
    for i in range(5):
        fieldset = questions.nth(i)
        label = fieldset.locator("label.choice").first
        label.scroll_into_view_if_needed()
        label.tap()
        expect(label.locator("input")).to_be_checked()
        chosen[int(fieldset.get_attribute("data-question-id"))] = [
            int(label.locator("input").get_attribute("value"))
        ]
    wait_saved(page)
    no_horizontal_scroll(page)
    assert stored_answers(app, attempt_id) == chosen

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "attempt-phone.png"))

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.locator("#submit-button").click()
    expect(page).to_have_url(re.compile(rf"/bai-thi/{attempt_id}/ket-qua$"))
    assert dialogs == ["Nộp bài?"]  # every question answered: the plain confirmation

    expect(page.locator("#score")).to_have_text(re.compile(r"^\d/5$"))
    score = int(page.locator("#score").inner_text().split("/")[0])
    assert 0 <= score <= 5
    expect(page.locator("#duration")).to_have_text(re.compile(r"^\d+:\d{2}\.\d$"))
    expect(page.get_by_role("link", name="Bảng xếp hạng")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "vi"
    no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "result-phone.png"), full_page=True)

    from contest.extensions import db
    from contest.models import Attempt

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and attempt.round_id == rnd["id"]
        assert attempt.score == score and attempt.max_score == 5
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
        db.session.remove()
    assert page.js_errors == []


def test_answers_survive_reload(app, make_round, phone):
    page = phone
    make_round(question_count=5, time_limit_s=600)
    register_in_browser(page, phone="0912000002", name="Trần Thị Bình")
    attempt_id = start_attempt(page)
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(5)

    picks = []  # (question id, choice value) of the 2nd choice of questions 1 and 3
    for i in (0, 2):
        fieldset = questions.nth(i)
        label = fieldset.locator("label.choice").nth(1)
        label.scroll_into_view_if_needed()
        label.tap()
        expect(label.locator("input")).to_be_checked()
        picks.append(
            (
                fieldset.get_attribute("data-question-id"),
                label.locator("input").get_attribute("value"),
            )
        )
    wait_saved(page)
    assert stored_answers(app, attempt_id) == {int(q): [int(v)] for q, v in picks}

    # the server, not the page's local queue, must bring them back
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page).to_have_url(re.compile(rf"/bai-thi/{attempt_id}$"))
    expect(page.locator("fieldset.question")).to_have_count(5)
    for qid, value in picks:
        expect(page.locator(f'#q-{qid} input[value="{value}"]')).to_be_checked()
    expect(page.locator("fieldset.question input:checked")).to_have_count(2)
    expect(page.locator("#save-state")).to_have_text("Đã lưu")
    assert page.js_errors == []
