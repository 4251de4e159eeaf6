"""Parse a Word (.docx) question bank written the way Vietnamese quiz tools (Azota and the like)
expect, into the same questions and errors as the Excel import. Flask-free.

The layout, paragraph by paragraph:
- A question starts with "Câu 12:", "Câu 12.", "Câu 12 ", "Bài 3:" or, in a file that never
  writes "Câu"/"Bài", with "12." or "12)". The rest of that paragraph and the paragraphs up to
  the first choice are the question text (paragraphs joined by a line break).
- Choices "A." to "H." (or "A)", "A:"), in order, one per paragraph or several on a line. A
  paragraph that is not a choice, question, key, explanation, heading or end continues the
  last choice.
- The correct choice carries "*" ("*C. ..." or "C. *...") or a formatting: underline, bold,
  red text, highlight or shading. Formatting counts on the choice's letter or on most of its
  text; a formatting that every choice of the question has (on its letter, or on its text)
  marks nothing. A key — "Đáp án: C", "Đáp án đúng: A, C", "ĐA: C", or the answer table —
  wins over formatting.
- The answer table follows "ĐÁP ÁN", "BẢNG ĐÁP ÁN", "HẾT", or is a Word table that holds only
  keys: "1-A 2-C 3.B 4:D" in text, "1-A" cells, or cells (number, letter) side by side or one
  above the other.
- "Giải thích:", "Lời giải:", "Hướng dẫn giải:" start the explanation, up to the next question.
- "HẾT" ("--- HẾT ---") ends the questions. "Phần I: X", "PHẦN 2 - X", "Chủ đề: X" make X the
  topic of the questions under them.
- "[Giữ thứ tự]" (or "(giữ nguyên thứ tự)"), on a line of its own or at the end of the question
  or a choice, keeps that question's choices in the file's order; without it a question keeps
  its order when a choice refers to others ("Tất cả các phương án trên", "Cả A và B").
- One correct answer, unless the text says "(chọn nhiều đáp án)" / "(nhiều đáp án)" or the key
  names several letters.
- Pictures (inline, Insert > Pictures): in the question's paragraphs, the question's; in a
  choice's paragraph or alone just under it, the choice's (see docx_pictures).
- A soft line break (Shift+Enter) separates lines like a new paragraph; Word's automatic
  numbering ("Câu 1:", "A." lists) reads as the text Word shows.
Every question is checked and every error is reported as "Câu N: ..." with row=N; a question
with an error is left out.
"""

import io

import docx

from ..i18n import _l
from ..parsed import ParseResult
from ..upload import FileRejected, Limits
from .grammar import is_prefixed
from .ooxml import Line, W, read_blocks
from .package import check_docx
from .questions import settle_all
from .reader import Reader

__all__ = ["W", "Line", "check_docx", "parse_docx", "read_blocks"]


def parse_docx(data: bytes, limits: Limits | None = None) -> ParseResult:
    """Questions and "Câu N: ..." errors from a .docx; whole-file problems come back as one
    error and no questions. Never raises."""
    limits = limits or Limits()
    try:
        check_docx(data, limits)
        document = docx.Document(io.BytesIO(data))
        blocks = read_blocks(document)
        reader = Reader(any(isinstance(b, Line) and is_prefixed(b.text) for b in blocks))
        reader.read(blocks, limits)
        return settle_all(reader)
    except FileRejected as rejected:
        return ParseResult(errors=[rejected.error])
    except Exception:  # noqa: BLE001 - python-docx and lxml raise many kinds on bad parts
        return ParseResult.refused(
            _l("Không đọc được tệp .docx: tệp bị hỏng hoặc không đúng định dạng.")
        )
