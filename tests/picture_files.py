"""Real picture banks for the tests: pictures drawn by Pillow, a .docx by python-docx
(doc.add_picture), an .xlsx by openpyxl (pictures placed in a row), a .zip of an .xlsx and
its pictures; and the hostile pictures of the corpus."""

import io
import struct
import zipfile
import zlib

import docx
from conftest import BANK_HEADERS
from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image, ImageDraw


def png(colour="red", size=(60, 40)) -> bytes:
    picture = Image.new("RGB", size, colour)
    ImageDraw.Draw(picture).rectangle((5, 5, size[0] // 2, size[1] // 2), fill="white")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def photo(seed: int, size=(1200, 800)) -> bytes:
    """A photo-like JPEG (gradients, shapes) with EXIF, as a phone camera would send."""
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for i in range(12):
        x, y = (seed * 97 + i * 131) % size[0], (seed * 53 + i * 71) % size[1]
        draw.ellipse((x, y, x + 180, y + 120), fill=((seed * 40 + i * 20) % 256, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera"  # Make
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def bomb_png(width=60000, height=60000) -> bytes:
    """A valid PNG header declaring 3.6 billion pixels, with almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
NOT_AN_IMAGE = b"MZ\x90\x00 this is an executable renamed .png"


def oversize_png() -> bytes:
    """A PNG over 2 MB (noise does not compress)."""
    import os

    picture = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def docx_bank(stem=None, choice=None) -> bytes:
    """Câu 1 with a picture in its text and one as choice B; Câu 2 without pictures."""
    document = docx.Document()
    paragraph = document.add_paragraph("Câu 1: Biển báo trong hình có ý nghĩa gì? ")
    paragraph.add_run().add_picture(io.BytesIO(stem or png("red")))
    document.add_paragraph("*A. Cấm đi ngược chiều")
    paragraph = document.add_paragraph("B. ")
    paragraph.add_run().add_picture(io.BytesIO(choice or png("blue")))
    document.add_paragraph("C. Đường cấm")
    document.add_paragraph("Câu 2: Thủ đô của Việt Nam?")
    for line in ("A. Huế", "*B. Hà Nội", "C. Đà Nẵng"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bank(pictures: dict[str, bytes], rows=None, header=None) -> bytes:
    """BANK_HEADERS rows, with pictures placed at cells ({"B2": bytes}: B is "Câu hỏi")."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Câu hỏi"
    ws.append(header or BANK_HEADERS)
    for row in rows or [
        [1, "Hình nào là lá cờ Việt Nam?", "", "", "Không có", "", "A", "", "Chung", "Dễ", 1],
        [2, "Câu không hình?", "a", "b", "c", "d", "B", "", "Chung", "Dễ", 1],
    ]:
        ws.append(row)
    for cell, data in pictures.items():
        picture = SheetImage(io.BytesIO(data))
        picture.anchor = cell
        ws.add_image(picture)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def zip_bank(files: dict[str, bytes], stem_name="co.png", choice_cell="[hình: b.png]") -> bytes:
    """An .xlsx naming its pictures ("Hình ảnh" column, "[hình: ...]" in a choice) and the
    pictures, in one .zip."""
    header = BANK_HEADERS + ["Hình ảnh"]
    rows = [
        [
            1,
            "Lá cờ trong hình là của nước nào?",
            "Việt Nam",
            choice_cell,
            "Lào",
            "",
            "A",
            "",
            "Chung",
            "Dễ",
            1,
            stem_name,
        ],
        [2, "Câu không hình?", "a", "b", "c", "d", "B", "", "Chung", "Dễ", 1, ""],
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Câu hỏi"
    for row in [header] + rows:
        ws.append(row)
    sheet = io.BytesIO()
    wb.save(sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ngan-hang.xlsx", sheet.getvalue())
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
