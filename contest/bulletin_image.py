"""A round bulletin's link-preview image (1200 × 630 PNG, what Zalo and Facebook show), drawn
with Pillow in the certificates' font (certificate_pdf.font_dir)."""

import io

from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont

from .certificate_pdf import font_dir

WIDTH, HEIGHT = 1200, 630
RED, DARK, MUTED = (180, 20, 30), (30, 30, 40), (90, 90, 100)


def _font(face: str, size: int):
    return ImageFont.truetype(str(font_dir() / f"BeVietnamPro-{face}.ttf"), size)


def _fit(draw, text: str, face: str, size: int, width: int):
    """The font at `size`, smaller until `text` fits in `width` (down to 60 %)."""
    for step in range(size, int(size * 0.6), -2):
        font = _font(face, step)
        if draw.textlength(text, font=font) <= width:
            return font
    return _font(face, int(size * 0.6))


def bulletin_png(rnd, b: dict) -> bytes:
    """In Vietnamese whatever the interface language: it is shared to Vietnamese readers."""
    with force_locale("vi"):
        return _draw(rnd, b)


def _draw(rnd, b: dict) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 18), fill=RED)
    title = rnd.contest.title
    draw.text((60, 60), title, fill=DARK, font=_fit(draw, title, "Bold", 44, WIDTH - 120))
    heading = _("Bản tin %(r)s", r=rnd.name)
    draw.text((60, 130), heading, fill=RED, font=_fit(draw, heading, "Bold", 56, WIDTH - 120))
    figures = [
        (f"{b['entries']:,}".replace(",", "."), _("lượt thi")),
        (f"{b['people']:,}".replace(",", "."), _("người thi")),
        (f"{b['perfect_count']:,}".replace(",", "."), _("người đúng tất cả")),
    ]
    for i, (number, label) in enumerate(figures):
        x = 60 + i * 370
        draw.text((x, 260), number, fill=DARK, font=_font("Bold", 96))
        draw.text((x, 380), label, fill=MUTED, font=_font("Regular", 34))
    if b["winners"]:
        first = b["winners"][0]
        line = _("%(p)s: %(n)s", p=first["label"], n=first["name"])
        draw.text((60, 480), line, fill=DARK, font=_fit(draw, line, "Medium", 40, WIDTH - 120))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
