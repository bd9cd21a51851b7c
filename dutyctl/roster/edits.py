"""`roster override` and `roster swap`: manual changes recorded in the roster with reason, who
and when. Assignments are never rewritten; overrides are appended and applied in order.

A change that would break a hard rule (or open a gap) is refused with the rules it breaks,
unless forced; a forced change is marked `forced: true` and `roster check` keeps flagging it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from dutyctl import choices
from dutyctl.errors import InputError, NotFound, Refused
from dutyctl.frozen import replace
from dutyctl.messages import t, tn
from dutyctl.output import day_label
from dutyctl.roster import stats
from dutyctl.roster.capacity import SHORTAGE_RULE
from dutyctl.roster.coverage import HOLE_RULE
from dutyctl.roster.onduty import (apply_overrides, cached_roster, readable_roster,
                                   roster_worked)
from dutyctl.roster.rosterfile import Listing, Override, Roster, roster_files, write_roster
from dutyctl.roster.rules import Rules, load_rules
from dutyctl.roster.validate import COVERAGE_RULE, check_roster
from dutyctl.store.storage import exclusive


@dataclass(frozen=True)
class Change:
    paths: tuple[Path, ...]
    overrides: tuple[Override, ...]
    broken: tuple[str, ...]  # hard rules broken, when forced


def roster_for(workspace, day: date, files: Listing | None = None, *,
               editing: bool = False) -> Roster:
    """The roster covering `day`, from `files` (rosters/ as the caller listed it) or else
    listed here; `editing`: for a change, which refuses a roster read in part
    (_refuse_part_read), its entries not said as read around before that."""
    for path, first, last in roster_files(workspace) if files is None else files:
        if first is not None and first <= day <= last:
            return readable_roster(workspace, path, quiet=editing)
    from dutyctl.roster.rosterfile import generate_command

    raise NotFound(t("no roster covers {day}: run '{command}' first",
                     day=day_label(day, year=True), command=generate_command(day)))


def _people_on(roster: Roster, day: date, shift_id: str) -> list:
    return [place for place in apply_overrides(roster).places
            if place.day == day and place.shift == shift_id]


def _known(rules: Rules, staff_id: str) -> None:
    if rules.member(staff_id) is None:
        raise NotFound(t("no staff member '{id}' in rosters/rules.yaml", id=staff_id))


def shift_named(rules: Rules, shift_id: str):
    """The rules' shift `shift_id`; refused naming every shift when there is none."""
    shift = rules.shift(shift_id)
    if shift is None:
        raise NotFound(t("no shift '{id}' (the rules have: {ids})", id=shift_id,
                         ids=choices.describe({s.id: s.name for s in rules.shifts})))
    return shift


def _shift(rules: Rules, day: date, shift_id: str):
    shift = shift_named(rules, shift_id)
    if not shift.occurs(day, rules.calendar):
        raise InputError(t("the {shift} shift does not run on {day}", shift=shift.name,
                           day=day_label(day)))
    return shift


def plan_override(rules: Rules, roster: Roster, day: date, shift_id: str, staff: str,
                  replaces: str | None, role: str | None, reason: str, by: str,
                  at: datetime, role_name: Callable[[str], str]) -> Override:
    """The override entry for `staff` taking a place on that shift, or why it cannot; roles
    are named by `role_name` in what it says."""
    shift = _shift(rules, day, shift_id)
    _known(rules, staff)
    if role is not None and role not in shift.roles:
        raise InputError(t("the {shift} shift has no role '{role}' (it needs: {roles})",
                           shift=shift.name, role=role_name(role),
                           roles=t(", ").join(map(role_name, shift.roles))))
    places = _people_on(roster, day, shift_id)
    if any(place.staff == staff for place in places):
        raise Refused(t("{staff} is already on {day} {shift}", staff=rules.person(staff),
                        day=day_label(day), shift=shift.name))
    member = rules.member(staff)
    if replaces is not None:
        chosen = [p for p in places if p.staff == replaces and (role is None or p.role == role)]
        if not chosen:
            raise NotFound(_not_on(rules, role_name, replaces, day, shift, places))
    else:
        roles = (role,) if role else member.roles
        chosen = [p for p in places if p.staff is None and p.role in roles]
        # a seat the rules need now and the roster lacks (人数 raised since it was generated):
        # filled as an open place is, never taken from the one holding the other seat
        short = [one for one in roles if one in shift.roles
                 and sum(p.role == one for p in places) < shift.headcount(one)]
        if not chosen and short:
            return Override(day, shift_id, short[0], staff, None, "override", reason, by, at)
        if not chosen:
            chosen = [p for p in places if p.role in roles]
            if len(chosen) != 1:
                on_shift = _held_by(rules, role_name, places)
                raise InputError(lambda name: t("say whom {staff} replaces with {replaces}; on "
                                                "{day} {shift}: {people}",
                                                staff=rules.person(staff),
                                                replaces=name("replaces"), day=day_label(day),
                                                shift=shift.name,
                                                people=on_shift or t("nobody")))
    place = chosen[0]
    return Override(day, shift_id, place.role, staff, place.staff, "override", reason, by, at)


def _not_on(rules: Rules, role_name, staff: str, day: date, shift, places) -> str:
    """'孙丽 is not on 12月20日 周日 白班 (on it: 陈静 (客服专员), 刘洋 (维修工))': whom to name
    instead."""
    people = _held_by(rules, role_name, places)
    return t("{staff} is not on {day} {shift} (on it: {people})", staff=rules.person(staff),
             day=day_label(day), shift=shift.name, people=people or t("nobody"))


def _held_by(rules: Rules, role_name, places) -> str:
    """Who holds a shift's places, each with the role's name: 陈静（客服专员）、刘洋（维修工）."""
    return t(", ").join(t("{person} ({role})", person=rules.person(p.staff) if p.staff
                          else t("unfilled"), role=role_name(p.role)) for p in places)


def plan_swap(rules: Rules, rosters: list[Roster], first: tuple[date, str, str],
              second: tuple[date, str, str], reason: str, by: str,
              at: datetime, role_name: Callable[[str], str] = str) -> tuple[Override, Override]:
    """Two people exchange places: first[2] takes second's place and the other way round."""
    if first[:2] == second[:2]:
        raise InputError(t("both places are the same shift: use 'dutyctl roster override'"))
    if first[2] == second[2]:
        raise InputError(t("{staff} is on both sides: a swap needs two people",
                           staff=rules.person(first[2])))
    places = []
    for roster, (day, shift_id, staff) in zip(rosters, (first, second)):
        shift = _shift(rules, day, shift_id)
        _known(rules, staff)
        on_shift = _people_on(roster, day, shift_id)
        found = [p for p in on_shift if p.staff == staff]
        if not found:
            raise NotFound(_not_on(rules, role_name, staff, day, shift, on_shift))
        places.append(found[0])
    a, b = places
    return (Override(a.day, a.shift, a.role, b.staff, a.staff, "swap", reason, by, at),
            Override(b.day, b.shift, b.role, a.staff, b.staff, "swap", reason, by, at))


#: Findings of places and hours nobody holds, and of the staff short for them: an edit puts
#: someone on a place (a stand-in, a swap, an open place filled) and never takes one away,
#: so it breaks none of them; filling one of a shift's three open places only changes the
#: shift's line ("1 of 3 filled" to "2 of 3"), which refused the fill as a new break
NOT_BROKEN_BY_AN_EDIT = (COVERAGE_RULE, HOLE_RULE, SHORTAGE_RULE)


def _messages(workspace, rules: Rules, roster: Roster, files: Listing,
              places: set[tuple[date, str, str]], instead=None) -> Counter:
    """The roster's problems an edit could break, a break between shifts said at the changed
    `places` only; `instead`: the neighbouring rosters as the change leaves them."""
    return Counter(p.message for p in check_roster(workspace, rules, roster, "", files=files,
                                                   places=places, instead=instead)
                   if (p.finding or {}).get("rule") not in NOT_BROKEN_BY_AN_EDIT)


def apply_change(workspace, rules: Rules, plan: Callable[[Listing], list[Override]],
                 force: bool) -> Change:
    """Append the overrides `plan` makes from one listing of rosters/ to the roster(s) covering
    their days, refusing new rule breaks unless forced. Stats are recomputed so the file stays
    consistent. Two terminals editing at once take turns, each planning on and reading the
    rosters as the other left them; rosters/ is listed once for the plan and every check."""
    with exclusive(workspace.state_dir / "roster.lock"):
        listed = roster_files(workspace)
        return _apply_change(workspace, rules, plan(listed), force, listed)


def _apply_change(workspace, rules: Rules, additions: list[Override], force: bool,
                  listed: Listing) -> Change:
    by_roster: dict[Path, tuple[Roster, list[Override]]] = {}
    for override in additions:
        roster = roster_for(workspace, override.day, listed, editing=True)
        by_roster.setdefault(roster.path, (roster, []))[1].append(override)
    for path in by_roster:
        _refuse_part_read(workspace, path)
    updated, broken = [], []
    changed = {(o.day, o.shift, o.staff) for o in additions}
    # a change across two rosters (a swap of 11-30 and 12-01) is checked whole: each file
    # beside the other as the change leaves it, not as it was (the night given away still
    # counted against the day taken)
    candidates = {path: replace(roster, overrides=roster.overrides + tuple(added))
                  for path, (roster, added) in by_roster.items()}
    for roster, added in by_roster.values():
        before = _messages(workspace, rules, roster, listed, changed)
        broken += list((_messages(workspace, rules, candidates[roster.path], listed, changed,
                                  candidates) - before).elements())
        updated.append((roster, added))
    if broken and not force:
        raise Refused(lambda name: "\n".join(
            [t("refused: the change breaks hard rules (use {force} to record it anyway; 'roster "
               "check' will keep flagging it):", force=name("force"))]
            + [f"  {message}" for message in broken]))
    from dutyctl.messages import commit_language

    written, final = [], []
    for roster, added in updated:
        if broken:
            added = [replace(o, forced=True) for o in added]
        changed = replace(roster, overrides=roster.overrides + tuple(added))
        changed = replace(changed, stats=file_stats(workspace, rules, changed))
        write_roster(changed, roster.path, commit_language(workspace.config.language))
        written.append(roster.path)
        final += added
    return Change(tuple(written), tuple(final), tuple(broken))


def _refuse_part_read(workspace, path: Path) -> None:
    """A roster file read in part (an override written by hand without its `at`, a
    misspelt key): a change rewrites the file from what was read, and dropped the rest
    without a word, then committed that as the hand edits."""
    _, problems = cached_roster(workspace, path)
    if not problems:
        return
    first = (str(problems[0]) if len(problems) == 1 else tn(
        "{problem}, and {count} more problem", "{problem}, and {count} more problems",
        len(problems) - 1, problem=problems[0], count=len(problems) - 1))
    raise Refused(t("{path} cannot be read whole ({problems}): mend it first, or the change "
                    "would rewrite it without what cannot be read",
                    path=workspace.relative(path), problems=first))


def file_stats(workspace, rules: Rules, roster: Roster) -> dict:
    """The `stats` a roster file keeps, as its overrides leave the month."""
    worked = roster_worked(roster, rules, workspace.config.tz, roster.first, roster.last)
    return stats.roster_stats(rules, worked, roster.first, roster.last)


def override(workspace, day: date, shift: str, staff: str, *, replaces: str | None,
             role: str | None, reason: str, by: str, at: datetime, force: bool) -> Change:
    """`staff`, `replaces`, `shift` and `role` may be typed by id or by name."""
    from dutyctl.names import Names

    rules = load_rules(workspace)
    shift_id, staff_id = choices.shift_of(rules, shift), choices.staff_of(rules, staff)
    replaced = _replaced(rules, replaces) if replaces is not None else None
    role_id = choices.role_of(workspace.config, role) if role is not None else None
    role_name = Names(workspace.config, None).role
    change = apply_change(workspace, rules, lambda listed: [plan_override(
        rules, roster_for(workspace, day, listed, editing=True), day, shift_id, staff_id,
        replaced, role_id, reason, by, at, role_name)], force)
    _said_if_begun(workspace, rules, change, at)
    return change


def _replaced(rules: Rules, typed: str) -> str:
    """Whom --replaces names: one of the rules' staff, else the id as typed, which the
    roster may still hold (someone who left, taken out of the rules since: `roster check`
    names their places, and only an override replacing them mends those)."""
    try:
        return choices.staff_of(rules, typed)
    except NotFound:
        if sum(member.name == typed.strip() for member in rules.staff) > 1:
            raise  # a name of two: say which
        return typed.strip()


def _said_if_begun(workspace, rules: Rules, change: Change, at: datetime) -> None:
    """A change of a shift that had begun when it was recorded (a day worked already, or a
    date typed wrong: 11-20 for 11-26) is said: attendance judges that shift by it now, the
    one who worked it unrostered, the one put there absent unless they clocked in."""
    from dutyctl import notices
    from dutyctl.names import Names
    from dutyctl.roster.rules import shift_bounds

    names = Names.of(workspace)
    for done in change.overrides:
        shift = rules.shift(done.shift)
        if shift is None or shift_bounds(done.day, shift, workspace.config.tz)[0] > at:
            continue
        notices.warn(t("{day} {shift} had begun when this was recorded: attendance judges it "
                       "by the change now ({staff} on it; check the date if that was not "
                       "meant)", day=day_label(done.day, year=True), shift=names.shift(done.shift),
                       staff=names.person(done.staff)))


def swap(workspace, first: tuple[date, str, str], second: tuple[date, str, str], *, reason: str,
         by: str, at: datetime, force: bool) -> Change:
    """Shifts and staff of both places may be typed by id or by name."""
    from dutyctl.names import Names

    rules = load_rules(workspace)
    role_name = Names(workspace.config, None).role
    first, second = ((day, choices.shift_of(rules, shift), choices.staff_of(rules, staff))
                     for day, shift, staff in (first, second))
    change = apply_change(workspace, rules, lambda listed: list(plan_swap(
        rules, [roster_for(workspace, first[0], listed, editing=True),
                roster_for(workspace, second[0], listed, editing=True)],
        first, second, reason, by, at, role_name)), force)
    _said_if_begun(workspace, rules, change, at)
    return change
