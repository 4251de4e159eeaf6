"""General-knowledge questions about what a plan names but does not explain.

A plan often names an index ("Chỉ số PAR INDEX, SIPAS, PAPI") or cites a document bare
("Thực hiện Nghị quyết số 76/NQ-CP") without saying what it is. The catalogue knows: such a fact
is drafted as general knowledge, never "theo kế hoạch": the stem does not refer to the plan,
the answer and distractors come from catalogue.json, the sentence is the plan's sentence that
names the item, and the fact is marked `basis = CATALOGUE` (the review page and the Nguồn column
say it is not in the plan). What the plan does state is drafted from the plan (the other
modules); this module never asks it again.
"""

import re

from ..cells import fold
from .catalogue import catalogue
from .citations import catalogue_docs, find_docs
from .common import CATALOGUE, Fact, by_hash, lower_first
from .documents import date_fact, subject_fact
from .indices import SAME, alike, defined_indices
from .plan import Plan

NOTE = "Kiến thức chung (danh mục có sẵn của hệ thống)"


def general_facts(plan: Plan) -> list[Fact]:
    return index_facts(plan) + document_facts(plan)


def named_indices(plan: Plan) -> list[tuple[dict, str]]:
    """(catalogue entry, the first plan sentence writing its acronym), in the plan's order."""
    found: dict[str, tuple[dict, str]] = {}
    for para in plan.paras:
        for sentence in plan.sentences(para):
            for entry in catalogue()["indices"]:
                if entry["code"] not in found and re.search(entry["pattern"], sentence):
                    found[entry["code"]] = (entry, sentence)
    return list(found.values())


def index_facts(plan: Plan) -> list[Fact]:
    """What each index the plan names measures; its full name, unless the plan gives it."""
    indices = catalogue()["indices"]
    defined = {fold(code) for code, _, _, _ in defined_indices(plan)}
    facts = []
    for entry, sentence in named_indices(plan):
        code = entry["code"]
        neighbours = set(entry["conflicts"]) | {code}
        neighbours |= {i["code"] for i in indices if code in i["conflicts"]}
        others = [
            i
            for i in by_hash(indices, code, key=lambda i: i["code"])
            if i["code"] not in neighbours
        ]
        facts.append(
            Fact(
                "index_meaning",
                fold(code),
                f"Chỉ số {code} đo lường nội dung nào?",
                entry["measures"],
                [i["measures"] for i in others],
                sentence,
                f"{NOTE}: {entry['name']} ({code}) đo lường {lower_first(entry['measures'])}. "
                f"Nội dung này lấy từ danh mục, không từ kế hoạch.",
                basis=CATALOGUE,
            )
        )
        if fold(code) in defined:
            continue  # the plan gives the name: index_name is drafted from the plan
        pool: list[str] = []
        for other in others:
            if all(alike(other["name"], n) < SAME for n in [entry["name"], *pool]):
                pool.append(other["name"])
        facts.append(
            Fact(
                "index_name",
                fold(code),
                f"{code} là tên viết tắt của chỉ số nào?",
                entry["name"],
                pool,
                sentence,
                f"{NOTE}: {code} là tên viết tắt của {lower_first(entry['name'])}. "
                f"Tên đầy đủ lấy từ danh mục, không từ kế hoạch.",
                basis=CATALOGUE,
            )
        )
    return facts


def document_facts(plan: Plan) -> list[Fact]:
    """The subject and date of a catalogue document the plan cites without them."""
    known = catalogue_docs()
    docs = find_docs(plan)
    keys = {d.key for d in docs}
    every = docs + [d for d in known.values() if d.key not in keys]
    facts: list[Fact] = []
    for doc in docs:
        if doc.key not in known or doc.conflict:
            continue
        facts.extend(
            f
            for f in (subject_fact(doc, every, general=True), date_fact(doc, every, general=True))
            if f
        )
    return facts
