"""Every step of a complaint, repair, callback or emergency, checked before anything is written.

Each function takes the record as read, refuses an impossible step with a clear error (exit 2,
nothing written) and otherwise appends exactly one event (or creates one record).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping

from dutyctl import choices, timeutil, words
from dutyctl.errors import InputError
from dutyctl.kinds import call as calls
from dutyctl.kinds.call import CALL, CALLBACK_DONE
from dutyctl.kinds.complaint import (COMPLAINT, HANDLE, HOLD, RECLASSIFY, REOPEN, RESOLVE,
                                     RESUME, TRANSFER, TRANSFERRED, VISIT, choose_urgency,
                                     ticket_fields, urgency_of)
from dutyctl.kinds.emergency import CLOSE, EMERGENCY, LOG
from dutyctl.kinds.repair import ARRIVE, DISPATCH, DISPATCHED, ETA, FINISH, ON_SITE, REPAIR
from dutyctl.messages import N_, t
from dutyctl.records import (LINK, Event, Record, file_record, filing, kind_spec, kind_word,
                             last_event, require_kind, ticket_kinds)
from dutyctl.schema import require_text
from dutyctl.store.ids import short_step

SATISFACTION_RANGE = range(1, 6)


# -- shared checks ----------------------------------------------------------------------------

def require_step_kind(record: Record, action: str) -> None:
    """Refuse a record whose kind has no such step, naming the ticket kinds that have it."""
    require_kind(record, *(kind for kind in ticket_kinds()
                           if action in kind_spec(kind).transitions))


def check_step(record: Record, action: str) -> None:
    """Refuse a step the record's status does not allow, saying which statuses would."""
    kind_spec(record.kind).check_transition(record, action)


def step(store, record: Record, action: str, *, at: datetime, by: str, note: str | None = None,
         data: Mapping[str, Any] | None = None) -> Record:
    """Append one event (the store refuses it before the record's last one)."""
    return store.append(record, action, at=at, by=by, note=note, data=data)


# -- filing -----------------------------------------------------------------------------------

def file_ticket(store, config, kind: str, *, at: datetime, by: str, **details) -> Record:
    require_known_kind(kind)
    return file_record(store, config, kind, at=at, by=by, **details)


def require_known_kind(kind: str) -> None:
    if kind not in ticket_kinds():
        raise InputError(t("'{kind}' is not a ticket kind ({choices})", kind=kind,
                           choices=t(", ").join(ticket_kinds())))


def file_ticket_from_call(store, config, *, resident: dict, call_category: str | None,
                          summary: str, callback_by, ticket_category: str | None,
                          urgency: str | None, at: datetime, by: str,
                          callback_typed: str | None = None) -> tuple[Record, Record]:
    """`log call --file-ticket`: the call, its complaint or repair, linked both ways."""
    from dutyctl.kinds.call import log_call

    category = choices.category_of(config, CALL.name, call_category, CALL.category)
    kind = calls.ticket_kind_of_call(config, category)
    if kind is None:
        from dutyctl.names import Names

        names = Names(config, None)  # the call categories by their labels (投诉 或 报修)
        filing_ones = [names.category(CALL.name, other) for other in calls.call_categories(config)
                       if calls.ticket_kind_of_call(config, other)]
        labels = t(" or ").join(filing_ones or map(kind_word, ticket_kinds()))
        raise InputError(lambda name: t(
            "{file_ticket} needs a call of category {choices}, not '{category}'",
            file_ticket=name("file_ticket"), choices=labels,
            category=names.category(CALL.name, category)))
    details = {"resident": resident, "category": ticket_category, "content": summary,
               "urgency": urgency}
    filing(kind)  # a kind filed otherwise: refused before the call is written
    ticket_fields(config, kind, **details)  # refused before the call is written
    call = log_call(store, config, resident=resident, category=category, summary=summary,
                    callback_by=callback_by, at=at, by=by, callback_typed=callback_typed)
    ticket = file_record(store, config, kind, **details, links=[call.id], at=at, by=by)
    call = store.append(call, LINK, at=at, by=by, data={LINK: ticket.id})
    return call, ticket


def check_linkable_call(store, call: Record, kind: str, at: datetime, person=str) -> None:
    """A ticket or emergency filed from `call`: refused when the call was voided (saying when
    and by whom: `person` names a staff id), when it already has one of that kind (naming it)
    or when the link would come before the call's last step."""
    from dutyctl.errors import DutyError, Refused
    from dutyctl.records import VOIDED, check_next_event, linked_ids, voided_by

    require_kind(call, CALL.name)
    if call.status == VOIDED:
        settled = voided_by(call)
        raise Refused(t("call {call} was voided ({at}, {by}): nothing is filed from a voided "
                        "call; if the call was real after all, log it again",
                        call=call.short_id, at=timeutil.local_time(settled.at, at.tzinfo),
                        by=person(settled.by)))
    for linked_id in linked_ids(call):
        try:
            linked = store.get(linked_id)
        except DutyError:
            continue  # a link to a missing record is `check`'s to report
        if linked.kind == kind:
            raise InputError(t("call {call} already has {kind} {id}", call=call.short_id,
                               kind=kind_word(kind), id=linked.short_id))
    check_next_event(call, LINK, at)


def file_ticket_for_call(store, config, kind: str, call: Record, *, category: str | None,
                         content: str | None, urgency: str | None, at: datetime,
                         by: str, person=str, where: str | None = None
                         ) -> tuple[Record, Record]:
    """`complaint file --from-call` / `repair file --from-call`: the resident (name, room,
    phone) taken from the call, the content by default its summary; the ticket lists the call
    in `links` and the call gets a `link` event naming the ticket. `where`: a repair's place
    when it is not the caller's room (the pump room)."""
    require_known_kind(kind)
    check_linkable_call(store, call, kind, at, person)
    ticket = file_record(store, config, kind, resident=dict(call.get("resident") or {}),
                         category=category, content=content or call.get("summary") or "",
                         urgency=urgency, links=[call.id], at=at, by=by,
                         **({"where": where} if where else {}))
    call = store.append(call, LINK, at=at, by=by, data={LINK: ticket.id})
    return call, ticket


def linked_of_kind(store, record: Record, kind: str) -> bool:
    """Is a record of `kind` linked to `record`, or to a record linked to it (the repair an
    emergency's call was filed as, with --file-ticket)? A link to a file not here (yet) is
    passed over."""
    from dutyctl.errors import DutyError
    from dutyctl.records import linked_ids

    def here(wanted):
        for linked_id in wanted:
            try:
                yield store.get(linked_id)
            except DutyError:
                continue

    near = list(here(linked_ids(record)))
    if any(linked.kind == kind for linked in near):
        return True
    passed = {record.id, *linked_ids(record)}
    beyond = dict.fromkeys(second for linked in near for second in linked_ids(linked)
                           if second not in passed)
    return any(linked.kind == kind for linked in here(beyond))


def link(store, first: Record, second: Record, *, at: datetime, by: str,
         note: str | None = None) -> tuple[Record, Record]:
    """Two records about one matter linked both ways (a call chasing an open complaint, the
    tenth call about a burst main and its emergency): a `link` step on each naming the other,
    so `show` of either lists the other and reports of the matter find its calls. Refused,
    nothing written: a record with itself, two linked already, a kind with no link step (a
    handover), a voided record, or a moment before either's last step."""
    from dutyctl.errors import Refused
    from dutyctl.records import VOIDED, check_next_event, linked_ids

    if first.id == second.id:
        raise InputError(t("a record is not linked to itself: give two records"))
    for record in (first, second):
        if LINK not in kind_spec(record.kind).transitions:
            raise InputError(t("{kind} {id} takes no link: calls, complaints, repairs and "
                               "emergencies are linked", kind=kind_word(record.kind),
                               id=record.short_id))
        if record.status == VOIDED:
            raise Refused(t("{kind} {id} is voided: it is linked to nothing",
                            kind=kind_word(record.kind), id=record.short_id))
    if second.id in linked_ids(first) or first.id in linked_ids(second):
        raise Refused(t("{first} and {second} are linked already: nothing written",
                        first=first.short_id, second=second.short_id))
    check_next_event(first, LINK, at)
    check_next_event(second, LINK, at)
    first = store.append(first, LINK, at=at, by=by, note=note, data={LINK: second.id})
    second = store.append(second, LINK, at=at, by=by, note=note, data={LINK: first.id})
    return first, second


# -- handling and resolving (complaints and any ticket kind with those steps) ------------------

def handle(store, record: Record, action: str, *, at: datetime, by: str) -> Record:
    require_step_kind(record, HANDLE)
    return step(store, record, HANDLE, at=at, by=by, note=require_text(action, "action"))


def transfer(store, config, record: Record, *, department: str, reason: str,
             told_resident: str, at: datetime, by: str) -> Record:
    require_kind(record, COMPLAINT.name)
    department = choices.resolve(department, {dept_id: dept.name for dept_id, dept
                                              in config.departments.items()},
                                 N_("unknown department '{value}'; choose one of: {choices}"),
                                 none=N_("dutyctl.yaml lists no department, so '{value}' "
                                         "cannot be one"))
    return step(store, record, TRANSFER, at=at, by=by, note=require_text(reason, "reason"),
                data={**assignment_data(record, department),
                      "told_resident": require_text(told_resident, "told_resident")})


def reclassify(store, config, record: Record, *, urgency: str, reason: str, at: datetime,
               by: str) -> Record:
    """A complaint's or repair's urgency class changed while it is open (a leak that became
    a unit's water cut: 紧急 to 急修), with why: its limits then count anew under the new
    class from `at` (`urgency_since`); one met before stays met. Refused when it is the
    class the ticket has."""
    from dutyctl.errors import Refused

    require_step_kind(record, RECLASSIFY)
    new, _ = choose_urgency(config, record.kind, "", urgency)
    old = urgency_of(record)
    if new == old:
        found = config.urgency_class(record.kind, new)
        raise Refused(t("{kind} {id} is {urgency} already; nothing written",
                        kind=kind_word(record.kind), id=record.short_id,
                        urgency=found.name if found else new))
    return step(store, record, RECLASSIFY, at=at, by=by, note=require_text(reason, "reason"),
                data={"urgency": new, "from": old})


def resolve(store, record: Record, result: str, *, at: datetime, by: str) -> Record:
    """The result, given to the resident at `at`; after a transfer, the receiving side's."""
    require_step_kind(record, RESOLVE)
    data = {}
    transferred = last_event(record, TRANSFER)
    if record.status == TRANSFERRED and transferred is not None:
        data["from_department"] = transferred.data.get("to")
    return step(store, record, RESOLVE, at=at, by=by, note=require_text(result, "result"),
                data=data)


def visit(store, record: Record, satisfaction: int, note: str | None, *, at: datetime,
          by: str) -> Record:
    """The return visit (回访): satisfaction 1-5 closes a resolved complaint or a done repair."""
    require_kind(record, *ticket_kinds())
    if satisfaction not in SATISFACTION_RANGE:
        raise InputError(lambda name: t("{satisfaction} must be 1 to 5, not {value}",
                                        satisfaction=name("satisfaction"), value=satisfaction))
    return step(store, record, VISIT, at=at, by=by, note=(note or "").strip() or None,
                data={"satisfaction": satisfaction})


def visit_attempt(store, record: Record, note: str | None, *, at: datetime, by: str) -> Record:
    """A return visit tried without reaching the resident (回访未接通): recorded in its
    history (`show`), the ticket still waiting for its visit."""
    from dutyctl.kinds.complaint import VISIT_ATTEMPT, VISIT_NO_ANSWER

    require_kind(record, *ticket_kinds())
    return step(store, record, VISIT_ATTEMPT, at=at, by=by, note=(note or "").strip() or None,
                data={"result": VISIT_NO_ANSWER})


def visit_attempts(record: Record) -> int:
    """The attempts at the return visit still owed: those since the completion that counts
    (a reopened ticket's count starts again)."""
    from dutyctl.kinds.complaint import VISIT_ATTEMPT
    from dutyctl.tickets.deadlines import resolved_at

    done = resolved_at(record)
    return sum(event.action == VISIT_ATTEMPT and (done is None or event.at >= done)
               for event in record.counted_events)


#: the words a clerk writes for a return visit's score (回访满意度), most specific first
SATISFACTION_WORDS = (("非常不满意", 1), ("很不满意", 1), ("不太满意", 2), ("不满意", 2),
                      ("基本满意", 3), ("一般", 3), ("比较满意", 4), ("非常满意", 5),
                      ("很满意", 5), ("满意", 4))
_SATISFACTION_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


def satisfaction_typed(typed: str) -> int:
    """A return visit's score as the desk writes it: 1-5, `5分`, `五星`, `五`, or the words
    满意 (4), 非常满意 (5), 一般 (3), 不满意 (2), 非常不满意 (1); anything else is refused
    with the scale."""
    from dutyctl.folding import half_width

    text = "".join(half_width(str(typed)).split())
    bare = text.removesuffix("分").removesuffix("星")
    # isdecimal and short: int() refuses ፩ (a digit, not decimal) and 5,000 nines
    decimal = bare.isdecimal() and len(bare) <= 3
    score = (int(bare) if decimal else _SATISFACTION_NUMERALS.get(bare)
             or dict(SATISFACTION_WORDS).get(text))
    if score is None or score not in SATISFACTION_RANGE:
        raise InputError(lambda name: t(
            "{satisfaction} must be 1 to 5 (5 very satisfied, 4 satisfied, 3 so-so, 2 not "
            "satisfied, 1 not at all), not {value}", satisfaction=name("satisfaction"),
            value=str(typed).strip()))
    return score


# -- repairs ----------------------------------------------------------------------------------

def technician_on_duty(workspace, at: datetime, slots: list, chain: list) -> str:
    """The technician (`desk: dispatch_role` of dutyctl.yaml, by default technician) the
    roster has on site at `at` and who is there (clocked in, their duty not left open then:
    `desk.clocking.on_site_at` over the one chain, 连班 included, as `who` sees it),
    else the first rostered on site (said on `dutyctl.notices`: nobody knows they are
    there), else the first on call (备班); of these two, none the rules keep from work that
    day since the roster was made (leave, gone: `Rules.kept_off`), who was sent while off
    sick. `slots`, `chain`: the roster's slots at `at` and those a duty may have run through
    by then (`desk.rostered.moment_and_chain`), read once by the caller: both, or the
    duty's run into the next shift (连班) is not followed as `who` follows it."""
    from dutyctl.desk.clocking import on_site_at, window
    from dutyctl.roster.onduty import cached_rules

    role = workspace.config.dispatch_role
    theirs = [slot for slot in slots if slot.role == role]
    on_site = [slot.staff for slot in theirs if not slot.on_call]
    if on_site:
        here = on_site_at(workspace.store, at, window(workspace.config), chain)
        present = [staff for staff in on_site if staff in here]
        if present:
            return present[0]  # come in, whatever the rules say of that day
    kept_off = []
    if theirs:
        rules = cached_rules(workspace)
        kept_off = [slot.staff for slot in theirs if rules.kept_off(slot.staff, slot.date)]
        theirs = [slot for slot in theirs if slot.staff not in kept_off]
        on_site = [slot.staff for slot in theirs if not slot.on_call]
    if on_site:
        from dutyctl import notices
        from dutyctl.names import Names

        notices.warn(t("{staff} is rostered on site at {at} but has not clocked in: sent all "
                       "the same, make sure they are there",
                       staff=Names.of(workspace).person(on_site[0]),
                       at=timeutil.local_time(at, workspace.config.tz)))
        return on_site[0]
    sent = [slot.staff for slot in theirs if slot.on_call]
    if not sent and kept_off:
        from dutyctl.names import Names

        raise InputError(lambda name: t(
            "the rules keep {names} off work at {at} (leave, or not employed that day), and "
            "no other {role} is on duty or on call: pass {to} STAFF",
            names=t(", ").join(Names.of(workspace).person(staff) for staff in kept_off),
            role=workspace.config.roles.name(role), to=name("to"),
            at=timeutil.local_time(at, workspace.config.tz)))
    if not sent:
        raise InputError(lambda name: t(
            "no roster has a {role} on duty or on call at {at}: pass {to} STAFF",
            role=workspace.config.roles.name(role), to=name("to"),
            at=timeutil.local_time(at, workspace.config.tz)))
    return sent[0]


def _may_call_out_for(workspace, record: Record, technician: str, at: datetime) -> None:
    """The technician on call comes in for what cannot wait (爆管, 停电, 电梯困人): a repair
    whose urgency runs on business hours waits for the technician on site, unless the desk
    names the one to send."""
    urgency = workspace.config.urgency_class(record.kind, urgency_of(record))
    from dutyctl.tickets.clock import BUSINESS

    if urgency is None or urgency.clock != BUSINESS:
        return
    from dutyctl.names import Names

    names = Names.of(workspace)
    raise InputError(lambda name: t(
        "nobody is on site at {at} and a {urgency} repair waits for business hours: to call "
        "out {staff} (on call) now, pass {to} {typed}", urgency=urgency.name,
        staff=names.person(technician), typed=names.typed(technician), to=name("to"),
        at=timeutil.local_time(at, workspace.config.tz)))


def _said_if_no_technician(workspace, staff: str) -> None:
    """A repair sent to someone whose roles do not include the dispatch role (a clerk named
    at 3 a.m., maybe for the reporter who shares the name): sent all the same (a site may
    send a guard), said on `dutyctl.notices`. Rules that cannot be read say nothing."""
    from dutyctl.errors import DutyError
    from dutyctl.roster.onduty import cached_rules

    try:
        member = cached_rules(workspace).member(staff)
    except DutyError:
        return
    role = workspace.config.dispatch_role
    if member is None or role in member.roles:
        return
    from dutyctl import notices
    from dutyctl.names import Names

    names = Names.of(workspace)
    notices.warn(t("{staff} is not a {role} ({roles}): dispatched all the same; make sure "
                   "this is who goes", staff=names.person(staff),
                   role=workspace.config.roles.name(role),
                   roles=t(", ").join(names.role(other) for other in member.roles)))


def say_arrival_by_another(workspace, record: Record, by: str) -> None:
    """A technician recording the arrival on a repair dispatched to another (高峰 on 刘洋's):
    recorded, and said, as the job stays the other's (lists, reports, the arrival limit);
    nothing when a clerk records it for the technician, or the rules cannot be read."""
    from dutyctl.errors import DutyError
    from dutyctl.records import assignee
    from dutyctl.roster.onduty import cached_rules

    assigned = assignee(record)
    if assigned is None or assigned == by:
        return
    try:
        member = cached_rules(workspace).member(by)
    except DutyError:
        return
    if member is None or workspace.config.dispatch_role not in member.roles:
        return
    from dutyctl import notices
    from dutyctl.commandwords import said, said_option
    from dutyctl.names import Names

    names = Names.of(workspace)
    # the step named: whoever sets it aside (the clerk, not the technician who recorded it)
    # is refused the latest step recorded by someone else without it
    notices.warn(t("{staff} recorded the arrival on repair {id}, which is dispatched to "
                   "{assigned}: it stays {assigned}'s; if {staff} went instead, set this "
                   "arrival aside ('dutyctl {settle} {id} {event} {step} {reason} ...'), "
                   "dispatch it to {staff} ('dutyctl {dispatch} {id} {to} {staff}') and record "
                   "the arrival again",
                   staff=names.person(by), id=record.short_id, assigned=names.person(assigned),
                   settle=said("settle"), reason=said_option("--reason"),
                   event=said_option("--event", "settle"), step=record.events[-1].id,
                   dispatch=said(REPAIR.name, "dispatch"),
                   to=said_option("--to", "repair dispatch")))


def _called_from_home(slots, technician: str):
    """The technician's on-call slot when they are on call and not on site (sending them is
    a call-out), else None."""
    theirs = [slot for slot in slots if slot.staff == technician]
    if any(not slot.on_call for slot in theirs):
        return None
    return next((slot for slot in theirs if slot.on_call), None)


def require_staff(workspace, staff: str) -> str:
    """The staff id of `staff`, typed by id or name (陈静)."""
    from dutyctl.people import resolve_staff

    return resolve_staff(workspace, staff)


def dispatch(workspace, record: Record, to: str | None, *, at: datetime,
             by: str) -> tuple[Record, str, Record | None]:
    """Send a technician: the one named, else the one on site, else the one on call. Sending
    someone on call from home also files their call-out (linked to the repair), unless one
    is under way; returns it when filed."""
    from dutyctl.desk import callout
    from dutyctl.desk.clocking import window
    from dutyctl.desk.attendance import on_duty_at
    from dutyctl.desk.rostered import moment_and_chain
    from dutyctl.errors import DutyError

    require_kind(record, REPAIR.name)
    check_step(record, DISPATCH)  # before any roster lookup can fail
    try:  # the roster read once: who is sent, from where, and the shifts a duty ran through
        slots, wide = moment_and_chain(workspace, at)
    except DutyError:
        if not to:
            raise
        slots, wide = [], []  # a broken roster: the technician named is sent all the same
    technician = require_staff(workspace, to) if to else technician_on_duty(workspace, at,
                                                                            slots, wide)
    _not_sent_twice(workspace, record, technician, at)
    if to:
        _said_if_no_technician(workspace, technician)
    on_call = _called_from_home(slots, technician)
    # called out already (for another repair): on site now, nothing to refuse or file
    out = None
    if on_call is not None:  # (one forgotten weeks ago too: the record index is asked)
        callout.ready_everywhere(workspace.store)
        out = callout.open_callout(workspace.store, technician)
    at_home = (on_call is not None and out is None  # one clocked in is on site, not at home
               and on_duty_at(workspace.store, technician, at,
                              window(workspace.config), wide) is None)
    if at_home and not to:
        _may_call_out_for(workspace, record, technician, at)
    if out is not None and not to:  # a 一般 repair at night, not refused: say why
        from dutyctl import notices
        from dutyctl.names import Names

        names = Names.of(workspace)
        staff_name = names.person(technician)
        since = timeutil.local_time(out.created_at, workspace.config.tz)
        if at - out.created_at > callout.FORGOTTEN:  # longer than a night: its return unsaid
            notices.warn(t("{staff} is out on a call-out since {since}, its return never "
                           "recorded: this repair goes to them on that call-out; if they came "
                           "back long ago, record it first: dutyctl callout end {staff_id} "
                           "--at \"TIME BACK\"", staff=staff_name,
                           staff_id=names.typed(technician), since=since))
        else:
            notices.warn(t("{staff} is out on a call-out since {since}: this repair goes to "
                           "them too, on the same call-out", staff=staff_name, since=since))
    updated = step(workspace.store, record, DISPATCH, at=at, by=by,
                   data=assignment_data(record, technician))
    started = None
    if at_home:
        started = callout.start(workspace, technician, at=at, by=by, repair=record,
                                slots=slots, chain=wide)
    return updated, technician, started


def _not_sent_twice(workspace, record: Record, technician: str, at: datetime) -> None:
    """A repair dispatched to this technician and not yet finished, held or reopened since is
    not dispatched to them again: a second dispatch step changes nothing (a clerk who typed
    it again after an interrupt filed six to one technician). One two desks dispatched to
    different people before a sync is dispatched again to settle it (assignment_conflict)."""
    from dutyctl.errors import Refused
    from dutyctl.names import Names
    from dutyctl.records import assignment_conflict

    if record.status not in (DISPATCHED, ON_SITE) or REPAIR.assignee(record) != technician \
            or assignment_conflict(record) \
            or last_event(record, DISPATCH, HOLD, RESUME, REOPEN).action != DISPATCH:
        return  # held and resumed since (or reopened): sent again, as a new visit
    sent = last_event(record, DISPATCH)
    raise Refused(t("repair {id} is dispatched to {staff} already ({at}): nothing written",
                    id=record.short_id, staff=Names.of(workspace).person(technician),
                    at=timeutil.local_time(sent.at, at.tzinfo) if sent else "?"))


def assignment_data(record: Record, to: str) -> dict:
    """An assignment step's data: whom it sends the record to, and the assignments this desk
    knows as current (records.ASSIGNED_AFTER), so that one made on another desk before a
    sync is told from one made after seeing it (records.assignment_conflict)."""
    from dutyctl.records import ASSIGNED_AFTER, ASSIGNED_TO, current_assignments

    return {ASSIGNED_TO: to,
            ASSIGNED_AFTER: [event.id for event in current_assignments(record)]}


def arrive(store, record: Record, *, at: datetime, by: str) -> Record:
    """The technician on site (the repair is then on-site, 已到场): once per dispatch (sent
    again, or resumed after a hold, they come again and may arrive again)."""
    from dutyctl.errors import Refused

    require_kind(record, REPAIR.name)
    arrived = last_event(record, ARRIVE, DISPATCH, RESUME)
    if arrived is not None and arrived.action == ARRIVE and record.status == ON_SITE:
        raise Refused(t("repair {id} already has its arrival for this dispatch ({at}): when the "
                        "work is done, record it with 'dutyctl repair done {id} --result ...'",
                        id=record.short_id, at=timeutil.local_time(arrived.at, at.tzinfo)))
    check_step(record, ARRIVE)
    return step(store, record, ARRIVE, at=at, by=by)


def set_eta(store, record: Record, eta: datetime, note: str | None, *, at: datetime,
            by: str, typed: str | None = None) -> Record:
    """The expected handling time, as told to the resident (seed 4.4). `typed`: the time as
    the desk typed it: one refused as passed (上午, 8:00 at 23:00) is most likely tomorrow's,
    and the refusal says how to write that (timeutil.not_after)."""
    require_kind(record, REPAIR.name)
    if eta <= at:
        raise timeutil.not_after("eta", eta, at, typed,
                                 N_("{name} {due} is not after the moment it was told ({at})"))
    return step(store, record, ETA, at=at, by=by, note=(note or "").strip() or None,
                data={"eta": timeutil.to_iso(eta)})


def reschedule_callback(store, record: Record, promised: datetime, note: str | None, *,
                        at: datetime, by: str, typed: str | None = None) -> Record:
    """The time a callback is promised for, put right while it waits: after the moment it is
    said (`typed`: as the desk wrote it, for the refusal's hint, as the filing's)."""
    from dutyctl.kinds.call import RESCHEDULE

    require_kind(record, CALL.name)
    check_step(record, RESCHEDULE)  # while it waits: not one made, nor a call answered
    if promised <= at:
        raise timeutil.not_after("callback_by", promised, at, typed,
                                 N_("{name} {due} is not after the moment it was told ({at})"))
    return step(store, record, RESCHEDULE, at=at, by=by, note=(note or "").strip() or None,
                data={"callback_by": timeutil.to_iso(promised)})


def hold(store, record: Record, reason: str, *, at: datetime, by: str) -> Record:
    """A repair or complaint waits (parts, the resident, another party): its deadlines stop."""
    require_kind(record, *ticket_kinds())
    return step(store, record, HOLD, at=at, by=by, note=require_text(reason, "reason"))


def resume(store, record: Record, note: str | None, *, at: datetime, by: str) -> Record:
    require_kind(record, *ticket_kinds())
    return step(store, record, RESUME, at=at, by=by, note=(note or "").strip() or None)


def done(store, record: Record, result: str, materials: str | None, *, at: datetime,
         by: str) -> Record:
    require_kind(record, REPAIR.name)
    data = {"materials": materials.strip()} if materials and materials.strip() else {}
    return step(store, record, FINISH, at=at, by=by, note=require_text(result, "result"),
                data=data)


# -- closing without the work, reopening ----------------------------------------------------

def close(store, record: Record, closed_as: str, reason: str, duplicate_of: Record | None, *,
          at: datetime, by: str) -> Record:
    """Close a ticket that will not be worked: a duplicate of `duplicate_of` (the one kept,
    linked), withdrawn by the resident, or invalid; `closed_as` typed by id or word (重复)."""
    from dutyctl import choices, words
    from dutyctl.kinds.complaint import CLOSE_REASONS, DUPLICATE

    require_kind(record, *ticket_kinds())
    closed_as = choices.resolve(closed_as, words.choices(words.CLOSED_AS, CLOSE_REASONS,
                                                         words.CLOSED_AS_TYPED),
                                N_("unknown reason for closing '{value}'; choose one of: "
                                   "{choices}"), builtin=True)
    data: dict = {"closed_as": closed_as}
    if closed_as == DUPLICATE:
        if duplicate_of is None:
            raise InputError(t("a duplicate names the ticket that is kept"))
        if duplicate_of.id == record.id:
            raise InputError(t("{id} cannot be a duplicate of itself", id=record.short_id))
        require_kind(duplicate_of, record.kind)  # a repair is not a complaint's duplicate
        if closed_as_duplicate(duplicate_of):  # each the other's: no ticket kept at all
            kept = last_event(duplicate_of, CLOSE).data.get(LINK)
            raise InputError(t("{other} is closed itself as a duplicate of {kept}: name the "
                               "ticket that is kept", other=duplicate_of.short_id,
                               kept=str(kept)[:12]))
        data[LINK] = duplicate_of.id
    elif duplicate_of is not None:
        raise InputError(t("only a duplicate names another ticket"))
    return step(store, record, CLOSE, at=at, by=by, note=require_text(reason, "reason"),
                data=data)


def reopen(store, record: Record, reason: str, *, at: datetime, by: str) -> Record:

    require_kind(record, *ticket_kinds())
    return step(store, record, REOPEN, at=at, by=by, note=require_text(reason, "reason"))


def closed_as_duplicate(record: Record) -> bool:
    """Closed (and not reopened since) as a duplicate of another ticket."""
    from dutyctl.kinds.complaint import CANCELLED

    closing = last_event(record, CLOSE)
    return record.status == CANCELLED and closing is not None and (
        closing.data.get("closed_as") == "duplicate")


# -- settling two desks' clashing steps ------------------------------------------------------

def _step_named(typed: str) -> str:
    """The step id (or prefix) a typed `settle --event` names: the id as typed, or the STEP of
    a file `ID.STEP.yaml` as `check` names it (a path; `.yaml` may be left off); of the
    record's own file `ID.yaml`, ID (a voidable record set aside whole)."""
    from dutyctl.store.ids import file_ids

    typed = typed.strip()
    named = file_ids(typed if typed.endswith(".yaml") else typed + ".yaml")
    if named is None:
        return typed
    record_id, step_id = named
    return step_id or record_id


def settle(store, record: Record, event_ref: str | None, reason: str, *, at: datetime,
           by: str, person) -> Record:
    """Set aside a step that clashed (two desks acted without syncing), or one recorded by
    mistake (到场 on the wrong repair, 已回电 on the wrong call): it stays in the history,
    counting for nothing, and `check` stops reporting it. Nothing is deleted. `event_ref`: the
    step's id, an unambiguous prefix of it, or its file as `check` names it; None: the one
    clashing step, or with none, the latest step that counts, when `by` recorded it and it did
    not close the ticket (that one is reopened with `reopen`; another's step is named).
    `person`: a staff id as the desk reads it (a name), for the refusals."""
    from dutyctl.records import SETTLE

    spec = kind_spec(record.kind)
    clashing, holders = _clashing_steps(store, record)
    # a step that counts may be set aside too: one recorded on the wrong record
    counting = [event for event in spec.counted(record) if event.action != SETTLE]
    if event_ref is None or not event_ref.strip():
        if clashing:
            chosen = _the_one_clash(record, clashing)
            return _set_aside(store, holders.get(chosen.id, record), chosen, reason, at=at,
                              by=by, person=person)
        latest = [event for event in counting if event.action != LINK]
        if not latest and spec.voidable:  # only its filing left: the record itself
            return void(store, record, reason, at=at, by=by, person=person)
        if not latest:
            raise _nothing_to_set_aside(record)
        return _set_aside(store, record, _settleable(record, _latest_own(
            record, latest[-1], at, by, person), at), reason, at=at, by=by, person=person)
    wanted = _step_named(event_ref)
    if spec.voidable and wanted and record.id.startswith(wanted.upper()) and (
            len(wanted) >= len(record.short_id)):  # its filing named: the record itself
        return void(store, record, reason, at=at, by=by, person=person, named=True)
    steps = list({event.id: event for event in clashing + counting}.values())
    chosen = _named_step(record, steps, wanted, event_ref, at, person)
    if chosen.id not in {event.id for event in clashing}:  # a counting step: order must hold
        _settleable(record, chosen, at)
    return _set_aside(store, holders.get(chosen.id, record), chosen, reason, at=at, by=by,
                      person=person)


def _nothing_to_set_aside(record: Record) -> InputError:
    """The refusal of `settle` on a record with no step but its filing; for a complaint or
    repair filed by mistake, the command that closes it as invalid (it is never voided)."""
    if record.kind not in ticket_kinds():
        return InputError(t("{id} has no step to set aside", id=record.short_id))
    from dutyctl.commandwords import said, said_option
    from dutyctl.kinds.complaint import INVALID

    return InputError(t("{id} has no step to set aside: a {kind} filed by mistake is closed "
                        "as invalid: 'dutyctl {command} {id} {closed_as} {invalid} {reason} "
                        "...'", id=record.short_id, kind=kind_word(record.kind),
                        command=said(record.kind, "close"), closed_as=said_option("--as"),
                        invalid=words.closed_as_word(INVALID),
                        reason=said_option("--reason")))


def _clashing_steps(store, record: Record) -> tuple[list[Event], dict[str, Record]]:
    """The steps of `record` that clash: its own (two desks stepped it without syncing), then
    a resident's corrections of two desks, with the record each of these is a step of."""
    from dutyctl.callers import clashes_of

    clashing = [clash.event for clash in kind_spec(record.kind).replay(record)[1]]
    holders = {}
    for clash in clashes_of(store, record):
        for event, entry in ((clash.later, clash.later_entry),
                             (clash.earlier, clash.earlier_entry)):
            if event.id not in holders:
                holders[event.id] = entry
                clashing.append(event)
    return clashing, holders


def _the_one_clash(record: Record, clashing: list[Event]) -> Event:
    """The clashing step set aside without naming it: refused when there are several."""
    if len(clashing) == 1:
        return clashing[0]
    raise InputError(t("{id} has {count} conflicting steps: name the one to set aside "
                       "({steps})", id=record.short_id, count=len(clashing),
                       steps=", ".join(event.id for event in clashing)))


def _named_step(record: Record, steps: list[Event], wanted: str, event_ref: str,
                at: datetime, person) -> Event:
    """The one of `steps` whose id starts with `wanted`; refused, saying when it was already
    set aside, or else listing the steps there are."""
    from dutyctl.records import SET_ASIDE, SETTLE, set_aside

    def named(event: Event) -> bool:
        return bool(wanted) and event.id.startswith(wanted.upper())

    found = [event for event in steps if named(event)]
    if len(found) == 1:
        return found[0]
    aside = set_aside(record)
    gone = [event for event in record.events if named(event) and event.id in aside]
    if len(gone) == 1:
        settled = next(event for event in record.events if event.action == SETTLE
                       and event.data.get(SET_ASIDE) == gone[0].id)
        raise InputError(t("{id}: {step} was already set aside ({at}, {by})",
                           id=record.short_id, step=_step_words(gone[0], at, person),
                           at=timeutil.local_time(settled.at, at.tzinfo),
                           by=person(settled.by)))
    if not steps:
        raise _nothing_to_set_aside(record)
    raise InputError(t("'{event}' is not one step of {id}; its steps: {steps}",
                       event=event_ref, id=record.short_id,
                       steps=t("; ").join(_step_words(event, at, person) + " "
                                          + short_step(event.id) for event in steps)))


def void(store, record: Record, reason: str, *, at: datetime, by: str, person,
         named: bool = False) -> Record:
    """Set aside a record logged by mistake whole (a call on the wrong line, twice, or never
    made): a settle step whose `set_aside` is the record's own id, so it is VOIDED, as a step
    set aside counts for nothing. It stays in its file and `show` (已作废, with the reason, who
    and when) and drops out of every list, report, count and search. Only a `voidable` kind,
    and only while nothing followed its filing (its steps are set aside first, one by one);
    refused while a ticket it filed or an emergency it opened is open (that is closed first),
    and when someone else logged it unless `named` (its id given with --event)."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.errors import DutyError, Refused
    from dutyctl.records import SET_ASIDE, SETTLE, VOIDED, linked_ids, voided_by

    if record.status == VOIDED:
        settled = voided_by(record)
        raise InputError(t("{id} was already voided ({at}, {by})", id=record.short_id,
                           at=timeutil.local_time(settled.at, at.tzinfo),
                           by=person(settled.by)))
    from dutyctl.queries import is_open

    # its links, and those of its link steps set aside whose record still names the call as
    # its own (a ticket filed from it keeps `links: [call]` whatever the call's step says)
    stepped = [str(event.data[LINK]) for event in record.events if event.data.get(LINK)]
    for linked in dict.fromkeys([*linked_ids(record), *stepped]):
        try:
            ticket = store.get(linked)
        except DutyError:
            continue
        if not is_open(ticket):  # closed as the refusal says (无效, 误报): the call may go too
            continue
        if linked not in linked_ids(record) and record.id not in linked_ids(ticket):
            continue  # a link set aside as wrong, to a record that never named the call
        if ticket.kind == EMERGENCY.name:
            raise Refused(t("{id} opened emergency {emergency}: a call that opened an "
                            "emergency is not voided; if the emergency was a mistake too, "
                            "close it with 'dutyctl {command} {emergency} {summary} ...'",
                            id=record.short_id, emergency=ticket.short_id,
                            command=said(EMERGENCY.name, "close"),
                            summary=said_option("--summary", "emergency close")))
        if kind_spec(ticket.kind).ticket:
            raise Refused(t("{id} filed {kind} {ticket}: a call that filed a ticket is not "
                            "voided; if the ticket was a mistake too, close it with "
                            "'dutyctl {command} {ticket} {closed_as} ... {reason} ...'",
                            id=record.short_id, kind=kind_word(ticket.kind),
                            ticket=ticket.short_id, command=said(ticket.kind, "close"),
                            closed_as=said_option("--as"), reason=said_option("--reason")))
    if record.recorded_by != by and not named:
        logged_by = person(record.recorded_by)
        raise Refused(lambda name: t("{id} was logged by {by}: to void it, name it with "
                                     "{event} {id}", id=record.short_id, by=logged_by,
                                     event=name("event")))

    def not_voided_yet(saved: Record) -> None:  # another terminal voided it meanwhile
        if saved.status == VOIDED:
            raise Refused(t("{id} was already voided", id=saved.short_id))

    return store.append(record, SETTLE, at=at, by=by, note=require_text(reason, "reason"),
                        data={SET_ASIDE: record.id}, recheck=not_voided_yet)


def restore(store, record: Record, reason: str, *, at: datetime, by: str,
            person) -> tuple[Record, list[Event]]:
    """Undo a void (`void`): the settle step that voided the record is set aside in turn (each
    of them, when two desks voided it before a sync), so the record counts again, as it stood
    before: the record, and the voids undone (at least one; the steps written are the
    record's last ones, one for each). Refused when the record is not voided, and
    when a step was recorded on it since the void (on another desk before a sync, which the
    void made count for nothing): counting the record again would make that step count
    unseen; it is set aside first, or recorded again after."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.errors import Refused
    from dutyctl.records import SET_ASIDE, SETTLE, VOIDED, counting_voids, set_aside

    if record.status != VOIDED:
        raise Refused(t("{id} is not voided ({status}): nothing to restore; a step set aside "
                        "by mistake is recorded again", id=record.short_id,
                        status=words.status_word(record.status, record.kind)))
    voids = counting_voids(record)  # each desk's, when two voided it before a sync
    aside = set_aside(record)
    since = [event for event in record.events if event.at >= voids[0].at and event.id not in
             aside and event.action != SETTLE]
    if since:
        raise Refused(t("{id}: {step} was recorded after the void; counting the record again "
                        "would make it count unseen: set it aside first ('dutyctl {command} "
                        "{id} {event} {step_id} {reason} ...')", id=record.short_id,
                        step=_step_words(since[0], at, person), command=said("settle"),
                        event=said_option("--event"), step_id=short_step(since[0].id),
                        reason=said_option("--reason")))
    note = require_text(reason, "reason")
    for settled in voids:  # every void set aside, so the record counts again
        record = store.append(record, SETTLE, at=at, by=by, note=note,
                              data={SET_ASIDE: settled.id}, recheck=_not_set_aside_yet(settled))
    return record, voids


def _step_words(event: Event, at: datetime, person) -> str:
    """2026-11-20 10:00 陈静's 办结: a step as the desk reads it."""
    return t("{at} {by}'s {action}", at=timeutil.local_time(event.at, at.tzinfo),
             by=person(event.by), action=words.action_word(event.action))


def _latest_own(record: Record, event: Event, at: datetime, by: str, person) -> Event:
    """The latest step, set aside without naming it: refused when it closed the ticket (a
    closed ticket is reopened, never undone step by step) or another person recorded it."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.errors import Refused

    spec = kind_spec(record.kind)
    reopening = spec.transitions.get(REOPEN)
    changes = spec.changes(record)
    # closed: a finished ticket may be reopened for rework too, but its 完工 is undone as
    # any step is (a 完工 on the wrong repair)
    if (reopening is not None and record.status in spec.closed_statuses
            and record.status in reopening[0] and changes and changes[-1][0].id == event.id):
        raise Refused(t("{id}: the latest step, {step}, closed it: reopen it instead with "
                        "'dutyctl {command} {id} {reason} ...'", id=record.short_id,
                        step=_step_words(event, at, person),
                        command=said(record.kind, "reopen"), reason=said_option("--reason")))
    if event.by != by:
        step = _step_words(event, at, person)
        raise Refused(lambda name: t("{id}: the latest step, {step}, was recorded by someone "
                                     "else: to set it aside, name it with {event} {step_id}",
                                     id=record.short_id, step=step, event=name("event"),
                                     step_id=short_step(event.id)))
    return event


def _settleable(record: Record, event: Event, at: datetime) -> Event:
    """`event`, a step that counts, when setting it aside leaves every later step still in
    order (a 到场 set aside before its 完工 would leave the 完工 clashing); else refused,
    naming the step to set aside first."""
    from dutyctl.errors import Refused
    from dutyctl.records import SET_ASIDE, SETTLE

    spec = kind_spec(record.kind)
    before = {clash.event.id for clash in spec.replay(record)[1]}
    probe = Event(id="", record_id=record.id, at=event.at, by=event.by, action=SETTLE,
                  data={SET_ASIDE: event.id})  # the record as it would be, never written
    after = spec.replay(record.with_event(probe))[1]
    broken = [clash.event for clash in after if clash.event.id not in before]
    if broken:
        raise Refused(t("{id}: {action} of {at} cannot be set aside while the later {later} "
                        "of {later_at} counts: set that one aside first",
                        id=record.short_id, action=words.action_word(event.action),
                        at=timeutil.local_time(event.at, at.tzinfo),
                        later=words.action_word(broken[0].action),
                        later_at=timeutil.local_time(broken[0].at, at.tzinfo)))
    return event


def _set_aside(store, holder: Record, event: Event, reason: str, *, at: datetime,
               by: str, person=str) -> Record:
    from dutyctl.records import SET_ASIDE, SETTLE

    _not_settled_the_other_way(holder, event, at, person)
    return store.append(holder, SETTLE, at=at, by=by, note=require_text(reason, "reason"),
                        data={SET_ASIDE: event.id}, recheck=_not_set_aside_yet(event))


def _not_settled_the_other_way(record: Record, event: Event, at: datetime, person) -> None:
    """Refused: `event` is one side of a conflict whose other side a settle step set aside
    already, to keep this one (records.opposite_settles): both aside, neither would count."""
    from dutyctl.errors import Refused
    from dutyctl.records import SET_ASIDE, SETTLE, opposite_settles

    probe = Event(id="~", record_id=record.id, at=at, by="", action=SETTLE,
                  data={SET_ASIDE: event.id})  # never written
    for first, first_aside, second, second_aside in opposite_settles(record.with_event(probe)):
        if probe.id in (first.id, second.id):  # the probe is first when dated before it
            if first.id == probe.id:
                first, first_aside = second, second_aside  # the settle saved, either way
            raise Refused(t("{id}: {action} of {at} was kept when {by} set aside the {other} "
                            "of {other_at} it conflicted with ({settled_at}): setting it "
                            "aside too would leave neither counting; if the other was right, "
                            "record it again", id=record.short_id,
                            action=words.action_word(event.action),
                            at=timeutil.local_time(event.at, at.tzinfo), by=person(first.by),
                            other=words.action_word(first_aside.action),
                            other_at=timeutil.local_time(first_aside.at, at.tzinfo),
                            settled_at=timeutil.local_time(first.at, at.tzinfo)))


def _not_set_aside_yet(event: Event):
    """append's recheck of a step about to be set aside (a step, a void undone): another
    terminal set it aside meanwhile."""
    from dutyctl.errors import Refused
    from dutyctl.records import set_aside

    def recheck(saved: Record) -> None:
        if event.id in set_aside(saved):
            raise Refused(t("{id}: {step} was already set aside", id=saved.short_id,
                            step=words.action_word(event.action)))

    return recheck


# -- callbacks --------------------------------------------------------------------------------

def callback_done(store, record: Record, note: str, *, at: datetime, by: str) -> Record:
    require_kind(record, CALL.name)  # (what the resident was told: the CLI's --result)
    return step(store, record, CALLBACK_DONE, at=at, by=by, note=require_text(note, "result"))


def callback_attempt(store, record: Record, result: str, note: str | None, *, at: datetime,
                     by: str) -> Record:
    """A callback tried without reaching the resident (typed by id or word: 占线); the
    promise stays open."""
    from dutyctl.kinds.call import ATTEMPT, ATTEMPT_RESULTS

    require_kind(record, CALL.name)
    result = choices.resolve(result, words.choices(words.ATTEMPT_RESULTS, ATTEMPT_RESULTS,
                                           words.ATTEMPT_TYPED),
                             N_("unknown callback attempt result '{value}'; choose one of: "
                                "{choices}"), builtin=True)
    return step(store, record, ATTEMPT, at=at, by=by, note=(note or "").strip() or None,
                data={"result": result})


# -- emergencies ------------------------------------------------------------------------------

def emergency_type(config, type_id: str):
    """The emergency type typed by id or name (停电)."""
    named = {emergency_id: kind.name for emergency_id, kind in config.emergencies.items()}
    return config.emergencies[choices.resolve(
        type_id, named, N_("unknown emergency type '{value}'; choose one of: {choices}"),
        none=N_("dutyctl.yaml lists no emergency type, so '{value}' cannot be one"))]


def open_emergency(store, config, *, type_id: str, where: str, content: str | None,
                   resident: dict | None, at: datetime, by: str,
                   links: Iterable[str] = ()) -> Record:
    from dutyctl.rooms import shown

    kind = emergency_type(config, type_id)
    where = require_text(where, "where")
    # the place as said (5号楼), not as stored (5): the text is read as written from now on
    fields = {"type": kind.id, "where": where,
              "content": (content or "").strip() or f"{kind.name} {shown(config.rooms, where)}"}
    if resident:
        fields["resident"] = resident
    if links:
        fields["links"] = list(links)
    return store.create(EMERGENCY.name, fields, at=at, by=by)


def open_emergency_for_call(store, config, call: Record, *, type_id: str, where: str,
                            content: str | None, at: datetime, by: str,
                            person=str) -> tuple[Record, Record]:
    """`emergency open --from-call`: the caller is the reporter, the call's summary the
    content unless given; linked both ways like a ticket filed from a call."""
    check_linkable_call(store, call, EMERGENCY.name, at, person)
    record = open_emergency(store, config, type_id=type_id, where=where,
                            content=content or call.get("summary"),
                            resident=dict(call.get("resident") or {}) or None, at=at, by=by,
                            links=[call.id])
    call = store.append(call, LINK, at=at, by=by, data={LINK: record.id})
    return call, record


def procedure(config, type_id: str) -> dict:
    """Steps and who to call for one emergency type, from dutyctl.yaml: each department of
    its `notify:` with its phone and whether it is an outside body (`outside: true`: called
    on its public number, not reached inside the estate)."""
    kind = emergency_type(config, type_id)
    contacts = [{"department": dept_id, "name": department.name, "phone": department.phone,
                 "outside": department.outside}
                for dept_id in kind.notify for department in (config.departments[dept_id],)]
    return {"type": kind.id, "name": kind.name, "steps": list(kind.steps),
            "contacts": contacts, "hotline": config.hotline}


def log_emergency(store, record: Record, text: str, *, at: datetime, by: str) -> Record:
    require_kind(record, EMERGENCY.name)
    return step(store, record, LOG, at=at, by=by, note=require_text(text, "text"))


def close_emergency(store, record: Record, summary: str, *, at: datetime, by: str) -> Record:
    require_kind(record, EMERGENCY.name)
    return step(store, record, CLOSE, at=at, by=by, note=require_text(summary, "summary"))

