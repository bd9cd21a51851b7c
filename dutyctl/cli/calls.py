"""`log call`: the flow behind the command, without Typer.

dutyctl/cli/records.py declares the command for Typer; dutyctl/cli/quick.py runs the same
flow for a plain `log call` command line before Typer is even imported (the clerk types it
while the resident is on the line). Both call `log_call` below with the values parsed.
"""

from __future__ import annotations

from datetime import datetime

from dutyctl.cli.session import Session, echo
from dutyctl.messages import t
from dutyctl.names import Names


def log_call(session: Session, *, name: str | None, room: str | None, phone: str | None,
             category: str | None, summary: str | None, callback_by: str | None,
             file_ticket: bool, ticket_category: str | None, urgency: str | None,
             at: str | None, staff: str | None) -> None:
    """Record a resident's phone call; prints the new id (and the ticket's with file_ticket)."""
    from dutyctl import timeutil
    from dutyctl.kinds import call as calls

    config = session.config
    moment = session.happened(at)
    by = session.actor(staff, moment)
    if category is not None:  # refused before the register's line says who is calling
        from dutyctl.choices import category_of

        category_of(config, calls.KIND, category, calls.CALL.category)
    name, room = known_caller(session, phone, name, room)
    person, (text,) = session.resident_and(name, room, phone, t("caller's name"),
                                           (summary, "--summary", t("what they asked")),
                                           room_label=t("room, e.g. 3-2-501"))
    # "17:00" and "tomorrow 10:00" count from the call itself, so a back-dated call keeps its
    # day; a day alone ("tomorrow", "明天") is the end of business hours that day
    due = timeutil.parse_deadline(callback_by, config.tz, moment,
                                  config.business_end) if callback_by else None
    if file_ticket or ticket_category or urgency:
        return _file_from_call(session, person, category, text, due, callback_by,
                               ticket_category, urgency, moment, by, file_ticket)
    record = calls.log_call(session.store, config, resident=person, category=category,
                            summary=text, callback_by=due, at=moment, by=by,
                            callback_typed=callback_by)
    session.commit([record.path], lambda: t(
        "call {id} {room} {category}", id=record.short_id,
        room=session.names.room(person["room"]),
        category=session.names.category(record.kind, record.get("category"))))
    echo(record.id)
    promise_callback(due, config.tz, callback_by, moment)
    history = _hint_history(session, person["phone"], (record.id,))
    _no_ticket_hint(session, record, history)
    _emergency_hint(session, record, text)
    caller_summary(session, person, history, leave_out=(record.id,), before=moment)


def known_caller(session: Session, phone: str | None, name: str | None,
                 room: str | None) -> tuple[str | None, str | None]:
    """`log call --phone` (a ticket's --phone) of a known number: the name and room not typed
    taken from the residents register (`callers.known_caller`), what it told said on
    stderr."""
    if not phone or (name and room):
        return name, room
    from dutyctl import callers
    from dutyctl.residents import validate_resident

    # a number a digit short is said as such, not as the name and room it could not look up
    validate_resident({"name": "", "room": "", "phone": phone}, typed=("phone",))

    # a writing command never waits for the index: without a free one, the files are read;
    # one look at the register, its moved-out entries too (said when nobody else has it)
    every = helping(lambda: callers.register(session.store, phone=phone, build=False,
                                             include_moved=True)[0]) or []
    scheme = session.config.rooms
    places = set(scheme.places.values()) if scheme is not None else set()
    known = callers.known_caller(every, name, room, places=places)
    for line in known.said:
        echo(line, err=True)
    return known.name, known.room


def _file_from_call(session: Session, person: dict, category: str | None, summary: str,
                   callback_by: datetime | None, callback_typed: str | None,
                   ticket_category: str | None,
                   urgency: str | None, moment: datetime, by: str, file_ticket: bool) -> None:
    """`log call --file-ticket`: prints the call's id, then the ticket's."""
    from dutyctl.errors import InputError
    from dutyctl.tickets import lifecycle

    if not file_ticket:
        raise InputError(t("--ticket-category and --urgency go with --file-ticket"))
    call, ticket = lifecycle.file_ticket_from_call(
        session.store, session.config, resident=person, call_category=category,
        summary=summary, callback_by=callback_by, ticket_category=ticket_category,
        urgency=urgency, at=moment, by=by, callback_typed=callback_typed)
    from dutyctl.records import kind_word

    session.commit([call.path, call.events[-1].path, ticket.path], lambda: t(
        "call {id} with {kind} {ticket} {room}", id=call.short_id, kind=kind_word(ticket.kind),
        ticket=ticket.short_id, room=session.names.room(person["room"])))
    echo(call.id)
    echo(ticket.id)
    # the two ids on stdout stay bare for scripts (the call's first); the clerk reads which
    echo(t("call {call}, {kind} {ticket}", call=call.short_id, kind=kind_word(ticket.kind),
           ticket=ticket.short_id), err=True)
    from dutyctl.cli.announce import announce_repair

    announce_repair(session, ticket)
    said_urgency(session, ticket)
    said_default_category(session, ticket, ticket_category, "--ticket-category")
    said_deadlines_unknown(session, ticket)
    promise_callback(callback_by, session.config.tz, callback_typed, moment)
    leave_out = (call.id, ticket.id)
    caller_summary(session, person, _hint_history(session, person["phone"], leave_out),
                   leave_out=leave_out, before=moment)


def said_deadlines_unknown(session: Session, record) -> None:
    """Deadlines the desk cannot count for a ticket just filed (working days reaching a year
    the holiday calendar has no notice for, the rules not listing it; the rules unreadable)
    said as it is filed, not first in a listing days later: one line, why and what to do."""
    from dutyctl.tickets.deadlines import load_book

    load_book(session.workspace).of(record, record.created_at)


def said_urgency(session: Session, record) -> None:
    """A ticket whose urgency its words suggested (爆管 → 急修): said on stderr, as filed."""
    if record.get("urgency_keyword"):
        from dutyctl.commandwords import said, said_option

        urgency = session.names.urgency(record.kind, record.get("urgency"))
        step = f"{record.kind} reclassify"  # filed already: the step that changes it
        echo(t("urgency {urgency} suggested by '{word}' (to change it: dutyctl {command} {id} "
               "{option} CLASS {reason} ...)", urgency=urgency,
               word=record.get("urgency_keyword"), command=said(record.kind, "reclassify"),
               id=record.short_id, option=said_option("--urgency", step),
               reason=said_option("--reason", step)), err=True)


def said_default_category(session: Session, record, typed: str | None, option: str) -> None:
    """A ticket filed without a category takes the site's default (服务态度): said, as the
    urgency its words suggested is, so a complaint about 油烟 does not stand as 服务态度
    unseen (`option`: the one that gives it, `--category` or `--ticket-category`)."""
    if typed is not None or not record.get("category"):
        return
    from dutyctl.choices import category_named_in
    from dutyctl.commandwords import said_option

    category = session.names.category(record.kind, record.get("category"))
    if category_named_in(session.config, record.kind, record.get("content")) is not None:
        echo(t("category {category}: named in the content (a category is given with {option} "
               "when filing; this one stays as filed)", category=category,
               option=said_option(option)), err=True)
        return
    echo(t("category {category}: the default, as none was given (a category is given with "
           "{option} when filing; this one stays as filed)", category=category,
           option=said_option(option)), err=True)


RECENT_SAID = 3  # a caller's latest records said after a filing
#: records after a call filed late are passed over, so its history asks for this many more
LATER_PASSED_OVER = 20


def _hint_history(session: Session, phone: str, leave_out: tuple[str, ...]):
    """The caller's history the hints after a filing read (every open record and the newest),
    asked once for all of them: only from an index built and free, never waited for nor
    replaced by the files, never written (the files it lacks, this call's included, are
    read beside it); None without one."""
    from dutyctl import callers

    return helping(lambda: callers.caller_history(
        session.store, phone, RECENT_SAID + len(leave_out) + LATER_PASSED_OVER, build=False,
        files=False, write=False))


def caller_summary(session: Session, person: dict, history, *, leave_out: tuple[str, ...],
                   before: datetime) -> None:
    """After filing a call: who this number is and its latest records filed `before` it (a
    call filed late, `--at` last night, lists no later one as "earlier"), on stderr (stdout
    carries the new id); `history`: `_hint_history`'s. A registered resident who is the
    caller recorded (`person`: as typed, or as the register's line just said) is not named
    again."""
    from dutyctl.textwidth import shorten
    from dutyctl.schema import phone_digits
    from dutyctl.timeutil import local_time
    from dutyctl.views import record_text
    from dutyctl.records import kind_word
    from dutyctl.words import status_word

    if history is None:
        return
    records = [record for record in history.records if record.id not in leave_out
               and record.created_at <= before][:RECENT_SAID]
    known = [resident for resident in history.residents  # the same with the index refreshed
             if records or (resident.entry is not None and resident.entry.id not in leave_out)]
    if not known:
        return  # a first call: nobody knows this number yet
    phone = person["phone"]
    recorded = (person.get("name"), person.get("room"))
    for resident in known:
        if resident.person.get("name") == recorded[0]:
            continue  # the caller just recorded (at this room or another of theirs): said
        echo(t("known caller: {name}, {room}", name=Names.line(resident.person.get("name")),
               room=session.names.room_line(resident.person.get("room"))), err=True)
    whole = session.show_phone(False)
    for record in records:
        text = record_text(record)
        echo(t("  earlier: {time} {kind} {status} {text}",
               time=local_time(record.created_at, session.config.tz),
               kind=kind_word(record.kind), status=status_word(record.status, record.kind),
               text=shorten(session.names.text(text), 30)), err=True)
    # the command as it can be typed: a masked number is refused (refuse_masked)
    echo(t("  (dutyctl caller {phone} shows the whole history)", phone=phone_digits(phone))
         if whole else t("  (dutyctl caller with the whole number shows the whole history)"),
         err=True)


def helping(lookup):
    """A lookup that only helps the clerk never stops a filing: an unusable record index
    (a state folder that is a file, a locked disk) leaves it out."""
    import sqlite3

    from dutyctl.callers import NotQuick
    from dutyctl.errors import DutyError

    try:
        return lookup()
    except (NotQuick, DutyError, OSError, sqlite3.Error):
        return None


def _no_ticket_hint(session: Session, call, history) -> None:
    """A complaint or repair call logged without its ticket: say so, with the command; and
    when the caller has one of that kind open already (chasing it, most often), that one
    first: the hint alone had the clerk file the same complaint twice (`history`:
    `_hint_history`'s)."""
    from dutyctl.commandwords import said
    from dutyctl.kinds.call import ticket_kind_of_call
    from dutyctl.queries import is_open
    from dutyctl.records import kind_word
    from dutyctl.textwidth import shorten
    from dutyctl.views import record_text

    kind = ticket_kind_of_call(session.config, call.get("category"))
    if kind is None:
        return
    open_ones = [record for record in (history.records if history else ())
                 if record.kind == kind and is_open(record)
                 and record.created_at <= call.created_at]  # a call filed late: then open
    if open_ones:
        echo(t("no {kind} was filed for this call; the caller has {kind} {ticket} open "
               "({text}): if the call is about it, see that one first (dutyctl {show} "
               "{ticket}); if it is a new matter: dutyctl {command} --from-call {id}",
               kind=kind_word(kind), ticket=open_ones[0].short_id,
               text=shorten(session.names.text(record_text(open_ones[0])), 30),
               show=said("show"),
               command=said(kind, "file"), id=call.short_id), err=True)
        return
    echo(t("no {kind} was filed for this call: dutyctl {command} --from-call {id}",
           kind=kind_word(kind), command=said(kind, "file"), id=call.short_id), err=True)


def _emergency_hint(session: Session, call, summary: str) -> None:
    """A call whose words name an emergency type of dutyctl.yaml (3号楼整栋停电) while none of
    that type is open: on stderr, the command that opens its procedure from this call. One
    open in the caller's building (the tenth call about the burst main): the command that
    links the call to it, not a second emergency."""
    said_type = next((kind for kind in session.config.emergencies.values()
                      if kind.name and kind.name in summary), None)
    if said_type is None:
        return
    from dutyctl.commandwords import said, said_option
    from dutyctl.kinds.emergency import KIND as EMERGENCY
    from dutyctl.rooms import matches

    # a hint: from the index as built, never built nor waited for nor written while the
    # resident is on the line (without one, the recent days: an emergency open now)
    opened = helping(lambda: session.store.open_records((EMERGENCY,), build=False,
                                                          write=False).records)
    if opened is None:
        return
    room = (call.get("resident") or {}).get("room")
    nearby = [record for record in opened
              if (building := _building(record.get("where"))) and matches(room, building)]
    if nearby:
        emergency = nearby[-1]
        echo(t("emergency {id} ({type}, {where}) is in progress in the caller's building: if "
               "the call is about it, link them: dutyctl {command} {call} {id}",
               id=emergency.short_id, type=session.names.emergency(emergency.get("type")),
               where=session.names.room_line(emergency.get("where")),
               command=said("link"),
               call=call.short_id), err=True)
        return
    if any(record.get("type") == said_type.id for record in opened):
        return  # one is being handled: its steps are logged there
    echo(t("the call mentions {type}: if it is an emergency, open its procedure: dutyctl "
           "{command} {type_option} {type} {where} ... {from_call} {id}", type=said_type.name,
           command=said("emergency", "open"), type_option=said_option("--type"),
           where=said_option("--where"), from_call=said_option("--from-call"),
           id=call.short_id), err=True)


def _building(place: str | None) -> str | None:
    """The building an emergency's place is in (5号楼, 5号楼地下车库, 5-1: 5), else None (a
    place of the site no building holds: 地下泵房)."""
    from dutyctl.rooms import PLACE_BUILDING, normalise, of_a_building

    key = normalise(place) if place else ""
    if not key or not of_a_building(key):
        return None
    return key.split(PLACE_BUILDING)[0] if PLACE_BUILDING in key else key.split("-")[0]


def promise_callback(due, tz, typed: str | None = None, moment=None) -> None:
    """Say on stderr (stdout carries the id) when the promised callback is due, as understood;
    a night clerk's 明早 (the calendar's tomorrow) says how to write the morning after this
    night (timeutil.small_hours_note), 周五前 on a Friday evening that it is next Friday's
    (timeutil.deadline_note)."""
    if due is not None:
        from dutyctl.timeutil import deadline_note, local_time

        echo(t("callback due {due}", due=local_time(due, tz)), err=True)
        note = deadline_note(typed, tz, moment, due)
        if note:
            echo(note, err=True)
