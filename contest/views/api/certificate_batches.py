"""The organisers' certificate batch (a round's or the contest's, one PDF), built in the
background with its progress (services.certificate_batches)."""

from flask import after_this_request, current_app, jsonify, url_for
from flask_babel import lazy_gettext as _l
from pydantic import Field

from ... import jobs
from ...auth import user
from ...errors import Conflict, NotFound
from ...extensions import db
from ...models import Certificate
from ...services import certificate_batches as batches
from ...services.contests import own_contest
from ...web import g_now
from . import bp
from .certificates import certificate_page, pdf_response
from .schemas import Body
from .spec import route

ORGANISER = {403: "Không phải ban tổ chức", 404: "Không có"}


class BatchBody(Body):
    round_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


def start(contest, round_id: int | None):
    """Read every page, record and start the batch; (batch, new). The drawing starts once this
    request has committed."""
    rnd = None
    if round_id is not None:
        rnd = next((r for r in contest.rounds if r.id == round_id), None)
        if rnd is None:
            raise NotFound()
    which = Certificate.round_id == rnd.id if rnd else Certificate.contest_id == contest.id
    issued = db.session.scalars(db.select(Certificate).where(which).order_by(Certificate.id))
    pages = [certificate_page(c) for c in issued]
    filename = f"giay-chung-nhan-dot-{rnd.id}.pdf" if rnd else f"giay-chung-nhan-{contest.slug}.pdf"
    batch, new = batches.start_batch(contest, rnd, pages, filename, user(), g_now())
    if new:
        app, batch_id, title = (
            current_app._get_current_object(),
            batch.id,
            rnd.name if rnd else contest.title,
        )

        @after_this_request
        def _draw(response):
            jobs.run_certificate_batch(app, batch_id, pages, title)
            return response

    return batch, new


def batch_json(batch) -> dict:
    return {
        "id": batch.id,
        "status": batches.batch_status(batch, g_now()),
        "total": batch.total,
        "done": batch.done,
        "round_id": batch.round_id,
        "status_url": url_for("api.certificate_batch_get", batch_id=batch.id),
        "pdf_url": url_for("api.certificate_batch_pdf_get", batch_id=batch.id),
    }


@route(
    bp,
    "/contests/<slug>/certificates/batch",
    "POST",
    "Tạo tệp mọi giấy chứng nhận của cuộc thi hoặc một đợt (chạy nền, có tiến độ)",
    body=BatchBody,
    auth="read_results",
    responses={202: "{id, status, total, done, status_url, pdf_url}"} | ORGANISER,
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
