"""Reading the roster for the desk: slots near a moment, tolerant where the desk must go on.

The roster engine lives in dutyctl.roster (another part of dutyctl); it is imported lazily
so that clocking in costs nothing when there is no roster, and still works while a roster
file is broken (the duty is recorded, compared with nothing, and the reason is shown).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from dutyctl.errors import DutyError
from dutyctl.messages import t


def slots_between(workspace, start: datetime, end: datetime) -> list[Any]:
    """Every roster slot overlapping [start, end), sorted by start; [] without a roster engine.

    Errors in roster files propagate (a report must not silently show nothing)."""
    try:
        from dutyctl.roster.duty import assignments_between
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("dutyctl.roster"):
            return []
        raise
    return list(assignments_between(workspace, start, end))


def slots_or_none(workspace, start: datetime, end: datetime,
                  warn: Callable[[str], None]) -> list[Any] | None:
    """Like slots_between, but a broken roster gives None and one warning: the desk goes on."""
    try:
        return slots_between(workspace, start, end)
    except DutyError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        warn(t("roster unreadable, not compared with it: {reason}", reason=first))
        return None
