"""Drawing an attempt's questions, at random, by quotas when the round sets them.

A quota asks for `count` questions of a topic, a difficulty, or both ("10 of Cải cách thủ tục
hành chính", "5 hard"); whatever the quotas leave of question_count comes from the whole bank.
Quotas may overlap, so whether a bank can meet them is a matching problem: each drawn slot
needs its own question. The draw tries a quick random greedy pass first and falls back to an
exact matching (augmenting paths), which is also how a round's quotas are checked when set.
"""

from dataclasses import dataclass

from .i18n import _l
from .vocab import Difficulty

Pooled = tuple[int, str, str]  # (question id, topic, difficulty)


@dataclass(frozen=True)
class Quota:
    count: int
    topic: str | None = None
    difficulty: str | None = None

    def matches(self, item: Pooled) -> bool:
        return (self.topic is None or item[1] == self.topic) and (
            self.difficulty is None or item[2] == self.difficulty
        )

    def label(self) -> str:
        parts = [
            f'chủ đề "{self.topic}"' if self.topic else "",
            f'mức độ "{Difficulty.label_of(self.difficulty)}"' if self.difficulty else "",
        ]
        return ", ".join(p for p in parts if p) or str(_l("cả ngân hàng"))


def quotas_from(specs: list[dict], question_count: int) -> list[Quota]:
    """The round's quotas plus one open quota for the rest of question_count."""
    quotas = [
        Quota(int(s["count"]), s.get("topic") or None, s.get("difficulty") or None)
        for s in specs
        if int(s.get("count") or 0) > 0
    ]
    rest = question_count - sum(q.count for q in quotas)
    return quotas + ([Quota(rest)] if rest > 0 else [])


def quota_problems(pool: list[Pooled], question_count: int, specs: list[dict]) -> list[str]:
    """Why the bank cannot meet the quotas, with the numbers; [] when it can."""
    quotas = quotas_from(specs, question_count)
    asked = sum(q.count for q in quotas if q.topic or q.difficulty)
    if asked > question_count:
        return [
            str(
                _l(
                    "Tổng các hạn mức (%(a)d câu) vượt số câu mỗi lượt (%(n)d).",
                    a=asked,
                    n=question_count,
                )
            )
        ]
    problems = []
    for quota in quotas:
        available = sum(1 for item in pool if quota.matches(item))
        if available < quota.count:
            problems.append(
                str(
                    _l(
                        "Cần %(k)d câu thuộc %(w)s nhưng ngân hàng chỉ có %(n)d.",
                        k=quota.count,
                        w=quota.label(),
                        n=available,
                    )
                )
            )
    if not problems and len(match(pool, quotas)) < question_count:
        problems.append(
            str(
                _l(
                    "Các hạn mức chồng lên nhau: ngân hàng không đủ câu để đáp ứng "
                    "cùng lúc tất cả các hạn mức."
                )
            )
        )
    return problems


def draw(pool: list[Pooled], question_count: int, specs: list[dict], rng) -> list[int]:
    """question_count ids meeting the quotas (as many as the bank allows), in random order."""
    pool = list(pool)
    rng.shuffle(pool)
    quotas = quotas_from(specs, question_count)
    chosen = _greedy(pool, quotas)
    if chosen is None:
        chosen = match(pool, quotas)
    rng.shuffle(chosen)
    return chosen


def _greedy(pool: list[Pooled], quotas: list[Quota]) -> list[int] | None:
    """The most constrained quota first, each taking the first unused matches."""
    taken: set[int] = set()
    order = sorted(quotas, key=lambda q: sum(1 for item in pool if q.matches(item)))
    for quota in order:
        picked = [i[0] for i in pool if i[0] not in taken and quota.matches(i)][: quota.count]
        if len(picked) < quota.count:
            return None
        taken.update(picked)
    return list(taken)


def match(pool: list[Pooled], quotas: list[Quota]) -> list[int]:
    """An exact maximum assignment of distinct questions to quota slots (augmenting paths)."""
    owner: dict[int, int] = {}  # question id -> index of the quota holding it
    filled = [0] * len(quotas)
    candidates = [[item[0] for item in pool if q.matches(item)] for q in quotas]
    for index, quota in enumerate(quotas):
        while filled[index] < quota.count and _augment(index, candidates, owner, set()):
            filled[index] += 1
    return list(owner)


def _augment(index: int, candidates, owner: dict[int, int], seen: set[int]) -> bool:
    seen.add(index)
    for qid in candidates[index]:
        if qid not in owner:
            owner[qid] = index
            return True
    for qid in candidates[index]:
        holder = owner[qid]
        if holder not in seen and _augment(holder, candidates, owner, seen):
            owner[qid] = index
            return True
    return False
