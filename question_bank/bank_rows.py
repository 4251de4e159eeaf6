"""The rows of a question bank in the template layout (.xlsx or .csv), checked into questions
plus row-numbered errors.

The header row may be anywhere in the first 10 rows. Columns (matched forgiving case, spaces,
diacritics and "Nội dung câu hỏi"-style variants): STT, Mã câu hỏi, Câu hỏi, A..H (also
"Đáp án A", "Phương án A", "Lựa chọn A"), Đáp án đúng ("A", "A,C", "A;C"), Giải thích, Chủ đề,
Mức độ, Điểm, Nguồn, Giữ thứ tự (Có/Không; empty: set when a choice refers to others, see
choice_order), Hình ảnh (a picture's name in the uploaded .zip; pictures may also be placed in
the row, see xlsx_pictures). Every row is checked; every error is reported; nothing is kept on
error.
"""

import re

from .cells import Sheet, fold
from .choice_order import needs_fixed_order
from .i18n import _l
from .images import ImageRefused, check_total
from .parsed import (
    LETTERS,
    MAX_CHOICE,
    MAX_TEXT,
    ParsedChoice,
    ParsedQuestion,
    ParseResult,
)
from .upload import RowError, error_place
from .vocab import DEFAULT_DIFFICULTY, Difficulty
from .xlsx_pictures import RowPictures, named_picture

FIELDS = {
    "stt": ("stt", "tt", "so thu tu"),
    "code": ("ma cau hoi", "ma cau", "ma so", "ma"),
    "text": ("cau hoi", "noi dung cau hoi", "noi dung", "de bai", "cau hoi noi dung"),
    "correct": ("dap an dung", "dap an", "dap an chinh xac", "phuong an dung", "ket qua"),
    "explanation": ("giai thich", "loi giai", "huong dan giai", "giai thich dap an"),
    "topic": ("chu de", "linh vuc", "chuyen de", "phan"),
    "difficulty": ("muc do", "do kho", "muc do kho"),
    "points": ("diem", "so diem", "diem so"),
    "source": ("nguon", "can cu", "trich dan", "nguon trich dan"),
    "keep_order": (
        "giu thu tu",
        "giu nguyen thu tu",
        "giu thu tu phuong an",
        "giu nguyen thu tu phuong an",
        "khong tron",
        "khong tron phuong an",
        "khong dao",
        "khong dao phuong an",
        "co dinh thu tu",
    ),
    "image": ("hinh anh", "hinh", "anh", "hinh minh hoa", "ten hinh", "ten tep hinh"),
}
YES = {"x", "co", "c", "1", "yes", "y", "true", "dung", "giu", "giu nguyen"}
NO = {"khong", "k", "0", "no", "n", "false", "sai", "tron", "dao"}
CHOICE_HEADER = re.compile(r"^(?:dap an|phuong an|lua chon|cau tra loi|pa)?\s*([a-h])$")


def match_bank_header(folded: list[str]) -> dict[str, int] | None:
    """{field: column index} when the row has a question column, two choices and a key."""
    columns: dict[str, int] = {}
    for index, name in enumerate(folded):
        key = header_field(name)
        if key and key not in columns:
            columns[key] = index
    has_choices = sum(1 for letter in LETTERS if letter in columns) >= 2
    return columns if {"text", "correct"} <= columns.keys() and has_choices else None


def header_field(name: str) -> str | None:
    if not name:
        return None
    choice = CHOICE_HEADER.match(name)
    if choice:
        return choice.group(1).upper()
    for key, aliases in FIELDS.items():
        if name in aliases:
            return key
    if "cau hoi" in name and not name.startswith("ma"):
        return "text"
    return None


def parse_sheets(sheets: list[Sheet], files: dict[str, bytes] | None = None) -> ParseResult:
    """Every row of every sheet that has a header, checked; a sheet's name is the topic of
    its questions when there are several sheets and no Chủ đề column."""
    result = ParseResult()
    if not sheets:
        result.errors.append(
            RowError(
                1,
                None,
                str(
                    _l(
                        "Không tìm thấy dòng tiêu đề trong 10 dòng đầu: cần có các cột "
                        "Câu hỏi, A, B (các phương án) và Đáp án đúng. Hãy dùng tệp mẫu."
                    )
                ),
            )
        )
    for sheet in sheets:
        topic = sheet.title if len(sheets) > 1 else ""
        for row, cells in sheet.rows:
            parse_row(sheet, row, cells, topic, result, files)
    check_codes(result)
    check_pictures_total(result)
    if not result.questions and not result.errors:
        result.errors.append(RowError(None, None, str(_l("Tệp không có câu hỏi nào."))))
    return result


def parse_row(
    sheet: Sheet,
    row: int,
    cells: list[str],
    default_topic: str,
    result: ParseResult,
    files: dict[str, bytes] | None = None,
) -> None:
    errors: list[RowError] = []

    def err(column_field, message):
        errors.append(RowError(row, sheet.letter(column_field), str(message), sheet.error_sheet))

    pictures = RowPictures(sheet.pictures, files, err)
    name = sheet.value(cells, "image")
    image = pictures.take(row, "text", name, "image" if name else "text")
    text = sheet.value(cells, "text")
    if not text:
        err("text", _l("Thiếu nội dung câu hỏi."))
    elif len(text) > MAX_TEXT:
        err("text", _l("Câu hỏi dài quá %(n)d ký tự.", n=MAX_TEXT))
    choices = parse_choices(sheet, cells, err, pictures, row)
    mark_correct(sheet.value(cells, "correct"), choices, err)
    question = ParsedQuestion(
        row=row,
        text=text,
        choices=choices,
        code=sheet.value(cells, "code"),
        topic=sheet.value(cells, "topic") or default_topic,
        difficulty=parse_difficulty(sheet.value(cells, "difficulty"), err),
        points=parse_points(sheet.value(cells, "points"), err),
        explanation=sheet.value(cells, "explanation"),
        source=sheet.value(cells, "source"),
        keep_choice_order=parse_keep_order(sheet.value(cells, "keep_order"), choices, err),
        sheet=sheet.error_sheet,
        image=image,
    )
    result.errors.extend(errors)
    if not errors:
        result.questions.append(question)


def parse_choices(
    sheet: Sheet, cells: list[str], err, pictures: RowPictures | None = None, row: int = 0
) -> list[ParsedChoice]:
    """A choice is its text, its picture, or both ("[hình: a.png]" names the picture)."""
    present = [
        (letter, *named_picture(sheet.value(cells, letter)))
        for letter in LETTERS
        if letter in sheet.columns
    ]
    last = max(
        (
            i
            for i, (letter, text, name) in enumerate(present)
            if text or name or (row, letter) in sheet.pictures
        ),
        default=-1,
    )
    choices = []
    for letter, text, name in present[: last + 1]:
        image = pictures.take(row, letter, name, letter) if pictures else None
        if not text and not image and not name and (row, letter) not in sheet.pictures:
            err(letter, _l("Phương án %(l)s bị bỏ trống trong khi có phương án sau nó.", l=letter))
        elif len(text) > MAX_CHOICE:
            err(letter, _l("Phương án %(l)s dài quá %(n)d ký tự.", l=letter, n=MAX_CHOICE))
        choices.append(ParsedChoice(letter, text, False, image))
    if len(choices) < 2:  # named at the first choice left empty (B when only A is filled)
        missing = present[len(choices)][0] if len(present) > len(choices) else None
        err(
            missing or (present[0][0] if present else "text"),
            _l("Cần ít nhất hai phương án trả lời."),
        )
    return choices


def mark_correct(value: str, choices: list[ParsedChoice], err) -> None:
    letters = [p for p in re.split(r"[\s,;/|+&]+", value.upper()) if p]
    if len(letters) == 1 and len(letters[0]) > 1 and letters[0].isalpha():
        letters = list(letters[0])  # "AC"
    if not letters:
        err("correct", _l("Thiếu đáp án đúng (ghi một chữ cái như A, hoặc nhiều như A,C)."))
        return
    by_label = {c.label: c for c in choices}
    for letter in letters:
        if letter not in by_label:
            err(
                "correct",
                _l('Đáp án đúng "%(v)s" không phải là một phương án có nội dung.', v=letter),
            )
        else:
            by_label[letter].correct = True


def parse_keep_order(value: str, choices: list[ParsedChoice], err) -> bool:
    """ "Có"/"x" keeps the choices in the file's order, "Không" shuffles them; left empty, a
    question whose choices refer to others ("Tất cả các phương án trên") keeps its order."""
    folded = fold(value)
    if folded in YES:
        return True
    if folded and folded not in NO:
        err(
            "keep_order",
            _l(
                'Giữ thứ tự "%(v)s" không hợp lệ: ghi Có (hoặc x), Không, hoặc '
                "để trống để hệ thống tự nhận biết.",
                v=value,
            ),
        )
    return not folded and needs_fixed_order(c.text for c in choices)


def parse_difficulty(value: str, err) -> str:
    """The stored code of a file's difficulty (the Vietnamese word, a usual name or the code)."""
    if not value:
        return DEFAULT_DIFFICULTY.value
    found = Difficulty.parse(value)
    if found is None:
        err("difficulty", _l('Mức độ "%(v)s" không hợp lệ: dùng Dễ, Trung bình hoặc Khó.', v=value))
    return (found or DEFAULT_DIFFICULTY).value


def parse_points(value: str, err) -> float:
    if not value:
        return 1.0
    try:
        points = float(value.replace(",", "."))
    except ValueError:
        points = -1
    if not 0 < points <= 100:
        err(
            "points",
            _l('Điểm "%(v)s" không hợp lệ: cần một số lớn hơn 0 và không quá 100.', v=value),
        )
        return 1.0
    return round(points, 2)


def check_codes(result: ParseResult) -> None:
    """A question code appears once per file."""
    seen: dict[str, ParsedQuestion] = {}
    for question in result.questions:
        if question.code and question.code in seen:
            first = seen[question.code]
            place = error_place(first.sheet, first.row, None)
            result.errors.append(
                RowError(
                    question.row,
                    None,
                    str(
                        _l(
                            'Mã câu hỏi "%(c)s" trùng với %(p)s.',
                            c=question.code,
                            p=place if first.sheet else place.lower(),
                        )
                    ),
                    question.sheet,
                )
            )
        elif question.code:
            seen[question.code] = question


def check_pictures_total(result: ParseResult) -> None:
    """All the pictures of one upload, together, within images.MAX_TOTAL."""
    images = [q.image for q in result.questions if q.image]
    images += [c.image for q in result.questions for c in q.choices if c.image]
    try:
        check_total(images)
    except ImageRefused as refused:
        result.errors.append(RowError(None, None, str(refused)))
