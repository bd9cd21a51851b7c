"""The look before each question after git changed files: what the desk's own commits only
added is found by its folders' stamps; anything else (a leftover committed later, another
git's commit, a checkout, a failed `git diff`, a git folder that is not `.git`) has git's
diff or every month looked into."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from dutyctl import gitsync, yamlcache
from dutyctl.store import githead
from dutyctl.store import index as index_module
from dutyctl.store import recordstore
from tests.conftest import Cli
from tests.helpers_foundation import git, identify, record_files
from tests.test_index import listed_ids, new_call
from tests.test_index_walk import (MONTHS, _history, looked_into,  # noqa: F401
                                   pushed_history, settled)

__all__ = ["looked_into", "settled"]  # fixtures pytest finds here by name


def _close_may(root: Path, made: dict[str, str]) -> None:
    done = Cli(root)("callback", "done", made["2026-05"], "--note", "已回电",
                     "--at", "2026-05-10 11:00")
    assert done.exit_code == 0, done.stderr


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """A hand edit that keeps its folder's mtime: only git can tell."""
    folder = path.parent.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))


@pytest.mark.auto_commit
def test_after_the_desks_own_commits_the_look_stays_on_the_newest_months(workspace, settled,
                                                                         looked_into):
    """Each of the desk's commits moved HEAD and rewrote git's index file: both noted."""
    root = workspace.root
    made = _history(root)
    _close_may(root, made)
    looked_into.clear()
    assert listed_ids(root, "--open") == [made[month] for month in MONTHS[1:]]
    assert sorted(set(looked_into)) == ["2026-05", "2026-09", "2026-10"]
    new_call(root, "2026-10-12 09:00")
    new_call(root, "2026-10-12 10:00")
    looked_into.clear()
    assert len(listed_ids(root)) == len(MONTHS) + 2
    assert sorted(set(looked_into)) == ["2026-09", "2026-10"]  # (once more under the lock)


@pytest.mark.auto_commit
def test_a_leftover_committed_by_a_later_write_is_seen(workspace, settled):
    """A record file dropped by hand into an old day folder (another desk's copy, a crash
    before its month's mtime moved), committed by the next write as a leftover."""
    root = workspace.root
    _history(root)
    other = new_call(root, "2026-10-11 09:00", "--callback-by", "17:00")
    (path,) = [p for p in record_files(root) if p.stem == other]
    text = path.read_text(encoding="utf-8")
    git(root, "rm", "-q", str(path.relative_to(root)))
    git(root, "commit", "-q", "-m", "taken out")
    assert other not in listed_ids(root, "--open")
    copy = root / "records" / "2026" / "05" / "10" / path.name
    copy.write_text(text.replace("2026-10-11", "2026-05-10"), encoding="utf-8")
    old = time.time() - 2 * gitsync.HEAL_AFTER
    os.utime(copy, (old, old))

    new_call(root, "2026-10-12 09:00")
    assert "?? " not in git(root, "status", "--porcelain")
    assert git(root, "log", "-1", "--format=%s", "HEAD~1").startswith("dutyctl：补提交此前未提交的记录文件 1 个")
    assert other in listed_ids(root, "--open")


@pytest.mark.auto_commit
def test_a_write_whose_month_kept_its_mtime_is_not_noted(workspace, settled, monkeypatch):
    """Store._written could not move the month's mtime (another account's folder): its
    commit is found by git's diff, never taken as only adding files."""
    root = workspace.root
    made = _history(root)

    def refused(*args, **kwargs):
        raise PermissionError("not yours")

    monkeypatch.setattr(recordstore.os, "utime", refused)
    _close_may(root, made)
    monkeypatch.undo()
    identify(root)  # (undo took `settled` back too)
    monkeypatch.setattr(yamlcache, "RACY_SECONDS", 0)
    assert listed_ids(root, "--open") == [made[month] for month in MONTHS[1:]]


@pytest.mark.auto_commit
def test_someone_elses_commit_of_our_files_is_not_noted(workspace, settled, monkeypatch):
    """`git add -A && git commit` in another terminal takes a dutyctl write's file together
    with a hand edit in an older month: dutyctl finds nothing to commit, and notes nothing."""
    root = workspace.root
    made = _history(root)
    (may,) = [p for p in record_files(root) if p.stem == made["2026-05"]]
    _edit_in_place(may, "3-2-501", "3-2-502")
    real = gitsync._add_and_commit

    def another_terminal_first(*args, **kwargs):
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "everything, by hand")
        return real(*args, **kwargs)

    monkeypatch.setattr(gitsync, "_add_and_commit", another_terminal_first)
    new_call(root, "2026-10-12 09:00")
    monkeypatch.setattr(gitsync, "_add_and_commit", real)
    assert git(root, "log", "-1", "--format=%s") == "everything, by hand\n"
    assert made["2026-05"] in listed_ids(root, "--room", "3-2-502")


@pytest.mark.auto_commit
def test_a_checkout_before_a_desk_commit_is_seen(workspace, settled):
    """git's index file changed (a file checked out, HEAD kept), then the desk's own commit
    moved HEAD: the change of the index file is not taken for the commit's."""
    root = workspace.root
    made = _history(root)
    _close_may(root, made)
    (event,) = [path for path in record_files(root) if path.name.count(".") == 2]
    git(root, "branch", "called-back")
    git(root, "reset", "-q", "--hard", "HEAD~1")
    assert made["2026-05"] in listed_ids(root, "--open")

    git(root, "checkout", "called-back", "--", str(event.relative_to(root)))
    git(root, "reset", "-q")  # staged by the checkout: a leftover the next write would commit
    later = new_call(root, "2026-10-12 09:00")
    assert listed_ids(root, "--open") == [made[month] for month in MONTHS[1:]]
    assert later not in listed_ids(root, "--open")


@pytest.fixture
def two_desks(tmp_path, workspace, settled):
    """Desk A (the workspace) with six calls pushed; returns (remote, desk A, calls)."""
    remote, made = pushed_history(tmp_path, workspace.root)
    return remote, workspace.root, made


def _push_may_callback(desk_a: Path, made: dict[str, str]) -> None:
    _close_may(desk_a, made)
    git(desk_a, "add", "-A")
    git(desk_a, "commit", "-q", "-m", "called back")
    git(desk_a, "push", "-q", "origin", "main")


def test_a_failed_git_diff_is_asked_again(tmp_path, two_desks, monkeypatch):
    remote, desk_a, made = two_desks
    desk_b = tmp_path / "desk-b"
    git(tmp_path, "clone", "-q", str(remote), str(desk_b))
    identify(desk_b)
    assert listed_ids(desk_b, "--open") == list(made.values())
    _push_may_callback(desk_a, made)
    git(desk_b, "pull", "-q", "--no-rebase", "origin", "main")

    real, asked = index_module._git_changed_paths, []
    monkeypatch.setattr(index_module, "_git_changed_paths", lambda *args: None)  # timed out
    assert listed_ids(desk_b, "--open") == [made[month] for month in MONTHS[1:]]
    monkeypatch.setattr(index_module, "_git_changed_paths",
                        lambda *args: asked.append(args) or real(*args))
    monkeypatch.setattr(yamlcache, "RACY_SECONDS", 0)
    assert listed_ids(desk_b, "--open") == [made[month] for month in MONTHS[1:]]
    assert asked, "the pull whose diff failed was not looked at again"


@pytest.mark.parametrize("how", ["separate-git-dir", "linked-worktree", "subfolder"])
def test_a_pull_into_an_old_day_folder_is_seen_when_git_is_not_a_plain_dot_git(
        tmp_path, two_desks, how):
    remote, desk_a, made = two_desks
    if how == "subfolder":  # the workspace is a folder of a bigger repository
        top = tmp_path / "big"
        top.mkdir()
        git(top, "init", "-q", "--initial-branch=main")
        identify(top)
        shutil.copytree(desk_a, top / "desk", ignore=shutil.ignore_patterns(".git", ".dutyctl"))
        git(top, "add", "-A")
        git(top, "commit", "-q", "-m", "all")
        desk_b = top / "desk"
    elif how == "linked-worktree":
        clone = tmp_path / "clone"
        git(tmp_path, "clone", "-q", str(remote), str(clone))
        desk_b = tmp_path / "desk-b"
        git(clone, "worktree", "add", "-q", "-b", "desk-b", str(desk_b), "origin/main")
        top = desk_b
    else:
        desk_b = tmp_path / "desk-b"
        git(tmp_path, "clone", "-q", "--separate-git-dir", str(tmp_path / "b.git"),
            str(remote), str(desk_b))
        top = desk_b
    identify(top)
    assert (desk_b / ".git").is_file() or how == "subfolder"
    assert listed_ids(desk_b, "--open") == list(made.values())
    assert listed_ids(desk_b, "--open") == list(made.values())

    if how == "subfolder":  # a branch carrying the callback step, merged in as a pull would
        _close_may(desk_a, made)
        (event,) = [p for p in record_files(desk_a) if p.name.count(".") == 2]
        git(top, "checkout", "-q", "-b", "other")
        (desk_b / event.relative_to(desk_a)).write_bytes(event.read_bytes())
        git(top, "add", "-A")
        git(top, "commit", "-q", "-m", "called back")
        git(top, "checkout", "-q", "main")
        git(top, "merge", "-q", "--ff-only", "other")
    else:
        _push_may_callback(desk_a, made)
        git(desk_b, "pull", "-q", "--no-rebase", "origin", "main")
    assert listed_ids(desk_b, "--open") == [made[month] for month in MONTHS[1:]]


def test_head_is_a_full_hash_or_nothing(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "--initial-branch=main")
    identify(root)
    git(root, "commit", "-q", "--allow-empty", "-m", "one")
    commit = git(root, "rev-parse", "HEAD").strip()
    assert githead.head(root) == commit
    refs = root / ".git" / "refs" / "heads"
    (refs / "alias").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / ".git" / "HEAD").write_text("ref: refs/heads/alias\n", encoding="utf-8")
    assert githead.head(root) == commit  # one symbolic ref followed
    (refs / "alias").write_text("ref: refs/heads/alias\n", encoding="utf-8")
    assert githead.head(root) is None  # a loop
    (refs / "alias").write_text("not a commit\n", encoding="utf-8")
    assert githead.head(root) is None
    (root / ".git" / "HEAD").write_text(commit[:12] + "\n", encoding="utf-8")
    assert githead.head(root) is None


@pytest.mark.parametrize("how", ["plain", "separate-git-dir", "linked-worktree", "GIT_DIR"])
def test_githead_reads_what_git_says_through_a_dot_git_file(tmp_path, monkeypatch, how):
    """HEAD, its branch, the last fetch and git's index file, read from the folder a `.git`
    file names as from `.git` itself; nothing when GIT_DIR points elsewhere."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "--initial-branch=main")
    identify(origin)
    git(origin, "commit", "-q", "--allow-empty", "-m", "one")
    root = tmp_path / "desk"
    if how == "linked-worktree":
        git(origin, "worktree", "add", "-q", "-b", "desk", str(root))
    else:
        extra = ["--separate-git-dir", str(tmp_path / "desk.git")] \
            if how == "separate-git-dir" else []
        git(tmp_path, "clone", "-q", *extra, str(origin), str(root))
    git(root, "fetch", "-q", str(origin), "main")
    assert (root / ".git").is_file() == (how in ("separate-git-dir", "linked-worktree"))
    if how == "GIT_DIR":
        monkeypatch.setenv("GIT_DIR", str(root / ".git"))
        assert [githead.head(root), githead.branch(root), githead.fetched(root),
                githead.index_stamp(root)] == [None] * 4
        return
    assert githead.head(root) == git(root, "rev-parse", "HEAD").strip()
    assert githead.branch(root) == git(root, "symbolic-ref", "--short", "HEAD").strip()
    assert githead.fetched(root) == git(root, "rev-parse", "FETCH_HEAD").strip()
    where = Path(git(root, "rev-parse", "--absolute-git-dir").strip()) / "index"
    assert githead.index_stamp(root) == [where.stat().st_mtime_ns, where.stat().st_size,
                                         where.stat().st_ino]
