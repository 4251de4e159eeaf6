"""Who is asking: the session cookie (Flask-Login) or a bearer token; role guards."""
from functools import wraps

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user

from .errors import Forbidden, Unauthorised
from .extensions import login_manager
from .models import ApiToken


def init_app(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None


SESSION_KEY = "sid"


@login_manager.user_loader
def _load_user(user_id: str):
    """The cookie's user only while its session row lives (logout deletes it)."""
    from .services.sessions import session_user
    from .web import g_now
    key = session.get(SESSION_KEY)
    if not user_id.isdigit() or not isinstance(key, str):
        return None
    return session_user(int(user_id), key, g_now())


def sign_in(user, now, remember: bool = False) -> None:
    """Log `user` in on this browser with a server-side session (the caller commits);
    "Ghi nhớ đăng nhập" keeps it 30 days, otherwise it ends with the browser or in 24 h."""
    from .services.sessions import end_session, start_session
    end_session(session.get(SESSION_KEY))  # signing in again replaces this browser's session
    key = start_session(user, now, remember)
    login_user(user)
    session[SESSION_KEY] = key
    session.permanent = remember


def sign_out(everywhere: bool = False) -> None:
    """End this browser's session on the server (and with `everywhere`, every session and
    token of the account); the caller commits."""
    from .services.sessions import end_every_session, end_session
    if everywhere and current_user.is_authenticated:
        end_every_session(current_user._get_current_object())
    end_session(session.get(SESSION_KEY))
    logout_user()
    session.pop(SESSION_KEY, None)


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
