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

The package: numbers.py (Vietnamese numbers, ticks, bins), svg.py (the pieces every chart is
drawn from, where the escaping happens), line.py and bars.py (the charts).
"""

from .bars import hbar_chart, histogram
from .line import line_chart
from .numbers import bin_counts, nice_ticks, vn_number
from .svg import EMPTY_MESSAGE, HBAR_ROW

__all__ = [
    "EMPTY_MESSAGE",
    "HBAR_ROW",
    "bin_counts",
    "hbar_chart",
    "histogram",
    "line_chart",
    "nice_ticks",
    "vn_number",
]
