"""A supervisor's week in Chinese, what was left over: a command word typed as one character,
hours said alike in every data format and on every screen, titles cut by their width on the
screen, the rule ids of `排班 说明`'s CSV beside their words."""

from __future__ import annotations

import json

from tests.helpers_desk import ok_text as ok
from tests.helpers_roster import edit_rules

ZH = ("--lang", "zh_CN")


def test_roster_stats_say_hours_as_attendance_does(cli, workspace):
    """`排班 统计` showed 193.33 hours on the screen where 考勤, 周报 and 月报 say 193.3; its data
    keep two places (output.hours_figure), the screen one (hours_text), in the spreads too."""
    # 9 h 20 min: a third of an hour a shift
    edit_rules(workspace, 'start: "08:30"', 'start: "08:10"')
    ok(cli("roster", "generate", "--month", "2026-12"))
    data = json.loads(ok(cli("roster", "stats", "--month", "2026-12", "-f", "json")))
    hours = [row["hours"] for row in data["staff"]]
    assert all(round(value, 2) == value for value in hours), hours
    assert any(round(value, 1) != value for value in hours), hours  # a third of an hour
    screen = ok(cli(*ZH, "roster", "stats", "--month", "2026-12")).splitlines()
    column = screen[0].split().index("工时")
    shown = [line.split()[column] for line in screen[2:2 + len(hours)]]
    assert shown == [_half_up(value) for value in hours], (shown, hours)
    (spread,) = [line for line in screen if line.startswith("工时")]
    assert all(len(figure.partition(".")[2]) == 1 for figure in spread.split()[1:3]), spread


def _half_up(value: float) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def test_hours_are_rounded_as_people_round_them():
    """12 h 15 min was said 12.2 (Python rounds the exact binary 12.25 to even) beside a call-out
    of 1 h 45 min said 1.8, and a day's 24.5 h beside its two 12.2: 四舍五入, 12.3."""
    from dutyctl.output import hours_text
    from dutyctl.reports.layout import headline_change

    for value in (12.25, 1.75, 0.35, 0.05, 2.675, 133.8, 12.17, 0.0):
        assert hours_text(value) == _half_up(value), value
    assert hours_text(-12.25) == "-12.3"
    assert headline_change("hours_worked", 0.25) == "+0.3"
    assert headline_change("hours_worked", -0.25) == "-0.3"
    assert headline_change("satisfaction_average", 0.125) == "+0.13"


def test_handover_pending_gives_waiting_hours_as_attendance_gives_hours(cli, clock):
    """`交接班 待接班` gave its waiting hours to one place in json (12.2) where attendance and
    the reports give two (12.17); its screen says one, as every screen does."""
    ok(cli("clock", "in", "--at", "2026-10-05 07:55"))
    ok(cli("handover", "--to", "lina", "--at", "2026-10-05 08:00"))
    clock.set("2026-10-05T20:10:00+08:00")
    (row,) = json.loads(ok(cli("handover", "pending", "-f", "json")))
    assert row["waiting_hours"] == 12.17, row
    screen = ok(cli(*ZH, "handover", "pending"))
    assert screen.splitlines()[2].split()[-1] == "12.2", screen
    from dutyctl.xlsx import HOURS_FORMAT, is_hours

    assert is_hours("waiting_hours") and HOURS_FORMAT == "0.0"  # a sheet shows 12.2 too


def test_a_report_cuts_a_chinese_text_by_its_width_on_a_page_and_keeps_it_in_data(
        cli, workspace, tmp_path):
    """A report's one-line text was cut at 40 characters: a Chinese one took 80 columns, twice
    an English one's room. A page cuts it to 40 columns (textwidth.shorten); JSON and the
    workbook keep it whole (the weekly workbook's cells ended in "…": a supervisor's sheet
    lost the rest of the fault)."""
    from openpyxl import load_workbook

    from dutyctl.reports.blocks import Table, paged
    from dutyctl.textwidth import display_width

    long = "3号楼2单元501室厨房水管接头漏水严重，楼下402室天花板渗水，住户要求今天上门"
    (row,) = paged(Table(("room", "content"), (("3-2-501", long),), free=frozenset({1}))).rows
    assert row[0] == "3-2-501" and display_width(row[1]) <= 40 and row[1].endswith("…")
    english = paged(Table(("c",), (("water pipe " * 10,),), free=frozenset({0}))).rows[0][0]
    assert len(english) == 40 and english.endswith("…")  # as before
    ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
           "--content", long, "--at", "2026-10-05 09:00"))
    report = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "-f", "json")))
    texts = [item["content"] for section in report.values() if isinstance(section, dict)
             for items in section.values() if isinstance(items, list)
             for item in items if isinstance(item, dict) and "content" in item]
    assert texts and all(text == long for text in texts), texts
    page = ok(cli("report", "daily", "--date", "2026-10-05"))
    (cut,) = [word for line in page.splitlines() for word in line.split() if "厨房" in word]
    assert long.startswith(cut[:-1]) and cut.endswith("…") and display_width(cut) <= 40
    book = tmp_path / "daily.xlsx"
    ok(cli("report", "daily", "--date", "2026-10-05", "-f", "xlsx", "-o", str(book)))
    cells = [cell.value for sheet in load_workbook(book) for line in sheet.iter_rows()
             for cell in line if isinstance(cell.value, str) and "厨房水管" in cell.value]
    assert cells and all(cell == long for cell in cells), cells


def test_roster_explain_csv_gives_the_rule_keys_as_a_chinese_rules_file_writes_them(cli):
    """`排班 说明 -f csv` wrote English rule keys (roles, min_rest_hours) in its 规则键 column
    for a supervisor's spreadsheet: now the key of rules.yaml that sets the rule as a Chinese
    rules file writes it (岗位, 最少休息小时: what to look for to change it), empty for a check
    no key sets, beside the label (规则); json and the English CSV keep the ids."""
    import csv
    import io

    ok(cli("roster", "generate", "--month", "2026-12"))
    rows = list(csv.DictReader(io.StringIO(ok(cli(*ZH, "roster", "explain", "2026-12-05",
                                                 "day", "-f", "csv")).lstrip("\ufeff"))))
    keys = {row["规则键"]: row["规则"] for row in rows if row["规则"]}
    assert keys.get("岗位") == "岗位不符" and keys.get("最少休息小时") == "休息不足", keys
    assert all(not key.isascii() for key in keys if key), keys
    english = ok(cli("roster", "explain", "2026-12-05", "day", "-f", "csv"))
    assert ",roles,wrong role," in english and ",min_rest_hours,too little rest," in english
    data = json.loads(ok(cli(*ZH, "roster", "explain", "2026-12-05", "day", "-f", "json")))
    assert "roles" in {candidate["rule"] for place in data for candidate in place["candidates"]}


def test_a_number_stays_with_the_chinese_word_it_counts_when_a_line_wraps():
    """The monthly report wrapped `…等，另有 3` / `人。每次缺勤…` (and `李娜 16` / `次`): a
    number and the word it counts stay on one line; English wraps as before."""
    from dutyctl.output import wrap

    said = ("108 人次缺勤（已排班，未签到）：李娜 16 次、赵磊 16 次、陈静 16 次、孙丽 15 次、"
            "张伟 15 次，另有 3 人。每次缺勤的明细见“考勤”一节的考勤异常表。")
    for width in (100, 60, 40):
        lines = wrap(said, width)
        assert "".join(lines).replace(" ", "") == said.replace(" ", ""), lines
        assert not any(line[-1].isdigit() for line in lines[:-1]), (width, lines)
    assert wrap("There are 3 people and 16 shifts", 20) == ["There are 3 people", "and 16 shifts"]


def test_the_language_and_workspace_options_are_taken_after_the_command_too(cli, tmp_path):
    """`dutyctl 初始化 --语言 zh_CN` was refused ("没有选项 --语言"), as was `dutyctl 谁值班
    --工作区 …`: the program's own options are taken after a command's words as before them;
    without a value, or after `--`, they are left where they are."""
    from tests.conftest import Cli

    made = Cli(tmp_path)("初始化", str(tmp_path / "new"), "--语言", "zh_CN")
    assert made.exit_code == 0, made.stderr
    assert "站点:" in (tmp_path / "new" / "dutyctl.yaml").read_text(encoding="utf-8")
    shown = cli("roster", "show", "--month", "2026-12", "--语言", "zh_CN")
    assert shown.exit_code == 2 and "请运行 'dutyctl 排班 生成 --月份 2026-12'" in shown.stderr
    from typer.testing import CliRunner

    from dutyctl.cli import app

    ok(cli("roster", "generate", "--month", "2026-12"))
    elsewhere = CliRunner().invoke(app, ["who", "--工作区", str(cli.root), "--lang=zh_CN",
                                         "--at", "2026-12-01 09:00"])
    assert elsewhere.exit_code == 0 and "岗位" in elsewhere.stdout, elsewhere.stderr
    bare = cli("init", "--语言")
    assert bare.exit_code == 2 and "--语言" in bare.stderr


def test_a_mistyped_month_of_a_roster_command_names_every_way_to_write_one(cli):
    """`排班 生成 --月份 2026-13` said "应如 2026-12 或 2026年12月", where the command takes
    12月, 本月 and 下个月 too (its help says so): the refusal names them all."""
    # (a month that is none, 2026-13, is told so: test_zh_month)
    for args in (("roster", "generate", "--month", "2026-12-"),
                 ("attendance", "--month", "2026年12月中"), ("roster", "stats", "--month", "十二月中")):
        refused = cli(*ZH, *args)
        assert refused.exit_code == 2, (args, refused.stderr)
        assert refused.stderr.strip().endswith("应为 2026-12、2026年12月、12月、本月、下个月 或 上个月"), \
            refused.stderr
    assert "无法识别月份" not in cli(*ZH, "roster", "show", "--month", "12月").stderr  # taken


def test_roster_check_takes_the_month_as_the_other_roster_commands_do(cli):
    """`排班 检查 --月份 2026-12` was refused ("没有选项 --月份") where 排班 查看, 统计, 生成 and
    导出 all take it: it checks that month's roster, as `排班 检查 2026-12` does."""
    ok(cli("roster", "generate", "--month", "2026-12"))
    by_month = cli(*ZH, "roster", "check", "--月份", "2026-12", "-f", "json")
    assert by_month.exit_code in (0, 1), by_month.stderr
    assert isinstance(json.loads(by_month.stdout), list)  # the roster was read
    assert by_month.stdout == cli(*ZH, "roster", "check", "2026-12", "-f", "json").stdout
    both = cli(*ZH, "roster", "check", "--月份", "2026-12", "2026-12")
    assert both.exit_code == 2 and "请给出 --月份 或排班表文件之一" in both.stderr, both.stderr


def test_absences_beyond_the_five_named_are_counted_once_in_chinese(workspace, monkeypatch):
    """`…陈静 16 次等，另有 3 人`: 等 and 另有 3 人 said the rest twice."""
    from dutyctl import messages
    from dutyctl.names import Names
    from dutyctl.reports.layout import ABSENT_NAMED, absences_pointer

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.forget_language()
    try:
        staff = [f"p{number}" for number in range(ABSENT_NAMED + 3)]
        note = absences_pointer([{"staff": person} for person in staff], Names.of(workspace))
    finally:
        monkeypatch.delenv("DUTYCTL_LANG")
        messages.forget_language()
    text = str(note.text)
    assert "，另有 3 人。" in text and "等" not in text, text
