"""`-f 表格`, `-f 网页`, `-f Excel`: every --format takes the word a clerk uses for a format."""

from __future__ import annotations

import pytest

from dutyctl.output import format_named
from tests.helpers_desk import ok_text as ok
from tests.test_tickets_cli import file_repair

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
def test_a_report_asked_for_in_excel_is_a_workbook(cli, typed, tmp_path):
    """`月报 -f Excel`: the word typed is taken, and the report is written as a workbook (a
    sheet per section: tests/test_report_excel.py)."""
    import openpyxl

    written = tmp_path / "x.xlsx"
    done = cli(*ZH, "月报", "--月份", "2026-10", "-f", typed, "-o", str(written))
    assert done.exit_code == 0, done.stderr
    assert openpyxl.load_workbook(written).sheetnames[:2] == ["目录", "需要关注"]


@pytest.mark.parametrize("command", [("report", "daily"), ("日报",), ("report", "weekly"),
                                     ("report", "portfolio")])
def test_a_report_refuses_a_format_word_as_typed(cli, command):
    """`日报 -f 表格`: a report has no table; the refusal names 表格, the word typed, not the
    id it stands for, and lists the words a report takes."""
    refused = cli(*ZH, *command, "-f", "表格")
    assert refused.exit_code == 2
    assert ("未知格式“表格”（可选：文本（text）、markdown、json、网页（html）、Excel（xlsx））"
            in refused.stderr), \
        refused.stderr
    assert "table" not in refused.stderr


@pytest.mark.parametrize("command", [("日报",), ("周报",), ("月报",)])
def test_a_report_s_chinese_help_names_its_formats_by_the_words_it_takes(cli, command):
    """The help of 日报 (周报, 月报) names the formats as its refusal does, 文本（text）、
    网页（html）, not `text、markdown、json、html` in English alone."""
    shown = ok(cli(*ZH, *command, "--help"))
    block = shown.split("--格式, --format")[1].split("--输出")[0]
    said = "".join(line.strip() for line in block.splitlines())  # unwrapped
    assert "文本（text）、markdown、json、网页（html，单个独立文件）或 Excel（xlsx，" in said, said
