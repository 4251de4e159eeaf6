"""Recognition pages: certificate verification (the QR's address), a participant's
certificates, the contest's standings over its closed rounds, and each round's bulletin."""

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import login_required
from flask_wtf import FlaskForm

from ..auth import user
from ..bulletin_image import bulletin_png
from ..errors import NotFound
from ..extensions import cached_value, limiter
from ..presenters.announcements import bulletin_json, standings_json
from ..presenters.certificates import certificate_json, verification_json
from ..services import certificates as certs
from ..services.contests import contest_by_slug
from ..services.lookup import find_person, own_results, parse_birth_date
from ..services.prizes import unit_awards
from ..web import g_now
from ..web.settle import closed_round

bp = Blueprint("recognition", __name__)


@bp.route("/xac-thuc/<code>")
def verify(code):
    try:
        result = verification_json(certs.by_code(code))
    except NotFound:
        return render_template("recognition/verify.html", result=None, code=code), 404
    return render_template("recognition/verify.html", result=result, code=code)


@bp.route("/giay-chung-nhan")
@login_required
def my_certificates():
    mine = certs.user_certificates(user().id)
    return render_template(
        "recognition/mine.html",
        certificates=[
            certificate_json(c) | {"valid": certs.certificate_status(c).valid} for c in mine
        ],
    )


@bp.route("/cuoc-thi/<slug>/xep-hang-chung")
def standings(slug):
    contest = contest_by_slug(slug)
    data = standings_json(contest, 100)
    round_ids = [r["id"] for r in data["rounds"]]
    units = unit_awards(contest, round_ids, cache_s=current_app.config["LEADERBOARD_CACHE_S"])
    return render_template(
        "recognition/standings.html", contest=contest, data=data, units=units if round_ids else []
    )


@bp.route("/dot-thi/<int:round_id>/ban-tin")
def bulletin(round_id):
    rnd = closed_round(round_id)
    return render_template("recognition/bulletin.html", rnd=rnd, b=bulletin_json(rnd))


@bp.route("/dot-thi/<int:round_id>/ban-tin.png")
def bulletin_image(round_id):
    """The link preview (Zalo, Facebook: 1200 × 630 PNG), drawn on the server."""
    rnd = closed_round(round_id)
    data = cached_value(
        f"bulletin.png:{rnd.id}:{rnd.prizes_confirmed_at}",
        600 if current_app.config["LEADERBOARD_CACHE_S"] > 0 else 0,
        lambda: bulletin_png(rnd, bulletin_json(rnd)),
    )
    return Response(data, mimetype="image/png", headers={"Cache-Control": "public, max-age=600"})


def _lookup_phone_key() -> str:
    from ..services.accounts import normalise_phone

    return "lookup:" + normalise_phone(request.form.get("phone", ""))


@bp.route("/tra-cuu", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOOKUP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATE_LIMIT_LOOKUP_PHONE"],
    methods=["POST"],
    key_func=_lookup_phone_key,
)
def self_lookup():
    """A person's own results and certificates by phone plus CCCD or birth date."""
    form, found, tried = FlaskForm(), None, False
    if form.validate_on_submit():
        tried = True
        user = find_person(
            request.form.get("phone", ""),
            request.form.get("cccd", ""),
            parse_birth_date(request.form.get("birth_date", "")),
        )
        if user is not None:
            found = own_results(user)
    statuses = (
        {c.id: certs.certificate_status(c).valid for c in found.certificates} if found else {}
    )
    return render_template(
        "recognition/lookup.html",
        form=form,
        found=found,
        tried=tried,
        statuses=statuses,
        now=g_now(),
    )
