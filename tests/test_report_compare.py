"""Reviews: each headline figure beside the previous period's, with the direction and a
better/worse mark; "none the week before" (上周无) where the previous period had nothing to
count a figure on; a daily report after an empty day has no change column at all."""

from __future__ import annotations

import json

import pytest

from dutyctl.reports.build import comparison
from tests.conftest import Cli
from tests.test_reports import (at, known_day, known_day_template, resident,  # noqa: F401
                                run)

__all__ = ["known_day", "known_day_template"]  # fixtures pytest finds here by name

WEEK, BEFORE = "2025-W47", "2025-11-12"  # the known day's week; a Wednesday of the week before


@pytest.fixture
def cli(known_day):  # noqa: F811
    return Cli(known_day.root)


def weekly(cli, *extra: str):
    return cli("report", "weekly", "--week", WEEK, *extra)


def rows_of(cli) -> dict[str, dict]:
    result = weekly(cli, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["figure"]: row for row in json.loads(result.stdout)["comparison"]}


def test_an_empty_previous_period_says_none_the_week_before_not_a_comparison(cli):
    rows = rows_of(cli)
    assert all(row["no_data"] and row["previous"] is None for row in rows.values())
    text = weekly(cli).stdout
    summary = text[text.index("\nSummary"):text.index("\nTrend per day")]
    assert summary.count("none the week before") == len(rows)
    assert "Nothing was recorded in the previous period" in summary
    assert "▲" not in summary and "▼" not in summary


def test_each_figure_carries_the_previous_value_the_direction_and_a_verdict(cli):
    run(cli, "log", "call", *resident("张三", "3-2-501"), "--summary", "咨询", *at("09:00", BEFORE))
    run(cli, "complaint", "file", *resident("李四", "5-1-1202"), "--category", "noise",
        "--content", "噪音", "--urgency", "general", *at("10:00", BEFORE))
    rows = rows_of(cli)
    calls = rows["calls"]
    assert (calls["this"], calls["previous"], calls["change"], calls["direction"],
            calls["verdict"]) == (6, 1, 5, "up", "neither")
    complaints = rows["complaints_filed"]
    assert (complaints["this"], complaints["previous"], complaints["direction"],
            complaints["verdict"]) == (3, 1, "up", "worse")
    absences = rows["absences"]  # no roster the week before: none judged, never 0 to compare
    assert (absences["this"], absences["previous"], absences["no_data"]) == (1, None, True)
    assert rows["complaint_respond_median_minutes"]["no_data"]  # nothing answered before
    text = weekly(cli).stdout
    summary = text[text.index("\nSummary"):text.index("\nTrend per day")]
    lines = {line.split("  ")[0]: line for line in summary.splitlines()}
    assert lines["Calls"].rstrip().endswith("▲ +5")
    assert lines["Complaints filed"].rstrip().endswith("▲ +2, worse")
    assert "none the week before" in lines["Complaint: median time to respond"]
    assert "none the week before" in lines["Absences"], lines["Absences"]
    assert "Compared with the previous period" not in text  # beside each figure, not at the end
    chinese = cli("--lang", "zh_CN", "report", "weekly", "--week", WEEK).stdout
    assert "▲ +2，变差" in chinese and "上周无" in chinese and "无数据" not in chinese
    assert "投诉登记" in chinese and "报修：办结用时中位数" in chinese  # labels from each kind


def test_better_and_worse_follow_the_figure():
    this = {"compliance_rate": 0.9, "tickets_open_at_end": 4, "hours_worked": 10.0,
            "repair_resolve_median_minutes": 30.0, "absences": 1}
    before = {"compliance_rate": 0.8, "tickets_open_at_end": 6, "hours_worked": 12.0,
              "repair_resolve_median_minutes": 20.0, "absences": 1}
    verdicts = {row["figure"]: (row["direction"], row["verdict"])
                for row in comparison(this, before, previous_empty=False)}
    assert verdicts == {"compliance_rate": ("up", "better"),
                        "tickets_open_at_end": ("down", "better"),
                        "hours_worked": ("down", "neither"),
                        "repair_resolve_median_minutes": ("up", "worse"),
                        "absences": ("same", "same")}
    assert all(row["no_data"] for row in comparison(this, before, previous_empty=True))


# -- the daily summary: each figure beside its change since the day before --------------------

DAY, DAY_BEFORE = "2025-11-19", "2025-11-18"
FIRST_DAY = "2025-11-17"  # the known day's oldest record (a repair still open on DAY)


def daily(cli, *extra: str):
    return cli("report", "daily", "--date", DAY, *extra)


def test_a_daily_report_after_an_empty_day_puts_nothing_beside_the_figures(cli):
    """The subtitle says the day before had no records; no column of "no data" (无数据)
    beside real figures, which read to a supervisor as if today's were missing."""
    first = cli("report", "daily", "--date", FIRST_DAY, "--format", "json")
    data = json.loads(first.stdout)
    assert data["previous"]["period"] == "2025-11-16" and data["previous"]["records_read"] == 0
    assert data["comparison"] and all(row["no_data"] for row in data["comparison"])
    text = cli("report", "daily", "--date", FIRST_DAY).stdout
    assert "nothing recorded on Sun 2025-11-16: no changes" in text.splitlines()[1]
    calls = next(line for line in text.splitlines() if line.startswith("Calls  "))
    assert calls.split()[1:] == ["0"]
    chinese = cli("--lang", "zh_CN", "report", "daily", "--date", FIRST_DAY).stdout
    assert "无数据" not in chinese and "没有任何记录，不作对比" in chinese.splitlines()[1]


def test_a_daily_report_puts_the_change_since_the_day_before_beside_each_figure(cli):
    run(cli, "log", "call", *resident("张三", "3-2-501"), "--summary", "咨询",
        *at("09:00", DAY_BEFORE))
    run(cli, "complaint", "file", *resident("李四", "5-1-1202"), "--category", "noise",
        "--content", "噪音", "--urgency", "general", *at("10:00", DAY_BEFORE))
    data = json.loads(daily(cli, "--format", "json").stdout)
    rows = {row["figure"]: row for row in data["comparison"]}
    assert data["totals"]["calls"] == rows["calls"]["this"] == data["calls"]["total"]
    assert (rows["calls"]["previous"], rows["calls"]["verdict"]) == (1, "neither")
    filed = rows["complaints_filed"]
    # the day before: the known day's complaint of the 18th and this one, both still open
    assert (filed["previous"], filed["this"]) == (2, data["complaints"]["filed"])
    assert filed["verdict"] == {1: "better", 2: "same", 3: "worse"}[filed["this"]]
    assert rows["complaints_open"]["previous"] == 2
    assert set(rows) >= {"repairs_overdue", "compliance_rate", "absences", "hours_worked",
                         "handovers_unaccepted", "unfilled_slots", "coverage_actual_rate"}
    text = daily(cli).stdout
    assert f"changes since Tue {DAY_BEFORE}" in text.splitlines()[1]
    change = rows["calls"]["change"]
    calls = next(line for line in text.splitlines() if line.startswith("Calls  "))
    assert calls.split()[-2:] == ["▲", f"+{change}"]
    complaints = text[text.index("\nComplaints"):text.index("\nRepairs")]
    still_open = rows["complaints_open"]
    assert (still_open["previous"], still_open["verdict"]) == (2, "worse")
    open_line = next(line for line in complaints.splitlines() if line.startswith("Still open "))
    assert open_line.endswith(f"▲ +{still_open['change']}, worse")
    chinese = cli("--lang", "zh_CN", "report", "daily", "--date", DAY).stdout
    assert f"▲ +{change}" in chinese and "，变差" in chinese
    html = daily(cli, "--format", "html").stdout
    assert f'<span class="change worse">▲ +{still_open["change"]}, worse</span>' in html
    assert "(▲ +" in daily(cli, "--format", "markdown").stdout


def test_the_previous_period_compared_is_the_one_its_own_review_states(cli):
    """A review works out only the headline figures of the period it compares with: they
    are the ones that period's own review states as its totals."""
    run(cli, "log", "call", *resident("张三", "3-2-501"), "--summary", "咨询", *at("09:00", BEFORE))
    own = json.loads(cli("report", "weekly", "--week", WEEK, "--format", "json").stdout)
    after = json.loads(cli("report", "weekly", "--week", "2025-W48", "--format", "json").stdout)
    assert after["previous"]["period"] == own["report"]["period"]
    assert after["previous"]["records_read"] == own["report"]["records_read"]
    assert after["previous"]["totals"] == own["totals"]
    assert own["totals"]["calls"] and own["totals"]["complaints_filed"]
    assert own["totals"]["complaint_respond_median_minutes"] is not None


def test_a_figure_the_day_before_could_not_have_says_so_in_words(cli):
    """The day before had records but no median time to respond (nothing answered): beside
    today's figure 前一日无 (none the day before), never 无数据 beside a real figure."""
    run(cli, "log", "call", *resident("张三", "3-2-501"), "--summary", "咨询",
        *at("09:00", DAY_BEFORE))
    data = json.loads(daily(cli, "--format", "json").stdout)
    missing = [row["figure"] for row in data["comparison"] if row["no_data"]]
    assert missing, data["comparison"]
    chinese = cli("--lang", "zh_CN", "report", "daily", "--date", DAY).stdout
    assert "前一日无" in chinese and "无数据" not in chinese, chinese
    english = daily(cli).stdout
    assert english.count("none the day before") >= 1 and "no data" not in english


def test_nothing_is_said_beside_a_figure_neither_day_has():
    """时限达标率 "-" today and none the day before: no 前一日无 beside a dash (it compares
    nothing); a real figure beside one the day before lacked says so."""
    from dutyctl.messages import speaking
    from dutyctl.reports.layout import compared

    neither, today_only = comparison({"compliance_rate": None, "calls": 3},
                                     {"compliance_rate": None, "calls": None}, False)
    with speaking("zh_CN"):
        assert compared(neither, "daily") == ""
        assert compared(today_only, "daily") == "前一日无"
        assert compared(today_only, "monthly") == "上月无"


def test_a_rates_change_is_said_in_percentage_points_in_the_pages_language(cli):
    """A Chinese page said `▲ +44.4 pt`: 个百分点 on a Chinese page, pt in English."""
    run(cli, "complaint", "file", *resident("李四", "5-1-1202"), "--category", "noise",
        "--content", "噪音", "--urgency", "general", *at("10:00", BEFORE))
    rows = rows_of(cli)
    changed = [key for key, row in rows.items() if key.endswith("rate") and row["change"]]
    assert changed, rows
    chinese = cli("--lang", "zh_CN", "report", "weekly", "--week", WEEK).stdout
    assert "个百分点" in chinese and " pt" not in chinese
    assert " pt" in weekly(cli).stdout


def test_a_running_period_compared_with_the_start_of_the_last_says_so(cli, clock):
    """December on its 5th, beside November up to its 5th: "Nothing was recorded in the
    previous period" where November had records after the 5th (a supervisor read the month
    as empty)."""
    clock.set("2025-12-05T10:00:00+08:00")
    text = cli("report", "monthly", "--month", "2025-12").stdout
    assert "Nothing was recorded in the previous period (2025-11) up to 11-05 10:00: no " \
           "comparison." in text, text
