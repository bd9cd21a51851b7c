"""Records and their events: immutable values that know the file and line they came from.

A record is written once and never changed. Every later change of state is an Event in its
own file; the current status is derived by folding the events through the kind's transitions.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from types import MappingProxyType
from typing import Any, Callable, Mapping

from dutyctl import configkeys, ruleskeys, timeutil

from dutyctl.store import ids
from dutyctl.choices import either
from dutyctl.errors import InputError, Problem, Refused, RefusedStep
from dutyctl.frozen import field, frozen, replace, set_fields
from dutyctl.messages import t
from dutyctl.words import action_word, status_word, translated
from dutyctl.schema import Fields

#: The time limits an urgency class sets (dutyctl.yaml `urgency:`), in the order they fall due;
#: a kind's `meets` names the steps that meet each limit it has.
LIMIT_RESPOND, LIMIT_ARRIVE, LIMIT_COMPLETE = "respond", "arrive", "complete"
LIMITS = (LIMIT_RESPOND, LIMIT_ARRIVE, LIMIT_COMPLETE)
SCHEMA_VERSION = 3  # the newest a record or step of this dutyctl may be written in
# (3: a file with a number erased, masked: dutyctl.erasure)
FIRST_SCHEMA = 1  # what a record is written in unless its kind says (KindSpec.schema_of)
#: the steps newer than FIRST_SCHEMA, by action (a return visit nobody answered, schema 2): a
#: desk on an older dutyctl says its file was "written by a newer dutyctl"
ACTION_SCHEMA: dict[str, int] = {}
ANY = "*"
# a step allowed in every status of every kind: it sets aside a step that clashed, or one
# recorded by mistake (on the wrong ticket) (`set_aside`: that event's id), which then stays in
# the history, counting for nothing
SETTLE, SET_ASIDE = "settle", "set_aside"
# the status of a record set aside whole (作废: a call logged by mistake), a settle step
# whose `set_aside` is the record's own id, i.e. its filing: it stays in its file and `show`,
# and counts for nothing anywhere else (`Store.scan` and the index leave it out). Only a kind
# that is `voidable` can be.
VOIDED = "voided"
LINK = "link"  # a link to another record, added after the fact (any kind that allows it)
NOTE = "note"  # a remark added to a record's history, changing nothing
# an assignment step's (KindSpec.assigns: a repair's dispatch, a complaint's transfer) data:
# `to`, whom it sends the record to, and `after`, the ids of the record's assignments the desk
# knew as current when it was made ([] for the first): two steps neither of which knows the
# other were made on two desks between syncs (assignment_conflict)
ASSIGNED_TO, ASSIGNED_AFTER = "to", "after"
RECORD_KEYS = ("id", "kind", "schema", "created_at", "recorded_by")
EVENT_KEYS = ("id", "record", "schema", "at", "by", "action", "note")


@frozen
class Event:
    id: str
    record_id: str
    at: datetime
    by: str
    action: str
    note: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""
    line: int = 1
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __init__(self, id: str, record_id: str, at: datetime, by: str, action: str,  # noqa: A002
                 note: str | None = None, data: Mapping[str, Any] | None = None,
                 path: str = "", line: int = 1, field_lines: Mapping[str, int] | None = None):
        # written out (not @frozen's generic one): every record read builds its events
        set_fields(self, id=id, record_id=record_id, at=at, by=by, action=action, note=note,
                   data={} if data is None else data, path=path, line=line,
                   field_lines={} if field_lines is None else field_lines)

    def line_of(self, key: str) -> int:
        """The line of a field in the step's file (`action`, `at`: for `path:line` messages);
        the step's own line when it is not known (a step read from the index)."""
        return self.field_lines.get(key, self.line)

    def to_yaml_data(self) -> dict:
        data = {"id": self.id, "record": self.record_id,
                "schema": ACTION_SCHEMA.get(self.action, FIRST_SCHEMA),
                "at": timeutil.to_iso(self.at), "by": self.by, "action": self.action}
        if self.note:
            data["note"] = self.note
        data.update(self.data)
        return data


@frozen
class Record:
    id: str
    kind: str
    created_at: datetime
    recorded_by: str
    fields: Mapping[str, Any]
    events: tuple[Event, ...] = ()
    schema: int = FIRST_SCHEMA
    path: str = ""
    line: int = 1
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __init__(self, id: str, kind: str, created_at: datetime, recorded_by: str,  # noqa: A002
                 fields: Mapping[str, Any], events: tuple[Event, ...] = (),
                 schema: int = FIRST_SCHEMA, path: str = "", line: int = 1,
                 field_lines: Mapping[str, int] | None = None):
        # written out (not @frozen's generic one): every record read is built here
        set_fields(self, id=id, kind=kind, created_at=created_at, recorded_by=recorded_by,
                   fields=fields, events=events, schema=schema, path=path, line=line,
                   field_lines={} if field_lines is None else field_lines)

    def line_of(self, key: str) -> int:
        """The line of a top-level field in the record's file (for `path:line` messages)."""
        return self.field_lines.get(key, self.line)

    @property
    def short_id(self) -> str:
        return ids.short(self.id)

    @property
    def status(self) -> str:
        return kind_spec(self.kind).status_of(self)

    @property
    def counted_events(self) -> tuple[Event, ...]:
        """The events that count (KindSpec.counted): not those that clashed. Worked out once
        per record (a value: its events never change); a report asks several times a record."""
        found = self.__dict__.get("_counted")
        if found is None:
            found = self.__dict__["_counted"] = kind_spec(self.kind).counted(self)
        return found

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def to_yaml_data(self) -> dict:
        data = {"id": self.id, "kind": self.kind, "schema": self.schema,
                "created_at": timeutil.to_iso(self.created_at), "recorded_by": self.recorded_by}
        data.update(self.fields)
        return data

    def as_of(self, moment: datetime, *, including_moment: bool = True) -> "Record":
        """The record as it stood at `moment`: only the events recorded by then (an event at
        `moment` itself counts unless `including_moment` is false, as at a period's end)."""
        kept = tuple(event for event in self.events
                     if event.at < moment or (including_moment and event.at == moment))
        return self if len(kept) == len(self.events) else replace(self, events=kept)

    def with_history(self, events: tuple[Event, ...]) -> "Record":
        """This record with these events (the store attaches them once read): replace()'s
        result without its cost, paid per record of years of history."""
        return Record(self.id, self.kind, self.created_at, self.recorded_by, self.fields,
                      events, self.schema, self.path, self.line, self.field_lines)

    def with_event(self, event: Event) -> "Record":
        return self.with_history(self.events + (event,))


def creation_order(record: "Record") -> tuple[datetime, str]:
    """The one order of records everywhere they are listed: by the moment each was filed,
    then by id (its file name). Records of the same second (times typed at the desk are whole
    seconds) thus list alike on every desk, from the files or from the index, run after run;
    those one command files at one time in the order it filed them (Store.create)."""
    return record.created_at, record.id


def as_it_stood(records, moment: datetime | None) -> list["Record"]:
    """`--as-of`: the records filed by `moment`, each with only the events recorded by then
    (status, history and deadlines alike); None is now, where nothing is left out."""
    if moment is None:
        return list(records)
    return [record.as_of(moment) for record in records if record.created_at <= moment]


def linked_ids(record: "Record") -> list[str]:
    """Ids a record links to: filed with it, or added later by a link event (each once).
    `show` prints them; `dutyctl check` checks they exist."""
    found = list(ids_in(record.get("links")))
    found += [str(event.data[LINK]) for event in record.counted_events  # not one set aside
              if event.data.get(LINK)]
    return list(dict.fromkeys(found))


def ids_in(value: Any) -> tuple[str, ...]:
    """The ids a field names (staff, records): one id, or a list of them (a handover's `to`;
    files written before it became a list hold one id); none of another shape (a file the
    store refused, read for its other problems: `check.half_read_records`)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(dict.fromkeys(item for item in value if isinstance(item, str)))
    return ()


class ScanResult:
    """Records read and the problems met reading them (a bad file never stops the rest);
    `total`: how many matched, when only the newest few were read."""

    __slots__ = ("records", "problems", "total")

    def __init__(self, records: list[Record] | None = None,
                 problems: list[Problem] | None = None, total: int | None = None):
        self.records = [] if records is None else records
        self.problems = [] if problems is None else problems
        self.total = total

    def __repr__(self) -> str:
        return (f"ScanResult(records={self.records!r}, problems={self.problems!r}, "
                f"total={self.total!r})")

    def __eq__(self, other):
        if other.__class__ is not ScanResult:
            return NotImplemented
        return (self.records, self.problems, self.total) == (other.records, other.problems,
                                                             other.total)

    __hash__ = None  # mutable, as a plain dataclass


@frozen
class Clash:
    """An event the record's status did not allow when it came: `after` (None: the filing
    itself) had already led to `status`."""

    event: Event
    after: Event | None
    status: str


def last_event(record: Record, *actions: str) -> Event | None:
    """The record's latest event of one of `actions` still counting (a step `settle` set
    aside counts for nothing: not whom a repair went to, nor where a complaint was sent),
    else None."""
    return next((event for event in reversed(record.counted_events)
                 if event.action in actions), None)


def current_assignments(record: Record) -> tuple[Event, ...]:
    """The record's assignment steps (its kind's `assigns`) that count and that no other
    counting one was made knowing (`after`, followed through every assignment, set aside or
    not), in time order: one, once the desks have synced and someone dispatched after seeing
    them all; () for a kind without assignments or a record never assigned. A step written
    before steps said what they knew (no `after`) knew every assignment before it."""
    action = kind_spec(record.kind).assigns
    if action is None:
        return ()
    every = [event for event in record.events if event.action == action]
    if not every:
        return ()
    parents: dict[str, tuple[str, ...]] = {}
    for index, event in enumerate(every):
        after = event.data.get(ASSIGNED_AFTER)
        parents[event.id] = (tuple(str(known) for known in after)
                             if isinstance(after, (list, tuple)) else
                             tuple(earlier.id for earlier in every[:index]))
    counting = [event for event in record.counted_events if event.action == action]
    known: set[str] = set()
    for event in counting:  # everything each counting step knew, through any step
        waiting = list(parents.get(event.id, ()))
        while waiting:
            found = waiting.pop()
            if found not in known:
                known.add(found)
                waiting.extend(parents.get(found, ()))
    return tuple(event for event in counting if event.id not in known)


def clashing_steps(record: Record) -> list[Clash]:
    """The steps of two desks that clash on this record, for a supervisor to settle (what
    `check` says, `show` marks and a review lists): each step its status did not allow when
    it came (KindSpec.replay). A step of an action the kind does not know is none (replay
    lets it pass, changing nothing): `check` says it as such."""
    return kind_spec(record.kind).replay(record)[1]


def _repeats(event: Event, previous: Event | None) -> bool:
    """Is `event` the step `previous` took again, the same action with the same data (its
    note aside): both desks typed the command the sync offered, the ticket closed as a
    duplicate of the same one? Counted once, it is no clash for a supervisor to settle."""
    return previous is not None and event.action == previous.action \
        and dict(event.data) == dict(previous.data)


def assignment_conflict(record: Record) -> tuple[Event, ...]:
    """The current assignments (`current_assignments`) when they send the record to more
    than one person: two desks dispatched a repair to different technicians between syncs,
    neither seeing the other's. One step each person, the latest; () when there is no such
    conflict, or none that matters any more (the record's status no longer allows assigning
    it: the work done, the ticket closed); a complaint transferred to different departments
    likewise. A later assignment made after seeing them settles it, as does setting one
    aside."""
    spec = kind_spec(record.kind)
    if spec.assigns is None or record.status not in spec.transitions[spec.assigns][0]:
        return ()
    latest: dict[str, Event] = {}
    for event in current_assignments(record):
        latest.pop(str(event.data.get(ASSIGNED_TO)), None)
        latest[str(event.data.get(ASSIGNED_TO))] = event
    return tuple(latest.values()) if len(latest) > 1 else ()


def set_aside(record: Record) -> frozenset[str]:
    """The ids of the record's steps a `settle` step set aside (they count for nothing); a
    settle step set aside in turn (a void undone: `tickets.lifecycle.restore`) sets nothing
    aside. A step is set aside only by a later one: read from the latest back."""
    aside: set[str] = set()
    for event in reversed(record.events):
        if event.action == SETTLE and event.id not in aside:
            aside.add(event.data.get(SET_ASIDE))
    return frozenset(aside)


def opposite_settles(record: Record) -> list[tuple[Event, Event, Event, Event]]:
    """Two settle steps, both counting, that set aside the two sides of one conflict (a step
    and the one it clashed with; two dispatches neither knowing the other): two supervisors
    settled it opposite ways on desks that had not synced, and neither side counts now (a
    repair sent to nobody, its met response limit missed). Each as (earlier settle, the step
    it set aside, later settle, the step it set aside), in time order."""
    settles = [event for event in record.events if event.action == SETTLE
               and event.data.get(SET_ASIDE) != record.id]
    if len(settles) < 2:
        return []
    aside = set_aside(record)
    by_step = {str(event.data.get(SET_ASIDE)): event for event in settles
               if event.id not in aside}
    bare = record.with_history(tuple(event for event in record.events
                                     if event.action != SETTLE))
    sides = [(clash.after, clash.event) for clash in clashing_steps(bare)
             if clash.after is not None]
    current = assignment_conflict(bare)
    sides += [(one, other) for number, one in enumerate(current)
              for other in current[number + 1:]]
    found = []
    for one, other in sides:
        first, second = by_step.get(one.id), by_step.get(other.id)
        if first is not None and second is not None:
            pair = sorted(((first, one), (second, other)), key=lambda item: (item[0].at,
                                                                            item[0].id))
            found.append((*pair[0], *pair[1]))
    return found


def voided_by(record: Record) -> Event | None:
    """The settle step that set the record aside whole (VOIDED), else None: the latest one
    still counting (a void undone, `tickets.lifecycle.restore`, is set aside itself)."""
    voids = counting_voids(record)
    return voids[-1] if voids else None


def counting_voids(record: Record) -> list[Event]:
    """Every settle step still counting that set the record aside whole (two desks may each
    have voided it before a sync), oldest first; none unless the record is VOIDED."""
    if record.status != VOIDED:
        return []
    aside = set_aside(record)
    return [event for event in record.events if event.action == SETTLE
            and event.data.get(SET_ASIDE) == record.id and event.id not in aside]


def is_voided(record: Record) -> bool:
    """The record is set aside whole (VOIDED): without folding its history, as a scan of years
    asks it of every record (a record without events, most of them, at once)."""
    return bool(record.events) and record.status == VOIDED if _voidable(record.kind) else False


def _voidable(kind: str) -> bool:
    spec = known_kind(kind)
    return spec is not None and spec.voidable


def filed_by(record: Record) -> str | None:
    """The default assignee rule: whoever filed the record has it."""
    return record.recorded_by


@frozen
class Once:
    """A transition's target reached only once `reached(fields, steps)` holds, `steps` being
    the events counted so far (this one included); until then the step keeps the status.
    A handover addressed to several people is accepted once the last of them has accepted."""

    status: str
    reached: Callable[[Mapping[str, Any], tuple[Event, ...]], bool]


#: an action's event data: the keys it may carry, and the check of their values
EventData = tuple[tuple[str, ...], Callable[[Fields], Any]]


@frozen
class Figures:
    """What a kind adds to a report: `key` names its counts (a column of the per-day and
    per-hour tables; a ticket's section), `place` orders the kinds a report counts;
    `filed_better`: which way a rise in its filed count is, compared with the previous
    period: 1 better, -1 worse (complaints), 0 neither (repairs: a volume)."""

    place: int
    key: str
    filed_better: int = 0


@frozen
class KindSpec:
    """What a kind of record is: its fields' checks, its statuses and allowed transitions.

    transitions: action -> (statuses it may follow, status it leads to; None keeps the status;
    a `Once` leads there only once its condition holds); `settle` is added to every kind.
    named_staff: the fields naming staff members (text or a list of texts), which `check`
    tests against the roster's staff.
    """

    name: str
    check_fields: Callable[[Fields, Any], None]
    initial_status: Callable[[Mapping[str, Any]], str]
    transitions: Mapping[str, tuple[tuple[str, ...], "str | Once | None"]]
    summary: Callable[[Record], str]
    closed_statuses: tuple[str, ...] = ()
    references: Callable[[Record], list[str]] = linked_ids
    named_staff: tuple[str, ...] = ()
    #: the actions whose step's `to` names staff members (a repair's dispatch; a complaint's
    #: transfer names a department), which `check` tests as it tests named_staff
    staff_sent_by: tuple[str, ...] = ()
    #: who the record is with (list --assignee, reports): the kind's assignee rule
    assignee: Callable[[Record], str | None] = filed_by
    #: what people call it, NP_("kind", ...): `kind_word` translates it for screens
    word: "str | tuple[str, str] | None" = None
    #: the heading of its table in a report (N_("Complaints")); None: reports have none
    title: str | None = None
    #: action -> (the keys its event may carry, their check), as `parse_event` reads them
    event_data: Mapping[str, "EventData"] = field(default_factory=dict)
    #: its deadlines (tickets.deadlines): limit (respond/arrive/complete) -> the actions that
    #: meet it, the first in time counting; {}: the kind has no time limits
    meets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: where its open records stand in a handover, lower first; None: a handover leaves
    #: them out (desk.handover gathers by it)
    handover: int | None = None
    #: its records have a category from its list under `categories:` in dutyctl.yaml: the
    #: refusal of one not in the list, a whole sentence (N_("unknown call category '{value}';
    #: choose one of: {choices}"), as `choices.resolve` takes it); None: no category
    category: str | None = None
    #: its records have an urgency class from its classes under `urgency:`: the refusal of
    #: one not among them (N_("unknown repair urgency '{value}'; choose one of: {choices}"));
    #: None: it has none
    urgency: str | None = None
    #: a ticket: a resident's problem worked to a result and a return visit; it can be filed
    #: from a call (`--from-call`, `log call --file-ticket`) and reports give it the ticket
    #: figures (deadlines met, timing, satisfaction, overdue items)
    ticket: bool = False
    #: its counts in a report; None: reports do not count it
    figures: Figures | None = None
    #: how a record of it is filed: file(store, config, *, at, by, **details) -> Record,
    #: every check made before anything is written; None: its own area's workflow files it
    file: "Callable[..., Record] | None" = None
    #: a record of it logged by mistake may be set aside whole (VOIDED) while nothing
    #: followed its filing (`tickets.lifecycle.void`)
    voidable: bool = False
    #: the action that sends a record to someone (a repair's `dispatch`), its data's `to`
    #: naming them and `after` the assignments it was made knowing (ASSIGNED_AFTER); None: no
    #: such action. Two of them made without knowing each other are `assignment_conflict`.
    assigns: str | None = None
    #: the schema a record of these fields is written in, when a shape of it is newer than
    #: FIRST_SCHEMA (a desk still on an older dutyctl then says "written by a newer dutyctl",
    #: not that a field is unknown); None: FIRST_SCHEMA
    schema_of: "Callable[[Mapping[str, Any]], int] | None" = None

    def __post_init__(self) -> None:
        # every kind can have a clashing step set aside (see SETTLE); a kind need not say so
        object.__setattr__(self, "transitions", {SETTLE: ((ANY,), None), **self.transitions})
        if self.voidable:  # set aside whole: closed, as nothing is left to do
            object.__setattr__(self, "closed_statuses", (*self.closed_statuses, VOIDED))

    def status_of(self, record: Record) -> str:
        return self.replay(record)[0]

    def replay(self, record: Record) -> tuple[str, list["Clash"]]:
        """The status after the record's events in time order, and every event its status
        did not allow then (two desks' steps merged by git): such an event changes nothing,
        so a closed record is never silently reopened; `check` and `show` report it until a
        supervisor's `settle` step sets it aside."""
        status, clashes, _, _ = self._fold(record)
        return status, clashes

    def standing(self, record: Record) -> tuple[str, tuple[tuple[Event, str], ...]]:
        """status_of and changes from one fold."""
        status, _, _, changes = self._fold(record)
        return status, changes

    def counted(self, record: Record) -> tuple[Event, ...]:
        """The events that count, in time order: every one but those that clashed. Deadlines,
        reports and `closed_at` read these, so a step that changed nothing meets nothing."""
        return self._fold(record)[2]

    def changes(self, record: Record) -> tuple[tuple[Event, str], ...]:
        """Each counted event that led to a status, with that status, in time order."""
        return self._fold(record)[3]

    def _fold(self, record: Record) -> tuple[str, list["Clash"], tuple[Event, ...],
                                             tuple[tuple[Event, str], ...]]:
        status = self.initial_status(record.fields)
        clashes, counted, changes, previous = [], [], [], None
        aside = set_aside(record)
        for event in record.events:
            if event.id in aside:
                continue  # set aside by a settle step: as if never recorded
            if event.at < record.created_at:  # a hand edit: the desk refuses it, check says it
                continue  # (dated 1970, it met the response limit 20,000 days early)
            allowed, target = self.transitions.get(event.action, ((ANY,), None))
            if ANY not in allowed and status not in allowed:
                if not _repeats(event, previous):  # two desks' one decision: no clash
                    clashes.append(Clash(event, previous, status))
                continue
            counted.append(event)
            if event.action == SETTLE and self.voidable and (
                    event.data.get(SET_ASIDE) == record.id):
                target = VOIDED  # its own filing set aside: the record itself
            if isinstance(target, Once):
                target = target.status if target.reached(record.fields, tuple(counted)) else None
            if target is not None:
                status, previous = target, event
                changes.append((event, target))
        return status, clashes, tuple(counted), tuple(changes)

    def statuses(self) -> frozenset[str]:
        """Every status a record of this kind can be in, as its transitions name them."""
        named = set(self.closed_statuses)
        for allowed, target in self.transitions.values():
            named.update(status for status in allowed if status != ANY)
            if target is not None:
                named.add(target.status if isinstance(target, Once) else target)
        return frozenset(named)

    def check_transition(self, record: Record, action: str) -> None:
        if action not in self.transitions:
            raise Refused(t("a {kind} has no action '{action}'", kind=kind_word(self.name),
                            action=action))
        allowed, target = self.transitions[action]
        status = self.status_of(record)
        if ANY not in allowed and status not in allowed:
            words = [status_word(allowed_status, self.name) for allowed_status in allowed]
            said = dict(kind=kind_word(self.name), id=record.short_id,
                        status=status_word(status, self.name), action=action_word(action),
                        allowed=either(words))
            # a step back to where the record began (reopen) is refused as is: the record is
            # open already, and no step toward it ("first resolve") makes sense
            first = (None if target == self.initial_status(record.fields)
                     else self._step_toward(status, allowed))
            if first is not None:
                raise RefusedStep(lambda command: t(
                    "{kind} {id} is {status}: {action} is only possible when it is {allowed}; "
                    "first {step}: {command}", step=action_word(first), command=command,
                    **said), (self.name, first, record.short_id))
            raise Refused(t("{kind} {id} is {status}: {action} is only possible when it is "
                            "{allowed}", **said))

    def _step_toward(self, status: str, wanted: tuple[str, ...]) -> str | None:
        """The one step with a command of its own (`dutyctl KIND STEP ID`) that takes a record
        from `status` to one of the `wanted` statuses (an undispatched repair: dispatch; a
        cancelled one: reopen), else None; never a step that closes it."""
        from dutyctl.completiontable import COMPLETION

        for step, (allowed, target) in self.transitions.items():
            reached = target.status if isinstance(target, Once) else target
            if (status in allowed and reached in wanted and reached not in self.closed_statuses
                    and f"{self.name} {step}" in COMPLETION):
                return step
        return None


def assignee(record: Record) -> str | None:
    """Who the record is with, by its kind's rule (a repair: the dispatched technician)."""
    return kind_spec(record.kind).assignee(record)


def last_work_step(record: Record):
    """The record's last event of the work, which a new one may not come before. A
    supervisor's settle (作废 of a step typed twice, made the next morning) is none: the
    technician's arrival at 02:40 is still recorded at 02:40 after it."""
    return next((event for event in reversed(record.events) if event.action != SETTLE), None)


def check_next_event(record: Record, action: str, at: datetime) -> None:
    """Everything that refuses an event, checked before anything is written: the kind must
    allow the action now, and the event may not come before the record or its last event
    (history is derived in time order: an earlier event would rewrite what followed)."""
    kind_spec(record.kind).check_transition(record, action)
    if at < record.created_at:
        raise InputError(t("{id} was filed at {filed}: an event cannot come before it",
                           id=record.short_id,
                           filed=timeutil.local_time(record.created_at, at.tzinfo)))
    latest = last_work_step(record)
    if latest and at < latest.at:
        raise InputError(t("{id} already has a later event ({action} at {latest}): record "
                           "this one at or after it", id=record.short_id,
                           action=action_word(latest.action),
                           latest=timeutil.local_time(latest.at, at.tzinfo)))


def check_late_event(record: Record, event: Event) -> None:
    """Everything that refuses an event recorded after later ones though it happened before
    them (an acceptance the sync carries to a replacement: its time is the signature's, one
    both desks agree on, whatever steps either desk added since): not before the record, and
    the history with the event in its time order must be one the kind allows: the event
    itself counts, and every event that counted still does."""
    spec = kind_spec(record.kind)
    if event.action not in spec.transitions:
        spec.check_transition(record, event.action)  # says the kind has no such action
    if event.at < record.created_at:
        raise InputError(t("{id} was filed at {filed}: an event cannot come before it",
                           id=record.short_id,
                           filed=timeutil.local_time(record.created_at, event.at.tzinfo)))
    history = tuple(sorted((*record.events, event), key=lambda step: (step.at, step.id)))
    before = {clash.event.id for clash in spec.replay(record)[1]}
    clashing = [clash for clash in spec.replay(record.with_history(history))[1]
                if clash.event.id not in before]
    if clashing:
        raise InputError(t("{id} already has later events: a {action} step at {at} before "
                           "them would change what they did", id=record.short_id,
                           action=action_word(event.action),
                           at=timeutil.local_time(event.at, event.at.tzinfo)))


_REGISTRY: dict[str, KindSpec] = {}
_DISCOVERED: list[bool] = []


def register(spec: KindSpec) -> KindSpec:
    _REGISTRY[spec.name] = spec
    _ALL_EVENT_DATA.clear()  # a kind registered late (a plug-in, a test) adds its actions
    return spec


def is_kind(name: str) -> bool:
    """Whether `name` is a record kind (importing its module alone when named after it)."""
    return known_kind(name) is not None


def known_kind(name: str) -> KindSpec | None:
    """The kind's spec; its own module is imported when it is named after it (a command needs
    one kind, not all), else every kind module."""
    spec = _REGISTRY.get(name) or (_import_kind(name) if not _DISCOVERED else None)
    return spec or kinds().get(name)


def _import_kind(name: str) -> KindSpec | None:
    module = f"dutyctl.kinds.{name}"
    if name.isidentifier():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return _REGISTRY.get(name)


def kinds() -> Mapping[str, KindSpec]:
    # a flag, not "registry empty": importing one kind module directly (dutyctl.kinds.call)
    # must not hide the others
    if not _DISCOVERED:
        import dutyctl.kinds

        for name in _module_names(dutyctl.kinds.__path__):
            importlib.import_module(f"dutyctl.kinds.{name}")
        _DISCOVERED.append(True)
    return MappingProxyType(_REGISTRY)


def _module_names(folders) -> list[str]:
    """The modules of a package, in the order pkgutil.iter_modules gives them, read from its
    folders: pkgutil imports `inspect` (5 ms of a `log call`), so it is asked only for a
    package that is not in a folder (a zip)."""
    import os

    names: set[str] = set()
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            import pkgutil

            return [module.name for module in pkgutil.iter_modules(folders)]
        for entry in entries:
            stem, dot, suffix = entry.name.partition(".")
            if dot and suffix == "py" and stem.isidentifier() and stem != "__init__":
                names.add(stem)
            elif not dot and entry.is_dir() and os.path.exists(os.path.join(entry.path,
                                                                              "__init__.py")):
                names.add(entry.name)
    return sorted(names)


def kind_word(kind: str) -> str:
    """The kind as people read it (投诉), from its KindSpec; the id for an unknown kind."""
    spec = known_kind(kind)
    return translated(spec.word) if spec is not None and spec.word else kind


def require_kind(record: Record, *kinds: str) -> None:
    """Refuse `record` unless it is of one of `kinds` (an id of the wrong kind typed)."""
    if record.kind not in kinds:
        from dutyctl.commandwords import SUB, said

        expected = t(" or ").join(map(kind_word, kinds))
        if record.kind in SUB:  # 报修 完工 typed for a complaint: its own steps are named
            raise InputError(t("{id} is of kind {kind}, not {expected} (its steps: dutyctl "
                               "{command} --help)", id=record.short_id,
                               kind=kind_word(record.kind), expected=expected,
                               command=said(record.kind)))
        raise InputError(t("{id} is of kind {kind}, not {expected}", id=record.short_id,
                           kind=kind_word(record.kind), expected=expected))


def kind_words() -> dict[str, "str | tuple[str, str]"]:
    """Every kind's word (untranslated), for `words.choices`: filters accept id or word."""
    return {name: spec.word or name for name, spec in kinds().items()}


def handover_kinds() -> tuple[str, ...]:
    """The kinds whose open records a handover carries, in the order it shows them."""
    carried = [(spec.handover, name) for name, spec in kinds().items()
               if spec.handover is not None]
    return tuple(name for _, name in sorted(carried))


def _in_report_order(specs) -> tuple[str, ...]:
    """Kind names in the order reports count them, then by name."""
    order = sorted(specs, key=lambda spec: (spec.figures.place if spec.figures else 1_000,
                                            spec.name))
    return tuple(spec.name for spec in order)


def kinds_with(declared: str) -> tuple[str, ...]:
    """The kinds whose KindSpec sets `declared` ("category", "urgency", "ticket", "file"), in
    report order."""
    return _in_report_order(spec for spec in kinds().values() if getattr(spec, declared))


def categorized_kinds() -> tuple[str, ...]:
    """The kinds whose records have a category (`categories:` in dutyctl.yaml)."""
    return kinds_with("category")


def ticket_kinds() -> tuple[str, ...]:
    """The ticket kinds (KindSpec.ticket)."""
    return kinds_with("ticket")


def declares(kind: str, declared: str) -> bool:
    """Whether `kind` is a kind whose KindSpec sets `declared` (importing its module alone):
    `declares(call.get("category"), "ticket")`."""
    spec = known_kind(kind) if isinstance(kind, str) else None
    return spec is not None and bool(getattr(spec, declared))


def counted_kinds() -> dict[str, str]:
    """Kind -> the key of its counts in a report, in report order."""
    return {name: kind_spec(name).figures.key
            for name in _in_report_order(spec for spec in kinds().values() if spec.figures)}


def file_record(store, config, kind: str, *, at: datetime, by: str, **details) -> Record:
    """File a record of `kind` by its KindSpec.file (refused for a kind filed otherwise)."""
    return filing(kind)(store, config, at=at, by=by, **details)


def filing(kind: str):
    """The KindSpec.file of `kind`; refused (before anything is written) for a kind filed
    otherwise."""
    spec = kind_spec(kind)
    if spec.file is None:
        raise InputError(t("a {kind} is not filed this way", kind=kind_word(kind)))
    return spec.file


def kind_spec(name: str) -> KindSpec:
    spec = known_kind(name)
    if spec is None:
        raise Refused(t("unknown record kind '{kind}'", kind=name))
    return spec


#: the keys that tell a file of another kind put where it does not belong (another desk's
#: slip: a record saved into rosters/, the rules copied into records/): a roster's, the
#: rules' and dutyctl.yaml's top keys, in English and under each Chinese name they take
#: (ruleskeys.TOP, configkeys.TOP: 基本信息 as well as 站点)
_ROSTER_TOP = ("period", "assignments")
_RULES_TOP = frozenset(ruleskeys.TOP) | frozenset(ruleskeys.TOP.values())
_CONFIG_TOP = frozenset(configkeys.TOP) | frozenset(configkeys.TOP.values())


def another_kind(data: Any, here: str) -> str | None:
    """What a file holds when it is plainly of another kind than `here` ("record",
    "roster") and has none of its own keys: said in one line (`not a roster: this is a
    record (来电 01M9920000000000000000000B); a record's file belongs under records/`)
    instead of a line for each key it has and each it lacks. None: not one of dutyctl's."""
    if not isinstance(data, dict):
        return None
    own = RECORD_KEYS if here == "record" else _ROSTER_TOP
    if any(key in data for key in own):
        return None
    named, record_id = data.get("kind"), data.get("id")
    if here != "record" and isinstance(named, str) and known_kind(named) is not None and \
            isinstance(record_id, str) and ids.normalize(record_id) == record_id and \
            len(record_id) == ids.ID_LENGTH:
        return t("a record ({kind} {id}); a record's file belongs under records/",
                 kind=kind_word(named), id=record_id)
    if here != "roster" and any(key in data for key in _ROSTER_TOP):
        return t("a roster; a roster's file belongs under rosters/, named for its period "
                 "(2026-12.yaml)")
    if any(key in _RULES_TOP for key in data if isinstance(key, str)):
        return t("the roster rules; the roster rules belong in rosters/rules.yaml")
    if any(key in _CONFIG_TOP for key in data if isinstance(key, str)):
        return t("a copy of dutyctl.yaml")
    return None


#: the `rule` of the one line said of a file under records/ that plainly holds something else
#: (a roster, the roster rules, a copy of dutyctl.yaml: another_kind), as
#: roster.rosterfile.NOT_A_ROSTER of one under rosters/
NOT_A_RECORD = "not-a-record"


def parse_record(data: Any, path: str, config: Any, problems: list[Problem],
                 file: str | None = None) -> Record | None:
    """A Record from loaded YAML, or None; every problem found goes to `problems` (located
    at `path`). The record keeps `file` as its path when given, else `path`."""
    before = len(problems)
    # a mapping with an id is no other kind's (another_kind: 1.4 µs a record, this 0.07)
    other = None if isinstance(data, dict) and "id" in data else another_kind(data, "record")
    if other is not None:
        problems.append(Problem(path, getattr(data, "line", None) or 1,
                                t("not a record: this is {what}", what=other),
                                {"rule": NOT_A_RECORD}))
        return None
    top = Fields(data, path, problems)
    if not top.ok:
        return None
    record_id = top.text("id")
    named = top.raw("kind")
    known = isinstance(named, str) and known_kind(named) is not None
    kind = top.text("kind", choices=[named] if known else kinds())
    schema = top.integer("schema", minimum=1)
    created_at = top.timestamp("created_at")
    recorded_by = top.text("recorded_by")
    if record_id and (ids.normalize(record_id) != record_id or len(record_id) != ids.ID_LENGTH):
        top.problem("id", t("'{id}' is not a dutyctl id", id=record_id))
    _newer_than_this(top, schema)
    if kind:
        kind_spec(kind).check_fields(top, config)
    if len(problems) > before:
        return None
    fields = {key: value for key, value in top.data.items() if key not in RECORD_KEYS}
    return Record(record_id, kind, created_at, recorded_by, MappingProxyType(fields),
                  schema=schema, path=path if file is None else file, line=top.line or 1,
                  field_lines=MappingProxyType(dict(getattr(top.data, "lines", {}))))


# the data an action's event carries, checked like a record's fields (a merged or hand-made
# event with `satisfaction: five` is a problem, not a visit without a score). Actions every
# kind has are here; the others come with their kind (KindSpec.event_data).
EVENT_DATA: Mapping[str, EventData] = {
    LINK: ((LINK,), lambda top: top.text(LINK)),
    SETTLE: ((SET_ASIDE,), lambda top: top.text(SET_ASIDE)),
}
_ALL_EVENT_DATA: list[dict[str, EventData]] = []


def event_data() -> Mapping[str, EventData]:
    """Every action's event data: EVENT_DATA and every kind's. Events are read before their
    record, so an action means one thing whatever its kind: two kinds that declare the same
    action declare the same data (one object, e.g. the tickets' `close`)."""
    if not _ALL_EVENT_DATA:
        merged = dict(EVENT_DATA)
        for spec in kinds().values():
            for action, data in spec.event_data.items():
                if merged.setdefault(action, data) is not data:
                    raise ValueError(f"kind {spec.name}: action {action!r} carries other data "
                                     "than another kind's")
        _ALL_EVENT_DATA.append(merged)
    return _ALL_EVENT_DATA[0]


def _newer_than_this(top: Fields, schema: int | None) -> None:
    """A record or step of a schema this dutyctl does not read yet: said as such (upgrade),
    not as fields it does not know."""
    if schema and schema > SCHEMA_VERSION:
        top.problem("schema", t("written by a newer dutyctl (schema {schema})", schema=schema))


def parse_event(data: Any, path: str, problems: list[Problem]) -> Event | None:
    before = len(problems)
    top = Fields(data, path, problems)
    if not top.ok:
        return None
    event_id, record_id = top.text("id"), top.text("record")
    _newer_than_this(top, top.integer("schema", minimum=1))
    at, by, action = top.timestamp("at"), top.text("by"), top.text("action")
    note = top.text("note", required=False)
    declared = event_data().get(action)
    if declared is not None:
        keys, check = declared
        top.unknown((*EVENT_KEYS, *keys))
        check(top)
    if len(problems) > before:
        return None
    extra = {key: value for key, value in top.data.items() if key not in EVENT_KEYS}
    return Event(event_id, record_id, at, by, action, note, MappingProxyType(extra), path,
                 top.line or 1, MappingProxyType(dict(getattr(top.data, "lines", {}))))
