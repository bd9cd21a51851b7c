"""`roster explain DATE SHIFT`: for each place on that shift, every candidate and either the
rule that excluded them or their cost, so the supervisor sees why the chosen person won.

Costs are the solver's own: the rise in the objective J if that person took the place, given
the rest of the roster as it stands (overrides applied) and what generate planned it against
(`neighbours.surroundings`: the neighbouring rosters, the year-to-date carry, the days ahead).
Lower is fairer. Generate planned the days ahead with the period and kept none of it: on the
days whose rest, runs and week hours reach them, explain plans the period again the same way
(`generate.planned_ahead`: one deterministic solve, checked against the roster's recorded
assignments) and puts those people back, so whoever generate excluded for a shift it planned
ahead is excluded here too. When the rules, neighbours or seed have changed since, that plan is
not known and the days ahead stay empty.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from dutyctl import notices
from dutyctl.errors import NotFound
from dutyctl.messages import NP_, pgettext, t
from dutyctl.output import day_label
from dutyctl.roster import positions as positions_module
from dutyctl.roster.capacity import shortages
from dutyctl.roster.cyclic import rotation_wants
from dutyctl.roster.onduty import apply_overrides
from dutyctl.roster.edits import roster_for, shift_named
from dutyctl.roster.generate import places_ahead, planned_ahead, seed_of
from dutyctl.roster.neighbours import reach, surroundings
from dutyctl.roster.rosterfile import roster_files
from dutyctl.roster.rules import ON_THIS_SHIFT, load_rules, rule_label
from dutyctl.roster.solver import Solver
from dutyctl.roster.timeline import blocking_rule, sum_in_order
from dutyctl.roster.validate import work_label
from dutyctl.timeutil import local_time

EXCLUDED, ELIGIBLE, CHOSEN = "excluded", "eligible", "chosen"
#: on the place, though a rule excludes them (a leave added after the roster was made)
AGAINST_A_RULE = "chosen-against-a-rule"
#: The verdicts in words, for the table (json/yaml/csv keep the ids).
VERDICT_WORDS = {EXCLUDED: NP_("verdict", "excluded"), ELIGIBLE: NP_("verdict", "eligible"),
                 CHOSEN: NP_("verdict", "chosen"),
                 AGAINST_A_RULE: NP_("verdict", "holds it against the rule")}
#: What changed a place by hand (rosterfile.KINDS), in words.
CHANGE_WORDS = {"override": NP_("roster change", "override"), "swap": NP_("roster change", "swap")}


@dataclass(frozen=True)
class Candidate:
    staff: str
    name: str
    verdict: str  # chosen | eligible | excluded
    rule: str  # the rule that excluded them, "" otherwise
    detail: str
    cost: float | None


@dataclass(frozen=True)
class PlaceExplanation:
    role: str
    seat: int
    staff: str | None
    why: str
    candidates: tuple[Candidate, ...]
    capacity: tuple = ()  # capacity.Shortage of the place's role, when it stays unfilled


def explain(workspace, day: date, shift_id: str) -> list[PlaceExplanation]:
    rules = load_rules(workspace)
    shift = shift_named(rules, shift_id)
    listed = roster_files(workspace)
    roster = roster_for(workspace, day, listed)
    tz = workspace.config.tz
    positions = positions_module.expand(rules, roster.first, roster.last, tz)
    targets = [i for i, p in enumerate(positions) if p.day == day and p.shift.id == shift_id]
    if not targets:
        raise NotFound(t("the {shift} shift does not run on {day}", shift=shift.name,
                         day=day_label(day)))
    # what generate planned the period against, so the costs are the ones it weighed
    around = surroundings(workspace, rules, roster.first, roster.last, skip=roster.path,
                          files=listed)
    solver = Solver(rules, positions, roster.first, roster.last, seed_of(roster),
                    around.history, around.carried,
                    places_ahead(rules, roster.last, around.ahead, tz), around.later)
    overrides = _load_roster(solver, positions, roster)
    if around.ahead and day > roster.last - timedelta(days=reach(rules)):  # they can bar
        _load_ahead(workspace, solver, roster, planned_ahead(rules, roster, tz, around))
    wanted, _ = rotation_wants(rules, positions, roster.first, roster.last)
    role_name = workspace.config.roles.name
    places = [_explain_place(solver, i, overrides.get(i), wanted.get(i), role_name, tz)
              for i in targets]
    if any(place.staff is None for place in places):  # the cause first, as generate says it
        short = shortages(rules, positions, around.history)
        places = [_with_capacity(place, short, role_name, day) for place in places]
    return places


def _with_capacity(place: PlaceExplanation, short, role_name, day: date) -> PlaceExplanation:
    mine = tuple(s for s in short if place.role in s.roles and (
        s.week is None or s.week <= day < s.week + timedelta(days=7)))  # a week short: its own
    if place.staff is not None or not mine:
        return place
    return replace(place, why=t("; ").join([s.describe(role_name) for s in mine] + [place.why]),
                   capacity=mine)


def _load_roster(solver: Solver, positions, roster) -> dict:
    """Put the roster's people (overrides applied) into the solver; returns the override that
    placed each position's person, if any."""
    free = {}
    for i, p in enumerate(positions):
        free.setdefault((p.day, p.shift.id, p.role), []).append(i)
    overrides = {}
    for place in apply_overrides(roster).places:
        slots = free.get((place.day, place.shift, place.role))
        s = solver.index.get(place.staff) if place.staff else None
        if not slots or s is None:
            continue
        i = slots.pop(0)
        solver.assign(s, i)
        if place.override is not None:
            overrides[i] = place.override
    solver.log.clear()
    return overrides


def _load_ahead(workspace, solver: Solver, roster, planned: list[str | None] | None) -> None:
    """Put whom generate planned on the days ahead into the solver; when that is not known,
    say so: the last days are then explained without them."""
    if planned is None:
        notices.warn(t("note: generating {path} again would not give it (the rules, the "
                       "neighbouring rosters or the seed changed since): the days after {last} "
                       "that generate planned with it are not known, and its last days are "
                       "explained without them", path=workspace.relative(roster.path),
                       last=day_label(roster.last)))
    for k, staff in enumerate(planned or ()):
        if staff in solver.index:
            solver.assign(solver.index[staff], solver.planned + k)
    solver.log.clear()


def _explain_place(solver: Solver, i: int, override, wanted, role_name,
                   tz) -> PlaceExplanation:
    position = solver.positions[i]
    chosen = solver.assigned[i]
    if chosen is not None:
        solver.unassign(i)
    rows = [_candidate(solver, s, i, s == chosen, role_name) for s in range(len(solver.members))]
    if chosen is not None:
        solver.assign(chosen, i)
    solver.log.clear()
    order = {AGAINST_A_RULE: 0, CHOSEN: 0, ELIGIBLE: 1, EXCLUDED: 2}
    rows.sort(key=lambda c: (order[c.verdict], c.cost if c.cost is not None else 0.0, c.staff))
    staff = solver.members[chosen].id if chosen is not None else None
    return PlaceExplanation(position.role, position.seat, staff,
                            _why(solver.rules, rows, staff, override, wanted, tz), tuple(rows))


def _candidate(solver: Solver, s: int, i: int, is_chosen: bool, role_name) -> Candidate:
    member = solver.members[s]
    position = solver.positions[i]
    # the period's own loads: the detail says "in the period", the carried year is in the cost
    load = [now - before for now, before in zip(solver.loads[s], solver.carried[s])]
    if position.role not in member.roles:
        return Candidate(member.id, member.name, AGAINST_A_RULE if is_chosen else EXCLUDED, "roles",
                         t("not a {role}", role=role_name(position.role)), None)
    unavailable = member.unavailable_reason(position.day)
    if unavailable:
        detail = member.leave_said(position.day) if unavailable == "leave" \
            else t("not active that day")
        return Candidate(member.id, member.name, AGAINST_A_RULE if is_chosen else EXCLUDED, unavailable,
                         detail, None)
    conflict = solver.conflict(s, i)
    if conflict is not None:
        rule = blocking_rule(conflict, position.day, position.shift.id)
        if rule == ON_THIS_SHIFT:  # not a clash of two shifts: a second seat
            detail = t("already holds another place on this shift ({role})",
                       role=role_name(conflict.other.role))
        else:
            detail = conflict.describe(member.limits, work_label(solver.rules))
        return Candidate(member.id, member.name, AGAINST_A_RULE if is_chosen else EXCLUDED,
                         rule, detail, None)
    cost = solver.add_cost(s, i)
    # not the days ahead put back; an on-call duty is no shift worked nor hours on site, as
    # `roster stats` counts them (its own count follows)
    held = [j for j in solver.held[s] if j < solver.planned and not solver.positions[j].on_call]
    from dutyctl.output import half_up  # hours as every screen rounds them

    said = {"shifts": len(held),
            "hours": half_up(sum_in_order(solver.positions[j].hours for j in held), 1),
            "nights": load[1], "weekends": load[2], "holidays": load[3], "on_call": load[4],
            "capacity": solver.capacity[s]}
    preference = solver.pref.get((s, i), 0.0)
    if preference:
        detail = t("{shifts} other shifts in the period: {hours:g}h, {nights:g} nights, "
                   "{weekends:g} weekend, {holidays:g} holiday, {on_call:g} on call; capacity "
                   "{capacity:.2f}; preference {preference:+g}", preference=preference, **said)
    else:
        detail = t("{shifts} other shifts in the period: {hours:g}h, {nights:g} nights, "
                   "{weekends:g} weekend, {holidays:g} holiday, {on_call:g} on call; capacity "
                   "{capacity:.2f}", **said)
    return Candidate(member.id, member.name, CHOSEN if is_chosen else ELIGIBLE, "", detail,
                     round(cost, 3))


def _why(rules, rows: list[Candidate], staff: str | None, override, wanted, tz) -> str:
    """Why the place holds whom it holds, naming people, not ids; times in the site's zone."""
    if override is not None:
        kind = pgettext(*CHANGE_WORDS[override.kind]) if override.kind in CHANGE_WORDS \
            else override.kind
        said = {"kind": kind, "by": rules.person(override.by), "reason": override.reason,
                "at": local_time(override.at, tz)}
        if override.forced:
            return t("{kind} by {by} at {at}: {reason}, forced past the hard rules", **said)
        return t("{kind} by {by} at {at}: {reason}", **said)
    if staff is None:  # (said after "unfilled")
        free = [c for c in rows if c.verdict == ELIGIBLE]
        if free:  # the generator left it open, or the roster changed since
            return t("{names} could take it without breaking a rule: 'dutyctl roster "
                     "override' fills it", names=t(", ").join(rules.person(c.staff)
                                                               for c in free))
        return t("every candidate is excluded by a rule")
    if wanted is not None and wanted[0] == staff:
        return t("rotation {rotation}: it is {staff}'s turn", rotation=wanted[1],
                 staff=rules.person(staff))
    chosen = next(c for c in rows if c.staff == staff)
    if chosen.cost is None:
        return t("{staff} holds the place against a hard rule: {rule} (the rules changed after "
                 "the roster was made, a change was forced past them nearby, or it was edited "
                 "by hand): 'dutyctl roster override' gives the place to someone else",
                 staff=rules.person(staff),
                 rule=rule_label(chosen.rule))
    others = [c for c in rows if c.verdict == ELIGIBLE]
    if not others:
        return t("the only candidate no rule excludes")
    best = min(others, key=lambda c: c.cost)
    if chosen.cost <= best.cost + 1e-9:
        return t("lowest cost among {count} feasible candidates: the fairest load after this "
                 "shift (next: {next} at {cost:g})", count=len(others) + 1,
                 next=rules.person(best.staff), cost=best.cost)
    return t("not the cheapest now ({next} costs {cost:g}): placed by a swap that evened out "
             "the month as a whole", next=rules.person(best.staff), cost=best.cost)
