"""The one bounded reader of a file that may come from another desk, in plain OS errors.

A symbolic link (git carries them: one to /dev/zero would fill the memory), a FIFO (would
block for ever) or a device is refused without being opened: lstat first, then the open
(`O_NOFOLLOW|O_NONBLOCK`) and an fstat of what was opened (the file may have been swapped
since). `yamlio` turns these errors into a clerk's words; the caches (`caches.py`) and sync's
kept commit trees (`gitsync`), which only read again when anything fails, take them as they
are. A file outside the workspace that its owner named (notify's webhook and secret files,
`links=True`) is followed through links, and still never a FIFO or device: dutyctl.yaml,
which names it, comes from every desk. Nothing of dutyctl is imported here: the caches sit
below the messages. Its writing counterpart, `open_own`, opens dutyctl's own files in the state
folder through no link.
"""

from __future__ import annotations

import os
import stat

# a flag this system lacks is no flag (O_BINARY: Windows only)
_FOLLOWING = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
              | getattr(os, "O_BINARY", 0))
_FLAGS = _FOLLOWING | getattr(os, "O_NOFOLLOW", 0)

# dutyctl's own files in the state folder are opened through no symbolic link: git carries
# links, and one another desk committed (`git add -f`) in place of a lock or a cache would have
# a write truncate a file outside the workspace. Such a link fails to open (ELOOP) instead.
_OWN_FILE = (os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def open_own(path, *, truncate: bool = True):
    """dutyctl's own file at `path` in the state folder (a lock, a cache's temporary copy, a
    note of the last look), made when missing and opened to write, never through a symbolic
    link (OSError then, as for any file that cannot be opened)."""
    fd = os.open(path, _OWN_FILE | (os.O_TRUNC if truncate else 0), 0o666)
    return os.fdopen(fd, "r+b", buffering=0)


class NotPlainFile(OSError):
    """The path is no regular file (`mode`: its st_mode, for saying what it is)."""

    def __init__(self, path, mode: int):
        super().__init__(f"{path}: not a plain file")
        self.mode = mode


#: a temporary file of a write (`.NAME.PID.tmp`) older than this was left by a process killed
#: mid-write: no write takes this long
STALE_TEMPORARY = 600.0


def clear_stale_temporaries(path) -> None:
    """Remove the temporary files a killed write of `path` left beside it (`.NAME.*.tmp`
    older than STALE_TEMPORARY): nothing else ever removed them, and a later process of the
    same pid wrote over its namesake's."""
    import time

    folder, prefix = os.path.dirname(os.fspath(path)) or ".", f".{os.path.basename(path)}."
    try:
        names = [name for name in os.listdir(folder)
                 if name.startswith(prefix) and name.endswith(".tmp")]
    except OSError:
        return
    now = time.time()
    for name in names:
        try:
            if now - os.lstat(os.path.join(folder, name)).st_mtime > STALE_TEMPORARY:
                os.unlink(os.path.join(folder, name))
        except OSError:
            continue


def read_plain(path, limit: int, listed: bool = False,
               links: bool = False) -> tuple[bytes, os.stat_result]:
    """(the bytes of the regular file `path`, at most `limit` + 1 of them: more than `limit`
    means too large, for the caller to refuse; the fstat of what was read). `listed`: a
    folder listing (os.scandir) saw it as a plain file, so no lstat asks again. `links`: a
    file outside the workspace that its owner named (a secret file), followed through
    links (stat, not lstat), still never a FIFO or device. Raises FileNotFoundError,
    NotPlainFile (a link but with `links`, a FIFO, device, socket, folder: never opened
    when the first stat saw it) or another OSError."""
    if not listed:
        mode = (os.stat if links else os.lstat)(path).st_mode
        if not stat.S_ISREG(mode):
            raise NotPlainFile(path, mode)
    fd = os.open(path, _FOLLOWING if links else _FLAGS)
    try:  # plain os calls: years of history are read file by file
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotPlainFile(path, info.st_mode)
        return _read_all(fd, info.st_size, limit), info
    finally:
        os.close(fd)


def _read_all(fd: int, expected: int, limit: int) -> bytes:
    """The bytes up to end of file, at most limit + 1 (one read of the expected size, one to
    see the end)."""
    chunks, size, wanted = [], 0, expected + 1
    while size <= limit:
        chunk = os.read(fd, min(wanted, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if len(chunk) < wanted and size <= expected:
            break  # a short read of a regular file within its size: its end, without a call
        wanted = 65536
    return b"".join(chunks)
