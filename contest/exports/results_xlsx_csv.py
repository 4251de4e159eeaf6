"""A contest's full results (every counted entry of every round) as .xlsx or .csv, streamed
row by row so 100,000 entries never sit in memory at once."""

import csv
import io
import tempfile

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import select

from question_bank.export_safety import csv_safe, text_cell

from ..excel_values import csv_value, duration, local_time, score, xlsx_value
from ..extensions import db
from ..models import Block, Entry, Round, Unit, User
from ..ranking import ENTRY_ORDER

# An entry's columns, the same in a round's export (round_xlsx) and the contest's.
ENTRY_HEADERS = [
    _l("Họ và tên"),
    _l("Số điện thoại"),
    _l("E-mail"),
    _l("Đơn vị"),
    _l("Điểm"),
    _l("Điểm tối đa"),
    _l("Thời gian làm bài"),
    _l("Dự đoán"),
]
SUBMISSION_HEADERS = [_l("Nộp lúc"), _l("Bị huỷ"), _l("Lý do huỷ")]
RESULT_HEADERS = [_l("Đợt thi"), _l("Bảng"), _l("Hạng"), *ENTRY_HEADERS, *SUBMISSION_HEADERS]


def result_rows(contest_id: int):
    """Every counted entry of every round, ranked within its round; one row at a time, read as
    plain column tuples (no ORM objects), 1,000 at a time."""
    rounds = db.session.execute(
        select(Round.id, Round.name, Block.name)
        .outerjoin(Block, Block.id == Round.block_id)
        .where(Round.contest_id == contest_id)
        .order_by(Round.opens_at, Round.id)
    ).all()
    for round_id, name, block in rounds:
        query = (
            select(
                Entry.voided,
                User.full_name,
                User.phone,
                User.email,
                Unit.name,
                Entry.score,
                Entry.max_score,
                Entry.duration_ms,
                Entry.prediction,
                Entry.submitted_at,
                Entry.void_reason,
            )
            .join(User, User.id == Entry.user_id)
            .outerjoin(Unit, Unit.id == Entry.unit_id)
            .where(Entry.round_id == round_id)
            .order_by(Entry.voided, *ENTRY_ORDER)
            .execution_options(yield_per=1000)
        )
        for rank, (
            voided,
            full_name,
            phone,
            email,
            unit,
            points,
            max_score,
            ms,
            prediction,
            submitted_at,
            void_reason,
        ) in enumerate(db.session.execute(query), 1):
            yield [
                name,
                block or "",
                None if voided else rank,
                full_name,
                phone or "",
                email or "",
                unit or "",
                score(points),
                score(max_score),
                duration(ms),
                prediction,
                local_time(submitted_at),
                "x" if voided else "",
                void_reason or "",
            ]


def results_xlsx(contest_id: int):
    """A write-only workbook (openpyxl streams its rows to a temporary file) as a file object."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_l("Kết quả")))
    ws.append([text_cell(ws, str(h)) for h in RESULT_HEADERS])
    for row in result_rows(contest_id):  # an empty text is an absent cell: a quarter fewer
        ws.append([None if v == "" else xlsx_value(ws, v) for v in row])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned
    wb.save(out)
    out.seek(0)
    return out


def results_csv(contest_id: int):
    """UTF-8 with BOM (Excel opens it right), formula starts neutralised; yields text chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(h) for h in RESULT_HEADERS])
    for number, row in enumerate(result_rows(contest_id), 1):
        writer.writerow([csv_safe(csv_value(v)) for v in row])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
