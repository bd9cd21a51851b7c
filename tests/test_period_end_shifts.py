"""The last night of a period: a shift belongs to the period it starts in, counted whole (up
to its clock-out the next morning) and judged there, in the daily, weekly and monthly reports
as in `dutyctl attendance`, so the monthly report's hours are the ones payroll gets."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli
from tests.helpers_desk import write_roster

#: 李娜 the nights of 2025-10-30 and 10-31, 王强 (technician) that last night too
NIGHTS = [("2025-10-30", "night", "lina"), ("2025-10-31", "night", "lina"),
          ("2025-10-31", "night", "wangqiang", "technician")]
AFTER = "2025-11-10T09:00:00+08:00"  # the reports are run days after the month's end


def step(cli, *args: str, staff: str) -> None:
    result = cli(*args, "--staff", staff)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)


@pytest.fixture
def month_end(workspace, clock):
    """lina works the nights of 10-30 and 10-31 (the month's last, to 08:06 on 11-01);
    wangqiang, rostered on that last night too, comes only at 00:30, after midnight."""
    write_roster(workspace.root, "2025-10-30", "2025-11-01", NIGHTS, "2025-10-30_2025-11-01",
                 generated_at="2025-10-20T15:00:00+08:00", rules_sha256="x")
    clock.set(AFTER)
    cli = Cli(workspace.root)
    step(cli, "clock", "in", "--at", "2025-10-30 19:55", staff="lina")
    step(cli, "clock", "out", "--no-handover", "--reason", "交班", "--at", "2025-10-31 08:01",
         staff="lina")
    step(cli, "clock", "in", "--at", "2025-10-31 19:54", staff="lina")
    step(cli, "clock", "in", "--at", "2025-11-01 00:30", staff="wangqiang")
    step(cli, "clock", "out", "--no-handover", "--reason", "交班", "--at", "2025-11-01 08:00",
         staff="wangqiang")
    return cli


def as_json(cli, *args: str):
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return json.loads(result.stdout)


def monthly(cli, month: str = "2025-10") -> dict:
    return as_json(cli, "report", "monthly", "--month", month)["attendance"]


def people(attendance: dict) -> dict:
    return {row["staff"]: row for row in attendance["people"]}


def assert_agree(report: dict, attendance: list[dict]) -> None:
    """Every figure both give, person by person: the report's hours worked are attendance's,
    a shift still under way counted up to the moment in both."""
    mine = people(report)
    assert sorted(mine) == sorted(row["staff"] for row in attendance)
    for row in attendance:
        theirs = mine[row["staff"]]
        for key in ("rostered", "attended", "late", "late_minutes", "early_leaves", "absent",
                    "unrostered"):
            assert theirs[key] == row[key], (row["staff"], key)
        # the same figure, two places in both (output.hours_figure; the report's was rounded
        # to one)
        assert theirs["hours_worked"] == row["hours_worked"], row["staff"]
        assert theirs["on_duty"] == row["on_duty"], row["staff"]
        assert theirs["not_clocked_out"] == row["open"], row["staff"]


def test_the_month_s_last_night_worked_counts_whole_in_the_monthly_report(month_end, clock):
    cli = month_end
    step(cli, "clock", "out", "--no-handover", "--reason", "交班", "--at", "2025-11-01 08:06",
         staff="lina")
    report = monthly(cli)
    attendance = as_json(cli, "attendance", "--month", "2025-10")
    assert_agree(report, attendance)
    lina, wangqiang = people(report)["lina"], people(report)["wangqiang"]
    # 12.1 h the night of the 30th + 12.2 h the night of the 31st, up to 08:06 on 11-01
    assert (lina["hours_worked"], lina["on_duty"], lina["not_clocked_out"]) == (24.3, 0, 0)
    # the clock-in after midnight is for the night of the 31st: late, not absent
    assert (wangqiang["late"], wangqiang["late_minutes"], wangqiang["absent"],
            wangqiang["hours_worked"]) == (1, 270, 0, 7.5)
    assert report["totals"]["hours_worked"] == 31.8
    # November counts none of it; the day and the week of the 31st count the night whole
    assert people(monthly(cli, "2025-11")) == {}
    day = as_json(cli, "report", "daily", "--date", "2025-10-31")["attendance"]
    assert people(day)["lina"]["hours_worked"] == 12.2
    assert people(day)["wangqiang"]["late_minutes"] == 270
    week = as_json(cli, "report", "weekly", "--week", "2025-W44")["attendance"]
    assert people(week)["lina"]["hours_worked"] == 24.3
    # run while the night is under way, the report says so: on duty, its hours so far (both
    # lina, since 19:54, and wangqiang, since 00:30)
    clock.set("2025-11-01T02:00:00+08:00")
    under_way = people(monthly(cli))["lina"]
    assert (under_way["on_duty"], under_way["hours_on_duty"], under_way["hours_worked"]) \
        == (1, 6.1, 18.2)
    text = cli("--lang", "zh_CN", "report", "monthly", "--month", "2025-10").stdout
    assert "仍在岗            2（截至 11月1日 周六 02:00 已在岗 7.6 小时）" in text, text


def test_the_month_s_last_night_never_clocked_out_is_flagged_in_that_month(month_end):
    cli = month_end  # lina never clocks out of the night of the 31st
    # nor does gaofeng, who clocked in on the 31st without a shift: no hours, not "on duty"
    # until the month's end (the desk too takes a duty open a day as a forgotten clock-out)
    step(cli, "clock", "in", "--at", "2025-10-31 10:00", staff="gaofeng")
    report = monthly(cli)
    attendance = as_json(cli, "attendance", "--month", "2025-10")
    assert_agree(report, attendance)
    lina, gaofeng = people(report)["lina"], people(report)["gaofeng"]
    assert (lina["hours_worked"], lina["on_duty"], lina["not_clocked_out"]) == (12.1, 0, 1)
    assert (gaofeng["hours_worked"], gaofeng["on_duty"], gaofeng["not_clocked_out"],
            gaofeng["unrostered"]) == (0, 0, 1, 1)
    assert [(item["staff"], item["start"][:16]) for item in report["anomalies"]
            if item["anomaly"] == "no-clock-out"] == [("lina", "2025-10-31T20:00")]
    chinese = Cli(cli.root)("--lang", "zh_CN", "report", "monthly", "--month", "2025-10").stdout
    assert "下班未签退" in chinese and "当班中" not in chinese
    day = as_json(cli, "report", "daily", "--date", "2025-10-31")["attendance"]
    assert day["totals"]["not_clocked_out"] == 2 and day["totals"]["hours_on_duty"] == 0


def test_attendance_and_the_month_count_one_forgotten_clock_out_alike_hour_by_hour(month_end,
                                                                                   clock):
    """A clock-out is forgotten once the shift is over by the clock-in window (lina's night of
    the 31st, to 08:00, at 10:00), an unrostered duty once open a day (gaofeng's of 10:00 on
    the 31st): before that the duty is on duty, its hours so far counted. `attendance` and
    the monthly report say it from one count (`desk.attendance.still_open`), at every
    moment."""
    cli = month_end
    step(cli, "clock", "in", "--at", "2025-10-31 10:00", staff="gaofeng")
    seen = {}
    for moment in ("2025-11-01T09:59:00+08:00", "2025-11-01T10:00:00+08:00",
                   "2025-11-01T11:00:00+08:00"):
        clock.set(moment)
        report, attendance = monthly(cli), as_json(cli, "attendance", "--month", "2025-10")
        assert_agree(report, attendance)
        seen[moment[11:16]] = {staff: (row["on_duty"], row["not_clocked_out"])
                               for staff, row in people(report).items()
                               if staff in ("lina", "gaofeng")}
    assert seen == {"09:59": {"lina": (1, 0), "gaofeng": (1, 0)},
                    "10:00": {"lina": (0, 1), "gaofeng": (1, 0)},
                    "11:00": {"lina": (0, 1), "gaofeng": (0, 1)}}


def test_an_unreadable_duty_file_of_the_morning_after_is_said_by_the_month(month_end, workspace):
    """The month reads the duties clocked in up to a day after it (a late clock-in after
    midnight is the last night's): an unreadable one of 11-01 is listed as skipped, as the
    month's own files are, never left out silently (review)."""
    (wangqiang,) = [path for path in (workspace.root / "records" / "2025" / "11" / "01").glob(
        "*.yaml") if "." not in path.stem]
    wangqiang.write_text("kind: duty\nid: [\n", encoding="utf-8")  # broken: no longer YAML
    skipped = as_json(month_end, "report", "monthly", "--month", "2025-10")["skipped"]
    assert any(line.startswith(f"records/2025/11/01/{wangqiang.name}:") for line in skipped), \
        skipped
