"""The text report speaks the reader's words (shift and role names), and output.wrap, which
lays out its sentences and every help screen, breaks lines as Chinese is written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutyctl.output import wrap
from dutyctl.textwidth import display_width

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    copy = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(DEMO, copy)
    return copy


def test_wrapping_breaks_between_chinese_characters_never_before_closing_punctuation():
    lines = wrap("处理两个值班台未同步时各自记录、相互冲突的步骤：该步骤被作废，仍保留。", 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert not any(line[0] in "，。、：" for line in lines)
    assert "".join(lines) == "处理两个值班台未同步时各自记录、相互冲突的步骤：该步骤被作废，仍保留。"


def test_reports_name_shifts_and_roles_in_the_language_of_the_reader(demo):
    from dutyctl.cli import app

    shown = CliRunner().invoke(app, ["--root", str(demo), "--lang", "zh_CN", "report", "daily",
                                     "--date", "2026-10-20", "--format", "text"]).stdout
    assert "客服专员" in shown and "白班" in shown
    for role_or_shift_id in (" service ", " technician ", "(day)", "(night)", " night "):
        assert role_or_shift_id not in shown


@pytest.mark.parametrize("lang, zone", [("zh_CN", "（北京时间）"), ("en", "(Asia/Shanghai)")])
def test_the_reports_time_zone_is_beijing_time_in_chinese(demo, lang, zone):
    """A supervisor reads 2026年10月20日（北京时间）, not the IANA name Asia/Shanghai; in
    English the configured name stays."""
    from dutyctl.cli import app

    for fmt in ("text", "html"):
        shown = CliRunner().invoke(app, ["--root", str(demo), "--lang", lang, "report",
                                         "weekly", "--week", "2026-W43", "--format", fmt]).stdout
        assert zone in shown.replace("&#x27;", "'")
        if lang == "zh_CN":
            assert "Asia" not in shown


def test_attendance_minutes_agree_and_read_in_chinese(demo, clock):
    """孙丽 left 55 min 57 s early on 10-20: the attention table said 56分钟 and the
    attendance table 55 (whole minutes). The night clerk came in at 19:46, before the night
    began: the desk was without anyone for 41 minutes of them, what the attention table says
    (the attendance table still says she left 55 minutes early). The late total and the shift
    still running read in Chinese brackets, without claiming "now" for a past week. Once
    that Sunday night is over (clocked out on Monday morning), the week counts it whole."""
    from dutyctl.cli import app

    def week() -> list[str]:
        return CliRunner().invoke(app, ["--root", str(demo), "--lang", "zh_CN", "report",
                                        "weekly", "--week", "2026-W43"]).stdout.splitlines()

    clock.set("2026-10-26T00:00:00+08:00")  # run as the week ends: the night shift runs on
    lines = week()
    assert any(line.startswith("41分钟    早退  孙丽") for line in lines), lines
    assert not any("56分钟" in line for line in lines)
    assert any("孙丽" in line and "55分钟" in line for line in lines)  # the anomaly: 55 early
    assert "迟到              2（共31分钟）" in lines
    assert "仍在岗            1（已在岗 4.1 小时）" in lines
    clock.set("2026-11-02T09:00:00+08:00")
    lines = week()
    assert "仍在岗            0" in lines
    said = {line.split()[0]: line.split()[1] for line in lines if "时长（小时）" in line}
    assert (said["工作时长（小时）"], said["排班时长（小时）"]) == ("303.3", "297.0"), lines


def test_a_deadline_is_never_cut_while_other_text_can_give_way(demo):
    """The weekly review's oldest open complaints read 完成 10-28 17:30 (was 完成 10-28 17…:
    the one time to follow up by); their contents are shortened instead, within 100 columns."""
    from dutyctl.cli import app
    from dutyctl.textwidth import display_width

    shown = CliRunner().invoke(app, ["--root", str(demo), "--lang", "zh_CN", "report",
                                     "weekly", "--week", "2026-W43"]).stdout
    assert "孙丽  完成 10-28 17:30  邻居装修超出…" in shown
    assert not re.search(r"\d{2}:\d?…", shown)
    assert max(map(display_width, shown.splitlines())) <= 100


def test_the_workload_column_of_repairs_sent_to_a_technician_says_so(demo):
    """王强's count is of the repairs dispatched TO him (the clerk who dispatched has 0):
    派工报修 read as "repairs he dispatched"; 被派报修 says which."""
    from dutyctl.cli import app

    shown = CliRunner().invoke(app, ["--root", str(demo), "--lang", "zh_CN", "report",
                                     "daily", "--date", "2026-10-20"]).stdout
    assert "被派报修" in shown and "派工报修" not in shown


def test_the_two_counts_of_return_visits_are_told_apart(demo):
    """回访数 7 beside 已回访 5 (complaints, 2026-W43): a note says which counts what."""
    from dutyctl.cli import app

    shown = CliRunner().invoke(app, ["--root", str(demo), "--lang", "zh_CN", "report",
                                     "weekly", "--week", "2026-W43"]).stdout
    start = shown.index("回访与满意度")
    section = shown[start:shown.index("\n投诉\n", start)]
    assert "回访数和评分统计本期所做的回访；已办结、已回访和回访率统计本期办结的工单" in section


def test_the_repairs_section_counts_repairs_done_in_the_repairs_word(demo, clock):
    """A repair's work ends 已完工 (its status); the 报修 section and its category table said
    已办结, the complaint's word."""
    clock.set("2026-11-01T09:00:00+08:00")  # the week reviewed is past
    from dutyctl.cli import app

    shown = CliRunner().invoke(app, ["--root", str(demo), "--lang", "zh_CN", "report",
                                     "weekly", "--week", "2026-W43", "--format", "text"]).stdout
    complaints = shown[shown.index("\n投诉\n--------"):shown.index("\n报修\n--------")]
    repairs = shown[shown.index("\n报修\n--------"):]
    repairs = repairs[:repairs.index("最久未结")]
    assert re.search(r"\n已办结\s+\d", complaints) and "已完工" not in complaints
    assert re.search(r"\n已完工\s+\d", repairs) and "已办结" not in repairs
    assert re.search(r"类别\s+登记\s+已完工", shown) and re.search(r"类别\s+登记\s+已办结", shown)
