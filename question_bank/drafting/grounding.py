"""Is an answer the plan's own words? Every draft's correct answer must be found in the plan's
text once both are normalised: abbreviations written out (UBND, HĐND, CCHC, TTHC…), dates in
one form ("27/03/2021", "27/3/2021" and "ngày 27 tháng 3 năm 2021" alike), diacritics, case,
spaces and punctuation dropped. An answer built from several places of the plan (an issuer
"Ủy ban nhân dân tỉnh" + the province the plan names; several lead offices) lists them as its
grounds, and their concatenation must be the answer. The catalogue may supply distractors, never
an answer."""

import re
import unicodedata
from functools import lru_cache

from ..cells import fold

WORDS = [
    ("UBND", "ủy ban nhân dân"),
    ("HĐND", "hội đồng nhân dân"),
    ("CCHC", "cải cách hành chính"),
    ("TTHC", "thủ tục hành chính"),
    ("DVCTT", "dịch vụ công trực tuyến"),
    ("CNTT", "công nghệ thông tin"),
    ("Uỷ", "Ủy"),
    ("uỷ", "ủy"),
]
NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4})\b")
WORDED_DATE = re.compile(r"\b(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE)


def _date(match: re.Match) -> str:
    day, month, year = (int(g) for g in match.groups())
    return f" d{day}m{month}y{year} "  # marked, so 1/12/2021 and 11/2/2021 stay apart


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for short, full in WORDS:
        text = re.sub(rf"(?<!\w){short}(?!\w)", full, text)
    text = NUMERIC_DATE.sub(_date, WORDED_DATE.sub(_date, text))
    return re.sub(r"[^a-z0-9]", "", fold(text))


@lru_cache(maxsize=2)
def _normal_plan(plan_text: str) -> str:
    return normalise(plan_text)  # once per plan, not once per fact


def grounded(answer: str, grounds: list[str], plan_text: str) -> bool:
    """Each ground is in the plan and together they make the answer."""
    plan = _normal_plan(plan_text)
    parts = grounds or [answer]
    return all(normalise(p) and normalise(p) in plan for p in parts) and "".join(
        normalise(p) for p in parts
    ) == normalise(answer)


def context(answer_parts: list[str], sentence: str, plan, pieces: list) -> list[str]:
    """Where in the plan the parts of the answer the sentence does not hold are written: for
    each, the nearest heading above the sentence that holds it ("1. Phòng Nội vụ" over a task),
    else the nearest sentence before it, else after it. Each is verbatim, so that "theo kế
    hoạch" is answerable from what the reviewer and the Nguồn column quote. `pieces` is
    sentence_index(plan), built once per plan."""
    here = normalise(sentence)
    missing = [p for p in answer_parts if normalise(p) not in here]
    if not missing:
        return []
    at = plan.folded.find(sentence)
    own = next((para for start, s, _, para in pieces if sentence in s or s in sentence), None)
    headings = [(p.text, normalise(p.text)) for p in reversed(own.parents)] if own else []
    before = [(s, n) for start, s, n, _ in reversed(pieces) if start < at]
    after = [(s, n) for start, s, n, _ in pieces if start > at]
    found: list[str] = []
    for part in missing:
        wanted = normalise(part)
        where = next(
            (s for s, normal in headings + before + after if wanted in normal and s in plan.folded),
            None,
        )
        if where and where not in found:
            found.append(where)
    return found


def sentence_index(plan) -> list:
    """(position, sentence, normalised, paragraph) of every sentence of the plan in reading
    order, each found from where the one before was (linear in the plan's length)."""
    out, cursor = [], 0
    for para in plan.paras:
        for sentence in plan.sentences(para):
            at = plan.folded.find(sentence, cursor)
            if at < 0:
                at = plan.folded.find(sentence)
            if at >= 0:
                cursor = max(cursor, at)
                out.append((at, sentence, normalise(sentence), para))
    return sorted(out, key=lambda piece: piece[0])
