"""Calls (seed 4.2): who called, about what, answered now or a callback promised by a time."""

from __future__ import annotations

from typing import Any, Mapping

from dutyctl.messages import N_, NP_
from dutyctl.records import ANY, LINK, NOTE, Figures, KindSpec, Record, register
from dutyctl.residents import check_resident
from dutyctl.schema import Fields

KIND = "call"
ANSWERED, AWAITING_CALLBACK, CALLED_BACK = "answered", "awaiting-callback", "called-back"
# a callback tried and not made: the promise stays open (and may still turn overdue)
ATTEMPT = "callback-attempt"
NO_ANSWER, BUSY, WRONG_NUMBER = "no-answer", "busy", "wrong-number"
ATTEMPT_RESULTS = (NO_ANSWER, BUSY, WRONG_NUMBER)
CALLBACK_DONE = "callback-done"
# the time promised put right (a promise written at night read as the wrong morning): the
# callback is due then (`callback_by_of`)
RESCHEDULE = "reschedule"


def _check(top: Fields, config: Any) -> None:
    top.unknown(("id", "kind", "schema", "created_at", "recorded_by",
                 "resident", "category", "summary", "callback_by", "links"))
    check_resident(top, "resident")
    top.text("category")  # checked against the config by `check`, not on read:
    # a category renamed in dutyctl.yaml must not hide the records that used it
    top.text("summary")
    top.timestamp("callback_by", required=False)
    top.text_list("links")


def _initial(fields: Mapping[str, Any]) -> str:
    return AWAITING_CALLBACK if fields.get("callback_by") else ANSWERED


def _summary(record: Record) -> str:
    caller = record.get("resident") or {}
    return f"{caller.get('room', '')} {record.get('category', '')}"


CALL = register(KindSpec(
    name=KIND,
    check_fields=_check,
    initial_status=_initial,
    transitions={CALLBACK_DONE: ((AWAITING_CALLBACK,), CALLED_BACK),
                 ATTEMPT: ((AWAITING_CALLBACK,), None),
                 RESCHEDULE: ((AWAITING_CALLBACK,), None),
                 LINK: ((ANY,), None),
                 NOTE: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(ANSWERED, CALLED_BACK),
    word=NP_("kind", "call"),
    title=N_("Calls"),
    event_data={ATTEMPT: (("result",), lambda top: top.text("result", choices=ATTEMPT_RESULTS)),
                RESCHEDULE: (("callback_by",), lambda top: top.timestamp("callback_by"))},
    handover=3,  # a call is carried while its callback waits (tickets.deadlines)
    category=N_("unknown call category '{value}'; choose one of: {choices}"),
    figures=Figures(0, "calls"),
    file=lambda store, config, **details: log_call(store, config, **details),
    voidable=True,  # a call logged by mistake (作废): tickets.lifecycle.void
))


def callback_by_of(record: Record) -> str | None:
    """The time a call's callback is promised for now: the last time put right counted
    (`reschedule`), else the one promised when it was logged (ISO text, as stored)."""
    from dutyctl.records import last_event

    moved = last_event(record, RESCHEDULE)
    return str(moved.data.get("callback_by")) if moved is not None else record.get("callback_by")


def attempts(record: Record) -> list:
    """The callback attempts made so far (events), oldest first."""
    return [event for event in record.counted_events if event.action == ATTEMPT]


def log_call(store, config, *, resident: dict, category: str | None, summary: str,
             callback_by=None, at, by: str, callback_typed: str | None = None) -> Record:
    """File a call; a promised callback must be due after the call itself. `callback_typed`
    is the callback time as the desk typed it: a time of day alone (8:00 at 23:50) refused
    as passed is most likely tomorrow's, and the refusal says how to write that; so is a
    part of the day (今晚, 凌晨, 上午 at 23:00, 下班前 after it): timeutil.not_after."""
    from dutyctl import timeutil
    from dutyctl.choices import category_of

    category = category_of(config, KIND, category, CALL.category)
    fields = {"resident": resident, "category": category, "summary": summary.strip()}
    if callback_by is not None:
        if callback_by <= at:  # 8:00 at 23:50, 今晚 at 23:00: tomorrow's, said how
            raise timeutil.not_after("callback_by", callback_by, at, callback_typed,
                                     N_("{name} {due} is not after the call ({at})"))
        fields["callback_by"] = timeutil.to_iso(callback_by)
    return store.create(KIND, fields, at=at, by=by)


def ticket_kind_of_call(config, category: str | None) -> str | None:
    """The ticket kind a call of `category` files: the kind of that id (complaint, repair), or,
    for a Chinese id, the kind whose Chinese word is the category's id or name (投诉, 报修: a
    site whose ids are its names); None for any other category."""
    from dutyctl.records import ticket_kinds

    if category in ticket_kinds():
        return category
    if category is None or category.isascii():  # every `log call`: no catalogue switched
        return None
    from dutyctl import choices
    from dutyctl.messages import speaking
    from dutyctl.records import kind_word

    names = call_categories(config)
    with speaking("zh_CN"):  # the word a Chinese site names the category by, whatever the screen
        for kind in ticket_kinds():
            if category in choices.matches(kind_word(kind), names, partial=False):
                return kind
    return None


def call_categories(config) -> dict:
    """The call categories of dutyctl.yaml: id -> name(s)."""
    catalogue = config.categories.get(CALL.name)
    return catalogue.names if catalogue is not None else {}
