"""Helpers shared by the roster tests (not tests themselves): small rules files, quick plans,
the `init` template's rules with more need, a plan's hard rules checked."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import dutyctl
from dutyctl.store import yamlio
from dutyctl.roster.generate import plan
from dutyctl.roster.positions import shift_bounds
from dutyctl.roster.rules import parse_rules
from dutyctl.roster.solver import work_of
from dutyctl.roster.timeline import Timeline
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


TEMPLATE = Path(dutyctl.__file__).parent / "templates" / "rosters" / "rules.yaml"
TEMPLATE_DAY_NEED = "need:                  # 各角色所需人数（角色见 dutyctl.yaml）\n" \
                    "      service: 1"


def template_rules(day_service: int, extra_service_staff: int = 0) -> str:
    """The `init` template with the day shift's service headcount raised, optionally with more
    service staff (the same month "with enough staff")."""
    text = TEMPLATE.read_text(encoding="utf-8")
    assert TEMPLATE_DAY_NEED in text
    text = text.replace(TEMPLATE_DAY_NEED, f"need:\n      service: {day_service}", 1)
    extra = "".join(f"  - {{id: x{k:02d}, name: x{k:02d}, roles: [service]}}\n"
                    for k in range(extra_service_staff))
    return text.replace("\nconstraints:", "\n" + extra + "constraints:", 1)


def assert_no_violations(rules, placed):
    """No hard rule broken by the [(position, staff or None)] placed (each one's Timeline)."""
    timelines = {}
    for position, who in placed:
        if who:
            timelines.setdefault(who, Timeline(rules.member(who).limits)).add(work_of(position))
    assert {who: t.violations() for who, t in timelines.items() if t.violations()} == {}


def shortest_shift(rules, roles) -> float:
    """The shortest shift on site (not on call) someone with any of `roles` can take, in
    hours, as a comparable group's hours spread may allow."""
    tz = zone("Asia/Shanghai")
    return min((end - start).total_seconds() / 3600
               for start, end in (shift_bounds(date(2026, 12, 1), shift, tz)
                                  for shift in rules.shifts
                                  if not shift.on_call and set(shift.roles) & set(roles)))


def lowering_by_rank_only(monkeypatch) -> None:
    """The odd ones above lowered in rank order alone, never in the reverse where that fails
    (`Levelling._lowering_orders`): the path M at half its staff took month by month when a
    test's December scenario was found. With the reverse, October evens its guards'
    holidays, and on seeds 0-4 December runs no late-stage re-share, mend or swap of days."""
    from dutyctl.roster.solver import Solver

    monkeypatch.setattr(Solver, "_lowering_orders", staticmethod(lambda above: (above,)))


def recorded(monkeypatch, owner: type, name: str) -> list:
    """Wrap `owner.name` for the test: each call runs as before and its result is appended
    to the list returned (did a step the test is about run, and keep something?)."""
    real = getattr(owner, name)
    results: list = []

    def wrapper(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        results.append(result)
        return result

    monkeypatch.setattr(owner, name, wrapper)
    return results


def bare_solver(shifts: str, staff: str, limits: str, first: date = date(2026, 12, 7),
                last: date = date(2026, 12, 13), extra: str = ""):
    """A bare solver over the week of Monday 7 December 2026 (or first..last; `extra`
    rules lines), levelling started, nobody assigned, for a roster a test sets up by hand;
    with the staff by id and `place(day, shift, seat)`, a service place of December."""
    from dutyctl.roster import positions as expand
    from dutyctl.roster.solver import Solver

    rules = parse(rules_text(shifts, staff, limits, extra))
    solver = Solver(rules, expand.expand(rules, first, last, SHANGHAI), first, last)
    solver.active = list(range(len(solver.positions)))
    solver.start_levelling()

    def place(day: int, shift: str, seat: int) -> int:
        return solver.key_index[(date(2026, 12, day), shift, "service", seat)]
    return solver, solver.index, place
