"""Drafting questions from a plan: upload it, review each draft beside the sentence it rests
on (edit, accept or reject), then save the accepted ones into a bank through the normal import
checks, or download them as an .xlsx in the template layout."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from question_bank.drafting import PlanUnreadable
from question_bank.drafting.isolated import draft_isolated
from question_bank.template import bank_workbook
from question_bank.vocab import DEFAULT_DIFFICULTY

from ..errors import DomainError, Invalid
from ..extensions import db
from ..models import Bank
from ..services import banks as bank_service
from ..services.contests import own_bank
from ..transaction import discard_changes
from ..web import g_now
from ..web.files import xlsx_response
from .organiser import bp
from .pages import organiser_page

DRAFTS_FILE = "cau-hoi-soan-tu-ke-hoach.xlsx"  # as the audit trail names drafted questions
DRAFT_FIELDS = ("text", "A", "B", "C", "D", "correct", "topic", "explanation", "source", "code")


@bp.route("/soan-cau-hoi", methods=["GET", "POST"])
@organiser_page
def draft_from_plan():
    form, drafts, plan = FlaskForm(), [], None
    upload = request.files.get("plan")
    if form.validate_on_submit() and upload is not None and upload.filename:
        try:
            drafts = draft_isolated(upload.filename, upload.read())  # no lock is held here
            plan = upload.filename
        except PlanUnreadable as exc:
            flash(str(exc), "error")
    return render_template(
        "organiser/drafts.html", form=form, drafts=drafts, plan=plan, banks=_banks()
    )


def _banks():
    return db.session.scalars(
        select(Bank).where(Bank.organisation_id == current_user.organisation_id).order_by(Bank.id)
    ).all()


def accepted_rows(form) -> list[list]:
    """The reviewed drafts the organiser kept, as template rows (with their edits)."""
    rows = []
    for index in form.getlist("draft"):
        if form.get(f"accept-{index}") != "1":
            continue
        values = {name: form.get(f"{name}-{index}", "").strip() for name in DRAFT_FIELDS}
        rows.append(
            [
                len(rows) + 1,
                values["code"],
                values["text"],
                values["A"],
                values["B"],
                values["C"],
                values["D"],
                "",
                "",
                "",
                "",
                values["correct"],
                values["explanation"],
                values["topic"],
                DEFAULT_DIFFICULTY.word,
                1,
                values["source"],
            ]
        )
    return rows


@bp.route("/soan-cau-hoi/luu", methods=["POST"])
@organiser_page
def save_drafts():
    rows = accepted_rows(request.form)
    if not FlaskForm().validate_on_submit() or not rows:
        flash(_("Chưa chọn câu hỏi nháp nào để lưu."), "error")
        return redirect(url_for(".draft_from_plan"))
    data = bank_workbook(rows)
    if request.form.get("action") == "xlsx":
        return xlsx_response(data, "cau-hoi-nhap.xlsx")
    try:
        bank = _save(data)
    except DomainError as exc:
        discard_changes()
        flash(" ".join([exc.message] + [e["message"] for e in exc.errors or []][:5]), "error")
        return redirect(url_for(".draft_from_plan"))
    flash(_('Đã lưu %(n)d câu hỏi vào ngân hàng "%(b)s".', n=len(rows), b=bank.name), "success")
    return redirect(url_for(".bank", bank_id=bank.id))


def _save(data: bytes):
    """Into the chosen bank (by code) or a new one: the same checks as an upload."""
    target = request.form.get("bank_id", "")
    if target.isdigit():
        bank = own_bank(current_user, int(target))
        bank_service.import_into_bank(bank, DRAFTS_FILE, data, current_user, g_now())
        return bank
    name = request.form.get("bank_name", "").strip()
    if not name:
        raise Invalid(_("Nhập tên ngân hàng mới hoặc chọn một ngân hàng có sẵn."))
    return bank_service.import_bank(current_user, name, DRAFTS_FILE, data, g_now())
