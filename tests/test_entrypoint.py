"""A command run in a fork through the console script's entry point (tests/entrypoint.py, how
the manual tests run the manuals' lines) says what the installed `dutyctl` says: the same exit
code, stdout and stderr, and the same files written, byte for byte, record ids aside (new
ones each run) and the times stamped "now" aside (a run a second later is the same run)."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import run_dutyctl
from tests.entrypoint import forking_shell, run_forked, run_shell, run_shell_cold
from tests.test_readme import BLOCKS, manual_environment, run_steps, workspace_copy
from tests.test_readme_zh import manual_steps

pytestmark = pytest.mark.skipif(not forking_shell(), reason="forks only where /proc shows fds")

ID = re.compile(r"\b01[0-9A-HJKMNP-TV-Z]{10,24}\b")  # a record id, or the 12 shown of it


def same_run(text: str) -> str:
    return STAMP.sub(_stamped_while_running, ID.sub("<id>", text))


# A time to the second; one without an offset is the site's (the manuals' workspaces are
# made by `init`: Asia/Shanghai).
STAMP = re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d)?")
SITE_ZONE = timezone(timedelta(hours=8))
_STARTED = datetime.now(timezone.utc) - timedelta(minutes=1)


def _stamped_while_running(found: re.Match) -> str:
    """A time stamped while the tests run (a line without --at) differs from run to run: it
    becomes <now>. Any other date, the manuals' own included, is compared as it is, whatever
    today is."""
    moment = datetime.fromisoformat(found[0].replace(" ", "T"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=SITE_ZONE)
    running = _STARTED <= moment <= datetime.now(timezone.utc) + timedelta(minutes=1)
    return "<now>" if running else found[0]


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


AREAS = [
    # the desk: clock in/out on time, late, not rostered, left early (stderr), a handover, json
    (readme_block("dutyctl clock in  --staff zhaolei"), {"DUTYCTL_LANG": "en"}, True),
    # tickets: a repair's steps in Chinese (site.language), its id kept from `$(...)`
    (manual_block("REPAIR=$(dutyctl 报修 登记"), {"DUTYCTL_USER": "chenjing"}, False),
    # calls in Chinese: the quick `log call` path (as `来电`), a callback promised in words
    (manual_block("dutyctl 来电 --姓名 张三 --房号 3-2-501"), {"DUTYCTL_USER": "chenjing"},
     True),
    # the roster: generated, shown, who is on duty, an override, checked
    (readme_block("dutyctl roster generate --month 2026-12"), {"DUTYCTL_LANG": "en"}, False),
    # reports: a month's attendance as a table, csv, one row per rostered shift
    (readme_block("dutyctl attendance --month 2026-11"), {"DUTYCTL_LANG": "en"}, False),
]


@pytest.mark.parametrize("found, env, installed", AREAS,
                         ids=["desk", "tickets", "calls", "roster", "reports"])
def test_a_manual_block_runs_forked_as_through_the_installed_program(tmp_path, found, env,
                                                                    installed):
    """Forked from this process (every dutyctl module imported, the test's caches filled), the
    block says what a new process per command says: the installed program in two areas, the
    English desk and the quick `log call` path in Chinese; in the others a fork from a cold
    parent (a Python that imported nothing of dutyctl: each fork imports what its command
    needs, so a command working only thanks to another module's import would differ) stands
    for that new process: the same launcher, nothing of dutyctl imported or cached before,
    each command in a process of its own (the other areas' key flows also run installed in
    their own test files: test_tickets_cli, test_roster_cli, test_reports)."""
    seen = {}
    for how in ("forked", "installed" if installed else "cold"):
        scratch = tmp_path / how
        site = scratch / "site"
        scratch.mkdir()
        workspace_copy(site, examples=False)
        shell = {"forked": run_shell, "cold": run_shell_cold}.get(how)
        ran = run_steps(found, site, scratch, manual_environment(**env), forked=shell)
        seen[how] = ([tuple(same_run(str(part)) for part in step) for step in ran],
                     files_of(site))
    new_process = seen["installed" if installed else "cold"]
    assert seen["forked"] == new_process
    assert any(stdout for _, stdout, _ in new_process[0])


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


def test_bash_writes_on_after_a_forked_command_as_after_the_installed_one(tmp_path):
    """The fork writes through bash's own open files: bash's next write to the same file
    (a group redirected to a file, a pipe, bash's own stdout) comes after the command's
    output, as after a child of bash, never over it."""
    script = ("dutyctl --help | head -2; echo AFTER-PIPE; dutyctl --version; echo AFTER; "
              "{ dutyctl --version; echo IN-GROUP; } > f.txt; cat f.txt; "
              "dutyctl --version >> f.txt; echo APPENDED >> f.txt; cat f.txt")
    env = manual_environment(DUTYCTL_LANG="en")
    forked = run_shell(script, env=env, cwd=tmp_path)
    installed = subprocess.run(["bash", "-c", script], env=env, cwd=tmp_path, text=True,
                               capture_output=True, stdin=subprocess.DEVNULL)
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        installed.returncode, installed.stdout, installed.stderr)
    assert "AFTER\n" in installed.stdout and installed.stdout.count("IN-GROUP") == 2


def test_a_fork_starts_without_the_tests_patches_and_the_caches_filled_before(
        workspace, clock, monkeypatch):
    """What this process set up or filled is gone in the fork, as in a new process: the test's
    monkeypatches (here the clock) and every cache registered in dutyctl.caches."""
    from dutyctl import caches, timeutil
    from dutyctl.store import fastyaml

    fastyaml.loads("kind: call\nby: zhangwei\n")  # fills the parsing caches
    monkeypatch.setattr(fastyaml, "MAX_SEEN", 1)
    assert timeutil.clock is clock and any(caches._CACHES)

    def report():
        print(timeutil.clock is timeutil.system_clock, fastyaml.MAX_SEEN,
              [len(cache) for cache in caches._CACHES if cache])

    done = run_forked([], env=dict(os.environ), cwd=workspace.root, entry=report)
    assert done.stdout == "True 20000 []\n", done.stderr


def test_an_entry_the_fork_server_cannot_import_fails_that_command_alone(tmp_path,
                                                                        monkeypatch):
    """The forks come from a small server process (`_Zygote`); an entry it cannot import
    (its module on this process's path only) fails that one command with the reason on its
    stderr, and the next command is served: the server itself never reads an entry."""
    (tmp_path / "elsewhere.py").write_text("def entry():\n    return 0\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    from elsewhere import entry

    env = {**os.environ, "DUTYCTL_LANG": "en"}
    failed = run_forked(["--version"], env=env, cwd=str(tmp_path), entry=entry)
    assert failed.returncode == 70 and "ModuleNotFoundError" in failed.stderr, failed
    assert run_forked(["--version"], env=env, cwd=str(tmp_path)).returncode == 0
