"""The six areas of state administrative reform, where the plan lists all six: one question per
area, the other five given."""

import re

from ..cells import fold
from .catalogue import catalogue
from .common import Fact, by_hash, lower_first, upper_first
from .plan import Plan


def area_facts(plan: Plan) -> list[Fact]:
    """One question per area, where the plan lists all six: the other five are given, the
    missing one is asked."""
    areas = catalogue()["areas"]
    for para in plan.paras:
        for sentence in plan.sentences(para):
            found = [re.search(a["pattern"], sentence, re.IGNORECASE) for a in areas]
            if not all(found):
                continue
            names = [
                spelled(plan_words(sentence, match, found), area)
                for area, match in zip(areas, found, strict=True)
            ]
            start = sentence.rfind(";", 0, found[0].start()) + 1
            end = sentence.find(";", max(m.end() for m in found))
            span = sentence[start : end if end >= 0 else None].strip(" ;")
            span = re.sub(r"^[-–+]\s+", "", span)
            return [area_fact(names, i, span) for i in range(len(names))]
    return []


def plan_words(sentence: str, match: re.Match, found: list[re.Match]) -> str:
    """The area as the plan names it: from where it is found up to the next semicolon or the
    next area ("cải cách tổ chức bộ máy hành chính nhà nước;", "cải cách tài chính công và
    xây dựng…" -> "Cải cách tài chính công")."""
    ends = [m.start() for m in found if m.start() > match.start()]
    semicolon = sentence.find(";", match.end())
    ends += [semicolon] if semicolon >= 0 else []
    words = sentence[match.start() : min(ends, default=len(sentence))]
    words = re.sub(r"(?:\s+(?:và|gồm|là)|[\s,.:;)])+$", "", words)
    if len(words.split()) > 14:
        words = match.group(0)
    return upper_first(words)


def spelled(words: str, area: dict) -> str:
    """The catalogue's spelling when it is the plan's words but for case ("Chính quyền số")."""
    return next(
        (n for n in [area["name"], *area.get("variants", {}).values()] if fold(n) == fold(words)),
        words,
    )


def area_fact(names: list[str], missing: int, sentence: str) -> Fact:
    given = "; ".join(lower_first(n) for i, n in enumerate(names) if i != missing)
    answer = names[missing]
    shape = answer.split(" ")[0]
    not_areas = catalogue()["not_areas"]
    pool = [n for n in not_areas if n.split(" ")[0] == shape] + by_hash(
        [n for n in not_areas if n.split(" ")[0] != shape], answer
    )
    question = (
        f"Theo kế hoạch, cải cách hành chính nhà nước có sáu nội dung. Ngoài {given}, "
        f"nội dung còn lại là gì?"
    )
    return Fact(
        "area",
        fold(answer),
        question,
        answer,
        pool,
        sentence,
        "Sáu nội dung cải cách hành chính nhà nước kế hoạch nêu: "
        + "; ".join(lower_first(n) for n in names)
        + ".",
    )
