"""Reading and drafting a plan in a child process, bounded in time and memory.

A plan is hostile input: however carefully `read_plan` budgets what it reads, parsing libraries
(pypdf, lxml) can still spend seconds of CPU or much memory on a crafted file. So the web
request hands the file to a fresh interpreter that lowers its own priority (nice 10, so answer
saves keep the CPU), caps its address space and CPU time, and is killed at the wall-clock
limit. The request waits for it without holding any lock; the result comes back as JSON.

    drafts = draft_isolated("ke-hoach.pdf", data)   # list[Draft]; PlanUnreadable on refusal

Run as `python -m question_bank.drafting.isolated` it is the child: the request on stdin
(a JSON header line, then the file's bytes), the answer on stdout.
"""

import dataclasses
import json
import os
import subprocess
import sys

from ..i18n import _l
from .engine import Draft
from .reading import PlanUnreadable

WALL_S = 45  # the upload is answered within a minute, refusal included
CPU_S = 40
MEMORY = 1536 * 1024 * 1024  # address space of the child


def draft_isolated(filename: str, data: bytes, timeout: float = WALL_S) -> list[Draft]:
    header = json.dumps({"filename": filename}).encode() + b"\n"
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "PYTHONPATH")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__],
            input=header + data,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PlanUnreadable(
            _l(
                "Đọc tệp kế hoạch quá lâu (hơn %(s)d giây): tệp quá dài hoặc "
                "có cấu trúc bất thường. Hãy tải lên tệp .docx hoặc .txt chỉ "
                "gồm nội dung kế hoạch.",
                s=int(timeout),
            )
        ) from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):  # killed (memory, CPU) or crashed
        raise PlanUnreadable(
            _l(
                "Không đọc được tệp kế hoạch: tệp cần quá nhiều bộ nhớ hoặc "
                "thời gian để đọc. Hãy tải lên tệp .docx hoặc .txt chỉ gồm nội "
                "dung kế hoạch."
            )
        )
    if "error" in answer:
        raise PlanUnreadable(answer["error"])
    return [Draft(**fields) for fields in answer["drafts"]]


def _limit_self() -> None:
    import resource

    os.nice(10)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_S, CPU_S + 1))


def _child() -> None:
    _limit_self()
    raw = sys.stdin.buffer.read()
    header, _, data = raw.partition(b"\n")
    filename = json.loads(header)["filename"]
    from . import draft_questions, read_plan

    try:
        drafts = draft_questions(read_plan(filename, data), filename)
        answer = {"drafts": [dataclasses.asdict(d) for d in drafts]}
    except PlanUnreadable as refused:
        answer = {"error": refused.message}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    _child()
