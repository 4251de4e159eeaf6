"""What every kind of fact shares: the fact itself, stable hashing, display helpers."""

import hashlib
import re
from dataclasses import dataclass, field

PLAN, CATALOGUE = "plan", "catalogue"
TOPICS = {
    "document_subject": "Văn bản chỉ đạo",
    "document_issuer": "Văn bản chỉ đạo",
    "document_date": "Văn bản chỉ đạo",
    "theme": "Chủ đề năm",
    "area": "Nội dung cải cách hành chính",
    "index_meaning": "Chỉ số đánh giá",
    "index_name": "Chỉ số đánh giá",
    "target": "Mục tiêu, chỉ tiêu",
    "schedule": "Mục tiêu, chỉ tiêu",
    "lead_office": "Tổ chức thực hiện",
    "propaganda_form": "Hình thức tuyên truyền",
}
ABBREVIATIONS = [
    (re.compile(r"\bCCHC\b"), "cải cách hành chính"),
    (re.compile(r"\bTTHC\b"), "thủ tục hành chính"),
    (re.compile(r"\bDVCTT\b"), "dịch vụ công trực tuyến"),
    (re.compile(r"\bCNTT\b"), "công nghệ thông tin"),
]


@dataclass
class Fact:
    """One fact of the plan, ready to become a question: the answer and, best first, the
    candidates for distractors (each already known to be false for this question)."""

    kind: str
    key: str
    question: str
    answer: str
    pool: list[str]
    sentence: str
    explanation: str
    topic: str = field(default="")
    grounds: list[str] = field(default_factory=list)  # where in the plan the answer is, if
    # it is built from several places (see grounding.py); empty: the answer itself
    basis: str = field(default=PLAN)  # PLAN: the answer is the plan's words; CATALOGUE: general
    # knowledge from catalogue.json about an item the plan only names (general.py)

    def __post_init__(self):
        self.topic = self.topic or TOPICS.get(self.kind, "Cải cách hành chính")


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def by_hash(items, *salt: str, key=str) -> list:
    """Items in a stable pseudo-random order (the same for the same salt and items, whatever
    the interpreter's hash seed): each is ranked by the digest of key(item)."""
    return sorted(items, key=lambda item: (digest(*salt, key(item)), key(item)))


def expand(text: str) -> str:
    """Common abbreviations written out, for question and choice text."""
    for pattern, full in ABBREVIATIONS:
        text = pattern.sub(full, text)
    return text


def clean_end(text: str) -> str:
    """Trailing punctuation, ellipses and Markdown marks removed."""
    return text.strip().rstrip(" .;,:…*_").strip()


def lower_first(text: str) -> str:
    """ "Tổ chức cuộc thi" -> "tổ chức cuộc thi"; acronyms ("UBND", "PAR") stay."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
