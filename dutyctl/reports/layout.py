"""The report document laid out as titled sections for text, markdown and HTML.

Ids in the document become the site's display names here (categories, urgency classes,
emergency types, checklist items, staff), durations become '2h05m', shares '87.5%'.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable

from dutyctl.messages import N_, gettext, t, tn, tp
from dutyctl.names import Names
from dutyctl.safetext import one_line  # the site's name in a title: one line
from dutyctl.store.ids import short_step
from dutyctl.kinds.call import CALL
from dutyctl.records import LIMIT_COMPLETE, LIMITS, kind_spec, kind_word, ticket_kinds
from dutyctl.words import action_word, status_word, translated
from dutyctl.kinds.complaint import ON_HOLD  # a repair's hold is the same status
from dutyctl.tickets.deadlines import (CALLBACK, DEADLINE_LABELS, label as deadline_label,
                                       late_span)
from dutyctl.reports.build import ticket_key, timing_key
from dutyctl.reports.period import DAILY, MONTHLY, WEEKLY
from dutyctl.reports.blocks import (PAGE_TEXT, Chart, Document, Facts, Note, Said, Section,
                                    Series, Table)

ALL_KINDS = "all"  # a row of figures over every kind (figures.timing, satisfaction)
#: At most this many overdue items in one list of a report read on a screen or a page (text,
#: markdown, html): the most urgent first (build.most_urgent_first), then one line counts the
#: rest by kind and gives the command that lists them all. json and the workbook keep all.
SHOWN_OVERDUE = 10
#: Deadline limits (records.LIMITS, as the deadlines call them) and the two timing measures.
STEP_WORDS = {**{limit: DEADLINE_LABELS[limit] for limit in LIMITS}, "resolve": N_("resolve")}


# -- formatting -------------------------------------------------------------------------------

def _kind(kind: str) -> str:
    return t("all") if kind == ALL_KINDS else kind_word(kind)


HOURS_SAID_MINUTES = 48 * 60  # a time limit up to this long in whole hours is said in hours


def duration(minutes: float | None, working_day_minutes: float | None = None) -> str:
    """A length in minutes as a cell; with the length of a working day (a limit in working
    days), in working days: 2个工作日3小时."""
    if minutes is None:
        return "-"
    from dutyctl.tickets.deadlines import span

    if working_day_minutes:  # working days are no length of time a sheet can count with
        return span(timedelta(minutes=minutes), timedelta(minutes=working_day_minutes))
    return Said(span(timedelta(minutes=minutes)), minutes, "minutes")


def _overdue_by(item: dict) -> str:
    """How late an overdue item is, as `Deadline.late_text` says it: never "0m" for an item
    past its due time while its clock stands still (after working time, on hold)."""
    minutes = item["overdue_minutes"] or 0
    working_day = item.get("working_day_minutes")
    if minutes >= 1:  # a length a sheet counts with, as every other one
        return duration(minutes, working_day)
    return late_span(timedelta(minutes=minutes),
                     timedelta(minutes=working_day) if working_day else None,
                     item.get("status") == ON_HOLD)


def _shown(items: list[dict], bounded: bool) -> list[dict]:
    return items[:SHOWN_OVERDUE] if bounded else items


def _rest(items: list[dict], bounded: bool, head: dict, kind: str | None = None) -> list:
    """The line under a list cut to SHOWN_OVERDUE: how many more of each kind, and the
    `list` command that shows every one (of `kind`; as the report saw them when it covers a
    day gone by)."""
    rest = items[SHOWN_OVERDUE:] if bounded else []
    if not rest:
        return []
    from dutyctl.commandwords import said, said_option

    counts: dict[str, int] = {}
    for item in rest:
        counts[item.get("kind") or kind] = counts.get(item.get("kind") or kind, 0) + 1
    command = [said("list"), said_option("--overdue")]
    if kind is not None:
        command += [said_option("--kind"), kind_word(kind)]
    if head["complete"]:
        command += [said_option("--as-of"), f'"{head["as_of"][:10]} {head["as_of"][11:16]}"']
    command.append(said_option("--all"))
    return [Note(tn("{count} more not shown ({kinds}); to list them all: dutyctl {command}",
                    "{count} more not shown ({kinds}); to list them all: dutyctl {command}",
                    len(rest), kinds=t(", ").join(
                        t("{kind} {count}", kind=kind_word(of), count=count)
                        for of, count in counts.items()),
                    command=" ".join(command)))]


def share(value: float | None) -> str:
    return "-" if value is None else Said(f"{value * 100:.1f}%", value, "share")


MISS = "✗"  # beside a rate that misses its target: a cue that needs no colour


def against(value: float | None, meets: bool | None) -> str:
    """A share, marked when it misses its target (a sheet keeps the share: the table marks
    the cell)."""
    if meets is False and value is not None:
        return Said(f"{share(value)} {MISS}", value, "share")
    return f"{share(value)} {MISS}" if meets is False else share(value)


def target_text(target: float | None) -> str:
    return "-" if target is None else f"≥ {target * 100:g}%"


def with_target(value: float | None, judged: dict) -> str:
    """'66.7% ✗ (target ≥ 90%)': a headline rate with its target beside it."""
    return t("{value} (target {target})", value=against(value, judged["meets"]),
             target=target_text(judged["target"]))


def limit_text(limit: dict | None) -> str:
    """A class's time limit as configured: 15m, 2h, 24h, 3d, 3 working days. Up to two days
    in whole hours says hours, as the field's norms write a limit (急修 24小时内完成, 48小时内
    回复; `1d` and `24h` are one length to the configuration, which keeps no unit)."""
    if limit is None:
        return "-"
    if limit["working_days"] is not None:
        days = limit["working_days"]
        return tn("{count} working day", "{count} working days", int(days)) \
            if days == int(days) else t("{days} working days", days=f"{days:g}")
    minutes = limit["minutes"]
    if minutes is not None and minutes % 60 == 0 and 0 < minutes <= HOURS_SAID_MINUTES:
        return Said(t("{hours}h", hours=int(minutes // 60)), minutes, "minutes")
    return duration(minutes)


def moment(iso: str | None) -> str:
    """'2026-11-25T09:30:00+08:00' -> '11-25 09:30' (the site zone is in the subtitle); a
    sheet keeps the whole moment, as the wall clock of the site zone."""
    if not iso:
        return "-"
    from datetime import datetime

    return Said(f"{iso[5:10]} {iso[11:16]}",
                datetime.fromisoformat(iso).replace(tzinfo=None),
                "moment")


def day_text(iso: str) -> str:
    """'2026-11-25' -> '11月25日 周三' / 'Wed 11-25', as the roster screens say a day."""
    from dutyctl.output import day_label

    day = date.fromisoformat(iso)
    return Said(day_label(day), day, "day")


def number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):  # pragma: no cover - no figure is a yes/no
        return str(value)
    if isinstance(value, float):
        return Said(f"{value:g}", value)
    if isinstance(value, int):
        return Said(str(value), value)
    return str(value)


def hours(value: float | None) -> str:
    """Hours to one decimal, always (122.0 beside 133.8), as the figures are rounded."""
    from dutyctl.output import hours_text

    return "-" if value is None else Said(hours_text(value), value, "hours")


def statutory_hours(value: float | None) -> str:
    """Hours on statutory holidays as `hours` says them; unknown (a year from the rules only
    whose 中秋节 is three days) an empty cell, as `dutyctl attendance` leaves it, never 0."""
    return "" if value is None else hours(value)


def score(value: float | None) -> str:
    """An average score (1-5) to two decimals, always (4.40 beside 4.35)."""
    return "-" if value is None else Said(f"{value:.2f}", value, "score")


#: headline figures with a precision of their own (the others: counts, shares, durations)
#: (how the figure is said, its decimal places)
PRECISE = {"hours_worked": (hours, 1), "satisfaction_average": (score, 2)}


def change(value: Any) -> str:
    if value is None:
        return "-"
    return f"+{number(value)}" if value > 0 else number(value)


def table(columns: Iterable[str], rows: Iterable[Iterable[Any]], caption: str = "",
          numeric: Iterable[int] = (), marked: Iterable[tuple[int, int]] = (),
          links: Iterable[tuple[int, int, str]] = (), whole: Iterable[int] = (),
          free: Iterable[int] = ()) -> Table:
    """`whole`: the columns of rooms and places, never shortened on a page of text (where
    the technician is to go); `free`: the columns of a record's words, cut on a page and whole
    in a workbook (`blocks.paged`)."""
    return Table(tuple(columns), tuple(tuple(number(cell) if not isinstance(cell, str) else cell
                                             for cell in row) for row in rows),
                 caption, frozenset(numeric), frozenset(marked), tuple(links), frozenset(whole),
                 frozenset(free))


def facts(items: Iterable[tuple[str, Any]], alerts: Iterable[str] = ()) -> Facts:
    items = tuple((label, value if isinstance(value, str) else number(value))
                  for label, value in items)
    return Facts(items, frozenset(alerts))


def beside(block: Facts, changes: dict | None, keys: dict[str, str]) -> Facts:
    """The facts with each figure's change since the previous period beside it (the daily
    summary; `changes`: comparison rows by figure, `keys`: label -> figure)."""
    if not changes:
        return block
    from dutyctl.frozen import replace

    return replace(block, changes=tuple(
        (label, "=" if changes[key]["direction"] == "same" else compared(changes[key]),
         "" if changes[key]["no_data"] else changes[key]["verdict"])
        for label, key in keys.items() if key in changes))


# -- sections shared by daily and reviews -----------------------------------------------------

def _overdue_deadline(item: dict) -> str:
    return (f"{deadline_label(item['next_deadline'])} {moment(item['due'])}"
            if item.get("next_deadline") else f"{deadline_label(CALLBACK)} {moment(item['due'])}")


#: how many people the pointer to the absences names, those absent most first
ABSENT_NAMED = 5


def absences_pointer(items: list[dict], names: Names) -> Note:
    """Absences in "Needs attention": how many, and who, those absent most first; each one,
    with its shift and start, is listed once, in the attendance section's anomalies (a month
    of them would fill both sections)."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item["staff"]] = counts.get(item["staff"], 0) + 1
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], names.person(pair[0])))
    shown = t(", ").join(tn("{name} {count} time", "{name} {count} times", count,
                            name=names.person(staff)) for staff, count in ranked[:ABSENT_NAMED])
    rest = len(ranked) - ABSENT_NAMED
    if rest > 0:
        shown = tn("{people} and {count} more person", "{people} and {count} more people", rest,
                   people=shown)
    return Note(tn("{count} absence (rostered, never clocked in): {people}. Each one is listed "
                   "under Attendance, Anomalies.",
                   "{count} absences (rostered, never clocked in): {people}. Each one is listed "
                   "under Attendance, Anomalies.", len(items), people=shown), alert=True)


def _absent_table(items: list[dict], names: Names, count: int) -> Table:
    """The day's absences, each to follow up; one whose person recorded steps during the
    shift all the same says so (a technician who logged two arrivals forgot to clock in)."""
    noted = any(item.get("steps") for item in items)  # a column only when one has steps
    return table([t("staff"), t("shift"), t("role"), t("start"), *([t("note")] if noted else [])],
                 ((names.person(item["staff"]), names.shift(item["shift"]),
                   names.role(item["role"]), moment(item["start"]),
                   *([tn("never clocked in, yet recorded {count} step during the shift: a "
                         "forgotten clock-in?", "never clocked in, yet recorded {count} steps "
                         "during the shift: a forgotten clock-in?", item["steps"])
                      if item.get("steps") else ""] if noted else []))
                  for item in items),
                 tn("{count} absence (rostered, never clocked in)",
                    "{count} absences (rostered, never clocked in)", count))


def _emergency_table(items: list[dict], names: Names, count: int) -> Table:
    """Emergencies still in progress, for how long."""
    return table([t("id"), t("type"), t("where"), t("opened"), t("open for")],
                 ((item["id"], names.emergency(item["type"]), names.room(item["where"]),
                   moment(item["opened"]), duration(item["minutes_open"]))
                  for item in items),
                 tn("{count} emergency in progress", "{count} emergencies in progress", count),
                 whole=[2])


def _emergency_repair_table(items: list[dict], names: Names, count: int) -> Table:
    """Emergency repairs no one has reached yet, and by when they must be; in a report of a
    period gone by, when someone reached them since (a column only then)."""
    since = any(item.get("arrived_later") for item in items)
    return table([t("id"), t("room"), t("filed"), t("waiting"), t("with"), t("arrive by"),
                  *([t("arrived")] if since else [])],
                 ((item["id"], names.room(item["room"]), moment(item["filed"]),
                   duration(item["age_minutes"]),
                   names.person(item["assignee"]) if item["assignee"] else t("not dispatched"),
                   moment(item["arrive_due"]),
                   *([moment(item.get("arrived_later"))] if since else []))
                  for item in items),
                 tn("{count} emergency repair not yet on site",
                    "{count} emergency repairs not yet on site", count),
                 whole=[1])


def _overdue_table(items: list[dict], names: Names, count: int) -> Table:
    """Overdue items, the most urgent first (`count`: of a list cut short, all)."""
    return table([t("overdue by"), t("kind"), t("id"), t("room"), t("with"),
                  t("deadline"), t("content")],
                 ((_overdue_by(item), kind_word(item["kind"]), item["id"],
                   names.room(item["room"]), _holder(item, names),
                   _overdue_deadline(item),
                   item.get("content") or item.get("summary") or "") for item in items),
                 tn("{count} overdue item, the most urgent first",
                    "{count} overdue items, the most urgent first", count),
                 whole=[3], free=[6])


def _uncovered_table(items: list[dict], names: Names, count: int) -> Table:
    """Rostered shifts not fully covered, from the clock-ins."""
    return table([t("uncovered"), t("why"), t("staff"), t("shift"), t("role"), t("start")],
                 # whole minutes, as the attendance table counts them (left 55 min 57 s
                 # early: 55 there, so not 56 here)
                 ((duration(int(item["uncovered_minutes"])),
                   gettext(GAP_WORDS[item["reason"]]),
                   names.person(item["staff"]) if item["staff"] else "-",
                   names.shift(item["shift"]), names.role(item["role"]),
                   moment(item["start"])) for item in items),
                 tn("{count} rostered shift not fully covered (from clock-ins)",
                    "{count} rostered shifts not fully covered (from clock-ins)", count))


def _callout_open_table(items: list[dict], names: Names, count: int) -> Table:
    """Call-outs with no return recorded, and the command that ends one."""
    return table([t("staff"), t("called out"), t("open for"), t("to end it")],
                 ((names.person(item["staff"]), moment(item["start"]),
                   duration(item["minutes_open"]),
                   t('dutyctl callout end {staff} --at "TIME BACK"',
                     staff=names.typed(item["staff"]))) for item in items),
                 tn("{count} call-out not ended (no return recorded): its hours count "
                    "nothing until it is; if they are back, end it at the time they came "
                    "back",
                    "{count} call-outs not ended (no return recorded): their hours count "
                    "nothing until they are; if they are back, end each at the time they "
                    "came back", count))


def _no_clock_out_table(items: list[dict], names: Names, count: int) -> Table:
    """Rostered shifts over whose duty was never clocked out: covered, no hours paid (the
    clock-out that closes each under the table: `clock_out_lines`)."""
    return table([t("staff"), t("shift"), t("start"), t("end")],
                 ((names.person(item["staff"]), names.shift(item["shift"]),
                   moment(item["start"]), moment(item["end"])) for item in items),
                 tn("{count} shift never clocked out: its hours count nothing until the "
                    "clock-out is recorded at the time they left (the shift's end shown)",
                    "{count} shifts never clocked out: their hours count nothing until each "
                    "clock-out is recorded at the time they left (the shift's end shown)",
                    count))


def clock_out_lines(items: list[dict], names: Names) -> list:
    """Under the shifts never clocked out, the line that closes each, whole (a table cell
    would cut it at 100 columns): dated at the shift's end, to set to when they left;
    --no-handover, as a shift long over has its handover or never will (where one was
    written, the clock-out says the option was not needed, and goes on)."""
    return [Note(t('{staff}: dutyctl clock out --staff {typed} --at "{end}" --no-handover '
                   '--reason {reason}', staff=names.person(item["staff"]),
                   typed=names.typed(item["staff"]), end=item["end"][:16].replace("T", " "),
                   reason=t("recorded-late"))) for item in items]


def _unaccepted_table(items: list[dict], names: Names, count: int) -> Table:
    """Handovers someone has not accepted."""
    return table([t("id"), t("from"), t("not accepted by"), t("written"), t("waiting")],
                 ((item["id"], names.person(item["from"]), names.people(item["waiting"]),
                   moment(item["at"]), duration(item["waiting_minutes"]))
                  for item in items),
                 tn("{count} handover not accepted", "{count} handovers not accepted", count))


def _readiness_table(items: list[dict], names: Names, count: int) -> Table:
    """Readiness problems still open."""
    return table([t("id"), t("item"), t("note"), t("since"), t("found by")],
                 ((item["id"], names.checklist(item["item"], item["item_name"]),
                   item["note"], moment(item["since"]), names.person(item["by"]))
                  for item in items),
                 tn("{count} readiness problem open", "{count} readiness problems open", count),
                 free=[2])


def _dissatisfied_table(items: list[dict], names: Names, count: int) -> Table:
    """Return visits scored 1-3."""
    return table([t("score"), t("kind"), t("id"), t("room"), t("handled by"),
                  t("visited by"), t("visited"), t("note")],
                 ((item["score"], kind_word(item["kind"]), item["id"], names.room(item["room"]),
                   _holder(item, names), names.person(item["visited_by"]),
                   moment(item["visited"]), item["note"]) for item in items),
                 tn("{count} dissatisfied return visit (score 1-3)",
                    "{count} dissatisfied return visits (score 1-3)", count), numeric=[0],
                 whole=[3], free=[7])


def _clashes_table(items: list[dict], names: Names, count: int) -> Table:
    """Steps two desks recorded without syncing, and what each came after."""
    return table([t("kind"), t("id"), t("step"), t("by"), t("at"), t("step id"),
                  t("came after")],
                 ((kind_word(item["kind"]), item["id"], action_word(item["action"]),
                   names.person(item["by"]), moment(item["at"]), short_step(item["event"]),
                   t("{action} by {by} at {at}", action=action_word(item["other_action"]),
                     by=names.person(item["other_by"]), at=moment(item["other_at"]))
                   if item["other_action"] else "") for item in items),
                 tn("{count} step of two desks clashed: it counts for nothing until "
                    "settled",
                    "{count} steps of two desks clashed: they count for nothing until "
                    "settled", count))


#: each group of "Needs attention" (build.attention) -> its table
ATTENTION_TABLES = {
    "absent": _absent_table,
    "emergency": _emergency_table,
    "emergency_repair": _emergency_repair_table,
    "overdue": _overdue_table,
    "uncovered": _uncovered_table,
    "callout_open": _callout_open_table,
    "no_clock_out": _no_clock_out_table,
    "unaccepted": _unaccepted_table,
    "readiness": _readiness_table,
    "dissatisfied": _dissatisfied_table,
    "clashes": _clashes_table,
}


def _attention_table(group: str, items: list[dict], names: Names, review: bool,
                     total: int) -> Table | Note:
    """One group of "Needs attention" as a table, captioned with what it is and how many
    (`total`: of a list cut short, how many in all).
    A review's absences are a pointer to the attendance anomalies (a week or a month of them
    would fill both sections); the daily summary lists the day's, each one to follow up."""
    if group == "absent" and review:
        return absences_pointer(items, names)
    return ATTENTION_TABLES[group](items, names, total)


GAP_WORDS = {"absent": N_("absent"), "on-leave": N_("on leave"), "late": N_("late"),
             "early-leave": N_("left early"),
             "late-and-early-leave": N_("late, left early"), "unfilled": N_("unfilled"),
             "within-grace": N_("came or left within the grace"),
             "short": N_("left and came back")}


def _day_runs(days: list[str]) -> str:
    """ISO days as runs of consecutive days (output.day_runs)."""
    from dutyctl.output import day_runs

    return day_runs([date.fromisoformat(day) for day in days])


def _overdue_elsewhere(report: dict, listed: int) -> list:
    """The overdue emergency repairs not yet on site are listed once, with the emergency
    repairs: say they are overdue too, so the count agrees with `--fail-on overdue` (and the
    Overdue lines of the sections below)."""
    total = report["alerts"]["overdue"]
    elsewhere = total - listed
    if elsewhere <= 0:
        return []
    return [Note(tn("{count} emergency repair not yet on site (above) is overdue too: {total} "
                    "overdue in all, the count of the overdue alert.",
                    "{count} emergency repairs not yet on site (above) are overdue too: "
                    "{total} overdue in all, the count of the overdue alert.", elsewhere,
                    total=total), alert=True)]


def attention_section(report: dict, names: Names, bounded: bool = False) -> Section:
    """Everything to act on, most severe first; nothing but a sentence on a quiet day.
    `bounded`: the overdue items cut to SHOWN_OVERDUE, the rest counted."""
    review = report["report"]["type"] != DAILY
    blocks: list = []
    for entry in report["attention"]:
        overdue = entry["group"] == "overdue"
        if entry["items"]:
            shown = _shown(entry["items"], bounded and overdue)
            blocks.append(_attention_table(entry["group"], shown, names, review,
                                           len(entry["items"])))
        if overdue:
            blocks += _rest(entry["items"], bounded, report["report"])
            blocks += _overdue_elsewhere(report, len(entry["items"]))
        if entry["group"] == "no_clock_out":
            blocks += clock_out_lines(entry["items"], names)
        if entry["group"] == "clashes" and entry["items"]:
            blocks.append(Note(t("Check which step is right, then set the wrong one aside: "
                                 "dutyctl settle ID --event STEP-ID --reason TEXT (dutyctl "
                                 "check lists them too).")))
    unfilled = report["alerts"]["unfilled"]
    if unfilled:
        blocks.append(Note(tn("{count} roster slot has nobody on it.",
                              "{count} roster slots have nobody on them.", unfilled), alert=True))
    unreadable = report["report"].get("roster_unreadable")
    if unreadable:  # said first: every figure of the roster below is missing
        blocks.insert(0, Note(t("The roster rules could not be read ({reason}): absences and "
                                "coverage are not judged in this report.", reason=unreadable),
                              alert=True))
    elif not report["coverage"]["slots"]:
        blocks.append(Note(t("There is no roster for this period: absences and coverage "
                             "cannot be judged.")))
    elif report["coverage"].get("days_without_roster"):
        blocks += _without_roster(report["coverage"])
    if not report["report"]["recorded"]:
        # a roster, nothing recorded: every shift is an absence; say why it may be so first
        blocks.insert(0, Note(nothing_recorded(report["report"]["type"]),
                              alert=bool(report["coverage"]["slots"])))
    quiet = all(isinstance(block, Note) and not block.alert for block in blocks)
    if quiet and report["report"]["recorded"]:  # nothing recorded says so itself
        blocks.insert(0, Note(t("Nothing needs attention.")))
    return Section(t("Needs attention"), tuple(blocks))


def _without_roster(coverage: dict) -> list:
    """The days no roster covers: those something was recorded on, with the advice to generate
    it; those nothing was (before the desk used dutyctl) apart, without it: a roster made for
    them would count every shift absent."""
    idle = set(coverage.get("days_without_roster_idle") or ())
    used = [day for day in coverage["days_without_roster"] if day not in idle]
    notes = []
    if used:
        notes.append(Note(t("No roster covers {days}: absences and coverage are not judged "
                            "on those days (generate the roster, then run the report again).",
                            days=_day_runs(used)), alert=True))
    if idle:
        notes.append(Note(t("Nothing was recorded and no roster covers {days}: absences and "
                            "coverage are not judged on those days.",
                            days=_day_runs(sorted(idle)))))
    return notes


def nothing_recorded(kind: str) -> str:
    """The line a period with no record at all starts with (a new site, a desk not synced)."""
    if kind == DAILY:
        return t("Nothing was recorded on this day: if the desk is in use, check that this "
                 "workspace is synced.")
    if kind == WEEKLY:
        return t("Nothing was recorded this week: if the desk is in use, check that this "
                 "workspace is synced.")
    return t("Nothing was recorded this month: if the desk is in use, check that this "
             "workspace is synced.")


def calls_section(calls: dict, names: Names, head: dict, changes: dict | None = None,
                  bounded: bool = False) -> Section:
    """`head`: the report's head (a rest line names its moment when `bounded` cuts a list)."""
    callbacks = calls["callbacks"]
    blocks = [beside(facts([(t("Calls"), calls["total"]),
                     (t("Callbacks promised"), callbacks["promised"]),
                     (t("Callbacks kept on time"), callbacks["kept"]),
                     (t("Callbacks made late"), callbacks["late"]),
                     (t("Callbacks pending"), callbacks["pending"]),
                     (t("Callbacks overdue"), callbacks["overdue"]),
                     (t("Callback attempts (resident not reached)"), callbacks["attempts"])],
                    alerts=[t("Callbacks overdue")] if callbacks["overdue"] else []),
                     changes, {t("Calls"): "calls", t("Callbacks promised"): "callbacks_promised",
                               t("Callbacks overdue"): "callbacks_overdue"}),
              table([t("category"), t("calls")],
                    ((names.category(CALL.name, key), count)
                     for key, count in calls["by_category"].items()),
                    t("Calls by category"), numeric=[1])]
    if callbacks["overdue_items"]:
        blocks.append(table([t("id"), t("room"), t("due"), t("attempts"), t("summary")],
                            ((item["id"], names.room(item["room"]), moment(item["due"]),
                              item["attempts"],
                              item["summary"]) for item in _shown(callbacks["overdue_items"],
                                                                  bounded)),
                            t("Callbacks overdue"), numeric=[3], whole=[1], free=[4]))
        blocks += _rest(callbacks["overdue_items"], bounded, head, CALL.name)
    return Section(t("Calls and callbacks"), tuple(blocks))


def _holder(item: dict, names: Names) -> str:
    """Who an item is with: the department a complaint was transferred to (工程部), as `list`
    says it, else the person; '-' for nobody."""
    return names.holding(item["assignee"], item.get("transferred_to")) or "-"


def _open_rows(items: list[dict], kind: str, names: Names) -> list[tuple]:
    return [(item["id"], duration(item["age_minutes"]), names.room(item["room"]),
             names.category(kind, item["category"]), names.urgency(kind, item["urgency"]),
             status_word(item["status"], kind), _holder(item, names),
             f"{deadline_label(item['next_deadline'])} {moment(item['due'])}"
             if item["next_deadline"] else "-",
             item["content"]) for item in items]


#: the time filed is in the JSON; the age says it and keeps a report within 100 columns
OPEN_COLUMNS = (N_("id"), N_("age"), N_("room"), N_("category"), N_("urgency"),
                N_("status"), N_("with"), N_("next deadline"), N_("content"))
OPEN_ROOM, OPEN_CONTENT = 2, 8  # the room and content columns of OPEN_COLUMNS


def ticket_sections(report: dict, names: Names, changes: dict | None = None,
                    bounded: bool = False) -> list[Section]:
    """A section per ticket kind (KindSpec.ticket), headed by its title."""
    return [ticket_section(kind, report[kind_spec(kind).figures.key], names, report["report"],
                           changes, bounded)
            for kind in ticket_kinds()]


#: a fact's label for a ticket kind's completed work, by the status its completing step leads
#: to: a repair's is 已完工, not a complaint's 已办结
COMPLETED_FACTS = {"resolved": N_("Resolved"), "done": N_("Done")}


def completed_word(kind: str, column: bool = False) -> str:
    """The label of a ticket kind's `resolved` figure: its completing step's status, as a
    fact's label or (`column`) a table's column."""
    spec = kind_spec(kind)
    action = next(iter(spec.meets.get(LIMIT_COMPLETE, ())), None)
    target = spec.transitions.get(action, ((), None))[1] if action else None
    target = target if isinstance(target, str) else "resolved"
    if column:
        return status_word(target, kind)
    return gettext(COMPLETED_FACTS.get(target, COMPLETED_FACTS["resolved"]))


def ticket_section(kind: str, tickets: dict, names: Names, head: dict,
                   changes: dict | None = None, bounded: bool = False) -> Section:
    """`head`: the report's head (a rest line names its moment when `bounded` cuts a list)."""
    resolved = completed_word(kind)
    blocks = [beside(facts([(t("Filed"), tickets["filed"]), (resolved, tickets["resolved"]),
                     (t("Still open"), tickets["open"]), (t("Overdue"), tickets["overdue"]),
                     (t("Waiting for the return visit"), tickets["awaiting_visit"])],
                    alerts=[t("Overdue")] if tickets["overdue"] else []),
                     changes, {t("Filed"): ticket_key(kind, "filed"),
                               resolved: ticket_key(kind, "resolved"),
                               t("Still open"): ticket_key(kind, "open"),
                               t("Overdue"): ticket_key(kind, "overdue")})]
    if tickets["by_category"]:
        blocks.append(table([t("category"), t("filed")],
                            ((names.category(kind, key), count)
                             for key, count in tickets["by_category"].items()),
                            t("Filed by category"), numeric=[1]))
    columns = [gettext(column) for column in OPEN_COLUMNS]
    if tickets["oldest_open"]:
        blocks.append(table(columns, _open_rows(tickets["oldest_open"], kind, names),
                            t("Oldest open"), whole=[OPEN_ROOM], free=[OPEN_CONTENT]))
    if tickets["overdue_items"]:
        blocks.append(table(columns, _open_rows(_shown(tickets["overdue_items"], bounded),
                                                kind, names), t("Overdue"), whole=[OPEN_ROOM],
                            free=[OPEN_CONTENT]))
        blocks += _rest(tickets["overdue_items"], bounded, head, kind)
    return Section(translated(kind_spec(kind).title), tuple(blocks))


def compliance_section(compliance: dict, names: Names, changes: dict | None = None,
                       bounded: bool = True) -> Section:
    """Kept rates against their targets, each class with its configured time limit."""
    rows = compliance["by_class"]
    overall = compliance["overall"]
    blocks = [beside(facts([(t("Deadlines kept"), with_target(overall["rate"], overall)),
                     (t("On time"), overall["on_time"]), (tp("deadline", "Late"), overall["late"]),
                     (t("Pending"), overall["pending"])]
                    + ([(t("Not computable"), overall["unknown"])] if overall["unknown"] else []),
                    alerts=[t("Deadlines kept")] if overall["meets"] is False else []),
                     changes, {t("Deadlines kept"): "compliance_rate"})]
    if rows:
        judged = [row for row in rows if row["rate"] is not None]
        if judged:
            blocks.append(Chart(
                t("Deadlines kept per urgency class, against the target"),
                tuple(t("{kind} {urgency} {step}", kind=_kind(row["kind"]),
                        urgency=names.urgency(row["kind"], row["urgency"]),
                        step=gettext(STEP_WORDS[row["limit"]])) for row in judged),
                (Series(t("kept"), tuple(round(row["rate"] * 100, 1) for row in judged),
                        "good"),),
                horizontal=True, unit="%",
                targets=tuple(round(row["target"] * 100, 1) for row in judged)))
        # one target for every class: "Deadlines kept" above states it, no column repeats it
        one_target = len({row["target"] for row in rows}) == 1
        blocks.append(table([t("kind"), t("urgency"), t("step and time limit"), t("on time"),
                             tp("deadline", "late"), t("pending"), t("kept")]
                            + ([] if one_target else [t("target")]),
                            ((_kind(row["kind"]),
                              names.urgency(row["kind"], row["urgency"]),
                              t("{step} within {limit}", step=gettext(STEP_WORDS[row["limit"]]),
                                limit=limit_text(row["time_limit"])),
                              row["on_time"], row["late"], row["pending"],
                              against(row["rate"], row["meets"]),
                              *([] if one_target else [target_text(row["target"])]))
                             for row in rows), numeric=[3, 4, 5, 6, 7],
                            marked=[(index, 6) for index, row in enumerate(rows)
                                    if row["meets"] is False]))
    blocks += _met_late_table(compliance.get("met_late") or [], names, bounded)
    return Section(t("Deadline compliance"), tuple(blocks))


def _met_late_table(items: list[dict], names: Names, bounded: bool = True) -> list:
    """The tickets whose deadline was met late in the period, the latest first (on a page at
    most SHOWN_OVERDUE, the workbook and the json list every one): which job the late count
    stands for, how late counted as its limit counts (working days: 4个工作日3小时)."""
    if not items:
        return []
    shown = _shown(items, bounded)
    blocks: list = [table([t("id"), t("kind"), t("room"), t("step"), t("due"), t("met"),
                           t("late by"), t("with")],
                          ((item["id"], _kind(item["kind"]), names.room(item["room"]),
                            gettext(STEP_WORDS[item["limit"]]), moment(item["due"]),
                            moment(item["met"]),
                            duration(item["late_minutes"], item.get("working_day_minutes")),
                            _holder(item, names)) for item in shown),
                          tn("{count} deadline met late, the latest first",
                             "{count} deadlines met late, the latest first", len(items)),
                          whole=[2])]
    if len(items) > len(shown):
        blocks.append(Note(tn("{count} more met late: the workbook (xlsx) and the json "
                              "list every one",
                              "{count} more met late: the workbook (xlsx) and the json "
                              "list every one", len(items) - len(shown))))
    return blocks


def emergencies_section(emergencies: dict, names: Names,
                        changes: dict | None = None) -> Section:
    blocks = [beside(facts([(t("Opened"), emergencies["opened"]),
                     (t("In progress"), emergencies["in_progress"]),
                     (t("Closed"), emergencies["closed"])],
                    alerts=[t("In progress")] if emergencies["in_progress"] else []),
                     changes, {t("Opened"): "emergencies",
                               t("In progress"): "emergencies_in_progress"})]
    if emergencies["items"]:
        # the calls about each: a column only when some were linked (the words keep room)
        calls = any(item.get("calls") for item in emergencies["items"])
        blocks.append(table([t("id"), t("type"), t("where"), t("opened"), t("closed"),
                             t("steps logged"), *([t("calls")] if calls else []), t("open for"),
                             t("what happened")],
                            ((item["id"], names.emergency(item["type"]), names.room(item["where"]),
                              moment(item["opened"]), moment(item["closed"]),
                              item["steps_logged"], *([item.get("calls", 0)] if calls else []),
                              duration(item["minutes_open"]), _what_happened(item))
                             for item in emergencies["items"]),
                            numeric=[5, 6] if calls else [5], whole=[2]))
    return Section(t("Emergencies"), tuple(blocks))


def _what_happened(item: dict) -> str:
    """An emergency's content, then how it ended once closed: what a supervisor reads first
    (the table said its type, place and times only)."""
    from dutyctl.textwidth import shorten

    # each part cut as a page cuts a record's words, in a workbook too: the two together
    content, outcome = (shorten(item.get(key) or "", PAGE_TEXT) for key in ("content", "outcome"))
    if not outcome:
        return content
    return t("{content} → {outcome}", content=content, outcome=outcome) if content else outcome


def readiness_section(readiness: dict, names: Names, changes: dict | None = None) -> Section:
    blocks = [beside(facts([(t("Checklist runs"), readiness["checklist_runs"]),
                     (t("Runs with problems"), readiness["runs_with_problems"]),
                     (t("Problems found"), readiness["problems_found"]),
                     (t("Problems fixed"), readiness["problems_fixed"]),
                     (t("Problems still open"), len(readiness["open"]))],
                    alerts=[t("Problems still open")] if readiness["open"] else []),
                     changes, {t("Problems still open"): "readiness_open"})]
    if readiness["open"]:
        blocks.append(table([t("id"), t("item"), t("note"), t("since"), t("found by"),
                             t("rechecks")],
                            ((item["id"], names.checklist(item["item"], item["item_name"]),
                              item["note"], moment(item["since"]), names.person(item["by"]),
                              item["rechecks"]) for item in readiness["open"]), numeric=[5],
                            free=[2]))
    return Section(t("Readiness (checklist)"), tuple(blocks))


ANOMALY_LABELS = {"late": N_("late"), "absent": N_("absent"), "early-leave": N_("left early"),
                  "unrostered": N_("not rostered"), "no-clock-out": N_("no clock-out")}


def worked(row: dict) -> str:
    """Hours worked; a shift still running counts up to the report's moment, marked so."""
    if row.get("hours_on_duty"):
        return t("{hours} on duty", hours=hours(row["hours_worked"]))
    return hours(row["hours_worked"])


def _on_duty(attendance: dict, report_as_of: str | None) -> object:
    """Still on duty: how many, and their hours so far; a shift of the period still under way
    after the period's end (the night of its last day) says the moment its hours run to."""
    from dutyctl.output import day_label

    totals = attendance["totals"]
    if not totals["hours_on_duty"]:
        return totals["on_duty"]
    seen = attendance.get("as_of")
    if seen is None or report_as_of is None or seen == report_as_of:
        return t("{count} ({hours} h so far)", count=totals["on_duty"],
                 hours=hours(totals["hours_on_duty"]))
    return t("{count} ({hours} h so far, at {moment})", count=totals["on_duty"],
             hours=hours(totals["hours_on_duty"]),
             moment=f"{day_label(date.fromisoformat(seen[:10]))} {seen[11:16]}")


def attendance_section(attendance: dict, names: Names, with_people: bool,
                       changes: dict | None = None, unreadable: str | None = None,
                       report_as_of: str | None = None) -> Section:
    """`unreadable`: why the roster could not be read, the duties compared with nothing;
    `report_as_of`: the report's moment (its shifts may be seen later, until they are over)."""
    totals = attendance["totals"]
    blocks = [*([Note(t("Not compared with the roster, as its rules could not be read: "
                        "rostered shifts, lateness and absences are unknown, and every duty is "
                        "counted as not rostered."), alert=True)] if unreadable else []),
              beside(facts([(t("Rostered shifts"), totals["rostered"]),
                     (t("Attended"), totals["attended"]),
                     # a sheet keeps the count (a number, as the column's others)
                     (t("Late"), Said(t("{count} ({duration})", count=totals["late"],
                                        duration=duration(totals["late_minutes"])),
                                      totals["late"])
                      if totals["late"] else 0),
                     (t("Absent"), totals["absent"]),
                     # shifts not attended on leave the rules list: the rostered add up
                     *([(t("On leave"), totals["on_leave"])] if totals.get("on_leave") else []),
                     (t("Left early"), totals["early_leaves"]),
                     (t("Not rostered"), totals["unrostered"]),
                     (t("Still on duty"), _on_duty(attendance, report_as_of)),
                     # a shift over, its session still open: forgot to clock out (no hours)
                     *([(t("No clock-out after the shift"), totals["not_clocked_out"])]
                       if totals.get("not_clocked_out") else []),
                     # each a number of its own (a sheet sums them; "18.7 / 1263.0 h" was text)
                     (t("Hours worked"), hours(totals["hours_worked"])),
                     (t("Hours rostered"), hours(totals["hours_rostered"])),
                     # a period with a statutory day: the hours paid 300% (empty: unknown)
                     *([(t("Statutory holiday hours"),
                         statutory_hours(totals["statutory_holiday_hours"]))]
                       if "statutory_holiday_hours" in totals else []),
                     # the on-call staff called in from home (备班出勤): said when it happened
                     *([(t("Call-outs from on call"),
                         tn("{count} call-out, {hours} h", "{count} call-outs, {hours} h",
                            totals["call_outs"], hours=hours(totals["hours_call_out"])))]
                       if totals.get("call_outs") else []),
                     # one never ended (no return recorded): its hours are missing
                     *([(t("Call-outs not ended"), totals["call_outs_open"])]
                       if totals.get("call_outs_open") else [])],
                    alerts=[*([t("Absent")] if totals["absent"] else []),
                            *([t("Call-outs not ended")]
                              if totals.get("call_outs_open") else [])]),
                     changes, {t("Late"): "late_arrivals", t("Absent"): "absences",
                               t("Left early"): "early_leaves",
                               t("Hours worked"): "hours_worked"})]
    if attendance["anomalies"]:
        # how late, how early, or how long a duty nobody rostered lasted: a length each
        blocks.append(table([t("staff"), t("anomaly"), t("shift"), t("role"), t("start"),
                             t("how long")],
                            ((names.person(item["staff"]), gettext(ANOMALY_LABELS[item["anomaly"]]),
                              names.shift(item["shift"]), names.role(item["role"]),
                              moment(item["start"]),
                              duration(item["minutes"])) for item in attendance["anomalies"]),
                            t("Anomalies"), numeric=[5]))
    if with_people and attendance["people"]:
        called = any(p.get("call_outs") for p in attendance["people"])
        # shifts not attended on leave the rules list: a column only when someone had one
        leave = any(p.get("on_leave") for p in attendance["people"])
        heads = [t("staff"), t("rostered"), t("attended"), t("late"), t("late minutes"),
                 t("left early"), t("absent"), *([t("on leave")] if leave else []),
                 t("not rostered"), t("hours worked"), t("hours rostered"),
                 *([t("call-outs"), t("call-out hours")] if called else [])]
        blocks.append(table(heads,
                            ((names.person(p["staff"]), p["rostered"], p["attended"], p["late"],
                              p["late_minutes"], p["early_leaves"], p["absent"],
                              *([p["on_leave"]] if leave else []), p["unrostered"],
                              worked(p), hours(p["hours_rostered"]),
                              *([p["call_outs"], hours(p["hours_call_out"])] if called else []))
                             for p in attendance["people"]),
                            t("Per person"), numeric=range(1, len(heads))))
        # a table of its own (the one per person is as wide as a page): who worked on a
        # statutory day, or on a day not known to be one or not (empty)
        holiday = [p for p in attendance["people"]
                   if p.get("statutory_holiday_hours", 0.0) != 0.0]
        if holiday:
            blocks.append(table([t("staff"), t("statutory holiday h")],
                                ((names.person(p["staff"]),
                                  statutory_hours(p["statutory_holiday_hours"]))
                                 for p in holiday),
                                t("Statutory holiday hours"), numeric=[1]))
    return Section(t("Attendance"), tuple(blocks))


def duty_log_section(log: dict, names: Names) -> Section:
    """The duty log (值班记录): counts per type, then (a day's) every entry."""
    from dutyctl.words import entry_word

    if not log["entries"]:
        return Section(t("Duty log"), (Note(t("No duty log entry.")),))
    counts = facts([(entry_word(entry_type), count) for entry_type, count
                    in log["by_type"].items()])
    if "items" not in log:  # a review: the counts
        return Section(t("Duty log"), (counts,))
    entries = table([t("time"), t("type"), t("by"), t("where"), t("content")],
                    ((moment(item["at"]), entry_word(item["type"]), names.person(item["by"]),
                      names.room(item["where"]) or "", item["content"])
                     for item in log["items"]), whole=[3], free=[4])
    return Section(t("Duty log"), (counts, entries))


def handovers_section(handovers: dict, names: Names, changes: dict | None = None) -> Section:
    counted = facts([(t("Written"), handovers["written"]),
                     (t("Accepted"), handovers["accepted"]),
                     (t("Not accepted"), len(handovers["unaccepted"]))],
                    alerts=[t("Not accepted")] if handovers["unaccepted"] else [])
    blocks = [beside(counted, changes, {t("Not accepted"): "handovers_unaccepted"})]
    if handovers["unaccepted"]:
        blocks.append(table([t("id"), t("from"), t("to"), t("not accepted by"), t("written"),
                             t("items"), t("waiting")],
                            ((item["id"], names.person(item["from"]), names.people(item["to"]),
                              names.people(item["waiting"]), moment(item["at"]), item["items"],
                              duration(item["waiting_minutes"]))
                             for item in handovers["unaccepted"]), numeric=[5]))
    return Section(t("Handovers"), tuple(blocks))


CLASH_FIELDS = {"name": N_("name"), "room": N_("room"), "phone": N_("phone")}


def residents_section(clashes: list[dict], names: Names) -> tuple[Section, ...]:
    """Residents two desks left differing before they synced (a review; none: no section):
    what differs, the value used meanwhile, the other desk's, and the step that settles each."""
    if not clashes:
        return ()
    from dutyctl.commandwords import said, said_option
    from dutyctl.store.ids import short, short_step

    # the commands in the screen's words, as check's clash lines name them
    edit, name_option = said("resident", "edit"), said_option("--name", "resident edit")
    event_option, reason_option = said_option("--event"), said_option("--reason")
    rows, settle = [], []
    for item in clashes:
        twice = item["type"] == "filed_twice"
        rows.append((names.room(item["room"]) if item["room"] else "-",
                     names.line(item["name"] or "-"),
                     item["phone"] or "-",
                     t("registered twice") if twice else gettext(CLASH_FIELDS[item["field"]]),
                     names.line(item["value"]), names.line(item["other_value"]),
                     names.person(item["other_by"]),
                     moment(item["other_at"])))
        where = " ".join(filter(None, (names.room_line(item["room"]) if item["room"]
                                       else "", names.line(item["name"]))))
        if twice:
            settle.append(t("{where}: to keep {name}: dutyctl {edit} {other_id} {name_option} "
                            "{name}; to take {other}: dutyctl {edit} {id} {name_option} {other}",
                            where=where, name=names.line(item["value"]),
                            other=names.line(item["other_value"]),
                            id=short(item["id"]), other_id=short(item["other_id"]), edit=edit,
                            name_option=name_option))
        else:
            settle.append(t("{where}: to keep {value}: dutyctl {settle} {id} {event_option} "
                            "{other_event} {reason_option} TEXT; to keep {other_value}: dutyctl "
                            "{settle} {id} {event_option} {event} {reason_option} TEXT",
                            where=where, value=names.line(item["value"]),
                            other_value=names.line(item["other_value"]), id=short(item["id"]),
                            event=short_step(item["event"]),
                            other_event=short_step(item["other_event"]),
                            settle=said("settle"), event_option=event_option,
                            reason_option=reason_option))
    table_ = table([t("room"), t("resident"), t("phone"), t("what differs"), t("used now"),
                    t("other desk's"), t("by (other desk)"), t("at (other desk)")], rows,
                   tn("{count} resident registered differently on two desks that had not synced",
                      "{count} residents registered differently on two desks that had not "
                      "synced", len({item["id"] for item in clashes})),
                   whole=[0])
    return (Section(t("Residents register to settle"), (
        table_, Note(t("The value used now counts until a supervisor settles it; each one "
                       "settled by one of these steps (dutyctl check lists them too):")),
        *(Note(text) for text in settle))),)


def coverage_section(coverage: dict, names: Names, changes: dict | None = None,
                     unreadable: str | None = None) -> Section:
    """Planned coverage (slots with someone on them) beside actual coverage (hours someone
    was clocked in on them)."""
    if unreadable:
        return Section(t("Roster coverage"), (Note(t("The roster rules could not be read: "
                                                     "coverage is not judged."), alert=True),))
    if not coverage["slots"]:
        return Section(t("Roster coverage"), (Note(t("No roster covers this period.")),))
    actual = coverage["actual"]
    blocks = [beside(facts([(t("Slots"), coverage["slots"]), (t("Filled"), coverage["filled"]),
                     (t("Unfilled"), coverage["unfilled"]),
                     (t("Covered as planned"), share(coverage["rate"])),
                     (t("Covered in fact (clock-ins)"), share(actual["rate"])),
                     (t("Hours uncovered"), hours(actual["uncovered_hours"]))],
                    alerts=([t("Unfilled")] if coverage["unfilled"] else [])
                    + ([t("Hours uncovered")] if actual["uncovered_hours"] else [])),
                     changes, {t("Unfilled"): "unfilled_slots",
                               t("Covered in fact (clock-ins)"): "coverage_actual_rate"}),
              table([t("shift"), t("role"), t("filled"), t("unfilled"), t("staff")],
                    ((row["shift_name"], names.role(row["role"]), row["filled"],
                      row["unfilled"], names.people(row["staff"]))
                     for row in coverage["by_shift"]), numeric=[2, 3])]
    if coverage["unfilled_slots"]:
        blocks.append(table([t("date"), t("shift"), t("role"), t("start")],
                            ((day_text(slot["date"]), names.shift(slot["shift"]),
                              names.role(slot["role"]),
                              moment(slot["start"]))
                             for slot in coverage["unfilled_slots"]), t("Unfilled slots")))
    if coverage.get("on_call"):  # 备班: only where the rules have an on-call duty
        blocks.append(table([t("date"), t("shift"), t("role"), t("staff"), t("start"), t("end")],
                            ((day_text(item["date"]), item["shift_name"], names.role(item["role"]),
                              names.person(item["staff"]), moment(item["start"]),
                              moment(item["end"])) for item in coverage["on_call"]),
                            t("On call (at home)")))
    return Section(t("Roster coverage"), tuple(blocks))


def staff_section(people: list[dict], names: Names, title: str) -> Section:
    if not people:
        return Section(title, (Note(t("Nobody recorded anything in this period.")),))
    chart = Chart(t("Workload per person"),
                  tuple(names.person(row["staff"]) for row in people), (
                      Series(t("calls"), tuple(row["calls"] for row in people), "primary"),
                      Series(t("tickets filed"), tuple(row["tickets"] for row in people), "warn"),
                      Series(t("steps"), tuple(row["steps"] for row in people), "muted")),
                  horizontal=True, screen_only=True)
    # hours called out from on call (备班出勤), apart as attendance counts them: a column only
    # when someone was called out in the period
    called_out = any(row.get("call_outs") for row in people)
    rows = table([t("staff"), t("calls"), t("tickets filed"), t("steps"), t("resolved"),
                  t("repairs dispatched to"), t("shifts"), t("attended"), t("late"),
                  t("absent"), t("hours worked"), *([t("call-out h")] if called_out else [])],
                 ((names.person(row["staff"]), row["calls"], row["tickets"], row["steps"],
                   row["resolved"], row["dispatched_to"], row["rostered"], row["attended"],
                   row["late"], row["absent"], worked(row),
                   *([hours(row.get("hours_call_out", 0.0))] if called_out else []))
                  for row in people),
                 numeric=range(1, 12 if called_out else 11))
    return Section(title, (chart, rows))


def skipped_section(report: dict) -> tuple[Section, ...]:
    """The files left out (build.skipped): a line per problem, several to a file, the files
    counted."""
    if not report["skipped"]:
        return ()
    return (Section(t("Skipped files"), (
        Note(tn("{count} file could not be read and was left out of this report:",
                "{count} files could not be read and were left out of this report:",
                report["skipped_files"]), alert=True),
        table([t("file:line: problem")], ((line,) for line in report["skipped"])))),)


def _period(head: dict) -> str:
    """The period in words (`2026年第48周`); the JSON keeps `2026-W48`."""
    from datetime import date

    from dutyctl.reports.period import period_label

    return period_label(head["type"], date.fromisoformat(head["first"]))


def subtitle(report: dict) -> str:
    from dutyctl.output import date_label, zone_label

    head = report["report"]
    first, last = (date_label(date.fromisoformat(head[end])) for end in ("first", "last"))
    span_text = first if first == last else f"{first} – {last}"
    state = (tp("report state", "complete") if head["complete"]
             else t("so far, as of {moment}",  # 2026年12月1日 05:15 / 2026-12-01 05:15
                    moment=f"{date_label(date.fromisoformat(head['as_of'][:10]))} "
                           f"{head['as_of'][11:16]}"))
    values = dict(span=span_text, zone=zone_label(head["timezone"]), state=state)
    if report.get("skipped_files"):  # "complete" is the period's, not the records'
        return tn("{span} ({zone}), {state}; {read} records read; {count} unreadable file left "
                  "out (below)", "{span} ({zone}), {state}; {read} records read; {count} "
                  "unreadable files left out (below)", report["skipped_files"],
                  read=head["records_read"], **values)
    return t("{span} ({zone}), {state}; {count} records read", count=head["records_read"],
             **values)


# -- the daily summary ------------------------------------------------------------------------

def daily(report: dict, names: Names, bounded: bool = True) -> Document:
    per_hour = report["per_hour"]
    volumes = Chart(t("Volumes by hour"), tuple(f"{row['hour']:02d}" for row in per_hour),
                    volume_series(per_hour), as_table=True, label_header=t("hour"))
    # each figure beside its change since the day before, as a review's summary does; none
    # when nothing was recorded that day (the subtitle says so: no column of "no data")
    changes = ({row["figure"]: row for row in report["comparison"]}
               if report["previous"]["records_read"] else None)
    sections = (
        attention_section(report, names, bounded),
        Section(t("Volumes"), (volumes,)),
        calls_section(report["calls"], names, report["report"], changes, bounded),
        *ticket_sections(report, names, changes, bounded),
        compliance_section(report["compliance"], names, changes, bounded),
        emergencies_section(report["emergencies"], names, changes),
        readiness_section(report["readiness"], names, changes),
        attendance_section(report["attendance"], names, with_people=False, changes=changes,
                           unreadable=report["report"].get("roster_unreadable"),
                           report_as_of=report["report"]["as_of"]),
        handovers_section(report["handovers"], names, changes),
        duty_log_section(report["duty_log"], names),
        coverage_section(report["coverage"], names, changes,
                         unreadable=report["report"].get("roster_unreadable")),
        staff_section(report["per_staff"], names, t("Workload per person")),
        *skipped_section(report),
    )
    from dutyctl.sitecalendar import holiday_word

    head = report["report"]
    if head.get("holiday"):  # 2027年2月6日 周六 春节 值班日报; (Spring Festival) in English
        title = t("{site} — daily report {day} ({holiday})", site=one_line(head["site"]),
                  day=_period(head), holiday=one_line(holiday_word(head["holiday"])))
    else:
        title = t("{site} — daily report {day}", site=one_line(head["site"]), day=_period(head))
    return Document(title, daily_subtitle(report), sections)


def daily_subtitle(report: dict) -> str:
    """The subtitle, and what the changes beside the figures compare with."""
    before = report["previous"]
    day = _period({**before, "type": DAILY})
    if not before["records_read"]:
        return t("{subtitle}; nothing recorded on {day}: no changes",
                 subtitle=subtitle(report), day=day)
    return t("{subtitle}; changes since {day}", subtitle=subtitle(report), day=day)


# -- the weekly and monthly reviews -----------------------------------------------------------

HEADLINE_LABELS = {
    "calls": N_("Calls"), "callbacks_promised": N_("Callbacks promised"),
    "emergencies": N_("Emergencies"), "tickets_resolved": N_("Tickets resolved"),
    "tickets_open_at_end": N_("Tickets open at the end"),
    "compliance_rate": N_("Deadlines kept"), "satisfaction_average": N_("Satisfaction (1-5)"),
    "satisfied_share": N_("Satisfied (4-5)"),
    "visit_rate": N_("Return-visit rate"), "late_arrivals": N_("Late arrivals"),
    "absences": N_("Absences"), "early_leaves": N_("Early leaves"),
    "hours_worked": N_("Hours worked"),
    "unfilled_slots": N_("Unfilled roster slots"),
}


def headline_labels() -> dict[str, str]:
    """Each headline figure's label, every ticket kind's named after the kind."""
    labels = {key: gettext(label) for key, label in HEADLINE_LABELS.items()}
    for kind in ticket_kinds():
        word = kind_word(kind)
        word = word[:1].upper() + word[1:]  # it starts the label: "Complaint: ..."
        labels[ticket_key(kind, "filed")] = t("{kinds} filed",
                                               kinds=translated(kind_spec(kind).title))
        labels[timing_key(kind, "respond")] = t("{kind}: median time to respond", kind=word)
        labels[timing_key(kind, "resolve")] = t("{kind}: median time to resolve", kind=word)
    return labels


def ticket_columns() -> list[str]:
    """Each ticket kind's column heading where volumes stand side by side: its `title` as a
    column reads it ("complaints", 投诉), in report order."""
    titles = (translated(kind_spec(kind).title) for kind in ticket_kinds())
    return [title[:1].lower() + title[1:] for title in titles]


#: the chart colours of the ticket kinds' volumes, in report order (then muted)
TICKET_TONES = ("warn", "good")


def volume_series(rows: list[dict]) -> tuple[Series, ...]:
    """Calls, each ticket kind and emergencies filed per row (a day, an hour)."""
    tickets = [kind_spec(kind).figures.key for kind in ticket_kinds()]
    tones = TICKET_TONES + ("muted",) * len(tickets)
    return (Series(t("calls"), tuple(row["calls"] for row in rows), "primary"),
            *(Series(label, tuple(row[key] for row in rows), tone)
              for label, key, tone in zip(ticket_columns(), tickets, tones)),
            Series(t("emergencies"), tuple(row["emergencies"] for row in rows), "bad"))


RATE_KEYS = ("_rate", "_share")
#: Headline rates and where their target and its verdict are in the report.
TARGETED = {"compliance_rate": lambda report: report["compliance"]["overall"],
            "satisfied_share": lambda report: {
                "target": report["satisfaction"]["all"]["satisfied_target"],
                "meets": report["satisfaction"]["all"]["satisfied_meets"]},
            "visit_rate": lambda report: {
                "target": report["satisfaction"]["all"]["visit_target"],
                "meets": report["satisfaction"]["all"]["visit_meets"]}}


ARROWS = {"up": "▲", "down": "▼", "same": "="}
VERDICTS = {"better": N_("better"), "worse": N_("worse"), "same": N_("unchanged"),
            "neither": ""}


#: A figure the previous period could not have (a rate of nothing, a median of none)
NONE_BEFORE = {DAILY: N_("none the day before"), WEEKLY: N_("none the week before"),
               MONTHLY: N_("none the month before")}


def compared(row: dict, kind: str = DAILY) -> str:
    """'▲ +6, better' | '▼ -1.5 pt, worse' | '= 0, unchanged' | 'none the day before' (a
    report of `kind`: the previous period had nothing to count it on; nothing when this
    period has nothing either: 时限达标率 - beside 前一日无 compares nothing)."""
    if row["no_data"]:
        return "" if row["this"] is None else gettext(NONE_BEFORE[kind])
    moved = f"{ARROWS[row['direction']]} {headline_change(row['figure'], row['change'])}"
    verdict = VERDICTS[row["verdict"]]
    return t("{change}, {verdict}", change=moved, verdict=gettext(verdict)) if verdict else moved


def summary_section(report: dict) -> Section:
    """Each headline figure with its target (marked when missed) and, beside it, the
    previous period's figure and the change, marked better or worse."""
    rows, marked, labels = [], [], headline_labels()
    for index, row in enumerate(report["comparison"]):
        key = row["figure"]
        value = headline_value(key, row["this"])
        if key in TARGETED:
            judged = TARGETED[key](report)
            value = with_target(row["this"], judged)
            if judged["meets"] is False:
                marked.append((index, 1))
        if row["verdict"] == "worse":
            marked.append((index, 3))
        rows.append((labels[key], value,
                     "-" if row["no_data"] else headline_value(key, row["previous"]),
                     compared(row, report["report"]["type"])))
    previous = _period({**report["previous"], "type": report["report"]["type"]})
    until = report["previous"].get("as_of")  # a period still running: as far into the last
    # the column says "previous", a line under the table which period and how far: as its
    # header (上期同期（2026年第48周，截至 11-28 10:44）) it wrapped over three lines
    blocks = [table([t("figure"), t("this period"), t("previous"), t("change")], rows,
                    numeric=[1, 2], marked=marked),
              Note(t("Previous: {label}, up to {moment}", label=previous, moment=moment(until))
                   if until else t("Previous: {label}", label=previous))]
    if not report["previous"]["records_read"]:  # read only as far as this one has run
        blocks.append(Note(t("Nothing was recorded in the previous period ({label}) up to "
                             "{moment}: no comparison.", label=previous, moment=moment(until))
                           if until else
                           t("Nothing was recorded in the previous period ({label}): no "
                             "comparison.", label=previous)))
    return Section(t("Summary"), tuple(blocks))


def headline_value(key: str, value: Any) -> str:
    if key in PRECISE:
        return PRECISE[key][0](value)
    if key.endswith("_minutes"):
        return duration(value)
    if key.endswith(RATE_KEYS):
        return share(value)
    return number(value)


def headline_change(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key in PRECISE:
        from dutyctl.output import half_up

        places = PRECISE[key][1]
        shown = f"{half_up(value, places):+.{places}f}"
        return shown[1:] if float(shown) == 0 else shown  # no sign on 0.0 (nor on +0.04 h)
    if key.endswith("_minutes"):
        return ("+" if value > 0 else "-" if value < 0 else "") + duration(abs(value))
    if key.endswith(RATE_KEYS):
        # percentage points: 个百分点 on a Chinese page
        return t("{change} pt", change=f"{value * 100:+.1f}")
    return change(value)


def trends_section(report: dict) -> Section:
    days = report["per_day"]
    chart = Chart(t("Daily volumes"), tuple(row["date"][5:] for row in days),
                  volume_series(days))
    tickets = [kind_spec(kind).figures.key for kind in ticket_kinds()]
    columns = [t("date"), t("calls"), t("callbacks promised"), *ticket_columns(),
               t("emergencies"), t("tickets resolved")]
    rows = table(columns, ((day_text(row["date"]), row["calls"], row["callbacks"],
                            *(row[key] for key in tickets), row["emergencies"],
                            row["resolved"]) for row in days),
                 numeric=range(1, len(columns)))
    return Section(t("Trend per day"), (chart, rows))


def categories_section(report: dict, names: Names) -> Section:
    blocks = []
    for kind, rows in report["per_category"].items():
        if not rows:
            continue
        title = translated(kind_spec(kind).title)
        if kind == CALL.name:
            blocks.append(table([t("category"), t("calls")],
                                ((names.category(kind, row["category"]), row["filed"])
                                 for row in rows), title, numeric=[1]))
        else:
            blocks.append(table([t("category"), t("filed"), completed_word(kind, column=True)],
                                ((names.category(kind, row["category"]), row["filed"],
                                  row["resolved"]) for row in rows),
                                title, numeric=[1, 2]))
    return Section(t("Per category"), tuple(blocks) or (Note(t("Nothing filed.")),))


def timing_section(report: dict) -> Section:
    rows = []
    for kind, measures in report["timing"].items():
        for measure in ("respond", "resolve"):
            figures_ = measures[measure]
            rows.append((_kind(kind), gettext(STEP_WORDS[measure]), figures_["count"],
                         duration(figures_["median_minutes"]),
                         duration(figures_["p90_minutes"])))
    return Section(t("Time to respond and to resolve"), (
        table([t("kind"), t("measure"), t("count"), t("median"), t("90th percentile")], rows,
              numeric=[2, 3, 4]),
        Note(t("Wall-clock time from filing to the first response and to the resolution, for "
               "responses and resolutions made in this period."))))


def satisfaction_section(report: dict) -> Section:
    """满意率 (satisfied share) and 回访率 (visit rate) against their targets."""
    rows, marked = [], []
    kinds = (*ticket_kinds(), ALL_KINDS)
    for index, kind in enumerate(kinds):
        scores = report["satisfaction"][kind]
        rows.append((_kind(kind), scores["visits"], score(scores["average"]),
                     against(scores["satisfied_share"], scores["satisfied_meets"]),
                     scores["resolved"], scores["visited"],
                     against(scores["visit_rate"], scores["visit_meets"])))
        marked += [(index, column) for column, meets in ((3, scores["satisfied_meets"]),
                                                         (6, scores["visit_meets"]))
                   if meets is False]
    every = report["satisfaction"]["all"]
    headline = facts([(t("Satisfied (4-5)"),
                       with_target(every["satisfied_share"],
                                   {"target": every["satisfied_target"],
                                    "meets": every["satisfied_meets"]})),
                      (t("Average score (1-5)"), score(every["average"])),
                      (t("Return-visit rate"),
                       with_target(every["visit_rate"], {"target": every["visit_target"],
                                                         "meets": every["visit_meets"]}))],
                     alerts=[label for label, meets in ((t("Satisfied (4-5)"),
                                                         every["satisfied_meets"]),
                                                        (t("Return-visit rate"),
                                                         every["visit_meets"]))
                             if meets is False])
    return Section(t("Return visits and satisfaction"), (
        headline,
        table([t("kind"), t("visits"), t("average (1-5)"), t("satisfied (4-5)"),
               t("resolved"), t("visited"), t("visit rate")], rows, numeric=range(1, 7),
              marked=marked),
        # two counts of visits side by side (7 and 5): say which is which
        Note(t("Visits and the scores count the return visits made in the period; resolved, "
               "visited and the visit rate, the tickets resolved in the period and how many of "
               "them have had their return visit."))))


def review(report: dict, names: Names, bounded: bool = True) -> Document:
    head = report["report"]
    sections = (
        attention_section(report, names, bounded),
        summary_section(report),
        trends_section(report),
        categories_section(report, names),
        timing_section(report),
        compliance_section(report["compliance"], names, bounded=bounded),
        satisfaction_section(report),
        *ticket_sections(report, names, bounded=bounded),
        calls_section(report["calls"], names, head, bounded=bounded),
        emergencies_section(report["emergencies"], names),
        *([duty_log_section(report["duty_log"], names)] if "duty_log" in report else []),
        staff_section(report["per_staff"], names, t("Per staff member")),
        attendance_section(report["attendance"], names, with_people=True,
                           unreadable=report["report"].get("roster_unreadable"),
                           report_as_of=report["report"]["as_of"]),
        readiness_section(report["readiness"], names),
        handovers_section(report["handovers"], names),
        coverage_section(report["coverage"], names,
                         unreadable=report["report"].get("roster_unreadable")),
        *residents_section(report.get("resident_clashes") or [], names),
        *skipped_section(report),
    )
    said = {"site": one_line(head["site"]), "period": _period(head)}
    title = (t("{site} — weekly review {period}", **said) if head["type"] == WEEKLY else
             t("{site} — monthly review {period}", **said))
    return Document(title, subtitle(report), sections)


def document(report: dict, names: Names, bounded: bool = True) -> Document:
    """The report laid out; `bounded`: its lists of overdue items cut to SHOWN_OVERDUE, as a
    screen or a page shows them (a workbook keeps every row)."""
    return (daily(report, names, bounded) if report["report"]["type"] == DAILY
            else review(report, names, bounded))
