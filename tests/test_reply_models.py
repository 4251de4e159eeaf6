"""The reply models (contest/schemas/replies/) against what the routes really send: each reply
of a real call is validated strictly (no coercion: an int for a str, 0 for false fail) by its
model, and by the schema openapi.json gives its route and status. A presenter that drops or
renames a field, or sends null where the model says never, fails here."""

import io
from datetime import timedelta

import pytest
from conftest import BANK_HEADERS, START, Api, bank_rows, iso, units_xlsx, xlsx_bytes
from jsonschema_rs import Draft202012Validator
from test_certificates import RULE, closed_round, three_entries

from contest.schemas import replies as r


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def check(document, template: str, response, model):
    """The reply of `response` (of the route `template`) fits `model` and openapi.json."""
    assert 200 <= response.status_code < 300, (template, response.status_code, response.json)
    model.model_validate(response.json, strict=True)
    method = response.request.method.lower()
    declared = document["paths"]["/api/v1" + template][method]["responses"]
    schema = declared[str(response.status_code)]["content"]["application/json"]["schema"]
    assert schema == {"$ref": f"#/components/schemas/{model.__name__}"}, (template, schema)
    # the reference resolved in the document's components, as Schemathesis resolves it
    Draft202012Validator(schema | {"components": document["components"]}).validate(response.json)
    return response.json


def test_account_replies(app, document, organiser, register):
    anonymous = Api(app.test_client())
    assert (
        check(document, "/session", anonymous.get("/api/v1/session"), r.SessionReply)["user"]
        is None
    )
    check(document, "/units", anonymous.get("/api/v1/units"), r.PublicUnits)
    check(document, "/challenge", anonymous.get("/api/v1/challenge"), r.ChallengeReply)
    draft = anonymous.post("/api/v1/register/check", json={"phone": "12"})
    assert check(document, "/register/check", draft, r.FieldErrors)["fields"]
    body = {"full_name": "Lê Thị Hoa", "phone": "0912000009", "password": "matkhau1"}
    made = anonymous.post("/api/v1/register", json=body | {"unit_code": "PNV"})
    assert made.status_code == 201
    check(document, "/register", made, r.LoginReply)
    login = {"login": "0912000009", "password": "matkhau1"}
    check(document, "/login", anonymous.post("/api/v1/login", json=login), r.LoginReply)
    anonymous.refresh_csrf()
    assert check(document, "/session", anonymous.get("/api/v1/session"), r.SessionReply)["user"]
    profile = anonymous.put("/api/v1/profile", json={"gender": "nu"})
    check(document, "/profile", profile, r.ProfileReply)
    given = organiser.post("/api/v1/password/reset-code", json={"login": "0912000009"})
    code = check(document, "/password/reset-code", given, r.ResetCodeReply)["code"]
    reset = {"login": "0912000009", "code": code, "new_password": "matkhau2"}
    done = Api(app.test_client()).post("/api/v1/password/reset", json=reset)
    check(document, "/password/reset", done, r.LoginReply)
    sent = Api(app.test_client()).post("/api/v1/password/reset-send", json={"login": "x@y.vn"})
    check(document, "/password/reset-send", sent, r.MessageReply)


def test_contest_round_and_join_replies(app, document, organiser, make_bank, register, clock):
    contest = {"slug": "mot", "title": "Cuộc thi một", "unit_list_id": organiser.unit_list_id}
    made = organiser.post("/api/v1/contests", json=contest)
    assert made.status_code == 201 and not made.json["rounds"]
    check(document, "/contests", made, r.ContestFull)
    settings = {"documents": [{"title": "Thể lệ", "url": "/the-le"}], "masking": "partial"}
    edited = organiser.put("/api/v1/contests/mot", json=settings)
    check(document, "/contests/{slug}", edited, r.ContestFull)
    block = organiser.post(
        "/api/v1/contests/mot/blocks", json={"name": "Bảng A", "category": "cbccvc"}
    )
    check(document, "/contests/{slug}/blocks", block, r.BlockReply)
    body = {
        "name": "Tuần 1",
        "opens_at": iso(START - timedelta(hours=1)),
        "closes_at": iso(START + timedelta(days=7)),
        "bank_id": make_bank(),
        "question_count": 5,
        "time_limit_s": 600,
        "max_attempts": 1,
        "counting": "best",
        "prediction": "participant_count",
        "draw_quotas": [{"count": 2, "difficulty": "Dễ"}],
    }
    rnd = check(
        document,
        "/contests/{slug}/rounds",
        organiser.post("/api/v1/contests/mot/rounds", json=body),
        r.RoundFull,
    )
    public = Api(app.test_client())
    check(document, "/contests", public.get("/api/v1/contests"), r.ContestList)
    full = check(document, "/contests/{slug}", public.get("/api/v1/contests/mot"), r.ContestFull)
    assert full["rounds"][0]["draw_quotas"] == [
        {"count": 2, "topic": None, "difficulty": "easy"}
    ]  # a word in, the code out
    check(
        document, "/contests/{slug}/units", public.get("/api/v1/contests/mot/units"), r.PickerUnits
    )
    check(
        document, "/contests/{slug}/stats", public.get("/api/v1/contests/mot/stats"), r.ContestStats
    )
    check(document, "/unit-lists", organiser.get("/api/v1/unit-lists"), r.UnitLists)
    path = f"/api/v1/rounds/{rnd['id']}"
    got = check(document, "/rounds/{round_id}", organiser.get(path), r.OrganiserRound)
    assert got["finalized_at"] is None
    later = {"closes_at": iso(START + timedelta(days=8))}
    patched = organiser.call("PATCH", path, json=later)
    check(document, "/rounds/{round_id}", patched, r.OrganiserRound)
    joined = register().post("/api/v1/contests/mot/join", json={"unit_code": "PNV"})
    check(document, "/contests/{slug}/join", joined, r.ParticipationReply)
    closed = organiser.post(f"{path}/close", json={"reason": "Thử đóng sớm"})
    check(document, "/rounds/{round_id}/close", closed, r.OrganiserRound)


def test_attempt_replies(app, document, make_round, register):
    rnd = make_round()
    api = register()
    start = f"/api/v1/rounds/{rnd['id']}/attempts"
    new = check(document, "/rounds/{round_id}/attempts", api.post(start), r.AttemptReply)
    assert api.post(start).status_code == 200
    check(document, "/rounds/{round_id}/attempts", api.post(start), r.AttemptReply)
    path = f"/api/v1/attempts/{new['id']}"
    check(document, "/attempts/{attempt_id}", api.get(path), r.AttemptReply)
    question = new["questions"][0]
    answer = {"choices": [question["choices"][0]["id"]], "seq": 3}
    saved = api.put(f"{path}/answers/{question['id']}", json=answer)
    check(document, "/attempts/{attempt_id}/answers/{question_id}", saved, r.SavedAnswer)
    done = check(
        document,
        "/attempts/{attempt_id}/submit",
        api.post(f"{path}/submit", json={}),
        r.AttemptReply,
    )
    assert done["status"] == "submitted" and done["score"] is not None
    assert done["answers"] == {str(question["id"]): answer["choices"]}


def test_bank_and_unit_upload_replies(document, organiser, make_bank):
    def upload(path, rows, name="nh.xlsx"):
        data = xlsx_bytes([BANK_HEADERS] + rows)
        return organiser.post(path, data={"file": (io.BytesIO(data), name), "name": "NH"})

    preview = upload("/api/v1/banks?dry_run=1", bank_rows(3) + bank_rows(1))
    shown = check(document, "/banks", preview, r.BankUploadPreview)
    assert shown["question_count"] == 4 and shown["warnings"]  # the repeated question
    made = upload("/api/v1/banks", bank_rows(6))
    assert made.status_code == 201
    bank = check(document, "/banks", made, r.BankSummary)
    check(document, "/banks", organiser.get("/api/v1/banks"), r.BankList)
    path = f"/api/v1/banks/{bank['id']}"
    check(document, "/banks/{bank_id}", organiser.get(path), r.BankDetail)
    page = check(
        document, "/banks/{bank_id}/questions", organiser.get(f"{path}/questions"), r.QuestionPage
    )
    question = page["questions"][0]
    body = {"text": "Câu hỏi đã sửa?", "A": "Có", "B": "Không", "correct": "A"}
    edited = organiser.put(f"{path}/questions/{question['id']}", json=body)
    check(document, "/banks/{bank_id}/questions/{question_id}", edited, r.BankQuestion)
    again = upload(f"{path}/import?dry_run=1", bank_rows(7))
    assert check(document, "/banks/{bank_id}/import", again, r.ReimportReply)["dry_run"]
    counts = check(
        document, "/banks/{bank_id}/import", upload(f"{path}/import", bank_rows(7)), r.ReimportReply
    )
    assert counts["question_count"] == 6 + counts["created"]
    units = {"file": (io.BytesIO(units_xlsx()), "dv.xlsx")}
    dry = organiser.post("/api/v1/units/import?dry_run=1", data=units)
    assert check(document, "/units/import", dry, r.UnitImportReply)["dry_run"] is True
    units = {"file": (io.BytesIO(units_xlsx()), "dv.xlsx")}
    real = organiser.post("/api/v1/units/import", data=units)
    assert check(document, "/units/import", real, r.UnitImportReply)["unit_list_id"]


@pytest.fixture
def closed_week(app, organiser, make_round, register, clock):
    """A closed round with three entries and the certificate rule set (prizes not confirmed)."""
    rnd = closed_round(make_round, clock)
    people = three_entries(app, rnd, register, clock)
    clock.advance(hours=3)
    return rnd, people


def test_result_and_prize_replies(app, document, organiser, closed_week):
    rnd, people = closed_week
    public = Api(app.test_client())
    rid = rnd["id"]
    board = public.get(f"/api/v1/rounds/{rid}/leaderboard")
    assert (
        len(check(document, "/rounds/{round_id}/leaderboard", board, r.LeaderboardReply)["entries"])
        == 3
    )
    standings = public.get("/api/v1/contests/thu/standings")
    assert check(document, "/contests/{slug}/standings", standings, r.StandingsReply)["entries"]
    bulletin = public.get(f"/api/v1/rounds/{rid}/bulletin")
    check(document, "/rounds/{round_id}/bulletin", bulletin, r.BulletinReply)
    ranking = public.get("/api/v1/contests/thu/units/ranking")
    check(document, "/contests/{slug}/units/ranking", ranking, r.UnitRanking)
    awards = public.get(f"/api/v1/contests/thu/units/awards?round_id={rid}")
    check(document, "/contests/{slug}/units/awards", awards, r.UnitAwards)
    prizes = organiser.get(f"/api/v1/rounds/{rid}/prizes")
    winner = check(document, "/rounds/{round_id}/prizes", prizes, r.RoundPrizesReply)["winners"][0]
    entry = f"/api/v1/rounds/{rid}/entries/{winner['entry_id']}"
    for path, answer in [
        (
            "/rounds/{round_id}/entries/{entry_id}/void",
            organiser.post(f"{entry}/void", json={"reason": "Gian lận"}),
        ),
        ("/rounds/{round_id}/entries/{entry_id}/restore", organiser.post(f"{entry}/restore")),
        (
            "/rounds/{round_id}/prizes/confirm",
            organiser.post(f"/api/v1/rounds/{rid}/prizes/confirm"),
        ),
    ]:
        check(document, path, answer, r.RoundPrizesReply)
    bulletin = public.get(f"/api/v1/rounds/{rid}/bulletin")
    assert check(document, "/rounds/{round_id}/bulletin", bulletin, r.BulletinReply)["winners"]
    reopened = organiser.post(f"/api/v1/rounds/{rid}/prizes/reopen")
    assert not check(document, "/rounds/{round_id}/prizes/reopen", reopened, r.RoundPrizesReply)[
        "confirmed"
    ]
    final = check(
        document,
        "/contests/{slug}/prizes",
        organiser.get("/api/v1/contests/thu/prizes"),
        r.FinalPrizesReply,
    )
    person = f"/api/v1/contests/thu/prizes/people/{final['winners'][0]['user_id']}"
    for path, answer in [
        (
            "/contests/{slug}/prizes/people/{user_id}/void",
            organiser.post(f"{person}/void", json={"reason": "Gian lận"}),
        ),
        ("/contests/{slug}/prizes/people/{user_id}/restore", organiser.post(f"{person}/restore")),
        ("/contests/{slug}/prizes/confirm", organiser.post("/api/v1/contests/thu/prizes/confirm")),
        ("/contests/{slug}/prizes/reopen", organiser.post("/api/v1/contests/thu/prizes/reopen")),
    ]:
        check(document, path, answer, r.FinalPrizesReply)
    log = check(document, "/audit", organiser.get("/api/v1/audit"), r.AuditLog)
    assert {"void_entry", "confirm_prizes"} <= {row["action"] for row in log}


def test_certificate_replies(app, document, organiser, closed_week):
    rnd, (tuyet, *_others) = closed_week
    rule = organiser.put("/api/v1/contests/thu/certificates", json=RULE)
    check(document, "/contests/{slug}/certificates", rule, r.CertificateRule)
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/prizes/confirm").status_code == 200
    mine = check(
        document, "/me/certificates", tuyet.get("/api/v1/me/certificates"), r.MyCertificates
    )
    assert mine and mine[0]["round_id"] == rnd["id"]
    verified = Api(app.test_client()).get(f"/api/v1/certificates/{mine[0]['code']}")
    assert check(document, "/certificates/{code}", verified, r.VerificationReply)["valid"]
    issued = organiser.get("/api/v1/contests/thu/certificates")
    assert check(document, "/contests/{slug}/certificates", issued, r.ContestCertificates)[
        "certificates"
    ]
    images = organiser.put("/api/v1/contests/thu/certificates/images", data={"remove_seal": "1"})
    check(document, "/contests/{slug}/certificates/images", images, r.CertificateImagesReply)
    batch = organiser.post("/api/v1/contests/thu/certificates/batch", json={"round_id": rnd["id"]})
    assert batch.status_code == 202
    started = check(document, "/contests/{slug}/certificates/batch", batch, r.BatchReply)
    status = organiser.get(started["status_url"])
    check(document, "/certificate-batches/{batch_id}", status, r.BatchReply)


def test_contest_signin_reply(app, document, organiser, make_round, register):
    make_round("cccd")
    settings = organiser.put("/api/v1/contests/cccd", json={"signin_mode": "phone_cccd"})
    assert (
        check(document, "/contests/{slug}", settings, r.ContestFull)["signin_mode"] == "phone_cccd"
    )
    register(phone="0912000001", cccd="001203004005", contest="cccd")
    body = {"phone": "0912000001", "cccd": "001203004005"}
    signed = Api(app.test_client()).post("/api/v1/contests/cccd/signin", json=body)
    check(document, "/contests/{slug}/signin", signed, r.ContestSigninReply)
