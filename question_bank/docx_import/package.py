"""The .docx as a file: refuse what is not a plain, reasonably sized Word document
(old .doc, macros, zip bombs) before python-docx opens it.
"""

import io
import zipfile

from ..i18n import _l
from ..sheets import FileRejected, Limits, check_zip_limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def check_docx(data: bytes, limits: Limits) -> None:
    """Refuse what is not a plain, reasonably sized .docx, before python-docx opens it."""
    if not data:
        raise FileRejected(_l("Tệp rỗng: không có nội dung."))
    if data[:4] == OLE_MAGIC:
        raise FileRejected(
            _l(
                "Tệp .doc (Word 97-2003) không được hỗ trợ. "
                "Hãy mở tệp trong Word và lưu lại dưới dạng .docx."
            )
        )
    if data[:2] != b"PK":
        raise FileRejected(_l("Tệp không phải là tài liệu Word .docx."))
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise FileRejected(
            _l("Tệp .docx bị hỏng hoặc chưa tải lên hết. Hãy tải lên lại.")
        ) from None
    check_entries(infos, len(data), limits)


def check_entries(infos: list[zipfile.ZipInfo], size: int, limits: Limits) -> None:
    names = check_zip_limits(infos, size, limits)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(
            _l(
                "Tệp có macro (.docm) không được chấp nhận. "
                "Hãy lưu lại dưới dạng .docx thông thường."
            )
        )
    if "word/document.xml" not in names:
        raise FileRejected(_l("Tệp không phải là tài liệu Word .docx."))
