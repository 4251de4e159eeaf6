"""Who is asking: the session cookie (Flask-Login) or, on the API, a bearer token; role guards.

A route says once who may call it (the API's `route(auth=...)`, a page's `organiser_page` or
`login_required`); the view then takes the caller with `user()`, checking nothing again.
A bearer token is resolved in one place, `bearer_user()`, when an API request begins."""

from flask import current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from .errors import Forbidden, Unauthorised
from .extensions import login_manager
from .models import ApiToken, User


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


def sign_in(user, now, remember: bool = False, scope: str | None = None) -> None:
    """Log `user` in on this browser with a server-side session (the request commits it);
    "Ghi nhớ đăng nhập" keeps it 30 days, otherwise it ends with the browser or in 24 h.
    A `scope` (a contest's sign-in mode, services/signin.py) limits the session to contests
    signed in that way; a sign-in without one is a full session again."""
    from .services.sessions import end_session, start_session

    end_session(session.get(SESSION_KEY))  # signing in again replaces this browser's session
    key = start_session(user, now, remember)
    login_user(user)
    session[SESSION_KEY] = key
    session.permanent = remember
    if scope:
        session[SCOPE_KEY] = scope
    else:
        session.pop(SCOPE_KEY, None)


SCOPE_KEY = "scope"


def signin_scope() -> str | None:
    """The sign-in mode this browser's session is limited to, if any (a bearer token never
    is: a scoped sign-in issues none)."""
    if g.get("_login_user") is not None and bearer_token():
        return None
    scope = session.get(SCOPE_KEY)
    return scope if isinstance(scope, str) else None


def sign_out(everywhere: bool = False) -> None:
    """End this browser's session on the server (and with `everywhere`, every session and
    token of the account); the request commits it."""
    from .services.sessions import end_every_session, end_session

    if everywhere and current_user.is_authenticated:
        end_every_session(current_user._get_current_object())
    end_session(session.get(SESSION_KEY))
    logout_user()
    session.pop(SESSION_KEY, None)
    session.pop(SCOPE_KEY, None)


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


# What each role of an organisation's team may do. One check, `can`, answers for the pages'
# `organiser_page(...)`, the API's `route(auth=...)` and the templates.
CAPABILITIES = {
    "manage_people": ("admin",),  # the team: invite, change, remove
    "manage_settings": ("admin",),  # the organisation's own settings
    "run_contests": ("admin", "organiser"),  # contests, rounds, banks, units...
    "read_results": ("admin", "organiser", "viewer"),  # results, rankings and exports
    "reset_codes": ("admin", "organiser", "focal"),  # a focal person: own unit's members
    "unit_focal": ("focal",),  # the own unit's participation page
}
INSTANCE = "manage_organisations"  # the instance administrator's, whatever the role


def can(user, capability: str, organisation=None) -> bool:
    """Whether `user` may do `capability` (in `organisation`, an Organisation or its id, when
    given: never in another one's)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if capability == INSTANCE:
        return bool(user.is_instance_admin)
    if user.role not in CAPABILITIES[capability]:
        return False
    if capability == "unit_focal" and user.focal_unit_id is None:
        return False
    if organisation is not None:
        org_id = organisation if isinstance(organisation, int) else organisation.id
        return user.organisation_id == org_id
    return True


def require(capability: str):
    """The caller, if they may do `capability`: 401 for nobody, 403 for anyone else."""
    user = require_user()
    if signin_scope() or not can(user, capability):
        raise Forbidden()
    return user


def user():
    """The caller, once the route has checked who may call it."""
    return current_user._get_current_object()


def token_days() -> int:
    return current_app.config["TOKEN_LIFETIME_DAYS"]
