"""Blueprints and the app-wide error pages (the request's changes are already rolled back by
its owner, contest/transaction.py, when a handler runs)."""

from flask import render_template, request
from flask.globals import request_ctx
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from ..errors import DomainError


def register(app) -> None:
    from . import (  # noqa: F401
        admin,
        api,
        auth,
        contest_signin,
        invitations,
        join,
        organiser,
        organiser_banks,
        organiser_contests,
        organiser_drafts,
        organiser_final_prizes,
        organiser_focal,
        organiser_people,
        organiser_recognition,
        organiser_recovery,
        organiser_rounds,
        organiser_staff,
        organiser_units,
        public,
        recognition,
        take,
    )

    app.register_blueprint(api.bp)
    for module in (auth, public, take, organiser, recognition, invitations, admin):
        app.register_blueprint(module.bp)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DomainError, _domain_error_page)


def _domain_error_page(exc: DomainError):
    return render_template("error.html", error=exc), exc.status


def _http_error(exc: HTTPException):
    if request.path.startswith("/api/"):
        from .api import api_http_error

        return api_http_error(exc)
    if getattr(request_ctx, "url_adapter", None) is None:  # a Host outside TRUSTED_HOSTS
        return _bare_error_page(exc)
    return render_template("error.html", error=exc), exc.code


def _bare_error_page(exc: HTTPException):
    """The error page of a request Flask could not route (its Host is not one of the site's):
    no template, whose links need the router, and no link at all."""
    from flask_babel import gettext as _

    text = escape(_("Địa chỉ trang không hợp lệ: hãy mở trang từ địa chỉ chính thức của cuộc thi."))
    html = (
        '<!doctype html><html lang="vi"><meta charset="utf-8">'
        f"<title>{exc.code}</title><p>{text}</p></html>"
    )
    return html, exc.code, {"Content-Type": "text/html; charset=utf-8"}
