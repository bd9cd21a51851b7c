"""The written handover: gathering every open item, writing it, accepting it.

Gathered automatically (seed 4.1, domain notes §3: open issues, repairs and complaints are
handed over in writing): emergencies in progress, open complaints and repairs, callbacks
still owed (the calls `tickets.deadlines.waiting_callbacks` finds waiting) and open readiness
problems: the kinds whose KindSpec has a `handover` place (records.handover_kinds), open per
`queries.is_open`, in that order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from dutyctl import timeutil
from dutyctl.errors import InputError, NotFound, Refused
from dutyctl.frozen import frozen
from dutyctl.kinds.call import CALL as CALLS, attempts
from dutyctl.kinds.handover import (ACCEPT, CLOSED_IN_SHIFT, HANDOVER, HANDOVER_ID,
                                    INSTEAD_OF, OPEN_ITEM, PENDING, REPLACE, REPLACES,
                                    SHIFT_ENTRY, UNDECIDED, acceptances, recipients,
                                    replacement, was_replaced)
from dutyctl.kinds.readiness import READINESS_PROBLEM
from dutyctl.messages import NP_, pgettext, t
from dutyctl.queries import is_open
from dutyctl.timeutil import local_time
from dutyctl.records import (ASSIGNED_TO, Record, as_it_stood, assignment_conflict,
                             check_next_event, creation_order, last_event, handover_kinds,
                             kind_spec, kind_word, require_kind)
from dutyctl.residents import place_of
from dutyctl.store import ids

KIND = HANDOVER.name
CALL, PROBLEM = CALLS.name, READINESS_PROBLEM.name
NOTE = "note"  # the kind of a handover's note in its CSV rows, beside its items' kinds


def item_word(kind: str, type_: str | None = None) -> str:
    """What a handover item is, in words (the `kind` column of `handover show`, its table and
    its sheet): a call is there for its callback, a log entry by its type, a NOTE a note."""
    from dutyctl.words import entry_word

    if type_:  # a duty log entry: patrol, visitor...
        return entry_word(type_)
    if kind == NOTE:
        return t("note")
    return t("callback") if kind == CALL else kind_word(kind)


#: A handover item's group (kinds.handover.item_group) as its CSV and sheet say it, after the
#: headings its screen lists them under
GROUP_WORDS = {OPEN_ITEM: NP_("handover item", "open"),
               CLOSED_IN_SHIFT: NP_("handover item", "closed during the shift"),
               SHIFT_ENTRY: NP_("handover item", "duty log entry")}


def group_word(group: str) -> str:
    """`closed` → 本班已处置 (the id when unknown)."""
    return pgettext(*GROUP_WORDS[group]) if group in GROUP_WORDS else group


@frozen
class HandoverItem:
    kind: str
    record: str
    status: str
    text: str
    since: datetime
    room: str | None = None
    due: datetime | None = None
    item: str | None = None  # a readiness problem's checklist item id (shown by its label)
    type: str | None = None  # a duty log entry's type (patrol, visitor...)
    attempts: int = 0  # a callback's attempts so far
    last_attempt: str | None = None  # how the last one ended (an id: no-answer, busy...)
    #: a repair two desks dispatched to different technicians between syncs: them (staff
    #: ids), a decision the next shift must make (records.assignment_conflict)
    undecided: tuple[str, ...] = ()

    def to_data(self) -> dict:
        data = {"kind": self.kind, "record": self.record, "status": self.status}
        if self.room:
            data["room"] = self.room
        if self.item:
            data["item"] = self.item
        if self.type:
            data["type"] = self.type
        data["text"] = self.text
        data["since"] = timeutil.to_iso(self.since)
        if self.due:
            data["due"] = timeutil.to_iso(self.due)
        if self.attempts:
            data.update(attempts=self.attempts, last_attempt=self.last_attempt)
        if self.undecided:
            data[UNDECIDED] = list(self.undecided)
        return data

    @classmethod
    def from_data(cls, data: Any) -> "HandoverItem":
        return cls(data["kind"], data["record"], data["status"], data.get("text") or "",
                   timeutil.from_iso(data["since"]), data.get("room"),
                   timeutil.from_iso(data["due"]) if data.get("due") else None,
                   data.get("item"), data.get("type"), int(data.get("attempts") or 0),
                   data.get("last_attempt"), tuple(data.get(UNDECIDED) or ()))


def item_of(record: Record, due: datetime | None = None) -> HandoverItem:
    """The record as a handover item; `due`: a call's promised callback."""
    from dutyctl.views import record_text

    if record.kind == PROBLEM:  # the item id is kept; screens show its label
        text = record.get("note") or ""
    else:
        text = record_text(record) or kind_spec(record.kind).summary(record)
    text += _latest_progress(record)
    room = place_of(record)  # an emergency's 3号楼, not its reporter's 3-1-502
    item = record.get("item") if record.kind == PROBLEM else None
    tried = attempts(record) if record.kind == CALL else []
    undecided = tuple(str(event.data.get(ASSIGNED_TO)) for event in assignment_conflict(record))
    return HandoverItem(record.kind, record.id, record.status, text, record.created_at, room, due,
                        item, None, len(tried), tried[-1].data.get("result") if tried else None,
                        undecided)


def _latest_progress(record: Record) -> str:
    """An emergency in progress: its latest logged step after what it was (` → 05:30 低区临时
    恢复供水`), so the next shift reads where it stands, not only the first report of it.
    In no language's words: the item's text is kept in the handover's file as it is."""
    from dutyctl.kinds.emergency import KIND as EMERGENCY, LOG

    if record.kind != EMERGENCY or not is_open(record):  # one closed: its outcome says it
        return ""
    step = last_event(record, LOG)
    if step is None or not (step.note or "").strip():
        return ""
    return f" → {step.at:%H:%M} {' '.join(step.note.split())}"


def open_items(store, at: datetime, book=None) -> list[HandoverItem]:
    """What was open at `at` in the store, each as it stood then (a handover written late,
    `--at` before later steps, lists what a handover written at `at` would have), as handover
    items: emergencies first, then complaints, repairs, callbacks (soonest due first; the
    calls `tickets.deadlines.waiting_callbacks` finds waiting) and readiness problems, oldest
    first in each. With `book` (tickets.deadlines.DeadlineBook) a complaint or repair carries
    its next deadline still to meet as its `due`, as a callback carries its promise, so every
    item past its deadline is marked overdue the same way. A record whose text the handover could not carry (a hand edit put a
    control character in it) is left out and named as skipped: one bad record must not block
    every handover."""
    from dutyctl.tickets.deadlines import waiting_callbacks

    # a call is carried while its callback waits (not while "open"): waiting_callbacks finds it
    scan = store.open_at(tuple(kind for kind in handover_kinds() if kind != CALL), at)
    waiting, unread = waiting_callbacks(store, at, as_it_stood=True)
    store.skip(scan.problems + unread)
    items = [(record, item_of(record, _next_due(book, record, at)))
             for record in as_it_stood(scan.records, at) if is_open(record)]
    items += [(call, item_of(call, deadline.due)) for call, deadline in waiting]
    return sorted(_all_carried(store, items),
                  key=lambda item: (kind_spec(item.kind).handover,
                                    item.due if item.kind == CALL else item.since,
                                    item.since, item.record))


def _next_due(book, record: Record, at: datetime) -> datetime | None:
    """The soonest deadline the record still has to meet at `at` (None without one)."""
    deadline = book.next_due(record, at) if book is not None else None
    return deadline.due if deadline is not None else None


def is_overdue(item: HandoverItem, at: datetime) -> bool:
    """The item was past its deadline (a callback's promise, a ticket's next limit) at `at`."""
    return item.due is not None and item.due < at


#: At most this many of the open complaints, repairs and callbacks on the screen of a
#: handover written or accepted: the most urgent (`screen_items`); the rest are counted by
#: kind. The handover itself keeps every item, and `handover show` lists them all.
SHOWN_OPEN_ITEMS = 10


def screen_items(store, config, items: Sequence[HandoverItem], at: datetime
                 ) -> tuple[list[HandoverItem], list[HandoverItem]]:
    """The open items a screen shows, and those it leaves out: every emergency and readiness
    problem (and every other item that is no complaint, repair or callback), in the
    handover's order, and every emergency repair (急修); of more than SHOWN_OPEN_ITEMS
    complaints, repairs and callbacks, the most urgent, after the emergencies: the overdue
    first, each by urgency
    (SiteConfig.urgency_rank: 急修, then what is timed round the clock), then the one due
    longest ago."""
    from dutyctl.kinds.emergency import KIND as EMERGENCY
    from dutyctl.records import ticket_kinds
    from dutyctl.tickets.deadlines import CALLBACK

    ranked_kinds = {*ticket_kinds(), CALL}
    ranked = [item for item in items if item.kind in ranked_kinds]
    if len(ranked) <= SHOWN_OPEN_ITEMS:
        return list(items), []
    urgency = _urgencies(store, [item.record for item in ranked if item.kind != CALL])
    ranks = {id(item): config.urgency_rank(CALLBACK if item.kind == CALL else item.kind,
                                           urgency.get(item.record)) for item in ranked}

    def key(item: HandoverItem) -> tuple:
        return (not is_overdue(item, at), ranks[id(item)],
                item.due is None, item.due or item.since, item.since, item.record)

    # an emergency repair (急修, rank 0) is always shown, as emergencies are: one filed minutes
    # ago is the most urgent thing the next shift inherits, however many others are overdue
    always = sorted((item for item in ranked if ranks[id(item)] == 0), key=key)
    others = sorted((item for item in ranked if ranks[id(item)] != 0), key=key)
    room = max(0, SHOWN_OPEN_ITEMS - len(always))
    shown, left = [*always, *others[:room]], others[room:]
    first = [item for item in items if item.kind == EMERGENCY]
    rest = [item for item in items if item.kind not in ranked_kinds and item.kind != EMERGENCY]
    return [*first, *shown, *rest], left


def _urgencies(store, record_ids: list[str]) -> dict[str, str | None]:
    """{id: urgency class} of these records, read together: each day folder holding them
    listed once, not three folders a record (`Store.get`, which still finds one not in its
    id's folder: the site's zone changed). A record gone since (another desk's, not synced)
    or unreadable: None, no class."""
    from collections import defaultdict

    from dutyctl.errors import DutyError
    from dutyctl.kinds.complaint import urgency_of

    by_day: dict = defaultdict(list)
    for record_id in record_ids:
        if len(record_id) == ids.ID_LENGTH and ids.normalize(record_id) == record_id:
            by_day[ids.moment_of(record_id).astimezone(store.tz).date()].append(f"{record_id}.")
    found = {record.id: urgency_of(record) for day, wanted in by_day.items()
             for record in store.load_records(day, tuple(wanted), [])}
    for record_id in set(record_ids) - set(found):
        try:
            found[record_id] = urgency_of(store.get(record_id))
        except DutyError:
            found[record_id] = None
    return found


def _carried(store, record: Record, item: HandoverItem) -> HandoverItem | None:
    """The item as the handover file holds it: a text no record may hold (a control
    character or a field too long, in a file another desk wrote by hand) with those
    characters shown as their visible escapes (`␛`, as every screen shows them) and cut to
    MAX_TEXT; an open complaint was otherwise left out of the handover, said only on stderr.
    None, said as skipped, where even that leaves one (a reader's last guard)."""
    from dutyctl.errors import Problem
    from dutyctl.frozen import replace
    from dutyctl.safetext import visible
    from dutyctl.schema import MAX_TEXT, text_problems

    if not next(text_problems(item.to_data(), ""), None):
        return item
    item = replace(item, **{name: visible(value)[:MAX_TEXT] for name in item.__frozen_fields__
                            if isinstance(value := getattr(item, name), str)})
    reasons = list(text_problems(item.to_data(), ""))
    if reasons:
        store.skip([Problem(store.relative(record.path), record.line,
                            t("left out of the handover: {reason}", reason=reasons[0]))])
        return None
    return item


def _all_carried(store, chosen) -> list[HandoverItem]:
    """`_carried` of each (record, item), those it keeps."""
    return [kept for record, item in chosen
            if (kept := _carried(store, record, item)) is not None]


#: Without a duty to start from, the shift's entries are those since the last handover, at
#: most this long ago.
LONGEST_SHIFT = timedelta(hours=24)


def shift_start(store, at: datetime, duty: Record | None) -> datetime:
    """Where the shift being handed over began: the writer's clock-in, else the last handover
    written before `at` (by anyone), else LONGEST_SHIFT before `at`."""
    if duty is not None:
        return duty.created_at
    earliest = at - LONGEST_SHIFT
    tz = store.tz
    scan = store.scan(earliest.astimezone(tz).date(), at.astimezone(tz).date(), (KIND,))
    before = [record.created_at for record in scan.records
              if earliest < record.created_at < at]
    return max(before, default=earliest)


def shift_entries(store, since: datetime, at: datetime) -> list[HandoverItem]:
    """The duty log entries (patrols, visitors, keys...) logged since the shift began, as
    handover items after the open ones, oldest first."""
    from dutyctl.kinds.entry import entries_between

    entries = [(record, _entry_item(record)) for record in entries_between(store, since, at)]
    return _all_carried(store, entries)


#: How long before the shift an emergency closed during it may have begun (older ones were
#: handed over open, at least once, by the handovers before).
EMERGENCY_REACH = timedelta(days=7)


def shift_emergencies(store, since: datetime, at: datetime) -> list[HandoverItem]:
    """Emergencies the shift saw to an end: closed after `since` up to `at` (domain notes §3:
    an incident report comes first in a handover), as closed handover items, oldest first.
    Those still in progress are open items already."""
    from dutyctl.kinds.emergency import EMERGENCY
    from dutyctl.queries import closed_at

    tz = store.tz
    scan = store.scan((since - EMERGENCY_REACH).astimezone(tz).date(),
                      at.astimezone(tz).date(), (EMERGENCY.name,))
    store.skip(scan.problems)
    ended = [(record, closed_at(record, at)) for record in scan.records]
    chosen = [(record, item_of(record)) for record, closed in ended
              if closed is not None and since < closed <= at]
    return _all_carried(store, chosen)


def callouts_under_way(store, at: datetime, names) -> list[HandoverItem]:
    """The call-outs under way at `at` (the technician on call still out at the morning
    handover), as open items naming who is out (`names`: names.Names) and what for, oldest
    first: the next shift must know who is not at home to call, and who to end."""
    from dutyctl.kinds.callout import KIND as CALLOUT

    scan = store.open_at((CALLOUT,), at)
    store.skip(scan.problems)
    chosen = []
    for record in as_it_stood(scan.records, at):
        if not is_open(record):
            continue
        text = " ".join(str(part) for part in (names.person(record.get("staff")),
                                               _came_in_for(store, record, names),
                                               record.get("note")) if part)
        chosen.append((record, HandoverItem(record.kind, record.id, record.status, text,
                                            record.created_at)))
    return _all_carried(store, chosen)


def _came_in_for(store, record: Record, names) -> str | None:
    """The emergency a call-out came in for, as a handover line says it (停电 3号楼: its
    type by name, its place)."""
    from dutyctl.errors import DutyError

    if not record.get("emergency"):
        return None
    try:
        emergency = store.get(str(record.get("emergency")))
    except DutyError:
        return None
    kind = names.config.emergencies.get(emergency.get("type"))
    where = emergency.get("where")
    what = " ".join(str(part) for part in (kind.name if kind else emergency.get("type"),
                                           names.room_line(where) if where else None) if part)
    return t("for emergency {what}", what=what)


def _entry_item(record: Record) -> HandoverItem:
    return HandoverItem(record.kind, record.id, record.status, record.get("content") or "",
                        record.created_at, record.get("where"), type=record.get("type"))


#: Without a duty (the writer not clocked in), two handovers from one person this close
#: together are taken for the same shift change.
SAME_SHIFT_CHANGE = timedelta(hours=12)


def same_shift_change(store, *, by: str, at: datetime, duty_id: str | None,
                      written: Record | None = None) -> list[Record]:
    """The handovers still waiting that `by` wrote before `at` for the same shift change (the
    same duty, else within SAME_SHIFT_CHANGE), oldest first. `written`: the handover itself,
    when it is written already (left out, and only those written before it)."""
    earlier = []
    for record in pending_handovers(store):
        if (record.get("from") != by or record.created_at > at
                or (written is not None and record.id == written.id)
                or (record.events and record.events[-1].at > at)):
            continue
        if duty_id or record.get("duty"):
            if record.get("duty") != duty_id:
                continue
        elif at - record.created_at > SAME_SHIFT_CHANGE:
            continue
        earlier.append(record)
    if written is not None:  # written before this one, as the ids order them at one moment
        earlier = [record for record in earlier if (record.created_at, record.id)
                   < (written.created_at, written.id)]
    return earlier


def replaced_by(store, *, by: str, to: Sequence[str], at: datetime,
                duty_id: str | None, written: Record | None = None) -> list[Record]:
    """The handovers a handover from `by` to `to` at `at` replaces (oldest first): those
    still waiting that `by` wrote before it for the same shift change (same_shift_change) to
    people all among `to` (one to others as well still waits for them), which nobody has
    accepted yet. `written`: as in same_shift_change."""
    return [record for record in same_shift_change(store, by=by, at=at, duty_id=duty_id,
                                                   written=written)
            if not signatures(record) and set(recipients(record.fields)) <= set(to)]


def left_waiting(store, record: Record) -> list[Record]:
    """The handovers of the same shift change from the same writer that `record`, written
    now, did not replace and that still wait (oldest first): one some of its people accepted
    already (their signature stands: it is never replaced), or one to other people (a wrong
    recipient corrected: `write_handover`'s `replacing` replaces it). Said to the writer,
    so two handovers never wait side by side unsaid."""
    return same_shift_change(store, by=record.get("from"), at=record.created_at,
                             duty_id=record.get("duty"), written=record)


def handover_named(store, typed_id: str) -> Record:
    """The handover `typed_id` names; refused when it is another kind of record."""
    record = store.get(typed_id)
    require_kind(record, KIND)
    return record


def chosen_to_replace(store, typed: Sequence[str], *, by: str, at: datetime,
                      names) -> list[Record]:
    """The handovers named to be replaced (a wrong recipient corrected): each a handover
    `by` wrote before `at`, still waiting, that nobody accepted yet; else refused, naming
    why (`names`: names.Names)."""
    chosen = []
    for typed_id in typed:
        record = handover_named(store, typed_id)
        if record.get("from") != by:
            raise Refused(t("handover {id} was written by {sender}: only they replace it",
                            id=record.short_id, sender=names.person(record.get("from"))))
        if signatures(record):
            raise Refused(t("handover {id} was accepted by {staff} already: an accepted "
                            "handover is not replaced, write the new one without replacing "
                            "it", id=record.short_id,
                            staff=names.people(list(signatures(record)))))
        if (record.status != PENDING or record.created_at > at
                or (record.events and record.events[-1].at > at)):
            raise Refused(t("handover {id} is not waiting at {at}: nothing to replace",
                            id=record.short_id, at=local_time(at, names.config.tz)))
        chosen.append(record)
    return chosen


def calls_without_ticket(store, config, since: datetime, at: datetime) -> list[Record]:
    """The shift's calls about a complaint or repair (their category names a ticket kind,
    `ticket_kind_of_call`) with no ticket of that kind filed from them, nor one of that room
    or phone open when the call came (a caller chasing theirs) or filed since (by hand, not
    from the call), oldest first: only a hint said so when the call was logged, and no later
    shift would see them (a flooding kitchen reported at 19:00 and gone at the 19:40
    handover). Voided calls are no matter."""
    from dutyctl.kinds.call import ticket_kind_of_call
    from dutyctl.queries import open_at
    from dutyctl.records import VOIDED, linked_ids, ticket_kinds

    tz = store.tz
    scan = store.scan(since.astimezone(tz).date(), at.astimezone(tz).date(),
                      (CALL, *ticket_kinds()))  # the shift's calls and tickets, read once
    store.skip(scan.problems)
    calls = [(record, ticket_kind_of_call(config, record.get("category")))
             for record in sorted(scan.records, key=creation_order)
             if record.kind == CALL and since < record.created_at <= at
             and record.status != VOIDED]
    filed = {record.id: record for record in scan.records  # the tickets filed in the shift
             if record.kind != CALL and since < record.created_at <= at}
    before: dict[str, list[Record]] = {}  # kind -> its tickets open as the shift began
    found = []
    for call, kind in calls:
        if kind is None or any(linked in filed and filed[linked].kind == kind
                               for linked in linked_ids(call)):
            continue  # a ticket filed from it (one comes after its call, by `at`)
        if kind not in before:
            opened = store.open_at((kind,), since)
            store.skip(opened.problems)
            before[kind] = opened.records
        # the caller's, open when the call came (chasing it) or filed since (by hand)
        theirs = [*(ticket for ticket in [*before[kind], *filed.values()]
                    if ticket.kind == kind and open_at(ticket, call.created_at)),
                  *(ticket for ticket in filed.values()
                    if ticket.kind == kind and ticket.created_at >= call.created_at)]
        if not any(_same_caller(call, ticket) for ticket in theirs):
            found.append(call)
    return found


def _same_caller(call: Record, ticket: Record) -> bool:
    """The ticket is the caller's: the same whole phone number, or the same room or place."""
    from dutyctl.residents import person_of
    from dutyctl.rooms import normalise
    from dutyctl.schema import same_number

    phone, other = (same_number(str(person_of(record).get("phone") or ""))
                    for record in (call, ticket))
    if phone and phone == other:
        return True
    room, where = (place_of(record) for record in (call, ticket))
    return room is not None and where is not None and normalise(str(room)) == normalise(
        str(where))


@frozen
class Written:
    """A handover just written, and the handovers it replaced, each as it is now (its replace
    step last); `unfiled`: the shift's calls about a ticket none was filed for
    (`calls_without_ticket`), for the writer to be told."""
    record: Record
    replaced: tuple[Record, ...] = ()
    unfiled: tuple[Record, ...] = ()

    @property
    def steps(self) -> list[str]:
        """The files of the replace steps (for the commit beside the handover's own), from
        each record's own path as `Store.append` wrote them (a step read back from its file
        has its path relative to the workspace, which git, run elsewhere, would not find)."""
        return [earlier.events[-1].path for earlier in self.replaced]


def write_handover(store, *, by: str, to: Sequence[str], at: datetime,
                   items: Sequence[HandoverItem], notes: Sequence[str], names,
                   duty_id: str | None = None, replacing: Sequence[str] = ()) -> Written:
    """The outgoing person's signature, addressed to everyone in `to` (each accepts for
    themselves). `names` (names.Names): a refusal names people as the desk reads them.
    Written again for the same shift change before anyone accepted the earlier one
    (`replaced_by`), it replaces it: the earlier notes come along (those not written again),
    before the new ones, and the earlier handover is closed as replaced (`Written.steps`
    gives the files of those steps). `replacing`: handovers named (typed ids) to be replaced
    as well, whoever they were to (a wrong recipient corrected: chosen_to_replace)."""
    to = list(dict.fromkeys(to))
    if not to:
        raise InputError(t("a handover needs at least one incoming person"))
    if by in to:
        raise InputError(t("{staff} cannot hand over to themselves: name the incoming people",
                           staff=names.person(by)))
    named = chosen_to_replace(store, replacing, by=by, at=at, names=names)
    earlier = replaced_by(store, by=by, to=to, at=at, duty_id=duty_id)
    earlier = sorted({record.id: record for record in [*earlier, *named]}.values(),
                     key=lambda record: (record.created_at, record.id))
    fields: dict[str, Any] = {"from": by, "to": to}
    if duty_id:
        fields["duty"] = duty_id
    if earlier:
        fields[REPLACES] = [record.id for record in earlier]
    fields["items"] = [item.to_data() for item in items]
    from dutyctl.schema import require_text

    written = [require_text(note, "note") for note in notes if note and note.strip()]
    carried = [note for record in earlier for note in record.get("notes") or ()
               if note not in written]
    fields["notes"] = list(dict.fromkeys([*carried, *written]))
    for replaced in earlier:  # every replace step allowed before anything is written
        check_next_event(replaced, REPLACE, at)
    record = store.create(KIND, fields, at=at, by=by)
    return Written(record, tuple(replace(store, replaced, record, at=at, by=by)
                                 for replaced in earlier))


def replaced_by_written(store, record: Record) -> list[Record]:
    """The handovers still waiting that `record`, written already, replaces (`replaced_by`)."""
    return replaced_by(store, by=record.get("from"), to=recipients(record.fields),
                       at=record.created_at, duty_id=record.get("duty"), written=record)


def closed_for(store, record: Record, person: str) -> list[Record]:
    """The handovers to `person` that an acceptance of `record` closed as replaced before
    (written on two desks before a sync, the later not knowing of the earlier: its notes were
    not carried), oldest first: each of its people accepting `record` is told what it lacks,
    not only the one whose acceptance closed it."""
    tz = store.tz
    scan = store.scan((record.created_at - ACCEPTED_LOOKBACK).astimezone(tz).date(),
                      record.created_at.astimezone(tz).date(), (KIND,))
    carried = set(record.get(REPLACES) or ())
    return [earlier for earlier in scan.records
            if earlier.id != record.id and earlier.id not in carried
            and person in recipients(earlier.fields)
            and any(event.action == REPLACE and event.data.get(HANDOVER_ID) == record.id
                    for event in earlier.counted_events)]


def lacking(earlier: Record, later: Record) -> tuple[list[HandoverItem], list[str]]:
    """What `earlier` lists that `later` does not: its items (by record, a free-text item by
    its text) and its notes. Said when an acceptance closes `earlier` as replaced (written on
    two desks before a sync, its notes were not carried), so nothing in it is lost unseen."""
    def key(item: HandoverItem) -> tuple:
        return (item.kind, item.record or item.text)

    have = {key(item) for item in items_of(later)}
    notes = set(later.get("notes") or ())
    return ([item for item in items_of(earlier) if key(item) not in have],
            [note for note in earlier.get("notes") or () if note not in notes])


def replace(store, earlier: Record, later: Record, *, at: datetime, by: str) -> Record:
    """Close `earlier` as replaced by `later` (a step naming it)."""
    return store.append(earlier, REPLACE, at=at, by=by, data={HANDOVER_ID: later.id})


def carry_acceptances(store, record_ids) -> tuple[list[tuple[Record, Record, list]],
                                                   list[tuple[Record, Record, list[str],
                                                              str | None]]]:
    """A shift change accepted once is accepted: among the handovers `record_ids` (the records
    a sync brought steps for; others are passed over), each replaced by a later one (a replace
    step that counts) whose people signed it all the same, at or after that step (on a desk
    that had not heard of the replacement yet), has their signatures carried to the handover
    that stands for the shift change now (the one replacing it, or the one replacing that), as
    accept steps naming it (HANDOVER_ID): the replacement no longer waits for them, and
    reports count the shift change once. Only when the replacement adds nothing to what they
    signed (no item, no note: `lacking`); one that adds something still waits for them, as
    they never saw it. Each step's time and id come from what both desks share (the
    signature's time, the replace steps' times), so two desks carrying it write one file.
    Returns (earlier, later as it stands now, the steps written) for each carried, and
    (earlier, later, the people it still waits for, why) for each that adds something (why:
    None) or whose history refused the step (why: the refusal): nobody is passed over
    unsaid."""
    from dutyctl.errors import DutyError

    carried, withheld = [], []
    for record_id in dict.fromkeys(record_ids):
        try:
            earlier = store.get(record_id)
        except DutyError:
            continue  # unreadable: check says why
        if earlier.kind != KIND or not was_replaced(earlier) or not signatures(earlier):
            continue
        chain = _standing_replacement(store, earlier)
        if chain is None:
            continue
        later, replaced_at = chain
        closed = last_event(earlier, REPLACE).at  # signed before it: the step clashed
        signed_after = {person: signed for person, signed in signatures(earlier).items()
                        if signed.at >= closed and person in recipients(later.fields)
                        and person not in acceptances(later.fields, later.events)}
        if not signed_after:
            continue
        if any(lacking(later, earlier)):  # it adds what they never saw: they accept it
            withheld.append((earlier, later, list(signed_after), None))
            continue
        steps, refused = [], []
        for person, signed in signed_after.items():
            # late: the replacement may have later steps already (another person's
            # acceptance, a note), on one desk and not yet on the other: the step keeps the
            # time both desks agree on and takes its place among them
            at = max(signed.at, replaced_at)
            data = {HANDOVER_ID: earlier.id}
            if signed.data.get(INSTEAD_OF):
                data[INSTEAD_OF] = signed.data[INSTEAD_OF]
            event_id = ids.derived_id(at, f"{later.id} {signed.id}")
            try:
                later = store.append(later, ACCEPT, at=at, by=signed.by, data=data,
                                     event_id=event_id, late=True)
            except DutyError as exc:  # a history it cannot take (edited by hand): said
                refused.append((person, exc))
                continue
            steps.append(next(event for event in later.events if event.id == event_id))
        if steps:
            carried.append((earlier, later, steps))
        if refused:
            withheld.append((earlier, later, [person for person, _ in refused],
                             str(refused[0][1])))
    return carried, withheld


def _standing_replacement(store, record: Record) -> tuple[Record, datetime] | None:
    """The handover that replaced `record`, followed while that one was replaced in turn (by
    replace steps that count), with the time of the latest replace step along the way; None
    when one along the way cannot be read."""
    from dutyctl.errors import DutyError

    seen, replaced_at = {record.id}, record.created_at
    while True:
        step = last_event(record, REPLACE)
        if step is None:
            return record, replaced_at
        replaced_at = max(replaced_at, step.at)
        later_id = str(step.data.get(HANDOVER_ID))
        if later_id in seen:
            return None
        seen.add(later_id)
        try:
            record = store.get(later_id)
        except DutyError:
            return None
        if record.kind != KIND:
            return None


def items_of(record: Record) -> list[HandoverItem]:
    return [HandoverItem.from_data(item) for item in record.get("items") or ()]


def handovers_from(store, staff: str, since: datetime, until: datetime) -> list[Record]:
    """Handovers `staff` wrote between the two moments, oldest first."""
    tz = store.tz
    scan = store.scan(since.astimezone(tz).date(), until.astimezone(tz).date(), (KIND,))
    return [record for record in scan.records
            if record.get("from") == staff and since <= record.created_at <= until]


def covering_handover(store, staff: str, mates: Sequence[str], to: Sequence[str],
                      since: datetime, until: datetime) -> Record | None:
    """The newest handover one of `mates` (others on the shift of `staff`: duty_mates) wrote
    between the two moments to at least everyone of `to`: it hands their shift over for
    `staff` too (a technician's clock-out after the clerk wrote it). None when there is
    none, or nobody is to be handed over to."""
    others = set(mates) - {staff}
    if not to or not others:
        return None
    tz = store.tz
    scan = store.scan(since.astimezone(tz).date(), until.astimezone(tz).date(), (KIND,))
    covering = [record for record in scan.records
                if record.get("from") in others and since <= record.created_at <= until
                and set(to) <= set(recipients(record.fields))]
    return max(covering, key=lambda record: record.created_at, default=None)


def waiting_for(record: Record) -> list[str]:
    """The named people who have not accepted yet, in the order named."""
    signed = acceptances(record.fields, record.counted_events)
    return [person for person in recipients(record.fields) if person not in signed]


def signatures(record: Record) -> dict[str, Any]:
    """Named person -> the accept event that signed for them, for those who have."""
    return acceptances(record.fields, record.counted_events)


def pending_handovers(store, to: str | None = None, build: bool = True,
                      write: bool = True) -> list[Record]:
    """Handovers not accepted by everyone yet (only those still waiting for `to`, if given),
    oldest first (build=False, write=False: see Store.open_records)."""
    return [record for record in store.open_records(kinds=(KIND,), build=build,
                                                    write=write).records
            if to is None or to in waiting_for(record)]


#: how far back a refusal looks for the handover someone accepted already (a second `accept`
#: the morning after): as far as `who` looks ahead for the next handover
ACCEPTED_LOOKBACK = timedelta(days=3)


def last_accepted(store, staff: str, at: datetime) -> tuple[Record, Any] | None:
    """The handover `staff` (or someone for them) accepted last, in the ACCEPTED_LOOKBACK
    before `at`, with the signature: (record, accept event), else None."""
    tz = store.tz
    scan = store.scan((at - ACCEPTED_LOOKBACK).astimezone(tz).date(), at.astimezone(tz).date(),
                      (KIND,))
    found = [(record, signatures(record)[staff]) for record in scan.records
             if staff in recipients(record.fields) and staff in signatures(record)]
    found = [(record, signed) for record, signed in found if signed.at <= at]
    return max(found, key=lambda pair: pair[1].at) if found else None


def choose_pending(store, typed_id: str | None, staff: str, names,
                   at: datetime | None = None, also: str = "") -> Record:
    """The handover to accept: the one named, else the only one waiting for `staff`
    (`names`, names.Names: refusals name people as the desk reads them). `also`: the options
    the command line to suggest needs after the id (` --代签 王强 --操作人 孙丽`: accepted for
    someone else, the line accepts for them too). None waiting, and
    one accepted by `staff` lately (by `at`): the refusal says when (a second `accept`)."""
    if typed_id:
        return handover_named(store, typed_id)
    waiting = pending_handovers(store, staff)
    if not waiting:
        accepted = last_accepted(store, staff, at) if at is not None else None
        if accepted is not None:
            record, signed = accepted
            raise Refused(t("{staff} already accepted handover {id} from {sender} at {at}; no "
                            "other handover waits for them", staff=names.person(staff),
                            id=record.short_id, sender=names.person(record.get("from")),
                            at=local_time(signed.at, names.config.tz)))
        raise NotFound(t("no handover waits for {staff}", staff=names.person(staff)))
    if len(waiting) > 1:
        # written again for one shift change (on two desks before a sync): the latest,
        # which closes the earlier ones as replaced once accepted (ShiftDesk.accept)
        latest = waiting[-1]
        earlier = {record.id for record in replaced_by_written(store, latest)}
        if all(record.id in earlier for record in waiting[:-1]):
            return latest
        # each is a handover of its own (a second one written after someone had accepted
        # the first): which is which by its time and who has accepted it, oldest first
        listed = t(", ").join(_waiting_said(record, names) for record in waiting)
        raise InputError(t("{count} handovers wait for {staff}, each to be accepted: {listed}; "
                           "accept them one at a time, the oldest first: dutyctl handover "
                           "accept {first}", count=len(waiting), staff=names.person(staff),
                           listed=listed, first=waiting[0].short_id + also))
    return waiting[0]


def _waiting_said(record: Record, names) -> str:
    """A handover among several waiting: its id, who wrote it when, and who accepted it."""
    sender = names.person(record.get("from"))
    written = local_time(record.created_at, names.config.tz)
    signed = list(signatures(record))
    if signed:
        return t("{id} (from {sender}, {at}; accepted by {accepted})", id=record.short_id,
                 sender=sender, at=written, accepted=names.people(signed))
    return t("{id} (from {sender}, {at})", id=record.short_id, sender=sender, at=written)


def check_acceptable(record: Record, by: str, at: datetime, instead_of: str | None,
                     names) -> None:
    """Everything that would refuse the acceptance, checked before anything is written: each
    named person accepts for themselves, once; `instead_of` signs for a named person who is
    not there (their substitute, a supervisor). `names` (names.Names): refusals name people
    and times as the desk reads them."""
    if instead_of == by:
        raise InputError(t("{staff} accepts for themselves: leave out the instead-of person",
                           staff=names.person(by)))
    replaced = replacement(record)
    if replaced is not None:
        raise Refused(t("handover {id} was replaced by handover {later}: the incoming people "
                        "accept that one", id=record.short_id,
                        later=ids.short(str(replaced.data.get(HANDOVER_ID)))))
    named, signed = recipients(record.fields), signatures(record)
    person = instead_of or by
    if person not in named:
        raise Refused(t("handover {id} is for {to}, not {staff}: only they accept it, each "
                        "for themselves, or someone accepting instead of one of them",
                        id=record.short_id, to=names.people(named), staff=names.person(person)))
    if person in signed:
        raise Refused(t("{staff} already accepted handover {id} (at {at}): each person accepts "
                        "once", staff=names.person(person), id=record.short_id,
                        at=local_time(signed[person].at, names.config.tz)))
    check_next_event(record, ACCEPT, at)


def accept_handover(store, record: Record, *, by: str, at: datetime, names,
                    duty_id: str | None = None, instead_of: str | None = None) -> Record:
    """One named person's signature (or one given for them, `instead_of`); the handover is
    accepted once every named person has signed (`names`: as in check_acceptable)."""
    check_acceptable(record, by, at, instead_of, names)
    data: dict[str, Any] = {"duty": duty_id} if duty_id else {}
    if instead_of:
        data[INSTEAD_OF] = instead_of
    return store.append(record, ACCEPT, at=at, by=by, data=data or None,
                        recheck=lambda saved: check_acceptable(saved, by, at, instead_of, names))
