"""Standings and a closed round's bulletin as JSON, cached like the boards."""

from flask import current_app

from ..extensions import cached_value
from ..ranking import mask_name
from ..services import prizes
from ..services.standings import bulletin, standings
from ..timing import iso, results_visible
from ..web import g_now


def standings_json(contest, limit: int) -> dict:
    """The contest's standings as the API shows them (names masked as the contest says),
    cached like the boards."""
    now, ttl = g_now(), current_app.config["LEADERBOARD_CACHE_S"]
    closed = [r.id for r in contest.rounds if results_visible(r, now)]
    key = f"standings:{contest.id}:{limit}:{','.join(map(str, closed))}"

    def make() -> dict:
        rounds, rows = standings(contest, now, limit)
        return {
            "rounds": [{"id": r.id, "name": r.name} for r in rounds],
            "entries": [
                {
                    "rank": s.rank,
                    "name": mask_name(s.user.full_name, contest.masking),
                    "unit": s.unit,
                    "rounds_taken": s.rounds_taken,
                    "total_score": s.total_score,
                    "total_duration_ms": s.total_duration_ms,
                    "last_submitted_at": iso(s.last_submitted_at),
                    "scores": {str(rid): score for rid, score in s.scores.items()},
                }
                for s in rows
            ],
        }

    return cached_value(key, ttl, make)


def bulletin_json(rnd) -> dict:
    """A closed round's bản tin, cached like the boards (a shared link draws many readers)."""
    ttl = current_app.config["LEADERBOARD_CACHE_S"]
    key = f"bulletin:{rnd.id}:{rnd.prizes_confirmed_at}"
    return cached_value(key, ttl, lambda: _bulletin_json(rnd))


def _bulletin_json(rnd) -> dict:
    """Counts, score bands, the lowest units, the confirmed winners (names masked, whatever
    the contest's masking: it is meant to be shared)."""
    figures = bulletin(rnd)
    confirmed = rnd.prizes_confirmed_at is not None
    winners = prizes.draft_winners(rnd) if confirmed else []
    return {
        "round": {
            "id": rnd.id,
            "name": rnd.name,
            "contest": rnd.contest.slug,
            "contest_title": rnd.contest.title,
        },
        "entries": figures.entries,
        "people": figures.people,
        "perfect_count": figures.perfect_count,
        "max_score": figures.max_score,
        "score_bands": figures.score_bands,
        "lowest_units": [
            {
                "unit": s.unit.name,
                "participants": s.participants,
                "headcount": s.headcount,
                "participation_rate": s.participation_rate,
            }
            for s in figures.lowest_units
        ],
        "prizes_confirmed": confirmed,
        "winners": [
            {
                "prize": w.prize,
                "label": w.label,
                "rank": w.rank,
                "name": mask_name(w.entry.user.full_name, "partial"),
                "unit": w.unit or None,
                "score": w.entry.score,
                "duration_ms": w.entry.duration_ms,
            }
            for w in winners
        ],
    }
