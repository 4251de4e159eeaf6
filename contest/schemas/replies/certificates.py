"""Certificates: the rule, the lists, verification, the batch."""

from pydantic import BaseModel, RootModel


class ParticipationRuleReply(BaseModel):
    min_score_ratio: float
    min_rounds: int


class CertificateRule(BaseModel):
    """schemas.bodies.CertificateRuleBody as stored on the contest"""

    winners: bool
    participation: ParticipationRuleReply | None
    issuer: str
    signer_title: str
    signer_name: str
    place: str | None = None  # rules stored before it was asked have none


class CertificateReply(BaseModel):
    """presenters.certificates.certificate_json"""

    code: str
    kind: str
    contest: str
    contest_title: str
    achievement: str
    issued_at: str
    pdf_url: str
    round_id: int | None = None  # a round's prize


class MyCertificates(RootModel[list[CertificateReply]]):
    pass


class IssuedCertificate(CertificateReply):
    name: str
    unit: str | None
    valid: bool


class ContestCertificates(BaseModel):
    rule: CertificateRule | None
    certificates: list[IssuedCertificate]


class CertificateImagesReply(BaseModel):
    signature: bool
    seal: bool


class VerificationReply(BaseModel):
    """presenters.certificates.verification_json (the name masked)"""

    valid: bool
    code: str
    contest: str
    name: str
    achievement: str
    issued_at: str
    revoked_reason: str | None = None


class BatchReply(BaseModel):
    """presenters.certificates.batch_json"""

    id: int
    status: str
    total: int
    done: int
    round_id: int | None
    status_url: str
    pdf_url: str
