"""Building the result: each draft checked and settled into a ParsedQuestion (correct choices
from the key, the marks or the formatting), errors reported as "Câu N: ...".
"""

from collections import Counter

from ..choice_order import needs_fixed_order
from ..docx_pictures import settle_pictures, total_fault
from ..i18n import _l
from ..parsed import (
    LETTERS,
    MAX_CHOICE,
    MAX_TEXT,
    ParsedChoice,
    ParsedQuestion,
    ParseResult,
)
from ..upload import RowError
from ..vocab import DEFAULT_DIFFICULTY
from .grammar import KEEP_ORDER, MULTIPLE
from .ooxml import clean
from .reader import ChoiceDraft, Draft, Reader


def settle_all(reader: Reader) -> ParseResult:
    result = ParseResult()
    numbers = Counter(d.number for d in reader.drafts)
    reported: set[str] = set()  # a duplicated number reports its problem once
    for draft in reader.drafts:
        if numbers[draft.number] > 1:
            draft.fault(
                _l(
                    "Câu %(n)d: có %(k)d câu cùng số %(n)d; hãy đánh số câu không trùng "
                    "nhau trong cả tệp.",
                    n=draft.number,
                    k=numbers[draft.number],
                )
            )
        question = settle(draft, reader.table.get(draft.number, ""))
        result.errors.extend(
            RowError(draft.number, None, f) for f in draft.faults if f not in reported
        )
        reported.update(draft.faults)
        if question:
            result.questions.append(question)
    check_table_numbers(reader.table, numbers, result)
    too_big = total_fault(result.questions)
    if too_big:
        result.errors.append(RowError(None, None, too_big))
    if not result.questions and not result.errors:
        result.errors.append(
            RowError(
                None,
                None,
                str(
                    _l(
                        'Không tìm thấy câu hỏi nào: mỗi câu cần bắt đầu bằng "Câu 1:" '
                        "và có các phương "
                        'án "A.", "B."... Hãy xem lại tệp.'
                    )
                ),
            )
        )
    return result


def check_table_numbers(table: dict[int, str], numbers: Counter, result: ParseResult) -> None:
    """An answer-table entry names an existing question."""
    for number in sorted(set(table) - set(numbers)):
        result.errors.append(
            RowError(
                number,
                None,
                str(
                    _l(
                        "Câu %(n)d: bảng đáp án có câu %(n)d nhưng tệp không có câu hỏi số %(n)d.",
                        n=number,
                    )
                ),
            )
        )


def settle(draft: Draft, table_key: str) -> ParsedQuestion | None:
    """The question when it has no error; its faults otherwise."""
    text = without_marker(draft, "\n".join(draft.stem))
    check_text(draft, text)
    choices = [ParsedChoice(c.label, without_marker(draft, c.text), False) for c in draft.choices]
    image = settle_pictures(draft, choices)
    check_choices(draft, choices)
    mark_correct(draft, choices, text, table_key)
    if draft.faults:
        return None
    return ParsedQuestion(
        row=draft.number,
        text=text,
        choices=choices,
        topic=draft.topic,
        difficulty=DEFAULT_DIFFICULTY.value,
        explanation="\n".join(draft.explanation or []),
        keep_choice_order=draft.keep_order or needs_fixed_order(c.text for c in choices),
        image=image,
    )


def without_marker(draft: Draft, text: str) -> str:
    """The text without a "[Giữ thứ tự]" marker, which marks the draft."""
    if not KEEP_ORDER.search(text):
        return text
    draft.keep_order = True
    lines = (clean(line) for line in KEEP_ORDER.sub("", text).split("\n"))
    return "\n".join(line for line in lines if line)


def check_text(draft: Draft, text: str) -> None:
    n = draft.number
    if not text:
        draft.fault(_l("Câu %(n)d: thiếu nội dung câu hỏi.", n=n))
    elif len(text) > MAX_TEXT:
        draft.fault(_l("Câu %(n)d: câu hỏi dài quá %(m)d ký tự.", n=n, m=MAX_TEXT))


def check_choices(draft: Draft, choices: list[ParsedChoice]) -> None:
    """At least two choices, lettered A, B, C... without a gap, none empty or too long."""
    n = draft.number
    if len(choices) < 2:
        draft.fault(_l("Câu %(n)d: cần ít nhất hai phương án trả lời (A., B., ...).", n=n))
    labels = "".join(c.label for c in choices)
    if labels and labels != LETTERS[: len(labels)]:
        missing = next(c for c in LETTERS[: LETTERS.index(labels[-1])] if c not in labels)
        draft.fault(_l("Câu %(n)d: thiếu phương án %(l)s.", n=n, l=missing))
    for choice in choices:
        if not choice.text and not choice.image:
            draft.fault(_l("Câu %(n)d: phương án %(l)s bị bỏ trống.", n=n, l=choice.label))
        elif len(choice.text) > MAX_CHOICE:
            draft.fault(
                _l(
                    "Câu %(n)d: phương án %(l)s dài quá %(m)d ký tự.",
                    n=n,
                    l=choice.label,
                    m=MAX_CHOICE,
                )
            )


def marked_letters(choices: list[ChoiceDraft]) -> str:
    """Letters marked by "*" or by a formatting that not every choice has: formatting on the
    letters and formatting on the texts are compared separately, so bold letters everywhere
    plus one bold text marks that one."""
    if not choices:
        return ""
    shared_letter = frozenset.intersection(*(c.letter_marks for c in choices))
    shared_body = frozenset.intersection(*(c.body_marks for c in choices))
    return "".join(
        c.label
        for c in choices
        if c.star or c.letter_marks - shared_letter or c.body_marks - shared_body
    )


def answer_key(draft: Draft, table_key: str) -> str:
    """ "Đáp án:" line or answer table; both must agree."""
    if draft.key and table_key and set(draft.key) != set(table_key):
        draft.fault(
            _l(
                'Câu %(n)d: dòng "Đáp án" ghi %(a)s nhưng bảng đáp án ghi %(b)s.',
                n=draft.number,
                a=draft.key,
                b=table_key,
            )
        )
    return draft.key or table_key


def mark_correct(draft: Draft, choices: list[ParsedChoice], text: str, table_key: str) -> None:
    """A key wins over formatting; several marks need "(chọn nhiều đáp án)" or a key that
    names several letters."""
    n, key = draft.number, answer_key(draft, table_key)
    letters = key or marked_letters(draft.choices)
    by_label = {c.label: c for c in choices}
    for letter in letters:
        if letter in by_label:
            by_label[letter].correct = True
        else:
            draft.fault(
                _l(
                    "Câu %(n)d: đáp án %(l)s không phải là một phương án của câu này.",
                    n=n,
                    l=letter,
                )
            )
    if not letters:
        draft.fault(_l("Câu %(n)d: chưa đánh dấu đáp án đúng.", n=n))
    elif len(letters) > 1 and not key and not MULTIPLE.search(text):
        draft.fault(
            _l(
                "Câu %(n)d: có %(k)d đáp án được đánh dấu nhưng câu hỏi chỉ có một đáp án đúng.",
                n=n,
                k=len(letters),
            )
        )
