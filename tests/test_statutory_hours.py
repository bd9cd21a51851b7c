"""Hours worked on statutory holidays (法定节假日工时, 《劳动法》第四十四条: paid 300%): per
person and per shift in `attendance`, cut at midnight, the break's rest days and 补假 left
out; a year from the rules only reckoned by the law. The calendar is tests/holiday_data.py's
(conftest), never the installed package's; every moment is pinned."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dutyctl import sitecalendar
from dutyctl.desk import attendance as core
from dutyctl.desk.attendance import DutySession
from tests.helpers_desk import write_desk_rules, write_roster
from tests.test_rules_typed_in_chinese import package_guesses

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def days(first: str, count: int) -> frozenset[date]:
    return frozenset(date.fromisoformat(first) + timedelta(days=n) for n in range(count))


# -- which days are statutory -----------------------------------------------------------------


def test_a_year_with_its_notice_tells_the_statutory_days_from_the_breaks_rest_days():
    calendar = sitecalendar.SiteCalendar(extra_holidays=frozenset({date(2026, 11, 18)}),
                                         named=((date(2026, 11, 18), "小区业主节"),))
    for day in ("2026-01-01", "2026-02-16", "2026-02-17", "2026-02-19", "2026-10-01",
                "2026-10-03", "2025-10-06"):  # 除夕 and 中秋 too
        assert calendar.statutory_day(date.fromisoformat(day)) is True, day
    for day in ("2026-01-02",  # 休息日（由 2026-01-04 调休）
                "2026-02-20", "2026-10-04",  # the break's weekend and rest days
                "2026-10-05",  # 国庆节（补假）
                "2026-10-06", "2026-11-18",  # a local holiday of the rules
                "2026-10-12"):
        assert calendar.statutory_day(date.fromisoformat(day)) is False, day
    assert calendar.in_statutory_break(date(2026, 10, 4))  # a holiday shift all the same


def test_a_year_from_the_rules_only_is_reckoned_by_the_law(monkeypatch):
    """2027 has no notice (the package only guesses it, and its guesses are not used): 元旦,
    除夕 to 初三 (2027-02-05..02-08), 劳动节 5-1..5-2, 国庆节 10-1..10-3 by the law; 清明节 the
    one day the rules list with that reason; 中秋节 listed as three days: unknown; 端午节 not
    listed at all: unknown on the days it may fall on (05-27..06-25)."""
    package_guesses(monkeypatch, {"2027-02-09": "春节", "2027-04-04": "清明节"})
    named = ((date(2027, 4, 5), "清明节"), (date(2027, 4, 3), "调休"),
             (date(2027, 4, 4), "调休"), (date(2027, 11, 18), "小区业主节"),
             *((day, "中秋节") for day in sorted(days("2027-09-15", 3))))
    calendar = sitecalendar.SiteCalendar(
        extra_holidays=frozenset(day for day, _ in named) | days("2027-02-05", 7),
        named=tuple(sorted(named)))
    for day in ("2027-01-01", "2027-02-05", "2027-02-06", "2027-02-08", "2027-04-05",
                "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-03"):
        assert calendar.statutory_day(date.fromisoformat(day)) is True, day
    for day in ("2027-01-02", "2027-02-04", "2027-02-09", "2027-02-11", "2027-04-03",
                "2027-04-04", "2027-05-03", "2027-05-26", "2027-06-26", "2027-11-18",
                "2027-10-04", "2027-09-18"):
        assert calendar.statutory_day(date.fromisoformat(day)) is False, day
    for day in ("2027-09-16", "2027-05-27", "2027-06-25"):
        assert calendar.statutory_day(date.fromisoformat(day)) is None, day
    assert calendar.unknown_statutory(date(2027, 9, 1), date(2027, 9, 30)) == [
        ("中秋节", 2027, sorted(days("2027-09-15", 3)))]
    assert calendar.unknown_statutory(date(2027, 6, 1), date(2027, 6, 30)) == [
        ("端午节", 2027, [])]
    assert calendar.unknown_statutory(date(2027, 8, 1), date(2027, 8, 31)) == []
    assert calendar.unknown_statutory(date(2026, 6, 1), date(2026, 9, 30)) == []  # noticed


def test_the_hours_are_cut_at_midnight():
    calendar = sitecalendar.SiteCalendar()
    night = [(at("2025-12-31 21:00"), at("2026-01-01 07:00"))]
    assert core.statutory_time(night, calendar.statutory_day, TZ) == timedelta(hours=7)
    after = [(at("2026-01-01 21:00"), at("2026-01-02 07:00"))]  # to a 调休 rest day
    assert core.statutory_time(after, calendar.statutory_day, TZ) == timedelta(hours=3)


# -- through the CLI ----------------------------------------------------------------------------


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def duty(cli, staff, clock_in, clock_out):
    ok(cli("clock", "in", "--staff", staff, "--at", clock_in))
    ok(cli("clock", "out", "--staff", staff, "--at", clock_out, "--no-handover", "--reason",
           "测试"))


def people(cli, month):
    rows = json.loads(ok(cli("attendance", "--month", month, "-f", "json")).stdout)
    return {row["staff"]: row["statutory_holiday_hours"] for row in rows}


def detail(cli, month):
    rows = json.loads(ok(cli("attendance", "--month", month, "--detail", "-f", "json")).stdout)
    return [(row["date"], row["staff"], row["result"], row["statutory_holiday_hours"])
            for row in rows]


def test_the_night_of_new_years_eve_has_seven_hours_on_new_years_day(cli, workspace, clock):
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2025-12-01", "2025-12-31",
                 [("2025-12-31", "night", "lina"), ("2025-12-31", "day", "sunli")])
    clock.set("2026-01-10T10:00:00+08:00")
    duty(cli, "lina", "2025-12-31 21:00", "2026-01-01 07:00")
    duty(cli, "sunli", "2025-12-31 07:55", "2025-12-31 20:05")
    assert people(cli, "2025-12") == {"lina": 7.0, "sunli": 0.0}
    assert [row for row in detail(cli, "2025-12") if row[1] == "lina"] == [
        ("2025-12-31", "lina", "late", 7.0)]
    csv = ok(cli("attendance", "--month", "2025-12", "-f", "csv")).stdout
    assert "statutory_holiday_hours" in csv.splitlines()[0]
    chinese = ok(cli("--lang", "zh_CN", "attendance", "--month", "2025-12")).stdout
    assert "法定节假日工时" in chinese


def test_national_day_counts_its_three_days_not_the_breaks_rest_days(cli, workspace):
    """2026-10-04 (the break's Sunday) and 10-05 (国庆节（补假）) are no statutory days: a
    night from 10-03 has 4 h on 国庆节; the day shift of 10-04 none, though in the break."""
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [("2026-10-03", "night", "lina"), ("2026-10-04", "day", "sunli"),
                  ("2026-10-05", "day", "zhangwei")])
    duty(cli, "lina", "2026-10-03 19:55", "2026-10-04 08:05")
    duty(cli, "sunli", "2026-10-04 07:55", "2026-10-04 20:05")
    duty(cli, "zhangwei", "2026-10-05 07:55", "2026-10-05 20:05")
    assert people(cli, "2026-10") == {"zhangwei": 0.0, "lina": 4.08, "sunli": 0.0}
    rows = json.loads(ok(cli("attendance", "--month", "2026-10", "--detail", "-f",
                             "json")).stdout)
    assert [(row["date"], row["holiday"], row["statutory_holiday_hours"]) for row in rows] == [
        ("2026-10-03", True, 4.08), ("2026-10-04", True, 0.0), ("2026-10-05", True, 0.0)]


def test_new_years_eve_day_and_night_and_a_call_out_on_the_first_night(cli, workspace, clock):
    """除夕 (2026-02-16) is a statutory day since 2025: its day and its night are all on
    statutory days; a call-out in the night of 初一 too; a night of 初三 into the break's rest
    day 02-20 has its hours to midnight only."""
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-02-01", "2026-02-28",
                 [("2026-02-16", "day", "zhangwei"), ("2026-02-16", "night", "lina"),
                  ("2026-02-19", "night", "sunli")])
    clock.set("2026-03-02T10:00:00+08:00")
    duty(cli, "zhangwei", "2026-02-16 07:55", "2026-02-16 20:05")
    duty(cli, "lina", "2026-02-16 19:55", "2026-02-17 08:05")
    duty(cli, "sunli", "2026-02-19 19:55", "2026-02-20 08:05")
    ok(cli("callout", "start", "wangqiang", "--at", "2026-02-17 22:00"))
    ok(cli("callout", "end", "wangqiang", "--at", "2026-02-18 01:30"))
    assert people(cli, "2026-02") == {"zhangwei": 12.17, "lina": 12.17, "sunli": 4.08,
                                      "wangqiang": 3.5}
    assert [row[1:] for row in detail(cli, "2026-02")] == [
        ("zhangwei", "on-time", 12.17), ("lina", "on-time", 12.17),
        ("wangqiang", "call-out", 3.5), ("sunli", "on-time", 4.08)]
    table = ok(cli("--lang", "zh_CN", "attendance", "--month", "2026-02", "--detail")).stdout
    assert "法定节假日工时" in table and "12.2" in table


RULES_2027 = """\
calendar:
  extra_holidays:
    - {from: "2027-01-01", to: "2027-01-03", reason: 元旦}
    - {from: "2027-04-03", to: "2027-04-04", reason: 调休}
    - {from: "2027-04-05", to: "2027-04-05", reason: 清明节}
    - {from: "2027-09-15", to: "2027-09-17", reason: 中秋节}
    - {from: "2027-09-18", to: "2027-09-18", reason: 小区业主节}
"""


def test_a_year_from_the_rules_only_through_the_command(cli, workspace, clock, monkeypatch):
    """2027, listed in the rules: 清明节 said as one day counts; 中秋节 listed as three days
    is unknown: the figure of whoever worked on them is not given, and stderr says once what
    to list; a local holiday is no statutory day."""
    package_guesses(monkeypatch, {"2027-04-05": "清明节", "2027-09-15": "中秋节"})
    write_desk_rules(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + RULES_2027, encoding="utf-8")
    write_roster(workspace.root, "2027-04-01", "2027-04-30",
                 [("2027-04-04", "night", "lina"), ("2027-04-05", "day", "sunli")])
    write_roster(workspace.root, "2027-09-01", "2027-09-30",
                 [("2027-09-16", "day", "lina"), ("2027-09-18", "day", "sunli")])
    clock.set("2027-10-08T10:00:00+08:00")
    duty(cli, "lina", "2027-04-04 19:55", "2027-04-05 08:05")
    duty(cli, "sunli", "2027-04-05 07:55", "2027-04-05 20:05")
    duty(cli, "lina", "2027-09-16 07:55", "2027-09-16 20:05")
    duty(cli, "sunli", "2027-09-18 07:55", "2027-09-18 20:05")
    assert people(cli, "2027-04") == {"lina": 8.08, "sunli": 12.17}
    september = cli("attendance", "--month", "2027-09", "-f", "json")
    assert {row["staff"]: row["statutory_holiday_hours"]
            for row in json.loads(ok(september).stdout)} == {"lina": None, "sunli": 0.0}
    assert len([line for line in september.stderr.splitlines() if "中秋节" in line]) == 1, \
        september.stderr
    assert detail(cli, "2027-09") == [("2027-09-16", "lina", "on-time", None),
                                      ("2027-09-18", "sunli", "on-time", 0.0)]
    assert ("the rules list 2027-09-15, 2027-09-16, 2027-09-17 as 中秋节: which of them is "
            "the statutory holiday (paid 300%) is unknown") in september.stderr
    chinese = cli("--lang", "zh_CN", "attendance", "--month", "2027-09")
    assert "2027-09-15、2027-09-16、2027-09-17" in chinese.stderr and "中秋节" in chinese.stderr
    assert "unknown" not in chinese.stderr
    april = ok(cli("attendance", "--month", "2027-04")).stderr
    assert "中秋" not in april and "端午" not in april
    june = ok(cli("--lang", "zh_CN", "attendance", "--month", "2027-06")).stderr
    assert "规则没有把 2027 年的任何一天列为端午节" in june, june


def test_a_call_out_while_clocked_in_is_not_counted_twice():
    """The call-out's hours as `off_duty` counts them: none of the time clocked in."""
    calendar = sitecalendar.SiteCalendar()
    duty = DutySession("d", "lina", at("2026-10-01 08:00"), at("2026-10-01 20:00"))
    call = DutySession("c", "lina", at("2026-10-01 06:00"), at("2026-10-01 09:00"))
    spans = core.call_out_spans(call, [duty])
    assert spans == [(at("2026-10-01 06:00"), at("2026-10-01 08:00"))]
    assert core.statutory_time(spans, calendar.statutory_day, TZ) == timedelta(hours=2)


def test_a_day_and_night_on_one_clock_in_is_split_between_its_two_shifts(cli, workspace):
    """连班 on 10-03 into the break's Sunday: the day shift has its hours from the clock-in
    to the night's start, the night from there, 4 h of it on 国庆节; the person's figure is
    the duty's once."""
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [("2026-10-03", "day", "lina"), ("2026-10-03", "night", "lina")])
    duty(cli, "lina", "2026-10-03 07:55", "2026-10-04 08:05")
    assert [row[1:] for row in detail(cli, "2026-10")] == [
        ("lina", "on-time", 12.08), ("lina", "on-time", 4.0)]
    assert people(cli, "2026-10") == {"lina": 16.08}


def test_a_duty_under_way_counts_up_to_now_as_hours_worked_do(cli, workspace, clock):
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31", [("2026-10-01", "day", "lina")])
    clock.set("2026-10-01T10:00:00+08:00")
    ok(cli("clock", "in", "--staff", "lina", "--at", "2026-10-01 07:54"))
    (row,) = json.loads(ok(cli("attendance", "-f", "json")).stdout)
    assert row["hours_worked"] == row["statutory_holiday_hours"] == 2.1


def mid_autumn_2027_unknown(cli, workspace, clock, monkeypatch) -> None:
    """September 2027 from the rules only, 中秋节 listed as three days: 李娜 worked on one of
    them (her figure unknown), 孙丽 on the site's own holiday after them (none)."""
    package_guesses(monkeypatch, {"2027-09-15": "中秋节"})
    write_desk_rules(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + RULES_2027, encoding="utf-8")
    write_roster(workspace.root, "2027-09-01", "2027-09-30",
                 [("2027-09-16", "day", "lina"), ("2027-09-18", "day", "sunli")])
    clock.set("2027-10-08T10:00:00+08:00")
    duty(cli, "lina", "2027-09-16 07:55", "2027-09-16 20:05")
    duty(cli, "sunli", "2027-09-18 07:55", "2027-09-18 20:05")


def test_the_sheets_total_is_not_given_when_a_persons_figure_is_unknown(cli, workspace, clock,
                                                                       monkeypatch, tmp_path):
    """An unknown figure is an empty cell, and Excel's SUM would count it as 0 h: the total
    of statutory hours would be short of what is owed. No total then; hours worked keep one."""
    from openpyxl import load_workbook

    mid_autumn_2027_unknown(cli, workspace, clock, monkeypatch)
    path = tmp_path / "考勤.xlsx"
    ok(cli("attendance", "--month", "2027-09", "-f", "xlsx", "-o", str(path)))
    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    total = [cell.value for cell in sheet[sheet.max_row]]
    assert total[header.index("statutory holiday h")] is None
    assert str(total[header.index("hours worked")]).startswith("=SUM(")


def test_a_call_out_is_weighed_against_the_duties_it_meets_only(monkeypatch):
    """A month of 60 people called out nightly: each call-out against the duties around it,
    not all the person's month (0.57 s of the command's time on such a month, 0.07 s now)."""
    import types

    calendar, weighed = sitecalendar.SiteCalendar(), []
    without = core._without
    monkeypatch.setattr(core, "_without",
                        lambda span, others: weighed.append(len(others)) or without(span, others))
    sessions, calls = [], []
    for person in range(60):
        for day in range(31):
            start = at("2026-10-01 08:00") + timedelta(days=day, hours=12 * (person % 2))
            sessions.append(DutySession(f"d{person}-{day}", f"p{person}", start,
                                        start + timedelta(hours=12)))
            calls.append(DutySession(f"c{person}-{day}", f"p{person}",
                                     start + timedelta(hours=11), start + timedelta(hours=14)))
    report = types.SimpleNamespace(
        sessions=sessions, duties=sessions, call_outs=calls, at=None, forgot=lambda session: False,
        people=[types.SimpleNamespace(staff=f"p{person}") for person in range(60)])
    found = core.statutory_hours(report, calendar.statutory_day, TZ)
    assert found["p0"] == timedelta(hours=3 * 12 + 3 * 2)  # 10-01..10-03: 3 days, 3 calls of 2 h
    assert len(weighed) == len(calls) and max(weighed) == 1


# -- the weekly and monthly reports' attendance -------------------------------------------------


def report_attendance(cli, *period):
    result = ok(cli("report", *period, "-f", "json"))
    return json.loads(result.stdout)["attendance"], result.stderr


def test_the_reviews_give_the_statutory_hours_per_person_and_in_total(cli, workspace, clock,
                                                                    tmp_path):
    """October 2026 has 国庆节: its monthly and weekly reports give the hours as `attendance`
    does, per person and in total, in every format; November has no statutory day: none."""
    from openpyxl import load_workbook

    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [("2026-10-03", "night", "lina"), ("2026-10-04", "day", "sunli"),
                  ("2026-10-12", "day", "zhangwei")])
    clock.set("2026-11-20T10:00:00+08:00")
    duty(cli, "lina", "2026-10-03 19:55", "2026-10-04 08:05")
    duty(cli, "sunli", "2026-10-04 07:55", "2026-10-04 20:05")
    duty(cli, "zhangwei", "2026-10-12 07:55", "2026-10-12 20:05")
    month, _ = report_attendance(cli, "monthly", "--month", "2026-10")
    assert {person["staff"]: person["statutory_holiday_hours"]
            for person in month["people"]} == people(cli, "2026-10")
    assert people(cli, "2026-10")["lina"] == 4.08
    assert month["totals"]["statutory_holiday_hours"] == 4.08
    week, _ = report_attendance(cli, "weekly", "--week", "2026-W40")  # 09-28..10-04
    assert week["totals"]["statutory_holiday_hours"] == 4.08
    later, _ = report_attendance(cli, "weekly", "--week", "2026-W42")
    assert "statutory_holiday_hours" not in later["totals"]
    page = ok(cli("--lang", "zh_CN", "report", "monthly", "--month", "2026-10")).stdout
    assert "法定节假日工时" in page and "4.1" in page
    assert "法定节假日工时" not in ok(cli("--lang", "zh_CN", "report", "weekly", "--week",
                                         "2026-W42")).stdout
    html = ok(cli("report", "monthly", "--month", "2026-10", "-f", "html")).stdout
    assert "Statutory holiday hours" in html and "statutory holiday h" in html
    path = tmp_path / "月报.xlsx"
    ok(cli("report", "monthly", "--month", "2026-10", "-f", "xlsx", "-o", str(path)))
    cells = [cell.value for sheet in load_workbook(path) for row in sheet.iter_rows()
             for cell in row]
    assert "statutory holiday h" in cells and 4.08 in cells


def test_a_reviews_unknown_statutory_day_is_an_empty_figure_said_once(cli, workspace, clock,
                                                                     monkeypatch):
    mid_autumn_2027_unknown(cli, workspace, clock, monkeypatch)
    month, stderr = report_attendance(cli, "monthly", "--month", "2027-09")
    assert {person["staff"]: person["statutory_holiday_hours"]
            for person in month["people"]} == {"lina": None, "sunli": 0.0}
    assert month["totals"]["statutory_holiday_hours"] is None
    assert stderr.count("as 中秋节: which of them is the statutory holiday") == 1


# -- a duty over a month's end ------------------------------------------------------------------


def summary(cli, month):
    rows = json.loads(ok(cli("attendance", "--month", month, "-f", "json")).stdout)
    return {row["staff"]: (row["hours_worked"], row["statutory_holiday_hours"]) for row in rows}


def test_a_duty_over_the_months_end_is_cut_where_its_shifts_are(cli, workspace, clock):
    """连班 on one clock-in: the night of 12-31 and the day of 元旦. Each shift belongs to
    the month it starts in, the duty split between them at the day shift's start (as
    `--detail` splits it): December has the night (19:55 to 08:00, 8 h on 元旦), January the
    day (08:00 to 20:05, all on 元旦); each month's rows add up to its person's figures, and
    the reports count as `attendance` does."""
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2025-12-01", "2025-12-31", [("2025-12-31", "night", "lina")])
    write_roster(workspace.root, "2026-01-01", "2026-01-31", [("2026-01-01", "day", "lina")])
    clock.set("2026-01-10T10:00:00+08:00")
    duty(cli, "lina", "2025-12-31 19:55", "2026-01-01 20:05")
    assert summary(cli, "2025-12") == {"lina": (12.08, 8.0)}
    assert summary(cli, "2026-01") == {"lina": (12.08, 12.08)}
    assert [row[1:] for row in detail(cli, "2025-12")] == [("lina", "on-time", 8.0)]
    assert [row[1:] for row in detail(cli, "2026-01")] == [("lina", "on-time", 12.08)]
    for month in ("2025-12", "2026-01"):
        section, _ = report_attendance(cli, "monthly", "--month", month)
        assert (section["totals"]["hours_worked"],
                section["totals"]["statutory_holiday_hours"]) == summary(cli, month)["lina"]


def test_a_call_out_running_into_a_duty_of_the_next_month_is_not_paid_twice(cli, workspace,
                                                                              clock):
    """Called in at 23:00 on 12-31, lina stays on for her day shift of 元旦, clocking in at
    07:50 before recording her return at 09:00: the call-out is December's (the day it
    started), the duty January's. The call-out's hours stop where the duty's begin, whichever
    month each is counted in: 07:50 to 09:00 is paid once, as shift (as `off_duty` does in
    one month)."""
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2025-12-01", "2025-12-31", [("2025-12-31", "night", "sunli")])
    write_roster(workspace.root, "2026-01-01", "2026-01-31", [("2026-01-01", "day", "lina")])
    clock.set("2026-01-10T10:00:00+08:00")
    ok(cli("callout", "start", "lina", "--at", "2025-12-31 23:00"))
    duty(cli, "lina", "2026-01-01 07:50", "2026-01-01 20:05")
    ok(cli("callout", "end", "lina", "--at", "2026-01-01 09:00"))

    def lina(month):
        rows = json.loads(ok(cli("attendance", "--month", month, "-f", "json")).stdout)
        row = next(row for row in rows if row["staff"] == "lina")
        return row["hours_call_out"], row["hours_worked"], row["statutory_holiday_hours"]

    assert lina("2025-12") == (8.83, 0.0, 7.83)  # 23:00 to 07:50, 00:00 on 元旦
    assert lina("2026-01") == (0.0, 12.25, 12.25)  # 07:50 to 20:05, all on 元旦
    call = next(row for row in detail(cli, "2025-12") if row[2] == "call-out")
    assert call == ("2025-12-31", "lina", "call-out", 7.83)
    section, _ = report_attendance(cli, "monthly", "--month", "2025-12")
    assert section["totals"]["hours_call_out"] == 8.83


def test_a_clock_out_forgotten_over_the_months_end_is_said_in_both_months(cli, workspace,
                                                                          clock):
    """Clocked in for the night of 12-31, rostered on 元旦's day too, never clocked out: ten
    days later neither month's hours are known. December's night is its last shift in
    December: its clock-out is said forgotten there (not on duty ten days on, with a silent
    0 h), as January's day says it; on 01-01 at 10:00 she is on duty in both."""
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2025-12-01", "2025-12-31", [("2025-12-31", "night", "lina")])
    write_roster(workspace.root, "2026-01-01", "2026-01-31", [("2026-01-01", "day", "lina")])
    clock.set("2026-01-01T10:00:00+08:00")
    ok(cli("clock", "in", "--staff", "lina", "--at", "2025-12-31 19:55"))

    def seen(month):
        rows = json.loads(ok(cli("attendance", "--month", month, "--detail", "-f",
                                 "json")).stdout)
        (row,) = rows
        (person,) = json.loads(ok(cli("attendance", "--month", month, "-f", "json")).stdout)
        section, _ = report_attendance(cli, "monthly", "--month", month)
        return (row["on_duty"], row["no_clock_out"], person["open"],
                section["totals"]["not_clocked_out"])

    assert seen("2025-12") == seen("2026-01") == (True, False, 0, 0)
    clock.set("2026-01-10T10:00:00+08:00")
    assert seen("2025-12") == seen("2026-01") == (False, True, 1, 1)
