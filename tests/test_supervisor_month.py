"""A supervisor's month played in Chinese from the Chinese manual: the rules file written by
`初始化` and edited with a supervisor's usual slips (each said in one Chinese line), and the
roster screens that must find a month inside a roster made for two."""

from __future__ import annotations

from collections import Counter

import pytest

from dutyctl.workspace import template_text

ZH = {"DUTYCTL_LANG": "zh_CN"}


def _chinese_rules(workspace, old: str = "", new: str = "") -> int:
    """The files `初始化` writes in Chinese, the rules' `old` (once) replaced by `new`; the line
    where `new` starts."""
    workspace.config_path.write_text(template_text("dutyctl.yaml", "zh_CN"), encoding="utf-8")
    text = template_text("rosters/rules.yaml", "zh_CN")
    line = text[:text.index(old)].count("\n") + 1 if old else 0
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (workspace.rosters_dir / "rules.yaml").write_text(text, encoding="utf-8")
    return line


@pytest.mark.parametrize("old, new, said", [
    # a night shift written as a supervisor says it: its span, or its end on the next day
    ('    开始: "20:00"\n    结束: "08:00"          # 不晚于开始',
     '    开始: "21:00-08:00"\n    结束: "08:00"          # 不晚于开始',
     '班次第 2 项的开始: “21:00-08:00”是一段时间：开始和结束分两行写，开始: "21:00"、结束: "08:00"'
     '（结束不晚于开始，就是次日结束）'),
    ('    开始: "20:00"\n    结束: "08:00"          # 不晚于开始',
     '    开始: "21:00"\n    结束: "次日08:00"      # 不晚于开始',
     '班次第 2 项的结束: “次日08:00”：只写钟点 "08:00" 即可，结束不晚于开始就是次日结束'),
    # an end after the start with the next day said is a shift of more than 24 hours: not
    # "write the time alone", which would make it a short one
    ('    开始: "20:00"\n    结束: "08:00"          # 不晚于开始',
     '    开始: "20:00"\n    结束: "次日22:00"      # 不晚于开始',
     '班次第 2 项的结束: “次日22:00”：一个班次最长 24 小时；结束不晚于开始（20:00）时才是次日'),
    ('    开始: "20:00"\n    结束: "08:00"          # 不晚于开始',
     '    开始: "次日08:00"\n    结束: "08:00"          # 不晚于开始',
     '班次第 2 项的开始: “次日08:00”：班次从当天开始，只写钟点 "08:00"'),
    # digits typed with the input method in full-width mode: said so, one line for the shift
    ("  最少休息小时: 12\n", "  最少休息小时: １２\n",
     "限制.最少休息小时: 应为数字（“１２”是全角数字：请把输入法切换到半角，写成 12）"),
    ("    人数:\n      客服专员: 1\n    # 夜班", "    人数:\n      客服专员: １\n    # 夜班",
     "班次第 2 项的人数.客服专员: 应为整数（“１”是全角数字：请把输入法切换到半角，写成 1）"),
    # a word one character off: the list, then the word most likely meant
    ("    不愿上: [夜班]", "    不愿上: [夜斑]", "是不是要输入 夜班？"),
    ("  - 姓名: 刘洋\n    岗位: [维修工]", "  - 姓名: 刘洋\n    岗位: [维修公]",
     "中没有岗位“维修公”（已有：客服专员、客服主管、维修工、保安、保洁）；是不是要输入 维修工？"),
    # two characters off is no guess: 客服专元 is 客服专员, never 客服主管 (a supervisor)
    ("  - 姓名: 刘洋\n    岗位: [维修工]", "  - 姓名: 刘洋\n    岗位: [客服专元]",
     "（已有：客服专员、客服主管、维修工、保安、保洁）；是不是要输入 客服专员？"),
    # the slips said before: still one line each
    ("    岗位: [维修工]\n    不愿上", "    岗位: [维修工]\n\t不愿上", "缩进里有制表符（Tab）"),
    ("  最多连续夜班: 3\n", "  最多连续夜班： 3\n", "键后面用了全角冒号“：”"),
    ('      - "2026-12-24"\n', '      - "2026-02-30"\n', "2026年2月只有 28 天，没有 30 日"),
    ("  - 姓名: 刘洋\n", "  - 姓名: 王强\n", "“王强”已是第"),
    ("    人数:\n      客服专员: 1\n    # 夜班", "    人数:\n      客服专员: 0\n    # 夜班",
     "班次第 2 项的人数: 至少需要一个人数不少于 1 的岗位"),
], ids=["span", "next-day", "longer-than-a-day", "start-next-day", "full-width-limit", "full-width-headcount", "shift-typo",
        "role-typo", "role-two-off", "tab", "full-width-colon", "no-such-day", "same-name", "headcount-0"])
def test_a_supervisors_slip_in_the_rules_is_one_chinese_line(workspace, cli, old, new, said):
    line = _chinese_rules(workspace, old, new)
    checked = cli("排班", "检查", env=ZH)
    assert checked.exit_code == 1 and "Traceback" not in checked.output
    found = checked.stdout.splitlines()
    assert len(found) == 1, found
    path, number, message = found[0].split(":", 2)
    assert path == "rosters/rules.yaml" and line - 1 <= int(number) <= line + 1, found
    assert said in message, found
    assert not any(word.isascii() and word.isalpha() for word in message.split()), found


def test_the_slips_of_one_file_are_said_in_the_files_order(workspace, cli):
    """限制 is read before 员工: its line still comes after theirs on the screen."""
    _chinese_rules(workspace, "  最少休息小时: 12\n", "  最少休息小时: １２\n")
    rules = workspace.rosters_dir / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("不愿上: [夜班]", "不愿上: [夜斑]"),
                     encoding="utf-8")
    checked = cli("排班", "检查", env=ZH)
    lines = [int(line.split(":")[1]) for line in checked.stdout.splitlines()]
    assert len(lines) == 2 and lines == sorted(lines), checked.stdout


def test_a_month_of_a_roster_made_for_two_is_checked_by_its_month(workspace, cli):
    """`排班 生成 --从 --到` wrote one file for November and December: `排班 检查 2026-12`
    checks it (as `排班 查看 --月份` shows it), not "no roster for December yet"."""
    made = cli("排班", "生成", "--从", "2026-11-01", "--到", "2026-12-31", "--时间",
               "2026-10-20 10:00", env=ZH)
    assert made.exit_code == 0 and made.stdout.strip() == \
        "rosters/2026-11-01_2026-12-31.yaml", made.stderr
    checked = cli("排班", "检查", "2026-12", "--时间", "2026-10-20 10:00", env=ZH)
    assert checked.exit_code == 0 and "还没有" not in checked.stderr, checked.stderr
    assert checked.exit_code == cli("排班", "检查", "2026-11-01_2026-12-31", "--时间",
                                    "2026-10-20 10:00", env=ZH).exit_code
    # a month split over two files: each is named, never "no roster yet"
    (workspace.rosters_dir / "2026-11-01_2026-12-31.yaml").unlink()
    for first, last in (("2026-12-01", "2026-12-15"), ("2026-12-16", "2026-12-31")):
        assert cli("排班", "生成", "--从", first, "--到", last, "--时间", "2026-10-20 10:00",
                   env=ZH).exit_code == 0
    split = cli("排班", "检查", "2026-12", "--时间", "2026-10-20 10:00", env=ZH)
    assert split.exit_code == 2 and split.stderr.strip() == (
        "2026年12月 的排班分在 rosters/2026-12-01_2026-12-15.yaml、"
        "rosters/2026-12-16_2026-12-31.yaml 中：请改写其中一个文件（如文件名去掉 .yaml 的部分）"), \
        split.stderr


def test_a_roster_generated_again_says_how_many_places_changed_and_for_whom(workspace, cli,
                                                                           clock):
    """Leave that arrives after the roster is out: generating the month again replans it, and
    the supervisor is told how many places now hold someone else, and whom to tell."""
    clock.set("2026-11-20T11:00:00+08:00")  # no day of December begun: a plain regeneration
    assert cli("排班", "生成", "--月份", "2026-12", "--时间", "2026-11-20 10:00",
               env=ZH).exit_code == 0
    roster = (workspace.rosters_dir / "2026-12.yaml").read_text(encoding="utf-8")
    day = next(line.split('"')[1] for line in roster.splitlines() if "staff: lina}" in line)
    rules = workspace.rosters_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('      - "2026-12-24"\n', f'      - "2026-12-24"\n      - "{day}"\n'),
                     encoding="utf-8")
    shift = next(line.split("shift: ")[1].split(",")[0] for line in roster.splitlines()
                 if "staff: lina}" in line)
    explained = cli("排班", "说明", day, shift, env=ZH)  # why she still holds it, and the cure
    assert explained.exit_code == 0 and (
        "李娜 排在此处不符合硬性规则：请假（排班表生成后规则改过、前后有强制的顶班或换班，或排班表被手工修改）：可用 "
        "'dutyctl 排班 顶班' 改由别人上这个班") in explained.stdout, explained.stdout
    again = cli("排班", "生成", "--月份", "2026-12", "--时间", "2026-11-20 11:00", env=ZH)
    assert again.exit_code == 0, again.stderr
    said = [line for line in again.stderr.splitlines() if "个班位换了人" in line]
    assert len(said) == 1 and said[0].startswith("与替换前相比，") and "李娜" in said[0] \
        and said[0].endswith("：请把新排班表告知他们") and "lina" not in said[0], again.stderr
    # the same rules once more: nothing written, nothing said of places
    same = cli("排班", "生成", "--月份", "2026-12", "--时间", "2026-11-20 11:00", env=ZH)
    assert "没有变化" in same.stderr and "班位换了人" not in same.stderr, same.stderr


@pytest.mark.parametrize("made, month, said", [
    # one file running past the month's middle: 1月16日–31日 still have none
    (("2026-12-01", "2027-01-15"), "2027-01",
     "2027年1月 中 2027年1月16日至2027年1月31日 还没有排班（其余在 "
     "rosters/2026-12-01_2027-01-15.yaml 中）：请先运行 "
     "'dutyctl 排班 生成 --从 2027-01-16 --到 2027-01-31'"),
    # one file for the month's last days only
    (("2026-11-25", "2026-11-30"), "2026-11",
     "2026年11月 中 2026年11月1日至2026年11月24日 还没有排班（其余在 "
     "rosters/2026-11-25_2026-11-30.yaml 中）：请先运行 "
     "'dutyctl 排班 生成 --从 2026-11-01 --到 2026-11-24'"),
], ids=["end-of-month-missing", "start-of-month-missing"])
def test_a_month_covered_in_part_says_which_days_have_no_roster(workspace, cli, made, month,
                                                                 said):
    """A roster file covering part of the month is no month "split over files": the days still
    without a roster are named, with the command that writes them (2027 needs 元旦 listed as a
    site holiday: no 2027 calendar data yet)."""
    _chinese_rules(workspace, "本地节假日: []", '本地节假日: ["2027-01-01"]')
    assert cli("排班", "生成", "--从", made[0], "--到", made[1], "--时间", "2026-10-20 10:00",
               env=ZH).exit_code == 0
    checked = cli("排班", "检查", month, "--时间", "2026-10-20 10:00", env=ZH)
    assert checked.exit_code == 2 and checked.stderr.strip() == said, checked.stderr
    assert "分在" not in checked.stderr


def _seats(path, with_overrides: bool = True):
    """date+shift+role → the multiset of who holds its seats, read straight from the file (the
    overrides applied by hand: each puts `staff` in the seat `replaces` held)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    seats: dict = {}
    for place in data.get("assignments") or []:
        seats.setdefault((place["date"], place["shift"], place["role"]), []).append(
            place.get("staff"))
    for change in (data.get("overrides") or []) if with_overrides else []:
        held = seats[(change["date"], change["shift"], change["role"])]
        held[held.index(change.get("replaces"))] = change["staff"]
    return {key: Counter(value for value in held if value is not None)
            for key, held in seats.items()}


def _changed_hands(before: dict, after: dict) -> int:
    """How many seats hold someone else: per seat group, the larger of who left and who came."""
    gone = come = 0
    for key in before.keys() | after.keys():
        old, new = before.get(key, Counter()), after.get(key, Counter())
        gone += sum((old - new).values())
        come += sum((new - old).values())
    return max(gone, come)


def _count_said(stderr: str) -> int:
    said = [line for line in stderr.splitlines() if "个班位换了人" in line]
    assert len(said) == 1 and said[0].startswith("与替换前相比，"), stderr
    return int(said[0].removeprefix("与替换前相比，").split(" ", 1)[0])


@pytest.mark.parametrize("override", [False, True], ids=["plain", "override-dropped"])
def test_the_count_of_places_that_changed_hands_is_the_files_difference(workspace, cli,
                                                                        override, clock):
    """The N of "与替换前相比，N 个班位换了人" is what the two files say: counted here from
    the roster replaced (its 顶班 applied) and the one written, seat by seat."""
    clock.set("2026-11-20T11:00:00+08:00")  # no day of December begun: a plain regeneration
    _chinese_rules(workspace)
    path = workspace.rosters_dir / "2026-12.yaml"
    assert cli("排班", "生成", "--月份", "2026-12", "--时间", "2026-11-20 10:00",
               env=ZH).exit_code == 0
    if override:  # 赵磊 stands in for whoever holds 12月8日's 夜间备班
        before = _seats(path)
        holder = next(iter(before[("2026-12-08", "夜间备班", "维修工")]))
        stand_in = "赵磊" if holder != "赵磊" else "刘洋"
        done = cli("排班", "顶班", "2026-12-08", "夜间备班", stand_in, "--原因", "病假", "--强制",
                   "--时间", "2026-11-20 10:30", env={**ZH, "DUTYCTL_USER": "张伟"})
        assert done.exit_code == 0, done.stderr
        assert "overrides" in path.read_text(encoding="utf-8")
    before = _seats(path)
    assert not override or stand_in in before[("2026-12-08", "夜间备班", "维修工")]
    again = cli("排班", "生成", "--月份", "2026-12", "--种子", "7", "--时间", "2026-11-20 11:00",
                *(["--强制"] if override else []), env=ZH)
    assert again.exit_code == 0, again.stderr
    after = _seats(path, with_overrides=False)
    expected = _changed_hands(before, after)
    assert expected > 0 and _count_said(again.stderr) == expected, again.stderr
