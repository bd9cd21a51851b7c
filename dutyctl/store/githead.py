"""What HEAD is, read from git's folder (`.git`, or the one a `.git` file names) without
starting git, git's index file's stamp, and the desk's own commits that only added files
under records/ (gitsync notes them; the index then needs no `git diff` to know that nothing
it has read changed in place)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

ADDED_ONLY = "added-only-commits"  # in .dutyctl: "FROM TO" a line, the newest last
KEPT = 64  # lines: a command looks back over at most this many of its desk's own commits
# bytes a line may take: two commit ids (64 hex each in a SHA-256 repository) and two index
# stamps of nanosecond times, sizes and inodes (155 bytes on a desk of years: a bound of 100
# a line cut the file's newest lines off, so the desk's own last commit was never known)
LINE_MOST = 512


def git_dir(root: Path) -> Path | None:
    """root's git folder: `.git`, or the folder a `.git` file names (a linked worktree, a clone
    with --separate-git-dir, a submodule). None when git's own variables say otherwise or it
    is not plainly known."""
    if "GIT_DIR" in os.environ or "GIT_COMMON_DIR" in os.environ:
        return None
    dot = root / ".git"
    if dot.is_dir():
        return dot
    try:
        with open(dot, encoding="utf-8", errors="replace") as handle:
            text = handle.read(4096).strip()
    except OSError:
        return None
    if not text.startswith("gitdir: "):
        return None
    found = root / text[8:].strip()  # relative to the .git file's folder, or absolute
    return found if (found / "HEAD").is_file() else None


def common_dir(folder: Path) -> Path:
    """Where a git folder's refs and objects are (a linked worktree's: the main one's)."""
    try:
        with open(folder / "commondir", encoding="utf-8", errors="replace") as handle:
            return folder / handle.read(4096).strip()
    except OSError:
        return folder


def top(start: Path, levels: int = 64) -> Path | None:
    """The folder of the repository `start` is in: the nearest one up with a `.git`."""
    folder = start.absolute()
    for _ in range(levels):
        if os.path.lexists(folder / ".git"):
            return folder
        if folder.parent == folder:
            return None
        folder = folder.parent
    return None


def commit_id(text: str) -> str | None:
    """A commit's full hash (SHA-1 or SHA-256), else None."""
    text = text.strip()
    plain = len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)
    return text if plain else None


def head(root: Path) -> str | None:
    """The commit HEAD names, read from git's files without starting git (None: not plainly
    known, or no commit yet)."""
    found = _head_file(root)
    return _resolve(*found, 2) if found else None


def _head_file(root: Path) -> tuple[Path, str] | None:
    """git's folder and what its HEAD file says (None: not plainly known)."""
    folder = git_dir(root)
    if folder is None:
        return None
    try:
        return folder, (folder / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeError):
        return None


def _resolve(folder: Path, text: str, hops: int) -> str | None:
    """The commit a ref's text names, following `ref: ` (a symbolic ref) `hops` times."""
    if not text.startswith("ref: "):
        return commit_id(text)
    ref = text[5:].strip()
    if hops == 0 or not ref.startswith("refs/") or ".." in ref:
        return None
    common = common_dir(folder)
    try:
        return _resolve(folder, (common / ref).read_text(encoding="utf-8"), hops - 1)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeError):
        return None
    try:
        with open(common / "packed-refs", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.rstrip("\n").endswith(" " + ref):
                    return commit_id(line.split(" ", 1)[0])
    except OSError:
        return None
    return None


def branch(root: Path) -> str | None:
    """The branch HEAD is on, from git's HEAD file (None: detached, or not plainly known)."""
    found = _head_file(root)
    text = found[1] if found else ""
    return text[16:] or None if text.startswith("ref: refs/heads/") else None


def fetched(root: Path) -> str | None:
    """The commit the last `git fetch REMOTE BRANCH` brought, from git's FETCH_HEAD file."""
    folder = git_dir(root)
    if folder is None:
        return None
    try:
        with open(folder / "FETCH_HEAD", encoding="utf-8", errors="replace") as handle:
            commit, _, rest = handle.readline(1000).partition("\t")
    except OSError:
        return None
    return commit_id(commit) if not rest.startswith("not-for-merge") else None


def parent(root: Path, commit: str) -> str | None:
    """The one parent of a commit still loose in .git/objects (a new one); None for a merge,
    a first commit, or one git has packed."""
    found = parents(root, commit)
    return found[0] if found is not None and len(found) == 1 else None


def parents(root: Path, commit: str, objects: Path | None = None) -> list[str] | None:
    """The parents of a commit still loose in .git/objects (a new one, or one a small fetch
    brought: git unpacks those); None when git has packed it or it cannot be read.
    `objects`: `objects_dir(root)`, found once by a walk through many commits."""
    headers = _loose_commit(objects or objects_dir(root), commit)
    if headers is None:
        return None
    found = [commit_id(line[7:].decode("ascii", "replace")) for line in headers
             if line.startswith(b"parent ")]
    return None if None in found else found


def tree_of(root: Path, commit: str) -> str | None:
    """The tree of a commit still loose in .git/objects; None when not plainly known."""
    headers = _loose_commit(objects_dir(root), commit)
    if not headers or not headers[0].startswith(b"tree "):
        return None
    return commit_id(headers[0][5:].decode("ascii", "replace"))


LOOSE_READ = 1 << 16  # bytes of a loose commit read (and unpacked) for its header lines


def objects_dir(root: Path) -> Path | None:
    """Where root's repository keeps its objects (a linked worktree's: the main one's); None
    when its git folder is not plainly known."""
    folder = git_dir(root)
    return None if folder is None else common_dir(folder) / "objects"


def _loose_commit(objects: Path | None, commit: str) -> list[bytes] | None:
    """The header lines of a commit still loose in `objects` (None: not one)."""
    import zlib

    if objects is None or commit_id(commit) is None:
        return None
    try:  # the object's start alone: a message may be huge (and compress to little)
        with open(objects / commit[:2] / commit[2:], "rb") as handle:
            unpacking = zlib.decompressobj()
            data = unpacking.decompress(handle.read(LOOSE_READ), LOOSE_READ)
    except (OSError, ValueError, zlib.error):
        return None
    kind, _, body = data.partition(b"\0")
    if not kind.startswith(b"commit "):
        return None
    headers, blank, _ = body.partition(b"\n\n")
    if not blank and not unpacking.eof:
        return None  # the header lines go on past what was read: not plainly known
    return headers.split(b"\n")


WALKED = 64  # commits: a look through loose commits goes no further (then git is asked)


def ahead_behind(root: Path, ours: str, theirs: str,
                 replaced: bool | None = None) -> tuple[int, int] | None:
    """(commits `ours` has that `theirs` has not, and the other way round), as `git rev-list
    --left-right --count ours...theirs` counts them, read from loose commits when both sides
    come down in a straight line (one parent each) to where they meet, within WALKED
    commits; None when not so plainly known (a merge above where they meet, a packed commit:
    ask git). `replaced`: `history_replaced(root)`, when the caller has asked it already."""
    if ours == theirs:
        return 0, 0
    if history_replaced(root) if replaced is None else replaced:
        return None
    left, right, stuck = [ours], [theirs], set()
    objects = objects_dir(root)  # once for the walk, not per commit
    for turn in range(2 * WALKED):  # one step down each side in turn
        side, other = (left, right) if turn % 2 == 0 else (right, left)
        if len(stuck) == 2:
            return None
        if id(side) in stuck:
            continue
        found = parents(root, side[-1], objects)
        if found is None or len(found) != 1:  # the other side may still come down to it
            stuck.add(id(side))
            continue
        side.append(found[0])
        if found[0] in other:  # the first commit both have: where they meet
            return left.index(found[0]), right.index(found[0])
    return None


def descends(root: Path, commit: str, ancestor: str,
             replaced: bool | None = None) -> bool | None:
    """`ancestor` is `commit` or one of its ancestors, seen among the loose commits within
    WALKED of it (merges followed); None when not plainly known (ask git). `replaced`: as
    for `ahead_behind`."""
    if commit != ancestor and (history_replaced(root) if replaced is None else replaced):
        return None
    seen, waiting, objects = set(), [commit], objects_dir(root)
    while waiting and len(seen) < WALKED:
        found = waiting.pop()
        if found == ancestor:
            return True
        if found in seen:
            continue
        seen.add(found)
        above = parents(root, found, objects)
        if above is None:
            return None
        waiting.extend(above)
    return False if not waiting else None


def history_replaced(root: Path) -> bool:
    """git may see other parents than the loose commits name: `git replace` refs, a grafts
    file (`info/grafts`, GIT_GRAFT_FILE), a shallow clone's boundary (`shallow`: those
    commits have no parents for git), refs not kept as files (reftable) or not plainly
    readable; then a walk through the commits as stored is not git's (ask git)."""
    folder = git_dir(root)
    if folder is None or "GIT_GRAFT_FILE" in os.environ or "GIT_REPLACE_REF_BASE" in os.environ:
        return True
    common = common_dir(folder)
    if any(os.path.lexists(common / name) for name in ("info/grafts", "shallow", "reftable")):
        return True
    for _, _, files in os.walk(common / "refs" / "replace"):
        if files:
            return True
    try:
        with open(common / "packed-refs", "rb") as handle:
            return any(b" refs/replace/" in line for line in handle)
    except FileNotFoundError:
        return False
    except OSError:
        return True


CONFIG_READ = 1 << 16  # bytes of the repository's config read for a remote (then git asked)


def has_remote(root: Path, name: str) -> bool:
    """The repository's own config names remote `name` with a URL (`[remote "NAME"]` and a
    `url` line under it), read without starting git. False: not plainly so (a remote from
    another config file, a name git quotes, a config too big to read here): ask git."""
    import re

    folder = git_dir(root)
    if folder is None or not name or any(char in name for char in '"\\\n'):
        return False
    try:
        with open(common_dir(folder) / "config", encoding="utf-8", errors="replace") as handle:
            text = handle.read(CONFIG_READ + 1)
    except OSError:
        return False
    if len(text) > CONFIG_READ:
        return False
    inside = False
    for line in text.splitlines():
        header = re.match(r'\s*\[\s*([^\]"\s]+)(?:\s+"([^"\\]*)")?\s*\]', line)
        if header:
            inside = header[1].lower() == "remote" and header[2] == name
            line = line[header.end():]
        if inside and re.match(r"\s*url\s*=", line, re.IGNORECASE):
            return True
    return False


def index_stamp(root: Path) -> list[int] | None:
    """[mtime, size, inode] of git's index file (every git command that changes files in the
    work tree rewrites it); None when it cannot be read (no file, or git's folder is not
    plainly known)."""
    folder = git_dir(root)
    try:
        info = os.stat(folder / "index") if folder is not None else None
    except OSError:
        return None
    return None if info is None else [info.st_mtime_ns, info.st_size, info.st_ino]


def index_split(root: Path) -> bool:
    """git's index is kept split (a `sharedindex.*` file beside it holds most entries, the
    index file only what changed since): its own size then tells nothing of how many files
    git tracks. True also while a shared file left from an index split before is there (git
    removes them after two weeks), and when git's folder is not plainly known."""
    folder = git_dir(root)
    if folder is None:
        return True
    try:
        with os.scandir(folder) as found:
            return any(entry.name.startswith("sharedindex.") for entry in found)
    except OSError:
        return True


def note_if_added_only(root: Path, state_dir: Path, old: str | None,
                       index_before: list[int] | None) -> None:
    """This process just made a commit that only added files under records/, on `old`:
    noted when HEAD is a commit made right on `old` (no other git slipped one in between:
    then it is ours), with git's index file's stamps before the commit's `git add` and after
    the commit (the index tells its own changes of that file from anyone's checkout)."""
    new = head(root)
    if (old and new and new != old and index_before and parent(root, new) == old
            and (after := index_stamp(root))):
        _note(state_dir, f"{old} {new} {_text(index_before)} {_text(after)}")


def _note(state_dir: Path, line: str) -> None:
    """(the caller holds the commit lock: no other command notes one meanwhile)"""
    from dutyctl.store.plainfile import open_own

    path = state_dir / ADDED_ONLY
    lines = _lines(path)[-(KEPT - 1):] + [line]
    temporary = path.with_name(f".{ADDED_ONLY}.{os.getpid()}.tmp")
    try:
        with open_own(temporary) as handle:
            # a damaged line's U+FFFD as "?"
            handle.write(("\n".join(lines) + "\n").encode("ascii", "replace"))
        os.replace(temporary, path)
    except OSError:  # not kept: the index asks git instead
        with contextlib.suppress(OSError):
            temporary.unlink()
        return
    from dutyctl.store.plainfile import clear_stale_temporaries

    clear_stale_temporaries(path)


def added_only(state_dir: Path, old: str, new: str) -> list[tuple[list[int], ...]] | None:
    """HEAD came from `old` to `new` only by commits noted by note_if_added_only: git's index
    file's stamps (before, after) of each, the oldest first; None when not."""
    noted = {}
    for line in _lines(state_dir / ADDED_ONLY):
        parts = line.split(" ")
        if len(parts) == 4 and (stamps := _stamps(parts[2], parts[3])):
            noted[parts[1]] = (parts[0], *stamps)
    steps = []
    for _ in range(len(noted) + 1):
        if new == old:
            return steps[::-1]
        if new not in noted:
            return None
        new, before, after = noted[new]
        steps.append((before, after))
    return None


def _text(stamp: list[int]) -> str:
    return ",".join(map(str, stamp))


def _stamps(*texts: str) -> tuple[list[int], ...] | None:
    """The index stamps _text wrote (None: a line someone mangled)."""
    try:
        return tuple([int(number) for number in text.split(",")] for text in texts)
    except ValueError:
        return None


def _lines(path: Path) -> list[str]:
    from dutyctl.store.plainfile import read_plain  # a plain file: never a link to a FIFO

    try:
        text = read_plain(path, KEPT * LINE_MOST)[0][:KEPT * LINE_MOST].decode("ascii",
                                                                               "replace")
    except OSError:
        return []
    return [line for line in text.splitlines() if " " in line]
