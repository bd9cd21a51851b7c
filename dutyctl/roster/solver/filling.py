"""Filling the places: the greedy pass, repair chains, the last cover chains, re-packs."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from itertools import combinations
from math import inf as INF

from dutyctl.roster.coverage import uncovered_spans
from dutyctl.roster.rules import METRICS
from dutyctl.roster.timeline import Conflict, sum_in_order, week_of
from dutyctl.roster.solver import budgets
from dutyctl.roster.solver.state import EPSILON, HOLIDAYS, HOURS, NEAR_SECONDS, NIGHTS, ON_CALL, \
    PAIRWISE, WEEKENDS, LevelBudget, State


def remembering_free(method: Callable) -> Callable:
    """`method` run with `free_known` kept (`Filling._free_without`) and dropped after it,
    however it ends: what s is free to take is remembered only while nothing but the
    method's own moves (each of which changes s's `version`) changes the timelines."""
    @wraps(method)
    def run(self, *args, **kwargs):
        self.free_known = {}
        try:
            return method(self, *args, **kwargs)
        finally:
            self.free_known = None
    return run


class Filling(State):
    # whether the weeks around hold an extra seat (`_spare_near`), while `seat_lone_shifts`
    # runs; None elsewhere
    spare_known: dict[tuple[int, bool, str | None, int], bool] | None = None

    def greedy(self) -> None:
        """First seats of every shift before second ones: when staff run short, each shift
        keeps someone (a night is not left empty for a third day seat), the days ahead's
        too, as a joint run of the period and the next gives them."""
        positions = self.positions
        for i in self._fill_order(self.active):
            if i >= self.planned and positions[i].seat and self._own_open():
                break  # the days ahead's extra seats take only what the period's own leave
            if self.assigned[i] is None:
                s = self.best_candidate(i)
                if s is not None:
                    self.assign(s, i)

    def _own_open(self) -> bool:
        """Is a place of the period itself (not of the days ahead) open? Then the days
        ahead's extra seats are not planned: reserving hours for them would cost the period its
        own coverage."""
        return any(self.assigned[i] is None for i in self.active if i < self.planned)

    def _fill_order(self, places) -> list[int]:
        """The order places are filled in: first seats of every shift before second ones
        (when staff run short, each shift keeps someone: a night is not left empty for a
        third day seat), the days ahead's first seats among them, as a joint run of the
        period and the next orders them, their extra seats last; then by start, the places
        with the fewest candidates first. The period's own places all first (as before
        2026-12-03) used up a short-staffed period's hours of the week that crosses its end
        on its own last days, and the next roster found nobody for its first days' shifts:
        L at half its staff month by month, seeds 0-4, left 28, 24, 24, 26, 26 shifts of the
        year with nobody of their role (02-01 with 5 places, 16 at once), none at once; with
        the days ahead's first seats in this order 0, 1, 2, 0, 1 (with `seat_lone_shifts`
        after it, 0 on every seed). The period gives up extra seats of its last days for
        them: a month alone may fill fewer places than before, the year month by month
        about as many (8,126 against 8,134 on seed 0, 8,093 at once). The variants measured
        before are in docs/performance-history.md."""
        rank = self.fill_rank
        if rank is None:  # each place's rank in that order, worked out once (it never moves)
            positions, eligible, planned = self.positions, self.eligible, self.planned
            ordered = sorted(range(len(positions)),
                             key=lambda i: (i >= planned and positions[i].seat > 0,
                                            positions[i].seat, positions[i].start_ts,
                                            len(eligible[i]), i))
            rank = self.fill_rank = [0] * len(positions)
            for n, i in enumerate(ordered):
                rank[i] = n
        return sorted(places, key=rank.__getitem__)

    def _left_open(self) -> list[int]:
        """The open places repair works on, in fill order: the period's own and the days
        ahead's first seats; the days ahead's extra seats only once the period's own are all
        filled."""
        ahead, positions = not self._own_open(), self.positions
        return self._fill_order(i for i in self.active if self.assigned[i] is None
                                and (ahead or i < self.planned or not positions[i].seat))

    @remembering_free
    def repair(self) -> None:
        """Ejection chains for the unfilled places, most covering first (a lone place on its
        shift before an extra seat), within the per-place and the whole-solve effort; none
        for a place its week's capacity rules out; none at all where its one-step chains
        would spend the whole effort filling nothing (`_stuck`), nor after a place of the
        days ahead it filled where the rest of its one-step pass would. The days ahead's
        first seats come before the period's second seats in the fill order, and a proof
        stops at the first place a chain may fill: S at half its staff, November generated
        first, filled 6 December's night in 30 checks, then spent 6,500 on 24 second seats
        no one-step chain fills. Not after a place of the period: the repairs it cut
        short moved 7 of L's 20 month-by-month years, by the last bits of float loads a
        failed chain's undoing gives back (docs/performance-history.md, session 63)."""
        if self.repair_effort > 0 and self._stuck(self._left_open()):
            self.repair_effort = 0
        for depth in (1, 2):  # one-step chains for every place before deeper ones
            order, fillable = self._left_open(), None
            for n, i in enumerate(order):
                effort = min(budgets.REPAIR_BUDGET, self.repair_effort)
                if effort <= 0:
                    break
                if self.assigned[i] is not None or not self.may_fill(i):
                    continue
                if depth > 1:
                    fillable = self._fillable(order if fillable is None else fillable)
                    if len(fillable) <= budgets.RESCUE_PLACES:
                        break  # few enough for the rescue's deeper chains: they take them
                self.log.clear()
                before = self.checks
                filled = self._place(i, depth, {i}, [self.checks + effort])
                self.repair_effort -= self.checks - before
                if filled and depth == 1 and i >= self.planned and self.repair_effort > 0 \
                        and self._stuck(order[n + 1:]):
                    self.repair_effort = 0
        self._rescue()
        self.log.clear()

    def _stuck(self, order: list[int]) -> bool:
        """Would the repair's one-step pass over `order` spend its whole effort filling
        nothing? Plays that pass on a copy of the effort: each place in order must be proven
        unfillable by a one-step chain (`_one_step`) and costs the fewest checks the pass
        would spend on it; true when the effort runs out before a place one may fill (the
        old repair filled nothing then, and its deeper chains never ran: the roster is the
        same). A month so short of staff spent the whole effort on its first weeks: S at half
        its staff 6,170 checks on 23 places, M at half 12,826 on 33 (the one place a chain
        fills, the last day's second day guard, was never reached). With effort left the
        repair runs, two people exchanging places may fill where one-step chains cannot;
        what the proof read then (about 1,000 checks at most) is spent for nothing."""
        order = [i for i in order if self.assigned[i] is None and self.may_fill(i)]
        known: dict[int, bool] = {}
        effort = self.repair_effort
        for i in order:
            if effort <= 0:
                break
            spent = self._one_step(i, known)
            if spent is None:
                return False
            effort -= min(budgets.REPAIR_BUDGET, effort, spent)
        return bool(order) and effort <= 0  # effort left: deeper chains may fill with it

    def _one_step(self, i: int, known: dict[int, bool]) -> int | None:
        """None where a one-step chain may fill i, else the fewest checks `_place(i, 1)`
        spends failing (the roster is left as it was). The chain gives i to a candidate s
        once s gives up places R (`_removals`), each then taken at once by whoever can. Not
        all of R can go back to s (s could not hold i with them), and a hard-rule check
        reads the one person's own shifts, which only grow in the chain: whoever else takes
        a place of R could take it as the roster stands, and s must take i without the ones
        it gives away. So it fills i only where all of some R are movable and s, without
        them, can take i (R's places s takes back make another removal, tried too). Where
        s is free without R but some of R nobody else takes, the chain takes i and offers R's
        places in vain: `_offers` counts that."""
        spent = 3 * len(self.eligible[i])  # who can take i at once, then the candidates' order
        for s in self.eligible[i]:
            spent += 1
            for removal in self._removals(s, i, {i}):
                if not removal:
                    return None  # s can take i at once
                spent += 2 * len(removal) + 1  # given up, i checked, given back
                if not self._free_without(s, i, removal):
                    continue
                if all(self._movable(j, known) for j in removal):
                    return None
                # s takes i and the chain then offers R's places in turn, in vain (a count
                # returned proves no chain fills i): i taken and given back, the offers
                spent += 2 + self._offers(s, i, removal, known)
        return spent

    def _offers(self, s: int, i: int, removal: tuple[int, ...], known: dict[int, bool]) -> int:
        """The fewest checks a failing chain spends offering the places s gave up for i, one
        at a time (`_place(j, 0)`: each candidate priced, then checked until one is free),
        stopping at the first nobody takes. One nobody can take (not `_movable`, nor s back
        while it holds i) costs both in full; one someone may take at least its pricing, a
        check, taking it and giving it back, or, where it fails after all, both in full.
        Without them `_stuck` read a quarter of what a place cost (M at three quarters of
        its staff, October: about 220 checks a place where the repair spent 850) and let a
        repair run that spent its whole effort filling nothing."""
        *before, last = removal
        least = 2 * len(self.eligible[last])  # the offers from j on, at least: the last fails
        for j in reversed(before):
            candidates = len(self.eligible[j])
            if self._movable(j, known) or self._free_without(s, j, removal, (i,)):
                least = min(2 * candidates, candidates + 3 + least)
            else:
                least = 2 * candidates
        return least

    @remembering_free
    def cover(self) -> None:
        """After levelling, each place still open gets one ejection chain of up to two steps
        (a candidate gives up one shift, whose new holder may give up one more), kept only if
        every comparable group's spread ends no wider than before (the loads it moved are
        levelled a few times first). The repair before levelling shares a fixed effort in fill
        order, which a short-staffed month spends on its first weeks; here places no chain can
        fill (`_may_cover`), and other seats of a shift whose chain just failed, are passed
        over, so the effort reaches the later weeks too.
        A group whose hours levelling's late stage narrowed by a re-plan (`_replan`,
        `apart_before_late`) may end up to COVER_GIVE_BACK of the site's shortest shifts apart
        here (L at half its staff, seed 4: the technicians 12 h apart, no longer 24 h, left the
        chains 41 places instead of 44; 8,097 places with this, at 12 h), and the places still
        open then get augment's searches once more (an effort of their own) with its hours
        allowed back to its spread before its first late re-plan: coverage first (seed 2: a
        guard's place that only the most loaded can take; 8,096 -> 8,105 places, the guards 12
        -> 24 h apart again). Then the least loaded re-plan once more, taking first
        (`level_hours_covered`): seed 2's guards 12 h apart (8,107 places since 2026-12-05).
        The second pass runs only where some group's spread before the re-plans is wider
        than the first pass allowed it (its limit, or its gap now): L at three quarters of
        its staff, seed 4, the clerks were 14 h apart before their late re-plan and the
        first pass allowed 14 h already (COVER_GIVE_BACK: 16), so the second pass had the
        first one's limits: a full effort more (0.9 s; the run took 2.4x the staffed L's
        time) for 50 places that more effort alone gives. Seed 2 at half its staff still
        runs it: its guards 24 h apart before, 16 h allowed in the first pass. It allows
        back only those groups' hours; every other spread is held where the first pass left
        it (seed 4 at half its staff: the first pass brought the guards from 24 h to 12 h
        apart, and a second pass at the cover's first limits gave them 24 h again for 2
        places)."""
        effort = self.checks + budgets.COVER_EFFORT * len(self.active)
        limit = self._spread_limits()
        for g, apart in self.apart_before_late.items():
            limit[(g, HOURS)] = max(limit[(g, HOURS)],
                                   min(apart, budgets.COVER_GIVE_BACK * self.good_enough[HOURS]))
        active = set(self.active)
        # mending by moves and trades, no re-sharing allowance: a week costs more than a place
        budget = LevelBudget(effort)
        self._each_open(effort, self._may_cover, lambda i, _until: (
            self._place(i, 2, {i}, [min(effort, self.checks + budgets.COVER_BUDGET)], pairs=False)
            and self._mend(limit, active, self._mending(budget), bounded=True)))
        self._augment(limit, active)
        if self.apart_before_late:  # coverage first: back to the spread before the re-plans
            if any(apart > max(limit[(g, HOURS)], self._gap(self.groups[g], HOURS)) + EPSILON
                   for g, apart in self.apart_before_late.items()):
                # every other spread held where the first pass left it
                again = self._spread_limits()
                for g, apart in self.apart_before_late.items():
                    again[(g, HOURS)] = max(again[(g, HOURS)], apart)
                self._augment(again, active)
            self.level_hours_covered(active)

    def top_up(self) -> None:
        """Last, in a month that continues its year: each place still open goes to the
        candidate it costs least who can take it breaking no hard rule, where no count's
        spread in the candidate's group ends wider than before (or than levelling accepts)
        and, while months of the year are still to come (`year_goes_on`: no roster covers a
        later day of the year yet), the hours' spread at most the place's own hours wider.
        The month's phases keep every group's spread where it was over the year so far, so a
        month left places open that someone with hours to spare could take breaking no hard
        rule (L at half its staff, seed 0: 172 over the year month by month, 28 at once), most
        of them only because it would put that person a shift above the group's hours so far;
        the next month's fill, weighing the year's loads, levels that back. A month generated
        again once a later one exists (new rules, --force) widens no spread: nothing levels
        it back (L at half its staff, February between January and March: a group's hours
        from 12.9 to 20.2 h for one place). Not in the ISO week that crosses into the next
        month while its days are still to be planned (`crossing`: its hours are that month's
        days' too: topping it up cost L's seed 4 eighteen places over the year); a roster
        that covers them holds the fill to its shifts by the hard rules (they are in
        `history`). Nor in a period generated alone (at once, L's hours spread widened from
        24 to 32 h for 4 places).
        L at half its staff, seeds 0-4, month by month: 8,076, 8,083, 8,077, 8,076, 8,098
        places before, 8,100, 8,097, 8,100, 8,108, 8,096 now, at once 8,091, 8,061, 8,097,
        8,093, 8,086."""
        if not self.continues_year:
            return
        limit = self._spread_limits()
        for i in self._left_open():
            if i >= self.planned or self.assigned[i] is not None or not self.may_fill(i) \
                    or week_of(self.works[i].day) == self.crossing:
                continue
            free = [s for s in self.eligible[i] if not self.blocked(s, i)]
            for _, _, s in self.ranked(i, free):
                self.assign(s, i)
                if self._stays_level(s, i, limit):
                    break
                self.unassign(i)
        self._repack_teams(limit)
        self.log.clear()

    def fill_open(self, places: set[int] | None = None) -> None:
        """Last, in a month that continues its year: coverage first. Each place of the period still
        open gets a breadth-first chain of up to CHAIN_DEPTH people (`_chain`), fairness not
        consulted, within FILL_EFFORT checks per position (at least FILL_FLOOR); where that
        filled a place, levelling runs again (its moves, swaps and trades keep as many places
        filled: a place may open for one like it), then the weeks still open are re-packed
        (`_repack_wider`). `places`: chains start from these alone (the places
        `seat_lone_shifts` gave up), and no re-pack follows. No chain starts in the ISO week
        crossing into days still to be planned (`crossing`, as `top_up`; a chain may move a
        place of it from one person to another). A continuing month's fill phases hold every
        spread to the year so far's, which its own levelling packed tight: a fill the joint run
        mends anywhere in the year is refused, and the places stay open (L at a quarter of its
        staff, seeds 0-4: 4,162, 4,167, 4,163, 4,165, 4,158 places by month against 4,184,
        4,192, 4,200, 4,190, 4,207 at once; now 4,200, 4,211, 4,207, 4,197, 4,201 by month,
        spreads 1/2/24, 2/2/24, 1/2/24, 1/2/40, 1/2/36 against 1/2/24, 1/3/36, 1/2/36, 1/2/36,
        1/2/36 before). Not at once: there the same chains filled 5-29 more places (4,213,
        4,197, 4,225, 4,207, 4,214) but widened spreads that were 0 apart (nights 1, weekends
        1-2, hours 12 -> 24-36 h); with those changes kept for only the places a chain or the
        top-up had found someone for, 2-8 more, and spreads as wide; M at three quarters spent
        27,000 more checks filling nothing (over twice the staffed M's)."""
        if not self.continues_year:
            return
        may = lambda i: i < self.planned and self.may_fill(i) and (  # noqa: E731
            week_of(self.works[i].day) != self.crossing) and (places is None or i in places)
        before = self._filled()
        effort = self.checks + max(budgets.FILL_EFFORT * len(self.active), budgets.FILL_FLOOR)
        self._each_open(effort, may, lambda i, until: self._chain(i, until))
        if self._filled() > before:
            self.level()
        if places is None:
            self._repack_wider()

    def _repack_wider(self) -> None:
        """The end of `fill_open`: each role's week still open re-packed by two people
        (`_repacks`, as augment's), each kept where every group's hours mend back to at most
        one shortest shift above the wider of their spread now and one shift (what levelling
        calls level), a count no wider (one apart where the change moved the group's total);
        the re-packs leave the ISO week crossing into the next month out (as the chains),
        and levelling runs again where one filled a place (its swaps may move places of that
        week from one holder to another, as after the chains). A pair augment tried on the
        same holdings is not tried again (`tried`, shared), though the limit is looser here:
        a memo of its own spent the effort on pairs that failed again (L at three quarters
        of its staff by month, seeds 0-4: 12,156-12,180 places, not 12,162-12,194).
        In the year's last month the weeks still open are then re-packed with the week
        before them, within the same effort: a place a week's own re-packs cannot fill for
        rest or a run of days that began the week before (S at half its staff, December
        after November, seed 0: a clerk working Friday 25 to Tuesday 29 December is refused
        Wednesday 30, and the year month by month filled 223 places against 224 at once;
        224 now). In every continuing month they filled more places (L, seeds 0-4, by month:
        96 more over the 15 years) but moved the months after: L at half its staff, seed 3,
        ended a shift with nobody, L at a quarter and three quarters on seed 2 and at half on
        seed 1 with weekends or nights wider; in the year's last month alone every L, M and S
        year by month fills as many places or more, with the same spreads
        (docs/performance-history.md)."""
        limit = self._spread_limits(beyond=True)
        until = self.checks + max(budgets.FILL_REPACK_EFFORT * len(self.active),
                                  budgets.FILL_FLOOR)
        filled = self._repacks(limit, set(self.active), LevelBudget(until), (2,),
                               leave=self.crossing)
        if self.ends_year:
            filled |= self._repacks(limit, set(self.active), LevelBudget(until), (2,),
                                    leave=self.crossing, with_before=True)
        if filled:
            self.level()

    def _spread_limits(self, beyond: bool = False) -> dict[tuple[int, int], float]:
        """Each group's spread of each count weighed, as it is now but at least what levelling
        calls level (`good_enough`: counts 0 apart, hours one shortest shift): the limit a
        phase's changes mend back to; `beyond`: one such step more (`_repack_wider`)."""
        return {(g, m): max(gap, self.good_enough[m]) + (self.good_enough[m] if beyond else 0.0)
                for (g, m), gap in self._every_gap().items()}

    def seat_lone_shifts(self) -> None:
        """Last: a shift the period leaves with nobody of a role takes someone free for it,
        else someone of the role from another shift's extra seat in its week or near it, on
        site for on site and on call for on call (a place for a place, the seat left open
        its shift's last, `_vacate`), the cheapest first, each kept only where no count's
        spread ends wider and the hours' by at most one place's in all (`_keep_strict`).
        Where none of those is kept, someone gives up the places that block them, two up to
        LONE_BLOCKERS extra seats (`_cleared`: say a shift that used up their week's hours
        and one too soon after the night for the rest; a place less filled). Where none of
        them is kept so, coverage first: the cheapest of them all, or of the changes where
        the taker hands a place to a colleague (`_handed_on`), kept where the taker's
        group ends at most one shift further apart than before the step in each count and
        the hours (the step's fills together; the other groups no wider). That try (and
        the one after it) has at least MEND_BUDGET checks, whatever the phase has left: the
        fairer tries' mends may have spent it (a trial not on main, L at a quarter by month
        with lone colleagues levelled: 10,600 checks on one refused change, then 4 October's
        service night left with nobody). Once past the allowance, the next shifts with
        nobody get no try. M at half its
        staff at once, seeds 0, 1, 4, 10-04's technician night (国庆): 674 -> 675 places,
        78 -> 77 shifts with nobody, the two technicians, level before, a night, a weekend
        and holiday shift and 12 h apart, then raised back to 0 nights and weekends apart
        (the roster's spreads 1/0/6, 1/0/6, 1/0/3 -> 1/0/12; the raise 0.1% more checks);
        L at half, seed 1, month by month: 08-02's service night, whose only taker gives
        up two day shifts and ends two nights above the group's least (one before),
        refused before.
        A night with nobody weighs more than a third day seat, as in the greedy's order,
        which the phases after it, counting places, may have traded away. Month by month the
        months' first days need it (L at half its staff, seeds 0-4, over the year: 0, 1, 2,
        0, 1 shifts with nobody of their role with the days ahead's first seats in the fill
        order alone, 0, 1, 1, 0, 0 with a place for a place, 0, 1, 0, 0, 0 with two given
        up, 0 with the last coverage-first try; 0 at once).
        The days ahead's shifts too (after the period in its last ISO week: planned, not
        kept): one the period's fill leaves with nobody takes someone the same way, free or
        giving up or handing on places of the period near it, so the period leaves the
        week's hours for it and the next month's roster finds them. L at a quarter of its
        staff, March to May month by month, seed 1: March planned Saturday 4 April's
        technician day with nobody, and April, its technicians' hours of that week spent,
        staffed the day and left the night with nobody. The year month by month, seeds 0-4:
        108, 108, 110, 110, 110 shifts with nobody of their role before, 108, 108, 108,
        109, 109 then, every place count the same, seed 2's holiday shifts 5 -> 4 apart,
        every other spread the same (at once 108, 108, 110, 108, 108; every S and M roster
        the same); 108 on each since the taker may give up extra seats around a handing on
        (`_handed_on(further=True)`) and the raise counts a seat taken by its holders
        (`State._seat_taken`)."""
        positions = self.positions
        metrics = tuple(m for m in range(len(METRICS)) if self.weights[m])
        limit = {(g, m): 0.0 for g in range(len(self.groups)) for m in metrics}
        active = set(self.active)
        budget = LevelBudget(self.checks + max(budgets.LONE_EFFORT * len(self.active),
                                                 budgets.LONE_FLOOR))
        # the spreads before any fill: the fills together widen a group's by at most one
        # place (the largest one taker's fill allows), not one place each
        since = self._every_gap()
        self.spare_known = {}  # nothing moves until a taker is kept
        try:
            for i in self._fill_order(self.active):
                if self.checks >= budget.until:
                    break
                if positions[i].seat or self.assigned[i] is not None \
                        or self._filled_at(i):
                    continue
                if self._seat_lone(i, limit, active, budget, since, metrics):
                    self.spare_known = {}
        finally:
            self.spare_known = None
        self.log.clear()

    def _seat_lone(self, i: int, limit: dict[tuple[int, int], float], active: set[int],
                   budget: LevelBudget, since: dict[tuple[int, int], float],
                   metrics: tuple[int, ...]) -> bool:
        """`seat_lone_shifts`' tries for the shift with nobody i, in order; whether one was
        kept. Each try not kept is undone, so the spreads are worked out once (`gaps`)."""
        gaps = {key: self._gap(self.groups[key[0]], key[1]) for key in limit}
        week, start = week_of(self.works[i].day), self.works[i].start
        on_call = self.positions[i].on_call  # never a seat on site for an on-call duty
        options = [(s, j) for s in self.eligible[i] for j in self.held[s]
                   if (week_of(self.works[j].day) == week
                       or abs(self.works[j].start - start) <= NEAR_SECONDS)
                   and self._spare(j, on_call, active)] \
            if self._spare_near(week, on_call, active, reach=2) else []
        changes = [[(s, i, 1)] for s in self.eligible[i]] + [
            [*vacate, (s, i, 1)] for s, j in options
            if (vacate := self._vacate(j)[0]) is not None]
        if self._seat_cheapest(i, changes, limit, active, budget, since, (HOURS,),
                               gaps) is not None:
            return True
        cleared = [change for s in self.eligible[i]
                   if (change := self._cleared(s, i, active)) is not None]
        if self._seat_cheapest(i, cleared, limit, active, budget, since, (HOURS,),
                               gaps) is not None:
            return True
        handed = self._handed_on(i, active)
        # coverage first: a shift with nobody weighs more than one shift's count, and the
        # fairer tries above, which may spend the phase's rest, never starve it
        first = LevelBudget(max(budget.until, self.checks + budgets.MEND_BUDGET),
                            settled=budget.settled)
        taker = self._seat_cheapest(i, changes + cleared + handed, limit, active, first,
                                    since, metrics, gaps)
        if taker is None:  # then the taker giving up extra seats around the handing on
            further = self._handed_on(i, active, further=True)
            taker = self._seat_cheapest(i, [change for change in further
                                            if change not in handed],
                                        limit, active, first, since, metrics, gaps)
        if taker is None:
            return False
        self._raise_widened(taker, since, active)
        return True

    def close_holes(self) -> None:
        """After the cover: the coverage rule's hours nobody on site covers (a hole in the
        day), each closed where a first seat of a shift with nobody of its role (a role the
        rule counts) spans it and someone takes that place, free for it or giving up the
        places that block them, each one whose time others cover (`_close_hole`): an office
        seat beside the day shift, a second seat. Levelling then runs again where a spread
        widened, and the holes it moved (a place left open for one like it on another day)
        are tried once more. The steps before count every place alike, and the greedy fill
        takes them as they start: on a site short of clerks the weekday offices used the
        week's hours and left weekend nights with nobody on site while the office stood
        staffed beside the day shift. No hole opens for one closed. Before the raise and the
        phases after it, which even out the counts the moves widened (M at a quarter of its
        staff: 26 holes, none now, one place fewer, its spreads 0/0/6 -> 0/0/3; after the
        shifts with nobody were seated, six places fewer and nights 1 apart). The days
        ahead's places too: month by month M at a quarter had left 1 November's night with
        nobody (23 h), none now. Figures: docs/performance-history.md."""
        if not self.rules.coverage.hours:
            return
        since = self._every_gap()
        if self._close_each_hole() and any(self._gap(self.groups[g], m) > gap + EPSILON
                                           for (g, m), gap in since.items()):
            self.level()
            self._close_each_hole()

    def _close_each_hole(self) -> bool:
        """Each open first seat whose time has a hole, the period's and the days ahead's (so
        the period leaves the week's hours for the next roster's first nights: November's
        1st, a Sunday, is in October's last ISO week), in fill order, while HOLE_EFFORT
        checks per position last (at least HOLE_FLOOR): `_close_hole`. Whether one was
        closed."""
        roles = self.rules.coverage.roles  # the roles whose places cover the hours
        lone = [i for i in self.active if not self.positions[i].seat
                and self.assigned[i] is None and i not in self.fixed
                and not self.works[i].on_call and not self._filled_at(i)
                and (roles is None or self.positions[i].role in roles)]
        holes = self._holes() if lone else []  # a staffed period: nothing to read
        if not holes:
            return False
        active, closed = set(self.active), False
        stop = self.checks + max(budgets.HOLE_EFFORT * len(self.active), budgets.HOLE_FLOOR)
        for i in self._fill_order(lone):
            if self.checks >= stop or not holes:
                break
            work = self.works[i]
            if self.assigned[i] is not None or self._filled_at(i) \
                    or not any(start < work.end and work.start < end for start, end in holes):
                continue
            if self._close_hole(i, active):  # what it gave up stays covered: i's time is not
                closed = True
                holes = [part for start, end in holes
                         for part in ((start, min(end, work.start)), (max(start, work.end), end))
                         if part[0] < part[1]]
        self.log.clear()
        return closed

    def _holes(self) -> list[tuple[int, int]]:
        """The stretches of the coverage rule's hours from the first place's start to the
        last one's end (the days ahead's too) that nobody on site covers (epoch seconds),
        the neighbouring rosters' shifts counted."""
        lo, hi = min(work.start for work in self.works), max(work.end for work in self.works)
        tz = self.positions[0].start.tzinfo
        return uncovered_spans(self.rules.coverage, self._covering(lo, hi), lo, hi, tz)

    def _close_hole(self, i: int, active: set[int]) -> bool:
        """i, an open place whose time has a hole, taken by someone free for it, else by
        someone who gives up the places that block them (`_cleared`, up to LONE_BLOCKERS),
        each a place of the period on site whose time stays covered with i filled
        (`_covered_without`): the fewest places left open first, then the cheapest (the
        change of J with the spreads' term). Whether one was made."""

        def spare(j: int) -> bool:
            return j < self.planned and j in active and j not in self.fixed \
                and not self.works[j].on_call and self._covered_without(j, i)

        options = [self._cleared(s, i, active, fewest=0, spare=spare) for s in self.eligible[i]]
        # places left open: those given up less those taken (i, and a vacated seat that its
        # shift's last holder moves into)
        for *_, change in sorted((sum(-sign for _, _, sign in change), self.change_cost(change),
                                  n, change) for n, change in enumerate(options) if change):
            if self.apply(change):
                return True
        return False

    def _covered_without(self, j: int, i: int) -> bool:
        """Would the coverage rule's hours within j's time stay covered without j, i
        filled?"""
        lo, hi = self.works[j].start, self.works[j].end
        return not uncovered_spans(self.rules.coverage, self._covering(lo, hi, (j,), (i,)),
                                   lo, hi, self.positions[i].start.tzinfo)

    def _spare_near(self, week: int, on_call: bool, active: set[int],
                    role: str | None = None, reach: int = 1) -> bool:
        """Is a place of the ISO week `week` or the `reach` weeks either side an extra seat
        (`_spare`), of `role` if given? Kept in `spare_known` while `seat_lone_shifts` runs
        (a try not kept is undone). M at a quarter of its staff has an extra seat near few
        of its shifts with nobody (at once, 5 of 278), and scanning three weeks' places for
        each was half of `seat_lone_shifts`' time in December generated alone. `reach` 2
        holds every place within NEAR_SECONDS of the week's."""
        key = (week, on_call, role, reach)
        known = self.spare_known
        if known is not None and key in known:
            return known[key]
        found = any((role is None or self.positions[k].role == role)
                    and self._spare(k, on_call, active)
                    for w in range(week - 7 * reach, week + 7 * reach + 1, 7)
                    for k in self.in_week(w) if self.assigned[k] is not None)
        if known is not None:
            known[key] = found
        return found

    def pack_weeks(self) -> None:
        """Last in each stage: in each ISO week with an open place of the period, each person
        who may take one (most hours left first) plans their own week's places on site anew
        for more places with the same hours, nights, weekend and holiday shifts
        (`_pack_week`): a second seat they hold may open where shorter places fill instead
        (two 12 h day seats for three 8 h office shifts, 24 h each way). The chains and
        re-packs keep each place a person held filled (`_repack_team`, which may open one,
        only where a role's staff are few), so hours left over under the weekly limit (45 of
        48 h in 12 h days and a 9 h office shift) stay too few for a place. Everyone's
        counts stay as they were, and so do their hours, except in a period that plans to
        31 December: there they may rise to those of their group's most loaded
        (`_hours_room`). The period's spreads stay. L at half its staff, seeds 0-4: 11-18
        places more at once, 13-27 month by month; with the room, 7-11 more at once (at
        three quarters 4-10; every S and M roster, and every spread, the same). The same
        search before levelling, more hours allowed, filled more (L at half its staff month
        by month about 60 a year) but left the year's weekends up to three apart where
        levelling could not even them back (docs/performance-history.md)."""
        active = set(self.active)
        until = self.checks + max(budgets.PACK_EFFORT * len(self.active), budgets.PACK_FLOOR)
        weeks: dict[int, set[int]] = {}
        for i in self.active:
            if i < self.planned and self.assigned[i] is None and self.week_slot[i] >= 0:
                weeks.setdefault(week_of(self.works[i].day), set()).update(self.eligible[i])
        for week, people in sorted(weeks.items()):
            view = self._week_view(week, active)
            for s in sorted(people, key=lambda s: (-self._hours_left(s, week), self.rank[s], s)):
                if self.checks >= until:
                    self.log.clear()
                    return
                if self._pack_week(s, view, min(until, self.checks + budgets.PACK_BUDGET)):
                    view = self._week_view(week, active)
        self.log.clear()

    def _week_view(self, week: int, active: set[int]) -> tuple:
        """What `_pack_week` reads of a week, once for all its people: the places on site
        each person holds that may change, the first open seat of each shift (and role) on
        site, and each shift's filled seats."""
        held: dict[int, list[int]] = {}
        first_open: dict[tuple, int] = {}
        filled: dict[tuple, int] = {}
        for i in self.in_week(week):
            cell, s = self.positions[i].key[:3], self.assigned[i]
            if s is not None:
                filled[cell] = filled.get(cell, 0) + 1
            if i >= self.planned or i not in active or i in self.fixed \
                    or self.positions[i].on_call:
                continue
            if s is not None:
                held.setdefault(s, []).append(i)
            elif cell not in first_open or self.positions[i].seat \
                    < self.positions[first_open[cell]].seat:
                first_open[cell] = i
        return held, first_open, filled

    def _pack_week(self, s: int, view: tuple, stop: float) -> bool:
        """s's places on site of a week (`view`, `_week_view`) and the open ones s may take
        (the first open seat of each shift s does not hold) chosen anew by a depth-first
        search (at most PACK_NODES calls, within `stop` in checks) on s's timeline alone,
        s's on-call duties kept: each place s held taken again or, where others hold seats
        of its shift, left open (its shift's last seat, `_vacate`; not where a later seat is
        fixed), a place less; each open place taken a place more; the choice with the most
        places more, one at least, the nights, weekend and holiday shifts s held and at
        least the hours, at most `_hours_room` more, is applied."""
        held_by, first_open, filled = view
        held = held_by.get(s, [])
        mine = {self.positions[i].key[:3] for i in held}
        extra = [i for cell, i in first_open.items()
                 if cell not in mine and s in self.eligible_set[i]]
        given = [i for i in held if filled[self.positions[i].key[:3]] > 1]
        room = self._hours_room(s, given, extra)
        if not _may_pack([self.works[i].hours for i in given],
                         [self.works[i].hours for i in extra], room):
            return False
        vacate = {i: changes for i in given if (changes := self._vacate(i)[0]) is not None}
        places = sorted([*held, *extra], key=lambda i: (self.works[i].start, i))
        opened = set(extra)
        least = sum_in_order(self.works[i].hours for i in held)
        most = least + room
        counts = _counts([self.positions[i] for i in held])
        # from each place on: how many open places, and the shortest of them (what the hours
        # not yet taken could buy at most)
        ahead = [0] * (len(places) + 1)
        shortest = [INF] * (len(places) + 1)
        for k in range(len(places) - 1, -1, -1):
            i = places[k]
            ahead[k] = ahead[k + 1] + (i in opened)
            shortest[k] = min(shortest[k + 1], self.works[i].hours if i in opened else INF)
        mark = len(self.log)
        for i in held:
            self.unassign(i)
        timeline, works = self.timelines[s], self.works
        best: list = [0, None]
        chosen: list[int] = []
        nodes = [budgets.PACK_NODES]

        def visit(k: int, gained: int, hours: float) -> None:
            nodes[0] -= 1
            if nodes[0] < 0 or self.checks >= stop or hours > most + EPSILON:
                return
            if gained + min(ahead[k], int((most - hours + EPSILON) / shortest[k])
                            if shortest[k] < INF else 0) <= best[0]:
                return
            if k == len(places):
                if hours >= least - EPSILON \
                        and _counts([self.positions[i] for i in chosen]) == counts:
                    best[0], best[1] = gained, list(chosen)
                return
            i = places[k]
            self.checks += 1
            if not timeline.blocks(works[i]):
                self.checks += 1  # as `assign` counts it, and `unassign` below
                timeline.add(works[i])
                chosen.append(i)
                visit(k + 1, gained + (i in opened), hours + works[i].hours)
                chosen.pop()
                self.checks += 1
                timeline.remove(works[i])
            if i in opened or i in vacate:
                visit(k + 1, gained - (i in vacate), hours)

        visit(0, 0, 0.0)
        self.rollback(mark)
        if best[1] is None:
            return False
        taken = set(best[1])
        changes = [change for i in held if i not in taken for change in vacate[i]]
        return self.apply(changes + [(s, i, 1) for i in best[1] if i not in held])

    def _hours_room(self, s: int, given: list[int], extra: list[int]) -> float:
        """The hours s may gain by packing a week anew (`_pack_week`: `given`, the places s
        may give up; `extra`, the open ones s may take), in a period that plans to 31
        December and where a place given up is longer than an open one (a 12 h day seat
        for 8 h offices; with shifts of one length it buys nothing but searches): up to
        the hours of the most loaded of s's group (each at the group's mean capacity, so no
        spread levelled widens), at most the week's hours s has left. 0 elsewhere, and
        where hours are not weighed (the loads then hold only the year's earlier months'):
        in a month that continues its year the weeks packed so moved what later months
        levelled (L at half its staff by month: the year's weekends 0 -> 1 apart on seeds
        0, 3 and 4)."""
        g = self.group_of[s]
        if g is None or not self.weights[HOURS] or not self.plans_to_year_end \
                or not given or not extra:
            return 0.0
        if max(self.works[i].hours for i in given) \
                <= min(self.works[i].hours for i in extra) + EPSILON:
            return 0.0  # no open place shorter than one given up: more hours buy nothing
        top = max(self._level(x, HOURS) for x in self.groups[g])
        room = (top - self._level(s, HOURS)) * self.hours_unit / self.scale[s]
        return max(0.0, min(room, self._hours_left(s, week_of(self.works[given[0]].day))))

    def _raise_widened(self, s: int, since: dict[tuple[int, int], float],
                       active: set[int]) -> None:
        """The counts of s's group a coverage-first fill left wider than `since`, raised
        back as at the stage's end (`_raise_group`: the ones below each take an open place
        like it; not in a month that continues its year)."""
        g = self.group_of[s]
        if g is not None:
            self._raise_group(self.groups[g], active, lambda m: since[(g, m)] + EPSILON)

    def _seat_cheapest(self, i: int, changes: list[list[tuple[int, int, int]]],
                       limit: dict[tuple[int, int], float], active: set[int],
                       budget: LevelBudget, since: dict[tuple[int, int], float],
                       wider: tuple[int, ...],
                       gaps: dict[tuple[int, int], float]) -> int | None:
        """`seat_lone_shifts`' try of `changes` (each ending in i's taker), the cheapest
        first, until one is kept: the taker's group at most one place further apart than
        `since` (the spreads before the step) in each of the `wider` metrics (a count by
        one, the hours by i's), the rest no wider than `gaps`, each spread before the try (a
        try not kept is undone). The taker kept."""
        place = {m: self._place_hours(i) if m == HOURS else 1.0 for m in wider}
        for _, _, change in sorted((self.change_cost(change), n, change)
                                   for n, change in enumerate(changes)):
            if self.checks >= budget.until:
                return None
            s, g = change[-1][0], self.group_of[change[-1][0]]
            ceiling = {} if g is None else {(g, m): since[(g, m)] + place[m] * self.scale[s]
                                            for m in wider if (g, m) in since}
            if self._kept(lambda: self.apply(change), limit, active, budget, strict=True,
                          ceiling=ceiling, gaps=gaps):
                return s
        return None

    def _place_hours(self, i: int) -> float:
        """The hours i adds to its holder's load, in `hours_unit`s; a place of the days
        ahead adds none (it carries no load: the next roster's), so it is priced as a
        place of the period as long would be (an on-call duty's, none: hours at home)."""
        if i < self.planned:
            return self._amount(i, HOURS)
        return 0.0 if self.positions[i].on_call else self.works[i].hours / self.hours_unit

    def _cleared(self, s: int, i: int, active: set[int], fewest: int = 2,
                 spare: Callable[[int], bool] | None = None
                 ) -> list[tuple[int, int, int]] | None:
        """The changes that free s for i by giving up the places that block it, one rule
        at a time (`_lifting`), `fewest` to LONE_BLOCKERS of them (two for a shift with
        nobody's taker: one is the place for a place tried before; none where s passes a
        place on, `_handed_on`), each an extra seat of its shift (`_vacate`; or one `spare`
        allows, asked with the ones before it given up), then s taking i; None where that
        cannot be."""
        if spare is None:
            spare = partial(self._spare, on_call=self.positions[i].on_call, active=active)
        mark, found = len(self.log), []
        try:
            for given in range(budgets.LONE_BLOCKERS + 1):
                conflict = self.conflict(s, i)
                if conflict is None:
                    return [*found, (s, i, 1)] if given >= fewest else None
                if given == budgets.LONE_BLOCKERS:
                    return None
                blockers = [j for j in self._lifting(s, i, conflict, set()) if spare(j)]
                vacate = self._vacate(blockers[0])[0] if blockers else None
                if vacate is None or not self.apply(vacate):
                    return None
                found += vacate
        finally:
            self.rollback(mark)

    def _handed_on(self, i: int, active: set[int],
                   further: bool = False) -> list[list[tuple[int, int, int]]]:
        """The changes that free one of i's candidates s for i by handing a place j that
        blocks s, its shift's only seat, to a colleague c, free for j as it is or once c
        gives up up to LONE_BLOCKERS extra seats (`_cleared`), then s taking i: one shift
        more with someone, and a place more, as many or one fewer (c gives up none, one or
        two). Only where a place of i's role in its ISO week or the weeks either side is an
        extra seat (the far short-staffed have none: S and M at a quarter of their staff).
        L at a quarter of its staff month by month, seed 1: May's generation, after April
        used the week's hours of 27-30 April, leaves 3 May's service night with nobody;
        sv05 hands its evening of the 3rd to sv03, who gives up an extra evening seat of
        the 1st (its week's hours) and a day of the 4th (rest), and takes the night.
        `further` (tried where none of those is kept): s may also give up the extra seats
        that block it first (up to LONE_BLOCKERS, as `_cleared`), and after the handing on
        those that still do (`_freed_too`): seed 4, sv05 held the 3rd's second evening seat
        (too near the night) and the 2nd's only evening one (the week's hours) and took the
        night once it gave up the first and handed on the second. Only then: listed with the
        others, they moved which change a shift with nobody got earlier in the month, and
        seed 1's night stayed empty."""
        on_call, role = self.positions[i].on_call, self.positions[i].role
        if not self._spare_near(week_of(self.works[i].day), on_call, active, role):
            return []
        found = []
        for s in self.eligible[i]:
            mark, given = len(self.log), []  # the extra seats s gave up first
            for _ in range(budgets.LONE_BLOCKERS + 1):
                conflict = self.conflict(s, i)
                if conflict is None:
                    break
                blockers = self._lifting(s, i, conflict, set())
                found += self._handing(s, i, given, blockers, active, further)
                if not further:
                    break
                spare = [j for j in blockers if self._spare(j, on_call, active)]
                vacate = self._vacate(spare[0])[0] if spare else None
                if vacate is None or not self.apply(vacate):
                    break
                given += vacate
            self.rollback(mark)
        return found

    def _handing(self, s: int, i: int, given: list[tuple[int, int, int]],
                 blockers: list[int], active: set[int],
                 further: bool) -> list[list[tuple[int, int, int]]]:
        """`_handed_on`'s changes for s, once the extra seats `given` are given up: each of
        `blockers` that is its shift's only seat handed to a colleague, then s taking i
        (`further`: giving up the extra seats that still keep s from it, `_freed_too`)."""
        on_call, found = self.positions[i].on_call, []
        for j in blockers:
            if j >= self.planned or j not in active or self.positions[j].on_call != on_call \
                    or self._spare(j, on_call, active):
                continue
            mark = len(self.log)
            self.unassign(j)
            for c in self.eligible[j]:
                if c == s or (freed := self._cleared(c, j, active, fewest=0)) is None:
                    continue
                taking = self._freed_too(s, i, freed, active) if further else [(s, i, 1)]
                if taking is not None:
                    found.append([*given, (s, j, -1), *freed, *taking])
            self.rollback(mark)
        return found

    def _freed_too(self, s: int, i: int, handed: list[tuple[int, int, int]],
                   active: set[int]) -> list[tuple[int, int, int]] | None:
        """s taking i once `handed` is made, giving up the extra seats that still keep s
        from it (`_cleared`); None where that cannot be."""
        mark = len(self.log)
        try:
            return self._cleared(s, i, active, fewest=0) if self.apply(handed) else None
        finally:
            self.rollback(mark)

    def _spare(self, j: int, on_call: bool, active: set[int]) -> bool:
        """May j's holder give it up for a shift with nobody (`seat_lone_shifts`): a place
        of the period being solved, not pinned, on site for on site and on call for on call,
        its shift still with someone else on it (`_filled_at`, inlined: asked of every place
        near each shift with nobody)."""
        return j < self.planned and self.cell_filled[self.cell_of[j]] > 1 \
            and j in active and j not in self.fixed and self.positions[j].on_call == on_call

    def _repack_teams(self, limit: dict[tuple[int, int], float]) -> None:
        """Last step of `top_up`: each role's week still with an open place its capacity
        allows, where the role's staff are few (at most TEAM_PEOPLE), is re-shared whole
        among all of them (`_repack_team`), kept where every spread mends back (`_kept`).
        Chains and re-packs by two or three keep every place the people held filled; at the
        end of a short-staffed period the one more place may need a place given up on one
        day for two taken on others, by several people at once (S at half its staff,
        November then December: rest and runs of nights held 2026-12-28..31 at 18 places,
        19 at once)."""
        active = set(self.active)
        effort = self.checks + budgets.TEAM_EFFORT * len(self.active)
        budget = LevelBudget(effort)
        weeks = {(week_of(self.works[i].day), self.positions[i].role)
                 for i in self._left_open()
                 if i < self.planned and self.assigned[i] is None and self.week_slot[i] >= 0
                 and self.may_fill(i) and week_of(self.works[i].day) != self.crossing}
        for week, role in sorted(weeks):
            if self.checks >= effort:
                break
            self._kept(lambda: self._repack_team(week, role, active, effort), limit, active,
                       budget)

    def _repack_team(self, week: int, role: str, active: set[int], stop: float) -> bool:
        """Everyone who may take the role's places of `week` shares them out anew so that
        more are filled (a place held before may be left open for two filled elsewhere):
        each person's possible weeks (the places they could take together, one seat of a
        shift each, against their shifts outside the week, at most TEAM_CHANGES places from
        what they held) are listed, then one is chosen per person, the ones nearest to what
        they held first, by a depth-first search that stops at the first share filling more
        (within TEAM_NODES, and `stop` in checks). Only where the team is small
        (TEAM_PEOPLE) and each person's possible weeks few (TEAM_WEEKS). A shift that kept
        someone keeps someone (`kept`): the places given up are second seats, never a
        shift's only one for later seats elsewhere (as the greedy pass, `repair` and
        `_spread_seats`: more places filled but a time with nobody on duty is worse). M at
        half its staff, seed 4, month by month: 677 places with the service desk empty on
        12-01's day and 12-02's night, 676 now with both staffed."""
        inside = [i for i in self.in_week(week) if i < self.planned and i in active
                  and i not in self.fixed and self.week_slot[i] >= 0
                  and self.positions[i].role == role]
        people = sorted({s for i in inside for s in self.eligible[i]},
                        key=lambda s: (self.rank[s], s))
        if len(people) > budgets.TEAM_PEOPLE:
            return False
        held = {i: self.assigned[i] for i in inside if self.assigned[i] is not None}
        cells: dict[tuple, list[int]] = {}
        for i in sorted(inside, key=lambda i: (self.works[i].start, i)):
            cells.setdefault(self.positions[i].key[:3], []).append(i)
        had = {s: {self.positions[i].key[:3] for i, h in held.items() if h == s}
               for s in people}
        mark = len(self.log)
        for i in held:
            self.unassign(i)
        options = {}
        for s in people:
            found = self._team_weeks(s, cells, had[s], stop)
            if found is None:
                self.rollback(mark)
                return False
            # nearest to what s held first, then the fullest
            options[s] = sorted(found, key=lambda cells_of: (len(had[s] ^ set(cells_of)),
                                                             -len(cells_of), cells_of))
        self.rollback(mark)
        need = {cell: len(places) for cell, places in cells.items()}
        count = dict.fromkeys(need, 0)
        kept = [cell for cell, places in cells.items() if any(i in held for i in places)]
        most = [max(len(option) for option in options[s]) for s in people]
        ahead = [sum(most[k:]) for k in range(len(people) + 1)]
        chosen: list[tuple] = []
        nodes = [budgets.TEAM_NODES]
        state = {"covered": 0, "unmet": sum(need.values())}

        def visit(k: int) -> bool:
            nodes[0] -= 1
            self.checks += 1
            if nodes[0] < 0 or self.checks >= stop:
                return False
            if k == len(people):
                return state["covered"] > len(held) and all(count[cell] for cell in kept)
            if state["covered"] + min(ahead[k], state["unmet"]) <= len(held):
                return False
            for option in options[people[k]]:
                gained = sum(1 for cell in option if count[cell] < need[cell])
                for cell in option:
                    count[cell] += 1
                state["covered"] += gained
                state["unmet"] -= gained
                chosen.append(option)
                if visit(k + 1):
                    return True
                chosen.pop()
                state["covered"] -= gained
                state["unmet"] += gained
                for cell in option:
                    count[cell] -= 1
            return False

        if not visit(0):
            return False
        changes = [(s, i, -1) for i, s in held.items()]
        taken: set[int] = set()
        for s, option in zip(people, chosen):
            for cell in option:  # the seat s held, else the first free (none: one too many)
                seats = [i for i in cells[cell] if i not in taken]
                seat = next((i for i in seats if held.get(i) == s), seats[0] if seats else None)
                if seat is not None:
                    taken.add(seat)
                    changes.append((s, seat, 1))
        return self.apply(changes)

    def _team_weeks(self, s: int, cells: dict[tuple, list[int]], had: set[tuple],
                    stop: float):
        """The sets of `cells` (one seat of each: its first) s could work together with
        everything s holds outside them, at most TEAM_CHANGES cells from `had` (what s
        held), the empty set included; None past TEAM_WEEKS sets or `stop`."""
        places = [seats[0] for seats in cells.values() if s in self.eligible_set[seats[0]]]
        found: list[tuple] = []
        taken: list[tuple] = []

        def visit(k: int, changes: int) -> bool:
            if len(found) > budgets.TEAM_WEEKS or self.checks >= stop:
                return False
            if changes > budgets.TEAM_CHANGES:
                return True
            if k == len(places):
                found.append(tuple(taken))
                return True
            i = places[k]
            cell = self.positions[i].key[:3]
            if not self.blocked(s, i):
                self.assign(s, i)
                taken.append(cell)
                ok = visit(k + 1, changes + (cell not in had))
                taken.pop()
                self.unassign(i)
                if not ok:
                    return False
            return visit(k + 1, changes + (cell in had))

        mark = len(self.log)
        ok = visit(0, 0)
        del self.log[mark:]
        return found if ok else None

    def _stays_level(self, s: int, i: int, limit: dict[tuple[int, int], float]) -> bool:
        """After s took i: s's group's spread of each count i adds to within `limit`, of
        the hours within it plus i's own hours while the year goes on (`top_up`)."""
        g = self.group_of[s]
        if g is None:
            return True
        return all(self._gap(self.groups[g], m)
                   <= limit[(g, m)] + (amount if m == HOURS and self.year_goes_on else 0.0)
                   + EPSILON
                   for m, amount, _ in self.deltas[i] if (g, m) in limit)

    def _each_open(self, effort: int, may: Callable[[int], bool],
                   attempt: Callable[[int, int], bool], stall: int | None = None) -> bool:
        """`attempt` each open place `may` take, while the effort lasts, undoing a failed
        one; the other seats of a shift that failed are passed over while its candidates
        hold the same (they would fail alike). `stall`: once that many checks have filled no
        place the search stops and says so (true); `attempt` gets the check count to stop at
        (its search's)."""
        failed: dict[tuple, tuple] = {}  # shift and role -> its candidates' holdings then
        quiet = INF if stall is None else self.checks + stall
        for i in self._left_open():
            until = min(effort, quiet)
            if self.checks >= until:
                self.log.clear()
                return quiet < effort
            cell = self.positions[i].key[:3]
            if self.assigned[i] is not None or failed.get(cell) == self._holdings_of(i) \
                    or not may(i):
                continue
            self.log.clear()
            if attempt(i, until):
                quiet = INF if stall is None else self.checks + stall
            else:
                self.rollback(0)
                failed[cell] = self._holdings_of(i)
        self.log.clear()
        return False

    def _augment(self, limit: dict[tuple[int, int], float], active: set[int]) -> None:
        """The places still open, within an effort of their own (AUGMENT_EFFORT per
        position, at least AUGMENT_FLOOR): each role's week with open places re-packed
        between two people with hours left (`_repacks`), a shift nobody holds taking someone
        from a second seat (`_spread_seats`), then each open place a chain of up to
        CHAIN_DEPTH people (`_chain`). A short-staffed month ended with everyone a few hours
        under the week's limit (12 + 12 + 9 + 9 = 42 h of 48), too few for any place, and
        the cover's chains of one or two single moves (`_may_cover`) passed over them. Each
        change is kept where every group's spread mends back within `limit` (`_keep`).
        What the effort leaves (at most THREES_EFFORT checks per position) goes to weeks
        re-packed among three people (3 + 3 + 6 h left: no two of them make room for a 12 h
        place), costlier per place they fill. They come last: spent first, they starved the
        cheaper searches of later weeks (M at half its staff filled 669 places instead of
        674). Each week tries pairs again before threes: a change after the first pass (a
        chain, or the mending another week's re-pack set off) may leave two people with room
        for one more place that the first pass could not give (the `init` rules' October
        with 5 on the day shift: lina on a week's three office shifts at 39 h, zhangwei at
        36 h of his 44, a day place open until he takes two of the offices). A pair tried on
        the same holdings is not tried again (`tried`): little effort.
        Chains that stall (`_chains`) after more than STALL_LONG checks (a large site's
        month: STALL_EFFORT per position) leave the re-packs by three out: they used to run
        on to the effort's end and leave them nothing. A trade of places for work: run past
        the stall, M at three quarters of its staff filled 2 more places on seed 0 for 11,706
        checks, none on seeds 1 and 2 for ~13,180 each. A small site's month stalls sooner
        (at STALL_FLOOR, 2,000 checks; 8,000 before) and its re-packs by three still run:
        there the chains had spent up to 8,000 checks filling nothing and left the threes
        out; M at three quarters of its staff month by month, seeds 0-9: 995, 992, 992, 995,
        995, 990, 993, 992, 989 and 996 places before, 995, 995, 995, 996, 995, 994, 994,
        992, 994 and 996 since, every spread the same, 10.7% fewer checks on seeds 0-4 and
        2.8% more on seeds 5-9 (every other S and M roster the same; L's months stall after
        more than STALL_LONG checks, its rosters the same).
        Wider chains came last until 2026-12-03 (a place reached first through one exchange
        passed through again by another's): in the 48 rosters of the benchmark's comparison
        (S, M and L, staffed and short, at once) and S, M and L short-staffed month by month
        they filled no place, for a tenth of M at half its staff's checks; without them
        every one of those rosters is the same (docs/performance-history.md)."""
        effort = self.checks + max(budgets.AUGMENT_EFFORT * len(self.active),
                                   budgets.AUGMENT_FLOOR)
        budget = LevelBudget(effort)
        self._repacks(limit, active, budget, (2,))
        self._spread_seats(limit, active, budget)
        started = self.checks
        if self._chains(limit, active, budget) \
                and self.checks - started > budgets.STALL_LONG:
            return  # a long stall: the chains used to run on to the effort's end
        # what the effort leaves, at most an allowance of their own
        rest = LevelBudget(min(effort, self.checks + budgets.THREES_EFFORT * len(self.active)))
        self._repacks(limit, active, rest, (2, 3))

    def _chains(self, limit: dict[tuple[int, int], float], active: set[int],
                budget: LevelBudget) -> bool:
        """Each open place a chain (`_chain`), kept where the spreads mend (`_keep`); the
        search stops once STALL_EFFORT checks per position have filled no place (then true).
        Short-staffed, the places the chains reach are mostly ones none fills: M at three
        quarters of its staff, seeds 0-4, spent 23,121-24,553 checks on them, to the end of
        augment's effort, with no place filled (nor by the re-packs after them, which it
        left none of that effort); a place a chain filled was found among the first tries (M
        at half its staff, an earlier round: after 21 and 12 checks). On the benchmark's
        rosters of 2026-12-03 they fill places only in L (L at a quarter of its staff, seed
        0: 29), none in S or M; on those of 2026-12-07, M's months alone and month by month
        (seeds 0-4) one place a chain in 111,000 checks at three quarters of the staff, none
        at half."""

        def attempt(i: int, until: int) -> bool:
            # the search stops where it stalls; a place it found is mended within the effort
            return self._kept(lambda: self._chain(
                i, min(until, self.checks + budgets.AUGMENT_BUDGET)), limit, active, budget)

        return self._each_open(budget.until, self._may_augment, attempt,
                               stall=max(budgets.STALL_EFFORT * len(self.active),
                                         budgets.STALL_FLOOR))

    def _kept(self, change: Callable[[], bool], limit: dict[tuple[int, int], float],
              active: set[int], budget: LevelBudget, strict: bool = False,
              ceiling: dict[tuple[int, int], float] | None = None,
              gaps: dict[tuple[int, int], float] | None = None) -> bool:
        """Make `change` (true if it applied one) from a clear log and keep it where the
        spreads mend back (`_keep`; `strict`: none wider than before it, those of
        `ceiling`'s keys at most at its figure if wider, `_keep_strict`, given the `gaps`
        before it if known); else undo all."""
        self.log.clear()
        keep = self._keep_strict(limit, active, budget, ceiling, gaps) if strict \
            else self._keep(limit, active, budget)
        if change() and keep():
            return True
        self.rollback(0)
        return False

    def _keep(self, limit: dict[tuple[int, int], float], active: set[int],
              budget: LevelBudget):
        """Taken before a change, called after it: are the spreads mended back within
        `limit` (or where an earlier change left them, if wider), a count one apart allowed
        in a group whose total of it the change altered, up or down (`_widened`)?"""
        sums = [list(total) for total in self.group_sums]
        base = {(g, m): max(most, self._gap(self.groups[g], m)) for (g, m), most in limit.items()}
        return lambda: self._mend(self._widened(base, sums), active, self._mending(budget))

    def _keep_strict(self, limit: dict[tuple[int, int], float], active: set[int],
                     budget: LevelBudget,
                     ceiling: dict[tuple[int, int], float] | None = None,
                     gaps: dict[tuple[int, int], float] | None = None):
        """As `_keep`, for a change whose fairness allowance is none (a seat given up for
        another, a shift with nobody seated last): each spread of `limit`'s keys mended
        back to no wider than it was before the change, no allowance (`good_enough`, a
        count one apart) at all; one of `ceiling`'s keys (a group's hours, in
        `hours_unit`s) at most at its figure, where that is wider (a ceiling fixed before a
        run of such changes holds them together to it, not each one). `gaps`: each key's
        spread now, where the caller knows it."""
        ceiling = ceiling or {}
        base = {key: max(gaps[key] if gaps is not None else self._gap(self.groups[key[0]],
                                                                       key[1]),
                         ceiling.get(key, 0.0))
                for key in limit}
        return lambda: self._mend(base, active, budget)

    def _mending(self, budget: LevelBudget) -> LevelBudget:
        """What one mend may spend: `budget`'s rest, at most MEND_BUDGET checks."""
        return LevelBudget(min(budget.until, self.checks + budgets.MEND_BUDGET),
                           settled=budget.settled)

    def _widened(self, limit: dict[tuple[int, int], float],
                 sums: list[list[float]]) -> dict[tuple[int, int], float]:
        """`limit`, with a count one apart allowed in each group whose total of it changed
        since `sums`: a group even at n nights each is one apart with n*k + 1 (a night filled
        that was open). No allowance for the hours: one for a fill in a month continuing its
        year (wider by the hours the fill added, from the phase's limit) filled more places
        month by month on L at a quarter and three quarters of its staff (4,162 -> 4,168,
        12,080 -> 12,136, seed 0) but fewer at half (8,100 -> 8,093), where the year's
        hours spread went from 36 to 60 h."""
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
        room = sum_in_order(max(0.0, self._hours_left(s, week)) for s in self.eligible[i])
        return room + EPSILON >= work.hours

    def _repacks(self, limit: dict[tuple[int, int], float], active: set[int],
                 budget: LevelBudget, sizes: tuple[int, ...] = (2,),
                 leave: int | None = None, with_before: bool = False) -> bool:
        """Each role's week with open places, in order: groups of each of `sizes` people
        (pairs first) among the REPACK_PEOPLE of the role with the most hours left there,
        together enough for its shortest open place, re-pack the week (`_repack`) while one
        fills more and its spreads mend, until `budget.until`; the week `leave` (its
        `week_of`) left as it is. `with_before`: each such week re-packed together with the
        week before it, where that one holds places of the period, a re-pack the mend
        refuses searched again for the one that moves counts least (`_repack_once`).
        Whether one filled a place."""
        weeks: dict[tuple[int, str], list[int]] = {}
        for i in self._left_open():
            if self.week_slot[i] >= 0 and self.may_fill(i) \
                    and week_of(self.works[i].day) != leave:
                weeks.setdefault((week_of(self.works[i].day), self.positions[i].role),
                                 []).append(i)
        filled = False
        for (week, _role), places in sorted(weeks.items()):
            span = (week - 7, week) if with_before else (week,)
            if with_before and all(i in self.fixed for i in self.in_week(week - 7)):
                continue  # nothing of the week before to move: the week's own search again
            while self.checks < budget.until and any(
                    self._repack_once(places, span, limit, active, budget, size,
                                      balanced=with_before)
                    for size in sizes):
                filled = True
        self.log.clear()
        return filled

    def _spread_seats(self, limit: dict[tuple[int, int], float], active: set[int],
                      budget: LevelBudget) -> None:
        """A shift nobody holds takes someone from a second (or later) seat of another shift
        nearby: as many places stay filled, one more shift keeps someone (a week full to its
        hours has no room for another place, but a second office seat is worth less than a
        Saturday with nobody). The seat left open is its shift's last (`_vacate`). A day
        after the period is not written: this step gives no place of the period for it; the
        greedy's order gives those days' first seats before the period's second ones."""
        for i in self._left_open():
            if self.checks >= budget.until or i >= self.planned:
                break
            if self.assigned[i] is not None or self.positions[i].seat or self._filled_at(i):
                continue
            work = self.works[i]
            for s in self.eligible[i]:
                options = [j for j in self.held[s] if j not in self.fixed and j in active
                           and self.works[j].on_call == work.on_call  # the desk first
                           and abs(self.works[j].start - work.start) <= NEAR_SECONDS
                           and self._filled_at(j) > 1]
                if self._seat_for(i, s, options, limit, active, budget):
                    break
        self.log.clear()

    def _seat_for(self, i: int, s: int, options: list[int],
                  limit: dict[tuple[int, int], float], active: set[int],
                  budget: LevelBudget) -> bool:
        """s gives up one of `options` (a seat of a shift others hold too) to take i, kept
        where the spreads mend back (`_keep`)."""
        start = self.works[i].start
        for j in sorted(options, key=lambda j: (abs(self.works[j].start - start), j)):
            if self.checks >= budget.until:
                break
            vacate, _ = self._vacate(j)
            if vacate is not None and self._kept(lambda: self.apply([*vacate, (s, i, 1)]),
                                                 limit, active, budget):
                return True
        return False

    def _repack_once(self, places: list[int], weeks: tuple[int, ...],
                     limit: dict[tuple[int, int], float], active: set[int],
                     budget: LevelBudget, size: int = 2, balanced: bool = False) -> bool:
        """One re-pack of `weeks` (the open `places`' week last) by `size` people kept, those
        with the most hours left in the places' week first; none tried again until one of
        them holds something else. By three only
        where no two of them have the hours left for the shortest open place: what three
        gain over two is hours (3 + 3 + 6 h for a 12 h place); where two have them, the
        pair's re-pack was tried, and a third person's search found nothing on the
        benchmark instances for thousands of checks (S at half its staff, seed 2: 5,304 on
        its last week, where each of them had a whole shift's hours left but rest and runs
        kept them from it). Every S and M roster the same (a quarter, a half, three
        quarters; seeds 0-4), S at half its staff 1.85-2.60x the staffed S's checks before,
        1.54-2.31x then; M at half 1.76-1.94x before, 1.58-1.76x then. `balanced`: a re-pack
        that fills a place but whose spreads the mend cannot bring back is searched again
        for the one that moves the people's counts least (`_kept_repack`): the first found
        may give one of them every night of the two weeks (S at half its staff, December
        after November, seed 3: nights 6 apart after it, 223 places against 224 at once; 224
        now; L at three quarters by month, seed 0: 12,197 -> 12,199). Only where the caller
        asks (`_repacks(with_before=True)`, the year's last month): in augment's re-packs
        too, M at half its staff by month ended with one more shift with nobody (seeds 0 and
        4); in each continuing month's, the fills it kept moved what later months found (L
        at three quarters by month: 26 places fewer on seeds 0 and 1, hours 12 h wider on
        seed 3)."""
        open_places = [i for i in places if self.assigned[i] is None]
        if not open_places:
            return False
        shortest = min(self.works[i].hours for i in open_places)
        people = {s for i in open_places for s in self.eligible[i]}
        room = sorted(((self._hours_left(s, weeks[-1]), -self.rank[s], s) for s in people),
                      reverse=True)[:budgets.REPACK_PEOPLE]
        for chosen in combinations(room, size):
            people = tuple(s for _, _, s in chosen)
            state = tuple(self.version[s] for s in people)
            if sum_in_order(left for left, _, _ in chosen) < shortest - EPSILON \
                    or size > 2 and any(x[0] + y[0] >= shortest - EPSILON
                                        for x, y in combinations(chosen, 2)) \
                    or self.checks >= budget.until \
                    or self.tried.get(("repack", people, weeks)) == state:
                continue
            if self._kept_repack(people, weeks, limit, active, budget, balanced):
                return True
            self.tried[("repack", people, weeks)] = state
        return False

    def _kept_repack(self, people: tuple[int, ...], weeks: tuple[int, ...],
                     limit: dict[tuple[int, int], float], active: set[int],
                     budget: LevelBudget, balanced: bool) -> bool:
        """`people` re-pack `weeks` (`_repack`, within AUGMENT_BUDGET), kept where the spreads
        mend (`_kept`); where the mend refused one that filled a place and `balanced`, the
        re-pack that moves the people's counts least is searched for, within as much again,
        and kept or refused the same way."""
        filled = False

        def repack(even_counts: bool) -> bool:
            nonlocal filled
            filled = self._repack(people, weeks, active, min(
                budget.until, self.checks + budgets.AUGMENT_BUDGET), balanced=even_counts)
            return filled

        return self._kept(lambda: repack(False), limit, active, budget) or balanced \
            and filled and self._kept(lambda: repack(True), limit, active, budget)

    def _repack(self, people: tuple[int, ...], weeks: tuple[int, ...], active: set[int],
                stop: float, balanced: bool = False) -> bool:
        """`people` (two or three) share out anew what they hold in `weeks` (one ISO week, or
        two in a row), with the open places there any of them may take (two seats of a shift
        at most): every place they held stays filled by one of them, and the open places
        found worth most are filled, if any (a depth-first search within REPACK_NODES): a
        shift nobody holds counts twice, a second seat once (each shift keeps someone first,
        as the greedy fills them). Where everyone works shifts of mixed lengths under the
        week's limit (12 h days and 9 h office shifts under 48 h) the hours left over are each
        too few for a place, and no chain of single moves gathers them: one of them taking the
        long shifts and another the short ones leaves room for one more. A branch stops where,
        in one of the weeks, the people's hours left, less what the places they held there
        and have not yet given out need, are too few for them, and its open places still
        ahead count only where they are enough for the shortest: the search's nodes otherwise
        went on varying a week's last places after its first ones had used up the hours, and
        the re-pack that fills one more was not reached (M at half its staff, month by month:
        673 places against 675 at once). `balanced`: of the re-packs worth most that the
        nodes reach, the one whose counts weighed (nights, weekend, holiday and on-call
        shifts) move least: each person's taken less given up, in absolute value, summed over
        the people and counts, unweighted; otherwise the first found of them (the search
        fills, the mend after it evens the counts). The nodes are the same, so a balanced
        search may end before reaching a share worth as much as the plain one's."""
        packing = self._repacking(people, weeks, active)
        if packing is None:
            return False
        places, owner, worth, later, at_home, owed, shortest = packing
        mark = len(self.log)
        for i in owner:
            self.unassign(i)
        best: list = [0, None, 0.0]  # worth, the places given out, how far counts moved
        chosen: list[tuple[int, int]] = []
        nodes = [budgets.REPACK_NODES]
        counts = [m for m in (NIGHTS, WEEKENDS, HOLIDAYS, ON_CALL)
                  if balanced and self.weights[m]]
        moved = {s: [0.0] * len(counts) for s in people}  # each count taken less given up
        for i, s in owner.items():
            for n, m in enumerate(counts):
                moved[s][n] -= self.amounts[i][m]
        # the search tries places on the people's timelines alone (what the rule checks and
        # the hours left read), each try counted as `assign` and `unassign` count theirs:
        # the same budgets, the same rosters, without the loads and the undo log
        timelines = {s: self.timelines[s] for s in people}
        limits = {s: self.members[s].limits.max_hours_per_week for s in people}
        works, eligible = self.works, self.eligible_set
        # each week's hours left, per person (a list per week, in `weeks`' order)
        left = [{s: limits[s] - timelines[s].weeks.get(week, 0.0) for s in people}
                for week in weeks]
        bounds = list(zip(left, owed, shortest, later))

        # each place's takers in the order tried (whoever held it first; the others in
        # order, those it is open to), its week's hours left, and whether it may be left
        # open (not one held)
        steps = []
        for i in places:
            held_by = owner.get(i)
            order = people if held_by is None else \
                (held_by, *(s for s in people if s != held_by))
            n = weeks.index(week_of(works[i].day))
            steps.append((i, works[i], [s for s in order if s in eligible[i]], left[n],
                          weeks[n], held_by is None, worth.get(i, 0),
                          [self.amounts[i][m] for m in counts]))

        def visit(k: int, gained: int) -> None:
            nodes[0] -= 1
            if nodes[0] < 0 or self.checks >= stop:
                return
            # each week's hours the people have left, less those the places they held still
            # need: too few for them, the branch fails; too few for the shortest open place,
            # none of those fills (one over the limit already, from a neighbouring roster's
            # week, gives nothing and takes nothing)
            ahead = at_home[k]
            for hours_left, owed_from, shortest_from, later_from in bounds:
                room = 0  # `sum_in_order` written out: the same sum
                for hours in hours_left.values():
                    room += hours if hours > 0.0 else 0.0
                room -= owed_from[k]
                if room < -EPSILON:
                    return
                if room + EPSILON >= shortest_from[k]:
                    ahead += later_from[k]
            # as much as the best found still searched while its counts moved (`balanced`)
            if gained + ahead < best[0] or gained + ahead == best[0] \
                    and (best[1] is None or best[2] <= EPSILON):
                return
            if k == len(places):
                apart = sum_in_order(abs(x) for by in moved.values() for x in by) if counts else 0.0
                if gained > best[0] or apart < best[2] - EPSILON:
                    best[:] = gained, list(chosen), apart
                return
            i, work, takers, hours_left, week, may_stay_open, value, carried = steps[k]
            for s in takers:
                timeline = timelines[s]
                self.checks += 1
                if timeline.blocks(work):
                    continue
                self.checks += 1  # as `assign` counts it, and `unassign` below
                timeline.add(work)
                hours_left[s] = limits[s] - timeline.weeks.get(week, 0.0)
                chosen.append((s, i))
                if carried:  # the balanced search's bookkeeping only
                    by = moved[s]
                    for n, amount in enumerate(carried):
                        by[n] += amount
                visit(k + 1, gained + value)
                if carried:
                    for n, amount in enumerate(carried):
                        by[n] -= amount
                chosen.pop()
                self.checks += 1
                timeline.remove(work)
                hours_left[s] = limits[s] - timeline.weeks.get(week, 0.0)
            if may_stay_open:
                visit(k + 1, gained)

        visit(0, 0)
        self.rollback(mark)
        return best[1] is not None and self.apply(
            [(s, i, -1) for i, s in owner.items()] + [(s, i, 1) for s, i in best[1]])

    def _repacking(self, people: tuple[int, ...], weeks: tuple[int, ...],
                   active: set[int]) -> tuple | None:
        """What a re-pack of `people`'s `weeks` gives out (`_repack`), None where it has
        nothing to give or too much (over RESHARE_PLACES for each week): the places in start
        order, who holds each held one (in the weeks' order), what each open one is worth,
        what the open places on call are worth from each place on (no hours), and per week,
        from each place on, the search's bounds: what its open places on site are worth at
        most, the hours of its held places still to give out, its shortest open place."""
        inside = [i for week in weeks for i in self.in_week(week)
                  if i in active and i not in self.fixed]
        held = [i for i in inside if self.assigned[i] in people]
        seats: dict[tuple, int] = {}
        extra = []
        for i in inside:
            cell = self.positions[i].key[:3]
            if self.assigned[i] is None and i < self.planned and seats.get(cell, 0) < 2 \
                    and any(s in self.eligible_set[i] for s in people):
                seats[cell] = seats.get(cell, 0) + 1
                extra.append(i)
        if not held or not extra \
                or len(held) + len(extra) > budgets.RESHARE_PLACES * len(weeks):
            return None
        places = sorted(held + extra, key=lambda i: (self.works[i].start, i))
        owner = {i: self.assigned[i] for i in held}
        worth = {i: 1 + (self._filled_at(i) == 0) for i in extra}
        size = len(places) + 1
        at_home = [0] * size
        later, owed, shortest = ([[zero] * size for _ in weeks] for zero in (0, 0.0, INF))
        for k in range(len(places) - 1, -1, -1):
            i, work = places[k], self.works[places[k]]
            at_home[k] = at_home[k + 1]
            for n in range(len(weeks)):
                later[n][k], owed[n][k] = later[n][k + 1], owed[n][k + 1]
                shortest[n][k] = shortest[n][k + 1]
            n = weeks.index(week_of(work.day))
            if i in owner:
                owed[n][k] += 0.0 if work.on_call else work.hours
            elif work.on_call:
                at_home[k] += worth[i]
            else:
                later[n][k] += worth[i]
                shortest[n][k] = min(shortest[n][k], work.hours)
        return places, owner, worth, later, at_home, owed, shortest

    def _chain(self, i: int, stop: float) -> bool:
        """Breadth first from the open place i: the shortest chain of people each taking the
        place the one before gave up for it (i first), the last taking one without giving any
        up, at most CHAIN_DEPTH long. Each node is tried on the roster as its chain leaves it
        (so one person may give up a place and take another further on); a place reached
        once is not reached again."""
        queue = [(i, ())]
        seen = {i}
        head, base, made = 0, len(self.log), ()
        while head < len(queue) and self.checks < stop:
            x, path = queue[head]
            head += 1
            self.walk(made, path, base)
            made = path
            self.checks += 2 * len(path)  # as a replay from the start counts it
            blocked, free = [], []
            for s in self.eligible[x]:
                conflict = self.conflict(s, x)
                if conflict is None:
                    free.append(s)
                else:
                    blocked.append((s, conflict))
            if free:
                self.assign(self.ranked(x, free)[0][2], x)
                return True
            if len(path) < budgets.CHAIN_DEPTH:
                on_path = {taken for _, taken, _ in path} | {x}
                for s, conflict in blocked:
                    for j in self._lifting(s, x, conflict, on_path):
                        if j in seen:
                            continue
                        self.checks += 3  # as `unassign`, `conflict` and `assign` count them
                        if self._free_without(s, x, (j,)):
                            seen.add(j)
                            queue.append((j, path + ((s, x, j),)))
            self.checks += 2 * len(path)  # ... and its undoing
        self.walk(made, (), base)
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
            found = [j for j in self._near(s, x) if week_of(self.works[j].day) == week
                     and self.works[j].hours >= excess - EPSILON]
        else:
            found = [j for j in self._near(s, x)
                     if abs(self.works[j].start - work.start) <= NEAR_SECONDS]
        return sorted((j for j in found if j not in self.fixed and j not in skip),
                      key=lambda j: (abs(self.works[j].start - work.start), j))

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
              budget: LevelBudget, bounded: bool = False) -> bool:
        """Level each (group, metric) past its `limit` a few times, while the check counter
        is below `budget.until` (`bounded`: each search of a step too, `_level_once`): all
        back within? The first still past its limit after its tries ends the mend (false):
        levelling a later one could bring it back, seldom; the change is rolled back then."""
        for (g, m), most in limit.items():
            group = self.groups[g]
            for _ in range(budgets.MEND_TRIES):
                if self._gap(group, m) <= most + EPSILON or self.checks >= budget.until \
                        or not self._level_once(group, m, active, budget, bounded):
                    break
            if self._gap(group, m) > most + EPSILON:
                return False
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
        order of one run, not the rules, should not decide whether they fill. A shift with
        nobody gets RESCUE_BUDGET checks; the later seats of shifts someone holds share the
        repair's whole effort (`rescue_budget`, drawn down). The `init` rules with a headcount
        raised spent 25,000 checks on each later seat no chain fills: three on the day
        shift, December, 24,120 on its third day seat (2.8x the staffed month's work, 1.4x
        now); a second technician by day, four seats, 11.4x (1.5x now). Held to the repair's
        effort too, a shift with nobody was left so on the `init` rules with one clerk at
        40 h a week: nights and an office shift that 9,000-19,800 checks fill (seeds 0-29 by
        month).
        The `init` year's rosters (seeds 0-59; at 40 h, and with more leave, seeds 0-29; the
        Chinese template, seeds 0-39; at once and month by month) and the 120 benchmark runs'
        are the same as with RESCUE_BUDGET for all."""
        left = self._fillable(self._left_open())
        if len(left) > budgets.RESCUE_PLACES:
            return
        for i in left:
            self.rescued.add(i)
            if self.assigned[i] is None and self.may_fill(i):  # an earlier one may fill its week
                self.log.clear()
                if not self._filled_at(i):  # a shift with nobody: the whole allowance
                    self._place(i, 3, {i}, [self.checks + budgets.RESCUE_BUDGET],
                                movable=True)
                elif self.rescue_budget > 0:  # later seats: what is left of theirs
                    before = self.checks
                    self._place(i, 3, {i}, [self.checks + self.rescue_budget], movable=True)
                    self.rescue_budget -= self.checks - before

    def _place(self, i: int, depth: int, touched: set[int], until: list[int],
               pairs: bool = True, movable: bool = False) -> bool:
        """Fill i, moving away up to two shifts of a blocked person; gives up once the check
        counter reaches until[0]. `movable`: the last step of a chain passes over a removal
        with a place nobody but its holder could take as the roster stands (`_movable`): it
        cannot end the chain, whoever takes i (the holder cannot take back what it gave up
        for i). The chain found, if any, is the one found without it, within fewer checks
        (or found where the budget ran out before): in a month packed to its weeks' last
        hours the rescue's deeper chains spent most of their budget on such ends (S at
        three quarters of its staff, seeds 0-4: 4,916 checks for its 2 places, 1,705-1,761
        now). Not in `cover`: its chains, each within a budget of its own, then filled
        other places first, and a short-staffed month generated after the one before it
        filled fewer than the two at once (M at three quarters of its staff, October to
        December: 988 against 991)."""
        s = self.best_candidate(i)
        if s is not None:
            self.assign(s, i)
            return True
        if depth == 0:
            return False
        candidates = self.ranked(i, self.eligible[i])
        known: dict[int, bool] = {}  # the roster outside i's candidates stays as it is here
        for _, _, s in candidates:
            for removal in self._removals(s, i, touched, pairs):
                if self.checks >= until[0]:
                    return False
                if movable and depth == 1 and not all(self._movable(j, known)
                                                      for j in removal):
                    continue
                if not self._free_without(s, i, removal):
                    # counted as giving them up, the check and taking them back count; where
                    # it frees s, the change below is made the plain way, which counts them
                    self.checks += 2 * len(removal) + 1
                    continue
                mark = len(self.log)
                for j in removal:
                    self.unassign(j)
                if not self.blocked(s, i):
                    self.assign(s, i)
                    inner = touched | set(removal)
                    if all(self._place(j, depth - 1, inner, until, pairs, movable)
                           for j in removal):
                        return True
                self.rollback(mark)
        return False

    def _free_without(self, s: int, i: int, removal: tuple[int, ...],
                      holding: tuple[int, ...] = ()) -> bool:
        """Would s giving up `removal` (and taking `holding`) leave s free to take i? Tried
        on s's timeline alone (what the rule check reads), put back as it was; no check
        counted (the callers count what giving up, the check and taking back would). While
        the repair or the cover runs, answered from `free_known` where asked before with s
        holding what it holds now (`version`: s's timeline is the neighbouring rosters' and
        its places): the repair's proof (`_stuck`) asks what its chains then ask again, and
        the cover's chains of one place what those of another did (M at a quarter of its
        staff, October alone: 688 of the repair's 1,260 asks; M at half, December: 566 of
        the cover's 1,399)."""
        known = self.free_known
        if known is not None:
            key = (s, self.version[s], i, removal, holding)
            found = known.get(key)
            if found is None:
                found = known[key] = self._timeline_free_without(s, i, removal, holding)
            return found
        return self._timeline_free_without(s, i, removal, holding)

    def _timeline_free_without(self, s: int, i: int, removal: tuple[int, ...],
                               holding: tuple[int, ...]) -> bool:
        """`_free_without`, asked of s's timeline."""
        timeline = self.timelines[s]
        for j in removal:
            timeline.remove(self.works[j])
        for j in holding:
            timeline.add(self.works[j])
        free = not timeline.blocks(self.works[i])
        for j in holding:
            timeline.remove(self.works[j])
        for j in reversed(removal):
            timeline.add(self.works[j])
        return free

    def _movable(self, j: int, known: dict[int, bool]) -> bool:
        """Could someone other than j's holder take j as the roster stands? A chain's last
        step gives j to such a person: the holder only frees j, and a hard-rule check reads
        the one person's own shifts, so nobody else gains room by it (`known`: the answers
        so far, while only the holders' shifts change)."""
        if j not in known:
            holder = self.assigned[j]
            known[j] = any(t != holder and not self.blocked(t, j)
                           for t in self.eligible[j])
        return known[j]

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
        near = sorted((abs(self.works[j].start - work.start), j) for j in self._near(s, i)
                      if j not in self.fixed and j not in touched and relevant(j))
        singles = [(j,) for _, j in near]
        if not pairs:
            return singles
        return singles + [(a, b) for x, (_, a) in enumerate(near[:6]) for _, b in near[x + 1:6]]


def _may_pack(given: list[float], open_hours: list[float], room: float = 0.0) -> bool:
    """Could giving up some of the `given` places' hours buy more of the open ones, at most
    `room` hours more in all (`_pack_week`)? Counted on hours alone, before any rule check:
    m places given up for m + 1 taken needs the m + 1 shortest open ones within the m
    longest given up and the room (12 h day seats and 12 h open places never qualify
    without it)."""
    given, open_hours = sorted(given, reverse=True), sorted(open_hours)
    return any(sum_in_order(open_hours[:m + 1]) <= sum_in_order(given[:m]) + room + EPSILON
               for m in range(1, min(len(given), len(open_hours) - 1) + 1))


def _counts(positions: list) -> tuple[int, int, int]:
    """The nights, weekend and holiday shifts among `positions` (whatever the rules weigh:
    `roster stats` shows them all)."""
    return (sum(p.night for p in positions), sum(p.weekend for p in positions),
            sum(p.holiday for p in positions))
