"""The shift desk: clock in/out, checklist, handover, attendance (seed 3.4, 3.5, 4.1).

Creating commands print ids on stdout (one per line); what the desk should read (verdicts,
open items, warnings) goes to stderr, so scripts can take stdout as it is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import List, Optional

import typer

from dutyctl.cli import options
from dutyctl.cli import session as session_module
from dutyctl.cli.session import Session, echo, places_open
from dutyctl.errors import DutyError, InputError, NotFound
from dutyctl.folding import half_width
from dutyctl.messages import N_, gettext, t, tn, tp

clock_app = typer.Typer(help="Duty registration (值班登记): clock in and out against the "
                             "roster.", no_args_is_help=True)
checklist_app = typer.Typer()  # help: the callback's docstring
callout_app = typer.Typer(help="Call-outs (备班出勤): the person on call at home called in, "
                               "and back.", no_args_is_help=True)
handover_app = typer.Typer()  # help: the callback's docstring

# a checklist item's answer at the terminal, as a clerk types it (没问题, 坏了: not only the
# two words offered)
OK_WORDS = ("ok", "o", "y", "yes", "好", "好的", "正常", "没问题", "无问题", "是", "对", "完好",
            "可以", "√", "✓")
PROBLEM_WORDS = ("problem", "p", "n", "no", "x", "问题", "有问题", "不正常", "异常", "否", "不",
                 "不好", "不行", "坏的", "有故障", "不能用", "用不了",
                 "坏了", "坏", "故障", "×", "✗")
PERSON = typer.Option(None, "--staff", metavar="STAFF",
                      help="Only this staff member (id or name).")


def _say(text: str) -> None:
    echo(text, err=True)


_ask, _yes = session_module.ask, session_module.confirm


def _interactive() -> bool:
    return session_module.interactive()  # looked up at call time: tests monkeypatch it


_need = Session.need


def _person(session: Session, staff: str | None, moment: datetime) -> str:
    """Who clocks, checks or hands over: --staff or $DUTYCTL_USER, never guessed from the
    roster (asked at a terminal, as --staff). The rest is `Session.actor`'s, as on every
    command: a refused $DUTYCTL_USER says where it came from, and one naming someone gone
    home while others are on duty is said once the step is written."""
    if not staff and not session_module.user_named():
        from dutyctl.desk.rostered import resolve_actor

        # a name or an id, asked again when it names nobody (老孙 for 孙丽)
        staff, = Session.need_all((staff, "--staff", t("your name"), lambda answer:
                                   resolve_actor(session.workspace, answer, moment)))
    return session.actor(staff, moment)


def _say_back_soon(session: Session, desk, from_user: datetime | None, person: str,
                   verdict) -> None:
    """After a clock-in whose person $DUTYCTL_USER named (`from_user`: its moment): a line
    when they clocked out of their own duty too recently (`ShiftDesk.back_soon`) and this
    clock-in is for no shift of theirs in a roster read (unrostered: not when it could not be
    compared), whoever else is on duty."""
    from dutyctl.kinds.duty import UNROSTERED

    if from_user is None or verdict.verdict != UNROSTERED:
        return
    duty = desk.back_soon(person, from_user)
    if duty is not None:
        session.say_back_soon(duty, from_user)


def _local(moment: datetime | None, tz, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(tz).strftime(fmt) if moment else ""


def _moment(moment: datetime | None, tz) -> datetime | None:
    """A time in a listed row: ISO in json/yaml/csv, to the minute in a table."""
    return moment.astimezone(tz) if moment else None


# -- clock ------------------------------------------------------------------------------------


def _desk(session: Session):
    from dutyctl.desk.shiftdesk import ShiftDesk

    return ShiftDesk(session.workspace)


def _names(session):
    return session.names


def _clock_in_text(verdict, person: str, moment: datetime, session: Session) -> str:
    """One whole sentence per outcome (translators need the sentence, not pieces)."""
    from dutyctl.desk.attendance import LATE, ON_TIME, UNROSTERED

    config, names = session.config, session.names
    said = {"staff": names.person(person), "at": _local(moment, config.tz)}
    if verdict.verdict == ON_TIME:
        said.update(slot=names.slot_of(verdict.slot), minutes=verdict.early_minutes,
                    norm=config.arrive_early_minutes)
        if verdict.early_minutes >= config.arrive_early_minutes:
            return t("{staff} clocked in at {at}: on time for {slot}, {minutes} min early", **said)
        if verdict.early_minutes:  # a reminder of the handover norm, not an anomaly
            return t("{staff} clocked in at {at}: on time for {slot}, {minutes} min early (the "
                     "handover norm is {norm} min early)", **said)
        return t("{staff} clocked in at {at}: on time for {slot} (the handover norm is {norm} "
                 "min early)", **said)
    if verdict.verdict == LATE:
        return t("{staff} clocked in at {at}: LATE by {minutes} min for {slot} (grace {grace} "
                 "min)", minutes=verdict.late_minutes, slot=names.slot_of(verdict.slot),
                 grace=config.grace_minutes, **said)
    if verdict.verdict == UNROSTERED and verdict.next_slot:
        return t("{staff} clocked in at {at}: NOT ROSTERED now, recorded and flagged; next "
                 "rostered: {slot}", slot=names.slot_of(verdict.next_slot), **said)
    if verdict.verdict == UNROSTERED:
        return t("{staff} clocked in at {at}: NOT ROSTERED now, recorded and flagged", **said)
    return t("{staff} clocked in at {at}: not compared with a roster", **said)


@clock_app.command("in")
def clock_in(
    ctx: typer.Context,
    note: str = typer.Option(None, "--note", help="A remark kept with the clock-in."),
    at: str = options.AT,
    staff: str = options.STAFF_NAMED,
) -> None:
    """Register the start of duty, compared with the roster; prints the new duty id.

    On time, late by N minutes (after attendance.grace_minutes), or not rostered (allowed,
    flagged). Refused with exit 2, nothing written, when already clocked in."""
    session: Session = ctx.obj
    moment = session.happened(at)
    person = _person(session, staff, moment)
    from_user = session.take_user_moment()  # a clock-in asks back_soon, not gone_home
    desk = _desk(session)
    done = desk.clock_in(person, moment, note)
    from dutyctl.words import attendance_word

    session.commit(done.paths, lambda: t(
        "clock in {staff}: {id} ({verdict})", staff=session.names.person(person),
        id=done.duty.short_id, verdict=attendance_word(done.verdict.verdict)))
    echo(done.duty.id)
    _say(_clock_in_text(done.verdict, person, moment, session))
    _say_back_soon(session, desk, from_user, person, done.verdict)
    for waiting in done.waiting:
        _say(t("handover {id} from {sender} waits for you: dutyctl handover accept {id}",
               id=waiting.short_id, sender=session.names.person(waiting.get("from"))))


def _clock_out_text(plan, person: str, session: Session) -> str:
    from dutyctl import timeutil

    config, names = session.config, session.names
    worked = timeutil.elapsed(plan.duty.created_at, plan.at)
    hours, minutes = divmod(int(worked.total_seconds() // 60), 60)
    said = {"staff": names.person(person), "at": _local(plan.at, config.tz), "hours": hours,
            "minutes": minutes}
    verdict = plan.verdict
    if not verdict.known:
        return t("{staff} clocked out at {at} after {hours}h{minutes:02d}: not compared with a "
                 "roster", **said)
    if verdict.slot is None:
        return t("{staff} clocked out at {at} after {hours}h{minutes:02d}: not rostered", **said)
    said["slot"] = names.slot_of(verdict.slot)
    if verdict.early_minutes:  # 9小时25分, not 565 分钟: a length the supervisor reads at once
        from dutyctl.tickets.deadlines import span

        return t("{staff} clocked out at {at} after {hours}h{minutes:02d}: LEFT EARLY by "
                 "{early} from {slot}", early=span(timedelta(minutes=verdict.early_minutes)),
                 **said)
    return t("{staff} clocked out at {at} after {hours}h{minutes:02d}: shift done, {slot}",
             **said)


def _ask_notes() -> list[str]:
    notes = []
    while True:
        text = _ask(t("free-text item (empty line to finish)"), default="",
                            show_default=False)
        if not text.strip():
            return notes
        notes.append(text.strip())


@clock_app.command("out")
def clock_out(
    ctx: typer.Context,
    no_handover: bool = typer.Option(False, "--no-handover",
                                     help="Leave without a written handover although someone "
                                          "takes over (needs --reason)."),
    reason: str = typer.Option(None, "--reason", help="Why there is no handover."),
    at: str = options.AT,
    staff: str = options.STAFF_NAMED,
) -> None:
    """End the duty; prints the duty id (and the id of a handover written here).

    Leaving early is flagged. When the roster has someone taking over and no handover was
    written during this duty, asks for one at a terminal; without one, pass --no-handover
    --reason TEXT, else it refuses (exit 2, nothing written)."""
    session: Session = ctx.obj
    if reason and not no_handover:
        raise InputError(t("--reason goes with --no-handover"))
    moment = session.happened(at)
    person = _person(session, staff, moment)
    desk = _desk(session)
    plan = desk.plan_clock_out(person, moment)
    to, notes = None, []
    if plan.needs_handover:
        if no_handover:
            reason = _need(reason, "--reason", t("why there is no handover"))
        elif _interactive() and _yes(tn("{relief} takes over for {slot}. Write the handover now?",
                                        "{relief} take over for {slot}. Write the handover now?",
                                        len(plan.successors),
                                        relief=_people(session, plan.successors),
                                        slot=desk.relief_said(plan)),
                                     default=True):
            to = _ask_recipients(session, plan.successors, moment)
            notes = _ask_notes()
        elif _interactive():
            reason = _need(reason, "--reason", t("why there is no handover"))
    # taken before the clock-out is written, not by `commit` after it: then this very
    # clock-out (ending at `moment`, the relief on duty) would read as the person gone home,
    # and every clock-out at a handover would be warned of a DUTYCTL_USER left set
    left = session.take_gone_home()
    # before the clock-out: who is on duty now; a clock-out recorded later than it happened
    # is not told (who was on duty then is not what is open now)
    unattended = desk.left_unattended(plan) \
        if abs(session.now() - moment) <= LIVE_CLOCK_OUT else []
    done = desk.clock_out(plan, handover_to=to, notes=notes, no_handover_reason=reason)
    session.commit(done.paths, lambda: t("clock out {staff}: {id}",
                                         staff=session.names.person(person),
                                         id=done.duty.short_id))
    echo(done.duty.id)
    if done.handover:
        echo(done.handover.id)
    _say(_clock_out_text(plan, person, session))
    for twin in done.twins:
        _say(t("{staff} was clocked in on another desk too (duty {id}, {at}; the desks had not "
               "synced): ended with this clock-out, the time counted once",
               staff=session.names.person(person), id=twin.short_id,
               at=_local(twin.created_at, session.config.tz)))
    if unattended:
        _say(tn("nobody is on duty now: {relief} has not clocked in for {slot} yet (nobody "
                "leaves before the relief arrives): call them, or the supervisor",
                "nobody is on duty now: {relief} have not clocked in for {slot} yet (nobody "
                "leaves before the relief arrives): call them, or the supervisor",
                len(unattended), relief=_people(session, unattended),
                slot=desk.relief_said(plan)))
    _say_unfiled(session, done.unfiled)
    if left is not None:
        session.say_left_set(left)
    if plan.needs_handover and done.handover is None and reason:
        _left_unhanded(session, plan, moment)
    elif no_handover:
        _no_handover_owed(session, plan, reason)
    elif plan.covered_by is not None and done.handover is None:
        _say(_covered_line(session, plan.covered_by))


#: a clock-out this close to the desk's clock is the clerk leaving now
LIVE_CLOCK_OUT = timedelta(minutes=30)


def _covered_line(session: Session, covered) -> str:
    """The line saying a colleague handed the shift over for the clerk leaving (who, with which
    handover, to whom, when), on its own or inside the --no-handover line: one sentence,
    translated once."""
    from dutyctl.kinds.handover import recipients

    return t("handed over for the shift by {giver}: handover {id} to {takers}, written at "
             "{time}", giver=session.names.person(covered.get("from")), id=covered.short_id,
             takers=_people(session, recipients(covered.fields)),
             time=_local(covered.created_at, session.config.tz))


def _no_handover_owed(session: Session, plan, reason: str | None) -> None:
    """--no-handover where no handover is owed (nobody takes over, or one was written, by
    the clerk or for the shift by a colleague): the clock-out made as asked (exit 0), with one
    line saying the option was not needed and why (a colleague's handover said there, not on
    a line of its own), and what became of a --reason given: recorded with the clock-out when
    no handover is, else not (the handover is)."""
    from dutyctl.commandwords import said_option
    from dutyctl.rulesfile import RULES_FILE, rules_path

    option, handed = said_option("--no-handover", "clock out"), plan.handover or plan.covered_by
    if plan.handover is not None:
        said = t("{option} not needed: handover {id} was written for this duty; clocked out",
                 option=option, id=plan.handover.short_id)
    elif plan.covered_by is not None:
        said = t("{option} not needed: {covered}; clocked out", option=option,
                 covered=_covered_line(session, plan.covered_by))
    elif not rules_path(session.workspace).is_file():
        said = t("{option} not needed: this site keeps no roster (rosters/{rules}), so nobody "
                 "is due to take over and no handover is owed; clocked out", option=option,
                 rules=RULES_FILE)
    else:
        said = t("{option} not needed: nobody on the roster takes over now, so no handover is "
                 "owed; clocked out", option=option)
    if reason:
        said = t("{said}; {reason}", said=said, reason=t(
            "the reason given is not recorded: the handover is") if handed else t(
            "the reason given is recorded with the clock-out"))
    _say(said)


def _left_unhanded(session: Session, plan, moment: datetime) -> None:
    """A clock-out without a handover (--no-handover --reason) while items are open: how many
    of each kind nobody was handed in writing, and where the relief finds them."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.desk.handover import open_items

    items = open_items(session.store, moment)
    if not items:
        return
    _say(tn("left without a handover: {count} open item ({kinds}) was not handed over in "
            "writing to {relief}; they find it with dutyctl {command}",
            "left without a handover: {count} open items ({kinds}) were not handed over in "
            "writing to {relief}; they find them with dutyctl {command}", len(items),
            kinds=_kinds_counted(items), relief=_people(session, plan.successors),
            command=f"{said('list')} {said_option('--open', 'list')}"))


@clock_app.command("status")
def clock_status(ctx: typer.Context, fmt: str = options.FORMAT) -> None:
    """Who is clocked in now (duties not yet clocked out)."""
    from dutyctl import timeutil
    from dutyctl.desk.attendance import left_open
    from dutyctl.desk.clocking import on_duty_now
    from dutyctl.desk.rostered import chain_slots
    from dutyctl.desk.sessions import window

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    tz, now = session.config.tz, session.now()
    rows = []
    open_duties = on_duty_now(session.store)
    chain = chain_slots(session.workspace, now) if open_duties else []
    for record in open_duties:
        slot = record.get("slot") or {}
        rows.append({"id": record.id if fmt != "table" else record.short_id,
                     "staff": record.get("staff"), "since": _moment(record.created_at, tz),
                     "verdict": record.get("verdict"), "shift": slot.get("shift"),
                     "role": slot.get("role"),
                     "until": _moment(timeutil.from_iso(slot.get("end")), tz),
                     # its shifts long over (连班 chained, as attendance and `who` chain
                     # them): the clock-out forgotten (未签退)
                     "left_open": left_open(record, now, window(session.config), chain)})
    if fmt == "table":
        rows = _status_words(rows, session)
    columns = [("id", N_("id")), ("staff", N_("staff")), ("since", N_("since")),
               ("verdict", N_("verdict")), ("shift", N_("shift")), ("role", N_("role")),
               ("until", N_("shift ends"))]
    if fmt != "table":  # a table says it in the verdict's column
        columns.append(("left_open", N_("not clocked out")))
    session.emit(rows, fmt, columns, empty=t("nobody is clocked in"))


def _status_words(rows: list[dict], session: Session) -> list[dict]:
    """`clock status` for people: names, shift and role names, the verdict in words."""
    from dutyctl.roster.onduty import cached_rules
    from dutyctl.words import attendance_word

    from dutyctl.errors import DutyError

    names, roles = _names(session), session.config.roles
    try:
        rules = cached_rules(session.workspace)
    except DutyError:  # broken rules: `check` says so; the status still lists who is in
        rules = None
    for row in rows:
        shift = rules.shift(row["shift"]) if rules and row["shift"] else None
        verdict = attendance_word(row["verdict"]) if row["verdict"] else ""
        if row.pop("left_open"):  # said in the verdict's column: a table has no other for it
            verdict = t("{verdict}; not clocked out", verdict=verdict) if verdict else \
                tp("status", "not clocked out")
        row.update(staff=names.short_person(row["staff"]), verdict=verdict,
                   shift=shift.name if shift else row["shift"],
                   role=roles.name(row["role"]) if row["role"] else None)
    return rows


# -- checklist --------------------------------------------------------------------------------


def _ask_item(item: str, name: str, open_problem, tz):
    """One item at the terminal: (answer, record the earlier problem fixed?)."""
    from dutyctl.desk.checklist import Answer

    if open_problem is not None:
        _say(t("  {item} has an open problem since {since}: {note}", item=name,
               since=_local(open_problem.created_at, tz), note=open_problem.get("note")))
    while True:
        # the default in the clerk's words (正常), as the choices are: it is one of OK_WORDS
        reply = _ask(t("{item} [ok/problem]", item=name),
                     default=tp("checklist answer", "ok"))
        # typed in full-width mode (ｏｋ, a full-width space), or 。 after the word
        reply = half_width(reply).strip().rstrip("。.!！").lower()
        if reply in OK_WORDS:
            fixed = open_problem is not None and _yes(
                t("record the open problem of {item} fixed?", item=name), default=False)
            return Answer(item, True), fixed
        if reply in PROBLEM_WORDS:
            note = _ask(t("what is wrong with {item}", item=name))
            return Answer(item, False, note), False
        _say(t("answer ok or problem"))


def _with_note(answer, checklist):
    """A problem given by flag without its --note: asked at a terminal, else refused."""
    if answer.ok or answer.note:
        return answer
    note = _need(None, "--note", t("what is wrong with {item}",
                                   item=checklist.name(answer.item)))
    return type(answer)(answer.item, False, note)


@checklist_app.callback(invoke_without_command=True)
def checklist(
    ctx: typer.Context,
    ok: Optional[List[str]] = typer.Option(None, "--ok", metavar="ITEM|all",
                                           help="Items found ok; 'all' = every item not named "
                                                "by --problem or --fixed. Repeatable."),
    problem: Optional[List[str]] = typer.Option(None, "--problem", metavar="ITEM",
                                                help="An item found wrong; repeatable."),
    note: Optional[List[str]] = typer.Option(None, "--note", metavar="NOTE",
                                             help="What is wrong: the n-th --note goes with "
                                                  "the n-th --problem."),
    fixed: Optional[List[str]] = typer.Option(None, "--fixed", metavar="ITEM",
                                              help="Item ok now: also record its open problem "
                                                   "fixed. Repeatable."),
    at: str = options.AT,
    staff: str = options.STAFF_NAMED,
) -> None:
    """Run the readiness checklist of dutyctl.yaml; prints the run's id.

    At a terminal, asks item by item (ok / problem + note). For scripts: --ok all, or
    --ok all --problem printer --note "卡纸". A problem stays open, in every handover, until
    recorded fixed (dutyctl checklist fix ITEM|ID --note TEXT, or --fixed ITEM)."""
    if ctx.invoked_subcommand:
        return
    from dutyctl.desk import checklist as core

    session: Session = ctx.obj
    config, store, tz = session.config, session.store, session.config.tz
    run = core.start_run(store, config, ok=ok or (), problems=problem or (), notes=note or (),
                         fixed=fixed or ())
    moment = session.happened(at)
    person = _person(session, staff, moment)
    run.answers = [_with_note(answer, config.checklist) for answer in run.answers]
    if not _interactive():
        run.check_answered()
    for item in run.unanswered:
        run.answer(*_ask_item(item, config.checklist.name(item), run.open_before.get(item), tz))
    result = core.finish_run(store, config, run, at=moment, by=person)
    from dutyctl.words import status_word

    session.commit(result.paths, lambda: t(
        "checklist {id} by {staff}: {status}", id=result.run.short_id,
        staff=session.names.person(person),
        status=status_word(result.run.status, result.run.kind)))
    echo(result.run.id)
    _report_checklist(result, run.in_order(), tz, config.checklist)


def _report_checklist(result, answers, tz, checklist) -> None:
    from dutyctl.views import checklist_items

    good = [checklist.name(answer.item) for answer in answers if answer.ok]
    if good:
        _say(t("ok: {items}", items=checklist_items(good)))
    for record in result.new_problems:
        _say(t("PROBLEM {item}: {note} (open as {id})", item=checklist.name(record.get("item")),
               note=record.get("note"), id=record.short_id))
    for record in result.rechecked:
        _say(t("PROBLEM {item} still open since {since}: {note} ({id})",
               item=checklist.name(record.get("item")),
               since=_local(record.created_at, tz), note=record.events[-1].note,
               id=record.short_id))
    for record in result.fixed:
        _say(t("fixed: {item} ({id})", item=checklist.name(record.get("item")),
               id=record.short_id))
    for record in result.still_open:
        label = checklist.name(record.get("item"))  # what the clerk types, as screens show it
        _say(t("{name} answered ok but its problem {id} stays open: dutyctl checklist fix "
               "{item} --note TEXT", name=label, id=record.short_id,
               item=f'"{label}"' if any(c.isspace() for c in label) else label))


@checklist_app.command("fix")
def checklist_fix(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="ITEM|ID",
                                 help="A checklist item with an open problem, or a problem id."),
    note: str = typer.Option(None, "--note", help="What was done."),
    at: str = options.AT,
    staff: str = options.STAFF_NAMED,
) -> None:
    """Record a readiness problem fixed; prints the problem's id."""
    from dutyctl.desk import checklist as core

    session: Session = ctx.obj
    moment = session.happened(at)
    person = _person(session, staff, moment)
    record = core.find_problem(session.store, session.config, target)
    text = _need(note, "--note", t("what was done"))
    updated = core.fix_problem(session.store, record, at=moment, by=person, note=text)
    session.commit([updated.events[-1].path], lambda: t(
        "readiness problem {id} fixed: {item}", id=record.short_id,
        item=session.config.checklist.name(record.get("item"))))
    echo(record.id)
    _say(t("fixed: {item} ({id})", item=session.config.checklist.name(record.get("item")),
           id=record.short_id))


@checklist_app.command("problems")
def checklist_problems(ctx: typer.Context,
                       at: str = typer.Option(None, "--at", metavar="TIME",
                                              help="The problems open at this time, as they "
                                                   "stood then ('08:00', 'yesterday 20:00'; "
                                                   "a day alone: its end). Default: now."),
                       fmt: str = options.FORMAT) -> None:
    """Readiness problems still open, oldest first."""
    from dutyctl.desk import checklist as core
    from dutyctl.kinds.readiness import rechecks

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    moment = session.as_of(at) if at is not None else None
    tz, wide = session.config.tz, fmt != "table"
    names = _names(session)
    rows = [{"id": record.id if wide else record.short_id, "item": record.get("item"),
             "name": record.get("item_name") if wide
             else names.checklist(record.get("item"), record.get("item_name")),
             "since": _moment(record.created_at, tz),
             "by": record.recorded_by if wide else names.short_person(record.recorded_by),
             "note": record.get("note"),
             "rechecks": rechecks(record)}
            for record in core.open_problems(session.store, moment)]
    columns = [("id", N_("id")), ("item", N_("item")), ("name", N_("item name")),
               ("since", N_("since")), ("by", N_("by")), ("note", N_("note")),
               ("rechecks", N_("rechecks"))]
    if not wide:  # people read the item by its label; the id is for data
        columns.remove(("item", N_("item")))
    session.emit(rows, fmt, columns, empty=t("no readiness problem open"))


# -- handover ---------------------------------------------------------------------------------


def _people(session: Session, staff) -> str:
    """李娜 (lina), 王强 (wangqiang): several people by name, with the ids commands take."""
    return _names(session).people(staff)


def _ask_recipients(session: Session, suggested: list[str], moment) -> list[str]:
    """At a terminal: whom to hand over to, the rostered successors offered as the default,
    by name (typed back as they are shown)."""
    from dutyctl import people

    question = t("hand over to (several: separate with commas)")
    names = _names(session)

    def check(answer: str) -> None:  # a name mistyped is asked again (the handover's
        people.resolve_staff_list(session.workspace, [answer])  # first answer kept)

    typed = (_ask(question, check, default=t(", ").join(names.typed(person)
                                                       for person in suggested))
             if suggested else _ask(question, check))
    return people.resolve_staff_list(session.workspace, [typed])


def _item_word(item) -> str:
    """A handover item's word (回电, 备注) as its table and sheet say it."""
    from dutyctl.desk.handover import item_word

    return item_word(item.kind, item.type)


def _item_text(item, names) -> str:
    """What `_item_words` says of an item, on its line, a phone number in it masked as screens
    show it."""
    from dutyctl.output import on_one_line

    return on_one_line(names.text(_item_words(item, names)))


def _item_words(item, names) -> str:
    """A readiness problem names its checklist item by label (`打印机可用: 卡纸`); a callback
    says how often it was tried; a repair two desks dispatched to different technicians, that
    it needs a decision, as does a complaint two desks transferred to different departments."""
    from dutyctl.kinds.complaint import sends_to_departments

    if item.undecided and sends_to_departments(item.kind):  # transferred on two desks
        return t("{text} [needs a decision: transferred to {departments} on desks that had "
                 "not synced]", text=item.text, departments=t(", ").join(
                     names.department(department) for department in item.undecided))
    if item.undecided:  # dispatched to two technicians on two desks: the shift decides
        return t("{text} [needs a decision: dispatched to {people} on desks that had not "
                 "synced]", text=item.text, people=t(", ").join(
                     names.short_person(person) for person in item.undecided))
    if item.item:
        return t("{item}: {note}", item=names.checklist(item.item), note=item.text)
    if item.attempts:
        from dutyctl.words import attempt_word

        return tn("{text} [{count} attempt, last: {result}]",
                  "{text} [{count} attempts, last: {result}]", item.attempts, text=item.text,
                  result=attempt_word(item.last_attempt or ""))
    return item.text


def _show_items(session: Session, record, tz, now: datetime, names) -> None:
    """The handover's items on the screen: its open items (of many complaints, repairs and
    callbacks the most urgent, the rest counted with the command that lists every one:
    desk.handover.screen_items), the emergencies the shift closed, its log entries, notes."""
    from dutyctl.desk.handover import items_of, screen_items
    from dutyctl.kinds.handover import (CLOSED_IN_SHIFT, OPEN_ITEM, SHIFT_ENTRY, item_group,
                                        open_item_count, recipients)
    from dutyctl.output import pad
    from dutyctl.textwidth import display_width

    items = items_of(record)
    words = [_item_word(item) for item in items]
    # one column for the words, as wide as the longest ("readiness-problem" in English)
    column = max([10, *(display_width(word) for word in [*words, t("note")])])
    _say(tn("handover {id}: {sender} -> {to} at {at}, {count} open item",
            "handover {id}: {sender} -> {to} at {at}, {count} open items",
            open_item_count(record.get("items")),
            id=record.short_id, sender=names.person(record.get("from")),
            to=names.people(recipients(record.fields)),
            at=_local(record.created_at, tz)))
    groups: dict[str, list] = {OPEN_ITEM: [], CLOSED_IN_SHIFT: [], SHIFT_ENTRY: []}
    for data, item, word in zip(record.get("items") or (), items, words, strict=True):
        groups[item_group(data)].append((item, word))
    shown, left = screen_items(session.store, session.config,
                               [item for item, _ in groups[OPEN_ITEM]], now)
    word_of = {id(item): word for item, word in groups[OPEN_ITEM]}
    groups[OPEN_ITEM] = [(item, word_of[id(item)]) for item in shown]
    # the open items right under their count; the emergencies the shift closed and the
    # shift's log entries apart, each under its own heading and count
    headings = {CLOSED_IN_SHIFT: lambda count: tn(
                    "{count} emergency closed during the shift:",
                    "{count} emergencies closed during the shift:", count),
                SHIFT_ENTRY: lambda count: tn(
                    "{count} duty log entry of the shift:",
                    "{count} duty log entries of the shift:", count)}
    rooms = _rooms_width([item for group in groups.values() for item, _ in group], names)
    holders = _technicians(session, [item for item, _ in groups[OPEN_ITEM]], names)
    for group in (OPEN_ITEM, CLOSED_IN_SHIFT, SHIFT_ENTRY):
        if group in headings and groups[group]:
            _say(headings[group](len(groups[group])))
        for item, word in groups[group]:  # overdue as handed over, as `handover show` says
            _say(_item_line(item, word, column, record.created_at, tz, names, rooms,
                            holders.get(item.record)))
        if group == OPEN_ITEM and left:
            _say(_left_out(left, record))
    for text in record.get("notes") or ():
        _say(f"  {pad(t('note'), column)} {names.text(text)}")


def _item_line(item, word: str, column: int, now: datetime, tz, names, rooms: int,
               holder: str | None = None) -> str:
    """One handed-over item; `rooms`: the width of the room column (`_rooms_width`);
    `holder`: the technician a repair is with (`_technicians`)."""
    from dutyctl.output import pad

    room = names.room_line(item.room) or ""
    return (f"  {pad(word, column)} {item.record[:12]}  {pad(room, rooms)}"
            f" {_item_text(item, names)}  {_item_state(item, now, tz, holder)}")


def _technicians(session: Session, items, names) -> dict[str, str]:
    """The technician each dispatched repair among `items` is with now, by name: the night
    clerk taking over a repair saw no one to call without `show`."""
    from dutyctl.kinds.repair import KIND as REPAIR, OPEN
    from dutyctl.records import assignee

    found = {}
    for item in items:
        if item.kind != REPAIR or item.undecided or item.status == OPEN:
            continue
        try:
            staff = assignee(session.store.get(item.record))
        except DutyError:
            continue
        if staff:
            found[item.record] = names.person(staff)
    return found


def _rooms_width(items, names) -> int:
    """The room column as wide as the widest room or place listed (5号楼1单元电梯 broke the
    column at 10), at least 10."""
    from dutyctl.textwidth import display_width

    return max([10, *(display_width(names.room_line(item.room) or "") for item in items)])


def _show_lacking(done, tz, names) -> None:
    """The earlier handovers the acceptance closed as replaced (written on another desk
    before a sync): what each had that the accepted one lacks, so none of it is lost unseen."""
    from dutyctl.commandwords import said
    from dutyctl.desk.handover import lacking
    from dutyctl.output import pad
    from dutyctl.textwidth import display_width

    for earlier in done.earlier:
        items, notes = lacking(earlier, done.handover)
        if not items and not notes:
            _say(t("handover {id} written at {at} is replaced by this one; it lists nothing "
                   "this one lacks", id=earlier.short_id, at=_local(earlier.created_at, tz)))
            continue
        _say(t("handover {id} written at {at} is replaced by this one; what it lists that this "
               "one lacks (all of it: dutyctl {command} {id}):", id=earlier.short_id,
               at=_local(earlier.created_at, tz), command=said("handover", "show")))
        words = [_item_word(item) for item in items]
        column = max([10, *(display_width(word) for word in [*words, t("note")])])
        rooms = _rooms_width(items, names)
        for item, word in zip(items, words, strict=True):
            _say(_item_line(item, word, column, earlier.created_at, tz, names, rooms))
        for text in notes:
            _say(f"  {pad(t('note'), column)} {names.text(text)}")


def _left_out(left: list, record) -> str:
    """The line under the open items a screen cut short: how many more of each kind, and the
    command listing every item of the handover."""
    from dutyctl.commandwords import said

    return "  " + tn("{count} more open item not shown ({kinds}); every item: dutyctl "
                     "{command} {id}",
                     "{count} more open items not shown ({kinds}); every item: dutyctl "
                     "{command} {id}", len(left),
                     kinds=_kinds_counted(left), command=said("handover", "show"), id=record.short_id)


def _kinds_counted(items) -> str:
    """报修 2、投诉 1: how many open items of each kind, in the order first met."""
    from collections import Counter

    return t(", ").join(t("{kind} {count}", kind=word, count=count)
                        for word, count in Counter(map(_item_word, items)).items())


def _item_state(item, now: datetime, tz, holder: str | None = None) -> str:
    from dutyctl.desk.handover import is_overdue
    from dutyctl.words import status_word

    status = status_word(item.status, item.kind)
    if holder:
        status = t("{status}: {holder}", status=status, holder=holder)
    said = {"status": status, "since": _local(item.since, tz)}
    if is_overdue(item, now):
        return t("({status}, {since}, due {due}, OVERDUE)", due=_local(item.due, tz), **said)
    if item.due:
        return t("({status}, {since}, due {due})", due=_local(item.due, tz), **said)
    return t("({status}, {since})", **said)


def _acceptance_line(record, names, tz) -> str:
    """Who has accepted and who has not, by name: the handover is accepted once all have."""
    from dutyctl.desk.handover import signatures, waiting_for

    from dutyctl.kinds.handover import HANDOVER_ID, replacement
    from dutyctl.store.ids import short

    replaced = replacement(record)
    if replaced is not None:  # nobody accepts it any more: the later one instead
        return t("replaced at {at} by handover {id}, which the incoming people accept instead",
                 at=_local(replaced.at, tz), id=short(str(replaced.data.get(HANDOVER_ID))))
    signed, waiting = signatures(record), waiting_for(record)
    accepted = t(", ").join(_signature(person, event, names, tz)
                            for person, event in signed.items())
    if not waiting:
        return t("accepted by everyone: {accepted}", accepted=accepted)
    missing = names.people(waiting)
    if not signed:
        return t("not accepted yet by: {missing}", missing=missing)
    return t("accepted by {accepted}; still waiting for {missing}", accepted=accepted,
             missing=missing)


def _signature(person: str, event, names, tz) -> str:
    from dutyctl.kinds.handover import HANDOVER_ID
    from dutyctl.store.ids import short

    if event.data.get(HANDOVER_ID) and event.by != person:  # carried, and signed for them
        return t("{staff} at {at} (by {signer} instead, on handover {id}, which this one "
                 "replaced)", staff=names.person(person), at=_local(event.at, tz),
                 signer=names.person(event.by), id=short(str(event.data.get(HANDOVER_ID))))
    if event.data.get(HANDOVER_ID):  # given on the handover this one replaced, carried here
        return t("{staff} at {at} (on handover {id}, which this one replaced)",
                 staff=names.person(person), at=_local(event.at, tz),
                 id=short(str(event.data.get(HANDOVER_ID))))
    if event.by != person:
        return t("{staff} at {at} (by {signer} instead)", staff=names.person(person),
                 at=_local(event.at, tz), signer=names.person(event.by))
    return t("{staff} at {at}", staff=names.person(person), at=_local(event.at, tz))


@handover_app.callback(invoke_without_command=True)
def handover_write(
    ctx: typer.Context,
    to: Optional[List[str]] = typer.Option(
        None, "--to", metavar="STAFF",
        help="An incoming person (id or name); repeatable, or several separated by commas. "
             "Default: everyone rostered on the next shift."),
    note: Optional[List[str]] = typer.Option(None, "--note", metavar="NOTE",
                                             help="A free-text item; repeatable."),
    replaces: Optional[List[str]] = typer.Option(
        None, "--replaces", metavar="ID",
        help="An earlier handover of yours nobody accepted yet that this one replaces, "
             "whoever it was to (a wrong incoming person corrected); repeatable."),
    at: str = options.AT,
    staff: str = options.STAFF_NAMED,
) -> None:
    """Write the handover to the incoming people; prints its id.

    Addressed to everyone rostered on the next shift (all roles) unless --to names them; each
    of them accepts for themselves. Gathers every open item: emergencies in progress, open
    complaints and repairs, callbacks due, open readiness problems, plus each --note.
    Subcommands: accept, pending, show."""
    if ctx.invoked_subcommand:
        return
    from dutyctl import people

    session: Session = ctx.obj
    moment = session.happened(at)
    person = _person(session, staff, moment)
    desk = _desk(session)
    duty = desk.on_duty(person)
    if to:
        chosen = people.resolve_staff_list(session.workspace, to)
    elif _interactive():
        chosen = _ask_recipients(session, desk.successors(person, moment, duty=duty), moment)
    else:
        chosen = None  # the desk's default: everyone rostered on the next shift
    recipients = desk.recipients(person, moment, chosen, duty=duty)
    notes = list(note or [])
    if not notes and _interactive():
        notes = _ask_notes()
    written = desk.write_handover(person, recipients, notes, moment, duty=duty,
                                  replacing=replaces or ())
    record = written.record
    from dutyctl.desk.handover import left_waiting

    session.commit([record.path, *written.steps], lambda: t(
        "handover {id}: {sender} -> {to}", id=record.short_id,
        sender=session.names.person(person), to=session.names.people(recipients)))
    echo(record.id)
    _show_items(session, record, session.config.tz, moment, _names(session))
    for earlier in written.replaced:
        _say(t("it replaces handover {id} written at {at}, which nobody had accepted yet: "
               "its notes come along; the incoming people accept this one",
               id=earlier.short_id, at=_local(earlier.created_at, session.config.tz)))
    for earlier in left_waiting(session.store, record):
        _say(_not_replaced_line(earlier, record, session))
    _say_unfiled(session, written.unfiled)


def _say_unfiled(session: Session, calls) -> None:
    """The shift's calls about a complaint or repair none was filed for: said again as the
    shift is handed over, the last moment its clerk still can."""
    from dutyctl.commandwords import said
    from dutyctl.kinds.call import ticket_kind_of_call
    from dutyctl.records import kind_word
    from dutyctl.tickets.find import described

    for call in calls:
        kind = ticket_kind_of_call(session.config, call.get("category"))
        _say(t("call {call} is about a {kind} and none was filed for it: dutyctl {command} "
               "--from-call {id}", call=described(session.store, call), kind=kind_word(kind),
               command=said(kind, "file"), id=call.short_id))


def _not_replaced_line(earlier, record, session) -> str:
    """Why a handover of the same shift change from the same writer still waits beside the
    one just written: some of its people accepted it (never replaced: they accept this one
    as well), or it is to other people (if it named the wrong ones: write again replacing it)."""
    from dutyctl.commandwords import said
    from dutyctl.desk.handover import signatures, waiting_for
    from dutyctl.kinds.handover import recipients

    names, tz = session.names, session.config.tz
    signed = signatures(earlier)
    if signed:
        return t("handover {id} written at {at} is not replaced by this one: {signed} accepted "
                 "it already; it still waits for {missing}, and this one for {to}, each "
                 "accepting both", id=earlier.short_id, at=_local(earlier.created_at, tz),
                 signed=names.people(list(signed)), missing=names.people(waiting_for(earlier)),
                 to=names.people(recipients(record.fields)))
    return t("handover {id} written at {at} to {others} still waits: this one, to other "
             "people, does not replace it. If it named the wrong people, write this one again "
             "replacing it: dutyctl {command} --to {to} --replaces {id}",
             id=earlier.short_id, at=_local(earlier.created_at, tz),
             others=names.people(recipients(earlier.fields)), command=said("handover"),
             to=",".join(names.typed(person) for person in recipients(record.fields)))


@handover_app.command("accept")
def handover_accept(
    ctx: typer.Context,
    handover_id: str = typer.Argument(None, metavar="[ID]",
                                      help="Default: the one handover waiting for you."),
    clock_in: Optional[bool] = typer.Option(None, "--clock-in/--no-clock-in",
                                            help="Also clock in (asked at a terminal when not "
                                                 "on duty; default without one: no)."),
    instead_of: str = typer.Option(None, "--instead-of", metavar="STAFF",
                                   help="Accept for a named person who is not there (their "
                                        "substitute, a supervisor); recorded as such."),
    at: str = options.AT,
    staff: str = options.STAFF_NAMED,
) -> None:
    """Accept a handover for yourself (each named person signs once); prints its id, then the
    new duty id when it clocks you in. The handover is accepted once everyone named has."""
    session: Session = ctx.obj
    tz = session.config.tz
    moment = session.happened(at)
    person = _person(session, staff, moment)
    desk = _desk(session)
    also = _accept_options(staff, instead_of)
    try:
        acceptance = desk.acceptance(
            person, moment, handover_id, instead_of, also,
            lambda record, when: session.after_other_clock(record, when, typed=at))
    except NotFound as exc:
        _not_synced_yet(session, exc, handover_id, also)
        raise
    moment = acceptance.at
    if acceptance.on_duty is None and clock_in is None:
        clock_in = _interactive() and _yes(t("clock {staff} in now?",
                                             staff=session.names.person(person)), default=True)
    from_user = session.take_user_moment()  # asked below, not by commit
    done = desk.accept(acceptance, clock_in=bool(clock_in))
    said = {"id": done.handover.short_id, "staff": session.names.person(person)}
    session.commit(done.paths, (lambda: t(
        "handover {id} accepted by {staff} for {absent}",
        absent=session.names.person(acceptance.instead_of), **said))
        if acceptance.instead_of else lambda: t("handover {id} accepted by {staff}", **said))
    echo(done.handover.id)
    if done.duty:
        echo(done.duty.id)
    names = _names(session)
    _show_items(session, done.handover, tz, moment, names)
    _show_lacking(done, tz, names)
    _say(_acceptance_line(done.handover, names, tz))
    _still_waiting(session, acceptance.instead_of or person, done.handover, also)
    if done.verdict is not None:
        _say(_clock_in_text(done.verdict, person, moment, session))
    elif acceptance.on_duty is None and staff:
        # accepted for someone named by --staff: the plain `clock in` would clock in the
        # desk's $DUTYCTL_USER instead
        _say(t("{staff} is not clocked in: dutyctl clock in --staff {typed}",
               staff=session.names.person(person), typed=_as_one_word(staff)))
    elif acceptance.on_duty is None:
        _say(t("{staff} is not clocked in: dutyctl clock in", staff=session.names.person(person)))
    if from_user is None or acceptance.instead_of is None:
        return  # the person the handover names accepting: themselves, whoever went home
    if done.verdict is not None:
        _say_back_soon(session, desk, from_user, person, done.verdict)
    else:
        left = session.gone_home(from_user)
        if left is not None:
            session.say_left_set(left)


def _not_synced_yet(session: Session, exc: NotFound, handover_id: str | None,
                    also: str = "") -> None:
    """No handover waits at a desk that shares its workspace (a git remote `origin`, the one
    `sync` uses unless told another): the one the outgoing clerk wrote at another desk comes
    with the sync, which the refusal says (the incoming clerk ran `接班` before `同步`, and was
    told only that none waits). `also`: the options the accept typed (_accept_options), kept
    in the suggested line, which would otherwise accept as someone else."""
    from dutyctl.commandwords import said
    from dutyctl.store.githead import has_remote

    if handover_id is None and has_remote(session.workspace.root, "origin"):
        raise NotFound(t("{refusal}; one written at another desk comes with the sync: dutyctl "
                         "{sync}, then dutyctl {accept}", refusal=str(exc), sync=said("sync"),
                         accept=said("handover", "accept") + also)) from exc


def _accept_options(staff: str | None, instead_of: str | None) -> str:
    """The options a suggested `handover accept ID` line needs to accept as this one does:
    ` --代签 王强` (for someone else) and ` --操作人 孙丽` (by someone named), as typed."""
    from dutyctl.commandwords import said_option

    typed = [(said_option("--instead-of", "handover accept"), instead_of),
             (said_option("--staff", "handover accept"), staff)]
    return "".join(f" {option} {_as_one_word(value)}" for option, value in typed
                   if value and value.strip())


def _as_one_word(value: str) -> str:
    """A typed value as a shell word: quoted when it holds a space (\"欧阳 娜娜\")."""
    value = " ".join(value.split())
    return f'"{value}"' if " " in value else value


def _still_waiting(session: Session, person: str, accepted, also: str = "") -> None:
    """The handovers still waiting for `person` after one accepted (a second one written
    after someone else had accepted the first): the next to accept, so none is forgotten
    (`also`: the options that line needs, _accept_options)."""
    from dutyctl.desk.handover import pending_handovers

    waiting = [record for record in pending_handovers(session.store, person)
               if record.id != accepted.id]
    if waiting:
        _say(tn("{count} more handover waits for {staff}: dutyctl handover accept {id}",
                "{count} more handovers wait for {staff}, the oldest first: dutyctl handover "
                "accept {id}", len(waiting),
                staff=session.names.person(person), id=waiting[0].short_id + also))


@handover_app.command("pending")
def handover_pending(
    ctx: typer.Context,
    to: str = typer.Option(None, "--to", metavar="STAFF",
                            help="Only those still waiting for this person (id or name)."),
    fmt: str = options.FORMAT,
) -> None:
    """Handovers not yet accepted by everyone named, oldest first: who has accepted, who not."""
    from dutyctl import people
    from dutyctl.desk.handover import (is_overdue, items_of, pending_handovers, signatures,
                                       waiting_for)
    from dutyctl.kinds.handover import open_item_count, recipients

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    tz, now, wide = session.config.tz, session.now(), fmt != "table"
    if to is not None:
        to = people.resolve_staff(session.workspace, to)  # an unknown id: exit 2, not "none"
    names = _names(session)

    def who(staff) -> list[str] | str:
        return list(staff) if wide else names.people(staff)

    rows = [{"id": record.id if wide else record.short_id,
             "written": _moment(record.created_at, tz),
             "from": record.get("from") if wide else names.short_person(record.get("from")),
             "to": who(recipients(record.fields)), "accepted": who(signatures(record)),
             "waiting": who(waiting_for(record)),
             "items": open_item_count(record.get("items")),
             "overdue": sum(is_overdue(item, now) for item in items_of(record)),  # by now
             "notes": len(record.get("notes") or ()),
             # hours as attendance and the reports give them: two places in the data, one on
             # a screen (output.hours_figure, hours_text)
             "waiting_hours": _hours_given(max(timedelta(0), now - record.created_at), wide)}
            for record in pending_handovers(session.store, to)]
    session.emit(rows, fmt, [("id", N_("id")), ("written", N_("written")), ("from", N_("from")),
                             ("to", N_("to")), ("accepted", N_("accepted")),
                             ("waiting", N_("not yet")), ("items", N_("open items")),
                             ("overdue", N_("overdue")), ("notes", N_("notes")),
                             ("waiting_hours", N_("waiting h"))],
                 empty=_none_waiting(session),
                 optional=("to", "notes"))  # `to` is who accepted and who not yet, together


def _none_waiting(session: Session) -> str:
    """`handover pending` with none: at a desk sharing its workspace (a remote `origin`, as
    `_not_synced_yet`), a handover written at another desk comes with the sync."""
    from dutyctl.commandwords import said
    from dutyctl.store.githead import has_remote

    if has_remote(session.workspace.root, "origin"):
        return t("no handover waiting to be accepted; one written at another desk comes with "
                 "the sync: dutyctl {sync}", sync=said("sync"))
    return t("no handover waiting to be accepted")


def _hours_given(length: timedelta, data: bool) -> float | str:
    """A length of time in hours: its figure in the data (json, csv, a sheet: 12.17), as a
    screen says it in a table (12.2)."""
    from dutyctl.output import hours_figure, hours_text

    return hours_figure(length) if data else hours_text(hours_figure(length))


HANDOVER_ITEM_COLUMNS = [("handover", N_("handover id")), ("kind", N_("kind")),
                         ("record", N_("record id")), ("status", N_("status")),
                         ("room", N_("room")), ("text", N_("text")), ("since", N_("since")),
                         ("due", N_("due")), ("state", N_("state")), ("group", N_("group"))]


HANDOVER_FIELDS = (("id", N_("id")), ("status", N_("status")), ("from", N_("from")),
                   ("to", N_("to")), ("written", N_("written")), ("accepted", N_("accepted at")))


@handover_app.command("show")
def handover_show(
    ctx: typer.Context,
    handover_id: str = typer.Argument(..., metavar="ID", help="Id or unambiguous prefix."),
    fmt: str = options.FORMAT,
) -> None:
    """One handover: who, when, who has accepted and who not yet, every item and note."""
    from dutyctl.desk.handover import (NOTE, handover_named, is_overdue, items_of, signatures,
                                       waiting_for)
    from dutyctl.kinds.handover import (HANDOVER_ID, REPLACED, item_group, recipients,
                                        replacement)
    from dutyctl.queries import closed_at
    from dutyctl.tickets.deadlines import OVERDUE

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    tz = session.config.tz
    record = handover_named(session.store, handover_id)
    # in the handover's order (an incident report heads it); each item says its group (open,
    # closed during the shift, a log entry of the shift) in json and csv, as the handover's
    # screen lists them apart
    items = items_of(record)
    groups = [item_group(data) for data in record.get("items") or ()]
    # an item past its deadline (callback, respond, arrive, complete) when it was handed over:
    # the handover is the record of that moment
    late = [is_overdue(item, record.created_at) for item in items]
    replaced = replacement(record)
    names = _names(session)  # a phone number in a text masked as every format shows it
    document = {"id": record.id, "status": record.status, "from": record.get("from"),
                "to": list(recipients(record.fields)), "written": record.created_at,
                "accepted": closed_at(record) if record.status != REPLACED else None,
                "replaced_by": replaced.data.get(HANDOVER_ID) if replaced else None,
                "acceptances": [{"staff": person, "at": event.at, "by": event.by}
                                for person, event in signatures(record).items()],
                "waiting": waiting_for(record) if replaced is None else [],
                "items": [{**item.to_data(), "text": names.text(item.text),
                           "state": OVERDUE if overdue else None, "group": group}
                          for item, overdue, group in zip(items, late, groups, strict=True)],
                "notes": [names.text(text) for text in record.get("notes") or ()]}
    if fmt != "table":  # CSV: a row per item, then a row per note
        rows = [{"handover": record.id, **item} for item in document["items"]]
        rows += [{"handover": record.id, "kind": NOTE, "text": text}
                 for text in document["notes"]]
        if fmt == "xlsx":  # who handed over to whom, when, accepted: a sheet of its own
            session.emit_workbook(document, HANDOVER_ITEM_COLUMNS, rows,
                                  more=[_handover_sheet(session, record, document, names)])
            return
        session.emit(document, fmt, HANDOVER_ITEM_COLUMNS, rows=rows)
        return
    from dutyctl.words import status_word

    shown = {**document, "status": status_word(record.status, record.kind),
             "from": names.person(record.get("from")), "to": _people(session, document["to"])}
    for key, label in HANDOVER_FIELDS:
        value = shown[key]
        echo(t("{label}: {value}", label=gettext(label),
                     value=_local(value, tz) if isinstance(value, datetime) else value or ""))
    echo(_acceptance_line(record, names, tz))
    rows = [{"kind": _item_word(item), "id": item.record[:12],
             "status": status_word(item.status, item.kind),
             "room": names.room_line(item.room), "text": _item_text(item, names),
             "since": _local(item.since, tz),
             "due": t("{due} (overdue)", due=_local(item.due, tz)) if overdue
             else _local(item.due, tz)}
            for item, overdue in zip(items, late, strict=True)]
    if rows:
        echo("")
        session.emit(rows, "table", [("kind", N_("kind")), ("id", N_("id")),
                                     ("status", N_("status")), ("room", N_("room")),
                                     ("text", N_("text")), ("since", N_("since")),
                                     ("due", N_("due"))])
    _notes_whole(document["notes"])


def _handover_sheet(session: Session, record, document: dict, names) -> tuple:
    """The workbook's sheet of the handover itself, in words: a sheet of its items alone
    said nothing of who handed over to whom, when, and whether it was accepted."""
    from dutyctl.words import status_word

    def people(ids) -> str:
        return t(", ").join(names.person(person) for person in ids)

    row = {"id": record.id, "status": status_word(record.status, record.kind),
           "from": names.person(document["from"]), "to": people(document["to"]),
           "written": document["written"], "accepted": document["accepted"],
           "waiting": people(document["waiting"])}
    columns = [*HANDOVER_FIELDS, ("waiting", N_("waiting for"))]
    return tp("sheet", "handover"), [row], [(key, gettext(label)) for key, label in columns]


def _notes_whole(notes: list[str]) -> None:
    """A handover's notes under its items, each whole and wrapped to the screen: what the
    writer wrote by hand for the next shift (a row of the items' table cut them short, even
    at 120 columns)."""
    from dutyctl.output import terminal_width, visible, wrap

    if not notes:
        return
    echo("")
    label = t("{label}: {value}", label=t("note"), value="")  # 备注：, as the lines above
    for text in notes:
        for line in wrap(visible(" ".join(text.split())), terminal_width(),
                         first_indent=label, next_indent="  "):
            echo(line)


# -- attendance -------------------------------------------------------------------------------

SUMMARY_COLUMNS = [("staff", N_("staff")), ("name", N_("name")), ("rostered", N_("rostered")),
                   ("attended", N_("attended")), ("late", N_("late")),
                   ("late_minutes", N_("late min")), ("early_leaves", N_("early")),
                   ("early_minutes", N_("early min")), ("absent", N_("absent")),
                   ("on_leave", N_("on leave")), ("upcoming", N_("upcoming")),
                   ("unrostered", N_("unrostered")),
                   ("on_duty", N_("on duty")), ("open", N_("no clock-out")),
                   ("hours_worked", N_("hours worked")),
                   ("hours_rostered", N_("hours rostered")),
                   ("on_call_duties", N_("on-call duties")), ("call_outs", N_("call-outs")),
                   ("hours_call_out", N_("call-out h")),
                   ("call_outs_open", N_("call-outs not ended")),
                   ("statutory_holiday_hours", N_("statutory holiday h"))]
#: the attendance table's columns a narrow terminal does without first (a month still
#: running: the shifts to come, who is on duty now)
SHOWN_IF_ROOM = ("upcoming", "on_duty", "unrostered")
#: the attendance table's columns shown even when every figure in them is nought
ALWAYS_SHOWN = ("name", "rostered", "attended", "absent", "hours_worked", "hours_rostered")


def _counts(value) -> bool:
    """A figure that says something: not nought, nor missing."""
    return value not in (None, 0, 0.0, "0", "0.0", "")


#: `attendance --detail`: the columns of its rows in every format (CSV and xlsx as json);
#: the shift's name is titled as the table's shift column, which shows it (a sheet keeps the
#: name and leaves the id out, cli.cellwords)
DETAIL_COLUMNS = [("date", N_("date")), ("shift", N_("shift")),
                  ("shift_name", N_("shift")), ("role", N_("role")),
                  ("staff", N_("staff")), ("start", N_("start")), ("end", N_("end")),
                  ("holiday", N_("holiday")),
                  ("statutory_holiday_hours", N_("statutory holiday h")),
                  ("clock_in", N_("in")), ("clock_out", N_("out")), ("result", N_("result")),
                  ("leave", N_("leave")),
                  ("left_early", N_("left early")), ("on_duty", N_("on duty")),
                  ("no_clock_out", N_("no clock-out")),
                  ("not_ended", N_("call-out not ended")),
                  ("late_minutes", N_("late min")), ("early_minutes", N_("early min"))]
#: what the table says in another column: the shift by its name, the result with its leave's
#: kind (病假 for "on leave"), "left early", "on duty", "no clock-out" and "not ended" in its
#: words (_detail_table)
DETAIL_FOLDED = ("shift_name", "leave", "left_early", "on_duty", "no_clock_out", "not_ended")


CALL_OUT = "call-out"  # the detail row of a call-out, beside on-time, late, absent


#: the summary's figures judged against the roster: unknown (null in JSON, an empty cell in
#: CSV and xlsx) when it could not be read, never a 0 a payroll sheet would take for real;
#: hours worked, duties left open and call-outs come from the clock-ins alone
AGAINST_ROSTER = ("rostered", "attended", "late", "late_minutes", "early_leaves",
                  "early_minutes", "absent", "on_leave", "upcoming", "unrostered",
                  "hours_rostered",
                  "on_call_duties")


def _hours_or_none(length) -> float | None:
    """Hours as the data gives them; None (unknown: null, an empty cell) for None."""
    from dutyctl.output import hours_figure

    return None if length is None else hours_figure(length)


def _summary_rows(report, names: dict, calendar=None, tz=None) -> list[dict]:
    """Per person, as the reports count at the report's moment (`attendance.still_open`);
    `statutory_holiday_hours`: their hours on statutory days (`calendar.statutory_day`),
    None without a calendar or on a day whose being one is unknown."""
    from dutyctl.desk.attendance import statutory_hours, still_open
    from dutyctl.output import hours_figure  # two places, as the reports give them

    open_ = still_open(report)
    statutory = {} if calendar is None else statutory_hours(report, calendar.statutory_day,
                                                            tz)
    rows = [{"staff": person.staff, "name": names.get(person.staff, ""),
             "rostered": person.rostered, "attended": person.attended, "late": person.late,
             "late_minutes": person.late_minutes, "early_leaves": person.early_leaves,
             "early_minutes": person.early_minutes, "absent": person.absent,
             "on_leave": person.on_leave, "upcoming": person.upcoming,
             "unrostered": person.unrostered,
             "on_duty": open_.on_duty(person.staff),
             "open": open_.clock_outs_forgotten(person.staff),
             "hours_worked": hours_figure(open_.worked(person)),
             "hours_rostered": hours_figure(person.rostered_time),
             "on_call_duties": person.on_call_duties, "call_outs": person.call_outs,
             "hours_call_out": hours_figure(person.call_out_time),
             "call_outs_open": person.call_outs_open,
             "statutory_holiday_hours": _hours_or_none(statutory.get(person.staff))}
            for person in report.people]
    if report.roster_unreadable:
        rows = [{**row, **dict.fromkeys(AGAINST_ROSTER)} for row in rows]
    return rows


def _detail_rows(report, tz, calendar=None) -> list[dict]:
    """One row per shift and per duty. A shift over (by the clock-in window, as the reports
    judge it) whose duty is still open is `no_clock_out`, not `on_duty`: the person forgot to
    clock out, and is not on duty weeks later. `holiday`: the row's day (the day its shift
    starts) is in a statutory break, the site calendar's one definition of a holiday shift
    (as the roster stats count them); None when the calendar cannot be read."""
    from dutyctl.desk.attendance import shift_spans, statutory_time, worked_span
    from dutyctl.kinds.duty import UNKNOWN, UNROSTERED

    def on_statutory(spans) -> float | None:  # the row's hours on statutory days
        return None if calendar is None else _hours_or_none(
            statutory_time(spans, calendar.statutory_day, tz))

    shifts = shift_spans(report)
    rows = []
    for outcome in report.outcomes:
        slot = outcome.slot
        forgot = outcome.forgotten
        rows.append({"date": slot.date.isoformat(), "shift": slot.shift_id,
                     "shift_name": slot.shift_name, "role": slot.role, "staff": slot.staff,
                     "start": _moment(slot.start, tz),
                     "end": _moment(slot.end, tz), "clock_in": _moment(outcome.clock_in, tz),
                     "clock_out": _moment(outcome.clock_out, tz), "result": outcome.result,
                     "leave": outcome.leave or None,
                     "left_early": bool(outcome.early_minutes),
                     "on_duty": outcome.on_duty and not forgot, "no_clock_out": forgot,
                     "not_ended": False,  # a call-out's: the same columns in every row
                     "late_minutes": outcome.late_minutes,
                     "early_minutes": outcome.early_minutes,
                     "statutory_holiday_hours": on_statutory(shifts[id(outcome)])})
    for session in report.unrostered:
        rows.append({"date": _local(session.start, tz, "%Y-%m-%d"), "staff": session.staff,
                     "clock_in": _moment(session.start, tz), "clock_out": _moment(session.end, tz),
                     # compared with no roster when it could not be read
                     "result": UNKNOWN if report.roster_unreadable else UNROSTERED,
                     # open over a day: forgotten, as the reports say (no hours)
                     "no_clock_out": report.forgot(session),
                     "statutory_holiday_hours": on_statutory(
                         [span for span in [worked_span(report, session)] if span])})
    for call in report.call_outs:
        # the on-call shift it belongs to, if any: its day, as every other row's and as the
        # month and the daily report count it (02:00 on the 1st in the night of the 31st is
        # the 31st's), and its times; the call-out's own times are its in and out
        duty = report.on_call_duty(call)
        rows.append({"date": duty.date.isoformat() if duty else _local(call.start, tz,
                                                                        "%Y-%m-%d"),
                     "staff": call.staff,
                     "shift": duty.shift_id if duty else None,
                     "shift_name": duty.shift_name if duty else None,
                     "role": duty.role if duty else None,
                     "start": _moment(duty.start, tz) if duty else None,
                     "end": _moment(duty.end, tz) if duty else None,
                     "clock_in": _moment(call.start, tz), "clock_out": _moment(call.end, tz),
                     "result": CALL_OUT, "not_ended": call.is_open,
                     "statutory_holiday_hours": on_statutory(report.call_out_spans(call))})
    for row in rows:  # the calendar keeps each day's answer
        row["holiday"] = None if calendar is None else calendar.in_statutory_break(
            date.fromisoformat(row["date"]))
    return sorted(rows, key=lambda row: (row["date"], row.get("start") or row["clock_in"],
                                         row["staff"]))


def _detail_table(rows: list[dict], session: Session, calendar=None) -> list[dict]:
    """The detail rows as a person reads them: names, not ids; times without the date twice;
    a holiday by its name (国庆节)."""
    from dutyctl.output import day_label, hours_text
    from dutyctl.words import attendance_word

    names, roles = _names(session), session.config.roles
    shown = []
    for row in rows:
        result = row.get("leave") or attendance_word(row["result"])
        if row.get("left_early"):
            result = t("{result}, left early", result=result)
        if row.get("on_duty"):
            result = t("{result}, on duty", result=result)
        if row.get("no_clock_out"):
            result = t("{result}, no clock-out", result=result)
        if row.get("not_ended"):
            result = t("{result}, not ended", result=result)
        day = date.fromisoformat(row["date"])
        hours = row.get("statutory_holiday_hours")
        shown.append({**row, "date": day_label(day),
                      "statutory_holiday_hours": "" if hours is None else hours_text(hours),
                      "holiday": calendar.break_name(day) or ""
                      if row.get("holiday") and calendar is not None else "",
                      "staff": names.person(row["staff"]),
                      # a call-out outside any on-call duty: said as one in the shift column
                      "shift": row.get("shift_name") or (
                          attendance_word(CALL_OUT) if row["result"] == CALL_OUT else ""),
                      "role": roles.name(row["role"]) if row.get("role") else "",
                      "start": _clock_time(row.get("start")), "end": _clock_time(row.get("end")),
                      "clock_in": _clock_time(row.get("clock_in")),
                      "clock_out": _clock_time(row.get("clock_out")), "result": result})
    return shown


def _call_outs_not_ended(session: Session, report) -> None:
    """Each call-out with no return recorded, on stderr with the line that ends it: its time
    counts nothing until then (paid call-out time must not disappear unseen)."""
    names = _names(session)
    for call in report.call_outs:
        if call.is_open:
            _say(t('call-out of {staff} since {since} is not ended (no return recorded): its '
                   'hours count nothing until it is; if they are back: dutyctl callout end '
                   '{staff_id} --at "TIME BACK"', staff=session.names.person(call.staff),
                   since=_local(call.start, session.config.tz),
                   staff_id=names.typed(call.staff)))


def _statutory_unknown(calendar, first: date, last: date) -> None:
    """Once per break of a year from the rules only whose statutory day the rules do not say
    (清明节 listed as three days): its hours on statutory days are not given, and how to say
    it."""
    if calendar is None:
        return
    for line in calendar.unknown_statutory_said(first, last + timedelta(days=1)):
        _say(line)


def _clock_time(moment: datetime | None) -> str:
    """`11-20 08:30` (the date column says the day)."""
    return f"{moment:%m-%d %H:%M}" if moment else ""


def attendance(
    ctx: typer.Context,
    month: str = typer.Option(None, "--month", metavar="YYYY-MM",
                              help="A whole month, e.g. 2026-11, 2026年11月, 11月 or 上个月 "
                                   "(default: this month)."),
    staff: str = PERSON,
    detail: bool = typer.Option(False, "--detail", help="One row per rostered shift and per "
                                                        "unrostered duty instead of per person."),
    fmt: str = options.FORMAT,
    at: str = options.MONTH_OF,
) -> None:
    """Attendance per person: rostered shifts, attended, late (count, minutes), early leaves,
    absences, unrostered duties, hours worked against hours rostered, call-outs and their
    hours."""
    from dutyctl import people
    from dutyctl.desk.clocking import attendance_for

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    now = session.now()
    from dutyctl import timeutil
    from dutyctl.output import month_label
    from dutyctl.roster.rosterfile import CURRENT, roster_period

    # the month as every command reads it (11月, 上个月), not only 2026-11; 11月 without a year
    # is the latest November begun, as 月报 reads it: attendance looks back at months worked
    # (from --at as `roster show` reckons them)
    first, last = roster_period(month, None, None, default=CURRENT, tz=session.config.tz,
                                now=session.reckoned_from(at), year_rule=timeutil.LATEST_BEGUN)
    if staff:
        staff = people.resolve_staff(session.workspace, staff)
    report = attendance_for(session.workspace, first, last, now, staff)
    if report.roster_unreadable and fmt == "table":  # stderr said why; the table says what
        echo(t("Not compared with the roster, as its rules could not be read: rostered "
               "shifts, lateness, absences and statutory holiday hours are unknown (left "
               "empty); hours worked and call-outs are still counted."))
    _call_outs_not_ended(session, report)
    from dutyctl.desk.clocking import site_calendar

    calendar = site_calendar(session.workspace)
    _statutory_unknown(calendar, first, last)
    if detail:
        rows = _detail_rows(report, session.config.tz, calendar)
        columns = DETAIL_COLUMNS if fmt != "table" else [
            # the verdict, never cut short as a free-text result would be (output.KEEP_WHOLE)
            ("verdict", title) if key == "result" else (key, title)
            for key, title in DETAIL_COLUMNS if key not in DETAIL_FOLDED]
        if fmt == "table":
            rows = [{**row, "verdict": row["result"]}
                    for row in _detail_table(rows, session, calendar)]
        elif fmt == "xlsx":  # a day Excel sorts and filters as one, as it does the times
            from datetime import date

            rows = [{**row, "date": date.fromisoformat(row["date"])} for row in rows]
        session.emit(rows, fmt,
                     columns, empty=t("no rostered shift and no duty in {month}",
                                             month=first.strftime("%Y-%m")),
                     period=month_label(first))
        return
    names = _names(session)
    rows, columns = (_summary_rows(report, names.staff_names, calendar, session.config.tz),
                     SUMMARY_COLUMNS)
    if fmt == "table":  # people read names (with the id when two share one); ids are for data
        from dutyctl.output import hours_text  # and hours as the reports say them: 12.2, 0.0
        from dutyctl.xlsx import is_hours  # the columns of hours, as a sheet knows them

        rows = [{**row, "name": names.short_person(row["staff"]),
                 **{key: hours_text(value) for key, value in row.items()
                    if is_hours(key) and value is not None}}
                for row in rows]
        # a column nobody has anything in is left out of the screen's table (it was 200
        # columns wide, most of them zeros); the data formats keep every one
        columns = [(key, title) for key, title in SUMMARY_COLUMNS[1:]
                   if key in ALWAYS_SHOWN or any(_counts(row.get(key)) for row in rows)]
    session.emit(rows, fmt, columns,
                 empty=t("no rostered shift and no duty in {month}", month=first.strftime("%Y-%m")),
                 optional=SHOWN_IF_ROOM, say_left_out=True,
                 totals=[key for key, _ in SUMMARY_COLUMNS[2:]],  # xlsx: a SUM row
                 period=month_label(first))


# -- call-outs --------------------------------------------------------------------------------

CALLED = typer.Argument(None, metavar="[STAFF]", help="Who is called out (id or name; default: "
                                                      "the one on call now).")


def _nobody_on_call(session: Session, person: str, moment: datetime) -> str:
    """Why `person`'s call-out at `moment` is of no on-call duty: no roster covers that day
    yet (as `who` says it), the roster's on-call place then is open, or none is rostered."""
    from dutyctl.roster.onduty import cached_rules, open_places_at
    from dutyctl.roster.rosterfile import generate_command, roster_covers

    tz = session.config.tz
    words = dict(staff=session.names.person(person), at=_local(moment, tz))
    day = moment.astimezone(tz).date()
    if not roster_covers(session.workspace, day):
        return t("no roster covers {day} yet (run '{command}'): {staff}'s call-out at {at} is "
                 "recorded all the same, outside any on-call duty", day=f"{day:%Y-%m-%d}",
                 command=generate_command(day), **words)
    try:
        lacking = open_places_at(session.workspace, cached_rules(session.workspace), moment,
                                 tz, on_call=True)
    except DutyError:  # rules that cannot be read: no place to say
        lacking = None
    if lacking:
        return t("the roster leaves the on-call place {places} open at {at}: {staff}'s call-out "
                 "is recorded all the same, outside any on-call duty",
                 places=places_open(session.config.roles, lacking), **words)
    return t("nobody is on call at {at} per the roster: {staff}'s call-out is recorded all the "
             "same, outside any on-call duty", **words)


def _called_out(session: Session, named: str | None, moment: datetime, slots: list,
                unreadable: DutyError | None) -> tuple[str, str]:
    """The person named, else the only one on call per the roster's `slots` at `moment`
    (`unreadable`: why they could not be read), and what to say once the call-out is
    recorded (a person not on call: said, not refused)."""
    from dutyctl import people
    from dutyctl.roster.onduty import staff_on_call

    if named:
        person = people.resolve_staff(session.workspace, named)
        try:  # who came is recorded whatever the roster says (attendance counts it)
            rostered = None if unreadable else staff_on_call(session.workspace, moment,
                                                             slots=slots)
        except DutyError:  # rules that cannot be read: nothing to compare with
            rostered = None
        if rostered and person not in rostered:
            return person, t("{staff} is not on call at {at} per the roster: recorded as a "
                             "call-out all the same", staff=session.names.person(person),
                             at=_local(moment, session.config.tz))
        if rostered == []:
            # recorded (they came: attendance counts it), said for whoever audits call-outs:
            # one at a time nobody was on call is no call-out of an on-call duty
            return person, _nobody_on_call(session, person, moment)
        return person, ""
    if unreadable is not None:
        raise unreadable
    on_call = staff_on_call(session.workspace, moment, slots=slots)
    if len(on_call) == 1:
        return on_call[0], ""
    away = [] if on_call else staff_on_call(session.workspace, moment, kept_off=True,
                                            slots=slots)
    if away:  # on the roster, off work by the rules since: say so, not "nobody"
        raise InputError(t("the rules keep {names} off work at {at} (leave, or not employed "
                           "that day), and nobody else is on call: name who is called out",
                           names=t(", ").join(map(session.names.person, away)),
                           at=_local(moment, session.config.tz)))
    if not on_call:
        raise InputError(t("nobody is on call at {at} per the roster: name who is called out",
                           at=_local(moment, session.config.tz)))
    raise InputError(t("several people are on call at {at}: {names}; name who is called out",
                       at=_local(moment, session.config.tz),
                       names=t(", ").join(session.names.person(person)
                                         for person in on_call)))


@callout_app.command("start")
def callout_start(
    ctx: typer.Context,
    called: str = CALLED,
    repair: str = typer.Option(None, "--repair", metavar="ID",
                               help="The repair they are called out for."),
    emergency: str = typer.Option(None, "--emergency", metavar="ID",
                                  help="The emergency in progress they come in for (its id, "
                                       "or its type or place: 停电, 3号楼): its history and "
                                       "the handover name who came in."),
    note: str = typer.Option(None, "--note", help="What for, when there is no repair."),
    at: str = options.AT,
    staff: str = options.STAFF,
) -> None:
    """Record that the person on call (at home) is called in; prints the call-out id.
    'repair dispatch' to the technician on call does this by itself."""
    from dutyctl.desk import callout

    session: Session = ctx.obj
    moment = session.happened(at)
    by = session.actor(staff, moment)
    repaired = session.store.get(repair) if repair else None
    served = None
    if emergency:
        from dutyctl.kinds.emergency import KIND as EMERGENCY
        from dutyctl.tickets.find import record_named

        served = record_named(session.store, session.config, emergency, (EMERGENCY,))
    from dutyctl.desk.rostered import moment_and_chain

    try:  # the roster read once: who is on call, and the shifts a duty ran through (连班)
        slots, chain = moment_and_chain(session.workspace, moment)
        unreadable = None
    except DutyError as exc:  # recorded all the same when someone is named
        slots, chain, unreadable = [], [], exc
    person, aside = _called_out(session, called, moment, slots, unreadable)
    record = callout.start(session.workspace, person, at=moment, by=by, repair=repaired,
                           note=note, emergency=served, slots=slots, chain=chain)
    if aside:  # only once it is recorded: a refusal after it would contradict it
        echo(aside, err=True)
    linked = [session.store.get(served.id).events[-1].path] if served is not None else []
    session.commit([record.path, *linked], lambda: t("call-out {id}: {staff}",
                                                     id=record.short_id,
                                                     staff=session.names.person(person)))
    echo(record.id)
    _say(callout.started_text(record, session.names, session.config.tz))


@callout_app.command("end")
def callout_end(
    ctx: typer.Context,
    called: str = typer.Argument(None, metavar="STAFF", help="Who is back (id or name; "
                                                             "default: the one call-out "
                                                             "under way)."),
    note: str = typer.Option(None, "--note", help="What was done."),
    at: str = options.AT,
    staff: str = options.STAFF,
) -> None:
    """Record that a call-out is over (back home): its time counts in attendance. Warns when
    the person's next shift on site starts before the rest the rules ask for."""
    from dutyctl import people
    from dutyctl.desk import callout

    session: Session = ctx.obj
    moment = session.happened(at)
    by = session.actor(staff, moment)
    person = people.resolve_staff(session.workspace, called) if called else None
    record, short = callout.end(session.workspace, person, at=moment, by=by, note=note)
    person = record.get("staff")
    session.commit([record.events[-1].path], lambda: t("call-out {id} ended",
                                                       id=record.short_id))
    minutes = int((moment - record.created_at).total_seconds() // 60)
    echo(t("call-out of {staff} ended: {hours}h {minutes:02d}m", staff=session.names.person(person),
           hours=minutes // 60, minutes=minutes % 60))
    if short is not None:
        _say(t("warning: {staff} is rostered for {shift} at {start}, only {rest:g}h after the "
               "call-out; the rules ask for {needed:g}h of rest: arrange a relief or a later "
               "start", staff=session.names.person(person), shift=short.slot.shift_name,
               start=_local(short.slot.start, session.config.tz),
               rest=round(short.rest.total_seconds() / 3600, 1),
               needed=round(short.needed.total_seconds() / 3600, 1)))
    _repair_left_open(session, record)


def _repair_left_open(session: Session, call_out) -> None:
    """The repairs a call-out served, still only dispatched when the technician is back: say
    what to record for each, or the daily report keeps it as an emergency repair nobody
    reached."""
    from dutyctl.desk.callout import repairs_served
    from dutyctl.kinds.repair import DISPATCHED, ON_SITE, arrived_since_dispatch

    for repair in repairs_served(session.store, call_out):
        if repair.status not in (DISPATCHED, ON_SITE):
            continue
        if arrived_since_dispatch(repair):
            _say(t("repair {id} is not done yet: record it with 'dutyctl repair done {id} "
                   "--result ...' (or 'repair hold' while it waits)", id=repair.short_id))
        else:
            _say(t("repair {id} has no arrival yet: record 'dutyctl repair arrive {id} --at "
                   "...' and 'dutyctl repair done {id} --result ...'", id=repair.short_id))


def register(app: typer.Typer) -> None:
    app.add_typer(clock_app, name="clock")
    app.add_typer(callout_app, name="callout")
    app.add_typer(checklist_app, name="checklist")
    app.add_typer(handover_app, name="handover")
    app.command("attendance")(attendance)
