"""The caches a module keeps for as long as its process runs (one command line), registered
so that whoever runs several command lines in one process forgets them all between two: the
test suite's forks (tests/entrypoint.py) start each command as a new process would, empty.
A dict, list or set a module fills as it works is registered where it is made:
`_SEEN: dict[str, Any] = process_cache({})`."""

from __future__ import annotations

from typing import TypeVar

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
