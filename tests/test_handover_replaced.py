"""A handover written again for the same shift change, before anyone accepted the first,
replaces it: one handover waits (the latest, with the earlier notes), the incoming person's
plain `接班` accepts it, reports count one. One already accepted, or for other people, stays
as it is; two left waiting by desks that had not synced are settled by the acceptance."""

from __future__ import annotations

import json

import pytest

from dutyctl.kinds.handover import KIND
from tests.helpers_desk import october_site, ok

ZH = ("--lang", "zh_CN")


@pytest.fixture
def site(workspace):
    october_site(workspace.root)
    return workspace


def handover(cli, sender: str, to: str, when: str, *notes: str):
    written = ok(cli(*ZH, "交接班", "--操作人", sender, "--接班人", to, "--时间", when,
                     *(arg for note in notes for arg in ("--备注", note))))
    return written.stdout.split()[0], written.stderr


def pending(cli) -> list[str]:
    return [row["id"] for row in json.loads(ok(cli("handover", "pending", "-f", "json")).stdout)]


def test_a_second_handover_replaces_the_first_and_is_the_one_accepted(cli, site, clock):
    clock.set("2026-10-06T09:00:00+08:00")
    first, _ = handover(cli, "zhangwei", "lina", "2026-10-05 19:50", "3号楼电梯异响")
    second, said = handover(cli, "zhangwei", "lina", "2026-10-05 19:58", "前台钥匙在抽屉",
                            "3号楼电梯异响")
    assert f"本次交接替代 2026-10-05 19:50 写的交接 {first[:12]}" in said, said
    assert pending(cli) == [second]
    earlier, later = site.store.get(first), site.store.get(second)
    assert earlier.status == "replaced" and later.get("replaces") == [first]
    # the earlier notes come along, none twice
    assert later.get("notes") == ["前台钥匙在抽屉", "3号楼电梯异响"]
    accepted = ok(cli(*ZH, "接班", "--操作人", "lina", "--时间", "2026-10-05 20:02"))
    assert accepted.stdout.split()[0] == second
    assert site.store.get(second).status == "accepted" and pending(cli) == []
    shown = ok(cli(*ZH, "交接班", "查看", first)).stdout
    assert "状态：已替代" in shown and f"已由交接 {second[:12]} 替代" in shown, shown
    report = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "-f", "json")).stdout)
    handovers = report["handovers"]
    assert (handovers["written"], handovers["accepted"], handovers["unaccepted"]) == (1, 1, [])
    checked = cli("check")  # the records read clean (the roster's own gaps aside)
    assert "records/" not in checked.stdout + checked.stderr


def test_one_accepted_already_or_for_others_is_not_replaced(cli, site, clock):
    clock.set("2026-10-06T09:00:00+08:00")
    first, _ = handover(cli, "zhangwei", "lina", "2026-10-05 19:50", "3号楼电梯异响")
    ok(cli(*ZH, "接班", "--操作人", "lina", "--时间", "2026-10-05 19:55"))
    follow_up, said = handover(cli, "zhangwei", "lina", "2026-10-05 20:05", "补充：钥匙在抽屉")
    assert "替代" not in said
    assert site.store.get(first).status == "accepted"
    assert site.store.get(follow_up).get("notes") == ["补充：钥匙在抽屉"]
    other, said = handover(cli, "zhangwei", "sunli", "2026-10-05 20:06")
    assert "本次交接替代" not in said and pending(cli) == [follow_up, other]
    # not left waiting beside it unsaid: if 李娜 was the wrong person, how to replace it
    assert (f"写给 李娜 的交接 {follow_up[:12]} 仍在等待确认" in said
            and f"交接班 --接班人 孙丽 --替代 {follow_up[:12]}" in said), said


def test_a_narrower_one_leaves_the_earlier_waiting_for_the_others(cli, site, clock):
    """张伟 hands over to 李娜 and 孙丽, then writes again to 李娜 only: 孙丽's handover still
    waits (only one to all the earlier people, or more, replaces it)."""
    clock.set("2026-10-06T09:00:00+08:00")
    first, _ = handover(cli, "zhangwei", "lina,sunli", "2026-10-05 19:50", "3号楼电梯异响")
    second, said = handover(cli, "zhangwei", "lina", "2026-10-05 19:58", "前台钥匙在抽屉")
    assert "本次交接替代" not in said and pending(cli) == [first, second]
    assert f"交接 {first[:12]} 仍在等待确认" in said, said
    assert site.store.get(first).status == "pending"
    accepted = ok(cli(*ZH, "接班", "--操作人", "sunli", "--时间", "2026-10-05 20:02"))
    assert accepted.stdout.split()[0] == first
    # wider again (李娜, 孙丽 and 王强): replaces the narrower one nobody accepted
    third, said = handover(cli, "zhangwei", "lina,sunli,wangqiang", "2026-10-05 20:05")
    assert f"本次交接替代 2026-10-05 19:58 写的交接 {second[:12]}" in said, said
    assert site.store.get(first).status == "pending"  # 孙丽 signed it: not replaced
    # and the writer is told so: it still waits for 李娜, this one for all three
    assert (f"交接 {first[:12]} 已有 孙丽 接班确认，不会被本次交接替代：那份仍等 李娜 确认"
            in said), said


def test_two_left_waiting_by_unsynced_desks_are_settled_by_accepting_the_latest(cli, site,
                                                                               clock):
    """Written on two desks before a sync (or by a version before handovers replaced each
    other): both wait; a plain `接班` accepts the latest and closes the earlier as replaced."""
    clock.set("2026-10-06T09:00:00+08:00")
    first, _ = handover(cli, "zhangwei", "lina", "2026-10-05 19:50", "3号楼电梯异响")
    earlier = site.store.get(first)
    from datetime import timedelta

    fields = {key: earlier.get(key) for key in ("from", "to", "items")}
    second = site.store.create(KIND, {**fields, "notes": ["前台钥匙在抽屉"]},
                               at=earlier.created_at + timedelta(minutes=8), by="zhangwei")
    assert pending(cli) == [first, second.id]
    accepted = ok(cli(*ZH, "接班", "--操作人", "lina", "--时间", "2026-10-05 20:02"))
    assert accepted.stdout.split()[0] == second.id
    assert site.store.get(first).status == "replaced" and pending(cli) == []
    # the earlier one's note, not carried when it was written, is shown to the incoming clerk
    said = accepted.stderr
    assert f"2026-10-05 19:50 写的交接 {first[:12]} 已由本次交接替代" in said, said
    assert "3号楼电梯异响" in said and f"交接班 查看 {first[:12]}" in said, said
    checked = cli("check")  # the records read clean (the roster's own gaps aside)
    assert "records/" not in checked.stdout + checked.stderr


def test_an_acceptance_from_another_desk_after_the_replacement_counts_for_it(cli, site,
                                                                            clock):
    """Desk B writes H2 at 19:58, replacing H1; desk A, not synced, had 李娜 accept H1 at
    19:59 (its step file comes in by the sync). The sync carries the acceptance to H2
    (carry_acceptances): H2 no longer waits, the shift change counts once. On one desk, a
    replaced handover is not accepted by id. (tests/test_handover_two_desks.py: the same
    through two desks and `sync`.)"""
    from datetime import timedelta

    from dutyctl.desk.handover import carry_acceptances
    from dutyctl.kinds.handover import ACCEPT

    clock.set("2026-10-06T09:00:00+08:00")
    first, _ = handover(cli, "zhangwei", "lina", "2026-10-05 19:50", "3号楼电梯异响")
    second, _ = handover(cli, "zhangwei", "lina", "2026-10-05 19:58")  # adding nothing
    replaced = site.store.get(first)
    assert replaced.status == "replaced"
    refused = cli(*ZH, "接班", first[:12], "--操作人", "lina", "--时间", "2026-10-05 20:00")
    assert refused.exit_code == 2 and f"已由交接 {second[:12]} 替代" in refused.stderr, \
        refused.stderr
    assert carry_acceptances(site.store, [first, second]) == ([], [])  # nobody signed H1
    site.store.append(replaced, ACCEPT, at=replaced.created_at + timedelta(minutes=9),
                      by="lina")  # desk A's step, as the sync brings it
    assert site.store.get(first).status == "accepted"
    assert pending(cli) == [second]  # until carried
    [(earlier, later, steps)], [] = carry_acceptances(site.store, [first, second])
    assert (earlier.id, later.id, [step.by for step in steps]) == (first, second, ["lina"])
    assert steps[0].data["handover"] == first and later.status == "accepted"
    assert carry_acceptances(site.store, [first]) == ([], [])  # carried once
    assert pending(cli) == []
    report = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "-f", "json")).stdout)
    handovers = report["handovers"]
    assert (handovers["written"], handovers["accepted"], handovers["unaccepted"]) == (1, 1, [])
    checked = cli("check")
    assert "records/" not in checked.stdout + checked.stderr


def test_a_carried_acceptance_its_history_refuses_is_said_not_dropped(cli, site, clock):
    """李娜 accepted H1 after H2 (to 李娜 and 孙丽) replaced it; H2's history, edited by
    hand, has 孙丽's acceptance and, later, one by someone it does not name: 李娜's carried
    step, before that one, would accept H2 and make it impossible. Nothing is written and
    李娜 is among those it still waits for, with the refusal (the sync says it)."""
    from datetime import timedelta

    from dutyctl.desk.handover import carry_acceptances
    from dutyctl.kinds.handover import ACCEPT

    clock.set("2026-10-06T09:00:00+08:00")
    first, _ = handover(cli, "zhangwei", "lina", "2026-10-05 19:50")
    second, _ = handover(cli, "zhangwei", "lina,sunli", "2026-10-05 19:58")
    later = site.store.get(second)
    later = site.store.append(later, ACCEPT, at=later.created_at + timedelta(seconds=30),
                              by="sunli")
    site.store.append(later, ACCEPT, at=later.created_at + timedelta(minutes=7),
                      by="wangqiang")  # hand-edited: counts for nobody, before 李娜's
    replaced = site.store.get(first)
    site.store.append(replaced, ACCEPT, at=replaced.created_at + timedelta(minutes=9),
                      by="lina")  # desk A's step, as the sync brings it
    events = len(site.store.get(second).events)
    carried, [(earlier, later, people, why)] = carry_acceptances(site.store, [first])
    assert carried == [] and (earlier.id, later.id, people) == (first, second, ["lina"])
    assert why and second[:12] in why, why
    assert len(site.store.get(second).events) == events
    assert pending(cli) == [second]


def test_a_wrong_recipient_corrected_replaces_the_handover_named(cli, site, clock):
    """张伟 hands over to 王强 by mistake, then to 李娜: the second does not replace the first
    on its own (it could be meant for other people), and says so, with the command that
    replaces it; written so, one handover waits, the earlier notes come along."""
    from tests.helpers_desk import record_files

    clock.set("2026-10-06T09:00:00+08:00")
    wrong, _ = handover(cli, "zhangwei", "wangqiang", "2026-10-05 19:50", "3号楼电梯异响")
    second, said = handover(cli, "zhangwei", "lina", "2026-10-05 19:55", "前台钥匙在抽屉")
    assert pending(cli) == [wrong, second]
    hint = f"交接班 --接班人 李娜 --替代 {wrong[:12]}"
    assert hint in said, said
    made = ok(cli(*ZH, "交接班", "--操作人", "zhangwei", "--接班人", "李娜", "--替代",
                  wrong[:12], "--时间", "2026-10-05 19:58"))
    third, said = made.stdout.split()[0], made.stderr
    assert pending(cli) == [third]
    assert {site.store.get(wrong).status, site.store.get(second).status} == {"replaced"}
    assert site.store.get(third).get("notes") == ["3号楼电梯异响", "前台钥匙在抽屉"]
    assert f"本次交接替代 2026-10-05 19:50 写的交接 {wrong[:12]}" in said, said
    # refused, nothing written: one accepted, one of someone else, one not a handover
    ok(cli(*ZH, "接班", "--操作人", "lina", "--时间", "2026-10-05 20:00"))
    files = record_files(site.root)
    for typed, words in ((third, "已有 李娜 接班确认"), (wrong, "不在等待确认")):
        refused = cli(*ZH, "交接班", "--操作人", "zhangwei", "--接班人", "李娜", "--替代",
                      typed[:12], "--时间", "2026-10-05 20:05")
        assert refused.exit_code == 2 and words in refused.stderr, refused.stderr
    assert record_files(site.root) == files
    other, _ = handover(cli, "sunli", "lina", "2026-10-05 20:06")
    files = record_files(site.root)
    refused = cli(*ZH, "交接班", "--操作人", "zhangwei", "--接班人", "李娜", "--替代",
                  other[:12], "--时间", "2026-10-05 20:07")
    assert refused.exit_code == 2 and "是 孙丽 写的" in refused.stderr, refused.stderr
    assert record_files(site.root) == files
