"""One matter filed as two tickets: the same phone or room, the same kind, words alike, filed
within the hour of each other (two desks that had not synced each took the resident's call).

`check` lists such a pair while both are open, and `sync` says each such open pair a merge
brings (one ticket from each side); phones compare as one number in any spelling
(`schema.same_number`: 138 0000 0005 is 13800000005, +86 571-88886666 is 0571 8888 6666), rooms by their canonical form (3号楼2单元501 is 3-2-501); closing one as a
duplicate of the other (`close --as duplicate --of KEPT`, which links the one kept) ends it,
as does a link between them either way. A pair is compared on plain values (`Twin`), which a
worker process of `check` can send.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Iterable, NamedTuple

from dutyctl.messages import t
from dutyctl.records import Record, linked_ids, ticket_kinds

#: how far apart in time two tickets of one matter may have been filed
WINDOW = timedelta(hours=1)
#: the share of the shorter text's pairs of characters the other must hold too
ALIKE = 0.5
_NOT_WORDS = re.compile(r"[\W_]+", re.UNICODE)


class Twin(NamedTuple):
    """What two tickets are compared by, and where the later one is said."""

    kind: str
    id: str
    created_at: datetime
    phone: str
    room: str
    content: str
    links: frozenset
    path: str
    line: int
    by: str


def twin_of(record: Record) -> Twin | None:
    """A ticket as compared (None: not a ticket, or one filed by the recurring schedule,
    which check compares by its occurrence)."""
    from dutyctl.residents import person_of, place_of
    from dutyctl.rooms import normalise
    from dutyctl.schema import same_number

    if record.kind not in ticket_kinds() or record.get("recurring") is not None:
        return None
    person = person_of(record)
    # by its number, as a step finds a record by it: 138 0000 0005 is 13800000005 (same_number); the room
    # as the index keys it: 3号楼2单元501 (a file written by hand or another program) is 3-2-501
    return Twin(record.kind, record.id, record.created_at,
                same_number(str(person.get("phone") or "")),
                normalise(str(place_of(record, person) or "")), str(record.get("content") or ""),
                frozenset(linked_ids(record)), record.path, record.line,
                str(record.recorded_by or ""))


def _pairs(text: str) -> set[str]:
    plain = _NOT_WORDS.sub("", text.lower())
    return {plain[index:index + 2] for index in range(len(plain) - 1)} or {plain}


def alike(first: str, second: str) -> bool:
    """Words alike: half the shorter text's pairs of characters (卫生, 生间, 漏水…) are in the
    other too (a text of Chinese has no spaces to split words at)."""
    mine, theirs = _pairs(first), _pairs(second)
    if not mine - {""} or not theirs - {""}:
        return False
    return len(mine & theirs) >= ALIKE * min(len(mine), len(theirs))


def same_matter(first: Twin, second: Twin) -> bool:
    """Two tickets that look like one matter filed twice: one kind, the same phone or the
    same room, filed within WINDOW of each other by two people (one person at one desk who
    files two knows of both: a kitchen leak and a bathroom leak of one flat), words alike, and
    neither linking the other (a duplicate closed `--of` the one kept links it)."""
    return (first.id != second.id and first.kind == second.kind and first.by != second.by
            and abs(first.created_at - second.created_at) <= WINDOW
            and ((first.phone and first.phone == second.phone)
                 or (first.room and first.room == second.room))
            and first.id not in second.links and second.id not in first.links
            and alike(first.content, second.content))


def pairs(twins: Iterable[Twin]) -> list[tuple[Twin, Twin]]:
    """Each pair of `twins` that looks like one matter, (earlier, later), in filing order."""
    ordered = sorted(twins, key=lambda twin: (twin.created_at, twin.id))
    found = []
    for index, later in enumerate(ordered):
        for earlier in reversed(ordered[:index]):
            if later.created_at - earlier.created_at > WINDOW:
                break
            if same_matter(earlier, later):
                found.append((earlier, later))
    return found


def pairs_between(ours: Iterable[Twin], theirs: Iterable[Twin]) -> list[tuple[Twin, Twin]]:
    """The pairs with one ticket of each side (two desks' tickets a merge brings together),
    (earlier, later)."""
    ours = list(ours)
    mine = {twin.id for twin in ours}
    return [(earlier, later) for earlier, later in pairs([*ours, *theirs])
            if (earlier.id in mine) != (later.id in mine)]


def twin_text(earlier: Twin, later: Twin, tz, names) -> str:
    """The pair as the desk reads it, with the command that closes the later one as a
    duplicate of the earlier one."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.kinds.complaint import DUPLICATE
    from dutyctl.records import kind_word
    from dutyctl.schema import mask_phone
    from dutyctl.store import ids
    from dutyctl.timeutil import local_time
    from dutyctl.words import closed_as_word

    return t("{kind} {id} and {other} ({room}) look like one matter filed twice: filed by "
             "{by} at {at} and by {other_by} at {other_at}, within the hour, words alike "
             "(two desks that had not synced?); if so, close one as a duplicate of the other: "
             "dutyctl {command} {id} {as_} {duplicate} {of} {other} {reason} TEXT",
             kind=kind_word(later.kind), id=ids.short(later.id), other=ids.short(earlier.id),
             room=names.room_line(later.room or earlier.room) if later.room or earlier.room
             else mask_phone(later.phone),
             by=names.short_person(later.by), at=local_time(later.created_at, tz),
             other_by=names.short_person(earlier.by),
             other_at=local_time(earlier.created_at, tz),
             command=said(later.kind, "close"), as_=said_option("--as"),
             duplicate=closed_as_word(DUPLICATE), of=said_option("--of"),
             reason=said_option("--reason"))
