"""After a day or two of backlog the daily report and the handover's screen listed every
overdue item (84 and 90 lines): they show the most urgent, at most a named number, then one
line counting the rest by kind with the command that lists them all. The data (json, the
workbook, the handover as written) keeps every one."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from dutyctl.desk.handover import SHOWN_OPEN_ITEMS
from dutyctl.reports.layout import SHOWN_OVERDUE
from dutyctl.tickets import lifecycle

CST = timezone(timedelta(hours=8))
ZH = {"DUTYCTL_LANG": "zh_CN"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def backlog(workspace) -> dict[str, list[str]]:
    """14 ordinary repairs filed on Monday 2026-11-16 and 3 urgent complaints on Wednesday
    at noon, none handled: that evening every one is overdue, the repairs the longest."""
    filed: dict[str, list[str]] = {"repair": [], "complaint": []}

    def ticket(kind: str, urgency: str, name: str, room: str, phone: str, content: str,
               when: str) -> None:
        filed[kind].append(lifecycle.file_ticket(
            workspace.store, workspace.config, kind, category=None, urgency=urgency,
            resident={"name": name, "room": room, "phone": phone}, content=content,
            at=at(when), by="chenjing").short_id)

    for number in range(14):
        ticket("repair", "general", f"住户{number}", f"3-2-{501 + number}",
               f"1390000{number:04d}", f"报修事项{number}", f"2026-11-16 09:{number:02d}")
    for number in range(3):
        ticket("complaint", "urgent", f"业主{number}", f"5-1-{101 + number}",
               f"1380000{number:04d}", f"投诉事项{number}", f"2026-11-18 12:{number:02d}")
    return filed


def test_the_daily_report_shows_the_most_urgent_overdue_and_counts_the_rest(workspace, cli,
                                                                          clock):
    clock.set("2026-11-19T09:00:00+08:00")
    filed = backlog(workspace)
    text = cli("report", "daily", "--date", "2026-11-18", env=ZH)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    head = lines.index("17 项已超时（最紧急的在前）")
    rows = lines[head + 3:head + 3 + SHOWN_OVERDUE]
    # the urgent complaints (timed round the clock) first, though overdue fewer minutes
    assert [row.split()[2] for row in rows[:3]] == filed["complaint"]
    assert [row.split()[2] for row in rows[3:]] == filed["repair"][:SHOWN_OVERDUE - 3]
    assert lines[head + 3 + SHOWN_OVERDUE] == ""
    rest = " ".join(" ".join(lines[head + 4 + SHOWN_OVERDUE:]).split())  # a note wraps
    assert rest.startswith("另有 7 项未列出（报修 7 项）；全部列出：dutyctl 列表 --已超时 --截至 "
                           '"2026-11-19 00:00" --全部'), rest
    assert not any(repair in text.stdout for repair in filed["repair"][SHOWN_OVERDUE:])
    # the repairs' own section too: its overdue list cut, the command for that kind
    assert "dutyctl 列表 --已超时 --种类 报修" in text.stdout
    data = json.loads(cli("report", "daily", "--date", "2026-11-18", "--format", "json").stdout)
    (overdue,) = [entry["items"] for entry in data["attention"] if entry["group"] == "overdue"]
    assert [item["id"] for item in overdue] == filed["complaint"] + filed["repair"]
    assert len(data["repairs"]["overdue_items"]) == 14


def test_the_handover_screen_shows_the_most_urgent_and_keeps_every_item(workspace, cli, clock):
    clock.set("2026-11-18T21:00:00+08:00")
    filed = backlog(workspace)
    written = cli("handover", "--staff", "chenjing", "--to", "lina",
                  "--at", "2026-11-18 20:30", env=ZH)
    assert written.exit_code == 0, written.stderr
    handover = written.stdout.split()[0]
    screen = written.stderr.splitlines()
    assert screen[0].endswith("未结事项 17 项")
    listed = [line.split()[1] for line in screen[1:] if line.startswith("  投诉")
              or line.startswith("  报修")]
    assert listed == filed["complaint"] + filed["repair"][:SHOWN_OPEN_ITEMS - 3]
    assert screen[-1] == f"  另有 7 项未列出（报修 7 项）；全部事项：dutyctl 交接班 查看 {handover[:12]}"
    # the written handover names every open item the next shift inherits
    shown = json.loads(cli("handover", "show", handover, "--format", "json").stdout)
    assert sorted(item["record"][:12] for item in shown["items"]) == sorted(
        filed["complaint"] + filed["repair"])
    table = cli("handover", "show", handover, env=ZH).stdout
    assert all(repair in table for repair in filed["repair"])


def test_the_handover_screen_never_cuts_an_emergency_repair_filed_minutes_ago(workspace, cli,
                                                                              clock):
    """Seventeen overdue items and a burst pipe (急修) filed five minutes before the handover,
    not overdue yet: the screen shows it all the same, the most urgent thing the next shift
    inherits (it was cut, counted in the rest line)."""
    clock.set("2026-11-18T21:00:00+08:00")
    backlog(workspace)
    pipe = lifecycle.file_ticket(
        workspace.store, workspace.config, "repair", category=None, urgency="emergency",
        resident={"name": "急修住户", "room": "6-1-302", "phone": "13900009999"},
        content="厨房水管爆管", at=at("2026-11-18 20:25"), by="chenjing")
    written = cli("handover", "--staff", "chenjing", "--to", "lina",
                  "--at", "2026-11-18 20:30", env=ZH)
    assert written.exit_code == 0, written.stderr
    screen = written.stderr.splitlines()
    assert any(pipe.short_id in line for line in screen[1:]), written.stderr
    assert screen[-1].startswith("  另有 8 项未列出（报修 8 项）"), screen[-1]


def test_the_handover_screen_reads_the_ranked_records_together(workspace, clock, monkeypatch):
    """Ranking more than SHOWN_OPEN_ITEMS by urgency reads their records together, a listing
    of each day folder holding them, not `Store.get` one by one (three folders each); the
    order is the urgency's all the same."""
    from dutyctl.desk.handover import open_items, screen_items

    clock.set("2026-11-18T21:00:00+08:00")
    filed = backlog(workspace)
    store = workspace.store
    items = open_items(store, at("2026-11-18 20:30"))
    one_by_one = []
    get = type(store).get
    monkeypatch.setattr(type(store), "get",
                        lambda self, typed: one_by_one.append(typed) or get(self, typed))
    shown, left = screen_items(store, workspace.config, items, at("2026-11-18 20:30"))
    assert one_by_one == []
    assert [item.record[:12] for item in shown] == (
        filed["complaint"] + filed["repair"][:SHOWN_OPEN_ITEMS - 3])
    assert [item.record[:12] for item in left] == filed["repair"][SHOWN_OPEN_ITEMS - 3:]
