"""log call, show, list: filing and reading records."""

from __future__ import annotations


import typer

from dutyctl.cli import options
from dutyctl.cli.session import Session, echo
from dutyctl.messages import t, tn

log_app = typer.Typer(help="Record what happens at the desk.", no_args_is_help=True)


@log_app.command("call")
def log_call(
    ctx: typer.Context,
    name: str = options.NAME,
    room: str = options.ROOM,
    phone: str = options.PHONE,
    category: str = typer.Option(None, "--category", help="Call category from dutyctl.yaml, by "
                                                        "id or name (fee or 物业费咨询; "
                                                        "default: the site's default)."),
    summary: str = typer.Option(None, "--summary", help="What the resident asked or reported."),
    callback_by: str = typer.Option(None, "--callback-by", metavar="TIME",
                                    help="Not answered now: promise a callback by this time."),
    file_ticket: bool = typer.Option(False, "--file-ticket",
                                     help="Category complaint or repair: also file the linked "
                                          "complaint or repair (prints its id on a second line)."),
    ticket_category: str = typer.Option(None, "--ticket-category",
                                        help="With --file-ticket: the complaint or repair "
                                             "category (default: the site's default)."),
    urgency: str = typer.Option(None, "--urgency",
                                help="With --file-ticket: urgency class (default: from keywords)."),
    at: str = options.AT,
    staff: str = options.STAFF,
) -> None:
    """Record a resident's phone call (seed 4.2); prints the new id."""
    from dutyctl.cli.calls import log_call as run  # also run before Typer loads: cli/quick.py

    run(ctx.obj, name=name, room=room, phone=phone, category=category,
        summary=summary, callback_by=callback_by, file_ticket=file_ticket,
        ticket_category=ticket_category, urgency=urgency, at=at, staff=staff)


ENTRY_TEXT = typer.Argument(..., metavar="CONTENT", help="What happened, in a sentence.")
WHERE = typer.Option(None, "--where", metavar="PLACE",
                     help="Where: a room or a place (3-2-501, 北门, 3号楼).")


def _log_entry(ctx: typer.Context, entry_type: str | None, text: str, where, at, staff):
    """Log a duty log entry of `entry_type` as typed (None: a note); prints its id, returns
    it."""
    from dutyctl.kinds import entry
    from dutyctl.rooms import place
    from dutyctl.words import entry_word

    session: Session = ctx.obj
    moment = session.happened(at)
    by = session.actor(staff, moment)
    if where and where.strip():  # spelled as every other room (３－２－５０１, 3栋 are 3-2-501, 3)
        where = place(session.config.rooms, where)
    record = entry.log_entry(session.store, entry_type=entry_type or "note", content=text,
                             where=where, at=moment, by=by)
    session.commit([record.path], lambda: t("{type} {id} logged", type=entry_word(
        record.get("type")), id=record.short_id))
    echo(record.id)
    return record


@log_app.command("note")
def log_note(ctx: typer.Context, text: str = ENTRY_TEXT,
             entry_type: str = typer.Option(None, "--type", metavar="TYPE",
                                            help="note, patrol, visitor, key, delivery or "
                                                 "notice (or 记事, 巡查, 来访, 钥匙, 快递, 通知)."),
             where: str = WHERE, at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record a duty log entry (值班记录), a note by default; prints the new id."""
    from dutyctl.words import entry_word

    record = _log_entry(ctx, entry_type, text, where, at, staff)
    word = entry_word(record.get("type"))
    if entry_type is not None and entry_type.strip() != word:
        # `记事 --类型 key` (the type's id on a Chinese screen): the type as it is listed
        echo(t("logged as {type}", type=word), err=True)


@log_app.command("patrol")
def log_patrol(ctx: typer.Context, text: str = ENTRY_TEXT, where: str = WHERE,
               at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record a patrol (巡查) and what it found; prints the new id."""
    _log_entry(ctx, "patrol", text, where, at, staff)


@log_app.command("visitor")
def log_visitor(ctx: typer.Context, text: str = ENTRY_TEXT, where: str = WHERE,
                at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record a visitor (来访): who, to see whom; prints the new id."""
    _log_entry(ctx, "visitor", text, where, at, staff)


@log_app.command("key")
def log_key(ctx: typer.Context, text: str = ENTRY_TEXT, where: str = WHERE,
            at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record a key handed out or returned (钥匙); prints the new id."""
    _log_entry(ctx, "key", text, where, at, staff)


@log_app.command("delivery")
def log_delivery(ctx: typer.Context, text: str = ENTRY_TEXT, where: str = WHERE,
                 at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record a delivery kept or handed over (快递); prints the new id."""
    _log_entry(ctx, "delivery", text, where, at, staff)


@log_app.command("notice")
def log_notice(ctx: typer.Context, text: str = ENTRY_TEXT, where: str = WHERE,
               at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record a notice posted or given (通知); prints the new id."""
    _log_entry(ctx, "notice", text, where, at, staff)


def _record_typed(session: Session, typed: str):
    """`show ID`; a room, number or word typed instead of an id (查看 3-2-501) is refused
    with the commands that find records by those."""
    from dutyctl.commandwords import said
    from dutyctl.errors import InputError
    from dutyctl.store import ids

    if ids.normalize(typed) is None and typed.strip():
        from dutyctl.callers import refuse_masked

        refuse_masked(typed)
        if _reads_as_room(session, typed):
            raise InputError(t("'{typed}' is not an id: a room's records: dutyctl {room} "
                               "{typed}; a caller's: dutyctl {caller} NUMBER; by their words: "
                               "dutyctl {search} {typed}", typed=typed.strip(),
                               room=said("room"), caller=said("caller"), search=said("search")))
        raise InputError(t("'{typed}' is not an id: by their words: dutyctl {search} {typed}; "
                           "a caller's records: dutyctl {caller} NUMBER", typed=typed.strip(),
                           caller=said("caller"), search=said("search")))
    return session.store.get(typed, read_around=True)  # a bad step file: said as skipped


def _reads_as_room(session: Session, typed: str) -> bool:
    """`typed` is written as a room, unit, building or place of one (3-2-501, 3号楼电梯), or
    the site's scheme names it (a place: 地下泵房); not a word such as 漏水."""
    from dutyctl.errors import DutyError
    from dutyctl.rooms import normalise, reads_as_address

    if reads_as_address(typed):
        return True
    try:
        scheme = session.config.rooms
    except DutyError:
        return False
    return scheme is not None and normalise(typed).casefold() in scheme.places


def show(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Id or any unambiguous prefix."),
    fmt: str = options.FORMAT,
    show_phone: bool = options.SHOW_PHONE,
    as_of: str = options.AS_OF,
) -> None:
    """Show one record and its whole history, its deadlines and its links."""
    from dutyctl import views
    from dutyctl.cli.listing import show_sections
    from dutyctl.desk.rostered import chained_left_open

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    record = _record_typed(session, record_id)
    moment = session.as_of(as_of)
    if as_of is not None:
        record = _as_it_stood(record, moment, session.config.tz)
    phones = session.show_phone(show_phone)
    document = views.record_document(record, phones)
    extra, sections = show_sections(session, record, moment, fmt != "table", phones)
    document.update(extra)
    chained = chained_left_open(session.workspace)  # 连班: as `who` and attendance judge it
    if fmt != "table":  # CSV: the record as one row with the columns of `list`
        from dutyctl.cli.listing import DeadlineFilter

        row = DeadlineFilter(session, moment, False, None).fill(
            views.record_row(record, session.config.tz, session.show_phone(show_phone), True,
                             session.names, moment, session.config, chained),
            record, True)
        document["status"] = row["status"]  # 未签退 as the table and `list` say it
        session.emit({**document, **{name: rows for name, (rows, _) in sections.items()}}, fmt,
                     views.LIST_DATA_COLUMNS, rows=[row])
        return
    from dutyctl.names import Names

    names = Names.of(session.workspace)
    words = {**(_callout_words(session, record, names) or {}),
             "status": views.status_shown(record, moment, session.config, chained)}
    echo("\n".join(views.document_lines(document, record, names, session.config.tz, words)))
    echo("")
    session.emit(views.history_rows(record, session.config.tz, names,
                                    session.show_phone(show_phone)), "table",
                 views.HISTORY_COLUMNS)
    for rows, columns in sections.values():
        echo("")
        session.emit(rows, "table", columns)


def _callout_words(session: Session, record, names) -> dict | None:
    """A call-out's shift and repair in words (None: not a call-out)."""
    from dutyctl.kinds.callout import KIND

    if record.kind != KIND:  # `show` of any other record needs no desk module
        return None
    from dutyctl import views
    from dutyctl.desk.callout import refers_to

    return views.callout_fields(record, names, refers_to(session.workspace, record))


def _as_it_stood(record, moment, tz):
    """`show --as-of`: the record without its later events; not filed yet then is an error."""
    from dutyctl.errors import NotFound
    from dutyctl.timeutil import local_time

    if record.created_at > moment:
        raise NotFound(t("{id} was filed at {filed}, after {moment}: it did not exist then",
                         id=record.short_id, filed=local_time(record.created_at, tz),
                         moment=local_time(moment, tz)))
    return record.as_of(moment)


def list_records(
    ctx: typer.Context,
    kind: str = typer.Option(None, "--kind", help="Only this kind: call, complaint, "
                                                  "repair, emergency, duty, handover, "
                                                  "readiness, readiness-problem, callout, "
                                                  "log-entry, resident (or its word: 投诉); "
                                                  "a duty log entry's type (巡查, 来访...) "
                                                  "lists those entries."),
    status: str = typer.Option(None, "--status", help="Only records in this status, or in "
                                                      "any of several (已办结,已完工). A word "
                                                      "lists the records the screens show so "
                                                      "(待处理: complaints; 处置中: "
                                                      "emergencies); an id (open) those of every "
                                                      "kind; 待回访 (awaiting-visit) the "
                                                      "complaints and repairs waiting for the "
                                                      "return visit. --open lists every record "
                                                      "not yet closed."),
    since: str = typer.Option(None, "--since", metavar="DATE", help="From this date (2026-11-01)."),
    until: str = typer.Option(None, "--until", metavar="DATE", help="Up to this date, included."),
    day: str = typer.Option(None, "--date", metavar="DATE",
                            help="Only this day (今天, 昨天, 11-30): --since and --until at once."),
    room: str = typer.Option(None, "--room", help="Only this room."),
    category: str = typer.Option(None, "--category", help="Only this category (id or name); "
                                                          "a duty log entry's type (巡查, "
                                                          "来访, 钥匙...) is its category."),
    open_only: bool = typer.Option(False, "--open", help="Only records not yet closed."),
    overdue: bool = typer.Option(False, "--overdue", help="Only records with a deadline missed "
                                                        "and still not met."),
    due_within: str = typer.Option(None, "--due-within", metavar="DURATION",
                                   help="Only records with a deadline within 30m, 2h or 1d "
                                        "(a day is one working day on a business-hours "
                                        "deadline)."),
    assigned: str = typer.Option(None, "--assigned", metavar="STAFF",
                                 help="Only records with this staff member now (the technician "
                                      "a repair was last dispatched to, the complaint's "
                                      "handler, else the filer)."),
    urgency: str = typer.Option(None, "--urgency",
                                help="Only complaints and repairs of this urgency class now, "
                                     "by id or name (急修, 紧急)."),
    limit: int = typer.Option(None, "--limit", metavar="COUNT",
                              help="Only the COUNT most recent records (0: all of them). A table "
                                   "shows the 50 most recent by default; json, yaml, csv, "
                                   "xlsx and --output keep every record."),
    every: bool = typer.Option(False, "--all", help="Every matching record, however many."),
    as_of: str = options.AS_OF,
    fmt: str = options.FORMAT,
    show_phone: bool = options.SHOW_PHONE,
    wide_table: bool = options.WIDE,
) -> None:
    """List records, oldest first: in a table the 50 most recent unless --all or --limit."""
    from dutyctl import queries, timeutil, views
    from dutyctl.names import Names
    from dutyctl.cli.listing import deadline_filter
    from dutyctl.desk.rostered import chained_left_open

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    tz, now = session.config.tz, session.now()
    if day is not None:  # the desk asks for one day: 今天的来电
        from dutyctl.errors import InputError

        if since is not None or until is not None:
            raise InputError(lambda name: t("{date} is one day: give it, or {since} and {until}, "
                                            "not both", date=name("day"), since=name("since"),
                                            until=name("until")))
        since = until = day
    first, last = timeutil.parse_span(since, until, tz, now)
    filters = views.list_filters(session.config, kind=kind, status=status, category=category,
                                 since=first, until=last)
    moment = session.as_of(as_of)
    due_filter, assigned = deadline_filter(session, moment, overdue, due_within, assigned)
    wanted = None if urgency is None else queries.urgency_wanted(session.config, urgency,
                                                                 filters.kind)
    newest = options.newest_shown(limit, every, fmt == "table" and session.output is None)
    chained = chained_left_open(session.workspace)  # 连班: as `who` and attendance judge it
    found, older_unread = views.find_listed(
        session.store, session.config, filters, since=first, until=last, room=room,
        assigned=assigned, open_only=open_only, wanted=wanted,
        as_of=moment if as_of else None, moment=moment, newest=newest,
        due=due_filter.apply if due_filter.active else None,
        chained=chained)
    session.report_skipped(found.problems)
    chosen = found.records
    wide = fmt != "table"
    # every format: a call-out's text names who came in (刘洋, never liuyang in a sheet);
    # the data formats keep ids in their own columns (record_row)
    names = Names.of(session.workspace)
    rows = [due_filter.fill(views.record_row(record, tz, session.show_phone(show_phone), wide,
                                             names, moment, session.config, chained),
                            record, wide)
            for record in chosen]
    # an overdue listing is read for how late each is: its deadlines whole, the time filed
    # left out first where they do not fit
    session.emit(rows, fmt, views.LIST_DATA_COLUMNS if wide else views.LIST_COLUMNS,
                 empty=t("no record matches"), wide=wide_table,
                 optional=(*(("time",) if due_filter.active else ()),
                           *views.list_optional(session.show_phone(show_phone))),
                 whole=("due",) if due_filter.active else ())
    if older_unread:  # the class now judged on the newest only: how many in all is unknown
        echo(t("Showing the {shown} newest; --all shows every one, --limit COUNT another "
               "number.", shown=len(chosen)), err=True)
    elif found.total is not None and found.total > len(chosen):
        echo(tn("Showing the {shown} newest of {total} record; --all shows every one, "
                "--limit COUNT another number.",
                "Showing the {shown} newest of {total} records; --all shows every one, "
                "--limit COUNT another number.", found.total, shown=len(chosen),
                total=f"{found.total:,}"), err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
    app.command("show")(show)
    app.command("list")(list_records)
