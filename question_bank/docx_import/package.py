"""The .docx as a file: refuse what is not a plain, reasonably sized Word document
(old .doc, macros, zip bombs) before python-docx opens it; the checks are office_zip's.
"""

from ..i18n import _l
from ..office_zip import OfficeKind, open_office_zip
from ..upload import Limits

DOCX = OfficeKind(
    main_part="word/document.xml",
    old_format=_l(
        "Tệp .doc (Word 97-2003) không được hỗ trợ. "
        "Hãy mở tệp trong Word và lưu lại dưới dạng .docx."
    ),
    not_this=_l("Tệp không phải là tài liệu Word .docx."),
    broken=_l("Tệp .docx bị hỏng hoặc chưa tải lên hết. Hãy tải lên lại."),
    macros=_l(
        "Tệp có macro (.docm) không được chấp nhận. Hãy lưu lại dưới dạng .docx thông thường."
    ),
)


def check_docx(data: bytes, limits: Limits) -> None:
    """Refuse what is not a plain, reasonably sized .docx, before python-docx opens it."""
    open_office_zip(data, limits, DOCX).close()
