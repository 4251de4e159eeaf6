"""An uploaded .xlsx checked before openpyxl or calamine parses it: the zip container (see
office_zip), then each worksheet's raw XML (row count, and what SheetScan notes for the fast
path), then the merged cells of a sheet read. openpyxl opens it in read-only mode without
evaluating formulas, so a cell such as "=1+1" arrives as the text "=1+1"; with defusedxml
installed openpyxl parses XML through it."""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl import load_workbook

from .cells import MAX_EMPTY_RUN, Sheet
from .i18n import _l
from .office_zip import OfficeKind, open_office_zip
from .upload import FileRejected, Limits

XLSX = OfficeKind(
    main_part="xl/workbook.xml",
    old_format=_l(
        "Tệp .xls (Excel 97-2003) không được hỗ trợ. "
        "Hãy mở tệp trong Excel và lưu lại dưới dạng .xlsx."
    ),
    not_this=_l("Tệp không phải là bảng tính Excel .xlsx."),
    broken=_l("Tệp .xlsx bị hỏng hoặc chưa tải lên hết. Hãy tải lên lại."),
    macros=_l(
        "Tệp có macro (.xlsm) không được chấp nhận. Hãy lưu lại dưới dạng .xlsx thông thường."
    ),
)
WIDEST = 200


def check_xlsx(data: bytes, limits: Limits) -> dict[str, "SheetScan"]:
    """Refuse what is not a plain, reasonably sized .xlsx, with a message that says why.
    Returns what the raw XML of each worksheet part showed (see SheetScan), by part name."""
    archive = open_office_zip(data, limits, XLSX)
    try:
        return _check_row_counts(archive, limits)
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error):
        raise FileRejected(XLSX.broken) from None


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
Q = rb"""\s*=\s*["']"""  # an attribute's = and opening quote, as XML allows them
ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br" + Q + rb"(\d+)")
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
ERROR_CELL = re.compile(rb"\bt" + Q + rb"e\b")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br" + Q + rb"([A-Z]+)")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref" + Q + rb"[A-Z]*\d*(?::([A-Z]+)(\d+))?")


@dataclass
class SheetScan:
    """What a worksheet's raw XML shows before any reader parses it."""

    rows: int = 0  # <row> tags
    last_row: int = 0  # the largest r="..." of a <row>
    widest: int = 0  # the largest column of a cell beyond Z (0: none beyond Z)
    unplaced: bool = False  # a cell without its r="B7": its column is known only by counting
    formulas: bool = False  # any <f> tag
    errors: bool = False  # any error cell (t="e")
    dimension: tuple[int, int] | None = None  # (last row, last column) its <dimension> declares

    def dense(self) -> bool:
        """No formula, no error cell, no cell far below or far right of the data: a reader
        that holds the whole used range in memory holds about what the rows hold."""
        return (
            not self.formulas
            and not self.errors
            and not self.unplaced
            and self.widest <= WIDEST
            and self.last_row <= self.rows + MAX_EMPTY_RUN
            and (self.dimension is None or self.dimension[1] <= WIDEST)
        )


def _check_row_counts(archive: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    """Count each sheet's rows in its raw XML before openpyxl reads it: openpyxl walks a whole
    sheet that lacks a <dimension> tag just to size it, a minute for a million rows. The same
    pass notes what SheetScan holds."""
    scans = {}
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            scan = scans[info.filename] = SheetScan()
            with archive.open(info) as xml:
                before = b""
                for number, chunk in enumerate(_chunks(xml, overlap=4)):
                    scan.rows += len(ROW_TAG.findall(chunk))
                    _scan_chunk(scan, before + chunk, number == 0)
                    before = chunk[-200:]
            if scan.rows > limits.max_rows + 10:
                raise FileRejected(
                    _l("Tệp có quá nhiều dòng: tối đa %(n)d dòng dữ liệu.", n=limits.max_rows)
                )
    return scans


def _scan_chunk(scan: SheetScan, chunk: bytes, first: bool) -> None:
    """One piece of the part with the end of the one before (a tag split between two pieces
    is seen whole in the second; what is seen twice changes no maximum and no yes/no)."""
    scan.last_row = max([scan.last_row, scan.rows, *map(int, ROW_NUMBER.findall(chunk))])
    scan.formulas = scan.formulas or FORMULA_TAG.search(chunk) is not None
    scan.errors = scan.errors or ERROR_CELL.search(chunk) is not None
    refs = CELL_REF.findall(chunk)
    scan.unplaced = scan.unplaced or len(refs) < len(CELL_TAG.findall(chunk))
    scan.widest = max([scan.widest, *map(column_index, {r for r in refs if len(r) > 1})])
    if first and (dimension := DIMENSION.search(chunk)) and dimension.group(1):
        scan.dimension = (int(dimension.group(2)), column_index(dimension.group(1)))


def column_index(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def open_workbook(data: bytes, limits: Limits, checked: bool = False):
    """`checked`: check_xlsx has passed already."""
    if not checked:
        check_xlsx(data, limits)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on malformed parts
        raise FileRejected(
            _l("Không đọc được tệp .xlsx: tệp bị hỏng hoặc không đúng định dạng.")
        ) from None


MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def check_merged_cells(
    data: bytes, title: str, part: str, max_column: int | None, sheet: Sheet
) -> None:
    """Merged cells in the header or the questions hide values; titles above may be merged.
    A sheet declared wider than WIDEST columns is refused too (16,384-column files)."""
    if (max_column or 0) > WIDEST:
        raise FileRejected(
            _l(
                'Trang "%(s)s" có dữ liệu tới cột thứ %(n)d: chỉ dùng các cột '
                "theo mẫu rồi tải lên lại.",
                s=title,
                n=max_column,
            )
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part.lstrip("/")) as xml:
        merged = [m for chunk in _chunks(xml) for m in MERGE.finditer(chunk)]
    inside = [m for m in merged if int(m.group(4) or m.group(2)) >= sheet.header_row]
    if inside:
        ref = inside[0].group(0).split(b'"')[1].decode()
        raise FileRejected(
            _l(
                'Trang "%(s)s" có ô gộp (merged cells) tại %(r)s trong vùng câu '
                "hỏi: hãy bỏ gộp ô rồi tải lên lại.",
                s=title,
                r=ref,
            )
        )


def _chunks(stream, size: int = 1 << 20, overlap: int = 200):
    """The part in 1 MB pieces, each starting with the end of the one before, so a tag split
    between two reads is still seen (overlap=4 is shorter than a row tag: none counted twice)."""
    tail = b""
    while block := stream.read(size):
        yield tail + block
        tail = block[-overlap:]
