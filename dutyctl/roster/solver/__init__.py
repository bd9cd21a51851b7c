"""Filling positions: a greedy pass in time order, then repair and improvement by local search.

Objective (lower is better), the same for every phase:

    J = sum over fairness metrics m and staff s of  weight_m * (load_ms / unit_m)^2 / capacity_s
        + preference_weight * (avoided shifts worked - wanted shifts worked)

with capacity_s = fte * (available days / days in the period). For a fixed total, the sum of
squares is smallest when every load is proportional to capacity: fair shares "in proportion to
availability and contract". Hard rules are never broken by the solver (`Timeline.conflict`).

1. Greedy: positions in start order (the most constrained first at equal start), first seats
   of every shift before second ones, the days ahead's (after the period in its last ISO
   week, planned and not kept) first seats before the period's second ones, as in a joint
   run of both; each goes to the feasible candidate whose load raises J least; ties by a
   seeded random rank.
2. Repair: an unfilled position takes a blocked candidate after moving away one or two of that
   person's nearby shifts to someone else (a short ejection chain, bounded effort); the last
   few open places get one deeper chain each (`_rescue`), as soon as the capacity leaves no
   more open (not after a two-step chain has spent its budget on them first). No repair
   where its one-step chains would spend its whole effort filling nothing (`_stuck`: proven
   place by place, at the checks each would cost; the cover's chains after levelling come to
   them), so the solve's later repairs have none either, as before; proven again after a
   place of the days ahead the repair filled (their first seats come before the period's
   second ones).
3. Improve: moves (one position to another person) and swaps (two people exchange positions)
   while J drops; no swap is tried where a shift the receiver keeps clashes with the position
   (overlap or rest: only the shift it hands back could lift that).
4. Level: inside each group of comparable staff (`stats.comparable_key`: the spread `roster
   stats` shows; colleagues of one `stats.colleague_key` in none of those groups, where none
   of them is, their leave each unlike the others', are one group at its mean capacity), the
   most loaded with nights, weekends, holidays, on-call duties or hours hands
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
   either holds, and the open ones, anew (`_reshare_from`; in the year's last month, where
   no week re-shared is kept, the two then swap a few days, `_swap_days`); where none can,
   the least loaded plans their own days of three weeks anew, days off moved so that a
   shift more fits (`_replan`; a week holds at most as many of a person's shifts as their
   own shortest shift's hours fit, not the site's). After the rounds, a group still more
   than a shift apart re-shares windows of up to RESHARE_LATE_PLACES places within a fresh
   allowance, its re-plans' counts levelled back (`_level_hours_late`); where the least
   loaded's re-plan among open places finds nothing, they take a place of the week from one
   of the most loaded and re-plan their days around it (`_take_and_replan`: a part-week at
   the year's edge whose open places rest and runs rule out). It minimises J plus the
   groups' spread term (`change_cost`), within a work budget (`LevelBudget`: re-sharing and
   re-planning each within its own).
5. Cover: each place still open gets one more chain of up to two steps, kept only if no
   group's spread ends wider (`cover`; a chain's mend levels only within the cover's effort,
   and ends at the first count it cannot bring back): the repair's effort, shared in fill
   order, does not reach a short-staffed month's last weeks; this one passes over places no
   chain can fill.
   Then (`_augment`) each role's week with open places is re-packed between two people
   (one taking the long shifts, the other the short ones: hours left over by each gathered
   into one more place), a shift nobody holds takes someone from a second seat, and each
   open place gets a breadth-first chain of up to four people, each kept where the spreads
   mend back (a count one apart allowed where the change raised the group's total of it);
   what that effort leaves goes to re-packs by two again (a week a later change left with
   room for one more place) and among three people — unless the chains stalled
   (STALL_EFFORT checks per position, at least STALL_FLOOR, filling no place) after more
   than STALL_LONG checks: then augment ends there. A group whose hours the late re-plans narrowed may end up to two of the
   site's shortest shifts apart (COVER_GIVE_BACK), and after augment the places still open
   get it once more, with that group's hours allowed back to their spread before its first
   late re-plan (coverage first), where that spread is wider than the first pass allowed
   (a re-plan that raised the least loaded but left the gap as wide allows nothing more),
   every other spread held where the first pass left it.
   The mend after each change the cover and augment keep spends at most MEND_BUDGET
   checks: one that needs more nearly always fails. A group
   still more than a shift apart then goes through levelling's late stage once more
   (`level_hours_covered`: the pairs' week re-shares, then its least loaded re-planning
   each in turn), its re-plans taking a place from one of the most loaded first (as many
   places filled), kept only where the group's most loaded come down
   (fewer at the top, or a narrower gap); a count the taken place left wider is handed back
   by the raise's exchange (`_give_back_counts`: the one who gave it takes an open place
   with more of it for one of theirs with less).
   Then the holes in the day (`close_holes`): the coverage rule's hours nobody on site
   covers (the days ahead's too), each where a shift with nobody of a role the rule counts
   spans it, take someone free for that place, else someone who gives up the places that
   block them (up to LONE_BLOCKERS), each one whose time others cover (an office seat beside
   the day shift, a second seat), the fewest places left open first, then the cheapest;
   levelling runs again where a spread widened, and the holes it moved are tried once more.
   The steps before count every place alike and the greedy fill takes them as they start:
   short of clerks, the weekday offices used the week's hours and left weekend nights with
   nobody on site.
6. Raise: short-staffed, a group one or two night, weekend or holiday shifts apart raises its
   total, each one below taking an open place with more of it (a night, a weekend) and
   leaving open a place of theirs with less (`_raise_below`), of the same shift or, as long,
   of another: a depth-first search, kept only if all of them can and no spread widens,
   each change listed before it made anew on the roster it has left (`_refreshed`: a seat
   an earlier change filled gives way to the next); a
   change between shifts that fills a later seat than it leaves open is kept only if each
   shift ends with as many places filled. Where no such change fits, the raise is tried
   again with changes that also move the one below's shift that clashes with the open place
   (an overlap, a rest) to another shift of its day (`_aside`), then, in a period that ends
   its year, with changes where a colleague takes the place the one below gives up (its
   shift's only seat, which the raise never empties for a second seat) and leaves open a
   place of theirs in its week, as long and with as much of every count (`_hand_on`).
   Where the raise evens one
   count but leaves another one apart by lowering the group's total of it (a weekend late
   taken for a night), that count is raised in turn (`_mend_raised`; in a period that ends
   its year). A group two or more apart raises its lowest alone first, again while that
   narrows the gap (`_raise_lowest`), where they are fewer than everyone below the top
   or the group is more than two apart (the raise of everyone below takes two at most).
   A group the raise leaves one weekend or holiday shift apart (where the counts are final,
   the year's last month or a period planned to 31 December: one night too, and two apart),
   fewer above than below,
   lowers its odd ones above instead, all of them or none (by rank, then in the reverse
   order where that fails: `_lowering_orders`), each group within its own effort
   (`_lower_odd`): each leaves a place
   of theirs open and an open place of the same shift nearby (else of another as long: a
   weekday's clean for a weekend clean, an early for a night) is filled by a breadth-first
   chain of colleagues, each giving up the shift that clashes with the one they take, the
   one above last where it can (`_lower_through`; rest ties a weekday's early to the late
   before it and the night after, so the exchange passes through two or three people).
   Where no chain fills it and a run (of days or nights) or its week's hours keep the one above from
   the open place, they also leave open a place of theirs of another week that lifts them
   and take an open place like that one (every count the same) in the week of the place
   left open, whose hours that freed (`_lower_across`: an exchange across two weeks, each
   shift's coverage kept). Last, the one above hands such a place to a colleague below,
   who leaves a later seat of another such shift open while the one above (or, for the
   counts, the colleague for a place of theirs handed back) fills an open place like it in
   the week (`_lower_by_handover`). In the year's last month, where a group was lowered,
   the raise runs once more, the places the lowering moved between shifts counted as its
   own (so it may give them back): the ones below take the places the ones above left.
7. Top up (`top_up`), in a month that continues its year: each place still open goes to
   the candidate it costs least who can take it breaking no hard rule, where no count's
   spread widens and, while months of the year are still to come and no roster covers them
   yet (`year_goes_on`), the hours' at most by the place's own hours (the next month's fill,
   weighing the year so far, levels that back). Then each role's week still open, where the
   role's staff are few, is re-shared whole among all of them (`_repack_teams`): a place
   held may open for two filled elsewhere, which no chain or re-pack by two or three tries.
   Then, coverage first (`fill_open`), each place still open gets a chain of up to four
   people with no spread consulted, and levelling runs again where that filled one (its
   changes keep as many places filled): the month's phases held the spreads to the year so
   far's and refused fills the joint run mends elsewhere in the year. Last, each role's week
   still open but the crossing one is re-packed by two people as augment's are, kept where
   the hours end at most one shift above the wider of their spread and one shift, and no
   count wider (`_repack_wider`; L at three quarters of its staff by month had filled 45 and
   59 places fewer than at once on seeds 2 and 4); in the year's last month each week still
   open then again together with the week before it (a place refused for rest or a run of
   days begun that week).
8. Seat the shifts with nobody (`seat_lone_shifts`), next to last in each stage: a shift the
   period leaves with nobody of a role takes someone free for it, else someone of the role from
   another shift's extra seat nearby (a place for a place), else someone who gives up the
   two extra seats that block them (say a shift that used up their week's hours and one too
   soon after the night), each kept only where no count's spread ends wider and the hours'
   by at most one place's in all; where none is kept so, coverage first: the cheapest where
   the taker's group ends at most one shift further apart than before the step, its counts
   then raised back as in step 6's raise. In a month that continues its year, the places
   given up so get step 7's chains (`fill_open` on those alone, no re-pack after them; M
   at half its staff, December, seed 1: a service night's taker left a second day seat open
   that nothing filled; 674 places by month, 675 now, as at once). The days ahead's shifts
   are seated too, their taker free or giving up or handing on places of the period near
   them (the chains leave a place given up in the crossing week open): the next month,
   whose first days they are, finds the week's hours for them.
9. Hand hours past a clash (`hand_hours_past`), where levelling's late stage runs (not in a
   month that continues its year but its last), after every step that fills: a group still
   more than a shift apart in hours has one of its most loaded hand a place to its least
   loaded, who has room in that week, where a place of theirs clashes with it (no rest
   between a day and that day's night): a colleague takes that place and gives them one
   like it (as long, as many of each count; where that one clashes in turn with a place of
   theirs, that place goes to a colleague for one as long: `_swapped_past`), so the least
   loaded gain the place's hours, every place stays filled and no gap ends wider than
   levelling accepts (`_hand_past`; places of the period only, within a re-sharing
   allowance). Earlier, before the cover, the
   narrower hours held the cover's fills back (L at three quarters of its staff, seed 1,
   33 places fewer).
10. Pack the weeks (`pack_weeks`), after step 9 in each stage: in each ISO week with an open
   place, each person who may take one plans their week's places on site anew for more
   places with the same hours, nights, weekend and holiday shifts, a second seat they hold
   opening where shorter places fill instead (two 12 h day seats for three 8 h shifts); the
   chains and re-packs keep each held place filled (but the team re-pack, where a role's
   staff are few), so hours left under the week's limit (45 of 48 h in 12 h days and a 9 h
   office shift) stayed too few for a place. No one's hours or counts change (only their
   number of shifts), so no spread of the period does.
Loads start from the year to date (`_carry`): a month after earlier rosters of its year levels
the year so far, without step 4's re-plans, late stage and counts re-shared by the week
and step 6's raise, but in the year's last month (`ends_year`: its loads are the year's),
which raises last of all, once its shifts are seated, and then levels once more.
Deterministic: fixed orders, integer budgets, no clocks.

One module a part, each phase a class over the shared state (`engine.Solver` inherits them
all, so a phase calls another's helpers through `self`):
- `state.State`: who holds what, the timelines and loads, costs (J and `change_cost`, priced
  in batches where levelling lists a place's every move and swap: `move_costs`,
  `swap_costs`, each the same sums in the same order), the undo log, the pinned places
  (`fix`), the blocking reasons of an open place, a place given up with its shift's last
  seat left open (`_vacate`), and the time the places on site cover (`_covering`,
  `_splits_cover`);
- `filling.Filling`: greedy, repair, rescue, cover and its re-packs and chains, the holes in
  the day closed, top-up and the coverage-first fill, the shifts with nobody seated, the
  weeks packed last (1, 2, 5, 7, 8, 10);
- `improving.Improving`: moves and swaps (3);
- `levelling.Levelling`: trades, stretch exchanges, weeks re-shared whole (4), the odd ones
  above lowered through chains (6), hours handed past a clash (9);
- `raising.Raising`: the ones below take open places with more of a count (6);
- `engine.Solver`: the phases in order (`solve`), and `solve()`, what generate calls;
- `budgets`: every search budget, read as `budgets.NAME` (one place to set one).
"""

from dutyctl.roster.solver.engine import Solver, solve
from dutyctl.roster.solver.state import (
    EPSILON, HOLIDAYS, HOURS, NIGHTS, ON_CALL, WEEKENDS, LevelBudget, Solution, capacity,
    hours_unit, preference_score, work_of)

__all__ = ["EPSILON", "HOLIDAYS", "HOURS", "NIGHTS", "ON_CALL", "WEEKENDS", "LevelBudget",
           "Solution", "Solver", "capacity", "hours_unit", "preference_score", "solve", "work_of"]
