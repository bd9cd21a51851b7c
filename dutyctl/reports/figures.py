"""The numbers of a report: small pure functions over records, deadlines and roster slots.

Nothing here reads files or the clock: every function gets the records (already seen as they
stood at the report's moment), the period, that moment and, where deadlines matter,
`deadlines_of(record)` from the tickets deadline engine. So a test can feed a known day and
check every figure. Moments are ISO text in the site zone, durations are minutes with one
decimal, and every list has a fixed order, so the same records always give the same report.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import datetime, timedelta
from typing import Callable, Collection, Iterable, Mapping, Sequence

from dutyctl.desk.attendance import StillOpen
from dutyctl.kinds.call import KIND as CALL
from dutyctl.kinds.complaint import REOPEN, VISIT, urgency_of
from dutyctl.kinds.emergency import CLOSE, KIND as EMERGENCY, LOG
from dutyctl.kinds.entry import KIND as ENTRY
from dutyctl.kinds.handover import KIND as HANDOVER
from dutyctl.kinds.readiness import ALL_OK, KIND as READINESS, PROBLEM_KIND as READINESS_PROBLEM
from dutyctl.kinds.repair import DISPATCH, KIND as REPAIR
from dutyctl.output import hours_figure  # two places, as `attendance` gives them
from dutyctl.queries import is_open
from dutyctl.records import (LIMIT_ARRIVE, LIMIT_COMPLETE, LIMIT_RESPOND, LIMITS, SETTLE,
                             Record, counted_kinds, creation_order, last_event, linked_ids,
                             ticket_kinds)
from dutyctl.reports.period import Period
from dutyctl.tickets import deadlines
from dutyctl.tickets.deadlines import completions, resolved_at
from dutyctl.timeutil import elapsed

ON_TIME, LATE, PENDING, UNKNOWN = "on_time", "late", "pending", "unknown"
OLDEST_SHOWN = 3
SATISFIED = 4  # a return-visit score of 4 or 5 is satisfied; 1 to 3 is not


# -- small helpers ----------------------------------------------------------------------------

def minutes(start: datetime, end: datetime) -> float:
    return round(elapsed(start, end).total_seconds() / 60, 1)


def counted_minutes(length: timedelta) -> float:
    return round(length.total_seconds() / 60, 1)


def local(moment: datetime | None, period: Period) -> str | None:
    """ISO 8601 in the site zone, to the second."""
    return moment.astimezone(period.tz).isoformat(timespec="seconds") if moment else None


def spread(values: Sequence[float]) -> dict:
    """Count, median and 90th percentile (nearest rank) of durations in minutes."""
    if not values:
        return {"count": 0, "median_minutes": None, "p90_minutes": None}
    ordered = sorted(values)
    rank = math.ceil(0.9 * len(ordered)) - 1
    return {"count": len(ordered), "median_minutes": round(statistics.median(ordered), 1),
            "p90_minutes": round(ordered[rank], 1)}


def rate(part: int, whole: int) -> float | None:
    """A share as a fraction with three decimals; None when there is nothing to share."""
    return round(part / whole, 3) if whole else None


def counted(keys: Iterable[str | None]) -> dict[str, int]:
    """How many of each key, most frequent first, then by name."""
    tally = Counter(key or "-" for key in keys)
    return dict(sorted(tally.items(), key=lambda item: (-item[1], item[0])))


def first_at(record: Record, actions: Iterable[str]) -> datetime | None:
    return deadlines.first_at(record.counted_events, tuple(actions))


def events_in(record: Record, period: Period, *actions: str) -> list:
    return [event for event in record.counted_events
            if event.action in actions and period.contains(event.at)]


def room_of(record: Record) -> str:
    """Where the record happens, as every desk screen shows it (residents.place_of): its place
    (an emergency's 5号楼电梯, a recurring repair's 地下泵房: a blank room column left the
    clerk guessing), else the resident's room."""
    from dutyctl.residents import place_of

    return place_of(record) or ""


def filed_in(records: Iterable[Record], period: Period, *kinds: str) -> list[Record]:
    return [record for record in records
            if record.kind in kinds and period.contains(record.created_at)]


def meets(kind: str, limit: str) -> tuple[str, ...]:
    """The actions that meet a limit of a ticket kind, as the deadline engine defines them."""
    return deadlines.meets_of(kind).get(limit, ())


def visited(record: Record) -> bool:
    """A return visit was made after the completion that counts (a visit before a reopen was
    a visit of the earlier work)."""
    done = resolved_at(record)
    return done is not None and visited_after(record, done)


def resolved_in(record: Record, period: Period) -> int:
    """How many times the ticket's work was completed in the period (`completions`)."""
    return sum(1 for done in completions(record) if period.contains(done))


def visited_after(record: Record, done: datetime) -> bool:
    """A return visit followed this completion before any reopen after it."""
    for event in record.counted_events:
        if event.at < done:
            continue
        if event.action == REOPEN:
            return False
        if event.action == VISIT:
            return True
    return False


def unresolved(record: Record) -> bool:
    """Still open (as the kind's lifecycle says) and not yet resolved: a cancelled ticket
    (withdrawn, a duplicate, invalid) was never resolved but is no longer open."""
    return is_open(record) and resolved_at(record) is None


#: the most of a record's words a report keeps (JSON, a workbook's cell): a bound on what
#: another desk's file may hold, not a cut; a page shows blocks.PAGE_TEXT columns of them
REPORT_TEXT = 400


def short_text(text: str | None, width: int = REPORT_TEXT) -> str:
    """A record's text on one line, within `width` columns as a screen measures it (a
    Chinese character is two), a phone number in it masked as a report masks the phone field
    (a report goes to cron mail and to paper: `schema.phones_masked`), before any cut, so no
    half number shows. A page cuts it further (`blocks.paged`), a workbook keeps it."""
    from dutyctl.schema import phones_masked
    from dutyctl.textwidth import shorten

    return shorten(phones_masked(" ".join((text or "").split())), width)


# -- deadlines --------------------------------------------------------------------------------

#: How a deadline's state (tickets/deadlines.py) counts in a report; None: it does not count.
OUTCOMES = {deadlines.MET: ON_TIME, deadlines.MISSED: LATE, deadlines.OVERDUE: LATE,
            deadlines.PENDING: PENDING, deadlines.NOT_APPLICABLE: None}


def deadline_outcome(deadline, period: Period, as_of: datetime) -> str | None:
    """How one deadline counts in the period, or None when it does not belong to it.

    on_time / late: met during the period, before / after it was due; late also holds a
    deadline still unmet and already past due at the report's moment, however old, and one
    whose record was closed unmet after it was due; pending: unmet and not yet due. A
    deadline met (or closed) before the period belongs to an earlier report.
    """
    if deadline.due is None:
        met_elsewhere = deadline.met_at is not None and not period.contains(deadline.met_at)
        return None if met_elsewhere else UNKNOWN
    settled_at = deadline.met_at or deadline.stopped_at
    if settled_at is not None and not period.contains(settled_at):
        return None
    return OUTCOMES[deadline.state(as_of)]


def _tally() -> dict:
    return {ON_TIME: 0, LATE: 0, PENDING: 0, UNKNOWN: 0}


def _with_rate(counts: dict) -> dict:
    return {**counts, "rate": rate(counts[ON_TIME], counts[ON_TIME] + counts[LATE])}


def compliance(tickets: Sequence[Record], deadlines_of: Callable, period: Period,
               as_of: datetime) -> dict:
    """On time / late / pending per kind, urgency class and limit; totals per limit; overall.

    `rate` is on_time / (on_time + late): the share of deadlines settled in the period
    that were kept."""
    rows: dict[tuple[str, str, str], dict] = {}
    met_late = []
    for record in tickets:
        for deadline in deadlines_of(record):
            outcome = deadline_outcome(deadline, period, as_of)
            if outcome is not None:
                key = (record.kind, urgency_of(record) or "-", deadline.name)
                rows.setdefault(key, _tally())[outcome] += 1
            if outcome == LATE and deadline.met_at is not None:
                met_late.append(_met_late(record, deadline, period))
    by_limit = {limit: _tally() for limit in LIMITS}
    overall = _tally()
    for (_, _, limit), counts in rows.items():
        for key, value in counts.items():
            by_limit.setdefault(limit, _tally())[key] += value
            overall[key] += value
    order = {limit: index for index, limit in enumerate(LIMITS)}
    by_class = [{"kind": kind, "urgency": urgency, "limit": limit, **_with_rate(counts)}
                for (kind, urgency, limit), counts in sorted(
                    rows.items(), key=lambda item: (item[0][0], item[0][1],
                                                    order.get(item[0][2], 9)))]
    return {"by_class": by_class,
            "by_limit": {limit: _with_rate(counts) for limit, counts in by_limit.items()},
            "overall": _with_rate(overall),
            # which tickets those late ones are, the latest first: a rate says how many, a
            # supervisor follows up a job (overdue ones still open are under Needs attention)
            "met_late": sorted(met_late, key=lambda item: -item["late_minutes"])}


def _met_late(record: Record, deadline, period: Period) -> dict:
    """A deadline met after it was due, in the period: which ticket, which step, due when,
    met when, how late (counted as its limit is) and who had it."""
    from dutyctl.records import assignee

    return {"id": record.short_id, "kind": record.kind, "urgency": urgency_of(record),
            "limit": deadline.name, "room": room_of(record),
            "due": local(deadline.due, period), "met": local(deadline.met_at, period),
            "late_minutes": round(deadline.late_by(deadline.met_at).total_seconds() / 60),
            # a working day's length when the lateness counts working time (as open_item)
            "working_day_minutes": _working_day_minutes(deadline, deadline.met_at),
            # who had it then, before the step that met it: a response met by the dispatch was
            # the desk's to give (not the technician's just sent); a repair re-dispatched
            # since is not the later one's lateness
            "assignee": assignee(record.as_of(deadline.met_at, including_moment=False))}


def judged(value: float | None, target: float) -> dict:
    """A share beside its target: meets is None when there is nothing to judge."""
    return {"target": target, "meets": None if value is None else value >= target}


def time_limit(config, kind: str, urgency: str, limit: str) -> dict | None:
    """A class's limit for a step as configured (urgency: in dutyctl.yaml), or None."""
    found = config.urgency_class(kind, urgency)
    configured = found.limits.get(limit) if found else None
    if configured is None:
        return None
    length, working = configured
    return {"minutes": round(length.total_seconds() / 60, 1),
            "working_days": round(length.total_seconds() / 86400, 2) if working else None,
            "clock": found.clock}


def compliance_targets(compliance: dict, config) -> dict:
    """Each rate of the compliance figures with its target and the class's time limit."""
    targets = config.targets
    for row in compliance["by_class"]:
        row.update(judged(row["rate"], targets.on_time_for(row["kind"], row["urgency"],
                                                             row["limit"])))
        row["time_limit"] = time_limit(config, row["kind"], row["urgency"], row["limit"])
    for counts in compliance["by_limit"].values():
        counts.update(judged(counts["rate"], targets.on_time))
    compliance["overall"].update(judged(compliance["overall"]["rate"], targets.on_time))
    return compliance


def satisfaction_targets(scores: dict, targets) -> dict:
    for kind_scores in scores.values():
        satisfied = judged(kind_scores["satisfied_share"], targets.satisfied_share)
        visits = judged(kind_scores["visit_rate"], targets.visit_rate)
        kind_scores.update({"satisfied_target": satisfied["target"],
                            "satisfied_meets": satisfied["meets"],
                            "visit_target": visits["target"], "visit_meets": visits["meets"]})
    return scores


def is_overdue(record: Record, deadlines_of: Callable, as_of: datetime) -> bool:
    return any(deadline.is_overdue(as_of) for deadline in deadlines_of(record))


# -- calls ------------------------------------------------------------------------------------

def call_figures(calls: Sequence[Record], deadlines_of: Callable, period: Period,
                 as_of: datetime) -> dict:
    """Calls filed by category; callbacks promised in the period, kept or late during it,
    tried without reaching the resident (attempts, by result), and every promise still unkept
    at the report's moment (pending or overdue, with its attempts so far)."""
    from dutyctl.kinds.call import ATTEMPT, attempts

    filed = filed_in(calls, period, CALL)
    tried = [event for call in calls for event in events_in(call, period, ATTEMPT)]
    callbacks = {"promised": sum(1 for call in filed if call.get("callback_by")),
                 "kept": 0, "late": 0, "pending": 0, "overdue": 0, "attempts": len(tried),
                 "attempts_by_result": counted(event.data.get("result") for event in tried)}
    overdue = []
    for call in calls:
        for deadline in deadlines_of(call):
            outcome = deadline_outcome(deadline, period, as_of)
            if outcome is None or outcome == UNKNOWN:
                continue
            if outcome == LATE and deadline.is_open():
                callbacks["overdue"] += 1
                overdue.append({"id": call.short_id, "room": room_of(call),
                                "due": local(deadline.due, period),
                                "overdue_minutes": minutes(deadline.due, as_of),
                                "assignee": call.recorded_by,
                                "attempts": len(attempts(call)),
                                "summary": short_text(call.get("summary"))})
            else:
                callbacks[{ON_TIME: "kept", LATE: "late", PENDING: "pending"}[outcome]] += 1
    callbacks["overdue_items"] = most_overdue_first(overdue)
    return {"total": len(filed), "by_category": counted(call.get("category") for call in filed),
            "callbacks": callbacks}


# -- complaints and repairs -------------------------------------------------------------------

def open_item(record: Record, deadlines_of: Callable, period: Period, as_of: datetime) -> dict:
    from dutyctl.records import assignee

    waiting = [deadline for deadline in deadlines_of(record) if deadline.is_open()]
    next_due = min(waiting, key=lambda deadline: deadline.due) if waiting else None
    return _with_transfer(record, {
        "id": record.short_id, "filed": local(record.created_at, period),
        "age_minutes": minutes(record.created_at, as_of), "status": record.status,
        "room": room_of(record), "category": record.get("category"),
        "urgency": urgency_of(record), "assignee": assignee(record),
        "next_deadline": next_due.name if next_due else None,
        "due": local(next_due.due, period) if next_due else None,
        "overdue": bool(next_due and next_due.is_overdue(as_of)),
        # counted as the limit is: business hours, working days or every moment (0 while its
        # clock stands still since it was due: a table says why, `late_span`)
        "overdue_minutes": (counted_minutes(next_due.late_by(as_of))
                            if next_due and next_due.is_overdue(as_of) else None),
        # the length of one working day of a limit in working days or on the business-hours
        # clock (what a table counts the overdue time in), else None; None too when the
        # lateness is calendar time (past the calendar's last year: told in 24-hour days)
        "working_day_minutes": _working_day_minutes(next_due, as_of),
        "content": short_text(record.get("content"))})


def _working_day_minutes(deadline, as_of: datetime) -> float | None:
    working_day = deadline.late_working_day(as_of) if deadline else None
    return counted_minutes(working_day) if working_day else None


def _with_transfer(record: Record, item: dict) -> dict:
    """`item` (with its `assignee`) and `transferred_to`: for a complaint transferred out the
    department it is with, else None (every item has the same keys), as `list --format json`
    says it (a table shows who the item is with through `Names.holding`, the department
    before the person)."""
    from dutyctl.kinds.complaint import transferred_to

    item["transferred_to"] = transferred_to(record)
    return item


def most_overdue_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda item: (-(item["overdue_minutes"] or 0), item["id"]))


def ticket_figures(records: Sequence[Record], kind: str, deadlines_of: Callable,
                   period: Period, as_of: datetime) -> dict:
    """Filed, resolved, still open, overdue, waiting for the return visit; the oldest open."""
    mine = [record for record in records if record.kind == kind]
    filed = filed_in(mine, period, kind)
    still_open = [record for record in mine if unresolved(record)]
    overdue = [record for record in still_open if is_overdue(record, deadlines_of, as_of)]
    return {"filed": len(filed),
            "resolved": sum(resolved_in(record, period) for record in mine),
            "open": len(still_open),
            "overdue": len(overdue),
            "awaiting_visit": sum(1 for record in mine
                                  if resolved_at(record) and not visited(record)
                                  and is_open(record)),
            "by_category": counted(record.get("category") for record in filed),
            "by_urgency": counted(urgency_of(record) for record in filed),
            "oldest_open": [open_item(record, deadlines_of, period, as_of)
                            for record in still_open[:OLDEST_SHOWN]],
            # ordered by the report, most urgent first (build.most_urgent_first)
            "overdue_items": [open_item(record, deadlines_of, period, as_of)
                              for record in overdue]}


def awaiting_arrival(records: Sequence[Record], deadlines_of: Callable, period: Period,
                     as_of: datetime, classes: Sequence[str],
                     current: Callable[[Record], Record | None] = lambda record: None
                     ) -> list[dict]:
    """Emergency repairs (急修: the urgency `classes`, `SiteConfig.emergency_repair_classes`)
    nobody has reached yet, longest waiting first; each with `arrived_later`, when someone
    reached it after the report's moment as `current` (the record as the files have it now)
    says: a report of a period gone by is not read as a job still waiting."""
    arrived = meets(REPAIR, LIMIT_ARRIVE)
    waiting = [record for record in records
               if record.kind == REPAIR and urgency_of(record) in classes
               and first_at(record, arrived) is None and unresolved(record)]

    def later(record: Record) -> str | None:
        now = current(record)
        reached = first_at(now, arrived) if now is not None else None
        return local(reached, period) if reached is not None and reached > as_of else None

    items = [{**open_item(record, deadlines_of, period, as_of),
              "arrive_due": _arrive_due(record, deadlines_of, period),
              "arrived_later": later(record)} for record in waiting]
    return sorted(items, key=lambda item: (-item["age_minutes"], item["id"]))


def _arrive_due(record: Record, deadlines_of: Callable, period: Period) -> str | None:
    """When someone must be on site: the arrive deadline, not the next one due (a repair not
    answered yet is due its response first, 15 minutes before its arrival's 30)."""
    arrive = next((deadline for deadline in deadlines_of(record)
                   if deadline.name == LIMIT_ARRIVE), None)
    return local(arrive.due, period) if arrive is not None else None


# -- emergencies ------------------------------------------------------------------------------

def emergency_figures(records: Sequence[Record], period: Period, as_of: datetime) -> dict:
    mine = [record for record in records if record.kind == EMERGENCY]
    calls = {record.id for record in records if record.kind == CALL}
    items = []
    for record in mine:
        closed = first_at(record, (CLOSE,))
        ending = last_event(record, CLOSE)  # how it ended, in the closing step's words
        items.append({"id": record.short_id, "type": record.get("type"),
                      "where": record.get("where"), "opened": local(record.created_at, period),
                      "closed": local(closed, period), "status": record.status,
                      "content": short_text(record.get("content")),
                      "outcome": short_text(ending.note) if ending and ending.note else None,
                      "steps_logged": sum(1 for event in record.counted_events if event.action == LOG),
                      # the calls about it (opened from one, `link` for the others): one
                      # incident, however many called
                      "calls": sum(1 for linked in linked_ids(record) if linked in calls),
                      "minutes_open": minutes(record.created_at, closed or as_of)})
    return {"opened": len(filed_in(mine, period, EMERGENCY)),
            "in_progress": sum(1 for item in items if item["closed"] is None),
            "closed": sum(1 for record in mine if period.contains(first_at(record, (CLOSE,)))),
            "items": items}


# -- the duty log ----------------------------------------------------------------------------

def duty_log_figures(records: Sequence[Record], period: Period, items: bool = True) -> dict:
    """Duty log entries (patrols, visitors, keys, deliveries, notices, notes) logged in the
    period: how many of each type, and (`items`: a day's, not a review's) each one in time
    order."""
    entries = sorted(filed_in(records, period, ENTRY), key=creation_order)
    counts = {"entries": len(entries), "by_type": counted(entry.get("type") for entry in entries)}
    if not items:
        return counts
    return {**counts,
            "items": [{"id": entry.short_id, "at": local(entry.created_at, period),
                       "type": entry.get("type"), "by": entry.recorded_by,
                       "where": entry.get("where"), "content": short_text(entry.get("content"))}
                      for entry in entries]}


# -- shift desk: readiness and handovers ------------------------------------------------------

def readiness_figures(records: Sequence[Record], period: Period, as_of: datetime) -> dict:
    """Checklist runs in the period; problems found, fixed, and every one still open."""
    from dutyctl.kinds.readiness import FIX, OPEN, rechecks

    runs = filed_in(records, period, READINESS)
    problems = [record for record in records if record.kind == READINESS_PROBLEM]
    still_open = [{"id": record.short_id, "item": record.get("item"),
                   "item_name": record.get("item_name"), "note": short_text(record.get("note")),
                   "since": local(record.created_at, period), "by": record.recorded_by,
                   "rechecks": rechecks(record),
                   "age_minutes": minutes(record.created_at, as_of)}
                  for record in problems if record.status == OPEN]
    return {"checklist_runs": len(runs),
            "runs_with_problems": sum(1 for run in runs if run.status != ALL_OK),
            "problems_found": len(filed_in(problems, period, READINESS_PROBLEM)),
            "problems_fixed": sum(len(events_in(record, period, FIX)) for record in problems),
            "open": still_open}


def handover_figures(records: Sequence[Record], period: Period, as_of: datetime) -> dict:
    """Handovers written in the period, those accepted by everyone named in it, and every one
    not accepted by everyone so far, naming who has not."""
    from dutyctl.desk.handover import waiting_for
    from dutyctl.kinds.handover import (ACCEPTED, PENDING as NOT_ACCEPTED, open_item_count,
                                        recipients, was_replaced)
    from dutyctl.queries import closed_at

    # one replaced by a later one for the same shift change (written again before anyone
    # accepted it) is neither written (the later one is) nor accepted, even when accepted
    # afterwards on a desk that had not heard of the replacement (the sync carries that
    # acceptance to the later one: the shift change counts once)
    handovers = [record for record in records
                 if record.kind == HANDOVER and not was_replaced(record)]
    unaccepted = [{"id": record.short_id, "from": record.get("from"),
                   "to": list(recipients(record.fields)), "waiting": waiting_for(record),
                   "at": local(record.created_at, period),
                   "items": open_item_count(record.get("items")),
                   "waiting_minutes": minutes(record.created_at, as_of)}
                  for record in handovers if record.status == NOT_ACCEPTED]
    accepted = [record for record in handovers if record.status == ACCEPTED
                and (done := closed_at(record)) is not None and period.contains(done)]
    return {"written": len(filed_in(handovers, period, HANDOVER)),
            "accepted": len(accepted), "unaccepted": unaccepted}


# -- roster coverage --------------------------------------------------------------------------

def on_call_figures(slots: Sequence, period: Period) -> list[dict]:
    """Who was on call (备班, reachable at home) for the duties starting in the period."""
    return [{"date": slot.date.isoformat(), "shift": slot.shift_id,
             "shift_name": slot.shift_name, "role": slot.role, "staff": slot.staff,
             "start": local(slot.start, period), "end": local(slot.end, period)}
            for slot in slots if slot.on_call and slot.staff and period.contains(slot.start)]


def coverage_figures(slots: Sequence, period: Period) -> dict:
    """Roster slots starting in the period: filled and unfilled, per shift and role."""
    mine = [slot for slot in slots if period.first <= slot.date <= period.last]
    groups: dict[tuple[str, str, str], dict] = {}
    for slot in mine:
        group = groups.setdefault((slot.shift_id, slot.shift_name, slot.role),
                                  {"filled": 0, "unfilled": 0, "staff": []})
        group["filled" if slot.staff else "unfilled"] += 1
        if slot.staff and slot.staff not in group["staff"]:
            group["staff"].append(slot.staff)
    filled = sum(1 for slot in mine if slot.staff)
    return {"slots": len(mine), "filled": filled, "unfilled": len(mine) - filled,
            "rate": rate(filled, len(mine)),
            "by_shift": [{"shift": shift, "shift_name": name, "role": role, **group}
                         for (shift, name, role), group in groups.items()],
            "unfilled_slots": [{"date": slot.date.isoformat(), "shift": slot.shift_id,
                                "role": slot.role, "start": local(slot.start, period)}
                               for slot in mine if not slot.staff]}


# -- reviews: trends, timing, satisfaction, workload ------------------------------------------

def per_day(records: Sequence[Record], period: Period, as_of: datetime) -> list[dict]:
    """Volumes per local day: filed per kind, tickets resolved, callbacks promised; the days
    up to `as_of`'s (a month reviewed while it runs listed its days to come as 0, a trend
    falling to nothing)."""
    column, tickets = counted_kinds(), ticket_kinds()
    until = max(as_of.astimezone(period.tz).date(), period.first)
    days = {day: {"date": day.isoformat(), **dict.fromkeys(column.values(), 0), "resolved": 0,
                  "callbacks": 0} for day in period.days() if day <= until}
    for record in records:
        row = days.get(record.created_at.astimezone(period.tz).date()) \
            if period.contains(record.created_at) else None
        if row is not None and record.kind in column:
            row[column[record.kind]] += 1
            row["callbacks"] += 1 if record.get("callback_by") else 0
        for done in completions(record) if record.kind in tickets else ():
            if period.contains(done) and done.astimezone(period.tz).date() in days:
                days[done.astimezone(period.tz).date()]["resolved"] += 1
    return list(days.values())


def per_hour(records: Sequence[Record], period: Period) -> list[dict]:
    """Calls, complaints, repairs and emergencies filed per hour of the day (daily report)."""
    column = counted_kinds()
    hours_ = [{"hour": hour, **dict.fromkeys(column.values(), 0)} for hour in range(24)]
    for record in records:
        if period.contains(record.created_at) and record.kind in column:
            hours_[record.created_at.astimezone(period.tz).hour][column[record.kind]] += 1
    return hours_


def per_category(records: Sequence[Record], period: Period) -> dict:
    """Per kind and category: filed in the period and resolved in it."""
    result, tickets = {}, ticket_kinds()
    for kind in (CALL, *tickets):
        rows: dict[str, dict] = {}
        for record in records:
            if record.kind != kind:
                continue
            row = rows.setdefault(record.get("category") or "-",
                                  {"category": record.get("category") or "-", "filed": 0,
                                   "resolved": 0})
            row["filed"] += period.contains(record.created_at)
            row["resolved"] += resolved_in(record, period) if kind in tickets else 0
        result[kind] = sorted((row for row in rows.values() if row["filed"] or row["resolved"]),
                              key=lambda row: (-row["filed"], -row["resolved"], row["category"]))
    return result


def timing(records: Sequence[Record], period: Period) -> dict:
    """Time to respond and to resolve (wall clock from filing), per ticket kind, for the
    responses and resolutions that happened in the period."""
    result = {}
    for kind in ticket_kinds():
        respond, resolve = [], []
        for record in records:
            if record.kind != kind:
                continue
            responded = first_at(record, meets(kind, LIMIT_RESPOND))
            if period.contains(responded):
                respond.append(minutes(record.created_at, responded))
            resolve += [minutes(record.created_at, done) for done in completions(record)
                        if period.contains(done)]
        result[kind] = {"respond": spread(respond), "resolve": spread(resolve)}
    return result


def satisfaction(records: Sequence[Record], period: Period,
                 current: Callable[[Record], Record | None] = lambda record: None) -> dict:
    """Return visits in the period: average 1-5, share satisfied (4 or 5); visit rate: of the
    tickets resolved in the period, the share visited by the time the report is made (as
    `current`, the record as the files have it now, says): a visit comes a day or two after
    the work, so one counted only up to the period's end failed every period's last days and
    a 100% target could never be met."""
    result = {}
    every_score: list[int] = []
    resolved_total = visited_total = 0
    for kind in ticket_kinds():
        scores = [int(event.data["satisfaction"]) for record in records if record.kind == kind
                  for event in events_in(record, period, VISIT)
                  if isinstance(event.data.get("satisfaction"), int)]
        resolved = [(record, done) for record in records if record.kind == kind
                    for done in completions(record) if period.contains(done)]
        visits = sum(1 for record, done in resolved  # the files read only if not visited
                     if visited_after(record, done)
                     or visited_after(current(record) or record, done))
        result[kind] = _scores(scores, len(resolved), visits)
        every_score += scores
        resolved_total += len(resolved)
        visited_total += visits
    result["all"] = _scores(every_score, resolved_total, visited_total)
    return result


def step_clashes(records: Sequence[Record], period: Period) -> list[dict]:
    """Steps of two desks that clashed (joined by a sync: one closed a ticket, the other
    resolved it later) and are not settled yet: each counts for nothing until a supervisor
    sets the wrong one aside (`dutyctl settle`). `check` and `show` say them too; the report
    is where a supervisor who reads no `check` learns of them. Oldest first."""
    from dutyctl.records import clashing_steps

    found = []
    for record in records:
        for clash in clashing_steps(record):
            event, after = clash.event, clash.after
            found.append({"id": record.short_id, "kind": record.kind, "event": event.id,
                          "action": event.action, "by": event.by, "at": local(event.at, period),
                          "other_action": after.action if after else None,
                          "other_by": after.by if after else None,
                          "other_at": local(after.at, period) if after else None,
                          "status": clash.status})
    return sorted(found, key=lambda item: (item["at"], item["id"]))


def dissatisfied(records: Sequence[Record], period: Period) -> list[dict]:
    """Return visits of the period scored 1 to 3: the ticket, its room, the score, who
    handled it (the work the visit rated: whoever had it then, not the technician a re-opened
    repair went to since) and who made the visit (residents' names and phones stay out of
    reports)."""
    from dutyctl.records import assignee

    found, tickets = [], ticket_kinds()
    for record in records:
        if record.kind not in tickets:
            continue
        for event in events_in(record, period, VISIT):
            score = event.data.get("satisfaction")
            if isinstance(score, int) and not isinstance(score, bool) and score < SATISFIED:
                found.append(_with_transfer(record, {
                    "id": record.short_id, "kind": record.kind, "room": room_of(record),
                    "score": score, "visited": local(event.at, period), "visited_by": event.by,
                    "assignee": assignee(record.as_of(event.at)),
                    "category": record.get("category"),
                    "note": short_text(event.note)}))
    return sorted(found, key=lambda item: (item["score"], item["visited"], item["id"]))


def _scores(scores: list[int], resolved: int, visited: int) -> dict:
    return {"visits": len(scores),
            "average": round(statistics.mean(scores), 2) if scores else None,
            "satisfied_share": rate(sum(1 for score in scores if score >= SATISFIED), len(scores)),
            "distribution": {str(score): scores.count(score) for score in range(1, 6)},
            "resolved": resolved, "visited": visited, "visit_rate": rate(visited, resolved)}


def workload(records: Sequence[Record], period: Period) -> list[dict]:
    """Per person: calls taken, tickets and emergencies filed, steps recorded, tickets
    resolved, repairs dispatched to them; in the period."""
    rows: dict[str, dict] = {}

    def row(staff: str) -> dict:
        return rows.setdefault(staff, {"staff": staff, "calls": 0, "tickets": 0, "steps": 0,
                                       "resolved": 0, "dispatched_to": 0})

    filed_kinds = counted_kinds()
    for record in records:
        if record.kind not in filed_kinds:
            continue
        if period.contains(record.created_at):
            row(record.recorded_by)["calls" if record.kind == CALL else "tickets"] += 1
        resolving = meets(record.kind, LIMIT_COMPLETE)
        done = set(completions(record)) if resolving else set()
        for event in record.counted_events:  # neither a step set aside nor the 作废 itself
            if event.action == SETTLE or not period.contains(event.at):
                continue
            row(event.by)["steps"] += 1
            if event.action in resolving and event.at in done:
                # each completion that counts, once, as the totals and the trend count it
                row(event.by)["resolved"] += 1
                done.discard(event.at)
            if event.action == DISPATCH and event.data.get("to"):
                row(str(event.data["to"]))["dispatched_to"] += 1
    for entry in rows.values():
        entry["total"] = entry["calls"] + entry["tickets"] + entry["steps"]
    return sorted(rows.values(), key=lambda entry: (-entry["total"], entry["staff"]))


# -- attendance -------------------------------------------------------------------------------

Span = tuple[datetime, datetime]


def actual_coverage(outcomes: Sequence, slots: Sequence, period: Period,
                    as_of: datetime, sessions: Sequence = (),
                    roles: Mapping[str, Collection[str]] | None = None,
                    window: timedelta = timedelta(0)) -> dict:
    """Planned hours of the period's roster slots (up to the report's moment) against the
    hours someone was clocked in on them; a session still open counts up to the moment.
    Someone of the slot's role on duty outside their own shifts covers what its own person
    left uncovered (`sessions`, the period's duties; `roles`, each person's roles from the
    rules; `window`, the clock-in window a duty not clocked out counts for past its shift):
    the night clerk who stayed on until the late day clerk came (nobody leaves before
    the relief arrives), a colleague clocked in unrostered to relieve one gone home sick;
    each such moment covers one place. Every slot not fully covered is a gap: absent, late,
    left early, unfilled, or a shorter stay; the largest gap first."""
    from dutyctl.desk.attendance import ABSENT, ON_LEAVE

    planned = covered = timedelta(0)
    gaps = []
    spare = _spare_presence(sessions, slots, as_of, window) if roles else {}

    def count(slot, own, reason: str) -> None:
        nonlocal planned, covered
        until = min(slot.end, as_of)
        if until <= slot.start:
            return  # not begun at the report's moment
        length = elapsed(slot.start, until)
        left = _without((slot.start, until), [(one.start, one.end or as_of) for one in own])
        for staff, spans in spare.items():
            if left and slot.role in roles.get(staff, ()):
                left, spare[staff] = _covering(left, spans)
        there = length - sum((elapsed(*span) for span in left), timedelta(0))
        planned += length
        covered += there
        if there < length:
            gaps.append({"staff": slot.staff, "shift": slot.shift_id, "role": slot.role,
                         "start": local(slot.start, period), "reason": reason,
                         # cut, not rounded, to 0.1 min: shown in whole minutes it agrees
                         # with the attendance table's (55 min 57 s early is 55.9, not 56.0)
                         "uncovered_minutes": math.floor(
                             (length - there).total_seconds() / 6) / 10})

    places = []
    for outcome in outcomes:
        reason = ("absent" if outcome.result == ABSENT
                  else "on-leave" if outcome.result == ON_LEAVE
                  else "late-and-early-leave" if outcome.late_minutes and outcome.early_minutes
                  else "late" if outcome.late_minutes
                  else "early-leave" if outcome.early_minutes
                  else "within-grace" if _within_grace(outcome) else "short")
        places.append((outcome.slot, outcome.sessions, reason))
    places += [(slot, (), "unfilled") for slot in slots
               if not slot.staff and period.first <= slot.date <= period.last]
    for slot, own, reason in sorted(places, key=lambda place: place[0].start):
        count(slot, own, reason)  # in time order: a spare hour covers the earliest place
    gaps.sort(key=lambda gap: (-gap["uncovered_minutes"], gap["start"], gap["staff"] or ""))
    return {"planned_hours": hours_figure(planned), "covered_hours": hours_figure(covered),
            "uncovered_hours": hours_figure(planned - covered),
            "rate": rate(round(covered.total_seconds()), round(planned.total_seconds())),
            "gaps": gaps}


def _without(span: Span, taken: Sequence[Span]) -> list[Span]:
    """The parts of `span` none of `taken` overlaps, in time order."""
    left = [span]
    for start, end in taken:
        left = [part for lower, upper in left for part in (
            (lower, min(upper, start)), (max(lower, end), upper)) if part[0] < part[1]]
    return left


def _covering(gaps: list[Span], spans: list[Span]) -> tuple[list[Span], list[Span]]:
    """`gaps` less what `spans` (someone's spare presence) covers, and `spans` less what was
    used so (a moment covers one place)."""
    used = [(max(lower, start), min(upper, end)) for lower, upper in gaps
            for start, end in spans if max(lower, start) < min(upper, end)]
    if not used:
        return gaps, spans
    return ([part for gap in gaps for part in _without(gap, used)],
            [part for span in spans for part in _without(span, used)])


def _spare_presence(sessions: Sequence, slots: Sequence, as_of: datetime,
                    window: timedelta) -> dict[str, list]:
    """Per person, their time clocked in outside their own shifts (staying on past the end,
    an unrostered duty), up to `as_of`, as far as attendance trusts it: a duty not clocked
    out counts up to the clock-in `window` after the shifts it attends (then it is a clock-out
    forgotten: no cover for every place after it), one without a shift a day at most, and a
    clock-out made more than a day after those shifts (put right days later) likewise."""
    from dutyctl.kinds.duty import LONGEST_DUTY

    own: dict[str, list[Span]] = {}
    for slot in slots:
        if slot.staff:
            own.setdefault(slot.staff, []).append((slot.start, slot.end))
    spare: dict[str, list[Span]] = {}
    for session in sessions:
        end = min(session.end or as_of, as_of)
        mine = own.get(session.staff, [])
        # a duty never clocked out is for the shift it was clocked in for alone (as attendance
        # counts it); one clocked out, every shift of the person's it ran over
        attended = ([upper for lower, upper in mine if lower - window <= session.start < upper][:1]
                    if session.end is None else
                    [upper for lower, upper in mine if lower < end and upper > session.start])
        trusted = max(attended) + window if attended else session.start + LONGEST_DUTY
        if session.end is None or not attended or session.end > max(attended) + LONGEST_DUTY:
            end = min(end, trusted)
        if session.start < end:
            spare.setdefault(session.staff, []).extend(
                _without((session.start, end), own.get(session.staff, [])))
    return spare


def call_outs_not_ended(call_outs: Sequence, period: Period, as_of: datetime,
                        ended_later: Collection[str] = ()) -> list[dict]:
    """The period's call-outs (备班出勤) with no return recorded at the report's moment, but
    those ended since (`ended_later`, their ids: under way as the day ended, back at 01:20):
    their time counts nothing until they are ended (`callout end --at`, backdated), so a
    report names each rather than let paid call-out time disappear. The earliest first."""
    found = [{"id": call.record_id, "staff": call.staff, "start": local(call.start, period),
              "minutes_open": minutes(call.start, max(as_of, call.start))}
             for call in call_outs if call.is_open and call.record_id not in ended_later]
    return sorted(found, key=lambda item: (item["start"], item["staff"]))


def steps_by(records: Sequence[Record]) -> Callable[[str, datetime, datetime], int]:
    """How many records and steps a person recorded from `start` to `end`: an absence whose
    person logged arrivals and completions all shift most likely forgot to clock in."""
    moments: dict[str, list[datetime]] = {}
    for record in records:
        moments.setdefault(record.recorded_by, []).append(record.created_at)
        for event in record.counted_events:
            moments.setdefault(event.by, []).append(event.at)

    def count(staff: str, start: datetime, end: datetime) -> int:
        return sum(1 for moment in moments.get(staff, ()) if start <= moment < end)
    return count


def attendance_figures(report, period: Period, open_: StillOpen,
                       as_of: datetime | None = None, ended_later: Collection[str] = (),
                       recorded: Callable[[str, datetime, datetime], int] | None = None,
                       statutory: Mapping[str, timedelta | None] | None = None) -> dict:
    """Anomalies (late, absent, early leave, unrostered, no clock-out) and per-person totals,
    from the shift desk's attendance report over the period's slots and duty sessions;
    `open_` (`attendance.still_open`): the duties still open at `as_of`, the moment the
    shifts are seen at, forgotten or under way; the call-outs not ended by then (the
    period's end when not given) nor since (`call_outs_not_ended`); `recorded` (`steps_by`):
    an absence's `steps`, what its person recorded during the shift all the same;
    `statutory` (`attendance.statutory_hours`): per person, the hours on statutory holidays,
    None where a day is unknown, given only for a period that has a statutory day (per
    person and in total `statutory_holiday_hours`, null when unknown: never a silent 0)."""
    not_ended = call_outs_not_ended(report.call_outs, period,
                                    as_of if as_of is not None else period.end, ended_later)
    open_calls = Counter(item["staff"] for item in not_ended)
    from dutyctl.desk.attendance import ABSENT

    anomalies = []
    for outcome in report.outcomes:
        slot = outcome.slot
        where = {"staff": slot.staff, "shift": slot.shift_id, "role": slot.role,
                 "start": local(slot.start, period)}
        if outcome.result == ABSENT:
            anomalies.append({**where, "anomaly": "absent", "minutes": None,
                              "steps": recorded(slot.staff, slot.start, slot.end)
                              if recorded else 0})
        if outcome.late_minutes:
            anomalies.append({**where, "anomaly": "late", "minutes": outcome.late_minutes})
        if outcome.early_minutes:
            anomalies.append({**where, "anomaly": "early-leave",
                              "minutes": outcome.early_minutes})
    anomalies += [{"staff": outcome.slot.staff, "shift": outcome.slot.shift_id,
                   "role": outcome.slot.role, "start": local(outcome.slot.start, period),
                   "anomaly": "no-clock-out", "minutes": None,
                   "end": local(outcome.slot.end, period)}  # the clock-out the table offers
                  for outcome in open_.forgotten]
    anomalies += [{"staff": session.staff, "shift": None, "role": None,
                   "start": local(session.start, period), "anomaly": "unrostered",
                   "minutes": minutes(session.start, session.end) if session.end else None}
                  for session in report.unrostered]
    anomalies.sort(key=lambda item: (item["start"], item["staff"], item["anomaly"]))
    people = [{"staff": person.staff, "rostered": person.rostered, "attended": person.attended,
               "late": person.late, "late_minutes": person.late_minutes,
               "early_leaves": person.early_leaves, "absent": person.absent,
               "on_leave": person.on_leave, "unrostered": person.unrostered,
               "on_duty": open_.on_duty(person.staff),
               "not_clocked_out": open_.clock_outs_forgotten(person.staff),
               "hours_worked": hours_figure(open_.worked(person)),
               "hours_on_duty": hours_figure(open_.time_on_duty(person.staff)),
               "hours_rostered": hours_figure(person.rostered_time),
               "call_outs": person.call_outs,
               "hours_call_out": hours_figure(person.call_out_time),
               "call_outs_open": open_calls[person.staff]} for person in report.people]
    totals = {key: sum(person[key] for person in people)
              for key in ("rostered", "attended", "late", "late_minutes", "early_leaves",
                          "absent", "on_leave", "unrostered", "on_duty", "not_clocked_out")}
    on_duty = sum((open_.time_on_duty(person.staff) for person in report.people), timedelta())
    totals["hours_worked"] = hours_figure(sum((open_.worked(person) for person in report.people),
                                              timedelta()))
    totals["hours_on_duty"] = hours_figure(on_duty)
    totals["hours_rostered"] = hours_figure(
        sum((person.rostered_time for person in report.people), timedelta()))
    totals["call_outs"] = sum(person.call_outs for person in report.people)
    totals["hours_call_out"] = hours_figure(
        sum((person.call_out_time for person in report.people), timedelta()))
    totals["call_outs_open"] = len(not_ended)
    if statutory is not None:
        found = [statutory.get(person["staff"], timedelta(0)) for person in people]
        for person, length in zip(people, found):
            person["statutory_holiday_hours"] = None if length is None else hours_figure(length)
        totals["statutory_holiday_hours"] = None if None in found else hours_figure(
            sum(found, timedelta()))
    # the moment the shifts are seen at: past the period's end, until its last ones are over
    return {"totals": totals, "anomalies": anomalies, "people": people,
            "as_of": local(as_of, period), "call_outs_open": not_ended}


def resident_clashes(entries: Iterable[Record], period: Period, as_of: datetime) -> list[dict]:
    """The residents register as it stood at `as_of`: each resident two desks left differing
    before they synced, for a supervisor to settle (what `dutyctl check` finds: both ask
    dutyctl.callers.to_settle) — a field corrected to two values (`type` edit: the later
    counts until one is set aside) or one phone and room registered under two names (`type`
    filed_twice: the first is listed). Phones masked, as every screen shows them."""
    from dutyctl.callers import FiledTwice, to_settle
    from dutyctl.records import as_it_stood
    from dutyctl.schema import mask_phone

    def said(field: str, value) -> str:
        value = str(value or "")
        return mask_phone(value) if field == "phone" and value else value

    found = []
    for one, clash in to_settle(as_it_stood(entries, as_of)):
        shown = {"id": one.source.id, "name": str(one.person.get("name") or ""),
                 "room": str(one.person.get("room") or ""),
                 "phone": said("phone", one.person.get("phone"))}
        if isinstance(clash, FiledTwice):
            first = clash.entry.get("resident") or {}
            other = clash.other.get("resident") or {}
            found.append({"type": "filed_twice", "field": "name", **shown,
                          "value": str(first.get("name") or ""),
                          "other_value": str(other.get("name") or ""),
                          "by": clash.entry.recorded_by,
                          "at": local(clash.entry.created_at, period),
                          "other_by": clash.other.recorded_by,
                          "other_at": local(clash.other.created_at, period),
                          "other_id": clash.other.id})
            continue
        found.append({"type": "edit", "field": clash.field, **shown,
                      "value": said(clash.field, clash.value),
                      "other_value": said(clash.field, clash.other_value),
                      "by": clash.later.by, "at": local(clash.later.at, period),
                      "other_by": clash.earlier.by,
                      "other_at": local(clash.earlier.at, period),
                      "event": clash.later.id, "other_event": clash.earlier.id})
    return sorted(found, key=lambda item: (item["room"], item["at"] or ""))


def _within_grace(outcome) -> bool:
    """Came after the shift's start or left before its end by less than the grace, and was
    there between: on time by attendance, a few minutes uncovered. It read "left and came
    back" (陈静, at 08:33 for 08:30, never left)."""
    if len(outcome.sessions) != 1:  # two: left and came back
        return False
    (session,) = outcome.sessions
    return session.start > outcome.slot.start or (
        session.end is not None and session.end < outcome.slot.end)
