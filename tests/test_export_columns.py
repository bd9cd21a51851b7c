"""A listing exported (csv, json, Excel) has the same columns on every row: the department a
complaint was transferred to is a column of its own, empty where a ticket was not transferred,
and so is every report item's `transferred_to`."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

ROOM = ["--name", "张三", "--room", "3-2-501", "--phone", "13812345678"]


def _complaints(cli) -> tuple[str, str]:
    ids = []
    for minute in ("00", "10"):
        filed = cli("complaint", "file", *ROOM, "--category", "noise", "--content", "楼上噪音",
                    "--at", f"2026-11-20 09:{minute}")
        assert filed.exit_code == 0, filed.output
        ids.append(filed.stdout.strip().splitlines()[-1])
    moved = cli("complaint", "transfer", ids[0], "--to", "engineering", "--reason", "属工程部",
                "--told-resident", "已告知", "--at", "2026-11-20 09:20")
    assert moved.exit_code == 0, moved.output
    return ids[0], ids[1]


def test_every_exported_row_has_the_transferred_to_column(cli, clock, tmp_path):
    clock.set("2026-11-20T12:00:00+08:00")
    moved, kept = _complaints(cli)
    rows = list(csv.DictReader(io.StringIO(cli("list", "--format", "csv").stdout.lstrip(
        "\ufeff"))))
    assert {row["id"]: row["transferred_to"] for row in rows} == {moved: "engineering",
                                                                  kept: ""}
    listed = json.loads(cli("list", "--format", "json").stdout)
    assert len({tuple(row) for row in listed}) == 1, listed  # the same keys, in one order
    assert {row["id"]: row["transferred_to"] for row in listed} == {moved: "engineering",
                                                                    kept: None}
    sheet_path = tmp_path / "list.xlsx"
    made = cli("--lang", "zh_CN", "list", "--format", "xlsx", "--output", str(sheet_path))
    assert made.exit_code == 0, made.output
    sheet = openpyxl.load_workbook(sheet_path).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("转交至")
    cells = {row[0].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert cells == {moved: "工程部", kept: None}, cells


def test_every_report_item_has_transferred_to(cli, clock):
    clock.set("2026-11-20T12:00:00+08:00")
    moved, kept = _complaints(cli)
    report = json.loads(cli("report", "daily", "--date", "2026-11-20", "--format",
                            "json").stdout)
    items = {item["id"]: item for item in report["complaints"]["oldest_open"]}
    assert {key: item["transferred_to"] for key, item in items.items()} == {
        moved[:12]: "engineering", kept[:12]: None}


def test_search_exports_the_columns_of_list(cli, clock, tmp_path):
    """search's CSV and Excel have every record column its json rows have, transferred_to
    included, and the match after them as in its table."""
    from dutyctl import views

    clock.set("2026-11-20T12:00:00+08:00")
    moved, kept = _complaints(cli)
    rows = list(csv.DictReader(io.StringIO(cli("search", "噪音", "--format", "csv").stdout.lstrip(
        "\ufeff"))))
    assert {row["id"]: row["transferred_to"] for row in rows} == {moved: "engineering",
                                                                  kept: ""}
    found = json.loads(cli("search", "噪音", "--format", "json").stdout)
    assert list(rows[0]) == list(found[0])  # the same columns in the same order
    record_keys = [key for key, _ in views.RECORD_DATA_COLUMNS]
    assert set(record_keys) < set(rows[0]) and "match" in rows[0]
    sheet_path = tmp_path / "search.xlsx"
    made = cli("--lang", "zh_CN", "search", "噪音", "--format", "xlsx", "--output",
               str(sheet_path))
    assert made.exit_code == 0, made.output
    header = [cell.value for cell in openpyxl.load_workbook(sheet_path).active[1]]
    assert "转交至" in header, header
