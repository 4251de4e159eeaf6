"""Pictures of questions and choices, by content hash: to the participant whose attempt drew
the question, or to an organiser of the bank's organisation; 404 to anyone else who is logged
in (401 to nobody, 403 to a participant on a bank's address, as on every API route, and 403 to a
contest's own sign-in on another contest's attempt, as on the attempt's other routes). Cached for
a year (the address changes when the picture does); never sniffed as anything but a picture."""

import re

from flask import Response, request

from ...auth import signin_scope, user
from ...errors import NotFound
from ...services.attempts import own_attempt
from ...services.contests import own_bank
from ...services.question_images import attempt_image, bank_image, image_bytes
from . import bp
from .spec import NOT_FOUND, route

SHA256 = re.compile(r"[0-9a-f]{64}")
PICTURE_RESPONSES = {200: "Hình (PNG hoặc JPEG)", 304: "Không đổi"} | NOT_FOUND


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


@route(
    bp,
    "/attempts/<int:attempt_id>/images/<sha256>",
    "GET",
    "Hình của một câu hỏi hoặc phương án trong bài thi của mình (w=small: bản cho điện thoại)",
    auth="participant",
    query={"w": "string"},
    responses=PICTURE_RESPONSES,
)
def attempt_picture(attempt_id: int, sha256: str):
    # someone else's attempt is a 404; a contest's own sign-in reaches only its contests
    attempt = own_attempt(user(), attempt_id, signin_scope())
    return picture_response(attempt_image(attempt, _checked(sha256)))


@route(
    bp,
    "/banks/<int:bank_id>/images/<sha256>",
    "GET",
    "Hình của một câu hỏi trong ngân hàng, cho người tổ chức (w=small: bản nhỏ)",
    auth="run_contests",
    query={"w": "string"},
    responses=PICTURE_RESPONSES,
)
def bank_picture(bank_id: int, sha256: str):
    return picture_response(bank_image(own_bank(user(), bank_id), _checked(sha256)))
