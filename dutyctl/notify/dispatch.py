"""Queue, then send: the desk's notifications never block it for more than DESK_BUDGET
seconds in all, and whatever did not go out waits in the outbox for `dutyctl notify flush`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from dutyctl import timeutil

from dutyctl.store import ids
from dutyctl.messages import N_
from dutyctl.notify.outbox import Message, Outbox

if TYPE_CHECKING:
    from dutyctl.notify.texts import Notice

DESK_BUDGET = 1.5  # seconds a desk command may spend on all its notifications
CRON_TIMEOUT = 10.0  # seconds per message for flush and watch (cron waits; the desk does not)


@dataclass
class Delivery:
    sent: list[Message] = field(default_factory=list)
    failed: list[Message] = field(default_factory=list)  # back in the outbox, with the reason

    def add(self, other: "Delivery") -> None:
        self.sent += other.sent
        self.failed += other.failed


def outbox_of(workspace) -> Outbox:
    """The outbox in the desk's state folder; refused (exit 3) when that folder is a file or a
    link another desk committed (`storage.state_refusal`, as a lock is): nothing is queued
    through it (`notify watch` and `flush` stop there, as a desk's writing does at its lock);
    and when the outbox or its `sending/` is such a link (a message, a resident's words in
    it, would be written or moved to where it points)."""
    from dutyctl.errors import EnvironmentFailure
    from dutyctl.messages import t
    from dutyctl.store.storage import state_refusal

    box = Outbox(workspace.state_dir)
    if refusal := state_refusal(box.dir):
        raise refusal
    for folder in (box.dir, box.claims):  # committed as links: no message goes where they point
        if folder.is_symlink():
            raise EnvironmentFailure(t("a symbolic link: dutyctl does not write through it "
                                       "(replace it by a folder)"), path=folder)
    return box


def queue(workspace, event: str, notice: Notice, at: datetime, key: str | None = None,
          record: str | None = None) -> list[Message]:
    """One outbox message per channel the rules send `event` to. `key`: a message that is the
    same whoever queues it (an alert) gets the same file, so it is queued once; `record`: the
    record's id it is about."""
    settings = workspace.config.notify
    channels = settings.channels_for(event) if settings else []
    message_id = key or ids.new_id(at)
    messages = [Message(message_id, channel.name, event, notice.text, timeutil.to_iso(at),
                        headline=notice.headline, record=record) for channel in channels]
    box = outbox_of(workspace)
    for message in messages:
        box.put(message)
    return messages


def send(workspace, messages: list[Message], budget: float | None = None,
         per_message: float = CRON_TIMEOUT) -> Delivery:
    """Try each queued message once. `budget`: seconds for all of them together, the channels
    tried side by side (one slow robot must not starve the others); else one after the other,
    `per_message` seconds each."""
    if budget is None:
        result = Delivery()
        for message in messages:
            result.add(_attempt(workspace, message, per_message))
        return result
    import threading

    results: list[Delivery] = []
    threads = [threading.Thread(target=lambda m=message: results.append(
        _attempt(workspace, m, budget)), daemon=True) for message in messages]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + budget + 0.3  # every attempt gives up at `budget` itself
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    result = Delivery()
    for done in list(results):
        result.add(done)
    return result


def _attempt(workspace, message: Message, timeout: float) -> Delivery:
    """One message, once: claimed, delivered or put back with the reason."""
    from dutyctl.notify.send import NotSent, deliver

    settings = workspace.config.notify
    channel = settings.channels.get(message.channel) if settings else None
    box = outbox_of(workspace)
    if not box.claim(message):
        return Delivery()  # another process is sending it, or has sent it
    try:
        if channel is None:
            raise NotSent(N_("no channel '{name}' in notify.channels any more"),
                          name=message.channel)
        deliver(workspace, channel, message.text, timeout, message.event)
    except NotSent as exc:
        failed = message.failed(exc.why)
        box.back(failed)
        return Delivery(failed=[failed])
    except Exception as exc:  # noqa: BLE001 - whatever a channel met, the message claimed goes
        # back with its kind (never stranded in sending/, nor a thread's traceback on screen)
        failed = message.failed(NotSent(N_("not sent: {error}"), error=type(exc).__name__).why)
        box.back(failed)
        return Delivery(failed=[failed])
    box.done(message)
    return Delivery(sent=[message])


def announce(workspace, event: str, text_of, at: datetime, key: str | None = None,
             record: str | None = None) -> Delivery:
    """What a desk command calls after its record is written (and committed): queue `event`
    for its channels and try them within DESK_BUDGET. `text_of()` builds the text only when
    some channel wants the event (a texts.Notice). Never raises for the network or a robot."""
    settings = workspace.config.notify
    if not settings or not settings.channels_for(event):
        return Delivery()
    messages = queue(workspace, event, text_of(), at, key, record)
    return send(workspace, messages, budget=DESK_BUDGET)


def flush(workspace) -> tuple[Delivery, list[Message]]:
    """Retry every message waiting in the outbox: (this run's delivery, what still waits)."""
    box = outbox_of(workspace)
    delivery = send(workspace, box.waiting())
    return delivery, box.waiting()
