"""Parse a Word (.docx) question bank written the way Vietnamese quiz tools (Azota and the like)
expect, into the same questions and errors as the Excel import. Flask-free.

The layout, paragraph by paragraph:
- A question starts with "Câu 12:", "Câu 12.", "Câu 12 ", "Bài 3:" or, in a file that never
  writes "Câu"/"Bài", with "12." or "12)". The rest of that paragraph and the paragraphs up to
  the first choice are the question text (paragraphs joined by a line break).
- Choices "A." to "H." (or "A)", "A:"), in order, one per paragraph or several on a line. A
  paragraph that is not a choice, question, key, explanation, heading or end continues the
  last choice.
- The correct choice carries "*" ("*C. ..." or "C. *...") or a formatting: underline, bold,
  red text, highlight or shading. Formatting counts on the choice's letter or on most of its
  text; a formatting that every choice of the question has (on its letter, or on its text)
  marks nothing. A key — "Đáp án: C", "Đáp án đúng: A, C", "ĐA: C", or the answer table —
  wins over formatting.
- The answer table follows "ĐÁP ÁN", "BẢNG ĐÁP ÁN", "HẾT", or is a Word table that holds only
  keys: "1-A 2-C 3.B 4:D" in text, "1-A" cells, or cells (number, letter) side by side or one
  above the other.
- "Giải thích:", "Lời giải:", "Hướng dẫn giải:" start the explanation, up to the next question.
- "HẾT" ("--- HẾT ---") ends the questions. "Phần I: X", "PHẦN 2 - X", "Chủ đề: X" make X the
  topic of the questions under them.
- "[Giữ thứ tự]" (or "(giữ nguyên thứ tự)"), on a line of its own or at the end of the question
  or a choice, keeps that question's choices in the file's order; without it a question keeps
  its order when a choice refers to others ("Tất cả các phương án trên", "Cả A và B").
- One correct answer, unless the text says "(chọn nhiều đáp án)" / "(nhiều đáp án)" or the key
  names several letters.
- Pictures (inline, Insert > Pictures): in the question's paragraphs, the question's; in a
  choice's paragraph or alone just under it, the choice's (see docx_pictures).
- A soft line break (Shift+Enter) separates lines like a new paragraph; Word's automatic
  numbering ("Câu 1:", "A." lists) reads as the text Word shows.
Every question is checked and every error is reported as "Câu N: ..." with row=N; a question
with an error is left out.
"""

import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from .choice_order import needs_fixed_order
from .docx_pictures import attach_pictures, run_pictures, settle_pictures, total_fault
from .i18n import _l
from .sheets import FileRejected, Limits, RowError, check_zip_limits, fold
from .xlsx_import import (
    DEFAULT_DIFFICULTY,
    LETTERS,
    MAX_CHOICE,
    MAX_TEXT,
    ParsedChoice,
    ParsedQuestion,
    ParseResult,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VAL = W + "val"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
NO_MARKS: frozenset[str] = frozenset()
RUNS = ".//w:r[not(ancestor::w:txbxContent or ancestor::w:del or ancestor::w:moveFrom)]"
PICTURES = ".//w:drawing | .//w:pict | .//w:object"
FLAGS = re.IGNORECASE | re.DOTALL

QUESTION = re.compile(
    r"\s*(?:(?:câu|bài)(?:\s*hỏi)?\s*(\d{1,4})(?!\d)\s*[:.)\-–]?"
    r"|(\d{1,4})\s*[.)](?!\d))\s*(.*)",
    FLAGS,
)
PREFIXED = re.compile(r"\s*(?:câu|bài)(?:\s*hỏi)?\s*\d", re.IGNORECASE)
CHOICE = re.compile(r"\s*(\*\s*)?([A-H])\s*[.):]\s*(\*\s*)?")
STRONG = {c: re.compile(rf"(?:(?<=\t)|(?<=\s\s))(\*\s*)?({c})\s*[.):]\s*(\*\s*)?") for c in LETTERS}
WEAK = {c: re.compile(rf"(?<=\s)(\*\s*)?({c})\s*[.):](?=\s+\S|\s*\*)\s*(\*\s*)?") for c in LETTERS}
KEY = re.compile(r"(?:đáp\s*án|đa|đ/a)(?:\s*đúng)?(?:\s*là)?(?!\w)\s*([:.\-–]?)\s*(.*)", FLAGS)
KEY_LETTERS = re.compile(r"([A-H](?:\s*(?:(?:[,;/&+]|và)\s*)?[A-H])*)(?:\s*$|\s*[.):](?:\s|$))")
KEY_PAIR = re.compile(
    r"(?<![\w.,])(?:(?i:câu)\s*)?(\d{1,4})\s*(?:[-–.:)]\s*)?"
    r"([A-H](?:[,+&/]?[A-H])*)(?!\w)"
)
NUMBER_CELL = re.compile(r"(?:(?i:câu)\s*)?(\d{1,4})\s*[.:)]?")
LETTERS_CELL = re.compile(r"[A-H](?:\s*(?:[,+&/]\s*)?[A-H])*")
HEADER_CELLS = {"cau", "cau hoi", "dap an", "da", "stt", "so cau", "dap an dung"}
ANSWER_HEADING = re.compile(
    r"(?:bang )?dap an(?: (?:dung|tham khao|chi tiet|trac nghiem|de thi"
    r"|va .*))?|bang dap an .*|huong dan cham.*"
)
END = {"het", "het de", "het de thi", "het bai"}
PART = re.compile(r"phần\s+(?:\d+|[ivxlcdm]+)\b(?:\s*[:.\-–—)]\s*|\s+|$)(.*)", FLAGS)
TOPIC = re.compile(
    r"(?:chủ\s*đề|chuyên\s*đề|lĩnh\s*vực)(?:\s+(?:\d+|[ivxlcdm]+)\b)?"
    r"\s*[:.\-–—]\s*(.+)",
    FLAGS,
)
EXPLAIN = re.compile(
    r"(?:giải\s*thích|lời\s*giải|hướng\s*dẫn\s*giải|hướng\s*dẫn)"
    r"(?:\s*chi\s*tiết)?(?:\s*[:.\-–]\s*|\s*$)(.*)",
    FLAGS,
)
KEEP_ORDER = re.compile(
    r"[\[(]\s*(?:giữ|giu)\s+(?:nguyên\s+|nguyen\s+)?(?:thứ|thu)\s+(?:tự|tu)"
    r"(?:\s+(?:phương|phuong)\s+(?:án|an))?\s*[\])]",
    re.IGNORECASE,
)
MULTIPLE = re.compile(r"\((?:chọn\s+)?nhiều\s+đáp\s+án(?:\s+đúng)?\)", re.IGNORECASE)


def clean(text: str) -> str:
    """NFC, whitespace (tabs, line breaks) collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- the file -----------------------------------------------------------------------------


def check_docx(data: bytes, limits: Limits) -> None:
    """Refuse what is not a plain, reasonably sized .docx, before python-docx opens it."""
    if not data:
        raise FileRejected(_l("Tệp rỗng: không có nội dung."))
    if data[:4] == OLE_MAGIC:
        raise FileRejected(
            _l(
                "Tệp .doc (Word 97-2003) không được hỗ trợ. "
                "Hãy mở tệp trong Word và lưu lại dưới dạng .docx."
            )
        )
    if data[:2] != b"PK":
        raise FileRejected(_l("Tệp không phải là tài liệu Word .docx."))
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise FileRejected(
            _l("Tệp .docx bị hỏng hoặc chưa tải lên hết. Hãy tải lên lại.")
        ) from None
    check_entries(infos, len(data), limits)


def check_entries(infos: list[zipfile.ZipInfo], size: int, limits: Limits) -> None:
    names = check_zip_limits(infos, size, limits)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(
            _l(
                "Tệp có macro (.docm) không được chấp nhận. "
                "Hãy lưu lại dưới dạng .docx thông thường."
            )
        )
    if "word/document.xml" not in names:
        raise FileRejected(_l("Tệp không phải là tài liệu Word .docx."))


def parse_docx(data: bytes, limits: Limits | None = None) -> ParseResult:
    """Questions and "Câu N: ..." errors from a .docx; whole-file problems come back as one
    error and no questions. Never raises."""
    limits = limits or Limits()
    try:
        check_docx(data, limits)
        document = docx.Document(io.BytesIO(data))
        blocks = read_blocks(document)
        reader = Reader(any(isinstance(b, Line) and is_prefixed(b.text) for b in blocks))
        reader.read(blocks, limits)
        return settle_all(reader)
    except FileRejected as rejected:
        return ParseResult(errors=[rejected.error])
    except Exception:  # noqa: BLE001 - python-docx and lxml raise many kinds on bad parts
        return ParseResult(
            errors=[
                RowError(
                    None,
                    None,
                    str(_l("Không đọc được tệp .docx: tệp bị hỏng hoặc không đúng định dạng.")),
                )
            ]
        )


# --- paragraphs and their formatting ------------------------------------------------------


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


# --- keys ---------------------------------------------------------------------------------


def key_letters(text: str) -> str:
    """ "C", "c", "A, C", "A và C", "AC", "C. Hà Nội" -> the letters; "" when not a key.
    Lower case only for a lone letter: "Ba" is a word, not B and A."""
    text = text.strip()
    match = KEY_LETTERS.match(text.upper() if len(text.rstrip(".")) == 1 else text)
    return "".join(dict.fromkeys(re.findall("[A-H]", match.group(1)))) if match else ""


def key_pairs(text: str) -> dict[int, str]:
    """ "1-A  2-C  3.B 4:D", "Câu 5: A", "6-AC" -> {number: letters}."""
    return {
        int(n): "".join(dict.fromkeys(re.findall("[A-H]", v))) for n, v in KEY_PAIR.findall(text)
    }


def table_pairs(rows: list[list[str]]) -> dict[int, str]:
    """Keys from a Word table: "1-A" cells, or a number cell with its letter to the right
    or, failing that, below it ("Câu | 1 | 2" over "Đáp án | A | C")."""
    pairs: dict[int, str] = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            pairs.update(key_pairs(cell))
            number = NUMBER_CELL.fullmatch(cell)
            if number:
                right = row[j + 1] if j + 1 < len(row) else ""
                below = rows[i + 1][j] if i + 1 < len(rows) and j < len(rows[i + 1]) else ""
                letters = next((c for c in (right, below) if LETTERS_CELL.fullmatch(c)), "")
                if letters:
                    pairs[int(number.group(1))] = key_letters(letters)
    return pairs


def is_key_table(rows: list[list[str]]) -> bool:
    """Every filled cell is a key, a number, letters or a heading such as "Câu"/"Đáp án"."""

    def keyish(cell):
        return (
            not KEY_PAIR.sub("", cell).strip(" ,;.")
            or NUMBER_CELL.fullmatch(cell)
            or LETTERS_CELL.fullmatch(cell)
            or fold(cell) in HEADER_CELLS
        )

    return all(keyish(cell) for row in rows for cell in row if cell)


def is_prefixed(text: str) -> bool:
    """A question written "Câu 1: ..." (not an answer line "Câu 1: A"): then bare "1." lines
    are numbered text, not questions."""
    return bool(PREFIXED.match(text)) and not key_pairs(text)


# --- questions being read -----------------------------------------------------------------


@dataclass
class ChoiceDraft:
    label: str
    star: bool
    letter_marks: frozenset[str]
    parts: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    total: int = 0
    start: int = 0  # where its letter is on the line that started it
    pictures: list[bytes | None] = field(default_factory=list)

    def extend(self, line: Line, start: int, end: int) -> None:
        """Add line.text[start:end], counting the marks on its visible characters."""
        self.parts.append(line.text[start:end])
        for char, marks in zip(line.text[start:end], line.marks[start:end], strict=True):
            if not char.isspace():
                self.total += 1
                self.counts.update(marks)

    @property
    def text(self) -> str:
        return clean(" ".join(self.parts))

    @property
    def body_marks(self) -> frozenset[str]:
        """Marks on most of the choice's text."""
        return frozenset(m for m, n in self.counts.items() if n * 2 > self.total)


@dataclass
class Draft:
    number: int
    topic: str
    stem: list[str] = field(default_factory=list)
    choices: list[ChoiceDraft] = field(default_factory=list)
    explanation: list[str] | None = None
    key: str = ""
    keep_order: bool = False
    pictures: list[bytes | None] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)

    def fault(self, message) -> None:
        if str(message) not in self.faults:
            self.faults.append(str(message))

    def accepts_choice(self, label: str) -> bool:
        return label > self.choices[-1].label if self.choices else label == "A"


def choice_tokens(text: str, first: re.Match) -> list[re.Match]:
    """The choice letters on a line, in order: the next letter after a tab or 2+ spaces,
    else after one space when text follows it ("A. 2020 B. 2021")."""
    tokens = [first]
    while tokens[-1].group(2) < "H":
        label, after = chr(ord(tokens[-1].group(2)) + 1), tokens[-1].end()
        token = STRONG[label].search(text, after) or WEAK[label].search(text, after)
        if not token:
            break
        tokens.append(token)
    return tokens


def add_choices(draft: Draft, line: Line, first: re.Match) -> None:
    tokens = choice_tokens(line.text, first)
    ends = [t.start() for t in tokens[1:]] + [len(line.text)]
    for token, end in zip(tokens, ends, strict=True):
        choice = ChoiceDraft(
            token.group(2),
            bool(token.group(1) or token.group(3)),
            line.marks[token.start(2)],
            start=token.start(),
        )
        choice.extend(line, token.end(), end)
        draft.choices.append(choice)


class Reader:
    """Walks the body once, keeping the question being read, the topic and the answer table.
    mode: "questions"; "answers" after an answer heading; "ended" after HẾT."""

    def __init__(self, prefixed: bool):
        self.prefixed = prefixed
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.topic = ""
        self.mode = "questions"
        self.table: dict[int, str] = {}
        self.took_keys = False

    def read(self, blocks: list, limits: Limits) -> None:
        for block in blocks:
            if isinstance(block, Line):
                self.feed(block)
            else:
                self.feed_table(block)
            if len(self.drafts) > limits.max_rows:
                raise FileRejected(
                    _l("Tệp có quá nhiều câu hỏi: tối đa %(n)d câu.", n=limits.max_rows)
                )

    def feed(self, line: Line) -> None:
        text, before = line.text.strip(), self.current
        read = len(before.choices) if before else 0
        if text and self.mode == "questions":
            self.dispatch(line, text)
        elif text:
            self.answer_line(line, text)
        draft = self.current
        if line.pictures and self.mode == "questions" and draft and draft.explanation is None:
            attach_pictures(draft, line.pictures, read if draft is before else 0)

    def dispatch(self, line: Line, text: str) -> None:
        for handler in (
            self.end_line,
            self.heading_line,
            self.keep_order_line,
            self.key_line,
            self.key_list_line,
            self.topic_line,
            self.question_line,
            self.explanation_line,
        ):
            if handler(text):
                return
        self.body_line(line, text)

    def end_line(self, text: str) -> bool:
        if fold(text).strip("_ ") not in END:
            return False
        self.mode, self.current = "ended", None
        return True

    def heading_line(self, text: str) -> bool:
        """ "ĐÁP ÁN", "BẢNG ĐÁP ÁN", a lone "Đáp án:": the answer table follows."""
        if len(text) > 80 or not ANSWER_HEADING.fullmatch(fold(text)):
            return False
        self.mode, self.took_keys = "answers", False
        return True

    def keep_order_line(self, text: str) -> bool:
        """ "[Giữ thứ tự]" alone on a line marks the question being read."""
        if self.current is None or KEEP_ORDER.sub("", text).strip():
            return False
        self.current.keep_order = True
        return True

    def key_line(self, text: str) -> bool:
        """ "Đáp án: C" keys the current question; "Đáp án: 1-A 2-C" is an answer table."""
        match = KEY.match(text)
        if not match:
            return False
        separator, rest = match.groups()
        letters, pairs = key_letters(rest), key_pairs(rest)
        if pairs and not letters:
            self.take_keys(pairs)
            self.mode = "answers"
        elif letters and self.current:
            self.current.key = letters
        elif separator == ":" and self.current:
            self.current.fault(
                _l(
                    'Câu %(n)d: không đọc được dòng "%(t)s": hãy ghi như "Đáp án: C".',
                    n=self.current.number,
                    t=clean(text)[:60],
                )
            )
        return bool(letters or pairs or separator == ":")

    def key_list_line(self, text: str) -> bool:
        """A paragraph of nothing but keys ("1.A  2.B  3.C") is an answer table."""
        pairs = key_pairs(text)
        if len(pairs) < 2 or not is_key_table([[text]]):
            return False
        self.take_keys(pairs)
        return True

    def topic_line(self, text: str) -> bool:
        match = PART.match(text) or TOPIC.match(text)
        if not match:
            return False
        self.topic, self.current = clean(match.group(1)) or clean(text), None
        return True

    def question_line(self, text: str) -> bool:
        match = QUESTION.match(text)
        if not match or not self.starts_question(match):
            return False
        self.current = Draft(int(match.group(1) or match.group(2)), self.topic)
        self.drafts.append(self.current)
        if match.group(3).strip():
            self.current.stem.append(clean(match.group(3)))
        return True

    def starts_question(self, match: re.Match) -> bool:
        """ "Câu 12:" always; a bare "12." only in a file without "Câu", and only once the
        question being read has choices and a smaller number (else it is a numbered line)."""
        if match.group(1):
            return True
        current = self.current
        return not self.prefixed and (
            current is None or bool(current.choices and int(match.group(2)) > current.number)
        )

    def explanation_line(self, text: str) -> bool:
        match = EXPLAIN.match(text)
        if not match or self.current is None:
            return False
        self.current.explanation = [clean(match.group(1))] if match.group(1).strip() else []
        return True

    def body_line(self, line: Line, text: str) -> None:
        """Question text, a choice line, or the continuation of the last choice."""
        draft = self.current
        if draft is None:
            return  # titles and instructions before the first question
        if draft.explanation is not None:
            draft.explanation.append(clean(text))
            return
        choice = CHOICE.match(line.text)
        if choice and draft.accepts_choice(choice.group(2)):
            add_choices(draft, line, choice)
        elif choice and draft.choices:
            draft.fault(
                _l(
                    "Câu %(n)d: phương án %(l)s xuất hiện hai lần (có thể thiếu dòng "
                    '"Câu ..." của câu sau).',
                    n=draft.number,
                    l=choice.group(2),
                )
            )
        elif draft.choices:
            draft.choices[-1].extend(line, 0, len(line.text))
        else:
            draft.stem.append(clean(text))

    def answer_line(self, line: Line, text: str) -> None:
        """After an answer heading: keys by number. A lone "Đáp án:" inside a question
        followed by "C" keys that question; a new "Câu N" goes back to the questions."""
        pairs = key_pairs(text)
        if pairs:
            self.take_keys(pairs)
        elif self.mode == "answers" and not self.took_keys:
            letters = key_letters(text)
            if letters and self.current and not self.current.key:
                self.current.key, self.mode = letters, "questions"
            elif is_prefixed(text):
                self.mode = "questions"
                self.dispatch(line, text)

    def feed_table(self, rows: list[list[str]]) -> None:
        """A table in the answer section, or one holding only keys between questions, is
        the answer table; a table inside a question's text is refused (its content would be
        lost); other tables (a title block) are skipped."""
        pairs, current = table_pairs(rows), self.current
        in_text = current is not None and not current.choices and current.explanation is None
        if self.mode != "questions" or (pairs and is_key_table(rows) and not in_text):
            self.take_keys(pairs)
        elif in_text:
            current.fault(
                _l(
                    "Câu %(n)d: có bảng; hệ thống chưa hỗ trợ câu hỏi có bảng, "
                    "hãy chuyển bảng thành chữ.",
                    n=current.number,
                )
            )

    def take_keys(self, pairs: dict[int, str]) -> None:
        self.table.update(pairs)
        self.took_keys, self.current = self.took_keys or bool(pairs), None


# --- checking and building the questions --------------------------------------------------


def settle_all(reader: Reader) -> ParseResult:
    result = ParseResult()
    numbers = Counter(d.number for d in reader.drafts)
    reported: set[str] = set()  # a duplicated number reports its problem once
    for draft in reader.drafts:
        if numbers[draft.number] > 1:
            draft.fault(
                _l(
                    "Câu %(n)d: có %(k)d câu cùng số %(n)d; hãy đánh số câu không trùng "
                    "nhau trong cả tệp.",
                    n=draft.number,
                    k=numbers[draft.number],
                )
            )
        question = settle(draft, reader.table.get(draft.number, ""))
        result.errors.extend(
            RowError(draft.number, None, f) for f in draft.faults if f not in reported
        )
        reported.update(draft.faults)
        if question:
            result.questions.append(question)
    check_table_numbers(reader.table, numbers, result)
    too_big = total_fault(result.questions)
    if too_big:
        result.errors.append(RowError(None, None, too_big))
    if not result.questions and not result.errors:
        result.errors.append(
            RowError(
                None,
                None,
                str(
                    _l(
                        'Không tìm thấy câu hỏi nào: mỗi câu cần bắt đầu bằng "Câu 1:" '
                        "và có các phương "
                        'án "A.", "B."... Hãy xem lại tệp.'
                    )
                ),
            )
        )
    return result


def check_table_numbers(table: dict[int, str], numbers: Counter, result: ParseResult) -> None:
    """An answer-table entry names an existing question."""
    for number in sorted(set(table) - set(numbers)):
        result.errors.append(
            RowError(
                number,
                None,
                str(
                    _l(
                        "Câu %(n)d: bảng đáp án có câu %(n)d nhưng tệp không có câu hỏi số %(n)d.",
                        n=number,
                    )
                ),
            )
        )


def settle(draft: Draft, table_key: str) -> ParsedQuestion | None:
    """The question when it has no error; its faults otherwise."""
    text = without_marker(draft, "\n".join(draft.stem))
    check_text(draft, text)
    choices = [ParsedChoice(c.label, without_marker(draft, c.text), False) for c in draft.choices]
    image = settle_pictures(draft, choices)
    check_choices(draft, choices)
    mark_correct(draft, choices, text, table_key)
    if draft.faults:
        return None
    return ParsedQuestion(
        row=draft.number,
        text=text,
        choices=choices,
        topic=draft.topic,
        difficulty=DEFAULT_DIFFICULTY,
        explanation="\n".join(draft.explanation or []),
        keep_choice_order=draft.keep_order or needs_fixed_order(c.text for c in choices),
        image=image,
    )


def without_marker(draft: Draft, text: str) -> str:
    """The text without a "[Giữ thứ tự]" marker, which marks the draft."""
    if not KEEP_ORDER.search(text):
        return text
    draft.keep_order = True
    lines = (clean(line) for line in KEEP_ORDER.sub("", text).split("\n"))
    return "\n".join(line for line in lines if line)


def check_text(draft: Draft, text: str) -> None:
    n = draft.number
    if not text:
        draft.fault(_l("Câu %(n)d: thiếu nội dung câu hỏi.", n=n))
    elif len(text) > MAX_TEXT:
        draft.fault(_l("Câu %(n)d: câu hỏi dài quá %(m)d ký tự.", n=n, m=MAX_TEXT))


def check_choices(draft: Draft, choices: list[ParsedChoice]) -> None:
    """At least two choices, lettered A, B, C... without a gap, none empty or too long."""
    n = draft.number
    if len(choices) < 2:
        draft.fault(_l("Câu %(n)d: cần ít nhất hai phương án trả lời (A., B., ...).", n=n))
    labels = "".join(c.label for c in choices)
    if labels and labels != LETTERS[: len(labels)]:
        missing = next(c for c in LETTERS[: LETTERS.index(labels[-1])] if c not in labels)
        draft.fault(_l("Câu %(n)d: thiếu phương án %(l)s.", n=n, l=missing))
    for choice in choices:
        if not choice.text and not choice.image:
            draft.fault(_l("Câu %(n)d: phương án %(l)s bị bỏ trống.", n=n, l=choice.label))
        elif len(choice.text) > MAX_CHOICE:
            draft.fault(
                _l(
                    "Câu %(n)d: phương án %(l)s dài quá %(m)d ký tự.",
                    n=n,
                    l=choice.label,
                    m=MAX_CHOICE,
                )
            )


def marked_letters(choices: list[ChoiceDraft]) -> str:
    """Letters marked by "*" or by a formatting that not every choice has: formatting on the
    letters and formatting on the texts are compared separately, so bold letters everywhere
    plus one bold text marks that one."""
    if not choices:
        return ""
    shared_letter = frozenset.intersection(*(c.letter_marks for c in choices))
    shared_body = frozenset.intersection(*(c.body_marks for c in choices))
    return "".join(
        c.label
        for c in choices
        if c.star or c.letter_marks - shared_letter or c.body_marks - shared_body
    )


def answer_key(draft: Draft, table_key: str) -> str:
    """ "Đáp án:" line or answer table; both must agree."""
    if draft.key and table_key and set(draft.key) != set(table_key):
        draft.fault(
            _l(
                'Câu %(n)d: dòng "Đáp án" ghi %(a)s nhưng bảng đáp án ghi %(b)s.',
                n=draft.number,
                a=draft.key,
                b=table_key,
            )
        )
    return draft.key or table_key


def mark_correct(draft: Draft, choices: list[ParsedChoice], text: str, table_key: str) -> None:
    """A key wins over formatting; several marks need "(chọn nhiều đáp án)" or a key that
    names several letters."""
    n, key = draft.number, answer_key(draft, table_key)
    letters = key or marked_letters(draft.choices)
    by_label = {c.label: c for c in choices}
    for letter in letters:
        if letter in by_label:
            by_label[letter].correct = True
        else:
            draft.fault(
                _l(
                    "Câu %(n)d: đáp án %(l)s không phải là một phương án của câu này.",
                    n=n,
                    l=letter,
                )
            )
    if not letters:
        draft.fault(_l("Câu %(n)d: chưa đánh dấu đáp án đúng.", n=n))
    elif len(letters) > 1 and not key and not MULTIPLE.search(text):
        draft.fault(
            _l(
                "Câu %(n)d: có %(k)d đáp án được đánh dấu nhưng câu hỏi chỉ có một đáp án đúng.",
                n=n,
                k=len(letters),
            )
        )
