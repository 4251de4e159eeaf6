"""Certificates: the rule, issue at confirmation and at a round's close, the PDF (A4, real
Vietnamese text, a QR of its verification address), verification, and who may download."""

import io
from datetime import timedelta

import pytest
from conftest import START, iso
from pypdf import PdfReader
from staff import cli_staff
from test_results import play

RULE = {
    "winners": True,
    "participation": None,
    "issuer": "Ban Tổ chức Cuộc thi thị xã Cửa Lò",
    "signer_title": "Trưởng ban Tổ chức",
    "signer_name": "Trần Thị Hồng Nhung",
    "place": "Cửa Lò",
}


def closed_round(make_round, clock, slug="thu", name="Tuần 1", **kw):
    return make_round(
        slug=slug,
        name=name,
        closes_at=iso(START + timedelta(hours=2)),
        prize_first=1,
        prize_second=1,
        prize_third=0,
        prize_consolation=0,
        **kw,
    )


def three_entries(app, rnd, register, clock) -> list:
    """Nguyễn Thị Ánh Tuyết (5 right), Lê Văn Bình (4, of PTC) and Phạm Cường (1) play `rnd`,
    a minute each: their API clients."""
    people = [
        register(phone="0912000001", name="Nguyễn Thị Ánh Tuyết"),
        register(phone="0912000002", name="Lê Văn Bình", unit="PTC"),
        register(phone="0912000003", name="Phạm Cường"),
    ]
    for api, right in zip(people, (5, 4, 1), strict=True):
        play(app, api, rnd["id"], right, clock, 60)
    return people


@pytest.fixture
def week(app, organiser, make_round, register, clock):
    """A closed round: Nguyễn Thị Ánh Tuyết first, Lê Văn Bình second, Phạm Cường third
    (no prize); the rule gives winners a certificate; prizes confirmed."""
    rnd = closed_round(make_round, clock)
    people = three_entries(app, rnd, register, clock)
    assert organiser.put("/api/v1/contests/thu/certificates", json=RULE).status_code == 200
    clock.advance(hours=3)
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm").status_code == 200
    return rnd, people


def test_winner_gets_a_pdf_with_real_vietnamese_text_and_a_qr_that_verifies(app, week):
    rnd, (tuyet, _binh, cuong) = week
    mine = tuyet.get("/api/v1/me/certificates").json
    assert [(c["kind"], c["round_id"], c["achievement"]) for c in mine] == [
        ("prize", rnd["id"], "Đạt Giải Nhất Tuần 1")
    ]
    assert cuong.get("/api/v1/me/certificates").json == []
    response = tuyet.get(mine[0]["pdf_url"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = page.extract_text()
    for words in (
        "Nguyễn Thị Ánh Tuyết",
        "GIẤY CHỨNG NHẬN",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đạt Giải Nhất Tuần 1",
        "Phòng Nội vụ",
        "Trần Thị Hồng Nhung",
        "Cửa Lò, ngày 02 tháng 03 năm 2026",
        mine[0]["code"],
    ):
        assert words in text, words
    fonts = [f for f in page["/Resources"]["/Font"].values()]
    assert all(
        "/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for f in fonts
    )  # embedded TrueType
    url = decode_qr(page)
    assert url.endswith(f"/xac-thuc/{mine[0]['code']}")
    public = app.test_client()
    page_html = public.get(url.split("localhost", 1)[1]).get_data(as_text=True)
    assert "Giấy chứng nhận hợp lệ." in page_html and "Nguyễn T. Á. Tuyết" in page_html
    answer = public.get(f"/api/v1/certificates/{mine[0]['code']}").json
    assert answer == {
        "valid": True,
        "code": mine[0]["code"],
        "contest": "Cuộc thi thử",
        "name": "Nguyễn T. Á. Tuyết",
        "achievement": "Đạt Giải Nhất Tuần 1",
        "issued_at": answer["issued_at"],
    }


def decode_qr(page) -> str:
    import zxingcpp
    from PIL import Image

    found = [
        code.text
        for picture in page.images
        for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(picture.data)).convert("L"))
    ]
    assert len(found) == 1
    return found[0]


def test_a_voided_entry_makes_its_certificate_invalid_with_the_reason(app, organiser, week):
    rnd, (tuyet, _binh, _cuong) = week
    code = tuyet.get("/api/v1/me/certificates").json[0]["code"]
    public = app.test_client()
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/reopen").status_code == 200
    assert public.get(f"/api/v1/certificates/{code}").json["valid"] is False
    entry = organiser.get(f"/api/v1/rounds/{rnd['id']}/prizes").json["winners"][0]["entry_id"]
    assert (
        organiser.post(
            f"/api/v1/rounds/{rnd['id']}/entries/{entry}/void", json={"reason": "Thi hộ người khác"}
        ).status_code
        == 200
    )
    organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm")
    answer = public.get(f"/api/v1/certificates/{code.lower().replace('-', '')}").json
    assert answer["valid"] is False
    assert answer["revoked_reason"] == "Kết quả bài dự thi đã bị huỷ: Thi hộ người khác"
    assert "Thi hộ người khác" in public.get(f"/xac-thuc/{code}").get_data(as_text=True)
    # the list moved up: Bình is now first, with a new certificate; his old one no longer holds
    binh = {c["achievement"]: c["code"] for c in _binh.get("/api/v1/me/certificates").json}
    assert set(binh) == {"Đạt Giải Nhì Tuần 1", "Đạt Giải Nhất Tuần 1"}
    assert public.get(f"/api/v1/certificates/{binh['Đạt Giải Nhất Tuần 1']}").json["valid"]
    assert not public.get(f"/api/v1/certificates/{binh['Đạt Giải Nhì Tuần 1']}").json["valid"]


def test_reconfirming_the_same_list_keeps_the_same_code_valid(app, organiser, week):
    rnd, (tuyet, _b, _c) = week
    code = tuyet.get("/api/v1/me/certificates").json[0]["code"]
    organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/reopen")
    organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm")
    assert [c["code"] for c in tuyet.get("/api/v1/me/certificates").json] == [code]
    assert app.test_client().get(f"/api/v1/certificates/{code}").json["valid"] is True


def test_only_the_owner_or_the_organiser_downloads(app, organiser, week, runner):
    rnd, (tuyet, binh, _c) = week
    url = tuyet.get("/api/v1/me/certificates").json[0]["pdf_url"]
    assert binh.get(url).status_code == 403
    assert app.test_client().get(url).status_code == 401
    assert organiser.get(url).status_code == 200
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    assert other.get(url).status_code == 403
    assert other.get(f"/api/v1/rounds/{rnd['id']}/certificates.pdf").status_code == 404
    assert app.test_client().get("/api/v1/certificates/0000-0000-0000-0000").status_code == 404
    assert app.test_client().get("/xac-thuc/0000-0000-0000-0000").status_code == 404


def test_codes_are_long_and_random(app, week):
    _rnd, (tuyet, binh, _c) = week
    codes = [c["code"] for api in (tuyet, binh) for c in api.get("/api/v1/me/certificates").json]
    assert len(set(codes)) == 2
    assert all(len(code.replace("-", "")) == 16 for code in codes)


def test_participation_rule_counts_closed_rounds_over_the_share(
    app, organiser, make_round, register, clock
):
    rounds = [closed_round(make_round, clock, name=f"Tuần {i}") for i in (1, 2)]
    an, ba = (
        register(phone="0912000011", name="Đỗ Thị An"),
        register(phone="0912000012", name="Vũ Ba"),
    )
    for rnd in rounds:
        play(app, an, rnd["id"], 3, clock, 30)  # 3/5 = 60 %
    play(app, ba, rounds[0]["id"], 5, clock, 30)
    play(app, ba, rounds[1]["id"], 2, clock, 30)  # 40 %: only one round counts
    rule = RULE | {"winners": False, "participation": {"min_score_ratio": 0.5, "min_rounds": 2}}
    assert organiser.put("/api/v1/contests/thu/certificates", json=rule).status_code == 200
    assert an.get("/api/v1/me/certificates").json == []  # rounds not closed yet
    clock.advance(hours=3)
    app.test_client().get(f"/api/v1/rounds/{rounds[0]['id']}/leaderboard")  # finalises one
    assert an.get("/api/v1/me/certificates").json == []
    app.test_client().get(f"/api/v1/rounds/{rounds[1]['id']}/leaderboard")
    mine = an.get("/api/v1/me/certificates").json
    assert [(c["kind"], c["achievement"]) for c in mine] == [
        ("participation", "Tham gia và đạt từ 50% số điểm trở lên ở 2 đợt thi")
    ]
    assert "round_id" not in mine[0]
    assert ba.get("/api/v1/me/certificates").json == []
    text = PdfReader(io.BytesIO(an.get(mine[0]["pdf_url"]).data)).pages[0].extract_text()
    assert "Đỗ Thị An" in text


def test_rule_is_the_organisers_and_validated(app, organiser, week, register):
    _rnd, (tuyet, _b, _c) = week
    assert tuyet.put("/api/v1/contests/thu/certificates", json=RULE).status_code == 403
    bad = RULE | {"participation": {"min_score_ratio": 1.5, "min_rounds": 0}}
    response = organiser.put("/api/v1/contests/thu/certificates", json=bad)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {
        "participation.min_score_ratio",
        "participation.min_rounds",
    }
    none = RULE | {"winners": False, "participation": None}
    assert organiser.put("/api/v1/contests/thu/certificates", json=none).status_code == 422
    assert organiser.put("/api/v1/contests/khong-co/certificates", json=RULE).status_code == 404
    audit = organiser.get("/api/v1/audit").json
    assert "certificate_rule" in [a["action"] for a in audit]


def test_organiser_batch_is_one_pdf_with_a_page_each(app, organiser, week):
    rnd, _people = week
    response = organiser.get(f"/api/v1/rounds/{rnd['id']}/certificates.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2
    assert "Lê Văn Bình" in reader.pages[1].extract_text()
    assert _people[0].get(f"/api/v1/rounds/{rnd['id']}/certificates.pdf").status_code == 403


def test_participant_page_lists_and_links(app, week):
    _rnd, (tuyet, _b, _c) = week
    html = tuyet.get("/giay-chung-nhan").get_data(as_text=True)
    assert "Đạt Giải Nhất Tuần 1" in html and "/api/v1/certificates/" in html


def test_organiser_sets_the_rule_on_the_contest_page(app, organiser, make_round, clock):
    from conftest import csrf_from

    make_round()
    page = organiser.get("/to-chuc/cuoc-thi/thu").get_data(as_text=True)
    assert "Giấy chứng nhận" in page
    form = {
        "csrf_token": csrf_from(page),
        "winners": "1",
        "participation": "1",
        "min_score_pct": "50",
        "min_rounds": "3",
        "issuer": "Ban Tổ chức Cuộc thi",
        "signer_title": "Trưởng ban",
        "signer_name": "Trần Văn Hùng",
        "place": "Vinh",
    }
    response = organiser.client.post("/to-chuc/cuoc-thi/thu/giay-chung-nhan", data=form)
    assert response.status_code == 302
    rule = organiser.get("/api/v1/contests/thu/certificates").json["rule"]
    assert rule == {
        "winners": True,
        "participation": {"min_score_ratio": 0.5, "min_rounds": 3},
        "issuer": "Ban Tổ chức Cuộc thi",
        "signer_title": "Trưởng ban",
        "signer_name": "Trần Văn Hùng",
        "place": "Vinh",
    }
    bad = form | {"min_score_pct": "abc"}
    organiser.client.post("/to-chuc/cuoc-thi/thu/giay-chung-nhan", data=bad)
    assert organiser.get("/api/v1/contests/thu/certificates").json["rule"] == rule
    page = organiser.get("/to-chuc/cuoc-thi/thu").get_data(as_text=True)
    assert 'value="Trần Văn Hùng"' in page
    forged = {k: v for k, v in form.items() if k != "csrf_token"} | {"signer_name": "Kẻ giả"}
    organiser.client.post("/to-chuc/cuoc-thi/thu/giay-chung-nhan", data=forged)
    assert organiser.get("/api/v1/contests/thu/certificates").json["rule"] == rule


def test_certificates_stay_vietnamese_in_the_english_interface(
    app, organiser, make_round, register, clock
):
    rnd = closed_round(make_round, clock)
    winner = register(phone="0912000021", name="Đặng Thu Hà")
    play(app, winner, rnd["id"], 5, clock, 30)
    organiser.client.set_cookie("lang", "en")
    winner.client.set_cookie("lang", "en")
    organiser.put("/api/v1/contests/thu/certificates", json=RULE)
    clock.advance(hours=3)
    organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm")
    mine = winner.get("/api/v1/me/certificates").json
    assert [c["achievement"] for c in mine] == ["Đạt Giải Nhất Tuần 1"]
    text = PdfReader(io.BytesIO(winner.get(mine[0]["pdf_url"]).data)).pages[0].extract_text()
    assert "GIẤY CHỨNG NHẬN" in text and "CERTIFICATE" not in text
    assert "Certificate verification" in winner.get(f"/xac-thuc/{mine[0]['code']}").text


def png(size=(120, 60), color=(200, 0, 0, 160)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return out.getvalue()


def test_signature_and_seal_images_are_printed(app, organiser, week):
    _rnd, (tuyet, _b, _c) = week
    url = "/api/v1/contests/thu/certificates/images"
    files = {
        "signature": (io.BytesIO(png()), "chu-ky.png"),
        "seal": (io.BytesIO(png((200, 200))), "dau.png"),
    }
    assert tuyet.put(url, data=files).status_code == 403
    files = {
        "signature": (io.BytesIO(png()), "chu-ky.png"),
        "seal": (io.BytesIO(png((200, 200))), "dau.png"),
    }
    assert organiser.put(url, data=files).json == {"signature": True, "seal": True}
    pdf_url = tuyet.get("/api/v1/me/certificates").json[0]["pdf_url"]
    page = PdfReader(io.BytesIO(tuyet.get(pdf_url).data)).pages[0]
    assert len(page.images) == 3  # QR, seal, signature
    assert decode_qr(page).endswith("/xac-thuc/" + pdf_url.split("/")[-1][:-4])
    bad = organiser.put(url, data={"seal": (io.BytesIO(b"GIF89a" + b"0" * 100), "dau.gif")})
    assert bad.status_code == 422
    fake = organiser.put(
        url, data={"seal": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 50), "dau.png")}
    )
    assert fake.status_code == 422
    assert organiser.put(url, data={"remove_seal": "1"}).json == {"signature": True, "seal": False}
    page = PdfReader(io.BytesIO(tuyet.get(pdf_url).data)).pages[0]
    assert len(page.images) == 2
    actions = [a["action"] for a in organiser.get("/api/v1/audit").json]
    assert actions.count("certificate_images") == 2
