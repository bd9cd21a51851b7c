"""The solver's fast paths give exactly what the plain ones give: a short-staffed month refuses
most checks (a `Conflict` built each time), moves and undoes places all the time (timelines
bisected) and prices long change lists (`State.change_cost`); each was made cheaper without
changing a figure, so the same rules and seed still give the same roster byte for byte."""

from __future__ import annotations

import dataclasses
from datetime import date
import math
import random

import pytest

from dutyctl.roster.generate import generate
from dutyctl.roster.rules import METRICS
from dutyctl.roster.solver import Solver, budgets
from dutyctl.roster.solver.state import (EPSILON, GROUP_WEIGHT, HOLIDAYS, HOURS, NEAR_SECONDS,
                                         NIGHTS, ON_CALL, WEEKENDS, State)
from dutyctl.roster.rules import Limits
from dutyctl.roster.timeline import Conflict, Timeline, Work, week_of
from tests.helpers_roster import (SHANGHAI, bare_solver, lowering_by_rank_only, parse,
                                  write_rules)


def plain_change_cost(state: State, changes) -> float:
    """`State.change_cost` as first written: the reference the fast one must equal exactly."""
    rows: dict[int, list[float]] = {}
    total = 0.0
    for s, i, sign in changes:
        row = rows.get(s) or rows.setdefault(s, [0.0] * len(METRICS))
        for m, amount, _ in state.deltas[i]:
            row[m] += sign * amount
        if state.pref:
            total += sign * state.pref.get((s, i), 0.0)
    moved: dict[tuple[int, int], float] = {}
    for s, row in rows.items():
        load, g, capacity = state.loads[s], state.group_of[s], state.capacity[s]
        for m, x in enumerate(row):
            if x:
                squares = state.weights[m] * x * (2 * load[m] + x) / capacity
                total += squares
                if g is not None:
                    total += GROUP_WEIGHT[m] * squares
                    moved[(g, m)] = moved.get((g, m), 0.0) + x
    for (g, m), x in moved.items():
        total -= (GROUP_WEIGHT[m] * state.weights[m] * x * (2 * state.group_sums[g][m] + x)
                  / state.group_capacity[g])
    return total


def plain_near(state: State, s: int, i: int) -> list[int]:
    """`_near` as a scan of every place s holds, in start order."""
    start = state.works[i].start
    return sorted((j for j in state.held[s] if abs(state.works[j].start - start) <= NEAR_SECONDS),
                  key=lambda j: (state.works[j].start, state.works[j]))


def plain_amount(state: State, i: int, m: int) -> float:
    for metric, amount, _ in state.deltas[i]:
        if metric == m:
            return amount
    return 0.0


def _generate_small_at_half_its_staff(workspace) -> None:
    """S at half its staff, seed 0: a month with places filled and places left open, so
    both the fill's and the cover's searches run through whatever a test patched."""
    from benchmarks.roster_instances import short_staffed, small

    instance = short_staffed(small(), 0.5)
    write_rules(workspace, instance.rules_text)
    result = generate(workspace, instance.first, instance.last, seed=0)
    assert result.roster.unfilled and result.roster.assignments


def _generated(workspace, make, fraction: float):
    """The benchmark's instance `make()` with `fraction` of its staff, generated at once,
    seed 0: the searches a short-staffed period runs, through whatever a test patched."""
    from benchmarks.roster_instances import short_staffed

    instance = short_staffed(make(), fraction)
    write_rules(workspace, instance.rules_text)
    return generate(workspace, instance.first, instance.last, seed=0)


def test_every_cost_and_amount_a_short_staffed_month_asks_is_the_plain_ones(workspace,
                                                                          monkeypatch):
    """Every `change_cost` and `_amount` the solver asks while generating S at half its
    staff (cover, levelling, re-packs: long lists of +1 and -1) equals, to the last bit, what
    the plain loops give; and the month still comes out short-staffed."""
    fast_cost, fast_amount = State.change_cost, State._amount
    asked = {"cost": 0, "amount": 0, "long": 0}

    def cost(self, changes):
        found = fast_cost(self, changes)
        assert found == plain_change_cost(self, changes), changes  # exactly, not nearly
        asked["cost"] += 1
        asked["long"] += len(changes) > 2
        return found

    def amount(self, i, m):
        found = fast_amount(self, i, m)
        assert found == plain_amount(self, i, m)
        asked["amount"] += 1
        return found

    monkeypatch.setattr(State, "change_cost", cost)
    monkeypatch.setattr(State, "_amount", amount)
    _generate_small_at_half_its_staff(workspace)
    assert asked["cost"] > 100 and asked["long"] > 0 and asked["amount"] > 100


def _after_the_greedy_fill(workspace, instance):
    """A solver of `instance`'s rules and period, seed 0, after its greedy fill, and its
    positions: loads for the random changes to be priced on."""
    from dutyctl.roster import positions as positions_module
    from dutyctl.roster.rules import load_rules

    write_rules(workspace, instance.rules_text)
    rules = load_rules(workspace)
    positions = positions_module.expand(rules, instance.first, instance.last,
                                        workspace.config.tz)
    solver = Solver(rules, positions, instance.first, instance.last, seed=0)
    solver.greedy()
    return solver, positions


def test_change_cost_of_random_changes_is_the_plain_ones(workspace):
    """Random lists of +1/-1 changes (a person several times, a sign other than one) on a
    short-staffed month's loads, priced both ways: equal to the last bit."""
    from benchmarks.roster_instances import short_staffed, small

    solver, positions = _after_the_greedy_fill(workspace, short_staffed(small(), 0.25))
    rng = random.Random(7)
    for _ in range(500):
        changes = [(rng.randrange(len(solver.members)), rng.randrange(len(positions)),
                    rng.choice((1, -1, 1, -1, 2))) for _ in range(rng.randint(1, 8))]
        assert solver.change_cost(changes) == plain_change_cost(solver, changes)
    assert all(solver._amount(i, m) == plain_amount(solver, i, m)
               for i in range(len(positions)) for m in range(len(METRICS)))


def _work(start: int, hours: float = 8.0, label: str = "a") -> Work:
    return Work(start, start + int(hours * 3600), start // 86400 + 719163, False, hours,
                label)


def test_a_timeline_removes_the_shift_equal_to_the_one_asked_not_only_the_same_object():
    """Removing finds the shift by identity first; a Work equal to it (read again from a
    file) is still found, and one that only shares its start is not taken for it."""
    timeline = Timeline(Limits())
    first, twin, other = _work(0, label="a"), _work(0, label="b"), _work(86400, label="o")
    for work in (other, twin, first):
        timeline.add(work)
    assert [w.key for w in timeline.works] == ["a", "b", "o"]  # at one start: in Work order
    timeline.remove(dataclasses.replace(twin))  # equal, not the same object
    assert timeline.works == [first, other]
    with pytest.raises(ValueError):
        timeline.remove(_work(0, label="c"))  # the same start, another shift
    timeline.remove(first)
    timeline.remove(other)
    assert timeline.works == [] and timeline.weeks == {}


def test_a_conflict_is_still_a_frozen_value():
    """Conflict, a named tuple for speed, is still immutable, equal by value, hashable and
    true (`if conflict`), its week and total optional."""
    one = Conflict("max_hours_per_week", None, 50.0, 739000)
    assert one == Conflict("max_hours_per_week", None, 50.0, 739000) and hash(one) and one
    assert one.total is None and one.week == 739000 and one.value == 50.0
    assert Conflict(rule="overlap", other=None, value=0).week is None
    with pytest.raises(AttributeError):
        one.rule = "overlap"


def test_each_rule_a_timeline_refuses_by_is_a_conflict_as_built_by_its_fields():
    """`Timeline.conflict` builds its answers without the named tuple's constructor: each
    rule's is still a Conflict, equal to the one built field by field, week and total
    where they belong."""
    limits = Limits(min_rest_hours=10, max_consecutive_days=2, max_nights_in_a_row=1,
                    max_hours_per_week=20)
    timeline = Timeline(limits)
    monday = (738998 - 719163) * 86400  # a Monday's midnight (day 738998), epoch seconds
    day = lambda n, hours=8.0: _work(monday + n * 86400 + 8 * 3600, hours, f"d{n}")  # noqa
    first, second = day(0), day(1)
    for work in (first, second):
        timeline.add(work)
    night = Work(monday + 5 * 86400 + 20 * 3600, monday + 6 * 86400 + 4 * 3600, 739003, True,
                 8.0, "n5")
    timeline.add(night)
    asked = {
        "overlap": (day(0), Conflict("overlap", first, 0)),
        "min_rest_hours": (_work(monday + 86400 - 3600, 1.0, "late"),
                           Conflict("min_rest_hours", first, 7.0)),
        "max_consecutive_days": (day(2), Conflict("max_consecutive_days", None, 3)),
        "max_nights_in_a_row": (Work(monday + 6 * 86400 + 20 * 3600,
                                     monday + 7 * 86400 + 4 * 3600, 739004, True, 1.0, "n6"),
                                Conflict("max_nights_in_a_row", None, 2)),
        "max_hours_per_week": (day(3, 6.0), Conflict("max_hours_per_week", None, 30.0,
                                                     738998)),
    }
    for rule, (work, expected) in asked.items():
        found = timeline.conflict(work)
        assert type(found) is Conflict and found == expected and found.rule == rule
        assert (found.week, found.total) == (expected.week, None)


def test_whether_a_timeline_blocks_a_shift_is_whether_it_finds_a_conflict():
    """`Timeline.blocks` checks the week's hours first and builds no Conflict: on random
    timelines (shifts on site, nights and on-call duties, tight limits) it refuses exactly
    the shifts `conflict` refuses, whichever rule that names."""
    rng = random.Random(7)
    monday = (738998 - 719163) * 86400
    refused = set()
    for _ in range(60):
        limits = Limits(min_rest_hours=rng.choice([8, 11, 12]),
                        max_consecutive_days=rng.choice([2, 3, 6]),
                        max_nights_in_a_row=rng.choice([1, 2, 3]),
                        max_hours_per_week=rng.choice([20, 40, 48]))
        timeline = Timeline(limits)

        def shift(n: int) -> Work:
            start = monday + rng.randrange(21) * 86400 + rng.choice([0, 8, 12, 16, 20]) * 3600
            hours = rng.choice([4.0, 8.0, 9.5, 12.0])
            night = (start % 86400) // 3600 >= 20
            return Work(start, start + int(hours * 3600), start // 86400 + 719163, night,
                        hours, ("w", n), rng.random() < 0.15)

        for n in range(rng.randrange(1, 14)):
            work = shift(n)
            if timeline.conflict(work) is None or rng.random() < 0.3:
                timeline.add(work)
        for n in range(40):
            work = shift(100 + n)
            found = timeline.conflict(work)
            assert timeline.blocks(work) is (found is not None)
            refused.add(found.rule if found else None)
    assert refused >= {None, "overlap", "min_rest_hours", "max_consecutive_days",
                       "max_nights_in_a_row", "max_hours_per_week"}


def test_a_roster_file_writes_each_text_as_it_did_before_the_lookup(monkeypatch):
    """`_scalar` looks a text up once (a year's unfilled places repeat the same ids and rule
    names): asked again, quoted or not, it writes what the plain path writes, for ids and
    free text alike, and past the cache's size it still does."""
    from dutyctl.roster import rosterfile

    monkeypatch.setattr(rosterfile, "_SCALARS", {})
    monkeypatch.setattr(rosterfile, "_SCALARS_KEPT", 8)
    texts = ["zhangwei", "张伟", "yes", "null", "1号岗", "1", "2026-10-01", "a b", "max_hours",
             "值班 说明", "on", "x: y", "", "-a", "Off"] * 2
    for text in texts:
        for id_text in (False, True):
            assert rosterfile._scalar(text, id_text) == rosterfile._text_scalar(text, id_text)
    assert rosterfile._scalar("yes", True) == '"yes"' and rosterfile._scalar("张伟", True) == "张伟"
    assert rosterfile._scalar("张伟") == '"张伟"'  # free text: quoted unless ASCII and plain
    assert len(rosterfile._SCALARS) == 8


def plain_add_cost(state: State, s: int, i: int) -> float:
    """`State.add_cost` as first written, one candidate at a time."""
    load = state.loads[s]
    total = 0.0
    for m, amount, _ in state.deltas[i]:
        total += state.weights[m] * amount * (2 * load[m] + amount)
    return total / state.capacity[s] + state.pref.get((s, i), 0.0)


def plain_special_move(state: State, a: int, b: int, i: int) -> float:
    """`Improving._special_moves` for one candidate, as first written."""
    la, lb = state.loads[a], state.loads[b]
    total = 0.0
    for m, amount, _ in state.deltas[i]:
        if m != HOURS:
            total += state.weights[m] * amount * ((amount - 2 * la[m]) / state.capacity[a]
                                                  + (2 * lb[m] + amount) / state.capacity[b])
    return total


def test_the_batched_costs_and_nearby_lookups_a_short_staffed_month_asks_are_the_plain_ones(
        workspace, monkeypatch):
    """While generating S at half its staff, every candidate's cost (`add_costs`, the moves
    and the greedy fill), every swap's special move, every open place near a start
    (`open_near`, read from an index kept by start) and every person's places near a
    position (`_near`) equal, to the last bit and in the same order, what the plain loops
    give."""
    from dutyctl.roster.solver.improving import Improving

    fast_costs, fast_moves = State.add_costs, Improving._special_moves
    fast_open, fast_near = State.open_near, State._near
    asked = {"costs": 0, "moves": 0, "open": 0, "near": 0}

    def costs(self, i, candidates):
        plain = [plain_add_cost(self, s, i) for s in candidates]
        found = fast_costs(self, i, candidates)
        assert found == plain
        asked["costs"] += len(candidates)
        return found

    def moves(self, a, i, candidates):
        found = fast_moves(self, a, i, candidates)
        assert found == [plain_special_move(self, a, b, i) for b in candidates]
        asked["moves"] += 1
        return found

    def open_near(self, i, start):
        p = self.positions[i]
        found = fast_open(self, i, start)
        assert found == [k for k in self.open_by_shift.get((p.shift.id, p.role), ())
                         if abs(self.works[k].start - start) <= NEAR_SECONDS]
        asked["open"] += 1
        return found

    def near(self, s, i):
        found = fast_near(self, s, i)
        assert found == plain_near(self, s, i)
        asked["near"] += 1
        return found

    monkeypatch.setattr(State, "add_costs", costs)
    monkeypatch.setattr(Improving, "_special_moves", moves)
    monkeypatch.setattr(State, "open_near", open_near)
    monkeypatch.setattr(State, "_near", near)
    _generate_small_at_half_its_staff(workspace)
    assert asked["costs"] > 1000 and asked["moves"] > 10 and asked["open"] > 10
    assert asked["near"] > 100


def test_places_near_a_position_beside_the_month_before_are_the_plain_ones(workspace,
                                                                           monkeypatch):
    """December after November, S at half its staff: each person's timeline also holds
    November's last shifts (`history`), which `_near` leaves out, and its answers are kept
    while the person holds the same places (`near_known`) through every search's rollbacks.
    Each answer equals the plain scan of the places held, in the same order."""
    from benchmarks.roster_instances import short_staffed, small

    fast_near = State._near
    asked = {"near": 0, "beside history": 0}

    def near(self, s, i):
        found = fast_near(self, s, i)
        start = self.works[i].start
        assert found == plain_near(self, s, i)
        asked["near"] += 1
        asked["beside history"] += any(
            id(work) not in self.work_at and abs(work.start - start) <= NEAR_SECONDS
            for work in self.timelines[s].works)
        return found

    instance = short_staffed(small(), 0.5)
    write_rules(workspace, instance.rules_text)
    generate(workspace, date(2026, 11, 1), date(2026, 11, 30), seed=0)
    monkeypatch.setattr(State, "_near", near)
    december = generate(workspace, date(2026, 12, 1), date(2026, 12, 31), seed=0)
    assert december.roster.unfilled and asked["near"] > 100 and asked["beside history"] > 10, \
        asked


def _random_steps(workspace, check) -> None:
    """Random places given up and taken (only where no hard rule refuses), and rolled back
    to earlier marks, on M at half its staff after the greedy fill; `check(solver, rng)`
    after each step."""
    from benchmarks.roster_instances import medium, short_staffed

    solver, positions = _after_the_greedy_fill(workspace, short_staffed(medium(), 0.5))
    rng = random.Random(5)
    places = range(len(positions))
    marks, steps = [], {"given": 0, "taken": 0, "rolled back": 0}
    for _ in range(3000):
        i = rng.choice(places)
        s = solver.assigned[i]
        if s is not None and rng.random() < 0.5:
            solver.unassign(i)
            steps["given"] += 1
        elif s is None:
            s = rng.choice(solver.eligible[i] or (None,))
            if s is not None and solver.conflict(s, i) is None:
                solver.assign(s, i)
                steps["taken"] += 1
        if rng.random() < 0.05:
            marks.append(len(solver.log))
        if marks and rng.random() < 0.03:
            mark = rng.choice(marks)
            solver.rollback(mark)
            marks = [earlier for earlier in marks if earlier <= mark]
            steps["rolled back"] += 1
        check(solver, rng)
    assert min(steps.values()) > 10, steps


def test_places_near_a_position_stay_right_through_random_takes_gives_and_rollbacks(
        workspace):
    """After each random step (`_random_steps`) every person's places near a random
    position (`_near`, kept while they hold the same) equal the plain scan of what they
    hold."""
    def check(solver, rng):
        for _ in range(5):
            s, i = rng.randrange(len(solver.members)), rng.randrange(len(solver.positions))
            assert solver._near(s, i) == plain_near(solver, s, i)

    _random_steps(workspace, check)


def plain_filled_seats(solver, cell: tuple) -> int:
    """How many of a shift's seats (a key's first three) are held, by walking their keys."""
    filled, seat = 0, 0
    while (i := solver.key_index.get((*cell, seat))) is not None:
        filled += solver.assigned[i] is not None
        seat += 1
    return filled


def test_the_seats_filled_on_a_shift_stay_right_through_random_takes_gives_and_rollbacks(
        workspace):
    """After each random step (`_random_steps`) the filled seats of random shifts, counted as
    places are taken and given up (`_filled_seats`, `_filled_at`), are those the seats' keys
    hold; a shift with no place here has none, and at the end every shift is checked."""
    def check(solver, rng):
        for _ in range(5):
            i = rng.randrange(len(solver.positions))
            cell = solver.positions[i].key[:3]
            assert solver._filled_at(i) == solver._filled_seats(cell) \
                == plain_filled_seats(solver, cell)
        walked["solver"] = solver

    walked = {}
    _random_steps(workspace, check)
    solver = walked["solver"]
    cells = {p.key[:3] for p in solver.positions}
    assert {cell: solver._filled_seats(cell) for cell in cells} \
        == {cell: plain_filled_seats(solver, cell) for cell in cells}
    assert any(solver._filled_seats(cell) > 1 for cell in cells)
    day, shift, role = next(iter(cells))
    assert solver._filled_seats((day, shift, "no such role")) == 0


def test_the_raise_s_coverage_test_answers_as_counted_anew(workspace, monkeypatch):
    """While `_take_open` tests its options it keeps each window's stretches with nobody as
    the roster stands (`uncovered_known`); every answer `_splits_cover` gives while S at a
    quarter of its staff is generated equals the one counted without them, and some were
    asked with them kept."""
    splits = Solver._splits_cover
    asked = {"kept": 0, "anew": 0}

    def compared(self, j, i):
        known = self.uncovered_known
        answer = splits(self, j, i)
        self.uncovered_known = None
        try:
            assert splits(self, j, i) == answer
        finally:
            self.uncovered_known = known
        asked["kept" if known is not None else "anew"] += 1
        return answer

    monkeypatch.setattr(Solver, "_splits_cover", compared)
    from benchmarks.roster_instances import small

    _generated(workspace, small, 0.25)
    assert asked["kept"] > 10 and asked["anew"] > 10, asked


def test_the_amounts_a_person_holds_stay_right_through_random_takes_gives_and_rollbacks(
        workspace):
    """After each random step (`_random_steps`) a random person's amounts of each count
    (`held_amounts`, kept while they hold the same) are those of the places they hold,
    each once and in order; then someone who gives up every place of their longest kind no
    longer holds its hours, and holds them again once that is rolled back; and someone
    given a place of every length holds each length, in order."""
    def plain(solver, s, m):
        return tuple(sorted({solver.amounts[j][m] for j in solver.held[s]}))

    def check(solver, rng):
        s = rng.randrange(len(solver.members))
        for m in range(len(METRICS)):
            assert solver.held_amounts(s, m) == plain(solver, s, m)
        walked["solver"] = solver

    walked = {}
    _random_steps(workspace, check)
    solver = walked["solver"]
    s = next(s for s in range(len(solver.members)) if len(plain(solver, s, HOURS)) > 1)
    before = solver.held_amounts(s, HOURS)
    mark = len(solver.log)
    for j in [j for j in solver.held[s] if solver.amounts[j][HOURS] == before[-1]]:
        solver.unassign(j)
        assert solver.held_amounts(s, HOURS) == plain(solver, s, HOURS)
    assert before[-1] not in solver.held_amounts(s, HOURS)
    solver.rollback(mark)
    assert solver.held_amounts(s, HOURS) == before
    # every length of shift at once (12, 9 and 8 h), the longest taken first: in order
    lengths = sorted({row[HOURS] for row in solver.amounts}, reverse=True)
    for amount in lengths:
        i = next(i for i, row in enumerate(solver.amounts)
                 if row[HOURS] == amount and solver.assigned[i] != s)
        if solver.assigned[i] is not None:
            solver.unassign(i)
        solver.assign(s, i)  # no rule asked: only what s holds matters here
    assert len(lengths) >= 3 and solver.held_amounts(s, HOURS) == plain(solver, s, HOURS)
    solver.rollback(mark)
    assert solver.held_amounts(s, HOURS) == before


def plain_swaps_back(state, a: int, i: int, c: int, m: int, amount: float, active: set[int],
                     least: float = -1.0) -> list[int]:
    """`_swaps_back` as the scan of c's places near i, with no look at what c holds first."""
    return [j for j in plain_near(state, c, i) if least + EPSILON < state.amounts[j][m]
            < amount - EPSILON and j not in state.fixed and j in active
            and a in state.eligible_set[j]]


def test_the_places_a_trade_could_give_back_are_the_plain_ones(workspace, monkeypatch):
    """While generating S at half its staff, every list of places c could give back for i
    (`_swaps_back`) equals the plain scan of c's places near i, in the same order; where c
    holds no place of such an amount at all (a quarter of the asks or more) the answer comes
    from what c holds (`held_amounts`), without reading c's places near i; some lists are
    not empty."""
    from dutyctl.roster.solver.levelling import Levelling

    fast, fast_near = Levelling._swaps_back, State._near
    asked = {"asks": 0, "none held": 0, "found": 0, "near read for none held": 0}
    read = {"near": 0}

    def near(self, s, i):
        read["near"] += 1
        return fast_near(self, s, i)

    def swaps_back(self, a, i, c, m, amount, active, least=-1.0):
        none_held = not any(least + EPSILON < self.amounts[j][m] < amount - EPSILON
                            for j in self.held[c])
        reads = read["near"]
        found = fast(self, a, i, c, m, amount, active, least)
        assert found == plain_swaps_back(self, a, i, c, m, amount, active, least)
        asked["asks"] += 1
        asked["none held"] += none_held
        asked["near read for none held"] += none_held and read["near"] > reads
        asked["found"] += bool(found)
        return found

    monkeypatch.setattr(State, "_near", near)
    monkeypatch.setattr(Levelling, "_swaps_back", swaps_back)
    _generate_small_at_half_its_staff(workspace)
    assert asked["none held"] >= asked["asks"] / 4 and asked["found"] > 10, asked
    assert asked["near read for none held"] == 0, asked


def test_eligibility_and_preferences_worked_out_once_per_day_are_each_places_own(workspace):
    """Who may take each place, and what each person's preferences cost there, looked up
    once per role and day (and shift) in L's January: the same as asked place by place."""
    from benchmarks.roster_instances import large
    from dutyctl.roster import positions as positions_module
    from dutyctl.roster.rules import load_rules
    from dutyctl.roster.solver.state import preference_score

    instance = large()
    write_rules(workspace, instance.rules_text)
    rules = load_rules(workspace)
    first, last = instance.first, instance.first.replace(day=31)
    positions = positions_module.expand(rules, first, last, workspace.config.tz)
    state = State(rules, positions, first, last, seed=0)
    weight = rules.preference_weight
    plain_pref = {}
    for i, p in enumerate(positions):
        eligible = [s for s, member in enumerate(state.members) if p.role in member.roles
                    and member.unavailable_reason(p.day) is None]
        assert list(state.eligible[i]) == eligible and state.eligible_set[i] == set(eligible)
        for s in eligible:
            score = preference_score(state.members[s], p)
            if score:
                plain_pref[(s, i)] = weight * score
                assert state.pref_at[i][s] == weight * score
        assert len(state.pref_at[i]) == sum(1 for s in eligible if (s, i) in plain_pref)
    assert state.pref == plain_pref and len(plain_pref) > 100


def test_levelling_prices_its_moves_and_swaps_in_batches_as_one_at_a_time(workspace,
                                                                          monkeypatch):
    """While generating S at three quarters of its staff, every batch of moves (a hands i to
    each candidate) and of swaps (a gives i to c, who gives j back) levelling prices, and
    equals, to the last bit, the plain
    `change_cost` of each change list."""
    from benchmarks.roster_instances import short_staffed, small

    fast_moves, fast_swaps = State.move_costs, State.swap_costs
    asked = {"moves": 0, "swaps": 0}

    def moves(self, a, i, candidates):
        found = fast_moves(self, a, i, candidates)
        assert found == [plain_change_cost(self, [(a, i, -1), (c, i, 1)]) for c in candidates]
        asked["moves"] += len(candidates)
        return found

    def swaps(self, a, i, pairs):
        found = fast_swaps(self, a, i, pairs)
        assert found == [plain_change_cost(self, [(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)])
                         for c, j in pairs]
        asked["swaps"] += len(pairs)
        return found

    monkeypatch.setattr(State, "move_costs", moves)
    monkeypatch.setattr(State, "swap_costs", swaps)
    instance = short_staffed(small(), 0.75)
    write_rules(workspace, instance.rules_text)
    result = generate(workspace, instance.first, instance.last, seed=0)
    assert result.roster.unfilled and result.roster.assignments
    assert asked["moves"] > 100 and asked["swaps"] > 100


def test_moves_and_swaps_priced_in_batches_on_random_places_are_the_plain_ones(workspace):
    """Random moves and swaps between people of one group, of two, or of none, with and
    without preferences, priced in batches (and a swap alone by `change_cost`): each equal
    to the last bit to the plain `change_cost` of its change list."""
    from benchmarks.roster_instances import medium, short_staffed

    solver, positions = _after_the_greedy_fill(workspace, short_staffed(medium(), 0.5))
    assert len(set(solver.group_of)) > 2 and None in solver.group_of
    rng = random.Random(11)
    people, places = range(len(solver.members)), range(len(positions))
    preferred = {(s, i): rng.choice((0.3, 1.7, 2.9)) for s in people for i in places
                 if rng.random() < 0.3}  # M has none: made up, as L's
    for preferences in ({}, preferred):
        solver.pref = preferences
        solver.pref_at = solver._preferences_by_position()
        for _ in range(200):
            a, i = rng.choice(people), rng.choice(places)
            others = [c for c in people if c != a]
            assert solver.move_costs(a, i, others) == [
                plain_change_cost(solver, [(a, i, -1), (c, i, 1)]) for c in others]
            pairs = [(rng.choice(others), rng.choice(places)) for _ in range(10)]
            assert solver.swap_costs(a, i, pairs) == [
                plain_change_cost(solver, [(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)])
                for c, j in pairs]
            assert [solver.change_cost([(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)])
                    for c, j in pairs] == [
                plain_change_cost(solver, [(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)])
                for c, j in pairs]


def test_whether_the_others_can_even_the_shifts_out_is_the_plain_answer(workspace, monkeypatch):
    """While S at three quarters of its staff raises its clerks' weekends (`_raise_each`),
    every `_can_even` (each list's shifts read once, `_cross_shifts`) answers what the
    plain scan of every change's place pairs answers."""
    from benchmarks.roster_instances import short_staffed, small
    from dutyctl.roster.solver.raising import Raising

    fast = Raising._can_even
    asked = {True: 0, False: 0}

    def plain(self, moved, rest, found):
        shift = lambda k: self.positions[k].shift.id  # noqa: E731
        return all(not x or sum(1 for b in rest if any(
            shift(pair[0]) != shift(pair[1]) and shift(pair[0 if x > 0 else 1]) == wanted
            for change in found.get(b, ()) for pair in self._nets(change))) >= abs(x)
            for wanted, x in moved.items())

    def can_even(self, moved, rest, found):
        answer = fast(self, moved, rest, found)
        assert answer == plain(self, moved, rest, found)
        asked[answer] += 1
        return answer

    monkeypatch.setattr(Raising, "_can_even", can_even)
    instance = short_staffed(small(), 0.75)
    write_rules(workspace, instance.rules_text)
    result = generate(workspace, instance.first, instance.last, seed=0)
    assert result.roster.assignments
    assert asked[True] > 5 and asked[False] > 5


def plain_apply(state: State, changes) -> bool:
    """`State.apply` as first written: every removal, then each addition until one breaks a
    hard rule, all undone then."""
    mark = len(state.log)
    for s, i, sign in changes:
        if sign < 0:
            state.unassign(i)
    for s, i, sign in changes:
        if sign > 0:
            if state.assigned[i] is not None or state.conflict(s, i) is not None:
                state.rollback(mark)
                return False
            state.assign(s, i)
    return True


def _everything(state: State) -> tuple:
    """Who holds what, each person's set of places in its order (searches read it), every
    sum to the last bit, and each timeline's shifts and counts in their order."""
    timelines = [([state.work_at.get(id(work)) for work in timeline.works],
                  list(timeline.days.items()),
                  list(timeline.nights.items()), list(timeline.weeks.items()))
                 for timeline in state.timelines]
    return (list(state.assigned), [list(places) for places in state.held],
            [list(load) for load in state.loads], [list(sums) for sums in state.group_sums],
            list(state.week_filled), timelines)


def test_random_changes_applied_leave_what_the_plain_apply_leaves(workspace):
    """Two solvers of M at half its staff after the greedy fill, in step: random moves (to
    someone free for the place, or anyone), swaps and other change lists, each applied to
    one by `apply` and to the other by the plain apply, and undone on both every so often
    (by the log, as a search undoes them). After each, both answered alike, counted the same
    checks and hold everything alike (`_everything`: sets' order and sums to the last bit)."""
    from benchmarks.roster_instances import medium, short_staffed

    instance = short_staffed(medium(), 0.5)
    fast, _ = _after_the_greedy_fill(workspace, instance)
    plain, positions = _after_the_greedy_fill(workspace, instance)
    for solver in (fast, plain):  # every sum and amount a random fraction off, alike in
        awkward = random.Random(1).random  # both: a sum less an amount plus it is then not
        for sums in (*solver.loads, *solver.group_sums, solver.week_filled):  # always the sum
            sums[:] = [total + 100 * awkward() for total in sums]
        for timeline in solver.timelines:
            timeline.weeks.update((week, hours + 10 * awkward())
                                  for week, hours in timeline.weeks.items())
        solver.deltas = [[(m, amount * (1 + awkward()), weighted)
                          for m, amount, weighted in delta] for delta in solver.deltas]
    assert _everything(fast) == _everything(plain)
    rng = random.Random(3)
    people, places = range(len(fast.members)), range(len(positions))
    answers = {True: 0, False: 0, "moves refused": 0, "moves made": 0}
    for _ in range(3000):
        held = [i for i in places if fast.assigned[i] is not None]
        i, j = rng.choice(held), rng.choice(places)
        a, c = fast.assigned[i], rng.choice(people)
        kind = rng.randrange(6)
        if kind == 0:  # a hands i to someone free for it, or to c
            free = [b for b in fast.eligible[i]
                    if b != a and fast.timelines[b].conflict(fast.works[i]) is None]
            changes = [(a, i, -1), (rng.choice(free) if free and rng.random() < 0.5 else c, i,
                                    1)]
        elif kind == 1:  # c takes j, held or open
            changes = [(c, j, 1)]
        elif kind == 2 and fast.assigned[j] is not None and j != i:  # a swap
            changes = [(a, i, -1), (fast.assigned[j], j, -1), (fast.assigned[j], i, 1),
                       (a, j, 1)]
        elif kind == 4:  # a gives up i, c takes j, held (by a or another) or open
            changes = [(a, i, -1), (c, j, 1)]
        elif kind == 5:  # a move written taking first
            changes = [(c, i, 1), (a, i, -1)]
        else:  # c takes i and j while a gives up i
            changes = [(a, i, -1), (c, i, 1), (c, j, 1)]
        marks = (len(fast.log), len(plain.log))
        checks = (fast.checks, plain.checks)
        answer = fast.apply(changes)
        assert answer == plain_apply(plain, changes), changes
        assert fast.checks - checks[0] == plain.checks - checks[1], changes
        if rng.random() < 0.7:  # most tries are undone, as in the searches
            fast.rollback(marks[0])
            plain.rollback(marks[1])
        assert _everything(fast) == _everything(plain), changes
        answers[answer] += 1
        if kind == 0 and changes[1][0] != a:
            answers["moves made" if answer else "moves refused"] += 1
    assert answers[True] > 20 and answers["moves refused"] > 100, answers
    assert answers["moves made"] > 2, answers


def test_a_refused_change_list_is_tried_on_the_timelines_alone(workspace, monkeypatch):
    """A swap (four changes) that breaks a hard rule is refused without giving up or taking
    a place (no `unassign`, `assign` or rollback): tried on the timelines, it leaves what
    the plain apply leaves (sums, sets' order, timelines), the holdings' hashes, the seats'
    counts and the undo log as they were, and counts the plain apply's checks."""
    from benchmarks.roster_instances import medium, short_staffed

    instance = short_staffed(medium(), 0.5)
    fast, positions = _after_the_greedy_fill(workspace, instance)
    plain, _ = _after_the_greedy_fill(workspace, instance)
    calls = []
    for name in ("assign", "unassign", "rollback"):
        def recorded(*args, _name=name, _made=getattr(fast, name)):
            calls.append(_name)
            return _made(*args)
        monkeypatch.setattr(fast, name, recorded)
    rng = random.Random(5)
    held = [i for i in range(len(positions)) if fast.assigned[i] is not None]
    refused = 0
    for _ in range(400):
        i, j = rng.sample(held, 2)
        a, c = fast.assigned[i], fast.assigned[j]
        if a == c:
            continue
        changes = [(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)]
        before = (fast.checks, len(fast.log), list(fast.version), list(fast.cell_filled))
        checks = plain.checks
        if plain_apply(plain, changes):  # made on both and undone, alike
            assert fast.apply(changes)
            plain.rollback(before[1])
            fast.rollback(before[1])
            calls.clear()
            continue
        assert fast.apply(changes) is False
        assert calls == []
        assert (list(fast.version), list(fast.cell_filled)) == (before[2], before[3])
        assert len(fast.log) == before[1] == len(plain.log)
        assert fast.checks - before[0] == plain.checks - checks
        assert _everything(fast) == _everything(plain)
        refused += 1
    assert refused > 100


def test_a_short_staffed_month_applies_its_changes_as_the_plain_apply_does(workspace,
                                                                           monkeypatch):
    """M at half its staff generated twice, once with `apply` and once with the plain apply:
    every change asked, in the same order, answered alike with the same checks, and what
    the people it names hold alike after it (`_everything`'s parts, theirs); the rosters the
    same."""
    from benchmarks.roster_instances import medium

    fast = State.apply
    runs: dict[str, list] = {"fast": [], "plain": []}

    def recorded(name, apply):
        def run(self, changes):
            checks = self.checks
            answer = apply(self, changes)
            people = sorted({s for s, _, _ in changes} | {self.assigned[i] for _, i, _ in changes
                                                          if self.assigned[i] is not None})
            timelines = [(list(self.timelines[s].days.items()),
                          list(self.timelines[s].weeks.items())) for s in people]
            runs[name].append((changes, answer, self.checks - checks,
                               [list(self.held[s]) for s in people],
                               [list(self.loads[s]) for s in people], timelines,
                               [list(sums) for sums in self.group_sums]))
            return answer
        return run

    monkeypatch.setattr(State, "apply", recorded("fast", fast))
    first = _generated(workspace, medium, 0.5)
    monkeypatch.setattr(State, "apply", recorded("plain", plain_apply))
    again = _generated(workspace, medium, 0.5)
    assert runs["fast"] == runs["plain"]
    assert first.roster.assignments == again.roster.assignments
    moves = [answer for changes, answer, *_ in runs["fast"]
             if len(changes) == 2 and changes[0][1] == changes[1][1]]
    assert moves.count(False) > 20  # moves refused at once (the moves made: the random test)


def test_a_shed_or_gain_that_failed_in_one_levelling_search_fails_again_for_its_checks(
        workspace, monkeypatch):
    """While generating M at three quarters of its staff, each shed or gain `_level_once`
    passes over because it failed earlier in the same search, run all the same, fails again
    and spends exactly the checks counted for it: the roster is the one running it again
    gives."""
    from benchmarks.roster_instances import medium
    from dutyctl.roster.solver.levelling import Levelling

    fast = Levelling._unless_failed
    repeated = {"shed": 0, "gain": 0}

    def unless_failed(self, failed, key, step):
        if key not in failed:
            return fast(self, failed, key, step)
        checks = self.checks
        assert step() is False
        assert self.checks - checks == failed[key]
        repeated[key[0]] += 1
        return False

    monkeypatch.setattr(Levelling, "_unless_failed", unless_failed)
    result = _generated(workspace, medium, 0.75)
    assert result.roster.unfilled and repeated["shed"] > 5 and repeated["gain"] > 0, repeated


def test_a_step_that_failed_in_a_search_is_not_run_again_but_its_checks_are_counted(
        workspace):
    """`_unless_failed`: a step that failed spending 7 checks is not run again under its key
    (7 counted all the same); another key's step runs; one that succeeds is not recorded."""
    from benchmarks.roster_instances import small

    solver, _ = _after_the_greedy_fill(workspace, small())
    ran, failed = [], {}

    def step(name, spend, answer):
        def run():
            ran.append(name)
            solver.checks += spend
            return answer
        return run

    before = solver.checks
    assert solver._unless_failed(failed, ("shed", 1), step("first", 7, False)) is False
    assert solver._unless_failed(failed, ("shed", 1), step("again", 3, False)) is False
    assert solver._unless_failed(failed, ("gain", 1), step("other", 2, True)) is True
    assert solver._unless_failed(failed, ("gain", 1), step("after", 1, True)) is True
    assert ran == ["first", "other", "after"] and solver.checks - before == 7 + 7 + 2 + 1



def test_the_repair_and_the_cover_ask_a_timeline_once_for_what_they_ask_again(monkeypatch):
    """`_free_without` while the repair or the cover runs: an ask of s's timeline already
    answered with s holding the same places is answered from `free_known`, as the timeline
    answers it (M at a quarter of its staff, October alone: the repair's proof asks what
    its chains then ask again); elsewhere, and after those steps, nothing is kept."""
    from benchmarks.roster_instances import medium, short_staffed
    from dutyctl.roster.generate import plan

    asked = {"asks": 0, "read": 0}
    free_without, read = Solver._free_without, Solver._timeline_free_without

    def checked(self, s, i, removal, holding=()):
        found = free_without(self, s, i, removal, holding)
        assert found == read(self, s, i, removal, holding)
        asked["asks"] += 1
        return found

    def reading(self, s, i, removal, holding):
        asked["read"] += 1
        return read(self, s, i, removal, holding)

    monkeypatch.setattr(Solver, "_free_without", checked)
    monkeypatch.setattr(Solver, "_timeline_free_without", reading)
    instance = short_staffed(medium(), 0.25)
    rules = parse(instance.rules_text)
    solved = []
    solve = Solver.solve

    def solving(self):
        solved.append(self)
        return solve(self)

    monkeypatch.setattr(Solver, "solve", solving)
    plan(rules, date(2026, 10, 1), date(2026, 10, 31), SHANGHAI, 0)
    # the repair's 688 and the cover's 46 asks answered again
    assert asked["asks"] > 1000 and asked["asks"] - asked["read"] >= 600, asked
    assert solved[0].free_known is None

def plain_block_swaps(state, a: int, b: int, m: int, active: set[int], gap: float,
                      lengths, movable: bool = True) -> list:
    """`_block_swaps` as first written: each window's places gathered and tested (not
    `movable`: whether a place is fixed, or the other may take it, left untested)."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for s in (a, b):
        for i in state.held[s]:
            if i in active:
                by_day.setdefault(state.works[i].day, []).append((s, i))
    if not by_day:
        return []
    options = []
    first, last = min(by_day), max(by_day)
    shed_by = [0.0] * (last - first + 2)
    for day in range(first, last + 1):
        shed_by[day - first + 1] = shed_by[day - first] + sum(
            state._amount(i, m) * (1 if s == a else -1) for s, i in by_day.get(day, ()))
    for length in lengths:
        for start in range(first, last - length + 2):
            shed = shed_by[start - first + length] - shed_by[start - first]
            if not 1e-9 < shed < gap - 1e-9:
                continue
            held = [pair for day in range(start, start + length)
                    for pair in by_day.get(day, ())]
            if movable and any(i in state.fixed for _, i in held):
                continue
            other = {a: b, b: a}
            if not movable or all(other[s] in state.eligible_set[i] for s, i in held):
                options.append([(s, i, -1) for s, i in held] + [(other[s], i, 1) for s, i in held])
    return options


def test_the_stretches_two_people_may_exchange_are_the_plain_ones(workspace, monkeypatch):
    """While generating M at half its staff, every list of stretches of days two people
    could exchange whole (`_block_swaps`: windows with a place fixed, or one the other may
    not take, passed over by a yes or no kept per day) equals, in order, the plain one."""
    from benchmarks.roster_instances import medium
    from dutyctl.roster.solver.levelling import Levelling

    fast = Levelling._block_swaps
    asked = {"lists": 0, "options": 0, "passed over": 0}

    def block_swaps(self, a, b, m, active, gap, lengths=budgets.BLOCK_DAYS):
        found = fast(self, a, b, m, active, gap, lengths)
        assert found == plain_block_swaps(self, a, b, m, active, gap, lengths)
        asked["lists"] += 1
        asked["options"] += len(found)
        asked["passed over"] += len(plain_block_swaps(self, a, b, m, active, gap, lengths,
                                                      movable=False)) - len(found)
        return found

    monkeypatch.setattr(Levelling, "_block_swaps", block_swaps)
    result = _generated(workspace, medium, 0.5)
    assert result.roster.unfilled and asked["lists"] > 10 and asked["options"] > 500, asked
    assert asked["passed over"] > 100, asked


def test_the_spreads_a_shift_with_nobody_is_tried_against_are_the_ones_before_each_try(
        workspace, monkeypatch):
    """While M at half its staff seats its shifts left with nobody (`seat_lone_shifts`),
    the spreads `_seat_lone` works out once for all its tries of a shift are, at every
    try, the spreads as they are then (each try not kept was undone)."""
    from benchmarks.roster_instances import medium
    from dutyctl.roster.solver.filling import Filling

    fast = Filling._keep_strict
    asked = {"tries": 0}

    def keep_strict(self, limit, active, budget, ceiling=None, gaps=None):
        assert gaps is not None
        assert gaps == {key: self._gap(self.groups[key[0]], key[1]) for key in limit}
        asked["tries"] += 1
        return fast(self, limit, active, budget, ceiling, gaps)

    monkeypatch.setattr(Filling, "_keep_strict", keep_strict)
    result = _generated(workspace, medium, 0.5)
    assert result.roster.unfilled and asked["tries"] > 20, asked


def plain_search_week(state, places, people, before, baseline, gaps, stop, staffed, m=HOURS,
                      below=0.0, plan=None):
    """`Levelling._search_week` as first written: each place tried by `assign` and
    `unassign` (loads, sums and the log too), the room read afresh at every node, every leaf
    priced as the change it makes to the loads without its places."""
    need = len(before)
    alone = people[0] == people[1]  # one person re-planning alone may fill one place more
    best: list = [(float("inf"), baseline), None]
    group = state.groups[state.group_of[people[0]]]
    least = sum(state.works[i].hours for s, i, _ in before if s == people[1]) + EPSILON
    held = {i: s for s, i, _ in before}
    wanted: dict[tuple, int] = {}  # shift and role -> places of it filled before
    for _, i, _ in before:
        kind = state.positions[i].key[1:3]
        wanted[kind] = wanted.get(kind, 0) + 1
    later: list[dict[tuple, int]] = [{} for _ in range(len(places) + 1)]
    for k in range(len(places) - 1, -1, -1):
        later[k] = dict(later[k + 1])
        kind = state.positions[places[k]].key[1:3]
        later[k][kind] = later[k].get(kind, 0) + 1
    have: dict[tuple, int] = {}
    chosen: list[tuple[int, int]] = []
    nodes = [budgets.RESHARE_NODES]
    weeks = sorted({week_of(state.works[i].day) for i in places})
    shortest = min(state.works[i].hours for i in places)
    left = [[0] * len(weeks) for _ in range(len(places) + 1)]  # places from k on, a week
    for k in range(len(places) - 1, -1, -1):
        left[k] = list(left[k + 1])
        left[k][weeks.index(week_of(state.works[places[k]].day))] += 1

    # each of them once (one re-planning alone counted once): the week's limit and the
    # timeline's hours by week, looked up here and read live at every node (what
    # `_hours_left` reads)
    hours = [(state.members[s].limits.max_hours_per_week, state.timelines[s].weeks)
             for s in dict.fromkeys(people)]

    def room(k: int) -> int:
        """How many more places the weeks' hours leave the two of them at most."""
        return sum(min(left[k][n], sum(int((most - worked.get(week, 0.0) + EPSILON)
                                           // shortest) for most, worked in hours))
                   for n, week in enumerate(weeks))

    def visit(k: int) -> None:
        nodes[0] -= 1
        if nodes[0] < 0 or state.checks >= stop or len(chosen) > need + alone:
            return
        if k < len(places) and len(chosen) + room(k) < need:
            return
        if m != HOURS and any(have.get(kind, 0) + later[k].get(kind, 0) < count
                              for kind, count in wanted.items()):
            return
        if k == len(places):
            if len(chosen) < need or len(staffed[0] | {
                    state.positions[i].key[:3] for _, i in chosen}) < staffed[1]:
                return
            # what they cost on the loads without them (they are held now)
            cost = -state.change_cost([(s, i, -1) for s, i in chosen])
            if m == HOURS:
                better = sum(state.works[i].hours for s, i in chosen
                             if s == people[1]) > least
            else:
                better = have == wanted and state._gap(group, m) < below - EPSILON
            if better and cost < baseline - EPSILON \
                    and (best[0][0] > 0 or cost < best[0][1]):
                wider = sum(max(0.0, after - gap) for after, gap
                            in zip(state._count_gaps(people[0], ()), gaps))
                if (wider, cost) < best[0]:
                    best[0], best[1] = (wider, cost), list(chosen)
            return
        i = places[k]
        kind = state.positions[i].key[1:3]
        if m == HOURS:  # the less loaded with hours first (a, on a tie), alone once
            a, b = people
            choices = [a, None] if alone else [b, a, None] \
                if state.loads[b][HOURS] < state.loads[a][HOURS] else [a, b, None]
            if plan is not None and state.works[i].day not in plan:
                choices.reverse()  # one re-planning alone: the plan's days off first
        elif i in held:
            choices = [held[i], people[held[i] == people[0]], None]
        else:
            choices = [None, *people]
        for s in choices:
            if s is None:
                visit(k + 1)
            elif (m == HOURS or have.get(kind, 0) < wanted.get(kind, 0)) \
                    and s in state.eligible_set[i] and state.conflict(s, i) is None:
                mark_here = len(state.log)
                state.assign(s, i)
                chosen.append((s, i))
                have[kind] = have.get(kind, 0) + 1
                visit(k + 1)
                have[kind] -= 1
                chosen.pop()
                state.unassign(i)
                del state.log[mark_here:]  # the assign and its undo leave no trace

    visit(0)
    return best[1]


@pytest.mark.parametrize("size, fraction, seed, found", [
    ("medium", 0.25, 2, {"counts"}), ("medium", 0.5, 2, {"hours"}),
    ("large", 0.25, 2, {"hours", "alone", "stopped"})])
def test_a_week_re_shared_on_timelines_alone_finds_what_assigning_each_try_finds(
        workspace, monkeypatch, size, fraction, seed, found):
    """While a short-staffed month levels its hours and counts, each re-share's search
    (`_search_week`: places tried on the two timelines alone, the loads read as if held at a
    leaf) finds the assignment the plain search finds, spends the same checks, and leaves
    everything as it was (`_everything`, the undo log); so too with the check count to stop
    at brought near (1, 2, 3, 5, ... checks on), where a search ends part way. M at a
    quarter of its staff re-shares for a count, at half for the hours; L at a quarter
    re-plans one person's days, and one of its searches ends at the count it was given."""
    from benchmarks import roster_instances
    from dutyctl.roster.solver.levelling import Levelling

    fast = Levelling._search_week
    seen: set[str] = set()

    def both_ways(self, arguments):
        """The fast search's answer and checks, and the plain one's, from the same state."""
        held, log, checks = _everything(self), len(self.log), self.checks
        answer = fast(self, *arguments)
        assert (_everything(self), len(self.log)) == (held, log)
        spent, self.checks = self.checks - checks, checks
        sums = [list(load) for load in self.loads], [list(s) for s in self.group_sums]
        plain = plain_search_week(self, *arguments), self.checks - checks
        self.checks = checks
        self.loads[:], self.group_sums[:] = sums  # the plain one's sums, undone by subtraction
        return (answer, spent), plain

    def search_week(self, places, people, before, baseline, gaps, stop, staffed, m=HOURS,
                    below=0.0, plan=None):
        arguments = [places, people, before, baseline, gaps, stop, staffed, m, below, plan]
        (answer, spent), plain = both_ways(self, arguments)
        assert (answer, spent) == plain
        if self.checks + spent >= stop:
            seen.add("stopped")
        for near in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89):
            if near < min(spent, stop - self.checks):
                arguments[5] = self.checks + near
                fast_one, plain_one = both_ways(self, arguments)
                assert fast_one == plain_one, near
        self.checks += spent
        if answer is not None:
            seen.add("alone" if people[0] == people[1] else "hours" if m == HOURS else "counts")
        return answer

    monkeypatch.setattr(Levelling, "_search_week", search_week)
    instance = roster_instances.short_staffed(getattr(roster_instances, size)(), fraction)
    write_rules(workspace, instance.rules_text)
    result = generate(workspace, instance.first, instance.last, seed=seed)
    assert result.roster.unfilled and found <= seen, seen


def test_the_loads_as_if_places_were_held_are_the_ones_assigning_them_gives(workspace):
    """`as_if_held`: inside, the loads and group sums are, to the last bit, those assigning
    the places gives (a person twice, two groups); after, even when the pricing inside
    fails, the very lists from before are back, the timelines and the log untouched."""
    from benchmarks.roster_instances import medium, short_staffed

    solver, positions = _after_the_greedy_fill(workspace, short_staffed(medium(), 0.5))
    open_places = [i for i in range(solver.planned) if solver.assigned[i] is None]
    rng = random.Random(5)
    seen = {"a person twice": 0, "two groups": 0}
    for _ in range(50):
        chosen = [(rng.randrange(len(solver.members)), i)
                  for i in rng.sample(open_places, rng.randint(1, 5))]
        people = [s for s, _ in chosen]
        seen["a person twice"] += len(set(people)) < len(people)
        seen["two groups"] += len({solver.group_of[s] for s in people} - {None}) > 1
        lists, everything = (list(solver.loads), list(solver.group_sums)), _everything(solver)
        mark = len(solver.log)
        for s, i in chosen:
            solver.assign(s, i)
        assigned = [list(load) for load in solver.loads], [list(s) for s in solver.group_sums]
        solver.rollback(mark)
        del solver.log[mark:]
        solver.loads[:], solver.group_sums[:] = [list(x) for x in lists[0]], \
            [list(x) for x in lists[1]]  # the rollback's sums, undone by subtraction
        lists = (list(solver.loads), list(solver.group_sums))
        with pytest.raises(ZeroDivisionError):
            with solver.as_if_held(chosen):
                assert ([list(load) for load in solver.loads],
                        [list(s) for s in solver.group_sums]) == assigned
                1 / 0
        assert all(a is b for a, b in zip(solver.loads, lists[0]))
        assert all(a is b for a, b in zip(solver.group_sums, lists[1]))
        assert _everything(solver) == everything and len(solver.log) == mark
    assert all(seen.values()), seen


def plain_repack(state, people, weeks, active, stop, balanced: bool = False,
                 prune: bool = True, values: list[tuple | None] | None = None) -> bool:
    """`Filling._repack`'s search as first written: each place tried by `assign` and
    `unassign` (loads, sums and the log too), each person's hours left asked at every node;
    `balanced`: how far the people's counts moved read from their loads against those
    before the search. `prune=False`: no bound cuts a branch (only the hard rules and the
    nodes do); `values`: the best found (its worth, how far its counts moved) is appended
    to it, None where the nodes ran out."""
    packing = state._repacking(people, weeks, active)
    if packing is None:
        return False
    places, owner, worth, later, at_home, owed, shortest = packing
    counts = [m for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL)
              if balanced and state.weights[m]]
    loads_before = {s: list(state.loads[s]) for s in people}
    mark = len(state.log)
    for i in owner:
        state.unassign(i)
    best: list = [0, None, 0.0]
    chosen: list[tuple[int, int]] = []
    nodes = [budgets.REPACK_NODES]

    def apart() -> float:
        return sum(abs(state.loads[s][m] - loads_before[s][m]) for s in people for m in counts)

    def visit(k: int, gained: int) -> None:
        nodes[0] -= 1
        if nodes[0] < 0 or state.checks >= stop:
            return
        # each week's hours the people have left, less those the places they held still
        # need: too few for them, the branch fails; too few for the shortest open place,
        # none of those fills
        if prune:
            ahead = at_home[k]
            for n, week in enumerate(weeks):
                room = sum(max(0.0, state._hours_left(s, week)) for s in people) - owed[n][k]
                if room < -EPSILON:
                    return
                if room + EPSILON >= shortest[n][k]:
                    ahead += later[n][k]
            if gained + ahead < best[0] or gained + ahead == best[0] \
                    and (best[1] is None or best[2] <= EPSILON):
                return
        if k == len(places):
            moved = apart()
            if gained > best[0] or gained == best[0] and best[1] is not None \
                    and moved < best[2] - EPSILON:
                best[:] = gained, list(chosen), moved
            return
        i = places[k]
        held_by = owner.get(i)
        choices = (*people, None) if held_by is None else \
            (held_by, *(s for s in people if s != held_by))
        for s in choices:
            if s is None:
                visit(k + 1, gained)
            elif s in state.eligible_set[i] and state.conflict(s, i) is None:
                mark_here = len(state.log)
                state.assign(s, i)
                chosen.append((s, i))
                visit(k + 1, gained + worth.get(i, 0))
                chosen.pop()
                state.unassign(i)
                del state.log[mark_here:]  # the assign and its undo leave no trace

    visit(0, 0)
    state.rollback(mark)
    if values is not None:
        values.append((best[0], best[2]) if nodes[0] >= 0 else None)
    return best[1] is not None and state.apply(
        [(s, i, -1) for i, s in owner.items()] + [(s, i, 1) for s, i in best[1]])


def test_the_re_packs_bounds_never_cut_the_best_re_pack(workspace, monkeypatch):
    """S at half its staff, November then December month by month (one-week re-packs, and
    in December two-week ones): for each re-pack the search with its bounds (each week's
    hours left against what the held places still need and the shortest open place) finds
    a share worth as much as the search that tries every share, wherever that one ends
    within its nodes; each tried without a node limit, and undone. So too for the search
    of the re-pack of as much worth that moves the people's counts least (`balanced`): as
    little moved as the search of every share finds. The searches are the plain
    reference's (`plain_repack`), which the test below holds the fast one to."""
    from dutyctl.roster.solver.filling import Filling

    repack = Filling._repack
    compared = {(1, False): 0, (2, False): 0, (1, True): 0, (2, True): 0}
    evened = 0  # balanced searches whose least moved is above 0: its ties searched on

    def best_value(self, people, weeks, active, balanced: bool, prune: bool) -> tuple | None:
        mark, checks = len(self.log), self.checks
        sums = [list(load) for load in self.loads], [list(s) for s in self.group_sums]
        values: list[tuple | None] = []
        plain_repack(self, people, weeks, active, math.inf, balanced, prune=prune,
                     values=values)
        self.rollback(mark)
        del self.log[mark:]
        self.checks = checks
        self.loads[:], self.group_sums[:] = sums
        return values[0] if values else None

    def checked(self, people, weeks, active, stop, balanced=False):
        nonlocal evened
        for evenly in (False, True):
            with monkeypatch.context() as nodes:
                nodes.setattr(budgets, "REPACK_NODES", 10**9)
                bounded = best_value(self, people, weeks, active, evenly, prune=True)
                nodes.setattr(budgets, "REPACK_NODES", 20000)
                every = best_value(self, people, weeks, active, evenly, prune=False)
            if bounded is not None and every is not None:
                assert bounded[0] == every[0], (people, weeks, evenly)
                assert bounded[1] == pytest.approx(every[1], abs=1e-9), (people, weeks)
                compared[(len(weeks), evenly)] += 1
                evened += evenly and every[1] > 0
        return repack(self, people, weeks, active, stop, balanced)

    monkeypatch.setattr(Filling, "_repack", checked)
    _s_half_by_month(workspace)
    assert min(compared[(1, evenly)] for evenly in (False, True)) > 10 \
        and min(compared[(2, evenly)] for evenly in (False, True)) > 0 and evened, compared


def _s_half_by_month(workspace):
    """The benchmark's S at half its staff, November then December 2026 month by month:
    December re-packs a week with the week before it (`_repack_wider`)."""
    from benchmarks.roster_instances import short_staffed, small

    instance = short_staffed(dataclasses.replace(small(), first=date(2026, 11, 1)), 0.5)
    write_rules(workspace, instance.rules_text)
    for first, last in ((date(2026, 11, 1), date(2026, 11, 30)),
                        (date(2026, 12, 1), date(2026, 12, 31))):
        result = generate(workspace, first, last, seed=0)
    return result


@pytest.mark.parametrize("run_case", ["M 50%", "M 75%", "S 50% by month", "template by month"])
def test_a_week_re_packed_on_timelines_alone_finds_what_assigning_each_try_finds(
        workspace, monkeypatch, run_case):
    """While M at half and three quarters of its staff re-packs weeks (`_repack`: places
    tried on the people's timelines alone, each one's takers worked out once), and S at
    half its staff month by month re-packs a week with the week before it, each re-pack
    gives what the plain one gives, with the same checks, and leaves the same people
    holding the same places; so too with the check count to stop at brought near (1, 2, 3,
    5, ... checks on), where a search ends part way, and for the re-pack that moves counts
    least (`balanced`). The `init` template with 5 clerks on the day shift, October to
    December month by month, weighs on-call duties: a clerk who is also a technician
    re-packs weeks that hold some."""
    from benchmarks.roster_instances import medium
    from dutyctl.roster.solver.filling import Filling
    from tests.helpers_roster import template_rules

    fast = Filling._repack
    answers = {True: 0, False: 0}
    spans = {True: 0, False: 0}  # the two-week re-packs' answers
    on_call = [0]  # re-packs with an on-call duty among their places, the rules weighing them

    def run(self, repack, people, weeks, active, stop, balanced, undo: bool):
        """What `repack` answers, spends and leaves held; undone after where `undo`."""
        mark, checks = len(self.log), self.checks
        sums = [list(load) for load in self.loads], [list(s) for s in self.group_sums]
        answer = repack(self, people, weeks, active, stop, balanced)
        # what each holds, sorted: an undone move gives a place back at its holder's end
        found = (answer, self.checks - checks, list(self.assigned),
                 [sorted(p) for p in self.held])
        if undo:
            self.rollback(mark)
            del self.log[mark:]
            self.checks = checks
            self.loads[:], self.group_sums[:] = sums  # the sums the rollback's subtractions left
        return found

    def repack(self, people, weeks, active, stop, balanced=False):
        packing = self._repacking(people, weeks, active)
        on_call[0] += bool(packing and self.weights[ON_CALL] and any(
            self.works[i].on_call and self.amounts[i][ON_CALL] for i in packing[0]))
        # the search for the re-pack that moves counts least, asked of every re-pack
        assert run(self, fast, people, weeks, active, stop, True, undo=True) \
            == run(self, plain_repack, people, weeks, active, stop, True, undo=True)
        plain = run(self, plain_repack, people, weeks, active, stop, balanced, undo=True)
        for near in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89):
            if near < min(plain[1], stop - self.checks):
                cut = self.checks + near
                assert run(self, fast, people, weeks, active, cut, balanced, undo=True) \
                    == run(self, plain_repack, people, weeks, active, cut, balanced,
                           undo=True), near
        found = run(self, fast, people, weeks, active, stop, balanced, undo=False)
        assert found == plain, (people, weeks)
        answers[found[0]] += 1
        if len(weeks) == 2:
            spans[found[0]] += 1
        return found[0]

    monkeypatch.setattr(Filling, "_repack", repack)
    if run_case == "S 50% by month":
        result = _s_half_by_month(workspace)
        assert spans[True] > 0 and spans[False] > 0, spans
    elif run_case == "template by month":
        # the trajectory where a re-pack holds an on-call duty: closing the holes in the day
        # (`close_holes`, the days ahead's too) moves the clerks who are technicians first
        monkeypatch.setattr(Solver, "close_holes", lambda self: None)
        write_rules(workspace, template_rules(5))
        for first, last in ((date(2026, 10, 1), date(2026, 10, 31)),
                            (date(2026, 11, 1), date(2026, 11, 30)),
                            (date(2026, 12, 1), date(2026, 12, 31))):
            result = generate(workspace, first, last, seed=0)
        assert on_call[0] > 0, on_call
    else:
        result = _generated(workspace, medium, {"M 50%": 0.5, "M 75%": 0.75}[run_case])
    assert result.roster.unfilled and answers[True] > 0 and answers[False] > 5, answers


@pytest.mark.parametrize("fraction, expected", [
    (0.5, {"from memory": 10, "searched": 10, "unpriced": 3, "unpriced, after a change": 1}),
    (0.75, {"from memory": 2, "priced, after the loads moved": 1})])
def test_a_week_re_share_answered_from_memory_is_the_one_a_fresh_search_gives(
        workspace, monkeypatch, fraction, expected):
    """M at half (or three quarters of) its staff, October to December month by month: a
    week's re-share asked again of the same places and holdings (the late stage re-asks the
    rounds' pairs, the year's last month each swap's week) is answered from what it found
    before. Each such answer is what the search gives afresh from the same state (a copy of
    the solver taken as it was asked): nothing found, the same checks spent, the same places
    held and the sums to the last bit (the sums of the places given up and taken back as the
    search does; the copy's sets and the timelines' counts in an order of their own). A
    search that priced no leaf is answered again after someone else of the two's group gave
    up a place outside those weeks (what it read stands); one that priced a leaf searches
    again once a load it priced moved. At half its staff December asks often enough to save
    searches, some of them remembered before any leaf was priced; at three quarters one
    remembered after pricing is asked again. (The odd ones above lowered by rank alone, as
    when this was found: `lowering_by_rank_only`.)"""
    import copy

    from benchmarks.roster_bench import months_of
    from benchmarks.roster_instances import medium, short_staffed
    from dutyctl.roster.solver.levelling import Levelling

    remembered, searched, keys_of = Levelling._reshare_weeks, Levelling._reshare_places, \
        Levelling._reshare_keys
    answered = {"from memory": 0, "searched": 0, "unpriced": 0,
                "unpriced, after a change": 0, "priced, after the loads moved": 0}
    as_asked: list = []  # a copy of the solver as a remembered re-share was asked

    def counted(self, *arguments):
        answered["searched"] += 1
        return searched(self, *arguments)

    def keyed(self, *arguments):
        keys = keys_of(self, *arguments)
        if any(key in self.reshares_failed for key in keys):  # copy the solver as asked
            same = {id(x): x for x in (self.rules, self.members, self.positions, self.works,
                                       *self.works, self.eligible_set)}
            as_asked.append((copy.deepcopy(self, same), keys[0] in self.reshares_failed))
        return keys

    def reshare_weeks(self, a, b, weeks, active, stop, m=HOURS, plan=None):
        checks, searches = self.checks, answered["searched"]
        as_asked.clear()
        done = remembered(self, a, b, weeks, active, stop, m, plan)
        if done or answered["searched"] > searches or not as_asked:
            return done  # searched, or nothing to re-share
        answered["from memory"] += 1
        fresh, unpriced = as_asked.pop()
        answered["unpriced"] += unpriced
        fresh.reshares_failed = {}
        assert remembered(fresh, a, b, weeks, active, stop, m, plan) is False
        answered["searched"] -= 1  # the fresh one's, not the solve's
        assert (self.checks - checks, _in_any_order(_everything(self)), len(self.log)) \
            == (fresh.checks - checks, _in_any_order(_everything(fresh)), len(fresh.log))
        def ask():
            return remembered(self, a, b, weeks, active, stop, m, plan)
        if unpriced and not answered["unpriced, after a change"]:
            _answered_after_a_change(self, a, b, weeks, ask, answered)
        elif not unpriced and not answered["priced, after the loads moved"]:
            _searched_after_the_loads_moved(self, a, ask, answered)
        return False

    monkeypatch.setattr(Levelling, "_reshare_places", counted)
    monkeypatch.setattr(Levelling, "_reshare_keys", keyed)
    monkeypatch.setattr(Levelling, "_reshare_weeks", reshare_weeks)
    lowering_by_rank_only(monkeypatch)
    instance = short_staffed(medium(), fraction)
    # the front desk 08:20-17:30: a shift of 9 h 10 min, so the loads (hours in units of the
    # average shift) are fractions a place given up and taken back may not give back exactly
    write_rules(workspace, instance.rules_text.replace('start: "08:30"', 'start: "08:20"'))
    for first, last in months_of(instance.first, instance.last):
        generate(workspace, first, last, seed=0)
    assert all(answered[name] >= least for name, least in expected.items()), answered


@pytest.mark.parametrize("limits, days, held, far", [
    ("min_rest_hours: 12\nmax_consecutive_days: 6\nmax_nights_in_a_row: 3\n"
     "max_hours_per_week: 60\n", (14,), (9, 10, 11, 12, 13), 8),
    ("min_rest_hours: 40\nmax_consecutive_days: 1\nmax_nights_in_a_row: 1\n"
     "max_hours_per_week: 24\n", (14, 20), (17,), 3)],
    ids=["days-in-a-row", "rest-and-the-weeks-hours"])
def test_a_re_share_remembered_before_pricing_reads_every_shift_the_rules_see(limits, days,
                                                                             held, far):
    """A week's re-share that priced no leaf is remembered by what it read up to its first
    leaf (`_reshare_keys`' first key). Of a's timeline that is `_timeline_near`: whatever
    other day of December a also takes, where the rules' answer for a place (the day seat
    of Monday 14 December, and Sunday 20) changes, so does what it reads (six days in a
    row; with 40 h of rest and one day in a row at most, a shift ending 36 h before Monday
    or starting 36 h after Sunday, and the week's hours, 24 at most with a's Thursday); a
    shift of another week, `far` days or more away, changes neither; where two of a's
    shifts overlap (a roster kept as it was edited), every shift is read. Of the rest: c's
    place of another week leaves the first key as it was (the second, what the pricing
    reads, moves); b's place near them moved to another week (b's hours as they were), b's
    place of another week (b's hours), a seat filled beside a place's shift, another count
    and a plan each move both."""
    solver, who, seat_of = bare_solver(
        '- {id: day, name: D, start: "08:00", end: "20:00", need: {service: 2}}\n',
        "- {id: a, name: A, roles: [service]}\n- {id: b, name: B, roles: [service]}\n"
        "- {id: c, name: C, roles: [service]}\n", limits, first=date(2026, 12, 1),
        last=date(2026, 12, 31))
    a, b, c = (who[s] for s in "abc")

    def place(day: int, seat: int = 0) -> int:
        return seat_of(day, "day", seat)

    places = [place(day) for day in days]
    for day in held:
        solver.assign(a, place(day))

    def answers() -> list[bool]:
        return [solver.timelines[a].conflict(solver.works[i]) is None for i in places]

    read, answered = solver._timeline_near(a, places), answers()
    moved = kept = 0
    for day in (day for day in range(1, 32) if day not in days and day not in held):
        solver.assign(a, place(day))
        if answers() != answered:
            moved += 1
            assert solver._timeline_near(a, places) != read, day
        if min(abs(day - other) for other in days) >= far and not 14 <= day <= 20:
            kept += 1
            assert answers() == answered and solver._timeline_near(a, places) == read, day
        solver.unassign(place(day))
    assert moved >= 2 and kept >= 10, (moved, kept)
    edited = solver.timelines[a]
    far_away = solver.works[place(1)]
    solver.assign(a, place(1))
    assert id(far_away) not in solver._timeline_near(a, places)[0]
    twice = dataclasses.replace(far_away, key=(*far_away.key[:3], 9))  # the same hours
    edited.add(twice)
    assert id(far_away) in solver._timeline_near(a, places)[0]
    edited.remove(twice)
    solver.unassign(place(1))

    def moves_both(change) -> None:
        keys = solver._reshare_keys(a, b, HOURS, None, places)
        change()
        assert all(key not in keys for key in solver._reshare_keys(a, b, HOURS, None, places))

    narrow, wide = solver._reshare_keys(a, b, HOURS, None, places)
    solver.assign(c, place(23))
    assert solver._reshare_keys(a, b, HOURS, None, places)[0] == narrow
    assert solver._reshare_keys(a, b, HOURS, None, places)[1] != wide
    solver.assign(b, place(13, 1))
    moves_both(lambda: (solver.unassign(place(13, 1)), solver.assign(b, place(27, 1))))
    moves_both(lambda: solver.assign(b, place(28, 1)))
    moves_both(lambda: solver.assign(c, place(days[0], 1)))
    keys = solver._reshare_keys(a, b, HOURS, None, places)
    assert not {*keys} & {*solver._reshare_keys(a, b, WEEKENDS, None, places),
                          *solver._reshare_keys(a, b, HOURS, {places[0]}, places)}


def _answered_after_a_change(state, a: int, b: int, weeks, ask, answered: dict) -> None:
    """Someone else of the group of a and b (where there is one) gives up a place outside
    `weeks`: `ask`, a's and b's re-share of the same places on the same holdings of theirs,
    which priced no leaf, is answered from memory again (nothing it read moved)."""
    checks, mark, searches = state.checks, len(state.log), answered["searched"]
    given_up = next(((c, i) for c in state.groups[state.group_of[a]] if c not in (a, b)
                     for i in sorted(state.held[c]) if i not in state.fixed
                     and week_of(state.works[i].day) not in weeks), None)
    if given_up is None:
        return
    state.unassign(given_up[1])
    ask()
    assert answered["searched"] == searches
    answered["unpriced, after a change"] += 1
    state.rollback(mark)
    state.checks = checks


def _searched_after_the_loads_moved(state, a: int, ask, answered: dict) -> None:
    """a's load of a count the re-share's pricing reads moves, nothing else: `ask`, which
    priced a leaf, searches again."""
    m = next(m for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL) if state.weights[m])
    checks, mark, searches, load = state.checks, len(state.log), answered["searched"], \
        state.loads[a][m]
    state.loads[a][m] = load + 1.0
    ask()
    assert answered["searched"] == searches + 1
    answered["priced, after the loads moved"] += 1
    state.rollback(mark)
    state.loads[a][m], state.checks = load, checks


def _in_any_order(everything: tuple) -> tuple:
    """`_everything` with each person's places and each timeline's day, night and week
    counts sorted: a place taken off and put back moves its day's key to the end of the
    dict, and a copy of a set (`copy.deepcopy`) holds its members in an order of its own."""
    assigned, held, *sums, timelines = everything
    return (assigned, [sorted(places) for places in held], *sums,
            [(works, *map(sorted, counts)) for works, *counts in timelines])


def test_the_solve_runs_its_searches_in_a_chunk_of_frames_with_room(workspace, monkeypatch):
    """CPython before the fix of python/cpython#142183 (3.11, 3.12, 3.13.0) frees a chunk of
    the frame stack as soon as its last frame returns: a loop of calls from just below a
    chunk's end maps and unmaps memory at every call (a page fault or more each). `with_room` runs its call above a frame that takes a chunk of
    its own with room to spare, whatever the depth it is called from: at every depth tried
    the loop takes few page faults; on those versions the same loop called plainly takes one
    or more per call at some depth (the probe sees what it guards against). And the solver
    runs inside it."""
    resource = pytest.importorskip("resource")  # POSIX: page faults counted per process
    import sys

    from dutyctl.roster.solver import engine
    from dutyctl.roster.solver.stack import with_room

    def faults() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    def leaf() -> int:
        return 1

    # a frame of 1.6 KB: the loop's calls cross a chunk's end from 1 in 10 depths
    leaf.__code__ = leaf.__code__.replace(co_stacksize=200)

    def calls_below(extra: int, calls: int) -> int:
        return calls_below(extra - 1, calls) if extra else sum(leaf() for _ in range(calls))

    def most_faults(run, calls: int = 400) -> int:
        """The most page faults the loop of `calls` calls took, started at each of 300
        depths (more than a 16 KB chunk of these frames) through `run`."""
        most = 0
        for extra in range(300):
            before = faults()
            run(lambda: calls_below(extra, calls))
            most = max(most, faults() - before)
        return most

    assert most_faults(with_room) < 100  # 10-20 seen: the allocator's own, never per call
    if sys.version_info[:2] <= (3, 12):
        assert most_faults(lambda call: call()) >= 400
    ran = []
    monkeypatch.setattr(engine, "with_room", lambda call: ran.append(call) or call())
    _generate_small_at_half_its_staff(workspace)
    assert ran



def _m_at_three_quarters_in_october() -> tuple:
    """M at three quarters of its staff, October planned alone (November's first day
    ahead), seed 0: who holds each place and the checks the solve counted. Its lowering's
    chains search most (the counts are not final, so weekends and holidays only)."""
    from benchmarks.roster_instances import medium, short_staffed
    from dutyctl.roster.generate import plan

    rules = parse(short_staffed(medium(), 0.75).rules_text)
    _, solution = plan(rules, date(2026, 10, 1), date(2026, 10, 31), SHANGHAI, 0,
                       ahead=date(2026, 11, 1))
    return solution.staff, solution.ahead, solution.work


def plain_chain(state, i: int, stop: float) -> bool:
    """`Filling._chain` as first written: each node's steps made from the start and all
    undone after it."""
    queue, seen, head = [(i, ())], {i}, 0
    while head < len(queue) and state.checks < stop:
        x, path = queue[head]
        head += 1
        mark = len(state.log)
        for s, taken, dropped in path:
            state.unassign(dropped)
            state.assign(s, taken)
        blocked, free = [], []
        for s in state.eligible[x]:
            conflict = state.conflict(s, x)
            if conflict is None:
                free.append(s)
            else:
                blocked.append((s, conflict))
        if free:
            state.assign(state.ranked(x, free)[0][2], x)
            return True
        if len(path) < budgets.CHAIN_DEPTH:
            on_path = {taken for _, taken, _ in path} | {x}
            for s, conflict in blocked:
                for j in state._lifting(s, x, conflict, on_path):
                    if j in seen:
                        continue
                    state.checks += 3
                    if state._free_without(s, x, (j,)):
                        seen.add(j)
                        queue.append((j, path + ((s, x, j),)))
        state.rollback(mark)
    return False


def plain_chain_from(state, k: int, a: int, active: set[int], stop: float, good, depth: int,
                     window: tuple[float, float], over, queued: list | None = None) -> bool:
    """`Levelling._chain_from` as first written: each node's steps made from the start, its
    last one checked, and all undone after it (going on from `queued` as it does)."""
    from heapq import heappop
    from itertools import count

    queue, order = queued if queued else ([(0, 0, 0, k, ())], count(1))
    while queue and state.checks < stop:
        *_, x, path = heappop(queue)
        mark = len(state.log)
        for step, (s, taken, dropped) in enumerate(path, 1):
            state.unassign(dropped)
            if step == len(path) and state.conflict(s, taken) is not None:
                break
            state.assign(s, taken)
        else:
            if state._chain_step(x, path, a, active, good, depth, (queue, order), window,
                                 over):
                return True
        state.rollback(mark)
    if queued is not None:
        queued[:] = [queue, order] if queue else []
    return False


def test_a_chain_search_undoing_only_the_steps_past_the_shared_start_finds_what_replaying_does(
        monkeypatch):
    """M at three quarters of its staff in October: its chain searches (`_chain`,
    `_chain_from`) moving from one node's steps to the next's by `walk` give the roster, the
    days ahead and the checks (`Solution.work`: every budget) the searches as first written
    give, replaying each node from the start; with far fewer places taken."""
    from dutyctl.roster.solver.filling import Filling
    from dutyctl.roster.solver.levelling import Levelling

    taken, assign = [0], State.assign

    def counted(self, s, i):
        taken[0] += 1
        assign(self, s, i)

    monkeypatch.setattr(State, "assign", counted)
    fast = _m_at_three_quarters_in_october(), taken[0]
    taken[0] = 0
    monkeypatch.setattr(Filling, "_chain", plain_chain)
    monkeypatch.setattr(Levelling, "_chain_from", plain_chain_from)
    plain = _m_at_three_quarters_in_october(), taken[0]
    assert fast[0] == plain[0]
    assert fast[1] < 0.8 * plain[1], (fast[1], plain[1])


def test_a_lowering_chain_that_ran_out_is_not_searched_again_but_its_checks_are_counted(
        monkeypatch):
    """M at three quarters of its staff: the lowering's second pass passes over chains whose
    queue ran out in its first (`_ran_out_before`); searched again, each ends the same and the
    roster and the checks are the same."""
    from dutyctl.roster.solver.levelling import Levelling

    skipped, ran_out = [0], Levelling._ran_out_before

    def told(self, ran, effort, stop):
        skipped[0] += ran_out(self, ran, effort, stop)
        return ran_out(self, ran, effort, stop)

    monkeypatch.setattr(Levelling, "_ran_out_before", told)
    fast = _m_at_three_quarters_in_october()
    assert skipped[0] >= 3
    monkeypatch.setattr(Levelling, "_ran_out_before", lambda self, ran, effort, stop: False)
    assert _m_at_three_quarters_in_october() == fast


def test_a_lowering_chain_its_first_pass_cut_short_goes_on_from_there_in_the_second(
        monkeypatch):
    """M at three quarters of its staff, October alone: a lowering's chain search that the
    first pass's budget (LOWER_BUDGETS[0]) cut short is not searched from its start again in
    the second pass but goes on from the queue it left, on the same roster, and one whose
    queue ran out is not searched again where the lowering's budget ends inside it: no node
    of a search is reached twice, and a second pass's nodes come in the order one search
    from the start takes them (the queue's order: as many steps as the first pass's last
    node or more)."""
    from dutyctl.roster.solver.levelling import Levelling

    nodes: dict[tuple, list] = {}
    current: list = [None]
    chain_from, chain_step = Levelling._chain_from, Levelling._chain_step

    def searched(self, k, a, active, stop, good, depth, window, over, *rest):
        current[0] = (k, a, depth, window, tuple(self.version))
        nodes.setdefault(current[0], []).append([])
        return chain_from(self, k, a, active, stop, good, depth, window, over, *rest)

    def reached(self, x, path, *rest):
        nodes[current[0]][-1].append((x, path))
        return chain_step(self, x, path, *rest)

    monkeypatch.setattr(Levelling, "_chain_from", searched)
    monkeypatch.setattr(Levelling, "_chain_step", reached)
    _m_at_three_quarters_in_october()
    again = [passes for key, passes in nodes.items() if key[2] and len(passes) > 1]
    assert again  # a chain the first pass cut short searched in the second
    for first, second in again:
        assert first and second
        assert not set(first) & set(second)
        assert len(second[0][1]) >= len(first[-1][1])


def _compensated_sum(values, start=0):
    """`sum` as Python 3.12 and later add floats, rounding compensated (here `math.fsum`,
    exactly rounded, which parts from adding in order where 3.12's does); whole numbers as
    before."""
    values = list(values)
    if isinstance(start, int) and all(isinstance(value, int) for value in values):
        return sum(values, start)
    return math.fsum([start, *values])


def test_the_roster_is_the_same_whichever_way_python_adds_floats(workspace, monkeypatch):
    """Python 3.12's `sum` compensates rounding: M at half its staff with its front desk at
    08:20-17:30 (9 h 10 min, no exact binary fraction), October then November, generated
    another November on 3.13 than on 3.11 (212 places, not 215; the average shift's hours,
    the loads' unit, a last bit apart). The solver's float sums add in order
    (`timeline.sum_in_order`): with every roster module's `sum` compensating, the same
    rosters."""
    import sys

    from benchmarks.roster_bench import months_of
    from benchmarks.roster_instances import medium, short_staffed

    instance = short_staffed(medium(), 0.5)
    write_rules(workspace, instance.rules_text.replace('start: "08:30"', 'start: "08:20"'))
    months = list(months_of(instance.first, instance.last))[:2]

    def rosters() -> list:
        made = [generate(workspace, first, last, seed=0) for first, last in months]
        for result in made:
            result.path.unlink()
        return [result.roster.assignments for result in made]

    plain = rosters()
    with monkeypatch.context() as patched:
        for name, module in list(sys.modules.items()):
            if name.startswith("dutyctl.roster"):
                patched.setattr(module, "sum", _compensated_sum, raising=False)
        assert rosters() == plain
