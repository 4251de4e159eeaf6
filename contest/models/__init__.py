"""All models, imported so that Alembic and the app see every table."""

from .accounts import (
    DEFAULT_ORGANISATION,
    ApiToken,
    Organisation,
    ResetCode,
    User,
    UserSession,
)
from .attempts import (
    EXPIRED,
    IN_PROGRESS,
    SUBMITTED,
    Answer,
    Attempt,
    AttemptQuestion,
    Award,
    Entry,
)
from .audit import AuditEntry
from .banks import Bank, Choice, PendingUpload, Question, QuestionImage
from .certificates import Certificate, CertificateBatch
from .contests import Block, Contest, Round
from .final_prizes import FinalAward, FinalPrizeVoid
from .invitations import Invitation
from .scheduler import SchedulerLease
from .units import Participation, Unit, UnitList

__all__ = [
    "DEFAULT_ORGANISATION",
    "EXPIRED",
    "IN_PROGRESS",
    "SUBMITTED",
    "Answer",
    "ApiToken",
    "Attempt",
    "AttemptQuestion",
    "AuditEntry",
    "Award",
    "Bank",
    "Block",
    "Certificate",
    "CertificateBatch",
    "Choice",
    "Contest",
    "Entry",
    "FinalAward",
    "FinalPrizeVoid",
    "Invitation",
    "Organisation",
    "Participation",
    "PendingUpload",
    "Question",
    "QuestionImage",
    "ResetCode",
    "Round",
    "SchedulerLease",
    "Unit",
    "UnitList",
    "User",
    "UserSession",
]
