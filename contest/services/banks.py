"""Bank uploads: parse in full, report every error, save all or nothing."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from question_bank.persist import create_bank
from question_bank.sheets import Limits
from question_bank.xlsx_import import parse_xlsx

from ..errors import Invalid
from ..extensions import db
from ..models import Bank, Question


def upload_limits() -> Limits:
    cfg = current_app.config
    return Limits(max_entries=cfg["XLSX_MAX_ENTRIES"], max_uncompressed=cfg["XLSX_MAX_UNCOMPRESSED"],
                  max_ratio=cfg["XLSX_MAX_RATIO"], max_rows=cfg["IMPORT_MAX_ROWS"])


def import_bank(organisation_id: int, name: str, filename: str, data: bytes) -> Bank:
    name = (name or "").strip() or _default_name(filename)
    if not filename.lower().endswith(".xlsx"):
        raise Invalid(_l("Chỉ nhận tệp Excel .xlsx theo mẫu."),
                      errors=[{"row": None, "column": None, "message": str(_l(
                          "Chỉ nhận tệp Excel .xlsx theo mẫu."))}])
    result = parse_xlsx(data, upload_limits())
    if not result.ok:
        raise Invalid(_l("Tệp có %(n)d lỗi; chưa lưu gì.", n=len(result.errors)),
                      errors=[e.as_dict() for e in result.errors])
    return create_bank(organisation_id, name[:200], result.questions)


def _default_name(filename: str) -> str:
    return filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "Ngân hàng câu hỏi"


def bank_summary(bank: Bank) -> dict:
    return {"id": bank.id, "name": bank.name, "question_count": question_count(bank.id)}


def question_count(bank_id: int) -> int:
    return db.session.scalar(select(func.count(Question.id)).filter_by(bank_id=bank_id,
                                                                       retired=False))


def topics(bank_id: int) -> list[dict]:
    rows = db.session.execute(select(Question.topic, func.count(Question.id))
                              .where(Question.bank_id == bank_id, Question.retired.is_(False))
                              .group_by(Question.topic).order_by(Question.topic))
    return [{"name": name, "count": count} for name, count in rows]
