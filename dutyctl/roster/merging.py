"""Three versions of one roster file merged when the two sides only added overrides.

Two desks each recording a `roster override` or `roster swap` in the same month append to the
same file's `overrides` (and rewrite its `stats`): git sees both sides change the same lines
and stops. What each desk meant is plain, though: the union of the overrides both added, in the
order they were recorded. `merge_rosters` makes that roster, or says None when the sides did
more than add overrides (one regenerated the month, a period changed, an override was edited or
removed): then the file stays a conflict a person settles.

Two desks that put different people in the SAME place (day, shift and the seat the override
takes) both keep their override, the later one (by `at`) after the earlier, as if typed in that
order. The later one is kept as typed while it still finds a place in the merged roster (two
desks each filling one of several open places of a shift fill two); when none is left, it
takes the place, so its `replaces` is made the person the earlier one put there (else it would
match nobody and take no effect). Each such clash is returned for the
caller to say.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Iterable

from dutyctl.frozen import frozen, replace
from dutyctl.roster.rosterfile import Override, Roster, dump_roster, flow, override_entry

OURS, THEIRS = "ours", "theirs"


@frozen
class Clash:
    """Both sides put someone in one place: `earlier` and `later` (as the merged file keeps
    it, taking the place from `earlier`'s person), each with the side that added it."""

    earlier: Override
    earlier_side: str
    later: Override
    later_side: str


@frozen
class Merged:
    roster: Roster  # stats as the sides had them: the caller recomputes them (rules needed)
    clashes: tuple[Clash, ...]


def merge_rosters(base: Roster | None, ours: Roster, theirs: Roster) -> Merged | None:
    """The roster with both sides' overrides, or None when the sides changed more than that.
    `base` (the merge base's version; None when there is none or it cannot be read) only
    serves to tell an override removed on one side from one added on the other."""
    if not _same_plan(ours, theirs):
        return None
    shared = _common_prefix(ours.overrides, theirs.overrides)
    if base is not None and _same_plan(base, ours):
        # this side's own merge may have set whom an override of theirs replaces (its push
        # then failed, so only this side has it): that is no change of it; theirs are exact,
        # a hand correction of whom one replaced being a person's to decide
        if not (_kept_in(base.overrides, ours.overrides, _change)
                and _kept_in(base.overrides, theirs.overrides)):
            return None  # a side removed or changed an override it had: a person decides
    ours_added = list(ours.overrides[len(shared):])
    theirs_added = _without(theirs.overrides[len(shared):], ours_added)
    order = _interleave([(o, OURS) for o in ours_added], [(o, THEIRS) for o in theirs_added])
    overrides, clashes = _settle(ours, shared, order)
    return Merged(replace(ours, overrides=tuple(overrides)), tuple(clashes))


def _same_plan(one: Roster, other: Roster) -> bool:
    """Everything but the overrides and stats the same: the period, how the month was
    generated, its assignments and unfilled places (line numbers aside)."""
    return (one.first, one.last, dict(one.generated), one.assignments, one.unfilled) == (
        other.first, other.last, dict(other.generated), other.assignments, other.unfilled)


def _common_prefix(one: tuple[Override, ...], other: tuple[Override, ...]) -> tuple:
    count = 0
    for mine, yours in zip(one, other):
        if mine != yours:
            break
        count += 1
    return one[:count]


def _kept_in(earlier: tuple[Override, ...], later: tuple[Override, ...],
             seen_as: Callable[[Override], Override] = lambda override: override) -> bool:
    """Every override of `earlier` in `later`, in its order: nothing removed or changed, maybe
    others put between them. An earlier merge orders the overrides by when they were
    recorded, so the other desk's earlier one may stand before one this desk had already
    pushed (its [D1] became [C1, D1]); the next merge from [D1, D2] is one of added
    overrides still, not a conflict that stopped every sync of the desk."""
    rest = iter(later)
    return all(any(seen_as(override) == seen_as(found) for found in rest)
               for override in earlier)


def _change(override: Override) -> Override:
    """An override as the change a desk recorded: whom it replaced and in which role left
    out, which this desk's merge may have set anew (`_settle`: the place an earlier override
    of its own took). A merge whose push then failed kept that, and every later sync saw the
    other desk's override "changed" and stopped at a conflict to settle by hand."""
    return replace(override, replaces=None, role=None)


def _without(found: Iterable[Override], kept: list[Override]) -> list[Override]:
    """`found` less the overrides `kept` has already (each recorded once, however many desks
    wrote it, a merge's setting of whom it replaces aside: `_change`)."""
    left = [_change(override) for override in kept]
    result = []
    for override in found:
        if _change(override) in left:
            left.remove(_change(override))
        else:
            result.append(override)
    return result


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _moment(override: Override) -> datetime:
    at = override.at
    if at is None:
        return _EPOCH
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def _key(override: Override) -> tuple:
    """When it was recorded, then its text: the same order whichever desk merges (a desk whose
    push lost the race merges again, and must write the same file)."""
    return _moment(override), flow(override_entry(override))


def _interleave(one: list[tuple[Override, str]],
                other: list[tuple[Override, str]]) -> list[tuple[Override, str]]:
    """The two sides' additions by time, each side's own order kept (a swap's two halves, and
    one desk's changes as it typed them, stay as they were)."""
    merged, i, j = [], 0, 0
    while i < len(one) and j < len(other):
        if _key(other[j][0]) < _key(one[i][0]):
            merged.append(other[j])
            j += 1
        else:
            merged.append(one[i])
            i += 1
    return merged + one[i:] + other[j:]


class _Places:
    """The places of a roster's days as `onduty.apply_overrides` fills them (its own places
    and place-finding), each override applied in turn; which place it took (a number) and who
    put the person there."""

    def __init__(self, roster: Roster):
        from dutyctl.roster.onduty import initial_places

        self.places = initial_places(roster)
        self.by: dict[int, tuple[Override, str | None]] = {}

    def find(self, override: Override) -> int | None:
        from dutyctl.roster.onduty import find_place

        place = find_place(self.places, override)
        return None if place is None else next(
            number for number, one in enumerate(self.places) if one is place)

    def apply(self, override: Override, side: str | None = None) -> int | None:
        from dutyctl.roster.onduty import extra_place

        number = self.find(override)
        if number is None and override.replaces is None:
            self.places.append(extra_place(override))  # an extra person on that shift
            number = len(self.places) - 1
        if number is not None:
            self.places[number].staff = override.staff
            self.by[number] = (override, side)
        return number


def _settle(ours: Roster, shared: tuple[Override, ...],
            order: list[tuple[Override, str]]) -> tuple[list[Override], list[Clash]]:
    """The overrides in `order` after the `shared` ones, each applied as typed while it still
    finds its place (one filling an open place finds another open one when the other side
    filled the first); one whose place the other side's earlier override took, none like it
    left, takes it from that person."""
    targets: dict[int, int | None] = {}  # an added override (its index) -> the place it took
    for side in (OURS, THEIRS):
        places = _Places(ours)
        for override in shared:
            places.apply(override)
        start = len(places.places)  # extra places are told apart by their day and shift only
        for index, (override, its_side) in enumerate(order):
            if its_side == side:
                number = places.apply(override)
                targets[index] = number if number is None or number < start else None
    places = _Places(ours)
    for override in shared:
        places.apply(override)
    result, clashes = list(shared), []
    for index, (override, side) in enumerate(order):
        number = targets[index]
        taken = places.by.get(number) if number is not None else None
        holder = places.places[number].staff if number is not None else None
        if (taken is not None and taken[1] not in (None, side) and holder != override.replaces
                and holder != override.staff and places.find(override) is None):
            later = replace(override, replaces=holder, role=places.places[number].role)
            clashes.append(Clash(taken[0], taken[1], later, side))
            override = later
        places.apply(override, side)
        result.append(override)
    return result, clashes


def merged_text(merged: Merged, stats: dict, language: str | None) -> str:
    """The merged roster file, written as `dutyctl` writes every roster file."""
    return dump_roster(replace(merged.roster, stats=stats), language)


def written_by_dutyctl(text: str, roster: Roster) -> bool:
    """`text` is what `dump_roster` writes for `roster` (the header comments aside, which
    follow the site's language): nothing written by hand would be lost rewriting it."""
    def body(found: str) -> list[str]:
        lines = found.split("\n")
        start = next((n for n, line in enumerate(lines) if not line.startswith("#")), 0)
        return lines[start:]

    return body(dump_roster(roster)) == body(text)


def settle(workspace, rules, label: str, base: str | None, ours: str, theirs: str,
           language: str | None) -> tuple[str, tuple[Clash, ...]] | None:
    """The merged text of one roster file from its three versions (`base` None: none), or None
    when it stays a conflict: a side unreadable or edited by hand (rewriting it would lose
    what was written), or the sides changed more than the overrides. `rules` (the merged
    workspace's) recompute the stats; `language`: that of the site, for the header."""
    from dutyctl.roster.edits import file_stats
    from dutyctl.roster.rosterfile import roster_from_text

    sides = []
    for text in (ours, theirs):
        roster, problems = roster_from_text(text, label)
        if roster is None or problems or not written_by_dutyctl(text, roster):
            return None
        sides.append(roster)
    common = None
    if base is not None:
        common, problems = roster_from_text(base, label)
        common = common if not problems else None
    merged = merge_rosters(common, *sides)
    if merged is None:
        return None
    return merged_text(merged, file_stats(workspace, rules, merged.roster), language), \
        merged.clashes
