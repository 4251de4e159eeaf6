"""The question grammar: "Câu 1:", choices "A.", answer keys ("Đáp án: C", "1-A 2-C",
key tables), headings, topics, explanations, "[Giữ thứ tự]" and "HẾT".
"""

import re

from ..cells import fold
from ..parsed import LETTERS

FLAGS = re.IGNORECASE | re.DOTALL

QUESTION = re.compile(
    r"\s*(?:(?:câu|bài)(?:\s*hỏi)?\s*(\d{1,4})(?!\d)\s*[:.)\-–]?"
    r"|(\d{1,4})\s*[.)](?!\d))\s*(.*)",
    FLAGS,
)
PREFIXED = re.compile(r"\s*(?:câu|bài)(?:\s*hỏi)?\s*\d", re.IGNORECASE)
CHOICE = re.compile(r"\s*(\*\s*)?([A-H])\s*[.):]\s*(\*\s*)?")
STRONG = {c: re.compile(rf"(?:(?<=\t)|(?<=\s\s))(\*\s*)?({c})\s*[.):]\s*(\*\s*)?") for c in LETTERS}
WEAK = {c: re.compile(rf"(?<=\s)(\*\s*)?({c})\s*[.):](?=\s+\S|\s*\*)\s*(\*\s*)?") for c in LETTERS}
KEY = re.compile(r"(?:đáp\s*án|đa|đ/a)(?:\s*đúng)?(?:\s*là)?(?!\w)\s*([:.\-–]?)\s*(.*)", FLAGS)
KEY_LETTERS = re.compile(r"([A-H](?:\s*(?:(?:[,;/&+]|và)\s*)?[A-H])*)(?:\s*$|\s*[.):](?:\s|$))")
KEY_PAIR = re.compile(
    r"(?<![\w.,])(?:(?i:câu)\s*)?(\d{1,4})\s*(?:[-–.:)]\s*)?"
    r"([A-H](?:[,+&/]?[A-H])*)(?!\w)"
)
NUMBER_CELL = re.compile(r"(?:(?i:câu)\s*)?(\d{1,4})\s*[.:)]?")
LETTERS_CELL = re.compile(r"[A-H](?:\s*(?:[,+&/]\s*)?[A-H])*")
HEADER_CELLS = {"cau", "cau hoi", "dap an", "da", "stt", "so cau", "dap an dung"}
ANSWER_HEADING = re.compile(
    r"(?:bang )?dap an(?: (?:dung|tham khao|chi tiet|trac nghiem|de thi"
    r"|va .*))?|bang dap an .*|huong dan cham.*"
)
END = {"het", "het de", "het de thi", "het bai"}
PART = re.compile(r"phần\s+(?:\d+|[ivxlcdm]+)\b(?:\s*[:.\-–—)]\s*|\s+|$)(.*)", FLAGS)
TOPIC = re.compile(
    r"(?:chủ\s*đề|chuyên\s*đề|lĩnh\s*vực)(?:\s+(?:\d+|[ivxlcdm]+)\b)?"
    r"\s*[:.\-–—]\s*(.+)",
    FLAGS,
)
EXPLAIN = re.compile(
    r"(?:giải\s*thích|lời\s*giải|hướng\s*dẫn\s*giải|hướng\s*dẫn)"
    r"(?:\s*chi\s*tiết)?(?:\s*[:.\-–]\s*|\s*$)(.*)",
    FLAGS,
)
KEEP_ORDER = re.compile(
    r"[\[(]\s*(?:giữ|giu)\s+(?:nguyên\s+|nguyen\s+)?(?:thứ|thu)\s+(?:tự|tu)"
    r"(?:\s+(?:phương|phuong)\s+(?:án|an))?\s*[\])]",
    re.IGNORECASE,
)
MULTIPLE = re.compile(r"\((?:chọn\s+)?nhiều\s+đáp\s+án(?:\s+đúng)?\)", re.IGNORECASE)


def key_letters(text: str) -> str:
    """ "C", "c", "A, C", "A và C", "AC", "C. Hà Nội" -> the letters; "" when not a key.
    Lower case only for a lone letter: "Ba" is a word, not B and A."""
    text = text.strip()
    match = KEY_LETTERS.match(text.upper() if len(text.rstrip(".")) == 1 else text)
    return "".join(dict.fromkeys(re.findall("[A-H]", match.group(1)))) if match else ""


def key_pairs(text: str) -> dict[int, str]:
    """ "1-A  2-C  3.B 4:D", "Câu 5: A", "6-AC" -> {number: letters}."""
    return {
        int(n): "".join(dict.fromkeys(re.findall("[A-H]", v))) for n, v in KEY_PAIR.findall(text)
    }


def table_pairs(rows: list[list[str]]) -> dict[int, str]:
    """Keys from a Word table: "1-A" cells, or a number cell with its letter to the right
    or, failing that, below it ("Câu | 1 | 2" over "Đáp án | A | C")."""
    pairs: dict[int, str] = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            pairs.update(key_pairs(cell))
            number = NUMBER_CELL.fullmatch(cell)
            if number:
                right = row[j + 1] if j + 1 < len(row) else ""
                below = rows[i + 1][j] if i + 1 < len(rows) and j < len(rows[i + 1]) else ""
                letters = next((c for c in (right, below) if LETTERS_CELL.fullmatch(c)), "")
                if letters:
                    pairs[int(number.group(1))] = key_letters(letters)
    return pairs


def is_key_table(rows: list[list[str]]) -> bool:
    """Every filled cell is a key, a number, letters or a heading such as "Câu"/"Đáp án"."""

    def keyish(cell):
        return (
            not KEY_PAIR.sub("", cell).strip(" ,;.")
            or NUMBER_CELL.fullmatch(cell)
            or LETTERS_CELL.fullmatch(cell)
            or fold(cell) in HEADER_CELLS
        )

    return all(keyish(cell) for row in rows for cell in row if cell)


def is_prefixed(text: str) -> bool:
    """A question written "Câu 1: ..." (not an answer line "Câu 1: A"): then bare "1." lines
    are numbered text, not questions."""
    return bool(PREFIXED.match(text)) and not key_pairs(text)
