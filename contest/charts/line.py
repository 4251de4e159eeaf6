"""The line chart: a value over time (or any labelled sequence)."""

import math

from .numbers import fmt_value, nice_ticks
from .svg import (
    BRAND,
    GRID,
    MUTED,
    X_LABEL_MAX_CHARS,
    check_size,
    close_svg,
    coord,
    empty_chart,
    open_svg,
    text_at,
    thin,
    truncate,
    x_label_limit,
    xml_text,
)


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
    check_size(width, height)
    data = [
        (str(label), float(value))
        for label, value in points
        if value is not None and math.isfinite(float(value))
    ]
    if not data:
        return empty_chart(width, height, title)

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

    parts = open_svg(width, height, title)
    if y_label:
        cy = top + plot_h / 2
        parts.append(
            text_at(
                14,
                cy,
                y_label,
                anchor="middle",
                cls="y-label",
                extra=f' transform="rotate(-90 14 {coord(cy)})"',
            )
        )
    for tick in ticks:
        y = y_at(tick)
        parts.append(
            f'<line class="grid" x1="{coord(left)}" y1="{coord(y)}" x2="{coord(left + plot_w)}" '
            f'y2="{coord(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(text_at(left - 6, y + 4, fmt_value(tick, 6), anchor="end", cls="y-tick"))
    base = top + plot_h
    parts.append(
        f'<line class="axis" x1="{coord(left)}" y1="{coord(top)}" x2="{coord(left)}" '
        f'y2="{coord(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append(
        f'<line class="axis" x1="{coord(left)}" y1="{coord(base)}" x2="{coord(left + plot_w)}" '
        f'y2="{coord(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    x_labels = [truncate(label, X_LABEL_MAX_CHARS) for label, _ in data]
    for i in thin(len(data), x_label_limit(len(data), plot_w, x_labels)):
        parts.append(text_at(x_at(i), base + 18, x_labels[i], anchor="middle", cls="x-label"))
    coords = " ".join(f"{coord(x_at(i))},{coord(y_at(v))}" for i, (_, v) in enumerate(data))
    parts.append(
        f'<polyline class="line" points="{coords}" fill="none" stroke="{BRAND}" '
        f'stroke-width="2" stroke-linejoin="round"/>'
    )
    for i, (label, value) in enumerate(data):
        parts.append(
            f'<circle class="point" cx="{coord(x_at(i))}" cy="{coord(y_at(value))}" r="3" '
            f'fill="{BRAND}"><title>{xml_text(label)}: {xml_text(fmt_value(value))}'
            f"</title></circle>"
        )
    last_x, last_y = x_at(len(data) - 1), y_at(values[-1])
    parts.append(
        text_at(
            last_x + 6,
            last_y + 4,
            fmt_value(values[-1]),
            cls="last-value",
            fill=BRAND,
            size=12,
            extra=' font-weight="600"',
        )
    )
    return close_svg(parts)
