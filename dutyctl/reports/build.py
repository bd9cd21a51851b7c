"""A report as one plain document (JSON-ready): what every renderer draws and --fail-on reads.

The daily summary looks at one local day; the weekly and monthly reviews add trends, timing,
satisfaction, workload and a comparison with the previous period. Other areas' logic is
imported, never repeated: deadlines from the tickets engine, attendance from the shift desk,
slots from the roster.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dutyctl.errors import DutyError, Problem
from dutyctl.frozen import frozen
from dutyctl.kinds.call import KIND as CALL
from dutyctl.kinds.repair import KIND as REPAIR
from dutyctl.messages import NP_, t
from dutyctl.records import kind_spec, ticket_kinds
from dutyctl.reports import figures
from dutyctl.reports.period import DAILY, Period
from dutyctl.reports.selection import Selection, select

#: --fail-on words, in the order of severity "Needs attention" follows.
ALERTS = ("emergency", "overdue", "absent", "unaccepted", "unfilled", "readiness",
          "dissatisfied")
#: each --fail-on word as a supervisor reads and types it (the id in English)
#: the alerts judged against the roster: not judged when its rules cannot be read
ROSTER_ALERTS = ("absent", "unfilled")
#: the alerts judged against the deadlines: not judged when an open ticket's are unknown
DEADLINE_ALERTS = ("overdue",)
ALERT_WORDS = {"emergency": NP_("alert", "emergency"), "overdue": NP_("alert", "overdue"),
               "absent": NP_("alert", "absent"), "unaccepted": NP_("alert", "unaccepted"),
               "unfilled": NP_("alert", "unfilled"), "readiness": NP_("alert", "readiness"),
               "dissatisfied": NP_("alert", "dissatisfied")}
DAY = timedelta(days=1)


@frozen
class Report:
    data: dict
    problems: tuple[Problem, ...]  # unreadable files, skipped

    @property
    def alerts(self) -> dict[str, int]:
        return self.data["alerts"]


class _Reader:
    """One period's records, roster slots and deadlines, each read once."""

    def __init__(self, workspace, period: Period, now: datetime, book):
        self.workspace = workspace
        self.period = period
        self.selection: Selection = select(workspace.store, period, now)
        self.as_of = self.selection.as_of
        #: the moment the period's shifts are seen at: past the period's end, until they are
        #: over (Period.shifts_as_of)
        self.shifts_as_of = period.shifts_as_of(now)
        #: unreadable duty files of the days either side the attendance reads (`duties`)
        self.duty_problems: tuple[Problem, ...] = ()
        self.book = book
        self._deadlines: dict[str, list] = {}
        #: why the roster could not be read (`path:line: problem`), None when it was: the
        #: report is made all the same, its absences and coverage not judged
        self.roster_unreadable: str | None = None
        try:
            self.slots, self.on_call_slots = _slots(workspace, period)
        except DutyError:  # a mistyped rule must not stop the supervisor's summary
            from dutyctl.roster.onduty import rules_problem

            self.roster_unreadable = rules_problem(workspace)
            if self.roster_unreadable is None:
                raise  # a roster file itself broken: refused, never passed over
            self.slots, self.on_call_slots = [], []

    @property
    def records(self):
        return self.selection.records

    def recorded(self) -> int:
        """How many records were filed, or had a step, in the period (up to `as_of`): the
        records read include the tickets left open before it, which a week nobody recorded
        anything in (a desk not synced) still reads."""
        period, as_of = self.period, self.as_of
        return sum(1 for record in self.records
                   if any(period.contains(moment) and moment <= as_of
                          for moment in (record.created_at,
                                         *(event.at for event in record.events))))

    def active_days(self) -> set[str]:
        """The period's days (ISO) something was filed or stepped on."""
        tz = self.period.tz
        return {moment.astimezone(tz).date().isoformat() for record in self.records
                for moment in (record.created_at, *(event.at for event in record.events))
                if self.period.contains(moment)}

    def days_without_roster(self) -> list[str]:
        """The period's days no roster covers, when some do (none at all is said apart):
        absences and coverage are not judged on them."""
        from dutyctl.roster.onduty import days_without_roster

        days = days_without_roster(self.workspace, self.period.first, self.period.last)
        if len(days) == len(list(self.period.days())):
            return []
        until = self.as_of.astimezone(self.period.tz).date()  # a day to come is no gap yet
        return [day.isoformat() for day in days if day <= until]

    def days_not_judged(self, missing: list[str], idle: list[str]) -> list[str]:
        """The days the desk recorded on that no roster covers (ISO): of `missing`, those not
        `idle`; with no roster at all, every day recorded on, where the site rosters its staff
        (it has roster rules: a site keeping none has no absences to judge)."""
        if missing:
            return sorted(set(missing) - set(idle))
        if self.slots or self.roster_unreadable:
            return []
        from dutyctl.rulesfile import rules_path

        return sorted(self.active_days()) if rules_path(self.workspace).is_file() else []

    def deadlines_of(self, record) -> list:
        if record.id not in self._deadlines:
            self._deadlines[record.id] = self.book.of(record, self.as_of)
        return self._deadlines[record.id]

    def deadlines_unknown(self) -> str | None:
        """Why an open ticket's deadline could not be computed (the calendar unreadable, an
        urgency class gone, a year without calendar data), else None: whether it is overdue
        was then not judged."""
        kinds = ticket_kinds()
        for record in self.records:
            if record.kind in kinds and figures.unresolved(record):
                for deadline in self.deadlines_of(record):
                    if deadline.due is None and deadline.met_at is None:
                        return deadline.problem or ""
        return None

    def duties(self) -> list:
        """The duty and call-out records clocked in from a day before the period to a day
        after (as `dutyctl attendance` reads them: a late clock-in after midnight is for the
        night of the period's last day), each as it stood when the report sees shifts at."""
        from dutyctl.desk import callout, clocking

        store, kinds = self.workspace.store, (clocking.KIND, callout.KIND)
        since, until = self.period.first - DAY, self.period.last + DAY
        found = store.of_kinds(since, until, kinds)
        self.duty_problems = tuple(found.problems)  # skipped, and said as the others are
        return [record.as_of(self.shifts_as_of, including_moment=False)
                for record in found.records if record.created_at < self.shifts_as_of]

    def attendance(self) -> dict:
        """A shift belongs to the period it starts in: judged and counted whole as it stands
        at `shifts_as_of` (the night of the period's last day up to its clock-out the next
        morning), as `dutyctl attendance` counts it."""
        from dutyctl.desk import attendance, callout, clocking, rostered

        config, moment = self.workspace.config, self.shifts_as_of
        duties = self.duties()
        sessions = [clocking.session_of(record) for record in duties
                    if record.kind == clocking.KIND]
        call_outs = callout.sessions_of(record for record in duties
                                        if record.kind == callout.KIND)
        report = attendance.attendance_report(
            self.slots, sessions, first=self.period.first, last=self.period.last, tz=config.tz,
            grace=clocking.grace(config), window=clocking.window(config), now=moment,
            call_outs=call_outs, on_call_slots=self.on_call_slots,
            order=clocking.staff_order(self.workspace), leave_of=rostered.leave_of(self.workspace))
        self.coverage_actual = figures.actual_coverage(
            report.outcomes, self.slots, self.period, moment, sessions,  # the night before's too
            clocking.roles_of(self.workspace), clocking.window(config))
        return figures.attendance_figures(
            report, self.period, attendance.still_open(report),
            as_of=moment, ended_later=self.ended_later(call_outs),
            recorded=figures.steps_by(self.records), statutory=self.statutory(report))

    def statutory(self, report) -> dict | None:
        """Per person, the hours on statutory holidays (`attendance.statutory_hours`, as
        `dutyctl attendance` gives them), for a period that has a statutory day (its last
        night into the next day's included: 12-31's night into 元旦); None otherwise, or when
        the calendar or the roster's rules cannot be read."""
        from dutyctl.desk import attendance

        calendar, period = self.book.calendar, self.period
        if calendar is None or self.roster_unreadable:
            return None
        if not calendar.statutory_in(period.first, period.last + DAY):
            return None
        return attendance.statutory_hours(report, calendar.statutory_day, period.tz)

    def statutory_unknown(self) -> list[str]:
        """The lines that say which statutory days are unknown in the period (a year from
        the rules only: 中秋节 listed as three days), each said once on stderr."""
        calendar, period = self.book.calendar, self.period
        if calendar is None or self.roster_unreadable:
            return []
        return calendar.unknown_statutory_said(period.first, period.last + DAY)

    def current(self, record):
        """The record as the files have it now (the report reads it as it stood), None when
        it is gone or unreadable since."""
        try:
            return self.workspace.store.get(record.id)
        except DutyError:
            return None

    def ended_later(self, call_outs) -> set[str]:
        """The call-outs not ended at the moment the report sees shifts at that have been
        since (as the store has them now): under way as the day ended, not forgotten."""
        from dutyctl.desk import callout

        found = set()
        for call in call_outs:
            if call.is_open:
                try:
                    now = callout.session_of(self.workspace.store.get(call.record_id))
                except DutyError:  # gone or unreadable since: as it stood
                    continue
                if not now.is_open:
                    found.add(call.record_id)
        return found

    def summary(self) -> dict:
        """The sections both the daily summary and the reviews carry."""
        period, as_of, records = self.period, self.as_of, self.records
        attendance = self.attendance()
        missing = self.days_without_roster()  # the roster files listed once
        idle = sorted(set(missing) - self.active_days())
        sections = {
            **self.tickets(),
            "readiness": figures.readiness_figures(records, period, as_of),
            "attendance": attendance,
            "handovers": figures.handover_figures(records, period, as_of),
            "coverage": {**figures.coverage_figures(self.slots, period),
                         "days_without_roster": missing,
                         # of those, the days nothing was recorded on (before the desk used
                         # dutyctl): a roster generated for them would make every shift absent
                         "days_without_roster_idle": idle,
                         # the days recorded on whose absences no roster judged (a month
                         # never generated): `--fail-on absent` cannot say "none" of them
                         "days_not_judged": self.days_not_judged(missing, idle),
                         "actual": self.coverage_actual,
                         "on_call": figures.on_call_figures(self.on_call_slots, period)},
            "dissatisfied": figures.dissatisfied(records, period),
            "clashes": figures.step_clashes(records, period),
        }
        for kind in ticket_kinds():  # a section's overdue ones as "Needs attention" has them
            figures_of = sections[section(kind)]
            figures_of["overdue_items"] = most_urgent_first(figures_of["overdue_items"],
                                                            self.workspace.config, kind)
        sections[section(REPAIR)]["awaiting_arrival"] = figures.awaiting_arrival(
            records, self.deadlines_of, period, as_of,
            self.workspace.config.emergency_repair_classes(), self.current)
        sections["alerts"] = alerts_of(sections)
        sections["attention"] = attention(sections, self.workspace.config)
        return sections

    def tickets(self) -> dict:
        """Calls, each ticket kind, deadline compliance and emergencies."""
        period, as_of, records = self.period, self.as_of, self.records
        kinds = ticket_kinds()
        tickets = [record for record in records if record.kind in kinds]
        return {
            "calls": figures.call_figures(self.selection.of_kind(CALL), self.deadlines_of,
                                          period, as_of),
            **{section(kind): figures.ticket_figures(records, kind, self.deadlines_of, period,
                                                     as_of) for kind in kinds},
            "compliance": figures.compliance_targets(
                figures.compliance(tickets, self.deadlines_of, period, as_of),
                self.workspace.config),
            "emergencies": figures.emergency_figures(records, period, as_of),
        }

    def review(self) -> dict:
        period, records = self.period, self.records
        return {"per_day": figures.per_day(records, period, self.as_of),
                "per_category": figures.per_category(records, period),
                # patrols and visits a supervisor checks by the week: counted, not listed
                "duty_log": figures.duty_log_figures(records, period, items=False),
                "workload": figures.workload(records, period),
                **self.timing_and_satisfaction(),
                "resident_clashes": figures.resident_clashes(self.register(), period,
                                                             self.as_of)}

    def register(self) -> list:
        """The residents register's entries, every one (a clash may be older than the
        period: it stands until settled)."""
        from dutyctl.callers import register_entries

        return register_entries(self.workspace.store)

    def timing_and_satisfaction(self) -> dict:
        period, records = self.period, self.records
        return {"timing": figures.timing(records, period),
                "satisfaction": figures.satisfaction_targets(
                    figures.satisfaction(records, period, self.current),
                    self.workspace.config.targets)}

    def review_headline(self) -> dict:
        """Only what `headline` reads: the previous period is compared, never shown, so its
        trends, per-person tables and lists are not worked out."""
        attendance = self.attendance()
        return headline({**self.tickets(), "attendance": attendance,
                         "coverage": figures.coverage_figures(self.slots, self.period),
                         **self.timing_and_satisfaction()})


def _slots(workspace, period: Period) -> tuple[list, list]:
    """From one walk of the rosters: the places on site from a day before the period to a day
    after (to match duty sessions), which attendance and coverage judge; and the on-call
    duties (at home) overlapping the period. The seats the rules need and a roster lacks (a
    headcount raised since it was made) are unfilled places, as `roster show` says them."""
    from dutyctl.roster.onduty import assignments_between, cached_rules, with_lacking_seats

    every = assignments_between(workspace, period.start - DAY, period.end + DAY, on_call=True)
    if every:
        every = with_lacking_seats(every, cached_rules(workspace), workspace.config.tz)
    return ([slot for slot in every if not slot.on_call],
            [slot for slot in every
             if slot.on_call and slot.start < period.end and slot.end > period.start])


def section(kind: str) -> str:
    """The key of a kind's section in a report (KindSpec.figures): "complaints"."""
    return kind_spec(kind).figures.key


def alerts_of(sections: dict) -> dict[str, int]:
    """What --fail-on can act on: counts at the report's moment."""
    return {"emergency": (sections["emergencies"]["in_progress"]
                          + len(sections[section(REPAIR)]["awaiting_arrival"])),
            "overdue": (sum(sections[section(kind)]["overdue"] for kind in ticket_kinds())
                        + sections["calls"]["callbacks"]["overdue"]),
            "absent": sections["attendance"]["totals"]["absent"],
            "unaccepted": len(sections["handovers"]["unaccepted"]),
            "unfilled": sections["coverage"]["unfilled"],
            "readiness": len(sections["readiness"]["open"]),
            "dissatisfied": len(sections["dissatisfied"])}


def attention(sections: dict, config) -> list[dict]:
    """What a supervisor acts on, most severe first; each group keeps its own order (the
    longest waiting first; the overdue items the most urgent first, `most_urgent_first`). An
    emergency repair not yet on site is listed once, with the emergency repairs, even when it
    is also overdue."""
    waiting = sections[section(REPAIR)]["awaiting_arrival"]
    listed = {item["id"] for item in waiting}
    overdue = most_urgent_first(
        [{**item, "kind": kind} for kind in ticket_kinds()
         for item in sections[section(kind)]["overdue_items"] if item["id"] not in listed]
        + [{**item, "kind": CALL} for item in sections["calls"]["callbacks"]["overdue_items"]],
        config)
    groups = (
        ("emergency", [item for item in sections["emergencies"]["items"]
                       if item["closed"] is None]),
        ("emergency_repair", waiting),
        ("overdue", overdue),
        ("absent", [item for item in sections["attendance"]["anomalies"]
                    if item["anomaly"] == "absent"]),
        ("uncovered", [gap for gap in sections["coverage"]["actual"]["gaps"]
                       if gap["reason"] != "absent"]),
        ("callout_open", sections["attendance"]["call_outs_open"]),
        ("no_clock_out", [item for item in sections["attendance"]["anomalies"]
                          if item["anomaly"] == "no-clock-out"]),
        ("unaccepted", sections["handovers"]["unaccepted"]),
        ("readiness", sections["readiness"]["open"]),
        ("dissatisfied", sections["dissatisfied"]),
        ("clashes", sections["clashes"]),
    )
    return [{"group": group, "items": items} for group, items in groups]


def most_urgent_first(items: list[dict], config, kind: str | None = None) -> list[dict]:
    """Overdue items of several kinds (each with its `kind`) as a desk works through them:
    emergency repairs, then what is timed round the clock (紧急, callbacks), then the rest
    (SiteConfig.urgency_rank); in each, the one due longest ago first. Their overdue
    minutes are no measure across classes (working hours for one, every hour for another).
    `kind`: that of items without their own."""
    from dutyctl.tickets.deadlines import CALLBACK

    def key(item: dict) -> tuple:
        of = item.get("kind") or kind
        due = datetime.fromisoformat(item["due"]) if item.get("due") else None
        return (config.urgency_rank(CALLBACK if of == CALL else of, item.get("urgency")),
                due is None,
                due.timestamp() if due else 0, item["id"])

    return sorted(items, key=key)


def header(workspace, reader: _Reader) -> dict:
    config, period, as_of = workspace.config, reader.period, reader.as_of
    return {"type": period.kind, "site": config.name, "period": period.label,
            "first": period.first.isoformat(), "last": period.last.isoformat(),
            "timezone": config.timezone_name,
            "as_of": figures.local(as_of, period), "complete": as_of == period.end,
            "records_read": len(reader.records),
            # filed or stepped on in the period: 0 says nothing was recorded (records_read
            # counts the tickets left open before it too)
            "recorded": reader.recorded(),
            # the roster could not be read (`path:line: problem`, said once on stderr too):
            # absences and coverage were not judged
            "roster_unreadable": reader.roster_unreadable,
            # why an open ticket's deadlines are unknown (said once on stderr too): whether
            # it is overdue was not judged; None when every one was
            "deadlines_unknown": reader.deadlines_unknown()}


def _roster_said(*readers: _Reader) -> None:
    """One stderr line when the roster could not be read (the same for both periods)."""
    from dutyctl import notices

    reason = next((reader.roster_unreadable for reader in readers
                   if reader.roster_unreadable), None)
    if reason:
        notices.warn(t("roster rules unreadable, absences and coverage not judged in this report: "
                       "{reason}", reason=reason))


def _statutory_said(reader: _Reader) -> None:
    """Once, on stderr, each break whose statutory day is unknown (the figure left empty),
    as `dutyctl attendance` says it."""
    from dutyctl import notices

    for line in reader.statutory_unknown():
        notices.warn(line)


def targets_of(config) -> dict:
    targets = config.targets
    return {"satisfied_share": targets.satisfied_share, "visit_rate": targets.visit_rate,
            "on_time": targets.on_time, "on_time_by_class": dict(targets.on_time_by_class)}


def _problems(*readers: _Reader) -> tuple[Problem, ...]:
    """The problems of the readers' files, each once, by file and line, each file's capped
    (errors.by_file: a file's 'and N more' line after its last problem kept)."""
    from dutyctl.errors import by_file

    found = {problem for reader in readers
             for problem in (*reader.selection.problems, *reader.duty_problems)}
    return tuple(by_file(sorted(found, key=lambda p: p.message)))


def skipped(problems: tuple[Problem, ...]) -> dict:
    """The files left out: `skipped`, a line per problem (`path:line: message`, several to a
    file), and `skipped_files`, how many files, counted by the problems' paths (a line cannot
    be split back into its path: a path may hold a ':')."""
    return {"skipped": [str(problem) for problem in problems],
            "skipped_files": len({problem.path for problem in problems})}


def report(workspace, period: Period, now: datetime) -> Report:
    """The report of a period, by its kind: a day's daily summary, a week's or a month's
    review."""
    return (daily if period.kind == DAILY else review)(workspace, period, now)


def daily(workspace, period: Period, now: datetime) -> Report:
    from dutyctl.people import known_staff  # rules a slip broke: as last committed
    from dutyctl.tickets.deadlines import load_book

    book = load_book(workspace)
    reader = _Reader(workspace, period, now, book)
    before = _previous_reader(workspace, period, now, book)
    summary, previous = reader.summary(), before.summary()
    this_headline, previous_headline = daily_headline(summary), daily_headline(previous)
    problems = _problems(reader, before)
    _roster_said(reader, before)
    _statutory_said(reader)
    head = header(workspace, reader)
    # the holiday the day is, as the site's rules and calendar have it (春节): its header
    # names it; None on a working day, or when the rules cannot be read
    head["holiday"] = book.calendar.day_holiday(period.first) if book.calendar else None
    data = {"report": head, "alerts": summary.pop("alerts"),
            "attention": summary.pop("attention"), "targets": targets_of(workspace.config),
            "totals": this_headline,
            **summary,
            "duty_log": figures.duty_log_figures(reader.records, period),
            "per_hour": figures.per_hour(reader.records, period),
            "per_staff": per_staff(figures.workload(reader.records, period),
                                   summary["attendance"], known_staff(workspace) or {}),
            **compared_with(before, this_headline, previous_headline),
            **skipped(problems)}
    return Report(data, problems)


def _previous_reader(workspace, period: Period, now: datetime, book) -> _Reader:
    """The previous period (day, week, month) read up to the same point as `period` is read:
    a week seen on its Saturday morning beside the week before up to its Saturday morning,
    not the whole of it (four days against seven read as "better" in every count); the whole
    of it once `period` is over."""
    previous = period.previous()
    if now < period.end:
        now = min(previous.start + (now - period.start), previous.end)
    return _Reader(workspace, previous, now, book)


def compared_with(before: _Reader, this: dict, previous: dict) -> dict:
    """The previous period (day, week, month) and each figure compared with it; `as_of` when
    it was read only up to the same point as a period still running."""
    partial = before.as_of < before.period.end
    return {"previous": {"period": before.period.label, "first": before.period.first.isoformat(),
                         "last": before.period.last.isoformat(), "totals": previous,
                         "records_read": len(before.records),
                         "as_of": figures.local(before.as_of, before.period) if partial
                         else None},
            "comparison": comparison(this, previous, previous_empty=not before.records)}


def daily_headline(sections: dict) -> dict:
    """The figures the daily summary states, each compared with the day before beside it."""
    attendance = sections["attendance"]["totals"]
    calls, coverage = sections["calls"], sections["coverage"]
    figures_ = {"calls": calls["total"], "callbacks_promised": calls["callbacks"]["promised"],
                "callbacks_overdue": calls["callbacks"]["overdue"]}
    for kind in ticket_kinds():
        for figure in TICKET_COUNTS:
            figures_[ticket_key(kind, figure)] = sections[section(kind)][figure]
    figures_.update({
        "compliance_rate": sections["compliance"]["overall"]["rate"],
        "emergencies": sections["emergencies"]["opened"],
        "emergencies_in_progress": sections["emergencies"]["in_progress"],
        "readiness_open": len(sections["readiness"]["open"]),
        "late_arrivals": attendance["late"], "absences": attendance["absent"],
        "early_leaves": attendance["early_leaves"], "hours_worked": attendance["hours_worked"],
        "handovers_unaccepted": len(sections["handovers"]["unaccepted"]),
        "unfilled_slots": coverage["unfilled"], "coverage_actual_rate": coverage["actual"]["rate"],
    })
    figures_.update(_unjudged(sections, (*ROSTER_JUDGED, "coverage_actual_rate")))
    return figures_


def essentials(workspace, period: Period, now: datetime) -> Report:
    """A review's rates, alerts and volumes without its trends, per-person tables and
    comparison: what a portfolio review reads of each site (one period, read once)."""
    from dutyctl.tickets.deadlines import load_book

    reader = _Reader(workspace, period, now, load_book(workspace))
    if reader.roster_unreadable:  # a portfolio lists the site among those it could not read
        _slots(workspace, period)
    sections = reader.summary()
    sections["satisfaction"] = figures.satisfaction_targets(
        figures.satisfaction(reader.records, period, reader.current), workspace.config.targets)
    problems = _problems(reader)
    return Report({"report": header(workspace, reader), **sections, **skipped(problems)},
                  problems)


def headline(sections: dict) -> dict:
    """The figures a review compares with the previous period."""
    timing, satisfaction = sections["timing"], sections["satisfaction"]["all"]
    attendance = sections["attendance"]["totals"]
    kinds = ticket_kinds()
    return {
        "calls": sections["calls"]["total"],
        "callbacks_promised": sections["calls"]["callbacks"]["promised"],
        **{ticket_key(kind, "filed"): sections[section(kind)]["filed"] for kind in kinds},
        "emergencies": sections["emergencies"]["opened"],
        "tickets_resolved": _tickets_total(sections, "resolved"),
        "tickets_open_at_end": _tickets_total(sections, "open"),
        **{timing_key(kind, step): timing[kind][step]["median_minutes"]
           for kind in kinds for step in TIMING_STEPS},
        "compliance_rate": sections["compliance"]["overall"]["rate"],
        "satisfaction_average": satisfaction["average"],
        "satisfied_share": satisfaction["satisfied_share"],
        "visit_rate": satisfaction["visit_rate"],
        "late_arrivals": attendance["late"],
        "absences": attendance["absent"],
        "early_leaves": attendance["early_leaves"],
        "hours_worked": attendance["hours_worked"],
        "unfilled_slots": sections["coverage"]["unfilled"],
    } | _unjudged(sections, ROSTER_JUDGED)


#: the headline figures judged against the roster: none without one (no roster read, or
#: its rules unreadable), never 0 absences a month later's 105 are compared with as worse
ROSTER_JUDGED = ("late_arrivals", "absences", "early_leaves", "unfilled_slots")


def _unjudged(sections: dict, keys: tuple[str, ...]) -> dict:
    """Each of `keys` as None where the period had no roster slot to judge by."""
    return {} if sections["coverage"]["slots"] else dict.fromkeys(keys)


def _tickets_total(sections: dict, figure: str) -> int:
    return sum(sections[section(kind)][figure] for kind in ticket_kinds())


#: Which way a headline figure is better: 1 higher, -1 lower, 0 neither (volumes, hours);
#: each ticket kind adds its own (`better`).
BETTER = {"calls": 0, "callbacks_promised": 0, "emergencies": -1, "tickets_resolved": 1,
          "tickets_open_at_end": -1, "compliance_rate": 1, "satisfaction_average": 1,
          "satisfied_share": 1, "visit_rate": 1, "late_arrivals": -1, "absences": -1,
          "early_leaves": -1, "hours_worked": 0, "unfilled_slots": -1,
          # the daily summary's own figures
          "callbacks_overdue": -1, "emergencies_in_progress": -1, "readiness_open": -1,
          "handovers_unaccepted": -1, "coverage_actual_rate": 1}
#: A ticket kind's counts the daily summary compares, and which way they are better ("filed":
#: as its Figures.filed_better says); a review compares its filed count and median times.
TICKET_COUNTS = ("filed", "resolved", "open", "overdue")
TICKET_BETTER = {"resolved": 1, "open": -1, "overdue": -1}
TIMING_STEPS = ("respond", "resolve")


def ticket_key(kind: str, figure: str) -> str:
    """A ticket kind's headline figure: "complaints_filed"."""
    return f"{section(kind)}_{figure}"


def timing_key(kind: str, step: str) -> str:
    """A ticket kind's median time in a review's headline: "complaint_respond_median_minutes"."""
    return f"{kind}_{step}_median_minutes"


def better() -> dict[str, int]:
    """Which way each headline figure is better, every ticket kind's included."""
    found = dict(BETTER)
    for kind in ticket_kinds():
        ways = {"filed": kind_spec(kind).figures.filed_better, **TICKET_BETTER}
        found.update({ticket_key(kind, figure): way for figure, way in ways.items()})
        found.update({timing_key(kind, step): -1 for step in TIMING_STEPS})
    return found


def comparison(this: dict, previous: dict, previous_empty: bool) -> list[dict]:
    """Each headline figure beside the previous period's: the change, its direction (up,
    down, same) and whether that is better, worse or neither. Nothing is compared with a
    period that has no records, nor with a figure it could not have (a median of nothing):
    those rows say no_data."""
    rows, ways = [], better()
    for key, value in this.items():
        before = None if previous_empty else previous.get(key)
        change = direction = verdict = None
        if isinstance(value, (int, float)) and isinstance(before, (int, float)):
            change = round(value - before, 3)
            direction = "up" if change > 0 else "down" if change < 0 else "same"
            sign = (change > 0) - (change < 0)
            verdict = ("same" if sign == 0 else "neither" if not ways.get(key)
                       else "better" if sign == ways[key] else "worse")
        rows.append({"figure": key, "this": value, "previous": before, "change": change,
                     "direction": direction, "verdict": verdict, "no_data": change is None})
    return rows


def per_staff(workload: list[dict], attendance: dict, names: dict[str, str]) -> list[dict]:
    """Workload and attendance side by side, one row per person seen in either (call-outs
    from on call apart from the hours worked, as attendance counts them)."""
    rows: dict[str, dict[str, Any]] = {}
    blank = {"calls": 0, "tickets": 0, "steps": 0, "resolved": 0, "dispatched_to": 0,
             "total": 0, "rostered": 0, "attended": 0, "late": 0, "absent": 0,
             "early_leaves": 0, "hours_worked": 0.0, "hours_on_duty": 0.0, "call_outs": 0,
             "hours_call_out": 0.0}
    for entry in workload:
        rows[entry["staff"]] = {**blank, **entry}
    for person in attendance["people"]:
        row = rows.setdefault(person["staff"], {**blank, "staff": person["staff"]})
        row.update({key: person[key] for key in ("rostered", "attended", "late", "absent",
                                                 "early_leaves", "hours_worked",
                                                 "hours_on_duty", "call_outs",
                                                 "hours_call_out")})
    for staff, row in rows.items():
        row["name"] = names.get(staff, staff)
    return sorted(rows.values(), key=lambda row: (-row["total"], -row["rostered"], row["staff"]))


def review(workspace, period: Period, now: datetime) -> Report:
    """The weekly or monthly review, with the previous period of the same length."""
    from dutyctl.people import known_staff
    from dutyctl.tickets.deadlines import load_book

    if period.kind == DAILY:
        raise ValueError("a review covers a week or a month")
    book = load_book(workspace)
    reader = _Reader(workspace, period, now, book)
    before = _previous_reader(workspace, period, now, book)
    sections = {**reader.summary(), **reader.review()}
    this_headline, previous_headline = headline(sections), before.review_headline()
    problems = _problems(reader, before)
    _roster_said(reader, before)
    _statutory_said(reader)
    data = {"report": header(workspace, reader), "alerts": sections.pop("alerts"),
            "attention": sections.pop("attention"), "targets": targets_of(workspace.config),
            "totals": this_headline,
            "per_day": sections.pop("per_day"),
            "per_category": sections.pop("per_category"),
            "per_staff": per_staff(sections.pop("workload"), sections["attendance"],
                                   known_staff(workspace) or {}),
            **sections,
            **compared_with(before, this_headline, previous_headline),
            **skipped(problems)}
    return Report(data, problems)
