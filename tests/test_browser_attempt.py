"""The attempt page in Debian's chromium: one question per screen on a phone, the network
dropping mid-attempt, time running out, speed on a slow CPU, page weight and screenshots.

The browser, the live server and the phone context are test_browser.py's; the participant is
registered and the attempt started through the API with the page's own cookies (quicker than
the forms, which test_browser.py already drives). The server's clock is the `clock` fixture.
"""

import json
import re
import time

import pytest
import test_browser as tb
from conftest import correct_choice_ids
from sqlalchemy import select

expect = tb.expect
pytestmark = pytest.mark.browser

browser = tb.browser
live_server = tb.live_server
phone = tb.phone
stored_answers = tb.stored_answers
wait_saved = tb.wait_saved
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "vi-VN", "device_scale_factor": 1}
WEIGHT_LIMIT = 150_000  # bytes: HTML + CSS + JS + images of the attempt page's first load
READY_LIMIT_MS = 1000

# WCAG AA: text 4.5:1 against the background it is painted on (walking up the ancestors),
# borders that identify a control 3:1. Disabled controls are exempt.
CONTRAST_JS = """([selectors, property]) => {
  const parse = c => { const p = c.match(/[\\d.]+/g).map(Number); return p.length > 3 ? p : [...p, 1]; };
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const backdrops = el => {  // every colour the text may sit on (each stop of a gradient)
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e), c = parse(style.backgroundColor);
      const stops = (style.backgroundImage.match(/rgba?\\([^)]*\\)/g) || []).map(parse);
      if (stops.length) { layers.push(stops); break; }
      if (c[3] > 0) { layers.push([c]); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((outs, colours) => outs.flatMap(out => colours.map(
      c => out.map((v, i) => c[i] * c[3] + v * (1 - c[3])))), [[255, 255, 255]]);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
                            return (x + 0.05) / (y + 0.05); };
  return selectors.flatMap(sel => [...document.querySelectorAll(sel)]
    .filter(e => e.getClientRects().length && !e.disabled)
    .map(e => ({sel, text: e.textContent.trim().slice(0, 30), ratio: Math.min(...backdrops(e).map(
      b => ratio(parse(getComputedStyle(e)[property]), b)))})));
}"""
TEXT = [
    "#countdown",
    ".countdown",
    "#save-state",
    ".attempt-title",
    ".attempt-intro",
    ".qhead",
    ".qnum",
    ".choice",
    ".mark-toggle",
    "#prev-question",
    "#next-question",
    ".qnav-title",
    ".qnav-progress",
    ".qnav-btn",
    ".qnav-legend li",
    "#view-toggle",
    "#unanswered-note",
    "#submit-button",
    "#time-alert",
]
TOUCH = [
    "label.choice",
    ".mark-toggle",
    "#prev-question",
    "#next-question",
    ".qnav-btn",
    "#view-toggle",
    "#submit-button",
]


def login(context, phone_number: str, name="Lê Thị Hoa") -> None:
    """Register (and so log in) through the API, in the browser context's cookie jar."""
    csrf = context.request.get("/api/v1/session").json()["csrf_token"]
    response = context.request.post(
        "/api/v1/register",
        headers={"X-CSRFToken": csrf},
        data={"full_name": name, "phone": phone_number, "password": "matkhau1", "unit_code": "PNV"},
    )
    assert response.status == 201, response.text()


def begin(page, round_id: int, phone_number="0912000101") -> int:
    """A logged-in participant's new attempt, open in `page`; returns its id."""
    login(page.context, phone_number)
    csrf = page.context.request.get("/api/v1/session").json()["csrf_token"]
    response = page.context.request.post(
        f"/api/v1/rounds/{round_id}/attempts", headers={"X-CSRFToken": csrf}, data={}
    )
    assert response.status == 201, response.text()
    attempt_id = response.json()["id"]
    page.goto(f"/bai-thi/{attempt_id}")
    expect(page.locator("#attempt.enhanced")).to_be_visible()
    return attempt_id


def answer(page, question: int, choice: int, touch=True) -> tuple[int, list[int]]:
    """Tap (or click) a choice of the (visible) question; (question id, [choice id])."""
    fieldset = page.locator("fieldset.question").nth(question)
    label = fieldset.locator("label.choice").nth(choice)
    label.tap() if touch else label.click()
    expect(label.locator("input")).to_be_checked()
    return (
        int(fieldset.get_attribute("data-question-id")),
        [int(label.locator("input").get_attribute("value"))],
    )


def visible_only(page, index: int, count: int) -> None:
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(count)
    for i in range(count):
        if i == index:
            expect(questions.nth(i)).to_be_visible()
        else:
            expect(questions.nth(i)).to_be_hidden()
    expect(questions.nth(index).locator(".qhead")).to_be_in_viewport()


def check_contrast_of(page, selectors: list[str]) -> None:
    low = [r for r in page.evaluate(CONTRAST_JS, [selectors, "color"]) if r["ratio"] < 4.5]
    assert not low, low


def check_contrast(page) -> None:
    low = [r for r in page.evaluate(CONTRAST_JS, [TEXT, "color"]) if r["ratio"] < 4.5]
    low += [
        r
        for r in page.evaluate(
            CONTRAST_JS, [[".qnav-btn:not(.answered)", ".mark-toggle"], "borderTopColor"]
        )
        if r["ratio"] < 3
    ]
    assert not low, low


def check_touch_targets(page) -> None:
    for selector in TOUCH:
        boxes = [b for b in (e.bounding_box() for e in page.locator(selector).all()) if b]
        assert boxes, selector
        small = [b for b in boxes if b["width"] < 44 or b["height"] < 44]
        assert not small, (selector, small)


def no_horizontal_scroll(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll}px wide at a {width}px viewport"


def test_one_question_per_screen_on_phone(app, make_round, phone):
    page = phone
    rnd = make_round(question_count=5, time_limit_s=600)
    attempt_id = begin(page, rnd["id"])
    root = page.locator("#attempt")
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(root).to_have_class(re.compile(r"\bone-per-screen\b"))
    nav = page.locator("#qnav-list button.qnav-btn")
    expect(nav).to_have_count(5)
    expect(nav).to_have_text(["1", "2", "3", "4", "5"])
    expect(page.get_by_role("navigation", name="Danh sách câu hỏi")).to_be_visible()
    visible_only(page, 0, 5)
    expect(nav.nth(0)).to_have_attribute("aria-current", "true")
    expect(nav.nth(0)).to_have_attribute("aria-label", "Câu 1, chưa trả lời")
    expect(page.get_by_role("button", name="Câu trước")).to_be_disabled()
    expect(page.locator("#qnav-progress")).to_have_text("Đã trả lời 0/5 câu")

    chosen = dict([answer(page, 0, 1)])  # answering marks the navigator's button answered
    expect(nav.nth(0)).to_have_class(re.compile(r"\banswered\b"))
    expect(nav.nth(0)).to_have_attribute("aria-label", "Câu 1, đã trả lời")
    expect(page.locator("#qnav-progress")).to_have_text("Đã trả lời 1/5 câu")

    mark = page.locator("fieldset.question").nth(0).get_by_role("button", name="Đánh dấu xem lại")
    expect(mark).to_have_attribute("aria-pressed", "false")
    mark.tap()
    expect(mark).to_have_attribute("aria-pressed", "true")
    expect(nav.nth(0)).to_have_class(re.compile(r"\bmarked\b"))
    expect(nav.nth(0)).to_have_attribute("aria-label", "Câu 1, đã trả lời, cần xem lại")

    page.get_by_role("button", name="Câu sau").tap()  # next: question 2, focus on its heading
    visible_only(page, 1, 5)
    expect(page.locator("fieldset.question").nth(1).locator(".qhead")).to_be_focused()
    expect(nav.nth(1)).to_have_attribute("aria-current", "true")
    expect(nav.nth(0)).not_to_have_attribute("aria-current", "true")
    chosen.update([answer(page, 1, 0)])
    page.get_by_role("button", name="Câu trước").tap()
    visible_only(page, 0, 5)
    expect(page.locator("fieldset.question").nth(0).locator(".qhead")).to_be_focused()

    nav.nth(3).tap()  # the navigator jumps
    visible_only(page, 3, 5)
    chosen.update([answer(page, 3, 2)])
    expect(nav.nth(3)).to_have_class(re.compile(r"\banswered\b"))
    expect(nav.nth(2)).not_to_have_class(re.compile(r"\banswered\b"))
    nav.nth(4).tap()
    expect(page.get_by_role("button", name="Câu sau")).to_be_disabled()

    nav.nth(1).focus()  # the keyboard: arrows move between the buttons, Enter goes there
    page.keyboard.press("ArrowRight")
    expect(nav.nth(2)).to_be_focused()
    page.keyboard.press("End")
    expect(nav.nth(4)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(nav.nth(3)).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    visible_only(page, 1, 5)
    expect(page.locator("fieldset.question").nth(1).locator(".qhead")).to_be_focused()

    check_touch_targets(page)
    check_contrast(page)
    no_horizontal_scroll(page, 390)

    page.reload()  # the mark and the place are kept on this device
    expect(root).to_have_class(re.compile(r"\benhanced\b"))
    visible_only(page, 1, 5)
    expect(nav.nth(0)).to_have_class(re.compile(r"\bmarked\b"))

    toggle = page.locator("#view-toggle")  # the list of every question, remembered
    expect(toggle).to_have_text("Xem tất cả câu")
    toggle.tap()
    expect(root).not_to_have_class(re.compile(r"\bone-per-screen\b"))
    expect(page.locator("fieldset.question:visible")).to_have_count(5)
    expect(page.locator(".attempt-pager")).to_be_hidden()
    expect(toggle).to_have_text("Từng câu")
    page.reload()
    expect(root).to_have_class(re.compile(r"\benhanced\b"))
    expect(page.locator("fieldset.question:visible")).to_have_count(5)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the bar stays in sight
    expect(page.locator("#countdown")).to_be_in_viewport()
    expect(page.locator("#save-state")).to_be_in_viewport()
    nav.nth(3).tap()  # in the list the navigator scrolls to the question
    expect(page.locator("fieldset.question").nth(3).locator(".qhead")).to_be_focused()
    expect(page.locator("fieldset.question").nth(3).locator(".qhead")).to_be_in_viewport()
    check_contrast(page)
    page.locator("#view-toggle").tap()
    expect(toggle).to_have_text("Xem tất cả câu")
    visible_only(page, 3, 5)

    expect(page.locator("#unanswered-note")).to_have_text("Còn 2 câu chưa trả lời.")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.locator("#submit-button").tap()  # the confirm counts the unanswered, then shows one
    visible_only(page, 2, 5)
    assert dialogs == ["Bạn còn 2 câu chưa trả lời. Vẫn nộp bài?"]
    expect(page).to_have_url(re.compile(rf"/bai-thi/{attempt_id}$"))

    page.set_viewport_size({"width": 320, "height": 640})
    no_horizontal_scroll(page, 320)
    check_touch_targets(page)
    wait_saved(page)
    assert stored_answers(app, attempt_id) == chosen
    assert page.js_errors == []


def test_without_javascript_the_list_of_questions(app, make_round, browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, **tb.PHONE)
    try:
        page = context.new_page()
        rnd = make_round(question_count=5, time_limit_s=600)
        login(context, "0912000108")
        csrf = context.request.get("/api/v1/session").json()["csrf_token"]
        attempt_id = context.request.post(
            f"/api/v1/rounds/{rnd['id']}/attempts", headers={"X-CSRFToken": csrf}, data={}
        ).json()["id"]
        page.goto(f"/bai-thi/{attempt_id}")
        expect(page.locator("fieldset.question:visible")).to_have_count(5)
        expect(page.locator("label.choice:visible")).to_have_count(20)
        for hidden in ("#qnav", ".attempt-pager", ".mark-toggle", "#unanswered-note"):
            expect(page.locator(hidden).first).to_be_hidden()
        expect(page.locator("#submit-button")).to_be_visible()
        no_horizontal_scroll(page, 390)
    finally:
        context.close()


def test_network_drops_mid_attempt(app, make_round, phone):
    page = phone
    rnd = make_round(question_count=5, time_limit_s=600)
    attempt_id = begin(page, rnd["id"], phone_number="0912000102")
    chosen = dict([answer(page, 0, 0)])
    wait_saved(page)

    page.context.set_offline(True)
    state = page.locator("#save-state")
    for i, choice in ((1, 1), (2, 2), (3, 3)):
        page.get_by_role("button", name="Câu sau").tap()
        visible_only(page, i, 5)
        chosen.update([answer(page, i, choice)])
        expect(state).to_have_text("Mất kết nối – đang thử lại")
        expect(state).to_have_class(re.compile(r"\boffline\b"))
    chosen.update([answer(page, 3, 0)])  # changed while offline: the last choice counts
    pending = json.loads(page.evaluate(f"localStorage.getItem('attempt:{attempt_id}:pending')"))
    assert sorted(int(q) for q in pending) == sorted(list(chosen)[1:])
    assert stored_answers(app, attempt_id) == dict(list(chosen.items())[:1])

    page.context.set_offline(False)
    wait_saved(page)
    assert stored_answers(app, attempt_id) == chosen
    assert page.js_errors == []


def test_works_on_a_slow_3g_connection(app, make_round, phone):
    """Chrome's "Slow 3G" (2 s latency, 50 kB/s each way): the page loads, answers save."""
    page = phone
    rnd = make_round(question_count=5, time_limit_s=600)
    login(page.context, "0912000103")
    csrf = page.context.request.get("/api/v1/session").json()["csrf_token"]
    attempt_id = page.context.request.post(
        f"/api/v1/rounds/{rnd['id']}/attempts", headers={"X-CSRFToken": csrf}, data={}
    ).json()["id"]
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 2000,
            "downloadThroughput": 50_000,
            "uploadThroughput": 50_000,
        },
    )
    began = time.perf_counter()
    page.goto(f"/bai-thi/{attempt_id}", timeout=30_000)
    expect(page.locator("#attempt.enhanced")).to_be_visible(timeout=30_000)
    loaded = time.perf_counter() - began
    chosen = dict([answer(page, 0, 1)])
    expect(page.locator("#save-state")).to_have_text("Đã lưu", timeout=30_000)
    assert stored_answers(app, attempt_id) == chosen
    assert loaded < 20, loaded
    print(f"slow 3G: usable after {loaded:.1f} s")


def test_time_runs_out_and_the_attempt_submits_itself(app, make_round, clock, phone):
    page = phone
    rnd = make_round(question_count=5, time_limit_s=90)
    attempt_id = begin(page, rnd["id"], phone_number="0912000103")
    root, countdown = page.locator("#attempt"), page.locator("#countdown")
    expect(root).not_to_have_class(re.compile(r"\btime-warning\b"))
    qid, _choice = answer(page, 0, 0)
    correct = correct_choice_ids(app, qid)
    page.locator(f'#q-{qid} input[value="{correct[0]}"]').locator("..").tap()
    wait_saved(page)
    assert stored_answers(app, attempt_id) == {qid: correct}

    clock.advance(seconds=28)  # 62 s left on the server's clock: the warning comes in ~2 s
    page.reload()
    expect(countdown).to_have_text(re.compile(r"^1:0[0-2]$"))
    expect(root).not_to_have_class(re.compile(r"\btime-warning\b"))
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Còn 1 phút", timeout=5000)
    expect(alert).to_be_visible()
    expect(root).to_have_class(re.compile(r"\btime-warning\b"))
    expect(countdown).to_have_text(re.compile(r"^0:[56]\d$"))
    check_contrast(page)

    clock.advance(seconds=59)  # 3 s left
    page.reload()
    expect(countdown).to_have_text(re.compile(r"^0:0[0-3]$"))
    started = time.monotonic()
    expect(page).to_have_url(re.compile(rf"/bai-thi/{attempt_id}/ket-qua$"), timeout=15_000)
    assert time.monotonic() - started < 8
    expect(page.locator("#score")).to_have_text("1/5")
    expect(page.locator("#duration")).to_have_text("1:27.0")  # by the server's clock

    from contest.extensions import db
    from contest.models import Attempt

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted"
        assert (attempt.score, attempt.max_score, attempt.duration_ms) == (1, 5, 87_000)
        db.session.remove()
    assert page.js_errors == []


def test_time_up_with_every_save_failing_submits_what_is_on_screen(app, make_round, clock, phone):
    """The server refuses every background save (503); at time-up the page submits itself and
    the attempt holds the three answers chosen on screen, sent with the form."""
    page = phone
    rnd = make_round(question_count=5, time_limit_s=90)
    attempt_id = begin(page, rnd["id"], phone_number="0912000104")
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.fulfill(status=503, body="busy")

    page.route("**/api/v1/attempts/*/answers/*", refuse)
    clock.advance(seconds=78)  # 12 s left
    page.reload()
    expect(page.locator("#attempt.enhanced")).to_be_visible()
    chosen = dict([answer(page, 0, 1)])
    for i, choice in ((1, 2), (2, 0)):
        page.get_by_role("button", name="Câu sau").tap()
        chosen.update([answer(page, i, choice)])
    expect(page.locator("#save-state")).to_have_text("Máy chủ đang bận – đang thử lưu lại")
    assert refused and stored_answers(app, attempt_id) == {}
    expect(page).to_have_url(re.compile(rf"/bai-thi/{attempt_id}/ket-qua$"), timeout=30_000)
    assert stored_answers(app, attempt_id) == chosen
    from contest.extensions import db
    from contest.models import Attempt

    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "submitted"
        db.session.remove()
    assert [e for e in page.js_errors if "status of 503" not in e] == []


def first_load(page, url: str) -> dict:
    """Load `url` (nothing cached) and time it, as the browser counts from navigation start.
    Usable = the first question's choices painted and the script that saves answers running:
    the later of first-contentful-paint and the page's "attempt-ready" mark. The wall clock
    seen from here (which adds Playwright's round trips) is kept too."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    selector = "#attempt.enhanced fieldset.question:first-of-type label.choice"
    page.wait_for_selector(selector, state="visible")
    wall_ms = (time.perf_counter() - started) * 1000
    page.locator(selector).first.click(trial=True)  # visible, stable, enabled, not covered
    timing = page.evaluate("""() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {html: nav.responseEnd, dom: nav.domInteractive,
              script: performance.getEntriesByName('attempt-ready')[0].startTime,
              paint: fcp ? fcp.startTime : Infinity};
    }""")
    timing = {k: round(v) for k, v in timing.items()}
    return timing | {"usable": max(timing["script"], timing["paint"]), "wall": round(wall_ms)}


def test_usable_within_a_second_with_a_slow_cpu(app, make_bank, make_round, phone):
    page = phone
    rnd = make_round(
        bank_id=make_bank(rows=long_bank_rows(30)), question_count=30, time_limit_s=1800
    )
    login(page.context, "0912000104")
    csrf = page.context.request.get("/api/v1/session").json()["csrf_token"]
    attempt_id = page.context.request.post(
        f"/api/v1/rounds/{rnd['id']}/attempts", headers={"X-CSRFToken": csrf}, data={}
    ).json()["id"]
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # every load a first load
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    # The test machine may be busy with other work (the server runs in this very process): a
    # load over the limit is tried again, four times at most; the best load must be under it.
    loads = []
    while len(loads) < 5 and not any(t["usable"] < READY_LIMIT_MS for t in loads):
        loads.append(first_load(page, f"/bai-thi/{attempt_id}"))
    print(
        "\nslow CPU (4x), ms after navigation start: "
        + "; ".join(
            f"usable {t['usable']} (HTML received {t['html']}, DOM {t['dom']}, script ready "
            f"{t['script']}, first paint {t['paint']}; wall clock {t['wall']})"
            for t in loads
        )
    )
    assert min(t["usable"] for t in loads) < READY_LIMIT_MS, loads

    choice = page.locator("fieldset.question").first.locator("label.choice").first
    choice.tap()  # and it works: the answer is saved
    expect(page.locator("#qnav-list .qnav-btn").first).to_have_class(re.compile(r"\banswered\b"))
    wait_saved(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    assert page.js_errors == []


def long_bank_rows(n: int) -> list[list]:
    """Questions as long as real ones (about 190 characters, choices about 90)."""
    text = (
        "Theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng "
        "thể cải cách hành chính nhà nước giai đoạn 2021 – 2030, nội dung nào sau đây đúng? "
        "(câu {i})"
    )
    choice = (
        "Phương án {c}{i}: cải cách thể chế, thủ tục hành chính, tổ chức bộ máy hành chính nhà nước"
    )
    return [
        [
            i,
            text.format(i=i),
            *(choice.format(c=c, i=i) for c in "ABCD"),
            "ABCD"[i % 4],
            "",
            "Chung",
            "Dễ",
            1,
        ]
        for i in range(1, n + 1)
    ]


def test_page_weight(app, make_bank, make_round, phone):
    page = phone
    bank_id = make_bank(rows=long_bank_rows(50))
    rnd = make_round(bank_id=bank_id, question_count=50, time_limit_s=1800)
    login(page.context, "0912000105")
    csrf = page.context.request.get("/api/v1/session").json()["csrf_token"]
    attempt_id = page.context.request.post(
        f"/api/v1/rounds/{rnd['id']}/attempts", headers={"X-CSRFToken": csrf}, data={}
    ).json()["id"]
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"/bai-thi/{attempt_id}", wait_until="load")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#qnav-list .qnav-btn")).to_have_count(50)

    sizes = {r.url.split("/", 3)[-1]: len(r.body()) for r in responses}
    headers = sum(r.request.sizes()["responseHeadersSize"] for r in responses)
    total = sum(sizes.values())
    print(
        f"\npage weight, 50 questions: {total} bytes of bodies ({total / 1024:.1f} KiB), "
        f"{total + headers} with headers: {sizes}"
    )
    assert f"bai-thi/{attempt_id}" in sizes and len(sizes) >= 4, sizes  # html, 2 css, js
    assert total <= WEIGHT_LIMIT, sizes
    assert page.js_errors == []


def test_screenshots(app, make_round, clock, browser, live_server, phone):
    page = phone
    rnd = make_round(question_count=10, time_limit_s=600)
    attempt_id = begin(page, rnd["id"], phone_number="0912000106")
    nav = page.locator("#qnav-list .qnav-btn")
    for i, choice in ((0, 1), (1, 0), (3, 2)):
        nav.nth(i).tap()
        answer(page, i, choice)
    page.locator("fieldset.question").nth(3).get_by_role("button", name="Đánh dấu xem lại").tap()
    nav.nth(4).tap()
    wait_saved(page)
    tb.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(1, 1)  # no hover left on a button
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(tb.SCREENSHOTS / "attempt-phone-one.png"), full_page=True)

    desktop = browser.new_context(base_url=live_server, **DESKTOP)
    try:
        desk = desktop.new_page()
        desk.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        login(desktop, "0912000107", name="Phạm Minh Châu")
        csrf = desktop.request.get("/api/v1/session").json()["csrf_token"]
        other = desktop.request.post(
            f"/api/v1/rounds/{rnd['id']}/attempts", headers={"X-CSRFToken": csrf}, data={}
        ).json()["id"]
        desk.goto(f"/bai-thi/{other}")
        expect(desk.locator("#attempt.enhanced")).to_be_visible()
        desk.locator("#qnav-list .qnav-btn").nth(1).click()
        answer(desk, 1, 2, touch=False)
        wait_saved(desk)
        panel = desk.locator("#qnav").bounding_box()
        question = desk.locator("fieldset.question").nth(1).bounding_box()
        assert panel["x"] > question["x"] + question["width"]  # the navigator beside it
        no_horizontal_scroll(desk, 1280)
        desk.mouse.move(1, 1)
        desk.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        desk.screenshot(path=str(tb.SCREENSHOTS / "attempt-desktop.png"))
    finally:
        desktop.close()

    clock.advance(minutes=4, seconds=12)  # the result shows a time taken
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#submit-button").tap()
    expect(page).to_have_url(re.compile(rf"/bai-thi/{attempt_id}/ket-qua$"))
    expect(page.locator("#score")).to_have_text(re.compile(r"^\d+/10$"))
    expect(page.locator("#duration")).to_have_text("4:12.0")
    expect(page.locator("#rank")).to_have_text("1")
    check_contrast_of(
        page,
        ["#result-title", ".result p", ".live-counts dt", ".live-counts dd", ".actions .button"],
    )
    no_horizontal_scroll(page, 390)
    page.screenshot(path=str(tb.SCREENSHOTS / "result-phone.png"), full_page=True)

    from contest.extensions import db
    from contest.models import Attempt

    with app.app_context():
        statuses = db.session.scalars(select(Attempt.status).order_by(Attempt.id)).all()
        db.session.remove()
    assert statuses == ["submitted", "in_progress"]
    assert page.js_errors == []
