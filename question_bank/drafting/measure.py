"""Recount the drafter's quality on the plans from the reviewer's judgments.

    python -m question_bank.drafting.measure                 # figures per plan, as in the docs
    python -m question_bank.drafting.measure --pending out.json
        # every current draft with the verdict already given to it (same plan, code and
        # text), "pending" where the draft is new or changed: the file to review next

The judgments (tests/data/drafting/judgments.json) hold one entry per draft: plan, code, text,
correct_choice, verdict ("ok", "wrong" or "ambiguous") and a note. A judgment counts only
while the drafter still produces that exact draft; a change to the engine that alters a draft
leaves it unjudged until someone reviews it again.
"""

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .common import CATALOGUE, PLAN
from .engine import Draft, draft_questions
from .reading import read_plan

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT.parent / "shared" / "plans"
JUDGMENTS = ROOT / "tests" / "data" / "drafting" / "judgments.json"
VERDICTS = ("ok", "wrong", "ambiguous")


@dataclass
class Figures:
    plan: str
    drafts: int = 0
    ok: int = 0
    wrong: int = 0
    ambiguous: int = 0
    unjudged: list[Draft] = field(default_factory=list)

    @property
    def share(self) -> float:
        judged = self.ok + self.wrong + self.ambiguous
        return self.ok / judged if judged else 0.0

    def row(self) -> str:
        share = f"{self.share:.1%}" if self.ok + self.wrong + self.ambiguous else "—"
        return (
            f"| {self.plan} | {self.drafts} | {self.ok} | {self.wrong} | {self.ambiguous} | "
            f"{share} |"
        )


def plan_files(folder: Path = PLANS) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in (".txt", ".docx", ".pdf"))


def drafts_of(path: Path) -> list[Draft]:
    return draft_questions(read_plan(path.name, path.read_bytes()), path.name)


def load_judgments(path: Path = JUDGMENTS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def judgment_key(plan: str, code: str, text: str, correct: str) -> tuple[str, str, str, str]:
    return plan, code, text, correct


def count(
    folder: Path = PLANS, judgments: list[dict] | None = None, basis: str = PLAN
) -> list[Figures]:
    """Figures per plan: drafts of that basis now produced (PLAN: asked "theo kế hoạch";
    CATALOGUE: general knowledge), and the verdicts of those judged as they are."""
    judgments = load_judgments() if judgments is None else judgments
    verdicts = {
        judgment_key(j["plan"], j["code"], j["text"], j["correct_choice"]): j["verdict"]
        for j in judgments
    }
    out = []
    for path in plan_files(folder):
        figures = Figures(path.name)
        for draft in drafts_of(path):
            if draft.basis != basis:
                continue
            figures.drafts += 1
            verdict = verdicts.get(
                judgment_key(path.name, draft.code, draft.text, draft.choices[draft.correct])
            )
            if verdict in VERDICTS:
                setattr(figures, verdict, getattr(figures, verdict) + 1)
            else:
                figures.unjudged.append(draft)
        out.append(figures)
    return out


def total(figures: list[Figures]) -> Figures:
    whole = Figures("all plans")
    for f in figures:
        whole.drafts += f.drafts
        whole.ok += f.ok
        whole.wrong += f.wrong
        whole.ambiguous += f.ambiguous
        whole.unjudged += f.unjudged
    return whole


def pending(folder: Path = PLANS, judgments: list[dict] | None = None) -> list[dict]:
    """Every current draft as a judgment entry, keeping the verdicts already given."""
    judgments = load_judgments() if judgments is None else judgments
    given = {
        judgment_key(j["plan"], j["code"], j["text"], j["correct_choice"]): j for j in judgments
    }
    out = []
    for path in plan_files(folder):
        for d in drafts_of(path):
            correct = d.choices[d.correct]
            old = given.get(judgment_key(path.name, d.code, d.text, correct))
            out.append(
                {
                    "plan": path.name,
                    "code": d.code,
                    "kind": d.kind,
                    "basis": d.basis,
                    "text": d.text,
                    "choices": d.choices,
                    "correct_choice": correct,
                    "sentence": d.sentence,
                    "verdict": old["verdict"] if old else "pending",
                    "note": old["note"] if old else "",
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=Path, default=PLANS)
    parser.add_argument("--pending", type=Path, help="write the file to review to this path")
    args = parser.parse_args(argv)
    if args.pending:
        entries = pending(args.plans)
        args.pending.write_text(
            json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        waiting = sum(e["verdict"] == "pending" for e in entries)
        print(f"{len(entries)} drafts written to {args.pending}, {waiting} to review")
        return 0
    missing = []
    for basis, title in ((PLAN, "Asked from the plan"), (CATALOGUE, "General knowledge")):
        figures = count(args.plans, basis=basis)
        print(f"{title}:\n| plan | drafts | ok | wrong | ambiguous | ok share |")
        print("|---|---|---|---|---|---|")
        for f in [*figures, total(figures)]:
            print(f.row())
        missing += total(figures).unjudged
    if missing:
        print(
            f"\n{len(missing)} drafts have no judgment (new or changed): run with --pending",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
