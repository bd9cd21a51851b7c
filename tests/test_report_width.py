"""The text format within 100 columns (a cron mail does not wrap), measured by display width
(a Chinese character is two), in English and Chinese; ids stay whole."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dutyctl.output import wrap
from dutyctl.textwidth import display_width
from dutyctl.reports.render import TEXT_WIDTH
from tests.conftest import Cli

REPO = Path(__file__).resolve().parent.parent
PERIODS = (("daily", "--date", "2026-11-01"), ("weekly", "--week", "2026-W44"),
           ("monthly", "--month", "2026-10"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(REPO / "examples" / "demo", root)
    return root


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("kind, option, value", PERIODS)
def test_every_line_fits_in_100_columns_and_ids_stay_whole(demo, language, kind, option, value):
    cli = Cli(demo)
    result = cli("--lang", language, "report", kind, option, value)
    assert result.exit_code == 0, result.stderr
    widths = [display_width(line) for line in result.stdout.splitlines()]
    assert max(widths) <= TEXT_WIDTH, max(widths)
    assert max(widths) > 80  # the tables are still used, not cut to nothing
    data = json.loads(cli("report", kind, option, value, "--format", "json").stdout)
    shown = [item["id"] for kind_ in ("complaints", "repairs")
             for item in data[kind_]["oldest_open"] + data[kind_]["overdue_items"]]
    assert shown and all(item in result.stdout for item in shown)


def test_long_lines_wrap_by_display_width():
    sentence = "Wall-clock time from filing to the first response and to the resolution, " * 3
    lines = wrap(sentence.strip(), 40)
    assert all(display_width(line) <= 40 for line in lines)
    assert " ".join(lines).split() == sentence.split()
    chinese = "从登记到首次响应、到办结所经过的时间，只统计本期内的响应与办结。" * 3
    lines = wrap(chinese, 30)
    assert all(display_width(line) <= 30 for line in lines) and "".join(lines) == chinese
    assert wrap("repairs dispatched to", 10, at_spaces_only=True) == ["repairs", "dispatched", "to"]
    assert wrap("派工次数", 2, at_spaces_only=True) == ["派工次数"]


def test_a_command_in_a_line_of_text_is_never_cut_where_it_fits_one_line():
    """`…全部列出：dutyctl 列表 --已超时 --截至 "2026-12-01 00:00"` then `--全部` alone on the
    next line: pasted into a shell, the second line failed and the first listed 50 of them."""
    from dutyctl.output import wrap

    said = ("另有 52 项未列出（投诉 14 项、报修 28 项、来电 10 项）；全部列出：dutyctl 列表 --已超时 "
            "--截至 \"2026-12-01 00:00\" --全部")
    command = 'dutyctl 列表 --已超时 --截至 "2026-12-01 00:00" --全部'
    for width in (60, 70, 80, 90):
        lines = wrap(said, width)
        assert any(line.endswith(command) for line in lines), (width, lines)
        assert all(display_width(line) <= width for line in lines), lines
    english = wrap("12 more not shown (repair 9, complaint 3); to list them all: dutyctl list "
                   "--overdue --as-of \"2026-11-20 00:00\" --all", 80)
    assert english[-1] == 'dutyctl list --overdue --as-of "2026-11-20 00:00" --all', english
    # a quoted command keeps its quotes and is said once; within a sentence the words after
    # a command are the sentence's (it is no command kept whole)
    quoted = wrap("Showing 3 of 9: 'dutyctl list --all' shows every one.", 80)
    assert quoted == ["Showing 3 of 9: 'dutyctl list --all' shows every one."], quoted
    prose = wrap("The index is older than the records: run dutyctl index rebuild and then try "
                 "the search again, it takes a minute", 80)
    assert prose[0].startswith("The index is older than the records: run dutyctl index"), prose
    # one wider than a line is cut as any text is: never a line past the width for it
    long = "运行 dutyctl " + " ".join(f"--选项{n} 值{n}" for n in range(20))
    assert all(display_width(line) <= 40 for line in wrap(long, 40))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_staff_tables_with_call_outs_fit_too(demo, tmp_path, language, clock):
    """A call-out adds the on-call columns to the staff tables: twelve figures under headers
    twice as wide as their numbers were 106 and 120 columns in Chinese. A Chinese header of
    numbers wraps now (工作时长 over （小时）) where the table is too wide otherwise."""
    root = tmp_path / "demo"
    shutil.copytree(demo, root)
    cli = Cli(root)
    clock.set("2026-11-02T09:00:00+08:00")
    staff = json.loads(cli("report", "daily", "--date", "2026-10-28", "-f", "json").stdout)
    person = staff["attendance"]["people"][0]["staff"]
    for args in (("callout", "start", person, "--at", "2026-10-28 22:00"),
                 ("callout", "end", person, "--at", "2026-10-28 23:30")):
        done = cli(*args)
        assert done.exit_code == 0, done.stderr
    for kind, option, value in (("daily", "--date", "2026-10-28"),
                                ("weekly", "--week", "2026-W44"),
                                ("monthly", "--month", "2026-10")):
        shown = cli("--lang", language, "report", kind, option, value).stdout
        assert ("备班出勤" if language == "zh_CN" else "call-out") in shown, (kind, shown)
        widths = [display_width(line) for line in shown.splitlines()]
        assert max(widths) <= TEXT_WIDTH, (kind, language, max(widths))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_rooms_and_places_stay_whole_in_the_reports(tmp_path, language, clock):
    """The daily report's oldest-open table cut 2号楼1单元楼道 to 2号楼1单…: where the technician
    is to go. A room or place column is never shortened; the line still fits."""
    root = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", root)
    cli = Cli(root)
    clock.set("2026-11-01T23:00:00+08:00")
    for place, content in (("2号楼1单元楼道", "楼道灯不亮，整层都黑，住户晚上回家看不见楼梯很危险"),
                           ("地下车库B2层东侧", "车库东侧排水沟堵塞积水很深，车辆进出溅水")):
        filed = cli("repair", "file", "--room", place, "--content", content, "--category",
                    "facilities", "--at", "2026-10-10 08:00", "--staff", "zhaolei")
        assert filed.exit_code == 0, filed.stderr
    made = cli("--lang", language, "report", "daily", "--date", "2026-11-01")
    assert made.exit_code == 0, made.stderr
    assert "2号楼1单元楼道" in made.stdout and "地下车库B2层东侧" in made.stdout
    assert max(display_width(line) for line in made.stdout.splitlines()) <= TEXT_WIDTH
