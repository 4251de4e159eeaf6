"""The bar charts: a histogram of values in bins, and horizontal bars, one per labelled item."""

import math

from .numbers import VN_FORMATTER, bin_counts, fmt_value, vn_number
from .svg import (
    BRAND,
    CHAR_WIDTH,
    EMPTY_HEIGHT,
    HBAR_ROW,
    MUTED,
    TEXT,
    check_size,
    close_svg,
    coord,
    empty_chart,
    open_svg,
    text_at,
    truncate,
    xml_text,
)


def histogram(
    values: list[float], bins: list[float], title: str, width: int = 640, height: int = 240
) -> str:
    """One bar per bin [bins[i], bins[i+1]) (the last bin includes its upper edge), the
    count above each bar and the bin's range below it. Raises ValueError for bins that are
    not at least two strictly increasing finite edges."""
    check_size(width, height)
    counts = bin_counts(values, bins)
    if not values:
        return empty_chart(width, height, title)

    left, right, top, bottom = 16, 16, 48, 32
    plot_w, plot_h = max(1.0, width - left - right), max(1.0, height - top - bottom)
    slot = plot_w / len(counts)
    gap = min(4.0, slot * 0.15)
    peak = max(counts) or 1
    base = top + plot_h
    label_every = max(1, math.ceil(len(counts) / max(1, int(plot_w // 56))))

    parts = open_svg(width, height, title)
    for i, count in enumerate(counts):
        lo, hi = bins[i], bins[i + 1]
        h = count / peak * plot_h
        x = left + i * slot + gap / 2
        closing = "]" if i == len(counts) - 1 else ")"
        parts.append(
            f'<rect class="bar" x="{coord(x)}" y="{coord(base - h)}" width="{coord(slot - gap)}" '
            f'height="{coord(h)}" fill="{BRAND}"><title>[{xml_text(fmt_value(lo))}; '
            f"{xml_text(fmt_value(hi))}{closing}: {count}</title></rect>"
        )
        parts.append(
            text_at(
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
                text_at(
                    x + (slot - gap) / 2,
                    base + 16,
                    f"{fmt_value(lo)}–{fmt_value(hi)}",
                    anchor="middle",
                    cls="bin-label",
                )
            )
    parts.append(
        f'<line class="axis" x1="{coord(left)}" y1="{coord(base)}" x2="{coord(left + plot_w)}" '
        f'y2="{coord(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return close_svg(parts)


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
    check_size(width)
    if not rows:
        return empty_chart(width, EMPTY_HEIGHT, title)

    items = [(str(label), float("nan") if value is None else float(value)) for label, value in rows]
    finite = [v for _, v in items if math.isfinite(v)]
    scale = float(max_value) if max_value is not None else max(finite, default=0.0)
    if not math.isfinite(scale) or scale <= 0:
        scale = 1.0

    top, row_h, bar_h, bottom = 36, HBAR_ROW, 14, 10
    height = top + row_h * len(items) + bottom
    labels = [truncate(label) for label, _ in items]
    longest = max(len(label) for label in labels)
    label_w = min(width * 0.45, 12 + CHAR_WIDTH * longest)
    value_w = 64
    bar_max = max(1.0, width - label_w - value_w - 8)

    parts = open_svg(width, height, title)
    for i, ((full, value), label) in enumerate(zip(items, labels, strict=True)):
        y = top + i * row_h
        shown = VN_FORMATTER.format(value_format, value) if math.isfinite(value) else "–"
        frac = min(1.0, max(0.0, value / scale)) if math.isfinite(value) else 0.0
        w = frac * bar_max
        parts.append(f'<g class="row"><title>{xml_text(full)}: {xml_text(shown)}</title>')
        parts.append(
            text_at(label_w - 6, y + bar_h - 2, label, anchor="end", cls="label", fill=TEXT)
        )
        parts.append(
            f'<rect class="bar" x="{coord(label_w)}" y="{coord(y + 2)}" width="{coord(w)}" '
            f'height="{coord(bar_h)}" fill="{BRAND}"/>'
        )
        parts.append(text_at(label_w + w + 4, y + bar_h - 2, shown, cls="value", fill=TEXT))
        parts.append("</g>")
    parts.append(
        f'<line class="axis" x1="{coord(label_w)}" y1="{coord(top)}" x2="{coord(label_w)}" '
        f'y2="{coord(height - bottom)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return close_svg(parts)
