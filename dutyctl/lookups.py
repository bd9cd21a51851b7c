"""The values shell completion offers for an option or argument: staff, departments, emergency
types, categories, urgency classes, kinds, formats, open record ids, the roster's shifts and the
open readiness problems, from the workspace's own files.

No Typer and no command module here: the launcher (dutyctl/launcher.py) answers a TAB with these
before the CLI is loaded, and dutyctl/cli/values.py hands the same lookups to Click. A lookup
takes the words of the command (`["repair", "done"]`) and the workspace, and gives
(value, help or None) pairs.

On a Chinese screen what a command takes by its name too is offered by that name (`来电 --类别
<TAB>`: 物业费咨询, 噪音...; a staff member by name where no one else has it), the ids only once
what is typed begins one; an English screen gets the ids with the names as help.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable


def offered(kind: str, words: list[str], root: str | None, typed: str) -> list[tuple]:
    """The (value, help) pairs of lookup `kind` matching what is typed; nothing outside a
    workspace or in a broken one: a completion never fails the shell."""
    from dutyctl import messages
    from dutyctl.errors import DutyError
    from dutyctl.output import visible
    from dutyctl.workspace import find_workspace, site_language_hint

    try:
        workspace = find_workspace(root)
        messages.set_site_language(messages.normalise(site_language_hint(str(workspace.root))))
        found = LOOKUPS[kind](words, workspace)
        if kind in NAMED and messages.current_language() == "zh_CN":
            return [(value, visible(text) if text else text)
                    for value, text in by_name(NAMED[kind](found), typed)
                    if visible(value) == value and value.startswith(typed)]
    except (DutyError, OSError):
        return []
    # ids, names and summaries may come from another desk: nothing raw reaches the terminal
    return [(value, visible(text) if text else text) for value, text in found
            if visible(value) == value
            and (value.startswith(typed) or (text or "").startswith(typed))]


def by_name(found: list[tuple], typed: str) -> list[tuple]:
    """(id, name) pairs as a Chinese screen offers them: each name that is one word and no
    other's (no help: it says itself), else the id with the name as help; and, once something
    is typed, the ids too (an id typed on a Chinese screen still completes)."""
    counts = Counter(name for _, name in found if name)
    names, ids = [], []
    for value, name in found:
        if name and counts[name] == 1 and name.split() == [name] and not name.startswith("-"):
            names.append((name, None))
            if typed:
                ids.append((value, name))
        else:
            names.append((value, name))
    taken = {value for value, _ in names}
    return names + [(value, name) for value, name in ids if value not in taken]


def _kind_words(found: list[tuple]) -> list[tuple]:
    from dutyctl.records import kind_word

    return [(kind, kind_word(kind)) for kind, _ in found]


def _kind_of(words: list[str]) -> str | None:
    """The kind with categories a command is about: `log call` -> call, `repair file` ->
    repair."""
    from dutyctl.records import declares

    found = [word for word in words if declares(word, "category")]
    return found[0] if found else None


def staff(words, workspace):
    from dutyctl.people import known_staff  # rules a slip broke: as last committed

    return list((known_staff(workspace) or {}).items())


def departments(words, workspace):
    return [(dept_id, dept.name) for dept_id, dept in workspace.config.departments.items()]


def emergency_types(words, workspace):
    return [(type_id, kind.name) for type_id, kind in workspace.config.emergencies.items()]


def categories(words, workspace):
    from dutyctl.config import NO_CHOICES

    kind = _kind_of(words)
    catalogues = workspace.config.categories
    # a kind the site lists no categories of has none (not every kind's)
    chosen = [catalogues.get(kind, NO_CHOICES)] if kind else list(catalogues.values())
    return list({key: name for catalogue in chosen
                 for key, name in catalogue.names.items()}.items())


def urgency_classes(words, workspace):
    from dutyctl.records import declares, kinds_with

    kind = _kind_of(words)
    schemes = workspace.config.urgency
    chosen = [schemes[kind]] if kind in schemes and declares(kind, "urgency") else [
        schemes[name] for name in kinds_with("urgency") if name in schemes]
    return list({key: level.name for scheme in chosen
                 for key, level in scheme.classes.items()}.items())


def kinds(words, workspace):
    from dutyctl.records import kinds as known

    return [(kind, None) for kind in known()]


def formats(words, workspace):
    """What the command's --format takes: a report's, roster export's, or a listing's."""
    if words[:1] == ["report"]:
        from dutyctl.reports.render import TAKEN as named
    elif words[:2] == ["roster", "export"]:
        from dutyctl.output import EXPORT_FORMATS as named
    else:
        from dutyctl.output import FORMATS as named
    return [(name, None) for name in named]


def _stepped_kinds(words: list[str]) -> tuple[str, ...] | None:
    """The record kinds a command steps, from its words: its group's kind (`repair done`), a
    call for `callback done|attempt` (the open calls are those awaiting their callback); None:
    any kind (`show`)."""
    from dutyctl.records import is_kind

    group = words[:1]
    if group == ["callback"]:
        from dutyctl.kinds.call import KIND

        return (KIND,)
    return tuple(group) if group and is_kind(group[0]) else None


def open_records(words, workspace):
    """Open records, newest first; of the kind the command steps when it has one (`repair
    done`: repairs; `callback done`: calls awaiting their callback)."""
    records = workspace.store.open_records(_stepped_kinds(words), build=False).records
    return [(record.id, f"{record.kind} {record.get('summary') or record.get('content') or ''}"
             .strip()) for record in reversed(records)]


def shifts(words, workspace):
    """The roster rules' shifts (`排班 顶班 DATE <TAB>`), by id with the name."""
    from dutyctl.roster.onduty import cached_rules

    return [(shift.id, shift.name) for shift in cached_rules(workspace).shifts]


def open_problems(words, workspace):
    """What `checklist fix` takes for the readiness problems still open, oldest first: the
    checklist item of each item with one open problem (with its label), the problem's id
    where an item has several (the item alone would be refused)."""
    from dutyctl.desk.checklist import PROBLEM

    records = workspace.store.open_records((PROBLEM,), build=False).records
    per_item = Counter(record.get("item") for record in records)
    checklist, found = workspace.config.checklist, {}
    for record in records:
        item = record.get("item")
        value = item if per_item[item] == 1 else record.id
        found.setdefault(value, checklist.name(item))
    return list(found.items())


#: the lookups whose values a command takes by their names too -> (id, name) of each found
NAMED: dict[str, Callable] = {
    "staff": list, "departments": list, "emergency_types": list, "categories": list,
    "urgency_classes": list, "kinds": _kind_words, "shifts": list, "open_problems": list,
}

LOOKUPS: dict[str, Callable] = {
    "staff": staff, "departments": departments, "emergency_types": emergency_types,
    "categories": categories, "urgency_classes": urgency_classes, "kinds": kinds,
    "formats": formats, "open_records": open_records, "shifts": shifts,
    "open_problems": open_problems,
}
