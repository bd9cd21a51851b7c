"""Chinese screens polished: help headings with the full-width colon and placeholders that
say what goes there; per-kind status words; names without ids in findings; one date style
in roster findings and explanations; roster explain's Excel headers in Chinese."""

from __future__ import annotations

import re

ZH = ("--lang", "zh_CN")
ACRONYMS = {"BOM", "CSV"}  # words a Chinese help text keeps as they are
#: defaults a Chinese help screen shows as typed: a file format's name, git's remote
TYPED_DEFAULTS = {"ics", "origin"}


def _leaf_commands() -> list[tuple[str, ...]]:
    """Every command a user can ask `--help` of, as its words (`repair file`)."""
    import typer
    from typer._click.core import Context

    from dutyctl.cli.program import app

    found = []

    def walk(command, path, ctx):
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                walk(sub, (*path, name), Context(sub, parent=ctx, info_name=name))
        else:
            found.append(path)

    root = typer.main.get_command(app)
    walk(root, (), Context(root, info_name="dutyctl"))
    return found


def _placeholder_lines(text: str) -> list[str]:
    """The lines of a help screen that show placeholders: the usage, with the lines a long
    one wraps onto (`roster swap`'s last arguments), each option's line and each argument's
    line under 参数："""
    found, section = [], None
    for line in text.splitlines():
        if line.startswith("用法"):
            section = "usage"
        elif not line.strip():
            section = None if section == "usage" else section
        elif not line.startswith(" "):
            section = line  # a heading: 参数：, 选项：, 命令：
        if section == "usage" or line.startswith("  -") or (
                section == "参数：" and re.match(r"^  \S", line)):
            found.append(line)
    return found


def test_the_help_sweep_reads_wrapped_usage_lines_and_arguments():
    screen = ("用法：dutyctl roster swap [选项] {日期1} {班次1} {员工1} {日期2} {班次2}\n"
              "                          {STAFF2}\n\n  说明。\n\n参数：\n  DATE1  日期。\n"
              "                 续行 DATE。\n\n选项：\n  --month YYYY-MM  默认：本月。\n")
    lines = [line.strip().split("  ")[0] for line in _placeholder_lines(screen)]
    assert [word for line in lines for word in re.findall(r"[A-Z]{2,}", line)] == [
        "STAFF", "DATE", "YYYY", "MM"]


def test_every_help_screen_has_chinese_headings_and_placeholders_that_say_what_goes_there(cli):
    commands = _leaf_commands()
    assert len(commands) > 60 and ("log", "call") in commands
    for words in [(), ("repair",), *commands]:
        shown = cli(*ZH, *words, "--help")
        assert shown.exit_code == 0, (words, shown.stderr)
        text = shown.stdout
        # section titles: 选项：, 命令：, 参数：; never the ASCII colon after Chinese
        assert not re.search(r"^\S*[^\x00-\x7f]:$", text, re.M), (words, text)
        assert re.search(r"^(选项|命令|参数)：$", text, re.M), (words, text)
        usage_and_options = [line.strip().split("  ")[0] for line in _placeholder_lines(text)]
        for line in usage_and_options:
            # a placeholder is a word of the language (房号, 电话号码, 年-月), never the
            # type's 文字/TEXT nor a Latin pattern (YYYY-MM)
            assert "文字" not in line and "TEXT" not in line, (words, line)
            assert not re.findall(r"[A-Z]{2,}", line), (words, line)  # DATE1 too
        # a default is said in the screen's words (记事, 按日期, 表格（table）), never an id
        for default in re.findall(r"\[默认：\s*([^\]]*)\]", " ".join(text.split())):
            assert not re.fullmatch(r"[A-Za-z][\w-]*", default) or default in TYPED_DEFAULTS, \
                (words, default)
        # and the text says them as the options show them (写入该文件, not 写入 FILE)
        said = set(re.findall(r"(?<![\w$.-])[A-Z][A-Z0-9_]+\b", text)) - ACRONYMS
        assert not said, (words, said, text)


def test_placeholders_in_english_say_what_goes_there_too(cli):
    shown = cli("--lang", "en", "complaint", "file", "--help").stdout
    for expected in ("--room ROOM", "--phone PHONE", "--category CATEGORY",
                     "--content CONTENT", "--urgency URGENCY"):
        assert expected in shown, shown
    assert "TEXT" not in shown and "\nOptions:\n" in shown
    for words, word in ((("list",), "COUNT"), (("search", "x"), "COUNT"),
                        (("resident", "list"), "HEADCOUNT")):  # the help says it too
        limit = cli("--lang", "en", *words, "--help").stdout.split(f"--limit {word}", 1)[1]
        assert f"the {word} " in " ".join(limit.split()[:8]), limit
    zh = cli(*ZH, "complaint", "transfer", "--help").stdout
    assert "--told-resident 告知内容" in zh and "--reason 原因" in zh, zh
    assert "--limit 条数" in cli(*ZH, "list", "--help").stdout
    people = cli(*ZH, "resident", "list", "--help").stdout  # it counts residents, not records
    assert "--limit 人数" in people and "条数" not in people, people
    assert "{内容}" in cli(*ZH, "log", "note", "--help").stdout


# -- roster findings and explanations -----------------------------------------------------------

DECEMBER_FIRST = """\
period: {from: "2026-12-01", to: "2026-12-01"}
generated: {at: "2026-11-26T15:00:00+08:00", seed: 0, rules_sha256: "hand-written"}
assignments:
  - {date: "2026-12-01", shift: day, role: service, staff: chenjing}
  - {date: "2026-12-01", shift: day, role: technician, staff: lina}
  - {date: "2026-12-01", shift: night, role: service, staff: sunli}
  - {date: "2026-12-01", shift: night-oncall, role: technician, staff: wangqiang}
  - {date: "2026-12-01", shift: office, role: service, staff: chenjing}
overrides: []
unfilled: []
stats: {}
"""


def _two_named_lina(workspace) -> None:
    """孙丽 renamed 李娜: two staff members share a name; 陈静 stays the only one of hers."""
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "name: 孙丽" in text
    rules.write_text(text.replace("name: 孙丽", "name: 李娜"), encoding="utf-8")
    (workspace.root / "rosters" / "2026-12.yaml").write_text(DECEMBER_FIRST, encoding="utf-8")


def test_roster_findings_name_people_by_name_and_days_as_the_roster_shows_them(cli, workspace):
    _two_named_lina(workspace)
    for command in (("roster", "check", "2026-12"), ("check",)):
        shown = cli(*ZH, *command)
        assert shown.exit_code == 1, shown.stderr
        found = shown.stdout
        # the one 陈静 by name alone; the two 李娜 told apart by their ids
        assert "12月1日 周二 前台 陈静：班次重叠，与 12月1日 周二 白班 的时间冲突" in found, found
        assert "12月1日 周二 白班 李娜（lina）：岗位不符" in found, found
        assert "chenjing" not in found and "wangqiang" not in found, found
        # one date style: no ISO day beside a shift
        assert not re.search(r"2026-12-0\d [^\d]", found), found
        assert "时间重叠" not in found and "重叠，与" not in found.replace("班次重叠，与", "")
    english = cli("--lang", "en", "roster", "check", "2026-12").stdout
    assert "Tue 12-01 前台 陈静: overlapping shifts: overlaps Tue 12-01 白班" in english, english


def test_explain_names_people_and_days_in_one_style_and_its_sheet_is_headed_in_chinese(
        cli, workspace, tmp_path):
    import openpyxl

    _two_named_lina(workspace)
    shown = cli(*ZH, "roster", "explain", "2026-12-01", "前台")
    assert shown.exit_code == 0, shown.stderr
    text = shown.stdout
    assert text.startswith("12月1日 周二 前台 客服专员 第 1 位：陈静"), text
    assert "与 12月1日 周二 白班 的时间冲突" in text, text
    assert re.search(r"^李娜（lina） ", text, re.M) and re.search(r"^李娜（sunli） ", text,
                                                                 re.M), text
    assert "chenjing" not in text and not re.search(r"2026-1[12]-\d\d", text), text
    sheet_path = tmp_path / "explain.xlsx"
    made = cli(*ZH, "roster", "explain", "2026-12-01", "前台", "-f", "xlsx", "-o",
               str(sheet_path))
    assert made.exit_code == 0, made.stderr
    sheet = openpyxl.load_workbook(sheet_path).active
    assert [cell.value for cell in sheet[1]] == [
        "日期", "班次", "岗位", "班位序号", "当前人员", "姓名", "结论", "规则", "公平代价", "详情",
        "原因", "人力测算"]  # the place's why and capacity findings, as in json
    # people by name (a namesake with the id beside it), verdicts and rules in words
    cells = [str(cell) for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row]
    # 陈静 holds the place the overlap excludes her from: said so, not 选中
    assert {"李娜（lina）", "李娜（sunli）", "陈静", "现排（违反规则）"} <= set(cells), cells
    assert not {"chenjing", "lina", "sunli", "chosen", "excluded",
                "chosen-against-a-rule"} & set(cells), cells
    english = tmp_path / "explain-en.xlsx"
    assert cli("--lang", "en", "roster", "explain", "2026-12-01", "office", "-f", "xlsx",
               "-o", str(english)).exit_code == 0
    headers = [cell.value for cell in openpyxl.load_workbook(english).active[1]]
    assert headers[:4] == ["date", "shift", "role", "place number"], headers
    csv = cli("roster", "explain", "2026-12-01", "office", "-f", "csv").stdout
    assert csv.lstrip("\ufeff").startswith("date,shift,role,seat,chosen,staff,name,"), csv


# -- status words per kind ---------------------------------------------------------------------

def test_every_status_of_every_kind_has_a_chinese_word_that_fits_its_lifecycle():
    from dutyctl import messages
    from dutyctl.records import kinds
    from dutyctl.words import status_word

    with messages.speaking("zh_CN"):
        for spec in kinds().values():
            for status in spec.statuses():
                word = status_word(status, spec.name)
                assert re.fullmatch(r"[\u4e00-\u9fff]+", word), (spec.name, status, word)
        lifecycle = {("emergency", "open"): "处置中", ("emergency", "closed"): "已处置",
                     ("repair", "open"): "待派工", ("repair", "dispatched"): "已派工",
                     ("repair", "on-site"): "已到场",
                     ("repair", "done"): "已完工", ("complaint", "open"): "待处理",
                     ("complaint", "handling"): "处理中", ("complaint", "resolved"): "已办结",
                     ("complaint", "cancelled"): "已取消", ("readiness-problem", "open"): "待修复",
                     ("handover", "accepted"): "已接班", ("handover", "pending"): "待接班"}
        assert {key: status_word(key[1], key[0]) for key in lifecycle} == lifecycle


def test_screens_say_each_kinds_status_and_a_kinds_own_word_filters_that_kind(cli):
    from tests.helpers_desk import ok_text as ok
    from tests.test_oncall import RESIDENT

    emergency = ok(cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--content",
                       "整栋停电", "--at", "2026-10-12 16:00")).splitlines()[0]
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "门锁坏了", "--at",
                    "2026-10-12 09:00"))
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "噪音", "--content",
                       "楼上装修", "--at", "2026-10-12 09:30"))
    listed = ok(cli(*ZH, "list", "--wide", "--as-of", "2026-10-12 16:30"))
    rows = {line[:12]: line for line in listed.splitlines()}
    assert "处置中" in rows[emergency[:12]] and "待派工" in rows[repair[:12]], listed
    assert "待处理" in rows[complaint[:12]], listed
    only = ok(cli(*ZH, "list", "--status", "处置中", "--as-of", "2026-10-12 16:30"))
    assert emergency[:12] in only and repair[:12] not in only, only
    own = ok(cli(*ZH, "list", "--status", "待处理", "--as-of", "2026-10-12 16:30"))
    assert complaint[:12] in own and emergency[:12] not in own and repair[:12] not in own, own
    shared = ok(cli(*ZH, "list", "--status", "open", "--as-of", "2026-10-12 16:30"))
    assert {emergency[:12], repair[:12], complaint[:12]} <= set(shared.split()), shared
    closed = ok(cli(*ZH, "emergency", "close", emergency, "--summary", "已恢复供电",
                    "--at", "2026-10-12 17:00"))
    assert closed.endswith("当前状态：已处置"), closed
    cancelled = ok(cli(*ZH, "complaint", "close", complaint, "--as", "withdrawn", "--reason",
                       "住户撤回", "--at", "2026-10-12 17:05"))
    assert cancelled.endswith("当前状态：已取消"), cancelled
    shown = ok(cli(*ZH, "show", complaint))
    assert "状态：已取消" in shown and "（关闭原因：住户撤回）" in shown, shown
    assert "closed_as" not in shown and "withdrawn" not in shown, shown


def test_a_coverage_hole_says_its_days_as_the_roster_screens_do():
    from datetime import datetime

    from dutyctl import messages
    from dutyctl.roster.coverage import Hole
    from dutyctl.timeutil import zone

    tz = zone("Asia/Shanghai")
    overnight = Hole(datetime(2026, 12, 5, 20, tzinfo=tz), datetime(2026, 12, 6, 8, tzinfo=tz))
    with messages.speaking("zh_CN"):
        assert overnight.describe() == "全天值守：12月5日 周六 20:00–12月6日 周日 08:00 无人值班"


def test_roster_show_and_who_tell_two_people_of_one_name_apart_and_no_one_else(cli, workspace):
    _two_named_lina(workspace)
    grid = cli(*ZH, "roster", "show", "--from", "2026-12-01", "--to", "2026-12-01")
    assert grid.exit_code == 0, grid.stderr
    assert "李娜（lina）" in grid.stdout and "李娜（sunli）" in grid.stdout, grid.stdout
    assert "陈静" in grid.stdout and "chenjing" not in grid.stdout, grid.stdout
    who = cli(*ZH, "who", "--at", "2026-12-01 21:00")
    assert re.search(r"^客服专员\s+李娜（sunli）\s+夜班", who.stdout, re.M), who.stdout
    assert "wangqiang" not in who.stdout, who.stdout


def test_a_kinds_own_status_words_in_refusals_reports_and_help(cli):
    """A refusal offers a kind's statuses in its own words (待派工 for repairs); the daily
    report counts emergencies 处置中 / 已处置 as their screens say them; a ticket's close
    asks for its 关闭原因 apart from the 原因 written beside it."""
    refused = cli(*ZH, "list", "--kind", "报修", "--status", "处置中")
    assert refused.exit_code == 2, refused.stdout
    assert "待派工" in refused.stderr and "待处理" not in refused.stderr, refused.stderr
    assert "（open）" not in refused.stderr, refused.stderr  # no English id on a Chinese screen
    emergency = cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--content",
                    "整栋停电", "--at", "2026-10-12 16:00").stdout.splitlines()[0]
    cli("emergency", "open", "--type", "停电", "--where", "5号楼", "--content", "整栋停电",
        "--at", "2026-10-12 16:10")
    assert cli("emergency", "close", emergency, "--summary", "已恢复供电", "--at",
               "2026-10-12 17:00").exit_code == 0
    report = cli(*ZH, "report", "daily", "--date", "2026-10-12")
    section = report.stdout.split("\n突发事件\n", 1)[1].split("\n\n\n", 1)[0]
    assert re.search(r"^处置中\s+1\b", section, re.M), section
    assert re.search(r"^已处置\s+1\b", section, re.M), section
    assert "处理中" not in section and "已关闭" not in section, section
    close = cli(*ZH, "complaint", "close", "--help").stdout
    assert "--as 关闭原因" in close and "--reason 原因" in close, close


def test_an_employment_finding_says_its_dates_in_words_not_iso(cli, workspace):
    _two_named_lina(workspace)
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "    name: 王强\n" in text
    rules.write_text(text.replace("    name: 王强\n",
                                  '    name: 王强\n    active_from: "2026-06-01"\n'
                                  '    active_until: "2026-11-30"\n'), encoding="utf-8")
    found = cli(*ZH, "roster", "check", "2026-12").stdout
    assert "12月1日 周二 夜间备班 王强：不在职（入职日期/离职日期），在职期 2026年6月1日至2026年11月30日" \
        in found, found
    english = cli("--lang", "en", "roster", "check", "2026-12").stdout
    assert "employed 2026-06-01..2026-11-30" in english, english


def test_reports_say_a_building_as_every_screen_does(cli):
    """An emergency's place, a duty log entry's and a ticket's room in a report: 3号楼 for the
    stored `3` (rooms.shown), as lists, show and handovers say it; json keeps the key."""
    import json

    cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--content", "整栋停电",
        "--at", "2026-10-12 16:00")
    cli("log", "patrol", "消防通道畅通", "--where", "5号楼", "--at", "2026-10-12 16:30")
    report = cli(*ZH, "report", "daily", "--date", "2026-10-12")
    assert report.exit_code == 0, report.stderr
    lines = report.stdout.splitlines()
    emergency_rows = [line for line in lines if "停电" in line and "16:00" in line]
    patrol_rows = [line for line in lines if "消防通道畅通" in line]
    assert emergency_rows and all("3号楼" in line for line in emergency_rows), report.stdout
    assert patrol_rows and all("5号楼" in line for line in patrol_rows), report.stdout
    data = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    assert "3号楼" not in json.dumps(data, ensure_ascii=False)


def test_roster_show_names_an_unfilled_places_role(cli, workspace):
    """[缺1名维修工]: the role by its name, as every other roster screen says it."""
    from tests.test_reports import known_day_roster

    known_day_roster(workspace.root)
    shown = cli(*ZH, "roster", "show", "--from", "2025-11-19", "--to", "2025-11-19")
    assert shown.exit_code == 0, shown.stderr
    assert "[缺1名维修工]" in shown.stdout and "technician" not in shown.stdout, shown.stdout


def test_roster_show_at_80_columns_says_who_is_on_and_what_is_missing_whole(cli, workspace):
    """A shift with people on it and places open, on an 80-column screen: the people in the
    day's line, the open places whole on a line of their own right under them (the marker
    after the names was cut: `高峰 [缺 1 名客服…`), shift hours under the shift's name so
    the grid of four shifts fits; nothing wider than the screen."""
    from tests.helpers_roster import write_rules
    from tests.helpers_roster import template_rules

    write_rules(workspace, template_rules(4))
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 1  # places open
    shown = cli(*ZH, "roster", "show", "--from", "2026-12-01", "--to", "2026-12-07",
                env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.stderr
    from dutyctl.textwidth import display_width

    lines = shown.stdout.splitlines()
    assert max(map(display_width, lines)) <= 80, shown.stdout
    assert lines[1].split()[:2] == ["08:00-20:00", "20:00-08:00"], shown.stdout
    below = [number for number, line in enumerate(lines) if "[缺" in line]
    assert below, shown.stdout
    for number in below:
        line, above = lines[number], lines[number - 1]
        assert re.fullmatch(r" +\[缺[123]名客服专员\]", line), shown.stdout  # whole, no …
        column = display_width(line) - display_width(line.lstrip())
        assert re.match(r"\d+月\d+日 周.", above), above  # under the day it belongs to
        names = above.encode("gbk")[column:].decode("gbk").split()  # the same column
        assert names and names[0] in {"张伟", "李娜", "陈静", "赵磊", "孙丽"}, shown.stdout
    assert "…" not in shown.stdout and "[缺人" not in shown.stdout


def test_the_templates_comments_name_commands_and_options_in_chinese():
    """A clerk reads dutyctl.yaml and rosters/rules.yaml in Chinese: their comments name a
    command as it is typed in Chinese (`dutyctl 排班 生成`, `报修 派工 --派给`), never by its
    English words (the bundled copies too)."""
    from pathlib import Path

    from dutyctl.commands import COMMANDS, SUBCOMMANDS

    root = Path(__file__).resolve().parent.parent
    english = set(COMMANDS) | {f"{group} {name}" for group, names in SUBCOMMANDS.items()
                               for name in names}
    named = re.compile(r"`(?:dutyctl )?([a-z]+(?: [a-z-]+)?)|(?<![\w-])--[a-z][a-z-]+")
    for path in ("dutyctl/templates/dutyctl.yaml", "dutyctl/templates/rosters/rules.yaml",
                 "dutyctl/templates/zh_CN/dutyctl.yaml",
                 "dutyctl/templates/zh_CN/rosters/rules.yaml",
                 "dutyctl.yaml", "rosters/rules.yaml"):
        for number, line in enumerate((root / path).read_text(encoding="utf-8").splitlines(), 1):
            comment = line.partition("#")[2]
            for found in named.finditer(comment):
                words = found[1]
                assert not (found[0].startswith("--") or words in english
                            or (words or "").split(" ")[0] in english), \
                    f"{path}:{number}: {found[0]!r} in {comment!r}"


def test_a_business_hours_clock_is_shown_in_the_configs_own_word():
    """`show` says 时限计时：工作时间, the word dutyctl.yaml and the manual write (工作时间: …,
    clock: 工作时间), not a second word for the same hours."""
    from dutyctl import messages
    from dutyctl.views import CLOCK_WORDS

    with messages.speaking("zh_CN"):
        assert messages.t(CLOCK_WORDS["business"]) == "工作时间"
        assert "办公" not in messages.t("must be after start: business hours lie within one day")


def test_rotation_notices_say_the_rules_word_for_a_rotation(cli, workspace):
    """The rules' key is 轮班 (固定轮班): the notices generate and explain give about a
    rotation say 轮班 too, never a second word (轮换) for the same thing."""
    from tests.helpers_roster import edit_rules

    edit_rules(workspace, "\nconstraints:", "\nrotations:\n  - id: 前台轮班\n    shifts: [office]\n"
               "    members: [lina]\n    start: \"2026-12-01\"\nconstraints:")  # on leave 12-10..12
    generated = cli(*ZH, "roster", "generate", "--month", "2026-12")
    assert generated.exit_code in (0, 1), generated.stderr
    assert "轮班 前台轮班：李娜 不能上 12月10日 周四 前台（请假）；由他人顶上" in generated.stderr, \
        generated.stderr
    explained = cli(*ZH, "roster", "explain", "2026-12-01", "前台")
    assert explained.stdout.startswith("12月1日 周二 前台 客服专员 第 1 位：李娜——轮班 前台轮班：轮到 李娜")
    assert "轮换" not in generated.stderr + explained.stdout


def test_a_blank_text_given_by_an_option_is_said_by_that_option(cli, workspace):
    """`突发 记录 停电 --内容 " "` said "内容 不能为空" (the argument's name: which option?) and
    `回电 已回电 … --结果 " "` said "--note 不能为空" (an English option the command does
    not show): each names the option to fill, in the words typed; nothing is written."""
    from tests.helpers_desk import ok_text as ok
    from tests.test_oncall import RESIDENT

    emergency = ok(cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--content",
                       "整栋停电", "--at", "2026-10-12 16:00")).splitlines()[0]
    call = ok(cli("log", "call", *RESIDENT, "--summary", "问停水", "--callback-by",
                  "2026-10-12 18:00", "--at", "2026-10-12 16:10")).split()[0]
    before = len(workspace.store.get(emergency).events)
    logged = cli(*ZH, "突发", "记录", "停电", "--内容", " ", "--时间", "2026-10-12 16:20")
    assert logged.exit_code == 2 and logged.stderr.strip() == "缺少 --内容（采取的措施）", \
        logged.stderr
    done = cli(*ZH, "回电", "已回电", call[:12], "--结果", "　", "--时间", "2026-10-12 16:30")
    assert done.exit_code == 2 and done.stderr.strip() == "--结果 不能为空", done.stderr
    assert len(workspace.store.get(emergency).events) == before
    assert workspace.store.get(call).events == ()
