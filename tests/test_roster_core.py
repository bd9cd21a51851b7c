"""The roster workflows the CLI calls (it only parses, prompts and formats): the places of a
run of days with their overrides marked, a roster file found by name, the span of every
roster, an override's refusals naming values and roles, and one computation of the stats."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dutyctl.errors import NotFound
from dutyctl.roster import edits
from dutyctl.roster.generate import generate
from dutyctl.roster.onduty import slots_between, worked_between
from dutyctl.roster.rosterfile import find_roster_file, rostered_period
from dutyctl.roster.rules import load_rules
from dutyctl.roster.stats import COUNTS, roster_stats
from dutyctl.timeutil import zone
from tests.helpers_foundation import count_roster_listings

SHANGHAI = zone("Asia/Shanghai")
WEEK = (date(2026, 12, 1), date(2026, 12, 7))


@pytest.fixture
def week(workspace):
    return generate(workspace, *WEEK).roster


def test_the_places_of_some_days_on_call_and_unfilled_included(workspace, week):
    slots = slots_between(workspace, date(2026, 12, 3), date(2026, 12, 4))
    assert {s.date for s in slots} == {date(2026, 12, 3), date(2026, 12, 4)}
    assert {s.shift_id for s in slots} == {"day", "night", "night-oncall", "office"}
    # the night of the 2nd ends on the 3rd: a day's places are those starting on it
    assert len(slots) == len([a for a in week.assignments if a.day in
                              (date(2026, 12, 3), date(2026, 12, 4))])
    assert not any(s.overridden for s in slots)
    with pytest.raises(NotFound, match=r"no roster covers 2026-12-08\.\.2026-12-09"):
        slots_between(workspace, date(2026, 12, 8), date(2026, 12, 9))


def test_a_place_an_override_filled_is_marked(workspace, week):
    night = next(a for a in week.assignments if a.day == date(2026, 12, 3) and a.shift == "night")
    stand_in = next(s for s in ("sunli", "chenjing", "zhaolei") if s != night.staff)
    edits.override(workspace, night.day, "night", stand_in, replaces=None, role=None,
                   reason="病假", by="zhangwei",
                   at=datetime(2026, 12, 2, 18, tzinfo=SHANGHAI), force=True)
    marked = [(s.date, s.shift_id, s.staff) for s in slots_between(workspace, *WEEK)
              if s.overridden]
    assert marked == [(night.day, "night", stand_in)]


def test_a_roster_file_by_period_file_name_or_path(workspace, week):
    path = workspace.rosters_dir / "2026-12-01_2026-12-07.yaml"
    for name in ("2026-12-01_2026-12-07", "2026-12-01_2026-12-07.yaml", str(path)):
        assert find_roster_file(workspace, name) == path
    with pytest.raises(NotFound, match=r"no roster for 2026-11 yet \(rosters/2026-11\.yaml\): run "
                                       r"'dutyctl roster generate --month 2026-11' first"):
        find_roster_file(workspace, "2026-11")  # a period rightly named: the command to make it
    with pytest.raises(NotFound, match="no roster file 'december'"):
        find_roster_file(workspace, "december")


def test_the_span_of_every_roster(workspace):
    with pytest.raises(NotFound, match="no roster yet"):
        rostered_period(workspace)
    generate(workspace, *WEEK)
    generate(workspace, date(2026, 12, 15), date(2026, 12, 20))
    (workspace.rosters_dir / "notes.yaml").write_text("{}\n", encoding="utf-8")  # no period
    assert rostered_period(workspace) == (date(2026, 12, 1), date(2026, 12, 20))


def test_an_override_that_must_say_whom_it_replaces_names_the_value_and_the_roles(workspace,
                                                                                 week):
    """The core names the value (`replaces`), the CLI the option; roles by their names."""
    day = next(d for d in sorted({a.day for a in week.assignments})
               if all(a.staff != "zhaolei" for a in week.assignments
                      if a.day == d and a.shift == "day"))
    with pytest.raises(edits.InputError) as refused:
        edits.override(workspace, day, "day", "zhaolei", replaces=None, role=None,
                       reason="病假", by="zhangwei",
                       at=datetime(2026, 12, 1, 7, tzinfo=SHANGHAI), force=False)
    message = str(refused.value)
    assert message.startswith("say whom 赵磊 replaces with replaces; on "), message
    assert "(客服专员)" in message and "(维修工)" in message
    assert "service" not in message and "technician" not in message
    with pytest.raises(edits.InputError, match=r"has no role '保安' \(it needs: 客服专员, 维修工\)"):
        edits.override(workspace, day, "day", "zhaolei", replaces=None, role="guard",
                       reason="病假", by="zhangwei",
                       at=datetime(2026, 12, 1, 7, tzinfo=SHANGHAI), force=False)


def test_the_stats_of_some_days_are_those_the_roster_file_keeps(workspace, week):
    """`roster stats` and the file's `stats:` section are one computation."""
    rules = load_rules(workspace)
    found = roster_stats(rules, worked_between(workspace, *WEEK), *WEEK)
    assert found == week.stats
    assert set(found["spread"]) == set(COUNTS) == set(found["spread_adjusted"])


def test_who_a_roster_is_generated_by(workspace):
    """A named person must be on the staff (by id or name); the desk's login is recorded only
    when it names one staff member, never refused (rules generated for another site)."""
    from dutyctl.roster.generate import generated_by

    assert generated_by(workspace, "陈静", "zhangwei") == "chenjing"
    assert generated_by(workspace, None, "zhangwei") == "zhangwei"
    assert generated_by(workspace, None, "张伟") == "zhangwei"
    assert generated_by(workspace, None, "someone-else") is None
    assert generated_by(workspace, None, None) is None
    with pytest.raises(NotFound, match="no staff member 'nobody'"):
        generated_by(workspace, "nobody", "zhangwei")


def test_checking_rosters_and_recording_an_override_list_rosters_once(workspace, week,
                                                                       monkeypatch):
    """`check` lists rosters/ once for every roster's neighbours and coverage; recording a
    change, override or swap, lists it once: to plan it and for its before-and-after checks,
    all under the lock."""
    from dutyctl.roster.validate import check_roster_folder

    generate(workspace, date(2026, 12, 8), date(2026, 12, 14))
    calls = count_roster_listings(monkeypatch, ("rosterfile", "neighbours", "validate", "edits"))
    assert check_roster_folder(workspace, workspace.config) == []
    assert len(calls) == 1
    calls.clear()
    night = next(a for a in week.assignments if a.day == date(2026, 12, 3) and a.shift == "night")
    stand_in = next(s for s in ("sunli", "chenjing", "zhaolei") if s != night.staff)
    edits.override(workspace, night.day, "night", stand_in, replaces=None, role=None,
                   reason="病假", by="zhangwei",
                   at=datetime(2026, 12, 2, 18, tzinfo=SHANGHAI), force=True)
    assert len(calls) == 1
    calls.clear()
    other = next(a for a in week.assignments if a.day == date(2026, 12, 5)
                 and a.shift == "night" and a.staff != stand_in)
    edits.swap(workspace, (night.day, "night", stand_in), (other.day, "night", other.staff),
               reason="换班", by="zhangwei", at=datetime(2026, 12, 2, 19, tzinfo=SHANGHAI),
               force=True)
    assert len(calls) == 1
