"""`roster generate`: rules + neighbouring rosters + seed -> rosters/<period>.yaml.

Same rules, same neighbours and same seed give the same assignments. A roster carrying manual
changes (overrides, or assignments edited by hand) is never replaced without `force`, and then
the caller is told what was dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from dutyctl import timeutil
from dutyctl.errors import InputError, Problem, ProblemsFound, Refused
from dutyctl.messages import t, tn
from dutyctl.roster import capacity, cyclic, positions as positions_module, stats
from dutyctl.roster.duty import cached_roster, roster_slots
from dutyctl.roster.rosterfile import (Assignment, Gap, Override, Roster, assignments_digest,
                                       dump_roster, files_overlapping, roster_path, write_roster)
from dutyctl.roster.rules import Rules, load_rules
from dutyctl.roster.solver import solve
from dutyctl.roster.timeline import Work
from dutyctl.roster.validate import roster_holes

MAX_DAYS = 400


@dataclass(frozen=True)
class Generated:
    path: Path
    roster: Roster
    replaced: bool
    dropped: tuple[Override, ...]
    hand_edited: bool  # the replaced roster had hand-edited assignments
    notes: tuple[str, ...]
    shortages: tuple = ()  # capacity.Shortage: why places stay unfilled, before the details
    holes: tuple = ()  # coverage.Hole: hours of the coverage rule nobody is on duty
    unchanged: bool = False  # the file already said exactly this: nothing written


def neighbour_works(workspace, rules: Rules, first: date, last: date,
                    skip: Path | None = None, tz=None) -> dict[str, list[Work]]:
    """Shifts from other rosters just before and after the period (overrides applied), so rest,
    runs of days and nights, and week hours carry across the boundary."""
    reach = max([rules.limits.max_consecutive_days, rules.limits.max_nights_in_a_row]
                + [m.limits.max_consecutive_days for m in rules.staff]) + 8
    window_first, window_last = first - timedelta(days=reach), last + timedelta(days=reach)
    tz = tz or workspace.config.tz
    works: dict[str, list[Work]] = {}
    for path in files_overlapping(workspace, window_first, window_last):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        roster, problems = cached_roster(workspace, path)
        if roster is None:  # its last shifts decide who may work the first days: say so
            raise ProblemsFound(problems or [Problem(workspace.relative(path), None,
                                                     t("unreadable roster"))])
        for slot in roster_slots(roster, rules, tz):
            if slot.staff and window_first <= slot.date <= window_last \
                    and not first <= slot.date <= last:
                works.setdefault(slot.staff, []).append(work_of_slot(slot, rules))
    return works


def work_of_slot(slot, rules: Rules, seat: int = -1) -> Work:
    shift = rules.shift(slot.shift_id)
    start, end = int(slot.start.timestamp()), int(slot.end.timestamp())
    return Work(start, end, slot.date.toordinal(), bool(shift and shift.night),
                (end - start) / 3600, (slot.date, slot.shift_id, slot.role, seat),
                bool(shift and shift.on_call))


def plan(rules: Rules, first: date, last: date, tz, seed: int,
         history: dict[str, list[Work]] | None = None):
    """Positions and the solution for them: the pure core of generate (benchmarks use it)."""
    positions = positions_module.expand(rules, first, last, tz)
    wanted, notes = cyclic.rotation_wants(rules, positions, first, last)
    solution = solve(rules, positions, first, last, seed, history, wanted)
    solution.notes = notes + solution.notes
    if solution.reasons:
        solution.shortages = capacity.shortages(rules, positions, history)
    return positions, solution


def check_period(rules: Rules, first: date, last: date) -> None:
    if last < first:
        raise InputError(lambda name: t("{last_name} {last} is before {first_name} {first}",
                                        first_name=name("first"), first=first,
                                        last_name=name("last"), last=last))
    if (last - first).days + 1 > MAX_DAYS:
        raise InputError(t("a roster covers at most {days} days", days=MAX_DAYS))
    rules.calendar.require(first, last)


def _existing(workspace, path: Path, force: bool) -> tuple[bool, tuple[Override, ...], bool]:
    """(replacing, overrides dropped, hand edits dropped); refuses manual changes without
    force."""
    if not path.is_file():
        return False, (), False
    roster, problems = cached_roster(workspace, path)
    if roster is None and problems and not force:
        raise Refused(lambda name: t("{path} cannot be read ({problem}): fix it, or use {force} "
                                     "to replace it", path=workspace.relative(path),
                                     problem=problems[0], force=name("force")))
    overrides = roster.overrides if roster else ()
    edited = roster.hand_edited() if roster else bool(problems)
    if (overrides or edited) and not force:
        where = workspace.relative(path)
        if overrides and edited:
            raise Refused(lambda name: tn(
                "{path} carries {count} manual override and hand-edited assignments: "
                "regenerating would drop them; use {force} to replace it",
                "{path} carries {count} manual overrides and hand-edited assignments: "
                "regenerating would drop them; use {force} to replace it",
                len(overrides), path=where, force=name("force")))
        if overrides:
            raise Refused(lambda name: tn(
                "{path} carries {count} manual override: regenerating would drop it; use "
                "{force} to replace it", "{path} carries {count} manual overrides: "
                "regenerating would drop them; use {force} to replace it",
                len(overrides), path=where, force=name("force")))
        raise Refused(lambda name: t("{path} carries hand-edited assignments: regenerating would "
                                     "drop them; use {force} to replace it", path=where,
                                     force=name("force")))
    return True, overrides, edited


def generate(workspace, first: date, last: date, seed: int = 0, force: bool = False,
             now: datetime | None = None, by: str | None = None) -> Generated:
    config = workspace.config
    rules = load_rules(workspace, config)
    check_period(rules, first, last)
    path = roster_path(workspace, first, last)
    others = [p for p in files_overlapping(workspace, first, last) if p.resolve() != path.resolve()]
    if others:
        raise Refused(t("{others} already covers part of {first}..{last}: delete it or pick "
                        "another period", others=", ".join(workspace.relative(p) for p in others),
                        first=first, last=last))
    replaced, dropped, edited = _existing(workspace, path, force)
    history = neighbour_works(workspace, rules, first, last, skip=path, tz=config.tz)
    positions, solution = plan(rules, first, last, config.tz, seed, history)
    roster = build_roster(rules, positions, solution, first, last, seed,
                          now or timeutil.now(config.tz), path, by)
    holes = tuple(roster_holes(workspace, rules, replace(roster, path=path), config.tz))
    if replaced and _same_but_when(workspace, path, roster):
        return Generated(path, roster, False, (), False, tuple(solution.notes),
                         tuple(solution.shortages), holes, unchanged=True)
    write_roster(roster, path)
    return Generated(path, roster, replaced, dropped, edited, tuple(solution.notes),
                     tuple(solution.shortages), holes)


def _same_but_when(workspace, path: Path, roster: Roster) -> bool:
    """The file on disk is this roster but for when and by whom it was generated: rewriting
    it would only commit a new `generated.at` (and conflict with a desk that did the same)."""
    current, _ = cached_roster(workspace, path)
    return current is not None and _timeless(current) == _timeless(roster)


def _timeless(roster: Roster) -> str:
    generated = {key: value for key, value in roster.generated.items() if key not in ("at", "by")}
    return dump_roster(replace(roster, generated=generated, path=None))


def build_roster(rules: Rules, positions, solution, first: date, last: date, seed: int,
                 at: datetime, path: Path | None = None, by: str | None = None) -> Roster:
    assignments = tuple(Assignment(p.day, p.shift.id, p.role, staff)
                        for p, staff in zip(positions, solution.staff) if staff)
    unfilled = tuple(Gap(positions[i].day, positions[i].shift.id, positions[i].role, "",
                         blocked=blocked) for i, blocked in sorted(solution.reasons.items()))
    worked = [stats.Worked(staff, p.day, p.shift.id, p.hours)
              for p, staff in zip(positions, solution.staff) if staff]
    generated = {"at": timeutil.to_iso(at), **({"by": by} if by else {}), "seed": seed,
                 "rules_sha256": rules.sha256,
                 "assignments_sha256": assignments_digest(assignments)}
    return Roster(first, last, generated, assignments, (), unfilled,
                  stats.roster_stats(rules, worked, first, last), path)
