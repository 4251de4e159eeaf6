"""The organisers' certificate batch: one PDF of a round's or the contest's certificates, built
in the background with its progress; the page shows it; nobody else's batch can be read; a
second request while one runs gets the same batch; the drawing reports progress as it goes."""

import io
import re
import time
from datetime import datetime

import test_certificates
from conftest import csrf_from
from pypdf import PdfReader
from staff import cli_staff

from contest.certificate_pdf import CertificatePage, render

week = test_certificates.week  # the fixture: a closed round, two winners, the rule set


def wait_ready(api, url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = api.get(url).json
        if state["status"] != "running":
            return state
        time.sleep(0.2)
    raise AssertionError("the batch did not finish")


def test_the_contest_batch_is_built_in_the_background_and_downloads_as_one_pdf(
    app, organiser, week
):
    rnd, _people = week
    started = organiser.post("/api/v1/contests/thu/certificates/batch", json={})
    assert started.status_code == 202
    assert started.json["total"] == 2 and started.json["status"] in ("running", "ready")
    state = wait_ready(organiser, started.json["status_url"])
    assert (state["status"], state["done"], state["total"]) == ("ready", 2, 2)
    pdf = organiser.get(state["pdf_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 2
    assert "Nguyễn Thị Ánh Tuyết" in reader.pages[0].extract_text()
    audit = organiser.get("/api/v1/audit").json
    assert audit[0]["action"] == "certificate_batch" and "2 giấy" in audit[0]["sentence"]
    one = organiser.post("/api/v1/contests/thu/certificates/batch", json={"round_id": rnd["id"]})
    assert wait_ready(organiser, one.json["status_url"])["total"] == 2
    assert (
        organiser.post(
            "/api/v1/contests/thu/certificates/batch", json={"round_id": 999999}
        ).status_code
        == 404
    )


def test_nobody_else_reads_a_batch(app, runner, organiser, week):
    _rnd, (tuyet, _b, _c) = week
    started = organiser.post("/api/v1/contests/thu/certificates/batch", json={}).json
    wait_ready(organiser, started["status_url"])
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    assert other.get(started["status_url"]).status_code == 404
    assert other.get(started["pdf_url"]).status_code == 404
    assert other.post("/api/v1/contests/thu/certificates/batch", json={}).status_code == 404
    assert tuyet.get(started["pdf_url"]).status_code == 403
    assert app.test_client().get(started["pdf_url"]).status_code == 401


def test_a_running_batch_is_not_started_twice(app, organiser, week, monkeypatch):
    from contest import jobs

    monkeypatch.setattr(jobs, "run_certificate_batch", lambda *a: None)  # held
    first = organiser.post("/api/v1/contests/thu/certificates/batch", json={}).json
    again = organiser.post("/api/v1/contests/thu/certificates/batch", json={}).json
    assert again["id"] == first["id"] and again["status"] == "running"
    assert organiser.get(first["pdf_url"]).status_code == 409  # not drawn yet


def test_drawing_reports_progress_every_25_pages(app):
    page = CertificatePage(
        code="AAAA-BBBB-CCCC-DDDD",
        serial="00001/GCN",
        full_name="Trần Thị Hồng Nhung",
        gender=None,
        unit_name="Phòng Nội vụ",
        achievement="Đạt Giải Nhất",
        contest_title="Cuộc thi thử",
        issuer="Ban Tổ chức",
        signer_title="Trưởng ban",
        signer_name="A B",
        place="",
        issued_at=datetime(2026, 3, 2),
        verify_url="http://localhost/xac-thuc/AAAA-BBBB-CCCC-DDDD",
    )
    seen = []
    with app.test_request_context():
        data = render([page] * 60, progress=seen.append)
    assert seen == [25, 50]
    assert len(PdfReader(io.BytesIO(data)).pages) == 60


def test_the_page_starts_the_batch_and_shows_its_progress(app, organiser, week):
    rnd, _people = week
    html = organiser.client.get(f"/to-chuc/dot-thi/{rnd['id']}").get_data(as_text=True)
    assert "Tải mọi giấy chứng nhận của đợt (.pdf)" in html
    answer = organiser.client.post(
        "/to-chuc/cuoc-thi/thu/giay-chung-nhan/tai-ve",
        data={"csrf_token": csrf_from(html), "round_id": rnd["id"]},
    )
    assert answer.status_code == 302
    batch_id = int(re.search(r"/tep/(\d+)", answer.headers["Location"]).group(1))
    wait_ready(organiser, f"/api/v1/certificate-batches/{batch_id}")
    page = organiser.client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "<progress" in page and "Đã xong: 2 giấy chứng nhận." in page
    assert f"/api/v1/certificate-batches/{batch_id}.pdf" in page
    no_token = organiser.client.post("/to-chuc/cuoc-thi/thu/giay-chung-nhan/tai-ve", data={})
    assert no_token.status_code == 400  # no form token, no batch
    assert organiser.get(f"/api/v1/certificate-batches/{batch_id + 1}").status_code == 404


def test_a_file_is_kept_a_day_then_removed_when_the_next_starts(app, organiser, week, clock):
    from contest.extensions import db
    from contest.models import CertificateBatch

    def kept():
        with app.app_context():
            return db.session.scalars(db.select(CertificateBatch.created_at)).all()

    first = organiser.post("/api/v1/contests/thu/certificates/batch", json={}).json
    wait_ready(organiser, first["status_url"])
    clock.advance(hours=20)
    wait_ready(
        organiser,
        organiser.post("/api/v1/contests/thu/certificates/batch", json={}).json["status_url"],
    )
    assert len(kept()) == 2  # a day has not passed
    clock.advance(hours=10)
    second = organiser.post("/api/v1/contests/thu/certificates/batch", json={}).json
    assert len(kept()) == 2  # the first is gone, the one of 10 hours ago stays
    assert wait_ready(organiser, second["status_url"])["status"] == "ready"
