"""Staff and shifts by id and name, from the roster rules, without the roster engine."""

from __future__ import annotations

from typing import Iterable

from dutyctl.errors import DutyError, InputError
from dutyctl.messages import t
from dutyctl.rulesfile import RULES_FILE, rules_data


def staff_ids(workspace) -> dict[str, str] | None:
    """id -> name of every staff member in rosters/rules.yaml; None when there are no rules,
    or they cannot be read (`staff_in_rules` tells those apart)."""
    known, _readable = staff_in_rules(workspace)
    return known


def staff_in_rules(workspace) -> tuple[dict[str, str] | None, bool]:
    """(id -> name of every staff member in rosters/rules.yaml, or None; whether the rules
    could be read): (None, True) when there is no rules file, (None, False) when there is one
    that cannot be read or names nobody readable."""
    try:
        data = rules_data(workspace)
    except DutyError:
        return None, False  # `dutyctl check` reports broken rules; logging a call must still work
    if data is None:
        return None, True
    known = _staff_of(data)
    # rules without one readable staff member (a list, an empty file, `staff: 3`) are broken,
    # not a site of nobody: `check` reports them, and nobody is refused meanwhile
    return (known, True) if known else (None, False)


def committed_staff_ids(workspace) -> dict[str, str] | None:
    """id -> name of every staff member in the rules as last committed (HEAD's
    rosters/rules.yaml, read within the same bounds and parsed the same way); None when there
    are none, or they cannot be read either."""
    from dutyctl import gitsync
    from dutyctl.rulesfile import MAX_RULES_BYTES, rules_path
    from dutyctl.ruleskeys import canonical
    from dutyctl.store import yamlio

    label = workspace.relative(rules_path(workspace))
    raw = gitsync.committed_file(workspace.root, label, MAX_RULES_BYTES)
    if raw is None:
        return None
    try:
        data = canonical(yamlio.loads(yamlio.decode(raw, label), label))
    except DutyError:
        return None
    return _staff_of(data) or None


def _staff_of(data) -> dict[str, str]:
    """id -> name of the staff of loaded rules (their keys read, `ruleskeys.canonical`)."""
    return dict(_by_id(data.get("staff") if isinstance(data, dict) else None))


def shift_names(workspace) -> dict[str, str]:
    """id -> name of every shift in rosters/rules.yaml ({} when the rules are missing or
    unreadable: `check` reports them, and screens fall back to the ids)."""
    try:
        data = rules_data(workspace)
    except DutyError:
        return {}
    shifts = data.get("shifts") if isinstance(data, dict) else None
    return dict(_by_id(shifts))


def _by_id(entries) -> Iterable[tuple[str, str]]:
    """(id, name) of each entry of a rules section, as the roster rules read them: an entry
    without an id line goes by its name (张伟) when the name can be an id."""
    from dutyctl.ruleids import is_id

    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        if entry.get("id") is not None:
            yield str(entry["id"]), str(entry.get("name", entry["id"]))
        elif is_id(entry.get("name")):
            yield entry["name"], entry["name"]


def resolve_staff(workspace, named: str) -> str:
    """The staff id of `named`, typed by id or name (陈静); unchecked when the workspace has no
    roster rules (a site may run without rosters). Rules that cannot be read are stood in
    for by the rules as last committed; without those either, `named` is taken as typed (it
    is an id: text_problems) and `check` reports it if it is nobody's."""
    from dutyctl.choices import resolve_staff as resolve

    from dutyctl.store.recordstore import text_problems

    # checked here, not only against the rules: without a rules file any id is taken
    for problem in text_problems(named, t("staff id")):
        raise InputError(problem)
    known = _known_staff(workspace)
    return _unchecked(named) if known is None else resolve(named, known,
                                                           f"rosters/{RULES_FILE}")


def _known_staff(workspace) -> dict[str, str] | None:
    """id -> name of the staff names are looked up in; None: nobody to look them up in."""
    known, readable = staff_in_rules(workspace)
    if known is None and not readable:
        # the rules cannot be read (a merge's conflict markers, a slip): the desk keeps
        # working with the staff as last committed, so 张伟 is still recorded as his id
        known = committed_staff_ids(workspace)
    return known


def _unchecked(named: str) -> str:
    """A name taken as typed, with no staff list to look it up in: `陈 静` (single characters
    apart) is 陈静, as a lookup would find; two names (`赵磊 刘洋`) are no one person's,
    refused (a list of people splits them: _one_or_spaced)."""
    parts = named.split()
    if len(parts) < 2:
        return named.strip()
    if all(len(part) == 1 for part in parts):
        return "".join(parts)
    raise InputError(t("'{named}' is not one person's name (there is no staff list in "
                       "rosters/{rules} to look it up in): write one name, or several people "
                       "separated by ，", named=" ".join(parts), rules=RULES_FILE))


def resolve_staff_list(workspace, typed: Iterable[str]) -> list[str]:
    """Staff ids of several people, each typed by id or name, given one by one or as a list
    (`lina,wangqiang`, `李娜，王强`, `李娜、王强`, and `李娜 王强` when no one is named so:
    `陈 静` is still 陈静); each once, in the order typed."""
    from dutyctl.choices import split_list

    words = [word for value in typed for word in split_list(value)]
    return list(dict.fromkeys(person for word in words
                              for person in _one_or_spaced(workspace, word)))


def _one_or_spaced(workspace, word: str) -> list[str]:
    """The person `word` names; else, when it has spaces, the people its parts name (each
    one of them); when some part names someone, the refusal of the first part that does not
    (李四 unknown, 张伟 shared by two, with their ids): the clerk sees which name to fix;
    else (no part names anyone) the refusal of the whole word."""
    try:
        return [resolve_staff(workspace, word)]
    except DutyError as refused:
        parts = word.split()
        if len(parts) < 2:
            raise
        if _known_staff(workspace) is None and any(len(part) < 2 for part in parts):
            raise  # 赵 磊 刘洋, nobody to look them up in: which is one name, which two?
        found, failed = [], []
        for part in parts:
            try:
                found.append(resolve_staff(workspace, part))
            except DutyError as error:
                failed.append(error)
        if not failed:
            return found
        raise (failed[0] if found else refused) from None

