"""A plan's text from the file an organiser uploads: .txt (UTF-8, with or without BOM, or
UTF-16 with BOM), .docx (paragraphs and table cells, in order) or .pdf (pypdf). NFC always."""
import io
import logging
import unicodedata

from ..docx_import import check_docx, read_blocks
from ..i18n import _l
from ..sheets import FileRejected, Limits

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300
KINDS = (".txt", ".docx", ".pdf")


class PlanUnreadable(ValueError):
    """The plan cannot be read; the message (Vietnamese) says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def read_plan(filename: str, data: bytes) -> str:
    """The plan's text, NFC-normalised; PlanUnreadable for another kind or a broken file."""
    kind = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind == ".doc":
        raise PlanUnreadable(_l("Tệp .doc (Word 97-2003) không được hỗ trợ. Hãy mở tệp trong Word "
                                "và lưu lại dưới dạng .docx hoặc .pdf."))
    if kind not in KINDS:
        raise PlanUnreadable(_l("Chỉ đọc được kế hoạch dạng .txt, .docx hoặc .pdf."))
    if not data:
        raise PlanUnreadable(_l("Tệp rỗng: không có nội dung."))
    if len(data) > MAX_BYTES:
        raise PlanUnreadable(_l("Tệp quá lớn (tối đa 20 MB)."))
    reader = {".txt": read_txt, ".docx": read_docx, ".pdf": read_pdf}[kind]
    text = unicodedata.normalize("NFC", reader(data)).replace("\x00", "")
    if not text.strip():
        raise PlanUnreadable(_l("Không tìm thấy chữ nào trong tệp kế hoạch."))
    return text


def read_txt(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    raise PlanUnreadable(_l("Tệp .txt không ở bảng mã UTF-8: hãy lưu lại tệp với bảng mã UTF-8."))


def read_docx(data: bytes) -> str:
    import docx

    try:
        check_docx(data, Limits())
        blocks = read_blocks(docx.Document(io.BytesIO(data)))
    except FileRejected as rejected:
        raise PlanUnreadable(rejected.error.message) from None
    except Exception:  # noqa: BLE001 - python-docx and lxml raise many kinds on bad parts
        raise PlanUnreadable(_l("Không đọc được tệp .docx: tệp bị hỏng hoặc không đúng định "
                                "dạng.")) from None
    lines = []
    for block in blocks:
        if isinstance(block, list):  # a table: each cell on its own line
            lines.extend(cell for row in block for cell in dict.fromkeys(row) if cell)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def read_pdf(data: bytes) -> str:
    if not data.startswith(b"%PDF"):
        raise PlanUnreadable(_l("Tệp không phải là tài liệu PDF."))
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise PlanUnreadable(_l("Máy chủ chưa cài thư viện đọc PDF (pypdf).")) from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanUnreadable(_l("Tệp PDF có mật khẩu: hãy gỡ mật khẩu rồi tải lên lại."))
        if len(reader.pages) > MAX_PAGES:
            raise PlanUnreadable(_l("Tệp PDF quá nhiều trang (tối đa 300)."))
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanUnreadable:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise PlanUnreadable(_l("Không đọc được tệp PDF: tệp bị hỏng hoặc không đúng định "
                                "dạng.")) from None
    text = "\n".join(pages)
    if not text.strip():
        raise PlanUnreadable(_l("Tệp PDF không có lớp chữ (có thể là bản quét): hãy dùng tệp "
                                "PDF có chữ, .docx hoặc .txt."))
    return text
