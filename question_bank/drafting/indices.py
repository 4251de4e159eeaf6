"""The indices a plan names with their acronyms: "Chỉ số hài lòng của người dân, tổ chức đối với
sự phục vụ của cơ quan hành chính nhà nước (SIPAS)", "Chỉ số năng lực cạnh tranh (DDCI)".

A question about an index is drafted only where the plan itself gives its name and its acronym
together, and the answer is the plan's words. A plan that only lists "PAR INDEX, PAPI, SIPAS"
says nothing about what they are, so nothing is asked: what an index measures is in the
catalogue, and the catalogue supplies distractors only (other indices' names, never one close
to the answer's, nor one the catalogue says is a neighbour).
"""

import re

from ..cells import fold
from .catalogue import catalogue
from .common import Fact, by_hash, clean_end, lower_first, upper_first
from .plan import Plan, similarity

ACRONYM = re.compile(r"\(\s*(?P<code>[A-Z][A-Z0-9]{1,9}(?:[ -](?:INDEX|Index))?)\s*\)")
NAME_START = re.compile(r"[Cc]hỉ số\s")
SAME = 0.5  # names this alike could both be right


def defined_indices(plan: Plan) -> list[tuple[str, str, str, list[str]]]:
    """(acronym, the plan's name for it, sentence, grounds), the first definition of each: the
    name starts at the nearest "Chỉ số" before the parenthesis, or, in a list introduced by
    "các chỉ số: A (PAR INDEX), B (SIPAS)", is the item itself ("Chỉ số" + A)."""
    out: dict[str, tuple[str, str, str, list[str]]] = {}
    for para in plan.paras:
        for sentence in plan.sentences(para):
            for match in ACRONYM.finditer(sentence):
                code = match.group("code")
                found = index_name(sentence[: match.start()])
                if found and not abbreviates(sentence[: match.start()], code):
                    out.setdefault(fold(code), (code, found[0], sentence, found[1]))
    return list(out.values())


def abbreviates(before: str, code: str) -> bool:
    """ "cải cách hành chính (CCHC)": the initials of the words before spell it, so it shortens
    those words, not an index's name."""
    letters = fold(code).replace(" ", "")
    words = re.findall(r"\w+", before)[-len(letters) :]
    return len(words) == len(letters) and "".join(fold(w)[:1] for w in words) == letters


def index_name(before: str) -> tuple[str, list[str]] | None:
    cut = max(before.rfind(c) for c in "();:")
    segment = before[cut + 1 :]
    starts = list(NAME_START.finditer(segment))
    if starts:
        name = clean_end(segment[starts[-1].start() :])
        grounds = [name]
    elif NAME_START.search(before[max(0, cut - 40) : cut + 1]) or "chỉ số:" in before.lower():
        item = clean_end(segment.rsplit(",", 1)[-1].strip())
        name, grounds = f"Chỉ số {lower_first(item)}", ["Chỉ số", item]
    else:
        return None
    if not 1 <= len(name.split()) - 2 <= 25:
        return None
    return upper_first(name), grounds


def alike(a: str, b: str) -> float:
    """How alike two indices' names are, leaving out the words "chỉ số" they all share."""
    return similarity(NAME_START.sub("", a), NAME_START.sub("", b))


def index_facts(plan: Plan) -> list[Fact]:
    indices = catalogue()["indices"]
    defined = defined_indices(plan)
    facts = []
    for code, name, sentence, grounds in defined:
        ref = next((i for i in indices if re.fullmatch(i["pattern"], code)), None)
        neighbours = set(ref["conflicts"]) | {ref["code"]} if ref else set()
        plan_names = [
            n
            for c, n, _, _ in defined
            if fold(c) != fold(code)
            and not any(re.fullmatch(i["pattern"], c) for i in indices if i["code"] in neighbours)
        ]
        known = [
            i["name"]
            for i in by_hash(indices, code)
            if i["code"] not in neighbours and fold(i["code"]) != fold(code)
        ]
        pool: list[str] = []
        for candidate in dict.fromkeys(plan_names + known):
            if all(alike(candidate, n) < SAME for n in [name, *pool]):
                pool.append(candidate)
        facts.append(
            Fact(
                "index_name",
                fold(code),
                f"Theo kế hoạch, {code} là tên viết tắt của chỉ số nào?",
                name,
                pool,
                sentence,
                f"Kế hoạch viết: {name} ({code}).",
                grounds=grounds,
            )
        )
    return facts
