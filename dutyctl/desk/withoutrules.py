"""What the desk can still say of who is on duty when the roster rules cannot be read (no
shift has times then): the places the roster files give a day, and who is clocked in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dutyctl.desk.attendance import LONGEST_DUTY


def present_without_rules(workspace, at: datetime, role: str | None = None
                          ) -> list[dict[str, Any]]:
    """What `who` can still say when the roster cannot be read as slots (rosters/rules.yaml
    broken: no shift has times): the places the roster files give the day of `at`, then
    those of the day before (whose night shift or on-call duty may still run at `at`: without
    the rules no shift's end is known), by id (a roster file that cannot be read is
    ProblemsFound, as ever), then whoever is clocked in at `at` and not among them. Each row:
    `date` (the day rostered; None: not rostered either day), `role`, `staff`, `shift`,
    `clocked_in` (the moment, or None). A clock-in counts only when not clocked out by `at`
    and at most LONGEST_DUTY before it: it says someone clocked in and did not clock out, not
    that they are on duty (no shift window to judge it by)."""
    from dutyctl.desk.clocking import KIND, session_of
    from dutyctl.roster.onduty import places_between

    day = at.astimezone(workspace.config.tz).date()
    places = sorted(places_between(workspace, day - timedelta(days=1), day),
                    key=lambda place: place.date != day)  # the day's own first (stable)
    clocked: dict[str, tuple[datetime, dict]] = {}
    seen = {record.id: record for record in workspace.store.scan(
        day - timedelta(days=2), day, (KIND,)).records}
    seen.update((record.id, record) for record in workspace.store.open_records(
        kinds=(KIND,)).records)
    for record in sorted(seen.values(), key=lambda record: record.created_at):
        duty = session_of(record)
        if at - LONGEST_DUTY <= duty.start <= at and (duty.end is None or duty.end > at):
            clocked[duty.staff] = (duty.start, record.get("slot") or {})
    rows = [{"date": place.date, "role": place.role, "staff": place.staff,
             "shift": place.shift_id,
             "clocked_in": clocked[place.staff][0] if place.staff in clocked else None}
            for place in places if place.staff and (role is None or place.role == role)]
    rostered = {row["staff"] for row in rows}
    for staff, (since, slot) in clocked.items():
        if staff not in rostered and (role is None or slot.get("role") == role):
            rows.append({"date": None, "role": slot.get("role"), "staff": staff,
                         "shift": slot.get("shift"), "clocked_in": since})
    return rows
