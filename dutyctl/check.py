"""`dutyctl check`: config, rules, rosters and every record; all problems, not the first."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dutyctl import yamlio
from dutyctl.config import parse_config, recurring_rule_problems
from dutyctl.errors import DutyError, Problem
from dutyctl.messages import t
from dutyctl.people import staff_ids
from dutyctl.records import Record, kind_spec
from dutyctl.store import Store


def _load(path: Path, label: str, problems: list[Problem]):
    try:
        return yamlio.load(path)
    except DutyError as exc:
        problems.append(Problem(label, exc.problem.line, exc.problem.message))
        return None


def check_config(workspace, problems: list[Problem]):
    before = len(problems)
    data = _load(workspace.config_path, workspace.relative(workspace.config_path), problems)
    if len(problems) > before:
        return None
    # an empty file loads as None: parse_config reports it like every other command does
    config, found = parse_config(data, workspace.relative(workspace.config_path))
    problems.extend(found)
    if config is not None:
        problems.extend(recurring_rule_problems(config))
    return config


def check_rosters(workspace, config, problems: list[Problem]) -> None:
    """Every YAML file under rosters/: the rules, and generated or hand-edited rosters."""
    try:
        from dutyctl.roster.validate import check_roster_folder
    except ImportError:
        check_roster_folder = None
    if check_roster_folder is not None:
        problems.extend(check_roster_folder(workspace, config))
        return
    for path in sorted(workspace.rosters_dir.glob("*.yaml")):
        _load(path, workspace.relative(path), problems)


def odd_files(workspace) -> list[Problem]:
    """Leftovers of interrupted writes, and what dutyctl refuses to read in the shared folders:
    symbolic links (git carries them), FIFOs, devices and sockets."""
    found = []
    top = [workspace.config_path, workspace.rosters_dir, workspace.records_dir]
    for start in top:
        for folder, folders, names in os.walk(start) if start.is_dir() else [(None, [], [start])]:
            for name in [*folders, *names]:
                path = Path(folder) / name if folder else Path(name)
                try:
                    mode = os.lstat(path).st_mode
                except OSError:
                    continue
                if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    found.append(Problem(workspace.relative(path), None,
                                         yamlio.not_a_file(mode)))
                elif str(name).endswith(".tmp"):
                    found.append(Problem(workspace.relative(path), None,
                                         t("leftover of an interrupted write: delete it")))
    return found


def unknown_categories(records: list[Record], config, workspace) -> list[Problem]:
    """Records whose category the site's config no longer has (read, listed and reported on
    all the same: renaming a category must not hide history)."""
    if config is None:
        return []
    found = []
    for record in records:
        category, choices = record.get("category"), config.categories.get(record.kind)
        if category and choices is not None and category not in choices:
            found.append(Problem(workspace.relative(record.path), record.line_of("category"),
                                 t("category: '{category}' is not a {kind} category of this site",
                                   category=category, kind=record.kind)))
    return found


def unknown_rooms(records: list[Record], config, workspace) -> list[Problem]:
    """Register entries whose room the site's address scheme does not have (tickets keep
    the room they were filed with: a scheme added later must not flood `check`)."""
    from dutyctl.errors import InputError
    from dutyctl.residents import person_of

    if config is None or config.rooms is None:
        return []
    found = []
    for record in records:
        if record.kind != "resident":
            continue
        room = person_of(record).get("room")
        try:
            config.rooms.resolve(room or "")
        except InputError as refused:
            found.append(Problem(workspace.relative(record.path), record.line_of("resident"),
                                 f"resident.room: {refused.problem.message}"))
    return found


def check_references(records: list[Record], known_staff: dict | None, workspace) -> list[Problem]:
    ids = {record.id for record in records}
    found = []
    for record in records:
        where = workspace.relative(record.path)
        spec = kind_spec(record.kind)
        for link in spec.references(record):
            if link not in ids:
                found.append(Problem(where, record.line, t("links to {id}, which does not exist",
                                                           id=link)))
        for event in record.events:
            if event.action not in spec.transitions:
                found.append(Problem(workspace.relative(event.path), event.line,
                                     t("a {kind} has no action '{action}'", kind=record.kind,
                                       action=event.action)))
        if known_staff is not None:
            filer = [] if _scheduled(record) else [(record.recorded_by, where, record.line)]
            actors = filer
            actors += [(event.by, workspace.relative(event.path), event.line)
                       for event in record.events]
            found.extend(Problem(path, line, t("no staff member '{id}'", id=actor))
                         for actor, path, line in actors
                         if actor is not None and actor not in known_staff)
    return found


def refused_text(records: list[Record], relative) -> list[Problem]:
    """Stored text dutyctl itself would refuse to write (a hand edit, another desk's bug):
    control, bidi or zero-width characters, fields over the length cap."""
    from dutyctl.store import text_problems

    found = []
    for record in records:
        where = relative(record.path)
        values = [("recorded_by", record.recorded_by), *record.fields.items()]
        found += [Problem(where, record.line_of(key), message)
                  for key, value in values for message in text_problems(value, key)]
        for event in record.events:
            values = [("by", event.by), ("note", event.note), *event.data.items()]
            found += [Problem(relative(event.path), event.line, message)
                      for key, value in values for message in text_problems(value, key)]
    return found


def _scheduled(record: Record) -> bool:
    """A repair filed by `repair schedule`: its filer is the schedule, not a staff member."""
    from dutyctl.kinds.repair import RECURRING, SCHEDULE_FILER

    return record.kind == "repair" and record.get(RECURRING) is not None and (
        record.recorded_by == SCHEDULE_FILER)


def duplicate_occurrences(records: list[Record], relative) -> list[Problem]:
    """Repairs filing an occurrence of a recurring job that an earlier repair already filed:
    two desks ran `repair schedule` before syncing. `relative` gives the path to show."""
    from dutyctl.kinds.repair import occurrence_of
    from dutyctl.tickets.lifecycle import closed_as_duplicate

    first: dict[tuple, Record] = {}
    found = []
    for record in sorted(records, key=lambda record: (record.created_at, record.id)):
        key = None if closed_as_duplicate(record) else occurrence_of(record)
        if key is None:
            continue
        if key not in first:
            first[key] = record
            continue
        found.append(Problem(relative(record.path), record.line, t(
            "repeats recurring job '{job}' at {at}, already filed as {other} (two desks ran "
            "repair schedule before syncing): finish one, close the other as a duplicate",
            job=key[0], at=record.get("recurring")["occurrence"], other=first[key].short_id)))
    return found


def half_read_records(problems: list[Problem], workspace) -> list[Record]:
    """Record files the store refused (a naive `created_at`, a missing field), with the fields
    they do have: the checks that follow still see them, so every problem of a file shows in
    one run instead of the next one appearing only after the first is fixed."""
    from dutyctl.records import RECORD_KEYS, kinds

    found = []
    for path in sorted({problem.path for problem in problems}):
        name = Path(path).name
        if not name.endswith(".yaml") or name.count(".") != 1 or not path.startswith("records"):
            continue
        try:
            data = yamlio.load(workspace.root / path)
        except DutyError:
            continue  # unreadable YAML: its one problem is already reported
        if not isinstance(data, dict) or data.get("kind") not in kinds():
            continue
        by = data.get("recorded_by")
        found.append(Record(str(data.get("id")), data["kind"], None,
                            by if isinstance(by, str) else None,
                            {key: value for key, value in data.items() if key not in RECORD_KEYS},
                            path=str(workspace.root / path), line=getattr(data, "line", 1) or 1,
                            field_lines=dict(getattr(data, "lines", {}))))
    return found


def untracked_files(workspace, config) -> list[Problem]:
    """Workspace files git does not track: other desks never see them, and a clone missing
    dutyctl.yaml is no workspace at all."""
    if config is not None and not config.auto_commit:
        return []  # the site commits by hand
    from dutyctl import gitsync

    return [Problem(name, None, t("not tracked by git: other desks do not have it (git add "
                                  "and commit it, or delete it)"))
            for name in gitsync.untracked(workspace.root) or ()]


def lifecycle_clashes(records: list[Record], relative) -> list[Problem]:
    """Events their record's status did not allow when they came: steps of two desks joined by
    a merge (one closed it, the other resolved it later). Each names both events and who."""
    found = []
    for record in records:
        spec = kind_spec(record.kind)
        for clash in spec.replay(record)[1]:
            event = clash.event
            if event.action not in spec.transitions:
                continue  # reported as an unknown action
            found.append(Problem(relative(event.path), event.line, clash_text(record, clash, relative)))
    return found


def clash_text(record: Record, clash, relative) -> str:
    event, after = clash.event, clash.after
    if after is None:
        return t("{action} by {by} at {at} is not possible: {id} was {status}; it counts for "
                 "nothing until settled", action=event.action, by=event.by,
                 at=event.at.isoformat(), id=record.short_id, status=clash.status)
    return t("{action} by {by} at {at} conflicts with {other} by {other_by} at {other_at} "
             "({other_path}:{other_line}), which had made {id} {status}: two desks acted "
             "without syncing; this step counts for nothing until a supervisor settles it "
             "(e.g. reopen with a reason, then repeat the step)",
             action=event.action, by=event.by, at=event.at.isoformat(), other=after.action,
             other_by=after.by, other_at=after.at.isoformat(),
             other_path=relative(after.path), other_line=after.line, id=record.short_id,
             status=clash.status)


def check_workspace(workspace, clashes: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    config = check_config(workspace, problems)
    check_rosters(workspace, config, problems)
    from dutyctl.timeutil import zone

    tz = config.tz if config else zone("Asia/Shanghai")
    if workspace.records_dir.exists() and not workspace.records_dir.is_dir():
        problems.append(Problem(workspace.relative(workspace.records_dir), None,
                                t("not a folder: records/ holds the records")))
    scan = Store(workspace.records_dir, tz, config).scan()
    problems.extend(scan.problems)
    problems.extend(odd_files(workspace))
    records = scan.records + half_read_records(scan.problems, workspace)
    problems.extend(check_references(records, staff_ids(workspace), workspace))
    problems.extend(unknown_categories(records, config, workspace))
    problems.extend(unknown_rooms(scan.records, config, workspace))
    problems.extend(duplicate_occurrences(scan.records, workspace.relative))
    problems.extend(refused_text(scan.records, workspace.relative))
    problems.extend(untracked_files(workspace, config))
    if clashes:
        problems.extend(lifecycle_clashes(scan.records, workspace.relative))
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
