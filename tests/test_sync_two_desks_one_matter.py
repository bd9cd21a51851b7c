"""Two desks between syncs: one repair dispatched to two technicians, and one matter filed as
two tickets. Through real git (a file remote), as tests/test_sync.py sets two desks up."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from dutyctl.check import check_workspace
from dutyctl.records import ASSIGNED_AFTER, assignment_conflict
from dutyctl.workspace import Workspace
from tests.conftest import Cli, run_dutyctl
from tests.test_sync import clone, file_remote, first_desk, no_git_config, sync  # noqa: F401

__all__ = ["file_remote", "no_git_config"]  # fixtures pytest finds here by name

LEAK = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")


def filed(desk: Path, *args: str, user: str = "zhangwei") -> str:
    made = Cli(desk)("repair", "file", *args, user=user)
    assert made.exit_code == 0, made.stderr
    return made.stdout.strip()


def dispatch(desk: Path, repair: str, to: str, at: str, user: str = "zhangwei") -> None:
    sent = Cli(desk)("repair", "dispatch", repair, "--to", to, "--at", at, user=user)
    assert sent.exit_code == 0, sent.stderr


def filed_repair(workspace, phone: str, room: str, content: str, minute: int, by: str) -> str:
    """A repair for 张三 filed by `by` on 2026-10-12 at 09:`minute` (Shanghai): its id."""
    from datetime import timedelta, timezone

    from dutyctl.tickets import lifecycle

    return lifecycle.file_ticket(
        workspace.store, workspace.config, "repair",
        resident={"name": "张三", "room": room, "phone": phone}, category=None,
        content=content, urgency=None,
        at=datetime(2026, 10, 12, 9, minute, tzinfo=timezone(timedelta(hours=8))), by=by).id


def two_desks(tmp_path: Path, url: str) -> tuple[Path, Path]:
    front = first_desk(tmp_path, url)
    assert sync(front).exit_code == 0
    return front, clone(tmp_path, url, "night-desk")


def test_a_repair_two_desks_dispatched_to_different_technicians_is_said_and_flagged(
        tmp_path, file_remote, dutyctl_command):
    front, night = two_desks(tmp_path, file_remote)
    repair = filed(front, *LEAK, "--content", "卫生间漏水", "--at", "2026-10-12 09:00")
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0  # both have the repair
    dispatch(front, repair, "wangqiang", "2026-10-12 09:05")
    dispatch(night, repair, "liuyang", "2026-10-12 09:07", user="lina")
    assert sync(front).exit_code == 0
    merged = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "sync", root=night)
    assert merged.returncode == 0, merged.stderr
    short = repair[:12]
    said = merged.stderr.strip().splitlines()
    assert len(said) == 1, merged.stderr
    assert said[0].startswith(f"同步带来：报修 {short} ")
    assert "王强（张伟 2026-10-12 09:05 派）" in said[0] and "刘洋（李娜 2026-10-12 09:07 派）" in said[0]
    assert f"dutyctl 报修 派工 {short} --派给" in said[0]
    # the other desk learns it from its own sync too (a fast-forward: the merge was night's)
    learnt = sync(front)
    assert learnt.exit_code == 0 and learnt.stderr == (
        f"brought by the sync: repair {short} 3-2-501 卫生间漏水: dispatched to 王强 (sent by "
        "张伟 at 2026-10-12 09:05), 刘洋 (sent by 李娜 at 2026-10-12 09:07) on desks that had "
        "not synced, neither knowing of the other: both may be on their way, or neither; find "
        f"out who goes, then dispatch it again to them: dutyctl repair dispatch {short} --to "
        "STAFF\n"), learnt.stderr
    for desk in (front, night):  # check, show and the handover say it until settled
        checked = Cli(desk)("--lang", "zh_CN", "检查")
        assert checked.exit_code == 1 and "王强" in checked.stdout and "刘洋" in checked.stdout
        shown = Cli(desk)("--lang", "zh_CN", "查看", repair)
        assert "冲突" in shown.stdout and "两个值班台未同步" in shown.stdout
    handover = Cli(night)("--lang", "zh_CN", "交接班", "--接班人", "chenjing", "--时间",
                          "2026-10-12 09:30", user="lina")
    assert handover.exit_code == 0, handover.stderr
    assert "需要决定" in handover.stderr and "王强、刘洋" in handover.stderr
    # a dispatch made after seeing both settles it
    dispatch(night, repair, "liuyang", "2026-10-12 09:40", user="lina")
    record = Workspace(night).store.get(repair)
    assert assignment_conflict(record) == ()
    assert len(record.events[-1].data[ASSIGNED_AFTER]) == 2
    assert not [problem for problem in check_workspace(Workspace(night))
                if "刘洋" in problem.message]
    assert sync(night).exit_code == 0 and sync(front).exit_code == 0
    assert Cli(front)("check").exit_code == 0


def test_dispatches_of_one_desk_and_after_a_sync_are_no_conflict(tmp_path, file_remote):
    front, night = two_desks(tmp_path, file_remote)
    repair = filed(front, *LEAK, "--content", "卫生间漏水", "--at", "2026-10-12 09:00")
    dispatch(front, repair, "wangqiang", "2026-10-12 09:05")
    dispatch(front, repair, "liuyang", "2026-10-12 09:06")  # sent again at one desk
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0
    dispatch(night, repair, "gaofeng", "2026-10-12 09:10", user="lina")  # after seeing them
    assert sync(night).exit_code == 0
    merged = sync(front)
    assert merged.exit_code == 0 and merged.stderr == "", merged.stderr
    assert assignment_conflict(Workspace(front).store.get(repair)) == ()
    assert Cli(front)("check").exit_code == 0


def test_one_matter_filed_on_two_desks_is_said_and_listed_with_the_way_to_close_one(
        tmp_path, file_remote, dutyctl_command):
    front, night = two_desks(tmp_path, file_remote)
    first = filed(front, *LEAK, "--content", "卫生间漏水", "--at", "2026-10-12 09:00")
    second = filed(night, "--name", "张三", "--room", "3-2-501", "--phone", "13900001111",
                   "--content", "501卫生间天花板漏水，楼上渗下来", "--at", "2026-10-12 09:20",
                   user="lina")
    other = filed(night, "--name", "李四", "--room", "5-1-1202", "--phone", "13900002222",
                  "--content", "卫生间漏水", "--at", "2026-10-12 09:25", user="lina")
    assert sync(front).exit_code == 0
    merged = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "sync", root=night)
    assert merged.returncode == 0, merged.stderr
    said = merged.stderr.strip().splitlines()
    assert len(said) == 1, merged.stderr
    assert said[0].startswith(f"同步带来：报修 {second[:12]} 与 {first[:12]}（3-2-501）像是同一件事登记了两次"), said
    assert (f"dutyctl 报修 关闭 {second[:12]} --关闭方式 重复 --保留 {first[:12]} --原因"
            in said[0])
    # the desk that synced first learns it when the other desk's ticket comes
    learnt = sync(front)
    assert learnt.exit_code == 0 and learnt.stderr.startswith(
        f"brought by the sync: repair {second[:12]} and {first[:12]} (3-2-501) look like one "
        "matter filed twice"), learnt.stderr
    for desk in (front, night):
        checked = Cli(desk)("--lang", "zh_CN", "检查")
        assert checked.exit_code == 1, checked.stderr
        (line,) = checked.stdout.splitlines()
        assert f"报修 {second[:12]} 与 {first[:12]}" in line and other[:12] not in line
    closed = Cli(front)("repair", "close", second, "--as", "duplicate", "--of", first,
                        "--reason", "同一件事", "--at", "2026-10-12 09:40")
    assert closed.exit_code == 0, closed.stderr
    assert second[:12] not in Cli(front)("check").stdout


def test_one_number_written_two_ways_is_one_caller(workspace):
    """The two desks wrote the caller's number as 138 0000 0005 and 13800000005 (rooms apart:
    one gave the flat, one the building's lift): compared as written, they were two callers and
    the pair was never said."""
    first = filed_repair(workspace, "138 0000 0005", "3-2-501", "电梯门关不上", 0, "zhangwei")
    second = filed_repair(workspace, "13800000005", "3号楼电梯", "3号楼电梯门关不上", 20, "lina")
    (said,) = [problem.message for problem in check_workspace(workspace)
               if second[:12] in problem.message]
    assert first[:12] in said, said


def test_a_closed_ticket_is_no_pair_for_sync_as_for_check(tmp_path, file_remote,
                                                          dutyctl_command):
    """The night desk filed the leak and closed it (a mistake) before syncing; the front desk
    had filed it too: check compares open tickets only and says nothing, sync said the pair
    and told the desk to close one as a duplicate of the other — the one closed already."""
    front, night = two_desks(tmp_path, file_remote)
    filed(front, *LEAK, "--content", "卫生间漏水", "--at", "2026-10-12 09:00")
    second = filed(night, *LEAK, "--content", "501卫生间漏水", "--at", "2026-10-12 09:20",
                   user="lina")
    closed = Cli(night)("repair", "close", second, "--as", "invalid", "--reason", "登记错了",
                        "--at", "2026-10-12 09:25", user="lina")
    assert closed.exit_code == 0, closed.stderr
    assert sync(front).exit_code == 0
    merged = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "sync", root=night)
    assert merged.returncode == 0, merged.stderr
    assert "同一件事" not in merged.stderr, merged.stderr
    learnt = sync(front)
    assert learnt.exit_code == 0 and "one matter" not in learnt.stderr, learnt.stderr
    assert Cli(night)("check").exit_code == 0


def transfer(desk: Path, complaint: str, to: str, at: str, user: str = "zhangwei") -> None:
    sent = Cli(desk)("complaint", "transfer", complaint, "--to", to, "--reason", "超出职责",
                     "--told-resident", "已转交", "--at", at, user=user)
    assert sent.exit_code == 0, sent.stderr


def test_a_complaint_two_desks_transferred_to_different_departments_is_said_and_flagged(
        tmp_path, file_remote, dutyctl_command):
    """The front desk sent the noise complaint to 秩序维护部, the night desk (not synced) to
    the 居委会: each thought one department had it, and nothing said the two transfers
    clashed — the complaint simply showed the later one."""
    front, night = two_desks(tmp_path, file_remote)
    made = Cli(front)("complaint", "file", *LEAK, "--content", "楼上装修噪音", "--at",
                      "2026-10-12 09:00")
    assert made.exit_code == 0, made.stderr
    complaint, short = made.stdout.strip(), made.stdout.strip()[:12]
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0
    transfer(front, complaint, "security", "2026-10-12 09:10")
    transfer(night, complaint, "residents-committee", "2026-10-12 09:12", user="lina")
    assert sync(front).exit_code == 0
    merged = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "sync", root=night)
    assert merged.returncode == 0, merged.stderr
    (said,) = merged.stderr.strip().splitlines()
    assert said.startswith(f"同步带来：投诉 {short} "), said
    assert ("秩序维护部（张伟 2026-10-12 09:10 转交）、社区居委会（李娜 2026-10-12 09:12 转交）"
            in said), said
    assert f"dutyctl 投诉 转交 {short} --转给 部门 --原因 原因 --答复 告知内容" in said, said
    assert sync(front).exit_code == 0
    for desk in (front, night):  # check, show and the handover say it until settled
        checked = Cli(desk)("--lang", "zh_CN", "检查")
        assert checked.exit_code == 1 and "分别转交给了 秩序维护部" in checked.stdout
        assert "两个值班台未同步" in Cli(desk)("--lang", "zh_CN", "查看", complaint).stdout
    handover = Cli(night)("--lang", "zh_CN", "交接班", "--接班人", "chenjing", "--时间",
                          "2026-10-12 09:30", user="lina")
    assert handover.exit_code == 0, handover.stderr
    assert "［需要决定：两个值班台未同步时分别转交给了 秩序维护部、社区居委会］" in handover.stderr
    # a transfer made after seeing both settles it; one desk's transfers one after the other
    # never clashed
    transfer(night, complaint, "security", "2026-10-12 09:40", user="lina")
    transfer(night, complaint, "engineering", "2026-10-12 09:45", user="lina")
    assert Cli(night)("check").exit_code == 0
    assert sync(night).exit_code == 0 and sync(front).exit_code == 0
    assert Cli(front)("check").exit_code == 0


def test_the_news_of_a_desk_back_from_a_day_offline_is_bounded_and_counted(tmp_path,
                                                                           file_remote):
    """Both desks filed the leaks of one burst riser, flat by flat, without syncing: the sync
    that brought them said one line per pair, a screenful a clerk (or the cron log) reads
    none of. It says the first few and counts the rest; check still lists every one."""
    from dutyctl.sync import TICKET_NEWS_SHOWN

    front, night = two_desks(tmp_path, file_remote)
    flats = TICKET_NEWS_SHOWN + 2
    for floor in range(1, flats + 1):
        filed(front, "--name", "张三", "--room", f"3-2-{floor}01", "--phone",
              f"138000000{floor:02d}", "--content", "卫生间漏水", "--at",
              f"2026-10-12 09:{floor:02d}")
        filed(night, "--name", "张三", "--room", f"3号楼2单元{floor}01", "--phone",
              f"139000000{floor:02d}", "--content", "卫生间天花板漏水", "--at",
              f"2026-10-12 09:{floor + 20:02d}", user="lina")
    assert sync(front).exit_code == 0
    merged = Cli(night)("--lang", "zh_CN", "sync")
    assert merged.exit_code == 0, merged.stderr
    said = merged.stderr.strip().splitlines()
    assert len(said) == TICKET_NEWS_SHOWN + 1, merged.stderr
    assert all("像是同一件事登记了两次" in line for line in said[:-1]), said
    assert said[-1] == ("同步带来的同类情况还有 2 项未在此列出（2 对像是同一件事登记了两次的工单）："
                        "dutyctl 检查 会全部列出"), said[-1]
    checked = Cli(night)("check")
    assert checked.exit_code == 1 and len(checked.stdout.splitlines()) == flats, checked.stdout


def test_one_room_written_two_ways_is_one_room_for_twins(workspace):
    """One desk's file kept the room as the clerk wrote it (3号楼2单元501: written by hand, or
    by a program that does not tidy rooms), the other's as 3-2-501, and the phones differ:
    compared as written, the two leaks were two rooms and the pair was never said, though
    `房号 3-2-501` lists both."""
    first = filed_repair(workspace, "13800000005", "3号楼2单元501", "卫生间漏水", 0, "zhangwei")
    second = filed_repair(workspace, "13900000006", "3-2-501", "卫生间天花板漏水", 20, "lina")
    (said,) = [problem.message for problem in check_workspace(workspace)
               if second[:12] in problem.message]
    assert first[:12] in said, said


def test_a_complaint_transferred_two_ways_is_listed_while_dutyctl_yaml_is_in_conflict(
        workspace):
    """git pull stopped at dutyctl.yaml (both desks changed the hotline) on a desk that also
    had a complaint transferred two ways: check, the command that says what to do about the
    conflict, stopped with an unexpected error naming the departments."""
    from datetime import datetime, timedelta, timezone

    from dutyctl.tickets import lifecycle

    cst = timezone(timedelta(hours=8))
    complaint = lifecycle.file_ticket(
        workspace.store, workspace.config, "complaint",
        resident={"name": "张三", "room": "3-2-501", "phone": "13800000005"}, category=None,
        content="楼上装修噪音", urgency=None, at=datetime(2026, 10, 12, 9, 0, tzinfo=cst),
        by="zhangwei")
    for minute, department, by in ((10, "security", "zhangwei"),
                                   (12, "residents-committee", "lina")):
        # each desk transfers the complaint as it stood before either transfer
        lifecycle.transfer(workspace.store, workspace.config, complaint, department=department,
                           reason="超出职责", told_resident="已转交",
                           at=datetime(2026, 10, 12, 9, minute, tzinfo=cst), by=by)
    config = workspace.root / "dutyctl.yaml"
    config.write_text("<<<<<<< HEAD\n" + config.read_text(encoding="utf-8") + "=======\n"
                      ">>>>>>> origin/main\n", encoding="utf-8")
    found = [problem.message for problem in check_workspace(Workspace(workspace.root))
             if complaint.short_id in problem.message]
    assert len(found) == 1 and "security" in found[0] and "residents-committee" in found[0], found


def test_one_call_out_started_on_two_desks_ends_once_and_counts_once(tmp_path, file_remote):
    """Both desks called 王强 in for a burst pipe at night before syncing: after the sync he
    had two call-outs under way; his return ended one, the other stayed 出勤中 for ever (and
    refused his next call-out, 'already called out since ...')."""
    from dutyctl.desk.callout import under_way
    from dutyctl.desk.sessions import session_of
    from dutyctl.kinds.callout import END

    front, night = two_desks(tmp_path, file_remote)
    for desk, at, user in ((front, "2026-10-09 22:10", "zhangwei"),
                           (night, "2026-10-09 22:12", "lina")):
        started = Cli(desk)("callout", "start", "王强", "--at", at, user=user)
        assert started.exit_code == 0, started.stderr
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0
    back = Cli(night)("--lang", "zh_CN", "备班", "返回", "王强", "--时间", "2026-10-10 00:30",
                      user="lina")
    assert back.exit_code == 0, back.stderr
    assert "两个值班台未同步" in back.stderr and "不计工时" in back.stderr, back.stderr
    store = Workspace(night).store
    assert under_way(store) == []
    hours = sorted(session_of(record, ended_by=END).end - record.created_at
                   for record in store.scan(date(2026, 10, 9), date(2026, 10, 10),
                                            ("callout",)).records)
    assert [minutes.seconds // 60 for minutes in hours] == [0, 140], hours
    from dutyctl.desk.clocking import attendance_for

    desk = Workspace(night)
    month = attendance_for(desk, date(2026, 10, 1), date(2026, 10, 31),
                           now=datetime(2026, 11, 1, tzinfo=desk.config.tz))
    (wang,) = [row for row in month.people if row.call_outs]
    assert (wang.call_outs, wang.call_out_time.seconds // 60) == (1, 140)  # came in once
    again = Cli(night)("callout", "start", "王强", "--at", "2026-10-10 23:00", user="lina")
    assert again.exit_code == 0, again.stderr


def test_a_setting_the_other_desk_changed_is_said_by_the_sync_that_brings_it(tmp_path,
                                                                              file_remote):
    """The front desk changed the hotline in dutyctl.yaml; the night desk's sync said only
    'merged 0 record(s)', and its clerk went on giving residents the old number."""
    from tests.helpers_foundation import git, identify

    front, night = two_desks(tmp_path, file_remote)
    identify(front)
    config = front / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert 'hotline: "0571-88886666"' in text
    config.write_text(text.replace("0571-88886666", "0571-88887777"), encoding="utf-8")
    git(front, "commit", "-q", "-am", "新热线")
    assert sync(front).exit_code == 0
    identify(night)  # the night desk renamed a department meanwhile: the sync merges both
    ours = night / "dutyctl.yaml"
    ours.write_text(ours.read_text(encoding="utf-8").replace("{name: 财务部}", "{name: 财务室}"),
                    encoding="utf-8")
    git(night, "commit", "-q", "-am", "部门改名")
    merged = Cli(night)("--lang", "zh_CN", "sync")
    assert merged.exit_code == 0 and merged.stdout.startswith("已从 origin/main 合并 0 条记录")
    said = re.fullmatch(r"dutyctl.yaml：同步带来了另一值班台的修改（用 git diff (\w+) HEAD -- "
                        r"dutyctl.yaml 查看改了什么）\n", merged.stderr)
    assert said, merged.stderr
    shown = git(night, "diff", said.group(1), "HEAD", "--", "dutyctl.yaml")  # what it says
    assert "+  hotline: \"0571-88887777\"" in shown and "财务" not in shown, shown
    again = Cli(night)("sync")  # said once: by the sync that brought it
    assert again.exit_code == 0 and again.stderr == "", again.stderr


def test_one_landline_written_two_ways_is_one_phone_for_twins(workspace):
    """One desk filed the leak from `0571 8888 6666` at 3-2-501, the other from `+86
    571-88886666` at the caller's other flat: one number (`schema.same_number`), compared
    digit for digit (86 kept) it was two, and the rooms differ: the pair was never said."""
    first = filed_repair(workspace, "0571 8888 6666", "3-2-501", "卫生间漏水", 0, "zhangwei")
    second = filed_repair(workspace, "+86 571-88886666", "5-1-101", "卫生间天花板漏水", 20,
                          "lina")
    (said,) = [problem.message for problem in check_workspace(workspace)
               if second[:12] in problem.message]
    assert first[:12] in said, said
