"""A question bank as every reader hands it over (.xlsx, .csv, .docx, .zip, the drafter): the
questions with their choices, and the errors and warnings placed by row."""

from dataclasses import dataclass, field

from .images import StoredImage
from .upload import RowError
from .vocab import DEFAULT_DIFFICULTY

LETTERS = "ABCDEFGH"
MAX_TEXT, MAX_CHOICE = 2000, 1000


@dataclass
class ParsedChoice:
    label: str
    text: str
    correct: bool
    image: StoredImage | None = None


@dataclass
class ParsedQuestion:
    row: int
    text: str
    choices: list[ParsedChoice]
    code: str = ""
    topic: str = ""
    difficulty: str = DEFAULT_DIFFICULTY.value
    points: float = 1.0
    explanation: str = ""
    source: str = ""
    keep_choice_order: bool = False
    sheet: str | None = field(default=None, compare=False)  # its worksheet, in a workbook
    image: StoredImage | None = None

    @property
    def multiple(self) -> bool:
        return sum(c.correct for c in self.choices) > 1


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @classmethod
    def refused(cls, message) -> "ParseResult":
        """A file refused whole: one error, of no row."""
        return cls(errors=[RowError(None, None, str(message))])
