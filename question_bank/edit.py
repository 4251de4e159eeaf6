"""Editing one question through the same checks as an upload row: the form's fields become a
row under the template's header, so every message is the one an upload would give."""

from openpyxl.utils import get_column_letter

from .bank_rows import header_field, parse_sheets
from .cells import Sheet, fold
from .parsed import LETTERS, ParseResult
from .template import HEADERS

FIELDS = (
    "code",
    "text",
    *LETTERS,
    "correct",
    "explanation",
    "topic",
    "difficulty",
    "points",
    "source",
    "keep_order",
)
COLUMNS = {header_field(fold(h)): i for i, h in enumerate(HEADERS) if header_field(fold(h))}
FIELD_OF_LETTER = {get_column_letter(i + 1): name for name, i in COLUMNS.items()}


def parse_fields(values: dict[str, str]) -> ParseResult:
    """{"text": ..., "A": ..., "correct": "A,C", ...} -> a ParseResult of one question."""
    cells = [""] * len(HEADERS)
    for name in FIELDS:
        if name in COLUMNS:
            cells[COLUMNS[name]] = str(values.get(name) or "").strip()
    return parse_sheets([Sheet("form", 1, COLUMNS, rows=[(2, cells)])])


def field_messages(result: ParseResult) -> dict[str, str]:
    """The errors of parse_fields keyed by form field (text, A..H, correct, ...)."""
    return {FIELD_OF_LETTER.get(e.column, "text"): e.message for e in result.errors}
