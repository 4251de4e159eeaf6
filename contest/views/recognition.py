"""Recognition pages: certificate verification (the QR's address), a participant's
certificates, the contest's standings over its closed rounds, and each round's bulletin."""
from flask import Blueprint, render_template
from flask_login import login_required

from ..auth import require_user
from ..errors import NotFound
from ..services import certificates as certs
from ..sqlite import reads_first
from .api.certificates import certificate_json, verification_json

bp = Blueprint("recognition", __name__)


@bp.route("/xac-thuc/<code>")
@reads_first
def verify(code):
    try:
        result = verification_json(certs.by_code(code))
    except NotFound:
        return render_template("recognition/verify.html", result=None, code=code), 404
    return render_template("recognition/verify.html", result=result, code=code)


@bp.route("/giay-chung-nhan")
@login_required
@reads_first
def my_certificates():
    mine = certs.user_certificates(require_user().id)
    return render_template("recognition/mine.html",
                           certificates=[certificate_json(c) | {
                               "valid": certs.certificate_status(c).valid} for c in mine])
