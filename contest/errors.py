"""Domain errors the services raise; the API turns them into its error body, pages into messages."""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = _l("Yêu cầu không hợp lệ.")
    keep_changes = (
        False  # True: the refusal is itself a change of state, committed (see transaction.py)
    )

    def __init__(self, message=None, fields: dict | None = None, errors: list | None = None):
        super().__init__(str(message or self.default_message))
        self.message = str(message or self.default_message)
        self.fields = fields
        self.errors = errors
        self.details: dict = {}  # more of the error body, e.g. {"exposed": [...]}


class Malformed(DomainError):
    status, code, default_message = 400, "malformed", _l("Yêu cầu không đúng định dạng.")


class Unauthorised(DomainError):
    status, code, default_message = 401, "unauthorised", _l("Bạn cần đăng nhập.")


class Forbidden(DomainError):
    status, code, default_message = 403, "forbidden", _l("Bạn không có quyền làm việc này.")


class NotFound(DomainError):
    status, code, default_message = 404, "not_found", _l("Không tìm thấy.")


class Conflict(DomainError):
    status, code, default_message = 409, "conflict", _l("Xung đột với trạng thái hiện tại.")


class Invalid(DomainError):
    status, code, default_message = 422, "invalid", _l("Dữ liệu chưa hợp lệ.")


class RoundNotOpen(Forbidden):
    code, default_message = "round_not_open", _l("Đợt thi chưa mở hoặc đã kết thúc.")


class ProfileIncomplete(Forbidden):
    code, default_message = (
        "profile_incomplete",
        _l("Cuộc thi này cần thêm thông tin trong hồ sơ của bạn trước khi thi."),
    )


class WrongBlock(Forbidden):
    code, default_message = "wrong_block", _l("Đợt thi này dành cho bảng khác.")


class NoAttemptsLeft(Conflict):
    code, default_message = "no_attempts_left", _l("Bạn đã dùng hết số lượt thi của đợt này.")


class AttemptClosed(Conflict):
    code, default_message = "attempt_closed", _l("Bài thi đã nộp hoặc đã hết giờ.")
    keep_changes = True  # an attempt found overdue stays expired


class NotJoined(Conflict):
    code, default_message = (
        "not_joined",
        _l("Bạn chưa tham gia cuộc thi này: hãy chọn đơn vị công tác để tham gia trước khi thi."),
    )
