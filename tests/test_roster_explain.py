"""`roster explain` prices a place the way generate did: against the same surroundings (the
neighbouring rosters, the year-to-date carry, the days ahead), listed once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from dutyctl import notices
from dutyctl.frozen import replace
from dutyctl.roster import rosterfile
from dutyctl.roster.explain import EXCLUDED, explain
from dutyctl.roster.generate import generate, places_ahead, planned_ahead, seed_of
from dutyctl.roster.neighbours import surroundings
from dutyctl.roster.rules import load_rules
from dutyctl.roster.solver import Solver
from dutyctl.roster.timeline import blocking_rule
from tests.helpers_foundation import count_roster_listings

FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


def _generated_with_its_solver(workspace, monkeypatch, first: date, last: date):
    """Generate the period and keep the solver generate used, as it stood when done."""
    kept = []
    solve = Solver.solve

    def solve_and_keep(self):
        kept.append(self)
        return solve(self)

    monkeypatch.setattr(Solver, "solve", solve_and_keep)
    result = generate(workspace, first, last)
    monkeypatch.setattr(Solver, "solve", solve)
    (solver,) = kept
    return result, solver


def _generate_costs(solver: Solver, i: int) -> dict[str, float]:
    """What each person free to take place i would have cost generate there."""
    chosen = solver.assigned[i]
    if chosen is not None:
        solver.unassign(i)
    costs = {solver.members[s].id: round(solver.add_cost(s, i), 3)
             for s in solver.eligible[i] if solver.conflict(s, i) is None}
    if chosen is not None:
        solver.assign(chosen, i)
    return costs


def test_explain_prices_a_place_as_generate_did_with_the_year_carried(workspace, monkeypatch):
    """January leaves lina and chenjing apart in hours: February starts them from it. Explain
    a February place one of them could take: its costs are generate's, carry included."""
    generate(workspace, date(2026, 1, 1), date(2026, 1, 31))
    carried = {"lina", "chenjing"}
    around = surroundings(workspace, load_rules(workspace), *FEBRUARY)
    start = Solver(load_rules(workspace), [], *FEBRUARY, carried=around.carried)
    assert all(any(start.loads[start.index[s]]) for s in carried)  # not level after January
    _, solver = _generated_with_its_solver(workspace, monkeypatch, *FEBRUARY)
    i, expected = next((i, costs) for i in range(solver.planned)
                       if carried & set(costs := _generate_costs(solver, i)))
    place = solver.positions[i]
    explained = next(p for p in explain(workspace, place.day, place.shift.id)
                     if (p.role, p.seat) == (place.role, place.seat))
    explained = {c.staff: c.cost for c in explained.candidates if c.verdict != EXCLUDED}
    assert explained == expected


def _generate_view(solver: Solver, i: int) -> dict[str, object]:
    """Everyone with the role and free that day for place i: the rule that kept generate's
    solver from putting them there (as a roster file's `blocked` keeps it: someone on the
    shift already is `on_shift`), or what they would have cost it."""
    chosen, p = solver.assigned[i], solver.positions[i]
    if chosen is not None:
        solver.unassign(i)
    view = {}
    for s in solver.eligible[i]:
        conflict = solver.conflict(s, i)
        view[solver.members[s].id] = blocking_rule(conflict, p.day, p.shift.id) if conflict \
            else round(solver.add_cost(s, i), 3)
    if chosen is not None:
        solver.assign(chosen, i)
    return view


def test_explain_sees_the_days_ahead_as_generate_planned_them(workspace, monkeypatch):
    """Generate plans January through Sunday 02-01 (the ISO week of Saturday 01-31) and keeps
    January only. On January's last week explain finds the same people barred by the week's
    hours, rest and runs that those planned days brought, and prices the rest as generate did
    (it once left those days empty: eight places listed someone generate had excluded)."""
    result, solver = _generated_with_its_solver(workspace, monkeypatch, date(2026, 1, 1),
                                                date(2026, 1, 31))
    last_week = {i for i in range(solver.planned) if solver.positions[i].day >= date(2026, 1, 26)}
    views = {}
    checked = 0  # candidates whose detail counts their shifts (none would prove nothing)
    on_call = {shift.id for shift in solver.rules.shifts if shift.on_call}
    # shifts worked, as `roster stats` counts them: an on-call duty is none
    shifts_of = Counter(a.staff for a in result.roster.assignments if a.shift not in on_call)
    for day, shift in sorted({(solver.positions[i].day, solver.positions[i].shift.id)
                              for i in last_week}):
        explained = {(p.role, p.seat): p for p in explain(workspace, day, shift)}
        for i in (i for i in last_week if solver.positions[i].key[:2] == (day, shift)):
            place = solver.positions[i]
            views[i] = _generate_view(solver, i)
            candidates = explained[(place.role, place.seat)].candidates
            assert {c.staff: c.rule or c.cost for c in candidates
                    if c.rule not in ("roles", "leave", "active")} == views[i], place.key
            for candidate in candidates:  # the detail counts January's shifts, not days ahead
                said = re.match(r"(\d+) other shifts in the period", candidate.detail or "")
                checked += bool(said)
                if said:
                    own = shifts_of[candidate.staff] - (candidate.staff == solver.members[
                        solver.assigned[i]].id if solver.assigned[i] is not None
                        and not place.on_call else 0)
                    assert int(said[1]) == own, (place.key, candidate.staff)
    assert checked > 0
    _known_only_while_the_plan_is_the_rosters(workspace, result.roster, solver)
    for i in range(solver.planned, len(solver.positions)):  # the days ahead left empty ...
        if solver.assigned[i] is not None:
            solver.unassign(i)
    assert any(_generate_view(solver, i) != views[i] for i in last_week)  # ... would differ
    rules = workspace.rosters_dir / "rules.yaml"  # edited since: that plan is not known
    rules.write_text(rules.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    heard = []
    with notices.listening(lambda notice: heard.append(notice.text)):
        explain(workspace, date(2026, 1, 10), "night")
        assert heard == []  # its days ahead are too far to matter
        explain(workspace, date(2026, 1, 31), "night")
    assert len(heard) == 1 and "rosters/2026-01.yaml" in heard[0] and "Sat 01-31" in heard[0]
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with notices.listening(lambda notice: heard.append(notice.text)):
        explain(workspace, date(2026, 1, 31), "night")
    assert heard[1].startswith("提示：") and "1月31日 周六 之后那几天已无从得知" in heard[1]


def _known_only_while_the_plan_is_the_rosters(workspace, roster, solver: Solver) -> None:
    """Planned again, the period gives the roster's own assignments and so generate's days
    ahead; with another seed or other rules the plan is not that roster's: nothing is assumed."""
    rules = load_rules(workspace)
    around = surroundings(workspace, rules, roster.first, roster.last, skip=roster.path)
    tz = workspace.config.tz
    planned = planned_ahead(rules, roster, tz, around)
    assert planned == [solver.members[s].id if s is not None else None
                       for s in solver.assigned[solver.planned:]]
    assert len(planned) == len(places_ahead(rules, roster.last, around.ahead, tz)) > 0
    assert any(planned)
    reseeded = replace(roster, generated={**roster.generated, "seed": 7})
    assert planned_ahead(rules, reseeded, tz, around) is None
    assert planned_ahead(replace(rules, sha256="0" * 64), roster, tz, around) is None
    for unreadable in ("seven", True, 1.5):  # a hand edit: the plan of seed 0, no traceback
        assert seed_of(replace(roster, generated={**roster.generated, "seed": unreadable})) == 0


def test_surroundings_read_one_listing_and_skip_the_period_itself(workspace, monkeypatch):
    """Neighbours, carry and days ahead all come from the listing passed down: generate lists
    rosters/ once."""
    rules = load_rules(workspace)
    generate(workspace, date(2026, 1, 1), date(2026, 1, 31))
    generate(workspace, *FEBRUARY)
    listed = rosterfile.roster_files(workspace)
    february = rosterfile.roster_path(workspace, *FEBRUARY)
    monkeypatch.setattr(rosterfile, "roster_files", lambda _: pytest.fail("listed again"))
    around = surroundings(workspace, rules, date(2026, 3, 1), date(2026, 3, 31), files=listed)
    assert {w.day.month for w in around.carried} == {1, 2}
    assert {w.key[0].month for works in around.history.values() for w in works} == {2}
    assert around.ahead == date(2026, 4, 5)  # Tuesday 03-31's ISO week ends on Sunday 04-05
    again = surroundings(workspace, rules, *FEBRUARY, skip=february, files=listed)
    assert {w.day.month for w in again.carried} == {1}
    assert {w.key[0].month for works in again.history.values() for w in works} == {1}
    listed_without_january = [entry for entry in listed if entry[1].month != 1]
    alone = surroundings(workspace, rules, *FEBRUARY, skip=february,
                         files=listed_without_january)
    assert alone.carried == [] and alone.history == {}


def test_generate_lists_rosters_once(workspace, monkeypatch):
    generate(workspace, date(2026, 1, 1), date(2026, 1, 31))
    calls = count_roster_listings(monkeypatch, ("rosterfile", "generate", "neighbours",
                                                "validate"))
    generate(workspace, *FEBRUARY)
    assert len(calls) == 1
