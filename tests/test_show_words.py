"""`show` in Chinese names every field and every step's details in words: no stored key
(`materials`, `slot_end`, `item_name`), no ISO time, no full id, no type id on a clerk's screen."""

from __future__ import annotations

import re

from dutyctl.records import event_data
from dutyctl.views import EVENT_KEYS, FIELD_LABELS, HIDDEN_KEYS, SHOWN_ELSEWHERE
from tests.helpers_desk import october_site

RESIDENT = ("--name", "李四", "--room", "5-1-1202", "--phone", "13900001111")
#: a stored key shown as its own label: `materials：三通1个`, `item_name：打印机可用`
KEY_AS_LABEL = re.compile(r"\b[a-z][a-z_]+：")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def zh_show(cli, record_id: str) -> str:
    shown = cli("show", record_id, env={"DUTYCTL_LANG": "zh_CN"})
    assert shown.exit_code == 0, shown.stderr
    assert not KEY_AS_LABEL.search(shown.stdout), shown.stdout
    assert not ISO_TIME.search(shown.stdout), shown.stdout
    return shown.stdout


def first_id(result) -> str:
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[0]


def test_a_repair_done_names_its_materials(cli):
    repair = first_id(cli("repair", "file", *RESIDENT, "--content", "厨房水管爆管",
                          "--at", "2026-10-12 21:00"))
    first_id(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-12 21:05"))
    first_id(cli("repair", "done", repair, "--result", "更换三通", "--materials", "三通1个",
                 "--at", "2026-10-12 21:40"))
    assert "更换三通（材料：三通1个）" in zh_show(cli, repair)


def test_a_repair_on_hold_says_for_how_long(cli):
    repair = first_id(cli("repair", "file", *RESIDENT, "--content", "门锁坏了",
                          "--at", "2026-10-12 09:00"))
    first_id(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-12 09:10"))
    first_id(cli("repair", "hold", repair, "--reason", "等配件", "--at", "2026-10-12 10:00"))
    first_id(cli("repair", "resume", repair, "--at", "2026-10-12 12:00"))
    assert "\n暂停时长：2小时" in zh_show(cli, repair)


def test_a_clock_out_names_the_shift_end_early_leave_and_handover(cli, workspace):
    october_site(workspace.root)
    duty = first_id(cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55"))
    handover = first_id(cli("handover", "--staff", "zhangwei", "--to", "lina",
                            "--at", "2026-10-05 18:50"))
    first_id(cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 19:00"))
    step = zh_show(cli, duty).splitlines()[-1]
    assert "班次结束：2026-10-05 20:00" in step and "早退分钟：60" in step
    assert f"交接班：{handover[:12]}" in step and handover not in step
    duty = first_id(cli("clock", "in", "--staff", "sunli", "--at", "2026-10-06 07:58"))
    first_id(cli("clock", "out", "--staff", "sunli", "--at", "2026-10-06 20:00",
                 "--no-handover", "--reason", "接班人未到"))
    assert "未写交接的原因：接班人未到" in zh_show(cli, duty).splitlines()[-1]


def test_a_readiness_problem_names_its_item_and_run(cli):
    run = first_id(cli("checklist", "--ok", "all", "--problem", "printer", "--note", "没纸了",
                       "--staff", "zhangwei", "--at", "2026-10-12 20:05"))
    problem = cli("list", "--kind", "readiness-problem", "--format", "csv").stdout
    problem = problem.splitlines()[1].split(",")[0].lstrip("\ufeff")
    shown = zh_show(cli, problem)
    assert "检查项：打印机可用\n" in shown and f"备勤检查：{run[:12]}\n" in shown
    assert "printer" not in shown and run not in shown


def test_a_duty_log_entry_names_its_type(cli):
    entry = first_id(cli("log", "note", "--type", "来访", "王先生来访", "--staff", "zhangwei",
                         "--at", "2026-10-12 20:10"))
    shown = zh_show(cli, entry)
    assert "类型：来访\n" in shown and "visitor" not in shown


def test_every_step_detail_and_field_a_kind_declares_has_a_label():
    """A new event key or field gets its words here, not its bare key on the screen."""
    spread = {"resident"}  # an edit's changed fields: name, room, phone, each labelled
    result_words = {"result"}  # a callback attempt's result is put in words whole
    for action, (keys, _check) in event_data().items():
        for key in keys:
            assert key in EVENT_KEYS or key in spread | result_words | set(HIDDEN_KEYS), (
                action, key)
    assert not set(SHOWN_ELSEWHERE) & set(FIELD_LABELS)


def test_every_step_of_every_kind_has_its_word_in_chinese(monkeypatch):
    """`complaint reopen` said '已记录reopen': a step of a kind without a word in
    `words.ACTIONS` is shown as its id, on the step's own line and in `show`."""
    from dutyctl import messages
    from dutyctl.records import kinds
    from dutyctl.words import action_word

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.forget_language()
    for kind, spec in kinds().items():
        for action in spec.transitions:
            word = action_word(action)
            assert not re.search(r"[A-Za-z]", word), f"{kind}: {action} is said {word!r}"


def test_a_reopened_complaint_says_so_in_words(cli):
    complaint = first_id(cli("complaint", "file", *RESIDENT, "--category", "noise",
                             "--content", "楼上噪音", "--at", "2026-10-12 21:00"))
    first_id(cli("complaint", "close", complaint, "--as", "撤回", "--reason", "住户撤回",
                 "--at", "2026-10-12 21:10"))
    reopened = cli("complaint", "reopen", complaint, "--reason", "住户说问题又出现了",
                   "--at", "2026-10-12 21:20", env={"DUTYCTL_LANG": "zh_CN"})
    assert reopened.exit_code == 0, reopened.stderr
    assert "已记录重新打开，当前状态：待处理" in reopened.stdout
    assert "reopen" not in zh_show(cli, complaint)
