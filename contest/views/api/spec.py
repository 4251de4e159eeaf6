"""One declaration per API route: it registers the view, validates the JSON body with its
pydantic model, and is the source of /api/v1/openapi.json, so the document cannot drift."""

import re
from dataclasses import dataclass, field
from functools import wraps

from flask import request
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel

from ...errors import Malformed
from ...schemas.validate import validate


@dataclass
class Operation:
    rule: str
    method: str
    summary: str
    body: type[BaseModel] | None
    responses: dict[int, str]
    auth: str
    tag: str
    upload: bool = False
    query: dict[str, str] = field(default_factory=dict)
    # the success answer's JSON, for openapi.json: one model, or {status: model}
    reply: type[BaseModel] | dict[int, type[BaseModel]] | None = None

    def reply_for(self, code: int) -> type[BaseModel] | None:
        return self.reply.get(code) if isinstance(self.reply, dict) else self.reply


OPERATIONS: list[Operation] = []

# The answers many routes give, in one wording each: a route names its own success and what is
# particular to it, and adds these, e.g. `responses={201: "Bảng"} | NOT_FOUND | INVALID`.
NOT_FOUND = {404: "Không có"}
ORGANISER = {403: "Không phải ban tổ chức"} | NOT_FOUND  # an organiser's own thing
INVALID = {422: "Dữ liệu chưa hợp lệ"}
SIGNED_OUT = {401: "Chưa đăng nhập"}
BAD_LOGIN = {401: "Sai thông tin"}
CONFIRMED = {409: "Đã xác nhận"}
TOO_LARGE = {413: "Tệp quá lớn"}
ROW_ERRORS = {422: "Lỗi theo dòng, chưa lưu gì"}
CHALLENGE = {428: "Cần giải thử thách (challenge_required)"}
TOO_MANY = {429: "Quá nhiều yêu cầu"}
TOO_MANY_TRIES = {429: "Quá nhiều lần thử"}
XLSX_FILE = {200: "Tệp .xlsx"}
PDF_FILE = {200: "Tệp PDF"}
DOCX_FILE = {200: "Tệp .docx"}
SUCCESS = {200: "OK"}  # what a route answers on success unless it names a 2xx of its own


def route(
    bp,
    rule: str,
    method: str,
    summary: str,
    *,
    body=None,
    responses=None,
    auth="public",
    upload=False,
    query=None,
    reply=None,
):
    """Register `view` on `bp` at `rule`; with `body`, the view gets `body=<model instance>`.
    `auth` is "public", "participant" or a capability of contest/auth.py: anything else is a
    mistake that would leave the route open, so it stops the app from starting. `responses`
    without a success (2xx) answer are SUCCESS's and these."""
    from ...auth import CAPABILITIES

    if auth not in CAPABILITIES and auth not in ("public", "participant"):
        raise ValueError(f"{rule}: unknown auth {auth!r}")

    def decorate(view):
        OPERATIONS.append(
            Operation(
                rule,
                method,
                summary,
                body,
                with_success(responses or {}),
                auth,
                bp.name.split(".")[-1],
                upload,
                query or {},
                reply,
            )
        )

        @wraps(view)
        def wrapped(*args, **kwargs):
            check_auth(auth)  # who may call comes before what they sent
            if body is not None:
                kwargs["body"] = parse_body(body)
            return view(*args, **kwargs)

        bp.add_url_rule(
            rule, endpoint=f"{view.__name__}_{method.lower()}", view_func=wrapped, methods=[method]
        )
        return view

    return decorate


def with_success(responses: dict[int, str]) -> dict[int, str]:
    return responses if any(code < 300 for code in responses) else SUCCESS | responses


def check_auth(auth: str) -> None:
    """401 for nobody, 403 for whoever lacks the route's capability (contest/auth.py)."""
    from ...auth import CAPABILITIES, require, require_user

    if auth in CAPABILITIES:
        require(auth)
    elif auth == "participant":
        require_user()


def parse_body(model: type[BaseModel]) -> BaseModel:
    data = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(data, dict):
        raise Malformed(_l("Nội dung yêu cầu phải là một đối tượng JSON hợp lệ."))
    return validate(model, data)


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "row": {"type": ["integer", "null"]},
                            "column": {"type": ["string", "null"]},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
            "required": ["code", "message"],
        }
    },
}


def openapi_document(base: str = "/api/v1") -> dict:
    paths: dict = {}
    schemas: dict = {"Error": ERROR_SCHEMA}
    for op in OPERATIONS:
        path = base + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", op.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API cuộc thi trực tuyến tìm hiểu về cải cách hành chính",
            "version": "1",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def _operation(op: Operation, schemas: dict) -> dict:
    doc = {
        "summary": op.summary,
        "tags": [op.tag],
        "operationId": f"{op.method}{op.rule}",
        "parameters": _parameters(op),
        "responses": {str(code): _response(code, text, op) for code, text in op.responses.items()},
    }
    if op.auth != "public":
        doc["security"] = [{"bearer": []}, {"cookie": []}]
        doc["description"] = f"Cần đăng nhập ({op.auth})."
    replies = op.reply.values() if isinstance(op.reply, dict) else [op.reply] if op.reply else []
    for reply in replies:
        _components(schemas, reply, "serialization")
    if op.body is not None:
        _components(schemas, op.body, "validation")
        doc["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}
            },
        }
    if op.upload:
        doc["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "name": {"type": "string"},
                        },
                    }
                }
            },
        }
    return doc


def _components(schemas: dict, model: type[BaseModel], mode: str) -> None:
    """The model's schema and those it refers to, under their class names: two different
    models of one name (a body and a reply) would overwrite each other, so that fails."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    for name, part in [*schema.pop("$defs", {}).items(), (model.__name__, schema)]:
        if schemas.setdefault(name, part) != part:
            raise ValueError(f"openapi.json: two different schemas named {name}")


def _parameters(op: Operation) -> list[dict]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if conv == "int" else "string"},
        }
        for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", op.rule)
    ]
    params += [
        {"name": name, "in": "query", "required": False, "schema": {"type": kind}}
        for name, kind in op.query.items()
    ]
    return params


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")  # question pictures
FILE_TYPES = {
    ".csv": ("text/csv",),
    ".pdf": ("application/pdf",),
    ".docx": (DOCX,),
    ".xlsx": (XLSX,),
}


def media_types(rule: str, method: str) -> tuple[str, ...]:
    """What a successful answer of the route is: its file type from the path's ending (a picture
    for /images/<sha256>), else JSON."""
    if method == "GET" and re.search(r"/images/<sha256>$", rule):
        return IMAGES
    suffix = re.search(r"\.[a-z]+$", rule)
    return FILE_TYPES.get(suffix[0], ("application/json",)) if suffix else ("application/json",)


def _response(code: int, text: str, op: Operation | None = None) -> dict:
    if code >= 400:
        return {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    if code == 204:
        return {"description": text}
    types = media_types(op.rule, op.method) if op else ("application/json",)
    if types != ("application/json",):
        binary = {"schema": {"type": "string", "format": "binary"}}
        return {"description": text, "content": {media: binary for media in types}}
    reply = op.reply_for(code) if op else None
    schema = {"$ref": f"#/components/schemas/{reply.__name__}"} if reply else {}
    return {"description": text, "content": {"application/json": {"schema": schema}}}
