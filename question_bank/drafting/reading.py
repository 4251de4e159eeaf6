"""A plan's text from the file an organiser uploads: .txt (UTF-8, with or without BOM, or
UTF-16 with BOM), .docx (paragraphs and table cells, in order) or .pdf (pypdf). NFC always."""

import io
import logging
import unicodedata

from ..docx_import.ooxml import W, read_blocks
from ..docx_import.package import check_docx
from ..i18n import _l
from ..upload import FileRejected, Limits

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300
# What a plan of 300 dense pages needs, and no more: a small file can inflate far beyond its
# size (one compressed stream drawn by every page), and reading text costs time in proportion.
MAX_PAGE_CONTENT = 1024 * 1024  # a PDF page's drawing instructions, inflated
MAX_PDF_CONTENT = 8 * 1024 * 1024  # all pages' together, a shared stream counted on each page
MAX_BLOCKS = 20_000  # a .docx's paragraphs and table rows
MAX_CHARS = 1_500_000  # the plan's text
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
        raise PlanUnreadable(
            _l(
                "Tệp .doc (Word 97-2003) không được hỗ trợ. Hãy mở tệp trong Word "
                "và lưu lại dưới dạng .docx hoặc .pdf."
            )
        )
    if kind not in KINDS:
        raise PlanUnreadable(_l("Chỉ đọc được kế hoạch dạng .txt, .docx hoặc .pdf."))
    if not data:
        raise PlanUnreadable(_l("Tệp rỗng: không có nội dung."))
    if len(data) > MAX_BYTES:
        raise PlanUnreadable(_l("Tệp quá lớn (tối đa 20 MB)."))
    reader = {".txt": read_txt, ".docx": read_docx, ".pdf": read_pdf}[kind]
    text = unicodedata.normalize("NFC", reader(data)).replace("\x00", "")
    if len(text) > MAX_CHARS:
        raise PlanUnreadable(
            _l(
                "Kế hoạch quá dài (hơn %(n)s ký tự): hãy tải lên phần nội dung chính của kế hoạch.",
                n=f"{MAX_CHARS:,}".replace(",", "."),
            )
        )
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
        document = docx.Document(io.BytesIO(data))
        paragraphs = sum(1 for _p in document.element.body.iter(W + "p"))  # fast: no text read
        if paragraphs > MAX_BLOCKS:
            raise PlanUnreadable(
                _l(
                    "Tệp .docx quá dài (hơn %(n)s đoạn văn): hãy tải lên phần "
                    "nội dung chính của kế hoạch.",
                    n=f"{MAX_BLOCKS:,}".replace(",", "."),
                )
            )
        blocks = read_blocks(document)
    except PlanUnreadable:
        raise
    except FileRejected as rejected:
        raise PlanUnreadable(rejected.error.message) from None
    except Exception:  # noqa: BLE001 - python-docx and lxml raise many kinds on bad parts
        raise PlanUnreadable(
            _l("Không đọc được tệp .docx: tệp bị hỏng hoặc không đúng định dạng.")
        ) from None
    lines = []
    for block in blocks:
        if isinstance(block, list):  # a table: each cell on its own line
            lines.extend(cell for row in block for cell in dict.fromkeys(row) if cell)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def check_pdf_content(pages) -> None:
    """Refuse a PDF whose pages draw more than a plan needs, measured before any text is read:
    each page's content streams inflated (at most one byte past the budget)."""
    total = 0
    for number, page in enumerate(pages, 1):
        size = sum(_inflated_size(stream, MAX_PAGE_CONTENT + 1) for stream in _contents(page))
        total += size
        if size > MAX_PAGE_CONTENT or total > MAX_PDF_CONTENT:
            raise PlanUnreadable(
                _l(
                    "Tệp PDF có nội dung bất thường (trang %(p)d chứa quá nhiều lệnh vẽ, "
                    "có thể là tệp "
                    "được tạo để làm treo máy chủ): hãy xuất lại tệp PDF từ Word, hoặc tải lên tệp "
                    ".docx.",
                    p=number,
                )
            )


def _contents(page) -> list:
    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    if isinstance(contents, list):  # an array of streams
        return [item.get_object() for item in contents]
    return [contents]


def _inflated_size(stream, limit: int) -> int:
    """The stream's decoded length, inflating at most `limit` bytes of a Flate stream."""
    import zlib

    filters = stream.get("/Filter")
    if filters is not None and not isinstance(filters, list):
        filters = [filters]
    raw = getattr(stream, "_data", b"") or b""
    if filters == ["/FlateDecode"] and not stream.get("/DecodeParms"):
        inflater = zlib.decompressobj()
        try:
            return len(inflater.decompress(raw, limit))
        except zlib.error:
            return len(raw)
    if not filters:
        return len(raw)
    return len(stream.get_data())  # other filters: pypdf's own output limits apply


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
        check_pdf_content(reader.pages)
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanUnreadable:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise PlanUnreadable(
            _l("Không đọc được tệp PDF: tệp bị hỏng hoặc không đúng định dạng.")
        ) from None
    text = "\n".join(pages)
    if not text.strip():
        raise PlanUnreadable(
            _l(
                "Tệp PDF không có lớp chữ (có thể là bản quét): hãy dùng tệp "
                "PDF có chữ, .docx hoặc .txt."
            )
        )
    return text
