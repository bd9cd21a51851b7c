"""Coverage of the day: the hours someone must always be on duty, and the holes a roster leaves.

The rule is `coverage:` in rosters/rules.yaml (default: around the clock, any role, as a 值班
desk is run):

    coverage:
      hours: ["00:00-24:00"]   # wall-clock ranges each day; "20:00-08:00" runs past midnight
      roles: [service]         # who counts as on duty (default: anyone rostered)

A hole is a stretch of required time that no filled place covers, reported with its times.
Before the first shift of a roster whose previous day no roster holds, nobody is expected yet
(the desk opens with the roster); after the period, the next roster takes over.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from dutyctl.frozen import frozen
from dutyctl.timeutil import days_between
from dutyctl.messages import t

DAY_START, DAY_END = time(0), time(23, 59, 59, 999999)  # "24:00" is kept as DAY_END


@frozen
class Coverage:
    hours: tuple[tuple[time, time], ...] = ((DAY_START, DAY_END),)  # () = no coverage rule
    roles: tuple[str, ...] | None = None  # None: anyone rostered counts
    line: int = 0


def rule_label(hours: tuple[tuple[time, time], ...]) -> str:
    """The rule by its hours, as a finding names it: 全天值守 (coverage of the day) when they
    are the whole day, else 值守时段 07:00–23:00 (covered hours …): a rule of 16 hours a
    day called 全天 told the supervisor the wrong rule."""
    if not hours or _required_minutes(Coverage(hours=hours)) == [(0, 1440)]:
        return t("coverage of the day")
    return t("covered hours {hours}", hours=t(", ").join(
        f"{_clock_text(minutes_of(start))}–{_clock_text(minutes_of(end))}"
        for start, end in hours))


@frozen
class Hole:
    start: datetime
    end: datetime
    hours: tuple[tuple[time, time], ...] = ()  # the rule's (`rule_label`); (): the whole day

    def describe(self) -> str:
        same_day = self.start.date() == self.end.date() or (
            self.end.time() == time(0) and self.end.date() == self.start.date() + timedelta(1))
        from dutyctl.output import day_label

        # days as every roster screen writes them (12月1日 周二, Tue 12-01)
        end = _clock(self.end) if same_day else f"{day_label(self.end.date())} {_clock(self.end)}"
        return t("{rule}: {day} {start}–{end} nobody on duty", rule=rule_label(self.hours),
                 day=day_label(self.start.date()), start=_clock(self.start), end=end)


    def data(self) -> dict:
        """The hole for the machine formats (its hours as `attendance` and the reports give
        them)."""
        from dutyctl.output import hours_figure

        return {"rule": HOLE_RULE, "start": self.start, "end": self.end,
                "hours": hours_figure(self.end - self.start)}


#: the finding key of hours of the day nobody is on duty (json/yaml/csv)
HOLE_RULE = "coverage_hours"
#: the day kinds a shift's `days` names (an RRULE's days are the rule's: not judged here)
WORKDAY, RESTDAY = "workday", "restday"


def pattern_holes(coverage: Coverage, shifts) -> dict[str, list[str]]:
    """The stretches of the required hours the shifts themselves leave with nobody, every seat
    filled, on a working day after a working day and on a rest day after a rest day: a
    shift ending at 19:00 before a night from 20:00 is a hole every day, known from the rules
    before any roster (`check` says it; `generate` finds it in each day). Day kind -> its
    stretches as clock times (`19:00–20:00`). Nothing when a shift's days are an RRULE (which days it covers is
    the rule's, not a day kind's): no guess."""
    if not coverage.hours or any(shift.days == "rrule" for shift in shifts):
        return {}
    counted = [shift for shift in shifts if not shift.on_call and any(
        count > 0 and (coverage.roles is None or role in coverage.roles)
        for role, count in shift.need)]
    found = {}
    for kind in (WORKDAY, RESTDAY):
        on = [shift for shift in counted if shift.days in ("daily", f"{kind}s")]
        spans = []
        for shift in on:  # the day before's (of the same kind) and this day's own
            start = minutes_of(shift.start)
            end = minutes_of(shift.end) + (1440 if shift.crosses_midnight else 0)
            spans += [(start - 1440, end - 1440), (start, end)]
        covered = _merge(spans)
        holes_of = [(max(start, 0), min(end, 1440))
                    for start, end in _required_minutes(coverage)
                    for start, end in _uncovered(start, end, covered)]
        if holes_of := [(start, end) for start, end in holes_of if end > start]:
            found[kind] = [f"{_clock_text(start)}–{_clock_text(end)}" for start, end in holes_of]
    return found


def minutes_of(clock: time) -> int:
    """A clock time as minutes from 00:00 ("24:00", DAY_END: 1440)."""
    return 1440 if clock == DAY_END else clock.hour * 60 + clock.minute


def _clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"  # 1440: 24:00, the day's end


def _required_minutes(coverage: Coverage) -> list[tuple[int, int]]:
    """The rule's hours of one day as minutes from its 00:00 (a range past midnight: to its
    24:00, and from 00:00, the night before's)."""
    spans = []
    for start, end in coverage.hours:
        begin = minutes_of(start)
        if end == DAY_END:
            spans.append((begin, 1440))
        elif end <= start:
            spans += [(begin, 1440), (0, minutes_of(end))]
        else:
            spans.append((begin, minutes_of(end)))
    return _merge(spans)


def said_in_runs(holes) -> list[str]:
    """The holes as lines, the same hours on consecutive days said once (`12月1日 周二至12月31日
    周四 每天 19:00–20:00 无人值班`): a shift ending an hour early left 31 lines, one a day,
    where the supervisor needs the one fact. A hole of its own hours stays one line."""
    from dutyctl.output import day_label

    runs: list[list[Hole]] = []
    open_runs: dict[tuple, list[Hole]] = {}  # (clock, length) -> its run still growing
    for hole in sorted(holes, key=lambda hole: hole.start):
        kind = (hole.start.timetz(), hole.end - hole.start)  # two holes a day: two runs
        run = open_runs.get(kind)
        if run is not None and hole.start - run[-1].start == timedelta(days=1):
            run.append(hole)
        else:
            open_runs[kind] = [hole]
            runs.append(open_runs[kind])
    lines = []
    for run in runs:
        if len(run) < 3:
            lines += [hole.describe() for hole in run]
            continue
        first, last = run[0], run[-1]
        lines.append(t("{rule}: {first} to {last}, every day {start}–{end} "
                       "nobody on duty ({count} days)", rule=rule_label(first.hours),
                       first=day_label(first.start.date()),
                       last=day_label(last.start.date()), start=_clock(first.start),
                       end=_clock(first.end), count=len(run)))
    return lines


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def parse_range(text: str) -> tuple[time, time] | None:
    """"08:00-20:00" (or with an en dash, a tilde or 至; "8:00", or typed in full-width mode
    "０８：００－２０：００"); "24:00" as an end means the end of the day."""
    from dutyctl.folding import half_width

    if not isinstance(text, str):
        return None
    parts = re.split(r"\s*(?:-|–|—|~|〜|至|到)\s*", half_width(text).strip())
    if len(parts) != 2:
        return None
    start = _clock_of(parts[0])
    end = DAY_END if parts[1] in ("24:00", "24:00:00") else _clock_of(parts[1])
    if start is None or end is None:
        return None
    return (start, end) if start != end else None


def _clock_of(text: str) -> time | None:
    from dutyctl.timeutil import parse_clock

    try:
        return parse_clock(text) or time.fromisoformat(text)
    except ValueError:
        return None


def required(coverage: Coverage, first: date, last: date, tz: tzinfo) -> list[tuple[int, int]]:
    """Required stretches as merged (start, end) epoch pairs for the days first..last."""
    spans = []
    for day in days_between(first, last):
        for start, end in coverage.hours:
            begin = datetime.combine(day, start, tzinfo=tz)
            if end == DAY_END:
                finish = datetime.combine(day + timedelta(days=1), DAY_START, tzinfo=tz)
            elif end <= start:
                finish = datetime.combine(day + timedelta(days=1), end, tzinfo=tz)
            else:
                finish = datetime.combine(day, end, tzinfo=tz)
            spans.append((int(begin.timestamp()), int(finish.timestamp())))
    return _merge(spans)


def required_at(coverage: Coverage, at: datetime, tz: tzinfo) -> bool:
    """`at` lies in the hours the rule says someone must be on duty (a night from the day
    before counts): nobody on site then is a hole, as `holes` reports it."""
    day = at.astimezone(tz).date()
    moment = at.timestamp()
    return any(start <= moment < end
               for start, end in required(coverage, day - timedelta(days=1), day, tz))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def holes(coverage: Coverage, slots, first: date, last: date, tz: tzinfo,
          opened: bool = False) -> list[Hole]:
    """Required time from first 00:00 to last 24:00 that no filled slot covers. `slots` may
    include neighbouring rosters' slots (a night from the day before covers the small hours).
    Unless `opened` (a roster holds the previous day), time before the first slot that starts
    in the period is not required."""
    if not coverage.hours:
        return []
    window_start = int(datetime.combine(first, DAY_START, tzinfo=tz).timestamp())
    window_end = int(datetime.combine(last + timedelta(days=1), DAY_START,
                                      tzinfo=tz).timestamp())
    covered = _merge([(int(s.start.timestamp()), int(s.end.timestamp())) for s in slots
                      if s.staff and not s.on_call  # at home does not cover the desk
                      and (coverage.roles is None or s.role in coverage.roles)])
    if not opened:
        starts = [int(s.start.timestamp()) for s in slots if first <= s.date <= last]
        window_start = max(window_start, min(starts, default=window_end))
    found = []
    for start, end in required(coverage, first - timedelta(days=1), last, tz):
        start, end = max(start, window_start), min(end, window_end)
        for gap_start, gap_end in _uncovered(start, end, covered):
            found.append(Hole(datetime.fromtimestamp(gap_start, tz),
                              datetime.fromtimestamp(gap_end, tz), coverage.hours))
    return found


def stretches_uncovered(coverage: Coverage, covered: list[tuple[int, int]], lo: int, hi: int,
                        tz: tzinfo) -> int:
    """How many stretches of required time within lo..hi (epoch seconds) the (start, end)
    spans `covered` leave with nobody: what the solver weighs before moving a shift's only
    person (time outside the rule's hours is not a hole)."""
    return len(uncovered_spans(coverage, covered, lo, hi, tz))


def uncovered_spans(coverage: Coverage, covered: list[tuple[int, int]], lo: int, hi: int,
                    tz: tzinfo) -> list[tuple[int, int]]:
    """The stretches of required time within lo..hi (epoch seconds) that the (start, end)
    spans `covered` leave with nobody, in order."""
    if not coverage.hours:
        return []
    merged = _merge(covered)
    if next(_uncovered(lo, hi, merged), None) is None:
        return []  # all of lo..hi covered, whatever hours the rule needs
    first, last = datetime.fromtimestamp(lo, tz).date(), datetime.fromtimestamp(hi, tz).date()
    return [span for start, end in _required_around(coverage, first - timedelta(days=1), last, tz)
            if max(start, lo) < min(end, hi)
            for span in _uncovered(max(start, lo), min(end, hi), merged)]


_REQUIRED_KEPT: dict[tuple, tuple] = {}  # `_required_around`'s, at most 1,024


def _required_around(coverage: Coverage, first: date, last: date,
                     tz: tzinfo) -> tuple[tuple[int, int], ...]:
    """`required`, kept: the solver weighs a move around the same few days many times (a
    raise asks twice per window for each option: most of its time went here). Kept by the
    rule's identity, not its value: hashing and comparing the frozen rule field by field
    (an lru_cache's key) was a fifth of a short-staffed month's raise. Each entry holds its
    rule, so no other rule can have that id while the entry is kept."""
    key = (id(coverage), first, last, tz)
    kept = _REQUIRED_KEPT.get(key)
    if kept is None:
        if len(_REQUIRED_KEPT) >= 1024:
            _REQUIRED_KEPT.clear()
        kept = _REQUIRED_KEPT[key] = (coverage, tuple(required(coverage, first, last, tz)))
    return kept[1]


def _uncovered(start: int, end: int, covered: list[tuple[int, int]]):
    cursor = start
    for begin, finish in covered:
        if finish <= cursor:
            continue
        if begin >= end:
            break
        if begin > cursor:
            yield cursor, begin
        cursor = max(cursor, finish)
        if cursor >= end:
            return
    if cursor < end:
        yield cursor, end
