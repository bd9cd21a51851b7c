"""Coverage of the day: the `coverage:` rule (default around the clock) and every hole that
generate, `roster check` and `check` report with its times."""

from __future__ import annotations

import json
import os
from datetime import date, datetime

from dutyctl.roster.coverage import Coverage, holes, parse_range
from dutyctl.roster.onduty import Slot
from dutyctl.roster.rules import load_rules
from dutyctl.roster.timeline import Work
from tests.entrypoint import run_forked
from tests.helpers_roster import SHANGHAI, parse, problems_of, rules_text, write_rules

LATE_NIGHT = """\
- {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 1}}
- {id: night, name: 夜班, start: "21:00", end: "08:00", days: daily, need: {service: 1}}
"""
STAFF = "".join(f"- {{id: p{n}, name: 员工{n}, roles: [service]}}\n" for n in range(1, 6))


def test_generate_check_and_roster_check_report_each_hole_with_its_times(cli, workspace):
    write_rules(workspace, rules_text(LATE_NIGHT, STAFF, coverage=None))  # default: 24x7
    generated = cli("roster", "generate", "--month", "2026-12")
    assert generated.exit_code == 1
    holes_said = [line for line in generated.stderr.splitlines() if "coverage of the day" in line]
    # the same hour every day is one line, not 31 (as `roster check` lists each, below)
    assert holes_said == ["rosters/2026-12.yaml: coverage of the day: Tue 12-01 to Thu 12-31, "
                          "every day 20:00–21:00 nobody on duty (31 days)"]
    checked = cli("roster", "check")
    assert checked.exit_code == 1
    assert "rosters/2026-12.yaml: coverage of the day: Thu 12-31 20:00–21:00 nobody on duty" \
        in checked.stdout.splitlines()
    assert cli("check").exit_code == 1
    assert "Tue 12-15 20:00–21:00" in cli("check").stdout


def test_a_coverage_rule_limited_to_the_evening_and_a_role(cli, workspace):
    text = rules_text(LATE_NIGHT, STAFF, coverage='coverage: {hours: ["08:00-20:00"], '
                                                  'roles: [service]}')
    write_rules(workspace, text)
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    assert cli("roster", "check").exit_code == 0


def _slot(day: int, start: int, end_day: int, end: int, staff="p1", role="service") -> Slot:
    return Slot(date(2026, 12, day), "x", "x", role, staff,
                datetime(2026, 12, day, start, tzinfo=SHANGHAI),
                datetime(2026, 12, end_day, end, tzinfo=SHANGHAI))


def test_an_unfilled_night_is_one_hole_across_midnight():
    slots = [_slot(5, 8, 5, 20), _slot(5, 20, 6, 8, staff=None), _slot(6, 8, 6, 20),
             _slot(6, 20, 7, 8)]
    found = holes(Coverage(), slots, date(2026, 12, 5), date(2026, 12, 6), SHANGHAI)
    assert [h.describe() for h in found] == [
        "coverage of the day: Sat 12-05 20:00–Sun 12-06 08:00 nobody on duty"]
    # a guard on duty does not count when the rule asks for service
    guard = [_slot(5, 20, 6, 8, staff="g1", role="guard")]
    only_service = Coverage(roles=("service",))
    assert len(holes(only_service, slots + guard, date(2026, 12, 5), date(2026, 12, 6),
                     SHANGHAI)) == 1
    assert holes(Coverage(), slots + guard, date(2026, 12, 5), date(2026, 12, 6),
                 SHANGHAI) == []


def test_before_the_first_shift_nothing_is_required_unless_a_roster_holds_the_day_before():
    slots = [_slot(1, 8, 1, 20), _slot(1, 20, 2, 8)]
    assert holes(Coverage(), slots, date(2026, 12, 1), date(2026, 12, 1), SHANGHAI) == []
    (hole,) = holes(Coverage(), slots, date(2026, 12, 1), date(2026, 12, 1), SHANGHAI,
                    opened=True)
    assert hole.describe() == "coverage of the day: Tue 12-01 00:00–08:00 nobody on duty"


def test_coverage_rule_is_checked_in_the_rules():
    assert parse_range("20:00-08:00") is not None and parse_range("00:00-24:00") is not None
    assert parse_range("8-20") is None and parse_range("08:00-08:00") is None
    bad = rules_text(LATE_NIGHT, STAFF, coverage='coverage: {hours: ["8-20"], roles: [cook]}')
    found = problems_of(bad)
    assert any("coverage.hours[0]" in p and '"08:00-20:00"' in p for p in found), found
    assert any("coverage.roles" in p and "cook" in p for p in found), found


def _findings(result, rule: str) -> list[dict]:
    rows = json.loads(result.stdout)
    return [row["finding"] for row in rows if (row.get("finding") or {}).get("rule") == rule]


def test_roster_check_and_check_give_each_hole_as_data(cli, workspace):
    write_rules(workspace, rules_text(LATE_NIGHT, STAFF, coverage=None))
    cli("roster", "generate", "--month", "2026-12")
    checked = cli("roster", "check", "2026-12", "-f", "json")
    assert checked.exit_code == 1
    found = _findings(checked, "coverage_hours")
    assert len(found) == 31
    assert found[0] == {"rule": "coverage_hours", "start": "2026-12-01T20:00:00+08:00",
                        "end": "2026-12-01T21:00:00+08:00", "hours": 1.0}
    whole = cli("check", "-f", "json")
    assert whole.exit_code == 1
    assert {"rule": "coverage_hours", "start": "2026-12-15T20:00:00+08:00",
            "end": "2026-12-15T21:00:00+08:00", "hours": 1.0} in _findings(whole,
                                                                       "coverage_hours")


def test_holes_in_chinese(cli, workspace, monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    write_rules(workspace, rules_text(LATE_NIGHT, STAFF, coverage=None))
    generated = cli("roster", "generate", "--month", "2026-12")
    assert generated.exit_code == 1
    line = next(line for line in generated.stderr.splitlines() if "20:00–21:00" in line)
    assert line == ("rosters/2026-12.yaml: 全天值守：12月1日 周二至12月31日 周四，每天 20:00–21:00 "
                    "无人值班（共 31 天）"), line


def test_the_program_reports_the_hole(workspace):
    write_rules(workspace, rules_text(LATE_NIGHT, STAFF, coverage=None))
    env = {"DUTYCTL_LANG": "en"}
    made = _program(workspace, env, "roster", "generate", "--from",
                    "2026-12-01", "--to", "2026-12-02")
    assert made.returncode == 1
    assert "rosters/2026-12-01_2026-12-02.yaml: coverage of the day: Wed 12-02 20:00–21:00 " \
           "nobody on duty" in made.stderr.splitlines()
    checked = _program(workspace, env, "roster", "check", "-f", "json")
    assert checked.returncode == 1
    holes_found = [row["finding"] for row in json.loads(checked.stdout)
                   if row.get("finding", {}).get("rule") == "coverage_hours"]
    assert [(h["start"], h["end"]) for h in holes_found] == [
        ("2026-12-01T20:00:00+08:00", "2026-12-01T21:00:00+08:00"),
        ("2026-12-02T20:00:00+08:00", "2026-12-02T21:00:00+08:00")]


def _program(workspace, env: dict, *args: str):
    """Through the console script's entry point, in a fork (tests/entrypoint.py)."""
    return run_forked(["--root", str(workspace.root), *args], cwd=workspace.root,
                      env={**os.environ, "DUTYCTL_USER": "zhangwei", **env})


def _splits(coverage: str | None, history: dict | None = None,
            filled=((5, "day"), (5, "night"), (6, "day"), (6, "night")),
            emptied=(5, "day")) -> bool:
    """Day (08-20) and night (20-08) shifts 12-05..12-07, the `filled` ones held: would
    emptying `emptied` to staff 12-07's day shift split a stretch with nobody on duty
    (`Solver._splits_cover`)?"""
    from dutyctl.roster.positions import expand
    from dutyctl.roster.solver import Solver

    rules = parse(rules_text(LATE_NIGHT.replace('"21:00"', '"20:00"'), STAFF,
                             coverage=coverage))
    first, last = date(2026, 12, 5), date(2026, 12, 7)
    solver = Solver(rules, expand(rules, first, last, SHANGHAI), first, last, history=history)

    def place(day: int, shift: str) -> int:
        return solver.key_index[(date(2026, 12, day), shift, "service", 0)]

    for s, (day, shift) in enumerate(filled):
        solver.assign(s % 3, place(day, shift))
    return solver._splits_cover(place(*emptied), place(7, "day"))


def _night_before(role: str = "service") -> dict:
    start = datetime(2026, 12, 4, 20, tzinfo=SHANGHAI)
    end = datetime(2026, 12, 5, 8, tzinfo=SHANGHAI)
    return {"p9": [Work(int(start.timestamp()), int(end.timestamp()), start.toordinal(), True,
                        12.0, (date(2026, 12, 4), "night", role, 0))]}


def test_a_move_splitting_a_hole_counts_the_neighbouring_roster_s_night():
    """12-05's day shift emptied: a hole only if the previous roster's night covers the small
    hours before it (without it, the time before 12-05 08:00 is one stretch with it)."""
    around_the_clock = None
    assert not _splits(around_the_clock)
    assert _splits(around_the_clock, _night_before())
    # a guard's night does not count when the rule asks for service
    assert not _splits('coverage: {hours: ["00:00-24:00"], roles: [service]}',
                       _night_before("guard"))


def test_a_move_splitting_a_hole_counts_only_the_coverage_rule_s_hours():
    """12-05's night emptied for 12-07's day, 12-05's and 12-06's days held: around the clock
    the night between them becomes a hole of its own; with a rule asking for days only
    (08:00-20:00) the nights never count and the move closes as many days as it opens."""
    night_for_a_day = {"filled": ((5, "day"), (5, "night"), (6, "day")),
                       "emptied": (5, "night")}
    assert _splits(None, **night_for_a_day)
    assert not _splits('coverage: {hours: ["08:00-20:00"]}', **night_for_a_day)


def test_the_required_hours_kept_for_a_rule_are_that_rule_s():
    """The spans a rule requires around a window are kept by the rule's identity (hashing the
    frozen rule at each of the solver's asks cost more than the count): asked again, the kept
    ones; two rules asked for the same days each get their own, and a rule read again from
    the same text (equal, another object) gets spans of its own, as `required` says."""
    from dutyctl.roster import coverage as coverage_module

    def coverage(rule):
        return parse(rules_text(LATE_NIGHT, STAFF, coverage=rule)).coverage

    around_the_clock, days_only = coverage(None), coverage('coverage: {hours: ["08:00-20:00"]}')
    first, last = date(2026, 12, 4), date(2026, 12, 7)
    spans = coverage_module._required_around(days_only, first, last, SHANGHAI)
    assert spans == tuple(coverage_module.required(days_only, first, last, SHANGHAI))
    assert coverage_module._required_around(days_only, first, last, SHANGHAI) is spans
    whole = coverage_module._required_around(around_the_clock, first, last, SHANGHAI)
    assert whole == tuple(coverage_module.required(around_the_clock, first, last, SHANGHAI))
    assert whole != spans
    again = coverage('coverage: {hours: ["08:00-20:00"]}')
    assert again == days_only and again is not days_only
    assert coverage_module._required_around(again, first, last, SHANGHAI) == spans


def test_two_holes_a_day_are_said_as_two_runs():
    """A day with two holes (07:00 and 19:00) interleaved the days (d1 07:00, d1 19:00, d2
    07:00 …): no two neighbours a day apart, so a week was 14 lines, not 2."""
    from dutyctl.roster.coverage import Hole, said_in_runs

    def hole(day, start, end):
        return Hole(datetime(2026, 12, day, start, tzinfo=SHANGHAI),
                    datetime(2026, 12, day, end, tzinfo=SHANGHAI))

    holes_found = [hole(day, start, start + 1) for day in range(1, 8) for start in (7, 19)]
    assert said_in_runs(holes_found) == [
        "coverage of the day: Tue 12-01 to Mon 12-07, every day 07:00–08:00 nobody on duty "
        "(7 days)",
        "coverage of the day: Tue 12-01 to Mon 12-07, every day 19:00–20:00 nobody on duty "
        "(7 days)"]
    # two days in a row are said each (a run is three or more), and a gap ends a run
    short = [hole(1, 7, 8), hole(2, 7, 8), hole(4, 7, 8), hole(5, 7, 8), hole(6, 7, 8)]
    said = said_in_runs(short)
    assert said[:2] == [h.describe() for h in short[:2]] and "(3 days)" in said[2], said


def test_check_finds_the_hole_the_shifts_leave_before_any_roster(cli, workspace):
    """A day shift ending at 20:00 before a night from 21:00 passed `检查` (一切正常) until a
    roster was generated, then came back 31 times: `check` warns of it from the rules."""
    write_rules(workspace, rules_text(LATE_NIGHT, STAFF, coverage=None))  # default: 24x7
    checked = cli("--lang", "zh_CN", "check")
    assert checked.exit_code == 0, checked.stdout  # a warning: no file is wrong yet
    said = [line for line in checked.stderr.splitlines() if "全天值守" in line]
    assert len(said) == 1 and "每天 20:00–21:00 也无人值班" in said[0], checked.stderr
    write_rules(workspace, rules_text(LATE_NIGHT.replace('"21:00"', '"20:00"'), STAFF,
                                      coverage=None))
    assert "coverage of the day" not in cli("check").stderr  # the night from 20:00: covered
    evening = rules_text(LATE_NIGHT, STAFF, coverage='coverage: {hours: ["08:00-20:00"]}')
    write_rules(workspace, evening)
    assert "全天值守" not in cli("--lang", "zh_CN", "check").stderr  # 20:00-21:00 not required


def test_a_hole_only_on_rest_days_is_said_so():
    """A front desk on working days only closing an office-hours rule's afternoon: a hole on
    rest days, none on working days."""
    from dutyctl.roster.coverage import RESTDAY, WORKDAY, pattern_holes

    shifts = parse(rules_text(
        '- {id: desk, name: 前台, start: "08:00", end: "17:00", days: workdays, '
        'need: {service: 1}}\n', STAFF, coverage='coverage: {hours: ["08:00-17:00"]}')).shifts
    found = pattern_holes(Coverage(hours=(parse_range("08:00-17:00"),)), shifts)
    assert found == {RESTDAY: ["08:00–17:00"]} and WORKDAY not in found


def test_a_check_builds_each_roster_s_slots_once_and_reads_an_edited_neighbour_anew(
        cli, workspace, monkeypatch):
    """A roster is its neighbours' neighbour and is read for their holes too: one check of
    the folder builds each file's slots once (November's, December's), and a file changed
    between two checks in one process is read as it is now: November's last night taken
    out leaves December's first small hours with nobody."""
    from dutyctl.roster import neighbours, onduty, validate

    for month in ("2026-11", "2026-12"):
        assert cli("roster", "generate", "--month", month).exit_code == 0
    assert cli("roster", "check").exit_code == 0
    built = []
    real = onduty.roster_slots
    for module in (onduty, neighbours, validate):  # each name a module may read it by
        monkeypatch.setattr(module, "roster_slots", lambda roster, *args: built.append(
            roster.path.name) or real(roster, *args), raising=False)
    november = workspace.rosters_dir / "2026-11.yaml"
    november.write_text(november.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli("roster", "check").exit_code == 0
    assert sorted(built) == ["2026-11.yaml"]  # December's kept: its file is as it was
    lines = november.read_text(encoding="utf-8").splitlines(keepends=True)
    night = next(n for n, line in enumerate(lines)
                 if '{date: "2026-11-30", shift: night,' in line)
    november.write_text("".join(lines[:night] + lines[night + 1:]), encoding="utf-8")
    checked = cli("roster", "check")
    assert checked.exit_code == 1
    assert "rosters/2026-12.yaml: coverage of the day: Tue 12-01 00:00–08:00 nobody on duty" \
        in checked.stdout.splitlines(), checked.stdout


def test_slots_kept_for_a_roster_are_its_file_s_as_it_is_now(cli, workspace):
    """A roster file rewritten after it was read (a pull in the middle of a check): the slots
    of the earlier read are built for it, never kept under the new file's stamp, where the
    next read of the file would find them."""
    from dutyctl.roster import onduty

    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    path = workspace.rosters_dir / "2026-12.yaml"
    rules, tz = load_rules(workspace), workspace.config.tz
    earlier = onduty.readable_roster(workspace, path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(n for n, line in enumerate(lines) if line.startswith("  - {date: "))
    path.write_text("".join(lines[:first] + lines[first + 1:]), encoding="utf-8")
    assert onduty.cached_slots(earlier, rules, tz) == onduty.roster_slots(earlier, rules, tz)
    now = onduty.readable_roster(workspace, path)
    assert len(now.assignments) == len(earlier.assignments) - 1
    assert onduty.cached_slots(now, rules, tz) == onduty.roster_slots(now, rules, tz)


def test_a_roster_built_in_memory_is_checked_for_holes_too(cli, workspace):
    """A roster no file holds (`path` None: the benchmark's round-robin baseline, built in
    memory) gets its slots built for the holes check, not looked up by a file's stamp."""
    from dutyctl.frozen import replace
    from dutyctl.roster import onduty
    from dutyctl.roster.validate import check_roster

    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    path = workspace.rosters_dir / "2026-12.yaml"
    rules, tz = load_rules(workspace), workspace.config.tz
    on_file = onduty.readable_roster(workspace, path)
    in_memory = replace(on_file, path=None)
    assert onduty.cached_slots(in_memory, rules, tz) == onduty.roster_slots(on_file, rules, tz)
    problems = [p.message for p in check_roster(workspace, rules, in_memory, "2026-12")]
    assert problems == [p.message for p in check_roster(workspace, rules, on_file, "2026-12")]


DESK = """\
- {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 1}}
- {id: night, name: 夜班, start: "20:00", end: "08:00", days: daily, need: {service: 1}}
- {id: office, name: 前台, start: "08:30", end: "17:30", days: workdays, need: {service: 1}}
"""
DESK_WEEK = (date(2026, 12, 7), date(2026, 12, 13))  # Monday to Sunday, no holiday


def _desk_solver(held: dict[str, list[tuple[int, str]]], shifts: str = DESK,
                 staff: str = "- {id: a, name: 阿, roles: [service]}\n"
                              "- {id: b, name: 贝, roles: [service]}\n",
                 coverage: str | None = None):
    """A solver of `shifts`' week (DESK's) with `staff` (clerks a and b) holding `held`
    (December's days), the coverage rule `coverage` (None: around the clock, anyone)."""
    from dutyctl.roster import positions as positions_module
    from dutyctl.roster.solver import Solver

    rules = parse(rules_text(shifts, staff, "max_hours_per_week: 48\nmin_rest_hours: 12\n",
                             coverage=coverage))
    solver = Solver(rules, positions_module.expand(rules, *DESK_WEEK, SHANGHAI), *DESK_WEEK)
    for staff_id, places in held.items():
        for day, shift in places:
            solver.assign(solver.index[staff_id],
                          solver.key_index[(date(2026, 12, day), shift, "service", 0)])
    solver.log.clear()
    solver.start_levelling()
    return solver


def _holder(solver, day: int, shift: str) -> str | None:
    s = solver.assigned[solver.key_index[(date(2026, 12, day), shift, "service", 0)]]
    return None if s is None else solver.members[s].id


def _within(holes, before) -> bool:
    """Is each hole of `holes` inside one of `before` (no time uncovered that was covered)?"""
    return all(any(lo <= start and end <= hi for lo, hi in before) for start, end in holes)


def test_a_night_with_nobody_on_site_takes_the_office_clerk_whose_days_are_covered():
    """Monday's night has nobody on site while a spends the week in the office beside b's
    day shifts: a gives up Monday's and Tuesday's office (too soon before and after the
    night; b's days cover their hours) and takes the night. Seating a shift with nobody
    alone never does it: the office is a shift's only seat too."""
    solver = _desk_solver({"a": [(day, "office") for day in range(7, 12)],
                           "b": [(day, "day") for day in range(7, 11)]})
    monday_night = (int(datetime(2026, 12, 7, 20, tzinfo=SHANGHAI).timestamp()),
                    int(datetime(2026, 12, 8, 8, tzinfo=SHANGHAI).timestamp()))
    solver.seat_lone_shifts()
    before = solver._holes()
    assert (_holder(solver, 7, "night"), before[0]) == (None, monday_night)
    solver.close_holes()
    after = solver._holes()
    assert _holder(solver, 7, "night") == "a"
    assert (_holder(solver, 7, "office"), _holder(solver, 8, "office")) == (None, None)
    assert monday_night not in after and _within(after, before)
    assert sum(end - start for start, end in after) < sum(end - start for start, end in before)
    # every office given up stood beside a day shift held: its hours stay covered
    assert all(_holder(solver, day, "day") is not None for day in range(7, 12)
               if _holder(solver, day, "office") is None)
    assert all(timeline.violations() == [] for timeline in solver.timelines)


def test_a_place_whose_time_nobody_else_covers_is_not_given_up_for_a_hole():
    """Without b's Tuesday day shift, Tuesday's office is the only one on site from 08:30 to
    17:30: a giving it up for Monday's night would open a hole as it closes one, so the
    night stays open. Then b, free, takes Tuesday's day, and a Tuesday's night (the offices
    of Tuesday and Wednesday now beside a day shift)."""
    solver = _desk_solver({"a": [(day, "office") for day in range(7, 12)],
                           "b": [(7, "day"), (9, "day"), (10, "day")]})
    before = solver._holes()
    solver._close_each_hole()
    assert [_holder(solver, 7, "night"), _holder(solver, 8, "day"),
            _holder(solver, 8, "night")] == [None, "b", "a"]
    assert _within(solver._holes(), before)


def test_a_week_two_clerks_are_away_keeps_its_nights_covered(cli, workspace, monkeypatch):
    """The `init` rules with two of five clerks on leave the week of 12-14: the offices and
    second day seats of that week used the three clerks' hours, and its last nights (17 to
    20 December) had nobody on site. Now each takes a clerk who gives up places others
    cover: `roster check` finds no hole; with the step off, that week's nights again."""
    from dutyctl.roster.solver import Solver
    from tests.helpers_roster import edit_rules

    for member in ("sunli", "chenjing"):
        leave = '    leave: [{from: "2026-12-14", to: "2026-12-20"}]\n'
        edit_rules(workspace, f"  - id: {member}\n", f"  - id: {member}\n{leave}")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 1  # places open
    checked = cli("roster", "check", "2026-12", "-f", "json")
    assert _findings(checked, "coverage_hours") == []
    (workspace.rosters_dir / "2026-12.yaml").unlink()
    monkeypatch.setattr(Solver, "close_holes", lambda self: None)
    cli("roster", "generate", "--month", "2026-12")
    before = _findings(cli("roster", "check", "2026-12", "-f", "json"), "coverage_hours")
    assert before and all("2026-12-14" <= hole["start"][:10] <= "2026-12-20"
                          and hole["start"][11:16] == "20:00" for hole in before), before


def test_the_holes_benchmark_counts_each_way_with_the_step_and_without(capsys):
    """`benchmarks/holes_bench.py` on its first random site (two clerks, a supervisor who is
    a clerk too, technicians; October to December): the four ways' totals, each with no
    hard rule broken, and fewer holes with the step than without it, both ways."""
    from benchmarks.holes_bench import main

    main(["--sites", "0-0", "--quiet"])
    totals = {}
    for line in capsys.readouterr().out.splitlines():
        mode, figures = line.split("holes")
        words = figures.replace("(", " ").replace(")", " ").split()
        totals[mode.strip()] = {"holes": int(words[0]), "hard": int(words[-1])}
    assert set(totals) == {"at once", "at once, before", "by month", "by month, before"}
    assert all(found["hard"] == 0 for found in totals.values())
    for mode in ("at once", "by month"):
        assert totals[mode]["holes"] < totals[mode + ", before"]["holes"], totals


def test_a_hole_of_the_roles_the_rule_counts_is_closed_with_a_place_of_those_roles():
    """`coverage: roles: [service]`: a technician's night on site does not cover the desk. The
    technician, free, could take Monday's open technician night, but that closes no hole of
    the rule; a gives up the offices and takes the clerks' night (the technician's place
    stayed first in the fill order and was taken instead, the clerks' night never tried)."""
    shifts = DESK + ('- {id: tech-night, name: 技术夜班, start: "20:00", end: "08:00", '
                     'days: daily, need: {technician: 1}}\n')
    staff = ("- {id: a, name: 阿, roles: [service]}\n- {id: b, name: 贝, roles: [service]}\n"
             "- {id: t, name: 陶, roles: [technician]}\n")
    solver = _desk_solver({"a": [(day, "office") for day in range(7, 12)],
                           "b": [(day, "day") for day in range(7, 11)]}, shifts, staff,
                          'coverage: {hours: ["00:00-24:00"], roles: [service]}')
    solver._close_each_hole()
    assert _holder(solver, 7, "night") == "a"
    technician_night = solver.key_index[(date(2026, 12, 7), "tech-night", "technician", 0)]
    assert solver.assigned[technician_night] is None


def test_who_counts_on_site_only_the_roles_the_coverage_rule_counts(cli, workspace):
    """`coverage: roles: [service]`: a technician alone on site at night is a hole to `roster
    check`; `who` without --role said him and exit 0, as if the desk were covered. It now
    says him, and that nobody the rule counts is on duty, exit 1, as `roster check` does;
    with --role technician he is who was asked for (exit 0)."""
    shifts = ('- {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, '
              'need: {service: 1}}\n'
              '- {id: tech-night, name: 技术夜班, start: "20:00", end: "08:00", days: daily, '
              'need: {technician: 1}}\n')
    staff = ("- {id: a, name: 阿, roles: [service]}\n- {id: b, name: 贝, roles: [service]}\n"
             "- {id: t, name: 陶, roles: [technician]}\n- {id: u, name: 乌, roles: [technician]}\n")
    write_rules(workspace, rules_text(shifts, staff, coverage='coverage: {hours: '
                                      '["00:00-24:00"], roles: [service]}'))
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 1
    checked = cli("roster", "check")
    assert "Tue 12-15 20:00–Wed 12-16 08:00 nobody on duty" in checked.stdout, checked.stdout
    night = cli("who", "--at", "2026-12-15 23:00")
    assert night.exit_code == 1, (night.stdout, night.stderr)
    assert "陶" in night.stdout, night.stdout
    assert night.stderr == ("nobody is on duty at 2026-12-15 23:00 as the coverage rule counts "
                            "(roles: 客服专员): on site only 维修工 ('dutyctl roster check' "
                            "lists the hours nobody covers)\n"), night.stderr
    assert cli("who", "--at", "2026-12-15 23:00", "--role", "technician").exit_code == 0
    chinese = cli("--lang", "zh", "who", "--at", "2026-12-15 23:00")
    assert chinese.stderr.startswith("2026-12-15 23:00 值守规则要求的岗位（客服专员）无人在岗："
                                     "现场只有 维修工"), chinese.stderr
    day = cli("who", "--at", "2026-12-15 10:00")
    assert day.exit_code == 0, (day.stdout, day.stderr)


def test_a_rule_of_fewer_than_24_hours_is_named_by_its_hours(cli, workspace, monkeypatch):
    """`coverage: hours: ["07:00-23:00"]` was still called 全天值守 (coverage of the day) in
    every hole and in check's warning of the shifts' own holes: it is named by its hours,
    值守时段 07:00–23:00 (covered hours 07:00–23:00); the whole day keeps its name."""
    shifts = ('- {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, '
              'need: {service: 1}}\n')
    write_rules(workspace, rules_text(shifts, STAFF,
                                      coverage='coverage: {hours: ["07:00-23:00"]}'))
    found = cli("check")
    assert ("warning: rosters/rules.yaml:12: covered hours 07:00–23:00: the shifts leave "
            "07:00–08:00, 20:00–23:00 with nobody on duty on every day, every seat filled: "
            "each roster will have these holes") in found.stderr.splitlines(), found.stderr
    generated = cli("roster", "generate", "--from", "2026-12-01", "--to", "2026-12-02")
    assert ("rosters/2026-12-01_2026-12-02.yaml: covered hours 07:00–23:00: Tue 12-01 "
            "20:00–23:00 nobody on duty") in generated.stderr.splitlines(), generated.stderr
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    checked = cli("roster", "check")
    assert ("rosters/2026-12-01_2026-12-02.yaml: 值守时段 07:00–23:00：12月2日 周三 "
            "07:00–08:00 无人值班") in checked.stdout.splitlines(), checked.stdout
    write_rules(workspace, rules_text(shifts, STAFF, coverage='coverage: {hours: '
                                      '["08:00-20:00", "20:00-08:00"]}'))
    assert "全天值守：" in cli("check").stderr
