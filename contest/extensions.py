"""Flask extensions, created unbound; create_app binds them. Imports nothing of ours."""

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
cache = Cache()


def cached_value(key: str, ttl: int, make):
    """`make()`, kept `ttl` seconds in the cache under `key`; ttl 0 (or less): made each time."""
    if ttl <= 0:
        return make()
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, timeout=ttl)
    return value
