"""Parsing and validating rosters/rules.yaml."""

from __future__ import annotations

import textwrap
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from dutyctl.roster.rules import read_rules
from tests.helpers_roster import DAY, ONE, parse, problems_of, rules_text

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_rules_parse_cleanly_and_both_copies_match(workspace):
    bundled = ROOT / "rosters" / "rules.yaml"
    template = ROOT / "dutyctl" / "templates" / "rosters" / "rules.yaml"
    assert bundled.read_text(encoding="utf-8") == template.read_text(encoding="utf-8")
    rules, problems = read_rules(workspace)
    assert problems == []
    night = rules.shift("night")
    assert night.crosses_midnight and night.night
    assert not rules.shift("day").night
    lina = rules.member("lina")
    assert {date(2026, 12, 10), date(2026, 12, 11), date(2026, 12, 12),
            date(2026, 12, 24)} <= lina.leave
    assert rules.member("zhangwei").limits.max_hours_per_week == 44
    assert rules.member("lina").limits.max_hours_per_week == 48


def test_unquoted_clock_is_rejected_with_its_line():
    text = rules_text(DAY.replace('"08:00"', "8:00"), ONE)
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].startswith("rules.yaml:5: shifts[0].start:")
    assert "480" in problems[0] and "quotes" in problems[0]


def test_yaml_traps_and_typos_are_all_reported_at_once():
    staff = """\
    - id: lina
      roles: [service]
      leave: [0301, "2026-13-01"]
      max_hours_per_week: forty
      avoid: [nights]
    - {id: lina, roles: [cook]}
    """
    text = rules_text(DAY, staff, "max_consecutive_days: no\n", "fairness: [hours, luck]\n")
    problems = "\n".join(problems_of(text))
    assert "leave[0]" in problems and "193" in problems  # octal 0301
    assert "leave[1]" in problems
    assert "max_hours_per_week: expected a number" in problems
    assert "avoid[0]" in problems
    assert "duplicate staff id 'lina'" in problems
    assert "no role 'cook'" in problems
    assert "max_consecutive_days: expected a whole number" in problems
    assert "fairness[1]" in problems


def test_unknown_role_field_rrule_and_timezone_mismatch():
    shifts = DAY + """\
- id: gym
  start: "18:00"
  end: "21:00"
  days: "FREQ=WEEKLY;BYDAY=XX"
  need: {lifeguard: 1}
  colour: red
"""
    text = "timezone: Europe/Berlin\n" + rules_text(shifts, ONE)
    problems = "\n".join(problems_of(text))
    assert "timezone: 'Europe/Berlin' differs from the site time zone" in problems
    assert "days: not an RRULE" in problems
    assert "no role 'lifeguard'" in problems
    assert "colour: unknown field" in problems


def _odd_shift(rule: str, anchor: str = "") -> str:
    """The rules' shifts: DAY and one more whose days are `rule` (counted from `anchor`)."""
    counted = f'anchor: "{anchor}", ' if anchor else ""
    return DAY + f'- {{id: odd, start: "18:00", end: "21:00", days: "{rule}", {counted}' \
                 'need: {service: 1}}\n'


@pytest.mark.parametrize("shifts, said", [
    ('shifts: "23:59"', "shifts: expected a list: write [23:59]"),
    ("shifts: []", "shifts: needs at least one entry"),
    ("shifts: [night]", "shifts[0]: expected fields written as 'key: value', one a line, "
                        "not 'night'"),
    ("", "shifts: is required"),
])
def test_shifts_not_read_are_one_problem_and_the_slips_beside_them_are_still_said(shifts, said):
    """No shift read: a wish or a rotation naming one (night, 夜班) may name one of them and
    is not refused too (a guess among no shift names had crashed generate); a date or a slip
    of a weekday, 周末 or 节假日 names no shift whatever the shifts, and is still refused."""
    text = (f"calendar: {{country: CN}}\n{shifts}\nstaff:\n"
            "  - {id: zhangwei, name: 张伟, roles: [service], avoid: [night, 夜班, 周未, "
            "'2026-02-30', weekend, sunday]}\n"
            "rotations:\n  - {id: nights, shifts: [night], members: [zhangwei], "
            "start: \"2026-10-01\"}\n")
    refused = "expected a weekday (周一..周日, mon..sun), a date, 周末 (weekends) or 节假日 (holidays)"
    assert [problem.split(": ", 1)[1] for problem in problems_of(text)] == [
        said, *(f"staff[0].avoid[{index}]: {refused}" for index in (2, 3, 4, 5))]


@pytest.mark.parametrize("staff, said", [
    ('staff: "张伟"', ["staff: expected a list: write [张伟]"]),
    ("staff: []", ["staff: needs at least one entry"]),
    ("staff:\n" + "  - {id: p, roles: [service]}\n" * 5001,
     ["staff: 5,001 entries: a rules file lists at most 5,000; the list is not read"]),
])
def test_staff_not_read_are_one_problem_not_a_role_nobody_has(staff, said):
    """No staff read: who holds which role is not known, so no role is said to be held by
    nobody, and a rotation's members are not refused as no staff."""
    text = (f"calendar: {{country: CN}}\nshifts:\n{textwrap.indent(DAY, '  ')}{staff}\n"
            "rotations:\n  - {id: days, shifts: [day], members: [zhangwei], "
            "start: \"2026-10-01\"}\n")
    assert [problem.split(": ", 1)[1] for problem in problems_of(text)] == said


def test_a_shift_rrule_no_day_fits_is_refused_without_searching_to_the_year_9999():
    """30 April, a sixth Monday: dateutil would look for the day up to the year 9999 (17 s
    for a daily rule), and the shift would never run."""
    for rule in ("FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6"):
        problems = "\n".join(problems_of(rules_text(_odd_shift(rule), ONE)))
        assert "shifts[1].days: no day in the 10 years from its anchor (2000-01-03) fits the " \
               "rule" in problems, problems
    ended = DAY + '- {id: old, start: "18:00", end: "21:00", need: {service: 1}, ' \
                  'days: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20101231"}\n'
    assert problems_of(rules_text(ended, ONE)) == []  # a shift that ran once is no mistake


def test_a_shift_rrule_dateutil_cannot_list_is_refused_not_a_crash():
    """A ninth Monday of the month, an Easter offset past the year's end: dateutil parses
    them, then its search indexes past its tables (IndexError), and every command reading the
    rules ended with the unexpected error (exit 3). A day beside them that fits passed the
    check and failed later, in the months or years where the other one overruns (1MO,+8MO:
    a year whose 1 January is a Wednesday or later), and an Easter offset outside -80..250
    drops the day or lists a wrong one in some years: so the ordinals and offsets are judged
    as written. A month's fifth and a year's 53rd weekday, and 250 and -80 days from Easter,
    stay inside every period."""
    said = ("shifts[1].days: a day the rule asks for falls outside its month or year (a BYDAY "
            "such as +9MO, a BYEASTER outside -80..250 days): its days cannot be listed")
    for rule in ("FREQ=MONTHLY;BYDAY=+9MO", "FREQ=MONTHLY;BYDAY=1MO,+8MO",
                 "FREQ=MONTHLY;BYDAY=-6FR", "FREQ=YEARLY;BYMONTH=2;BYDAY=1MO,+6MO",
                 "FREQ=YEARLY;BYDAY=1MO,+54MO", "FREQ=YEARLY;BYEASTER=400",
                 "FREQ=DAILY;BYEASTER=99999", "FREQ=YEARLY;BYEASTER=258",
                 "FREQ=YEARLY;BYEASTER=-200", "FREQ=YEARLY;BYEASTER=-81",
                 "RRULE:FREQ=YEARLY;BYEASTER=300\\nEXDATE:20261214T000000"):
        problems = problems_of(rules_text(_odd_shift(rule), ONE))
        assert [problem.split(": ", 1)[1] for problem in problems] == [said], (rule, problems)
    for rule in ("FREQ=MONTHLY;BYDAY=+5MO", "FREQ=MONTHLY;BYDAY=-5FR",
                 "FREQ=YEARLY;BYDAY=1MO,+53MO", "FREQ=YEARLY;BYMONTH=2;BYDAY=-1MO",
                 "FREQ=WEEKLY;BYDAY=MO,FR"):
        assert problems_of(rules_text(_odd_shift(rule), ONE)) == [], rule
    # Easter at its latest (25 April 2038, 2000's 23 April in a leap year) and earliest
    # (22 March 2285, 23 March 2008): one day each year, listed
    for offset, day in ((250, date(2038, 12, 31)), (-80, date(2285, 1, 1)),
                        (250, date(2000, 12, 29)), (-80, date(2008, 1, 3))):
        rules = parse(rules_text(_odd_shift(f"FREQ=YEARLY;BYEASTER={offset}"), ONE))
        assert [candidate for candidate in (day - timedelta(days=1), day, day + timedelta(days=1))
                if rules.shifts[1].occurs(candidate, rules.calendar)] == [day], (offset, day)


def test_a_shift_rrule_that_never_runs_or_never_stops_is_refused():
    """An UNTIL before the shift's own anchor: it never runs. INTERVAL=0: dateutil lists the
    same day for ever (roster generate hung); -1 breaks its search. An EXRULE (dropped from
    RFC 5545) that leaves out every day took 18 s to judge and was said as an UNTIL."""
    for rule, anchor, first in (("FREQ=WEEKLY;BYDAY=MO;UNTIL=20101231", "2026-12-07",
                                 "2026-12-07"),
                                ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;UNTIL=20270101",
                                 "2026-01-01", "2028-02-29"),
                                ("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20101231\\n"
                                 "EXDATE:20261214T000000", "2026-12-07", "2026-12-07")):
        never = "\n".join(problems_of(rules_text(_odd_shift(rule, anchor), ONE)))
        assert f"shifts[1].days: its UNTIL or COUNT ends it before its first day ({first}): " \
               "the shift never runs" in never, (rule, never)
    # an EXRULE that leaves out every day: dateutil would look for a day up to 9999
    exrule = "\n".join(problems_of(rules_text(_odd_shift(
        "RRULE:FREQ=WEEKLY;BYDAY=MO\\nEXRULE:FREQ=DAILY", "2026-11-30"), ONE)))
    assert "shifts[1].days: EXRULE is not allowed (RFC 5545 has dropped it): list the days " \
           "to leave out with EXDATE" in exrule, exrule
    huge = "\n".join(problems_of(rules_text(_odd_shift(  # past int()'s 4,300 digits
        "FREQ=WEEKLY;BYDAY=MO;INTERVAL=" + "9" * 5000), ONE)))
    assert "shifts[1].days: not an RRULE" in huge
    for interval in ("0", "-1", "00", "²"):
        problems = "\n".join(problems_of(rules_text(_odd_shift(
            f"FREQ=WEEKLY;BYDAY=MO;INTERVAL={interval}"), ONE)))
        assert "shifts[1].days: INTERVAL must be a whole number of 1 or more" in problems, \
            (interval, problems)


def test_a_shift_rrule_of_several_lines_or_near_the_year_9999_is_judged_not_a_crash():
    """A rule of several lines (an EXDATE) is an rruleset, which the look-ahead asks part by
    part; an anchor a few years before 9999 leaves no whole 400 years to shift by. Both were
    an unexpected error (exit 3) for every command that read the rules."""
    with_exdate = _odd_shift("RRULE:FREQ=WEEKLY;BYDAY=MO\\nEXDATE:20261207T000000",
                             "2026-11-30")
    rules = parse(rules_text(with_exdate, ONE))
    odd = rules.shift("odd")
    assert [odd.occurs(date(2026, 12, day), rules.calendar) for day in (7, 14, 15)] == [
        False, True, False]
    late = "\n".join(problems_of(rules_text(_odd_shift(
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "9997-01-01"), ONE)))
    assert "no day in the 10 years from its anchor (9997-01-01) fits the rule" in late, late
    assert problems_of(rules_text(_odd_shift("FREQ=YEARLY;BYMONTH=3", "9997-01-01"), ONE)) == []
    # a set runs every part: one that no day fits would list each year to the year 9999
    one_never = "\n".join(problems_of(rules_text(_odd_shift(
        "RRULE:FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31\\nRDATE:20270105T000000", "2026-11-30"),
        ONE)))
    assert "no day in the 10 years from its anchor (2026-11-30) fits the rule" in one_never


def test_a_yearly_easter_rule_is_judged_by_its_own_years_easters():
    """Easter does not repeat every 400 years as weekdays do: a yearly BYEASTER rule is asked
    in its own years. The 25 March that is Easter Sunday comes in 2035; the Easter Monday
    that is one comes in none of the next ten years."""
    from datetime import datetime

    from dateutil.rrule import rrulestr

    from dutyctl.recurrence import first_fitting

    start = datetime(2026, 9, 1)
    for offset, first in ((0, datetime(2035, 3, 25)), (1, None)):
        rule = rrulestr(f"FREQ=YEARLY;BYEASTER={offset};BYMONTH=3;BYMONTHDAY=25",
                        dtstart=start, ignoretz=True)
        assert first_fitting(rule, start, 10) == first


def test_rrule_days_and_night_flag():
    shifts = """\
- {id: mwf, start: "09:00", end: "12:00", days: "FREQ=WEEKLY;BYDAY=MO,WE,FR", need: {service: 1}}
- {id: late, start: "16:00", end: "00:00", need: {service: 1}}
- {id: dawn, start: "00:00", end: "08:00", need: {service: 1}, night: false}
"""
    rules = parse(rules_text(shifts, ONE))
    mwf = rules.shift("mwf")
    assert [mwf.occurs(date(2026, 12, d), rules.calendar) for d in (7, 8, 9)] == [True, False,
                                                                                  True]
    assert rules.shift("late").crosses_midnight and not rules.shift("late").night
    assert not rules.shift("dawn").night  # explicit
    assert rules.shift("late").end == time(0)


def test_rotation_validation():
    extra = """\
rotations:
  - id: desk
    shifts: [day, nope]
    teams: [[zhangwei, ghost], [zhangwei]]
    pattern: [day, night, rest]
    start: "2026-12-01"
"""
    problems = "\n".join(problems_of(rules_text(DAY, ONE, extra=extra)))
    assert "no shift 'nope'" in problems
    assert "no staff member 'ghost'" in problems
    assert "'night' is neither 'rest' (休息) nor one of this rotation's shifts" in problems
    assert "3 steps cannot be spread evenly over 2 teams" in problems


def test_unquoted_off_in_a_pattern_is_a_yaml_trap_not_a_rest_day():
    extra = """\
rotations:
  - {id: desk, shifts: [day], members: [zhangwei], pattern: [day, off], start: "2026-12-01"}
"""
    problems = "\n".join(problems_of(rules_text(DAY, ONE, extra=extra)))
    assert "pattern[1]: expected text (YAML read an unquoted yes/no/on/off as False)" in problems


def test_a_guards_24_hour_shift_is_one_shift_from_start_to_the_same_time_next_day(
        workspace, cli, clock):
    """结束 不晚于 开始 ends the next day; 开始 "08:00", 结束 "08:00" is the guard's 24-hour duty
    (值班 24 小时, 休三天): one shift, planned, checked, and on duty until 08:00 the next day."""
    import json

    from dutyctl.roster.generate import generate
    from dutyctl.roster.rules import load_rules, shift_bounds
    from tests.helpers_roster import write_rules

    write_rules(workspace, (
        "日历: {国家: CN}\n班次:\n  - {名称: 保安班, 开始: \"08:00\", 结束: \"08:00\", 日期: 每天, "
        "人数: {保安: 1}}\n员工:\n" + "".join(f"  - {{姓名: {name}, 岗位: [保安]}}\n"
                                          for name in ("罗刚", "梁勇", "宋伟", "唐军")) +
        "轮班:\n  - {名称: 保安轮班, 班次: [保安班], 班组: [[罗刚], [梁勇], [宋伟], [唐军]], "
        "轮转: [保安班, 休息, 休息, 休息], 开始: \"2026-12-01\"}\n"))
    rules = load_rules(workspace)
    guard = rules.shifts[0]
    start, end = shift_bounds(date(2026, 12, 1), guard, workspace.config.tz)
    assert end - start == timedelta(hours=24) and guard.night
    clock.set("2026-11-25 10:00")
    made = generate(workspace, date(2026, 12, 1), date(2026, 12, 31)).roster
    on = [(a.day, a.staff) for a in made.assignments]
    assert len(on) == 31 and len({day for day, _ in on}) == 31  # one guard a day
    for name in ("罗刚", "梁勇", "宋伟", "唐军"):  # on for 24 hours, then three days off
        days = [day.day for day, staff in on if staff == name]
        assert {b - a for a, b in zip(days, days[1:])} == {4}, (name, days)
    checked = cli("roster", "check", "2026-12")
    assert checked.exit_code == 0, checked.output
    who = cli("who", "--at", "2026-12-02 07:30", "--format", "json")
    assert who.exit_code == 0, who.output
    assert [p["staff"] for p in json.loads(who.stdout)["on_duty"]] == ["罗刚"], who.stdout
    clock.set("2026-12-01 07:45")
    clocked = cli("clock", "in", "--at", "2026-12-01 07:40", user="罗刚")
    assert clocked.exit_code == 0, clocked.output
    assert "保安班 2026-12-01 08:00–12-02 08:00" in clocked.stderr, clocked.stderr  # the next day
