"""The JSON API, /api/v1. CSRF: cookie-authenticated state changes carry X-CSRFToken;
bearer requests and the login/register calls (JSON only, so a cross-site form cannot send
them) do not."""

from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ...auth import bearer_token, bearer_user
from ...errors import DomainError
from ...extensions import csrf
from ...web import g_now
from .spec import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
CSRF_FREE = {
    "api.login_post",
    "api.register_post",
    "api.register_check_post",
    "api.reset_password_post",
    "api.send_reset_code_post",
    "api.contest_signin_post",
}
SAFE = {"GET", "HEAD", "OPTIONS"}


@bp.before_request
def _csrf_for_cookies():
    token = bearer_token()
    if token:  # the token, and not any cookie, says who this is; no CSRF for it
        bearer_user(token, g_now())
        return
    if request.method in SAFE:
        return
    if request.endpoint in CSRF_FREE:
        if not request.is_json:
            return error_response(415, "json_required", str(_l("Nội dung phải là JSON.")))
        return
    csrf.protect()


def error_response(status: int, code: str, message: str, fields=None, errors=None, details=None):
    body = {"code": code, "message": message} | (details or {})
    if fields:
        body["fields"] = fields
    if errors is not None:
        body["errors"] = errors
    return jsonify(error=body), status


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    return error_response(exc.status, exc.code, exc.message, exc.fields, exc.errors, exc.details)


@bp.errorhandler(CSRFError)
def _csrf_error(exc):
    return error_response(
        400,
        "csrf_failed",
        str(_l("Thiếu hoặc sai mã CSRF (X-CSRFToken). Hãy tải lại trang rồi thử lại.")),
    )


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document())


HTTP_MESSAGES = {
    400: _l("Yêu cầu không hợp lệ."),
    401: _l("Bạn cần đăng nhập."),
    403: _l("Bạn không có quyền làm việc này."),
    404: _l("Không tìm thấy."),
    405: _l("Phương thức không được hỗ trợ."),
    413: _l("Tệp quá lớn: tối đa 10 MB."),
    415: _l("Kiểu nội dung không được hỗ trợ."),
    429: _l("Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút."),
    500: _l("Máy chủ gặp lỗi, chưa làm được việc này. Vui lòng thử lại sau ít phút."),
}


def api_http_error(exc: HTTPException):
    """App-level handler for HTTP errors on /api/ paths (404 routes, 405, 413, 429)."""
    code = (exc.name or "error").lower().replace(" ", "_")
    message = HTTP_MESSAGES.get(exc.code, exc.description)
    response = error_response(exc.code, code, str(message))[0]
    response.status_code = exc.code
    for header in ("Retry-After", "Allow"):
        if exc.get_response().headers.get(header):
            response.headers[header] = exc.get_response().headers[header]
    return response


from . import (  # noqa: E402, F401  (the routes register themselves on api_v1)
    accounts,
    announcements,
    attempts,
    audit,
    banks,
    certificate_batches,
    certificates,
    contests,
    final_prizes,
    images,
    prizes,
    recovery,
    results,
    rounds,
    signin,
)
