"""One shift change through the installed `dutyctl` binary, in a subprocess without a TTY."""

from __future__ import annotations

import json

from tests.conftest import run_dutyctl
from tests.helpers_desk import october_site


def test_shift_change_through_the_installed_binary(workspace, dutyctl_command):
    october_site(workspace.root)

    def run(*args, user="zhangwei"):
        return run_dutyctl(dutyctl_command, *args, root=workspace.root, user=user)

    clock_in = run("clock", "in", "--at", "2026-10-05 07:55")
    assert clock_in.returncode == 0, clock_in.stderr
    assert "on time" in clock_in.stderr
    checklist = run("checklist", "--ok", "all", "--problem", "printer", "--note", "卡纸",
                    "--at", "2026-10-05 08:05")
    assert checklist.returncode == 0, checklist.stderr
    refused = run("clock", "out", "--at", "2026-10-05 20:00")  # no TTY: never waits for input
    assert refused.returncode == 2 and "--no-handover" in refused.stderr
    handover = run("handover", "--to", "lina", "--note", "钥匙在抽屉", "--at", "2026-10-05 19:50")
    assert handover.returncode == 0, handover.stderr
    assert "打印机可用: 卡纸" in handover.stderr  # the item by its configured label, not its id
    assert run("clock", "out", "--at", "2026-10-05 20:00").returncode == 0
    accept = run("handover", "accept", "--clock-in", "--at", "2026-10-05 20:03", user="lina")
    assert accept.returncode == 0, accept.stderr
    assert accept.stdout.split()[0] == handover.stdout.strip()

    report = run("attendance", "--month", "2026-10", "--format", "json")
    assert report.returncode == 0, report.stderr
    rows = {row["staff"]: row for row in json.loads(report.stdout)}
    assert (rows["zhangwei"]["attended"], rows["zhangwei"]["hours_worked"]) == (1, 12.08)
    assert (rows["lina"]["attended"], rows["lina"]["late"]) == (1, 0)
    # the hand-written roster leaves shifts unfilled (check reports that); records are clean
    checked = run("check")
    assert "records/" not in checked.stdout and checked.stdout.strip(), checked.stdout
