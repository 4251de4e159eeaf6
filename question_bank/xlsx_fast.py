"""Reading a workbook's cell values with calamine (Rust), about ten times faster than openpyxl.

Taken only when every worksheet's raw XML (xlsx_check.SheetScan, from check_xlsx) shows it safe
and alike: no formula (calamine gives a formula's cached value, the import wants the text
"=1+1"), no error cell (calamine gives "" for #N/A), every cell placed by its reference and
none far below or far right of the data (calamine holds the whole used range in memory, where
openpyxl's path stops after MAX_EMPTY_RUN empty rows). Anything else, or a workbook whose
parts this module does not find as it expects, goes through openpyxl (None from
worksheet_parts or calamine_rows). The rows then pass through the same read_rows as
openpyxl's, cut to the sheet's <dimension> as openpyxl's read-only mode cuts them.
"""

import io
import posixpath
import zipfile
from itertools import islice

from defusedxml.ElementTree import fromstring

from .xlsx_check import SheetScan

try:
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - the openpyxl path serves without it
    CalamineWorkbook = None

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WORKSHEET = "/worksheet"


def worksheet_parts(archive: zipfile.ZipFile, scans: dict[str, SheetScan]):
    """[(title, part)] of the workbook's worksheets in order, when all can take the fast path;
    None when one cannot, or the workbook lists its sheets in a way not expected here."""
    if CalamineWorkbook is None:
        return None
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - malformed or hostile XML: openpyxl's path answers it
        return None
    targets = {rel.get("Id"): rel for rel in rels.iter(f"{RELS}Relationship")}
    parts = []
    for sheet in workbook.iter(f"{MAIN}sheet"):
        rel = targets.get(sheet.get(REL_ID))
        if rel is None or not (rel.get("Type") or "").endswith(WORKSHEET):
            return None
        target = rel.get("Target") or ""
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        scan = scans.get(part)
        if scan is None or not scan.dense() or sheet.get("name") is None:
            return None
        parts.append((sheet.get("name"), part))
    return parts or None


def calamine_rows(data: bytes, parts, max_columns: int):
    """{title: rows} for read_rows, each row a list of values from column A, rows from row 1,
    or None when calamine does not read the workbook or names its sheets otherwise."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if list(workbook.sheet_names) != [title for title, _ in parts]:
            return None
        return {
            title: workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
            for title, _ in parts
        }
    except Exception:  # noqa: BLE001 - calamine raises its own kinds on odd parts
        return None


def as_openpyxl_reads(rows: list[list], scan: SheetScan, max_columns: int):
    """The rows as openpyxl's read-only iter_rows(max_col=max_columns) gives them: a sheet
    with a <dimension> is read to its last row and column only."""
    width = max_columns
    if scan.dimension is not None:
        rows = islice(rows, scan.dimension[0])
        width = min(width, scan.dimension[1])
    return (row[:width] for row in rows)
