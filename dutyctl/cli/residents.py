"""resident add/edit/move-out/list, caller PHONE, room ROOM: parse, call dutyctl.callers,
format. Phones are masked on every screen unless --show-phone."""

from __future__ import annotations

import typer

from dutyctl.cli import options
from dutyctl.cli.session import Session, echo
from dutyctl.messages import N_, gettext, t, tn, tp

resident_app = typer.Typer(help="The residents register (住户登记): who lives where, with "
                                "their phone numbers.", no_args_is_help=True)


def _not_negative(value: int) -> int:
    """--recent N: 0 or more (Click's own range check would say `x>=0` in English)."""
    if value is not None and value < 0:
        raise typer.BadParameter(t("{value} is below 0", value=value))
    return value


RECENT = typer.Option(10, "--recent", metavar="COUNT", callback=_not_negative,
                      help="How many of the newest records to show besides every open one.")
ENTRY_ID = typer.Argument(..., metavar="ID", help="The register entry's id, or a call's or "
                                                  "ticket's (as `resident list` shows it); "
                                                  "or the resident's name, room or phone "
                                                  "number when it names one resident.")
NOTE = typer.Option(None, "--note", help="A remark (owner, tenant, how to reach them).")
HOME = typer.Option(None, "--room", help="The room they live in, like 3-2-501 "
                                         "(building-unit-room); never a place of the site.")

RESIDENT_COLUMNS = [("id", N_("id")), ("source", N_("known from")), ("room", N_("room")),
                    ("name", N_("name")), ("phone", N_("phone")), ("status", N_("status")),
                    ("seen", N_("last seen")), ("note", N_("note"))]
HISTORY_COLUMNS = [("id", N_("id")), ("time", N_("time")), ("kind", N_("kind")),
                   ("status", N_("status")), ("room", N_("room")), ("name", N_("name")),
                   ("phone", N_("phone")), ("category", N_("category")), ("text", N_("text")),
                   ("due", N_("due"))]


# -- the register -----------------------------------------------------------------------------

@resident_app.command("add")
def resident_add(ctx: typer.Context, name: str = options.NAME, room: str = HOME,
                 phone: str = options.PHONE, note: str = NOTE, at: str = options.AT,
                 staff: str = options.STAFF) -> None:
    """Register a resident by hand; prints the new entry's id."""
    from dutyctl import callers

    session: Session = ctx.obj
    moment = session.happened(at)
    by = session.actor(staff, moment)
    person = session.resident(name, room, phone, t("resident's name"), t("room, e.g. 3-2-501"),
                              home=True)
    entry = callers.add(session.store, person, note=note, at=moment, by=by)
    session.commit([entry.path], lambda: t("resident {id} {room}", id=entry.short_id,
                                           room=session.names.room(person["room"])))
    echo(entry.id)
    _say_form_of_address(person["name"], entry.short_id)


def _say_form_of_address(name: str, entry_id: str) -> None:
    """A resident registered as 王师傅 (a form of address, as the staff lookup reads it):
    kept as typed, with the line that puts their name in once it is known."""
    from dutyctl.choices import form_of_address
    from dutyctl.commandwords import said, said_option

    if form_of_address(name):
        typed = "".join(name.split())
        # the examples are others: "王师傅 is a form of address as 王师傅 is" says nothing
        examples = [example for example in ADDRESS_EXAMPLES if example != typed][:3]
        echo(t("'{name}' is a form of address (as {examples} are), not a name: registered as "
               "typed; once the name is known: dutyctl {edit} {id} {option} NAME", name=name,
               examples=t(", ").join(examples), edit=said("resident", "edit"), id=entry_id,
               option=said_option("--name", "resident edit")), err=True)


ADDRESS_EXAMPLES = ("王师傅", "李工", "小王", "老张")  # forms of address, three of them said


@resident_app.command("edit")
def resident_edit(ctx: typer.Context, entry_id: str = ENTRY_ID,
                  name: str = typer.Option(None, "--name", help="The corrected name."),
                  room: str = typer.Option(None, "--room", help="The corrected room."),
                  phone: str = typer.Option(None, "--phone", help="The new phone number."),
                  note: str = typer.Option(None, "--note", help="Why (optional)."),
                  at: str = options.AT, staff: str = options.STAFF) -> None:
    """Correct a register entry's name, room or phone (the history keeps the old values)."""
    from dutyctl import callers
    from dutyctl.residents import validate_resident

    session: Session = ctx.obj
    record, moment, by = _step_on(session, entry_id, at, staff)
    current = callers.resident_named(record)  # before checking the new values against it
    typed = {"name": name, "room": room, "phone": phone}
    checked = validate_resident({key: value if value is not None else current.get(key, "")
                                 for key, value in typed.items()}, session.config.rooms,
                                tuple(key for key, value in typed.items() if value is not None),
                                home=True)
    changes = {key: checked[key] for key, value in typed.items() if value is not None}
    entry, written = callers.edit(session.store, record, changes, note=note, at=moment, by=by)
    session.recorded(entry, written=written)
    if "name" in changes:
        _say_form_of_address(changes["name"], entry.short_id)


@resident_app.command("move-out")
def resident_move_out(ctx: typer.Context, entry_id: str = ENTRY_ID,
                      note: str = typer.Option(None, "--note", help="Why (optional)."),
                      at: str = options.AT, staff: str = options.STAFF) -> None:
    """End a register entry (moved out, sold, a wrong number): it stays in the history."""
    from dutyctl import callers

    session: Session = ctx.obj
    record, moment, by = _step_on(session, entry_id, at, staff)
    entry, written = callers.move_out(session.store, record, note=note, at=moment, by=by)
    session.recorded(entry, written=written)


@resident_app.command("erase-phone")
def resident_erase_phone(ctx: typer.Context, entry_id: str = ENTRY_ID,
                         reason: str = typer.Option(None, "--reason", metavar="REASON",
                                                    help="Why (\"本人要求删除\")."),
                         at: str = options.AT, staff: str = options.STAFF) -> None:
    """Erase a resident's phone number from every record (a tenant who moved out asks for
    it): masked as screens show it (136****2222) in each record and step that holds it, its
    text too, and committed; git's history keeps the earlier versions."""
    from dutyctl.erasure import erase_phone

    session: Session = ctx.obj
    record, moment, by = _step_on(session, entry_id, at, staff, moved=True)
    (reason,) = session.need_all((reason, "--reason", t("why the number is erased")))
    entry, written, shown = erase_phone(session.store, record, reason=reason, at=moment, by=by)
    files = entry.events[-1].data.get("files", 0)
    committed = session.commit(written, lambda: t(
        "resident {id}: phone number erased ({count} files)", id=entry.short_id, count=files))
    session.store.refresh_index()  # the index's copies of those files, rewritten too
    if not committed:  # by hand (auto_commit off), or git refused (said): HEAD holds it
        echo(tn("{number} erased from {count} file, not committed: commit it (git add "
                "records && git commit), then the earlier version stays in git's history "
                "only.", "{number} erased from {count} files, not committed: commit them (git "
                "add records && git commit), then the earlier versions stay in git's history "
                "only.", files, number=shown))
        return
    echo(tn("{number} erased from {count} file (committed). Git's history still holds the "
            "earlier version: to remove it there too, the repository's keeper rewrites the "
            "history (git filter-repo) and every desk clones it again.",
            "{number} erased from {count} files (committed). Git's history still holds the "
            "earlier versions: to remove them there too, the repository's keeper rewrites the "
            "history (git filter-repo) and every desk clones it again.", files, number=shown))


def _step_on(session: Session, typed: str, at: str | None, staff: str | None,
             moved: bool = False):
    """Session.step_on for a resident: ID may also be their name, room or phone (`moved`:
    of one moved out too)."""
    from dutyctl import callers

    record = callers.resident_record(session.store, typed, moved)
    moment = session.happened(at)
    return record, moment, session.actor(staff, moment)


@resident_app.command("list")
def resident_list(ctx: typer.Context,
                  room: str = typer.Option(None, "--room", help="Only this room, unit (3-2) "
                                                                "or building (3)."),
                  phone: str = typer.Option(None, "--phone", help="Only this phone number."),
                  moved_out: bool = typer.Option(False, "--moved-out",
                                                 help="Also the residents who moved out."),
                  limit: int = typer.Option(None, "--limit", metavar="HEADCOUNT",
                                            help="Only the HEADCOUNT residents most recently "
                                                 "seen (0: all of them). A table shows the 50 "
                                                 "most recently seen by default; json, yaml, "
                                                 "csv, xlsx and --output keep everyone."),
                  every: bool = typer.Option(False, "--all",
                                             help="Every resident, however many."),
                  fmt: str = options.FORMAT, show_phone: bool = options.SHOW_PHONE,
                  wide: bool = options.WIDE) -> None:
    """List the residents register by room; a table shows the 50 most recently seen."""
    from dutyctl import callers
    from dutyctl.names import Names

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    if room and session.config.rooms is not None:
        room = session.config.rooms.resolve_area(room)
    newest = options.newest_shown(limit, every, fmt == "table" and session.output is None)
    found = callers.register(session.store, room=room, phone=phone, include_moved=moved_out,
                             newest=newest)
    session.report_skipped(found.problems)
    names = None if fmt != "table" else Names.of(session.workspace)
    session.emit([_resident_row(session, resident, show_phone, names)
                  for resident in found.residents], fmt, RESIDENT_COLUMNS,
                 empty=t("no resident registered"), wide=wide)
    if fmt == "table":
        _say_clashes(session, found.residents, show_phone)
    if found.total > len(found.residents):
        echo(tn("Showing the {shown} most recently seen of {total} resident; --all shows "
                "every one, --limit HEADCOUNT another number.",
                "Showing the {shown} most recently seen of {total} residents; --all shows "
                "every one, --limit HEADCOUNT another number.", found.total,
                shown=len(found.residents), total=f"{found.total:,}"), err=True)


def _resident_row(session: Session, resident, show_phone: bool, names) -> dict:
    """A resident: the id to edit (their entry, else the newest record naming them).
    `names`: a screen's (None: data formats, which keep keys and ids)."""
    from dutyctl.residents import shown_phone
    from dutyctl.schema import phone_digits
    from dutyctl.timeutil import local_time
    from dutyctl.records import kind_word
    from dutyctl.words import status_word

    data = names is None
    source = resident.source
    phone = resident.person.get("phone") or ""
    # one number however typed, but an erased one as it was masked (138****5678), never the
    # digits the mask left (1385678)
    person = {**resident.person, "phone": phone if "*" in phone else phone_digits(phone)}
    return {"id": source.id if data else source.short_id,
            "source": source.kind if data else kind_word(source.kind),
            "room": resident.person.get("room") if data else names.room(
                resident.person.get("room")),
            "name": resident.person.get("name"),
            "phone": shown_phone(person, session.show_phone(show_phone)),
            "status": resident.status if data else status_word(resident.status),
            "seen": resident.seen if data else local_time(resident.seen, session.config.tz),
            "note": source.get("note") if resident.entry is not None else None,
            **({"conflict": _clashes(session, resident, show_phone)}
               if data and resident.clashes else {})}


def _clashes(session: Session, resident, show_phone: bool) -> list[str]:
    from dutyctl.callers import edit_clash_note
    from dutyctl.names import Names

    names = Names.of(session.workspace)
    return [edit_clash_note(clash, resident, session.config.tz, names,
                            session.show_phone(show_phone)) for clash in resident.clashes]


def _say_clashes(session: Session, residents, show_phone: bool) -> None:
    """Under a table: each resident two desks corrected differently (on stderr, as every
    table's remarks), so the clerk knows the other desk's value."""
    for resident in residents:
        for text in _clashes(session, resident, show_phone):
            echo(t("conflict: {text}", text=text), err=True)


# -- histories --------------------------------------------------------------------------------

def caller(ctx: typer.Context,
           phone: str = typer.Argument(..., metavar="PHONE",
                                       help="The number calling, as shown by the phone "
                                            "(138-1234-5678 and +86 13812345678 are the same)."),
           recent: int = RECENT, fmt: str = options.FORMAT,
           show_phone: bool = options.SHOW_PHONE, wide: bool = options.WIDE) -> None:
    """Who is calling: the resident, their room, open records and recent history."""
    from dutyctl import callers
    from dutyctl.names import Names

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    history = callers.caller_history(session.store, phone, recent)
    former = [_shown(session, number, show_phone) for number in history.former_phones]
    asked = _shown(session, phone, show_phone)
    # an old number the register corrected: whose it was and what it became, not only "not
    # in the register" (the clerk would file the caller as someone new)
    names = Names.of(session.workspace)
    became = [{"id": resident.source.id, "name": resident.person.get("name"),
               "room": resident.person.get("room"),
               "phone": _shown(session, resident.person.get("phone") or "", show_phone)}
              for resident in history.renumbered]
    gone = [t("{phone} is no longer in the residents register: {name} at {room} moved out "
              "{day}", phone=asked, name=names.line(resident.person.get("name") or "-"),
              room=names.room_line(resident.person.get("room")) or "-", day=day)
            if (day := _moved_out_day(resident, session.config.tz)) else
            t("{phone} is no longer in the residents register: {name} at {room} moved out",
              phone=asked, name=names.line(resident.person.get("name") or "-"),
              room=names.room_line(resident.person.get("room")) or "-")
            for resident in history.moved_out]
    no_resident = "\n".join([*(t(
        "{phone} is no longer in the residents register: it was the number of {name} at "
        "{room}, corrected to {new}", phone=asked, name=names.line(person["name"] or "-"),
        room=names.room_line(person["room"]) or "-", new=person["phone"])
        for person in became),
        *gone]) or t("{phone} is not in the residents register", phone=asked)
    left = [{"id": resident.source.id, "name": resident.person.get("name"),
             "room": resident.person.get("room")} for resident in history.moved_out]
    _history(session, history, {"phone": asked, "former_phones": former,
                                **({"corrected_to": became} if became else {}),
                                **({"moved_out": left} if left else {})},
             no_resident, t("no call or other record about this phone yet"), fmt, show_phone,
             wide)
    if former and fmt == "table":  # the older records show the number they were filed with
        echo(t("records before the register's correction carry the former number {numbers}",
               numbers=t(", ").join(former)), err=True)


def room(ctx: typer.Context,
         place: str = typer.Argument(..., metavar="ROOM",
                                     help="A room in any spelling (3栋2单元501室), a unit "
                                          "(3-2), a building (3) or a place (3号楼电梯)."),
         recent: int = RECENT, fmt: str = options.FORMAT,
         show_phone: bool = options.SHOW_PHONE, wide: bool = options.WIDE) -> None:
    """A room's history: who lives there, every open record and the latest ones."""
    from dutyctl import callers
    from dutyctl.names import Names
    from dutyctl.rooms import normalise

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    scheme = session.config.rooms
    wanted = scheme.resolve_area(place) if scheme is not None else normalise(place)
    # a unit as `房号` reads it where no scheme says (5号楼2单元, 5-2): 5号楼2单元, A座2单元
    # (A座301 is A-301), in the heading and the table alike
    names = Names.of(session.workspace, area=wanted)
    spoken = names.room(wanted)  # 3号楼 for the building 3
    on_screen = fmt == "table" and session.output is None
    history = callers.room_history(session.store, wanted, recent,
                                   options.newest_shown(None, False, on_screen))
    _history(session, history, {"room": wanted},
             t("nobody registered at {room}", room=spoken),
             t("no call or other record about {room} yet", room=spoken), fmt, show_phone, wide, names)
    # a room or place of few records; a building's or unit's number (5, 5-1) is in every
    # one of its rooms' words (查找 5 found 3-2-501 too)
    if on_screen and not _building_or_unit(scheme, wanted) \
            and history.record_total <= len(history.records):
        # the register's entries shown above name the room in their field, not their words
        _say_mentions(session, wanted, {record.id for record in history.records}
                      | {resident.source.id for resident in history.residents})
    if history.resident_total > len(history.residents):
        echo(tn("Showing the {shown} most recently seen of {total} resident; 'dutyctl "
                "resident list --room {room} --all' shows every one.",
                "Showing the {shown} most recently seen of {total} residents; 'dutyctl "
                "resident list --room {room} --all' shows every one.",
                history.resident_total, shown=len(history.residents),
                total=f"{history.resident_total:,}", room=wanted), err=True)


def _moved_out_day(resident, tz) -> str | None:
    """When the register says the resident moved out (the entry's move-out step)."""
    from dutyctl.kinds.resident import MOVE_OUT
    from dutyctl.output import date_label
    from dutyctl.records import last_event

    entry = resident.entry
    step = last_event(entry, MOVE_OUT) if entry is not None else None
    return date_label(step.at.astimezone(tz).date()) if step else None


def _building_or_unit(scheme, key: str) -> bool:
    """`房号`'s key is a whole building (5) or unit (5-2, as `房号 3-2` reads it; 1 or 2
    digits where no scheme says: a building's room without units has 3 or more, A-301), not
    a room or a place (地下泵房, 5号楼电梯, whose words are worth counting)."""
    if scheme is not None and scheme.area(key) is not None:
        return True
    building, _, unit = key.partition("-")
    if not (building.isascii() and building.isalnum()):
        return False
    return not unit or unit.isdigit() and len(unit) <= 2 and (
        scheme is None or building not in scheme.buildings)


def _say_mentions(session: Session, room: str, shown: set[str]) -> None:
    """Records that name the room in their words only (楼下2-1-401晚上装修, filed at 2-1-501:
    the noisy flat's own history said it had none): how many, and the search that lists
    them."""
    from dutyctl.commandwords import said
    from dutyctl.tickets.search import find

    hits, _, more = find(session.store, room, session.config, newest=MENTIONS_LOOKED_AT)
    others = [hit for hit in hits if hit.record.id not in shown]
    if others:
        echo(tn("{count}{more} other record names {room} in its words: dutyctl {search} {room}",
                "{count}{more} other records name {room} in their words: dutyctl {search} "
                "{room}", len(others), more="+" if more else "", room=room,
                search=said("search")), err=True)


MENTIONS_LOOKED_AT = 20  # the records naming a room in their words `room` counts at most


def _shown(session: Session, phone: str, show_phone: bool) -> str:
    from dutyctl.schema import mask_phone

    return phone if session.show_phone(show_phone) else mask_phone(phone)


def _history(session: Session, history, head: dict, no_resident: str, no_record: str,
             fmt: str, show_phone: bool, wide: bool, names=None) -> None:
    """The register entries, then the records (newest first) with their next deadline.
    `names`: the caller's, if it has them already."""
    from dutyctl import views
    from dutyctl.cli.listing import DeadlineFilter
    from dutyctl.names import Names

    session.report_skipped(history.problems)
    data = fmt != "table"
    due = DeadlineFilter(session, session.now(), False, None)
    names = None if data else names or Names.of(session.workspace)
    people = [_resident_row(session, entry, show_phone, names) for entry in history.residents]
    texts = names or Names.of(session.workspace)  # a call-out's text names who came in
    records = [due.fill(views.record_row(record, session.config.tz,
                                         session.show_phone(show_phone), data, texts),
                        record, data) for record in history.records]
    if fmt == "xlsx":  # the records, and a sheet of the residents the screen shows first
        shown = [_resident_row(session, entry, show_phone, texts)
                 for entry in history.residents]
        session.emit_workbook({**head, "residents": people, "records": records},
                              views.LIST_DATA_COLUMNS, records,
                              more=[(tp("sheet", "residents"), shown,
                                     [(key, gettext(label)) for key, label in RESIDENT_COLUMNS])])
        return
    if data:  # one document; its CSV lists the records, one per row
        session.emit({**head, "residents": people, "records": records}, fmt,
                     views.LIST_DATA_COLUMNS, rows=records)  # titled as `list`'s
        return
    if people:
        session.emit(people, fmt, RESIDENT_COLUMNS, wide=wide)
        _say_clashes(session, history.residents, show_phone)
    else:
        echo(no_resident, err=True)
    if records:
        echo("")
        # a narrow terminal leaves out the phone (the one asked about, or masked: nobody
        # can call it), then the category, before a deadline is cut to 回电 12…
        session.emit(records, fmt, HISTORY_COLUMNS, wide=wide,
                     optional=("category",) if "room" in head and session.show_phone(
                         show_phone) else ("phone", "category"))
    else:
        echo(no_record, err=True)
    if history.record_total > len(records):  # "I called three times": never cut unsaid
        echo(tn("{count} older record not shown: --recent {more} shows it",
                "{count} older records not shown: --recent {more} shows them",
                history.record_total - len(records), more=history.record_total), err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(resident_app, name="resident")
    app.command("caller")(caller)
    app.command("room")(room)
