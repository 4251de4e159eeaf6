"""Drafts per plan on the plans the drafter was not built on (tests/data/unseen_plans):
drafts asked from the plan (basis "plan") and general-knowledge drafts from the catalogue (basis
"catalogue") counted apart; whether every plan draft's answer is the plan's own words, and
whether every "theo kế hoạch" stem is answerable from what is quoted with it.

Run:  .venv/bin/python scripts/drafting_report.py [--plans DIR] [--show]
      --show prints every draft: question, answer and the plan's sentence.
It uses only the public interface (read_plan, draft_questions), so it also measures an older
engine: run it from another checkout with PYTHONPATH pointing there (how the "before" column of
docs/drafting-unseen.md was taken, at commit b2b8d38).
Figures are recorded in docs/drafting-unseen.md.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "tests" / "data" / "unseen_plans"
TUNED = {"hung_thinh_2025.txt"}  # the one the changes were made on; the others held out


def plain(text: str) -> str:
    """Lower case, no diacritics, dates in one form, UBND/HĐND written out, letters and digits
    only (an independent check, not the engine's own normaliser)."""
    import unicodedata

    text = unicodedata.normalize("NFC", text).replace("UBND", "Ủy ban nhân dân")
    text = text.replace("HĐND", "Hội đồng nhân dân").replace("Uỷ", "Ủy")
    day = r"(\d{1,2})(?:\s*/\s*|\s+tháng\s+)(\d{1,2})(?:\s*/\s*|\s+năm\s+)(\d{4})"
    text = re.sub(day, lambda m: "d{}m{}y{}".format(*(int(g) for g in m.groups())), text)
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower()
    )


def rows(folder: Path = PLANS, show: bool = False) -> list[str]:
    """The table's lines: one per plan, then the total."""
    from question_bank.drafting import draft_questions, read_plan

    out = [
        (
            "| plan | role | characters | from the plan | answer verbatim in the plan | "
            '"theo kế hoạch" answered by the quote | general knowledge |'
        ),
        "|---|---|---|---|---|---|---|",
    ]
    total = general_total = 0
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".docx", ".pdf")):
        text = read_plan(path.name, path.read_bytes())
        drafts = draft_questions(text, path.name)
        own = [d for d in drafts if getattr(d, "basis", "plan") == "plan"]
        general = len(drafts) - len(own)
        total, general_total = total + len(own), general_total + general
        verbatim = sum(plain(d.choices[d.correct]) in plain(text) for d in own)
        said = [d for d in drafts if "theo kế hoạch" in d.text.lower()]
        quoted = sum(
            all(
                plain(g) in plain(" ".join([*getattr(d, "context", []), d.sentence]))
                for g in getattr(d, "grounds", None) or [d.choices[d.correct]]
            )
            for d in said
        )  # each piece of the answer (an issuer is two) is quoted
        role = ("tuned on" if path.name in TUNED else "held out") if folder == PLANS else "built on"
        out.append(
            f"| {path.name} | {role} | {len(text):,} | {len(own)} | {verbatim} | "
            f"{quoted} of {len(said)} | {general} |"
        )
        if show:
            out += [
                f"|   | {d.kind} | {d.text} | {d.choices[d.correct]} | «{d.sentence}» |"
                for d in drafts
            ]
    out.append(f"| all | | | {total} | | | {general_total} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=Path, default=PLANS)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    print("\n".join(rows(args.plans.resolve(), args.show)))
    return 0


if __name__ == "__main__":
    sys.path.append(str(ROOT))  # after PYTHONPATH, so another checkout can be measured
    sys.exit(main())
