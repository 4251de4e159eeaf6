"""Question banks and the unit list upload, for organisers."""

from pydantic import BaseModel, RootModel

from .attempts import PictureReply


class BankSummary(BaseModel):
    """services.banks.bank_summary"""

    id: int
    name: str
    question_count: int


class BankList(RootModel[list[BankSummary]]):
    pass


class Topic(BaseModel):
    name: str
    count: int


class BankDetail(BankSummary):
    topics: list[Topic]


class ItemAnalysis(BaseModel):
    """question_bank.analysis.ItemStat.as_dict"""

    drawn: int
    correct: int
    facility: float | None
    discrimination: float | None
    flags: list[str]


class BankChoice(BaseModel):
    id: int
    label: str
    text: str
    correct: bool
    image: PictureReply | None = None


class QuestionContent(BaseModel):
    """models.banks.CONTENT_FIELDS: a question's content, as uploaded and as stored. A reply
    names its other fields in a base after this one: pydantic orders fields from the last base,
    so they stay first, as the reply sends them."""

    text: str
    topic: str
    difficulty: str
    points: float
    explanation: str
    source: str
    multiple: bool
    keep_choice_order: bool


class StoredPlace(BaseModel):
    id: int
    code: str | None
    position: int


class BankQuestion(QuestionContent, StoredPlace):
    """views.api.banks.question_json"""

    choices: list[BankChoice]
    image: PictureReply | None = None
    analysis: ItemAnalysis | None = None


class QuestionPage(BaseModel):
    total: int
    questions: list[BankQuestion]


class RowProblem(BaseModel):
    """question_bank.upload.RowError.as_dict: an error or a warning of an upload."""

    row: int | None
    column: str | None
    message: str
    sheet: str | None


class ParsedChoice(BaseModel):
    label: str
    text: str
    correct: bool


class ParsedPlace(BaseModel):
    row: int
    code: str


class ParsedQuestion(QuestionContent, ParsedPlace):
    choices: list[ParsedChoice]


class BankUploadPreview(BaseModel):
    """?dry_run=1: what the upload would save; nothing is saved."""

    dry_run: bool
    question_count: int
    questions: list[ParsedQuestion]
    errors: list[RowProblem]
    warnings: list[RowProblem]


class ImportCounts(BaseModel):
    created: int
    updated: int
    unchanged: int
    question_count: int


class ReimportReply(RootModel[ImportCounts | BankUploadPreview]):
    """POST /banks/{id}/import: the counts, or the preview (dry_run=1)."""


class HeadcountChange(BaseModel):
    code: str
    name: str
    before: int
    after: int


class Renamed(BaseModel):
    code: str
    before: str
    after: str


class NewUnit(BaseModel):
    code: str
    name: str
    headcount: int


class MissingUnit(BaseModel):
    code: str
    name: str


class UnitsImported(BaseModel):
    created: int
    updated: int
    unit_list_id: int
    unit_list: str


class UnitsPreview(BaseModel):
    """services.unit_upload.UnitChanges.as_dict, with dry_run"""

    dry_run: bool
    created: int
    updated: int
    headcounts: list[HeadcountChange]
    renamed: list[Renamed]
    new: list[NewUnit]
    missing: list[MissingUnit]


class UnitImportReply(RootModel[UnitsImported | UnitsPreview]):
    """POST /units/import: what was saved, or (dry_run=1) what would change."""
