"""What every request goes through on its way in and out: input guards, security headers,
the device cookie, the request clock and the template filters. `init_app` wires them all."""

from . import device, filters, headers, inputs
from .clock import g_now
from .device import origin
from .inputs import int_arg, json_text, limit_arg

__all__ = ["g_now", "init_app", "int_arg", "json_text", "limit_arg", "origin"]


def init_app(app) -> None:
    # first of all, before even the CSRF check, which reads the form
    app.before_request_funcs.setdefault(None, []).insert(0, inputs.refuse_nul)
    app.after_request(headers.security_headers)
    app.after_request(device.device_cookie)
    filters.init_app(app)
