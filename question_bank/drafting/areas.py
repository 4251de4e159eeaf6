"""The six areas of state administrative reform, where the plan lists all six: one question per
area, the other five given."""
import re

from ..sheets import fold
from .catalogue import catalogue
from .common import Fact, by_hash, lower_first
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
            names = []
            for area, match in zip(areas, found, strict=True):
                variant = next((v for k, v in area.get("variants", {}).items()
                                if k in match.group(0).lower()), area["name"])
                names.append(variant)
            start = sentence.rfind(";", 0, found[0].start()) + 1
            end = sentence.find(";", max(m.end() for m in found))
            span = sentence[start:end if end >= 0 else None].strip(" ;")
            span = re.sub(r"^[-–+]\s+", "", span)
            return [area_fact(names, i, span) for i in range(len(names))]
    return []


def area_fact(names: list[str], missing: int, sentence: str) -> Fact:
    given = "; ".join(lower_first(n) for i, n in enumerate(names) if i != missing)
    answer = names[missing]
    shape = answer.split(" ")[0]
    not_areas = catalogue()["not_areas"]
    pool = [n for n in not_areas if n.split(" ")[0] == shape] + \
        by_hash([n for n in not_areas if n.split(" ")[0] != shape], answer)
    question = (f"Theo kế hoạch, cải cách hành chính nhà nước có sáu nội dung. Ngoài {given}, "
                f"nội dung còn lại là gì?")
    return Fact("area", fold(answer), question, answer, pool, sentence,
                "Sáu nội dung cải cách hành chính nhà nước kế hoạch nêu: "
                + "; ".join(lower_first(n) for n in names) + ".")
