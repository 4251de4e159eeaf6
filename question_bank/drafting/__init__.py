"""Draft quiz questions from a plan (kế hoạch tuyên truyền cải cách hành chính).

    text = read_plan("ke-hoach.pdf", data)          # .txt, .docx or .pdf, NFC
    drafts = draft_questions(text, "ke-hoach.pdf")  # list[Draft], deterministic
    xlsx = drafts_workbook(drafts, "ke-hoach.pdf")  # the bank template layout

Offline and deterministic: every answer is the plan's own words (grounding.py); catalogue.json,
shipped beside this file, supplies distractors. See docs/drafting.md.
"""
from .catalogue import catalogue
from .engine import Draft, draft_questions, drafts_workbook
from .reading import PlanUnreadable, read_plan

__all__ = ["Draft", "PlanUnreadable", "catalogue", "draft_questions", "drafts_workbook",
           "read_plan"]
