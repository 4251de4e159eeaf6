"""Every declared route against every role (the access matrix), and the key-leak walk over every
participant route during an open round. `world`: one of everything."""

import re

import pytest
from conftest import correct_choice_ids
from staff import cli_staff
from test_results import play

from contest.auth import CAPABILITIES
from contest.extensions import db
from contest.views.api.spec import OPERATIONS


def _fill(rule: str, ids: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule)


@pytest.fixture
def world(app, organiser, make_round, register, clock):
    """One of everything, owned by the first organisation and a first participant."""
    rnd = make_round()
    owner = register()
    attempt = owner.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    q = attempt["questions"][0]
    entry_owner = register(phone="0912000777")
    play(app, entry_owner, rnd["id"], 2, clock, 10)
    with app.app_context():
        from contest.models import Entry

        entry_id = db.session.scalars(db.select(Entry.id)).first()
    batch = organiser.post("/api/v1/contests/thu/certificates/batch", json={})
    assert batch.status_code == 202, batch.json  # a certificate batch (empty: none issued yet)
    ids = {
        "slug": "thu",
        "round_id": rnd["id"],
        "bank_id": rnd["bank_id"],
        "attempt_id": attempt["id"],
        "question_id": q["id"],
        "entry_id": entry_id,
        "code": "0000-0000-0000-0000",
        "sha256": "0" * 64,
        "batch_id": batch.json["id"],
        "user_id": entry_owner.user["id"],
    }
    return ids, owner


def test_access_matrix_over_every_declared_route(app, runner, world, register):
    ids, _owner = world
    stranger = register(phone="0912000888")
    other_org = cli_staff(app, runner, "khac@example.vn", None, "tinh-khac")
    checked = 0
    for op in OPERATIONS:
        url = "/api/v1" + _fill(op.rule, ids)
        if op.auth in CAPABILITIES:
            assert app.test_client().open(url, method=op.method).status_code in (400, 401), url
            assert stranger.call(op.method, url, json={}).status_code == 403, (op.method, url)
            if "<" in op.rule and op.rule != "/banks/template.xlsx":
                code = other_org.call(op.method, url, json={}).status_code
                assert code in (404, 422), (op.method, url, code)
            checked += 1
        elif "attempt_id" in op.rule:
            assert (
                stranger.call(op.method, url, json={"choices": [], "seq": 1}).status_code == 404
            ), url
            assert app.test_client().open(url, method=op.method).status_code in (400, 401)
            checked += 1
    assert checked >= 25
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/to-chuc") and "GET" in rule.methods:
            url = _fill(rule.rule, ids | {"pending_id": 1})
            assert stranger.client.get(url).status_code == 403, url
            assert app.test_client().get(url).status_code == 302, url


def test_every_participant_route_hides_the_key_while_the_round_is_open(app, world, clock):
    ids, owner = world
    q = ids["question_id"]
    owner.put(
        f"/api/v1/attempts/{ids['attempt_id']}/answers/{q}",
        json={"choices": correct_choice_ids(app, q), "seq": 1},
    )
    walked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/to-chuc", "/static")):
            continue
        if rule.rule.endswith(("/openapi.json", "/template.xlsx")):
            continue  # the API's description and the blank template: no contest's key
        op = next(
            (o for o in OPERATIONS if "/api/v1" + o.rule == rule.rule and o.method == "GET"), None
        )
        if op is not None and op.auth in CAPABILITIES:
            continue
        response = owner.client.get(_fill(rule.rule, ids), follow_redirects=True)
        assert response.status_code < 500, rule.rule
        body = response.get_data(as_text=True)
        assert '"correct"' not in body and '"explanation"' not in body, rule.rule
        assert 'class="key' not in body, rule.rule
        walked += 1
    assert walked >= 15
