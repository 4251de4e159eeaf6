"""Session, accounts, sign-in, password recovery, the public unit list, the challenge."""

from pydantic import BaseModel, RootModel


class UnitRef(BaseModel):
    code: str
    name: str


class UserReply(BaseModel):
    """presenters.common.user_json"""

    id: int
    full_name: str
    role: str
    unit: UnitRef | None
    category: str | None


class SessionReply(BaseModel):
    user: UserReply | None
    csrf_token: str


class LoginReply(BaseModel):
    """POST /login, /register, /password/reset: the account and a bearer token."""

    user: UserReply
    token: str


class ProfileReply(BaseModel):
    user: UserReply


class ContestSigninReply(BaseModel):
    user: UserReply
    signin_mode: str


class FieldErrors(BaseModel):
    """POST /register/check: field name -> message, empty when the draft is valid."""

    fields: dict[str, str]


class ResetCodeReply(BaseModel):
    code: str
    expires_at: str


class MessageReply(BaseModel):
    message: str


class PublicUnit(BaseModel):
    code: str
    name: str
    parent_code: str | None
    headcount: int


class PublicUnits(RootModel[list[PublicUnit]]):
    pass


class ChallengeParameters(BaseModel):
    """altcha's parameters (the library's names, read by its solver and widget)."""

    algorithm: str
    cost: int
    nonce: str
    salt: str
    expiresAt: int | None = None
    keyLength: int | None = None
    keyPrefix: str | None = None


class ChallengeReply(BaseModel):
    parameters: ChallengeParameters
    signature: str | None = None
