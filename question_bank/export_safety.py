"""Values written to the files a person downloads (.xlsx, .csv), made safe: text is always
text, never a formula a spreadsheet would run (formula injection), and without the characters
an .xlsx cannot hold."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

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
