"""The one channel for what the core says on the side of a result: warnings (a roster not
compared with, a git commit that failed, a lock waited for) and files read around (a record
that cannot be read is skipped, never stops a desk).

The core calls `warn(text)` or `skipped(problem)`; whoever runs it decides what they become:
the CLI (`DutyGroup.invoke`) listens for one command line, printing each warning on stderr
and each skipped file once, at the end. Without a listener a warning goes to stderr and a
skipped file is kept for `drain_skipped()`, so library use loses nothing either.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from dutyctl.caches import process_cache
from dutyctl.errors import Problem
from dutyctl.frozen import frozen


@frozen
class Notice:
    text: str
    problem: Problem | None = None  # set for a file read around (skipped)


Listener = Callable[[Notice], None]
_listeners: list[Listener] = process_cache([])
_unheard: list[Problem] = process_cache([])


def warn(text: str) -> None:
    """Something the user should know that does not stop the work."""
    _tell(Notice(text))


def skipped(problem: Problem) -> None:
    """A file the work read around: named once, by whoever listens."""
    _tell(Notice(str(problem), problem))


def _tell(notice: Notice) -> None:
    if _listeners:
        _listeners[-1](notice)
    elif notice.problem is not None:
        _unheard.append(notice.problem)
    else:
        print(notice.text, file=sys.stderr, flush=True)


def drain_skipped() -> list[Problem]:
    """The files skipped while nobody listened, once each (then forgotten)."""
    found = list(dict.fromkeys(_unheard))
    _unheard.clear()
    return found


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Every notice inside the block goes to `listener` (the innermost one)."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
