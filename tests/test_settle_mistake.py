"""A step recorded by mistake (已回电 on the wrong call, 完工 on the wrong repair) is set aside
with `settle` (作废): kept in the history, counting for nothing; the record is as before."""

from __future__ import annotations

from dutyctl.kinds.call import AWAITING_CALLBACK
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import call_flags


def test_a_callback_marked_on_the_wrong_call_waits_again_once_set_aside(workspace, cli, clock):
    """The night clerk called 张三 back but marked 李四's call: 李四's promise, due at 10:00,
    would be lost from the handover and `callback list`; 作废 brings it back."""
    clock.set("2026-10-12T06:00:00+08:00")
    ok(cli(*call_flags("张三", "3-2-501", "13812345678", "问燃气表", "--callback-by",
                       "2026-10-12 10:00", "--at", "2026-10-11 23:10")))
    other = ok(cli(*call_flags("李四", "5-1-1202", "13900001111", "问车位", "--callback-by",
                               "2026-10-12 10:00", "--at", "2026-10-11 23:20")))
    ok(cli("callback", "done", other, "--result", "已告知燃气表下周换",
           "--at", "2026-10-12 05:01"))
    assert other[:12] not in cli("callback", "list").stdout
    undone = cli("--lang", "zh_CN", "作废", other[:12], "--原因", "回电记错了单",
                 "--时间", "2026-10-12 05:03")
    assert undone.exit_code == 0, undone.stderr
    assert undone.stdout.strip() == (f"{other[:12]}：2026-10-12 05:01（张伟）的“回电”已作废，"
                                     "不再生效；当前状态：待回电")
    record = workspace.store.get(other)
    assert record.status == AWAITING_CALLBACK
    assert [event.action for event in record.counted_events] == ["settle"]
    assert other[:12] in cli("callback", "list").stdout
    shown = cli("--lang", "zh_CN", "show", other).stdout
    assert "回电（已作废）" in shown and "待回电" in shown, shown


def test_a_step_with_a_later_one_after_it_is_set_aside_last_first(workspace, cli, clock):
    """派工, 到场 and 完工 recorded on the wrong repair: the 派工 cannot go while the 到场
    counts (a 到场 with no 派工 before it is out of order); the latest first, then the one
    before, each by default."""
    clock.set("2026-10-12T06:00:00+08:00")
    repair = ok(cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                    "13900001111", "--content", "厨房水管爆管", "--urgency", "emergency",
                    "--at", "2026-10-12 02:00"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-12 02:05"))
    ok(cli("repair", "arrive", repair, "--at", "2026-10-12 02:30"))
    ok(cli("repair", "done", repair, "--result", "换软管", "--at", "2026-10-12 03:00"))
    dispatch = workspace.store.get(repair).events[0]
    refused = cli("--lang", "zh_CN", "作废", repair, "--步骤", dispatch.id[:14], "--原因",
                  "记错了单", "--时间", "2026-10-12 05:00")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (f"{repair[:12]}：2026-10-12 02:05 的“派工”作废后，其后 "
                                      "2026-10-12 02:30 的“到场”就不合流程了：请先作废那一步")
    assert len(workspace.store.get(repair).events) == 3  # nothing written
    ok(cli("settle", repair, "--reason", "记错了单", "--at", "2026-10-12 05:00"))
    assert workspace.store.get(repair).status == "on-site"
    ok(cli("settle", repair, "--reason", "记错了单", "--at", "2026-10-12 05:01"))
    record = workspace.store.get(repair)
    assert record.status == "dispatched"
    assert [event.action for event in record.counted_events] == ["dispatch", "settle", "settle"]
    ok(cli("repair", "arrive", repair, "--at", "2026-10-12 05:10"))  # the real arrival
    assert cli("check").exit_code == 0


def test_a_step_someone_else_recorded_is_named_with_the_id_the_refusal_gives(workspace, cli,
                                                                             clock):
    """The refusal said "name it with --event" and gave no id, which `show` does not show
    either: it gives the step's id, and that id sets it aside."""
    clock.set("2026-10-12T06:00:00+08:00")
    repair = ok(cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                    "13900001111", "--content", "窗户关不严", "--at", "2026-10-12 05:00"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-12 05:10",
           "--staff", "lina"))
    refused = cli("settle", repair, "--reason", "派错了", "--at", "2026-10-12 05:20")
    assert refused.exit_code == 2
    step = workspace.store.get(repair).events[-1].id
    assert refused.stderr.rstrip().endswith(f"name it with --event {step[:14]}")
    ok(cli("settle", repair, "--event", step[:14], "--reason", "派错了", "--at",
           "2026-10-12 05:20"))
    assert workspace.store.get(repair).status == "open"
