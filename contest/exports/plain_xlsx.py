"""A plain .xlsx from (title, headers, rows) sheets: every string from people typed as text, so
a name like '=HYPERLINK(..)' stays a name; times, scores and rates as typed Excel values."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from question_bank.export_safety import text_cell

from ..excel_values import xlsx_value

Sheet = tuple[str, list[str], list[list]]


def write_xlsx(sheets: list[Sheet]) -> bytes:
    """Every string cell typed as text: a name like '=HYPERLINK(..)' stays a name."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title[:31])
        header = [text_cell(ws, str(h)) for h in headers]
        for cell in header:
            cell.font = Font(bold=True)
        ws.append(header)
        for row in rows:
            ws.append([xlsx_value(ws, v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
