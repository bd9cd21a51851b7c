"""notify: test a channel, flush the outbox, the deadline watch (the desk's hook that
announces an event after its record is written is dutyctl/cli/announce.py)."""

from __future__ import annotations

import typer

from dutyctl.cli import options
from dutyctl.cli.session import Session, echo
from dutyctl.messages import N_, t, tn

notify_app = typer.Typer(help="Notifications: WeChat Work and DingTalk group robots, a "
                              "command (SMS); the outbox and the deadline watch.",
                         no_args_is_help=True)

OUTBOX_COLUMNS = [("id", N_("id")), ("channel", N_("channel")), ("event", N_("event")),
                  ("created", N_("queued")), ("attempts", N_("attempts")),
                  ("error", N_("last error")), ("text", N_("text"))]
#: On screen the message's first line says what it is about (the id is the alert's key).
OUTBOX_SCREEN = [("created", N_("queued")), ("channel", N_("channel")), ("event", N_("event")),
                 ("attempts", N_("attempts")), ("error", N_("last error")),
                 ("text", N_("message"))]


def _not_sent(message) -> str:
    """A message that did not go, said by its channel, why and its headline (the alert's
    key names a record or a duty by ids)."""
    from dutyctl.output import visible

    return t("{channel}: not sent ({reason}): {message}", channel=message.channel,
             reason=message.reason, message=visible(message.about))


def _channel(session: Session, name: str):
    """A channel of notify.channels by its name (exit 2 naming them all otherwise)."""
    from dutyctl.errors import NotFound

    settings = session.config.notify
    found = settings.channels.get(name) if settings else None
    if found is None and settings and settings.channels:
        raise NotFound(t("no channel '{name}' in notify.channels (channels: {names})",
                         name=name, names=t(", ").join(settings.channels)))
    if found is None:
        raise NotFound(t("no channel '{name}': dutyctl.yaml has no notify.channels yet (the "
                         "README's Notifications section shows one)", name=name))
    return found


@notify_app.command("test")
def notify_test(ctx: typer.Context,
                channel: str = typer.Argument(..., metavar="CHANNEL",
                                              help="A channel of notify.channels.")) -> None:
    """Send a test message to one channel now and say whether it arrived (exit 3 if not)."""
    from dutyctl.errors import EnvironmentFailure
    from dutyctl.notify.dispatch import CRON_TIMEOUT
    from dutyctl.notify.send import NotSent, deliver
    from dutyctl.notify.texts import Texts

    session: Session = ctx.obj
    found = _channel(session, channel)
    notice = Texts(session.workspace).test(channel, session.now())
    try:
        deliver(session.workspace, found, notice.text, CRON_TIMEOUT, "test")
    except NotSent as exc:
        raise EnvironmentFailure(t("{channel}: not sent: {reason}", channel=channel,
                                   reason=exc)) from None
    echo(t("{channel}: sent", channel=channel))


@notify_app.command("allow")
def notify_allow(ctx: typer.Context,
                 channel: str = typer.Argument(..., metavar="CHANNEL",
                                               help="A command channel of notify.channels."),
                 yes: bool = typer.Option(False, "--yes",
                                          help="Approve without asking (for scripts).")) -> None:
    """Approve on this desk the command of a command channel, exactly as dutyctl.yaml has it.

    dutyctl.yaml comes from every desk through git: a desk runs a channel's command only once
    approved here, and again after any change to it."""
    from dutyctl.errors import FindingsSaid, InputError
    from dutyctl.notify.consent import allow, lookup, not_found, shown, unapproved, unsafe
    from dutyctl.notify.outbox import why_said
    from dutyctl.notify.settings import COMMAND

    session: Session = ctx.obj
    chosen = _channel(session, channel)
    if chosen.type != COMMAND:
        raise InputError(t("{channel} is no command channel: only a command is approved",
                           channel=channel))
    program = lookup(chosen.command)  # once: what is checked and approved is what runs
    if (why := unsafe(session.workspace, chosen, program)) is not None:
        raise InputError(why_said(why))
    if program.real is None:  # nothing to approve: a later install is checked when approved
        raise InputError(why_said(not_found(chosen)))
    if unapproved(session.workspace, chosen, program) is None:
        echo(t("{channel}: approved on this desk already: {command}", channel=channel,
               command=shown(chosen.command)))
        return
    echo(t("{channel}: for each message this desk would run: {command}", channel=channel,
           command=shown(chosen.command, limit=None)), err=True)
    if not yes:
        from dutyctl.cli.session import confirm, interactive

        if not interactive():
            from dutyctl.commandwords import said_option

            raise InputError(t("approve it at a terminal, or with {yes}",
                               yes=said_option("--yes", "notify allow")))
        if not confirm(t("Run this command on this desk?"), default=False):
            echo(t("nothing approved"), err=True)
            raise FindingsSaid()
    allow(session.workspace, chosen, program)
    echo(t("{channel}: approved on this desk (until its command changes)", channel=channel))


@notify_app.command("flush")
def notify_flush(ctx: typer.Context) -> None:
    """Send every message waiting in the outbox (for cron). Exit 1 while some still wait.

    Silent when the outbox was empty, so cron mails nothing on quiet runs."""
    from dutyctl.errors import FindingsSaid
    from dutyctl.notify.dispatch import flush

    session: Session = ctx.obj
    delivery, waiting = flush(session.workspace)
    for message in delivery.failed:
        echo(_not_sent(message), err=True)
    if delivery.sent or delivery.failed or waiting:
        echo(t("sent {sent}, still waiting {waiting}", sent=len(delivery.sent),
               waiting=len(waiting)))
    if waiting:
        raise FindingsSaid()


@notify_app.command("outbox")
def notify_outbox(ctx: typer.Context, fmt: str = options.FORMAT) -> None:
    """List the messages waiting in the outbox, oldest first."""
    from dutyctl.notify.dispatch import outbox_of

    session: Session = ctx.obj
    waiting = outbox_of(session.workspace).waiting()
    if fmt == "table":
        session.emit([_screen_row(session, message) for message in waiting], fmt,
                     OUTBOX_SCREEN, empty=t("the outbox is empty"))
        return
    rows = [{"id": message.id, "channel": message.channel, "event": message.event,
             "created": message.created, "attempts": message.attempts,
             "error": message.reason or "", "text": message.text} for message in waiting]
    session.emit(rows, fmt, OUTBOX_COLUMNS, empty=t("the outbox is empty"))


@notify_app.command("drop")
def notify_drop(ctx: typer.Context,
                refs: list[str] = typer.Argument(None, metavar="[ID]...",
                                                 help="A record's id or prefix (its messages), "
                                                      "or a message's id as --format json "
                                                      "lists it."),
                channel: str = typer.Option(None, "--channel", metavar="CHANNEL",
                                            help="Only the messages for this channel (alone: "
                                                 "all of them)."),
                every: bool = typer.Option(False, "--all", help="Every waiting message.")
                ) -> None:
    """Take waiting messages out of the outbox for good: those about a record (a repair
    long done), or for a channel that fails or is gone; `notify flush` stops exiting 1
    for them. Each one dropped is named."""
    from dutyctl.errors import InputError
    from dutyctl.notify.dispatch import outbox_of

    session: Session = ctx.obj
    refs = [ref.strip().upper() for ref in refs or () if ref.strip()]
    if not refs and channel is None and not every:
        from dutyctl.commandwords import said_option

        raise InputError(t("name what to drop: a record's id, {channel} or {all}",
                           channel=said_option("--channel"), all=said_option("--all")))
    box = outbox_of(session.workspace)
    waiting = [message for message in box.waiting()
               if channel is None or message.channel == channel]
    for ref in refs:  # a prefix of two records' (`0`, a day's first letters): never both
        about = {message.subject for message in waiting if message.is_about(ref)}
        if len(about) > 1:
            raise InputError(t("'{ref}' names the messages of {count} records or alerts: type "
                               "more of the id ({ids})", ref=ref, count=len(about),
                               ids=t(", ").join(sorted(about)[:5])))
    chosen = [message for message in waiting
              if not refs or any(message.is_about(ref) for ref in refs)]
    if not chosen:
        from dutyctl.commandwords import said

        raise InputError(t("no waiting message matches: dutyctl {outbox} lists them",
                           outbox=said("notify", "outbox")))
    dropped = [message for message in chosen if box.drop(message)]
    for message in dropped:
        echo(t("dropped: {channel}: {headline}", channel=message.channel,
               headline=_screen_row(session, message)["text"]), err=True)
    echo(tn("dropped {count} message", "dropped {count} messages", len(dropped)))


def _screen_row(session: Session, message) -> dict:
    """An outbox message on screen: its event in words, the local time it was queued and
    its headline."""
    from dutyctl.notify.settings import event_word
    from dutyctl.output import visible
    from dutyctl.timeutil import local_or_as_is

    return {"created": local_or_as_is(message.created, session.config.tz),
            "channel": message.channel,
            "event": event_word(message.event),
            "attempts": message.attempts, "error": message.reason or "",
            "text": visible(message.about)}


@notify_app.command("watch")
def notify_watch(ctx: typer.Context,
                 at: str = typer.Option(None, "--at", metavar="TIME",
                                        help="Watch as of this time (default: now).")) -> None:
    """Raise each deadline, handover and absence alert once (for cron, every few minutes).

    An alert raised is a file under alerts/ (committed and shared like a record), so no desk
    raises it again after a sync. Messages that cannot be sent wait in the outbox."""
    from dutyctl import gitsync
    from dutyctl.notify import ALERTS_DIR
    from dutyctl.notify.dispatch import outbox_of, send
    from dutyctl.notify.watch import due_alerts, raise_alerts, watched_events

    session: Session = ctx.obj
    moment = session.when(at)
    alerts = due_alerts(session.workspace, moment)
    written = raise_alerts(session.workspace, alerts, moment)
    # with the alerts an earlier run saved and never committed (stopped, or run during a
    # merge): left so, they held back every sync of the desk
    paths = list(dict.fromkeys([*(path for path, _ in written), *(
        session.workspace.root / name
        for name in gitsync.alerts_left_over(session.workspace.root, ALERTS_DIR))]))
    if paths:
        session.commit(paths, lambda: tn("dutyctl notify watch: {count} alert",
                                         "dutyctl notify watch: {count} alerts", len(paths)))
    keys = {alert.key for alert in alerts}
    box = outbox_of(session.workspace)
    delivery = send(session.workspace, [message for message in box.waiting()
                                        if message.id in keys])
    for _, notice in written:
        echo(notice.text.splitlines()[0])
    for message in delivery.failed:
        echo(_not_sent(message), err=True)
    if not watched_events(session.workspace):  # cron's silence would read as all well
        echo(t("no channel takes the watch's alerts (deadline-soon, deadline-missed, "
               "handover-not-accepted, absence under notify's rules in dutyctl.yaml): "
               "it raises nothing"), err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")
