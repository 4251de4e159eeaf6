"""Property-based API test: Schemathesis generates requests from /api/v1/openapi.json and sends
them to the app in-process (WSGI); no input may make the server answer 5xx (or raise).

Every operation is run three times: with an organiser's bearer token, with a participant's and
anonymously, against a world with data in it (a bank, contest "thu" with an open round, one
submitted attempt with its entry and one attempt in progress), so that generated ids often name
rows that exist. Under TESTING a server exception propagates out of the test client: it counts as
a 5xx, and is reported with the server's traceback.

The operations are driven from one test per role (operation.as_strategy() under Hypothesis's
@given) rather than schemathesis.pytest.from_fixture, whose runner does not work on pytest 9.2
(it sets Node._nodeid, which pytest no longer has)."""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, configuration, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from sqlalchemy import select

from contest.extensions import db
from contest.models import Entry

ROLES = ["organiser", "participant", "anonymous"]
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)
LOGOUT = "/api/v1/logout"
UPLOAD_NAMES = ["", "nh.xlsx", "nh.csv", "nh.docx"]


@pytest.fixture(scope="module", autouse=True)
def hypothesis_home(tmp_path_factory):
    """Hypothesis's caches go to a temporary directory, not ./.hypothesis in the checkout."""
    configuration.set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    configuration.set_hypothesis_home_dir(None)


@dataclass
class World:
    """The data the generated requests run against, and who sends them."""

    role: str
    login: str | None
    token: str | None
    ids: dict[str, object]
    choice_ids: list[int]
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def headers(self, token: str | None = None) -> dict[str, str]:
        token = token or self.token
        return {"Authorization": f"Bearer {token}"} if token else {}


def new_token(runner, login: str) -> str:
    result = runner.invoke(args=["token", "create", login])
    assert result.exit_code == 0, result.output
    return result.output.strip()


@pytest.fixture
def world(request, app, runner, organiser, make_round, register) -> World:
    rnd = make_round()
    done = register(phone="0912000002", name="Trần Thị Bình")
    first = done.post(f"/api/v1/rounds/{rnd['id']}/attempts")
    assert first.status_code == 201, first.json
    assert done.post(f"/api/v1/attempts/{first.json['id']}/submit", json={}).status_code == 200
    attempt = register().post(f"/api/v1/rounds/{rnd['id']}/attempts")
    assert attempt.status_code == 201 and attempt.json["status"] == "in_progress"
    question = attempt.json["questions"][0]
    with app.app_context():
        entry_id = db.session.scalar(select(Entry.id).where(Entry.round_id == rnd["id"]))
    ids = {
        "slug": "thu",
        "round_id": rnd["id"],
        "bank_id": rnd["bank_id"],
        "attempt_id": attempt.json["id"],
        "question_id": question["id"],
        "entry_id": entry_id,
    }
    login = {"organiser": "btc@example.vn", "participant": "0912000001"}.get(request.param)
    w = World(
        request.param,
        login,
        login and new_token(runner, login),
        ids,
        [c["id"] for c in question["choices"]],
    )
    # The bearer header alone (a fresh client, no cookie) authenticates as this role.
    client = app.test_client()
    seen = (
        client.get("/api/v1/banks", headers=w.headers()).status_code,
        client.get(f"/api/v1/attempts/{ids['attempt_id']}", headers=w.headers()).status_code,
    )
    assert (
        seen
        == {"organiser": (200, 404), "participant": (403, 200), "anonymous": (401, 401)}[w.role]
    )
    return w


def load_schema(app, world: World):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        """Path parameters are the ids of rows that exist, all or some of them, or as generated."""

        def known(params):
            if not isinstance(params, dict):
                return st.just(params)
            existing = {name: world.ids.get(name, value) for name, value in params.items()}
            mixed = st.fixed_dictionaries(
                {name: st.sampled_from([existing[name], value]) for name, value in params.items()}
            )
            return st.one_of(st.just(existing), mixed)

        return strategy.flatmap(known)

    @schema.hook
    def before_generate_body(context, strategy):
        """Answers sometimes pick choices the drawn question really has."""
        if not context.operation.path.endswith("/answers/{question_id}"):
            return strategy

        def real_choices(body):
            if not isinstance(body, dict) or not isinstance(body.get("choices"), list):
                return st.just(body)
            picked = st.lists(st.sampled_from(world.choice_ids), max_size=4, unique=True)
            return st.one_of(st.just(body), picked.map(lambda c: body | {"choices": c}))

        return strategy.flatmap(real_choices)

    return schema


def named_upload(body, filename: str) -> dict | None:
    """The generated form with its file named so the importers read it (schemathesis names the
    part "file", which they turn away unread), or None to send the form as generated."""
    content = getattr(body.get("file"), "data", None) if isinstance(body, dict) else None
    if not filename or not isinstance(content, bytes):
        return None
    name = body.get("name")
    return {"file": (io.BytesIO(content), filename)} | (
        {"name": name} if isinstance(name, str) else {}
    )


# what every answer is held to: no 5xx, the declared media type, the declared JSON shape
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def fuzz(operation, world: World, runner) -> None:
    """Send the operation's generated cases (positive and negative) as this world's role."""
    label = f"{operation.method.upper()} {operation.path}"
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    upload = "multipart/form-data" in operation.get_request_payload_content_types()
    filenames = st.sampled_from(UPLOAD_NAMES) if upload else st.just("")

    @SETTINGS
    @given(case=strategy, filename=filenames)
    def run(case, filename):
        headers = world.headers()
        if operation.path == LOGOUT and world.login:
            # Logging out revokes the token it is sent with: spend a throwaway one; and not
            # "everywhere", which would end the world's own token (tests/test_sessions.py)
            headers = world.headers(new_token(runner, world.login))
            if isinstance(case.body, dict) and case.body.get("everywhere"):
                case.body = case.body | {"everywhere": False}
        form = named_upload(case.body, filename)
        try:
            # a fresh client per case (no cookie carried over), one that closes each answer
            # and request body (tests/conftest.py ClosingClient); schemathesis's own leaves
            # a download's file open
            response = case.call(
                session=runner.app.test_client(),
                headers=headers,
                **({"data": form} if form else {}),
            )
            world.statuses[label][response.status_code] += 1
            case.validate_response(response, checks=CHECKS)
        except BaseException as exc:
            sent = f" (the file sent as {filename})" if form else ""
            exc.add_note(f"as {world.role}{sent}: {case.as_curl_command(headers=headers)}")
            raise

    run()


@pytest.mark.parametrize("world", ROLES, indirect=True)
def test_no_generated_request_makes_a_server_error(app, runner, world, subtests):
    schema = load_schema(app, world)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        with subtests.test(msg=f"{operation.method.upper()} {operation.path}"):
            fuzz(operation, world, runner)
    total = sum(sum(c.values()) for c in world.statuses.values())
    print(f"\n{world.role}: {len(operations)} operations, {total} requests")
    for label, counts in sorted(world.statuses.items()):
        print(f"  {label}: {dict(sorted(counts.items()))}")
    # The pass really ran as its role: operations that need a login answered 2xx.
    ok = {label for label, counts in world.statuses.items() if any(200 <= s < 300 for s in counts)}
    needs = {
        "organiser": {
            "GET /api/v1/banks",
            "GET /api/v1/banks/{bank_id}",
            "GET /api/v1/rounds/{round_id}/prizes",
        },
        "participant": {"GET /api/v1/attempts/{attempt_id}"},
        "anonymous": {"GET /api/v1/contests/{slug}"},
    }[world.role]
    assert needs <= ok, sorted(ok)
