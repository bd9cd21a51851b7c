"""What HEAD is, read from .git without starting git, and the desk's own commits that only
added files under records/ (gitsync notes them; the index then needs no `git diff` to know
that nothing it has read changed in place)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

ADDED_ONLY = "added-only-commits"  # in .dutyctl: "FROM TO" a line, the newest last
KEPT = 64  # lines: a command looks back over at most this many of its desk's own commits


def head(root: Path) -> str | None:
    """The commit HEAD names, read from .git without starting git (None: not plainly known)."""
    git = root / ".git"
    try:
        text = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not text.startswith("ref: "):
            return text or None
        ref = text[5:]
        try:
            return (git / ref).read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0]
    except OSError:
        return None
    return None


def branch(root: Path) -> str | None:
    """The branch HEAD is on, from .git/HEAD (None: detached, or not plainly known)."""
    try:
        text = (root / ".git" / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text[16:] or None if text.startswith("ref: refs/heads/") else None


def fetched(root: Path) -> str | None:
    """The commit the last `git fetch REMOTE BRANCH` brought, from .git/FETCH_HEAD."""
    try:
        with open(root / ".git" / "FETCH_HEAD", encoding="utf-8", errors="replace") as handle:
            commit, _, rest = handle.readline(1000).partition("\t")
    except OSError:
        return None
    plain = len(commit) in (40, 64) and all(c in "0123456789abcdef" for c in commit)
    return commit if plain and not rest.startswith("not-for-merge") else None


def parent(root: Path, commit: str) -> str | None:
    """The one parent of a commit still loose in .git/objects (a new one); None for a merge,
    a first commit, or one git has packed."""
    import zlib

    try:
        data = zlib.decompress((root / ".git" / "objects" / commit[:2] / commit[2:]).read_bytes())
    except (OSError, ValueError, zlib.error):
        return None
    kind, _, body = data.partition(b"\0")
    headers = body.split(b"\n\n", 1)[0].split(b"\n")
    parents = [line[7:].decode("ascii", "replace") for line in headers
               if line.startswith(b"parent ")]
    return parents[0] if kind.startswith(b"commit ") and len(parents) == 1 else None


def note_if_added_only(root: Path, state_dir: Path, old: str | None) -> None:
    """A commit that only added files under records/ was just made on `old`: noted when HEAD
    is that commit, made right on `old` (no other git slipped one in between)."""
    new = head(root)
    if old and new and new != old and parent(root, new) == old:
        _note(state_dir, old, new)


def _note(state_dir: Path, old: str, new: str) -> None:
    """(the caller holds the commit lock: no other command notes one meanwhile)"""
    path = state_dir / ADDED_ONLY
    lines = _lines(path)[-(KEPT - 1):] + [f"{old} {new}"]
    temporary = path.with_name(f".{ADDED_ONLY}.{os.getpid()}.tmp")
    try:
        temporary.write_text("\n".join(lines) + "\n", encoding="ascii")
        os.replace(temporary, path)
    except OSError:  # not kept: the index asks git instead
        with contextlib.suppress(OSError):
            temporary.unlink()


def added_only(state_dir: Path, old: str, new: str) -> bool:
    """HEAD came from `old` to `new` only by commits noted by note_added_only."""
    parent = {}
    for line in _lines(state_dir / ADDED_ONLY):
        before, _, after = line.partition(" ")
        parent[after] = before
    for _ in range(len(parent)):
        if new == old:
            return True
        new = parent.get(new)
        if new is None:
            return False
    return new == old


def _lines(path: Path) -> list[str]:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return [line for line in handle.read(KEPT * 100).splitlines() if " " in line]
    except OSError:
        return []
