import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from ..errors import DomainError, Invalid
from ..extensions import db
from ..models import Attempt, Bank, Contest, Entry, Unit
from ..presenters.common import leaderboard_json
from ..ranking import leaderboard, unit_stats
from ..schemas.bodies import ContestBody, RoundBody
from ..schemas.validate import validate
from ..services import banks as bank_service
from ..services import unit_upload
from ..services.contests import (
    create_contest,
    create_round,
    own_contest,
    own_round,
    prepare_round,
    round_errors,
    update_contest,
)
from ..services.exposure import BankExposed
from ..services.participations import contest_unit_names
from ..services.prizes import counted_entries, draft_winners
from ..services.units import lists_with_counts
from ..transaction import discard_changes
from ..web import g_now
from .pages import form_data, form_errors, organiser_page

bp = Blueprint("organiser", __name__, url_prefix="/to-chuc")
ROUND_FIELDS = (
    "name",
    "opens_at",
    "closes_at",
    "bank_id",
    "question_count",
    "time_limit_min",
    "max_attempts",
    "counting",
    "prediction",
    "score_display",
    "grace_s",
    "prize_first",
    "prize_second",
    "prize_third",
    "prize_consolation",
)


def _org_id() -> int:
    return current_user.organisation_id


def _dashboard(status=200, **extra):
    org = _org_id()
    banks = db.session.scalars(select(Bank).filter_by(organisation_id=org).order_by(Bank.id))
    contests = db.session.scalars(
        select(Contest).filter_by(organisation_id=org).order_by(Contest.created_at.desc())
    )
    units = db.session.scalar(select(func.count(Unit.id)).filter_by(organisation_id=org))
    return render_template(
        "organiser/dashboard.html",
        form=FlaskForm(),
        contests=contests.all(),
        banks=[bank_service.bank_summary(b) for b in banks],
        unit_count=units,
        **extra,
    ), status


@bp.route("/")
@organiser_page(read="read_results")
def dashboard():
    return _dashboard()


@bp.route("/don-vi", methods=["POST"])
@organiser_page
def upload_units():
    if not FlaskForm().validate_on_submit() or "file" not in request.files:
        flash(_("Chưa chọn tệp danh sách đơn vị."), "error")
        return redirect(url_for(".dashboard"))
    upload, list_id = request.files["file"], request.form.get("unit_list_id", "")
    changes, pending, saved, errors = unit_upload.preview_units(
        current_user,
        upload.filename or "",
        upload.read(),
        bank_service.upload_limits(),
        g_now(),
        int(list_id) if list_id.isdigit() and len(list_id) < 10 else None,
        request.form.get("list_name", "")[:200] if list_id == "new" else None,
    )
    if errors:
        return _dashboard(422, unit_errors=errors)
    if pending is not None:  # headcounts would change: shown, saved only once confirmed
        return render_template(
            "organiser/units_preview.html", changes=changes, pending=pending, form=FlaskForm()
        )
    created, updated, _list = saved
    flash(
        _(
            'Đã nhập danh sách đơn vị "%(n)s": %(c)d đơn vị mới, %(u)d đơn vị cập nhật.',
            n=_list.name,
            c=created,
            u=updated,
        ),
        "success",
    )
    slug = request.form.get("contest", "")[:80]
    if slug:  # uploaded from a contest's page: that contest uses the list
        return _use_list(slug, _list.id)
    return redirect(url_for(".units" if request.form.get("back") == "units" else ".dashboard"))


def _use_list(slug: str, unit_list_id: int):
    contest = own_contest(current_user, slug)
    try:
        update_contest(contest, {"unit_list_id": unit_list_id}, current_user, g_now())
        flash(_("Cuộc thi dùng danh sách đơn vị này."), "success")
    except DomainError as exc:  # checked before any change: an upload made here stays
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    return redirect(url_for(".contest", slug=slug, _anchor="don-vi"))


@bp.route("/cuoc-thi/<slug>/don-vi", methods=["POST"])
@organiser_page
def contest_unit_list(slug):
    """The contest's unit list: one of the organisation's (audited as a settings change)."""
    own_contest(current_user, slug)
    raw = request.form.get("unit_list_id", "")
    if not FlaskForm().validate_on_submit() or not raw.isdigit() or len(raw) > 9:
        flash(_("Chưa chọn danh sách đơn vị."), "error")
        return redirect(url_for(".contest", slug=slug, _anchor="don-vi"))
    return _use_list(slug, int(raw))


@bp.route("/cuoc-thi/moi", methods=["GET", "POST"])
@organiser_page
def new_contest():
    form, data, errors = FlaskForm(), {}, {}
    if form.validate_on_submit():
        data = form_data("slug", "title", "description", "rules", "masking")
        try:
            contest = create_contest(current_user, _contest_fields(data), g_now())
            return redirect(url_for(".contest", slug=contest.slug))
        except DomainError as exc:
            errors = form_errors(exc)
    return render_template(
        "organiser/contest_new.html", form=form, data=data, errors=errors
    ), 422 if errors else 200


def _contest_fields(data: dict) -> dict:
    return validate(ContestBody, data).model_dump()


@bp.route("/cuoc-thi/<slug>", methods=["GET", "POST"])
@organiser_page(read="read_results")
def contest(slug):
    contest = own_contest(current_user, slug)
    form, data, errors, exposed = FlaskForm(), {}, {}, None
    if form.validate_on_submit():
        data = form_data(*ROUND_FIELDS)
        try:
            rnd = create_round(
                contest,
                _round_fields(data) | _exposure_choice(),
                current_app.config["DEFAULT_GRACE_S"],
                current_user,
                g_now(),
            )
            flash(_('Đã tạo đợt thi "%(n)s".', n=rnd.name), "success")
            return redirect(url_for(".round_monitor", round_id=rnd.id))
        except BankExposed as exc:  # the confirm step: the form again, with the questions
            discard_changes()
            exposed = exc.details["exposed"]
        except DomainError as exc:
            errors = form_errors(exc)
    banks = db.session.scalars(
        select(Bank)
        .filter_by(organisation_id=_org_id())  # newest first,
        .order_by(Bank.created_at.desc(), Bank.id.desc())
    ).all()  # chosen
    return render_template(
        "organiser/contest.html",
        contest=contest,
        form=form,
        data=data,
        unit_lists=lists_with_counts(_org_id()),
        errors=errors,
        banks=banks,
        quota_rows=QUOTA_ROWS,
        topics=_topics(banks),
        exposed=exposed,
    ), (422 if errors else 409 if exposed else 200)


def _exposure_choice() -> dict:
    """The confirm step's buttons: draw every question, or only those not yet exposed."""
    choice = request.form.get("exposure")
    return {"confirm_exposed": choice in ("all", "fresh"), "draw_unexposed": choice == "fresh"}


def _topics(banks) -> list[str]:
    return sorted({t["name"] for b in banks for t in bank_service.topics(b.id) if t["name"]})


def _round_fields(data: dict) -> dict:
    """The form's fields (time limit in minutes) checked by the API's own RoundBody."""
    values = {k: v for k, v in data.items() if v != "" and k != "time_limit_min"}
    values["draw_quotas"] = _quota_rows()
    minutes = data.get("time_limit_min", "").replace(",", ".")
    if minutes:
        valid = re.fullmatch(r"[0-9]{1,4}(\.[0-9]{1,2})?", minutes)
        values["time_limit_s"] = int(float(minutes) * 60) if valid else "x"
    try:
        return validate(RoundBody, values).model_dump()
    except Invalid as exc:
        if "time_limit_s" in exc.fields:
            exc.fields["time_limit_min"] = exc.fields.pop("time_limit_s")
        for key in [k for k in exc.fields if k.startswith("draw_quotas.")]:
            exc.fields["draw_quotas"] = exc.fields.pop(key)
        raise


@bp.route("/cuoc-thi/<slug>/kiem-tra-dot-thi", methods=["POST"])
@organiser_page
def check_round(slug):
    """The round form's as-you-type check: the creation rules, nothing saved."""
    contest = own_contest(current_user, slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        _data, errors = prepare_round(
            contest, _round_fields(form_data(*ROUND_FIELDS)), current_app.config["DEFAULT_GRACE_S"]
        )
    except Invalid as exc:  # fields still empty: check what can be checked already
        numbers = {
            k: int(request.form[k])
            for k in ("bank_id", "question_count")
            if re.fullmatch(r"[0-9]{1,6}", request.form.get(k, ""))
        }
        errors = round_errors(contest.organisation_id, numbers) | exc.fields
    return jsonify(fields=errors)


QUOTA_ROWS = 4


def _quota_rows() -> list[dict]:
    """The form's quota rows (topic, difficulty, count) that have a count."""
    rows = []
    for i in range(1, QUOTA_ROWS + 1):
        count = request.form.get(f"quota_count_{i}", "").strip()
        if count:
            rows.append(
                {
                    "count": count if count.isdigit() else "x",
                    "topic": request.form.get(f"quota_topic_{i}", "").strip() or None,
                    "difficulty": request.form.get(f"quota_difficulty_{i}") or None,
                }
            )
    return rows


@bp.route("/dot-thi/<int:round_id>")
@organiser_page(read="read_results")
def round_monitor(round_id):
    rnd = own_round(current_user, round_id)
    counts = dict(
        db.session.execute(
            select(Attempt.status, func.count(Attempt.id))
            .where(Attempt.round_id == rnd.id)
            .group_by(Attempt.status)
        ).all()
    )
    entries = db.session.scalar(select(func.count(Entry.id)).filter_by(round_id=rnd.id))
    recent = db.session.scalars(
        select(Attempt).filter_by(round_id=rnd.id).order_by(Attempt.id.desc()).limit(20)
    ).all()
    voided = db.session.scalars(
        select(Entry).where(Entry.round_id == rnd.id, Entry.voided.is_(True))
    ).all()
    return render_template(
        "organiser/round.html",
        rnd=rnd,
        counts=counts,
        entries=entries,
        recent=recent,
        recent_units=contest_unit_names(rnd.contest_id, [a.user_id for a in recent]),
        board=leaderboard_json(leaderboard(rnd.id, 20), "none", rnd.prediction != "none"),
        units=unit_stats(rnd.contest.unit_list_id, [rnd.id], level=rnd.contest.unit_level),
        winners=draft_winners(rnd),
        voided=voided,
        form=FlaskForm(),
        search=request.args.get("tim", "")[:100],
        counted=counted_entries(rnd, request.args.get("tim", "")[:100]),
    )
