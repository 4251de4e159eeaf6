"""Table-driven checks of the pure rules (timing, scoring, ranking), at their boundaries."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from contest.ranking import mask_name, rank_key
from contest.scoring import ScoredItem, score
from contest.timing import CLOSED, OPEN, UPCOMING, accepts_writes, attempt_deadline, round_status

T0 = datetime(2026, 3, 1, 8, 0, 0)
S = timedelta(seconds=1)
ROUND = SimpleNamespace(opens_at=T0, closes_at=T0 + timedelta(hours=2))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(T0 - S, UPCOMING, id="a-second-before-start"),
        pytest.param(T0, OPEN, id="exactly-at-start"),
        pytest.param(T0 + timedelta(hours=1), OPEN, id="midway"),
        pytest.param(ROUND.closes_at - S, OPEN, id="a-second-before-end"),
        pytest.param(ROUND.closes_at, CLOSED, id="exactly-at-end-is-closed"),
        pytest.param(ROUND.closes_at + S, CLOSED, id="after-end"),
    ],
)
def test_round_status(now, expected):
    assert round_status(ROUND, now) == expected


@pytest.mark.parametrize(
    ("started_at", "limit_s", "closes_at", "expected"),
    [
        pytest.param(T0, 600, T0 + timedelta(hours=1), T0 + 600 * S, id="time-limit-first"),
        pytest.param(T0, 600, T0 + 300 * S, T0 + 300 * S, id="round-close-first"),
        pytest.param(T0, 600, T0 + 600 * S, T0 + 600 * S, id="both-at-once"),
        pytest.param(T0, 0, T0 + 600 * S, T0, id="no-time-at-all"),
    ],
)
def test_attempt_deadline(started_at, limit_s, closes_at, expected):
    assert attempt_deadline(started_at, limit_s, closes_at) == expected


@pytest.mark.parametrize(
    ("now", "grace_s", "expected"),
    [
        pytest.param(T0 - S, 0, True, id="before-deadline"),
        pytest.param(T0, 0, True, id="exactly-at-deadline-no-grace"),
        pytest.param(T0 + S, 0, False, id="a-second-late-no-grace"),
        pytest.param(T0 + 10 * S, 10, True, id="exactly-at-grace-end"),
        pytest.param(T0 + 11 * S, 10, False, id="a-second-past-grace"),
        pytest.param(T0 + 5 * S, 10, True, id="inside-grace"),
    ],
)
def test_accepts_writes(now, grace_s, expected):
    assert accepts_writes(T0, grace_s, now) is expected


def _item(qid, points, correct, chosen):
    return ScoredItem(qid, points, frozenset(correct), frozenset(chosen))


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param([], (0, 0), id="no-questions"),
        pytest.param([_item(1, 1, {1}, {1})], (1, 1), id="one-right"),
        pytest.param([_item(1, 1, {1}, {2})], (0, 1), id="one-wrong"),
        pytest.param([_item(1, 1, {1}, set())], (0, 1), id="unanswered"),
        pytest.param([_item(1, 2, {1, 2}, {1})], (0, 2), id="no-part-marks"),
        pytest.param([_item(1, 2, {1, 2}, {1, 2, 3})], (0, 2), id="too-many-chosen"),
        pytest.param([_item(1, 2, {1, 2}, {2, 1})], (2, 2), id="multi-exact"),
        pytest.param([_item(1, 1, set(), set())], (0, 1), id="no-key-never-scores"),
        pytest.param(
            [_item(i, 0.1, {1}, {1}) for i in range(3)], (0.3, 0.3), id="rounded-to-hundredths"
        ),
    ],
)
def test_score(items, expected):
    assert score(items) == expected


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        pytest.param((9, None, 500, T0, 2), (8, None, 1, T0, 1), id="higher-score-first"),
        pytest.param((8, 0, 900, T0, 2), (8, 5, 1, T0, 1), id="tie-closer-prediction"),
        pytest.param((8, 9, 900, T0, 2), (8, None, 1, T0, 1), id="tie-no-prediction-last"),
        pytest.param((8, None, 100, T0, 2), (8, None, 101, T0, 1), id="tie-faster"),
        pytest.param((8, None, 100, T0, 2), (8, None, 100, T0 + S, 1), id="tie-earlier"),
        pytest.param((8, None, 100, T0, 1), (8, None, 100, T0, 2), id="full-tie-lower-id"),
    ],
)
def test_rank_key_orders(better, worse):
    assert rank_key(*better) < rank_key(*worse)


@pytest.mark.parametrize(
    ("full_name", "masking", "expected"),
    [
        pytest.param("Nguyễn Văn An", "none", "Nguyễn Văn An", id="none-keeps-all"),
        pytest.param("Nguyễn Văn An", "partial", "Nguyễn V. An", id="three-parts"),
        pytest.param("Tôn Nữ Thị Ánh Hồng", "partial", "Tôn N. T. Á. Hồng", id="diacritics"),
        pytest.param("Lê Ơn", "partial", "Lê Ơ.", id="two-parts"),
        pytest.param("Đ", "partial", "Đ", id="one-letter"),
        pytest.param("An", "partial", "An", id="one-word"),
        pytest.param("", "partial", "", id="empty"),
        pytest.param("  Trần   Bình  ", "partial", "Trần B.", id="extra-spaces"),
    ],
)
def test_mask_name(full_name, masking, expected):
    assert mask_name(full_name, masking) == expected
