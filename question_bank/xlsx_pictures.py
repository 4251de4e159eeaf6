"""Pictures of an Excel bank, two ways (both documented in the template's instructions):

- placed on the sheet: a picture whose top-left corner lies in a question's row belongs to that
  question; in the "Câu hỏi" column (or any column that is not a choice) it is the question's
  picture, in a choice column (A..H) it is that choice's;
- named in a cell, with the pictures uploaded beside the sheet in one .zip: the "Hình ảnh"
  column names the question's picture ("hinh1.png"), and a choice cell may end with
  "[hình: a.png]" (the choice may then have no text).
One picture per question and per choice. Pictures are checked by question_bank.images.
"""

import re
import zipfile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.xml.constants import IMAGE_NS
from openpyxl.xml.functions import fromstring

from .i18n import _l
from .images import ImageRefused, StoredImage, accept_image

NAMED = re.compile(
    r"\[\s*(?:hình|hinh|ảnh|anh|hình ảnh|hinh anh)\s*:\s*([^\]]+?)\s*\]", re.IGNORECASE
)
MAX_PICTURES = 2000


def anchored_pictures(
    archive: zipfile.ZipFile, worksheet_path: str, column_field: dict[int, str]
) -> dict[tuple[int, str], list[bytes]]:
    """{(excel row, field): [picture bytes]} for the pictures placed on one sheet; the field
    is the choice letter of the anchor's column, else "text"."""
    found: dict[tuple[int, str], list[bytes]] = {}
    rels_path = get_rels_path(worksheet_path.lstrip("/"))
    if rels_path not in archive.namelist():
        return found
    for rel in get_dependents(archive, rels_path).find(SpreadsheetDrawing._rel_type):
        for row, col, data in _drawing_pictures(archive, rel.target):
            field = column_field.get(col, "text")
            found.setdefault((row, field if len(field) == 1 else "text"), []).append(data)
    return found


def _drawing_pictures(archive: zipfile.ZipFile, path: str):
    """(row, 0-based column, bytes) of each picture of a drawing part."""
    drawing = SpreadsheetDrawing.from_tree(fromstring(archive.read(path)))
    rels_path = get_rels_path(path)
    deps = get_dependents(archive, rels_path) if rels_path in archive.namelist() else None
    for count, rel in enumerate(drawing._blip_rels):
        if count >= MAX_PICTURES:
            break
        dep = deps.get(rel.embed) if deps is not None else None
        if dep is None or dep.Type != IMAGE_NS:
            continue
        marker = rel.anchor._from
        yield marker.row + 1, marker.col, archive.read(dep.target.lstrip("/"))


def named_picture(text: str) -> tuple[str, str]:
    """("Phương án", "a.png") from "Phương án [hình: a.png]"; (text, "") without a name."""
    match = NAMED.search(text)
    if not match:
        return text, ""
    return " ".join((text[: match.start()] + text[match.end() :]).split()), match.group(1)


class RowPictures:
    """The pictures of one row: placed on the sheet or named and found in the .zip."""

    def __init__(self, placed: dict, files: dict[str, bytes] | None, err):
        self.placed, self.files, self.err = placed, files, err

    def take(self, row: int, field: str, name: str, column_field: str) -> StoredImage | None:
        """The one picture of (row, field), checked; None (with an error when one is wrong)."""
        pictures = list(self.placed.get((row, field), ()))
        if name:
            pictures.append(self.by_name(name, column_field))
        pictures = [p for p in pictures if p is not None]
        if len(pictures) > 1:
            self.err(
                column_field,
                _l(
                    "Có %(n)d hình cho cùng một ô: mỗi câu hỏi và mỗi phương án chỉ có một hình.",
                    n=len(pictures),
                ),
            )
            return None
        if not pictures:
            return None
        try:
            return accept_image(pictures[0])
        except ImageRefused as refused:
            self.err(column_field, _l("Hình: %(m)s", m=str(refused)))
            return None

    def by_name(self, name: str, column_field: str) -> bytes | None:
        key = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
        if self.files is None:
            self.err(
                column_field,
                _l(
                    'Ô ghi tên hình "%(n)s": hãy nén tệp Excel cùng các '
                    "hình vào một tệp .zip rồi tải tệp .zip lên.",
                    n=name,
                ),
            )
            return None
        if key not in self.files:
            self.err(column_field, _l('Không tìm thấy hình "%(n)s" trong tệp .zip.', n=name))
            return None
        return self.files[key]
