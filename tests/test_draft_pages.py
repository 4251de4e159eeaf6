"""Drafting from a plan: the command and the organiser's review page."""

import io
import re
from pathlib import Path

import pytest
from conftest import csrf_from
from openpyxl import load_workbook

PLANS = Path(__file__).resolve().parents[2] / "shared" / "plans"
PLAN_TEXT = """KẾ HOẠCH Tuyên truyền cải cách hành chính năm 2024
Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể \
cải cách hành chính nhà nước giai đoạn 2021 - 2030;
Phòng Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị tổ chức Cuộc thi trực tuyến tìm hiểu \
về cải cách hành chính.
Phòng Văn hóa và Thông tin chủ trì tuyên truyền trên Cổng thông tin điện tử thị xã.
Phòng Tư pháp chủ trì theo dõi thi hành pháp luật về xử lý vi phạm hành chính.
Phòng Tài chính - Kế hoạch chủ trì tham mưu giao quyền tự chủ cho các đơn vị sự nghiệp công lập.
"""


DRAFT_FIELDS = ("code", "source", "text", "A", "B", "C", "D", "correct", "topic", "explanation")


def upload_plan(client, text: str, filename: str):
    """(the page's CSRF token, the review page of the drafts from the plan `text`)."""
    token = csrf_from(client.get("/to-chuc/soan-cau-hoi").text)
    page = client.post(
        "/to-chuc/soan-cau-hoi",
        data={"csrf_token": token, "plan": (io.BytesIO(text.encode()), filename)},
    )
    return token, page


def draft_fields(page: str, i: int) -> dict[str, str]:
    """The review page's fields of draft `i` as it filled them in ("" for one it left out)."""
    fields = {}
    for name in DRAFT_FIELDS:
        match = re.search(rf'name="{name}-{i}"[^>]*value="([^"]*)"', page) or re.search(
            rf'name="{name}-{i}"[^>]*>([^<]*)</textarea>', page
        )
        fields[f"{name}-{i}"] = match.group(1) if match else ""
    return fields


def test_bank_draft_command(runner, tmp_path):
    plan = tmp_path / "ke-hoach.txt"
    plan.write_text(PLAN_TEXT, encoding="utf-8")
    out = tmp_path / "drafts.xlsx"
    result = runner.invoke(args=["bank", "draft", str(plan), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["Câu hỏi"].iter_rows(min_row=2, values_only=True))
    assert rows and all(r[2] and r[11] and "«" in r[16] for r in rows)
    bad = tmp_path / "x.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    assert runner.invoke(args=["bank", "draft", str(bad), "--out", str(out)]).exit_code != 0


def test_review_page_accept_edit_and_save(organiser):
    client = organiser.client
    token, page = upload_plan(client, PLAN_TEXT, "ke-hoach.txt")
    assert page.status_code == 200 and "Nghị quyết số 76/NQ-CP" in page.text
    form = {"csrf_token": token, "action": "bank", "bank_name": "Từ kế hoạch"}
    count = page.text.count('name="draft"')
    assert count >= 3
    for i in range(count):
        form.setdefault("draft", [])
        form["draft"].append(str(i))
        form |= draft_fields(page.text, i)
    form["accept-0"] = "1"
    form["accept-1"] = "1"
    form["text-1"] = "Câu đã sửa bởi người duyệt?"
    saved = client.post("/to-chuc/soan-cau-hoi/luu", data=form, follow_redirects=True)
    assert "Đã lưu 2 câu hỏi" in saved.text and "Câu đã sửa bởi người duyệt?" in saved.text
    download = client.post("/to-chuc/soan-cau-hoi/luu", data=form | {"action": "xlsx"})
    assert load_workbook(io.BytesIO(download.data))["Câu hỏi"].max_row == 3


def test_every_shared_plan_gives_twenty_drafts(runner, tmp_path):
    if not PLANS.exists():
        pytest.skip("../shared/plans is not beside this checkout")
    for plan in sorted(PLANS.glob("*.txt")):
        out = tmp_path / f"{plan.stem}.xlsx"
        assert runner.invoke(args=["bank", "draft", str(plan), "--out", str(out)]).exit_code == 0
        assert load_workbook(out)["Câu hỏi"].max_row - 1 >= 20


SIPAS_PLAN = """KẾ HOẠCH Cải cách hành chính xã Hòa Bình năm 2025
Cải thiện các chỉ số đánh giá cải cách hành chính, nhất là Chỉ số PAR INDEX, SIPAS và PCI của xã.
Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể \
cải cách hành chính nhà nước giai đoạn 2021 - 2030;
"""


def test_review_page_marks_and_filters_general_knowledge(organiser):
    """A plan that names SIPAS without saying what it is: the page marks the catalogue's draft
    as general knowledge, not in the plan; it can be shown alone; the .xlsx keeps the mark."""
    client = organiser.client
    token, page = upload_plan(client, SIPAS_PLAN, "hoa-binh.txt")
    assert page.status_code == 200
    sections = re.findall(
        r'<section class="card draft basis-(\w+)" data-basis="\w+">(.*?)'
        r"</section>",
        page.text,
        re.DOTALL,
    )
    general = [body for basis, body in sections if basis == "catalogue"]
    plan = [body for basis, body in sections if basis == "plan"]
    assert general and plan
    [sipas] = [b for b in general if "Chỉ số SIPAS đo lường nội dung nào?" in b]
    assert "Kiến thức chung — không có trong kế hoạch" in sipas
    assert "kế hoạch" not in re.search(r"<textarea[^>]*>([^<]*)</textarea>", sipas).group(1)
    assert re.search(r'name="source-\d+" value="Kiến thức chung \(danh mục có sẵn', sipas)
    for body in plan:  # the plan's drafts keep their quote and carry no such badge
        assert "Kiến thức chung" not in body and "Theo kế hoạch" in body
        assert "Theo kế hoạch," in re.search(r"<textarea[^>]*>([^<]*)</textarea>", body).group(1)
    for control in ('id="show-all"', 'id="show-plan"', 'id="show-general"'):
        assert control in page.text  # the filter (app.css hides the other basis with :has())
    assert "Chỉ câu kiến thức chung" in page.text
    # save both kinds as .xlsx: Nguồn keeps the mark for the general one only
    form = {"csrf_token": token, "action": "xlsx", "draft": []}
    for i in range(len(sections)):
        form["draft"].append(str(i))
        form[f"accept-{i}"] = "1"
        form |= draft_fields(page.text, i)
    download = client.post("/to-chuc/soan-cau-hoi/luu", data=form)
    rows = list(
        load_workbook(io.BytesIO(download.data))["Câu hỏi"].iter_rows(min_row=2, values_only=True)
    )
    assert len(rows) == len(sections)
    by_text = {r[2]: r[16] for r in rows}
    assert by_text["Chỉ số SIPAS đo lường nội dung nào?"].startswith("Kiến thức chung")
    assert all(
        not source.startswith("Kiến thức chung")
        for text, source in by_text.items()
        if text.startswith("Theo kế hoạch")
    )
