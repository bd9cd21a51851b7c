"""The plumbed auto-commit's edges: the encoding of what git reads on stdin, the index's
mode and content as the tree's, and the leftover look's folders (moved in, mtimes put back,
file systems whose link counts say nothing, a file server's clock)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from dutyctl import gitsync, yamlcache
from tests.helpers_foundation import git

pytestmark = pytest.mark.auto_commit  # these tests are about git


def saved(root: Path, name: str, text: str = "id: x\n", day: str = "2026/10/12") -> Path:
    path = root / "records" / day / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def commit(root: Path, *paths: Path, message: str = "m") -> bool:
    return gitsync.commit(root, list(paths), message, root / ".dutyctl")


def clean(root: Path) -> bool:
    return git(root, "status", "--porcelain", "--untracked-files=all") == ""


def committed(root: Path, path: Path) -> bool:
    return path.resolve().relative_to(root.resolve()).as_posix() in git(root, "ls-files")


# -- what git reads on stdin is UTF-8, whatever the locale's encoding -----------------------

def test_a_chinese_message_is_kept_under_a_chinese_windows_locale(workspace, monkeypatch):
    """text=True alone encodes stdin in the locale's encoding (cp936 on a Chinese Windows):
    commit-tree would keep GBK bytes in a history git reads as UTF-8."""
    real = subprocess.run

    def locale_gbk(*args, **kw):
        if kw.get("text") or kw.get("universal_newlines"):
            kw.setdefault("encoding", "gbk")
        return real(*args, **kw)

    root = workspace.root
    message = "来电 3-2-501 咨询 — 张伟"
    with monkeypatch.context() as chinese_windows:
        chinese_windows.setattr(gitsync.subprocess, "run", locale_gbk)
        assert commit(root, saved(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml"), message=message)
    assert git(root, "log", "-1", "--format=%s") == message + "\n"
    assert clean(root)


def test_a_name_in_bytes_no_utf8_is_committed_without_a_traceback(workspace):
    root = workspace.root
    folder = root / "records" / "2026" / "10" / "12"
    folder.mkdir(parents=True, exist_ok=True)
    odd = Path(os.fsdecode(bytes(folder) + b"/\xff\xfe-notes.yaml"))
    odd.write_text("x: 1\n", encoding="utf-8")
    assert commit(root, odd)
    listed = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "--name-only", "-z",
                             "HEAD"], capture_output=True, check=True).stdout.split(b"\0")
    assert b"records/2026/10/12/\xff\xfe-notes.yaml" in listed
    assert clean(root)


# -- the tree gets what git's index has ----------------------------------------------------

def test_an_executable_mode_kept_by_core_filemode_false_stays_in_head(workspace):
    """core.fileMode=false: update-index keeps the index's 100755; a tree saying 100644
    would leave a staged mode change in `git status` for ever."""
    root = workspace.root
    path = saved(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml", "v1\n")
    git(root, "config", "core.fileMode", "false")
    git(root, "add", str(path))
    git(root, "update-index", "--chmod=+x", str(path))
    git(root, "commit", "-qm", "executable")
    path.write_text("v2\n", encoding="utf-8")
    assert commit(root, path)
    name = "records/2026/10/12/01M4PVR2MJDN04MAF9W87Q7SMD.yaml"
    assert git(root, "ls-tree", "HEAD", name).startswith("100755 ")
    assert git(root, "show", f"HEAD:{name}") == "v2\n"
    assert clean(root)


def test_a_file_rewritten_after_it_was_staged_commits_what_was_staged(workspace, monkeypatch):
    """The blob is the one update-index hashed: HEAD and the index agree even if the file
    changes meanwhile (another terminal), and the newer content is left to the next commit."""
    root = workspace.root
    path = saved(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml", "v1\n")
    assert commit(root, path)
    path.write_text("v2 (A)\n", encoding="utf-8")
    real = gitsync.git

    def racing(where, *args, **kw):
        done = real(where, *args, **kw)
        if args[0] == "update-index":
            path.write_text("v3 (B)\n", encoding="utf-8")
        return done

    monkeypatch.setattr(gitsync, "git", racing)
    assert commit(root, path)
    name = "records/2026/10/12/01M4PVR2MJDN04MAF9W87Q7SMD.yaml"
    assert git(root, "show", f"HEAD:{name}") == git(root, "show", f":{name}") == "v2 (A)\n"
    assert git(root, "diff", "--cached", "--name-only") == ""


# -- the leftover look on a big index: folders that changed without their mtime saying so -----

LEFT = "01M4PVR2MJDN04MAF9W87Q7SMD.yaml"  # a record file a crash left uncommitted


def aged(path: Path, seconds: float = 3600) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


@pytest.fixture
def big(workspace, monkeypatch):
    """git's index counted as big (the look only where things changed since the last one),
    after a first commit whose look was of the whole of records/. No margin for a coarse
    file clock: what was there at that look counts as unchanged since."""
    monkeypatch.setattr(gitsync, "STATUS_INDEX_BYTES", 0)
    monkeypatch.setattr(yamlcache, "RACY_SECONDS", 0)
    root = workspace.root
    assert commit(root, saved(root, "01M4PVR2MJDN04MAF9W87Q7SMA.yaml", day="2026/10/01"))
    assert (root / ".dutyctl" / gitsync.LAST_LOOK).exists()
    return root


def own_commit(root: Path) -> None:
    assert commit(root, saved(root, "01M4PVR2MJDN04MAF9W87Q7SMQ.yaml", day="2026/12/01"))


def test_a_day_folder_moved_in_with_its_old_mtimes_is_looked_at(big, tmp_path):
    """`mv` of a copy keeps the folders' mtimes; only their ctime says they came."""
    root = big
    outside = tmp_path / "copy"
    day = outside / "11" / "03"
    day.mkdir(parents=True)
    (day / LEFT).write_text("id: x\n", encoding="utf-8")
    left = aged(day / LEFT)
    plain = outside / "15"
    plain.mkdir()
    other = plain / "01M4PVR2MJDN04MAF9W87Q7SMP.yaml"
    other.write_text("id: y\n", encoding="utf-8")
    aged(other)
    for folder in (day, day.parent, plain):
        aged(folder)
    os.rename(day.parent, root / "records" / "2026" / "11")  # a month holding a day
    os.rename(plain, root / "records" / "2026" / "10" / "15")  # a day
    own_commit(root)
    assert committed(root, root / "records" / "2026" / "11" / "03" / LEFT)
    assert committed(root, root / "records" / "2026" / "10" / "15" / other.name)
    assert left and clean(root)


def test_a_file_added_where_the_folders_mtime_was_put_back_is_looked_at(big):
    """A copy (`rsync -a`, `touch -r`) puts a folder's mtime back; its ctime moves all the
    same."""
    root = big
    left = aged(saved(root, LEFT, day="2026/10/01"))
    aged(left.parent)
    own_commit(root)
    assert committed(root, left)
    assert clean(root)


class _Counts:
    """os for gitsync, with every folder's link count 2 (CIFS, some FUSE file systems)."""

    class _Entry:
        def __init__(self, entry):
            self._entry, self.path, self.name = entry, entry.path, entry.name

        def is_dir(self, **kw):
            return self._entry.is_dir(**kw)

        def stat(self, **kw):
            return _Counts._Info(self._entry.stat(**kw))

    class _Info:
        st_nlink = 2

        def __init__(self, info):
            self._info = info

        def __getattr__(self, name):
            return getattr(self._info, name)

    class _Listing:
        def __init__(self, listing):
            self._listing = listing

        def __enter__(self):
            return (_Counts._Entry(entry) for entry in self._listing.__enter__())

        def __exit__(self, *exc):
            return self._listing.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(os, name)

    def stat(self, *args, **kw):
        return self._Info(os.stat(*args, **kw))

    def scandir(self, *args, **kw):
        return self._Listing(os.scandir(*args, **kw))


def test_where_every_folder_says_two_links_every_folder_is_looked_at(big, monkeypatch):
    root = big
    left = aged(saved(root, LEFT, day="2026/10/01"))  # its day folder's mtime moves alone
    monkeypatch.setattr(gitsync, "os", _Counts())
    own_commit(root)
    assert committed(root, left)
    assert clean(root)


def test_the_look_begins_by_the_file_systems_clock(big, monkeypatch):
    """This machine's clock an hour ahead of the file server's: a folder changed after the
    last look still counts as changed."""
    root = big
    real = time.time_ns
    with monkeypatch.context() as ahead:
        ahead.setattr(gitsync.time, "time_ns", lambda: real() + 3600 * 10**9)
        own_commit(root)
    left = aged(saved(root, LEFT, day="2026/10/01"))
    assert not committed(root, left)
    own_commit(root)
    assert committed(root, left)
    assert clean(root)


def test_a_record_under_a_path_gitignore_lists_is_committed_all_the_same(workspace):
    """Records are dutyctl's: update-index does not refuse what a .gitignore lists (git add
    did, leaving the record uncommitted with a warning on every command)."""
    root = workspace.root
    (root / ".gitignore").write_text("records/2026/10/\n", encoding="utf-8")
    git(root, "add", ".gitignore")
    git(root, "commit", "-qm", "ignore")
    path = saved(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml")
    assert commit(root, path)
    assert committed(root, path)
    assert git(root, "diff", "--cached", "--name-only") == ""


def test_a_path_relative_to_the_workspace_is_committed_from_any_folder(workspace, tmp_path,
                                                                      monkeypatch):
    """A step's path as a record read back gives it (Event.path: records/2026/10/12/…) is the
    workspace's: run from another folder (--root), git said 'fatal: Invalid path' and the step
    stayed uncommitted. An absolute path is committed as before; a path outside the workspace
    is still refused (False, nothing committed)."""
    root = workspace.root
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    relative = saved(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml").relative_to(root)
    assert commit(root, relative)
    assert committed(root, root / relative) and clean(root)
    absolute = saved(root, "01M4PVR2MJDN04MAF9W87Q7SME.yaml")
    assert commit(root, absolute) and committed(root, absolute) and clean(root)
    head = git(root, "rev-parse", "HEAD")
    (elsewhere / "outside.yaml").write_text("id: x\n", encoding="utf-8")
    assert not commit(root, Path("..") / "elsewhere" / "outside.yaml")
    assert not commit(root, elsewhere / "outside.yaml")
    assert git(root, "rev-parse", "HEAD") == head
