"""The Spring Festival month of 2027 at a Chinese desk, end to end (a site made by `dutyctl
初始化`, only Chinese typed, run from a folder that is not the workspace: `--root`, as a desk
whose shortcut starts in the home folder runs it).

1. December 2026: the State Council's notice for 2027 is not out, so the installed package
   only guesses 2027 (the tests' guess, `package_guesses`, never the installed release's).
   `排班 生成` refuses 2027 until the supervisor lists the breaks (元旦 01-01..01-03, 春节 with
   除夕 02-05..02-13) and the 调休 working days (Sunday 01-31, Saturday 02-20) in rules.yaml,
   as the manual says; then January and February month by month, checked, `排班 统计`, and
   who is on duty on 除夕 night and on 初一.
2. 除夕 night at the desk: clock-in, calls (烟花爆竹, 停水, 电梯困人), the lift emergency
   coordinated with the technician on call called out for it, a general repair whose
   business-hours deadlines skip the break (and count the 调休 Saturday), the handover, the
   daily report of 初一.
3. The February review: `月报` in text and Excel, `考勤` and `排班 统计`, whose holiday shifts
   are one count (a shift starting on a day of 02-05..02-13; the 调休 Saturday is not one).

Every line printed, stdout and stderr, is read for English words (test_zh_month's rule)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from dutyctl.workspace import init_workspace
from tests.conftest import Cli
from tests.test_zh_month import ZH, english_in, typed_by

#: the notice the supervisor writes while the State Council's is not out (a guess of it, as
#: the manual asks: each break whole, its weekend days included, and its 调休 working days)
CALENDAR = """\
  本地节假日:
    - {从: "2027-01-01", 到: "2027-01-03", 原因: 元旦}
    - {从: "2027-02-05", 到: "2027-02-13", 原因: 春节}
  本地工作日: ["2027-01-31", "2027-02-20"]
"""
BREAK = {f"2027-02-{day:02d}" for day in range(5, 14)}  # 除夕 to 初九
MAKE_UP_SATURDAY = "2027-02-20"

FIXED_CLOCK = str(Path(__file__).with_name("fixed_clock"))


@pytest.fixture
def site(tmp_path, clock, monkeypatch):
    """A site as `dutyctl 初始化` writes it in Chinese, run from tmp_path (not the workspace);
    the clock at 2026-12-20 10:00; the package's calendar the tests' (to 2026), guessing
    2027's 元旦 and 春节 as the real one guesses a year it has no notice of."""
    from tests.test_rules_typed_in_chinese import package_guesses

    package_guesses(monkeypatch, {"2027-01-01": "元旦", "2027-02-05": "农历除夕",
                                  "2027-02-06": "春节", "2027-02-07": "春节", "2027-02-08": "春节"})
    clock.set("2026-12-20T10:00:00+08:00")
    root = tmp_path / "站"
    init_workspace(root, "zh_CN")
    monkeypatch.chdir(tmp_path)  # a folder with no records/ of its own
    return Cli(root)


def uncommitted(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root), "status", "--porcelain"],
                          capture_output=True, text=True, check=True).stdout


def test_the_spring_festival_month_in_chinese(site, clock, tmp_path):
    root = site.root
    shown: list[tuple[tuple[str, ...], str]] = []

    def run(*args, user="张伟", code=0):
        done = site(*args, user=user, env=ZH)
        text = done.stdout + done.stderr
        assert "Traceback" not in text and "意外错误" not in text, (args, text)
        assert done.exit_code == code, (args, done.exit_code, text)
        assert "提交失败" not in text, (args, text)  # every step committed
        shown.append((args, text))
        return done

    # 1. the supervisor, December 2026: no notice for 2027 yet
    refused = run("排班", "生成", "--月份", "2027-01", code=2)
    assert "2027 年的官方放假安排" in refused.stderr and "本地节假日" in refused.stderr
    checked = run("检查")
    assert "下个月（2027年1月）还不能排班" in checked.stdout + checked.stderr
    rules = root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    listed = text.replace("  本地节假日: []", CALENDAR.split("  本地工作日")[0].rstrip("\n"), 1)
    listed = listed.replace("  本地工作日: []", '  本地工作日: ["2027-01-31", "2027-02-20"]', 1)
    assert '"2027-02-13", 原因: 春节' in listed and '本地工作日: ["2027-01-31"' in listed
    rules.write_text(listed, encoding="utf-8")
    checked = run("检查")
    assert "还不能排班" not in checked.stdout + checked.stderr
    for month in ("2027-01", "2027-02"):
        made = run("排班", "生成", "--月份", month)
        assert "推测" not in made.stderr, made.stderr  # the break listed whole, 除夕 too
        run("排班", "检查", month)
    shown_month = run("排班", "查看", "--月份", "2027-02").stdout
    assert "2月5日 周五 春节" in shown_month and "2月13日 周六 春节" in shown_month
    assert "2月20日 周六 调休上班" in shown_month and "2月14日 周日 春节" not in shown_month
    run("排班", "统计", "--月份", "2027-02")
    stats = json.loads(run("排班", "统计", "--月份", "2027-02", "-f", "json").stdout)
    holidays = {person["name"]: person["holidays"] for person in stats["staff"]}
    weekends = {person["name"]: person["weekends"] for person in stats["staff"]}
    # on site each day: 白班 ×2 and 夜班 ×1 (前台 only on working days, 备班 counted apart)
    assert sum(holidays.values()) == 3 * len(BREAK)
    # weekend shifts: 02-06/07, 02-13/14, 02-21, 02-27/28; not the 调休 Saturday 02-20
    assert sum(weekends.values()) == 3 * 7

    eve = json.loads(run("谁值班", "--时间", "2027-02-05 22:00", "-f", "json").stdout)
    clerk = eve["on_duty"][0]["name"]
    technician = eve["on_call"][0]["name"]
    assert eve["on_duty"][0]["shift_name"] == "夜班" and eve["on_call"][0]["shift_name"] == "夜间备班"
    said = run("谁值班", "--时间", "2027年2月5日 晚上10点").stdout
    assert clerk in said and f"备班（在家待命）：{technician}" in said
    day = json.loads(run("谁值班", "--时间", "2027-02-06 10:00", "-f", "json").stdout)
    assert {one["shift_name"] for one in day["on_duty"]} == {"白班"}
    run("谁值班", "--时间", "2月6日 10点")
    assert json.loads(run("谁值班", "--时间", "除夕夜10点", "-f", "json").stdout) == eve
    assert json.loads(run("谁值班", "--时间", "初一 上午10点", "-f", "json").stdout) == day

    # 2. 除夕 night at the desk
    clock.set("2027-02-06T01:30:00+08:00")
    arrived = run("签到", "--时间", "2027-02-05 19:50", user=clerk)
    assert "按时到岗" in arrived.stderr
    noise = run("来电", "--姓名", "李四", "--房号", "3-2-501", "--电话", "13812345678",
                "--类别", "投诉", "--摘要", "楼下有人燃放烟花爆竹，吵得孩子睡不着",
                "--时间", "2027-02-05 21:30", user=clerk).stdout.strip()
    complaint = run("投诉", "登记", "--来电", noise, "--类别", "噪音",
                    "--时间", "2027-02-05 21:35", user=clerk).stdout.strip()
    water = run("来电", "--姓名", "王五", "--房号", "5-1-1202", "--电话", "13900001111",
                "--类别", "紧急情况", "--摘要", "5号楼停水了，年夜饭没法做",
                "--时间", "2027-02-05 22:10", user=clerk)
    assert "突发 开启 --类型 停水" in water.stderr
    run("报修", "登记", "--来电", water.stdout.strip(), "--房号", "5号楼", "--类别", "水电",
        "--内容", "5号楼整栋停水", "--时间", "2027-02-05 22:15", user=clerk)
    lift = run("来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222",
               "--类别", "紧急情况", "--摘要", "2号楼电梯困人，家里老人被困在电梯里",
               "--时间", "2027-02-05 23:40", user=clerk).stdout.strip()
    opened = run("突发", "开启", "--类型", "电梯困人", "--地点", "2号楼电梯", "--来电", lift,
                 "--时间", "2027-02-05 23:42", user=clerk)
    emergency = opened.stdout.splitlines()[0].strip()
    assert f"备班（在家待命）：{technician}（维修工）" in opened.stdout
    run("突发", "记录", emergency, "已安抚被困老人，已通知电梯维保单位",
        "--时间", "2027-02-05 23:43", user=clerk)
    repair = run("报修", "登记", "--房号", "2号楼电梯", "--类别", "电梯", "--内容",
                 "2号楼电梯困人，老人被困在电梯里", "--来电", lift,
                 "--时间", "2027-02-05 23:44", user=clerk)
    assert "急修" in repair.stderr
    lift_repair = repair.stdout.strip()
    # the technician on call called out for the emergency: the call-out and the emergency's
    # link step both committed, though the desk runs from outside the workspace
    called = run("备班", "出勤", technician, "--突发", emergency,
                 "--时间", "2027-02-05 23:45", user=clerk)
    assert "git" not in called.stdout + called.stderr
    assert uncommitted(root) == ""
    run("报修", "派工", lift_repair, "--派给", technician, "--时间", "2027-02-05 23:50",
        user=clerk)
    run("报修", "到场", lift_repair, "--时间", "2027-02-06 00:05", user=clerk)
    run("报修", "完工", lift_repair, "--结果", "已解困，老人无恙", "--时间", "2027-02-06 00:20",
        user=clerk)
    run("突发", "关闭", emergency, "--结果", "维保单位到场解困，老人无恙",
        "--时间", "2027-02-06 00:25", user=clerk)
    back = run("备班", "返回", technician, "--时间", "2027-02-06 00:50", user=clerk)
    assert "共 1小时05分" in back.stderr + back.stdout
    window = run("报修", "登记", "--姓名", "钱七", "--房号", "1-1-101", "--电话", "13600003333",
                 "--类别", "门窗", "--内容", "卧室窗户关不严", "--时间", "2027-02-06 01:00",
                 user=clerk).stdout.strip()
    # a business-hours deadline skips the break (to 02-13) and the Sunday after it, and counts
    # the 调休 Saturday: response 2 working hours from Monday 02-15 08:30; 3 working days
    seen = run("查看", window, user=clerk).stdout
    assert "响应    2027-02-15 10:30" in seen and "完成    2027-02-17 17:30" in seen, seen
    seen = run("查看", complaint, user=clerk).stdout  # 7 working days: 15..20 (Sat), 22
    assert "响应    2027-02-16 17:30" in seen and "完成    2027-02-22 17:30" in seen, seen
    assert uncommitted(root) == ""

    clock.set("2027-02-06T08:10:00+08:00")
    handed = run("交接班", "--备注", "除夕夜电梯困人已处置；5号楼停水待派工",
                 "--时间", "2027-02-06 07:55", user=clerk)
    summary = handed.stdout + handed.stderr
    assert "未结事项 4 项" in summary and "本班已处置的突发事件 1 起" in summary, summary
    morning = day["on_duty"][0]["name"]
    run("签到", "--时间", "2027-02-06 07:56", user=morning)
    run("接班", "--时间", "2027-02-06 07:58", user=morning)
    run("签退", "--时间", "2027-02-06 08:05", user=clerk)
    clock.set("2027-02-07T09:00:00+08:00")
    report = run("日报", "--日期", "初一").stdout  # the day as the desk says it
    assert report.startswith("阳光花园小区物业客户服务中心 — 2027年2月6日 周六 春节 值班日报")
    assert "电梯困人" in report and "5号楼整栋停水" in report

    # 3. the supervisor's February review
    clock.set("2027-03-02T09:00:00+08:00")
    review = run("月报", "--月份", "2027-02").stdout
    assert review.startswith("阳光花园小区物业客户服务中心 — 2027年2月 月报")
    run("月报", "--月份", "二月", "-f", "xlsx", "-o", str(tmp_path / "二月月报.xlsx"))
    run("排班", "导出", "-f", "xlsx", "--月份", "2027-02", "-o", str(tmp_path / "二月排班.xlsx"))
    run("考勤", "--月份", "2027-02")
    detail = json.loads(run("考勤", "--月份", "2027-02", "--明细", "-f", "json").stdout)
    # one definition: 考勤's 节假日 column names the break for the shifts 排班 统计 counts
    marked = {row["date"] for row in detail if row["holiday"]}
    assert marked == BREAK and MAKE_UP_SATURDAY not in marked
    table = run("考勤", "--月份", "2027-02", "--明细").stdout
    marked = [line for line in table.splitlines() if " 春节 " in line]
    callouts = [line for line in marked if "备班出勤" in line]  # 除夕 night's, by its night
    assert len(callouts) == 1 and "2月5日" in callouts[0] and technician in callouts[0]
    assert len(marked) - len(callouts) == sum(holidays.values())
    counted = {name: 0 for name in holidays}
    for row in detail:
        if row["holiday"] and row["result"] != "call-out":  # a call-out is no shift
            counted[row["staff"]] += 1
    assert counted == holidays

    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "二月排班.xlsx")
    sheet = book.worksheets[0]
    fills = {cell.value.split("\n")[0]: cell.fill.fgColor.rgb for cell in sheet[3]
             if isinstance(cell.value, str) and "\n" in cell.value}
    assert len({fills[str(day)] for day in range(5, 14)}) == 1  # the break shaded as one
    assert fills["20"] != fills["13"] and fills["20"] != fills["14"]  # 调休上班 apart
    words = [cell for sheet in (*book.worksheets,
                                *openpyxl.load_workbook(tmp_path / "二月月报.xlsx").worksheets)
             for row in sheet.iter_rows(values_only=True) for cell in (sheet.title, *row)
             if isinstance(cell, str) and not cell.startswith("=")]
    shown.append((("excel",), "\n".join(words)))

    english = {(args, word) for args, text in shown if "json" not in args  # data, not screens
               for word in english_in(text.replace(str(tmp_path), "…"))
               if word not in typed_by(args)}
    assert not english, sorted(english)


def test_the_on_call_technician_called_out_from_outside_the_workspace(site, clock, tmp_path):
    """The installed `dutyctl`, run from the home folder with `--root` on 除夕 night: the
    call-out for an emergency commits its link step on the emergency too (it was given to git
    as a path of the current folder: "git 提交失败……fatal: Invalid path")."""
    clock.set("2026-12-20T10:00:00+08:00")
    root = site.root
    rules = root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8")
                     .replace("  本地节假日: []", CALENDAR.split("  本地工作日")[0].rstrip("\n"), 1)
                     .replace("  本地工作日: []", '  本地工作日: ["2027-01-31", "2027-02-20"]', 1),
                     encoding="utf-8")
    assert site("排班", "生成", "--月份", "2027-02", env=ZH).exit_code == 0
    from tests.entrypoint import installed_program

    home = tmp_path / "家"
    home.mkdir()

    def typed(*args: str, now: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "LANG": "zh_CN.UTF-8", "DUTYCTL_USER": "孙丽",
               "PYTHONPATH": FIXED_CLOCK, "DUTYCTL_TEST_NOW": now}
        for name in ("DUTYCTL_LANG", "DUTYCTL_ROOT", "LC_ALL", "LANGUAGE"):
            env.pop(name, None)
        done = subprocess.run([installed_program(), "--root", str(root), *args], cwd=home,
                              capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        return done

    eve = json.loads(site("谁值班", "--时间", "2027-02-05 22:00", "-f", "json", env=ZH).stdout)
    technician = eve["on_call"][0]["name"]
    opened = typed("突发", "开启", "--类型", "电梯困人", "--地点", "2号楼电梯",
                   now="2027-02-05T23:42:00+08:00")
    emergency = opened.stdout.splitlines()[0].strip()
    called = typed("备班", "出勤", technician, "--突发", emergency, now="2027-02-05T23:45:00+08:00")
    assert "提交失败" not in called.stderr and "git" not in called.stderr, called.stderr
    assert "的备班出勤自 2027-02-05 23:45 开始" in called.stderr + called.stdout
    assert uncommitted(root) == ""
