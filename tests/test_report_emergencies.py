"""A report says what each emergency was and how it ended: the table gave its type, place,
times and number of steps, and a supervisor could not tell what happened from any format."""

from __future__ import annotations

import json


def test_a_report_says_what_an_emergency_was_and_how_it_ended(cli, workspace, clock):
    clock.set("2026-10-12T09:00:00+08:00")
    opened = cli("emergency", "open", "--type", "elevator-entrapment", "--where", "5号楼1单元电梯",
                 "--content", "1人被困", "--staff", "chenjing", "--at", "2026-10-12 03:00")
    assert opened.exit_code == 0, opened.stderr
    record_id = opened.stdout.split()[0]
    assert cli("emergency", "close", record_id, "--summary", "维保单位到场解困，无人受伤",
               "--staff", "chenjing", "--at", "2026-10-12 03:44").exit_code == 0
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    (item,) = report["emergencies"]["items"]
    assert (item["content"], item["outcome"]) == ("1人被困", "维保单位到场解困，无人受伤")
    text = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-12").stdout
    section = text.split("突发事件\n--------\n", 1)[1]
    assert "经过" in section and "1人被困 → 维" in section, section  # cut to 100 columns
    page = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-12", "-f",
               "markdown").stdout  # whole where cells are
    assert "| 1人被困 → 维保单位到场解困，无人受伤 |" in page, page
