"""Server-side SVG charts: well-formed XML, escaped text, no inline styles, right content."""

import ast
import math
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest

from contest import charts
from contest.charts import (
    EMPTY_MESSAGE,
    bin_counts,
    hbar_chart,
    histogram,
    line_chart,
    nice_ticks,
    vn_number,
)

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"quoted\" 'single'"
SAMPLE_VALUES = [0, 1, 1, 2, 5, 5, 5, 10]
SAMPLE_BINS = [0, 2.5, 5, 7.5, 10]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def find(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    return [el for el in root.iter(f"{NS}{tag}") if cls is None or el.get("class") == cls]


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(el.itertext()) for el in find(root, "text", cls)]


def hour_points(n: int) -> list[tuple[str, float]]:
    return [(f"{h % 24:02d}:00", float((h * 7) % 11)) for h in range(n)]


def every_chart(title: str = "Biểu đồ", label: str = "Đơn vị") -> list[str]:
    return [
        line_chart([(label, 3), ("09/03", 5)], title, y_label=label),
        histogram([1, 2, 3], [0, 5, 10], title),
        hbar_chart([(label, 0.5), ("Sở Tư pháp", 1)], title),
        line_chart([], title),
        histogram([], [0, 1], title),
        hbar_chart([], title),
    ]


# ---------------------------------------------------------------- numbers


def test_vn_number_uses_vietnamese_separators():
    assert vn_number(12345) == "12.345"
    assert vn_number(0.5, 1) == "0,5"
    assert vn_number(1234567.891, 2) == "1.234.567,89"
    assert vn_number(999) == "999"
    assert vn_number(-1234.5, 1) == "-1.234,5"
    assert vn_number(-0.4) == "0"
    assert vn_number(float("nan")) == "–"


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0, 37) == [0, 10, 20, 30, 40]
    assert nice_ticks(0, 1) == [0, 0.25, 0.5, 0.75, 1]
    assert nice_ticks(0, 1, integer=True) == [0, 1]
    assert nice_ticks(0, 0, integer=True) == [0, 1]
    assert nice_ticks(0, 0)[-1] == 1
    for lo, hi in [(0, 3), (0, 0.73), (-12, 48), (0, 12345)]:
        ticks = nice_ticks(lo, hi)
        assert ticks[0] <= lo and ticks[-1] >= hi
        assert len(ticks) <= 6
        step = ticks[1] - ticks[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))


# ---------------------------------------------------------------- well-formed, escaped, no style


@pytest.mark.parametrize("index", range(6))
def test_every_chart_is_wellformed_with_accessible_root(index):
    svg = every_chart()[index]
    root = parse(svg)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Biểu đồ"
    assert root[0].tag == f"{NS}title" and root[0].text == "Biểu đồ"
    assert root.get("viewBox").split()[:2] == ["0", "0"]
    assert any(el.get("font-family") == "system-ui, sans-serif" for el in root.iter())


@pytest.mark.parametrize("index", range(6))
def test_hostile_title_and_labels_are_escaped(index):
    svg = every_chart(title=HOSTILE, label=HOSTILE)[index]
    root = parse(svg)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert root.get("aria-label") == HOSTILE
    assert root[0].text == HOSTILE


def test_characters_forbidden_in_xml_are_dropped():
    svg = hbar_chart([("Phòng\x00 \x1bA\x08", 0.3)], "Tiêu đề\x0c")
    root = parse(svg)
    assert texts(root, "label") == ["Phòng A"]
    assert root.get("aria-label") == "Tiêu đề"


@pytest.mark.parametrize("index", range(6))
def test_no_inline_style_and_accessible_colours(index):
    svg = every_chart()[index]
    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    root = parse(svg)
    for el in find(root, "text"):
        assert el.get("fill") in {"#1d1d1f", "#555b66", "#a31d1d"}


def test_package_does_not_import_flask():
    files = sorted(Path(charts.__file__).parent.glob("*.py"))
    assert len(files) > 1
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not any(name.split(".")[0] == "flask" for name in imported), path.name


def test_charts_are_deterministic():
    assert every_chart() == every_chart()


# ---------------------------------------------------------------- line chart


@pytest.mark.parametrize("n", [1, 2, 5, 8, 9, 24, 100])
def test_line_chart_has_a_dot_per_point_and_at_most_eight_x_labels(n):
    points = hour_points(n)
    root = parse(line_chart(points, "Lượt vào thi theo giờ", y_label="Lượt"))
    assert len(find(root, "circle")) == n
    labels = texts(root, "x-label")
    assert len(labels) == min(n, 8)
    assert labels[0] == points[0][0]
    assert labels[-1] == points[-1][0]
    assert len(find(root, "polyline")) == 1


@pytest.mark.parametrize("n", [2, 5, 8, 9, 13, 48, 500])
def test_line_chart_shows_fewer_long_x_labels_so_they_do_not_collide(n):
    points = [(f"{8 + i // 24:02d}/03 {i % 24:02d}:00", i) for i in range(n)]
    root = parse(line_chart(points, "Lượt vào thi theo giờ"))
    assert len(find(root, "circle")) == n
    labels = find(root, "text", "x-label")
    assert 2 <= len(labels) <= min(n, 8)
    xs = [float(el.get("x")) for el in labels]
    widest = 6.2 * max(len(el.text) for el in labels)
    assert all(b - a >= widest for a, b in pairwise(xs))
    assert labels[0].text == points[0][0] and labels[-1].text == points[-1][0]


def test_line_chart_thins_x_labels_evenly():
    points = [(f"L{i}", i) for i in range(15)]
    labels = texts(parse(line_chart(points, "t")), "x-label")
    assert labels == ["L0", "L2", "L4", "L6", "L8", "L10", "L12", "L14"]


def test_line_chart_labels_the_last_value_and_round_y_ticks():
    root = parse(line_chart([("a", 1200), ("b", 3400), ("c", 12345)], "Lượt"))
    assert texts(root, "last-value") == ["12.345"]
    assert texts(root, "y-tick") == ["0", "5.000", "10.000", "15.000"]
    assert len(find(root, "line", "grid")) == 4


def test_line_chart_decimal_values_and_y_label():
    root = parse(line_chart([("a", 0.25), ("b", 7.5)], "Điểm TB", y_label="Điểm"))
    assert texts(root, "last-value") == ["7,5"]
    assert texts(root, "y-label") == ["Điểm"]
    assert "style=" not in ET.tostring(root, encoding="unicode")


def test_line_chart_dots_follow_the_values():
    root = parse(line_chart([("a", 0), ("b", 10), ("c", 5)], "t"))
    ys = [float(c.get("cy")) for c in find(root, "circle")]
    xs = [float(c.get("cx")) for c in find(root, "circle")]
    assert xs == sorted(xs)
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downwards


def test_line_chart_skips_non_finite_values():
    root = parse(line_chart([("a", 1), ("b", float("nan")), ("c", 2)], "t"))
    assert len(find(root, "circle")) == 2


# ---------------------------------------------------------------- histogram


def test_bin_counts_hand_made_sample():
    # [0,2.5): 0,1,1,2 · [2.5,5): none · [5,7.5): 5,5,5 · [7.5,10]: 10 (last bin inclusive)
    assert bin_counts(SAMPLE_VALUES, SAMPLE_BINS) == [4, 0, 3, 1]


def test_bin_counts_edges_and_outside_values():
    assert bin_counts([2.5, 5, 7.5], SAMPLE_BINS) == [0, 1, 1, 1]
    assert bin_counts([-1, 10.01, float("nan"), 10, 10], SAMPLE_BINS) == [0, 0, 0, 2]


@pytest.mark.parametrize("bins", [[], [1], [0, 0, 1], [3, 2], [0, float("inf")]])
def test_bin_counts_rejects_bad_bins(bins):
    with pytest.raises(ValueError):
        bin_counts([1], bins)


def test_histogram_has_a_bar_per_bin_and_the_right_counts():
    root = parse(histogram(SAMPLE_VALUES, SAMPLE_BINS, "Phổ điểm"))
    bars = find(root, "rect", "bar")
    assert len(bars) == len(SAMPLE_BINS) - 1
    assert texts(root, "count") == ["4", "0", "3", "1"]
    assert texts(root, "bin-label") == ["0–2,5", "2,5–5", "5–7,5", "7,5–10"]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[1] == 0
    assert heights[0] == max(heights)
    assert math.isclose(heights[2] / heights[0], 3 / 4, rel_tol=0.01)
    assert math.isclose(heights[3] / heights[0], 1 / 4, rel_tol=0.01)


def test_histogram_with_many_bins_keeps_every_bar_and_count():
    bins = list(range(101))
    root = parse(histogram([float(v) for v in range(100)], bins, "Phổ điểm"))
    assert len(find(root, "rect", "bar")) == 100
    assert texts(root, "count") == ["1"] * 100
    assert 1 < len(texts(root, "bin-label")) < 100


# ---------------------------------------------------------------- horizontal bars


def test_hbar_height_grows_with_rows():
    def height(n):
        svg = hbar_chart([(f"Câu {i + 1}", i / 10) for i in range(n)], "Tỉ lệ đúng", max_value=1)
        root = parse(svg)
        assert len(find(root, "rect", "bar")) == n
        return float(root.get("viewBox").split()[3])

    h1, h5, h20 = height(1), height(5), height(20)
    assert h1 < h5 < h20
    assert h20 - h5 == 15 * charts.HBAR_ROW


def test_hbar_truncates_long_labels_and_prints_values():
    long_name = "Ủy ban nhân dân xã " + "Phước Long Thọ " * 5
    root = parse(hbar_chart([(long_name, 0.456), ("Sở Nội vụ", 1.0)], "Tham gia", max_value=1))
    labels = texts(root, "label")
    assert labels[0].endswith("…") and len(labels[0]) <= 40
    assert labels[1] == "Sở Nội vụ"
    assert texts(root, "value") == ["46%", "100%"]
    assert long_name.split()[0] in "".join(find(root, "g", "row")[0].itertext())


def test_hbar_bars_scale_to_max_value_and_sit_before_their_value():
    root = parse(hbar_chart([("a", 0.25), ("b", 0.5), ("c", 1.5), ("d", -1)], "t", max_value=1))
    bars = find(root, "rect", "bar")
    widths = [float(bar.get("width")) for bar in bars]
    assert math.isclose(widths[1], 2 * widths[0], rel_tol=0.01)
    assert widths[2] == max(widths)  # clipped to the full width
    assert widths[3] == 0
    for bar, value in zip(bars, find(root, "text", "value")):
        assert float(value.get("x")) >= float(bar.get("x")) + float(bar.get("width"))


def test_hbar_value_format_uses_vietnamese_separators():
    root = parse(
        hbar_chart([("Đơn vị A", 12345), ("Đơn vị B", 0.505)], "t", value_format="{:,.1f} lượt")
    )
    assert texts(root, "value") == ["12.345,0 lượt", "0,5 lượt"]
    root = parse(hbar_chart([("a", 0.505)], "t", value_format="{:.1%}"))
    assert texts(root, "value") == ["50,5%"]


# ---------------------------------------------------------------- empty inputs


@pytest.mark.parametrize(
    "svg",
    [
        line_chart([], "Lượt vào thi"),
        histogram([], SAMPLE_BINS, "Phổ điểm"),
        hbar_chart([], "Tỉ lệ đúng"),
    ],
    ids=["line", "histogram", "hbar"],
)
def test_empty_inputs_show_the_message(svg):
    root = parse(svg)
    assert texts(root, "empty") == [EMPTY_MESSAGE]
    assert EMPTY_MESSAGE == "Chưa có dữ liệu"
    message = find(root, "text", "empty")[0]
    assert message.get("text-anchor") == "middle"
    width = float(root.get("viewBox").split()[2])
    assert math.isclose(float(message.get("x")), width / 2)
    assert not find(root, "rect") and not find(root, "circle")
