"""The organiser's contest pages: settings and blocks, prizes, the dashboard, the audit trail."""

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import charts
from ..audit_log import PER_PAGE, audit_choices, audit_filter, audit_page
from ..errors import DomainError, Invalid
from ..extensions import db
from ..models.audit_text import action_name, sentence
from ..models.contests import PROFILE_FIELDS
from ..ranking import unit_stats
from ..schemas.bodies import ContestSettingsBody
from ..schemas.forms import block_body, form_message, void_body
from ..schemas.validate import validate
from ..services import prizes
from ..services.abuse import fast_attempts, shared_origins
from ..services.analysis import attempt_results
from ..services.audit import export_audit
from ..services.contests import add_block, own_contest, own_round, update_contest
from ..services.prize_snapshot import round_unit_prizes
from ..services.signin import set_signin, split_signin
from ..services.stats import entries_over_time, live_counts, score_shares
from ..transaction import discard_changes
from ..vocab import Prize
from ..web import g_now, int_arg
from ..web.files import xlsx_response
from ..web.settle import settle
from .organiser import bp
from .pages import button_action, checked_form, organiser_page

BANNER_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp"}
MAX_BANNER = 2 * 1024 * 1024


@bp.route("/cuoc-thi/<slug>/thiet-lap", methods=["POST"])
@organiser_page
def contest_settings(slug):
    contest = own_contest(current_user, slug)
    try:
        checked_form()
        data = validate(ContestSettingsBody, settings_from_form(request.form)).model_dump()
        mode, password_hash = split_signin(data)  # hashed before anything is written
        update_contest(contest, data, current_user, g_now())
        set_signin(contest, mode, password_hash, current_user, g_now())
        store_banner(contest, request.files.get("banner"))
        flash(_("Đã lưu thiết lập cuộc thi."), "success")
    except DomainError as exc:
        discard_changes()
        flash(form_message(exc), "error")
    return redirect(url_for(".contest", slug=slug))


def settings_from_form(form) -> dict:
    """The settings form's fields in the API's terms (threshold typed as a percentage)."""
    threshold = form.get("unit_prize_threshold", "").replace(",", ".")
    documents = [
        dict(zip(("title", "url"), (p.strip() for p in line.split("|", 1)), strict=False))
        for line in form.get("documents", "").splitlines()
        if "|" in line
    ]
    return {
        "title": form.get("title") or None,
        "description": form.get("description"),
        "rules": form.get("rules"),
        "masking": form.get("masking") or None,
        "registration_fields": {f: form.get(f"field_{f}", "hidden") for f in PROFILE_FIELDS},
        "one_prize_per_person": form.get("one_prize_per_person") == "1",
        "unit_prize_basis": form.get("unit_prize_basis") or None,
        "unit_prize_threshold": float(threshold) / 100
        if re.fullmatch(r"[0-9]{1,3}(\.[0-9]+)?", threshold)
        else None,
        "unit_prize_count": form.get("unit_prize_count") or None,
        "unit_level": form.get("unit_level") or None,
        "documents": documents,
        **{f"final_prize_{k}": form.get(f"final_prize_{k}") or None for k in Prize.codes()},
        **signin_from_form(form),
    }


def signin_from_form(form) -> dict:
    """The sign-in mode, and the contest password: typed to set it, "remove" ticked to drop it,
    left empty to keep it."""
    secret = (
        "" if form.get("remove_contest_password") == "1" else (form.get("contest_password") or None)
    )
    return {"signin_mode": form.get("signin_mode") or None, "contest_password": secret}


def store_banner(contest, upload) -> None:
    if upload is None or not upload.filename:
        return
    data = upload.read(MAX_BANNER + 1)
    kind = next((t for magic, t in BANNER_TYPES.items() if data.startswith(magic)), None)
    if kind is None or len(data) > MAX_BANNER:
        raise Invalid(_("Ảnh biểu ngữ phải là PNG, JPEG hoặc WebP, không quá 2 MB."))
    contest.banner, contest.banner_type = data, kind


@bp.route("/cuoc-thi/<slug>/bang", methods=["POST"])
@organiser_page
def new_block(slug):
    def add(contest):
        body = block_body(request.form)
        add_block(contest, body.name, body.category, current_user, g_now())
        flash(_('Đã thêm bảng "%(n)s".', n=body.name), "success")

    return button_action(own_contest(current_user, slug), add, url_for(".contest", slug=slug))


def _prize_action(round_id, action):
    rnd = own_round(current_user, round_id)
    return button_action(rnd, action, url_for(".round_monitor", round_id=rnd.id) + "#giai")


@bp.route("/dot-thi/<int:round_id>/huy/<int:entry_id>", methods=["POST"])
@organiser_page
def void_entry(round_id, entry_id):
    def act(rnd):
        reason = void_body(request.form).reason
        prizes.void_entry(rnd, prizes.round_entry(rnd, entry_id), reason, current_user, g_now())

    return _prize_action(round_id, act)


@bp.route("/dot-thi/<int:round_id>/khoi-phuc/<int:entry_id>", methods=["POST"])
@organiser_page
def restore_entry(round_id, entry_id):
    return _prize_action(
        round_id,
        lambda rnd: prizes.restore_entry(
            rnd, prizes.round_entry(rnd, entry_id), current_user, g_now()
        ),
    )


@bp.route("/dot-thi/<int:round_id>/xac-nhan-giai", methods=["POST"])
@organiser_page
def confirm_prizes(round_id):
    return _prize_action(
        round_id, lambda rnd: (settle(rnd), prizes.confirm_prizes(rnd, current_user, g_now()))
    )


@bp.route("/dot-thi/<int:round_id>/mo-lai-giai", methods=["POST"])
@organiser_page
def reopen_prizes(round_id):
    return _prize_action(round_id, lambda rnd: prizes.reopen_prizes(rnd, current_user, g_now()))


@bp.route("/dot-thi/<int:round_id>/giai-thuong")
@organiser_page(read="read_results")
def printable_winners(round_id):
    rnd = own_round(current_user, round_id)
    settle(rnd)
    return render_template(
        "organiser/winners_print.html",
        rnd=rnd,
        winners=prizes.draft_winners(rnd),
        units=round_unit_prizes(rnd),
    )


@bp.route("/cuoc-thi/<slug>/thong-ke")
@organiser_page(read="read_results")
def dashboard_charts(slug):
    contest = own_contest(current_user, slug)
    round_ids = [r.id for r in contest.rounds]
    return render_template(
        "organiser/stats.html",
        contest=contest,
        counts=live_counts(contest),
        timeline=charts.line_chart(
            entries_over_time(contest, _bucket_hours(contest)),
            _("Lượt thi theo thời gian"),
            _("lượt"),
        ),
        scores=charts.histogram(
            [s * 100 for s in score_shares(contest)],
            list(range(0, 101, 10)),
            _("Phân bố điểm (% điểm tối đa)"),
        ),
        questions=charts.hbar_chart(_question_rates(round_ids), _("Tỉ lệ trả lời đúng")),
        units=_sorted_units(
            unit_stats(contest.unit_list_id, round_ids, level=contest.unit_level),
            request.args.get("sort"),
        ),
        sort=request.args.get("sort", "nobody"),
    )


def _bucket_hours(contest) -> int:
    span = (
        max(r.closes_at for r in contest.rounds) - min(r.opens_at for r in contest.rounds)
        if contest.rounds
        else None
    )
    return 1 if span is not None and span.days <= 3 else 24


def _question_rates(round_ids: list[int]) -> list[tuple[str, float]]:
    from question_bank.analysis import item_stats

    from ..models import Question

    stats = item_stats(attempt_results(round_ids)) if round_ids else {}
    texts = {
        q.id: q.code or q.text
        for q in db.session.scalars(db.select(Question).where(Question.id.in_(stats)))
    }
    return sorted(((texts[qid], s.facility) for qid, s in stats.items()), key=lambda r: r[1])


SORTS = {
    "rate": lambda s: -(s.participation_rate or 0),
    "participants": lambda s: -s.participants,
    "name": lambda s: s.unit.name,
    "nobody": lambda s: (s.participants > 0, s.participation_rate or 0),
}


def _sorted_units(stats, sort: str | None):
    """Units with nobody yet first (then the lowest participation), or as the organiser sorts."""
    return sorted(stats, key=SORTS.get(sort or "nobody", SORTS["nobody"]))


@bp.route("/cuoc-thi/<slug>/bat-thuong")
@organiser_page
def abuse_report(slug):
    contest = own_contest(current_user, slug)
    return render_template(
        "organiser/abuse.html",
        contest=contest,
        origins=shared_origins(
            current_user.organisation_id,
            g_now(),
            hours=int_arg("hours", 24, 1, 24 * 366),
            at_least=int_arg("at_least", 5, 2, 100000),
        ),
        fast=fast_attempts([r.id for r in contest.rounds]),
    )


@bp.route("/nhat-ky")
@organiser_page
def audit_log():
    flt, page = audit_filter(request.args), int_arg("page", 1, 1, 100000)
    entries, total = audit_page(current_user.organisation_id, flt, page)
    actions, people = audit_choices(current_user.organisation_id)
    return render_template(
        "organiser/audit.html",
        audit_sentence=sentence,
        entries=entries,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        flt=flt,
        actions=actions,
        people=people,
        action_name=action_name,
    )


@bp.route("/nhat-ky.xlsx")
@organiser_page
def audit_log_xlsx():
    data = export_audit(current_user, audit_filter(request.args), g_now())
    return xlsx_response(data, "nhat-ky-thao-tac.xlsx")
