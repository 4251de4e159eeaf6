"""A sheet's cells as the text a person typed, and the rows below its header: shared by the
.xlsx and .csv readers (openpyxl's rows, calamine's, or csv's all pass through read_rows).
fold is how every reader matches what a person wrote (headers, "Có"/"Không", labels)."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl.utils import get_column_letter

from .i18n import _l
from .upload import FileRejected, Limits

MAX_EMPTY_RUN = 2000


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
