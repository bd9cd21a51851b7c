"""The structure of the package: core errors speak of values, not of command-line flags."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dutyctl.errors import InputError
from dutyctl.tickets import lifecycle

PACKAGE = Path(__file__).resolve().parent.parent / "dutyctl"
MESSAGE_CALLS = {"t", "tn", "tp"}
FLAG = re.compile(r"(?<![\w-])--[a-z]")
#: A message may quote another command to run (`dutyctl settle ID --event E`, `git pull
#: --no-rebase`): that is a recipe, not a flag of the command that failed.
RECIPE = re.compile(r"\b(dutyctl|git) [a-z]")


def _core_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" not in path.relative_to(PACKAGE).parts[:1]:
            yield path


def _messages(tree):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in MESSAGE_CALLS):
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield node.lineno, argument.value


def test_core_messages_name_no_command_line_flag():
    flagged = [f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
               for path in _core_modules()
               for line, text in _messages(ast.parse(path.read_text(encoding="utf-8")))
               if FLAG.search(text) and not RECIPE.search(text)]
    assert flagged == []


def test_a_core_error_names_the_value_and_the_cli_names_its_option(cli):
    with pytest.raises(InputError) as caught:
        lifecycle.require_text("  ", "told_resident")
    assert str(caught.value) == "told-resident must not be empty"
    assert str(caught.value.naming(lambda value: f"<{value}>")) == "<told_resident> must not be empty"

    emergency = cli("emergency", "open", "--type", "elevator-entrapment", "--where", "3号楼电梯",
                    "--at", "2026-10-10 02:00").stdout.splitlines()[0]
    argument = cli("emergency", "log", emergency, " ", "--at", "2026-10-10 02:03")
    assert argument.exit_code == 2 and argument.stderr.strip() == "TEXT must not be empty"
    option = cli("emergency", "close", emergency, "--summary", " ", "--at", "2026-10-10 02:30")
    assert option.exit_code == 2 and option.stderr.strip() == "--summary must not be empty"
    repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--content", "漏水", "--at",
                 "2026-10-10 09:00").stdout.splitlines()[0]
    eta = cli("repair", "eta", repair, "--by", "2026-10-10 08:00", "--at", "2026-10-10 09:30")
    assert eta.exit_code == 2 and eta.stderr.startswith("--by 2026-10-10T08:00")  # value `eta`
