"""Levelling comparable staff: trades, stretch exchanges, weeks re-shared whole."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from heapq import heappop, heappush
from itertools import count, islice

from dutyctl.roster.positions import day_kind
from dutyctl.roster.rules import METRICS
from dutyctl.roster.timeline import sum_in_order, week_of
from dutyctl.roster.solver import budgets
from dutyctl.roster.solver.state import (
    EPSILON, HOLIDAYS, HOURS, NIGHTS, ON_CALL, PAIRWISE, WEEKENDS, LevelBudget,
    State)


class Levelling(State):
    late = False  # after the rounds (`_level_hours_late`): larger re-shares, re-plans mended
    # after the cover (`level_hours_covered`): a re-plan takes a place from the most loaded
    # before it fills an open one, and each of the least loaded may re-plan
    covered = False

    def level(self) -> None:
        """Even out each metric inside each group (`State._groups`: comparable staff, equal
        roles, contract, available days and preferences as `stats.spreads` compares them, and
        colleagues apart only by their leave where none of them is in such a group; each load
        at its group's mean capacity), within a work budget; then, however
        the rounds ended, the hours of groups still more than a shift apart
        (`_level_hours_late`)."""
        # re-sharing weeks has its own budget: it only runs where hours stay more than a shift
        # apart (short-staffed months), and must not starve the counts' levelling
        budget = LevelBudget(self.checks + max(budgets.LEVEL_EFFORT * len(self.active),
                                               budgets.LEVEL_FLOOR),
                             max(budgets.RESHARE_EFFORT * len(self.active), budgets.RESHARE_FLOOR),
                             recount=budgets.RECOUNT_EFFORT * len(self.active),
                             replan=max(budgets.REPLAN_EFFORT * len(self.active),
                                        budgets.REPLAN_FLOOR))
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
        for _ in range(budgets.IMPROVE_ROUNDS):
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
                break
        self._level_hours_late(active, budget)

    def _level_hours_late(self, active: set[int], budget: LevelBudget) -> None:
        """After the rounds, each group still more than a shift apart in hours: its most loaded
        re-share weeks with windows of up to RESHARE_LATE_PLACES places (`_reshare_from`),
        within a fresh re-sharing allowance, and where none is kept the least loaded re-plans
        their days, a count the re-plan moved levelled back (`_replan`), while either
        allowance lasts. L at half its staff, seed 1: the least loaded guard has room only in
        the 4-day last week, and a re-share with the most loaded over it and the week before
        holds 44 places (the guards 36 h apart before, 12 h now); seed 4: a cleaner's re-plan
        took a weekend day for a holiday, mended now (16 h apart, 8 h). Not in the rounds:
        there the larger windows' searches spend the allowance the smaller ones needed (L's
        guards alone at three quarters of their staff, seed 2: 48 h apart, not 36 h). Not in
        a month that continues its year (as `_replan`) but its last (`ends_year`), whose
        loads are the year's: month by month, M at half its staff ended the year 36 h apart
        in hours on seeds 0-4, 12-24 h now; S at three quarters, November then December,
        16 h, 8 h now; L 48 -> 36 h at three quarters (seeds 0 and 3), 36 -> 24 h at half
        (seed 3), the places within one but L 75% seed 3's (9 more)."""
        if not self.weights[HOURS] or self.mid_year:
            return
        wide = sorted((group for group in self.groups if self._hours_apart(group)),
                      key=lambda members: -self._gap(members, HOURS))
        if not wide:
            return
        budget.reshare = max(budgets.RESHARE_EFFORT * len(self.active), budgets.RESHARE_FLOOR)
        self.late = True
        try:
            for group in wide:
                while (budget.reshare > 0 or budget.replan > 0) and self._hours_apart(group):
                    most = sorted(group, key=lambda s: -self._level(s, HOURS))
                    if not any(self._reshare_from(a, group, active, budget)
                               for a in most[:budgets.LEVEL_PAIRS]):
                        break
        finally:
            self.late = False
            self.log.clear()

    def hand_hours_past(self) -> None:
        """Last, where levelling's late stage runs (not in a month that continues its year
        but its last): each group still more than a shift apart in hours has its most loaded
        hand places past a clash (`_hand_past`) while that narrows it, within a re-sharing
        allowance (RESHARE_EFFORT checks per position, at least RESHARE_FLOOR). Every place
        stays filled, so it comes after every step that fills: as a step of the late stage,
        before the cover, the narrower hours held the cover's fills back (L at three quarters
        of its staff, seed 1: 33 places fewer, seed 4: 9)."""
        if not self.weights[HOURS] or self.mid_year:
            return
        active = set(self.active)
        stop = self.checks + max(budgets.RESHARE_EFFORT * len(self.active), budgets.RESHARE_FLOOR)
        for group in self.groups:
            while self.checks < stop and self._hours_apart(group):
                most = sorted(group, key=lambda s: (-self._level(s, HOURS), self.rank[s]))
                if not any(self._hand_past(a, group, active, stop)
                           for a in most[:budgets.LEVEL_PAIRS]):
                    break
        self.log.clear()

    def _hand_past(self, a: int, group: list[int], active: set[int], stop: float) -> bool:
        """a, among the most loaded with hours, hands a place i to b, the least loaded, who
        has room in i's week, where a place j of b's clashes with i (an overlap, too short
        a rest): a colleague c takes j and gives b a place k of theirs like it (as long, as
        many of each count; their weekly hours may move between two weeks, within the
        rules); where k clashes in turn with a place of b's, that one goes to a colleague
        for one as long (`_swapped_past`: counts may move between those two). b gains i's
        hours, c's loads stay, every place stays filled; kept by `_lowered` (the gap
        narrower or fewer at the most, no gap wider than before or than levelling accepts,
        the cost down). No trade of two reaches it, nor a week re-shared between two: the
        third person only passes a like place on. Places of the period
        only, none in the ISO week that crosses into the days after it (`crossing`, as the
        lowering's). L at three quarters of its staff, seed 1, at once: gu06's day of 28
        December goes to gu13, whose night of the 28th (no rest after that day) goes to
        gu09 for gu09's night of the 31st; the guards 48 -> 36 h apart, the exact model's
        change and least with January to November fixed (`benchmarks/roster_oracle.py
        L:0.75 --seed 1 --roles guard --fix-before 2026-12-01 --fewest-changes`). The least
        loaded alone (the first by rank on a tie): three of them cost L 75% at once, seed 4,
        0.03 s of 6.2 s for nothing more, 0.01 s now."""
        before = self._odd_state(group, HOURS)
        gaps = self._every_gap()
        b = min(group, key=lambda s: (self._level(s, HOURS), self.rank[s]))
        for i in self._carrying(a, HOURS, active):
            work = self.works[i]
            if self.checks >= stop:
                return False
            if b not in self.eligible_set[i] or not self._ours(i) \
                    or self._level(a, HOURS) - self._level(b, HOURS) \
                    <= work.hours / self.hours_unit + EPSILON \
                    or self._hours_left(b, week_of(work.day)) < work.hours - EPSILON:
                continue
            conflict = self.conflict(b, i)
            if conflict is None or conflict.rule not in PAIRWISE:
                continue
            for j in self._lifting(b, i, conflict, {i}):
                if j in active and self._ours(j) and self._passed_on(
                        a, i, b, j, active, lambda mark: self._lowered(
                            group, HOURS, before, gaps, mark)):
                    return True
        return False

    def _ours(self, i: int) -> bool:
        """Is i a place of the period outside the ISO week that crosses into the days after
        it (`crossing`)? The days after are the next roster's, and carry no loads here."""
        return i < self.planned and week_of(self.works[i].day) != self.crossing

    def _passed_on(self, a: int, i: int, b: int, j: int, active: set[int],
                   kept: Callable[[int], bool]) -> bool:
        """`_hand_past`'s exchanges for one i and j: each colleague c who may take j, each
        place k of c's near j like it (`_like`) that b may take, the nearest first; the
        first `kept` keeps. Where k in turn clashes with a place of b's (an overlap, too
        short a rest), that place goes to a colleague (a or c too) for one of theirs as
        long (`_swapped_past`)."""
        start = self.works[j].start
        for c in self.eligible[j]:
            if c in (a, b):
                continue
            for k in sorted(self._near(c, j), key=lambda k: abs(self.works[k].start - start)):
                if k == i or k in self.fixed or k not in active or not self._ours(k) \
                        or not self._like(k, j) or b not in self.eligible_set[k]:
                    continue
                mark = len(self.log)
                if self.apply([(a, i, -1), (b, j, -1), (c, k, -1), (b, i, 1), (c, j, 1)]):
                    if self.apply([(b, k, 1)]):
                        if kept(mark):
                            return True
                    elif self._swapped_past(b, k, {i, j}, active, mark, kept):
                        return True
                self.rollback(mark)
        return False

    def _swapped_past(self, b: int, k: int, moved: set[int], active: set[int], mark: int,
                      kept: Callable[[int], bool]) -> bool:
        """b's place that clashes with k (an overlap, too short a rest; not one of `moved`)
        goes to a colleague d (anyone but b) for a place of d's near it as long, and b takes
        k: the first `kept` keeps (counts may move between b and d, within what `kept`
        allows). L at three quarters of its staff, seed 4, December after November: gu13
        takes gu07's day of the 28th, gu02 gu13's night of the 28th for its night of the
        30th, and gu13's day of the 31st (no rest after that night) goes to gu14 for gu14's
        night of the 31st: the guards 48 -> 36 h apart, the exact model's change with
        January to November fixed."""
        conflict = self.conflict(b, k)
        if conflict is None or conflict.rule not in PAIRWISE:
            return False
        for x in self._lifting(b, k, conflict, moved | {k}):
            if x not in active or not self._ours(x):
                continue
            start = self.works[x].start
            for d in self.eligible[x]:
                if d == b:
                    continue
                for y in sorted(self._near(d, x), key=lambda y: abs(self.works[y].start - start)):
                    if y in moved or y in (k, x) or y in self.fixed or y not in active \
                            or not self._ours(y) or not self._as_long(y, x) \
                            or b not in self.eligible_set[y]:
                        continue
                    swap = len(self.log)
                    if self.apply([(b, x, -1), (d, y, -1), (b, k, 1), (d, x, 1), (b, y, 1)]) \
                            and kept(mark):
                        return True
                    self.rollback(swap)
        return False

    def _like(self, k: int, j: int) -> bool:
        """As long as j (`_as_long`), with as much of each count."""
        return self.amounts[k] == self.amounts[j] and self._as_long(k, j)

    def _as_long(self, k: int, j: int) -> bool:
        """As many hours as j, on site or on call alike."""
        return abs(self.works[k].hours - self.works[j].hours) <= EPSILON \
            and self.works[k].on_call == self.works[j].on_call

    def _hours_apart(self, group: list[int]) -> bool:
        """Are the group's most loaded more than their longest shift's hours above its least
        loaded (what `_reshare_from` narrows)?"""
        most = max(group, key=lambda s: self._level(s, HOURS))
        longest = max((self.works[i].hours for i in self.held[most]), default=0.0)
        return self._gap(group, HOURS) > max(longest / self.hours_unit, self.good_enough[HOURS]) \
            + EPSILON

    def _level_once(self, group: list[int], m: int, active: set[int],
                    budget: LevelBudget, bounded: bool = False) -> bool:
        """One improving change that takes load m from a member above to a member below:
        between the two first, then through a third person (3/3/2 with 2 outside the group).
        `bounded` (the cover's mends): each search starts only while `budget` lasts; one
        that began with 1,427 checks left ran every search for weekends three apart and found
        nothing, 5,218 checks (S at half its staff, seed 2). Not in the other mends nor in
        levelling: there a change found past the budget's end was kept (L at half its staff
        month by month, seed 3: 8,108 places; 8,090 with every mend bounded, 8,097 with
        levelling too)."""
        loads = sorted(group, key=lambda s: self._level(s, m))
        pairs = sorted(((self._level(a, m) - self._level(b, m), a, b)
                        for a in loads[::-1][:budgets.LEVEL_PAIRS]
                        for b in loads[:budgets.LEVEL_PAIRS]),
                       reverse=True)
        pairs = [(gap, a, b) for gap, a, b in pairs[:budgets.LEVEL_PAIRS]
                 if gap > self.good_enough[m]]
        # counts are whole: one apart, a trade inside the pair has nothing less than the gap
        # to hand over, only moves through someone else can narrow it
        whole_step = m != HOURS and all(gap <= 1 + EPSILON for gap, _, _ in pairs)

        def left() -> bool:
            return not bounded or self.checks < budget.until

        def each(step: Callable[[int, int], bool]) -> bool:
            """step(a, b) on each pair, the widest first, while the budget lasts."""
            return any(left() and step(a, b) for _, a, b in pairs)

        once = partial(self._unless_failed, {})  # a shed or gain of one person, once

        # weekends two or more apart: the stretches of every length right after the trades
        # (`_block_swaps_beyond`, which asks left() itself), not after the sheds, gains and
        # re-counts: on the benchmark instances those found nothing where the stretches then
        # found a change (S at three quarters of its staff, seed 1: one such step 12,351
        # checks, 9,276 of them theirs)
        if not whole_step and (each(lambda a, b: self._trade(a, b, m, active))
                               or (m == WEEKENDS
                                   and self._block_swaps_beyond(loads, m, active, left))):
            return True
        return each(lambda a, b: once(("shed", a), lambda: self._shed(a, m, active, whole_step))
                    or (m != HOURS and left()
                        and once(("gain", b), lambda: self._gain(b, m, active)))) \
            or (m == HOURS and each(lambda a, _: self._reshare_from(a, group, active, budget))) \
            or (not whole_step and m != HOURS
                and each(lambda a, b: self._recount(a, b, m, active, budget))) \
            or (whole_step and m in (NIGHTS, WEEKENDS)
                and each(lambda a, b: self._block_outside(a, b, m, active))) \
            or (not whole_step and m == NIGHTS
                and self._block_swaps_beyond(loads, m, active, left))

    def _unless_failed(self, failed: dict[tuple, int], key: tuple,
                       step: Callable[[], bool]) -> bool:
        """step(), unless the step of the same `key` failed before within one search
        (`failed`: key -> the checks it spent), where every step before failed too and left
        the roster as it was: it would fail again, the same checks. They are counted again,
        so every budget ends where it did and the rosters stay the same. In `_level_once`,
        one person above is in two of the widest pairs: a repeated shed cost L at three
        quarters of its staff a sixth of its sheds' time."""
        spent = failed.get(key)
        if spent is not None:
            self.checks += spent
            return False
        start = self.checks
        if step():
            return True
        failed[key] = self.checks - start
        return False

    def _block_swaps_beyond(self, loads: list[int], m: int, active: set[int],
                            left: Callable[[], bool]) -> bool:
        """Stretches of days of every length, between every pair two or more apart (each
        pair while `left()`, the budget, lasts), when the widest pairs' trades found nothing:
        in a short-staffed month everyone works to the weekly cap and rest ties each shift
        to its neighbours, so the one exchange that fits
        may be 5 days long or between the fourth pair (S 75 %: weekends 7/4 ended 3 apart).
        Not in a month that continues its year: there the year's loads set the pairs, and
        the exchanges left L at half staff by month 36 h apart in hours instead of 24.
        For weekends right after the trades (`_level_once`): S at three quarters of its
        staff, seeds 1 and 3, 2.65x and 2.54x the staffed S's checks before, 1.92x and 1.84x
        then, every S and M roster (a quarter, a half, three quarters; seeds 0-4) and L's
        (seed 0) the same. Not for nights: there the stretches found other changes than the
        sheds would have (M at a quarter of its staff, seed 1: 400 places against 401)."""
        if self.continues_year:
            return False
        pairs = sorted(((self._level(a, m) - self._level(b, m), a, b)
                        for a in loads[::-1] for b in loads), reverse=True)
        return any(left() and self._try_narrowing(
            self._block_swaps(a, b, m, active, gap, budgets.BLOCK_DAYS_BEYOND), m)
            for gap, a, b in pairs if gap > 1 + EPSILON)

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
            options, costs = [], []
            if b in self.eligible_set[i]:
                if amount < gap - EPSILON:
                    options.append([(a, i, -1), (b, i, 1)])
                    costs += self.move_costs(a, i, [b])
                self._add_swaps(options, costs, a, i, b,
                                self._swaps_back(a, i, b, m, amount, active, amount - gap))
            if amount < gap - EPSILON:
                for k in self._open_like(i, b)[:budgets.OPEN_TRIES]:
                    options.append([(a, i, -1), (b, k, 1)])
                    costs.append(self.change_cost(options[-1]))
            if self._try(options, costs):
                return True
        return not far and self._try(self._block_swaps(a, b, m, active, gap))

    def _block_swaps(self, a: int, b: int, m: int, active: set[int], gap: float,
                     lengths: tuple[int, ...] = budgets.BLOCK_DAYS
                     ) -> list[list[tuple[int, int, int]]]:
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
            shed_by[day - first + 1] = shed_by[day - first] + sum_in_order(
                self._amount(i, m) * (1 if s == a else -1) for s, i in by_day.get(day, ()))
        other = {a: b, b: a}
        movable: dict[int, bool] = {}  # day -> can each of its places go to the other?

        def can_move(day: int) -> bool:  # windows overlap: each day asked once
            found = movable.get(day)
            if found is None:
                found = movable[day] = all(
                    i not in self.fixed and other[s] in self.eligible_set[i]
                    for s, i in by_day.get(day, ()))
            return found

        for length in lengths:
            for start in range(first, last - length + 2):
                shed = shed_by[start - first + length] - shed_by[start - first]
                if not EPSILON < shed < gap - EPSILON \
                        or not all(can_move(day) for day in range(start, start + length)):
                    continue
                held = [pair for day in range(start, start + length)
                        for pair in by_day.get(day, ())]
                options.append([(s, i, -1) for s, i in held]
                               + [(other[s], i, 1) for s, i in held])
        return options

    def _shed(self, a: int, m: int, active: set[int], odd: bool = False) -> bool:
        """a hands a position with load m to someone less loaded with it, or trades it; `odd`
        (the group one apart), short-staffed, a may also leave it open and take an open place
        like it with less of m (`_leave_open`)."""
        for i in self._carrying(a, m, active):
            amount = self._amount(i, m)
            others = [c for c in self.eligible[i] if c != a]
            options, costs = [], []
            for c, cost in zip(others, self.move_costs(a, i, others)):
                options.append([(a, i, -1), (c, i, 1)])
                costs.append(cost)
                self._add_swaps(options, costs, a, i, c,
                                self._swaps_back(a, i, c, m, amount, active))
            if odd:
                left_open = self._leave_open(a, i, m)
                options += left_open
                costs += [self.change_cost(change) for change in left_open]
            if self._try(options, costs):
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
            # continues its year (as `_block_swaps_beyond`, even the year's last: there it
            # changed no M roster by month), L at half its staff by month ended the year
            # 2/2/60 apart (nights/weekends/hours) with it, 1/1/24 without
            return []
        vacate, last = self._vacate(i)
        if vacate is None:
            return []
        kept = self._open_for(i, m, last, lambda k: a in self.eligible_set[k])
        return [[*vacate, (a, k, 1)] for k in islice(kept, budgets.OPEN_TRIES)]

    def _lower_odd(self, active: set[int], last: bool = False) -> bool:
        """Short-staffed, last: each group still one weekend or holiday shift apart, with
        fewer above than below (else raising the ones below is shorter: `_raise_all`),
        lowers its odd ones above, one at a time (`_lower_through`), all of them or none,
        each group and count within an effort of its own (LOWER_EFFORT checks per position,
        at least LOWER_FLOOR: one shared, a group of clerks that found no change spent what
        the cleaners after it needed, L at half its staff month by month, seed 2). Not in a
        month that continues its year, but in its last one's raise (`last`: its counts are
        the year's). Where the counts are final (`last`, or a period planned to 31 December)
        nights too, and a group two apart: twelve months leave one or two of a group above
        the rest, whom the raise of everyone below cannot reach (L at half its staff month by
        month, seed 0: one clerk of fourteen at 47 weekend shifts, the rest at 45 or 46; 46
        now); at once, L at three quarters of its staff, seed 4, the guards' nights 101-103,
        101-102 now (three of fourteen lowered). Not in a period that stops short of 31
        December (a year's first month generated alone, whose counts the months after
        continue): nights lowered there moved what those found (L by month, seeds 0-4: 41
        places fewer; docs/performance-history.md). True where a group was lowered."""
        if self.continues_year and not last or not any(
                self.assigned[i] is None for i in self.active if i < self.planned):
            return False
        whole = last or self.plans_to_year_end  # the counts are final
        counts, widest = ((NIGHTS, WEEKENDS, HOLIDAYS), 2.0) if whole \
            else ((WEEKENDS, HOLIDAYS), 1.0)
        lowered = False
        for group in self.groups:
            for m in counts:
                if not self.weights[m] \
                        or not self.good_enough[m] < self._gap(group, m) <= widest + EPSILON:
                    continue
                top = max(self._level(s, m) for s in group)
                above = sorted((s for s in group if self._level(s, m) > top - EPSILON),
                               key=lambda s: self.rank[s])
                if 2 * len(above) > len(group):
                    continue
                self.log.clear()
                stop = self.checks + max(budgets.LOWER_EFFORT * len(self.active),
                                         budgets.LOWER_FLOOR)
                for order in self._lowering_orders(above):
                    if all(self._lower_through(a, m, active, stop) for a in order):
                        lowered = True
                        break
                    self.rollback(0)
        self.log.clear()
        return lowered

    def _ran_out_before(self, ran: tuple[int, int, int] | None, effort: int,
                        stop: float) -> bool:
        """Would a lowering's chain that ran out of places to try (`ran`: its checks from
        before the place was left open to the chain's end, the chain's own, and in all,
        undone too) on this roster run out the same again, given `effort` and the lowering's
        `stop`? Its queue is the same, so where the budget reaches that end, yes."""
        return ran is not None and effort >= ran[1] and self.checks + ran[0] <= stop

    @staticmethod
    def _lowering_orders(above: list[int]) -> tuple[list[int], ...]:
        """The orders `_lower_odd` lowers a group's odd ones above in, all of them or none:
        by rank, then, where that fails, the reverse (within the same effort), since the
        first one's chain may take the open place the next one needs. M at half its staff,
        October generated first, seeds 0 and 2: two of four guards at 6 holidays, two at 5; the
        first lowered by rank leaves the second no chain (2,984 checks), the other first
        lowers both (251 and 2,030 checks) and the four end at 5. Month by month seed 2
        then fills 675 places, as at once (674 before), and M at half its staff does 9.7%
        fewer checks by month; every S and L roster the same."""
        return (above, above[::-1]) if len(above) > 1 else (above,)

    def _lower_through(self, a: int, m: int, active: set[int], stop: float) -> bool:
        """a, one of its group's odd ones one weekend, holiday or night shift above the rest
        (or two, where the counts are final: `_lower_odd`), leaves
        a place i of theirs open and an open place k like it (`_open_for`) is filled by a
        chain of people, each taking the place the one before gives up for it, the last
        taking one without giving any up, a first if a can (`_chain_from`): where a cannot
        take k directly (`_leave_open`), rest and runs tie k to the shifts around it, and
        the exchange that frees it passes through two or three colleagues (S at three
        quarters of its staff: a Saturday's early left open, a Thursday's early filled by one
        who gives up that day's late to a, who gives up the Friday's early to a third, who
        gives up the Friday's night to a: the exact model's change,
        benchmarks/roster_oracle.py S:0.75 --minimise weekends --keep-shifts
        --fewest-changes). Kept when fewer of the group hold the most of m (or its gap
        narrows), no gap in a group it touches ends wider than levelling accepts and the
        cost falls (`change_cost` of the net change). Nothing in the ISO week that crosses
        into the days after the period (`crossing`: its hours are the next roster's too; M
        at three quarters month by month filled 990 places with it, 991 at once). For
        weekends and holidays, and nights where the counts are final, outside a month that
        continues its year but its last (`_lower_odd`): every night holds one, so none is
        like a night with less of it, and a night is left open for another shift as long
        (S at three quarters of its staff, November and December at once, seed 0: a second
        night seat for the next day's open early, 1 -> 0 nights apart).
        Where no chain fills k and a run (of days or nights) or k's week's hours keep a from
        it, a also moves a place of theirs from k's side to an open one like it in i's week
        (`_lower_across`), tried after every chain; then open places of another shift as
        long (`_open_for(other_shifts=True)`); last, a colleague takes a place of a's and
        leaves a later seat of theirs open (`_lower_by_handover`: where a's place is a
        shift's only seat, which none of those may leave open)."""
        group = self.groups[self.group_of[a]]
        tries = self._lower_tries(a, m, active)
        before = self._odd_state(group, m)
        gaps = self._every_gap()
        top = max(self._level(s, m) for s in group)

        def over(s: int, x: int, j: int | None) -> bool:
            """Would s, taking x for j, hold as much of m as the most of a's group did?"""
            gained = self._amount(x, m) - (0.0 if j is None else self._amount(j, m))
            return gained > EPSILON and self.group_of[s] == self.group_of[a] \
                and self._level(s, m) + gained * self.scale[s] > top - EPSILON

        def lowered(mark: int) -> bool:
            return self._lowered(group, m, before, gaps, mark)

        def by_chains(tries: list[tuple], deeper: bool = True) -> bool:
            """Who can take k at once first, each open place near; then (`deeper`) chains to
            the nearest (the chains each within a small budget first: one that runs out may
            be found on the second pass, after another open place's chain was found
            cheaper). A chain whose queue ran out in the first pass is not searched again:
            every try since failed and left the roster as it was, so the search would end
            the same; its checks are counted again where the second pass's budget would let
            it run to that end, so every budget ends where it did (M at three quarters of
            its staff, October: a guard's three chains of 1,076 checks each, searched twice
            over); where the lowering's budget ends before that end, the search would find
            nothing up to there and leave the budget spent: it is left spent, the search not
            run. A chain the first pass's budget cut short goes on in the second from the
            queue it left, on that same roster (`_chain_from`'s `queued`), within the second
            budget less what the first spent: the nodes a search from the start would reach
            after those, not those again (M at three quarters of its staff, October alone,
            seed 1: a chain of 1,509 checks searched again before 897 new ones)."""
            near = [item for item in tries
                    if item[-1] < budgets.OPEN_TRIES][:budgets.LOWER_CHAINS] if deeper else []
            chains = [(0, 0, *item) for item in tries] \
                + [(budgets.LOWER_DEPTH, effort, *item) for effort in budgets.LOWER_BUDGETS
                   for item in near]
            emptied: dict[tuple[int, int], tuple[int, int, int]] = {}  # (i, k) -> checks
            # (i, k) -> a chain's search its first pass's budget cut short: its queue, and
            # the checks it spent to there
            paused: dict[tuple[int, int], tuple[list, int]] = {}
            for depth, effort, _, i, k, vacate, _ in chains:
                if self.checks >= stop:
                    return False
                known = emptied.get((i, k)) if depth else None
                if self._ran_out_before(known, effort, stop):
                    self.checks += known[2]
                    continue
                if known is not None and effort >= known[1] and self.checks + known[0] > stop:
                    # the lowering's budget ends inside it: searched again to there, it
                    # would find nothing and leave the budget spent
                    self.checks = max(self.checks, stop)
                    return False
                ends = sorted((self.works[i].start, self.works[k].start))
                window = (ends[0] - budgets.LOWER_REACH, ends[1] + budgets.LOWER_REACH)
                mark, started, ran = len(self.log), self.checks, None
                if self.apply(vacate):
                    begun = self.checks
                    queued, spent = paused.pop((i, k), ([], 0)) if depth else (None, 0)
                    until = min(stop, begun + effort - spent if depth else stop)
                    if self._chain_from(k, a, active, until, lambda: lowered(mark), depth,
                                        window, over, queued):
                        return True
                    if self.checks < until:  # its queue ran out, not its budget
                        ran = (self.checks - started + spent, self.checks - begun + spent)
                    elif depth and queued:  # the second pass goes on from there
                        paused[(i, k)] = (queued, spent + self.checks - begun)
                self.rollback(mark)
                if depth and ran is not None:
                    emptied[(i, k)] = (*ran, self.checks - started)
            return False

        # then open places of another shift as long (a weekday's clean for a weekend clean,
        # which runs on rest days only), then a colleague's place
        return by_chains(tries) or any(
            self.checks < stop and self._lower_across(a, i, k, vacate, lowered, active, stop)
            for _, i, k, vacate, _ in tries) \
            or (self.checks < stop and by_chains(
                self._lower_tries(a, m, active, other_shifts=True), deeper=False)) \
            or self._lower_by_handover(a, m, active, stop, lowered)

    def _lower_tries(self, a: int, m: int, active: set[int],
                     other_shifts: bool = False) -> list[tuple]:
        """`_lower_through`'s tries: (how far apart, i, k, the changes that leave i open,
        k's rank among i's) for each place i of a's with m and each open place k like it
        (`_open_for`), the nearest first."""
        tries = []
        for i in self._carrying(a, m, active):
            vacate, last = self._vacate(i)
            if vacate is not None and week_of(self.works[i].day) != self.crossing:
                tries += [(abs(self.works[k].start - self.works[i].start), i, k, vacate, nearer)
                          for nearer, k in enumerate(self._open_for(
                              i, m, last, lambda k: k in active
                              and week_of(self.works[k].day) != self.crossing, 1,
                              other_shifts=other_shifts))]
        return sorted(tries, key=lambda item: item[:3])

    def _lower_by_handover(self, a: int, m: int, active: set[int], stop: float,
                           lowered: Callable[[int], bool]) -> bool:
        """Where no chain lowers a (`_lower_through`), a's place i with m goes to a colleague
        c below the most, who leaves open a place j of theirs with as much of it, a later seat
        of its shift (the shift keeps someone), at most a week from i; a takes an open place k
        like j with less of m in i's week (as many of each shift filled); where i takes c's
        week over its hours, c also leaves a place x of that week open for an open one like it
        in j's week, whose hours leaving j freed. The nearest j first; kept by `lowered`. M at
        three quarters of its staff month by month, seed 0: sv05, one of two clerks a weekend
        shift above five, holds only a Saturday's lone day seat near the open weekend places;
        sv03 takes it, leaves Saturday 19's second day seat open, and Thursday 24's for
        Thursday 17's, while sv05 takes Friday 25's (the exact model's change:
        benchmarks/roster_oracle.py M:0.75 --by-month --fix-before 2026-12-01 --roles service
        --minimise weekends --keep-shifts --fewest-changes)."""
        group = self.groups[self.group_of[a]]
        top = max(self._level(s, m) for s in group)
        others = [c for c in group if self._level(c, m) + self.scale[c] <= top + EPSILON]
        tries = []
        for i in self._carrying(a, m, active):
            if week_of(self.works[i].day) == self.crossing:
                continue
            for c in others:
                if self.checks >= stop:
                    return False
                if c not in self.eligible_set[i]:
                    continue
                # a shift of c's that clashes with i (an overlap, a rest) must go: as j, the
                # place c leaves open, or as the place c hands a for i (like i, less of m)
                blocked, only = self.conflict(c, i), None
                if blocked is not None and blocked.rule in PAIRWISE:
                    only = self.key_index.get(blocked.other.key) \
                        if blocked.other is not None else None
                    if only is None:
                        continue  # a neighbouring roster's shift: nothing here lifts it
                    if self._like_but_less(only, i, m):
                        only = None
                for j in self._carrying(c, m, active):
                    apart = abs(self.works[j].start - self.works[i].start)
                    if apart <= 7 * 86400 and week_of(self.works[j].day) != self.crossing \
                            and self._amount(j, m) >= self._amount(i, m) - EPSILON \
                            and only in (None, j):
                        tries.append((apart, self.rank[c], self.works[i].start, i, c, j))
        tries.sort()
        for *_, i, c, j in tries:
            if self.checks >= stop:
                return False
            if self._hand_over(a, i, c, j, m, active, stop, lowered):
                return True
        return False

    def _hand_over(self, a: int, i: int, c: int, j: int, m: int, active: set[int],
                   stop: float, lowered: Callable[[int], bool]) -> bool:
        """`_lower_by_handover`'s one try: c takes i from a and leaves j open, and an open
        place k like j in i's week is filled by a, or by c while a takes a place z of c's
        like i in every count but m (a's nights stay where i was a night); where i takes c's
        week of it over its hours, c also leaves a place x of that week open for an open one
        like it in j's week, whose hours leaving j freed (`_lift_for`). Kept by `lowered`,
        else undone."""
        if self.positions[i].key[:3] == self.positions[j].key[:3]:
            return False  # seats of one shift: a place for itself
        vacate, last = self._vacate(j)
        if vacate is None or (last == j and not self._seat_left(j)):
            return False  # j's shift would be left with nobody
        week, other = (week_of(self.works[x].day) for x in (i, j))
        like = list(self._open_for(j, m, last, lambda k: k in active
                                   and week_of(self.works[k].day) == week, 1,
                                   self.works[i].start))[:budgets.OPEN_TRIES]
        given = [*vacate, (a, i, -1)]
        swaps = [z for z in self._near(c, i) if z != j and z in active and z not in self.fixed
                 and a in self.eligible_set[z] and self._like_but_less(z, i, m)]
        # everything but c taking i, which comes last
        changes = [[*given, (a, k, 1)] for k in like if a in self.eligible_set[k]] \
            + [[*given, (c, z, -1), (a, z, 1), (c, k, 1)] for k in like
               if c in self.eligible_set[k] for z in swaps]
        mark = len(self.log)
        for change in changes:
            if self.checks >= stop:
                return False
            if not self.apply(change):
                continue
            blocked = self.conflict(c, i)
            if blocked is None:
                if self.apply([(c, i, 1)]) and lowered(mark):
                    return True
            elif blocked.rule == "max_hours_per_week" and week != other:
                for x in self._lifting(c, i, blocked, {i, j}):
                    if self.checks >= stop:
                        break
                    if x in active and self._lift_for(c, j, i, x, other, active,
                                                      lambda: lowered(mark)):
                        return True
            self.rollback(mark)
        return False

    def _like_but_less(self, z: int, i: int, m: int) -> bool:
        """Does z carry as much of every count as i but less of m (a weekday's night for a
        weekend's)?"""
        return self._amount(z, m) < self._amount(i, m) - EPSILON and all(
            abs(x - y) <= EPSILON for n, (x, y) in enumerate(zip(self.amounts[z],
                                                                 self.amounts[i])) if n != m)

    def _lower_across(self, a: int, i: int, k: int, vacate: list[tuple[int, int, int]],
                      good: Callable[[int], bool], active: set[int], stop: float) -> bool:
        """Where no chain frees k (`_lower_through`) and what keeps a from it, once i is left
        open, is a run (of days or nights) or k's week's hours: a also leaves a place j of
        theirs that lifts it open (`_lifting`) and takes an open place like j (every count the
        same) in i's week, where leaving i freed the hours: each shift's coverage stays, a's counts
        move only by i for k. `good(mark)` keeps the change or not. L at half its staff: cl02,
        one weekend shift above the other cleaners, works Thursday 1 to Tuesday 6 October and
        Thursday 8 to Tuesday 13, so Wednesday 7's open place (国庆, no weekend) would make a
        run of ten days and a week of 56 h; cl02 leaves Sunday 4 open for it and the working
        Saturday 10 for Wednesday 30 September: four changes, as the exact model's, which
        leaves Saturday 3 instead of Sunday 4 (benchmarks/roster_oracle.py L:0.5 --roles
        cleaner --minimise weekends --fewest-changes)."""
        mark = len(self.log)
        if not self.apply(vacate):
            return False
        blocked = self.conflict(a, k)
        if blocked is not None and blocked.rule not in PAIRWISE:
            week = week_of(self.works[i].day)
            for j in self._lifting(a, k, blocked, {i, k}):
                if self.checks >= stop:
                    break
                if j in active and week_of(self.works[j].day) not in (week, self.crossing) \
                        and self._lift_for(a, i, k, j, week, active, lambda: good(mark)):
                    return True
        self.rollback(mark)
        return False

    def _lift_for(self, a: int, i: int, k: int, j: int, week: int, active: set[int],
                  good: Callable[[], bool]) -> bool:
        """`_lower_across`'s second step: a leaves j open, takes k and an open place like j
        in i's week (`week`); kept by `good`, else undone."""
        freed, last = self._vacate(j)
        if freed is None:
            return False
        # the places like j listed while j is still held: `_open_for`'s test of a shift's
        # only seat compares the day's coverage with j's hours covered
        like_j = list(self._open_for(j, None, last, lambda x: x in active
                                     and a in self.eligible_set[x]
                                     and week_of(self.works[x].day) == week, 1,
                                     self.works[i].start))
        mark = len(self.log)
        if self.apply(freed) and not self.blocked(a, k):
            lifted = len(self.log)
            for x in like_j:
                if self.apply([(a, k, 1), (a, x, 1)]):
                    if good():
                        return True
                    self.rollback(lifted)
        self.rollback(mark)
        return False

    def _odd_state(self, group: list[int], m: int) -> tuple[float, int]:
        """m's gap in the group and how many hold the most of it."""
        top = max(self._level(s, m) for s in group)
        return self._gap(group, m), sum(1 for s in group if self._level(s, m) > top - EPSILON)

    def _lowered(self, group: list[int], m: int, before: tuple[float, int],
                 gaps: dict[tuple[int, int], float], mark: int) -> bool:
        """After a change made since `mark`: fewer hold the most of m (or m's gap narrowed),
        no gap wider than before or than levelling accepts, and the change costs less."""
        gap, top = self._odd_state(group, m)
        if not (gap < before[0] - EPSILON or (gap < before[0] + EPSILON and top < before[1])):
            return False
        if any(self._gap(self.groups[g], n) > max(was, self.good_enough[n]) + EPSILON
               for (g, n), was in gaps.items()):
            return False
        # J's change both ways is the same but for its sign: undone, from the loads now
        return self.change_cost([(s, i, -sign) for s, i, sign in self._net_since(mark)]) \
            > EPSILON

    def _net_since(self, mark: int) -> list[tuple[int, int, int]]:
        """The log since `mark` as one change: (staff, position, -1) for each place someone
        held before and no longer does, (staff, position, +1) for each they hold now."""
        first: dict[int, int | None] = {}
        for action, s, i in self.log[mark:]:
            if i not in first:
                first[i] = s if action == "unassign" else None
        change = []
        for i, was in first.items():
            now = self.assigned[i]
            if was != now:
                if was is not None:
                    change.append((was, i, -1))
                if now is not None:
                    change.append((now, i, 1))
        return change

    def _chain_from(self, k: int, a: int, active: set[int], stop: float,
                    good: Callable[[], bool], depth: int, window: tuple[float, float],
                    over: Callable[..., bool], queued: list | None = None) -> bool:
        """Breadth first from the open place k, as `_chain` (of chains as long, those where a
        takes more places first): people each taking the place the
        one before gave up for it (one it clashed with: an overlap or too short a rest), at
        most `depth` long, its places starting inside `window`, the last taking one without
        giving any up: a first, then the others by cost; the first whole chain `good` keeps
        (called on the roster with it, it keeps it or not) is kept. No step where `over`
        says its taker would hold too much (`_lower_through`: as much of the count as the
        most did). A step is checked when the search reaches it, not when it is queued
        (most are never reached: a step that broke another rule let a rest of 8 h through,
        S at three quarters, seed 1); the same exchange is tried again after other ones.
        `queued`: where it holds a queue (and its order) that a search of the same start on
        this same roster left when its budget ran out, the search goes on from there; a
        search that ends with places still queued leaves them in it (emptied otherwise)."""
        if queued:
            queue, order = queued
        else:
            queue, order = [(0, 0, 0, k, ())], count(1)
        base, made = len(self.log), ()
        while queue and self.checks < stop:
            *_, x, path = heappop(queue)
            self.walk(made, path[:-1], base)
            made = path[:-1]
            self.checks += 2 * len(made)  # as a replay from the start counts it
            mark, reached = len(self.log), True
            if path:  # its last step checked (the steps before were when reached)
                s, taken, dropped = path[-1]
                self.unassign(dropped)
                reached = not self.blocked(s, taken)  # not another clash
                if reached:
                    self.assign(s, taken)
            if reached and self._chain_step(x, path, a, active, good, depth, (queue, order),
                                            window, over):
                return True
            self.checks += 2 * len(made) + len(self.log) - mark  # ... and its undoing
            checks = self.checks
            self.rollback(mark)
            self.checks = checks
        self.walk(made, (), base)
        if queued is not None:
            queued[:] = [queue, order] if queue else []
        return False

    def _chain_step(self, x: int, path: tuple, a: int, active: set[int],
                    good: Callable[[], bool], depth: int, queued: tuple,
                    window: tuple[float, float], over: Callable[..., bool]) -> bool:
        """One node of `_chain_from`, on the roster its path leaves: x taken by someone free
        and kept by `good`, else the clashing places of those blocked queued."""
        blocked, free = [], []
        for s in self.eligible[x]:
            conflict = self.conflict(s, x)
            if conflict is None:
                free.append(s)
            elif conflict.rule in PAIRWISE:
                blocked.append((s, conflict))
        # a first, then by cost (a stable sort keeps the cost order within each)
        for _, _, s in sorted(self.ranked(x, free), key=lambda ranked: ranked[2] != a):
            if over(s, x, None):
                continue
            self.assign(s, x)
            if good():
                return True
            self.unassign(x)
            del self.log[-2:]  # the assign and its undo leave no trace
        if len(path) < depth:
            queue, order = queued
            on_path = {taken for _, taken, _ in path} | {x}
            for s, conflict in blocked:
                for j in self._lifting(s, x, conflict, on_path):
                    if j in active and window[0] <= self.works[j].start <= window[1] \
                            and week_of(self.works[j].day) != self.crossing \
                            and not over(s, x, j):
                        longer = path + ((s, x, j),)
                        heappush(queue, (len(longer), -sum(t == a for t, _, _ in longer),
                                         next(order), j, longer))
        return False

    def _open_for(self, i: int, m: int | None, last: int, may: Callable[[int], bool],
                  later: int = 0, near: int | None = None,
                  other_shifts: bool = False) -> Iterator[int]:
        """The open places `may` allows an odd one above to have filled for leaving i open
        (`_leave_open`, `_lower_through`, `_lower_across`), nearest first: of i's shift and
        role (or another: `other_shifts`), with less of m (m None: every count as i's), the
        first open seat of their shift and no later seat than `last` (the seat left open, and
        the one taken, as their shifts' holders count them: `_seat_left`, `_seat_taken`), or
        at most `later` seats later
        where `last` is not the shift's first (a Saturday's early 2 -> 1, a Monday's 2 -> 3:
        the exact model's change, no shift left with nobody); none that leaves more of the
        day with nobody where `last` is the shift's only seat (asked while i is still held).
        Near i's start, or `near` (epoch seconds). `other_shifts`: of the other shifts of i's
        role as long as i's instead of i's own (`_lower_through`, after those: L's weekend
        clean runs on rest days only, and a cleaner above leaves one open for a weekday's
        clean)."""
        start = self.works[i].start if near is None else near
        like = (lambda k: self.amounts[k] == self.amounts[i]) if m is None else \
            (lambda k: self._amount(k, m) < self._amount(i, m) - EPSILON)
        if other_shifts:
            p, hours = self.positions[i], self.works[i].hours
            listed = [k for shift in self.rules.shifts if shift.id != p.shift.id
                      for k in self.open_near(i, start, (shift.id, p.role))
                      if abs(self.works[k].hours - hours) <= EPSILON]
        else:
            listed = self.open_near(i, start)
        rank = self._seat_left(last)
        found = []
        for k in listed:
            if self.assigned[k] is None and may(k) and like(k) \
                    and self._seat_taken(k) <= rank + (later if rank else 0) \
                    and not self._seat_ahead_open(k):
                found.append(k)
        found.sort(key=lambda k: abs(self.works[k].start - start))
        # the dear test last, nearest first, until enough pass (as filtering first)
        only_seat = rank == 0
        return (k for k in found if not (only_seat and self._splits_cover(i, k)))

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
            for c in ranked[:budgets.LEVEL_PAIRS]:
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
                options, costs = [[(c, i, -1), (b, i, 1)]], self.move_costs(c, i, [b])
                self._add_swaps(options, costs, c, i, b,
                                self._swaps_back(c, i, b, m, amount, active))
            else:
                p = self.positions[i]
                options = [[(b, j, -1), (b, i, 1)] for j in self._near(b, i)
                           if j not in self.fixed and j in active and self._amount(j, m) < amount
                           and self.positions[j].shift.id == p.shift.id
                           and self.positions[j].role == p.role
                           and self.positions[j].seat >= p.seat]
                costs = None
            if self._try(options, costs):
                return True
        return False

    def _swaps_back(self, a: int, i: int, c: int, m: int, amount: float, active: set[int],
                    least: float = -1.0) -> list[int]:
        """a gives i (`amount` of m) to c; the nearby places j c could give back to a, with
        less of m (but more than `least`). No variant where c leaves j open for a to fill an
        open place like it: on the benchmark instances it levelled nothing the other trades
        did not, for a fifth of the checks of a short-staffed month."""
        low, high = least + EPSILON, amount - EPSILON
        held = self.held_amounts(c, m)  # sorted: the first above low is below high?
        above = bisect_right(held, low)
        if above == len(held) or held[above] >= high:
            return []  # c holds nothing of such an amount anywhere (most asks)
        amounts, fixed, eligible = self.amounts, self.fixed, self.eligible_set
        return [j for j in self._near(c, i) if low < amounts[j][m] < high
                and j not in fixed and j in active and a in eligible[j]]

    def _add_swaps(self, options: list[list[tuple[int, int, int]]], costs: list[float],
                   a: int, i: int, c: int, places: list[int]) -> None:
        """Each swap, a's i for c's j of `places`, with its cost (`swap_costs`)."""
        if not places:  # most candidates have none
            return
        options += [[(a, i, -1), (c, j, -1), (c, i, 1), (a, j, 1)] for j in places]
        costs += self.swap_costs(a, i, [(c, j) for j in places])

    def _reshare_from(self, a: int, group: list[int], active: set[int],
                      budget: LevelBudget) -> bool:
        """a, among the most loaded with hours, re-shares a week (`_reshare`) with the least
        loaded of its group who has hours to spare in a week a works: the least loaded may
        have none (at the weekly cap wherever leave leaves them days), and the gap then only
        narrows by the most loaded each handing a shift to someone in between. Where no
        re-share is kept, the least loaded re-plans their own days (`_replan`)."""
        longest = max((self.works[i].hours for i in self.held[a]), default=0.0)
        below = sorted((s for s in group if self._level(a, HOURS) - self._level(s, HOURS)
                        > longest / self.hours_unit + EPSILON),
                       key=lambda s: (self._level(s, HOURS), self.rank[s]))
        tried = 0
        for b in below:
            if budget.reshare <= 0 or tried >= budgets.LEVEL_PAIRS:
                break  # b may still re-plan their own days (`_replan`)
            state = (self.version[a], self.version[b])
            slack = self._slack_weeks(a, b, active)
            if slack and self.tried.get(("reshare", a, b, self.late)) != state:
                tried += 1
                if self._reshare(a, b, slack, active, budget):
                    return True
                self.tried[("reshare", a, b, self.late)] = state
        if self.covered:  # the first below may have no week with room (leave, the cap)
            return any(self._replan(b, active, budget) for b in below
                       if self._level(b, HOURS) <= self._level(below[0], HOURS) + EPSILON)
        return bool(below) and self._replan(below[0], active, budget)

    def _replan(self, b: int, active: set[int], budget: LevelBudget) -> bool:
        """b, the least loaded with hours, plans anew alone the days of three weeks in a row
        around a week where b has room: the days that work the most under the runs and weekly
        hours (`_run_plan`), b's places and the open ones of the weeks searched with those days
        first (`_reshare_weeks` with b as both people, one place more at most), kept if b works
        more hours and no count's gap in b's group widens. Short-staffed, everyone works to
        the weekly cap and six days in a row, and two days off too close together cost one a
        shift for good: no trade with the most loaded mends that, only moving the days off
        (L at half its staff: the cleaners 24 h apart, every re-share of a week between two
        failed). After the pairs' re-shares, within an allowance of its own
        (`REPLAN_EFFORT`: the pairs' re-shares of another group may spend all of theirs),
        once for each roster b holds. After the rounds (`late`), the counts b's new days
        moved are levelled back first (`_mend`, within the same allowance). Not in a month
        that continues its year (the year's loads there are what the pairs level, as in
        `_block_swaps_beyond`) but the year's last (`ends_year`, as `_level_hours_late`)."""
        state = self.version[b]
        if self.mid_year or self.shortest <= 0 or budget.replan <= 0 \
                or self.tried.get(("replan", b, self.late, self.covered)) == state:
            return False
        self.tried[("replan", b, self.late, self.covered)] = state
        limit = self.members[b].limits.max_hours_per_week
        weeks = self.timelines[b].weeks
        first, last = week_of(self.span[0]), week_of(self.span[1])
        room = [week for week in range(first, last + 1, 7)
                if weeks.get(week, 0.0) + self.shortest <= limit + EPSILON
                and self._free_days(b, week)]
        counts = [m for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL) if self.weights[m]]
        group = self.groups[self.group_of[b]]
        # one weekend or holiday shift more keeps b at most where the most of its group are
        counted = all(self._level(b, m) + self.scale[b] <= max(
            self._level(s, m) for s in group) + EPSILON for m in (WEEKENDS, HOLIDAYS)
            if self.weights[m])
        started = self.checks
        allowed = budget.replan
        gaps = {m: self._gap(group, m) for m in counts}  # a rollback restores them
        try:
            tries = 0
            for week in room:
                if tries >= budgets.RESHARE_WEEKS or self.checks - started >= allowed:
                    return False
                plan = self._run_plan(b, week - 7, 3, counted)
                if plan is None:
                    continue
                tries += 1
                mark = len(self.log)
                hours = self._level(b, HOURS)
                window = (week - 7, week, week + 7)
                apart = self._gap(group, HOURS)
                top = self._hours_top(group)
                if self._replanned(b, week, window, plan, active, started + allowed):
                    if self.late:  # the counts the days moved levelled back first
                        self._mend(self._replan_limit(b, gaps), active,
                                   LevelBudget(started + allowed))
                    if self._level(b, HOURS) > hours + EPSILON \
                            and (not self.covered or self._top_lower(group, top)) \
                            and all(self._gap(group, m) <= max(gap, self.good_enough[m]) + EPSILON
                                    for m, gap in gaps.items()):
                        # b's days moved the counts too: a settled one is worth a new try
                        budget.settled -= {(self.group_of[b], m) for m in counts}
                        if self.late and not self.covered:  # what the cover may give back
                            self.apart_before_late.setdefault(self.group_of[b], apart)
                        return True
                    self.rollback(mark)
            return False
        finally:
            budget.spent_replanning(self.checks - started)

    def _hours_top(self, group: list[int]) -> tuple[float, int]:
        """The group's hours gap, then how many are at its most: what a re-plan after the
        cover must lower (seed 4: two guards 24 h above the least loaded, one place each to
        hand down)."""
        most = max(self._level(s, HOURS) for s in group)
        return (self._gap(group, HOURS),
                sum(1 for s in group if self._level(s, HOURS) >= most - EPSILON))

    def _top_lower(self, group: list[int], before: tuple[float, int]) -> bool:
        """Whether the group's `_hours_top` is below `before`: the gap narrower, or as wide
        (within EPSILON) with fewer at the most."""
        gap, most = self._hours_top(group)
        return gap < before[0] - EPSILON or (gap <= before[0] + EPSILON and most < before[1])

    def _replan_limit(self, b: int, gaps: dict[int, float]) -> dict[tuple[int, int], float]:
        """What a late re-plan of b's days mends its group's counts back to (`gaps`, before
        it); after the cover its hours too, at most as far apart as the re-plan left them
        (seed 2: a guard taking a holiday shift, 3 apart; the trade that mended that put the
        hours 36 h apart)."""
        g = self.group_of[b]
        limit = {(g, m): max(gap, self.good_enough[m]) for m, gap in gaps.items()}
        if self.covered:
            limit[(g, HOURS)] = max(self._gap(self.groups[g], HOURS), self.good_enough[HOURS])
        return limit

    def _replanned(self, b: int, week: int, window: tuple[int, ...], plan: set[int],
                   active: set[int], stop: int) -> bool:
        """b's days of `window` planned anew: among open places (one more filled), or after
        the rounds, where that finds nothing, around a place taken from one of the most loaded
        (`_take_and_replan`). After the cover (`covered`) the taking first: its places are
        filled as the coverage wants them, and a place more for b alone leaves the most loaded
        where they are (L at half its staff, seed 2: the guard's place the cover gave the most
        loaded, 24 h above two who have no week with room, stays theirs)."""
        alone = lambda: self._reshare_weeks(b, b, window, active, stop, plan=plan)  # noqa: E731
        taking = lambda: self.late and self._take_and_replan(  # noqa: E731
            b, week, window, plan, active, stop)
        return taking() or alone() if self.covered else alone() or taking()

    def level_hours_covered(self, active: set[int]) -> None:
        """After the cover's second pass (the places still open given to whoever can take
        them, hours allowed back apart): each group still more than a shift apart in hours
        goes through the late stage once more (`_level_hours_late`, a re-planning allowance
        of its own, REPLAN_EFFORT), its least loaded each re-planning in turn (the first may
        have no week with room: leave, the weekly cap), a place taken from one of the most
        loaded first (`_replanned`), kept only where the most loaded come down (`_hours_top`)
        with as many places filled. L at half its staff, seed 2: the cover's second pass gave
        the most loaded guard a 210th shift (two others, capped at 208 by leave and the
        weekly hours, 24 h below); the guard at 208 with room in 1-4 January takes that
        guard's 1 January day shift and re-plans around it, and that guard takes 2 January's
        open day for a working day's to keep their holidays (`_give_back_counts`): 12 h
        apart at 8,105 places, as the exact model (12 changes). (Seed 4, until the cover's
        second pass held the other groups' spreads where the first left them: one of its
        two guards at 210 handed a place down, the other's re-plans found none that kept
        the place taken, and the guards stayed 24 h apart.)"""
        self.covered = True
        try:
            self._level_hours_late(active, LevelBudget(
                self.checks, replan=max(budgets.REPLAN_EFFORT * len(self.active),
                                        budgets.REPLAN_FLOOR)))
        finally:
            self.covered = False

    def _take_and_replan(self, b: int, week: int, window: tuple[int, ...], plan: set[int],
                         active: set[int], stop: int) -> bool:
        """b takes a place of `week` on a day of its `plan` from one of the most loaded of its
        group, more than that place's hours above b, and re-plans its own days of `window`
        around it (`_reshare_weeks` alone): the first where b keeps the place. Where b has
        room only in a part-week at the year's edge and rest and runs rule out every open
        place there, only a place taken from someone fits the shift more; neither a re-share
        between two (the two weeks' search finds nothing within its nodes) nor b re-planning
        among open places alone reaches it (L's guards alone at half their staff, seed 16:
        the week of 28 December, the guards 24 h -> 12 h apart, two places more). After the
        rounds (`late`) only."""
        group = self.groups[self.group_of[b]]
        level = self._level(b, HOURS)
        days = {day for day in plan if week <= day < week + 7}
        counts = [m for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL) if self.weights[m]]
        for a in sorted(group, key=lambda s: (-self._level(s, HOURS), self.rank[s])
                        )[:budgets.LEVEL_PAIRS]:
            for i in sorted(i for i in self.held[a]
                            if self.works[i].day in days and i in active and i not in self.fixed
                            and b in self.eligible_set[i]
                            and self._level(a, HOURS) - level
                            > self.works[i].hours / self.hours_unit + EPSILON):
                if self.checks >= stop:
                    return False
                mark, filled = len(self.log), self._filled()
                gaps = {m: self._gap(group, m) for m in counts} if self.covered else {}
                self.unassign(i)
                # the re-share counts from the roster with i open: b must hold one place more
                if self._reshare_weeks(b, b, window, active, stop, plan=plan) \
                        and self.assigned[i] == b and self._filled() == filled:
                    if self.covered:
                        self._give_back_counts(a, gaps, active)
                    return True
                self.rollback(mark)
        return False

    def _give_back_counts(self, a: int, gaps: dict[int, float], active: set[int]) -> None:
        """After the cover, a count a's place taken left wider than `gaps` (a holiday
        shift, a's the fewest): a takes an open place with more of it for one of theirs with
        less (`_take_open`, as the raise does; hours kept), the first that brings the gap back
        (L at half its staff, seed 2: the guard at 210 shifts gives 1 January's day shift and
        takes 2 January's open one for a working day's, as the exact model does)."""
        group = self.groups[self.group_of[a]]
        for m, gap in gaps.items():
            if self._gap(group, m) <= max(gap, self.good_enough[m]) + EPSILON:
                continue
            for change in self._take_open(a, m, active):
                mark = len(self.log)
                if self.apply(change) \
                        and self._gap(group, m) <= max(gap, self.good_enough[m]) + EPSILON:
                    break
                self.rollback(mark)

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
        comparable staff, but 613 h apart per full-time person across a role, not 538 h;
        but in the year's last (`ends_year`, whose loads are the year's): M at a quarter of
        its staff month by month ended the year 3 nights apart, 1 now (0 at once)."""
        state = (self.version[a], self.version[b])
        if self.mid_year or budget.recount <= 0 \
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
                       key=lambda week: (-more[week], week))[:budgets.RECOUNT_WEEKS]
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

    def _run_plan(self, s: int, week: int, weeks: int, counted: bool) -> set[int] | None:
        """The days s would work in `weeks` weeks from `week` to work the most of them under
        max_consecutive_days and the weekly hours (at the site's shortest shift; after the
        rounds at s's own: at the site's, 8 h, a 12 h guard seemed to fit six days a week,
        and the plan of most days, weekend days among them, hid the one that fits a shift
        more without them: L at half its staff, seed 3; the rounds' re-plans kept as they
        were measured), the days s works before and after them kept: None unless more days
        than s works there now, and unless `counted` (s may take a weekend or holiday shift
        more) no more weekend or holiday days than s works there now; the fewest of those
        more, then the fewest days s does not work now. A walk over the days keeping, for
        each run of days and days of its week reaching a day, the best (and its days, to
        read the plan back)."""
        member, busy = self.members[s], self.timelines[s].days
        most_in_a_row = member.limits.max_consecutive_days
        shortest = self.shortest_of[s] if self.late else self.shortest
        most_a_week = int((member.limits.max_hours_per_week + EPSILON) // shortest)
        end = week + 7 * weeks
        run = 0
        while week - 1 - run in busy:
            run += 1
        after = 0
        while end + after in busy:
            after += 1
        # (the run reaching the day, days of its week) -> ((days worked, weekend or holiday
        # days given up less those taken, -days taken), the days)
        Best = dict[tuple[int, int], tuple[tuple[int, int, int], tuple[int, ...]]]
        best: Best = {(run, 0): ((0, 0, 0), ())}
        worked = 0
        for day in range(week, end):
            when = date.fromordinal(day)
            may = self.span[0] <= day <= self.span[1] and member.unavailable_reason(when) is None
            worked += may and day in busy
            kind = day_kind(self.rules.calendar, when) if may else None
            counts = int(kind.weekend or kind.holiday) if kind else 0
            steps = [(1, (1, 0, 0) if day in busy else (1, -counts, -1)),
                     (0, (0, counts, 0) if day in busy else (0, 0, 0))] if may \
                else [(1, (0, 0, 0))] if day in busy else [(0, (0, 0, 0))]
            later: Best = {}
            for (length, this_week), (value, plan) in best.items():
                if (day - week) % 7 == 0:
                    this_week = 0
                for more, gained in steps:
                    key = (length + 1 if more else 0, this_week + gained[0])
                    total = tuple(x + y for x, y in zip(value, gained))
                    if key[0] <= most_in_a_row and key[1] <= most_a_week \
                            and (key not in later or later[key][0] < total):
                        later[key] = (total, plan + (day,) * gained[0])
            best = later
        found = max(((value, plan) for (length, _), (value, plan) in best.items()
                     if length + after <= most_in_a_row), default=((0, 0, 0), ()))
        return set(found[1]) if found[0][0] > worked and (counted or found[0][1] >= 0) \
            else None

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
        check counter reaches `stop`: the first re-share kept. In the year's last month,
        where none is kept, a and b then swap what they hold over a few days around a
        slack week, each swap kept as it is or after a re-share of that week (`_swap_days`)."""
        group = self.groups[self.group_of[a]]
        gaps = {m: self._gap(group, m) for m in (HOURS, *counts)}
        limit = {(self.group_of[a], m): gaps[m] for m in counts}
        mending = LevelBudget(float("inf"))  # a few tries per count, no re-share inside one
        high, low = self._level(a, HOURS), self._level(b, HOURS)

        def kept() -> bool:
            """The counts mended back, a and b closer in hours, neither beyond where the
            other was, and the group's hours gap no wider."""
            mended = self._mend(limit, active, mending)
            now = sorted((self._level(a, HOURS), self._level(b, HOURS)))
            return mended and now[1] - now[0] < high - low - EPSILON \
                and now[1] <= high + EPSILON and now[0] >= low - EPSILON \
                and self._gap(group, HOURS) <= gaps[HOURS] + EPSILON

        windows = [window for week in slack[:budgets.RESHARE_WEEKS]
                   for window in ((week,), (week - 7, week), (week, week + 7))]
        for window in windows:
            mark = len(self.log)
            if self._reshare_weeks(a, b, window, active, stop):
                if kept():
                    return True
                self.rollback(mark)
        return self.ends_year and self._swap_days(a, b, slack, active, stop, kept)

    def _swap_days(self, a: int, b: int, slack: list[int], active: set[int], stop: int,
                   kept: Callable[[], bool]) -> bool:
        """The year's last month: a and b swap every place each holds over a span of up to
        SWAP_DAYS days starting in a slack week or the week before it (each must be
        eligible for the other's; the hard rules checked as applied); a swap is kept where
        `kept` holds of it alone (its counts mended back), or else after a re-share of the
        slack week from there (`_reshare_weeks`) and `kept` again.
        The re-share of whole weeks starts from an empty week and its search seldom reaches
        an exchange of a few days (M at half its staff month by month, seed 1: the guards
        648-672 h for the year, the least loaded 36 h in the last four days of December; the
        exact model, benchmarks/roster_oracle.py M:0.5 --by-month --fix-before 2026-12-01
        --roles guard --keep-shifts --fewest-changes, evens them with 12 changes between two
        guards over 24-29 December, which 300,000 nodes of the two-week re-share did not
        find): the two swap 23-28 December, which frees the least loaded of the run that kept
        them from the 29th, and the last week's re-share then gives them a shift. M at half
        its staff, seeds 0, 1, 3 and 4: 24 h -> 12 h, and on seeds 1, 3 and 4 weekends
        1 -> 0 apart (as at once); the other L, M and S years by month the same but for
        the hours of L at a quarter, seed 1 (24 h -> 16 h), and L at three quarters' places,
        12,171 -> 12,173 on seed 2 and 12,178 -> 12,171 on seed 3. Not in other months:
        at once it added up to 16% to L at three quarters of its staff's work."""
        for week in slack[:budgets.RESHARE_WEEKS]:
            for first in range(week - 7, week + 7):
                for last in range(first, min(first + budgets.SWAP_DAYS, week + 7)):
                    if self.checks >= stop:
                        return False
                    mark = len(self.log)
                    if not self._swap_span(a, b, first, last, active):
                        continue
                    if kept() or self._reshare_weeks(a, b, (week,), active, stop) and kept():
                        return True
                    self.rollback(mark)
        return False

    def _swap_span(self, a: int, b: int, first: int, last: int, active: set[int]) -> bool:
        """a and b swap the places each holds from day `first` to `last` (ordinals), where
        both hold some there and each may take the other's; False where a rule breaks."""
        def held(s: int) -> list[int]:
            return [i for i in self.held[s] if first <= self.works[i].day <= last
                    and i in active and i not in self.fixed and i < self.planned]
        mine, theirs = held(a), held(b)
        if not mine or not theirs or any(b not in self.eligible_set[i] for i in mine) \
                or any(a not in self.eligible_set[i] for i in theirs):
            return False
        return self.apply([(a, i, -1) for i in mine] + [(b, i, -1) for i in theirs]
                          + [(b, i, 1) for i in mine] + [(a, i, 1) for i in theirs])

    def _free_days(self, s: int, week: int) -> int:
        """Days of the week with places to fill that s may work (no leave) and works no
        shift on (the days of a first or last week outside the period are not free)."""
        member, busy = self.members[s], self.timelines[s].days
        return sum(1 for day in range(max(week, self.span[0]), min(week + 7, self.span[1] + 1))
                   if day not in busy
                   and member.unavailable_reason(date.fromordinal(day)) is None)

    def _reshare_weeks(self, a: int, b: int, weeks: tuple[int, ...], active: set[int],
                       stop: int, m: int = HOURS, plan: set[int] | None = None) -> bool:
        """The places of `weeks` a or b hold or may fill (open ones, a seat of a shift for
        each of them at most) given out anew to the two of them: the assignment found by a
        depth-first search (within a node budget, and until the check counter reaches `stop`)
        that fills as many and costs least, if it costs less; b gains hours, or for a count m
        the group's gap of m narrows with each shift filled as often as before
        (`_search_week`); as many of the week's shifts keep someone as before (a re-share for
        the hours once left guard nights with nobody for second guards by day: L at a quarter
        of its staff, 23 over the year). a == b: b alone (`_replan`), the days of `plan`
        tried first, one place more at most, whatever the cost."""
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
                    and seats.get(cell, 0) < len({a, b}) \
                    and (a in self.eligible_set[i] or b in self.eligible_set[i]):
                seats[cell] = seats.get(cell, 0) + 1  # one seat a person at most
                places.append(i)
        places.sort(key=lambda i: self.works[i].start)
        before = [(self.assigned[i], i, 1) for i in places if self.assigned[i] is not None]
        if len(places) > (budgets.RESHARE_LATE_PLACES if self.late else budgets.RESHARE_PLACES) \
                or not before:
            return False
        # a failed re-share asked again of what it read (`_reshare_keys`) fails again after
        # as many checks (the rounds and the late stage ask the same pairs, the year's last
        # month each swap's week): answered from memory, its checks counted as spent, its
        # places given up and taken back as the search does (the holders' sets in the order
        # and the sums to the bit it leaves)
        keys = self._reshare_keys(a, b, m, plan, places)
        started = self.checks
        spent = next((self.reshares_failed[key] for key in keys if key in self.reshares_failed),
                     None)
        if spent is not None and started + spent < stop:
            mark = len(self.log)
            for _, i, _ in before:
                self.unassign(i)
            self.rollback(mark)
            self.checks = started + spent
            return False
        priced = self.leaves_priced
        done = self._reshare_places(a, b, places, before, stop, m, plan)
        if not done and self.checks < stop:  # not cut short: a later ask ends the same way
            self.reshares_failed[keys[self.leaves_priced > priced]] = self.checks - started
        return done

    def _reshare_keys(self, a: int, b: int, m: int, plan: set[int] | None,
                      places: list[int]) -> tuple[tuple, tuple]:
        """What a week's re-share reads, twice. Up to its first leaf priced (every leaf
        before it filled too few places, left a shift with nobody, gave b no more hours than
        b held, or for a count held other shifts than before): the two people (b is of a's
        group, or a), the places, who holds them and how many seats of their shifts are
        filled (`staffed`), the two's hours (what orders the tries, to the bit) and their
        shifts near the places (`_timeline_near`: what the rules read). With its pricing:
        the loads of everyone in their group, to the bit, and what each holds (`version`
        hashes a person's places: a key no wider than the loads alone). A search that priced
        no leaf is remembered by the first: the late stage asks the rounds' pairs again
        after others of the group moved (M at half its staff, seed 0, December by month: 13
        searches run of 26, the same checks counted)."""
        group = self.groups[self.group_of[a]]
        cells = sorted({self.positions[i].key[:3] for i in places})
        asked = (a, b, m, None if plan is None else frozenset(plan), tuple(places),
                 tuple([self.assigned[i] for i in places]),
                 tuple([self._filled_seats(cell) for cell in cells]),
                 self.loads[a][HOURS], self.loads[b][HOURS],
                 self._timeline_near(a, places), self._timeline_near(b, places))
        return asked, (*asked, tuple([self.version[s] for s in group]),
                       tuple([value for s in group for value in self.loads[s]]))

    def _timeline_near(self, s: int, places: list[int]) -> tuple:
        """What s's timeline answers of the `places`' shifts (`Timeline.conflict`): s's
        shifts within the rest of them (overlap, rest) or within a run's length of their
        days (days and nights in a row), and s's hours in their weeks. All of s's shifts
        where two of them overlap (a roster kept as it was edited): `conflict` reads a
        shift's neighbours in start order, which may then lie anywhere."""
        timeline, works = self.timelines[s], self.works
        first = min(works[i].start for i in places) - timeline.rest
        last = max(works[i].end for i in places) + timeline.rest
        reach = max(timeline.most_days, timeline.most_nights)
        low = min(works[i].day for i in places) - reach
        high = max(works[i].day for i in places) + reach
        near, ends, overlap = [], 0, False
        for work in timeline.works:
            overlap = overlap or work.start < ends
            ends = max(ends, work.end)
            if work.end > first and work.start < last or low <= work.day <= high:
                near.append(id(work))
        if overlap:
            near = [id(work) for work in timeline.works]
        weeks = sorted({week_of(works[i].day) for i in places})
        return tuple(near), tuple([timeline.weeks.get(week) for week in weeks])

    def _reshare_places(self, a: int, b: int, places: list[int],
                        before: list[tuple[int, int, int]], stop: int, m: int,
                        plan: set[int] | None) -> bool:
        """`_reshare_weeks` once its places are listed: the search, and its find applied."""
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
        # one re-planning alone fills a place more: J rises with any place filled, the least
        # loaded's hours nearer the rest are the gain (`_replan`)
        baseline = float("inf") if a == b else self.change_cost(before)
        found = self._search_week(places, (a, b), before, baseline,
                                  self._count_gaps(a, before), stop, staffed, m, gap, plan)
        self.rollback(mark)
        return found is not None and self.apply([(s, i, -1) for s, i, _ in before]
                                                + [(s, i, 1) for s, i in found])

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
                     below: float = 0.0, plan: set[int] | None = None
                     ) -> list[tuple[int, int]] | None:
        """Depth first over places in start order, each to one of `people` (a, b) or left
        open: of the leaves filling as many places as `before` where b gains hours (for a
        count m: as many of each shift, the group's gap of m below `below`, the gap before)
        and the cost falls below `baseline`, the one that widens the group's counts (`gaps`)
        least, then costs least. For a count whoever held a place is tried first there (few
        changes first) and a place open before is first left open. One person alone (a == b)
        may fill one place more; off the days of `plan`, a place is first left open."""
        need = len(before)
        alone = people[0] == people[1]  # one person re-planning alone may fill one place more
        best: list = [(float("inf"), baseline), None]
        group = self.groups[self.group_of[people[0]]]
        least = sum_in_order(self.works[i].hours for s, i, _ in before if s == people[1]) + EPSILON
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
        nodes = [budgets.RESHARE_NODES]
        weeks = sorted({week_of(self.works[i].day) for i in places})
        week_index = {i: weeks.index(week_of(self.works[i].day)) for i in places}
        shortest = min(self.works[i].hours for i in places)
        left = [[0] * len(weeks) for _ in range(len(places) + 1)]  # places from k on, a week
        for k in range(len(places) - 1, -1, -1):
            left[k] = list(left[k + 1])
            left[k][week_index[places[k]]] += 1

        # each of them once (one re-planning alone counted once): the week's limit and the
        # timeline's hours by week (what `_hours_left` reads); how many of the shortest
        # places each week's hours leave each of them (`parts`) and the two together
        # (`spare`), worked out again for the one whose try changes that week
        hours = [(self.members[s].limits.max_hours_per_week, self.timelines[s].weeks)
                 for s in dict.fromkeys(people)]
        person = {s: p for p, s in enumerate(dict.fromkeys(people))}

        def spare_of(p: int, week: int) -> int:
            most, worked = hours[p]
            return int((most - worked.get(week, 0.0) + EPSILON) // shortest)

        parts = [[spare_of(p, week) for week in weeks] for p in range(len(hours))]
        spare = [sum(part[n] for part in parts) for n in range(len(weeks))]

        # what each place of the search is, looked up once: its work, week, shift and role
        # (`kind`), cell (day, shift, role) and who may take it
        works = [self.works[i] for i in places]
        week_of_place = [week_index[i] for i in places]
        kinds = [self.positions[i].key[1:3] for i in places]
        cell_of = {i: self.positions[i].key[:3] for i in places}
        takers = [self.eligible_set[i] for i in places]

        # places are tried on the two timelines alone (what the rules and `room` read), each
        # try counted as `assign` and `unassign` count theirs; the loads are only read as if
        # the places were held at a leaf (`as_if_held`), and the hours loads that order the
        # people at each place kept here, summed as `assign` would sum them
        loaded = {s: self.loads[s][HOURS] for s in people}
        amounts = self.amounts

        def leaf() -> None:
            """A leaf filling as many places as before: where b gains hours (for a count, as
            many of each shift are held), priced as the same change of J as the baseline,
            from the loads without its places; elsewhere never kept, counted as the pricing
            would count it."""
            if m == HOURS and sum_in_order(self.works[i].hours for s, i in chosen
                                  if s == people[1]) <= least \
                    or m != HOURS and have != wanted:
                self.checks += 1
                return
            self.leaves_priced += 1
            with self.as_if_held(chosen):
                # held now: taken off, the change from the loads without them
                cost = -self.change_cost([(s, i, -1) for s, i in chosen])
                if m != HOURS and self._gap(group, m) >= below - EPSILON:
                    return
                if cost < baseline - EPSILON and (best[0][0] > 0 or cost < best[0][1]):
                    wider = sum_in_order(max(0.0, after - gap) for after, gap
                                in zip(self._count_gaps(people[0], ()), gaps))
                    if (wider, cost) < best[0]:
                        best[0], best[1] = (wider, cost), list(chosen)

        # per place, the people tried in order, those who may take it (`takers`) only: for
        # hours, the less loaded first (a on a tie), or a alone, reversed off the plan's days;
        # for a count, whoever held it first (an open one first left open)
        a, b = people
        by_load = []  # per place: (a first, b first)
        for k, i in enumerate(places):
            if m == HOURS:
                if alone:
                    orders = ([a, None], [a, None])
                else:
                    orders = ([a, b, None], [b, a, None])
                if plan is not None and works[k].day not in plan:
                    orders = tuple(order[::-1] for order in orders)
            elif i in held:
                orders = ([held[i], people[held[i] == a], None],) * 2
            else:
                orders = ([None, *people],) * 2
            by_load.append(tuple([s for s in order if s is None or s in takers[k]]
                                 for order in orders))
        size, most_chosen, counting = len(places), need + alone, m != HOURS
        timelines = {s: self.timelines[s] for s in people}

        def visit(k: int) -> None:
            """How many more places the weeks' hours leave the two of them from place k on
            (`left[k]` against `spare`) and the people's order written out here (the same
            sums, the same tries in the same order): a short month's re-share visits
            thousands of nodes."""
            nodes[0] -= 1
            if nodes[0] < 0 or self.checks >= stop or len(chosen) > most_chosen:
                return
            if k < size:
                total = 0
                for places_left, most in zip(left[k], spare):
                    total += places_left if places_left < most else most
                if len(chosen) + total < need:
                    return
            if counting:
                ahead = later[k]
                for kind, needed in wanted.items():
                    if have.get(kind, 0) + ahead.get(kind, 0) < needed:
                        return
            if k == size:
                if len(chosen) < need or len(staffed[0] | {
                        cell_of[i] for _, i in chosen}) < staffed[1]:
                    return
                leaf()
                return
            i, work, kind = places[k], works[k], kinds[k]
            first_a, first_b = by_load[k]
            choices = first_b if loaded[b] < loaded[a] else first_a
            n = week_of_place[k]
            week = weeks[n]
            for s in choices:
                if s is None:
                    visit(k + 1)
                    continue
                if counting and have.get(kind, 0) >= wanted.get(kind, 0):
                    continue
                timeline = timelines[s]
                if timeline.blocks(work):
                    self.checks += 1  # as `conflict` counts it
                    continue
                self.checks += 2  # ... and as `assign` counts it, and `unassign` below
                timeline.add(work)
                p = person[s]
                part = parts[p]
                most, worked = hours[p]
                spared = part[n]
                part[n] = int((most - worked.get(week, 0.0) + EPSILON) // shortest)
                spare[n] += part[n] - spared
                amount = amounts[i][HOURS]
                loaded[s] += amount
                chosen.append((s, i))
                have[kind] = have.get(kind, 0) + 1
                visit(k + 1)
                have[kind] -= 1
                chosen.pop()
                loaded[s] -= amount
                self.checks += 1
                timeline.remove(work)
                spared = part[n]
                part[n] = int((most - worked.get(week, 0.0) + EPSILON) // shortest)
                spare[n] += part[n] - spared

        visit(0)
        return best[1]

    def _open_like(self, i: int, b: int) -> list[int]:
        """Open places of the same shift and role as i, no later seat, that b may take: a
        short-staffed month keeps its coverage while the work moves from one person to another."""
        p = self.positions[i]
        start = self.works[i].start
        return sorted((k for k in self.open_near(i, start)
                       if self.assigned[k] is None and self.positions[k].seat <= p.seat
                       and b in self.eligible_set[k]),
                      key=lambda k: abs(self.works[k].start - start))

    def start_levelling(self) -> None:
        """What levelling, cover and raise read: the open places by shift, the places that
        carry each metric, and how near each metric's loads count as level."""
        self.open_by_shift = self._open_places()
        self.with_metric = [[i for i in self.active if i not in self.fixed
                             and self._amount(i, m) > 0] for m in range(len(METRICS))]
        # counts level to 0; hours to within the shortest shift (whole shifts move)
        self.good_enough = [EPSILON] * len(METRICS)
        # a group's hours spread before the late stage's first re-plan of it (`cover`)
        self.apart_before_late: dict[int, float] = {}
        self.shortest = min((self.works[i].hours for i in self.with_metric[HOURS]),
                            default=0.0)
        self.good_enough[HOURS] = self.shortest / self.hours_unit + EPSILON
        # each person's own shortest shift: a guard on 12 h shifts works at most four in 48 h,
        # though the site's cleaners work 8 h (`_run_plan`)
        by_role: dict[str, float] = {}
        for i in self.with_metric[HOURS]:
            role = self.positions[i].role
            by_role[role] = min(by_role.get(role, self.works[i].hours), self.works[i].hours)
        self.shortest_of = [min((by_role[role] for role in member.roles if role in by_role),
                                default=self.shortest) for member in self.members]
