"""The questions about the documents a plan cites (see citations.py for how they are read):
which document is about X, who issued it, when.

Only what the plan itself says of a document is asked: one it cites bare gets no subject
question, and no date or issuer question unless the plan gives them (the catalogue's subject
still keeps it out of other documents' distractors that share its topic). Distractors are other
documents of the plan and of the catalogue whose subject is known and shares no topic with the
answer's (so none can also be right).
"""

import re

from ..cells import fold
from .catalogue import catalogue
from .citations import Doc, catalogue_docs, find_docs, format_date
from .common import CATALOGUE, PLAN, Fact, by_hash, expand, upper_first
from .plan import Plan

PARTY = {"thị xã": "Thị ủy", "thành phố": "Thành ủy", "huyện": "Huyện ủy", "quận": "Quận ủy"}


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
