"""openapi.json describes what a success answer is: files by their media type, JSON by its
model where one is declared (tests/test_schemathesis.py holds the routes to it)."""


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
