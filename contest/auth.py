"""Who is asking: the session cookie (Flask-Login) or, on the API, a bearer token; role guards.

A route says once who may call it (the API's `route(auth=...)`, a page's `organiser_page` or
`login_required`); the view then takes the caller with `user()`, checking nothing again.
A bearer token is resolved in one place, `bearer_user()`, when an API request begins."""
from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
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


def bearer_user(token: str, now) -> User:
    """The token's account as this request's user (it wins over any cookie); 401 if the token
    is unknown or expired."""
    user = ApiToken.find_user(token, now)
    if user is None:
        raise Unauthorised(_l("Mã truy cập (token) không hợp lệ hoặc đã hết hạn."))
    g._login_user = user  # Flask-Login's per-request user
    return user


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


def user():
    """The caller, once the route has checked who may call it."""
    return current_user._get_current_object()


def token_days() -> int:
    return current_app.config["TOKEN_LIFETIME_DAYS"]
