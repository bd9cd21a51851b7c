"""The shortcuts that spare git runs read files that may come from anywhere (a merge, another
desk, a damaged disk): the trees kept by the desk's last commit (gitsync._kept_trees) and the
loose commits githead walks. Nothing in them can stop a write or fill the memory, and a walk
is git's own answer or none (ask git)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from dutyctl import gitsync
from dutyctl.store import githead
from tests.conftest import Cli
from tests.helpers_foundation import call_flags, git

MEMORY_LIMIT = 2 << 30  # bytes of address space for a write (a 16 GB allocation fails fast)
REVIEWERS_BYTES = b"(\xff\xff\xff\x7f"  # marshal: a tuple of 2**31 - 1 items


def limited_write(root: Path, room: str, at: str) -> subprocess.CompletedProcess:
    """One `log call` through the installed program, its memory bounded."""
    import resource

    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    script = Path(sys.executable).with_name("dutyctl")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "dutyctl"]
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    env.pop("DUTYCTL_ROOT", None)
    return subprocess.run([*command, "--root", str(root), *call_flags(room=room), "--at", at],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                          preexec_fn=bound, timeout=300)


@pytest.mark.auto_commit
@pytest.mark.parametrize("damage", ["reviewer", "random"])
def test_a_damaged_kept_trees_file_never_stops_a_write(workspace, damage):
    root = workspace.root
    done = Cli(root)(*call_flags(room="1-1-101"), "--at", "2026-10-12 09:30")
    assert done.exit_code == 0, done.stderr
    kept = workspace.state_dir / gitsync.KEPT_TREES
    assert kept.is_file()  # the desk's last commit kept its trees
    kept.write_bytes(REVIEWERS_BYTES if damage == "reviewer"
                     else random.Random(13).randbytes(4096))
    for room, at in (("1-1-102", "2026-10-12 09:40"), ("1-1-103", "2026-10-12 09:50")):
        done = limited_write(root, room, at)
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
