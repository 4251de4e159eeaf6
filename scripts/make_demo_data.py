"""Write contest/demo_data/demo_bank.xlsx and demo_units.xlsx from the JSON sources beside them.

Run: .venv/bin/python scripts/make_demo_data.py
The .xlsx files are committed; the demo loads them through the organiser's import code.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contest.services.units import units_workbook
from question_bank.template import bank_workbook

DATA = ROOT / "contest" / "demo_data"
PLANS = {
    "000_43fde0b385ab0025.txt": "Kế hoạch tuyên truyền CCHC năm 2024, UBND thị xã Cửa Lò",
    "002_c5f9dfa9abf52f21.txt": "Kế hoạch tuyên truyền CCHC năm 2024, UBND thành phố Hồng Ngự",
    "004_bfe3f4b9895b51df.txt": "Kế hoạch tuyên truyền CCHC năm 2022, UBND thành phố Chí Linh",
}


def bank_rows(questions: list[dict]) -> list[list]:
    rows = []
    for number, q in enumerate(questions, 1):
        choices = q["choices"] + [""] * (8 - len(q["choices"]))
        source = f"{PLANS[q['plan']]} ({q['plan']}): «{q['sentence']}»"
        rows.append(
            [
                number,
                q["code"],
                q["text"],
                *choices,
                q["correct"],
                q["explanation"],
                q["topic"],
                q["difficulty"],
                q["points"],
                source,
            ]
        )
    return rows


def main() -> None:
    questions = json.loads((DATA / "questions.json").read_text(encoding="utf-8"))
    units = json.loads((DATA / "units.json").read_text(encoding="utf-8"))
    (DATA / "demo_bank.xlsx").write_bytes(bank_workbook(bank_rows(questions)))
    (DATA / "demo_units.xlsx").write_bytes(
        units_workbook(
            [
                [
                    u["code"],
                    u["name"],
                    u["parent_code"] or "",
                    u["headcount"],
                    "x" if u.get("selectable") else "",
                ]
                for u in units
            ]
        )
    )
    print(f"{len(questions)} câu hỏi, {len(units)} đơn vị -> {DATA}")


if __name__ == "__main__":
    main()
