"""Month boundaries: a month generated after its neighbour fills what a joint run fills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from dutyctl.roster import stats
from dutyctl.roster.generate import generate
from dutyctl.roster.rules import load_rules
from dutyctl.roster.solver import Solver
from dutyctl.workspace import Workspace
from tests.conftest import auto_commit_off, new_workspace


def _month_end(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)


def test_october_then_november_with_the_template_rules_fills_every_place(cli, workspace):
    october = cli("roster", "generate", "--month", "2026-10")
    assert october.exit_code == 0, october.stderr
    november = cli("roster", "generate", "--month", "2026-11")
    assert november.exit_code == 0, november.stderr  # 2026-11-01's night included
    checked = cli("roster", "check")
    assert checked.exit_code == 0, checked.stdout


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_year_month_by_month_covers_as_much_as_the_year_at_once(workspace, seed,
                                                                  year_month_by_month):
    """Seed 2 left 2026-11-01's night open (October used up the hours of the ISO week that
    ends on it: now October plans through that Sunday); seed 1 left 2026-12-13's night open
    (a week packed to its last hour, lina on leave: now a deeper repair for the last few)."""
    joint = generate(workspace, date(2026, 1, 1), date(2026, 12, 31), seed=seed)
    assert joint.roster.unfilled == ()
    by_month = year_month_by_month(seed)
    assert by_month.unfilled == [] and by_month.filled == len(joint.roster.assignments)


def test_a_month_reads_the_later_roster_that_already_exists(cli, workspace):
    """November first, then October: October's last week shares its ISO week and the rest
    after 10-31's night with November's first days, which it must not break."""
    assert cli("roster", "generate", "--month", "2026-11").exit_code == 0
    october = cli("roster", "generate", "--month", "2026-10")
    assert october.exit_code == 0, october.stderr
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    november = cli("roster", "generate", "--month", "2026-11")  # between two neighbours
    assert november.exit_code == 0, november.stderr
    checked = cli("roster", "check")
    assert checked.exit_code == 0, checked.stdout


@dataclass
class ByMonth:
    filled: int
    unfilled: list
    counts: dict[str, dict[str, float]]  # per staff, the year's


@pytest.fixture(scope="module")
def year_month_by_month(tmp_path_factory, _new_workspace):
    """2026 generated month by month with a seed, in a new workspace of its own: made once
    for the module (the coverage and the levelling test ask about the same years), when a
    test first asks, so under that test's fixtures."""
    years: dict[int, ByMonth] = {}

    def year(seed: int) -> ByMonth:
        if seed not in years:
            root = tmp_path_factory.mktemp(f"year-{seed}") / "site"
            new_workspace(root, _new_workspace)
            auto_commit_off(root)
            years[seed] = _year_month_by_month(Workspace(root), seed)
        return years[seed]

    return year


def _year_month_by_month(workspace, seed: int) -> ByMonth:
    made = ByMonth(0, [], {})
    month = date(2026, 1, 1)
    while month.year == 2026:
        result = generate(workspace, month, _month_end(month), seed=seed)
        made.filled += len(result.roster.assignments)
        for staff, row in result.roster.stats["staff"].items():
            total = made.counts.setdefault(staff, dict.fromkeys(row, 0))
            for count, value in row.items():
                total[count] += value
        made.unfilled += result.roster.unfilled
        month = _month_end(month) + timedelta(days=1)
    return made


@pytest.mark.parametrize("seed", [0, 1])
def test_a_year_month_by_month_is_as_level_as_the_year_at_once(workspace, seed,
                                                              year_month_by_month):
    """Each month levels the year so far (the earlier months' loads carried): the year ends
    with the joint run's 0 nights and 0 weekend shifts between comparable staff and hours
    within one shift (before: 1 and 2 weekend shifts apart, up to 18 h)."""
    rules = load_rules(workspace)
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    counts = year_month_by_month(seed).counts
    spread = stats.spreads(rules, counts, first, last)
    assert year_month_by_month(seed).unfilled == []
    assert stats.groups(rules, first, last) == [["liuyang", "gaofeng"], ["chenjing", "sunli"]]
    assert spread["nights"] == 0 and spread["weekends"] == 0, counts
    assert spread["hours"] <= 9, counts  # the shortest shift (office, 08:30-17:30)


def test_earlier_months_of_the_year_are_carried_into_the_next(workspace):
    """The load a month starts from: what each person worked earlier in the year beyond their
    share of their comparable group's total; other years' rosters do not count."""
    from dutyctl.roster.neighbours import year_to_date

    rules = load_rules(workspace)
    generate(workspace, date(2025, 12, 1), date(2025, 12, 31))
    assert year_to_date(workspace, rules, date(2026, 1, 1)) == []
    generate(workspace, date(2026, 1, 1), date(2026, 1, 31))
    generate(workspace, date(2026, 2, 1), date(2026, 2, 28))
    worked = year_to_date(workspace, rules, date(2026, 3, 1))
    assert {w.day.month for w in worked} == {1, 2}
    solver = Solver(rules, [], date(2026, 3, 1), date(2026, 3, 31), carried=worked)
    counts = stats.loads(rules, worked)
    nights = [counts[s]["nights"] for s in ("chenjing", "sunli")]
    index = {m.id: s for s, m in enumerate(rules.staff)}
    carried = [solver.loads[index[s]][1] for s in ("chenjing", "sunli")]
    assert carried == pytest.approx([nights[0] - sum(nights) / 2, nights[1] - sum(nights) / 2])
    assert solver.loads[index["zhangwei"]] == [0.0] * 5  # no comparable colleague


def test_the_carry_follows_the_groups_levelling_works_in(workspace):
    """lina's December leave keeps her out of a group compared over the whole year, but in
    March she is comparable with chenjing and sunli: all three are carried, each against a
    share in proportion to fte x available days since 1 January."""
    from dutyctl.roster.neighbours import year_to_date
    from dutyctl.roster.rules import METRICS
    from dutyctl.roster.stats import available_days

    rules = load_rules(workspace)
    first = date(2026, 3, 1)
    generate(workspace, date(2026, 1, 1), date(2026, 1, 31))
    generate(workspace, date(2026, 2, 1), date(2026, 2, 28))
    worked = year_to_date(workspace, rules, first)
    solver = Solver(rules, [], first, date(2026, 3, 31), carried=worked)  # no places: unit 1 h
    group = ["lina", "chenjing", "sunli"]
    assert group in stats.groups(rules, first, date(2026, 3, 31))
    members = {m.id: m for m in rules.staff}
    share = [members[s].fte * available_days(members[s], date(2026, 1, 1), date(2026, 2, 28))
             for s in group]
    counts = stats.loads(rules, worked)
    index = {m.id: s for s, m in enumerate(rules.staff)}
    for m, metric in enumerate(METRICS):
        held = [counts[s][metric] for s in group]
        expected = [amount - sum(held) * part / sum(share) for amount, part in zip(held, share)]
        assert [solver.loads[index[s]][m] for s in group] == pytest.approx(expected), metric


def test_a_month_plans_through_the_iso_week_that_crosses_its_end(workspace):
    """October 2026 ends on a Saturday: its places are planned with Sunday 11-01's, which are
    not written; not once November's roster exists (its shifts are then fixed context)."""
    from dutyctl.roster.neighbours import lookahead_end

    rules = load_rules(workspace)
    assert lookahead_end(workspace, rules, date(2026, 10, 31)) == date(2026, 11, 1)
    assert lookahead_end(workspace, rules, date(2026, 11, 29)) == date(2026, 11, 30)  # Sunday
    assert lookahead_end(workspace, rules, date(2026, 12, 2)) == date(2026, 12, 6)
    october = generate(workspace, date(2026, 10, 1), date(2026, 10, 31))
    assert max(a.day for a in october.roster.assignments) == date(2026, 10, 31)
    generate(workspace, date(2026, 11, 1), date(2026, 11, 30))
    assert lookahead_end(workspace, rules, date(2026, 10, 31)) is None


@pytest.mark.parametrize("need", [3, 4])
def test_the_days_ahead_never_cost_a_short_staffed_period_its_own_places(need):
    """Short-staffed, reserving hours for the next days' places would leave the period's own
    open (2026-11-01..05 with 3 day service places: 29 filled of 33 before)."""
    from dutyctl.roster.generate import plan
    from tests.test_roster_helpers import SHANGHAI, parse
    from tests.test_roster_shortage import template_rules

    rules = parse(template_rules(need))
    first, last = date(2026, 11, 1), date(2026, 11, 5)
    _, planned = plan(rules, first, last, SHANGHAI, 0, ahead=date(2026, 11, 8))
    _, alone = plan(rules, first, last, SHANGHAI, 0)
    assert planned.reasons  # short-staffed: places stay open either way
    assert len(planned.staff) == len(alone.staff)  # the days ahead are not in the solution
    assert sum(map(bool, planned.staff)) == sum(map(bool, alone.staff))
