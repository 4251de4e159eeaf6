"""The unit focal person's page (Đơn vị của tôi): who of the unit has and hasn't taken part,
round by round, and the list as .xlsx. Reset codes are given on the reset code page, for the
unit's members only (contest/services/recovery.py)."""

from flask import render_template
from flask_login import current_user

from ..services import focal as focal_service
from ..web import g_now
from ..web.files import xlsx_response
from .organiser import bp
from .pages import organiser_page


@bp.route("/don-vi-cua-toi")
@organiser_page(capability="unit_focal")
def focal():
    return render_template(
        "organiser/focal.html",
        tables=focal_service.participation(current_user),
        unit=current_user.focal_unit,
    )


@bp.route("/don-vi-cua-toi.xlsx")
@organiser_page(capability="unit_focal")
def focal_xlsx():
    return xlsx_response(
        focal_service.export_participation(current_user, g_now()), "tham-gia-don-vi.xlsx"
    )
