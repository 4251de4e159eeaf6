"""Hostile plans for the drafting page, built in memory: PDFs whose small file inflates into a
great deal of page content, and too many pages. Used by tests/test_plan_budget.py and
scripts/bench_isolation.py."""

import io
import zlib

from docx import Document


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the numbered objects (1 is the catalogue), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _content(text_bytes: int) -> bytes:
    line = b"BT /F1 12 Tf 72 712 Td (Ke hoach cai cach hanh chinh nam 2026) Tj ET\n"
    return line * (text_bytes // len(line) + 1)


def shared_stream_pdf(pages: int = 4, inflated: int = 5 * 1024 * 1024) -> bytes:
    """`pages` pages that all draw one content stream of `inflated` bytes (compressed to a
    few KB): each page costs a text extractor the whole stream again."""
    stream = zlib.compress(_content(inflated), 9)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>"
        )
    ] * pages
    return _pdf(objects)


def many_pages_pdf(pages: int = 400) -> bytes:
    """A small PDF with more pages than a plan has."""
    return shared_stream_pdf(pages=pages, inflated=64)


def plan_pdf(text: str = "Kế hoạch cải cách hành chính năm 2026.") -> bytes:
    """A harmless one-page PDF (ASCII text: the base-14 font has no Vietnamese)."""
    ascii_text = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (" + ascii_text + b") Tj ET\n")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            (
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                b"/Resources << /Font << /F1 4 0 R >> >> >>"
            ),
        ]
    )


def long_docx(paragraphs: int = 60_000) -> bytes:
    """A Word file far longer than any plan (tens of thousands of paragraphs)."""
    document = Document()
    body = document.element.body
    template = document.add_paragraph("Nội dung kế hoạch cải cách hành chính.")._p
    from copy import deepcopy

    for _ in range(paragraphs - 1):
        body.append(deepcopy(template))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
