"""The residents register (a record kind), `caller PHONE`, `room ROOM` and `log call --phone`
of a known caller: built up from filings, editable, found by phone, masked on screen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutyctl import callers, messages, timeutil

from dutyctl.store import yamlio
from dutyctl.check import check_workspace
from dutyctl.residents import person_of, phone_key
from dutyctl.schema import phone_digits, phone_problem
from dutyctl.timeutil import zone
from dutyctl.workspace import Workspace
from tests.conftest import Cli, FixedClock, new_workspace, run_dutyctl
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import call_flags, record_files
from tests.test_rooms import with_scheme

TZ = zone("Asia/Shanghai")
PHONE = "13812345678"
MASKED = "138****5678"


@pytest.fixture(autouse=True)
def evening(request):
    """Commands run in the evening of 2026-10-12, after everything the tests record."""
    if "clock" in request.fixturenames:
        request.getfixturevalue("clock").set("2026-10-12T18:00:00+08:00")


def call(cli, *extra, room="3-2-501", phone=PHONE, name="张三", when="2026-10-12 09:00",
         **kwargs) -> str:
    return ok(cli(*call_flags(name, room, phone, "物业费怎么交", *extra), "--at", when,
                  **kwargs)).split()[0]


def register(cli, *args) -> list[dict]:
    return json.loads(ok(cli("resident", "list", "--format", "json", *args)))


# -- the phone key ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["13812345678", "138-1234-5678", "+86 138 1234 5678",
                                   "0086 13812345678", "８６１３８１２３４５６７８"])
def test_every_way_of_writing_a_number_is_one_number(typed):
    assert phone_digits(typed) == PHONE
    assert phone_key(typed) == phone_key(PHONE)


@pytest.mark.parametrize("typed", ["13812345678", "138-1234-5678", "+86 138 1234 5678",
                                   "0086 13812345678", "0571-88886666", "010 12345678",
                                   "88886666", "8888666", "+86 571 8888 6666",
                                   "+852 9123 4567", "１３８１２３４５６７８"])
def test_a_whole_phone_number_is_one(typed):
    assert phone_problem(typed) is None


@pytest.mark.parametrize("registered, calling", [("0571 8888 6666", "+86 571-88886666"),
                                                  ("+86 571-88886666", "0571 8888 6666")])
def test_a_landline_called_in_one_spelling_finds_the_resident_of_the_other(
        workspace, cli, clock, registered, calling):
    """`0571 8888 6666` and `+86 571-88886666` had two index keys (the digits as typed, 86
    kept), so a call by number alone from one found nobody registered with the other, where
    masking and erasure took them for one: one key now, the resident found either way."""
    assert phone_key(registered) == phone_key(calling)
    ok(cli("resident", "add", "--name", "王芳", "--room", "3-2-501", "--phone", registered,
           "--at", "2026-10-12 08:00"))
    again = cli("log", "call", "--phone", calling, "--summary", "问进度", "--at",
                "2026-10-12 10:00")
    assert again.exit_code == 0, again.stderr
    stored = yamlio.load([p for p in record_files(workspace.root)
                          if p.name == f"{again.stdout.strip()}.yaml"][0])
    assert (stored["resident"]["name"], stored["resident"]["room"]) == ("王芳", "3-2-501")


@pytest.mark.parametrize("registered, calling", [("0571 8888 6666", "+86 571-88886666"),
                                                  ("+86 571-88886666", "0571 8888 6666")])
def test_caller_in_the_other_spelling_of_a_landline_names_no_former_number(
        workspace, cli, clock, registered, calling):
    """Found by one key, the resident's own number in the other spelling was taken for a
    number the register corrected (former_numbers compared the digits as typed): `caller`
    said "records before the register's correction carry the former number" of a resident
    never corrected."""
    ok(cli("resident", "add", "--name", "王芳", "--room", "3-2-501", "--phone", registered,
           "--at", "2026-10-12 08:00"))
    asked = cli("caller", calling)
    assert asked.exit_code == 0, asked.stderr
    assert "former number" not in asked.stderr, asked.stderr
    data = json.loads(ok(cli("caller", calling, "-f", "json")))
    assert data["former_phones"] == []
    assert [row["name"] for row in data["residents"]] == ["王芳"]


def test_caller_by_a_corrected_landline_in_its_other_spelling_says_whose_it_was(
        workspace, cli, clock):
    """A landline the register corrected, asked in its other spelling (`+86 571-88886666`
    of `0571 8888 6666`: one index key, its records found), was said "not in the residents
    register": renumbered compared the digits as typed."""
    ok(cli("resident", "add", "--name", "王芳", "--room", "3-2-501", "--phone",
           "0571 8888 6666", "--at", "2026-10-12 08:00"))
    ok(cli("resident", "edit", "王芳", "--phone", "13900001111", "--at", "2026-10-12 09:00"))
    asked = cli("caller", "+86 571-88886666", "-f", "json")
    assert asked.exit_code == 0, asked.stderr
    assert [row["name"] for row in json.loads(asked.stdout)["corrected_to"]] == ["王芳"]


MOBILE = "1 开头的手机号为 11 位"
AREA_CODE = "0 开头的是区号（010、0571），加上 7 或 8 位座机号共 11 或 12 位"
EITHER = "手机号为 1 开头的 11 位，座机号为 7 或 8 位（有区号写在前面，如 0571-88886666）"


@pytest.mark.parametrize("typed,digits,rule", [
    ("138", 3, MOBILE), ("1381234567", 10, MOBILE), ("138123456789", 12, MOBILE),
    ("1381234", 7, MOBILE), ("0571-888", 7, AREA_CODE), ("05718888", 8, AREA_CODE),
    ("12345", 5, MOBILE), ("96333", 5, EITHER), ("23456789012", 11, EITHER),
    ("+44 12", 4, EITHER)])
def test_a_number_too_short_or_too_long_is_no_phone(typed, digits, rule):
    """1381234 was told "a landline has 7 digits" beside "7 digits are no number": a number
    starting with 1 or 0 is told the rule of its kind alone."""
    with messages.speaking("zh_CN"):
        said = phone_problem(typed)
    assert said == f"共 {digits} 位数字，不是完整的电话号码：{rule}"


@pytest.mark.parametrize("command", [
    ["log", "call", "--summary", "物业费怎么交"],
    ["repair", "file", "--content", "厨房漏水"],
    ["complaint", "file", "--content", "楼上噪音"],
    ["resident", "add"],
])
def test_every_command_typing_a_phone_refuses_one_too_short(workspace, cli, clock, command):
    result = cli("--lang", "zh_CN", *command, "--name", "张三", "--room", "3-2-501",
                 "--phone", "138", "--at", "2026-10-12 09:00")
    assert result.exit_code == 2 and record_files(workspace.root) == []
    assert result.stderr == f"--phone '138'：共 3 位数字，不是完整的电话号码：{MOBILE}\n"


@pytest.mark.parametrize("command", [
    ["log", "call", "--summary", "物业费怎么交"],
    ["repair", "file", "--content", "厨房漏水"],
])
def test_a_number_a_digit_short_typed_alone_is_said_before_the_name_and_room(workspace, cli,
                                                                             clock, command):
    """A registered resident's number typed a digit short, name and room left to the register:
    the refusal asked for --name and --room, the number's own said only once they were typed."""
    ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone", "13600003333",
           "--at", "2026-10-12 08:00"))
    result = cli("--lang", "zh_CN", *command, "--phone", "1360000333",
                 "--at", "2026-10-12 09:00")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("--phone '1360000333'：共 10 位数字"), result.stderr


def test_an_edit_checks_the_phone_typed_and_leaves_a_stored_one_alone(workspace, cli, clock):
    entry = ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone",
                   "13600003333", "--at", "2026-10-12 09:00"))
    short = cli("resident", "edit", entry, "--phone", "1360000", "--at", "2026-10-12 10:00")
    assert short.exit_code == 2 and "7 digits are not a phone number" in short.stderr
    (path,) = record_files(workspace.root)  # a number an older dutyctl took, by hand
    path.write_text(path.read_text(encoding="utf-8").replace("'13600003333'", "'136'"),
                    encoding="utf-8")
    ok(cli("resident", "edit", entry, "--name", "王小五", "--at", "2026-10-12 10:00"))


def test_the_index_keeps_a_hash_never_the_number(workspace, cli, clock):
    call(cli)
    assert callers.caller_history(workspace.store, PHONE).records
    sqlite = (workspace.state_dir / "index.sqlite3")
    import sqlite3

    keys = [key for (key,) in sqlite3.connect(sqlite).execute(
        "SELECT phone_key FROM records WHERE phone_key IS NOT NULL")]
    assert keys and all(PHONE not in key and key == phone_key(PHONE) for key in keys)


# -- built up from filings -------------------------------------------------------------------

def test_every_caller_is_in_the_register_without_a_file_of_its_own(workspace, cli, clock):
    call(cli)
    later = call(cli, when="2026-10-12 10:00")
    ok(cli("complaint", "file", "--name", "张三", "--room", "3栋2单元501室", "--phone",
           "138-1234-5678", "--content", "楼上噪音", "--at", "2026-10-12 11:00"))
    assert len(record_files(workspace.root)) == 3  # the filings only
    (person,) = register(cli)
    assert (person["room"], person["name"], person["phone"]) == ("3-2-501", "张三", MASKED)
    assert person["source"] == "complaint" and person["id"] != later


def test_the_same_number_at_another_room_is_a_second_resident(workspace, cli, clock):
    call(cli)
    ok(cli("repair", "file", "--name", "张三", "--room", "5-1-302", "--phone", PHONE,
           "--content", "门锁坏了", "--at", "2026-10-12 10:00"))
    ok(cli("emergency", "open", "--type", "power-outage", "--where", "3号楼", "--name", "李四",
           "--room", "3-1-101", "--phone", "13900001111", "--at", "2026-10-12 11:00"))
    assert [row["room"] for row in register(cli)] == ["3-1-101", "3-2-501", "5-1-302"]
    assert [row["room"] for row in register(cli, "--phone", "+86 13812345678")] == [
        "3-2-501", "5-1-302"]
    assert [row["name"] for row in register(cli, "--room", "3")] == ["李四", "张三"]


@pytest.mark.auto_commit
def test_correcting_a_caller_makes_a_register_entry_committed_at_once(workspace, cli, clock):
    from tests.helpers_foundation import git

    first = call(cli)
    ok(cli("resident", "edit", first, "--room", "3-2-502", "--note", "房号记错",
           "--at", "2026-10-12 12:00"))
    files = git(workspace.root, "show", "--name-only", "--format=", "HEAD").split()
    assert len(files) == 2 and git(workspace.root, "status", "--porcelain") == ""
    (person,) = register(cli)  # the entry covers the call's 3-2-501 too
    assert (person["room"], person["source"]) == ("3-2-502", "resident")
    entry = yamlio.load([path for path in record_files(workspace.root)
                         if path.name.count(".") == 1 and "resident" in path.read_text(
                             encoding="utf-8").split("kind: ")[1][:8]][0])
    assert entry["source"] == first and entry["resident"]["room"] == "3-2-501"


# -- editable ---------------------------------------------------------------------------------

def test_add_edit_move_out_and_list(workspace, cli, clock):
    entry = ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone",
                   "13600003333", "--note", "业主", "--at", "2026-10-12 09:00"))
    again = cli("resident", "add", "--name", "王五", "--room", "6栋2单元801", "--phone",
                "136-0000-3333", "--at", "2026-10-12 09:05")
    assert again.exit_code == 2 and "already registered" in again.stderr
    ok(cli("resident", "edit", entry[:12], "--room", "6栋2单元802室", "--phone", "13600004444",
           "--note", "换房", "--at", "2026-10-12 10:00"))
    assert [(row["room"], row["name"], row["phone"], row["note"]) for row in register(cli)] == [
        ("6-2-802", "王五", "136****4444", "业主")]
    assert register(cli, "--phone", "13600003333") == []
    assert len(register(cli, "--room", "6-2")) == 1
    ok(cli("resident", "move-out", entry[:12], "--at", "2026-10-12 11:00"))
    assert register(cli) == []
    (moved,) = register(cli, "--moved-out")
    assert moved["status"] == "moved-out"


def test_edit_and_move_out_find_a_resident_by_name_room_or_phone(workspace, cli, clock):
    """`resident edit 张三`: the one current resident of that name, room or number is acted
    on; several are listed with their ids; none says where to find the id."""
    zhang = call(cli)
    call(cli, name="李四", room="3-2-502", phone="13900001111")
    ok(cli("resident", "edit", "张三", "--note", "业主", "--phone", "13800009999",
           "--at", "2026-10-12 12:00"))
    ok(cli("resident", "edit", "3栋2单元502室", "--name", "李小四", "--at", "2026-10-12 12:01"))
    ok(cli("resident", "edit", "李 小四", "--room", "3-2-503", "--at", "2026-10-12 12:02"))
    ok(cli("resident", "move-out", "13800009999", "--at", "2026-10-12 12:03"))
    assert [(row["name"], row["room"]) for row in register(cli)] == [("李小四", "3-2-503")]
    (moved,) = register(cli, "--moved-out", "--phone", "13800009999")
    assert moved["source"] == "resident" and moved["status"] == "moved-out"
    first = call(cli, name="王五", room="3-2-601", phone="13600001111", when="2026-10-12 13:00")
    second = call(cli, name="王五", room="3-2-602", phone="13600002222", when="2026-10-12 13:05")
    several = cli("--lang", "zh_CN", "resident", "edit", "王五", "--name", "王小五",
                  "--at", "2026-10-12 14:00")
    assert several.exit_code == 2
    assert several.stderr == (f"登记中有 2 位住户符合“王五”：{first[:12]}（王五，3-2-601，"
                              f"136****1111）、{second[:12]}（王五，3-2-602，136****2222）；"
                              "请改用其中一位的编号\n")
    none = cli("--lang", "zh_CN", "resident", "edit", "赵六", "--name", "赵小六",
               "--at", "2026-10-12 14:00")
    assert none.exit_code == 2
    assert none.stderr == ("“赵六”不是记录编号，也不是在住住户的姓名、房号或电话：用 dutyctl "
                           "住户 列表 查看每位住户及其编号（--房号 按房号查，--电话 按电话查）\n")
    gone = cli("resident", "edit", zhang[:8] + "ZZZZ", "--name", "x", "--at", "2026-10-12 14:00")
    assert gone.exit_code == 2 and "no record with id" in gone.stderr  # an id stays an id


def test_a_caller_who_moved_out_leaves_the_register(workspace, cli, clock):
    first = call(cli)
    ok(cli("resident", "move-out", first, "--note", "已搬走", "--at", "2026-10-12 12:00"))
    assert register(cli) == []
    assert [row["status"] for row in register(cli, "--moved-out")] == ["moved-out"]


def test_an_edit_that_changes_nothing_is_refused(workspace, cli, clock):
    entry = ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone",
                   "13600003333", "--at", "2026-10-12 09:00"))
    same = cli("resident", "edit", entry, "--name", "王五", "--at", "2026-10-12 10:00")
    assert same.exit_code == 2 and "nothing to change" in same.stderr


def test_edit_refuses_a_room_outside_the_scheme(workspace, cli, clock):
    with_scheme(workspace.root)
    entry = ok(cli("resident", "add", "--name", "王五", "--room", "3-2-501", "--phone",
                   "13600003333", "--at", "2026-10-12 09:00"))
    wrong = cli("resident", "edit", entry, "--room", "3-2-509", "--at", "2026-10-12 10:00")
    assert wrong.exit_code == 2 and "did you mean 3-2-502?" in wrong.stderr
    assert len(record_files(workspace.root)) == 1


def test_show_masks_a_corrected_phone_in_the_history(workspace, cli, clock):
    entry = ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone",
                   "13600003333", "--at", "2026-10-12 09:00"))
    ok(cli("resident", "edit", entry, "--phone", "13600004444", "--at", "2026-10-12 10:00"))
    shown = ok(cli("show", entry))
    assert "13600004444" not in shown and "136****4444" in shown
    assert "13600004444" not in ok(cli("show", entry, "-f", "json"))
    assert "13600004444" in ok(cli("show", entry, "-f", "json", "--show-phone"))
    unmasked = ok(cli("--lang", "zh_CN", "show", entry, "--show-phone"))
    assert "电话：13600004444" in unmasked and "****" not in unmasked  # the history too


def test_show_heads_a_corrected_entry_with_its_number_now(workspace, cli, clock):
    """The header said the number filed (135****3333) above the correction to 135****4444:
    a clerk calling the owner back read off the number he no longer uses."""
    import json

    entry = ok(cli("resident", "add", "--name", "周明", "--room", "7-1-302", "--phone",
                   "13500003333", "--at", "2026-10-12 09:00"))
    ok(cli("resident", "edit", entry, "--phone", "13500004444", "--name", "周明明",
           "--at", "2026-10-12 10:00"))
    head = ok(cli("--lang", "zh_CN", "show", entry)).split("\n\n")[0]
    assert "住户：姓名 周明明、房号 7-1-302、电话 135****4444" in head, head
    assert json.loads(ok(cli("show", entry, "-f", "json")))["resident"] == {
        "name": "周明明", "room": "7-1-302", "phone": "135****4444"}


# -- check ------------------------------------------------------------------------------------

def test_check_validates_register_entries_and_their_edits(workspace, cli, clock):
    entry = ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone",
                   "13600003333", "--at", "2026-10-12 09:00"))
    ok(cli("resident", "edit", entry, "--name", "王小五", "--at", "2026-10-12 10:00"))
    assert check_workspace(workspace) == []
    (record,) = [path for path in record_files(workspace.root) if path.name.count(".") == 1]
    (event,) = [path for path in record_files(workspace.root) if path.name.count(".") == 2]
    record.write_text(record.read_text(encoding="utf-8").replace(
        "phone: '13600003333'", "phone: 13600003333"), encoding="utf-8")
    event.write_text(event.read_text(encoding="utf-8").replace("name: 王小五", "age: 3"),
                     encoding="utf-8")
    found = [str(problem) for problem in check_workspace(workspace)]
    line = record.read_text(encoding="utf-8").splitlines().index("  phone: 13600003333") + 1
    assert any(f"{record.name}:{line}: resident.phone: expected a phone number" in problem
               for problem in found), found
    assert any("resident.age: unknown field" in line for line in found), found


def test_check_reports_a_registered_room_outside_the_scheme(workspace, cli, clock):
    ok(cli("resident", "add", "--name", "王五", "--room", "9-9-901", "--phone", "13600003333",
           "--at", "2026-10-12 09:00"))
    with_scheme(workspace.root)
    found = [str(problem) for problem in check_workspace(workspace)]
    assert any("9-9-901" in line and "address scheme" in line for line in found), found


# -- caller and room --------------------------------------------------------------------------

def history_site(cli):
    call(cli, "--callback-by", "17:00", when="2026-10-12 09:00")
    repair = ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone", PHONE,
                    "--content", "厨房漏水", "--at", "2026-10-12 09:30"))
    call(cli, room="3-2-502", phone="13900001111", name="李四", when="2026-10-12 10:00")
    for day in range(1, 8):  # older, closed history
        call(cli, when=f"2026-10-0{day} 09:00")
    return repair


def test_caller_shows_the_resident_open_records_and_recent_history_masked(workspace, cli,
                                                                          clock):
    repair = history_site(cli)
    result = ok(cli("caller", "138 1234 5678", "--recent", "3"))
    assert "张三" in result and "3-2-501" in result and MASKED in result
    assert PHONE not in result and "李四" not in result
    document = json.loads(ok(cli("caller", PHONE, "--recent", "3", "-f", "json")))
    assert document["phone"] == MASKED
    assert [row["room"] for row in document["residents"]] == ["3-2-501"]
    kinds = [(row["kind"], row["status"]) for row in document["records"]]
    assert kinds[:2] == [("repair", "open"), ("call", "awaiting-callback")]
    assert len(kinds) == 3 and document["records"][0]["id"] == repair
    assert all(row["phone"] == MASKED for row in document["records"])
    shown = json.loads(ok(cli("caller", PHONE, "--show-phone", "-f", "json")))
    assert shown["phone"] == PHONE and shown["residents"][0]["phone"] == PHONE


def test_caller_on_a_100_column_terminal_keeps_the_callback_deadline_readable(
        workspace, cli, clock, monkeypatch):
    """The masked phone (the number asked about) and the category make room first: the
    deadline keeps its head (回电 10-13 10:00), never 回电 10…"""
    call(cli, "--callback-by", "明天 10:00", "--summary", "物业费发票什么时候能开出来",
         when="2026-10-12 09:00")
    monkeypatch.setenv("COLUMNS", "100")
    shown = ok(cli("--lang", "zh_CN", "caller", PHONE))
    history = shown.split("\n\n")[-1].splitlines()
    assert "回电 10-13 10:00" in history[-1], shown
    assert "电话" not in history[0] and "类别" not in history[0], shown
    assert max(len(line) for line in history) <= 100
    # the number asked about, shown in full, says nothing new either
    assert "回电 10-13 10:00" in ok(cli("--lang", "zh_CN", "caller", PHONE, "--show-phone"))


def test_caller_keeps_open_records_however_old(workspace, cli, clock):
    old = ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone", PHONE,
                 "--content", "阳台渗水", "--at", "2026-09-01 09:00"))
    for day in range(1, 8):
        call(cli, when=f"2026-10-0{day} 09:00")
    records = json.loads(ok(cli("caller", PHONE, "--recent", "2", "-f", "json")))["records"]
    assert [row["id"] for row in records][-1] == old and len(records) == 3


def test_caller_unknown_number_says_so(workspace, cli, clock):
    history_site(cli)
    result = cli("caller", "13000000000")
    assert result.exit_code == 0 and result.stdout == ""
    assert "not in the residents register" in result.stderr


def test_caller_of_a_name_or_the_last_digits_says_what_to_type(workspace, cli, clock):
    """Tired at the desk: `来电人 张三` (a name) or `来电人 5678` (尾号) finds nobody, and is
    said so with what finds them, never "**** is not in the residents register"."""
    history_site(cli)
    zh = {"DUTYCTL_LANG": "zh_CN"}
    name = cli("caller", "张三", env=zh)
    assert name.exit_code == 2
    assert name.stderr.strip().endswith("按姓名查找住户：dutyctl 查找 张三")
    tail = cli("caller", "5678", env=zh)
    assert tail.exit_code == 2 and "****" not in tail.stderr
    assert tail.stderr.startswith("“5678”：共 4 位数字，不是完整的电话号码")
    assert "请按来电显示输入完整号码" in tail.stderr
    assert cli("caller", "13000000000").exit_code == 0  # whole, unknown: as before


def test_caller_speaks_chinese(workspace, cli, clock):
    history_site(cli)
    result = cli("caller", PHONE, env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 0
    assert "报修" in result.stdout and "房号" in result.stdout and "repair" not in result.stdout


def test_room_shows_the_room_unit_or_building_history(workspace, cli, clock):
    history_site(cli)
    document = json.loads(ok(cli("room", "3栋2单元501室", "-f", "json")))
    assert document["room"] == "3-2-501"
    assert {row["name"] for row in document["residents"]} == {"张三"}
    assert {row["room"] for row in document["records"]} == {"3-2-501"}
    unit = json.loads(ok(cli("room", "3-2", "-f", "json", "--recent", "20")))
    assert {row["room"] for row in unit["records"]} == {"3-2-501", "3-2-502"}
    assert {row["name"] for row in unit["residents"]} == {"张三", "李四"}


def test_room_names_an_empty_building_as_every_screen_does(workspace, cli, clock):
    history_site(cli)
    empty = cli("room", "5")
    assert empty.exit_code == 0, empty.stderr
    assert "nobody registered at building 5" in empty.stderr, empty.stderr
    assert "no call or other record about building 5 yet" in empty.stderr, empty.stderr
    assert "5号楼" in cli("room", "5", env={"DUTYCTL_LANG": "zh_CN"}).stderr


def test_room_refuses_a_room_the_scheme_does_not_have(workspace, cli, clock):
    with_scheme(workspace.root)
    assert cli("room", "3-2").exit_code == 0
    result = cli("room", "3-2-509")
    assert result.exit_code == 2 and "did you mean 3-2-502?" in result.stderr


def test_the_index_and_the_files_give_the_same_history(workspace, cli, clock, monkeypatch):
    history_site(cli)
    from_index = callers.caller_history(workspace.store, PHONE, 3)
    monkeypatch.setattr(type(workspace.store), "index", property(lambda self: None))
    from_files = callers.caller_history(workspace.store, PHONE, 3)
    assert [r.id for r in from_index.records] == [r.id for r in from_files.records]
    assert [r.source.id for r in from_index.residents] == [
        r.source.id for r in from_files.residents]
    room_index = callers.room_history(workspace.store, "3-2", 20)
    assert {r.id for r in room_index.records} == {
        r.id for r in workspace.store.scan().records
        if r.kind != "resident" and person_of(r).get("room", "").startswith("3-2-")}


# -- log call --phone of a known caller ------------------------------------------------------

def test_log_call_with_a_known_phone_fills_name_and_room_and_shows_history(workspace, cli,
                                                                          clock):
    history_site(cli)
    ok(cli("list"))  # the desk's index is built (a filing never builds nor waits for it)
    result = cli("log", "call", "--phone", "138-1234-5678", "--summary", "问维修进度",
                 "--at", "2026-10-12 11:00")
    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert len(new_id.splitlines()) == 1
    assert "张三, 3-2-501" in result.stderr and "厨房漏水" in result.stderr
    assert PHONE not in result.stderr and MASKED not in result.stderr
    # the command that shows the rest, as it can be typed: a masked number is refused
    assert "(dutyctl caller with the whole number shows the whole history)" in result.stderr
    # said once: the register's line names the caller, the history does not again
    assert result.stderr.count("张三, 3-2-501") == 1, result.stderr
    assert "known caller" not in result.stderr
    stored = yamlio.load([p for p in record_files(workspace.root)
                          if p.name == f"{new_id}.yaml"][0])
    # stored as its digits, one spelling however typed (schema.phone_stored)
    assert stored["resident"] == {"name": "张三", "room": "3-2-501", "phone": "13812345678"}


def test_a_filing_goes_on_without_the_hint_when_no_index_is_built(workspace, cli, clock):
    history_site(cli)
    result = cli("log", "call", "--phone", PHONE, "--summary", "问维修进度", "--at",
                 "2026-10-12 11:00")
    assert result.exit_code == 0, result.stderr
    assert "张三, 3-2-501" in result.stderr  # the register, read from the files
    assert "earlier" not in result.stderr  # the hint only comes from a built index
    assert not (workspace.state_dir / "index.sqlite3").exists()


def test_a_known_phone_with_another_name_typed_says_both_after_the_choices_are_checked(
        workspace, cli, clock):
    """`来电 --姓名 a --电话 <张三's> --类别 噪声`: the category is refused first, nothing said
    about the caller; with a good category the register's name is said as the register's and
    the typed one as what is recorded, never `据住户登记：a`."""
    history_site(cli)
    zh = {"DUTYCTL_LANG": "zh_CN"}
    refused = cli("log", "call", "--name", "a", "--phone", PHONE, "--category", "天气",
                  "--summary", "x", "--at", "2026-10-12 11:00", env=zh)
    assert refused.exit_code == 2
    assert "来电类别" in refused.stderr and "据住户登记" not in refused.stderr, refused.stderr
    assert "住户登记" not in refused.stderr, refused.stderr
    for kind in ("repair", "complaint"):
        bad = cli(kind, "file", "--name", "a", "--phone", PHONE, "--category", "天气",
                  "--content", "x", "--at", "2026-10-12 11:00", env=zh)
        assert bad.exit_code == 2 and "住户登记" not in bad.stderr, bad.stderr
    logged = cli("log", "call", "--name", "a", "--phone", PHONE, "--summary", "x", "--at",
                 "2026-10-12 11:00", env=zh)
    assert logged.exit_code == 0, logged.stderr
    assert "住户登记中此号码为 张三，3-2-501；本次按输入的姓名 a 记录" in logged.stderr, logged.stderr
    assert "据住户登记）：a" not in logged.stderr, logged.stderr


@pytest.mark.parametrize("kind", ["repair", "complaint"])
def test_a_ticket_filed_with_a_known_phone_takes_name_and_room_from_the_register(
        workspace, cli, clock, kind):
    """As `log call --phone`: a clerk filing a repair for a caller the register knows types
    the number only; a place typed (3号楼电梯) stays the ticket's room, with their name."""
    history_site(cli)
    result = cli(kind, "file", "--phone", PHONE, "--content", "窗户关不上", "--at",
                 "2026-10-12 11:00")
    assert result.exit_code == 0, result.stderr
    assert "张三, 3-2-501" in result.stderr
    stored = yamlio.load([p for p in record_files(workspace.root)
                          if p.name == f"{result.stdout.strip()}.yaml"][0])
    assert stored["resident"] == {"name": "张三", "room": "3-2-501", "phone": PHONE}
    elsewhere = cli(kind, "file", "--phone", PHONE, "--room", "3号楼电梯", "--content",
                    "电梯里有垃圾", "--at", "2026-10-12 11:05", env={"DUTYCTL_LANG": "zh_CN"})
    assert elsewhere.exit_code == 0, elsewhere.stderr
    assert "来电人（据住户登记）：张三（住 3-2-501）" in elsewhere.stderr
    stored = yamlio.load([p for p in record_files(workspace.root)
                          if p.name == f"{elsewhere.stdout.strip()}.yaml"][0])
    assert stored["resident"]["name"] == "张三"
    assert stored["resident"]["room"] == "3号楼电梯"


def test_a_number_met_at_a_place_of_the_site_still_brings_its_home(workspace, cli, clock):
    """After a complaint about 3号楼电梯 filed by a known number, the number is met at its home
    and at the place: the next call by number alone still takes the home (was: two rooms
    known, nothing taken, --name and --room asked for)."""
    from tests.test_rooms import with_scheme

    with_scheme(workspace.root)
    call(cli)
    ok(cli("complaint", "file", "--phone", PHONE, "--room", "3号楼电梯", "--content",
           "电梯里有垃圾", "--at", "2026-10-12 10:00"))
    again = cli("log", "call", "--phone", PHONE, "--summary", "问维修进度", "--at",
                "2026-10-12 11:00")
    assert again.exit_code == 0, again.stderr
    stored = yamlio.load([p for p in record_files(workspace.root)
                          if p.name == f"{again.stdout.strip()}.yaml"][0])
    assert stored["resident"] == {"name": "张三", "room": "3-2-501", "phone": PHONE}


def test_a_known_number_filing_about_another_room_does_not_take_the_name_there(
        workspace, cli, clock):
    """A complaint by a registered number about another room (a neighbour's leak) keeps the
    register's person out of that room: the number stays known at one room, and the next call
    by number alone still takes it (was: filed 王芳 at 3-1-202, then 'two rooms known')."""
    ok(cli("resident", "add", "--name", "王芳", "--room", "3-2-501", "--phone", "13800001111",
           "--at", "2026-10-12 08:00"))
    other = cli("complaint", "file", "--phone", "13800001111", "--room", "3-1-202",
                "--content", "楼上漏水", "--at", "2026-10-12 09:00", env={"DUTYCTL_LANG": "zh_CN"})
    assert other.exit_code == 2 and not other.stdout  # the name is asked for, nothing filed
    assert "住户登记中此号码登记在 3-2-501（王芳），不是 3-1-202" in other.stderr
    assert _called_by_number_alone(cli, workspace) == {"name": "王芳", "room": "3-2-501",
                                                       "phone": "13800001111"}


def _called_by_number_alone(cli, workspace) -> dict:
    """The resident a call logged with 13800001111 and nothing else is filed for."""
    again = cli("log", "call", "--phone", "13800001111", "--summary", "问进度", "--at",
                "2026-10-12 10:00")
    assert again.exit_code == 0, again.stderr
    stored = yamlio.load([p for p in record_files(workspace.root)
                          if p.name == f"{again.stdout.strip()}.yaml"][0])
    return stored["resident"]


def test_a_register_entry_wins_over_rooms_tickets_named_the_number_at(workspace, cli, clock):
    """Records filed before: the number named (by hand) at another room too. The register's
    entry is where the caller lives: a call by number alone takes it, not 'two rooms known'."""
    ok(cli("resident", "add", "--name", "王芳", "--room", "3-2-501", "--phone", "13800001111",
           "--at", "2026-10-12 08:00"))
    ok(cli("complaint", "file", "--name", "王芳", "--phone", "13800001111", "--room",
           "3-1-202", "--content", "楼上漏水", "--at", "2026-10-12 09:00"))
    assert _called_by_number_alone(cli, workspace) == {"name": "王芳", "room": "3-2-501",
                                                       "phone": "13800001111"}


def test_log_call_with_an_unknown_phone_still_asks_for_name_and_room(workspace, cli, clock):
    result = cli("log", "call", "--phone", PHONE, "--summary", "问事", "--at",
                 "2026-10-12 11:00")
    assert result.exit_code == 2 and "--name" in result.stderr and "--room" in result.stderr


def test_caller_through_the_entry_point(workspace, dutyctl_forked):
    for args in (call_flags("张三", "3栋2单元501室", PHONE, "物业费"),
                 ["log", "call", "--phone", "+86 138 1234 5678", "--summary", "回电"]):
        done = run_dutyctl(dutyctl_forked, *args, "--at", "2026-10-12 09:00",
                           root=workspace.root)
        assert done.returncode == 0, done.stderr
    assert "张三, 3-2-501" in done.stderr
    shown = run_dutyctl(dutyctl_forked, "caller", PHONE, "--format", "csv",
                        root=workspace.root)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("3-2-501") == 2 and PHONE not in shown.stdout


def test_the_register_and_a_correction_read_in_chinese(workspace, cli, clock):
    first = call(cli)
    ok(cli("resident", "edit", first, "--name", "张山", "--at", "2026-10-12 12:00"))
    listed = cli("resident", "list", env={"DUTYCTL_LANG": "zh_CN"})
    assert listed.exit_code == 0
    assert "来源" in listed.stdout and "在住" in listed.stdout and "张山" in listed.stdout
    entry = listed.stdout.splitlines()[-1].split()[0]
    shown = ok(cli("show", entry, env={"DUTYCTL_LANG": "zh_CN"}))
    assert "来源记录" in shown and "更正" in shown
    assert MASKED in shown and PHONE not in shown


# -- a unit over years: the most recently seen, moved out only when asked ------------------------

def unit_site(cli) -> dict[str, str]:
    """Six callers of unit 3-2 over a year and one of 3-1; 周七's call corrected into an entry
    at 3-2-601, 孙八 registered by hand and moved out. {name: phone}."""
    phones = {}
    for number, (name, room, when) in enumerate((
            ("赵一", "3-2-101", "2025-10-01 09:00"), ("钱二", "3-2-201", "2026-01-05 09:00"),
            ("孙三", "3-2-301", "2026-03-05 09:00"), ("李四", "3-1-101", "2026-05-05 09:00"),
            ("周五", "3-2-401", "2026-07-05 09:00"), ("吴六", "3-2-501", "2026-09-05 09:00"),
            ("周七", "3-1-601", "2026-10-01 09:00"))):
        phones[name] = f"1390000000{number}"
        filed = call(cli, room=room, phone=phones[name], name=name, when=when)
        if name == "周七":
            ok(cli("resident", "edit", filed, "--room", "3-2-601", "--at", "2026-10-10 09:00"))
    phones["孙八"] = "13900000009"
    entry = ok(cli("resident", "add", "--name", "孙八", "--room", "3-2-102", "--phone",
                   phones["孙八"], "--at", "2026-10-02 09:00"))
    ok(cli("resident", "move-out", entry, "--at", "2026-10-11 09:00"))
    return phones


def names(rows: list[dict]) -> list[str]:
    return [row["name"] for row in rows]


def test_a_unit_lists_its_current_residents_the_most_recently_seen_first_cut(workspace, cli,
                                                                            clock):
    unit_site(cli)
    everyone = ["赵一", "钱二", "孙三", "周五", "吴六", "周七"]  # by room: 101, 201 … 601
    assert names(register(cli, "--room", "3-2")) == everyone
    assert names(register(cli, "--room", "3-2", "--moved-out")) == [
        "赵一", "孙八", "钱二", "孙三", "周五", "吴六", "周七"]
    # the three most recently seen (周七's correction, 吴六, 周五), still by room
    assert names(register(cli, "--room", "3-2", "--limit", "3")) == ["周五", "吴六", "周七"]
    assert names(register(cli, "--room", "3-2", "--limit", "2", "--moved-out")) == [
        "孙八", "周七"]
    assert names(register(cli, "--limit", "0")) == names(register(cli, "--all"))
    table = cli("resident", "list", "--room", "3-2", "--limit", "2")
    assert table.exit_code == 0
    assert "吴六" in table.stdout and "周七" in table.stdout and "周五" not in table.stdout
    assert "Showing the 2 most recently seen of 6 residents; --all shows every one" in \
        table.stderr
    # the footer names --limit's value as the help does (HEADCOUNT; 人数 in Chinese)
    for env, footer in (({}, "--limit HEADCOUNT "), ({"DUTYCTL_LANG": "zh_CN"}, "--最多 人数 ")):
        assert "--limit " + footer.split()[1] in cli("resident", "list", "--help", env=env).stdout
        assert footer in cli("resident", "list", "--room", "3-2", "--limit", "2",
                             env=env).stderr
    whole = cli("resident", "list", "--room", "3-2", "--all")
    assert all(name in whole.stdout for name in everyone) and whole.stderr == ""
    chinese = cli("resident", "list", "--room", "3-2", "--limit", "2",
                  env={"DUTYCTL_LANG": "zh_CN"})
    assert "仅显示最近联系的 2 位住户，共 6 位" in chinese.stderr
    both = cli("resident", "list", "--all", "--limit", "3")
    assert both.exit_code == 2 and "--all and --limit cannot be used together" in both.stderr


@pytest.fixture(scope="module")
def unit_site_root(tmp_path_factory, _quiet_workspace) -> Path:
    """A workspace with `unit_site`'s filings (made in the evening of 2026-10-12, as by the
    tests' clock), once for the module's tests that only read it."""
    root = tmp_path_factory.mktemp("unit") / "site"
    new_workspace(root, _quiet_workspace)
    with pytest.MonkeyPatch.context() as patch:
        clock = FixedClock()
        clock.set("2026-10-12T18:00:00+08:00")
        patch.setattr(timeutil, "clock", clock)
        patch.setenv("DUTYCTL_LANG", "en")
        unit_site(Cli(root))
    messages.forget_language()
    return root


@pytest.mark.parametrize("room", [None, "3-2", "3", "3-2-601", "3-1-601", "3-1-101"])
@pytest.mark.parametrize("moved", [False, True])
def test_the_register_cut_to_the_newest_is_the_same_from_the_index_and_the_files(
        unit_site_root, monkeypatch, room, moved):
    workspace = Workspace(unit_site_root)
    answers = []
    for limit in (None, 1, 2, 3, 5, 50):
        found = callers.register(workspace.store, room=room, include_moved=moved,
                                 newest=limit)
        full = callers.register(workspace.store, room=room, include_moved=moved)
        newest = sorted(full.residents, key=lambda resident: resident.seen)[-limit:] \
            if limit else full.residents
        assert {r.source.id for r in found.residents} == {r.source.id for r in newest}
        assert found.total == len(full.residents)
        answers.append([(r.source.id, r.status, r.person) for r in found.residents])
        answers.append(found.total)
    # 周七's call at 3-1-601 is covered by the entry it became, now at 3-2-601
    assert any(answers[1::2]) == (room != "3-1-601")
    monkeypatch.setattr(type(workspace.store), "index", property(lambda self: None))
    files = []
    for limit in (None, 1, 2, 3, 5, 50):
        found = callers.register(workspace.store, room=room, include_moved=moved,
                                 newest=limit)
        files += [[(r.source.id, r.status, r.person) for r in found.residents], found.total]
    assert files == answers


def test_room_of_a_unit_shows_its_most_recently_seen_residents_on_screen(workspace, cli, clock,
                                                                          monkeypatch):
    from dutyctl.cli import options

    unit_site(cli)
    monkeypatch.setattr(options, "NEWEST_SHOWN", 3)  # a table's default, small enough here
    table = cli("room", "3-2")
    assert table.exit_code == 0, table.stderr
    residents = table.stdout.split("\n\n")[0]
    assert all(name in residents for name in ("周五", "吴六", "周七"))
    assert not any(name in residents for name in ("赵一", "钱二", "孙三"))
    assert ("Showing the 3 most recently seen of 6 residents; 'dutyctl resident list --room "
            "3-2 --all' shows every one.") in table.stderr
    document = json.loads(ok(cli("room", "3-2", "--format", "json")))
    assert len(document["residents"]) == 6
    one = cli("room", "3-2-501")
    assert "3-2-501" in ok(one) and "Showing" not in one.stderr


def test_a_number_typed_with_separators_is_masked_alike_on_every_screen(cli):
    logged = cli(*call_flags("赵六", "2-1-302", "137-0000-2222", "问快递柜",
                             "--at", "2026-10-12 09:00"))
    assert logged.exit_code == 0, logged.stderr
    for screen in (("list",), ("caller", "13700002222"), ("resident", "list"),
                   ("show", logged.stdout.strip())):
        shown = cli(*screen)
        assert shown.exit_code == 0, shown.stderr
        assert "137****2222" in shown.stdout and "137******2222" not in shown.stdout, screen


def test_a_number_typed_in_full_width_digits_is_filed_as_digits(workspace, cli, clock):
    """A Chinese input method in full-width mode types １３６００００３３３３: the number,
    not a refusal (rooms in full width were already read)."""
    entry = ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone",
                   "１３６　００００　３３３３", "--at", "2026-10-12 09:00"))
    ok(cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "１３８－１２３４－５６７８",
           "--summary", "物业费", "--at", "2026-10-12 09:10"))
    ok(cli("resident", "edit", entry[:12], "--phone", "＋８６ １３６００００４４４４",
           "--at", "2026-10-12 10:00"))
    phones = {row["name"]: row["phone"] for row in register(cli, "--show-phone")}
    assert phones == {"王五": "13600004444", "张三": "13812345678"}
    assert check_workspace(workspace) == []


def test_resident_add_s_help_asks_for_the_room_lived_in_never_a_place(cli):
    """The register takes a room only (3号楼电梯 is refused): its help says so (it offered
    "或地点", the option every form shares)."""
    shown = cli("resident", "add", "--help", env={"DUTYCTL_LANG": "zh_CN"})
    assert shown.exit_code == 0
    room_line = next(line for line in shown.stdout.splitlines() if "--房号" in line)
    assert "所住的房号" in room_line and "或地点" not in shown.stdout


def test_a_callers_history_follows_the_register_correcting_their_phone(workspace, cli, clock):
    """After 住户 修改 gave the resident a new number, `caller NEW` said nobody had called
    although their repair under the old number was open: the register knows both numbers."""
    repair = ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone", PHONE,
                    "--content", "厨房水管漏水", "--at", "2026-10-12 09:00"))
    other = call(cli, room="5-1-101", name="李四", when="2026-10-12 09:30")  # old number, reused
    ok(cli("resident", "edit", repair[:12], "--phone", "13900001111",
           "--at", "2026-10-12 10:00"))
    shown = cli("caller", "13900001111", "--format", "json")
    data = json.loads(ok(shown))
    assert [record["id"] for record in data["records"]] == [repair]  # not 李四's at 5-1-101
    assert data["former_phones"] == [MASKED]
    screen = cli("caller", "13900001111", env={"DUTYCTL_LANG": "zh_CN"})
    assert "厨房水管漏水" in ok(screen) and "还没有来电" not in screen.stderr
    assert MASKED in screen.stderr and other[:12] not in screen.stdout
    history = callers.caller_history(workspace.store, "13900001111")
    assert [record.id for record in history.records] == [repair]
    assert history.former_phones == (PHONE,)


def test_a_callers_old_number_names_the_resident_and_the_number_it_became(workspace, cli,
                                                                         clock):
    """`来电人 <旧号码>` after 住户 修改 --电话: not only "不在住户登记中" (the clerk would file
    the caller as someone new) but whose number it was and what the register has now; the
    records filed under it are listed as before; json names them under `corrected_to`."""
    entry = ok(cli("resident", "add", "--name", "王芳", "--room", "5-1-1202", "--phone", PHONE,
                   "--at", "2026-10-12 09:00"))
    call(cli, room="5-1-1202", name="王芳", when="2026-10-12 09:30")
    ok(cli("resident", "edit", entry[:12], "--phone", "13900002222", "--at",
           "2026-10-12 10:00"))
    screen = cli("来电人", PHONE, env={"DUTYCTL_LANG": "zh_CN"})
    assert screen.exit_code == 0, screen.stderr
    assert (f"{MASKED} 已不在住户登记中：这是 5-1-1202 王芳 更正前的号码，现在登记的是 "
            "139****2222") in screen.stderr, screen.stderr
    assert "5-1-1202" in screen.stdout  # the call filed under the old number
    shown = json.loads(ok(cli("caller", PHONE, "--show-phone", "-f", "json")))
    assert shown["corrected_to"] == [{"id": entry, "name": "王芳", "room": "5-1-1202",
                                      "phone": "13900002222"}]
    assert shown["residents"] == []
    nobody = cli("来电人", "13700009999", env={"DUTYCTL_LANG": "zh_CN"})
    assert "137****9999 不在住户登记中" in nobody.stderr  # a number never registered: as before


def test_one_resident_at_two_rooms_is_taken_at_the_room_typed(cli, workspace, clock):
    """陈大明 registered at 1-1-101 and 2-2-202 with one number: a call with the number and
    2-2-202 was refused for want of --name, and the stderr named him at 1-1-101. Now the
    room typed says which entry; without a room his name is said with both rooms and the
    room is asked for."""
    for room, at in (("1-1-101", "2026-10-12 08:00"), ("2-2-202", "2026-10-12 08:01")):
        assert cli("resident", "add", "--name", "陈大明", "--room", room, "--phone",
                   "13500004444", "--at", at).exit_code == 0
    made = cli("log", "call", "--phone", "13500004444", "--room", "2-2-202", "--summary",
               "漏水", "--at", "2026-10-12 09:00")
    assert made.exit_code == 0, made.stderr
    assert made.stderr.splitlines()[0] == "caller from the residents register: 陈大明, 2-2-202"
    assert "1-1-101" not in made.stderr
    record = json.loads(cli("show", made.stdout.strip(), "-f", "json").stdout)
    assert (record["resident"]["name"], record["resident"]["room"]) == ("陈大明", "2-2-202")
    asked = cli("log", "call", "--phone", "13500004444", "--summary", "问物业费", "--at",
                "2026-10-12 09:05")
    assert asked.exit_code == 2
    assert "caller from the residents register: 陈大明, at 1-1-101, 2-2-202: give the room " \
           "the call is about" in asked.stderr
    assert "--room" in asked.stderr.splitlines()[-1]


def test_a_correction_to_a_number_registered_at_that_room_is_refused(cli, workspace, clock):
    """A call's number corrected to 张伟's (registered at 3-2-501) made a second entry of
    him, and `resident edit` by his number then named two. Refused as `resident add` is."""
    for name, room, phone, at in (("张伟", "3-2-501", "13812345678", "2026-10-12 08:00"),
                                  ("王芳", "6-1-101", "13700001111", "2026-10-12 08:01")):
        assert cli("resident", "add", "--name", name, "--room", room, "--phone", phone,
                   "--at", at).exit_code == 0
    call = cli("log", "call", "--name", "张伟", "--room", "3-2-501", "--phone", "13700001111",
               "--summary", "问快递", "--at", "2026-10-12 09:10").stdout.strip()
    refused = cli("resident", "edit", call, "--phone", "13812345678", "--at",
                  "2026-10-12 09:15")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("138****5678 is already registered at 3-2-501 (")
    entries = json.loads(cli("list", "--kind", "resident", "-f", "json").stdout)
    assert len(entries) == 2  # no second entry of 张伟
    # one entry names that number (it named two): edited by it as before
    named = cli("resident", "edit", "13812345678", "--room", "3-2-502", "--at",
                "2026-10-12 09:20")
    assert named.exit_code == 0, named.stderr


def test_a_room_corrected_lists_the_records_filed_at_the_room_as_it_was(cli, workspace,
                                                                        clock):
    """`resident edit CALL --room 8-1-602` corrected the caller, but `room 8-1-602` said it
    had no record: the records filed at the room as it was are listed there, as `caller`
    lists a former number's; the other rooms of that number are not."""
    call = cli("log", "call", "--name", "李先生", "--room", "8-1-601", "--phone",
               "13300009998", "--summary", "问装修手续", "--at", "2026-10-12 09:20")
    other = cli("log", "call", "--name", "李先生", "--room", "9-1-101", "--phone",
                "13300009998", "--summary", "另一套房", "--at", "2026-10-12 09:22")
    corrected = cli("resident", "edit", call.stdout.strip(), "--room", "8-1-602", "--at",
                    "2026-10-12 09:25")
    assert corrected.exit_code == 0, corrected.stderr
    shown = json.loads(cli("room", "8-1-602", "-f", "json").stdout)
    ids = [record["id"] for record in shown["records"]]
    assert call.stdout.strip() in ids and other.stdout.strip() not in ids, shown


def test_caller_and_room_say_the_records_their_recent_few_leave_out(workspace, cli, clock):
    """A resident who called 12 times showed 10 calls and not a word of the other two: the
    supervisor reading "I called three times" needs the whole count."""
    for number in range(12):
        ok(cli("log", "call", "--name", "李秀英", "--room", "3-2-501", "--phone", "13912340001",
               "--summary", f"第{number + 1}次反映噪音", "--at",
               f"2026-10-{number // 4 + 5:02d} {number % 4 + 10}:00"))
    for args in (("caller", "13912340001"), ("room", "3-2-501")):
        shown = cli("--lang", "zh_CN", *args)
        assert shown.exit_code == 0, shown.stderr
        assert shown.stdout.count("反映噪音") == 10
        assert "另有 2 条更早的记录未显示：加 --最近 12 可全部显示" in shown.stderr, shown.stderr
        whole = cli(*args, "--recent", "12")
        assert whole.stdout.count("反映噪音") == 12 and "not shown" not in whole.stderr


def test_a_moved_out_residents_number_says_whose_it_was(workspace, cli, clock):
    """`来电人` said only "not in the residents register" and a call from the number was
    refused for a name and room with no word why."""
    entry = ok(cli("resident", "add", "--name", "陈小红", "--room", "5-1-1202", "--phone",
                   "13600002222", "--at", "2026-10-05 08:16"))
    ok(cli("resident", "move-out", entry, "--note", "退租", "--at", "2026-10-07 09:00"))
    asked = cli("--lang", "zh_CN", "caller", "13600002222")
    assert asked.exit_code == 0
    assert "136****2222 已不在住户登记中：5-1-1202 的 陈小红 已于 2026年10月7日 迁出" in \
        asked.stderr, asked.stderr
    data = json.loads(ok(cli("caller", "13600002222", "-f", "json")))
    assert data["moved_out"] == [{"id": entry, "name": "陈小红", "room": "5-1-1202"}]
    called = cli("--lang", "zh_CN", "log", "call", "--phone", "13600002222", "--summary",
                 "问押金", "--at", "2026-10-08 10:00")
    assert called.exit_code == 2
    assert "住户登记中这个号码原属 5-1-1202 的 陈小红，已迁出：如仍是此人来电，请写明姓名和房号" in \
        called.stderr, called.stderr


def test_a_room_named_only_in_records_words_says_where_they_are(workspace, cli, clock):
    """The noisy flat 2-1-401, named in a complaint filed at 2-1-501: `room 2-1-401` said it
    had no record and no hint; `search 9-9-909` (a room) spoke of phone numbers; `search zx`
    (pinyin initials) said only "no record matches"."""
    ok(cli("complaint", "file", "--name", "张三", "--room", "2-1-501", "--phone", "13812340000",
           "--category", "noise", "--content", "楼下2-1-401晚上装修电钻噪音",
           "--at", "2026-10-05 19:20"))
    room = cli("--lang", "zh_CN", "room", "2-1-401")
    assert room.exit_code == 0
    assert "另有 1 条记录的文字里提到 2-1-401：dutyctl 查找 2-1-401" in room.stderr, room.stderr
    own = cli("--lang", "zh_CN", "room", "2-1-501")
    assert "文字里提到" not in own.stderr  # its own record is listed, not counted again
    searched = cli("--lang", "zh_CN", "search", "9-9-909")
    assert "没有符合条件的记录；查某个房号的记录：dutyctl 房号 9-9-909" in searched.stderr
    assert "电话" not in searched.stderr
    pinyin = cli("--lang", "zh_CN", "search", "zx")
    assert "不认拼音" in pinyin.stderr, pinyin.stderr


def test_a_household_sharing_a_landline_is_not_told_to_overwrite_the_first(workspace, cli,
                                                                          clock):
    """刘大伟 registered on his mother's landline was told to `resident edit` her entry, which
    would have replaced 刘阿姨 by him."""
    ok(cli("resident", "add", "--name", "刘阿姨", "--room", "6-2-801", "--phone",
           "0571-87650001", "--at", "2026-10-05 08:18"))
    refused = cli("--lang", "zh_CN", "resident", "add", "--name", "刘大伟", "--room", "6-2-801",
                  "--phone", "0571-87650001", "--at", "2026-10-05 08:19")
    assert refused.exit_code == 2
    assert "登记人是 刘阿姨" in refused.stderr and "来电照写来电人的姓名即可" in refused.stderr
    assert "住户 修改" not in refused.stderr, refused.stderr


def test_the_caller_line_says_the_room_as_the_register_has_it(workspace, cli, clock):
    """`来电人（据住户登记）：周明，9栋2单元1101` echoed the spelling typed: the clerk could not
    see the room was understood as 9-2-1101."""
    ok(cli("resident", "add", "--name", "周明", "--room", "9-2-1101", "--phone", "13500004444",
           "--at", "2026-10-05 08:21"))
    called = cli("--lang", "zh_CN", "log", "call", "--phone", "13500004444", "--room",
                 "9栋2单元1101", "--summary", "问燃气表", "--at", "2026-10-05 09:50")
    assert called.exit_code == 0, called.stderr
    assert "来电人（据住户登记）：周明，9-2-1101" in called.stderr, called.stderr


def test_an_anonymous_caller_or_one_about_a_whole_building_is_no_resident(workspace, cli, clock):
    """`--name 不愿留名 --room 5号楼` for a caller who gave neither made 不愿留名 a resident
    living at 5号楼 (a room `resident add` itself refuses)."""
    ok(cli("log", "call", "--name", "不愿留名", "--room", "5号楼", "--phone", "15000005005",
           "--summary", "问是否停电", "--at", "2026-10-05 01:48"))
    ok(cli("log", "call", "--name", "匿名", "--room", "5-1-601", "--phone", "15000005006",
           "--summary", "问停水", "--at", "2026-10-05 01:50"))
    ok(cli("log", "call", "--name", "周建国", "--room", "5-1-602", "--phone", "13300005008",
           "--summary", "家里停电了", "--at", "2026-10-05 01:58"))
    listed = json.loads(ok(cli("resident", "list", "-f", "json")))
    assert [row["name"] for row in listed] == ["周建国"], listed
    history = cli("caller", "15000005005")
    assert "问是否停电" in history.stdout  # the call itself is still the number's history


def test_a_rooms_or_callers_workbook_has_the_residents_the_screen_shows_first(workspace, cli,
                                                                              clock, tmp_path):
    """`房号 … -f xlsx` and `来电人 … -f xlsx` wrote the records alone, not the residents."""
    import openpyxl

    clock.set("2026-10-12T10:00:00+08:00")
    ok(cli("resident", "add", "--name", "王五", "--room", "6-2-801", "--phone", "13600003333",
           "--at", "2026-10-12 08:00"))
    for args in (("room", "6-2-801"), ("caller", "13600003333")):
        target = tmp_path / f"{args[0]}.xlsx"
        done = cli("--lang", "zh_CN", *args, "-f", "xlsx", "-o", str(target))
        assert done.exit_code == 0, done.stderr
        sheet = openpyxl.load_workbook(target)["住户"]
        row = dict(zip([cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]))
        assert (row["姓名"], row["房号"], row["电话"]) == ("王五", "6-2-801", "136****3333"), row
