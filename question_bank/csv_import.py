"""CSV banks: UTF-8 (with or without BOM), comma or semicolon; the same columns and checks as
the Excel template. Any other encoding is refused with a message that says how to fix it."""

import csv
import io

from .bank_rows import match_bank_header, parse_sheets
from .cells import read_rows
from .i18n import _l
from .parsed import ParseResult
from .upload import FileRejected, Limits


def decode(data: bytes) -> str:
    if not data.strip():
        raise FileRejected(_l("Tệp rỗng: không có nội dung."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            _l(
                "Tệp CSV không ở mã UTF-8 (có thể là Windows-1258 hoặc TCVN3), nên chữ tiếng Việt "
                'sẽ bị lỗi. Trong Excel, chọn Tệp > Lưu thành > "CSV UTF-8 (phân tách bằng dấu '
                'phẩy)" rồi tải lên lại.'
            )
        ) from None


def delimiter(text: str) -> str:
    """Semicolon when the first line has more semicolons than commas (Excel in vi-VN)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def parse_csv(
    data: bytes, limits: Limits | None = None, files: dict[str, bytes] | None = None
) -> ParseResult:
    """`files`: pictures named in the cells, sent with the CSV in a .zip (zip_import)."""
    limits = limits or Limits()
    try:
        text = decode(data)
        if "\0" in text:
            raise FileRejected(_l("Tệp không phải là tệp CSV (văn bản)."))
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
        sheet = read_rows("CSV", rows, match_bank_header, limits)
    except FileRejected as rejected:
        return ParseResult(errors=[rejected.error])
    except csv.Error:
        return ParseResult.refused(_l("Tệp CSV sai định dạng (dấu ngoặc kép không đóng?)."))
    return parse_sheets([sheet] if sheet else [], files)
