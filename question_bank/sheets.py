"""Reading and writing spreadsheets safely, shared by every import and export.

Reading: the upload is checked as a zip before openpyxl sees it (entry count, declared size,
compression ratio, macros, old .xls), then read in read-only mode without evaluating formulas,
so a cell such as "=1+1" arrives as the text "=1+1". With defusedxml installed openpyxl parses
XML through it. Writing: every text cell is written as a string, never as a formula.
"""

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .i18n import _l


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str
    sheet: str | None = None  # the worksheet's name, for Excel files

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": str(self.message),
            "sheet": self.sheet,
        }

    @property
    def place(self) -> str:
        """'Trang tính «Luật», dòng 7, cột G' (the parts known)."""
        return error_place(self.sheet, self.row, self.column)


def error_place(sheet: str | None, row: int | None, column: str | None) -> str:
    parts = [str(_l("Trang tính «%(s)s»", s=sheet))] if sheet else []
    if row is not None:
        parts.append(str(_l("dòng %(r)d", r=row)))
    if column:
        parts.append(str(_l("cột %(c)s", c=column)))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


class FileRejected(Exception):
    """The whole file is refused before any row is read."""

    def __init__(self, message):
        super().__init__(str(message))
        self.error = RowError(None, None, str(message))


MAX_EMPTY_RUN = 2000


@dataclass
class Limits:
    max_entries: int = 200
    max_uncompressed: int = 100 * 1024 * 1024
    max_ratio: int = 200
    max_rows: int = 20000
    max_columns: int = 40


def check_xlsx(data: bytes, limits: Limits) -> dict[str, "SheetScan"]:
    """Refuse what is not a plain, reasonably sized .xlsx, with a message that says why.
    Returns what the raw XML of each worksheet part showed (see SheetScan), by part name."""
    if not data:
        raise FileRejected(_l("Tệp rỗng: không có nội dung."))
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise FileRejected(
            _l(
                "Tệp .xls (Excel 97-2003) không được hỗ trợ. "
                "Hãy mở tệp trong Excel và lưu lại dưới dạng .xlsx."
            )
        )
    if data[:2] != b"PK":
        raise FileRejected(_l("Tệp không phải là bảng tính Excel .xlsx."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_entries(archive.infolist(), len(data), limits)
        return _check_row_counts(archive, limits)
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error):
        raise FileRejected(
            _l("Tệp .xlsx bị hỏng hoặc chưa tải lên hết. Hãy tải lên lại.")
        ) from None


def check_zip_limits(infos, size: int, limits: Limits) -> set[str]:
    """Entry count, declared uncompressed size and compression ratio of any Office file, read
    from the zip directory before anything is inflated. Returns the part names."""
    if len(infos) > limits.max_entries:
        raise FileRejected(_l("Tệp có quá nhiều thành phần bên trong (%(n)d).", n=len(infos)))
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed or declared > limits.max_ratio * max(size, 1):
        raise FileRejected(_l("Tệp giải nén ra quá lớn: có thể là tệp độc hại (zip bomb)."))
    return {info.filename for info in infos}


def _check_entries(infos, size: int, limits: Limits) -> None:
    names = check_zip_limits(infos, size, limits)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(
            _l(
                "Tệp có macro (.xlsm) không được chấp nhận. "
                "Hãy lưu lại dưới dạng .xlsx thông thường."
            )
        )
    if "xl/workbook.xml" not in names:
        raise FileRejected(_l("Tệp không phải là bảng tính Excel .xlsx."))


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
Q = rb"""\s*=\s*["']"""  # an attribute's = and opening quote, as XML allows them
ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br" + Q + rb"(\d+)")
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
ERROR_CELL = re.compile(rb"\bt" + Q + rb"e\b")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br" + Q + rb"([A-Z]+)")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref" + Q + rb"[A-Z]*\d*(?::([A-Z]+)(\d+))?")


@dataclass
class SheetScan:
    """What a worksheet's raw XML shows before any reader parses it."""

    rows: int = 0  # <row> tags
    last_row: int = 0  # the largest r="..." of a <row>
    widest: int = 0  # the largest column of a cell beyond Z (0: none beyond Z)
    unplaced: bool = False  # a cell without its r="B7": its column is known only by counting
    formulas: bool = False  # any <f> tag
    errors: bool = False  # any error cell (t="e")
    dimension: tuple[int, int] | None = None  # (last row, last column) its <dimension> declares

    def dense(self) -> bool:
        """No formula, no error cell, no cell far below or far right of the data: a reader
        that holds the whole used range in memory holds about what the rows hold."""
        return (
            not self.formulas
            and not self.errors
            and not self.unplaced
            and self.widest <= WIDEST
            and self.last_row <= self.rows + MAX_EMPTY_RUN
            and (self.dimension is None or self.dimension[1] <= WIDEST)
        )


def _check_row_counts(archive: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    """Count each sheet's rows in its raw XML before openpyxl reads it: openpyxl walks a whole
    sheet that lacks a <dimension> tag just to size it, a minute for a million rows. The same
    pass notes what SheetScan holds."""
    scans = {}
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            scan = scans[info.filename] = SheetScan()
            with archive.open(info) as xml:
                before = b""
                for number, chunk in enumerate(_chunks(xml, overlap=4)):
                    scan.rows += len(ROW_TAG.findall(chunk))
                    _scan_chunk(scan, before + chunk, number == 0)
                    before = chunk[-200:]
            if scan.rows > limits.max_rows + 10:
                raise FileRejected(
                    _l("Tệp có quá nhiều dòng: tối đa %(n)d dòng dữ liệu.", n=limits.max_rows)
                )
    return scans


def _scan_chunk(scan: SheetScan, chunk: bytes, first: bool) -> None:
    """One piece of the part with the end of the one before (a tag split between two pieces
    is seen whole in the second; what is seen twice changes no maximum and no yes/no)."""
    scan.last_row = max([scan.last_row, scan.rows, *map(int, ROW_NUMBER.findall(chunk))])
    scan.formulas = scan.formulas or FORMULA_TAG.search(chunk) is not None
    scan.errors = scan.errors or ERROR_CELL.search(chunk) is not None
    refs = CELL_REF.findall(chunk)
    scan.unplaced = scan.unplaced or len(refs) < len(CELL_TAG.findall(chunk))
    scan.widest = max([scan.widest, *map(column_index, {r for r in refs if len(r) > 1})])
    if first and (dimension := DIMENSION.search(chunk)) and dimension.group(1):
        scan.dimension = (int(dimension.group(2)), column_index(dimension.group(1)))


def column_index(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def open_workbook(data: bytes, limits: Limits, checked: bool = False):
    """`checked`: check_xlsx has passed already."""
    if not checked:
        check_xlsx(data, limits)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on malformed parts
        raise FileRejected(
            _l("Không đọc được tệp .xlsx: tệp bị hỏng hoặc không đúng định dạng.")
        ) from None


def fold(text: str) -> str:
    """Lower case, no diacritics (đ -> d), punctuation to spaces, spaces folded: for matching."""
    text = without_marks(str(text).replace("đ", "d").replace("Đ", "D")).lower()
    return " ".join(NOT_WORD.sub(" ", text).split())


COMBINING = re.compile("[\u0300-\u036f]+")  # all of category Mn: Vietnamese's marks
NOT_WORD = re.compile(r"[^\w]+")


def without_marks(text: str) -> str:
    """NFD with every combining mark (category Mn) taken out; the usual marks by one regex,
    a text that still holds other non-ASCII characters checked one character at a time."""
    text = COMBINING.sub("", unicodedata.normalize("NFD", text))
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def cell_text(value) -> str:
    """A cell's value as the text a person typed: 2030 not 2030.0, dates as dd/mm/yyyy."""
    if type(value) is str:  # most cells: the checks below are for the others
        return (value if value.isascii() else unicodedata.normalize("NFC", value)).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


@dataclass
class Sheet:
    title: str
    header_row: int
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (excel row, cells)
    named: bool = False  # a worksheet of a workbook: its errors name it
    pictures: dict = field(default_factory=dict)  # (excel row, field) -> [bytes] placed there

    @property
    def error_sheet(self) -> str | None:
        return self.title if self.named else None

    def letter(self, field_name: str) -> str | None:
        index = self.columns.get(field_name)
        return None if index is None else get_column_letter(index + 1)

    def value(self, cells: list[str], field_name: str) -> str:
        index = self.columns.get(field_name)
        return cells[index] if index is not None and index < len(cells) else ""


def read_sheet(ws, match_header, limits: Limits) -> Sheet | None:
    """A worksheet's rows (up to limits.max_columns wide) through read_rows."""
    sheet = read_rows(
        ws.title, ws.iter_rows(max_col=limits.max_columns, values_only=True), match_header, limits
    )
    if sheet is not None:
        sheet.named = True
    return sheet


def read_rows(title: str, rows, match_header, limits: Limits) -> Sheet | None:
    """Find the header in the first 10 rows (match_header(folded cells) -> {field: index} or
    None), then collect the non-empty rows below it as text. None if no header is found.
    Reading stops after MAX_EMPTY_RUN empty rows in a row: a stray cell far below the data
    would otherwise cost a walk through a million empty rows."""
    rows = iter(rows)
    sheet = _find_header(title, rows, match_header)
    if sheet is None:
        return None
    empty_run = 0
    for number, values in enumerate(rows, start=sheet.header_row + 1):
        cells = [cell_text(v) for v in values[: limits.max_columns]]
        empty_run = 0 if any(cells) else empty_run + 1
        if empty_run > MAX_EMPTY_RUN:
            break
        if not empty_run:
            if len(sheet.rows) >= limits.max_rows:
                raise FileRejected(
                    _l("Tệp có quá nhiều dòng: tối đa %(n)d dòng dữ liệu.", n=limits.max_rows)
                )
            sheet.rows.append((number, cells))
    return sheet


def _find_header(title: str, rows, match_header) -> Sheet | None:
    for number, values in enumerate(rows, start=1):
        if number > 10:
            return None
        columns = match_header([fold(cell_text(v)) for v in values[:60]])
        if columns:
            return Sheet(title, number, columns)
    return None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(ws, value):
    """A write-only cell holding `value`; text is always typed as a string, never a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def text_value(ws, value):
    """What to append for `value` in a write-only sheet, as text_cell would write it, but the
    value itself (no cell object: the export of 100,000 rows appends 1.4 million of them)
    where openpyxl already types it as text: only a formula start, an error code or
    characters XML cannot hold need the cell."""
    if isinstance(value, str) and (
        value[:1] == "=" or value in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(value)
    ):
        return text_cell(ws, value)
    return value


def csv_safe(value):
    """For CSV, where a reader evaluates: prefix a formula start with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
WIDEST = 200


def check_merged_cells(
    data: bytes, title: str, part: str, max_column: int | None, sheet: Sheet
) -> None:
    """Merged cells in the header or the questions hide values; titles above may be merged.
    A sheet declared wider than WIDEST columns is refused too (16,384-column files)."""
    if (max_column or 0) > WIDEST:
        raise FileRejected(
            _l(
                'Trang "%(s)s" có dữ liệu tới cột thứ %(n)d: chỉ dùng các cột '
                "theo mẫu rồi tải lên lại.",
                s=title,
                n=max_column,
            )
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part.lstrip("/")) as xml:
        merged = [m for chunk in _chunks(xml) for m in MERGE.finditer(chunk)]
    inside = [m for m in merged if int(m.group(4) or m.group(2)) >= sheet.header_row]
    if inside:
        ref = inside[0].group(0).split(b'"')[1].decode()
        raise FileRejected(
            _l(
                'Trang "%(s)s" có ô gộp (merged cells) tại %(r)s trong vùng câu '
                "hỏi: hãy bỏ gộp ô rồi tải lên lại.",
                s=title,
                r=ref,
            )
        )


def _chunks(stream, size: int = 1 << 20, overlap: int = 200):
    """The part in 1 MB pieces, each starting with the end of the one before, so a tag split
    between two reads is still seen (overlap=4 is shorter than a row tag: none counted twice)."""
    tail = b""
    while block := stream.read(size):
        yield tail + block
        tail = block[-overlap:]
