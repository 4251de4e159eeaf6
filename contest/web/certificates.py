"""A certificate's printed page and the organisers' certificate batch, shared by the API and
the recognition pages."""

from flask import Response, after_this_request, current_app, url_for

from .. import jobs
from ..auth import user
from ..certificate_pdf import CertificatePage
from ..errors import NotFound
from ..extensions import db
from ..models import Certificate
from ..services import certificate_batches as batches
from .clock import g_now


def certificate_page(cert: Certificate) -> CertificatePage:
    """What the PDF says, read before rendering (rendering touches no database)."""
    rule = cert.contest.certificate_rule or {}
    return CertificatePage(
        code=cert.code,
        serial=f"{cert.id:05d}/GCN",
        full_name=cert.full_name,
        gender=cert.user.gender,
        unit_name=cert.unit_name,
        achievement=cert.achievement,
        contest_title=cert.contest.title,
        issuer=rule.get("issuer", ""),
        signer_title=rule.get("signer_title", ""),
        signer_name=rule.get("signer_name", ""),
        place=rule.get("place", ""),
        issued_at=cert.issued_at,
        verify_url=url_for("recognition.verify", code=cert.code, _external=True),
        signature=cert.contest.certificate_signature,
        seal=cert.contest.certificate_seal,
    )


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


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
