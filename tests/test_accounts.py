"""Registration and login, through the API and the pages."""

from conftest import Api, csrf_from, upload_units

GOOD = {
    "full_name": "Trần Thị Bình",
    "phone": "0987654321",
    "password": "matkhau1",
    "unit_code": "PNV",
}


def test_register_then_login(organiser, app):
    api = Api(app.test_client())
    response = api.post(
        "/api/v1/register", json=GOOD | {"email": "binh@example.vn", "cccd": "001203004005"}
    )
    assert response.status_code == 201
    assert response.json["user"]["unit"] == {"code": "PNV", "name": "Phòng Nội vụ"}
    assert response.json["user"]["role"] == "participant" and response.json["token"]
    fresh = Api(app.test_client())
    for login in ("0987654321", "+84 987 654 321", "BINH@example.vn"):
        assert fresh.login(login).status_code == 200
    assert fresh.get("/api/v1/session").json["user"]["full_name"] == "Trần Thị Bình"
    bad = fresh.login("0987654321", "sai")
    assert bad.status_code == 401 and bad.json["error"]["message"]


def test_registration_errors_name_each_field(organiser, app):
    api = Api(app.test_client())
    response = api.post(
        "/api/v1/register",
        json={
            "full_name": "A",
            "phone": "12345",
            "password": "123",
            "unit_code": "KHONGCO",
            "email": "sai",
            "cccd": "12345678901",
        },
    )
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert set(fields) == {"full_name", "phone", "password", "unit_code", "email", "cccd"}
    assert "12 chữ số" in fields["cccd"]
    missing = api.post("/api/v1/register", json={"phone": "0987654321"})
    assert missing.status_code == 422
    assert {"full_name", "password", "unit_code"} <= set(missing.json["error"]["fields"])
    assert api.post("/api/v1/register", data="x", content_type="text/plain").status_code == 415


def test_duplicate_phone_or_cccd_is_409(organiser, app):
    api = Api(app.test_client())
    assert api.post("/api/v1/register", json=GOOD | {"cccd": "001203004005"}).status_code == 201
    again = Api(app.test_client()).post("/api/v1/register", json=GOOD | {"phone": "0987-654-321"})
    assert again.status_code == 409 and "phone" in again.json["error"]["fields"]
    cccd = Api(app.test_client()).post(
        "/api/v1/register", json=GOOD | {"phone": "0911111111", "cccd": "001203004005"}
    )
    # refused, without saying which field clashed (a CCCD is not something to look up)
    assert cccd.status_code == 409 and "fields" not in cccd.json["error"]


def test_register_page_shows_errors_then_succeeds(organiser, app):
    client = app.test_client()
    page = client.get("/dang-ky")
    assert page.status_code == 200 and "Phòng Nội vụ" in page.text
    token = csrf_from(page.text)
    bad = client.post(
        "/dang-ky",
        data={
            "csrf_token": token,
            "full_name": "Lê Văn C",
            "phone": "09",
            "password": "matkhau1",
            "unit_code": "PNV",
            "cccd": "abc",
        },
    )
    assert bad.status_code == 422
    assert "Số điện thoại gồm 10 chữ số" in bad.text and "Số CCCD gồm đúng 12 chữ số" in bad.text
    assert 'value="Lê Văn C"' in bad.text  # nothing typed is lost
    ok = client.post(
        "/dang-ky?next=/cuoc-thi/x",
        data={
            "csrf_token": token,
            "full_name": "Lê Văn C",
            "phone": "0909090909",
            "password": "matkhau1",
            "unit_code": "PNV",
        },
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/cuoc-thi/x")
    assert client.get("/api/v1/session").json["user"]["full_name"] == "Lê Văn C"


def test_forms_without_csrf_are_refused(organiser, app):
    client = app.test_client()
    response = client.post(
        "/dang-ky",
        data={
            "full_name": "Lê Văn C",
            "phone": "0909090909",
            "password": "matkhau1",
            "unit_code": "PNV",
        },
    )
    assert response.status_code == 400 and "Phiên làm việc có thể đã hết hạn" in response.text
    assert client.get("/api/v1/session").json["user"] is None


def test_login_page(organiser, app):
    client = app.test_client()
    token = csrf_from(client.get("/dang-nhap").text)
    bad = client.post(
        "/dang-nhap", data={"csrf_token": token, "login": "btc@example.vn", "password": "x"}
    )
    assert bad.status_code == 401 and "Sai số điện thoại" in bad.text
    ok = client.post(
        "/dang-nhap", data={"csrf_token": token, "login": "btc@example.vn", "password": "matkhau1"}
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/to-chuc/")


def test_units_import_creates_updates_and_lists(organiser):
    listed = organiser.get("/api/v1/units").json
    assert {u["code"]: (u["parent_code"], u["headcount"]) for u in listed} == {
        "UB": (None, 100),
        "PNV": ("UB", 10),
        "PTC": ("UB", 20),
    }
    again = upload_units(
        organiser, [["PNV", "Phòng Nội vụ thị xã", "UB", 12], ["XA1", "UBND phường 1", "UB", 40]]
    )
    assert again.json == {
        "created": 1,
        "updated": 1,
        "unit_list_id": organiser.unit_list_id,
        "unit_list": "Danh sách đơn vị",
    }
    names = {u["code"]: u["name"] for u in organiser.get("/api/v1/units").json}
    assert names["PNV"] == "Phòng Nội vụ thị xã" and "XA1" in names


def test_units_import_errors_save_nothing(organiser):
    rows = [
        ["A1", "Đơn vị A", "", "x"],
        ["A1", "Trùng mã", "", 3],
        ["B1", "", "KHONG", 4],
        ["C1", "Vòng", "C2", 1],
        ["C2", "Vòng 2", "C1", 1],
    ]
    response = upload_units(organiser, rows)
    assert response.status_code == 422
    rows_reported = {(e["row"], e["column"]) for e in response.json["error"]["errors"]}
    assert {(2, "D"), (4, "B")} <= rows_reported
    again = upload_units(
        organiser,
        [
            ["A1", "Đơn vị A", "", 1],
            ["A1", "Trùng mã", "", 3],
            ["B1", "Con", "KHONG", 4],
            ["C1", "Vòng", "C2", 1],
            ["C2", "Vòng 2", "C1", 1],
        ],
    )
    errors = {(e["row"], e["column"]) for e in again.json["error"]["errors"]}
    assert {(3, None), (4, "C"), (5, "C"), (6, "C")} <= errors
    assert len(organiser.get("/api/v1/units").json) == 3
