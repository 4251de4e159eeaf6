"""From facts to drafts: four choices (the answer at a position derived from the question's
hash), a stable code, one draft per fact, and the workbook in the template layout."""

from dataclasses import dataclass, field

from ..cells import fold
from ..parsed import LETTERS
from ..template import bank_workbook
from ..vocab import DEFAULT_DIFFICULTY
from .areas import area_facts
from .common import CATALOGUE, PLAN, Fact, digest
from .documents import document_facts
from .forms import visual_facts
from .general import general_facts
from .grounding import context, grounded, sentence_index
from .indices import index_facts
from .offices import lead_facts
from .plan import Plan
from .targets import target_facts
from .theme import theme_facts

CATALOGUE_SOURCE = "Kiến thức chung (danh mục có sẵn của hệ thống, không có trong kế hoạch)"
PREFIX = {
    "document_subject": "VB",
    "document_issuer": "CQ",
    "document_date": "NG",
    "theme": "CD",
    "area": "ND",
    "index_meaning": "CS",
    "index_name": "CS",
    "target": "MT",
    "schedule": "TG",
    "lead_office": "TC",
    "propaganda_form": "HT",
}


@dataclass
class Draft:
    """A drafted multiple-choice question for a reviewer: four choices, the correct one, its
    topic and the plan's sentence it rests on."""

    code: str
    text: str
    choices: list[str]
    correct: int
    topic: str
    sentence: str
    kind: str
    explanation: str
    key: str = field(default="", compare=False)
    source_name: str = field(default="", compare=False)
    grounds: list[str] = field(default_factory=list, compare=False)
    context: list[str] = field(default_factory=list, compare=False)  # verbatim: the heading or
    # sentence of the plan holding the part of the answer the sentence does not (an office)
    basis: str = field(default=PLAN)  # PLAN: asked "theo kế hoạch", the answer is the plan's
    # words; CATALOGUE: general knowledge about an item the plan only names

    @property
    def general(self) -> bool:
        return self.basis == CATALOGUE

    def source(self, source_name: str | None = None) -> str:
        """The Nguồn column: "plan: «sentence»"; for general knowledge it says first that the
        answer comes from the built-in catalogue, and the sentence is where the plan names it."""
        name = self.source_name if source_name is None else source_name
        quotes = " … ".join(f"«{q}»" for q in [*self.context, self.sentence])
        quoted = f"{name}: {quotes}" if name else quotes
        return f"{CATALOGUE_SOURCE}; kế hoạch nhắc đến tại {quoted}" if self.general else quoted

    def as_template_row(self, number: int, source_name: str | None = None) -> list:
        """A row for template.bank_workbook (HEADERS order): difficulty "Trung bình", 1 point,
        Nguồn = source() (the plan's name given at drafting, unless one is passed)."""
        choices = self.choices + [""] * (len(LETTERS) - len(self.choices))
        source = self.source(source_name)
        return (
            [number, self.code, self.text]
            + choices
            + [
                LETTERS[self.correct],
                self.explanation,
                self.topic,
                DEFAULT_DIFFICULTY.word,
                1,
                source,
                "",
                "",
            ]
        )  # Giữ thứ tự empty: set when a choice refers to others; no picture


def draft_questions(text: str, source_name: str = "") -> list["Draft"]:
    """Draft questions from a plan's text; the same text gives the same drafts in the same
    order."""
    plan = Plan(text)
    facts = (
        document_facts(plan)
        + theme_facts(plan)
        + area_facts(plan)
        + index_facts(plan)
        + target_facts(plan)
        + visual_facts(plan)
        + lead_facts(plan)
        + general_facts(plan)
    )
    drafts, seen, pieces = [], set(), None
    for fact in facts:
        if (fact.kind, fact.key) in seen or fact.sentence not in plan.folded:
            continue
        if fact.basis == PLAN and not grounded(fact.answer, fact.grounds, text):
            continue  # the answer is not the plan's own words (a catalogue fact, say)
        if fact.basis == CATALOGUE and "theo kế hoạch" in fact.question.lower():
            continue  # general knowledge is never attributed to the plan
        draft = make_draft(fact, source_name)
        if draft:
            if fact.basis == PLAN:
                pieces = sentence_index(plan) if pieces is None else pieces
                draft.context = context(draft.grounds, fact.sentence, plan, pieces)
            seen.add((fact.kind, fact.key))
            drafts.append(draft)
    return drafts


def make_draft(fact: Fact, source_name: str) -> Draft | None:
    distractors: list[str] = []
    seen = {fold(fact.answer)}
    for candidate in fact.pool:
        if fold(candidate) in seen or not candidate.strip():
            continue
        seen.add(fold(candidate))
        distractors.append(candidate)
        if len(distractors) == 3:
            break
    if len(distractors) < 3:
        return None
    position = int(digest(fact.question)[:8], 16) % 4
    choices = distractors[:position] + [fact.answer] + distractors[position:]
    salt = (fact.kind, fact.key) if fact.basis == PLAN else (fact.kind, fact.key, fact.basis)
    code = f"{PREFIX.get(fact.kind, 'KH')}-{digest(source_name, *salt)[:6].upper()}"
    return Draft(
        code=code,
        text=fact.question,
        choices=choices,
        correct=position,
        topic=fact.topic,
        sentence=fact.sentence,
        kind=fact.kind,
        explanation=fact.explanation,
        key=fact.key,
        source_name=source_name,
        grounds=list(fact.grounds) or [fact.answer],
        basis=fact.basis,
    )


def drafts_workbook(drafts: list[Draft], source_name: str = "") -> bytes:
    """The drafts as an .xlsx in the bank template layout (importable as a bank)."""
    return bank_workbook(
        [d.as_template_row(i, source_name or None) for i, d in enumerate(drafts, start=1)]
    )
