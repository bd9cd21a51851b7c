"""The shortcuts that spare git runs read files that may come from anywhere (a merge, another
desk, a damaged disk): the trees kept by the desk's last commit (gitsync._kept_trees) and the
loose commits githead walks. Nothing in them can stop a write or fill the memory, and a walk
is git's own answer or none (ask git)."""

from __future__ import annotations

import hashlib
import random
import zlib
from pathlib import Path

import pytest

from dutyctl import gitsync, sync
from dutyctl.store import githead
from tests.conftest import Cli, run_dutyctl
from tests.helpers_foundation import call_flags, git, memory_bound

REVIEWERS_BYTES = b"(\xff\xff\xff\x7f"  # marshal: a tuple of 2**31 - 1 items


@pytest.mark.auto_commit
@pytest.mark.parametrize("damage", ["reviewer", "random"])
def test_a_damaged_kept_trees_file_never_stops_a_write(workspace, damage, dutyctl_command):
    root = workspace.root
    done = Cli(root)(*call_flags(room="1-1-101"), "--at", "2026-10-12 09:30")
    assert done.exit_code == 0, done.stderr
    kept = workspace.state_dir / gitsync.KEPT_TREES
    assert kept.is_file()  # the desk's last commit kept its trees
    kept.write_bytes(REVIEWERS_BYTES if damage == "reviewer"
                     else random.Random(13).randbytes(4096))
    for room, at in (("1-1-102", "2026-10-12 09:40"), ("1-1-103", "2026-10-12 09:50")):
        done = run_dutyctl(dutyctl_command, *call_flags(room=room), "--at", at, root=root,
                           preexec_fn=memory_bound, timeout=300)  # its memory bounded
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "--format=%s").count("\n") == 4  # init, and each write's
    committed = git(root, "ls-tree", "-r", "--name-only", "HEAD", "records").split()
    assert sorted(name for name in committed if name.endswith(".yaml")) == sorted(
        str(path.relative_to(root)) for path in root.joinpath("records").rglob("*.yaml"))


@pytest.mark.auto_commit
def test_kept_trees_are_used_whole_and_right_or_not_at_all(workspace):
    """Every change to a good kept file (a byte flipped, cut short, lengthened) gives either
    exactly git's trees or None, never an error."""
    root = workspace.root
    cli = Cli(root)
    for room, at in (("1-1-101", "2026-10-12 09:30"), ("1-1-102", "2026-10-12 09:40")):
        assert cli(*call_flags(room=room), "--at", at).exit_code == 0
    old = githead.head(root)
    folders = ["records/2026/10/12", "records/2026/10", "records/2026", "records", ""]
    truth = gitsync._trees(root, old, folders, ())
    kept = workspace.state_dir / gitsync.KEPT_TREES
    good = kept.read_bytes()
    assert gitsync._kept_trees(root, old, folders, workspace.state_dir) == truth
    chance = random.Random(13)
    damaged = [REVIEWERS_BYTES, b"", good[:-1], good + b"x", good + b"x\0" + b"9" * 12 + b"\n",
               good.replace(b"\0", b"\0" + b"9" * 20, 1)]
    for _ in range(300):
        data = bytearray(good)
        data[chance.randrange(len(data))] = chance.randrange(256)
        damaged.append(bytes(data))
        damaged.append(good[:chance.randrange(len(good))])
        damaged.append(chance.randbytes(chance.randrange(200)))
    for data in damaged:
        kept.write_bytes(data)
        assert gitsync._kept_trees(root, old, folders, workspace.state_dir) in (None, truth)


# -- the records a merge brought: one count, renames not looked for -------------------------

@pytest.mark.auto_commit
def test_a_record_removed_and_a_similar_one_added_count_as_two(workspace):
    root = workspace.root
    assert Cli(root)(*call_flags(), "--at", "2026-10-12 09:30").exit_code == 0
    before = githead.head(root)
    (record,) = root.joinpath("records").rglob("*.yaml")
    text = record.read_text(encoding="utf-8")
    old_id = record.name[:-5]
    new_id = old_id[:-1] + ("2" if old_id[-1] != "2" else "3")
    record.with_name(f"{new_id}.yaml").write_text(text.replace(old_id, new_id),
                                                   encoding="utf-8")
    record.unlink()
    git(root, "add", "-A", "records")
    git(root, "commit", "-qm", "a record replaced")
    assert sync._records_changed(root, before) == 2
    assert sync._Brought(workspace, before, githead.head(root)).records_count() == 2


# -- githead's walks: git's answer or none ------------------------------------------------------

def commits(root: Path, count: int) -> list[str]:
    git(root, "init", "-q", "-b", "main")
    made = []
    for number in range(count):
        (root / "f").write_text(str(number), encoding="utf-8")
        git(root, "add", "f")
        git(root, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", str(number))
        made.append(git(root, "rev-parse", "HEAD").strip())
    return made


@pytest.mark.parametrize("how", ["replace", "grafts", "packed"])
def test_walks_leave_replaced_history_to_git(tmp_path, how):
    root = tmp_path / "repo"
    root.mkdir()
    first, second, third = commits(root, 3)
    assert githead.ahead_behind(root, third, second) == (1, 0)
    assert githead.descends(root, third, second) is True
    if how == "grafts":
        (root / ".git" / "info").mkdir(exist_ok=True)
        (root / ".git" / "info" / "grafts").write_text(f"{third} {first}\n", encoding="utf-8")
    else:
        git(root, "replace", "--graft", third, first)
        if how == "packed":
            git(root, "pack-refs", "--all")
            assert not list((root / ".git" / "refs" / "replace").rglob("*"))
    # git now sees third's parent as first: second is no ancestor of it
    assert git(root, "rev-list", "--left-right", "--count", f"{third}...{second}").split() == [
        "1", "1"]
    assert githead.ahead_behind(root, third, second) is None
    assert githead.descends(root, third, second) is None
    assert githead.descends(root, third, third) is True


def test_walks_leave_a_shallow_boundary_to_git(tmp_path):
    """A shallow clone's boundary commit has no parents for git even where its parents'
    objects are there: the walk through the stored commits would see further."""
    root = tmp_path / "repo"
    root.mkdir()
    first, second, third = commits(root, 3)
    assert githead.descends(root, third, first) is True
    (root / ".git" / "shallow").write_text(f"{second}\n", encoding="utf-8")
    assert git(root, "rev-list", "--count", third).strip() == "2"  # third, second: no first
    assert githead.descends(root, third, first) is None
    assert githead.ahead_behind(root, third, first) is None


def test_a_loose_commit_is_read_to_its_headers_only(tmp_path):
    """A commit whose message is huge and compresses to little (one from another desk) is
    read for its header lines without unpacking the message."""
    import tracemalloc

    root = tmp_path / "repo"
    root.mkdir()
    (made,) = commits(root, 1)
    tree = git(root, "rev-parse", f"{made}^{{tree}}").strip()
    body = (f"tree {tree}\nparent {made}\nauthor a <a@b> 0 +0000\ncommitter a <a@b> 0 +0000\n\n"
            ).encode() + b"x" * (64 << 20)
    data = b"commit %d\0" % len(body) + body
    commit = hashlib.sha1(data).hexdigest()
    folder = root / ".git" / "objects" / commit[:2]
    folder.mkdir(exist_ok=True)
    (folder / commit[2:]).write_bytes(zlib.compress(data, 9))
    del body, data
    assert git(root, "cat-file", "-t", commit).strip() == "commit"
    tracemalloc.start()
    try:
        assert githead.tree_of(root, commit) == tree
        assert githead.parents(root, commit) == [made]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20  # bytes: not the 64 MB message
    # header lines longer than what is read: not plainly known
    long = (f"tree {tree}\nparent {made}\nx-note " + "y" * 200_000 + "\n\nmessage").encode()
    data = b"commit %d\0" % len(long) + long
    other = hashlib.sha1(data).hexdigest()
    (root / ".git" / "objects" / other[:2]).mkdir(exist_ok=True)
    (root / ".git" / "objects" / other[:2] / other[2:]).write_bytes(zlib.compress(data))
    assert githead.parents(root, other) is None


def test_the_push_count_leaves_replaced_history_to_git(tmp_path, monkeypatch):
    """`sync._outgoing` walked the stored commits without asking whether git sees other
    parents (grafts, replace refs, a shallow boundary), as the two walks in githead do."""
    from dutyctl import sync

    root = tmp_path / "repo"
    root.mkdir()
    first, second, third = commits(root, 3)
    asked = []
    monkeypatch.setattr(sync, "_ahead_behind", lambda where, theirs, replaced:
                        asked.append(theirs) or (7, 0))
    replaced = githead.history_replaced(root)  # as the sync asks it, once
    assert sync._outgoing(root, first, {}, replaced) == 2 and not asked  # plain: walked
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "grafts").write_text(f"{third} {first}\n", encoding="utf-8")
    replaced = githead.history_replaced(root)
    assert sync._outgoing(root, first, {}, replaced) == 7 and asked == [first]  # git's own


def test_a_walk_finds_the_git_folder_once_not_per_commit(tmp_path, monkeypatch):
    """descends and ahead_behind read commit after commit from the objects folder they found
    once (git_dir reads a `.git` file and `commondir` in a linked worktree)."""
    root = tmp_path / "repo"
    root.mkdir()
    made = commits(root, 6)
    asked = []
    real = githead.git_dir
    monkeypatch.setattr(githead, "git_dir", lambda where: asked.append(where) or real(where))
    assert githead.descends(root, made[-1], made[0]) is True
    assert githead.ahead_behind(root, made[-1], made[0]) == (5, 0)
    assert len(asked) <= 4, asked  # history_replaced and the objects folder, per walk
