"""An Office file (.xlsx, .docx) as a zip container, checked before any reader opens it: not
empty, not the old binary format (.xls, .doc), a zip at all, not a zip bomb (entry count,
declared size, compression ratio, read from the zip directory before anything is inflated),
no macros, and holding the main part of its kind."""

import io
import zipfile
import zlib
from dataclasses import dataclass

from .i18n import _l
from .upload import FileRejected, Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary formats (Excel, Word 97-2003)


@dataclass(frozen=True)
class OfficeKind:
    """One kind of Office file: the part each file of it holds and what each refusal says."""

    main_part: str
    old_format: str  # an old binary file of the kind (.xls, .doc)
    not_this: str  # not a file of the kind at all
    broken: str  # a zip that does not open: damaged or cut short
    macros: str  # a file with macros (.xlsm, .docm)


def open_office_zip(data: bytes, limits: Limits, kind: OfficeKind) -> zipfile.ZipFile:
    """The upload as an open zip, once it is a plain, reasonably sized file of `kind`; else
    FileRejected with a message that says why."""
    if not data:
        raise FileRejected(_l("Tệp rỗng: không có nội dung."))
    if data[:4] == OLE_MAGIC:
        raise FileRejected(kind.old_format)
    if data[:2] != b"PK":
        raise FileRejected(kind.not_this)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error):
        raise FileRejected(kind.broken) from None
    names = check_zip_limits(infos, len(data), limits)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(kind.macros)
    if kind.main_part not in names:
        raise FileRejected(kind.not_this)
    return archive


def check_zip_limits(infos, size: int, limits: Limits) -> set[str]:
    """Entry count, declared uncompressed size and compression ratio of any Office file, read
    from the zip directory before anything is inflated. Returns the part names."""
    if len(infos) > limits.max_entries:
        raise FileRejected(_l("Tệp có quá nhiều thành phần bên trong (%(n)d).", n=len(infos)))
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed or declared > limits.max_ratio * max(size, 1):
        raise FileRejected(_l("Tệp giải nén ra quá lớn: có thể là tệp độc hại (zip bomb)."))
    return {info.filename for info in infos}
