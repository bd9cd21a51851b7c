"""Raising a short-staffed group's total: the ones below take open places with more of a count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from itertools import islice
import math

from dutyctl.roster.rules import METRICS
from dutyctl.roster.timeline import Conflict, week_of
from dutyctl.roster.solver import budgets
from dutyctl.roster.solver.state import EPSILON, HOLIDAYS, NIGHTS, PAIRWISE, WEEKENDS, State


class Raising(State):
    raising_last = False  # the year's last month's raise, after its shifts are seated

    def _raise_all(self, last: bool = False) -> None:
        """Last, after the cover step: each group one or two night, weekend or holiday shifts
        apart raises the ones below once (`_raise_below`; a year month by month raises in its
        first month and, once its shifts are seated, its last (`last`): the others continue
        the year); two apart, the raise leaves it one
        apart and `_lower_odd` may lower the ones above (M at half its staff, seeds 2 and 3:
        two technicians at 4 and 6 holidays, no trade between them fits; the one below takes
        the open holiday of 5 October for a Sunday of its week, mends the weekend lost
        (`_mend_raised`), and the one above leaves a holiday night open for the working
        Saturday's: 5 and 5, six changes, as the exact model's, but for the mend's days:
        benchmarks/roster_oracle.py M:0.5 --roles technician --minimise holidays
        --keep-staffed --fewest-changes --seed 2). Not inside levelling: there the places
        it leaves open change what the cover step's chains find
        (L at a quarter of its staff filled 4 places fewer); here the coverage is final and
        the move keeps it (a night raise moves places between shifts: as many filled, no
        shift emptied for another's later seat). `last`: in the year's last month after its
        earlier ones (`ends_year`), once its shifts are seated (`Solver.solve`): its counts
        are the year's. Month by month, M at a quarter of its staff ended the year's nights
        1 apart, 0 now (as at once); S at half its staff, November then December, nights 1
        -> 0, at three quarters weekends 1 -> 0, on seeds 0-4; M at three quarters weekends
        1 -> 0 on seeds 1, 2 and 4, at half on seed 0; L's 15 short-staffed years nights or
        weekends narrower on four; the places and shifts with nobody the same. Raised where
        the other months raise (before the coverage-first fills), M at half its staff,
        seed 1, ended with one more shift with nobody (12-06's service night)."""
        self.raising_last = last
        try:
            active = set(self.active)
            for group in self.groups:
                self._raise_lowest(group, active)
            for group in self.groups:
                self._raise_group(group, active, lambda m: self.good_enough[m], most=2.0)
            # where raising left a group one apart; in the year's last month the places the
            # ones above left open may then raise the ones below (L at half its staff month by
            # month, seed 2: cleaners at 79, 79, 79, 81, 81, 81 weekend shifts, no weekend
            # place open for the raise before the lowering, 80 each after both)
            before = self._filled_cells() if last else {}
            if self._lower_odd(active, last) and last:
                # a full second round: the places the lowering moved between shifts counted
                # as the raise's own, those of the group's roles (shift ids are shared)
                for group in self.groups:
                    self._raise_group(group, active, lambda m: self.good_enough[m], most=2.0,
                                      moved=lambda: self._moved_since(before, group))
        finally:
            self.raising_last = False

    def _raise_lowest(self, group: list[int], active: set[int]) -> None:
        """Before the raise of everyone below the top: a group two or more night, weekend or
        holiday shifts apart raises its lowest alone (`_raise_below(lowest=True)`), again
        while that narrows the gap. Everyone below the top is often most of the group, all of
        whom must find a change (L at a quarter of its staff month by month, seed 3: seven
        clerks at 45, 47, 47, 47, 47, 47 and 48 weekend shifts, three apart, and the six
        below 48 found no change together); the lowest alone, one or two, often can (45 ->
        46: two apart). L's 15 short-staffed years month by month: weekends 3 -> 1 (seed
        0), 3 -> 2, 2 -> 1 at a quarter of the staff, 2 -> 1 at half and three quarters
        (seed 4); at once, L at three quarters, seed 4, nights 2 -> 1; the places and shifts
        with nobody the same, and every S and M roster. Not where the lowest are everyone
        below the top and the group is two apart (the raise that follows is the same; M at
        half its staff, two technicians 4 and 6 holidays apart: the order changed which
        shift kept a place); more than two apart, that raise does not run (`most`), so the
        lowest are raised here (once per member at most): M at a quarter of its staff,
        December generated alone, its two guards 9 and 6 nights apart after levelling were
        raised by nothing; now the lower is raised here to 7, by `_raise_group` to 8, and
        the one above lowered to 8 (`_lower_odd`): the same places, shifts with nobody and
        hours, a guard day moved to a night (the raise 9.3 ms of the month's 109, 4.7 ms
        before; every roster of the benchmark's years and of L's months alone the same)."""
        for m in (NIGHTS, WEEKENDS, HOLIDAYS):
            if not self.weights[m]:
                continue
            for _ in group:  # each time the gap narrows: at most once per person
                gap = self._gap(group, m)
                if gap < 2.0 - EPSILON \
                        or (gap <= 2.0 + EPSILON
                            and self._lowest(group, m) == self._below_top(group, m)) \
                        or not self._raise_below(group, m, active, lowest=True):
                    break
        self.log.clear()

    def _filled_cells(self) -> dict[tuple[str, str], int]:
        """The period's places filled, by shift and role."""
        filled: dict[tuple[str, str], int] = {}
        for i in self.active:
            if i < self.planned and self.assigned[i] is not None:
                cell = self.positions[i].key[1:3]
                filled[cell] = filled.get(cell, 0) + 1
        return filled

    def _moved_since(self, before: dict[tuple[str, str], int],
                     group: list[int]) -> dict[str, int]:
        """The places each shift gained since `before` (`_filled_cells`), of the roles of
        `group`'s staff: what a raise of the group may give back (`_raise_each`'s `moved`)."""
        roles = {role for s in group for role in self.members[s].roles}
        now, moved = self._filled_cells(), {}
        for shift, role in now.keys() | before.keys():
            if role in roles:
                moved[shift] = moved.get(shift, 0) + now.get((shift, role), 0) \
                    - before.get((shift, role), 0)
        return moved

    def _lowest(self, group: list[int], m: int) -> list[int]:
        """Those of `group` who hold the least of m, one of it or more below its most."""
        low = min(self._level(s, m) for s in group)
        below = self._below_top(group, m)
        return [s for s in below if self._level(s, m) <= low + EPSILON]

    def _below_top(self, group: list[int], m: int) -> list[int]:
        """Those of `group` one of m or more below its most."""
        top = max(self._level(s, m) for s in group)
        return [s for s in group if self._level(s, m) + self.scale[s] <= top + EPSILON]

    def _raise_group(self, group: list[int], active: set[int], above: Callable[[int], float],
                     most: float = math.inf, moved: Callable[[], dict[str, int]] | None = None
                     ) -> None:
        """Each night, weekend and holiday count weighed whose spread in `group` is above
        `above(m)`, and at most `most`, raised once (`_raise_below`); what it keeps is final.
        `moved`: the places each shift gained since a change the raise may even out."""
        for m in (NIGHTS, WEEKENDS, HOLIDAYS):
            if self.weights[m] and above(m) < self._gap(group, m) <= most + EPSILON:
                self._raise_below(group, m, active, moved=moved() if moved else None)
        self.log.clear()

    def _raise_below(self, group: list[int], m: int, active: set[int],
                     mends: list[int] | None = None, lowest: bool = False,
                     moved: dict[str, int] | None = None) -> bool:
        """Short-staffed, a group one (or two) night, weekend or holiday shifts apart whose
        odd ones above could not hand theirs over (levelling; `_leave_open` for weekends and
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
        same with it, only slower) but in its last one's raise after the seating
        (`raising_last`).
        S at half its staff: the exact model (benchmarks/roster_oracle.py S:0.5 --minimise
        weekends --keep-staffed --fewest-changes) finds exactly this change (a Monday's second
        late seat for an open Sunday's). `lowest`: only those at the group's fewest
        (`_raise_lowest`). `moved`: places each shift gained by a change before (a lowering),
        counted as the raise's own, so its changes may give them back."""
        if self.continues_year and not self.raising_last or not self.open_by_shift:
            return False
        below = sorted(self._lowest(group, m) if lowest else self._below_top(group, m),
                       key=lambda s: (self._level(s, m), self.rank[s]))
        if not below:
            return False
        gaps = {k: self._gap(group, k) for k in range(len(METRICS)) if self.weights[k]}
        refused: dict[int, list[tuple[int, int]]] = {b: [] for b in below}
        found = {b: self._take_open(b, m, active, refused=refused[b]) for b in below}
        # mended (`_mend_raised`) and handed on (`_hand_on`) only in a period that ends its
        # year: a later month continues the year's loads and levels what this one leaves;
        # November mended left S at half its staff's December by month (seed 3) a place
        # short, and M at three quarters' October handed on left November two (seed 3)
        if mends is None:
            mends = [budgets.RAISE_MENDS if self.plans_to_year_end else 0]
        sums = list(self.group_sums[self.group_of[group[0]]])
        # none of those fitted: again with the changes that also move a shift of b's out of
        # i's way (`_take_open`'s `aside`), then those that hand b's place on to a colleague,
        # each after the ones before
        ways = [partial(self._take_open, aside=True)] + (
            [lambda b, m, active: self._hand_on(b, m, active, refused[b])]
            if self.plans_to_year_end else [])
        for way in (None, *ways):
            if way is not None:
                more = {b: way(b, m, active) for b in below}
                if not any(more.values()):
                    continue
                found = {b: found[b] + more[b] for b in below}
            below.sort(key=lambda b: sum(self._same_shift(change) for change in found[b]))
            if self._raise_each(below, group, m, active, gaps, dict(moved or {}),
                                [budgets.RAISE_NODES], found,
                                mends=list(mends), sums=sums):
                return True
        return False

    def _raise_each(self, below: list[int], group: list[int], m: int, active: set[int],
                    gaps: dict[int, float], moved: dict[str, int], nodes: list[int],
                    found: dict[int, list], later: bool = False,
                    mends: list[int] | None = None, sums: list[float] | None = None) -> bool:
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
                and (self._narrowed(group, m, gaps) or self._mend_raised(group, m, active, gaps,
                                                                         mends, sums))
        options = []
        for n, change in enumerate(found[below[0]]):
            change = self._refreshed(change)
            if change is None or any(self.assigned[i] != s for s, i, sign in change if sign < 0) \
                    or not self._takes_first_open(change):
                continue  # an earlier one's change took or left its places
            after, step_later = moved, later
            for left, took in self._nets(change):
                opened, taken = self.positions[left], self.positions[took]
                if opened.shift.id != taken.shift.id:
                    after = dict(after)
                    after[opened.shift.id] = after.get(opened.shift.id, 0) - 1
                    after[taken.shift.id] = after.get(taken.shift.id, 0) + 1
                    step_later = step_later or self._seat_taken(took) > opened.seat
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
                                    step_later, mends, sums):
                    return True
                self.rollback(mark)
        return False

    def _mend_raised(self, group: list[int], m: int, active: set[int], gaps: dict[int, float],
                     mends: list[int] | None, sums: list[float] | None) -> bool:
        """m's gap narrowed by the raise, but another count's widened to one apart as the
        group's total of it fell (`sums`: the totals before the raise; the place taken is a
        weekend's late, the one left open a night): the ones now below in that count raise
        it in turn (`_raise_below`, which mends nothing itself), no higher than its total
        before; kept if then m's gap is narrower and no gap wider than before, at most
        `mends[0]` times per raise. A leaf with no such count spends none (M at half its
        staff month by month, seed 2: the guards' raise met four leaves with nights risen or
        two apart before the one the exact model finds, and ended 1 weekend apart; 0 now).
        Not a count the raise added to (a holiday taken on a
        weekend): raising everyone else's weekends for it left L at three quarters of its
        staff 4.17 weekend shifts apart per full-time person across the service role, 3.13
        before.
        S at half its staff, seed 1: a clerk one weekend shift below takes a Saturday's late
        for a Friday's night, then a Thursday's night for a Monday's late (the exact model's
        change: benchmarks/roster_oracle.py S:0.5 --minimise weekends --keep-staffed
        --fewest-changes --seed 1)."""
        if not mends or mends[0] <= 0 or sums is None \
                or self._gap(group, m) >= gaps[m] - EPSILON:
            return False
        now = self.group_sums[self.group_of[group[0]]]
        mended = [k for k in (NIGHTS, WEEKENDS, HOLIDAYS)
                  if k != m and k in gaps and now[k] < sums[k] - EPSILON
                  and max(gaps[k], self.good_enough[k]) + EPSILON
                  < self._gap(group, k) <= 1 + EPSILON]
        if not mended:
            return False  # nothing this could raise: no mend spent
        mends[0] -= 1
        mark = len(self.log)
        for k in mended:  # the method itself (a test may stand in for the top-level raises)
            Raising._raise_below(self, group, k, active, [])
        if all(now[k] <= sums[k] + EPSILON for k in mended) \
                and self._narrowed(group, m, gaps):
            return True
        self.rollback(mark)
        return False

    def _can_even(self, moved: dict[str, int], rest: list[int], found: dict[int, list]) -> bool:
        """Could the ones in `rest` give each shift its places back: for a shift short of
        places (or with places over), as many of them with a change that fills one (or leaves
        one open) from another shift?"""
        for shift, x in moved.items():
            side = 0 if x > 0 else 1  # leaving a place of it open, or filling one
            if x and sum(1 for b in rest
                         if shift in self._cross_shifts(found.get(b, ()))[side]) < abs(x):
                return False
        return True

    def _cross_shifts(self, changes: list | tuple) -> tuple[set[str], set[str]]:
        """The shifts `changes` leave a place of open, and those they fill one of, where a
        change moves a place from one shift to another (a `_nets` pair): what `_can_even`
        asks of a list at every node of the search, once per list (`cross_known`, the list
        kept with its answer so its id stays its own)."""
        known = self.cross_known.get(id(changes))
        if known is None or known[0] is not changes:
            opened, taken = set(), set()
            for change in changes:
                for pair in self._nets(change):
                    left, took = (self.positions[k].shift.id for k in pair)
                    if left != took:
                        opened.add(left)
                        taken.add(took)
            known = self.cross_known[id(changes)] = (changes, (opened, taken))
        return known[1]

    def _refreshed(self, change: list[tuple[int, int, int]]
                   ) -> list[tuple[int, int, int]] | None:
        """`change` (b leaves j open for an open place i) made anew on the roster as an
        earlier one's change in the search left it: j's shift's seats moved up again
        (`_vacate`), and i, where that change filled it (both listed the shift's first open
        seat), the next open seat of its shift; None where j is no longer b's or no seat is
        left. One that hands j on to a colleague (`_hand_on`) likewise from the place l the
        colleague leaves open. A change that also moves a shift of b's aside stays as listed.
        L at half its staff month by month, seed 2: two cleaners below could each leave only
        Friday 25's clean for Saturday 26's weekend clean, and the second's seats, listed
        before the first's change, no longer held."""
        b = change[-1][0]
        gives = [i for s, i, sign in change if s == b and sign < 0]
        takes = [i for s, i, sign in change if s == b and sign > 0]
        if len(gives) != 1 or len(takes) != 1:
            return change
        (j,), (i,) = gives, takes
        giver, left_open = change[0][:2]  # b and j, or the colleague and l
        if self.assigned[j] != b or self.assigned[left_open] != giver:
            return None
        vacate, left = self._vacate(left_open)
        p = self.positions[i]
        i = self._first_open_seat(p.day, p.shift.id, p.role, p.seat)
        if vacate is None or i is None:
            return None
        # as `_take_open` and `_hand_on` list them, and a shift's only seat for another's
        # only where no hole splits
        if self._later_seat(left_open, left, i) \
                or (not self._seat_left(left) and self._splits_cover(left_open, i)) \
                or (giver != b and any(s == b for s, _, _ in vacate)):
            return None
        return [*vacate, *(change[-3:-1] if giver != b else []), (b, i, 1)]

    def _later_seat(self, j: int, left: int, i: int) -> bool:
        """Would leaving j open, its shift's seat `left` the one that ends open, for i fill a
        later seat than it leaves (each as its shift's holders count it: `_seat_left`,
        `_seat_taken`): of another shift only where it empties j's (a shift's only seat for
        another's second), of j's own shift any later one?"""
        opened, seat = self._seat_left(left), self._seat_taken(i)
        return opened == 0 < seat if self.positions[i].shift.id != self.positions[j].shift.id \
            else seat > opened

    def _first_open_seat(self, day: date, shift: str, role: str, seat: int = 0) -> int | None:
        """The first seat from `seat` on of the shift's places that day for the role that
        nobody holds, or None where every one is held."""
        k = self.key_index.get((day, shift, role, seat))
        while k is not None and self.assigned[k] is not None:
            seat += 1
            k = self.key_index.get((day, shift, role, seat))
        return k

    def _takes_first_open(self, change: list[tuple[int, int, int]]) -> bool:
        """Is each place b fills still the first open seat of its shift? A change listed
        before the search may find a seat in front of its own left open since: one moved
        aside (`_aside`) leaves a place of a shift that keeps its counts, a weekend's early,
        which another's change may be raising into."""
        return not any(self._seat_ahead_open(taken) for _, taken in self._nets(change))

    def _same_shift(self, change: list[tuple[int, int, int]]) -> bool:
        return all(self.positions[opened].shift.id == self.positions[taken].shift.id
                   for opened, taken in self._nets(change))

    @staticmethod
    def _nets(change: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
        """Each place a `_take_open` change leaves open with the one b fills for it (whoever
        moves up a seat on the shift left open takes a place and leaves one): one pair, or
        two where b also moves a shift of theirs aside. Each part ends with b's place."""
        b = change[-1][0]
        pairs, start = [], 0
        for n, (s, _, sign) in enumerate(change):
            if s == b and sign > 0:
                part = change[start:n + 1]
                taken = {i for _, i, sign in part if sign > 0}
                left = {i for _, i, sign in part if sign < 0}
                pairs.append(((left - taken).pop(), (taken - left).pop()))
                start = n + 1
        return pairs

    def _take_open(self, b: int, m: int, active: set[int], aside: bool = False,
                   refused: list[tuple[int, int]] | None = None
                   ) -> list[list[tuple[int, int, int]]]:
        """b leaves a place j of theirs (the period's own) open and takes an open place i of the
        same role within NEAR_SECONDS with more of m (a Monday's late shift for a Sunday's),
        i the first open seat of its shift and no later seat than the one left open (no
        shift emptied for another's second seat; whoever holds j's last seat moves to j, so
        the seat left open is the last); a shift's only seat for another's only if no more
        stretches of the day end with nobody (`_splits_cover`: S at a quarter of its staff
        reached weekends 0 with one hole more). j of another shift only as long as i (b's
        hours stay), and no first seat for another shift's later one (a later seat for an
        earlier one only in a search that gives each shift its places back: `_raise_each`).
        Where the week's hours keep b from i, j only in i's ISO week (leaving a place of
        another week frees none of that week's hours). None where another shift of b's clashes
        with i (an overlap or too short a rest that
        leaving j does not lift), or b likes i less (a preference). j of i's shift first,
        then the other loads as they were, then j in i's week, the nearest first; at most
        RAISE_TRIES. `aside`: only the changes where b also moves the shift that clashes
        with i to another of its day (`_aside`), j then of another day. `refused`: gets the
        (i, j) that only the seats refused, in order (what `_hand_on` hands on)."""
        options = []
        for i in self.with_metric[m]:
            if self.assigned[i] is not None or i not in active or i >= self.planned \
                    or b not in self.eligible_set[i]:
                continue
            if self._seat_ahead_open(i):
                continue
            p, blocked, week = self.positions[i], self.conflict(b, i), week_of(self.works[i].day)
            ways = self._aside(b, i, blocked, active) if aside else [([], None, blocked)]
            for moved_aside, aside_day, blocking, j in ((*way, j) for way in ways
                                                        for j in self._near(b, i)):
                q = self.positions[j]
                other_shift = q.shift.id != p.shift.id
                if self.works[j].day == aside_day \
                        or not self._may_leave(b, j, i, m, blocking, active):
                    continue
                vacate, left = self._vacate(j)
                if vacate is None or self._later_seat(j, left, i):
                    if refused is not None:
                        refused.append((i, j))
                    continue
                others = sum(1 for k in range(len(METRICS)) if k != m
                             and abs(self._amount(i, k) - self._amount(j, k)) > EPSILON)
                options.append((other_shift, others, week_of(self.works[j].day) != week,
                                abs(self.works[i].start - self.works[j].start), i, j,
                                not self._seat_left(left),
                                [*vacate, (b, i, 1), *moved_aside]))
        options.sort(key=lambda option: option[:6])
        # the dear test last, on the options in order, until enough pass (as filtering first)
        kept = (change for *_, i, j, only_seat, change in options
                if not (only_seat and self._splits_cover(j, i)))
        self.uncovered_known = {}  # nothing moves while the options are tested
        try:
            return list(islice(kept, budgets.RAISE_TRIES))
        finally:
            self.uncovered_known = None

    def _may_leave(self, b: int, j: int, i: int, m: int, blocking: Conflict | None,
                   active: set[int]) -> bool:
        """May b leave its place j for the open place i (`_take_open`, `_hand_on`): j the
        period's own and not fixed, of i's role, with less of m, lifting what keeps b from i
        (`blocking`; the week's hours only by a place of i's week), as long as i where of
        another shift (b's hours stay), and liked no less than i?"""
        p, q = self.positions[i], self.positions[j]
        return not (j in self.fixed or j not in active or j >= self.planned
                    or q.role != p.role or self._amount(j, m) >= self._amount(i, m) - EPSILON
                    or not self._lifted_by(blocking, j)
                    or (blocking is not None and blocking.rule == "max_hours_per_week"
                        and week_of(self.works[j].day) != week_of(self.works[i].day))
                    or (q.shift.id != p.shift.id
                        and abs(self.works[i].hours - self.works[j].hours) > EPSILON)
                    or self.pref.get((b, i), 0.0) > self.pref.get((b, j), 0.0) + EPSILON)

    def _hand_on(self, b: int, m: int, active: set[int],
                 refused: list[tuple[int, int]]) -> list[list[tuple[int, int, int]]]:
        """`_take_open`'s changes where leaving j open would empty j's shift, or open a seat
        in front of i's (`refused`, the (i, j) `_take_open` listed so, in its order): a
        colleague c takes j instead and leaves open a place l of theirs in j's ISO week
        (`_takers_of`: as long as j, on site or on call as j, with as much of every count;
        c's loads and week stay), no earlier seat than i's (the coverage moves from l's
        shift to i's as `_take_open`'s from j's). In `_take_open`'s order, then the
        colleague's ranking and their place nearest j; each tried on the roster (`apply`,
        undone), at most RAISE_TRIES.
        S at half its staff, November and December at once, seed 2: s04, a weekend shift
        below the rest, takes Saturday 7 November's open early and hands Friday 6's, its
        shift's only seat, to s05, who leaves Tuesday 3's second early seat open: weekends 0
        apart, the exact model's change (benchmarks/roster_oracle.py S:0.5 --seed 2 --from
        2026-11-01 --to 2026-12-31 --minimise weekends --keep-shifts --fewest-changes)."""
        options, takers = [], {}
        for i, j in refused:
            p, q = self.positions[i], self.positions[j]
            others = sum(1 for k in range(len(METRICS)) if k != m
                         and abs(self._amount(i, k) - self._amount(j, k)) > EPSILON)
            if j not in takers:
                takers[j] = self._takers_of(b, j, active)
            for c, l in takers[j]:
                handed, left_open = self._vacate(l)
                # b moving up a seat of l's shift would take two places in one change
                if handed is None or self._later_seat(l, left_open, i) \
                        or any(s == b for s, _, _ in handed):
                    continue
                options.append((q.shift.id != p.shift.id, others,
                                week_of(self.works[j].day) != week_of(self.works[i].day),
                                abs(self.works[i].start - self.works[j].start),
                                self.rank[c], abs(self.works[j].start - self.works[l].start),
                                i, j, l, not self._seat_left(left_open),
                                [*handed, (b, j, -1), (c, j, 1), (b, i, 1)]))
        options.sort(key=lambda option: option[:9])
        kept = []
        for *_, i, j, l, only_seat, change in options:
            if len(kept) >= budgets.RAISE_TRIES:
                break
            if only_seat and self._splits_cover(l, i):
                continue
            mark = len(self.log)
            if self.apply(change):
                kept.append(change)
                self.rollback(mark)
        return kept

    def _takers_of(self, b: int, j: int, active: set[int]) -> list[tuple[int, int]]:
        """(c, l): a colleague c of b who may take b's place j and holds a place l of the
        period's own in j's ISO week, of j's role, on another shift or day, as long as j, on
        site or on call as j and with as much of every count weighed (c's loads and week
        stay), and j no less liked by c than l."""
        q, work = self.positions[j], self.works[j]
        takers, amounts = self.eligible_set[j], self.amounts[j]
        found = []
        for l in self.in_week(week_of(work.day)):
            c = self.assigned[l]
            if c is None or c == b or c not in takers or l in self.fixed or l not in active \
                    or l >= self.planned:
                continue
            r, other = self.positions[l], self.works[l]
            if r.role == q.role and r.key[:3] != q.key[:3] and self.amounts[l] == amounts \
                    and abs(other.hours - work.hours) <= EPSILON \
                    and other.on_call == work.on_call \
                    and self.pref.get((c, j), 0.0) <= self.pref.get((c, l), 0.0) + EPSILON:
                found.append((c, l))
        return found

    def _aside(self, b: int, i: int, blocked: Conflict | None,
               active: set[int]) -> list[tuple[list[tuple[int, int, int]], int, Conflict | None]]:
        """Where b's shift k clashes with i (an overlap or too short a rest): b moves from k
        to the first open seat k2 of another shift of k's day, as long and with as much of
        every count (b's loads stay), no later seat than the one left open and none left
        open that empties k's shift. Per such k2: the changes, k's day, and what then still
        keeps b from i (the week's hours: then b leaves a place of i's week), never another
        clash. S at half its staff, seed 2: s02 takes Sunday's late for a Tuesday's of the
        week and works the Monday after late, not early (the rest between them)."""
        if blocked is None or blocked.rule not in PAIRWISE or blocked.other is None:
            return []
        k = self.key_index.get(blocked.other.key)
        if k is None or self.assigned[k] != b or k in self.fixed or k not in active \
                or k >= self.planned:
            return []
        q, p = self.positions[k], self.positions[i]
        if (q.day, q.shift.id) == (p.day, p.shift.id):
            return []  # i is a later seat of k's shift: leaving k opens one in front of it
        vacate, left = self._vacate(k)
        if vacate is None:
            return []
        opened = self._seat_left(left)
        if not opened:
            return []  # k is its shift's only seat
        ways = []
        for shift in self.rules.shifts:
            k2 = self._first_open_seat(q.day, shift.id, q.role)
            if k2 is None or k2 == i or shift.id == q.shift.id \
                    or self._seat_taken(k2) > opened \
                    or k2 not in active or k2 in self.fixed or b not in self.eligible_set[k2] \
                    or self.amounts[k2] != self.amounts[k] \
                    or abs(self.works[k2].hours - self.works[k].hours) > EPSILON \
                    or self.pref.get((b, k2), 0.0) > self.pref.get((b, k), 0.0) + EPSILON:
                continue
            mark, still = len(self.log), None
            self.unassign(k)
            clash = self.conflict(b, k2)
            if clash is None:
                self.assign(b, k2)
                still = self.conflict(b, i)
            self.rollback(mark)
            if clash is None and (still is None or still.rule not in PAIRWISE):
                ways.append(([*vacate, (b, k2, 1)], self.works[k].day, still))
        return ways
