"""What the public sees of a contest, cached for a few seconds (in-process, or
Redis with REDIS_URL): the top of a round's board and the live counts. Entries are kept current
at submit; the cache only spares the database the same query many times a second when
thousands open the contest's page at once (a landing page read 300 ms of a 1,000,000-attempt
round uncached). Organisers' pages read fresh."""

from flask import current_app

from ..extensions import cached_value
from ..ranking import leaderboard
from ..services.stats import live_counts
from ..timing import predictions_public, score_visible
from ..web import g_now


def _ttl() -> int:
    return current_app.config["LEADERBOARD_CACHE_S"]


def cached_board(rnd, limit: int) -> list[dict]:
    """The top `limit` of the round's board as the API shows it (names masked as the contest
    says; predictions once public); nothing while the round hides its scores."""
    from ..presenters.common import leaderboard_json  # the api package imports this module

    if not score_visible(rnd, g_now()):
        return []  # a board would show each person their own score (timing.score_visible)
    public, ttl = predictions_public(rnd, g_now()), _ttl()
    key = f"board:{rnd.id}:{limit}:{int(public)}"
    return cached_value(
        key, ttl, lambda: leaderboard_json(leaderboard(rnd.id, limit), rnd.contest.masking, public)
    )


def cached_counts(contest) -> dict:
    """lượt thi, người thi, đơn vị (services.stats.live_counts), cached COUNTS_CACHE_S: they
    count every attempt of the contest (170 ms at a million)."""
    ttl, key = current_app.config["COUNTS_CACHE_S"], f"counts:{contest.id}"
    return cached_value(key, ttl, lambda: live_counts(contest))
