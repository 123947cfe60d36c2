"""The code stays findable: small modules that say what they are for, the architecture checked."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Migrations are generated from a template and say what they change in their own header.
MODULES = sorted(p for package in ("bot", "storage") for p in (ROOT / package).rglob("*.py")
                 if "migrations" not in p.relative_to(ROOT).parts)
DEVTOOLS = sorted((ROOT / "devtools").rglob("*.py"))  # shared by tests and benchmarks: short and purposeful too
TESTS = sorted((ROOT / "tests").rglob("*.py"))
MAX_METHODS = 20
# Classes still over the limit, each with the reason it is not split here.
TOO_MANY_METHODS: dict[str, str] = {}  # "path::Class": why it may have more, for now


@pytest.mark.parametrize("path", MODULES + DEVTOOLS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_is_short_and_opens_with_its_purpose(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) < 400, "split it: a module has one job"
    docstring = ast.get_docstring(ast.parse(source)) or ""
    lines = docstring.splitlines()
    assert lines and lines[0].strip(), "open the module with its purpose"
    assert len(lines) == 1 or not lines[1].strip(), "say the purpose in the first line, then a blank line"


def classes(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_class_has_more_than_twenty_methods(path):
    for cls in classes(path):
        name = f"{path.relative_to(ROOT).as_posix()}::{cls.name}"
        count = sum(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) for node in cls.body)
        if name in TOO_MANY_METHODS:
            assert count > MAX_METHODS, f"{name} has {count} methods now: take it off TOO_MANY_METHODS"
            continue
        assert count <= MAX_METHODS, f"{name} has {count} methods (properties count too): split it"


def imported_test_modules(tree: ast.Module) -> list[str]:
    """The test modules (`tests.test_*`) an import of the module names, however it is spelled."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("tests.test_")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if (node.level == 0 and module.startswith("tests.test_")) or (node.level and module.startswith("test_")):
                found.append(module)
            elif (node.level == 0 and module == "tests") or (node.level and not module):
                found += [f"tests.{a.name}" for a in node.names if a.name.startswith("test_")]
    return found


@pytest.mark.parametrize("path", TESTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_test_module_imports_another(path):
    imported = imported_test_modules(ast.parse(path.read_text(encoding="utf-8")))
    assert not imported, f"shared fixtures go to tests/conftest.py, shared helpers to devtools/: {imported}"


def test_the_engine_itself_only_wires_an_input_to_its_feature():
    assert len((ROOT / "bot" / "engine" / "engine.py").read_text(encoding="utf-8").splitlines()) < 250


def test_the_import_contracts_hold():
    command = shutil.which("lint-imports")
    assert command, "import-linter is a test dependency"
    result = subprocess.run([command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
