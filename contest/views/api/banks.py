from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from question_bank.template import bank_workbook, question_row, template_workbook

from ...auth import organiser_required, require_organiser
from ...errors import Invalid
from ...extensions import db
from ...models import Bank
from ...services import banks as bank_service
from ...services.contests import own_bank
from ...services.units import import_units
from . import bp
from .files import uploaded_file, xlsx_response
from .spec import route


@route(bp, "/units/import", "POST", "Nhập danh sách đơn vị từ Excel", upload=True,
       auth="organiser", responses={200: "{created, updated}", 413: "Tệp quá lớn",
                                    422: "Lỗi theo dòng, chưa lưu gì"})
@organiser_required
def import_units_api():
    user = require_organiser()
    _filename, data = uploaded_file()
    created, updated, errors = import_units(user.organisation_id, data,
                                            bank_service.upload_limits())
    if errors:
        raise Invalid(_l("Tệp có %(n)d lỗi; chưa lưu gì.", n=len(errors)),
                      errors=[e.as_dict() for e in errors])
    db.session.commit()
    return jsonify(created=created, updated=updated)


@route(bp, "/banks/template.xlsx", "GET", "Tệp mẫu ngân hàng câu hỏi",
       responses={200: "Tệp mẫu .xlsx"})
def bank_template():
    return xlsx_response(template_workbook(), "mau-ngan-hang-cau-hoi.xlsx")


@route(bp, "/banks", "GET", "Các ngân hàng câu hỏi", auth="organiser")
@organiser_required
def list_banks():
    user = require_organiser()
    banks = db.session.scalars(select(Bank).filter_by(organisation_id=user.organisation_id)
                               .order_by(Bank.id))
    return jsonify([bank_service.bank_summary(b) for b in banks])


@route(bp, "/banks", "POST", "Tải lên ngân hàng câu hỏi", upload=True, auth="organiser",
       responses={201: "Đã lưu", 413: "Tệp quá lớn", 422: "Lỗi theo dòng, chưa lưu gì"})
@organiser_required
def create_bank():
    user = require_organiser()
    filename, data = uploaded_file()
    bank = bank_service.import_bank(user.organisation_id, request.form.get("name", ""),
                                    filename, data)
    db.session.commit()
    return jsonify(bank_service.bank_summary(bank)), 201


@route(bp, "/banks/<int:bank_id>", "GET", "Một ngân hàng câu hỏi", auth="organiser",
       responses={200: "OK", 404: "Không có"})
@organiser_required
def get_bank(bank_id: int):
    bank = own_bank(require_organiser(), bank_id)
    return jsonify(bank_service.bank_summary(bank) | {"topics": bank_service.topics(bank.id)})


@route(bp, "/banks/<int:bank_id>/export.xlsx", "GET", "Xuất ngân hàng theo mẫu",
       auth="organiser", responses={200: "Tệp .xlsx", 404: "Không có"})
@organiser_required
def export_bank(bank_id: int):
    bank = own_bank(require_organiser(), bank_id)
    rows = [question_row(q) for q in bank.questions if not q.retired]
    current_app.logger.info("bank %s exported", bank.id)
    return xlsx_response(bank_workbook(rows), f"ngan-hang-{bank.id}.xlsx")
