"""Draft quiz questions from a plan (kế hoạch tuyên truyền cải cách hành chính).

    text = read_plan("ke-hoach.pdf", data)          # .txt, .docx or .pdf, NFC
    drafts = draft_questions(text, "ke-hoach.pdf")  # list[Draft], deterministic
    xlsx = drafts_workbook(drafts, "ke-hoach.pdf")  # the bank template layout

Offline and deterministic: a draft asked "theo kế hoạch" has the plan's own words as its answer
(grounding.py); catalogue.json, shipped beside this file, supplies its distractors, and the
answers of general-knowledge drafts (basis "catalogue", general.py) about what a plan only
names. See docs/drafting.md.
"""

from .catalogue import catalogue
from .engine import Draft, draft_questions, drafts_workbook
from .reading import PlanUnreadable, read_plan

__all__ = [
    "Draft",
    "PlanUnreadable",
    "catalogue",
    "draft_questions",
    "drafts_workbook",
    "read_plan",
]
