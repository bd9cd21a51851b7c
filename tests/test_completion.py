"""Shell completion of option values (TAB after --staff, --category, --type, --format, an id)
through the installed `dutyctl`, as the shell's completion script calls it."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import run_dutyctl
from tests.helpers_foundation import call_flags


def tab(dutyctl_command, root, line: str, cwd=None) -> list[str]:
    """What bash is offered for `dutyctl --root ROOT <line>` (the cursor at its end)."""
    words = ["dutyctl", "--root", str(root), *line.split()]
    if line.endswith(" "):
        words.append("")
    env = {**os.environ, "_DUTYCTL_COMPLETE": "complete_bash",
           "COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}
    done = subprocess.run(dutyctl_command, capture_output=True, text=True, env=env, cwd=cwd,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("line, offered", [
    ("log call --staff ", ["zhangwei", "lina", "wangqiang", "liuyang", "chenjing", "zhaolei",
                           "sunli", "gaofeng"]),
    ("handover --to l", ["lina", "liuyang"]),
    ("log call --staff 李", ["lina"]),  # a name typed: its id is offered
    ("log call --category f", ["fee"]),
    ("complaint file --category f", ["fees"]),
    ("repair file --category e", ["elevator"]),
    ("emergency open --type ", ["water-outage", "power-outage", "fire", "elevator-entrapment",
                                "gas-leak"]),
    ("complaint transfer X --to w", ["water-company"]),
    ("list --format ", ["table", "json", "yaml", "csv", "xlsx"]),
    ("report daily --format ", ["text", "markdown", "json", "html"]),
])
def test_option_values_come_from_the_workspace(workspace, dutyctl_command, line, offered):
    assert tab(dutyctl_command, workspace.root, line) == offered


def test_record_ids_offered_are_the_open_ones_of_the_commands_kind(workspace, dutyctl_command):
    root = workspace.root
    answered = run_dutyctl(dutyctl_command, *call_flags(), root=root).stdout.strip()
    filed = run_dutyctl(dutyctl_command, *call_flags("李四", "5-1-1202", "13900001111", "水管漏了",
                                                     "--category", "repair", "--file-ticket"),
                        root=root).stdout.split()
    assert len(filed) == 2  # the call and its repair
    repair = filed[1]
    assert tab(dutyctl_command, root, "repair done ") == [repair]
    assert answered not in tab(dutyctl_command, root, "show ")  # answered: not open
    assert tab(dutyctl_command, root, f"repair done {repair[:8]}") == [repair]


def test_outside_a_workspace_nothing_is_offered_and_nothing_fails(tmp_path, dutyctl_command):
    assert tab(dutyctl_command, tmp_path / "nowhere", "log call --staff ") == []


# The same program without the launcher, asked every line in one process (a Python start
# and Typer's import once, not per line): (stdout, exit code) for each line's environment.
CLI_ONLY = """\
import contextlib, io, json, os, sys
from dutyctl.cli import main
answers = []
for env in json.load(sys.stdin):
    os.environ.update(env)
    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit as exc:
            code = exc.code or 0
    answers.append((out.getvalue(), code))
print(json.dumps(answers))
"""

LINES = ["log call --staff ", "log call --staff 李", "log call --category f", "log call "
         "--name 张三 --room 3-2-501 --category ", "log call --at 9:00 --urgency ",
         "complaint file --category f", "repair file --urgency ", "emergency open --type ",
         "complaint transfer X --to w", "list --format ", "list -f ", "list --kind c",
         "report daily --format ", "repair done ", "show ", "show 01", "callback done ",
         "handover --to l", "list --open --format c", "who --at 9:00 ", "clock in --staff z"]


def completion_env(root, shell: str, line: str) -> dict:
    """What `shell`'s completion script sets for a TAB at the end of `dutyctl --root ROOT line`."""
    words = ["dutyctl", "--root", str(root), *line.split()]
    return {"_DUTYCTL_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": " ".join(words) + (" " if line.endswith(" ") else ""),
            "COMP_WORDS": " ".join(words + ([""] if line.endswith(" ") else [])),
            "COMP_CWORD": str(len(words) - (0 if line.endswith(" ") else 1))}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_launcher_answers_as_the_cli_would(workspace, dutyctl_command, shell):
    """Every TAB the launcher answers itself gives exactly the CLI's (Typer's) answer."""
    import json
    import sys

    root = workspace.root
    run_dutyctl(dutyctl_command, *call_flags("李四", "5-1-1202", "13900001111", "水管漏了",
                                             "--category", "repair", "--file-ticket"), root=root)
    envs = [completion_env(root, shell, line) for line in LINES]
    cli = subprocess.run([sys.executable, "-c", CLI_ONLY], input=json.dumps(envs),
                         capture_output=True, text=True, check=True)
    answers = json.loads(cli.stdout)
    assert sum(bool(stdout.strip()) for stdout, _ in answers) >= 15  # the CLI did answer
    for line, env, (stdout, code) in zip(LINES, envs, answers, strict=True):
        launched = subprocess.run(dutyctl_command, capture_output=True, text=True,
                                  env={**os.environ, **env}, stdin=subprocess.DEVNULL)
        assert (launched.stdout, launched.returncode) == (stdout, code), line


def test_offered_text_from_another_desk_reaches_the_terminal_escaped(workspace, monkeypatch):
    from dutyctl import lookups

    monkeypatch.setitem(lookups.LOOKUPS, "open_records", lambda words, ws: [
        ("01ABC", "repair \x1b[2J漏水"), ("01BAD\x1b[2J", "repair 好")])
    offered = lookups.offered("open_records", [], str(workspace.root), "")
    assert offered == [("01ABC", "repair ␛[2J漏水")]  # the escape shown, never sent
