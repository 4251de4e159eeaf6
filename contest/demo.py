"""The demo: a named unit list, bank, contest, an open round and two accounts, loaded once
through the same import code as an organiser's upload. The list is the demo contest's own: a
contest made later starts with no units until its organiser picks or uploads a list."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from question_bank.xlsx_import import parse_xlsx

from .extensions import db
from .models import Bank, Contest, Round, User
from .services.accounts import default_organisation, register, upsert_organiser
from .services.bank_store import create_bank
from .services.banks import upload_limits
from .services.units import import_units

DATA = Path(__file__).parent / "demo_data"
SLUG = "tim-hieu-cai-cach-hanh-chinh"
TITLE = "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính"
UNIT_LIST = "Đơn vị thị xã Cửa Lò (demo)"  # the demo contest's own list: no new contest uses it
ORGANISER = {"email": "bantochuc@demo.vn", "password": "tochuc2026", "name": "Ban Tổ chức"}
PARTICIPANT = {
    "full_name": "Nguyễn Thị Demo",
    "phone": "0912345678",
    "password": "thisinh2026",
    "unit_code": "CL-PNV",
}
RULES = """1. Đối tượng: cán bộ, công chức, viên chức và Nhân dân trên địa bàn.
2. Mỗi lượt thi gồm 20 câu hỏi trắc nghiệm rút ngẫu nhiên từ ngân hàng câu hỏi, làm trong 15 phút.
3. Mỗi người được thi tối đa 3 lượt trong mỗi đợt; lượt có kết quả tốt nhất được tính.
4. Xếp hạng theo: điểm cao hơn; dự đoán số người trả lời đúng tất cả các câu gần đúng hơn;
   thời gian làm bài ngắn hơn; nộp bài sớm hơn."""


def load_demo(now) -> bool:
    """True if it loaded the demo now, False if it was there already."""
    if db.session.scalar(select(Contest.id).filter_by(slug=SLUG)):
        return False
    org = default_organisation()
    # the organisation's admin (invites the rest of the team) and the instance's administrator
    # (the organisations' pages), so the demo shows every page
    organiser = upsert_organiser(
        ORGANISER["email"],
        ORGANISER["password"],
        ORGANISER["name"],
        None,
        role="admin",
        instance_admin=True,
    )
    _created, _updated, errors, units = import_units(
        organiser,
        "demo_units.xlsx",
        (DATA / "demo_units.xlsx").read_bytes(),
        upload_limits(),
        now,
        new_list=UNIT_LIST,
    )
    parsed = parse_xlsx((DATA / "demo_bank.xlsx").read_bytes(), upload_limits())
    if errors or not parsed.ok:
        raise RuntimeError(f"demo data invalid: {errors or parsed.errors}")
    bank = create_bank(org.id, "Ngân hàng câu hỏi CCHC (demo)", parsed.questions)
    contest = _contest(org.id, units.id, bank, now)
    _accounts(contest, now)
    db.session.flush()
    return True


def _contest(org_id: int, unit_list_id: int, bank: Bank, now) -> Contest:
    contest = Contest(
        organisation_id=org_id,
        unit_list_id=unit_list_id,
        slug=SLUG,
        title=TITLE,
        rules=RULES,
        description="Tìm hiểu về cải cách hành chính nhà nước, chuyển đổi số "
        "và các chỉ số PAR INDEX, SIPAS, PAPI, PCI, DTI.",
        masking="partial",
    )
    db.session.add(contest)
    db.session.flush()
    db.session.add(
        Round(
            contest_id=contest.id,
            name="Đợt 1",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=30),
            bank_id=bank.id,
            question_count=20,
            time_limit_s=15 * 60,
            grace_s=30,
            max_attempts=3,
            counting="best",
            prediction="perfect_count",
        )
    )
    return contest


def _accounts(contest: Contest, now) -> None:
    if not db.session.scalar(select(User.id).filter_by(phone=PARTICIPANT["phone"])):
        register(PARTICIPANT, now, contest)
