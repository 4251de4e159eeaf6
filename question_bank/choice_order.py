"""Which questions must keep their choices in the bank's order (giữ nguyên thứ tự phương án).

A choice that points at other choices ("Tất cả các phương án trên", "Cả A và B đều đúng",
"A và C", "Không có phương án nào đúng", "Cả hai ý trên") only makes sense where the bank put
it, so such a question is drawn unshuffled. The rule reads the choices' texts with case and
diacritics folded ("TẤT CẢ", "tat ca", "Tất  cả" are one thing); a bare pair of letters
("A và C") must be written in capitals, since "a" and "b" alone could be words.
"""

import re
import unicodedata

from .cells import fold, without_marks

_LIST = r"(?:phuong an|dap an|lua chon|cau tra loi|y|cau|nhan dinh|khang dinh)"
_PLACE = r"(?:o |ke |neu )?(?:tren|truoc|ben tren|phia tren)"
_LETTER = r"[a-h]"
_JOIN = r"(?:,|va|hoac|voi|&|\+|/)"

# On folded text (lower case, no diacritics, punctuation as spaces).
FOLDED_RULES = [
    re.compile(rf"\btat ca(?: cac| nhung)?(?: {_LIST})?(?: {_PLACE}| deu\b| dung\b| sai\b|$)"),
    re.compile(rf"\b{_LIST} {_PLACE}\b"),
    re.compile(rf"\bkhong(?: co)?(?: {_LIST})? nao\b"),
    re.compile(r"\bkhong (?:co )?(?:phuong an|dap an|y|lua chon) (?:dung|chinh xac)\b"),
    re.compile(r"\bca (?:hai|ba|bon|2|3|4)\b"),
    re.compile(rf"\bca {_LETTER}(?: {_JOIN}? ?{_LETTER})+\b"),
    re.compile(rf"\b{_LIST} {_LETTER}(?: {_JOIN}? ?{_LETTER})+\b"),
    re.compile(rf"\b{_LIST} {_LETTER} (?:deu |la |cung )?(?:dung|sai|chinh xac)\b"),
    re.compile(rf"\b(?:hai|ba|cac|nhung) {_LIST} (?:dau|cuoi|dau tien)\b"),
    re.compile(r"\b(?:all|none|both) of (?:the )?(?:above|options|answers|these)\b"),
]
# On the text with diacritics removed but case kept: "A và C", "A, B và D", "B hoặc C".
LETTER_PAIR = re.compile(r"(?<![\w])[A-H](?:\s*(?:,|và|va|hoặc|hoac|&|\+|/)\s*[A-H])+(?![\w])")


ANY_FOLDED_RULE = re.compile("|".join(f"(?:{rule.pattern})" for rule in FOLDED_RULES))


def _unaccented(text: str) -> str:
    return unicodedata.normalize("NFC", without_marks(str(text)))


def refers_to_other_choices(text: str) -> bool:
    """True when one choice's text points at other choices, by position or by letter
    (FOLDED_RULES searched as one pattern: one pass over the text, the same answer)."""
    if ANY_FOLDED_RULE.search(fold(text)):
        return True
    return bool(LETTER_PAIR.search(_unaccented(text).replace("đ", "d").replace("Đ", "D")))


def needs_fixed_order(choice_texts) -> bool:
    """A question keeps its choices in the bank's order when any choice refers to others."""
    return any(refers_to_other_choices(text) for text in choice_texts)
