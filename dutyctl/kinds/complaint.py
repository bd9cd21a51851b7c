"""Complaints (seed 4.3): handled within the center's remit, or transferred to whoever owns it.

open -> handling -> resolved -> closed (after the return visit); or open/handling ->
transferred -> resolved (the receiving side's result) -> closed. While open or handling it may
be put on hold (waiting for the resident or another party: the deadline clock stops) and
resumed (back to handling).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from dutyctl import choices
from dutyctl.errors import InputError
from dutyctl.messages import N_, NP_, t
from dutyctl.records import (ACTION_SCHEMA, ANY, ASSIGNED_AFTER, ASSIGNED_TO, LIMIT_COMPLETE,
                             LIMIT_RESPOND, LINK, Figures, KindSpec, Record, kind_spec,
                             last_event, register)
from dutyctl.residents import check_resident
from dutyctl.schema import Fields, require_text

KIND = "complaint"

OPEN, HANDLING, TRANSFERRED, RESOLVED, CLOSED = (
    "open", "handling", "transferred", "resolved", "closed")
ON_HOLD, HOLD, RESUME = "on-hold", "hold", "resume"
# a ticket closed without being worked: a duplicate (linking the one kept), withdrawn by the
# resident, or invalid; `reopen` (with a reason) brings any closed ticket back to open
CANCELLED, CLOSE, REOPEN = "cancelled", "close", "reopen"
DUPLICATE, WITHDRAWN, INVALID = "duplicate", "withdrawn", "invalid"
CLOSE_REASONS = (DUPLICATE, WITHDRAWN, INVALID)
HANDLE, TRANSFER, RESOLVE, VISIT = "handle", "transfer", "resolve", "visit"
#: a return visit tried without reaching the resident: the ticket still waits for its visit
VISIT_ATTEMPT = "visit-attempt"
#: how it ended (the words of a callback attempt's, `kinds.call.NO_ANSWER`)
VISIT_NO_ANSWER = "no-answer"
ACTION_SCHEMA[VISIT_ATTEMPT] = 2  # newer than the first: an older desk says so
# a ticket's urgency class changed (a leak that became a unit's water cut): its limits count
# from then under the new class (`urgency_of`, `urgency_since`)
RECLASSIFY = "reclassify"
TICKET_FIELDS = ("id", "kind", "schema", "created_at", "recorded_by", "resident", "category",
                 "content", "urgency", "urgency_keyword", "links")


def check_ticket_fields(top: Fields, config: Any, kind: str) -> None:
    """The fields complaints and repairs share."""
    top.unknown(TICKET_FIELDS)
    check_resident(top, "resident")
    check_ticket_body(top, config, kind)


def check_ticket_body(top: Fields, config: Any, kind: str) -> None:
    """What the ticket is about, whoever reported it."""
    top.text("category")  # checked against the config by `check`, not on read:
    # a category renamed in dutyctl.yaml must not hide the records that used it
    top.text("content")
    # not checked against the config: a class renamed later must not hide old records;
    # the deadline view says when a record's class no longer exists
    top.text("urgency")
    top.text("urgency_keyword", required=False)
    top.text_list("links")


def _handler(record: Record) -> str | None:
    """A complaint is with whoever handles it, else with whoever filed it."""
    handled = last_event(record, HANDLE)
    return handled.by if handled else record.recorded_by


def transferred_to(record: Record) -> str | None:
    """The department (an id from dutyctl.yaml) a complaint is with since it was transferred
    there: its last transfer, unless someone at the center handled it again since. A
    complaint handled here, and any other record, None."""
    if record.kind != KIND:
        return None
    moved = last_event(record, HANDLE, TRANSFER)
    return moved.data.get("to") if moved is not None and moved.action == TRANSFER else None


def sends_to_departments(kind: str) -> bool:
    """Whether a kind's assignments (KindSpec.assigns) send a record to departments, as a
    complaint's transfer does, not to people (a repair's dispatch)."""
    return kind_spec(kind).assigns == TRANSFER


def ticket_summary(record: Record) -> str:
    person = record.get("resident") or {}
    return f"{person.get('room', '')} {record.get('category', '')}"


def _satisfaction(top: Fields) -> None:
    score = top.integer("satisfaction", minimum=1)
    if score is not None and score > 5:
        top.problem("satisfaction", t("must be 1 to 5"))


# -- filing a ticket (any kind with `file=` one of these) ---------------------------------------

def suggest_urgency(config, kind: str, content: str) -> tuple[str, str | None]:
    """The class whose keyword appears in the text (first class listed wins), else the default.
    A keyword of words joined by + (电梯+困在) is in it when each of them is, in any order: a
    clerk writes 电梯停了，两人困在里面 as often as 电梯困人."""
    scheme = config.urgency.get(kind)
    if scheme is None:
        raise InputError(t("dutyctl.yaml has no urgency classes for {kind}", kind=kind))
    for class_id, keywords in scheme.keywords.items():
        for word in keywords:
            if all(part in content for part in word.split("+") if part):
                return class_id, word
    return scheme.default, None


def choose_urgency(config, kind: str, content: str,
                   requested: str | None) -> tuple[str, str | None]:
    if requested is None:
        return suggest_urgency(config, kind, content)
    classes = config.urgency[kind].classes if kind in config.urgency else {}
    named = {class_id: urgency.name for class_id, urgency in classes.items()}
    return choices.resolve(requested, named, kind_spec(kind).urgency, none=N_(
        "dutyctl.yaml lists no urgency class for this kind of record, so '{value}' cannot be "
        "one")), None


def ticket_fields(config, kind: str, *, resident: dict | None, category: str | None,
                  content: str, urgency: str | None, links: Iterable[str] = (),
                  where: str | None = None) -> dict:
    """Validated fields of a new ticket (raises before anything is written). `where`: a
    repair's place when it is not the resident's room (no resident: found on a round)."""
    if category is None:  # the category its words name (噪音), else the site's default
        category = choices.category_named_in(config, kind, content)
    category = choices.category_of(config, kind, category, kind_spec(kind).category)
    content = require_text(content, "content")
    urgency_id, keyword = choose_urgency(config, kind, content, urgency)
    fields = {"resident": resident} if resident else {}
    if where:
        fields["where"] = where
    fields.update({"category": category, "content": content, "urgency": urgency_id})
    if keyword:
        fields["urgency_keyword"] = keyword
    if links:
        fields["links"] = list(links)
    return fields


def file_ticket(store, config, kind: str, *, at: datetime, by: str, **details) -> Record:
    """A ticket kind's filing (KindSpec.file): its fields checked, then the one record."""
    return store.create(kind, ticket_fields(config, kind, **details), at=at, by=by)


def urgency_of(record: Record) -> str | None:
    """A ticket's urgency class now: the last change of it counted (`reclassify`), else the
    one it was filed with."""
    changed = last_event(record, RECLASSIFY)
    return str(changed.data.get("urgency")) if changed is not None else record.get("urgency")


def urgency_since(record: Record) -> datetime:
    """When the limits of `urgency_of` start counting: the last change of the class, else the
    filing (a change restarts them: they are the new class's, from the moment it was known)."""
    changed = last_event(record, RECLASSIFY)
    return changed.at if changed is not None else record.created_at


#: the event data complaints and repairs share: a return visit's score, why a ticket closes
TICKET_EVENTS = {
    VISIT: (("satisfaction",), _satisfaction),
    VISIT_ATTEMPT: (("result",), lambda top: top.text("result", choices=(VISIT_NO_ANSWER,))),
    RECLASSIFY: (("urgency", "from"), lambda top: (top.text("urgency"),
                                                    top.text("from", required=False))),
    # an emergency's close has no closed_as; a ticket's says why it closes
    CLOSE: (("closed_as", LINK), lambda top: (
        top.text("closed_as", required=False, choices=CLOSE_REASONS),
        top.text(LINK, required=top.raw("closed_as") == DUPLICATE))),
}


COMPLAINT = register(KindSpec(
    name=KIND,
    check_fields=lambda top, config: check_ticket_fields(top, config, KIND),
    initial_status=lambda fields: OPEN,
    transitions={HANDLE: ((OPEN, HANDLING), HANDLING),
                 TRANSFER: ((OPEN, HANDLING, TRANSFERRED), TRANSFERRED),
                 HOLD: ((OPEN, HANDLING), ON_HOLD),
                 RESUME: ((ON_HOLD,), HANDLING),
                 RESOLVE: ((OPEN, HANDLING, TRANSFERRED, ON_HOLD), RESOLVED),
                 VISIT: ((RESOLVED,), CLOSED),
                 VISIT_ATTEMPT: ((RESOLVED,), None),
                 CLOSE: ((OPEN, HANDLING, TRANSFERRED, ON_HOLD, RESOLVED), CANCELLED),
                 # RESOLVED: the resident calls back before the return visit: not resolved
                 REOPEN: ((CLOSED, CANCELLED, RESOLVED), OPEN),
                 RECLASSIFY: ((OPEN, HANDLING, TRANSFERRED, ON_HOLD), None),
                 LINK: ((ANY,), None)},
    summary=ticket_summary,
    closed_statuses=(CLOSED, CANCELLED),
    assignee=_handler,
    word=NP_("kind", "complaint"),
    title=N_("Complaints"),
    event_data={**TICKET_EVENTS,
                # `after`: the transfers the desk knew as current (records.ASSIGNED_AFTER)
                TRANSFER: ((ASSIGNED_TO, "told_resident", ASSIGNED_AFTER),
                           lambda top: (top.text(ASSIGNED_TO), top.text("told_resident"),
                                        top.text_list(ASSIGNED_AFTER))),
                RESOLVE: (("from_department",),
                          lambda top: top.text("from_department", required=False))},
    meets={LIMIT_RESPOND: (HANDLE, TRANSFER, RESOLVE), LIMIT_COMPLETE: (RESOLVE,)},
    handover=1,
    category=N_("unknown complaint category '{value}'; choose one of: {choices}"),
    urgency=N_("unknown complaint urgency '{value}'; choose one of: {choices}"),
    ticket=True,
    figures=Figures(1, "complaints", filed_better=-1),  # fewer is better
    file=lambda store, config, **details: file_ticket(store, config, KIND, **details),
    # two desks that had not synced may transfer it to two departments (assignment_conflict)
    assigns=TRANSFER,
))
