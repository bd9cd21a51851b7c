"""Month boundaries: a month generated after its neighbour fills what a joint run fills."""

from __future__ import annotations

from datetime import date, timedelta

from dutyctl.roster.generate import generate
from dutyctl.roster.rosterfile import roster_path


def _month_end(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)


def test_october_then_november_with_the_template_rules_fills_every_place(cli, workspace):
    october = cli("roster", "generate", "--month", "2026-10")
    assert october.exit_code == 0, october.stderr
    november = cli("roster", "generate", "--month", "2026-11")
    assert november.exit_code == 0, november.stderr  # 2026-11-01's night included
    checked = cli("roster", "check")
    assert checked.exit_code == 0, checked.stdout


def test_a_year_month_by_month_covers_as_much_as_the_year_at_once(workspace):
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    joint = generate(workspace, first, last)
    joint_filled = len(joint.roster.assignments)
    assert joint.roster.unfilled == ()
    roster_path(workspace, first, last).unlink()
    filled, unfilled = 0, []
    month = first
    while month <= last:
        result = generate(workspace, month, _month_end(month))
        filled += len(result.roster.assignments)
        unfilled += result.roster.unfilled
        month = _month_end(month) + timedelta(days=1)
    assert unfilled == [] and filled == joint_filled


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
