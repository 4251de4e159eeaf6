"""The page views and the JSON API are siblings over a shared layer (contest/schemas,
contest/presenters, contest/web, contest/services): a page view never reaches into the API
package, and the shared layer never reaches up into contest.views."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "contest"


def imported(path: Path) -> list[str]:
    """Every module `path` imports, as an absolute dotted name (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
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


def test_imported_resolves_relative_imports(tmp_path):
    views = ROOT / "views" / "organiser.py"
    assert "contest.schemas.bodies" in imported(views)
    assert "contest.views.api" in imported(ROOT / "views" / "__init__.py")


def test_page_views_import_nothing_from_the_api_package():
    # views/__init__.py is the one place that registers the blueprints, the API's among them
    offenders = {
        path.name: name
        for path in sorted((ROOT / "views").glob("*.py"))
        if path.name != "__init__.py"
        for name in imported(path)
        if name == "contest.views.api" or name.startswith("contest.views.api.")
    }
    assert offenders == {}


def test_schemas_and_presenters_import_nothing_from_views():
    offenders = {
        str(path.relative_to(ROOT)): name
        for folder in ("schemas", "presenters")
        for path in sorted((ROOT / folder).glob("*.py"))
        for name in imported(path)
        if name == "contest.views" or name.startswith("contest.views.")
    }
    assert offenders == {}
    assert (ROOT / "schemas" / "bodies.py").exists()
    assert len(list((ROOT / "presenters").glob("*.py"))) > 1
