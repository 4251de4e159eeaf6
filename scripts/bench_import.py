"""Benchmark bank imports: parse + save of a 10,000-question .xlsx and a 500-question .docx,
and time and peak memory for every file of the hostile corpus (each parsed in its own process).

Run:  .venv/bin/python scripts/bench_import.py            (SQLite in a temporary folder)
      DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python scripts/bench_import.py
The 10,000-question file is also imported BENCH_RUNS times (5) in turn with a bare openpyxl
read-only read of it, and the ratio printed (`--ratio`: that alone). Figures are recorded in docs/performance.md.
"""

import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def xlsx_bank(n: int) -> bytes:
    from conftest import BANK_HEADERS_WITH_CODE
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Câu hỏi")
    ws.append(BANK_HEADERS_WITH_CODE)
    for i in range(1, n + 1):
        ws.append(
            [
                i,
                f"Q{i:05d}",
                f"Theo kế hoạch, nhiệm vụ cải cách hành chính số {i} là gì?",
                f"Phương án thứ nhất {i}",
                f"Phương án thứ hai {i}",
                f"Phương án ba {i}",
                f"Phương án bốn {i}",
                "ABCD"[i % 4],
                "Vì đó là nội dung của kế hoạch.",
                f"Chủ đề {i % 6}",
                ("Dễ", "Trung bình", "Khó")[i % 3],
                1,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx_bank(n: int) -> bytes:
    import docx

    document = docx.Document()
    for i in range(1, n + 1):
        document.add_paragraph(f"Câu {i}: Văn bản nào quy định nhiệm vụ cải cách số {i}?")
        for letter in "ABCD":
            paragraph = document.add_paragraph()
            run = paragraph.add_run(f"{letter}. Phương án {letter} của câu {i}")
            run.bold = letter == "ABCD"[i % 4]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def timed_import(app, filename: str, data: bytes, who: str = "bench") -> tuple[float, int]:
    from contest.extensions import db
    from contest.services.accounts import upsert_organiser
    from contest.services.banks import import_bank, question_count
    from contest.timing import utcnow

    with app.app_context():
        organiser = upsert_organiser(f"{who}@example.vn", "bench-password", "Bench", None)
        began = time.perf_counter()
        bank = import_bank(organiser, filename, filename, data, utcnow())
        db.session.commit()
        elapsed = time.perf_counter() - began
        return elapsed, question_count(bank.id)


def bare_read(data: bytes) -> float:
    """openpyxl's read-only read of every row's values, nothing else: the yardstick."""
    from openpyxl import load_workbook

    began = time.perf_counter()
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    return time.perf_counter() - began


def against_bare_read(app, data: bytes, runs: int) -> None:
    """Parse + save and the bare read taken in turn, `runs` times each (the machine is shared:
    what runs beside slows both alike), each import by its own organiser."""
    imports, bares, ratios = [], [], []
    for run in range(runs):
        bares.append(bare_read(data))
        imports.append(timed_import(app, "bench.xlsx", data, f"bench{run}")[0])
        ratios.append(imports[-1] / bares[-1])
    for name, values in (("parse + save", imports), ("bare openpyxl read-only read", bares)):
        print(f"  {name}: min {min(values):.2f} s, median {statistics.median(values):.2f} s")
    print(
        f"  parse + save ÷ bare read, {runs} interleaved runs: min "
        f"{min(imports) / min(bares):.2f} (of the minima), median of the runs' ratios "
        f"{statistics.median(ratios):.2f}"
    )


def make_app(folder: str):
    from flask_migrate import upgrade

    from contest import create_app

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
    return app


CHILD = """
import json, re, sys, time
sys.path[:0] = {paths!r}
from question_bank.importer import parse_upload
data = open({path!r}, "rb").read()
began = time.perf_counter()
result = parse_upload({filename!r}, data)
elapsed = time.perf_counter() - began
print(json.dumps({{"seconds": elapsed, "errors": len(result.errors),
                  "questions": len(result.questions),
                  "peak_mb": int(re.search(r"VmHWM:\\s+(\\d+)",
                                           open("/proc/self/status").read()).group(1)) / 1024}}))
"""


def hostile_figures() -> list[dict]:
    """Each file is written by this process and parsed by a fresh one, whose peak resident
    memory (VmHWM: interpreter and libraries included; ru_maxrss would carry over this
    process's own peak through fork) is the parse's alone."""
    from hostile_corpus import corpus

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, filename, data, _status in corpus():
            path = Path(folder) / "upload.bin"
            path.write_bytes(data)
            code = CHILD.format(paths=[str(ROOT)], path=str(path), filename=filename)
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            rows.append(
                json.loads(out.stdout.strip().splitlines()[-1])
                | {"label": label, "size": len(data)}
            )
    return rows


def main() -> None:
    print(
        f"# {time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · "
        f"{'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}"
    )
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        data = xlsx_bank(10_000)
        seconds, count = timed_import(app, "bench.xlsx", data)
        print(f"10,000-question .xlsx ({len(data) / 1e6:.1f} MB): {seconds:.2f} s, {count} saved")
        against_bare_read(app, data, int(os.environ.get("BENCH_RUNS", "5")))
        if "--ratio" in sys.argv:  # the ratio alone
            return
        data = docx_bank(500)
        seconds, count = timed_import(app, "bench.docx", data)
        print(f"500-question .docx ({len(data) / 1e3:.0f} kB): {seconds:.2f} s, {count} saved")
    print(
        f"peak memory of this process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    print("\n| file | size | answer | seconds | peak MB |\n|---|---|---|---|---|")
    for row in hostile_figures():
        answer = f"{row['errors']} error(s)" if row["errors"] else f"{row['questions']} questions"
        print(
            f"| {row['label']} | {row['size'] / 1e3:,.0f} kB | {answer} | "
            f"{row['seconds']:.2f} | {row['peak_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
