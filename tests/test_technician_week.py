"""A technician's first week at the desk: the clerk's handover covers the technician's clock
out, a call-out's shift in the attendance detail, call-out hours in the daily report's
workload, and the language option of `help`."""

from __future__ import annotations

import json

from tests.conftest import run_dutyctl
from tests.helpers_desk import ok_text as ok
from tests.test_oncall import october


def _day_shift(cli, workspace) -> None:
    """2026-10-09: 张伟 (zhangwei, clerk) and 刘洋 (liuyang, technician) on the day shift,
    李娜 (lina) the night clerk, 王强 (wangqiang) the technician on call at home."""
    october(workspace)
    ok(cli("clock", "in", "--at", "2026-10-09 08:00", user="zhangwei"))
    ok(cli("clock", "in", "--at", "2026-10-09 08:00", user="liuyang"))


# -- the clerk's handover covers the technician's clock out -----------------------------------

def test_the_clerks_handover_to_the_night_clerk_lets_the_technician_clock_out(cli, workspace):
    _day_shift(cli, workspace)
    handover_id = ok(cli("handover", "--at", "2026-10-09 19:50", user="zhangwei")).split()[-1]
    out = cli("clock", "out", "--at", "2026-10-09 20:00", user="liuyang")
    assert out.exit_code == 0, out.stderr
    said = [line for line in out.stderr.splitlines() if "张伟" in line]
    assert len(said) == 1 and "李娜" in said[0] and handover_id[:8] in said[0], out.stderr
    duty = ok(cli("show", out.stdout.split()[0], "--format", "json"))
    assert handover_id in duty  # the clock-out names the handover that covered it


def test_without_a_handover_by_anyone_of_the_shift_the_technician_is_still_refused(cli,
                                                                                   workspace):
    _day_shift(cli, workspace)
    out = cli("clock", "out", "--at", "2026-10-09 20:00", user="liuyang")
    assert out.exit_code == 2
    assert "李娜" in out.stderr and "nothing written" in out.stderr


def test_a_handover_to_someone_else_or_before_the_duty_does_not_cover_him(cli, workspace):
    _day_shift(cli, workspace)
    ok(cli("handover", "--to", "wangqiang", "--at", "2026-10-09 19:50", user="zhangwei"))
    assert cli("clock", "out", "--at", "2026-10-09 20:00", user="liuyang").exit_code == 2


def test_the_technicians_clock_out_after_the_clerks_handover_through_the_program(
        workspace, dutyctl_command):
    october(workspace)
    root = workspace.root

    def run(*args, user):
        done = run_dutyctl(dutyctl_command, *args, root=root, user=user)
        assert done.returncode == 0, done.stderr
        return done

    run("clock", "in", "--at", "2026-10-09 08:00", user="zhangwei")
    run("clock", "in", "--at", "2026-10-09 08:00", user="liuyang")
    handover_id = run("handover", "--at", "2026-10-09 19:50", user="zhangwei").stdout.split()[-1]
    out = run("clock", "out", "--at", "2026-10-09 20:00", user="liuyang")
    assert "李娜" in out.stderr and handover_id[:8] in out.stderr


# -- a call-out in the attendance detail -------------------------------------------------------

def test_a_call_out_row_of_the_attendance_detail_names_its_on_call_shift(cli, workspace):
    october(workspace)
    ok(cli("callout", "start", "王强", "--at", "2026-10-09 23:00"))
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 01:30"))
    # outside any on-call duty (the afternoon of 2026-10-10 he is on the day shift; the 11th
    # nobody is on call): said as a call-out in the shift column
    ok(cli("callout", "start", "王强", "--at", "2026-10-11 22:00"))
    ok(cli("callout", "end", "王强", "--at", "2026-10-11 23:00"))
    detail = json.loads(ok(cli("attendance", "--month", "2026-10", "--staff", "wangqiang",
                               "--detail", "-f", "json")))
    calls = [(row["clock_in"][:16], row["shift"], row["shift_name"], row["role"])
             for row in detail if row["result"] == "call-out"]
    assert calls == [("2026-10-09T23:00", "night-oncall", calls[0][2], "technician"),
                     ("2026-10-11T22:00", None, None, None)]
    assert calls[0][2]  # the shift's name
    table = ok(cli("--lang", "zh_CN", "attendance", "--month", "2026-10", "--staff", "王强",
                   "--detail"))
    rows = [line for line in table.splitlines() if "23:00" in line or "22:00" in line]
    assert len(rows) == 2, table
    assert calls[0][2] in rows[0] and rows[1].count("备班出勤") == 2, table


# -- call-out hours in the daily report's workload ---------------------------------------------

def test_the_daily_workload_counts_the_technicians_call_out_hours(cli, workspace):
    october(workspace)
    ok(cli("callout", "start", "王强", "--at", "2026-10-09 22:00"))
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 00:30"))
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-10-09", "-f", "json")))
    (him,) = [row for row in daily["per_staff"] if row["staff"] == "wangqiang"]
    assert (him["call_outs"], him["hours_call_out"]) == (1, 2.5)
    attendance = json.loads(ok(cli("attendance", "--month", "2026-10",
                                   "--staff", "wangqiang", "-f", "json")))
    assert attendance[0]["hours_call_out"] == him["hours_call_out"]  # as 考勤 counts it
    page = ok(cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-09"))
    workload = page.split("每人工作量")[-1]
    assert "备班出勤" in workload, page  # its header wraps (备班出勤 / 小时) to fit 100 columns
    (line,) = [line for line in workload.splitlines() if "王强" in line]
    assert "2.5" in line, workload


# -- `帮助 --语言 en` ----------------------------------------------------------------------------

def test_the_language_option_after_help_wins_over_the_chinese_word(cli):
    zh = {"DUTYCTL_LANG": "zh_CN"}  # a Chinese desk
    assert "用法" in ok(cli("帮助", env=zh))
    for args in (("帮助", "--语言", "en"), ("帮助", "--lang=en"), ("帮助", "--lang", "en", "报修")):
        shown = ok(cli(*args, env=zh))
        assert shown.startswith("Usage:") and "用法" not in shown, (args, shown)
    assert "Usage: root 报修 派工" in ok(cli("帮助", "报修", "派工", "--语言", "en", env=zh))
    wrong = cli("帮助", "--lang", "xx", env=zh)
    assert wrong.exit_code == 2 and "xx" in wrong.stderr and not wrong.stdout


def test_help_typed_in_chinese_shows_english_when_asked_through_the_program(
        workspace, dutyctl_command, monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")  # a Chinese desk
    typed = run_dutyctl(dutyctl_command, "帮助", root=workspace.root)
    assert typed.returncode == 0 and "用法" in typed.stdout, typed.stderr
    asked = run_dutyctl(dutyctl_command, "帮助", "--语言", "en", root=workspace.root)
    assert asked.returncode == 0 and asked.stdout.startswith("Usage: dutyctl"), asked.stderr
