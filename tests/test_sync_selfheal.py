"""A sync killed in its own merge never leaves the desk stuck: the next cron sync heals it by
itself (git finishes its merge though dutyctl died; the merge's note and abort are checked)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_dutyctl
from tests.helpers_foundation import git
from tests.test_sync import file_remote, no_git_config  # noqa: F401  (fixtures)

__all__ = ["file_remote", "no_git_config"]  # fixtures pytest finds here by name
from tests.test_sync import (both_desks_settled, call, desks_each_with_a_call, fake_git,
                             renamed_on_both_desks, sync)


def git_that_outlives_dutyctl(folder: Path, done: Path) -> str:
    """A `git` first on PATH that, for sync's merge, kills the dutyctl that ran it, waits until
    it is gone, then runs the real merge with the output dutyctl gave it (a pipe nobody reads
    any more: git dies of SIGPIPE on its first line), then writes `done`. The PATH to use."""
    return fake_git(folder, f"""
        if "merge" in args and "--no-edit" in args:
            parent = os.getppid()
            os.kill(parent, signal.SIGKILL)
            while os.getppid() == parent:
                time.sleep(0.01)
            merged = subprocess.run([REAL] + args, restore_signals=True)
            with open({str(done)!r}, "w") as note:
                note.write(str(merged.returncode))
            sys.exit(0)
        """)


def wait_for(path: Path) -> str:
    import time

    for _ in range(6000):
        if path.exists() and path.read_text(encoding="utf-8"):
            return path.read_text(encoding="utf-8")
        time.sleep(0.01)
    raise AssertionError(f"{path} never written")


def killed_while_git_merges(tmp_path: Path, url: str, dutyctl_command, monkeypatch
                            ) -> tuple[Path, Path]:
    """Both desks renamed the site (a conflict); the night desk's sync is killed while git
    merges."""
    front, night = renamed_on_both_desks(tmp_path, url, front_call=True)
    done = tmp_path / "merge-done"
    with monkeypatch.context() as patched:
        patched.setenv("PATH", git_that_outlives_dutyctl(tmp_path / "shim", done))
        killed = run_dutyctl(dutyctl_command, "sync", root=night)
    assert killed.returncode == -9, killed.stderr
    assert wait_for(done) != ""
    return front, night


def test_git_finishes_its_merge_when_the_sync_that_ran_it_is_killed(tmp_path, file_remote,
                                                                   dutyctl_command,
                                                                   monkeypatch):
    """git's output went to dutyctl's pipe: with dutyctl gone, git died of SIGPIPE on its
    first line, the working tree written (conflict markers in dutyctl.yaml) but no merge under
    way: every sync then refused "changed at this desk and not committed", and following that
    advice committed the markers. Now git's output goes to a file: git finishes, the merge is
    a normal one under way."""
    front, night = killed_while_git_merges(tmp_path, file_remote, dutyctl_command, monkeypatch)
    assert (night / ".git" / "MERGE_HEAD").is_file()
    assert git(night, "diff", "--name-only", "--diff-filter=U") == "dutyctl.yaml\n"
    assert_merged_again(night)


def assert_merged_again(desk: Path) -> None:
    """The next sync takes the merge for its own (nobody touched it), gives it up and merges
    again: the conflict said, the desk as before the merge."""
    head = git(desk, "rev-parse", "HEAD")
    again = sync(desk)
    assert again.exit_code == 1, again.stderr
    assert again.stderr.startswith("conflict: both sides changed dutyctl.yaml"), again.stderr
    assert not (desk / ".git" / "MERGE_HEAD").exists()
    assert git(desk, "status", "--porcelain") == ""
    assert git(desk, "rev-parse", "HEAD") == head


def git_whose_abort_fails(folder: Path) -> str:
    """A `git` first on PATH whose `git merge --abort` fails (an index.lock an IDE holds):
    the PATH to use."""
    return fake_git(folder, """
        if "merge" in args and "--abort" in args:
            sys.stderr.write("fatal: Unable to create index.lock: File exists\\n")
            sys.exit(128)
        """)


def test_a_merge_sync_could_not_abort_is_aborted_by_the_next_sync(tmp_path, file_remote,
                                                                  monkeypatch):
    """sync's `git merge --abort` after a conflict failed: it said the conflict, dropped its
    note and left git's merge under way, which every later sync then took for one begun by
    hand (refused for ever). Now the note stays, and the next sync aborts the merge itself and
    says the conflict again, the desk as it was."""
    front, night = renamed_on_both_desks(tmp_path, file_remote)
    with monkeypatch.context() as patched:
        patched.setenv("PATH", git_whose_abort_fails(tmp_path / "shim"))
        first = sync(night)
    assert first.exit_code == 1
    assert (night / ".git" / "MERGE_HEAD").is_file()
    again = sync(night)
    assert again.exit_code == 1, again.stderr
    assert again.stderr.startswith("conflict: both sides changed dutyctl.yaml"), again.stderr
    assert not (night / ".git" / "MERGE_HEAD").exists()
    assert git(night, "status", "--porcelain") == ""


def git_that_kills_dutyctl_at(folder: Path, *words: str, run: bool) -> str:
    """A `git` first on PATH that, for a command with all of `words` among its arguments,
    kills the dutyctl that ran it (after running the real git: `run`): the PATH to use."""
    return fake_git(folder, f"""
        if all(word in args for word in {list(words)!r}):
            if {run!r}:
                subprocess.run([REAL] + args, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            os.kill(os.getppid(), signal.SIGKILL)
            sys.exit(1)
        """)


def test_a_sync_killed_when_git_stopped_at_the_conflict_is_undone_by_the_next(
        tmp_path, file_remote, dutyctl_command, monkeypatch):
    """Killed after git stopped at the conflict, before the note had the merge's fingerprint:
    every later sync refused "git pull stopped at a conflict" (no person had merged). The
    merge is still exactly git's own merge (git merge-tree): the next sync undoes it."""
    front, night = renamed_on_both_desks(tmp_path, file_remote)
    with monkeypatch.context() as patched:
        patched.setenv("PATH", git_that_kills_dutyctl_at(tmp_path / "shim", "merge", "--no-edit",
                                                         run=True))
        killed = run_dutyctl(dutyctl_command, "sync", root=night)
    assert killed.returncode == -9, killed.stderr
    assert (night / ".git" / "MERGE_HEAD").is_file()
    assert len((night / ".dutyctl" / "sync-merge").read_text(encoding="utf-8").split()) == 3
    assert_merged_again(night)


def test_without_a_fingerprint_a_conflict_edited_by_hand_is_still_kept(tmp_path, file_remote):
    """The note names the commit and has no fingerprint; someone edited the conflicted file
    (markers still in, not added): it is no longer git's own merge, so it stays as it is."""
    from tests.test_sync import settling_a_conflict

    front, night = settling_a_conflict(tmp_path, file_remote)
    merging = git(night, "rev-parse", "MERGE_HEAD").strip()
    head = git(night, "rev-parse", "HEAD").strip()
    (night / ".dutyctl" / "sync-merge").write_text(f"{merging}\n-\n{head}\n",
                                                   encoding="utf-8")
    config = night / "dutyctl.yaml"
    edited = config.read_text(encoding="utf-8").replace("<<<<<<< HEAD", "<<<<<<< HEAD  ", 1)
    config.write_text(edited, encoding="utf-8")
    done = sync(night)
    assert done.exit_code == 1
    assert done.stderr.startswith("a merge is under way in this workspace"), done.stderr
    assert config.read_text(encoding="utf-8") == edited
    assert (night / ".git" / "MERGE_HEAD").is_file()


def test_a_sync_killed_after_settling_a_roster_conflict_is_finished_by_the_next(
        tmp_path, file_remote, dutyctl_command, monkeypatch):
    """Killed after sync settled the roster conflict and staged it, before its commit: the
    note's fingerprint was git's conflict, so every later sync refused "settled but not
    committed". The note follows the settling: the next sync redoes the merge and pushes."""
    from tests.test_sync import october_at_both_desks, override

    front, night = october_at_both_desks(tmp_path, file_remote)
    override(front, "2026-10-26", "night", "sunli", "--reason", "病假", "--at", "2026-10-12 09:20")
    override(night, "2026-10-27", "night", "chenjing", "--reason", "家中有事",
             "--at", "2026-10-12 09:10", user="lina")
    assert sync(front).exit_code == 0
    with monkeypatch.context() as patched:
        patched.setenv("PATH", git_that_kills_dutyctl_at(
            tmp_path / "shim", "commit", "dutyctl 同步：合并 origin/main", run=False))
        killed = run_dutyctl(dutyctl_command, "sync", root=night)
    assert killed.returncode == -9, killed.stderr
    assert (night / ".git" / "MERGE_HEAD").is_file()
    done = sync(night)
    assert done.exit_code == 0, done.stderr
    both_desks_settled(front, night)


def test_a_record_a_command_staged_and_never_committed_does_not_stop_the_merge(tmp_path,
                                                                             file_remote):
    """A command's `git add` of its record worked, its `git commit` did not (an index.lock an
    IDE held, a kill): every sync refused "added at this desk (git add) and not committed"
    (git merges nothing over a half-made commit), though the next command would commit it.
    sync commits it as a leftover and merges: the record is shared, the count says only the
    other desk's record."""
    front, night = desks_each_with_a_call(tmp_path, file_remote, "2026-10-09")  # a merge
    staged = call(night, "2-1-302", "2026-10-09 10:10")
    git(night, "reset", "-q", "--soft", "HEAD~1")  # added, never committed
    assert git(night, "diff", "--cached", "--name-only").startswith("records/")
    done = sync(night)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("merged 1 record(s) from origin/main, pushed"), done.stdout
    assert git(night, "status", "--porcelain") == ""
    assert sync(front).exit_code == 0
    assert list((front / "records").rglob(f"{staged}.yaml"))


def test_a_file_a_person_staged_still_stops_the_merge_with_the_records(tmp_path, file_remote):
    """Next to a record left staged, a file someone git-added: sync commits the record (what
    any command would do) and still names the person's file, merging nothing."""
    _, night = desks_each_with_a_call(tmp_path, file_remote, "2026-10-09")  # a merge
    call(night, "2-1-302", "2026-10-09 10:10")
    git(night, "reset", "-q", "--soft", "HEAD~1")
    (night / "memo.txt").write_text("交班提醒\n", encoding="utf-8")
    git(night, "add", "memo.txt")
    done = sync(night)
    assert done.exit_code == 1, done.stderr
    assert "memo.txt: added at this desk (git add) and not committed" in done.stderr, done.stderr
    assert git(night, "diff", "--cached", "--name-only") == "memo.txt\n"
    assert not (night / ".git" / "MERGE_HEAD").exists()
