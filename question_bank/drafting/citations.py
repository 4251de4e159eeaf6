"""The legal documents a plan cites, read from its sentences: kind, number and symbol, date,
issuer and subject, completed from the catalogue where it knows the document.

A citation reads "Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ về ...",
with the subject after it ("về", "về việc", "ban hành", "phê duyệt", "quy định", a quoted
title) or before it ("Đề án “...” được phê duyệt theo Quyết định số ..."). Doc.known keeps what
the plan itself says of a document (the questions in documents.py ask only that).
"""

import re
from dataclasses import dataclass, field

from ..cells import fold
from .catalogue import catalogue
from .common import clean_end, upper_first
from .plan import Plan, clauses

KINDS = "Nghị quyết|Nghị định|Quyết định|Chỉ thị|Kế hoạch|Thông tư|Công văn|Hướng dẫn|Thông báo"
SYMBOL = r"[A-ZĐ][A-Za-zĐđ]*"
CITATION = re.compile(
    rf"(?P<kind>(?i:{KINDS}))\s+số\s*:?\s*(?P<number>\d+[a-z]?(?:\s*/\s*\d{{4}})?\s*[/-]\s*"
    rf"{SYMBOL}(?:\s*[-/]\s*{SYMBOL})*)"
)
DATE = re.compile(
    r"\s*,?\s*ngày\s+(\d{1,2})\s*(?:/|-|\s+tháng\s+)\s*(\d{1,2})\s*"
    r"(?:/|-|\s+năm\s+)\s*(\d{4})"
)
BODY = (
    r"Thủ tướng Chính phủ|Chính phủ|Quốc hội|(?:Ủy|Uỷ) ban nhân dân|UBND|Hội đồng nhân dân|"
    r"HĐND|(?:Tỉnh|Thành|Thị|Huyện|Quận) (?:ủy|uỷ)|Bộ Nội vụ|Bộ Thông tin và Truyền thông"
)
ISSUER = re.compile(
    rf"\s*,?\s*(?:của\s+)?(?P<body>{BODY})(?:\s+(?P<level>tỉnh|Tỉnh|thành phố|Thành phố|thị xã|"
    rf"Thị xã|huyện|Huyện|quận|Quận)(?![\w]))?(?P<place>(?:\s+[A-ZĐ][^\s,.;:()“”\"]*)*)"
)
AFTER = re.compile(
    r"\s*,?\s*(?P<verb>về việc|về|ban hành|phê duyệt|quy định|sửa đổi, bổ sung)"
    r"\s+(?P<object>.+)",
    re.IGNORECASE,
)
QUOTED_AFTER = re.compile(r"\s*,?\s*[“\"](?P<object>[^”\"]{8,400})[”\"]")
QUOTED_BEFORE = re.compile(
    r"(?P<prefix>(?:Đề án|Chương trình|Chiến lược|Kế hoạch)\s+)?[“\"](?P<object>[^”\"]{8,400})"
    r"[”\"]\s*(?:được\s+)?(?:phê duyệt|ban hành)\s+(?:theo|tại|kèm theo)\s*$"
)
STOP = re.compile(rf"(?:,|\s+và)\s+(?=(?i:{KINDS})\s+số)|\s+để\s+|\s+theo\s+|\s+nhằm\s+")
NESTED_VERB = re.compile(r"(ban hành|phê duyệt)\s+", re.IGNORECASE)
CENTRAL = {
    "Chính phủ",
    "Thủ tướng Chính phủ",
    "Quốc hội",
    "Bộ Nội vụ",
    "Bộ Thông tin và Truyền thông",
}


@dataclass
class Doc:
    kind: str
    number: str
    date: tuple[int, int, int] | None = None
    issuer: str = ""
    verb: str = ""
    object: str = ""
    tags: set[str] = field(default_factory=set)
    sentence: str = ""
    from_plan: bool = True
    quoted_title: bool = False
    conflict: bool = False
    known: set[str] = field(default_factory=set)  # what the plan itself says: subject, issuer, date

    @property
    def key(self) -> str:
        return number_key(self.number)

    @property
    def label(self) -> str:
        return f"{self.kind} số {self.number}"

    @property
    def central(self) -> bool:
        return self.issuer in CENTRAL or bool(re.search(r"-(?:CP|TTg|TTG)$", self.number))

    @property
    def date_text(self) -> str:
        return format_date(self.date) if self.date else ""


def number_key(number: str) -> str:
    return re.sub(r"\s+", "", number).upper()


def format_date(date: tuple[int, int, int]) -> str:
    day, month, year = date
    return f"{day:02d}/{month:02d}/{year}"


def parse_date(text: str) -> tuple[int, int, int] | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def topic_tags(text: str) -> set[str]:
    folded = fold(text)
    return {
        tag
        for tag, words in catalogue()["topics"].items()
        if any(f" {w} " in f" {folded} " for w in words)
    }


def catalogue_docs() -> dict[str, Doc]:
    docs = {}
    for entry in catalogue()["documents"]:
        doc = Doc(
            kind=entry["kind"],
            number=entry["number"],
            date=parse_date(entry["date"]),
            issuer=entry["issuer"],
            verb=entry["verb"],
            object=entry["object"],
            tags=set(entry["tags"]),
            from_plan=False,
        )
        docs[doc.key] = doc
    return docs


def resolve_issuer(match: re.Match, plan: Plan) -> str:
    """The issuer as a full name: "UBND tỉnh" in a plan of Nghệ An is "Ủy ban nhân dân tỉnh
    Nghệ An"; "" when the place cannot be told."""
    body = match.group("body").replace("Uỷ", "Ủy").replace("uỷ", "ủy")
    level = (match.group("level") or "").lower()
    place = match.group("place").strip()
    if body in CENTRAL:
        return body
    body = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân"}.get(body, body)
    if body.endswith(" ủy"):
        return f"{body} {place}".strip() if place else ""
    if not place:
        if level == "tỉnh" and plan.province:
            place = plan.province
        elif level and level == plan.local_level and plan.local_name:
            place = plan.local_name
        else:
            return ""
    return f"{body} {level} {place}" if level else ""


def find_docs(plan: Plan) -> list[Doc]:
    """Every document the plan cites, once (the citation with the most details wins)."""
    known = catalogue_docs()
    found: dict[str, Doc] = {}
    for para in plan.paras:
        for sentence in plan.sentences(para):
            for clause in clauses(sentence):
                for doc in parse_clause(clause, plan):
                    old = found.get(doc.key)
                    if old is None or (not old.object and doc.object):
                        found[doc.key] = doc
    for doc in found.values():
        doc.known = {
            name
            for name, value in (("subject", doc.object), ("issuer", doc.issuer), ("date", doc.date))
            if value
        }
        ref = known.get(doc.key)
        if ref:
            if not doc.object:
                doc.verb, doc.object = ref.verb, ref.object
            doc.issuer = doc.issuer or ref.issuer
            doc.conflict = bool(doc.date and ref.date and doc.date != ref.date) or (
                doc.issuer != ref.issuer
            )
            doc.date = doc.date or ref.date
            doc.tags = set(ref.tags)
        doc.tags |= topic_tags(doc.object)
    return list(found.values())


def parse_clause(clause: str, plan: Plan) -> list[Doc]:
    docs = []
    matches = list(CITATION.finditer(clause))
    for i, match in enumerate(matches):
        kind = upper_first(match.group("kind").lower())
        number = re.sub(r"\s+", "", match.group("number"))
        doc = Doc(kind=kind, number=number, sentence=clause)
        rest = clause[match.end() : matches[i + 1].start() if i + 1 < len(matches) else None]
        date = DATE.match(rest)
        if date:
            day, month, year = (int(g) for g in date.groups())
            if 1 <= day <= 31 and 1 <= month <= 12:
                doc.date = (day, month, year)
            rest = rest[date.end() :]
        issuer = ISSUER.match(rest)
        if issuer:
            doc.issuer = resolve_issuer(issuer, plan)
            rest = rest[issuer.end() :]
        read_subject(doc, rest, clause[: match.start()])
        docs.append(doc)
    return docs


def read_subject(doc: Doc, after: str, before: str) -> None:
    after = re.sub(r"(?:,|\s+và)\s*$", "", STOP.split(after, maxsplit=1)[0])
    quoted = QUOTED_AFTER.match(after)
    subject = AFTER.match(after)
    if quoted:
        doc.verb, doc.object, doc.quoted_title = "", clean_end(quoted.group("object")), True
    elif subject:
        verb, obj = subject.group("verb").lower(), subject.group("object")
        nested = NESTED_VERB.match(obj)
        if verb == "về" and nested:
            verb, obj = nested.group(1).lower(), obj[nested.end() :]
        doc.verb, doc.object = verb, clean_end(obj.strip(' ,“”"'))
    else:
        pre = QUOTED_BEFORE.search(before)
        if pre:
            prefix = (pre.group("prefix") or "").strip()
            title = clean_end(pre.group("object"))
            doc.verb = "phê duyệt"
            doc.object = f"{prefix} “{title}”" if prefix else title
    if len(doc.object.split()) < 3:
        doc.verb, doc.object, doc.quoted_title = "", "", False
