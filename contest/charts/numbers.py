"""Numbers in the charts: shown to people with Vietnamese separators, and the round ticks and
bins the charts are laid out on. Pure: no Flask, no clock."""

import math
import string
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise


def _swap_separators(text: str) -> str:
    """Python's "1,234.5" → Vietnamese "1.234,5"."""
    return text.translate(str.maketrans({",": ".", ".": ","}))


def vn_number(x: float, decimals: int = 0) -> str:
    """``12345`` → ``"12.345"``, ``0.5, 1`` → ``"0,5"``, ``-1234.5, 2`` → ``"-1.234,50"``.

    Non-finite values give ``"–"``; a value that rounds to zero never shows a minus sign.
    """
    x = float(x)
    if not math.isfinite(x):
        return "–"
    text = f"{x:,.{max(0, int(decimals))}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    return _swap_separators(text)


def fmt_value(x: float, max_decimals: int = 2) -> str:
    """A value with as few decimals as it needs (at most ``max_decimals``): 3 → "3", 7.25 →
    "7,25", 7.50 → "7,5"."""
    x = float(x)
    if not math.isfinite(x):
        return "–"
    for decimals in range(max_decimals + 1):
        if abs(round(x, decimals) - x) < 1e-9:
            return vn_number(x, decimals)
    return vn_number(x, max_decimals)


class VnFormatter(string.Formatter):
    """str.format whose replacement fields come out with Vietnamese separators (the literal
    text of the format string is left alone)."""

    def format_field(self, value, format_spec):
        return _swap_separators(super().format_field(value, format_spec))


VN_FORMATTER = VnFormatter()


def nice_ticks(lo: float, hi: float, max_ticks: int = 5, integer: bool = False) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering [lo, hi], at most about
    ``max_ticks`` of them; ``integer`` forbids steps below 1 (for counts)."""
    lo, hi = float(lo), float(hi)
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo < 1e-12:  # one value: widen towards zero (or upwards from zero)
        if lo == 0:
            hi = 1.0
        elif lo > 0:
            lo = 0.0
        else:
            hi = 0.0
    raw = (hi - lo) / max(1, max_ticks - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    if integer and step < 1:
        step = 1.0
    start = math.floor(lo / step + 1e-9) * step
    end = math.ceil(hi / step - 1e-9) * step
    count = round((end - start) / step)
    return [round(start + i * step, 10) + 0.0 for i in range(count + 1)]


def bin_counts(values: Sequence[float], bins: Sequence[float]) -> list[int]:
    """How many values fall in each bin [bins[i], bins[i+1]); the last bin also takes its
    upper edge. Values outside [bins[0], bins[-1]] and non-finite values are not counted."""
    edges = [float(b) for b in bins]
    if len(edges) < 2:
        raise ValueError("bins needs at least two edges")
    if any(not math.isfinite(b) for b in edges) or any(b >= c for b, c in pairwise(edges)):
        raise ValueError("bins must be finite and strictly increasing")
    counts = [0] * (len(edges) - 1)
    for value in values:
        v = float(value)
        if not math.isfinite(v) or v < edges[0] or v > edges[-1]:
            continue
        index = len(counts) - 1 if v == edges[-1] else bisect_right(edges, v) - 1
        counts[index] += 1
    return counts
