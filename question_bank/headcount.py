"""Which column of a unit list holds the headcount (Số CBCCVC), as organisers title it.

Headers arrive folded (cells.fold: lower case, no accents, punctuation as spaces), so
"Tổng số CB, CC, VC" is "tong so cb cc vc". A header is a headcount when it reads
[prefix] subject [suffix]: "Số lượng CBCCVC", "Biên chế được giao", "Tổng số cán bộ, công chức,
viên chức (người)", "Số người". One that only looks like a headcount ("Số CBCCVC nữ",
"Số lượng năm 2024") is reported, so a list is never read as 0 people by mistake.
"""

PREFIXES = ("", "so", "so luong", "tong so", "tong", "tong so luong", "sl", "tong cong")
# subjects that need a prefix ("Số người", not "Người")
SUBJECTS = (
    "cbccvc",
    "cb cc vc",
    "cbcc vc",
    "cb ccvc",
    "cbcc",
    "cb cc",
    "cbcnv",
    "cb cnv",
    "can bo",
    "can bo cong chuc",
    "can bo cong chuc vien chuc",
    "cong chuc vien chuc",
    "can bo cong chuc vien chuc va nguoi lao dong",
    "can bo cong chuc vien chuc nld",
    "cbccvc va nguoi lao dong",
    "cbccvc va nld",
    "cbccvc nld",
    "cb cc vc nld",
    "cbccvc ld",
    "bien che",
    "dinh bien",
    "headcount",
)
PREFIXED_SUBJECTS = (
    "nguoi",
    "cb",
    "nhan su",
    "nhan vien",
    "lao dong",
    "nguoi lao dong",
    "cong chuc",
    "vien chuc",
    "",
)
SUFFIXES = (
    "",
    "nguoi",
    "hien co",
    "hien co nguoi",
    "co mat",
    "thuc te",
    "hien nay",
    "duoc giao",
    "duoc giao nguoi",
    "tai don vi",
    "cua don vi",
    "toan don vi",
    "thuoc don vi",
    "trong don vi",
    "hien dang cong tac",
    "dang cong tac",
)
STANDALONE = ("quan so", "tong quan so", "so bien che", "tong bien che")
# words that make a header look like a headcount
LOOKS_LIKE = (
    "cbccvc",
    "cbcc",
    "ccvc",
    "cbcnv",
    "cb cc",
    "can bo",
    "cong chuc",
    "vien chuc",
    "bien che",
    "dinh bien",
    "so nguoi",
    "nhan su",
    "lao dong",
    "so luong",
    "tong so",
    "quan so",
    "headcount",
    "nhan vien",
    "so cb",
)
# ... unless they are plainly about something else (a focal person's phone, a rate, a code)
OTHER = (
    "dien thoai",
    "sdt",
    "email",
    "thu dien tu",
    "ho ten",
    "ho va ten",
    "ghi chu",
    "dia chi",
    "chuc vu",
    "ten",
    "ma",
    "dau moi",
    "ty le",
    "phan tram",
    "nguoi lien he",
)


def _headcount_phrases() -> frozenset[str]:
    phrases = set(STANDALONE)
    for prefix in PREFIXES:
        for subject in SUBJECTS + (PREFIXED_SUBJECTS if prefix else ()):
            for suffix in SUFFIXES:
                phrase = " ".join(p for p in (prefix, subject, suffix) if p)
                if phrase and phrase not in ("nguoi", "so", "tong"):
                    phrases.add(phrase)
    return frozenset(phrases)


HEADCOUNT = _headcount_phrases()


def is_headcount(folded: str) -> bool:
    """A header that names the headcount column."""
    return folded in HEADCOUNT


def looks_like_headcount(folded: str) -> bool:
    """A header that seems to be about a number of people but is not one we can read."""
    padded = f" {folded} "
    if any(f" {word} " in padded for word in OTHER):
        return False
    return any(f" {word} " in padded for word in LOOKS_LIKE)
