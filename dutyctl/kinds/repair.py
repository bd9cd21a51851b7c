"""Repairs (seed 4.4): a fault in a room or a common area, sent to a technician.

open -> dispatched -> on-site (the technician arrived: 已到场) -> done -> closed (after the
return visit). A hold (waiting for parts, for the resident) from dispatched or on-site is
resumed to dispatched: the technician comes again and records the arrival again; dispatched
again (to another technician, or the same sent back), it waits for that arrival. `eta`
records a fact without changing the status.

A repair reported by a resident names them (`resident`); a fault elsewhere than the
resident's room (a resident calling about the pump room) names its place too (`where`), and
one found on a round, nobody reporting it, names only the place. One filed by `repair schedule` from
recurring maintenance in dutyctl.yaml names instead the job and its occurrence
(`recurring: {job, occurrence}`) and the place (`where`); it is created at the occurrence
itself, so its deadlines run from it and it lives in that day's folder.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dutyctl import timeutil
from dutyctl.kinds.complaint import (CANCELLED, CLOSE, HOLD, RECLASSIFY, REOPEN, RESUME,
                                     TICKET_EVENTS, TICKET_FIELDS, VISIT, VISIT_ATTEMPT,
                                     check_ticket_body,
                                     check_ticket_fields, file_ticket)
from dutyctl.messages import N_, NP_, t
from dutyctl.records import (ANY, ASSIGNED_AFTER, ASSIGNED_TO, LIMIT_ARRIVE, LIMIT_COMPLETE,
                             LIMIT_RESPOND, LINK, Figures, KindSpec, Record, last_event,
                             register)
from dutyctl.residents import check_resident, place_of
from dutyctl.schema import Fields

KIND = "repair"
OPEN, DISPATCHED, ON_SITE, ON_HOLD, DONE, CLOSED = (
    "open", "dispatched", "on-site", "on-hold", "done", "closed")
# the actions; FINISH ("done") leads to the status DONE ("done")
DISPATCH, ARRIVE, ETA, FINISH = "dispatch", "arrive", "eta", "done"
RECURRING, WHERE = "recurring", "where"
SCHEDULE_FILER = "schedule"  # recorded_by of a recurring repair: the same on every desk
RECURRING_FIELDS = TICKET_FIELDS + (RECURRING, WHERE)


def _check(top: Fields, config: Any) -> None:
    if top.has(WHERE) and not top.has(RECURRING):
        # a fault away from the reporter's room (the pump room a resident called about), or
        # found on a round with nobody reporting it (no resident)
        top.unknown(TICKET_FIELDS + (WHERE,))
        top.room(WHERE)
        if top.has("resident"):
            check_resident(top, "resident")
        check_ticket_body(top, config, KIND)
        return
    if not top.has(RECURRING):
        check_ticket_fields(top, config, KIND)
        return
    top.unknown(RECURRING_FIELDS)
    if top.has("resident"):
        top.problem("resident", t("a repair filed from recurring maintenance has no resident"))
    top.room(WHERE)
    check_ticket_body(top, config, KIND)
    job = top.mapping(RECURRING)
    if job is None or not job.ok:
        return
    job.unknown(("job", "occurrence"))
    # any text: a job removed from the config later must not hide its old repairs
    job.text("job")
    occurrence = job.timestamp("occurrence")
    created = timeutil.from_iso(top.raw("created_at"))
    if occurrence and created and occurrence != created:
        job.problem("occurrence", t("is not the repair's created_at: a recurring repair is "
                                    "filed at its occurrence"))


def occurrence_key(job_id: str, at: datetime) -> tuple[str, int]:
    """Occurrences compare by instant: an aware datetime in the site zone and one read back
    with a fixed offset are never equal in the hour a DST change repeats."""
    return job_id, int(at.timestamp())


def occurrence_of(record: Record) -> tuple[str, int] | None:
    """occurrence_key of a repair filed from recurring maintenance, else None."""
    job = record.get(RECURRING) if record.kind == KIND else None
    at = timeutil.from_iso(job.get("occurrence")) if job else None
    return occurrence_key(str(job.get("job")), at) if at else None


def _dispatched_to(record: Record) -> str | None:
    """A repair is with the technician it was last dispatched to; nobody's before that."""
    dispatched = last_event(record, DISPATCH)
    return str(dispatched.data.get(ASSIGNED_TO)) if dispatched else None


def arrived_since_dispatch(record: Record) -> bool:
    """Whether the technician the repair was last dispatched to has arrived: an arrival
    before a re-dispatch was another's, and one set aside does not count. (Its status does
    not say: a repair resumed after a hold is `dispatched` again.)"""
    actions = [event.action for event in record.counted_events]
    last_dispatch = max((n for n, action in enumerate(actions) if action == DISPATCH),
                        default=-1)
    return ARRIVE in actions[last_dispatch + 1:]


def _summary(record: Record) -> str:
    place = place_of(record) or ""
    return f"{place} {record.get('category', '')}"


REPAIR = register(KindSpec(
    name=KIND,
    check_fields=_check,
    initial_status=lambda fields: OPEN,
    transitions={DISPATCH: ((OPEN, DISPATCHED, ON_SITE), DISPATCHED),
                 ARRIVE: ((DISPATCHED,), ON_SITE),
                 ETA: ((OPEN, DISPATCHED, ON_SITE, ON_HOLD), None),
                 HOLD: ((DISPATCHED, ON_SITE), ON_HOLD),
                 RESUME: ((ON_HOLD,), DISPATCHED),
                 FINISH: ((DISPATCHED, ON_SITE), DONE),
                 VISIT: ((DONE,), CLOSED),
                 VISIT_ATTEMPT: ((DONE,), None),
                 CLOSE: ((OPEN, DISPATCHED, ON_SITE, ON_HOLD, DONE), CANCELLED),
                 # DONE: the work failed before the return visit (rework), sent back
                 REOPEN: ((CLOSED, CANCELLED, DONE), OPEN),
                 RECLASSIFY: ((OPEN, DISPATCHED, ON_SITE, ON_HOLD), None),
                 LINK: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(CLOSED, CANCELLED),
    assignee=_dispatched_to,
    word=NP_("kind", "repair"),
    title=N_("Repairs"),
    event_data={**TICKET_EVENTS,
                # `after`: the dispatches the desk knew as current (records.ASSIGNED_AFTER)
                DISPATCH: ((ASSIGNED_TO, ASSIGNED_AFTER), lambda top: (
                    top.text(ASSIGNED_TO), top.text_list(ASSIGNED_AFTER))),
                ETA: (("eta",), lambda top: top.timestamp("eta")),
                FINISH: (("materials",), lambda top: top.text("materials", required=False))},
    meets={LIMIT_RESPOND: (DISPATCH, ARRIVE, FINISH), LIMIT_ARRIVE: (ARRIVE, FINISH),
           LIMIT_COMPLETE: (FINISH,)},
    handover=2,
    category=N_("unknown repair category '{value}'; choose one of: {choices}"),
    urgency=N_("unknown repair urgency '{value}'; choose one of: {choices}"),
    ticket=True,
    figures=Figures(2, "repairs"),
    file=lambda store, config, **details: file_ticket(store, config, KIND, **details),
    assigns=DISPATCH,
    staff_sent_by=(DISPATCH,),
    # a place of its own beside a resident, or none (found on a round): schema 2
    schema_of=lambda fields: 2 if WHERE in fields and RECURRING not in fields else 1,
))
