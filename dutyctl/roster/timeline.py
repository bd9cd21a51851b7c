"""One person's shifts, kept so every hard rule is checked in O(log n) when adding a shift.

The solver, `explain`, `swap` and `override` ask `conflict(work)`: would this person break a
hard rule by also working `work`? `dutyctl roster check` uses `violations()` for a full report
of a finished roster; both read the same limits and the same definitions:

- overlap: two shifts of one person share any moment;
- min_rest_hours: fewer hours than that between the end of one shift and the next start;
- max_consecutive_days: more days in a row on which a shift starts;
- max_nights_in_a_row: more days in a row on which a night shift starts;
- max_hours_per_week: more hours in shifts starting in one ISO week (Monday to Sunday).

An on-call duty (备班, at home) only may not overlap another shift: it needs no rest before or
after it and counts in no run of days or nights and in no week's hours. A call-out that
shortens the rest is the desk's concern (`dutyctl callout end` warns).
"""

from __future__ import annotations

from bisect import bisect_left
from functools import partial
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, NamedTuple

from dutyctl.roster.rules import ON_THIS_SHIFT, Limits


def sum_in_order(values: Iterable[float]) -> float:
    """Hours and loads added one after another, as `sum` added floats before Python 3.12,
    whose `sum` compensates rounding: with a shift of 9 h 10 min the solver's sums came out a
    last bit apart, and 3.12 generated another roster than 3.11 from the same rules. Every
    sum of floats the roster's decisions read goes through here, so a roster is the same on
    every Python."""
    total = 0
    for value in values:
        total += value
    return total


@dataclass(frozen=True, slots=True, order=True)
class Work:
    """One shift worked, in the units the checks use (epoch seconds and day ordinals)."""

    start: int
    end: int
    day: int  # ordinal of the day the shift starts
    night: bool
    hours: float
    key: Any  # what it is: (date, shift id, role, seat) or any label for messages
    on_call: bool = False  # at home, reachable: only overlaps count

    @property
    def date(self) -> date:
        return date.fromordinal(self.day)

    @property
    def role(self) -> str | None:
        """The role of the shift, when its key says it (date, shift, role, seat); else None."""
        return self.key[2] if isinstance(self.key, tuple) and len(self.key) > 2 else None


def blocking_rule(conflict: Conflict, day: date, shift_id: str) -> str:
    """The rule key a holder of the role kept from a place of `shift_id` on `day` is said by:
    `ON_THIS_SHIFT` where the clash is with another seat of that very shift (a second seat
    of one's own shift), else the conflict's rule."""
    other = conflict.other
    if conflict.rule == "overlap" and other is not None and other.role is not None \
            and tuple(other.key[:2]) == (day, shift_id):
        return ON_THIS_SHIFT
    return conflict.rule


def week_of(day: int) -> int:
    """The ordinal of the Monday of the ISO week of day ordinal `day` (ordinal 1 is a Monday).
    Inlined in three hot places below (Timeline's checks): change them with it."""
    return day - (day - 1) % 7


class Conflict(NamedTuple):
    """A hard rule a shift would break. A value built at every check the solver is refused
    (most of them in a short-staffed month): a named tuple, five times cheaper to build than
    a frozen dataclass."""

    rule: str
    other: Work | None  # the shift it clashes with, when there is one (for max_hours_per_week:
    #                     a shift not checked here, of another roster or one an edit leaves
    #                     as it is, that takes the week over the limit)
    value: float  # hours of rest, days or nights in a row, hours in the week (up to the shift)
    week: int | None = None  # max_hours_per_week: the ordinal of the week's Monday
    total: float | None = None  # ... and the week's hours in all, when more than `value`

    def describe(self, limits: Limits, label) -> str:
        """What breaks the rule, in figures; the caller names the rule (rules.rule_label)."""
        from dutyctl.messages import t

        if self.rule == "overlap":
            return t("overlaps {other}", other=label(self.other))
        if self.rule == "min_rest_hours":
            return t("{rest:g}h rest next to {other}, needs {limit:g}h",
                     rest=round(self.value, 2), other=label(self.other),
                     limit=limits.min_rest_hours)
        if self.rule == "max_consecutive_days":
            return t("{days} days in a row, at most {limit}",
                     days=int(self.value), limit=limits.max_consecutive_days)
        if self.rule == "max_nights_in_a_row":
            return t("{nights} nights in a row, at most {limit}",
                     nights=int(self.value), limit=limits.max_nights_in_a_row)
        return self._week_hours(limits, label)

    def _week_hours(self, limits: Limits, label) -> str:
        """`_weekly`, and where a part-timer's limit comes from when the rules never wrote
        it (fte 0.5: 24 h, half the site's 48): a supervisor who set 48 h reads 24."""
        from dutyctl.messages import t

        said = self._weekly(limits, label)
        if limits.weekly_share is None:
            return said
        fte, site = limits.weekly_share
        return t("{problem} (fte {fte:g}: that share of the site's {site:g}h a week)",
                 problem=said, fte=fte, site=site)

    def _weekly(self, limits: Limits, label) -> str:
        """The week by its Monday, and the hours it reaches with the shift that takes it over
        the limit (this one, or `other` of a neighbouring roster). Without a `total`, `value`
        counts the whole week with this shift (conflict: explain, override), so the words
        must not say "up to this shift"."""
        from dutyctl.messages import t
        from dutyctl.output import day_label

        hours, limit = round(self.value, 2), limits.max_hours_per_week
        if self.week is None:  # built without its week (Timeline always names it)
            return t("{hours:g}h in the week with this shift, at most {limit:g}h",
                     hours=hours, limit=limit)
        monday = day_label(date.fromordinal(self.week))
        if self.other is not None:
            return t("the week from {monday} reaches {hours:g}h with {other}, at most "
                     "{limit:g}h", monday=monday, hours=hours, other=label(self.other),
                     limit=limit)
        if self.total is not None and self.total > self.value + 1e-9:
            return t("the week from {monday} reaches {hours:g}h with this shift "
                     "({total:g}h in all), at most {limit:g}h", monday=monday, hours=hours,
                     total=round(self.total, 2), limit=limit)
        return t("the week from {monday} reaches {hours:g}h with this shift, at most "
                 "{limit:g}h", monday=monday, hours=hours, limit=limit)


class Timeline:
    __slots__ = ("limits", "rest", "most_days", "most_nights", "most_hours", "works", "starts",
                 "days", "nights", "weeks")

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rest = int(limits.min_rest_hours * 3600)
        # the limits `conflict` compares with, read once: it is the solver's hottest check
        self.most_days = limits.max_consecutive_days
        self.most_nights = limits.max_nights_in_a_row
        self.most_hours = limits.max_hours_per_week + 1e-9
        self.works: list[Work] = []
        self.starts: list[int] = []
        self.days: dict[int, int] = {}
        self.nights: dict[int, int] = {}
        self.weeks: dict[int, float] = {}

    def add(self, work: Work) -> None:
        """The work in start order and counted (`_count`), written out: the solver adds and
        removes a shift at each change it tries, and a short-staffed month tries and undoes
        thousands. The place is a bisect over the starts: comparing Work values field by
        field was most of the cost (the same object is never less: `remove` finds it at
        once)."""
        starts, works, start = self.starts, self.works, work.start
        index = bisect_left(starts, start)
        while index < len(works) and starts[index] == start \
                and works[index] is not work and works[index] < work:
            index += 1
        works.insert(index, work)
        starts.insert(index, start)
        if not work.on_call:
            day, days = work.day, self.days
            days[day] = days.get(day, 0) + 1
            if work.night:
                nights = self.nights
                nights[day] = nights.get(day, 0) + 1
            week = day - (day - 1) % 7  # week_of, inlined: the hottest checks
            weeks = self.weeks
            weeks[week] = weeks.get(week, 0.0) + work.hours

    def remove(self, work: Work) -> None:
        """Found as `add` places it, and uncounted (`_uncount`), written out as there."""
        starts, works, start = self.starts, self.works, work.start
        index = bisect_left(starts, start)
        while index < len(works) and starts[index] == start \
                and works[index] is not work and works[index] < work:
            index += 1
        if index >= len(works) or (works[index] is not work and works[index] != work):
            raise ValueError(f"not in this timeline: {work}")
        del works[index]
        del starts[index]
        if not work.on_call:  # each count read once, the same values left
            day, days = work.day, self.days
            held = days[day]
            if held <= 1:
                del days[day]
            else:
                days[day] = held - 1
            if work.night:
                nights = self.nights
                held = nights[day]
                if held <= 1:
                    del nights[day]
                else:
                    nights[day] = held - 1
            week = day - (day - 1) % 7  # week_of, inlined: the hottest checks
            weeks = self.weeks
            hours = weeks[week] - work.hours
            if hours <= 1e-9:
                del weeks[week]
            else:
                weeks[week] = hours

    def given_back(self, work: Work) -> None:
        """What `remove(work)` and then `add(work)` leave in the counts, without moving the
        work: a day's count dropped (its key gone at none) and raised again, the week's hours
        less the work's then plus them (a sum rounded twice is not always the same sum)."""
        if not work.on_call:
            self._uncount(work)
            self._count(work)

    def _count(self, work: Work) -> None:
        """A shift worked on site added to the day's, the night's and the week's counts."""
        self.days[work.day] = self.days.get(work.day, 0) + 1
        if work.night:
            self.nights[work.day] = self.nights.get(work.day, 0) + 1
        week = work.day - (work.day - 1) % 7  # week_of, inlined: the hottest checks
        self.weeks[week] = self.weeks.get(week, 0.0) + work.hours

    def _uncount(self, work: Work) -> None:
        """`_count` undone; a day, night or week at none leaves its key."""
        _decrement(self.days, work.day)
        if work.night:
            _decrement(self.nights, work.day)
        week = work.day - (work.day - 1) % 7  # week_of, inlined: the hottest checks
        self.weeks[week] -= work.hours
        if self.weeks[week] <= 1e-9:
            del self.weeks[week]

    def conflict(self, work: Work) -> Conflict | None:
        """The first hard rule this person would break by also working `work`."""
        works, start, end = self.works, work.start, work.end
        index = bisect_left(self.starts, start)
        if index > 0:
            before = works[index - 1]
            if before.end > start:
                return _refused(("overlap", before, 0, None, None))
            if work.on_call or before.on_call:  # rest only between shifts worked on site
                before = None if work.on_call else self._worked(index - 1, -1)
            if before is not None and start - before.end < self.rest:
                return _refused(("min_rest_hours", before, (start - before.end) / 3600, None,
                                  None))
        if index < len(works):
            after = works[index]
            if end > after.start:
                return _refused(("overlap", after, 0, None, None))
            if work.on_call or after.on_call:
                after = None if work.on_call else self._worked(index, 1)
            if after is not None and after.start - end < self.rest:
                return _refused(("min_rest_hours", after, (after.start - end) / 3600, None,
                                  None))
        if work.on_call:
            return None
        day = work.day
        if day not in self.days:
            run = _run_through(self.days, day)
            if run > self.most_days:
                return _refused(("max_consecutive_days", None, run, None, None))
        if work.night and day not in self.nights:
            run = _run_through(self.nights, day)
            if run > self.most_nights:
                return _refused(("max_nights_in_a_row", None, run, None, None))
        week = day - (day - 1) % 7  # week_of, inlined: the hottest checks
        hours = self.weeks.get(week, 0.0) + work.hours
        if hours > self.most_hours:
            return _refused(("max_hours_per_week", None, hours, week, None))
        return None

    def blocks(self, work: Work) -> bool:
        """Whether `conflict(work)` finds a rule broken, without saying which: the week's
        hours (one look-up) first, then the neighbours and the runs as there, and no
        `Conflict` built. The searches that only ask whether a shift fits (re-shares,
        re-packs, chains' ends, moves) refuse most tries: in a short-staffed month most of
        the solver's checks."""
        on_call = work.on_call
        day = work.day
        if not on_call and self.weeks.get(day - (day - 1) % 7, 0.0) + work.hours \
                > self.most_hours:  # week_of, inlined
            return True
        works, start = self.works, work.start
        index = bisect_left(self.starts, start)
        if index > 0:
            before = works[index - 1]
            if before.end > start:
                return True
            if on_call or before.on_call:
                before = None if on_call else self._worked(index - 1, -1)
            if before is not None and start - before.end < self.rest:
                return True
        if index < len(works):
            after, end = works[index], work.end
            if end > after.start:
                return True
            if on_call or after.on_call:
                after = None if on_call else self._worked(index, 1)
            if after is not None and after.start - end < self.rest:
                return True
        if on_call:
            return False
        days = self.days
        if day not in days and _run_through(days, day) > self.most_days:
            return True
        nights = self.nights
        return bool(work.night and day not in nights
                    and _run_through(nights, day) > self.most_nights)

    def _worked(self, index: int, step: int) -> Work | None:
        """The nearest shift at or beyond `index` in direction `step` that is not on call."""
        while 0 <= index < len(self.works):
            if not self.works[index].on_call:
                return self.works[index]
            index += step
        return None

    def violations(self, mine=lambda work: True) -> list[tuple[Work, Conflict]]:
        """Every hard-rule break among the shifts here, each reported once at a shift for which
        `mine(work)` is true (shifts of neighbouring rosters only give context)."""
        found = []
        latest: Work | None = None  # the earlier shift ending last
        worked: Work | None = None  # ... of those not on call: rest is counted from it
        for work in self.works:
            if latest is not None and (mine(work) or mine(latest)) and latest.end > work.start:
                at, other = (work, latest) if mine(work) else (latest, work)
                found.append((at, Conflict("overlap", other, 0)))
            elif (worked is not None and not work.on_call and (mine(work) or mine(worked))
                  and work.start - worked.end < self.rest):
                at, other = (work, worked) if mine(work) else (worked, work)
                found.append((at, Conflict("min_rest_hours", other,
                                           (work.start - worked.end) / 3600)))
            if latest is None or work.end > latest.end:
                latest = work
            if not work.on_call and (worked is None or work.end > worked.end):
                worked = work
        limits = self.limits
        found += self._runs(self.days, limits.max_consecutive_days, "max_consecutive_days",
                            False, mine)
        found += self._runs(self.nights, limits.max_nights_in_a_row, "max_nights_in_a_row",
                            True, mine)
        for week, hours in sorted(self.weeks.items()):
            if hours > limits.max_hours_per_week + 1e-9:
                found += self._week_over(week, hours, mine)
        return found

    def _week_over(self, week: int, total: float, mine) -> list[tuple[Work, Conflict]]:
        """A week over its hours, reported at the shift that takes it over the limit (in the
        order they start), else at the first of mine after it, else (the excess falls in a
        neighbouring roster) at the last of mine before it, naming that other shift."""
        limit = self.limits.max_hours_per_week + 1e-9
        worked = [w for w in self.works if week_of(w.day) == week and not w.on_call]
        upto, crossing = 0.0, None
        for work in worked:
            upto += work.hours
            if crossing is None and upto > limit:
                crossing = work
            if crossing is not None and mine(work):  # the week is over the limit with it
                return [(work, Conflict("max_hours_per_week", None, upto, week, total))]
        before = [w for w in worked if mine(w)]
        if not before or crossing is None:
            return []
        reached = sum_in_order(w.hours for w in worked[:worked.index(crossing) + 1])
        return [(before[-1], Conflict("max_hours_per_week", crossing, reached, week, total))]

    def _runs(self, counts: dict[int, int], limit: int, rule: str, nights: bool, mine):
        """A run of days longer than `limit`, reported at the first of my shifts beyond it
        (or the last of mine in the run when the excess falls in a neighbouring roster)."""
        found = []
        for day in sorted(counts):
            if day - 1 in counts:
                continue
            length = 0
            while day + length in counts:
                length += 1
            if length <= limit:
                continue
            in_run = [w for w in self.works if day <= w.day < day + length
                      and (w.night or not nights) and mine(w) and not w.on_call]
            beyond = [w for w in in_run if w.day >= day + limit]
            if in_run:
                found.append(((beyond or in_run)[0] if beyond else in_run[-1],
                              Conflict(rule, None, length)))
        return found


# `Conflict(...)` without the named tuple's `__new__` (a Python function): a short-staffed
# month builds one at most of its checks (L at three quarters of its staff: 700,000). Every
# field is given, in the class's order.
_refused = partial(tuple.__new__, Conflict)


def _decrement(counts: dict[int, int], key: int) -> None:
    if counts[key] <= 1:
        del counts[key]
    else:
        counts[key] -= 1


def _run_through(counts: dict[int, int], day: int) -> int:
    """Length of the run of consecutive days through `day` if `day` were added."""
    length = 1
    before = day - 1
    while before in counts:
        length += 1
        before -= 1
    after = day + 1
    while after in counts:
        length += 1
        after += 1
    return length
