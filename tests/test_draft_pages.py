"""Drafting from a plan: the command and the organiser's review page."""
import io
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
    token = csrf_from(client.get("/to-chuc/soan-cau-hoi").text)
    page = client.post("/to-chuc/soan-cau-hoi", data={
        "csrf_token": token, "plan": (io.BytesIO(PLAN_TEXT.encode()), "ke-hoach.txt")})
    assert page.status_code == 200 and "Nghị quyết số 76/NQ-CP" in page.text
    form = {"csrf_token": token, "action": "bank", "bank_name": "Từ kế hoạch"}
    count = page.text.count('name="draft"')
    assert count >= 3
    import re
    for i in range(count):
        form.setdefault("draft", [])
        form["draft"].append(str(i))
        for name in ("code", "source", "text", "A", "B", "C", "D", "correct", "topic",
                     "explanation"):
            match = re.search(rf'name="{name}-{i}"[^>]*value="([^"]*)"', page.text) or \
                re.search(rf'name="{name}-{i}"[^>]*>([^<]*)</textarea>', page.text)
            form[f"{name}-{i}"] = match.group(1) if match else ""
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
