"""Request bodies of the JSON API, declared once: they validate and they document."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    create_model,
)

from ..vocab import (
    Category,
    Counting,
    Difficulty,
    FieldMode,
    Gender,
    Masking,
    Prediction,
    ScoreDisplay,
    SigninMode,
    UnitBasis,
    UnitLevel,
)

MAX_ID = 2**31 - 1


def _in_range(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2100:
        raise ValueError("year")
    return value


Moment = Annotated[datetime, AfterValidator(_in_range)]


def _difficulty_code(value):
    """The code of a difficulty sent as its code or, as before codes, its Vietnamese word."""
    return (Difficulty.parse(value) or value) if isinstance(value, str) else value


# the codes are documented; the Vietnamese words ("Dễ", "Trung bình", "Khó") are still accepted
DifficultyCode = Annotated[Difficulty, BeforeValidator(_difficulty_code)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


# the proof-of-work answer a sign-in or registration sends once it has been answered 428
Altcha = Annotated[
    str | None, Field(max_length=4000, description="lời giải thử thách (GET /challenge) khi bị 428")
]
ChoiceText = Annotated[str, Field(max_length=2000)]  # one of a question's choices A..H
Reason = Annotated[str, Field(min_length=3, max_length=1000)]  # why something is undone
UnitListId = Annotated[int | None, Field(ge=1, le=MAX_ID)]  # one of the organisation's lists


class PersonalDetails(Body):
    """What a participant may tell of themselves at registration and later in their profile."""

    email: str | None = Field(default=None, max_length=200)
    cccd: str | None = Field(default=None, max_length=20)
    birth_date: date | None = None
    gender: Literal[Gender.codes()] | None = None
    address: str | None = Field(default=None, max_length=255)
    occupation: str | None = Field(default=None, max_length=120)


class RegisterBody(PersonalDetails):
    full_name: str = Field(max_length=120)
    phone: str = Field(max_length=20)
    password: str = Field(
        max_length=200,
        description='"" cho cuộc thi đăng nhập bằng số '
        "điện thoại + CCCD / ngày sinh (không cần mật khẩu)",
    )
    unit_code: str = Field(max_length=40)
    category: Literal[Category.codes()] = "cbccvc"
    contest: str | None = Field(
        default=None, max_length=80, description="slug: apply this contest's registration fields"
    )
    altcha: Altcha = None


# The as-you-type check takes a half-filled form: the same fields, none required yet.
RegisterDraft = create_model(
    "RegisterDraft",
    __base__=Body,
    **{name: (field.annotation | None, None) for name, field in RegisterBody.model_fields.items()},
)


class ProfileBody(PersonalDetails):
    category: Literal[Category.codes()] | None = None


class JoinBody(ProfileBody):
    unit_code: str = Field(max_length=40)


class LoginBody(Body):
    login: str = Field(max_length=200)
    password: str = Field(max_length=200)
    remember: bool = Field(default=False, description="Ghi nhớ đăng nhập: 30 ngày")
    altcha: Altcha = None


class ContestSigninBody(Body):
    phone: str = Field(max_length=20)
    cccd: str | None = Field(default=None, max_length=20, description="cuộc thi phone_cccd")
    birth_date: date | None = Field(default=None, description="cuộc thi phone_birthdate")
    contest_password: str | None = Field(default=None, max_length=200)
    remember: bool = False
    altcha: Altcha = None


class LogoutBody(Body):
    everywhere: bool = Field(
        default=False, description="Đăng xuất khỏi mọi thiết bị: mọi phiên và mã truy cập"
    )


class ContestBody(Body):
    slug: str = Field(min_length=3, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3, max_length=255)
    description: str = Field(default="", max_length=20000)
    rules: str = Field(default="", max_length=50000)
    masking: Literal[Masking.codes()] = "partial"
    unit_list_id: UnitListId = Field(
        default=None,
        description=(
            "one of the organisation's unit lists (GET /unit-lists); without it the contest has "
            "no units until one is chosen"
        ),
    )


FieldMode = Literal[FieldMode.codes()]


class RegistrationFields(Body):
    birth_date: FieldMode = "hidden"
    gender: FieldMode = "hidden"
    cccd: FieldMode = "optional"
    email: FieldMode = "optional"
    address: FieldMode = "hidden"
    occupation: FieldMode = "hidden"


class DocumentLink(Body):
    title: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=500, pattern=r"^(https?://|/)")


class ContestSettingsBody(Body):
    title: str | None = Field(default=None, min_length=3, max_length=255)
    description: str | None = Field(default=None, max_length=20000)
    rules: str | None = Field(default=None, max_length=50000)
    masking: Literal[Masking.codes()] | None = None
    registration_fields: RegistrationFields | None = None
    one_prize_per_person: bool | None = None
    unit_prize_basis: Literal[UnitBasis.codes()] | None = None
    unit_prize_threshold: float | None = Field(default=None, ge=0, le=1)
    unit_prize_count: int | None = Field(default=None, ge=0, le=1000)
    unit_level: Literal[UnitLevel.codes()] | None = None
    documents: list[DocumentLink] | None = Field(default=None, max_length=50)
    final_prize_first: int | None = Field(default=None, ge=0, le=100)
    final_prize_second: int | None = Field(default=None, ge=0, le=100)
    final_prize_third: int | None = Field(default=None, ge=0, le=100)
    final_prize_consolation: int | None = Field(default=None, ge=0, le=1000)
    signin_mode: Literal[SigninMode.codes()] | None = Field(
        default=None,
        description="password: số điện thoại + mật khẩu (mặc định); phone_cccd, "
        "phone_birthdate: số điện thoại + CCCD / ngày sinh, không mật khẩu",
    )
    contest_password: str | None = Field(
        default=None, max_length=200, description='mật khẩu cuộc thi (lưu dạng băm); "" để bỏ'
    )
    unit_list_id: UnitListId = Field(
        default=None,
        description=(
            "the unit list its participants choose from (one of the organisation's); fixed once "
            "someone has entered the contest"
        ),
    )


class BlockBody(Body):
    name: str = Field(min_length=2, max_length=120)
    category: Literal[Category.codes()]


class VoidBody(Body):
    reason: Reason


class QuotaBody(Body):
    count: int = Field(ge=1, le=200)
    topic: str | None = Field(default=None, max_length=120)
    difficulty: DifficultyCode | None = None


class RoundBody(Body):
    name: str = Field(min_length=1, max_length=120)
    opens_at: Moment
    closes_at: Moment
    bank_id: int = Field(ge=1, le=MAX_ID)
    question_count: int = Field(ge=1, le=200)
    time_limit_s: int = Field(ge=30, le=6 * 3600)
    max_attempts: int = Field(default=1, ge=0, le=1000, description="0: không giới hạn")
    counting: Literal[Counting.codes()] = "best"
    prediction: Literal[Prediction.codes()] = "none"
    score_display: Literal[ScoreDisplay.codes()] | None = Field(
        default=None,
        description="Điểm hiện ngay khi nộp bài hay sau khi đợt thi kết thúc; "
        "mặc định: sau khi kết thúc nếu được thi nhiều lượt",
    )
    grace_s: int | None = Field(default=None, ge=0, le=600)
    draw_quotas: list[QuotaBody] = Field(
        default_factory=list, max_length=20, description="Rút theo chủ đề / mức độ"
    )
    block_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    prize_first: int = Field(default=1, ge=0, le=1000)
    prize_second: int = Field(default=2, ge=0, le=1000)
    prize_third: int = Field(default=3, ge=0, le=1000)
    prize_consolation: int = Field(default=5, ge=0, le=10000)
    confirm_exposed: bool = Field(
        default=False,
        description="Vẫn tạo đợt thi trên ngân hàng "
        "đã công bố đáp án (không có thì trả 409 bank_exposed)",
    )
    draw_unexposed: bool = Field(
        default=False, description="Khi xác nhận: chỉ rút các câu chưa công bố đáp án"
    )


class AnswerBody(Body):
    # choice ids are random below 2**53 (contest.models.banks.new_choice_id)
    choices: list[Annotated[StrictInt, Field(ge=1, le=2**53 - 1)]] = Field(max_length=8)
    seq: StrictInt = Field(ge=0, le=2**53)


class FinalAnswerBody(AnswerBody):
    question_id: StrictInt = Field(ge=1, le=MAX_ID)


class SubmitBody(Body):
    prediction: StrictInt | None = Field(default=None, ge=0, le=10**9)
    # what the client still holds unsaved, flushed in the same call (the seq rule applies)
    answers: list[FinalAnswerBody] | None = Field(default=None, max_length=200)


class QuestionBody(Body):
    """One question in the template's terms: choices A..H by letter, the key as "A" or "A,C"."""

    text: str = Field(max_length=5000)
    A: ChoiceText = ""
    B: ChoiceText = ""
    C: ChoiceText = ""
    D: ChoiceText = ""
    E: ChoiceText = ""
    F: ChoiceText = ""
    G: ChoiceText = ""
    H: ChoiceText = ""
    correct: str = Field(max_length=20)
    code: str = Field(default="", max_length=60)
    explanation: str = Field(default="", max_length=5000)
    topic: str = Field(default="", max_length=120)
    difficulty: str = Field(default="", max_length=30)
    points: str = Field(default="", max_length=10)
    source: str = Field(default="", max_length=5000)
    # None: kept in the bank's order when a choice refers to others ("Tất cả các phương án trên")
    keep_choice_order: bool | None = None


# PATCH /rounds/{id}: any field of creation, none required; only those sent change.
RoundPatchBody = create_model(
    "RoundPatchBody",
    __base__=Body,
    **{name: (field.annotation | None, None) for name, field in RoundBody.model_fields.items()},
)


class CloseRoundBody(Body):
    reason: Reason


class ResetCodeBody(Body):
    login: str = Field(
        min_length=1, max_length=200, description="số điện thoại hoặc e-mail của người dự thi"
    )


class PasswordResetBody(Body):
    login: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=40)
    new_password: str = Field(max_length=200)


class ResetSendBody(Body):
    login: str = Field(min_length=1, max_length=200, description="e-mail hoặc số điện thoại")


class ParticipationRule(Body):
    min_score_ratio: float = Field(ge=0, le=1)
    min_rounds: int = Field(ge=1, le=100)


class CertificateRuleBody(Body):
    winners: bool
    participation: ParticipationRule | None = None
    issuer: str = Field(min_length=2, max_length=200)
    signer_title: str = Field(min_length=2, max_length=200)
    signer_name: str = Field(min_length=2, max_length=120)
    place: str = Field(default="", max_length=100)


class BatchBody(Body):
    round_id: int | None = Field(default=None, ge=1, le=MAX_ID)
