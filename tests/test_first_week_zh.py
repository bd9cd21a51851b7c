"""What a new clerk (小陈) and a technician (老张) ran into in their first week, reading only
the Chinese manual and help: each test is one thing that went wrong for them."""

from __future__ import annotations

import json

from tests.helpers_desk import ok, printed_ids, record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}


def test_handover_recipients_typed_with_a_space_between_them(cli, workspace):
    """`交接班 --接班人 "赵磊 刘洋"`: names with a space between them, as a clerk types them,
    were one unknown staff member '赵磊 刘洋'. A space inside one name still is that name."""
    made = ok(cli("交接班", "--操作人", "李娜", "--接班人", "孙丽 王强", "--时间",
                  "2026-10-06 07:45", env=ZH))
    handover = workspace.store.get(printed_ids(made.stdout)[0])
    assert list(handover.get("to")) == ["sunli", "wangqiang"]
    one = ok(cli("交接班", "--操作人", "李娜", "--接班人", "孙 丽", "--时间", "2026-10-06 07:50",
                 env=ZH))
    assert list(workspace.store.get(printed_ids(one.stdout)[0]).get("to")) == ["sunli"]
    files = record_files(workspace.root)
    wrong = cli("交接班", "--操作人", "李娜", "--接班人", "孙丽 老王", "--时间", "2026-10-06 07:55",
                env=ZH)
    # 孙丽 is known: the refusal is 老王's own (was: no staff “孙丽 老王”)
    assert wrong.exit_code == 2 and "没有员工“老王”" in wrong.stderr, wrong.stderr
    assert "孙丽 老王" not in wrong.stderr
    assert record_files(workspace.root) == files
    assert json.loads(ok(cli("show", handover.id, "-f", "json")).stdout)["kind"] == "handover"


def test_a_burst_pipe_in_the_words_of_a_resident_is_an_emergency_repair(tmp_path, clock):
    """`水管爆了` (what residents say, not the form's 爆管) was only 紧急 (to arrive within 2 hours,
    for 漏水) on a site made by `初始化`: a burst pipe is the 急修 of the manual (30 minutes)."""
    from dutyctl.workspace import Workspace, init_workspace
    from tests.conftest import Cli

    clock.set("2026-11-30T10:30:00+08:00")
    for language in ("zh_CN", "en"):
        root = tmp_path / language
        init_workspace(root, language)
        filed = Cli(root)("报修", "登记", "--姓名", "周阿姨", "--房号", "2-1-302", "--电话",
                          "13322223333", "--类别", "水电", "--内容", "家里水管爆了，一直在漏水",
                          "--操作人", "张伟", "--时间", "2026-11-30 10:00", env=ZH)
        repair = Workspace(root).store.get(ok(filed).stdout.split()[0])
        emergencies = Workspace(root).config.emergency_repair_classes()
        assert repair.get("urgency") in emergencies, (language, repair.get("urgency"))
        assert "根据“水管爆”建议紧急程度为 急修" in filed.stderr, filed.stderr


def test_the_checklist_help_shows_the_word_a_clerk_types_for_every_item(cli):
    """`dutyctl 备勤 --帮助` showed `--正常, --ok 检查项|all`: an English word where the manual
    (and the help's own line) says 全部."""
    chinese = ok(cli("备勤", "--帮助", env=ZH)).stdout
    assert "--正常, --ok 检查项|全部" in chinese, chinese
    english = ok(cli("checklist", "--help")).stdout
    assert "--ok ITEM|all" in english, english


def test_a_callback_promised_within_a_length_of_time(cli, workspace):
    """`--回电期限 2小时内` (what the clerk tells the resident: 两小时内给您回电) was refused as
    no time; a length before 内/后 counts from the call, on the wall clock. Working days are
    still written as a day (where they end depends on the calendar)."""
    from datetime import datetime, time

    from dutyctl.timeutil import parse_deadline

    tz = workspace.config.tz
    called = datetime(2026, 10, 12, 16, 50, tzinfo=tz)
    for typed, hours in (("2小时内", 2), ("两个小时内", 2), ("半小时后", 0.5),
                         ("30分钟以内", 0.5), ("３天内", 72)):
        due = parse_deadline(typed, tz, called, time(17, 30))
        assert (due - called).total_seconds() == hours * 3600, typed
    logged = cli("来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222",
                 "--摘要", "问快递柜位置", "--回电期限", "2小时内", "--时间", "2026-10-12 16:50",
                 "--操作人", "陈静", env=ZH)
    assert "须在 2026-10-12 18:50 前回电" in ok(logged).stderr, logged.stderr
    files = record_files(workspace.root)
    refused = cli("来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222",
                  "--摘要", "问快递柜位置", "--回电期限", "1个工作日内", "--时间",
                  "2026-10-12 16:55", "--操作人", "陈静", env=ZH)
    assert refused.exit_code == 2 and "1个工作日内" in refused.stderr
    # the refusal says why and what a clerk writes, no standard's number (it said 或 ISO 8601)
    assert "按工作日计的期限须写明哪一天" in refused.stderr, refused.stderr
    assert "如 周五 17:00" in refused.stderr and "ISO" not in refused.stderr, refused.stderr
    assert record_files(workspace.root) == files


def test_help_examples_name_what_a_chinese_site_has(cli):
    """The help of 投诉 转交 gave `如 engineering、工程部` and of 报修/投诉 登记 `如 emergency 或
    急修`: ids an `初始化` workspace has not (and complaints have no 急修); 关闭 led with
    `duplicate（重复）`. The examples are the words the clerk types."""
    said = {args: "".join(ok(cli(*args, "--帮助", env=ZH)).stdout.split())
            for args in (("投诉", "转交"), ("投诉", "登记"), ("报修", "登记"), ("报修", "关闭"))}
    assert "如工程部、居委会" in said[("投诉", "转交")]
    for args in (("投诉", "登记"), ("报修", "登记")):
        assert "如紧急；" in said[args] and "emergency" not in said[args], said[args]
    closing = said[("报修", "关闭")]
    assert "重复、撤回（住户撤回）或无效（也可写编号duplicate" in closing, closing
