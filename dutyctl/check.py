"""`dutyctl check`: config, rules, rosters and every record; all problems, not the first."""

from __future__ import annotations

import os
import re
import stat
from datetime import date
from pathlib import Path

from dutyctl.store import fastyaml, ids, yamlio
from dutyctl.config import DEFAULT_TIMEZONE, category_kind_problems, recurring_rule_problems
from dutyctl.errors import DutyError, Problem
from dutyctl.messages import t
from dutyctl.output import UNSAFE
from dutyctl.safetext import one_line
from dutyctl.people import staff_ids
from dutyctl.schema import phones_masked, unsafe_said
from dutyctl.records import (ASSIGNED_TO, LINK, SET_ASIDE, SETTLE, Record, clashing_steps,
                             creation_order, ids_in, kind_spec, kind_word)
from dutyctl.store.recordstore import Store
from dutyctl.store.verdicts import REMEMBERED_BYTES


def check_config(workspace, problems: list[Problem], warnings: list[Problem] | None = None):
    """The config (None when unusable), its problems added to `problems`; `warnings`: gets its
    names and labels that need putting right (shared_name_problems), from the file read here."""
    label = workspace.relative(workspace.config_path)
    try:  # as every command reads it (Workspace.config_yaml: its failure kept for the rest)
        data = workspace.config_yaml()
        # parsed once for the command (an empty file loads as None: parse_config reports it
        # like every other command does)
        config, found = workspace.parsed_config()
    except DutyError as exc:
        problems.append(Problem(label, exc.problem.line, exc.problem.message))
        return None
    problems.extend(found)
    problems.extend(category_kind_problems(data, label))
    if warnings is not None:
        warnings.extend(shared_name_problems(data, label))
    if config is not None:
        problems.extend(recurring_rule_problems(config))
        if config.notify is not None:
            from dutyctl.notify.settings import secret_file_problems

            problems.extend(secret_file_problems(config.notify, workspace.root, config.path))
    return config


def shared_name_problems(data, label: str) -> list[Problem]:
    """Control characters, line breaks and tabs included, in the names and labels of
    dutyctl.yaml or rosters/rules.yaml as loaded (`data`, the file `label`; its keys read as
    `configkeys` / `ruleskeys` name them, said as typed) (a staff member's name, a category's
    label): every screen shows them escaped and every commit subject too (safetext.one_line),
    but a name that needs it was written by hand or by another desk, to be put right. Free
    text (an emergency's steps, a leave's reason: FREE_TEXT_KEYS) may hold line breaks and
    tabs, and a folded value's one last line break is YAML's. `check` says these on stderr as
    warnings (the exit code unchanged): `path:line: field: …`."""
    return [Problem(label, line or None, t(
        "{field}: a line break or tab in a name or label (screens and commit messages show it "
        "as ␊ or ␉)", field=field) if code in (9, 10) else unsafe_said(field, code),
        breaks_a_file=False) for line, field, code in _control_characters(data, "", 0, False)]


def _rules_name_problems(workspace) -> list[Problem]:
    """shared_name_problems of the rules file, as the roster check read it (parsed once per
    edit: `rulesfile.read_rules_file`)."""
    from dutyctl.rulesfile import read_rules_file

    try:
        _, data, label = read_rules_file(workspace)
    except DutyError:
        return []  # missing or unreadable: said on its own
    return shared_name_problems(data, label)


#: a shift on site longer than this, short of a whole day, reads as an end typed before its
#: start (前台 08:30–05:30, 21 h); a 24-hour one (保安 08:00–08:00) is a pattern of its own
LONG_SHIFT_HOURS = 16


def _readable_rules(workspace):
    """The rules as the roster check read them, None when they do not load or have problems
    (said as problems of their own): what the rules' warnings read."""
    from dutyctl.roster.onduty import cached_read_rules

    try:
        rules, broken = cached_read_rules(workspace)
    except DutyError:
        return None
    return None if broken else rules


def _long_shifts(workspace) -> list[Problem]:
    """A warning for each shift on site running past midnight longer than LONG_SHIFT_HOURS
    and short of 24: an end at or before the start is the next day's, and a supervisor who
    meant 17:30 and typed 05:30 had a 21-hour shift rostered without a word."""
    from dutyctl.roster.coverage import minutes_of

    rules = _readable_rules(workspace)
    found = []
    for shift in rules.shifts if rules is not None else ():
        hours = (minutes_of(shift.end) + 1440 - minutes_of(shift.start)) / 60
        if shift.on_call or not shift.crosses_midnight or not LONG_SHIFT_HOURS < hours < 24:
            continue
        found.append(Problem(rules.path, shift.line or None, t(
            "shift {name} {start}–{end} runs {hours:g} hours, to the next day's {end}: if it "
            "ends the same day, write the end after the start", name=shift.name,
            start=f"{shift.start:%H:%M}", end=f"{shift.end:%H:%M}", hours=hours),
            breaks_a_file=False))
    return found


def _pattern_holes(workspace) -> list[Problem]:
    """A warning for each day kind whose required hours the shifts leave uncovered, every
    seat filled (`coverage.pattern_holes`): a day shift ending at 19:00 before a night from
    20:00, known before any roster is generated (each roster then reports it daily)."""
    from dutyctl.roster.coverage import RESTDAY, WORKDAY, pattern_holes, rule_label

    rules = _readable_rules(workspace)
    found = pattern_holes(rules.coverage, rules.shifts) if rules is not None else {}
    if not found:
        return []

    line = rules.coverage.line or min((shift.line for shift in rules.shifts), default=0)
    if found.get(WORKDAY) == found.get(RESTDAY):
        kinds = [(t("every day"), found[WORKDAY])]
    else:
        kinds = [(t("working days") if kind == WORKDAY else t("rest days"), stretches)
                 for kind, stretches in found.items()]
    return [Problem(rules.path, line or None, t(
        "{rule}: the shifts leave {stretches} with nobody on duty on {days}, "
        "every seat filled: each roster will have these holes",
        rule=rule_label(rules.coverage.hours), stretches=t(", ").join(stretches),
        days=days), breaks_a_file=False) for days, stretches in kinds]


def _month_ahead(workspace, config) -> list[Problem]:
    """Warnings of the month `roster generate` writes by default (the next one, by the desk's
    clock) while no roster covers any day of it: a year the holiday calendar has no notice for
    and the rules do not list (it cannot be planned), a break the package guesses there and
    the rules leave out, and each shortage: a headcount mistyped in the rules (人数: 30 for
    3) is told here, before a roster leaves its places open. The
    bound reads the rules and their leave alone (no neighbouring roster): it may miss a
    shortage a roster's week across the months makes, never tells one that is not there. A
    month a roster covers is its own roster check's (`check_rosters`)."""
    import calendar

    from dutyctl.output import month_label
    from dutyctl.roster.capacity import shortages
    from dutyctl.roster.positions import expand
    from dutyctl.roster.rosterfile import roster_files
    from dutyctl.roster.validate import role_names
    from dutyctl.timeutil import month_after, now, zone

    rules = _readable_rules(workspace)
    if rules is None:
        return []
    tz = config.tz if config is not None else zone(DEFAULT_TIMEZONE)
    first = month_after(now(tz).date())
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if any(start is not None and start <= last and end >= first
           for _, start, end in roster_files(workspace)):
        return []
    site_calendar = rules.calendar
    if site_calendar.covers(first.year):  # a break the package guesses, the rules leave out
        said = site_calendar.unlisted_guesses(first, last, rules.path)
    else:  # December: January cannot be planned yet, a working-day deadline reaching it
        said = [t("next month ({month}) cannot be planned yet: {why}",  # is unknown
                  month=month_label(first), why=site_calendar.uncovered(first.year,
                                                                        rules.path))]
    role_name = role_names(workspace, config)
    return [*(Problem(rules.path, site_calendar.line or None, text, breaks_a_file=False)
              for text in said),
            *(Problem(rules.path, _shortage_line(rules, shortage) or None,
                      t("next month ({month}), {capacity}", month=month_label(first),
                        capacity=shortage.describe(role_name)), shortage.data(),
                      breaks_a_file=False)
              for shortage in shortages(rules, expand(rules, first, last, tz)))]


def _calendar_reminders(workspace, config) -> list[Problem]:
    """The rosters not yet over planned through a break the rules leave out, in a year only
    they list (roster.validate.calendar_reminders)."""
    from dutyctl.roster.validate import calendar_reminders
    from dutyctl.timeutil import now, zone

    rules = _readable_rules(workspace)
    if rules is None:
        return []
    tz = config.tz if config is not None else zone(DEFAULT_TIMEZONE)
    return calendar_reminders(workspace, rules, now(tz).date())


def _shortage_line(rules, shortage) -> int:
    """The line of the shift a shortage names, else of the first shift needing its role."""
    return next((shift.line for shift in rules.shifts
                 if (shift.id == shortage.shift if shortage.shift
                     else set(shift.roles) & set(shortage.roles))), 0)


_CONTROL = re.compile("[\t\n]|" + UNSAFE.pattern)
#: the keys of free text in dutyctl.yaml and the rules, whose line breaks and tabs are the
#: writer's (an emergency's steps as a block, a leave's reason); a key typed in Chinese (步骤,
#: 原因, 事由) is read as the key its section's words name (configkeys, ruleskeys)
FREE_TEXT_KEYS = frozenset({"steps", "reason", "note", "notes", "description", "text",
                            "message"})


def _control_characters(value, where: str, line: int, free: bool):
    """(line, field, code) of the first control character of every text in `value`; `free`:
    inside free text, where only the unsafe ones (ESC, bidi) count."""
    if isinstance(value, str):
        text = value[:-1] if value.endswith("\n") else value  # a folded value's own
        if found := (UNSAFE if free else _CONTROL).search(text):
            yield line, where, ord(found[0])
    elif isinstance(value, dict):
        said = getattr(value, "said", {})
        for key, item in value.items():
            at = value.line_of(key) if hasattr(value, "line_of") else line
            typed = said.get(key, key)  # 步骤, where the file wrote it so
            field = f"{where}.{typed}" if where else str(typed)
            yield from _control_characters(typed, field, at, False)
            yield from _control_characters(item, field, at, free or key in FREE_TEXT_KEYS)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            at = value.line_of(index) if hasattr(value, "line_of") else line
            yield from _control_characters(item, f"{where}[{index}]", at, free)


def unapproved_commands(workspace) -> list[Problem]:
    """The command channels this desk has not approved as they are now (notify/consent.py):
    `check` warns of them; they stop nothing but their own messages."""
    try:
        config = workspace.config
    except DutyError:
        return []  # check reports the config itself
    if config.notify is None:
        return []
    from dutyctl.notify.consent import approvals, refusal
    from dutyctl.notify.outbox import why_said
    from dutyctl.notify.settings import COMMAND

    known = approvals(workspace)
    found = []
    for channel in config.notify.channels.values():
        if channel.type == COMMAND and (why := refusal(workspace, channel, known)):
            found.append(Problem(config.path, channel.line, why_said(why),
                                 breaks_a_file=False))
    return found


def shared_state(workspace) -> list[Problem]:
    """`.dutyctl/` is this desk's own, git-ignored: a file of it git tracks (`git add -f`) or
    a `.dutyctl` that is a link came from another desk, and may stand for this desk's state
    (its outbox, its locks). `check` warns of them."""
    from dutyctl import gitsync
    from dutyctl.output import visible

    root = Path(workspace.root)
    found = []
    if (root / ".dutyctl").is_symlink():
        found.append(Problem(".dutyctl", None, t(
            "a symbolic link, not this desk's own folder: another desk may have committed it; "
            "remove it (git rm) and let dutyctl make the folder"), breaks_a_file=False))
    listed = gitsync.git(root, "ls-files", "-z", "--", ".dutyctl")
    if listed.returncode == 0:
        for name in sorted(filter(None, listed.stdout.split("\0")))[:20]:
            if os.path.islink(root / name):
                continue  # said by check with what to do about it (_not_own_files)
            found.append(Problem(visible(name), None, t(
                "tracked by git although .dutyctl/ is this desk's own: another desk committed "
                "it (git add -f); remove it from git with git rm --cached"),
                breaks_a_file=False))
    return found


def _not_own_files(state_dir: Path) -> list[Problem]:
    """What in the state folder (and its outbox) dutyctl will not use as its own file: a
    symbolic link (never written through nor read: a lock refuses it, the index is made anew,
    a message is read around) and a folder where the record index or a lock belongs (then
    there is no index: every question reads the files)."""
    from dutyctl.notify.outbox import OUTBOX, SENDING
    from dutyctl.output import visible
    from dutyctl.store.index import INDEX_FILE
    from dutyctl.store.storage import link_refusal

    entries = []
    for folder in ("", OUTBOX, f"{OUTBOX}/{SENDING}"):  # the outbox's messages too
        if folder and os.path.islink(state_dir / folder):
            continue  # said itself, as a link; never looked into
        try:
            entries += sorted(((folder, entry) for entry in os.scandir(state_dir / folder)),
                              key=lambda pair: pair[1].name)
        except OSError:
            continue
    found = []
    for folder, entry in entries:
        named = "/".join(filter(None, (".dutyctl", folder, visible(entry.name))))
        if refusal := link_refusal(Path(entry.path)):
            found.append(Problem(named, None, refusal.problem.message))
        elif entry.is_dir(follow_symlinks=False) and (entry.name.startswith(INDEX_FILE)
                                                      or entry.name.endswith(".lock")):
            found.append(Problem(named, None, t(
                "a folder where dutyctl keeps a file of its own (the record index or a lock): "
                "another desk may have committed it; delete it (git rm it if git tracks it)")))
    return found[:20]


def check_rosters(workspace, config, problems: list[Problem], findings: bool = True,
                  only: set[str] | None = None) -> None:
    """Every YAML file under rosters/: the rules, and generated or hand-edited rosters (`only`:
    just the roster files of these names are read in full)."""
    from dutyctl.roster.validate import check_roster_folder

    problems.extend(check_roster_folder(workspace, config, findings, only))


def odd_files(workspace, folders: list[Path] | None = None) -> list[Problem]:
    """Leftovers of interrupted writes, and what dutyctl refuses to read in the shared folders:
    symbolic links (git carries them), FIFOs, devices and sockets. `folders`: only these
    record folders (else all of records/); the config and rosters/ are always looked at."""
    found: list[Problem] = []
    from dutyctl.notify import ALERTS_DIR

    tops = [workspace.config_path, workspace.rosters_dir, workspace.root / ALERTS_DIR,
            *([workspace.records_dir] if folders is None else folders)]
    for top in tops:
        try:
            mode = os.lstat(top).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            _odd_in(workspace, top, found)
        else:
            _odd_entry(workspace, top, top.name, mode, found)
    return found


def _odd_in(workspace, folder: Path, found: list[Problem]) -> None:
    """One walk with os.scandir: the kind of each entry comes with the listing, so a folder
    of thousands of records costs no stat per file."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name.endswith(".tmp"):
                _odd_entry(workspace, Path(entry.path), entry.name, stat.S_IFDIR, found)
            _odd_in(workspace, Path(entry.path), found)
        elif entry.is_file(follow_symlinks=False):
            if entry.name.endswith(".tmp"):
                _odd_entry(workspace, Path(entry.path), entry.name, stat.S_IFREG, found)
        else:
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            _odd_entry(workspace, Path(entry.path), entry.name, mode, found)


def _odd_entry(workspace, path: Path, name: str, mode: int, found: list[Problem]) -> None:
    if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        found.append(Problem(workspace.relative(path), None, yamlio.not_a_file(mode, path)))
    elif name.endswith(".tmp"):
        found.append(Problem(workspace.relative(path), None,
                             t("leftover of an interrupted write: delete it")))


def unknown_categories(records: list[Record], config, workspace) -> list[Problem]:
    """Records whose category the site's config no longer has (read, listed and reported on
    all the same: renaming a category must not hide history)."""
    if config is None:
        return []
    found = []
    for record in records:
        category, choices = record.get("category"), config.categories.get(record.kind)
        # a half-read record's category may be anything (`[fee]`): the store said so already
        if isinstance(category, str) and category.strip() and choices is not None \
                and category not in choices:
            found.append(Problem(workspace.relative(record.path), record.line_of("category"),
                                 t("category: '{category}' is not a {kind} category of this site",
                                   category=phones_masked(category),
                                   kind=kind_word(record.kind))))
    return found


def unknown_rooms(records: list[Record], config, workspace) -> list[Problem]:
    """Register entries whose room the site's address scheme does not have, or that are
    registered at a place of it (tickets keep the room they were filed with: a scheme added
    later must not flood `check`). A building the scheme could not read is its own problem,
    said once: its residents are not judged by it."""
    from dutyctl.errors import InputError
    from dutyctl.kinds.resident import KIND as RESIDENT
    from dutyctl.residents import person_of

    if config is None or config.rooms is None:
        return []
    found = []
    for record in records:
        if record.kind != RESIDENT:
            continue
        room = person_of(record).get("room")
        try:
            config.rooms.home(room or "")
        except InputError as refused:
            line = _line_within(record.line_of, record.get("resident"), "resident", "room")
            found.append(Problem(workspace.relative(record.path), line,
                                 f"resident.room: {refused.problem.message}"))
    return found


def _text_lines(line_of, key: str, value, problems_of):
    """(line, problem) of each text problem of a field (`problems_of(value, where)`), one
    inside a mapping (`resident:`'s `room:`) or a list (a handover's `items:`, the 31st 200
    lines below it) at its own line."""
    if isinstance(value, dict) and getattr(value, "lines", None):
        for sub, inner in value.items():
            line = _line_within(line_of, value, key, sub)
            yield from ((line, problem) for problem in problems_of(inner, f"{key}.{sub}"))
        return
    if isinstance(value, list) and getattr(value, "line_of", None):
        for index, inner in enumerate(value):
            line = value.line_of(index) or line_of(key)
            yield from ((line, problem) for problem in problems_of(inner, f"{key}[{index}]"))
        return
    yield from ((line_of(key), problem) for problem in problems_of(value, key))


def _line_within(line_of, value, key: str, sub) -> int:
    """The line of `sub` inside the mapping `value` stored under `key` (`resident:` then its
    `room:` a line or two below), else the key's own line (a flow mapping on one line, or a
    value read from the index, which keeps no lines)."""
    inner = getattr(value, "line_of", None)
    return inner(sub) if inner is not None and getattr(value, "lines", None) else line_of(key)


def check_references(records: list[Record], known_staff: dict | None, workspace,
                     links: "Links | None" = None, tz=None) -> list[Problem]:
    """Links, actions, steps' times and staff of these records. `links`: a check that
    streams the days collects the links there, to test them once every record was seen.
    `tz`: the site's zone, a step's time is said in (else the record's own offset)."""
    from dutyctl.timeutil import local_time

    own = links is None
    links = Links() if own else links
    links.seen.update(record.id for record in records)
    found = []
    for record in records:
        where = workspace.relative(record.path)
        spec = kind_spec(record.kind)
        for link in spec.references(record):
            links.wanted.append((link, *_named_at(record, link, where, workspace.relative)))
        steps = {event.id for event in record.events}
        if spec.voidable:  # its filing too: the record voided whole (records.VOIDED)
            steps.add(record.id)
        zone = tz or record.created_at.tzinfo
        for event in record.events:
            if event.at < record.created_at:  # a hand edit, a merge: the desk refuses these
                found.append(Problem(workspace.relative(event.path), event.line_of("at"), t(
                    "a step dated {at}, before {id} was filed ({filed}): a step cannot come "
                    "before its record", at=local_time(event.at, zone), id=record.short_id,
                    filed=local_time(record.created_at, zone))))
            if event.action not in spec.transitions:
                found.append(Problem(workspace.relative(event.path), event.line_of("action"),
                                     t("a {kind} has no action '{action}'",
                                       kind=kind_word(record.kind), action=event.action)))
            elif event.action == SETTLE and event.data.get(SET_ASIDE) not in steps:
                found.append(Problem(workspace.relative(event.path), event.line_of(SET_ASIDE), t(
                    "sets aside {event}, which is not a step of {id}",
                    event=event.data.get(SET_ASIDE), id=record.short_id)))
        if known_staff is not None:
            filer = [] if _scheduled(record) else [(record.recorded_by, where,
                                                    record.line_of("recorded_by"))]
            actors = filer
            actors += [(event.by, workspace.relative(event.path), event.line_of("by"))
                       for event in record.events]
            actors += [(person, where, record.line_of(key)) for key in spec.named_staff
                       for person in ids_in(record.get(key))]
            actors += [(person, workspace.relative(event.path), event.line_of(ASSIGNED_TO))
                       for event in record.events if event.action in spec.staff_sent_by
                       for person in ids_in(event.data.get(ASSIGNED_TO))]
            # someone the rules no longer name (gone since the step was recorded on another
            # desk): the file is sound, and no desk's sync may be held back until the rules
            # name them again (`breaks_a_file`); the id as screens show a number in it
            found.extend(Problem(path, line, t("no staff member '{id}' in the rules (taken "
                                               "out since?)", id=one_line(phones_masked(
                                                   str(actor)))),
                                 breaks_a_file=False)
                         for actor, path, line in actors
                         if actor is not None and actor not in known_staff)
    return found + (links.broken() if own else [])


def _named_at(record: Record, link: str, where: str, relative) -> tuple[str, int]:
    """Where `record` names the record `link`: the line of the link step's `link`, else of the
    field holding it (`duty: …`, a list's item, a handover item's `record`), else the
    record's first line (`where`: the record's file as messages say it)."""
    for event in record.counted_events:
        if str(event.data.get(LINK) or "") == link:
            return relative(event.path), event.line_of(LINK)
    for key, value in record.fields.items():
        line = _line_in(value, link)
        if line is not None:
            return where, line or record.line_of(key)
    return where, record.line


def _line_in(value, link: str) -> int | None:
    """The line of `link` inside a field's value: 0 when it is the value itself (the field's
    own line), that of a list's item or a mapping's key holding it (when known: yamlnodes'
    LineList, LineDict), None when it is not there."""
    if value == link:
        return 0
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _line_in(item, link)
            if found is not None:
                return found or (value.line_of(index) if hasattr(value, "line_of") else 0)
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _line_in(item, link)
            if found is not None:
                return found or (value.line_of(key) if hasattr(value, "line_of") else 0)
    return None


class Links:
    """Links met while reading, tested at the end (a link may point to a record read later).
    Only ids and the links themselves are kept, not the records: memory stays small."""

    def __init__(self, exists_elsewhere=None):
        self.seen: set[str] = set()
        self.wanted: list[tuple[str, str, int | None]] = []
        # a partial check (--since, --changed): a link to a record outside the days read
        self.exists_elsewhere = exists_elsewhere or (lambda record_id: False)

    def broken(self) -> list[Problem]:
        return [Problem(where, line, t("links to {id}, which does not exist", id=link))
                for link, where, line in self.wanted
                if link not in self.seen and not self.exists_elsewhere(link)]


def refused_text(records: list[Record], relative) -> list[Problem]:
    """Stored text dutyctl itself would refuse to write (a hand edit, another desk's bug):
    control, bidi or zero-width characters, fields over the length cap."""
    from dutyctl.schema import stored_text_problems as problems_of

    found = []
    for record in records:
        where = relative(record.path)
        values = [("recorded_by", record.recorded_by), *record.fields.items()]
        found += [Problem(where, line, message, breaks_a_file=blocks)
                  for key, value in values
                  for line, (message, blocks) in _text_lines(record.line_of, key, value,
                                                             problems_of)]
        for event in record.events:
            values = [("by", event.by), ("note", event.note), *event.data.items()]
            found += [Problem(relative(event.path), line, message, breaks_a_file=blocks)
                      for key, value in values
                      for line, (message, blocks) in _text_lines(event.line_of, key, value,
                                                                 problems_of)]
    return found


def _scheduled(record: Record) -> bool:
    """A repair filed by `repair schedule`: its filer is the schedule, not a staff member."""
    from dutyctl.kinds.repair import KIND as REPAIR, RECURRING, SCHEDULE_FILER

    return record.kind == REPAIR and record.get(RECURRING) is not None and (
        record.recorded_by == SCHEDULE_FILER)


def recurring_occurrences(records: list[Record]) -> list[tuple]:
    """(occurrence, short id, path, line, occurrence as written) of each repair filing a
    recurring job, in the given order: plain values, which a worker process can send."""
    from dutyctl.kinds.repair import occurrence_of
    from dutyctl.tickets.lifecycle import closed_as_duplicate

    found = []
    for record in records:
        key = None if closed_as_duplicate(record) else occurrence_of(record)
        if key is not None:
            found.append((key, record.short_id, record.path, record.line,
                          record.get("recurring")["occurrence"]))
    return found


def repeated_occurrences(occurrences: list[tuple], relative,
                         first: dict | None = None) -> list[Problem]:
    first = {} if first is None else first
    found = []
    for key, short_id, path, line, occurrence in occurrences:
        if key not in first:
            first[key] = short_id
            continue
        found.append(Problem(relative(path), line, t(
            "repeats recurring job '{job}' at {at}, already filed as {other} (two desks ran "
            "repair schedule before syncing): finish one, close the other as a duplicate",
            job=key[0], at=occurrence, other=first[key])))
    return found


def half_read_records(problems: list[Problem], workspace) -> list[Record]:
    """Record files the store refused (a naive `created_at`, a missing field), with the fields
    they do have: the checks that follow still see them, so every problem of a file shows in
    one run instead of the next one appearing only after the first is fixed."""
    from dutyctl.records import RECORD_KEYS, kinds

    found = []
    for path in sorted({problem.listed for problem in problems}):
        named = ids.file_ids(path)
        if named is None or named[1] is not None or not path.startswith("records"):
            continue  # a step's file, or junk
        try:
            if os.lstat(workspace.root / path).st_size >= REMEMBERED_BYTES:
                continue  # from another desk: read once, what it said kept (store.verdicts)
            data = fastyaml.load(workspace.root / path)
        except (DutyError, OSError):
            continue  # unreadable YAML: its one problem is already reported
        kind = data.get("kind") if isinstance(data, dict) else None
        if not isinstance(kind, str) or kind not in kinds():  # `kind: [repair]` too
            continue
        by = data.get("recorded_by")
        found.append(Record(str(data.get("id")), data["kind"], None,
                            by if isinstance(by, str) else None,
                            {key: value for key, value in data.items() if key not in RECORD_KEYS},
                            path=str(workspace.root / path), line=getattr(data, "line", 1) or 1,
                            field_lines=dict(getattr(data, "lines", {}))))
    return found


def _empty_file(path) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == 0
    except OSError:
        return False


#: the files dutyctl's exports and reports write: a desk's own, never committed (the workspace
#: template's .gitignore leaves them out; a workspace made before it is told so)
EXPORTS = (".xlsx", ".csv", ".ics", ".html")


def untracked_files(workspace, config) -> list[Problem]:
    """Workspace files git does not track: other desks never see them, and a clone missing
    dutyctl.yaml is no workspace at all. Records a crash left uncommitted, and a git lock that
    stops every commit, are said as such."""
    if config is not None and not config.auto_commit:
        return []  # the site commits by hand
    from dutyctl import gitsync
    from dutyctl.workspace import left_by_the_computer

    root = workspace.root
    unshared = gitsync.unshared(root)
    if unshared is None and (refused := gitsync.refusal(root)):
        # every command saves its record and warns; nothing is committed, shared or synced
        return [Problem(".git", None, t("nothing saved since is committed or shared with "
                                        "the other desks: {refusal}", refusal=refused))]
    records, others = unshared or ([], [])
    committed = gitsync.in_head(root, records) if records else set()
    found = [Problem(name, None, t("in the last commit, but taken out of git's index (git rm "
                                   "--cached): a commit now would delete it on every desk; "
                                   "git add it back") if name in committed else
                     t("saved but never committed (an interrupted command or a "
                       "full disk): other desks do not have it; the next dutyctl "
                       "command that commits shares it"))
             for name in records]
    state = workspace.relative(workspace.state_dir)  # said apart, tracked or not
    found += [Problem(name, None, t("a copy or system file the computer left (a backup, "
                                    "Thumbs.db): not for other desks; delete it, or list it "
                                    "in .gitignore")
                      if left_by_the_computer(name) else
                      t("empty, and not tracked by git: what a program stopped "
                        "while writing it left (a full disk); delete it")
                      if _empty_file(root / name) else
                      t("an export or report kept in the workspace: other desks do not need it "
                        "(each can export it again); save exports outside the workspace, or "
                        "list it in .gitignore") if name.lower().endswith(EXPORTS) else
                      t("not tracked by git: other desks do not have it (git add and commit it, "
                        "or delete it)"))
              for name in others if name != state]
    lock = gitsync.index_lock(root)
    if lock is not None and (gitsync.stale(lock) or lock.age > gitsync.GIT_LOCK_WAIT):
        found.append(Problem(workspace.relative(lock.path), None, t(
            "git lock left by a git process that is no longer running: no commit can be made "
            "while it is there; the next dutyctl command that commits removes it")
            if gitsync.stale(lock) else t(
            "git lock held for {seconds} s by a running git process: commits give up waiting "
            "for it; if that process is stuck, end it", seconds=round(lock.age))))
    return found


def merge_under_way(workspace) -> list[Problem]:
    """The files a `git pull` stopped at (a merge under way, not committed), each with what
    to do: a roster month's is merged by `dutyctl sync` when both desks only added changes to
    it; any other file is settled by hand."""
    from dutyctl import gitsync
    from dutyctl.roster.rosterfile import is_roster_file

    root = workspace.root
    rebasing = gitsync.rebasing(root)
    if not rebasing and not gitsync.merging(root):
        return []
    top_dir = gitsync.top_folder(root)
    if top_dir is None:
        return []
    if rebasing:  # git pull --rebase stopped: each conflicted file, else the workspace
        names = gitsync.conflicted(root) or [str(root)]
        return [Problem(workspace.relative(top_dir / name), None, gitsync.rebase_under_way())
                for name in names]
    from dutyctl.commandwords import said

    rosters = workspace.rosters_dir.resolve()
    commands = {"sync": said("sync"), "check": said("check")}  # in the user's words
    found = []
    for name in gitsync.conflicted(root):
        path = top_dir / name
        label = workspace.relative(path)
        if is_roster_file(path, rosters):
            found.append(Problem(label, None, t(
                "git pull stopped here: both desks changed this roster; run dutyctl {sync}, "
                "which merges the changes both desks added (and says how to settle it by hand "
                "when it cannot)", **commands)))
        else:
            found.append(Problem(label, None, t(
                "git pull stopped here: both desks changed this file; keep the right lines "
                "(delete the <<<<<<< ======= >>>>>>> lines), git add it, dutyctl {check}, git "
                "commit, then dutyctl {sync} (to give the merge up: git merge --abort)",
                **commands)))
    return found


def _first_marker(path: Path) -> int | None:
    """The line of the first git conflict marker in a file git stopped at: where reading it
    stopped, with the one problem every reader gives such a file (yamlio.loads); None when
    it has none or cannot be read."""
    from dutyctl.store.yamlio import find_conflict_marker, read_text

    try:
        return find_conflict_marker(read_text(path))
    except DutyError:
        return None


def lifecycle_clashes(records: list[Record], relative, tz, names) -> list[Problem]:
    """Events their record's status did not allow when they came: steps of two desks joined by
    a merge (one closed it, the other resolved it later). Each names both events and who."""
    return [Problem(relative(clash.event.path), clash.event.line,
                    clash_text(record, clash, relative, tz, names), breaks_a_file=False)
            for record in records for clash in clashing_steps(record)]


def clash_text(record: Record, clash, relative, tz, names) -> str:
    """Both steps as the desk reads them: action and status words, people's names and the
    site's local time (`names`: a dutyctl.names.Names)."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.timeutil import local_time
    from dutyctl.words import action_word, status_word

    event, after = clash.event, clash.after
    settle = {"settle": said("settle"), "event_option": said_option("--event"),
              "reason": said_option("--reason")}
    if after is None:
        return t("{action} by {by} at {at} is not possible: {id} was {status}; it counts for "
                 "nothing until settled (dutyctl {settle} {id} {event_option} {event} "
                 "{reason} TEXT)", **settle,
                 action=action_word(event.action), by=names.short_person(event.by),
                 at=local_time(event.at, tz), id=record.short_id,
                 status=status_word(clash.status, record.kind), event=ids.short_step(event.id))
    return t("{action} by {by} at {at} conflicts with {other} by {other_by} at {other_at} "
             "({other_path}:{other_line}), which had made {id} {status}: two desks acted "
             "without syncing; this step counts for nothing until a supervisor settles it: "
             "dutyctl {settle} {id} {event_option} {event} {reason} TEXT (and, if it was right "
             "after all, repeats it)", **settle, event=ids.short_step(event.id),
             action=action_word(event.action),
             by=names.short_person(event.by), at=local_time(event.at, tz),
             other=action_word(after.action), other_by=names.short_person(after.by),
             other_at=local_time(after.at, tz), other_path=relative(after.path),
             other_line=after.line, id=record.short_id,
             status=status_word(clash.status, record.kind))


def opposite_settlements(records: list[Record], relative, tz, names) -> list[Problem]:
    """Two supervisors who settled one conflict opposite ways on desks that had not synced,
    each setting aside the other's kept step (records.opposite_settles): neither step counts
    now, which neither meant. Said at the later settle's file, until one side is recorded
    again."""
    from dutyctl.records import opposite_settles
    from dutyctl.timeutil import local_time
    from dutyctl.words import action_word

    found = []
    for record in records:
        for first, first_aside, second, second_aside in opposite_settles(record):
            found.append(Problem(relative(second.path), second.line, t(
                "{id}: {by} set aside {action} by {step_by} at {at}, while {other_by} had set "
                "aside the {other_action} by {other_step_by} it conflicted with "
                "({other_path}:{other_line}): the conflict was settled both ways on desks "
                "that had not synced, and neither step counts now; find out which was right "
                "and record that step again", id=record.short_id,
                by=names.short_person(second.by), action=action_word(second_aside.action),
                step_by=names.short_person(second_aside.by),
                at=local_time(second_aside.at, tz), other_by=names.short_person(first.by),
                other_action=action_word(first_aside.action),
                other_step_by=names.short_person(first_aside.by),
                other_path=relative(first.path), other_line=first.line),
                breaks_a_file=False))
    return found


def assignment_conflicts(records: list[Record], relative, tz, names) -> list[Problem]:
    """Repairs two desks dispatched to different technicians between syncs, neither knowing
    of the other's (records.assignment_conflict), or complaints they transferred to different
    departments, while it can still be sent: said at the later step's file, until someone
    sends it again or sets one aside."""
    from dutyctl.records import assignment_conflict

    found = []
    for record in records:
        current = assignment_conflict(record)
        if current:
            latest = max(current, key=lambda event: (event.at, event.id))
            found.append(Problem(relative(latest.path), latest.line,
                                 assignment_conflict_text(record, current, tz, names),
                                 breaks_a_file=False))
    return found


def assignment_conflict_text(record: Record, current, tz, names) -> str:
    """Both (or all) technicians a repair was dispatched to, or departments a complaint was
    transferred to, who sent each and when, and what to do."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.records import ASSIGNED_TO
    from dutyctl.residents import place_of
    from dutyctl.timeutil import local_time
    from dutyctl.views import record_text

    summary = " ".join(part for part in (names.room(place_of(record)) if names.config
                                         else place_of(record), record_text(record)) if part)
    from dutyctl.kinds.complaint import sends_to_departments

    if sends_to_departments(record.kind):
        departments = t(", ").join(t(
            "{department} (by {by} at {at})",
            department=names.department(str(event.data.get(ASSIGNED_TO))),
            by=names.short_person(event.by), at=local_time(event.at, tz)) for event in current)
        return t("{kind} {id} {summary}: transferred to {departments} on desks that had not "
                 "synced, neither knowing of the other: both may be working on it, or each "
                 "may leave it to the other; find out which one takes it, then transfer it "
                 "again to that one: dutyctl {command} {id} {to} DEPARTMENT {reason} TEXT "
                 "{told} TEXT", command=said(record.kind, "transfer"),
                 to=said_option("--to", "complaint transfer"), reason=said_option("--reason"),
                 told=said_option("--told-resident"), kind=kind_word(record.kind),
                 id=record.short_id, summary=summary, departments=departments)
    people = t(", ").join(t("{staff} (sent by {by} at {at})",
                            staff=names.short_person(str(event.data.get(ASSIGNED_TO))),
                            by=names.short_person(event.by), at=local_time(event.at, tz))
                          for event in current)
    return t("{kind} {id} {summary}: dispatched to {people} on desks that had not synced, "
             "neither knowing of the other: both may be on their way, or neither; find out "
             "who goes, then dispatch it again to them: dutyctl {command} {id} {to} STAFF",
             command=said(record.kind, "dispatch"), to=said_option("--to", "repair dispatch"),
             kind=kind_word(record.kind), id=record.short_id, summary=summary, people=people)


def voided_calls_filed_from(records: list[Record], relative, tz, names) -> list[Problem]:
    """Voided calls a ticket or emergency still open was filed from: one desk voided the call,
    the other filed from it before they synced (each alone refuses it). Said at the voiding
    step, until what was filed is closed too."""
    from dutyctl.kinds.call import CALL
    from dutyctl.queries import is_open
    from dutyctl.records import is_voided, linked_ids, voided_by

    by_id = {record.id: record for record in records}
    found = []
    for record in records:
        if record.kind != CALL.name or not is_voided(record):
            continue
        # a call links only to what was filed from it; said until that is closed too
        filed = [one for one in linked_ids(record)
                 if one not in by_id or is_open(by_id[one])]
        if filed:
            settled = voided_by(record)
            found.append(Problem(relative(settled.path), settled.line,
                                 voided_call_text(record, settled, filed, tz, names),
                                 breaks_a_file=False))
    return found


def voided_call_text(call: Record, settled, filed: list[str], tz, names) -> str:
    from dutyctl.commandwords import said
    from dutyctl.timeutil import local_time

    return t("call {id} was voided by {by} at {at}, yet {filed} was filed from it on a desk "
             "that had not synced: a voided call counts nowhere; find out whether the call was "
             "real: if it was, log it again (dutyctl {log_call}); if not, close {filed} too",
             id=call.short_id, by=names.short_person(settled.by),
             at=local_time(settled.at, tz), filed=t(", ").join(map(ids.short, filed)),
             log_call=said("log", "call"))


def same_matter_twice(twins: list, relative, tz, names) -> list[Problem]:
    """Open tickets that look like one matter filed twice (dutyctl.tickets.twins): said at
    the later one, with the command closing it as a duplicate of the earlier."""
    from dutyctl.tickets.twins import pairs, twin_text

    return [Problem(relative(later.path), later.line, twin_text(earlier, later, tz, names),
                    breaks_a_file=False) for earlier, later in pairs(twins)]


def check_workspace(workspace, *, since=None, days: set | None = None,
                    findings: bool = True, rosters: set[str] | None = None,
                    warnings: list[Problem] | None = None) -> list[Problem]:
    """Every problem of the workspace, reading the records one day folder at a time (memory
    follows a day, not the history). `since` (a date) or `days` (a set of dates): only those
    day folders' records; links to records outside them count when the file is there.
    What breaks no file (clashing steps, a roster's findings) says so (breaks_a_file).
    Without `findings`, a roster's are left out, the one part of the check that reads no
    record and costs more than a few per cent of it (sync looks for broken files, and adds
    `roster_findings` only when it refuses). `rosters` (file names): only those roster files
    are read in full (`check --changed`: changed_rosters), else every one. `warnings`: gets
    the names and labels of dutyctl.yaml and the rules to put right (shared_name_problems),
    from the files as this check read them."""
    global _checking
    problems: list[Problem] = []
    config = check_config(workspace, problems, warnings)
    check_rosters(workspace, config, problems, findings, rosters)
    if warnings is not None:
        warnings.extend(_rules_name_problems(workspace))
        warnings.extend(_long_shifts(workspace))
        warnings.extend(_pattern_holes(workspace))
        warnings.extend(_month_ahead(workspace, config))
        warnings.extend(_calendar_reminders(workspace, config))
    problems.extend(_unusable_folders(workspace))
    from dutyctl.timeutil import zone

    store = Store(workspace.records_dir, config.tz if config else zone(DEFAULT_TIMEZONE), config,
                  kept_in=workspace.cache_dir)  # no index, what large bad files said kept
    partial = since is not None or days is not None
    chosen = [day for day in store.days(since) if days is None or day in days]
    problems.extend(odd_files(workspace, [store.day_dir(day) for day in chosen]
                              if partial else None))
    staff = staff_ids(workspace)  # read once: the workers, the clashes and the twins name people
    _checking = (workspace, store, config, staff)
    read = _read_days(store, chosen, partial, workspace.relative)
    problems.extend(read.problems)
    problems.extend(duplicate_ids(store, read.duplicated, sorted({*chosen, *read.others})))
    problems.extend(store.skipped)  # folders that are no dates, met while listing the days
    problems.extend(read.links.broken())
    problems.extend(resident_clashes(read.entries, workspace, store.tz, config, staff))
    problems.extend(_filed_twice(workspace, config, store.tz, read.twins, staff))
    problems.extend(duplicates_of_each_other(read.duplicates))
    problems.extend(untracked_files(workspace, config))
    problems = _merge_stops_said_once(workspace, problems)
    # by file and line; a file's findings of one line (or none) in the order they were found:
    # the capacity of a roster before its places, its days in calendar order (12月2日 before
    # 12月10日, which sorting their words would reverse)
    return sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line or 0))


def _unusable_folders(workspace) -> list[Problem]:
    """A file where records/ or this desk's state folder belongs."""
    problems = []
    if workspace.records_dir.exists() and not workspace.records_dir.is_dir():
        problems.append(Problem(workspace.relative(workspace.records_dir), None,
                                t("not a folder: records/ holds the records")))
    if not workspace.state_usable():
        problems.append(Problem(workspace.relative(workspace.state_dir), None, t(
            "a file or link where dutyctl keeps this desk's locks and caches, a folder never "
            "shared: no command can commit while it is there; delete or rename it (git rm it "
            "if git tracks it)")))
    else:
        problems.extend(_not_own_files(workspace.state_dir))
    return problems + _alert_files_for_folders(workspace)


def _alert_files_for_folders(workspace) -> list[Problem]:
    """A file where alerts/ or one of its YYYY/MM/DD folders belongs: the watch raises no
    alert of those days while it is there (`notify.watch._cannot_write`)."""
    from dutyctl.notify import ALERTS_DIR

    said = t("not a folder: alerts/ keeps YYYY/MM/DD folders of the alerts raised; the alerts "
             "of those days are not raised while it is here")
    found: list[Problem] = []

    def walk(folder: Path, depth: int) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if not entry.name.isdigit() or entry.is_symlink():
                continue  # a link is odd_files'; other names are not the watch's
            if not entry.is_dir(follow_symlinks=False):
                found.append(Problem(workspace.relative(entry.path), None, said))
            elif depth < 3:
                walk(Path(entry.path), depth + 1)

    top = workspace.root / ALERTS_DIR
    if os.path.lexists(top) and not top.is_symlink() and not top.is_dir():
        return [Problem(workspace.relative(top), None, said)]
    walk(top, 1)
    return found[:20]


class _DaysRead:
    """What the day folders read say together: a link, an id, a resident or a matter may
    span days, so these are gathered day by day and judged once all are read."""

    def __init__(self, links: Links):
        self.problems: list[Problem] = []  # each day's own
        self.links = links
        self.duplicated: set[str] = set()  # ids with files in several day folders
        self.others: set = set()  # (partial) the own folders of ids read in another folder
        self.entries: list = []  # the residents register: two desks' corrections clash
        self.twins: list = []  # open tickets, compared across days: one matter filed twice
        self.duplicates: list = []  # tickets closed as duplicates: two of each other's


def _read_days(store: Store, chosen: list, partial: bool, relative) -> _DaysRead:
    """The `chosen` day folders' records, one day at a time (_each_day); `partial`: not every
    day is read, so a link or an id's own folder outside them is looked up as a file."""
    read = _DaysRead(Links(_record_file_exists(store) if partial else None))
    first: dict = {}
    for day, (found, seen, wanted, occurrences, residents, open_twins, duplicates) in zip(
            chosen, _each_day(chosen)):
        read.problems.extend(found)
        read.twins += open_twins
        read.duplicates += duplicates
        if residents:  # read again here: a record cannot be sent from a worker process
            read.entries += store.load_records(day, residents, [])
        read.duplicated |= read.links.seen & seen
        if partial:  # a file outside its id's own folder, whose own folder was not read
            elsewhere = _own_folder_elsewhere(store, day, seen)
            read.duplicated.update(elsewhere)
            read.others.update(elsewhere.values())
        read.links.seen.update(seen)
        read.links.wanted.extend(wanted)
        read.problems.extend(repeated_occurrences(occurrences, relative, first))
    return read


def _filed_twice(workspace, config, tz, twins: list, staff) -> list[Problem]:
    """The open tickets of one matter filed twice (same_matter_twice), with the desk's names:
    none without a usable config."""
    if config is None or not twins:
        return []
    from dutyctl.names import Names

    return same_matter_twice(twins, workspace.relative, tz, Names(config, staff))


def _merge_stops_said_once(workspace, problems: list[Problem]) -> list[Problem]:
    """`problems` and the files a merge under way stopped at: each of those is said once,
    with what to do, and not its conflict markers too."""
    stopped = merge_under_way(workspace)
    if stopped:
        # by the path as listed: two names can look alike once shown (an ESC byte, a ␛)
        markers = {problem.listed: _first_marker(workspace.root / problem.listed)
                   for problem in stopped}
        problems = [problem for problem in problems
                    if not (problem.line and markers.get(problem.listed) == problem.line)]
    return [*problems, *stopped]


def duplicate_ids(store: Store, duplicated: set[str], days: list) -> list[Problem]:
    """One record id in files of several day folders (a file copied to another day, a desk's
    record with an id of this desk's): the listings show one of them, `show` neither. Each
    file but the one in the folder its id names is reported, naming the others."""
    if not duplicated:
        return []
    from datetime import timedelta

    files: dict[str, list[Path]] = {}
    for day in days:  # only when an id was read twice: a listing of every day folder
        folder = store.day_dir(day)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            named = ids.file_ids(name)
            if named is not None and named[1] is None and named[0] in duplicated:
                files.setdefault(named[0], []).append(folder / name)
    found = []
    for record_id, paths in sorted(files.items()):
        moment = ids.time_range(record_id)[0].astimezone(store.tz)
        own = {store.day_dir((moment + timedelta(days=shift)).date()) / f"{record_id}.yaml"
               for shift in (-1, 0, 1)}  # a day either side: the site's zone may have changed
        genuine = [path for path in paths if path in own]
        for path in paths:
            if genuine and path == genuine[0]:
                continue
            others = t(", ").join(store.relative(other) for other in paths if other != path)
            found.append(Problem(store.relative(path), None, t(
                "record id {id} is also in {others}: one record is one file; keep the one in "
                "the folder of its date and remove the other", id=record_id, others=others)))
    return found


def roster_findings(workspace) -> list[Problem]:
    """What check_workspace(findings=False) leaves out: a readable roster's findings (unfilled
    places, a forced override), which break no file."""
    found: list[Problem] = []
    check_rosters(workspace, check_config(workspace, []), found)  # the config's: the check's
    return [problem for problem in found if not problem.breaks_a_file]


_checking = None  # (workspace, store, config, staff), inherited by forked workers


def _day_findings(day) -> tuple:
    """(problems, ids read, links wanted, recurring occurrences, register entries' ids, open
    tickets as tickets.twins compares them) of one day folder: every check of a record that
    needs no other day. Runs in a worker process on long histories."""
    workspace, store, config, staff = _checking
    found: list[Problem] = []
    loaded = sorted(store.load_day(day, found), key=creation_order)
    records = loaded + half_read_records(found, workspace)
    links = Links()
    found.extend(check_references(records, staff, workspace, links, store.tz))
    found.extend(unknown_categories(records, config, workspace))
    found.extend(unknown_rooms(loaded, config, workspace))
    found.extend(refused_text(loaded, workspace.relative))
    from dutyctl.names import Names

    names = Names(config, staff)
    found.extend(lifecycle_clashes(loaded, workspace.relative, store.tz, names))
    found.extend(assignment_conflicts(loaded, workspace.relative, store.tz, names))
    found.extend(opposite_settlements(loaded, workspace.relative, store.tz, names))
    found.extend(voided_calls_filed_from(loaded, workspace.relative, store.tz, names))
    from dutyctl.kinds.resident import KIND as RESIDENT
    from dutyctl.queries import is_open
    from dutyctl.tickets.twins import twin_of

    twins = [twin_of(record) for record in loaded if is_open(record)]
    return (found, links.seen, links.wanted, recurring_occurrences(loaded),
            tuple(record.id for record in loaded if record.kind == RESIDENT),
            [twin for twin in twins if twin is not None], _duplicates_of(loaded, workspace))


def _duplicates_of(records: list[Record], workspace) -> list[tuple]:
    """(id, the id it is a duplicate of, its close step's path and line) of each ticket
    closed as a duplicate: two closed as each other's are found across days
    (`duplicates_of_each_other`)."""
    from dutyctl.tickets.lifecycle import CLOSE, closed_as_duplicate, last_event

    found = []
    for record in records:
        if closed_as_duplicate(record):  # a ticket's close: no other kind is "duplicate"
            closing = last_event(record, CLOSE)
            found.append((record.id, str(closing.data.get(LINK)),
                          workspace.relative(closing.path), closing.line))
    return found


def duplicates_of_each_other(duplicates: list[tuple]) -> list[Problem]:
    """Two tickets closed as duplicates of each other (two desks, before they synced, each
    kept the other's): the matter has no ticket left open, and nothing said so."""
    kept = {record_id: of for record_id, of, _, _ in duplicates}
    return [Problem(path, line, t("closed as a duplicate of {other}, which is closed as a "
                                  "duplicate of this one: no ticket of the matter is kept; "
                                  "reopen the one to keep", other=of[:12]),
                    breaks_a_file=False)
            for record_id, of, path, line in duplicates
            if kept.get(of) == record_id]


def resident_clashes(entries: list[Record], workspace, tz, config, staff) -> list[Problem]:
    """One resident corrected to different values on two desks that had not synced (their
    register entries may be of different days): dutyctl.callers.register_clashes."""
    if len(entries) < 2:
        return []
    from dutyctl.callers import register_clashes
    from dutyctl.names import Names

    return register_clashes(entries, workspace.relative, tz, Names(config, staff))


def _each_day(days: list):
    """_day_findings of each day, in order (in worker processes for a long history)."""
    from dutyctl.store.storage import in_workers

    yield from in_workers(_day_findings, days, chunksize=4)


def _own_folder_elsewhere(store: Store, day, seen: set[str]) -> dict[str, object]:
    """Of the ids read in `day`'s folder, those whose file is also in the day folder the id
    names (a day either side), that folder being another: {id: that day}. What a partial
    check (sync, `check --changed`) needs to find a file copied to another day without
    reading the folders it did not choose."""
    from datetime import timedelta

    found = {}
    for record_id in seen:
        if ids.normalize(record_id) != record_id:
            continue
        moment = ids.time_range(record_id)[0].astimezone(store.tz)
        owns = [(moment + timedelta(days=shift)).date() for shift in (-1, 0, 1)]
        if day in owns:
            continue
        for own in owns:
            if (store.day_dir(own) / f"{record_id}.yaml").is_file():
                found[record_id] = own
                break
    return found


def _record_file_exists(store: Store):
    """Whether the file of a record id is in the day folder its id names (a day either side:
    the site's zone may have changed)."""
    from datetime import timedelta

    def exists(record_id: str) -> bool:
        if ids.normalize(record_id) != record_id:
            return False
        moment = ids.time_range(record_id)[0].astimezone(store.tz)
        return any((store.day_dir((moment + timedelta(days=shift)).date())
                    / f"{record_id}.yaml").is_file() for shift in (-1, 0, 1))

    return exists


def changed_files(workspace) -> list[str] | None:
    """The record files, roster files and dutyctl.yaml git says changed: not committed yet
    (staged, unstaged, untracked, deleted) or committed but not on the upstream branch yet
    (when the branch has one), as git names them. None: not a git repository."""
    from dutyctl import gitsync

    where = ["records", workspace.relative(workspace.rosters_dir),
             workspace.relative(workspace.config_path)]
    paths = gitsync.changed_paths(workspace.root, where)
    if paths is None:
        return None
    ahead = gitsync.git(workspace.root, "diff", "--name-only", "-z", "--no-renames",
                        "@{upstream}...HEAD", "--", *where)
    if ahead.returncode == 0:  # else: no upstream (or no commit yet), nothing is ahead
        paths += [name for name in ahead.stdout.split("\0") if name]
    return paths


def changed_days(workspace, paths: list[str] | None = None) -> set | None:
    """The day folders holding a record file git says changed (`changed_files`, or `paths`
    it gave). None: not a git repository."""
    from dutyctl.store.index import days_of_paths

    paths = changed_files(workspace) if paths is None else paths
    if paths is None:
        return None
    return {date.fromisoformat(day) for day in days_of_paths(paths)}


def changed_rosters(workspace, paths: list[str]) -> set[str] | None:
    """The names of the roster files among `paths` (changed_files): the only rosters a check of
    what changed reads in full, so that it costs the change, not a roster per month of
    history. None (every roster) when the rules or dutyctl.yaml changed, which any roster is
    checked against."""
    from dutyctl.rulesfile import RULES_FILE

    rosters = workspace.rosters_dir.name
    names = {Path(path).name for path in paths if Path(path).parent.name == rosters}
    if RULES_FILE in names or any(Path(path).name == workspace.config_path.name
                                  and Path(path).parent.name != rosters for path in paths):
        return None
    return names
