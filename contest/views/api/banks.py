from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from question_bank.template import (
    bank_workbook,
    question_pictures,
    question_row,
    template_workbook,
)

from ...auth import user
from ...errors import Invalid
from ...extensions import db
from ...models import Bank
from ...presenters.common import picture_json
from ...schemas.bodies import QuestionBody
from ...schemas.replies import (
    BankDetail,
    BankList,
    BankQuestion,
    BankSummary,
    BankUploadPreview,
    QuestionPage,
    ReimportReply,
    UnitImportReply,
)
from ...services import banks as bank_service
from ...services.analysis import bank_item_stats
from ...services.bank_store import content_fields
from ...services.contests import own_bank
from ...services.unit_upload import unit_changes
from ...services.units import check_units, import_units
from ...web import g_now, int_arg
from ...web.files import uploaded_file, xlsx_response
from . import bp
from .spec import INVALID, NOT_FOUND, ROW_ERRORS, TOO_LARGE, XLSX_FILE, route

UPLOAD_RESPONSES = {201: "Đã lưu", 200: "Xem trước (dry_run=1)"} | TOO_LARGE | ROW_ERRORS


@route(
    bp,
    "/units/import",
    "POST",
    "Nhập danh sách đơn vị từ Excel",
    upload=True,
    auth="run_contests",
    query={"dry_run": "boolean"},
    responses={
        200: "{created, updated, unit_list_id, unit_list}: vào danh sách unit_list_id, "
        "hoặc danh sách mới tên list_name, hoặc danh sách đầu tiên; dry_run=1: "
        "{dry_run, created, updated, headcounts: [{code, name, before, after}], "
        "renamed, new, missing}, chưa lưu gì",
        404: "Danh sách của tổ chức khác",
    }
    | TOO_LARGE
    | ROW_ERRORS,
    reply=UnitImportReply,
)
def import_units_api():
    filename, data = uploaded_file()
    list_id = request.form.get("unit_list_id", "")
    unit_list_id = int(list_id) if list_id.isdigit() and len(list_id) < 10 else None
    new_list = request.form.get("list_name", "")[:200] or None
    if _dry_run():
        rows, units, errors, _target = check_units(
            user().organisation_id, data, bank_service.upload_limits(), unit_list_id, new_list
        )
        if not errors:
            return jsonify(dry_run=True, **unit_changes(rows, units).as_dict())
    else:
        created, updated, errors, target = import_units(
            user(), filename, data, bank_service.upload_limits(), g_now(), unit_list_id, new_list
        )
    if errors:
        raise Invalid(
            _l("Tệp có %(n)d lỗi; chưa lưu gì.", n=len(errors)),
            errors=[e.as_dict() for e in errors],
        )
    return jsonify(created=created, updated=updated, unit_list_id=target.id, unit_list=target.name)


@route(
    bp, "/banks/template.xlsx", "GET", "Tệp mẫu ngân hàng câu hỏi", responses={200: "Tệp mẫu .xlsx"}
)
def bank_template():
    return xlsx_response(template_workbook(), "mau-ngan-hang-cau-hoi.xlsx")


@route(
    bp,
    "/banks",
    "GET",
    "Các ngân hàng câu hỏi",
    auth="run_contests",
    reply=BankList,
)
def list_banks():
    banks = db.session.scalars(
        select(Bank).filter_by(organisation_id=user().organisation_id).order_by(Bank.id)
    )
    return jsonify([bank_service.bank_summary(b) for b in banks])


def _dry_run() -> bool:
    return request.args.get("dry_run", "").lower() in ("1", "true", "yes")


def preview_json(result) -> dict:
    """What an upload would save, with every error and warning; nothing is saved."""
    return {
        "dry_run": True,
        "question_count": len(result.questions),
        "questions": [_parsed_json(q) for q in result.questions],
        "errors": [e.as_dict() for e in result.errors],
        "warnings": [w.as_dict() for w in result.warnings],
    }


def _parsed_json(q) -> dict:
    return {
        "row": q.row,
        "code": q.code,
        **content_fields(q),
        "choices": [{"label": c.label, "text": c.text, "correct": c.correct} for c in q.choices],
    }


def _preview(filename, data, bank=None):
    result = bank_service.check_upload(filename, data, bank)
    return jsonify(preview_json(result)), 200 if result.ok else 422


@route(
    bp,
    "/banks",
    "POST",
    "Tải lên ngân hàng câu hỏi (.xlsx, .csv, .docx)",
    upload=True,
    auth="run_contests",
    query={"dry_run": "boolean"},
    responses=UPLOAD_RESPONSES,
    reply={201: BankSummary, 200: BankUploadPreview},
)
def create_bank():
    filename, data = uploaded_file()
    if _dry_run():
        return _preview(filename, data)
    bank = bank_service.import_bank(user(), request.form.get("name", ""), filename, data, g_now())
    return jsonify(bank_service.bank_summary(bank)), 201


@route(
    bp,
    "/banks/<int:bank_id>/import",
    "POST",
    "Tải lên lại vào ngân hàng: câu có cùng mã được cập nhật",
    upload=True,
    auth="run_contests",
    query={"dry_run": "boolean"},
    responses={200: "{created, updated, unchanged, question_count}"}
    | NOT_FOUND
    | TOO_LARGE
    | ROW_ERRORS,
    reply=ReimportReply,
)
def import_into_bank(bank_id: int):
    bank = own_bank(user(), bank_id)
    filename, data = uploaded_file()
    if _dry_run():
        return _preview(filename, data, bank)
    counts = bank_service.import_into_bank(bank, filename, data, user(), g_now())
    return jsonify(counts | {"question_count": bank_service.question_count(bank.id)})


@route(
    bp,
    "/banks/<int:bank_id>",
    "GET",
    "Một ngân hàng câu hỏi",
    auth="run_contests",
    responses=NOT_FOUND,
    reply=BankDetail,
)
def get_bank(bank_id: int):
    bank = own_bank(user(), bank_id)
    return jsonify(bank_service.bank_summary(bank) | {"topics": bank_service.topics(bank.id)})


@route(
    bp,
    "/banks/<int:bank_id>/questions",
    "GET",
    "Tìm câu hỏi trong ngân hàng",
    auth="run_contests",
    query={"q": "string", "topic": "string", "difficulty": "string", "page": "integer"},
    responses=NOT_FOUND,
    reply=QuestionPage,
)
def list_questions(bank_id: int):
    bank = own_bank(user(), bank_id)
    rows, total = bank_service.search_questions(
        bank.id,
        request.args.get("q", ""),
        request.args.get("topic"),
        request.args.get("difficulty"),
        int_arg("page", 1, 1, bank_service.MAX_PAGE),
    )
    stats = bank_item_stats(bank.id)
    return jsonify(total=total, questions=[question_json(q, stats.get(q.id)) for q in rows])


def question_json(q, stat=None) -> dict:
    data = {
        "id": q.id,
        "code": q.code,
        "position": q.position,
        **content_fields(q),
        "choices": [
            _with_image(
                {"id": c.id, "label": c.label, "text": c.text, "correct": c.correct}, q, c.label
            )
            for c in q.choices
        ],
    }
    _with_image(data, q, "")
    if stat:
        data["analysis"] = stat.as_dict()
    return data


def _with_image(data: dict, question, label: str) -> dict:
    """`image` on a question or choice that has a picture (served to the bank's organisers)."""
    image = question.image_for(label)
    if image is not None:
        data["image"] = picture_json(image, "api.bank_picture_get", bank_id=question.bank_id)
    return data


@route(
    bp,
    "/banks/<int:bank_id>/questions/<int:question_id>",
    "PUT",
    "Sửa một câu hỏi",
    body=QuestionBody,
    auth="run_contests",
    responses={200: "Câu hỏi sau khi sửa (câu đã được rút thì thành phiên bản mới)"}
    | NOT_FOUND
    | INVALID,
    reply=BankQuestion,
)
def edit_question(bank_id: int, question_id: int, body: QuestionBody):
    bank = own_bank(user(), bank_id)
    question = bank_service.own_question(bank, question_id)
    values = body.model_dump()
    keep = values.pop("keep_choice_order")
    values["keep_order"] = "" if keep is None else ("Có" if keep else "Không")
    saved = bank_service.edit_question(question, values, user(), g_now())
    return jsonify(question_json(saved))


@route(
    bp,
    "/banks/<int:bank_id>/questions/<int:question_id>/retire",
    "POST",
    "Cho một câu hỏi thôi dùng (không bao giờ được rút nữa)",
    auth="run_contests",
    responses={204: "Đã thôi dùng"} | NOT_FOUND,
)
def retire_question(bank_id: int, question_id: int):
    bank = own_bank(user(), bank_id)
    bank_service.retire_question(bank_service.own_question(bank, question_id), user(), g_now())
    return "", 204


@route(
    bp,
    "/banks/<int:bank_id>/export.xlsx",
    "GET",
    "Xuất ngân hàng theo mẫu",
    auth="run_contests",
    responses=XLSX_FILE | NOT_FOUND,
)
def export_bank(bank_id: int):
    bank = own_bank(user(), bank_id)
    questions = [q for q in bank.questions if not q.retired]
    return xlsx_response(
        bank_workbook(
            [question_row(q) for q in questions], [question_pictures(q) for q in questions]
        ),
        f"ngan-hang-{bank.id}.xlsx",
    )
