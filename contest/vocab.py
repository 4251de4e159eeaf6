"""The app's fixed vocabularies, one StrEnum each: a member's value is the code stored and sent
(exactly the string the database holds), its `label` what a form or a page shows (translated),
its `audit_label` the lower-case phrase the audit trail writes (contest/models/audit_labels.py).

Stored and compared values stay plain strings: modules keep their constants, derived from
here (`COUNTING = Counting.codes()`), and nothing binds a member into SQL (psycopg adapts an
Enum by its name, not its value). Templates see each class as a Jinja global
(contest/web/filters.py): `{% for code, label in Counting.choices() %}`.

Difficulty lives in question_bank/vocab.py (the bank files write its words) and is re-exported.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from question_bank.vocab import Difficulty


class Vocabulary(StrEnum):
    """A member is declared as `NAME = code, label` or `NAME = code, label, audit_label`."""

    def __new__(cls, code: str, label=None, audit_label=None):
        member = str.__new__(cls, code)
        member._value_ = code
        member._label = label
        member._audit_label = audit_label
        return member

    @property
    def label(self):
        """What a form or a page shows (a lazy, translated string)."""
        return self._label

    @property
    def audit_label(self):
        """What the audit trail's "what changed" part writes; the label where it has no own."""
        return self._audit_label if self._audit_label is not None else self._label

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        """Every code, as plain strings, in declaration order: what is accepted and stored."""
        return tuple(m.value for m in cls)

    @classmethod
    def offered(cls) -> tuple["Vocabulary", ...]:
        """The members a page's form offers, in its order (all, unless a class says otherwise)."""
        return tuple(cls)

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """(code, label) of each offered member, in order: a form's options."""
        return [(m.value, m.label) for m in cls.offered()]

    @classmethod
    def audit_labels(cls) -> dict[str, object]:
        """{code: audit label} of every member."""
        return {m.value: m.audit_label for m in cls}

    @classmethod
    def label_of(cls, code: str | None) -> str:
        """What a page shows for a stored value: the label of a code, anything else as is."""
        return str(cls(code).label) if code in cls._value2member_map_ else (code or "")


# --- a contest's settings (contest/models/contests.py) ---


class Masking(Vocabulary):
    """How a name shows on a public board."""

    NONE = "none", _l("Đầy đủ họ tên"), _l("hiện đầy đủ họ tên")
    PARTIAL = "partial", _l("Viết tắt tên đệm (Nguyễn V. An)"), _l("che một phần họ tên")

    @classmethod
    def offered(cls):
        return (cls.PARTIAL, cls.NONE)  # the forms put the default first


class FieldMode(Vocabulary):
    """Whether registration asks for a profile field."""

    REQUIRED = "required", _l("Bắt buộc"), _l("bắt buộc")
    OPTIONAL = "optional", _l("Không bắt buộc"), _l("không bắt buộc")
    HIDDEN = "hidden", _l("Không hỏi"), _l("ẩn")


class UnitBasis(Vocabulary):
    """What the collective prizes rank units by."""

    PARTICIPATION_RATE = "participation_rate", _l("Tỉ lệ tham gia"), _l("tỉ lệ tham gia")
    AVERAGE_SCORE = "average_score", _l("Điểm trung bình"), _l("điểm trung bình")
    ENTRIES = "entries", _l("Số lượt thi"), _l("số lượt thi")


class UnitLevel(Vocabulary):
    """Which level units are ranked at."""

    UNIT = "unit", _l("Đơn vị người thi đăng ký"), _l("từng đơn vị")
    TOP = "top", _l("Đơn vị cấp 1 (gộp cấp 2)"), _l("đơn vị cấp 1")


class SigninMode(Vocabulary):
    """How a participant signs in for the contest (contest/services/signin.py)."""

    PASSWORD = "password", _l("Số điện thoại và mật khẩu"), _l("số điện thoại và mật khẩu")
    PHONE_CCCD = (
        "phone_cccd",
        _l("Số điện thoại và số CCCD (không cần mật khẩu)"),
        _l("số điện thoại và số CCCD"),
    )
    PHONE_BIRTHDATE = (
        "phone_birthdate",
        _l("Số điện thoại và ngày sinh (không cần mật khẩu)"),
        _l("số điện thoại và ngày sinh"),
    )

    @property
    def field(self) -> str | None:
        """The profile field asked instead of a password; None for the password."""
        return SIGNIN_FIELDS.get(self)


SIGNIN_FIELDS = {SigninMode.PHONE_CCCD: "cccd", SigninMode.PHONE_BIRTHDATE: "birth_date"}


# --- a round's settings and states (contest/models/contests.py, contest/timing.py) ---


class Counting(Vocabulary):
    """Which of a person's attempts counts for the round."""

    BEST = "best", _l("Lượt tốt nhất"), _l("lượt cao điểm nhất")
    FIRST = "first", _l("Lượt đầu tiên"), _l("lượt đầu tiên")
    FIRST_PERFECT = (
        "first_perfect",
        _l("Lượt đầu tiên đạt điểm tối đa"),
        _l("lượt đầu tiên đạt điểm tối đa"),
    )

    @classmethod
    def offered(cls):
        return (cls.BEST, cls.FIRST)  # the pages' forms offer these two; the API all three


class Prediction(Vocabulary):
    """The prediction question asked at submit."""

    NONE = "none", _l("Không có"), _l("không hỏi")
    PERFECT_COUNT = (
        "perfect_count",
        _l("Số người trả lời đúng tất cả"),
        _l("số người đạt điểm tối đa"),
    )
    PARTICIPANT_COUNT = "participant_count", _l("Số người tham gia"), _l("số người dự thi")


class ScoreDisplay(Vocabulary):
    """When a participant sees a score."""

    AFTER_SUBMIT = "after_submit", _l("Ngay sau khi nộp bài"), _l("ngay sau khi nộp bài")
    AFTER_CLOSE = "after_close", _l("Chỉ sau khi đợt thi kết thúc"), _l("sau khi đợt thi kết thúc")


class RoundStatus(Vocabulary):
    """A round's status at a moment (timing.round_status)."""

    UPCOMING = "upcoming", _l("Sắp mở")
    OPEN = "open", _l("Đang mở")
    CLOSED = "closed", _l("Đã kết thúc")


class AttemptStatus(Vocabulary):
    """An attempt's status (contest/models/attempts.py)."""

    IN_PROGRESS = "in_progress", _l("đang làm")
    SUBMITTED = "submitted", _l("đã nộp")
    EXPIRED = "expired", _l("hết giờ")


# --- people (contest/models/accounts.py, contest/services/accounts.py) ---


class Role(Vocabulary):
    """An account's role: a participant, or one of an organisation's team."""

    PARTICIPANT = "participant", _l("Người dự thi")
    ADMIN = "admin", _l("Quản trị tổ chức")
    ORGANISER = "organiser", _l("Ban tổ chức")
    VIEWER = "viewer", _l("Xem kết quả")
    FOCAL = "focal", _l("Đầu mối đơn vị")

    @classmethod
    def offered(cls):
        return cls.staff()  # a team's roles; no one is made a participant by a form

    @classmethod
    def staff(cls) -> tuple["Role", ...]:
        """The roles of an organisation's team, in the team list's order."""
        return tuple(m for m in cls if m is not cls.PARTICIPANT)


class Gender(Vocabulary):
    NAM = "nam", _l("Nam")
    NU = "nu", _l("Nữ")
    KHAC = "khac", _l("Khác")


class Category(Vocabulary):
    """A participant's category (đối tượng); a block (bảng) takes one."""

    CBCCVC = "cbccvc", _l("Cán bộ, công chức, viên chức"), _l("cán bộ, công chức, viên chức")
    NHAN_DAN = "nhan_dan", _l("Nhân dân"), _l("nhân dân")


# --- prizes (contest/services/prizes.py, contest/services/final_prizes.py) ---


class Prize(Vocabulary):
    """An individual prize, a round's or the contest's final one; in the prize lists' order."""

    FIRST = "first", _l("Giải Nhất")
    SECOND = "second", _l("Giải Nhì")
    THIRD = "third", _l("Giải Ba")
    CONSOLATION = "consolation", _l("Giải Khuyến khích")


VOCABULARIES = (
    Difficulty,
    Masking,
    FieldMode,
    UnitBasis,
    UnitLevel,
    SigninMode,
    Counting,
    Prediction,
    ScoreDisplay,
    RoundStatus,
    AttemptStatus,
    Role,
    Gender,
    Category,
    Prize,
)
