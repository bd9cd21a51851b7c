"""Improving J by moves and swaps between two people."""

from __future__ import annotations

from dutyctl.roster.timeline import Conflict
from dutyctl.roster.solver import budgets
from dutyctl.roster.solver.state import EPSILON, HOURS, PAIRWISE, State


class Improving(State):
    def improve(self) -> None:
        for _ in range(budgets.IMPROVE_ROUNDS):
            changed = self._moves() + self._swaps()
            if not changed:
                return

    def _moves(self) -> int:
        changed = 0
        for i in self.active:
            a = self.assigned[i]
            if a is None or i in self.fixed:
                continue
            state = (a, self._holdings_of(i))
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
        others = [b for b in self.eligible[i] if b != a]
        deltas = [gain + cost for cost in self.add_costs(i, others)]
        ranked = sorted((delta, self.rank[b], b) for b, delta in zip(others, deltas)
                        if delta < -EPSILON)  # the rest lower nothing
        for _, _, b in ranked:
            if not self.blocked(b, i):
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
            candidates = self.eligible[i]
            for b, move in zip(candidates, self._special_moves(a, i, candidates)):
                if b == a or move >= -EPSILON \
                        or self.tried.get(("swap", i, b)) == (a, self.version[a], self.version[b]):
                    continue
                if self._try_swaps(a, b, i):
                    changed += 1
                    break
                self.tried[("swap", i, b)] = (a, self.version[a], self.version[b])
        self.log.clear()
        return changed

    def _special_moves(self, a: int, i: int, candidates) -> list[float]:
        """J change of moving i from a to each of `candidates`, counting only nights, weekends
        and holidays. Worked out before any swap is tried: those counts are whole, so a swap
        tried and undone leaves a's loads exactly as they were."""
        loads, capacity = self.loads, self.capacity
        moves = [0.0] * len(candidates)
        for m, amount, weighted in self.deltas[i]:
            if m != HOURS:
                lost = (amount - 2 * loads[a][m]) / capacity[a]
                moves = [total + weighted * (lost + (2 * loads[b][m] + amount) / capacity[b])
                         for total, b in zip(moves, candidates)]
        return moves

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
            if not self.blocked(b, i):
                self.assign(b, i)
                if not self.blocked(a, j):
                    self.assign(a, j)
                    return True
            self.rollback(mark)
        return False

    def _lifted_by(self, conflict: Conflict | None, j: int) -> bool:
        """Could taking shift j away lift `conflict`? Not an overlap or too short a rest
        with another shift: those are between two shifts, whatever else the person holds."""
        return conflict is None or conflict.rule not in PAIRWISE or conflict.other is self.works[j]
