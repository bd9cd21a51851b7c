"""Atomic file writes: a reader or a crash never sees a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from pathlib import Path

try:
    import fcntl
except ModuleNotFoundError:  # Windows: FileLock takes the lock through the filelock package
    fcntl = None

from dutyctl import notices
from dutyctl.errors import EnvironmentFailure, InputError, os_reason
from dutyctl.messages import t
from dutyctl.patterns import lazy
from dutyctl.store.plainfile import open_own


# The test suite sets DUTYCTL_NO_FSYNC=1 (tests/conftest.py): its thousands of throw-away
# workspaces need no power-cut safety, and waiting for the disk was most of its wall time.
# It counts only under pytest (PYTEST_CURRENT_TEST, which the test's children inherit): a
# variable copied into a desk's shell never costs a record written before a power cut.
NO_FSYNC = "DUTYCTL_NO_FSYNC"
UNDER_PYTEST = "PYTEST_CURRENT_TEST"


def durable() -> bool:
    """Whether writes wait for the disk: always, except in a test run with the switch."""
    return os.environ.get(NO_FSYNC) != "1" or UNDER_PYTEST not in os.environ


def _fsync_dir(folder: Path) -> None:
    if not durable():
        return
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def not_a_folder(path: Path) -> Path | None:
    """The first of path's parents that exists but is a file or a dangling symbolic link, if
    any."""
    return next((parent for parent in reversed(path.parents)
                 if os.path.lexists(parent) and not parent.is_dir()), None)


def state_refusal(path: Path) -> EnvironmentFailure | None:
    """Why dutyctl keeps nothing of its own at `path` in the state folder (`.dutyctl`: locks,
    caches, the record index), None when it may: the folder is there, or not yet. The one
    rule for that folder: a file or a dangling symbolic link where it belongs (or above it),
    or a symbolic link to a folder elsewhere (nothing is written through it), both committed
    by another desk. A lock raises it (exit 3); `Workspace.cache_dir` is None by it."""
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(path.parent).st_mode):
            return None  # the usual case, said by one lstat
    if blocking := not_a_folder(path):
        return EnvironmentFailure(t("not a folder: cannot write {name} inside it",
                                    name=path.name), path=blocking)
    if path.parent.is_symlink():
        return EnvironmentFailure(t("a symbolic link: dutyctl does not write through it "
                                    "(replace it by a folder)"), path=path.parent)
    return None


def link_refusal(path: Path) -> EnvironmentFailure | None:
    """Why dutyctl does not open its own file `path`: a symbolic link is there (see
    open_own); None when it may."""
    if os.path.islink(path):
        return EnvironmentFailure(t("a symbolic link where dutyctl keeps a file of its own: "
                                    "it never writes through one; delete it (git rm it if git "
                                    "tracks it)"), path=path)
    return None


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


def write_output(path: Path, data: str | bytes) -> None:
    """--output FILE as the user typed it: a new or regular file written whole (write_atomic,
    never half a report); through a symbolic link, the file it names (the link stays: a
    served `latest.html` pointing at this month's); one of this process's own descriptors
    (/dev/stdout, /dev/fd/3, a shell's `>(…)`) written to as it is open (a log appended to
    with `>>` stays appended to); a device or a named pipe written into, as a shell's `>`
    does, a pipe nobody reads refused rather than waited on. write_atomic put a file in their
    place: /dev/null replaced by a report, the reader of the pipe given nothing."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    descriptor = _own_descriptor(str(path))
    if descriptor is not None:
        if descriptor in (1, 2):
            (sys.stdout if descriptor == 1 else sys.stderr).flush()
        return _write_to(descriptor, payload, path)
    try:
        mode = os.stat(path).st_mode  # through links
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        flags = os.O_WRONLY | (os.O_NONBLOCK if stat.S_ISFIFO(mode) else 0)
        try:
            descriptor = os.open(path, flags)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # a named pipe with no reader: nobody to write for
                raise EnvironmentFailure(t("a named pipe nothing reads: nothing written"),
                                         path=path) from None
            raise EnvironmentFailure(t("cannot write: {reason}", reason=os_reason(exc)),
                                     path=path) from None
        try:
            os.set_blocking(descriptor, True)
            _write_to(descriptor, payload, path)
        finally:
            os.close(descriptor)
        return
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    write_atomic(target, data, make_folders=False)


#: a path naming one of the process's own open descriptors
_DESCRIPTOR = lazy(r"/(?:dev/fd|proc/(?:self|thread-self|(\d+))/fd)/(\d+)")


def _own_descriptor(path: str) -> int | None:
    """The descriptor `path` names, followed link by link (/dev/stdout -> /proc/self/fd/1),
    when it is one of this process's own; else None."""
    for _ in range(40):
        found = _DESCRIPTOR.fullmatch(os.path.normpath(path))
        if found and (found[1] is None or int(found[1]) == os.getpid()):
            return int(found[2])
        if not os.path.islink(path):
            return None
        try:
            path = os.path.join(os.path.dirname(path), os.readlink(path))
        except OSError:
            return None
    return None


def _write_to(descriptor: int, payload: bytes, path) -> None:
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(descriptor, view):]
    except OSError as exc:
        raise EnvironmentFailure(t("cannot write: {reason}", reason=os_reason(exc)),
                                 path=path) from None


def write_atomic(path: Path, text: str | bytes, make_folders: bool = True,
                 inside: Path | None = None, private: bool = False,
                 rewritten: bool = False) -> None:
    """Temp file in the same folder, flush, fsync, os.replace, fsync the folder.

    make_folders=False for a path the user typed (--output): a typo in a folder name is an
    error, not a new folder tree. `inside`: the workspace the file belongs to; no symbolic
    link on the way from there is followed. `private`: the file is the user's alone (0600).
    `rewritten`: a state file written again and again (.dutyctl/sync-checked): the temporary
    files a killed write of it left are cleared (plainfile.clear_stale_temporaries)."""
    path = Path(path)
    if blocking := not_a_folder(path):
        raise EnvironmentFailure(t("not a folder: cannot write {name} inside it",
                                   name=path.name), path=blocking)
    if inside is not None and (linked := _linked_folder(path, inside)):
        raise EnvironmentFailure(t("a symbolic link: dutyctl does not write through it (replace "
                                   "it by a folder)"), path=linked)
    if not make_folders and not path.parent.is_dir():
        raise InputError(t("no such folder: {folder}", folder=path.parent), path=path)
    if not make_folders and path.is_dir():  # --output /srv/reports: a typing slip, exit 2
        raise InputError(t("a folder, not a file: name the file to write"), path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = _temp_file(path)
    except OSError as exc:
        raise EnvironmentFailure(t("cannot write: {reason}", reason=os_reason(exc)),
                                 path=path) from None
    try:
        _write_whole(fd, text, 0o600 if private else _file_mode())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise EnvironmentFailure(t("cannot write: {reason}", reason=os_reason(exc)),
                                     path=path) from None
        raise
    _fsync_dir(path.parent)
    if rewritten:
        from dutyctl.store.plainfile import clear_stale_temporaries

        clear_stale_temporaries(path)


def _temp_file(path: Path) -> tuple[int, str]:
    """A new, private file beside `path` (`.name.<random>.tmp`): tempfile.mkstemp's job,
    without the import of tempfile and random every writing command paid."""
    flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    for _ in range(100):
        temp = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def _write_whole(fd: int, text: str | bytes, mode: int) -> None:
    """Text (or an xlsx workbook's bytes) into a fresh temp file, on disk before it is linked."""
    os.fchmod(fd, mode)
    with (os.fdopen(fd, "wb") if isinstance(text, bytes)
          else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as handle:
        handle.write(text)
        handle.flush()
        if durable():
            os.fsync(handle.fileno())


def in_workers(function, items: list, chunksize: int):
    """`function` of each item, in order: in forked worker processes (one per core, at most
    four) for a long list, else here — starting workers costs more than a short list."""
    workers = min(os.cpu_count() or 1, 4)
    if len(items) < PARALLEL_MIN_ITEMS or workers < 2 or not hasattr(os, "fork"):
        yield from map(function, items)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(function, items, chunksize=chunksize)


PARALLEL_MIN_ITEMS = 30  # day folders: fewer are read in this process


def create_new(path: Path, text: str) -> bool:
    """Write a file that must not exist yet, whole or not at all: written to a temp file, then
    linked into place (a link never replaces a file). False when the file was there already.
    A full disk leaves nothing behind that a second try would take for a finished file.
    OSError passes through."""
    fd, temp = _temp_file(path)
    try:
        _write_whole(fd, text, _file_mode())
        os.link(temp, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _fsync_dir(path.parent)
    return True


LOCK_WAIT = 120.0  # seconds: a suspended or hung holder makes a writer give up, not hang
LOCK_POLL = 0.02
LOCK_NOTICE = 10.0  # seconds waited before saying so (a busy desk's turn can take seconds)


class FileLock:
    """An exclusive lock on a file, released on close, even by a killed process.

    Where the system has `fcntl` (Linux, macOS) it is a `flock` on our own handle: no import
    cost, and a child given `keep` (git, see gitsync.git) holds the lock on after us. Elsewhere
    (Windows) the `filelock` package takes it, and `keep` is empty."""

    def __init__(self, path: Path):
        if refusal := state_refusal(path):  # a `.dutyctl` another desk committed
            raise refusal
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if fcntl is not None:
                self._handle = open_own(path, truncate=False)
            else:
                import filelock

                if refusal := link_refusal(path):  # filelock would write through it
                    raise refusal
                self._handle = filelock.FileLock(str(path))
        except OSError as exc:
            if refusal := link_refusal(path):
                raise refusal from None
            raise EnvironmentFailure(t("cannot take the lock: {reason}",
                                       reason=os_reason(exc)), path=path) from None
        self.keep: tuple[int, ...] = ()  # descriptors a child inherits to hold the lock on

    def try_take(self) -> bool:
        """Take the lock if it is free now; never waits."""
        if fcntl is None:
            import filelock

            try:
                self._handle.acquire(timeout=0)
            except filelock.Timeout:
                return False
            return True
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self.keep = (self._handle.fileno(),)
        return True

    def close(self) -> None:
        if fcntl is None:
            self._handle.release()
        else:
            self._handle.close()

    def __enter__(self) -> "FileLock":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def try_exclusive(lock_path: Path) -> FileLock | None:
    """The lock taken, or None when someone holds it (a cron job skips its run, never queues).
    The caller closes it."""
    lock = FileLock(lock_path)
    if lock.try_take():
        return lock
    lock.close()
    return None


@contextlib.contextmanager
def exclusive(lock_path: Path, wait: float | None = None):
    """Several terminals at one desk take turns here: a read-check-write (clock in, a roster
    edit, a git commit) runs alone. The lock (yielded: its `keep` lets a child hold it on) is
    released on exit. A writer kept waiting says so once on stderr and gives up after `wait`
    seconds with a message naming the lock (EnvironmentFailure)."""
    lock = FileLock(lock_path)
    try:
        _take(lock, lock_path, LOCK_WAIT if wait is None else wait)
        yield lock
    finally:
        lock.close()


def _take(lock: FileLock, lock_path: Path, wait: float) -> None:
    start, told, notice = time.monotonic(), False, min(LOCK_NOTICE, wait / 2)
    while not lock.try_take():
        waited = time.monotonic() - start
        if wait > 0 and waited > notice and not told:  # the usual turn unsaid; a give-up never
            told = True
            notices.warn(t("dutyctl: waiting for another dutyctl command in this workspace to "
                           "finish (up to {seconds} s)", seconds=round(wait)))
        if waited > wait:
            raise EnvironmentFailure(t("another dutyctl command has held this lock for over "
                                       "{seconds} s (suspended or hung?): end it, then try "
                                       "again", seconds=round(wait)), path=lock_path)
        time.sleep(LOCK_POLL)

