"""Fixed rotations (day–night–rest–rest, 四班三运转, a plain turn-taking list).

A rotation counts from its `start` date and advances only over what actually occurs:
- without a pattern, one step per slot of its shifts (so a workdays-only desk shift with five
  people reaches all five in turn, whatever the weekday count of the month: GoAlert #55);
- with a pattern, one step per day on which at least one of its shifts occurs; team i works
  pattern[(day number + offset_i) mod length] that day.
Counting from the fixed start keeps the cycle continuous across months without any state.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dutyctl.messages import t
from dutyctl.output import day_label
from dutyctl.roster.positions import Position, occurrences
from dutyctl.roster.rules import OFF, Rotation, Rules


def rotation_plan(rules: Rules, rotation: Rotation, first: date,
                  last: date) -> list[tuple[date, str, tuple[str, ...]]]:
    """(day, shift id, team) for every turn of the rotation that falls in [first, last]."""
    if rotation.start > last:
        return []
    turns = []
    found = occurrences(rules, rotation.start, last, set(rotation.shifts))
    if rotation.pattern is None:
        for step, (day, shift) in enumerate(found):
            if day >= first:
                turns.append((day, shift.id, rotation.teams[step % len(rotation.teams)]))
        return turns
    shifts_on: dict[date, set[str]] = defaultdict(set)
    for day, shift in found:
        shifts_on[day].add(shift.id)
    for step, day in enumerate(sorted(shifts_on)):
        if day < first:
            continue
        for team, offset in zip(rotation.teams, rotation.offsets):
            shift_id = rotation.pattern[(step + offset) % len(rotation.pattern)]
            if shift_id != OFF and shift_id in shifts_on[day]:
                turns.append((day, shift_id, team))
    return turns


def rotation_wants(rules: Rules, positions: list[Position], first: date,
                   last: date) -> tuple[dict[int, tuple[str, str]], list[str]]:
    """position index -> (staff id, rotation id) for every position a rotation staffs, and a
    note for each team member who has no open position of their roles on their turn."""
    places: dict[tuple[date, str], list[int]] = defaultdict(list)
    for index, position in enumerate(positions):
        places[(position.day, position.shift.id)].append(index)
    wanted: dict[int, tuple[str, str]] = {}
    notes = []
    for rotation in rules.rotations:
        for day, shift_id, team in rotation_plan(rules, rotation, first, last):
            for staff_id in team:
                member = rules.member(staff_id)
                open_places = [i for i in places[(day, shift_id)] if i not in wanted
                               and member is not None and positions[i].role in member.roles]
                if open_places:
                    wanted[open_places[0]] = (staff_id, rotation.id)
                else:
                    notes.append(t("rotation {rotation}: no open {shift} position on {day} for "
                                   "{staff}'s roles", rotation=rotation.id,
                                   shift=rules.shift(shift_id).name, day=day_label(day),
                                   staff=rules.person(staff_id)))
    return wanted, notes
