"""The roster commands through the CLI, and one flow through the installed binary."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime

import pytest

from dutyctl.people import staff_ids
from dutyctl.desk import rostered
from dutyctl.output import day_label
from dutyctl.roster.onduty import assignments_between, slots_at
from dutyctl.roster.rosterfile import read_roster
from dutyctl.timeutil import zone
from tests.conftest import run_dutyctl
from tests.helpers_foundation import git
from tests.helpers_roster import edit_rules, rules_text, set_site_timezone, write_rules

SHANGHAI = zone("Asia/Shanghai")
LEAVE_DAYS = {date(2026, 12, 10), date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 24)}


def _roster(workspace, period="2026-12"):
    roster, problems = read_roster(workspace.rosters_dir / f"{period}.yaml", period)
    assert problems == []
    return roster


@pytest.fixture
def december(cli, workspace):
    result = cli("roster", "generate", "--month", "2026-12")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "rosters/2026-12.yaml"
    return _roster(workspace)


def _night_person(roster, day):
    return next(a.staff for a in roster.assignments if a.day == day and a.shift == "night")


@pytest.mark.auto_commit
def test_generate_writes_the_contract_format_and_commits(december, workspace, cli):
    text = (workspace.rosters_dir / "2026-12.yaml").read_text(encoding="utf-8")
    assert 'period: {from: "2026-12-01", to: "2026-12-31"}' in text
    assert '  - {date: "2026-12-01", shift: day, role: service, staff: ' in text
    assert "overrides: []" in text and "unfilled: []" in text and "stats:" in text
    assert december.generated["seed"] == 0 and len(december.generated["rules_sha256"]) == 64
    assert not {a.day for a in december.assignments if a.staff == "lina"} & LEAVE_DAYS
    per_day = {(a.day, a.shift, a.role) for a in december.assignments}
    # day x2, night, night on call, office
    assert len(per_day) == len(december.assignments) == 31 * 4 + 23
    log = subprocess.run(["git", "-C", str(workspace.root), "log", "--format=%s"],
                         capture_output=True, text=True).stdout
    assert "排班表 2026-12 已生成（种子 0）" in log  # in the site's language
    checked = cli("roster", "check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert cli("check").exit_code == 0


@pytest.mark.auto_commit
def test_same_inputs_same_roster(december, cli, workspace):
    path = workspace.root / "rosters" / "2026-12.yaml"
    before = path.read_bytes()
    again = cli("roster", "generate", "--month", "2026-12")
    assert again.exit_code == 0
    # nothing would change: nothing is written and nothing committed (not even generated.at)
    assert "rosters/2026-12.yaml is unchanged: nothing written" in again.stderr
    assert path.read_bytes() == before
    assert _roster(workspace).assignments == december.assignments
    assert git(workspace.root, "status", "--porcelain") == ""
    assert git(workspace.root, "log", "-1", "--format=%s").startswith("排班表 2026-12 已生成")
    assert len(git(workspace.root, "log", "--format=%h").split()) == 2  # init, first generate


@pytest.mark.auto_commit
def test_a_change_that_commits_a_hand_edited_roster_says_so(clock, december, cli, workspace):
    """The supervisor edited 12-20's place in Notepad, never committed; an override of 12-21
    committed the hand edit under its own message without a word."""
    clock.set("2026-12-02T18:10:00+08:00")  # December generated at the default, October
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    night = _night_person(december, date(2026, 12, 20))
    stand_in = next(s for s in ("sunli", "chenjing", "zhangwei", "zhaolei") if s != night)
    line = f'  - {{date: "2026-12-20", shift: night, role: service, staff: {night}}}'
    assert line in text
    path.write_text(text.replace(line, line.replace(night, stand_in)), encoding="utf-8")
    other = _night_person(december, date(2026, 12, 21))
    taker = next(s for s in ("sunli", "chenjing", "zhangwei", "zhaolei") if s != other)
    changed = cli("--lang", "zh_CN", "roster", "override", "2026-12-21", "night", taker,
                  "--reason", "家中有事", "--force", "--at", "2026-12-02 18:00")
    assert changed.exit_code == 0, changed.stderr
    assert ("rosters/2026-12.yaml 有未提交的手工修改：已随这次调整一并提交" in changed.stderr), \
        changed.stderr
    assert git(workspace.root, "status", "--porcelain") == ""
    again = cli("roster", "override", "2026-12-22", "night", taker, "--reason", "再换",
                "--force", "--at", "2026-12-02 18:05")
    assert again.exit_code == 0 and "hand edits" not in again.stderr


def test_who_applies_overrides_and_crosses_midnight(december, cli, workspace):
    night = _night_person(december, date(2026, 12, 3))
    at_two = datetime(2026, 12, 4, 2, 0, tzinfo=SHANGHAI)
    assert rostered.on_duty(workspace, at_two) == [night]  # who acts when nobody is named
    late = cli("who", "--at", "2026-12-04 02:00", "--format", "json")
    document = json.loads(late.stdout)
    assert [row["staff"] for row in document["on_duty"]] == [night]
    assert document["next_handover"]["at"] == "2026-12-04T08:00:00+08:00"
    stand_in = next(s for s in ("sunli", "chenjing", "zhangwei", "zhaolei") if s != night)
    changed = cli("roster", "override", "2026-12-03", "night", stand_in, "--reason", "病假",
                  "--force", "--at", "2026-12-02 18:00")
    assert changed.exit_code == 0, changed.stderr
    names = {"sunli": "孙丽", "chenjing": "陈静", "zhangwei": "张伟", "zhaolei": "赵磊",
             "lina": "李娜"}
    # the confirmation speaks as the desk does: the day, the shift's and people's names
    assert f"Thu 12-03 夜班 客服专员: {names[night]} -> {names[stand_in]}" in changed.stdout
    assert rostered.on_duty(workspace, at_two) == [stand_in]
    shown = cli("who", "--at", "2026-12-04 02:00")
    on_duty = shown.stdout.split("next handover")[0]  # by name on screen
    assert names[stand_in] in on_duty and names[night] not in on_duty
    assert "next handover 2026-12-04 08:00" in shown.stdout
    override = _roster(workspace).overrides[0]
    assert (override.replaces, override.staff, override.reason, override.by) == (
        night, stand_in, "病假", "zhangwei")
    assert override.at == datetime(2026, 12, 2, 18, 0, tzinfo=SHANGHAI)
    slots = assignments_between(workspace, datetime(2026, 12, 3, 19, tzinfo=SHANGHAI),
                                datetime(2026, 12, 3, 21, tzinfo=SHANGHAI))
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    assert any(s.shift_id == "night" and s.staff == stand_in and s.shift_name == "夜班"
               for s in slots)


def test_who_with_no_roster_exits_1(cli):
    result = cli("who", "--at", "2026-12-04 02:00")
    assert result.exit_code == 1
    assert "nobody is on duty" in result.stderr


def test_override_breaking_a_hard_rule_is_refused_unless_forced(december, cli):
    holder = next(a.staff for a in december.assignments
                  if a.day == date(2026, 12, 11) and a.shift == "night")
    refused = cli("roster", "override", "2026-12-11", "night", "lina", "--reason", "test")
    assert refused.exit_code == 2
    assert "Fri 12-11 夜班 李娜: on leave (leave): the rules list that day as leave" \
        in refused.stderr
    assert cli("roster", "check").exit_code == 0  # nothing was written
    forced = cli("roster", "override", "2026-12-11", "night", "lina", "--reason", "她坚持",
                 "--force")
    assert forced.exit_code == 0
    assert "forced past: Fri 12-11 夜班 李娜: on leave" in forced.stderr
    checked = cli("roster", "check")
    assert checked.exit_code == 1
    assert "Fri 12-11 夜班 李娜: on leave (leave): the rules list that day as leave" \
        in checked.stdout
    line = checked.stdout.splitlines()[0]
    assert line.startswith("rosters/2026-12.yaml:")
    assert holder != "lina"


@pytest.mark.parametrize("lang,place", [("en", "{day:%a %m-%d} 白班 张伟: "),
                                        ("zh_CN", "{day.month}月{day.day}日 {weekday} 白班 张伟：")])
def test_an_override_refused_names_the_place_it_overrides(december, cli, lang, place):
    """张伟 (44h a week at most) put on the day shift before his own night: the rest that is
    too short and the week's hours used up are both said at the day shift he would take, not
    at his night or at his last shift of the week."""
    mine = {a.day: a.shift for a in december.assignments if a.staff == "zhangwei"}
    week = {d: [o for o in mine if o.isocalendar()[:2] == d.isocalendar()[:2]] for d in mine}
    day = next(d for d, shift in sorted(mine.items())
               if shift == "night" and len(week[d]) >= 3 and max(week[d]) > d)
    holder = next(a.staff for a in december.assignments
                  if a.day == day and a.shift == "day" and a.role == "service")
    refused = cli("roster", "override", str(day), "day", "zhangwei", "--replaces", holder,
                  "--reason", "test", env={"DUTYCTL_LANG": lang})
    assert refused.exit_code == 2, refused.stderr
    lines = refused.stderr.splitlines()[1:]
    said = place.format(day=day, weekday="周" + "一二三四五六日"[day.weekday()])
    assert len(lines) == 2 and all(line.strip().startswith(said) for line in lines), lines
    keys = ("min_rest_hours", "max_hours_per_week") if lang == "en" else ("（最少休息小时）",
                                                                         "（每周工时上限）")
    assert keys[0] in lines[0] and keys[1] in lines[1], lines


@pytest.mark.parametrize("lang,opening", [
    ("en", "say whom 赵磊 replaces with --replaces; on "),
    ("zh_CN", "请用 --顶替 指明 赵磊 顶替谁；")])  # named in the user's language
def test_an_override_that_must_say_whom_it_replaces_names_the_roles(december, cli, lang,
                                                                    opening):
    """zhaolei is a clerk and a technician: on a day shift whose two places others hold he
    must say whom he replaces; the people on it are listed with their roles' names, never the
    role ids."""
    day = next(d for d in sorted({a.day for a in december.assignments})
               if all(a.staff != "zhaolei" for a in december.assignments
                      if a.day == d and a.shift == "day"))
    holders = {a.role: a.staff for a in december.assignments if a.day == day and a.shift == "day"}
    names = {"zhangwei": "张伟", "lina": "李娜", "chenjing": "陈静", "sunli": "孙丽",
             "wangqiang": "王强", "liuyang": "刘洋", "gaofeng": "高峰"}
    refused = cli("roster", "override", str(day), "day", "zhaolei", "--reason", "病假",
                  env={"DUTYCTL_LANG": lang})
    assert refused.exit_code == 2 and refused.stdout == ""
    line = refused.stderr.strip()
    assert line.startswith(opening), line
    clerk, technician = holders["service"], holders["technician"]
    said = "{name}（{role}）" if lang == "zh_CN" else "{name} ({role})"  # never [客服专员]
    assert said.format(name=names[clerk], role="客服专员") in line, line  # one 陈静: the name
    assert said.format(name=names[technician], role="维修工") in line, line
    assert "service" not in line and "technician" not in line and "[" not in line
    # brackets only round the roles, never one pair inside another
    depth = 0
    for char in line:
        depth += char in "（(" and 1 or -(char in "）)")
        assert 0 <= depth <= 1, line


def test_generating_again_reads_the_roster_it_replaces_once(december, cli, clock,
                                                            monkeypatch):
    """The places held before (what `replaced` compares with) were read apart from the
    reading `generate` compares and refuses by (onduty.cached_roster): the file parsed twice,
    the first time without its kept copy."""
    from dutyctl.roster import onduty, rosterfile

    read = []
    real = rosterfile.read_roster
    counting = lambda path, *rest: read.append(path.name) or real(path, *rest)  # noqa: E731
    monkeypatch.setattr(rosterfile, "read_roster", counting)
    monkeypatch.setattr(onduty, "read_roster", counting)
    clock.set("2026-11-20T10:00:00+08:00")  # before its days
    again = cli("roster", "generate", "--month", "2026-12", "--seed", "1")
    assert again.exit_code == 0, again.stderr
    assert "replaced rosters/2026-12.yaml" in again.stderr, again.stderr
    assert read.count("2026-12.yaml") == 1, read


def test_regenerating_refuses_to_drop_overrides_without_force(december, cli, clock):
    clock.set("2026-11-20T10:00:00+08:00")  # the month to come: no day of it kept as begun
    busy = {a.day for a in december.assignments if a.staff == "zhaolei"}
    day = next(a.day for a in december.assignments if a.day not in busy)  # zhaolei is free
    assert cli("roster", "override", str(day), "day", "zhaolei", "--role", "technician",
               "--reason", "调班", "--force").exit_code == 0
    refused = cli("roster", "generate", "--month", "2026-12")
    assert refused.exit_code == 2
    assert "carries 1 manual override:" in refused.stderr
    forced = cli("roster", "generate", "--month", "2026-12", "--force")
    assert forced.exit_code == 0
    holder = next(a.staff for a in december.assignments if a.day == day and a.shift == "day"
                  and a.role == "technician")
    names = {"wangqiang": "王强", "liuyang": "刘洋", "gaofeng": "高峰"}
    assert f"dropped change: {day_label(day)} 白班 维修工: {names[holder]} -> 赵磊 (reason: 调班; " \
           "by 张伟)" in forced.stderr, forced.stderr


def test_hand_edited_roster_is_caught_by_check(december, cli, workspace):
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    victim = next(a for a in december.assignments if a.day == date(2026, 12, 11)
                  and a.shift == "office")
    line = (f'  - {{date: "2026-12-11", shift: office, role: service, staff: {victim.staff}}}')
    assert line in text
    edited = text.replace(line, line.replace(victim.staff, "lina"))
    edited = edited.replace('  - {date: "2026-12-20", shift: night, role: service, ',
                            '  - {date: "2026-12-20", shift: nightt, role: service, ')
    path.write_text(edited, encoding="utf-8")
    result = cli("roster", "check", "2026-12")
    assert result.exit_code == 1
    out = result.stdout
    assert "Fri 12-11 前台 李娜: on leave (leave): the rules list that day as leave" in out
    assert "no shift 'nightt' in the rules" in out
    assert "Sun 12-20 夜班 客服专员: coverage: 0 of 1 filled" in out
    assert "problems" in result.stderr and "problem(s)" not in result.stderr, result.stderr
    assert "Fri 12-11 前台 李娜" in cli("check").stdout
    refused = cli("roster", "generate", "--month", "2026-12")
    assert refused.exit_code == 2 and "hand-edited assignments" in refused.stderr


def test_hand_edit_breaking_rest_and_runs_names_the_rule(december, cli, workspace):
    path = workspace.rosters_dir / "2026-12.yaml"
    night = _night_person(december, date(2026, 12, 6))
    text = path.read_text(encoding="utf-8")
    day_line = next(l for l in text.splitlines()
                    if l.startswith('  - {date: "2026-12-07", shift: day, role: service'))
    path.write_text(text.replace(day_line, day_line.rsplit("staff: ", 1)[0]
                                 + f"staff: {night}}}"), encoding="utf-8")
    result = cli("roster", "check")
    assert result.exit_code == 1
    assert "Mon 12-07 白班 " in result.stdout
    name = staff_ids(workspace)[night]
    assert f"Mon 12-07 白班 {name}: too little rest (min_rest_hours): 0h rest next to Sun 12-06 " \
           "夜班, needs 12h" in result.stdout
    zh = cli("--lang", "zh_CN", "roster", "check").stdout
    assert "休息不足（最少休息小时），与 12月6日 周日 夜班 之间仅休息 0 小时，至少需要 12 小时" in zh
    assert "min_rest_hours:" not in result.stdout and "min_rest_hours：" not in zh


def test_swap_records_reason_who_and_when(cli, workspace):
    shifts = '- {id: day, name: 白班, start: "08:00", end: "16:00", need: {service: 1}}\n'
    staff = "".join(f"- {{id: p{n}, name: 员工{n}, roles: [service]}}\n" for n in range(1, 5))
    write_rules(workspace, rules_text(shifts, staff))
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    roster = _roster(workspace)
    first = roster.assignments[0]
    second = next(a for a in roster.assignments if a.staff != first.staff)
    result = cli("roster", "swap", str(first.day), "day", first.staff, str(second.day), "day",
                 second.staff, "--reason", "家里有事", "--staff", "p4", "--at",
                 "2026-11-30 09:00")
    assert result.exit_code == 0, result.stderr
    overrides = _roster(workspace).overrides
    assert [(o.kind, o.day, o.staff, o.replaces, o.by, o.reason) for o in overrides] == [
        ("swap", first.day, second.staff, first.staff, "p4", "家里有事"),
        ("swap", second.day, first.staff, second.staff, "p4", "家里有事")]
    on_first = cli("who", "--at", f"{first.day} 09:00", "--format", "json")
    assert json.loads(on_first.stdout)["on_duty"][0]["staff"] == second.staff
    assert cli("roster", "check").exit_code == 0
    missing = cli("roster", "swap", str(first.day), "day", "p3", str(second.day), "day", "p2",
                  "--reason", "x")
    assert missing.exit_code == 2


def test_a_swap_or_an_override_without_a_reason_says_how_to_give_one(cli, workspace):
    """--reason is required (help says so): without it, one line saying how to write it, the
    flag as typed in the user's language, not `missing --原因（原因）`."""
    shifts = '- {id: day, name: 白班, start: "08:00", end: "16:00", need: {service: 1}}\n'
    staff = "".join(f"- {{id: p{n}, name: 员工{n}, roles: [service]}}\n" for n in range(1, 3))
    write_rules(workspace, rules_text(shifts, staff))
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    swap = cli("--lang", "zh_CN", "排班", "换班", "2026-12-01", "白班", "p1", "2026-12-02", "白班",
               "p2", "--staff", "p1", "--at", "2026-11-30 09:00")
    assert swap.exit_code == 2
    assert swap.stderr.strip() == '缺少 --原因：请写明换班原因，如 --原因 "家中有事"'
    stand_in = cli("roster", "override", "2026-12-01", "day", "p2", "--staff", "p1", "--at",
                   "2026-11-30 09:00")
    assert stand_in.stderr.strip() == 'missing --reason: say why someone stands in, such as ' \
                                      '--reason "off sick"'
    assert not _roster(workspace).overrides
    helped = cli("--lang", "zh_CN", "排班", "换班", "--帮助").stdout
    reason_line = helped.split("--原因", 1)[1].split("--强制", 1)[0]
    assert "[必填]" in reason_line, helped


def test_infeasible_rules_write_the_best_roster_and_explain_each_gap(cli, workspace):
    shifts = """\
    - {id: day, name: 白班, start: "08:00", end: "20:00", need: {service: 1, technician: 1}}
    """
    staff = """\
    - {id: s1, name: 客服一, roles: [service]}
    - {id: s2, name: 客服二, roles: [service]}
    - {id: t1, name: 维修一, roles: [technician], leave: ["2026-12-02"]}
    """
    write_rules(workspace, rules_text(shifts, staff, "max_consecutive_days: 3\n"))
    result = cli("roster", "generate", "--from", "2026-12-01", "--to", "2026-12-08")
    assert result.exit_code == 1
    assert result.stdout.strip() == "rosters/2026-12-01_2026-12-08.yaml"
    gaps = [line for line in result.stderr.splitlines() if "unfilled" in line]
    assert gaps == [
        "rosters/2026-12-01_2026-12-08.yaml: Wed 12-02 白班 维修工: unfilled: all 1 "
        "维修工 staff blocked: 维修一: on leave",
        "rosters/2026-12-01_2026-12-08.yaml: Sun 12-06 白班 维修工: unfilled: all 1 "
        "维修工 staff blocked: 维修一: too many days in a row"]
    roster = _roster(workspace, "2026-12-01_2026-12-08")
    assert len(roster.unfilled) == 2 and len(roster.assignments) == 14
    # the file keeps ids, never words of a language: any desk reads it in its own
    assert [gap.blocked for gap in roster.unfilled] == [(("t1", "leave"),),
                                                       (("t1", "max_consecutive_days"),)]
    assert "blocked: {t1: leave}" in roster.path.read_text(encoding="utf-8")
    checked = cli("roster", "check")
    assert checked.exit_code == 1
    assert "Sun 12-06 白班 维修工: coverage: 0 of 1 filled (all 1 维修工 staff blocked: 维修一: " \
           "too many days in a row)" in checked.stdout
    zh = cli("--lang", "zh_CN", "roster", "check").stdout
    assert "维修一：连续上班天数超限" in zh and "max_consecutive_days" not in zh
    explained = cli("roster", "explain", "2026-12-06", "day", "--format", "json")
    places = {p["role"]: p for p in json.loads(explained.stdout)}
    assert places["technician"]["chosen"] is None
    rules = {c["staff"]: c["rule"] for c in places["technician"]["candidates"]}
    assert rules == {"t1": "max_consecutive_days", "s1": "roles", "s2": "roles"}


def test_explain_names_the_rule_for_everyone_and_why_the_winner_won(december, cli):
    result = cli("roster", "explain", "2026-12-11", "night")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Fri 12-11 夜班 客服专员 #1: ")  # the shift and role by their names
    assert "chosen" in out and "excluded" in out
    by_name = cli("--lang", "zh_CN", "roster", "explain", "2026-12-11", "夜班").stdout
    assert by_name.startswith("12月11日 周五 夜班 客服专员 第 1 位：") and "排除" in by_name
    assert "李娜" in out and "on leave" in out
    for technician, name in (("wangqiang", "王强"), ("liuyang", "刘洋"), ("gaofeng", "高峰")):
        assert name in out and technician not in out  # a screen names people, not ids
    assert "not a 客服专员" in out and "not a service" not in out
    assert "不是客服专员" in by_name
    # the number a supervisor reads beside the eligible: named, and said under the tables
    head = next(line for line in by_name.splitlines() if line.startswith("姓名"))
    assert head.split()[:4] == ["姓名", "结论", "规则", "公平代价"], by_name
    assert by_name.rstrip().splitlines()[-1].startswith("公平代价：把这个班排给此人后"), by_name
    assert "越小越公平" in by_name and out.rstrip().splitlines()[-1].startswith(
        "fairness cost: how much less even")
    places = json.loads(cli("roster", "explain", "2026-12-11", "night", "-f", "json").stdout)
    candidates = places[0]["candidates"]
    assert len(candidates) == 8
    assert candidates[0]["verdict"] == "chosen"
    assert {c["staff"]: c["rule"] for c in candidates}["lina"] == "leave"
    for day in ("2026-12-14", "2026-12-15", "2026-12-16"):
        for place in json.loads(cli("roster", "explain", day, "day", "-f", "json").stdout):
            chosen, *others = place["candidates"]
            costs = [c["cost"] for c in others if c["verdict"] == "eligible"]
            assert chosen["staff"] == place["chosen"] and chosen["cost"] is not None
            if not costs:
                assert place["why"] == "the only candidate no rule excludes"
            elif place["why"].startswith("lowest cost"):
                assert chosen["cost"] <= min(costs)
            else:
                assert "swap" in place["why"] and chosen["cost"] > min(costs)


def test_ics_export_parses_back_with_icalendar(december, cli):
    import icalendar

    result = cli("roster", "export", "--format", "ics", "--staff", "lina")
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(result.stdout)
    events = list(calendar.walk("VEVENT"))
    mine = [a for a in december.assignments if a.staff == "lina"]
    assert len(events) == len(mine) > 0
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Shanghai"]
    first = min(events, key=lambda e: e.decoded("dtstart"))
    start = first.decoded("dtstart")
    assert start.tzinfo is not None and start.utcoffset().total_seconds() == 8 * 3600
    assert "李娜" in str(first["summary"])
    def seat(mine):  # the slot's place among those of its day, shift and role, in file order
        before = december.assignments[:december.assignments.index(mine)]
        return sum((a.day, a.shift, a.role) == (mine.day, mine.shift, mine.role) for a in before)

    # the UID names the slot, not the person (a swap must update, not duplicate, the event)
    assert {str(e["uid"]) for e in events} == {
        f"{a.day}-{a.shift}-{a.role}-{seat(a)}@dutyctl" for a in mine}
    assert "TZID=Asia/Shanghai" in result.stdout


def test_an_ics_file_says_names_from_shared_files_on_one_line_escaped(december, cli, workspace):
    """A line break in a staff or site name ended every ics export in 'unexpected error'
    (icalendar refuses an unescaped line break); written with --output, a terminal escape or
    a bidi override in a name reached the file raw. Both are shown as the screens show them."""
    import icalendar

    from tests.helpers_roster import edit_rules

    edit_rules(workspace, "name: 李娜", 'name: "李娜\\n2\\e]0;x\\a\\u202e"')
    config = workspace.root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("  name:"))
    config.write_text(text.replace(name_line, '  name: "阳光\\n花园"', 1), encoding="utf-8")
    target = workspace.root.parent / "lina.ics"
    result = cli("roster", "export", "--format", "ics", "--staff", "lina", "-o", str(target))
    assert result.exit_code == 0, result.output
    raw = target.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw and "\u202e".encode() not in raw
    calendar = icalendar.Calendar.from_ical(raw)
    assert "\u240a" in str(calendar["x-wr-calname"])  # ␊ for the site name's line break
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert summaries and all("李娜\u240a2\u241b]0;x" in summary for summary in summaries), summaries


def test_csv_export_has_a_bom_and_chinese_names(december, cli, workspace):
    target = workspace.root / "roster.csv"
    result = cli("roster", "export", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == ("date,shift,shift_name,role,staff,name,start,end,on_call,"
                                    "weekend,holiday")
    assert "张伟" in text and len(text.splitlines()) == len(december.assignments) + 1


def test_stats_and_show(december, cli, workspace):
    stats = json.loads(cli("roster", "stats", "--month", "2026-12", "-f", "json").stdout)
    rows = {row["staff"]: row for row in stats["staff"]}
    on_call = [a for a in december.assignments if a.shift == "night-oncall"]
    assert sum(row["shifts"] for row in rows.values()) == len(december.assignments) - 31
    assert sum(row["on_call"] for row in rows.values()) == len(on_call) == 31
    assert rows["lina"]["name"] == "李娜"
    assert stats["spread"]["nights"] <= 1
    table = cli("roster", "stats", "--month", "2026-12").stdout
    assert "spread" in table and "李娜" in table and "lina" not in table  # names on screen
    grid = cli("roster", "show", "--month", "2026-12").stdout.splitlines()
    assert grid[0].split()[:2] == ["date", "白班"]
    assert grid[4].startswith("Tue 12-01")  # under the three lines of the on-call column
    widths = {len(line.encode("gbk")) for line in grid[4:]}  # CJK counts double in GBK too
    assert len(widths) <= 2
    by_staff = cli("roster", "show", "--month", "2026-12", "--by", "staff")
    assert "李娜" in by_staff.stdout and "白=白班" in by_staff.stderr
    assert by_staff.stdout.split()[0] == "name" and "lina" not in by_staff.stdout
    rules = workspace.rosters_dir / "rules.yaml"  # two staff named alike: told apart by id
    rules.write_text(rules.read_text(encoding="utf-8").replace("name: 孙丽", "name: 李娜"),
                     encoding="utf-8")
    grid = cli("--lang", "zh_CN", "roster", "show", "--month", "2026-12", "--by", "staff")
    lines = grid.stdout.splitlines()
    assert lines[0].split()[0] == "姓名" and lines[0].split()[-2:] == ["班次数", "备班"]
    names = [line.split("  ")[0].strip() for line in lines[2:]]
    assert {"李娜（lina）", "李娜（sunli）", "张伟"} <= set(names)
    assert "zhangwei" not in grid.stdout
    own = cli("roster", "show", "--month", "2026-12", "--staff", "lina", "-f", "json")
    assert len(json.loads(own.stdout)) == sum(1 for a in december.assignments
                                              if a.staff == "lina")


def test_years_without_official_holiday_data_are_refused(cli, workspace):
    refused = cli("roster", "generate", "--month", "2027-01")
    assert refused.exit_code == 2
    assert "no official data for 2027" in refused.stderr
    assert not (workspace.rosters_dir / "2027-01.yaml").exists()
    path = workspace.rosters_dir / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("extra_holidays: []", 'extra_holidays: ["2027-01-01"]'),
                    encoding="utf-8")
    allowed = cli("roster", "generate", "--month", "2027-01")
    assert allowed.exit_code in (0, 1), allowed.stderr
    assert (workspace.rosters_dir / "2027-01.yaml").exists()


def test_the_installed_holidays_package_is_what_a_site_reads(cli, workspace, installed_holidays):
    from dutyctl.sitecalendar import SiteCalendar

    calendar = SiteCalendar()
    assert calendar.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert calendar.is_working_day(date(2026, 10, 10))  # Saturday, a make-up working day
    first, last = calendar.official_years()
    assert first == 2001 and last >= 2026
    after = f"{last + 1}-01"  # whichever year the installed release stops at
    refused = cli("roster", "generate", "--month", after)
    assert refused.exit_code == 2 and f"no official data for {last + 1}" in refused.stderr


def test_a_holidays_release_with_the_2027_notice_makes_2027_plannable(cli, workspace,
                                                                      installed_holidays,
                                                                      monkeypatch):
    """Simulates the next `holidays` release: the State Council's 2027 notice is in the
    package, so 2027 needs no locally listed days, and its holidays count."""
    from holidays.countries.china import ChinaStaticHolidays

    from dutyctl.sitecalendar import SiteCalendar

    notices = dict(ChinaStaticHolidays.special_public_holidays)
    notices.setdefault(2027, ((2, 6, 2, 11),))  # a 调休 pair of the kind the notices carry
    monkeypatch.setattr(ChinaStaticHolidays, "special_public_holidays", notices)
    assert SiteCalendar().official_years()[1] >= 2027
    assert SiteCalendar().is_holiday(date(2027, 1, 1))
    made = cli("roster", "generate", "--month", "2027-01")
    assert made.exit_code in (0, 1), made.stderr  # 1: some slot unfilled, still written
    assert (workspace.rosters_dir / "2027-01.yaml").exists()


def test_next_month_continues_from_the_previous_roster(cli, workspace):
    assert cli("roster", "generate", "--month", "2026-11").exit_code == 0
    november = _roster(workspace, "2026-11")
    for day in ("2026-11-28", "2026-11-29", "2026-11-30"):
        holder = _night_person(november, date.fromisoformat(day))
        if holder != "sunli":
            assert cli("roster", "override", day, "night", "sunli", "--replaces", holder,
                       "--reason", "连值三晚", "--force").exit_code == 0
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    december = _roster(workspace)
    first_day = {a.staff for a in december.assignments if a.day == date(2026, 12, 1)}
    assert "sunli" not in first_day  # a fourth night in a row, or no rest after the third
    checked = cli("roster", "check", "2026-12")
    assert checked.exit_code == 0, checked.stdout
    overlapping = cli("roster", "generate", "--from", "2026-11-20", "--to", "2026-12-05")
    assert overlapping.exit_code == 2 and "already cover" in overlapping.stderr


def test_broken_rules_are_reported_by_dutyctl_check(cli, workspace):
    path = workspace.rosters_dir / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[:text.index('start: "08:00"')].count("\n") + 1
    path.write_text(text.replace('start: "08:00"', "start: 8:00", 1), encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert f"rosters/rules.yaml:{line}: shifts[0].start: YAML read " in result.stdout
    assert "480" in result.stdout
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 2


def test_broken_rules_do_not_flood_check_with_roster_lines(december, cli, workspace):
    path = workspace.rosters_dir / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('start: "08:00"', "start: 8:00", 1),
                    encoding="utf-8")
    for args in (("check",), ("roster", "check"), ("roster", "check", "2026-12")):
        found = cli(*args).stdout.splitlines()
        assert found and all(line.startswith("rosters/rules.yaml:") for line in found), args


def test_dst_zone_handover_stays_at_wall_clock_time(cli, workspace):
    set_site_timezone(workspace, "Europe/Berlin")
    path = workspace.rosters_dir / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("timezone: Asia/Shanghai",
                                                             "timezone: Europe/Berlin"),
                    encoding="utf-8")
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 0
    assert cli("roster", "check").exit_code == 0
    who = json.loads(cli("who", "--at", "2026-10-25 07:30", "-f", "json").stdout)
    night = [row for row in who["on_duty"] if row["shift"] == "night"][0]
    assert night["from"] == "2026-10-24T20:00:00+02:00"
    assert night["until"] == "2026-10-25T08:00:00+01:00"
    assert who["next_handover"]["at"] == "2026-10-25T08:00:00+01:00"


def test_installed_binary_generates_checks_and_answers_who(workspace, dutyctl_command,
                                                         monkeypatch):
    root = workspace.root
    first = run_dutyctl(dutyctl_command, "roster", "generate", "--month", "2026-12", root=root)
    assert first.returncode == 0, first.stderr
    text = (root / "rosters" / "2026-12.yaml").read_text(encoding="utf-8")
    monkeypatch.setenv("PYTHONHASHSEED", "12345")  # set and dict order must not matter
    again = run_dutyctl(dutyctl_command, "roster", "generate", "--month", "2026-12", root=root)
    assert again.returncode == 0
    regenerated = (root / "rosters" / "2026-12.yaml").read_text(encoding="utf-8")
    assert regenerated.split("assignments:")[1] == text.split("assignments:")[1]
    assert run_dutyctl(dutyctl_command, "roster", "check", root=root).returncode == 0
    who = run_dutyctl(dutyctl_command, "who", "--at", "2026-12-01 09:00", "--role",
                      "technician", root=root)
    assert who.returncode == 0 and "维修" not in who.stderr
    assert "维修工" in who.stdout and "next handover 2026-12-01 20:00" in who.stdout


def test_fast_reader_matches_yaml_and_falls_back_on_other_styles(december, workspace):
    from dutyctl.store import yamlio
    from dutyctl.roster.rosterfile import parse_roster, split_roster

    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    assert split_roster(text) is not None
    slow, problems = parse_roster(yamlio.load(path), "x", path)
    assert problems == [] and slow.assignments == december.assignments
    assert [a.line for a in slow.assignments] == [a.line for a in december.assignments]
    first = text.splitlines()[december.assignments[0].line - 1]
    restyled = text.replace(first, '  - date: "2026-12-01"\n    shift: day\n    role: service\n'
                                   f'    staff: {december.assignments[0].staff}  # hand edit')
    assert split_roster(restyled) is None
    path.write_text(restyled, encoding="utf-8")
    again, problems = read_roster(path, "x")
    assert problems == [] and again.assignments == december.assignments
    assert split_roster(text.replace("staff: lina}", "staff: no}", 1)) is None


def test_fast_reader_reads_unfilled_places_as_yaml_does(workspace):
    """A short-staffed roster's unfilled places (hundreds in a month) are read without the
    YAML parser, to the same gaps and lines, from the file and from the cache; any line not as
    generate writes it sends the section to YAML."""
    from dutyctl.roster.generate import generate
    from dutyctl.roster.rosterfile import parse_roster, split_roster
    from dutyctl.store import yamlio
    from tests.helpers_roster import template_rules

    write_rules(workspace, template_rules(10))
    path = generate(workspace, date(2026, 12, 1), date(2026, 12, 3)).path
    text = path.read_text(encoding="utf-8")
    rest, _, _ = split_roster(text)
    assert "blocked" not in rest and len(rest.splitlines()) == len(text.splitlines())
    slow, problems = parse_roster(yamlio.load(path), "x", path)
    assert problems == [] and len(slow.unfilled) > 10 and all(g.blocked for g in slow.unfilled)
    for read in (split_roster(text)[2], read_roster(path, "x", workspace.state_dir)[0].unfilled,
                 read_roster(path, "x", workspace.state_dir)[0].unfilled):  # file, then cache
        assert read == slow.unfilled
        assert [g.line for g in read] == [g.line for g in slow.unfilled]
    line = text.splitlines()[slow.unfilled[0].line - 1]
    staff, rule = line.split("blocked: {")[1].split(", ")[0].split(": ")
    for changed in (line.replace(", blocked:", ", reason: x, blocked:"),
                    line.replace("blocked: {", f"blocked: {{{staff}: {rule}, ", 1),
                    line.replace(f"{staff}: {rule}", f"{staff}: off", 1),
                    line.replace("}}", "}}  # by hand")):
        restyled = text.replace(line, changed, 1)
        assert split_roster(restyled)[2] is None
        assert split_roster(restyled)[1] == split_roster(text)[1]  # assignments still fast
    nobody = text.replace(line, line.split(", blocked:")[0] + ", blocked: {}}", 1)
    path.write_text(nobody, encoding="utf-8")
    slow, _ = parse_roster(yamlio.load(path), "x", path)
    assert split_roster(nobody)[2][0].blocked == () == slow.unfilled[0].blocked


def test_a_roster_written_by_hand_is_not_replaced_without_force(cli, workspace, clock):
    clock.set("2026-11-20T10:00:00+08:00")  # before its month: no day of it kept as begun
    path = workspace.rosters_dir / "2026-12.yaml"
    path.write_text('period: {from: "2026-12-01", to: "2026-12-31"}\ngenerated: {}\n'
                    'assignments:\n  - {date: "2026-12-01", shift: day, role: service, '
                    'staff: lina}\n', encoding="utf-8")
    refused = cli("roster", "generate", "--month", "2026-12")
    assert refused.exit_code == 2 and "hand-edited assignments" in refused.stderr
    checked = cli("roster", "check")
    assert checked.exit_code == 1
    assert "rosters/2026-12.yaml: Tue 12-01 夜班 客服专员: coverage: 0 of 1 filled" \
        in checked.stdout
    forced = cli("roster", "generate", "--month", "2026-12", "--force")
    assert forced.exit_code == 0
    assert "dropped hand edits of the assignments" in forced.stderr


def test_generate_records_who_and_when_with_at_and_staff(workspace, cli):
    made = cli("roster", "generate", "--month", "2026-12", "--at", "2026-11-20 10:00",
               "--staff", "zhangwei")
    assert made.exit_code == 0, made.stderr
    text = (workspace.rosters_dir / "2026-12.yaml").read_text(encoding="utf-8")
    assert 'generated: {at: "2026-11-20T10:00:00+08:00", by: zhangwei, seed: 0' in text
    unknown = cli("roster", "generate", "--month", "2026-11", "--staff", "nobody")
    assert unknown.exit_code == 2 and "no staff member 'nobody'" in unknown.stderr
    assert not (workspace.rosters_dir / "2026-11.yaml").exists()


def test_without_staff_or_user_the_clerk_on_duty_records_the_call(workspace, cli):
    # a past month: a call is recorded when it happened, never ahead of now
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 0
    at = datetime(2026, 10, 5, 10, 0, tzinfo=workspace.config.tz)
    clerk, = [slot.staff for slot in slots_at(workspace, at, role="service")]
    technician, = [slot.staff for slot in slots_at(workspace, at, role="technician")]
    assert clerk != technician  # the day shift has both; the desk's clerk must be chosen
    made = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", "物业费", "--at", "2026-10-05 10:00", user=None)
    assert made.exit_code == 0, made.stderr
    assert workspace.store.get(made.stdout.strip()).recorded_by == clerk


def test_explain_and_check_name_roles_shifts_and_people(december, cli, workspace):
    import re

    explained = json.loads(cli("roster", "explain", "2026-12-11", "night", "-f", "json").stdout)
    details = [c["detail"] for place in explained for c in place["candidates"]]
    ids = re.compile(r"\d{4}-\d\d-\d\d (day|night|night-oncall|office)\b")
    assert not [d for d in details if ids.search(d)]  # a clash names the shift, not its id
    assert not [d for d in details if "not a service" in d or "not a technician" in d]
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    night = next(line for line in text.splitlines()
                 if "2026-12-11\", shift: night, role: service" in line)
    path.write_text(text.replace(night, night[:night.index("staff: ")] + "staff: wangqiang}"),
                    encoding="utf-8")
    checked = cli("roster", "check")
    assert "wrong role (roles): does not have the role 客服专员" in checked.stdout
    assert "岗位不符（岗位），不具备客服专员岗位" in cli("--lang", "zh_CN", "roster", "check").stdout


def test_explain_says_an_overrides_time_in_the_sites_zone(december, cli, clock, workspace):
    """A roster file may carry an override stamped in UTC (another desk, a hand edit): explain
    says its time as the site reads it, as every screen does."""
    clock.set("2026-12-01T09:30:00+08:00")
    assert cli("roster", "override", "2026-12-11", "night", "lina", "--reason", "她坚持",
               "--force").exit_code == 0
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    assert "2026-12-01T09:30:00+08:00" in text
    path.write_text(text.replace("2026-12-01T09:30:00+08:00", "2026-12-01T01:30:00+00:00"),
                    encoding="utf-8")
    explained = cli("roster", "explain", "2026-12-11", "night")
    assert explained.exit_code == 0, explained.stderr
    assert "at 2026-12-01 09:30" in explained.stdout, explained.stdout


ZHANGWEI_FIVE_DAYS = """\
period: {from: "2026-12-07", to: "2026-12-13"}
generated: {at: "2026-11-26T15:00:00+08:00", seed: 0, rules_sha256: "hand-written"}
assignments:
  - {date: "2026-12-07", shift: day, role: service, staff: zhangwei}
  - {date: "2026-12-08", shift: day, role: service, staff: zhangwei}
  - {date: "2026-12-09", shift: day, role: service, staff: zhangwei}
  - {date: "2026-12-10", shift: day, role: service, staff: zhangwei}
  - {date: "2026-12-12", shift: day, role: service, staff: zhangwei}
overrides: []
unfilled: []
stats: {}
"""


@pytest.mark.parametrize("lang,expected", [
    ("en", "Thu 12-10 白班 张伟: weekly hours used up (max_hours_per_week): the week from Mon 12-07 "
           "reaches 48h with this shift (60h in all), at most 44h"),
    ("zh_CN", "12月10日 周四 白班 张伟：")])
def test_a_week_over_its_hours_is_named_at_the_shift_that_takes_it_over(workspace, cli, lang,
                                                                          expected):
    """张伟 (44h a week at most) on five 12-hour day shifts Mon-Sat: the fourth (Thursday)
    takes the week over 44h; the check says so there, with the week and its hours, not at
    his last shift of the week (Saturday)."""
    (workspace.root / "rosters" / "2026-12-07_2026-12-13.yaml").write_text(ZHANGWEI_FIVE_DAYS,
                                                                 encoding="utf-8")
    checked = cli("--lang", lang, "roster", "check")
    assert checked.exit_code == 1, checked.stderr
    weekly = [line for line in checked.stdout.splitlines()
              if "max_hours_per_week" in line or "（每周工时上限）" in line]
    assert len(weekly) == 1, checked.stdout
    assert expected in weekly[0], weekly
    if lang == "zh_CN":
        assert "自 12月7日 周一 起的一周到此班次已达 48 小时（全周共 60 小时），最多 44 小时" \
            in weekly[0], weekly


def test_show_and_stats_reckon_a_month_without_its_year_from_the_at_clock(december, cli,
                                                                           clock):
    """`排班 查看 --月份 12月 --时间 …` is the December nearest that moment, not nearest today:
    on 2026-11-20 the rostered December 2026; in October 2027 December 2027 (no roster)."""
    clock.set("2027-10-01T10:00:00+08:00")  # today, for these commands: not what --at says
    shown = cli("roster", "show", "--month", "12月", "--at", "2026-11-20 10:00", "-f", "json")
    assert shown.exit_code == 0, shown.output
    places = json.loads(shown.stdout)
    assert places and all(place["date"].startswith("2026-12") for place in places), places
    later = cli("roster", "show", "--month", "12月")
    assert later.exit_code == 2 and "2027-12-01" in later.stderr, later.output
    zh = cli("--lang", "zh_CN", "排班", "查看", "--月份", "12月", "--时间", "2026-11-20 10:00")
    assert zh.exit_code == 0, zh.output
    stats = cli("roster", "stats", "--month", "12月", "--at", "2026-11-20 10:00", "-f", "json")
    assert stats.exit_code == 0, stats.output
    assert cli("roster", "stats", "--month", "12月").exit_code == 2


def test_show_and_stats_take_a_day_alone_for_the_month_they_reckon_from(december, cli, clock):
    """`排班 查看 --时间 2026-11-20` names a day, as a supervisor means it: refused before as
    a day without its time of day (the option was the recording commands' --at)."""
    clock.set("2027-10-01T10:00:00+08:00")
    zh = cli("--lang", "zh_CN", "排班", "查看", "--月份", "12月", "--时间", "2026-11-20")
    assert zh.exit_code == 0, zh.output
    stats = cli("roster", "stats", "--month", "12月", "--at", "2026-11-20", "-f", "json")
    assert stats.exit_code == 0, stats.output
    helped = cli("--lang", "zh_CN", "排班", "查看", "--帮助").stdout
    assert "发生时间" not in helped, helped
    # a day ahead of today is the month to come, not capped at today (--截至's rule)
    clock.set("2026-11-20T10:00:00+08:00")
    ahead = cli("roster", "show", "--at", "2026-12-05", "-f", "json")
    assert ahead.exit_code == 0, ahead.output
    places = json.loads(ahead.stdout)
    assert places and all(place["date"].startswith("2026-12") for place in places), places


def test_a_roster_for_days_already_past_says_they_count_as_absences(cli, workspace, clock):
    """A month over generated at go-live was accepted without a word, and its month-end
    review showed a hundred absences unexplained: said, up to yesterday. A month to come,
    or one generated again, is said nothing."""
    clock.set("2026-10-12T09:30:00+08:00")
    late = cli("roster", "generate", "--month", "2026-10")
    assert late.exit_code in (0, 1), late.stderr
    assert ("rosters/2026-10.yaml begins on 2026-10-01, before today (2026-10-12): attendance "
            "and the reports count each of its shifts up to 2026-10-11 that nobody clocked in "
            "for as absent") in late.stderr
    assert "before today" not in cli("roster", "generate", "--month", "2026-10").stderr
    ahead = cli("roster", "generate", "--month", "2026-11")
    assert ahead.exit_code in (0, 1) and "before today" not in ahead.stderr


def _name_of(workspace, staff_id: str) -> str:
    from dutyctl.people import staff_ids

    return staff_ids(workspace)[staff_id]


def test_explain_says_a_person_put_on_leave_after_the_roster_holds_it_against_the_rule(
        december, cli, workspace):
    """A leave added after the roster was made for the person on the 12-11 night: explain
    said 选中 (chosen) beside 请假 for someone who must not work it."""
    from tests.helpers_roster import edit_rules

    person = _night_person(december, date(2026, 12, 11))
    edit_rules(workspace, f"  - id: {person}\n", f"  - id: {person}\n    leave: [\"2026-12-11\"]\n")
    places = json.loads(cli("roster", "explain", "2026-12-11", "night", "-f", "json").stdout)
    mine = next(c for c in places[0]["candidates"] if c["staff"] == person)
    assert (mine["verdict"], mine["rule"]) == ("chosen-against-a-rule", "leave")
    shown = cli("--lang", "zh_CN", "roster", "explain", "2026-12-11", "night").stdout
    line = next(line for line in shown.splitlines()
                if line.startswith(_name_of(workspace, person)))
    assert "现排（违反规则）" in line and "选中" not in line


def test_a_gap_someone_could_take_says_who_not_that_everyone_is_blocked(monkeypatch):
    """A roster file's `blocked` gives `busy` (the key since the first files) to a holder of
    the role whom no rule kept from the place: generate and check said "all 3 blocked",
    naming them "busy" (已有班次: already has a shift, which they had not)."""
    from dutyctl.roster.rosterfile import Gap, describe_gap

    blocked = (("sv01", "min_rest_hours"), ("sv05", "busy"), ("sv06", "overlap"))
    gap = Gap(date(2026, 5, 6), "office", "service", "", blocked=blocked)
    left_open = ("SV05 could take it without breaking a rule (the generator left it open, "
                 "usually to keep workloads even or the week's hours for the next roster's "
                 "first days)")
    assert describe_gap(gap, str.upper, lambda role: "客服专员") \
        == left_open + "; the other 2 客服专员 staff are blocked"
    one = Gap(date(2026, 5, 6), "office", "service", "", blocked=blocked[1:])
    assert describe_gap(one, str.upper, lambda role: "客服专员") \
        == left_open + "; one other 客服专员 staff member is blocked"
    alone = Gap(date(2026, 5, 6), "office", "service", "", blocked=(("sv05", "busy"),))
    assert describe_gap(alone, str.upper, lambda role: "客服专员") == left_open
    many = Gap(date(2026, 5, 6), "office", "service", "",
               blocked=tuple((f"s{n}", "busy") for n in range(8)) + blocked[:1])
    assert describe_gap(many, str.upper, lambda role: "客服专员").startswith(
        "S0, S1, S2, S3, S4, S5, S6, S7 could take it")  # every one of them named
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert describe_gap(gap, str.upper, lambda role: "客服专员") \
        == ("SV05 可上此班，不违反任何规则（生成时未排，通常是为使工作量均衡，或为下一份排班表"
            "开头几天预留本周工时）；其余 2 名客服专员都不可排")


def test_check_says_who_could_take_a_place_left_open_until_an_override_puts_them_on_it(
        cli, workspace, clock):
    """A roster file's note that someone could take an open day seat (`busy`: no rule kept
    them off it) is said as such by check, and read against the roster as it is now: once
    an override has put that person on the shift, check says that keeps them off another
    seat of it (already on this shift: "overlapping shifts" read as a clash with another
    shift), not that they could take it. The override
    itself breaks no rule: filling one of a shift's open places was refused without --force,
    the shift's coverage line ("0 of 3 filled" to "1 of 3") counted as a break it made."""
    from tests.helpers_roster import template_rules

    clock.set("2026-11-20T10:00:00+08:00")
    write_rules(workspace, template_rules(3))  # short-staffed: day seats left open
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 1
    roster = _roster(workspace)
    gap = next(g for g in roster.unfilled if g.shift == "day" and g.role == "service")
    # one of the day's clerks taken off it by hand, and the note saying so: free for it now
    free = next(a.staff for a in roster.assignments
                if (a.day, a.shift, a.role) == (gap.day, "day", "service"))
    path = workspace.rosters_dir / "2026-12.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = gap.line - 1
    assert f'date: "{gap.day}", shift: day, role: service, blocked: {{' in lines[at]
    head = lines[at].split("blocked: {", 1)[0]
    entries = [f"{staff}: {'busy' if staff == free else rule}" for staff, rule in gap.blocked]
    lines[at] = head + "blocked: {" + ", ".join(entries) + "}}\n"
    held = f'  - {{date: "{gap.day}", shift: day, role: service, staff: {free}}}\n'
    assert held in lines
    lines.remove(held)
    path.write_text("".join(lines), encoding="utf-8")
    name = _name_of(workspace, free)
    checked = cli("roster", "check", "2026-12").stdout
    mine = next(line for line in checked.splitlines()
                if f" {day_label(gap.day)} 白班 客服专员: coverage: " in line)
    assert f"({name} could take it without breaking a rule (the generator left it open" in mine
    stood_in = cli("roster", "override", str(gap.day), "day", free, "--role", "service",
                   "--reason", "补缺")  # free for it: no rule forced past
    assert stood_in.exit_code == 0, stood_in.stderr
    assert not _roster(workspace).overrides[-1].forced
    checked = cli("roster", "check", "2026-12").stdout
    mine = next(line for line in checked.splitlines()
                if f" {day_label(gap.day)} 白班 客服专员: coverage: " in line)
    assert "could take it" not in mine and f"{name}: already on this shift" in mine


def test_a_place_left_open_says_who_is_on_its_shift_already(cli, workspace, clock):
    """Generate and check list each holder of the role kept from an open place. One who
    holds another seat of the same shift was said to have overlapping shifts (班次重叠), as if
    a second shift clashed: the roster file now keeps `on_shift` for them, the screens say
    已在本班次, and one on another shift that overlaps (the front desk's clerk) is still said
    to have overlapping shifts."""
    from tests.helpers_roster import template_rules

    clock.set("2026-11-20T10:00:00+08:00")
    write_rules(workspace, template_rules(3))  # short-staffed: day seats left open
    generated = cli("--lang", "zh_CN", "roster", "generate", "--month", "2026-12")
    assert generated.exit_code == 1, generated.stderr
    roster = _roster(workspace)
    held = {(a.day, a.shift): set() for a in roster.assignments}
    for a in roster.assignments:
        held[(a.day, a.shift)].add(a.staff)
    gaps = [g for g in roster.unfilled if g.shift == "day" and g.role == "service"]
    rules_of = {(gap.day, staff): rule for gap in gaps for staff, rule in gap.blocked}
    assert gaps and "on_shift" in rules_of.values() and "overlap" in rules_of.values()
    for gap in gaps:
        for staff, rule in gap.blocked:
            assert (rule == "on_shift") == (staff in held[(gap.day, "day")]), (gap, staff)
            if rule == "overlap":  # another shift that day: the front desk's 08:30-17:30
                assert staff in held.get((gap.day, "office"), set()), (gap, staff)
    gap = next(g for g in gaps if any(rule == "on_shift" for _, rule in g.blocked))
    name = _name_of(workspace, next(s for s, rule in gap.blocked if rule == "on_shift"))
    said = f"{name}：已在本班次"
    assert said in generated.stderr
    checked = cli("--lang", "zh_CN", "roster", "check", "2026-12")
    mine = next(line for line in checked.stdout.splitlines()
                if f" {day_label(gap.day)} 白班 客服专员：覆盖：" in line)
    assert said in mine, mine


def test_explain_names_who_could_take_an_open_place_breaking_no_rule(december, cli, workspace):
    """12-11's night emptied by hand: its holder could take it breaking no rule, and explain
    said "every candidate is excluded by a rule" above a table listing them as eligible."""
    person = _night_person(december, date(2026, 12, 11))
    path = workspace.rosters_dir / "2026-12.yaml"
    line = f'  - {{date: "2026-12-11", shift: night, role: service, staff: {person}}}\n'
    text = path.read_text(encoding="utf-8")
    assert line in text
    path.write_text(text.replace(line, "", 1), encoding="utf-8")
    places = json.loads(cli("roster", "explain", "2026-12-11", "night", "-f", "json").stdout)
    free = [c["staff"] for c in places[0]["candidates"] if c["verdict"] == "eligible"]
    assert places[0]["chosen"] is None and person in free
    said = cli("roster", "explain", "2026-12-11", "night").stdout.splitlines()[0]
    assert "could take it without breaking a rule: 'dutyctl roster override' fills it" in said
    assert _name_of(workspace, person) in said and "excluded" not in said
    zh = cli("--lang", "zh_CN", "roster", "explain", "2026-12-11", "night").stdout
    assert "可上此班，不违反任何规则：可用 'dutyctl 排班 顶班' 补上" in zh.splitlines()[0]


def test_an_override_of_a_shift_already_begun_says_attendance_judges_it_by_the_change(
        december, cli, clock):
    """A stand-in recorded for 12-02's night on 12-03 (a day worked, or 12-12 mistyped) went in
    without a word: whoever worked it became unrostered, the one put there absent. Said;
    an override of a shift to come is not."""
    clock.set("2026-12-03T12:00:00+08:00")
    holder = _night_person(december, date(2026, 12, 2))
    stand_in = "sunli" if holder != "sunli" else "zhaolei"
    past = cli("roster", "override", "2026-12-02", "night", stand_in, "--replaces", holder,
               "--reason", "补记", "--force")
    assert past.exit_code == 0, past.stderr
    assert "Wed 2026-12-02 夜班 had begun when this was recorded: attendance judges it by the " \
           "change now" in past.stderr, past.stderr
    ahead_holder = _night_person(december, date(2026, 12, 20))
    ahead = cli("roster", "override", "2026-12-20", "night",
                "sunli" if ahead_holder != "sunli" else "zhaolei", "--replaces", ahead_holder,
                "--reason", "调休", "--force")
    assert ahead.exit_code == 0 and "had begun" not in ahead.stderr, ahead.stderr


def test_a_stand_in_for_a_seat_the_rules_added_since_takes_that_seat(december, cli, workspace,
                                                                     request):
    """白班 raised to two clerks after December was generated: `roster override … 李娜` meant
    to put a second clerk on took the one clerk's place instead (she was "replaced"). It takes
    the seat the rules now need and the roster lacks; the clerk on it stays."""
    from tests.helpers_roster import edit_rules

    edit_rules(workspace, "    need:                  # 各角色所需人数（角色见 dutyctl.yaml）\n"
                          "      service: 1\n",
               "    need:                  # 各角色所需人数（角色见 dutyctl.yaml）\n"
               "      service: 2\n")
    day = date(2026, 12, 20)
    holder = next(a.staff for a in december.assignments
                  if a.day == day and a.shift == "day" and a.role == "service")
    second = next(person for person in ("lina", "sunli", "chenjing", "zhaolei")
                  if person != holder and not any(a.staff == person and a.day == day
                                                  for a in december.assignments))
    added = cli("roster", "override", "2026-12-20", "day", second, "--reason", "加岗",
                "--force")
    assert added.exit_code == 0, added.stderr
    rows = json.loads(cli("roster", "show", "--month", "2026-12", "-f", "json").stdout)
    on_day = sorted(row["staff"] for row in rows if row["date"] == "2026-12-20"
                    and row["shift"] == "day" and row["role"] == "service")
    assert on_day == sorted([holder, second])
    grid = cli("roster", "show", "--month", "2026-12").stdout  # the seat every other day lacks
    lacking = grid.count("[1 客服专员 missing]")
    assert lacking >= 28, grid
    # the data formats say it as the grid does: an open place (they had none)
    open_day = [row for row in rows if row["shift"] == "day" and row["role"] == "service"
                and row["staff"] is None]
    assert len(open_day) == lacking, open_day
    sheet = cli("roster", "export", "--month", "2026-12", "-f", "csv").stdout
    assert sum(1 for line in sheet.splitlines()[1:] if ",day," in line and ",service,," in line
               ) == lacking, sheet
    # the reports count that seat unfilled as the grid says it (they said 缺人 0, 100%)
    request.getfixturevalue("clock").set("2026-12-22T10:00:00+08:00")
    report = json.loads(cli("report", "daily", "--date", "2026-12-21", "-f", "json").stdout)
    (row,) = [row for row in report["coverage"]["by_shift"]
              if row["shift"] == "day" and row["role"] == "service"]
    assert (row["filled"], row["unfilled"]) == (1, 1), row
    assert report["coverage"]["rate"] < 1 and report["alerts"]["unfilled"] >= 1
    on_20th = json.loads(cli("report", "daily", "--date", "2026-12-20", "-f", "json").stdout)
    (row,) = [row for row in on_20th["coverage"]["by_shift"]
              if row["shift"] == "day" and row["role"] == "service"]
    assert (row["filled"], row["unfilled"]) == (2, 0), row  # the seat the override filled
    # the mark of a manual change is said under the grid, in the desk's words too
    assert grid.splitlines()[-1].startswith("* a manual change (roster override or roster "
                                            "swap)"), grid
    zh = cli("--lang", "zh_CN", "排班", "查看", "--月份", "2026-12").stdout
    assert zh.splitlines()[-1].startswith("* 手工调整（顶班或换班）"), zh


UNREAD_OVERRIDE = ('overrides:\n  - {date: "2026-12-24", shift: day, role: service, '
                   'staff: chenjing, replaces: zhaolei, kind: override, reason: 病假, '
                   'by: zhangwei}\n')  # written by hand: no `at`


@pytest.mark.parametrize("change", [
    ["override", "2026-12-20", "day", "{free}", "--role", "service", "--reason", "调班",
     "--force"],
    ["generate", "--month", "2026-12"],
])
def test_a_roster_read_in_part_is_never_rewritten_without_what_was_not_read(
        december, cli, workspace, clock, change):
    """An override written by hand without its `at`: `roster override` and `swap` rewrote
    the file from what was read, and `generate` took it for a roster without changes; the
    override was gone without a word."""
    clock.set("2026-11-20T10:00:00+08:00")  # the month to come: no day of it begun
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    assert "overrides: []\n" in text
    path.write_text(text.replace("overrides: []\n", UNREAD_OVERRIDE), encoding="utf-8")
    before = path.read_bytes()
    busy = {a.staff for a in december.assignments if a.day == date(2026, 12, 20)}
    free = next(staff for staff in ("lina", "chenjing", "zhangwei", "sunli") if staff not in busy)
    refused = cli("roster", *(word.format(free=free) for word in change))
    assert refused.exit_code == 2
    assert refused.stderr.startswith("rosters/2026-12.yaml cannot be read"), refused.stderr
    assert "overrides[0]: missing when it was made (at)" in refused.stderr, refused.stderr
    assert path.read_bytes() == before


def _december_override(workspace, override: str) -> int:
    """December's roster with one override written by hand (a flow mapping): its line."""
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("overrides: []\n", f"overrides:\n  - {override}\n"),
                    encoding="utf-8")
    return text[:text.index("overrides: []")].count("\n") + 2


def test_an_override_written_by_hand_without_by_and_at_says_both_in_chinese(december, cli,
                                                                            workspace):
    """`overrides[0].by: 必须填写` and `overrides[0].at: 必须填写`, two lines naming English
    keys a clerk does not know: one line, what is missing in Chinese and the key in brackets
    (roster files keep English keys), as a rules finding names its rules.yaml key."""
    line = _december_override(workspace, '{date: "2026-12-24", shift: day, role: service, '
                              'staff: chenjing, replaces: zhaolei, reason: 病假, at: null}')
    checked = cli("--lang", "zh_CN", "roster", "check", "--month", "2026-12")
    assert checked.exit_code == 1  # a finding, as the override of no role is
    said = [said for said in (checked.stdout + checked.stderr).splitlines() if "overrides" in said]
    assert said == [f"rosters/2026-12.yaml:{line}: overrides[0]: 缺少 修改人（by）、修改时间（at）"], \
        checked.stdout + checked.stderr


@pytest.mark.parametrize("lang, said", [
    ("en", "missing date, shift, who is on duty (staff), reason, who made the change (by)"),
    ("zh_CN", "缺少 日期（date）、班次（shift）、值班人（staff）、原因（reason）、修改人（by）")])
def test_an_override_missing_keys_names_a_key_once_where_its_word_is_the_key(
        december, cli, workspace, lang, said):
    """In English `missing date (date), shift (shift), …, reason (reason)`: a word that is
    its key is said alone, the key in brackets only where the word differs."""
    line = _december_override(workspace, '{role: service, replaces: zhaolei, '
                              'at: "2026-12-01T10:00:00+08:00"}')
    checked = cli("--lang", lang, "roster", "check", "--month", "2026-12")
    found = [found for found in (checked.stdout + checked.stderr).splitlines()
             if "overrides[0]" in found]
    assert found == [f"rosters/2026-12.yaml:{line}: overrides[0]: {said}"], \
        checked.stdout + checked.stderr


def test_an_override_of_no_role_and_no_one_replaced_is_said_at_its_line(december, cli,
                                                                        workspace):
    """Written by hand without `role` and with `replaces: null`: it made a place of no role,
    a `who` row with an empty role and check's "does not have the role " (nothing after)."""
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("overrides: []\n", (
        'overrides:\n  - {date: "2026-12-20", shift: day, staff: lina, replaces: null, '
        'kind: override, reason: 帮忙, by: zhangwei, at: "2026-12-01T10:00:00+08:00"}\n')),
        encoding="utf-8")
    line = text[:text.index("overrides: []")].count("\n") + 2
    checked = cli("roster", "check", "--month", "2026-12")
    assert checked.exit_code == 1
    assert f"rosters/2026-12.yaml:{line}: overrides[0].role: is required where replaces is " \
           "empty: the role of the open place it fills" in checked.stdout, checked.stdout
    assert "does not have the role \n" not in checked.stdout


def test_an_override_may_replace_someone_taken_out_of_the_rules(december, cli, workspace,
                                                                clock):
    """高峰 left and was taken out of the rules: `roster check` named his places, but
    `--replaces gaofeng` was refused as no staff member, so no override could mend them."""
    clock.set("2026-11-20T10:00:00+08:00")
    held = next(a for a in december.assignments if a.staff == "gaofeng")
    edit_rules(workspace, "  - id: gaofeng\n    name: 高峰\n    roles: [technician]\n", "")
    on_shift = {a.staff for a in december.assignments
                if a.day == held.day and a.shift == held.shift}
    stand_in = next(s for s in ("wangqiang", "liuyang", "zhaolei") if s not in on_shift)
    mended = cli("roster", "override", str(held.day), held.shift, stand_in, "--replaces",
                 "gaofeng", "--reason", "离职", "--force")
    assert mended.exit_code == 0, mended.stderr
    nobody = cli("roster", "override", str(held.day), held.shift, "sunli", "--replaces",
                 "nobody-here", "--reason", "x", "--force")
    assert nobody.exit_code == 2 and "nobody-here is not on" in nobody.stderr, nobody.stderr


def test_who_says_the_roster_holds_a_shift_the_rules_no_longer_have(december, cli,
                                                                    workspace):
    """The night shift renamed in the rules after the roster was made: `who` at 21:00 said
    "nobody is on duty" (exit 1) with no word of why, while the roster has someone on."""
    rules = workspace.rosters_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count("  - id: night\n") == 1
    rules.write_text(text.replace("  - id: night\n", "  - id: overnight\n").replace(
        "avoid: [night]", "avoid: [overnight]"), encoding="utf-8")
    who = cli("who", "--at", "2026-12-02 21:00")
    assert who.exit_code == 1
    assert "the roster holds places of shifts the rules no longer have (night): they are " \
           "not shown here; 'dutyctl roster check' lists them" in who.stderr, who.stderr
    day = cli("who", "--at", "2026-12-02 10:00")  # the night before ran into the morning
    assert day.exit_code == 0 and "(night)" in day.stderr, day.stderr
    # the month's views: stats counted no night for anyone, with no word why
    for view in (("stats",), ("show",), ("export", "-f", "csv")):
        said = cli("roster", *view, "--month", "2026-12")
        assert said.exit_code == 0 and "shifts the rules no longer have (night)" in \
            said.stderr, (view, said.stderr)


def test_a_shift_the_rules_added_since_the_roster_shows_its_open_places(december, cli,
                                                                        workspace):
    """中班 added after December was generated: `roster check` listed each day's coverage,
    while the grid showed a blank column and the data formats nothing."""
    rules = workspace.rosters_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "\nshifts:\n" in text
    rules.write_text(text.replace("\nshifts:\n", "\nshifts:\n  - id: middle\n    name: 中班\n"
                                  "    start: \"12:00\"\n    end: \"20:00\"\n"
                                  "    need: {service: 1}\n", 1), encoding="utf-8")
    grid = cli("roster", "show", "--month", "2026-12")
    assert grid.exit_code == 0, grid.stderr
    assert grid.stdout.count("[1 客服专员 missing]") >= 31, grid.stdout
    rows = json.loads(cli("roster", "show", "--month", "2026-12", "-f", "json").stdout)
    middle = [row for row in rows if row["shift"] == "middle"]
    assert len(middle) == 31 and all(row["staff"] is None for row in middle)
