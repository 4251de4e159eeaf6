"""Server-side SVG charts for the organiser's dashboard: no CDN, no JavaScript.

Each function returns a self-contained ``<svg>`` string that a template embeds with
``|safe``. Everything that comes from data (titles, unit names, x labels) is stripped of
characters XML forbids and then escaped, so the output is always well-formed XML and a
label such as ``<script>`` is shown as text. Styling uses presentation attributes only
(``fill``, ``stroke``, ``font-size``…), never ``style=""``, because the Content-Security-
Policy is ``style-src 'self'``. The root has no width/height, only a viewBox, so it scales
to its container.

Numbers shown to people follow Vietnamese conventions (see :func:`vn_number`); SVG
coordinates are plain decimal numbers.

Pure and deterministic: no Flask, no clock, no randomness.
"""

import math
import re
import string
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise

from markupsafe import escape

EMPTY_MESSAGE = "Chưa có dữ liệu"

FONT_FAMILY = "system-ui, sans-serif"
TEXT = "#1d1d1f"  # 16.8:1 on white
MUTED = "#555b66"  # 6.6:1 on white
BRAND = "#a31d1d"  # 7.6:1 on white
GRID = "#e3e5e8"  # decoration only, carries no text

TITLE_SIZE = 14
LABEL_SIZE = 11
CHAR_WIDTH = 6.2  # rough advance of an 11 px character, to keep labels from colliding
MAX_X_LABELS = 8
LABEL_MAX_CHARS = 40
X_LABEL_MAX_CHARS = 20
HBAR_ROW = 22
EMPTY_HEIGHT = 120

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --------------------------------------------------------------------------- numbers


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


def _fmt_value(x: float, max_decimals: int = 2) -> str:
    """A value with as few decimals as it needs (at most ``max_decimals``): 3 → "3", 7.25 →
    "7,25", 7.50 → "7,5"."""
    x = float(x)
    if not math.isfinite(x):
        return "–"
    for decimals in range(max_decimals + 1):
        if abs(round(x, decimals) - x) < 1e-9:
            return vn_number(x, decimals)
    return vn_number(x, max_decimals)


class _VnFormatter(string.Formatter):
    """str.format whose replacement fields come out with Vietnamese separators (the literal
    text of the format string is left alone)."""

    def format_field(self, value, format_spec):
        return _swap_separators(super().format_field(value, format_spec))


_VN_FORMATTER = _VnFormatter()


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


# --------------------------------------------------------------------------- SVG pieces


def _text(value) -> str:
    """Data as XML text or attribute value: forbidden characters dropped, then escaped."""
    return str(escape(_XML_INVALID.sub("", str(value))))


def _n(x: float) -> str:
    """An SVG coordinate: short, plain, deterministic."""
    text = f"{float(x):.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def _truncate(label: str, limit: int = LABEL_MAX_CHARS) -> str:
    label = " ".join(str(label).split())
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip() + "…"


def _open(width: float, height: float, title: str) -> list[str]:
    t = _text(title)
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'role="img" aria-label="{t}">'
    )
    heading = (
        f'<text class="chart-title" x="8" y="20" font-size="{TITLE_SIZE}" '
        f'font-weight="600" fill="{TEXT}">{t}</text>'
    )
    return [root, f"<title>{t}</title>", f'<g font-family="{FONT_FAMILY}" fill="{TEXT}">', heading]


def _close(parts: list[str]) -> str:
    return "\n".join(parts + ["</g>", "</svg>"])


def _label(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    cls: str = "",
    fill: str = MUTED,
    size: int = LABEL_SIZE,
    extra: str = "",
) -> str:
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text{klass} x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{_text(text)}</text>'
    )


def _empty(width: float, height: float, title: str) -> str:
    parts = _open(width, height, title)
    parts.append(
        _label(width / 2, height / 2 + 8, EMPTY_MESSAGE, anchor="middle", cls="empty", size=13)
    )
    return _close(parts)


def _check_size(*sizes: float) -> None:
    if any(not (isinstance(s, (int, float)) and math.isfinite(s) and s > 0) for s in sizes):
        raise ValueError("chart sizes must be positive numbers")


def _thin(n: int, limit: int) -> list[int]:
    """At most ``limit`` indices of range(n), evenly spread, first and last included."""
    if n <= limit:
        return list(range(n))
    if limit <= 1:
        return [0]
    return sorted({round(i * (n - 1) / (limit - 1)) for i in range(limit)})


def _x_label_limit(n: int, plot_w: float, labels: list[str]) -> int:
    """How many of n evenly spaced x labels fit: at most MAX_X_LABELS, and few enough that
    the indices _thin picks are at least one label width (plus a gap) apart."""
    if n <= 1:
        return n
    label_px = CHAR_WIDTH * max(len(label) for label in labels) + 12
    min_gap = max(1, math.ceil(label_px / (plot_w / (n - 1))))
    return max(2, min(MAX_X_LABELS, (n - 1) // min_gap + 1))


# --------------------------------------------------------------------------- charts


def line_chart(
    points: list[tuple[str, float]],
    title: str,
    y_label: str = "",
    width: int = 640,
    height: int = 240,
) -> str:
    """A line with a dot per point (x labels are strings, e.g. "08/03 10:00"), round y
    gridlines, at most 8 x labels (evenly thinned, fewer when long labels would collide;
    each cut to 20 characters, the dot's tooltip keeps the full label) and the last value
    written next to the last dot.
    Points whose value is not a finite number are left out."""
    _check_size(width, height)
    data = [
        (str(label), float(value))
        for label, value in points
        if value is not None and math.isfinite(float(value))
    ]
    if not data:
        return _empty(width, height, title)

    left, right, top, bottom = (64 if y_label else 48), 56, 36, 32
    plot_w, plot_h = max(1.0, width - left - right), max(1.0, height - top - bottom)
    values = [v for _, v in data]
    ticks = nice_ticks(
        min(0.0, min(values)), max(0.0, max(values)), integer=all(v == int(v) for v in values)
    )
    y_min, y_max = ticks[0], ticks[-1]

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if len(data) == 1 else i * plot_w / (len(data) - 1))

    def y_at(v: float) -> float:
        return top + plot_h - (v - y_min) / (y_max - y_min) * plot_h

    parts = _open(width, height, title)
    if y_label:
        cy = top + plot_h / 2
        parts.append(
            _label(
                14,
                cy,
                y_label,
                anchor="middle",
                cls="y-label",
                extra=f' transform="rotate(-90 14 {_n(cy)})"',
            )
        )
    for tick in ticks:
        y = y_at(tick)
        parts.append(
            f'<line class="grid" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" '
            f'y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_label(left - 6, y + 4, _fmt_value(tick, 6), anchor="end", cls="y-tick"))
    base = top + plot_h
    parts.append(
        f'<line class="axis" x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" '
        f'y2="{_n(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append(
        f'<line class="axis" x1="{_n(left)}" y1="{_n(base)}" x2="{_n(left + plot_w)}" '
        f'y2="{_n(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    x_labels = [_truncate(label, X_LABEL_MAX_CHARS) for label, _ in data]
    for i in _thin(len(data), _x_label_limit(len(data), plot_w, x_labels)):
        parts.append(_label(x_at(i), base + 18, x_labels[i], anchor="middle", cls="x-label"))
    coords = " ".join(f"{_n(x_at(i))},{_n(y_at(v))}" for i, (_, v) in enumerate(data))
    parts.append(
        f'<polyline class="line" points="{coords}" fill="none" stroke="{BRAND}" '
        f'stroke-width="2" stroke-linejoin="round"/>'
    )
    for i, (label, value) in enumerate(data):
        parts.append(
            f'<circle class="point" cx="{_n(x_at(i))}" cy="{_n(y_at(value))}" r="3" '
            f'fill="{BRAND}"><title>{_text(label)}: {_text(_fmt_value(value))}'
            f"</title></circle>"
        )
    last_x, last_y = x_at(len(data) - 1), y_at(values[-1])
    parts.append(
        _label(
            last_x + 6,
            last_y + 4,
            _fmt_value(values[-1]),
            cls="last-value",
            fill=BRAND,
            size=12,
            extra=' font-weight="600"',
        )
    )
    return _close(parts)


def histogram(
    values: list[float], bins: list[float], title: str, width: int = 640, height: int = 240
) -> str:
    """One bar per bin [bins[i], bins[i+1]) (the last bin includes its upper edge), the
    count above each bar and the bin's range below it. Raises ValueError for bins that are
    not at least two strictly increasing finite edges."""
    _check_size(width, height)
    counts = bin_counts(values, bins)
    if not values:
        return _empty(width, height, title)

    left, right, top, bottom = 16, 16, 48, 32
    plot_w, plot_h = max(1.0, width - left - right), max(1.0, height - top - bottom)
    slot = plot_w / len(counts)
    gap = min(4.0, slot * 0.15)
    peak = max(counts) or 1
    base = top + plot_h
    label_every = max(1, math.ceil(len(counts) / max(1, int(plot_w // 56))))

    parts = _open(width, height, title)
    for i, count in enumerate(counts):
        lo, hi = bins[i], bins[i + 1]
        h = count / peak * plot_h
        x = left + i * slot + gap / 2
        closing = "]" if i == len(counts) - 1 else ")"
        parts.append(
            f'<rect class="bar" x="{_n(x)}" y="{_n(base - h)}" width="{_n(slot - gap)}" '
            f'height="{_n(h)}" fill="{BRAND}"><title>[{_text(_fmt_value(lo))}; '
            f"{_text(_fmt_value(hi))}{closing}: {count}</title></rect>"
        )
        parts.append(
            _label(
                x + (slot - gap) / 2,
                base - h - 4,
                vn_number(count),
                anchor="middle",
                cls="count",
                fill=TEXT,
            )
        )
        if i % label_every == 0 or i == len(counts) - 1:
            parts.append(
                _label(
                    x + (slot - gap) / 2,
                    base + 16,
                    f"{_fmt_value(lo)}–{_fmt_value(hi)}",
                    anchor="middle",
                    cls="bin-label",
                )
            )
    parts.append(
        f'<line class="axis" x1="{_n(left)}" y1="{_n(base)}" x2="{_n(left + plot_w)}" '
        f'y2="{_n(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return _close(parts)


def hbar_chart(
    rows: list[tuple[str, float]],
    title: str,
    value_format: str = "{:.0%}",
    max_value: float | None = None,
    width: int = 640,
) -> str:
    """Horizontal bars, one 22 px row per item, labels truncated to 40 characters (the full
    label is in the row's tooltip), the value written at the end of each bar.

    ``value_format`` is a str.format string whose fields come out with Vietnamese separators
    ("{:.1%}" → "50,5%", "{:,.0f}" → "12.345"). Bars are scaled to ``max_value``, by default
    the largest value; values outside [0, max_value] are clipped.
    """
    _check_size(width)
    if not rows:
        return _empty(width, EMPTY_HEIGHT, title)

    items = [(str(label), float("nan") if value is None else float(value)) for label, value in rows]
    finite = [v for _, v in items if math.isfinite(v)]
    scale = float(max_value) if max_value is not None else max(finite, default=0.0)
    if not math.isfinite(scale) or scale <= 0:
        scale = 1.0

    top, row_h, bar_h, bottom = 36, HBAR_ROW, 14, 10
    height = top + row_h * len(items) + bottom
    labels = [_truncate(label) for label, _ in items]
    longest = max(len(label) for label in labels)
    label_w = min(width * 0.45, 12 + CHAR_WIDTH * longest)
    value_w = 64
    bar_max = max(1.0, width - label_w - value_w - 8)

    parts = _open(width, height, title)
    for i, ((full, value), label) in enumerate(zip(items, labels, strict=True)):
        y = top + i * row_h
        shown = _VN_FORMATTER.format(value_format, value) if math.isfinite(value) else "–"
        frac = min(1.0, max(0.0, value / scale)) if math.isfinite(value) else 0.0
        w = frac * bar_max
        parts.append(f'<g class="row"><title>{_text(full)}: {_text(shown)}</title>')
        parts.append(
            _label(label_w - 6, y + bar_h - 2, label, anchor="end", cls="label", fill=TEXT)
        )
        parts.append(
            f'<rect class="bar" x="{_n(label_w)}" y="{_n(y + 2)}" width="{_n(w)}" '
            f'height="{_n(bar_h)}" fill="{BRAND}"/>'
        )
        parts.append(_label(label_w + w + 4, y + bar_h - 2, shown, cls="value", fill=TEXT))
        parts.append("</g>")
    parts.append(
        f'<line class="axis" x1="{_n(label_w)}" y1="{_n(top)}" x2="{_n(label_w)}" '
        f'y2="{_n(height - bottom)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return _close(parts)
