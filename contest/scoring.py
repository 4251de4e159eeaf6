"""Scoring: pure functions over the drawn questions, their keys and the saved answers.

A question scores its points only when the chosen set equals the correct set exactly
(no part marks on multiple-answer questions); an unanswered question scores nothing.
Totals are rounded to hundredths so that equal scores compare equal in the ranking.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoredItem:
    question_id: int
    points: float
    correct: frozenset[int]
    chosen: frozenset[int]

    @property
    def is_correct(self) -> bool:
        return bool(self.correct) and self.chosen == self.correct


def score(items: list[ScoredItem]) -> tuple[float, float]:
    """(score, max_score) of an attempt."""
    total = sum(item.points for item in items if item.is_correct)
    return round(total, 2), round(sum(item.points for item in items), 2)
