"""Certificates as PDF: A4 landscape, one page per certificate, in the usual Vietnamese layout
(issuing body and number on the left, Quốc hiệu–Tiêu ngữ on the right, the title, "Chứng nhận
Ông/Bà", the name, the unit and the achievement, place and date, the signer) with a QR code of
the public verification address.

fpdf2 writes it: pure Python on top of fontTools, it embeds a subset of a TrueType font with
real text (ToUnicode), so the Vietnamese is extractable and searchable, and a page costs a few
milliseconds (a whole round's batch is one document, the font parsed once). The font is Be
Vietnam Pro (OFL), designed for Vietnamese, installed from PyPI as `fontpkg-be-vietnam-pro`;
CONTEST_CERTIFICATE_FONT_DIR may point to another folder holding the same four file names.
Nothing is fetched at run time. Rendering reads nothing from the database: callers pass
`CertificatePage`s built beforehand, so no transaction is open while it runs.
"""

import io
import os
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF

from .timing import to_local

FONT = "BeVietnamPro"
FACES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
RED, DARK = (180, 20, 30), (30, 30, 40)


@dataclass
class CertificatePage:
    code: str
    serial: str
    full_name: str
    gender: str | None
    unit_name: str | None
    achievement: str
    contest_title: str
    issuer: str
    signer_title: str
    signer_name: str
    place: str
    issued_at: datetime
    verify_url: str
    signature: bytes | None = None  # PNG images, printed over the signature block
    seal: bytes | None = None


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """Where the font files are: CONTEST_CERTIFICATE_FONT_DIR, else the PyPI package's."""
    configured = os.environ.get("CONTEST_CERTIFICATE_FONT_DIR")
    if configured:
        return Path(configured)
    return Path(str(resources.files("fontpkg_be_vietnam_pro") / "files"))


def _document() -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for style, face in FACES.items():
        pdf.add_font(FONT, style, str(font_dir() / f"BeVietnamPro-{face}.ttf"))
    pdf.set_creator("Thi trực tuyến tìm hiểu về cải cách hành chính")
    return pdf


def render(
    pages: list[CertificatePage], title: str = "Giấy chứng nhận", progress=None, every: int = 25
) -> bytes:
    """One page per certificate, in Vietnamese whatever the interface language; `progress(n)`
    is told every `every` pages how many are drawn (a batch's progress bar)."""
    pdf = _document()
    pdf.set_title(title)
    with force_locale("vi"):
        for n, page in enumerate(pages, 1):
            _page(pdf, page)
            if progress is not None and n % every == 0:
                progress(n)
    return bytes(pdf.output())


def _page(pdf: FPDF, c: CertificatePage) -> None:
    pdf.add_page()
    _frame(pdf)
    _heading(pdf, c)
    pdf.set_text_color(*RED)
    _line(pdf, 62, "B", 34, _("GIẤY CHỨNG NHẬN"))
    pdf.set_text_color(*DARK)
    _line(pdf, 80, "B", 14, c.issuer.upper())
    _line(pdf, 88, "B", 14, _("CHỨNG NHẬN"))
    _line(pdf, 101, "BI", 24, f"{_title_of(c.gender)} {c.full_name}")
    if c.unit_name:
        _line(pdf, 114, "", 14, _("Đơn vị: %(u)s", u=c.unit_name))
    _wrapped(pdf, 123, "B", 16, c.achievement)
    _wrapped(pdf, 141, "I", 13, c.contest_title)
    _signature(pdf, c)
    _qr(pdf, c)


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)
    pdf.set_line_width(0.4)
    pdf.rect(11, 11, 275, 188)


def _heading(pdf: FPDF, c: CertificatePage) -> None:
    pdf.set_text_color(*DARK)
    pdf.set_font(FONT, "B", 11)
    pdf.set_xy(16, 18)
    pdf.multi_cell(110, 5.5, c.issuer.upper(), align="C")
    pdf.set_font(FONT, "", 11)
    pdf.set_x(16)
    pdf.cell(110, 6, _("Số: %(s)s", s=c.serial), align="C")
    pdf.set_font(FONT, "B", 11)
    pdf.set_xy(140, 18)
    pdf.cell(140, 5.5, _("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), align="C")
    pdf.set_font(FONT, "B", 12)
    pdf.set_xy(140, 24)
    motto = _("Độc lập - Tự do - Hạnh phúc")
    pdf.cell(140, 6, motto, align="C")
    width = pdf.get_string_width(motto)
    pdf.set_line_width(0.3)
    pdf.set_draw_color(*DARK)
    pdf.line(210 - width / 2, 31, 210 + width / 2, 31)


def _line(pdf: FPDF, y: float, style: str, size: float, text: str) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_xy(20, y)
    pdf.cell(257, size * 0.5, text, align="C")


def _wrapped(pdf: FPDF, y: float, style: str, size: float, text: str) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_xy(30, y)
    pdf.multi_cell(237, size * 0.5, text, align="C")


def _signature(pdf: FPDF, c: CertificatePage) -> None:
    local = to_local(c.issued_at)
    date = _("ngày %(d)s tháng %(m)s năm %(y)s", d=f"{local:%d}", m=f"{local:%m}", y=f"{local:%Y}")
    pdf.set_font(FONT, "I", 12)
    pdf.set_xy(150, 152)
    pdf.cell(130, 6, f"{c.place}, {date}" if c.place else date.capitalize(), align="C")
    pdf.set_font(FONT, "B", 12)
    pdf.set_xy(150, 159)
    pdf.cell(130, 6, c.signer_title.upper(), align="C")
    if c.seal:
        pdf.image(io.BytesIO(c.seal), x=170, y=162, h=30)
    if c.signature:
        pdf.image(io.BytesIO(c.signature), x=197, y=168, h=16)
    pdf.set_xy(150, 186)
    pdf.cell(130, 6, c.signer_name, align="C")


def _qr(pdf: FPDF, c: CertificatePage) -> None:
    out = io.BytesIO()
    segno.make(c.verify_url, error="m").save(out, kind="png", scale=4, border=2)
    out.seek(0)
    pdf.image(out, x=22, y=150, w=32, h=32)
    pdf.set_font(FONT, "", 8)
    lines = _("Mã xác thực: %(code)s\nKiểm tra tại:\n%(url)s", code=c.code, url=c.verify_url)
    for i, line in enumerate(lines.splitlines()):  # cells: multi_cell's line breaking is slow
        pdf.set_xy(56, 158 + 4 * i)
        pdf.cell(80, 4, line)


def _title_of(gender: str | None) -> str:
    return {"nam": _("Ông"), "nu": _("Bà")}.get(gender or "", _("Ông/Bà"))
