"""Excel output: any listing as a sheet, the roster grid and attendance, read back by openpyxl."""

from __future__ import annotations

import io
import os
import sys
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest

from dutyctl import xlsx
from dutyctl.cli.session import Session
from dutyctl.errors import InputError
from dutyctl.roster.generate import generate
from tests.conftest import run_dutyctl
from tests.entrypoint import run_forked
from tests.helpers_desk import ok_text as ok

RESIDENT = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")
SHANGHAI = timezone(timedelta(hours=8))


def sheet_of(path, index: int = 0):
    book = openpyxl.load_workbook(path)
    return book, book[book.sheetnames[index]]


def test_a_listing_sheet_keeps_types_neutralises_formulas_and_sums_totals():
    rows = [{"who": "=HYPERLINK(\"http://x\")", "n": 3, "at": datetime(2026, 10, 9, 23, 48,
                                                                         tzinfo=SHANGHAI)},
            {"who": "@SUM(A1)", "n": 4.5, "at": None}]
    data = xlsx.rows_workbook(rows, [("who", "谁"), ("n", "次数"), ("at", "时间")], "list",
                              totals=["n"])
    book, sheet = sheet_of(io.BytesIO(data))
    assert book.sheetnames == ["list"]
    assert [c.value for c in sheet[1]] == ["谁", "次数", "时间"]
    # text as written, stored as text and marked as typed with a quote (Excel's quotePrefix:
    # it stays text when edited), never a formula
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "@SUM(A1)" and sheet["A3"].data_type == "s"
    assert sheet["A2"].quotePrefix and sheet["A3"].quotePrefix
    assert not sheet["A1"].quotePrefix  # a heading is plain text
    assert sheet["B2"].value == 3 and sheet["B3"].value == 4.5
    assert sheet["C2"].value == datetime(2026, 10, 9, 23, 48)  # wall-clock in the site zone
    assert (sheet["A4"].value, sheet["B4"].value) == ("total", "=SUM(B2:B3)")
    assert sheet["A1"].fill.fgColor.rgb.endswith(xlsx.HEADER_FILL)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"


def test_a_cell_shows_its_text_without_the_csv_quote():
    """An open place's holder is "-" in every sheet: shown as "-" (the CSV's "'-" showed
    the quote in the cell), still text."""
    data = xlsx.rows_workbook([{"who": "-"}, {"who": "-5 楼下"}], [("who", "姓名")], "list")
    _, sheet = sheet_of(io.BytesIO(data))
    assert [sheet["A2"].value, sheet["A3"].value] == ["-", "-5 楼下"]
    assert sheet["A2"].data_type == sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix


def test_text_shaped_as_a_moment_that_is_none_stays_text(cli, workspace, tmp_path):
    """A resident named 2026-02-30T10:00Z (or a note so written): read as a moment, no such
    day, and `resident list -f xlsx` ended with the unexpected error. It is the text as
    written now."""
    assert xlsx.cell_value("2026-02-30T10:00Z") == "2026-02-30T10:00Z"
    assert xlsx.cell_value("2026-13-01T10:00+08:00") == "2026-13-01T10:00+08:00"
    ok(cli("resident", "add", "--name", "2026-02-30T10:00Z", "--room", "6-2-802", "--phone",
           "13600001001"))
    made = cli("resident", "list", "-f", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert made.exit_code == 0, made.stderr
    _, sheet = sheet_of(tmp_path / "r.xlsx")
    assert "2026-02-30T10:00Z" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_every_workbook_names_its_sheets_by_the_one_rule_of_the_report_sheets():
    """A listing's and the roster's sheets are named as a report's (xlsx.sheet_names): what
    Excel refuses replaced, a name already in the book numbered, never "History"."""
    book = xlsx.new_book()
    first = xlsx.add_sheet(book, "投诉/报修: 本周?")
    second = xlsx.add_sheet(book, "投诉_报修_ 本周_")
    third = xlsx.add_sheet(book, "history")
    assert [first.title, second.title, third.title] == [
        "投诉_报修_ 本周_", "投诉_报修_ 本周_ (2)", "history (1)"]
    _, sheet = sheet_of(io.BytesIO(xlsx.rows_workbook([{"n": 1}], [("n", "次数")], "'清单'")))
    assert sheet.title == "清单"


def test_binary_output_is_refused_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(InputError, match="--output FILE"):
        Session(None).write_binary(b"PK")


def test_the_roster_grid_colours_holidays_make_up_days_and_weekends(cli, workspace, tmp_path):
    roster = generate(workspace, datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    target = tmp_path / "roster.xlsx"
    result = cli("roster", "export", "--format", "xlsx", "--month", "2026-10", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    book, grid = sheet_of(target)
    assert book.sheetnames == ["roster 2026-10-01 to 2026-10-31", "places"]
    merged = {str(r) for r in grid.merged_cells.ranges}
    assert {"A1:AH1", "B2:AF2", "A2:A3", "AG2:AG3", "AH2:AH3"} <= merged
    assert grid["B2"].value == "2026-10"
    assert (grid["A2"].value, grid["AG2"].value, grid["AH2"].value) == (
        "name", "shifts", "on call")  # people by name only: no staff id column
    column = {day: openpyxl.utils.get_column_letter(1 + day) for day in range(1, 32)}
    fill = {day: grid[f"{column[day]}3"].fill.fgColor.rgb[-6:] for day in (1, 10, 11, 12)}
    assert fill[1] == xlsx.HOLIDAY_FILL    # 国庆节
    assert fill[10] == xlsx.WORKDAY_FILL   # the 调休 Saturday worked
    assert fill[11] == xlsx.WEEKEND_FILL   # a Sunday off
    assert grid[f"{column[12]}3"].fill.fgColor.rgb[-6:] == xlsx.HEADER_FILL  # a Monday
    assert grid["B3"].value == "1\nThu"  # the weekday in the sheet's language
    # the wall copy prints a month on one landscape A4 page wide, its title and day headers
    # on every page (it printed over several pages without them)
    assert grid.page_setup.orientation == "landscape" and grid.page_setup.fitToWidth == 1
    assert grid.sheet_properties.pageSetUpPr.fitToPage and grid.print_title_rows == "$1:$3"
    chinese = tmp_path / "排班.xlsx"
    ok(cli("roster", "export", "--format", "xlsx", "--month", "2026-10", "-o", str(chinese),
           env={"DUTYCTL_LANG": "zh_CN"}))
    assert sheet_of(chinese)[1]["B3"].value == "1\n周四"
    rows = {grid.cell(row=r, column=1).value: r for r in range(4, grid.max_row + 1)
            if grid.cell(row=r, column=1).value}
    wang = rows["王强"]
    expected = {}
    for a in roster.roster.assignments:
        if a.staff == "wangqiang":
            expected.setdefault(a.day.day, set()).add({"day": "白班", "night-oncall": "夜间备班",
                                                       "night": "夜班", "office": "前台"}[a.shift])
    shown = {day: set(grid[f"{column[day]}{wang}"].value.split("\n")) for day in range(1, 32)
             if grid[f"{column[day]}{wang}"].value}
    assert shown == expected and any("夜间备班" in v for v in shown.values())
    assert grid[f"{column[1]}{wang}"].fill.fgColor.rgb[-6:] == xlsx.HOLIDAY_FILL
    assert grid[f"{column[12]}{wang}"].fill.patternType is None  # a Monday: no colour
    span = f"B{wang}:AF{wang}"

    def counted(name):  # the cell is the name, or holds it as a whole line
        return (f'COUNTIF({span},"{name}")+COUNTIF({span},"{name}"&CHAR(10)&"*")'
                f'+COUNTIF({span},"*"&CHAR(10)&"{name}")'
                f'+COUNTIF({span},"*"&CHAR(10)&"{name}"&CHAR(10)&"*")')
    assert grid[f"AG{wang}"].value == f'={counted("前台")}+{counted("夜班")}+{counted("白班")}'
    assert grid[f"AH{wang}"].value == f'={counted("夜间备班")}'
    places = book["places"]
    titles = [c.value for c in places[1]]
    assert titles[-3:] == ["on call", "weekend shift", "holiday shift"]
    assert "staff" not in titles and "shift" not in titles  # their names are beside them
    assert places.max_row == len(roster.roster.assignments) + 1


def test_attendance_and_stats_sheets_are_headed_in_chinese_with_total_formulas(cli, workspace,
                                                                              tmp_path):
    generate(workspace, datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    target = tmp_path / "考勤.xlsx"
    ok(cli("attendance", "--month", "2026-10", "-f", "xlsx", "--output", str(target),
           env={"DUTYCTL_LANG": "zh_CN"}))
    _, sheet = sheet_of(target)
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["姓名", "排班"] and "备班出勤次数" in headers  # no staff id column
    last = sheet.max_row
    assert sheet.cell(row=last, column=1).value == "合计"
    assert sheet.cell(row=last, column=2).value == f"=SUM(B2:B{last - 1})"
    stats = tmp_path / "stats.xlsx"
    ok(cli("roster", "stats", "--month", "2026-10", "-f", "xlsx", "-o", str(stats)))
    _, counted = sheet_of(stats)
    assert [c.value for c in counted[1]][-2:] == ["on call", "holiday on call"]


def test_a_text_that_looks_like_a_formula_stays_text_in_a_listing(cli, tmp_path):
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "=1+2 厨房漏水", "--at",
                    "2026-10-09 10:00"))
    target = tmp_path / "list.xlsx"
    ok(cli("list", "-f", "xlsx", "-o", str(target)))
    _, sheet = sheet_of(target)
    row = [c.value for c in sheet[2]]
    assert repair in row
    text = [value for value in row if isinstance(value, str) and "厨房漏水" in value]
    assert text == ["=1+2 厨房漏水"]
    assert all(c.quotePrefix for c in sheet[2] if c.value == "=1+2 厨房漏水")


def test_excel_through_the_entry_point(dutyctl_forked, tmp_path):
    root = tmp_path / "site"
    assert run_dutyctl(dutyctl_forked, "init", str(root), root=root).returncode == 0
    assert run_dutyctl(dutyctl_forked, "roster", "generate", "--month", "2026-10",
                       root=root).returncode == 0
    piped = run_forked(["--root", str(root), "roster", "export", "-f", "xlsx", "--month",
                        "2026-10"], env={**os.environ, "DUTYCTL_USER": "zhangwei"}, cwd=root,
                       text=False)
    assert piped.returncode == 0, piped.stderr
    book = openpyxl.load_workbook(io.BytesIO(piped.stdout))
    assert book.sheetnames[0] == "roster 2026-10-01 to 2026-10-31"
    out = tmp_path / "who.xlsx"
    done = run_dutyctl(dutyctl_forked, "who", "--at", "2026-10-05 23:00", "-f", "xlsx",
                       "-o", str(out), root=root)
    assert done.returncode == 0, done.stderr
    _, sheet = sheet_of(out)
    assert sheet.max_row == 2 and sheet["A1"].value == "role"


def _sheet_rows(path) -> list[dict]:
    """The sheet's rows by column title."""
    _, sheet = sheet_of(path)
    titles = [c.value for c in sheet[1]]
    return [dict(zip(titles, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


def _dispatched_repair(cli) -> str:
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "厨房水管漏水", "--category",
                    "water-electric", "--at", "2026-10-12 08:00"))
    ok(cli("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-10-12 08:05"))
    return repair


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_list_sheet_cells_are_the_words_of_the_table_and_csv_keeps_ids(cli, workspace,
                                                                        tmp_path, lang):
    """The sheet's cells are the table's words; the English CSV keeps the ids, a Chinese
    desk's says the sheet's words but for people (刘洋's id stays: 经办人 of the CSV)."""
    from dutyctl.names import Names

    repair = _dispatched_repair(cli)
    env = {"DUTYCTL_LANG": lang}
    target = tmp_path / "list.xlsx"
    # a day later: the repair's deadline is overdue
    ok(cli("list", "-f", "xlsx", "-o", str(target), "--as-of", "2026-10-14 08:00", env=env))
    table = ok(cli("list", "--wide", "--as-of", "2026-10-14 08:00",
                   env={**env, "COLUMNS": "300"}))
    [row] = _sheet_rows(target)
    with_titles = {key: key for key in ("kind", "status", "category", "assigned")}
    if lang == "zh_CN":
        with_titles = {"kind": "类型", "status": "状态", "category": "类别", "assigned": "经办人"}
    cells = {key: row.get(title) for key, title in with_titles.items()}
    assert None not in cells.values(), (row, cells)
    line = next(text for text in table.splitlines() if repair[:8] in text)
    for key, word in cells.items():
        assert word in line, (key, word, line)  # the words the table shows
    names = Names.of(workspace)
    assert cells["assigned"] == names.person("liuyang") != "liuyang"
    assert cells["category"] == names.category("repair", "water-electric") != "water-electric"
    if lang == "zh_CN":
        assert (cells["kind"], cells["status"], cells["assigned"], cells["category"]) == (
            "报修", "已派工", "刘洋", "水电")
    state = row["deadline state" if lang == "en" else "时限情况"]
    assert state == ("已超时" if lang == "zh_CN" else "overdue") and state in line  # as the table
    # its urgency class, which a supervisor's export of the week's repairs sorts by
    assert row["urgency" if lang == "en" else "紧急程度"] == names.urgency("repair", "urgent")
    data = csv_by_key(cli, ("list", "-f", "csv", "--as-of", "2026-10-14 08:00"), env)[0]
    said = (data["kind"], data["status"], data["category"], data["assigned"], data["due.state"])
    if lang == "zh_CN":
        assert said == ("报修", "已派工", "水电", "刘洋", "已超时")  # who has it, by name
    else:
        assert said == ("repair", "dispatched", "water-electric", "liuyang", "overdue")


def csv_by_key(cli, args, env) -> list[dict]:
    """The rows of a CSV in `env`'s language, keyed by the field names that head it in
    English (a Chinese desk's CSV is headed in Chinese, output.csv_header)."""
    import csv
    import io

    keys = next(csv.reader(io.StringIO(ok(cli(*args, env={**env, "DUTYCTL_LANG": "en"}))
                                       .lstrip("\ufeff"))))
    titles, *rows = csv.reader(io.StringIO(ok(cli(*args, env=env)).lstrip("\ufeff")))
    assert len(titles) == len(keys)
    return [dict(zip(keys, row)) for row in rows]


def first_on_duty(cli, when: str) -> str:
    """The staff id of the first person `who` lists on duty at `when`."""
    on_duty = ok(cli("who", "--at", when, "-f", "csv")).lstrip("\ufeff")
    header, first = on_duty.splitlines()[:2]
    return dict(zip(header.split(","), first.split(",")))["staff"]


def test_clock_status_sheet_names_staff_shift_and_verdict_as_its_table(cli, workspace,
                                                                        tmp_path, clock):
    generate(workspace, datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    env = {"DUTYCTL_LANG": "zh_CN"}
    staff = first_on_duty(cli, "2026-10-12 09:30")
    clock.set("2026-10-12T09:30:00+08:00")
    ok(cli("clock", "in", "--staff", staff, "--at", "2026-10-12 08:00", env=env))
    target = tmp_path / "status.xlsx"
    ok(cli("clock", "status", "-f", "xlsx", "-o", str(target), env=env))
    table = ok(cli("clock", "status", env={**env, "COLUMNS": "300"}))
    [row] = _sheet_rows(target)
    line = table.splitlines()[-1]
    for title in ("员工", "结论", "班次", "岗位"):
        assert row[title] and row[title] in line, (title, row, line)
    assert row["员工"] != staff
    csv_row = ok(cli("clock", "status", "-f", "csv", env=env)).lstrip("\ufeff").splitlines()[1]
    assert f",{staff}," in csv_row


def test_attendance_detail_sheet_names_staff_shift_and_result_as_its_table(cli, workspace,
                                                                            tmp_path, clock):
    generate(workspace, datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    clock.set("2026-11-05T12:00:00+08:00")  # October over: nobody clocked in, all absent
    env = {"DUTYCTL_LANG": "zh_CN"}
    args = ("attendance", "--month", "2026-10", "--detail")
    target = tmp_path / "detail.xlsx"
    ok(cli(*args, "-f", "xlsx", "-o", str(target), env=env))
    first = _sheet_rows(target)[0]
    table = ok(cli(*args, env={**env, "COLUMNS": "300"})).splitlines()[2]
    for title in ("员工", "班次", "岗位", "结果"):  # no id column beside them: their words
        assert first[title] and first[title] in table, (title, first, table)
    row = csv_by_key(cli, (*args, "-f", "csv"), env)[0]
    assert first["员工"] != row["staff"] and first["班次"] != row["shift"]
    assert row["result"] == first["结果"] == "缺勤"  # the CSV in the sheet's words, ids kept
    assert csv_by_key(cli, (*args, "-f", "csv"), {})[0]["result"] == "absent"  # in English
    # the day is a date Excel sorts and filters by (it was the text "2026-10-01"), as the
    # shift's start beside it is a time; the CSV keeps its ISO text
    assert isinstance(first["日期"], datetime) and first["日期"] == datetime(2026, 10, 1)
    assert isinstance(first["开始"], datetime) and row["date"] == "2026-10-01"


def test_resident_list_sheet_says_what_a_resident_is_known_from_in_words(cli, workspace,
                                                                          tmp_path):
    """`resident list`'s "known from" holds a record kind: the sheet shows the table's word
    (报修), and so does a Chinese desk's CSV; an English one the kind's id (repair)."""
    _dispatched_repair(cli)
    env = {"DUTYCTL_LANG": "zh_CN"}
    target = tmp_path / "residents.xlsx"
    ok(cli("resident", "list", "-f", "xlsx", "-o", str(target), env=env))
    table = ok(cli("resident", "list", env={**env, "COLUMNS": "300"}))
    [row] = _sheet_rows(target)
    assert row["来源"] == "报修" and "报修" in table, (row, table)
    assert csv_by_key(cli, ("resident", "list", "-f", "csv"), env)[0]["source"] == "报修"
    english = csv_by_key(cli, ("resident", "list", "-f", "csv"), {"DUTYCTL_LANG": "en"})
    assert english[0]["source"] == "repair"


def test_every_deadline_state_has_its_sheet_word():
    """words.DEADLINE_STATES spells tickets.deadlines' states (the foundation layer cannot
    import them): a state added there without a word would reach a sheet as its id."""
    from dutyctl.tickets import deadlines
    from dutyctl.words import DEADLINE_STATES

    assert set(DEADLINE_STATES) == {deadlines.MET, deadlines.MISSED, deadlines.OVERDUE,
                                    deadlines.PENDING, deadlines.UNKNOWN,
                                    deadlines.NOT_APPLICABLE}


def test_no_sheet_needs_a_staff_id_and_namesakes_are_told_apart(cli, workspace, tmp_path):
    """A Chinese clerk's workbooks name people (who, attendance, stats, the roster grid and its
    places): no cell holds a staff id or a shift id, and two members named 李娜 read 李娜（lina）
    and 李娜（sunli）, the id only inside the name that needs it."""
    from dutyctl.roster.onduty import cached_rules

    rules_path = workspace.root / "rosters" / "rules.yaml"
    rules_path.write_text(rules_path.read_text(encoding="utf-8").replace("name: 孙丽",
                                                                         "name: 李娜"),
                          encoding="utf-8")
    generate(workspace, datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    rules = cached_rules(workspace)
    ids = {member.id for member in rules.staff} | {shift.id for shift in rules.shifts}
    env = {"DUTYCTL_LANG": "zh_CN"}
    commands = {"who": ("who", "--at", "2026-10-12 10:00"),
                "attendance": ("attendance", "--month", "2026-10"),
                "stats": ("roster", "stats", "--month", "2026-10"),
                "places": ("roster", "show", "--month", "2026-10"),
                "wall": ("roster", "export", "--month", "2026-10")}
    names: set = set()
    for name, command in commands.items():
        target = tmp_path / f"{name}.xlsx"
        ok(cli(*command, "-f", "xlsx", "-o", str(target), env=env))
        for sheet in openpyxl.load_workbook(target).worksheets:
            cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row
                     if isinstance(cell, str)}
            assert not cells & ids, (name, sheet.title, cells & ids)
            names |= cells
    assert {"李娜（lina）", "李娜（sunli）", "王强"} <= names
    assert "李娜" not in names  # never a bare namesake
    csv_text = ok(cli("who", "--at", "2026-10-12 10:00", "-f", "csv", env=env))
    # the CSV keeps the ids, under a header in the desk's language
    assert csv_text.lstrip("\ufeff").startswith("岗位,员工编号,姓名,")
    assert {row["staff"] for row in csv_by_key(cli, ("who", "--at", "2026-10-12 10:00", "-f",
                                                     "csv"), env)} <= ids


def test_a_readiness_problem_sheet_names_the_item_without_its_id(cli, tmp_path):
    """`checklist problems -f xlsx`: 打印机可用, not `printer` beside it (the CSV keeps it)."""
    ok(cli("checklist", "--staff", "zhangwei", "--ok", "all", "--problem", "printer",
           "--note", "卡纸", "--at", "2026-10-12 08:00"))
    target = tmp_path / "problems.xlsx"
    ok(cli("checklist", "problems", "-f", "xlsx", "-o", str(target),
           env={"DUTYCTL_LANG": "zh_CN"}))
    cells = {cell for row in openpyxl.load_workbook(target).active.iter_rows(values_only=True)
             for cell in row if isinstance(cell, str)}
    assert "printer" not in cells and "打印机可用" in cells, cells
    assert ",printer," in ok(cli("checklist", "problems", "-f", "csv"))


def test_a_handover_sheet_says_what_each_item_is_as_its_table(cli, tmp_path):
    """`handover show -f xlsx`: a call waiting for its callback reads 回电 and a note 备注, as
    the table says them (were `call`'s word 来电 and the CSV's `note`)."""
    ok(cli("log", "call", *RESIDENT, "--summary", "物业费发票", "--callback-by",
           "2026-10-05 18:00", "--staff", "zhangwei", "--at", "2026-10-05 11:00"))
    handover_id = ok(cli("handover", "--staff", "zhangwei", "--to", "lina", "--at",
                         "2026-10-05 19:45", "--note", "钥匙在抽屉"))
    env = {"DUTYCTL_LANG": "zh_CN"}
    target = tmp_path / "handover.xlsx"
    ok(cli("handover", "show", handover_id, "-f", "xlsx", "-o", str(target), env=env))
    table = ok(cli("handover", "show", handover_id, env={**env, "COLUMNS": "300"}))
    kinds = [row["类型"] for row in _sheet_rows(target)]
    assert kinds == ["回电", "备注"] and all(kind in table for kind in kinds), (kinds, table)
    csv_text = ok(cli("handover", "show", handover_id, "-f", "csv")).lstrip("\ufeff")
    assert [line.split(",")[1] for line in csv_text.splitlines()[1:]] == ["call", "note"]


@pytest.mark.parametrize("typed, sheet", [
    (("列表",), "记录列表"), (("list",), "记录列表"), (("回电", "列表"), "待回电"),
    (("callback", "列表"), "待回电"), (("住户", "列表"), "住户登记"),
])
def test_a_sheet_is_named_for_the_command_however_it_was_typed(cli, tmp_path, typed, sheet):
    """`dutyctl 列表 -f xlsx` names its sheet 记录列表, as `list` does: not the words typed."""
    ok(cli("--lang", "zh_CN", "来电", "--姓名", "张三", "--房号", "3-2-501", "--电话",
           "13812345678", "--摘要", "问快递", "--回电期限", "2026-10-09 15:00", "--时间",
           "2026-10-09 10:00"))
    target = tmp_path / "out.xlsx"
    ok(cli("--lang", "zh_CN", *typed, "-f", "xlsx", "-o", str(target)))
    book, _ = sheet_of(target)
    assert book.sheetnames == [sheet]


def test_attendance_hours_are_numbers_a_supervisor_can_sum(cli, workspace, tmp_path, clock):
    """考勤 -f xlsx: 工作时长, 排班时长 and the call-out hours are decimal hours (7.5 is seven and
    a half) with a number format, their total a SUM; the monthly report's 考勤 sheet gives
    工作时长 and 排班时长 a cell each (it was the text "18.7 / 1263.0 小时")."""
    generate(workspace, datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    env = {"DUTYCTL_LANG": "zh_CN"}
    staff = first_on_duty(cli, "2026-10-12 09:30")
    clock.set("2026-10-12T21:00:00+08:00")
    ok(cli("clock", "in", "--staff", staff, "--at", "2026-10-12 08:00", env=env))
    ok(cli("clock", "out", "--staff", staff, "--at", "2026-10-12 15:30", "--no-handover",
           "--reason", "身体不适提前离岗", env=env))
    clock.set("2026-11-05T12:00:00+08:00")
    target = tmp_path / "考勤.xlsx"
    ok(cli("attendance", "--month", "2026-10", "-f", "xlsx", "-o", str(target), env=env))
    _, sheet = sheet_of(target)
    titles = {cell.value: cell.column for cell in sheet[1]}
    worked, rostered = titles["工作时长（小时）"], titles["排班时长（小时）"]
    cells = [sheet.cell(row=row, column=column) for row in range(2, sheet.max_row)
             for column in (worked, rostered, titles["备班出勤小时"])]
    assert all(isinstance(cell.value, (int, float)) and cell.number_format == xlsx.HOURS_FORMAT
               for cell in cells), [(cell.value, cell.number_format) for cell in cells]
    hours = [sheet.cell(row=row, column=worked).value for row in range(2, sheet.max_row)]
    assert sorted(hours)[-1] == 7.5 and sum(hours) == 7.5
    assert sum(sheet.cell(row=row, column=rostered).value for row in range(2, sheet.max_row)) > 7.5
    total = sheet.cell(row=sheet.max_row, column=worked)
    assert total.value.startswith("=SUM(") and total.number_format == xlsx.HOURS_FORMAT
    report = tmp_path / "月报.xlsx"
    ok(cli("report", "monthly", "--month", "2026-10", "-f", "xlsx", "-o", str(report), env=env))
    said = {row[0]: row[1] for row in openpyxl.load_workbook(report)["考勤"].iter_rows(
        values_only=True) if row and isinstance(row[0], str)}
    assert said["工作时长（小时）"] == 7.5, said
    assert isinstance(said["排班时长（小时）"], (int, float)) and said["排班时长（小时）"] > 7.5, said
    assert not any(isinstance(value, str) and " / " in value for value in said.values()), said


def test_a_listing_workbook_prints_headed_one_page_wide_with_its_header_on_every_page(
        cli, workspace, tmp_path, clock):
    """`考勤 -f xlsx` printed on three A4 pages, the second and third numbers without names
    and no title anywhere: a listing's sheet is set up for paper as a report's is."""
    from tests.helpers_desk import october_site

    clock.set("2026-11-20T10:00:00+08:00")
    october_site(workspace.root)
    target = tmp_path / "考勤.xlsx"
    made = cli("--lang", "zh_CN", "attendance", "--month", "2026-10", "-f", "xlsx",
               "-o", str(target))
    assert made.exit_code == 0, made.stderr
    _, sheet = sheet_of(target)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"  # the column titles on every page
    # the month in the sheet's name and over every printed page: a page for payroll says it
    assert sheet.oddHeader.center.text == f"{workspace.config.name} — 考勤 2026年10月"
    assert sheet.title == "考勤 2026年10月"
    detail = tmp_path / "明细.xlsx"
    assert cli("--lang", "zh_CN", "attendance", "--month", "2026-10", "--detail", "-f", "xlsx",
               "-o", str(detail)).exit_code == 0
    assert sheet_of(detail)[1].title == "考勤 2026年10月"


def test_the_roster_stats_workbook_keeps_the_spreads_on_a_sheet_of_their_own(cli, workspace,
                                                                            tmp_path, clock):
    """`排班 统计 -f xlsx` left out the spreads (差距), the point of the command: a second
    sheet has them, a row per count, figures as numbers, as the screen's table says them."""
    import json

    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    target = tmp_path / "统计.xlsx"
    made = cli("--lang", "zh_CN", "roster", "stats", "--month", "2026-12", "-f", "xlsx",
               "-o", str(target))
    assert made.exit_code == 0, made.stderr
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) == 2, book.sheetnames
    spreads = book[book.sheetnames[1]]
    header = [cell.value for cell in spreads[1]]
    assert header[0] == "差距（最多－最少）" and len(header) == 4, header
    data = json.loads(cli("roster", "stats", "--month", "2026-12", "-f", "json").stdout)
    hours = next(row for row in spreads.iter_rows(min_row=2, values_only=True)
                 if row[0] == "工时")
    assert hours[2] == pytest.approx(data["spread_adjusted"]["hours"])
