"""Questions being read: the drafts of questions and choices, and the Reader that feeds the
body's lines and tables through the grammar.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from ..cells import fold
from ..docx_pictures import attach_pictures
from ..i18n import _l
from ..upload import FileRejected, Limits
from .grammar import (
    ANSWER_HEADING,
    CHOICE,
    END,
    EXPLAIN,
    KEEP_ORDER,
    KEY,
    PART,
    QUESTION,
    STRONG,
    TOPIC,
    WEAK,
    is_key_table,
    is_prefixed,
    key_letters,
    key_pairs,
    table_pairs,
)
from .ooxml import Line, clean


@dataclass
class ChoiceDraft:
    label: str
    star: bool
    letter_marks: frozenset[str]
    parts: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    total: int = 0
    start: int = 0  # where its letter is on the line that started it
    pictures: list[bytes | None] = field(default_factory=list)

    def extend(self, line: Line, start: int, end: int) -> None:
        """Add line.text[start:end], counting the marks on its visible characters."""
        self.parts.append(line.text[start:end])
        for char, marks in zip(line.text[start:end], line.marks[start:end], strict=True):
            if not char.isspace():
                self.total += 1
                self.counts.update(marks)

    @property
    def text(self) -> str:
        return clean(" ".join(self.parts))

    @property
    def body_marks(self) -> frozenset[str]:
        """Marks on most of the choice's text."""
        return frozenset(m for m, n in self.counts.items() if n * 2 > self.total)


@dataclass
class Draft:
    number: int
    topic: str
    stem: list[str] = field(default_factory=list)
    choices: list[ChoiceDraft] = field(default_factory=list)
    explanation: list[str] | None = None
    key: str = ""
    keep_order: bool = False
    pictures: list[bytes | None] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)

    def fault(self, message) -> None:
        if str(message) not in self.faults:
            self.faults.append(str(message))

    def accepts_choice(self, label: str) -> bool:
        return label > self.choices[-1].label if self.choices else label == "A"


def choice_tokens(text: str, first: re.Match) -> list[re.Match]:
    """The choice letters on a line, in order: the next letter after a tab or 2+ spaces,
    else after one space when text follows it ("A. 2020 B. 2021")."""
    tokens = [first]
    while tokens[-1].group(2) < "H":
        label, after = chr(ord(tokens[-1].group(2)) + 1), tokens[-1].end()
        token = STRONG[label].search(text, after) or WEAK[label].search(text, after)
        if not token:
            break
        tokens.append(token)
    return tokens


def add_choices(draft: Draft, line: Line, first: re.Match) -> None:
    tokens = choice_tokens(line.text, first)
    ends = [t.start() for t in tokens[1:]] + [len(line.text)]
    for token, end in zip(tokens, ends, strict=True):
        choice = ChoiceDraft(
            token.group(2),
            bool(token.group(1) or token.group(3)),
            line.marks[token.start(2)],
            start=token.start(),
        )
        choice.extend(line, token.end(), end)
        draft.choices.append(choice)


class Reader:
    """Walks the body once, keeping the question being read, the topic and the answer table.
    mode: "questions"; "answers" after an answer heading; "ended" after HẾT."""

    def __init__(self, prefixed: bool):
        self.prefixed = prefixed
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.topic = ""
        self.mode = "questions"
        self.table: dict[int, str] = {}
        self.took_keys = False

    def read(self, blocks: list, limits: Limits) -> None:
        for block in blocks:
            if isinstance(block, Line):
                self.feed(block)
            else:
                self.feed_table(block)
            if len(self.drafts) > limits.max_rows:
                raise FileRejected(
                    _l("Tệp có quá nhiều câu hỏi: tối đa %(n)d câu.", n=limits.max_rows)
                )

    def feed(self, line: Line) -> None:
        text, before = line.text.strip(), self.current
        read = len(before.choices) if before else 0
        if text and self.mode == "questions":
            self.dispatch(line, text)
        elif text:
            self.answer_line(line, text)
        draft = self.current
        if line.pictures and self.mode == "questions" and draft and draft.explanation is None:
            attach_pictures(draft, line.pictures, read if draft is before else 0)

    def dispatch(self, line: Line, text: str) -> None:
        for handler in (
            self.end_line,
            self.heading_line,
            self.keep_order_line,
            self.key_line,
            self.key_list_line,
            self.topic_line,
            self.question_line,
            self.explanation_line,
        ):
            if handler(text):
                return
        self.body_line(line, text)

    def end_line(self, text: str) -> bool:
        if fold(text).strip("_ ") not in END:
            return False
        self.mode, self.current = "ended", None
        return True

    def heading_line(self, text: str) -> bool:
        """ "ĐÁP ÁN", "BẢNG ĐÁP ÁN", a lone "Đáp án:": the answer table follows."""
        if len(text) > 80 or not ANSWER_HEADING.fullmatch(fold(text)):
            return False
        self.mode, self.took_keys = "answers", False
        return True

    def keep_order_line(self, text: str) -> bool:
        """ "[Giữ thứ tự]" alone on a line marks the question being read."""
        if self.current is None or KEEP_ORDER.sub("", text).strip():
            return False
        self.current.keep_order = True
        return True

    def key_line(self, text: str) -> bool:
        """ "Đáp án: C" keys the current question; "Đáp án: 1-A 2-C" is an answer table."""
        match = KEY.match(text)
        if not match:
            return False
        separator, rest = match.groups()
        letters, pairs = key_letters(rest), key_pairs(rest)
        if pairs and not letters:
            self.take_keys(pairs)
            self.mode = "answers"
        elif letters and self.current:
            self.current.key = letters
        elif separator == ":" and self.current:
            self.current.fault(
                _l(
                    'Câu %(n)d: không đọc được dòng "%(t)s": hãy ghi như "Đáp án: C".',
                    n=self.current.number,
                    t=clean(text)[:60],
                )
            )
        return bool(letters or pairs or separator == ":")

    def key_list_line(self, text: str) -> bool:
        """A paragraph of nothing but keys ("1.A  2.B  3.C") is an answer table."""
        pairs = key_pairs(text)
        if len(pairs) < 2 or not is_key_table([[text]]):
            return False
        self.take_keys(pairs)
        return True

    def topic_line(self, text: str) -> bool:
        match = PART.match(text) or TOPIC.match(text)
        if not match:
            return False
        self.topic, self.current = clean(match.group(1)) or clean(text), None
        return True

    def question_line(self, text: str) -> bool:
        match = QUESTION.match(text)
        if not match or not self.starts_question(match):
            return False
        self.current = Draft(int(match.group(1) or match.group(2)), self.topic)
        self.drafts.append(self.current)
        if match.group(3).strip():
            self.current.stem.append(clean(match.group(3)))
        return True

    def starts_question(self, match: re.Match) -> bool:
        """ "Câu 12:" always; a bare "12." only in a file without "Câu", and only once the
        question being read has choices and a smaller number (else it is a numbered line)."""
        if match.group(1):
            return True
        current = self.current
        return not self.prefixed and (
            current is None or bool(current.choices and int(match.group(2)) > current.number)
        )

    def explanation_line(self, text: str) -> bool:
        match = EXPLAIN.match(text)
        if not match or self.current is None:
            return False
        self.current.explanation = [clean(match.group(1))] if match.group(1).strip() else []
        return True

    def body_line(self, line: Line, text: str) -> None:
        """Question text, a choice line, or the continuation of the last choice."""
        draft = self.current
        if draft is None:
            return  # titles and instructions before the first question
        if draft.explanation is not None:
            draft.explanation.append(clean(text))
            return
        choice = CHOICE.match(line.text)
        if choice and draft.accepts_choice(choice.group(2)):
            add_choices(draft, line, choice)
        elif choice and draft.choices:
            draft.fault(
                _l(
                    "Câu %(n)d: phương án %(l)s xuất hiện hai lần (có thể thiếu dòng "
                    '"Câu ..." của câu sau).',
                    n=draft.number,
                    l=choice.group(2),
                )
            )
        elif draft.choices:
            draft.choices[-1].extend(line, 0, len(line.text))
        else:
            draft.stem.append(clean(text))

    def answer_line(self, line: Line, text: str) -> None:
        """After an answer heading: keys by number. A lone "Đáp án:" inside a question
        followed by "C" keys that question; a new "Câu N" goes back to the questions."""
        pairs = key_pairs(text)
        if pairs:
            self.take_keys(pairs)
        elif self.mode == "answers" and not self.took_keys:
            letters = key_letters(text)
            if letters and self.current and not self.current.key:
                self.current.key, self.mode = letters, "questions"
            elif is_prefixed(text):
                self.mode = "questions"
                self.dispatch(line, text)

    def feed_table(self, rows: list[list[str]]) -> None:
        """A table in the answer section, or one holding only keys between questions, is
        the answer table; a table inside a question's text is refused (its content would be
        lost); other tables (a title block) are skipped."""
        pairs, current = table_pairs(rows), self.current
        in_text = current is not None and not current.choices and current.explanation is None
        if self.mode != "questions" or (pairs and is_key_table(rows) and not in_text):
            self.take_keys(pairs)
        elif in_text:
            current.fault(
                _l(
                    "Câu %(n)d: có bảng; hệ thống chưa hỗ trợ câu hỏi có bảng, "
                    "hãy chuyển bảng thành chữ.",
                    n=current.number,
                )
            )

    def take_keys(self, pairs: dict[int, str]) -> None:
        self.table.update(pairs)
        self.took_keys, self.current = self.took_keys or bool(pairs), None


# --- checking and building the questions --------------------------------------------------
