"""Word question banks: real .docx files built with python-docx, parsed by parse_docx."""

import io
import struct
import time
import unicodedata
import zipfile
import zlib

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import RGBColor

from question_bank.docx_import import parse_docx
from question_bank.parsed import MAX_TEXT
from question_bank.upload import Limits

CHOICES = ["A. Hà Nội", "B. Huế", "C. Đà Nẵng", "D. Sài Gòn"]


class Grid(list):
    """Rows of cell texts, written as a Word table."""


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def add_run(paragraph, text: str, flags: str = "") -> None:
    """flags: b bold, u underline, r red, h highlight, p a picture after the text."""
    run = paragraph.add_run(text)
    run.font.bold = True if "b" in flags else None
    run.font.underline = True if "u" in flags else None
    if "r" in flags:
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    if "h" in flags:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if "p" in flags:
        run.add_picture(io.BytesIO(tiny_png()))


def build(*blocks) -> bytes:
    """A .docx: a str is a plain paragraph, a list a paragraph of runs (str or (text, flags)),
    a Grid a table."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, Grid):
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row, cells in zip(table.rows, block, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
            continue
        paragraph = document.add_paragraph()
        for run in [block] if isinstance(block, str) else block:
            add_run(paragraph, *((run,) if isinstance(run, str) else run))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def parse(*blocks):
    return parse_docx(build(*blocks))


def correct(question) -> str:
    return "".join(c.label for c in question.choices if c.correct)


def messages(result) -> list[str]:
    return [e.message for e in result.errors]


def question_marked(mark) -> tuple:
    """Câu 1 with C marked by `mark`, a paragraph spec for choice C."""
    return ("Câu 1: Thành phố nào là thủ đô?", "A. Hải Phòng", "B. Huế", mark, "D. Cần Thơ")


# --- marking the correct choice -----------------------------------------------------------


@pytest.mark.parametrize(
    "mark",
    [
        [("C. Hà Nội", "u")],
        [("C. Hà Nội", "b")],
        [("C. Hà Nội", "r")],
        [("C. Hà Nội", "h")],
        [("C.", "u"), " Hà Nội"],
        ["C. ", ("Hà Nội", "b")],
        "*C. Hà Nội",
        "C. *Hà Nội",
    ],
    ids=[
        "underline",
        "bold",
        "red",
        "highlight",
        "letter-only",
        "text-only",
        "star-before",
        "star-after",
    ],
)
def test_each_marking_convention_marks_the_choice(mark):
    result = parse(*question_marked(mark))
    assert result.ok, messages(result)
    question = result.questions[0]
    assert question.row == 1 and question.text == "Thành phố nào là thủ đô?"
    assert correct(question) == "C"
    assert [c.text for c in question.choices] == ["Hải Phòng", "Huế", "Hà Nội", "Cần Thơ"]


@pytest.mark.parametrize(
    "color,marks", [("FF0000", True), ("E60000", True), ("0000FF", False), ("FF8000", False)]
)
def test_only_red_dominant_colours_mark(color, marks):
    document = docx.Document()
    for text in question_marked("C. Hà Nội"):
        run = document.add_paragraph().add_run(text)
        if text.startswith("C."):
            run.font.color.rgb = RGBColor.from_string(color)
    out = io.BytesIO()
    document.save(out)
    result = parse_docx(out.getvalue())
    assert (result.ok and correct(result.questions[0]) == "C") is marks


def test_a_character_style_marks_like_direct_formatting():
    document = docx.Document()
    for text in question_marked("C. Hà Nội"):
        run = document.add_paragraph().add_run(text)
        if text.startswith("C."):
            run.style = "Strong"
    out = io.BytesIO()
    document.save(out)
    assert correct(parse_docx(out.getvalue()).questions[0]) == "C"


def test_formatting_every_choice_has_marks_nothing():
    bold = [[(text, "b")] for text in question_marked("C. Hà Nội")]
    result = parse(*bold)
    assert messages(result) == ["Câu 1: chưa đánh dấu đáp án đúng."]
    assert result.errors[0].row == 1 and result.errors[0].column is None
    bold[3] = [("C. Hà Nội", "bu")]
    assert correct(parse(*bold).questions[0]) == "C"


def test_bold_letters_everywhere_and_one_bold_text_marks_that_one():
    result = parse(
        "Câu 1: Thủ đô?",
        [("A.", "b"), " Hải Phòng"],
        [("B.", "b"), " Huế"],
        [("C. Hà Nội", "b")],
        [("D.", "b"), " Cần Thơ"],
    )
    assert correct(result.questions[0]) == "C"


def test_bold_question_start_run_and_other_question_forms():
    result = parse(
        [("Câu 12:", "b"), " Một?"],
        "A. x",
        "*B. y",
        "Câu 13. Hai?",
        "*A. x",
        "B. y",
        "Câu 14 Ba?",
        "A. x",
        "*B. y",
        "Bài 15: Bốn?",
        "*A. x",
        "B. y",
        "CÂU 16: Năm?",
        "*A. x",
        "B. y",
    )
    assert result.ok, messages(result)
    assert [(q.row, q.text) for q in result.questions] == [
        (12, "Một?"),
        (13, "Hai?"),
        (14, "Ba?"),
        (15, "Bốn?"),
        (16, "Năm?"),
    ]


def test_bare_numbers_start_questions_when_no_cau_is_written():
    result = parse("ĐỀ KIỂM TRA", "1. Một?", "*A. x", "B. y", "2) Hai?", "A. x", "*B. y")
    assert [(q.row, q.text, correct(q)) for q in result.questions] == [
        (1, "Một?", "A"),
        (2, "Hai?", "B"),
    ]


def test_numbered_lines_inside_a_cau_question_stay_text():
    result = parse("Câu 1: Cho các ý sau:", "1. Ý thứ nhất", "2. Ý thứ hai", "*A. 1", "B. 2")
    assert result.questions[0].text == "Cho các ý sau:\n1. Ý thứ nhất\n2. Ý thứ hai"


# --- choices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "A. 2020\tB. 2021\tC. 2022\tD. 2023",
        "A. 2020   B. 2021   C. 2022   D. 2023",
        "A. 2020 B. 2021 C. 2022 D. 2023",
        "A) 2020  B) 2021  C) 2022  D) 2023",
        "A: 2020 B: 2021 C: 2022 D: 2023",
    ],
)
def test_several_choices_on_one_line(line):
    result = parse("Câu 1: Năm nào?", line, "Đáp án: B")
    assert result.ok, messages(result)
    assert [c.text for c in result.questions[0].choices] == ["2020", "2021", "2022", "2023"]
    assert correct(result.questions[0]) == "B"


def test_choices_on_one_line_keep_their_own_formatting():
    result = parse(
        "Câu 1: Năm nào?", ["A. 2020\t", ("B. 2021", "u"), "\tC. 2022"], ["D. 2023  *E. 2024"]
    )
    assert result.errors and "2 đáp án" in messages(result)[0]
    result = parse(
        "Câu 1: Năm nào? (chọn nhiều đáp án)",
        ["A. 2020\t", ("B. 2021", "u"), "\tC. 2022"],
        ["D. 2023  *E. 2024"],
    )
    assert correct(result.questions[0]) == "BE"


def test_two_lines_of_two_choices_and_a_vitamin_letter():
    result = parse("Câu 1: Chất nào?", "A. Vitamin B.   B. Vitamin C", "*C. Sắt\tD. Kẽm")
    assert [c.text for c in result.questions[0].choices] == [
        "Vitamin B.",
        "Vitamin C",
        "Sắt",
        "Kẽm",
    ]


def test_choice_text_continues_on_the_next_paragraph():
    result = parse(
        "Câu 1: Điều nào đúng?",
        "A. Một",
        "*B. Hai dòng",
        "tiếp theo của B",
        "C. Ba",
        "Câu 2: Tiếp?",
        "A. x",
        [("B. y", "u")],
    )
    first, second = result.questions
    assert [c.text for c in first.choices] == ["Một", "Hai dòng tiếp theo của B", "Ba"]
    assert correct(first) == "B" and correct(second) == "B"


def test_soft_line_breaks_separate_lines_like_paragraphs():
    result = parse("Câu 1: Thủ đô?\nA. Hà Nội\n*B. Huế\nC. Vinh", "Câu 2: Cố đô?\nA. Huế  *B. Vinh")
    assert result.ok, messages(result)
    assert [(q.text, [c.text for c in q.choices], correct(q)) for q in result.questions] == [
        ("Thủ đô?", ["Hà Nội", "Huế", "Vinh"], "B"),
        ("Cố đô?", ["Huế", "Vinh"], "B"),
    ]


def test_question_text_spans_paragraphs_and_is_normalised():
    decomposed = unicodedata.normalize("NFD", "Thủ   tướng")
    result = parse(f"Câu 1:   {decomposed}\tChính phủ", "là người đứng đầu?", "*A. Đúng", "B.  Sai")
    question = result.questions[0]
    assert question.text == "Thủ tướng Chính phủ\nlà người đứng đầu?"
    assert unicodedata.is_normalized("NFC", question.text)
    assert [c.text for c in question.choices] == ["Đúng", "Sai"]


def add_list(document, abstract_id: int, fmt: str, text: str) -> None:
    """A list definition: one level numbered `fmt` shown as `text` ("Câu %1:")."""
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:lvl w:ilvl="0">'
            f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            "</w:lvl></w:abstractNum>"
        )
    )


def number(paragraph, num_id: int, abstract_id: int, restart: bool = False) -> None:
    """Put the paragraph in list instance num_id (created on first use, restarting at 1)."""
    numbering = paragraph.part.numbering_part.element
    if not numbering.xpath(f'w:num[@w:numId="{num_id}"]'):
        override = (
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
            if restart
            else ""
        )
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId '
                f'w:val="{abstract_id}"/>{override}</w:num>'
            )
        )
    paragraph.paragraph_format.element.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def test_word_automatic_numbering_reads_like_typed_numbers():
    document = docx.Document()
    add_list(document, 90, "decimal", "Câu %1:")
    add_list(document, 91, "upperLetter", "%1.")
    for q in range(2):
        number(document.add_paragraph(f"Thủ đô số {q + 1}?"), 100, 90)
        for i, text in enumerate(["Huế", "Hà Nội", "Vinh"]):
            paragraph = document.add_paragraph()
            paragraph.add_run(text).font.underline = True if i == q else None
            number(paragraph, 200 + q, 91, restart=True)
    out = io.BytesIO()
    document.save(out)
    result = parse_docx(out.getvalue())
    assert result.ok, messages(result)
    assert [(q.row, q.text, correct(q)) for q in result.questions] == [
        (1, "Thủ đô số 1?", "A"),
        (2, "Thủ đô số 2?", "B"),
    ]
    assert [c.label for c in result.questions[1].choices] == ["A", "B", "C"]


# --- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Đáp án: C", "C"),
        ("Đáp án đúng: B", "B"),
        ("ĐA: D", "D"),
        ("đáp án: a", "A"),
        ("Đáp án: Ba", ""),
        ("Đáp án: C. Đà Nẵng", "C"),
    ],
)
def test_answer_line_keys_the_question(line, expected):
    result = parse("Câu 1: Thành phố nào?", *CHOICES, line)
    if expected:
        assert correct(result.questions[0]) == expected
    else:
        assert result.errors[0].row == 1


def test_answer_line_with_several_letters_makes_a_multiple_answer_question():
    result = parse("Câu 1: Thành phố trực thuộc trung ương?", *CHOICES, "Đáp án: A, C")
    assert correct(result.questions[0]) == "AC" and result.questions[0].multiple


def test_a_key_wins_over_formatting():
    result = parse("Câu 1: Thủ đô?", [("A. Hà Nội", "b")], "B. Huế", "Đáp án: B")
    assert correct(result.questions[0]) == "B"


def test_lone_answer_heading_then_letter_keys_the_question():
    result = parse(
        "Câu 1: Thủ đô?", *CHOICES, "Đáp án:", "A", "Câu 2: Cố đô?", *CHOICES, "Đáp án: B"
    )
    assert [correct(q) for q in result.questions] == ["A", "B"]


def test_answer_table_in_text_after_heading():
    result = parse(
        "Câu 1: Một?",
        *CHOICES,
        "Câu 2: Hai?",
        *CHOICES,
        "Câu 3: Ba?",
        *CHOICES,
        "Câu 4: Bốn?",
        *CHOICES,
        "BẢNG ĐÁP ÁN",
        "1-A  2-C  3.B 4:D",
    )
    assert result.ok, messages(result)
    assert [correct(q) for q in result.questions] == ["A", "C", "B", "D"]
    assert [c.text for c in result.questions[3].choices][-1] == "Sài Gòn"


def test_answer_table_after_het():
    result = parse(
        "Câu 1: Một?", *CHOICES, "Câu 2: Hai?", *CHOICES, "-----HẾT-----", "Câu 1: A   Câu 2: D"
    )
    assert [correct(q) for q in result.questions] == ["A", "D"]


@pytest.mark.parametrize(
    "grid",
    [
        Grid([["1-A", "2-C"], ["3-B", ""]]),
        Grid([["Câu", "Đáp án"], ["1", "A"], ["2", "C"], ["3", "B"]]),
        Grid([["Câu", "1", "2", "3"], ["Đáp án", "A", "C", "B"]]),
    ],
    ids=["cells", "pairs-side-by-side", "pairs-one-above-the-other"],
)
def test_answer_table_in_a_word_table(grid):
    result = parse(
        "Câu 1: Một?", *CHOICES, "Câu 2: Hai?", *CHOICES, "Câu 3: Ba?", *CHOICES, "ĐÁP ÁN", grid
    )
    assert result.ok, messages(result)
    assert [correct(q) for q in result.questions] == ["A", "C", "B"]


def test_a_paragraph_of_keys_needs_no_heading():
    result = parse("Câu 1: Một?", *CHOICES, "Câu 2: Hai?", *CHOICES, "1.B   2.D")
    assert [correct(q) for q in result.questions] == ["B", "D"]
    assert [c.text for c in result.questions[1].choices][-1] == "Sài Gòn"


def test_a_table_of_keys_needs_no_heading():
    result = parse("Câu 1: Một?", *CHOICES, "Câu 2: Hai?", *CHOICES, Grid([["1", "2"], ["B", "D"]]))
    assert [correct(q) for q in result.questions] == ["B", "D"]


def test_header_table_before_the_questions_is_ignored():
    result = parse(
        Grid([["SỞ GIÁO DỤC", "ĐỀ THI THỬ"], ["Mã đề 101", "Thời gian 45 phút"]]),
        "Câu 1: Một?",
        "*A. x",
        "B. y",
    )
    assert result.ok and correct(result.questions[0]) == "A"


# --- explanation, end, topics, multiple answers ------------------------------------------


def test_explanation_runs_until_the_next_question():
    result = parse(
        "Câu 1: Một?",
        "*A. x",
        "B. y",
        "Giải thích: Vì x đúng.",
        "Xem Điều 5.",
        "Câu 2: Hai?",
        "A. x",
        "*B. y",
        "Lời giải: Chọn B.",
        "Câu 3: Ba?",
        "A. x",
        "*B. y",
        "Hướng dẫn giải:",
        "Tính ra B.",
    )
    assert [q.explanation for q in result.questions] == [
        "Vì x đúng.\nXem Điều 5.",
        "Chọn B.",
        "Tính ra B.",
    ]
    assert [c.text for c in result.questions[0].choices] == ["x", "y"]


@pytest.mark.parametrize("end", ["HẾT", "--- HẾT ---", "-----HẾT-----"])
def test_het_ends_the_questions(end):
    result = parse(
        "Câu 1: Một?",
        "*A. x",
        "B. y",
        end,
        "Giám thị không giải thích gì thêm.",
        "Câu 2: Không phải câu hỏi",
        "A. x",
        "*B. y",
    )
    assert [q.row for q in result.questions] == [1]
    assert [c.text for c in result.questions[0].choices] == ["x", "y"]


def test_phan_and_chu_de_headings_set_the_topic():
    result = parse(
        "Câu 1: Không chủ đề?",
        "*A. x",
        "B. y",
        "Phần I: Cải cách thể chế",
        "Câu 2: Hai?",
        "*A. x",
        "B. y",
        "Câu 3: Ba?",
        "*A. x",
        "B. y",
        "PHẦN 2 - Cải cách thủ tục hành chính",
        "Câu 4: Bốn?",
        "*A. x",
        "B. y",
        "Chủ đề: Chính quyền số",
        "Câu 5: Năm?",
        "*A. x",
        "B. y",
    )
    assert [q.topic for q in result.questions] == [
        "",
        "Cải cách thể chế",
        "Cải cách thể chế",
        "Cải cách thủ tục hành chính",
        "Chính quyền số",
    ]
    assert [c.text for c in result.questions[0].choices] == ["x", "y"]


def test_multiple_answers_when_the_text_says_so():
    result = parse(
        "Câu 1: Những thành phố nào? (chọn nhiều đáp án)",
        [("A. Hà Nội", "u")],
        "B. Huế",
        [("C. Đà Nẵng", "u")],
        "D. Sài Gòn",
        "Câu 2: Những gì? (nhiều đáp án)",
        "*A. x",
        "*B. y",
        "C. z",
    )
    assert result.ok, messages(result)
    first, second = result.questions
    assert first.text == "Những thành phố nào? (chọn nhiều đáp án)"
    assert correct(first) == "AC" and first.multiple and correct(second) == "AB"


# --- errors, each with its question number ------------------------------------------------


def test_two_marks_on_a_single_answer_question():
    result = parse("Câu 12: Một?", [("A. x", "u")], [("B. y", "u")], "C. z")
    assert messages(result) == [
        "Câu 12: có 2 đáp án được đánh dấu nhưng câu hỏi chỉ có một đáp án đúng."
    ]
    assert result.errors[0].row == 12 and not result.questions


@pytest.mark.parametrize(
    "blocks,message",
    [
        (("Câu 7: Một?", "A. x", "B. y"), "Câu 7: chưa đánh dấu đáp án đúng."),
        (("Câu 7: Một?", "*A. x"), "Câu 7: cần ít nhất hai phương án trả lời (A., B., ...)."),
        (
            ("Câu 7: Một?", "A. x", "B. y", "Đáp án: D"),
            "Câu 7: đáp án D không phải là một phương án của câu này.",
        ),
        (
            ("Câu 7: " + "x" * (MAX_TEXT + 1), "*A. x", "B. y"),
            f"Câu 7: câu hỏi dài quá {MAX_TEXT} ký tự.",
        ),
        (("Câu 7:", "*A. x", "B. y"), "Câu 7: thiếu nội dung câu hỏi."),
        (("Câu 7: Một?", "*A. x", "C. y"), "Câu 7: thiếu phương án B."),
        (
            ("Câu 7: Một?", "*A. x", "B. y", "A. z"),
            'Câu 7: phương án A xuất hiện hai lần (có thể thiếu dòng "Câu ..." của câu sau).',
        ),
        (
            ("Câu 7: Một?", "A. x", "B. y", "Đáp án: Hà Nội"),
            'Câu 7: không đọc được dòng "Đáp án: Hà Nội": hãy ghi như "Đáp án: C".',
        ),
    ],
    ids=[
        "no-mark",
        "one-choice",
        "key-not-a-choice",
        "too-long",
        "no-text",
        "gap",
        "repeat",
        "unreadable-key",
    ],
)
def test_question_errors_name_the_question(blocks, message):
    result = parse(*blocks)
    assert messages(result)[0] == message
    assert {e.row for e in result.errors} == {7} and not result.questions


@pytest.mark.parametrize(
    "where, owner",
    [("question", ""), ("choice", "B"), ("own-paragraph", ""), ("under-choice", "A")],
)
def test_a_picture_belongs_to_the_question_or_choice_it_is_in(where, owner):
    blocks = ["Câu 3: Hình nào?", "*A. x", "B. y"]
    if where == "question":
        blocks[0] = [("Câu 3: Hình nào?", "p")]
    elif where == "choice":
        blocks[2] = [("B. y", "p")]
    elif where == "under-choice":
        blocks.insert(2, [("", "p")])
    else:
        blocks.insert(1, [("", "p")])
    result = parse(*blocks, "Câu 4: Tiếp?", "*A. x", "B. y")
    assert result.ok, messages(result)
    first, second = result.questions
    pictured = [""] if first.image else []
    pictured += [c.label for c in first.choices if c.image]
    assert pictured == [owner]
    assert (first.image or first.choices[0].image or first.choices[1].image).width == 1
    assert second.image is None and not any(c.image for c in second.choices)


def test_two_pictures_in_one_choice_or_an_object_are_refused():
    result = parse(
        "Câu 3: Hình nào?", "*A. x", [("B. y", "p"), ("", "p")], "Câu 4: Tiếp?", "*A. x", "B. y"
    )
    assert messages(result) == [
        ("Câu 3: phương án B có 2 hình; mỗi câu hỏi và mỗi phương án chỉ có một hình.")
    ]
    assert [q.row for q in result.questions] == [4]


def test_a_picture_in_the_explanation_or_title_is_fine():
    result = parse([("Logo", "p")], "Câu 1: Một?", "*A. x", "B. y", "Giải thích:", [("sơ đồ", "p")])
    assert result.ok, messages(result)


def test_answer_table_entry_for_a_missing_question():
    result = parse("Câu 1: Một?", *CHOICES, "ĐÁP ÁN", "1-A 2-B")
    assert messages(result) == ["Câu 2: bảng đáp án có câu 2 nhưng tệp không có câu hỏi số 2."]
    assert result.errors[0].row == 2 and [q.row for q in result.questions] == [1]


def test_answer_line_and_table_must_agree():
    result = parse("Câu 1: Một?", *CHOICES, "Đáp án: A", "ĐÁP ÁN", "1-B")
    assert messages(result) == ['Câu 1: dòng "Đáp án" ghi A nhưng bảng đáp án ghi B.']


def test_duplicate_question_numbers():
    result = parse(
        "Câu 1: Một?",
        "*A. x",
        "B. y",
        "Câu 2: Hai?",
        "*A. x",
        "B. y",
        "Câu 1: Lại một?",
        "*A. x",
        "B. y",
    )
    assert messages(result) == [
        "Câu 1: có 2 câu cùng số 1; hãy đánh số câu không trùng nhau trong cả tệp."
    ]
    assert result.errors[0].row == 1 and [q.row for q in result.questions] == [2]


def test_a_table_inside_a_question_is_refused():
    result = parse(
        "Câu 5: Theo bảng sau:",
        Grid([["Năm", "Dân số"], ["2020", "97 triệu"]]),
        "*A. Tăng",
        "B. Giảm",
    )
    assert result.errors[0].row == 5 and "có bảng" in messages(result)[0]


def test_every_error_is_reported_and_good_questions_kept():
    result = parse(
        "Câu 1: Một?",
        "A. x",
        "B. y",
        "Câu 2: Hai?",
        "*A. x",
        "B. y",
        "Câu 3: Ba?",
        "*A. x",
        "*B. y",
    )
    assert [e.row for e in result.errors] == [1, 3]
    assert [q.row for q in result.questions] == [2]


# --- whole-file problems ------------------------------------------------------------------


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "data,words",
    [
        (b"", "rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "lưu lại dưới dạng .docx"),
        ("Câu 1: Một?\nA. x\nB. y\n".encode(), "không phải là tài liệu Word"),
        (build("Câu 1: Một?", "*A. x", "B. y")[:3000], "bị hỏng"),
        (zipped({"word/document.xml": b"<w/>", "big.bin": b"\0" * (50 * 1024 * 1024)}), "zip bomb"),
        (zipped({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"macro"}), "macro"),
        (zipped({"xl/workbook.xml": b"<x/>"}), "không phải là tài liệu Word"),
        (
            zipped({"word/document.xml": b"not xml", "[Content_Types].xml": b"<bad"}),
            "Không đọc được tệp .docx",
        ),
        (build("Tiêu đề", "Không có câu hỏi nào ở đây."), "Không tìm thấy câu hỏi nào"),
    ],
    ids=[
        "empty",
        "doc",
        "text",
        "truncated",
        "zip-bomb",
        "docm",
        "xlsx",
        "broken-parts",
        "no-question",
    ],
)
def test_whole_file_problems_are_one_error(data, words):
    result = parse_docx(data)
    assert len(result.errors) == 1 and not result.questions
    error = result.errors[0]
    assert error.row is None and error.column is None and words in error.message


def test_too_many_entries_is_refused():
    result = parse_docx(build("Câu 1: Một?", "*A. x", "B. y"), Limits(max_entries=3))
    assert "quá nhiều thành phần" in messages(result)[0]


def test_too_many_questions_is_refused():
    result = parse_docx(
        build("Câu 1: Một?", "*A. x", "B. y", "Câu 2: Hai?", "*A. x", "B. y"), Limits(max_rows=1)
    )
    assert len(result.errors) == 1 and "quá nhiều câu hỏi" in messages(result)[0]


# --- size ---------------------------------------------------------------------------------


def test_five_hundred_questions_parse_quickly():
    blocks = []
    for n in range(1, 501):
        blocks += [
            [(f"Câu {n}:", "b"), " Cơ quan nào có thẩm quyền ban hành văn bản này?"],
            "A. Quốc hội\tB. Chính phủ",
            [("C. Thủ tướng", "u")],
            "D. Bộ trưởng",
            "Giải thích: Theo Luật Ban hành văn bản quy phạm pháp luật.",
        ]
    data = build(*blocks)
    start = time.perf_counter()
    result = parse_docx(data)
    elapsed = time.perf_counter() - start
    assert result.ok, messages(result)[:3]
    assert len(result.questions) == 500 and all(correct(q) == "C" for q in result.questions)
    assert elapsed < 2, elapsed


def test_long_runs_of_spaces_stay_fast():
    spaces = " " * 100_000
    data = build(
        "Câu 1: x" + spaces + "y",
        "A. 1" + spaces + "B" + spaces + "x",
        "*B. 2" + spaces + ".",
        "ĐÁP ÁN",
        "1" + spaces + "-" + spaces + "A" + spaces,
    )
    start = time.perf_counter()
    parse_docx(data)
    assert time.perf_counter() - start < 2
