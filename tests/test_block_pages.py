"""Blocks (bảng thi) through the organiser's and participant's pages."""

from conftest import csrf_from


def test_blocks_through_the_pages(app, organiser, make_round, clock):
    make_round()
    client = organiser.client
    token = csrf_from(client.get("/to-chuc/cuoc-thi/thu").text)
    client.post(
        "/to-chuc/cuoc-thi/thu/bang",
        data={"csrf_token": token, "name": "Bảng B", "category": "nhan_dan"},
    )
    page = client.get("/to-chuc/cuoc-thi/thu").text
    assert "Bảng B" in page and 'name="block_id"' in page
