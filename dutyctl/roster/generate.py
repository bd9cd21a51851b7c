"""`roster generate`: rules + neighbouring rosters + seed -> rosters/<period>.yaml.

Same rules, same neighbours and same seed give the same assignments. A roster carrying manual
changes (overrides, or assignments edited by hand) is never replaced without `force`, and then
the caller is told what was dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from dutyctl import notices, timeutil
from dutyctl.errors import InputError, Refused
from dutyctl.frozen import replace
from dutyctl.output import date_label
from dutyctl.commandwords import said
from dutyctl.messages import t, tn
from dutyctl.roster import capacity, cyclic, positions as positions_module, stats
from dutyctl.roster.onduty import apply_overrides, cached_roster, initial_places
from dutyctl.roster.neighbours import surroundings
from dutyctl.roster.rosterfile import (MAX_DAYS, Assignment, Gap, Override, Roster,
                                       assignments_digest, dump_roster, files_overlapping,
                                       refuse_backwards, roster_files, roster_path,
                                       write_roster)
from dutyctl.roster.rules import Rules, load_rules
from dutyctl.roster.solver import solve
from dutyctl.roster.timeline import Work
from dutyctl.roster.validate import roster_holes


@dataclass(frozen=True)
class Generated:
    path: Path
    roster: Roster
    replaced: bool
    dropped: tuple[Override, ...]
    hand_edited: bool  # the replaced roster had hand-edited assignments
    shortages: tuple = ()  # capacity.Shortage: why places stay unfilled, before the details
    holes: tuple = ()  # coverage.Hole: hours of the coverage rule nobody is on duty
    unchanged: bool = False  # the file already said exactly this: nothing written


def plan(rules: Rules, first: date, last: date, tz, seed: int,
         history: dict[str, list[Work]] | None = None, carried: list | None = None,
         ahead: date | None = None, later: bool = False,
         kept: tuple[date, list] | None = None):
    """Positions and the solution for them: the pure core of generate (benchmarks use it).
    `history`, `carried`, `ahead` and `later` as `neighbours.surroundings` gives them: the
    shifts around the period, the shifts worked earlier in the year, the last day after the
    period whose places are planned with it and not kept, whether a roster covers a later
    day of the year."""
    positions = positions_module.expand(rules, first, last, tz)
    wanted, notes = cyclic.rotation_wants(rules, positions, first, last)
    solution = solve(rules, positions, first, last, seed, history, wanted, carried,
                     places_ahead(rules, last, ahead, tz), later, _kept(positions, kept))
    solution.notes = notes + solution.notes
    if solution.reasons:
        solution.shortages = capacity.shortages(rules, positions, history)
    return positions, solution


def _kept(positions, kept: tuple[date, list] | None) -> dict[int, str | None] | None:
    """`kept` (the last day kept, and the places of a roster in use up to it: day, shift,
    role and staff): each position up to that day with who held it (None: nobody, a seat
    added since), the positions of a place in their order."""
    if kept is None:
        return None
    until, places = kept
    held: dict[tuple, list[str | None]] = {}
    for place in places:
        held.setdefault((place.day, place.shift, place.role), []).append(place.staff)
    return {i: (held.get((p.day, p.shift.id, p.role)) or [None]).pop(0)
            for i, p in enumerate(positions) if p.day <= until}


def places_ahead(rules: Rules, last: date, ahead: date | None, tz) -> list:
    """The places of the days after `last` up to `ahead`, which the solver plans with the
    period and leaves out of its solution (none without `ahead`)."""
    return positions_module.expand(rules, last + timedelta(days=1), ahead, tz) if ahead else []


def planned_ahead(rules: Rules, roster: Roster, tz, around) -> list[str | None] | None:
    """Who generate planned on the days ahead of `roster` (`places_ahead`, not kept), found by
    planning the period again against the same surroundings: the solve is deterministic. None
    without days ahead, or when that plan is not the roster's generated one (other rules,
    neighbours or seed since): what generate saw then is not known."""
    generated = roster.generated
    if around.ahead is None or generated.get("rules_sha256") != rules.sha256:
        return None
    positions, solution = plan(rules, roster.first, roster.last, tz, seed_of(roster),
                               around.history, around.carried, around.ahead, around.later)
    if assignments_digest(assignments_of(positions, solution.staff)) \
            != generated.get("assignments_sha256"):
        return None
    return solution.ahead


def seed_of(roster: Roster) -> int:
    """The seed the roster was generated with (0 when the file does not say a whole number)."""
    seed = roster.generated.get("seed")
    return seed if isinstance(seed, int) and not isinstance(seed, bool) else 0


def assignments_of(positions, staff: list[str | None]) -> tuple[Assignment, ...]:
    return tuple(Assignment(p.day, p.shift.id, p.role, person)
                 for p, person in zip(positions, staff) if person)


def check_period(rules: Rules, first: date, last: date) -> list[str]:
    """Refuses a period generate cannot plan; the reminders of months whose holidays the
    rules do not list where the package guesses some (`SiteCalendar.unlisted_guesses`), to
    say once the roster is generated (not above a refusal they are not the reason for)."""
    refuse_backwards(first, last)
    if (last - first).days + 1 > MAX_DAYS:
        raise InputError(t("a roster covers at most {days} days", days=MAX_DAYS))
    rules.calendar.require(first, last, rules.path)
    return rules.calendar.unlisted_guesses(first, last, rules.path)


def _existing(workspace, path: Path, force: bool,
              today: date) -> tuple[bool, tuple[Override, ...], bool]:
    """(replacing, overrides dropped, hand edits dropped); refuses manual changes without
    force, saying when the roster is in use that force re-plans its days begun too."""
    if not path.is_file():
        return False, (), False
    roster, problems = cached_roster(workspace, path)
    # read in part too (an override written by hand without its `at`): what was not read
    # is no hand edit `hand_edited` can see, and went without a word
    if problems and not force:
        raise Refused(lambda name: t("{path} cannot be read ({problem}): fix it, or use {force} "
                                     "to replace it", path=workspace.relative(path),
                                     problem=problems[0], force=name("force")))
    overrides = roster.overrides if roster else ()
    edited = roster.hand_edited() if roster else bool(problems)
    if (overrides or edited) and not force:
        where = workspace.relative(path)
        if overrides and edited:
            refusal = lambda name: tn(  # noqa: E731
                "{path} carries {count} manual override and hand-edited assignments: "
                "regenerating would drop them; use {force} to replace it",
                "{path} carries {count} manual overrides and hand-edited assignments: "
                "regenerating would drop them; use {force} to replace it",
                len(overrides), path=where, force=name("force"))
        elif overrides:
            refusal = lambda name: tn(  # noqa: E731
                "{path} carries {count} manual override: regenerating would drop it; use "
                "{force} to replace it", "{path} carries {count} manual overrides: "
                "regenerating would drop them; use {force} to replace it",
                len(overrides), path=where, force=name("force"))
        else:
            refusal = lambda name: t(  # noqa: E731
                "{path} carries hand-edited assignments: regenerating would drop them; use "
                "{force} to replace it", path=where, force=name("force"))
        if roster is None or roster.first > today:
            raise Refused(refusal)
        raise Refused(lambda name: t(  # in use: force would change days worked already
            "{refusal}. It is in use since {first}: {force} plans the days to come again and "
            "keeps the days already begun as they are, which attendance judges by (change one "
            "of those with 'dutyctl {override}' or 'dutyctl {swap}')", refusal=refusal(name),
            first=date_label(roster.first),
            force=name("force"), override=said("roster", "override"),
            swap=said("roster", "swap")))
    return True, overrides, edited


def generated_by(workspace, named: str | None, user: str | None) -> str | None:
    """Who a roster is recorded as generated by: `named` (a staff member by id or name,
    refused when unknown), else `user` (the desk's login) only when it is one staff member: a
    supervisor generating rules for another site is not refused for it; else nobody."""
    from dutyctl.choices import matches
    from dutyctl.people import resolve_staff, staff_ids

    if named:
        return resolve_staff(workspace, named)
    found = matches(user, staff_ids(workspace) or {}, partial=False) if user else []
    return found[0] if len(found) == 1 else None


def generate(workspace, first: date, last: date, seed: int = 0, force: bool = False,
             now: datetime | None = None, by: str | None = None) -> Generated:
    config = workspace.config
    rules = load_rules(workspace, config)
    reminders = check_period(rules, first, last)
    path = roster_path(workspace, first, last)
    listed = roster_files(workspace)  # once: the overlap check and the surroundings read it
    others = files_overlapping(workspace, first, last, skip=path, files=listed)
    if others:
        raise Refused(tn("{others} already covers part of {first}..{last}: delete it or pick "
                         "another period",
                         "{others} already cover part of {first}..{last}: delete them or pick "
                         "another period", len(others),
                         others=t(", ").join(workspace.relative(p) for p in others),
                         first=date_label(first), last=date_label(last)))
    today = (now or timeutil.now(config.tz)).date()
    # the days worked are those begun by the clock, whatever moment the month is reckoned
    # from: `--at` a week back rewrote days people had worked
    worked_until = max(today, timeutil.now(config.tz).date())
    replaced, dropped, edited = _existing(workspace, path, force, today)
    around = surroundings(workspace, rules, first, last, skip=path, files=listed)
    begun = _days_begun(workspace, path, first, worked_until) if replaced and force else None
    positions, solution = plan(rules, first, last, config.tz, seed, around.history,
                               around.carried, around.ahead, around.later,
                               begun[:2] if begun else None)
    roster = build_roster(rules, positions, solution, first, last, seed,
                          now or timeutil.now(config.tz), path, by)
    if begun:  # the changes of the days kept stay with them; only the later ones are dropped
        roster = replace(roster, overrides=begun[2])
        dropped = tuple(override for override in dropped if override.day > begun[0])
    holes = tuple(roster_holes(workspace, rules, replace(roster, path=path), config.tz, listed))
    unchanged = replaced and _same_but_when(workspace, path, roster)
    if replaced and not unchanged:
        _rewriting_the_past(workspace, path, roster, worked_until, force)
    # said of the roster generated, never above a refusal they are not the reason for
    for reminder in [*reminders, *(t("note: {note}", note=note) for note in solution.notes)]:
        notices.warn(reminder)
    if unchanged:
        return Generated(path, roster, False, (), False, tuple(solution.shortages), holes,
                         unchanged=True)
    from dutyctl.messages import commit_language

    write_roster(roster, path, commit_language(config.language))
    return Generated(path, roster, replaced, dropped, edited, tuple(solution.shortages), holes)


def _days_begun(workspace, path: Path, first: date,
                today: date) -> tuple[date, list, tuple[Override, ...]] | None:
    """The days of the roster in use at `path` begun by `today` (today's included: its day
    shift may be under way): the last of them, its places on them as generated, and its
    overrides of them (reason, who, when kept): a roster generated again with force keeps
    them as they are (people worked them, attendance judged them) and plans the days to come.
    None before the period begins."""
    current, _ = cached_roster(workspace, path)
    if current is None or today < first:
        return None
    until = min(today, current.last)
    return (until, [place for place in initial_places(current) if place.day <= until],
            tuple(override for override in current.overrides if override.day <= until))


def _rewriting_the_past(workspace, path: Path, roster: Roster, today: date,
                        force: bool) -> None:
    """A roster in use must not change its days begun (today's included) unasked: people
    clocked in against them, and attendance and reports judge by them. Refused; with `force`
    said, once the roster is written, how many places of days begun changed."""
    current, _ = cached_roster(workspace, path)
    if current is None:
        return

    def begun(assignments) -> set:  # today's too: its day shift may be under way
        return {(a.day, a.shift, a.role, a.staff) for a in assignments if a.day <= today}

    # against what the staff were told: its overrides applied (a forced roster keeps those)
    told, planned = apply_overrides(current).places, apply_overrides(roster).places
    changed = {place[:3] for place in begun(told) ^ begun(planned)}
    if changed and force:  # said with the roster's own notes, once it is written
        first = min(place[0] for place in changed)
        notices.warn(tn("{path} was in use: {count} place on a day already begun ({day}) "
                        "changed; attendance and the reports judge that day by the new roster",
                        "{path} was in use: {count} places on days already begun ({day} the "
                        "first) changed; attendance and the reports judge those days by the "
                        "new roster", len(changed), path=workspace.relative(path),
                        day=date_label(first)))
    elif changed:  # places (day, shift, role), each counted once however it changed
        first = min(place[0] for place in changed)
        raise Refused(lambda name: tn(
            "{path} is in use: generating it again would change {count} place on a day already "
            "begun ({day}); change a day with 'dutyctl {swap}' or 'dutyctl {override}', or use "
            "{force} to plan the days to come again, the days begun kept as they are",
            "{path} is in use: generating it again would change {count} places on days already "
            "begun ({day} the first); change a day with 'dutyctl {swap}' or 'dutyctl "
            "{override}', or use {force} to plan the days to come again, the days begun kept as "
            "they are", len(changed),
            path=workspace.relative(path), day=date_label(first), swap=said("roster", "swap"),
            override=said("roster", "override"), force=name("force")))


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
    assignments = assignments_of(positions, solution.staff)
    unfilled = tuple(Gap(positions[i].day, positions[i].shift.id, positions[i].role, "",
                         blocked=blocked) for i, blocked in sorted(solution.reasons.items()))
    worked = [stats.Worked(staff, p.day, p.shift.id, p.hours)
              for p, staff in zip(positions, solution.staff) if staff]
    generated = {"at": timeutil.to_iso(at), **({"by": by} if by else {}), "seed": seed,
                 "rules_sha256": rules.sha256,
                 "assignments_sha256": assignments_digest(assignments)}
    return Roster(first, last, generated, assignments, (), unfilled,
                  stats.roster_stats(rules, worked, first, last), path)
