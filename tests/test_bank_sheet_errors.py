"""Errors in a bank of several sheets name the sheet, the row and the column's real letter,
through the API ({row, column, sheet, message}) and the upload page."""

import io

from conftest import BANK_HEADERS, bank_rows, csrf_from
from openpyxl import Workbook

from question_bank.xlsx_import import parse_xlsx


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _two_sheets() -> bytes:
    second = bank_rows(6, prefix="Câu luật")
    second[5][6] = ""  # row 7 of the second sheet: no key, column G
    return _workbook(
        {"Chính quyền số": [BANK_HEADERS] + bank_rows(8), "Luật CBCC": [BANK_HEADERS] + second}
    )


def test_an_error_on_sheet_two_names_the_sheet():
    errors = parse_xlsx(_two_sheets()).errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Luật CBCC", 7, "G")]
    assert errors[0].place == "Trang tính «Luật CBCC», dòng 7, cột G"


def test_a_missing_choice_b_names_column_b():
    header = ["Câu hỏi", "A", "B", "C", "Đáp án đúng"]  # B is column C here
    errors = parse_xlsx(_workbook({"Câu hỏi": [header, ["Một phương án?", "a", "", "", "A"]]}))
    assert [(e.row, e.column) for e in errors.errors] == [(2, "C")]
    with_stt = parse_xlsx(
        _workbook({"Câu hỏi": [BANK_HEADERS, [1, "Một?", "a", "", "", "", "A", "", "", "", ""]]})
    )
    assert [(e.row, e.column) for e in with_stt.errors] == [(2, "D")]  # B is column D


def test_duplicate_codes_across_sheets_name_the_first_sheet():
    header = ["Mã câu hỏi", "Câu hỏi", "A", "B", "Đáp án đúng"]
    data = _workbook(
        {
            "Một": [header, ["Q1", "Một?", "a", "b", "A"]],
            "Hai": [header, ["Q2", "Hai?", "a", "b", "A"], ["Q1", "Ba?", "a", "b", "B"]],
        }
    )
    errors = parse_xlsx(data).errors
    assert [(e.sheet, e.row) for e in errors] == [("Hai", 3)]
    assert "Trang tính «Một», dòng 2" in errors[0].message


def test_api_errors_carry_the_sheet(organiser):
    response = organiser.post(
        "/api/v1/banks", data={"file": (io.BytesIO(_two_sheets()), "nh.xlsx"), "name": "Hai trang"}
    )
    assert response.status_code == 422
    assert response.json["error"]["errors"] == [
        {
            "row": 7,
            "column": "G",
            "sheet": "Luật CBCC",
            "message": "Thiếu đáp án đúng (ghi một chữ cái như A, hoặc nhiều như A,C).",
        }
    ]


def test_upload_page_names_the_sheet(organiser):
    page = organiser.client.get("/to-chuc/ngan-hang")
    form = {
        "csrf_token": csrf_from(page.get_data(as_text=True)),
        "name": "Hai trang",
        "file": (io.BytesIO(_two_sheets()), "nh.xlsx"),
    }
    html = organiser.client.post("/to-chuc/ngan-hang", data=form, follow_redirects=True).get_data(
        as_text=True
    )
    assert (
        '<tr title="Trang tính «Luật CBCC», dòng 7, cột G"><td>Luật CBCC</td><td>7</td>'
        "<td>G</td><td>Thiếu đáp án đúng" in html
    )
