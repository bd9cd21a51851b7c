"""complaint, repair, callback, emergency and search: parse, call dutyctl.tickets, format."""

from __future__ import annotations

import typer

from dutyctl.cli import options
from dutyctl.cli.announce import announce_repair
from dutyctl.cli.calls import said_deadlines_unknown, said_default_category, said_urgency
from dutyctl.cli.session import Session, echo
from dutyctl.commandwords import said
from dutyctl.kinds.complaint import (CLOSE, HANDLE, HOLD, KIND as COMPLAINT, RECLASSIFY,
                                     REOPEN, RESOLVE, RESUME, VISIT)
from dutyctl.kinds.repair import KIND as REPAIR
from dutyctl.messages import N_, t, tn

complaint_app = typer.Typer(help="Complaints (投诉): file, handle, hold/resume, transfer, "
                                 "resolve, visit.",
                            no_args_is_help=True)
repair_app = typer.Typer(help="Repairs (报修): file, dispatch, eta, hold/resume, done, visit.",
                         no_args_is_help=True)
callback_app = typer.Typer(help="Callbacks promised on calls: list, record attempts, mark "
                                "done.",
                           no_args_is_help=True)
emergency_app = typer.Typer(help="Emergencies: open with the procedure, log steps, close.",
                            no_args_is_help=True)

#: the commands of this module that are no ticket kind's
OWN_COMMANDS = ("callback", "emergency", "search", "settle", "restore", "link")

RECORD_ID = typer.Argument(..., metavar="ID", help="Id or any unambiguous prefix.")
#: a step's record: also typed as the desk knows an open one (dutyctl.tickets.find)
TICKET_REF = typer.Argument(..., metavar="ID", help="Id or any unambiguous prefix; for an open "
                                                    "record also its room or place, the "
                                                    "resident's whole phone number or name, or "
                                                    "an emergency's type (停水).")
REOPEN_REF = typer.Argument(..., metavar="ID", help="Id or any unambiguous prefix; also the "
                                                    "room or place, or the resident's whole "
                                                    "phone number, of the one finished there "
                                                    "and not yet visited, else the latest "
                                                    "closed one.")
CONTENT = typer.Option(None, "--content", help="What is wrong, in the resident's words.")
URGENCY = typer.Option(None, "--urgency", help="Urgency class from dutyctl.yaml, by id or "
                                               "name (emergency or 急修; default: suggested "
                                               "by keywords, else the site's default).")
HOLD_REASON = typer.Option(..., "--reason", help="Waiting for parts, for the resident, for "
                                                 "another party...")
RESUME_NOTE = typer.Option(None, "--note", help="Why work can go on.")
VISIT_NOTE = typer.Option(None, "--note", help="What the resident said.")
NO_ANSWER = typer.Option(False, "--no-answer",
                         help="The resident was called and did not answer: the attempt is "
                              "recorded, the visit still waits (no --satisfaction then).")
FROM_CALL = typer.Option(None, "--from-call", metavar="CALL",
                         help="File it for this logged call: the resident comes from the call, "
                              "the content defaults to its summary, and both are linked.")
SATISFACTION = typer.Option(None, "--satisfaction", metavar="1-5",
                            help="The resident's satisfaction, 1 (worst) to 5 (best); also "
                                 "5分, 五, 非常满意 (5), 满意 (4), 一般 (3), 不满意 (2), "
                                 "非常不满意 (1). [required but with --no-answer; asked for at a "
                                 "terminal]")


# -- helpers shared by the commands -----------------------------------------------------------

def _from_call(session: Session, typed: str, name, room, phone, kind: str, moment):
    """The call named by --from-call (its id, or the room or phone of the call just taken);
    the resident comes from it, never typed again (a repair's --room is where the fault is)."""
    from dutyctl.errors import InputError
    from dutyctl.tickets.find import call_named, described

    if name or phone or (room and kind != REPAIR):
        raise InputError(t("--from-call takes the name, room and phone from the call: leave "
                           "out --name, --room and --phone") if kind != REPAIR else
                         t("--from-call takes the name and phone from the call: leave out "
                           "--name and --phone (--room is where the fault is, when it is not "
                           "the caller's room)"))
    from dutyctl.store import ids

    call = call_named(session.store, typed, kind, moment)
    prefix = ids.normalize(typed)
    if prefix is None or not call.id.startswith(prefix):  # by its room or phone: say which
        echo(t("from call {call}", call=described(session.store, call)), err=True)
    return call


#: a ticket filed this long after the call it comes from is told its limits run from the filing
FILED_LATE_MINUTES = 15


def _filed_late(session: Session, call, kind: str, moment) -> None:
    """A complaint or repair filed well after its call (the 03:00 burst pipe filed at 05:00):
    its limits run from the filing, and a 急修 reached at 05:20 meets its 30 minutes; said,
    with how to count them from the call."""
    from dutyctl.records import ticket_kinds

    late = moment - call.created_at
    if kind not in ticket_kinds() or late.total_seconds() <= FILED_LATE_MINUTES * 60:
        return
    from dutyctl.commandwords import said_option
    from dutyctl.records import kind_word
    from dutyctl.tickets.deadlines import span
    from dutyctl.timeutil import local_time

    tz = session.config.tz
    echo(t("this {kind} is filed {late} after its call ({called}): its time limits run from "
           "{filed}; to count them from the call, file it with {at} \"{called}\"",
           kind=kind_word(kind), late=span(late), called=local_time(call.created_at, tz),
           filed=local_time(moment, tz), at=said_option("--at")), err=True)


def _file(ctx: typer.Context, kind: str, name, room, phone, category, content, urgency, at,
          staff, from_call: str | None = None) -> None:
    from dutyctl.records import kind_word
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    moment = session.happened(at)
    by = session.actor(staff, moment)
    if from_call:
        call = _from_call(session, from_call, name, room, phone, kind, moment)
        where = _fault_place(session, call, room)
        category = _asked_category(session, kind, category)
        call, record = lifecycle.file_ticket_for_call(
            session.store, session.config, kind, call, category=category, content=content,
            urgency=urgency, at=moment, by=by, person=session.names.short_person, where=where)
        session.commit([record.path, call.events[-1].path], lambda: t(
            "{kind} {id} from call {call}", kind=kind_word(kind), id=record.short_id,
            call=call.short_id))
        announce_repair(session, record)
        said_urgency(session, record)
        said_default_category(session, record, category, "--category")
        _filed_late(session, call, kind, moment)  # once filed: a refusal says only why
        _say_open_at_the_place(session, record)
        said_deadlines_unknown(session, record)
        echo(record.id)
        return
    from dutyctl.cli.calls import known_caller

    if category is not None:  # refused before the register's line says who is calling
        from dutyctl.choices import category_of
        from dutyctl.records import kinds

        category_of(session.config, kind, category, kinds()[kind].category)
    found_on_a_round = kind == REPAIR and _a_place_alone(name, room, phone)
    if found_on_a_round:  # nobody reported it: the place, and no resident made up for it
        from dutyctl.rooms import canonical

        # checked as a reporter's room is: the site's scheme refuses a typo with its guess
        person, where = None, canonical(session.config.rooms, room.strip())
        text = session.need(content, "--content", t("what is wrong"))
    else:
        # a known number brings its name and room from the register, as for `log call`
        name, room = known_caller(session, phone, name, room)
        asked = t("complainant's name") if kind == COMPLAINT else t("reporter's name")
        person, (text,) = session.resident_and(name, room, phone, asked,
                                               (content, "--content", t("what is wrong")))
        where = None
    category = _asked_category(session, kind, category)  # the fault known: what kind it is
    record = lifecycle.file_ticket(session.store, session.config, kind, resident=person,
                                   category=category, content=text, urgency=urgency,
                                   at=moment, by=by, where=where)
    session.commit([record.path], lambda: t(
        "{kind} {id} {room} {category}", kind=kind_word(kind), id=record.short_id,
        room=session.names.room(where or person["room"]),
        category=session.names.category(kind, record.get("category"))))
    announce_repair(session, record)
    said_urgency(session, record)
    said_default_category(session, record, category, "--category")
    _say_open_at_the_place(session, record)
    said_deadlines_unknown(session, record)
    echo(record.id)


def _asked_category(session: Session, kind: str, typed: str | None) -> str | None:
    """At a terminal, the category asked when none was typed, its choices named and Enter the
    site's default (a complaint filed in a hurry stood as 服务态度 unseen); else as typed."""
    from dutyctl.cli.session import ask, interactive

    catalogue = session.config.categories.get(kind)
    if typed is not None or catalogue is None or not catalogue.names or not interactive():
        return typed
    from dutyctl.choices import category_of
    from dutyctl.records import kinds

    choices = t(", ").join(session.names.text(name) for name in catalogue.names.values())
    asked = t("category ({choices})", choices=choices)
    default = catalogue.name(catalogue.default) if catalogue.default else None
    unknown = kinds()[kind].category
    return ask(asked, lambda answer: category_of(session.config, kind, answer, unknown),
               **({"default": default} if default else {}))


def _say_open_at_the_place(session: Session, record) -> None:
    """A complaint or repair filed where one of its kind is open already (the same window
    filed twice, by one clerk or two): said, with the command that closes the new one as its
    duplicate; `check` only said it of two desks' twins, and one clerk's twice never."""
    from dutyctl.cli.calls import helping
    from dutyctl.residents import place_of
    from dutyctl.tickets.find import open_at_place

    place = place_of(record)
    if not place:
        return
    found = helping(lambda: open_at_place(session.store, (record.kind,), place))
    earlier = [other for other in found or ()
               if other.id != record.id and other.created_at <= record.created_at]
    if not earlier:
        return
    from dutyctl.commandwords import said, said_option
    from dutyctl.kinds.complaint import DUPLICATE
    from dutyctl.records import kind_word
    from dutyctl.textwidth import shorten
    from dutyctl.timeutil import local_time
    from dutyctl.views import record_text
    from dutyctl.words import closed_as_word

    other = earlier[0]
    echo(t("{place} has {kind} {other} open already ({text}, filed {at}): if this is the "
           "same, close this one as its duplicate: dutyctl {command} {id} {as_} {duplicate} "
           "{of} {other} {reason} ...", place=session.names.room_line(place),
           kind=kind_word(record.kind), other=other.short_id,
           text=shorten(session.names.text(record_text(other)), 30),
           at=local_time(other.created_at, session.config.tz),
           command=said(record.kind, "close"), id=record.short_id,
           as_=said_option("--as"), duplicate=closed_as_word(DUPLICATE),
           of=said_option("--of"), reason=said_option("--reason")), err=True)


def _fault_place(session: Session, call, room: str | None) -> str | None:
    """A repair's place typed with --from-call (the pump room a resident called about); None
    when it is the caller's room or not typed."""
    if not room:
        return None
    from dutyctl.rooms import canonical

    where = canonical(session.config.rooms, room.strip())  # the scheme's check, as for any room
    return None if where == (call.get("resident") or {}).get("room") else where


def _a_place_alone(name: str | None, room: str | None, phone: str | None) -> bool:
    """A repair typed with a place of the site (3号楼电梯, 地下泵房) and no reporter: a fault
    found on a round, filed without making a resident up (who would then be listed as living
    at the lift); the site's scheme, when it has one, judges the place then (a typo is
    refused with its guess). A room however mistyped (3-2-5O1) is a room: its reporter is
    asked."""
    from dutyctl.rooms import reads_as_room

    if not (room and room.strip()) or name or phone:
        return False
    return not reads_as_room(room)


def _need_satisfaction(session: Session, value: str | None) -> int:
    """--satisfaction as typed (5, 5分, 五, 满意...), else asked at a terminal."""
    from dutyctl.tickets.lifecycle import satisfaction_typed

    if value is None:
        value = session.need(None, "--satisfaction", t("satisfaction 1-5"))
    return satisfaction_typed(value)


def _call_kind() -> str:
    """The kind `callback` commands step (a call's), its module imported only when one runs."""
    from dutyctl.kinds.call import KIND

    return KIND


def _emergency_kind() -> str:
    from dutyctl.kinds.emergency import KIND

    return KIND


def _group_kind(ctx: typer.Context) -> str:
    """The kind of a command every ticket kind's group shares (`close`, `reopen`, the steps of
    a kind declared by its module alone): the group's name as `register` gave it, the kind's
    `KIND` from the registry, never the word it was typed as (`投诉 重开`)."""
    return ctx.parent.command.name


def _step(ctx: typer.Context, step, record_id: str, *details, kind: str, at, staff) -> None:
    """One step of `tickets.lifecycle` on the record typed, as the step commands take it:
    `step(store, record, *details, at=, by=)` at --at by --staff, committed and said; the
    record found among those of `kind` (Session.step_on)."""
    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (kind,))
    session.recorded(step(session.store, record, *details, at=moment, by=by))


# -- complaints -------------------------------------------------------------------------------

@complaint_app.command("file")
def complaint_file(ctx: typer.Context, name: str = options.NAME, room: str = options.ROOM,
                   phone: str = options.PHONE,
                   category: str = typer.Option(None, "--category",
                                                help="Complaint category from dutyctl.yaml "
                                                     "(id or name: 噪音)."),
                   content: str = CONTENT, urgency: str = URGENCY, from_call: str = FROM_CALL,
                   at: str = options.AT, staff: str = options.STAFF) -> None:
    """File a complaint (seed 4.3); prints the new id."""
    _file(ctx, COMPLAINT, name, room, phone, category, content, urgency, at, staff, from_call)


ACTION_TAKEN = typer.Option(..., "--action", help="What was done.")


@complaint_app.command("handle")
def complaint_handle(ctx: typer.Context, record_id: str = TICKET_REF,
                     action: str = ACTION_TAKEN, at: str = options.AT,
                     staff: str = options.STAFF) -> None:
    """Record handling within the center's remit (counts as the first response)."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.handle, record_id, action, kind=COMPLAINT, at=at, staff=staff)


@complaint_app.command("transfer")
def complaint_transfer(ctx: typer.Context, record_id: str = TICKET_REF,
                       to: str = typer.Option(..., "--to", metavar="DEPARTMENT",
                                              help="Department or outside body from "
                                                   "dutyctl.yaml, by id or name "
                                                   "(engineering, 工程部, 居委会)."),
                       reason: str = typer.Option(..., "--reason", help="Why it goes there."),
                       told_resident: str = typer.Option(..., "--told-resident",
                                                         help="What the resident was told."),
                       at: str = options.AT, staff: str = options.STAFF) -> None:
    """Transfer beyond the center's remit; the deadline carries over."""
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (COMPLAINT,))
    updated = lifecycle.transfer(session.store, session.config, record, department=to,
                                 reason=reason, told_resident=told_resident, at=moment, by=by)
    session.recorded(updated, t("{id} transferred to {department}", id=record.short_id,
                                  department=session.config.departments[
                                      updated.events[-1].data["to"]].name))


@complaint_app.command("resolve")
def complaint_resolve(ctx: typer.Context, record_id: str = TICKET_REF,
                      result: str = typer.Option(..., "--result",
                                                 help="The result, as told to the resident "
                                                      "(after a transfer: the receiving "
                                                      "side's result)."),
                      at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record the result and the feedback to the resident (at --at)."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.resolve, record_id, result, kind=COMPLAINT, at=at, staff=staff)


@complaint_app.command("visit")
def complaint_visit(ctx: typer.Context, record_id: str = TICKET_REF,
                    satisfaction: str = SATISFACTION,
                    note: str = VISIT_NOTE, no_answer: bool = NO_ANSWER, at: str = options.AT,
                    staff: str = options.STAFF) -> None:
    """Record the return visit (回访), which closes the complaint; with --no-answer, an
    attempt nobody answered (the visit still waits)."""
    _visit(ctx, COMPLAINT, record_id, satisfaction, note, at, staff, no_answer)


def _visit(ctx, kind: str, record_id, satisfaction, note, at, staff, no_answer: bool) -> None:
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (kind,))
    if no_answer:
        if satisfaction is not None:
            from dutyctl.errors import InputError

            raise InputError(lambda name: t("{no_answer} records a visit nobody answered: it "
                                            "has no {satisfaction}", no_answer=name("no_answer"),
                                            satisfaction=name("satisfaction")))
        tried = lifecycle.visit_attempt(session.store, record, note, at=moment, by=by)
        session.recorded(tried, t("{id}: return visit not answered (attempt {count}); it "
                                  "still waits for its visit", id=tried.short_id,
                                  count=lifecycle.visit_attempts(tried)))
        return
    score = _need_satisfaction(session, satisfaction)
    session.recorded(lifecycle.visit(session.store, record, score, note, at=moment, by=by))
    from dutyctl.reports.figures import SATISFIED

    if score < SATISFIED:  # the visit closed it: say how the work goes on, if it must
        echo(t("the resident is not satisfied ({score} of 5): if the work must go on, reopen "
               "it with 'dutyctl {command} {id} --reason ...'", score=score,
               command=said(record.kind, "reopen"), id=record.short_id), err=True)


@complaint_app.command("hold")
def complaint_hold(ctx: typer.Context, record_id: str = TICKET_REF, reason: str = HOLD_REASON,
                   at: str = options.AT, staff: str = options.STAFF) -> None:
    """Put an open or handled complaint on hold; its deadlines stop counting until resume."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.hold, record_id, reason, kind=COMPLAINT, at=at, staff=staff)


@complaint_app.command("resume")
def complaint_resume(ctx: typer.Context, record_id: str = TICKET_REF, note: str = RESUME_NOTE,
                     at: str = options.AT, staff: str = options.STAFF) -> None:
    """Resume a complaint on hold (back to handling); the clock counts again."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.resume, record_id, note, kind=COMPLAINT, at=at, staff=staff)


# -- repairs ----------------------------------------------------------------------------------

@repair_app.command("file")
def repair_file(ctx: typer.Context, name: str = options.NAME,
                room: str = typer.Option(None, "--room", help="Room like 3-2-501, or a common "
                                                              "area like 3号楼电梯 (with no "
                                                              "--name and --phone: found on a "
                                                              "round, nobody reporting it). With "
                                                              "--from-call: where the fault is, "
                                                              "when not the caller's room."),
                phone: str = options.PHONE,
                category: str = typer.Option(None, "--category",
                                             help="Repair category from dutyctl.yaml "
                                                  "(id or name: 水电)."),
                content: str = CONTENT, urgency: str = URGENCY, from_call: str = FROM_CALL,
                at: str = options.AT, staff: str = options.STAFF) -> None:
    """File a repair (seed 4.4); urgency suggested from keywords; prints the new id."""
    _file(ctx, REPAIR, name, room, phone, category, content, urgency, at, staff, from_call)


@repair_app.command("dispatch")
def repair_dispatch(ctx: typer.Context, record_id: str = TICKET_REF,
                    to: str = typer.Option(None, "--to", metavar="STAFF",
                                           help="Technician, by id or name (default: the "
                                                "technician on site per the roster who has "
                                                "clocked in, else the first rostered on site "
                                                "(with a warning to make sure they are "
                                                "there), else the one on call)."),
                    at: str = options.AT, staff: str = options.STAFF) -> None:
    """Send a technician (counts as the first response); sent again to another, the repair
    is theirs from then. Sending the technician on call (at home) also starts their call-out:
    end it with 'dutyctl callout end'."""
    from dutyctl.names import Names
    from dutyctl.records import ASSIGNED_TO, assignee, assignment_conflict
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (REPAIR,))
    before = assignee(record)
    # sent two ways on desks that had not synced: this dispatch settles it, taking it from
    # neither one alone (`taken from 刘洋` said the other desk's 王强 was never sent)
    undecided = [str(event.data.get(ASSIGNED_TO)) for event in assignment_conflict(record)]
    updated, technician, started = lifecycle.dispatch(session.workspace, record, to, at=moment,
                                                      by=by)
    names = Names.of(session.workspace)
    sent_to = dict(id=record.short_id, staff=names.person(technician))
    if undecided:
        line = t("{id} dispatched to {staff}: this settles the dispatches to {sent} made on "
                 "desks that had not synced", sent=names.people(undecided), **sent_to)
    elif before in (None, technician):
        line = t("{id} dispatched to {staff}", **sent_to)
    else:
        line = t("{id} dispatched to {staff}, taken from {before}",
                 before=names.person(before), **sent_to)
    session.recorded(updated, line)
    if started is not None:
        session.commit([started.path], lambda: t(
            "call-out {id}: {staff}", id=started.short_id,
            staff=session.names.person(technician)))
        from dutyctl.desk.callout import started_text

        echo(started_text(started, session.names, session.config.tz), err=True)


@repair_app.command("arrive")
def repair_arrive(ctx: typer.Context, record_id: str = TICKET_REF, at: str = options.AT,
                  staff: str = options.STAFF) -> None:
    """The technician is on site (meets the arrival deadline)."""
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (REPAIR,))
    arrived = lifecycle.arrive(session.store, record, at=moment, by=by)
    session.recorded(arrived)
    lifecycle.say_arrival_by_another(session.workspace, arrived, by)


@repair_app.command("eta")
def repair_eta(ctx: typer.Context, record_id: str = TICKET_REF,
               eta: str = typer.Option(..., "--by", metavar="TIME",
                                           help="Expected handling time told to the resident."),
               note: str = typer.Option(None, "--note", help="What the resident was told."),
               at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record the expected handling time as told to the resident (seed 4.4)."""
    from dutyctl import timeutil
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (REPAIR,))
    # '17:00' or 'tomorrow 10:00' count from the moment it was said, not from today; a day
    # alone ('tomorrow', '明天') is the end of business hours that day
    expected = timeutil.parse_deadline(eta, session.config.tz, moment,
                                       session.config.business_end)
    session.recorded(lifecycle.set_eta(session.store, record, expected, note, at=moment, by=by,
                                       typed=eta),
              t("{id} eta recorded: expected by {eta}", id=record.short_id,
                eta=timeutil.local_time(expected, session.config.tz)))
    said = timeutil.deadline_note(eta, session.config.tz, moment, expected)
    if said:
        echo(said, err=True)


@repair_app.command("hold")
def repair_hold(ctx: typer.Context, record_id: str = TICKET_REF, reason: str = HOLD_REASON,
                at: str = options.AT, staff: str = options.STAFF) -> None:
    """Pause the repair; its deadlines stop counting until resume."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.hold, record_id, reason, kind=REPAIR, at=at, staff=staff)


@repair_app.command("resume")
def repair_resume(ctx: typer.Context, record_id: str = TICKET_REF, note: str = RESUME_NOTE,
                  at: str = options.AT, staff: str = options.STAFF) -> None:
    """Resume a repair on hold; the clock counts again."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.resume, record_id, note, kind=REPAIR, at=at, staff=staff)


@repair_app.command("done")
def repair_done(ctx: typer.Context, record_id: str = TICKET_REF,
                result: str = typer.Option(..., "--result", help="What was done."),
                materials: str = typer.Option(None, "--materials", help="Parts and materials "
                                                                        "used."),
                at: str = options.AT, staff: str = options.STAFF) -> None:
    """The repair is finished (meets the completion deadline)."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.done, record_id, result, materials, kind=REPAIR, at=at, staff=staff)


@repair_app.command("visit")
def repair_visit(ctx: typer.Context, record_id: str = TICKET_REF,
                 satisfaction: str = SATISFACTION,
                 note: str = VISIT_NOTE, no_answer: bool = NO_ANSWER,
                 at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record the return visit (回访), which closes the repair; with --no-answer, an attempt
    nobody answered (the visit still waits)."""
    _visit(ctx, REPAIR, record_id, satisfaction, note, at, staff, no_answer)


SCHEDULE_COLUMNS = [("occurrence", N_("occurrence")), ("job", N_("job")),
                    ("name", N_("job name")),
                    ("where", N_("where")), ("category", N_("category")),
                    ("urgency", N_("urgency"))]
#: in the data formats the kind as well, which each row has (its category is the kind's),
#: in the order of the json rows
SCHEDULE_DATA_COLUMNS = [*SCHEDULE_COLUMNS[:4], ("kind", N_("kind")), *SCHEDULE_COLUMNS[4:]]


CLOSE_AS = typer.Option(..., "--as", metavar="WHY",
                        help="duplicate, withdrawn (by the resident) or invalid, or its word "
                             "(重复, 撤回, 无效).")
DUPLICATE_OF = typer.Option(None, "--of", metavar="ID",
                            help="For a duplicate: the ticket that is kept.")
CLOSE_REASON = typer.Option(None, "--reason", metavar="REASON",
                            help="Why, in a sentence. [required; asked for at a terminal]")


def ticket_close(ctx: typer.Context, record_id: str = TICKET_REF, closed_as: str = CLOSE_AS,
                 of: str = DUPLICATE_OF, reason: str = CLOSE_REASON, at: str = options.AT,
                 staff: str = options.STAFF) -> None:
    """Close a ticket that will not be worked: a duplicate (--of the one kept), withdrawn or
    invalid, with a reason."""
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (_group_kind(ctx),))
    (reason,) = session.need_all((reason, "--reason", t("why it is closed")))
    kept = session.store.get(of) if of else None
    session.recorded(lifecycle.close(session.store, record, closed_as, reason, kept,
                                       at=moment, by=by))


def ticket_reopen(ctx: typer.Context, record_id: str = REOPEN_REF, reason: str = CLOSE_REASON,
                  at: str = options.AT, staff: str = options.STAFF) -> None:
    """Reopen a closed ticket, or one finished and waiting for its return visit whose fault
    came back (rework), with a reason; it is open again."""
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (_group_kind(ctx),),
                                         closed=True)
    (reason,) = session.need_all((reason, "--reason", t("why it is reopened")))
    session.recorded(lifecycle.reopen(session.store, record, reason, at=moment, by=by))


def settle(ctx: typer.Context, record_id: str = RECORD_ID,
           event: str | None = typer.Option(
               None, "--event", metavar="EVENT",
               help="The step to set aside: its id (or a prefix), or its file as dutyctl "
                    "check names it. Default: the conflicting step, or with none, the latest "
                    "step."),
           reason: str = CLOSE_REASON, at: str = options.AT,
           staff: str = options.STAFF) -> None:
    """Set aside a step: one two desks recorded without syncing (dutyctl check lists them),
    or one recorded by mistake (on the wrong ticket). It is kept in the history and counts for
    nothing. Nothing is deleted; if the step was right after all, repeat it (reopen the ticket
    first if it is closed)."""
    from dutyctl import timeutil
    from dutyctl.records import SET_ASIDE, kind_word
    from dutyctl.tickets import lifecycle
    from dutyctl.words import action_word, status_word

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff)
    (reason,) = session.need_all((reason, "--reason", t("why it is settled so")))
    updated = lifecycle.settle(session.store, record, event, reason, at=moment, by=by,
                               person=session.names.short_person)
    aside_id = updated.events[-1].data.get(SET_ASIDE)
    tz = session.config.tz
    if aside_id == updated.id:  # the record itself, logged by mistake (lifecycle.void)
        session.recorded(updated, t(
            "{id}: the {kind} logged at {at} ({by}) is voided: it counts nowhere now (lists, "
            "reports, search); its file stays and show still shows it", id=updated.short_id,
            kind=kind_word(updated.kind), at=timeutil.local_time(updated.created_at, tz),
            by=session.names.short_person(updated.recorded_by)))
        return
    aside = next(step for step in record.events + updated.events if step.id == aside_id)
    session.recorded(updated, t(
        "{id}: the step {action} of {at} ({by}) is set aside and counts for nothing; now "
        "{status}", id=updated.short_id, action=action_word(aside.action),
        at=timeutil.local_time(aside.at, tz), by=session.names.short_person(aside.by),
        status=status_word(updated.status, updated.kind)))


def link(ctx: typer.Context,
         first_id: str = typer.Argument(..., metavar="ID", help="A record: its id or a prefix "
                                                               "(a call, complaint, repair or "
                                                               "emergency)."),
         second_id: str = typer.Argument(..., metavar="OTHER", help="The record it is about."),
         note: str = typer.Option(None, "--note", metavar="NOTE",
                                  help="Why they go together (\"住户第三次催办\")."),
         at: str = options.AT, staff: str = options.STAFF) -> None:
    """Link two records about one matter (a call chasing an open complaint, one of many
    calls about a burst main and its emergency): `show` of either lists the other, and the
    reports count an emergency's calls."""
    from dutyctl.records import kind_word
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    first, moment, by = session.step_on(first_id, at, staff)
    second = session.store.get(second_id)
    first, second = lifecycle.link(session.store, first, second, at=moment, by=by, note=note)
    session.commit([first.events[-1].path, second.events[-1].path], lambda: t(
        "link {first} {second}", first=first.short_id, second=second.short_id))
    echo(t("{kind} {id} and {other_kind} {other} are linked", kind=kind_word(first.kind),
           id=first.short_id, other_kind=kind_word(second.kind), other=second.short_id))


def restore(ctx: typer.Context, record_id: str = RECORD_ID, reason: str = CLOSE_REASON,
            at: str = options.AT, staff: str = options.STAFF) -> None:
    """Undo a void: a record voided by mistake (settle) counts again, as it stood before.
    Refused when it is not voided, or when counting it again would contradict a step
    recorded since."""
    from dutyctl import timeutil
    from dutyctl.records import kind_word
    from dutyctl.tickets import lifecycle
    from dutyctl.words import status_word

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff)
    (reason,) = session.need_all((reason, "--reason", t("why the void is undone")))
    updated, voids = lifecycle.restore(session.store, record, reason, at=moment, by=by,
                                       person=session.names.short_person)
    tz = session.config.tz
    said = {"id": updated.short_id, "kind": kind_word(updated.kind),
            "status": status_word(updated.status, updated.kind)}
    written = [event.path for event in updated.events[-len(voids):]]
    if len(voids) > 1:  # two desks voided it before a sync: both voids are undone
        session.recorded(updated, t(
            "{id}: the voids of the {kind} ({voids}) are undone: it counts again in lists, "
            "reports and search; now {status}", voids=t("; ").join(
                t("{at}, {by}", at=timeutil.local_time(void.at, tz),
                  by=session.names.short_person(void.by)) for void in voids), **said),
            written)
        return
    (voided,) = voids
    session.recorded(updated, t(
        "{id}: the void of the {kind} ({at}, {by}) is undone: it counts again in lists, "
        "reports and search; now {status}", at=timeutil.local_time(voided.at, tz),
        by=session.names.short_person(voided.by), **said), written)


def ticket_reclassify(ctx: typer.Context, record_id: str = TICKET_REF,
                      urgency: str = typer.Option(..., "--urgency",
                                                  help="The new urgency class from "
                                                       "dutyctl.yaml, by id or name (急修)."),
                      reason: str = typer.Option(..., "--reason",
                                                 help="Why it changed (整单元停水)."),
                      at: str = options.AT, staff: str = options.STAFF) -> None:
    """Change an open ticket's urgency class, with why; its time limits count anew under
    the new class from then (one met already stays met)."""
    from dutyctl import timeutil
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (_group_kind(ctx),))
    updated = lifecycle.reclassify(session.store, session.config, record, urgency=urgency,
                                   reason=reason, at=moment, by=by)
    changed = updated.events[-1].data
    session.recorded(updated, t("{id} is {urgency} now (was {before}): its time limits count "
                                "from {at}", id=record.short_id,
                                urgency=session.names.urgency(record.kind, changed["urgency"]),
                                before=session.names.urgency(record.kind, changed.get("from")),
                                at=timeutil.local_time(moment, session.config.tz)))
    settings = session.config.notify
    if settings is not None and changed.get("from") not in settings.emergency_repair:
        announce_repair(session, updated)  # raised to an emergency repair: as if filed so


for _tickets in (complaint_app, repair_app):
    _tickets.command("close")(ticket_close)
    _tickets.command("reopen")(ticket_reopen)
    _tickets.command("reclassify")(ticket_reclassify)


# -- a ticket kind declared by its module alone -----------------------------------------------

CATEGORY = typer.Option(None, "--category", help="Category from dutyctl.yaml (id or name).")
#: the commands every ticket kind without its own app gets: `file`, then each step its
#: transitions have (a command's name is its action)
ticket_steps = typer.Typer()


@ticket_steps.command("file")
def ticket_file(ctx: typer.Context, name: str = options.NAME, room: str = options.ROOM,
                phone: str = options.PHONE, category: str = CATEGORY, content: str = CONTENT,
                urgency: str = URGENCY, from_call: str = FROM_CALL, at: str = options.AT,
                staff: str = options.STAFF) -> None:
    """File one; urgency suggested from keywords; prints the new id."""
    kind = _group_kind(ctx)
    _file(ctx, kind, name, room, phone, category, content, urgency, at, staff, from_call)


@ticket_steps.command(HANDLE)
def ticket_handle(ctx: typer.Context, record_id: str = TICKET_REF, action: str = ACTION_TAKEN,
                  at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record that the center took it in hand (counts as the first response)."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.handle, record_id, action, kind=_group_kind(ctx), at=at,
          staff=staff)


@ticket_steps.command(RESOLVE)
def ticket_resolve(ctx: typer.Context, record_id: str = TICKET_REF,
                   result: str = typer.Option(..., "--result",
                                              help="The result, as told to the resident."),
                   at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record the result and the feedback to the resident (at --at)."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.resolve, record_id, result, kind=_group_kind(ctx), at=at,
          staff=staff)


@ticket_steps.command(HOLD)
def ticket_hold(ctx: typer.Context, record_id: str = TICKET_REF, reason: str = HOLD_REASON,
                at: str = options.AT, staff: str = options.STAFF) -> None:
    """Put a ticket on hold; its deadlines stop counting until resume."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.hold, record_id, reason, kind=_group_kind(ctx), at=at,
          staff=staff)


@ticket_steps.command(RESUME)
def ticket_resume(ctx: typer.Context, record_id: str = TICKET_REF, note: str = RESUME_NOTE,
                  at: str = options.AT, staff: str = options.STAFF) -> None:
    """Resume a ticket on hold; the clock counts again."""
    from dutyctl.tickets import lifecycle

    _step(ctx, lifecycle.resume, record_id, note, kind=_group_kind(ctx), at=at,
          staff=staff)


@ticket_steps.command(VISIT)
def ticket_visit(ctx: typer.Context, record_id: str = TICKET_REF,
                 satisfaction: str = SATISFACTION, note: str = VISIT_NOTE,
                 no_answer: bool = NO_ANSWER,
                 at: str = options.AT, staff: str = options.STAFF) -> None:
    """Record the return visit (回访), which closes the ticket; with --no-answer, an attempt
    nobody answered (the visit still waits)."""
    _visit(ctx, _group_kind(ctx), record_id, satisfaction, note, at, staff, no_answer)


ticket_steps.command(CLOSE)(ticket_close)
ticket_steps.command(REOPEN)(ticket_reopen)
ticket_steps.command(RECLASSIFY)(ticket_reclassify)


def ticket_app(kind: str) -> typer.Typer:
    """The commands of a ticket kind (KindSpec.ticket) that has no app of its own: those of
    `ticket_steps` its transitions allow; `list`, `show`, `search` and `settle` serve every
    kind."""
    from dutyctl.records import kind_spec

    commands = typer.Typer(help="A ticket kind: file, then each step it allows (hold/resume, "
                                "visit, close, reopen).",
                           no_args_is_help=True)
    allowed = {"file", *kind_spec(kind).transitions}
    commands.registered_commands = [info for info in ticket_steps.registered_commands
                                    if info.name in allowed]
    return commands


@repair_app.command("schedule")
def repair_schedule(ctx: typer.Context,
                    until: str = typer.Option(None, "--until", metavar="DATE",
                                              help="File occurrences up to this day, included "
                                                   "(default: today, site zone)."),
                    dry_run: bool = typer.Option(False, "--dry-run",
                                                 help="List what would be filed; write "
                                                      "nothing."),
                    fmt: str = options.FORMAT, at: str = options.AT,
                    staff: str = options.STAFF) -> None:
    """File one repair per occurrence of the recurring maintenance in dutyctl.yaml not filed
    yet (idempotent: run it daily from cron); prints the new ids."""
    from dutyctl import timeutil
    from dutyctl.cli.cellwords import cell_words, sheet_columns
    from dutyctl.tickets import recurring

    session: Session = ctx.obj
    moment = session.when(at)
    last = timeutil.parse_day(until, session.config.tz, moment, coming=True) if until else \
        moment.astimezone(session.config.tz).date()
    if dry_run:
        plan = recurring.plan(session.store, session.config, last)
        session.report_skipped(plan.problems)
        # the summary first, as below: a reader that leaves early (`| head`) still has it
        echo(tn("would file {count} recurring repair up to {until}, {filed} already filed "
                "(dry run: nothing written)",
                "would file {count} recurring repairs up to {until}, {filed} already filed "
                "(dry run: nothing written)", len(plan.to_file), until=last,
                filed=plan.already_filed), err=True)
        _none_due_yet(session, plan, last)
        rows = [_scheduled_row(due, session.config.tz) for due in plan.to_file]
        columns = SCHEDULE_DATA_COLUMNS
        if fmt == "table":  # in the words and columns a workbook has (cli.cellwords)
            rows = _in_words(rows, cell_words(session.names), SCHEDULE_COLUMNS)
            columns = sheet_columns(SCHEDULE_COLUMNS)
        session.emit(rows, fmt, columns, empty="")  # the line above says how many
        return
    session.actor(staff, moment)  # the commit's author; the records name the schedule
    rows: list[dict] = []
    with recurring.one_run_at_a_time(session.workspace):  # else two runs file all twice
        plan = recurring.plan(session.store, session.config, last)
        session.report_skipped(plan.problems)
        try:
            _file_scheduled(session, plan, last, rows)
        except Exception:
            # what was filed is committed: say so, with its ids, before the error is reported
            echo(tn("filed {done} of {count} recurring repair up to {until} before the "
                    "error below",
                    "filed {done} of {count} recurring repairs up to {until} before the "
                    "error below", len(plan.to_file), done=len(rows), until=last), err=True)
            _show_scheduled(session, rows, fmt)
            raise
    # everything is filed and committed before a word is printed, and the summary comes
    # first: a reader that leaves early (`| head`) stops neither the filing nor the summary
    echo(tn("filed {count} recurring repair up to {until}, {filed} already filed",
            "filed {count} recurring repairs up to {until}, {filed} already filed",
            len(rows), until=last, filed=plan.already_filed), err=True)
    _none_due_yet(session, plan, last)
    _show_scheduled(session, rows, fmt)


def _none_due_yet(session: Session, plan, last) -> None:
    """Nothing due nor ever filed up to `last` (the plans start later: `init` starts them
    the day after): which comes first, and when, rather than a bare 0."""
    if plan.to_file or plan.already_filed:
        return
    from dutyctl.tickets import recurring
    from dutyctl.timeutil import local_time

    first = recurring.first_after(session.config.recurring.values(), session.config.tz, last)
    if first is not None:
        echo(t("none is due up to {until}: the first, {job}, falls on {at}", until=last,
               job=first.job.name, at=local_time(first.at, session.config.tz)), err=True)


def _file_scheduled(session: Session, plan, last, rows: list[dict]) -> None:
    """File the planned occurrences, adding to `rows` the one to show for each as it is
    written; what was written is committed even if a later one failed."""
    from dutyctl.tickets import recurring

    written = []
    try:
        for due, record in zip(plan.to_file, recurring.file_occurrences(session.store,
                                                                        plan.to_file)):
            written.append(record.path)
            rows.append({"id": record.id, **_scheduled_row(due, session.config.tz)})
    finally:
        session.commit(written, lambda: tn(
            "repair schedule: {count} recurring repair up to {last}",
            "repair schedule: {count} recurring repairs up to {last}", len(written), last=last))


def _show_scheduled(session: Session, rows: list[dict], fmt: str) -> None:
    """The filed repairs: their ids one a line (table), else every column."""
    if fmt == "table":
        for row in rows:
            echo(row["id"])
    else:
        session.emit(rows, fmt, [("id", "id"), *SCHEDULE_DATA_COLUMNS])


def _scheduled_row(due, tz) -> dict:
    """One occurrence of a recurring repair, its category, urgency and place by their ids (and
    its kind, from which a table or workbook puts them in words: cli.cellwords)."""
    job = due.job
    return {"occurrence": due.at.astimezone(tz), "job": job.id, "name": job.name,
            "where": job.where, "kind": REPAIR, "category": job.category,
            "urgency": job.urgency}


def _in_words(rows: list[dict], shown, columns) -> list[dict]:
    """Rows with their id cells as `shown` (cli.cellwords.cell_words) says them."""
    keys = [key for key, _ in columns]
    return [{key: shown(key, value, row, keys) for key, value in row.items()} for row in rows]


# -- callbacks --------------------------------------------------------------------------------

CALLBACK_COLUMNS = [("id", N_("id")), ("callback_by", N_("callback by")), ("state", N_("state")),
                    ("attempts", N_("attempts")),
                    ("by", N_("recorded by")), ("room", N_("room")), ("name", N_("name")),
                    ("phone", N_("phone")), ("text", N_("text"))]
#: the data formats' `state` is a word (tickets.deadlines.state_data), its numbers beside it;
#: a table says it in a phrase ("due in 2h")
CALLBACK_DATA_COLUMNS = [*CALLBACK_COLUMNS[:3], ("minutes_left", N_("min left")),
                         ("minutes_late", N_("min late")), *CALLBACK_COLUMNS[3:]]


@callback_app.command("list")
def callback_list(ctx: typer.Context,
                  due: bool = typer.Option(False, "--due", help="Only callbacks due now or "
                                                                "overdue."),
                  as_of: str = options.AS_OF, fmt: str = options.FORMAT,
                  show_phone: bool = options.SHOW_PHONE, wide: bool = options.WIDE) -> None:
    """Calls still waiting for the promised callback, earliest promise first."""
    from dutyctl import timeutil, views
    from dutyctl.names import Names
    from dutyctl.kinds.call import attempts
    from dutyctl.tickets.deadlines import describe, state_data, waiting_callbacks

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    moment = session.as_of(as_of)
    tz, full = session.config.tz, fmt != "table"
    names = None if full else Names.of(session.workspace)
    waiting, problems = waiting_callbacks(session.store, moment, as_it_stood=as_of is not None,
                                          due_only=due)
    session.report_skipped(problems)
    rows = []
    for record, deadline in waiting:
        row = views.record_row(record, tz, session.show_phone(show_phone), full, names)
        row.update(callback_by=deadline.due.astimezone(tz) if full else
                   timeutil.local_time(deadline.due, tz),
                   **(state_data(deadline, moment) if full
                      else {"state": describe(deadline, moment)}),
                   attempts=len(attempts(record)))
        rows.append(row)
    session.emit(rows, fmt,
                 views.data_columns(CALLBACK_DATA_COLUMNS) if full else CALLBACK_COLUMNS,
                 empty=t("no callback due") if due else
                 t("no callback waiting"), wide=wide,
                 optional=views.list_optional(session.show_phone(show_phone)))


@callback_app.command("done")
def callback_done(ctx: typer.Context, record_id: str = TICKET_REF,
                  result: str = typer.Option(..., "--result", "--note",
                                             help="What came of it: what the resident was "
                                                  "told (--note, the older name, is accepted "
                                                  "too)."),
                  at: str = options.AT, staff: str = options.STAFF) -> None:
    """The promised callback was made."""
    from dutyctl import timeutil
    from dutyctl.tickets import lifecycle
    from dutyctl.tickets.deadlines import MISSED, callback_deadline

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (_call_kind(),))
    updated = lifecycle.callback_done(session.store, record, result, at=moment, by=by)
    # made after the time promised: said at once, as reports count it (a late callback)
    late = next((deadline for deadline in callback_deadline(updated, moment)
                 if deadline.state(moment) == MISSED), None)
    session.recorded(updated, t(
        "{id}: callback recorded {late} after the time promised to the resident ({due}): it "
        "counts as late", id=updated.short_id, late=late.late_text(late.met_at),
        due=timeutil.local_time(late.due, session.config.tz)) if late else "")


@callback_app.command("attempt")
def callback_attempt(ctx: typer.Context, record_id: str = TICKET_REF,
                     result: str = typer.Option(..., "--result", metavar="RESULT",
                                                help="How it ended: no-answer, busy or "
                                                     "wrong-number (or 无人接听, 占线, "
                                                     "号码错误)."),
                     note: str = typer.Option(None, "--note", help="What happened."),
                     at: str = options.AT, staff: str = options.STAFF) -> None:
    """A callback tried without reaching the resident; the promise stays open."""
    from dutyctl.tickets import lifecycle
    from dutyctl.kinds.call import attempts, callback_by_of

    from dutyctl import timeutil

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (_call_kind(),))
    updated = lifecycle.callback_attempt(session.store, record, result, note, at=moment, by=by)
    said = {"number": len(attempts(updated)), "id": record.short_id,
            "due": _due(updated, session.config.tz)}
    promised = timeutil.from_iso(callback_by_of(updated))
    overdue = promised is not None and promised < moment
    session.recorded(updated, t("{id}: callback attempt {number} recorded; the callback was due "
                                "{due} and is overdue", **said) if overdue else
                     t("{id}: callback attempt {number} recorded, the callback is still due "
                       "{due}", **said))


@callback_app.command("reschedule")
def callback_reschedule(ctx: typer.Context, record_id: str = TICKET_REF,
                        by_time: str = typer.Option(..., "--by", metavar="TIME",
                                                    help="The time promised now, as --callback-by "
                                                         "takes it ('明天上午', '12月5日 10:00')."),
                        note: str = typer.Option(None, "--note",
                                                 help="Why (what the resident agreed to)."),
                        at: str = options.AT, staff: str = options.STAFF) -> None:
    """Put right the time a callback was promised for (a promise written at night read as the
    wrong morning); the callback is due then."""
    from dutyctl import timeutil
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (_call_kind(),))
    promised = timeutil.parse_deadline(by_time, session.config.tz, moment,
                                       session.config.business_end)
    updated = lifecycle.reschedule_callback(session.store, record, promised, note, at=moment,
                                            by=by, typed=by_time)
    session.recorded(updated, t("{id}: the callback is due {due} now", id=record.short_id,
                                due=_due(updated, session.config.tz)))
    said = timeutil.deadline_note(by_time, session.config.tz, moment, promised)
    if said:
        echo(said, err=True)


def _due(call, tz) -> str:
    from dutyctl import timeutil
    from dutyctl.kinds.call import callback_by_of

    return timeutil.local_time(timeutil.from_iso(callback_by_of(call)), tz)


# -- emergencies ------------------------------------------------------------------------------

@emergency_app.command("open")
def emergency_open(ctx: typer.Context,
                   type_id: str = typer.Option(None, "--type", metavar="TYPE",
                                               help="Emergency type from dutyctl.yaml, by "
                                                    "id or name (power-outage or 停电)."),
                   where: str = typer.Option(None, "--where", help="Where it is happening."),
                   content: str = typer.Option(None, "--content", help="What is happening."),
                   name: str = typer.Option(None, "--name", help="Who reported it (optional)."),
                   room: str = typer.Option(None, "--room", help="The reporter's room."),
                   phone: str = typer.Option(None, "--phone", help="The reporter's phone."),
                   from_call: str = typer.Option(None, "--from-call", metavar="CALL",
                                                 help="Reported by this logged call: its "
                                                      "caller is the reporter, and both are "
                                                      "linked."),
                   fmt: str = options.FORMAT, at: str = options.AT,
                   staff: str = options.STAFF) -> None:
    """Open an emergency; prints its id, then the procedure and who to call."""
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    config = session.config
    from dutyctl.choices import describe

    typed, = session.need_all((type_id, "type_id", t("type ({choices})", choices=describe(
        {emergency_id: kind.name for emergency_id, kind in config.emergencies.items()})),
        lambda answer: lifecycle.emergency_type(config, answer)))  # a slip: asked again
    chosen = lifecycle.emergency_type(config, typed).id  # typed by id or name (停电)
    guide = lifecycle.procedure(config, chosen)
    from dutyctl.rooms import place as place_in

    place = place_in(config.rooms, session.need(where, "--where", t(
        "where it happens, e.g. 3号楼电梯 or 地下车库")))
    moment = session.happened(at)
    by = session.actor(staff, moment)
    if from_call:
        from dutyctl.kinds.emergency import KIND as EMERGENCY

        call = _from_call(session, from_call, name, room, phone, EMERGENCY, moment)
        call, record = lifecycle.open_emergency_for_call(
            session.store, config, call, type_id=chosen, where=place, content=content,
            at=moment, by=by, person=session.names.short_person)
        paths = [record.path, call.events[-1].path]
    else:
        reporter = (session.resident(name, room, phone, t("reporter's name"))
                    if name or room or phone else None)
        record = lifecycle.open_emergency(session.store, config, type_id=chosen, where=place,
                                          content=content, resident=reporter, at=moment, by=by)
        paths = [record.path]
    from dutyctl.output import visible  # workspace text: the subject line shows it escaped

    session.commit(paths, lambda: t(
        "emergency {id} {type} {place}", id=record.short_id,
        type=visible(config.emergencies[record.get("type")].name),
        place=session.names.room(place)))  # 3号楼, as the screens show it, not the key `3`
    from dutyctl.cli.announce import announce_after, entered_late
    from dutyctl.notify.settings import EMERGENCY_OPENED
    from dutyctl.notify.texts import Texts

    announce_after(session, EMERGENCY_OPENED, lambda: Texts(session.workspace).emergency_opened(
        record, entered_late(session, record.created_at)), record=record.id)
    if fmt != "table":  # CSV: one row, the departments to notify by id
        document = {"id": record.id, **guide}
        session.emit(document, fmt, rows=[{
            "id": record.id, "type": chosen, "name": guide["name"], "steps": guide["steps"],
            "notify": [contact["department"] for contact in guide["contacts"]],
            "hotline": guide["hotline"]}])
        return
    echo(record.id)
    echo(_procedure_text(guide, record.short_id))
    on_call = _on_call_text(session, moment, record.short_id)
    if on_call:
        echo(on_call)
    _say_emergency_repair(session, record, guide["name"])


def _say_emergency_repair(session: Session, record, type_name: str) -> None:
    """An emergency whose words are an emergency repair's (电梯困人, 爆管: the keywords of the
    site's 急修 class, `Config.emergency_repair_classes`): the repair that starts that on-site
    clock, as a command to copy. An emergency has no time limit of its own, so the
    30 minutes to reach a trapped lift ran nowhere unless one was filed."""
    from dutyctl.commandwords import said_option
    from dutyctl.kinds.complaint import suggest_urgency
    from dutyctl.records import LIMIT_ARRIVE
    from dutyctl.schema import phones_masked

    if REPAIR not in session.config.urgency:
        return
    urgency, word = suggest_urgency(session.config, REPAIR,
                                    f"{type_name} {record.get('content') or ''}")
    if word is None or urgency not in session.config.emergency_repair_classes():
        return  # an outage's 2 hours (紧急) is no trapped lift's 30 minutes
    from dutyctl.tickets.lifecycle import linked_of_kind

    if linked_of_kind(session.store, record, REPAIR):
        return  # the call it was opened from was filed as the repair: never twice
    if _say_repair_filed_at_the_place(session, record):
        return
    import shlex

    from dutyctl.reports.figures import time_limit
    from dutyctl.reports.layout import limit_text  # a limit said as the reports say it

    arrive = time_limit(session.config, REPAIR, urgency, LIMIT_ARRIVE)
    if arrive is None:
        return
    step = "repair file"
    names = session.names
    content = record.get("content") or ""  # a number in it as the screens show it
    content = content if session.show_phone(False) else phones_masked(content)
    echo(t("{urgency} has its own on-site time limit ({arrive}): file the repair too: dutyctl "
           "{command} {room} {place} {content} {what}", urgency=names.urgency(REPAIR, urgency),
           arrive=limit_text(arrive), command=said("repair", "file"),
           room=said_option("--room", step),
           place=shlex.quote(names.room(record.get("where")) or ""),
           content=said_option("--content", step),
           what=shlex.quote(content or names.emergency(record.get("type")))),
         err=True)


def _say_repair_filed_at_the_place(session: Session, record) -> bool:
    """An emergency opened where an emergency repair (急修) is open already (the clerk filed
    the repair for the trapped lift first, then opened the emergency): its on-site clock
    runs, so the line says to link the two, not to file the repair again. True when said."""
    from dutyctl.cli.calls import helping
    from dutyctl.residents import place_of
    from dutyctl.tickets.find import emergency_repair_open_at

    place = place_of(record)
    repair = place and helping(
        lambda: emergency_repair_open_at(session.store, session.config, place))
    if not repair:
        return False
    from dutyctl.commandwords import said
    from dutyctl.textwidth import shorten
    from dutyctl.timeutil import local_time
    from dutyctl.views import record_text

    names = session.names
    echo(t("{place} has {urgency} repair {repair} open already ({text}, filed {at}), its time "
           "limits running: if it is this emergency's, link them: dutyctl {link} {emergency} "
           "{repair}", place=names.room_line(place),
           urgency=names.urgency(REPAIR, repair.get("urgency")), repair=repair.short_id,
           text=shorten(names.text(record_text(repair)), 30),
           at=local_time(repair.created_at, session.config.tz), link=said("link"),
           emergency=record.short_id), err=True)
    return True


def _on_call_text(session: Session, moment, short_id: str) -> str | None:
    """Who is on call at home (备班) as the emergency opens (`callout.on_call_now`), and how
    to call them in for it (`--emergency` with its id: the call-out is then linked to the
    emergency, and shown in its history and the handover): at night the technician the clerk
    phones first. None without one (or without a roster)."""
    from dutyctl.desk.callout import on_call_now
    from dutyctl.timeutil import local_time

    on_call = on_call_now(session.workspace, moment)
    if not on_call.people:
        return None
    names, tz = session.names, session.config.tz

    def person(one) -> str:
        staff, role = names.person(one.slot.staff), names.role(one.slot.role)
        if one.return_unrecorded:
            return t("{staff} ({role}, a call-out of {since} never ended)", staff=staff,
                     role=role, since=local_time(one.call_out.created_at, tz))
        if one.call_out:
            return t("{staff} ({role}, called out since {since})", staff=staff, role=role,
                     since=local_time(one.call_out.created_at, tz))
        return t("{staff} ({role})", staff=staff, role=role)

    people = t(", ").join(map(person, on_call.people))
    if on_call.to_call_in:
        return t("on call at home: {people}; to call one in for this emergency: dutyctl "
                 "{command} {staff} --emergency {id}", id=short_id, people=people,
                 command=said("callout", "start"), staff=names.person(on_call.to_call_in))
    if on_call.to_end_first:  # at home in fact: the old call-out ended first, then called in
        staff = names.typed(on_call.to_end_first)
        return t("on call: {people}; to call one in for this emergency, end the old call-out "
                 "when they came back ('dutyctl {end} {staff} --at \"TIME BACK\"'), then: "
                 "dutyctl {command} {staff} --emergency {id}", people=people,
                 end=said("callout", "end"), staff=staff, command=said("callout", "start"),
                 id=short_id)
    # a command that would only be refused is never offered; out, not at home
    return t("on call: {people}: nobody left to call in", people=people)


def _procedure_text(guide: dict, short_id: str) -> str:
    lines = [t("{name} procedure:", name=guide["name"])]
    lines += [f"  {number}. {step}" for number, step in enumerate(guide["steps"], 1)]
    lines.append(t("notify:"))
    lines += ["  - " + (t("{name} (outside body)", name=contact["name"]) if contact["outside"]
                        else contact["name"])
              + (f" {contact['phone']}" if contact["phone"] else "")
              for contact in guide["contacts"]]
    if guide["hotline"]:
        lines.append(t("service center hotline: {phone}", phone=guide["hotline"]))
    lines.append(t("log each step: dutyctl emergency log {id} \"what was done\"; close: "
                   "dutyctl emergency close {id} --summary \"how it ended\"", id=short_id))
    return "\n".join(lines)


@emergency_app.command("log")
def emergency_log(ctx: typer.Context, record_id: str = TICKET_REF,
                  text: str = typer.Argument(None, metavar="CONTENT",
                                             help="The step taken or notification made."),
                  content: str = typer.Option(None, "--content",
                                              help="The step, as complaints and repairs take "
                                                   "their text (instead of CONTENT)."),
                  at: str = options.AT, staff: str = options.STAFF) -> None:
    """Log a step or notification of an open emergency."""
    from dutyctl.errors import InputError
    from dutyctl.tickets import lifecycle

    if text is not None and content is not None:
        raise InputError(lambda name: t("give the step once, after the record or as {flag}, "
                                        "not both",
                                        flag=name("content")))
    if text is None and (content is None or not content.strip()):
        # `--内容 " "` is as missing: said by the option to fill, not the argument's name
        text = ctx.obj.need(None, "--content", t("the step taken"))
    text = content if text is None else text  # an empty CONTENT: refused by the core
    _step(ctx, lifecycle.log_emergency, record_id, text, kind=_emergency_kind(), at=at,
          staff=staff)


@emergency_app.command("close")
def emergency_close(ctx: typer.Context, record_id: str = TICKET_REF,
                    summary: str = typer.Option(..., "--summary", help="How it ended."),
                    at: str = options.AT, staff: str = options.STAFF) -> None:
    """Close an emergency with a summary."""
    from dutyctl.tickets import lifecycle

    session: Session = ctx.obj
    record, moment, by = session.step_on(record_id, at, staff, (_emergency_kind(),))
    closed = lifecycle.close_emergency(session.store, record, summary, at=moment, by=by)
    session.recorded(closed)
    from dutyctl.cli.announce import announce_after, entered_late
    from dutyctl.notify.settings import EMERGENCY_CLOSED
    from dutyctl.notify.texts import Texts

    announce_after(session, EMERGENCY_CLOSED, lambda: Texts(session.workspace).emergency_closed(
        closed, entered_late(session, closed.events[-1].at)), record=closed.id)


# -- search -----------------------------------------------------------------------------------

SEARCH_LIMIT = options.NEWEST_SHOWN  # the most recent matches a search shows unless --limit
SEARCH_COLUMNS = [("id", N_("id")), ("kind", N_("kind")), ("time", N_("time")),
                  ("status", N_("status")), ("room", N_("room")), ("name", N_("name")),
                  ("phone", N_("phone")), ("match", N_("match"))]


def search(ctx: typer.Context,
           words: list[str] = typer.Argument(..., metavar="WORDS...",
                                             help="Every word must appear (Chinese works "
                                                  "without spaces: 漏水)."),
           kind: str = typer.Option(None, "--kind", help="Only this kind (id or word: 投诉)."),
           open_only: bool = typer.Option(False, "--open", help="Only records not yet closed."),
           since: str = typer.Option(None, "--since", metavar="DATE", help="From this date."),
           until: str = typer.Option(None, "--until", metavar="DATE",
                                     help="Up to this date, included."),
           limit: int = typer.Option(SEARCH_LIMIT, "--limit", metavar="COUNT",
                                     help="Show the COUNT most recent matches (0: all of them)."),
           fmt: str = options.FORMAT, show_phone: bool = options.SHOW_PHONE,
           wide: bool = options.WIDE) -> None:
    """Find records by their text, history included: the most recent matches, oldest first."""
    from dutyctl import queries, timeutil, views
    from dutyctl.errors import InputError
    from dutyctl.schema import phones_masked
    from dutyctl.tickets.search import find

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    tz, now = session.config.tz, session.now()
    first, last = timeutil.parse_span(since, until, tz, now)
    kind, _, _ = queries.resolve_filters(session.config, kind=kind, since=first, until=last)
    if not any(word.strip() for word in words):
        raise InputError(t("nothing to search for: give a word (漏水, 3-2-501, ...)"))
    newest = options.newest_shown(limit, False, False)  # (--limit -1 refused there)
    hits, problems, more = find(session.store, " ".join(words), session.config,
                                kinds=(kind,) if kind else None, since=first, until=last,
                                open_only=open_only, newest=newest)
    session.report_skipped(problems)
    full = fmt != "table"
    # a table names as `list` does: 值班记录·记事, 3号楼 (data formats keep kinds and keys)
    names = session.names  # the data formats keep kinds and keys (record_row), not in the text
    whole = session.show_phone(show_phone)  # a number in the text as the phone field shows it
    rows = [{**views.record_row(hit.record, tz, whole, full, names),
             "match": hit.snippet if whole else phones_masked(hit.snippet)} for hit in hits]
    if more:
        echo(t("showing the {count} most recent matches: --limit 0 shows them all",
               count=limit), err=True)
    empty = _nothing_found(" ".join(words))
    session.emit(rows, fmt, views.data_columns(SEARCH_COLUMNS) if full else SEARCH_COLUMNS,
                 empty=empty, wide=wide,
                 optional=views.list_optional(session.show_phone(show_phone)))


def _nothing_found(query: str) -> str:
    """What `search` says when nothing matches: for a room, where its records are (not the
    phone hint its digits looked like); for a number a phone field holds (not searched: a
    match would show it), where a caller's are; for letters alone (zx, zhuangxiu) that the
    text is matched as written, not by pinyin."""
    from dutyctl.commandwords import said
    from dutyctl.rooms import is_room, normalise

    typed = " ".join(query.split())
    if is_room(normalise(typed)):
        return t("no record matches; the records of a room: dutyctl {room} {typed}",
                 room=said("room"), typed=normalise(typed))
    digits = typed.replace("-", "").replace(" ", "")
    if digits.isdigit() and len(digits) >= 4:
        return t("no record matches: phone numbers are not searched; a caller's records: "
                 "dutyctl {caller} with the whole number", caller=said("caller"))
    if typed.replace(" ", "").isascii() and typed.replace(" ", "").isalpha():
        return t("no record matches: the words are matched as written (漏水, 张三), not by "
                 "pinyin")
    return t("no record matches")


def register(app: typer.Typer, only: str | None = None) -> None:
    """This module's commands: a group per ticket kind (KindSpec.ticket), callback, emergency,
    search, settle and restore. `only`: the one command about to run (dutyctl.cli.program names it),
    so that a ticket kind's group is built, and its kind module imported, only when it runs:
    every ticket kind means importing every kind module."""
    from dutyctl.records import declares, ticket_kinds

    if only is None:
        kinds = ticket_kinds()
    else:
        kinds = (only,) if only not in OWN_COMMANDS and declares(only, "ticket") else ()
    own = {COMPLAINT: complaint_app, REPAIR: repair_app}
    for kind in kinds:
        app.add_typer(own.get(kind) or ticket_app(kind), name=kind)
    app.add_typer(callback_app, name="callback")
    app.add_typer(emergency_app, name="emergency")
    app.command("search")(search)
    app.command("settle")(settle)
    app.command("restore")(restore)
    app.command("link")(link)
