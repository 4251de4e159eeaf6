"""A unit list uploaded again through the pages: when it changes headcounts, what changes
(unit, before → after; new units; units the file leaves out) is shown and nothing is saved
until the organiser confirms; cancelling saves nothing; the kept file belongs to the one who
uploaded it, and a bank's confirmation cannot take it. The API's dry run says the same."""

import io
import re

from conftest import BANK_HEADERS, bank_rows, csrf_from, units_xlsx, xlsx_bytes
from staff import cli_staff

from contest.extensions import db
from contest.models import AuditEntry, Unit
from contest.models.audit_text import sentence

CHANGED = [
    ["UB", "UBND thị xã", "", 100],
    ["PNV", "Phòng Nội vụ", "UB", 12],
    ["PTP", "Phòng Tư pháp", "UB", 6],
]


def _headcounts(app):
    with app.app_context():
        return dict(db.session.execute(db.select(Unit.code, Unit.headcount)).all())


def _upload(client, csrf, data, header="Số lượng CBCCVC"):
    rows = [["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", header]] + data
    return client.post(
        "/to-chuc/don-vi",
        data={"csrf_token": csrf, "file": (io.BytesIO(xlsx_bytes(rows)), "don-vi-moi.xlsx")},
    )


def _confirm_path(html: str) -> str:
    """The preview's confirmation form: where its buttons post."""
    return re.search(r'action="(/to-chuc/don-vi/tai-len/\d+)"', html).group(1)


def _save(client, path: str, csrf: str, **kw):
    """The confirmation's save button, posted to `path`."""
    return client.post(path, data={"csrf_token": csrf, "action": "save"}, **kw)


def _imports(app):
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count(AuditEntry.id)).filter_by(action="import_units")
        )


def test_changed_headcounts_are_shown_and_saved_only_when_confirmed(app, organiser):
    client, before = organiser.client, _imports(app)
    csrf = csrf_from(client.get("/to-chuc/").text)
    preview = _upload(client, csrf, CHANGED)
    assert preview.status_code == 200
    html = preview.text
    assert "Tệp này thay đổi số CBCCVC của 1 đơn vị" in html
    assert re.search(r"<code>PNV</code></td><td>Phòng Nội vụ</td><td[^>]*>10 → 12</td>", html)
    assert re.search(r'id="new-units"><li><code>PTP</code> Phòng Tư pháp \(6 CBCCVC\)', html)
    assert re.search(r'id="missing-units"><li><code>PTC</code> Phòng Tài chính', html)
    assert _headcounts(app) == {"UB": 100, "PNV": 10, "PTC": 20}  # nothing saved yet
    assert _imports(app) == before
    confirm = _confirm_path(html)
    saved = _save(client, confirm, csrf, follow_redirects=True)
    assert "Đã nhập danh sách đơn vị: 1 đơn vị mới, 2 đơn vị cập nhật." in saved.text
    assert _headcounts(app) == {"UB": 100, "PNV": 12, "PTC": 20, "PTP": 6}
    assert _imports(app) == before + 1
    assert _save(client, confirm, csrf).status_code == 404


def test_cancelling_saves_nothing(app, organiser):
    client = organiser.client
    csrf = csrf_from(client.get("/to-chuc/").text)
    html = _upload(client, csrf, CHANGED, header="Biên chế").text
    confirm = _confirm_path(html)
    done = client.post(
        confirm, data={"csrf_token": csrf, "action": "cancel"}, follow_redirects=True
    )
    assert "Đã huỷ bản tải lên danh sách đơn vị; không lưu gì." in done.text
    assert _headcounts(app) == {"UB": 100, "PNV": 10, "PTC": 20}
    assert _save(client, confirm, csrf).status_code == 404


def test_same_headcounts_are_saved_at_once_and_errors_keep_nothing(app, organiser):
    client = organiser.client
    csrf = csrf_from(client.get("/to-chuc/").text)
    same = _upload(
        client, csrf, [["PNV", "Phòng Nội vụ", "UB", 10], ["PTP", "Phòng Tư pháp", "UB", 6]]
    )
    assert same.status_code == 302
    assert _headcounts(app)["PTP"] == 6
    bad = _upload(client, csrf, [["PNV", "Phòng Nội vụ", "UB", "mười hai"]])
    assert bad.status_code == 422 and "phải là số nguyên không âm" in bad.text
    assert "Xác nhận lưu danh sách đơn vị" not in bad.text
    assert _headcounts(app)["PNV"] == 10


def test_the_kept_file_is_the_uploaders_alone(app, organiser, runner, make_bank):
    client = organiser.client
    csrf = csrf_from(client.get("/to-chuc/").text)
    html = _upload(client, csrf, CHANGED).text
    pending_id = re.search(r"/to-chuc/don-vi/tai-len/(\d+)", html).group(1)
    # the bank confirmation does not take a unit list
    assert _save(client, f"/to-chuc/tai-len/{pending_id}", csrf).status_code == 404
    other = cli_staff(app, runner, "khac@example.vn")
    other_csrf = csrf_from(other.get("/to-chuc/").text)
    assert (
        _save(other.client, f"/to-chuc/don-vi/tai-len/{pending_id}", other_csrf).status_code == 404
    )
    # and a bank's kept upload is not confirmed as a unit list
    bank = client.post(
        "/to-chuc/ngan-hang",
        data={
            "csrf_token": csrf,
            "name": "NH",
            "file": (io.BytesIO(xlsx_bytes([BANK_HEADERS] + bank_rows(5))), "nh.xlsx"),
        },
    ).text
    bank_pending = re.search(r"/to-chuc/tai-len/(\d+)", bank).group(1)
    assert _save(client, f"/to-chuc/don-vi/tai-len/{bank_pending}", csrf).status_code == 404
    assert _headcounts(app)["PNV"] == 10


def test_api_dry_run_says_what_would_change_and_saves_nothing(app, organiser):
    data = xlsx_bytes(
        [["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Số lượng CBCCVC"]] + CHANGED
    )
    response = organiser.post(
        "/api/v1/units/import?dry_run=1", data={"file": (io.BytesIO(data), "dv.xlsx")}
    )
    assert response.status_code == 200
    body = response.json
    assert body["dry_run"] is True and (body["created"], body["updated"]) == (1, 2)
    assert body["headcounts"] == [
        {"code": "PNV", "name": "Phòng Nội vụ", "before": 10, "after": 12}
    ]
    assert body["new"] == [{"code": "PTP", "name": "Phòng Tư pháp", "headcount": 6}]
    assert body["missing"] == [{"code": "PTC", "name": "Phòng Tài chính"}]
    assert _headcounts(app) == {"UB": 100, "PNV": 10, "PTC": 20}
    bad = organiser.post(
        "/api/v1/units/import?dry_run=1",
        data={"file": (io.BytesIO(units_xlsx([["PNV", "Phòng Nội vụ", "XX", 1]])), "dv.xlsx")},
    )
    assert bad.status_code == 422 and bad.json["error"]["errors"][0]["row"] == 2


def test_a_confirmed_import_is_audited_like_the_api(app, organiser):
    client = organiser.client
    csrf = csrf_from(client.get("/to-chuc/").text)
    html = _upload(client, csrf, CHANGED).text
    confirm = _confirm_path(html)
    _save(client, confirm, csrf)
    with app.app_context():
        last = db.session.scalars(
            db.select(AuditEntry).filter_by(action="import_units").order_by(AuditEntry.id.desc())
        ).first()
        assert sentence(last) == (
            "Ban Tổ chức đã nhập danh sách đơn vị từ tệp "
            "«don-vi-moi.xlsx»: 1 đơn vị mới, 2 đơn vị cập nhật."
        )


def test_a_parent_removed_before_confirming_saves_nothing(app, organiser):
    client = organiser.client
    csrf = csrf_from(client.get("/to-chuc/").text)
    html = _upload(
        client, csrf, [["PNV", "Phòng Nội vụ", "UB", 15], ["TO-1", "Tổ một", "PTC", 4]]
    ).text
    confirm = _confirm_path(html)
    with app.app_context():
        ptc = db.session.scalar(db.select(Unit.id).filter_by(code="PTC"))
    assert client.post(f"/to-chuc/don-vi/{ptc}/xoa", data={"csrf_token": csrf}).status_code == 302
    late = _save(client, confirm, csrf)
    assert late.status_code == 422
    assert "Mã đơn vị cấp trên &#34;PTC&#34; không có trong danh sách." in late.text
    assert "Xác nhận lưu danh sách đơn vị" not in late.text
    assert _headcounts(app) == {"UB": 100, "PNV": 10}
