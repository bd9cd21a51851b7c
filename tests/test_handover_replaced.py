"""A handover written again for the same shift change, before anyone accepted the first,
replaces it: one handover waits (the latest, with the earlier notes), the incoming person's
plain `接班` accepts it, reports count one. One already accepted, or for other people, stays
as it is; two left waiting by desks that had not synced are settled by the acceptance."""

from __future__ import annotations

import json

import pytest

from dutyctl.kinds.handover import KIND
from tests.helpers_desk import october_site

ZH = ("--lang", "zh_CN")


@pytest.fixture
def site(workspace):
    october_site(workspace.root)
    return workspace


def ok(result):
    assert result.exit_code == 0, result.stderr + result.stdout
    return result


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
    assert "替代" not in said and pending(cli) == [follow_up, other]


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
    checked = cli("check")  # the records read clean (the roster's own gaps aside)
    assert "records/" not in checked.stdout + checked.stderr
