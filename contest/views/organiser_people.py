"""The organiser's participants page: find a participant, put a wrong unit or block right, give a
locked-out person a reset code (the reset page, with their phone filled in)."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..services import participants
from ..services.participations import picker_rows
from ..web import g_now
from ..web.files import xlsx_response
from .organiser import bp
from .pages import organiser_page, row_change


def _page(status=200, **extra):
    search = request.args.get("q", "")[:100]
    page = request.args.get("page", "1")
    page = min(int(page), 10_000) if page.isdigit() and int(page) > 0 else 1
    people, total = participants.find_participants(current_user.organisation_id, search, page)
    pages = max(1, -(-total // participants.PAGE_SIZE))
    lists = {p.contest.unit_list_id for person in people for p in person.entered}
    lists |= {person.user.unit.unit_list_id for person in people if person.own and person.user.unit}
    return render_template(
        "organiser/participants.html",
        form=FlaskForm(),
        people=people,
        total=total,
        search=search,
        page=page,
        pages=pages,
        lists={i: picker_rows(i) for i in lists if i},
        **extra,
    ), status


@bp.route("/nguoi-du-thi")
@organiser_page
def participants_page():
    return _page()


@bp.route("/nguoi-du-thi/<int:user_id>/don-vi", methods=["POST"])
@organiser_page
def change_participant_unit(user_id: int):
    return _change_participant(
        user_id,
        lambda: participants.change_unit(
            current_user,
            user_id,
            request.form.get("unit_code", ""),
            g_now(),
            request.form.get("contest", "")[:80],
        ),
        lambda user, unit, moved: _(
            "Đã chuyển %(name)s sang đơn vị %(unit)s (%(n)d bài thi chưa xác nhận giải đi theo).",
            name=user.full_name,
            unit=unit.name,
            n=moved,
        ),
    )


@bp.route("/nguoi-du-thi/<int:user_id>/doi-tuong", methods=["POST"])
@organiser_page
def change_participant_category(user_id: int):
    return _change_participant(
        user_id,
        lambda: participants.change_category(
            current_user, user_id, request.form.get("category", ""), g_now()
        ),
        lambda user, voided, restored: _(
            "Đã sửa đối tượng dự thi của %(name)s (%(v)d bài thi ở bảng khác bị huỷ, %(r)d bài "
            "được khôi phục).",
            name=user.full_name,
            v=voided,
            r=restored,
        ),
    )


def _change_participant(user_id: int, change, done):
    """A change posted from a row of the list: `change()` calls the service, `done(*result)`
    is the message once it is made. A refusal shows the list again (422) with the row's error;
    an unknown participant stays a 404."""
    return row_change(
        lambda: done(*change()),
        lambda exc: _page(422, failed=user_id, errors=exc.fields or {"_": exc.message}),
        url_for(".participants_page"),
        url_for(".participants_page", q=request.args.get("q", "")),
    )


@bp.route("/nguoi-du-thi.xlsx")
@organiser_page
def participants_xlsx():
    data = participants.export_participants(current_user, request.args.get("q", ""), g_now())
    return xlsx_response(data, "nguoi-du-thi.xlsx")
