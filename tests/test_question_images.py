"""Pictures in questions and choices: real .docx, .xlsx and .zip banks in, hostile pictures
refused with row errors and nothing saved, and served only to whoever may see them."""

import io
import re

import picture_files as pf
import pytest
from conftest import Api
from factories import insert_old_question, insert_organisation_and_bank, migration_app
from PIL import Image
from staff import cli_staff

from contest.extensions import db


def upload(api, data: bytes, filename: str, name="Có hình"):
    return api.post("/api/v1/banks", data={"file": (io.BytesIO(data), filename), "name": name})


def questions(api, bank_id: int) -> list[dict]:
    return api.get(f"/api/v1/banks/{bank_id}/questions").json["questions"]


def bank_count(api) -> int:
    return len(api.get("/api/v1/banks").json)


def start(participant, round_id: int) -> dict:
    response = participant.post(f"/api/v1/rounds/{round_id}/attempts", json={})
    assert response.status_code == 201, response.json
    return response.json


def image_of(attempt: dict) -> tuple[dict, dict]:
    """The drawn picture question and its choice that has a picture."""
    question = next(q for q in attempt["questions"] if "image" in q)
    return question, next(c for c in question["choices"] if "image" in c)


def test_word_bank_pictures_reach_the_participant_by_hash(app, organiser, make_round, register):
    response = upload(organiser, pf.docx_bank(), "co-hinh.docx")
    assert response.status_code == 201, response.json
    bank_id = response.json["id"]
    rnd = make_round(bank_id=bank_id, question_count=2)
    attempt = start(register("0912000001"), rnd["id"])
    question, choice = image_of(attempt)
    assert question["text"] == "Biển báo trong hình có ý nghĩa gì?" and choice["text"] == ""
    assert question["image"]["width"] == 60 and question["image"]["height"] == 40
    for image in (question["image"], choice["image"]):
        assert re.fullmatch(
            rf"/api/v1/attempts/{attempt['id']}/images/[0-9a-f]{{64}}", image["url"]
        )  # the hash, never the bank's letter
    stored = {q["text"]: q for q in questions(organiser, bank_id)}
    bank_choice = stored[question["text"]]["choices"][1]
    assert bank_choice["label"] == "B" and "image" in bank_choice
    assert choice["id"] == bank_choice["id"]  # the choice's random id carries its picture


def test_picture_is_served_with_cache_and_type_headers(app, organiser, make_round, register):
    bank_id = upload(organiser, pf.docx_bank(stem=pf.photo(1)), "co-hinh.docx").json["id"]
    rnd = make_round(bank_id=bank_id, question_count=2)
    participant = register("0912000001")
    question, _choice = image_of(start(participant, rnd["id"]))
    response = participant.get(question["image"]["url"])
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    picture = Image.open(io.BytesIO(response.data))
    assert picture.size == (1200, 800) and not picture.getexif()  # EXIF stripped
    small = participant.get(question["image"]["small_url"])
    assert Image.open(io.BytesIO(small.data)).size == (480, 320)
    assert question["image"]["small_width"] == 480
    etag = response.headers["ETag"]
    again = participant.get(question["image"]["url"], headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_pictures_are_404_to_everyone_who_did_not_draw_them(
    app, runner, organiser, make_round, register
):
    bank_id = upload(organiser, pf.docx_bank(), "co-hinh.docx").json["id"]
    rnd = make_round(bank_id=bank_id, question_count=2)
    owner = register("0912000001")
    attempt = start(owner, rnd["id"])
    url = image_of(attempt)[0]["image"]["url"]
    sha = url.rsplit("/", 1)[1]
    assert owner.get(url).status_code == 200
    other = register("0912000002", name="Trần Thị Bình")
    assert other.get(url).status_code == 404  # someone else's attempt
    other_attempt = start(other, rnd["id"])
    assert other.get(f"/api/v1/attempts/{other_attempt['id']}/images/{'0' * 64}").status_code == 404
    assert app.test_client().get(url).status_code == 401  # nobody logged in (every route)
    bank_url = f"/api/v1/banks/{bank_id}/images/{sha}"
    assert organiser.get(bank_url).status_code == 200
    assert owner.get(bank_url).status_code == 403  # a participant, not an organiser
    stranger = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    assert stranger.get(bank_url).status_code == 404
    assert stranger.get(url).status_code == 404


def test_a_contest_scoped_sign_in_sees_no_picture_of_another_contests_attempt(
    app, organiser, make_round, register
):
    """As on the attempt's other routes: a phone + CCCD sign-in to contest "cccd" is weaker
    proof than the password that contest "thu" asks, and reaches none of its attempts."""
    bank_id = upload(organiser, pf.docx_bank(), "co-hinh.docx").json["id"]
    thu = make_round("thu", bank_id=bank_id, question_count=2)
    make_round("cccd")
    settings = {"signin_mode": "phone_cccd", "contest_password": "mk12"}
    assert organiser.put("/api/v1/contests/cccd", json=settings).status_code == 200
    person = register(phone="0912000504", cccd="001203004005", contest="cccd")
    url = image_of(start(person, thu["id"]))[0]["image"]["url"]
    weak = Api(app.test_client())
    signed = weak.post(
        "/api/v1/contests/cccd/signin",
        json={"phone": "0912000504", "cccd": "001203004005", "contest_password": "mk12"},
    )
    assert signed.status_code == 200, signed.json
    refused = weak.get(url)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "signin_scope"
    assert refused.headers.get("ETag") is None
    assert person.get(url).status_code == 200  # the password sign-in sees its own


def test_a_question_not_drawn_keeps_its_picture_hidden(app, organiser, make_round, register):
    rows = [[i, f"Câu {i}?", "a", "b", "", "", "A", "", "Chung", "Dễ", 1] for i in (1, 2)]
    data = pf.xlsx_bank({"B2": pf.png("red"), "B3": pf.png("green")}, rows)
    bank_id = upload(organiser, data, "nh.xlsx").json["id"]
    rnd = make_round(bank_id=bank_id, question_count=1)
    participant = register("0912000001")
    attempt = start(participant, rnd["id"])
    drawn = attempt["questions"][0]["id"]
    other = next(q for q in questions(organiser, bank_id) if q["id"] != drawn)
    sha = other["image"]["url"].rsplit("/", 1)[1]
    assert participant.get(f"/api/v1/attempts/{attempt['id']}/images/{sha}").status_code == 404


def test_excel_pictures_placed_in_rows_survive_export_and_reimport(organiser):
    data = pf.xlsx_bank({"B2": pf.png("red"), "C2": pf.png("yellow"), "D2": pf.png("blue")})
    response = upload(organiser, data, "nh.xlsx")
    assert response.status_code == 201, response.json
    bank_id = response.json["id"]
    first = questions(organiser, bank_id)[0]
    assert "image" in first and [("image" in c) for c in first["choices"]] == [True, True, False]
    assert [c["text"] for c in first["choices"]] == ["", "", "Không có"]
    exported = organiser.get(f"/api/v1/banks/{bank_id}/export.xlsx").data
    again = upload(organiser, exported, "xuat.xlsx")
    assert again.status_code == 201, again.json
    copy = questions(organiser, again.json["id"])[0]

    def shas(q):
        return [q["image"]["url"][-64:]] + [
            c["image"]["url"][-64:] for c in q["choices"] if "image" in c
        ]

    assert shas(copy) == shas(first)


def test_zip_of_a_sheet_and_named_pictures(organiser):
    data = pf.zip_bank({"hinh/co.png": pf.png("red"), "b.png": pf.png("blue")})
    response = upload(organiser, data, "nh.zip")
    assert response.status_code == 201, response.json
    first = questions(organiser, response.json["id"])[0]
    assert "image" in first and "image" in first["choices"][1]
    assert first["choices"][1]["text"] == ""


def hostile_cases():
    return {
        "bomb": (pf.bomb_png(), "quá lớn"),
        "svg": (pf.SVG, "SVG"),
        "renamed": (pf.NOT_AN_IMAGE, "không phải là hình ảnh"),
        "oversize": (pf.oversize_png(), "tối đa 2 MB"),
    }


@pytest.mark.parametrize("case", ["bomb", "svg", "renamed", "oversize"])
def test_hostile_pictures_in_a_zip_are_row_errors_and_nothing_is_saved(organiser, case):
    picture, words = hostile_cases()[case]
    data = pf.zip_bank({"co.png": pf.png(), "b.png": picture})
    response = upload(organiser, data, "nh.zip")
    assert response.status_code == 422
    errors = response.json["error"]["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "D")]
    assert words in errors[0]["message"]
    assert bank_count(organiser) == 0


@pytest.mark.parametrize("case", ["bomb", "oversize"])
def test_hostile_pictures_in_word_are_refused(organiser, case):
    picture, words = hostile_cases()[case]
    response = upload(organiser, pf.docx_bank(stem=picture), "nh.docx")
    assert response.status_code == 422
    errors = response.json["error"]["errors"]
    assert errors[0]["row"] == 1 and words in errors[0]["message"]
    assert errors[0]["message"].startswith("Câu 1: hình ở câu hỏi")
    assert bank_count(organiser) == 0


def test_zip_climbing_out_of_its_folder_is_refused(organiser):
    data = pf.zip_bank({"../../etc/co.png": pf.png(), "b.png": pf.png()})
    response = upload(organiser, data, "nh.zip")
    assert response.status_code == 422
    assert "../" in response.json["error"]["errors"][0]["message"]
    assert bank_count(organiser) == 0


def test_named_picture_missing_from_the_zip(organiser):
    response = upload(organiser, pf.zip_bank({"co.png": pf.png()}), "nh.zip")
    assert response.status_code == 422
    error = response.json["error"]["errors"][0]
    assert (error["row"], error["column"]) == (2, "D") and "b.png" in error["message"]


def test_the_template_explains_pictures(client):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(client.get("/api/v1/banks/template.xlsx").data))
    guide = " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"])
    assert "HÌNH ẢNH" in guide and "[hình: ten-hinh.png]" in guide and ".zip" in guide
    assert "Hình ảnh" in [c.value for c in wb["Câu hỏi"][1]]


def test_edit_page_adds_replaces_and_removes_the_question_picture(app, organiser, make_bank):
    from conftest import csrf_from

    bank_id = make_bank()
    question = questions(organiser, bank_id)[0]
    page = f"/to-chuc/ngan-hang/{bank_id}/cau-hoi/{question['id']}"
    html = organiser.client.get(page).get_data(as_text=True)
    fields = {
        "csrf_token": csrf_from(html),
        "text": question["text"],
        "correct": "B",
        **{c["label"]: c["text"] for c in question["choices"]},
    }

    def post(**extra):
        return organiser.client.post(page, data=fields | extra, content_type="multipart/form-data")

    assert post(image=(io.BytesIO(pf.png("red")), "a.png")).status_code == 302
    added = questions(organiser, bank_id)[0]["image"]["url"]
    assert "<img" in organiser.client.get(page).get_data(as_text=True)
    assert post(image=(io.BytesIO(pf.png("green")), "b.png")).status_code == 302
    replaced = questions(organiser, bank_id)[0]["image"]["url"]
    assert replaced != added
    refused = post(image=(io.BytesIO(pf.SVG), "x.png"))
    assert refused.status_code == 422 and "SVG" in refused.get_data(as_text=True)
    assert questions(organiser, bank_id)[0]["image"]["url"] == replaced
    assert post(remove_image="1").status_code == 302
    assert "image" not in questions(organiser, bank_id)[0]


def test_attempt_page_shows_pictures_sized_for_phones(app, organiser, make_round, register):
    bank_id = upload(organiser, pf.docx_bank(stem=pf.photo(2)), "nh.docx").json["id"]
    rnd = make_round(bank_id=bank_id, question_count=2)
    participant = register("0912000001")
    attempt = start(participant, rnd["id"])
    html = participant.client.get(f"/bai-thi/{attempt['id']}").get_data(as_text=True)
    tag = re.search(r'<img class="qimg"[^>]*>', html).group(0)
    assert 'loading="lazy"' in tag and 'width="1200"' in tag and 'height="800"' in tag
    assert "srcset=" in tag and "480w" in tag and "?w=small" in tag
    assert html.count('class="qimg choice-img"') == 1


def test_twenty_picture_questions_weigh_under_600_kb_on_a_phone(
    app, organiser, make_round, register, clock
):
    rows = [[i, f"Câu {i}?", "a", "b", "", "", "A", "", "Chung", "Dễ", 1] for i in range(1, 21)]
    data = pf.xlsx_bank({f"B{i + 1}": pf.photo(i) for i in range(1, 21)}, rows)
    bank_id = upload(organiser, data, "nh.xlsx").json["id"]
    rnd = make_round(bank_id=bank_id, question_count=20)
    participant = register("0912000001")
    attempt = start(participant, rnd["id"])
    weight = sum(len(participant.get(q["image"]["small_url"]).data) for q in attempt["questions"])
    assert weight < 600_000, weight


def test_migration_adds_the_table_and_keeps_questions(make_app, tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    app = migration_app(make_app, tmp_path)
    with app.app_context():
        upgrade(revision="e4c1a7b2d9f0")
        with db.engine.begin() as conn:
            insert_organisation_and_bank(conn)
            insert_old_question(conn, 1, keep_choice_order=False)
        upgrade(revision="9218c1352ef9")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM questions")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM question_images")).scalar() == 0
        downgrade(revision="e4c1a7b2d9f0")


def test_upload_preview_and_bank_page_show_the_pictures(organiser):
    from conftest import csrf_from

    client = organiser.client
    token = csrf_from(client.get("/to-chuc/").text)
    preview = client.post(
        "/to-chuc/ngan-hang",
        data={
            "csrf_token": token,
            "name": "Có hình",
            "file": (io.BytesIO(pf.docx_bank()), "h.docx"),
        },
    )
    assert preview.status_code == 200
    assert preview.text.count('src="data:image/png;base64,') == 2  # not saved yet: inline
    confirm = re.search(r'action="(/to-chuc/tai-len/\d+)"', preview.text).group(1)
    page = client.post(confirm, data={"csrf_token": token, "action": "save"}, follow_redirects=True)
    urls = re.findall(r'<img class="qimg thumb" src="([^"]+)"', page.text)
    assert len(urls) == 2 and all("/images/" in url for url in urls)
    assert all(client.get(url).status_code == 200 for url in urls)


def test_reupload_by_code_with_the_same_pictures_changes_nothing(organiser):
    header = ["Mã câu hỏi", "Câu hỏi", "A", "B", "Đáp án đúng"]
    rows = [["H-1", "Hình nào?", "", "Không có", "A"], ["H-2", "Chữ?", "a", "b", "B"]]
    data = pf.xlsx_bank({"B2": pf.png("red"), "C2": pf.png("blue")}, rows, header)
    bank_id = upload(organiser, data, "nh.xlsx").json["id"]

    def reupload(content):
        return organiser.post(
            f"/api/v1/banks/{bank_id}/import", data={"file": (io.BytesIO(content), "nh.xlsx")}
        ).json

    assert reupload(data) | {"question_count": 0} == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "question_count": 0,
    }
    changed = pf.xlsx_bank({"B2": pf.png("green"), "C2": pf.png("blue")}, rows, header)
    assert reupload(changed)["updated"] == 1
    first = next(q for q in questions(organiser, bank_id) if q["code"] == "H-1")
    sha = first["image"]["url"][-64:]
    assert organiser.get(f"/api/v1/banks/{bank_id}/images/{sha}").status_code == 200
    assert "image" in first["choices"][0] and first["choices"][0]["text"] == ""


def test_accepted_pictures_are_re_encoded_without_metadata():
    from question_bank.images import ImageRefused, accept_image

    for kind in ("GIF", "WEBP", "PNG"):
        out = io.BytesIO()
        Image.new("RGB", (30, 20), "red").save(out, kind)
        stored = accept_image(out.getvalue())
        assert (stored.width, stored.height, stored.media_type) == (30, 20, "image/png")
    photo = accept_image(pf.photo(5, size=(2400, 1600)))
    assert (photo.width, photo.height, photo.small_width) == (1600, 1067, 480)
    assert not Image.open(io.BytesIO(photo.data)).getexif()
    with pytest.raises(ImageRefused):
        accept_image(pf.photo(1)[:300])  # truncated JPEG
