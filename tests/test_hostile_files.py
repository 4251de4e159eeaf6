"""Every file of the hostile corpus gets its answer: a clear Vietnamese message, nothing saved
(or, for the harmless ones, a bank). The server keeps serving afterwards."""

import io

import pytest
from hostile_corpus import corpus

CASES = corpus()


@pytest.mark.parametrize(("label", "filename", "data", "status"), CASES, ids=[c[0] for c in CASES])
def test_hostile_upload(organiser, label, filename, data, status):
    response = organiser.post("/api/v1/banks", data={"file": (io.BytesIO(data), filename)})
    assert response.status_code == status, (label, response.json)
    if status >= 400:
        error = response.json["error"]
        message = (error.get("errors") or [error])[0]["message"]
        assert message and not message.isascii(), (label, message)
        assert organiser.get("/api/v1/banks").json == []
    assert organiser.get("/api/v1/session").status_code == 200


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25


def test_formulas_arrive_as_text(organiser):
    data = {c[0]: c[2] for c in CASES}["formulas stay text"]
    bank = organiser.post("/api/v1/banks", data={"file": (io.BytesIO(data), "a.xlsx")}).json
    question = organiser.get(f"/api/v1/banks/{bank['id']}/questions").json["questions"][0]
    assert question["text"] == "=1+1"
    assert [c["text"] for c in question["choices"]] == ["@a", "+b", "-c", '=HYPERLINK("x")']
