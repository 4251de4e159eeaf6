"""A bank sent as one .zip: an Excel (.xlsx) or CSV bank plus the pictures its cells name
("Hình ảnh" column, "[hình: a.png]" in a choice). Nothing is written to disk: the pictures are
looked up by file name in memory. The archive is checked from its directory before anything is
inflated (entry count, declared size, compression ratio: the checks of .xlsx and .docx), and
names that climb out of the archive ("../", absolute paths, drive letters) refuse the file."""

import io
import zipfile
import zlib

from .i18n import _l
from .images import MAX_BYTES
from .office_zip import check_zip_limits
from .parsed import ParseResult
from .upload import FileRejected, Limits
from .xlsx_import import parse_xlsx

PICTURE_ENDINGS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


def parse_zip(data: bytes, limits: Limits | None = None) -> ParseResult:
    limits = limits or Limits()
    try:
        sheet, files = read_zip(data, limits)
    except FileRejected as rejected:
        return ParseResult(errors=[rejected.error])
    if sheet[0].endswith(".csv"):
        from .csv_import import parse_csv

        return parse_csv(sheet[1], limits, files)
    return parse_xlsx(sheet[1], limits, files)


def read_zip(data: bytes, limits: Limits) -> tuple[tuple[str, bytes], dict[str, bytes]]:
    """((bank file name, bytes), {lower-case picture name: bytes})."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
        check_zip_limits(infos, len(data), limits)
        for info in infos:
            check_name(info.filename)
        banks = [
            i
            for i in infos
            if i.filename.lower().endswith((".xlsx", ".csv")) and not _hidden(i.filename)
        ]
        if len(banks) != 1:
            raise FileRejected(
                _l(
                    "Tệp .zip cần có đúng một tệp ngân hàng câu hỏi (.xlsx hoặc "
                    ".csv) cùng các hình; tệp này có %(n)d.",
                    n=len(banks),
                )
            )
        files = {}
        for info in infos:
            name = info.filename.rsplit("/", 1)[-1].lower()
            if name.endswith(PICTURE_ENDINGS) and not _hidden(info.filename):
                files[name] = _read(archive, info)
        return (banks[0].filename.lower(), archive.read(banks[0])), files
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error, NotImplementedError):
        raise FileRejected(_l("Tệp .zip bị hỏng hoặc chưa tải lên hết. Hãy tải lên lại.")) from None


def check_name(name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise FileRejected(
            _l(
                'Tệp .zip có tên tệp không an toàn ("%(n)s"): không được chứa '
                '"../" hay đường dẫn tuyệt đối.',
                n=name[:80],
            )
        )


def _hidden(name: str) -> bool:
    """macOS adds __MACOSX/ and ._name copies; they are not the organiser's files."""
    return name.startswith("__MACOSX/") or name.rsplit("/", 1)[-1].startswith("._")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """At most one byte more than a picture may have: an oversize one is refused by its row,
    never inflated in full."""
    with archive.open(info) as stream:
        return stream.read(MAX_BYTES + 1)
