"""The organiser's recognition pages: the contest's certificate rule, the decision draft, the
certificate batch with its progress."""

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..presenters.certificates import batch_json
from ..schemas.bodies import CertificateRuleBody
from ..schemas.validate import validate
from ..services import certificate_batches as batches
from ..services import certificates as certs
from ..services.contests import own_contest
from ..transaction import discard_changes
from ..web import g_now
from ..web.certificates import start
from .organiser import bp
from .pages import checked_form, organiser_page


@bp.route("/cuoc-thi/<slug>/giay-chung-nhan", methods=["POST"])
@organiser_page
def certificate_rule(slug):
    contest = own_contest(current_user, slug)
    try:
        checked_form()
        body = validate(CertificateRuleBody, rule_from_form(request.form))
        images = uploaded_images(request.files, request.form)  # read and checked first
        certs.set_rule(contest, body.model_dump(), current_user, g_now())
        if images:
            certs.set_images(contest, images, current_user, g_now())
        flash(_("Đã lưu quy định cấp giấy chứng nhận."), "success")
    except DomainError as exc:
        discard_changes()
        flash(" ".join([exc.message, *(exc.fields or {}).values()]), "error")
    return redirect(url_for(".contest", slug=slug) + "#giay-chung-nhan")


def uploaded_images(files, form) -> dict:
    """{signature|seal: PNG bytes, or None to remove} for what the form sends."""
    images = {}
    for kind in certs.IMAGE_KINDS:
        upload = files.get(kind)
        if upload is not None and upload.filename:
            images[kind] = upload.read(certs.MAX_IMAGE + 1)
            certs.check_png(images[kind])
        elif form.get(f"remove_{kind}") == "1":
            images[kind] = None
    return images


def rule_from_form(form) -> dict:
    """The form's fields in the API's terms (the share typed as a percentage)."""
    pct = form.get("min_score_pct", "").replace(",", ".").strip()
    participation = None
    if form.get("participation") == "1":
        participation = {
            "min_score_ratio": float(pct) / 100
            if re.fullmatch(r"[0-9]{1,3}(\.[0-9]+)?", pct)
            else -1,
            "min_rounds": form.get("min_rounds") or 0,
        }
    return {
        "winners": form.get("winners") == "1",
        "participation": participation,
        **{k: form.get(k, "") for k in ("issuer", "signer_title", "signer_name", "place")},
    }


@bp.route("/cuoc-thi/<slug>/giay-chung-nhan/tai-ve", methods=["POST"])
@organiser_page
def certificate_batch(slug):
    """Start the batch (a round's with round_id, else the contest's) and show its progress."""
    contest = own_contest(current_user, slug)
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn, hãy tải lại trang."), "error")
        return redirect(url_for(".contest", slug=slug))
    round_id = request.form.get("round_id", type=int)
    batch, _new = start(contest, round_id if round_id and 0 < round_id < 2**31 else None)
    return redirect(url_for(".certificate_batch_progress", batch_id=batch.id))


@bp.route("/giay-chung-nhan/tep/<int:batch_id>")
@organiser_page
def certificate_batch_progress(batch_id):
    batch = batches.own_batch(current_user, batch_id)
    return render_template("organiser/certificate_batch.html", batch=batch, state=batch_json(batch))
