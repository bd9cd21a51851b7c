"""`roster check` and the roster part of `dutyctl check`: every hard-rule break and every
coverage gap, each naming date, shift, staff and rule, at the line of the entry responsible.

A generated roster passes; a hand edit or a forced override that breaks a rule does not.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from dutyctl.errors import Problem, ProblemsFound
from dutyctl.frozen import replace
from dutyctl.messages import t
from dutyctl.output import date_label, day_label
from dutyctl.roster.coverage import Hole, holes
from dutyctl.roster.onduty import apply_overrides, cached_roster, cached_slots
from dutyctl.roster.capacity import shortages
from dutyctl.roster.positions import expand, occurrences, shift_bounds
from dutyctl.roster.rosterfile import (Gap, Listing, Roster, describe_gap, files_overlapping,
                                      roster_files, too_long_a_name)
from dutyctl.roster.rules import LEFT_OPEN, Rules, read_rules, rule_break
from dutyctl.roster.timeline import Timeline, Work, blocking_rule
from dutyctl.timeutil import zone


def _where(day: date, shift: str, staff: str | None, rules: Rules, year: bool = False) -> str:
    """`12月3日 周四 夜班 张伟`: the day as every roster screen shows it (`year`: with its
    year, for a day outside the roster's period), names people read (the id only beside a
    name two members share, or for someone the rules do not know)."""
    known = rules.shift(shift)
    where = f"{day_label(day, year=year)} {known.name if known else shift}"
    return f"{where} {rules.person(staff)}" if staff else where


def check_roster(workspace, rules: Rules, roster: Roster, label: str,
                 tz=None, files: Listing | None = None,
                 places: set[tuple[date, str, str]] | None = None,
                 config=None, instead=None) -> list[Problem]:
    """Every problem of one readable roster against the rules and its neighbours (from
    `files`, rosters/ as the caller listed it, else listed here once). With `places` (day,
    shift, staff), a break between shifts is reported only at those places: an edit's check
    names the place it changes, not the week's last shift or the neighbour it clashes with.
    `config`: dutyctl.yaml as the caller read it (`check` reads a broken one best-effort),
    else the workspace's. `instead`: neighbouring rosters as a change will leave them
    (`neighbours.neighbour_works`)."""
    problems: list[Problem] = []

    def report(line: int, day: date, shift: str, staff: str | None, message: str) -> None:
        outside = not roster.first <= day <= roster.last  # 9999-12-31 is no "Fri 12-31"
        problems.append(Problem(label, line or None, t(
            "{where}: {message}", where=_where(day, shift, staff, rules, year=outside),
            message=message)))

    role_name = role_names(workspace, config)
    applied = apply_overrides(roster)
    for override in applied.unmatched:
        report(override.line, override.day, override.shift, override.staff,
               t("override: {replaces} is not on this shift, nothing was replaced",
                 replaces=rules.person(override.replaces)))
    tz = tz or (config or workspace.config).tz
    timelines: dict[str, Timeline] = {}
    mine: set = set()
    lines: dict = {}
    for seat, place in enumerate(applied.places):
        shift = rules.shift(place.shift)
        if not roster.first <= place.day <= roster.last:  # said, and no more: never a slot
            report(place.line, place.day, place.shift, place.staff,
                   t("outside the roster period {first}..{last}",
                     first=date_label(roster.first), last=date_label(roster.last)))
            continue
        if shift is None:
            report(place.line, place.day, place.shift, place.staff,
                   t("no shift '{id}' in the rules", id=place.shift))
            continue
        if not shift.occurs(place.day, rules.calendar):
            report(place.line, place.day, place.shift, place.staff,
                   _not_running(shift, place.day))
        if place.staff is None:
            continue
        member = rules.member(place.staff)
        if member is None:
            report(place.line, place.day, place.shift, place.staff,
                   t("no staff member '{id}' in the rules", id=place.staff))
            continue
        if place.role not in member.roles:
            report(place.line, place.day, place.shift, place.staff,
                   rule_break("roles", t("does not have the role {role}",
                                         role=role_name(place.role))))
        unavailable = member.unavailable_reason(place.day)
        if unavailable == "leave":
            report(place.line, place.day, place.shift, place.staff,
                   rule_break("leave", member.leave_said(place.day)))
            # a shift she will not work (sick leave entered since): no rest, run or week's
            # hours of hers (a cover she offers on another day was refused for 57 h of 48)
            continue
        elif unavailable:
            report(place.line, place.day, place.shift, place.staff,
                   rule_break("active", _employed(member)))
        work = _shift_work(place.day, shift, place.role, seat, tz)
        timelines.setdefault(member.id, Timeline(member.limits)).add(work)
        mine.add(work.key)
        lines[work.key] = place.line
    files = roster_files(workspace) if files is None else files
    history = _add_neighbours(workspace, rules, roster, timelines, tz, files, instead)
    coverage, unfilled = _coverage(rules, roster, applied, label, role_name, timelines, tz)
    if unfilled:  # the cause first: could any roster fill them?
        problems += [Problem(label, None, shortage.describe(role_name), shortage.data())
                     for shortage in shortages(rules, expand(rules, roster.first, roster.last,
                                                             tz), history)]
    problems += coverage
    problems += [Problem(label, None, hole.describe(), hole.data())
                 for hole in roster_holes(workspace, rules, roster, tz, files)]
    for staff_id, timeline in timelines.items():
        limits = rules.member(staff_id).limits
        for work, conflict in timeline.violations(
                lambda w: w.key in mine and (places is None
                                             or (w.key[0], w.key[1], staff_id) in places)):
            report(lines.get(work.key, 0), work.key[0], work.key[1], staff_id,
                   rule_break(conflict.rule, conflict.describe(limits, work_label(rules))))
    return problems


def role_names(workspace, config=None):
    """How findings name a role: by its name in dutyctl.yaml, as `config` has it (`check`
    reads a broken file best-effort), else as that file's `roles:` say while the rest of it
    is unusable (`check` reports it and goes on to the rosters); by its id only when the file
    cannot be read at all."""
    from dutyctl.errors import DutyError

    if config is None:
        try:
            config = workspace.config
        except DutyError:
            roles = workspace.config_role_names()
            return roles.name if roles is not None else str
    return config.roles.name


def work_label(rules: Rules):
    """How a rule break names the shift it clashes with: `12月3日 周四 夜班`."""
    def label(work: Work | None) -> str:
        if work is None:
            return ""
        shift = rules.shift(work.key[1])
        return f"{day_label(work.key[0])} {shift.name if shift else work.key[1]}"
    return label


def _shift_work(day: date, shift, role: str, seat: int, tz) -> Work:
    """A place of `shift` on `day` as the rules' checks read it."""
    start, end = shift_bounds(day, shift, tz)
    start_ts, end_ts = int(start.timestamp()), int(end.timestamp())
    return Work(start_ts, end_ts, day.toordinal(), shift.night, (end_ts - start_ts) / 3600,
                (day, shift.id, role, seat), shift.on_call)


def _left_open_now(gap: Gap | None, shift, timelines: dict[str, Timeline], tz) -> Gap | None:
    """`gap` with each holder it says the generator left off (`LEFT_OPEN`) checked against the
    roster as it is now: an override since may have put them on this shift or next to it,
    and then the rule that keeps them off it is said, not that they could take it."""
    if gap is None or not gap.blocked or all(rule != LEFT_OPEN for _, rule in gap.blocked):
        return gap
    work = _shift_work(gap.day, shift, gap.role, -1, tz)
    blocked = []
    for staff, rule in gap.blocked:
        timeline = timelines.get(staff)
        conflict = timeline.conflict(work) if rule == LEFT_OPEN and timeline else None
        blocked.append((staff, blocking_rule(conflict, gap.day, shift.id) if conflict
                        else rule))
    return replace(gap, blocked=tuple(blocked))


def _coverage(rules: Rules, roster: Roster, applied, label: str, role_name,
              timelines: dict[str, Timeline], tz) -> tuple[list[Problem], bool]:
    """Each shift of the period staffed with its headcount per role, no more, no fewer;
    (problems, whether places are unfilled). A gap's reason is read against `timelines`,
    the roster as it stands now (`_left_open_now`)."""
    filled: Counter = Counter()
    first_line: dict = {}
    for place in applied.places:
        if place.staff:
            filled[(place.day, place.shift, place.role)] += 1
            first_line.setdefault((place.day, place.shift, place.role), place.line)
    gaps = {(g.day, g.shift, g.role): g for g in roster.unfilled}
    held: dict[tuple[date, str], set[str]] = {}  # the roles someone holds a place of, by shift
    for day, shift, role in filled:
        held.setdefault((day, shift), set()).add(role)
    problems = []
    unfilled = False
    for day, shift in occurrences(rules, roster.first, roster.last):
        for role in sorted(set(shift.roles) | held.get((day, shift.id), set())):
            need, have = shift.headcount(role), filled[(day, shift.id, role)]
            if have < need:
                unfilled = True
                gap = _left_open_now(gaps.get((day, shift.id, role)), shift, timelines, tz)
                reason = describe_gap(gap, rules.person, role_name) if gap else ""
                said = {"day": day_label(day), "shift": shift.name, "role": role_name(role),
                        "have": have, "need": need}
                problems.append(Problem(label, (gap.line if gap else 0) or None, t(
                    "{day} {shift} {role}: coverage: {have} of {need} filled ({why})", why=reason,
                    **said) if reason else t(
                    "{day} {shift} {role}: coverage: {have} of {need} filled", **said),
                    _place_data(COVERAGE_RULE, day, shift.id, role, need, have, gap)))
            elif have > need:
                problems.append(Problem(label, first_line.get((day, shift.id, role)), t(
                    "{day} {shift} {role}: headcount: {have} people where the rules need "
                    "{need}", day=day_label(day), shift=shift.name, role=role_name(role),
                    have=have, need=need),
                    _place_data("headcount", day, shift.id, role, need, have)))
    return problems, unfilled


#: the finding key of a shift short of its headcount or over it (json/yaml/csv)
COVERAGE_RULE = "coverage"


def _place_data(rule: str, day: date, shift: str, role: str, need: int, have: int,
                gap=None) -> dict:
    """A place short or over its headcount, for the machine formats; `blocked`: what kept
    each holder of the role from it (staff id -> rule id), when the roster says."""
    data = {"rule": rule, "date": day, "shift": shift, "role": role, "need": need,
            "have": have}
    if gap is not None and gap.blocked is not None:
        data["blocked"] = dict(gap.blocked)
    return data


def roster_holes(workspace, rules: Rules, roster: Roster, tz,
                 files: Listing | None = None) -> list[Hole]:
    """The hours of the coverage rule that nobody covers in this roster's period, with the
    neighbouring rosters' shifts (overrides applied) covering across the boundary; `files`:
    rosters/ as the caller listed it. Slots of a roster as read from its file are kept in
    the process (`cached_slots`): checking a year, each roster is also its neighbours'
    neighbour."""
    if not rules.coverage.hours:
        return []
    day_before, day_after = roster.first - timedelta(days=1), roster.last + timedelta(days=1)
    slots = list(cached_slots(roster, rules, tz))
    opened = False
    for path in files_overlapping(workspace, day_before, day_after, roster.path, files):
        other, _ = cached_roster(workspace, path)
        if other is None:
            continue
        opened = opened or other.first <= day_before <= other.last
        slots += [slot for slot in cached_slots(other, rules, tz)
                  if day_before <= slot.date <= day_after]
    return holes(rules.coverage, slots, roster.first, roster.last, tz, opened)


def _add_neighbours(workspace, rules: Rules, roster: Roster, timelines: dict, tz,
                    files: Listing, instead=None) -> dict:
    """Neighbouring rosters' shifts into the timelines; returns them (staff -> works)."""
    from dutyctl.roster.neighbours import neighbour_works

    history = neighbour_works(workspace, rules, roster.first, roster.last, skip=roster.path,
                              tz=tz, files=files, instead=instead)
    for staff_id, works in history.items():
        member = rules.member(staff_id)
        if member is None:
            continue
        timeline = timelines.setdefault(staff_id, Timeline(member.limits))
        for work in works:
            timeline.add(work)
    return history


def check_roster_file(workspace, rules: Rules, path, tz=None,
                      files: Listing | None = None, findings: bool = True,
                      config=None) -> list[Problem]:
    """A roster file's problems: what keeps it from being read, and with `findings` what a
    readable roster breaks (unfilled places, rules broken by a forced override ...);
    `config`: as check_roster takes it."""
    label = workspace.relative(path)
    roster, problems = cached_roster(workspace, path)  # parsed once per edit, as `who` reads it
    problems = list(problems)
    if roster is not None and rules.shifts and findings:
        try:
            found = list(check_roster(workspace, rules, roster, label, tz, files, config=config))
        except ProblemsFound as exc:  # a neighbouring roster cannot be read: said at its own
            return problems + exc.problems  # file, and this one's findings wait for it
        for year in range(roster.first.year, roster.last.year + 1):
            if not rules.calendar.covers(year):
                found.append(Problem(label, None, rules.calendar.uncovered(year, rules.path)))
        problems += [replace(problem, breaks_a_file=False) for problem in found]
    return problems


def calendar_reminders(workspace, rules: Rules, today: date,
                       only: Path | None = None) -> list[Problem]:
    """For each roster not over by `today` (`only`: that file alone) reaching a year only the
    rules list: the breaks the holidays package guesses there and the rules leave out, planned
    and timed as working days (generate said so once; `check` and `roster check` say it again
    until they are listed), at the roster's path."""
    found = []
    for path, first, last in roster_files(workspace):
        if first is None or last < today or (only is not None and path != only):
            continue
        found += [Problem(workspace.relative(path), None, reminder, breaks_a_file=False)
                  for reminder in rules.calendar.unlisted_guesses(first, last, rules.path)]
    return found


def check_roster_folder(workspace, config, findings: bool = True,
                        only: set[str] | None = None) -> list[Problem]:
    """rules.yaml and every roster file: what `dutyctl check` reports for rosters/ (without
    `findings`: only what keeps a file from being read, see check_roster_file; with `only`,
    file names: just those roster files are read, the others only named)."""
    rules, problems = read_rules(workspace, config)
    rules_broken = bool(problems)
    # the roles the rules need, by id: with dutyctl.yaml not even YAML, rules naming roles by
    # name (客服专员) keep those words, which no roster place has (its role is an id)
    needed = {role for shift in rules.shifts for role in shift.roles}
    unread = config is None and role_names(workspace) is str
    from dutyctl.config import DEFAULT_TIMEZONE

    tz = config.tz if config is not None else zone(rules.timezone_name or DEFAULT_TIMEZONE)
    files = roster_files(workspace)
    periods = []
    for path, first, last in files:
        label = workspace.relative(path)
        if first is None:
            from dutyctl.workspace import left_by_the_computer

            if not left_by_the_computer(path.name):  # a backup copy: `check` says it apart
                problems.append(Problem(label, None, too_long_a_name(path.stem) or t(
                    "not a roster file name: expected 2026-12.yaml or "
                    "2026-12-01_2026-12-14.yaml")))
            continue
        for other, other_first, other_last in periods:
            if first <= other_last and other_first <= last:
                problems.append(Problem(label, None, t(
                    "overlaps {other}: two rosters for the same days", other=other)))
        periods.append((label, first, last))
        if only is not None and path.name not in only:
            continue
        if not rules_broken and not (unread and not _roles_known(workspace, path, needed)):
            problems += check_roster_file(workspace, rules, path, tz, files, findings, config)
    # a roster that cannot be read is said at its own file and again by each neighbour
    # whose check waits for it (check_roster_file): once here
    return list(dict.fromkeys(problems))


def _roles_known(workspace, path, needed: set[str]) -> bool:
    """Whether the rules know each role of the roster's places. Not so when the rules name
    roles by their names and dutyctl.yaml, which maps the names to ids, cannot be read (its
    problem is told): every place would be a false finding ("不具备客服岗位")."""
    roster, _ = cached_roster(workspace, path)
    if roster is None:
        return True  # unreadable: check_roster_file says why
    return {a.role for a in roster.assignments} <= needed or not needed


def planned_by_other_rules(workspace, rules: Rules, labels) -> list[tuple[str, date, date]]:
    """(label, first, last) of each roster among `labels` (the files findings name, as listed:
    Problem.listed) that generate wrote from rules other than today's: its findings may only
    say the rules changed. A label is the path as listed: shown_path it where it is said."""
    found = []
    for path, first, last in roster_files(workspace):
        label = workspace.relative(path)
        if first is None or label not in labels or not rules.sha256:
            continue
        roster, _ = cached_roster(workspace, path)
        written = roster.generated.get("rules_sha256") if roster is not None else None
        if written and written != rules.sha256:
            found.append((label, first, last))
    return found


def _not_running(shift, day) -> str:
    """Why a place on a day its shift skips is no place, in words (days: workdays is the key
    the reader finds in the rules)."""
    if shift.rrule and day < shift.anchor:  # a Monday of 每周一、三、五 before its anchor
        return t("the shift runs from its anchor on (days: {rule}, anchor: \"{anchor}\"): that "
                 "day comes before it", rule=shift.days_written or shift.rrule,
                 anchor=shift.anchor.isoformat())
    if shift.days == "workdays":
        return t("the shift runs on working days only (days: workdays): that day is a rest day "
                 "or a holiday")
    if shift.days == "restdays":
        return t("the shift runs on rest days only (days: restdays): that day is a working day")
    return t("the shift does not run on that day (days: {rule})",
             rule=shift.days_written or shift.rrule or shift.days)


def _employed(member) -> str:
    """When a member works here, as whole words whichever end the rules give."""
    first, last = date_label(member.active_from), date_label(member.active_until)
    if not first:
        return t("employed until {last}", last=last)
    if not last:
        return t("employed from {first}", first=first)
    return t("employed {first}..{last}", first=first, last=last)
