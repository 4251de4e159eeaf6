"""A self-hosted proof-of-work challenge (ALTCHA) that appears only once an address passes a
threshold of sign-in and registration tries.

An office of 100 behind one NAT address registers and logs in without ever being turned away:
the per-address limits are high (300 a minute), and past RATE_LIMIT_CHALLENGE_AFTER a minute
each further try from that address must carry a solved challenge. A browser solves it in the
form's widget (static/vendor/altcha, no outside service) in well under a second; a script
flooding from one address pays the work on every try. The counts live in the rate limiter's
storage: with REDIS_URL, every worker and host shares them, and a solution spent once is
refused everywhere after.

API: a guarded call over the threshold without a solution answers 428 `challenge_required`
with `challenge_url`; the client fetches GET /api/v1/challenge, solves it (altcha's solver, or
the widget), and sends the payload back as the body's `altcha` field (pages: the form field
`altcha`, which the widget fills).
"""

import hashlib
import time

import altcha
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from .errors import DomainError
from .extensions import limiter

ALGORITHM = "PBKDF2/SHA-256"
CHALLENGE_URL = "/api/v1/challenge"


class ChallengeRequired(DomainError):
    status, code = 428, "challenge_required"
    default_message = _l(
        "Có nhiều lượt đăng nhập, đăng ký từ cùng địa chỉ mạng này. Hãy xác "
        "minh bạn không phải máy (trình duyệt tự làm trong giây lát)."
    )

    def __init__(self, message=None):
        super().__init__(message)
        self.details = {"challenge_url": CHALLENGE_URL}


def _secret(purpose: str) -> bytes:
    return hashlib.sha256(f"altcha:{purpose}:{current_app.config['SECRET_KEY']}".encode()).digest()


def _threshold():
    return parse(current_app.config["RATE_LIMIT_CHALLENGE_AFTER"])


def _counter() -> FixedWindowRateLimiter:
    return FixedWindowRateLimiter(limiter.storage)


def needed() -> bool:
    """This address has passed the threshold: its next try must carry a solved challenge."""
    if not current_app.config["CHALLENGE_ENABLED"]:
        return False
    return not _counter().test(_threshold(), "challenge", get_remote_address())


def new_challenge() -> dict:
    """A signed challenge (valid CHALLENGE_TTL_S) in the form the widget and altcha's solver
    read."""
    config = current_app.config
    challenge = altcha.create_challenge(
        ALGORITHM,
        config["CHALLENGE_COST"],
        expires_at=int(time.time()) + config["CHALLENGE_TTL_S"],
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def solved(payload) -> bool:
    """A correct, unexpired solution to one of our challenges, not spent before."""
    if not isinstance(payload, str) or not payload or len(payload) > 4000:
        return False
    result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    if not result.verified:
        return False
    spent = limiter.storage.incr(
        "altcha-spent:" + hashlib.sha256(payload.encode()).hexdigest(),
        current_app.config["CHALLENGE_TTL_S"],
    )
    return spent == 1


def payload_of_request() -> str | None:
    """The solution the request carries: the form field, or the JSON body's `altcha`."""
    if request.form.get("altcha"):
        return request.form["altcha"]
    data = request.get_json(silent=True) if request.is_json else None
    value = data.get("altcha") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def gate() -> None:
    """Count this try against its address; past the threshold, ChallengeRequired (428) unless
    it carries a fresh solution. Called by each guarded view before any account work."""
    if not current_app.config["CHALLENGE_ENABLED"]:
        return
    over = needed()
    _counter().hit(_threshold(), "challenge", get_remote_address())
    if over and not solved(payload_of_request()):
        raise ChallengeRequired()
