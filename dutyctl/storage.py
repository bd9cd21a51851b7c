"""Atomic file writes: a reader or a crash never sees a half-written file."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

from dutyctl.errors import EnvironmentFailure, InputError
from dutyctl.messages import t


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _not_a_folder(path: Path) -> Path | None:
    """The first of path's parents that exists but is a file, if any."""
    return next((parent for parent in reversed(path.parents)
                 if parent.exists() and not parent.is_dir()), None)


def _linked_folder(path: Path, inside: Path) -> Path | None:
    """The first folder between `inside` and path's folder that is a symbolic link, if any:
    git carries symlinks, and a day folder linked elsewhere would take records out of the
    workspace."""
    try:
        parts = path.parent.relative_to(inside).parts
    except ValueError:
        return None
    folder = inside
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            return folder
    return None


def _file_mode() -> int:
    """What open() would give a new file: 0666 less the umask (mkstemp's 0600 would keep a
    second desk account of the same group out of the shared workspace)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, text: str, make_folders: bool = True,
                 inside: Path | None = None) -> None:
    """Temp file in the same folder, flush, fsync, os.replace, fsync the folder.

    make_folders=False for a path the user typed (--output): a typo in a folder name is an
    error, not a new folder tree. `inside`: the workspace the file belongs to; no symbolic
    link on the way from there is followed."""
    path = Path(path)
    if blocking := _not_a_folder(path):
        raise EnvironmentFailure(t("not a folder: cannot write {name} inside it",
                                   name=path.name), path=blocking)
    if inside is not None and (linked := _linked_folder(path, inside)):
        raise EnvironmentFailure(t("a symbolic link: dutyctl does not write through it (replace "
                                   "it by a folder)"), path=linked)
    if not make_folders and not path.parent.is_dir():
        raise InputError(t("no such folder: {folder}", folder=path.parent), path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise EnvironmentFailure(t("cannot write: {reason}", reason=exc.strerror),
                                 path=path) from None
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise EnvironmentFailure(t("cannot write: {reason}", reason=exc.strerror),
                                     path=path) from None
        raise
    _fsync_dir(path.parent)


@contextlib.contextmanager
def exclusive(lock_path: Path, wait: bool = True):
    """Several terminals at one desk take turns here: a read-check-write (clock in, a roster
    edit, a git commit) runs alone. The lock is released on exit, even by a killed process.
    wait=False: BlockingIOError at once when another process holds it."""
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "w")
    except OSError as exc:
        raise EnvironmentFailure(t("cannot take the lock: {reason}",
                                   reason=exc.strerror or exc), path=lock_path) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        yield
