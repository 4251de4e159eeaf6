"""Contests, rounds, blocks, joining, the contest's unit list and live counts."""

from pydantic import BaseModel, RootModel

from .accounts import UnitRef


class RoundReply(BaseModel):
    """presenters.common.round_json"""

    id: int
    name: str
    opens_at: str
    closes_at: str
    status: str


class Quota(BaseModel):
    count: int
    topic: str | None = None
    difficulty: str | None = None


class PrizeCounts(BaseModel):
    first: int
    second: int
    third: int
    consolation: int


class RoundFull(RoundReply):
    """round_json(full=True): what the organiser set."""

    contest: str
    bank_id: int
    question_count: int
    time_limit_s: int
    max_attempts: int
    counting: str
    prediction: str
    grace_s: int
    score_display: str
    prediction_truth: int | None
    prizes: PrizeCounts
    draw_quotas: list[Quota]
    block_id: int | None
    excluded_question_count: int
    prizes_confirmed: bool


class OrganiserRound(RoundFull):
    finalized_at: str | None


class ContestReply(BaseModel):
    """presenters.common.contest_json"""

    slug: str
    title: str
    signin_mode: str
    contest_password: bool
    rounds: list[RoundReply]


class ContestList(RootModel[list[ContestReply]]):
    pass


class DocumentReply(BaseModel):
    title: str
    url: str


class BlockReply(BaseModel):
    id: int
    name: str
    category: str


class ContestFull(ContestReply):
    """contest_json(full=True)"""

    rounds: list[RoundFull]
    description: str
    rules: str
    masking: str
    documents: list[DocumentReply]
    registration_fields: dict[str, str]
    blocks: list[BlockReply]
    one_prize_per_person: bool
    unit_prize_basis: str
    unit_prize_threshold: float
    unit_prize_count: int
    unit_level: str
    final_prize_first: int
    final_prize_second: int
    final_prize_third: int
    final_prize_consolation: int
    unit_list_id: int | None


class ParticipationReply(BaseModel):
    """presenters.common.participation_json"""

    contest: str
    unit: UnitRef | None
    category: str
    joined_at: str


class PickerUnit(BaseModel):
    """services.participations.picker_rows"""

    code: str
    name: str
    parent_code: str | None
    path: str
    selectable: bool


class PickerUnits(RootModel[list[PickerUnit]]):
    pass


class UnitListSummary(BaseModel):
    id: int
    name: str
    units: int


class UnitLists(RootModel[list[UnitListSummary]]):
    pass


class ContestStats(BaseModel):
    """services.stats.live_counts"""

    attempts: int
    participants: int
    units: int
