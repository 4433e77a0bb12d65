"""A message is translated when it is shown, not when its module is imported: a text built with the eager
`gettext` outside a function is frozen in the language active at import (English), and every user then reads it
in English. Such texts are declared with `gettext_lazy`."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "migrations", "tests", "bench", "node_modules"}
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_calls_outside_functions(source: str) -> list[int]:
    tree = ast.parse(source)
    names = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
             for alias in node.names if alias.name in EAGER}
    found: list[int] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if (not inside and isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                    and child.func.id in names):
                found.append(child.lineno)
            visit(child, inside)

    if names:
        visit(tree, False)
    return found


def test_no_text_is_translated_at_import():
    frozen = [f"{path.relative_to(ROOT)}:{line}" for path in sorted(ROOT.rglob("*.py"))
              if not SKIPPED & set(path.relative_to(ROOT).parts)
              for line in _eager_calls_outside_functions(path.read_text(encoding="utf-8"))]
    assert frozen == [], "use gettext_lazy for texts declared outside a function: " + ", ".join(frozen)


def test_the_checker_finds_a_text_frozen_at_import():
    source = "from django.utils.translation import gettext as _\nWORDS = {1: _('Hello')}\ndef f():\n    return _('x')\n"
    assert _eager_calls_outside_functions(source) == [2]
