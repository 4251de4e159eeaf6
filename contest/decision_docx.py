"""The draft Quyết định khen thưởng of a round or of the contest's final prizes, as .docx
(python-docx), in the layout of
Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP): the issuing body and number
beside Quốc hiệu–Tiêu ngữ, place and date, the title and subject, the authority, the Căn cứ,
Điều 1–3, Nơi nhận and the signature block; then the attached lists of individuals and of
collectives. Times New Roman 13–14 pt on A4, margins 20/15/30/20 mm. Numbers and dates are left
as dots for the office to fill in: it is a draft."""

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask_babel import force_locale
from flask_babel import gettext as _

from .exports.winners_xlsx import round_title
from .timing import format_duration, to_local

CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def decision_document(rnd, winners, units, now) -> bytes:
    """`winners`: services.prizes.Winner list; `units`: [(UnitStat, prize label)]. In
    Vietnamese whatever the interface language."""
    with force_locale("vi"):
        people = [
            [
                str(i),
                w.entry.user.full_name,
                w.unit,
                f"{w.entry.score:g}",
                format_duration(w.entry.duration_ms),
                w.label,
            ]
            for i, w in enumerate(winners, 1)
        ]
        return _decision(
            rnd.contest,
            rnd.name,
            rnd.name,
            round_title(rnd),
            f"{rnd.name} – ",
            [_("STT"), _("Họ và tên"), _("Đơn vị"), _("Điểm"), _("Thời gian"), _("Giải")],
            people,
            units,
            now,
        )


def final_decision_document(contest, winners, units, now) -> bytes:
    """The contest's final prizes: `winners` services.final_prizes.FinalWinner list, with the
    rounds taken and the totals over the contest."""
    with force_locale("vi"):
        people = [
            [
                str(i),
                w.user.full_name,
                w.unit,
                str(w.rounds_taken),
                f"{w.total_score:g}",
                format_duration(w.total_duration_ms),
                w.label,
            ]
            for i, w in enumerate(winners, 1)
        ]
        return _decision(
            contest,
            _("chung cuộc"),
            _("các đợt thi của"),
            _("các đợt thi của %(c)s", c=contest.title),
            _("Giải chung cuộc – "),
            [
                _("STT"),
                _("Họ và tên"),
                _("Đơn vị"),
                _("Số đợt thi"),
                _("Tổng điểm"),
                _("Tổng thời gian"),
                _("Giải"),
            ],
            people,
            units,
            now,
        )


def _decision(
    contest,
    name: str,
    within: str,
    basis: str,
    list_of: str,
    headers: list[str],
    people: list[list[str]],
    units,
    now,
) -> bytes:
    """`name` after "đạt giải" in the subject, `within` after "thành tích xuất sắc trong" in
    Điều 1, `basis` after "Căn cứ kết quả", `list_of` before the contest under the lists."""
    doc = Document()
    _page_setup(doc)
    rule = contest.certificate_rule or {}
    issuer = rule.get("issuer") or contest.title
    subject = _(
        "Về việc khen thưởng cá nhân, tập thể đạt giải %(r)s %(c)s", r=name, c=contest.title
    )
    _heading(doc, issuer, rule.get("place", ""), now)
    _para(doc, _("QUYẾT ĐỊNH"), bold=True, size=14, align=CENTER, before=12)
    _para(doc, subject, bold=True, align=CENTER, after=12)
    _para(
        doc,
        (rule.get("signer_title") or _("Trưởng ban Tổ chức")).upper(),
        bold=True,
        align=CENTER,
        after=12,
    )
    _grounds(doc, contest.title, basis)
    _para(doc, _("QUYẾT ĐỊNH:"), bold=True, size=14, align=CENTER, before=6, after=6)
    _articles(doc, contest.title, within, len(people), len(units))
    _signature(doc, rule)
    caption = f"{list_of}{contest.title}"
    _attachment(doc, _("DANH SÁCH CÁ NHÂN ĐẠT GIẢI"), caption, headers, people)
    _attachment(
        doc,
        _("DANH SÁCH TẬP THỂ ĐẠT GIẢI"),
        caption,
        [_("STT"), _("Đơn vị"), _("Số người thi"), _("Số CBCCVC"), _("Tỉ lệ tham gia"), _("Giải")],
        [
            [
                str(i),
                s.unit.name,
                str(s.participants),
                str(s.headcount),
                f"{(s.participation_rate or 0) * 100:.1f}%".replace(".", ","),
                prize,
            ]
            for i, (s, prize) in enumerate(units, 1)
        ],
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)


def _para(
    where,
    text: str,
    bold=False,
    italic=False,
    size=14,
    align=JUSTIFY,
    before=0,
    after=0,
    indent=False,
):
    paragraph = where.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = (
        Pt(before),
        Pt(after),
    )
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    run = paragraph.add_run(_safe(text))
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _heading(doc, issuer: str, place: str, now) -> None:
    """Issuing body and number on the left; Quốc hiệu, Tiêu ngữ and the date on the right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    _cell_line(left, issuer.upper(), bold=True, size=13, first=True)
    _cell_line(left, "———", size=13)
    _cell_line(left, _("Số: ....../QĐ-BTC"), size=13)
    _cell_line(right, _("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12, first=True)
    _cell_line(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=13)
    _cell_line(right, "———", size=13)
    year = to_local(now).year
    date = _("%(p)s, ngày ...... tháng ...... năm %(y)d", p=place or "......", y=year)
    _cell_line(right, date, italic=True, size=13)


def _cell_line(cell, text: str, bold=False, italic=False, size=13, first=False) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = CENTER
    run = paragraph.add_run(_safe(text))
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _grounds(doc, contest: str, basis: str) -> None:
    for text in (
        _("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"),
        _("Căn cứ Kế hoạch tổ chức %(c)s;", c=contest),
        _("Căn cứ Thể lệ %(c)s;", c=contest),
        _("Căn cứ kết quả %(r)s;", r=basis),
        _("Theo đề nghị của Tổ Thư ký Cuộc thi."),
    ):
        _para(doc, text, italic=True, indent=True, after=3)


def _articles(doc, contest: str, name: str, people: int, units: int) -> None:
    for number, text in (
        (
            1,
            _(
                "Khen thưởng %(n)d cá nhân và %(u)d tập thể đã có thành tích xuất sắc trong "
                "%(r)s %(c)s (có danh sách kèm theo).",
                n=people,
                u=units,
                r=name,
                c=contest,
            ),
        ),
        (
            2,
            _(
                "Các cá nhân, tập thể có tên tại Điều 1 được tặng Giấy chứng nhận và tiền "
                "thưởng theo quy định của Thể lệ Cuộc thi."
            ),
        ),
        (
            3,
            _(
                "Quyết định có hiệu lực kể từ ngày ký. Tổ Thư ký Cuộc thi, các cơ quan, đơn "
                "vị liên quan và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi "
                "hành Quyết định này./."
            ),
        ),
    ):
        paragraph = _para(doc, "", indent=True, after=6)
        paragraph.add_run(_("Điều %(n)d. ", n=number)).bold = True
        paragraph.add_run(_safe(text))


def _signature(doc, rule: dict) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    paragraph = left.paragraphs[0]
    run = paragraph.add_run(_("Nơi nhận:"))
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in (_("- Như Điều 3;"), _("- Lưu: VT, BTC.")):
        run = left.add_paragraph().add_run(_safe(line))
        run.font.size = Pt(11)
    _cell_line(
        right,
        (rule.get("signer_title") or _("Trưởng ban Tổ chức")).upper(),
        bold=True,
        size=14,
        first=True,
    )
    for _i in range(4):
        right.add_paragraph()
    _cell_line(right, rule.get("signer_name") or "", bold=True, size=14)


def _attachment(doc, title: str, caption: str, headers: list[str], rows: list[list[str]]) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, title, bold=True, align=CENTER)
    _para(
        doc,
        _("(Kèm theo Quyết định số ....../QĐ-BTC ngày ...... tháng ...... năm ......)"),
        italic=True,
        size=13,
        align=CENTER,
    )
    _para(doc, caption, size=13, align=CENTER, after=6)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(_safe(text)).bold = True
        cell.paragraphs[0].alignment = CENTER
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(_safe(text)).font.size = Pt(12)
    if not rows:
        _para(doc, _("(Không có)"), italic=True, size=13, align=CENTER)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _safe(text) -> str:
    """Text a Word file can hold: a name typed with a control character loses it (python-docx
    refuses such text, which made the download a 500)."""
    return _NOT_XML.sub("", str(text))
