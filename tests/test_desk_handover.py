"""The written handover: gathered open items, carried problems, acceptance, pending list."""

from __future__ import annotations

import json

import pytest

from dutyctl.textwidth import display_width
from tests.helpers_desk import git_head, october_site, ok, printed_ids, record_files

RESIDENT = ("--name", "张三", "--phone", "13812345678")


@pytest.fixture
def site(workspace):
    october_site(workspace.root)
    return workspace


def new_id(result) -> str:
    return printed_ids(ok(result).stdout)[0]


def handover(cli, sender, to, when, *notes):
    args = [arg for note in notes for arg in ("--note", note)]
    return cli("handover", "--staff", sender, "--to", to, "--at", when, *args)


def gathered(workspace, handover_id):
    items = workspace.store.get(handover_id).get("items")
    return [(item["kind"], item["record"]) for item in items]


def _three_open(cli) -> tuple[str, str, str]:
    """A complaint, a repair and a call awaiting its callback, filed on 2026-10-05 morning."""
    at = ("--staff", "zhangwei", "--at")
    complaint = new_id(cli("complaint", "file", *RESIDENT, "--room", "3-2-501",
                           "--category", "noise", "--content", "楼上装修噪音", *at,
                           "2026-10-05 09:00"))
    repair = new_id(cli("repair", "file", *RESIDENT, "--room", "5-1-1202",
                        "--category", "drains", "--content", "厨房下水堵塞", *at,
                        "2026-10-05 10:00"))
    callback = new_id(cli("log", "call", *RESIDENT, "--room", "3-2-501", "--summary", "物业费发票",
                          "--callback-by", "2026-10-05 18:00", *at, "2026-10-05 11:00"))
    return complaint, repair, callback


def test_handover_lists_open_tickets_and_callbacks(cli, site):
    at = ("--staff", "zhangwei", "--at")
    complaint, repair, callback = _three_open(cli)
    answered = new_id(cli("log", "call", *RESIDENT, "--room", "3-2-501", "--summary", "停车咨询",
                          *at, "2026-10-05 11:30"))
    called = new_id(cli("log", "call", *RESIDENT, "--room", "1-1-101", "--summary", "门禁卡",
                        "--callback-by", "2026-10-05 15:00", *at, "2026-10-05 12:00"))
    ok(cli("callback", "done", called, "--note", "已告知", *at, "2026-10-05 13:00"))
    emergency = new_id(cli("emergency", "open", "--type", "water-outage", "--where", "3号楼",
                           "--content", "3号楼停水", *at, "2026-10-05 14:00"))
    over = new_id(cli("emergency", "open", "--type", "fire", "--where", "垃圾站",
                      "--content", "垃圾站冒烟", *at, "2026-10-05 15:00"))
    ok(cli("emergency", "close", over, "--summary", "已扑灭", *at, "2026-10-05 15:30"))
    later = new_id(cli("repair", "file", *RESIDENT, "--room", "2-1-301", "--category", "other",
                       "--content", "灯坏了", *at, "2026-10-05 21:00"))

    result = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45", "钥匙在抽屉"))
    handover_id = result.stdout.strip()
    items = gathered(site, handover_id)
    # the fire the shift saw to an end comes first (an incident report heads a handover,
    # domain notes §3), as a closed item that is not counted open; then the open items
    assert items == [("emergency", over), ("emergency", emergency), ("complaint", complaint),
                     ("repair", repair), ("call", callback)]
    assert "4 open items" in result.stderr
    assert next(line for line in result.stderr.splitlines() if over[:12] in line).endswith(
        "(closed, 2026-10-05 15:00)")
    # the count matches the lines under it: the closed fire is listed apart, under its own
    # heading and count
    lines = result.stderr.splitlines()
    heading = lines.index("1 emergency closed during the shift:")
    assert [line.split()[1] for line in lines[1:heading]] == [
        id[:12] for id in (emergency, complaint, repair, callback)]
    assert over[:12] in lines[heading + 1]
    for closed in (answered, called, later):
        assert closed not in result.stderr
    record = site.store.get(handover_id)
    assert (record.get("from"), list(record.get("to")), record.status) == (
        "zhangwei", ["lina"], "pending")
    assert list(record.get("notes")) == ["钥匙在抽屉"]
    assert "OVERDUE" in result.stderr  # the callback was due at 18:00
    shown = json.loads(ok(cli("handover", "show", handover_id, "--format", "json")).stdout)
    # in the handover's order, each saying its group as the handover's screen lists them
    assert [(item["record"], item["group"]) for item in shown["items"]] == [
        (over, "closed"), (emergency, "open"), (complaint, "open"), (repair, "open"),
        (callback, "open")]
    assert "13812345678" not in json.dumps(shown)
    table = ok(cli("--lang", "zh_CN", "handover", "show", handover_id)).stdout
    assert "状态：待接班" in table and "交班人：张伟" in table
    assert "突发事件" in table and "回电" in table and "pending" not in table
    # a Chinese sheet's group is the screen's heading: a complaint 已办结 awaiting its visit
    # back stood under 未办结事项 ("not yet 办结")
    sheet = ok(cli("--lang", "zh_CN", "handover", "show", handover_id, "-f", "csv")).stdout
    assert "未结事项" in sheet and "本班已处置" in sheet and "未办结" not in sheet, sheet


def test_a_backdated_handover_lists_what_was_open_then_as_it_stood(cli, site, clock):
    """`handover --at T` written after later steps were recorded: the items open at T, each
    with its status at T (steps after T left out), as a handover written at T would have."""
    clock.set("2026-10-06T09:00:00+08:00")
    at = ("--staff", "zhangwei", "--at")
    handled = new_id(cli("complaint", "file", *RESIDENT, "--room", "3-2-501",
                         "--category", "noise", "--content", "楼上装修噪音", *at,
                         "2026-10-05 09:00"))
    ok(cli("complaint", "handle", handled, "--action", "已联系楼上住户", *at, "2026-10-05 10:00"))
    withdrawn = new_id(cli("complaint", "file", *RESIDENT, "--room", "5-1-1202",
                           "--category", "noise", "--content", "夜间施工", *at,
                           "2026-10-05 11:00"))
    callback = new_id(cli("log", "call", *RESIDENT, "--room", "3-2-501", "--summary", "物业费发票",
                          "--callback-by", "2026-10-05 18:00", *at, "2026-10-05 11:30"))
    # after the handover's moment, recorded before it is written
    ok(cli("complaint", "resolve", handled, "--result", "已停工", *at, "2026-10-05 20:30"))
    ok(cli("complaint", "handle", withdrawn, "--action", "已联系施工方", *at, "2026-10-05 20:35"))
    ok(cli("complaint", "close", withdrawn, "--as", "withdrawn", "--reason", "住户撤回", *at,
           "2026-10-05 20:40"))
    ok(cli("callback", "done", callback, "--note", "已告知", *at, "2026-10-05 20:50"))

    handover_id = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45")).stdout.strip()
    items = site.store.get(handover_id).get("items")
    assert [(item["record"], item["status"]) for item in items] == [
        (handled, "handling"), (withdrawn, "open"), (callback, "awaiting-callback")]


def test_a_readiness_problem_is_carried_through_two_handovers_until_fixed(cli, site):
    ok(cli("checklist", "--staff", "zhangwei", "--at", "2026-10-05 08:10", "--ok", "all",
           "--problem", "printer", "--note", "卡纸"))
    first = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45")).stdout.strip()
    ok(cli("handover", "accept", "--staff", "lina", "--at", "2026-10-05 19:55"))
    second = ok(handover(cli, "lina", "sunli", "2026-10-06 07:50")).stdout.strip()
    for handover_id in (first, second):
        assert [kind for kind, _ in gathered(site, handover_id)] == ["readiness-problem"]
    assert gathered(site, first) == gathered(site, second)
    ok(cli("checklist", "fix", "printer", "--note", "换了搓纸轮", "--staff", "sunli",
           "--at", "2026-10-06 09:00"))
    third = ok(handover(cli, "sunli", "zhangwei", "2026-10-06 19:50")).stdout.strip()
    assert gathered(site, third) == []


def test_the_handover_lines_keep_their_columns_whatever_the_longest_word(cli, site):
    """The English word of a readiness problem is wider than the others: every item's id, and
    every note, still starts in one column."""
    ok(cli("checklist", "--staff", "zhangwei", "--at", "2026-10-05 08:10", "--ok", "all",
           "--problem", "printer", "--note", "卡纸"))
    ok(cli("log", "call", *RESIDENT, "--room", "3-2-501", "--summary", "物业费",
           "--callback-by", "2026-10-05 18:00", "--staff", "zhangwei", "--at", "2026-10-05 09:00"))
    said = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:40", "钥匙在抽屉")).stderr
    lines = said.splitlines()[1:]
    assert [line.split()[0] for line in lines] == ["callback", "readiness-problem", "note"]
    starts = {line.index(line.split()[1]) for line in lines}
    assert len(starts) == 1, said


def test_a_long_place_keeps_the_handover_lines_text_in_one_column(cli, site):
    """The room column was 10 wide: an emergency at 5号楼1单元电梯 (14 columns) pushed its text
    out of line with the room 3-2-501's."""
    at = ("--staff", "zhangwei", "--at")
    ok(cli("emergency", "open", "--type", "water-outage", "--where", "5号楼1单元电梯",
           "--content", "电梯困2人", *at, "2026-10-05 14:00"))
    ok(cli("log", "call", *RESIDENT, "--room", "3-2-501", "--summary", "物业费",
           "--callback-by", "2026-10-05 18:00", *at, "2026-10-05 09:00"))
    said = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:40")).stderr
    lines = [line for line in said.splitlines()[1:] if "电梯困2人" in line or "物业费" in line]
    assert len(lines) == 2, said
    starts = {display_width(line[:line.index(text)]) for line in lines
              for text in ("电梯困2人", "物业费") if text in line}
    assert len(starts) == 1, said


def test_text_pasted_over_lines_or_with_a_tab_stays_on_its_line(cli, site):
    """An emergency's content pasted over two lines started a handover line of its own at the
    left edge, and a tab shifted the `list` columns after it: both said on one line."""
    at = ("--staff", "zhangwei", "--at")
    ok(cli("emergency", "open", "--type", "water-outage", "--where", "5号楼", "--content",
           "5号楼停水\n住户很急", *at, "2026-10-05 14:00"))
    ok(cli("log", "call", *RESIDENT, "--room", "3-2-501", "--summary", "3号楼\t漏水",
           "--callback-by", "2026-10-05 18:00", *at, "2026-10-05 09:00"))
    said = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:40")).stderr
    assert [line for line in said.splitlines() if "住户很急" in line] == [
        next(line for line in said.splitlines() if "5号楼停水" in line)], said
    assert "3号楼 漏水" in said and "\t" not in said
    listed = ok(cli("list", "--as-of", "2026-10-05 19:45")).stdout
    assert "\t" not in listed and "3号楼 漏水" in listed and "5号楼停水 住户很急" in listed


def test_an_unaccepted_handover_is_reported_until_accepted(cli, site):
    handover_id = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45")).stdout.strip()
    pending = json.loads(ok(cli("handover", "pending", "--format", "json")).stdout)
    assert [(row["id"], row["from"], row["to"], row["waiting"]) for row in pending] == [
        (handover_id, "zhangwei", ["lina"], ["lina"])]
    assert "handover" in ok(cli("list", "--open", "--kind", "handover")).stdout

    files = record_files(site.root)
    wrong = cli("handover", "accept", handover_id, "--staff", "sunli")
    assert wrong.exit_code == 2 and "is for 李娜, not 孙丽" in wrong.stderr
    assert record_files(site.root) == files

    accepted = ok(cli("handover", "accept", "--staff", "lina", "--at", "2026-10-05 19:58"))
    assert accepted.stdout.strip() == handover_id
    assert "not clocked in" in accepted.stderr
    assert json.loads(ok(cli("handover", "pending", "--format", "json")).stdout) == []
    event = site.store.get(handover_id).events[-1]
    assert (event.action, event.by) == ("accept", "lina")
    again = cli("handover", "accept", handover_id, "--staff", "lina")
    assert again.exit_code == 2 and "accepted" in again.stderr


def test_accept_can_clock_the_incoming_person_in(cli, site):
    handover_id = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45")).stdout.strip()
    result = ok(cli("handover", "accept", "--clock-in", "--staff", "lina",
                    "--at", "2026-10-05 19:52"))
    accepted_id, duty_id = result.stdout.split()
    assert accepted_id == handover_id
    duty = site.store.get(duty_id)
    assert (duty.kind, duty.get("staff"), duty.get("verdict")) == ("duty", "lina", "on-time")
    assert site.store.get(handover_id).events[-1].data["duty"] == duty_id


def test_accept_at_a_terminal_asks_whether_to_clock_in(cli, site, monkeypatch):
    ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45"))
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    result = ok(cli("handover", "accept", "--staff", "lina", "--at", "2026-10-05 19:52",
                    input="y\n"))
    assert len(printed_ids(result.stdout)) == 2


def test_accept_without_id_needs_exactly_one_waiting(cli, site):
    none = cli("handover", "accept", "--staff", "lina")
    assert none.exit_code == 2 and "no handover waits for 李娜" in none.stderr
    ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45"))
    ok(handover(cli, "sunli", "lina", "2026-10-05 19:46"))
    several = cli("handover", "accept", "--staff", "lina")
    assert several.exit_code == 2 and "2 handovers wait for 李娜" in several.stderr
    assert "(from 张伟, 2026-10-05 19:45)" in several.stderr
    assert "(from 孙丽, 2026-10-05 19:46)" in several.stderr


def test_a_second_accept_says_when_it_was_accepted(cli, site):
    """`交接班 接班` again after accepting said no handover waited, as if none had come: it
    says when it was accepted, and from whom; nothing written."""
    handover_id = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45")).stdout.strip()
    ok(cli("handover", "accept", "--staff", "lina", "--at", "2026-10-05 19:52"))
    files = record_files(site.root)
    again = cli("--lang", "zh_CN", "交接班", "接班", "--操作人", "李娜", "--时间",
                "2026-10-05 20:10")
    assert again.exit_code == 2
    assert again.stderr.strip() == (f"李娜 已于 2026-10-05 19:52 确认接班（张伟 交来的交接班 "
                                    f"{handover_id[:12]}），没有其他等待其接班的交接")
    english = cli("handover", "accept", "--staff", "lina", "--at", "2026-10-05 20:10")
    assert "lina" not in english.stderr and "李娜 already accepted handover" in english.stderr
    assert record_files(site.root) == files
    # accepted before the moment asked about only; long ago: nothing waits, as before
    before = cli("handover", "accept", "--staff", "lina", "--at", "2026-10-05 19:50")
    assert "no handover waits for 李娜" in before.stderr
    later = cli("handover", "accept", "--staff", "lina", "--at", "2026-10-12 09:00")
    assert "no handover waits for 李娜" in later.stderr


def test_handover_refusals_write_nothing(cli, site):
    files, head = record_files(site.root), git_head(site.root)
    assert cli("handover", "--staff", "zhangwei").exit_code == 2  # no --to without a terminal
    after_the_roster = ("handover", "--staff", "zhangwei", "--at", "2026-11-15 10:00")
    nobody = cli(*after_the_roster)
    assert nobody.exit_code == 2 and nobody.stderr.strip() == (
        "nobody is rostered on the next shift: name the incoming people with --to STAFF")
    nobody_zh = cli("--lang", "zh_CN", *after_the_roster)
    assert nobody_zh.exit_code == 2
    assert nobody_zh.stderr.strip() == "下一班次没有排班人员：请用 --接班人 加员工姓名指定接班人"
    to_self = cli("handover", "--staff", "zhangwei", "--to", "zhangwei")
    assert to_self.exit_code == 2 and "themselves" in to_self.stderr
    assert cli("handover", "--staff", "zhangwei", "--to", "ghost").exit_code == 2
    assert (record_files(site.root), git_head(site.root)) == (files, head)


def test_handover_at_a_terminal_suggests_the_next_shift(cli, site, monkeypatch):
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    ok(cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55"))
    result = ok(cli("handover", "--staff", "zhangwei", "--at", "2026-10-05 19:45",
                    input="\n空调遥控器在前台\n\n"))
    record = site.store.get(printed_ids(result.stdout)[0])
    assert (list(record.get("to")), list(record.get("notes"))) == (["lina"], ["空调遥控器在前台"])


@pytest.mark.parametrize("lang,said", [
    ("en", "handover {id}: 王强 -> 孙丽 at 2026-10-05 22:00"),
    ("zh_CN", "交接班 {id}：王强 → 孙丽，2026-10-05 22:00")])
def test_someone_not_on_duty_hands_over_to_the_next_shift_as_who_finds_it(cli, site, lang,
                                                                          said):
    """王强 is not on duty late in the evening: his handover goes to the next shift to come
    on (孙丽, the day shift at 08:00 the next morning), not refused for want of a next shift
    within the clock-in window."""
    assert "孙丽 (白班)" in ok(cli("who", "--at", "2026-10-05 22:00")).stdout
    result = ok(cli("handover", "--staff", "wangqiang", "--at", "2026-10-05 22:00",
                    env={"DUTYCTL_LANG": lang}))
    record = site.store.get(printed_ids(result.stdout)[0])
    assert list(record.get("to")) == ["sunli"]
    assert said.format(id=record.id[:12]) in result.stderr


def test_every_item_past_its_deadline_is_marked_overdue_the_same_way(cli, site, tmp_path):
    """A complaint or repair past its next deadline is marked overdue like a late callback: in
    the lines printed, the table, the sheet and json of `handover show`."""
    from openpyxl import load_workbook

    complaint, repair, callback = _three_open(cli)
    written = ok(cli("--lang", "zh_CN", "handover", "--staff", "zhangwei", "--to", "lina",
                     "--at", "2026-10-10 19:45"))
    handover_id = written.stdout.strip()
    lines = {line.split()[1]: line for line in written.stderr.splitlines()
             if line.startswith("  ") and len(line.split()) > 1}
    for record in (complaint, repair, callback):
        assert "已超时" in lines[record[:12]], written.stderr
    shown = json.loads(ok(cli("handover", "show", handover_id, "--format", "json")).stdout)
    states = {item["record"]: item.get("state") for item in shown["items"]}
    assert states == {complaint: "overdue", repair: "overdue", callback: "overdue"}
    assert all(item.get("due") for item in shown["items"])
    table = ok(cli("--lang", "zh_CN", "handover", "show", handover_id)).stdout
    assert table.count("已超时") == 3, table
    sheet = tmp_path / "handover.xlsx"
    ok(cli("--lang", "zh_CN", "handover", "show", handover_id, "--format", "xlsx",
           "--output", str(sheet)))
    cells = [cell for row in load_workbook(sheet).active.iter_rows(values_only=True)
             for cell in row]
    assert cells.count("已超时") == 3 and "overdue" not in cells
    pending = ok(cli("--lang", "zh_CN", "handover", "pending", "--format", "json")).stdout
    assert [row["overdue"] for row in json.loads(pending)] == [3]
    assert "已超时" in ok(cli("--lang", "zh_CN", "handover", "pending")).stdout


def test_pending_counts_the_items_overdue_by_now(cli, site, clock):
    """`handover pending` is read while the handover waits: an item that fell due after it
    was written counts as overdue once its deadline has passed (`show` keeps the moment it
    was handed over)."""
    clock.set("2026-10-05T12:30:00+08:00")
    ok(cli("log", "call", *RESIDENT, "--room", "3-2-501", "--summary", "物业费发票",
           "--callback-by", "2026-10-05 18:00", "--staff", "zhangwei", "--at",
           "2026-10-05 11:00"))
    ok(cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-05 12:00"))
    waiting = json.loads(ok(cli("handover", "pending", "--format", "json")).stdout)
    assert [row["overdue"] for row in waiting] == [0]
    clock.set("2026-10-05T18:30:00+08:00")
    waiting = json.loads(ok(cli("handover", "pending", "--format", "json")).stdout)
    assert [row["overdue"] for row in waiting] == [1]


def test_show_prints_every_note_a_handover_carries_whole(cli, site):
    """`show` cuts a field past MAX_TEXT, which no field dutyctl writes exceeds; but a
    handover's notes (earlier handovers' carried forward) are several texts in one field,
    each within the limit and together past it: not one of them is said cut."""
    from dutyctl.schema import MAX_TEXT

    notes = [str(number) * (MAX_TEXT // 2) for number in range(1, 4)]
    handover_id = new_id(handover(cli, "zhangwei", "lina", "2026-10-05 20:00", *notes))
    shown = ok(cli("show", handover_id)).stdout
    assert "cut:" not in shown
    assert all(note in shown for note in notes)


def test_accepting_marks_overdue_what_was_overdue_when_handed_over(cli, site):
    """An emergency repair handed over at 09:10 with its response due at 09:15, dispatched at
    09:12 and reached at 09:25, was shown as OVERDUE to the clerk accepting at 16:20 (its due
    compared with the moment of accepting, its status the handover's). As `handover show`
    says it: overdue when handed over."""
    repair = ok(cli("repair", "file", *RESIDENT, "--room", "4-1-302", "--content", "水管爆管",
                    "--at", "2026-10-05 09:00")).stdout.strip()
    ok(handover(cli, "zhangwei", "lina", "2026-10-05 09:10"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-05 09:12"))
    ok(cli("repair", "arrive", repair, "--at", "2026-10-05 09:25"))
    accepted = ok(cli("handover", "accept", "--staff", "lina", "--at", "2026-10-05 16:20"))
    (line,) = [line for line in accepted.stderr.splitlines() if repair[:12] in line]
    assert "due 2026-10-05 09:15" in line and "OVERDUE" not in line, line


def test_the_shifts_calls_about_a_repair_none_was_filed_for_are_said_at_the_handover(cli, site,
                                                                                     clock):
    """A repair call logged with its hint only (厨房下水道堵了 at 19:00) was gone at the 19:40
    handover: no item, no line. Said again as the shift is handed over; not a call a ticket
    was filed from, one chasing the caller's open repair, a call voided, nor one of an
    earlier shift."""
    at = ("--staff", "zhangwei", "--at")
    ok(cli("clock", "in", *at, "2026-10-05 07:58"))
    call = ("log", "call", "--category", "repair")
    earlier = new_id(cli(*call, "--name", "周五", "--room", "1-1-101", "--phone", "13500001111",
                         "--summary", "水龙头滴水", *at, "2026-10-05 07:00"))
    open_repair = new_id(cli("repair", "file", *RESIDENT, "--room", "5-1-1202",
                             "--category", "drains", "--content", "厨房下水堵塞", *at,
                             "2026-10-05 10:00"))
    chasing = new_id(cli(*call, *RESIDENT, "--room", "5-1-1202", "--summary", "催修", *at,
                         "2026-10-05 11:00"))
    filed = new_id(cli(*call, "--name", "吴六", "--room", "2-1-301", "--phone", "13500002222",
                       "--summary", "灯不亮", "--file-ticket", *at, "2026-10-05 12:00"))
    voided = new_id(cli(*call, "--name", "郑七", "--room", "2-2-302", "--phone", "13500003333",
                        "--summary", "登记错了", *at, "2026-10-05 13:00"))
    ok(cli("settle", voided, "--reason", "误登", *at, "2026-10-05 13:05"))
    by_hand = new_id(cli(*call, "--name", "冯九", "--room", "4-1-101", "--phone",
                         "13500004444", "--summary", "门坏了", *at, "2026-10-05 14:00"))
    ok(cli("repair", "file", "--name", "冯九", "--room", "4-1-101", "--phone", "13500004444",
           "--content", "门坏了", *at, "2026-10-05 14:05"))  # filed by hand, not --from-call
    chased_then_closed = new_id(cli("repair", "file", "--name", "陈十", "--room", "4-2-202",
                                    "--phone", "13500005555", "--content", "窗户漏风", *at,
                                    "2026-10-05 14:30"))
    chasing_closed = new_id(cli(*call, "--name", "陈十", "--room", "4-2-202", "--phone",
                                "13500005555", "--summary", "催修", *at, "2026-10-05 15:00"))
    ok(cli("repair", "close", chased_then_closed, "--as", "withdrawn", "--reason", "住户自己修好",
           *at, "2026-10-05 16:00"))
    missed = new_id(cli(*call, "--name", "褚三", "--room", "9-3-303", "--phone", "13500008888",
                        "--summary", "厨房下水道堵了，水漫出来", *at, "2026-10-05 19:00"))
    written = ok(cli("--lang", "zh_CN", "handover", "--staff", "zhangwei", "--to", "lina",
                     "--at", "2026-10-05 19:40"))
    said = [line for line in written.stderr.splitlines() if "尚未登记" in line]
    assert said == [f"来电 {missed[:12]}（2026-10-05 19:00、9-3-303、褚三、厨房下水道堵了，水漫出来）"
                    f"反映的是报修，尚未登记报修：dutyctl 报修 登记 --来电 {missed[:12]}"], \
        written.stderr
    assert not any(other[:12] in line for line in said
                   for other in (earlier, chasing, filed, voided, open_repair, by_hand,
                                 chasing_closed))
    # a handover written on the way out (clock out, at a terminal) carries them too
    from datetime import datetime

    from dutyctl.desk.shiftdesk import ShiftDesk

    desk = ShiftDesk(site)
    when = datetime.fromisoformat("2026-10-05T19:50:00+08:00")
    done = desk.clock_out(desk.plan_clock_out("zhangwei", when), handover_to=["lina"])
    assert [call.id for call in done.unfiled] == [missed]


def test_who_reads_a_date_without_its_year_as_the_nearest_one(cli, site, clock):
    """`谁值班 --时间 "2月7日 21:00"` in December was last February's, ten months gone, and
    suggested generating that past month; a roster command reads the day nearest now. On
    2027-09-01, 10月5日 is the coming one; the year written out is that year's."""
    clock.set("2027-09-01T10:00:00+08:00")
    coming = cli("--lang", "zh_CN", "谁值班", "--时间", "10月5日 10:00")
    assert coming.exit_code == 1 and "2027-10-05 10:00" in coming.stdout + coming.stderr, \
        coming.stdout + coming.stderr
    gone = cli("who", "--at", "2026-10-05 10:00", "-f", "json")
    assert gone.exit_code == 0, gone.stderr
    assert [row["staff"] for row in json.loads(gone.stdout)["on_duty"]] == ["zhangwei"]
    clock.set("2026-10-20T10:00:00+08:00")  # weeks after: still the one just gone
    near = cli("who", "--at", "10月5日 10:00", "-f", "json")
    assert [row["staff"] for row in json.loads(near.stdout)["on_duty"]] == ["zhangwei"]


def test_handover_show_says_each_note_whole_under_the_items(cli, site, monkeypatch, clock):
    """The notes were rows of the items' table, cut to the screen even at 120 columns: a
    note is what the writer wrote by hand for the next shift, said whole, wrapped."""
    monkeypatch.setenv("COLUMNS", "80")
    note = ("5-1-1202 天花板渗水：已关总阀，住户家中有老人，明早八点前务必派维修工上门查看"
            "并回电住户 13900001111 说明进展")
    handover_id = new_id(handover(cli, "zhangwei", "lina", "2026-10-05 20:00", note))
    shown = ok(cli("handover", "show", handover_id)).stdout
    lines = shown.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("note: "))
    said = "".join(line.strip() for line in lines[start:]).removeprefix("note:")
    assert said.replace(" ", "") == note.replace(" ", "").replace("13900001111", "139****1111")
    from dutyctl.textwidth import display_width

    assert all(display_width(line) <= 80 for line in lines[start:])
    chinese = ok(cli("--lang", "zh_CN", "handover", "show", handover_id)).stdout
    assert "\n备注：5-1-1202 天花板渗水" in chinese  # the colon the lines above have


def test_a_dispatched_repair_handed_over_names_its_technician(cli, site):
    """The night clerk taking over a dispatched repair saw 已派工 and no one to call without
    `show`: the item names the technician it is with; one not dispatched names nobody."""
    at = ("--staff", "zhangwei", "--at")
    _, repair, _ = _three_open(cli)
    waiting = new_id(cli("repair", "file", *RESIDENT, "--room", "2-1-301", "--category",
                         "other", "--content", "灯坏了", *at, "2026-10-05 12:00"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", *at, "2026-10-05 10:10"))
    result = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45", "钥匙在抽屉"))
    line = next(line for line in result.stderr.splitlines() if repair[:12] in line)
    assert "(dispatched: 王强, 2026-10-05 10:00" in line, line
    line = next(line for line in result.stderr.splitlines() if waiting[:12] in line)
    assert ":" not in line.split("(", 1)[1].split(",", 1)[0], line


def test_an_emergency_in_progress_is_handed_over_with_its_latest_step(cli, site, clock):
    """The handover showed an emergency as first reported at 01:42; its eight steps since
    (高区仍停水，预计12点前恢复) only in `show`: the day shift read where it stood nowhere."""
    at = ("--staff", "zhangwei", "--at")
    emergency = new_id(cli("emergency", "open", "--type", "water-outage", "--where", "5号楼",
                           "--content", "地下车库给水总管爆裂", *at, "2026-10-05 14:00"))
    ok(cli("emergency", "log", emergency, "关闭总阀", *at, "2026-10-05 14:20"))
    ok(cli("emergency", "log", emergency, "低区临时恢复供水；高区仍停水", *at, "2026-10-05 17:30"))
    done = handover(cli, "zhangwei", "lina", "2026-10-05 19:40")
    said = ok(done).stderr
    (line,) = [line for line in said.splitlines() if emergency[:12] in line]
    assert "地下车库给水总管爆裂 → 17:30 低区临时恢复供水；高区仍停水" in line, said
    assert "关闭总阀" not in line
    (item,) = [item for item in site.store.get(printed_ids(done.stdout)[0]).get("items")
               if item["record"] == emergency]
    assert item["text"].endswith("→ 17:30 低区临时恢复供水；高区仍停水")


def test_a_handover_workbook_says_who_handed_over_to_whom_and_whether_accepted(cli, site,
                                                                                clock,
                                                                                tmp_path):
    """`交接班 查看 ID -f xlsx` held only the items: not who handed over to whom, when, nor
    whether anyone accepted it."""
    import openpyxl

    clock.set("2026-10-06T09:00:00+08:00")
    handed = ok(handover(cli, "zhangwei", "lina", "2026-10-05 19:45", "钥匙在抽屉")).stdout
    target = tmp_path / "交接班.xlsx"
    shown = cli("--lang", "zh_CN", "handover", "show", handed.strip(), "-f", "xlsx", "-o",
                str(target))
    assert shown.exit_code == 0, shown.stderr
    book = openpyxl.load_workbook(target)
    sheet = book["交接班信息"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]]))
    assert (row["交班人"], row["接班人"], row["尚待接班确认"]) == ("张伟", "李娜", "李娜"), row


def test_a_call_from_a_landline_in_another_spelling_has_its_repair(cli, site, clock):
    """A repair call from `0571 8888 6666` about the pump room, and the repair filed by hand
    for `+86 571-88886666` at the pump room's other name: the caller's own (one number,
    `schema.same_number`); compared digit for digit it was said at the handover as a call
    none was filed for."""
    at = ("--staff", "zhangwei", "--at")
    ok(cli("clock", "in", *at, "2026-10-05 07:58"))
    called = new_id(cli("log", "call", "--category", "repair", "--name", "褚三", "--room",
                        "9-3-303", "--phone", "0571 8888 6666", "--summary", "厨房下水道堵了",
                        *at, "2026-10-05 10:00"))
    ok(cli("repair", "file", "--name", "褚三", "--room", "地下泵房", "--phone",
           "+86 571-88886666", "--content", "厨房下水道堵了", *at, "2026-10-05 10:05"))
    written = ok(cli("--lang", "zh_CN", "handover", "--staff", "zhangwei", "--to", "lina",
                     "--at", "2026-10-05 19:40"))
    assert not any(called[:12] in line for line in written.stderr.splitlines()), \
        written.stderr
