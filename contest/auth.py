"""Who is asking: the session cookie (Flask-Login) or a bearer token; role guards."""
from functools import wraps

from flask import current_app, request
from flask_login import current_user

from .errors import Forbidden, Unauthorised
from .extensions import db, login_manager
from .models import ApiToken, User


def init_app(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None


@login_manager.user_loader
def _load_user(user_id: str):
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@login_manager.request_loader
def _load_from_bearer(req):
    token = bearer_token(req)
    from .web import g_now
    return ApiToken.find_user(token, g_now()) if token else None


def bearer_token(req=None) -> str | None:
    header = (req or request).headers.get("Authorization", "")
    return header[7:].strip() or None if header.lower().startswith("bearer ") else None


def require_user():
    if not current_user.is_authenticated:
        raise Unauthorised()
    return current_user._get_current_object()


def require_organiser():
    user = require_user()
    if not user.is_organiser:
        raise Forbidden()
    return user


def organiser_required(view):
    """For API views: 401 anonymous, 403 participants."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        require_organiser()
        return view(*args, **kwargs)
    return wrapped


def token_days() -> int:
    return current_app.config["TOKEN_LIFETIME_DAYS"]
