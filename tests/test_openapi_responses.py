"""openapi.json describes what a success answer is: files by their media type, JSON by its
model, every one (tests/test_schemathesis.py and tests/test_reply_models.py hold the routes to
them)."""

import pytest


def _document(client):
    return client.get("/api/v1/openapi.json").json


def test_file_downloads_have_their_media_type(client):
    paths = _document(client)["paths"]
    csv = paths["/api/v1/contests/{slug}/results.csv"]["get"]["responses"]["200"]["content"]
    assert list(csv) == ["text/csv"]
    pdf = paths["/api/v1/certificates/{code}.pdf"]["get"]["responses"]["200"]["content"]
    assert list(pdf) == ["application/pdf"]
    docx = paths["/api/v1/rounds/{round_id}/decision.docx"]["get"]["responses"]["200"]["content"]
    assert list(docx) == ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    picture = paths["/api/v1/banks/{bank_id}/images/{sha256}"]["get"]["responses"]["200"]
    assert "image/png" in picture["content"] and "application/json" not in picture["content"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status == "204":
                    assert "content" not in response, (method, path)
                elif path.endswith((".csv", ".pdf", ".docx", ".xlsx")) and status < "300":
                    assert "application/json" not in response["content"], (method, path)


def test_the_participants_replies_have_a_schema(client):
    document = _document(client)
    paths, schemas = document["paths"], document["components"]["schemas"]
    for path, method, model in [
        ("/api/v1/session", "get", "SessionReply"),
        ("/api/v1/attempts/{attempt_id}/answers/{question_id}", "put", "SavedAnswer"),
        ("/api/v1/rounds/{round_id}/leaderboard", "get", "LeaderboardReply"),
    ]:
        schema = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}
        assert schemas[model]["properties"] and schemas[model]["required"]
    assert set(schemas["SavedAnswer"]["required"]) == {"saved_seq", "server_now"}


def json_success_responses(document) -> dict[tuple[str, str, str], dict]:
    """(method, path, status) -> schema of every 2xx answer that is JSON."""
    return {
        (method.upper(), path, status): response["content"]["application/json"]["schema"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status < "300" and "application/json" in response.get("content", {})
    }


def test_every_json_success_answer_has_a_model(client):
    """Before the reply models 57 of the 60 JSON success answers had the empty schema, which
    anything fits, so Schemathesis's response_schema_conformance checked nothing there."""
    document = _document(client)
    schemas = document["components"]["schemas"]
    replies = json_success_responses(document)
    assert len(replies) >= 60, len(replies)  # every JSON route counted, not a few
    empty = sorted(key for key, schema in replies.items() if not schema)
    assert empty == []
    for key, schema in replies.items():
        name = schema["$ref"].removeprefix("#/components/schemas/")
        model = schemas[name]
        # an object with named fields, a list of such, or a choice of such
        described = model.get("properties") or model.get("items") or model.get("anyOf")
        assert described, (key, name)
    # the uploads that answer two shapes have one model per status
    paths = document["paths"]
    upload = paths["/api/v1/banks"]["post"]["responses"]
    assert upload["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/BankSummary")
    preview = upload["200"]["content"]["application/json"]["schema"]["$ref"]
    assert preview.endswith("/BankUploadPreview")
    assert {"dry_run", "questions", "errors", "warnings"} <= set(
        schemas["BankUploadPreview"]["required"]
    )


def test_two_different_schemas_of_one_name_fail_the_document():
    """A reply model named like a body model would overwrite it in components (or the other
    way round) and hold the route to the wrong shape."""
    from pydantic import BaseModel

    from contest.views.api.spec import _components

    def named(field_type):
        return type("Twin", (BaseModel,), {"__annotations__": {"value": field_type}})

    schemas: dict = {}
    _components(schemas, named(int), "serialization")
    _components(schemas, named(int), "validation")  # the same schema again is fine
    with pytest.raises(ValueError, match="Twin"):
        _components(schemas, named(str), "serialization")
