"""`--as-of` is the world as it stood then; `check` reports every problem of a file in one run;
an empty listing says so in a table and stays valid data in json/yaml/csv."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dutyctl.store import yamlio
from tests.helpers_desk import ok_text as ok
from tests.test_check import edit, file_of, relative

COMPLAINT = ("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
             "13812345678", "--category", "noise", "--content", "楼上装修噪音扰民")


@pytest.fixture
def handled(cli) -> str:
    """A complaint filed 11-03 08:00 and handled at 09:30."""
    record_id = ok(cli(*COMPLAINT, "--at", "2026-11-03 08:00"))
    ok(cli("complaint", "handle", record_id, "--action", "已上门劝导", "--at", "2026-11-03 09:30"))
    return record_id


def test_show_as_of_ignores_later_events_for_status_history_and_deadlines(cli, handled):
    before = json.loads(ok(cli("show", handled, "--as-of", "2026-11-03 09:00", "-f", "json")))
    assert before["status"] == "open"
    assert [step["action"] for step in before["history"]] == []
    respond = [row for row in before["deadlines"] if row["deadline"] == "respond"]
    assert respond and respond[0]["met_at"] is None

    after = json.loads(ok(cli("show", handled, "--as-of", "2026-11-03 10:00", "-f", "json")))
    assert after["status"] == "handling"
    assert [step["action"] for step in after["history"]] == ["handle"]
    assert [row for row in after["deadlines"] if row["deadline"] == "respond"][0]["met_at"]

    table = ok(cli("show", handled, "--as-of", "2026-11-03 09:00"))
    assert "status: open" in table and "已上门劝导" not in table


def test_show_as_of_before_the_record_was_filed_says_so(cli, handled):
    result = cli("show", handled, "--as-of", "2026-11-02 12:00")
    assert result.exit_code == 2
    assert "did not exist then" in result.stderr


def test_list_as_of_leaves_out_later_records_and_events(cli, handled):
    later = ok(cli(*COMPLAINT, "--at", "2026-11-05 10:00"))
    rows = json.loads(ok(cli("list", "--as-of", "2026-11-03 09:00", "-f", "json")))
    assert [(row["id"], row["status"]) for row in rows] == [(handled, "open")]
    rows = json.loads(ok(cli("list", "--as-of", "2026-11-06", "-f", "json")))
    assert [(row["id"], row["status"]) for row in rows] == [(handled, "handling"),
                                                            (later, "open")]
    assert json.loads(ok(cli("list", "--as-of", "2026-10-20", "-f", "json"))) == []
    # the open filter and the status filter judge the past status too
    assert json.loads(ok(cli("list", "--status", "handling", "--as-of", "2026-11-03 09:00",
                             "-f", "json"))) == []


def test_callback_list_as_of_leaves_out_later_calls_and_callbacks(cli):
    call = ok(cli("log", "call", "--name", "李四", "--room", "5-1-1202", "--phone", "13900001111",
                  "--summary", "发票", "--callback-by", "17:00", "--at",
                  "2026-11-03 09:00"))
    ok(cli("callback", "done", call, "--note", "已回电", "--at", "2026-11-03 15:00"))
    waiting = json.loads(ok(cli("callback", "list", "--as-of", "2026-11-03 12:00", "-f", "json")))
    assert [row["id"] for row in waiting] == [call]
    assert json.loads(ok(cli("callback", "list", "--as-of", "2026-11-03 16:00", "-f",
                             "json"))) == []
    assert json.loads(ok(cli("callback", "list", "--as-of", "2026-11-03 08:00", "-f",
                             "json"))) == []


def test_check_reports_a_naive_created_at_and_an_unknown_category_together(workspace, cli):
    record_id = ok(cli(*COMPLAINT, "--at", "2026-10-12 09:30"))
    path = file_of(workspace, record_id)
    time_line = edit(path, "created_at: '2026-10-12T09:30:00+08:00'",
                     "created_at: 2026-10-12T09:30:00")
    category_line = edit(path, "category: noise", "category: weather")
    out = cli("check").stdout
    where = relative(workspace, path)
    assert f"{where}:{time_line}: created_at: expected an ISO 8601 time" in out
    assert f"{where}:{category_line}: category: 'weather' is not a complaint category" in out


def test_check_reports_an_unknown_staff_of_a_half_read_record(workspace, cli):
    record_id = ok(cli(*COMPLAINT, "--at", "2026-10-12 09:30"))
    path = file_of(workspace, record_id)
    edit(path, "created_at: '2026-10-12T09:30:00+08:00'", "created_at: 2026-10-12T09:30:00")
    edit(path, "recorded_by: zhangwei", "recorded_by: nobody")
    assert "no staff member 'nobody'" in cli("check").stdout


EMPTY_LISTINGS = [
    (("list", "--kind", "repair"), "no record matches"),
    (("callback", "list", "--due"), "no callback due"),
    (("callback", "list"), "no callback waiting"),
    (("search", "漏水"), "no record matches"),
    (("clock", "status"), "nobody is clocked in"),
    (("checklist", "problems"), "no readiness problem open"),
    (("handover", "pending"), "no handover waiting"),
]


@pytest.mark.parametrize("args,message", EMPTY_LISTINGS, ids=[" ".join(a) for a, _ in
                                                                EMPTY_LISTINGS])
def test_an_empty_listing_says_so_in_a_table_and_is_empty_data_otherwise(cli, args, message):
    ok(cli(*COMPLAINT, "--at", "2026-11-03 08:00"))
    table = cli(*args)
    assert table.exit_code == 0 and table.stdout == ""
    assert message in table.stderr
    assert json.loads(ok(cli(*args, "-f", "json"))) == []
    assert yamlio.loads(ok(cli(*args, "-f", "yaml"))) == []
    text = ok(cli(*args, "-f", "csv")).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header and rows == []
