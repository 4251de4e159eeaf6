"""The audit trail of organiser actions: who did what, when, to what, and what changed.

Each organiser operation (a service function) records its own entry, so the pages and the API
leave the same one. `details` may carry `label` (the object's name when it was acted on) and
`changes` ({field: [before, after]}); `sentence(entry)` reads an entry as Vietnamese.
"""

import re
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.vocab import Difficulty

from ..extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime]

    user = relationship("User")


def record(user, action: str, target: str, now: datetime, **details) -> AuditEntry:
    """Add an entry for an organiser's action (flushed with the request's other changes)."""
    entry = AuditEntry(
        organisation_id=user.organisation_id,
        user_id=user.id,
        action=action,
        target=target,
        details=details,
        at=now,
    )
    db.session.add(entry)
    return entry


def changed_value(value):
    """A value as the audit keeps it (JSON): dates as ISO text, the rest as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [changed_value(v) for v in value]
    if isinstance(value, dict):
        return {k: changed_value(v) for k, v in value.items()}
    return value


# What each action did, as the predicate of a sentence whose subject is the organiser.
ACTIONS = {
    "create_contest": _l("tạo cuộc thi %(object)s"),
    "contest_settings": _l("sửa thiết lập cuộc thi %(object)s"),
    "contest_signin": _l("đổi cách đăng nhập của cuộc thi %(object)s"),
    "add_block": _l("thêm bảng thi %(block)s vào cuộc thi %(object)s"),
    "create_round": _l("tạo đợt thi %(object)s của cuộc thi %(contest)s"),
    "create_round_on_exposed_bank": _l(
        "xác nhận tạo đợt thi %(object)s trên ngân hàng đã công "
        "bố đáp án (%(exposed)s câu đã lộ đáp án)"
    ),
    "import_units": _l(
        "nhập danh sách đơn vị từ tệp %(file)s: %(created)s đơn vị mới, %(updated)s đơn vị cập nhật"
    ),
    "import_bank": _l("tạo ngân hàng câu hỏi %(object)s từ tệp %(file)s (%(created)s câu)"),
    "reimport_bank": _l(
        "tải lên lại ngân hàng %(object)s từ tệp %(file)s: %(created)s câu "
        "mới, %(updated)s câu cập nhật, %(unchanged)s câu không đổi"
    ),
    "edit_question": _l("sửa câu hỏi %(object)s trong ngân hàng %(bank)s"),
    "retire_question": _l("cho câu hỏi %(object)s trong ngân hàng %(bank)s thôi dùng"),
    "void_entry": _l("huỷ kết quả của %(person)s trong đợt %(round)s, lý do: %(reason)s"),
    "restore_entry": _l("khôi phục kết quả của %(person)s trong đợt %(round)s"),
    "confirm_prizes": _l("xác nhận danh sách giải của đợt %(object)s (%(winners)s giải)"),
    "reopen_prizes": _l("huỷ xác nhận danh sách giải của đợt %(object)s"),
    "update_round": _l("sửa đợt thi %(object)s"),
    "void_final": _l(
        "loại %(person)s khỏi danh sách giải chung cuộc của cuộc thi %(object)s, lý do: %(reason)s"
    ),
    "restore_final": _l("đưa %(person)s trở lại danh sách giải chung cuộc của cuộc thi %(object)s"),
    "confirm_final": _l(
        "xác nhận danh sách giải chung cuộc của cuộc thi %(object)s (%(winners)s giải)"
    ),
    "reopen_final": _l("huỷ xác nhận danh sách giải chung cuộc của cuộc thi %(object)s"),
    "export_final_decision": _l(
        "tải dự thảo Quyết định khen thưởng chung cuộc của cuộc thi %(object)s"
    ),
    "certificate_batch": _l("tải mọi giấy chứng nhận của %(object)s (%(total)s giấy)"),
    "close_round": _l(
        "đóng sớm đợt thi %(object)s, lý do: %(reason)s (%(attempts_in_progress)s "
        "bài đang làm kết thúc theo giờ đóng mới)"
    ),
    "delete_round": _l("xoá đợt thi %(object)s (chưa ai thi)"),
    "finalise_round": _l(
        "chốt kết quả đợt thi %(object)s (%(winners)s giải trong danh sách dự kiến)"
    ),
    "export_round": _l("tải kết quả đợt %(object)s"),
    "export_decision": _l("tải dự thảo Quyết định khen thưởng của đợt %(object)s"),
    "certificate_rule": _l("đặt quy định cấp giấy chứng nhận của cuộc thi %(object)s"),
    "certificate_images": _l(
        "cập nhật ảnh chữ ký, con dấu trên giấy chứng nhận của cuộc thi %(object)s"
    ),
    "export_winners": _l("tải danh sách đề nghị khen thưởng của đợt %(object)s"),
    "export_results": _l("tải toàn bộ kết quả cuộc thi %(object)s (%(format)s)"),
    "give_reset_code": _l("cấp mã đặt lại mật khẩu cho người dự thi %(object)s"),
    "export_audit": _l("tải nhật ký thao tác"),
    "edit_unit": _l("sửa đơn vị %(object)s"),
    "remove_unit": _l("xoá đơn vị %(object)s (mã %(code)s)"),
    "export_participants": _l("tải danh sách người dự thi"),
    "change_participant_unit": _l(
        "đổi đơn vị của người dự thi %(object)s (%(entries)s bài thi chưa xác nhận giải đi theo)"
    ),
    "deactivate_unit": _l("ngừng đơn vị %(object)s (không còn cho chọn khi đăng ký)"),
    "reactivate_unit": _l("cho đơn vị %(object)s hoạt động lại"),
    "change_participant_category": _l(
        "sửa đối tượng dự thi của %(object)s (%(voided)s bài thi "
        "ở bảng khác bị huỷ, %(restored)s bài được khôi phục)"
    ),
    "invite_staff": _l("mời một người vào ban tổ chức với vai trò %(role)s"),
    "cancel_invitation": _l("huỷ một lời mời vào ban tổ chức (vai trò %(role)s)"),
    "accept_invitation": _l("nhận lời mời vào ban tổ chức với vai trò %(role)s"),
    "change_staff_role": _l("đổi vai trò của %(object)s"),
    "remove_staff": _l("đưa %(object)s ra khỏi ban tổ chức (vai trò trước đó: %(role)s)"),
    "create_organisation": _l("tạo tổ chức %(object)s (mã %(code)s, địa chỉ trang %(slug)s)"),
    "update_organisation": _l("sửa tổ chức %(object)s"),
    "organisation_logo": _l("cập nhật logo của tổ chức %(object)s"),
    "export_unit_participation": _l("tải danh sách tham gia của đơn vị %(unit)s"),
}

# Each action's name, as the log's filter offers it (an action without one is named from its
# sentence, see action_name).
ACTION_NAMES = {
    "create_contest": _l("Tạo cuộc thi"),
    "contest_settings": _l("Sửa thiết lập cuộc thi"),
    "contest_signin": _l("Đổi cách đăng nhập của cuộc thi"),
    "add_block": _l("Thêm bảng thi"),
    "create_round": _l("Tạo đợt thi"),
    "create_round_on_exposed_bank": _l("Tạo đợt thi trên ngân hàng đã công bố đáp án"),
    "import_units": _l("Nhập danh sách đơn vị"),
    "import_bank": _l("Tạo ngân hàng câu hỏi"),
    "reimport_bank": _l("Tải lên lại ngân hàng câu hỏi"),
    "edit_question": _l("Sửa câu hỏi"),
    "retire_question": _l("Cho câu hỏi thôi dùng"),
    "void_entry": _l("Huỷ kết quả bài thi"),
    "restore_entry": _l("Khôi phục kết quả bài thi"),
    "confirm_prizes": _l("Xác nhận danh sách giải"),
    "reopen_prizes": _l("Huỷ xác nhận danh sách giải"),
    "update_round": _l("Sửa đợt thi"),
    "close_round": _l("Đóng sớm đợt thi"),
    "delete_round": _l("Xoá đợt thi"),
    "finalise_round": _l("Chốt kết quả đợt thi"),
    "export_round": _l("Tải kết quả đợt thi"),
    "export_decision": _l("Tải dự thảo Quyết định khen thưởng"),
    "certificate_rule": _l("Đặt quy định cấp giấy chứng nhận"),
    "certificate_images": _l("Cập nhật ảnh chữ ký, con dấu"),
    "export_winners": _l("Tải danh sách đề nghị khen thưởng"),
    "export_results": _l("Tải toàn bộ kết quả cuộc thi"),
    "give_reset_code": _l("Cấp mã đặt lại mật khẩu"),
    "export_audit": _l("Tải nhật ký thao tác"),
    "edit_unit": _l("Sửa đơn vị"),
    "remove_unit": _l("Xoá đơn vị"),
    "change_participant_unit": _l("Đổi đơn vị của người dự thi"),
    "export_participants": _l("Tải danh sách người dự thi"),
    "void_final": _l("Loại khỏi giải chung cuộc"),
    "restore_final": _l("Đưa trở lại giải chung cuộc"),
    "confirm_final": _l("Xác nhận giải chung cuộc"),
    "reopen_final": _l("Huỷ xác nhận giải chung cuộc"),
    "export_final_decision": _l("Tải dự thảo Quyết định khen thưởng chung cuộc"),
    "certificate_batch": _l("Tải mọi giấy chứng nhận"),
    "deactivate_unit": _l("Ngừng đơn vị"),
    "reactivate_unit": _l("Cho đơn vị hoạt động lại"),
    "change_participant_category": _l("Sửa đối tượng dự thi"),
    "invite_staff": _l("Mời vào ban tổ chức"),
    "cancel_invitation": _l("Huỷ lời mời"),
    "accept_invitation": _l("Nhận lời mời vào ban tổ chức"),
    "change_staff_role": _l("Đổi vai trò trong ban tổ chức"),
    "remove_staff": _l("Đưa ra khỏi ban tổ chức"),
    "create_organisation": _l("Tạo tổ chức"),
    "update_organisation": _l("Sửa tổ chức"),
    "organisation_logo": _l("Cập nhật logo tổ chức"),
    "export_unit_participation": _l("Tải danh sách tham gia của đơn vị"),
}

# Field names as an organiser reads them, for the "what changed" part.
FIELDS = {
    "title": _l("tên"),
    "description": _l("giới thiệu"),
    "rules": _l("thể lệ"),
    "masking": _l("cách che tên"),
    "registration_fields": _l("thông tin đăng ký"),
    "one_prize_per_person": _l("mỗi người một giải"),
    "unit_prize_basis": _l("cách xét giải tập thể"),
    "unit_prize_threshold": _l("ngưỡng tỉ lệ tham gia"),
    "unit_prize_count": _l("số giải tập thể"),
    "final_prize_first": _l("số giải Nhất chung cuộc"),
    "final_prize_second": _l("số giải Nhì chung cuộc"),
    "final_prize_third": _l("số giải Ba chung cuộc"),
    "final_prize_consolation": _l("số giải Khuyến khích chung cuộc"),
    "unit_level": _l("cấp đơn vị xếp hạng"),
    "documents": _l("tài liệu"),
    "signin_mode": _l("cách đăng nhập"),
    "contest_password": _l("mật khẩu cuộc thi"),
    "text": _l("nội dung câu hỏi"),
    "correct": _l("đáp án"),
    "explanation": _l("giải thích"),
    "topic": _l("chủ đề"),
    "difficulty": _l("mức độ"),
    "points": _l("điểm"),
    "source": _l("nguồn"),
    "code": _l("mã câu"),
    "keep_order": _l("giữ nguyên thứ tự phương án"),
    "image": _l("hình của câu hỏi"),
    "certificate_rule": _l("quy định cấp giấy chứng nhận"),
    "signature": _l("ảnh chữ ký"),
    "seal": _l("ảnh con dấu"),
    "headcount": _l("số CBCCVC"),
    "unit": _l("đơn vị"),
    "category": _l("đối tượng"),
    "excluded_from_prizes": _l("không xét giải tập thể"),
    "role": _l("vai trò"),
    "slug": _l("địa chỉ trang"),
    "logo": _l("logo"),
    "selectable": _l("được chọn làm đơn vị"),
    "unit_list_id": _l("danh sách đơn vị"),
    "name": _l("tên"),
    "opens_at": _l("giờ mở"),
    "closes_at": _l("giờ đóng"),
    "bank_id": _l("ngân hàng"),
    "question_count": _l("số câu"),
    "time_limit_s": _l("thời gian làm bài (giây)"),
    "max_attempts": _l("số lượt thi"),
    "counting": _l("cách tính lượt"),
    "prediction": _l("câu dự đoán"),
    "grace_s": _l("thời gian ân hạn (giây)"),
    "block_id": _l("bảng thi"),
    "score_display": _l("hiển thị điểm"),
    "draw_quotas": _l("cơ cấu đề"),
    "prize_first": _l("số giải nhất"),
    "prize_second": _l("số giải nhì"),
    "prize_third": _l("số giải ba"),
    "prize_consolation": _l("số giải khuyến khích"),
}


# Coded values as an organiser reads them, per field (what the settings forms offer).
VALUES = {
    "masking": {"none": _l("hiện đầy đủ họ tên"), "partial": _l("che một phần họ tên")},
    "unit_level": {"unit": _l("từng đơn vị"), "top": _l("đơn vị cấp 1")},
    "unit_prize_basis": {
        "participation_rate": _l("tỉ lệ tham gia"),
        "average_score": _l("điểm trung bình"),
        "entries": _l("số lượt thi"),
    },
    "counting": {
        "best": _l("lượt cao điểm nhất"),
        "first": _l("lượt đầu tiên"),
        "first_perfect": _l("lượt đầu tiên đạt điểm tối đa"),
    },
    "prediction": {
        "none": _l("không hỏi"),
        "perfect_count": _l("số người đạt điểm tối đa"),
        "participant_count": _l("số người dự thi"),
    },
    "score_display": {
        "after_submit": _l("ngay sau khi nộp bài"),
        "after_close": _l("sau khi đợt thi kết thúc"),
    },
    "mode": {"required": _l("bắt buộc"), "optional": _l("không bắt buộc"), "hidden": _l("ẩn")},
    "image": {"removed": _l("đã gỡ")},
    "signin_mode": {
        "password": _l("số điện thoại và mật khẩu"),
        "phone_cccd": _l("số điện thoại và số CCCD"),
        "phone_birthdate": _l("số điện thoại và ngày sinh"),
    },
    "contest_password": {"set": _l("có"), "none": _l("không có")},
    "category": {"cbccvc": _l("cán bộ, công chức, viên chức"), "nhan_dan": _l("nhân dân")},
    "difficulty": dict(Difficulty.choices()),
}
FIELD_VALUES = {
    "birth_date": "mode",
    "gender": "mode",
    "cccd": "mode",
    "email": "mode",
    "address": "mode",
    "occupation": "mode",
    "signature": "image",
    "seal": "image",
    "logo": "image",
}
# The parts of a setting that is a dict (registration fields, the certificate rule).
FIELDS_IN = {
    "birth_date": _l("ngày sinh"),
    "gender": _l("giới tính"),
    "cccd": _l("CCCD"),
    "email": _l("e-mail"),
    "address": _l("địa chỉ"),
    "occupation": _l("nghề nghiệp"),
    "winners": _l("cấp cho người đạt giải"),
    "participation": _l("cấp cho người tham gia"),
    "min_score_ratio": _l("tỉ lệ điểm tối thiểu"),
    "min_rounds": _l("số đợt tối thiểu"),
    "issuer": _l("cơ quan cấp"),
    "signer_title": _l("chức vụ người ký"),
    "signer_name": _l("người ký"),
    "place": _l("địa danh"),
}
_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$")


class _Blank(dict):
    def __missing__(self, key):
        return "?"


def sentence(entry: AuditEntry) -> str:
    """'Nguyễn Văn A đã sửa thiết lập cuộc thi «…»: tên «cũ» → «mới».' Only what changed."""
    details = dict(entry.details or {})
    who = entry.user.full_name if entry.user else _("Hệ thống")
    label = details.get("label") or details.get("name")
    values = _Blank({k: _shown(v) for k, v in details.items()})
    values["object"] = f"«{label}»" if label else target_name(entry.target)
    template = ACTIONS.get(entry.action)
    did = str(template) % values if template else action_name(entry.action).lower()
    text = _("%(who)s đã %(did)s", who=who, did=did)
    changed = changes_text(details.get("changes") or {})
    return text + (": " + changed if changed else "") + "."


def action_name(action: str) -> str:
    """What an action is called in the log's filter: 'Sửa thiết lập cuộc thi'. Without a name
    in ACTION_NAMES, its sentence up to the first named part."""
    if action in ACTION_NAMES:
        return str(ACTION_NAMES[action])
    template = ACTIONS.get(action)
    if template is None:
        return action.replace("_", " ").capitalize()
    head = re.split(r"\s*(?:%\(|[:(,])", str(template), maxsplit=1)[0]
    head = re.sub(r"\s+(của|cho|từ|trong|vào|trên)$", "", head.strip())
    return head[:1].upper() + head[1:]


def target_name(target: str) -> str:
    """An object the entry kept no name for, by its key: 'contest:dong-son-2026' is
    «dong-son-2026» (each sentence already says what kind of object it is)."""
    _kind, _sep, key = (target or "").partition(":")
    return f"«{key or target}»" if target else ""


def changes_text(changes: dict) -> str:
    """'tên «cũ» → «mới»; ...' for the fields whose value differs, each part of a dict setting
    named on its own."""
    parts = []
    for name, pair in changes.items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        if before == after:
            continue
        label = FIELDS.get(name) or FIELDS_IN.get(name, name)
        if isinstance(before, dict) or isinstance(after, dict):
            old = before if isinstance(before, dict) else {}
            new = after if isinstance(after, dict) else {}
            inner = changes_text({k: [old.get(k), new.get(k)] for k in {**old, **new}})
            parts.append(f"{label} ({inner})" if inner else "")
            continue
        parts.append(f"{label} {_shown(before, name)} → {_shown(after, name)}")
    return "; ".join(p for p in parts if p)


def _shown(value, field: str | None = None) -> str:
    coded = VALUES.get(FIELD_VALUES.get(field, field), {}) if field else {}
    if isinstance(value, str) and value in coded:
        return str(coded[value])
    if field in ("signature", "seal", "logo") and str(value).endswith(" bytes"):
        return _("ảnh mới (%(n)s KB)", n=max(1, int(value.split()[0]) // 1024))
    if value is None or value == "":
        return _("(trống)")
    if field in ("bank_id", "block_id") and isinstance(value, int):
        return _named(field, value)
    if value is True:
        return _("có")
    if value is False:
        return _("không")
    if isinstance(value, float) and field == "unit_prize_threshold":
        return f"{value:.0%}"
    if isinstance(value, str) and _ISO_TIME.match(value):  # a stored UTC time: Vietnam time
        from ..timing import format_local

        return format_local(datetime.fromisoformat(value), "%H:%M %d/%m/%Y")
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:79] + "…"
        return f"«{text}»"
    if isinstance(value, list):
        return _("%(n)d mục", n=len(value))
    if isinstance(value, dict):
        return "; ".join(f"{FIELDS_IN.get(k, k)} {_shown(v, k)}" for k, v in value.items())
    return str(value)


def _named(field: str, value: int) -> str:
    """A bank or a block by its name (the audit keeps its id)."""
    from . import Bank, Block

    found = db.session.get(Bank if field == "bank_id" else Block, value)
    return f"«{found.name}»" if found is not None else _("(đã xoá)")
