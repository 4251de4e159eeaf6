"""The organiser's prize pages: the list, its print, the dashboard and their audit entries."""

import re
from datetime import timedelta

from conftest import START, csrf_from
from test_results import play


def test_organiser_prizes_print_dashboard_and_audit(app, organiser, make_round, register, clock):
    rnd = make_round(prize_first=1, prize_second=1, prize_third=0, prize_consolation=0)
    for i, right in enumerate([5, 4, 3]):
        play(
            app,
            register(phone=f"09770003{i:02d}", name=f"Thí sinh {i}", unit="PNV" if i else "PTC"),
            rnd["id"],
            right,
            clock,
            10 + i,
        )
    client = organiser.client
    page = client.get(f"/to-chuc/dot-thi/{rnd['id']}").text
    prizes = page.split('id="giai"')[1].split("</section>")[0]
    assert "Dự thảo" in prizes and prizes.index("Thí sinh 0") < prizes.index("Thí sinh 1")
    token = csrf_from(page)
    entry = int(re.search(r"/huy/(\d+)", page).group(1))
    client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/huy/{entry}",
        data={"csrf_token": token, "reason": "Gian lận"},
    )
    page = client.get(f"/to-chuc/dot-thi/{rnd['id']}").text
    assert "Gian lận" in page and "Khôi phục" in page
    refused = client.post(
        f"/to-chuc/dot-thi/{rnd['id']}/xac-nhan-giai",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "chưa thể xác nhận" in refused.text
    clock.set(START + timedelta(days=8))
    client.post(f"/to-chuc/dot-thi/{rnd['id']}/xac-nhan-giai", data={"csrf_token": token})
    printed = client.get(f"/to-chuc/dot-thi/{rnd['id']}/giai-thuong").text
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in printed and "Dự thảo" not in printed
    assert (
        printed.index("Thí sinh 1") < printed.index("Thí sinh 2")
        and "Thí sinh 0" not in printed.split("<tbody>")[1].split("</tbody>")[0]
    )
    stats = client.get("/to-chuc/cuoc-thi/thu/thong-ke").text
    assert stats.count("<svg") == 3 and "style=" not in stats.split("<main")[1]
    assert stats.index("UBND thị xã") < stats.index("Phòng Nội vụ")  # nobody yet: first
    audit = client.get("/to-chuc/nhat-ky").text
    assert "đã huỷ kết quả của «Thí sinh 0» trong đợt «Tuần 1», lý do: «Gian lận»" in audit
    assert "đã xác nhận danh sách giải của đợt «Tuần 1»" in audit
    shown = re.sub(r"<[^>]+>", " ", audit)  # what a person reads (a filter's values are codes)
    assert "void_entry" not in shown and "confirm_prizes" not in shown  # no developer codes
