"""The organiser's abuse report: shared addresses and devices, implausibly fast attempts."""

from conftest import Api
from test_results import play


def test_abuse_report_shows_shared_origins_and_fast_attempts(app, organiser, make_round, clock):
    rnd = make_round()
    client = app.test_client()  # one browser: one device cookie, one address
    client.get("/")
    apis = []
    for i in range(5):
        api = Api(client)
        api.post(
            "/api/v1/register",
            json={
                "full_name": f"Nick {i}",
                "phone": f"09350000{i:02d}",
                "password": "matkhau1",
                "unit_code": "PNV",
            },
        )
        api.refresh_csrf()
        apis.append(api)
    play(app, apis[-1], rnd["id"], 5, clock, 3)  # 5 questions in 3 s, all right
    page = organiser.client.get("/to-chuc/cuoc-thi/thu/bat-thuong").text
    section = page.split('id="nhieu-tai-khoan"')[1].split("</section>")[0]
    assert section.count("5 tài khoản") == 2  # the same address and the same device
    fast = page.split('id="qua-nhanh"')[1]
    assert "Nick 4" in fast and "0:03.0" in fast
