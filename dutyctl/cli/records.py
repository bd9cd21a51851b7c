"""log call, show, list: filing and reading records."""

from __future__ import annotations

import typer

from dutyctl.cli import options
from dutyctl.cli.session import Session
from dutyctl.messages import t

log_app = typer.Typer(help="Record what happens at the desk.", no_args_is_help=True)


@log_app.command("call")
def log_call(
    ctx: typer.Context,
    name: str = options.NAME,
    room: str = options.ROOM,
    phone: str = options.PHONE,
    category: str = typer.Option(None, "--category", help="Call category from dutyctl.yaml "
                                                        "(default: the site's default)."),
    summary: str = typer.Option(None, "--summary", help="What the resident asked or reported."),
    callback_by: str = typer.Option(None, "--callback-by", metavar="TIME",
                                    help="Not answered now: promise a callback by this time."),
    at: str = options.AT,
    staff: str = options.STAFF,
) -> None:
    """Record a resident's phone call (seed 4.2); prints the new id."""
    from dutyctl.kinds import call as calls
    from dutyctl.residents import resident, validate_resident

    session: Session = ctx.obj
    config = session.config
    moment = session.when(at)
    by = session.actor(staff, moment)
    person = validate_resident(resident(session.need(name, "--name", t("caller's name")),
                                        session.need(room, "--room", t("room (e.g. 3-2-501)")),
                                        session.need(phone, "--phone", t("phone"))))
    text = session.need(summary, "--summary", t("what they asked"))
    due = session.when(callback_by) if callback_by else None
    record = calls.log_call(session.store, config, resident=person, category=category,
                            summary=text, callback_by=due, at=moment, by=by)
    session.commit([record.path], f"call {record.short_id} {person['room']} {record.get('category')}")
    typer.echo(record.id)


def show(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Id or any unambiguous prefix."),
    fmt: str = options.FORMAT,
    show_phone: bool = options.SHOW_PHONE,
) -> None:
    """Show one record and its whole history."""
    from dutyctl import views

    session: Session = ctx.obj
    record = session.store.get(record_id)
    document = views.record_document(record, session.show_phone(show_phone))
    if fmt != "table":
        session.emit(document, fmt)
        return
    from dutyctl.output import cell

    hidden = ("history", "path")
    typer.echo("\n".join(f"{key}: {cell(value)}" for key, value in document.items()
                         if key not in hidden))
    typer.echo("")
    session.emit(views.history_rows(record, session.config.tz), "table", views.HISTORY_COLUMNS)


def list_records(
    ctx: typer.Context,
    kind: str = typer.Option(None, "--kind", help="Only this kind (call, complaint, repair, ...)."),
    status: str = typer.Option(None, "--status", help="Only records in this status."),
    since: str = typer.Option(None, "--since", metavar="DATE", help="From this date (2026-11-01)."),
    until: str = typer.Option(None, "--until", metavar="DATE", help="Up to this date, included."),
    room: str = typer.Option(None, "--room", help="Only this room."),
    category: str = typer.Option(None, "--category", help="Only this category."),
    open_only: bool = typer.Option(False, "--open", help="Only records not yet closed."),
    fmt: str = options.FORMAT,
    show_phone: bool = options.SHOW_PHONE,
) -> None:
    """List records, oldest first."""
    from dutyctl import queries, timeutil, views

    session: Session = ctx.obj
    tz, now = session.config.tz, session.now()
    first = timeutil.parse_day(since, tz, now) if since else None
    last = timeutil.parse_day(until, tz, now) if until else None
    scan = session.store.scan(first, last, (kind,) if kind else None)
    for problem in scan.problems:
        typer.echo(t("skipped: {problem}", problem=problem), err=True)
    chosen = queries.select(scan.records, status=status, room=room, category=category,
                            open_only=open_only)
    wide = fmt != "table"
    rows = [views.record_row(record, tz, session.show_phone(show_phone), wide) for record in chosen]
    session.emit(rows, fmt, views.LIST_COLUMNS)


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
    app.command("show")(show)
    app.command("list")(list_records)
