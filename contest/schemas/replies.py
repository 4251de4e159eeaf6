"""The JSON of successful answers, as openapi.json describes them (spec.route(reply=...)) and
Schemathesis checks them against what the routes really send (tests/test_schemathesis.py).
Field names are the contract's (docs/api.md); a reply may carry more than is listed."""

from pydantic import BaseModel


class UnitRef(BaseModel):
    code: str
    name: str


class UserReply(BaseModel):
    id: int
    full_name: str
    role: str
    unit: UnitRef | None
    category: str | None


class SessionReply(BaseModel):
    user: UserReply | None
    csrf_token: str


class SavedAnswer(BaseModel):
    saved_seq: int
    server_now: str


class BoardEntry(BaseModel):
    rank: int
    name: str
    unit: str | None
    score: float | None
    max_score: float | None
    duration_ms: int | None
    submitted_at: str | None
    prediction: int | None = None


class LeaderboardReply(BaseModel):
    entries: list[BoardEntry]
    score_visible: bool
    score_visible_at: str | None = None
