"""rosters/rules.yaml written in Chinese from its first key to its last, as the Chinese manual
(README.zh-CN.md, "规则文件") shows it: read as the English keys are, told as typed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dutyctl import people, ruleskeys, sitecalendar
from dutyctl.roster.generate import generate
from dutyctl.roster.rules import load_rules
from dutyctl.store import yamlio
from tests.conftest import run_dutyctl
from tests.helpers_roster import problems_of, write_rules

MANUAL = Path(__file__).resolve().parent.parent / "README.zh-CN.md"


def chinese_problems(text: str) -> list[str]:
    """`problems_of` said in Chinese, as a supervisor's screen says them."""
    from dutyctl import messages

    with messages.speaking("zh_CN"):
        return problems_of(text)


def _manual_blocks() -> list[str]:
    """The YAML blocks of the manual's rules section."""
    section = MANUAL.read_text(encoding="utf-8").split("### 规则文件", 1)[1]
    section = re.split(r"\n##+ ", section, maxsplit=1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)


def _by_name(rules):
    """The rules with every id said by its name: the bundled rules (zhangwei, day) and the
    manual's (张伟, 白班, whose names are their ids) compare alike."""
    shift = {s.id: s.name for s in rules.shifts}

    def said(preferences):
        return sorted((p.kind, shift.get(p.value, p.value) if p.kind == "shift" else p.value)
                      for p in preferences)

    shifts = [(s.name, s.start, s.end, s.days, s.rrule, s.roles, s.on_call, s.night)
              for s in rules.shifts]
    staff = [(m.name, m.roles, sorted(m.leave), m.active_from, m.active_until, m.fte, m.limits,
              said(m.avoid), said(m.prefer)) for m in rules.staff]
    return (shifts, staff, rules.limits, dict(rules.fairness), rules.preference_weight,
            rules.coverage.hours, rules.coverage.roles, rules.calendar)


def test_the_manuals_chinese_rules_are_the_bundled_rules_and_make_the_same_roster(workspace):
    english = load_rules(workspace)
    bundled = generate(workspace, date(2026, 12, 1), date(2026, 12, 31)).roster
    bundled_names = {a.staff: english.staff_by_id[a.staff].name for a in bundled.assignments}
    (workspace.rosters_dir / "2026-12.yaml").unlink()
    whole, _ = _manual_blocks()
    write_rules(workspace, whole)
    chinese = load_rules(workspace)
    assert [member.id for member in chinese.staff][:2] == ["张伟", "李娜"]  # the names are ids
    assert _by_name(chinese) == _by_name(english)
    made = generate(workspace, date(2026, 12, 1), date(2026, 12, 31)).roster
    shift_name = {s.id: s.name for s in english.shifts}
    assert [(a.day, a.shift, a.role, a.staff) for a in made.assignments] == [
        (a.day, shift_name[a.shift], a.role, bundled_names[a.staff])
        for a in bundled.assignments]


def test_every_other_key_of_the_manual_is_read(workspace):
    whole, more = (yamlio.loads(block, "rules.yaml") for block in _manual_blocks())
    whole["员工"] += more.pop("员工")
    whole.update(more)
    write_rules(workspace, yamlio.dumps(whole))
    rules = load_rules(workspace)
    zhou = rules.staff_by_id["周敏2"]
    assert (zhou.name, zhou.fte, zhou.active_from) == ("周敏", 0.5, date(2026, 3, 1))
    assert date(2026, 12, 29) in zhou.leave and zhou.limits.min_rest_hours == 11
    assert {(p.kind, p.value) for p in zhou.prefer} == {("shift", "前台")}
    assert {p.kind for p in zhou.avoid} == {"weekends", "weekday", "holidays", "date"}
    assert rules.preference_weight == 3 and rules.coverage.roles == ("service",)
    by_id = {rotation.id: rotation for rotation in rules.rotations}
    assert by_id["前台轮班"].teams == (("陈静",), ("孙丽",), ("赵磊",))
    assert by_id["四班三运转"].pattern == ("白班", "夜班", "rest", "rest")
    assert by_id["四班三运转"].offsets == (0, 1, 2, 3)
    assert by_id["四班三运转"].start == date(2026, 11, 1)


def test_the_quick_readers_read_chinese_keys_too(workspace):
    """Staff and shift names (every desk command) and the site calendar (deadlines) take their
    sections without the roster engine: from the same reading."""
    write_rules(workspace, "时区: Asia/Shanghai\n日历: {国家: CN, 本地节假日: [{从: \"2026-12-30\", "
                           "到: \"2026-12-31\", 原因: 年终盘点}]}\n班次:\n  - {名称: 白班, 开始: \"08:00\", "
                           "结束: \"20:00\", 人数: {客服专员: 1}}\n员工:\n  - {姓名: 张伟, 岗位: [客服专员]}\n"
                           "  - {编号: lina, 姓名: 李娜, 岗位: [客服专员]}\n")
    assert people.staff_ids(workspace) == {"张伟": "张伟", "lina": "李娜"}
    assert people.shift_names(workspace) == {"白班": "白班"}
    calendar = sitecalendar.load_site_calendar(workspace)
    assert calendar.is_rest_day(date(2026, 12, 31)) and calendar.is_holiday(date(2026, 12, 30))
    assert not calendar.is_rest_day(date(2026, 12, 29))


def test_a_problem_is_told_at_the_key_as_typed():
    text = ("日历: {国家: CN}\n班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", "
            "人数: {service: 1}}\n员工:\n  - 姓名: 张伟\n    岗位: [service]\n"
            "    请假: [\"2026-13-01\"]\n限制: {每周工时上限: -1}\n")
    said = problems_of(text)
    assert any(line.startswith("rules.yaml:7: 员工 #1.请假 #1: ") for line in said), said
    assert any(line.startswith("rules.yaml:8: 限制.每周工时上限: ") for line in said), said


def test_a_key_written_twice_in_two_languages_is_told():
    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [service], leave: [\"2026-12-24\"], "
            "请假: [\"2026-12-25\"]}\n")
    assert "rules.yaml:4: 员工 #1.请假: '请假' is leave again, already written: keep one of " \
           "the two" in problems_of(text)
    from dutyctl import messages

    with messages.speaking("zh_CN"):
        assert "rules.yaml:4: 员工第 1 项的请假: “请假”与已写的 leave 是同一个键：请删去其中一个" in \
            problems_of(text)
        synonyms = text.replace("leave:", "休假:")  # two words of one key, both Chinese
        assert "rules.yaml:4: 员工第 1 项的请假: “请假”与已写的 休假 是同一个键：请删去其中一个" in \
            problems_of(synonyms)
        maybe = text.replace("人数: {service: 1}", "人数: {service: 1}, 备班: 也许")
        assert "rules.yaml:2: 班次第 1 项的备班: 应为 是 或 否（也可写 true、false）" in problems_of(maybe)


def test_renaming_keeps_lines_order_and_is_done_once():
    data = yamlio.loads("员工:\n  - 姓名: 张伟\n    岗位: [service]\n    请假: []\n", "rules.yaml")
    once = ruleskeys.canonical(data)
    member = once["staff"][0]
    assert list(member) == ["name", "roles", "leave"] and member.lines["leave"] == 4
    assert {key: member.said[key] for key in member} == {"name": "姓名", "roles": "岗位",
                                                         "leave": "请假"}
    assert member.said["active_from"] == "入职日期"  # a key it lacks: the manual's word
    assert ruleskeys.canonical(once) == once and once["staff"][0].said == member.said


def test_a_chinese_rules_file_through_the_installed_program(workspace, dutyctl_command):
    whole, _ = _manual_blocks()
    write_rules(workspace, whole)
    made = run_dutyctl(dutyctl_command, "排班", "生成", "--月份", "2026年12月", root=workspace.root,
                       user="张伟")
    assert made.returncode == 0, made.stderr
    who = run_dutyctl(dutyctl_command, "谁值班", "--时间", "2026-12-05 21:00",
                      root=workspace.root, user="张伟")
    assert who.returncode == 0 and "夜班" in who.stdout and "夜间备班" in who.stdout, who
    checked = run_dutyctl(dutyctl_command, "检查", root=workspace.root, user="张伟")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_file_in_chinese_is_told_its_missing_keys_in_chinese():
    """A key the entry lacks is named as the section's Chinese word (the manual's) when the
    entry is written in Chinese, and the messages that name other keys name them so too."""
    from dutyctl import messages

    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [service], 请假: [{从: \"2026-12-10\", "
            "到: \"2026-12-09\"}, {从: \"2026-12-20\"}]}\n  - {岗位: [service]}\n")
    with messages.speaking("zh_CN"):
        said = problems_of(text)
    assert "rules.yaml:4: 员工第 1 项的请假第 1 项的到: 12月9日 周三 早于开始日（从）12月10日 周四：从 写第一天，" \
           "到 写最后一天" in said, said
    assert "rules.yaml:4: 员工第 1 项的请假第 2 项的到: 必须填写" in said, said
    assert ("rules.yaml:5: 员工第 2 项的姓名: 必须填写：员工姓名（姓名: 张伟）；两人同名时，另写一行 编号 "
            "加以区分") in said, said
    english = problems_of(text.replace("  - {岗位: [service]}", "  - {roles: [service]}"))
    assert any(line.startswith("rules.yaml:5: 员工 #2.name: is required: the staff member's name "
                               "(name: 张伟), or an id line") for line in english), english


def test_two_people_of_one_name_are_told_the_id_key_as_the_file_writes_it():
    """Two 周敏 in a Chinese-key file: the line to add is 编号, not id (an English file: id)."""
    from dutyctl import messages

    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 周敏, 岗位: [service]}\n  - {姓名: 周敏, 岗位: [service]}\n")
    with messages.speaking("zh_CN"):
        said = problems_of(text)
    assert ("rules.yaml:5: 员工第 2 项的姓名: “周敏”已是第 4 行那位员工的编号：两人同名时，请给两人各加一行 "
            "编号，例如 编号: 周敏1 和 编号: 周敏2；已有的排班表按“周敏”记着前一位：要保留它们，"
            "可只给新来的这位换个姓名（如 周敏2）") in said, said
    with messages.speaking("zh_CN"):
        english = problems_of(text.replace("姓名", "name").replace("岗位", "roles"))
    assert any("请给两人各加一行 id，例如 id: 周敏1 和 id: 周敏2" in line for line in english), english


def test_a_year_without_official_holidays_is_told_in_the_files_own_keys(workspace):
    """A supervisor who wrote the rules in Chinese is told to list 2027 under 日历: 本地节假日
    with {从, 到, 原因}, the words the file uses, not calendar: extra_holidays."""
    from dutyctl import messages
    from dutyctl.errors import InputError

    chinese = ("日历: {国家: CN}\n班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", "
               "人数: {客服专员: 1}}\n员工:\n  - {姓名: 张伟, 岗位: [客服专员]}\n")
    for text in (chinese, chinese.replace("日历: {国家: CN}\n", "")):  # the section unwritten
        write_rules(workspace, text)
        with messages.speaking("zh_CN"):
            try:
                generate(workspace, date(2027, 1, 1), date(2027, 1, 31))
            except InputError as exc:
                said = str(exc)
            else:
                raise AssertionError("2027 was planned without its holidays")
        assert "日历: 下列出该年的节假日（本地节假日，一段假期写一项，如 {从: \"2027-01-01\", " \
               "到: \"2027-01-03\", 原因: 元旦}）和调休上班日（本地工作日）" in said, said
        assert "calendar" not in said and "extra_" not in said, said
    english = chinese.replace("日历: {国家: CN}", "calendar: {country: CN}")
    write_rules(workspace, english)
    with pytest.raises(InputError) as refused:
        generate(workspace, date(2027, 1, 1), date(2027, 1, 31))
    assert 'calendar: extra_holidays (a break in one line, as {from: "2027-01-01"' in \
        str(refused.value)


def test_a_slip_in_a_chinese_key_is_told_the_key_meant():
    """One character swapped by the input method (最少修息小时, 职位) or left out (迟到宽限 for
    迟到宽限分钟): the supervisor is told the word to write, not handed every key; a word that
    only shares a character with a key (职位 and 离职) is not taken for it."""
    from dutyctl import messages

    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 职位: [service]}\n限制: {最少修息小时: 12}\n")
    with messages.speaking("zh_CN"):
        said = problems_of(text)
    assert "rules.yaml:4: 员工第 1 项的职位: “职位”请写成 岗位" in said, said
    assert "rules.yaml:5: 限制.最少修息小时: “最少修息小时”请写成 最少休息小时" in said, said


def test_a_slip_as_near_two_keys_is_not_told_either():
    """不愿意上 is a character from 不愿上 (avoid) and from 愿意上 (prefer): it was told to
    write 愿意上, the opposite of what the supervisor meant, by the order of the keys."""
    text = ("班次:\n  - {名称: 夜班, 开始: \"20:00\", 结束: \"08:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [service], 不愿意上: [夜班]}\n")
    said = chinese_problems(text)
    (line,) = [line for line in said if "不愿意上" in line]
    assert "请写成" not in line and "不愿上" in line and "愿意上" in line, line


def test_every_sections_slip_is_told_in_chinese_at_the_key_typed():
    """限治 (a block below it) was told a line low, and 限治, 本地工做日, 时断 and a leave's 至到
    were handed every key in English (timezone, calendar...); a range typed as text was
    shown {from: ..., to: ...} in a file written in Chinese; a leave ending a year before it
    begins read as 2月14日 before 2月5日."""

    text = ("日历:\n  国家: CN\n  本地工做日: []\n班次:\n  - {名称: 白班, 开始: \"08:00\", "
            "结束: \"20:00\", 人数: {service: 1}}\n员工:\n  - 姓名: 张伟\n    岗位: [service]\n"
            "    请假:\n      - {从: \"2027-02-05\", 至到: \"2027-02-06\"}\n"
            "      - {从: \"2027-02-05\", 到: \"2026-02-14\"}\n"
            "      - \"2026-12-24至2026-12-26\"\n"
            "限治:\n  最少休息小时: 12\n全天值守:\n  时断: [\"00:00-24:00\"]\n")
    said = chinese_problems(text)
    for expected in ("rules.yaml:3: 日历.本地工做日: “本地工做日”请写成 本地工作日",
                     "rules.yaml:13: 限治: “限治”请写成 限制",
                     "rules.yaml:16: 全天值守.时断: “时断”请写成 时段"):
        assert expected in said, said
    assert "rules.yaml:10: 员工第 1 项的请假第 1 项的至到: 未知字段（可选：从、到、原因）" in said, said
    assert any("2026年2月14日" in line and "2027年2月5日" in line for line in said), said
    assert any('{从: "2026-12-24", 到: "2026-12-26"}' in line for line in said), said
    assert not any(re.search(r"from|calendar|timezone|hours", line) for line in said), said


def test_a_number_written_in_chinese_numerals_is_told_in_digits():
    """人数: {保安: 一}, 最多连续夜班: 四: the supervisor is told the digits to write."""
    from dutyctl import messages

    text = ("班次:\n  - {名称: 保安班, 开始: \"08:00\", 结束: \"08:00\", 人数: {guard: 一}}\n"
            "员工:\n  - {姓名: 罗刚, 岗位: [guard]}\n限制: {最多连续夜班: 四, 最少休息小时: 十二小时}\n")
    with messages.speaking("zh_CN"):
        said = problems_of(text)
    assert "rules.yaml:2: 班次第 1 项的人数.guard: 应为整数（请用阿拉伯数字写：1）" in said, said
    assert "rules.yaml:5: 限制.最多连续夜班: 应为整数（请用阿拉伯数字写：4）" in said, said
    assert any(line.endswith("（请用阿拉伯数字写：12）") and "最少休息小时" in line
               for line in said), said


def test_a_slip_two_keys_could_mean_is_not_guessed():
    """结始 is one character from 开始 and from 结束: neither is offered (the table's order
    must not choose), the section's keys are listed (review H)."""
    from dutyctl import messages

    text = ("班次:\n  - {名称: 白班, 结始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [service]}\n")
    with messages.speaking("zh_CN"):
        said = [line for line in problems_of(text) if "结始" in line]
    assert len(said) == 1 and "请写成" not in said[0] and "开始" in said[0], said


def test_the_manuals_rules_are_what_init_writes(tmp_path):
    """`dutyctl 初始化` writes these very rules (laid out at more length, with comments) in a
    workspace whose roles are Chinese ids (客服专员), beside its Chinese dutyctl.yaml."""
    from dutyctl.workspace import Workspace, init_workspace

    init_workspace(tmp_path / "站", "zh_CN")
    site = Workspace(tmp_path / "站")
    written = load_rules(site)
    assert [member.id for member in written.staff] == [member.name for member in written.staff]
    assert written.shifts[0].roles == ("客服专员", "维修工")
    whole, _ = _manual_blocks()
    write_rules(site, whole)
    assert _by_name(load_rules(site)) == _by_name(written)


def test_a_days_rule_without_its_every_is_told_the_rule_meant():
    """`日期: 周一至周五` was refused naming RRULEs ("FREQ=WEEKLY;BYDAY=MO,WE,FR"): the rule
    meant, 每周一至周五, is said instead, and it reads."""
    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 日期: 周一至周五, "
            "人数: {service: 1}}\n员工:\n  - {姓名: 张伟, 岗位: [service]}\n")
    said = chinese_problems(text)
    assert said == ["rules.yaml:2: 班次第 1 项的日期: “周一至周五”请写成 每周一至周五"], said
    assert problems_of(text.replace("周一至周五", "每周一至周五")) == []


def test_a_value_where_fields_go_is_told_how_fields_are_written():
    """`人数: 1` and `- 马建国` were told 应为字段映射, a word no supervisor reads."""
    said = chinese_problems("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: 1}\n"
                            "员工:\n  - 马建国\n")
    assert "rules.yaml:2: 班次第 1 项的人数: 应写成“名称: 值”的形式，每项一行，而不是“1”" in said, said
    assert "rules.yaml:4: 员工第 1 项: 应写成“名称: 值”的形式，每项一行，而不是“马建国”" in said, said


def test_a_shift_ending_before_it_starts_by_mistake_is_pointed_out(cli, workspace):
    """前台 08:30–05:30 (05:30 typed for 17:30) was a 21-hour weekday shift rostered without a
    word: `检查` warns of it (exit unchanged); a 24-hour shift and a night of 12 are not."""
    from tests.helpers_roster import edit_rules

    assert "runs" not in cli("check").stderr
    edit_rules(workspace, '    start: "08:30"\n    end: "17:30"', '    start: "08:30"\n    end: "05:30"')
    checked = cli("--lang", "zh_CN", "check")
    said = [line for line in checked.stderr.splitlines() if "小时，到次日" in line]
    assert len(said) == 1 and "08:30–05:30 长 21 小时，到次日 05:30 才结束" in said[0], \
        checked.stderr
    assert said[0].startswith("提醒：rosters/rules.yaml:")
    edit_rules(workspace, '    start: "08:30"\n    end: "05:30"', '    start: "08:30"\n    end: "08:30"')
    assert "小时，到次日" not in cli("--lang", "zh_CN", "check").stderr  # a whole day: meant


@pytest.mark.parametrize("language, said", [
    ("zh_CN", ["rosters/rules.yaml: 班次: 必须填写", "rosters/rules.yaml: 员工: 必须填写",
               "dutyctl.yaml: 站点: 必须填写"]),
    ("en", ["rosters/rules.yaml: shifts: is required", "rosters/rules.yaml: staff: is required",
            "dutyctl.yaml: site: is required"]),
])
def test_an_empty_file_names_the_sections_it_lacks_in_the_desks_words(workspace, cli,
                                                                      language, said):
    """A rules file or dutyctl.yaml with only a comment: "write key: value" for the whole and
    the English keys (shifts, site) at a Chinese desk; now each section it lacks, named as
    the manual writes it in the desk's language."""
    (workspace.rosters_dir / "rules.yaml").write_text("# 排班规则\n", encoding="utf-8")
    (workspace.root / "dutyctl.yaml").write_text("# 配置\n", encoding="utf-8")
    checked = cli("--lang", language, "check")
    lines = checked.stdout.splitlines()
    assert all(line in lines for line in said), lines
    assert not any("key: value" in line or "名称: 值" in line for line in lines), lines


def test_a_negative_preference_weight_and_a_fairness_word_alone_are_said_in_the_files_words():
    """意愿权重: -5 was taken, and made every 不愿上 a wish (陈静, avoiding nights, had the
    most); 公平: 工时 (a word, no list) was told the metrics in English alone."""
    text = ("班次:\n  - {名称: 夜班, 开始: \"20:00\", 结束: \"08:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [service]}\n公平: 工时\n意愿权重: -5\n")
    said = chinese_problems(text)
    assert "rules.yaml:6: 意愿权重: 不能为负数" in said, said
    (line,) = [line for line in said if line.startswith("rules.yaml:5:")]
    assert "工时（hours）、夜班（nights）" in line and "hours, nights" not in line, line


@pytest.mark.parametrize("typed, said", [("1.5", "应为整数，不能是 1.5：请写 1 或 2"),
                                         ("1.0", "应为整数，不能是 1.0：请写 1"),
                                         ('"1.5"', "应为整数，不能是 1.5：请写 1 或 2")])
def test_a_headcount_with_a_decimal_point_is_told_the_whole_numbers(typed, said):
    """人数: 1.5 was told to put it in quotes, and "1.5" then to take the quotes off."""
    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", "
            f"人数: {{service: {typed}}}}}\n员工:\n  - {{姓名: 张伟, 岗位: [service]}}\n")
    lines = [line for line in chinese_problems(text) if "人数" in line]
    assert lines and lines[0].endswith(said), lines


def test_a_list_in_full_width_parentheses_is_told_its_brackets():
    """不愿上: （夜班） was told to write [（夜班）], which then named no shift."""
    text = ("班次:\n  - {名称: 夜班, 开始: \"20:00\", 结束: \"08:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [service], 不愿上: （夜班）}\n")
    (line,) = [line for line in chinese_problems(text) if "不愿上" in line]
    assert "[夜班]" in line and "[（夜班）]" not in line, line


def test_a_role_in_chinese_quotation_marks_is_told_so():
    """岗位: [“客服专员”] was told only that there is no role ““客服专员”” (the quotes too)."""
    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [“service”]}\n")
    (line,) = [line for line in chinese_problems(text) if "员工第 1 项的岗位" in line]
    assert "中文引号" in line and '写成 "service"' in line, line


def test_beijing_time_is_the_site_zone_by_its_chinese_name(workspace, cli):
    """时区: 北京时间 (the name dutyctl's own calendars give it) was said to differ from the
    site's Asia/Shanghai; in dutyctl.yaml it was no time zone at all."""
    rules = workspace.rosters_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "timezone: Asia/Shanghai" in text
    rules.write_text(text.replace("timezone: Asia/Shanghai", "timezone: 北京时间", 1),
                     encoding="utf-8")
    config = workspace.config_path
    text = config.read_text(encoding="utf-8")
    assert "timezone: Asia/Shanghai" in text
    config.write_text(text.replace("timezone: Asia/Shanghai", "timezone: 北京时间"),
                      encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("line, where", [
    ("员工:\n  - 姓名: 李娜\n    岗位: [service]         ＃ 只是个人意愿\n    不愿上: []\n", 5),
    ("员工:\n  - {姓名: 张伟, 岗位: [service]}\n限制:\n  最少休息小时: 12  ＃ 单位小时\n", 6),
])
def test_a_comment_begun_with_a_full_width_hash_is_told_so(line, where):
    """`＃ 只是个人意愿` after a list was told the indentation does not line up, and after a
    number to write the number without quotes or a unit: the ＃ is a full-width #."""
    from dutyctl.errors import DutyError

    text = "班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n" + line
    try:
        said = chinese_problems(text)
    except DutyError as refused:  # the file read no further
        said = [str(refused)]
    assert any(line.startswith(f"rules.yaml:{where}:") and "全角的“＃”" in line
               for line in said), said


def test_a_rotation_member_of_none_of_its_roles_is_said_by_check():
    """王强, a 维修工 alone, in the 前台 rotation of 客服专员: `check` said nothing; only
    `roster generate` told it, once a day it came to him."""
    text = ("班次:\n  - {名称: 前台, 开始: \"08:30\", 结束: \"17:30\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 陈静, 岗位: [service]}\n  - {姓名: 王强, 岗位: [technician]}\n"
            "轮班:\n  - {名称: 前台轮班, 班次: [前台], 成员: [陈静, 王强], 开始: \"2026-12-01\"}\n")
    said = chinese_problems(text)
    assert any(line.startswith("rules.yaml:7:") and "王强" in line and "没有" in line
               for line in said), said


def test_a_wish_for_a_day_without_its_year_is_told_the_year():
    """不愿上: [12月25日] got the list of shifts and weekdays; 请假 says the year is missing."""
    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            "员工:\n  - {姓名: 张伟, 岗位: [service], 不愿上: [12月25日]}\n")
    (line,) = [line for line in chinese_problems(text) if "不愿上" in line]
    assert "没有年份" in line, line


def test_a_zone_unlike_the_sites_is_quoted_as_the_file_writes_it(workspace, cli):
    """时区: 北京时间 beside a Berlin site was quoted as "Asia/Shanghai", a word its line does
    not hold."""
    rules = workspace.rosters_dir / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "timezone: Asia/Shanghai", "timezone: 北京时间", 1), encoding="utf-8")
    config = workspace.config_path
    config.write_text(config.read_text(encoding="utf-8").replace(
        "timezone: Asia/Shanghai", "timezone: Europe/Berlin"), encoding="utf-8")
    said = cli("check").stdout
    assert "timezone: '北京时间' differs from the site time zone 'Europe/Berlin'" in said, said


@pytest.mark.parametrize("leave", ['["2026年12月24日上午"]',
                                   '[{从: "2026-12-24 08:00", 到: "2026-12-24 12:00"}]'])
def test_half_a_day_of_leave_is_told_the_rules_count_whole_days(leave):
    """请假: 2026年12月24日上午 got "expected a date": nothing said leave counts whole days."""
    text = ("班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {service: 1}}\n"
            f"员工:\n  - {{姓名: 张伟, 岗位: [service], 请假: {leave}}}\n")
    lines = [line for line in chinese_problems(text) if "请假" in line]
    assert lines and all("规则按整天计" in line and '"2026-12-24"' in line for line in lines), \
        lines
