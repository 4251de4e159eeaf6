"""The contest's final prizes (giải chung cuộc): a draft from the standings over two rounds,
a person left out and back in (audited), confirmation once every round is over, certificates
issued then, the confirmed list frozen (units as confirmed), the decision .docx for the
contest, reopening (certificates invalid until confirmed again), and who may do any of it."""

import io
from datetime import timedelta

import pytest
from conftest import START, Api, csrf_from, iso
from docx import Document
from sqlalchemy import select, update
from staff import cli_staff
from test_results import play

from contest.extensions import db
from contest.models import Unit, User

RULE = {
    "winners": True,
    "participation": None,
    "issuer": "Ban Tổ chức Cuộc thi",
    "signer_title": "Trưởng ban Tổ chức",
    "signer_name": "Trần Thị Hồng Nhung",
}
TIERS = {
    "final_prize_first": 1,
    "final_prize_second": 1,
    "final_prize_third": 0,
    "final_prize_consolation": 0,
    "unit_prize_threshold": 0,
    "unit_prize_count": 1,
}


@pytest.fixture
def contest(app, organiser, make_round, register, clock):
    """Two rounds. By hand: Bình 4+4 = 8 in 60 s, Ánh 5+3 = 8 in 120 s, Cường 5 in one round.
    Standings: Bình (same score and rounds as Ánh, shorter), Ánh, Cường."""
    rounds = [
        make_round(name=name, closes_at=iso(START + timedelta(hours=2)))
        for name in ("Tuần 1", "Tuần 2")
    ]
    anh = register(phone="0912000101", name="Nguyễn Thị Ánh")
    binh = register(phone="0912000102", name="Lê Văn Bình", unit="PTC")
    cuong = register(phone="0912000103", name="Phạm Văn Cường")
    for api, scores, seconds in ((anh, (5, 3), 60), (binh, (4, 4), 30), (cuong, (5,), 40)):
        for rnd, right in zip(rounds, scores, strict=False):
            play(app, api, rnd["id"], right, clock, seconds)
    assert organiser.put("/api/v1/contests/thu", json=TIERS).status_code == 200
    assert organiser.put("/api/v1/contests/thu/certificates", json=RULE).status_code == 200
    return rounds, (anh, binh, cuong)


def names(body):
    return [
        (w["name"], w["label"], w["rank"], w["rounds_taken"], w["total_score"])
        for w in body["winners"]
    ]


def test_the_draft_follows_the_standings_and_a_person_is_left_out_with_a_reason(
    app, organiser, contest, clock
):
    _rounds, (_anh, binh, _cuong) = contest
    assert organiser.post("/api/v1/contests/thu/prizes/confirm").status_code == 409  # running
    clock.advance(hours=3)
    draft = organiser.get("/api/v1/contests/thu/prizes").json
    assert draft["confirmed"] is False
    assert names(draft) == [
        ("Lê Văn Bình", "Giải Nhất", 1, 2, 8.0),
        ("Nguyễn Thị Ánh", "Giải Nhì", 2, 2, 8.0),
    ]
    assert draft["winners"][0]["total_duration_ms"] == 60_000
    assert [(u["unit"], u["prize"]) for u in draft["units"]] == [("Phòng Nội vụ", "Giải tập thể 1")]
    uid = binh.user["id"]
    left = organiser.post(
        f"/api/v1/contests/thu/prizes/people/{uid}/void", json={"reason": "Thi hộ"}
    )
    assert left.status_code == 200
    assert names(left.json) == [
        ("Nguyễn Thị Ánh", "Giải Nhất", 2, 2, 8.0),
        ("Phạm Văn Cường", "Giải Nhì", 3, 1, 5.0),
    ]
    assert left.json["left_out"] == [{"user_id": uid, "name": "Lê Văn Bình", "reason": "Thi hộ"}]
    audit = organiser.get("/api/v1/audit").json
    assert audit[0]["action"] == "void_final"
    assert "Lê Văn Bình" in audit[0]["sentence"] and "Thi hộ" in audit[0]["sentence"]
    # the rounds' own results stand
    board = app.test_client().get("/api/v1/contests/thu/standings").json["entries"]
    assert board[0]["name"] == "Lê Văn Bình"
    back = organiser.post(f"/api/v1/contests/thu/prizes/people/{uid}/restore")
    assert names(back.json)[0][0] == "Lê Văn Bình" and back.json["left_out"] == []
    assert organiser.get("/api/v1/audit").json[0]["action"] == "restore_final"


def test_confirmed_final_prizes_issue_certificates_and_stay_as_confirmed(
    app, organiser, contest, clock
):
    _rounds, (anh, binh, _cuong) = contest
    clock.advance(hours=3)
    done = organiser.post("/api/v1/contests/thu/prizes/confirm")
    assert done.status_code == 200 and done.json["confirmed"] is True
    mine = binh.get("/api/v1/me/certificates").json
    final = [c for c in mine if "chung cuộc" in c["achievement"]]
    assert [(c["kind"], c["achievement"], "round_id" in c) for c in final] == [
        ("prize", "Đạt Giải Nhất chung cuộc", False)
    ]
    code = final[0]["code"]
    public = app.test_client()
    assert public.get(f"/api/v1/certificates/{code}").json["valid"] is True
    assert binh.get(final[0]["pdf_url"]).status_code == 200
    # changing the list now is refused; the winner moved to another unit changes nothing shown
    uid = binh.user["id"]
    assert (
        organiser.post(
            f"/api/v1/contests/thu/prizes/people/{uid}/void", json={"reason": "Thi hộ"}
        ).status_code
        == 409
    )
    with app.app_context():
        pnv = db.session.scalar(select(Unit.id).filter_by(code="PNV"))
        db.session.execute(update(User).where(User.id == uid).values(unit_id=pnv))
        db.session.commit()
    again = organiser.get("/api/v1/contests/thu/prizes").json
    assert again["winners"][0]["unit"] == "Phòng Tài chính"
    doc = Document(io.BytesIO(organiser.get("/api/v1/contests/thu/decision.docx").data))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert any(
        r[1:5] == ["Lê Văn Bình", "Phòng Tài chính", "2", "8"] and r[-1] == "Giải Nhất"
        for r in rows
    )
    assert any(r[1] == "Nguyễn Thị Ánh" and r[-1] == "Giải Nhì" for r in rows)
    assert any(r[1] == "Phòng Nội vụ" and r[-1] == "Giải tập thể 1" for r in rows)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "giải chung cuộc Cuộc thi thử" in text
    assert "thành tích xuất sắc trong các đợt thi của Cuộc thi thử" in text
    assert "Căn cứ kết quả các đợt thi của Cuộc thi thử;" in text
    assert organiser.get("/api/v1/audit").json[0]["action"] == "export_final_decision"
    # reopened: the certificate answers invalid with the reason; confirmed again, valid
    assert organiser.post("/api/v1/contests/thu/prizes/reopen").status_code == 200
    answer = public.get(f"/api/v1/certificates/{code}").json
    assert answer["valid"] is False and "chung cuộc" in answer["revoked_reason"]
    assert organiser.post("/api/v1/contests/thu/prizes/confirm").status_code == 200
    assert public.get(f"/api/v1/certificates/{code}").json["valid"] is True
    assert [
        c["code"]
        for c in binh.get("/api/v1/me/certificates").json
        if "chung cuộc" in c["achievement"]
    ] == [code]
    assert anh.get("/api/v1/me/certificates").json  # the second prize too


def test_a_changed_list_leaves_the_old_certificate_invalid(app, organiser, contest, clock):
    _rounds, (_anh, binh, cuong) = contest
    clock.advance(hours=3)
    organiser.post("/api/v1/contests/thu/prizes/confirm")
    code = next(
        c["code"]
        for c in binh.get("/api/v1/me/certificates").json
        if "chung cuộc" in c["achievement"]
    )
    organiser.post("/api/v1/contests/thu/prizes/reopen")
    organiser.post(
        f"/api/v1/contests/thu/prizes/people/{binh.user['id']}/void", json={"reason": "Gian lận"}
    )
    organiser.post("/api/v1/contests/thu/prizes/confirm")
    answer = app.test_client().get(f"/api/v1/certificates/{code}").json
    assert answer["valid"] is False and answer["revoked_reason"]
    assert any(
        c["achievement"] == "Đạt Giải Nhì chung cuộc"
        for c in cuong.get("/api/v1/me/certificates").json
    )


def test_outsiders_cannot_see_or_change_the_final_prizes(app, runner, organiser, contest, clock):
    _rounds, (anh, binh, _cuong) = contest
    clock.advance(hours=3)
    void_binh = f"/api/v1/contests/thu/prizes/people/{binh.user['id']}/void"
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    for call in (
        other.get("/api/v1/contests/thu/prizes"),
        other.post("/api/v1/contests/thu/prizes/confirm"),
        other.post(void_binh, json={"reason": "Thi hộ"}),
        other.get("/api/v1/contests/thu/decision.docx"),
    ):
        assert call.status_code == 404
    for call in (
        anh.get("/api/v1/contests/thu/prizes"),
        anh.post("/api/v1/contests/thu/prizes/confirm"),
        anh.post(void_binh, json={"reason": "Thi hộ"}),
    ):
        assert call.status_code == 403
    nobody = Api(app.test_client())
    nobody.refresh_csrf()
    assert nobody.post("/api/v1/contests/thu/prizes/confirm").status_code == 401
    # someone who took no round of this contest cannot be left out of it; no reason, no void
    assert (
        organiser.post(
            "/api/v1/contests/thu/prizes/people/999999/void", json={"reason": "Thi hộ"}
        ).status_code
        == 404
    )
    assert organiser.post(void_binh, json={"reason": ""}).status_code == 422
    assert organiser.get("/api/v1/contests/thu/prizes").json["confirmed"] is False


def test_the_pages_leave_out_confirm_print_and_reopen(app, organiser, contest, clock):
    _rounds, (_anh, binh, _cuong) = contest
    clock.advance(hours=3)
    web = organiser.client
    html = web.get("/to-chuc/cuoc-thi/thu/giai-chung-cuoc").get_data(as_text=True)
    assert "Dự thảo" in html and html.index("Lê Văn Bình") < html.index("Nguyễn Thị Ánh")
    token = csrf_from(html)
    uid = binh.user["id"]
    short = web.post(
        f"/to-chuc/cuoc-thi/thu/giai-chung-cuoc/loai/{uid}",
        data={"csrf_token": token, "reason": "x"},
        follow_redirects=True,
    )
    assert "Quá ngắn." in short.get_data(as_text=True)
    page = web.post(
        f"/to-chuc/cuoc-thi/thu/giai-chung-cuoc/loai/{uid}",
        data={"csrf_token": token, "reason": "Thi hộ"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã loại khỏi giải chung cuộc" in page and "Lê Văn Bình: Thi hộ" in page
    page = web.post(
        f"/to-chuc/cuoc-thi/thu/giai-chung-cuoc/dua-lai/{uid}",
        data={"csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã loại khỏi giải chung cuộc" not in page
    page = web.post(
        "/to-chuc/cuoc-thi/thu/giai-chung-cuoc/xac-nhan",
        data={"csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã xác nhận danh sách giải chung cuộc." in page
    assert "Tải mọi giấy chứng nhận của cuộc thi (.pdf)" in page
    printed = web.get("/to-chuc/cuoc-thi/thu/giai-chung-cuoc/in").get_data(as_text=True)
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG CHUNG CUỘC" in printed
    assert "Lê Văn Bình" in printed and "Phòng Nội vụ" in printed and "Dự thảo" not in printed
    refused = web.post(
        f"/to-chuc/cuoc-thi/thu/giai-chung-cuoc/loai/{uid}",
        data={"csrf_token": token, "reason": "Thi hộ"},
        follow_redirects=True,
    )
    assert "đã được xác nhận" in refused.get_data(as_text=True)
    web.post("/to-chuc/cuoc-thi/thu/giai-chung-cuoc/mo-lai", data={"csrf_token": token})
    assert organiser.get("/api/v1/contests/thu/prizes").json["confirmed"] is False
    assert binh.client.get("/to-chuc/cuoc-thi/thu/giai-chung-cuoc").status_code in (302, 403)
