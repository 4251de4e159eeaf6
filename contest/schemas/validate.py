"""A body checked against its pydantic model: the one place a rule lives, for the API and the
page forms alike."""

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ValidationError

from ..errors import Invalid


def validate(model: type[BaseModel], data: dict) -> BaseModel:
    """The model's instance, or Invalid (422) with a Vietnamese message per field."""
    bad = nul_fields(data)
    if bad:  # PostgreSQL refuses NUL in text; no person types one
        raise Invalid(fields={name: str(_l("Chứa ký tự không hợp lệ.")) for name in bad})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(fields=field_errors(exc)) from None


def nul_fields(data, path: str = "") -> list[str]:
    """Where a NUL character hides in a JSON value (keys included)."""
    if isinstance(data, str):
        return [path or "body"] if "\x00" in data else []
    if isinstance(data, dict):
        return [
            p
            for k, v in data.items()
            for p in ([f"{path}{k}"] if "\x00" in str(k) else nul_fields(v, f"{path}{k}."))
        ]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in nul_fields(v, f"{path}{i}.")]
    return []


def field_errors(exc: ValidationError) -> dict[str, str]:
    """pydantic's errors as {field: Vietnamese message}."""
    fields = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "body"
        fields.setdefault(name, str(_message(error)))
    return fields


def _message(error: dict):
    kind = error["type"]
    if kind == "missing":
        return _l("Trường này là bắt buộc.")
    if kind.startswith(("int_", "float_")):
        return _l("Cần một số.")
    if kind.startswith("string_too_long"):
        return _l("Quá dài.")
    if kind.startswith("string_too_short"):
        return _l("Quá ngắn.")
    if kind.startswith(("datetime", "date")) or kind == "value_error":
        return _l("Thời gian không hợp lệ (dùng dạng 2024-03-04T10:00:00+07:00).")
    if kind in ("literal_error", "enum"):
        return _l("Giá trị không nằm trong các giá trị cho phép.")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _l("Giá trị nằm ngoài khoảng cho phép.")
    return _l("Giá trị không hợp lệ.")


def given_fields(body) -> dict:
    """The fields the client sent (a nested quota keeps all its keys, as creation stores it)."""
    return {k: v for k, v in body.model_dump().items() if k in body.model_fields_set}
