"""Item analysis after a round: how each question behaved.

facility: the share of the attempts that drew the question and got it right.
discrimination: the facility among the top 27% of attempts (by score) minus the facility among
the bottom 27%. A good question is answered right more often by those who did well overall; a
negative index usually means a wrong key. Flags: facility under 0.2, or negative
discrimination, each once enough attempts drew the question to say so.
"""

from dataclasses import dataclass

from .i18n import _l

GROUP_SHARE = 0.27
MIN_DRAWN = 10


@dataclass
class ItemStat:
    question_id: int
    drawn: int = 0
    correct: int = 0
    upper: tuple[int, int] = (0, 0)  # (drew it, got it right) among the top group
    lower: tuple[int, int] = (0, 0)

    @property
    def facility(self) -> float | None:
        return self.correct / self.drawn if self.drawn else None

    @property
    def discrimination(self) -> float | None:
        if not self.upper[0] or not self.lower[0]:
            return None
        return self.upper[1] / self.upper[0] - self.lower[1] / self.lower[0]

    @property
    def flags(self) -> list[str]:
        if self.drawn < MIN_DRAWN:
            return []
        flags = []
        if self.facility < 0.2:
            flags.append(str(_l("Tỉ lệ đúng dưới 20%: câu quá khó hoặc sai đáp án?")))
        if self.discrimination is not None and self.discrimination < 0:
            flags.append(str(_l("Độ phân biệt âm: thường là do sai đáp án.")))
        return flags

    def as_dict(self) -> dict:
        return {
            "drawn": self.drawn,
            "correct": self.correct,
            "facility": _round(self.facility),
            "discrimination": _round(self.discrimination),
            "flags": self.flags,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def item_stats(attempts: list[tuple[float, dict[int, bool]]]) -> dict[int, ItemStat]:
    """attempts: (score, {question_id: answered correctly}) for every finished attempt."""
    ranked = sorted(attempts, key=lambda a: -a[0])
    size = round(len(ranked) * GROUP_SHARE)
    upper, lower = ranked[:size], ranked[len(ranked) - size :] if size else []
    stats: dict[int, ItemStat] = {}
    for _score, items in ranked:
        for qid, right in items.items():
            stat = stats.setdefault(qid, ItemStat(qid))
            stat.drawn += 1
            stat.correct += right
    for group, name in ((upper, "upper"), (lower, "lower")):
        for _score, items in group:
            for qid, right in items.items():
                drew, got = getattr(stats[qid], name)
                setattr(stats[qid], name, (drew + 1, got + right))
    return stats
