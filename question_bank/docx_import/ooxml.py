"""Reading the OOXML of a .docx: paragraphs and their runs' formatting (bold, underline,
red, highlight), Word's automatic numbering, soft line breaks, pictures and tables, in body order.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from ..docx_pictures import run_pictures

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VAL = W + "val"
NO_MARKS: frozenset[str] = frozenset()
RUNS = ".//w:r[not(ancestor::w:txbxContent or ancestor::w:del or ancestor::w:moveFrom)]"
PICTURES = ".//w:drawing | .//w:pict | .//w:object"


def clean(text: str) -> str:
    """NFC, whitespace (tabs, line breaks) collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Line:
    """One line of a paragraph: its text (NFC per run, tabs kept), the marks on each character
    and its pictures as (offset in the line, bytes or None for an object without a picture)."""

    text: str
    marks: list[frozenset[str]]
    pictures: list[tuple[int, bytes | None]] = field(default_factory=list)


def is_red(value: str | None) -> bool:
    """Red dominant: FF0000, C00000, E60000... (R >= 0xB0, G and B <= 0x60)."""
    if not value or not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        return False
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return red >= 0xB0 and green <= 0x60 and blue <= 0x60


MARKERS = {
    W + "b": ("bold", lambda e: e.get(VAL) not in ("0", "false", "off")),
    W + "u": ("underline", lambda e: e.get(VAL) != "none"),
    W + "color": ("red", lambda e: is_red(e.get(VAL))),
    W + "highlight": ("highlight", lambda e: e.get(VAL) != "none"),
    W + "shd": (
        "highlight",
        lambda e: (e.get(W + "fill") or "auto").upper() not in ("AUTO", "FFFFFF"),
    ),
}


def run_marks(rpr, styles: dict[str, frozenset[str]]) -> frozenset[str]:
    """The marks of a run: its character style's, then its own formatting (which may undo)."""
    if rpr is None:
        return NO_MARKS
    style = rpr.find(W + "rStyle")
    marks = set(styles.get(style.get(VAL), NO_MARKS) if style is not None else NO_MARKS)
    for child in rpr:
        kind, test = MARKERS.get(child.tag, (None, None))
        if kind and test(child):
            marks.add(kind)
        elif kind:
            marks.discard(kind)
    return frozenset(marks)


def character_styles(document) -> dict[str, frozenset[str]]:
    """Marks each character style gives ("Strong" is bold)."""
    styles = {}
    for style in document.styles.element.xpath("w:style[@w:type='character']"):
        styles[style.get(W + "styleId")] = run_marks(style.find(W + "rPr"), {})
    return styles


ROMAN = (
    ("m", 1000),
    ("cm", 900),
    ("d", 500),
    ("cd", 400),
    ("c", 100),
    ("xc", 90),
    ("l", 50),
    ("xl", 40),
    ("x", 10),
    ("ix", 9),
    ("v", 5),
    ("iv", 4),
    ("i", 1),
)


def format_number(n: int, kind: str) -> str:
    """A list counter as Word shows it; bullets and unknown kinds show nothing we parse."""
    if kind == "decimal":
        return str(n)
    if kind.endswith("Letter") and n > 0:
        text = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    elif kind.endswith("Roman") and 0 < n < 4000:
        text = ""
        for numeral, value in ROMAN:
            count, n = divmod(n, value)
            text += numeral * count
    else:
        return ""
    return text.upper() if kind.startswith("upper") else text


NO_LEVEL = ("", "", 1)


class Numbering:
    """Word's automatic numbering ("Câu %1.", "%1.", "A."), rendered as the text it shows so
    auto-numbered questions and choices read like typed ones. Counters are kept per list
    definition; a list instance that restarts a level starts it again on first use."""

    def __init__(self, root=None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> abstract, restarts
        self.counters: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()
        for abstract in root.iterchildren(W + "abstractNum") if root is not None else ():
            self.levels[abstract.get(W + "abstractNumId")] = {
                int(lvl.get(W + "ilvl", "0")): level_format(lvl)
                for lvl in abstract.iterchildren(W + "lvl")
            }
        for num in root.iterchildren(W + "num") if root is not None else ():
            self.nums[num.get(W + "numId")] = (child_val(num, "abstractNumId"), restarts(num))

    def label(self, paragraph) -> str:
        """The number shown before the paragraph, counting it; "" for none or a bullet."""
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        num_id = child_val(num_pr, "numId")
        if num_id not in self.nums:
            return ""
        abstract, level = self.nums[num_id][0], int(child_val(num_pr, "ilvl") or 0)
        levels, counters = self.levels.get(abstract, {}), self.count(num_id, level)
        if levels.get(level, NO_LEVEL)[0] in ("bullet", "none"):
            return ""

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            return format_number(counters.get(at, 0), levels.get(at, NO_LEVEL)[0])

        return re.sub(r"%(\d)", number, levels.get(level, NO_LEVEL)[1])

    def count(self, num_id: str, level: int) -> dict[int, int]:
        """Step the level's counter; deeper levels start again."""
        abstract, overrides = self.nums[num_id]
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.seen:
            self.seen.add(num_id)
            counters.update({at: start - 1 for at, start in overrides.items()})
        start = self.levels.get(abstract, {}).get(level, NO_LEVEL)[2]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [at for at in counters if at > level]:
            del counters[deeper]
        return counters


def restarts(num) -> dict[int, int]:
    """{level: start} for the levels a list instance restarts (w:startOverride)."""
    return {
        int(o.get(W + "ilvl", "0")): int(child_val(o, "startOverride"))
        for o in num.iterchildren(W + "lvlOverride")
        if child_val(o, "startOverride")
    }


def child_val(element, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return child.get(VAL) if child is not None else None


def level_format(lvl) -> tuple[str, str, int]:
    """(numFmt, lvlText, start) of a list level."""
    return (
        child_val(lvl, "numFmt") or "decimal",
        child_val(lvl, "lvlText") or "",
        int(child_val(lvl, "start") or 1),
    )


def read_numbering(document) -> Numbering:
    try:
        return Numbering(document.part.part_related_by(RT.NUMBERING).element)
    except KeyError:
        return Numbering()


def read_lines(
    paragraph, styles: dict[str, frozenset[str]], numbering: Numbering, part=None
) -> list[Line]:
    """A paragraph as lines: a soft line break (Shift+Enter) separates lines as a new
    paragraph would. The automatic number, if any, starts the text with the formatting of the
    paragraph mark; each character carries its run's marks; pictures are placed by offset."""
    label = numbering.label(paragraph)
    texts = [label + " "] if label else []
    marks = [run_marks(paragraph.find(f"{W}pPr/{W}rPr"), styles)] * len("".join(texts))
    pictures, has_pictures = [], bool(paragraph.xpath(PICTURES))
    for run in paragraph.xpath(RUNS):
        if has_pictures and run.xpath(PICTURES):
            pictures.extend((len(marks), blob) for blob in run_pictures(part, run))
        texts.append(unicodedata.normalize("NFC", run.text))
        marks.extend([run_marks(run.rPr, styles)] * len(texts[-1]))
    return split_lines("".join(texts), marks, pictures)


def split_lines(text: str, marks: list[frozenset[str]], pictures: list) -> list[Line]:
    lines, start = [], 0
    for piece in text.split("\n"):
        end = start + len(piece)
        lines.append(
            Line(
                piece,
                marks[start:end],
                [(at - start, blob) for at, blob in pictures if start <= at <= end],
            )
        )
        start = end + 1
    return lines


def cell_text(cell) -> str:
    return clean(
        " ".join(
            "".join(run.text for run in paragraph.xpath(RUNS)) for paragraph in cell.iter(W + "p")
        )
    )


def read_table(table) -> list[list[str]]:
    """The table as rows of cell texts (a merged cell appears once)."""
    return [
        [cell_text(cell) for cell in row.iterchildren(W + "tc")]
        for row in table.iterchildren(W + "tr")
    ]


def read_blocks(document) -> list:
    """The body in order: a Line per paragraph, rows of cell texts per table."""
    styles, numbering = character_styles(document), read_numbering(document)
    blocks: list = []

    def walk(element):
        for child in element.iterchildren():
            if child.tag == W + "p":
                blocks.extend(read_lines(child, styles, numbering, document.part))
            elif child.tag == W + "tbl":
                blocks.append(read_table(child))
            elif child.tag == W + "sdt":
                walk(child.find(W + "sdtContent"))

    walk(document.element.body)
    return blocks
