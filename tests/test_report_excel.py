"""日报/周报/月报 in Excel (`--format xlsx`): a sheet per section of the report, read back with
openpyxl and held against the report's own document and JSON figures, on the bundled demo at
fixed periods."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from dutyctl.textwidth import display_width
from dutyctl.reports.blocks import Chart, Facts, Note, Said, Table
from tests.conftest import Cli, run_dutyctl
from tests.helpers_desk import ok

REPO = Path(__file__).resolve().parent.parent
WEEK = "2026-W43"  # 10-19 to 10-25: overdue items, dissatisfied visits, targets missed
ZH, EN = ("--lang", "zh"), ("--lang", "en")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The bundled demo (three weeks of a small site), copied once: these tests only read it."""
    root = tmp_path_factory.mktemp("excel") / "demo"
    shutil.copytree(REPO / "examples" / "demo", root)
    return root


def document_of(root: Path, *args: str, lang: str = "zh", bounded: bool = True):
    """The report's own document (what text, markdown and HTML draw; `bounded=False`: what
    the workbook holds, every item of its lists) and its JSON."""
    from dutyctl import messages
    from dutyctl.names import Names
    from dutyctl.reports import layout
    from dutyctl.workspace import Workspace

    data = json.loads(ok(Cli(root)("--lang", lang, *args, "-f", "json")).stdout)
    with messages.speaking(lang):
        return layout.document(data, Names.of(Workspace(root)), bounded), data


def expected(cell):
    """What a sheet cell holds for a cell of the document: the value it says, else its words."""
    if isinstance(cell, Said) and cell.value is not None:
        if cell.form == "minutes":
            return timedelta(minutes=cell.value)
        if cell.form == "day":
            return datetime.combine(cell.value, time())
        return cell.value
    return str(cell)


def same(found, wanted) -> bool:
    if isinstance(wanted, timedelta):  # stored as a fraction of a day
        return isinstance(found, timedelta) and abs(found - wanted) < timedelta(seconds=1)
    if isinstance(wanted, float):
        return found == pytest.approx(wanted)
    return found == wanted and type(found) is type(wanted)


def rows_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def find_row(rows: list[list], first: list, start: int = 0) -> int:
    """The index of the first row from `start` that starts with these values."""
    for index, row in enumerate(rows[start:], start=start):
        if row[:len(first)] == first:
            return index
    raise AssertionError(f"no row {first}")


def tables_of(section):
    for block in section.blocks:
        if isinstance(block, Chart) and block.as_table and block.labels and block.table().rows:
            yield block.table()
        elif isinstance(block, Table) and block.rows:
            yield block


@pytest.mark.parametrize("args", [("report", "weekly", "--week", WEEK),
                                  ("report", "daily", "--date", "2026-10-20"),
                                  ("report", "monthly", "--month", "2026-10")])
def test_every_section_is_a_sheet_with_the_reports_own_figures(demo, tmp_path, args):
    """Each section of the report is a sheet named by its title; each table of it is there,
    headed by the report's columns, every cell the value the report says (a count a number, a
    share a fraction, a moment an Excel time, a length of time a duration) or its words."""
    document, _ = document_of(demo, *args, bounded=False)
    target = tmp_path / "report.xlsx"
    ok(Cli(demo)(*ZH, *args, "--format", "xlsx", "--output", str(target)))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["目录", *(section.title for section in document.sections)]
    cover = rows_of(book["目录"])
    assert cover[0][0] == document.title and cover[1][0] == document.subtitle
    assert [row[0] for row in cover[4:]] == [section.title for section in document.sections]
    assert book["目录"]["A5"].hyperlink.location == f"'{document.sections[0].title}'!A1"
    typed = 0
    for section in document.sections:
        sheet = book[section.title]
        rows = rows_of(sheet)
        header = 0
        for table in tables_of(section):  # in order, one under the other
            header = find_row(rows, list(table.columns), header)
            if table.caption:
                assert rows[header - 1][0] == table.caption
            for offset, row in enumerate(table.rows, start=1):
                found = rows[header + offset][:len(row)]
                assert all(same(value, expected(cell)) for value, cell in zip(found, row)), \
                    (section.title, found, row)
                typed += sum(not isinstance(value, str) for value in found if value is not None)
            header += len(table.rows)
        for block in section.blocks:
            if isinstance(block, Facts):
                for label, value in block.items:
                    assert same(rows[find_row(rows, [label])][1], expected(value))
            elif isinstance(block, Note):
                assert [block.text] in [row[:1] for row in rows]
        # the first header of a sheet with a table stays in view; the title is valid for Excel
        if any(True for _ in tables_of(section)):
            assert sheet.freeze_panes and sheet.freeze_panes.startswith("A"), section.title
        assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")
    assert typed > 20  # numbers and times, not their words


def test_a_share_below_its_target_is_red_in_excel(demo, tmp_path):
    """The satisfied share (88.5% that week) under a target of 95%: its cell in red."""
    site = tmp_path / "demo"
    shutil.copytree(demo, site)
    config = site / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "targets:\n  satisfied_share: 95%\n", encoding="utf-8")
    target = tmp_path / "周报.xlsx"
    ok(Cli(site)(*ZH, "周报", "--周", WEEK, "--格式", "Excel", "--输出", str(target)))
    satisfaction = openpyxl.load_workbook(target)["回访与满意度"]
    shares = rows_of(satisfaction)
    cell = satisfaction.cell(row=find_row(shares, ["合计"]) + 1, column=4)
    assert cell.value == 0.885 and cell.font.color.rgb.endswith("B00020")


def test_the_weekly_review_in_excel_agrees_with_its_json(demo, tmp_path):
    """Against the JSON the report is made from: the summary's counts, the trend's days, the
    overdue item's deadline, the satisfaction shares, with number formats a supervisor reads."""
    _, data = document_of(demo, "report", "weekly", "--week", WEEK)
    target = tmp_path / "周报.xlsx"
    ok(Cli(demo)(*ZH, "周报", "--周", WEEK, "--格式", "Excel", "--输出", str(target)))
    book = openpyxl.load_workbook(target)
    summary = book["概要"]
    assert [cell.value for cell in summary[1]] == ["指标", "本期", "上期", "变化"]
    assert any(row[0].value == "上期：2026年第42周" for row in summary.iter_rows())
    assert summary.freeze_panes == "A2" and summary.print_title_rows == "$1:$1"
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.fitToWidth == 1
    calls = next(row for row in data["comparison"] if row["figure"] == "calls")
    assert [cell.value for cell in summary[2]] == ["来电", calls["this"], calls["previous"],
                                                   "▲ +1"]
    trend = book["每日趋势"]
    assert [cell.value for cell in trend[1]][:2] == ["日期", "来电"]
    days = [(row[0].value, row[1].value) for row in trend.iter_rows(min_row=2, max_row=8)]
    assert days == [(datetime.fromisoformat(day["date"]), day["calls"])
                    for day in data["per_day"]]
    assert trend["A2"].number_format == "yyyy-mm-dd" and trend["A2"].is_date
    attention = rows_of(book["需要关注"])
    overdue = next(group for group in data["attention"] if group["group"] == "overdue")
    assert len(overdue["items"]) == 1
    item = overdue["items"][0]
    row = attention[find_row(attention, ["超时", "类型", "编号"]) + 1]
    assert row[1:4] == ["报修", item["id"], item["room"]]
    assert row[0] == timedelta(minutes=item["overdue_minutes"])
    assert book["需要关注"]["A3"].number_format == '[h]"小时"mm"分"'
    dissatisfied = rows_of(book["需要关注"])
    visits = dissatisfied[find_row(dissatisfied, ["评分", "类型"]) + 1]
    first = data["dissatisfied"][0]  # the week has one: its time is a date-time cell
    assert visits[0] == 1 and isinstance(visits[6], datetime)
    assert visits[6] == datetime.fromisoformat(first["visited"]).replace(tzinfo=None)
    satisfaction = book["回访与满意度"]
    shares = rows_of(satisfaction)
    every = data["satisfaction"]["all"]
    total = shares[find_row(shares, ["合计"])]
    assert total[:4] == ["合计", every["visits"], every["average"], every["satisfied_share"]]
    assert total[6] == every["visit_rate"] == 1.0  # every ticket of the week visited since
    cell = satisfaction.cell(row=find_row(shares, ["合计"]) + 1, column=7)
    assert cell.number_format == "0.0%" and every["visit_meets"]
    assert cell.font.color is None or not str(cell.font.color.rgb).endswith("B00020")
    # a Chinese column is as wide as its words on a Chinese screen
    width = summary.column_dimensions["A"].width
    assert width >= max(display_width(str(cell.value)) for cell in summary["A"])


def test_an_english_desk_gets_english_sheets(demo, tmp_path):
    target = tmp_path / "weekly.xlsx"
    ok(Cli(demo)(*EN, "report", "weekly", "--week", WEEK, "-f", "xlsx", "-o", str(target)))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:4] == ["Contents", "Needs attention", "Summary", "Trend per day"]
    assert [cell.value for cell in book["Summary"][1]][:2] == ["figure", "this period"]
    assert book["Needs attention"]["A3"].number_format == '[h]"h"mm"m"'


def test_a_text_from_another_desk_never_becomes_a_formula(cli, clock, tmp_path):
    """A complaint written `=HYPERLINK(...)` and a resident `@SUM(A1)` are text in the daily
    report's sheet, marked as typed (quotePrefix), as in every other sheet."""
    formula = '=HYPERLINK("http://x","点我")'
    ok(cli("complaint", "file", "--name", "@SUM(A1)", "--room", "3-2-501", "--phone",
           "13812345678", "--category", "noise", "--content", formula, "--urgency", "general",
           "--at", "2026-10-12 09:00"))
    clock.set("2026-10-13T09:00:00+08:00")
    target = tmp_path / "日报.xlsx"
    ok(cli(*ZH, "日报", "--日期", "2026-10-12", "-f", "xlsx", "-o", str(target)))
    book = openpyxl.load_workbook(target)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert cells and all(cell.value == formula and cell.data_type == "s" and cell.quotePrefix
                         for cell in cells)
    assert not any(isinstance(cell.value, str) and cell.value.startswith("=") and
                   not cell.quotePrefix for sheet in book for row in sheet.iter_rows()
                   for cell in row)


def test_a_noncharacter_from_another_desk_leaves_the_workbook_readable(cli, clock, workspace,
                                                                        tmp_path):
    """U+FFFF written into a record by another desk (a YAML escape the front door never lets
    in) went raw into the sheet's XML, which Excel then calls corrupt: it is shown escaped."""
    import xml.etree.ElementTree as ElementTree
    import zipfile

    filed = ok(cli("complaint", "file", "--name", "王五", "--room", "3-2-501", "--phone",
                   "13812345678", "--category", "noise", "--content", "楼上噪音",
                   "--urgency", "general", "--at", "2026-10-12 09:00"))
    (path,) = (workspace.root / "records").rglob(f"{filed.stdout.split()[-1]}.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("楼上噪音", '"楼上\\uFFFF噪音"', 1), encoding="utf-8")
    clock.set("2026-10-13T09:00:00+08:00")
    target = tmp_path / "日报.xlsx"
    ok(cli(*ZH, "日报", "--日期", "2026-10-12", "-f", "xlsx", "-o", str(target)))
    with zipfile.ZipFile(target) as book:
        for name in book.namelist():
            if name.endswith(".xml"):
                ElementTree.fromstring(book.read(name))  # raises on a raw U+FFFF
    shown = [cell.value for sheet in openpyxl.load_workbook(target) for row in sheet.iter_rows()
             for cell in row if isinstance(cell.value, str) and "楼上" in cell.value]
    assert shown and all("\\uffff" in value for value in shown), shown


def test_a_workbook_replaces_the_file_whole_and_goes_to_a_pipe(demo, tmp_path):
    """--output replaces an older file atomically (readable as any report: the usual mode);
    without --output the workbook goes to stdout when that is no terminal."""
    target = tmp_path / "月报.xlsx"
    target.write_text("an older report")
    done = ok(Cli(demo)(*ZH, "月报", "--月份", "2026-10", "-f", "xlsx", "-o", str(target)))
    assert done.stderr == ""  # as a text report to a file: nothing said (a cron job's mail)
    assert openpyxl.load_workbook(target).sheetnames[0] == "目录"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [path.name for path in tmp_path.iterdir()] == ["月报.xlsx"]  # no temp file left
    piped = ok(Cli(demo)(*ZH, "日报", "--日期", "2026-10-20", "-f", "电子表格"))
    book = openpyxl.load_workbook(io.BytesIO(piped.stdout_bytes))
    assert book.sheetnames[1] == "需要关注"


def test_a_missing_folder_is_refused_and_nothing_is_written(demo, tmp_path):
    target = tmp_path / "no-such-folder" / "周报.xlsx"
    refused = Cli(demo)(*ZH, "周报", "--周", WEEK, "-f", "xlsx", "-o", str(target))
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not target.parent.exists()


def test_sheet_names_are_valid_for_excel_and_never_twice():
    from dutyctl.xlsx import sheet_names

    names = sheet_names(["投诉/报修 [本周]: 汇总?", "History", "'引号'", "投诉", "投诉",
                         "一" * 40, "一" * 40])
    assert names[0] == "投诉_报修 _本周__ 汇总_"
    assert names[1] == "History (1)" and names[2] == "引号"
    assert names[3:5] == ["投诉", "投诉 (2)"]
    assert names[5] == "一" * 31 and names[6] == "一" * 27 + " (2)"
    assert all(len(name) <= 31 for name in names)


def test_the_installed_dutyctl_writes_the_weekly_review_and_refuses_a_terminal(dutyctl_command,
                                                                             demo, tmp_path):
    """The key flow through the installed program: 周报 --格式 Excel --输出 FILE; onto a
    terminal the workbook is refused (exit 2, one line, nothing printed)."""
    target = tmp_path / "周报-第43周.xlsx"
    done = run_dutyctl(dutyctl_command, "--lang", "zh", "周报", "--周", WEEK, "--格式", "Excel",
                       "--输出", str(target), root=demo)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(target)
    assert "概要" in book.sheetnames and book["概要"]["B2"].value == 60
    import pty

    main, side = pty.openpty()
    try:
        env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
        refused = subprocess.run([*dutyctl_command, "--root", str(demo), "--lang", "zh", "周报",
                                  "--周", WEEK, "-f", "xlsx"], stdout=side,
                                 stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                                 text=True)
        os.close(side)
        side = None
        printed = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            printed += chunk
    finally:
        os.close(main)
        if side is not None:
            os.close(side)
    assert refused.returncode == 2
    assert refused.stderr == "xlsx 是二进制文件：请用 --输出 指定要写入的文件（或把输出重定向到文件）\n"
    assert printed == b""


def test_a_day_without_records_is_still_a_workbook(cli, clock, tmp_path):
    clock.set("2026-10-13T09:00:00+08:00")
    target = tmp_path / "日报.xlsx"
    ok(cli(*ZH, "日报", "--日期", "2026-10-12", "-f", "xlsx", "-o", str(target)))
    book = openpyxl.load_workbook(target)
    attention = rows_of(book["需要关注"])
    assert attention[0][0].startswith("当天没有任何记录")


# -- residents two desks registered differently: a section of the weekly and monthly review ---

def test_the_review_lists_residents_two_desks_registered_differently(cli, workspace, clock,
                                                                     tmp_path):
    """A phone corrected two ways and a number filed under two names (today `检查` alone
    said so) are a section of the weekly review, in text, HTML and Excel, with the step
    that settles each; phones masked; the review of the week before has no such section."""
    from tests.test_residents_filed_twice import registered_on_two_desks
    from tests.test_residents_twodesks import two_desks_corrected

    _, (front, night) = two_desks_corrected(workspace.store)
    first, second = registered_on_two_desks(workspace.store, "王五", "王武", phone="13600003333")
    clock.set("2026-10-19T09:00:00+08:00")
    data = json.loads(ok(cli("report", "weekly", "--week", "2026-W42", "-f", "json")).stdout)
    clashes = data["resident_clashes"]
    assert [(item["type"], item["field"], item["value"], item["other_value"])
            for item in clashes] == [("edit", "phone", "137****2222", "139****1111"),
                                     ("filed_twice", "name", "王五", "王武")]
    text = ok(cli(*ZH, "周报", "--周", "2026-W42")).stdout
    assert "住户登记待核实" in text and "2 位住户在两个值班台未同步时登记不一致" in text
    # the steps are notes: wrapped at spaces, or before a command after a full-width colon
    said = " ".join(re.sub(r"(?<=[：；])\n", "", text).split())
    assert (f"3-2-501 张三：保留 137****2222：dutyctl 作废 {front.short_id} --步骤 "
            f"{front.events[-1].id[:14]} --原因 原因；保留 139****1111：dutyctl 作废 "
            f"{front.short_id} --步骤 {night.events[-1].id[:14]} --原因 原因") in said
    assert (f"5-1-1202 王五：保留 王五：dutyctl 住户 修改 {second.short_id} --姓名 王五；改用 王武："
            f"dutyctl 住户 修改 {first.short_id} --姓名 王武") in said
    assert "13812345678" not in text and "13700002222" not in text
    page = ok(cli(*ZH, "周报", "--周", "2026-W42", "-f", "html")).stdout
    assert "住户登记待核实" in page and "重复登记" in page
    target = tmp_path / "周报.xlsx"
    ok(cli(*ZH, "周报", "--周", "2026-W42", "-f", "xlsx", "-o", str(target)))
    sheet = openpyxl.load_workbook(target)["住户登记待核实"]
    rows = rows_of(sheet)
    assert rows[1] == ["房号", "住户", "电话", "不一致之处", "目前使用", "另一值班台",
                       "另一值班台记录人", "记录时间"]
    assert rows[2][3:6] == ["电话", "137****2222", "139****1111"]
    assert rows[2][7] == datetime(2026, 10, 12, 10)  # the other desk's correction, a time
    assert rows[3][3:6] == ["重复登记", "王五", "王武"]
    earlier = ok(cli(*ZH, "周报", "--周", "2026-W41")).stdout
    assert "住户登记待核实" not in earlier  # nothing was registered by then


def test_a_site_name_with_an_ampersand_prints_as_written():
    """A page header's & starts a code (&P the page number): the site's own & is doubled,
    and a control character from a file is shown, never written raw."""
    from dutyctl.reports.blocks import Document, Section
    from dutyctl.reports.sheets import document_workbook

    document = Document("A&B 物业\x07 — 日报", "2026年10月12日", (Section("需要关注", ()),))
    book = openpyxl.load_workbook(io.BytesIO(document_workbook(document)))
    assert book["需要关注"].oddHeader.center.text == "A&&B 物业␇ — 日报"
    assert book.worksheets[0]["A1"].value == "A&B 物业␇ — 日报"
    assert book["需要关注"]["A1"].value == "需要关注"  # a section with nothing shown: its title


def test_the_late_count_is_a_number_in_the_workbook(demo, tmp_path):
    """迟到 read `7（共2小时35分）` as text in the sheet, every other count a number."""
    target = tmp_path / "month.xlsx"
    ok(Cli(demo)(*ZH, "report", "monthly", "--month", "2026-10", "--format", "xlsx",
                 "--output", str(target)))
    rows = rows_of(openpyxl.load_workbook(target)["考勤"])
    late = rows[find_row(rows, ["迟到"])][1]
    assert isinstance(late, int) and late > 0, late
