"""Spreads that say "n/a" where nobody compares, the coarser spread over everyone who takes the
same shifts, and one definition of a holiday shift for a whole statutory break."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

from dutyctl.roster import stats
from dutyctl.roster.positions import day_kind
from dutyctl.sitecalendar import SiteCalendar
from tests.helpers_roster import parse, rules_text, write_rules

SHIFTS = """\
- {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 1}}
- {id: night, name: 夜班, start: "20:00", end: "08:00", days: daily, need: {service: 1}}
"""
UNEQUAL = """\
- {id: a, name: 阿, roles: [service]}
- {id: b, name: 贝, roles: [service], fte: 0.5, max_hours_per_week: 24}
- {id: c, name: 陈, roles: [service], max_hours_per_week: 40}
"""
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


def _worked(staff: str, shift: str, days: int, hours: float = 12.0) -> list[stats.Worked]:
    return [stats.Worked(staff, DECEMBER[0] + timedelta(days=n), shift, hours)
            for n in range(days)]


def test_spread_is_na_when_no_two_staff_are_comparable():
    rules = parse(rules_text(SHIFTS, UNEQUAL))
    counts = stats.loads(rules, _worked("a", "day", 10) + _worked("b", "night", 10)
                         + _worked("c", "night", 2))
    assert stats.groups(rules, *DECEMBER) == []
    assert stats.spreads(rules, counts, *DECEMBER) == dict.fromkeys(stats.COUNTS, None)


def test_adjusted_spread_shows_the_overloaded_half_timer():
    rules = parse(rules_text(SHIFTS, UNEQUAL))
    # b works as much as a on half the contract: per full-time person that is twice a's load
    worked = _worked("a", "day", 10) + _worked("b", "night", 10) + _worked("c", "day", 20)
    adjusted = stats.roster_stats(rules, worked, *DECEMBER)["spread_adjusted"]
    assert adjusted["shifts"] == 20 - 10  # b: 10 / 0.5 = 20, a: 10
    assert adjusted["nights"] == 20  # b: 10 nights / 0.5, a and c none
    assert adjusted["hours"] == 120


def test_adjusted_spread_counts_available_days():
    staff = """\
    - {id: a, name: 阿, roles: [service]}
    - {id: b, name: 贝, roles: [service], leave: [{from: "2026-12-17", to: "2026-12-31"}]}
    """
    rules = parse(rules_text(SHIFTS, staff))
    worked = _worked("a", "day", 16) + _worked("b", "night", 8)
    counts = stats.loads(rules, worked)
    # b is there 16 of 31 days: 8 shifts are 15.5 for someone there all month; a has 16
    assert stats.roster_stats(rules, worked, *DECEMBER)["spread_adjusted"]["shifts"] == 0.5
    assert stats.spreads(rules, counts, *DECEMBER)["shifts"] is None


def test_available_days_are_the_days_neither_on_leave_nor_outside_the_active_window():
    """Counted from the window's ends and the leave inside it, as asking each day would: leave
    before, inside and after the window, on its first and last day, and a window that misses
    the period."""
    staff = """\
    - {id: a, name: 阿, roles: [service]}
    - {id: b, name: 贝, roles: [service], active_from: "2026-12-05", active_until: "2026-12-20",
       leave: ["2026-12-01", "2026-12-05", "2026-12-10", "2026-12-20", "2026-12-21"]}
    - {id: c, name: 陈, roles: [service], active_until: "2026-11-30"}
    - {id: d, name: 丁, roles: [service], active_from: "2026-12-31",
       leave: [{from: "2026-12-24", to: "2027-01-02"}]}
    - {id: e, name: 鄂, roles: [service], leave: [{from: "2026-11-25", to: "2026-12-03"}]}
    """
    rules = parse(rules_text(SHIFTS, staff))
    periods = [DECEMBER, (date(2026, 12, 5), date(2026, 12, 5)), (date(2026, 12, 20),
               date(2027, 1, 3)), (date(2026, 11, 1), date(2026, 12, 4))]
    for member in rules.staff:
        for first, last in periods:
            one_by_one = sum(1 for n in range((last - first).days + 1)
                             if member.unavailable_reason(first + timedelta(days=n)) is None)
            assert stats.available_days(member, first, last) == one_by_one, (member.id, first)
    assert [stats.available_days(m, *DECEMBER) for m in rules.staff] == [31, 13, 0, 0, 28]


def test_stats_of_days_a_roster_covers_with_no_shift_on_them_are_nothing_worked(cli, workspace):
    """An office open on working days only: its roster covers the weekend, no shift runs
    then, and `roster stats` of those days counts nothing worked, never "no roster covers
    them: run generate" (generating again would not change it). Days no roster covers are
    still refused."""
    office = '- {id: office, name: 前台, start: "09:00", end: "17:00", days: workdays, ' \
             'need: {service: 1}}\n'
    write_rules(workspace, rules_text(office, UNEQUAL))
    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    weekend = cli("roster", "stats", "--from", "2026-12-05", "--to", "2026-12-06", "-f", "json")
    assert weekend.exit_code == 0, weekend.stderr
    rows = json.loads(weekend.stdout)["staff"]
    assert {row["staff"] for row in rows} == {"a", "b", "c"}
    assert all(row["shifts"] == 0 and row["hours"] == 0 for row in rows)
    week = json.loads(cli("roster", "stats", "--from", "2026-12-07", "--to", "2026-12-11",
                          "-f", "json").stdout)["staff"]
    assert sum(row["shifts"] for row in week) == 5
    elsewhere = cli("roster", "stats", "--month", "2027-02")
    assert elsewhere.exit_code != 0 and "no roster covers" in elsewhere.stderr


def test_roster_stats_cli_prints_na_and_null(cli, workspace):
    write_rules(workspace, rules_text(SHIFTS, UNEQUAL))
    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    table = cli("roster", "stats", "--month", "2026-12")
    assert table.exit_code == 0, table.stderr
    spreads = table.stdout.split("\n\n", 1)[1].splitlines()
    assert spreads[0].split() == ["spread", "(most", "-", "least)", "among", "comparable",
                                  "staff", "per", "role,", "per", "full-time", "widest", "role"]
    rows = {line.split()[0]: line.split()[1:] for line in spreads[2:]}
    assert rows["nights"][0] == "n/a" and rows["hours"][0] == "n/a"
    assert rows["nights"][1] != "n/a"  # the coarser spread still measures
    narrow = cli("roster", "stats", "--month", "2026-12", env={"COLUMNS": "60"})
    assert "per role, per full-time" in narrow.stdout  # the titles are never cut
    chinese = cli("roster", "stats", "--month", "2026-12", env={"DUTYCTL_LANG": "zh_CN"})
    assert "同类员工之间" in chinese.stdout and "不适用" in chinese.stdout
    data = json.loads(cli("roster", "stats", "--month", "2026-12", "-f", "json").stdout)
    assert data["spread"] == dict.fromkeys(stats.COUNTS, None)
    assert data["spread_adjusted"]["shifts"] is not None
    assert data["spread_adjusted_role"]["shifts"] == "service"
    text = (workspace.rosters_dir / "2026-12.yaml").read_text(encoding="utf-8")
    assert "  spread: {shifts: null" in text and "  spread_adjusted: {" in text
    assert "  spread_adjusted_role: {shifts: service," in text


def test_a_holiday_shift_is_any_day_of_the_statutory_break():
    calendar = SiteCalendar()
    national_day = [date(2026, 10, 1) + timedelta(days=n) for n in range(7)]
    assert all(day_kind(calendar, day).holiday for day in national_day)  # Sunday 10-04 too
    assert day_kind(calendar, date(2026, 10, 4)).weekend
    for ordinary in (date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 10),
                     date(2026, 10, 11), date(2026, 9, 20)):
        assert not day_kind(calendar, ordinary).holiday, ordinary  # 10-10, 09-20: 调休 workdays
    spring = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]
    assert all(day_kind(calendar, day).holiday for day in spring)  # 02-15..02-23
    assert not day_kind(calendar, date(2026, 2, 14)).holiday  # a 调休 working Saturday
    assert not day_kind(calendar, date(2026, 2, 24)).holiday


def test_a_break_the_rules_list_ends_where_it_is_written():
    """A local 春节 listed 02-06..02-12 (a Friday; a year without the official notice): the
    weekend after it is an ordinary weekend, where a run of rest days joined the break (paid
    and levelled as 春节); a weekend inside a listed break is in it."""
    listed = frozenset(date(2027, 2, 6) + timedelta(days=n) for n in range(7))
    calendar = SiteCalendar(extra_holidays=listed)
    assert all(calendar.break_name(day) for day in listed)
    for weekend in (date(2027, 2, 13), date(2027, 2, 14)):
        assert day_kind(calendar, weekend).weekend and not day_kind(calendar, weekend).holiday
    assert day_kind(calendar, date(2027, 2, 7)).holiday  # a Sunday inside the listed days
    local = SiteCalendar(extra_holidays=frozenset({date(2026, 11, 20)}))  # a Friday
    assert day_kind(local, date(2026, 11, 20)).holiday
    assert not day_kind(local, date(2026, 11, 21)).holiday


def test_stats_and_show_count_the_sunday_inside_national_day(cli, workspace):
    rules = parse(rules_text(SHIFTS, UNEQUAL))
    counts = stats.loads(rules, [stats.Worked("a", date(2026, 10, 4), "day", 12.0),
                                 stats.Worked("a", date(2026, 10, 7), "day", 12.0),
                                 stats.Worked("a", date(2026, 10, 10), "day", 12.0)])
    assert counts["a"]["holidays"] == 2
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 0
    shown = cli("roster", "show", "--month", "2026-10")
    line = next(line for line in shown.stdout.splitlines() if line.startswith("Sun 10-04"))
    assert "国庆节" in line


def test_exports_flag_weekend_and_holiday_shifts_as_stats_count_them(cli, workspace):
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 0
    target = workspace.root / "october.csv"
    assert cli("roster", "export", "--month", "2026-10", "-f", "csv", "-o",
               str(target)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    kinds = {row["date"]: (row["weekend"], row["holiday"]) for row in rows}
    assert kinds["2026-10-04"] == ("yes", "yes")  # Sunday inside National Day
    assert kinds["2026-10-07"] == ("no", "yes")  # a swapped rest day
    assert kinds["2026-10-10"] == ("no", "no")  # 调休: a working Saturday
    assert kinds["2026-10-11"] == ("yes", "no")
    counted = json.loads(cli("roster", "stats", "--month", "2026-10", "-f", "json").stdout)
    worked = [row for row in json.loads(cli("roster", "show", "--month", "2026-10", "-f",
                                            "json").stdout)
              if row["staff"] and not row["on_call"]]
    for metric, flag in (("holidays", "holiday"), ("weekends", "weekend")):
        assert sum(row[metric] for row in counted["staff"]) == sum(row[flag] for row in worked)
    assert sum(row["holidays"] for row in counted["staff"]) > 0


def test_on_call_nights_in_a_break_are_counted_apart_from_the_holiday_shifts(cli, workspace):
    """An on-call duty (备班) on a day of a statutory break is a holiday on-call duty
    (节假日备班), by the break's one definition, in a figure of its own: not among the
    on-site holiday shifts."""
    shifts = SHIFTS + '- {id: oncall, start: "20:00", end: "08:00", on_call: true, ' \
                      'need: {service: 1}}\n'
    rules = parse(rules_text(shifts, UNEQUAL))
    counts = stats.loads(rules, [stats.Worked("a", date(2026, 10, 4), "oncall", 12.0),
                                 stats.Worked("a", date(2026, 10, 10), "oncall", 12.0),
                                 stats.Worked("a", date(2026, 10, 7), "day", 12.0)])
    assert (counts["a"]["holidays"], counts["a"]["on_call"],
            counts["a"]["holiday_on_call"]) == (1, 2, 1)
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 0
    counted = json.loads(cli("roster", "stats", "--month", "2026-10", "-f", "json").stdout)
    on_call = [row for row in json.loads(cli("roster", "show", "--month", "2026-10", "-f",
                                             "json").stdout)
               if row["staff"] and row["on_call"]]
    assert sum(row["holiday_on_call"] for row in counted["staff"]) == sum(
        row["holiday"] for row in on_call) > 0
    assert "holiday_on_call" in counted["spread"]
    table = cli("--lang", "zh_CN", "排班", "统计", "--月份", "2026-10")
    assert table.exit_code == 0 and "节假日备班" in table.stdout, table.stderr
