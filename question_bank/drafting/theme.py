"""The year's theme ("Chủ đề năm 2024: “…”"), asked with made-up slogans as distractors."""

import re

from ..cells import fold
from .catalogue import catalogue
from .common import Fact, by_hash, clean_end, expand, lower_first
from .plan import Plan

THEME = re.compile(r"(?P<what>[Cc]hủ đề[^“\"”:]{0,150}?)\s*:?\s*[“\"](?P<theme>[^”\"]{8,250})[”\"]")


def theme_facts(plan: Plan) -> list[Fact]:
    for para in plan.paras:
        for sentence in plan.sentences(para):
            match = THEME.search(sentence)
            if match:
                what = lower_first(expand(clean_end(match.group("what"))))
                theme = clean_end(match.group("theme"))
                pool = by_hash(catalogue()["theme_distractors"], theme)
                return [
                    Fact(
                        "theme",
                        fold(theme),
                        f"Theo kế hoạch, {what} là gì?",
                        theme,
                        pool,
                        sentence,
                        f"Kế hoạch nêu {what}: “{theme}”.",
                    )
                ]
    return []
