"""The parsed YAML of the workspace's hand-edited files (dutyctl.yaml, rosters/rules.yaml), kept
in the git-ignored state folder so a command need not import PyYAML to read them (about 10 ms
of every `log call`, `clock in`, `who`, TAB).

The files stay the only truth: a cached copy is used only while the file has the very size,
modification time (to the nanosecond), change time and inode it had when it was parsed, so any
edit, checkout, pull or copy over it is read afresh. A file changed just before it was read
(`just_changed`: on a file system whose clock ticks in whole seconds, FAT's 2 s or a share's
1 s, within RACY_SECONDS; or dated up to AHEAD_SECONDS ahead of the clock) is not kept:
rewritten in place within the same tick, with the same size, it would keep that stamp, and
its copy would be served stale (git's "racy" files). The copy is a `marshal` of plain values
with the line numbers (`LineDict`/`LineList`), written whole (a temporary file renamed) with a
digest under the desk's own key (`caches.workspace_key`), and anything unexpected in it — a
file this desk did not write (another desk's, committed and merged into the git-ignored state
folder; a damaged one), another Python — means "parse again" before marshal reads a byte of
it; nothing here ever stops a command.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from dutyctl.store.yamlio import MAX_FILE_BYTES, decode, loads, read_bytes
from dutyctl.yamlnodes import LineDict, LineList

CACHE_FOLDER = "parsed"
FORMAT = 3  # bump when the encoding below (or a split's part, as load_split keeps it) changes,
# or what a line means (3: a key's own line, not its block's first)


class _Uncachable(Exception):
    """A value the encoding does not carry (a set, bytes...): such a file is parsed each time."""


def load_cached(path: Path, label: str | None, cache_dir: Path | None) -> Any:
    """What `yamlio.load(path, label)` returns (or raises), from the cache when it is current.
    cache_dir: `Workspace.cache_dir` (the state folder, None when it is unusable or there is
    none: nothing kept)."""
    return load_with_digest(path, label, cache_dir)[0]


def load_with_digest(path: Path, label: str | None, cache_dir: Path | None,
                     limit: int = MAX_FILE_BYTES,
                     stamp: tuple | None = None) -> tuple[Any, str]:
    """(what `yamlio.load(path, label)` returns, the SHA-256 of the file's bytes); a missing or
    broken file, or one of more than `limit` bytes, raises exactly as `yamlio.load` does (and
    nothing is cached). `stamp`: the file's `file_stamp`, when the caller has just taken it
    (not taken again)."""
    stamp, cache = _cache_of(path, cache_dir, stamp)
    if cache is not None:
        found = _read(cache, stamp, workspace_key(cache_dir))
        if found is not None:
            return found
    reading = time.time_ns()
    raw = read_bytes(path, label, limit)
    data = loads(decode(raw, label or path), label or path)
    digest = sha256_hex(raw)
    if cache is not None and stamp == file_stamp(path) \
            and not just_changed(stamp[STAMP_MTIME], reading):  # not changed while it was read
        _write(cache, stamp, data, digest, workspace_key(cache_dir, create=True))
    return data, digest


#: the coarsest clock a file system gives a file's time (FAT: 2 s; a network share: 1 s)
RACY_SECONDS = 2
#: how far ahead of this desk's clock a file's time is still "just now" (a share's server a
#: little ahead, FAT rounding up): further ahead is a clock apart (a FAT stick written in
#: another time zone or with its clock 8 h ahead, a zip from a machine ahead, a desk whose
#: clock was put back a day), a time an edit here does not keep, so its stamp is as stable
#: as any other's
AHEAD_SECONDS = 60


def just_changed(changed_ns: int, reading_ns: int, fine_seconds: float | None = 0) -> bool:
    """Whether a file whose modification time is `changed_ns` was read (at `reading_ns`, the
    clock taken before its bytes were) within the tick of its file system's clock: then an
    edit right after the reading, with the same size, could keep that very time, and what
    was read must not be kept under it (git's "racy" files). The one rule of a stamp too
    recent to trust: the parsed copies here, `store.verdicts`, the record index's folder
    stamps and gitsync's identity cache and look back all ask it. A time in whole seconds
    (FAT, a share) is of a clock that ticks every RACY_SECONDS at most; one with a fraction
    (ext4, xfs, tmpfs, APFS, NTFS: a tick of a few ms) is taken as changed within
    `fine_seconds` (a copy of a file read a few ms after it was written, the usual script
    and test, is kept), or within RACY_SECONDS as well when that is None (a folder's stamp,
    which a file landing in it within the tick may leave as it is: the record index's).
    A time ahead of the clock by up to AHEAD_SECONDS (a share's server ahead of the desk,
    FAT rounding up) is just now; one further ahead (a FAT stick 8 h ahead) is not: taken
    as just now, such a file was never kept, and parsed again by every command (the index
    re-listed every folder at every command: 4-6 s on a desk of five years)."""
    if reading_ns < changed_ns:
        return changed_ns - reading_ns <= AHEAD_SECONDS * 10**9
    return reading_ns - changed_ns < (fine_seconds if fine_seconds is not None
                                      and changed_ns % 10**9 else RACY_SECONDS) * 10**9


def sha256_hex(data: bytes) -> str:
    """hashlib.sha256(data).hexdigest() without importing hashlib, which loads OpenSSL (about
    3 ms of a command whose file changed): Python's own SHA-256, the same digest."""
    try:
        from _sha2 import sha256  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256  # Python 3.11
        except ImportError:  # a Python built without them
            from hashlib import sha256
    return sha256(data).hexdigest()


def load_split(path: Path, label: str | None, cache_dir: Path | None,
               split: Callable[[str], tuple[str, Any] | None],
               take: Callable[[Any], Any]) -> tuple[Any, Any]:
    """(YAML of the text `split` leaves, what it took out) for a file one part of which the
    caller reads faster itself (a roster's assignments): `split(text)` gives (the rest, plain
    values) or None (then the whole text is YAML, and `take(None)` comes back as the second).
    `take(plain values)` makes of them what the caller uses, raising TypeError or ValueError
    for values of any other shape: a cached copy it refuses is read again from the file,
    never trusted. Both parts are kept as load_cached keeps its data; errors are exactly
    `yamlio.loads`'s."""
    stamp, cache = _cache_of(path, cache_dir)
    if cache is not None:
        try:
            encoded, extra = read_stamped(cache, stamp, workspace_key(cache_dir))
            return _decode(encoded), take(extra)
        except Exception:  # noqa: BLE001 - missing, damaged or of another shape: the file
            pass
    where = label or path
    reading = time.time_ns()
    text = decode(read_bytes(path, where), where)
    parts = split(text)
    data = loads(parts[0] if parts else text, where)
    extra = parts[1] if parts else None
    if cache is not None and stamp == file_stamp(path) \
            and not just_changed(stamp[STAMP_MTIME], reading):
        try:
            write_stamped(cache, stamp, (_encode(data), extra),
                          workspace_key(cache_dir, create=True))
        except _Uncachable:
            pass
    return data, take(extra)


def _cache_of(path: Path, cache_dir: Path | None,
              stamp: tuple | None = None) -> tuple[tuple | None, Path | None]:
    """(the file's stamp, `stamp` when given, where its parsed copy is kept); (None, None)
    without a cache folder (`Workspace.cache_dir` is None for a `.dutyctl` that is a file or a
    link: nothing is kept through it) or a file to stamp."""
    if cache_dir is not None and stamp is None:
        stamp = file_stamp(path)
    if stamp is None or cache_dir is None:
        return None, None
    return stamp, cache_dir / CACHE_FOLDER / f"{cache_name(path)}.marshal"


def cache_name(path: Path | str) -> str:
    """The name a copy of what was read from `path` is kept under in CACHE_FOLDER, without
    its suffix: the file's name and a short digest of its whole path (the stamp inside the
    copy says exactly which)."""
    return f"{os.path.basename(path)}.{_digest(path)}"


STAMP_MTIME = 4  # where file_stamp keeps the modification time


def file_stamp(path: Path) -> tuple | None:
    """What a kept copy of `path` is valid for (its size, modification and change times to
    the nanosecond, inode, device); None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (FORMAT, sys.version_info[:2], os.fspath(path), info.st_size, info.st_mtime_ns,
            info.st_ctime_ns, info.st_ino, info.st_dev)


def _digest(path: Path) -> str:
    """A short name per source path (the stamp inside the file says exactly which)."""
    import zlib

    return f"{zlib.crc32(os.fsencode(os.path.abspath(path))):08x}"


def read_stamped(cache: Path, stamp: tuple, key: bytes | None) -> Any:
    """What `write_stamped` kept in `cache` under `stamp` and `key` (`caches.cache_key`'s);
    None when missing, damaged, too large, not written under this key (another desk's, or no
    key) or made from another version of its source."""
    from dutyctl.caches import read_marshalled

    try:
        stored_stamp, payload = read_marshalled(cache, key)
    except Exception:  # noqa: BLE001 - any damage to a cache only means reading the source
        return None
    return payload if stored_stamp == stamp else None


def write_stamped(cache: Path, stamp: tuple, payload: Any, key: bytes | None) -> None:
    """`payload` (marshal's plain values) kept in `cache` under `stamp`, with its digest under
    `key` (None: nothing kept), replaced whole; a folder that cannot be written only means
    reading the source again next time."""
    from dutyctl.caches import write_marshalled

    write_marshalled(cache, (stamp, payload), key)


def workspace_key(cache_dir: Path | None, create: bool = False) -> bytes | None:
    """`caches.workspace_key` of a workspace's `cache_dir`."""
    from dutyctl.caches import workspace_key as key_of

    return key_of(cache_dir, create) if cache_dir is not None else None


def _read(cache: Path, stamp: tuple, key: bytes | None) -> tuple[Any, str] | None:
    try:
        encoded, digest = read_stamped(cache, stamp, key)
        if type(digest) is not str:
            return None
        return _decode(encoded), digest
    except Exception:  # noqa: BLE001 - any damage to a cache only means parsing again
        return None


def _write(cache: Path, stamp: tuple, data: Any, digest: str, key: bytes | None) -> None:
    try:
        write_stamped(cache, stamp, (_encode(data), digest), key)
    except _Uncachable:
        pass  # an odd value: the next command parses again


# A node is a tuple (tag, ...): marshal keeps plain values, these bring back the rest.
def _encode(value: Any) -> Any:
    if isinstance(value, LineDict):
        return ("D", value.line, [(key, _encode(item), value.lines.get(key))
                                  for key, item in value.items()])
    if isinstance(value, LineList):
        return ("L", value.line, [_encode(item) for item in value], list(value.lines))
    if isinstance(value, datetime):
        return ("T", value.isoformat())
    if isinstance(value, date):
        return ("d", value.isoformat())
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise _Uncachable


def _decode(node: Any) -> Any:
    if type(node) is not tuple:
        return node
    tag = node[0]
    if tag == "D":
        found = LineDict()
        found.line = node[1]
        for key, item, line in node[2]:
            found[key] = _decode(item)
            if line is not None:
                found.lines[key] = line
        return found
    if tag == "L":
        found = LineList(_decode(item) for item in node[2])
        found.line, found.lines = node[1], list(node[3])
        return found
    if tag == "T":
        return datetime.fromisoformat(node[1])
    if tag == "d":
        return date.fromisoformat(node[1])
    raise ValueError(f"unknown node {tag!r}")
