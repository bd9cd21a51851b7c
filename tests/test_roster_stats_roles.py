"""The coarse spread groups staff per role: someone holding two roles (赵磊 in the `init`
template: service and technician) is measured in both groups, over the shifts each role takes,
so overloading them shows."""

from __future__ import annotations

import json
from datetime import date, timedelta

from dutyctl.roster import stats
from dutyctl.roster.rules import load_rules

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
SERVICE = ("zhangwei", "lina", "chenjing", "sunli")
TECHNICIANS = ("wangqiang", "liuyang", "gaofeng")


def _worked(staff: str, shift: str, days: range, hours: float = 12.0) -> list[stats.Worked]:
    return [stats.Worked(staff, DECEMBER[0] + timedelta(days=n), shift, hours) for n in days]


def _even_month() -> list[stats.Worked]:
    """Everyone present all of December works its first 5 days; lina (on leave 4 days) 4."""
    worked = [w for staff in SERVICE + TECHNICIANS + ("zhaolei",)
              for w in _worked(staff, "day", range(5 if staff != "lina" else 4))]
    return worked + [w for staff in TECHNICIANS + ("zhaolei",)
                     for w in _worked(staff, "night-oncall", range(5, 8))]


def test_role_groups_hold_a_two_role_person_in_both(workspace):
    rules = load_rules(workspace)
    groups = stats.role_groups(rules, *DECEMBER)
    assert set(groups) == {"service", "technician"}  # supervisor takes no shift
    assert "zhaolei" in groups["service"] and "zhaolei" in groups["technician"]
    assert set(groups["service"]) == {*SERVICE, "zhaolei"}


def test_an_overloaded_two_role_person_shows_in_the_coarse_spread(workspace):
    rules = load_rules(workspace)
    even = stats.coarse_spreads(rules, _even_month(), *DECEMBER)
    assert even["hours"].value < 12 and even["nights"].value == 0
    overloaded = _even_month() + _worked("zhaolei", "night", range(10, 25))
    coarse = stats.coarse_spreads(rules, overloaded, *DECEMBER)
    # 15 nights more than everyone else: 180 h; only service staff take the night shift
    assert coarse["nights"] == stats.Coarse(15, "service")
    assert coarse["hours"].value >= 180 and coarse["hours"].role == "service"
    assert stats.roster_stats(rules, overloaded, *DECEMBER)["spread_adjusted"]["nights"] == 15


def test_each_role_counts_only_its_shifts_and_its_counts(workspace):
    rules = load_rules(workspace)
    # zhaolei's service nights do not make him a busy technician: on-call is measured among
    # technicians only, and 6 more on-call duties show there
    worked = _even_month() + _worked("zhaolei", "night", range(10, 25))
    spread = stats.coarse_spreads(rules, worked, *DECEMBER)["on_call"]
    assert spread == stats.Coarse(0, "technician")
    worked += _worked("zhaolei", "night-oncall", range(25, 31))
    spread = stats.coarse_spreads(rules, worked, *DECEMBER)["on_call"]
    assert spread == stats.Coarse(6, "technician")
    night = rules.shift("night")
    assert stats.measured_counts([rules.shift("day")]) == ("shifts", "hours", "weekends",
                                                           "holidays")
    assert "nights" in stats.measured_counts([night])
    assert stats.measured_counts([rules.shift("night-oncall")]) == ("on_call",
                                                                    "holiday_on_call")


def test_roster_stats_names_the_widest_role(cli, workspace):
    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    # every service night goes to 赵磊 (a hand edit: stats count what the file says)
    lines = [line.replace(line[line.index("staff: "):], "staff: zhaolei}")
             if "shift: night, role: service" in line else line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = json.loads(cli("roster", "stats", "--month", "2026-12", "-f", "json").stdout)
    assert data["spread_adjusted"]["nights"] == 31
    assert data["spread_adjusted_role"]["nights"] == "service"
    assert data["spread_adjusted_role"]["on_call"] == "technician"
    chinese = cli("roster", "stats", "--month", "2026-12", env={"DUTYCTL_LANG": "zh_CN"})
    assert chinese.exit_code == 0, chinese.stderr
    spreads = chinese.stdout.split("\n\n", 1)[1].splitlines()
    assert "差距最大的角色" in spreads[0]
    nights = next(line for line in spreads if line.split()[0] == "夜班")
    # a count per full-time person as a whole number (31, never 31.0); hours to one place
    assert nights.split()[2] == "31" and nights.split()[3] == "客服专员", nights
    hours = next(line for line in spreads if line.split()[0] == "工时")
    assert len(hours.split()[2].partition(".")[2]) == 1, hours


def test_a_count_per_full_time_person_whole_at_one_place_shows_whole():
    """30.96 nights per full-time person is 31 on the screen, not 31.0 beside a whole 31;
    0.04 is 0 (and `roster stats` then names no widest role); hours keep their place."""
    from dutyctl.cli.roster import _shown

    assert [_shown(v) for v in (30.96, 0.04, 4.0, 2.25)] == [31, 0, 4, "2.3"]  # 四舍五入
    assert _shown(12.0, hours=True) == "12.0"
