"""`log call`, `show` and `list` through the command line (CliRunner), plus git auto-commit."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import date, datetime, timedelta

import pytest
import yaml
from wcwidth import wcswidth, wcwidth

from dutyctl import timeutil

from dutyctl.store import ids, yamlio
from tests.conftest import run_dutyctl
from tests.helpers_foundation import call_flags, git, record_files

SHANGHAI = timeutil.zone("Asia/Shanghai")


def log(cli, *extra: str, name="张三", room="3-2-501", phone="13812345678",
        summary="物业费怎么交", **kwargs) -> str:
    result = cli(*call_flags(name, room, phone, summary, *extra), **kwargs)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def stored(workspace, record_id: str) -> dict:
    (path,) = [p for p in record_files(workspace.root) if p.name == f"{record_id}.yaml"]
    return yamlio.load(path)


def assert_user_error(result, fragment: str) -> None:
    """Exit 2, one line per problem naming what is wrong, no traceback, nothing on stdout."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)


# -- log call -------------------------------------------------------------------------------

def test_log_call_prints_the_id_and_takes_defaults(workspace, cli, clock):
    clock.set("2026-10-12T01:02:03.456789+00:00")
    record_id = log(cli)
    assert len(record_id) == 26 and ids.normalize(record_id) == record_id
    data = stored(workspace, record_id)
    assert data["id"] == record_id and data["kind"] == "call" and data["schema"] == 1
    assert data["category"] == "consultation"  # the config's default for calls
    assert data["recorded_by"] == "zhangwei"  # $DUTYCTL_USER
    assert data["resident"] == {"name": "张三", "room": "3-2-501", "phone": "13812345678"}
    assert "callback_by" not in data
    assert data["created_at"] == "2026-10-12T09:02:03+08:00"  # now, to the second, site zone
    assert workspace.store.get(record_id).status == "answered"


def test_category_default_follows_the_config(workspace, cli):
    text = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(text.replace("default: consultation", "default: fee", 1),
                                     encoding="utf-8")
    assert stored(workspace, log(cli))["category"] == "fee"
    assert stored(workspace, log(cli, "--category", "repair"))["category"] == "repair"


def test_unknown_category_is_exit_2_naming_the_choices(workspace, cli):
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--category", "weather"))
    assert_user_error(result, "unknown call category 'weather'")
    assert "consultation" in result.stderr
    assert record_files(workspace.root) == []


@pytest.mark.parametrize("typed,due", [
    ("17:00", "2026-10-12T17:00:00+08:00"),
    ("tomorrow 10:00", "2026-10-13T10:00:00+08:00"),
    ("2026-10-14 09:00", "2026-10-14T09:00:00+08:00"),
    ("2026-10-14T09:00:00+08:00", "2026-10-14T09:00:00+08:00"),
    ("2026-10-14T01:00:00+00:00", "2026-10-14T09:00:00+08:00"),
])
def test_callback_by_forms_count_from_the_call(workspace, cli, typed, due):
    record_id = log(cli, "--at", "2026-10-12 09:30", "--callback-by", typed)
    assert stored(workspace, record_id)["callback_by"] == due
    assert workspace.store.get(record_id).status == "awaiting-callback"


@pytest.mark.parametrize("now,due", [
    ("2026-10-12T09:30:00+08:00", "2026-10-13T10:00:00+08:00"),
    ("2026-10-12T23:59:59.900+08:00", "2026-10-13T10:00:00+08:00"),  # a call just before midnight
    ("2026-10-12T16:30:00+00:00", "2026-10-14T10:00:00+08:00"),  # 00:30 on the 13th in Shanghai
])
def test_callback_by_tomorrow_without_at_counts_from_now_in_the_site_zone(workspace, cli, clock,
                                                                         now, due):
    clock.set(now)
    record_id = log(cli, "--callback-by", "tomorrow 10:00")
    assert stored(workspace, record_id)["callback_by"] == due


@pytest.mark.parametrize("typed", ["09:00", "2026-10-12 09:30", "soon"])
def test_callback_not_after_the_call_or_unreadable_is_exit_2(workspace, cli, typed):
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "2026-10-12 09:30",
                             "--callback-by", typed))
    assert_user_error(result, "--callback-by" if typed != "soon" else "cannot read the time")
    assert record_files(workspace.root) == []


def test_at_back_dates_into_that_days_folder(workspace, cli):
    record_id = log(cli, "--at", "2026-10-05 23:40")
    (path,) = record_files(workspace.root)
    assert path.relative_to(workspace.root).parts[:4] == ("records", "2026", "10", "05")
    assert stored(workspace, record_id)["created_at"] == "2026-10-05T23:40:00+08:00"
    named = ids.moment_of(record_id)  # to the second; the milliseconds are random
    assert named.replace(microsecond=0) == datetime.fromisoformat("2026-10-05T23:40:00+08:00")


def test_at_yesterday_lands_in_yesterdays_folder(workspace, cli, clock):
    clock.set("2026-10-13T00:00:30+08:00")  # just after midnight: yesterday is the 12th
    log(cli, "--at", "yesterday 22:00")
    (path,) = record_files(workspace.root)
    assert path.parent == workspace.store.day_dir(date(2026, 10, 12))


def test_unreadable_at_is_exit_2(workspace, cli):
    assert_user_error(cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "25:99")),
                      "'25:99': there is no hour 25")
    assert_user_error(cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "9点半点")),
                      "cannot read the time '9点半点'")
    assert record_files(workspace.root) == []


def test_staff_option_names_who_acts(workspace, cli):
    assert stored(workspace, log(cli, "--staff", "lina"))["recorded_by"] == "lina"


def test_unknown_staff_is_exit_2_and_writes_nothing(workspace, cli):
    assert_user_error(cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--staff", "nobody")),
                      "no staff member 'nobody'")
    assert_user_error(cli(*call_flags(), user="ghost"), "no staff member 'ghost'")
    assert record_files(workspace.root) == []


def test_without_a_tty_every_missing_flag_is_named_in_one_line(workspace, cli):
    result = cli("log", "call", "--name", "张三", input="3-2-501\n")
    assert_user_error(result, "missing --room")
    assert "--phone" in result.stderr and "--summary" in result.stderr
    assert record_files(workspace.root) == []


@pytest.mark.parametrize("missing", ["--name", "--room", "--phone", "--summary"])
def test_without_a_tty_a_missing_flag_is_named_and_exit_2(workspace, cli, missing):
    flags = dict(zip(["--name", "--room", "--phone", "--summary"],
                     ["张三", "3-2-501", "13812345678", "物业费"]))
    del flags[missing]
    args = [item for pair in flags.items() for item in pair]
    result = cli("log", "call", *args, input="张三\n3-2-501\n13812345678\n物业费\n")
    assert_user_error(result, f"missing {missing}")
    assert record_files(workspace.root) == []


def test_with_a_tty_missing_fields_are_prompted(workspace, cli, monkeypatch):
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    result = cli("log", "call", "--name", "王五", "--phone", "13900001111",
                 input="5-1-1202\n楼上漏水，天花板有水渍\n")
    assert result.exit_code == 0, result.stderr
    record_id = result.stdout.strip().splitlines()[-1]
    data = stored(workspace, record_id)
    assert data["resident"] == {"name": "王五", "room": "5-1-1202", "phone": "13900001111"}
    assert data["summary"] == "楼上漏水，天花板有水渍"


def test_with_a_tty_every_field_can_be_prompted(workspace, cli, monkeypatch):
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    result = cli("log", "call", input="赵六\n2-3-301\n13700002222\n咨询停车\n")
    assert result.exit_code == 0, result.stderr
    data = stored(workspace, result.stdout.strip().splitlines()[-1])
    assert data["resident"]["name"] == "赵六" and data["summary"] == "咨询停车"


def test_with_a_tty_an_empty_answer_is_said_to_be_needed(workspace, cli, monkeypatch):
    """Enter pressed on 来电人姓名： asked again with no word: a tired clerk saw the same
    question and did not know why."""
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    result = cli("log", "call", input="\n赵六\n2-3-301\n13700002222\n  \n咨询停车\n",
                 env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("这一项必须填写") == 2, result.stderr
    data = stored(workspace, result.stdout.strip().splitlines()[-1])
    assert data["resident"]["name"] == "赵六" and data["summary"] == "咨询停车"


@pytest.mark.parametrize("command", [("log", "call"), ("repair", "file"),
                                     ("resident", "add")])
def test_with_a_tty_a_slip_in_a_prompted_room_or_phone_is_asked_again(workspace, cli,
                                                                      monkeypatch, command):
    """3 a.m., the resident on the line: a room the site has not (3-2-50) or a number cut
    short at the prompt is said and asked again; the other answers stay (was: exit 2 after
    the last question, every answer lost)."""
    from tests.test_rooms import with_scheme

    with_scheme(workspace.root)
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    answers = ["赵六", "3-2-50", "3-2-502", "1370000222", "13700002222"]
    if command != ("resident", "add"):
        answers.append("咨询停车")
    if command == ("repair", "file"):
        answers.append("")  # the category: Enter, the default
    result = cli(*command, input="\n".join(answers) + "\n", env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 0, result.stderr
    assert "房号“3-2-50”不在本小区的房号方案中" in result.stderr
    assert "是不是 3-2-501？" in result.stderr
    assert "“1370000222”：共 10 位数字，不是完整的电话号码" in result.stderr
    assert result.stderr.count("如 3-2-501") == 2 and result.stderr.count("电话：") == 2
    data = stored(workspace, result.stdout.strip().splitlines()[-1])
    person = data.get("resident") or data.get("person") or data
    assert person["name"] == "赵六" and person["room"] == "3-2-502"
    assert person["phone"] == "13700002222"


@pytest.mark.parametrize("flag,value,fragment", [
    ("--phone", "abc", "--phone 'abc': expected a phone number"),
    ("--phone", "12", "--phone '12'"),
    ("--phone", "138 1234 5678 9999 0000 1", "expected a phone number"),
    ("--room", "   ", "missing --room"),
    ("--name", "", "missing --name"),
])
def test_bad_resident_values_are_exit_2(workspace, cli, flag, value, fragment):
    values = {"--name": "张三", "--room": "3-2-501", "--phone": "13812345678"}
    values[flag] = value
    result = cli("log", "call", *[x for pair in values.items() for x in pair], "--summary", "x")
    assert_user_error(result, fragment)
    assert record_files(workspace.root) == []


# -- show -----------------------------------------------------------------------------------

@pytest.fixture
def called_back(workspace, cli):
    """A call with a promised callback, a note and the callback done, as its history."""
    record_id = log(cli, "--at", "2026-10-12 09:30", "--callback-by", "17:00",
                    summary="咨询装修审批流程")
    store = workspace.store
    record = store.get(record_id)
    at = record.created_at
    record = store.append(record, "note", at=at + timedelta(hours=1), by="lina",
                          note="业主未接电话")
    store.append(record, "callback-done", at=at + timedelta(hours=3), by="zhangwei",
                 note="已回电，告知需提交装修申请表")
    return record_id


def test_show_gives_the_whole_history(cli, called_back):
    result = cli("show", called_back[:8].lower())
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"id: {called_back}" in out
    assert "status: called-back" in out
    lines = out.splitlines()
    header = next(index for index, line in enumerate(lines) if line.split()[:3] == ["time", "by",
                                                                                    "action"])
    block = lines[header + 2:]
    history = block[:block.index("")] if "" in block else block
    assert len(history) == 3
    assert "filed" in history[0] and "咨询装修审批流程" in history[0]
    assert "note" in history[1] and "李娜" in history[1] and "业主未接电话" in history[1]
    assert "callback-done" in history[2] and "已回电" in history[2]
    assert history[2].startswith("2026-10-12 12:30")
    assert "138****5678" in out and "13812345678" not in out


@pytest.mark.parametrize("fmt,parse", [("json", json.loads), ("yaml", yaml.safe_load)])
def test_show_as_data(cli, called_back, fmt, parse):
    result = cli("show", called_back, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    document = parse(result.stdout)
    assert document["id"] == called_back
    assert document["status"] == "called-back"
    assert document["created_at"] == "2026-10-12T09:30:00+08:00"
    assert document["callback_by"] == "2026-10-12T17:00:00+08:00"
    assert [event["action"] for event in document["history"]] == ["note", "callback-done"]
    assert document["history"][1]["by"] == "zhangwei"
    assert document["resident"]["phone"] == "138****5678"


def test_show_phone_reveals_the_number(cli, called_back):
    assert "13812345678" in cli("show", called_back, "--show-phone").stdout
    shown = json.loads(cli("show", called_back, "--format", "json", "--show-phone").stdout)
    assert shown["resident"]["phone"] == "13812345678"


def test_show_ambiguous_prefix_is_exit_2_listing_candidates(cli):
    first = log(cli, "--at", "2026-10-12 09:30")
    second = log(cli, "--at", "2026-10-12 09:30")
    shared = os.path.commonprefix([first, second])  # the same second: at least 6 characters
    assert len(shared) >= 6
    result = cli("show", shared)
    assert_user_error(result, "ambiguous")
    assert ids.short(first) in result.stderr and ids.short(second) in result.stderr
    assert cli("show", first).exit_code == 0


def test_show_unknown_id_is_exit_2(cli):
    log(cli)
    assert_user_error(cli("show", "01AAAAAAAA"), "no record with id 01AAAAAAAA")
    assert_user_error(cli("show", "what?"), "is not an id")


# -- list -----------------------------------------------------------------------------------

@pytest.fixture
def calls(workspace, cli):
    """Four calls over three days; one awaiting a callback, one called back."""
    made = {
        "fee": log(cli, "--at", "2026-10-10 09:00", "--category", "fee", room="1-1-101",
                   name="陈一", summary="物业费发票"),
        "open": log(cli, "--at", "2026-10-11 10:00", "--callback-by", "16:00",
                    room="2-2-202", name="欧阳娜娜", summary="问电梯维修进度"),
        "done": log(cli, "--at", "2026-10-11 11:00", "--callback-by", "17:00",
                    room="3-2-501", name="张三", summary="咨询停车位"),
        "repair": log(cli, "--at", "2026-10-12 08:00", "--category", "repair",
                      room="3-2-501", name="张三", phone="13900001111",
                      summary="厨房下水道堵塞"),
    }
    store = workspace.store
    record = store.get(made["done"])
    store.append(record, "callback-done", at=record.created_at + timedelta(hours=1), by="lina")
    return made


def listed(cli, *args: str) -> list[str]:
    result = cli("list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_list_filters(cli, calls):
    everything = [calls[key] for key in ("fee", "open", "done", "repair")]
    assert listed(cli) == everything  # oldest first
    assert listed(cli, "--kind", "call") == everything
    assert listed(cli, "--kind", "repair") == []
    assert listed(cli, "--status", "awaiting-callback") == [calls["open"]]
    assert listed(cli, "--status", "called-back") == [calls["done"]]
    assert listed(cli, "--status", "answered") == [calls["fee"], calls["repair"]]
    assert listed(cli, "--open") == [calls["open"]]
    assert listed(cli, "--since", "2026-10-11") == [calls["open"], calls["done"], calls["repair"]]
    assert listed(cli, "--until", "2026-10-11") == [calls["fee"], calls["open"], calls["done"]]
    assert listed(cli, "--since", "2026-10-11", "--until", "2026-10-11") == [calls["open"],
                                                                             calls["done"]]
    assert listed(cli, "--date", "2026-10-11") == [calls["open"], calls["done"]]  # one day
    assert listed(cli, "--room", "3-2-501") == [calls["done"], calls["repair"]]
    assert listed(cli, "--category", "repair") == [calls["repair"]]
    assert listed(cli, "--category", "consultation", "--room", "3-2-501") == [calls["done"]]


def test_list_bad_date_or_format_is_exit_2(cli, calls):
    assert_user_error(cli("list", "--since", "last week"), "cannot read the date")
    assert_user_error(cli("list", "--date", "2026-10-11", "--since", "2026-10-01"),
                      "--date is one day: give it, or --since and --until, not both")
    zh = cli("--lang", "zh_CN", "列表", "--日期", "10-11", "--到", "10-12")
    assert zh.exit_code == 2 and zh.stderr.strip() == (
        "--日期 指一天：写它，或写 --从 和 --到，不要同时写"), zh.stderr
    assert_user_error(cli("list", "--format", "xml"), "unknown format 'xml'")


def test_list_json_has_full_ids_times_and_masked_phones(cli, calls):
    rows = json.loads(cli("list", "--format", "json").stdout)
    first = rows[0]
    assert first["id"] == calls["fee"]
    assert first["time"] == "2026-10-10T09:00:00+08:00"
    assert first["status"] == "answered" and first["by"] == "zhangwei"
    assert (first["room"], first["name"], first["category"]) == ("1-1-101", "陈一", "fee")
    assert first["text"] == "物业费发票"
    assert first["phone"] == "138****5678"


def test_list_yaml_parses_back(cli, calls):
    rows = yaml.safe_load(cli("list", "--format", "yaml").stdout)
    assert [row["id"] for row in rows] == list(calls.values())
    assert all(isinstance(row["room"], str) for row in rows)


def test_list_csv_parses_back_and_masks_phones(cli, calls):
    result = cli("list", "--format", "csv")
    assert result.stdout.startswith("\ufeff")  # Excel reads the Chinese as UTF-8
    rows = list(csv.DictReader(io.StringIO(result.stdout[1:])))
    assert [row["id"] for row in rows] == list(calls.values())
    assert rows[1]["name"] == "欧阳娜娜" and rows[1]["status"] == "awaiting-callback"
    assert {row["phone"] for row in rows} == {"138****5678", "139****1111"}
    shown = list(csv.DictReader(io.StringIO(cli("list", "--format", "csv",
                                                "--show-phone").stdout)))
    assert {row["phone"] for row in shown} == {"13812345678", "13900001111"}


def test_privacy_setting_off_shows_phones(workspace, cli, calls):
    text = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(text.replace("mask_phone: true", "mask_phone: false"),
                                     encoding="utf-8")
    assert "13812345678" in cli("list").stdout


def _cells(line: str, starts: list[int]) -> list[str]:
    """Cut a table line at display columns; a cut inside a wide character fails the test."""
    positions, column = [], 0
    for char in line:
        positions.append(column)
        column += max(wcwidth(char), 0)
    positions.append(column)
    cells = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else column
        if start >= column:
            cells.append("")
            continue
        assert start in positions, f"column {index} starts inside a character: {line!r}"
        assert end >= column or end in positions, f"column {index} ends inside a character"
        first, last = positions.index(start), (positions.index(end) if end < column else len(line))
        cells.append(line[first:last].strip())
    return cells


def test_list_table_aligns_chinese_text(cli, calls):
    result = cli("list")
    assert result.exit_code == 0, result.stderr
    header, rule, *rows = result.stdout.rstrip("\n").splitlines()
    starts = [index for index, char in enumerate(rule) if char == "-"
              and (index == 0 or rule[index - 1] == " ")]
    names = _cells(header, starts)
    assert names[:10] == ["id", "kind", "time", "status", "recorded by", "room", "name", "phone",
                          "category", "text"]
    assert len(rows) == 4
    expected = json.loads(cli("list", "--format", "json").stdout)
    from dutyctl.names import Names
    from dutyctl.workspace import Workspace

    labels = Names.of(Workspace(cli.root))
    for line, row in zip(rows, expected):
        cells = dict(zip(names, _cells(line, starts)))
        assert cells["id"] == ids.short(row["id"])
        assert cells["time"] == row["time"][:16].replace("T", " ")
        for key in ("kind", "status", "room", "name", "phone", "text"):
            assert cells[key] == row[key], key
        # the table shows who by name and the category by its label; the data keeps the ids
        assert cells["recorded by"] == labels.short_person(row["by"]) != row["by"]
        assert cells["category"] == labels.category(row["kind"], row["category"])
    assert any(wcswidth(row["name"]) > len(row["name"]) for row in expected)  # wide text shown
    assert max(wcswidth(line.rstrip()) for line in rows + [header]) <= wcswidth(rule)


def test_list_on_an_empty_workspace(cli):
    assert cli("list").stdout == ""
    assert json.loads(cli("list", "--format", "json").stdout) == []


def test_list_reports_a_broken_file_but_lists_the_rest(workspace, cli, calls):
    (path,) = [p for p in record_files(workspace.root) if p.name == calls["fee"] + ".yaml"]
    path.write_text(path.read_text(encoding="utf-8") + "kind: call\n", encoding="utf-8")
    result = cli("list", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3
    assert "duplicate key 'kind'" in result.stderr and path.name in result.stderr


# -- errors ---------------------------------------------------------------------------------

def test_debug_shows_a_traceback_for_the_same_mistake(workspace, dutyctl_command, monkeypatch):
    args = call_flags("张三", "3-2-501", "abc", "x")
    plain = run_dutyctl(dutyctl_command, *args, root=workspace.root)
    assert plain.returncode == 2
    assert plain.stderr.strip() == "--phone 'abc': expected a phone number like \"13812345678\""
    monkeypatch.setenv("DUTYCTL_DEBUG", "1")
    debug = run_dutyctl(dutyctl_command, *args, root=workspace.root)
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr
    assert "InputError" in debug.stderr


def test_a_failing_disk_is_exit_3_in_one_line(workspace, cli, monkeypatch):
    def refuse(source, target):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("os.replace", refuse)
    result = cli(*call_flags())
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not [path for path in workspace.records_dir.rglob("*") if path.is_file()
                and path.name != ".gitkeep"]


def test_usage_errors_are_one_line_and_exit_2(cli):
    result = cli("log", "call", "--bogus")
    assert result.exit_code == 2
    assert "no such option: --bogus" in result.stderr
    assert "Traceback" not in result.stderr


# -- git auto-commit ------------------------------------------------------------------------

@pytest.mark.auto_commit
def test_auto_commit_commits_exactly_the_written_file(workspace, cli):
    root = workspace.root
    (root / "notes.txt").write_text("staged but not ours\n", encoding="utf-8")
    git(root, "add", "notes.txt")
    (root / "scratch.txt").write_text("untracked\n", encoding="utf-8")
    record_id = log(cli)
    committed = git(root, "show", "--name-only", "--format=%s", "HEAD").split()
    (path,) = record_files(root)
    short = ids.short(record_id)
    assert committed[0:7] == ["来电", short, "3-2-501", "咨询", "—", "张伟", "(zhangwei)"]
    assert committed[7:] == [str(path.relative_to(root))]
    status = git(root, "status", "--porcelain")
    assert "A  notes.txt" in status and "?? scratch.txt" in status
    assert str(path.relative_to(root)) not in status


@pytest.mark.auto_commit
def test_each_call_is_its_own_commit(workspace, cli):
    """Commit messages speak the site's language (site.language: zh_CN here), whatever the
    screen's (--lang en), each with the record's id."""
    first, second = log(cli), log(cli, room="5-1-1202")
    done = cli("--lang", "en", "callback", "done", second, "--result", "已告知",
               "--at", "2026-10-12 11:00")
    assert done.exit_code == 2  # no callback promised: nothing committed
    subjects = git(workspace.root, "log", "--format=%s").splitlines()
    assert subjects == [f"来电 {ids.short(second)} 5-1-1202 咨询 — 张伟 (zhangwei)",
                        f"来电 {ids.short(first)} 3-2-501 咨询 — 张伟 (zhangwei)",
                        "dutyctl 初始化：新建工作区"]


@pytest.mark.auto_commit
def test_commit_messages_speak_the_sites_language(workspace, cli):
    """A step's commit on a Chinese site is in Chinese even from an English screen; on an
    English site, in English: the record's id in both."""
    call = log(cli, "--callback-by", "2026-10-12 17:00", "--at", "2026-10-12 09:00")
    ok = cli("--lang", "en", "callback", "attempt", call, "--result", "busy",
             "--at", "2026-10-12 10:00")
    assert ok.exit_code == 0, ok.stderr
    subject = git(workspace.root, "log", "-1", "--format=%s")
    assert subject == f"来电 {ids.short(call)}：回电未接通 — 张伟 (zhangwei)\n", subject
    config = workspace.root / "dutyctl.yaml"
    config.write_text(config.read_text("utf-8").replace("language: zh_CN", "language: en", 1),
                      "utf-8")
    other = log(cli, room="5-1-1202")
    subject = git(workspace.root, "log", "-1", "--format=%s")
    # the category by its label in dutyctl.yaml, as every screen names it
    assert subject == f"call {ids.short(other)} 5-1-1202 咨询 — 张伟 (zhangwei)\n", subject


@pytest.mark.auto_commit
def test_outside_git_warns_once_and_keeps_the_record(workspace, cli):
    shutil.rmtree(workspace.root / ".git")
    result = cli(*call_flags())
    assert result.exit_code == 0
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and "not a git repository" in warnings[0]
    record_id = result.stdout.strip()
    assert stored(workspace, record_id)["id"] == record_id


@pytest.mark.auto_commit
def test_auto_commit_off_writes_without_committing(workspace, cli):
    text = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(text.replace("auto_commit: true", "auto_commit: false"),
                                     encoding="utf-8")
    result = cli(*call_flags())
    assert result.exit_code == 0 and result.stderr == ""
    assert git(workspace.root, "log", "--format=%s") == "dutyctl 初始化：新建工作区\n"
    assert len(record_files(workspace.root)) == 1


# -- the installed binary -------------------------------------------------------------------

@pytest.mark.auto_commit  # as `init` makes it: the commit is part of the flow
def test_installed_binary_key_flow(workspace, dutyctl_command):
    root = workspace.root
    logged = run_dutyctl(dutyctl_command, *call_flags("李四", "5-1-1202", "13900001111",
                                                      "电梯异响", "--callback-by",
                                                      "tomorrow 10:00", "--at",
                                                      "2026-10-12 09:30"), root=root)
    assert logged.returncode == 0, logged.stderr
    record_id = logged.stdout.strip()
    assert len(record_id) == 26
    shown = run_dutyctl(dutyctl_command, "show", record_id[:9].lower(), "--format", "json",
                        root=root)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["id"] == record_id and document["status"] == "awaiting-callback"
    assert document["callback_by"] == "2026-10-13T10:00:00+08:00"  # the day after the call
    assert document["resident"]["phone"] == "139****1111"
    table = run_dutyctl(dutyctl_command, "list", "--open", root=root)
    assert ids.short(record_id) in table.stdout and "李四" in table.stdout
    checked = run_dutyctl(dutyctl_command, "check", root=root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert git(root, "log", "-1", "--format=%s").startswith(f"来电 {ids.short(record_id)} ")
    missing = run_dutyctl(dutyctl_command, "log", "call", "--name", "李四", root=root)
    assert missing.returncode == 2 and "missing --room" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert len(record_files(root)) == 1


def test_show_of_a_broken_record_says_it_once(workspace, cli):
    record_id = log(cli, "--at", "2026-10-12 09:30")
    (path,) = record_files(workspace.root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: call", "kind: call\nkind: call"), encoding="utf-8")
    result = cli("show", record_id)
    assert_user_error(result, "duplicate key 'kind'")
    assert len(result.stderr.splitlines()) == 1


def test_chinese_help_gives_examples_a_chinese_site_can_type(cli):
    """A Chinese site's categories have Chinese ids: `来电 --帮助` offered `如 fee 或 物业费咨询`
    (an English id no such site has), and -f listed the formats by English id only."""
    call_help = "".join(cli("--lang", "zh_CN", "log", "call", "--help").stdout.split())
    assert "如物业费咨询" in call_help and "fee" not in call_help, call_help
    listing = "".join(cli("--lang", "zh_CN", "list", "--help").stdout.split())
    assert "表格（table）、json、yaml、csv或Excel（xlsx" in listing, listing
    # the kinds by their words alone, as `--种类` refusals list them: no (call), (log-entry)
    assert "只看此类记录：来电、投诉、报修、突发事件、值班、" in listing, listing
    assert "(call)" not in listing and "(log-entry)" not in listing, listing


def test_a_call_naming_an_emergency_says_how_to_open_its_procedure(cli, workspace):
    """3号楼整栋停电 came in as a call and nothing pointed the night clerk at `突发 开启`; once
    the outage is open, later calls about it are not told to open another. The hint never
    builds the record index while the resident is on the line (it had, on a desk without
    one: years of records read for a hint)."""
    from dutyctl.store.index import INDEX_FILE

    zh = {"DUTYCTL_LANG": "zh_CN"}
    CALLER = ("--name", "郑十一", "--room", "3-1-502", "--phone", "13811112222")
    first = cli("log", "call", *CALLER, "--category", "紧急情况", "--summary",
                "3号楼整栋停电", "--at", "2026-10-05 23:10", env=zh)
    assert first.exit_code == 0, first.stderr
    call = first.stdout.split()[0]
    assert (f"来电提到“停电”：如是突发事件，请开启处置流程：dutyctl 突发 开启 --类型 停电 "
            f"--地点 ... --来电 {call[:12]}") in first.stderr, first.stderr
    assert not (workspace.state_dir / INDEX_FILE).exists()
    opened = cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--from-call", call,
                 "--at", "2026-10-05 23:12")
    assert opened.exit_code == 0, opened.stderr
    again = cli("log", "call", *CALLER, "--summary", "还是停电", "--at",
                "2026-10-05 23:20", env=zh)
    assert again.exit_code == 0 and "来电提到" not in again.stderr, again.stderr
    plain = cli("log", "call", *CALLER, "--summary", "物业费怎么交", "--at",
                "2026-10-05 23:30", env=zh)
    assert plain.exit_code == 0, plain.stderr
    assert "来电提到" not in plain.stderr, plain.stderr


def _complaint_from_call(cli, name: str, room: str, phone: str, summary: str, at: str):
    """A call logged in Chinese that files a ticket of it, no ticket category given."""
    filed = cli("--lang", "zh_CN", *call_flags(name, room, phone, summary, "--category",
                                               "complaint", "--file-ticket", "--at", at))
    assert filed.exit_code == 0, filed.stderr
    return filed


def test_a_ticket_filed_without_a_category_says_the_default_it_took(workspace, cli, clock):
    """A complaint about 油烟 filed from a call stood as 服务态度, the site's default, without
    a word, where the urgency its words suggested is said: the category taken is said too."""
    clock.set("2026-10-12T09:30:00+08:00")
    filed = _complaint_from_call(cli, "张三", "3-2-501", "13812345678", "楼下烧烤油烟很大",
                                 "2026-10-12 09:00")
    assert "未写类别，已按默认类别 服务态度 登记（类别需在登记时用 --工单类别 写明" in filed.stderr, \
        filed.stderr
    typed = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "水管漏水", "--category", "leaks",
                "--at", "2026-10-12 09:10")
    assert typed.exit_code == 0 and "the default" not in typed.stderr, typed.stderr
    default = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                  "13812345678", "--content", "门坏了", "--at", "2026-10-12 09:20")
    assert ("the default, as none was given (a category is given with --category when "
            "filing; this one stays as filed)") in default.stderr


def test_a_ticket_filed_without_a_category_takes_the_one_its_words_name(workspace, cli,
                                                                      clock):
    """楼上晚上装修噪音 filed from a call stood as 服务态度 (the default), its 噪音 unseen:
    the category whose label the words name is taken, and said."""
    clock.set("2026-10-12T20:00:00+08:00")
    filed = _complaint_from_call(cli, "王芳", "4-1-101", "13100001111", "楼上晚上装修噪音",
                                 "2026-10-12 19:20")
    assert "类别按内容里的“噪音”登记为 噪音（类别需在登记时用 --工单类别 写明" in filed.stderr, \
        filed.stderr
    ticket = filed.stdout.strip().splitlines()[-1]
    assert stored(workspace, ticket)["category"] == "noise"
    repair = cli("repair", "file", "--room", "3号楼2单元电梯", "--content", "电梯困人",
                 "--at", "2026-10-12 19:30")
    assert stored(workspace, repair.stdout.strip())["category"] == "elevator", repair.stderr


@pytest.mark.parametrize("typed, category", [("噪音\n", "noise"), ("\n", None),
                                             ("乱写\nnoise\n", "noise")])
def test_with_a_tty_the_category_is_asked_with_its_choices(workspace, cli, monkeypatch, typed,
                                                          category):
    """A complaint filed at the terminal without --category stood as the default (服务态度)
    unseen: the category is asked once the fault is known, its choices named; Enter takes the
    default; a word not among them is said and asked again."""
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    filed = cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "楼上装修噪音", "--at", "2026-10-12 09:00",
                input=typed)
    assert filed.exit_code == 0, filed.stderr
    assert "category (" in filed.stderr and "噪音" in filed.stderr.split("\n")[0]
    data = stored(workspace, filed.stdout.strip().splitlines()[-1])
    default = workspace.config.categories["complaint"].default
    assert data["category"] == (category or default)
    assert "the default, as none was given" not in filed.stderr  # chosen at the prompt
    assert ("unknown complaint category '乱写'" in filed.stderr) is typed.startswith("乱写")


def test_a_caller_chasing_an_open_complaint_is_pointed_to_it_before_a_new_one(workspace, cli):
    """A resident calling again about the complaint still open was told only "no complaint was
    filed for this call: dutyctl complaint file --from-call …", and the clerk filed it twice."""
    from tests.helpers_foundation import call_flags

    first = cli(*call_flags("张三", "3-2-501", "13812345678", "楼下烧烤油烟很大", "--category",
                            "complaint", "--file-ticket", "--ticket-category", "noise",
                            "--at", "2026-10-12 09:00"))
    assert first.exit_code == 0, first.stderr
    complaint = first.stdout.split()[1]
    cli("list", "--all")  # the hint reads the index as built, never builds it
    again = cli(*call_flags("张三", "3-2-501", "13812345678", "油烟的事怎么样了", "--category",
                            "complaint", "--at", "2026-10-12 15:00"))
    assert again.exit_code == 0, again.stderr
    assert (f"no complaint was filed for this call; the caller has complaint {complaint[:12]} "
            "open (楼下烧烤油烟很大)") in again.stderr, again.stderr
    assert f"see that one first (dutyctl show {complaint[:12]})" in again.stderr
    earlier = cli(*call_flags("张三", "3-2-501", "13812345678", "问油烟", "--category",
                              "complaint", "--at", "2026-10-12 08:00"))  # before it was filed
    assert "the caller has complaint" not in earlier.stderr, earlier.stderr
    stranger = cli(*call_flags("李四", "5-1-1202", "13900001111", "楼道灯坏了", "--category",
                               "complaint", "--at", "2026-10-12 15:10"))
    assert "no complaint was filed for this call: dutyctl complaint file --from-call" in (
        stranger.stderr)


def test_a_call_filed_with_its_ticket_says_which_id_is_which(workspace, cli):
    """`来电 --转工单` printed two bare ids: stdout keeps them for scripts (the call's first),
    and stderr says which is which."""
    filed = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", "卫生间漏水",
                                               "--category", "repair", "--file-ticket",
                                               "--at", "2026-10-12 09:00"))
    assert filed.exit_code == 0, filed.stderr
    call, ticket = filed.stdout.split()
    assert f"来电 {call[:12]}，报修 {ticket[:12]}" in filed.stderr


@pytest.mark.parametrize("typed", ["李　四", "李 四", " 李四 "])
def test_a_residents_name_typed_with_blanks_is_stored_as_one_name(workspace, cli, typed):
    """李　四 typed in full-width mode was stored so: a second line for 李四 in the register,
    and `search 李四` missed the call. Blanks between Chinese characters are no part of a
    name (a name in letters keeps one between its words)."""
    filed = cli("log", "call", "--name", typed, "--room", "3-2-501", "--phone", "13812345678",
                "--summary", "物业费", "--at", "2026-10-12 09:00")
    assert filed.exit_code == 0, filed.stderr
    assert stored(workspace, filed.stdout.strip().splitlines()[-1])["resident"]["name"] == "李四"
    found = cli("search", "李四", "-f", "json")
    assert len(json.loads(found.stdout)) == 1, found.stdout
    latin = cli("log", "call", "--name", "John  Smith", "--room", "3-2-502", "--phone",
                "13812345679", "--summary", "物业费", "--at", "2026-10-12 09:05")
    assert stored(workspace, latin.stdout.strip().splitlines()[-1])["resident"]["name"] == \
        "John Smith"


def test_with_a_tty_an_emergency_type_mistyped_is_asked_again(workspace, cli, monkeypatch):
    """A slip in the type asked at the terminal ended the whole command (exit 2, what was
    typed lost) where a room or a phone slip is asked again."""
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    opened = cli("emergency", "open", "--where", "3号楼", "--content", "整栋停电",
                 "--at", "2026-10-12 09:00", input="停点\n停电\n")
    assert opened.exit_code == 0, opened.stderr
    assert opened.stderr.count("type (") == 2 and "停点" in opened.stderr, opened.stderr


@pytest.mark.parametrize("room", ["3-2-501", "3/2/501", "三号楼二单元501"])
def test_a_known_number_calling_about_another_room_takes_no_name_however_it_is_typed(
        workspace, cli, room):
    """张三 lives at 5-1-101; a call from his number about 3-2-501 is not known to be his:
    typed 3/2/501 (stored as 3-2-501 since) it took his name as if about a place."""
    assert cli("resident", "add", "--name", "张三", "--room", "5-1-101", "--phone",
               "13812345678", "--at", "2026-10-12 09:00").exit_code == 0
    call = cli("log", "call", "--phone", "13812345678", "--room", room, "--summary", "x",
               "--at", "2026-10-12 09:10")
    assert call.exit_code == 2, call.stdout
    assert "not at 3-2-501: the name is not taken from it" in call.stderr


def test_what_the_register_gives_a_call_is_decided_by_the_residents_register_module(
        workspace, cli):
    """`callers.known_caller`, what `log call --phone` takes: the name and room of a number
    the register has at one room, the name alone about a place of the site, nothing about
    another room; each with the line the clerk is told."""
    from dutyctl import callers

    assert cli("resident", "add", "--name", "张三", "--room", "5-1-101", "--phone",
               "13812345678", "--at", "2026-10-12 09:00").exit_code == 0
    every = callers.register(workspace.store, phone="13812345678", include_moved=True)[0]

    def known(name, room):
        found = callers.known_caller(every, name, room, places={"3号楼电梯"})
        return found.name, found.room, len(found.said)

    assert known(None, None) == ("张三", "5-1-101", 1)
    assert known(None, "3号楼电梯") == ("张三", "3号楼电梯", 1)
    assert known(None, "3-2-501") == (None, "3-2-501", 1)
    assert known("李四", None) == ("李四", "5-1-101", 1)  # the name typed is recorded
    assert callers.known_caller([], "李四", None, places=set()) \
        == callers.KnownCaller("李四", None)


def test_values_in_a_chinese_input_methods_quotation_marks_are_read_without_them(
        workspace, cli, clock, dutyctl_command):
    """A Chinese input method types “…”: `房号 “3-2-501”` found no resident nor record
    (silently: exit 0), `--姓名 “李四”` stored the name with them, `--时间 “…”` and
    `--类别 “咨询”` were refused. Read as a shell reads "…", on Typer's path and on the fast
    path of a plain `log call` alike."""
    filed = cli(*call_flags(name="“李四”", room="「3-2-501」"), "--category", "“fee”",
                "--at", "“2026-10-12 09:00”")
    assert filed.exit_code == 0, filed.stderr
    fast = run_dutyctl(dutyctl_command, *call_flags(name="“王五”", room="3-2-501",
                                                    phone="13900001111"),
                       "--at", "2026-10-12 09:10", root=workspace.root)
    assert fast.returncode == 0, fast.stderr
    (first, second) = json.loads(cli("list", "-f", "json").stdout)
    assert (first["name"], first["room"], first["category"]) == ("李四", "3-2-501", "fee")
    assert second["name"] == "王五"
    room = json.loads(cli("room", "“3-2-501”", "-f", "json").stdout)
    assert room["room"] == "3-2-501" and len(room["records"]) == 2, room
    # a quotation mark inside the text stays: only a pair around the whole value goes
    said = cli(*call_flags(summary="业主说“门禁坏了”"), "--at", "2026-10-12 09:20")
    assert said.exit_code == 0, said.stderr
    assert json.loads(cli("list", "-f", "json").stdout)[-1]["text"] == "业主说“门禁坏了”"
    two = cli(*call_flags(summary="“门禁坏了”，“电梯也坏了”"), "--at", "2026-10-12 09:30")
    assert two.exit_code == 0, two.stderr  # two quotations, not one wrapped whole
    assert json.loads(cli("list", "-f", "json").stdout)[-1]["text"] == "“门禁坏了”，“电梯也坏了”"


def test_a_time_the_clocks_skip_is_the_instant_after_the_jump_everywhere(workspace, cli,
                                                                         clock):
    """02:30 on the night Berlin's clocks go from 02:00 to 03:00 never was: it was stored
    as 02:30+01:00, shown 03:30 on the screens and 02:30 in the file and JSON. Now it is
    the instant it names, 03:30+02:00, in each."""
    from tests.helpers_roster import set_site_timezone

    set_site_timezone(workspace, "Europe/Berlin")
    clock.set("2026-03-30T09:00:00+02:00")
    filed = cli(*call_flags(), "--at", "2026-03-29 02:30")
    assert filed.exit_code == 0, filed.stderr
    (path,) = record_files(workspace.root)
    assert "created_at: '2026-03-29T03:30:00+02:00'" in path.read_text(encoding="utf-8")
    (row,) = json.loads(cli("list", "-f", "json").stdout)
    assert row["time"] == "2026-03-29T03:30:00+02:00"
    assert "2026-03-29 03:30" in cli("list").stdout


def test_a_whole_log_call_typed_in_chinese_is_refused_in_chinese_outside_a_workspace(
        tmp_path, dutyctl_command):
    """The fast path of a complete `来电` spoke the machine's language (English under
    LANG=C) where the site's could not be read, as Typer's path never did."""
    import subprocess

    env = {key: value for key, value in os.environ.items()
           if key not in ("DUTYCTL_LANG", "DUTYCTL_ROOT", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    done = subprocess.run([*dutyctl_command, "来电", "--姓名", "张三", "--房号", "3-2-501",
                           "--电话", "13812345678", "--摘要", "漏水"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.startswith("不在 dutyctl 工作区内"), done.stderr


def test_a_text_of_several_lines_or_a_long_one_is_wrapped_in_a_sheet(workspace, cli, clock,
                                                                     tmp_path):
    """A summary typed with a line break showed on one line in Excel, and a complaint of 400
    characters its first twenty, cut by the next cell."""
    from openpyxl import load_workbook

    lines = "第一行：门口有积水\n第二行：请派人清理"
    long = "楼上住户" * 60
    for summary, at in ((lines, "2026-10-12 09:00"), (long, "2026-10-12 09:10"),
                        ("物业费怎么交", "2026-10-12 09:20")):
        assert cli(*call_flags(summary=summary), "--at", at).exit_code == 0
    target = tmp_path / "list.xlsx"
    assert cli("list", "-f", "xlsx", "-o", str(target)).exit_code == 0
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("text") + 1
    cells = {sheet.cell(row, column).value: sheet.cell(row, column)
             for row in range(2, sheet.max_row + 1)}
    assert cells[lines].alignment.wrap_text and cells[long].alignment.wrap_text
    assert not cells["物业费怎么交"].alignment.wrap_text
