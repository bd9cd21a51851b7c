"""Roster files `rosters/<period>.yaml`, read and written exactly per the roster contract.

One flow-style line per assignment keeps `git diff` of a regenerated month readable and makes a
hand edit a one-line change. Reading collects every problem with its line and keeps whatever
entries are usable, so `who` still works while `check` reports the broken line.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from dutyctl import timeutil
from dutyctl.caches import process_cache
from dutyctl.errors import DutyError, InputError, NotFound, Problem
from dutyctl.frozen import field, frozen
from dutyctl.messages import NP_, t, tn, tp
from dutyctl.patterns import lazy
from dutyctl.ruleids import plain
from dutyctl.roster.rules import LEFT_OPEN, rule_label
from dutyctl.sitecalendar import read_date
from dutyctl.rulesfile import RULES_FILE
from dutyctl.schema import Fields, misread

KINDS = ("override", "swap")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = lazy(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")


@frozen
class Assignment:
    day: date
    shift: str
    role: str
    staff: str
    line: int = field(default=0, compare=False)


@frozen
class Override:
    """A manual change applied on top of the assignments: `staff` takes the place of
    `replaces` (or an open place when `replaces` is None) on that day's shift."""

    day: date
    shift: str
    role: str | None
    staff: str
    replaces: str | None
    kind: str  # override | swap
    reason: str
    by: str
    at: datetime | None
    forced: bool = False
    line: int = field(default=0, compare=False)


@frozen
class Gap:
    """An unfilled position and why nobody could take it."""

    day: date
    shift: str
    role: str
    reason: str  # written by hand, or by an older dutyctl
    line: int = field(default=0, compare=False)
    #: (staff id, rule id) for each holder of the role; empty: nobody has it; None: not known
    blocked: tuple[tuple[str, str], ...] | None = None


_SHOWN_BLOCKED = 6


def describe_gap(gap: Gap, name_of: Callable[[str], str], role_name: Callable[[str], str]) -> str:
    """Why a place stayed unfilled, in the reader's language (the file keeps ids)."""
    role = role_name(gap.role)
    if gap.blocked is None:
        return gap.reason
    if not gap.blocked:
        return t("nobody has the role {role}", role=role)
    free = [staff for staff, rule in gap.blocked if rule == LEFT_OPEN]
    if free:  # someone could have taken it: the generator left it open
        return _left_open(gap, free, name_of, role)
    details = t("; ").join(
        t("{name}: {rule}", name=name_of(staff), rule=rule_label(rule))
        for staff, rule in gap.blocked[:_SHOWN_BLOCKED])
    more = len(gap.blocked) - _SHOWN_BLOCKED
    if more > 0:
        return tn("all {total} {role} staff blocked: {details} and {count} more",
                  "all {total} {role} staff blocked: {details} and {count} more", more,
                  total=len(gap.blocked), role=role, details=details)
    return t("all {total} {role} staff blocked: {details}", total=len(gap.blocked), role=role,
             details=details)


def _left_open(gap: Gap, free: list[str], name_of: Callable[[str], str], role: str) -> str:
    """An open place that the staff named in `free` (every one of them) could have taken
    breaking no rule when it was generated: the generator left it open, and a supervisor
    may fill it by hand."""
    names = t(", ").join(name_of(staff) for staff in free)
    others = len(gap.blocked) - len(free)
    if not others:
        return t("{names} could take it without breaking a rule (the generator left it open, "
                 "usually to keep workloads even or the week's hours for the next roster's "
                 "first days)", names=names)
    return tn("{names} could take it without breaking a rule (the generator left it open, "
              "usually to keep workloads even or the week's hours for the next roster's first "
              "days); one other {role} staff member is blocked",
              "{names} could take it without breaking a rule (the generator left it open, "
              "usually to keep workloads even or the week's hours for the next roster's first "
              "days); the other {count} {role} staff are blocked", others, names=names,
              role=role)


@frozen
class Roster:
    first: date
    last: date
    generated: Mapping[str, Any]
    assignments: tuple[Assignment, ...]
    overrides: tuple[Override, ...] = ()
    unfilled: tuple[Gap, ...] = ()
    stats: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def period(self) -> str:
        return period_name(self.first, self.last)

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def hand_edited(self) -> bool:
        """True when the assignments are not exactly what `generate` wrote (or it never did)."""
        written = self.generated.get("assignments_sha256")
        if not written:
            return bool(self.assignments)
        return written != assignments_digest(self.assignments)


# --- periods and file names -----------------------------------------------------------------

#: the longest period a roster covers: a year and a margin (a roster file from another desk
#: naming centuries would have every roster command walk their days)
MAX_DAYS = 400


def period_name(first: date, last: date) -> str:
    """'2026-12' for a whole month, else '2026-12-01_2026-12-14'."""
    if first.day == 1 and last.toordinal() == timeutil.month_after(first).toordinal() - 1:
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.isoformat()}_{last.isoformat()}"


CURRENT, NEXT = "current", "next"  # the month a roster command means when none is named


def roster_period(month: str | None, first: str | None, last: str | None, *, default: str,
                  tz, now: datetime, year_rule: str = timeutil.NEAREST) -> tuple[date, date]:
    """The days a roster command covers: a whole `month` (2026-12; 11月 in the year
    `year_rule` gives: a roster's nearest, attendance's `timeutil.LATEST_BEGUN`), or `first`
    to `last` (both, dates as `timeutil.parse_day` reads them); else this month (`CURRENT`:
    show, export, stats) or the next one (`NEXT`: generate)."""
    from dutyctl.errors import InputError

    if month and (first or last):
        raise InputError(lambda name: t("give either {month} or {first}/{last}, not both",
                                        month=name("month"), first=name("first"),
                                        last=name("last")))
    if bool(first) != bool(last):
        raise InputError(lambda name: t("{first} and {last} go together", first=name("first"),
                                        last=name("last")))
    if first and last:
        today = now.astimezone(tz).date()
        days = tuple(nearest_year(text, timeutil.parse_day(text, tz, now), today)
                     for text in (first, last))
        # 12月20日 to 1月5日 asked in July: each nearest on its own is 2026-12-20 and
        # 2026-01-05; the end is the start's next such day (timeutil.end_of_span)
        days = (days[0], timeutil.end_of_span(days[0], days[1], last))
        refuse_backwards(*days)  # as generate says it, not "no roster covers 1-10..1-01"
        return days
    if month:
        said = _month_in_words(month, now.astimezone(tz).date(), year_rule)
        if said is None and timeutil.month_of(month) is None:  # every way it is written
            raise InputError(timeutil.no_such_month(month) or t(
                "cannot read the month '{text}': expected 2026-12, 2026年12月, 12月, 本月, "
                "下个月 or 上个月", text=month))
        return timeutil.parse_month(said or month)
    today = now.astimezone(tz).date()
    if default == NEXT:
        today = timeutil.month_after(today)
    return timeutil.parse_month(f"{today.year}-{today.month:02d}")


_MONTH_WORDS = {"本月": 0, "这个月": 0, "下月": 1, "下个月": 1, "上月": -1, "上个月": -1}


def _month_in_words(text: str, today: date, year_rule: str = timeutil.NEAREST) -> str | None:
    """'2027-01' for 1月 (in the year `year_rule` gives: by default the one nearest today, a
    roster is looked at a few months either way), 下个月, 本月, 上月; None for anything else
    (a month with its year)."""
    typed = timeutil.half_width(text).strip()
    if typed in _MONTH_WORDS:
        step = today.year * 12 + today.month - 1 + _MONTH_WORDS[typed]
        return f"{step // 12}-{step % 12 + 1:02d}"
    first = timeutil.bare_month(typed, today, year_rule)
    return None if first is None else f"{first:%Y-%m}"


_BARE_DAY = re.compile(r"^\d{1,2}(?:\s*月\s*\d{1,2}\s*[日号]?|[-/]\d{1,2})$")  # 12月5日, 12-5


def nearest_year(text: str, day: date, today: date) -> date:
    """`day` as read from `text`; when `text` gave no year (12月5日, 除夕), the same day in
    the year that puts it nearest `today` (a tie: the later one)."""
    if word := timeutil.lunar_said(text):
        return timeutil.nearest_year(day, today, lunar=word)
    if not _BARE_DAY.match(timeutil.half_width(text).strip()):
        return day
    return timeutil.nearest_year(day, today)


def is_roster_file(path: Path, rosters: Path) -> bool:
    """`path` is a roster period's file of the rosters folder `rosters` (resolved): what a
    merge of two desks' roster changes may settle."""
    return (path.suffix == ".yaml" and path.parent.resolve() == rosters
            and parse_period(path.stem) is not None)


def parse_period(name: str) -> tuple[date, date] | None:
    """The inverse of period_name; None for a name that is not a period."""
    if _MONTH.match(name):
        try:
            return timeutil.parse_month(name)
        except DutyError:
            return None
    days = _range_named(name)
    return days if days is not None and 0 <= (days[1] - days[0]).days < MAX_DAYS else None


def _range_named(name: str) -> tuple[date, date] | None:
    """The two days a name written as a range (2026-12-01_2026-12-14) names, however far
    apart; None for any other name."""
    if (match := _RANGE.match(name)) is None:
        return None
    try:
        return date.fromisoformat(match[1]), date.fromisoformat(match[2])
    except ValueError:
        return None


def too_long_a_name(name: str) -> str | None:
    """Why `name`, written as a period from one day to another, is none (parse_period): it
    runs over MAX_DAYS; None for any other name."""
    days = _range_named(name)
    if days is None or (days[1] - days[0]).days < MAX_DAYS:
        return None
    return t("a roster covers at most {days} days: not a roster file name", days=MAX_DAYS)


def roster_path(workspace, first: date, last: date) -> Path:
    return workspace.rosters_dir / f"{period_name(first, last)}.yaml"


#: rosters/ listed: (path, first day, last day) per file, the days None when the name is no period.
Listing = list[tuple[Path, date | None, date | None]]


def roster_files(workspace) -> Listing:
    """Every YAML file under rosters/ but the rules, with the period its name says."""
    found = []
    folder = workspace.rosters_dir
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.yaml")):
        if path.name == RULES_FILE:
            continue
        period = parse_period(path.stem)
        found.append((path, *(period or (None, None))))
    return found


def roster_covers(workspace, day: date) -> bool:
    """A roster file's period (its name) holds `day`: else none is made for it yet."""
    return bool(files_overlapping(workspace, day, day))


def refuse_backwards(first: date, last: date) -> None:
    """A period whose last day comes before its first is refused, every command alike."""
    if last < first:
        raise InputError(lambda name: t("{last_name} {last} is before {first_name} {first}",
                                        first_name=name("first"), first=first,
                                        last_name=name("last"), last=last))


def generate_command(first: date, last: date | None = None) -> str:
    """The command that writes the roster of `first`'s month (of first..last when that is not
    one whole month): what a refusal for want of a roster tells the reader to run."""
    import calendar

    last = last or first
    month_end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    # through the catalogue like every command a message names (the words are typed as is)
    if last <= month_end and (last == first or (first.day == 1 and last == month_end)):
        return t("dutyctl roster generate --month {month}", month=f"{first:%Y-%m}")
    return t("dutyctl roster generate --from {first} --to {last}", first=first.isoformat(),
             last=last.isoformat())


def find_roster_file(workspace, name: str, today: date | None = None,
                     period_only: bool = False) -> Path:
    """A roster file named by its path or its period (2026-12, 2026年12月, 2026-12.yaml; with
    `today`, also 12月 and 下个月 as --month takes them), NotFound otherwise; `period_only`:
    a period given as a month, never a file of that name in the current folder."""
    name = (_month_in_words(name, today) if today is not None else None) or name
    month = timeutil.month_of(name)
    if month is not None:
        name = month.strftime("%Y-%m")
    here = () if period_only else (Path(name),)
    for candidate in (*here, workspace.rosters_dir / name,
                      workspace.rosters_dir / f"{name}.yaml"):
        if candidate.is_file():
            return candidate
    period = parse_period(name)
    if period is not None:  # a period rightly named, with no file of that name
        files = roster_files(workspace)  # listed once for the three questions below
        holding = files_overlapping(workspace, *period, files=files)
        covering = [path for path, first, last in files
                    if first is not None and first <= period[0] and last >= period[1]]
        if len(covering) == 1:  # a month within a roster made for two (--from/--to)
            return covering[0]
        gaps = _uncovered(files, *period)
        if holding and gaps:  # a roster covering part of it: the days still without one
            raise NotFound(t("{days} of {period} have no roster yet (the rest is in {files}): "
                             "run '{command}' first", period=_period_words(*period),
                             days=t(", ").join(_period_words(*gap) for gap in gaps),
                             files=t(", ").join(workspace.relative(path) for path in holding),
                             command=t("; ").join(generate_command(*gap) for gap in gaps)))
        if holding:
            raise NotFound(t("{period} is planned in {files}: name one of them",
                             period=_period_words(*period), files=t(", ").join(
                                 workspace.relative(path) for path in holding)))
        raise NotFound(t("no roster for {period} yet ({path}): run '{command}' first",
                         period=_period_words(*period),
                         path=workspace.relative(workspace.rosters_dir / f"{name}.yaml"),
                         command=generate_command(*period)))
    impossible = timeutil.no_such_month(name) or timeutil.no_such_day(name)
    if impossible:  # 2026-13: no month, said so, not "no roster file '2026-13'"
        raise InputError(impossible)
    raise NotFound(t("no roster file '{name}' (give a path or a period such as 2026-12)",
                     name=name))


def _uncovered(files: Listing, first: date, last: date) -> list[tuple[date, date]]:
    """The runs of days of first..last that no roster file of the listing covers, in order."""
    periods = sorted((start, end) for _, start, end in files
                     if start is not None and start <= last and end >= first)
    gaps, day = [], first
    for start, end in periods:
        if start > day:
            gaps.append((day, min(start - timedelta(days=1), last)))
        day = max(day, end + timedelta(days=1))
    if day <= last:
        gaps.append((day, last))
    return gaps


def _period_words(first: date, last: date) -> str:
    from dutyctl.output import date_label, month_label

    if first.day == 1 and (last + timedelta(days=1)).day == 1 and first.month == last.month:
        return month_label(first)
    return t("{first} to {last}", first=date_label(first), last=date_label(last))


def rostered_period(workspace) -> tuple[date, date]:
    """From the first day of the earliest roster to the last of the latest; NotFound when
    there is none."""
    periods = [(first, last) for _, first, last in roster_files(workspace) if first is not None]
    if not periods:
        raise NotFound(t("no roster yet: run 'dutyctl roster generate'"))
    return min(first for first, _ in periods), max(last for _, last in periods)


def files_overlapping(workspace, first: date, last: date, skip: Path | None = None,
                      files: Listing | None = None) -> list[Path]:
    """The roster files whose period overlaps first..last but `skip`, from `files` (a listing
    a command took once and passes down) or else listed here."""
    # realpath, not Path.resolve: a roster file linked to itself (refused when read) raises
    # RuntimeError in resolve, where realpath gives the path as it is
    skipped = os.path.realpath(skip) if skip is not None else None
    return [path for path, start, end in (roster_files(workspace) if files is None else files)
            if start is not None and start <= last and end >= first
            and (skipped is None or os.path.realpath(path) != skipped)]


# --- reading ----------------------------------------------------------------------------------

def _day(fields: Fields, key: str) -> date | None:
    value = fields.raw(key)
    parsed = read_date(value)
    if parsed is None:
        fields.problem(key, misread(t('expected a date like "2026-12-01"'), value)
                       if value is not None else t("is required"))
    return parsed


def _assignment(fields: Fields) -> Assignment | None:
    fields.unknown(("date", "shift", "role", "staff"))
    day, shift = _day(fields, "date"), fields.text("shift")
    role, staff = fields.text("role"), fields.text("staff")
    if day and shift and role and staff:
        return Assignment(day, shift, role, staff, fields.line)
    return None


#: what each key an override must have is, as a refusal names one missing: roster files keep
#: English keys (by design), so a Chinese message says what is missing and the key in
#: brackets, `缺少 修改人（by）`, as a rules finding names its rules.yaml key (rules.rule_break)
OVERRIDE_NEEDS = {"date": NP_("roster key", "date"), "shift": NP_("roster key", "shift"),
                  "staff": NP_("roster key", "who is on duty"),
                  "reason": NP_("roster key", "reason"),
                  "by": NP_("roster key", "who made the change"),
                  "at": NP_("roster key", "when it was made")}


def _missing(fields: Fields, needs: Mapping[str, tuple[str, str]]) -> set[str]:
    """The keys of `needs` that `fields` lacks (or leaves null), said in one problem at the
    entry's line: `overrides[0]: 缺少 修改人（by）、修改时间（at）`."""
    missing = [key for key in needs if not fields.has(key)]
    if missing and fields.ok:
        fields.problem(None, t("missing {flags}", flags=t(", ").join(
            _need_said(key, tp(*needs[key])) for key in missing)))
    return set(missing)


def _need_said(key: str, word: str) -> str:
    """A missing key as `_missing` names it: `修改人（by）`; a word that is the key itself
    (English `date`, `reason`) alone, not `date (date)` (as helptext._option_said does)."""
    return word if word == key else t("{word} ({id})", word=word, id=key)


def _override(fields: Fields) -> Override | None:
    fields.unknown(("date", "shift", "role", "staff", "replaces", "kind", "reason", "by", "at",
                    "forced"))
    missing = _missing(fields, OVERRIDE_NEEDS)
    day = _day(fields, "date") if "date" not in missing else None
    shift = fields.text("shift", required="shift" not in missing)
    role = fields.text("role", required=False)
    staff = fields.text("staff", required="staff" not in missing)
    replaces = fields.text("replaces", required=False)
    kind = fields.text("kind", required=False, default="override", choices=KINDS)
    reason = fields.text("reason", required="reason" not in missing)
    by = fields.text("by", required="by" not in missing)
    at = fields.timestamp("at", required="at" not in missing)
    forced = fields.boolean("forced", False)
    if role is None and replaces is None and fields.ok:  # no place to find: one of no role
        fields.problem("role", t("is required where replaces is empty: the role of the open "
                                 "place it fills"))
        return None
    if day and shift and staff and reason and by and at:
        return Override(day, shift, role, staff, replaces, kind or "override", reason, by, at,
                        forced, fields.line)
    return None


def _gap(fields: Fields) -> Gap | None:
    fields.unknown(("date", "shift", "role", "reason", "blocked"))
    day, shift, role = _day(fields, "date"), fields.text("shift"), fields.text("role")
    reason = fields.text("reason", required=False, default="")
    blocked = None
    found = fields.mapping("blocked", required=False)
    if found is not None and found.ok:
        rules = {staff: found.text(staff) for staff in found.data}
        blocked = tuple((str(staff), rule) for staff, rule in rules.items() if rule)
    if day and shift and role:
        return Gap(day, shift, role, reason or "", fields.line, blocked)
    return None


def _entries(top: Fields, key: str, parse) -> tuple:
    found = []
    for index, item, line in top.items(key, required=key == "assignments"):
        fields = Fields(item, top.path, top.problems, line, f"{key}[{index}].")
        if fields.ok and (entry := parse(fields)) is not None:
            found.append(entry)
    return tuple(found)


#: the `rule` of the one line said of a file under rosters/ that plainly holds something else
#: (a record, the roster rules, a copy of dutyctl.yaml: records.another_kind)
NOT_A_ROSTER = "not-a-roster"


def parse_roster(data: Any, label: str, path: Path | None = None,
                 assignments: tuple[Assignment, ...] | None = None,
                 unfilled: tuple[Gap, ...] | None = None) -> tuple[Roster | None, list[Problem]]:
    """The roster in `data` (assignments and unfilled places already read by the fast path
    may be passed in)."""
    from dutyctl.records import another_kind

    other = another_kind(data, "roster")
    if other is not None:
        return None, [Problem(label, getattr(data, "line", None) or 1,
                              t("not a roster: this is {what}", what=other),
                              {"rule": NOT_A_ROSTER})]
    problems: list[Problem] = []
    top = Fields(data, label, problems)
    top.unknown(("period", "generated", "assignments", "overrides", "unfilled", "stats"))
    period = top.mapping("period")
    first = last = None
    if period is not None:
        period.unknown(("from", "to"))
        first, last = _day(period, "from"), _day(period, "to")
        if first and last and last < first:
            period.problem("to", t("is before from"))
            first = last = None
        elif first and last and (last - first).days >= MAX_DAYS:
            period.problem("to", t("a roster covers at most {days} days", days=MAX_DAYS))
            first = last = None
    if path is not None and first and last and path.stem != period_name(first, last):
        if parse_period(path.stem) == (first, last):  # a whole month named as a range
            top.problem("period", t("a whole month: its roster file is named {name}.yaml",
                                    name=period_name(first, last)))
        else:
            top.problem("period", t("the file name says {name} but period says {first}..{last}",
                                    name=path.stem, first=first, last=last))
    generated = top.raw("generated") if isinstance(top.raw("generated"), dict) else {}
    stats = top.raw("stats") if isinstance(top.raw("stats"), dict) else {}
    if assignments is None:
        assignments = _entries(top, "assignments", _assignment)
    assignments = _each_once(assignments, label, problems)
    roster = Roster(first or date.min, last or date.min, generated, assignments,
                    _entries(top, "overrides", _override),
                    _entries(top, "unfilled", _gap) if unfilled is None else unfilled, stats,
                    path)
    return (roster if first and last else None), problems


def _each_once(assignments: tuple[Assignment, ...], label: str,
               problems: list[Problem]) -> tuple[Assignment, ...]:
    """The assignments with each person's place in a shift of a day once: one written again
    (a hand edit, a merge that kept both sides' line) is a problem at its line, and left out,
    so that `who`, attendance, the reports and the coverage count that person there once (the
    handover line said `孙丽 (白班), 孙丽 (白班)`). The first one written is kept."""
    first: dict[tuple[date, str, str], Assignment] = {}
    kept = []
    for item in assignments:
        earlier = first.setdefault((item.day, item.shift, item.staff), item)
        if earlier is item:
            kept.append(item)
        else:
            problems.append(Problem(label, item.line, t(
                "assignments: {staff} on {shift} of {day} is written twice (first on line "
                "{line}): counted once; delete one of them", staff=item.staff, shift=item.shift,
                day=item.day.isoformat(), line=earlier.line)))
    return assignments if len(kept) == len(assignments) else tuple(kept)


# an id as a roster line may hold it unquoted; each is then checked with ids.plain, the very
# test the writer applies, so a line is read here only when YAML would read it alike
_ID_TEXT = r"""([^\s,:{}\[\]"'#]+)"""
_ASSIGNMENT_LINE = lazy(r'^  - \{date: "(\d{4}-\d{2}-\d{2})", shift: ' + _ID_TEXT
                              + ", role: " + _ID_TEXT + ", staff: " + _ID_TEXT + r"\}$")


_GAP_LINE = lazy(r'^  - \{date: "(\d{4}-\d{2}-\d{2})", shift: ' + _ID_TEXT + ", role: "
                       + _ID_TEXT + r", blocked: \{(.*)\}\}$")
_BLOCKED_PAIR = lazy(_ID_TEXT + ": " + _ID_TEXT + "$")


def split_roster(text: str) -> tuple[str, tuple[Assignment, ...], tuple[Gap, ...] | None] | None:
    """Read the assignments and unfilled sections when every line of them is exactly what
    `dump_roster` writes (a year has 15,000 assignments, a short-staffed month hundreds of
    unfilled places: a regex reads them 100x faster than YAML). The rest of the text comes back
    with those sections blanked out, so YAML keeps every line number. None when an assignment
    differs (the whole file goes through YAML); the gaps None when an unfilled line differs
    (that section stays in the YAML)."""
    lines = text.split("\n")
    assignments = _split_section(lines, "assignments", _assignment_line)
    if assignments is None:
        return None
    gaps = _split_section(lines, "unfilled", _gap_line)
    return "\n".join(lines), assignments, gaps


def _split_section(lines: list[str], name: str, read) -> tuple | None:
    """The entries of section `name`, each line read by `read(line, number)`, and the section
    blanked out of `lines`; None (lines untouched) when it is missing or a line is not read."""
    try:
        start = lines.index(f"{name}:")
    except ValueError:
        return None
    found = []
    end = start + 1
    while end < len(lines) and lines[end].startswith("  - "):
        entry = read(lines[end], end + 1)
        if entry is None:
            return None
        found.append(entry)
        end += 1
    after = next((line for line in lines[end:]
                  if line.strip() and not line.lstrip().startswith("#")), "")
    if after[:1] in (" ", "\t", "-"):
        return None  # the section goes on (past a blank line, a comment) in another form
    lines[start:end] = [f"{name}: []"] + [""] * (end - start - 1)
    return tuple(found)


_PLAIN_WORDS: dict[str, bool] = process_cache({})  # a roster's few ids, each tested once
MAX_PLAIN_WORDS = 4096


def _plain_words(words) -> bool:
    for word in words:
        known = _PLAIN_WORDS.get(word)
        if known is None:
            known = plain(word)
            if len(_PLAIN_WORDS) < MAX_PLAIN_WORDS:
                _PLAIN_WORDS[word] = known
        if not known:
            return False
    return True


def _line_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _assignment_line(line: str, number: int) -> Assignment | None:
    match = _ASSIGNMENT_LINE.match(line)
    if not match or not _plain_words(match.groups()[1:]) or not (day := _line_day(match[1])):
        return None
    return Assignment(day, match[2], match[3], match[4], number)


def _gap_line(line: str, number: int) -> Gap | None:
    """An unfilled place as generate writes it: who holds the role and the rule keeping each
    from it (no hand-written reason; every staff member once, as YAML would insist)."""
    match = _GAP_LINE.match(line)
    if not match or not _plain_words(match.groups()[1:3]) or not (day := _line_day(match[1])):
        return None
    pairs = [_BLOCKED_PAIR.match(item) for item in match[4].split(", ")] if match[4] else []
    if not all(pairs) or not _plain_words(word for pair in pairs for word in pair.groups()):
        return None
    blocked = tuple(pair.groups() for pair in pairs)
    if len({staff for staff, _ in blocked}) != len(blocked):
        return None
    return Gap(day, match[2], match[3], "", number, blocked)


def read_roster(path: Path, label: str,
                cache_dir: Path | None = None) -> tuple[Roster | None, list[Problem]]:
    """The roster in a file; with the workspace's `cache_dir`, what YAML made of it is kept
    there (dutyctl.yamlcache), so `who` and `clock in` need not import PyYAML for its header."""
    from dutyctl.yamlcache import load_split

    try:
        data, fast = load_split(path, label, cache_dir, _split_plain, _entries_of)
    except DutyError as exc:
        return None, [Problem(label, exc.problem.line, exc.problem.message)]
    if fast is None:
        return parse_roster(data, label, path)
    return parse_roster(data, label, path, *fast)


def roster_from_text(text: str, label: str,
                     path: Path | None = None) -> tuple[Roster | None, list[Problem]]:
    """The roster in `text` (a version of the file git keeps: a side of a merge), read as
    read_roster reads a file."""
    from dutyctl.store.yamlio import loads

    fast = split_roster(text)
    try:
        data = loads(fast[0] if fast is not None else text, label)
    except DutyError as exc:
        return None, [Problem(label, exc.problem.line, exc.problem.message)]
    if fast is None:
        return parse_roster(data, label, path)
    return parse_roster(data, label, path, *fast[1:])


def _entries_of(plain: Any) -> tuple[tuple[Assignment, ...], tuple[Gap, ...] | None] | None:
    """The assignments and unfilled places _split_plain gave as plain values (None: none), as
    the cache keeps them; TypeError or ValueError for values of any other shape (a damaged
    cache: the file is read again)."""
    if plain is None:
        return None
    assignments, gaps = plain
    if type(assignments) is not list or not (gaps is None or type(gaps) is list):
        raise TypeError("not a list of assignments and one of unfilled places")
    found = []
    for day, shift, role, staff, line in assignments:
        if not (type(shift) is type(role) is type(staff) is str and type(line) is int):
            raise TypeError("an assignment is not four texts and a line number")
        found.append(Assignment(date.fromisoformat(day), shift, role, staff, line))
    if gaps is None:
        return tuple(found), None
    holes = []
    for day, shift, role, line, blocked in gaps:
        pairs = tuple(map(tuple, blocked))
        if not (type(shift) is type(role) is str and type(line) is int and all(
                len(pair) == 2 and type(pair[0]) is type(pair[1]) is str for pair in pairs)):
            raise TypeError("an unfilled place is not three texts, a line and its rules")
        holes.append(Gap(date.fromisoformat(day), shift, role, "", line, pairs))
    return tuple(found), tuple(holes)


def _split_plain(text: str) -> tuple[str, tuple[list, list | None]] | None:
    """split_roster with each entry as plain values (for the cache)."""
    fast = split_roster(text)
    if fast is None:
        return None
    rest, assignments, gaps = fast
    return rest, ([(item.day.isoformat(), item.shift, item.role, item.staff, item.line)
                   for item in assignments],
                  None if gaps is None else [(gap.day.isoformat(), gap.shift, gap.role, gap.line,
                                              [list(pair) for pair in gap.blocked])
                                             for gap in gaps])


# --- writing ----------------------------------------------------------------------------------

_SCALARS: dict[tuple[str, bool], str] = {}  # text, id_text -> as written (`_scalar`)
_SCALARS_KEPT = 4096


def _scalar(value: Any, id_text: bool = False) -> str:
    """`value` as YAML writes it in a flow mapping; with `id_text`, an id of the rules (a
    shift, a role, a staff member) unquoted whenever YAML reads it back alike (张伟). A text
    is looked up once: a year's unfilled places say the same ids and rule names 100,000 times."""
    if value.__class__ is str:
        found = _SCALARS.get((value, id_text))
        if found is None:
            found = _text_scalar(value, id_text)
            if len(_SCALARS) < _SCALARS_KEPT:
                _SCALARS[(value, id_text)] = found
        return found
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        value = timeutil.to_iso(value)
    elif isinstance(value, date):
        value = value.isoformat()
    return _text_scalar(str(value), id_text)


def _text_scalar(text: str, id_text: bool) -> str:
    if (plain(text) if id_text else text.isascii() and plain(text)):
        return text
    import json  # writing only: `who` and `clock in` read rosters without it

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def flow(mapping: Mapping[str, Any]) -> str:
    """{key: value, ...} on one line; nested mappings stay on the line too."""
    parts = []
    for key, value in mapping.items():
        text = flow(value) if isinstance(value, Mapping) else _scalar(value, key in _ID_KEYS)
        parts.append(f"{_scalar(key, True)}: {text}")
    return "{" + ", ".join(parts) + "}"


_ID_KEYS = frozenset({"shift", "role", "staff", "replaces"})  # what holds an id in an entry


def assignment_entry(item: Assignment) -> dict:
    return {"date": item.day, "shift": item.shift, "role": item.role, "staff": item.staff}


def override_entry(item: Override) -> dict:
    entry = {"date": item.day, "shift": item.shift, "role": item.role, "staff": item.staff,
             "replaces": item.replaces, "kind": item.kind, "reason": item.reason, "by": item.by,
             "at": item.at, "forced": item.forced}
    if entry["role"] is None:
        del entry["role"]
    return entry


def gap_entry(item: Gap) -> dict:
    entry: dict = {"date": item.day, "shift": item.shift, "role": item.role}
    if item.reason:
        entry["reason"] = item.reason
    if item.blocked is not None:
        entry["blocked"] = dict(item.blocked)
    return entry


def assignments_digest(assignments: Iterable[Assignment]) -> str:
    from dutyctl.yamlcache import sha256_hex

    lines = sorted(f"{a.day} {a.shift} {a.role} {a.staff}" for a in assignments)
    return sha256_hex("\n".join(lines).encode("utf-8"))


def _section(name: str, entries: list[dict]) -> list[str]:
    if not entries:
        return [f"{name}: []"]
    return [f"{name}:", *(f"  - {flow(entry)}" for entry in entries)]


def roster_header(first: date, last: date, language: str | None) -> list[str]:
    """The comment lines atop a roster file, in the site's `language` (that of its commit
    messages: every desk reads the file) with the commands as they are typed in it."""
    from dutyctl.commandwords import said
    from dutyctl.messages import ENGLISH, speaking

    with speaking(language or ENGLISH):
        return [t("# Duty roster {first}..{last}, written by `dutyctl {generate}`.",
                  first=first, last=last, generate=said("roster", "generate")),
                t("# Manual changes go under overrides (`dutyctl {swap}` / `dutyctl "
                  "{override}`);", swap=said("roster", "swap"),
                  override=said("roster", "override")),
                t("# after a hand edit run `dutyctl {check}`.", check=said("roster", "check"))]


def dump_roster(roster: Roster, language: str | None = None) -> str:
    """The roster file's text; its header comments in `language` (messages.commit_language
    of the site: English when None)."""
    lines = [
        *roster_header(roster.first, roster.last, language),
        f"period: {flow({'from': roster.first, 'to': roster.last})}",
        f"generated: {flow(roster.generated)}",
        *_section("assignments", [assignment_entry(a) for a in roster.assignments]),
        *_section("overrides", [override_entry(o) for o in roster.overrides]),
        *_section("unfilled", [gap_entry(g) for g in roster.unfilled]),
    ]
    lines.extend(_stats_lines(roster.stats))
    return "\n".join(lines) + "\n"


def _stats_lines(stats: Mapping[str, Any]) -> list[str]:
    if not stats:
        return ["stats: {}"]
    lines = ["stats:"]
    for key, value in stats.items():
        if isinstance(value, Mapping) and value and all(isinstance(v, Mapping)
                                                        for v in value.values()):
            lines.append(f"  {key}:")
            lines.extend(f"    {_scalar(sub, True)}: {flow(item)}" for sub, item in value.items())
        else:
            text = flow(value) if isinstance(value, Mapping) else _scalar(value)
            lines.append(f"  {key}: {text}")
    return lines


def write_roster(roster: Roster, path: Path, language: str | None = None) -> None:
    from dutyctl.store.storage import write_atomic

    write_atomic(path, dump_roster(roster, language))
