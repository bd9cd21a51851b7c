"""`-f 表格`, `-f 网页`, `-f Excel`: every --format takes the word a clerk uses for a format."""

from __future__ import annotations

import pytest

from dutyctl.output import format_named
from tests.test_tickets_cli import file_repair, ok

ZH = ("--lang", "zh_CN")


@pytest.mark.parametrize("typed, meant", [
    ("表格", "table"), ("文本", "text"), ("网页", "html"), ("Excel", "xlsx"), ("EXCEL", "xlsx"),
    ("电子表格", "xlsx"), ("日历", "ics"), ("json", "json"), ("table", "table"),
    ("报表", "报表")])
def test_a_format_by_its_word(typed, meant):
    assert format_named(typed) == meant


def test_a_listing_and_a_report_take_the_word(cli):
    file_repair(cli, "楼道灯不亮", "2026-10-12 09:00")
    as_table = ok(cli(*ZH, "list", "-f", "table", "--as-of", "2026-10-12 10:00"))
    assert ok(cli(*ZH, "list", "-f", "表格", "--as-of", "2026-10-12 10:00")) == as_table
    page = ok(cli(*ZH, "report", "daily", "--date", "2026-10-12", "-f", "网页"))
    assert page.lstrip().startswith("<!DOCTYPE html>")


def test_a_word_for_a_format_the_command_lacks_is_refused_as_typed(cli):
    refused = cli(*ZH, "list", "-f", "文本")
    assert refused.exit_code == 2
    assert "未知格式“文本”（可选：表格（table）、json、yaml、csv、Excel（xlsx））" in refused.stderr


def test_roster_export_refuses_a_format_with_the_words_it_takes(cli):
    """`排班 导出 --格式 表格`: the refusal names 日历 and Excel, the words that work there."""
    refused = cli(*ZH, "roster", "export", "-f", "表格")
    assert refused.exit_code == 2
    assert "未知格式“表格”（可选：日历（ics）、csv、Excel（xlsx））" in refused.stderr, refused.stderr
    assert "table" not in refused.stderr
    taken = cli(*ZH, "roster", "export", "-f", "日历").stderr  # taken; there is no roster yet
    assert "只能是" not in taken and "还没有排班表" in taken


@pytest.mark.parametrize("typed", ["Excel", "xlsx", "电子表格"])
def test_a_report_asked_for_in_excel_says_where_a_sheet_comes_from(cli, typed):
    """`月报 -f Excel`: no report is a sheet; the refusal names the two that are (考勤, 列表)
    instead of calling the word typed an unknown format."""
    refused = cli(*ZH, "月报", "--月份", "2026-10", "-f", typed, "-o", "x.xlsx")
    assert refused.exit_code == 2
    assert "报表没有 Excel 格式（可选：" in refused.stderr, refused.stderr
    assert "'dutyctl 考勤 --月份 2026-10 -f xlsx -o 考勤.xlsx'" in refused.stderr
    assert "未知格式" not in refused.stderr
    assert "'dutyctl 列表 --从 2026-10-01 --到 2026-10-31 -f xlsx -o 记录.xlsx'" in refused.stderr


def test_the_excel_refusal_names_the_reports_own_period(cli, clock, tmp_path):
    """The sheets suggested are of the period asked for (2026-11, a week), in the user's
    command words, and nothing is written."""
    clock.set("2026-12-01T09:00:00+08:00")
    written = tmp_path / "x.xlsx"
    refused = cli(*ZH, "月报", "--月份", "2026-11", "-f", "Excel", "-o", str(written))
    assert refused.exit_code == 2, refused.stderr
    assert "'dutyctl 考勤 --月份 2026-11 -f xlsx -o 考勤.xlsx'" in refused.stderr
    assert "'dutyctl 列表 --从 2026-11-01 --到 2026-11-30 -f xlsx -o 记录.xlsx'" in refused.stderr
    assert "2026-10" not in refused.stderr and not written.exists()
    weekly = cli("report", "weekly", "--week", "2026-W47", "-f", "xlsx")
    assert weekly.exit_code == 2
    assert ("'dutyctl attendance --month 2026-11 -f xlsx -o attendance.xlsx', 'dutyctl list "
            "--since 2026-11-16 --until 2026-11-22 -f xlsx -o records.xlsx'") in weekly.stderr
    across = cli(*ZH, "report", "portfolio", "--month", "2026-09", "-f", "电子表格")
    assert across.exit_code == 2
    assert "'dutyctl 考勤 --月份 2026-09 -f xlsx -o 考勤.xlsx'" in across.stderr


@pytest.mark.parametrize("command", [("report", "daily"), ("日报",), ("report", "weekly"),
                                     ("report", "portfolio")])
def test_a_report_refuses_a_format_word_as_typed(cli, command):
    """`日报 -f 表格`: a report has no table; the refusal names 表格, the word typed, not the
    id it stands for, and lists the words a report takes."""
    refused = cli(*ZH, *command, "-f", "表格")
    assert refused.exit_code == 2
    assert "未知格式“表格”（可选：文本（text）、markdown、json、网页（html））" in refused.stderr, \
        refused.stderr
    assert "table" not in refused.stderr


def test_the_excel_refusal_of_a_week_over_two_months_names_both(cli):
    """2026-W49 is 11-30 to 12-06: six of its days are December's, so the attendance sheets
    suggested are of both months, not November's alone."""
    refused = cli(*ZH, "周报", "--周", "2026-W49", "-f", "xlsx")
    assert refused.exit_code == 2, refused.stderr
    assert ("可导出这两个月的考勤或记录：'dutyctl 考勤 --月份 2026-11 -f xlsx -o 考勤-2026-11.xlsx'、"
            "'dutyctl 考勤 --月份 2026-12 -f xlsx -o 考勤-2026-12.xlsx'、"
            "'dutyctl 列表 --从 2026-11-30 --到 2026-12-06 -f xlsx -o 记录.xlsx'") in refused.stderr
    weekly = cli("report", "weekly", "--week", "2026-W49", "-f", "xlsx")
    assert ("'dutyctl attendance --month 2026-11 -f xlsx -o attendance-2026-11.xlsx', "
            "'dutyctl attendance --month 2026-12 -f xlsx -o attendance-2026-12.xlsx'"
            ) in weekly.stderr, weekly.stderr
