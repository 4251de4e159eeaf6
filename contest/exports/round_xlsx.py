"""A round's export: build (headers, rows) per sheet (results, winners, units, questions),
then write the xlsx (plain_xlsx): times, durations, scores and rates as typed Excel values
(contest.excel_values)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..excel_values import duration, local_time, rate, score
from ..extensions import db
from ..models import (
    Entry,
    Question,
)
from ..ranking import ENTRY_ORDER, ranked_entries, unit_stats
from ..services.analysis import round_item_stats
from ..services.prizes import draft_winners
from .plain_xlsx import Sheet, write_xlsx
from .results_xlsx_csv import ENTRY_HEADERS, SUBMISSION_HEADERS


def results_sheet(rnd) -> Sheet:
    """The ranked entries, then the voided ones (no rank), marked with the reason."""
    headers = [_l("Hạng"), *ENTRY_HEADERS, _l("Chênh lệch dự đoán"), *SUBMISSION_HEADERS]
    ranked = ranked_entries(rnd.id).options(db.joinedload(Entry.user), db.joinedload(Entry.unit))
    voided = (
        select(Entry)
        .where(Entry.round_id == rnd.id, Entry.voided.is_(True))
        .order_by(*ENTRY_ORDER)
        .options(db.joinedload(Entry.user), db.joinedload(Entry.unit))
    )
    rows = [_result_row(rank, e) for rank, e in enumerate(db.session.scalars(ranked).unique(), 1)]
    rows += [_result_row(None, e) for e in db.session.scalars(voided).unique()]
    return str(_l("Kết quả")), headers, rows


def _result_row(rank: int | None, e: Entry) -> list:
    return [
        rank,
        e.user.full_name,
        e.user.phone or "",
        e.user.email or "",
        e.unit.name if e.unit else "",
        score(e.score),
        score(e.max_score),
        duration(e.duration_ms),
        e.prediction,
        e.prediction_distance,
        local_time(e.submitted_at),
        str(_l("Bị huỷ")) if e.voided else "",
        e.void_reason or "",
    ]


def winners_sheet(rnd) -> Sheet:
    headers = [
        _l("STT"),
        _l("Giải"),
        _l("Hạng"),
        _l("Họ và tên"),
        _l("Đơn vị"),
        _l("Điểm"),
        _l("Thời gian"),
        _l("Dự đoán"),
    ]
    rows = [
        [
            i,
            w.label,
            w.rank,
            w.entry.user.full_name,
            w.unit,
            score(w.entry.score),
            duration(w.entry.duration_ms),
            w.entry.prediction,
        ]
        for i, w in enumerate(draft_winners(rnd), 1)
    ]
    return str(_l("Đạt giải")), headers, rows


def units_sheet(rnd) -> Sheet:
    headers = [
        _l("Hạng"),
        _l("Mã đơn vị"),
        _l("Tên đơn vị"),
        _l("Số người thi"),
        _l("Số CBCCVC"),
        _l("Tỉ lệ tham gia"),
        _l("Điểm trung bình"),
    ]
    rows = [
        [
            s.rank,
            s.unit.code,
            s.unit.name,
            s.participants,
            s.headcount,
            rate(s.participation_rate),
            score(s.average_score),
        ]
        for s in unit_stats(rnd.contest.unit_list_id, [rnd.id], level=rnd.contest.unit_level)
    ]
    return str(_l("Đơn vị")), headers, rows


def questions_sheet(rnd) -> Sheet:
    headers = [
        _l("Mã câu hỏi"),
        _l("Câu hỏi"),
        _l("Chủ đề"),
        _l("Số lần rút"),
        _l("Số lần đúng"),
        _l("Tỉ lệ đúng"),
        _l("Độ phân biệt"),
        _l("Cần xem lại"),
    ]
    stats = round_item_stats(rnd.id)
    questions = {
        q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(stats)))
    }
    rows = [
        [
            questions[qid].code or "",
            questions[qid].text,
            questions[qid].topic,
            s.drawn,
            s.correct,
            rate(s.facility),
            None if s.discrimination is None else round(s.discrimination, 2),
            " ".join(s.flags),
        ]
        for qid, s in sorted(stats.items())
    ]
    return str(_l("Câu hỏi")), headers, rows


def round_export(rnd) -> bytes:
    return write_xlsx(
        [results_sheet(rnd), winners_sheet(rnd), units_sheet(rnd), questions_sheet(rnd)]
    )
