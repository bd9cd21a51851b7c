"""Filters over records: small pure functions the listing commands share."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from dutyctl.config import NO_CHOICES
from dutyctl.records import Record, creation_order, kind_spec, kind_words
from dutyctl.residents import place_of


def is_open(record: Record) -> bool:
    return record.status not in kind_spec(record.kind).closed_statuses


def closed_at(record: Record, as_of: datetime | None = None) -> datetime | None:
    """When the record last became closed (by `as_of`: its steps up to then); None while it
    is open. Only the steps that counted (KindSpec.counted): a clashing one changed nothing."""
    spec = kind_spec(record.kind)
    changes = spec.changes(record)
    if as_of is not None:
        changes = tuple(change for change in changes if change[0].at <= as_of)
    return _closed_since(spec, record, changes)


def open_at(record: Record, moment: datetime) -> bool:
    """Filed by `moment` and not closed at it (closed later, or never): the one meaning of
    "open then", which the index answers for many records at once (`Store.open_at`, a
    report's records carried from before its period)."""
    closed = closed_at(record)
    return record.created_at <= moment and (closed is None or closed > moment)


def standing(record: Record) -> tuple[str, bool, datetime | None]:
    """(status, is_open, closed_at) from one fold of the history: what the index stores of
    every record, where three folds cost a build of years of history a tenth of its time."""
    spec = kind_spec(record.kind)
    status, changes = spec.standing(record)
    return (status, status not in spec.closed_statuses,
            _closed_since(spec, record, changes))


def _closed_since(spec, record: Record, changes) -> datetime | None:
    status = spec.initial_status(record.fields)
    since = record.created_at if status in spec.closed_statuses else None
    for event, target in changes:
        if target not in spec.closed_statuses:
            since = None
        elif since is None:
            since = event.at
    return since


def resolve_filters(config, *, kind: str | None = None, status: str | None = None,
                    category: str | None = None, since=None, until=None,
                    entry_types: bool = False,
                    ) -> tuple[str | tuple[str, ...] | None, str | None, str | None]:
    """The ids of a kind, status and category typed by id or word (投诉, 已关闭, 噪音). A status
    word narrows the kinds to those whose screens show it (`words.kinds_of_status_word`:
    处置中 an emergency, 待处理 a complaint; a tuple when several). A value no record can have
    is a typo, not an empty result: InputError (exit 2) naming the choices. A duty log
    entry's type is its category; `entry_types` (a caller that filters by category): a type
    typed as the kind (巡查) means those entries. Each step runs only for a value typed: `list`
    alone imports no kind module."""
    from dutyctl.errors import InputError
    from dutyctl.messages import t

    if kind is not None:
        kind, category = _typed_kind(kind, category, entry_types)
    if status is not None:
        kind, status = _typed_status(status, kind)
    if category is not None:
        kind, category = _typed_category(config, kind, category)
    if since is not None and until is not None and since > until:
        raise InputError(lambda name: t("{since_name} {since} is after {until_name} {until}",
                                        since_name=name("since"), since=since,
                                        until_name=name("until"), until=until))
    return kind, status, category


def _entry_types() -> tuple[str, dict]:
    """The duty log entry's kind and its types typed by id or word (巡查, 来访): a type may
    stand for a kind or a category typed (imported then only)."""
    from dutyctl import words
    from dutyctl.kinds.entry import KIND, TYPES

    return KIND, words.choices(words.ENTRY_TYPES, TYPES, words.ENTRY_TYPED)


def _typed_kind(kind: str, category: str | None, entry_types: bool) -> tuple[str, str | None]:
    """The kind's id; with `entry_types` and no category, a duty log type typed as the kind
    (--kind 巡查) is the duty log's entries of that type."""
    from dutyctl import choices, words
    from dutyctl.messages import N_
    from dutyctl.records import kinds

    entry, types = _entry_types()
    kind_choices = words.choices(kind_words(), sorted(kinds()))  # every kind module imported
    if (entry_types and category is None and not choices.matches(kind, kind_choices)
            and len(choices.matches(kind, types, partial=False)) == 1):
        kind, category = entry, kind  # --kind 巡查: the duty log's patrols
    return choices.resolve(kind, kind_choices,
                           N_("unknown kind '{value}'; choose one of: {choices}"),
                           builtin=True), category


#: Named groups of statuses a status filter takes as one word (`list --status 待回访`, words
#: in words.STATUS_GROUPS): the group's id -> the step its records wait for. Its records are,
#: of every kind with that step, those in a status the kind's transitions allow the step from:
#: a complaint resolved, a repair done (and any ticket kind's like status) wait for the
#: return visit that closes them, as a report's "waiting for the return visit" counts them.
STATUS_GROUPS = {"awaiting-visit": "visit"}

#: A status filter of several statuses: (kind, status) pairs, each kind with its own
StatusPairs = tuple[tuple[str, str], ...]


def group_statuses(group: str, specs) -> StatusPairs:
    """The (kind, status) pairs of a named group (STATUS_GROUPS) among the kinds `specs`."""
    from dutyctl.records import ANY

    action = STATUS_GROUPS[group]
    return tuple((spec.name, status) for spec in specs if action in spec.transitions
                 for status in spec.transitions[action][0] if status != ANY)


def _typed_status(typed: str, kind) -> tuple[str | tuple[str, ...] | None,
                                            str | StatusPairs]:
    """The status's id among the kind's (every kind's when none); without a kind, the kinds
    whose screens show the word typed. Several statuses (`已办结,已完工`, `已办结、已完工`) or
    a named group (待回访, STATUS_GROUPS): (kind, status) pairs, each status of the kinds
    whose screens show it as typed, and the kinds of those pairs."""
    from dutyctl import choices
    from dutyctl.records import kinds

    known = kinds()
    specs = [known[kind]] if kind else list(known.values())
    parts = choices.split_list(typed) or [typed]
    if len(parts) > 1:
        _refuse_not_clocked_out_among(parts)
    found = [_one_status(part, kind, specs) for part in parts]
    if len(found) == 1 and found[0][1] not in STATUS_GROUPS:
        return found[0]
    pairs: dict[tuple[str, str], None] = {}
    for narrowed, status in found:
        if status in STATUS_GROUPS:
            pairs.update(dict.fromkeys(group_statuses(status, specs)))
            continue
        among = ((narrowed,) if isinstance(narrowed, str) else narrowed) or tuple(
            spec.name for spec in specs if status in spec.statuses())
        pairs.update(dict.fromkeys((one, status) for one in among))
    named = tuple(dict.fromkeys(one for one, _ in pairs))
    return (named[0] if len(named) == 1 else named), tuple(pairs)


def _one_status(status: str, kind, specs) -> tuple[str | tuple[str, ...] | None, str]:
    """One status typed (or a named group's id), as `_typed_status` reads each."""
    from dutyctl import choices, words
    from dutyctl.messages import N_
    from dutyctl.records import VOIDED

    statuses = sorted(set().union(*(spec.statuses() for spec in specs)))
    typed = words.status_choices(statuses, [spec.name for spec in specs])
    voided = {VOIDED: typed.pop(VOIDED)} if VOIDED in typed else {}
    # 已作废 is told its own refusal below, never offered in the list of statuses
    groups = [group for group in STATUS_GROUPS if group_statuses(group, specs)]
    typed.update(words.status_group_choices(groups))
    said = status
    if voided and choices.matches(status, voided) and not choices.matches(status, typed):
        status = VOIDED
    else:
        shown = words.status_words_shown(
            {spec.name: spec.statuses() - {VOIDED} for spec in specs}, groups)
        shown = _with_not_clocked_out(shown, specs)
        if not choices.matches(status, typed):
            _refuse_the_open_option(status)
        status = choices.resolve(status, typed, N_(
            "unknown status '{value}'; choose one of: {choices}"), builtin=True, listed=shown)
    if status == VOIDED:  # the index leaves them out of every question (store.index.COUNTED)
        from dutyctl.commandwords import said as command_said
        from dutyctl.errors import InputError
        from dutyctl.messages import t

        raise InputError(t("a voided record is in no list, report or search: "
                           "'dutyctl {show} ID' shows it", show=command_said("show")))
    if kind is None and status not in STATUS_GROUPS:
        narrowed = words.kinds_of_status_word(said, status, [
            spec.name for spec in specs if status in spec.statuses()])
        kind = narrowed[0] if narrowed and len(narrowed) == 1 else narrowed
    return kind, status


OPEN_OPTION = "--open"  # list's records not yet closed (commandwords.OPTIONS: --未关闭)


def _refuse_the_open_option(typed: str) -> None:
    """`--status 未关闭` (no status: the option --未关闭, every record not yet closed): said
    so, where the list of statuses guessed 已关闭, the opposite."""
    from dutyctl.commandwords import FORMER_NAMES, OPTIONS

    names = (OPTIONS[OPEN_OPTION], *FORMER_NAMES[OPEN_OPTION])
    if typed.strip().casefold() in {name.lstrip("-").casefold() for name in names}:
        from dutyctl.errors import InputError
        from dutyctl.messages import t

        raise InputError(lambda name: t(
            "'{value}' is no status: {option} lists every record not yet closed",
            value=typed.strip(), option=name("open_only")))


NOT_CLOCKED_OUT = "not-clocked-out"  # a duty's status as shown once its shift is long over


def means_not_clocked_out(typed: str) -> bool:
    """Is `typed` (list --status) the status NOT_CLOCKED_OUT as a screen says it (未签退),
    in English or by its id? No record is written with it: `list` judges it."""
    from dutyctl import choices, words

    return bool(choices.matches(typed, words.choices(words.STATUSES, [NOT_CLOCKED_OUT]),
                                partial=False))


def _with_not_clocked_out(shown: list[str], specs) -> list[str]:
    """The words a status refusal lists, with 未签退 (NOT_CLOCKED_OUT: a duty left open
    past its shift, judged by `list`, never stored) beside the duty's own when duties are
    among the kinds asked about: `list --status` takes it, so the list offers it; never in a
    ticket kind's list."""
    from dutyctl import words
    from dutyctl.kinds.duty import KIND as DUTY, ON_DUTY

    if not any(spec.name == DUTY for spec in specs):
        return shown
    word = words.status_word(NOT_CLOCKED_OUT, DUTY)
    if word in shown:
        return shown
    on_duty = words.status_word(ON_DUTY, DUTY)
    at = shown.index(on_duty) + 1 if on_duty in shown else len(shown)
    return [*shown[:at], word, *shown[at:]]


def _refuse_not_clocked_out_among(parts: list[str]) -> None:
    """未签退 in a list of several statuses (`未签退,在岗`): `list` judges it apart from the
    stored statuses, for itself only; said so, where it was refused as no status at all
    while `--status 未签退` alone lists the duties left open."""
    for part in parts:
        if means_not_clocked_out(part):
            from dutyctl.errors import InputError
            from dutyctl.messages import t

            raise InputError(lambda name: t(
                "{status} is judged apart from the other statuses: give it alone "
                "({option} {status})", status=part.strip(), option=name("status")))


def _typed_category(config, kind, category: str) -> tuple[str | tuple[str, ...] | None, str]:
    """The category's id among the kind's (the kinds' when several, every kind's when none);
    without a kind, a duty log type that is no category's label (--category 巡查) is the
    duty log's entries of that type."""
    from dutyctl import choices
    from dutyctl.kinds.entry import UNKNOWN_TYPE
    from dutyctl.messages import N_

    entry, types = _entry_types()
    if kind is None and len(choices.matches(category, types, partial=False)) == 1 and not any(
            choices.matches(category, {key: (name,) for key, name in catalogue.names.items()},
                            partial=False) for catalogue in config.categories.values()):
        kind = entry  # --category 巡查: a duty log entry's type stands as its category
    if kind == entry:
        return kind, choices.resolve(category, types, UNKNOWN_TYPE, builtin=True)
    chosen = (kind,) if isinstance(kind, str) else kind
    catalogues = ([config.categories.get(one, NO_CHOICES) for one in chosen] if chosen
                  else list(config.categories.values()))
    labels: dict[str, tuple[str, ...]] = {}
    for catalogue in catalogues:
        for category_id, name in catalogue.names.items():
            labels[category_id] = tuple(dict.fromkeys((*labels.get(category_id, ()), name)))
    if chosen and not labels and any(one.names for one in config.categories.values()):
        _refuse_category_of(chosen)  # 值班 --类别 噪音: not "dutyctl.yaml lists no category"
    return kind, choices.resolve(category, dict(sorted(labels.items())), N_(
        "unknown category '{value}'; choose one of: {choices}"), none=N_(
        "dutyctl.yaml lists no category, so '{value}' cannot be one"))


def _refuse_category_of(kinds) -> None:
    """Kinds none of whose records has a category (a duty, a handover), asked by category."""
    from dutyctl.errors import InputError
    from dutyctl.messages import t
    from dutyctl.records import kind_word

    raise InputError(lambda name: t("{kinds} records have no category: leave out {option}",
                                    kinds=t(", ").join(map(kind_word, kinds)),
                                    option=name("category")))


def category_of(record: Record) -> str | None:
    """A record's category; a duty log entry's type stands as its own (巡查, 来访)."""
    from dutyctl.kinds.entry import KIND as ENTRY

    return record.get("type") if record.kind == ENTRY else record.get("category")


def status_matches(record: Record, status: "str | StatusPairs") -> bool:
    """The record is in the status asked: one status id, or one of several (kind, status)
    pairs (`_typed_status`)."""
    if isinstance(status, str):
        return record.status == status
    return (record.kind, record.status) in status


def select(records: Iterable[Record], *, status: "str | StatusPairs | None" = None,
           room: str | None = None,
           category: str | None = None, open_only: bool = False,
           assigned: str | None = None) -> list[Record]:
    if assigned:
        from dutyctl.records import assignee
    if room:
        from dutyctl.rooms import matches, normalise

        room = normalise(room)
    chosen = []
    for record in records:
        if status and not status_matches(record, status):
            continue
        if room and not matches(place_of(record), room):
            continue
        if category and category_of(record) != category:
            continue
        if open_only and not is_open(record):
            continue
        if assigned and assignee(record) != assigned:
            continue
        chosen.append(record)
    return chosen


def keep_newest(found, newest: int | None):
    """`found` (a ScanResult, oldest first) cut to its `newest` most recent records, with
    `total` how many there were; unchanged without a limit."""
    if newest is not None:
        found.total = len(found.records)
        found.records = found.records[-newest:]
    return found


def urgency_wanted(config, typed: str, kind: str | tuple[str, ...] | None) -> dict[str, str]:
    """`list --urgency`: {ticket kind: its class the typed word names} (急修 names a repair
    class, 紧急 a class of both kinds); refused naming the classes when it names none."""
    from dutyctl.errors import InputError
    from dutyctl.kinds.complaint import choose_urgency
    from dutyctl.messages import t
    from dutyctl.records import ticket_kinds

    asked = [kind] if isinstance(kind, str) else list(kind or ())
    kinds = [one for one in (asked or ticket_kinds()) if one in ticket_kinds()]
    if not kinds:  # list --kind call --urgency 急修
        raise InputError(lambda name: t("{urgency} is for complaints and repairs only",
                                        urgency=name("urgency")))
    wanted, refusals = {}, []
    for one in kinds:
        try:
            wanted[one] = choose_urgency(config, one, "", typed)[0]
        except InputError as refused:
            refusals.append(refused)
    if not wanted:
        if len(refusals) == 1:
            raise refusals[0]
        names = [urgency.name or class_id for one in ticket_kinds()
                 for class_id, urgency in (config.urgency[one].classes.items()
                                           if one in config.urgency else ())]
        raise InputError(t("unknown urgency '{value}'; choose one of: {choices}", value=typed,
                           choices=t(", ").join(dict.fromkeys(names))))
    return wanted


#: find_newest_kept asks first for this many times the records wanted, at least LEAST_ASK
FIRST_ASK, LEAST_ASK = 8, 200


def find_newest_kept(store, keep, newest: int, **filters):
    """find(**filters) of the records `keep` takes (a test the index cannot make: an urgency
    class now), the `newest` of them: the index is asked for more and more of the newest
    (8 times as many, then 4 times more each round) until that many are kept or none is left,
    not for every one (3 s on three years of repairs, for a screen of 50). `total` is None
    when older records were not looked at: how many there are in all is not known."""
    asked = max(newest * FIRST_ASK, LEAST_ASK)
    while True:
        found = find(store, newest=asked, **filters)
        kept = [record for record in found.records if keep(record)]
        everything = found.total is None or found.total <= asked
        if len(kept) >= newest or everything:
            found.records = kept
            if everything:
                return keep_newest(found, newest)
            found.records, found.total = kept[-newest:], None
            return found
        asked *= 4


def of_urgency(records: list, wanted: dict[str, str]) -> list:
    """The records whose urgency class now (`urgency_of`: a reclassify counted) is wanted."""
    from dutyctl.kinds.complaint import urgency_of

    return [record for record in records if wanted.get(record.kind) is not None
            and urgency_of(record) == wanted[record.kind]]


def find(store, *, kind: str | tuple[str, ...] | None = None, since=None, until=None,
         status: "str | StatusPairs | None" = None, room: str | None = None,
         category: str | None = None, open_only: bool = False, assigned: str | None = None,
         as_of: datetime | None = None, newest: int | None = None):
    """The records `list` shows, oldest first, with the unreadable files met: asked of the
    record index (the cost of the answer), else read from the files. `room` matches the room
    in any spelling, or every room of a building or unit (`3`, `3-2`). `as_of`: the records
    filed by then, as they stood then (status, assignee and openness judged at that moment).
    `newest`: only that many of the most recent (the index reads no more than those and
    counts the rest), with `total` how many matched."""
    from dutyctl.records import as_it_stood

    kinds = (kind,) if isinstance(kind, str) else kind
    if room:
        from dutyctl.rooms import normalise

        room = normalise(room)

    def exact(records):
        return select(as_it_stood(records, as_of), status=status, room=room,
                      category=category, open_only=open_only, assigned=assigned)

    def from_files():
        scan = store.scan(since, until, kinds)
        scan.records = exact(scan.records)
        return keep_newest(scan, newest)

    def from_index(index):
        # the index reads only the newest when its columns decide the whole answer: always
        # now; as of a moment when only "filed by then" is asked of the status (a record
        # the exact test then drops, its room corrected since, sends it the long way)
        if newest is not None and (
                as_of is None or not (status or assigned or open_only)):
            found = index.listing(kinds=kinds, since=since, until=until, room=room,
                                  category=category, open_only=open_only, as_of=as_of,
                                  status=status, assigned=assigned, newest=newest)
            found.records.reverse()  # the newest came newest first
            if as_of is None:
                return found
            kept = exact(found.records)
            if len(kept) == len(found.records):
                found.records = kept
                return found
        if as_of is None:
            return keep_newest(index.listing(kinds=kinds, since=since, until=until,
                                             room=room, category=category,
                                             open_only=open_only, status=status,
                                             assigned=assigned), newest)
        # as of a moment: the records with no step since stood then as their columns say
        # (the index answers for them, the newest only when so asked); those with one are
        # narrowed to candidates (filed by then; open then: not closed yet, or closed
        # later) and the exact test runs on each as it stood
        settled = index.listing(kinds=kinds, since=since, until=until, room=room,
                                category=category, open_only=open_only, as_of=as_of,
                                status=status, assigned=assigned, settled=True,
                                newest=newest)
        moving = index.listing(kinds=kinds, since=since, until=until, room=room,
                               category=category, open_only=open_only, as_of=as_of,
                               settled=False)
        kept = exact(moving.records)
        settled.records = sorted([*settled.records, *kept], key=creation_order)
        if newest is not None:
            settled.total += len(kept)
            settled.records = settled.records[-newest:]
        return settled

    return store.ask(from_index, from_files)
