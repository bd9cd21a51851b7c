"""The roster helpers' own small tests (the helpers: tests/helpers_roster.py)."""

from __future__ import annotations

from datetime import date

from dutyctl.timeutil import zone


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
