"""`dutyctl search TEXT`: every word must appear somewhere in a record or its history.

Matching is on NFKC-folded, case-folded text, so full-width ＡＢＣ１２３ finds ABC123 and
Chinese needs no word splitting: 漏水 is found inside 卫生间漏水严重. The displayed names of
category, department and emergency type count too, so 噪音 finds a `noise` complaint. Phone
numbers are not searched: a match would have to show the number the screens mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from dutyctl.records import Record, creation_order
from dutyctl.recordtext import fold, texts_of

SNIPPET_RADIUS = 12


def terms_of(query: str) -> list[str]:
    return [fold(word) for word in query.split() if word.strip()]


@dataclass(frozen=True)
class Hit:
    record: Record
    snippet: str


def snippet(text: str, term: str) -> str:
    """The first match of `term` (folded) in `text` with a little context either side, as
    the text was written (its ，stays full-width): found in the text folded character by
    character, each folded character knowing the one it came from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in fold(char):
            folded.append(piece)
            origin.append(index)
    position = "".join(folded).find(term)
    if position < 0:  # a match only the whole text's folding makes (a combining mark)
        return text
    first, last = origin[position], origin[position + len(term) - 1] + 1
    start = max(0, first - SNIPPET_RADIUS)
    end = last + SNIPPET_RADIUS
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(records: Iterable[Record], query: str, config=None) -> list[Hit]:
    terms = terms_of(query)
    if not terms:
        return []
    hits = []
    for record in records:
        texts = texts_of(record, config)
        haystack = "\n".join(fold(text) for text in texts)
        if all(term in haystack for term in terms):
            first = next(text for text in texts if terms[0] in fold(text))
            hits.append(Hit(record, snippet(first, terms[0])))
    return hits


def label_ids(config, term: str) -> list[str]:
    """The index labels (dutyctl.store.index) whose display name holds the folded `term`."""
    if config is None:
        return []
    found = [f"category:{kind}:{category}" for kind, catalogue in config.categories.items()
             for category in catalogue.names if term in fold(catalogue.name(category))]
    found += [f"type:{type_id}" for type_id, kind in config.emergencies.items()
              if term in fold(kind.name)]
    found += [f"department:{dept_id}" for dept_id, department in config.departments.items()
              if term in fold(department.name)]
    return found


#: what marks a room written the way residents say it (3栋2单元501室, 3号楼2单元501, 3#2-501)
_ROOM_WORDS = ("栋", "幢", "号楼", "单元", "室", "#")


def _as_rooms(query: str) -> str:
    """`query` with each room written as residents say it in the form records keep
    (3栋2单元501室: 3-2-501), as every other command reads a room; a word without a room's
    marks (a date, 2026-12-04) as typed."""
    from dutyctl.folding import half_width
    from dutyctl.rooms import is_room, normalise

    def room_form(word: str) -> str:
        if not any(mark in half_width(word) for mark in _ROOM_WORDS):
            return word
        room = normalise(word)
        return room if is_room(room) else word

    return " ".join(room_form(word) for word in query.split())


def find(store, query: str, config=None, **options):
    """`_find` of the query as typed and, when it writes a room as residents say it, of the
    room in the form records keep too (the room field holds 3-2-501, a text may say
    3栋2单元501室): the hits of both, newest kept as `_find` keeps them."""
    hits, problems, more = _find(store, query, config, **options)
    rooms = _as_rooms(query)
    if rooms == " ".join(query.split()):
        return hits, problems, more
    other, other_problems, other_more = _find(store, rooms, config, **options)
    seen = {hit.record.id for hit in hits}
    merged = sorted([*hits, *(hit for hit in other if hit.record.id not in seen)],
                    key=lambda hit: creation_order(hit.record))
    newest = options.get("newest")
    if newest is not None and len(merged) > newest:
        merged, more = merged[-newest:], True
    return merged, list(dict.fromkeys([*problems, *other_problems])), more or other_more


def _find(store, query: str, config=None, *, kinds=None, since=None, until=None,
          open_only: bool = False, newest: int | None = None):
    """(hits oldest first, unreadable files met, whether more matched than `newest`).

    With `newest`, only that many of the most recent matches: a word as common as 漏水 in
    years of history must not cost the years."""
    from dutyctl.queries import is_open

    terms = terms_of(query)

    def candidates(limit: int | None):
        def from_files():
            scan = store.scan(since, until, kinds)
            scan.records = [record for record in scan.records
                            if not open_only or is_open(record)]
            if limit is not None:
                scan.records = scan.records[::-1]
            return scan

        return store.ask(lambda index: index.search(
            terms, {term: label_ids(config, term) for term in terms}, kinds=kinds,
            since=since, until=until, open_only=open_only, newest=limit), from_files)

    wanted = None if newest is None else newest * 2 + 10
    found = candidates(wanted)
    hits = search(found.records, query, config)
    if wanted is not None and len(found.records) >= wanted and len(hits) <= newest:
        found = candidates(None)  # many candidates did not really match: check them all
        hits = search(found.records[::-1], query, config)
    more = newest is not None and len(hits) > newest
    chosen = hits[:newest] if newest is not None else hits
    chosen.sort(key=lambda hit: creation_order(hit.record))
    return chosen, found.problems, more
