"""Helpers for the roster tests (no tests here): small rules files and quick plans."""

from __future__ import annotations

import textwrap
from datetime import date

from dutyctl.store import yamlio
from dutyctl.roster.generate import plan
from dutyctl.roster.rules import parse_rules
from dutyctl.timeutil import zone

SHANGHAI = zone("Asia/Shanghai")


NO_COVERAGE = "coverage: {hours: []}"  # most tests' shifts leave hours of the day open
# one day shift of one clerk, and one clerk: the smallest rules
DAY = """\
- id: day
  name: 白班
  start: "08:00"
  end: "20:00"
  need: {service: 1}
"""
ONE = """\
- {id: zhangwei, name: 张伟, roles: [service]}
"""


def rules_text(shifts: str, staff: str, constraints: str = "", extra: str = "",
               coverage: str | None = NO_COVERAGE) -> str:
    """Rules text; `coverage` is the coverage line (None: the default, around the clock)."""
    parts = ["calendar: {country: CN}", "shifts:", textwrap.indent(textwrap.dedent(shifts), "  "),
             "staff:", textwrap.indent(textwrap.dedent(staff), "  ")]
    if coverage:
        parts.append(coverage)
    if constraints:
        parts += ["constraints:", textwrap.indent(textwrap.dedent(constraints), "  ")]
    if extra:
        parts.append(textwrap.dedent(extra))
    return "\n".join(parts) + "\n"


def parse(text: str):
    rules, problems = parse_rules(yamlio.loads(text, "rules.yaml"), "rules.yaml")
    assert problems == [], [str(p) for p in problems]
    return rules


def problems_of(text: str) -> list[str]:
    _, problems = parse_rules(yamlio.loads(text, "rules.yaml"), "rules.yaml",
                              known_roles=["service", "technician", "supervisor", "guard",
                                           "cleaner"], site_timezone="Asia/Shanghai")
    return [str(p) for p in problems]


def solve_text(text: str, first: date, last: date, seed: int = 0, tz=SHANGHAI, history=None):
    """(rules, [(position, staff or None)], reasons by position key)."""
    rules = parse(text)
    positions, solution = plan(rules, first, last, tz, seed, history)
    reasons = {positions[i].key: reason for i, reason in solution.reasons.items()}
    return rules, list(zip(positions, solution.staff)), reasons


def write_rules(workspace, text: str) -> None:
    (workspace.rosters_dir / "rules.yaml").write_text(text, encoding="utf-8")


def edit_rules(workspace, old: str, new: str) -> int:
    """Replaces `old` (once) in the workspace's rules; the 1-based line where `new` starts."""
    path = workspace.rosters_dir / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def set_site_timezone(workspace, name: str) -> None:
    path = workspace.config_path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("timezone: Asia/Shanghai", f"timezone: {name}", 1),
                    encoding="utf-8")


def test_roster_period_defaults_and_refusals():
    from datetime import datetime

    import pytest

    from dutyctl.errors import InputError
    from dutyctl.roster.rosterfile import CURRENT, NEXT, roster_period

    tz = zone("Asia/Shanghai")
    now = datetime(2026, 12, 20, 9, 0, tzinfo=tz)
    assert roster_period(None, None, None, default=CURRENT, tz=tz, now=now) == (
        date(2026, 12, 1), date(2026, 12, 31))
    assert roster_period(None, None, None, default=NEXT, tz=tz, now=now) == (
        date(2027, 1, 1), date(2027, 1, 31))  # December's next month is in the next year
    assert roster_period("2027-02", None, None, default=NEXT, tz=tz, now=now) == (
        date(2027, 2, 1), date(2027, 2, 28))
    assert roster_period(None, "2026-12-24", "2026-12-26", default=NEXT, tz=tz, now=now) == (
        date(2026, 12, 24), date(2026, 12, 26))
    with pytest.raises(InputError) as both:
        roster_period("2027-01", "2027-01-01", None, default=NEXT, tz=tz, now=now)
    assert str(both.value) == "give either month or first/last, not both"
    with pytest.raises(InputError) as alone:
        roster_period(None, "2027-01-01", None, default=NEXT, tz=tz, now=now)
    assert str(alone.value.naming({"first": "--from", "last": "--to"}.get)) == (
        "--from and --to go together")



def test_a_shift_worked_knows_its_role_by_its_key():
    """Work.role: the role of a neighbouring roster's shift (its key: date, shift, role, seat),
    as the coverage rule counts it; None for a shift keyed by a label."""
    from dutyctl.roster.timeline import Work

    assert Work(0, 3600, 1, False, 1.0, (date(2026, 12, 1), "day", "frontdesk", 0)).role == \
        "frontdesk"
    assert Work(0, 3600, 1, False, 1.0, "a label").role is None
