"""Page forms turned into the bodies the API validates: the pydantic model in bodies.py is the
only place of the rule, so a page and the API refuse and accept the same inputs with the same
message (Invalid, 422, a message per field)."""

from .bodies import BlockBody, CloseRoundBody, VoidBody
from .validate import validate


def form_body(model, form, *names: str):
    """`model` validated from the form's `names` (absent ones left out, so defaults apply)."""
    return validate(model, {name: form[name] for name in names if name in form})


def block_body(form) -> BlockBody:
    return form_body(BlockBody, form, "name", "category")


def void_body(form) -> VoidBody:
    """A result voided or a person left out of the final prizes: the reason."""
    return form_body(VoidBody, form, "reason")


def close_round_body(form) -> CloseRoundBody:
    return form_body(CloseRoundBody, form, "reason")


def form_message(exc) -> str:
    """What a page flashes for a DomainError: its message, then each field's."""
    return " ".join([exc.message, *(exc.fields or {}).values()])
