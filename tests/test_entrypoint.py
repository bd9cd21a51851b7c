"""A command run in a fork through the console script's entry point (tests/entrypoint.py, how
the manual tests run the manuals' lines) says what the installed `dutyctl` says: the same exit
code, stdout and stderr, and the same files written, byte for byte, record ids aside (new
ones each run). Only lines that name every time are compared: a run a second later is the
same run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import run_dutyctl
from tests.entrypoint import forking_shell, run_forked
from tests.test_readme import BLOCKS, manual_environment, run_steps, workspace_copy
from tests.test_readme_zh import manual_steps

pytestmark = pytest.mark.skipif(not forking_shell(), reason="forks only where /proc shows fds")

ID = re.compile(r"\b01[0-9A-HJKMNP-TV-Z]{10,24}\b")  # a record id, or the 12 shown of it


def same_run(text: str) -> str:
    return ID.sub("<id>", text)


def files_of(site: Path) -> list[tuple[str, bytes]]:
    """Every file under site but the caches (.dutyctl), ids in names and contents aside."""
    return sorted((same_run(str(path.relative_to(site))),
                   same_run(path.read_text(encoding="utf-8", errors="surrogateescape")))
                  for path in site.rglob("*")
                  if path.is_file() and ".dutyctl" not in path.relative_to(site).parts)


def readme_block(first: str) -> list[dict]:
    """The README.md block whose first command line starts with `first` (by its content: an
    edit above it moves its line number)."""
    return next(found for _, found in BLOCKS if found[0]["line"].startswith(first))


def manual_block(first: str) -> list[dict]:
    """README.zh-CN.md's block whose first command line starts with `first`."""
    steps = manual_steps()
    start = next(step["block"] for step in steps if step["line"].startswith(first))
    return [step for step in steps if step["block"] == start]


@pytest.mark.parametrize("found, env", [
    # clock in/out: on time, late, not rostered, left early (stderr), a handover, json
    (readme_block("dutyctl clock in  --staff zhaolei"), {"DUTYCTL_LANG": "en"}),
    # a repair's steps in Chinese (site.language), its id kept from `$(...)`, names typed
    (manual_block("REPAIR=$(dutyctl repair file"), {"DUTYCTL_USER": "chenjing"}),
], ids=["README.md:clock-in", "README.zh-CN.md:repair"])
def test_a_manual_block_runs_forked_as_through_the_installed_program(tmp_path, found, env):
    seen = {}
    for forked in (True, False):
        scratch = tmp_path / ("forked" if forked else "installed")
        site = scratch / "site"
        scratch.mkdir()
        workspace_copy(site, examples=False)
        ran = run_steps(found, site, scratch, manual_environment(**env), forked=forked)
        seen[forked] = ([tuple(same_run(str(part)) for part in step) for step in ran],
                        files_of(site))
    assert seen[True] == seen[False]
    assert len(seen[True][1]) > len(files_of_bundled_workspace(tmp_path))  # records written


def files_of_bundled_workspace(tmp_path: Path) -> list:
    site = tmp_path / "bundled"
    workspace_copy(site, examples=False)
    return files_of(site)


# lines the manuals show less of: help, refusals, the quick `log call` path refusing, a prompt
# with no terminal, the language asked for on the line, a completion request
LINES = [
    (["--help"], {}),
    (["log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "123", "--summary", "问",
      "--at", "2026-10-12 09:00"], {}),
    (["log", "call", "--name", "张三", "--at", "2026-10-12 09:00"], {"DUTYCTL_LANG": "en"}),
    (["--lang", "en", "clock", "in", "--at", "2026-10-12 25:00"], {}),
    (["complaint", "frobnicate"], {}),
    ([], {"_DUTYCTL_COMPLETE": "complete_bash", "COMP_WORDS": "dutyctl r", "COMP_CWORD": "1"}),
]


@pytest.mark.parametrize("args, env", LINES, ids=[" ".join(args) or "TAB" for args, _ in LINES])
def test_a_command_line_forked_says_what_the_installed_program_says(
        workspace, dutyctl_command, monkeypatch, args, env):
    monkeypatch.delenv("DUTYCTL_LANG")  # the workspace's language (zh_CN) unless env says
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    root = str(workspace.root)
    installed = run_dutyctl(dutyctl_command, *args, root=root, cwd=root)
    forked = run_forked(["--root", root, *args],
                        env={**os.environ, "DUTYCTL_USER": "zhangwei"}, cwd=root)
    assert (forked.returncode, same_run(forked.stdout), same_run(forked.stderr)) == (
        installed.returncode, same_run(installed.stdout), same_run(installed.stderr))
    assert installed.stdout or installed.stderr


def test_a_plain_log_call_forked_takes_the_quick_path_users_take(workspace):
    """The fork runs what the console script runs: a plain `log call` is filed before Typer's
    main is reached (dutyctl/cli/quick.py), as at the desk; any other line reaches it."""
    from dutyctl.cli import program
    from dutyctl.launcher import main as launcher

    def without_typer():
        def refuse(*args, **kwargs):
            raise SystemExit(99)  # Typer's main was reached
        program.DutyGroup.main = refuse
        launcher()

    root = str(workspace.root)
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    plain = ["--root", root, "log", "call", "--name", "张三", "--room", "3-2-501", "--phone",
             "13812345678", "--summary", "问物业费", "--at", "2026-10-12 09:00"]
    filed = run_forked(plain, env=env, cwd=root, entry=without_typer)
    assert filed.returncode == 0 and ID.fullmatch(filed.stdout.strip()), filed.stderr
    assert run_forked([*plain, "--help"], env=env, cwd=root, entry=without_typer).returncode == 99
