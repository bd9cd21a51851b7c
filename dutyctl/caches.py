"""The caches a module keeps for as long as its process runs (one command line), registered
so that whoever runs several command lines in one process forgets them all between two: the
test suite's forks (tests/entrypoint.py) start each command as a new process would, empty.
A dict, list or set a module fills as it works is registered where it is made:
`_SEEN: dict[str, Any] = process_cache({})`.

The caches kept on disk between commands (a parsed .mo, a parsed YAML file, the git identity,
the holiday calendar) are `marshal` dumps, written by `write_marshalled` and read back by
`read_marshalled` only. marshal trusts what a file says: five bytes claiming a tuple of 2**31
items make `marshal.loads` ask for 16 GB. A cache file may come from anywhere (another desk
commits into the git-ignored `.dutyctl` and a merge writes it; a damaged disk), so each one
carries a keyed digest of its dump (BLAKE2b, the key a random one of this desk's, kept where
git never writes: `cache_key`), checked before marshal sees a byte: a file this desk did not
write is never loaded, whatever it holds, and only means reading the source again."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

Cache = TypeVar("Cache")
_CACHES: list = []


def process_cache(cache: Cache) -> Cache:
    """`cache` (anything with .clear()), registered; returned as it is."""
    _CACHES.append(cache)
    return cache


def forget_all() -> None:
    """Every registered cache emptied, as in a process that has just started."""
    for cache in _CACHES:
        cache.clear()


#: The start of every cache file: no type marshal knows (a dutyctl before the digests fails at
#: its first byte instead of reading the digest as a count), and the format's number.
MAGIC = b"\x00dutyctl-cache-1\n"
DIGEST_BYTES = 16
KEY_BYTES = 32
KEY_FILE = "dutyctl-cache-key"
_PERSON = b"dutyctl cache"  # BLAKE2b's personalization: these digests are for nothing else
MAX_CACHE_BYTES = 8 * 1024 * 1024  # a bigger file is no cache of ours: not even read whole
#: a folder's key (`cache_key`); (state folder, ".git"): a workspace's key in its git folder
_KEYS: dict[Path | tuple[Path, str], bytes] = process_cache({})


def _digest(key: bytes, data: bytes, person: bytes = _PERSON) -> bytes:
    """The keyed BLAKE2b of data: `_blake2`, which hashlib's blake2b is, without importing
    hashlib (it loads OpenSSL: 3 to 8 ms of a command that has no other use for it)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # a Python built without it
        from hashlib import blake2b
    return blake2b(data, digest_size=DIGEST_BYTES, key=key, person=person).digest()


def seal(key: bytes, data: bytes) -> str:
    """The keyed digest (hex) of `data` under this desk's key (`workspace_key`): what tells a
    file this desk wrote in its state folder (an outbox message, which it sends) from one
    another desk committed there with `git add -f`, which it must never act on."""
    return _digest(key, data, b"dutyctl seal").hex()


def write_marshalled(path: Path, payload: Any, key: bytes | None) -> None:
    """`payload` (marshal's plain values) kept in `path` with its digest under `key` (one of
    `cache_key`'s; None: nothing kept), as write_whole does."""
    import marshal

    if key is None:
        return
    try:
        encoded = marshal.dumps(payload)
    except ValueError:  # a value marshal does not carry: nothing kept
        return
    write_whole(path, MAGIC + _digest(key, encoded) + encoded)


def read_marshalled(path: Path, key: bytes | None) -> Any:
    """What `write_marshalled` kept in `path` under `key`. Raises (OSError, ValueError) for a
    file that is missing, too large, of another format, not written under this key (from
    another desk, damaged) or without a key: marshal never reads a byte this desk did not
    write. Callers still check the shape of what they get (another version of dutyctl)."""
    import marshal

    if key is None:
        raise ValueError("no key: no cache")
    from dutyctl.store.plainfile import read_plain

    data = read_plain(path, MAX_CACHE_BYTES)[0]
    start = len(MAGIC) + DIGEST_BYTES
    if len(data) > MAX_CACHE_BYTES or not data.startswith(MAGIC):
        raise ValueError("not a cache of this format")
    payload = memoryview(data)[start:]
    # a plain comparison: no one who could write the file can time this desk's commands
    if _digest(key, payload) != data[len(MAGIC):start]:
        raise ValueError("not written by this desk")
    return marshal.loads(payload)


def cache_key(folder: Path, create: bool = False, mark: bytes | None = None,
              marked_before: bytes | None = None) -> bytes | None:
    """The key of the cache files that `folder` keeps the key for, in `folder/KEY_FILE`:
    KEY_BYTES random bytes, made (create) when a cache is first written, or remade when the
    file is damaged (what was kept under it is unusable anyway). None when there is none (not
    create) or it cannot be read or made: then nothing is cached. The folder must be one git
    never writes into (`workspace_key` chooses it for a workspace).

    `mark` (`_folder_marks`: which folder it is; a workspace without git, its state
    folder): the key is kept with a digest of that mark (`_marked`), and a key file
    that came into the folder (another desk's, with a copy of its folder, a zip or a
    file-sync tool, or written by a checkout from a repository elsewhere after a `git add
    -f`) is another folder's and never taken; one of this folder's is made in its place
    (create), so what was sealed under the other (an index, a queued message) is rebuilt or
    named, not trusted. The first key made there is the key the user making it had in their
    cache folder, when there is one (where dutyctl kept it before): the messages queued and
    sealed under it are still this desk's and sent, the index and caches made under it still
    used. A key file kept with the digest of `marked_before` (the mark a dutyctl before gave
    this folder) is this folder's too: marked anew and taken."""
    from dutyctl.store.plainfile import read_plain

    known = _KEYS.get(folder)
    if known is not None:
        return known
    path = folder / KEY_FILE
    try:
        found = read_plain(path, KEY_BYTES + (DIGEST_BYTES if mark is not None else 0))[0]
    except FileNotFoundError:
        found = None
    except (OSError, ValueError):  # a link, a folder, unreadable; a damaged path (a NUL in
        return None                # git's commondir): nothing cached
    key = _marked(found, mark)
    if key is None and marked_before is not None:
        key = _marked(found, marked_before)
        if key is not None:  # kept as it was, its digest of this mark's: as if made today
            write_whole(path, key + _digest(key, mark, _MARK_PERSON))
    if key is None and create:
        fresh = os.urandom(KEY_BYTES)
        if mark is not None:
            fresh = (cache_key(user_cache_dir()) if found is None else None) or fresh
            fresh += _digest(fresh, mark, _MARK_PERSON)
        key = _marked(_new_key(path, fresh, replace=found is not None), mark)
    if key is not None:
        _KEYS[folder] = key
    return key


def _new_key(path: Path, key: bytes, replace: bool) -> bytes | None:
    """`key` kept in `path` (write_whole), unless another command made one first (not
    replace: then that one); None when the folder cannot be written."""
    from dutyctl.store.plainfile import read_plain

    written = write_whole(path, key, replace)
    if written is WRITTEN:
        return key
    try:  # another command linked its key in first: the one to use
        return read_plain(path, len(key))[0] if written is THEIRS_KEPT else None
    except (OSError, ValueError):
        return None


def workspace_key(state_dir: Path, create: bool = False) -> bytes | None:
    """`cache_key` for the caches in a workspace's state folder (`Workspace.cache_dir`): kept
    in the repository's git folder (a linked worktree's: the main one's, shared by all), which
    no merge, pull or checkout writes into; in a workspace without a `.git` (none up from
    it), in the state folder itself: no merge of dutyctl's writes there (`sync` and the
    commits need a `.git`), and everyone who works in the folder shares it (two OS accounts
    on one shared folder had a key each in their own cache folder, and each rebuilt the
    other's record index and caches at every switch); only a key made for this very folder
    (`cache_key`'s `mark`), never one that came into it. Not through a state folder that is a
    symbolic link (its key would be wherever it points). None when the workspace's git
    folder is not plainly known (GIT_DIR set, a `.git` that names no folder): nothing is
    cached then.

    Remembered per state folder for the process: a key found in a git folder is taken again
    without the walk up for `.git` (the repository a folder is in does not change under a
    command); a state folder's own key while its key file is the one it was read from (one
    stat: a process that outlives a `.dutyctl` removed and made again, or a key file
    replaced, reads the key there is now, or makes one, instead of sealing with its old one)."""
    from dutyctl.store import githead

    if "GIT_DIR" in os.environ or "GIT_COMMON_DIR" in os.environ:
        return None
    in_git = _KEYS.get((state_dir, ".git"))  # found in its git folder before: no walk up
    if in_git is not None:
        return in_git
    top = githead.top(state_dir.parent)
    if top is None:
        if os.path.islink(state_dir):
            return None
        key_file = state_dir / KEY_FILE
        known = _KEYS.get(state_dir)  # taken before in this process: one stat, no mkdir
        if known is not None:
            if _KEY_FILES.get(state_dir) == _file_stamp(key_file):
                return known
            del _KEYS[state_dir]  # the folder removed (and made again), the file replaced
        marks = _folder_marks(state_dir, create)
        key = None if marks is None else cache_key(state_dir, create, *marks)
        if key is not None:
            _KEY_FILES[state_dir] = _file_stamp(key_file)
        return key
    folder = githead.git_dir(top)
    if folder is None:
        return None
    key = cache_key(githead.common_dir(folder), create)
    if key is not None:
        _KEYS[(state_dir, ".git")] = key
    return key


#: the key file each state folder's key was read from (`_file_stamp`), in this process: a
#: process that outlives the folder (removed, made again by another command) or its key
#: file (replaced) reads the key again instead of sealing with the one it had
_KEY_FILES: dict[Path, tuple | None] = process_cache({})


def _file_stamp(path: Path) -> tuple | None:
    """Which file `path` is and as it was written (None: none there)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


_MARK_PERSON = b"dutyctl folder"


def _folder_marks(state_dir: Path, create: bool = False) -> tuple[bytes, bytes] | None:
    """What tells this state folder from a copy of it, or from another desk's: its inode on
    its file system (`_disk`), which a copy, a zip or a checkout elsewhere does not carry;
    and the mark dutyctl gave it before, its device and inode (None: no folder, and none
    made: create, as the first cache written makes it). Not the inode alone: another disk
    (a second USB stick, a backup disk) may well give a copy the same number (FAT and NTFS
    number a folder by where it lies, btrfs counts up from 257), and the copy would take this
    folder's key, trust its index and send its queued messages again."""
    try:
        if create:
            state_dir.mkdir(parents=True, exist_ok=True)
        info = os.stat(state_dir)
    except (OSError, ValueError):
        return None
    return (f"disk {_disk(state_dir, info)}:{info.st_ino}".encode(),
            f"{info.st_dev}:{info.st_ino}".encode())


def _disk(state_dir: Path, info: os.stat_result) -> int:
    """Which file system `state_dir` (of stat `info`) is on: its own id where it has one
    (statvfs's f_fsid: of its UUID on ext4, btrfs or tmpfs, of its serial number on Linux's
    NTFS driver or an SMB share), which a disk or share mounted again keeps, as the device
    number, the mount's, is not; else (0: NFS, FUSE; no statvfs: Windows, whose st_dev is
    the volume's serial number) the device, as before. FAT on Linux and every disk on macOS
    give the device number as their id."""
    try:
        found = os.statvfs(state_dir).f_fsid
    except (AttributeError, OSError, ValueError):
        found = 0
    return found or info.st_dev


def _marked(data: bytes | None, mark: bytes | None) -> bytes | None:
    """The key in a key file's `data` (`cache_key`): without a `mark`, the file whole when it
    has KEY_BYTES; with one, its key when it was made for the folder `mark` names; else
    None."""
    if data is None or len(data) != KEY_BYTES + (DIGEST_BYTES if mark is not None else 0):
        return None
    key = data[:KEY_BYTES]
    return key if mark is None or data[KEY_BYTES:] == _digest(key, mark, _MARK_PERSON) \
        else None


def user_cache_dir() -> Path:
    """dutyctl's folder in the user's cache ($XDG_CACHE_HOME, else ~/.cache): what is kept
    per user, outside every workspace."""
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "dutyctl")


#: what write_whole did: wrote the file; wrote nothing; (not replace) kept the file another
#: command linked in first
WRITTEN, NOT_WRITTEN, THEIRS_KEPT = "written", "not written", "theirs kept"


def write_whole(path: Path, data: bytes, replace: bool = True) -> str:
    """`data` kept in `path`, replaced whole (a temporary file renamed); not `replace`: only
    where there is no file (linked in: THEIRS_KEPT when another command's file was there
    first, which stays). NOT_WRITTEN: a folder that cannot be written only means reading the
    source again next time, and a disk full halfway leaves no partial copy behind; a file
    system without hard links, where a file is there already, as well (which one is there
    last is not known: its rename is no atomic create)."""
    from dutyctl.store.plainfile import clear_stale_temporaries, open_own

    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    left = True  # the temporary file is still there, to remove
    if os.path.islink(path.parent):  # a folder of the state folder another desk committed as
        return NOT_WRITTEN  # a link (`.dutyctl/parsed`): nothing is kept where it points
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open_own(temporary) as handle:
            handle.write(data)
        if not replace:
            try:
                os.link(temporary, path)  # never replaces what is there
                return WRITTEN
            except FileExistsError:
                return THEIRS_KEPT
            except OSError:  # a file system without hard links
                if os.path.lexists(path):
                    return NOT_WRITTEN
        os.replace(temporary, path)
        left = False
        clear_stale_temporaries(path)  # a killed write's, never removed otherwise
        return WRITTEN
    except (OSError, ValueError):  # ValueError: a damaged path (a NUL in it)
        return NOT_WRITTEN
    finally:
        if left:
            try:
                os.unlink(temporary)
            except OSError:
                pass
