"""The pieces every chart is drawn from: the root and its title, text placed at a point,
coordinates, the empty chart, label thinning. Data becomes XML text only through xml_text
(forbidden characters dropped, then escaped); colours are presentation attributes, never
style="" (the Content-Security-Policy is style-src 'self')."""

import math
import re

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


def xml_text(value) -> str:
    """Data as XML text or attribute value: forbidden characters dropped, then escaped."""
    return str(escape(_XML_INVALID.sub("", str(value))))


def coord(x: float) -> str:
    """An SVG coordinate: short, plain, deterministic."""
    text = f"{float(x):.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def truncate(label: str, limit: int = LABEL_MAX_CHARS) -> str:
    label = " ".join(str(label).split())
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip() + "…"


def open_svg(width: float, height: float, title: str) -> list[str]:
    t = xml_text(title)
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {coord(width)} {coord(height)}" '
        f'role="img" aria-label="{t}">'
    )
    heading = (
        f'<text class="chart-title" x="8" y="20" font-size="{TITLE_SIZE}" '
        f'font-weight="600" fill="{TEXT}">{t}</text>'
    )
    return [root, f"<title>{t}</title>", f'<g font-family="{FONT_FAMILY}" fill="{TEXT}">', heading]


def close_svg(parts: list[str]) -> str:
    return "\n".join(parts + ["</g>", "</svg>"])


def text_at(
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
        f'<text{klass} x="{coord(x)}" y="{coord(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{xml_text(text)}</text>'
    )


def empty_chart(width: float, height: float, title: str) -> str:
    parts = open_svg(width, height, title)
    parts.append(
        text_at(width / 2, height / 2 + 8, EMPTY_MESSAGE, anchor="middle", cls="empty", size=13)
    )
    return close_svg(parts)


def check_size(*sizes: float) -> None:
    if any(not (isinstance(s, (int, float)) and math.isfinite(s) and s > 0) for s in sizes):
        raise ValueError("chart sizes must be positive numbers")


def thin(n: int, limit: int) -> list[int]:
    """At most ``limit`` indices of range(n), evenly spread, first and last included."""
    if n <= limit:
        return list(range(n))
    if limit <= 1:
        return [0]
    return sorted({round(i * (n - 1) / (limit - 1)) for i in range(limit)})


def x_label_limit(n: int, plot_w: float, labels: list[str]) -> int:
    """How many of n evenly spaced x labels fit: at most MAX_X_LABELS, and few enough that
    the indices _thin picks are at least one label width (plus a gap) apart."""
    if n <= 1:
        return n
    label_px = CHAR_WIDTH * max(len(label) for label in labels) + 12
    min_gap = max(1, math.ceil(label_px / (plot_w / (n - 1))))
    return max(2, min(MAX_X_LABELS, (n - 1) // min_gap + 1))
