"""A plan is hostile input: a PDF that inflates into far more page content than its size, too
many pages, or a Word file far longer than a plan is refused in Vietnamese, quickly; reading
runs in a child process bounded in time and memory."""

import io
import time

import pytest
from conftest import csrf_from
from hostile_plans import long_docx, many_pages_pdf, plan_pdf, shared_stream_pdf

from question_bank.drafting import PlanUnreadable
from question_bank.drafting.isolated import draft_isolated

CASES = [
    ("shared-stream.pdf", shared_stream_pdf, "nội dung bất thường"),
    ("400-pages.pdf", many_pages_pdf, "quá nhiều trang"),
    ("long.docx", long_docx, "quá dài"),
]


@pytest.mark.parametrize(("filename", "make", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_plan_is_refused_quickly_in_vietnamese(organiser, filename, make, message):
    client = organiser.client
    html = client.get("/to-chuc/soan-cau-hoi").text
    began = time.monotonic()
    response = client.post(
        "/to-chuc/soan-cau-hoi",
        data={"csrf_token": csrf_from(html), "plan": (io.BytesIO(make()), filename)},
    )
    elapsed = time.monotonic() - began
    assert response.status_code == 200
    assert message in response.text
    assert elapsed < 30, elapsed  # the crafted PDF alone took 28 s of a whole site before


def test_a_plain_pdf_still_reads():
    drafts_or_error = None
    try:
        drafts_or_error = draft_isolated("ke-hoach.pdf", plan_pdf())
    except PlanUnreadable as refused:
        drafts_or_error = refused.message
    assert isinstance(drafts_or_error, list)  # read (too short for drafts, but no refusal)


def test_reading_is_stopped_at_the_time_limit():
    began = time.monotonic()
    with pytest.raises(PlanUnreadable, match="quá lâu"):
        draft_isolated("ke-hoach.pdf", plan_pdf(), timeout=0.05)
    assert time.monotonic() - began < 5


def test_what_the_child_refuses_comes_back_as_its_message():
    with pytest.raises(PlanUnreadable, match="không phải là tài liệu PDF"):
        draft_isolated("ke-hoach.pdf", b"not a pdf at all")
