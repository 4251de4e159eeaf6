"""Is an answer the plan's own words? Every draft's correct answer must be found in the plan's
text once both are normalised: abbreviations written out (UBND, HĐND, CCHC, TTHC…), dates in
one form ("27/03/2021", "27/3/2021" and "ngày 27 tháng 3 năm 2021" alike), diacritics, case,
spaces and punctuation dropped. An answer built from several places of the plan (an issuer
"Ủy ban nhân dân tỉnh" + the province the plan names; several lead offices) lists them as its
grounds, and their concatenation must be the answer. The catalogue may supply distractors, never
an answer."""
import re
import unicodedata

from ..sheets import fold

WORDS = [("UBND", "ủy ban nhân dân"), ("HĐND", "hội đồng nhân dân"), ("CCHC", "cải cách hành chính"),
         ("TTHC", "thủ tục hành chính"), ("DVCTT", "dịch vụ công trực tuyến"),
         ("CNTT", "công nghệ thông tin"), ("Uỷ", "Ủy"), ("uỷ", "ủy")]
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


def grounded(answer: str, grounds: list[str], plan_text: str) -> bool:
    """Each ground is in the plan and together they make the answer."""
    plan = normalise(plan_text)
    parts = grounds or [answer]
    return all(normalise(p) and normalise(p) in plan for p in parts) and \
        "".join(normalise(p) for p in parts) == normalise(answer)


def context(answer_parts: list[str], sentence: str, plan) -> list[str]:
    """Where in the plan the parts of the answer the sentence does not hold are written: for
    each, the nearest heading above the sentence that holds it ("1. Phòng Nội vụ" over a task),
    else the nearest sentence before it, else after it. Each is verbatim, so that "theo kế
    hoạch" is answerable from what the reviewer and the Nguồn column quote."""
    here = normalise(sentence)
    missing = [p for p in answer_parts if normalise(p) not in here]
    if not missing:
        return []
    pieces = [(plan.folded.find(s), s, para) for para in plan.paras
              for s in plan.sentences(para)]
    pieces = [(at, s, para) for at, s, para in pieces if at >= 0]
    at = plan.folded.find(sentence)
    own = next((para for start, s, para in pieces if sentence in s or s in sentence), None)
    headings = [p.text for p in reversed(own.parents)] if own else []
    before = [s for start, s, _ in sorted(pieces, key=lambda x: -x[0]) if start < at]
    after = [s for start, s, _ in sorted(pieces, key=lambda x: x[0]) if start > at]
    found: list[str] = []
    for part in missing:
        wanted = normalise(part)
        where = next((s for s in headings + before + after
                      if wanted in normalise(s) and s in plan.folded), None)
        if where and where not in found:
            found.append(where)
    return found
