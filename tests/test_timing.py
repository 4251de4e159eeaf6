"""Which round a contest's page puts first, and what its countdown counts to: pure rules of
the rounds and one fixed `now`."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from contest.timing import featured_round, next_moment

NOW = datetime(2026, 11, 22, 6, 0)


def _round(name, opens_h, closes_h):
    """A round opening and closing `opens_h`/`closes_h` hours from NOW."""
    return SimpleNamespace(
        name=name,
        opens_at=NOW + timedelta(hours=opens_h),
        closes_at=NOW + timedelta(hours=closes_h),
    )


def _rounds(*spans):
    """Rounds named r1, r2, ... in the order given (Contest.rounds is in opening order)."""
    return [_round(f"r{i}", *span) for i, span in enumerate(spans, 1)]


@pytest.mark.parametrize(
    ("spans", "featured"),
    [
        ([], None),
        ([(1, 2)], "r1"),  # only an upcoming round: the first to come
        ([(1, 2), (3, 4)], "r1"),
        ([(-2, -1)], "r1"),  # only a closed round: it is still shown
        ([(-4, -3), (-2, -1), (1, 2)], "r2"),  # none open: the latest that has opened
        ([(-4, -3), (-1, 1), (2, 3)], "r2"),  # the open one, before the latest to have opened
        ([(-4, 4), (-2, -1)], "r1"),  # open beats a later-opened closed round
        ([(-3, 3), (-1, 1)], "r1"),  # two open: the earlier to open
        ([(-1, 1), (-1, 2)], "r1"),  # two open since the same instant: the first given
        ([(0, 1)], "r1"),  # opening now: open
        ([(-1, 0), (2, 3)], "r1"),  # closing now: closed, yet the latest that has opened
    ],
)
def test_featured_round(spans, featured):
    chosen = featured_round(_rounds(*spans), NOW)
    assert (chosen and chosen.name) == featured


def test_featured_round_moves_with_now():
    rounds = _rounds((1, 2), (3, 4))
    names = [featured_round(rounds, NOW + timedelta(hours=h)).name for h in (0, 1, 2, 3, 5)]
    assert names == ["r1", "r1", "r1", "r2", "r2"]


@pytest.mark.parametrize(
    ("spans", "moment"),
    [
        ([], None),
        ([(-2, -1)], None),  # all over: no countdown
        ([(-1, 0)], None),  # closing exactly now is not to come
        ([(1, 2)], (1, "open", "r1")),
        ([(-1, 2)], (2, "close", "r1")),  # the open round's close
        ([(-1, 3), (2, 4)], (2, "open", "r2")),  # the sooner of a close and an opening
        ([(-1, 1), (2, 4)], (1, "close", "r1")),
        ([(-1, 2), (2, 3)], (2, "open", "r2")),  # same instant: the opening comes first
        ([(1, 3), (1, 2)], (1, "open", "r1")),  # two openings at once: the first given
        ([(-2, 2), (-1, 2)], (2, "close", "r1")),  # two closings at once: the first given
        ([(0, 1)], (1, "close", "r1")),  # opening exactly now has opened
    ],
)
def test_next_moment(spans, moment):
    found = next_moment(_rounds(*spans), NOW)
    if moment is None:
        assert found is None
    else:
        hours, what, name = moment
        assert (found[0], found[1], found[2].name) == (NOW + timedelta(hours=hours), what, name)
