"""Boards, standings, the bulletin, unit rankings and awards, prizes, the audit log."""

from pydantic import BaseModel, Field, RootModel

from .contests import PrizeCounts


class BoardEntry(BaseModel):
    """presenters.common.leaderboard_json"""

    rank: int
    name: str
    unit: str | None
    score: float | None
    max_score: float | None
    duration_ms: int | None
    submitted_at: str | None
    prediction: int | None = None  # rounds with a prediction


class LeaderboardReply(BaseModel):
    entries: list[BoardEntry]
    score_visible: bool
    score_visible_at: str | None = None


class RoundRef(BaseModel):
    id: int
    name: str


class Standing(BaseModel):
    rank: int
    name: str
    unit: str | None
    rounds_taken: int
    total_score: float
    total_duration_ms: int
    last_submitted_at: str
    scores: dict[str, float]  # round id: the counted score


class StandingsReply(BaseModel):
    """presenters.announcements.standings_json"""

    rounds: list[RoundRef]
    entries: list[Standing]


class BulletinRound(RoundRef):
    contest: str
    contest_title: str


class ScoreBand(BaseModel):
    from_: float = Field(alias="from")
    to: float
    count: int


class LowUnit(BaseModel):
    unit: str
    participants: int
    headcount: int
    participation_rate: float | None


class BulletinWinner(BaseModel):
    prize: str
    label: str
    rank: int
    name: str
    unit: str | None
    score: float
    duration_ms: int


class BulletinReply(BaseModel):
    """presenters.announcements._bulletin_json (names masked)"""

    round: BulletinRound
    entries: int
    people: int
    perfect_count: int
    max_score: float
    score_bands: list[ScoreBand]
    lowest_units: list[LowUnit]
    prizes_confirmed: bool
    winners: list[BulletinWinner]


class UnitStat(BaseModel):
    """presenters.common.unit_stat_json"""

    rank: int
    unit_code: str
    unit: str
    participants: int
    entries: int
    headcount: int
    participation_rate: float | None
    average_score: float | None  # null while the scores are hidden


class UnitRanking(RootModel[list[UnitStat]]):
    pass


class UnitAward(UnitStat):
    prize: str | None


class UnitAwards(RootModel[list[UnitAward]]):
    pass


class RoundWinner(BaseModel):
    """views.api.prizes.winner_json"""

    prize: str
    label: str
    rank: int
    entry_id: int
    name: str
    unit: str | None
    score: float
    duration_ms: int
    prediction: int | None


class RoundPrizesReply(BaseModel):
    confirmed: bool
    winners: list[RoundWinner]


class FinalWinner(BaseModel):
    """views.api.final_prizes.final_winner_json"""

    prize: str
    label: str
    rank: int
    user_id: int
    name: str
    unit: str | None
    rounds_taken: int
    total_score: float
    total_duration_ms: int


class FinalUnitPrize(BaseModel):
    rank: int
    unit_code: str
    unit: str
    participants: int
    headcount: int
    participation_rate: float | None
    prize: str


class LeftOut(BaseModel):
    user_id: int
    name: str
    reason: str


class FinalPrizesReply(BaseModel):
    """views.api.final_prizes.final_json"""

    confirmed: bool
    counts: PrizeCounts
    winners: list[FinalWinner]
    units: list[FinalUnitPrize]
    left_out: list[LeftOut]


class AuditRow(BaseModel):
    at: str
    user: str | None
    user_id: int | None
    action: str
    action_name: str
    target: str
    details: dict
    sentence: str


class AuditLog(RootModel[list[AuditRow]]):
    """GET /audit, a page of it (X-Total-Count: how many in all)"""
