"""Translation marker usable without Flask: lazy strings resolve in an app context, else as is."""

try:
    from flask_babel import lazy_gettext as _l
except ImportError:  # pragma: no cover - flask_babel is a dependency; this keeps the package usable

    def _l(text, **kwargs):
        return text % kwargs if kwargs else text


__all__ = ["_l"]
