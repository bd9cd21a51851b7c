"""A clock-in (or an acceptance clocking in) under $DUTYCTL_USER asks its own question: did
the person clock out of their own duty too recently for this clock-in, not for a rostered
shift of theirs, to be them (a DUTYCTL_USER left set at the desk)? Whoever else is on duty.
An acceptance by the person the handover names is never warned."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers_desk import day_clerk_gone_home

ZH = {"DUTYCTL_LANG": "zh_CN"}


@pytest.fixture
def no_roster(workspace, clock):
    """The site's staff list, no roster for December: nothing compared with a roster."""
    for roster in (workspace.root / "rosters").glob("2026-*.yaml"):
        roster.unlink()
    clock.set("2026-12-02T12:00:00+08:00")
    return workspace


def test_the_next_mornings_clock_in_at_the_usual_overlap_says_nothing(cli, no_roster):
    """李娜 still on duty at 07:50 is the normal overlap, not 张伟 gone home: he is back after
    his night's rest (11h45, more than the 12 hours of rest less the 2-hour clock-in window)."""
    day_clerk_gone_home(cli, "2026-12-01")  # 张伟 07:55–20:05, 李娜 on the night
    clocked = cli("签到", "--时间", "2026-12-02 07:50", user="张伟", env=ZH)
    assert clocked.exit_code == 0, clocked.stderr
    assert "DUTYCTL_USER" not in clocked.stderr, clocked.stderr
    assert no_roster.store.get(clocked.stdout.split()[0]).get("staff") == "zhangwei"


def test_covering_a_shift_the_next_morning_says_nothing(cli, october_desk):
    """张伟 covers 孙丽's rostered day of 6 October (not rostered himself) after his own day of
    the 5th: 李娜's night is on duty, and he is himself. It holds on the rest, not on the
    clock-in being his: 11h45 after his clock-out is past the 10 hours (12 of rest less the
    2-hour clock-in window), where a clock-in not for his shift is said (the test above)."""
    day_clerk_gone_home(cli, "2026-10-05")
    clocked = cli("签到", "--时间", "2026-10-06 07:50", user="张伟", env=ZH)
    assert clocked.exit_code == 0 and "当前未排班" in clocked.stderr, clocked.stderr
    assert "DUTYCTL_USER" not in clocked.stderr, clocked.stderr


def test_accepting_the_handover_that_names_you_says_nothing(cli, no_roster):
    """孙丽 worked the day of 1 December, 陈静 the night; 陈静 hands over to 孙丽 at 01:40 and
    孙丽 accepts it at 01:45, 5h40 after her clock-out (inside the 10 hours: 12 of rest less
    the 2-hour clock-in window), once without and once with a clock-in (before, she was told
    she had gone home as 陈静 is on duty)."""
    for args in (("clock", "in", "--staff", "sunli", "--at", "2026-12-01 07:55"),
                 ("clock", "in", "--staff", "chenjing", "--at", "2026-12-01 19:55"),
                 ("clock", "out", "--staff", "sunli", "--at", "2026-12-01 20:05",
                  "--no-handover", "--reason", "补记")):
        done = cli(*args)
        assert done.exit_code == 0, done.stderr
    for handed_at, clock_in in (("01:40", "--no-clock-in"), ("01:41", "--clock-in")):
        written = cli("交接班", "--接班人", "孙丽", "--时间", f"2026-12-02 {handed_at}",
                      user="陈静", env=ZH)
        assert written.exit_code == 0, written.stderr
        accepted = cli("交接班", "接班", "--时间", "2026-12-02 01:45", clock_in, user="孙丽",
                       env=ZH)
        assert accepted.exit_code == 0, accepted.stderr
        assert "DUTYCTL_USER" not in accepted.stderr, accepted.stderr
    duties = [record for record in no_roster.store.scan(
        date(2026, 12, 2), date(2026, 12, 2), ("duty",)).records
        if record.get("staff") == "sunli"]
    assert len(duties) == 1, duties  # the --clock-in round clocked her in


def test_a_clock_in_soon_after_ones_own_clock_out_is_said_with_the_desk_empty(cli, no_roster):
    """张伟 clocked out at 20:00, nobody on duty; the night clerk, DUTYCTL_USER=张伟 still set,
    clocks in at 20:10: recorded as 张伟 and said (before, nothing: nobody else was on duty)."""
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-12-01 07:55").exit_code == 0
    assert cli("clock", "out", "--staff", "zhangwei", "--at", "2026-12-01 20:00",
               "--no-handover", "--reason", "补记").exit_code == 0
    clocked = cli("签到", "--时间", "2026-12-01 20:10", user="张伟", env=ZH)
    assert clocked.exit_code == 0, clocked.stderr
    assert clocked.stderr.count(
        "张伟（$DUTYCTL_USER）于 2026-12-01 20:00 签退，距此次签到仅 0小时10分，此次签到也不是其"
        "排班：已记为 张伟 签到；如不是张伟本人，请加 --操作人 姓名，或重新设置 DUTYCTL_USER"
    ) == 1, clocked.stderr
    assert no_roster.store.get(clocked.stdout.split()[0]).get("staff") == "zhangwei"
    called = cli("来电", "--姓名", "张三", "--房号", "3-2-501", "--电话", "13812345678",
                 "--内容", "楼下噪音", "--时间", "2026-12-01 20:30", user="张伟", env=ZH)
    assert called.exit_code == 0, called.stderr  # the later steps of the night: as they were
    typed = cli("签到", "--操作人", "李娜", "--时间", "2026-12-01 20:12", user="张伟", env=ZH)
    assert typed.exit_code == 0 and "DUTYCTL_USER" not in typed.stderr, typed.stderr
