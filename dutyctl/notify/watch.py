"""The deadline watch (`dutyctl notify watch`, from cron every few minutes).

Each alert is raised once: raising it writes `alerts/YYYY/MM/DD/<subject>.<what>.<alert>.yaml`
in the workspace, whose name and content follow from what it is about (record, deadline,
kind of alert) and nothing else. The file is committed and shared like a record, so after a
sync no desk raises it again; two desks that raised it before syncing wrote the identical
file, which git merges as one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from dutyctl.messages import N_
from dutyctl.store import yamlio
from dutyctl.notify import settings as names
from dutyctl.store.storage import write_atomic

from dutyctl.kinds.call import CALL
from dutyctl.kinds.complaint import COMPLAINT
from dutyctl.kinds.repair import REPAIR
from dutyctl.notify import ALERTS_DIR
SOON, MISSED, WAITING, ABSENT = "soon", "missed", "waiting", "absent"
# older than this, a missed deadline or an absence is history for the reports, not an alert
# (the first run of the watch must not page everyone about last year)
CATCH_UP = timedelta(days=1)
WATCHED_KINDS = (COMPLAINT.name, REPAIR.name, CALL.name)  # kinds with deadlines (and callbacks)
# what an alert's file name keeps of its subject: ids as written (白班, 张伟, 买买提·艾力: what
# an id may hold stays, or two absences of one day would share a file), any other character
# as "_"; a name past this many bytes ends in a digest of the whole (ext4 allows 255)
MAX_KEY_BYTES = 200


@dataclass(frozen=True)
class Alert:
    subject: str  # a record id, or day-shift-staff of an absence
    what: str  # the deadline (respond, arrive, complete, callback), accept, clock-in
    alert: str  # soon, missed, waiting, absent
    day: date  # the folder: the day of the record or shift
    event: str  # the notify rule it goes by
    #: its texts.Notice, built only when raised
    text: Callable[[], Any] = field(compare=False, repr=False)

    @property
    def key(self) -> str:
        key = ".".join(map(_file_safe, (self.subject, self.what, self.alert)))
        if len(key.encode()) <= MAX_KEY_BYTES:
            return key
        from dutyctl.yamlcache import sha256_hex

        digest = sha256_hex("\0".join((self.subject, self.what, self.alert)).encode())[:16]
        return f"{key.encode()[:MAX_KEY_BYTES - 17].decode(errors='ignore')}-{digest}"

    def path(self, root: Path) -> Path:
        return (root / ALERTS_DIR / f"{self.day.year:04d}" / f"{self.day.month:02d}"
                / f"{self.day.day:02d}" / f"{self.key}.yaml")

    def data(self) -> dict:
        return {"subject": self.subject, "what": self.what, "alert": self.alert}


def _file_safe(part: str) -> str:
    """`part` with every character an id may not hold (dutyctl.ruleids) as "_"."""
    return "".join(char if char.isalnum() or char in "-_.·"
                   or unicodedata.category(char).startswith("M") else "_" for char in part)


#: The events the watch raises (the others are sent by the command that makes them)
WATCHED = (names.DEADLINE_SOON, names.DEADLINE_MISSED, names.HANDOVER_WAITING, names.ABSENCE)


def watched_events(workspace) -> set[str]:
    """The watch's events some channel takes: one no channel takes is not looked for."""
    settings = workspace.config.notify
    return {event for event in WATCHED if settings and settings.channels_for(event)}


def due_alerts(workspace, now: datetime) -> list[Alert]:
    """Every alert the rules ask for at `now` that no desk has raised yet."""
    settings = workspace.config.notify
    wanted = watched_events(workspace)
    from dutyctl.notify.texts import Texts

    texts = Texts(workspace)
    found: list[Alert] = []
    if wanted & {names.DEADLINE_SOON, names.DEADLINE_MISSED}:
        found += _each(N_("deadline alerts"), _deadline_alerts, workspace, now, settings, texts,
                       wanted)
    if names.HANDOVER_WAITING in wanted:
        found += _each(N_("handover alerts"), _handover_alerts, workspace, now, settings, texts)
    if names.ABSENCE in wanted:
        found += _each(N_("absence alerts"), _absence_alerts, workspace, now, texts)
    return [alert for alert in found if not alert.path(workspace.root).exists()]


def _each(which: str, gather: Callable[..., list[Alert]], *args) -> list[Alert]:
    """One kind of alert: a file it needs that cannot be read (a roster with a conflict
    marker, broken rules) stops that kind alone, said on stderr; the others are raised."""
    from dutyctl import notices
    from dutyctl.errors import DutyError, first_problem
    from dutyctl.messages import gettext, t

    try:
        return gather(*args)
    except DutyError as exc:
        notices.warn(t("{alerts} not looked for: {problem}", alerts=gettext(which),
                       problem=first_problem(exc)))
        return []


def _deadline_alerts(workspace, now, settings, texts, wanted) -> list[Alert]:
    from dutyctl.tickets.deadlines import load_book

    from dutyctl.records import as_it_stood

    book = load_book(workspace)
    found = []
    # open at `now`, as each stood then: a watch caught up for a time gone by (`--at`, cron
    # down for a while) skipped the records closed since and named who has them now
    for record in as_it_stood(workspace.store.open_at(WATCHED_KINDS, now).records, now):
        day = record.created_at.astimezone(workspace.config.tz).date()
        for deadline in book.open_deadlines(record, now):
            if deadline.due is None:
                continue
            missed = deadline.is_overdue(now)
            if missed and not (names.DEADLINE_MISSED in wanted and now - deadline.due <= CATCH_UP):
                continue
            # soon on the limit's clock, as the alert's text counts what is left
            if not missed and not (names.DEADLINE_SOON in wanted
                                   and deadline.is_due_within(now, settings.warn_before)):
                continue
            found.append(Alert(record.id, deadline.name, MISSED if missed else SOON, day,
                               names.DEADLINE_MISSED if missed else names.DEADLINE_SOON,
                               lambda r=record, d=deadline, m=missed: texts.deadline(r, d, m, now)))
    return found


def _handover_alerts(workspace, now, settings, texts) -> list[Alert]:
    from dutyctl.desk.handover import pending_handovers
    from dutyctl.kinds.handover import ACCEPT

    return [Alert(record.id, ACCEPT, WAITING,
                  record.created_at.astimezone(workspace.config.tz).date(),
                  names.HANDOVER_WAITING,
                  lambda r=record: texts.handover_waiting(r, now))
            for record in pending_handovers(workspace.store)
            if settings.handover_within <= now - record.created_at <= CATCH_UP]


def _absence_alerts(workspace, now, texts) -> list[Alert]:
    """Rostered people not clocked in once their shift has started and the grace is over."""
    from dutyctl.desk import attendance
    from dutyctl.desk.clocking import grace, sessions_between, window
    from dutyctl.desk.rostered import leave_of
    from dutyctl.roster.onduty import assignments_between

    config = workspace.config
    # the shifts before too: a session chained over back-to-back shifts attends a later one
    since = now - CATCH_UP - attendance.LONGEST_DUTY
    every = [slot for slot in assignments_between(workspace, since, now) if slot.staff]
    slots = [slot for slot in every if now - CATCH_UP <= slot.start <= now]
    if not slots:
        return []
    by_staff = attendance.slots_by_staff(every)
    today = now.astimezone(config.tz).date()
    sessions = sessions_between(workspace.store, today - timedelta(days=2), today)
    found, on_leave = [], leave_of(workspace)  # sick leave entered since: no absence
    for slot in slots:
        outcome = attendance.slot_outcome(slot, sessions, grace(config), window(config), now,
                                          own=by_staff[slot.staff], leave_of=on_leave)
        if outcome.result == attendance.ABSENT:
            found.append(Alert(f"{slot.date.isoformat()}-{slot.shift_id}-{slot.staff}",
                               "clock-in", ABSENT, slot.date, names.ABSENCE,
                               lambda s=slot: texts.absence(s)))
    return found


def raise_alerts(workspace, alerts: list[Alert], now: datetime) -> list[tuple[Path, Any]]:
    """Queue each alert's messages, then write its file (the shared memory that it was
    raised): a crash in between queues it again under the same outbox name, never twice.
    (file written, Notice sent) per alert."""
    from dutyctl.notify.dispatch import queue

    written = []
    for alert in alerts:
        path = alert.path(workspace.root)
        if _cannot_write(workspace, path):
            continue
        notice = alert.text()
        queue(workspace, alert.event, notice, now, key=alert.key)
        write_atomic(path, yamlio.dumps(alert.data()), inside=workspace.root)
        written.append((path, notice))
    return written


def _cannot_write(workspace, path: Path) -> bool:
    """A file (or a link) another desk committed where the alert's folder belongs: that alert
    is not raised, said on stderr (`check` names the file); it was written nowhere and is
    raised once the way is clear, and the other alerts go on. Never queued: a message whose
    file cannot be kept would be queued and sent again at every run."""
    from dutyctl import notices
    from dutyctl.store.storage import not_a_folder

    folder = path.parent
    blocking = not_a_folder(path) or next(
        (part for part in (folder, *folder.parents) if part.is_symlink()
         and workspace.root in part.parents), None)
    if blocking is None:
        return False
    from dutyctl.messages import t

    notices.warn(t("{path}: not a folder: the alerts of {day} are not raised until it is one",
                   path=workspace.relative(blocking), day=folder.relative_to(
                       workspace.root / ALERTS_DIR).as_posix()))
    return True
