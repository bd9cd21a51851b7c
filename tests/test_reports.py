"""Reports: a known day with every figure checked, reviews, formats, --fail-on, bad files,
period boundaries in the site zone, and the installed binary on the bundled demo."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli, run_dutyctl
from tests.helpers_desk import write_roster

DAY = "2025-11-19"  # a Wednesday, an ordinary working day
MIDNIGHT = "2025-11-20T00:00:00+08:00"  # the day's end, while its night shift runs
SHANGHAI = ZoneInfo("Asia/Shanghai")
REPO = Path(__file__).resolve().parent.parent

#: the known day's roster: its night's technician place unfilled
ROSTER = [("2025-11-19", "day", "lina"), ("2025-11-19", "day", "wangqiang", "technician"),
          ("2025-11-19", "office", "sunli"), ("2025-11-19", "night", "chenjing")]


def known_day_roster(root: Path) -> Path:
    """rosters/2025-11-19_2025-11-19.yaml: ROSTER, its night's technician place unfilled."""
    return write_roster(root, "2025-11-19", "2025-11-19", ROSTER, "2025-11-19_2025-11-19",
                        generated_at="2025-11-10T15:00:00+08:00", rules_sha256="x",
                        unfilled=['{date: "2025-11-19", shift: night, role: technician, '
                                  'reason: "nobody free"}'])


def run(cli, *args: str, staff: str = "lina") -> str:
    """One CLI step at a desk; returns what it printed (the new id for a filing)."""
    result = cli(*args, "--staff", staff) if staff else cli(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""


def resident(name: str, room: str) -> list[str]:
    return ["--name", name, "--room", room, "--phone", "13812345678"]


def at(clock: str, day: str = DAY) -> list[str]:
    return ["--at", f"{day} {clock}"]


@pytest.fixture(scope="module")
def known_day_template(tmp_path_factory):
    """2025-11-19 at a small service center, every figure of the daily report planned;
    built once (without git commits, for speed) and copied for each test."""
    workspace = Workspace(tmp_path_factory.mktemp("known") / "site")
    init_workspace(workspace.root)
    config = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(config.replace("auto_commit: true", "auto_commit: false"),
                                     encoding="utf-8")
    cli = Cli(workspace.root)
    known_day_roster(workspace.root)
    # calls: 2 consultation, 2 fee, 1 other, 1 repair; callbacks kept, late, overdue, pending
    run(cli, "log", "call", *resident("张三", "3-2-501"), "--summary", "快递柜在哪", *at("08:10"))
    kept = run(cli, "log", "call", *resident("李四", "5-1-1202"), "--category", "fee",
               "--summary", "发票", "--callback-by", f"{DAY} 10:00", *at("09:00"))
    run(cli, "callback", "done", kept, "--note", "已回电", *at("09:40"))
    late = run(cli, "log", "call", *resident("王五", "2-1-301"), "--summary", "停车卡",
               "--callback-by", f"{DAY} 12:00", *at("11:00"))
    run(cli, "callback", "done", late, "--note", "已回电", *at("13:00"))
    run(cli, "log", "call", *resident("赵六", "7-3-602"), "--category", "other", "--summary",
        "失物", "--callback-by", f"{DAY} 17:00", *at("16:00"))
    run(cli, "log", "call", *resident("钱七", "1-1-101"), "--category", "fee", "--summary",
        "物业费", "--callback-by", "2025-11-20 09:00", *at("23:00"))
    run(cli, "log", "call", *resident("孙八", "4-2-402"), "--category", "repair", "--summary",
        "灯不亮", *at("23:30"))
    # complaints: one carried from the day before and still open, one urgent closed, one new
    older = run(cli, "complaint", "file", *resident("周九", "6-1-701"), "--category", "noise",
                "--content", "楼上噪音", "--urgency", "general", *at("10:00", "2025-11-18"))
    run(cli, "complaint", "handle", older, "--action", "已联系楼上", *at("11:00", "2025-11-18"))
    urgent = run(cli, "complaint", "file", *resident("吴十", "8-2-802"), "--category",
                 "security", "--content", "陌生人尾随", "--urgency", "urgent", *at("09:30"))
    run(cli, "complaint", "handle", urgent, "--action", "保安到场", *at("10:00"))
    run(cli, "complaint", "resolve", urgent, "--result", "已处理", *at("15:00"))
    run(cli, "complaint", "visit", urgent, "--satisfaction", "5", *at("17:00"))
    run(cli, "complaint", "file", *resident("郑一", "9-1-901"), "--category", "parking",
        "--content", "车位被占", "--urgency", "general", *at("10:00"))
    # repairs: an emergency done today (arrived late), a general one from Monday overdue
    burst = run(cli, "repair", "file", *resident("冯二", "3-1-201"), "--category",
                "water-electric", "--content", "厨房水管爆管", "--urgency", "emergency",
                *at("08:30"))
    run(cli, "repair", "dispatch", burst, "--to", "wangqiang", *at("08:40"))
    run(cli, "repair", "arrive", burst, *at("09:20"), staff="wangqiang")
    run(cli, "repair", "done", burst, "--result", "已更换水管", *at("12:00"), staff="wangqiang")
    monday = run(cli, "repair", "file", *resident("陈三", "2-2-202"), "--category",
                 "doors-windows", "--content", "窗户关不严", "--urgency", "general",
                 *at("10:00", "2025-11-17"))
    run(cli, "repair", "dispatch", monday, "--to", "gaofeng", *at("10:30", "2025-11-17"))
    # emergencies: one closed, one still in progress at midnight
    water = run(cli, "emergency", "open", "--type", "water-outage", "--where", "5号楼",
                *at("14:00"))
    run(cli, "emergency", "log", water, "已通知自来水公司", *at("14:10"))
    run(cli, "emergency", "close", water, "--summary", "已恢复供水", *at("16:00"))
    run(cli, "emergency", "open", "--type", "power-outage", "--where", "2号楼", *at("22:00"))
    # the desk: clock-ins against the roster, checklists, handovers
    run(cli, "clock", "in", *at("07:50"))
    run(cli, "checklist", "--ok", "all", "--problem", "printer", "--note", "卡纸", *at("08:00"))
    run(cli, "clock", "in", *at("08:20"), staff="wangqiang")
    run(cli, "clock", "in", *at("10:00"), staff="gaofeng")
    run(cli, "handover", "--to", "wangqiang", *at("11:58"), staff="gaofeng")
    run(cli, "clock", "out", "--no-handover", "--reason", "临时支援", *at("12:00"),
        staff="gaofeng")
    run(cli, "clock", "out", "--no-handover", "--reason", "身体不适", *at("19:00"),
        staff="wangqiang")
    run(cli, "clock", "in", *at("19:55"), staff="chenjing")
    handover = run(cli, "handover", "--to", "chenjing", *at("19:58"))
    run(cli, "handover", "accept", handover, "--no-clock-in", *at("20:00"), staff="chenjing")
    run(cli, "clock", "out", *at("20:05"))
    run(cli, "checklist", "--ok", "all", *at("20:10"), staff="chenjing")
    return workspace.root


@pytest.fixture
def known_day(known_day_template, tmp_path):
    root = tmp_path / "known-day"
    shutil.copytree(known_day_template, root)
    return Workspace(root)


@pytest.fixture
def cli(known_day_or_empty):
    return Cli(known_day_or_empty.root)


@pytest.fixture
def known_day_or_empty(request, workspace):
    """The known day when the test asks for it, else the fresh workspace."""
    if "known_day" in request.fixturenames:
        return request.getfixturevalue("known_day")
    return workspace


def daily_json(cli, day: str = DAY) -> dict:
    result = cli("report", "daily", "--date", day, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_every_figure_of_a_known_day(cli, known_day, clock):
    clock.set(MIDNIGHT)  # run as the day ends: chenjing's night shift has just begun
    report = daily_json(cli)
    assert report["report"]["period"] == DAY and report["report"]["complete"] is True
    assert report["report"]["as_of"] == "2025-11-20T00:00:00+08:00"
    assert report["alerts"] == {"emergency": 1, "overdue": 2, "absent": 1, "unaccepted": 1,
                                "unfilled": 1, "readiness": 1, "dissatisfied": 0}

    calls = report["calls"]
    assert calls["total"] == 6
    assert calls["by_category"] == {"consultation": 2, "fee": 2, "other": 1, "repair": 1}
    callbacks = calls["callbacks"]
    assert {key: callbacks[key] for key in ("promised", "kept", "late", "pending", "overdue")} \
        == {"promised": 4, "kept": 1, "late": 1, "pending": 1, "overdue": 1}
    assert [(item["room"], item["due"]) for item in callbacks["overdue_items"]] \
        == [("7-3-602", "2025-11-19T17:00:00+08:00")]

    complaints = report["complaints"]
    assert {key: complaints[key] for key in ("filed", "resolved", "open", "overdue",
                                             "awaiting_visit")} \
        == {"filed": 2, "resolved": 1, "open": 2, "overdue": 0, "awaiting_visit": 0}
    assert complaints["by_category"] == {"parking": 1, "security": 1}
    assert [item["room"] for item in complaints["oldest_open"]] == ["6-1-701", "9-1-901"]
    assert complaints["oldest_open"][0]["filed"] == "2025-11-18T10:00:00+08:00"
    assert complaints["oldest_open"][0]["age_minutes"] == 38 * 60

    repairs = report["repairs"]
    assert {key: repairs[key] for key in ("filed", "resolved", "open", "overdue",
                                          "awaiting_visit")} \
        == {"filed": 1, "resolved": 1, "open": 1, "overdue": 1, "awaiting_visit": 1}
    overdue = repairs["overdue_items"]
    assert [(item["room"], item["assignee"], item["next_deadline"], item["overdue"])
            for item in overdue] == [("2-2-202", "gaofeng", "arrive", True)]

    rows = {(row["kind"], row["urgency"], row["limit"]):
            (row["on_time"], row["late"], row["pending"])
            for row in report["compliance"]["by_class"]}
    assert rows == {("complaint", "general", "respond"): (0, 0, 1),
                    ("complaint", "general", "complete"): (0, 0, 2),
                    ("complaint", "urgent", "respond"): (1, 0, 0),
                    ("complaint", "urgent", "complete"): (1, 0, 0),
                    ("repair", "emergency", "respond"): (1, 0, 0),
                    ("repair", "emergency", "arrive"): (0, 1, 0),
                    ("repair", "emergency", "complete"): (1, 0, 0),
                    ("repair", "general", "arrive"): (0, 1, 0),
                    ("repair", "general", "complete"): (0, 0, 1)}
    assert report["compliance"]["overall"] == {"on_time": 4, "late": 2, "pending": 4,
                                               "unknown": 0, "rate": 0.667, "target": 0.9,
                                               "meets": False}

    emergencies = report["emergencies"]
    assert (emergencies["opened"], emergencies["in_progress"], emergencies["closed"]) == (2, 1, 1)
    assert [(item["type"], item["steps_logged"], item["minutes_open"])
            for item in emergencies["items"]] == [("water-outage", 1, 120.0),
                                                  ("power-outage", 0, 120.0)]

    readiness = report["readiness"]
    assert {key: readiness[key] for key in ("checklist_runs", "runs_with_problems",
                                            "problems_found", "problems_fixed")} \
        == {"checklist_runs": 2, "runs_with_problems": 1, "problems_found": 1,
            "problems_fixed": 0}
    assert [(item["item"], item["note"], item["by"]) for item in readiness["open"]] \
        == [("printer", "卡纸", "lina")]

    attendance = report["attendance"]
    totals = attendance["totals"]
    assert {key: totals[key] for key in ("rostered", "attended", "late", "late_minutes",
                                         "absent", "early_leaves", "unrostered", "on_duty")} \
        == {"rostered": 4, "attended": 3, "late": 1, "late_minutes": 20, "absent": 1,
            "early_leaves": 1, "unrostered": 1, "on_duty": 1}
    assert [(item["staff"], item["anomaly"], item["minutes"])
            for item in attendance["anomalies"]] == [
        ("wangqiang", "early-leave", 60), ("wangqiang", "late", 20), ("sunli", "absent", None),
        ("gaofeng", "unrostered", 120.0)]

    handovers = report["handovers"]
    assert (handovers["written"], handovers["accepted"]) == (2, 1)
    assert [(item["from"], item["to"], item["waiting"]) for item in handovers["unaccepted"]] \
        == [("gaofeng", ["wangqiang"], ["wangqiang"])]

    coverage = report["coverage"]
    assert (coverage["slots"], coverage["filled"], coverage["unfilled"]) == (5, 4, 1)
    assert coverage["unfilled_slots"] == [{"date": DAY, "shift": "night", "role": "technician",
                                           "start": "2025-11-19T20:00:00+08:00"}]
    # actual coverage from clock-ins, up to midnight: day 12 h + 12 h, office 9 h, night 4 h + 4 h
    actual = coverage["actual"]
    assert (actual["planned_hours"], actual["covered_hours"], actual["uncovered_hours"]) \
        == (41.0, 26.67, 14.33)  # data: two places (26 h 40 min)
    assert [(gap["reason"], gap["uncovered_minutes"]) for gap in actual["gaps"]] == [
        ("absent", 540.0), ("unfilled", 240.0), ("late-and-early-leave", 80.0)]  # 20 + 60
    # chenjing's night shift still runs at midnight: counted up to then, marked on duty
    chenjing = next(row for row in attendance["people"] if row["staff"] == "chenjing")
    assert (chenjing["hours_worked"], chenjing["hours_on_duty"], chenjing["on_duty"]) \
        == (4.08, 4.08, 1)  # 4 h 5 min (data: two places)
    assert (totals["hours_worked"], totals["hours_on_duty"]) == (29.0, 4.08)
    assert sum(row["calls"] for row in report["per_hour"]) == 6
    assert report["per_hour"][23]["calls"] == 2
    lina = next(row for row in report["per_staff"] if row["staff"] == "lina")
    assert (lina["name"], lina["calls"], lina["rostered"], lina["attended"]) == ("李娜", 6, 1, 1)
    assert report["skipped"] == []


def test_a_later_event_does_not_change_a_past_day(cli, known_day):
    before = daily_json(cli)
    run(cli, "emergency", "close", before["emergencies"]["items"][1]["id"], "--summary", "恢复",
        *at("01:00", "2025-11-20"))
    assert daily_json(cli) == before
    assert daily_json(cli, "2025-11-20")["emergencies"]["closed"] == 1


def test_review_trends_timing_satisfaction_and_comparison(cli, known_day):
    result = cli("report", "weekly", "--week", "2025-W47", "--format", "json")
    assert result.exit_code == 0, result.stderr
    review = json.loads(result.stdout)
    assert (review["report"]["first"], review["report"]["last"]) == ("2025-11-17", "2025-11-23")
    days = {row["date"]: row for row in review["per_day"]}
    assert len(days) == 7
    assert (days[DAY]["calls"], days[DAY]["complaints"], days[DAY]["repairs"],
            days[DAY]["resolved"]) == (6, 2, 1, 2)
    assert (days["2025-11-17"]["repairs"], days["2025-11-18"]["complaints"]) == (1, 1)
    timing = review["timing"]
    assert timing["complaint"]["respond"] == {"count": 2, "median_minutes": 45.0,
                                              "p90_minutes": 60.0}
    assert timing["repair"]["resolve"] == {"count": 1, "median_minutes": 210.0,
                                           "p90_minutes": 210.0}
    assert review["satisfaction"]["all"]["average"] == 5
    assert review["satisfaction"]["all"]["visit_rate"] == 0.5
    assert review["per_category"]["complaint"] == [
        {"category": "security", "filed": 1, "resolved": 1},
        {"category": "noise", "filed": 1, "resolved": 0},
        {"category": "parking", "filed": 1, "resolved": 0}]
    previous = {row["figure"]: row for row in review["comparison"]}
    assert previous["calls"] == {"figure": "calls", "this": 6, "previous": None, "change": None,
                                 "direction": None, "verdict": None, "no_data": True}
    assert review["previous"]["period"] == "2025-W46"


def test_html_is_one_self_contained_file_with_charts(cli, known_day, tmp_path):
    target = tmp_path / "week.html"
    result = cli("report", "weekly", "--week", "2025-W47", "--format", "html", "--output",
                 str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    parser = Tags()
    parser.feed(target.read_text(encoding="utf-8"))
    parser.close()
    assert parser.tags["html"] == parser.tags["body"] == 1
    titles = parser.svg_titles
    assert {"Daily volumes", "Deadlines kept per urgency class, against the target",
            "Workload per person"} <= set(titles)
    assert "script" not in parser.tags and not parser.fetches  # nothing to run, nothing fetched
    assert "@page { size: A4" in target.read_text(encoding="utf-8")


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, int] = {}
        self.svg_titles: list[str] = []
        self.fetches: list[str] = []
        self._in_svg_title = False
        self._depth_svg = 0

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self._depth_svg += tag == "svg"
        self._in_svg_title = tag == "title" and self._depth_svg > 0
        self.fetches += [value for name, value in attrs if name in ("src", "href")]

    def handle_endtag(self, tag):
        self._depth_svg -= tag == "svg"
        self._in_svg_title = False

    def handle_data(self, data):
        if self._in_svg_title and data.strip() and self.tags.get("svg") > len(self.svg_titles):
            self.svg_titles.append(data.strip())


def test_text_and_markdown_say_the_same_and_are_deterministic(cli, known_day):
    text = cli("report", "daily", "--date", DAY)
    again = cli("report", "daily", "--date", DAY)
    assert text.exit_code == 0 and text.stdout == again.stdout
    assert "\033[" not in text.stdout  # no colour without a terminal
    assert "Callbacks overdue" in text.stdout and "7-3-602" in text.stdout
    markdown = cli("report", "daily", "--date", DAY, "--format", "markdown")
    assert markdown.stdout.startswith("# ") and "\n## Repairs\n" in markdown.stdout
    assert "| 2-2-202 |" in markdown.stdout


@pytest.mark.parametrize("watched, code", [("overdue", 1), ("absent,unaccepted", 1),
                                           ("unfilled", 1), ("readiness", 1)])
def test_fail_on_exits_1_when_such_items_exist(cli, known_day, watched, code):
    result = cli("report", "daily", "--date", DAY, "--fail-on", watched, "--format", "json")
    assert result.exit_code == code
    assert json.loads(result.stdout)["report"]["period"] == DAY  # the report is still printed
    assert watched.split(",")[0] in result.stderr


def test_fail_on_exits_0_on_a_quiet_day_and_2_on_a_bad_word(cli, workspace):
    quiet = cli("report", "daily", "--date", DAY, "--fail-on", "overdue,absent,unaccepted")
    assert quiet.exit_code == 0, quiet.stderr
    bad = cli("report", "daily", "--date", DAY, "--fail-on", "late")
    assert bad.exit_code == 2 and "late" in bad.stderr and bad.stdout == ""


@pytest.mark.parametrize("lang, said", [
    ("en", "--fail-on: overdue={overdue}, absent={absent}"),
    ("zh_CN", "--失败条件：超时事项={overdue}、缺勤={absent}")])
def test_fail_on_takes_the_words_shown_and_says_them(cli, known_day, lang, said):
    """A supervisor types the words the screens show (超时事项，缺勤 with a Chinese comma) or
    the ids; the summary says the words of the language, the JSON keeps the ids."""
    env = {"DUTYCTL_LANG": lang}
    shown = "超时事项，缺勤" if lang == "zh_CN" else "Overdue, absent"
    option = "--失败条件" if lang == "zh_CN" else "--fail-on"  # named as typed (test_degrade)
    result = cli("report", "daily", "--date", DAY, option, shown, "--format", "json",
                 env=env)
    assert result.exit_code == 1, result.stderr
    alerts = json.loads(result.stdout)["alerts"]
    assert alerts["overdue"] and alerts["absent"]
    assert result.stderr.strip() == said.format(**alerts)
    by_id = cli("report", "daily", "--date", DAY, option, "overdue,absent", env=env)
    assert (by_id.exit_code, by_id.stderr.strip()) == (1, said.format(**alerts))


@pytest.mark.parametrize("typed, lang, said", [
    ("超时事项,迟到", "zh_CN", "没有名为“迟到”的 --失败条件 项；可选：突发事件（emergency）、超时事项（overdue）、"
                           "缺勤（absent）、未确认交接（unaccepted）、排班缺人（unfilled）、备勤问题（readiness）、"
                           "回访不满意（dissatisfied）"),
    ("超时", "zh_CN", "没有名为“超时”的 --失败条件 项；可选：突发事件（emergency）、"),
    ("over", "en", "unknown --fail-on word 'over'; choose one of: emergency, overdue, absent, "
                   "unaccepted, unfilled, readiness, dissatisfied"),
    ("absent,dissat", "en", "unknown --fail-on word 'dissat'; choose one of: emergency, ")])
def test_a_fail_on_word_is_whole_or_refused_naming_the_words(cli, workspace, typed, lang, said):
    """A part of a word (超时 for 超时事项, over for overdue) is refused like an unknown one, in
    one line naming every word: a cron line watches exactly what it says."""
    option = "--失败条件" if lang == "zh_CN" else "--fail-on"  # named as typed
    bad = cli("report", "daily", "--date", DAY, option, typed, env={"DUTYCTL_LANG": lang})
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.startswith(said) and bad.stderr.count("\n") == 1, bad.stderr


def test_a_malformed_record_is_skipped_with_its_place(cli, workspace):
    run(cli, "log", "call", *resident("张三", "3-2-501"), "--summary", "咨询", *at("09:00"))
    folder = workspace.records_dir / "2025" / "11" / "19"
    (folder / "01KA9S4G00BADBADBADBADBADB.yaml").write_text(
        "id: 01KA9S4G00BADBADBADBADBADB\nkind: call\nschema: 1\ncreated_at: 9:00\n",
        encoding="utf-8")
    result = cli("report", "daily", "--date", DAY, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["calls"]["total"] == 1
    assert "skipped: records/2025/11/19/01KA9S4G00BADBADBADBADBADB.yaml:4:" in result.stderr
    assert any(line.startswith("records/2025/11/19/01KA9S4G00BADBADBADBADBADB.yaml:4: "
                               "created_at") for line in json.loads(result.stdout)["skipped"])


def test_month_boundaries_follow_the_site_zone(cli, workspace):
    run(cli, "log", "call", *resident("张三", "3-2-501"), "--summary", "月底",
        *at("23:30", "2025-11-30"))
    run(cli, "log", "call", *resident("李四", "3-2-502"), "--summary", "月初",
        *at("00:10", "2025-12-01"))
    assert daily_json(cli, "2025-11-30")["calls"]["total"] == 1
    assert daily_json(cli, "2025-12-01")["calls"]["total"] == 1
    november = json.loads(cli("report", "monthly", "--month", "2025-11", "--format",
                              "json").stdout)
    assert november["totals"]["calls"] == 1 and november["per_day"][-1] == {
        "date": "2025-11-30", "calls": 1, "complaints": 0, "repairs": 0, "emergencies": 0,
        "resolved": 0, "callbacks": 0}
    december = json.loads(cli("report", "monthly", "--month", "2025-12", "--format",
                              "json").stdout)
    assert december["totals"]["calls"] == 1
    assert december["comparison"][0] == {"figure": "calls", "this": 1, "previous": 1,
                                         "change": 0, "direction": "same", "verdict": "same",
                                         "no_data": False}


def test_period_resolution():
    from dutyctl.reports import period

    now = datetime(2025, 12, 3, 9, 0, tzinfo=SHANGHAI)
    day = period.resolve_daily("2025-11-30", SHANGHAI, now)
    late_call = datetime(2025, 11, 30, 15, 30, tzinfo=ZoneInfo("UTC"))  # 23:30 in Shanghai
    assert day.contains(late_call) and not period.resolve_daily(
        "2025-12-01", SHANGHAI, now).contains(late_call)
    assert period.resolve_daily("yesterday", SHANGHAI, now).first == date(2025, 12, 2)
    week = period.resolve_weekly("last", SHANGHAI, now)
    assert (week.first, week.last, week.label) == (date(2025, 11, 24), date(2025, 11, 30),
                                                   "2025-W48")
    assert period.resolve_weekly("2025-W01", SHANGHAI, now).first == date(2024, 12, 30)
    month = period.resolve_monthly("last", SHANGHAI, now)
    assert (month.first, month.last) == (date(2025, 11, 1), date(2025, 11, 30))
    assert month.previous().first == date(2025, 10, 1)
    assert period.resolve_monthly(None, SHANGHAI, now).as_of(now) == now


class _Days:
    """A store that only knows which days hold records (all report_period asks)."""

    def __init__(self, *days: date):
        self.known = days

    def days(self, since=None, until=None):
        return iter(day for day in self.known if until is None or day <= until)


def test_report_period_falls_back_to_the_latest_period_with_records():
    from dutyctl import notices
    from dutyctl.reports import period

    now = datetime(2025, 12, 3, 9, 0, tzinfo=SHANGHAI)
    said = []
    with notices.listening(lambda notice: said.append(notice.text)):
        this_week = period.report_period(_Days(date(2025, 12, 1)), "weekly", None, SHANGHAI, now)
        archive = _Days(date(2025, 10, 20), date(2025, 11, 12))
        fallen = period.report_period(archive, "weekly", None, SHANGHAI, now)
        named = period.report_period(archive, "weekly", "this", SHANGHAI, now)
        month = period.report_period(archive, "monthly", None, SHANGHAI, now)
        empty = period.report_period(_Days(), "daily", None, SHANGHAI, now)
    assert this_week.label == "2025-W49" and named.label == "2025-W49"  # named: never moved
    assert fallen.label == "2025-W46" and month.label == "2025-11"
    assert empty.first == date(2025, 12, 3)
    assert said == ["note: nothing recorded since 2025-11-12: reporting 2025-W46, the latest "
                    "period with records (name the period to choose another)",
                    "note: nothing recorded since 2025-11-12: reporting 2025-11, the latest "
                    "period with records (name the period to choose another)"]


def test_periods_in_the_words_a_supervisor_types():
    from dutyctl.reports import period

    now = datetime(2025, 12, 3, 9, 0, tzinfo=SHANGHAI)
    for typed, first in (("上周", date(2025, 11, 24)), ("本周", date(2025, 12, 1)),
                         ("这周", date(2025, 12, 1)), ("上周五", date(2025, 11, 24))):
        assert period.resolve_weekly(typed, SHANGHAI, now).first == first, typed
    for typed, first in (("上月", date(2025, 11, 1)), ("上个月", date(2025, 11, 1)),
                         ("本月", date(2025, 12, 1)), ("2025年10月", date(2025, 10, 1)),
                         ("2025年 9 月", date(2025, 9, 1))):
        assert period.resolve_monthly(typed, SHANGHAI, now).first == first, typed
    from dutyctl.errors import InputError

    for wrong in ("2025年13月", "2025年10", "13月"):
        with pytest.raises(InputError):
            period.resolve_monthly(wrong, SHANGHAI, now)
    assert period.resolve_monthly("10月", SHANGHAI, now).first == date(2025, 10, 1)  # no year


def test_a_report_for_last_week_and_a_month_in_chinese(cli, clock):
    def period_of(*args):
        result = cli("report", *args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)["report"]
        return report["first"], report["last"]

    clock.set("2026-11-30T09:00:00+08:00")  # a Monday: last week is 11-23..11-29
    assert period_of("weekly", "--week", "上周") == ("2026-11-23", "2026-11-29")
    assert period_of("weekly", "--week", "本周") == ("2026-11-30", "2026-12-06")
    assert period_of("monthly", "--month", "上月") == ("2026-10-01", "2026-10-31")
    assert period_of("monthly", "--month", "2026年10月") == period_of("monthly", "--month",
                                                                     "2026-10")


@pytest.mark.parametrize("env,said", [
    ({}, "expected this, last, 本月, 上月, 2026-12, 2026年12月 or 12月"),
    ({"DUTYCTL_LANG": "zh_CN"}, "应为 本月、上月、2026-12、2026年12月 或 12月")])
def test_an_unreadable_month_is_refused_with_every_form_a_month_takes(cli, clock, env, said):
    """Like the week's refusal (本周、上周), the month's names the words and both forms."""
    clock.set("2026-11-30T09:00:00+08:00")
    for wrong in ("下个月", "2026年12月中"):  # (2026年13月 is told there is no month 13)
        refused = cli("report", "monthly", "--month", wrong, env=env)
        assert refused.exit_code == 2 and said in refused.stderr, refused.stderr
    # a roster command's: the forms it takes (12月, 本月, 下个月; never this or last)
    roster = cli("roster", "show", "--month", "2026年12月中", env=env)
    assert roster.exit_code == 2 and "2026年12月" in roster.stderr, roster.stderr
    assert "下个月" in roster.stderr and "last" not in roster.stderr, roster.stderr


@pytest.mark.parametrize("typed", ["十一月", "十一月份", "2026年11月份", "11月份", "2026年十一月"])
def test_a_month_said_as_a_supervisor_says_it_is_the_month(cli, clock, typed):
    """十一月 (the month in Chinese numerals) and 2026年11月份: 月报, 考勤 and 排班 统计 read
    them as 11月 (they were refused: 无法识别月份); a Chinese refusal names no English word."""
    clock.set("2026-12-01T09:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-11", "--at", "2026-10-20 10:00"
               ).exit_code in (0, 1)
    for command in (("report", "monthly"), ("attendance",), ("roster", "stats")):
        said = cli(*command, "--month", "2026-11", "-f", "json")
        typed_so = cli(*command, "--month", typed, "-f", "json")
        assert typed_so.exit_code == said.exit_code == 0, typed_so.stderr
        assert typed_so.stdout == said.stdout
    refused = cli("report", "weekly", "--week", "第几周", env={"DUTYCTL_LANG": "zh_CN"})
    assert refused.exit_code == 2 and "this" not in refused.stderr, refused.stderr


@pytest.mark.parametrize("typed", ["十一月", "11月份", "11月", "十一月份", "2025年十一月"])
def test_a_month_without_its_year_is_the_same_month_in_attendance_and_reports(cli, clock,
                                                                            typed):
    """In May, 11月 is the November worked (2025-11) for 考勤 and 月报 alike (考勤 took the
    nearest November, 2026-11, and said it had no roster and no duty), while the roster,
    planned ahead, keeps the nearest one (a tie, 6 months either way: the later)."""
    from dutyctl import timeutil
    from dutyctl.roster.rosterfile import CURRENT, roster_period

    clock.set("2026-05-15T09:00:00+08:00")
    assert cli("roster", "generate", "--month", "2025-11", "--at", "2025-10-20 10:00"
               ).exit_code in (0, 1)
    for command in (("report", "monthly"), ("attendance",)):
        said = cli(*command, "--month", "2025-11", "-f", "json")
        typed_so = cli(*command, "--month", typed, "-f", "json")
        assert typed_so.exit_code == said.exit_code == 0, typed_so.stderr
        assert typed_so.stdout == said.stdout, command
    if typed.startswith("2025"):
        return
    tz = timeutil.zone("Asia/Shanghai")
    roster = roster_period(typed, None, None, default=CURRENT, tz=tz, now=timeutil.now(tz))
    assert roster == (date(2026, 11, 1), date(2026, 11, 30))
    assert timeutil.bare_month(typed, date(2026, 5, 15), timeutil.LATEST_BEGUN) == date(
        2025, 11, 1)
    assert timeutil.bare_month(typed, date(2026, 5, 15), timeutil.NEAREST) == date(2026, 11, 1)
    assert timeutil.bare_month("13月", date(2026, 5, 15), timeutil.NEAREST) is None
    assert timeutil.bare_month("2026年11月", date(2026, 5, 15), timeutil.NEAREST) is None
    assert timeutil.month_of("2026年十一月") == timeutil.month_of("2026-11")


def test_review_period_defaults_to_last_month_and_refuses_both():
    from dutyctl.errors import InputError
    from dutyctl.reports.period import review_period

    assert review_period(None, None) == ("monthly", "last")
    assert review_period("2025-W48", None) == ("weekly", "2025-W48")
    assert review_period(None, "2025-11") == ("monthly", "2025-11")
    with pytest.raises(InputError) as both:
        review_period("this", "last")
    assert str(both.value) == "give week or month, not both"  # values; the CLI names flags


def test_generated_workspace_passes_check_and_reports(tmp_path):
    from benchmarks.workspace_gen import generate
    from dutyctl.check import check_workspace
    from dutyctl.reports import build, period
    from dutyctl.workspace import Workspace

    made = generate(tmp_path / "site", date(2025, 11, 17), date(2025, 11, 19), per_day=30)
    workspace = Workspace((tmp_path / "site").resolve())
    assert made["records"] > 60
    assert check_workspace(workspace) == []
    now = datetime(2025, 12, 1, tzinfo=SHANGHAI)
    report = build.daily(workspace, period.resolve_daily("2025-11-19", SHANGHAI, now), now)
    assert report.data["calls"]["total"] > 0 and report.data["coverage"]["slots"] >= 3
    again = build.daily(workspace, period.resolve_daily("2025-11-19", SHANGHAI, now), now)
    assert again.data == report.data  # the second run reads through the index


def test_installed_binary_makes_the_demo_weekly_html(dutyctl_command, tmp_path):
    demo = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", demo)
    done = run_dutyctl(dutyctl_command, "report", "weekly", "--format", "html", root=demo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<!DOCTYPE html>") and done.stdout.count("<svg") >= 3
    assert "nothing recorded since" in done.stderr or done.stderr == ""


@pytest.mark.parametrize("args, said", [
    (("weekly", "--week", "2027-W02"), "2027年第2周，还没有开始（今天是2026年10月12日 周一）"),
    (("monthly", "--month", "2026-11"), "2026年11月，还没有开始（今天是2026年10月12日 周一）"),
    (("daily", "--date", "明天"), "2026年10月13日 周二，还没有开始（今天是2026年10月12日 周一）")])
def test_a_period_not_begun_yet_is_refused_in_one_line(cli, clock, args, said):
    """A week of next year used to be printed "as of" now: today's open items dated ahead,
    7天 overdue in a week that has not come. One line, exit 2, nothing on stdout; the week
    under way is still reported."""
    result = cli("report", *args, env={"DUTYCTL_LANG": "zh_CN"})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.strip() == said + "：报表只能统计今天及以前的日子"
    assert cli("report", "weekly", "--week", "2026-W42").exit_code == 0  # this week: so far


def test_the_fallback_note_names_the_period_in_words():
    from dutyctl import messages, notices
    from dutyctl.reports import period

    now = datetime(2025, 12, 3, 9, 0, tzinfo=SHANGHAI)
    said = []
    messages.start_invocation("zh_CN")
    try:
        with notices.listening(lambda notice: said.append(notice.text)):
            period.report_period(_Days(date(2025, 11, 12)), "weekly", None, SHANGHAI, now)
    finally:
        messages.start_invocation(None)
        messages.forget_language()
    assert said == ["注意：2025年11月12日之后没有任何记录：现报告最近一个有记录的统计期 2025年第46周"
                    "（如需其他统计期请指明）"]


def test_a_period_under_way_says_as_of_when_in_words(cli, clock):
    result = cli("report", "weekly", "--week", "本周", env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith(
        "2026年10月12日 – 2026年10月18日（北京时间），截至 2026年10月12日 09:30；")
    english = cli("report", "weekly", "--week", "this", env={"DUTYCTL_LANG": "en"})
    assert "so far, as of 2026-10-12 09:30;" in english.stdout


def test_a_quiet_day_says_nothing_was_recorded_by_hour_not_an_empty_table(cli):
    for fmt in ("text", "markdown"):
        shown = cli("--lang", "zh_CN", "report", "daily", "--date", "2025-06-01", "--format",
                    fmt).stdout
        assert "按小时统计：没有任何记录。" in shown
        assert "小时  来电" not in shown and "| 小时 |" not in shown


def test_output_to_a_folder_is_a_usage_mistake_in_one_line(cli, tmp_path):
    """`--output /srv/reports` (the folder, the file name forgotten) was exit 3, a system
    problem; it is the user's slip: exit 2, one line, nothing written."""
    folder = tmp_path / "reports"
    folder.mkdir()
    result = cli("report", "daily", "--date", DAY, "--output", str(folder),
                 env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 2
    assert result.stderr == f"{folder}: 这是文件夹，不是文件：请写出要写入的文件名\n"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind, text, label", [
    ("monthly", "10月", "2026-10"), ("monthly", "11月", "2025-11"),  # Nov 2026: not begun
    ("monthly", "３月份", "2026-03"), ("weekly", "第42周", "2026-W42"),
    ("weekly", "第 43 周", "2025-W43"), ("weekly", "第1周", "2026-W01")])
def test_a_week_or_month_without_its_year_is_the_latest_begun(kind, text, label):
    """--month 11月, --week 第48周 as a supervisor says them (the clock: 2026-10-12)."""
    from dutyctl.reports import period

    now = datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI)
    assert period.resolve(kind, text, SHANGHAI, now).label == label


@pytest.mark.parametrize("kind, text, said", [
    ("weekly", "第53周", "2026-W53 has not begun yet"),  # 2025 has no week 53
    ("weekly", "第54周", "there is no week '第54周'"),
    ("monthly", "13月", "'13月': there is no month 13 (months run from 1 to 12)")])
def test_a_week_or_month_without_its_year_that_cannot_be(kind, text, said):
    from dutyctl.errors import InputError
    from dutyctl.reports import period

    now = datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI)
    with pytest.raises(InputError, match=re.escape(said)):
        period.resolve(kind, text, SHANGHAI, now)
