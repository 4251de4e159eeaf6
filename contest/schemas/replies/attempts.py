"""An attempt as its participant sees it (presenters.common.attempt_json) and a saved answer."""

from pydantic import BaseModel


class PictureReply(BaseModel):
    """presenters.common.picture_json"""

    url: str
    width: int
    height: int
    small_url: str | None = None
    small_width: int | None = None


class AttemptChoice(BaseModel):
    id: int
    text: str
    image: PictureReply | None = None


class AttemptQuestion(BaseModel):
    id: int
    text: str
    multiple: bool
    choices: list[AttemptChoice]
    image: PictureReply | None = None
    correct: list[int] | None = None  # once the key is visible
    explanation: str | None = None


class AttemptReply(BaseModel):
    id: int
    round_id: int
    status: str
    seq: int
    started_at: str
    deadline: str
    server_now: str
    grace_s: int
    prediction_asked: str
    questions: list[AttemptQuestion]
    answers: dict[str, list[int]]
    voided: bool | None = None  # not on a new attempt
    void_reason: str | None = None
    # once the attempt is over
    duration_ms: int | None = None
    submitted_at: str | None = None
    prediction: int | None = None
    score_visible: bool | None = None
    score: float | None = None
    max_score: float | None = None
    score_visible_at: str | None = None


class SavedAnswer(BaseModel):
    saved_seq: int
    server_now: str
