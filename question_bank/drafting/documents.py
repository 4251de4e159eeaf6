"""The legal documents a plan cites: kind, number and symbol, date, issuer and subject, and the
questions about them (which document is about X, who issued it, when).

A citation reads "Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ về ...",
with the subject after it ("về", "về việc", "ban hành", "phê duyệt", "quy định", a quoted
title) or before it ("Đề án “...” được phê duyệt theo Quyết định số ..."). Only what the plan
itself says of a document is asked: one it cites bare gets no subject question, and no date or
issuer question unless the plan gives them (the catalogue's subject still keeps it out of other
documents' distractors that share its topic). Distractors are other documents of the plan and
of the catalogue whose subject is known and shares no topic with the answer's (so none can
also be right).
"""

import re
from dataclasses import dataclass, field

from ..cells import fold
from .catalogue import catalogue
from .common import CATALOGUE, PLAN, Fact, by_hash, clean_end, expand, upper_first
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
PARTY = {"thị xã": "Thị ủy", "thành phố": "Thành ủy", "huyện": "Huyện ủy", "quận": "Quận ủy"}


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


# --- questions ----------------------------------------------------------------------------


def document_facts(plan: Plan) -> list[Fact]:
    docs = find_docs(plan)
    others = list(catalogue_docs().values())
    plan_keys = {d.key for d in docs}
    every = docs + [d for d in others if d.key not in plan_keys]
    facts: list[Fact] = []
    for doc in docs:
        facts.extend(
            f
            for f in (subject_fact(doc, every), issuer_fact(doc, plan), date_fact(doc, every))
            if f
        )
    return facts


def subject_text(doc: Doc) -> str:
    obj = expand(doc.object)
    if doc.quoted_title:
        return f"“{obj}”"
    return f"{doc.verb} {obj}" if doc.verb else obj


def subject_fact(doc: Doc, every: list[Doc], general: bool = False) -> Fact | None:
    """Which document is about X. general: a catalogue document the plan cites bare, asked as
    general knowledge (no "theo kế hoạch"), its subject from the catalogue."""
    if ("subject" in doc.known) == general:
        return None  # plan: the subject must be the plan's; general: the plan does not say it
    obj = expand(doc.object)
    lead = "" if general else "Theo kế hoạch, "
    if doc.quoted_title:
        question = f"{lead}“{obj}” là văn bản có số, ký hiệu nào?"
    elif doc.verb == "phê duyệt":
        question = f"{lead}{obj} được phê duyệt theo văn bản nào?"
    elif doc.verb in ("ban hành", "quy định", "sửa đổi, bổ sung"):
        question = f"{lead}văn bản nào {doc.verb} {obj}?"
    else:
        question = f"{lead}văn bản nào sau đây là văn bản {doc.verb} {obj}?"
    candidates = [
        d
        for d in every
        if d.key != doc.key
        and d.object
        and not (d.tags & doc.tags)
        and fold(d.object) != fold(doc.object)
        and d.label != doc.label
        and not same_plan_kind(doc, d)
    ]
    same_scope = [d for d in candidates if d.central == doc.central]
    rest = [d for d in candidates if d.central != doc.central]
    pool = [
        d.label
        for d in by_hash(same_scope, doc.key, key=lambda d: d.key)
        + by_hash(rest, doc.key, key=lambda d: d.key)
    ]
    said = (
        f"{doc.label}{' ngày ' + doc.date_text if doc.date else ''}"
        f"{' của ' + doc.issuer if doc.issuer else ''} {subject_text(doc)}."
    )
    explanation = (
        f"Kiến thức chung (danh mục có sẵn của hệ thống): {said} Nội dung văn bản "
        f"lấy từ danh mục, không từ kế hoạch."
        if general
        else f"Kế hoạch dẫn {said}"
    )
    return Fact(
        "document_subject",
        doc.key,
        upper_first(question),
        doc.label,
        pool,
        doc.sentence,
        explanation,
        basis=CATALOGUE if general else PLAN,
    )


PERIOD_WORDS = {
    "giai",
    "doan",
    "nam",
    "den",
    "dinh",
    "huong",
    "tam",
    "nhin",
    "ke",
    "hoach",
    "chuong",
    "trinh",
    "ve",
    "viec",
    "thuc",
    "hien",
    "nha",
    "nuoc",
}


def period(text: str) -> tuple[int, int] | None:
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", text)]
    return (min(years), max(years)) if years else None


def same_plan_kind(a: Doc, b: Doc) -> bool:
    """Two documents on the same matter whose periods overlap ("CCHC of the town 2021-2025"
    and "CCHC of the town in 2022"): the one could be read as also about the other's subject,
    so neither is a distractor for the other."""
    words_a = {w for w in fold(a.object).split() if not w.isdigit()} - PERIOD_WORDS
    words_b = {w for w in fold(b.object).split() if not w.isdigit()} - PERIOD_WORDS
    if not (words_a <= words_b or words_b <= words_a):
        return False
    span_a, span_b = period(a.object), period(b.object)
    return not span_a or not span_b or (span_a[0] <= span_b[1] and span_b[0] <= span_a[1])


def issuer_fact(doc: Doc, plan: Plan) -> Fact | None:
    if "issuer" not in doc.known or doc.conflict:
        return None
    when = f" ngày {doc.date_text}" if doc.date else ""
    question = f"Theo kế hoạch, {doc.label}{when} do cơ quan, người có thẩm quyền nào ban hành?"
    if doc.central:
        pool = [i for i in catalogue()["central_issuers"] if i != doc.issuer]
    else:
        pool = local_issuers(plan, doc.issuer)
    return Fact(
        "document_issuer",
        doc.key,
        question,
        doc.issuer,
        pool,
        doc.sentence,
        f"Kế hoạch ghi {doc.label}{when} của {doc.issuer}.",
        grounds=issuer_grounds(doc.issuer, plan),
    )


def issuer_grounds(issuer: str, plan: Plan) -> list[str]:
    """ "Ủy ban nhân dân tỉnh Hải Dương" read from "UBND tỉnh" is the plan's words and the
    province the plan names elsewhere."""
    for place in (plan.province, plan.local_name):
        if place and issuer.endswith(" " + place) and issuer != place:
            return [issuer[: -len(place) - 1], place]
    return [issuer]


def local_issuers(plan: Plan, issuer: str) -> list[str]:
    """Other local bodies of the same places: the other level, the council, the Party."""
    bodies = []
    if plan.province:
        province = plan.province
        bodies += [
            f"Ủy ban nhân dân tỉnh {province}",
            f"Hội đồng nhân dân tỉnh {province}",
            f"Tỉnh ủy {province}",
        ]
    if plan.local_name:
        level, name = plan.local_level, plan.local_name
        bodies += [
            f"Ủy ban nhân dân {level} {name}",
            f"Hội đồng nhân dân {level} {name}",
            f"{PARTY.get(level, 'Thị ủy')} {name}",
        ]
    same_body = [b for b in bodies if b.split(" ")[0] == issuer.split(" ")[0]]
    return [b for b in same_body + bodies if fold(b) != fold(issuer)]


def date_fact(doc: Doc, every: list[Doc], general: bool = False) -> Fact | None:
    """When a document was issued; general: a catalogue document the plan cites undated."""
    if ("date" in doc.known) == general or doc.conflict or not doc.date:
        return None
    day, month, year = doc.date
    who = f" của {doc.issuer}" if doc.issuer else ""
    lead = "" if general else "Theo kế hoạch, "
    question = upper_first(f"{lead}{doc.label}{who} được ban hành ngày nào?")
    pool: list[str] = []
    others = [d for d in every if d.date and d.key != doc.key]
    for other in by_hash(others, doc.key, "date", key=lambda d: d.key):
        d, m, _ = other.date
        if (d, m) != (day, month) and not (m == 2 and d > 28):
            pool.append(format_date((d, m, year)))
    explanation = (
        f"Kiến thức chung (danh mục có sẵn của hệ thống): {doc.label}{who} ban hành "
        f"ngày {doc.date_text}. Ngày ban hành lấy từ danh mục, không từ kế hoạch."
        if general
        else f"Kế hoạch ghi {doc.label} ngày {doc.date_text}{who}."
    )
    return Fact(
        "document_date",
        doc.key,
        question,
        doc.date_text,
        pool,
        doc.sentence,
        explanation,
        basis=CATALOGUE if general else PLAN,
    )
