"""Never a 500 for bad input: JSON nested 1,000 levels deep, numbers of 5,000 digits,
huge ?page= and ?hours=, and (tests/test_identity.py) a profile e-mail already in use."""

import pytest
from conftest import Api

from contest.jsonbody import depth_exceeds

DEEP_LIST = "[" * 1000 + "]" * 1000  # 2 KB
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize("path", ["/api/v1/login", "/api/v1/register", "/api/v1/register/check"])
@pytest.mark.parametrize(
    "body",
    [
        DEEP_LIST,
        DEEP_OBJECT,
        '{"login": ' + DEEP_LIST + "}",
        '{"login": "a", "password": ' + "9" * 5000 + "}",
    ],
)
def test_deep_or_huge_json_is_a_400_for_anyone(app, organiser, path, body):
    response = Api(app.test_client()).post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "malformed"


def test_deep_json_from_a_participant_is_a_400(register):
    api = register()
    response = api.put(
        "/api/v1/profile", data='{"email": ' + DEEP_LIST + "}", content_type="application/json"
    )
    assert response.status_code == 400


def test_json_of_ordinary_depth_still_works(app, organiser):
    response = Api(app.test_client()).post(
        "/api/v1/login", json={"login": "btc@example.vn", "password": "matkhau1"}
    )
    assert response.status_code == 200


def test_depth_counting():
    assert not depth_exceeds({"a": [{"b": 1}]}, 3)
    assert depth_exceeds({"a": [{"b": {}}]}, 3)
    nested = []
    for _ in range(100000):  # no recursion, whatever the depth
        nested = [nested]
    assert depth_exceeds(nested)


@pytest.mark.parametrize(
    "page", ["99999999999999999999", "9223372036854775807", "-99999999999999", "1e9", "x", "0"]
)
def test_huge_page_numbers(organiser, make_bank, page):
    bank = make_bank()
    response = organiser.get(f"/api/v1/banks/{bank}/questions?page={page}")
    assert response.status_code == 200 and response.json["total"] == 10
    assert organiser.get(f"/to-chuc/ngan-hang/{bank}?page={page}").status_code == 200


@pytest.mark.parametrize("hours", ["99999999999999999999", "-5", "0", "1" * 400])
def test_huge_hours_on_the_abuse_report(organiser, make_round, hours):
    make_round()
    for query in (f"hours={hours}", f"at_least={hours}"):
        assert organiser.get(f"/to-chuc/cuoc-thi/thu/bat-thuong?{query}").status_code == 200


def test_a_form_part_without_a_readable_name_is_a_400(app, organiser):
    body = (
        '--b\r\nContent-Disposition: form-data; name="\n"\r\n\r\nnull\r\n'
        '--b\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n\r\nRIFF\r\n'
        "--b--\r\n"
    )
    for client in (app.test_client(), organiser.client):
        response = client.post(
            "/api/v1/units/import", data=body, content_type="multipart/form-data; boundary=b"
        )
        assert response.status_code == 400
    assert (
        app.test_client()
        .post("/dang-nhap", data=body, content_type="multipart/form-data; boundary=b")
        .status_code
        == 400
    )
