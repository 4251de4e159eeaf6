"""One entry for every bank upload: pick the parser by file type, then add the warnings that
need the bank (duplicates). Flask-free: the caller passes limits and the bank's questions."""

import re

from .cells import fold
from .csv_import import parse_csv
from .i18n import _l
from .parsed import ParsedQuestion, ParseResult
from .upload import Limits, RowError, error_place
from .xlsx_import import parse_xlsx

KINDS = (".xlsx", ".csv", ".docx", ".zip")
REFUSED = {
    ".xls": _l(
        "Tệp .xls (Excel 97-2003) không được hỗ trợ. Hãy mở tệp trong Excel và lưu lại "
        "dưới dạng .xlsx."
    ),
    ".xlsm": _l("Tệp có macro (.xlsm) không được chấp nhận. Hãy lưu lại dưới dạng .xlsx."),
    ".doc": _l(
        "Tệp .doc (Word 97-2003) không được hỗ trợ. Hãy mở tệp trong Word và lưu lại "
        "dưới dạng .docx."
    ),
}

UNKNOWN_KIND = _l(
    "Chỉ nhận tệp .xlsx (theo mẫu), .csv (UTF-8), .docx, hoặc .zip (tệp .xlsx cùng các hình)."
)


def parse_upload(filename: str, data: bytes, limits: Limits | None = None) -> ParseResult:
    kind = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind in REFUSED:
        return ParseResult.refused(REFUSED[kind])
    if kind == ".csv":
        return parse_csv(data, limits)
    if kind == ".docx":
        from .docx_import import parse_docx

        return parse_docx(data, limits)
    if kind == ".xlsx":
        return parse_xlsx(data, limits)
    if kind == ".zip":
        from .zip_import import parse_zip

        return parse_zip(data, limits)
    return ParseResult.refused(UNKNOWN_KIND)


def duplicate_key(text: str) -> str:
    """Same question after folding spaces, case, accents and punctuation."""
    return re.sub(r"\s+", " ", fold(text)).strip()


def add_duplicate_warnings(result: ParseResult, existing: dict[str, str]) -> None:
    """Warn (never refuse) about questions that repeat within the file, or that the bank has
    already under another code. `existing`: duplicate_key -> how to name the bank's question."""
    seen: dict[str, ParsedQuestion] = {}
    for q in result.questions:
        key = duplicate_key(q.text)
        if key in seen:
            first = seen[key]
            place = error_place(first.sheet, first.row, None)
            result.warnings.append(
                RowError(
                    q.row,
                    None,
                    str(
                        _l(
                            "Câu hỏi trùng với câu ở %(p)s trong tệp.",
                            p=place if first.sheet else place.lower(),
                        )
                    ),
                    q.sheet,
                )
            )
        elif key in existing and not (q.code and existing[key] == q.code):
            result.warnings.append(
                RowError(
                    q.row,
                    None,
                    str(_l("Câu hỏi đã có trong ngân hàng (%(c)s).", c=existing[key])),
                    q.sheet,
                )
            )
        seen.setdefault(key, q)
