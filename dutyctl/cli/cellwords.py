"""A listing's id cells as the words its table shows, for the Excel sheet (`-f xlsx`) and a CSV
not in English: the one place a cell turns from an id (`repair`, `dispatched`, `liuyang`,
`overdue`) into words (报修, 已派工, 刘洋, 已超时), by column key with the row as context. It reuses the
functions the table formats use (dutyctl.words, records.kind_word, the deadline labels,
Names) and lives in the CLI layer because those span the records and areas layers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Sequence

from dutyctl.patterns import lazy


#: A column whose words another column of the same sheet gives is left out of the sheet
#: (sheet_columns): a staff id beside the person's name (`who`, `attendance`, `roster stats`),
#: a shift id beside the shift's name, a rule's key beside its label (`roster explain`), a
#: readiness item's or a recurring job's id beside its name (`checklist problems`, `repair
#: schedule`). A Chinese reader never needs the English id; the name column tells two 张伟
#: apart (张伟（zhangwei）, Names.person) and the CSV keeps the ids.
NAMED_BESIDE = {"staff": "name", "shift": "shift_name", "rule": "rule_name", "item": "name",
                "job": "name"}


def sheet_columns(columns: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A listing's columns as its sheet has them: those NAMED_BESIDE another one left out."""
    keys = {key for key, _ in columns}
    return [(key, title) for key, title in columns if NAMED_BESIDE.get(key) not in keys]


def _person(value, row, names):
    return names.person(value) if names is not None and isinstance(value, str) else value


def _people(value, row, names):
    if names is None or not isinstance(value, (list, tuple)):
        return value
    return names.people(value)


def _departments(value, row, names):
    if names is None or not isinstance(value, (list, tuple)):
        return value
    return [names.department(department) for department in value]


def _category(value, row, names):
    from dutyctl.kinds.entry import KIND as ENTRY_KIND
    from dutyctl.words import entry_word

    kind = row.get("kind")
    if kind == ENTRY_KIND:  # an entry's type stands in the category column (views.record_row)
        return entry_word(value)
    return names.category(kind, value) if names is not None and kind else value


def _staff_name(value, row, names):
    """A person's name beside their (left out) staff id: as every screen names them, with the
    id only when another member bears the same name."""
    staff = row.get("staff")
    return names.person(staff) if names is not None and isinstance(staff, str) else value


def _verdict(value, row, names):
    """An attendance verdict, or a candidate's in `roster explain` (its rows name a rule)."""
    if "rule_name" in row:
        from dutyctl.messages import pgettext
        from dutyctl.roster.explain import VERDICT_WORDS

        return pgettext(*VERDICT_WORDS[value]) if value in VERDICT_WORDS else value
    from dutyctl.words import attendance_word

    return attendance_word(value)


def _kind(value, row, names):
    """A record's kind; an item of `handover show` (its rows name the handover) as its table
    says it: a call's callback, a log entry's type, a note."""
    if "handover" in row:
        from dutyctl.desk.handover import item_word

        return item_word(value, row.get("type"))
    from dutyctl.records import kind_word

    return kind_word(value)


def _state(value, row, names):
    """A deadline's state (`overdue`): `callback list`'s, an item's of `handover show` past its
    deadline when handed over."""
    from dutyctl.words import deadline_state_word

    return deadline_state_word(value)


def _group(value, row, names):
    """Which part of a handover an item of `handover show` is in (its screen's headings)."""
    if "handover" in row:
        from dutyctl.desk.handover import group_word

        return group_word(value)
    return value


def _urgency(value, row, names):
    kind = row.get("kind")
    return names.urgency(kind, value) if names is not None and kind else value


def _event(value, row, names):
    """A notify event (the outbox's `event`) as the outbox's table says it (已超时)."""
    from dutyctl.notify.settings import event_word

    return event_word(value)


def _cell_words() -> dict:
    """Column key → (value, row, names) → the word the same command's table shows: the
    functions the table formats use (dutyctl.words, records.kind_word, Names)."""
    from dutyctl.records import kind_word
    from dutyctl.tickets.deadlines import label
    from dutyctl.words import action_word, attendance_word, deadline_state_word, status_word

    return {
        "kind": _kind,
        "source": lambda value, row, names: kind_word(value),  # a resident known from a record
        "status": lambda value, row, names: status_word(value, row.get("kind")),
        "action": lambda value, row, names: action_word(value),
        "verdict": _verdict,
        "result": lambda value, row, names: attendance_word(value),
        "due.state": lambda value, row, names: deadline_state_word(value),
        "state": _state, "group": _group, "event": _event,
        "due.deadline": lambda value, row, names: label(value),
        "category": _category, "urgency": _urgency,
        "by": _person, "assigned": _person, "chosen": _person, "staff": _person,
        "recorded_by": _person, "from": _person,
        "to": _people, "accepted": _people, "waiting": _people,
        "where": lambda value, row, names: names.room(value) if names is not None else value,
        "transferred_to": lambda value, row, names: (names.department(value)
                                                     if names is not None else value),
        "notify": _departments,  # emergency open: the departments its procedure names
        "role": lambda value, row, names: names.role(value) if names is not None else value,
        "shift": lambda value, row, names: names.shift(value) if names is not None else value,
    }


def cell_words(names=None):
    """How a sheet shows a row's id cells, by column key with the row as context: a kind,
    status (in its kind's words), action, attendance result, deadline step and state as the
    table says them; with `names` (dutyctl.names.Names) a person by name, a category, urgency
    class, role or shift by its label and a place (`where`: 3号楼 for a stored `3`) as `list`
    shows it; a staff member's `name` beside their left-out id (sheet_columns) as
    Names.person says it. Keys it does not know, and values that are not ids (a time in
    `who`'s `from`), stay as they are, and so does a column another of the sheet's `columns`
    names already (NAMED_BESIDE: a caller that kept both). CSV and json keep every id."""
    words = _cell_words()

    def shown(key: str, value: Any, row: dict, columns: Sequence[str]) -> Any:
        if key == "name":  # a resident's name, or a person's beside their id: as it is
            return value if "staff" not in row or "staff" in columns else \
                _staff_name(value, row, names)
        word = words.get(key)
        if word is None or not value or isinstance(value, (bool, int, float, date, dict)):
            return value
        if NAMED_BESIDE.get(key) in columns:
            return value
        return word(value, row, names)

    return shown


#: The columns a CSV not in English says in words (csv_words): the program's own vocabulary
#: (a record's kind, its status, an action, an attendance result or a candidate's verdict, a
#: deadline's step and state, a handover item's group, a notify event) and the site's labels
#: of its categories, urgency classes, roles and departments. The ids of people, shifts,
#: records and places stay ids (员工编号, 班次编号: what a supervisor's sheet looks them up
#: by), as json keeps every id for scripts.
CSV_WORDS = frozenset({"kind", "source", "status", "action", "verdict", "result", "due.state",
                       "state", "group", "event", "due.deadline", "category", "urgency",
                       "role", "transferred_to", "notify"})


#: The columns a CSV names a person in as the one who did it (登记人, 经办人): by name, as the
#: sheet and the table do (a pinyin id, chenjing, is no word for a clerk opening it in
#: Excel); the maintenance schedule, which files the recurring repairs
#: (kinds.repair.SCHEDULE_FILER), is no one's and is said in words.
FILER_KEYS = frozenset({"by", "recorded_by", "assigned"})
#: ... and the other columns that name people beside no name column of their own (a
#: handover's 交班人, 接班人, 已确认, 未确认; a candidate roster explain chose)
PEOPLE_KEYS = FILER_KEYS | {"from", "to", "accepted", "waiting", "chosen"}


_ISO_MOMENT = lazy(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[+-]\d\d:\d\d|Z)")


def _iso_moment(value: Any) -> datetime | None:
    """A cell holding a moment as ISO 8601 with its offset (how the rows carry times)."""
    if not isinstance(value, str) or not _ISO_MOMENT.fullmatch(value):
        return None
    from dutyctl.timeutil import from_iso

    return from_iso(value)


def csv_words(names=None):
    """How a CSV on a desk not in English says its cells (output.to_csv): the CSV_WORDS
    columns as the Excel sheet says them (cell_words: 来电, 已派工, 已超时), who filed or has
    a record by name (FILER_KEYS), a rule's key as
    the desk's rules file writes it (rules.rule_file_key: 最少休息小时 for min_rest_hours, 岗位
    for roles, 请假 for leave, 入职日期/离职日期 for not employed: where a supervisor changes
    it; nothing where no key of the file sets it: overlapping shifts, a place left open;
    a clerk's spreadsheet never shows an English id, json keeps it), the rest as stored."""
    from dutyctl.kinds.repair import SCHEDULE_FILER
    from dutyctl.messages import t

    shown = cell_words(names)

    def said(key: str, value: Any, row: dict, columns: Sequence[str]) -> Any:
        if key == "rule" and "rule_name" in row and isinstance(value, str) and value:
            from dutyctl.roster.rules import rule_file_key  # `roster explain`'s candidates

            return rule_file_key(value)
        if key in FILER_KEYS and value == SCHEDULE_FILER:  # no one person's id: the word
            return t("maintenance schedule")
        moment = value if isinstance(value, datetime) else _iso_moment(value)
        if moment is not None:  # Excel reads 2026-12-04 09:10 as a time, ISO as text
            zone = names.config.tz if names is not None else moment.tzinfo
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        if key == "room" and names is not None and value:  # 5号楼, as screens say it
            return names.room(value)
        return shown(key, value, row, columns) if key in CSV_WORDS or (
            key in PEOPLE_KEYS and names is not None) else value

    return said
