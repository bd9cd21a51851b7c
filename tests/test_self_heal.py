"""Self-healing sharing (issue 18): what a crash, a full disk, a stuck or killed git process or two
runs at once leave behind is committed, cleared or waited for, and `check` says so meanwhile."""

from __future__ import annotations

import os
import resource
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dutyctl import gitsync
from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli, run_dutyctl
from tests.helpers_foundation import call_flags, git
from tests.test_tickets_recurring import with_recurring

pytestmark = pytest.mark.auto_commit  # these tests are about git

LONG_AGO = 3600  # seconds: older than every age dutyctl waits for


def call(root: Path, room: str = "3-2-501", at: str = "2026-10-12 09:30"):
    return Cli(root)(*call_flags(room=room), "--at", at)


def saved_calls(workspace: Workspace, *rooms: str) -> list[Path]:
    """Calls written to disk by commands that died before committing them (their commits are
    undone: staged, as after `git add`)."""
    root = workspace.root
    made = []
    for number, room in enumerate(rooms):
        done = call(root, room, f"2026-10-12 08:{number:02d}")
        assert done.exit_code == 0, done.stderr
        made.append(workspace.store.get(done.stdout.strip()))
    git(root, "reset", "-q", "--soft", f"HEAD~{len(rooms)}")
    return [Path(record.path) for record in made]


def age(*paths: Path, seconds: float = LONG_AGO) -> None:
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))


def uncommitted(root: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all")


def rel(root: Path, path: Path) -> str:
    return str(path.relative_to(root))


def check(root: Path):
    return Cli(root)("check")


def index_lock(root: Path) -> Path:
    return root / ".git" / "index.lock"


# -- records a crash left uncommitted ---------------------------------------------------------

def test_the_next_command_commits_records_a_crash_left_and_nothing_else(workspace):
    root = workspace.root
    untracked, staged = saved_calls(workspace, "1-1-101", "1-1-102")
    git(root, "reset", "-q", "--", str(untracked))  # killed before `git add`
    age(untracked, staged)
    # unrelated changes of the same moment: a hand edit and a stray file stay the user's
    rules = root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "# 待定\n", encoding="utf-8")
    (root / "notes.txt").write_text("记事\n", encoding="utf-8")

    found = check(root)
    assert found.exit_code == 1
    for path in (untracked, staged):
        assert f"{rel(root, path)}: saved but never committed" in found.stdout

    made = call(root)
    assert made.exit_code == 0, made.stderr
    assert "also committed 2 record files left uncommitted by an earlier command" in made.stderr
    assert uncommitted(root).splitlines() == [" M rosters/rules.yaml", "?? notes.txt"]
    committed = git(root, "log", "--name-only", "--format=%s", "-2").split("\n")
    assert committed[0].startswith("来电 ")  # the site's language (site.language: zh_CN)
    healed = git(root, "log", "-1", "--skip=1", "--name-only", "--format=%s|%an").splitlines()
    assert healed[0] == "dutyctl：补提交此前未提交的记录文件 2 个|Desk"
    assert sorted(healed[2:]) == sorted([rel(root, untracked), rel(root, staged)])


def test_a_record_just_written_by_another_terminal_is_left_to_it(workspace):
    """Younger than HEAL_AFTER: its own command is about to commit it with its own message."""
    root = workspace.root
    fresh, = saved_calls(workspace, "1-1-101")
    git(root, "reset", "-q", "--", str(fresh))
    made = call(root)
    assert made.exit_code == 0 and "also committed" not in made.stderr
    assert uncommitted(root) == f"?? {rel(root, fresh)}\n"
    # its command commits it later all the same, and does not fail on a path committed already
    assert gitsync.commit(root, [fresh], "call", workspace.state_dir)
    assert uncommitted(root) == ""


def test_a_leftover_committed_by_another_command_meanwhile_is_no_failure(workspace, capsys):
    root = workspace.root
    path, = saved_calls(workspace, "1-1-101")
    assert gitsync.commit(root, [path], "first", workspace.state_dir)
    assert gitsync.commit(root, [path], "second", workspace.state_dir)  # nothing left to do
    assert "failed" not in capsys.readouterr().err


# -- git's index.lock ---------------------------------------------------------------------------

def test_a_stale_git_lock_is_reported_then_cleared_by_the_next_command(workspace):
    root = workspace.root
    lock = index_lock(root)
    lock.write_text("")  # left by a git process killed long ago
    age(lock)
    found = check(root)
    assert found.exit_code == 1
    assert ".git/index.lock: git lock left by a git process that is no longer running" in (
        found.stdout)
    chinese = Cli(root)("check", env={"DUTYCTL_LANG": "zh_CN"})
    assert ".git/index.lock: 已结束的 git 进程遗留的 git 锁" in chinese.stdout
    made = call(root)
    assert made.exit_code == 0, made.stderr
    assert "removed a stale git lock" in made.stderr and "failed" not in made.stderr
    assert not lock.exists() and uncommitted(root) == ""
    assert check(root).exit_code == 0


@pytest.fixture
def running_git(workspace):
    """A real git process working in the workspace (it waits on its stdin)."""
    process = subprocess.Popen(["git", "hash-object", "--stdin"], cwd=workspace.root,
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    yield process
    process.kill()
    process.wait()


def test_a_live_git_lock_is_waited_for_with_a_message(workspace, running_git, monkeypatch):
    root = workspace.root
    lock = index_lock(root)
    lock.write_text("")
    age(lock)  # old, but a git process is running here: never removed under it
    monkeypatch.setattr(gitsync, "GIT_LOCK_WAIT", 0.6)  # said after 0.3 s
    said = gitsync.notices.warn

    def finish_when_waited_for(text: str) -> None:  # the other git finishes then
        said(text)
        if "waiting for another git process" in text:
            lock.unlink()

    monkeypatch.setattr(gitsync.notices, "warn", finish_when_waited_for)
    made = call(root)
    assert made.exit_code == 0, made.stderr
    assert "waiting for another git process in this workspace to finish (up to 1 s)" in (
        made.stderr)
    assert "failed" not in made.stderr and uncommitted(root) == ""


def test_a_git_lock_held_too_long_gives_up_saved_and_healed_later(workspace, running_git,
                                                                  monkeypatch):
    root = workspace.root
    lock = index_lock(root)
    lock.write_text("")
    age(lock)
    monkeypatch.setattr(gitsync, "GIT_LOCK_WAIT", 0.5)
    made = call(root)
    assert made.exit_code == 0, made.stderr  # the call is saved: a desk never loses it
    assert made.stderr.count("waiting for another git process") == 1  # waited for once
    assert made.stderr.count("is held by a running git process") == 1
    assert lock.exists() and uncommitted(root).startswith("?? records/")

    running_git.kill()  # the stuck process ends; its lock stays behind
    running_git.wait()
    age(*[root / line[3:] for line in uncommitted(root).splitlines()])
    again = call(root, room="5-1-1202", at="2026-10-12 09:40")
    assert again.exit_code == 0, again.stderr
    assert "removed a stale git lock" in again.stderr
    assert "also committed 1 record file left uncommitted" in again.stderr
    assert uncommitted(root) == ""


# -- dutyctl's own commit lock -------------------------------------------------------------------

HOLDER = textwrap.dedent("""\
    import fcntl, sys, time
    handle = open(sys.argv[1], "w")
    fcntl.flock(handle, fcntl.LOCK_EX)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
""")


def test_a_writer_kept_waiting_says_so_and_gives_up(workspace, monkeypatch):
    """A suspended dutyctl holds the commit lock: the next one waits with a word, then saves
    without committing instead of hanging."""
    root = workspace.root
    workspace.state_dir.mkdir(exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER,
                               str(workspace.state_dir / "git.lock"), "30"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setattr(gitsync, "GIT_LOCK_WAIT", 0.6)  # said after 0.3 s, as "1 s"
        started = time.monotonic()
        made = call(root)
        assert time.monotonic() - started < 15
    finally:
        holder.kill()
        holder.wait()
    assert made.exit_code == 0, made.stderr
    assert "waiting for another dutyctl command in this workspace to finish (up to 1 s)" in (
        made.stderr)
    assert "has held this lock for over 1 s" in made.stderr
    assert uncommitted(root).startswith("?? records/")


SLOW_GIT = """\
#!/bin/sh
# a git whose commit (or the move of HEAD that ends dutyctl's own commits) holds the index
# lock a while, like one on a slow disk: until $RELEASE exists (at most 30 s)
case " $* " in
  *" commit "*|*" update-ref "*)
    touch "$MARKER"
    : > "$GIT_LOCK_FILE"
    tries=0
    while [ ! -e "$RELEASE" ] && [ $tries -lt 3000 ]; do sleep 0.01; tries=$((tries + 1)); done
    rm -f "$GIT_LOCK_FILE"
    ;;
esac
exec "$REAL_GIT" "$@"
"""


def test_a_killed_dutyctls_git_child_cannot_break_the_next_commit(workspace, dutyctl_command,
                                                                  tmp_path, monkeypatch):
    root = workspace.root
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(SLOW_GIT)
    (fake / "git").chmod(0o755)
    marker, release = tmp_path / "committing", tmp_path / "release"
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    env = {**os.environ, "DUTYCTL_USER": "zhangwei", "PATH": f"{fake}:{os.environ['PATH']}",
           "MARKER": str(marker), "REAL_GIT": real_git, "RELEASE": str(release),
           "GIT_LOCK_FILE": str(index_lock(root))}
    waits = []

    def wait_then_release(seconds: float) -> None:  # the next command waits for the orphan
        waits.append(seconds)  # (it holds dutyctl's commit lock too): it finishes its commit
        release.touch()
        real_sleep(seconds)

    real_sleep = time.sleep
    first = subprocess.Popen([*dutyctl_command, "--root", str(root),
                              *call_flags(room="1-1-101"), "--at", "2026-10-12 09:00"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.02)
    first.kill()  # dutyctl dies; its git child goes on committing
    first.wait()
    with monkeypatch.context() as patch:
        patch.setattr(gitsync.time, "sleep", wait_then_release)
        made = call(root, room="5-1-1202", at="2026-10-12 09:40")
    assert waits, "the next command did not wait for the orphaned git"
    assert made.exit_code == 0, made.stderr
    assert "failed" not in made.stderr
    assert uncommitted(root) == ""
    subjects = git(root, "log", "--format=%s", "-2").splitlines()
    assert [subject.split()[0] for subject in subjects] == ["来电", "来电"]


# -- init ----------------------------------------------------------------------------------------

def small_files_only():
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))  # a disk that fills at 200 bytes
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails instead of killing


def test_an_init_that_failed_on_a_full_disk_leaves_nothing_a_second_init_keeps(
        tmp_path, dutyctl_command):
    target = tmp_path / "site"
    failed = subprocess.run([*dutyctl_command, "init", str(target)], capture_output=True,
                            text=True, preexec_fn=small_files_only, stdin=subprocess.DEVNULL)
    assert failed.returncode == 3, failed.stderr
    assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert not (target / "dutyctl.yaml").exists()
    assert not [path for path in target.rglob("*") if path.name.endswith(".tmp")]

    again = run_dutyctl(dutyctl_command, "init", str(target), root=tmp_path)
    assert again.returncode == 0, again.stderr
    reference = tmp_path / "reference"
    init_workspace(reference)
    for name in ("dutyctl.yaml", "rosters/rules.yaml", ".gitignore"):
        assert _undated(target / name) == _undated(reference / name), name
    assert git(target, "status", "--porcelain") == ""
    assert run_dutyctl(dutyctl_command, "check", root=target).returncode == 0


def _undated(path) -> str:
    """A file init wrote, its recurring jobs' start days left out: they are the day of the
    clock it ran at (the two inits compared may run either side of a job's time)."""
    return re.sub(r'(start|开始): "\d{4}-\d{2}-\d{2}"', r"\1: DAY",
                  path.read_text(encoding="utf-8"))


# -- repair schedule ---------------------------------------------------------------------------

HOURLY = """\
recurring:
  rounds:
    name: 设备巡检
    where: 地下泵房
    category: facilities
    rule: "FREQ=DAILY"
    start: "2026-01-01"
    at: "08:00"
"""


def test_two_schedule_runs_at_once_file_nothing_twice(workspace, dutyctl_command):
    root = workspace.root
    with_recurring(root, HOURLY)
    git(root, "commit", "-qam", "hourly rounds")
    runs = [subprocess.Popen([*dutyctl_command, "--root", str(root), "repair", "schedule",
                              "--until", "2026-09-30", "--at", "2026-10-10 23:00"],
                             env={**os.environ, "DUTYCTL_USER": "zhangwei"}, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    filed = sorted(len(stdout.split()) for stdout, _ in outputs)
    assert filed == [0, 273], [stderr for _, stderr in outputs]  # each day Jan-Sep, once
    for _, stderr in outputs:
        assert "failed" not in stderr
    assert "filed 0 recurring repairs up to 2026-09-30, 273 already filed" in (
        outputs[0][1] + outputs[1][1])
    schedule_commits = git(root, "log", "--format=%s", "--grep=周期性报修").splitlines()
    assert len(schedule_commits) == 1 and uncommitted(root) == ""


def test_sync_clears_a_stale_git_lock_before_merging(tmp_path):
    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    front = tmp_path / "front"
    init_workspace(front)
    git(front, "remote", "add", "origin", str(remote))
    assert Cli(front)("sync").exit_code == 0
    night = tmp_path / "night"
    git(tmp_path, "clone", "-q", str(remote), str(night))
    assert call(front).exit_code == 0
    assert Cli(front)("sync").exit_code == 0
    lock = index_lock(night)
    lock.write_text("")  # a git killed long ago at the night desk
    age(lock)
    merged = Cli(night)("sync")
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout == "merged 1 record(s) from origin/main\n"
    assert "removed a stale git lock" in merged.stderr and not lock.exists()


@pytest.mark.parametrize("name", ["HEAD.lock", "refs/heads/{branch}.lock"])
def test_a_stale_lock_of_head_or_the_branch_is_cleared_and_the_commit_made(workspace, name,
                                                                           clock):
    """A git killed while it moved the branch (an interrupted command) left HEAD.lock: every
    later commit failed with git's "cannot lock ref 'HEAD'", twice a command, and `check`
    said the next command would commit. Cleared as a stale index.lock is."""
    root = workspace.root
    branch = git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
    lock = root / ".git" / name.format(branch=branch)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("")
    age(lock)
    found = check(root)
    assert f".git/{name.format(branch=branch)}: git lock left by a git process" in found.stdout
    made = call(root)
    assert made.exit_code == 0, made.stderr
    assert "removed a stale git lock" in made.stderr and "failed" not in made.stderr
    assert not lock.exists() and uncommitted(root) == ""
