"""Several terminals at one desk: `dutyctl` processes writing at once, git auto-commit on.

Eight processes started at once are enough to make them overlap on a 2-core machine (each
takes about 100 ms to start, four times what a write takes once started): more only make the
suite slower, not the race more likely. What runs after the race (roster generate, check) runs
in-process."""

from __future__ import annotations

import pytest

import os
import subprocess
import sys

from dutyctl.store import ids
from dutyctl.workspace import init_workspace
from tests.conftest import Cli
from tests.helpers_foundation import call_flags, git, record_files

WRITERS = 8


@pytest.fixture(scope="module")
def cached_env(tmp_path_factory, dutyctl_command) -> dict:
    """As after a normal install: byte code compiled once, not by each process of each test.
    The package's own __pycache__ where this run writes byte code (this process wrote it as
    it imported the modules); else (PYTHONDONTWRITEBYTECODE) a folder of the module's own,
    filled by a few commands first."""
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    env.pop("DUTYCTL_ROOT", None)
    if not sys.dont_write_bytecode:
        return env
    folder = tmp_path_factory.mktemp("bytecode")
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pyc")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    scratch = folder / "warm-up"
    init_workspace(scratch)
    for args in (call_flags(), ("roster", "show"), ("clock", "status")):
        subprocess.run([*dutyctl_command, "--root", str(scratch), *args], env=env,
                       capture_output=True, stdin=subprocess.DEVNULL)
    return env


@pytest.mark.auto_commit
def test_concurrent_writers_each_get_their_file_and_commit(workspace, dutyctl_command,
                                                          cached_env):
    root = workspace.root
    assert workspace.config.auto_commit
    env = cached_env
    processes = [
        subprocess.Popen([*dutyctl_command, "--root", str(root),
                          *call_flags(f"住户{number}", f"{number % 9 + 1}-1-{number:03d}",
                                      f"138{number:08d}", f"第{number}个来电")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         text=True, env=env)
        for number in range(WRITERS)]
    outcomes = [(process.wait(timeout=60), *process.communicate()) for process in processes]

    assert [code for code, _, _ in outcomes] == [0] * WRITERS, [err for _, _, err in outcomes]
    # no git warning either; on a busy machine a writer may say that it waits its turn
    waiting = ("waiting for another dutyctl command", "正在等待本工作区的另一条 dutyctl 命令",
               "waiting for another git process", "正在等待本工作区的另一个 git 进程")
    assert [line for _, _, err in outcomes for line in err.splitlines()
            if not any(words in line for words in waiting)] == []
    printed = [out.strip() for _, out, _ in outcomes]
    assert len(set(printed)) == WRITERS
    assert all(ids.normalize(record_id) == record_id and len(record_id) == 26
               for record_id in printed)

    files = record_files(root)
    assert sorted(path.stem for path in files) == sorted(printed)
    records = workspace.store.scan()
    assert records.problems == []
    assert sorted(record.fields["summary"] for record in records.records) == sorted(
        f"第{number}个来电" for number in range(WRITERS))

    checked = Cli(root)("check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr

    # the per-workspace lock serialises the commits: every record is in its own commit
    tracked = git(root, "ls-files", "records", ":!records/.gitkeep").split()
    assert sorted(tracked) == sorted(str(path.relative_to(root)) for path in files)
    assert git(root, "status", "--porcelain", "records") == ""
    history = git(root, "log", "--format=>%s", "--name-only", "HEAD~" + str(WRITERS) + "..HEAD"
                  ).split(">")[1:]
    assert len(history) == WRITERS
    for entry in history:  # "来电 <short id> <room> <category> — name (id)" and its one file
        verb, short, _, _, _, _, _, *names = entry.split()
        assert verb == "来电" and len(names) == 1 and f"/{short}" in names[0], entry


def _at_once(dutyctl_command, root, env, commands):
    processes = [subprocess.Popen([*dutyctl_command, "--root", str(root), *args],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, text=True, env=env)
                 for args in commands]
    return [(process.wait(timeout=60), *process.communicate()) for process in processes]


def test_one_person_clocked_in_from_several_terminals_at_once(workspace, dutyctl_command,
                                                             cached_env):
    from tests.helpers_desk import october_site

    october_site(workspace.root)
    env = cached_env
    outcomes = _at_once(dutyctl_command, workspace.root, env,
                        [("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")] * 4)
    assert sorted(code for code, _, _ in outcomes) == [0] + [2] * 3
    duties = workspace.store.scan(kinds=("duty",)).records
    assert len(duties) == 1 and duties[0].get("staff") == "zhangwei"


def test_roster_edits_from_several_terminals_are_all_kept(workspace, dutyctl_command,
                                                          cached_env):
    env = cached_env
    made = Cli(workspace.root)("roster", "generate", "--month", "2026-12")
    assert made.exit_code == 0, made.stderr
    days = [f"2026-12-{day:02d}" for day in range(10, 14)]
    outcomes = _at_once(dutyctl_command, workspace.root, env,
                        [("roster", "override", day, "night", "lina", "--reason", "调班",
                          "--force") for day in days])
    assert all(code == 0 for code, _, _ in outcomes), outcomes
    from dutyctl.roster.rosterfile import read_roster

    roster, problems = read_roster(workspace.rosters_dir / "2026-12.yaml", "2026-12.yaml")
    assert not problems
    assert sorted(str(override.day) for override in roster.overrides) == days
