"""Small helpers shared by the foundation tests (git, a typical call's flags, a store that
reads the files)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def identify(root: Path, name: str = "Desk", email: str = "desk@example.com") -> None:
    git(root, "config", "user.name", name)
    git(root, "config", "user.email", email)


#: bytes of address space a guarded command runs in (a 16 GB allocation fails fast)
MEMORY_LIMIT = 2 << 30


def memory_bound() -> None:
    """subprocess.run(..., preexec_fn=memory_bound): the child's memory bounded (MEMORY_LIMIT)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def call_flags(name: str = "张三", room: str = "3-2-501", phone: str = "13812345678",
               summary: str = "物业费怎么交", *extra: str) -> list[str]:
    return ["log", "call", "--name", name, "--room", room, "--phone", phone,
            "--summary", summary, *extra]


def record_files(root: Path) -> list[Path]:
    """Every record and event file of a workspace."""
    return sorted((root / "records").rglob("*.yaml"))


def edit_in_place(path: Path, old: str, new: str) -> None:
    """Change a record file as an editor that writes in place does: same inode, its day
    folder's mtime kept (only git can tell the file changed)."""
    folder = path.parent.stat()
    with open(path, "r+", encoding="utf-8") as handle:
        text = handle.read().replace(old, new)
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    os.utime(path.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))


def count_roster_listings(monkeypatch, modules) -> list:
    """Counts the listings of rosters/ made through `roster_files` as the roster modules named
    imported it (one entry per listing): the "listed once" tests."""
    from dutyctl.roster import rosterfile

    calls: list = []
    listing = rosterfile.roster_files

    def counted(workspace):
        calls.append(1)
        return listing(workspace)

    for module in modules:
        monkeypatch.setattr(f"dutyctl.roster.{module}.roster_files", counted, raising=False)
    return calls


def files_store(workspace):
    """A store of the workspace's records without a state folder: every question reads the
    files. Each day folder is parsed once (the tests with it only read: a second parse would
    give the same records), so a question costs its own logic, not the parsing again."""
    from dutyctl.store.recordstore import Store

    store = Store(workspace.records_dir, workspace.config.tz, workspace.config)
    parsed, load_day = {}, store.load_day

    def load_day_once(day, problems):
        if day not in parsed:
            found: list = []
            parsed[day] = load_day(day, found), found
        records, found = parsed[day]
        problems.extend(found)
        return list(records)

    store.load_day = load_day_once
    return store


def without_waiting_on(fifos, call, seconds: float = 30):
    """call()'s value (or its exception, raised here), failing the test, not hanging the
    suite, where it waits on one of `fifos` (a path or several): opened for reading, a FIFO
    blocks until a writer comes, which then lets it go."""
    import threading

    import pytest

    answer = []

    def run():
        try:
            answer.append((True, call()))
        except BaseException as exc:  # raised again in the test's own thread
            answer.append((False, exc))

    reader = threading.Thread(target=run, daemon=True)
    reader.start()
    reader.join(seconds)
    if reader.is_alive():
        for fifo in [fifos] if isinstance(fifos, (str, os.PathLike)) else fifos:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # no reader waits on this one
                pass
        pytest.fail(f"waited on a FIFO: {fifos}")
    returned, value = answer[0]
    if not returned:
        raise value
    return value


def unreadable_folder(monkeypatch, folder) -> None:
    """`folder` cannot be listed, as one this account may not read (the tests run as root,
    whom permissions do not stop)."""
    import os

    locked = str(folder)

    def denied(real):
        def listing(path="."):
            if not isinstance(path, int) and os.fspath(path) == locked:  # rmtree passes fds
                raise PermissionError(13, "Permission denied", locked)
            return real(path)
        return listing

    monkeypatch.setattr(os, "listdir", denied(os.listdir))
    monkeypatch.setattr(os, "scandir", denied(os.scandir))
