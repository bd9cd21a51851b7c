"""Every command with a --format option, walked in every data format (json, yaml, csv): the
output parses, holds no Python repr and no display-only time, names staff and shifts by id
in the fields `staff` and `shift`, and every CSV starts with a UTF-8 BOM and lists one entity
per row. The commands are discovered from the app, so a new listing command is walked too
(it needs a recipe below only when it takes arguments)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from dutyctl import timeutil
from dutyctl.store import yamlio
from dutyctl.cli import options
from dutyctl.workspace import Workspace
from tests.conftest import Cli, FixedClock, new_workspace

DATA_FORMATS = ("json", "yaml", "csv")
STAFF = {"zhangwei", "lina", "wangqiang", "liuyang", "chenjing", "zhaolei", "sunli", "gaofeng"}
SHIFTS = {"day", "night", "night-oncall", "office"}
# a repr of a Python dict or list, a display-only day ("12-01 二") or a time without the T
NOT_DATA = [re.compile(pattern) for pattern in (
    r"\{'", r"\['", r"\[\{", r"datetime\.", r"^\d\d-\d\d ", r"^\d{4}-\d\d-\d\d \d\d:\d\d",
    r"^\w+=\S+ \w+=")]


def listing_commands() -> list[tuple[tuple[str, ...], object]]:
    """(command path, its --format option) for every command of the app that has one."""
    from tests.sources import leaf_commands

    return [(path, option) for path, command in leaf_commands()
            for option in [next((p for p in command.params if "--format" in p.opts), None)]
            if option is not None]


@pytest.fixture(scope="module")
def site(tmp_path_factory, _quiet_workspace):
    """A workspace with a November roster and one of everything on 2026-11-05 (auto-commit
    off: what is listed comes from the files and the index, never from git). The module's
    tests run at a fixed instant, 2026-11-06 09:00 (the tests' clock, held for the module:
    `notify outbox`, `clock status` and the others without --at are run at it)."""
    with pytest.MonkeyPatch.context() as patch:
        clock = FixedClock()
        clock.set("2026-11-06T09:00:00+08:00")
        patch.setattr(timeutil, "clock", clock)
        yield _walked_site(tmp_path_factory.mktemp("walk") / "site", _quiet_workspace)


def _walked_site(root, template):
    new_workspace(root, template)
    cli = Cli(root)

    def run(*args: str) -> str:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        return result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""

    resident = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")
    run("roster", "generate", "--month", "2026-11", "--at", "2026-10-26 10:00")
    run("clock", "in", "--staff", "zhangwei", "--at", "2026-11-05 07:55")
    run("checklist", "--staff", "zhangwei", "--ok", "all", "--problem", "printer", "--note",
        "卡纸", "--at", "2026-11-05 08:00")
    run("log", "call", *resident, "--summary", "物业费怎么交", "--callback-by", "17:00",
        "--at", "2026-11-05 09:00")
    complaint = run("complaint", "file", *resident, "--category", "noise", "--content",
                    "楼上装修噪音", "--at", "2026-11-05 09:10")
    run("complaint", "handle", complaint, "--action", "已上门劝导", "--at", "2026-11-05 09:30")
    repair = run("repair", "file", *resident, "--content", "厨房水管爆管，跑水", "--at",
                 "2026-11-05 09:20")
    run("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-11-05 09:40")
    handover = run("handover", "--staff", "zhangwei", "--to", "lina", "--note", "钥匙在抽屉",
                   "--at", "2026-11-05 19:40")
    # a channel whose command is not approved on this desk: the call's missed callback waits in the outbox
    with (cli.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nnotify:\n  channels:\n    sms: {type: command, command: [/bin/false]}\n"
                     "  rules:\n    deadline-missed: [sms]\n")
    cli("notify", "watch", "--at", "2026-11-05 18:00")
    ids = {"complaint": complaint, "repair": repair, "handover": handover,
           "root": str(cli.root)}
    return cli, ids


# what each command needs to list something; any other command runs without arguments
RECIPES = {
    ("show",): lambda ids: [ids["complaint"], "--as-of", "2026-11-06 00:00"],
    ("list",): lambda ids: ["--as-of", "2026-11-06 00:00"],
    ("search",): lambda ids: ["噪音"],
    ("callback", "list"): lambda ids: ["--as-of", "2026-11-05 12:00"],
    ("handover", "show"): lambda ids: [ids["handover"]],
    ("emergency", "open"): lambda ids: ["--type", "water-outage", "--where", "3号楼",
                                        "--at", "2026-11-05 10:00"],
    ("repair", "schedule"): lambda ids: ["--dry-run", "--until", "2026-11-05", "--at",
                                         "2026-11-05 10:00"],
    ("roster", "explain"): lambda ids: ["2026-11-05", "night"],
    ("roster", "show"): lambda ids: ["--month", "2026-11"],
    ("roster", "stats"): lambda ids: ["--month", "2026-11"],
    ("roster", "export"): lambda ids: ["--month", "2026-11"],
    ("who",): lambda ids: ["--at", "2026-11-05 21:00"],
    ("attendance",): lambda ids: ["--month", "2026-11", "--detail"],
    ("report", "daily"): lambda ids: ["--date", "2026-11-05"],
    ("report", "weekly"): lambda ids: ["--week", "2026-W45"],
    ("report", "monthly"): lambda ids: ["--month", "2026-11"],
    ("report", "portfolio"): lambda ids: [ids["root"], "--month", "2026-11"],
    ("caller",): lambda ids: ["13812345678"],
    ("room",): lambda ids: ["3-2-501"],
}


def test_the_walk_finds_the_listing_commands():
    found = {path for path, _ in listing_commands()}
    assert {("list",), ("who",), ("roster", "stats"), ("repair", "schedule"),
            ("attendance",), ("callback", "list")} <= found


def _values(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from _values(value)
    elif isinstance(data, list):
        for item in data:
            yield from _values(item)


def _check_value(where: str, key, value) -> None:
    if isinstance(value, str):
        bad = [pattern.pattern for pattern in NOT_DATA if pattern.search(value)]
        assert not bad, f"{where}: {key}={value!r} is not data ({bad})"
    if key == "shift" and isinstance(value, str):
        assert value in SHIFTS, f"{where}: shift {value!r} is not a shift id"
    if key == "staff" and isinstance(value, str):
        assert value in STAFF, f"{where}: staff {value!r} is not a staff id"


def _check_document(where: str, data) -> None:
    for key, value in _values(data):
        _check_value(where, key, value)


def _check_csv(where: str, text: str) -> None:
    assert text.startswith("\ufeff"), f"{where}: a CSV without its UTF-8 BOM"
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    assert header and len(set(header)) == len(header), f"{where}: header {header}"
    for row in rows:
        assert len(row) == len(header), f"{where}: {row} does not fit {header}"
        for key, value in zip(header, row):
            _check_value(where, key, value or None)


@pytest.mark.parametrize("path,option", listing_commands(),
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_every_listing_is_data_in_every_format(site, path, option):
    cli, ids = site
    recipe = RECIPES.get(path, lambda ids: [])(ids)
    shared = option.callback is options.FORMAT.callback
    accepted = 0
    for fmt in DATA_FORMATS:
        where = f"dutyctl {' '.join(path)} -f {fmt}"
        result = cli(*path, *recipe, "--format", fmt)
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, \
            f"{where}: {result.stderr}"
        if result.exit_code == 2 and "format" in result.stderr and not shared:
            continue  # a command with its own formats (roster export: ics, csv)
        assert result.exit_code in (0, 1), f"{where}: exit {result.exit_code}: " \
                                           f"{result.stderr} (a new command needs a recipe)"
        accepted += 1
        if fmt == "json":
            _check_document(where, json.loads(result.stdout))
        elif fmt == "yaml":
            _check_document(where, yamlio.loads(result.stdout))
        else:
            _check_csv(where, result.stdout)
    assert accepted, f"dutyctl {' '.join(path)} takes none of json, yaml, csv"


def test_csv_lists_one_entity_per_row(site):
    cli, _ = site
    stats = list(csv.DictReader(io.StringIO(
        cli("roster", "stats", "--month", "2026-11", "-f", "csv").stdout[1:])))
    assert {row["staff"] for row in stats} == STAFF
    who = list(csv.DictReader(io.StringIO(
        cli("who", "--at", "2026-11-05 21:00", "-f", "csv").stdout[1:])))
    assert who and all(row["shift"] == "night" and row["shift_name"] for row in who)
    explain = list(csv.DictReader(io.StringIO(
        cli("roster", "explain", "2026-11-05", "night", "-f", "csv").stdout[1:])))
    assert {row["staff"] for row in explain} == STAFF
    shown = json.loads(cli("roster", "show", "--month", "2026-11", "-f", "json").stdout)
    assert shown[0]["date"] == "2026-11-01" and shown[0]["staff"] in STAFF
    assert shown[0]["start"].startswith("2026-11-01T")
    listed = list(csv.DictReader(io.StringIO(
        cli("list", "--as-of", "2026-11-06 00:00", "-f", "csv").stdout[1:])))
    assert "due.deadline" in listed[0] and "due" not in listed[0]


# the reports: a workbook of a sheet per section, its tables one under the other (headers not
# on row 1), tested in tests/test_report_excel.py; here only its words and times
REPORT_WORKBOOKS = {("report", "daily"), ("report", "weekly"), ("report", "monthly"),
                    ("report", "portfolio")}


def test_the_report_workbooks_are_listing_commands():
    assert REPORT_WORKBOOKS <= {path for path, _ in listing_commands()}


ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path,option", listing_commands(),
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_every_workbook_is_headed_in_chinese_with_excel_times(site, path, option, tmp_path):
    """A Chinese desk's workbook: its sheets named and every column titled in Chinese (a
    field name such as shift_name or due.deadline is English on a Chinese screen), and a
    moment a real Excel time, never its ISO text."""
    import openpyxl

    cli, ids = site
    target = tmp_path / "out.xlsx"
    result = cli("--lang", "zh_CN", *path, *RECIPES.get(path, lambda ids: [])(ids),
                 "--format", "xlsx", "--output", str(target))
    assert result.exit_code in (0, 1), result.stderr
    book = openpyxl.load_workbook(target)
    if path in REPORT_WORKBOOKS:
        for sheet in book.worksheets:
            assert HAN.search(sheet.title), f"sheet {sheet.title!r}"
            assert not any(isinstance(value, str) and ISO_MOMENT.match(value)
                           for row in sheet.iter_rows(values_only=True) for value in row)
        return
    for sheet in book.worksheets:
        assert HAN.search(sheet.title), f"sheet {sheet.title!r}"
        if sheet.max_row < 2 or re.match(r"排班表 .+至", sheet.title):
            continue  # the roster grid (排班表 <first>至<last>): tested in tests/test_xlsx.py
        headers = [cell.value for cell in sheet[1]]
        assert all(HAN.search(str(header)) for header in headers), headers
        for row in sheet.iter_rows(min_row=2, values_only=True):
            for header, value in zip(headers, row):
                assert not (isinstance(value, str) and ISO_MOMENT.match(value)), (header, value)


def _flat_keys(row: dict, prefix: str = "") -> list[str]:
    """A json row's keys as its CSV has them: a mapping spread into `key.sub` columns."""
    keys = []
    for key, value in row.items():
        keys += _flat_keys(value, f"{prefix}{key}.") if isinstance(value, dict) else [
            prefix + key]
    return keys


#: Listings whose json rows hold their CSV rows: the key of that list; each CSV row has the
#: fields of the json row it is in beside its own (roster explain: a place each in json, a
#: row per candidate in CSV).
CSV_ROWS_INSIDE = {("roster", "explain"): "candidates"}


@pytest.mark.parametrize("path,option", listing_commands(),
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_a_listing_s_csv_has_the_columns_of_its_json_rows(site, path, option):
    """What a row says in json it says in CSV (search's transferred_to was json only)."""
    cli, ids = site
    recipe = RECIPES.get(path, lambda ids: [])(ids)
    as_json, as_csv = (cli(*path, *recipe, "--format", fmt) for fmt in ("json", "csv"))
    if as_json.exit_code not in (0, 1) or as_csv.exit_code not in (0, 1):
        return  # formats of its own (roster export)
    rows = json.loads(as_json.stdout)
    if not isinstance(rows, list) or not rows:
        return  # a document: its CSV lists one of its parts
    inside = CSV_ROWS_INSIDE.get(path)
    if inside:
        assert any(row[inside] for row in rows), path  # something to compare
        rows = [{**{key: value for key, value in row.items() if key != inside}, **part}
                for row in rows for part in row[inside]]
    keys = []
    for row in rows:
        keys += [key for key in _flat_keys(row) if key not in keys]
    # a mapping in some rows and empty in others: its `key.sub` columns only (output.to_csv)
    keys = [key for key in keys if not any(other.startswith(key + ".") for other in keys)]
    header = next(csv.reader(io.StringIO(as_csv.stdout[1:])))
    assert sorted(header) == sorted(keys), (path, header, keys)


NO_ROWS_HERE = {("roster", "check"), ("check",)}  # nothing to report


@pytest.mark.parametrize("path,option", [(path, option) for path, option in listing_commands()
                                         if re.search(r"\bcsv\b", option.help or "")],
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_every_csv_is_headed_in_the_desk_s_language(site, path, option):
    """A Chinese desk's CSV is headed in Chinese, a title per column and none twice (the
    supervisor opens it in Excel: `shift_name` or `due.deadline` is English to them), its
    columns those of the English CSV; an English desk's keeps the field names."""
    cli, ids = site
    recipe = RECIPES.get(path, lambda ids: [])(ids)
    english = cli(*path, *recipe, "--format", "csv")
    chinese = cli("--lang", "zh_CN", *path, *recipe, "--format", "csv")
    assert english.exit_code == 0, (path, english.exit_code, english.stderr)
    assert chinese.exit_code == english.exit_code, chinese.stderr
    keys = next(csv.reader(io.StringIO(english.stdout[1:])))
    titles, *rows = list(csv.reader(io.StringIO(chinese.stdout[1:])))
    assert rows or path in NO_ROWS_HERE, path  # titles checked on something to read
    assert all(re.fullmatch(r"[a-z_.]+", key) for key in keys), keys
    assert len(titles) == len(keys) and len(set(titles)) == len(titles), (titles, keys)
    assert all(HAN.search(title) and not re.search("[A-Za-z]", title) for title in titles), \
        titles
    assert all(len(row) == len(titles) for row in rows)


def _vocabulary(root) -> set[str]:
    """The ids of the words a cell may hold: the program's own (kinds, statuses, actions,
    deadline steps and states, attendance results, candidates' verdicts, log entry types,
    notify events) and the site's labelled ids in `root`'s dutyctl.yaml (roles, categories,
    urgency classes, departments: cellwords.CSV_WORDS says them by their labels too)."""
    from dutyctl import words
    from dutyctl.notify.settings import EVENT_WORDS
    from dutyctl.records import kinds
    from dutyctl.roster.explain import VERDICT_WORDS
    from dutyctl.tickets.deadlines import DEADLINE_LABELS

    tables = (words.STATUSES, words.ACTIONS, words.DEADLINE_STATES, words.ATTENDANCE,
              words.ATTEMPT_RESULTS, words.CLOSED_AS, words.ENTRY_TYPES, DEADLINE_LABELS,
              VERDICT_WORDS, EVENT_WORDS, kinds())
    config = Workspace(Path(root)).config
    site = (config.roles.names, config.departments,
            *(catalogue.names for catalogue in config.categories.values()),
            *(scheme.classes for scheme in config.urgency.values()))
    site_ids = {word for table in site for word in table}
    assert {"noise", "service", "engineering"} <= site_ids, site_ids  # the bundled site's
    return {word for table in tables for word in table} | site_ids


@pytest.mark.parametrize("path,option", [(path, option) for path, option in listing_commands()
                                         if re.search(r"\bcsv\b", option.help or "")],
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_a_chinese_csv_says_its_kinds_and_states_in_chinese(site, path, option):
    """A Chinese desk's CSV says in its cells what the Excel sheet says (来电, 已派工, 已超时,
    缺勤, 排除), never a kind's or state's English id; the English CSV keeps the ids."""
    cli, ids = site
    recipe = RECIPES.get(path, lambda ids: [])(ids)
    vocabulary = _vocabulary(ids["root"])
    english = cli(*path, *recipe, "--format", "csv")
    chinese = cli("--lang", "zh_CN", *path, *recipe, "--format", "csv")
    assert chinese.exit_code == english.exit_code == 0, chinese.stderr
    keys = next(csv.reader(io.StringIO(english.stdout[1:])))
    titles, *rows = list(csv.reader(io.StringIO(chinese.stdout[1:])))
    assert rows or path in NO_ROWS_HERE, path  # the cells checked on something to read
    for row in rows:
        for key, title, value in zip(keys, titles, row):
            said = {part.strip() for part in value.split(",")}
            assert not said & vocabulary, (path, title, value)


def _listed_in_both(cli) -> tuple[list, list]:
    """`list -f csv` of the site as an English desk and as a Chinese desk writes it: rows."""
    return tuple(list(csv.reader(io.StringIO(cli(
        "--lang", language, "list", "--as-of", "2026-11-06 00:00", "-f", "csv").stdout[1:])))
        for language in ("en", "zh_CN"))


def test_the_chinese_csv_cells_are_the_english_ids_in_words(site):
    """The same cells: a Chinese desk reads 来电 and 已超时 where the English CSV (data for
    scripts, unchanged) holds `call` and `overdue`; who filed a record by name (登记人 张伟:
    a pinyin id is no word for a clerk in Excel); shifts and records keep ids."""
    cli, _ = site
    english, chinese = _listed_in_both(cli)
    kinds = {row[1]: said[1] for row, said in zip(english[1:], chinese[1:])}
    assert kinds["call"] == "来电" and kinds["repair"] == "报修"
    states = {(row[0], key): said for row, other in zip(english[1:], chinese[1:])
              for key, said in zip(english[0], other)}
    call = next(row[0] for row in english[1:] if row[1] == "call")
    assert states[call, "status"] == "待回电" and states[call, "due.state"] == "已超时"
    assert states[call, "due.deadline"] == "回电"
    assert [row[0] for row in english[1:]] == [row[0] for row in chinese[1:]]
    assert {row[english[0].index("by")] for row in english[1:]} == {"zhangwei"}
    assert {row[chinese[0].index("登记人")] for row in chinese[1:]} == {"张伟"}
    explain = list(csv.DictReader(io.StringIO(cli(
        "--lang", "zh_CN", "roster", "explain", "2026-11-05", "night", "-f", "csv").stdout[1:])))
    assert {row["员工编号"] for row in explain} == STAFF
    assert {row["结论"] for row in explain} == {"排除", "选中"}
    attendance = cli("--lang", "zh_CN", "attendance", "--month", "2026-11", "--detail",
                     "-f", "csv").stdout
    assert "absent" not in attendance and "缺勤" in attendance


def test_the_chinese_csv_writes_times_excel_reads_and_buildings_as_said(site):
    """2026-12-04T09:10:00+08:00 opened in Excel as text (no filtering by date, no
    subtracting), and a handover's emergency at 5号楼 stood as room 5. The English CSV,
    data for scripts, keeps ISO."""
    cli, _ = site
    english, chinese = _listed_in_both(cli)
    at = english[0].index("time")
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", row[at])
               for row in english[1:])
    assert [row[at][:16].replace("T", " ") for row in english[1:]] == \
        [row[chinese[0].index("时间")] for row in chinese[1:]]
    opened = cli("emergency", "open", "--type", "water-outage", "--where", "5号楼",
                 "--at", "2026-11-05 23:00")
    assert opened.exit_code == 0, opened.stderr
    listed = cli("--lang", "zh_CN", "list", "--kind", "emergency", "--as-of", "2026-11-06 00:00",
                 "-f", "csv").stdout
    (row,) = [row for row in csv.DictReader(io.StringIO(listed[1:]))
              if row["编号"] == opened.stdout.split()[0]]
    assert row["房号"] == "5号楼", row


def test_a_handovers_people_are_named_in_the_chinese_csv(site):
    """`交接班 待接班 -f csv` gave chenjing and zhangwei where the table says 陈静 and 张伟,
    with no name column beside them."""
    cli, _ = site
    handed = cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-11-05 19:40")
    assert handed.exit_code == 0, handed.stderr
    listed = cli("--lang", "zh_CN", "handover", "pending", "-f", "csv")
    assert listed.exit_code == 0, listed.stderr
    rows = list(csv.DictReader(io.StringIO(listed.stdout[1:])))
    mine = [row for row in rows if row["编号"] == handed.stdout.split()[0]]
    assert mine and mine[0]["交班人"] == "张伟" and mine[0]["接班人"] == "李娜", rows
