"""What the page blueprints share: domain errors shown as pages, form data as dicts."""
from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required

from ..auth import signin_scope


def organiser_page(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_organiser or signin_scope():
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def form_data(*names: str) -> dict:
    return {name: request.form.get(name, "").strip() for name in names}
