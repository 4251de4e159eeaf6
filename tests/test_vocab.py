"""The fixed vocabularies (contest/vocab.py, question_bank/vocab.py): codes as the database and
the API store them, every label translated, the forms' choices in their order, templates and
views taking codes and labels from there only; the difficulty's Vietnamese words (and the usual
names) read back from files, anything unknown left alone."""

import re
import typing
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import render_template_string
from sqlalchemy import inspect, text

from contest import vocab
from contest.extensions import db
from contest.models import accounts, attempts, contests
from contest.schemas import bodies
from contest.services import accounts as account_rules
from contest.services import prizes
from contest.timing import round_status
from contest.vocab import (
    VOCABULARIES,
    AttemptStatus,
    Category,
    Counting,
    FieldMode,
    Gender,
    Masking,
    Prediction,
    Prize,
    Role,
    RoundStatus,
    ScoreDisplay,
    SigninMode,
    UnitBasis,
    UnitLevel,
    Vocabulary,
)
from question_bank.vocab import DIFFICULTY_LABELS, DIFFICULTY_WORDS, Difficulty

ROOT = Path(__file__).resolve().parent.parent


def test_codes_are_the_stored_strings():
    assert [str(d) for d in Difficulty] == ["easy", "medium", "hard"]
    assert Difficulty("hard") == "hard" and "medium" in set(Difficulty)
    assert set(DIFFICULTY_LABELS) == set(DIFFICULTY_WORDS) == set(Difficulty)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Dễ", "easy"),
        ("Trung bình", "medium"),
        ("Khó", "hard"),
        ("KHÓ", "hard"),
        ("kho", "hard"),
        ("Nhận biết", "easy"),
        ("TB", "medium"),
        ("Vận dụng cao", "hard"),
        ("easy", "easy"),
        ("Medium", "medium"),  # the English label, as an English export would write it
        ("hard", "hard"),
    ],
)
def test_files_and_clients_may_write_the_word_a_name_or_the_code(written, code):
    assert Difficulty.parse(written) == code


@pytest.mark.parametrize("written", ["", None, "Rất khó", "3", "dễ lắm"])
def test_anything_else_is_not_a_difficulty(written):
    assert Difficulty.parse(written) is None


def test_each_word_reads_back_as_its_member():
    for d in Difficulty:
        assert Difficulty.parse(d.word) is d
        assert Difficulty.word_of(d.value) == d.word


def test_values_that_are_not_codes_are_shown_and_written_as_they_are():
    assert Difficulty.label_of("") == "" and Difficulty.label_of(None) == ""
    assert Difficulty.label_of("Khó") == "Khó" and Difficulty.word_of("Khó") == "Khó"
    assert Difficulty.word_of(None) == ""


def test_labels_follow_the_language(app):
    source = (
        "{% for d in Difficulty %}{{ d }}={{ d.label }};{% endfor %}{{ Difficulty.label_of(c) }}"
    )
    for lang, expected in (
        ("vi", "easy=Dễ;medium=Trung bình;hard=Khó;Khó"),
        ("en", "easy=Easy;medium=Medium;hard=Hard;Hard"),
    ):
        with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
            assert render_template_string(source, c="hard") == expected
            labels = [pair.split("=")[1] for pair in expected.split(";")[:3]]
            assert [(c, str(label)) for c, label in Difficulty.choices()] == list(
                zip(["easy", "medium", "hard"], labels, strict=True)
            )


# --- contest/vocab.py: every vocabulary, its codes and what its forms offer ---

# (vocabulary, every code in declaration order, the choices a form offers: code and Vietnamese
# label, in the form's order). The codes are what rows and API bodies hold: changing one needs
# a migration of the stored rows, not an edit here.
TABLE = [
    (Difficulty, "easy medium hard", [("easy", "Dễ"), ("medium", "Trung bình"), ("hard", "Khó")]),
    (
        Masking,
        "none partial",
        [("partial", "Viết tắt tên đệm (Nguyễn V. An)"), ("none", "Đầy đủ họ tên")],
    ),
    (
        FieldMode,
        "required optional hidden",
        [("required", "Bắt buộc"), ("optional", "Không bắt buộc"), ("hidden", "Không hỏi")],
    ),
    (
        UnitBasis,
        "participation_rate average_score entries",
        [
            ("participation_rate", "Tỉ lệ tham gia"),
            ("average_score", "Điểm trung bình"),
            ("entries", "Số lượt thi"),
        ],
    ),
    (
        UnitLevel,
        "unit top",
        [("unit", "Đơn vị người thi đăng ký"), ("top", "Đơn vị cấp 1 (gộp cấp 2)")],
    ),
    (
        SigninMode,
        "password phone_cccd phone_birthdate",
        [
            ("password", "Số điện thoại và mật khẩu"),
            ("phone_cccd", "Số điện thoại và số CCCD (không cần mật khẩu)"),
            ("phone_birthdate", "Số điện thoại và ngày sinh (không cần mật khẩu)"),
        ],
    ),
    # the pages offer two; the API takes first_perfect too
    (Counting, "best first first_perfect", [("best", "Lượt tốt nhất"), ("first", "Lượt đầu tiên")]),
    (
        Prediction,
        "none perfect_count participant_count",
        [
            ("none", "Không có"),
            ("perfect_count", "Số người trả lời đúng tất cả"),
            ("participant_count", "Số người tham gia"),
        ],
    ),
    (
        ScoreDisplay,
        "after_submit after_close",
        [("after_submit", "Ngay sau khi nộp bài"), ("after_close", "Chỉ sau khi đợt thi kết thúc")],
    ),
    (
        RoundStatus,
        "upcoming open closed",
        [("upcoming", "Sắp mở"), ("open", "Đang mở"), ("closed", "Đã kết thúc")],
    ),
    (
        AttemptStatus,
        "in_progress submitted expired",
        [("in_progress", "đang làm"), ("submitted", "đã nộp"), ("expired", "hết giờ")],
    ),
    # no form makes anyone a participant
    (
        Role,
        "participant admin organiser viewer focal",
        [
            ("admin", "Quản trị tổ chức"),
            ("organiser", "Ban tổ chức"),
            ("viewer", "Xem kết quả"),
            ("focal", "Đầu mối đơn vị"),
        ],
    ),
    (Gender, "nam nu khac", [("nam", "Nam"), ("nu", "Nữ"), ("khac", "Khác")]),
    (
        Category,
        "cbccvc nhan_dan",
        [("cbccvc", "Cán bộ, công chức, viên chức"), ("nhan_dan", "Nhân dân")],
    ),
    (
        Prize,
        "first second third consolation",
        [
            ("first", "Giải Nhất"),
            ("second", "Giải Nhì"),
            ("third", "Giải Ba"),
            ("consolation", "Giải Khuyến khích"),
        ],
    ),
]
IDS = [v.__name__ for v, _codes, _choices in TABLE]


def _in(app, lang):
    return app.test_request_context("/", headers={"Cookie": f"lang={lang}"})


def test_the_table_holds_every_vocabulary_and_templates_see_each(app):
    assert [v for v, _codes, _choices in TABLE] == list(VOCABULARIES)
    declared = [c for c in vars(vocab).values() if isinstance(c, type) and Vocabulary in c.__mro__]
    assert set(declared) - {Vocabulary} <= set(VOCABULARIES)
    for v in VOCABULARIES:
        assert app.jinja_env.globals[v.__name__] is v


@pytest.mark.parametrize(("vocabulary", "codes", "choices"), TABLE, ids=IDS)
def test_codes_and_choices_in_order(app, vocabulary, codes, choices):
    assert [m.value for m in vocabulary] == codes.split()
    if vocabulary is not Difficulty:
        assert vocabulary.codes() == tuple(codes.split())
        assert all(type(c) is str for c in vocabulary.codes())
    with _in(app, "vi"):
        assert [(c, str(label)) for c, label in vocabulary.choices()] == choices
        assert render_template_string(
            "{% for c, t in V.choices() %}{{ c }}={{ t }};{% endfor %}", V=vocabulary
        ) == "".join(f"{c}={t};" for c, t in choices)


@pytest.mark.parametrize(("vocabulary", "codes", "choices"), TABLE, ids=IDS)
def test_every_label_is_translated(app, vocabulary, codes, choices):
    """In Vietnamese the label is the source string; English has its own, never empty."""
    shown = {}
    for lang in ("vi", "en"):
        with _in(app, lang):
            shown[lang] = {m: str(m.label).strip() for m in vocabulary}
            if vocabulary is not Difficulty:
                shown[lang + " audit"] = {m: str(m.audit_label).strip() for m in vocabulary}
            for m in vocabulary:
                assert vocabulary.label_of(m.value) == str(m.label)
    for kind in ("", " audit") if vocabulary is not Difficulty else ("",):
        for m in vocabulary:
            vi, en = shown["vi" + kind][m], shown["en" + kind][m]
            assert vi and en and vi != en, (m, kind, vi, en)
    assert len(set(shown["vi"].values())) == len(vocabulary)  # no two members read alike
    assert len(set(shown["en"].values())) == len(vocabulary)


def test_anything_not_a_code_is_shown_as_it_is():
    for vocabulary in VOCABULARIES:
        assert vocabulary.label_of(None) == "" and vocabulary.label_of("?") == "?"


# --- the codes are what the database and the API hold ---

# (table, column, vocabulary): every column that stores a vocabulary's code
COLUMNS = [
    ("contests", "masking", Masking),
    ("contests", "unit_prize_basis", UnitBasis),
    ("contests", "unit_level", UnitLevel),
    ("contests", "signin_mode", SigninMode),
    ("blocks", "category", Category),
    ("rounds", "counting", Counting),
    ("rounds", "prediction", Prediction),
    ("rounds", "score_display", ScoreDisplay),
    ("attempts", "status", AttemptStatus),
    ("users", "role", Role),
    ("users", "gender", Gender),
    ("users", "category", Category),
    ("participations", "category", Category),
    ("invitations", "role", Role),
    ("awards", "prize", Prize),
    ("final_awards", "prize", Prize),
    ("questions", "difficulty", Difficulty),
]


@pytest.mark.parametrize(("table", "column", "vocabulary"), COLUMNS, ids=lambda x: str(x))
def test_the_migrated_column_holds_every_code(app, table, column, vocabulary):
    """The column as the migrations made it (not the model): long enough for every code, and
    its model default one of them (questions may have none yet)."""
    with app.app_context():
        columns = {c["name"]: c for c in inspect(db.engine).get_columns(table)}
    assert max(len(c) for c in vocabulary) <= columns[column]["type"].length
    model = next(m for m in db.Model.registry.mappers if m.local_table.name == table)
    default = model.columns[column].default
    if default is not None and not callable(default.arg):
        assert default.arg in set(vocabulary) | {""}, (table, column, default.arg)


def test_the_modules_constants_are_the_codes():
    assert contests.MASKING == Masking.codes() and contests.COUNTING == Counting.codes()
    assert contests.FIELD_MODES == FieldMode.codes() and contests.UNIT_BASES == UnitBasis.codes()
    assert contests.PREDICTION == Prediction.codes()
    assert contests.SIGNIN_MODES == SigninMode.codes()
    assert set(contests.DEFAULT_FIELDS.values()) <= set(FieldMode.codes())
    assert attempts.STATUSES == AttemptStatus.codes()
    assert accounts.STAFF_ROLES == ("admin", "organiser", "viewer", "focal")
    assert account_rules.CATEGORIES == Category.codes()
    assert [code for code, _label in prizes.PRIZES] == list(Prize.codes())
    (index,) = [i for i in attempts.Attempt.__table__.indexes if i.name == "uq_attempt_in_progress"]
    for dialect in ("sqlite", "postgresql"):
        assert (
            str(index.dialect_options[dialect]["where"])
            == f"status = '{AttemptStatus.IN_PROGRESS}'"
        )


# (API body, field, vocabulary): the field takes exactly the codes
BODY_FIELDS = [
    (bodies.ContestBody, "masking", Masking),
    (bodies.ContestSettingsBody, "masking", Masking),
    (bodies.ContestSettingsBody, "unit_prize_basis", UnitBasis),
    (bodies.ContestSettingsBody, "unit_level", UnitLevel),
    (bodies.ContestSettingsBody, "signin_mode", SigninMode),
    (bodies.BlockBody, "category", Category),
    (bodies.RoundBody, "counting", Counting),
    (bodies.RoundBody, "prediction", Prediction),
    (bodies.RoundBody, "score_display", ScoreDisplay),
]


def _literal_args(annotation):
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    return next(a for arg in typing.get_args(annotation) if (a := _literal_args(arg)))


@pytest.mark.parametrize(("body", "field", "vocabulary"), BODY_FIELDS, ids=lambda x: str(x))
def test_api_bodies_and_openapi_take_exactly_the_codes(client, body, field, vocabulary):
    assert _literal_args(body.model_fields[field].annotation) == vocabulary.codes()
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"][body.__name__]
    prop = schema["properties"][field]
    enums = [s["enum"] for s in [prop, *prop.get("anyOf", [])] if "enum" in s]
    assert enums == [list(vocabulary.codes())]


@pytest.mark.parametrize(
    ("field", "vocabulary"),
    [("masking", Masking), ("unit_level", UnitLevel), ("unit_prize_basis", UnitBasis)],
)
def test_each_code_sent_is_the_string_stored_and_sent_back(app, organiser, field, vocabulary):
    body = {"slug": "thu", "title": "Cuộc thi thử", "unit_list_id": organiser.unit_list_id}
    assert organiser.post("/api/v1/contests", json=body).status_code == 201
    for code in vocabulary.codes():
        reply = organiser.put("/api/v1/contests/thu", json={field: code})
        assert reply.status_code == 200, reply.json
        assert reply.json[field] == code
        with app.app_context():
            stored = db.session.execute(text(f"SELECT {field} FROM contests")).scalar_one()
        assert stored == code and type(stored) is str


@pytest.mark.parametrize(
    ("opens_h", "closes_h", "status"),
    [(1, 2, RoundStatus.UPCOMING), (0, 1, RoundStatus.OPEN), (-1, 1, RoundStatus.OPEN)]
    + [(-2, 0, RoundStatus.CLOSED), (-2, -1, RoundStatus.CLOSED)],
)
def test_round_status_gives_the_codes(opens_h, closes_h, status):
    now = datetime(2026, 11, 22, 6, 0)
    rnd = SimpleNamespace(
        opens_at=now + timedelta(hours=opens_h), closes_at=now + timedelta(hours=closes_h)
    )
    assert round_status(rnd, now) == status.value


# --- templates and views write no vocabulary's codes or labels of their own ---

CODES = {m.value for v in VOCABULARIES for m in v}
# an option with a literal value, or a literal (code, label) pair in a list
CODE_LISTS = (
    re.compile(r"""<option\s+value=["'](?P<code>[a-z_]+)["']"""),
    re.compile(r"""[\[,]\s*\(\s*["'](?P<code>[a-z_]+)["']\s*,"""),
)
# a (code, label) pair or a {code: label} entry in Python
PY_LABELS = re.compile(r"""[\[(,{]\s*\(?\s*["'](?P<code>[a-z_]+)["']\s*[:,]\s*_l?\(""")
# (template, label): the same words meaning something else (a page's title)
OTHER_MEANINGS = {("organiser/participants.html", "Người dự thi")}


def _templates():
    return sorted((ROOT / "templates").rglob("*.html"))


def test_templates_list_no_codes_of_their_own():
    found = [
        (p.relative_to(ROOT).as_posix(), m.group("code"))
        for p in _templates()
        for pattern in CODE_LISTS
        for m in pattern.finditer(p.read_text(encoding="utf-8"))
        if m.group("code") in CODES
    ]
    assert found == [], "take the options from the vocabulary: {% for c, t in X.choices() %}"


def test_templates_write_no_label_of_their_own(app):
    with _in(app, "vi"):
        labels = {str(m.label) for v in VOCABULARIES for m in v}
    found = [
        (name, label)
        for p in _templates()
        for label in labels
        if (name := p.relative_to(ROOT / "templates").as_posix(), label) not in OTHER_MEANINGS
        and re.search(r"""_\(\s*(["'])%s\1""" % re.escape(label), p.read_text(encoding="utf-8"))
    ]
    assert found == [], "show X.label_of(code) or member.label, not the words again"


def test_views_hold_no_labels_of_codes():
    found = [
        (p.relative_to(ROOT).as_posix(), m.group("code"))
        for p in sorted((ROOT / "contest" / "views").rglob("*.py"))
        for m in PY_LABELS.finditer(p.read_text(encoding="utf-8"))
        if m.group("code") in CODES
    ]
    assert found == [], "a vocabulary's labels are contest/vocab.py's: X.choices(), X.label_of()"
