"""Records turned into rows and documents for the output layer (phones masked by default)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any, Callable

from dutyctl import timeutil
from dutyctl.frozen import frozen
from dutyctl.timeutil import local_time

from dutyctl.store import ids
from dutyctl.kinds.call import ATTEMPT, callback_by_of
from dutyctl.kinds.complaint import RECLASSIFY, VISIT_ATTEMPT, urgency_of
from dutyctl.kinds.callout import KIND as CALLOUT_KIND
from dutyctl.kinds.duty import KIND as DUTY_KIND, ON_DUTY, forgotten, shift_end
from dutyctl.kinds.entry import KIND as ENTRY_KIND
from dutyctl.kinds.readiness import FIX, PROBLEM_KIND
from dutyctl.kinds.repair import DISPATCH
from dutyctl.messages import N_, NP_, gettext, pgettext, t, tn, tp
from dutyctl.queries import NOT_CLOCKED_OUT, category_of, means_not_clocked_out, resolve_filters
from dutyctl.records import ASSIGNED_AFTER, Record, kind_spec, kind_word
from dutyctl.residents import person_of, place_of, shown_phone
from dutyctl.schema import mask_phone, phones_masked
from dutyctl.words import (action_word, attempt_word, closed_as_word, entry_word,
                           status_word)

LIST_COLUMNS = [("id", N_("id")), ("kind", N_("kind")), ("time", N_("time")),
                ("status", N_("status")), ("by", N_("recorded by")), ("room", N_("room")),
                ("name", N_("name")), ("phone", N_("phone")), ("category", N_("category")),
                ("text", N_("text")), ("assigned", N_("assigned")), ("due", N_("due"))]
#: A record's columns in the data formats (csv, json, Excel), what `record_row(wide=True)`
#: gives: the department a complaint was transferred to on every row (empty where none),
#: which a table says in `assigned`. Every listing of records exports them all
#: (`data_columns`), so that its CSV has the columns its json rows have.
RECORD_DATA_COLUMNS = [*LIST_COLUMNS[:-1], ("transferred_to", N_("transferred to")),
                       ("urgency", N_("urgency"))]
#: `list`'s columns in the data formats: the record's, then its next deadline
LIST_DATA_COLUMNS = [*RECORD_DATA_COLUMNS, LIST_COLUMNS[-1]]
#: Left out of a list table, in this order, when the terminal is too narrow (--wide shows them).
LIST_OPTIONAL = ("by", "assigned", "category")
HISTORY_COLUMNS = [("at", N_("time")), ("by", N_("by")), ("action", N_("action")),
                   ("note", N_("note"))]


def data_columns(columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A listing's columns of records in the data formats: every record column, in the order
    of `list` and of its json rows (RECORD_DATA_COLUMNS), then its own (`search`'s match,
    `callback list`'s promise)."""
    shared = {key for key, _ in RECORD_DATA_COLUMNS}
    return [*RECORD_DATA_COLUMNS, *(column for column in columns if column[0] not in shared)]


def list_optional(show_phone: bool) -> tuple[str, ...]:
    """A masked phone number is the next to go: nobody can call it."""
    return LIST_OPTIONAL if show_phone else LIST_OPTIONAL + ("phone",)


def record_text(record: Record, names=None) -> str:
    """A record's own words; a readiness problem's note after the item that failed, by its
    label (names: dutyctl.names.Names, for the site's current label)."""
    if record.kind == PROBLEM_KIND:
        item = (names.checklist(record.get("item"), record.get("item_name")) if names
                else record.get("item_name") or record.get("item"))
        return t("{item}: {note}", item=item, note=record.get("note") or "")
    if record.kind == CALLOUT_KIND:  # who came in (an emergency's link names them)
        staff = names.person(record.get("staff")) if names else record.get("staff")
        return " ".join(str(part) for part in (staff, record.get("note")) if part)
    return record.get("summary") or record.get("content") or record.get("note") or ""


def record_row(record: Record, tz: tzinfo, show_phone: bool, wide: bool = False,
               names=None, as_of: datetime | None = None, config=None,
               chained: Callable[[Record, datetime], bool] | None = None) -> dict:
    """One line of `list`: ids and ISO times for data (`wide`); words, labels and staff names
    for the table when `names` (dutyctl.names.Names) is given (in the data formats too: the
    text's own words, a call-out's person by name); a duty's row names its person, and one
    left open past its shift at `as_of` reads 未签退, not 在岗 (as the reports)."""
    person = person_of(record)  # a register entry as corrected since
    text = record_text(record, names)  # a table shortens it to the terminal (output.table)
    text = text if show_phone else phones_masked(text)
    status = status_at(record, as_of, config, chained)
    row = {"id": record.id if wide else record.short_id,
           "kind": record.kind if wide else kind_word(record.kind),
           "time": local_time(record.created_at, tz) if not wide else record.created_at,
           "status": status if wide else status_word(status, record.kind),
           "by": record.recorded_by, "room": place_of(record),
           "name": person.get("name"), "phone": shown_phone(person, show_phone) or None,
           "category": record.get("category"), "text": text, "assigned": _assignee(record)}
    row["category"] = category_of(record)  # an entry's type stands in the category column
    if wide:  # on every row, None where not transferred: the table says it in `assigned`
        from dutyctl.kinds.complaint import transferred_to

        row["transferred_to"] = transferred_to(record)
        # a ticket's class now (a supervisor's export of the week's repairs sorts by it)
        row["urgency"] = urgency_of(record) if record.get("urgency") else None
    if names is not None and not wide:
        if record.kind == DUTY_KIND:
            row["name"] = names.person(record.get("staff"))
        if record.kind == ENTRY_KIND and row["category"]:  # the type even when the category
            row["kind"] = t("{kind}: {type}", kind=row["kind"],  # column makes room
                            type=entry_word(row["category"]))
        row.update(by=names.short_person(row["by"]), assigned=names.holder(record),
                   room=names.room_line(row["room"]), name=names.line(row["name"]),
                   category=entry_word(row["category"]) if record.kind == ENTRY_KIND
                   else names.category(record.kind, row["category"])
                   if row["category"] else None)
    return row


def status_at(record: Record, as_of: datetime | None, config,
              chained: Callable[[Record, datetime], bool] | None = None) -> str:
    """A record's status id at `as_of`: a duty left open past its shift (its clock-out
    forgotten, `kinds.duty.forgotten`) is NOT_CLOCKED_OUT (未签退), not on-duty (在岗), as
    the reports say it, in every format (a supervisor's Excel filtered for 在岗 listed a clerk
    gone home days ago). Judged first by the shift it was clocked in for alone, no roster
    read (the chain only runs on past that shift); `chained`: whether it is still left open
    over the shifts it ran into (连班: `desk.attendance.left_open` with the roster read,
    given by the command that reads it), asked only of a duty past the shift it was clocked
    in for and of one clocked in for none (whose chain may end before the day an unrostered
    duty is given: the shift it ran into)."""
    if as_of is None or config is None or record.kind != DUTY_KIND or record.status != ON_DUTY:
        return record.status
    left_open = forgotten(record.created_at, shift_end(record), as_of,
                          timedelta(minutes=config.clock_in_window_minutes))
    if chained is not None and (left_open or not record.get("slot")):
        left_open = chained(record, as_of)
    return NOT_CLOCKED_OUT if left_open else record.status


@frozen
class ListFilters:
    """`list`'s kind, status and category as the records are asked by (`list_filters`), and
    `shown`: a duty's status as a screen shows it (未签退, NOT_CLOCKED_OUT, or 在岗,
    on-duty), judged on each duty at the moment listed (`status_at`): the index keeps a
    duty's status as written."""

    kind: Any = None
    status: Any = None
    category: Any = None
    shown: str | None = None


def list_filters(config, *, kind: str | None, status: str | None, category: str | None,
                 since=None, until=None) -> ListFilters:
    """`list --kind --status --category` resolved (`queries.resolve_filters`); 未签退 lists
    the duties on duty whose clock-out was forgotten, refused with another --kind."""
    shown = None
    if status is not None and means_not_clocked_out(status):
        _refuse_another_kind(config, kind, status)
        kind, status, shown = DUTY_KIND, ON_DUTY, NOT_CLOCKED_OUT
    kind, status, category = resolve_filters(config, kind=kind, status=status,
                                             category=category, since=since, until=until,
                                             entry_types=True)
    if shown is None and status == ON_DUTY:  # 在岗: a duty left open past its shift is not
        shown = ON_DUTY
    return ListFilters(kind, status, category, shown)


def _refuse_another_kind(config, kind: str | None, status: str) -> None:
    """未签退 (list --status) with a --kind other than the duty's: refused, never the kind
    silently changed."""
    if kind is not None and resolve_filters(config, kind=kind,
                                            entry_types=True)[0] != DUTY_KIND:
        from dutyctl.errors import InputError

        raise InputError(lambda name: t("{status} is a duty's status (a clock-out forgotten): "
                                        "leave {kind} out, and the duties are listed",
                                        status=status.strip(), kind=name("kind")))


def find_listed(store, config, filters: ListFilters, *, since=None, until=None,
                room: str | None = None, assigned: str | None = None, open_only: bool = False,
                wanted: dict[str, str] | None = None, as_of: datetime | None = None,
                moment: datetime | None = None, newest: int | None = None,
                due: Callable[[list], list] | None = None,
                chained: Callable[[Record, datetime], bool] | None = None) -> tuple[Any, bool]:
    """The records `list` shows, oldest first (`queries.find`), and whether older ones were
    not looked at (how many match in all is then unknown). Judged here, not by the index:
    the urgency class now (`wanted`, `queries.urgency_wanted`: a reclassify counted; only
    the kinds with that class are read), a duty's status as shown at
    `moment` (`filters.shown`) and `due` (the deadline filter, None: none); `newest`: the
    most recent kept. `as_of`: the records as they stood then (`--as-of`); only an open
    record has a deadline still to meet; `chained` as `status_at` takes it."""
    from dutyctl import queries

    kind = filters.kind if wanted is None else tuple(wanted)
    asked = dict(kind=kind, since=since, until=until, room=room, category=filters.category,
                 status=filters.status, assigned=assigned,
                 open_only=open_only or due is not None, as_of=as_of)
    newest_of_class = wanted is not None and newest is not None and due is None
    if newest_of_class:
        found = queries.find_newest_kept(
            store, lambda record: bool(queries.of_urgency([record], wanted)), newest, **asked)
        return found, found.total is None
    judged = due is not None or wanted is not None or filters.shown is not None
    found = queries.find(store, **asked, newest=None if judged else newest)
    if wanted is not None:
        found.records = queries.of_urgency(found.records, wanted)
    if due is not None:
        found.records = due(found.records)
    if filters.shown is not None:
        found.records = [record for record in found.records
                         if status_at(record, moment, config, chained) == filters.shown]
    if judged:
        queries.keep_newest(found, newest)
    return found, False


def status_shown(record: Record, as_of: datetime | None, config,
                 chained: Callable[[Record, datetime], bool] | None = None) -> str:
    """status_at in words."""
    return status_word(status_at(record, as_of, config, chained), record.kind)


def _assignee(record: Record) -> str | None:
    from dutyctl.records import assignee

    return assignee(record)


#: the fields of free text a phone number may be typed into (masked in it as in `phone`)
FREE_TEXT_FIELDS = frozenset({"summary", "content", "note", "notes", "text", "reason",
                              "result", "steps", "description", "message", "told_resident",
                              "materials", "no_handover_reason"})


def _masked(fields: Any, show_phone: bool, free: bool = False) -> Any:
    """A record's fields with its phone masked, and each number in its free text (`free`:
    under one of FREE_TEXT_FIELDS; a handover's items: their `text`), unless `show_phone`."""
    if show_phone:
        return fields
    if isinstance(fields, dict) or hasattr(fields, "items"):
        return {key: (mask_phone(value) if key == "phone" and isinstance(value, str)
                      else _masked(value, show_phone, free or key in FREE_TEXT_FIELDS))
                for key, value in fields.items()}
    if isinstance(fields, (list, tuple)):
        return [_masked(value, show_phone, free) for value in fields]
    return phones_masked(fields) if free and isinstance(fields, str) else fields


def record_document(record: Record, show_phone: bool) -> dict:
    """The whole record with its status and history; a ticket's urgency as it is now, as its
    status is (the class filed with is the first change's `from` in the history), and a
    register entry's resident with its corrections (the number filed is in the history)."""
    fields = dict(record.fields)
    if fields.get("resident"):
        fields["resident"] = person_of(record)
    fields = _masked(fields, show_phone)
    if "urgency" in fields:
        fields["urgency"] = urgency_of(record)
    return {"id": record.id, "kind": record.kind, "status": record.status,
            "created_at": record.created_at, "recorded_by": record.recorded_by,
            **fields,
            "history": [{"id": event.id, "at": event.at, "by": event.by,
                         "action": event.action,
                         "note": _masked(event.note, show_phone, free=True),
                         **_masked(dict(event.data), show_phone)} for event in record.events],
            "path": record.path}


def history_rows(record: Record, tz: tzinfo, names=None, show_phone: bool = False) -> list[dict]:
    """A record's steps for `show`: with `names`, people and departments by name and each
    step's data in words (json/yaml keep the ids)."""
    def who(staff: str | None) -> str | None:
        return names.short_person(staff) if names is not None else staff

    from dutyctl.records import SET_ASIDE, SETTLE, set_aside as steps_aside

    set_aside = steps_aside(record)
    settles = {event.id for event in record.events if event.action == SETTLE}
    filed = action_word("filed")  # the filing set aside: the record voided (records.VOIDED)
    rows = [{"at": local_time(record.created_at, tz), "by": who(record.recorded_by),
             "action": t("{action} (set aside)", action=filed) if record.id in set_aside
             else filed, "note": _masked(record_text(record, names), show_phone, free=True)}]
    for event in record.events:
        # a settle step setting aside another (the void undone: tickets.lifecycle.restore)
        action = action_word("restore" if event.action == SETTLE and event.data.get(SET_ASIDE)
                             in settles else event.action)
        rows.append({"at": local_time(event.at, tz), "by": who(event.by),
                     "action": t("{action} (set aside)", action=action)
                     if event.id in set_aside else action,
                     "note": _masked(_event_note(event, names, tz, show_phone, record.kind),
                                     show_phone,
                                     free=True)})
    return rows


#: How `show` names a record's fields on screen (json/yaml keep the keys).
FIELD_LABELS = {
    "id": N_("id"), "kind": N_("kind"), "status": N_("status"), "created_at": N_("filed at"),
    "recorded_by": N_("recorded by"), "resident": N_("resident"), "category": N_("category"),
    "content": N_("content"), "summary": N_("summary"), "urgency": N_("urgency"),
    "urgency_keyword": N_("urgency suggested by"), "clock": N_("deadline clock"),
    "type": N_("type"), "where": N_("where"), "note": N_("note"), "links": N_("links"),
    "source": N_("made from"), "callback_by": N_("callback by"),
    # a duty (clock-in) and a handover: `handover show` lists a handover's items in full
    "staff": N_("staff"), "verdict": N_("on arrival"), "late_minutes": N_("late min"),
    "slot": N_("rostered"), "from": N_("handed over by"), "to": N_("handed over to"),
    "duty": N_("duty record"), "items": N_("open items"), "notes": N_("notes"),
    # a call-out's on-call shift and repair; a checklist run's answers; a readiness problem's
    # item (its label as stored, item_name, is shown in its place) and the run that found it
    "shift": N_("shift"), "repair": N_("repair"), "emergency": N_("emergency"),
    "results": N_("results"),
    "item": N_("checklist item"), "run": N_("checklist run"),
    # what `show` adds: steps two desks took without syncing, a ticket's time on hold
    "conflict": N_("conflict"), "on_hold_for": N_("on hold for"),
    # a repair filed from the recurring maintenance of dutyctl.yaml: its job and occurrence
    "recurring": N_("recurring maintenance"),
}
#: fields another field shows: a readiness problem's stored label is its `item`'s value
SHOWN_ELSEWHERE = ("item_name",)
CLOCK_WORDS = {"24x7": N_("around the clock"), "business": N_("business hours")}
RESIDENT_LABELS = {"name": N_("name"), "room": N_("room"), "phone": N_("phone")}


def document_lines(document: dict, record: Record, names, tz: tzinfo,
                   words: dict | None = None) -> list[str]:
    """`show` in table form: each field as `label: value`, with words, labels and names in
    place of ids (fields the table does not know keep their key). `words`: fields the caller
    put in words from elsewhere (a call-out's, callout_fields)."""
    from dutyctl.output import cell

    shown = {
        "kind": kind_word(record.kind), "status": status_word(record.status, record.kind),
        "created_at": local_time(record.created_at, tz),
        "recorded_by": names.person(record.recorded_by),
        "category": names.category(record.kind, record.get("category")),
        "urgency": names.urgency(record.kind, urgency_of(record)),
        "urgency_keyword": _suggested_by(record, names),
        "type": entry_word(record.get("type")) if record.kind == ENTRY_KIND
        else names.emergency(record.get("type")),
        "where": names.room_line(record.get("where")),
        "callback_by": timeutil.local_or_as_is(callback_by_of(record), tz),
        "clock": gettext(CLOCK_WORDS.get(document.get("clock"), str(document.get("clock")))),
        "resident": t(", ").join(
            t("{label}={value}", label=gettext(RESIDENT_LABELS.get(key, key)),
              value=names.line(names.room(value) if key == "room" else value))
            for key, value in (document.get("resident") or {}).items() if value),
    }
    conflicts = document.get("conflict") or ()
    if len(conflicts) > 1:  # sentences each: one on a line of its own under the label
        shown["conflict"] = "".join(f"\n  {clash}" for clash in conflicts)
    if isinstance(document.get("recurring"), dict):
        shown["recurring"] = _occurrence(document["recurring"], names, tz)
    shown.update(_desk_fields(document, names))
    if isinstance(document.get("results"), (list, tuple)):
        shown["results"] = _checklist_results(document["results"], names)
    shown.update(words or {})
    for key in kind_spec(record.kind).named_staff:  # a handover's from/to: names, not ids
        shown[key] = names.people(document.get(key))
    lines = []
    for key, value in document.items():
        if key in ("history", "path", *SHOWN_ELSEWHERE) or value in (None, "", [], ()):
            continue
        label = gettext(_type_label(record.kind) if key == "type" else FIELD_LABELS[key]) \
            if key in FIELD_LABELS else _bounded(key, key)
        # a text's later lines indented under its label: never a line of their own that
        # could pass for another field or a `path:line:` finding
        text = shown[key] if key in shown else cell(value).replace("\n", "\n  ")
        lines.append(t("{label}: {value}", label=label, value=_bounded(text, value)))
    return lines


def _suggested_by(record: Record, names) -> str | None:
    """The word that suggested the class filed with; once the class changed, which class it
    suggested (`漏水（登记时据此定为 紧急）` beside 急修: the word no 急修 keyword is)."""
    keyword = record.get("urgency_keyword")
    changed = next((event for event in record.counted_events if event.action == RECLASSIFY),
                   None)
    if not keyword or changed is None or not changed.data.get("from"):
        return keyword
    return t("{keyword} (the class {urgency} when filed)", keyword=keyword,
             urgency=names.urgency(record.kind, changed.data["from"]))


def _bounded(text: str, value: Any) -> str:
    """A field (`value`) as `show` prints it (`text`), cut after MAX_TEXT characters with how
    long it was when one text in it is longer: no text dutyctl writes is (the front door
    refuses it), so only a hand-edited one (a category of 200,000 characters, which `check`
    names) is not printed whole. A field of several texts (a handover's notes, earlier
    handovers' carried along) is longer than any of them, and printed whole."""
    from dutyctl.schema import MAX_TEXT

    if len(text) <= MAX_TEXT or _longest_text(value) <= MAX_TEXT:
        return text
    return t("{start}… (cut: {length} characters in all)", start=text[:MAX_TEXT],
             length=len(text))


def _longest_text(value: Any) -> int:
    """The length of the longest text in a value loaded from YAML (lists and maps walked)."""
    if isinstance(value, dict):  # LineDict too
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple)):
        return max(map(_longest_text, value), default=0)
    return len(str(value))


def _type_label(kind: str) -> str:
    """An emergency's or a duty-log entry's `type`, not to be read as the record's kind (类型:
    突发事件 above it)."""
    return N_("entry type") if kind == ENTRY_KIND else N_("emergency type")


def _occurrence(recurring: dict, names, tz: tzinfo) -> str:
    """消防设施月度巡检, 2026-11-02 09:00: the job by its name in dutyctl.yaml (its id when the
    job is no longer there) and the occurrence in the site zone."""
    from dutyctl.output import cell

    job = names.config.recurring.get(recurring.get("job"))
    return t("{job}, due {at}", job=cell(job.name if job is not None and job.name
                                         else recurring.get("job")),
             at=cell(timeutil.local_or_as_is(recurring.get("occurrence"), tz)))


def _desk_fields(document: dict, names) -> dict:
    """A duty's and a handover's fields in words: the person by name, the verdict, the slot
    as the roster names it, a handover's items counted (`handover show` lists them)."""
    from dutyctl.words import attendance_word

    shown = {}
    if isinstance(document.get("staff"), str):
        shown["staff"] = names.person(document["staff"])
    if isinstance(document.get("verdict"), str):
        shown["verdict"] = attendance_word(document["verdict"])
    slot = document.get("slot")
    start, end = (timeutil.from_iso(slot.get(key)) for key in ("start", "end")) if hasattr(
        slot, "get") else (None, None)
    if start is not None and end is not None:  # as clock in says it
        shown["slot"] = names.slot(slot.get("shift_name") or names.shift(slot.get("shift")),
                                   start, end, slot.get("role"))
    for key in ("duty", "run"):
        if isinstance(document.get(key), str):
            shown[key] = ids.short(document[key])
    if isinstance(document.get("item"), str):
        shown["item"] = names.checklist(document["item"], document.get("item_name"))
    items = document.get("items")
    if isinstance(items, (list, tuple)) and items:  # open items, as the handover counted them
        from dutyctl.kinds.handover import open_item_count

        shown["items"] = tn("{count} (dutyctl handover show {id})",
                            "{count} (dutyctl handover show {id})", open_item_count(items),
                            id=ids.short(str(document.get("id", ""))))
    if isinstance(document.get("notes"), (list, tuple)):
        shown["notes"] = t("; ").join(str(note) for note in document["notes"])
    return shown


def _checklist_results(results, names) -> str:
    """A checklist run's answers by the items' labels:
    正常：… ；问题：打印机可用（卡纸）."""
    good = [names.checklist(result.get("item")) for result in results
            if hasattr(result, "get") and result.get("ok")]
    wrong = [t("{item} ({note})", item=names.checklist(result.get("item")),
               note=result.get("note")) if result.get("note")
             else names.checklist(result.get("item"))
             for result in results if hasattr(result, "get") and not result.get("ok")]
    parts = ([t("ok: {items}", items=checklist_items(good))] if good else []) + (
        [t("problem: {items}", items=checklist_items(wrong))] if wrong else [])
    return tp("checklist answers", "; ").join(parts)


def checklist_items(items: list[str]) -> str:
    """Checklist items in one line: in Chinese joined with ；, since an item's own label may
    hold 、 (报修单、投诉登记表等表单齐全)."""
    return tp("checklist items", ", ").join(items)


def callout_fields(record: Record, names, refers) -> dict:
    """A call-out's on-call shift as the roster had it (`refers.slot`: label, local times,
    role; the label alone when the roster no longer says so) and its repair as a link reads
    it (`refers`: desk.callout.refers_to)."""
    shown = {}
    if record.get("shift"):
        slot = refers.slot
        shown["shift"] = names.shift(record.get("shift")) if slot is None or \
            slot.shift_id != record.get("shift") else names.slot_of(slot)
    if record.get("repair"):
        shown["repair"] = _linked(refers.repair, str(record.get("repair")),
                                  refers.repair_problem)
    if record.get("emergency"):
        shown["emergency"] = _linked(refers.emergency, str(record.get("emergency")),
                                     t("not found"))
    return shown


def _linked(linked: Record | None, record_id: str, problem: str | None) -> str:
    """A linked record as the links table reads it: its short id and text (not found: why)."""
    if linked is None:
        return t("{id} ({reason})", id=ids.short(record_id), reason=problem)
    return t("{id} {text} ({status})", id=linked.short_id, text=record_text(linked),
             status=status_word(linked.status, linked.kind))


def _flat(data, show_phone: bool = False) -> list[tuple[str, Any]]:
    """An event's data as key=value pairs, a mapping spread out (a register correction:
    `room=3-2-502 phone=139****0000`); a phone masked unless `show_phone`, as in every table."""
    pairs = []
    for key, value in data.items():
        if isinstance(value, dict):  # LineDict too
            pairs += _flat(value, show_phone)
        else:
            pairs.append((key, mask_phone(value) if key == "phone" and isinstance(value, str)
                          and not show_phone else value))
    return pairs


def _event_note(event, names=None, tz=None, show_phone: bool = False,
                kind: str | None = None) -> str:
    """An event's note and data in words: a problem found working by a checklist run has no
    note of its own (nothing translated is stored), the run is named instead."""
    if not event.note and event.action == FIX and set(event.data) == {"run"}:
        return t("found working in checklist {id}", id=ids.short(event.data["run"]))
    if event.action in (ATTEMPT, VISIT_ATTEMPT) and set(event.data) == {"result"}:  # an id
        result = attempt_word(str(event.data["result"]))
        return t("{result}: {note}", result=result, note=event.note) if event.note else result
    detail = t("; ").join(_event_detail(key, value, names, tz, event.action, kind)
                          for key, value in _flat(event.data, show_phone)
                          if key not in HIDDEN_KEYS)
    if event.note and detail:
        return t("{note} ({detail})", note=event.note, detail=detail)
    return event.note or detail


#: An event's data keys as `show` names them (unknown keys are shown as they are).
EVENT_KEYS = {
    "to": NP_("event", "to"), "told_resident": NP_("event", "told the resident"),
    "satisfaction": NP_("event", "satisfaction"),
    "eta": NP_("event", "expected handling time"),
    "from_department": NP_("event", "from department"),
    "link": NP_("event", "linked to"), "run": NP_("event", "checklist run"),
    "instead_of": NP_("event", "accepted for"), "duty": NP_("event", "duty"),
    "name": NP_("event", "name"), "room": NP_("event", "room"), "phone": NP_("event", "phone"),
    "closed_as": NP_("event", "closed as"), "materials": NP_("event", "materials"),
    # a clock-out: the rostered end, minutes left early, the handover written or why none
    "slot_end": NP_("event", "shift ends"), "left_early_minutes": NP_("event", "left early (min)"),
    "handover": NP_("event", "handover"), "no_handover_reason": NP_("event", "no handover because"),
    "set_aside": NP_("event", "step set aside"),  # a supervisor's settle
    # a ticket's urgency class changed: the class now and the one before
    "urgency": NP_("event", "urgency now"), "from": NP_("event", "was"),
    "callback_by": NP_("event", "callback due"),  # a callback's time put right
    "files": NP_("event", "files changed"),  # a resident's number erased (dutyctl.erasure)
}
#: An event's data a person need not read: the assignments a dispatch was made knowing (ids;
#: `show` says it when two desks' dispatches conflict). json and yaml keep it.
HIDDEN_KEYS = (ASSIGNED_AFTER,)
#: A repair's dispatch names the technician it went to (a transfer's `to` is a department).
DISPATCHED_TO = NP_("event", "dispatched to")


def _event_detail(key: str, value, names, tz: tzinfo, action: str | None = None,
                  kind: str | None = None) -> str:
    if names is None:
        return f"{key}={value}"
    config = names.config
    if action == RECLASSIFY and key in ("urgency", "from") and kind is not None:
        value = names.urgency(kind, value)  # a class by its name: 急修, not its id
    elif key in ("to", "from_department") and value in config.departments:
        value = config.departments[value].name
    elif key in ("to", "instead_of"):
        value = names.short_person(value)
    elif key in ("eta", "slot_end", "callback_by") and timeutil.from_iso(value):
        value = local_time(timeutil.from_iso(value), tz)
    elif key == "room" and isinstance(value, str):
        value = names.room(value)
    elif key in ("link", "run", "duty", "handover", "set_aside") and isinstance(value, str):
        value = ids.short(value)
    elif key == "closed_as" and isinstance(value, str):
        value = closed_as_word(value)
    if key == "to" and action == DISPATCH:
        label = pgettext(*DISPATCHED_TO)
    else:
        label = pgettext(*EVENT_KEYS[key]) if key in EVENT_KEYS else key
    return t("{label}: {value}", label=label, value=value)
