"""Uploads in and spreadsheets out."""

from flask import Response, request
from flask_babel import lazy_gettext as _l

from ..errors import Invalid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uploaded_file() -> tuple[str, bytes]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        message = str(_l('Chưa chọn tệp để tải lên (trường "file").'))
        raise Invalid(
            message,
            fields={"file": message},
            errors=[{"row": None, "column": None, "message": message}],
        )
    return upload.filename, upload.read()


def xlsx_response(data: bytes, filename: str) -> Response:
    return Response(
        data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
