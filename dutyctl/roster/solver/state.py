"""The solver's state: who holds which place, every person's hard-rule timeline and loads,
the costs of a change, and the undo log every search rolls back with."""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import sub

from dutyctl.messages import t
from dutyctl.output import day_label
from dutyctl.roster.coverage import stretches_uncovered
from dutyctl.roster.positions import Position, occurrences
from dutyctl.roster.rules import LEFT_OPEN, METRICS, Rules, Staff, rule_label
from dutyctl.roster.stats import Worked, available_days, colleague_key, groups, loads
from dutyctl.roster.timeline import Conflict, Timeline, Work, blocking_rule, sum_in_order, \
    week_of
from dutyctl.roster.solver import budgets

HOURS, NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL = range(5)
NEAR_SECONDS = 8 * 86400  # shifts this close to a position can block it (rest, runs, weeks)
EPSILON = 1e-9
PAIRWISE = ("overlap", "min_rest_hours")  # broken by one other shift, whatever else is held
# the spread among comparable staff over J, per metric: counts first, then hours (a count is
# worth moving even when it leaves the hours a shift apart)
GROUP_WEIGHT = (1.0, 4.0, 4.0, 4.0, 4.0)


def work_of(position: Position) -> Work:
    return Work(position.start_ts, position.end_ts, position.day.toordinal(), position.night,
                position.hours, position.key, position.on_call)


def preference_score(member: Staff, position: Position) -> int:
    """+1 per avoid item the position matches, -1 per prefer item."""
    def hits(items):
        return sum(1 for item in items if item.matches(position.day, position.shift.id,
                                                      position.weekend, position.holiday))
    return hits(member.avoid) - hits(member.prefer)


def capacity(member: Staff, first: date, last: date) -> float:
    """fte times the share of the period the person is available (not on leave, active)."""
    days = (last - first).days + 1
    return max(member.fte * available_days(member, first, last) / days, 1e-3)


@dataclass
class Solution:
    staff: list[str | None]  # per position
    reasons: dict[int, tuple[tuple[str, str], ...]]  # unfilled position -> (staff, rule) pairs
    notes: list[str] = field(default_factory=list)
    fixed: frozenset[int] = frozenset()
    shortages: list = field(default_factory=list)  # capacity.Shortage, when places stay open
    work: int = 0  # hard-rule checks and cost evaluations it took (deterministic effort)
    ahead: list[str | None] = field(default_factory=list)  # who the days ahead were planned for


@dataclass
class LevelBudget:
    """What levelling may still spend, in checks (`Solver.checks`), and what it has settled.
    `until`: the check count levelling stops at. `reshare`: the checks re-sharing weeks may
    still spend, an allowance of its own: a re-share moves `until` on by what it spent, so
    it never starves the counts' levelling. `settled`: (group, metric) counts one apart that
    found no change (a re-share that moves counts unsettles its group's)."""

    until: float
    reshare: int = 0
    settled: set[tuple[int, int]] = field(default_factory=set)
    recount: int = 0  # re-sharing a week for a count two or more apart (`Solver._recount`)
    replan: int = 0  # the least loaded re-planning their own days (`Solver._replan`)

    def spent_resharing(self, checks: int) -> None:
        spent = min(checks, self.reshare)
        self.reshare -= spent
        self.until += spent

    def spent_recounting(self, checks: int) -> None:
        spent = min(checks, self.recount)
        self.recount -= spent
        self.until += spent

    def spent_replanning(self, checks: int) -> None:
        spent = min(checks, self.replan)
        self.replan -= spent
        self.until += spent


class State:
    def __init__(self, rules: Rules, positions: list[Position], first: date, last: date,
                 seed: int = 0, history: dict[str, list[Work]] | None = None,
                 carried: list[Worked] | None = None, ahead: list[Position] | None = None,
                 later: bool = False):
        self.rules = rules
        self.planned = len(positions)  # the period's own; `ahead` follows them
        positions = positions + list(ahead or ())
        self.positions = positions
        self.members = list(rules.staff)
        self.index = {member.id: s for s, member in enumerate(self.members)}
        self.timelines = [Timeline(member.limits) for member in self.members]
        for staff_id, works in (history or {}).items():
            if staff_id in self.index:
                for work in works:
                    self.timelines[self.index[staff_id]].add(work)
        order = list(range(len(self.members)))
        random.Random(seed).shuffle(order)
        self.rank = [0] * len(self.members)
        for rank, s in enumerate(order):
            self.rank[s] = rank
        # a period that continues its year's earlier rosters is weighed over the year: from
        # the first shift carried, levelled in the groups the year's spread compares
        since = min((w.day for w in carried or ()), default=first)
        until = max(last, date(since.year, 12, 31)) if carried else last
        self.capacity = [capacity(member, since, last) for member in self.members]
        self.works = [work_of(p) for p in positions]
        # position of a shift in a timeline, by the Work's identity: its key, a tuple with a
        # date, is hashed anew at each lookup (`_near`)
        self.work_at = {id(work): i for i, work in enumerate(self.works)}
        self.span = (min((w.day for w in self.works), default=0),
                     max((w.day for w in self.works), default=0))
        self.hours_unit = hours_unit(positions[:self.planned])
        self.deltas = self._deltas(rules, positions[:self.planned], self.hours_unit)
        self.deltas += [()] * (len(positions) - self.planned)  # only the hours they take count
        self.amounts = [[0.0] * len(METRICS) for _ in positions]  # `_amount`, looked up
        for i, delta in enumerate(self.deltas):
            for m, amount, _ in delta:
                self.amounts[i][m] = amount
        self.weights = [rules.fairness.get(metric, 0.0) for metric in METRICS]
        # the first product of each group term (`_less_group_squares`), worked out once
        self.group_weights = [GROUP_WEIGHT[m] * weight for m, weight in enumerate(self.weights)]
        self.loads = [[0.0] * len(METRICS) for _ in self.members]
        self.groups = self._groups(since, until, first, last)
        # a group's members may have had different leave so far: they are levelled in
        # proportion to capacity, each load seen at the group's mean capacity
        self.group_capacity = [sum_in_order(self.capacity[s] for s in group)
                               for group in self.groups]
        self.scale = [1.0] * len(self.members)
        self.group_of: list[int | None] = [None] * len(self.members)
        for g, group in enumerate(self.groups):
            for s in group:
                self.group_of[s] = g
                self.scale[s] = self.group_capacity[g] / len(group) / self.capacity[s]
        self._carry(carried or [])
        # a later month of the year levels what this one leaves (`Filling.top_up`): not once
        # a roster covers a later day of the year (`later`), whose shifts are fixed
        self.year_goes_on = self.continues_year and not later \
            and last < date(last.year, 12, 31)
        # the year's last month after its earlier ones: its loads are the year's, and what
        # levels a period alone (the late stage, re-plans, counts re-shared by the week, the
        # raise) levels the year; before it (`mid_year`) the loads are the year so far's,
        # which a later month levels
        self.ends_year = self.continues_year and last == date(last.year, 12, 31)
        self.mid_year = self.continues_year and not self.ends_year
        if self.mid_year and self.weights[HOLIDAYS]:
            self._holidays_ahead(since, last)
        # the period's last day planned is 31 December, at once or after the year's earlier
        # months: only then does the raise mend and hand places on, and may a week packed
        # last take more hours (`Filling._hours_room`): a later month levels what an earlier
        # one leaves
        final = date.fromordinal(max((self.works[i].day for i in range(self.planned)),
                                     default=1))
        self.plans_to_year_end = (final.month, final.day) == (12, 31)
        # the ISO week that crosses into the days after the period, while they are still to be
        # planned (`ahead`, or a later generate): its hours are theirs too. A roster that
        # covers them is in `history`: the hard rules hold the fill to its shifts
        self.crossing = week_of(self.works[self.planned].day) if ahead \
            else week_of(last.toordinal() + 1) if self.year_goes_on else None
        self.group_sums = [[sum_in_order(self.loads[s][m] for s in group)
                            for m in range(len(METRICS))] for group in self.groups]
        self.assigned: list[int | None] = [None] * len(positions)
        self.held: list[set[int]] = [set() for _ in self.members]
        # what each person holds, hashed (an undone change restores it): a move or swap tried
        # and refused is not tried again until someone it involves holds something else
        draw = random.Random(len(positions)).getrandbits
        self.marks = [draw(64) for _ in positions]
        self.version = [0] * len(self.members)
        self.near_known: list[dict[int, list[int]]] = [{} for _ in self.members]  # `_near`
        # `held_amounts`: per person, the version it was found for and each metric's amounts
        self.amounts_known: list[tuple[int, dict[int, tuple[float, ...]]]] = [
            (0, {}) for _ in self.members]
        self.tried: dict[tuple, tuple] = {}
        self.fill_rank: list[int] | None = None  # `Filling._fill_order`
        # `Filling._free_without`'s answers while the repair or the cover runs; None elsewhere
        self.free_known: dict[tuple, bool] | None = None
        # a week's re-share that found nothing, by what it read -> the checks it spent
        # (`Levelling._reshare_weeks`)
        self.reshares_failed: dict[tuple, int] = {}
        self.leaves_priced = 0  # leaves a week's re-share priced, all told
        self.cross_known: dict[int, tuple] = {}  # `Raising._cross_shifts`
        self.by_week: dict[int, list[int]] | None = None
        self.open_index: dict[tuple[str, str], tuple[list[int], list[int], list[int]]] = {}
        self.by_start: list[tuple[int, int]] | None = None  # on site, coverage's roles
        # the stretches with nobody each window around a change has as the roster stands,
        # while `Raising._take_open` tests its options (`_splits_cover`); None elsewhere
        self.uncovered_known: dict[tuple[int, int], int] | None = None
        self.around: list[tuple[int, int]] = []  # the neighbouring rosters' (with by_start)
        self.longest = 0  # the longest shift here or in a neighbouring roster, seconds (bisects
        # by_start and around)
        self.fixed: set[int] = set()
        self.frozen: set[int] = set()  # kept as they are, never solved (`keep`)
        self.eligible, self.eligible_set = self._eligibility(positions)
        self.key_index = {p.key: i for i, p in enumerate(positions)}
        # each place's shift and role on its day (a key's first three), numbered, and how many
        # of each one's seats are filled: kept by `assign` and `unassign`, read where a
        # shift's holders are counted (`_filled_seats`), which walking its seats' keys made
        # a fifth of a short-staffed month's seating of shifts with nobody
        cells: dict[tuple, int] = {}
        self.cell_of = [cells.setdefault(p.key[:3], len(cells)) for p in positions]
        self.cell_ids = cells
        self.cell_filled = [0] * len(cells)
        self.pref = self._preferences(rules.preference_weight)
        self.pref_at = self._preferences_by_position()
        self.log: list[tuple[str, int, int]] = []
        self.active: list[int] = list(range(len(positions)))  # the positions being solved
        self.checks = 0  # hard-rule checks, cost evaluations and (un)assignments: the work
        self.rescued: set[int] = set()
        self.slot_shortest: list[float] | None = None
        self.repair_effort = (budgets.REPAIR_EFFORT * sum(len(c) for c in self.eligible)
                              + budgets.REPAIR_BUDGET)
        # what the rescue may still spend on later seats, all of them together: at most the
        # whole repair's effort, drawn down as it is spent (`Filling._rescue`)
        self.rescue_budget = min(budgets.RESCUE_BUDGET, self.repair_effort)
        self.history = history or {}
        self._week_slots()

    @staticmethod
    def _deltas(rules: Rules, positions: list[Position], unit: float) -> list[tuple]:
        """Per position: (metric, amount, weight * amount) for each fairness metric it adds
        to; hours in `unit`s (the average shift, `hours_unit`) so one shift weighs about one
        night. An on-call duty adds to its own count only: hours at home are not hours worked.
        The weighted amount is the first product of every cost (`add_costs`), worked out once."""
        weights = [rules.fairness.get(metric, 0.0) for metric in METRICS]
        deltas = []
        for p in positions:
            amounts = ((0.0, 0.0, 0.0, 0.0, 1.0) if p.on_call else
                       (p.hours / unit, float(p.night), float(p.weekend), float(p.holiday), 0.0))
            deltas.append(tuple((m, amount, weights[m] * amount)
                                for m, amount in enumerate(amounts) if amount and weights[m]))
        return deltas

    def _groups(self, since: date, until: date, first: date, last: date) -> list[list[int]]:
        """Staff comparable over since..until (`stats.groups`), those who can take something
        in first..last, groups of two or more. A month after earlier rosters of its year: the
        staff the year's spread will compare, as far as the rules know their leave (whoever
        has leave in this month or had it in another stays with them).
        Then colleagues of the same roles, contract and preferences (`stats.colleague_key`)
        who are in no group above, where none of them is (their leave each unlike the
        others'), as one group, each load seen at the group's mean capacity (`scale`; in a
        month after earlier ones, someone comparable over the year with a colleague who
        cannot take a place this month is levelled so too): comparable staff need the
        same available days, and in a month generated alone two technicians of M at half its
        staff, one on leave 23-24 December, were no group and nothing levelled them: December
        gave one 14 nights and the other none, 7 and 7 now (October 3 and 12, November 2
        and 12; 7 and 8, 8 and 7 now), every place the same. Not where some of them are a
        group: levelling the others with that group moved L's years month by month from
        January on, both ways, up to three more shifts with nobody on a seed
        (docs/performance-history.md, session 65)."""
        found = []
        for group in groups(self.rules, since, until):
            members = [self.index[staff] for staff in group
                       if available_days(self.rules.member(staff), first, last)]
            if len(members) > 1:
                found.append(members)
        grouped = {s for members in found for s in members}
        kinds = {colleague_key(self.members[members[0]]) for members in found}
        alone: dict[tuple, list[int]] = {}
        for s, member in enumerate(self.members):
            kind = colleague_key(member)
            if s not in grouped and kind not in kinds and available_days(member, first, last):
                alone.setdefault(kind, []).append(s)
        return found + [members for members in alone.values() if len(members) > 1]

    def _carry(self, carried: list[Worked]) -> None:
        """Start each load from what the person worked in the year's earlier rosters: J (with
        capacities over the same days) is then the year so far's, which levels loads in
        proportion to fte x available days across everyone, as generating the year at once
        does, and weighs preferences against the year's loads, not one month's."""
        # what the loads start from, the period's own being the rest (`explain`): the year so
        # far, and the holidays ahead (`_holidays_ahead`)
        self.carried = [[0.0] * len(METRICS) for _ in self.members]
        self.continues_year = bool(carried)
        if not carried:
            return
        counts = loads(self.rules, carried)
        for s, member in enumerate(self.members):
            for m, metric in enumerate(METRICS):
                self.carried[s][m] = counts[member.id][metric] / (
                    self.hours_unit if m == HOURS else 1.0)
                self.loads[s][m] += self.carried[s][m]

    def _holidays_ahead(self, since: date, last: date) -> None:
        """A month before its year's last (`mid_year`), in each group of staff the year's
        spread compares: each member's holiday load (and `carried`) starts lower by how many
        fewer of the year's later holiday places they can expect than the member who can
        expect the most, in whole shifts, so the month levels the holidays the year will end
        with, not only those so far: someone on leave over the National Day break cannot catch
        up in it, and takes more of the Mid-Autumn days before it instead. What a person can
        expect of a later break day: each place of their roles shared among the role's staff
        free that day in proportion to fte, at most one shift a day at full time. Not for
        colleagues apart by their leave, whom the year's spread does not compare (`_groups`'
        second kind). A roster already covering a later day (`later`) changes nothing:
        `explain` weighs what generate weighed before it existed. Month by month, L's
        short-staffed years (seeds 0-9) ended their holiday shifts 4-6 apart (0-1 at once);
        2-5 apart now, 2-4 on seeds 0-4 (docs/performance-history.md, session 69)."""
        end = date(since.year, 12, 31)  # the year's: none where the period ends in the next
        members, calendar = self.members, self.rules.calendar
        places: Counter[tuple[date, str]] = Counter()
        for day, shift in occurrences(self.rules, last + timedelta(days=1), end):
            if not shift.on_call and calendar.in_statutory_break(day):
                for role, count in shift.need:
                    places[day, role] += count
        who = {(day, role): self._free(role, day) for day, role in places}
        free = {key: frozenset(staff) for key, staff in who.items()}
        fte = {key: sum_in_order(members[s].fte for s in staff) for key, staff in who.items()}
        for group in self.groups:
            if len({available_days(members[s], since, end) for s in group}) > 1:
                continue
            expected = [self._holidays_expected(s, places, free, fte) for s in group]
            most = max(expected)
            for s, amount in zip(group, expected):
                # whole shifts, so counts one apart still read as one apart (`level`); half a
                # shift short counts as one, as the one who will miss it cannot make it up
                fewer = math.floor(most - amount + 0.5 + EPSILON)
                self.carried[s][HOLIDAYS] -= fewer
                self.loads[s][HOLIDAYS] -= fewer

    def _holidays_expected(self, s: int, places: Counter,
                           free: dict[tuple[date, str], frozenset[int]],
                           fte: dict[tuple[date, str], float]) -> float:
        """`_holidays_ahead`'s expectation of s: per break day, their fte's part of each of
        their roles' places among the role's staff free that day (`fte`: theirs summed), at
        most their fte (one shift a day at full time)."""
        mine = self.members[s].fte
        per_day: dict[date, float] = {}
        for key, count in places.items():
            if s in free[key]:
                per_day[key[0]] = per_day.get(key[0], 0.0) + count * mine / fte[key]
        return sum_in_order(min(mine, amount) for amount in per_day.values())

    def _preferences(self, weight: float) -> dict[tuple[int, int], float]:
        """(staff, position) -> preference cost, for the positions each person may take."""
        choosy = {s for s, member in enumerate(self.members) if member.avoid or member.prefer}
        scores: dict[tuple[int, int], float] = {}
        if not choosy:
            return scores
        # a score depends on the person's avoid and prefer lists (a block of staff shares
        # them), the day and the shift, not the seat
        tastes: dict[tuple, int] = {}
        taste = [tastes.setdefault((member.avoid, member.prefer), len(tastes))
                 for member in self.members]
        known: dict[tuple, int] = {}
        choosy_of: dict[tuple[str, date], list[int]] = {}  # eligible is by role and day
        for i, position in enumerate(self.positions[:self.planned]):
            day = (position.role, position.day)
            if day not in choosy_of:
                choosy_of[day] = [s for s in self.eligible[i] if s in choosy]
            for s in choosy_of[day]:
                key = (taste[s], position.day, position.shift.id, position.weekend,
                       position.holiday)
                score = known.get(key)
                if score is None:
                    score = known[key] = preference_score(self.members[s], position)
                if score:
                    scores[(s, i)] = weight * score
        return scores

    def _preferences_by_position(self) -> list[dict[int, float]]:
        """`pref` per position, staff -> cost: what `add_costs` reads for every candidate."""
        none: dict[int, float] = {}
        by_position = [none] * len(self.positions)
        for (s, i), cost in self.pref.items():
            if by_position[i] is none:
                by_position[i] = {}
            by_position[i][s] = cost
        return by_position

    def _eligibility(self, positions: list[Position]) -> tuple[list, list]:
        """Per position, who has its role and is available that day (in staff order), and
        the same as a set: one tuple and one set shared by the places of a role and day."""
        known: dict[tuple[str, date], tuple[tuple[int, ...], frozenset[int]]] = {}
        eligible, eligible_set = [], []
        for position in positions:
            key = (position.role, position.day)
            if key not in known:
                candidates = self._free(position.role, position.day)
                known[key] = (candidates, frozenset(candidates))
            candidates, as_set = known[key]
            eligible.append(candidates)
            eligible_set.append(as_set)
        return eligible, eligible_set

    def _free(self, role: str, day: date) -> tuple[int, ...]:
        """Who has `role` and is available on `day` (not on leave, active), in staff order."""
        return tuple(s for s, member in enumerate(self.members)
                     if role in member.roles and member.unavailable_reason(day) is None)

    def _week_slots(self) -> None:
        """Each place on site belongs to its role's hours of its ISO week, filled against the
        most the role's staff can give that week (`capacity.week_most`, worked out for a role
        the first time one of its places is found open)."""
        slots: dict[tuple[str, int], int] = {}
        self.week_slot = [-1 if p.on_call else
                          slots.setdefault((p.role, week_of(p.day.toordinal())), len(slots))
                          for p in self.positions]
        self.week_filled = [0.0] * len(slots)
        self.week_room = [float("inf")] * len(slots)
        self.bounded: set[str] = set()

    def _bound_role(self, role: str) -> None:
        from dutyctl.roster.capacity import week_most

        self.bounded.add(role)
        mine = [i for i, p in enumerate(self.positions) if p.role == role and not p.on_call]
        most = week_most(self.rules, role, [self.positions[i] for i in mine], self.history)
        for i in mine:
            self.week_room[self.week_slot[i]] = most[week_of(self.positions[i].day.toordinal())]

    def may_fill(self, i: int) -> bool:
        """Could a chain of moves fill i? Not when i's hours on top of those filled in its
        role's week pass the most the role's staff can give that week: a short-staffed month
        does not spend its repair effort on places no roster fills."""
        k = self.week_slot[i]
        if k < 0:
            return True
        if self.positions[i].role not in self.bounded:
            self._bound_role(self.positions[i].role)
        return self.week_filled[k] + self.works[i].hours <= self.week_room[k] + EPSILON

    def assign(self, s: int, i: int) -> None:
        """s takes i: its timeline, then the sums (`_assign_kept_timeline`, `_add_sums` written
        out: a short-staffed month assigns and undoes thousands of places)."""
        self.timelines[s].add(self.works[i])
        self._assign_kept_timeline(s, i)

    def unassign(self, i: int) -> None:
        """i given up by its holder: its timeline, then the sums (`_unassign_kept_timeline`)."""
        s = self.assigned[i]
        self.timelines[s].remove(self.works[i])
        self._unassign_kept_timeline(s, i)

    def _add_sums(self, s: int, i: int) -> None:
        """i's amounts added to s's loads and s's group's sums, its hours to its role's week."""
        delta = self.deltas[i]
        load = self.loads[s]
        for m, amount, _ in delta:
            load[m] += amount
        group = self.group_of[s]
        if group is not None:
            sums = self.group_sums[group]
            for m, amount, _ in delta:
                sums[m] += amount
        slot = self.week_slot[i]
        if slot >= 0:
            self.week_filled[slot] += self.works[i].hours

    def _take_sums(self, s: int, i: int) -> None:
        """`_add_sums` undone."""
        delta = self.deltas[i]
        load = self.loads[s]
        for m, amount, _ in delta:
            load[m] -= amount
        group = self.group_of[s]
        if group is not None:
            sums = self.group_sums[group]
            for m, amount, _ in delta:
                sums[m] -= amount
        slot = self.week_slot[i]
        if slot >= 0:
            self.week_filled[slot] -= self.works[i].hours

    @contextmanager
    def as_if_held(self, chosen: list[tuple[int, int]]):
        """The loads and group sums as if each (staff, position) of `chosen` were assigned,
        in that order, for what is priced inside the `with`; the lists they replace put back
        after, as they were. Only those: who holds what (`assigned`, `held`, `version`), the
        timelines, the roles' weeks and the undo log stay as they are, so nothing inside may
        ask them (`_near`, `may_fill`). The sums start from the loads as they stand, not from
        loads a search added to and took from (`x + h - h` is not always `x`): for a search
        that tries places on timelines alone."""
        loads, sums = {}, {}
        try:
            for s, i in chosen:
                if s not in loads:
                    loads[s], self.loads[s] = self.loads[s], list(self.loads[s])
                g = self.group_of[s]
                if g is not None and g not in sums:
                    sums[g], self.group_sums[g] = self.group_sums[g], list(self.group_sums[g])
                load, total = self.loads[s], self.group_sums[g] if g is not None else None
                for m, amount, _ in self.deltas[i]:
                    load[m] += amount
                    if total is not None:
                        total[m] += amount
            yield
        finally:
            for s, load in loads.items():
                self.loads[s] = load
            for g, total in sums.items():
                self.group_sums[g] = total

    def rollback(self, mark: int) -> None:
        while len(self.log) > mark:
            action, s, i = self.log.pop()
            if action == "assign":
                self.unassign(i)
            else:
                self.assign(s, i)
            self.log.pop()  # the inverse just logged

    def walk(self, made: tuple, path: tuple, base: int) -> None:
        """A breadth-first chain search's roster moved from the steps `made` to `path`'s,
        each (person, place taken, place given up) made since the log's length `base`: only
        the steps past the two's common start undone and made, none counted (the searches
        count a replay from `base` and its undoing, so every budget ends where it did; the
        benchmark's rosters are the same by hash, though a load given back through fewer
        round trips need not be the same to the last bit). Siblings share all steps but
        their last: replaying each from the start was most of a short-staffed month's chain
        search time (M at three quarters of its staff, October: 9,100 of the solve's 14,900
        assigns and unassigns in `_chain_from`; 10,600 in all with this)."""
        shared = 0
        for mine, theirs in zip(made, path):
            if mine != theirs:
                break
            shared += 1
        checks = self.checks
        self.rollback(base + 2 * shared)
        for s, taken, dropped in path[shared:]:
            self.unassign(dropped)
            self.assign(s, taken)
        self.checks = checks

    def add_cost(self, s: int, i: int) -> float:
        return self.add_costs(i, (s,))[0]

    def add_costs(self, i: int, candidates) -> list[float]:
        """`add_cost(s, i)` for each s of `candidates`, in one call: the moves and the greedy
        fill rank every candidate of a place, the solver's most frequent evaluation. Metric by
        metric over all of them: each sum is added up in the same order as one at a time."""
        self.checks += len(candidates)
        loads, capacity, pref = self.loads, self.capacity, self.pref_at[i]
        totals = [0.0] * len(candidates)
        for m, amount, weighted in self.deltas[i]:
            totals = [total + weighted * (2 * loads[s][m] + amount)
                      for total, s in zip(totals, candidates)]
        return [total / capacity[s] + pref.get(s, 0.0) for total, s in zip(totals, candidates)]

    def remove_cost(self, s: int, i: int) -> float:
        load = self.loads[s]
        total = 0.0
        for m, amount, weighted in self.deltas[i]:
            total += weighted * (amount - 2 * load[m])
        return total / self.capacity[s] - self.pref.get((s, i), 0.0)

    def cross(self, i: int, j: int) -> float:
        """Sum of weight * amount_i * amount_j over metrics both positions add to."""
        other = {m: amount for m, amount, _ in self.deltas[j]}
        return sum_in_order(weighted * other[m] for m, _, weighted in self.deltas[i]
                   if m in other)

    def conflict(self, s: int, i: int) -> Conflict | None:
        """The hard rule person s breaks by taking place i, else None: one person's own shifts
        read, and every rule a most (overlap, rest, runs, weekly hours), so taking a shift away
        never makes one. `Filling._movable`, `_one_step` and `_stuck` prove chains useless on
        that: a rule across people, or a least, would need them proven anew."""
        self.checks += 1
        return self.timelines[s].conflict(self.works[i])

    def blocked(self, s: int, i: int) -> bool:
        """`conflict(s, i) is not None`, counted as one check: the rule is not named
        (`Timeline.blocks`), for callers that only ask whether s may take i."""
        self.checks += 1
        return self.timelines[s].blocks(self.works[i])

    def keep(self, kept: dict[int, str | None]) -> None:
        """Positions kept as they are, position -> staff id (None: left open), and never
        solved: the days a roster in use had begun, generated again (their people worked them,
        attendance judged them); what they hold counts in the loads and rules around them."""
        for i, staff_id in kept.items():
            self.frozen.add(i)
            self.fixed.add(i)
            s = self.index.get(staff_id) if staff_id is not None else None
            if s is not None:
                self.assign(s, i)
        self.log.clear()

    def fix(self, wanted: dict[int, tuple[str, str]]) -> list[str]:
        """Pre-assign the positions rotations name, position -> (staff id, rotation id). One the
        person cannot take (leave, a hard rule) stays open for the solver, with a note."""
        notes = []
        for i in sorted(wanted, key=lambda i: (self.positions[i].start_ts, i)):
            if i in self.frozen:  # a day begun, kept as it was
                continue
            staff_id, rotation = wanted[i]
            s = self.index.get(staff_id)
            p = self.positions[i]
            if s is None or s not in self.eligible[i]:
                member = self.rules.member(staff_id)
                why = (member.unavailable_reason(p.day) if member else None) or "roles"
            else:
                conflict = self.conflict(s, i)
                if conflict is None:
                    self.assign(s, i)
                    self.fixed.add(i)
                    continue
                why = blocking_rule(conflict, p.day, p.shift.id)
            notes.append(t("rotation {rotation}: {staff} cannot take {day} {shift} ({why}); "
                           "someone else fills it", rotation=rotation,
                           staff=self.rules.person(staff_id), day=day_label(p.day),
                           shift=p.shift.name,
                           why=rule_label(why)))
        self.log.clear()
        return notes

    def best_candidate(self, i: int, exclude: int | None = None) -> int | None:
        for _, _, s in self.ranked(i, [s for s in self.eligible[i] if s != exclude]):
            if not self.blocked(s, i):
                return s
        return None

    def ranked(self, i: int, candidates) -> list[tuple[float, int, int]]:
        """(cost of taking i, rank, s) for each s of `candidates`, cheapest first: priced in
        one `add_costs` call."""
        return sorted((cost, self.rank[s], s)
                      for s, cost in zip(candidates, self.add_costs(i, candidates)))

    def _hours_left(self, s: int, week: int) -> float:
        """What s may still work in an ISO week under the weekly limit."""
        return self.members[s].limits.max_hours_per_week - self.timelines[s].weeks.get(week, 0.0)

    def _holdings_of(self, i: int) -> tuple:
        """What each of i's candidates holds (hashed)."""
        version = self.version
        return tuple([version[s] for s in self.eligible[i]])

    def change_cost(self, changes: list[tuple[int, int, int]]) -> float:
        """Change of J plus the spread term of comparable staff when each (staff, position,
        +1 or -1) is applied: a group's sum of squares less its square of sums over its size,
        which only falls when its members' loads move together. It breaks J's ties between
        one person and another (weekends 3/2 in a group against 2 outside it)."""
        self.checks += 1
        if len(changes) == 2 and changes[0][0] != changes[1][0]:
            return self._cost_of_two(changes)
        if len(changes) == 4:
            (a, i, one), (c, j, two), (c2, i2, three), (a2, j2, four) = changes
            if one == two == -1 and three == four == 1 and a == a2 and c == c2 and a != c \
                    and i == i2 and j == j2:
                return self._priced_swaps(a, i, [(c, j)])[0]  # a swap: stretches of a day
        rows: dict[int, list[float]] = {}
        total = 0.0
        deltas, weights = self.deltas, self.weights  # the hottest loop
        pref = self.pref_at if self.pref else None
        for s, i, sign in changes:
            row = rows.get(s)
            if row is None:
                row = rows[s] = [0.0] * len(METRICS)
            if sign == 1:  # adding 1 * amount, or -1 * amount, exactly as it was
                for m, amount, _ in deltas[i]:
                    row[m] += amount
            elif sign == -1:
                for m, amount, _ in deltas[i]:
                    row[m] -= amount
            else:
                for m, amount, _ in deltas[i]:
                    row[m] += sign * amount
            if pref is not None:
                total += sign * pref[i].get(s, 0.0)
        moved: dict[tuple[int, int], float] = {}  # keep in step with _cost_of_two's block
        loads, group_of, capacities = self.loads, self.group_of, self.capacity
        for s, row in rows.items():
            load, g, capacity = loads[s], group_of[s], capacities[s]
            for m, x in enumerate(row):
                if x:
                    squares = weights[m] * x * (2 * load[m] + x) / capacity
                    total += squares
                    if g is not None:
                        total += GROUP_WEIGHT[m] * squares
                        key = (g, m)
                        moved[key] = moved.get(key, 0.0) + x
        return self._less_group_squares(total, moved) if moved else total

    def _less_group_squares(self, total: float, moved: dict[tuple[int, int], float]) -> float:
        """`total` less each group's square of sums over its size as it changes when its
        metric m moves by x (`moved`: (group, m) -> x), term by term in `moved`'s order: the
        group correction of `change_cost` and `_cost_of_two`."""
        weights, sums, capacities = self.group_weights, self.group_sums, self.group_capacity
        for (g, m), x in moved.items():
            total -= weights[m] * x * (2 * sums[g][m] + x) / capacities[g]
        return total

    def _cost_of_two(self, changes: list[tuple[int, int, int]]) -> float:
        """`change_cost` of two changes of two people (a move: half the calls): each person's
        row is the one place's amounts, so the same sums in the same order, without the rows
        (a metric's terms in increasing order, as `_deltas` lists them)."""
        total = 0.0
        deltas, weights = self.deltas, self.weights
        if self.pref:
            for s, i, sign in changes:
                total += sign * self.pref_at[i].get(s, 0.0)
        moved: dict[tuple[int, int], float] = {}  # keep in step with change_cost's block
        for s, i, sign in changes:
            load, g, capacity = self.loads[s], self.group_of[s], self.capacity[s]
            for m, amount, _ in deltas[i]:
                x = amount if sign == 1 else -amount if sign == -1 else 0.0 + sign * amount
                if x:
                    squares = weights[m] * x * (2 * load[m] + x) / capacity
                    total += squares
                    if g is not None:
                        total += GROUP_WEIGHT[m] * squares
                        key = (g, m)
                        moved[key] = moved.get(key, 0.0) + x
        return self._less_group_squares(total, moved) if moved else total

    def move_costs(self, a: int, i: int, candidates: list[int]) -> list[float]:
        """`change_cost([(a, i, -1), (c, i, 1)])` for each c of `candidates` (a hands i to c)
        in one call: levelling prices a place's every candidate, most of its evaluations. a's
        terms are worked out once; each candidate's total adds them, its own and the group
        corrections in `_cost_of_two`'s order (a's groups' keys first; c's merge into them
        when both are in one group). No candidate is a (a change list then prices a's two
        changes together; no caller asks it)."""
        self.checks += len(candidates)
        weights, loads, capacities, group_of = self.weights, self.loads, self.capacity, \
            self.group_of
        group_weights, sums, group_capacity = self.group_weights, self.group_sums, \
            self.group_capacity
        delta = [(m, amount) for m, amount, _ in self.deltas[i] if amount]
        load, g, capacity = loads[a], group_of[a], capacities[a]
        mine = []  # a's terms: squares, and the group's share of them, as `total +=` adds them
        for m, amount in delta:
            x = -amount
            squares = weights[m] * x * (2 * load[m] + x) / capacity
            mine.append((squares, GROUP_WEIGHT[m] * squares if g is not None else None))
        if self.pref:
            at = self.pref_at[i]
            first = 0.0 + -1 * at.get(a, 0.0)
            totals = [first + 1 * at.get(c, 0.0) for c in candidates]
        else:
            totals = [0.0] * len(candidates)
        found = []
        for c, total in zip(candidates, totals):
            for squares, shared in mine:
                total += squares
                if shared is not None:
                    total += shared
            load, h, capacity = loads[c], group_of[c], capacities[c]
            for m, amount in delta:
                squares = weights[m] * amount * (2 * load[m] + amount) / capacity
                total += squares
                if h is not None:
                    total += GROUP_WEIGHT[m] * squares
            if delta and g is not None:
                for m, amount in delta:
                    x = -amount + amount if h == g else -amount
                    total -= group_weights[m] * x * (2 * sums[g][m] + x) / group_capacity[g]
            if delta and h is not None and h != g:
                for m, amount in delta:
                    total -= group_weights[m] * amount * (2 * sums[h][m] + amount) \
                        / group_capacity[h]
            found.append(total)
        return found

    def swap_costs(self, a: int, i: int, swaps: list[tuple[int, int]]) -> list[float]:
        """`change_cost([(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)])` for each (c, j) of
        `swaps` (a gives i to c, who gives j back) in one call: levelling's trades, most of
        the long change lists a short-staffed month prices. No c is a (as `move_costs`)."""
        self.checks += len(swaps)
        return self._priced_swaps(a, i, swaps)

    def _priced_swaps(self, a: int, i: int, swaps: list[tuple[int, int]]) -> list[float]:
        """`swap_costs` without counting them: change_cost's sums in its order, without its
        rows. a's row is j's amounts less i's (0.0 - x + y is y - x to the last bit; an
        amount missing is 0.0), c's its negation."""
        weights, loads, capacities, group_of = self.weights, self.loads, self.capacity, \
            self.group_of
        group_weights, sums, group_capacity = self.group_weights, self.group_sums, \
            self.group_capacity
        pref, at_i, amounts_i = self.pref, self.pref_at[i], self.amounts[i]
        load_a, g, capacity_a = loads[a], group_of[a], capacities[a]
        found = []
        for c, j in swaps:
            total = 0.0
            if pref:
                at_j = self.pref_at[j]
                total -= at_i.get(a, 0.0)
                total -= at_j.get(c, 0.0)
                total += at_i.get(c, 0.0)
                total += at_j.get(a, 0.0)
            row = [(m, x) for m, x in enumerate(map(sub, self.amounts[j], amounts_i)) if x]
            for m, x in row:
                squares = weights[m] * x * (2 * load_a[m] + x) / capacity_a
                total += squares
                if g is not None:
                    total += GROUP_WEIGHT[m] * squares
            load, h, capacity = loads[c], group_of[c], capacities[c]
            for m, x in row:
                x = -x
                squares = weights[m] * x * (2 * load[m] + x) / capacity
                total += squares
                if h is not None:
                    total += GROUP_WEIGHT[m] * squares
            if row and g is not None:
                for m, x in row:
                    if h == g:
                        x = x + -x
                    total -= group_weights[m] * x * (2 * sums[g][m] + x) / group_capacity[g]
            if row and h is not None and h != g:
                for m, x in row:
                    x = -x
                    total -= group_weights[m] * x * (2 * sums[h][m] + x) / group_capacity[h]
            found.append(total)
        return found

    def apply(self, changes: list[tuple[int, int, int]]) -> bool:
        """Apply removals, then additions, if no hard rule breaks; else undo."""
        if len(changes) == 2:
            moved = self._apply_move(changes)
            if moved is not None:
                return moved
        return self._apply_on_timelines(changes)

    def _apply_on_timelines(self, changes: list[tuple[int, int, int]]) -> bool:
        """`apply` tried on the timelines first: the removals and each addition that fits
        made there, in the plain order; where one does not fit, they are undone there, and
        what the plain way's giving up, taking and rolling back would leave besides is left:
        each sum less then plus a removal's amounts (plus then less an addition's), in that
        order (rounded twice, not always the same sum), each place out of its holder's set
        and back (a set's order, which some searches read, may change so), the same checks
        counted. Who holds what, the seats' counts and the holdings' hashes come back as
        they were, and the undo log is as it was. Where all fit, the rest of each change is
        made as `unassign` and `assign` make it. Most change lists levelling tries are
        refused so (M at a quarter of its staff, December alone: 2,177 of 2,536)."""
        timelines, works, assigned = self.timelines, self.works, self.assigned
        removed = [(assigned[i], i) for s, i, sign in changes if sign < 0]
        for s, i in removed:
            timelines[s].remove(works[i])
        gone = {i for _, i in removed}
        taken: list[tuple[int, int]] = []
        made: set[int] = set()
        checks = len(removed)
        fits = True
        for s, i, sign in changes:
            if sign > 0:
                if assigned[i] is not None and i not in gone or i in made:
                    fits = False
                    break
                checks += 1  # the rule check
                timeline, work = timelines[s], works[i]
                if timeline.blocks(work):
                    fits = False
                    break
                timeline.add(work)
                taken.append((s, i))
                made.add(i)
        if fits:
            self.checks += checks - len(removed)  # the rest as `unassign`, `assign` count
            for s, i in removed:
                self._unassign_kept_timeline(s, i)
            for s, i in taken:
                self._assign_kept_timeline(s, i)
            return True
        for s, i in reversed(taken):
            timelines[s].remove(works[i])
        for s, i in reversed(removed):
            timelines[s].add(works[i])
        held = self.held
        for s, i in removed:
            self._take_sums(s, i)
            held[s].discard(i)
        for s, i in taken:
            self._add_sums(s, i)
            held[s].add(i)
        for s, i in reversed(taken):
            self._take_sums(s, i)
            held[s].discard(i)
        for s, i in reversed(removed):
            self._add_sums(s, i)
            held[s].add(i)
        # the removals, the checks and additions, and the rollback's undoing of both
        self.checks += checks + 2 * len(taken) + len(removed)
        return False

    def _assign_kept_timeline(self, s: int, i: int) -> None:
        """`assign` but the timeline: where s's timeline holds i already
        (`_apply_on_timelines`), and the rest of every `assign` (`_add_sums` written out, as
        `_unassign_kept_timeline` writes `_take_sums`: the solver's hottest path)."""
        self.checks += 1
        delta = self.deltas[i]
        load = self.loads[s]
        for m, amount, _ in delta:
            load[m] += amount
        group = self.group_of[s]
        if group is not None:
            sums = self.group_sums[group]
            for m, amount, _ in delta:
                sums[m] += amount
        slot = self.week_slot[i]
        if slot >= 0:
            self.week_filled[slot] += self.works[i].hours
        self.assigned[i] = s
        self.cell_filled[self.cell_of[i]] += 1
        self.held[s].add(i)
        if self.near_known[s]:
            self.near_known[s] = {}
        self.version[s] ^= self.marks[i]
        self.log.append(("assign", s, i))

    def _unassign_kept_timeline(self, s: int, i: int) -> None:
        """`unassign(i)` but the timeline: where its holder s's timeline no longer holds it,
        and the rest of every `unassign`."""
        self.checks += 1
        delta = self.deltas[i]
        load = self.loads[s]
        for m, amount, _ in delta:
            load[m] -= amount
        group = self.group_of[s]
        if group is not None:
            sums = self.group_sums[group]
            for m, amount, _ in delta:
                sums[m] -= amount
        slot = self.week_slot[i]
        if slot >= 0:
            self.week_filled[slot] -= self.works[i].hours
        self.assigned[i] = None
        self.cell_filled[self.cell_of[i]] -= 1
        self.held[s].discard(i)
        if self.near_known[s]:
            self.near_known[s] = {}
        self.version[s] ^= self.marks[i]
        self.log.append(("unassign", s, i))

    def _apply_move(self, changes: list[tuple[int, int, int]]) -> bool | None:
        """`apply` of a move (place i handed from its holder to another, b), None if
        `changes` is not one: b's week, rest and runs are the same whether i is given up first
        or not, so b's rule check comes first and, where it fails, i is not given up and
        taken back; only what that leaves besides who holds what is left (`_given_back`).
        The checks the plain way makes are counted all the same (the removal, the rule check,
        then the undoing or the taking): the same budgets, the same rosters. On L at three
        quarters of its staff 31,500 of the 50,000 change lists applied (most of them
        levelling's) were moves refused so; on M at half its staff 132 of 832."""
        (_, i, give), (b, j, take) = changes
        holder = self.assigned[i]
        if give != -1 or take != 1 or i != j or holder is None or holder == b:
            return None
        self.checks += 1  # the rule check
        if self.timelines[b].blocks(self.works[i]):
            self.checks += 2  # the removal and its undoing
            self._given_back(holder, i)
            return False
        self.unassign(i)
        self.assign(b, i)
        return True

    def _given_back(self, s: int, i: int) -> None:
        """What `unassign(i)` and `assign(s, i)` leave besides who holds what, without moving
        the place: each sum less i's amount then plus it (rounded twice, not always the same
        sum), the timeline's counts likewise (`Timeline.given_back`), and i taken out of s's
        set and put back (a set's order, which some searches read, may change so)."""
        self.timelines[s].given_back(self.works[i])
        self._take_sums(s, i)
        self._add_sums(s, i)
        self.held[s].discard(i)
        self.held[s].add(i)

    def _filled(self) -> int:
        """How many places being solved are filled."""
        return sum(1 for i in self.active if self.assigned[i] is not None)

    def _seat_ahead_open(self, i: int) -> bool:
        """Is the seat in front of i (of its shift, day and role) open? Places are filled
        seat by seat: none is filled behind an open one."""
        p = self.positions[i]
        return bool(p.seat) and self.assigned[self.key_index[(p.day, p.shift.id, p.role,
                                                              p.seat - 1)]] is None

    def _seat_left(self, left: int) -> int:
        """The seat leaving `left` (held) open leaves its shift at, as its holders count it:
        how many hold the shift, less one. `left`'s own number where the seats are filled in
        order; a lower one where a seat in front of `left` was left open (a levelling trade
        may leave one so)."""
        return self._filled_at(left) - 1

    def _seat_taken(self, i: int) -> int:
        """The seat taking the open place i fills, as its shift's holders count it: i's own
        number, or how many hold the shift already where that is more (a levelling trade may
        leave a seat in front of a held one open: taking it gives the shift one more, not its
        first)."""
        return max(self.positions[i].seat, self._filled_at(i))

    def _filled_seats(self, cell: tuple) -> int:
        """How many seats of one day's shift and role (a position key's first three) are
        filled."""
        k = self.cell_ids.get(cell)
        return 0 if k is None else self.cell_filled[k]

    def _filled_at(self, i: int) -> int:
        """How many seats of i's shift and role on its day are filled (i's among them)."""
        return self.cell_filled[self.cell_of[i]]

    def _vacate(self, j: int) -> tuple[list[tuple[int, int, int]] | None, int]:
        """The changes that leave j's shift one seat less filled, its holder gone, and the
        seat left open: whoever holds the shift's last filled seat moves to j, so the seat
        left open is the last. None where that seat is a rotation's (its holder stays on the
        seat it was given)."""
        p = self.positions[j]
        last = j
        for seat in range(p.seat + 1, p.seat + 1 + len(self.members)):
            k = self.key_index.get((p.day, p.shift.id, p.role, seat))
            if k is None or self.assigned[k] is None:
                break
            if k in self.fixed:
                return None, j
            last = k
        moved = [] if last == j else [(self.assigned[last], last, -1),
                                      (self.assigned[last], j, 1)]
        return [(self.assigned[j], j, -1), *moved], last

    def _splits_cover(self, j: int, i: int) -> bool:
        """Would emptying j's shift to staff i's (both their only seat) leave more stretches
        of the coverage rule's hours with nobody on duty within a day of either
        (`coverage.stretches_uncovered`; the neighbouring rosters' shifts count: a night
        before the period covers its first small hours)? The same shift on another day
        leaves as much time uncovered, but a hole may split in two."""
        coverage = self.rules.coverage
        if not coverage.hours:
            return False
        windows = sorted((self.works[k].start - 86400, self.works[k].end + 86400)
                         for k in (j, i))
        if windows[1][0] <= windows[0][1]:
            windows = [(windows[0][0], max(windows[0][1], windows[1][1]))]
        tz, known, more = self.positions[j].start.tzinfo, self.uncovered_known, 0
        for lo, hi in windows:
            before = None if known is None else known.get((lo, hi))
            if before is None:
                before = stretches_uncovered(coverage, self._covering(lo, hi), lo, hi, tz)
                if known is not None:
                    known[(lo, hi)] = before
            more += stretches_uncovered(coverage, self._covering(lo, hi, (j,), (i,)), lo, hi,
                                        tz) - before
        return more > 0

    def _covering(self, lo: int, hi: int, skip: tuple[int, ...] = (),
                  add: tuple[int, ...] = ()) -> list[tuple[int, int]]:
        """(start, end) in epoch seconds of the shifts on site around lo..hi of a role the
        coverage rule counts: the filled places (`skip` taken as open, `add` as filled) and
        the neighbouring rosters' (`history`)."""
        if self.by_start is None:
            roles = self.rules.coverage.roles
            self.by_start = sorted((w.start, k) for k, w in enumerate(self.works)
                                   if not w.on_call and (roles is None
                                                         or self.positions[k].role in roles))
            self.around = sorted((w.start, w.end) for works in self.history.values()
                                 for w in works if not w.on_call and (
                                     roles is None or w.role in roles))
            self.longest = max([w.end - w.start for w in self.works]
                               + [end - start for start, end in self.around], default=0)
        spans = [(self.works[k].start, self.works[k].end) for _, k in self.by_start[
            bisect_left(self.by_start, (lo - self.longest,)):bisect_left(self.by_start, (hi,))]
            if (self.assigned[k] is not None and k not in skip) or k in add]
        return spans + self.around[bisect_left(self.around, (lo - self.longest,)):
                                   bisect_left(self.around, (hi,))]

    def _gap(self, group: list[int], m: int) -> float:
        """The most of m's `_level` in `group` less the least (`_level` inlined: a hot read)."""
        loads, scale = self.loads, self.scale
        levels = [loads[s][m] * scale[s] for s in group]
        return max(levels) - min(levels)

    def _every_gap(self) -> dict[tuple[int, int], float]:
        """Each group's gap of each metric weighed: (group, metric) -> `_gap`."""
        return {(g, m): self._gap(group, m) for g, group in enumerate(self.groups)
                for m in range(len(METRICS)) if self.weights[m]}

    def _level(self, s: int, m: int) -> float:
        """s's load of m at the mean capacity of s's group: what levelling evens out."""
        return self.loads[s][m] * self.scale[s]

    def _holdings(self) -> tuple:
        """Who holds what, everyone (hashed per person; an undone change gives it back)."""
        return tuple(self.version)

    def _amount(self, i: int, m: int) -> float:
        return self.amounts[i][m]

    def in_week(self, week: int) -> list[int]:
        """The positions starting in ISO week `week` (its Monday's ordinal)."""
        if self.by_week is None:
            self.by_week = {}
            for i, work in enumerate(self.works):
                self.by_week.setdefault(week_of(work.day), []).append(i)
        return self.by_week.get(week, [])

    def _improving(self, options: list[list[tuple[int, int, int]]],
                   costs: list[float] | None = None):
        """The options that lower the cost (`change_cost`, or `costs` when priced already),
        the most first."""
        if costs is None:
            costs = [self.change_cost(change) for change in options]
        for _, n in sorted((cost, n) for n, cost in enumerate(costs) if cost < -EPSILON):
            yield options[n]

    def _try(self, options: list[list[tuple[int, int, int]]],
             costs: list[float] | None = None) -> bool:
        """Apply the option that lowers the cost most and breaks no hard rule (`costs`:
        each option's `change_cost`, if priced already)."""
        for change in self._improving(options, costs):
            if self.apply(change):
                for _, i, sign in change:
                    if sign < 0 and self.assigned[i] is None:  # left open for one like it
                        p = self.positions[i]
                        self.open_by_shift.setdefault((p.shift.id, p.role), []).append(i)
                return True
        return False

    def _near(self, s: int, i: int) -> list[int]:
        """Positions held by s that start within NEAR_SECONDS of position i, in start order:
        every place of s that can block i (rest, runs, the week's hours) is among them.
        Looked up once while s holds the same (`near_known`, emptied when s takes or gives
        up a place): levelling's trades ask for the same person and place again and again
        (L at three quarters of its staff: 58 % of the asks). Callers do not change it."""
        known = self.near_known[s]
        found = known.get(i)
        if found is None:
            found = known[i] = self._near_plain(s, i)
        return found

    def held_amounts(self, s: int, m: int) -> tuple[float, ...]:
        """The amounts of m among the places s holds, each once, in order: a few (a site's
        shifts are of a few kinds), so a search sees that s holds nothing of the amount it
        wants before it lists s's places near one (`Levelling._swaps_back`: 84 % of its asks
        on L at three quarters of its staff). Kept for s's `version` (the hash of what s
        holds) until s holds something else: that year's 200,560 asks worked it out 479
        times."""
        version, known = self.amounts_known[s]
        if version != self.version[s]:
            known = {}
            self.amounts_known[s] = (self.version[s], known)
        found = known.get(m)
        if found is None:
            amounts = self.amounts
            found = known[m] = tuple(sorted({amounts[j][m] for j in self.held[s]}))
        return found

    def _near_plain(self, s: int, i: int) -> list[int]:
        """`_near`, read from s's timeline."""
        timeline = self.timelines[s]
        start = self.works[i].start
        low = bisect_left(timeline.starts, start - NEAR_SECONDS)
        high = bisect_right(timeline.starts, start + NEAR_SECONDS)
        at, assigned = self.work_at, self.assigned
        found = []
        for work in timeline.works[low:high]:
            j = at.get(id(work))  # None: a neighbouring roster's shift (`history`)
            if j is not None and assigned[j] == s:
                found.append(j)
        return found

    def open_near(self, i: int, start: int, key: tuple[str, str] | None = None) -> list[int]:
        """What `open_by_shift` lists for i's shift and role (or `key`'s: shift id and role;
        some filled since, some listed twice) starting within NEAR_SECONDS of `start`, in the
        list's order: levelling asks for every place it tries to hand over, and a year's list
        is long. A list only grows (`_try` appends to it), so its index by start
        (`open_index`) is kept up to date."""
        if key is None:
            p = self.positions[i]
            key = (p.shift.id, p.role)
        listed = self.open_by_shift.get(key)
        if not listed:
            return []
        index = self.open_index.get(key)
        if index is None or index[0] is not listed:  # a new list (`start_levelling`)
            index = self.open_index[key] = (listed, [], [])
        _, starts, at = index  # sorted starts, and where in the list each is
        for n in range(len(at), len(listed)):
            begins = self.works[listed[n]].start
            where = bisect_right(starts, begins)
            starts.insert(where, begins)
            at.insert(where, n)
        low = bisect_left(starts, start - NEAR_SECONDS)
        high = bisect_right(starts, start + NEAR_SECONDS)
        return [listed[n] for n in sorted(at[low:high])]

    def blocked_reason(self, i: int) -> tuple[tuple[str, str], ...]:
        """Who holds the role and what keeps each from the place: (staff id, rule id) pairs,
        empty when nobody has the role. Data, not words: the roster file keeps it and screens
        say it in their language (explain.describe_gap)."""
        p = self.positions[i]
        blocked = []
        for s, member in enumerate(self.members):
            if p.role not in member.roles:
                continue
            unavailable = member.unavailable_reason(p.day)
            conflict = None if unavailable else self.conflict(s, i)
            blocked.append((member.id, unavailable or (
                blocking_rule(conflict, p.day, p.shift.id) if conflict else LEFT_OPEN)))
        return tuple(blocked)

    def _open_places(self) -> dict[tuple[str, str], list[int]]:
        found: dict[tuple[str, str], list[int]] = {}
        for i in self.active:
            if self.assigned[i] is None and i < self.planned:
                p = self.positions[i]
                found.setdefault((p.shift.id, p.role), []).append(i)
        return found


def hours_unit(positions: list[Position]) -> float:
    """Hours are levelled in units of the average shift on site: one shift weighs about one
    night."""
    on_site = [p for p in positions if not p.on_call]
    return sum_in_order(p.hours for p in on_site) / len(on_site) if on_site else 1.0
