"""A call logged by mistake is voided (作废) whole: a settle step setting aside its filing, as a
step recorded by mistake is set aside. It stays in its file and `show` (已作废, the reason, who
and when) and counts nowhere else: lists, the daily summary and its counts, workload,
search, the caller's history."""

from __future__ import annotations

import json

from dutyctl.records import VOIDED
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import call_flags


def _two_calls(cli):
    wrong = ok(cli(*call_flags("张三", "3-2-501", "13812345678", "问物业费误登",
                               "--at", "2026-11-04 09:00")))
    kept = ok(cli(*call_flags("李四", "5-1-1202", "13900001111", "问车位",
                              "--at", "2026-11-04 09:10")))
    return wrong.splitlines()[-1], kept.splitlines()[-1]


def test_a_call_logged_by_mistake_is_voided_and_counts_nowhere(workspace, cli, clock):
    clock.set("2026-11-04T10:00:00+08:00")
    wrong, kept = _two_calls(cli)
    path = workspace.store.get(wrong).path
    said = cli("--lang", "zh_CN", "作废", wrong[:12], "--原因", "打错了，不是来电")
    assert said.exit_code == 0, said.stderr
    assert said.stdout.strip() == (f"{wrong[:12]}：2026-11-04 09:00 张伟 登记的来电已作废，"
                                   "不再计入列表、报表和搜索；记录文件保留，用“查看”仍能看到")
    # kept in its file and in show, marked, with the reason, who and when
    assert (workspace.root / path).is_file()
    record = workspace.store.get(wrong)
    assert record.status == VOIDED
    shown = ok(cli("--lang", "zh_CN", "查看", wrong))
    assert "状态：已作废" in shown and "登记（已作废）" in shown, shown
    assert "打错了，不是来电" in shown and "2026-11-04 10:00  张伟      作废" in shown, shown
    assert json.loads(ok(cli("show", wrong, "-f", "json")))["status"] == "voided"
    # gone from everything that counts: lists, search, the daily summary, workload
    listed = json.loads(ok(cli("list", "-f", "json")))
    assert [row["id"] for row in listed] == [kept]
    assert wrong not in cli("search", "物业费").stdout
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-11-04", "-f", "json")))
    assert daily["calls"]["total"] == 1, daily["calls"]
    (mine,) = [row for row in daily["per_staff"] if row["staff"] == "zhangwei"]
    assert mine["calls"] == 1, mine
    room = ok(cli("room", "3-2-501"))
    assert wrong[:12] not in room and "张三" not in room, room
    # read from the files as from the index
    assert [r.id for r in workspace.store.scan().records] == [kept]
    checked = cli("check")
    assert checked.exit_code == 0 and "not a step" not in checked.output, checked.output
    again = cli("--lang", "zh_CN", "作废", wrong[:12], "--原因", "再作废一次")
    assert again.exit_code == 2 and "已经作废（2026-11-04 10:00，张伟）" in again.stderr


def test_a_call_with_a_step_after_it_has_that_step_set_aside_first(workspace, cli, clock):
    """作废 without --步骤 sets aside the latest step first, as before; then the call."""
    clock.set("2026-11-04T10:00:00+08:00")
    wrong = ok(cli(*call_flags("张三", "3-2-501", "13812345678", "问燃气表", "--callback-by",
                               "2026-11-04 12:00", "--at", "2026-11-04 09:00")))
    ok(cli("callback", "done", wrong, "--result", "已告知", "--at", "2026-11-04 09:30"))
    ok(cli("settle", wrong, "--reason", "回电记错了"))
    assert workspace.store.get(wrong).status != VOIDED
    ok(cli("settle", wrong, "--reason", "这通电话是误登"))
    assert workspace.store.get(wrong).status == VOIDED
    assert wrong[:12] not in cli("callback", "list").stdout


def a_call_filed_as_a_repair(workspace, cli, clock):
    """张三's call of 2026-11-04 09:00 that filed a repair (`--转工单`), the clock at 10:00."""
    clock.set("2026-11-04T10:00:00+08:00")
    filed = cli("--lang", "zh_CN", "来电", "--姓名", "张三", "--房号", "3-2-501", "--电话",
                "13812345678", "--类别", "报修", "--摘要", "厨房漏水", "--转工单",
                "--时间", "2026-11-04 09:00")
    assert filed.exit_code == 0, filed.stderr
    return next(record for record in workspace.store.scan().records if record.kind == "call")


def test_a_call_that_filed_a_ticket_is_not_voided(workspace, cli, clock):
    call = a_call_filed_as_a_repair(workspace, cli, clock)
    refused = cli("--lang", "zh_CN", "作废", call.short_id, "--原因", "误登")
    assert refused.exit_code != 0 and "转了工单的来电不能作废" in refused.stderr, refused.output
    assert "dutyctl 报修 关闭" in refused.stderr, refused.stderr
    assert workspace.store.get(call.id).status != VOIDED
    # the advice taken: the repair closed as 无效 (it was no call), then the call goes too
    repair = next(record for record in workspace.store.scan().records
                  if record.kind == "repair")
    ok(cli("--lang", "zh_CN", "报修", "关闭", repair.short_id, "--关闭方式", "无效", "--原因",
           "没有这通电话", "--时间", "2026-11-04 09:30"))
    ok(cli("--lang", "zh_CN", "作废", call.short_id, "--原因", "误登", "--步骤", call.short_id))
    assert workspace.store.get(call.id).status == VOIDED


def test_a_call_whose_link_step_was_set_aside_still_is_not_voided(workspace, cli, clock):
    """Setting aside the call's link step (关联) left the call looking unlinked: it was then
    voided though the repair filed from it still names it. The ticket's own word counts."""
    call = a_call_filed_as_a_repair(workspace, cli, clock)
    (link,) = [event for event in call.events if event.action == "link"]
    ok(cli("--lang", "zh_CN", "作废", call.short_id, "--步骤", link.id, "--原因", "关联错了",
           "--时间", "2026-11-04 09:20"))
    refused = cli("--lang", "zh_CN", "作废", call.short_id, "--原因", "误登", "--时间",
                  "2026-11-04 09:30")
    assert refused.exit_code == 2 and "转了工单的来电不能作废" in refused.stderr, refused.output
    assert workspace.store.get(call.id).status != VOIDED


def test_another_persons_call_is_voided_only_when_named(workspace, cli, clock):
    clock.set("2026-11-04T10:00:00+08:00")
    theirs = ok(cli(*call_flags("张三", "3-2-501", "13812345678", "问物业费",
                                "--at", "2026-11-04 09:00"), user="lina"))
    refused = cli("settle", theirs, "--reason", "误登")
    assert refused.exit_code != 0 and f"--event {theirs[:12]}" in refused.stderr
    ok(cli("settle", theirs, "--reason", "误登", "--event", theirs[:12]))
    assert workspace.store.get(theirs).status == VOIDED


def test_nothing_is_filed_from_a_voided_call(workspace, cli, clock):
    """`报修 登记 --来电` and `突发 开启 --来电` of a voided call filed a repair linked to a
    call that counts nowhere; refused, saying when and by whom it was voided, nothing
    written."""
    clock.set("2026-11-04T10:00:00+08:00")
    wrong, _ = _two_calls(cli)
    ok(cli("settle", wrong, "--reason", "误登"))
    before = sorted(workspace.records_dir.rglob("*.yaml"))
    repair = cli("--lang", "zh_CN", "报修", "登记", "--来电", wrong[:12], "--内容", "漏水")
    assert repair.exit_code != 0, repair.output
    assert f"来电 {wrong[:12]} 已于 2026-11-04 10:00 由 张伟 作废" in repair.stderr, repair.stderr
    emergency = cli("--lang", "zh_CN", "突发", "开启", "--类型", "停水", "--地点", "3号楼",
                    "--来电", wrong[:12])
    assert emergency.exit_code != 0 and "作废" in emergency.stderr, emergency.output
    assert "Traceback" not in repair.output + emergency.output
    assert sorted(workspace.records_dir.rglob("*.yaml")) == before
    assert workspace.store.get(wrong).status == VOIDED


def test_a_call_that_opened_an_emergency_is_not_voided(workspace, cli, clock):
    clock.set("2026-11-04T10:00:00+08:00")
    call, _ = _two_calls(cli)
    ok(cli("emergency", "open", "--type", "停水", "--where", "3号楼", "--from-call", call[:12],
           "--at", "2026-11-04 09:05"))
    refused = cli("--lang", "zh_CN", "作废", call[:12], "--原因", "误登")
    assert refused.exit_code != 0 and "开启了突发事件的来电不能作废" in refused.stderr, \
        refused.output
    assert "dutyctl 突发 关闭" in refused.stderr and "--结果" in refused.stderr, refused.stderr
    assert workspace.store.get(call).status != VOIDED


def test_check_reports_a_voided_call_another_desk_filed_from(workspace, cli, clock):
    """One desk voids the call, the other (not synced) files a repair from it: each alone
    is refused, together they leave a repair filed from a call that counts nowhere."""
    from datetime import datetime, timedelta, timezone

    from dutyctl.records import LINK, SET_ASIDE, SETTLE, file_record

    clock.set("2026-11-04T10:00:00+08:00")
    wrong, _ = _two_calls(cli)
    call = workspace.store.get(wrong)
    # the other desk, before syncing: the repair and the call's link, as --from-call writes
    moment = datetime(2026, 11, 4, 9, 20, tzinfo=timezone(timedelta(hours=8)))
    repair = file_record(workspace.store, workspace.config, "repair",
                         resident=dict(call.get("resident")), category=None, content="漏水",
                         urgency=None, links=[call.id], at=moment, by="lina")
    workspace.store.append(call, LINK, at=moment, by="lina", data={LINK: repair.id})
    assert cli("check").exit_code == 0
    # this desk, not knowing of it, voids the call: the step `settle` writes (lifecycle.void)
    workspace.store.append(call, SETTLE, at=moment + timedelta(minutes=10), by="zhangwei",
                           note="误登", data={SET_ASIDE: call.id})
    assert workspace.store.get(wrong).status == VOIDED
    checked = cli("--lang", "zh_CN", "检查")
    assert checked.exit_code != 0, checked.output
    (line,) = [line for line in checked.output.splitlines() if wrong[:12] in line]
    assert f"来电 {wrong[:12]} 已于 2026-11-04 09:30 由 张伟 作废" in line, line
    assert repair.short_id in line and "dutyctl 来电" in line, line
    # the message's advice taken: the repair closed too (it was no call), the finding ends
    ok(cli("repair", "close", repair.id, "--as", "invalid", "--reason", "没有这通电话",
           "--at", "2026-11-04 09:50"))
    assert wrong[:12] not in cli("--lang", "zh_CN", "检查").output


def test_listing_voided_calls_is_refused_pointing_to_show(workspace, cli, clock):
    """`列表 --种类 来电 --状态 已作废` was accepted and always empty (a voided record is in
    no list): one line saying `查看 编号` shows it, exit 2."""
    clock.set("2026-11-04T10:00:00+08:00")
    wrong, _ = _two_calls(cli)
    ok(cli("settle", wrong, "--reason", "误登"))
    for args in (("列表", "--种类", "来电", "--状态", "已作废"), ("list", "--status", "voided")):
        refused = cli("--lang", "zh_CN", *args)
        assert refused.exit_code == 2, refused.output
        assert refused.stderr.strip().splitlines() == [
            "已作废的记录不出现在任何列表、报表和搜索中：请用“dutyctl 查看 编号”查看"], refused.stderr
    unknown = cli("--lang", "zh_CN", "列表", "--状态", "待审核")
    assert unknown.exit_code == 2 and "已派工" in unknown.stderr, unknown.stderr
    assert "已作废" not in unknown.stderr, unknown.stderr  # not offered, then refused


def test_a_void_is_undone_with_its_own_command_and_the_call_counts_again(workspace, cli,
                                                                          clock):
    """作废 had no way back: `撤销作废` (restore) sets the void aside, the call counts again as
    it stood; refused on a call not voided, and while a step recorded after the void (another
    desk's, before a sync) would come to count unseen."""
    from datetime import timedelta

    clock.set("2026-11-04T10:00:00+08:00")
    wrong, kept = _two_calls(cli)
    ok(cli("--lang", "zh_CN", "作废", wrong[:12], "--原因", "以为打错了", "--时间",
           "2026-11-04 09:20"))
    said = cli("--lang", "zh_CN", "撤销作废", wrong[:12], "--原因", "确有此来电", "--时间",
               "2026-11-04 09:30")
    assert said.exit_code == 0, said.stderr
    assert said.stdout.strip() == (f"{wrong[:12]}：已撤销对该来电的作废（2026-11-04 09:20，张伟 "
                                   "作废），重新计入列表、报表和搜索；当前状态：已答复")
    assert workspace.store.get(wrong).status == "answered"
    assert [row["id"] for row in json.loads(ok(cli("list", "-f", "json")))] == [wrong, kept]
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-11-04", "-f", "json")))
    assert daily["calls"]["total"] == 2
    shown = ok(cli("--lang", "zh_CN", "查看", wrong))
    assert "登记（已作废）" not in shown and "撤销作废" in shown, shown
    again = cli("--lang", "zh_CN", "撤销作废", wrong[:12], "--原因", "再来")
    assert again.exit_code == 2 and "未作废（当前为 已答复），无需撤销" in again.stderr
    # voided again, and a step another desk wrote on it after the void comes in by a sync
    ok(cli("settle", wrong, "--reason", "还是误登", "--at", "2026-11-04 09:40"))
    voided = workspace.store.get(wrong)
    assert voided.status == VOIDED
    noted = workspace.store.append(voided, "note", at=voided.created_at
                                   + timedelta(minutes=45), by="lina", note="住户又来电")
    refused = cli("--lang", "zh_CN", "撤销作废", wrong[:12], "--原因", "确有此来电")
    assert refused.exit_code == 2 and "作废之后又记录了" in refused.stderr, refused.stderr
    assert workspace.store.get(wrong).status == VOIDED
    # the hint is a command that works when followed: it names the step and its reason
    hint = refused.stderr.split("（'")[-1].split("'）")[0].split()
    assert hint[0] == "dutyctl" and hint[-1] == "...", refused.stderr
    assert noted.events[-1].id[:14] in hint, refused.stderr
    ok(cli("--lang", "zh_CN", *hint[1:-1], "另一台记的"))
    ok(cli("restore", wrong, "--reason", "确有此来电"))
    assert workspace.store.get(wrong).status == "answered"


def test_a_call_voided_on_two_desks_is_restored_whole(workspace, cli, clock):
    """Two desks each voided the call before a sync: one `撤销作废` sets both voids aside,
    and says so; the call counts again, as the message says."""
    from datetime import timedelta

    from dutyctl.records import SET_ASIDE, SETTLE

    clock.set("2026-11-04T10:00:00+08:00")
    wrong, kept = _two_calls(cli)
    ok(cli("--lang", "zh_CN", "作废", wrong[:12], "--原因", "以为打错了", "--时间",
           "2026-11-04 09:20"))
    voided = workspace.store.get(wrong)
    workspace.store.append(voided, SETTLE, at=voided.events[-1].at + timedelta(minutes=5),
                           by="lina", note="重复登记", data={SET_ASIDE: wrong})
    assert workspace.store.get(wrong).status == VOIDED
    said = cli("--lang", "zh_CN", "撤销作废", wrong[:12], "--原因", "确有此来电", "--时间",
               "2026-11-04 09:30")
    assert said.exit_code == 0, said.stderr
    assert "全部作废" in said.stdout and "当前状态：已答复" in said.stdout, said.stdout
    assert workspace.store.get(wrong).status == "answered"
    assert [row["id"] for row in json.loads(ok(cli("list", "-f", "json")))] == [wrong, kept]
    checked = cli("check")
    assert "records/" not in checked.stdout + checked.stderr


def test_a_duty_log_entry_written_by_mistake_is_voided_and_counts_nowhere(workspace, cli,
                                                                         clock):
    """A mistyped 记事 could not be set aside ("has no step to set aside"): it stayed in the
    handover's entries and the daily report's duty log."""
    clock.set("2026-11-04T10:00:00+08:00")
    wrong = ok(cli("log", "note", "打错的一条", "--at", "2026-11-04 02:41"))
    kept = ok(cli("log", "patrol", "车库复查", "--at", "2026-11-04 02:45"))
    said = cli("--lang", "zh_CN", "作废", wrong, "--原因", "误登")
    assert said.exit_code == 0, said.stderr
    assert "登记的值班记录已作废，不再计入列表、报表和搜索" in said.stdout
    listed = json.loads(ok(cli("list", "--kind", "log-entry", "-f", "json")))
    assert [row["id"] for row in listed] == [kept]
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-11-04", "-f", "json")))
    assert daily["duty_log"]["entries"] == 1, daily["duty_log"]
