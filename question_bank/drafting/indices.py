"""The indices (PAR INDEX, SIPAS, PAPI, PCI, DTI, ICT Index)."""
import re

from .catalogue import catalogue
from .common import Fact, by_hash, lower_first
from .plan import Plan, clauses


def index_facts(plan: Plan) -> list[Fact]:
    indices = catalogue()["indices"]
    facts = []
    for index in indices:
        others = [i for i in indices if i["code"] != index["code"]]
        allowed = [i for i in others if i["code"] not in index["conflicts"]]
        named = find_sentence(plan, index["pattern"], 0)
        if named:
            facts.append(Fact(
                "index_meaning", index["code"],
                f"Theo kế hoạch, chỉ số {index['code']} đo lường nội dung nào?",
                index["measures"], [i["measures"] for i in by_hash(allowed, index["code"])],
                named, f"{index['code']} là {lower_first(index['name'])}: đo "
                f"{lower_first(index['measures'])}."))
            continue
        mentioned = find_sentence(plan, index["mention"], re.IGNORECASE)
        if mentioned:
            facts.append(Fact(
                "index_name", index["code"],
                f"{index['name']}, được kế hoạch nêu trong nội dung tuyên truyền, có tên viết "
                f"tắt là gì?", index["code"], [i["code"] for i in by_hash(others, index["code"])],
                mentioned, f"Kế hoạch nêu {lower_first(index['name'])}; chỉ số này có tên viết "
                f"tắt là {index['code']} (danh mục dữ kiện CCHC)."))
    return facts


def find_sentence(plan: Plan, pattern: str, flags: int) -> str:
    """The clause (or sentence) where the pattern first occurs."""
    for para in plan.paras:
        for sentence in plan.sentences(para):
            if re.search(pattern, sentence, flags):
                for clause in clauses(sentence):
                    if re.search(pattern, clause, flags):
                        return clause
                return sentence
    return ""
