"""Emergencies, complaints and repairs as a Chinese desk walks them: every step named in
Chinese, a record typed as the desk knows it (room, phone, name, an emergency's type), steps
that make no sense refused with what to type instead."""

from __future__ import annotations

import json

from datetime import datetime, timedelta, timezone

import pytest

from dutyctl import messages
from dutyctl.errors import InputError, NotFound, Refused
from dutyctl.records import kinds
from dutyctl.tickets import lifecycle
from dutyctl.tickets.find import record_named
from dutyctl.words import ACTIONS, translated
from tests.conftest import run_dutyctl
from tests.helpers_desk import ok as succeeded

CST = timezone(timedelta(hours=8))
RESIDENT = {"name": "李四", "room": "5-1-1202", "phone": "13900001111"}
TYPED = ("--name", "李四", "--room", "5-1-1202", "--phone", "13900001111")
ZH = {"DUTYCTL_LANG": "zh_CN"}


def ok(cli, *args, env=ZH):
    """A command typed (in Chinese unless `env` says) that must succeed: its result."""
    return succeeded(cli(*args, env=env))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.forget_language()
    yield
    messages.forget_language()


def file_repair(workspace, content="厨房灯不亮", when="2026-11-02 09:00", resident=RESIDENT):
    return lifecycle.file_ticket(workspace.store, workspace.config, "repair", resident=resident,
                                 category=None, content=content, urgency=None, at=at(when),
                                 by="chenjing")


# -- core -------------------------------------------------------------------------------------

def test_every_step_of_every_kind_has_a_chinese_word(chinese):
    """A step's history line and its "已记录…" line name the step in Chinese (reopen was
    shown as the English id: 已记录reopen)."""
    for name, spec in kinds().items():
        for action in spec.transitions:
            assert action in ACTIONS, (name, action)
            word = translated(ACTIONS[action])
            assert word != action and not word.isascii(), (name, action, word)


def test_a_second_arrival_for_one_dispatch_is_refused(workspace):
    store = workspace.store
    repair = file_repair(workspace)
    repair, _, _ = lifecycle.dispatch(workspace, repair, "wangqiang", at=at("2026-11-02 09:10"),
                                      by="chenjing")
    repair = lifecycle.arrive(store, repair, at=at("2026-11-02 09:30"), by="chenjing")
    with pytest.raises(Refused, match="already has its arrival for this dispatch"):
        lifecycle.arrive(store, repair, at=at("2026-11-02 09:40"), by="chenjing")
    # back after a hold (parts came), or sent again: another arrival is a real one
    repair = lifecycle.hold(store, repair, "等配件", at=at("2026-11-02 10:00"), by="chenjing")
    repair = lifecycle.resume(store, repair, None, at=at("2026-11-03 09:00"), by="chenjing")
    repair = lifecycle.arrive(store, repair, at=at("2026-11-03 09:30"), by="chenjing")
    repair, _, _ = lifecycle.dispatch(workspace, repair, "liuyang", at=at("2026-11-03 10:00"),
                                      by="chenjing")
    repair = lifecycle.arrive(store, repair, at=at("2026-11-03 10:30"), by="chenjing")
    assert [event.action for event in repair.events].count("arrive") == 3


def test_a_refused_step_says_which_step_comes_first(workspace):
    store = workspace.store
    repair = file_repair(workspace)
    with pytest.raises(Refused) as undispatched:
        lifecycle.done(store, repair, "换灯泡", None, at=at("2026-11-02 09:30"), by="chenjing")
    assert str(undispatched.value).endswith(
        f"first dispatch: dutyctl repair dispatch {repair.short_id}")
    cancelled = lifecycle.close(store, repair, "withdrawn", "住户自己修好了", None,
                                at=at("2026-11-02 09:40"), by="chenjing")
    with pytest.raises(Refused) as closed:
        lifecycle.dispatch(workspace, cancelled, "wangqiang", at=at("2026-11-02 09:50"),
                           by="chenjing")
    assert f"first reopen: dutyctl repair reopen {repair.short_id}" in str(closed.value)
    # nothing to suggest that leads there in one step: no hint, and never "close it first"
    complaint = lifecycle.file_ticket(store, workspace.config, "complaint", resident=RESIDENT,
                                      category=None, content="噪音", urgency=None,
                                      at=at("2026-11-02 10:00"), by="chenjing")
    with pytest.raises(Refused) as reopened:
        lifecycle.reopen(store, complaint, "x", at=at("2026-11-02 10:10"), by="chenjing")
    assert "first" not in str(reopened.value)
    # three statuses or more read as a list, not "a or b or c"
    resolved = lifecycle.resolve(store, complaint, "已劝导", at=at("2026-11-02 10:20"),
                                 by="chenjing")
    with pytest.raises(Refused, match="when it is open, handling, transferred or on-hold"):
        lifecycle.resolve(store, resolved, "again", at=at("2026-11-02 10:30"), by="chenjing")


def test_an_open_ticket_is_found_by_its_phone_in_another_spelling(workspace):
    """A repair filed with `0571-88886666` named by `+86 571 8888 6666` (or a mobile filed
    with +86 named without it): one number, as the residents' index keys it (same_number);
    compared digit for digit, 86 kept, neither was found."""
    store, config = workspace.store, workspace.config
    landline = file_repair(workspace, "门禁打不开", "2026-11-02 09:30",
                           {"name": "王五", "room": "6-2-801", "phone": "0571-88886666"})
    mobile = file_repair(workspace, "灯不亮", "2026-11-02 09:40",
                         {"name": "赵六", "room": "7-1-101", "phone": "+86 13600003333"})
    for typed in ("+86 571 8888 6666", "0571 8888 6666", "057188886666"):
        assert record_named(store, config, typed, ("repair",)).id == landline.id, typed
    for typed in ("13600003333", "136 0000 3333", "+86 136 0000 3333"):
        assert record_named(store, config, typed, ("repair",)).id == mobile.id, typed


def test_an_open_ticket_is_found_by_room_phone_name_or_type(workspace):
    store, config = workspace.store, workspace.config
    repair = file_repair(workspace)
    other = file_repair(workspace, "门禁打不开", "2026-11-02 09:30",
                        {"name": "王五", "room": "6-2-801", "phone": "13600003333"})
    for typed in ("5-1-1202", "5栋1单元1202室", "13900001111", "李 四", repair.short_id):
        assert record_named(store, config, typed, ("repair",)).id == repair.id, typed
    assert record_named(store, config, "王五", ("repair",)).id == other.id
    emergency = lifecycle.open_emergency(store, config, type_id="power-outage", where="3号楼",
                                         content="3号楼整栋停电", resident=None,
                                         at=at("2026-11-02 16:00"), by="chenjing")
    for typed in ("停电", "3号楼", "3栋"):
        assert record_named(store, config, typed, ("emergency",)).id == emergency.id, typed
    # reported by a resident: named by the reporter's room and by its place alike (the
    # place was not looked at once a reporter's room was there)
    lifecycle.close_emergency(store, emergency, "误报", at=at("2026-11-02 16:30"), by="chenjing")
    reported = lifecycle.open_emergency(store, config, type_id="power-outage", where="4号楼",
                                        content="4号楼整栋停电", resident=RESIDENT,
                                        at=at("2026-11-02 16:40"), by="chenjing")
    for typed in ("4号楼", "4栋", "5-1-1202", "停电"):
        assert record_named(store, config, typed, ("emergency",)).id == reported.id, typed
    # a second open repair for the same resident: both listed, the id asked for
    again = file_repair(workspace, "卫生间漏水", "2026-11-02 11:00")
    with pytest.raises(InputError) as several:
        record_named(store, config, "李四", ("repair",))
    assert repair.short_id in str(several.value) and again.short_id in str(several.value)
    assert "give the id of the one meant" in str(several.value)
    # closed ones are not "open": the room or number names the newest closed one, which
    # the step is not taken on, with its id and how to reopen it (3 a.m.: `repair done
    # 6-2-801` for a repair closed already)
    lifecycle.close(store, other, "invalid", "误报", None, at=at("2026-11-02 12:00"),
                    by="chenjing")
    for typed in ("6-2-801", "6栋2单元801室", "13600003333"):
        with pytest.raises(Refused) as closed:
            record_named(store, config, typed, ("repair",))
        said = str(closed.value)
        assert f"has no open repair: the latest, {other.short_id} (" in said, said
        assert "门禁打不开" in said and f"dutyctl repair reopen {other.short_id}" in said
    with pytest.raises(NotFound, match="dutyctl list --open --kind repair"):
        record_named(store, config, "6-2-802", ("repair",))
    for area in ("6", "6-2"):  # a building or unit is not the room of the one closed there
        with pytest.raises(NotFound, match="dutyctl list --open --kind repair"):
            record_named(store, config, area, ("repair",))
    with pytest.raises(NotFound, match="dutyctl list --open --kind emergency"):
        record_named(store, config, "6-2-801", ("emergency",))
    # an id that is not there is still said as one
    with pytest.raises(NotFound, match="no record with id 01ZZ"):
        record_named(store, config, "01ZZ", ("repair",))


def test_a_closed_room_points_at_the_ticket_kept_not_its_duplicate(workspace):
    """`投诉 重开 6-2-801` after the complaint was visited and closed: the hint named the
    duplicate cancelled that morning (filed later, so "newest"), not the complaint itself."""
    store, config = workspace.store, workspace.config
    kept = file_repair(workspace, "阳台窗户关不严", "2026-11-03 09:10")
    again = file_repair(workspace, "阳台窗户关不严（重复）", "2026-11-03 09:12")
    lifecycle.close(store, again, "duplicate", "同一件事", kept, at=at("2026-11-03 09:15"),
                    by="chenjing")
    lifecycle.close(store, store.get(kept.id), "withdrawn", "住户自己修好了", None,
                    at=at("2026-11-03 16:00"), by="chenjing")
    with pytest.raises(Refused) as closed:
        record_named(store, config, "5-1-1202", ("repair",))
    said = str(closed.value)
    assert f"the latest, {kept.short_id} (" in said and again.short_id not in said, said


# -- the command line -------------------------------------------------------------------------

def test_a_repair_walked_by_room_phone_and_name_in_chinese(cli):
    repair = ok(cli, "repair", "file", *TYPED, "--content", "卫生间灯不亮",
                "--at", "2026-11-02 09:00").stdout.strip()
    refused = cli("repair", "done", "5-1-1202", "--result", "换灯泡",
                  "--at", "2026-11-02 09:05", env=ZH)
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        f"报修 {repair[:12]} 当前为 待派工：只有在 已派工或已到场 状态下才能记录“完工”；"
        f"请先派工：dutyctl 报修 派工 {repair[:12]}")
    ok(cli, "repair", "dispatch", "5栋1单元1202室", "--to", "王强", "--at", "2026-11-02 09:10")
    ok(cli, "repair", "arrive", "13900001111", "--at", "2026-11-02 09:40")
    again = cli("repair", "arrive", "李四", "--at", "2026-11-02 09:45", env=ZH)
    assert again.exit_code == 2 and "本次派工已记录到场" in again.stderr
    ok(cli, "repair", "done", "李四", "--result", "换灯泡", "--at", "2026-11-02 10:00")
    visited = ok(cli, "repair", "visit", "李四", "--satisfaction", "2", "--at", "2026-11-02 15:00")
    assert visited.stderr.strip() == (f"住户不满意（2 分）：需要继续处理时，请重新打开："
                                      f"'dutyctl 报修 重开 {repair[:12]} --原因 ...'")
    reopened = ok(cli, "repair", "reopen", repair, "--reason", "灯又不亮了",
                  "--at", "2026-11-02 15:10")
    assert reopened.stdout.strip() == f"{repair[:12]} 已记录重新打开，当前状态：待派工"
    history = ok(cli, "show", repair).stdout
    assert "重新打开  灯又不亮了" in history and "reopen" not in history
    ok(cli, "repair", "dispatch", repair, "--to", "王强", "--at", "2026-11-02 15:12")
    ok(cli, "repair", "done", "李四", "--result", "换灯座", "--at", "2026-11-02 15:14")
    ok(cli, "repair", "visit", "李四", "--satisfaction", "5", "--at", "2026-11-02 15:16")
    closed = cli("repair", "done", "5-1-1202", "--result", "换灯泡", "--at", "2026-11-02 15:18",
                 env=ZH)
    assert closed.exit_code == 2 and closed.stderr.strip() == (
        f"“5-1-1202”没有未结的报修：最近一条 {repair[:12]}（2026-11-02 09:00，卫生间灯不亮）"
        f"已关闭；若问题又出现了，请先重开：dutyctl 报修 重开 {repair[:12]} --原因 ...")
    masked = cli("repair", "arrive", "139****1111", "--at", "2026-11-02 15:19", env=ZH)
    assert masked.exit_code == 2
    assert masked.stderr.strip() == "“139****1111”是屏幕上打了码的号码：请输入完整号码"
    room = cli("show", "5-1-1202", env=ZH)
    assert room.exit_code == 2 and room.stderr.strip() == (
        "“5-1-1202”不是编号：查某一房号的记录用 dutyctl 房号 5-1-1202；查来电人的记录用 "
        "dutyctl 来电人 电话号码；按文字查找用 dutyctl 查找 5-1-1202")
    word = cli("show", "漏水", env=ZH)  # no room: the room command is not offered
    assert word.exit_code == 2 and word.stderr.strip() == (
        "“漏水”不是编号：按文字查找用 dutyctl 查找 漏水；查来电人的记录用 dutyctl 来电人 电话号码")
    place = cli("show", "3号楼电梯", env=ZH)
    assert place.exit_code == 2 and "dutyctl 房号 3号楼电梯" in place.stderr
    assert "no record with id 01ZZ" in cli("show", "01ZZ").stderr
    unknown = cli("repair", "arrive", "9-9-909", "--at", "2026-11-02 15:20", env=ZH)
    assert unknown.exit_code == 2 and "Traceback" not in unknown.stderr
    assert unknown.stderr.strip() == (
        "“9-9-909”既不是编号，也不是未结报修的房号、地点、电话、姓名或类型："
        "'dutyctl 列表 --未关闭 --种类 报修' 列出各条及其编号"
        "（已关闭的也列出：'dutyctl 列表 --种类 报修'）")
    # the hint above says 重开; typed by the room, as every step, it reopens that one
    again = ok(cli, "repair", "reopen", "5-1-1202", "--reason", "灯又坏了",
               "--at", "2026-11-02 15:21")
    assert again.stdout.strip() == f"{repair[:12]} 已记录重新打开，当前状态：待派工"
    ok(cli, "repair", "close", repair, "--as", "withdrawn", "--reason", "住户自己换了",
       "--at", "2026-11-02 15:22")
    assert ok(cli, "repair", "reopen", "13900001111", "--reason", "又坏了",
              "--at", "2026-11-02 15:23").stdout.startswith(repair[:12])
    nothing = cli("repair", "reopen", "9-9-909", "--reason", "x", "--at", "2026-11-02 15:24",
                  env=ZH)
    assert nothing.exit_code == 2 and nothing.stderr.strip() == (
        "“9-9-909”既不是编号，也不是已关闭报修的房号、地点或电话："
        "'dutyctl 列表 --种类 报修' 列出各条及其编号")


def test_an_emergency_logged_and_closed_by_its_type(cli):
    opened = cli("emergency", "open", "--type", "停水", "--where", "5号楼",
                 "--content", "5号楼全楼停水", "--at", "2026-11-20 18:30", env=ZH)
    assert opened.exit_code == 0, opened.stderr
    emergency = opened.stdout.split()[0]
    logged = cli("emergency", "log", "停水", "工程部查明：主管爆裂", "--at", "2026-11-20 18:50",
                 env=ZH)
    assert logged.exit_code == 0, logged.stderr
    closed = cli("emergency", "close", "5号楼", "--summary", "01:20恢复供水",
                 "--at", "2026-11-21 01:30", env=ZH)
    assert closed.stdout.strip() == f"{emergency[:12]} 已记录关闭，当前状态：已处置"


def test_the_handover_shows_an_emergency_at_its_place_not_its_reporters_room(cli):
    """3号楼整栋停电 reported by the resident of 3-1-502 was handed over as at 3-1-502."""
    opened = cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--content",
                 "3号楼整栋停电", *TYPED, "--at", "2026-11-20 23:12", env=ZH)
    assert opened.exit_code == 0, opened.stderr
    result = cli("handover", "--staff", "赵磊", "--to", "陈静", "--at", "2026-11-21 07:45", env=ZH)
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("  突发事件"))
    assert line.split()[1:4] == [opened.stdout.split()[0][:12], "3号楼", "3号楼整栋停电"], line


def test_an_emergency_is_found_by_the_beginning_of_its_place_when_one_answers(cli):
    """`突发 关闭 5号楼` closes the one open emergency at 5号楼1单元电梯 (places were matched
    whole: it was not found), `地下车库` the one at 地下车库B2; two at 7号楼 are listed with
    their ids, nothing closed."""
    def opened(kind: str, where: str, at: str) -> str:
        done = cli("emergency", "open", "--type", kind, "--where", where, "--content", "困人",
                   "--at", at, env=ZH)
        assert done.exit_code == 0, done.stderr
        return done.stdout.split()[0]

    lift = opened("电梯困人", "5号楼1单元电梯", "2026-11-20 18:30")
    garage = opened("停电", "地下车库B2", "2026-11-20 18:40")
    first = opened("电梯困人", "7号楼1单元电梯", "2026-11-20 18:50")
    second = opened("电梯困人", "7号楼2单元电梯", "2026-11-20 18:55")
    closed = cli("突发", "关闭", "5号楼", "--结果", "19:10 救出", "--时间", "2026-11-20 19:15",
                 env=ZH)
    assert closed.stdout.strip() == f"{lift[:12]} 已记录关闭，当前状态：已处置", closed.output
    closed = cli("突发", "关闭", "地下车库", "--结果", "恢复供电", "--时间", "2026-11-20 19:20",
                 env=ZH)
    assert closed.stdout.strip() == f"{garage[:12]} 已记录关闭，当前状态：已处置", closed.output
    several = cli("突发", "关闭", "7号楼", "--结果", "救出", "--时间", "2026-11-20 19:30",
                  env=ZH)
    assert several.exit_code == 2, several.output
    assert first[:12] in several.stderr and second[:12] in several.stderr, several.stderr


@pytest.mark.parametrize("typed, other", [("5号楼", "50号楼配电房"), ("1号楼", "10号楼水泵房"),
                                          ("商铺1", "商铺10")])
def test_a_place_is_not_found_by_a_number_that_only_begins_its_own(cli, typed, other):
    """`突发 关闭 5号楼` closed the emergency at 50号楼配电房 (normalised, 5号楼 is `5`, and
    `50号楼配电房` begins with it): a step written to another building's record. Nothing is
    closed, and the clerk is told nothing open answers."""
    opened = cli("emergency", "open", "--type", "停电", "--where", other, "--content", "整栋停电",
                 "--at", "2026-12-01 10:00", env=ZH)
    assert opened.exit_code == 0, opened.stderr
    closed = cli("突发", "关闭", typed, "--结果", "已恢复", "--时间", "2026-12-01 10:30", env=ZH)
    assert closed.exit_code != 0, closed.output
    assert "已记录" not in closed.output, closed.output
    shown = cli("show", opened.stdout.split()[0], "--format", "json")
    assert json.loads(shown.stdout)["status"] == "open", shown.stdout


@pytest.mark.parametrize("typed, other", [("5号楼", "50号楼配电房"), ("1号楼", "10号楼水泵房"),
                                          ("A座", "A1号楼配电房")])
def test_a_repair_is_not_dispatched_to_a_place_a_number_only_begins(workspace, typed, other):
    """`报修 派工 1号楼` dispatched the repair at 10号楼水泵房; the repair at 1号楼电梯 (the
    building's own place) is still found by its building."""
    lifecycle.file_ticket(workspace.store, workspace.config, "repair",
                          resident={"name": "物业", "room": other, "phone": "13800000009"},
                          category=None, content="水泵异响", urgency=None,
                          at=at("2026-12-01 10:00"), by="chenjing")
    with pytest.raises(NotFound):
        record_named(workspace.store, workspace.config, typed, ("repair",))
    own = file_repair(workspace, content="电梯异响", when="2026-12-01 10:05",
                      resident={"name": "物业", "room": typed + "电梯", "phone": "13800000009"})
    assert record_named(workspace.store, workspace.config, typed, ("repair",)).id == own.id


@pytest.mark.parametrize("typed, place", [("3栋", "3栋2单元电梯"), ("3号楼", "3栋2单元电梯"),
                                          ("A座", "A座1单元大堂"), ("3号楼", "3号楼2单元电梯")])
def test_a_building_typed_finds_a_place_of_its_units(workspace, typed, place):
    """A building written 栋, 号楼 or 座 finds the place of one of its units (3栋2单元电梯): the
    bound that keeps 5号楼 from 50号楼 had cut these off too."""
    own = file_repair(workspace, content="电梯异响", when="2026-12-01 10:05",
                      resident={"name": "物业", "room": place, "phone": "13800000009"})
    assert record_named(workspace.store, workspace.config, typed, ("repair",)).id == own.id


def test_an_emergency_at_a_unit_is_named_by_its_building(cli, workspace, clock):
    """An emergency opened at 5号楼1单元 is kept at 5-1, as a room is: `突发 记录 5号楼` was
    refused, and with another emergency of 5号楼 at a place open (5号楼1单元电梯) the step
    went to that one, unasked. Both are named: the clerk picks one by its id."""
    clock.set("2026-12-04T05:00:00+08:00")
    opened = [cli("emergency", "open", "--type", kind, "--where", where, "--content", what,
                  "--staff", "chenjing", "--at", when).stdout.split()[0]
              for kind, where, what, when in (
                  ("elevator-entrapment", "5号楼1单元电梯", "电梯困人", "2026-12-04 03:00"),
                  ("water-outage", "5号楼1单元", "整单元停水", "2026-12-04 04:00"))]
    both = cli("emergency", "log", "5号楼", "关闭总阀", "--staff", "chenjing", "--at",
               "2026-12-04 04:05")
    assert both.exit_code == 2
    assert all(record_id[:12] in both.stderr for record_id in opened), both.stderr
    closed = cli("emergency", "close", opened[0], "--summary", "已解困", "--staff", "chenjing",
                 "--at", "2026-12-04 04:10")
    assert closed.exit_code == 0, closed.stderr
    one = cli("emergency", "log", "5号楼", "关闭总阀", "--staff", "chenjing", "--at",
              "2026-12-04 04:15")
    assert one.exit_code == 0, one.stderr
    assert one.stdout.startswith(opened[1][:12])


# -- the installed binary ---------------------------------------------------------------------

def test_a_callback_made_by_the_callers_number_through_the_binary(workspace, dutyctl_command,
                                                                   monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")

    def run(*args: str):
        return run_dutyctl(dutyctl_command, *args, root=workspace.root)

    call = run("log", "call", *TYPED, "--summary", "问快递柜位置", "--callback-by",
               "2026-11-20 15:00", "--at", "2026-11-20 09:40")
    assert call.returncode == 0, call.stderr
    done = run("callback", "done", "13900001111", "--note", "已告知快递柜在北门",
               "--at", "2026-11-20 14:30")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(call.stdout.strip()[:12])
    assert "Traceback" not in done.stderr


def test_the_daily_report_names_the_place_of_a_recurring_repair(cli, clock):
    """An overdue recurring job (二次供水水泵周检 in 地下泵房) had a blank room in the daily
    report, where `list` and the handover name its place."""
    import json

    clock.set("2026-11-04T09:00:00+08:00")
    scheduled = cli("repair", "schedule", "--until", "2026-11-02", "--at", "2026-11-02 06:00")
    assert scheduled.exit_code == 0, scheduled.stderr
    report = cli("report", "daily", "--date", "2026-11-03", "--format", "json")
    assert report.exit_code == 0, report.stderr
    overdue = next(group["items"] for group in json.loads(report.stdout)["attention"]
                   if group["group"] == "overdue")
    assert {item["room"] for item in overdue} == {"地下泵房", "全小区消防栓、灭火器及应急照明"}
    text = cli("report", "daily", "--date", "2026-11-03", env=ZH).stdout
    assert "地下泵房" in text


def test_a_deadline_met_at_its_last_minute_reads_in_time_not_zero_minutes_early(chinese):
    from dutyctl.tickets.deadlines import Deadline, describe

    due = at("2026-11-21 00:05")
    assert describe(Deadline("respond", due, due), due) == "按时（刚好在时限内）"
    assert describe(Deadline("respond", due, due - timedelta(minutes=5)), due) == "按时（提前 5分钟）"


def test_the_handover_reports_the_emergencies_its_shift_closed_first(cli):
    """An emergency opened and closed within the shift left no trace in the handover; one
    closed before the shift (the previous handover's business) stays out."""
    def opened(kind, where, content, when):
        result = cli("emergency", "open", "--type", kind, "--where", where, "--content", content,
                     "--at", when, env=ZH)
        assert result.exit_code == 0, result.stderr
        return result.stdout.split()[0]

    def closed(record, when):
        assert cli("emergency", "close", record, "--summary", "已处置", "--at", when,
                   env=ZH).exit_code == 0

    earlier = opened("停电", "2号楼", "2号楼停电", "2026-11-20 06:00")
    closed(earlier, "2026-11-20 07:00")
    first = cli("handover", "--staff", "赵磊", "--to", "陈静", "--at", "2026-11-20 07:45", env=ZH)
    assert first.exit_code == 0, first.stderr
    stuck = opened("电梯困人", "3号楼电梯", "2人被困", "2026-11-20 10:00")
    closed(stuck, "2026-11-20 10:40")
    still = opened("停水", "5号楼", "5号楼全楼停水", "2026-11-20 18:30")
    result = cli("handover", "--staff", "陈静", "--to", "赵磊", "--at", "2026-11-20 19:40", env=ZH)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    # the one open item under its count; the closed one apart, under its own
    assert "未结事项 1 项" in lines[0]
    assert lines[1].split()[:2] == ["突发事件", still[:12]]
    assert lines[2] == "本班已处置的突发事件 1 起："
    assert lines[3].split()[:3] == ["突发事件", stuck[:12], "3号楼电梯"]
    assert lines[3].endswith("（已处置，2026-11-20 10:00）")
    assert earlier[:12] not in result.stderr
    items = [item["record"] for item in json.loads(cli(
        "handover", "show", result.stdout.split()[0], "--format", "json").stdout)["items"]]
    assert items == [stuck, still]  # the incident report heads the handover itself


def test_an_emergency_step_is_taken_with_content_as_complaints_and_repairs_take_it(cli):
    """`突发 记录 停电 --内容 …` was refused with 没有选项 --内容 (投诉 and 报修 take it)."""
    opened = cli("emergency", "open", "--type", "停电", "--where", "3号楼",
                 "--content", "3号楼整栋停电", "--at", "2026-11-20 18:30", env=ZH)
    assert opened.exit_code == 0, opened.stderr
    logged = cli("突发", "记录", "停电", "--内容", "已通知供电公司", "--时间", "2026-11-20 18:40",
                 env=ZH)
    assert logged.exit_code == 0, logged.stderr
    shown = cli("show", opened.stdout.split()[0], "--format", "json")
    assert "已通知供电公司" in shown.stdout
    both = cli("突发", "记录", "停电", "已通知", "--内容", "已通知", "--时间", "2026-11-20 18:45",
               env=ZH)
    assert both.exit_code == 2 and "--内容" in both.stderr and "Traceback" not in both.stderr
    neither = cli("突发", "记录", "停电", "--时间", "2026-11-20 18:45", env=ZH)
    assert neither.exit_code == 2 and "--内容" in neither.stderr


def test_an_emergency_reported_by_a_caller_is_found_listed_and_kept_at_its_place(cli, clock):
    """Opened from a call of 5-1-801 at 5号楼1单元电梯: `突发 记录 5号楼` was refused (its
    place was the caller's flat), `房号 5号楼1单元电梯` found nothing, and the list's room column
    said 5-1-801."""
    clock.set("2026-11-25T10:00:00+08:00")
    call = ok(cli, "来电", "--姓名", "钱八", "--房号", "5-1-801", "--电话", "13900002222",
              "--摘要", "电梯困人", "--时间", "2026-11-20 18:30").stdout.strip()
    opened = ok(cli, "突发", "开启", "--类型", "电梯困人", "--地点", "5号楼1单元电梯", "--来电", call,
                "--时间", "2026-11-20 18:31").stdout.split()[0]
    logged = ok(cli, "突发", "记录", "5号楼", "已通知电梯维保单位", "--时间", "2026-11-20 18:35").stdout
    assert logged.startswith(opened[:12])
    assert opened[:12] in ok(cli, "房号", "5号楼1单元电梯").stdout
    row = next(line for line in ok(cli, "列表", "--种类", "突发事件").stdout.splitlines()
               if opened[:12] in line)
    assert "5号楼1单元电梯" in row and "5-1-801" not in row
    # the reporter's room names it too, and keeps the call
    assert ok(cli, "突发", "记录", "5-1-801", "维保到场",
              "--时间", "2026-11-20 18:50").stdout.startswith(opened[:12])
    assert call[:12] in ok(cli, "房号", "5-1-801").stdout


def test_a_repair_filed_long_after_its_call_is_told_its_limits_run_from_the_filing(cli,
                                                                                  workspace,
                                                                                  clock):
    """A burst pipe phoned in at 03:00 and filed from the call at 05:00: its 30 minutes to be
    on site ran from 05:00, in silence. Said, with how to count them from the call (which,
    typed as shown, files it at the call's time); a ticket filed minutes after is not."""
    clock.set("2026-11-25T10:00:00+08:00")
    call = ok(cli, "来电", "--姓名", "孙七", "--房号", "6-2-801", "--电话", "13900003333",
               "--类别", "报修", "--摘要", "卫生间水管爆裂跑水", "--时间", "2026-11-18 03:00")
    call_id = call.stdout.strip()
    refused = cli("报修", "登记", "--来电", call_id, "--内容", "卫生间水管爆裂跑水",
                  "--类别", "不存在", "--时间", "2026-11-18 05:00", env=ZH)
    assert refused.exit_code == 2 and "之后才登记" not in refused.stderr  # only why refused
    late = ok(cli, "报修", "登记", "--来电", call_id, "--内容", "卫生间水管爆裂跑水",
               "--时间", "2026-11-18 05:00")
    assert ("此报修在来电 2小时 之后才登记（来电 2026-11-18 03:00）：时限从登记时间 2026-11-18 05:00 "
            "起算；如要从来电时起算，请登记时写 --时间 \"2026-11-18 03:00\"") in late.stderr, \
        late.stderr
    other = ok(cli, "来电", "--姓名", "周八", "--房号", "6-2-802", "--电话", "13900004444",
                "--类别", "报修", "--摘要", "灯不亮", "--时间", "2026-11-18 03:00")
    soon = ok(cli, "报修", "登记", "--来电", other.stdout.strip(), "--内容", "灯不亮",
               "--时间", "2026-11-18 03:10")
    assert "之后才登记" not in soon.stderr
    third = ok(cli, "来电", "--姓名", "吴九", "--房号", "6-2-803", "--电话", "13900005555",
                "--类别", "报修", "--摘要", "门锁坏了", "--时间", "2026-11-18 03:00")
    meant = ok(cli, "报修", "登记", "--来电", third.stdout.strip(), "--内容", "门锁坏了",
                "--时间", "2026-11-18 03:00")  # as the line says, on a desk at 05:00
    repair = workspace.store.get(meant.stdout.split()[0])
    assert repair.created_at.isoformat().startswith("2026-11-18T03:00")
    assert "之后才登记" not in meant.stderr


def test_the_register_of_an_emergencys_reporter_is_the_same_from_index_and_files(
        cli, workspace, monkeypatch, clock):
    """With an emergency kept at its place, the index's one room column made its reporter a
    person living at 5号楼电梯: listed twice, under room 5, and gone from 3-1-101; the files
    said otherwise. The reporter lives at their room (`home`), from either."""
    clock.set("2026-11-25T10:00:00+08:00")
    from dutyctl import callers

    ok(cli, "log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
       "--summary", "问电梯", "--at", "2026-11-20 18:00", env=None)
    ok(cli, "emergency", "open", "--type", "elevator-entrapment", "--where", "5号楼电梯", "--name",
       "张三", "--room", "3-2-501", "--phone", "13812345678", "--at", "2026-11-20 18:10", env=None)
    opened = ok(cli, "emergency", "open", "--type", "elevator-entrapment", "--where", "6号楼电梯",
                "--name", "李四", "--room", "3-1-101", "--phone", "13900001111",
                "--at", "2026-11-20 18:20", env=None).stdout.split()[0]
    ok(cli, "list", "--all", env=None)  # the index built

    def said(store):
        everyone = [(r.person.get("name"), r.person.get("room"))
                    for r in callers.register(store).residents]
        room_5 = [r.person.get("name") for r in callers.register(store, room="5").residents]
        at_home = [record.id for record in callers.room_history(store, "3-1-101").records]
        at_place = [record.id for record in callers.room_history(store, "6号楼电梯").records]
        return everyone, room_5, at_home, at_place

    from_index = said(workspace.store)
    assert from_index[0] == [("李四", "3-1-101"), ("张三", "3-2-501")], from_index
    assert from_index[1] == [] and opened in from_index[2] and opened in from_index[3]
    monkeypatch.setattr(type(workspace.store), "index", None, raising=False)
    assert said(workspace.store) == from_index
