"""The package's modules as syntax trees, parsed once per test process: the layer, printing,
message and translation checks each walk every module, and a parse of them all costs about
half a second."""

from __future__ import annotations

import ast
import importlib.util
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dutyctl"
I18N_TOOL = PACKAGE.parent / "tools" / "i18n.py"


@lru_cache(maxsize=None)
def syntax_tree(path: Path) -> ast.Module:
    """`path`'s syntax tree (the checks only read it: one tree serves them all)."""
    return ast.parse(Path(path).read_text(encoding="utf-8"), str(path))


@lru_cache(maxsize=None)
def i18n_tool():
    """tools/i18n.py, loaded once per test process, reading the trees parsed here."""
    spec = importlib.util.spec_from_file_location("i18n_tool", I18N_TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    tool.syntax_tree = syntax_tree
    return tool


@lru_cache(maxsize=None)
def extracted():
    """The messages of the code as `tools/i18n.py update` extracts them (Babel's catalogue of
    every source file: over half a second), once per test process. Read it, never change it:
    the catalogue checks, the pseudo-locale and the Chinese shift all read this one."""
    return i18n_tool().extract()


def leaf_commands() -> list[tuple[tuple[str, ...], object]]:
    """(command path, its Click command) for every command of the app that runs something,
    groups walked through (Typer's vendored Click)."""
    import typer._click as click
    from typer.main import get_command

    from dutyctl.cli import app

    found = []

    def walk(group, path):
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            if hasattr(command, "list_commands"):
                walk(command, path + (name,))
            else:
                found.append((path + (name,), command))

    walk(get_command(app), ())
    return found
