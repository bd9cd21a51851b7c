"""`list` on a screen shows the newest records and says how many there are in all; machine
formats keep every record unless --limit says otherwise."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from dutyctl.kinds.call import log_call
from dutyctl.residents import resident
from dutyctl.workspace import Workspace
from tests.conftest import auto_commit_off, new_workspace

FIRST = datetime.fromisoformat("2026-10-01T08:00:00+08:00")
MANY = 55  # more than a table shows by default (50)


@pytest.fixture(scope="module")
def _site(tmp_path_factory, _new_workspace) -> tuple[Workspace, list]:
    """MANY calls from unit 3-2, one every 3 hours, oldest first, and one from building 1:
    written once for the module, whose tests only list them."""
    root = tmp_path_factory.mktemp("calls") / "site"
    new_workspace(root, _new_workspace)
    auto_commit_off(root)
    site = Workspace(root)
    made = [log_call(site.store, site.config,
                     resident=resident("张三", f"3-2-{501 + number % 3}", "13812345678"),
                     category=None, summary=f"咨询{number}", callback_by=None,
                     at=FIRST + timedelta(hours=3 * number), by="zhangwei")
            for number in range(MANY)]
    log_call(site.store, site.config, resident=resident("李四", "1-1-101", "13900001111"),
             category=None, summary="别处", callback_by=None, at=FIRST - timedelta(days=1),
             by="zhangwei")
    return site, made


@pytest.fixture
def workspace(_site) -> Workspace:
    return _site[0]


@pytest.fixture
def calls(_site) -> list:
    return _site[1]


def shown(result, records) -> list:
    """The records whose short id the table printed."""
    return [record for record in records if record.short_id in result.stdout]


def test_a_table_shows_the_newest_fifty_and_says_how_many_there_are(cli, calls):
    result = cli("list", "--room", "3-2", "--wide")
    assert result.exit_code == 0, result.stderr
    assert shown(result, calls) == calls[-50:]
    lines = result.stdout.splitlines()
    assert lines.index(next(line for line in lines if calls[-50].short_id in line)) < \
        lines.index(next(line for line in lines if calls[-1].short_id in line))  # oldest first
    assert result.stderr.strip() == ("Showing the 50 newest of 55 records; --all shows every "
                                     "one, --limit COUNT another number.")


def test_all_and_limit_choose_how_many(cli, calls):
    every = cli("list", "--room", "3-2", "--all", "--wide")
    assert every.exit_code == 0, every.stderr
    assert shown(every, calls) == calls and every.stderr == ""
    three = cli("list", "--room", "3-2", "--limit", "3", "--wide")
    assert shown(three, calls) == calls[-3:]
    assert "Showing the 3 newest of 55 records" in three.stderr
    whole = cli("list", "--limit", "0", "--wide")
    assert len(shown(whole, calls)) == MANY and "李四" in whole.stdout and whole.stderr == ""


def test_few_enough_records_need_no_footer(cli, calls):
    result = cli("list", "--room", "1-1-101")
    assert result.exit_code == 0 and "李四" in result.stdout and result.stderr == ""


def test_machine_formats_keep_every_record_unless_limited(cli, calls):
    result = cli("list", "--room", "3-2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [row["id"] for row in json.loads(result.stdout)] == [call.id for call in calls]
    assert result.stderr == ""
    limited = cli("list", "--room", "3-2", "--format", "csv", "--limit", "2")
    assert [line.split(",")[0] for line in limited.stdout.splitlines()[1:]] == \
        [call.id for call in calls[-2:]]


def test_the_newest_as_they_stood(cli, calls):
    """--as-of is judged record by record, not by the index: the limit still picks the newest."""
    moment = (calls[9].created_at + timedelta(minutes=1)).isoformat()
    result = cli("list", "--room", "3-2", "--as-of", moment, "--limit", "4", "--wide")
    assert result.exit_code == 0, result.stderr
    assert shown(result, calls) == calls[6:10]
    assert "Showing the 4 newest of 10 records" in result.stderr


def test_the_footer_in_chinese(cli, calls):
    result = cli("list", "--room", "3-2", env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == ("仅显示最新的 50 条记录，共 55 条；使用 --全部 显示全部，"
                                     "使用 --最多 条数 指定显示几条。")


@pytest.mark.parametrize("args, message", [
    (("--limit", "-1"), "--limit must be 0 (all) or more, not -1"),
    (("--all", "--limit", "3"), "--all and --limit cannot be used together"),
])
def test_a_wrong_limit_is_one_line(cli, calls, args, message):
    result = cli("list", *args)
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr.strip().endswith(message)


@pytest.mark.parametrize("args, message", [
    (("--limit", "-1"), "--limit 必须为 0（全部）或更大的数，不能是 -1"),
    (("--最多", "-1"), "--最多 必须为 0（全部）或更大的数，不能是 -1"),
    (("--全部", "--limit", "3"), "--全部 和 --limit 不能同时使用"),
])
def test_a_wrong_limit_names_the_options_as_typed(cli, calls, args, message):
    """In Chinese, `--limit -1` was refused as `--最多 …`: an option the clerk never typed."""
    result = cli("list", *args, env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr.strip().endswith(message)


def test_a_workbook_written_to_a_file_keeps_every_record(cli, calls, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "list.xlsx"
    result = cli("list", "--room", "3-2", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert load_workbook(target).active.max_row == 1 + MANY  # headings, then every record


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_output_writes_the_whole_listing_to_the_file_not_to_stdout(cli, calls, tmp_path, fmt):
    target = tmp_path / f"list.{fmt}"
    result = cli("list", "--room", "3-2", "--format", fmt, "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and str(target) in result.stderr
    written = target.read_text(encoding="utf-8")
    assert all(record.short_id in written for record in calls)  # every record, not the newest 50
