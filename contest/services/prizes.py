"""The draft winners' list: the ranking order, cut by the round's prize counts."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Entry, Unit
from ..ranking import ranked_entries

PRIZES = (("first", _l("Giải Nhất")), ("second", _l("Giải Nhì")), ("third", _l("Giải Ba")),
          ("consolation", _l("Giải Khuyến khích")))


@dataclass
class Winner:
    prize: str
    rank: int
    entry: Entry


def prize_slots(counts: dict[str, int]) -> list[str]:
    """['Giải Nhất', 'Giải Nhì', 'Giải Nhì', ...] in order, one per prize."""
    return [str(label) for key, label in PRIZES for _ in range(max(0, counts.get(key, 0)))]


def draft_winners(rnd, counts: dict[str, int] | None = None) -> list[Winner]:
    """Entries in ranking order take the prizes; units excluded from prizes are passed over."""
    slots = prize_slots(counts or rnd.prize_counts)
    if not slots:
        return []
    query = (ranked_entries(rnd.id).outerjoin(Unit, Unit.id == Entry.unit_id)
             .where(db.or_(Unit.excluded_from_prizes.is_(False), Unit.id.is_(None)))
             .limit(len(slots)))
    return [Winner(slot, rank, entry) for rank, (slot, entry) in
            enumerate(zip(slots, db.session.scalars(query)), 1)]
