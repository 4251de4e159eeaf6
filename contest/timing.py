"""Time rules. The server's clock is the only clock; every function takes `now`.

All datetimes stored and compared here are naive UTC. People see Asia/Ho_Chi_Minh.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .vocab import RoundStatus, ScoreDisplay

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UPCOMING, OPEN, CLOSED = (s.value for s in RoundStatus)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def round_status(rnd, now: datetime) -> str:
    """upcoming before opens_at, open until closes_at (exclusive), closed after."""
    if now < rnd.opens_at:
        return UPCOMING
    return OPEN if now < rnd.closes_at else CLOSED


def attempt_deadline(started_at: datetime, time_limit_s: int, closes_at: datetime) -> datetime:
    """started_at + time limit, but never past the round's close: no one answers after it."""
    return min(started_at + timedelta(seconds=time_limit_s), closes_at)


def accepts_writes(deadline: datetime, grace_s: int, now: datetime) -> bool:
    """Saves and submit are accepted until deadline + grace (grace absorbs network delay)."""
    return now <= deadline + timedelta(seconds=grace_s)


def closes_for_good(closes_at: datetime, grace_s: int) -> datetime:
    """After this instant no attempt of the round can write anything."""
    return closes_at + timedelta(seconds=grace_s)


def results_visible(rnd, now: datetime) -> bool:
    """The round's results are final (and may be finalized) once no attempt can still write."""
    return now > closes_for_good(rnd.closes_at, rnd.grace_s)


SCORE_DISPLAYS = ScoreDisplay.codes()


def default_score_display(max_attempts: int) -> str:
    """A score shown at submit is an oracle once a person may try again (each attempt tells
    how many answers were right): rounds with more than one attempt show it after the close."""
    return "after_submit" if max_attempts == 1 else "after_close"


def score_visible(rnd, now: datetime) -> bool:
    """A participant may see a score (their own, or anyone's on a board) at once when the round
    says so, else only once its results are final."""
    return rnd.score_display == "after_submit" or results_visible(rnd, now)


def scores_hidden(rounds, now: datetime) -> bool:
    """Some round that has opened still hides its scores: aggregates over it (a unit's average
    score) would tell a person alone in a unit their own."""
    return any(r.opens_at <= now and not score_visible(r, now) for r in rounds)


def predictions_public(rnd, now: datetime) -> bool:
    """Other people's predictions are shown only once the true figure is fixed."""
    return rnd.prediction != "none" and results_visible(rnd, now)


def duration_ms(started_at: datetime, finished_at: datetime) -> int:
    return max(0, int((finished_at - started_at) / timedelta(milliseconds=1)))


def to_local(dt: datetime | None) -> datetime | None:
    """A stored naive-UTC time as an aware Asia/Ho_Chi_Minh time."""
    return None if dt is None else dt.replace(tzinfo=UTC).astimezone(LOCAL_TZ)


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 with the +07:00 offset, as the API speaks."""
    local = to_local(dt)
    return None if local is None else local.isoformat(timespec="milliseconds")


def from_aware(dt: datetime) -> datetime:
    """An incoming time to naive UTC; a time without an offset is read as Vietnam time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=LOCAL_TZ)
    return dt.astimezone(UTC).replace(tzinfo=None)


def format_local(dt: datetime | None, fmt: str = "%H:%M %d/%m/%Y") -> str:
    local = to_local(dt)
    return "" if local is None else local.strftime(fmt)


def format_duration(ms: int | None) -> str:
    """12 phút 05,3 giây style, compact: 12:05.3"""
    if ms is None:
        return ""
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest // 1000:02d}.{(rest % 1000) // 100}"


def featured_round(rounds, now: datetime):
    """The round a contest's page shows first: the open one (the earliest to open when several
    are), else the latest that has opened, else the first to come; None without rounds.
    `rounds` are in opening order, as `Contest.rounds` is."""
    open_rounds = [r for r in rounds if round_status(r, now) == OPEN]
    started = [r for r in rounds if r.opens_at <= now]
    return (open_rounds or started[-1:] or rounds[:1] or [None])[0]


def next_moment(rounds, now: datetime):
    """(when, "open" | "close", round) of the next opening or closing after `now`, for the
    countdown; None when all is over. At one instant an opening comes before a closing, and
    rounds in their given order."""
    moments = sorted(
        [(r.opens_at, "open", r) for r in rounds if r.opens_at > now]
        + [(r.closes_at, "close", r) for r in rounds if r.closes_at > now],
        key=lambda m: m[0],
    )
    return moments[0] if moments else None
