"""Making an organisation's team in tests: accounts by the CLI, invitations through the pages."""

import re

from conftest import Api, csrf_from


def login(app, login_name: str, password: str = "matkhau1") -> Api:
    api = Api(app.test_client())
    response = api.login(login_name, password)
    assert response.status_code == 200, response.json
    api.refresh_csrf()
    return api


def cli_staff(
    app, runner, email: str, role: str | None = None, org: str | None = None, *extra, name=None
) -> Api:
    """A staff account made by `flask create-organiser` (in organisation `org`, made if new),
    signed in through the API."""
    name = name or f"Cán bộ {email}"
    args = ["create-organiser", email, "--password", "matkhau1", "--name", name]
    args += (["--role", role] if role else []) + (["--organisation", org] if org else [])
    result = runner.invoke(args=args + list(extra))
    assert result.exit_code == 0, result.output
    return login(app, email)


def invite(admin: Api, role: str, unit_code: str = "") -> str:
    """The invitation link's path, as the people page shows it once."""
    page = admin.client.get("/to-chuc/nhan-su")
    assert page.status_code == 200
    made = admin.client.post(
        "/to-chuc/nhan-su/moi",
        data={"csrf_token": csrf_from(page.text), "role": role, "unit_code": unit_code},
    )
    assert made.status_code == 201, made.text
    link = re.search(r'id="invite-link">([^<]+)<', made.text).group(1)
    return "/moi/" + link.rsplit("/moi/", 1)[1]


def join(app, path: str, email: str, name: str = "Người Được Mời") -> Api:
    """A new account made from the invitation; its API client, signed in."""
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200, page.text
    done = client.post(
        path,
        data={
            "csrf_token": csrf_from(page.text),
            "full_name": name,
            "email": email,
            "password": "matkhau1",
        },
    )
    assert done.status_code == 302, done.text
    api = Api(client)
    return api


def admin_of_default(app, runner) -> Api:
    """The default organisation's admin (the `organiser` fixture's colleague), signed in."""
    return cli_staff(app, runner, "qtv@example.vn", "admin")
