"""Certificates: the organiser's rule, a participant's list, the PDF, public verification."""

from flask import jsonify, request
from sqlalchemy.orm import selectinload

from ...auth import user
from ...certificate_pdf import render
from ...errors import Forbidden
from ...extensions import db
from ...models import Certificate
from ...presenters.certificates import certificate_json, verification_json
from ...schemas.bodies import CertificateRuleBody
from ...schemas.replies import (
    CertificateImagesReply,
    CertificateRule,
    ContestCertificates,
    MyCertificates,
    VerificationReply,
)
from ...services import certificates as certs
from ...services.contests import own_contest, own_round
from ...web import g_now
from ...web.certificates import certificate_page, pdf_response
from . import bp
from .spec import NOT_FOUND, ORGANISER, PDF_FILE, SIGNED_OUT, route


@route(
    bp,
    "/contests/<slug>/certificates",
    "PUT",
    "Quy định cấp giấy chứng nhận của cuộc thi",
    body=CertificateRuleBody,
    auth="run_contests",
    responses={200: "Quy định", 422: "Không hợp lệ"} | ORGANISER,
    reply=CertificateRule,
)
def put_rule(slug: str, body: CertificateRuleBody):
    contest = own_contest(user(), slug)
    rule = certs.set_rule(contest, body.model_dump(), user(), g_now())
    return jsonify(rule)


@route(
    bp,
    "/contests/<slug>/certificates",
    "GET",
    "Quy định và các giấy chứng nhận đã cấp",
    auth="read_results",
    responses={200: "{rule, certificates}"} | ORGANISER,
    reply=ContestCertificates,
)
def contest_certificates(slug: str):
    contest = own_contest(user(), slug)
    issued = db.session.scalars(
        db.select(Certificate).where(Certificate.contest_id == contest.id).order_by(Certificate.id)
    ).all()
    return jsonify(
        rule=contest.certificate_rule,
        certificates=[
            certificate_json(c)
            | {"name": c.full_name, "unit": c.unit_name, "valid": certs.certificate_status(c).valid}
            for c in issued
        ],
    )


@route(
    bp,
    "/contests/<slug>/certificates/images",
    "PUT",
    "Ảnh chữ ký, con dấu in trên giấy chứng nhận (PNG, trường signature, seal)",
    auth="run_contests",
    upload=True,
    responses={200: "{signature, seal}", 422: "Không phải PNG"} | ORGANISER,
    reply=CertificateImagesReply,
)
def put_images(slug: str):
    from ..organiser_recognition import uploaded_images

    contest = own_contest(user(), slug)
    images = uploaded_images(request.files, request.form)
    certs.set_images(contest, images, user(), g_now())
    return jsonify(
        signature=contest.certificate_signature is not None,
        seal=contest.certificate_seal is not None,
    )


@route(
    bp,
    "/me/certificates",
    "GET",
    "Giấy chứng nhận của tôi",
    auth="participant",
    responses={200: "[{code, kind, contest, round_id?, achievement, issued_at, pdf_url}]"}
    | SIGNED_OUT,
    reply=MyCertificates,
)
def my_certificates():
    return jsonify([certificate_json(c) for c in certs.user_certificates(user().id)])


@route(
    bp,
    "/certificates/<code>.pdf",
    "GET",
    "Giấy chứng nhận (PDF, A4)",
    auth="participant",
    responses=PDF_FILE | SIGNED_OUT | {403: "Không phải của bạn"} | NOT_FOUND,
)
def certificate_pdf(code: str):
    cert = certs.by_code(code)
    if not certs.may_download(cert, user()):
        raise Forbidden()
    return pdf_response(
        render([certificate_page(cert)], cert.achievement), f"giay-chung-nhan-{cert.code}.pdf"
    )


@route(
    bp,
    "/certificates/<code>",
    "GET",
    "Xác thực giấy chứng nhận (công khai)",
    responses={200: "{valid, contest, name, achievement, issued_at, revoked_reason?}"} | NOT_FOUND,
    reply=VerificationReply,
)
def verify_certificate(code: str):
    return jsonify(verification_json(certs.by_code(code)))


@route(
    bp,
    "/rounds/<int:round_id>/certificates.pdf",
    "GET",
    "Mọi giấy chứng nhận đạt giải của đợt thi, một tệp PDF",
    auth="read_results",
    responses=PDF_FILE | ORGANISER,
)
def round_certificates_pdf(round_id: int):
    rnd = own_round(user(), round_id)
    return _batch_pdf(Certificate.round_id == rnd.id, rnd.name, f"giay-chung-nhan-dot-{rnd.id}.pdf")


@route(
    bp,
    "/contests/<slug>/certificates.pdf",
    "GET",
    "Mọi giấy chứng nhận của cuộc thi, một tệp PDF",
    auth="read_results",
    responses=PDF_FILE | ORGANISER,
)
def contest_certificates_pdf(slug: str):
    contest = own_contest(user(), slug)
    return _batch_pdf(
        Certificate.contest_id == contest.id, contest.title, f"giay-chung-nhan-{contest.slug}.pdf"
    )


def _batch_pdf(which, title: str, filename: str):
    """Every certificate `which` selects, one page each, in issuing order (users loaded at once)."""
    issued = db.session.scalars(
        db.select(Certificate)
        .where(which)
        .options(selectinload(Certificate.user))
        .order_by(Certificate.id)
    ).all()
    return pdf_response(render([certificate_page(c) for c in issued], title), filename)
