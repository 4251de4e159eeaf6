"""Voids: an organiser voids any counted entry (not only a prize winner) from the round page,
with a reason, audited; the participant is told on their result page, their attempt page, the
API and the self lookup; no page claims a voided entry is the one counted."""

import re

from conftest import csrf_from
from staff import cli_staff
from test_results import play

NOTICE = "Bài dự thi của bạn đã bị hủy kết quả: Thi hộ cho người khác"


def _round_page(organiser, round_id, search=""):
    return organiser.client.get(f"/to-chuc/dot-thi/{round_id}?tim={search}").get_data(as_text=True)


def _void_from_page(organiser, round_id, name, reason):
    html = _round_page(organiser, round_id, name)
    section = html.split('id="huy-ket-qua"', 1)[1]
    action = re.search(r'action="(/to-chuc/dot-thi/\d+/huy/\d+)"', section).group(1)
    return organiser.client.post(
        action, data={"csrf_token": csrf_from(section), "reason": reason}, follow_redirects=True
    )


def test_any_entry_voided_from_the_round_page_and_the_person_told(
    app, organiser, make_round, register, clock
):
    rnd = make_round(prize_first=1, prize_second=0, prize_third=0, prize_consolation=0)
    winner = register(phone="0912000501", name="Đỗ Hạnh")
    play(app, winner, rnd["id"], 5, clock, 10)
    her = register(phone="0912000502", name="Phan Thị Mai", cccd="012345678902")
    first = play(app, her, rnd["id"], 4, clock, 10)  # counted (best of two)
    second = play(app, her, rnd["id"], 1, clock, 10)
    page = _round_page(organiser, rnd["id"], "Mai")
    assert "Phan Thị Mai" in page.split('id="huy-ket-qua"', 1)[1]
    assert "Đỗ Hạnh" not in page.split('id="huy-ket-qua"', 1)[1].split("</section>")[0]
    assert "Phan Thị Mai" not in page.split('id="giai"', 1)[1].split("</section>")[0]
    done = _void_from_page(organiser, rnd["id"], "0912000502", "Thi hộ cho người khác")
    assert done.status_code == 200
    assert "Kết quả đã huỷ" in done.get_data(as_text=True)
    for attempt in (first, second):
        html = her.client.get(f"/bai-thi/{attempt['id']}/ket-qua").get_data(as_text=True)
        assert NOTICE in html
        assert "Bài được tính xếp hạng" not in html
        body = her.get(f"/api/v1/attempts/{attempt['id']}").json
        assert body["voided"] is True and body["void_reason"] == "Thi hộ cho người khác"
    assert winner.get(f"/api/v1/attempts/{first['id']}").status_code == 404  # not hers
    assert NOTICE not in winner.client.get(f"/bai-thi/{first['id']}/ket-qua").get_data(as_text=True)
    audit = organiser.get("/api/v1/audit").json
    assert audit[0]["action"] == "void_entry"
    assert (
        "Phan Thị Mai" in audit[0]["sentence"] and "Thi hộ cho người khác" in audit[0]["sentence"]
    )


def test_a_new_attempt_after_a_void_says_so(app, organiser, make_round, register, clock):
    rnd = make_round()
    her = register(phone="0912000503", name="Phan Thị Mai")
    play(app, her, rnd["id"], 4, clock, 10)
    _void_from_page(organiser, rnd["id"], "Mai", "Thi hộ cho người khác")
    attempt = her.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    html = her.client.get(f"/bai-thi/{attempt['id']}").get_data(as_text=True)
    assert NOTICE in html


def test_the_self_lookup_gives_the_reason(app, organiser, make_round, register, clock):
    rnd = make_round()
    her = register(phone="0912000504", name="Phan Thị Mai", cccd="012345678904")
    play(app, her, rnd["id"], 4, clock, 10)
    _void_from_page(organiser, rnd["id"], "Mai", "Thi hộ cho người khác")
    client = app.test_client()
    token = csrf_from(client.get("/tra-cuu").get_data(as_text=True))
    html = client.post(
        "/tra-cuu", data={"csrf_token": token, "phone": "0912000504", "cccd": "012345678904"}
    ).get_data(as_text=True)
    assert NOTICE in html


def test_another_organisation_cannot_void(app, organiser, make_round, register, clock, runner):
    rnd = make_round()
    play(app, register(phone="0912000505"), rnd["id"], 4, clock, 10)
    entry_id = re.search(r"/huy/(\d+)", _round_page(organiser, rnd["id"])).group(1)
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    assert (
        other.post(
            f"/api/v1/rounds/{rnd['id']}/entries/{entry_id}/void",
            json={"reason": "Không phải của tôi"},
        ).status_code
        == 404
    )
    assert other.client.get(f"/to-chuc/dot-thi/{rnd['id']}").status_code == 404
    assert "Kết quả đã huỷ" not in _round_page(organiser, rnd["id"])
