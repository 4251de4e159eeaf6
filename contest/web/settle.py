"""Closed rounds finalized on read, in the request's transaction (once per round: after that it
only reads `finalized_at`), for the API and the pages alike."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict
from ..services.contests import round_by_id
from ..services.entries import finalize_round
from ..timing import results_visible
from .clock import g_now


def settle(rnd) -> None:
    """A closed round is finalized (open attempts expired, prediction truth fixed)."""
    finalize_round(rnd, g_now())


def settle_contest(contest) -> None:
    """Every closed round finalised first (as a round's own prize list does)."""
    for rnd in contest.rounds:
        finalize_round(rnd, g_now())


def closed_round(round_id: int):
    """The round whose results are out, settled; 409 before it ends."""
    rnd = round_by_id(round_id)
    if not results_visible(rnd, g_now()):
        raise Conflict(_l("Bản tin có khi đợt thi đã kết thúc."))
    settle(rnd)
    return rnd
