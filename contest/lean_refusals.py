"""What the lean paths (contest/lean_save.py: a save, the load of one's attempt) leave to
Flask's own answers: a request Flask refuses before any view reads it (a NUL in the query
string, web.inputs.refuse_nul's 400; a Host outside TRUSTED_HOSTS, Werkzeug's 400), and a
database failure. A failure was rolled back by the lean path's transaction; the request is
handed over marked FAILED and Flask answers it as it answers a view that raised (the API's
JSON 500) without running the route, so the work is not tried twice."""

from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import InternalServerError, SecurityError
from werkzeug.wsgi import get_host

FAILED = "contest.lean_failed"  # environ key: the lean path failed in the database


def flask_refuses(app: Flask, environ) -> bool:
    query = environ.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        return True
    trusted = app.config["TRUSTED_HOSTS"]
    if trusted is None:
        return False
    try:
        get_host(environ, trusted)
    except SecurityError:
        return True
    return False


def database_errors(engine) -> tuple:
    """SQLAlchemy's errors and the driver's own: contest/raw_sql.py runs statements on the
    DBAPI cursor, whose errors SQLAlchemy never wraps (a lost connection also fails the
    transaction's rollback, which SQLAlchemy sees and takes the connection out of the pool)."""
    return (SQLAlchemyError, engine.dialect.loaded_dbapi.Error)


def hand_over_failure(app: Flask, environ, exc: Exception) -> None:
    """After the rollback: re-raised where Flask re-raises a view's error (testing, debug);
    else logged, and the request marked for Flask's 500."""
    propagate = app.config["PROPAGATE_EXCEPTIONS"]
    if (app.testing or app.debug) if propagate is None else propagate:
        raise exc
    app.logger.error("lean path failed in the database", exc_info=exc)
    environ[FAILED] = exc


def answer_failed() -> None:
    """A before_request hook: a request whose lean path failed gets Flask's 500."""
    failed = request.environ.get(FAILED)
    if failed is not None:
        raise InternalServerError(original_exception=failed)
