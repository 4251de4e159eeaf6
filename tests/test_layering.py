"""question_bank is a library: it imports nothing from contest, at module level or inside a
function, so the parsers, drafting and the template can be used (and tested) without the app.
Models and persistence live in contest/ (contest/models/banks.py, contest/services/bank_store.py)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "question_bank"


def _is_contest(module: str) -> bool:
    return module == "contest" or module.startswith("contest.")


def contest_imports(source: str, package_depth: int = 1) -> list[int]:
    """Line numbers of every import of `contest` in the source, wherever it stands; a relative
    import that climbs out of question_bank (`package_depth` levels deep) counts too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            if any(_is_contest(alias.name) for alias in node.names):
                found.append(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            absolute = node.level == 0 and _is_contest(node.module or "")
            if absolute or node.level > package_depth:
                found.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) in ("__import__", "importlib.import_module", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _is_contest(node.args[0].value)
        ):
            found.append(node.lineno)
    return found


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("import contest\n", [1]),
        ("import os, contest.models as m\n", [1]),
        ("from contest.extensions import db\n", [1]),
        ("from contest import models\n", [1]),
        ("def f():\n    from contest.models import AttemptQuestion\n", [2]),
        ("class C:\n    def m(self):\n        import contest.timing\n", [3]),
        ("import importlib\nm = importlib.import_module('contest.models')\n", [2]),
        ("from .. import contest\n", [1]),
        ("import contestant\nfrom contest_tools import x\n", []),
        ("from .models import Bank\nfrom . import contest\n", []),
        ("x = 'contest'\n", []),
    ],
)
def test_the_check_finds_every_form_of_import(source, lines):
    assert contest_imports(source) == lines


def test_question_bank_imports_nothing_from_contest():
    modules = sorted(LIBRARY.rglob("*.py"))
    assert len(modules) > 20  # the walk sees the library, drafting included
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in modules
        for line in contest_imports(
            path.read_text(encoding="utf-8"), len(path.relative_to(LIBRARY).parts)
        )
    ]
    assert found == []


def test_importing_every_question_bank_module_loads_no_contest_module():
    code = (
        "import importlib, pkgutil, sys, question_bank\n"
        "for m in pkgutil.walk_packages(question_bank.__path__, 'question_bank.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'contest' or n.startswith('contest.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert out.stdout.strip() == "[]"


# Page views and the JSON API are siblings over a shared layer (contest/schemas,
# contest/presenters, contest/web, contest/services): a page view never reaches into the API
# package, and the shared layer never reaches up into contest.views.
APP = ROOT / "contest"


def imported(path: Path) -> list[str]:
    """Every module `path` imports, as an absolute dotted name (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def test_imported_resolves_relative_imports():
    views = APP / "views" / "organiser.py"
    assert "contest.schemas.bodies" in imported(views)
    assert "contest.views.api" in imported(APP / "views" / "__init__.py")


def test_page_views_import_nothing_from_the_api_package():
    # views/__init__.py is the one place that registers the blueprints, the API's among them
    offenders = {
        path.name: name
        for path in sorted((APP / "views").glob("*.py"))
        if path.name != "__init__.py"
        for name in imported(path)
        if name == "contest.views.api" or name.startswith("contest.views.api.")
    }
    assert offenders == {}


def test_schemas_and_presenters_import_nothing_from_views():
    offenders = {
        str(path.relative_to(APP)): name
        for folder in ("schemas", "presenters")
        for path in sorted((APP / folder).glob("*.py"))
        for name in imported(path)
        if name == "contest.views" or name.startswith("contest.views.")
    }
    assert offenders == {}
    assert (APP / "schemas" / "bodies.py").exists()
    assert len(list((APP / "presenters").glob("*.py"))) > 1
