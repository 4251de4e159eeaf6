"""Signing in safely: redirects stay within the site, a bearer header must be valid, logout revokes
it."""

from conftest import csrf_from


def test_login_redirects_only_within_the_site(organiser, app):
    for target in (
        "//evil.example",
        "/\\evil.example",
        "https://e.vn/",
        "/\n/x",
        "/\t/evil.example",
    ):
        client = app.test_client()
        token = csrf_from(client.get("/dang-nhap").text)
        response = client.post(
            "/dang-nhap",
            query_string={"next": target},
            data={"csrf_token": token, "login": "btc@example.vn", "password": "matkhau1"},
        )
        assert response.headers["Location"] == "/to-chuc/", target


def test_a_bearer_header_must_be_valid_and_logout_revokes_it(app, make_round, register):
    rnd = make_round()
    api = register()
    bogus = api.client.post(
        f"/api/v1/rounds/{rnd['id']}/attempts", headers={"Authorization": "Bearer bogus"}
    )
    assert bogus.status_code == 401
    headers = {"Authorization": f"Bearer {api.token}"}
    bare = app.test_client()
    assert bare.get("/api/v1/session", headers=headers).json["user"]["id"] == api.user["id"]
    assert bare.post("/api/v1/logout", headers=headers).status_code == 204
    assert app.test_client().get("/api/v1/banks", headers=headers).status_code == 401
