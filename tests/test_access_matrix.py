"""The route access matrix: two organisations × every role (admin, organiser, viewer, focal
person, participant, anonymous) over every declared API route and every organiser page.
Another organisation's ids answer 404; a role without the capability gets 403."""

import pytest
from conftest import Api, upload_units
from staff import admin_of_default, cli_staff, invite, join
from test_route_access import _fill, world  # noqa: F401  (one of everything, in organisation A)

from contest.auth import CAPABILITIES
from contest.views.api.spec import OPERATIONS

ROLES = ("admin", "organiser", "viewer", "focal")
MAY = {cap: set(roles) for cap, roles in CAPABILITIES.items()}


@pytest.fixture
def admin(app, runner, organiser):
    return admin_of_default(app, runner)


@pytest.fixture
def teams(app, runner, organiser, admin, world):  # noqa: F811
    """Organisation A (the default one, whose organiser is the `organiser` fixture) and B, each
    with one person of every role."""
    a = {
        "admin": admin,
        "organiser": organiser,
        "viewer": cli_staff(app, runner, "xem@example.vn", "viewer"),
        "focal": join(app, invite(admin, "focal", "PNV"), "daumoi@example.vn"),
    }
    b_admin = cli_staff(app, runner, "khac@example.vn", "admin", "tinh-khac")
    assert upload_units(b_admin).status_code == 200
    b = {
        "admin": b_admin,
        "organiser": cli_staff(app, runner, "khac2@example.vn", "organiser", "tinh-khac"),
        "viewer": cli_staff(app, runner, "khacxem@example.vn", "viewer", "tinh-khac"),
        "focal": join(app, invite(b_admin, "focal", "PNV"), "khacdaumoi@example.vn"),
    }
    for api in list(a.values()) + list(b.values()):
        api.refresh_csrf()
    return a, b


def _may(role: str, capability: str) -> bool:
    return role in MAY.get(capability, ())


def test_api_two_organisations_every_role(app, world, teams, register):  # noqa: F811
    ids, _owner = world
    a, b = teams
    participant = register(phone="0912000888")
    checked = 0
    for op in OPERATIONS:
        if op.auth not in CAPABILITIES:
            continue
        url = "/api/v1" + _fill(op.rule, ids)
        assert app.test_client().open(url, method=op.method).status_code in (400, 401), url
        assert participant.call(op.method, url, json={}).status_code == 403, (op.method, url)
        for role in ROLES:
            allowed = _may(role, op.auth)
            if not allowed or op.method == "GET":  # the allowed writes are the suite's others
                code = a[role].call(op.method, url, json={}).status_code
                assert (code not in (401, 403)) if allowed else code == 403, (
                    role,
                    op.method,
                    url,
                    code,
                )
            if "<" in op.rule and op.rule != "/banks/template.xlsx":
                code = b[role].call(op.method, url, json={}).status_code
                expected = (404, 422) if allowed else (403,)
                assert code in expected, ("B", role, op.method, url, code)
        checked += 1
    assert checked >= 35


def _page_capability(app, endpoint: str, method: str) -> str:
    view = app.view_functions[endpoint]
    read = getattr(view, "read_capability", None)
    return read if read and method == "GET" else view.capability


def test_pages_two_organisations_every_role(app, world, teams, register):  # noqa: F811
    ids, _owner = world
    a, b = teams
    participant = register(phone="0912000888")
    walked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/to-chuc", "/quan-tri")) or "GET" not in rule.methods:
            continue
        url = _fill(rule.rule, ids | {"pending_id": 1, "user_id": 1, "unit_id": 1})
        capability = _page_capability(app, rule.endpoint, "GET")
        assert app.test_client().get(url).status_code == 302, url
        assert participant.client.get(url).status_code == 403, url
        for role in ROLES:
            code = a[role].client.get(url).status_code
            assert (code in (200, 302, 404)) if _may(role, capability) else code == 403, (
                role,
                url,
                code,
            )
            code = b[role].client.get(url).status_code
            if "<" in rule.rule:
                assert code == (404 if _may(role, capability) else 403), ("B", role, url, code)
        walked += 1
    assert walked >= 20


def test_what_each_role_sees_of_its_own_organisation(app, world, teams):  # noqa: F811
    ids, _owner = world
    a, b = teams
    # a viewer reads results and exports, writes nothing
    assert a["viewer"].client.get("/to-chuc/").status_code == 200
    assert a["viewer"].client.get(f"/to-chuc/dot-thi/{ids['round_id']}").status_code == 200
    assert a["viewer"].get(f"/api/v1/rounds/{ids['round_id']}/export.xlsx").status_code == 200
    assert a["viewer"].get("/api/v1/contests/thu/results.csv").status_code == 200
    assert a["viewer"].post("/api/v1/contests", json={"slug": "x", "title": "X"}).status_code == 403
    assert a["viewer"].client.get(f"/to-chuc/ngan-hang/{ids['bank_id']}").status_code == 403
    dashboard = a["viewer"].client.get("/to-chuc/").text
    assert "Cuộc thi thử" in dashboard and 'action="/to-chuc/ngan-hang"' not in dashboard
    # the focal person: only their unit's page and reset codes, nothing else
    assert a["focal"].client.get("/to-chuc/don-vi-cua-toi").status_code == 200
    assert a["focal"].client.get("/to-chuc/ma-dat-lai-mat-khau").status_code == 200
    assert a["focal"].client.get("/to-chuc/").status_code == 403
    # only the admin manages people; only the instance administrator organisations
    assert a["admin"].client.get("/to-chuc/nhan-su").status_code == 200
    for role in ("organiser", "viewer", "focal"):
        assert a[role].client.get("/to-chuc/nhan-su").status_code == 403
    for role in ROLES:
        assert a[role].client.get("/quan-tri/to-chuc").status_code == 403
    # B's people see none of A's contest, participants or log
    for path in ("/to-chuc/", "/to-chuc/nguoi-du-thi", "/to-chuc/nhat-ky"):
        page = b["admin"].client.get(path).text
        assert "Cuộc thi thử" not in page and "Nguyễn Văn An" not in page, path
    assert "Nguyễn Văn An" not in b["focal"].client.get("/to-chuc/don-vi-cua-toi").text
    assert "Nguyễn Văn An" in a["focal"].client.get("/to-chuc/don-vi-cua-toi").text


def test_instance_admin_pages_answer_only_the_instance_admin(app, runner, teams):
    a, _b = teams
    result = runner.invoke(args=["make-instance-admin", "xem@example.vn"])
    assert result.exit_code == 0, result.output
    from staff import login

    viewer = login(app, "xem@example.vn")
    assert viewer.client.get("/quan-tri/to-chuc").status_code == 200
    assert a["admin"].client.get("/quan-tri/to-chuc").status_code == 403
    assert Api(app.test_client()).client.get("/quan-tri/to-chuc").status_code == 302


def test_a_viewer_reads_a_round_without_its_controls(app, world, teams):  # noqa: F811
    ids, _owner = world
    a, _b = teams
    round_page = f"/to-chuc/dot-thi/{ids['round_id']}"
    viewer, organiser = (a[r].client.get(round_page).text for r in ("viewer", "organiser"))
    for control in ('id="dieu-khien"', 'id="huy-ket-qua"', "/xac-nhan-giai", "/huy/"):
        assert control in organiser and control not in viewer, control
    assert "Tải kết quả (.xlsx)" in viewer and "Danh sách giải" in viewer
