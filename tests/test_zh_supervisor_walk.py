"""A supervisor's rosters, reviews and exports at a Chinese desk (a site made by `dutyctl 初始化`,
only Chinese typed): rules.yaml written and mistyped in Chinese, the roster generated, checked,
explained, swapped and overridden, a short-staffed month, on-call nights, the exports and the
weekly and monthly reviews in every format. Every line read, as test_zh_month.py reads the
clerk's month."""

from __future__ import annotations

import html
import re

from tests.helpers_zh import ON_LEAVE_IN_FEBRUARY, ZH, english_in, rostered_with_a_guard, typed_by
from tests.helpers_zh import site  # noqa: F401 (fixture)

__all__ = ["site"]  # helpers_zh's Chinese site, a fixture pytest finds by name


#: rosters/rules.yaml as a supervisor writes it: Chinese keys, shift and role names, leave
#: with its kind, the next year's holidays listed, a half-time clerk and one starting late
RULES = """\
时区: Asia/Shanghai
日历:
  国家: CN
  本地节假日:
    - {从: "2027-01-01", 到: "2027-01-03", 原因: 元旦}
    - {从: "2027-02-06", 到: "2027-02-12", 原因: 春节}
  本地工作日: ["2027-02-14"]

班次:
  - 名称: 早班
    开始: "07:00"
    结束: "15:00"
    日期: 每天
    人数: {客服专员: 1, 维修工: 1}
  - 名称: 中班
    开始: "15:00"
    结束: "23:00"
    日期: 每天
    人数: {客服专员: 1}
  - 名称: 大夜班
    开始: "23:00"
    结束: "07:00"
    日期: 每天
    人数: {客服专员: 1}
  - 名称: 维修备班
    开始: "17:00"
    结束: "08:00"
    日期: 每天
    备班: 是
    人数: {维修工: 1}
  - 名称: 前台
    开始: "08:30"
    结束: "17:30"
    日期: 工作日
    人数: {客服专员: 1}

员工:
  - 姓名: 张伟
    岗位: [客服专员, 客服主管]
    每周工时上限: 44
  - 姓名: 李娜
    岗位: [客服专员]
    请假:
      - {从: "2026-12-28", 到: "2026-12-31", 原因: 年假}
      - {从: "2027-01-10", 到: "2027-01-12", 原因: 病假}
  - 姓名: 王强
    岗位: [维修工]
    不愿上: [大夜班, 周末]
  - 姓名: 刘洋
    岗位: [维修工]
  - 姓名: 陈静
    岗位: [客服专员]
    愿意上: [前台]
  - 姓名: 赵磊
    岗位: [客服专员, 维修工]
  - 姓名: 孙丽
    岗位: [客服专员]
    全职比例: 0.5
  - 姓名: 高峰
    岗位: [维修工]
  - 姓名: 吴敏
    岗位: [客服专员]
    入职日期: "2027-01-05"

限制:
  最少休息小时: 12
  最多连续上班天数: 6
  最多连续夜班: 3
  每周工时上限: 48
公平: {夜班: 2, 工时: 1, 周末: 1, 节假日: 1, 备班: 1}
值守:
  时段: ["00:00-24:00"]
意愿权重: 3
"""

#: the supervisor's slips, each written over the good rules and checked (`检查`, `排班 检查`):
#: (what was written, what it was written over)
SLIPS = (
    ('   开始: "07:00"', '    开始: "07:00"'),  # an indentation one space short
    ('\t开始: "07:00"', '    开始: "07:00"'),  # a tab
    ('    开始："07:00"', '    开始: "07:00"'),  # a full-width colon
    ('人数: {客服专员：1}', '人数: {客服专员: 1}'),
    ('开始: "8：00"', '开始: "07:00"'),
    ('开始: 8点', '开始: "07:00"'),
    ('从: "2026年12月28日"', '从: "2026-12-28"'),
    ('从: "12月28日"', '从: "2026-12-28"'),
    ('从: "2026-12-32"', '从: "2026-12-28"'),
    ('请假:\n  - {姓名: 李四, 从: "2027-01-05", 到: "2027-01-06"}\n限制:', '限制:'),
    (None, None),  # a rotation of 孙莉 (孙丽 meant) and 李四 (nobody)
    ('结束: "32:00"', '结束: "15:00"'),
    ('结束: "次日08:00"', '结束: "15:00"'),
    ('时长: 25小时', '结束: "15:00"'),
    ('人数: {客服专员: 1, 客服专员: 2}', '人数: {客服专员: 1}'),
    ('人数: {客服专员: -1}', '人数: {客服专员: 1}'),
    ('人数: {客服专员: 负1}', '人数: {客服专员: 1}'),
    ('人数: {客服员: 1}', '人数: {客服专员: 1}'),
    ('最少休息小时: 十二', '最少休息小时: 12'),
    ('最多连续夜班: 3天', '最多连续夜班: 3'),
    ('全职比例: 50%', '全职比例: 0.5'),
    ('不愿上: [夜斑, 周日]', '不愿上: [大夜班, 周末]'),
    ('公平: {夜班: 2, 节日: 1}', '公平: {夜班: 2, 工时: 1, 周末: 1, 节假日: 1, 备班: 1}'),
    ('时段: "全天"', '时段: ["00:00-24:00"]'),
    ('日期: 周一到周五', '日期: 工作日'),
)

ROTATION = """\
轮班:
  - 名称: 前台轮班
    班次: [前台]
    成员: [陈静, 孙莉, 李四]
    开始: "2027-01-01"
"""


#: Latin words a supervisor's screens keep: the file format's name (YAML 格式错误) and the
#: name on the key (制表符（Tab）)
KEPT = {"YAML", "Tab"}


def workbook_text(path) -> str:
    """Every sheet's name, header and footer and every text cell of a workbook written."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    said = []
    for sheet in book.worksheets:
        said.append(sheet.title)
        said += [str(part.text) for part in (sheet.oddHeader.center, sheet.oddFooter.center)
                 if part.text]
        said += [cell for row in sheet.iter_rows(values_only=True) for cell in row
                 if isinstance(cell, str) and not cell.startswith("=")]
    return "\n".join(said)


def shown_text(text: str, args) -> str:
    """What a reader sees of `text`: a page's words without its markup, style and script."""
    if "html" in args:
        text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def test_a_supervisors_month_says_nothing_in_english(site, clock, tmp_path, monkeypatch):
    """A supervisor's rosters typed only in Chinese, slips and all: rules.yaml in Chinese with
    a slip at a time (indentation, a tab, full-width colons, 8：00, 2026年12月28日, a person
    nobody is, a shift of 25 hours, a duplicate key, 负1), then generated, checked, explained,
    swapped, overridden, exported (csv, ics, the Excel grid), a short-staffed month, on-call
    nights, the outbox, the weekly and monthly reviews in text, markdown and html. Every line
    printed, stdout and stderr, in Chinese but for ids, formats and files. No traceback, no
    exit code the README's table does not list. The installed holidays package's calendar:
    its guess of 2027's 除夕, which the rules do not list, was said "（holidays 包）"; an
    override written by hand for one not on the shift "调整无效（override）"."""
    from tests.test_rules_typed_in_chinese import package_guesses

    # the package's calendar as the tests' notice (to 2026), guessing 2027's days as the real
    # one does a year it has no notice of: not whatever release is installed
    package_guesses(monkeypatch, {"2027-01-01": "元旦", "2027-02-05": "农历除夕",
                                  "2027-02-06": "春节", "2027-02-07": "春节", "2027-02-08": "春节"})
    clock.set("2026-11-25T10:00:00+08:00")
    rules = site.root / "rosters" / "rules.yaml"
    shown: list[tuple[tuple[str, ...], str]] = []

    def run(*args, user="张伟"):
        done = site(*args, user=user, env=ZH)
        assert done.exit_code in (0, 1, 2), (args, done.exit_code, done.stderr)
        text = done.stdout + done.stderr
        assert "Traceback" not in text and "意外错误" not in text, (args, text)
        shown.append((args, shown_text(text, args)))
        return done

    rules.write_text(RULES, encoding="utf-8")
    run("检查")
    for slip, over in SLIPS:
        text = RULES + ROTATION if over is None else RULES.replace(over, slip, 1)
        assert text != RULES, slip
        rules.write_text(text, encoding="utf-8")
        run("检查")
        run("排班", "检查", "--月份", "2026-12")
    rules.write_text(RULES, encoding="utf-8")

    run("排班", "生成", "--月份", "2026-12")
    run("排班", "生成", "--月份", "2026-12")
    run("排班", "检查", "2026-12")
    run("排班", "查看", "--月份", "12月")
    run("排班", "统计", "--月份", "2026-12")
    run("排班", "说明", "2026-12-05", "早班")
    run("排班", "说明", "2026-12-29", "大夜班")
    run("排班", "说明", "2026-12-06", "前台")
    run("排班", "说明", "2026-12-05", "早斑")
    run("排班", "顶班", "2026-12-05", "早班", "李四", "--原因", "临时调整")
    run("排班", "顶班", "2026-12-29", "中班", "李娜", "--原因", "临时调整")
    run("排班", "顶班", "2026-12-29", "中班", "李娜", "--原因", "临时调整", "--强制")
    run("排班", "顶班", "2026-12-05", "早班", "孙丽", "--原因", "临时调整")
    run("换班", "2026-12-07", "早班", "张伟", "2026-12-08", "中班", "陈静")
    run("换班", "2026-12-07", "早班", "李娜", "2026-12-08", "中班", "陈静", "--原因", "家中有事")
    december = site.root / "rosters" / "2026-12.yaml"  # an override written by hand, wrong
    text = december.read_text(encoding="utf-8")
    assert text.count("\noverrides:\n") == 1
    december.write_text(text.replace("\noverrides:\n", '\noverrides:\n  - {date: "2026-12-06", '
                                     'shift: 早班, role: 客服专员, staff: 孙丽, replaces: 李四, '
                                     'kind: override, reason: 手工, by: 张伟, at: '
                                     '"2026-11-25T10:00:00+08:00"}\n'), encoding="utf-8")
    run("排班", "检查", "2026-12")
    run("排班", "导出", "-f", "csv", "--月份", "2026-12")
    run("排班", "导出", "--月份", "2026-12", "--员工", "李娜", "-o", str(tmp_path / "李娜.ics"))
    run("排班", "导出", "-f", "xlsx", "--月份", "2026-12", "-o", str(tmp_path / "十二月.xlsx"))
    run("谁值班", "--时间", "2026-12-05 21:00")
    for typed in (("排班", "检查", "2026-12"), ("排班", "统计", "--月份", "2026-12"),
                  ("排班", "说明", "2026-12-29", "大夜班"), ("排班", "查看", "--月份", "2026-12")):
        run(*typed, "-f", "csv")

    # a short-staffed January: three of the clerks away for a week
    rules.write_text(RULES.replace('原因: 病假}', '原因: 病假}\n  - 姓名: 临时工\n    岗位: [保安]', 1)
                     .replace('      - {从: "2027-01-10", 到: "2027-01-12", 原因: 病假}',
                              '      - {从: "2027-01-04", 到: "2027-01-17", 原因: 病假}', 1)
                     .replace("    全职比例: 0.5", '    全职比例: 0.5\n    请假: [{从: "2027-01-04", '
                              '到: "2027-01-10", 原因: 事假}]', 1), encoding="utf-8")
    run("检查")
    run("排班", "生成", "--月份", "2027-01")
    run("排班", "检查", "2027-01")
    run("排班", "查看", "--月份", "2027-01")
    run("排班", "说明", "2027-01-06", "大夜班")
    run("排班", "统计", "--月份", "2027-01")
    february = run("排班", "生成", "--月份", "2027-02")  # 春节 listed, 除夕 guessed is not
    assert "除夕" in february.stdout + february.stderr, february.stdout + february.stderr

    # December's desk: on-call nights, the outbox, the reviews
    clock.set("2026-12-09T09:00:00+08:00")
    for day in ("01", "02", "03"):
        run("谁值班", "--时间", f"2026-12-{day} 21:00")
    repair = run("报修", "登记", "--房号", "5-1-1202", "--内容", "厨房水管爆管，跑水", "--时间",
                 "2026-12-02 22:10").stdout.split()
    if repair:
        run("报修", "派工", repair[0], "--时间", "2026-12-02 22:12")
    run("备班", "出勤", "--时间", "2026-12-02 22:15")
    run("备班", "返回", "--时间", "2026-12-03 01:30")
    run("通知", "待发")
    run("通知", "监控")
    run("考勤", "--月份", "2026-12")
    run("考勤", "--月份", "2026-12", "-f", "csv")
    for fmt in ("text", "markdown", "html"):
        run("周报", "--周", "2026-W49", "-f", fmt)
        run("月报", "--月份", "2026-12", "-f", fmt)
    run("周报", "--周", "2026-W49", "-f", "xlsx", "-o", str(tmp_path / "周报.xlsx"))
    run("月报", "--月份", "2026-12", "-f", "xlsx", "-o", str(tmp_path / "月报.xlsx"))
    run("月报", "--月份", "2026-12", "--失败条件", "缺勤,排班缺人")
    run("日报", "--日期", "2026-12-02", "-f", "html")

    for book in ("十二月.xlsx", "周报.xlsx", "月报.xlsx"):  # what Excel shows of each sheet
        shown.append(((book,), workbook_text(tmp_path / book)))
    found = {" ".join(args): words for args, text in shown
             if (words := [word for word in english_in(text.replace(str(tmp_path), " "))
                           if word not in typed_by(args) and word not in KEPT])}
    assert found == {}


def checked_lines(site, rules_text: str) -> list[str]:
    """`检查`'s lines on rules.yaml written as `rules_text`, each without its `文件:行: `."""
    (site.root / "rosters" / "rules.yaml").write_text(rules_text, encoding="utf-8")
    checked = site("检查", user="张伟", env=ZH)
    assert checked.exit_code == 1, checked.stderr
    return [line.split(": ", 1)[1] for line in checked.stdout.splitlines()
            if line.startswith("rosters/rules.yaml:")]


def test_a_rotation_member_nobody_is_gets_no_guess_of_another_person(site, pinyin_table):
    """轮班 成员 [孙莉, 李四, 王师傅]: 李四 was "是不是要输入 李娜？", a colleague who only
    looks near (another person, perhaps one the rules do not list yet), where the desk's
    commands name nobody. Now the rules file guesses as the commands do: 孙莉 for 孙丽 (the
    same sound), 王强 for 王师傅 (how the desk addresses him), nobody for 李四."""
    pinyin_table.update({"孙": ["sun"], "莉": ["li"], "丽": ["li"], "李": ["li"], "四": ["si"],
                         "娜": ["na", "nuo"]})
    lines = checked_lines(site, RULES + ROTATION.replace("李四]", "李四, 王师傅]"))
    assert lines == ["轮班第 1 项的成员: 没有员工“孙莉”；是不是要输入 孙丽？",
                     "轮班第 1 项的成员: 没有员工“李四”",
                     "轮班第 1 项的成员: 没有员工“王师傅”；是不是要输入 王强？"], lines


def test_a_staff_members_key_at_the_top_of_the_rules_says_where_it_goes(site):
    """请假 written as a section of its own (a list of people's leave, as a spreadsheet has
    it), 最少休息小时 and 本地节假日 one level too high: each was "未知字段（可选：时区、日历、
    班次……）". Now where it goes, in the file's words, and the people nobody is."""
    lines = checked_lines(site, RULES.replace("限制:", (
        "请假:\n"
        '  - {姓名: 李四, 从: "2027-01-05", 到: "2027-01-06"}\n'
        '  - {姓名: 李娜, 从: "2027-01-05", 到: "2027-01-06"}\n'
        "最少休息小时: 11\n"
        "本地节假日: []\n"
        "人数: {保安: 1}\n"
        "限制:"), 1))
    assert lines == ["请假: 是每位员工各自的设定：请写在 员工 下、此人的 姓名 一行下面",
                     "请假第 1 项: 没有员工“李四”",
                     "最少休息小时: 请写在 限制 下（对所有人），或写在某位员工下（只对此人）",
                     "本地节假日: 请写在 日历 下",
                     "人数: 是每个班次各自的设定：请写在 班次 下、该班次的 名称 一行下面"], lines


def test_coverage_written_as_the_whole_day_is_told_the_range_to_write(site):
    """值守 时段: 全天 was told "应为列表：请写成 [全天]", and [全天] then "应为时间段": a hint
    that is itself refused. Now the range that means it."""
    assert checked_lines(site, RULES.replace('时段: ["00:00-24:00"]', "时段: 全天")) == [
        '值守.时段: 应为时间段的列表：全天请写成 ["00:00-24:00"]']
    assert checked_lines(site, RULES.replace('时段: ["00:00-24:00"]', "时段: [全天]")) == [
        '值守.时段第 1 项: 全天请写成 "00:00-24:00"']


def test_an_export_to_a_file_says_its_name_where_the_other_outputs_do(site, tmp_path):
    """`排班 导出 -f csv -o 排班.csv` (and the phone calendar) printed the file's name on
    stdout, where `排班 导出 -f xlsx -o`, `排班 查看 -o` and `考勤 -o` say it on stderr: a
    script reading stdout for results read a path."""
    (site.root / "rosters" / "rules.yaml").write_text(RULES, encoding="utf-8")
    assert site("排班", "生成", "--月份", "2026-12", user="张伟", env=ZH).exit_code in (0, 1)
    for fmt, name in (("csv", "排班.csv"), ("ics", "排班.ics"), ("xlsx", "排班.xlsx")):
        written = site("排班", "导出", "-f", fmt, "--月份", "2026-12", "-o", str(tmp_path / name),
                       user="张伟", env=ZH)
        assert written.exit_code == 0, written.stderr
        assert (written.stdout, written.stderr) == ("", f"{tmp_path / name}\n"), fmt


def test_nobody_on_duty_in_a_hole_of_the_roster_is_told_which_place_is_open(site, clock):
    """A night the roster leaves open (the one 保安 on leave all month): `谁值班` said "无人
    值班（没有排班表覆盖该时间，或排班有空档）", though a roster covers the day and knows the
    place it lacks. Now the place, and the commands that say why and fill it; an hour no
    shift of a role runs is told so."""
    generated = rostered_with_a_guard(site, clock, RULES, "大夜班", leave=ON_LEAVE_IN_FEBRUARY)
    assert generated.exit_code == 1, generated.stderr
    who = site("谁值班", "--时间", "2027-02-03 02:00", user="张伟", env=ZH)
    assert who.exit_code == 1
    assert who.stderr == ("2027-02-03 02:00 无人值班：排班表上这个时间的 大夜班 [缺1名保安] 空着（原因见 "
                          "'dutyctl 排班 说明 2027-02-02 大夜班'；补上：'dutyctl 顶班 2027-02-02 大夜班 "
                          "员工'）\n"), who.stderr
    who = site("谁值班", "--时间", "2027-02-03 02:00", "--岗位", "保安", user="张伟", env=ZH)
    assert who.exit_code == 1  # only the role is missing then: not "无人值班", others may be on
    assert who.stderr.startswith("2027-02-03 02:00 没有 保安 岗位的人值班：排班表上这个时间的 大夜班 "
                                 "[缺1名保安] 空着（原因见 "), who.stderr
    for edge, open_then in (("2027-02-02 22:59", False), ("2027-02-02 23:00", True),
                            ("2027-02-03 06:59", True), ("2027-02-03 07:00", False)):
        who = site("谁值班", "--时间", edge, "--岗位", "保安", user="张伟", env=ZH)
        assert who.exit_code == 1 and ("大夜班 [缺1名保安]" in who.stderr) == open_then, who.stderr
    who = site("谁值班", "--时间", "2027-02-03 02:00", "--岗位", "客服专员", user="张伟", env=ZH)
    assert who.exit_code == 1
    assert who.stderr == "2027-02-03 02:00 没有 客服专员 岗位的人值班：这个时间没有 客服专员 的班次\n", \
        who.stderr


def test_local_holidays_leaving_no_working_day_are_named_by_the_rules_words(site, monkeypatch):
    """本地节假日 listed over every day a deadline in working hours searches (cut to 5 days
    here): the refusal of the repair said "排班规则的本地节假日（calendar.extra_holidays）",
    the English key of a file the supervisor wrote in Chinese."""
    monkeypatch.setattr("dutyctl.tickets.clock.LONGEST_SEARCH_DAYS", 5)
    rules = RULES.replace('    - {从: "2027-01-01", 到: "2027-01-03", 原因: 元旦}',
                          '    - {从: "2026-11-20", 到: "2026-11-30", 原因: 停业装修}', 1)
    (site.root / "rosters" / "rules.yaml").write_text(rules, encoding="utf-8")
    refused = site("报修", "登记", "--姓名", "李四", "--房号", "5-1-1202", "--电话", "13900001111",
                   "--类别", "门窗", "--内容", "窗户关不上", "--时间", "2026-11-20 09:00",
                   user="张伟", env=ZH)
    assert refused.exit_code == 2
    assert refused.stderr == ("2026年11月20日 之后 5 天内没有一个工作日：排班规则 日历 下的 本地节假日 把这些天"
                              "全列成了休息日（请检查其中的日期段）\n"), refused.stderr


def test_roles_written_without_brackets_are_told_a_list_that_reads_as_two(site):
    """岗位: 维修工、客服专员 was told "请写成 [维修工、客服专员]": one item to YAML, a role
    nobody has. Now the list with a half-width comma, each role an item."""
    assert checked_lines(site, RULES.replace("    岗位: [维修工]\n    不愿上", "    岗位: 维修工、客服专员\n"
                                                            "    不愿上", 1)) == [
        "员工第 3 项的岗位: 应为列表：请写成 [维修工, 客服专员]"]


def test_a_leaves_kind_written_as_its_category_is_read(site, clock):
    """请假 {从, 到, 类别: 病假}: 类别 was "未知字段（可选：从、到、原因）", though the manual
    calls the 原因 of a leave its 类别 (年假、病假……). Read as 原因, and said by its kind."""
    (site.root / "rosters" / "rules.yaml").write_text(RULES.replace(
        '到: "2026-12-31", 原因: 年假}', '到: "2026-12-31", 类别: 年假}', 1), encoding="utf-8")
    checked = site("检查", user="张伟", env=ZH)
    assert checked.exit_code == 0, checked.stdout
    assert site("排班", "生成", "--月份", "2026-12", user="张伟", env=ZH).exit_code in (0, 1)
    said = site("排班", "说明", "2026-12-29", "大夜班", user="张伟", env=ZH).stdout
    assert "李娜    排除    请假                  当天年假" in said, said


def test_a_period_typed_back_to_front_is_refused_as_generate_refuses_it(site):
    """`排班 统计 --从 2027-01-10 --到 2027-01-01` printed a table of noughts (exit 0), `排班
    查看` and `导出` "没有覆盖 2027年1月10日至2027年1月1日 的排班表：请运行 'dutyctl 排班 生成 --从
    2027-01-10 --到 2027-01-01'", a command itself refused. Now each says what 生成 says."""
    (site.root / "rosters" / "rules.yaml").write_text(RULES, encoding="utf-8")
    assert site("排班", "生成", "--月份", "2027-01", user="张伟", env=ZH).exit_code in (0, 1)
    for command in (("统计",), ("查看",), ("导出", "-f", "csv"), ("生成",)):
        refused = site("排班", *command, "--从", "2027-01-10", "--到", "2027-01-01", user="张伟",
                       env=ZH)
        assert refused.exit_code == 2, command
        assert refused.stderr == "--到 2027-01-01 早于 --从 2027-01-10\n", (command, refused.stderr)


def test_a_person_whose_staff_entry_is_unread_is_not_refused_again_at_the_top(site):
    """王强's own entry cannot be read (an id no file name can hold): its problem says why, and
    请假 at the top naming 王强 was refused a second time, "没有员工“王强”"."""
    rules = RULES.replace("  - 姓名: 王强\n", '  - 姓名: 王强\n    编号: "wang/qiang"\n', 1)
    assert rules != RULES
    lines = checked_lines(site, rules.replace("限制:", (
        "请假:\n"
        '  - {姓名: 王强, 从: "2027-01-05", 到: "2027-01-06"}\n'
        "限制:"), 1))
    assert not any("王强" in line and "没有员工" in line for line in lines), lines
    assert any(line.startswith("员工") for line in lines), lines
