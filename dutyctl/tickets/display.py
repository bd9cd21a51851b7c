"""Deadlines and links as rows for `show` and `list` (the CLI formats them)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Iterable

from dutyctl.errors import DutyError
from dutyctl.messages import N_, t
from dutyctl.records import Record
from dutyctl.tickets.deadlines import Deadline, DeadlineBook, describe, hold_spans, label
from dutyctl.records import linked_ids

DEADLINE_COLUMNS = [("deadline", N_("deadline")), ("due", N_("due")), ("met_at", N_("met at")),
                    ("state", N_("state"))]
LINK_COLUMNS = [("id", N_("linked")), ("kind", N_("kind")), ("status", N_("status")),
                ("text", N_("text"))]
MISSING = "missing"  # a linked record that cannot be read (its status in the link's row)


def _local(moment: datetime | None, tz: tzinfo, wide: bool):
    if moment is None:
        return None
    return moment.astimezone(tz) if wide else moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def deadline_rows(deadlines: Iterable[Deadline], as_of: datetime, tz: tzinfo,
                  wide: bool = False) -> list[dict]:
    """Table: state is a phrase ('overdue by 2h'); json/yaml/csv: the state word plus detail."""
    rows = []
    for deadline in deadlines:
        row = {"deadline": deadline.name if wide else label(deadline.name),
               "due": _local(deadline.due, tz, wide), "met_at": _local(deadline.met_at, tz, wide)}
        if wide:  # stopped_at: when closing the record unmet stopped the clock (else null)
            row.update(stopped_at=_local(deadline.stopped_at, tz, wide),
                       state=deadline.state(as_of), detail=describe(deadline, as_of))
        else:
            row["state"] = describe(deadline, as_of)
        rows.append(row)
    return rows


def held_for(record: Record, as_of: datetime) -> timedelta:
    return sum((end - start for start, end in
                hold_spans([event for event in record.counted_events if event.at <= as_of],
                           as_of)),
               timedelta(0))


def link_rows(store, record: Record, wide: bool = False,
              as_of: datetime | None = None, names=None) -> list[dict]:
    """Each linked record as it stood at `as_of`, read from the store; a missing one is shown
    as such, one filed after `as_of` is left out. `names` (names.Names): a table's people by
    name (a call-out's technician)."""
    from dutyctl.messages import gettext
    from dutyctl.records import kind_word
    from dutyctl.views import record_text
    from dutyctl.words import status_word

    rows = []
    for linked_id in linked_ids(record):
        try:
            linked = store.get(linked_id, read_around=True)  # a bad step file: skipped
        except DutyError as exc:
            rows.append({"id": linked_id, "kind": None,
                         "status": MISSING if wide else gettext(N_("not found")),
                         "text": str(exc)})
            continue
        if as_of is not None:
            if linked.created_at > as_of:
                continue
            linked = linked.as_of(as_of)
        rows.append({"id": linked.id if wide else linked.short_id,
                     "kind": linked.kind if wide else kind_word(linked.kind),
                     "status": linked.status if wide else status_word(linked.status, linked.kind),
                     "text": record_text(linked, names)})
    return rows


def due_cell(book: DeadlineBook, record: Record, as_of: datetime, tz: tzinfo,
             wide: bool = False):
    """The next deadline still to meet, e.g. 'complete 10-13 16:30 (overdue by 2h)'."""
    try:
        upcoming = book.next_due(record, as_of)
    except DutyError as exc:
        return str(exc)
    if upcoming is None:
        return None
    if wide:
        return {"deadline": upcoming.name, "due": upcoming.due.astimezone(tz),
                "stopped_at": _local(upcoming.stopped_at, tz, wide),  # still to meet: null
                "state": upcoming.state(as_of)}
    return t("{deadline} {due} ({state})", deadline=label(upcoming.name),
             due=upcoming.due.astimezone(tz).strftime("%m-%d %H:%M"),
             state=describe(upcoming, as_of))


def select_due(records: Iterable[Record], book: DeadlineBook, as_of: datetime, *,
               overdue: bool = False,
               due_within: tuple[timedelta, bool] | None = None) -> list[Record]:
    """Records late now (--overdue) and/or with a deadline in the next window (--due-within:
    its length, and whether it was said in days, `timeutil.parse_window`)."""
    chosen = []
    for record in records:
        late = overdue and book.is_overdue(record, as_of)
        soon = due_within is not None and book.is_due_within(record, as_of, *due_within)
        if late or soon:
            chosen.append(record)
    return chosen

