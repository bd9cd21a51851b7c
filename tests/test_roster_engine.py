"""The roster core: each hard rule, midnight, leave, roles, 调休, DST, determinism, fairness,
fixed rotations and continuity across the period boundary."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from benchmarks.roster_instances import medium, small
from dutyctl.roster import positions as positions_module, stats
from dutyctl.roster.positions import day_kind
from dutyctl.roster.rules import ON_THIS_SHIFT
from dutyctl.roster.solver import work_of
from dutyctl.roster.timeline import Timeline, Work
from dutyctl.timeutil import zone
from tests.helpers_roster import SHANGHAI, assert_no_violations, parse, rules_text, solve_text

SOLO = "- {id: a, name: 阿, roles: [service]}\n"
PAIR = SOLO + "- {id: b, name: 贝, roles: [service]}\n"
LOOSE = """\
min_rest_hours: 0
max_consecutive_days: 30
max_nights_in_a_row: 30
max_hours_per_week: 168
"""


def _limits(**changes) -> str:
    lines = dict(line.split(": ") for line in LOOSE.strip().splitlines())
    lines.update({key: str(value) for key, value in changes.items()})
    return "\n".join(f"{key}: {value}" for key, value in lines.items()) + "\n"


def _filled(placed, staff: str | None = None) -> list[tuple[date, str]]:
    return [(p.day, p.shift.id) for p, who in placed if who and (staff is None or who == staff)]


def _unfilled(placed) -> list[tuple[date, str]]:
    return [(p.day, p.shift.id) for p, who in placed if who is None]


def _rules_broken(reasons) -> set[str]:
    return {rule for blocked in reasons.values() for _, rule in blocked}


def test_no_overlapping_shifts():
    shifts = """\
    - {id: morning, start: "08:00", end: "16:00", need: {service: 1}}
    - {id: midday, start: "12:00", end: "20:00", need: {service: 1}}
    """
    _, placed, reasons = solve_text(rules_text(shifts, SOLO, _limits()), date(2026, 12, 1),
                                    date(2026, 12, 1))
    assert _filled(placed) == [(date(2026, 12, 1), "morning")]
    assert _rules_broken(reasons) == {"overlap"}


def test_one_person_never_fills_two_places_of_one_shift():
    """The second seat's reason is that the one person is on the shift already, not an
    overlap with another shift (`ON_THIS_SHIFT`)."""
    shifts = '- {id: day, start: "08:00", end: "16:00", need: {service: 2}}\n'
    _, placed, reasons = solve_text(rules_text(shifts, SOLO, _limits()), date(2026, 12, 1),
                                    date(2026, 12, 1))
    assert len(_filled(placed)) == 1 and len(_unfilled(placed)) == 1
    assert _rules_broken(reasons) == {ON_THIS_SHIFT}


def test_min_rest_between_shifts():
    shifts = """\
    - {id: early, start: "06:00", end: "14:00", need: {service: 1}}
    - {id: late, start: "14:00", end: "22:00", need: {service: 1}}
    """
    first, last = date(2026, 12, 1), date(2026, 12, 2)
    _, placed, reasons = solve_text(rules_text(shifts, SOLO, _limits(min_rest_hours=12)),
                                    first, last)
    assert _filled(placed) == [(first, "early"), (last, "early")]
    assert _rules_broken(reasons) == {"min_rest_hours"}
    _, placed, _ = solve_text(rules_text(shifts, SOLO, _limits(min_rest_hours=0)), first, last)
    assert len(_filled(placed)) == 4


def test_max_consecutive_days():
    shifts = '- {id: day, start: "08:00", end: "16:00", need: {service: 1}}\n'
    _, placed, reasons = solve_text(rules_text(shifts, SOLO, _limits(max_consecutive_days=3)),
                                    date(2026, 12, 1), date(2026, 12, 8))
    assert [d.day for d, _ in _unfilled(placed)] == [4, 8]
    assert _rules_broken(reasons) == {"max_consecutive_days"}


def test_max_nights_in_a_row_and_a_shift_crossing_midnight():
    shifts = '- {id: night, start: "20:00", end: "08:00", need: {service: 1}}\n'
    _, placed, reasons = solve_text(rules_text(shifts, SOLO, _limits(max_nights_in_a_row=2)),
                                    date(2026, 12, 1), date(2026, 12, 6))
    assert [d.day for d, _ in _unfilled(placed)] == [3, 6]
    assert _rules_broken(reasons) == {"max_nights_in_a_row"}
    night = placed[0][0]
    assert night.start == datetime(2026, 12, 1, 20, 0, tzinfo=SHANGHAI)
    assert night.end == datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
    assert night.hours == 12 and night.night


def test_max_hours_per_week_counts_iso_weeks_and_personal_contracts():
    shifts = '- {id: day, start: "08:00", end: "20:00", need: {service: 1}}\n'
    monday, sunday = date(2026, 12, 7), date(2026, 12, 13)
    _, placed, reasons = solve_text(rules_text(shifts, SOLO, _limits(max_hours_per_week=36)),
                                    monday, sunday)
    assert [d.day for d, _ in _filled(placed)] == [7, 8, 9]
    assert _rules_broken(reasons) == {"max_hours_per_week"}
    part_time = "- {id: a, name: 阿, roles: [service], max_hours_per_week: 24}\n"
    _, placed, _ = solve_text(rules_text(shifts, part_time, _limits(max_hours_per_week=36)),
                              monday, sunday)
    assert len(_filled(placed)) == 2


def test_roles_and_headcount():
    shifts = '- {id: day, start: "08:00", end: "20:00", need: {service: 2, technician: 1}}\n'
    staff = """\
    - {id: s1, roles: [service]}
    - {id: s2, roles: [service]}
    - {id: s3, roles: [service]}
    - {id: t1, roles: [technician]}
    - {id: both, roles: [service, technician]}
    """
    rules, placed, reasons = solve_text(rules_text(shifts, staff, _limits()),
                                        date(2026, 12, 1), date(2026, 12, 10))
    assert not reasons
    for position, who in placed:
        assert position.role in rules.member(who).roles
    per_shift = Counter((p.day, p.role) for p, _ in placed)
    assert set(per_shift.values()) <= {1, 2}
    assert all(per_shift[(d, "service")] == 2 for d, _ in per_shift)


def test_leave_and_active_dates_are_honoured():
    shifts = '- {id: day, start: "08:00", end: "16:00", need: {service: 1}}\n'
    staff = """\
    - {id: a, roles: [service], leave: ["2026-12-03", {from: "2026-12-05", to: "2026-12-06"}]}
    - {id: b, roles: [service], active_until: "2026-12-06"}
    - {id: c, roles: [service], active_from: "2026-12-05"}
    """
    _, placed, reasons = solve_text(rules_text(shifts, staff, _limits()), date(2026, 12, 1),
                                    date(2026, 12, 8))
    assert not reasons
    days = {who: {p.day.day for p, w in placed if w == who} for who in "abc"}
    assert not days["a"] & {3, 5, 6}
    assert not days["b"] & {7, 8}
    assert not days["c"] & {1, 2, 3, 4}


def test_unfilled_when_everyone_is_blocked_names_each_reason():
    shifts = '- {id: day, start: "08:00", end: "20:00", need: {technician: 1}}\n'
    staff = """\
    - {id: t1, roles: [technician], leave: ["2026-12-02"]}
    - {id: s1, roles: [service]}
    """
    _, placed, reasons = solve_text(rules_text(shifts, staff, _limits(max_consecutive_days=1)),
                                    date(2026, 12, 1), date(2026, 12, 3))
    assert _filled(placed) == [(date(2026, 12, 1), "day"), (date(2026, 12, 3), "day")]
    # data, not words: who holds the role and which rule keeps each from the place
    assert reasons == {(date(2026, 12, 2), "day", "technician", 0): (("t1", "leave"),)}


def test_tiaoxiu_working_saturday_and_national_day():
    shifts = """\
    - {id: office, start: "08:30", end: "17:30", days: workdays, need: {service: 1}}
    - {id: holiday_desk, start: "09:00", end: "17:00", days: restdays, need: {service: 1}}
    """
    rules = parse(rules_text(shifts, PAIR))
    office, rest = rules.shift("office"), rules.shift("holiday_desk")
    saturday, national_day = date(2026, 10, 10), date(2026, 10, 1)
    assert office.occurs(saturday, rules.calendar) and not rest.occurs(saturday, rules.calendar)
    assert rest.occurs(national_day, rules.calendar)
    assert not office.occurs(national_day, rules.calendar)
    assert not office.occurs(date(2026, 10, 11), rules.calendar)  # an ordinary Sunday
    assert day_kind(rules.calendar, saturday) == positions_module.DayKind(False, False)
    assert day_kind(rules.calendar, national_day).holiday
    positions = positions_module.expand(rules, date(2026, 10, 1), date(2026, 10, 11), SHANGHAI)
    office_days = [p.day.day for p in positions if p.shift.id == "office"]
    assert office_days == [8, 9, 10]


def test_wall_clock_shifts_across_dst_in_berlin():
    berlin = zone("Europe/Berlin")
    shifts = """\
    - {id: day, start: "08:00", end: "20:00", need: {service: 1}}
    - {id: night, start: "20:00", end: "08:00", need: {service: 1}}
    """
    rules = parse(rules_text(shifts, PAIR))
    autumn = positions_module.expand(rules, date(2026, 10, 24), date(2026, 10, 25), berlin)
    spring = positions_module.expand(rules, date(2026, 3, 28), date(2026, 3, 29), berlin)
    for position in autumn + spring:
        assert position.start.time() == position.shift.start
        assert position.end.time() == position.shift.end
    hours = {(p.day, p.shift.id): p.hours for p in autumn + spring}
    assert hours[(date(2026, 10, 24), "night")] == 13  # clocks go back: one hour longer
    assert hours[(date(2026, 3, 28), "night")] == 11  # clocks go forward
    assert hours[(date(2026, 10, 25), "day")] == 12
    night = next(p for p in autumn if p.shift.id == "night")
    assert night.end.utcoffset() == timedelta(hours=1) != night.start.utcoffset()


def test_dst_roster_respects_rest_in_real_hours():
    berlin = zone("Europe/Berlin")
    shifts = """\
    - {id: day, start: "08:00", end: "20:00", need: {service: 1}}
    - {id: night, start: "20:00", end: "08:00", need: {service: 1}}
    """
    staff = PAIR + "- {id: c, roles: [service]}\n- {id: d, roles: [service]}\n"
    rules, placed, reasons = solve_text(rules_text(shifts, staff), date(2026, 10, 19),
                                        date(2026, 11, 1), tz=berlin)
    assert not reasons
    assert_no_violations(rules, placed)


def test_same_inputs_same_roster_and_seed_only_breaks_ties():
    instance = small()
    first = solve_text(instance.rules_text, instance.first, instance.last, seed=7)
    again = solve_text(instance.rules_text, instance.first, instance.last, seed=7)
    assert [who for _, who in first[1]] == [who for _, who in again[1]]
    other = solve_text(instance.rules_text, instance.first, instance.last, seed=8)
    assert not other[2]


def _spreads(instance, seed=0):
    rules, placed, reasons = solve_text(instance.rules_text, instance.first, instance.last,
                                        seed=seed)
    worked = [stats.Worked(who, p.day, p.shift.id, p.hours) for p, who in placed if who]
    counts = stats.loads(rules, worked)
    return rules, placed, reasons, stats.spreads(rules, counts, instance.first, instance.last)


def test_fair_nights_and_weekends_among_comparable_staff():
    for instance in (small(), medium()):
        rules, placed, reasons, spread = _spreads(instance)
        assert reasons == {}
        assert spread["nights"] <= 1 and spread["weekends"] <= 1, (instance.name, spread)
        assert stats.groups(rules, instance.first, instance.last)
        assert_no_violations(rules, placed)


def test_fairness_follows_contract_share():
    shifts = '- {id: day, start: "08:00", end: "16:00", need: {service: 1}}\n'
    staff = """\
    - {id: full, roles: [service]}
    - {id: half, roles: [service], fte: 0.5}
    """
    _, placed, _ = solve_text(rules_text(shifts, staff, _limits()), date(2026, 12, 1),
                              date(2026, 12, 30))
    count = Counter(who for _, who in placed)
    assert count == {"full": 20, "half": 10}


def _weekly_hours(placed, staff: str) -> dict[tuple[int, int], float]:
    hours: Counter = Counter()
    for position, who in placed:
        if who == staff:
            hours[position.day.isocalendar()[:2]] += position.hours
    return dict(hours)


def test_a_part_timer_works_their_share_of_the_weekly_hours_in_a_short_month():
    """A half-time clerk with no weekly limit of her own works half the site's (24 of 48 h),
    short-staffed or not: a short month gave her a full-time load (four 12-hour days a week).
    Her own `max_hours_per_week` still rules, above the share too."""
    shifts = '- {id: day, start: "08:00", end: "20:00", need: {service: 1}}\n'
    first, last = date(2026, 12, 7), date(2026, 12, 27)  # three whole ISO weeks
    for own, most in (("", 24.0), (", max_hours_per_week: 36", 36.0)):
        staff = f"- {{id: full, roles: [service]}}\n- {{id: half, roles: [service], fte: 0.5{own}}}\n"
        rules, placed, _ = solve_text(rules_text(shifts, staff, _limits(max_hours_per_week=48)),
                                      first, last)
        assert rules.member("half").limits.max_hours_per_week == most
        weeks = _weekly_hours(placed, "half")
        assert len(weeks) == 3 and max(weeks.values()) == most, (own, weeks)
        assert bool(_unfilled(placed)) == (most == 24)  # 7 days a week against 4 + 2 (+ 3)
        assert_no_violations(rules, placed)


def test_a_part_timers_weekly_limit_says_it_is_her_share_of_the_sites():
    """A check of a roster made before part-timers' limits followed their fte read 'at most
    24h' to a supervisor whose rules say 48 and nothing of 24: the share is said, with its
    fte and the site's hours; not of a limit she writes herself, nor of a full-timer's."""
    from dutyctl.roster.timeline import Conflict

    shifts = '- {id: day, start: "08:00", end: "20:00", need: {service: 1}}\n'
    staff = ("- {id: full, roles: [service]}\n- {id: half, roles: [service], fte: 0.5}\n"
             "- {id: own, roles: [service], fte: 0.5, max_hours_per_week: 30}\n"
             "- {id: less, roles: [service], fte: 0.5, max_hours_per_week: 12}\n"
             "- {id: fifth, roles: [service], fte: 0.2}\n- {id: more, roles: [service], fte: 1.5}\n")
    rules = parse(rules_text(shifts, staff, _limits(max_hours_per_week=48)))
    week = Conflict("max_hours_per_week", None, 36, date(2026, 12, 7).toordinal())

    def said(member: str) -> str:
        return week.describe(rules.member(member).limits, lambda work: "day")

    assert said("half").endswith("at most 24h (fte 0.5: that share of the site's 48h a week)")
    assert said("fifth").endswith("at most 9.6h (fte 0.2: that share of the site's 48h a week)")
    assert said("own").endswith("at most 30h") and said("less").endswith("at most 12h")
    assert said("full").endswith("at most 48h") and said("more").endswith("at most 48h")


def test_preferences_steer_who_takes_what():
    shifts = """\
    - {id: day, start: "08:00", end: "20:00", need: {service: 1}}
    - {id: night, start: "20:00", end: "08:00", need: {service: 1}}
    """
    staff = """\
    - {id: owl, roles: [service], prefer: [night]}
    - {id: lark, roles: [service], avoid: [night]}
    - {id: c, roles: [service]}
    - {id: d, roles: [service]}
    """
    _, placed, _ = solve_text(rules_text(shifts, staff), date(2026, 12, 1), date(2026, 12, 28))
    nights = Counter(who for p, who in placed if p.shift.id == "night")
    assert nights["owl"] > nights["c"] >= nights["lark"]
    assert nights["lark"] < nights["d"]


ROTATION_STAFF = "".join(f"- {{id: m{n}, roles: [service]}}\n" for n in range(1, 8))


def test_rotation_advances_over_slots_that_occur_not_calendar_days():
    """GoAlert #55: a workdays-only shift with 7 people must still reach all 7 in turn."""
    shifts = '- {id: office, start: "08:30", end: "17:30", days: workdays, need: {service: 1}}\n'
    extra = """\
    rotations:
      - id: desk
        shifts: [office]
        members: [m1, m2, m3, m4, m5, m6, m7]
        start: "2026-12-01"
    """
    _, placed, reasons = solve_text(rules_text(shifts, ROTATION_STAFF, extra=extra),
                                    date(2026, 12, 1), date(2026, 12, 31))
    assert not reasons
    order = [who for _, who in placed]
    assert len(order) == 23  # December 2026 working days
    assert order[:9] == ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m1", "m2"]
    assert all(p.day.weekday() < 5 for p, _ in placed)


def test_pattern_rotation_continues_across_months_from_its_start():
    shifts = """\
    - {id: day, start: "08:00", end: "20:00", need: {service: 1}}
    - {id: night, start: "20:00", end: "08:00", need: {service: 1}}
    """
    extra = """\
    rotations:
      - id: teams
        shifts: [day, night]
        teams: [[m1], [m2], [m3], [m4]]
        pattern: [day, night, rest, rest]
        start: "2026-11-01"
    """
    _, placed, reasons = solve_text(rules_text(shifts, ROTATION_STAFF, extra=extra),
                                    date(2026, 12, 1), date(2026, 12, 8))
    assert not reasons
    who = {(p.day.day, p.shift.id): staff for p, staff in placed}
    # 2026-12-01 is day 30 of the cycle: team i works pattern[(30 + i) % 4]
    assert who[(1, "day")] == "m3" and who[(1, "night")] == "m4"
    assert who[(2, "day")] == "m2" and who[(2, "night")] == "m3"  # m3: day, then night
    assert who[(3, "day")] == "m1" and who[(4, "day")] == "m4"
    assert who[(5, "day")] == "m3"  # the cycle is four days long


def test_rotation_member_on_leave_is_covered_by_someone_else():
    shifts = '- {id: office, start: "08:30", end: "17:30", days: workdays, need: {service: 1}}\n'
    staff = ROTATION_STAFF.replace("{id: m2, roles: [service]}",
                                   '{id: m2, roles: [service], leave: ["2026-12-02"]}')
    extra = """\
    rotations:
      - {id: desk, shifts: [office], members: [m1, m2], start: "2026-12-01"}
    """
    rules = parse(rules_text(shifts, staff, extra=extra))
    from dutyctl.roster.generate import plan

    positions, solution = plan(rules, date(2026, 12, 1), date(2026, 12, 3), SHANGHAI, 0)
    assert solution.staff[0] == "m1" and solution.staff[1] not in (None, "m2")
    assert solution.staff[2] == "m1"
    assert any("m2 cannot take Wed 12-02 office (on leave)" in note for note in solution.notes)


def test_rotation_notes_tell_apart_two_staff_of_one_name():
    """The notes generate prints name people as every screen does: 张伟 alone would not say
    which of the two cannot take the place or has no open place on their turn."""
    shifts = """\
    - {id: office, start: "08:30", end: "17:30", days: workdays, need: {service: 1}}
    - {id: late, start: "18:00", end: "22:00", days: workdays, need: {service: 1}}
    """
    staff = """\
    - {id: zw1, name: 张伟, roles: [service]}
    - {id: zw2, name: 张伟, roles: [service], leave: ["2026-12-02"]}
    - {id: lina, name: 李娜, roles: [service]}
    """
    extra = """\
    rotations:
      - {id: desk, shifts: [office], members: [zw1, zw2], start: "2026-12-01"}
      - {id: pair, shifts: [late], teams: [[lina, zw1]], start: "2026-12-01"}
    """
    rules = parse(rules_text(shifts, staff, extra=extra))
    from dutyctl.roster.generate import plan

    _, solution = plan(rules, date(2026, 12, 1), date(2026, 12, 3), SHANGHAI, 0)
    assert any("张伟 (zw2) cannot take Wed 12-02" in note for note in solution.notes), \
        solution.notes
    assert any("for 张伟 (zw1)'s roles" in note for note in solution.notes), solution.notes


def test_rest_and_runs_carry_across_the_period_boundary():
    shifts = '- {id: night, start: "20:00", end: "08:00", need: {service: 1}}\n'
    text = rules_text(shifts, PAIR, _limits(max_nights_in_a_row=3))
    rules = parse(text)
    november = positions_module.expand(rules, date(2026, 11, 28), date(2026, 11, 30), SHANGHAI)
    for seed in range(4):
        history = {"a": [work_of(p) for p in november]}
        _, placed, _ = solve_text(text, date(2026, 12, 1), date(2026, 12, 2), seed, history=history)
        assert placed[0][1] == "b"  # a has had three nights in a row


def test_timeline_reports_each_break_once():
    from dutyctl.roster.rules import Limits

    timeline = Timeline(Limits(min_rest_hours=12, max_consecutive_days=2, max_nights_in_a_row=1,
                               max_hours_per_week=30))
    start = datetime(2026, 12, 7, 20, tzinfo=SHANGHAI)

    def night(offset_days, hours=12):
        begin = start + timedelta(days=offset_days)
        end = begin + timedelta(hours=hours)
        return Work(int(begin.timestamp()), int(end.timestamp()), begin.date().toordinal(), True,
                    hours, (begin.date(), "night", "service", 0))

    for offset in range(3):
        timeline.add(night(offset))
    rules = sorted(conflict.rule for _, conflict in timeline.violations())
    assert rules == ["max_consecutive_days", "max_hours_per_week", "max_nights_in_a_row"]
    assert timeline.conflict(night(3)).rule == "max_consecutive_days"
    assert timeline.conflict(night(2, 1)).rule == "overlap"
    timeline.remove(night(2))
    assert timeline.conflict(Work(night(2).start - 3600 * 5, night(2).start, night(2).day, False,
                                  5, None)).rule == "min_rest_hours"
    assert time(8) == datetime.fromtimestamp(night(0).end, SHANGHAI).time()


def test_repair_fills_a_gap_the_greedy_pass_left():
    """The greedy pass may give the morning to the only person who can do the evening; the
    repair pass moves the morning to someone else so both are covered."""
    from dutyctl.roster.solver import Solver

    shifts = """\
    - {id: morning, start: "08:00", end: "16:00", need: {service: 1}}
    - {id: evening, start: "17:00", end: "21:00", need: {supervisor: 1}}
    """
    staff = """\
    - {id: boss, roles: [service, supervisor]}
    - {id: clerk, roles: [service]}
    """
    rules = parse(rules_text(shifts, staff, _limits(min_rest_hours=12)))
    day = date(2026, 12, 1)
    positions = positions_module.expand(rules, day, day, SHANGHAI)
    greedy_gaps = set()
    for seed in range(6):
        solver = Solver(rules, positions, day, day, seed)
        solver.greedy()
        greedy_gaps.add(solver.assigned.count(None))
        solver.repair()
        assert solver.assigned.count(None) == 0
        assert [solver.members[s].id for s in solver.assigned] == ["clerk", "boss"]
    assert greedy_gaps == {0, 1}  # some seeds needed the repair


def test_timeline_keeps_works_of_one_start_in_order_and_removes_the_one_asked():
    """Works are found by their start first (the solver's hot path), then compared whole:
    an on-call duty and a place on site that start together stay apart."""
    import pytest

    from dutyctl.roster.rules import Limits
    from dutyctl.roster.timeline import week_of

    timeline = Timeline(Limits(min_rest_hours=0, max_consecutive_days=7, max_nights_in_a_row=7,
                               max_hours_per_week=80))
    begin = int(datetime(2026, 12, 7, 8, tzinfo=SHANGHAI).timestamp())
    day = date(2026, 12, 7).toordinal()
    later = Work(begin + 3600 * 10, begin + 3600 * 12, day, False, 2, "late")
    on_site = Work(begin, begin + 3600 * 8, day, False, 8, "day")
    on_call = Work(begin, begin + 3600 * 12, day, False, 0, "call", on_call=True)
    for work in (later, on_site, on_call):
        timeline.add(work)
    assert timeline.works == sorted([later, on_call, on_site])
    assert timeline.starts == [w.start for w in timeline.works]
    timeline.remove(on_call)
    assert timeline.works == [on_site, later]
    assert timeline.weeks == {week_of(day): 10}
    with pytest.raises(ValueError):
        timeline.remove(on_call)


def test_levelling_memo_tells_apart_rosters_alike_in_one_metric():
    """A levelling search that found no change is skipped while the roster stays as it was.
    Two rosters with the same nights but other hours (or the same hours on other days) are not
    the same to the search: the cost of a change and the hard rules read them. An undone
    change gives the remembered roster back."""
    from dutyctl.roster.solver import NIGHTS, Solver

    shifts = """\
    - {id: day, start: "08:00", end: "16:00", need: {service: 1}}
    - {id: night, start: "20:00", end: "08:00", need: {service: 1}}
    """
    rules = parse(rules_text(shifts, PAIR, LOOSE))
    first, last = date(2026, 12, 1), date(2026, 12, 3)
    positions = positions_module.expand(rules, first, last, SHANGHAI)
    solver = Solver(rules, positions, first, last)
    days = [i for i, p in enumerate(positions) if p.shift.id == "day"]
    a = solver.index["a"]
    nothing = solver._holdings()
    mark = len(solver.log)
    solver.assign(a, days[0])
    one_day = solver._holdings()
    nights = [load[NIGHTS] for load in solver.loads]
    assert nights == [0.0, 0.0] and one_day != nothing  # the nights alone would match
    solver.unassign(days[0])
    solver.assign(a, days[1])
    assert solver._holdings() not in (nothing, one_day)  # same loads, another day
    solver.rollback(mark)
    assert solver._holdings() == nothing


def test_a_week_over_its_hours_is_reported_at_the_shift_that_takes_it_over():
    """Three 12-hour days and a fourth on Thursday take a 44-hour week over at Thursday: that
    is where the check reports it (not the week's last shift). When the crossing shift is in a
    neighbouring roster, the first of mine after it is reported, else the last before it,
    naming the crossing shift."""
    from dutyctl.roster.rules import Limits
    from dutyctl.roster.timeline import week_of

    hour, monday = 3600, date(2026, 12, 7).toordinal()
    works = [Work((n * 24 + 8) * hour, (n * 24 + 20) * hour, monday + n, False, 12.0, f"d{n}")
             for n in (0, 1, 2, 3, 5)]
    timeline = Timeline(Limits(max_hours_per_week=44))
    for work in works:
        timeline.add(work)
    [(at, conflict)] = timeline.violations()
    assert (at.key, conflict.rule, conflict.value, conflict.total, conflict.week) == (
        "d3", "max_hours_per_week", 48.0, 60.0, week_of(monday))
    assert conflict.other is None
    # Thursday is another roster's: Saturday, over the limit with it, is reported
    [(at, conflict)] = timeline.violations(lambda work: work.key != "d3")
    assert (at.key, conflict.value, conflict.other) == ("d5", 60.0, None)
    # only Monday and Tuesday are mine: Tuesday, naming Thursday that takes the week over
    [(at, conflict)] = timeline.violations(lambda work: work.key in ("d0", "d1"))
    assert (at.key, conflict.value, conflict.other.key) == ("d1", 48.0, "d3")


def test_a_weekly_hours_conflict_without_its_week_is_still_said():
    """A Conflict built without the week's Monday (Timeline always names it) says the hours
    with this shift, never fails on a Monday it does not know."""
    from dutyctl.roster.rules import Limits
    from dutyctl.roster.timeline import Conflict

    said = Conflict("max_hours_per_week", None, 60.0).describe(Limits(max_hours_per_week=48),
                                                              str)
    assert said == "60h in the week with this shift, at most 48h"
