"""Parsing and validating rosters/rules.yaml."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from dutyctl.roster.rules import read_rules
from tests.test_roster_helpers import DAY, ONE, parse, problems_of, rules_text

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
