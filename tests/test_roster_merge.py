"""Three versions of one roster file (the merge base, this desk's, the other desk's) merged when
both desks only added overrides: the result is the file one desk would have written typing
every override in the order they were recorded; anything else stays a conflict."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from dutyctl.frozen import replace
from dutyctl.messages import commit_language
from dutyctl.roster import edits
from dutyctl.roster.generate import generate
from dutyctl.roster.merging import OURS, THEIRS, merge_rosters, settle
from dutyctl.roster.onduty import apply_overrides
from dutyctl.roster.rosterfile import roster_from_text
from dutyctl.roster.rules import load_rules
from dutyctl.timeutil import zone

SHANGHAI = zone("Asia/Shanghai")
DECEMBER = "rosters/2026-12.yaml"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, tzinfo=SHANGHAI)


def night(roster, day: int) -> str:
    """Who the generated roster has on the night shift's service place of that December day."""
    return next(a.staff for a in roster.assignments if a.day == date(2026, 12, day)
                and a.shift == "night" and a.role == "service")


def stand_in(roster, day: int, but: str = "") -> str:
    """A service clerk off duty that day (not `but`)."""
    busy = {a.staff for a in roster.assignments if a.day.day == day} | {but}
    return next(s for s in ("sunli", "chenjing", "zhaolei", "lina", "zhangwei") if s not in busy)


def day_clerk(roster, day: int) -> str:
    return next(a.staff for a in roster.assignments if a.day == date(2026, 12, day)
                and a.shift == "day" and a.role == "service")


def typed(workspace, base: str, *changes) -> str:
    """The roster file after one desk typed `changes` in this order, starting from `base`."""
    path = workspace.root / DECEMBER
    path.write_text(base, encoding="utf-8")
    for day, shift, staff, replaces, reason, by, when in changes:
        edits.override(workspace, day, shift, staff, replaces=replaces, role="service",
                       reason=reason, by=by, at=when, force=True)
    return path.read_text(encoding="utf-8")


def merged(workspace, base, ours, theirs):
    language = commit_language(workspace.config.language)  # the header's, as dutyctl writes it
    return settle(workspace, load_rules(workspace), DECEMBER, base, ours, theirs, language)


@pytest.fixture
def december(workspace) -> SimpleNamespace:
    """December as generated (`base`, the file's text; `roster`) and three changes of a night
    place, each (day, shift, staff, replaces, reason, by, when): `sick`, `wedding`, `train`."""
    roster = generate(workspace, date(2026, 12, 1), date(2026, 12, 31), now=at(8)).roster
    return SimpleNamespace(
        base=(workspace.root / DECEMBER).read_text(encoding="utf-8"), roster=roster,
        sick=(date(2026, 12, 5), "night", stand_in(roster, 5), night(roster, 5), "病假",
              "zhangwei", at(9)),
        wedding=(date(2026, 12, 13), "night", stand_in(roster, 13), night(roster, 13), "婚礼",
                 "lina", at(10)),
        train=(date(2026, 12, 9), "night", stand_in(roster, 9), night(roster, 9), "培训", "lina",
               at(11)))


def test_overrides_both_desks_added_merge_as_one_desk_typing_them_in_time_order(
        workspace, december):
    base, sick, wedding, train = december.base, december.sick, december.wedding, december.train
    ours = typed(workspace, base, wedding)
    theirs = typed(workspace, base, sick, train)
    expected = typed(workspace, base, sick, wedding, train)  # by when each was recorded
    assert expected not in (ours, theirs)
    assert merged(workspace, base, ours, theirs) == (expected, ())
    # the same file whichever desk merges (a desk that lost the push race merges again)
    assert merged(workspace, base, theirs, ours) == (expected, ())
    # no merge base at hand (both desks added the file): the common overrides are the base
    assert merged(workspace, None, ours, theirs) == (expected, ())


def test_an_override_both_desks_recorded_is_kept_once(workspace, december):
    base, sick, wedding, train = december.base, december.sick, december.wedding, december.train
    ours = typed(workspace, base, wedding, sick)  # typed after the later one: kept so
    theirs = typed(workspace, base, sick, train)
    assert merged(workspace, base, ours, theirs)[0] == typed(workspace, base, wedding, sick,
                                                             train)
    on_top = typed(workspace, ours, train)  # one desk has it all already: that file
    assert merged(workspace, base, on_top, theirs)[0] == on_top


def test_two_desks_changing_the_same_place_keep_both_and_the_later_one_takes_it(
        workspace, december):
    base, sick = december.base, december.sick
    other = stand_in(december.roster, 5, but=sick[2])
    later = (sick[0], "night", other, sick[3], "调班", "chenjing", at(9, 30))
    ours = typed(workspace, base, later)
    theirs = typed(workspace, base, sick)
    # as if typed in that order: the later one takes the place from whom sick put there
    expected = typed(workspace, base, sick, later[:3] + (sick[2],) + later[4:])
    text, clashes = merged(workspace, base, ours, theirs)
    assert text == expected
    (clash,) = clashes
    assert (clash.earlier.staff, clash.earlier.replaces, clash.earlier_side) == (
        sick[2], sick[3], THEIRS)
    assert (clash.later.staff, clash.later.replaces, clash.later_side) == (other, sick[2], OURS)
    assert (clash.later.day, clash.later.shift) == (date(2026, 12, 5), "night")
    swapped_text, swapped = merged(workspace, base, theirs, ours)
    assert swapped_text == expected
    assert [(c.earlier_side, c.later_side) for c in swapped] == [(OURS, THEIRS)]


def test_a_merge_whose_push_failed_merges_again_with_the_other_desks_next_change(
        workspace, december):
    """A desk's merge set whom the other desk's later override replaces (the place its own
    earlier one took), then its push failed; the other desk recorded one more. The next merge
    saw the other desk's override "changed" and stopped at a conflict for good: each later
    sync said to settle it by hand."""
    base, sick, train = december.base, december.sick, december.train
    other = stand_in(december.roster, 5, but=sick[2])
    later = (sick[0], "night", other, sick[3], "调班", "chenjing", at(9, 30))
    theirs = typed(workspace, base, later)  # the other desk's, pushed
    ours = typed(workspace, base, sick)  # this desk's
    mine, _ = merged(workspace, base, ours, theirs)  # merged here, its push refused
    theirs_now = typed(workspace, theirs, train)  # the other desk's next, pushed
    again = merged(workspace, theirs, mine, theirs_now)  # the merge base: theirs
    assert again is not None
    assert again[0] == typed(workspace, mine, train)


def test_the_other_desks_hand_correction_of_whom_an_override_replaced_stays_a_conflict(
        workspace, december):
    """Read as the same change on this desk's side only (its own merge's setting): the other
    desk correcting by hand whom an override replaced was merged away silently."""
    base0, sick, wedding = december.base, december.sick, december.wedding
    base = typed(workspace, base0, sick)
    assert f"replaces: {sick[3]}" in base
    other = day_clerk(december.roster, 5)
    theirs = base.replace(f"replaces: {sick[3]}", f"replaces: {other}")
    ours = typed(workspace, base, wedding)
    assert merged(workspace, base, ours, theirs) is None


def test_a_swap_keeps_its_two_halves_together(workspace, december):
    base, sick, train = december.base, december.sick, december.train
    path = workspace.root / DECEMBER
    path.write_text(base, encoding="utf-8")
    edits.swap(workspace, (date(2026, 12, 10), "day", day_clerk(december.roster, 10)),
               (date(2026, 12, 16), "day", day_clerk(december.roster, 16)), reason="换班", by="sunli",
               at=at(10), force=True)
    ours = path.read_text(encoding="utf-8")
    theirs = typed(workspace, base, sick, train)
    text, clashes = merged(workspace, base, ours, theirs)
    roster = roster_from_text(text, DECEMBER)[0]
    assert [(o.reason, o.day.day) for o in roster.overrides] == [
        ("病假", 5), ("换班", 10), ("换班", 16), ("培训", 9)]
    assert clashes == ()


def test_anything_but_added_overrides_stays_a_conflict(workspace, december):
    base, sick, wedding, train = december.base, december.sick, december.wedding, december.train
    ours = typed(workspace, base, wedding)
    theirs = typed(workspace, base, sick)
    assert merged(workspace, base, ours, theirs) is not None
    # one desk regenerated the month (other assignments), or changed how it was generated
    regenerated = theirs.replace("staff: sunli}", "staff: lina}", 1)
    assert merged(workspace, base, ours, regenerated) is None
    seeded = theirs.replace("seed: 0", "seed: 1", 1)
    assert merged(workspace, base, ours, seeded) is None
    # a desk removed (or edited) an override both had
    both = typed(workspace, base, train)
    assert merged(workspace, both, typed(workspace, base, train, wedding), theirs) is None
    # a side edited by hand beyond what dutyctl writes (a comment would be lost), or unreadable
    commented = theirs.replace("overrides:\n", "overrides:  # 李娜请假\n", 1)
    assert merged(workspace, base, ours, commented) is None
    assert merged(workspace, base, ours, "<<<<<<< HEAD\n" + theirs) is None


def test_merge_rosters_needs_the_same_plan_on_both_sides(workspace, december):
    base, sick, wedding = december.base, december.sick, december.wedding
    ours = roster_from_text(typed(workspace, base, wedding), DECEMBER)[0]
    theirs = roster_from_text(typed(workspace, base, sick), DECEMBER)[0]
    assert merge_rosters(None, ours, theirs) is not None
    assert merge_rosters(None, ours, replace(theirs, last=date(2026, 12, 30))) is None
    assert merge_rosters(None, ours, replace(theirs, assignments=theirs.assignments[1:])) is None


def test_two_desks_each_filling_an_open_place_of_one_shift_fill_two(workspace):
    """A shift with several places left open: one desk puts 张伟 in one, the other 李娜 (both
    replacing nobody). Both are on duty after the merge, as typed: nobody is taken out and no
    clash is said (the later one used to be made to replace the earlier one's person)."""
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    night = text.index("id: night\n")
    need = text.index("service: 1", night)
    rules.write_text(text[:need] + "service: 4" + text[need + len("service: 1"):],
                     encoding="utf-8")
    roster = generate(workspace, date(2026, 12, 1), date(2026, 12, 31), now=at(8)).roster
    base = (workspace.root / DECEMBER).read_text(encoding="utf-8")
    open_places = {}
    for gap in roster.unfilled:
        if gap.shift == "night" and gap.role == "service":
            open_places[gap.day] = open_places.get(gap.day, 0) + 1
    day = min(d for d, count in open_places.items() if count >= 2)
    busy = {a.staff for a in roster.assignments if a.day == day}
    first, second = [s.id for s in load_rules(workspace).staff if s.id not in busy][:2]
    earlier = (day, "night", first, None, "加人", "zhangwei", at(9))
    later = (day, "night", second, None, "加人", "lina", at(9, 10))
    ours = typed(workspace, base, later)
    theirs = typed(workspace, base, earlier)
    expected = typed(workspace, base, earlier, later)
    assert merged(workspace, base, ours, theirs) == (expected, ())
    assert merged(workspace, base, theirs, ours) == (expected, ())
    merged_roster = roster_from_text(expected, DECEMBER)[0]
    assert [(o.staff, o.replaces) for o in merged_roster.overrides] == [
        (first, None), (second, None)]
    on_duty = {p.staff for p in apply_overrides(merged_roster).places
               if p.day == day and p.shift == "night"}
    assert {first, second} <= on_duty


def test_a_desk_adding_after_a_merge_put_the_other_desks_earlier_override_first_merges(
        workspace, december):
    """Desk D pushed [wedding]; desk C, with [sick] recorded earlier, merged them as
    [sick, wedding] and pushed; D then added train: its [wedding, train] against the remote
    [sick, wedding] shares no first override, and the merge base's [wedding] no longer came
    first, so every sync of D stopped as a conflict settled by hand, for good."""
    base, sick, wedding, train = december.base, december.sick, december.wedding, december.train
    pushed = typed(workspace, base, wedding)
    theirs, _ = merged(workspace, base, typed(workspace, base, sick), pushed)
    assert theirs == typed(workspace, base, sick, wedding)
    ours = typed(workspace, pushed, train)
    assert merged(workspace, pushed, ours, theirs) == (
        typed(workspace, base, sick, wedding, train), ())
    # a side that took an override back stays a conflict, as before
    assert merged(workspace, pushed, typed(workspace, base, train), theirs) is None
