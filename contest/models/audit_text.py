"""An audit entry read as Vietnamese: sentence(entry) says who did what to what and what
changed; action_name names an action in the log's filter. The words are audit_labels'."""

import re
from datetime import datetime

from flask_babel import gettext as _

from ..extensions import db
from .audit import AuditEntry
from .audit_labels import ACTION_NAMES, ACTIONS, FIELD_VALUES, FIELDS, FIELDS_IN, VALUES

_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$")


class _Blank(dict):
    def __missing__(self, key):
        return "?"


def sentence(entry: AuditEntry) -> str:
    """'Nguyễn Văn A đã sửa thiết lập cuộc thi «…»: tên «cũ» → «mới».' Only what changed."""
    details = dict(entry.details or {})
    who = entry.user.full_name if entry.user else _("Hệ thống")
    label = details.get("label") or details.get("name")
    values = _Blank({k: _shown(v) for k, v in details.items()})
    values["object"] = f"«{label}»" if label else target_name(entry.target)
    template = ACTIONS.get(entry.action)
    did = str(template) % values if template else action_name(entry.action).lower()
    text = _("%(who)s đã %(did)s", who=who, did=did)
    changed = changes_text(details.get("changes") or {})
    return text + (": " + changed if changed else "") + "."


def action_name(action: str) -> str:
    """What an action is called in the log's filter: 'Sửa thiết lập cuộc thi'. Without a name
    in ACTION_NAMES, its sentence up to the first named part."""
    if action in ACTION_NAMES:
        return str(ACTION_NAMES[action])
    template = ACTIONS.get(action)
    if template is None:
        return action.replace("_", " ").capitalize()
    head = re.split(r"\s*(?:%\(|[:(,])", str(template), maxsplit=1)[0]
    head = re.sub(r"\s+(của|cho|từ|trong|vào|trên)$", "", head.strip())
    return head[:1].upper() + head[1:]


def target_name(target: str) -> str:
    """An object the entry kept no name for, by its key: 'contest:dong-son-2026' is
    «dong-son-2026» (each sentence already says what kind of object it is)."""
    _kind, _sep, key = (target or "").partition(":")
    return f"«{key or target}»" if target else ""


def changes_text(changes: dict) -> str:
    """'tên «cũ» → «mới»; ...' for the fields whose value differs, each part of a dict setting
    named on its own."""
    parts = []
    for name, pair in changes.items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        if before == after:
            continue
        label = FIELDS.get(name) or FIELDS_IN.get(name, name)
        if isinstance(before, dict) or isinstance(after, dict):
            old = before if isinstance(before, dict) else {}
            new = after if isinstance(after, dict) else {}
            inner = changes_text({k: [old.get(k), new.get(k)] for k in {**old, **new}})
            parts.append(f"{label} ({inner})" if inner else "")
            continue
        parts.append(f"{label} {_shown(before, name)} → {_shown(after, name)}")
    return "; ".join(p for p in parts if p)


def _shown(value, field: str | None = None) -> str:
    coded = VALUES.get(FIELD_VALUES.get(field, field), {}) if field else {}
    if isinstance(value, str) and value in coded:
        return str(coded[value])
    if field in ("signature", "seal", "logo") and str(value).endswith(" bytes"):
        return _("ảnh mới (%(n)s KB)", n=max(1, int(value.split()[0]) // 1024))
    if value is None or value == "":
        return _("(trống)")
    if field in ("bank_id", "block_id") and isinstance(value, int):
        return _named(field, value)
    if value is True:
        return _("có")
    if value is False:
        return _("không")
    if isinstance(value, float) and field == "unit_prize_threshold":
        return f"{value:.0%}"
    if isinstance(value, str) and _ISO_TIME.match(value):  # a stored UTC time: Vietnam time
        from ..timing import format_local

        return format_local(datetime.fromisoformat(value), "%H:%M %d/%m/%Y")
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:79] + "…"
        return f"«{text}»"
    if isinstance(value, list):
        return _("%(n)d mục", n=len(value))
    if isinstance(value, dict):
        return "; ".join(f"{FIELDS_IN.get(k, k)} {_shown(v, k)}" for k, v in value.items())
    return str(value)


def _named(field: str, value: int) -> str:
    """A bank or a block by its name (the audit keeps its id)."""
    from . import Bank, Block

    found = db.session.get(Bank if field == "bank_id" else Block, value)
    return f"«{found.name}»" if found is not None else _("(đã xoá)")
