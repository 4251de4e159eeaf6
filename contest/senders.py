"""How a password reset code reaches a participant without an organiser: one small class.

E-mail is built in (it works when MAIL_SERVER is set). SMS and Zalo are not: a deployment that
has a gateway writes one class with the two methods below and names it in the configuration,
for example RESET_CODE_SENDERS = ["mypkg.sms:ViettelSms", "contest.senders:EmailSender"] (tried
in that order; the first that can reach the account sends). Nothing here calls an outside
service unless such a class does.

    class CodeSender:
        channel = "sms"                       # kept with the code, for the record
        def __init__(self, config): ...       # the Flask config: keys, addresses
        def can_reach(self, user) -> bool: ...  # e.g. user.phone is set
        def send(self, user, code: str, expires_at_local: str) -> None: ...  # raise on failure

send() runs after the code is saved and the request's transaction is committed: it may be slow.
"""

import importlib
import smtplib
from email.message import EmailMessage

from flask_babel import gettext as _


class EmailSender:
    channel = "email"

    def __init__(self, config):
        self.config = config

    def can_reach(self, user) -> bool:
        return bool(self.config.get("MAIL_SERVER") and user.email)

    def send(self, user, code: str, expires_at_local: str) -> None:
        message = EmailMessage()
        message["From"] = self.config.get("MAIL_FROM") or "no-reply@localhost"
        message["To"] = user.email
        message["Subject"] = _("Mã đặt lại mật khẩu")
        message.set_content(
            _(
                "Xin chào %(name)s,\n\nMã đặt lại mật khẩu của bạn là: %(code)s\n"
                'Mã dùng được một lần, đến %(t)s, tại trang "Quên mật khẩu?".\n\n'
                "Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không đổi.",
                name=user.full_name,
                code=code,
                t=expires_at_local,
            )
        )
        with smtplib.SMTP(
            self.config["MAIL_SERVER"], int(self.config.get("MAIL_PORT") or 25), timeout=10
        ) as smtp:
            if self.config.get("MAIL_STARTTLS"):
                smtp.starttls()
            if self.config.get("MAIL_USERNAME"):
                smtp.login(self.config["MAIL_USERNAME"], self.config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)


def senders(config) -> list:
    """The configured senders, in order ("module:Class" names)."""
    found = []
    for name in config.get("RESET_CODE_SENDERS") or ["contest.senders:EmailSender"]:
        module, _sep, cls = name.partition(":")
        found.append(getattr(importlib.import_module(module), cls)(config))
    return found
