"""The caches a module keeps for as long as its process runs (one command line), registered
so that whoever runs several command lines in one process forgets them all between two: the
test suite's forks (tests/entrypoint.py) start each command as a new process would, empty.
A dict, list or set a module fills as it works is registered where it is made:
`_SEEN: dict[str, Any] = process_cache({})`. The caches kept on disk between commands (a
parsed .mo, a parsed YAML file) are written by `write_marshalled`."""

from __future__ import annotations

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


def write_marshalled(path: Path, payload: Any) -> None:
    """`payload` (marshal's plain values) kept in `path`, as write_whole does."""
    import marshal

    try:
        encoded = marshal.dumps(payload)
    except ValueError:  # a value marshal does not carry: nothing kept
        return
    write_whole(path, encoded)


def write_whole(path: Path, data: bytes) -> None:
    """`data` kept in `path`, replaced whole (a temporary file renamed); a folder that cannot
    be written only means reading the source again next time, and a disk full halfway
    leaves no partial copy behind."""
    import os

    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
