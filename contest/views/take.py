import re
from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..auth import signin_scope
from ..errors import AttemptClosed, DomainError, NotJoined, ProfileIncomplete
from ..extensions import db
from ..models import Entry
from ..presenters.common import attempt_json
from ..ranking import rank_of
from ..services.attempts import (
    FinalAnswer,
    expire_if_overdue,
    own_attempt,
    saved_answers,
    start_attempt,
    submit,
)
from ..services.contests import round_by_id
from ..services.entries import key_visible
from ..services.prizes import voided_entry
from ..services.signin import check_scope
from ..transaction import discard_changes
from ..web import g_now

bp = Blueprint("take", __name__)


@bp.route("/dot-thi/<int:round_id>/bat-dau", methods=["POST"])
@login_required
def start(round_id):
    rnd = round_by_id(round_id)
    FlaskForm().validate_on_submit() or _csrf_failed()
    try:
        check_scope(signin_scope(), rnd.contest)
        attempt = start_attempt(current_user, rnd, g_now()).attempt
    except NotJoined as exc:  # choose the unit of this contest first
        discard_changes()
        flash(exc.message, "error")
        return redirect(url_for("take.join_contest", slug=rnd.contest.slug))
    except ProfileIncomplete as exc:
        discard_changes()
        flash(exc.message, "error")
        contest_page = url_for("public.contest", slug=rnd.contest.slug)
        return redirect(url_for("auth.profile", contest=rnd.contest.slug, next=contest_page))
    except DomainError as exc:
        if not exc.keep_changes:
            discard_changes()
        flash(exc.message, "error")
        return redirect(url_for("public.contest", slug=rnd.contest.slug))
    return redirect(url_for("take.attempt", attempt_id=attempt.id))


def _csrf_failed():
    abort(400)


@bp.route("/bai-thi/<int:attempt_id>")
@login_required
def attempt(attempt_id):
    attempt = own_attempt(current_user, attempt_id, signin_scope())
    expire_if_overdue(attempt, g_now())
    if attempt.status != "in_progress":
        return redirect(url_for("take.result", attempt_id=attempt.id))
    data = attempt_json(attempt, saved_answers(attempt.id), g_now(), reveal=False)
    return render_template(
        "take/attempt.html",
        attempt=attempt,
        data=data,
        voided=voided_entry(attempt.round_id, attempt.user_id),
    )


@bp.route("/bai-thi/<int:attempt_id>/nop", methods=["POST"])
@login_required
def submit_page(attempt_id):
    attempt = own_attempt(current_user, attempt_id, signin_scope())
    FlaskForm().validate_on_submit() or _csrf_failed()
    raw = request.form.get("prediction", "").strip()
    prediction = int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) else None
    try:
        submit(attempt, prediction, g_now(), form_answers(attempt, request.form, g_now()))
    except AttemptClosed:
        flash(_("Đã quá thời gian nộp bài: bài thi được chấm theo các câu đã lưu."), "error")
    return redirect(url_for("take.result", attempt_id=attempt.id))


def form_answers(attempt, form, now) -> list[FinalAnswer]:
    """The submit form carries what the page shows as chosen (with JavaScript, also what its
    queue had not yet saved): each is saved with a newer seq than anything the page sent, so
    answers reach the server without JavaScript, at time-up, or when background saves failed."""
    seq = int(now.replace(tzinfo=UTC).timestamp() * 1000)
    answers = []
    for drawn in attempt.questions:
        chosen = [
            int(c) for c in form.getlist(f"q-{drawn.question_id}") if c.isdigit() and len(c) <= 16
        ]  # ids are below 2**53
        if chosen:
            answers.append(FinalAnswer(drawn.question_id, chosen[:8], seq))
    return answers


@bp.route("/bai-thi/<int:attempt_id>/ket-qua")
@login_required
def result(attempt_id):
    attempt = own_attempt(current_user, attempt_id, signin_scope())
    expire_if_overdue(attempt, g_now())
    if attempt.status == "in_progress":
        return redirect(url_for("take.attempt", attempt_id=attempt.id))
    entry = db.session.scalar(
        select(Entry).filter_by(round_id=attempt.round_id, user_id=attempt.user_id)
    )
    rank = rank_of(entry) if entry and not entry.voided else None
    reveal = key_visible(attempt.round, g_now())
    data = attempt_json(attempt, saved_answers(attempt.id), g_now(), reveal)
    return render_template(
        "take/result.html", attempt=attempt, entry=entry, rank=rank, reveal=reveal, data=data
    )
