"""The calamine path (question_bank/xlsx_fast.py) and the openpyxl path give one answer: every
.xlsx of the hostile corpus, and the sheets that must take openpyxl's path (a formula, an error
cell, a stray cell far below or far right, a cell without its reference) do take it."""

import io
import zipfile
from datetime import date, datetime

import pytest
from conftest import BANK_HEADERS, bank_rows, xlsx_bytes
from hostile_corpus import SHEET_START, corpus, good_xlsx, picture_cases, with_sheet
from openpyxl import Workbook

from question_bank import xlsx_import
from question_bank.upload import Limits
from question_bank.xlsx_check import check_xlsx
from question_bank.xlsx_fast import worksheet_parts
from question_bank.xlsx_import import parse_xlsx

XLSX = [
    (label, data)
    for label, filename, data, _ in corpus() + picture_cases()
    if filename.endswith(".xlsx")
]


def answer(result):
    return (
        [(q, [c.image for c in q.choices]) for q in result.questions],
        [e.as_dict() for e in result.errors],
        [w.as_dict() for w in result.warnings],
    )


def takes_fast_path(data: bytes) -> bool:
    return (
        worksheet_parts(zipfile.ZipFile(io.BytesIO(data)), check_xlsx(data, Limits())) is not None
    )


def openpyxl_refused(*args, **kwargs):
    raise AssertionError("openpyxl was opened on the fast path")


@pytest.mark.parametrize(("label", "data"), XLSX, ids=[c[0] for c in XLSX])
def test_both_paths_answer_the_corpus_alike(label, data):
    assert answer(parse_xlsx(data)) == answer(parse_xlsx(data, fast=False)), label


def test_a_plain_bank_is_read_without_openpyxl(monkeypatch):
    data = xlsx_bytes([["Ngân hàng câu hỏi"], BANK_HEADERS] + bank_rows(30))
    expected = answer(parse_xlsx(data, fast=False))
    monkeypatch.setattr(xlsx_import, "open_workbook", openpyxl_refused)
    assert answer(parse_xlsx(data)) == expected
    assert len(expected[0]) == 30


def test_numbers_dates_and_booleans_read_alike():
    rows = [
        BANK_HEADERS,
        [1, 2030, 2.5, True, date(2030, 1, 2), datetime(2031, 5, 6, 7, 8), "A"],
        [2, "  Câu  ", "x", 0.1, False, -3, "B"],
    ]
    data = xlsx_bytes(rows)
    assert takes_fast_path(data)
    fast, slow = parse_xlsx(data), parse_xlsx(data, fast=False)
    assert answer(fast) == answer(slow)
    assert [c.text for c in fast.questions[0].choices] == [
        "2.5",
        "TRUE",
        "02/01/2030",
        "06/05/2031",
    ]


def stray_cell_below(row: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    for values in [BANK_HEADERS] + bank_rows(5):
        ws.append(values)
    ws.cell(row=row, column=2, value="lạc")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("row", [900_000, 1_500])
def test_a_stray_cell_far_below_takes_openpyxl(row):
    data = stray_cell_below(row)
    expected = answer(parse_xlsx(data, fast=False))
    assert takes_fast_path(data) is (row < 2_000)
    assert answer(parse_xlsx(data)) == expected
    assert len(expected[0]) == 5 and bool(expected[1]) is (row < 2_000)  # read only when near


def test_a_stray_cell_far_below_is_found_however_quoted():
    body = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 4))
    xml = (
        f"{SHEET_START}<sheetData>{body}<row r = '700000'><c r='B700000'><v>1</v></c>"
        "</row></sheetData></worksheet>"
    )
    assert not takes_fast_path(with_sheet(xml.encode()))


def test_a_cell_far_right_or_without_its_reference_takes_openpyxl():
    far = (
        f'{SHEET_START}<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="ZZ1"><v>2</v>'
        "</c></row></sheetData></worksheet>"
    )
    unplaced = (
        f'{SHEET_START}<sheetData><row r="1"><c r="A1"><v>1</v></c><c><v>2</v></c>'
        "</row></sheetData></worksheet>"
    )
    assert not takes_fast_path(with_sheet(far.encode()))
    assert not takes_fast_path(with_sheet(unplaced.encode()))


def test_a_formula_takes_openpyxl_and_stays_text(monkeypatch):
    data = xlsx_bytes([BANK_HEADERS, [1, "=1+1", "@a", "+b", "", "", "A"]] + bank_rows(3)[1:])
    assert not takes_fast_path(data)
    called = []
    monkeypatch.setattr(xlsx_import, "calamine_rows", lambda *a: called.append(a))
    result = parse_xlsx(data)
    assert called == [] and result.questions[0].text == "=1+1"
    assert answer(result) == answer(parse_xlsx(data, fast=False))


def test_an_error_cell_takes_openpyxl_and_keeps_its_code():
    cell = '<c r="B2" t="e"><v>#N/A</v></c>'
    base = zipfile.ZipFile(io.BytesIO(good_xlsx(1))).read("xl/worksheets/sheet1.xml").decode()
    xml = base.replace('<c r="B2"', cell + '<c r="Z2"', 1)
    data = with_sheet(xml.encode())
    assert not takes_fast_path(data)
    assert parse_xlsx(data).questions[0].text == "#N/A"


def test_a_dimension_narrower_than_the_cells_cuts_both_paths_alike():
    data = xlsx_bytes([BANK_HEADERS] + bank_rows(6))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    start = xml.index("<dimension")
    xml = xml[:start] + '<dimension ref="A1:K4"/>' + xml[xml.index("/>", start) + 2 :]
    data = with_sheet(xml.encode(), data)
    assert takes_fast_path(data)
    fast = parse_xlsx(data)
    assert answer(fast) == answer(parse_xlsx(data, fast=False))
    assert len(fast.questions) == 3
