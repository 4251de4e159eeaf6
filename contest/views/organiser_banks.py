"""The organiser's bank pages: upload, preview, confirm; search, edit, retire; re-upload."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from question_bank.edit import FIELDS

from ..errors import DomainError
from ..extensions import db
from ..services import banks as bank_service
from ..services.analysis import bank_item_stats
from ..services.contests import own_bank
from ..services.question_images import data_uri
from ..web import g_now, int_arg
from .organiser import bp
from .pages import form_errors, organiser_page

# the edit form's text fields (question_bank.edit); keep_order is a checkbox, read apart
EDIT_FIELDS = tuple(name for name in FIELDS if name != "keep_order")


def _upload(bank=None):
    """Check the uploaded file in full and show it; keep it for confirmation when clean."""
    upload = request.files.get("file")
    if not FlaskForm().validate_on_submit() or upload is None or not upload.filename:
        flash(_("Chưa chọn tệp ngân hàng câu hỏi."), "error")
        return redirect(url_for(".bank", bank_id=bank.id) if bank else url_for(".dashboard"))
    data = upload.read()
    result = bank_service.check_upload(upload.filename, data, bank)
    pending = None
    if result.ok:
        pending = bank_service.keep_pending(
            current_user, upload.filename, data, request.form.get("name", ""), bank, g_now()
        )
    return render_template(
        "organiser/preview.html",
        result=result,
        pending=pending,
        bank=bank,
        filename=upload.filename,
        picture_src=data_uri,
        form=FlaskForm(),
    ), 200 if result.ok else 422


@bp.route("/ngan-hang", methods=["POST"])
@organiser_page
def upload_bank():
    return _upload()


@bp.route("/ngan-hang/<int:bank_id>/tai-len", methods=["POST"])
@organiser_page
def reupload_bank(bank_id):
    return _upload(own_bank(current_user, bank_id))


@bp.route("/tai-len/<int:pending_id>", methods=["POST"])
@organiser_page
def confirm_upload(pending_id):
    pending = bank_service.own_pending(current_user, pending_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".dashboard"))
    if request.form.get("action") == "cancel":
        db.session.delete(pending)
        flash(_("Đã huỷ bản tải lên; không lưu gì."), "info")
        return redirect(url_for(".dashboard"))
    bank, counts = bank_service.confirm_pending(pending, current_user, g_now())
    flash(
        _(
            "Đã lưu: %(c)d câu mới, %(u)d câu cập nhật, %(n)d câu không đổi.",
            c=counts["created"],
            u=counts["updated"],
            n=counts["unchanged"],
        ),
        "success",
    )
    return redirect(url_for(".bank", bank_id=bank.id))


@bp.route("/ngan-hang/<int:bank_id>")
@organiser_page
def bank(bank_id):
    bank = own_bank(current_user, bank_id)
    args = request.args
    topic = args.get("topic") if "topic" in args and args.get("topic") != "*" else None
    questions, total = bank_service.search_questions(
        bank.id,
        args.get("q", ""),
        topic,
        args.get("difficulty") or None,
        int_arg("page", 1, 1, bank_service.MAX_PAGE),
    )
    return render_template(
        "organiser/bank.html",
        bank=bank,
        questions=questions,
        total=total,
        topics=bank_service.topics(bank.id),
        stats=bank_item_stats(bank.id),
        page=int_arg("page", 1, 1, bank_service.MAX_PAGE),
        form=FlaskForm(),
        page_size=bank_service.PAGE_SIZE,
    )


@bp.route("/ngan-hang/<int:bank_id>/cau-hoi/<int:question_id>", methods=["GET", "POST"])
@organiser_page
def edit_question(bank_id, question_id):
    bank = own_bank(current_user, bank_id)
    question = bank_service.own_question(bank, question_id)
    form, data, errors = FlaskForm(), bank_service.question_fields(question), {}
    if form.validate_on_submit():
        data = {name: request.form.get(name, "") for name in EDIT_FIELDS}
        data["keep_order"] = "Có" if request.form.get("keep_order") else "Không"
        upload = request.files.get("image")
        try:
            saved = bank_service.edit_question(
                question,
                data,
                current_user,
                g_now(),
                upload.read() if upload else None,
                bool(request.form.get("remove_image")),
            )
            flash(_("Đã lưu câu hỏi."), "success")
            if bank_service.order_looks_needed(saved):
                flash(
                    _(
                        'Lưu ý: có phương án nhắc đến phương án khác (như "Tất cả các phương '
                        'án trên") nhưng câu hỏi đang để đảo thứ tự phương án. Hãy chọn "Giữ '
                        'nguyên thứ tự phương án" nếu cần.'
                    ),
                    "info",
                )
            return redirect(url_for(".bank", bank_id=bank.id))
        except DomainError as exc:
            errors = form_errors(exc)
    return render_template(
        "organiser/question_edit.html",
        bank=bank,
        question=question,
        form=form,
        data=data,
        errors=errors,
    ), 422 if errors else 200


@bp.route("/ngan-hang/<int:bank_id>/cau-hoi/<int:question_id>/thoi-dung", methods=["POST"])
@organiser_page
def retire_question(bank_id, question_id):
    bank = own_bank(current_user, bank_id)
    question = bank_service.own_question(bank, question_id)
    if FlaskForm().validate_on_submit():
        bank_service.retire_question(question, current_user, g_now())
        flash(_("Câu hỏi đã thôi dùng: sẽ không được rút vào các lượt thi mới."), "success")
    return redirect(url_for(".bank", bank_id=bank.id))
