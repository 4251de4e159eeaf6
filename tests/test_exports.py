"""The round export read back with openpyxl: ranked entries, winners, units, question rates;
cells from people stay text."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from test_results import play


def test_round_export(app, make_round, register, clock, organiser):
    rnd = make_round(prize_first=1, prize_second=1, prize_third=0, prize_consolation=1)
    evil = register(phone="0912000001", name='=HYPERLINK("http://x","bấm")')
    play(app, evil, rnd["id"], 5, clock, 50)
    play(app, register(phone="0912000002", name="Trần Bình", unit="PTC"), rnd["id"], 4, clock, 20)
    play(app, register(phone="0912000003", name="Lê Chi"), rnd["id"], 4, clock, 30)
    play(app, register(phone="0912000004", name="Phạm Dung"), rnd["id"], 1, clock, 30)
    response = organiser.get(f"/api/v1/rounds/{rnd['id']}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Kết quả", "Đạt giải", "Đơn vị", "Câu hỏi"]
    results = [[c.value for c in r] for r in wb["Kết quả"].iter_rows(min_row=2)]
    assert [r[:3] for r in results] == [
        [1, '=HYPERLINK("http://x","bấm")', "0912000001"],
        [2, "Trần Bình", "0912000002"],
        [3, "Lê Chi", "0912000003"],
        [4, "Phạm Dung", "0912000004"],
    ]
    assert wb["Kết quả"]["B2"].data_type == "s"
    assert results[0][5:8] == [5, 5, timedelta(seconds=50)]
    winners = [[c.value for c in r] for r in wb["Đạt giải"].iter_rows(min_row=2)]
    assert [(w[1], w[3]) for w in winners] == [
        ("Giải Nhất", '=HYPERLINK("http://x","bấm")'),
        ("Giải Nhì", "Trần Bình"),
        ("Giải Khuyến khích", "Lê Chi"),
    ]
    units = [[c.value for c in r] for r in wb["Đơn vị"].iter_rows(min_row=2)]
    assert units[0][1:6] == ["PNV", "Phòng Nội vụ", 3, 10, 0.3]
    questions = [[c.value for c in r] for r in wb["Câu hỏi"].iter_rows(min_row=2)]
    assert sum(q[3] for q in questions) == 4 * 5  # every drawn question counted once
    assert sum(q[4] for q in questions) == 5 + 4 + 4 + 1


def test_export_is_for_organisers_only(app, make_round, register):
    rnd = make_round()
    assert register().get(f"/api/v1/rounds/{rnd['id']}/export.xlsx").status_code == 403
    assert app.test_client().get(f"/api/v1/rounds/{rnd['id']}/export.xlsx").status_code == 401


def test_export_command(app, make_round, register, clock, runner, tmp_path):
    rnd = make_round()
    play(app, register(), rnd["id"], 3, clock, 10)
    out = tmp_path / "kq.xlsx"
    result = runner.invoke(args=["export", str(rnd["id"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["Kết quả"]["B2"].value == "Nguyễn Văn An"
