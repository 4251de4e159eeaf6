"""Read a question bank from an .xlsx: every worksheet with a bank header (see bank_rows for
the layout and the checks of each row), through calamine where xlsx_fast allows it, else
openpyxl, once xlsx_check has passed the file."""

import io
import zipfile

from .bank_rows import match_bank_header, parse_sheets
from .cells import Sheet, read_rows, read_sheet
from .i18n import _l
from .parsed import ParseResult
from .upload import FileRejected, Limits
from .xlsx_check import check_merged_cells, check_xlsx, open_workbook
from .xlsx_fast import as_openpyxl_reads, calamine_rows, worksheet_parts
from .xlsx_pictures import anchored_pictures


def parse_xlsx(
    data: bytes,
    limits: Limits | None = None,
    files: dict[str, bytes] | None = None,
    fast: bool = True,
) -> ParseResult:
    """`files`: the pictures uploaded with the sheet in a .zip, by lower-case file name.
    `fast`: read the values with calamine where xlsx_fast allows it (False: openpyxl only)."""
    limits = limits or Limits()
    try:
        sheets = read_bank_sheets(data, limits, fast)
    except FileRejected as rejected:
        return ParseResult(errors=[rejected.error])
    except Exception:  # noqa: BLE001 - defusedxml and openpyxl raise many kinds on bad parts
        return ParseResult.refused(
            _l(
                "Không đọc được tệp .xlsx: tệp bị hỏng, không đúng định dạng "
                "hoặc chứa nội dung không an toàn."
            )
        )
    return parse_sheets(sheets, files)


def read_bank_sheets(data: bytes, limits: Limits, fast: bool = True) -> list[Sheet]:
    """Every worksheet that has a bank header, read with calamine when xlsx_fast allows it,
    else with openpyxl; then the merged cells and the pictures of each, the same for both."""
    scans = check_xlsx(data, limits)
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = worksheet_parts(archive, scans) if fast else None
    values = parts and calamine_rows(data, parts, limits.max_columns)
    if values:
        found = [
            (
                read_rows(
                    title,
                    as_openpyxl_reads(values[title], scans[part], limits.max_columns),
                    match_bank_header,
                    limits,
                ),
                title,
                part,
                (scans[part].dimension or (0, 0))[1],
            )
            for title, part in parts
        ]
    else:
        workbook = open_workbook(data, limits, checked=True)
        found = [
            (read_sheet(ws, match_bank_header, limits), ws.title, ws._worksheet_path, ws.max_column)
            for ws in workbook.worksheets
        ]
    sheets = []
    for sheet, title, part, max_column in found:
        if sheet:
            sheet.named = True
            check_merged_cells(data, title, part, max_column, sheet)
            sheet.pictures = anchored_pictures(
                archive, part, {index: name for name, index in sheet.columns.items()}
            )
            sheets.append(sheet)
    return sheets
