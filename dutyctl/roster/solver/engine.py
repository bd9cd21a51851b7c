"""The solver: its phases put together (`Solver.solve`) and the function generate calls."""

from __future__ import annotations

from datetime import date

from dutyctl.roster.positions import Position
from dutyctl.roster.rules import Rules
from dutyctl.roster.stats import Worked
from dutyctl.roster.timeline import Work
from dutyctl.roster.solver.state import Solution
from dutyctl.roster.solver.filling import Filling
from dutyctl.roster.solver.improving import Improving
from dutyctl.roster.solver.levelling import Levelling
from dutyctl.roster.solver.raising import Raising
from dutyctl.roster.solver.stack import with_room


class Solver(Raising, Levelling, Improving, Filling):
    def solve(self) -> Solution:
        """The places on site first, on-call duties then around them: someone who can do both
        is never kept at home while the desk needs them."""
        everything = [i for i in range(len(self.positions)) if i not in self.frozen]
        self.active = [i for i in everything if not self.positions[i].on_call]
        for stage in (1, 2):
            if stage == 2:
                if len(self.active) == len(everything):
                    break
                self.active = list(everything)
            self.greedy()
            self.repair()
            self.improve()
            self.repair()
            self.start_levelling()
            self.level()
            self.cover()
            self.close_holes()  # the coverage rule's hours before the counts are raised
            self._raise_all()
            self.top_up()
            self.fill_open()
            holders = self.assigned[:self.planned]
            self.seat_lone_shifts()
            if self.continues_year:
                # a shift with nobody took someone who gave up places for it: the month's
                # chains start from those places
                given_up = {i for i, s in enumerate(holders)
                            if s is not None and self.assigned[i] is None}
                if given_up:
                    self.fill_open(given_up)
            if self.ends_year:  # its counts are the year's: raised once every shift is seated
                self._raise_all(last=True)
                # then levelled once more: the raise and the fills since levelling moved the
                # counts, and a move or week re-shared may now narrow one (L at a quarter of
                # its staff, seed 0, by month: nights 2 -> 1 apart)
                self.level()
            self.hand_hours_past()
            self.pack_weeks()
        own = self.assigned[:self.planned]
        reasons = {i: self.blocked_reason(i) for i, s in enumerate(own) if s is None}
        staff, ahead = ([self.members[s].id if s is not None else None for s in part]
                        for part in (own, self.assigned[self.planned:]))
        return Solution(staff, reasons, fixed=frozenset(self.fixed), work=self.checks,
                        ahead=ahead)


def solve(rules: Rules, positions: list[Position], first: date, last: date, seed: int = 0,
          history: dict[str, list[Work]] | None = None,
          wanted: dict[int, tuple[str, str]] | None = None,
          carried: list[Worked] | None = None, ahead: list[Position] | None = None,
          later: bool = False, kept: dict[int, str | None] | None = None) -> Solution:
    """`ahead`: the places of the days after the period up to the end of its last ISO week,
    solved with it and left out of the solution, so the period leaves the week's hours and
    the rest those days need (the next roster, generated later, finds them). `later`: a
    roster already covers a later day of the period's year (`neighbours.year_planned`).
    `kept`: positions held as they are, never solved (`State.keep`: a roster in use's days
    begun)."""
    solver = Solver(rules, positions, first, last, seed, history, carried, ahead, later)
    solver.keep(kept or {})
    notes = solver.fix(wanted or {})
    solution = with_room(solver.solve)  # the searches' recursion in one chunk of frames
    solution.notes = notes
    return solution
