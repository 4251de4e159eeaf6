"""What the audit trail calls each thing, in Vietnamese: the sentence of each action, its name
in the log's filter, the fields and coded values of the "what changed" part. An action that
record() writes needs its entry in ACTIONS (audit_text reads entries through these)."""

from flask_babel import lazy_gettext as _l

from ..vocab import (
    Category,
    Counting,
    Difficulty,
    FieldMode,
    Masking,
    Prediction,
    ScoreDisplay,
    SigninMode,
    UnitBasis,
    UnitLevel,
)

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
    "masking": Masking.audit_labels(),
    "unit_level": UnitLevel.audit_labels(),
    "unit_prize_basis": UnitBasis.audit_labels(),
    "counting": Counting.audit_labels(),
    "prediction": Prediction.audit_labels(),
    "score_display": ScoreDisplay.audit_labels(),
    "mode": FieldMode.audit_labels(),
    "image": {"removed": _l("đã gỡ")},
    "signin_mode": SigninMode.audit_labels(),
    "contest_password": {"set": _l("có"), "none": _l("không có")},
    "category": Category.audit_labels(),
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
