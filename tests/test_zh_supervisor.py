"""The supervisor's month in Chinese: what a Chinese desk reads in its exports and in
`排班 说明` holds no English word (the calendar's time zone, a leave's kind), and the roster
commands reckon 明天 or 本月 from --at as the other commands do."""

from __future__ import annotations

import re

import pytest

from tests.helpers_desk import ok_text as ok

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def december(cli, clock):
    clock.set("2026-11-20T09:00:00+08:00")
    ok(cli("roster", "generate", "--month", "2026-12"))
    return cli


def test_a_chinese_calendar_says_its_time_zone_in_chinese(december):
    """The VTIMEZONE's COMMENT (the icalendar package writes `This timezone only works from
    …`) and its TZNAME (CST) are what a calendar app shows of the zone: 北京时间."""
    import icalendar

    text = ok(december("--lang", "zh_CN", "roster", "export", "--format", "ics", "--staff",
                       "lina"))
    calendar = icalendar.Calendar.from_ical(text)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"  # the id stays: calendars look it up
    comment = str(zone["COMMENT"])
    assert comment.startswith("此时区信息只适用于 2026年12月") and comment.endswith("。"), comment
    assert {str(part["TZNAME"]) for part in zone.subcomponents} == {"北京时间"}
    for component in calendar.walk():
        for key in ("SUMMARY", "DESCRIPTION", "COMMENT", "TZNAME", "X-WR-CALNAME",
                    "CATEGORIES", "LOCATION"):
            if key in component:
                shown = component[key]
                shown = " ".join(map(str, shown.cats)) if hasattr(shown, "cats") else str(shown)
                assert not LATIN_WORD.search(shown), (key, shown)
    english = icalendar.Calendar.from_ical(ok(december("roster", "export", "--format", "ics",
                                                       "--staff", "lina")))
    [zone] = english.walk("VTIMEZONE")
    assert str(zone["COMMENT"]).startswith("This timezone only works from 2026-12-")
    assert {str(part["TZNAME"]) for part in zone.subcomponents} == {"CST"}


def test_roster_explain_and_export_take_at_as_the_other_commands(december):
    """`排班 说明 明天 白班 --时间 …` and `排班 导出 --月份 本月 --时间 …`: the day and the month
    reckoned from the moment given, not from now (2026-11-20 here)."""
    said = ok(december("--lang", "zh_CN", "排班", "说明", "明天", "白班", "--时间",
                       "2026-12-10 09:00"))
    assert said.startswith("12月11日 周五 白班"), said
    refused = december("--lang", "zh_CN", "排班", "说明", "明天", "白班")
    assert refused.exit_code == 2, refused.stderr  # no roster for November
    assert "没有排班表覆盖 2026年11月21日" in refused.stderr, refused.stderr
    rows = ok(december("roster", "export", "-f", "csv", "--month", "本月", "--at",
                       "2026-12-05")).splitlines()[1:]
    assert rows and all(row.startswith("2026-12-") for row in rows)
    refused = december("roster", "export", "-f", "csv", "--month", "本月")
    assert refused.exit_code == 2, refused.stderr
    assert "no roster covers 2026-11-01..2026-11-30" in refused.stderr, refused.stderr


def test_a_name_typed_wrong_gets_no_guess(december, pinyin_table):
    """A staff name with one character wrong is refused with the list, never a person guessed:
    李南, 李男, 李穆 or 李木 sound nothing like 李娜, 王乔 nothing like 王强, 张小敏 is not
    张小明, and 李四 only looks near 李娜 (another person, perhaps one the rules do not list).
    A wrong person named is worse than none. Only a name of the very same sound, another
    character the input method offered (欧杨明 for 欧阳明, 陈晶 for 陈静), is said."""
    from dutyctl import choices
    from dutyctl.errors import NotFound

    pinyin_table.update({  # toneless, the usual reading first (given: no pypinyin release)
        "陈": ["chen"], "静": ["jing"], "晶": ["jing"], "李": ["li"], "娜": ["na", "nuo"],
        "南": ["nan", "na"], "男": ["nan"], "穆": ["mu"], "木": ["mu"], "四": ["si"],
        "王": ["wang", "yu"], "强": ["qiang", "jiang"], "乔": ["qiao"], "巧": ["qiao"],
        "芳": ["fang"], "飞": ["fei"], "凡": ["fan"], "刘": ["liu"], "洋": ["yang", "xiang"],
        "彦": ["yan", "pan"], "张": ["zhang"], "明": ["ming", "meng"], "民": ["min"],
        "灭": ["mie"], "小": ["xiao"], "敏": ["min"], "欧": ["ou"], "阳": ["yang"],
        "杨": ["yang"]})
    staff = {"chenjing": "陈静", "lina": "李娜", "wangqiang": "王强", "wangfang": "王芳",
             "liuyang": "刘洋", "zhangming": "张明", "zhangxm": "张小明", "ouyang": "欧阳明"}
    for typed in ("李南", "李男", "李穆", "李木", "李四", "王乔", "王巧", "刘彦", "王飞", "王凡",
                  "张民", "张灭", "张小敏"):
        with pytest.raises(NotFound) as refused:
            choices.resolve_staff(typed, staff, "rosters/rules.yaml")
        assert "did you mean" not in str(refused.value), (typed, str(refused.value))
    for typed, meant in (("欧杨明", "欧阳明 (ouyang)"), ("陈晶", "陈静 (chenjing)")):
        with pytest.raises(NotFound) as refused:
            choices.resolve_staff(typed, staff, "rosters/rules.yaml")
        assert str(refused.value).endswith(f"did you mean {meant}?"), str(refused.value)
    for typed in ("李南", "李四"):
        wrong = december("--lang", "zh_CN", "排班", "导出", "-f", "csv", "--员工", typed)
        assert wrong.exit_code == 2 and "是不是" not in wrong.stderr, wrong.stderr
        assert "可选：" in wrong.stderr and "Traceback" not in wrong.stderr, wrong.stderr


def _leave_of_a_kind(cli, kind: str = "病假") -> None:
    """李娜's leave of 12-10 to 12-12 given its kind (the bundled rules give none)."""
    rules = cli.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert '        to: "2026-12-12"\n' in text
    rules.write_text(text.replace('        to: "2026-12-12"\n',
                                  f'        to: "2026-12-12"\n        reason: {kind}\n'),
                     encoding="utf-8")


def test_a_leave_is_said_by_its_kind_and_never_twice(december, clock):
    """`排班 说明` names the kind of leave the rules give (病假), `排班 检查` and a forced
    override say it after the rule's name (请假，当天病假), never 请假，当天请假."""
    _leave_of_a_kind(december)
    clock.set("2026-11-25T09:00:00+08:00")
    ok(december("--lang", "zh_CN", "排班", "生成", "--月份", "2026-12", "--强制"))
    said = ok(december("--lang", "zh_CN", "排班", "说明", "2026-12-11", "白班"))
    line = next(text for text in said.splitlines() if text.startswith("李娜"))
    assert line.split()[1:4] == ["排除", "请假", "当天病假"], line
    other = ok(december("--lang", "zh_CN", "排班", "说明", "2026-12-24", "白班"))
    line = next(text for text in other.splitlines() if text.startswith("李娜"))
    assert line.split()[2] == "请假" and "请假" not in "".join(line.split()[3:]), line
    forced = december("--lang", "zh_CN", "排班", "顶班", "2026-12-11", "白班", "李娜", "--原因",
                      "她坚持", "--操作人", "张伟", "--强制")
    assert forced.exit_code == 0, forced.stderr
    assert "李娜：请假，当天病假" in forced.stderr, forced.stderr
    checked = december("--lang", "zh_CN", "排班", "检查", "2026-12")
    assert "李娜：请假，当天病假" in checked.stdout and "当天请假" not in checked.stdout
    english = december("roster", "check", "2026-12").stdout
    assert "李娜: on leave (leave): 病假 that day" in english, english


def test_attendance_says_hours_as_the_reports_do(december, clock, tmp_path):
    """12 hours 10 minutes on duty: 12.2 on the 考勤 screen as in 周报 (it read 12.17 beside
    周报's 12.2, and 0.0 beside 192.0), and a sheet's hours shown to one decimal as the
    report's sheets, the cell keeping the figure; json keeps it too."""
    import json

    import openpyxl

    from dutyctl import xlsx

    clock.set("2026-12-02T09:00:00+08:00")
    on_duty = json.loads(ok(december("who", "--at", "2026-12-01 09:00", "-f", "json")))
    staff = on_duty["on_duty"][0]["staff"]
    ok(december("clock", "in", "--staff", staff, "--at", "2026-12-01 07:55"))
    ok(december("clock", "out", "--staff", staff, "--at", "2026-12-01 20:05",
                "--no-handover", "--reason", "测试"))
    args = ("--lang", "zh_CN", "考勤", "--月份", "2026-12", "--员工", staff)
    [row] = json.loads(ok(december(*args, "-f", "json")))
    assert row["hours_worked"] == 12.17
    table = ok(december(*args)).splitlines()
    cells = dict(zip(table[0].split(), table[2].split()))
    # the same words as the reports' (工作时长（小时）): one wording for the same hours
    assert cells["工作时长（小时）"] == "12.2", table
    assert "备班出勤小时" not in table[0]  # nobody called out: a column of noughts left out
    assert re.fullmatch(r"\d+\.\d", cells["排班时长（小时）"]), table
    weekly = ok(december("--lang", "zh_CN", "周报", "--周", "2026-W49"))
    assert re.search(r"工作时长（小时）\s+12\.2\n", weekly), weekly
    target = tmp_path / "考勤.xlsx"
    ok(december(*args, "-f", "xlsx", "-o", str(target)))
    sheet = openpyxl.load_workbook(target).worksheets[0]
    titles = [cell.value for cell in sheet[1]]
    worked = sheet.cell(row=2, column=titles.index("工作时长（小时）") + 1)
    assert worked.value == 12.17 and worked.number_format == "0.0" == xlsx.HOURS_FORMAT


def test_the_wall_roster_marks_leave_and_its_totals_still_count_shifts(december, tmp_path):
    """The Excel grid shows a day of leave by its kind (病假; 请假 when the rules give none) in
    the leave colour of the legend, and the per-person COUNTIF totals count shifts only."""
    import json

    import openpyxl

    from dutyctl import xlsx

    _leave_of_a_kind(december)
    target = tmp_path / "排班表.xlsx"
    ok(december("--lang", "zh_CN", "排班", "导出", "-f", "xlsx", "--月份", "2026-12", "-o",
                str(target)))
    grid = openpyxl.load_workbook(target).worksheets[0]
    row = next(r for r in range(4, grid.max_row + 1) if grid.cell(r, 1).value == "李娜")
    day = {number: grid.cell(row, 1 + number) for number in range(1, 32)}
    for number in (10, 11, 12):
        assert day[number].value == "病假", number
        assert day[number].fill.fgColor.rgb[-6:] == xlsx.LEAVE_FILL
    assert day[24].value == "请假" and day[24].fill.fgColor.rgb[-6:] == xlsx.LEAVE_FILL
    legend = {grid.cell(r, 1).value: grid.cell(r, 1).fill.fgColor.rgb[-6:]
              for r in range(row, grid.max_row + 1)}
    assert legend["请假"] == xlsx.LEAVE_FILL
    formula = grid.cell(row, 33).value
    cells = [cell.value for cell in day.values()]
    places = json.loads(ok(december("roster", "show", "--month", "2026-12", "-f", "json")))
    worked = [p for p in places if p["staff"] == "lina" and not p["on_call"]]
    assert _excel_total(formula, cells) == len(worked) > 0, (formula, cells)
    # a day as wide as its widest shift name: 夜间备班 broke as 夜间备/班 in width 7
    from openpyxl.utils import get_column_letter

    widest = max(xlsx.text_width(line) for r in range(4, grid.max_row + 1)
                 for c in range(2, 33) if grid.cell(r, c).value
                 for line in str(grid.cell(r, c).value).split("\n"))
    assert widest >= 8 and grid.column_dimensions[get_column_letter(2)].width >= widest + 1


def _excel_total(formula: str, cells) -> int:
    """A row's total as Excel computes it: the terms of the formula summed, each a number or
    a COUNTIF(row, criterion), the criterion strings and CHAR(10) joined by &; a criterion
    matches a whole cell's text, case-insensitively, * any run of characters, ? one, ~ the
    next character as itself, after a leading = (equal to: the rest is the text)."""
    text = "\"(?:[^\"]|\"\")*\""
    part = rf"(?:{text}|CHAR\(10\))"
    term = rf"COUNTIF\([A-Z]+\d+:[A-Z]+\d+,({part}(?:&{part})*)\)|(\d+)"
    assert re.fullmatch(rf"=(?:{term})(?:\+(?:{term}))*", formula), formula
    total = 0
    for criterion, number in re.findall(term, formula):
        if number:
            total += int(number)
            continue
        pattern = "".join("\n" if part == "CHAR(10)" else part[1:-1].replace('""', '"')
                          for part in re.findall(rf"{text}|CHAR\(10\)", criterion))
        assert not pattern.startswith(("<", ">")), pattern
        pattern = pattern[1:] if pattern.startswith("=") else pattern
        pieces = re.findall(r"~.|\*|\?|[^~*?]", pattern, re.DOTALL)
        regex = "".join(".*" if piece == "*" else "." if piece == "?" else re.escape(piece[-1])
                        for piece in pieces)
        total += sum(bool(re.fullmatch(regex, str(value), re.IGNORECASE | re.DOTALL))
                     for value in cells if value is not None)
    return total


def test_a_leave_word_holding_a_shift_name_in_another_case_is_not_counted(december, clock,
                                                                          tmp_path):
    """Excel's COUNTIF ignores case: with a shift named Day, a leave of reason `holiday`
    counted by a pattern *Day* would count as three more shifts (18 for 15). The totals match
    whole names, so the leave shows its word and the totals count the shifts worked."""
    import json

    import openpyxl

    _leave_of_a_kind(december, "holiday")
    rules = december.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count("name: 白班") == 1
    rules.write_text(text.replace("name: 白班", "name: Day"), encoding="utf-8")
    clock.set("2026-11-25T09:00:00+08:00")
    ok(december("roster", "generate", "--month", "2026-12", "--force"))
    target = tmp_path / "roster.xlsx"
    ok(december("roster", "export", "-f", "xlsx", "--month", "2026-12", "-o", str(target)))
    grid = openpyxl.load_workbook(target).worksheets[0]
    row = next(r for r in range(4, grid.max_row + 1) if grid.cell(r, 1).value == "李娜")
    cells = [grid.cell(row, 1 + number).value for number in range(1, 32)]
    formula = grid.cell(row, 33).value
    places = json.loads(ok(december("roster", "show", "--month", "2026-12", "-f", "json")))
    worked = [p for p in places if p["staff"] == "lina" and not p["on_call"]]
    assert any(p["shift_name"] == "Day" for p in worked), worked
    assert _excel_total(formula, cells) == len(worked) > 0, (formula, cells)
    assert cells[9:12] == ["holiday"] * 3, cells  # 12-10 to 12-12: a word, not a shift
    assert _excel_total('=COUNTIF(B4:AF4,"*day*")', ["Holiday", "DAY\n夜班", "d~y"]) == 2


@pytest.mark.parametrize("short, long", [("白班", "白班加班"), ("Day", "Sunday cover")])
def test_a_shift_named_inside_another_is_counted_once(december, clock, tmp_path, short, long):
    """COUNTIF's *白班* also matched 白班加班 (and *Day* matched Sunday cover, case ignored):
    each such cell counted twice. Each shift's total counts the cells that are its name or
    hold it as a whole line (two shifts of one day), wildcards in a name matched as written."""
    import json

    import openpyxl

    from dutyctl import xlsx

    rules = december.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count("name: 白班") == text.count("name: 前台") == 1
    rules.write_text(text.replace("name: 白班", f"name: {short}")
                     .replace("name: 前台", f'name: "{long}"'), encoding="utf-8")
    clock.set("2026-11-25T09:00:00+08:00")
    ok(december("roster", "generate", "--month", "2026-12", "--force"))
    target = tmp_path / "roster.xlsx"
    ok(december("roster", "export", "-f", "xlsx", "--month", "2026-12", "-o", str(target)))
    grid = openpyxl.load_workbook(target).worksheets[0]
    places = json.loads(ok(december("roster", "show", "--month", "2026-12", "-f", "json")))
    names = {p["staff"]: p["name"] for p in places if p["staff"]}
    both = 0
    for staff, name in names.items():
        row = next(r for r in range(4, grid.max_row + 1) if grid.cell(r, 1).value == name)
        cells = [grid.cell(row, 1 + number).value for number in range(1, 32)]
        mine = [p for p in places if p["staff"] == staff]
        for column, on_call in ((33, False), (34, True)):
            real = sum(p["on_call"] == on_call for p in mine)
            assert _excel_total(grid.cell(row, column).value, cells) == real, (name, cells)
        both += any(p["shift_name"] == short for p in mine) and any(
            p["shift_name"] == long for p in mine)
    assert both, places  # someone works both, so a pattern matching both would be caught
    span = "B4:AF4"
    hand = [long, short.upper(), f"{long}\n夜班", f"夜班\n{short}", f"A\n{short}\nB", "A*?"]
    assert _excel_total(f"={xlsx._count(span, short, [])}", hand) == 3
    assert _excel_total(f"={xlsx._count(span, long, [])}", hand) == 2
    assert _excel_total(f"={xlsx._count(span, '*?', [])}", hand) == 0
    assert _excel_total(f"={xlsx._count(span, '<夜>', [])}", ["<夜>", "夜"]) == 1


def test_a_shift_name_too_long_for_a_criterion_is_counted_at_export():
    """Excel refuses a COUNTIF criterion over 255 characters: such a name's total is the
    count when exported, a number, never a formula Excel cannot compute."""
    from dutyctl import xlsx

    name = "白" * 252
    assert xlsx._count("B4:AF4", name, [name, "夜班", name]) == "2"
    assert xlsx._count("B4:AF4", name[:-1], []).startswith("COUNTIF(")


def test_a_slip_as_near_two_choices_gets_no_guess(december):
    """晚班 is one character from 白班 and from 夜班: no "白班 or 夜班?", the list alone; a
    slip near one choice only (白斑, 夜斑) is still guessed."""
    from dutyctl import choices

    shifts = {"day": "白班", "night": "夜班", "night-oncall": "夜间备班", "office": "前台"}
    assert choices.near("晚班", shifts) == [] and choices.near("晚班", shifts, one_off=True) == []
    assert choices.near("白斑", shifts) == ["day"] and choices.near("夜斑", shifts) == ["night"]
    refused = december("--lang", "zh_CN", "排班", "说明", "2026-12-11", "晚班")
    assert refused.exit_code == 2
    assert refused.stderr.strip().endswith("前台"), refused.stderr
    assert "是不是" not in refused.stderr
    guessed = december("--lang", "zh_CN", "排班", "说明", "2026-12-11", "白斑")
    assert guessed.stderr.strip().endswith("；是不是要输入 白班？"), guessed.stderr


def test_a_guess_is_strictly_the_fewest_edits_away(december):
    """夜间班 is one character from 夜班 (间 dropped) and from 夜间备班 (备 added), as 晚班 is
    from 白班 and 夜班: alike, no single guess, though a ratio would favour the longer name.
    A slip fewer edits from one choice than any other still gets it: 夜晚班 (夜班), 白斑 (白班);
    roles too: 客服主员 is one off 客服专员 and 客服主管, 保全 one off 保安 and 保洁."""
    from dutyctl import choices

    shifts = {"day": "白班", "night": "夜班", "night-oncall": "夜间备班", "office": "前台"}
    for one_off in (False, True):
        assert choices.near("夜间班", shifts, one_off) == [], one_off
        assert choices.near("晚班", shifts, one_off) == [], one_off
        assert choices.near("夜晚班", shifts, one_off) == ["night"], one_off
        assert choices.near("白斑", shifts, one_off) == ["day"], one_off
    roles = {"agent": "客服专员", "lead": "客服主管", "tech": "维修工", "guard": "保安",
             "cleaner": "保洁"}
    assert choices.near("客服主员", roles, one_off=True) == []
    assert choices.near("保全", roles, one_off=True) == []
    assert choices.near("客服专元", roles, one_off=True) == ["agent"]
    assert choices.near("维修公", roles, one_off=True) == ["tech"]
    assert choices.near("repiar", {"repair": "repair", "report": "report"}) == ["repair"]
    said = {typed: december("--lang", "zh_CN", "排班", "说明", "2026-12-11", typed)
            for typed in ("夜间班", "晚班", "夜晚班")}
    assert all(refused.exit_code == 2 for refused in said.values()), said
    assert "是不是" not in said["夜间班"].stderr, said["夜间班"].stderr
    assert "是不是" not in said["晚班"].stderr, said["晚班"].stderr
    assert said["夜晚班"].stderr.strip().endswith("；是不是要输入 夜班？"), \
        said["夜晚班"].stderr


def _passage(text: str, phrase: str, end: str) -> str:
    """What a manual says from phrase to the end of its paragraph or list item (end)."""
    start = text.index(phrase)
    stop = text.find(end, start + len(phrase))
    return text[start:] if stop == -1 else text[start:stop]


def test_the_manuals_say_truly_what_a_chinese_csv_holds(december):
    """A CSV is in the language of the output (the desk's, or --lang/--语言): a Chinese one
    headed by titles and its kinds and states in words (排除, not `excluded`: the supervisor
    opens it in Excel), an English one the ids scripts read; the manuals say so, naming words
    and ids the CSVs really hold."""
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    chinese = (repo / "README.zh-CN.md").read_text(encoding="utf-8")
    english = (repo / "README.md").read_text(encoding="utf-8")
    assert "不见英文" not in chinese
    said = _passage(chinese, "CSV 跟着输出语言走", "\n\n")  # to the paragraph's end
    assert "`--语言`" in said and "排除" in said and "`excluded`" in said, said
    told = _passage(english, "- CSV has one row per entity", "\n- ")  # to the next item
    assert "language of the output" in told and "`--lang`/`--语言`" in told, told
    assert "`excluded`" in told and "排除" in told and "`日期,班次编号,班次名称" in told, told
    csv = ok(december("--lang", "zh_CN", "排班", "说明", "2026-12-11", "白班", "-f", "csv"))
    header, *rows = csv.lstrip("\ufeff").splitlines()
    assert header.startswith("日期,班次编号,岗位,") and any(",排除," in row for row in rows)
    assert not any(",excluded," in row for row in rows)
    shown = ok(december("--lang", "zh_CN", "排班", "查看", "--月份", "2026-12", "-f", "csv"))
    assert shown.lstrip("\ufeff").startswith("日期,班次编号,班次名称,岗位,员工编号,姓名,")
    plain = ok(december("--lang", "en", "roster", "explain", "2026-12-11", "day", "-f", "csv"))
    assert plain.lstrip("\ufeff").startswith("date,shift,role,"), plain[:80]
    assert ",excluded," in plain


def test_the_one_word_one_character_off_is_found_behind_closer_ratios():
    """near(one_off=True) weighs every near word: three longer names that rank above the role
    by difflib's ratio (客服专元员甲…) used to push 客服专员 out before the one-edit filter."""
    from dutyctl import choices

    roles = {"agent": ["客服专员"], "a": ["客服专元员甲"], "b": ["客服专元员乙"],
             "c": ["客服专元员丙"]}
    assert choices.near("客服专元", roles, one_off=True) == ["agent"]


@pytest.mark.parametrize("moment", ["2026-10-15T10:00:00+08:00", "2026-12-05T10:00:00+08:00"])
def test_the_attendance_table_fits_a_100_column_terminal(tmp_path, clock, moment):
    """`考勤` was about 215 columns wide, each row wrapping three times: columns of noughts
    are left out of the screen's table, the figures' Chinese headers wrap, and a month still
    running does without its shifts to come first. Every column is in the data formats."""
    import shutil
    from pathlib import Path

    from dutyctl.textwidth import display_width
    from tests.conftest import Cli

    clock.set(moment)
    demo = tmp_path / "demo"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "demo", demo)
    shown = Cli(demo)("--lang", "zh_CN", "attendance", "--month", "2026-10",
                      env={"COLUMNS": "100"})
    assert shown.exit_code == 0, shown.stderr
    assert max(display_width(line) for line in shown.stdout.splitlines()) <= 100
    data = Cli(demo)("attendance", "--month", "2026-10", "-f", "json")
    assert "call_outs_open" in data.stdout and "upcoming" in data.stdout
