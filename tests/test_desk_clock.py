"""clock in / clock out through the CLI, against a hand-written roster with a night shift."""

from __future__ import annotations

import json

import pytest

from tests.helpers_desk import day_clerk_gone_home, git_head, printed_ids, record_files


def record_of(workspace, output: str):
    return workspace.store.get(output.strip().splitlines()[0])


def test_on_time_clock_in_records_the_slot(cli, october_desk):
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    record = record_of(october_desk, result.stdout)
    assert (record.kind, record.status, record.get("verdict")) == ("duty", "on-duty", "on-time")
    assert record.get("slot")["shift"] == "day"
    assert "on time" in result.stderr and "5 min early" in result.stderr
    assert "the handover norm is 15 min early" in result.stderr  # attendance.arrive_early_minutes


def test_clock_in_show_and_clock_out_name_a_rostered_duty_alike(cli, october_desk):
    """One label for a duty's slot (names.Names.slot): the shift, its local start and end,
    the role by its configured name."""
    day = "白班 2026-10-05 08:00–20:00 (客服专员)"
    clock_in = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert f"on time for {day}, 5 min early" in clock_in.stderr
    assert f"rostered: {day}\n" in cli("show", clock_in.stdout.split()[0]).stdout
    refused = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00")
    assert "takes over for 夜班 2026-10-05 20:00–08:00 (客服专员) and" in refused.stderr


def test_a_clerk_and_a_technician_taking_over_are_named_with_the_shift_alone(cli, workspace):
    """李娜 the clerk and 王强 the technician coming on for the day shift were said as taking
    over for "白班 … (客服专员)", the first one's role given to both."""
    from tests.helpers_desk import write_desk_rules, write_roster

    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31", [
        ("2026-10-05", "night", "zhangwei"), ("2026-10-06", "day", "lina"),
        ("2026-10-06", "day", "wangqiang", "technician"), ("2026-10-06", "night", "sunli")])
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 19:55").exit_code == 0
    refused = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-06 08:00")
    assert "take over for 白班 2026-10-06 08:00–20:00 and" in refused.stderr, refused.stderr
    assert refused.stderr.startswith("李娜, 王强 take over"), refused.stderr
    assert cli("clock", "in", "--staff", "lina", "--at", "2026-10-06 07:55").exit_code == 0
    alone = cli("clock", "out", "--staff", "lina", "--at", "2026-10-06 20:00")
    assert "takes over for 夜班 2026-10-06 20:00–08:00 (客服专员) and" in alone.stderr, (
        alone.stderr)


def test_status_and_pending_handovers_name_people_and_shifts(cli, october_desk):
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    status = cli("--lang", "zh_CN", "clock", "status").stdout
    row = status.splitlines()[2]
    assert "张伟" in row and "按时" in row and "zhangwei" not in row and "on-time" not in row
    assert '"staff": "zhangwei"' in cli("clock", "status", "--format", "json").stdout
    written = cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-05 19:50")
    assert written.exit_code == 0, written.stderr
    pending = cli("--lang", "zh_CN", "handover", "pending").stdout.splitlines()[2]
    assert "张伟" in pending and "李娜" in pending and "zhangwei" not in pending


def test_arriving_by_the_handover_norm_gets_no_reminder(cli, october_desk):
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:40")
    assert result.exit_code == 0, result.stderr
    assert "20 min early" in result.stderr and "norm" not in result.stderr


def test_late_for_the_night_shift(cli, october_desk):
    result = cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:12")
    assert result.exit_code == 0, result.stderr
    record = record_of(october_desk, result.stdout)
    assert (record.get("verdict"), record.get("late_minutes")) == ("late", 12)
    assert "LATE by 12 min" in result.stderr


def test_unrostered_clock_in_is_allowed_and_flagged(cli, october_desk):
    result = cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-06 10:00")
    assert result.exit_code == 0, result.stderr
    assert record_of(october_desk, result.stdout).get("verdict") == "unrostered"
    assert "NOT ROSTERED" in result.stderr
    out = cli("clock", "out", "--staff", "wangqiang", "--at", "2026-10-06 14:00")
    assert out.exit_code == 0, out.stderr  # unrostered: no next shift of theirs to hand to
    assert "not rostered" in out.stderr


def test_double_clock_in_is_refused_and_nothing_written(cli, october_desk):
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    files, head = record_files(october_desk.root), git_head(october_desk.root)
    again = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 08:30")
    assert again.exit_code == 2
    assert "already clocked in" in again.stderr and "Traceback" not in again.stderr
    assert again.stdout == ""
    assert (record_files(october_desk.root), git_head(october_desk.root)) == (files, head)


def test_clock_in_inside_an_earlier_duty_is_refused(cli, october_desk):
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-06 19:58")
    cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-07 08:00", "--no-handover",
        "--reason", "x")
    files = record_files(october_desk.root)
    inside = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-07 01:00")
    assert inside.exit_code == 2 and "already on duty" in inside.stderr
    assert record_files(october_desk.root) == files


def test_clock_out_without_clock_in_is_refused(cli, october_desk):
    files = record_files(october_desk.root)
    result = cli("clock", "out", "--staff", "lina", "--at", "2026-10-05 20:00")
    assert result.exit_code == 2 and "not clocked in" in result.stderr
    assert record_files(october_desk.root) == files


def test_early_leave_from_a_night_shift_is_flagged(cli, october_desk):
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-06 19:58")
    result = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-07 06:30")
    assert result.exit_code == 0, result.stderr  # nobody is rostered after: no handover asked
    assert "LEFT EARLY by 1h30m from" in result.stderr
    record = record_of(october_desk, result.stdout)
    assert record.status == "off-duty"
    assert record.events[-1].data["left_early_minutes"] == 90


def test_clock_out_with_a_next_shift_needs_a_handover(cli, october_desk):
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    files = record_files(october_desk.root)
    refused = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00")
    assert refused.exit_code == 2
    assert "李娜 takes over" in refused.stderr and "--no-handover" in refused.stderr
    assert "dutyctl handover --to 李娜)" in refused.stderr  # typed by name
    assert record_files(october_desk.root) == files
    no_reason = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00",
                    "--no-handover")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    skipped = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00",
                  "--no-handover", "--reason", "李娜已当面交接")
    assert skipped.exit_code == 0, skipped.stderr
    event = record_of(october_desk, skipped.stdout).events[-1]
    assert event.data["no_handover_reason"] == "李娜已当面交接"


def test_a_written_handover_lets_clock_out_pass_and_is_linked(cli, october_desk):
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    written = cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-05 19:45")
    assert written.exit_code == 0, written.stderr
    out = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00")
    assert out.exit_code == 0, out.stderr
    assert record_of(october_desk, out.stdout).events[-1].data["handover"] == written.stdout.strip()


@pytest.mark.parametrize("relief_in", [False, True])
def test_leaving_the_desk_with_nobody_on_duty_is_said(cli, october_desk, relief_in, clock):
    """The duty rule: nobody leaves before the relief arrives. The clock-out is made (the
    clerk has left), and, when nobody else is on duty then and the relief has not clocked
    in, one line says the desk has nobody, naming whom to call; nothing when the relief is
    in."""
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-05 19:45")
    if relief_in:
        assert cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 19:50").exit_code == 0
    clock.set("2026-10-05T20:02:00+08:00")  # leaving now: a clock-out recorded late is not
    out = cli("clock", "out", "--staff", "zhangwei")  # told (who was on duty then is unknown)
    assert out.exit_code == 0, out.stderr
    said = [line for line in out.stderr.splitlines() if line.startswith("nobody is on duty")]
    if relief_in:
        assert said == []
    else:
        assert said == ["nobody is on duty now: 李娜 has not clocked in for 夜班 2026-10-05 "
                        "20:00–08:00 (客服专员) yet (nobody leaves before the relief arrives): "
                        "call them, or the supervisor"], out.stderr


def test_who_is_here_and_who_is_absent_is_the_desk_s_answer_by_the_clock_in_grace(
        cli, october_desk):
    """`desk.clocking.here_and_absent`, what `who` says: a person rostered on site is absent
    once their shift began more than the clock-in grace (5 min) before, as attendance judges
    an absence (`attendance.start_missed`); one clocked in is here."""
    from datetime import datetime, timedelta, timezone

    from dutyctl.desk.clocking import here_and_absent
    from dutyctl.desk.rostered import moment_and_chain

    night = datetime(2026, 10, 5, 20, 0, tzinfo=timezone(timedelta(hours=8)))

    def here_and_absent_at(minutes):
        moment = night + timedelta(minutes=minutes)
        slots, chain = moment_and_chain(october_desk, moment)
        return here_and_absent(october_desk, slots, moment, chain)

    assert here_and_absent_at(5) == (set(), set())
    assert here_and_absent_at(6) == (set(), {"lina"})
    assert cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:06").exit_code == 0
    assert here_and_absent_at(7) == ({"lina"}, set())


def test_who_says_who_rostered_now_has_not_clocked_in(cli, october_desk, clock):
    """`who` listed the night clerk as on duty an hour into a shift she never came to: now a
    line under the table says so (past the clock-in grace), and json says `clocked_in` of
    each; a moment asked about with --at is not compared with the clock-ins (null)."""
    import json

    clock.set("2026-10-05T20:03:00+08:00")  # within the grace: no line, and not clocked in
    assert "not clocked in" not in cli("who").stdout
    assert [row["clocked_in"] for row in json.loads(cli("who", "-f", "json").stdout)["on_duty"]
            ] == [False]
    clock.set("2026-10-05T21:00:00+08:00")
    shown = cli("who")
    assert shown.exit_code == 0, shown.stderr
    assert "not clocked in: 李娜 (夜班, from 20:00): the desk may have nobody; call them" \
        in shown.stdout.splitlines(), shown.stdout
    assert [row["clocked_in"] for row in json.loads(cli("who", "-f", "json").stdout)["on_duty"]
            ] == [False]
    asked = cli("who", "--at", "2026-10-05 21:00")
    assert "not clocked in" not in asked.stdout
    assert [row["clocked_in"] for row in json.loads(
        cli("who", "--at", "2026-10-05 21:00", "-f", "json").stdout)["on_duty"]] == [None]
    assert cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:55").exit_code == 0
    assert "not clocked in" not in cli("who").stdout
    assert [row["clocked_in"] for row in json.loads(cli("who", "-f", "json").stdout)["on_duty"]
            ] == [True]


def test_clock_out_at_a_terminal_writes_the_handover(cli, october_desk, monkeypatch):
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    # write it now? yes; to whom? (default lina); one note, then an empty line
    result = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00",
                 input="y\n\n3号楼电梯异响,已报工程部\n\n")
    assert result.exit_code == 0, result.stderr
    duty_id, handover_id = printed_ids(result.stdout)  # CliRunner echoes the input too
    handover = october_desk.store.get(handover_id)
    assert (handover.get("from"), list(handover.get("to"))) == ("zhangwei", ["lina"])
    assert list(handover.get("notes")) == ["3号楼电梯异响,已报工程部"]
    assert october_desk.store.get(duty_id).events[-1].data["handover"] == handover_id


def test_clock_in_needs_to_know_who(cli, october_desk):
    result = cli("clock", "in", "--at", "2026-10-05 07:55", user=None)
    assert result.exit_code == 2 and "--staff" in result.stderr
    assert cli("clock", "in", "--staff", "ghost").exit_code == 2


def test_clock_in_at_a_terminal_asks_for_a_name_and_again_for_nobodys(cli, october_desk,
                                                                      monkeypatch):
    """The question asked for a staff id (a clerk has a name) and a name naming nobody (老孙)
    ended the clock-in with exit 2: it asks for the name, and again."""
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    result = cli("--lang", "zh_CN", "clock", "in", "--at", "2026-10-05 07:55", user=None,
                 input="老孙\n张伟\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("你的姓名：") == 2 and "员工编号" not in result.stderr
    assert "老孙" in result.stderr  # the refusal, said before asking again
    duty, = printed_ids(result.stdout)
    assert october_desk.store.get(duty).get("staff") == "zhangwei"


def test_clock_status_and_list_show_duties(cli, october_desk):
    cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:12")
    status = cli("clock", "status", "--format", "csv")
    assert status.stdout.splitlines()[1].split(",")[1:4] == ["lina", "2026-10-05T20:12:00+08:00",
                                                             "late"]
    listed = cli("list", "--kind", "duty", "--open", "--format", "csv")
    assert len(listed.stdout.splitlines()) == 2


def test_a_duty_left_open_past_its_shift_reads_not_clocked_out(cli, october_desk):
    """李娜 clocked in for the night of 10-05 and never out: at the desk days later `list`
    and `show` said 在岗 (on duty) with no name in the row, where the reports say 下班未签退.
    Within the shift it is still on duty."""
    duty = cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:12").stdout.strip()

    def row(as_of: str) -> list[str]:
        listed = cli("list", "--kind", "duty", "--open", "--as-of", as_of)
        return listed.stdout.splitlines()[2].split()

    assert row("2026-10-05 23:00")[4:6] == ["on-duty", "李娜"]
    assert row("2026-10-06 10:05")[4:6] == ["not", "clocked"]  # 08:00 and the window past
    assert "李娜" in row("2026-10-06 10:05")
    assert "status: not clocked out" in cli("show", duty, "--as-of", "2026-10-07 09:00").stdout
    assert "status: on-duty" in cli("show", duty, "--as-of", "2026-10-06 09:00").stdout
    chinese = cli("--lang", "zh_CN", "list", "--kind", "duty", "--open", "--as-of",
                  "2026-10-07 09:00")
    assert "未签退" in chinese.stdout and "在岗" not in chinese.stdout
    # the exports say it too: an Excel filtered for 在岗 listed her days later
    data = json.loads(cli("list", "--kind", "duty", "--open", "--as-of", "2026-10-07 09:00",
                          "-f", "json").stdout)
    assert [row["status"] for row in data] == ["not-clocked-out"]
    during = json.loads(cli("list", "--kind", "duty", "--open", "--as-of", "2026-10-05 23:00",
                            "-f", "json").stdout)
    assert [row["status"] for row in during] == ["on-duty"]
    csv_text = cli("--lang", "zh_CN", "list", "--kind", "duty", "--open", "--as-of",
                   "2026-10-07 09:00", "-f", "csv").stdout
    assert ",未签退," in csv_text and "在岗" not in csv_text, csv_text


def test_the_duties_left_open_are_listed_by_the_status_the_screen_shows(cli, october_desk):
    """`列表 --状态 未签退`, the word the status column shows, was refused as no status."""
    cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:12")
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-06 07:55")
    for typed, env in (("未签退", {"DUTYCTL_LANG": "zh_CN"}), ("not clocked out", {}),
                       ("not-clocked-out", {})):
        listed = cli("list", "--status", typed, "--as-of", "2026-10-06 10:05", "-f", "json",
                     env=env)
        assert listed.exit_code == 0, listed.stderr
        assert [row["by"] for row in json.loads(listed.stdout)] == ["lina"], listed.stdout
    still = cli("list", "--status", "not clocked out", "--as-of", "2026-10-05 23:00", "-f",
                "json")
    assert still.exit_code == 0 and "lina" not in still.stdout  # within her night: on duty
    # 在岗 lists only those the screen shows so: her duty left open was among them
    on_duty = json.loads(cli("list", "--status", "on-duty", "--as-of", "2026-10-06 10:05",
                             "-f", "json").stdout)
    assert [row["by"] for row in on_duty] == ["zhangwei"], on_duty
    other = cli("list", "--kind", "complaint", "--status", "not clocked out")
    assert other.exit_code == 2 and "not clocked out is a duty's status" in other.stderr, \
        other.stderr


def test_which_duties_a_listing_shows_is_the_records_views_decision(cli, october_desk):
    """`views.list_filters` and `views.find_listed`, what `list --status` asks: 未签退 is the
    duties on duty whose clock-out was forgotten at the moment listed, 在岗 the others; the
    newest kept counted after that judgement."""
    from datetime import datetime

    from dutyctl import views
    from dutyctl.errors import InputError

    cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:12")
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-06 07:55")
    config, moment = october_desk.config, datetime.fromisoformat("2026-10-06T10:05:00+08:00")

    def listed(status: str, newest=None) -> list[str]:
        filters = views.list_filters(config, kind=None, status=status, category=None)
        found, older_unread = views.find_listed(october_desk.store, config, filters,
                                                as_of=moment, moment=moment, newest=newest)
        assert not older_unread
        return [record.get("staff") for record in found.records]

    assert views.list_filters(config, kind=None, status="not-clocked-out", category=None).shown \
        == views.NOT_CLOCKED_OUT
    assert listed("not clocked out") == ["lina"]
    assert listed("on-duty") == ["zhangwei"]
    # the newest one of those left open: hers, though his duty is the newer record
    assert listed("not clocked out", newest=1) == ["lina"]
    with pytest.raises(InputError):
        views.list_filters(config, kind="complaint", status="not clocked out", category=None)


@pytest.mark.auto_commit
def test_auto_commit_of_clock_in(cli, october_desk):
    before = git_head(october_desk.root)
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert git_head(october_desk.root) != before


def set_window(root, value: str) -> None:
    config = root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("clock_in_window_minutes: 120",
                                   f"clock_in_window_minutes: {value}"), encoding="utf-8")


def test_clock_in_window_comes_from_the_config(cli, october_desk):
    set_window(october_desk.root, "30")
    early = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:00")
    assert early.exit_code == 0, early.stderr
    assert record_of(october_desk, early.stdout).get("verdict") == "unrostered"


def test_a_bad_clock_in_window_is_reported_with_its_line(cli, october_desk):
    set_window(october_desk.root, '"2h"')
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 2
    lines = (october_desk.root / "dutyctl.yaml").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "clock_in_window" in text)
    assert (f"dutyctl.yaml:{line}: attendance.clock_in_window_minutes: expected a whole number"
            in result.stderr)


def test_an_unrostered_clock_in_names_the_next_shift_days_ahead(cli, october_desk):
    result = cli("clock", "in", "--staff", "sunli", "--at", "2026-10-01 10:00")
    assert result.exit_code == 0, result.stderr
    assert "NOT ROSTERED" in result.stderr
    assert "next rostered: 白班 2026-10-06 08:00" in result.stderr  # five days later


def test_no_bracket_inside_a_bracket_in_chinese(cli, october_desk):
    """A shift as every screen names it carries its role in brackets (白班 …（客服专员）), a
    room's prompt its example: a sentence never wraps them in brackets again (…（客服专员））)."""
    zh = {"DUTYCTL_LANG": "zh_CN"}
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-06 19:58")
    early = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-07 06:30", env=zh)
    assert "：夜班 2026-10-06 20:00–08:00（客服专员） 早退 1小时30分" in early.stderr, early.stderr
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    done = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00",
               "--no-handover", "--reason", "补记", env=zh)
    unrostered = cli("clock", "in", "--staff", "sunli", "--at", "2026-10-01 09:00", env=zh)
    assert "；下一个排班：白班 2026-10-06 08:00–20:00（客服专员）" in unrostered.stderr
    missing = cli("来电", "--姓名", "张三", "--电话", "13812345678", "--摘要", "咨询", env=zh)
    assert "--房号（房号，如 3-2-501）" in missing.stderr, missing.stderr
    for said in (early, done, unrostered, missing):
        assert "））" not in said.stderr and "))" not in said.stderr, said.stderr


def test_a_day_clerks_user_left_set_at_night_is_said_and_the_step_recorded(
        cli, october_desk, clock):
    """张伟 clocked out and went home with DUTYCTL_USER still his; 李娜, on the night shift,
    logs a call at 01:30: one line on stderr says the call is recorded as 张伟 and how to
    record it as herself; --staff or her own DUTYCTL_USER says nothing."""
    clock.set("2026-10-06T06:00:00+08:00")
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    assert cli("handover", "--staff", "zhangwei", "--to", "lina",
               "--at", "2026-10-05 19:55").exit_code == 0
    assert cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 19:50").exit_code == 0
    assert cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:05").exit_code == 0
    call = ("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
            "--summary", "楼下噪音", "--at", "2026-10-06 01:30")
    left = cli("--lang", "zh_CN", *call, user="zhangwei")
    assert left.exit_code == 0, left.stderr
    assert ("张伟（$DUTYCTL_USER）已于 2026-10-05 20:05 签退，此刻在岗的是 李娜：本条记为 张伟 "
            "登记；如不是张伟本人，请加 --操作人 姓名，或重新设置 DUTYCTL_USER") in left.stderr
    assert october_desk.store.get(left.stdout.split()[0]).recorded_by == "zhangwei"
    for quiet in (cli(*call, user="lina"), cli(*call, "--staff", "zhangwei", user="zhangwei")):
        assert quiet.exit_code == 0 and "DUTYCTL_USER" not in quiet.stderr, quiet.stderr


LEFT_SET = ("张伟（$DUTYCTL_USER）已于 2026-10-05 20:05 签退，此刻在岗的是 李娜：本条记为 张伟 "
            "登记；如不是张伟本人，请加 --操作人 姓名，或重新设置 DUTYCTL_USER")


def test_the_desk_commands_say_a_user_left_set_as_every_step_does(cli, october_desk):
    """签到, 备勤 and 交接班 went around Session.actor: a DUTYCTL_USER left set at the desk
    clocked in, checked and handed over as the day clerk gone home, unsaid (the clock-in then
    put him on duty, silencing every later step). Each now says the line; the clock-in says its
    own (too soon after his clock-out, not for his shift) after its verdict."""
    day_clerk_gone_home(cli, "2026-10-05")
    zh = {"DUTYCTL_LANG": "zh_CN"}
    checked = cli("备勤", "--正常", "全部", "--时间", "2026-10-06 01:00", user="张伟", env=zh)
    handed = cli("交接班", "--接班人", "孙丽", "--时间", "2026-10-06 01:10", user="张伟", env=zh)
    clocked = cli("签到", "--时间", "2026-10-06 02:00", user="张伟", env=zh)
    for said in (checked, handed):
        assert said.exit_code == 0, said.stderr
        assert said.stderr.count(LEFT_SET) == 1, said.stderr
    back = ("张伟（$DUTYCTL_USER）于 2026-10-05 20:05 签退，距此次签到仅 5小时55分，此次签到也不是"
            "其排班：已记为 张伟 签到")  # a clock-in's own question (ShiftDesk.back_soon)
    assert clocked.exit_code == 0 and clocked.stderr.count(back) == 1, clocked.stderr
    assert LEFT_SET not in clocked.stderr
    assert clocked.stderr.index("当前未排班") < clocked.stderr.index(back)
    assert october_desk.store.get(clocked.stdout.split()[0]).get("staff") == "zhangwei"
    typed = cli("备勤", "--正常", "全部", "--时间", "2026-10-06 01:05", "--操作人", "张伟",
                user="张伟", env=zh)
    assert typed.exit_code == 0 and "DUTYCTL_USER" not in typed.stderr, typed.stderr


def test_a_clock_in_for_ones_own_shift_says_nothing_of_the_user(cli, october_desk):
    """张伟 and 王强 each covered 12:00–14:00 of the 6th (unrostered). At 19:45 张伟 clocks in
    on time for his rostered night, 5h45 after his clock-out (inside the 10 hours: 12 of rest
    less the 2-hour clock-in window): he is himself, no line. 王强 clocking in at the same
    moment, not rostered, is told (the control: the same moment is inside the window)."""
    for staff in ("zhangwei", "wangqiang"):
        for args in (("clock", "in", "--staff", staff, "--at", "2026-10-06 12:00"),
                     ("clock", "out", "--staff", staff, "--at", "2026-10-06 14:00",
                      "--no-handover", "--reason", "补记")):
            done = cli(*args)
            assert done.exit_code == 0, done.stderr
    zh = {"DUTYCTL_LANG": "zh_CN"}
    own = cli("签到", "--时间", "2026-10-06 19:45", user="张伟", env=zh)
    assert own.exit_code == 0 and "按时" in own.stderr, own.stderr
    assert "DUTYCTL_USER" not in own.stderr, own.stderr
    assert october_desk.store.get(own.stdout.split()[0]).get("staff") == "zhangwei"
    other = cli("签到", "--时间", "2026-10-06 19:45", user="王强", env=zh)
    assert other.exit_code == 0 and "当前未排班" in other.stderr, other.stderr
    assert other.stderr.count("王强（$DUTYCTL_USER）于 2026-10-06 14:00 签退，距此次签到仅 "
                              "5小时45分，此次签到也不是其排班") == 1, other.stderr


def test_no_handover_where_none_is_owed_clocks_out_and_says_it_was_not_needed(cli, october_desk):
    """`签退 --不交接` after a handover was written, or a quiet night (nobody rostered on next),
    was silently ignored: the clerk is told why it was not needed, and clocked out (exit 0)."""
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    written = cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-05 19:45")
    assert written.exit_code == 0, written.stderr
    out = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00", "--no-handover")
    assert out.exit_code == 0, out.stderr
    assert (f"--no-handover not needed: handover {written.stdout.strip()[:12]} was written "
            "for this duty; clocked out") in out.stderr
    assert record_of(october_desk, out.stdout).events[-1].data["handover"] == written.stdout.strip()
    cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-06 19:55")
    nobody = cli("签退", "--操作人", "zhangwei", "--时间", "2026-10-07 08:00", "--不交接",
                 env={"DUTYCTL_LANG": "zh_CN"})
    assert nobody.exit_code == 0, nobody.stderr
    assert "不必写 --不交接：排班表上此刻没有接班人，无须交接；已签退" in nobody.stderr
    assert record_of(october_desk, nobody.stdout).status == "off-duty"


def test_a_person_clocked_in_on_two_desks_clocks_out_once_and_counts_once(cli, october_desk,
                                                                           clock):
    """Two desks that had not synced each clocked 张伟 in (07:55 and 07:58): the clock-out
    ended one, `clock status` still had him on duty, and attendance counted the overlap
    twice. One clock-out ends both, said so, and the hours count once."""
    import json

    from datetime import datetime

    clocked = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert clocked.exit_code == 0
    first = october_desk.store.get(clocked.stdout.strip())
    october_desk.store.create("duty", {"staff": "zhangwei", "verdict": "on-time",
                                       "slot": dict(first.get("slot"))},
                              at=datetime.fromisoformat("2026-10-05T07:58:00+08:00"),
                              by="zhangwei")  # as the other desk's sync brings it
    forgotten = october_desk.store.create(  # days before: a clock-out forgotten, no twin
        "duty", {"staff": "zhangwei", "verdict": "unrostered"},
        at=datetime.fromisoformat("2026-10-03T09:00:00+08:00"), by="zhangwei")
    # both still open: one person on duty, hours counted from the first clock-in
    clock.set("2026-10-05T09:55:00+08:00")
    (open_row,) = json.loads(cli("attendance", "--month", "2026-10", "--staff", "zhangwei",
                                 "-f", "json").stdout)
    assert (open_row["on_duty"], open_row["hours_worked"]) == (1, 2.0)
    clock.set("2026-10-12T09:30:00+08:00")
    cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-05 19:45")
    out = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00")
    assert out.exit_code == 0, out.stderr
    assert out.stderr.count("张伟 was clocked in on another desk too (duty ") == 1
    still = cli("clock", "status", "-f", "json").stdout
    assert forgotten.id in still and still.count('"zhangwei"') == 1  # only the forgotten one
    (row,) = json.loads(cli("attendance", "--month", "2026-10", "--staff", "zhangwei", "-f",
                            "json").stdout)
    assert row["hours_worked"] == 12.08  # 07:55-20:00 once, not 24 h


def test_a_clock_out_forgotten_after_a_shift_is_nobody_left_on_duty(cli, october_desk, clock):
    """李娜 clocked in for 10-05's night (to 08:00) and never out: at 20:02 the next evening,
    within a day of her clock-in, she is 未签退 to the reports, `list` and `show`, and so
    nobody on duty when 孙丽 leaves with her relief not in (she counted as on duty until 24 h
    after her clock-in, and the desk was not told it had nobody)."""
    for args in (("clock", "in", "--staff", "lina", "--at", "2026-10-05 20:05"),
                 ("clock", "in", "--staff", "sunli", "--at", "2026-10-06 07:55"),
                 ("handover", "--staff", "sunli", "--to", "zhangwei", "--at",
                  "2026-10-06 19:45")):
        assert cli(*args).exit_code == 0
    clock.set("2026-10-06T20:02:00+08:00")
    out = cli("clock", "out", "--staff", "sunli")
    assert out.exit_code == 0, out.stderr
    assert [line for line in out.stderr.splitlines() if line.startswith("nobody is on duty")
            ] == ["nobody is on duty now: 张伟 has not clocked in for 夜班 2026-10-06 20:00–08:00 "
                  "(客服专员) yet (nobody leaves before the relief arrives): call them, or the "
                  "supervisor"], out.stderr


def test_on_site_ends_with_the_shift_and_the_clock_in_window():
    """One rule (desk.attendance.on_site) for who is on site: clocked in by then, the shift
    not over by more than the clock-in window; unrostered, at most a day."""
    from datetime import datetime, timedelta, timezone
    from types import SimpleNamespace

    from dutyctl.desk.attendance import left_open, on_site
    from dutyctl.records import Record

    tz = timezone(timedelta(hours=8))
    clocked = datetime(2026, 10, 5, 20, 5, tzinfo=tz)
    night = Record("01TEST", "duty", clocked, "lina", {"staff": "lina", "slot": {
        "end": "2026-10-06T08:00:00+08:00"}})
    unrostered = Record("01TEST2", "duty", clocked, "lina", {"staff": "lina"})
    window = timedelta(minutes=120)
    for hour, minute, expected in ((20, 4, False), (21, 0, True)):
        assert on_site(night, clocked.replace(hour=hour, minute=minute), window) is expected
    assert on_site(night, datetime(2026, 10, 6, 9, 59, tzinfo=tz), window)
    assert not on_site(night, datetime(2026, 10, 6, 10, 0, tzinfo=tz), window)
    assert left_open(night, datetime(2026, 10, 6, 10, 0, tzinfo=tz), window)
    assert on_site(unrostered, clocked + timedelta(hours=24), window)
    assert not on_site(unrostered, clocked + timedelta(hours=24, seconds=1), window)
    # the next day's shift beginning at its end (连班): on through it, then its window
    day = SimpleNamespace(staff="lina", on_call=False,
                          start=datetime(2026, 10, 6, 8, 0, tzinfo=tz),
                          end=datetime(2026, 10, 6, 20, 0, tzinfo=tz))
    later = SimpleNamespace(staff="lina", on_call=False,
                            start=datetime(2026, 10, 6, 12, 0, tzinfo=tz), end=day.end)
    assert on_site(night, datetime(2026, 10, 6, 21, 59, tzinfo=tz), window, [day])
    assert not on_site(night, datetime(2026, 10, 6, 22, 0, tzinfo=tz), window, [day])
    assert not on_site(night, datetime(2026, 10, 6, 11, 0, tzinfo=tz), window, [later])


def test_a_day_and_night_worked_on_one_clock_in_is_on_duty_through_both(cli, workspace,
                                                                        clock):
    """张伟 rostered for 10-05's day and its night (连班) clocks in once at 07:55: at 22:00
    `who` said he had not clocked in ("call them"), as his duty's recorded shift had ended
    at 20:00; he is on duty through the night, as attendance counts it."""
    import json

    from tests.helpers_desk import write_desk_rules, write_roster

    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31", [
        ("2026-10-05", "day", "zhangwei"), ("2026-10-05", "night", "zhangwei"),
        ("2026-10-06", "day", "sunli")])
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    for moment in ("2026-10-05T21:59:00+08:00", "2026-10-05T23:00:00+08:00",
                   "2026-10-06T07:30:00+08:00"):
        clock.set(moment)
        shown = cli("who")
        assert "not clocked in" not in shown.stdout, (moment, shown.stdout)
        rows = json.loads(cli("who", "-f", "json").stdout)["on_duty"]
        assert [(row["staff"], row["clocked_in"]) for row in rows] == [("zhangwei", True)]


def test_clock_status_says_a_duty_left_open_past_its_shift(cli, october_desk, clock):
    """`打卡 状态` listed 李娜, clocked in for 10-05's night and never out, as in at noon the next
    day, where `list` and the reports say 未签退: said so."""
    import json

    assert cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 19:55").exit_code == 0
    clock.set("2026-10-06T07:00:00+08:00")  # her night still on
    assert json.loads(cli("clock", "status", "-f", "json").stdout)[0]["left_open"] is False
    assert "not clocked out" not in cli("clock", "status").stdout
    clock.set("2026-10-06T12:00:00+08:00")
    assert json.loads(cli("clock", "status", "-f", "json").stdout)[0]["left_open"] is True
    (row,) = [line for line in cli("clock", "status").stdout.splitlines() if "李娜" in line]
    assert "on time; not clocked out" in row, row
