"""What `show`, `list` and `room` add to a record's lines: its deadlines (the `due` column,
--overdue, --due-within), its links and the steps of two desks that clash. A module of its
own: listing a record needs none of the ticket commands (cli/tickets.py) and their Typer
objects."""

from __future__ import annotations

from datetime import datetime

from dutyctl.cli.session import Session
from dutyctl.messages import t


def record_clashes(session: Session, record, show_phone: bool = False) -> list[str]:
    """Steps of two desks that clash, and dispatches of two desks to different technicians
    (see `dutyctl check`): `show` marks the record with them.
    (dutyctl.check, which words them, is imported only for a record that has any.)"""
    from dutyctl.records import assignment_conflict, clashing_steps

    clashes = clashing_steps(record)  # as `check` and a report's "needs attention" name them
    corrections = resident_clashes(session, record, show_phone)
    current = assignment_conflict(record)  # dispatched to two technicians on two desks
    if not clashes and not current:
        return corrections
    from dutyctl.check import assignment_conflict_text, clash_text

    tz = session.config.tz
    return [*(clash_text(record, clash, session.workspace.relative, tz, session.names)
              for clash in clashes),
            *([assignment_conflict_text(record, current, tz, session.names)] if current
              else []), *corrections]


def resident_clashes(session: Session, entry, show_phone: bool = False) -> list[str]:
    """A register entry's resident corrected to different values on two desks that had not
    synced (dutyctl.callers.one_resident's clashes): how `show` says it (phones masked unless
    `show_phone`)."""
    from dutyctl import callers

    if entry.kind != callers.KIND:
        return []
    resident = callers.one_resident(callers.group_of(session.store, entry))
    return [callers.edit_clash_text(clash, resident, session.workspace.relative,
                                    session.config.tz, session.names, show_phone)
            for clash in resident.clashes]


def show_sections(session: Session, record, as_of: datetime, wide: bool,
                  show_phone: bool = False):
    """(extra fields, {name: (rows, columns)}) for the deadlines and links of one record."""
    from dutyctl.tickets import display
    from dutyctl.tickets.deadlines import load_book, span

    extra, sections = {}, {}
    clashes = record_clashes(session, record, show_phone)
    if clashes:
        extra["conflict"] = clashes
    book = load_book(session.workspace)
    deadlines = book.of(record, as_of)
    if deadlines:
        urgency = book.urgency_class(record)
        if urgency is not None:
            extra["clock"] = urgency.clock
        held = display.held_for(record, as_of)
        if held:
            extra["on_hold_for"] = span(held)
        sections["deadlines"] = (display.deadline_rows(deadlines, as_of, session.config.tz,
                                                       wide), display.DEADLINE_COLUMNS)
    links = display.link_rows(session.store, record, wide, as_of,
                              None if wide else session.names)
    if links:
        sections["linked"] = (links, display.LINK_COLUMNS)
    return extra, sections


class DeadlineFilter:
    """--overdue / --due-within for `list`, and the `due` column of every listed record."""

    def __init__(self, session: Session, as_of: datetime, overdue: bool, window):
        from dutyctl.tickets.deadlines import load_book

        self.book = load_book(session.workspace)
        self.as_of, self.overdue, self.window = as_of, overdue, window
        self.tz = session.config.tz

    @property
    def active(self) -> bool:
        return self.overdue or self.window is not None

    def apply(self, records: list) -> list:
        if not self.overdue and self.window is None:
            return records
        from dutyctl.tickets.display import select_due

        return select_due(records, self.book, self.as_of, overdue=self.overdue,
                          due_within=self.window)

    def fill(self, row: dict, record, wide: bool) -> dict:
        from dutyctl.tickets.display import due_cell

        row["due"] = due_cell(self.book, record, self.as_of, self.tz, wide)
        return row


def deadline_filter(session: Session, as_of: datetime, overdue: bool, due_within: str | None,
                    assigned: str | None) -> tuple[DeadlineFilter, str | None]:
    """Check the deadline and staff filters before any record is read: the filter, and the
    staff id `assigned` names (typed by id or name, 王强)."""
    from dutyctl import timeutil
    from dutyctl.errors import InputError

    window = None
    if due_within is not None:  # the option named as typed (cli.program.option_naming)
        window = timeutil.parse_window(due_within)
        hint = timeutil.duration_hint(due_within)
        if hint:  # 半天: 12 hours, or half a working day?
            raise InputError(lambda name: t("{flag}: {hint}", flag=name("due_within"),
                                            hint=hint))
        if window is None:
            raise InputError(lambda name: t(
                "{flag} {value}: expected a duration like 30m, 2h or 1d",
                flag=name("due_within"), value=due_within))
    staff = None
    if assigned:  # tickets.lifecycle (every ticket kind's module) only for --assigned
        from dutyctl.tickets.lifecycle import require_staff

        staff = require_staff(session.workspace, assigned)
    return DeadlineFilter(session, as_of, overdue, window), staff
