"""Certificates, their verification and certificate batches as JSON."""

from flask import url_for

from ..models import Certificate
from ..ranking import mask_name
from ..services import certificate_batches as batches
from ..services import certificates as certs
from ..timing import iso
from ..web import g_now


def certificate_json(cert: Certificate) -> dict:
    data = {
        "code": cert.code,
        "kind": cert.kind,
        "contest": cert.contest.slug,
        "contest_title": cert.contest.title,
        "achievement": cert.achievement,
        "issued_at": iso(cert.issued_at),
        "pdf_url": url_for("api.certificate_pdf_get", code=cert.code),
    }
    if cert.round_id is not None:
        data["round_id"] = cert.round_id
    return data


def verification_json(cert: Certificate) -> dict:
    status = certs.certificate_status(cert)
    data = {
        "valid": status.valid,
        "code": cert.code,
        "contest": cert.contest.title,
        "name": mask_name(cert.full_name, "partial"),
        "achievement": cert.achievement,
        "issued_at": iso(cert.issued_at),
    }
    if not status.valid:
        data["revoked_reason"] = status.reason
    return data


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
