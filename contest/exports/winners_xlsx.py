"""The announcer's winners' list laid out for printing (.xlsx), with the collective prizes of
units on a sheet of its own."""

import io

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..excel_values import cell_value, duration, rate, score
from ..services.prize_snapshot import round_unit_prizes
from ..services.prizes import draft_winners
from ..timing import format_local

WINNER_HEADERS = [
    _l("STT"),
    _l("Họ và tên"),
    _l("Đơn vị"),
    _l("Điểm"),
    _l("Thời gian"),
    _l("Dự đoán"),
    _l("Giải"),
]
WINNER_WIDTHS = [6, 28, 34, 8, 11, 9, 18]
THIN = Side(style="thin", color="555555")


def winners_rows(rnd) -> list[list]:
    return [
        [
            i,
            w.entry.user.full_name,
            w.unit,
            score(w.entry.score),
            duration(w.entry.duration_ms),
            w.entry.prediction,
            w.label,
        ]
        for i, w in enumerate(draft_winners(rnd), 1)
    ]


def round_title(rnd) -> str:
    block = f" – {rnd.block.name}" if rnd.block else ""
    return f"{rnd.name}{block} ({format_local(rnd.opens_at)} – {format_local(rnd.closes_at)})"


def winners_workbook(rnd) -> bytes:
    """A4 portrait, fitted to the page width, title block, header repeated on every page."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(_l("Đề nghị khen thưởng"))
    titles = [str(_l("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG")), rnd.contest.title, round_title(rnd)]
    for row, text in enumerate(titles, 1):
        _title(ws, row, text, bold=row == 1)
    header_row = len(titles) + 2
    _table(ws, header_row, [str(h) for h in WINNER_HEADERS], winners_rows(rnd))
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation, ws.page_setup.paperSize = "portrait", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _collective_sheet(wb, rnd)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _title(ws, row: int, text: str, bold: bool) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WINNER_HEADERS))
    cell = ws.cell(row=row, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", text))  # names typed
    cell.data_type = "s"
    cell.font = Font(bold=bold, size=14 if bold else 12)
    cell.alignment = Alignment(horizontal="center")


def _table(ws, header_row: int, headers: list[str], rows: list[list]) -> None:
    for col, (title, width) in enumerate(zip(headers, WINNER_WIDTHS, strict=False), 1):
        ws.column_dimensions[get_column_letter(col)].width = width
        _boxed(ws.cell(row=header_row, column=col, value=title)).font = Font(bold=True)
    for r, values in enumerate(rows, header_row + 1):
        for col, value in enumerate(values, 1):
            value, number_format = cell_value(value)
            if isinstance(value, str):  # control characters openpyxl refuses
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = _boxed(ws.cell(row=r, column=col, value=value))
            if number_format:
                cell.number_format = number_format


def _boxed(cell):
    if isinstance(cell.value, str):
        cell.data_type = "s"  # a name like "=HYPERLINK(...)" stays a name
    cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _collective_sheet(wb, rnd) -> None:
    ws = wb.create_sheet(str(_l("Tập thể")))
    _title(ws, 1, str(_l("ĐỀ NGHỊ KHEN THƯỞNG TẬP THỂ")), bold=True)
    headers = [
        str(h)
        for h in (
            _l("Hạng"),
            _l("Đơn vị"),
            _l("Người thi"),
            _l("CBCCVC"),
            _l("Tỉ lệ"),
            _l("Điểm TB"),
            _l("Giải"),
        )
    ]
    rows = [
        [
            s.rank,
            s.unit.name,
            s.participants,
            s.headcount,
            rate(s.participation_rate),
            score(s.average_score),
            prize,
        ]
        for s, prize in round_unit_prizes(rnd)
    ]
    _table(ws, 3, headers, rows)
