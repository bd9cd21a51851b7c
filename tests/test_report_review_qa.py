"""Reports as a supervisor reads a review: the absences listed once (a pointer in "Needs
attention", each one under Attendance), hours with their unit and one precision per kind of
figure, the skipped files' header on one line, and a period where nothing was recorded."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import Cli
from tests.helpers_desk import write_roster

WEEK = "2025-W47"  # 2025-11-17 (Mon) to 2025-11-23
DAYS = [f"2025-11-{day}" for day in range(17, 24)]
#: a new site's first week: a roster, nothing recorded (21 places, every one an absence)
ROWS = [row for day in DAYS
        for row in ((day, "day", "lina"), (day, "day", "wangqiang", "technician"),
                    (day, "night", "sunli"))]


@pytest.fixture
def unused(workspace, clock):
    """A site whose roster exists and where nothing was recorded at all (the clock at its
    default, 2026-10-12: the week long past)."""
    write_roster(workspace.root, DAYS[0], DAYS[-1], ROWS, "2025-11-17_2025-11-23",
                 generated_at="2025-11-10T15:00:00+08:00", rules_sha256="x")
    return Cli(workspace.root)


def weekly(cli, *args: str, lang: str = "en") -> str:
    result = cli("report", "weekly", "--week", WEEK, *args, env={"DUTYCTL_LANG": lang})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_each_absence_is_listed_once_needs_attention_points_to_them(unused, fmt):
    """21 absences: "Needs attention" says how many and who (those absent most first), the
    attendance section's anomalies list each one; the JSON keeps both lists whole."""
    data = json.loads(weekly(unused, "--format", "json"))
    absent = [item for item in data["attendance"]["anomalies"] if item["anomaly"] == "absent"]
    assert len(absent) == 21
    assert [entry["items"] for entry in data["attention"] if entry["group"] == "absent"] == [
        absent]
    text = weekly(unused, "--format", fmt)
    for day in DAYS:  # two people start at 08:00, one at 20:00: each listed once
        assert text.count(f"{day[5:]} 08:00") == 2 and text.count(f"{day[5:]} 20:00") == 1
    flat = " ".join(text.split())  # the text report wraps a note at its width
    assert "21 absences (rostered, never clocked in): " in flat
    assert "Each one is listed under Attendance, Anomalies." in flat
    chinese = weekly(unused, "--format", fmt, lang="zh_CN")
    assert chinese.count(f"{DAYS[0][5:]} 08:00") == 2
    flat = " ".join(chinese.split())
    assert re.search(r"21 人次缺勤（已排班，未签到）：\S+ 7 次、\S+ 7 次、\S+ 7 次。", flat)


def test_the_pointer_names_those_absent_most_first_and_counts_the_rest(workspace):
    from dutyctl.names import Names
    from dutyctl.reports.layout import absences_pointer

    items = [{"staff": staff} for staff in ("a", "b", "b", "c", "d", "e", "f", "g", "g", "g")]
    note = absences_pointer(items, Names.of(workspace))
    assert note.alert and note.text.startswith("10 absences (rostered, never clocked in): "
                                               "g 3 times, b 2 times, a 1 time")
    assert "and 2 more people." in note.text


def test_the_daily_summary_still_lists_the_days_absences_to_follow_up(unused):
    result = unused("report", "daily", "--date", "2025-11-18")
    attention = between(result.stdout, "Needs attention", "\nVolumes")
    assert "3 absences (rostered, never clocked in)\n" in attention
    assert attention.count("11-18 08:00") == 2


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The bundled demo's month: averages like 4.4 beside 4.35, hours like 122 beside 133.8."""
    import shutil
    from pathlib import Path

    root = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "demo", root)
    return Cli(root)


def monthly(cli, *args: str, lang: str = "en") -> str:
    result = cli("report", "monthly", "--month", "2026-10", *args, env={"DUTYCTL_LANG": lang})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_hours_have_their_unit_and_one_precision_as_averages_have_theirs(demo, fmt):
    from dutyctl.output import hours_text  # one place, rounded half up

    data = json.loads(monthly(demo, "--format", "json"))
    averages = [data["satisfaction"][kind]["average"] for kind in data["satisfaction"]]
    assert any(round(value, 1) == value for value in averages)  # 4.4: printed 4.40
    worked = [row["hours_worked"] for row in data["per_staff"]]
    # 122 (or 121.97, data keeps two places): printed 122.0
    assert any(hours_text(value).endswith(".0") for value in worked)
    for lang in ("en", "zh_CN"):
        text = monthly(demo, "--format", fmt, lang=lang)
        satisfaction = text[text.index("回访与满意度" if lang == "zh_CN"
                                       else "Return visits and satisfaction"):]
        for value in averages:
            assert f"{value:.2f}" in satisfaction
        for value in worked:
            assert hours_text(value) in text
        totals = data["attendance"]["totals"]  # a figure each, its unit in its label
        plain = re.sub(r"<[^>]+>", " ", text)  # html: label and figure in cells of a row
        for label, key in (("工作时长（小时）" if lang == "zh_CN" else "Hours worked",
                            "hours_worked"),
                           ("排班时长（小时）" if lang == "zh_CN" else "Hours rostered",
                            "hours_rostered")):
            assert re.search(re.escape(label) + r"\W+" + re.escape(hours_text(totals[key])),
                             plain), (label, totals[key])
    chinese = monthly(demo, "--format", fmt, lang="zh_CN")
    assert "工作时长（小时）" in chinese and "排班时长（小时）" in chinese
    assert not re.search(r"工作时长(?!（小时）)", chinese)


def test_a_change_keeps_its_figures_precision():
    from dutyctl.reports.layout import headline_change, headline_value

    assert headline_value("hours_worked", 122) == "122.0"
    assert headline_value("satisfaction_average", 4.4) == "4.40"
    assert headline_change("hours_worked", 3) == "+3.0"
    assert headline_change("hours_worked", 0.0) == "0.0"
    assert headline_change("satisfaction_average", -0.1) == "-0.10"
    assert headline_change("calls", 3) == "+3"


BAD = "records/2025/11/19/01KA9S4G00BADBADBADBADBADB.yaml"


@pytest.mark.parametrize("lang, header, counted", [
    ("en", "file:line: problem", "1 file could not be read and was left out of this report:"),
    ("zh_CN", "文件:行: 问题", "1 个文件无法读取，未计入本报表：")])
def test_the_skipped_files_header_is_one_line_and_the_files_are_counted(unused, workspace,
                                                                        lang, header, counted):
    """One malformed call (five problems, a line each): its table's header on one line
    above the rule, and one file counted, not five."""
    folder = workspace.records_dir / "2025" / "11" / "19"
    folder.mkdir(parents=True, exist_ok=True)
    (workspace.root / BAD).write_text("id: 01KA9S4G00BADBADBADBADBADB\nkind: call\nschema: 1\n"
                                      "created_at: 9:00\n", encoding="utf-8")
    lines = weekly(unused, lang=lang).splitlines()
    at = lines.index(header)
    assert set(lines[at + 1]) == {"-"} and lines[at + 2].startswith(BAD + ":1: ")
    assert sum(line.startswith(BAD) for line in lines) > 1
    assert lines[at - 2] == counted
    # the subtitle's "complete" is the period's: the files left out are said beside it
    said = "1unreadablefileleftout(below)" if lang == "en" else "另有1个文件无法读取，未计入（见文末）"
    assert said in "".join("".join(lines[1:4]).split()), lines[:4]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_period_with_nothing_recorded_says_so_before_its_absences(unused, fmt):
    """A new site's first week, its roster and no record: every shift is an absence, and the
    review says first that nothing was recorded at all (a desk not synced, not yet in use)."""
    for lang, said, absences in (
            ("en", "Nothing was recorded this week: if the desk is in use, check that this "
                   "workspace is synced.", "21 absences"),
            ("zh_CN", "本周没有任何记录：若值班台已在使用，请检查本工作区是否已同步。", "21 人次缺勤")):
        flat = " ".join(weekly(unused, "--format", fmt, lang=lang).split())
        assert said in flat and flat.index(said) < flat.index(absences)
    daily = unused("report", "daily", "--date", "2025-11-18", "--format", fmt).stdout
    assert "Nothing was recorded on this day:" in " ".join(daily.split())
    month = unused("report", "monthly", "--month", "2025-11", "--format", fmt).stdout
    assert "Nothing was recorded this month:" in " ".join(month.split())


def test_a_period_with_records_does_not_say_nothing_was_recorded(demo):
    assert "Nothing was recorded this month" not in " ".join(monthly(demo).split())


def test_nothing_recorded_and_no_roster_is_not_also_nothing_to_do():
    """No roster and no record: the section says both, not "Nothing needs attention." above
    "Nothing was recorded this week" (which contradicted it)."""
    from dutyctl.reports.layout import attention_section

    report = {"report": {"type": "weekly", "records_read": 0, "recorded": 0}, "attention": [],
              "alerts": {"unfilled": 0}, "coverage": {"slots": 0}}
    said = [block.text for block in attention_section(report, None).blocks]
    assert said[0].startswith("Nothing was recorded this week") and len(said) == 2, said
    assert "Nothing needs attention." not in said


def test_a_change_that_rounds_to_nothing_has_no_sign():
    from dutyctl.reports.layout import headline_change

    assert headline_change("hours_worked", 0.04) == "0.0"
    assert headline_change("hours_worked", -0.04) == "0.0"
    assert headline_change("hours_worked", 3.0) == "+3.0"
    assert headline_change("satisfaction_average", -0.004) == "0.00"
    assert headline_change("satisfaction_average", -0.1) == "-0.10"


def test_skipped_files_are_counted_by_their_paths_even_with_a_colon_in_one(unused, workspace):
    """Two malformed calls from another desk whose names hold a ':' (`a:1.yaml`, `a:2.yaml`):
    two files, whatever their lines share before the first ':'."""
    folder = workspace.records_dir / "2025" / "11" / "19"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("a:1.yaml", "a:2.yaml"):
        (folder / name).write_text("id: 01KA9S4G00BADBADBADBADBADB\nkind: call\nschema: 1\n"
                                   "created_at: 9:00\n", encoding="utf-8")
    data = json.loads(weekly(unused, "--format", "json"))
    assert data["skipped_files"] == 2 and len(data["skipped"]) > 2
    assert "2 files could not be read and were left out of this report:" in weekly(unused)
    assert "2 个文件无法读取，未计入本报表：" in weekly(unused, lang="zh_CN")
