"""The fixed vocabularies: a code is what is stored and sent, a label is what a person reads.

Every member's label is translated (the Vietnamese word is the source string); `word` is that
Vietnamese word untranslated, which the bank files carry (the template, a bank's export, the
drafts) so that a file exported in any interface language imports again. Templates see each
vocabulary as a Jinja global (contest/web/filters.py): `{% for d in Difficulty %}`.
"""

from enum import StrEnum

from .cells import fold
from .i18n import _l


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"

    @property
    def label(self):
        """The translated label (a lazy string)."""
        return DIFFICULTY_LABELS[self]

    @property
    def word(self) -> str:
        """The Vietnamese word, as the bank files write it."""
        return DIFFICULTY_WORDS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """(code, label) of each member, in order: a form's options."""
        return [(d.value, d.label) for d in cls]

    @classmethod
    def parse(cls, value: str | None) -> "Difficulty | None":
        """A code, the Vietnamese word or one of its usual names ("Nhận biết", "TB"), in any
        case and with or without diacritics; None for anything else."""
        return DIFFICULTY_NAMES.get(fold(value or ""))

    @classmethod
    def word_of(cls, code: str | None) -> str:
        """What a file writes for a stored value: the word of a code, anything else as is."""
        return cls(code).word if code in cls._value2member_map_ else (code or "")

    @classmethod
    def label_of(cls, code: str | None) -> str:
        """What a page shows for a stored value: the label of a code, anything else as is."""
        return str(cls(code).label) if code in cls._value2member_map_ else (code or "")


DIFFICULTY_LABELS = {
    Difficulty.EASY: _l("Dễ"),
    Difficulty.MEDIUM: _l("Trung bình"),
    Difficulty.HARD: _l("Khó"),
}
DIFFICULTY_WORDS = {Difficulty.EASY: "Dễ", Difficulty.MEDIUM: "Trung bình", Difficulty.HARD: "Khó"}
DIFFICULTY_NAMES = {d.value: d for d in Difficulty} | {
    "de": Difficulty.EASY,
    "nhan biet": Difficulty.EASY,
    "trung binh": Difficulty.MEDIUM,
    "tb": Difficulty.MEDIUM,
    "thong hieu": Difficulty.MEDIUM,
    "kho": Difficulty.HARD,
    "van dung": Difficulty.HARD,
    "van dung cao": Difficulty.HARD,
}
DEFAULT_DIFFICULTY = Difficulty.MEDIUM
