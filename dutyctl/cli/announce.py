"""The desk's hook that tells the notification channels about an event after its record is
written. No Typer here: `log call --file-ticket` runs it on the quick path
(dutyctl/cli/quick.py), before Typer is imported."""

from __future__ import annotations

import os
from datetime import timedelta

from dutyctl.cli.session import Session, echo
from dutyctl.messages import t


def announce_after(session: Session, event: str, text_of, key: str | None = None,
                   record: str | None = None) -> None:
    """After a desk command wrote (and committed) its record: tell the channels the rules
    name, within the desk's time budget. A failure is one stderr line, never the command's
    failure: the record is written, the message waits in the outbox."""
    from dutyctl.errors import DutyError
    from dutyctl.notify.dispatch import announce

    try:
        delivery = announce(session.workspace, event, text_of, session.now(), key, record)
    except Exception as exc:  # noqa: BLE001 - the record is written: say it, do not fail
        if os.environ.get("DUTYCTL_DEBUG"):
            raise
        reason = str(exc) if isinstance(exc, DutyError) else f"{type(exc).__name__}: {exc}"
        echo(t("notification not queued: {reason}", reason=reason), err=True)
        return
    for message in delivery.failed:
        echo(t("notification to {channel} not sent ({reason}): it waits in the outbox for "
               "dutyctl notify flush", channel=message.channel, reason=message.reason),
             err=True)


#: a repair announced this long after the time it was filed for is said entered late
ENTERED_LATE = timedelta(minutes=30)


def entered_late(session: Session, moment):
    """Now, when a step for `moment` is entered well after it (ENTERED_LATE): its notice says
    so; else None."""
    now = session.now()
    return now if now - moment > ENTERED_LATE else None


def announce_repair(session: Session, record) -> None:
    """An emergency repair (notify.emergency_repair classes) goes to its channels at once: as
    filed, or as a repair changed to such a class (its arrival due from the change)."""
    from dutyctl.kinds.complaint import urgency_of, urgency_since
    from dutyctl.kinds.repair import KIND as REPAIR

    settings = session.config.notify
    if (settings is None or record.kind != REPAIR
            or urgency_of(record) not in settings.emergency_repair):
        return
    from dutyctl.notify import settings as events
    from dutyctl.notify.texts import Texts

    def text():
        from dutyctl.records import LIMIT_ARRIVE
        from dutyctl.tickets.deadlines import load_book

        since = urgency_since(record)
        due = next((deadline.due for deadline in load_book(session.workspace).of(
            record, since) if deadline.name == LIMIT_ARRIVE), None)
        return Texts(session.workspace).emergency_repair(record, due,
                                                          entered_late(session, since))

    announce_after(session, events.EMERGENCY_REPAIR, text, record=record.id)
