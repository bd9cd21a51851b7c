"""Short-staffed months: bounded effort, the coverage kept, and the capacity diagnosis that
generate, `roster check` and `roster explain` give before the per-place reasons."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, timedelta

import pytest

from dutyctl.roster import positions as positions_module
from dutyctl.roster.capacity import shortages
from dutyctl.roster.generate import plan
from dutyctl.roster.rules import load_rules
from tests.conftest import run_dutyctl
from tests.helpers_roster import (SHANGHAI, parse, rules_text, template_rules,
                                  write_rules)

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


def _plan(workspace, text: str):
    write_rules(workspace, text)
    rules = load_rules(workspace)
    positions, solution = plan(rules, *DECEMBER, SHANGHAI, 0)
    return rules, positions, solution


def test_short_staffed_month_takes_no_more_effort_than_a_staffed_one(workspace):
    """At most twice the staffed work. With 3 day seats the rescue's deeper chains (a few
    places the week's capacity allows) fill two places and spend the rest of their effort on
    a third none fills: no more than the whole repair's effort, where a fixed 25,000 checks
    made the month 2.8x the staffed one's work."""
    for need in (3, 10):
        _, _, short = _plan(workspace, template_rules(need))
        _, _, staffed = _plan(workspace, template_rules(need, 3 * need))
        assert staffed.reasons == {}  # enough staff: everything filled
        assert short.reasons  # not enough: places stay open
        assert short.work <= 2 * staffed.work, (need, short.work, staffed.work)




@pytest.mark.parametrize("shift, role, need", [("night", "service", 3),
                                               ("day", "technician", 2)])
def test_other_mistyped_headcounts_take_no_more_effort_than_the_month_staffed(
        tmp_path, shift, role, need):
    """Other headcounts of the `init` rules raised (`benchmarks/headcount_bench.py`'s
    workspaces): at most twice the work of the same month with enough staff. A third night
    seat and a second technician's day leave three and four later seats the rescue's deeper
    chains cannot fill; they share the repair's effort (1.45x and 1.54x the staffed work;
    5.1x and 11.4x when each had 25,000 checks, 2.2x and 3.4x when each had that effort)."""
    from benchmarks.headcount_bench import workspace

    plans = []
    for folder, extra in (("short", 0), ("staffed", 3 * need)):
        rules = load_rules(workspace(tmp_path / folder, need, extra, shift, role))
        plans.append(plan(rules, *DECEMBER, SHANGHAI, 0)[1])
    short, staffed = plans
    assert staffed.reasons == {} and short.reasons
    assert short.work <= 2 * staffed.work, (short.work, staffed.work)

def test_a_rescued_shift_with_nobody_keeps_the_whole_rescue_allowance(tmp_path):
    """The rescue's deeper chains are held to the repair's effort only for a later seat of
    a shift someone already holds; a shift with nobody keeps RESCUE_BUDGET. The `init` rules
    with one clerk at 40 h a week, generated month by month to March, seed 4: 1 March's
    night is staffed only by a chain of more checks than the repair's effort (held to it,
    it stayed with nobody)."""
    import yaml

    from dutyctl.roster.generate import generate
    from dutyctl.workspace import Workspace, init_workspace

    init_workspace(tmp_path)
    path = tmp_path / "rosters" / "rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    (chenjing,) = [member for member in rules["staff"] if member["id"] == "chenjing"]
    chenjing["max_hours_per_week"] = 40
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    workspace = Workspace(tmp_path)
    for first, last in ((date(2026, 1, 1), date(2026, 1, 31)),
                        (date(2026, 2, 1), date(2026, 2, 28)),
                        (date(2026, 3, 1), date(2026, 3, 31))):
        roster = generate(workspace, first, last, seed=4).roster
    night = [a.staff for a in roster.assignments
             if a.day == date(2026, 3, 1) and a.shift == "night" and a.role == "service"]
    assert night and night[0]

def test_short_staffed_month_keeps_coverage_close_to_what_capacity_allows(workspace):
    rules, positions, solution = _plan(workspace, template_rules(3))
    (service,) = [s for s in solution.shortages if s.role == "service"]
    filled = sum(p.hours for p, who in zip(positions, solution.staff)
                 if who and p.role == "service")
    assert service.most < service.needed
    assert filled >= 0.9 * service.most  # the bound ignores rest and runs: it is optimistic
    nights = [who for p, who in zip(positions, solution.staff) if p.shift.id == "night"]
    assert nights.count(None) <= 2  # the lone night seat goes before the third day seat


def _benchmark_plan(name: str, fraction: float | None, seed: int = 0):
    from benchmarks.roster_instances import INSTANCES, short_staffed

    instance = INSTANCES[name]()
    if fraction is not None:
        instance = short_staffed(instance, fraction)
    rules = parse(instance.rules_text)
    positions, solution = plan(rules, instance.first, instance.last, SHANGHAI, seed)
    return rules, positions, solution


def test_week_bound_is_each_weeks_limit_and_its_shifts():
    from dutyctl.roster.capacity import week_most

    text = rules_text("""\
        - {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 2}}
        """, """\
        - {id: a, name: 阿, roles: [service], max_hours_per_week: 30}
        - {id: b, name: 贝, roles: [service], leave: [{from: "2026-12-08", to: "2026-12-12"}]}
        """, "max_hours_per_week: 48\nmax_consecutive_days: 6\n")
    rules = parse(text)
    first, last = date(2026, 11, 30), date(2026, 12, 13)
    positions = positions_module.expand(rules, first, last, SHANGHAI)
    most = week_most(rules, "service", positions)
    # week 1: a 30 h (limit), b 48 h (limit, 6 days of 12 h would be 72); week 2: b has
    # Monday and Sunday only (24 h)
    assert most == {first.toordinal(): 78.0, date(2026, 12, 7).toordinal(): 54.0}
    history = {"a": [_work(first, 20)]}  # a worked 20 h of that week in another roster
    assert week_most(rules, "service", positions, history)[first.toordinal()] == 58.0


def test_repair_spends_its_effort_on_places_the_week_capacity_leaves_room_for():
    """S at three quarters of its staff: weeks packed to the last hour (8 staff x 40 h) leave
    open places no chain can fill; repair does not try them, and the rescue counts only the
    places it may fill (before, the 27 ruled out made 31 open places, over its 4, and it never
    ran). 188 places fill on every seed 0-4 (182 before the capacity bound, 186 before the
    rescue counted right), and every place left open is one its week's capacity rules out."""
    from dutyctl.roster.solver import Solver

    rules, positions, solution = _benchmark_plan("S", 0.75)
    assert sum(1 for staff in solution.staff if staff) >= 188
    solver = Solver(rules, positions, positions[0].day, positions[-1].day)
    for i, staff in enumerate(solution.staff):
        if staff:
            solver.assign(solver.index[staff], i)
    ruled_out = [i for i, staff in enumerate(solution.staff)
                 if staff is None and not solver.may_fill(i)]
    assert len(ruled_out) == solution.staff.count(None) == 29


def test_short_staffed_s_takes_less_than_twice_the_staffed_work():
    """Deterministic effort (checks and cost evaluations), S against S at three quarters of
    its staff (seed 0, the benchmark's): 2.67x at first (repair on places capacity rules out,
    a second improving round retrying every refused swap, trades through open places nobody
    took); 2.56x once the rescue ran, after a two-step chain had spent its whole budget on a
    place the rescue's deeper chain then filled, and with swaps tried where a shift the
    receiver keeps clashes with the place by rest or overlap; 1.97x then, 188 places filled
    (seeds 1-4: 1.75-2.35x, 2.33-2.94x before); 1.98x now that the raise searches changes
    between shifts (weekend shifts 1 -> 0 apart)."""
    _, _, staffed = _benchmark_plan("S", None)
    _, _, short = _benchmark_plan("S", 0.75)
    assert sum(1 for staff in short.staff if staff) >= 188
    assert short.work <= 2 * staffed.work, (short.work, staffed.work)


def test_s_at_half_its_staff_takes_less_than_twice_the_staffed_work():
    """Seeds 1 and 4 (the benchmark's S at half its staff): 2.04x and 2.01x the staffed S's
    checks while augment's wider chains (since left out) searched each day of a shift's
    week after its first day's search had failed on the same roster; 1.99x and 1.90x then,
    1.96x and 1.88x now (a chain's search no longer undoes the places it tried and gave
    back), the same places filled."""
    for seed, places in ((1, 119), (4, 119)):
        _, _, staffed = _benchmark_plan("S", None, seed)
        _, _, short = _benchmark_plan("S", 0.5, seed)
        assert sum(1 for staff in short.staff if staff) >= places
        assert short.work <= 2 * staffed.work, (seed, short.work, staffed.work)


def test_s_at_half_its_staff_seed_3_takes_less_than_twice_the_staffed_work():
    """Augment's re-packs by three only where no two of the three have the hours left for
    the shortest open place (what a third person adds is hours): seed 3 spent 3,588 checks
    re-packing its last week by threes, where each had a whole shift's hours left and rest
    and runs kept them from one more place. 2.06x the staffed S's checks before, 1.78x
    now, the same roster (118 places)."""
    _, _, staffed = _benchmark_plan("S", None, 3)
    _, _, short = _benchmark_plan("S", 0.5, 3)
    assert sum(1 for staff in short.staff if staff) >= 118
    assert short.work <= 2 * staffed.work, (short.work, staffed.work)


def test_s_at_half_its_staff_seed_2_takes_less_than_twice_the_staffed_work():
    """Seed 2: 2.31x the staffed S's checks while the repair spent its whole effort on
    one-step chains none of which could fill a place (6,170 checks: nobody could take a
    place another held) and a mend of the cover's ran every levelling search for weekends
    three apart past its effort's end (5,218 checks); 1.90x without the repair, 1.60x now
    that each search of a cover mend's levelling step starts only within the cover's
    effort, the same 118 places (and the same rosters)."""
    _, _, staffed = _benchmark_plan("S", None, 2)
    _, _, short = _benchmark_plan("S", 0.5, 2)
    assert sum(1 for staff in short.staff if staff) >= 118
    assert short.work <= 1.8 * staffed.work, (short.work, staffed.work)


def _counting_repairs(monkeypatch) -> list[int]:
    """From now on, the checks each repair spends, appended to the list returned."""
    from dutyctl.roster.solver import Solver

    spent: list[int] = []
    repair = Solver.repair

    def counted(self):
        before = self.checks
        repair(self)
        spent.append(self.checks - before)

    monkeypatch.setattr(Solver, "repair", counted)
    return spent


def _repair_checks(monkeypatch, name: str, fraction: float):
    """(places filled, the checks each repair of the solve spent) on a benchmark instance."""
    spent = _counting_repairs(monkeypatch)
    _, _, short = _benchmark_plan(name, fraction)
    return sum(1 for staff in short.staff if staff), spent


def _month_alone(monkeypatch, rules, first: date, last: date, ahead: date):
    """A function planning first..last alone (the days to `ahead` planned with it), seed 0:
    its solution and the checks its repairs spent."""
    spent = _counting_repairs(monkeypatch)

    def month():
        spent.clear()
        _, solution = plan(rules, first, last, SHANGHAI, 0, ahead=ahead)
        return solution, sum(spent)

    return month


def test_no_repair_where_no_one_step_chain_can_fill_a_place(monkeypatch):
    """S at half its staff, seed 0: after the greedy nobody can take a place another holds,
    so a one-step chain fills nothing; the repair spent 6,170 checks on them (no place
    filled, nor on seeds 1-4), now only the ~1,000 that show it, and the roster is the
    same."""
    filled, spent = _repair_checks(monkeypatch, "S", 0.5)
    assert filled >= 118
    assert spent and sum(spent) <= 1500, spent


def test_no_repair_where_its_effort_runs_out_before_a_one_step_chain_can_fill(monkeypatch):
    """M at half its staff, seed 0: some held places could go to someone else, but none a
    blocked candidate gives up for an open place before the one place a one-step chain
    fills (the last day's second day guard); the repair spent its whole effort (12,826
    checks) on 33 places before it, none filled, now only the ~1,300 that show it, and the
    roster is the same (674 places then; 675 since a shift with nobody is seated coverage
    first)."""
    filled, spent = _repair_checks(monkeypatch, "M", 0.5)
    assert filled >= 674
    assert spent and sum(spent) <= 2000, spent


def test_no_repair_where_a_chain_s_offers_of_the_places_given_up_use_up_its_effort(
        monkeypatch):
    """M at three quarters of its staff, October generated first: every one-step chain frees
    its candidate and then finds nobody for the places given up. `_one_step` counted those
    offers as nothing (about 220 checks a place where the repair spent 850), so the proof
    reached a place a chain may fill within the effort and the repair ran, spending its
    whole effort (9,269 checks) filling nothing; now the offers are counted (`_offers`), the
    repair is given up after ~700 checks and the roster is the one the full repair leaves."""
    from benchmarks.roster_instances import medium, short_staffed
    from dutyctl.roster.solver import Solver

    october = _month_alone(monkeypatch, parse(short_staffed(medium(), 0.75).rules_text),
                           date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 1))
    proven, proof = october()
    monkeypatch.setattr(Solver, "_stuck", lambda self, order: False)
    full, whole = october()
    assert proof <= 1000 < 8000 <= whole, (proof, whole)
    assert (proven.staff, proven.ahead) == (full.staff, full.ahead)
    assert sum(1 for staff in proven.staff if staff) >= 331


def test_no_repair_after_a_place_it_filled_where_the_rest_would_fill_nothing(monkeypatch):
    """S at half its staff, November generated first: the repair's first place, a first
    seat of the days ahead, fills in 30 checks; the rest of its one-step pass then spent the
    whole effort (6,534 checks in all) on second seats none fills. Proven again after that
    fill of a place ahead (`_stuck` over the rest of the pass), the repair stops there:
    ~300 checks, and the roster and the days ahead are the ones the whole pass leaves."""
    from benchmarks.roster_instances import short_staffed, small
    from dutyctl.roster.solver import Solver

    instance = short_staffed(dataclasses.replace(small(), first=date(2026, 11, 1)), 0.5)
    november = _month_alone(monkeypatch, parse(instance.rules_text), date(2026, 11, 1),
                            date(2026, 11, 30), date(2026, 12, 6))
    proven, proof = november()
    proofs, stuck = [], Solver._stuck

    def at_the_start_only(self, order):  # the first proof of the solve: before any fill
        proofs.append(order)
        return stuck(self, order) if len(proofs) == 1 else False

    monkeypatch.setattr(Solver, "_stuck", at_the_start_only)
    whole, spent_whole = november()
    assert len(proofs) > 1  # proven again after the fill
    assert proof <= 500 < 6000 <= spent_whole, (proof, spent_whole)
    assert (proven.staff, proven.ahead) == (whole.staff, whole.ahead)


#: 3 service staff for a day and an office shift of 2 each: the repair's one-step chains fill
#: nothing, with effort left that a two-person exchange fills places with
TWO_PERSON_EXCHANGE = """\
calendar: {country: CN}
shifts:
  - {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 2}}
  - {id: office, name: 办公, start: "09:00", end: "17:00", days: daily, need: {service: 2}}
staff:
  - {id: p00, name: p00, roles: [service]}
  - {id: p01, name: p01, roles: [service], max_hours_per_week: 30, leave: [{from: "2026-12-05", to: "2026-12-22"}]}
  - {id: p02, name: p02, roles: [service], max_hours_per_week: 36}
constraints: {max_hours_per_week: 40, min_rest_hours: 8, max_consecutive_days: 5}
"""


def test_the_repair_is_given_up_only_where_it_would_have_filled_nothing(monkeypatch):
    """`_stuck` is exact: the same roster as the repair run in full where it gives the repair
    up (S at half its staff); where the proof finds a place a chain may fill or effort left
    (S at a quarter; the exchange, whose left effort fills a place through two people
    exchanging places: given up, its roster differs), the repair runs."""
    from dutyctl.roster.solver import Solver

    def staff(rules, first, last, seed=0):
        return plan(rules, first, last, SHANGHAI, seed)[1].staff

    from benchmarks.roster_instances import short_staffed, small

    cases = [(parse(TWO_PERSON_EXCHANGE), *DECEMBER)]
    for fraction in (0.25, 0.5):
        instance = short_staffed(small(), fraction)
        cases.append((parse(instance.rules_text), instance.first, instance.last))
    said, stuck = [], Solver._stuck

    def told(self, order):
        said.append(stuck(self, order))
        return said[-1]

    monkeypatch.setattr(Solver, "_stuck", told)
    proven = []
    for case in cases:
        said.clear()
        proven.append(staff(*case))
        proven[-1] = (proven[-1], said[0])
    # given up at half the staff only: at a quarter and in the exchange the effort lasts
    assert [given_up for _, given_up in proven] == [False, False, True]
    monkeypatch.setattr(Solver, "_stuck", lambda self, order: False)
    assert [roster for roster, _ in proven] == [staff(*case) for case in cases]
    # the exchange needs the repair
    monkeypatch.setattr(Solver, "_stuck", lambda self, order: True)
    assert staff(*cases[0]) != proven[0][0]


def test_a_place_proven_beyond_a_one_step_chain_is_not_filled_by_one_at_its_cost():
    """`_one_step`'s bound: a one-step chain for such a place fails, spending at least the
    checks it says (what `_stuck` takes off the repair's effort)."""
    solver = _stuck_week()
    known: dict[int, bool] = {}
    open_places = [i for i in solver.active if solver.assigned[i] is None]
    assert open_places
    for i in open_places:
        least = solver._one_step(i, known)
        assert least is not None
        before = solver.checks
        assert not solver._place(i, 1, {i}, [before + 10 ** 9])
        assert solver.checks - before >= least
        assert solver.assigned[i] is None
    assert _filled_lawfully(solver) == 12


@pytest.mark.parametrize("name, fraction, period, ahead", [
    ("M", 0.75, (date(2026, 10, 1), date(2026, 10, 31)), date(2026, 11, 1)),
    ("S", 0.5, (date(2026, 12, 1), date(2026, 12, 31)), None),
    ("L", 0.75, (date(2026, 1, 1), date(2026, 1, 31)), date(2026, 2, 1)),
])
def test_a_place_s_proven_bound_is_never_more_than_its_chain_spends(monkeypatch, name,
                                                                   fraction, period, ahead):
    """`_one_step`'s bound on benchmark months, at the repair: for every place it gives a
    count for, a one-step chain (`_place(i, 1)`) fills nothing and spends at least that
    count (the offers of the places given up included, `_offers`), so `_stuck` never gives
    up a repair that would fill a place; and the bound is near what is spent (a quarter of
    it, before the offers were counted, left the proof reaching places a chain may fill).
    A bound summing the offers' two cases instead of taking the lesser breaks it on L."""
    from benchmarks.roster_instances import INSTANCES, short_staffed
    from dutyctl.roster.solver import Solver

    rules = parse(short_staffed(INSTANCES[name](), fraction).rules_text)
    bounds, repair = [], Solver.repair

    def proven(self):
        if not bounds:
            known: dict[int, bool] = {}
            for i in [i for i in self._left_open() if self.may_fill(i)][:60]:
                least = self._one_step(i, known)
                if least is None:
                    continue
                mark, before = len(self.log), self.checks
                assert not self._place(i, 1, {i}, [before + 10 ** 9])
                bounds.append((least, self.checks - before))
                self.rollback(mark)
            self.log.clear()
        repair(self)

    monkeypatch.setattr(Solver, "repair", proven)
    plan(rules, *period, SHANGHAI, 0, ahead=ahead)
    assert len(bounds) >= 20
    assert all(least <= spent for least, spent in bounds), bounds
    assert sum(least for least, _ in bounds) >= 0.7 * sum(spent for _, spent in bounds)


def test_s_at_three_quarters_of_its_staff_seed_2_takes_less_than_twice_the_staffed_work():
    """Seed 2: 2.06x the staffed S's checks while the rescue's deeper chains ended on places
    nobody but their holder could take (most of its 4,916 checks for 2 places); 1.93x now,
    the same 188 places filled."""
    _, _, staffed = _benchmark_plan("S", None, 2)
    _, _, short = _benchmark_plan("S", 0.75, 2)
    assert sum(1 for staff in short.staff if staff) >= 188
    assert short.work <= 2 * staffed.work, (short.work, staffed.work)


def test_s_at_three_quarters_of_its_staff_seeds_1_and_3_take_less_than_twice_the_staffed_work():
    """Levelling's weekends two or more apart: the stretches of every length tried right
    after the trades, before the sheds, gains and re-counts that found nothing there (one
    step of seed 1: 12,351 checks, 9,276 of them theirs). Seeds 1 and 3: 2.65x and 2.54x the
    staffed S's checks before, 1.92x and 1.84x now, the same rosters (188 places)."""
    for seed in (1, 3):
        _, _, staffed = _benchmark_plan("S", None, seed)
        _, _, short = _benchmark_plan("S", 0.75, seed)
        assert sum(1 for staff in short.staff if staff) >= 188
        assert short.work <= 2 * staffed.work, (seed, short.work, staffed.work)


def test_m_at_three_quarters_of_its_staff_takes_less_than_twice_the_staffed_work():
    """Augment's chains stop once STALL_EFFORT checks per position have filled no place;
    they used to run on to the end of its effort (24,553 checks on seed 1, none filling a
    place). Seeds 1 and 2: 2.16x and 2.15x the staffed M's checks before, 1.93x and 1.92x
    then, the same rosters (991 places); 1.95x and 1.94x with the weeks packed last
    (`pack_weeks`), which change neither roster."""
    for seed in (1, 2):
        _, _, staffed = _benchmark_plan("M", None, seed)
        _, _, short = _benchmark_plan("M", 0.75, seed)
        assert sum(1 for staff in short.staff if staff) >= 991
        assert short.work <= 2 * staffed.work, (seed, short.work, staffed.work)


def test_m_at_half_its_staff_takes_at_most_1_35_times_the_staffed_work():
    """Augment's wider chains (a place first reached through one exchange passed through
    again by another's) came last and filled no place in any roster measured, at once or
    month by month: seeds 1-4 1.43x, 1.46x, 1.37x and 1.47x the staffed M's checks with
    them, 1.29x, 1.33x, 1.23x and 1.34x without, the same rosters (675 places)."""
    for seed in (1, 2, 3, 4):
        _, _, staffed = _benchmark_plan("M", None, seed)
        _, _, short = _benchmark_plan("M", 0.5, seed)
        assert sum(1 for staff in short.staff if staff) >= 675
        assert short.work <= 1.35 * staffed.work, (seed, short.work, staffed.work)


def test_places_left_open_after_levelling_get_chains_that_widen_no_spread(monkeypatch):
    """S at half its staff: the repair before levelling fills no place (97 filled by the
    greedy: no one-step chain can fill one there); the cover after levelling passes over
    the places no chain can fill and reaches every week (118 filled), breaking no hard rule
    and leaving no spread among comparable staff wider than without it."""
    from dutyctl.roster import stats
    from dutyctl.roster.solver import budgets
    from dutyctl.roster.solver import work_of
    from dutyctl.roster.timeline import Timeline

    def outcome():
        rules, positions, solution = _benchmark_plan("S", 0.5)
        timelines = {m.id: Timeline(m.limits) for m in rules.staff}
        worked = []
        for p, staff in zip(positions, solution.staff):
            if staff:
                timelines[staff].add(work_of(p))
                worked.append(stats.Worked(staff, p.day, p.shift.id, p.hours))
        assert not any(t.violations() for t in timelines.values())
        first, last = positions[0].day, positions[-1].day
        return len(worked), stats.spreads(rules, stats.loads(rules, worked), first, last)

    filled, spread = outcome()
    monkeypatch.setattr(budgets, "COVER_EFFORT", 0)
    monkeypatch.setattr(budgets, "AUGMENT_EFFORT", 0)  # nor the re-packs and longer chains
    monkeypatch.setattr(budgets, "AUGMENT_FLOOR", 0)
    filled_before, spread_before = outcome()
    assert filled >= filled_before + 15, (filled, filled_before)
    for metric in ("nights", "weekends", "hours"):
        assert spread[metric] <= spread_before[metric], (metric, spread, spread_before)


@pytest.mark.parametrize("seed", [1, 3, 4])
def test_a_raise_makes_each_listed_change_anew_on_the_roster_the_search_left(seed):
    """S at three quarters of its staff, November and December at once: the raise lists each
    clerk's changes before its search; one whose places an earlier clerk's change moved (the
    seats of the shift it leaves moved up, the first open seat it would take filled) was
    passed over. Made anew on the roster the search has left (`Raising._refreshed`: its
    shift's seats moved up again, the place taken the next open seat of its shift, none
    that empties a shift for a later seat), the nights end 0 apart on seeds 1, 3 and 4 (1
    before), with as many places and fewer checks."""
    import dataclasses

    from benchmarks.roster_instances import INSTANCES, short_staffed
    from dutyctl.roster import stats

    instance = short_staffed(dataclasses.replace(INSTANCES["S"](), first=date(2026, 11, 1)),
                             0.75)
    rules = parse(instance.rules_text)
    positions, solution = plan(rules, instance.first, instance.last, SHANGHAI, seed)
    worked = [stats.Worked(staff, p.day, p.shift.id, p.hours)
              for p, staff in zip(positions, solution.staff) if staff]
    assert stats.roster_stats(rules, worked, instance.first, instance.last)["spread"][
        "nights"] == 0
    assert len(worked) == 355


def test_l_at_three_quarters_ends_its_nights_and_weekends_even():
    """L at three quarters of its staff, the year at once, seed 0: the raise's changes made
    anew on the roster its search left (`Raising._refreshed`) even the nights (1 apart
    before), and the cleaners above leave a weekend clean open for a weekday's clean, a
    shift as long that runs on workdays only (`Levelling._open_for(other_shifts=True)` in
    `_lower_through`): the weekends end 0 apart too (1 before), with as many places
    (12,095; 12,104 since a week packed last may take hours up to the most loaded's,
    `_hours_room`; 12,107 since a week's re-share prices its leaves as its baseline)."""
    from dutyctl.roster import stats

    rules, positions, solution = _benchmark_plan("L", 0.75, 0)
    worked = [stats.Worked(staff, p.day, p.shift.id, p.hours)
              for p, staff in zip(positions, solution.staff) if staff]
    spread = stats.roster_stats(rules, worked, positions[0].day, positions[-1].day)["spread"]
    assert (spread["nights"], spread["weekends"]) == (0, 0)
    assert len(worked) == 12107


def test_short_staffed_weekends_level_to_one_apart():
    """S at three quarters of its staff: everyone works to the weekly cap and rest ties each
    shift to its neighbours, so no single trade between the most and the least loaded moves
    a weekend shift; seeds 1 and 3 ended 7/4 weekend shifts apart (spread 3) until stretches
    of other lengths, between other pairs, were tried. 42 weekend shifts among 8 comparable
    people allow 1; nights, hours and coverage stay as they were."""
    from dutyctl.roster import stats

    for seed in (1, 3):
        rules, positions, solution = _benchmark_plan("S", 0.75, seed)
        worked = [stats.Worked(staff, p.day, p.shift.id, p.hours)
                  for p, staff in zip(positions, solution.staff) if staff]
        spread = stats.spreads(rules, stats.loads(rules, worked), positions[0].day,
                               positions[-1].day)
        assert len(worked) >= 188, (seed, len(worked))
        assert spread["weekends"] <= 1, (seed, spread)
        assert spread["nights"] <= 1 and spread["hours"] <= 8, (seed, spread)


def test_short_staffed_quarter_levels_the_service_nights():
    """M at a quarter of its staff, seed 1: three service staff ended with 14/15/16 nights
    (2 apart) where 45 divide evenly; a stretch of days exchanged by the two outer ones evens
    them."""
    from dutyctl.roster import stats

    rules, positions, solution = _benchmark_plan("M", 0.25, 1)
    worked = [stats.Worked(staff, p.day, p.shift.id, p.hours)
              for p, staff in zip(positions, solution.staff) if staff]
    counts = stats.loads(rules, worked)
    nights = sorted(counts[s]["nights"] for s in counts if s.startswith("sv"))
    assert len(nights) == 3 and nights[-1] - nights[0] == 0, nights
    assert len(worked) >= 399


def test_capacity_bound_is_week_limit_times_weeks_and_the_shift_hours():
    text = rules_text("""\
        - {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 1}}
        - {id: late, name: 晚班, start: "14:00", end: "22:00", days: daily, need: {guard: 1}}
        """, """\
        - {id: a, name: 阿, roles: [service], max_hours_per_week: 30}
        - {id: b, name: 贝, roles: [guard], leave: ["2026-12-08", "2026-12-09"]}
        - {id: c, name: 陈, roles: [guard]}
        """, "max_hours_per_week: 48\nmax_consecutive_days: 6\n")
    rules = parse(text)
    monday, sunday = date(2026, 12, 7), date(2026, 12, 13)
    positions = positions_module.expand(rules, monday, sunday, SHANGHAI)
    (service,) = shortages(rules, positions)
    assert (service.role, service.shift, service.needed, service.most) == ("service", None,
                                                                            84, 30)
    assert service.staff == 1
    assert "84 h" in service.describe() and "30 h" in service.describe()
    # guards: 56 h needed; b can give 5 days x 8 h = 40, c 6 days (max_consecutive_days) = 48
    assert [s.role for s in shortages(rules, positions)] == ["service"]
    history = {"c": [_work(monday, 40)]}
    (guard, _) = shortages(rules, positions, history)
    assert (guard.role, guard.needed, guard.most) == ("guard", 56, 40 + 8)


def test_a_week_s_bound_takes_a_run_limit_within_the_week():
    """capacity._week_most keeps the run limit within a week (`max(min(run_limit, 7), 0)`):
    a limit longer than the week (max_consecutive_days up to 366) is the whole week, one
    of 0 (max_nights_in_a_row: 0 for a night-only chain) no hours, and a shorter one leaves
    a day out between runs."""
    from dutyctl.roster.capacity import _week_most

    monday = date(2026, 12, 7).toordinal()
    hour = 3600
    week = tuple((day, day * 24 * hour + 8 * hour, day * 24 * hour + 16 * hour)
                 for day in range(monday, monday + 7))  # 08:00-16:00 each day
    rest = 12 * hour
    assert _week_most(week, rest, 7) == 56.0
    assert _week_most(week, rest, 30) == _week_most(week, rest, 366) == 56.0
    assert _week_most(week, rest, 3) == 48.0  # three days, one off, three days
    assert _week_most(week, rest, 1) == 32.0  # every other day
    assert _week_most(week, rest, 0) == _week_most(week, rest, -1) == 0.0
    assert _week_most(week, 20 * hour, 7) == 32.0  # 16:00 to 08:00 is too little rest
    assert _week_most((), rest, 7) == 0.0


def _work(day: date, hours: float):
    from dutyctl.roster.timeline import Work

    return Work(0, int(hours * 3600), day.toordinal(), False, hours, (day, "earlier", "guard", 0))


def test_generate_check_and_explain_say_the_capacity_first(cli, workspace, clock):
    write_rules(workspace, template_rules(3))
    generated = cli("roster", "generate", "--month", "2026-12")
    assert generated.exit_code == 1
    lines = generated.stderr.strip().splitlines()
    assert lines[0].startswith("rosters/2026-12.yaml: capacity: the 客服专员 shifts need ")
    assert "the 5 客服专员 staff can give at most" in lines[0]  # the role by its name
    assert any(": unfilled: all " in line for line in lines[1:])
    checked = cli("roster", "check", "2026-12")
    assert checked.exit_code == 1
    out = checked.stdout.strip().splitlines()
    assert out[0] == lines[0]  # the same diagnosis, before the coverage lines
    assert any(": coverage: " in line for line in out[1:])
    roster_text = (workspace.rosters_dir / "2026-12.yaml").read_text(encoding="utf-8")
    day = roster_text.split("unfilled:\n", 1)[1].split('date: "', 1)[1][:10]
    explained = cli("roster", "explain", day, "day")
    assert explained.exit_code == 0, explained.stderr
    assert "capacity: the 客服专员 shifts need " in explained.stdout
    places = json.loads(cli("roster", "explain", day, "day", "-f", "json").stdout)
    unfilled = [place for place in places if place["chosen"] is None]
    assert unfilled and all(place["capacity"][0]["most_hours"] == 1180 for place in unfilled)
    assert all(place["capacity"] == [] for place in places if place["chosen"])
    # CSV: a row per candidate with its place's fields, the findings as their sentences
    rows = list(csv.DictReader(io.StringIO(
        cli("roster", "explain", day, "day", "-f", "csv").stdout.lstrip("\ufeff"))))
    empty = [row for row in rows if not row["chosen"]]
    assert empty and all(row["capacity"].startswith("capacity: the 客服专员 shifts need ")
                         and row["why"] for row in empty)
    assert all(row["capacity"] == "" for row in rows if row["chosen"])


def test_explain_shows_a_run_of_open_seats_alike_as_one_table(cli, workspace, clock,
                                                               monkeypatch):
    """50 clerks wanted on the day shift, 5 employed: the open seats have the same candidates
    and reason, and a screen shows them as one table headed by their numbers (the same
    table 45 times said nothing more); json keeps a place each."""
    write_rules(workspace, template_rules(50))
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 1
    day = "2026-12-07"
    places = json.loads(cli("roster", "explain", day, "day", "-f", "json").stdout)
    clerks = [place for place in places if place["role"] == "service"]
    open_seats = [place["seat"] for place in clerks if place["chosen"] is None]
    assert len(clerks) == 50 and open_seats == list(range(min(open_seats), 51))
    table = cli("roster", "explain", day, "day")
    assert table.exit_code == 0, table.stderr
    headings = [line for line in table.stdout.splitlines() if " 客服专员 #" in line]
    assert len(headings) == 50 - len(open_seats) + 1
    assert f" 客服专员 #{min(open_seats)}-50: unfilled - " in headings[-1]
    assert all(": unfilled" not in line for line in headings[:-1])
    monkeypatch.setenv("DUTYCTL_LANG", "zh")  # the site's own language
    said = cli("roster", "explain", day, "白班").stdout
    assert f" 客服专员 第 {min(open_seats)}–50 位：缺人——" in said


def test_no_capacity_line_when_the_staff_could_cover_it(cli, workspace):
    generated = cli("roster", "generate", "--month", "2026-12")
    assert generated.exit_code == 0
    assert "capacity" not in generated.stderr


def test_check_says_next_months_capacity_before_any_roster_of_it(cli, workspace, clock,
                                                                 monkeypatch):
    """A headcount mistyped in the rules is told by `check` at its shift's line, before
    `roster generate` leaves the places open: the month generate writes by default (the
    next one by the desk's clock), the figures the generation would give; not once a roster
    covers that month (its own check says it), nor for rules the staff can cover."""
    clock.set("2026-11-20T10:00:00+08:00")
    assert "capacity" not in cli("check").stderr  # the template: enough staff
    write_rules(workspace, template_rules(3))
    checked = cli("check")
    assert checked.exit_code == 0, checked.stderr  # a warning: no file is broken
    rules = load_rules(workspace)
    day_line = next(shift.line for shift in rules.shifts if shift.id == "day")
    (warning,) = [line for line in checked.stderr.splitlines() if "capacity" in line]
    assert warning.startswith(f"warning: rosters/rules.yaml:{day_line}: next month (2026-12), "
                              "capacity: the 客服专员 shifts need "), warning
    generated = cli("roster", "generate")  # the month check spoke of, by default
    assert generated.exit_code == 1
    said = generated.stderr.splitlines()[0].split(": capacity: ", 1)[1]
    assert warning.endswith(said)  # the same figures
    after = cli("check")  # December's roster says it now, as a finding of its own
    assert "next month" not in after.stderr
    assert f"rosters/2026-12.yaml: capacity: {said}" in after.stdout.splitlines(), after.stdout
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    clock.set("2026-12-20T10:00:00+08:00")  # January: no roster yet
    (warning,) = [line for line in cli("check").stderr.splitlines() if "人力测算" in line]
    assert warning.startswith(f"提醒：rosters/rules.yaml:{day_line}: 下个月（2027年1月）人力测算："
                              "客服专员岗位的班次需要 "), warning


WEEK = (date(2026, 12, 7), date(2026, 12, 13))  # Monday to Sunday


def _week_shortages(shifts: str, staff: str, constraints: str = ""):
    rules = parse(rules_text(shifts, staff, constraints))
    return shortages(rules, positions_module.expand(rules, *WEEK, SHANGHAI))


def test_capacity_counts_the_days_runs_allow_not_only_one_run():
    """max_consecutive_days 3 still lets a person work 6 days of a week (3 on, 1 off, 3 on)."""
    shift = '- {id: day, name: 白班, start: "08:00", end: "16:00", days: daily, ' \
            'need: {service: 1}}\n'
    alone = "- {id: a, name: 阿, roles: [service]}\n"
    (short,) = _week_shortages(shift, alone, "max_consecutive_days: 3\n")
    assert (short.needed, short.most) == (56, 48)
    pair = alone + "- {id: b, name: 贝, roles: [service]}\n"
    assert _week_shortages(shift, pair, "max_consecutive_days: 3\n") == []


def test_capacity_of_nights_counts_max_nights_in_a_row():
    night = '- {id: night, name: 夜班, start: "22:00", end: "06:00", days: daily, ' \
            'need: {service: 1}}\n'
    (short,) = _week_shortages(night, "- {id: a, name: 阿, roles: [service]}\n",
                               "max_nights_in_a_row: 1\n")
    assert short.most == 4 * 8  # every other night


def test_capacity_keeps_the_rest_between_days():
    """A 20-hour duty with 12 h of rest after it can be worked every other day at most."""
    duty = '- {id: duty, name: 值班, start: "08:00", end: "04:00", days: daily, ' \
           'need: {service: 1}}\n'
    (short,) = _week_shortages(duty, "- {id: a, name: 阿, roles: [service]}\n",
                               "min_rest_hours: 12\nmax_hours_per_week: 100\n")
    assert short.most == 4 * 20


SHARED_DAY = '- {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, ' \
             'need: {service: 1, technician: 1}}\n'
SHARED_STAFF = """\
- {id: s, name: 孙, roles: [service]}
- {id: t, name: 唐, roles: [technician]}
- {id: st, name: 宋, roles: [service, technician]}
"""


def test_roles_sharing_a_person_are_measured_together():
    """Each role alone has 96 h of staff for 84 h; the one person holding both cannot give
    them 48 h each."""
    (short,) = _week_shortages(SHARED_DAY, SHARED_STAFF)
    assert (short.roles, short.shift, short.needed, short.most, short.staff) == (
        ("service", "technician"), None, 168, 144, 3)
    assert short.describe() == (
        "capacity: the shifts of service, technician together need 168 h (168 h a week); the 3 "
        "staff who hold these roles can give at most 144 h (144 h a week) under their limits "
        "and leave: 24 h cannot be filled")
    assert short.data() == {"rule": "capacity", "roles": ["service", "technician"],
                            "shift": None, "needed_hours": 168, "most_hours": 144,
                            "short_hours": 24, "staff": 3}


def test_the_capacity_line_in_chinese_names_roles_and_shifts(cli, workspace, monkeypatch,
                                                             clock):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    write_rules(workspace, template_rules(3))
    lines = cli("roster", "generate", "--month", "2026-12").stderr.splitlines()
    assert lines[0].startswith("rosters/2026-12.yaml: 人力测算：客服专员岗位的班次需要 1695 小时")
    assert "5 名客服专员" in lines[0] and "service" not in lines[0]
    # the weekly figures are a month's over its weeks: an average, which may pass one week's
    # cap where the month starts or ends mid-week (said so, not as a week's most)
    assert "（平均每周 " in lines[0] and "小时（每周" not in lines[0], lines[0]
    write_rules(workspace, rules_text(SHARED_DAY, SHARED_STAFF))
    lines = cli("roster", "generate", "--from", "2026-11-09", "--to", "2026-11-15").stderr
    assert "人力测算：客服专员、维修工的班次合计需要 168 小时" in lines


def test_roster_check_gives_capacity_and_unfilled_places_as_data(cli, workspace):
    write_rules(workspace, template_rules(3))
    cli("roster", "generate", "--month", "2026-12")
    rows = json.loads(cli("roster", "check", "2026-12", "-f", "json").stdout)
    first = rows[0]["finding"]
    assert first["rule"] == "capacity" and first["roles"] == ["service"]
    assert (first["needed_hours"], first["most_hours"], first["staff"]) == (1695, 1180, 5)
    places = [row["finding"] for row in rows if row.get("finding", {}).get("rule") == "coverage"]
    assert places and all(p["role"] == "service" and p["have"] < p["need"] for p in places)
    assert set(places[0]["blocked"]) == {"zhangwei", "lina", "chenjing", "zhaolei", "sunli"}


def test_the_program_says_the_capacity_first_in_chinese(workspace, dutyctl_forked, monkeypatch):
    write_rules(workspace, template_rules(3))
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    made = run_dutyctl(dutyctl_forked, "roster", "generate", "--month", "2026-12", "--at",
                       "2026-11-20 10:00", root=workspace.root)  # December still to come
    assert made.returncode == 1
    first = made.stderr.splitlines()[0]
    assert first.startswith("rosters/2026-12.yaml: 人力测算：客服专员岗位的班次需要 1695 小时"), first
    assert "5 名客服专员" in first and "最多只能提供 1180 小时" in first


def _everyone_every_day(days: int) -> int:
    """How many ways four guards can each work every one of the first `days` days of M at half
    staff (2 day and 2 night places a day, 12 h shifts), breaking no hard rule."""
    from datetime import timedelta
    from itertools import combinations, product

    from benchmarks.roster_instances import medium, short_staffed
    from dutyctl.roster.solver import work_of
    from dutyctl.roster.timeline import Timeline

    instance = short_staffed(medium(), 0.5)
    rules = parse(instance.rules_text)
    guards = [member for member in rules.staff if "guard" in member.roles]
    last = instance.first + timedelta(days=days - 1)
    places = [p for p in positions_module.expand(rules, instance.first, last, SHANGHAI)
              if p.role == "guard"]
    by_day = [([p for p in places if p.day == day and not p.night],
               [p for p in places if p.day == day and p.night])
              for day in sorted({p.day for p in places})]
    assert len(guards) == 4 and all(len(d) == 2 and len(n) == 2 for d, n in by_day)
    ways = 0
    for on_day_shifts in product(combinations(range(4), 2), repeat=days):
        timelines = [Timeline(guard.limits) for guard in guards]
        broken = False
        for (day_places, night_places), chosen in zip(by_day, on_day_shifts):
            day_left, night_left = list(day_places), list(night_places)
            for g, timeline in enumerate(timelines):
                work = work_of(day_left.pop() if g in chosen else night_left.pop())
                if timeline.conflict(work) is not None:
                    broken = True
                    break
                timeline.add(work)
            if broken:
                break
        ways += not broken
    return ways


def test_four_guards_cannot_all_work_every_day_of_a_four_day_week():
    """M at half staff: every full week is at 48 h for each of its four guards, and their
    hours differ (24 h) in its first ISO week (Thursday 10-01 to Sunday) and its last (Monday
    12-28 to Thursday), 4 days each, where no roster lets all four work every day: a night
    cannot be followed by a day shift (12 h rest), so the two on nights the first day would
    work 4 nights in a row (at most 3). With 3 days it is possible. (Whether the end weeks
    could still share out within one shift is not settled by this.)"""
    assert _everyone_every_day(3) > 0
    assert _everyone_every_day(4) == 0


THREE_SERVICE = rules_text("""\
    - {id: day, name: 白班, start: "08:00", end: "20:00", need: {service: 1}}
    - {id: night, name: 夜班, start: "20:00", end: "08:00", need: {service: 1}}
    - {id: office, name: 前台, start: "08:30", end: "17:30", days: workdays, need: {service: 2}}
""", """\
    - {id: a, name: A, roles: [service]}
    - {id: b, name: B, roles: [service]}
    - {id: c, name: C, roles: [service]}
""", """\
    min_rest_hours: 12
    max_consecutive_days: 6
    max_nights_in_a_row: 3
    max_hours_per_week: 48
""")
MOST_SHIFTS_A_WEEK = 13  # see test_each_week_staffs_as_many_shifts_as_its_hours_allow


def _staffed_shifts_by_week(assignments) -> dict[date, int]:
    """ISO week (its Monday) -> how many of its shifts have someone."""
    from datetime import timedelta

    shifts = {(a.day, a.shift) for a in assignments}
    weeks: dict[date, int] = {}
    for day, _ in shifts:
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + 1
    return weeks


def test_each_week_staffs_as_many_shifts_as_its_hours_allow():
    """Three service staff at 48 h a week give 144 h; a full week has 14 shifts of 12 h and 5
    office shifts of 9 h (no holiday in December 2026). The most shifts 144 h can staff are
    the 5 office shifts and 8 of 12 h (141 h): 14 would take at least 5 x 9 + 9 x 12 = 153 h.
    Every week ended with 12 before the week re-pack and the longer chains: everyone at
    42-45 h (12 + 12 + 9 + 9), each with hours left too few for another shift, which no
    chain of one or two single moves gathers; one person taking the office shifts and the
    others the 12 h ones leaves room for the 13th."""
    from dutyctl.roster.generate import assignments_of

    for seed in (0, 1):
        rules = parse(THREE_SERVICE)
        positions, solution = plan(rules, date(2026, 12, 7), date(2026, 12, 27), SHANGHAI, seed)
        weeks = _staffed_shifts_by_week(assignments_of(positions, solution.staff))
        assert weeks == {date(2026, 12, 7): MOST_SHIFTS_A_WEEK,
                         date(2026, 12, 14): MOST_SHIFTS_A_WEEK,
                         date(2026, 12, 21): MOST_SHIFTS_A_WEEK}, (seed, weeks)


def test_a_roster_after_another_staffs_as_many_shifts_as_both_at_once(workspace):
    """Two rosters of four whole ISO weeks each, the second generated after the first (its
    neighbours and its year so far), staff the same shifts as both generated at once: the
    most each week's hours allow (above). Before, each week staffed 12 either way."""
    from dutyctl.roster.generate import generate

    write_rules(workspace, THREE_SERVICE)
    whole = generate(workspace, date(2026, 11, 2), date(2026, 12, 27))
    whole.path.unlink()
    first = generate(workspace, date(2026, 11, 2), date(2026, 11, 29))
    second = generate(workspace, date(2026, 11, 30), date(2026, 12, 27))
    by_roster = _staffed_shifts_by_week(first.roster.assignments + second.roster.assignments)
    at_once = _staffed_shifts_by_week(whole.roster.assignments)
    assert by_roster == at_once == {week: MOST_SHIFTS_A_WEEK for week in at_once}
    assert len(at_once) == 8
    assert first.roster.unfilled and second.roster.unfilled  # short-staffed all the same


# Three service staff, one week of 12 h days (two seats) and 9 h office shifts (Thursday to
# Sunday): a 45 h, b 45 h, c 42 h, so 3 + 3 + 6 h are left, too few for any place in one
# person and in any two. 9 places of 12 h and 4 of 9 h fit 3 x 48 h exactly: c takes the
# four office shifts and one day, a and b four days each.
STUCK_SHIFTS = """\
- {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 2}}
- {id: office, name: 前台, start: "08:30", end: "17:30", days: "FREQ=WEEKLY;BYDAY=TH,FR,SA,SU",
   need: {service: 1}}
"""
STUCK_STAFF = """\
- {id: a, name: 阿, roles: [service]}
- {id: b, name: 贝, roles: [service]}
- {id: c, name: 陈, roles: [service]}
"""
STUCK_HELD = {"a": [(7, "day"), (8, "day"), (9, "day"), (11, "office")],
              "b": [(8, "day"), (9, "day"), (10, "day"), (12, "office")],
              "c": [(7, "day"), (10, "office"), (12, "day"), (13, "office")]}


def _stuck_week():
    """A solver holding STUCK_HELD (December 2026's days), every place active."""
    from dutyctl.roster.solver import Solver

    rules = parse(rules_text(STUCK_SHIFTS, STUCK_STAFF, "max_hours_per_week: 48\n"
                             "min_rest_hours: 12\nmax_consecutive_days: 6\n"))
    solver = Solver(rules, positions_module.expand(rules, *WEEK, SHANGHAI), *WEEK)
    for staff, places in STUCK_HELD.items():
        for day, shift in places:
            seat = 0
            while solver.assigned[solver.key_index[(date(2026, 12, day), shift, "service",
                                                    seat)]] is not None:
                seat += 1
            solver.assign(solver.index[staff],
                          solver.key_index[(date(2026, 12, day), shift, "service", seat)])
    solver.log.clear()
    return solver


def _filled_lawfully(solver) -> int:
    assert all(timeline.violations() == [] for timeline in solver.timelines)
    return sum(1 for staff in solver.assigned if staff is not None)


def test_three_people_re_pack_a_week_no_two_of_them_can_make_room_in():
    from dutyctl.roster.solver import LevelBudget
    from dutyctl.roster.solver.budgets import AUGMENT_BUDGET

    for size, filled in ((2, 12), (3, 13)):
        solver = _stuck_week()
        solver._repacks({}, set(solver.active), LevelBudget(solver.checks + AUGMENT_BUDGET),
                        (size,))
        assert _filled_lawfully(solver) == filled, size
    assert solver.assigned.count(solver.index["c"]) == 5  # the four office shifts and a day


def test_several_open_places_of_one_shift_are_said_once_with_how_many(cli, workspace):
    """With 5 on the day shift, most days leave several day places open for the same reasons:
    one line each, saying how many (was the same line once per place)."""
    from dutyctl.roster.rosterfile import read_roster

    write_rules(workspace, template_rules(5))
    generated = cli("roster", "generate", "--month", "2026-12")
    assert generated.exit_code == 1
    lines = generated.stderr.strip().splitlines()
    assert len(lines) == len(set(lines))
    said = sum(int(line.split(" places unfilled: ")[0].rsplit(" ", 1)[1])
               if " places unfilled: " in line else 1
               for line in lines if "unfilled: " in line)
    path = workspace.rosters_dir / "2026-12.yaml"
    unfilled = read_roster(path, str(path))[0].unfilled
    assert said == len(unfilled) > len([line for line in lines if "unfilled: " in line])


def test_a_week_re_shared_by_its_team_never_empties_a_shift_for_later_seats():
    """a holds Monday's long shift, its only seat; b both seats 0 of the short shift on
    Tuesday and Wednesday; 12 h a week each. Giving up Monday for the two second seats would
    fill one more place (4 for 3) but leave Monday's 12 h with nobody on duty: the team's
    re-share (`_repack_team`, the top-up's last step) refuses it."""
    from dutyctl.roster.solver import Solver
    from dutyctl.roster.timeline import week_of

    shifts = """\
    - {id: long, name: 长班, start: "08:00", end: "20:00", days: "FREQ=WEEKLY;BYDAY=MO",
       need: {service: 1}}
    - {id: short, name: 短班, start: "08:00", end: "14:00", days: "FREQ=WEEKLY;BYDAY=TU,WE",
       need: {service: 2}}
    """
    staff = """\
    - {id: a, name: 阿, roles: [service]}
    - {id: b, name: 贝, roles: [service]}
    """
    rules = parse(rules_text(shifts, staff, "max_hours_per_week: 12\nmin_rest_hours: 12\n"
                             "max_consecutive_days: 6\n"))
    solver = Solver(rules, positions_module.expand(rules, *WEEK, SHANGHAI), *WEEK)
    holds = {(date(2026, 12, 7), "long"): "a", (date(2026, 12, 8), "short"): "b",
             (date(2026, 12, 9), "short"): "b"}
    for (day, shift), staff_id in holds.items():
        solver.assign(solver.index[staff_id], solver.key_index[(day, shift, "service", 0)])
    solver.log.clear()
    week = week_of(WEEK[0].toordinal())
    assert not solver._repack_team(week, "service", set(solver.active), float("inf"))
    monday = solver.key_index[(date(2026, 12, 7), "long", "service", 0)]
    assert solver.assigned[monday] == solver.index["a"]
    assert _filled_lawfully(solver) == 3


def test_a_mend_ends_at_the_first_count_it_cannot_bring_back():
    """`_mend`: a (group, metric) still past its limit after its tries makes the mend fail
    (a heuristic: levelling a later count could bring it back, never seen in about 1,000
    mends), so the others are not levelled (M at half its staff, a cover
    chain's mend: the hours found nothing, then weekends and holidays searched 373 checks
    for a change rolled back anyway)."""
    from dutyctl.roster.solver import LevelBudget, Solver

    rules = parse(template_rules(3))
    first, last = DECEMBER
    solver = Solver(rules, positions_module.expand(rules, first, last, SHANGHAI), first, last)
    solver.greedy()
    solver.start_levelling()
    tried = []

    def level_once(group, m, active, budget, bounded=False):
        tried.append(m)
        return False

    solver._level_once = level_once
    group = max(solver.groups, key=len)
    g = solver.groups.index(group)
    limit = {(g, m): -1.0 for m in range(len(solver.weights))}  # none can be met
    assert not solver._mend(limit, set(solver.active), LevelBudget(float("inf")))
    assert tried == [0]


def test_augments_chains_stop_at_their_stall_and_augment_with_them(monkeypatch):
    """Augment's chains stop at their stall (STALL_EFFORT checks per position filling no
    place), and augment ends there, its re-packs after them left out: M at three quarters
    of its staff, seeds 1 and 2, where the chains stall (11,685-11,696 checks, no place
    filled), at most the stall and one search's budget from the chains' start to augment's
    end. Fails with the stall not enforced or with the re-packs run after a stall. (On M at
    half its staff the chains try every open place within 2,600-2,926 checks and stop.)"""
    from dutyctl.roster.solver import Solver, budgets

    spans = []
    augment, chains = Solver._augment, Solver._chains

    def timed_augment(self, limit, active):
        spans.append([None, None, None, max(budgets.STALL_EFFORT * len(self.active),
                                            budgets.STALL_FLOOR)])
        augment(self, limit, active)
        spans[-1][1] = self.checks
        if spans[-1][0] is not None:  # its chains ran: the places they filled
            spans[-1][2] -= sum(1 for i in self.active if self.assigned[i] is None)

    def timed_chains(self, limit, active, budget):
        if spans[-1][0] is None:
            spans[-1][0] = self.checks
            spans[-1][2] = sum(1 for i in self.active if self.assigned[i] is None)
        return chains(self, limit, active, budget)

    monkeypatch.setattr(Solver, "_augment", timed_augment)
    monkeypatch.setattr(Solver, "_chains", timed_chains)
    for seed, places in ((1, 991), (2, 991)):
        spans.clear()
        _, _, short = _benchmark_plan("M", 0.75, seed)
        assert sum(1 for staff in short.staff if staff) >= places
        searched = [(start, end, stall) for start, end, filled, stall in spans
                    if start is not None and not filled]
        assert searched, "no augment reached its chains and filled nothing: nothing measured"
        for start, end, stall in searched:
            assert end - start <= stall + budgets.AUGMENT_BUDGET, (seed, end - start)



def test_chains_that_stall_early_leave_the_re_packs_by_three_their_turn(workspace,
                                                                      monkeypatch):
    """A small site's month (S at half its staff, 217 places): augment's chains stop once
    STALL_EFFORT checks per position (2,170 here; at least STALL_FLOOR) fill no place, and
    the re-packs among three people then run on what the effort leaves; only a stall after
    more than STALL_LONG checks (a large site's month, whose chains used to run to the
    effort's end) leaves them out. With the chains' old floor of 8,000 checks they stalled
    there and the re-packs never ran: M at three quarters of its staff month by month,
    seeds 1-3, 992, 992 and 995 places, 995, 995 and 996 now, the same spreads (seeds 5, 6
    and 8: 990, 993, 989 -> 994 each)."""
    from benchmarks.roster_instances import short_staffed, small
    from dutyctl.roster.rules import load_rules
    from dutyctl.roster.solver import Solver, budgets

    instance = short_staffed(small(), 0.5)
    write_rules(workspace, instance.rules_text)
    rules = load_rules(workspace)
    positions = positions_module.expand(rules, instance.first, instance.last,
                                        workspace.config.tz)
    solver = Solver(rules, positions, instance.first, instance.last, seed=0)
    solver.active = list(range(len(positions)))
    solver.greedy()
    solver.start_levelling()
    chained, repacked = [], []

    def chain(self, i, stop):  # a chain that fills nothing, 300 checks each
        chained.append(self.checks)
        self.checks += 300
        return False

    def repacks(self, limit, active, budget, sizes=(2,), leave=None, with_before=False):
        repacked.append(sizes)
        return False

    monkeypatch.setattr(Solver, "_chain", chain)
    monkeypatch.setattr(Solver, "_repacks", repacks)
    solver._augment(solver._spread_limits(), set(solver.active))
    stall = max(budgets.STALL_EFFORT * len(solver.active), budgets.STALL_FLOOR)
    assert stall < budgets.STALL_LONG
    assert len(chained) > 1 and chained[-1] - chained[0] < stall  # they stalled
    assert repacked == [(2,), (2, 3)]

def test_the_covers_mends_stop_at_their_own_budget(monkeypatch):
    """Each change the cover and augment keep is mended within MEND_BUDGET checks
    (`Filling._mending`): a mend that needs more nearly always fails (L at three quarters
    of its staff, seed 4: augment's kept ones a median 407 checks, its failed ones 2,148 and
    up to 14,394; the cover's failed ones up to 24,899), and the checks it would spend go to
    other places.
    M at half its staff: every mend in the cover may search until MEND_BUDGET checks after
    it starts at most, and the roster keeps its 675 places."""
    from dutyctl.roster.solver import Solver, budgets

    room: list[int] = []  # checks each of the cover's mends may still start a search at
    cover, mend = Solver.cover, Solver._mend
    inside = [False]

    def watched_cover(self):
        inside[0] = True
        try:
            cover(self)
        finally:
            inside[0] = False

    def watched_mend(self, limit, active, budget, bounded=False):
        if inside[0]:
            room.append(budget.until - self.checks)
        return mend(self, limit, active, budget, bounded)

    monkeypatch.setattr(Solver, "cover", watched_cover)
    monkeypatch.setattr(Solver, "_mend", watched_mend)
    _, _, short = _benchmark_plan("M", 0.5, 0)
    assert sum(1 for staff in short.staff if staff) >= 675
    assert room and max(room) <= budgets.MEND_BUDGET, (len(room), max(room, default=None))


def _two_clerks_holding(office_days: str, days: int, held: tuple[int, ...]):
    """Two clerks of 24 h a week, a day shift of two seats (12 h) and an office shift of one
    (8 h, on `office_days`), `days` days from Monday 2 November 2026: each holds the day
    shift's seat of its own number on the `held` days (counted from Monday). The solver,
    its positions and the office shifts' positions."""
    from dutyctl.roster.solver import Solver

    rules = parse(rules_text(f"""\
        - {{id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {{service: 2}}}}
        - {{id: office, name: 前台, start: "09:00", end: "17:00", days: {office_days},
           need: {{service: 1}}}}
        """, """\
        - {id: a, name: 甲, roles: [service], max_hours_per_week: 24}
        - {id: b, name: 乙, roles: [service], max_hours_per_week: 24}
        """, extra="fairness: [hours]"))
    monday = date(2026, 11, 2)
    last = monday + timedelta(days=days - 1)
    positions = positions_module.expand(rules, monday, last, SHANGHAI)
    solver = Solver(rules, positions, monday, last)
    solver.active = list(range(len(positions)))
    seats = {(p.day, p.seat): i for i, p in enumerate(positions) if p.shift.id == "day"}
    for s in (0, 1):
        for offset in held:
            solver.assign(s, seats[(monday + timedelta(days=offset), s)])
    return solver, positions, [i for i, p in enumerate(positions) if p.shift.id == "office"]


def test_a_full_week_gives_up_long_extra_seats_for_more_short_places():
    """Both clerks work Monday's and Tuesday's 12 h day shift, 24 h, their week's most: no
    hour is left for the 8 h office shifts, and a move or a chain keeps every place held
    filled. Packing a's week anew, a gives up both extra day seats for the three office
    shifts (24 h each way): one place more, each day shift still staffed by b, the hours
    as they were."""
    from dutyctl.roster.timeline import week_of

    solver, positions, offices = _two_clerks_holding("daily", 3, (0, 1))
    assert all(solver.best_candidate(i) is None for i in offices)  # both weeks full
    filled = sum(s is not None for s in solver.assigned)
    solver.pack_weeks()
    assert sum(s is not None for s in solver.assigned) == filled + 1
    assert [solver.assigned[i] for i in offices] == [0, 0, 0]
    for day in (0, 1):  # each day shift keeps b; the seat left open is its last
        assert [solver.assigned[i] for i, p in enumerate(positions)
                if p.shift.id == "day" and p.day == date(2026, 11, 2 + day)] == [1, None]
    week = week_of(solver.works[offices[0]].day)
    assert [solver._hours_left(s, week) for s in (0, 1)] == [0.0, 0.0]  # as before


@pytest.mark.parametrize("held, packed", [((3, 4), True), ((5, 6), False)])
def test_a_packed_week_keeps_its_persons_weekend_shifts(held, packed):
    """Both clerks hold two 12 h day seats of the week (2-8 November), 24 h, their most;
    the office shifts (8 h, weekdays) are open. Holding Thursday's and Friday's, a gives
    them up for Monday's to Wednesday's office shifts, one place more; holding Saturday's
    and Sunday's, the same trade would take a's two weekend shifts away, which the rules
    here do not weigh (`fairness: [hours]`) but `roster stats` shows: nothing changes."""
    solver, _, offices = _two_clerks_holding("workdays", 7, held)
    before = list(solver.assigned)
    solver.pack_weeks()
    if packed:
        assert [solver.assigned[i] for i in offices] == [0, 0, 0, None, None]
        assert sum(s is not None for s in solver.assigned) == sum(
            s is not None for s in before) + 1
    else:
        assert solver.assigned == before


def test_the_headcount_benchmark_generates_the_short_month_and_the_staffed_one(tmp_path):
    """`benchmarks/headcount_bench.py`: the `init` rules with 3 on the day shift fill what
    the short-staffed generation fills (161 places in December), the same month with nine
    more service staff fills every place, and the script prints both and the ratio (no time
    asserted: a benchmark's figure, not a test's)."""
    import subprocess
    import sys
    from pathlib import Path

    from benchmarks.headcount_bench import measure, workspace
    from dutyctl.roster.rules import load_rules

    staffed = load_rules(workspace(tmp_path / "staffed", 3, 9))
    assert [dict(shift.need) for shift in staffed.shifts if shift.id == "day"][0]["service"] == 3
    assert sum("service" in member.roles for member in staffed.staff) == 5 + 9
    found = measure(3, 1)
    assert found["places"] == (161, 209) and found["ratio"] > 0
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "headcount_bench.py"
    done = subprocess.run([sys.executable, str(script), "--needs", "3", "--rounds", "1"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("N=3: short ") and "places 161 against 209" in done.stdout


def test_the_hours_bound_counts_the_weeks_leave_leaves_each_person(workspace):
    """`benchmarks/hours_bound.py`: what the weekly limit lets each guard work over a
    period, week by week on the days their leave leaves them. Two 12 h guards, 48 h a week,
    over 2026-12-07..20 (two ISO weeks), five days of leave each: g1's all in the first week
    (two days left there: two shifts, 24 h), g2's three in the first and two in the second
    (four and five days left: four shifts each). As many available days, 72 h against 96 h
    at most: comparable staff whom the weekly limit keeps a shift or more apart."""
    from benchmarks.hours_bound import bounds
    from tests.helpers_roster import write_rules

    write_rules(workspace, "\n".join([
        "calendar: {country: CN}",
        "shifts:",
        '  - {id: day, name: 日岗, start: "07:00", end: "19:00", days: daily, need: {guard: 1}}',
        '  - {id: night, name: 夜岗, start: "19:00", end: "07:00", days: daily, need: {guard: 1}}',
        "staff:",
        '  - {id: g1, name: g1, roles: [guard], leave: [{from: "2026-12-07", to: "2026-12-11"}]}',
        '  - {id: g2, name: g2, roles: [guard], leave: [{from: "2026-12-07", to: "2026-12-09"},'
        ' {from: "2026-12-14", to: "2026-12-15"}]}',
        "constraints: {min_rest_hours: 12, max_consecutive_days: 6, max_hours_per_week: 48}",
        "fairness: [hours]", ""]))
    found = bounds(load_rules(workspace), date(2026, 12, 7), date(2026, 12, 20))
    assert found == {"g1": 72.0, "g2": 96.0}
