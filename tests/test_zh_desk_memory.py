"""The desk's memory typed only in Chinese (a site made by `dutyctl 初始化`): residents,
rooms, callers, the duty log, checklists and call-outs, with the slips a clerk makes (a room
written 5栋1单元1202 or 5-1-1202室, a phone with spaces or full-width digits, a name with a
title, a time 下午三点半): what was said wrongly, or in English, or not at all."""

from __future__ import annotations

import pytest

from dutyctl.workspace import init_workspace
from tests.conftest import Cli
from tests.test_zh_month import ZH


@pytest.fixture
def site(tmp_path, clock):
    """A site as `dutyctl 初始化` writes it in Chinese, the clock at 2026-11-20 10:00."""
    clock.set("2026-11-20T10:00:00+08:00")
    root = tmp_path / "站"
    init_workspace(root, "zh_CN")
    return Cli(root)


def said(site, *args, user="陈静"):
    """What a command run at the Chinese site says, in the system's Chinese."""
    return site(*args, user=user, env=ZH)


def test_a_rooms_residents_are_not_counted_again_as_records_naming_it(site):
    """`房号 5-1-1202` listed the two residents registered there, then said 另有 2 条记录的
    文字里提到 5-1-1202 and sent the clerk to `查找`, which found the same two: the register's
    entries shown are not other records. A call that names the room in its words still is."""
    for name, room, phone in (("王师傅", "5栋1单元1202", "139 0000 1111"),
                              ("李四", "5-1-1202室", "１３９００００２２２２")):
        assert said(site, "住户", "登记", "--姓名", name, "--房号", room, "--电话", phone,
                    "--时间", "2026-11-20 09:00").exit_code == 0
    shown = said(site, "房号", "5栋1单元1202")
    assert shown.exit_code == 0 and "王师傅" in shown.stdout and "李四" in shown.stdout
    assert "文字里提到" not in shown.stderr, shown.stderr
    assert said(site, "来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222",
                "--摘要", "楼上5-1-1202漏水", "--时间", "2026-11-20 09:30").exit_code == 0
    shown = said(site, "房号", "5-1-1202室")
    assert "另有 1 条记录的文字里提到 5-1-1202：dutyctl 查找 5-1-1202" in shown.stderr, \
        shown.stderr


def test_a_notice_typed_after_tongzhi_is_told_the_duty_logs_command(site):
    """The duty log's kinds are 巡查、来访、钥匙、快递、通知、记事, and `巡查 …`, `来访 …` log
    them; `通知 明天停水` was refused as no command of the robots' 通知 group, nothing said of
    where a notice goes. Now the line to type (`公告`, with the options typed), which logs it;
    a slip for one of 通知's own commands is still told that command."""
    from tests.helpers_desk import record_files

    files = record_files(site.root)
    refused = said(site, "通知", "明天停水", "--时间", "09:00")
    assert refused.exit_code == 2
    assert "值班记录里的通知（停水、停电等）请写 dutyctl 公告 \"明天停水\" --时间 09:00" \
        in refused.stderr, refused.stderr
    assert record_files(site.root) == files
    logged = said(site, "公告", "明天停水", "--时间", "09:00")
    assert logged.exit_code == 0, logged.stderr
    listed = said(site, "列表", "--种类", "通知")
    assert "值班记录·通知" in listed.stdout and "明天停水" in listed.stdout, listed.stdout
    slip = said(site, "通知", "测式")
    assert slip.exit_code == 2 and "是不是要输入 测试" in slip.stderr, slip.stderr
    assert "公告" not in slip.stderr


def test_a_building_written_in_chinese_numerals_is_the_buildings_number(site):
    """五号楼 was kept as typed: a resident registered at 五号楼 (a whole building), 五号楼二单元
    or 五号楼电梯, refused when written 5号楼; a patrol at 五号楼 was not under `房号 5号楼`;
    五号楼1202 was not 5-1202. Now a building in Chinese numerals is its number, as 三号楼二单元501
    was 3-2-501 already; 两栋之间 (two buildings) and 三栋楼 (three) stay words."""
    from tests.helpers_desk import record_files

    person = ("--电话", "13900007777", "--时间", "2026-11-20 09:00")
    files = record_files(site.root)
    for typed, said_as in (("五号楼", "“五号楼”是整栋楼，不是房号"),
                           ("五号楼二单元", "“五号楼二单元”是整个单元，不是房号"),
                           ("五号楼电梯", "“五号楼电梯”是小区的公共部位，不是房号")):
        refused = said(site, "住户", "登记", "--姓名", "甲", "--房号", typed, *person)
        assert refused.exit_code == 2 and refused.stderr.startswith(said_as), refused.stderr
    assert record_files(site.root) == files
    assert said(site, "住户", "登记", "--姓名", "乙", "--房号", "五号楼1202", *person).exit_code == 0
    assert said(site, "巡查", "消防通道畅通", "--地点", "五号楼", "--时间", "2026-11-20 09:10"
                ).exit_code == 0
    shown = said(site, "房号", "5号楼")
    assert "5-1202" in shown.stdout and "消防通道畅通" in shown.stdout, shown.stdout
    assert "五号楼" not in shown.stdout, shown.stdout
    from dutyctl.rooms import normalise
    assert [normalise(typed) for typed in ("两栋之间", "三栋楼停电", "十二号楼三单元")] == [
        "两栋之间", "三栋楼停电", "12-3"]


def test_a_buildings_history_counts_no_records_naming_its_bare_number(site):
    """`房号 5号楼` counted the records whose words hold a 5 (另有 1 条记录的文字里提到 5：
    dutyctl 查找 5, and 查找 5 listed 3-2-501): the count is of a room's mentions only."""
    assert said(site, "住户", "登记", "--姓名", "赵六", "--房号", "3-2-501", "--电话",
                "13700002222", "--时间", "2026-11-20 09:00").exit_code == 0
    assert said(site, "巡查", "5号楼消防通道畅通", "--地点", "5号楼", "--时间",
                "2026-11-20 09:10").exit_code == 0
    shown = said(site, "房号", "五号楼")
    assert shown.exit_code == 0 and "消防通道畅通" in shown.stdout, shown.stdout
    assert "文字里提到" not in shown.stderr, shown.stderr


def test_an_index_of_the_rooms_keyed_before_is_made_again(site, monkeypatch):
    """An index made while 五号楼1202 was keyed as typed (format 15) listed its resident twice
    once 五号楼1202 was 5-1202 (the entry not covering the index's key of its own record):
    the index's format says what its keys are, and an older one is made again."""
    import re

    from dutyctl import rooms
    from dutyctl.store import index

    with monkeypatch.context() as before:  # the code before: 五号楼 kept as typed, format 15
        before.setattr(rooms, "_CHINESE_BUILDING", re.compile(r"(?!)"))
        before.setattr(index, "VERSION", "15")
        assert said(site, "住户", "登记", "--姓名", "乙", "--房号", "五号楼1202", "--电话",
                    "13900007779", "--时间", "2026-11-20 09:00").exit_code == 0
        assert said(site, "住户", "列表").stdout.count("7779") == 1
    index._room_key.cache_clear()  # a new version's first command: a process of its own
    listed = said(site, "住户", "列表")
    assert listed.stdout.count("7779") == 1, listed.stdout


def test_a_correction_to_what_is_registered_already_is_told_so(site):
    """`住户 修改 王建国 --房号 五号楼1单元1202` of a resident at 5-1-1202 was told 没有要修改的
    内容：请用 --姓名、--房号 或 --电话 给出新的值 (they had); the same phone with spaces
    (139 0000 8888 for 13900008888) was recorded as a correction of the phone. Now both say
    what the register has already, and nothing is written."""
    from tests.helpers_desk import record_files

    assert said(site, "住户", "登记", "--姓名", "王建国", "--房号", "5-1-1202", "--电话",
                "13900008888", "--时间", "2026-11-20 09:00").exit_code == 0
    files = record_files(site.root)
    for option, typed, has in (("--房号", "五号楼1单元1202", "--房号 5-1-1202"),
                               ("--电话", "139 0000 8888", "--电话 139****8888"),
                               ("--电话", "１３９００００８８８８", "--电话 139****8888")):
        refused = said(site, "住户", "修改", "王建国", option, typed)
        assert refused.exit_code == 2, (typed, refused.stdout)
        assert refused.stderr == f"没有要修改的内容：登记的已经是 {has}\n", refused.stderr
    assert record_files(site.root) == files
    refused = said(site, "住户", "修改", "王建国")
    assert refused.stderr == "没有要修改的内容：请用 --姓名、--房号 或 --电话 给出新的值\n"
    assert said(site, "住户", "修改", "王建国", "--电话", "13900009999").exit_code == 0
