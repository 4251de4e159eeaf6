"""A corpus of hostile and broken uploads, built in memory. Used by tests/test_hostile_files.py
(each answer checked) and scripts/bench_import.py (time and peak memory per file)."""

import io
import zipfile

import picture_files as pf
from conftest import BANK_HEADERS, bank_rows, xlsx_bytes
from openpyxl import Workbook

SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def good_xlsx(rows=3) -> bytes:
    return xlsx_bytes([BANK_HEADERS] + bank_rows(rows))


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return out.getvalue()


def with_sheet(sheet_xml: bytes, base: bytes | None = None) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(base or good_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            z.writestr(info.filename, data)
    return out.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def million_rows() -> bytes:
    header = "".join(
        _cell(f"{c}1", h) for c, h in zip("ABCD", ["Câu hỏi", "A", "B", "Đáp án đúng"], strict=True)
    )
    body = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, 1_000_001))
    xml = f'{SHEET_START}<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>'
    return with_sheet(xml.encode())


def wide_columns() -> bytes:
    header = "".join(
        _cell(f"{c}1", h) for c, h in zip("ABCD", ["Câu hỏi", "A", "B", "Đáp án đúng"], strict=True)
    )
    xml = (
        f'{SHEET_START}<dimension ref="A1:XFD2"/><sheetData><row r="1">{header}'
        f"{_cell('XFD1', 'x')}</row></sheetData></worksheet>"
    )
    return with_sheet(xml.encode())


def entity_bomb() -> bytes:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">{lol}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return with_sheet(xml.encode())


def external_entity() -> bytes:
    xml = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return with_sheet(xml.encode())


def merged(rows: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["NGÂN HÀNG CÂU HỎI"])
    ws.append(BANK_HEADERS)
    for row in bank_rows(3):
        ws.append(row)
    ws.merge_cells(rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def long_cell() -> bytes:
    return xlsx_bytes([BANK_HEADERS, [1, "x" * 100_000, "a", "b", "", "", "A"]])


def replaced_media(data: bytes, content: bytes) -> bytes:
    """An Office file whose every picture part (…/media/…) holds `content` instead."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_of(
        {
            info.filename: content if "/media/" in info.filename else source.read(info)
            for info in source.infolist()
        }
    )


def picture_cases() -> list[tuple[str, str, bytes, int]]:
    """Hostile pictures: in a .zip bank, placed in a sheet, inside a .docx."""
    good = pf.zip_bank({"co.png": pf.png(), "b.png": pf.png("blue")})
    sheet = pf.xlsx_bank({"B2": pf.png(), "C2": pf.png(), "D2": pf.png()})
    return [
        (
            "picture bomb in a zip bank",
            "a.zip",
            pf.zip_bank({"co.png": pf.bomb_png(), "b.png": pf.png()}),
            422,
        ),
        (
            "SVG with a script in a zip bank",
            "a.zip",
            pf.zip_bank({"co.png": pf.SVG, "b.png": pf.png()}),
            422,
        ),
        (
            "executable renamed .png",
            "a.zip",
            pf.zip_bank({"co.png": pf.NOT_AN_IMAGE, "b.png": pf.png()}),
            422,
        ),
        (
            "picture over 2 MB",
            "a.zip",
            pf.zip_bank({"co.png": pf.oversize_png(), "b.png": pf.png()}),
            422,
        ),
        (
            "zip with ../ in a name",
            "a.zip",
            pf.zip_bank({"../co.png": pf.png(), "b.png": pf.png()}),
            422,
        ),
        (
            "zip bomb of pictures",
            "a.zip",
            zip_of({"a.xlsx": good_xlsx(), "big.png": b"\0" * 60_000_000}),
            422,
        ),
        (
            "zip with two banks",
            "a.zip",
            zip_of({"a.xlsx": good_xlsx(), "b.xlsx": good_xlsx()}),
            422,
        ),
        ("SVG placed in a sheet", "a.xlsx", replaced_media(sheet, pf.SVG), 422),
        ("picture bomb placed in a sheet", "a.xlsx", replaced_media(sheet, pf.bomb_png()), 422),
        ("picture bomb in Word", "a.docx", pf.docx_bank(stem=pf.bomb_png()), 422),
        ("SVG in Word", "a.docx", replaced_media(pf.docx_bank(), pf.SVG), 422),
        ("good zip bank with pictures", "a.zip", good, 201),
    ]


def corpus() -> list[tuple[str, str, bytes, int]]:
    """(label, filename, content, expected status)."""
    good = good_xlsx()
    return [
        ("empty xlsx", "a.xlsx", b"", 422),
        ("text renamed", "a.xlsx", "Câu hỏi,A,B\n".encode(), 422),
        ("png renamed", "a.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, 422),
        ("jpeg renamed", "a.xlsx", b"\xff\xd8\xff\xe0" + b"\0" * 200, 422),
        ("pdf renamed", "a.xlsx", b"%PDF-1.7\n" + b"x" * 200, 422),
        (
            "xls content named xlsx",
            "a.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500,
            422,
        ),
        (".xls file", "a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, 422),
        (".xlsm file", "a.xlsm", good, 422),
        (
            "macro inside xlsx",
            "a.xlsx",
            zip_of({"xl/workbook.xml": b"<a/>", "xl/vbaProject.bin": b"x"}),
            422,
        ),
        ("truncated xlsx", "a.xlsx", good[: len(good) // 2], 422),
        (
            "zip bomb",
            "a.xlsx",
            zip_of({"xl/workbook.xml": b"<a/>", "xl/big.xml": b"\0" * 60_000_000}),
            422,
        ),
        ("too many entries", "a.xlsx", zip_of({f"x/{i}.xml": b"<a/>" for i in range(300)}), 422),
        ("zip without a workbook", "a.xlsx", zip_of({"hello.txt": b"hi"}), 422),
        ("XML entity bomb", "a.xlsx", entity_bomb(), 422),
        ("external entity", "a.xlsx", external_entity(), 422),
        ("1,000,000 rows", "a.xlsx", million_rows(), 422),
        ("16,384 columns", "a.xlsx", wide_columns(), 422),
        ("merged cells among the questions", "a.xlsx", merged("B4:C4"), 422),
        ("merged title above the header", "a.xlsx", merged("A1:K1"), 201),
        (
            "formulas stay text",
            "a.xlsx",
            xlsx_bytes([BANK_HEADERS, [1, "=1+1", "@a", "+b", "-c", '=HYPERLINK("x")', "A"]]),
            201,
        ),
        ("100,000-character cell", "a.xlsx", long_cell(), 422),
        ("csv in Windows-1258", "a.csv", b"C\xe2u h\xd2i,A,B,\xd0\xe1p \xe1n \xf0\xfang\n", 422),
        ("binary named csv", "a.csv", b"\x00\x01\x02" * 100, 422),
        ("empty csv", "a.csv", b"", 422),
        ("text named docx", "a.docx", b"Cau 1: ...", 422),
        ("zip bomb named docx", "a.docx", zip_of({"word/document.xml": b"\0" * 60_000_000}), 422),
        (".doc file", "a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, 422),
        ("unknown kind", "a.txt", b"hello", 422),
        ("over the size cap", "a.xlsx", b"PK" + b"\0" * (10 * 1024 * 1024 + 10), 413),
        ("good file", "a.xlsx", good, 201),
    ] + picture_cases()
