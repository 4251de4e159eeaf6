"""Pictures of questions and choices, by content hash: to the participant whose attempt drew
the question, or to an organiser of the bank's organisation; 404 to anyone else. Cached for a
year (the address changes when the picture does); never sniffed as anything but a picture."""
import re

from flask import Response, request
from flask_login import current_user

from ...errors import NotFound
from ...services.contests import own_bank
from ...services.question_images import attempt_image, bank_image, image_bytes
from . import bp
from .spec import route

SHA256 = re.compile(r"[0-9a-f]{64}")
PICTURE_RESPONSES = {200: "Hình (PNG hoặc JPEG)", 304: "Không đổi", 404: "Không có"}


def picture_response(image) -> Response:
    if request.if_none_match.contains(image.sha256):
        response = Response(status=304)
    else:
        small = request.args.get("w") == "small"
        response = Response(image_bytes(image, small), mimetype=image.media_type)
    response.set_etag(image.sha256)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


def _checked(sha256: str) -> str:
    if not SHA256.fullmatch(sha256):
        raise NotFound()
    return sha256


def _caller(organiser: bool = False):
    """Nobody, or a participant on a bank's picture, gets a 404 like any other stranger: a
    picture's address says nothing about whether it exists."""
    if not current_user.is_authenticated or (organiser and not current_user.is_organiser):
        raise NotFound()
    return current_user._get_current_object()


@route(bp, "/attempts/<int:attempt_id>/images/<sha256>", "GET",
       "Hình của một câu hỏi hoặc phương án trong bài thi của mình (w=small: bản cho điện thoại)",
       query={"w": "string"}, responses=PICTURE_RESPONSES)
def attempt_picture(attempt_id: int, sha256: str):
    return picture_response(attempt_image(_caller(), attempt_id, _checked(sha256)))


@route(bp, "/banks/<int:bank_id>/images/<sha256>", "GET",
       "Hình của một câu hỏi trong ngân hàng, cho người tổ chức (w=small: bản nhỏ)",
       query={"w": "string"}, responses=PICTURE_RESPONSES)
def bank_picture(bank_id: int, sha256: str):
    return picture_response(bank_image(own_bank(_caller(True), bank_id), _checked(sha256)))
