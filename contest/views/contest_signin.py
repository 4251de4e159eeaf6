"""The sign-in page of a contest that uses phone + CCCD or phone + birth date (and maybe a
contest password): services/signin.py says who may enter and what the session reaches."""

from flask import redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from .. import challenge
from ..auth import sign_in
from ..challenge import ChallengeRequired
from ..errors import DomainError
from ..ratelimit import login_limits
from ..services.contests import contest_by_slug
from ..services.signin import authenticate_for_contest
from ..transaction import discard_changes
from ..web import g_now
from .auth import bp
from .pages import form_data


@bp.route("/cuoc-thi/<slug>/dang-nhap", methods=["GET", "POST"])
@login_limits(lambda: request.form.get("phone", "")[:200])
def contest_signin(slug):
    contest = contest_by_slug(slug)
    if contest.signin_mode == "password":
        return redirect(url_for("auth.login", next=url_for("public.contest", slug=slug)))
    form, error, status = FlaskForm(), None, 200
    data = form_data("phone", "cccd", "birth_date")
    if form.validate_on_submit():
        try:
            challenge.gate()
            secret = data["cccd"] if contest.signin_mode == "phone_cccd" else data["birth_date"]
            user = authenticate_for_contest(
                contest,
                data["phone"][:200],
                secret[:40],
                request.form.get("contest_password", "")[:200],
            )
            sign_in(
                user,
                g_now(),
                remember=bool(request.form.get("remember")),
                scope=contest.signin_mode,
            )
            return redirect(url_for("public.contest", slug=slug))
        except DomainError as exc:
            discard_changes()
            error, status = exc.message, exc.status
            if isinstance(exc, ChallengeRequired):
                status = 428
    return render_template(
        "auth/contest_signin.html",
        form=form,
        contest=contest,
        data=data,
        error=error,
        challenge_needed=challenge.needed(),
    ), status
