"""No module in contest/, question_bank/ or scripts/ grows past 400 lines: a newcomer reads one in
a sitting."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400
FOLDERS = ("contest", "question_bank", "scripts")


def too_long(root: Path) -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                found.append(f"{path.relative_to(root).as_posix()}: {lines} lines")
    return found


def test_no_module_over_400_lines():
    assert too_long(ROOT) == []


def test_check_sees_a_long_module(tmp_path):
    (tmp_path / "contest" / "views").mkdir(parents=True)
    (tmp_path / "question_bank" / "drafting").mkdir(parents=True)
    (tmp_path / "scripts" / "load").mkdir(parents=True)
    (tmp_path / "scripts" / "load" / "run.py").write_text("x = 1\n" * (LIMIT + 1))
    (tmp_path / "contest" / "views" / "big.py").write_text("x = 1\n" * (LIMIT + 1))
    (tmp_path / "contest" / "ok.py").write_text("x = 1\n" * LIMIT)
    (tmp_path / "question_bank" / "drafting" / "long.py").write_text("x = 1\n" * 430)
    (tmp_path / "elsewhere.py").write_text("x = 1\n" * 500)  # outside the three folders
    assert too_long(tmp_path) == [
        "contest/views/big.py: 401 lines",
        "question_bank/drafting/long.py: 430 lines",
        "scripts/load/run.py: 401 lines",
    ]
