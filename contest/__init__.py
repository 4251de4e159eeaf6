"""The contest platform: create_app(config=None) builds the Flask app."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .config import load_config
from .extensions import babel, cache, csrf, db, limiter, login_manager, migrate
from .transaction import App

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    # CONTEST_INSTANCE_PATH gives each host (or each instance on one machine) its own folder for
    # instance/config.py and the SQLite file; the default is <checkout>/instance.
    instance = os.environ.get("CONTEST_INSTANCE_PATH") or str(ROOT / "instance")
    app = App(
        __name__,
        instance_relative_config=True,
        instance_path=os.path.abspath(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, config)
    from .jsonbody import BoundedJSONProvider

    app.json = BoundedJSONProvider(app)  # deep or huge JSON is a 400, never a 500
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _init_extensions(app)
    app.url_map.converters["int"] = BoundedInt
    from .lean_refusals import answer_failed
    from .lean_save import LeanSave

    app.wsgi_app = LeanSave(app, app.wsgi_app)  # the ordinary answer save, before Flask
    app.before_request(answer_failed)  # a lean path's database failure: Flask's own 500
    if app.config["PROXY_FIX_HOPS"]:  # behind nginx: the client's address for rate limits
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from . import auth, cli, i18n, scheduler, transaction, views, web

    app.register_blueprint(i18n.bp)  # GET /ngon-ngu/<code>: the language switcher
    auth.init_app(app)
    web.init_app(app)
    transaction.init_app(app)
    views.register(app)
    cli.register(app)
    scheduler.init_app(app)
    return app


class BoundedInt(IntegerConverter):
    """Ids in URLs fit a database integer; a larger number is simply not found (404)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=0, max=2**31 - 1)


def _migrated_by_hand(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic cannot compare the expression index on entries (score DESC): it is written in
    the migration by hand, and autogenerate leaves it alone."""
    return not (type_ == "index" and name == "ix_entry_rank")


def _init_extensions(app: Flask) -> None:
    from . import models, ratelimit, sqlite  # noqa: F401  (tables; limit storage; pragmas)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        include_object=_migrated_by_hand,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    from .i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    cache.init_app(app)
