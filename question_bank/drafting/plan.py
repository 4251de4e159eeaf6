"""A plan's text as paragraphs, headings and sentences, every piece a verbatim substring of the
whitespace-folded plan.

Plans arrive as text extracted from PDF (lines wrapped at the page width, blank lines in the
middle of sentences), as Word paragraphs (one line each) or as Markdown. Lines are joined into
paragraphs: a bullet ("-", "+"), a number ("1.", "2.1.", "IV.", "a)") or a Markdown heading
starts a new one; so does a capital letter after a line that ends a sentence, after a heading or
after a short line (a title); in text that is already one paragraph per line (few lines carry on
in lower case), every line is a paragraph.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from ..cells import fold

BULLET = re.compile(r"[-+•–]\s+")
ENUM = re.compile(
    r"(?:(?P<roman>[IVXL]+)\.|(?P<num>\d{1,2}(?:\.\d{1,2})*)\.|(?P<letter>[a-zđ])\))"
    r"\s+"
)
TERMINAL = (".", ";", ":", "!", "?", ".”", ";”", "./.", "…")
MD_EDGE = "#*_> "
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[“\"(]?[A-ZĐÀ-Ỹ])")
HEADING_WORDS = 24
CLOSING = re.compile(r"(?:Trên đây là|Nơi nhận)\b")


def fold_ws(text: str) -> str:
    """Whitespace (tabs, line breaks, runs of spaces) folded to single spaces."""
    return " ".join(text.split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_md(text: str) -> str:
    """Markdown marks and spaces trimmed at both ends (a substring of the text stays one)."""
    return text.strip(MD_EDGE + "\t")


@dataclass
class Para:
    text: str  # folded, Markdown marks trimmed at the ends
    number: str = ""  # "1.", "2.1.", "IV.", "a)"
    title: str = ""  # the text after the number (or the whole text)
    level: int = 9  # 0 closing, 1 roman, 2 "1.", 3 "1.1.", 5 "a)"; 9 not a heading
    heading: bool = False
    bullet: bool = False
    index: int = 0
    parents: list["Para"] = field(default_factory=list, repr=False)

    @property
    def body(self) -> str:
        """The text without its bullet or number."""
        return self.title


def split_marker(text: str) -> tuple[str, str, int, bool]:
    """(number, rest, level, bullet) of a paragraph's start."""
    bullet = BULLET.match(text)
    if bullet:
        return "", text[bullet.end() :], 9, True
    enum = ENUM.match(text)
    if not enum:
        return "", text, 9, False
    if enum.group("roman"):
        level = 1
    elif enum.group("num"):
        level = 2 + enum.group("num").count(".")
    else:
        level = 5
    return enum.group(0).strip(), text[enum.end() :], level, False


class Plan:
    """The plan's folded text, its paragraphs with the headings above each, and where it is."""

    def __init__(self, text: str):
        text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
        self.folded = fold_ws(text)
        self.paras = build_paras(text.split("\n"))
        for i, para in enumerate(self.paras):
            para.index = i
        attach_parents(self.paras)
        self.province, self.local_level, self.local_name = locality(self.folded)

    def sentences(self, para: Para) -> list[str]:
        return split_sentences(para.text)

    def under(self, heading: Para) -> list[Para]:
        """The paragraphs below a heading, up to the next heading at its level or above."""
        out = []
        for para in self.paras[heading.index + 1 :]:
            if para.heading and para.level <= heading.level:
                break
            out.append(para)
        return out

    def joined(self, first: str, second: str) -> str:
        """`first` and `second` as one verbatim span when only spaces or Markdown marks stand
        between them in the plan ("1. Tuyên truyền trực quan** Cơ quan chủ trì: ..."); else
        `second`."""
        start = self.folded.find(first)
        while start >= 0:
            end = self.folded.find(second, start + len(first))
            if end >= 0 and not self.folded[start + len(first) : end].strip(MD_EDGE + "-"):
                return self.folded[start : end + len(second)]
            start = self.folded.find(first, start + 1)
        return second


def line_start(line: str) -> str:
    return strip_md(line.strip())


def build_paras(lines: list[str]) -> list[Para]:
    stripped = [line.strip() for line in lines]
    filled = [s for s in stripped if s]
    lengths = sorted(len(s) for s in filled) or [0]
    short = 0.7 * lengths[int(0.9 * (len(lengths) - 1))]
    follows = sum(1 for _, b in pairwise(filled) if line_start(b)[:1].islower())
    one_per_line = follows < 0.1 * max(len(filled), 1)
    groups: list[list[str]] = []
    blank = False
    for raw in stripped:
        if not raw:
            blank = True
            continue
        if not groups or starts_new(groups[-1], raw, blank, one_per_line, short):
            groups.append([raw])
        else:
            groups[-1].append(raw)
        blank = False
    return [make_para(group) for group in groups if strip_md(fold_ws(" ".join(group)))]


def is_heading_text(text: str) -> bool:
    """A number and a short title: no semicolon at the end, a period only after a few words."""
    number, rest, _, bullet = split_marker(text)
    rest = rest.rstrip("*_ ")
    words = len(rest.split())
    return (
        bool(number)
        and not bullet
        and words <= HEADING_WORDS
        and not rest.endswith(";")
        and (not rest.endswith(".") or words <= 6)
    )


def starts_new(group: list[str], raw: str, blank: bool, one_per_line: bool, short: float) -> bool:
    start = line_start(raw)
    if raw.startswith("#") or BULLET.match(start) or ENUM.match(start):
        return True
    if not start[:1].isupper() and start[:1] not in '“"(':
        return False
    if one_per_line:
        return True
    previous = strip_md(group[-1])
    if previous.endswith(TERMINAL) or previous.isupper():
        return True
    if len(group) == 1 and len(group[0]) < short and is_heading_text(line_start(group[0])):
        return True
    return blank and len(group[-1]) < short


def make_para(group: list[str]) -> Para:
    text = strip_md(fold_ws(" ".join(group)))
    number, rest, level, bullet = split_marker(text)
    md_heading = group[0].startswith("#")
    emphasised = len(group) == 1 and group[0][:1] in "*_" and group[0][-1:] in "*_"
    heading = md_heading or (bool(number) and (emphasised or is_heading_text(text)))
    if md_heading and not number:
        level = min(len(group[0]) - len(group[0].lstrip("#")), 8)
    if CLOSING.match(text):
        return Para(text=text, title=text, level=0, heading=True)
    title = strip_md(rest).rstrip(":").strip() if heading else rest
    return Para(
        text=text,
        number=number,
        title=title,
        level=level if heading else 9,
        heading=heading,
        bullet=bullet,
    )


def attach_parents(paras: list[Para]) -> None:
    stack: list[Para] = []
    for para in paras:
        if para.heading:
            while stack and stack[-1].level >= para.level:
                stack.pop()
            para.parents = list(stack)
            stack.append(para)
        else:
            para.parents = list(stack)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; a period after a lone number ("1.") ends nothing."""
    out: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        before = text[start : match.start()].split()
        last = before[-1] if before else ""
        if re.fullmatch(r"(?:\d{1,2}(?:\.\d{1,2})*|[IVXL]+|[a-zđ]|TP|Tp|ThS|TS)\.", last):
            continue
        out.append(text[start : match.start()])
        start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def clauses(sentence: str) -> list[str]:
    """A sentence cut at semicolons, each piece stripped of a leading bullet."""
    return [
        BULLET.sub("", c.strip(), count=1) if BULLET.match(c.strip()) else c.strip()
        for c in sentence.split(";")
        if c.strip()
    ]


PLACE = r"([A-ZĐ][^\s,.;:()“”\"*_]*(?: [A-ZĐ][^\s,.;:()“”\"*_]*){0,2})"
LOCAL = re.compile(r"\b(thị xã|thành phố|Thành phố|huyện|quận) " + PLACE)
PROVINCE = re.compile(r"\btỉnh " + PLACE)


def locality(folded: str) -> tuple[str, str, str]:
    """(province, level of the issuing town, its name): "Nghệ An", "thị xã", "Cửa Lò"."""
    provinces = Counter(PROVINCE.findall(folded))
    locals_ = Counter((level.lower(), name) for level, name in LOCAL.findall(folded))
    province = provinces.most_common(1)[0][0] if provinces else ""
    if locals_:
        (level, name), _ = locals_.most_common(1)[0]
        return province, level, name
    return province, "", ""


def key_words(text: str) -> set[str]:
    return set(fold(text).split()) - STOP


STOP = frozenset(
    [
        "cac",
        "cua",
        "va",
        "voi",
        "trong",
        "tren",
        "cho",
        "de",
        "ve",
        "duoc",
        "theo",
        "tai",
        "la",
        "mot",
        "nhung",
        "nhu",
        "khi",
        "co",
        "tu",
        "den",
        "thuc",
        "hien",
        "tot",
        "hieu",
        "qua",
        "cong",
        "tac",
        "noi",
        "dung",
        "lien",
        "quan",
        "don",
        "vi",
        "dia",
        "phuong",
        "minh",
        "nay",
        "do",
        "viec",
        "tinh",
        "thanh",
        "pho",
        "thi",
        "xa",
        "huyen",
        "cai",
        "cach",
        "hanh",
        "chinh",
        "cchc",
        "thu",
        "tuc",
        "tthc",
        "nha",
        "nuoc",
        "ke",
        "hoach",
    ]
)


def similarity(a: str, b: str) -> float:
    """Jaccard of the content words of two texts (diacritics and stop words dropped)."""
    wa, wb = key_words(a), key_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)
