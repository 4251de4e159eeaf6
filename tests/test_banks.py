"""Question bank import through the API: the template, forgiving headers, every bad row
reported with row, column and a Vietnamese message, nothing saved on error, hostile files."""

import io
import zipfile

from conftest import BANK_HEADERS, bank_rows, xlsx_bytes
from openpyxl import load_workbook
from staff import cli_staff


def upload(api, data: bytes, filename="nh.xlsx", name="NH"):
    return api.post("/api/v1/banks", data={"file": (io.BytesIO(data), filename), "name": name})


def bank_count(api) -> int:
    return len(api.get("/api/v1/banks").json)


def test_template_has_the_columns_and_instructions(client):
    response = client.get("/api/v1/banks/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    header = [c.value for c in wb["Câu hỏi"][1]]
    assert header[:3] == ["STT", "Mã câu hỏi", "Câu hỏi"]
    assert {"A", "H", "Đáp án đúng", "Giải thích", "Chủ đề", "Mức độ", "Điểm"} <= set(header)
    assert "HƯỚNG DẪN" in wb["Hướng dẫn"]["A1"].value


def test_template_imports_as_is(organiser, client):
    data = client.get("/api/v1/banks/template.xlsx").data
    response = upload(organiser, data)
    assert response.status_code == 201 and response.json["question_count"] == 1


def test_header_below_titles_and_variant_names(organiser):
    titles = [["UBND THỊ XÃ CỬA LÒ"], ["NGÂN HÀNG CÂU HỎI CUỘC THI"], []]
    header = [
        "stt",
        "  Nội dung câu hỏi ",
        "Phương án A",
        "Đáp án B",
        "Lựa chọn C",
        "phương án D",
        "ĐÁP ÁN ĐÚNG",
        "Lời giải",
        "Lĩnh vực",
        "Độ khó",
        "Điểm",
    ]
    rows = [
        [1, "Câu một?", "a", "b", "c", "d", "c", "vì c", "Thể chế", "Khó", 2],
        [2, "Câu hai (nhiều đáp án)?", "a", "b", "c", "d", "A;C", "", "", "", ""],
        [3, "Câu ba?", 2021, 2030, "x", "", "b", "", "", "trung bình", ""],
    ]
    response = upload(organiser, xlsx_bytes([header] + rows, title_rows=titles))
    assert response.status_code == 201, response.json
    bank = organiser.get(f"/api/v1/banks/{response.json['id']}").json
    assert bank["question_count"] == 3
    assert {t["name"] for t in bank["topics"]} == {"Thể chế", ""}
    exported = load_workbook(
        io.BytesIO(organiser.get(f"/api/v1/banks/{bank['id']}/export.xlsx").data)
    )["Câu hỏi"]
    rows_out = [[c.value for c in row] for row in exported.iter_rows(min_row=2)]
    assert rows_out[0][2] == "Câu một?" and rows_out[0][11] == "C" and rows_out[0][14] == "Khó"
    assert rows_out[1][11] == "A,C"
    assert rows_out[2][3:6] == ["2021", "2030", "x"] and rows_out[2][11] == "B"
    assert rows_out[1][14] == "Trung bình" and rows_out[2][14] == "Trung bình"  # word, not code
    organiser.client.get("/ngon-ngu/en")  # the file keeps the Vietnamese word in English too
    english = load_workbook(
        io.BytesIO(organiser.get(f"/api/v1/banks/{bank['id']}/export.xlsx").data)
    )["Câu hỏi"]
    assert [row[14].value for row in english.iter_rows(min_row=2)] == [
        "Khó",
        "Trung bình",
        "Trung bình",
    ]


def test_every_bad_row_is_listed_and_nothing_saved(organiser):
    rows = [
        [1, "Tốt?", "a", "b", "", "", "A", "", "", "", ""],
        [2, "", "a", "b", "", "", "A", "", "", "", ""],  # no question text
        [3, "Một phương án?", "a", "", "", "", "A", "", "", "", ""],  # one choice: B (D)
        [4, "Không có đáp án?", "a", "b", "", "", "", "", "", "", ""],  # no key
        [5, "Đáp án ngoài?", "a", "b", "", "", "D", "", "", "", ""],  # key not a choice
        [6, "Bỏ trống giữa?", "a", "", "c", "", "A", "", "", "", ""],  # gap at B
        [7, "Mức độ lạ?", "a", "b", "", "", "A", "", "", "Rất khó", ""],
        [8, "Điểm sai?", "a", "b", "", "", "A", "", "", "", "-1"],
    ]
    response = upload(organiser, xlsx_bytes([BANK_HEADERS] + rows))
    assert response.status_code == 422
    errors = response.json["error"]["errors"]
    found = {(e["row"], e["column"]) for e in errors}
    assert found == {(3, "B"), (4, "D"), (5, "G"), (6, "G"), (7, "D"), (8, "J"), (9, "K")}
    assert all(e["message"] and not e["message"].isascii() for e in errors)
    assert bank_count(organiser) == 0


def test_duplicate_codes_in_a_file_are_errors(organiser):
    header = ["Mã câu hỏi", "Câu hỏi", "A", "B", "Đáp án đúng"]
    rows = [["Q1", "Một?", "a", "b", "A"], ["Q1", "Hai?", "a", "b", "B"]]
    response = upload(organiser, xlsx_bytes([header] + rows))
    assert response.status_code == 422
    assert response.json["error"]["errors"][0]["row"] == 3


def test_no_header_found(organiser):
    response = upload(organiser, xlsx_bytes([["Tên", "Tuổi"], ["An", 3]]))
    assert response.status_code == 422
    assert "tiêu đề" in response.json["error"]["errors"][0]["message"]


def test_formula_cells_are_kept_as_text(organiser):
    rows = [[1, "=1+1", "=SUM(A1:A2)", "+84", "-5", "@x", "A", "", "", "", ""]]
    response = upload(organiser, xlsx_bytes([BANK_HEADERS] + rows))
    assert response.status_code == 201, response.json
    sheet = load_workbook(
        io.BytesIO(organiser.get(f"/api/v1/banks/{response.json['id']}/export.xlsx").data)
    )["Câu hỏi"]
    row = [c for c in sheet[2]]
    assert row[2].value == "=1+1" and row[2].data_type == "s"
    assert row[3].value == "=SUM(A1:A2)" and row[3].data_type == "s"


def test_export_then_import_gives_the_same_bank(organiser, make_bank):
    bank_id = make_bank(bank_rows(12))
    first = organiser.get(f"/api/v1/banks/{bank_id}/export.xlsx").data
    again = upload(organiser, first)
    assert again.status_code == 201
    second = organiser.get(f"/api/v1/banks/{again.json['id']}/export.xlsx").data

    def rows(data):
        ws = load_workbook(io.BytesIO(data))["Câu hỏi"]
        return [[c.value for c in r] for r in ws.iter_rows()]

    assert rows(first) == rows(second)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return out.getvalue()


def test_hostile_and_broken_files_get_a_clear_message(organiser):
    good = xlsx_bytes([BANK_HEADERS] + bank_rows(3))
    cases = {
        "empty": b"",
        "text renamed": "Câu hỏi,A,B\n".encode(),
        "png renamed": b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        "old xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500,
        "truncated": good[: len(good) // 2],
        "zip bomb": _zip({"xl/workbook.xml": b"<a/>", "big.xml": b"\0" * 50_000_000}),
        "macro": _zip({"xl/workbook.xml": b"<a/>", "xl/vbaProject.bin": b"x"}),
        "not a workbook": _zip({"hello.txt": b"hi"}),
    }
    for label, data in cases.items():
        response = upload(organiser, data)
        assert response.status_code == 422, label
        message = response.json["error"]["errors"][0]["message"]
        assert message and not message.isascii(), (label, message)
    assert bank_count(organiser) == 0


def test_upload_over_the_cap_answers_413(organiser):
    response = upload(organiser, b"PK" + b"\0" * (10 * 1024 * 1024 + 10))
    assert response.status_code == 413
    assert response.json["error"]["message"]


def test_only_xlsx_for_now_and_a_file_is_needed(organiser):
    assert upload(organiser, b"a,b", filename="nh.csv").status_code == 422
    response = organiser.post("/api/v1/banks", data={"name": "x"})
    assert response.status_code == 422 and "file" in response.json["error"]["fields"]


def test_participants_and_anonymous_cannot_use_banks(app, register, make_bank):
    bank_id = make_bank()
    participant = register()
    assert participant.get("/api/v1/banks").status_code == 403
    assert participant.get(f"/api/v1/banks/{bank_id}").status_code == 403
    assert upload(participant, xlsx_bytes([BANK_HEADERS] + bank_rows(2))).status_code == 403
    assert app.test_client().get("/api/v1/banks").status_code == 401


def test_another_organisations_bank_is_404(app, runner, make_bank):

    bank_id = make_bank()
    other = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    assert other.get(f"/api/v1/banks/{bank_id}").status_code == 404
    assert other.get(f"/api/v1/banks/{bank_id}/export.xlsx").status_code == 404
    assert other.get("/api/v1/banks").json == []
