"""The organisers' certificate batch (a round's or the contest's, one PDF), built in the
background with its progress (services.certificate_batches)."""

from flask import jsonify
from flask_babel import lazy_gettext as _l

from ...auth import user
from ...errors import Conflict
from ...presenters.certificates import batch_json
from ...schemas.bodies import BatchBody
from ...schemas.replies import BatchReply
from ...services import certificate_batches as batches
from ...services.contests import own_contest
from ...web import g_now
from ...web.certificates import pdf_response, start
from . import bp
from .spec import ORGANISER, route


@route(
    bp,
    "/contests/<slug>/certificates/batch",
    "POST",
    "Tạo tệp mọi giấy chứng nhận của cuộc thi hoặc một đợt (chạy nền, có tiến độ)",
    body=BatchBody,
    auth="read_results",
    responses={202: "{id, status, total, done, status_url, pdf_url}"} | ORGANISER,
    reply=BatchReply,
)
def start_certificate_batch(slug: str, body: BatchBody):
    batch, _new = start(own_contest(user(), slug), body.round_id)
    return jsonify(batch_json(batch)), 202


@route(
    bp,
    "/certificate-batches/<int:batch_id>",
    "GET",
    "Tiến độ tạo tệp giấy chứng nhận",
    auth="read_results",
    responses={200: "{status: running|ready|failed, total, done}"} | ORGANISER,
    reply=BatchReply,
)
def certificate_batch(batch_id: int):
    return jsonify(batch_json(batches.own_batch(user(), batch_id)))


@route(
    bp,
    "/certificate-batches/<int:batch_id>.pdf",
    "GET",
    "Tệp giấy chứng nhận đã tạo xong",
    auth="read_results",
    responses={200: "Tệp PDF", 409: "Chưa xong"} | ORGANISER,
)
def certificate_batch_pdf(batch_id: int):
    batch = batches.own_batch(user(), batch_id)
    if batches.batch_status(batch, g_now()) != batches.READY:
        raise Conflict(_l("Tệp giấy chứng nhận chưa tạo xong."))
    return pdf_response(batch.pdf, batch.filename)
