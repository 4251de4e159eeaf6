"""Where a page form sends what the API validates, the pydantic body is the only rule: the
block's name and a void's reason are refused and accepted alike, with the same message, by the
organiser's page and by the JSON API (they had drifted: the pages checked only a minimum)."""

import re

import pytest
from conftest import csrf_from
from test_results import play


@pytest.mark.parametrize(
    ("name", "message"),
    [("B", "Quá ngắn."), ("x" * 121, "Quá dài."), ("Bảng C", None), ("y" * 120, None)],
)
def test_a_block_name_page_and_api_alike(organiser, make_round, name, message):
    make_round()
    client = organiser.client
    token = csrf_from(client.get("/to-chuc/cuoc-thi/thu").text)
    page = client.post(
        "/to-chuc/cuoc-thi/thu/bang",
        data={"csrf_token": token, "name": name, "category": "nhan_dan"},
        follow_redirects=True,
    ).text
    api = organiser.post("/api/v1/contests/thu/blocks", json={"name": name, "category": "cbccvc"})
    if message is None:
        assert "Đã thêm bảng" in page
        assert api.status_code == 201, api.json
    else:
        assert message in page and "Đã thêm bảng" not in page
        assert api.status_code == 422 and api.json["error"]["fields"] == {"name": message}
    names = [b["name"] for b in organiser.get("/api/v1/contests/thu").json["blocks"]]
    assert names.count(name) == (0 if message else 2)


@pytest.mark.parametrize(
    ("reason", "message"),
    [("ab", "Quá ngắn."), ("x" * 1001, "Quá dài."), ("Thi hộ", None), ("y" * 1000, None)],
)
def test_a_void_reason_page_and_api_alike(
    app, organiser, make_round, register, clock, reason, message
):
    rnd = make_round()
    her = register(phone="0912000601", name="Phan Thị Mai")
    play(app, her, rnd["id"], 3, clock, 10)
    html = organiser.client.get(f"/to-chuc/dot-thi/{rnd['id']}?tim=Mai").text
    section = html.split('id="huy-ket-qua"', 1)[1]
    action = re.search(r'action="(/to-chuc/dot-thi/\d+/huy/(\d+))"', section)
    api = organiser.post(
        f"/api/v1/rounds/{rnd['id']}/entries/{action.group(2)}/void", json={"reason": reason}
    )
    if message is None:
        assert api.status_code == 200, api.json
        organiser.post(f"/api/v1/rounds/{rnd['id']}/entries/{action.group(2)}/restore")
    else:
        assert api.status_code == 422 and api.json["error"]["fields"] == {"reason": message}
    page = organiser.client.post(
        action.group(1),
        data={"csrf_token": csrf_from(section), "reason": reason},
        follow_redirects=True,
    ).text
    if message is None:
        assert "Kết quả đã huỷ" in page
    else:
        assert message in page and "Kết quả đã huỷ" not in page
