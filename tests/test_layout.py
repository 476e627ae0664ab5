"""The layout rules of DESIGN ("Layout: one room per capability") that a tool does not check already.

import-linter checks the import direction and cycles (``make test``, contracts in
pyproject.toml); ruff checks complexity. These tests check the rest.
"""

import ast
from pathlib import Path

from initiatives.casefiles import check
from initiatives.models import Actor, Initiative, Involvement

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 450


def python_files(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_outgrows_one_room():
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in python_files("crpv_site", "territories", "initiatives")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_imports_inside_functions_say_why():
    silent = []
    for path in python_files("initiatives"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Import | ast.ImportFrom) and "#" not in lines[sub.lineno - 1]:
                        silent.append(f"{path.relative_to(ROOT)}:{sub.lineno}")
    assert silent == []


def test_territories_import_nothing_of_initiatives():
    imports = []
    for path in python_files("territories"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "initiatives":
                imports.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "initiatives" for a in node.names):
                imports.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert imports == []


def test_the_case_file_checker_knows_the_models_values():
    """The checker is pure Python (editors run it without Django): its lists must equal the models'."""
    assert set(Initiative.DocumentationLevel.values) == check.DOCUMENTATION_LEVELS
    assert set(Initiative.Setting.values) == check.SETTINGS
    assert set(Actor.Kind.values) == check.KINDS
    assert set(Actor.Category.values) == check.CATEGORIES
    assert set(Involvement.Role.values) == check.ROLES
    assert [field for field, _ in Initiative.SECTIONS] == check.SECTIONS
    assert [field for field, _ in Initiative.FACTS] == check.FACTS
    assert set(check.PRECISIONS) == set(Initiative.Precision.values)
    assert {check.PRECISION_OF_KIND[k] for k in check.PRECISION_OF_KIND} <= set(Initiative.Precision.values)
