"""Only what runs is loaded: the static command table, and what a command imports.

Startup time itself is measured by benchmarks/startup.py, never here; these tests check the
structure that makes it fast (which modules a run imports) and the table's accuracy.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

from dutyctl.cli import every_command
from dutyctl.cli.commands import COMMANDS
from tests.helpers_foundation import call_flags

REGENERATE = "out of date: run `python tools/command_table.py`"

# Runs the CLI in a fresh interpreter and prints which modules the run imported.
PROBE = """
import json, sys
from dutyctl.cli import app
try:
    app(sys.argv[1:], prog_name="dutyctl")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*args: str, env: dict | None = None) -> tuple[set[str], str]:
    environment = {**os.environ, "DUTYCTL_USER": "zhangwei", **(env or {})}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=environment, stdin=subprocess.DEVNULL)
    return set(json.loads(done.stderr.splitlines()[-1])), done.stdout


def command_modules(modules: set[str]) -> set[str]:
    return {name.rsplit(".", 1)[1] for name in modules
            if name.startswith("dutyctl.cli.") and name.rsplit(".", 1)[1] in
            {module for module, _ in COMMANDS.values()}}


def test_the_command_table_matches_the_commands():
    real = every_command()
    assert list(COMMANDS) == list(real), REGENERATE
    for name, (module, command) in real.items():
        assert COMMANDS[name][0] == module, f"{name}: {REGENERATE}"
        assert COMMANDS[name][1] == inspect.cleandoc(command.help), f"{name}: {REGENERATE}"


def test_top_level_help_and_completion_import_no_command_module(workspace):
    modules, help_screen = imported_by("--help")
    assert command_modules(modules) == set()
    for name in COMMANDS:
        assert f"  {name}" in help_screen
    assert "Record what happens at the desk" in help_screen
    modules, offered = imported_by(env={"_DUTYCTL_COMPLETE": "complete_bash",
                                        "COMP_WORDS": "dutyctl r", "COMP_CWORD": "1"})
    assert command_modules(modules) == set()
    assert offered.split() == ["report", "roster", "repair"]


def test_a_command_imports_its_own_module_only(workspace):
    modules, printed = imported_by("--root", str(workspace.root), *call_flags())
    assert len(printed.strip()) == 26  # the call was filed
    assert command_modules(modules) == {"records"}
    modules, offered = imported_by(env={"_DUTYCTL_COMPLETE": "complete_bash",
                                        "COMP_WORDS": "dutyctl clock ", "COMP_CWORD": "2"})
    assert command_modules(modules) == {"desk"}
    assert set(offered.split()) >= {"in", "out", "status"}
