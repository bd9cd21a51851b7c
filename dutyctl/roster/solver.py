"""Filling positions: a greedy pass in time order, then repair and improvement by local search.

Objective (lower is better), the same for every phase:

    J = sum over fairness metrics m and staff s of  weight_m * (load_ms / unit_m)^2 / capacity_s
        + preference_weight * (avoided shifts worked - wanted shifts worked)

with capacity_s = fte * (available days / days in the period). For a fixed total, the sum of
squares is smallest when every load is proportional to capacity: fair shares "in proportion to
availability and contract". Hard rules are never broken by the solver (`Timeline.conflict`).

1. Greedy: positions in start order (the most constrained first at equal start); each goes to
   the feasible candidate whose load raises J least; ties by a seeded random rank.
2. Repair: an unfilled position takes a blocked candidate after moving away one or two of that
   person's nearby shifts to someone else (a short ejection chain, bounded effort); the last
   few open places get one deeper chain each (`_rescue`), as soon as the capacity leaves no
   more open (not after a two-step chain has spent its budget on them first).
3. Improve: moves (one position to another person) and swaps (two people exchange positions)
   while J drops; no swap is tried where a shift the receiver keeps clashes with the position
   (overlap or rest: only the shift it hands back could lift that).
4. Level: inside each group of comparable staff (`stats.comparable_key`: the spread `roster
   stats` shows), the most loaded with nights, weekends, holidays, on-call duties or hours hands
   load to the least loaded: a move, a swap for a position with less of it, a trade through a
   third person (3/3/2 in the group with 2 outside it: J alone is indifferent), or, in a
   short-staffed month, one person leaving a place open while the other fills an open place
   like it (same shift and role, no later seat: the coverage stays). A group one night or
   weekend shift apart with a total that does not divide evenly exchanges a stretch of days
   with someone outside it (`_block_outside`), or, short-staffed, the one above leaves a
   weekend or holiday place open for an open one like it on another day (`_leave_open`); a
   count two or more apart re-shares a week whole for it (`_recount`). Where two of a group
   stay more than a shift's hours apart (everyone at the weekly cap but in a few weeks:
   leave, a short first or last week), the most loaded re-shares one or two ISO weeks whole
   with someone below who has room in them: a bounded depth-first search gives the places
   either holds, and the open ones, anew (`_reshare_from`). It minimises J plus the groups'
   spread term (`change_cost`), within a work budget (`LevelBudget`: re-sharing within its
   own).
5. Cover: each place still open gets one more chain of up to two steps, kept only if no
   group's spread ends wider (`cover`): the repair's effort, shared in fill order, does not
   reach a short-staffed month's last weeks; this one passes over places no chain can fill.
   Then (`_augment`) each role's week with open places is re-packed between two people
   (one taking the long shifts, the other the short ones: hours left over by each gathered
   into one more place), a shift nobody holds takes someone from a second seat, and each
   open place gets a breadth-first chain of up to four people, each kept where the spreads
   mend back (a count one apart allowed where the change raised the group's total of it);
   what that effort leaves goes to re-packs among three people and wider chains.
6. Raise: short-staffed, a group still one night, weekend or holiday shift apart raises its
   total, each one below taking an open place with more of it (a night, a weekend) and
   leaving open a place of theirs with less (`_raise_below`), of the same shift or, as long,
   of another: a depth-first search, kept only if all of them can and no spread widens; a
   change between shifts that fills a later seat than it leaves open is kept only if each
   shift ends with as many places filled.
Loads start from the year to date (`_carry`): a month after earlier rosters of its year levels
the year so far. Deterministic: fixed orders, integer budgets, no clocks.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, islice

from dutyctl.messages import t
from dutyctl.output import day_label
from dutyctl.roster.coverage import stretches_uncovered
from dutyctl.roster.positions import Position
from dutyctl.roster.rules import METRICS, Rules, Staff, rule_label
from dutyctl.roster.stats import Worked, available_days, groups, loads
from dutyctl.roster.timeline import Conflict, Timeline, Work, week_of

HOURS, NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL = range(5)
REPAIR_BUDGET = 4000  # conflict checks per unfilled position in the repair phase
# ... and for the whole solve, per (position, eligible person) pair: a short-staffed month,
# where most unfilled places cannot be filled by any chain, costs no more than a feasible one
REPAIR_EFFORT = 2
IMPROVE_ROUNDS = 8
RESCUE_PLACES = 4  # at most this many places left open get ...
RESCUE_BUDGET = 25000  # ... this many checks each, once
# levelling comparable staff, the whole solve: cost evaluations per position, at least a floor
# (a month of a small site needs a few thousand; a year of a large one must stay in seconds)
LEVEL_EFFORT = 16
LEVEL_FLOOR = 20000
# the spread among comparable staff over J, per metric: counts first, then hours (a count is
# worth moving even when it leaves the hours a shift apart)
GROUP_WEIGHT = (1.0, 4.0, 4.0, 4.0, 4.0)
LEVEL_PAIRS = 3  # (most loaded, least loaded) pairs of a group tried per metric and round
BLOCK_DAYS = (2, 4, 7)  # windows of days two people exchange whole, ...
BLOCK_DAYS_BEYOND = (1, 2, 3, 4, 5, 6, 7, 10, 14)  # ... every length when those find nothing
OPEN_TRIES = 3  # open places like a given one, nearest first, tried in a levelling trade
RAISE_TRIES = 12  # open places with more of a count tried for each one below, ...
RAISE_NODES = 160  # ... and changes applied in all by the search (`_raise_below`)
RESHARE_WEEKS = 2  # weeks two people re-share whole per try, ...
RESHARE_PLACES = 40  # ... when this few places are held or open in it, ...
RESHARE_NODES = 3000  # ... searching this many assignments at most, ...
RESHARE_EFFORT = 8  # checks per position for all re-sharing of a solve, at least a floor
RESHARE_FLOOR = 20000  # (a quarter of a small site: a few re-shares of a week each)
MEND_TRIES = 4  # ... then levelling each count it widened at most this many times
RECOUNT_WEEKS = 4  # weeks where a holds more of a count than b, re-shared whole per try, ...
RECOUNT_EFFORT = 8  # ... within this many checks per position for the whole solve
COVER_EFFORT = 32  # the last chains for open places: checks per position for the whole solve,
COVER_BUDGET = 1000  # ... and per place
AUGMENT_EFFORT = 32  # then re-packs and longer chains (`_augment`): checks per position, ...
AUGMENT_BUDGET = 4000  # ... and per search, ...
AUGMENT_FLOOR = 20000  # ... and at least this many in all (a small site's month); of what
# the cheaper searches leave, the wider ones take at most this many checks per position (S at
# half its staff: 1.99x the staffed S's checks; the `init` template's month ~7,600 in all)
WIDE_EFFORT = 28
CHAIN_DEPTH = 4  # people giving up a place to the next in one chain, at most
REPACK_PEOPLE = 4  # the people with the most hours left in a week, re-packed by twos, ...
REPACK_NODES = 500  # ... (or threes) searching this many assignments at most per try
NEAR_SECONDS = 8 * 86400  # shifts this close to a position can block it (rest, runs, weeks)
EPSILON = 1e-9
PAIRWISE = ("overlap", "min_rest_hours")  # broken by one other shift, whatever else is held


def work_of(position: Position) -> Work:
    return Work(position.start_ts, position.end_ts, position.day.toordinal(), position.night,
                position.hours, position.key, position.on_call)


def _role_of(work: Work) -> str | None:
    """The role of a neighbouring roster's shift (its key: date, shift, role, seat)."""
    return work.key[2] if isinstance(work.key, tuple) and len(work.key) > 2 else None


def preference_score(member: Staff, position: Position) -> int:
    """+1 per avoid item the position matches, -1 per prefer item."""
    def hits(items):
        return sum(1 for item in items if item.matches(position.day, position.shift.id,
                                                      position.weekend, position.holiday))
    return hits(member.avoid) - hits(member.prefer)


def capacity(member: Staff, first: date, last: date) -> float:
    """fte times the share of the period the person is available (not on leave, active)."""
    days = last.toordinal() - first.toordinal() + 1
    available = sum(1 for n in range(first.toordinal(), last.toordinal() + 1)
                    if member.unavailable_reason(date.fromordinal(n)) is None)
    return max(member.fte * available / days, 1e-3)


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

    def spent_resharing(self, checks: int) -> None:
        spent = min(checks, self.reshare)
        self.reshare -= spent
        self.until += spent

    def spent_recounting(self, checks: int) -> None:
        spent = min(checks, self.recount)
        self.recount -= spent
        self.until += spent


class Solver:
    def __init__(self, rules: Rules, positions: list[Position], first: date, last: date,
                 seed: int = 0, history: dict[str, list[Work]] | None = None,
                 carried: list[Worked] | None = None, ahead: list[Position] | None = None):
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
        self.span = (min((w.day for w in self.works), default=0),
                     max((w.day for w in self.works), default=0))
        self.hours_unit = hours_unit(positions[:self.planned])
        self.deltas = self._deltas(rules, positions[:self.planned], self.hours_unit)
        self.deltas += [()] * (len(positions) - self.planned)  # only the hours they take count
        self.weights = [rules.fairness.get(metric, 0.0) for metric in METRICS]
        self.loads = [[0.0] * len(METRICS) for _ in self.members]
        self.groups = self._groups(since, until, first, last)
        # a group's members may have had different leave so far: they are levelled in
        # proportion to capacity, each load seen at the group's mean capacity
        self.group_capacity = [sum(self.capacity[s] for s in group) for group in self.groups]
        self.scale = [1.0] * len(self.members)
        self.group_of: list[int | None] = [None] * len(self.members)
        for g, group in enumerate(self.groups):
            for s in group:
                self.group_of[s] = g
                self.scale[s] = self.group_capacity[g] / len(group) / self.capacity[s]
        self._carry(carried or [])
        self.group_sums = [[sum(self.loads[s][m] for s in group) for m in range(len(METRICS))]
                           for group in self.groups]
        self.assigned: list[int | None] = [None] * len(positions)
        self.held: list[set[int]] = [set() for _ in self.members]
        # what each person holds, hashed (an undone change restores it): a move or swap tried
        # and refused is not tried again until someone it involves holds something else
        draw = random.Random(len(positions)).getrandbits
        self.marks = [draw(64) for _ in positions]
        self.version = [0] * len(self.members)
        self.tried: dict[tuple, tuple] = {}
        self.by_week: dict[int, list[int]] | None = None
        self.by_start: list[tuple[int, int]] | None = None  # on site, coverage's roles
        self.around: list[tuple[int, int]] = []  # the neighbouring rosters' (with by_start)
        self.longest = 0  # the longest shift here or in a neighbouring roster, seconds (bisects
        # by_start and around)
        self.fixed: set[int] = set()
        self.eligible = [self._eligible(p) for p in positions]
        self.eligible_set = [frozenset(candidates) for candidates in self.eligible]
        self.key_index = {p.key: i for i, p in enumerate(positions)}
        self.pref = self._preferences(rules.preference_weight)
        self.log: list[tuple[str, int, int]] = []
        self.active: list[int] = list(range(len(positions)))  # the positions being solved
        self.checks = 0  # hard-rule checks, cost evaluations and (un)assignments: the work
        self.rescued: set[int] = set()
        self.slot_shortest: list[float] | None = None
        self.repair_effort = REPAIR_EFFORT * sum(len(c) for c in self.eligible) + REPAIR_BUDGET
        self.history = history or {}
        self._week_slots()

    # --- setup ----------------------------------------------------------------------------

    @staticmethod
    def _deltas(rules: Rules, positions: list[Position], unit: float) -> list[tuple]:
        """Per position: (metric, amount, weight) for each fairness metric it adds to; hours in
        `unit`s (the average shift, `hours_unit`) so one shift weighs about one night. An
        on-call duty adds to its own count only: hours at home are not hours worked."""
        weights = [rules.fairness.get(metric, 0.0) for metric in METRICS]
        deltas = []
        for p in positions:
            amounts = ((0.0, 0.0, 0.0, 0.0, 1.0) if p.on_call else
                       (p.hours / unit, float(p.night), float(p.weekend), float(p.holiday), 0.0))
            deltas.append(tuple((m, amount, weights[m]) for m, amount in enumerate(amounts)
                                if amount and weights[m]))
        return deltas

    def _groups(self, since: date, until: date, first: date, last: date) -> list[list[int]]:
        """Staff comparable over since..until (`stats.groups`), those who can take something
        in first..last, groups of two or more. A month after earlier rosters of its year: the
        staff the year's spread will compare, as far as the rules know their leave (whoever
        has leave in this month or had it in another stays with them)."""
        found = []
        for group in groups(self.rules, since, until):
            members = [self.index[staff] for staff in group
                       if available_days(self.rules.member(staff), first, last)]
            if len(members) > 1:
                found.append(members)
        return found

    def _carry(self, carried: list[Worked]) -> None:
        """Start each load from what the person worked in the year's earlier rosters: J (with
        capacities over the same days) is then the year so far's, which levels loads in
        proportion to fte x available days across everyone, as generating the year at once
        does, and weighs preferences against the year's loads, not one month's."""
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

    def _preferences(self, weight: float) -> dict[tuple[int, int], float]:
        """(staff, position) -> preference cost, for the positions each person may take."""
        choosy = {s for s, member in enumerate(self.members) if member.avoid or member.prefer}
        scores: dict[tuple[int, int], float] = {}
        if not choosy:
            return scores
        for i, position in enumerate(self.positions[:self.planned]):
            for s in self.eligible[i]:
                if s in choosy:
                    score = preference_score(self.members[s], position)
                    if score:
                        scores[(s, i)] = weight * score
        return scores

    def _eligible(self, position: Position) -> list[int]:
        return [s for s, member in enumerate(self.members)
                if position.role in member.roles
                and member.unavailable_reason(position.day) is None]

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

    # --- bookkeeping with an undo log --------------------------------------------------------

    def assign(self, s: int, i: int) -> None:
        self.checks += 1
        self.timelines[s].add(self.works[i])
        load = self.loads[s]
        for m, amount, _ in self.deltas[i]:
            load[m] += amount
        if self.group_of[s] is not None:
            sums = self.group_sums[self.group_of[s]]
            for m, amount, _ in self.deltas[i]:
                sums[m] += amount
        if self.week_slot[i] >= 0:
            self.week_filled[self.week_slot[i]] += self.works[i].hours
        self.assigned[i] = s
        self.held[s].add(i)
        self.version[s] ^= self.marks[i]
        self.log.append(("assign", s, i))

    def unassign(self, i: int) -> None:
        s = self.assigned[i]
        self.checks += 1
        self.timelines[s].remove(self.works[i])
        load = self.loads[s]
        for m, amount, _ in self.deltas[i]:
            load[m] -= amount
        if self.group_of[s] is not None:
            sums = self.group_sums[self.group_of[s]]
            for m, amount, _ in self.deltas[i]:
                sums[m] -= amount
        if self.week_slot[i] >= 0:
            self.week_filled[self.week_slot[i]] -= self.works[i].hours
        self.assigned[i] = None
        self.held[s].discard(i)
        self.version[s] ^= self.marks[i]
        self.log.append(("unassign", s, i))

    def rollback(self, mark: int) -> None:
        while len(self.log) > mark:
            action, s, i = self.log.pop()
            if action == "assign":
                self.unassign(i)
            else:
                self.assign(s, i)
            self.log.pop()  # the inverse just logged

    # --- costs ------------------------------------------------------------------------------

    def add_cost(self, s: int, i: int) -> float:
        self.checks += 1
        load = self.loads[s]
        total = 0.0
        for m, amount, weight in self.deltas[i]:
            total += weight * amount * (2 * load[m] + amount)
        return total / self.capacity[s] + self.pref.get((s, i), 0.0)

    def remove_cost(self, s: int, i: int) -> float:
        load = self.loads[s]
        total = 0.0
        for m, amount, weight in self.deltas[i]:
            total += weight * amount * (amount - 2 * load[m])
        return total / self.capacity[s] - self.pref.get((s, i), 0.0)

    def cross(self, i: int, j: int) -> float:
        """Sum of weight * amount_i * amount_j over metrics both positions add to."""
        other = {m: amount for m, amount, _ in self.deltas[j]}
        return sum(weight * amount * other[m] for m, amount, weight in self.deltas[i]
                   if m in other)

    def conflict(self, s: int, i: int) -> Conflict | None:
        self.checks += 1
        return self.timelines[s].conflict(self.works[i])

    # --- phases -----------------------------------------------------------------------------

    def fix(self, wanted: dict[int, tuple[str, str]]) -> list[str]:
        """Pre-assign the positions rotations name, position -> (staff id, rotation id). One the
        person cannot take (leave, a hard rule) stays open for the solver, with a note."""
        notes = []
        for i in sorted(wanted, key=lambda i: (self.positions[i].start_ts, i)):
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
                why = conflict.rule
            notes.append(t("rotation {rotation}: {staff} cannot take {day} {shift} ({why}); "
                           "someone else fills it", rotation=rotation,
                           staff=self.rules.person(staff_id), day=day_label(p.day),
                           shift=p.shift.name,
                           why=rule_label(why)))
        self.log.clear()
        return notes

    def best_candidate(self, i: int, exclude: int | None = None) -> int | None:
        ranked = sorted((self.add_cost(s, i), self.rank[s], s) for s in self.eligible[i]
                        if s != exclude)
        for _, _, s in ranked:
            if self.conflict(s, i) is None:
                return s
        return None

    def greedy(self) -> None:
        """First seats of every shift before second ones: when staff run short, each shift
        keeps someone (a night is not left empty for a third day seat)."""
        for i in self._fill_order(self.active):
            if i >= self.planned and self._own_open():
                break  # the days ahead take only what the period's own places leave
            if self.assigned[i] is None:
                s = self.best_candidate(i)
                if s is not None:
                    self.assign(s, i)

    def _own_open(self) -> bool:
        """Is a place of the period itself (not of the days ahead) open? Then the days ahead
        are not planned: reserving hours for them would cost the period its own coverage."""
        return any(self.assigned[i] is None for i in self.active if i < self.planned)

    def _fill_order(self, places) -> list[int]:
        """The order places are filled in: the period's own before the days ahead, first seats
        of every shift before second ones (when staff run short, each shift keeps someone: a
        night is not left empty for a third day seat), then by start, the places with the
        fewest candidates first."""
        positions, eligible, planned = self.positions, self.eligible, self.planned
        return sorted(places, key=lambda i: (i >= planned, positions[i].seat,
                                             positions[i].start_ts, len(eligible[i]), i))

    def _left_open(self) -> list[int]:
        """The open places repair works on, in fill order: the period's own; the days ahead
        only once the period's own are all filled."""
        ahead = not self._own_open()
        return self._fill_order(i for i in self.active if self.assigned[i] is None
                                and (ahead or i < self.planned))

    def repair(self) -> None:
        """Ejection chains for the unfilled places, most covering first (a lone place on its
        shift before an extra seat), within the per-place and the whole-solve effort; none
        for a place its week's capacity rules out."""
        for depth in (1, 2):  # one-step chains for every place before deeper ones
            order, fillable = self._left_open(), None
            for i in order:
                effort = min(REPAIR_BUDGET, self.repair_effort)
                if effort <= 0:
                    break
                if self.assigned[i] is not None or not self.may_fill(i):
                    continue
                if depth > 1:
                    fillable = self._fillable(order if fillable is None else fillable)
                    if len(fillable) <= RESCUE_PLACES:
                        break  # few enough for the rescue's deeper chains: they take them
                self.log.clear()
                before = self.checks
                self._place(i, depth, {i}, [self.checks + effort])
                self.repair_effort -= self.checks - before
        self._rescue()
        self.log.clear()

    def cover(self) -> None:
        """After levelling, each place still open gets one ejection chain of up to two steps
        (a candidate gives up one shift, whose new holder may give up one more), kept only if
        every comparable group's spread ends no wider than before (the loads it moved are
        levelled a few times first). The repair before levelling shares a fixed effort in fill
        order, which a short-staffed month spends on its first weeks; here places no chain can
        fill (`_may_cover`), and other seats of a shift whose chain just failed, are passed
        over, so the effort reaches the later weeks too."""
        effort = self.checks + COVER_EFFORT * len(self.active)
        metrics = [m for m in range(len(METRICS)) if self.weights[m]]
        limit = {(g, m): max(self._gap(group, m), self.good_enough[m])
                 for g, group in enumerate(self.groups) for m in metrics}
        active = set(self.active)
        # mending by moves and trades, no re-sharing allowance: a week costs more than a place
        budget = LevelBudget(effort)
        self._each_open(effort, self._may_cover, lambda i: (
            self._place(i, 2, {i}, [min(effort, self.checks + COVER_BUDGET)], pairs=False)
            and self._mend(limit, active, budget)))
        self._augment(limit, active)

    def _each_open(self, effort: int, may: Callable[[int], bool],
                   attempt: Callable[[int], bool]) -> None:
        """`attempt` each open place `may` take, while the effort lasts, undoing a failed
        one; the other seats of a shift that failed are passed over while its candidates
        hold the same (they would fail alike)."""
        failed: dict[tuple, tuple] = {}  # shift and role -> its candidates' holdings then
        for i in self._left_open():
            if self.checks >= effort:
                break
            cell = self.positions[i].key[:3]
            if self.assigned[i] is not None or failed.get(cell) == self._holdings_of(i) \
                    or not may(i):
                continue
            self.log.clear()
            if not attempt(i):
                self.rollback(0)
                failed[cell] = self._holdings_of(i)
        self.log.clear()

    def _augment(self, limit: dict[tuple[int, int], float], active: set[int]) -> None:
        """The places still open, within an effort of their own (AUGMENT_EFFORT per
        position, at least AUGMENT_FLOOR): each role's week with open places re-packed
        between two people with hours left (`_repacks`), a shift nobody holds taking someone
        from a second seat (`_spread_seats`), then each open place a chain of up to
        CHAIN_DEPTH people (`_chain`). A short-staffed month ended with everyone a few hours
        under the week's limit (12 + 12 + 9 + 9 = 42 h of 48), too few for any place, and
        the cover's chains of one or two single moves (`_may_cover`) passed over them. Each
        change is kept where every group's spread mends back within `limit` (`_keep`).
        What the effort leaves (at most WIDE_EFFORT checks per position) goes
        to wider searches: weeks re-packed among three people (3 + 3 + 6 h left: no two of
        them make room for a 12 h place) and chains that may pass through a place another
        exchange reached first (`_chain`'s `wide`). They come last: spent first, they
        starved the cheaper searches of later weeks (M at half its staff filled 669 places
        instead of 674)."""
        effort = self.checks + max(AUGMENT_EFFORT * len(self.active), AUGMENT_FLOOR)
        budget = LevelBudget(effort)
        self._repacks(limit, active, budget, 2)
        self._spread_seats(limit, active, budget)
        self._chains(limit, active, budget, wide=False)
        # what the effort leaves, at most an allowance of their own: the wider searches,
        # each costlier per place it fills
        rest = LevelBudget(min(effort, self.checks + WIDE_EFFORT * len(self.active)))
        self._repacks(limit, active, rest, 3)
        self._chains(limit, active, rest, wide=True)

    def _chains(self, limit: dict[tuple[int, int], float], active: set[int],
                budget: LevelBudget, wide: bool) -> None:
        """Each open place a chain (`_chain`), kept where the spreads mend (`_keep`)."""
        effort = budget.until

        self._each_open(effort, self._may_augment, lambda i: self._kept(
            lambda: self._chain(i, min(effort, self.checks + AUGMENT_BUDGET), wide),
            limit, active, budget))

    def _kept(self, change: Callable[[], bool], limit: dict[tuple[int, int], float],
              active: set[int], budget: LevelBudget) -> bool:
        """Make `change` (true if it applied one) from a clear log and keep it where the
        spreads mend back (`_keep`); else undo all of it."""
        self.log.clear()
        keep = self._keep(limit, active, budget)
        if change() and keep():
            return True
        self.rollback(0)
        return False

    def _keep(self, limit: dict[tuple[int, int], float], active: set[int],
              budget: LevelBudget):
        """Taken before a change that fills more places, called after it: are the spreads
        mended back within `limit` (or where an earlier change left them), a count one apart
        allowed where this change raised its group's total (`_widened`)?"""
        sums = [list(total) for total in self.group_sums]
        base = {(g, m): max(most, self._gap(self.groups[g], m)) for (g, m), most in limit.items()}
        return lambda: self._mend(self._widened(base, sums), active, budget)

    def _widened(self, limit: dict[tuple[int, int], float],
                 sums: list[list[float]]) -> dict[tuple[int, int], float]:
        """`limit`, with a count one apart allowed in each group whose total of it changed
        since `sums`: a group even at n nights each is one apart with n*k + 1 (a night filled
        that was open)."""
        widened = dict(limit)
        for (g, m), most in limit.items():
            if m != HOURS and abs(self.group_sums[g][m] - sums[g][m]) > EPSILON:
                widened[(g, m)] = max(most, max(self.scale[s] for s in self.groups[g]))
        return widened

    def _may_augment(self, i: int) -> bool:
        """Worth a chain: the role's week has hours left (`may_fill`), and i's candidates
        have, all together, hours left in the week for i. Unlike `_may_cover`, no one of them
        needs them: a chain trades shifts of different lengths until one has."""
        if not self.may_fill(i):
            return False
        work, k = self.works[i], self.week_slot[i]
        if k < 0:
            return True
        week = week_of(work.day)
        room = sum(max(0.0, self._hours_left(s, week)) for s in self.eligible[i])
        return room + EPSILON >= work.hours

    def _hours_left(self, s: int, week: int) -> float:
        """What s may still work in an ISO week under the weekly limit."""
        return self.members[s].limits.max_hours_per_week - self.timelines[s].weeks.get(week, 0.0)

    def _repacks(self, limit: dict[tuple[int, int], float], active: set[int],
                 budget: LevelBudget, size: int = 2) -> None:
        """Each role's week with open places, in order: pairs (or `size` people) among the
        REPACK_PEOPLE of the role with the most hours left there, together enough for its
        shortest open place, re-pack the week (`_repack`) while one fills more and its
        spreads mend, until `budget.until`."""
        weeks: dict[tuple[int, str], list[int]] = {}
        for i in self._left_open():
            if self.week_slot[i] >= 0 and self.may_fill(i):
                weeks.setdefault((week_of(self.works[i].day), self.positions[i].role),
                                 []).append(i)
        for (week, _role), places in sorted(weeks.items()):
            while self.checks < budget.until and self._repack_once(places, week, limit,
                                                                    active, budget, size):
                pass
        self.log.clear()

    def _spread_seats(self, limit: dict[tuple[int, int], float], active: set[int],
                      budget: LevelBudget) -> None:
        """A shift nobody holds takes someone from a second (or later) seat of another shift
        nearby: as many places stay filled, one more shift keeps someone (a week full to its
        hours has no room for another place, but a second office seat is worth less than a
        Saturday with nobody). The seat left open is its shift's last (`_vacate`). A day
        after the period is not written: a place of the period is never given for it (the
        days after come last in `_left_open`)."""
        for i in self._left_open():
            if self.checks >= budget.until or i >= self.planned:
                break
            cell = self.positions[i].key[:3]
            if self.assigned[i] is not None or self.positions[i].seat \
                    or self._filled_seats(cell) > 0:
                continue
            work = self.works[i]
            for s in self.eligible[i]:
                options = [j for j in self.held[s] if j not in self.fixed and j in active
                           and abs(self.works[j].start - work.start) <= NEAR_SECONDS
                           and self._filled_seats(self.positions[j].key[:3]) > 1]
                if self._seat_for(i, s, options, limit, active, budget):
                    break
        self.log.clear()

    def _seat_for(self, i: int, s: int, options: list[int],
                  limit: dict[tuple[int, int], float], active: set[int],
                  budget: LevelBudget) -> bool:
        """s gives up one of `options` (a seat of a shift others hold too) to take i."""
        start = self.works[i].start
        for j in sorted(options, key=lambda j: (abs(self.works[j].start - start), j)):
            if self.checks >= budget.until:
                break
            vacate, _ = self._vacate(j)
            if vacate is not None and self._kept(lambda: self.apply([*vacate, (s, i, 1)]),
                                                 limit, active, budget):
                return True
        return False

    def _repack_once(self, places: list[int], week: int,
                     limit: dict[tuple[int, int], float], active: set[int],
                     budget: LevelBudget, size: int = 2) -> bool:
        """One re-pack of `week` by `size` people kept, those with the most hours left
        first; none tried again until one of them holds something else."""
        open_places = [i for i in places if self.assigned[i] is None]
        if not open_places:
            return False
        shortest = min(self.works[i].hours for i in open_places)
        people = {s for i in open_places for s in self.eligible[i]}
        room = sorted(((self._hours_left(s, week), -self.rank[s], s) for s in people),
                      reverse=True)[:REPACK_PEOPLE]
        for chosen in combinations(room, size):
            people = tuple(s for _, _, s in chosen)
            state = tuple(self.version[s] for s in people)
            if sum(left for left, _, _ in chosen) < shortest - EPSILON \
                    or self.checks >= budget.until \
                    or self.tried.get(("repack", *people, week)) == state:
                continue
            if self._kept(lambda: self._repack(people, week, active, min(
                    budget.until, self.checks + AUGMENT_BUDGET)), limit, active, budget):
                return True
            self.tried[("repack", *people, week)] = state
        return False

    def _repack(self, people: tuple[int, ...], week: int, active: set[int], stop: float) -> bool:
        """`people` (two or three) share out anew what they hold in an ISO week, with the
        open places there any of them may take (two seats of a shift at most): every place
        they held stays filled by one of them, and the open places found worth most are
        filled, if any (a depth-first search within REPACK_NODES): a shift nobody holds
        counts twice, a second seat once (each shift keeps someone first, as the greedy
        fills them). Where everyone works shifts of mixed lengths under the week's limit
        (12 h days and 9 h office shifts under 48 h) the hours left over are each too few
        for a place, and no chain of single moves gathers them: one of them taking the long
        shifts and another the short ones leaves room for one more."""
        inside = [i for i in self.in_week(week) if i in active and i not in self.fixed]
        held = [i for i in inside if self.assigned[i] in people]
        seats: dict[tuple, int] = {}
        extra = []
        for i in inside:
            cell = self.positions[i].key[:3]
            if self.assigned[i] is None and i < self.planned and seats.get(cell, 0) < 2 \
                    and any(s in self.eligible_set[i] for s in people):
                seats[cell] = seats.get(cell, 0) + 1
                extra.append(i)
        if not held or not extra or len(held) + len(extra) > RESHARE_PLACES:
            return False
        places = sorted(held + extra, key=lambda i: (self.works[i].start, i))
        owner = {i: self.assigned[i] for i in held}
        worth = {i: 1 + (self._filled_seats(self.positions[i].key[:3]) == 0) for i in extra}
        later = [0] * (len(places) + 1)  # what the open places from k on are worth at most
        for k in range(len(places) - 1, -1, -1):
            later[k] = later[k + 1] + worth.get(places[k], 0)
        mark = len(self.log)
        for i in held:
            self.unassign(i)
        best: list = [0, None]
        chosen: list[tuple[int, int]] = []
        nodes = [REPACK_NODES]

        def visit(k: int, gained: int) -> None:
            nodes[0] -= 1
            if nodes[0] < 0 or self.checks >= stop or gained + later[k] <= best[0]:
                return
            if k == len(places):
                best[0], best[1] = gained, list(chosen)
                return
            i = places[k]
            held_by = owner.get(i)
            choices = (*people, None) if held_by is None else \
                (held_by, *(s for s in people if s != held_by))
            for s in choices:
                if s is None:
                    visit(k + 1, gained)
                elif s in self.eligible_set[i] and self.conflict(s, i) is None:
                    mark_here = len(self.log)
                    self.assign(s, i)
                    chosen.append((s, i))
                    visit(k + 1, gained + worth.get(i, 0))
                    chosen.pop()
                    self.unassign(i)
                    del self.log[mark_here:]  # the assign and its undo leave no trace

        visit(0, 0)
        self.rollback(mark)
        return best[1] is not None and self.apply(
            [(owner[i], i, -1) for i in held] + [(s, i, 1) for s, i in best[1]])

    def _chain(self, i: int, stop: float, wide: bool = False) -> bool:
        """Breadth first from the open place i: the shortest chain of people each taking the
        place the one before gave up for it (i first), the last taking one without giving any
        up, at most CHAIN_DEPTH long. Each node is tried on the roster as its chain leaves it
        (so one person may give up a place and take another further on); a place reached
        once is not reached again, or, `wide`, no exchange (taking x for giving up j) is
        tried twice: a place first reached through one person's exchange may be what
        another chain needs to pass through (someone takes an office shift for the night a
        colleague then takes, giving up the office of another day)."""
        queue = [(i, ())]
        seen = {i}
        head = 0
        while head < len(queue) and self.checks < stop:
            x, path = queue[head]
            head += 1
            mark = len(self.log)
            for s, taken, dropped in path:
                self.unassign(dropped)
                self.assign(s, taken)
            blocked, free = [], []
            for s in self.eligible[x]:
                conflict = self.conflict(s, x)
                if conflict is None:
                    free.append(s)
                else:
                    blocked.append((s, conflict))
            if free:
                self.assign(min(free, key=lambda s: (self.add_cost(s, x), self.rank[s])), x)
                return True
            if len(path) < CHAIN_DEPTH:
                on_path = {taken for _, taken, _ in path} | {x}
                for s, conflict in blocked:
                    for j in self._lifting(s, x, conflict, on_path):
                        edge = (x, j) if wide else j
                        if edge in seen:
                            continue
                        self.unassign(j)
                        if self.conflict(s, x) is None:
                            seen.add(edge)
                            queue.append((j, path + ((s, x, j),)))
                        self.assign(s, j)
            self.rollback(mark)
        return False

    def _lifting(self, s: int, x: int, conflict: Conflict, skip: set[int]) -> list[int]:
        """s's places whose giving up may lift `conflict` from x: the shift it clashes with,
        a shift of the week long enough for the hours, or one of the run."""
        work = self.works[x]
        if conflict.rule in PAIRWISE:
            other = conflict.other
            j = self.key_index.get(other.key) if other is not None else None
            found = [j] if j is not None and self.assigned[j] == s else []
        elif conflict.rule == "max_hours_per_week":
            week = week_of(work.day)
            excess = conflict.value - self.members[s].limits.max_hours_per_week
            found = [j for j in self.held[s] if week_of(self.works[j].day) == week
                     and self.works[j].hours >= excess - EPSILON]
        else:
            found = [j for j in self.held[s]
                     if abs(self.works[j].start - work.start) <= NEAR_SECONDS]
        return sorted((j for j in found if j not in self.fixed and j not in skip),
                      key=lambda j: (abs(self.works[j].start - work.start), j))

    def _holdings_of(self, i: int) -> tuple:
        """What each of i's candidates holds (hashed)."""
        return tuple(self.version[s] for s in self.eligible[i])

    def _may_cover(self, i: int) -> bool:
        """Worth a chain: the role's week has hours left (`may_fill`), and one of i's
        candidates has a free day there and hours left in the week for the role's shortest
        place in it. Otherwise a chain would have to trade shifts of different lengths
        between several people, which a two-step chain seldom does."""
        if not self.may_fill(i):
            return False
        work, k = self.works[i], self.week_slot[i]
        if k < 0:
            return True
        if not any(work.day not in self.timelines[s].days for s in self.eligible[i]):
            return False
        week, need = week_of(work.day), self._slot_shortest()[k] - EPSILON
        return any(self._hours_left(s, week) >= need for s in self.eligible[i])

    def _slot_shortest(self) -> list[float]:
        """Per role and week (`week_slot`): the hours of its shortest place."""
        if self.slot_shortest is None:
            self.slot_shortest = [float("inf")] * len(self.week_room)
            for j, k in enumerate(self.week_slot):
                if k >= 0:
                    self.slot_shortest[k] = min(self.slot_shortest[k], self.works[j].hours)
        return self.slot_shortest

    def _mend(self, limit: dict[tuple[int, int], float], active: set[int],
              budget: LevelBudget) -> bool:
        """Level each (group, metric) past its `limit` a few times, while the check counter
        is below `budget.until`: all back within?"""
        for (g, m), most in limit.items():
            group = self.groups[g]
            for _ in range(MEND_TRIES):
                if self._gap(group, m) <= most + EPSILON or self.checks >= budget.until \
                        or not self._level_once(group, m, active, budget):
                    break
        return all(self._gap(self.groups[g], m) <= most + EPSILON
                   for (g, m), most in limit.items())

    def _fillable(self, places: list[int]) -> list[int]:
        """The places still open, not rescued yet, that their week's capacity allows (a
        place the capacity rules out stays so: chains never leave a place open)."""
        return [i for i in places
                if self.assigned[i] is None and i not in self.rescued and self.may_fill(i)]

    def _rescue(self) -> None:
        """A few places left open in a month the staff can nearly cover (a week packed to its
        last hour: 12 h and 9 h shifts under 48 h) get a larger effort each, once: the greedy
        order of one run, not the rules, should not decide whether they fill."""
        left = self._fillable(self._left_open())
        if len(left) > RESCUE_PLACES:
            return
        for i in left:
            self.rescued.add(i)
            if self.assigned[i] is None and self.may_fill(i):  # an earlier one may fill its week
                self.log.clear()
                self._place(i, 3, {i}, [self.checks + RESCUE_BUDGET])

    def _place(self, i: int, depth: int, touched: set[int], until: list[int],
               pairs: bool = True) -> bool:
        """Fill i, moving away up to two shifts of a blocked person; gives up once the check
        counter reaches until[0]."""
        s = self.best_candidate(i)
        if s is not None:
            self.assign(s, i)
            return True
        if depth == 0:
            return False
        candidates = sorted((self.add_cost(s, i), self.rank[s], s) for s in self.eligible[i])
        for _, _, s in candidates:
            for removal in self._removals(s, i, touched, pairs):
                if self.checks >= until[0]:
                    return False
                mark = len(self.log)
                for j in removal:
                    self.unassign(j)
                if self.conflict(s, i) is None:
                    self.assign(s, i)
                    inner = touched | set(removal)
                    if all(self._place(j, depth - 1, inner, until, pairs) for j in removal):
                        return True
                self.rollback(mark)
        return False

    def _removals(self, s: int, i: int, touched: set[int],
                  pairs: bool = True) -> list[tuple[int, ...]]:
        """Movable positions of s that can lift what blocks s from i: the shift it clashes
        with, or shifts of the same week (hours) or nearby (runs); one, then pairs."""
        conflict = self.conflict(s, i)
        if conflict is None:
            return [()]
        work = self.works[i]
        if conflict.rule == "max_hours_per_week":
            week = week_of(work.day)
            relevant = lambda j: week_of(self.works[j].day) == week  # noqa: E731
        elif conflict.rule in ("overlap", "min_rest_hours"):
            relevant = lambda j: abs(self.works[j].start - work.start) <= 2 * 86400  # noqa: E731
        else:
            relevant = lambda j: abs(self.works[j].start - work.start) <= NEAR_SECONDS  # noqa: E731
        near = sorted((abs(self.works[j].start - work.start), j) for j in self.held[s]
                      if j not in self.fixed and j not in touched and relevant(j))
        singles = [(j,) for _, j in near]
        if not pairs:
            return singles
        return singles + [(a, b) for x, (_, a) in enumerate(near[:6]) for _, b in near[x + 1:6]]

    def improve(self) -> None:
        for _ in range(IMPROVE_ROUNDS):
            changed = self._moves() + self._swaps()
            if not changed:
                return

    def _moves(self) -> int:
        changed = 0
        for i in self.active:
            a = self.assigned[i]
            if a is None or i in self.fixed:
                continue
            state = (a, *(self.version[b] for b in self.eligible[i]))
            if self.tried.get(("move", i)) == state:
                continue  # nobody it could go to (nor a) holds anything else since it stayed
            if self._move(a, i):
                changed += 1
            else:
                self.tried[("move", i)] = state
        self.log.clear()
        return changed

    def _move(self, a: int, i: int) -> bool:
        """i goes from a to the person it lowers J most for who may take it."""
        gain = self.remove_cost(a, i)
        ranked = sorted((gain + self.add_cost(b, i), self.rank[b], b)
                        for b in self.eligible[i] if b != a)
        for delta, _, b in ranked:
            if delta >= -EPSILON:
                return False
            if self.conflict(b, i) is None:
                self.unassign(i)
                self.assign(b, i)
                return True
        return False

    def _swaps(self) -> int:
        """a gives i to b, b gives j to a: evens out nights, weekends and holidays while the
        hours stay level. Only tried where moving i alone would help those metrics."""
        changed = 0
        for i in self.active:
            a = self.assigned[i]
            if a is None or i in self.fixed or not any(m != HOURS for m, _, _ in self.deltas[i]):
                continue
            for b in self.eligible[i]:
                if b == a or self._special_move(a, b, i) >= -EPSILON \
                        or self.tried.get(("swap", i, b)) == (a, self.version[a], self.version[b]):
                    continue
                if self._try_swaps(a, b, i):
                    changed += 1
                    break
                self.tried[("swap", i, b)] = (a, self.version[a], self.version[b])
        self.log.clear()
        return changed

    def _special_move(self, a: int, b: int, i: int) -> float:
        """J change of moving i from a to b, counting only nights, weekends and holidays."""
        la, lb = self.loads[a], self.loads[b]
        total = 0.0
        for m, amount, weight in self.deltas[i]:
            if m != HOURS:
                total += weight * amount * ((amount - 2 * la[m]) / self.capacity[a]
                                            + (2 * lb[m] + amount) / self.capacity[b])
        return total

    def _near(self, s: int, i: int) -> list[int]:
        """Positions held by s that start within NEAR_SECONDS of position i."""
        timeline = self.timelines[s]
        start = self.works[i].start
        low = bisect_left(timeline.starts, start - NEAR_SECONDS)
        high = bisect_right(timeline.starts, start + NEAR_SECONDS)
        found = []
        for work in timeline.works[low:high]:
            j = self.key_index.get(work.key)
            if j is not None and self.assigned[j] == s:
                found.append(j)
        return found

    def _try_swaps(self, a: int, b: int, i: int) -> bool:
        move = self.remove_cost(a, i) + self.add_cost(b, i)
        both = 1 / self.capacity[a] + 1 / self.capacity[b]
        options = []
        blocker = self.conflict(b, i)
        for j in self._near(b, i):
            if j in self.fixed or a not in self.eligible_set[j] \
                    or not self._lifted_by(blocker, j):
                continue
            delta = move + self.remove_cost(b, j) + self.add_cost(a, j) \
                - 2 * self.cross(i, j) * both
            if delta < -EPSILON:
                options.append((delta, j))
        for _, j in sorted(options):
            if not self._lifted_by(self.conflict(a, j), i):
                continue
            mark = len(self.log)
            self.unassign(i)
            self.unassign(j)
            if self.conflict(b, i) is None:
                self.assign(b, i)
                if self.conflict(a, j) is None:
                    self.assign(a, j)
                    return True
            self.rollback(mark)
        return False

    def _lifted_by(self, conflict: Conflict | None, j: int) -> bool:
        """Could taking shift j away lift `conflict`? Not an overlap or too short a rest
        with another shift: those are between two shifts, whatever else the person holds."""
        return conflict is None or conflict.rule not in PAIRWISE or conflict.other is self.works[j]

    # --- levelling comparable staff ---------------------------------------------------------

    def change_cost(self, changes: list[tuple[int, int, int]]) -> float:
        """Change of J plus the spread term of comparable staff when each (staff, position,
        +1 or -1) is applied: a group's sum of squares less its square of sums over its size,
        which only falls when its members' loads move together. It breaks J's ties between
        one person and another (weekends 3/2 in a group against 2 outside it)."""
        self.checks += 1
        rows: dict[int, list[float]] = {}
        total = 0.0
        deltas, pref, weights = self.deltas, self.pref, self.weights  # the hottest loop
        for s, i, sign in changes:
            row = rows.get(s) or rows.setdefault(s, [0.0] * len(METRICS))
            for m, amount, _ in deltas[i]:
                row[m] += sign * amount
            if pref:
                total += sign * pref.get((s, i), 0.0)
        moved: dict[tuple[int, int], float] = {}
        for s, row in rows.items():
            load, g, capacity = self.loads[s], self.group_of[s], self.capacity[s]
            for m, x in enumerate(row):
                if x:
                    squares = weights[m] * x * (2 * load[m] + x) / capacity
                    total += squares
                    if g is not None:
                        total += GROUP_WEIGHT[m] * squares
                        moved[(g, m)] = moved.get((g, m), 0.0) + x
        for (g, m), x in moved.items():
            total -= (GROUP_WEIGHT[m] * self.weights[m] * x * (2 * self.group_sums[g][m] + x)
                      / self.group_capacity[g])
        return total

    def apply(self, changes: list[tuple[int, int, int]]) -> bool:
        """Apply removals, then additions, if no hard rule breaks; else undo."""
        mark = len(self.log)
        for s, i, sign in changes:
            if sign < 0:
                self.unassign(i)
        for s, i, sign in changes:
            if sign > 0:
                if self.assigned[i] is not None or self.conflict(s, i) is not None:
                    self.rollback(mark)
                    return False
                self.assign(s, i)
        return True

    def level(self) -> None:
        """Even out each metric inside each group of comparable staff (equal roles, contract,
        available days and preferences: `stats.spreads`), within a work budget."""
        # re-sharing weeks has its own budget: it only runs where hours stay more than a shift
        # apart (short-staffed months), and must not starve the counts' levelling
        budget = LevelBudget(self.checks + max(LEVEL_EFFORT * len(self.active), LEVEL_FLOOR),
                             max(RESHARE_EFFORT * len(self.active), RESHARE_FLOOR),
                             recount=RECOUNT_EFFORT * len(self.active))
        metrics = [m for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL, HOURS) if self.weights[m]]
        active = set(self.active)
        # (group, metric) -> the roster it found no change in: a search reads the loads of
        # every metric (the cost of a change), everyone's shifts (the hard rules, third people)
        # and the open places, all of which follow from who holds what, and nothing else changes
        # while levelling; the group's loads of m alone would skip a search that a change in
        # another metric or outside the group has made worth trying again
        failed: dict[tuple[int, int], tuple] = {}
        # a count one apart that found no change stays so: what moves later (hours) seldom
        # opens the one trade that would even it, and each try searches everything (S 75%:
        # half the levelling went on retrying one night and one weekend shift): `budget.settled`
        for _ in range(IMPROVE_ROUNDS):
            changed = 0
            gaps = sorted(((self._gap(group, m), g, m)
                           for g, group in enumerate(self.groups) for m in metrics),
                          key=lambda item: -item[0])  # the widest first: the budget is shared
            for gap, g, m in gaps:
                group = self.groups[g]
                if gap <= self.good_enough[m] or (g, m) in budget.settled \
                        or failed.get((g, m)) == self._holdings():
                    continue  # the roster is as when this search last found no change
                while self.checks < budget.until \
                        and self._level_once(group, m, active, budget):
                    changed += 1
                if self.checks < budget.until:
                    failed[(g, m)] = self._holdings()
                    if m != HOURS and self._gap(group, m) <= 1 + EPSILON:
                        budget.settled.add((g, m))
            self.log.clear()
            if not changed or self.checks >= budget.until:
                return

    def _gap(self, group: list[int], m: int) -> float:
        return max(self._level(s, m) for s in group) - min(self._level(s, m) for s in group)

    def _level(self, s: int, m: int) -> float:
        """s's load of m at the mean capacity of s's group: what levelling evens out."""
        return self.loads[s][m] * self.scale[s]

    def _holdings(self) -> tuple:
        """Who holds what, everyone (hashed per person; an undone change gives it back)."""
        return tuple(self.version)

    def _level_once(self, group: list[int], m: int, active: set[int],
                    budget: LevelBudget) -> bool:
        """One improving change that takes load m from a member above to a member below:
        between the two first, then through a third person (3/3/2 with 2 outside the group)."""
        loads = sorted(group, key=lambda s: self._level(s, m))
        pairs = sorted(((self._level(a, m) - self._level(b, m), a, b)
                        for a in loads[::-1][:LEVEL_PAIRS] for b in loads[:LEVEL_PAIRS]),
                       reverse=True)
        pairs = [(gap, a, b) for gap, a, b in pairs[:LEVEL_PAIRS] if gap > self.good_enough[m]]
        # counts are whole: one apart, a trade inside the pair has nothing less than the gap
        # to hand over, only moves through someone else can narrow it
        whole_step = m != HOURS and all(gap <= 1 + EPSILON for gap, _, _ in pairs)
        if not whole_step and any(self._trade(a, b, m, active) for _, a, b in pairs):
            return True
        return any(self._shed(a, m, active, whole_step)
                   or (m != HOURS and self._gain(b, m, active)) for _, a, b in pairs) \
            or (m == HOURS and any(self._reshare_from(a, group, active, budget)
                                for _, a, _ in pairs)) \
            or (not whole_step and m != HOURS
                and any(self._recount(a, b, m, active, budget) for _, a, b in pairs)) \
            or (whole_step and m in (NIGHTS, WEEKENDS)
                and any(self._block_outside(a, b, m, active) for _, a, b in pairs)) \
            or (not whole_step and m in (NIGHTS, WEEKENDS)
                and self._block_swaps_beyond(loads, m, active))

    def _block_swaps_beyond(self, loads: list[int], m: int, active: set[int]) -> bool:
        """Stretches of days of every length, between every pair two or more apart, when the
        widest pairs' trades found nothing: in a short-staffed month everyone works to the
        weekly cap and rest ties each shift to its neighbours, so the one exchange that fits
        may be 5 days long or between the fourth pair (S 75 %: weekends 7/4 ended 3 apart).
        Not in a month that continues its year: there the year's loads set the pairs, and
        the exchanges left L at half staff by month 36 h apart in hours instead of 24."""
        if self.continues_year:
            return False
        pairs = sorted(((self._level(a, m) - self._level(b, m), a, b)
                        for a in loads[::-1] for b in loads), reverse=True)
        return any(self._try_narrowing(
            self._block_swaps(a, b, m, active, gap, BLOCK_DAYS_BEYOND), m)
            for gap, a, b in pairs if gap > 1 + EPSILON)

    def _amount(self, i: int, m: int) -> float:
        for metric, amount, _ in self.deltas[i]:
            if metric == m:
                return amount
        return 0.0

    def _carrying(self, s: int, m: int, active: set[int]) -> list[int]:
        return sorted((j for j in self.held[s] if j in active and j not in self.fixed
                       and self._amount(j, m) > 0), key=lambda j: self.works[j].start)

    def _trade(self, a: int, b: int, m: int, active: set[int]) -> bool:
        """a hands b a position with load m, or trades it for one of b's with less of it;
        short-staffed, a leaves it open while b fills an open place like it. Far apart, they
        first exchange whole stretches of days. Only what moves less than the gap between them
        can narrow it (a night from 3/2 makes 2/3)."""
        gap = self._level(a, m) - self._level(b, m)
        far = gap > 2 * max((self._amount(i, m) for i in self.held[a]), default=1.0)
        if far and self._try(self._block_swaps(a, b, m, active, gap)):
            return True
        for i in self._carrying(a, m, active):
            amount = self._amount(i, m)
            options = []
            if b in self.eligible_set[i]:
                if amount < gap - EPSILON:
                    options.append([(a, i, -1), (b, i, 1)])
                options += self._swaps_for(a, i, b, m, amount, active, amount - gap)
            if amount < gap - EPSILON:
                options += [[(a, i, -1), (b, k, 1)] for k in self._open_like(i, b)[:OPEN_TRIES]]
            if self._try(options):
                return True
        return not far and self._try(self._block_swaps(a, b, m, active, gap))

    def _block_swaps(self, a: int, b: int, m: int, active: set[int], gap: float,
                     lengths: tuple[int, ...] = BLOCK_DAYS) -> list[list[tuple[int, int, int]]]:
        """a and b exchange everything they hold in a window of days where a has more of m:
        rest rules keep single nights from moving between an early and a night worker, whole
        stretches can."""
        by_day: dict[int, list[tuple[int, int]]] = {}
        for s in (a, b):
            for i in self.held[s]:
                if i in active:
                    by_day.setdefault(self.works[i].day, []).append((s, i))
        if not by_day:
            return []
        options = []
        first, last = min(by_day), max(by_day)
        shed_by = [0.0] * (last - first + 2)  # what a sheds up to a day: a window's in O(1)
        for day in range(first, last + 1):
            shed_by[day - first + 1] = shed_by[day - first] + sum(
                self._amount(i, m) * (1 if s == a else -1) for s, i in by_day.get(day, ()))
        for length in lengths:
            for start in range(first, last - length + 2):
                shed = shed_by[start - first + length] - shed_by[start - first]
                if not EPSILON < shed < gap - EPSILON:
                    continue
                held = [pair for day in range(start, start + length)
                        for pair in by_day.get(day, ())]
                if any(i in self.fixed for _, i in held):
                    continue
                other = {a: b, b: a}
                if all(other[s] in self.eligible_set[i] for s, i in held):
                    options.append([(s, i, -1) for s, i in held]
                                   + [(other[s], i, 1) for s, i in held])
        return options

    def _shed(self, a: int, m: int, active: set[int], odd: bool = False) -> bool:
        """a hands a position with load m to someone less loaded with it, or trades it; `odd`
        (the group one apart), short-staffed, a may also leave it open and take an open place
        like it with less of m (`_leave_open`)."""
        for i in self._carrying(a, m, active):
            options = []
            amount = self._amount(i, m)
            for c in self.eligible[i]:
                if c != a:
                    options.append(([(a, i, -1), (c, i, 1)]))
                    options += self._swaps_for(a, i, c, m, amount, active)
            if odd:
                options += self._leave_open(a, i, m)
            if self._try(options):
                return True
        return False

    def _leave_open(self, a: int, i: int, m: int) -> list[list[tuple[int, int, int]]]:
        """a leaves i open and takes an open place of the same shift and role nearby with less
        of m (a Saturday's early shift for a Monday's), the first open seat of its shift and
        no later seat than the one left open (a shift alone on a Saturday is not emptied for
        a Monday's second); whoever holds i's last seat moves to i, so the seat left open is
        the last; a shift's only seat for another's only if no more stretches of the day end
        with nobody (`_splits_cover`, as `_take_open`). Each shift's coverage stays: a group
        one weekend or holiday shift apart whose total does not divide evenly drops its odd
        ones, each step narrowing the spread (adding one to the many below would first widen
        it). M at a quarter of its staff: weekends and holidays 1 -> 0 apart."""
        if m not in (WEEKENDS, HOLIDAYS) or self.continues_year:
            # places of one shift carry the same nights and on-call duties; in a month that
            # continues its year (as `_recount`), L at half its staff by month ended the year
            # 2/2/60 apart (nights/weekends/hours) with it, 1/1/24 without
            return []
        p = self.positions[i]
        amount = self._amount(i, m)
        vacate, last = self._vacate(i)
        if vacate is None:
            return []
        start = self.works[i].start
        found = []
        for k in self.open_by_shift.get((p.shift.id, p.role), ()):
            q = self.positions[k]
            if self.assigned[k] is None and a in self.eligible_set[k] \
                    and self._amount(k, m) < amount - EPSILON \
                    and abs(self.works[k].start - start) <= NEAR_SECONDS \
                    and q.seat <= self.positions[last].seat \
                    and (q.seat == 0 or self.assigned[self.key_index[
                        (q.day, q.shift.id, q.role, q.seat - 1)]] is not None):
                found.append(k)
        found.sort(key=lambda k: abs(self.works[k].start - start))
        # the dear test last, nearest first, until enough pass (as filtering first)
        only_seat = self.positions[last].seat == 0
        kept = (k for k in found if not (only_seat and self._splits_cover(i, k)))
        return [[*vacate, (a, k, 1)] for k in islice(kept, OPEN_TRIES)]

    def _raise_all(self) -> None:
        """Last, after the cover step: each group one night, weekend or holiday shift apart
        raises the ones below once (`_raise_below`; a year month by month raises in its
        first month only: the others continue the year). Not inside levelling: there the places it leaves open change what the cover step's chains find
        (L at a quarter of its staff filled 4 places fewer); here the coverage is final and
        the move keeps it (a night raise moves places between shifts: as many filled, no
        shift emptied for another's later seat)."""
        active = set(self.active)
        for group in self.groups:
            for m in (NIGHTS, WEEKENDS, HOLIDAYS):
                if self.weights[m] and \
                        self.good_enough[m] < self._gap(group, m) <= 1 + EPSILON:
                    self._raise_below(group, m, active)
        self.log.clear()

    def _raise_below(self, group: list[int], m: int, active: set[int]) -> bool:
        """Short-staffed, a group one night, weekend or holiday shift apart whose odd ones
        above could not hand theirs over (levelling; `_leave_open` for weekends and
        holidays): each one below leaves a place of theirs open
        and takes an open place of the same role nearby with more of m (`_take_open`), all
        of them or none (`_raise_each`). Each shift's coverage stays, except that a change
        from one shift to another of the same length may move one place between them when
        it fills no later seat than it leaves open (or a later one, when the others' changes
        give each shift its places back: `_raise_each`); the group's total
        rises, which J (everyone's sum of squares) and each single step (one of 4,5,5,5,5 to
        5 is the last step; one of 5,5,5,5,5,5,6,6 to 6 first widens the variance) refuse,
        so it is judged by the spreads: kept when m's gap narrows and no gap in the group
        ends wider than levelling accepts (the place left open is as long: hours stay). Not
        in a month that continues its year (L at half its staff month by month ended the
        same with it, only slower).
        S at half its staff: the exact model (benchmarks/roster_oracle.py S:0.5 --minimise
        weekends --keep-staffed --fewest-changes) finds exactly this change (a Monday's second
        late seat for an open Sunday's)."""
        if self.continues_year or not self.open_by_shift:
            return False
        top = max(self._level(s, m) for s in group)
        below = sorted((s for s in group if self._level(s, m) + self.scale[s] <= top + EPSILON),
                       key=lambda s: (self._level(s, m), self.rank[s]))
        if not below:
            return False
        gaps = {k: self._gap(group, k) for k in range(len(METRICS)) if self.weights[k]}
        found = {b: self._take_open(b, m, active) for b in below}
        below.sort(key=lambda b: sum(self._same_shift(change) for change in found[b]))
        return self._raise_each(below, group, m, active, gaps, {}, [RAISE_NODES], found)

    def _raise_each(self, below: list[int], group: list[int], m: int, active: set[int],
                    gaps: dict[int, float], moved: dict[str, int], nodes: list[int],
                    found: dict[int, list], later: bool = False) -> bool:
        """Depth first, each of `below` in turn takes one of its `_take_open` changes, in its
        order; at the end m's gap narrower and no gap wider than levelling accepts. A change
        between two shifts that fills a later seat than it leaves open (a Friday's second
        night for a Saturday's third early) is kept only if each shift ends with as many
        places filled as before (`moved`: shift -> places taken less places left open; then
        someone's early is left for a late and another's late for a night), the changes
        that even them out tried first, none that the others' changes (`found`, listed once
        before the search) could not even out. The most constrained first (`_raise_below`:
        the fewest changes within a shift); a change whose places an earlier one's took or
        left is passed over; at most `nodes[0]` changes applied in all.
        S at three quarters of its staff: six clerks at 5 weekend shifts, two at 6; one holds
        only a Friday night near the open weekend places, and takes a Saturday early, two
        others a late for a night and an early for a late: 0 apart, each shift as filled as
        before, the cycle the exact model (benchmarks/roster_oracle.py S:0.75 --minimise
        weekends --fewest-changes) finds."""
        if not below:
            return (not later or not any(moved.values())) \
                and self._narrowed(group, m, gaps)
        options = []
        for n, change in enumerate(found[below[0]]):
            if any(self.assigned[i] != s for s, i, sign in change if sign < 0):
                continue  # an earlier one's change took or left its places
            opened, taken = (self.positions[i] for i in self._net(change))
            after, step_later = moved, later
            if opened.shift.id != taken.shift.id:
                after = dict(moved)
                after[opened.shift.id] = after.get(opened.shift.id, 0) - 1
                after[taken.shift.id] = after.get(taken.shift.id, 0) + 1
                step_later = later or taken.seat > opened.seat
            unbalanced = sum(abs(x) for x in after.values()) if step_later else 0
            if not unbalanced or self._can_even(after, below[1:], found):
                options.append((unbalanced, n, after, step_later, change))
        for _, _, after, step_later, change in sorted(options, key=lambda option: option[:2]):
            if nodes[0] <= 0:
                return False
            nodes[0] -= 1
            mark = len(self.log)
            if self.apply(change):
                if self._raise_each(below[1:], group, m, active, gaps, after, nodes, found,
                                    step_later):
                    return True
                self.rollback(mark)
        return False

    def _can_even(self, moved: dict[str, int], rest: list[int], found: dict[int, list]) -> bool:
        """Could the ones in `rest` give each shift its places back: for a shift short of
        places (or with places over), as many of them with a change that fills one (or leaves
        one open) from another shift?"""
        for shift, x in moved.items():
            side = 0 if x > 0 else 1  # leaving a place of it open, or filling one
            if x and sum(1 for b in rest if any(
                    not self._same_shift(change)
                    and self.positions[self._net(change)[side]].shift.id == shift
                    for change in found.get(b, ()))) < abs(x):
                return False
        return True

    def _same_shift(self, change: list[tuple[int, int, int]]) -> bool:
        opened, taken = self._net(change)
        return self.positions[opened].shift.id == self.positions[taken].shift.id

    @staticmethod
    def _net(change: list[tuple[int, int, int]]) -> tuple[int, int]:
        """The place a `_take_open` change leaves open and the one it fills (whoever moves up
        a seat on the shift left open takes a place and leaves one)."""
        taken = {i for _, i, sign in change if sign > 0}
        left = {i for _, i, sign in change if sign < 0}
        return (left - taken).pop(), (taken - left).pop()

    def _take_open(self, b: int, m: int, active: set[int]) -> list[list[tuple[int, int, int]]]:
        """b leaves a place j of theirs (the period's own) open and takes an open place i of the
        same role within NEAR_SECONDS with more of m (a Monday's late shift for a Sunday's),
        i the first open seat of its shift and no later seat than the one left open (no
        shift emptied for another's second seat; whoever holds j's last seat moves to j, so
        the seat left open is the last); a shift's only seat for another's only if no more
        stretches of the day end with nobody (`_splits_cover`: S at a quarter of its staff
        reached weekends 0 with one hole more). j of another shift only as long as i (b's
        hours stay), and no first seat for another shift's later one (a later seat for an
        earlier one only in a search that gives each shift its places back: `_raise_each`).
        None where another shift of b's clashes with i (an overlap or too short a rest that
        leaving j does not lift), or b likes i less (a preference). j of i's shift first,
        then the other loads as they were, then j in i's week, the nearest first; at most
        RAISE_TRIES."""
        options = []
        for i in self.with_metric[m]:
            if self.assigned[i] is not None or i not in active or i >= self.planned \
                    or b not in self.eligible_set[i]:
                continue
            p = self.positions[i]
            if p.seat and self.assigned[self.key_index[(p.day, p.shift.id, p.role,
                                                        p.seat - 1)]] is None:
                continue
            blocked = self.conflict(b, i)
            amount, week = self._amount(i, m), week_of(self.works[i].day)
            for j in self._near(b, i):
                q = self.positions[j]
                other_shift = q.shift.id != p.shift.id
                if j in self.fixed or j not in active or j >= self.planned \
                        or q.role != p.role or self._amount(j, m) >= amount - EPSILON \
                        or not self._lifted_by(blocked, j) \
                        or (other_shift
                            and abs(self.works[i].hours - self.works[j].hours) > EPSILON) \
                        or self.pref.get((b, i), 0.0) > self.pref.get((b, j), 0.0) + EPSILON:
                    continue
                vacate, left = self._vacate(j)
                seat = self.positions[left].seat
                if vacate is None or (seat == 0 < p.seat if other_shift else p.seat > seat):
                    continue
                others = sum(1 for k in range(len(METRICS)) if k != m
                             and abs(self._amount(i, k) - self._amount(j, k)) > EPSILON)
                options.append((other_shift, others, week_of(self.works[j].day) != week,
                                abs(self.works[i].start - self.works[j].start), i, j,
                                seat == 0, [*vacate, (b, i, 1)]))
        options.sort(key=lambda option: option[:6])
        # the dear test last, on the options in order, until enough pass (as filtering first)
        kept = (change for *_, i, j, only_seat, change in options
                if not (only_seat and self._splits_cover(j, i)))
        return list(islice(kept, RAISE_TRIES))

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
        tz = self.positions[j].start.tzinfo
        return sum(stretches_uncovered(coverage, self._covering(lo, hi, j, i), lo, hi, tz)
                   - stretches_uncovered(coverage, self._covering(lo, hi), lo, hi, tz)
                   for lo, hi in windows) > 0

    def _covering(self, lo: int, hi: int, skip: int = -1,
                  add: int = -1) -> list[tuple[int, int]]:
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
                                     roles is None or _role_of(w) in roles))
            self.longest = max([w.end - w.start for w in self.works]
                               + [end - start for start, end in self.around], default=0)
        spans = [(self.works[k].start, self.works[k].end) for _, k in self.by_start[
            bisect_left(self.by_start, (lo - self.longest,)):bisect_left(self.by_start, (hi,))]
            if (self.assigned[k] is not None and k != skip) or k == add]
        return spans + self.around[bisect_left(self.around, (lo - self.longest,)):
                                   bisect_left(self.around, (hi,))]

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

    def _block_outside(self, a: int, b: int, m: int, active: set[int]) -> bool:
        """a, one count above b in their group, exchanges a stretch of days whole with someone
        outside the group who has less of m, handing one count over; or b with someone who has
        more, taking one. A group's odd total needs a person outside it to take or give one,
        and rest and runs tie a night or a weekend to the days around it, where single moves
        and swaps find nothing the rules allow. For nights and weekend shifts only: for
        holidays it bought nothing on the benchmark instances and, month by month, cost L its
        hours (the later months' levelling then left a group 16 h apart)."""
        group = set(self.groups[self.group_of[a]])
        near = {c for s in (a, b) for i in self.held[s] if i in active
                for c in self.eligible[i]} - group
        for sign in (1, -1):  # a gives to the least loaded outside, then b takes from the most
            ranked = sorted(near, key=lambda c: (sign * self._level(c, m), self.rank[c]))
            for c in ranked[:LEVEL_PAIRS]:
                more, less = (a, c) if sign > 0 else (c, b)
                swaps = self._block_swaps(more, less, m, active, 1 + 2 * EPSILON)
                if self._try_narrowing(swaps, m):
                    return True
        return False

    def _narrowed(self, group: list[int], m: int, gaps: dict[int, float]) -> bool:
        """Is m's gap in `group` narrower than in `gaps` (each metric's gap before a change)
        and no gap wider than it was or than levelling accepts (`good_enough`)?"""
        return self._gap(group, m) < gaps[m] - EPSILON and all(
            self._gap(group, k) <= max(gap, self.good_enough[k]) + EPSILON
            for k, gap in gaps.items())

    def _try_narrowing(self, options: list[list[tuple[int, int, int]]], m: int) -> bool:
        """`_try`, keeping only a change that narrows m's gap in some group and widens no gap
        (of any metric, in any group it touches) beyond what levelling accepts: a stretch of
        days carries every count with it, and J alone would trade a weekend for a holiday."""
        for change in self._improving(options):
            touched = {self.group_of[s] for s, _, _ in change} - {None}
            before = {(g, k): self._gap(self.groups[g], k) for g in touched
                      for k in range(len(METRICS)) if self.weights[k]}
            mark = len(self.log)
            if not self.apply(change):
                continue
            after = {key: self._gap(self.groups[key[0]], key[1]) for key in before}
            if any(after[(g, m)] < before[(g, m)] - EPSILON for g in touched) and all(
                    after[key] <= max(before[key], self.good_enough[key[1]]) + EPSILON
                    for key in before):
                return True
            self.rollback(mark)
        return False

    def _gain(self, b: int, m: int, active: set[int]) -> bool:
        """b takes a position with load m from someone more loaded with it, or trades one with
        less of it for it; short-staffed, b takes an open place and leaves one like it open."""
        for i in self.with_metric[m]:
            c = self.assigned[i]
            if c == b or b not in self.eligible_set[i] or i not in active:
                continue
            amount = self._amount(i, m)
            if c is not None:
                options = [[(c, i, -1), (b, i, 1)], *self._swaps_for(c, i, b, m, amount, active)]
            else:
                p = self.positions[i]
                options = [[(b, j, -1), (b, i, 1)] for j in self._near(b, i)
                           if j not in self.fixed and j in active and self._amount(j, m) < amount
                           and self.positions[j].shift.id == p.shift.id
                           and self.positions[j].role == p.role
                           and self.positions[j].seat >= p.seat]
            if self._try(options):
                return True
        return False

    def _swaps_for(self, a: int, i: int, c: int, m: int, amount: float, active: set[int],
                   least: float = -1.0) -> list[list[tuple[int, int, int]]]:
        """a gives i to c; c gives a nearby j with less of m (but more than `least`) back to a.
        No variant where c leaves j open for a to fill an open place like it: on the benchmark
        instances it levelled nothing the other trades did not, for a fifth of the checks of
        a short-staffed month."""
        options = []
        for j in self._near(c, i):
            if j in self.fixed or j not in active \
                    or not least + EPSILON < self._amount(j, m) < amount - EPSILON:
                continue
            if a in self.eligible_set[j]:
                options.append([(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)])
        return options

    def _reshare_from(self, a: int, group: list[int], active: set[int],
                      budget: LevelBudget) -> bool:
        """a, among the most loaded with hours, re-shares a week (`_reshare`) with the least
        loaded of its group who has hours to spare in a week a works: the least loaded may
        have none (at the weekly cap wherever leave leaves them days), and the gap then only
        narrows by the most loaded each handing a shift to someone in between."""
        longest = max((self.works[i].hours for i in self.held[a]), default=0.0)
        below = sorted((s for s in group if self._level(a, HOURS) - self._level(s, HOURS)
                        > longest / self.hours_unit + EPSILON),
                       key=lambda s: (self._level(s, HOURS), self.rank[s]))
        tried = 0
        for b in below:
            if budget.reshare <= 0 or tried >= LEVEL_PAIRS:
                return False
            state = (self.version[a], self.version[b])
            slack = self._slack_weeks(a, b, active)
            if slack and self.tried.get(("reshare", a, b)) != state:
                tried += 1
                if self._reshare(a, b, slack, active, budget):
                    return True
                self.tried[("reshare", a, b)] = state
        return False

    def _recount(self, a: int, b: int, m: int, active: set[int], budget: LevelBudget) -> bool:
        """a, two or more of count m (nights, weekends, ...) above b, re-shares an ISO week
        whole with b (`_reshare_weeks`: the places either holds and the open ones, as many of
        each shift filled as before) so that b takes one of a's: where both are at the weekly
        cap, rest ties a night to the days around it and no move, swap or stretch exchanged
        whole carries one night from one to the other (M at a quarter of its staff: two
        guards 22/20 nights, three clerks 16/15/14). Kept only if m's gap in the group
        narrows and no gap (hours or another count) ends wider than levelling accepts; within
        the budget's own allowance (`RECOUNT_EFFORT`). Not in a month that continues its
        year (as `_block_swaps_beyond`): L month by month ended with the same spreads among
        comparable staff, but 613 h apart per full-time person across a role, not 538 h."""
        state = (self.version[a], self.version[b])
        if self.continues_year or budget.recount <= 0 \
                or self.tried.get(("recount", a, b, m)) == state:
            return False
        self.tried[("recount", a, b, m)] = state
        more: dict[int, float] = {}  # week -> how much more of m a holds in it than b
        for s, sign in ((a, 1), (b, -1)):
            for i in self._carrying(s, m, active):
                week = week_of(self.works[i].day)
                if sign > 0 or week in more:
                    more[week] = more.get(week, 0.0) + sign * self._amount(i, m)
        weeks = sorted((week for week, extra in more.items() if extra > EPSILON),
                       key=lambda week: (-more[week], week))[:RECOUNT_WEEKS]
        group = self.groups[self.group_of[a]]
        gaps = {k: self._gap(group, k) for k in range(len(METRICS)) if self.weights[k]}
        started = self.checks
        try:
            for week in weeks:
                mark = len(self.log)
                if not self._reshare_weeks(a, b, (week,), active, started + budget.recount, m):
                    continue
                if self._narrowed(group, m, gaps):
                    # the week moved the other counts too: a settled one is worth a new try
                    budget.settled -= {(self.group_of[a], k) for k in gaps}
                    return True
                self.rollback(mark)
            return False
        finally:
            budget.spent_recounting(self.checks - started)

    def _slack_weeks(self, a: int, b: int, active: set[int]) -> list[int]:
        """Weeks a works in where b has room for another shift and a free day, b's most free
        days first."""
        limit = self.members[b].limits.max_hours_per_week
        weeks = self.timelines[b].weeks
        free = {week: self._free_days(b, week)
                for week in {week_of(self.works[i].day) for i in self.held[a] if i in active}
                if weeks.get(week, 0.0) + self.shortest <= limit + EPSILON}
        return sorted((week for week, days in free.items() if days),
                      key=lambda week: (-free[week], week))

    def _reshare(self, a: int, b: int, slack: list[int], active: set[int],
                 budget: LevelBudget) -> bool:
        """a and b share out anew what they hold in one ISO week where b has hours to spare
        (`slack`), with the open places of that week: when everyone is at the weekly cap but in
        a few weeks (leave, a 4-day first or last week), single moves and swaps cannot carry a
        shift from a to b: rest and runs tie a week's shifts together, so the week is re-shared
        whole. Kept only if a and b end closer in hours, neither beyond where the other was,
        the group's hours gap no wider and its counts (nights, weekends, ...) no wider than
        before, mended by levelling them where the week moved some."""
        counts = [m for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL) if self.weights[m]]
        started = self.checks
        done = self._reshare_windows(a, b, slack, active, counts, started + budget.reshare)
        budget.spent_resharing(self.checks - started)
        if done:
            budget.settled -= {(self.group_of[a], m) for m in counts}
        return done

    def _reshare_windows(self, a: int, b: int, slack: list[int], active: set[int],
                         counts: list[int], stop: int) -> bool:
        """`_reshare` over windows of one or two weeks around the `slack` weeks, until the
        check counter reaches `stop`: the first re-share kept."""
        group = self.groups[self.group_of[a]]
        gaps = {m: self._gap(group, m) for m in (HOURS, *counts)}
        limit = {(self.group_of[a], m): gaps[m] for m in counts}
        mending = LevelBudget(float("inf"))  # a few tries per count, no re-share inside one
        high, low = self._level(a, HOURS), self._level(b, HOURS)
        windows = [window for week in slack[:RESHARE_WEEKS]
                   for window in ((week,), (week - 7, week), (week, week + 7))]
        for window in windows:
            mark = len(self.log)
            if not self._reshare_weeks(a, b, window, active, stop):
                continue
            mended = self._mend(limit, active, mending)
            now = sorted((self._level(a, HOURS), self._level(b, HOURS)))
            if mended and now[1] - now[0] < high - low - EPSILON and now[1] <= high + EPSILON \
                    and now[0] >= low - EPSILON \
                    and self._gap(group, HOURS) <= gaps[HOURS] + EPSILON:
                return True
            self.rollback(mark)
        return False

    def _filled_seats(self, cell: tuple) -> int:
        """How many seats of one day's shift and role (a position key's first three) are
        filled."""
        filled, seat = 0, 0
        while (i := self.key_index.get((*cell, seat))) is not None:
            filled += self.assigned[i] is not None
            seat += 1
        return filled

    def _free_days(self, s: int, week: int) -> int:
        """Days of the week with places to fill that s may work (no leave) and works no
        shift on (the days of a first or last week outside the period are not free)."""
        member, busy = self.members[s], self.timelines[s].days
        return sum(1 for day in range(max(week, self.span[0]), min(week + 7, self.span[1] + 1))
                   if day not in busy
                   and member.unavailable_reason(date.fromordinal(day)) is None)

    def _reshare_weeks(self, a: int, b: int, weeks: tuple[int, ...], active: set[int],
                       stop: int, m: int = HOURS) -> bool:
        """The places of `weeks` a or b hold or may fill (open ones, two seats of a shift at
        most) given out anew to the two of them: the assignment found by a depth-first search
        (within a node budget, and until the check counter reaches `stop`) that fills as many
        and costs least, if it costs less; b gains hours, or for a count m the group's gap of
        m narrows with each shift filled as often as before (`_search_week`); as many of the
        week's shifts keep someone as before (a re-share for the hours once left guard nights
        with nobody for second guards by day: L at a quarter of its staff, 23 over the year)."""
        places, seats = [], {}
        inside = [i for week in weeks for i in self.in_week(week)]
        for i in inside:
            if i not in active or i in self.fixed:
                continue
            holder, cell = self.assigned[i], self.positions[i].key[:3]
            if holder in (a, b):
                places.append(i)
                seats[cell] = seats.get(cell, 0) + 1
        for i in inside:
            cell = self.positions[i].key[:3]
            if self.assigned[i] is None and i in active and i < self.planned \
                    and seats.get(cell, 0) < 2 \
                    and (a in self.eligible_set[i] or b in self.eligible_set[i]):
                seats[cell] = seats.get(cell, 0) + 1  # two people take two seats at most
                places.append(i)
        places.sort(key=lambda i: self.works[i].start)
        before = [(self.assigned[i], i, 1) for i in places if self.assigned[i] is not None]
        if len(places) > RESHARE_PLACES or not before:
            return False
        # as many shifts keep someone as before: none is emptied for another's second seat
        theirs: dict[tuple, int] = {}
        for _, i, _ in before:
            cell = self.positions[i].key[:3]
            theirs[cell] = theirs.get(cell, 0) + 1
        others = {cell for cell in {self.positions[i].key[:3] for i in places}
                  if self._filled_seats(cell) > theirs.get(cell, 0)}
        staffed = (others, len(others | set(theirs)))
        mark = len(self.log)
        gap = self._gap(self.groups[self.group_of[a]], m)
        for _, i, _ in before:
            self.unassign(i)
        found = self._search_week(places, (a, b), before, self.change_cost(before),
                                  self._count_gaps(a, before), stop, staffed, m, gap)
        self.rollback(mark)
        return found is not None and self.apply([(s, i, -1) for s, i, _ in before]
                                                + [(s, i, 1) for s, i in found])

    def in_week(self, week: int) -> list[int]:
        """The positions starting in ISO week `week` (its Monday's ordinal)."""
        if self.by_week is None:
            self.by_week = {}
            for i, work in enumerate(self.works):
                self.by_week.setdefault(week_of(work.day), []).append(i)
        return self.by_week.get(week, [])

    def _count_gaps(self, a: int, added) -> list[float]:
        """The gaps of the counts (nights, weekends, ...) in a's group, at its mean capacity
        as levelling measures them (`_level`), were `added` ((staff, position, _) triples)
        assigned on top of the loads now."""
        group = self.groups[self.group_of[a]]
        gaps = []
        for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL):
            if self.weights[m]:
                extra: dict[int, float] = {}
                for s, i, *_ in added:
                    extra[s] = extra.get(s, 0.0) + self._amount(i, m)
                values = [(self.loads[s][m] + extra.get(s, 0.0)) * self.scale[s]
                          for s in group]
                gaps.append(max(values) - min(values))
        return gaps

    def _search_week(self, places: list[int], people: tuple[int, int],
                     before: list[tuple[int, int, int]], baseline: float,
                     gaps: list[float], stop: int, staffed: tuple[set, int], m: int = HOURS,
                     below: float = 0.0) -> list[tuple[int, int]] | None:
        """Depth first over places in start order, each to one of `people` (a, b) or left
        open: of the leaves filling as many places as `before` where b gains hours (for a
        count m: as many of each shift, the group's gap of m below `below`, the gap before)
        and the cost falls below `baseline`, the one that widens the group's counts (`gaps`)
        least, then costs least. For a count whoever held a place is tried first there (few
        changes first) and a place open before is first left open."""
        need = len(before)
        best: list = [(float("inf"), baseline), None]
        group = self.groups[self.group_of[people[0]]]
        least = sum(self.works[i].hours for s, i, _ in before if s == people[1]) + EPSILON
        held = {i: s for s, i, _ in before}
        wanted: dict[tuple, int] = {}  # shift and role -> places of it filled before
        for _, i, _ in before:
            kind = self.positions[i].key[1:3]
            wanted[kind] = wanted.get(kind, 0) + 1
        later: list[dict[tuple, int]] = [{} for _ in range(len(places) + 1)]
        for k in range(len(places) - 1, -1, -1):
            later[k] = dict(later[k + 1])
            kind = self.positions[places[k]].key[1:3]
            later[k][kind] = later[k].get(kind, 0) + 1
        have: dict[tuple, int] = {}
        chosen: list[tuple[int, int]] = []
        nodes = [RESHARE_NODES]
        weeks = sorted({week_of(self.works[i].day) for i in places})
        shortest = min(self.works[i].hours for i in places)
        left = [[0] * len(weeks) for _ in range(len(places) + 1)]  # places from k on, a week
        for k in range(len(places) - 1, -1, -1):
            left[k] = list(left[k + 1])
            left[k][weeks.index(week_of(self.works[places[k]].day))] += 1

        def room(k: int) -> int:
            """How many more places the weeks' hours leave the two of them at most."""
            return sum(min(left[k][n], sum(
                int((self._hours_left(s, week) + EPSILON) // shortest) for s in people))
                for n, week in enumerate(weeks))

        def visit(k: int) -> None:
            nodes[0] -= 1
            if nodes[0] < 0 or self.checks >= stop or len(chosen) > need:
                return
            if k < len(places) and len(chosen) + room(k) < need:
                return
            if m != HOURS and any(have.get(kind, 0) + later[k].get(kind, 0) < count
                                  for kind, count in wanted.items()):
                return
            if k == len(places):
                if len(chosen) < need or len(staffed[0] | {
                        self.positions[i].key[:3] for _, i in chosen}) < staffed[1]:
                    return
                if m == HOURS:
                    cost = self.change_cost([(s, i, 1) for s, i in chosen])
                    better = sum(self.works[i].hours for s, i in chosen
                                 if s == people[1]) > least
                else:  # what they cost on the loads without them (they are held now)
                    cost = -self.change_cost([(s, i, -1) for s, i in chosen])
                    better = have == wanted and self._gap(group, m) < below - EPSILON
                if better and cost < baseline - EPSILON \
                        and (best[0][0] > 0 or cost < best[0][1]):
                    wider = sum(max(0.0, after - gap) for after, gap
                                in zip(self._count_gaps(people[0], ()), gaps))
                    if (wider, cost) < best[0]:
                        best[0], best[1] = (wider, cost), list(chosen)
                return
            i = places[k]
            kind = self.positions[i].key[1:3]
            if m == HOURS:
                choices = [*sorted(people, key=lambda s: self.loads[s][HOURS]), None]
            elif i in held:
                choices = [held[i], people[held[i] == people[0]], None]
            else:
                choices = [None, *people]
            for s in choices:
                if s is None:
                    visit(k + 1)
                elif (m == HOURS or have.get(kind, 0) < wanted.get(kind, 0)) \
                        and s in self.eligible_set[i] and self.conflict(s, i) is None:
                    mark_here = len(self.log)
                    self.assign(s, i)
                    chosen.append((s, i))
                    have[kind] = have.get(kind, 0) + 1
                    visit(k + 1)
                    have[kind] -= 1
                    chosen.pop()
                    self.unassign(i)
                    del self.log[mark_here:]  # the assign and its undo leave no trace

        visit(0)
        return best[1]

    def _improving(self, options: list[list[tuple[int, int, int]]]):
        """The options that lower the cost (`change_cost`), the most first."""
        ranked = sorted((self.change_cost(change), n) for n, change in enumerate(options))
        for cost, n in ranked:
            if cost >= -EPSILON:
                return
            yield options[n]

    def _try(self, options: list[list[tuple[int, int, int]]]) -> bool:
        """Apply the option that lowers the cost most and breaks no hard rule."""
        for change in self._improving(options):
            if self.apply(change):
                for _, i, sign in change:
                    if sign < 0 and self.assigned[i] is None:  # left open for one like it
                        p = self.positions[i]
                        self.open_by_shift.setdefault((p.shift.id, p.role), []).append(i)
                return True
        return False

    def _open_like(self, i: int, b: int) -> list[int]:
        """Open places of the same shift and role as i, no later seat, that b may take: a
        short-staffed month keeps its coverage while the work moves from one person to another."""
        p = self.positions[i]
        start = self.works[i].start
        return sorted((k for k in self.open_by_shift.get((p.shift.id, p.role), ())
                       if self.assigned[k] is None and self.positions[k].seat <= p.seat
                       and b in self.eligible_set[k]
                       and abs(self.works[k].start - start) <= NEAR_SECONDS),
                      key=lambda k: abs(self.works[k].start - start))

    # --- explanations -------------------------------------------------------------------------

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
            blocked.append((member.id, unavailable or (conflict.rule if conflict else "busy")))
        return tuple(blocked)

    def _open_places(self) -> dict[tuple[str, str], list[int]]:
        found: dict[tuple[str, str], list[int]] = {}
        for i in self.active:
            if self.assigned[i] is None and i < self.planned:
                p = self.positions[i]
                found.setdefault((p.shift.id, p.role), []).append(i)
        return found

    def start_levelling(self) -> None:
        """What levelling, cover and raise read: the open places by shift, the places that
        carry each metric, and how near each metric's loads count as level."""
        self.open_by_shift = self._open_places()
        self.with_metric = [[i for i in self.active if i not in self.fixed
                             and self._amount(i, m) > 0] for m in range(len(METRICS))]
        # counts level to 0; hours to within the shortest shift (whole shifts move)
        self.good_enough = [EPSILON] * len(METRICS)
        self.shortest = min((self.works[i].hours for i in self.with_metric[HOURS]),
                            default=0.0)
        self.good_enough[HOURS] = self.shortest / self.hours_unit + EPSILON

    def solve(self) -> Solution:
        """The places on site first, on-call duties then around them: someone who can do both
        is never kept at home while the desk needs them."""
        everything = range(len(self.positions))
        self.active = [i for i in everything if not self.positions[i].on_call]
        for stage in (1, 2):
            if stage == 2:
                if len(self.active) == len(self.positions):
                    break
                self.active = list(everything)
            self.greedy()
            self.repair()
            self.improve()
            self.repair()
            self.start_levelling()
            self.level()
            self.cover()
            self._raise_all()
        own = self.assigned[:self.planned]
        reasons = {i: self.blocked_reason(i) for i, s in enumerate(own) if s is None}
        staff, ahead = ([self.members[s].id if s is not None else None for s in part]
                        for part in (own, self.assigned[self.planned:]))
        return Solution(staff, reasons, fixed=frozenset(self.fixed), work=self.checks,
                        ahead=ahead)


def hours_unit(positions: list[Position]) -> float:
    """Hours are levelled in units of the average shift on site: one shift weighs about one
    night."""
    on_site = [p for p in positions if not p.on_call]
    return sum(p.hours for p in on_site) / len(on_site) if on_site else 1.0


def solve(rules: Rules, positions: list[Position], first: date, last: date, seed: int = 0,
          history: dict[str, list[Work]] | None = None,
          wanted: dict[int, tuple[str, str]] | None = None,
          carried: list[Worked] | None = None, ahead: list[Position] | None = None) -> Solution:
    """`ahead`: the places of the days after the period up to the end of its last ISO week,
    solved with it and left out of the solution, so the period leaves the week's hours and
    the rest those days need (the next roster, generated later, finds them)."""
    solver = Solver(rules, positions, first, last, seed, history, carried, ahead)
    notes = solver.fix(wanted or {})
    solution = solver.solve()
    solution.notes = notes
    return solution
