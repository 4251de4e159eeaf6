"""What the page blueprints share: domain errors shown as pages, form data as dicts."""

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..auth import can, signin_scope
from ..errors import DomainError, Invalid
from ..schemas.forms import form_message
from ..transaction import discard_changes


def organiser_page(view=None, *, capability: str = "run_contests", read: str | None = None):
    """A page of the organiser area: who may open it is `capability` (contest/auth.py `can`);
    with `read`, a GET or HEAD needs only that one (a viewer reads what an organiser edits).
    `@organiser_page` alone is `run_contests`."""
    if view is None:
        return lambda v: organiser_page(v, capability=capability, read=read)

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        needed = read if read and request.method in ("GET", "HEAD") else capability
        if signin_scope() or not can(current_user, needed):
            abort(403)
        return view(*args, **kwargs)

    wrapped.capability, wrapped.read_capability = capability, read  # the access matrix reads them
    return wrapped


def staff_home(user) -> str | None:
    """Where a member of an organisation's team lands after signing in (None: not staff)."""
    if can(user, "read_results"):
        return url_for("organiser.dashboard")
    if can(user, "unit_focal"):
        return url_for("organiser.focal")
    if can(user, "manage_organisations"):
        return url_for("admin.organisations_page")
    return None


def form_data(*names: str) -> dict:
    return {name: request.form.get(name, "").strip() for name in names}


def form_errors(exc: DomainError) -> dict:
    """A refused form: what the request wrote is undone, and the errors by field ("_": the
    whole form) go back to the page."""
    discard_changes()
    return exc.fields or {"_": exc.message}


def checked_form() -> None:
    """The posted form's CSRF token, else Invalid (the session has run out)."""
    if not FlaskForm().validate_on_submit():
        raise Invalid(_("Phiên làm việc đã hết hạn, hãy tải lại trang."))


def button_action(target, action, back: str):
    """A button's POST on `target` (a round, a contest): the form checked, then
    `action(target)`; a refusal is undone and flashed. Either way, back to `back`."""
    try:
        checked_form()
        action(target)
    except DomainError as exc:
        discard_changes()
        flash(form_message(exc), "error")
    return redirect(back)


def row_change(change, refused, back: str, done: str | None = None):
    """A change posted from a row of a list page: the form checked (else back to `back`, with
    a message), then `change()` gives the success message and the page goes to `done` (else
    `back`). A refusal is undone and answered by `refused(exc)`, the page again with the row's
    error; an unknown row stays a 404."""
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn: hãy tải lại trang rồi thử lại."), "error")
        return redirect(back)
    try:
        message = change()
    except DomainError as exc:
        discard_changes()
        if exc.status == 404:
            raise
        return refused(exc)
    flash(message, "success")
    return redirect(done or back)
