"""A picture question on a small phone (320 and 360 px): the participant sees the question's
picture and the choice's, the page does not scroll sideways, the phone-sized copy is the one
loaded, and answering the picture choice is saved. A screenshot is kept (test_browser.py)."""

import io

import picture_files as pf
import pytest
import test_browser as tb
from test_browser_attempt import begin

expect = tb.expect
pytestmark = pytest.mark.browser

browser = tb.browser
live_server = tb.live_server

LOADED_JS = """img => img.complete && img.naturalWidth > 0"""


@pytest.mark.parametrize("width", [320, 360])
def test_participant_sees_and_answers_a_picture_question(
    app, organiser, make_round, browser, live_server, width
):
    response = organiser.post(
        "/api/v1/banks",
        data={"file": (io.BytesIO(pf.docx_bank(stem=pf.photo(3))), "co-hinh.docx"), "name": "Hình"},
    )
    assert response.status_code == 201, response.json
    rnd = make_round(bank_id=response.json["id"], question_count=2)
    context = browser.new_context(
        base_url=live_server, **(tb.PHONE | {"viewport": {"width": width, "height": 720}})
    )
    context.set_default_timeout(tb.TIMEOUT_MS)
    page = context.new_page()
    try:
        attempt_id = begin(page, rnd["id"], phone_number=f"0912000{width}")
        questions = page.locator("fieldset.question")
        index = next(i for i in range(2) if questions.nth(i).locator("img.qimg").count() == 2)
        if index:
            page.locator("#qnav-list button.qnav-btn").nth(index).tap()
        fieldset = questions.nth(index)
        stem, choice_picture = (
            fieldset.locator("img.qimg").nth(0),
            fieldset.locator("img.choice-img"),
        )
        expect(stem).to_be_visible()
        stem.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=stem.element_handle()
        )
        box = stem.bounding_box()
        assert 0 < box["width"] <= width and box["height"] > 0
        assert "?w=small" in stem.evaluate("img => img.currentSrc")  # the phone-sized copy
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        label = fieldset.locator("label.choice:has(img.choice-img)")
        choice_picture.scroll_into_view_if_needed()
        page.wait_for_function(LOADED_JS, arg=choice_picture.element_handle())
        label.tap()
        expect(label.locator("input")).to_be_checked()
        tb.wait_saved(page)
        chosen = int(label.locator("input").get_attribute("value"))
        question_id = int(fieldset.get_attribute("data-question-id"))
        assert tb.stored_answers(app, attempt_id) == {question_id: [chosen]}
        tb.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(tb.SCREENSHOTS / f"attempt-picture-{width}px.png"))
    finally:
        context.close()
