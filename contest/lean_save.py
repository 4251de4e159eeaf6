"""The answer save, served without Flask's request machinery when it is an ordinary one.

`PUT /api/v1/attempts/<id>/answers/<qid>` is most of a contest's traffic. Flask's request and app
contexts, routing, Flask-Login, Flask-Limiter's bookkeeping and the ORM cost about three times the
save itself (scripts/load/count_queries.py --profile save). This WSGI middleware, inside ProxyFix
and before Flask, serves the ordinary save: a JSON body the API's schema takes, a current bearer
token or a current session cookie with its CSRF token, under the save limit. It keeps every rule
by calling the same functions: the body is validated by the API's `validate(AnswerBody, ...)`,
the limit is `ratelimit.count_save`, the save is `services.attempts.save_answer` (ownership,
deadline + grace, status, choices of the question, seq) in one transaction on one connection.

Anything else goes to the Flask route untouched, which answers exactly as before: no or unknown
credentials, a body the schema refuses, a save refused by a rule (another's attempt, after the
deadline: Flask expires it and answers 409), the limit reached, a session cookie Flask would
rewrite (a remembered or permanent session, a changed address or browser, a contest-scoped
sign-in), what Flask refuses before any view and a database failure (contest/lean_refusals.py).
Nothing is written before the hand-over: a refused save rolls back first.
"""

import hmac
import io
import re
from datetime import datetime

from flask import Flask
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from werkzeug.http import parse_cookie

from . import timing
from .auth import SCOPE_KEY, SESSION_KEY
from .errors import DomainError
from .extensions import db, login_manager
from .lean_refusals import database_errors, flask_refuses, hand_over_failure
from .models.accounts import ApiToken, User, UserSession
from .models.attempts import Attempt
from .ratelimit import count_save, limit_headers
from .raw_sql import raw
from .web.device import DEVICE_COOKIE, device_cookie_header
from .web.headers import SECURITY_HEADERS

PATH = re.compile(r"/api/v1/attempts/([1-9][0-9]{0,14})/answers/([1-9][0-9]{0,14})")
ATTEMPT_PATH = re.compile(r"/api/v1/attempts/([1-9][0-9]{0,14})")  # contest/lean_read.py
COUNTED = "contest.save_counted"  # environ key: this save was counted against the limit
MAX_BODY = 4096  # an answer body is tens of bytes; a larger one goes the long way


class _HandOver(Exception):
    """Raised inside the transaction: roll back, and let the Flask route answer."""


class LeanSave:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.next = wsgi_app
        self._engine = None

    def __call__(self, environ, start_response):
        reply = None
        method = environ.get("REQUEST_METHOD")
        if method == "PUT" and self.app.config.get("LEAN_SAVE", True):
            match = PATH.fullmatch(environ.get("PATH_INFO", ""))
            if match:
                reply = self.serve(environ, int(match[1]), int(match[2]))
        elif method == "GET" and self.app.config.get("LEAN_READ", True):
            match = ATTEMPT_PATH.fullmatch(environ.get("PATH_INFO", ""))
            if match and not environ.get("QUERY_STRING"):
                reply = self.serve_attempt(environ, int(match[1]))
        if reply is not None:
            status, headers, body = reply
            start_response(status, headers)
            return [body]
        return self.next(environ, start_response)

    @property
    def engine(self):
        if self._engine is None:
            with self.app.app_context():  # the app's engine, once
                self._engine = db.engine
        return self._engine

    def serve_attempt(self, environ, attempt_id: int):
        """GET /api/v1/attempts/<id> when it is an ordinary one (contest/lean_read.py), or None
        to hand the request to Flask."""
        from .lean_read import read_attempt

        if attempt_id > 2**31 - 1 or flask_refuses(self.app, environ):
            return None
        now = timing.utcnow()
        cookies = parse_cookie(environ)
        try:
            with self.engine.begin() as conn:
                user_id = self._user_id(environ, cookies, conn, now, attempt_id, csrf=False)
                data = read_attempt(conn, user_id, attempt_id, now)
        except (_HandOver, DomainError):
            return None
        except database_errors(self.engine) as exc:
            return hand_over_failure(self.app, environ, exc)
        if data is None:
            return None
        return self._reply(self._json(data), cookies)

    def _json(self, data: dict) -> bytes:
        """The body Flask's JSON provider makes of a view's dict (DefaultJSONProvider.response)."""
        provider = self.app.json
        compact = getattr(provider, "compact", None)
        if (compact is None and self.app.debug) or compact is False:
            text = provider.dumps(data, indent=2)
        else:
            text = provider.dumps(data, separators=(",", ":"))
        return f"{text}\n".encode()

    def serve(self, environ, attempt_id: int, question_id: int):
        """The response of an ordinary save, or None to hand the request to Flask."""
        from .schemas.bodies import AnswerBody
        from .schemas.validate import validate

        if max(attempt_id, question_id) > 2**31 - 1:  # the BoundedInt converter's 404
            return None
        if flask_refuses(self.app, environ):
            return None
        raw = _json_body(environ)
        if raw is None:
            return None
        try:
            data = self.app.json.loads(raw)
            body = validate(AnswerBody, data) if isinstance(data, dict) else None
        except (ValueError, DomainError):
            return None
        if body is None:
            return None
        now = timing.utcnow()
        cookies = parse_cookie(environ)
        try:
            with self.engine.begin() as conn:
                user_id = self._user_id(environ, cookies, conn, now, attempt_id)
                window = count_save(user_id, attempt_id, self.app.config)
                environ[COUNTED] = (user_id, attempt_id, window)  # the route counts no more
                if window and not window.allowed:  # over the limit: the route answers 429
                    raise _HandOver
                saved = _save(conn, user_id, attempt_id, question_id, body, now)
        except (_HandOver, DomainError):
            return None
        except database_errors(self.engine) as exc:  # rolled back by begin(): Flask's 500
            return hand_over_failure(self.app, environ, exc)
        return self._response(saved, now, window, cookies)

    def _user_id(
        self, environ, cookies, conn, now: datetime, attempt_id: int, csrf: bool = True
    ) -> int:
        """The caller, read with the attempt's owner in the same statement, before any lock:
        an attempt of someone else (or none) is handed over, so that a flood of saves to
        others' attempt ids never takes SQLite's write lock (the route answers 404 unlocked)."""
        header = environ.get("HTTP_AUTHORIZATION", "")
        if header.lower().startswith("bearer "):
            token = header[7:].strip()
            row = token and raw(_token_user_id(), conn.dialect).first(
                conn, {"token_hash": ApiToken.digest(token), "now": now, "attempt_id": attempt_id}
            )
        else:
            row = self._cookie_user_id(environ, cookies, conn, now, attempt_id, csrf)
        user_id = row and row.user_id
        if not user_id or row.owner != user_id:
            raise _HandOver
        return user_id

    def _cookie_user_id(self, environ, cookies, conn, now: datetime, attempt_id: int, csrf=True):
        """The session cookie's user, where Flask would neither refuse nor rewrite the cookie,
        and the CSRF token is the session's (Flask-WTF's protect(), as the API asks of cookies)."""
        app = self.app
        serializer = _session_serializer(app)
        cookie = cookies.get(app.config["SESSION_COOKIE_NAME"])
        if serializer is None or not cookie:
            return None
        try:
            session = serializer.loads(
                cookie, max_age=int(app.permanent_session_lifetime.total_seconds())
            )
        except BadData:
            return None
        user_id, key = session.get("_user_id"), session.get(SESSION_KEY)
        if not (isinstance(user_id, str) and user_id.isdigit() and isinstance(key, str)):
            return None
        if session.get("_permanent") or "_remember" in session or session.get(SCOPE_KEY):
            return None  # Flask re-sends or rewrites such a cookie; a scope is checked there
        mode = app.config.get("SESSION_PROTECTION", login_manager.session_protection)
        if (
            mode in ("basic", "strong")
            and session.get("_id") != _identifier(environ)
            and (mode == "strong" or session.get("_fresh") is not False)
        ):
            return None  # Flask-Login ends the session (strong) or marks it not fresh: a write
        if csrf and not _csrf_ok(app, environ, session):
            return None
        values = {"user_id": int(user_id), "key_hash": ApiToken.digest(key), "now": now}
        return raw(_session_user_id(), conn.dialect).first(
            conn, values | {"attempt_id": attempt_id}
        )

    def _response(self, saved: int, now: datetime, window, cookies) -> tuple:
        """What the Flask route sends for a save (the same headers: JSON, security headers,
        Vary, the device cookie, the limit), as a bare WSGI reply: a werkzeug Response and its
        header bookkeeping cost a fifth of the save."""
        body = f'{{"saved_seq":{saved},"server_now":"{timing.iso(now)}"}}\n'.encode()
        return self._reply(body, cookies, window)

    def _reply(self, body: bytes, cookies, window=None) -> tuple:
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            *SECURITY_HEADERS,
            ("Vary", "Cookie"),
        ]
        if DEVICE_COOKIE not in cookies:  # as contest/web/device.py does after every request
            secure = self.app.config["SESSION_COOKIE_SECURE"]
            headers.append(("Set-Cookie", device_cookie_header(secure)))
        if window:
            limit_headers(_HeaderList(headers), window)
        return "200 OK", headers, body


class _HeaderList:
    """`headers[name] = value` appends to a WSGI header list (limit_headers writes so)."""

    def __init__(self, headers: list):
        self.headers = headers

    def __setitem__(self, name: str, value: str) -> None:
        self.headers.append((name, value))


def _json_body(environ) -> bytes | None:
    """The body of a JSON request of a sensible size; the stream is put back for Flask."""
    mimetype, _, params = environ.get("CONTENT_TYPE", "").partition(";")
    if mimetype.strip().lower() != "application/json":
        return None
    if params.strip() and params.strip().lower().replace(" ", "") != "charset=utf-8":
        return None
    length = environ.get("CONTENT_LENGTH", "")
    if not length.isdigit() or not 0 < int(length) <= MAX_BODY:
        return None
    raw = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw if len(raw) == int(length) else None


def _save(conn, user_id: int, attempt_id: int, question_id: int, body, now: datetime) -> int:
    from .services.saves import save_answer

    try:
        return save_answer(user_id, attempt_id, question_id, body.choices, body.seq, now, conn)
    except DomainError:
        raise
    except Exception as exc:  # a 404 (werkzeug's NotFound) among them: the route says it
        if getattr(exc, "code", None) is None:
            raise
        raise _HandOver from None


def _csrf_ok(app: Flask, environ, session: dict) -> bool:
    """Flask-WTF's validate_csrf and its HTTPS referrer check, on the WSGI environ."""
    if "PUT" not in app.config["WTF_CSRF_METHODS"]:
        return True
    names = app.config["WTF_CSRF_HEADERS"]
    sent = next(
        (v for v in (environ.get("HTTP_" + n.upper().replace("-", "_")) for n in names) if v),
        None,
    )
    field = app.config["WTF_CSRF_FIELD_NAME"]
    if not sent or field not in session:
        return False
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    try:
        token = _csrf_serializer(secret).loads(sent, max_age=app.config["WTF_CSRF_TIME_LIMIT"])
    except BadData:
        return False
    if not (isinstance(token, str) and hmac.compare_digest(session[field], token)):
        return False
    if environ.get("wsgi.url_scheme") == "https" and app.config["WTF_CSRF_SSL_STRICT"]:
        referrer = environ.get("HTTP_REFERER")
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        return bool(referrer) and same_origin(referrer, f"https://{host}/")
    return True


def _session_serializer(app: Flask):
    """Flask's signing serializer of session cookies, made once per secret key (making one
    costs as much as checking a signature)."""
    key = ("session", app.secret_key)
    if key not in _SERIALIZERS:
        _SERIALIZERS[key] = app.session_interface.get_signing_serializer(app)
    return _SERIALIZERS[key]


def _csrf_serializer(secret) -> URLSafeTimedSerializer:
    """Flask-WTF's CSRF token serializer (validate_csrf makes the same), once per secret."""
    key = ("csrf", secret)
    if key not in _SERIALIZERS:
        _SERIALIZERS[key] = URLSafeTimedSerializer(secret, salt="wtf-csrf-token")
    return _SERIALIZERS[key]


_SERIALIZERS: dict = {}


def _identifier(environ) -> str:
    """Flask-Login's session identifier (flask_login.utils._create_identifier) from the environ."""
    from hashlib import sha512

    address = environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR"))
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    agent = environ.get("HTTP_USER_AGENT")
    if agent is not None:
        agent = agent.encode("utf-8")
    return sha512(f"{address}|{agent}".encode()).hexdigest()


_STATEMENTS: dict = {}


def _owner():
    """The owner of the attempt being saved to (NULL when there is no such attempt)."""
    attempts = Attempt.__table__.c
    return (
        select(attempts.user_id)
        .where(attempts.id == bindparam("attempt_id"))
        .scalar_subquery()
        .label("owner")
    )


def _token_user_id():
    """The user of a current token (the same condition as ApiToken.find_user), and the owner."""
    if "token" not in _STATEMENTS:
        tokens = ApiToken.__table__.c
        _STATEMENTS["token"] = select(tokens.user_id, _owner()).where(
            tokens.token_hash == bindparam("token_hash"),
            tokens.expires_at > bindparam("now", type_=tokens.expires_at.type),
        )
    return _STATEMENTS["token"]


def _session_user_id():
    """The user of a current session (the same condition as services.sessions.session_user),
    and the owner."""
    if "session" not in _STATEMENTS:
        sessions, users = UserSession.__table__.c, User.__table__.c
        _STATEMENTS["session"] = (
            select(users.id.label("user_id"), _owner())
            .join_from(User.__table__, UserSession.__table__, sessions.user_id == users.id)
            .where(
                users.id == bindparam("user_id"),
                sessions.key_hash == bindparam("key_hash"),
                sessions.expires_at > bindparam("now", type_=sessions.expires_at.type),
            )
        )
    return _STATEMENTS["session"]
