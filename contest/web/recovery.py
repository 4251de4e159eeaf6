"""Sending a reset code, shared by the API and the sign-in page."""

import smtplib

from flask import after_this_request, current_app
from flask_babel import lazy_gettext as _l

from .. import timing
from ..senders import senders
from ..services import recovery
from .clock import g_now

SENT = _l(
    "Nếu thông tin này thuộc một tài khoản có e-mail, mã đặt lại mật khẩu đã được gửi "
    "tới đó. Hãy kiểm tra hộp thư (cả thư rác)."
)


def deliver_reset_code(login: str) -> None:
    """Make a code when an account fits, and send it once the request's transaction has
    committed (slow work, nothing locked); the same outcome for the caller either way."""
    found = recovery.code_to_send(login[:200], g_now(), senders(current_app.config))
    if found is None:
        return
    sender, code, expires_at, account = found

    @after_this_request
    def send(response):
        try:
            sender.send(account, code, timing.format_local(expires_at, "%H:%M %d/%m/%Y"))
        except (OSError, smtplib.SMTPException):
            current_app.logger.exception(
                "reset code not sent to user %s by %s", account.id, sender.channel
            )
        return response
