"""`dutyctl roster ...` and `dutyctl who`: parse, call dutyctl.roster, format."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import typer

from dutyctl.cli import options
from dutyctl.output import EXPORT_FORMATS
from dutyctl.cli.session import Session, echo, places_open, user_named, write_out
from dutyctl.errors import EXIT_FINDINGS, DutyError, Problem, ProblemsFound
from dutyctl.timeutil import days_between
from dutyctl.commandwords import said
from dutyctl.messages import N_, gettext, t, tn, tp

roster_app = typer.Typer(help="Duty rosters (rosters/): generate, check, show, explain, swap, "
                              "override, export, stats.", no_args_is_help=True)

MONTH = typer.Option(None, "--month", metavar="YYYY-MM", help="A whole month, e.g. 2026-12, 2026年12月, 12月 or 下个月.")
FROM = typer.Option(None, "--from", metavar="DATE", help="First day (with --to).")
TO = typer.Option(None, "--to", metavar="DATE", help="Last day, included (with --from).")
DAY_OF = typer.Option(None, "--at", metavar="TIME",
                      help="The day 'today', 'tomorrow' and a day without its year "
                           "(12月5日) are reckoned from (a day, or a day and time). "
                           "Default: now.")



def _safe_lines(text: str) -> str:
    """Exported text for the terminal: sanitized line by line, so the CRLF that iCalendar
    requires stays."""
    from dutyctl.output import visible

    return "\r\n".join(visible(line) for line in text.split("\r\n"))

def _period(session: Session, month: str | None, first: str | None, last: str | None, *,
            following: bool = False, now=None) -> tuple[date, date]:
    """The days named, else this month (the next one when `following`); `now`: the moment
    they are reckoned from (--at), else now."""
    from dutyctl.roster.rosterfile import CURRENT, NEXT, roster_period

    return roster_period(month, first, last, default=NEXT if following else CURRENT,
                         tz=session.config.tz, now=now or session.now())


def _day(session: Session, text: str, now=None) -> date:
    """The day typed; 1月1日 without its year is the one nearest `now` (--at, else now): in
    late December that is the coming New Year's Day, as a roster looks ahead."""
    from dutyctl import timeutil
    from dutyctl.roster.rosterfile import nearest_year

    moment = now or session.now()
    day = timeutil.parse_day(text, session.config.tz, moment)
    return nearest_year(text, day, moment.astimezone(session.config.tz).date())


def _days_left_out(session: Session, first: date, last: date) -> None:
    """`roster stats` of a period some days of which no roster covers (November asked, its
    roster one day long): said on stderr, as the figures count the rostered days only."""
    from dutyctl.roster.onduty import days_without_roster

    missing = days_without_roster(session.workspace, first, last)
    if not missing:
        return
    from dutyctl.output import day_runs

    days = day_runs(missing)
    echo(tn("note: no roster covers {count} day of the period ({days}): the figures count the "
            "rostered days only",
            "note: no roster covers {count} days of the period ({days}): the figures count the "
            "rostered days only", len(missing), days=days), err=True)


def _not_a_person(rules, typed: str | None) -> None:
    """`roster explain` given a staff member's name or id where a day or shift goes: refused
    saying what explains a day's shift and where a person's shifts are."""
    if typed is None or any(shift.id == typed or shift.name == typed for shift in rules.shifts):
        return
    person = next((member for member in rules.staff
                   if typed.strip() in (member.id, member.name)), None)
    if person is None:
        return
    from dutyctl.errors import InputError

    raise InputError(t("'{typed}' is a staff member: {command} tells why a day's shift is "
                       "staffed as it is (DATE SHIFT, such as 12月5日 夜班); their shifts: "
                       "dutyctl {show} --staff {typed}", typed=typed.strip(),
                       command="dutyctl " + said("roster", "explain"),
                       show=said("roster", "show")))


def _asked_when(session: Session, text: str | None):
    """`who --at`: a moment asked about, ahead or gone; a date typed without its year (2月7日
    21:00) is the one nearest now, as the roster commands read a day (in December, next
    February's, not the one ten months gone), where `--at` of a step is the latest."""
    import re

    from dutyctl import timeutil

    moment = session.when(text)
    if text is None or re.search(r"\d{4}", timeutil.half_width(text)):
        return moment
    tz = session.config.tz
    local = moment.astimezone(tz)
    # 除夕 21点: the nearest year's 除夕, not the same month and day (2027-02-05 in 2026)
    day = timeutil.nearest_year(local.date(), session.now().astimezone(tz).date(),
                                timeutil.lunar_said(text))
    return (local.replace(year=day.year, month=day.month, day=day.day)
            if day != local.date() else moment)


@roster_app.command("generate")
def generate(
    ctx: typer.Context,
    month: str = MONTH,
    first: str = FROM,
    last: str = TO,
    seed: int = typer.Option(0, "--seed", metavar="N",
                             help="Tie-break seed: same rules and seed, same roster."),
    force: bool = typer.Option(False, "--force", help="Replace a roster that carries manual "
                                                      "changes, or one in use: its days begun "
                                                      "(today's too) are kept as they are, "
                                                      "their changes with them; the days to "
                                                      "come are planned anew, and their "
                                                      "changes are listed as dropped."),
    at: str = typer.Option(None, "--at", metavar="TIME",
                           help="The moment 'next month' and a month without its year are "
                                "reckoned from (default: now); the days begun are those the "
                                "clock has begun, whatever it says."),
    staff: str = typer.Option(None, "--staff", metavar="STAFF",
                              help="Who generates it (default: $DUTYCTL_USER; may be left out)."),
) -> None:
    """Write rosters/<period>.yaml from rosters/rules.yaml (default: next month). Exit 1 when
    some positions stay unfilled (each is listed with its reason)."""
    from dutyctl.roster.generate import generate as run, generated_by
    session: Session = ctx.obj
    _refuse_during_merge(session)
    moment = session.when(at)
    by = session.acting = generated_by(session.workspace, staff, None if staff else user_named())
    first_day, last_day = _period(session, month, first, last, following=True, now=moment)
    before = _held_places(session.workspace, first_day, last_day)
    result = run(session.workspace, first_day, last_day, seed=seed, force=force,
                 now=moment, by=by)
    where = session.workspace.relative(result.path)
    # committed before a word is said: a reader gone (`2>&1 | head -1`) or a Ctrl-C during
    # the lines below left the roster uncommitted, the other desks on the old one
    with_rules = not result.unchanged and _commit_with_its_rules(session, result, seed)
    if result.unchanged:
        echo(t("{path} is unchanged: nothing written", path=where), err=True)
    if result.replaced:
        echo(t("replaced {path}", path=where), err=True)
        _say_places_changed(session, before, result.roster)
    if result.dropped:
        from dutyctl.output import visible
        from dutyctl.roster.onduty import cached_rules

        rules, roles = cached_rules(session.workspace), session.config.roles
    for dropped in result.dropped:  # in words: the file's ids are no reading for the desk
        echo(t("dropped change: {change} (reason: {reason}; by {by})",
               change=_change_line(dropped, rules, roles), reason=visible(dropped.reason),
               by=rules.person(dropped.by)), err=True)
    if result.hand_edited:
        echo(t("dropped hand edits of the assignments"), err=True)
    _say_days_already_past(session, result, first_day, last_day, moment)
    if with_rules:
        from dutyctl.rulesfile import rules_path

        echo(t("{path} (edited) is committed with the roster, so other desks get both at "
               "their next sync", path=session.workspace.relative(rules_path(session.workspace))),
             err=True)
    echo(where)
    gaps = result.roster.unfilled
    if gaps or result.holes:
        from dutyctl.roster.coverage import said_in_runs

        role_name = session.config.roles.name
        raise ProblemsFound([Problem(where, None, s.describe(role_name))
                             for s in result.shortages]
                            + [_unfilled(where, gap, count, session)
                               for gap, count in Counter(gaps).items()]
                            + [Problem(where, None, line)
                               for line in said_in_runs(result.holes)],
                            exit_code=EXIT_FINDINGS)


def _say_days_already_past(session: Session, result, first: date, last: date, moment) -> None:
    """A new roster for days already past (a month over, generated at go-live): attendance
    and the reports count each of its shifts there nobody clocked in for as absent, which a
    month-end review then showed as a hundred absences unexplained."""
    today = moment.astimezone(session.config.tz).date()
    if result.unchanged or result.replaced or first >= today:
        return
    echo(t("{path} begins on {first}, before today ({today}): attendance and the reports "
           "count each of its shifts up to {until} that nobody clocked in for as absent",
           path=session.workspace.relative(result.path), first=first.isoformat(),
           today=today.isoformat(),
           until=min(last, today - timedelta(days=1)).isoformat()), err=True)


def _commit_with_its_rules(session: Session, result, seed: int) -> bool:
    """Commit the roster, and the rules it was made from when they were edited since the
    last commit (True then): pushed alone, the roster named staff the other desks' rules
    lack (each desk's check listed every place, sign-ins refused) and their hint to
    generate it again would have made it anew from the old rules."""
    paths = _with_edited_rules(session, [result.path])
    session.commit(paths, lambda: t("roster {period} generated (seed {seed})",
                                    period=result.roster.period, seed=seed) if len(paths) == 1
                   else t("roster {period} generated (seed {seed}), with the rules edited for "
                          "it", period=result.roster.period, seed=seed))
    return len(paths) > 1


def _with_edited_rules(session: Session, paths: list) -> list:
    """`paths` (roster files written), and rosters/rules.yaml when it was edited since the
    last commit: the rules a roster was made or changed by go to the other desks with it (a
    new hire named by a roster their rules lack: sign-ins refused, `who` naming an id)."""
    if session.config.auto_commit:
        from dutyctl.rulesfile import rules_path
        from dutyctl.sync import edited_here

        rules = rules_path(session.workspace)
        if edited_here(session.workspace, [rules]):
            return [*paths, rules]
    return list(paths)


def _held_places(workspace, first: date, last: date) -> Counter | None:
    """Who holds which place in the roster file `generate` of first..last would replace (its
    changes applied: what the staff were told), None when there is none or it is unreadable.
    Read as `generate` then reads it (cached_roster: parsed once, from its kept copy)."""
    from dutyctl.roster.onduty import apply_overrides, cached_roster
    from dutyctl.roster.rosterfile import roster_path

    path = roster_path(workspace, first, last)
    if not path.is_file():
        return None
    roster, _ = cached_roster(workspace, path)
    return None if roster is None else _places(apply_overrides(roster).places)


def _places(places) -> Counter:
    return Counter((place.day, place.shift, place.role, place.staff) for place in places
                   if place.staff is not None)


def _say_places_changed(session: Session, before: Counter | None, roster) -> None:
    """A roster generated again over one the staff have seen: how many places now hold someone
    else and whom that concerns, who must be told (a generate plans the period anew)."""
    from dutyctl.roster.onduty import apply_overrides, cached_rules

    if before is None:
        return
    after = _places(apply_overrides(roster).places)
    gone, come = before - after, after - before
    if not gone and not come:
        return
    rules = cached_rules(session.workspace)
    people = sorted({key[3] for key in (*gone, *come)}, key=rules.person)
    echo(tn("{count} place changed hands since the replaced roster, for {people}: tell them "
            "of the new roster", "{count} places changed hands since the replaced roster, for "
            "{people}: tell them of the new roster", max(sum(gone.values()), sum(come.values())),
            people=t(", ").join(rules.person(member) for member in people)), err=True)


# the arguments explain, override and swap share (help is translated where it is shown)
DAY_HELP = N_("The day (2026-12-05, 明天, 12月5日).")
SHIFT_HELP = N_("The shift (id or name: day or 白班).")
HOLDER_HELP = N_("Who is on that shift that day (id or name).")


@roster_app.command("check")
def check(
    ctx: typer.Context,
    file: str = typer.Argument(None, metavar="[FILE]",
                               help="A roster file or period (2026-12, 2026年12月, 12月); default: "
                                    "the rules and every roster."),
    fmt: str = options.FORMAT,
    at: str = typer.Option(None, "--at", metavar="TIME",
                           help="The day the check is made on: the month a period without its "
                                "year (1月) means, and whether a roster has begun (what the "
                                "note after the findings advises). Default: now."),
    month: str = typer.Option(None, "--month", metavar="YYYY-MM",
                              help="The month whose roster is checked (2026-12, 2026年12月, "
                                   "12月), as the other roster commands take it (FILE also "
                                   "takes a roster file's path)."),
) -> None:
    """Every hard-rule break and coverage gap (date, shift, staff, rule); exit 1 if any."""
    from dutyctl.errors import InputError
    from dutyctl.roster.rosterfile import find_roster_file
    from dutyctl.roster.rules import read_rules
    from dutyctl.roster.validate import (calendar_reminders, check_roster_file,
                                         check_roster_folder)

    session: Session = ctx.obj
    if file and month:  # `排班 检查 --月份 12月` as `排班 查看 --月份 12月`
        raise InputError(lambda name: t("give either {month} or a file, not both",
                                        month=name("month")))
    moment = session.reckoned_from(at)
    if month:  # read as the other roster commands read it, never as a file's path
        file = f"{_period(session, month, None, None, now=moment)[0]:%Y-%m}"
    rules, broken = read_rules(session.workspace, session.config)
    today = moment.astimezone(session.config.tz).date()
    only = None
    if file:
        problems = list(broken)
        if not broken:  # against half-read rules every line would be a false finding
            only = find_roster_file(session.workspace, file, today, period_only=bool(month))
            problems += check_roster_file(session.workspace, rules, only)
    else:
        problems = check_roster_folder(session.workspace, session.config)
    if not broken:  # a break the rules leave out in a year only they list (exit unchanged)
        for warning in calendar_reminders(session.workspace, rules, today, only):
            echo(t("warning: {problem}", problem=warning), err=True)
    try:
        session.report_problems(problems, fmt)
    finally:  # under the findings, where the eye ends
        if fmt == "table" and problems:
            _rules_changed_since(session, {problem.listed for problem in problems}, moment)


def _rules_changed_since(session: Session, labels: set, moment) -> None:
    """A note under the findings of a roster not yet over, planned by rules edited since (need
    raised, a limit lowered, leave added): they may only say so. The cure: generate it again
    before it begins, override its places once it has. `labels`: the files' paths as listed
    (Problem.listed), made safe only where the note says one."""
    from dutyctl.commandwords import said_option
    from dutyctl.errors import shown_path
    from dutyctl.roster.rosterfile import generate_command
    from dutyctl.roster.rules import read_rules
    from dutyctl.roster.validate import planned_by_other_rules

    rules, broken = read_rules(session.workspace, session.config)
    if broken:
        return
    today = moment.astimezone(session.config.tz).date()
    for label, first, last in planned_by_other_rules(session.workspace, rules, labels):
        if last < today:
            continue  # a roster worked already is history: never planned again
        shown = shown_path(label)
        if first <= today:  # begun: generated again, the days begun stay as they are
            echo(t("note: the rules have changed since {path} was generated; it has begun, so "
                   "mend its places one by one with 'dutyctl roster override DATE SHIFT NAME', "
                   "or plan the days to come again with '{command} {force}' (the days begun "
                   "are kept as they are)", path=shown, command=generate_command(first, last),
                   force=said_option("--force", "roster generate")), err=True)
            continue
        kept = _manual_changes(session.workspace, label)
        if not kept:
            echo(t("note: the rules have changed since {path} was generated: what comes of the "
                   "change goes when it is generated again: '{command}'", path=shown,
                   command=generate_command(first, last)), err=True)
            continue
        # generating it again without --force is refused for them: the line says so
        echo(t("note: the rules have changed since {path} was generated: what comes of the "
               "change goes when it is generated again, which drops its manual changes "
               "({count}; write them again after): '{command} {force}'", path=shown, count=kept,
               command=generate_command(first, last),
               force=said_option("--force", "roster generate")), err=True)


def _manual_changes(workspace, label: str) -> int:
    """How many manual changes the roster file `label` carries (its overrides, or 1 for
    assignments edited by hand): what generating it again must be forced to drop."""
    from dutyctl.roster.onduty import cached_roster

    roster, _ = cached_roster(workspace, workspace.root / label)
    if roster is None:
        return 0
    return len(roster.overrides) or int(bool(roster.hand_edited()))


def _unfilled(where: str, gap, count: int, session: Session) -> Problem:
    from dutyctl.output import day_label
    from dutyctl.roster.onduty import cached_rules
    from dutyctl.roster.rosterfile import describe_gap

    rules, role_name = cached_rules(session.workspace), session.config.roles.name
    shift = rules.shift(gap.shift)
    values = dict(day=day_label(gap.day), shift=shift.name if shift else gap.shift,
                  role=role_name(gap.role), reason=describe_gap(gap, rules.person, role_name))
    if count == 1:
        return Problem(where, None, t("{day} {shift} {role}: unfilled: {reason}", **values))
    return Problem(where, None, tn("{day} {shift} {role}: {count} place unfilled: {reason}",
                                   "{day} {shift} {role}: {count} places unfilled: {reason}",
                                   count, **values))


def _day_label(day: date, calendar) -> str:
    from dutyctl.output import day_label

    label = day_label(day)
    if calendar.in_statutory_break(day):  # the weekend inside a break too (holiday shifts)
        return t("{day} {holiday}", day=label, holiday=calendar.holiday_name(day)
                 or calendar.holiday_name(calendar.statutory_break(day)) or t("holiday"))
    if day.weekday() >= 5 and calendar.is_working_day(day):
        return t("{day} make-up working day", day=label)
    return label


def _short_codes(rules) -> dict[str, str]:
    """One character per shift for the by-staff grid: the first of its name, 备 (备班) for an
    on-call duty; the ids when two would look alike."""
    codes = {shift.id: "备" if shift.on_call else shift.name[:1] for shift in rules.shifts}
    if len(set(codes.values())) < len(codes):
        return {shift.id: shift.id for shift in rules.shifts}
    return codes


def _rows_by(typed: str) -> str:
    """--by: date or staff, by id or in words (按人员, 员工)."""
    from dutyctl.choices import resolve

    return resolve(typed, {"date": (tp("rows", "by date"), "按日期", "日期", "按天", "每天"),
                           "staff": (tp("rows", "by person"), "按人员", "人员", "员工", "每人")},
                   N_("unknown row layout '{value}'; choose one of: {choices}"))


@roster_app.command("show")
def show(
    ctx: typer.Context,
    month: str = MONTH,
    first: str = FROM,
    last: str = TO,
    by: str = typer.Option("date", "--by", metavar="ROWS",
                           help="date (a row per day) or staff (a row per person); in words "
                                "按日期 or 按人员 (日期, 人员)."),
    staff: str = typer.Option(None, "--staff", metavar="STAFF",
                               help="Only this person's shifts (id or name)."),
    fmt: str = options.FORMAT,
    at: str = options.MONTH_OF,
) -> None:
    """The roster as a readable grid (default: this month). '*' marks an override."""
    from dutyctl.roster.onduty import cached_rules, slots_between

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    by = _rows_by(by)
    # "this month" and a month typed without its year (1月) are reckoned from --at
    first_day, last_day = _period(session, month, first, last, now=session.reckoned_from(at))
    try:
        rules = cached_rules(session.workspace)
    except DutyError as exc:  # the roster file is still shown, as it is written
        _show_without_rules(session, first_day, last_day, staff, fmt, exc, by)
        return
    slots = slots_between(session.workspace, first_day, last_day)
    _say_shifts_unknown(session, rules, first_day, last_day)
    if staff:
        from dutyctl.choices import staff_of

        staff = staff_of(rules, staff)
    else:  # 人数 raised since generated: the seats it lacks are open places, in every format
        from dutyctl.roster.onduty import with_lacking_seats

        slots = with_lacking_seats(slots, rules, session.config.tz)
    if fmt == "xlsx" and by == "staff" and not staff:  # the grid for the wall
        session.write_binary(_roster_workbook(session, rules, slots, first_day, last_day))
        return
    if fmt != "table":  # data: a row per place, whatever the grid's layout
        _emit_places(session, rules, [s for s in slots if not staff or s.staff == staff], fmt)
        return
    if staff:
        rows = [{"date": _day_label(s.date, rules.calendar), "shift": s.shift_name,
                 "role": session.config.roles.name(s.role), "start": f"{s.start:%H:%M}",
                 "end": f"{s.end:%H:%M}", "note": t("; ").join(filter(None, [
                     t("on call") if s.on_call else "",
                     t("override") if s.overridden else ""]))}
                for s in slots if s.staff == staff]
        session.emit(rows, fmt, [("date", t("date")), ("shift", t("shift")), ("role", t("role")),
                                 ("start", t("start")), ("end", t("end")), ("note", t("note"))])
        return
    if by == "staff":
        _show_by_staff(session, rules, slots, first_day, last_day, fmt)
        return
    cells: dict[tuple, tuple[list[str], Counter]] = {}
    for slot in slots:
        names, open_places = cells.setdefault((slot.date, slot.shift_id), ([], Counter()))
        if slot.staff:
            names.append(rules.person(slot.staff) + ("*" if slot.overridden else ""))
        else:
            open_places[slot.role] += 1
    rows: dict[date, dict] = {}
    for (day, shift_id), (names, open_places) in cells.items():
        row = rows.setdefault(day, {"date": _day_label(day, rules.calendar)})
        row[shift_id] = " ".join(names)
        if +open_places:
            _say_missing(session, row, shift_id, +open_places)
    columns = [("date", t("date"))] + [(s.id, _shift_title(s)) for s in rules.shifts]
    session.emit(_with_missing_lines(rows.values()), fmt, columns)
    if any(slot.overridden for slot in slots):  # the mark said where it is read
        echo(t("* a manual change ({override} or {swap}), kept in the roster file with its "
               "reason, who and when", override=said("roster", "override"),
               swap=said("roster", "swap")))


MISSING = "missing"  # a grid row's open places, per shift, shown on a line of their own


def _say_missing(session: Session, row: dict, shift_id: str, open_places: Counter) -> None:
    """What a grid cell lacks (`[缺1名客服专员]`), kept for a line of its own under the
    day's: a narrow screen cut the end of `高峰 [缺 1 名客服…` when it followed the names."""
    row.setdefault(MISSING, {})[shift_id] = " ".join(tn(
        "[{count} {role} missing]", "[{count} {role} missing]", count,
        role=session.config.roles.name(role)) for role, count in open_places.items())


def _with_missing_lines(rows) -> list[dict]:
    """The grid's rows, each followed by the line of its open places if it has any (in a
    cell nobody is on, the open places stand in the day's own line)."""
    shown = []
    for row in rows:
        missing = row.pop(MISSING, {})
        below = {}
        for shift_id, text in missing.items():
            if row.get(shift_id):
                below[shift_id] = text
            else:
                row[shift_id] = text
        shown.append(row)
        if below:
            shown.append({"date": "", **below})
    return shown


def _show_without_rules(session: Session, first: date, last: date, staff: str | None,
                        fmt: str, error: Exception, by: str = "date") -> None:
    """`roster show` when the rules cannot be read: the places as the roster files write
    them (a row per day, a column per shift), without shift times, people by id where the
    rules give no name; one stderr line says why, the output says what is missing."""
    from dutyctl import notices
    from dutyctl.errors import NotFound, first_problem
    from dutyctl.names import Names
    from dutyctl.output import date_label, day_label
    from dutyctl.roster.onduty import places_between
    from dutyctl.roster.rosterfile import generate_command

    reason = first_problem(error)
    places = places_between(session.workspace, first, last)  # a broken roster file: refused
    notices.warn(t("roster rules unreadable, the roster is shown as written, without shift "
                   "times: {reason}", reason=reason))
    if not places:
        raise NotFound(t("no roster covers {first}..{last}: run '{command}'",
                         first=date_label(first), last=date_label(last),
                         command=generate_command(first, last)))
    shifts = list(dict.fromkeys(place.shift_id for place in places))  # the grid's columns
    names = Names.of(session.workspace)
    if staff:  # only the people the roster file names are known: by id (or a name still read)
        from dutyctl.choices import resolve

        written = {place.staff: names.person(place.staff) for place in places if place.staff}
        staff = resolve(staff, written, N_(
            "'{value}' is not in the roster of these days, and the rules that list the staff "
            "cannot be read; choose one of: {choices}"), partial=False)
        places = [place for place in places if place.staff == staff]
    if fmt != "table":  # the columns of `roster export`; what the rules would say is null
        from dutyctl.roster.export import CSV_COLUMNS

        rows = [{"date": p.date, "shift": p.shift_id, "shift_name": names.shift(p.shift_id),
                 "role": p.role, "staff": p.staff, "name": names.person(p.staff) if p.staff
                 else None, "start": None, "end": None, "on_call": None, "weekend": None,
                 "holiday": None, "override": p.overridden} for p in places]
        session.emit(rows, fmt, CSV_COLUMNS + [("override", "override")])
        return
    if by == "staff":  # the grid a row per person needs the rules (shift letters, hours)
        echo(t("The roster rules could not be read: the roster as written, a row per day (a "
               "row per person needs the rules), without shift times; people by id where "
               "their names are unknown."))
    else:
        echo(t("The roster rules could not be read: the roster as written, without shift "
               "times; people by id where their names are unknown."))
    grid: dict[date, dict] = {}
    open_places: dict[tuple, Counter] = {}
    for place in places:
        row = grid.setdefault(place.date, {"date": day_label(place.date)})
        if place.staff:
            name = names.person(place.staff) + ("*" if place.overridden else "")
            row[place.shift_id] = " ".join(filter(None, [row.get(place.shift_id), name]))
        else:
            open_places.setdefault((place.date, place.shift_id), Counter())[place.role] += 1
    for (day, shift_id), missing in open_places.items():
        _say_missing(session, grid[day], shift_id, missing)
    session.emit(_with_missing_lines(grid.values()), fmt,
                 [("date", t("date"))] + [(shift, names.shift(shift)) for shift in shifts])


def _shift_title(shift) -> str:
    """A grid column: name, hours and whether it is an on-call duty (at home), a line each."""
    hours = f"{shift.start:%H:%M}-{shift.end:%H:%M}"
    if shift.on_call:  # a line each: the grid of four shifts fits 80 columns
        return t("{shift}\n{hours}\n(on call)", shift=shift.name, hours=hours)
    return f"{shift.name}\n{hours}"


def _roster_workbook(session: Session, rules, slots, first: date, last: date) -> bytes:
    """The grid (people x days) and the places, one per row, as an Excel workbook."""
    from dutyctl import xlsx
    from dutyctl.cli.cellwords import cell_words, sheet_columns
    from dutyctl.roster.export import CSV_COLUMNS, slot_rows

    from dutyctl.output import date_label

    title = t("{site} duty roster {first} to {last}", site=session.config.name,
              first=date_label(first), last=date_label(last))
    return xlsx.roster_workbook(rules, slots, first, last, title, rules.person,
                                slot_rows(slots, rules),
                                sheet_columns([(key, gettext(header))
                                               for key, header in CSV_COLUMNS]),
                                cell_words(session.names))


def _emit_places(session: Session, rules, slots, fmt: str) -> None:
    """The roster as data: the columns of `roster export --format csv`, plus `override`."""
    from dutyctl.roster.export import CSV_COLUMNS, slot_rows

    rows = [{**row, "staff": row["staff"] or None,
             "override": slot.overridden}
            for slot, row in zip(slots, slot_rows(slots, rules))]
    session.emit(rows, fmt, CSV_COLUMNS + [("override", N_("override"))])


def _show_by_staff(session, rules, slots, first: date, last: date, fmt: str) -> None:
    """People x days, each person by name (with the id when two share it)."""
    codes = _short_codes(rules)
    days = days_between(first, last)
    # per person the shifts worked and, apart, the on-call duties: as `roster stats` and the
    # Excel grid count them (one total of both read 17 beside stats' 10 shifts)
    rows = {m.id: {"name": rules.person(m.id), "shifts": 0, "on_call": 0} for m in rules.staff}
    for slot in slots:
        if slot.staff:
            row = rows.setdefault(slot.staff, {"name": slot.staff, "shifts": 0, "on_call": 0})
            key = slot.date.isoformat()
            row[key] = (row.get(key, "") + codes.get(slot.shift_id, slot.shift_id))
            row["on_call" if slot.on_call else "shifts"] += 1
    columns = [("name", t("name"))] + [(d.isoformat(), f"{d.day:02d}") for d in days] \
        + [("shifts", t("shifts"))]
    if any(shift.on_call for shift in rules.shifts):
        columns.append(("on_call", t("on call")))
    session.emit(list(rows.values()), fmt, columns)
    if fmt == "table":
        legend = t(", ").join(f"{code}={s.name}" for s in rules.shifts
                           for code in [codes[s.id]])
        echo(legend, err=True)


@roster_app.command("explain")
def explain(
    ctx: typer.Context,
    day: str = typer.Argument(..., metavar="DATE", help=DAY_HELP),
    shift: str = typer.Argument(None, metavar="SHIFT", help="Shift by id or name (night or "
                                                           "夜班)."),
    fmt: str = options.FORMAT,
    at: str = DAY_OF,
) -> None:
    """Every candidate for a shift: the rule that excluded them, or why the chosen one won."""
    from dutyctl.choices import shift_of
    from dutyctl.messages import pgettext
    from dutyctl.output import day_label
    from dutyctl.roster.onduty import cached_rules
    from dutyctl.roster.explain import VERDICT_WORDS, explain as run
    from dutyctl.roster.rules import rule_label

    session: Session = ctx.obj
    rules = cached_rules(session.workspace)
    for typed in (day, shift):
        _not_a_person(rules, typed)  # 排班 说明 郑小红: a person's shifts are `show`'s
    if shift is None:
        from dutyctl.errors import InputError

        raise InputError(t("Missing argument 'SHIFT': dutyctl {command} DATE SHIFT (a day's "
                           "shift, such as 12月5日 夜班)", command=said("roster", "explain")))
    the_day = _day(session, day, now=session.reckoned_from(at))
    shift = shift_of(rules, shift)  # 夜班 or night
    places = run(session.workspace, the_day, shift)
    if fmt != "table":
        _emit_explanation(session, places, the_day, shift, fmt)
        return
    # a screen names people (json/yaml/csv keep the id beside the name)
    columns = [("name", t("name")), ("verdict", t("verdict")), ("rule", t("rule")),
               ("cost", gettext(COST)), ("detail", t("detail"))]
    for number, (place, last) in enumerate(_open_seats_together(places)):
        if number:
            echo("")
        heading = dict(day=day_label(the_day), shift=rules.shift(shift).name,
                       role=session.config.roles.name(place.role), seat=place.seat + 1,
                       staff=rules.person(place.staff) if place.staff else t("unfilled"),
                       why=place.why)
        echo(t("{day} {shift} {role} #{seat}: {staff} - {why}", **heading)
             if last == place.seat
             else t("{day} {shift} {role} #{seat}-{last}: {staff} - {why}", last=last + 1,
                    **heading))
        session.emit([{**c.__dict__, "name": rules.person(c.staff),
                       "verdict": pgettext(*VERDICT_WORDS[c.verdict]),
                       "rule": rule_label(c.rule) if c.rule else ""}
                      for c in place.candidates], "table", columns)
    if any(c.cost is not None for place in places for c in place.candidates):
        echo("")
        echo(gettext(COST_SAID))


def _open_seats_together(places) -> list[tuple]:
    """The places a screen shows, each with the last seat it stands for: a run of open
    seats of one role with the same reason and candidates is one table (a night of four
    seats nobody can take, the same four times, said once); json, yaml and CSV keep a
    place each."""
    shown: list[list] = []
    for place in places:
        before = shown[-1][0] if shown else None
        if before is not None and place.staff is None and before.staff is None \
                and (place.role, place.why, place.candidates) \
                == (before.role, before.why, before.candidates):
            shown[-1][1] = place.seat
        else:
            shown.append([place, place.seat])
    return [(place, last) for place, last in shown]


#: The explain table's number: what giving the shift to this person adds to the unfairness
#: the roster weighs (the `fairness` loads, scaled to the days each can work, and wishes)
COST = N_("fairness cost")
COST_SAID = N_("fairness cost: how much less even the loads listed under fairness in the "
               "roster rules (hours, nights, weekends, holidays, on call) become if this "
               "person takes the shift, each load scaled to the days the person can work, "
               "plus the person's wish to avoid or take it; the lower, the fairer: the one "
               "with the lowest usually gets the shift.")


#: A row per candidate (CSV, xlsx): the candidate's fields and its place's, those json has
#: (csv keeps the keys; a sheet is headed by their words, Session.emit_workbook)
EXPLAIN_COLUMNS = [("date", N_("date")), ("shift", N_("shift")), ("role", N_("role")),
                   ("seat", N_("place number")), ("chosen", N_("holds the place")),
                   ("staff", N_("staff id")), ("name", N_("name")), ("verdict", N_("verdict")),
                   ("rule", N_("rule key")), ("rule_name", N_("rule")), ("cost", COST),
                   ("detail", N_("detail")), ("why", N_("why")),
                   ("capacity", N_("capacity findings"))]
#: the place's fields of json that a candidate's row repeats (`candidates` are the rows)
EXPLAIN_PLACE_KEYS = ("date", "shift", "role", "seat", "chosen", "why", "capacity")


def _emit_explanation(session: Session, places, day: date, shift: str, fmt: str) -> None:
    """json/yaml: a place each with its candidates; CSV: a row per candidate of each place,
    with every field of its place (the capacity findings as their sentences: a list of
    mappings is no cell). A candidate keeps the rule's key beside its label (`rule_name`), as
    a person's id beside the name."""
    from dutyctl.roster.rules import rule_label

    document = [{"date": day, "shift": shift, "role": p.role, "seat": p.seat + 1,
                 "chosen": p.staff, "why": p.why,
                 "capacity": [shortage.data() for shortage in p.capacity],
                 "candidates": [_candidate_data(c, rule_label) for c in p.candidates]}
                for p in places]
    role_name = session.config.roles.name
    said = [[shortage.describe(role_name) for shortage in p.capacity] for p in places]
    rows = [{**{key: place[key] for key in EXPLAIN_PLACE_KEYS}, "capacity": sentences,
             **candidate} for place, sentences in zip(document, said)
            for candidate in place["candidates"]]
    session.emit(document, fmt, EXPLAIN_COLUMNS, rows=rows)


def _candidate_data(candidate, rule_label) -> dict:
    """A candidate for json/yaml/csv: the rule's key, then its label."""
    return {"staff": candidate.staff, "name": candidate.name, "verdict": candidate.verdict,
            "rule": candidate.rule,
            "rule_name": rule_label(candidate.rule) if candidate.rule else "",
            "detail": candidate.detail, "cost": candidate.cost}


REASON = typer.Option(None, "--reason", help="Why, such as \"family matters\" (recorded in "
                                             "the roster). [required]")


def _reason(reason: str | None, missing) -> str:
    """The required --reason (asked at a terminal); without one, `missing(flag)` says how to
    write it, the flag as the user types it (--原因)."""
    from dutyctl.cli.session import interactive
    from dutyctl.errors import InputError

    if (reason is None or not reason.strip()) and not interactive():
        raise InputError(lambda name: missing(name("reason")))
    return Session.need(reason, "--reason", t("reason"))
FORCE = typer.Option(False, "--force", help="Record it even if it breaks a hard rule "
                                            "('roster check' keeps flagging it).")


def _rosters_edited(session: Session) -> list[str]:
    """The roster files edited by hand and not committed, before a change writes them: its
    commit takes them whole, hand edits and all (said, not hidden under its message).
    Refused while a merge is under way (`_refuse_during_merge`)."""
    _refuse_during_merge(session)
    if not session.config.auto_commit:
        return []
    from dutyctl.sync import edited_here

    return edited_here(session.workspace, [session.workspace.rosters_dir])


def _refuse_during_merge(session: Session) -> None:
    """A roster is a file git tracks: changed while a merge is under way (a sync or `git
    pull` stopped), its change goes into the merge or, when it is aborted (`git merge
    --abort`, what sync offers), is lost with it. Refused before anything is written, where
    dutyctl commits (auto_commit; else git is the user's own to run)."""
    from dutyctl.gitsync import merging

    if session.config.auto_commit and merging(session.workspace.root):
        from dutyctl.errors import Refused

        raise Refused(t("a merge is under way in this workspace (a sync or git pull stopped): "
                        "a roster changed now would be lost if it is aborted; finish it "
                        "('dutyctl sync' says how) or abort it (git merge --abort), then make "
                        "the change"))


def _report_change(session: Session, change, message, edited: list[str] = ()) -> None:
    """Commit the change, its message `message(changes)` (the changes as the screens say
    them, in the commit's language), then say each change; `edited` (`_rosters_edited`, as
    they were before it): hand edits its commit took with it, said."""
    from dutyctl.roster.onduty import cached_rules

    rules, roles = cached_rules(session.workspace), session.config.roles
    paths = _with_edited_rules(session, change.paths)
    # committed before anything is said: a reader of stdout that left (`| head`) ends the
    # command there, and the change must reach the other desks all the same
    session.commit(paths, lambda: message(t("; ").join(
        _change_line(entry, rules, roles) for entry in change.overrides)))
    written = {session.workspace.relative(path).replace("\\", "/") for path in change.paths}
    for name in edited:
        if name in written:
            echo(t("{path} had hand edits not committed: they are committed with this change "
                   "('dutyctl roster check' says whether they break a rule)", path=name),
                 err=True)
    for broken in change.broken:
        echo(t("forced past: {rule}", rule=broken), err=True)
    for entry in change.overrides:
        echo(_change_line(entry, rules, roles))


def _change_line(entry, rules, roles) -> str:
    """12月15日 周二 夜班 客服专员：张伟 -> 李娜: one manual change as the screens say it, on
    one line (names from the shared rules: a line break shown, not made)."""
    from dutyctl.output import day_label
    from dutyctl.safetext import one_line

    shift = rules.shift(entry.shift)
    return one_line(t("{day} {shift} {role}: {old} -> {new}", day=day_label(entry.day),
             shift=shift.name if shift else entry.shift,
             role=roles.name(entry.role) if entry.role else "",
             old=rules.person(entry.replaces) if entry.replaces else t("unfilled"),
             new=rules.person(entry.staff)))


@roster_app.command("override")
def override(
    ctx: typer.Context,
    day: str = typer.Argument(..., metavar="DATE", help=DAY_HELP),
    shift: str = typer.Argument(..., metavar="SHIFT",
                                help=SHIFT_HELP),
    new_staff: str = typer.Argument(..., metavar="STAFF",
                                   help="Who takes the place (id or name)."),
    replaces: str = typer.Option(None, "--replaces", metavar="STAFF",
                                 help="Who is replaced, by id or name (needed when several are "
                                      "on the shift)."),
    role: str = typer.Option(None, "--role", help="Which role's place (id or name)."),
    reason: str = REASON,
    force: bool = FORCE,
    at: str = options.AT,
    staff: str = options.STAFF,
) -> None:
    """Put someone on a shift in another's place (or an unfilled one); recorded with reason,
    who and when."""
    from dutyctl.roster.edits import override as run

    session: Session = ctx.obj
    moment = session.happened(at)  # recorded as made then: not in the future
    by = session.actor(staff, moment)
    why = _reason(reason, lambda flag: t("missing {flag}: say why someone stands in, such as "
                                         "{flag} \"off sick\"", flag=flag))
    edited = _rosters_edited(session)
    change = run(session.workspace, _day(session, day, moment), shift, new_staff,
                 replaces=replaces,
                 role=role, reason=why, by=by, at=moment, force=force)
    _report_change(session, change, lambda changes: t(
        "roster override: {changes} ({reason})", changes=changes, reason=why), edited)


@roster_app.command("swap")
def swap(
    ctx: typer.Context,
    day1: str = typer.Argument(..., metavar="DATE1",
                               help=DAY_HELP),
    shift1: str = typer.Argument(..., metavar="SHIFT1",
                                 help=SHIFT_HELP),
    staff1: str = typer.Argument(..., metavar="STAFF1",
                                 help=HOLDER_HELP),
    day2: str = typer.Argument(..., metavar="DATE2",
                               help=DAY_HELP),
    shift2: str = typer.Argument(..., metavar="SHIFT2",
                                 help=SHIFT_HELP),
    staff2: str = typer.Argument(..., metavar="STAFF2",
                                 help=HOLDER_HELP),
    reason: str = REASON,
    force: bool = FORCE,
    at: str = options.AT,
    staff: str = options.STAFF,
) -> None:
    """STAFF1 (on DATE1 SHIFT1) and STAFF2 (on DATE2 SHIFT2) exchange their places."""
    from dutyctl.roster.edits import swap as run

    session: Session = ctx.obj
    moment = session.happened(at)
    by = session.actor(staff, moment)
    why = _reason(reason, lambda flag: t("missing {flag}: say why the shifts are swapped, such "
                                         "as {flag} \"family matters\"", flag=flag))
    edited = _rosters_edited(session)
    change = run(session.workspace, (_day(session, day1, moment), shift1, staff1),
                 (_day(session, day2, moment), shift2, staff2), reason=why, by=by, at=moment,
                 force=force)
    _report_change(session, change, lambda changes: t(
        "roster swap: {changes} ({reason})", changes=changes, reason=why), edited)


@roster_app.command("export")
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("ics", "--format", "-f",
                            callback=lambda value: options.format_among(value, EXPORT_FORMATS),
                            help="ics (iCalendar), csv, or xlsx (the grid for the wall, and the "
                                 "places; with --output)."),
    staff: str = typer.Option(None, "--staff", metavar="STAFF",
                               help="Only this person's shifts (id or name)."),
    month: str = MONTH,
    first: str = FROM,
    last: str = TO,
    output: Path = typer.Option(None, "--output", "-o", metavar="FILE",
                                help="Write to FILE instead of stdout."),
    at: str = options.MONTH_OF,
) -> None:
    """Shifts as iCalendar (subscribe on a phone), CSV with a BOM (opens in Excel) or an
    Excel workbook: the roster as a grid of people and days, and the places. Default: every
    roster."""
    from dutyctl.roster import export as exporter
    from dutyctl.roster.onduty import cached_rules, slots_between
    from dutyctl.roster.rosterfile import rostered_period

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    rules = cached_rules(session.workspace)
    first_day, last_day = (_period(session, month, first, last, now=session.reckoned_from(at))
                           if month or first or last else rostered_period(session.workspace))
    slots = slots_between(session.workspace, first_day, last_day)
    _say_shifts_unknown(session, rules, first_day, last_day)
    taken_away = []  # a person's places given to another since: cancelled in their calendar
    if staff:
        from dutyctl.choices import staff_of

        staff = staff_of(rules, staff)
        taken_away = [s for s in slots if staff in s.before and s.staff != staff]
        slots = [s for s in slots if s.staff == staff]
    else:  # 人数 raised since generated: the seats it lacks are open places, as `roster show`
        from dutyctl.roster.onduty import with_lacking_seats

        slots = with_lacking_seats(slots, rules, session.config.tz)
    if fmt == "xlsx":
        session.output = output
        session.write_binary(_roster_workbook(session, rules, slots, first_day, last_day))
        return
    if fmt == "csv":
        from dutyctl.output import to_csv  # a desk not in English: roles in its words

        data = to_csv(exporter.slot_rows(slots, rules), exporter.CSV_COLUMNS,
                      session.csv_words()).encode("utf-8")
    else:
        name = session.config.name + (f" {rules.name_of(staff)}" if staff else "")
        data = exporter.to_ics(slots, rules, session.config.roles.name, name, session.now(),
                               taken_away)
    if output is None:
        write_out(_safe_lines(data.decode("utf-8")))
        return
    session.write_output(output, data.decode("utf-8"))
    echo(str(output), err=True)  # as every -o says it: stdout keeps nothing but results


def _count_headers() -> dict[str, str]:
    """Column titles of `roster stats`, one per entry of roster.stats.COUNTS."""
    return {"shifts": t("shifts"), "hours": t("hours"), "nights": t("nights"),
            "weekends": t("weekends"), "holidays": t("holidays"), "on_call": t("on call"),
            "holiday_on_call": t("holiday on call")}


@roster_app.command("stats")
def stats(
    ctx: typer.Context,
    month: str = MONTH,
    first: str = FROM,
    last: str = TO,
    fmt: str = options.FORMAT,
    at: str = options.MONTH_OF,
) -> None:
    """Hours, nights, weekend and holiday shifts and on-call duties per person, the spread
    between the most and least loaded of comparable staff (n/a when none compare), and a
    coarser one per role over everyone holding it, per full-time person, naming the widest
    role (default: this month)."""
    from dutyctl.roster.onduty import cached_rules, worked_between
    from dutyctl.roster.stats import COUNTS, roster_stats

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # only reads: a wrong value takes its default
    first_day, last_day = _period(session, month, first, last, now=session.reckoned_from(at))
    rules = cached_rules(session.workspace)
    worked = worked_between(session.workspace, first_day, last_day)
    _days_left_out(session, first_day, last_day)
    _say_shifts_unknown(session, rules, first_day, last_day)
    found = roster_stats(rules, worked, first_day, last_day)
    named = rules.person if fmt == "table" else rules.name_of  # a screen: the id if shared
    rows = [{"staff": staff, "name": named(staff), **row}
            for staff, row in found["staff"].items()]
    headers = _count_headers()
    if fmt == "xlsx":  # the spreads on a sheet of their own: the point of the command
        session.emit_workbook(rows, [("staff", t("staff")), ("name", t("name"))]
                              + [(k, headers[k]) for k in COUNTS], None, totals=COUNTS,
                              more=[(t("spreads"), _spread_rows(session, found, headers),
                                     _spread_columns())])
        return
    if fmt != "table":  # CSV: a row per person; the spreads (null where no two staff
        # compare) are in json and yaml
        session.emit({"period": {"from": first_day, "to": last_day}, "staff": rows,
                      **{key: found[key] for key in SPREADS}},
                     fmt, [("staff", "staff"), ("name", "name")] + [(k, k) for k in COUNTS],
                     rows=rows)
        return
    from dutyctl.output import hours_text  # hours as attendance and the reports say them

    session.emit([{**row, "hours": hours_text(row["hours"])} for row in rows], "table",
                 [("name", t("name"))] + [(k, headers[k]) for k in COUNTS])
    # the spreads as a table of their own, a row per count: their titles fit any terminal
    echo("")
    session.emit([{**row, "spread": _shown(row["spread"], key == "hours"),
                   "adjusted": _shown(row["adjusted"], key == "hours")}
                  for key, row in zip(COUNTS, _spread_rows(session, found, headers))], "table",
                 _spread_columns())


#: The spreads of `stats.roster_stats`, as `roster stats` gives them in json and yaml.
SPREADS = ("spread", "spread_adjusted", "spread_adjusted_role")


def _spread_columns() -> list[tuple[str, str]]:
    return [("count", t("spread (most - least)")), ("spread", t("among comparable staff")),
            ("adjusted", t("per role, per full-time")), ("role", t("widest role"))]


def _spread_rows(session: Session, found: dict, headers: dict) -> list[dict]:
    """A row per count (in COUNTS' order): figures as numbers (None where none compare; the
    screen says them through `_shown`), the widest role by name, none where every group is
    even (0 as shown: naming one misleads)."""
    from dutyctl.names import Names
    from dutyctl.roster.stats import COUNTS

    names = Names(session.config, None)
    spread, adjusted, role = (found[key] for key in SPREADS)
    return [{"count": headers[k], "spread": spread[k], "adjusted": adjusted[k],
             "role": names.role(role[k]) if adjusted[k] and round(adjusted[k], 1) else ""}
            for k in COUNTS]


def _shown(value: float | None, hours: bool = False) -> object:
    """A spread on the screen: n/a where none was measured; `hours` to one place, as every
    screen says hours (output.hours_text: 2.7, never 2.67); a count as a whole number (4,
    never 4.0), a count per full-time person that is not whole to one place too."""
    from dutyctl.output import hours_text

    if value is None:
        return t("n/a")
    text = hours_text(value)
    # a count whole at one place is whole on the screen (30.96 per full-time person: 31)
    return text if hours or not text.endswith(".0") else round(value)


def who(
    ctx: typer.Context,
    at: str = options.AT,
    role: str = typer.Option(None, "--role", help="Only this role (id or name: 维修工)."),
    fmt: str = options.FORMAT,
) -> None:
    """Who is on duty (overrides applied), who is on call at home, and the next handover.
    Exit 1 when nobody the coverage rule counts (its roles) is on duty on site in the hours
    it says must be covered, a place is left open then, or no roster covers the day; outside
    those hours, 0 (with --role: 1 unless one of the role is on site or at home on call)."""
    from dutyctl.desk.clocking import here_and_absent
    from dutyctl.desk.rostered import moment_and_chain
    from dutyctl.roster.onduty import cached_rules, next_handover, next_real_handover

    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # the desk must still see who is on
    moment = _asked_when(session, at)
    if role is not None:
        from dutyctl.choices import role_of

        role = role_of(session.config, role)
    try:
        rules = cached_rules(session.workspace)
        # read once: the moment's slots, and the shifts a duty may have run through (连班)
        slots, chain = moment_and_chain(session.workspace, moment, role)
    except DutyError:  # broken rules: the duty clerk still sees who is rostered and who is in
        from dutyctl.roster.onduty import rules_problem

        reason = rules_problem(session.workspace)
        if reason is None:
            raise  # a roster file itself broken: refused, never taken for "nobody"
        _who_without_rules(session, moment, role, fmt, reason)
        return
    rows = [{"role": s.role, **_on_shift(s, rules), "from": s.start, "until": s.end}
            for s in slots if not s.on_call]
    on_call_slots = [s for s in slots if s.on_call]
    on_call = [{"role": s.role, **_on_shift(s, rules), "from": s.start, "until": s.end}
               for s in on_call_slots]
    _called_out(session, on_call, moment)
    # now only, and only when someone is rostered on site: who is clocked in is read then
    here, absent = (here_and_absent(session.workspace, slots, moment, chain)
                    if at is None and rows else (set(), set()))
    handover = next_handover(session.workspace, moment, role)
    # on leave that day, or gone (`Rules.kept_off`), and not come in after all (one clocked
    # in is here, whatever the rules); at home on call too: nobody to call out
    kept_off = {s.staff for s in slots if s.staff not in here
                and rules.kept_off(s.staff, s.date)}
    if fmt != "table":
        for row in rows:  # now only: a moment asked about is not compared with the clock-ins
            row["clocked_in"] = None if at is not None else row["staff"] in here
        for row in rows + on_call:
            row["on_leave"] = row["staff"] in kept_off
        session.emit({"at": moment, "on_duty": rows, "on_call": on_call,
                      "next_handover": _handover_doc(handover, rules)}, fmt, WHO_COLUMNS,
                     rows=rows)
    else:
        for row in rows:
            row["from"], row["until"] = f"{row['from']:%m-%d %H:%M}", f"{row['until']:%m-%d %H:%M}"
            row["shift"] = row.pop("shift_name")
            row["role"] = session.config.roles.name(row["role"])
            row["name"] = rules.person(row["staff"])  # two 李娜 told apart
        # a screen shows the name alone (machine formats keep the id beside it)
        session.emit(rows, "table", [("role", t("role")), ("name", t("name")),
                                     ("shift", t("shift")),
                                     ("from", tp("time range", "from")),
                                     ("until", tp("time range", "until"))],
                     empty="")  # the error below says nobody is on duty
        # (a person absent on site may hold an on-call duty too: said once, for the site's)
        for slot in (slot for slot in slots if not slot.on_call):
            if slot.staff in kept_off:  # leave entered after the roster: nobody comes
                echo(_kept_off_line(slot, rules))
            elif slot.staff in absent:
                echo(t("not clocked in: {name} ({shift}, from {start}): the desk may have "
                       "nobody; call them", name=rules.person(slot.staff),
                       shift=slot.shift_name, start=f"{slot.start:%H:%M}"))
        for row, slot in zip(on_call, on_call_slots, strict=True):
            if row["staff"] in kept_off and row["called_out_since"] is None:
                echo(_kept_off_line(slot, rules))
                continue
            named = dict(name=row["name"], role=session.config.roles.name(row["role"]),
                         shift=row["shift_name"], until=f"{row['until']:%m-%d %H:%M}")
            shared = rules.shared_id(row["staff"])  # one pair of brackets: 王强 (wangqiang, …)
            if row["called_out_since"] is not None:  # on the way or on site, not at home
                since = f"{row['called_out_since']:%m-%d %H:%M}"
                echo(t("on call, called out since {since}: {name} ({id}, {role}, {shift}) "
                       "until {until}", since=since, id=shared, **named) if shared else
                     t("on call, called out since {since}: {name} ({role}, {shift}) "
                       "until {until}", since=since, **named))
                continue
            echo(t("on call (at home): {name} ({id}, {role}, {shift}) until {until}",
                   id=shared, **named) if shared else
                 t("on call (at home): {name} ({role}, {shift}) until {until}", **named))
        passed, real = next_real_handover(session.workspace, handover, role)
        for moment_passed in passed:  # a shift ends or starts while others stay on
            at = f"{moment_passed.at:%Y-%m-%d %H:%M}"
            echo(t("{at}: {leaving} goes off duty", at=at,
                   leaving=_names(moment_passed.leaving, rules))
                 if moment_passed.leaving else
                 t("{at}: {arriving} comes on duty", at=at,
                   arriving=_names(moment_passed.arriving, rules)))
        if real is not None:
            echo(t("next handover {at}: {leaving} -> {arriving}",
                         at=f"{real.at:%Y-%m-%d %H:%M}",
                         leaving=_names(real.leaving, rules) or t("nobody"),
                         arriving=_names(real.arriving, rules) or _nobody_next(
                             session, real.at)))
    day = moment.astimezone(session.config.tz).date()  # the night before runs into it
    _say_shifts_unknown(session, rules, day - timedelta(days=1), day)
    tz = session.config.tz
    if rows:
        _counted_on_site(session, rules, slots, moment, role)
        return
    open_places = open_on_call = None  # read once, when asked (`_nobody_at` is given them)
    if any(row["staff"] not in kept_off or row["called_out_since"] is not None
           for row in on_call):
        from dutyctl.roster.onduty import open_places_at

        open_places = open_places_at(session.workspace, rules, moment, tz, role)
        if not open_places:
            # none (of the role) on site, nor rostered there: one at home on call to be called
            # in (said above) covers it; another on-call seat left open is said
            open_on_call = open_places_at(session.workspace, rules, moment, tz, role,
                                          on_call=True)
            if open_on_call:
                echo(t("the roster also leaves the on-call place {places} open {how}",
                       **_open_words(session, open_on_call)))
            from dutyctl.roster.coverage import required_at

            if role or not required_at(rules.coverage, moment, tz):
                return  # hours the site's coverage rule leaves to the on-call duty
            raise ProblemsFound([Problem("", None, t(
                "nobody is on duty at {at}: nobody on site, only on call at home, in hours "
                "the coverage rule says someone must be on duty ('dutyctl {check}' lists the "
                "hours nobody covers)", at=f"{moment:%Y-%m-%d %H:%M}",
                check=said("roster", "check")))], exit_code=EXIT_FINDINGS)
    at = f"{moment:%Y-%m-%d %H:%M}"
    from dutyctl.roster.rosterfile import generate_command, roster_covers

    if not roster_covers(session.workspace, day):  # say which to make
        command = generate_command(day)
        raise ProblemsFound([Problem("", None, t(
            "nobody is on duty at {at} as {role}: no roster covers that day yet (run "
            "'{command}')", at=at, role=session.config.roles.name(role), command=command)
            if role else t("nobody is on duty at {at}: no roster covers that day yet (run "
                           "'{command}')", at=at, command=command))],
            exit_code=EXIT_FINDINGS)
    if not role:  # nothing read yet when nobody is on call
        from dutyctl.roster.coverage import required_at
        from dutyctl.roster.onduty import open_places_at

        if open_places is None:
            open_places = open_places_at(session.workspace, rules, moment, tz, role)
        if not open_places and open_on_call is None:
            open_on_call = open_places_at(session.workspace, rules, moment, tz, role,
                                          on_call=True)
        if not open_places and not open_on_call and not required_at(rules.coverage, moment,
                                                                      tz):
            # no shift runs, none left open, in hours the coverage rule leaves uncovered:
            # nobody is wanted then, as with someone on call (`roster check` finds nothing)
            echo(t("nobody is on duty at {at}: no shift runs then, outside the hours the "
                   "coverage rule says someone must be on duty", at=at), err=True)
            return
    raise ProblemsFound([Problem("", None, _nobody_at(session, rules, moment, role,
                                                      open_places, open_on_call))],
                        exit_code=EXIT_FINDINGS)


def _counted_on_site(session: Session, rules, slots, moment, role: str | None) -> None:
    """Someone on site, but (without --role) none of the roles the coverage rule counts
    (`coverage: roles`), in its hours: the hole `roster check` reports, refused as such."""
    counted = rules.coverage.roles
    if role or counted is None:
        return
    on_site = [slot.role for slot in slots if not slot.on_call]
    if any(found in counted for found in on_site):
        return
    from dutyctl.roster.coverage import required_at

    if not required_at(rules.coverage, moment, session.config.tz):
        return
    roles = session.config.roles
    raise ProblemsFound([Problem("", None, t(
        "nobody is on duty at {at} as the coverage rule counts (roles: {roles}): on site only "
        "{present} ('dutyctl {check}' lists the hours nobody covers)",
        at=f"{moment:%Y-%m-%d %H:%M}", roles=t(", ").join(roles.name(key) for key in counted),
        present=t(", ").join(roles.name(key) for key in dict.fromkeys(on_site)),
        check=said("roster", "check")))], exit_code=EXIT_FINDINGS)


def _open_words(session: Session, open_places) -> dict:
    """The words saying places left open (`open_places_at`'s): `places` (大夜班 [缺1名保安]),
    and `how`, the one tail every such line ends with: the commands `explain` and `override`
    of the first's day and shift."""
    day, shift_name, _ = next(iter(open_places))
    commands = dict(explain=said("roster", "explain"), override=said("roster", "override"),
                    day=f"{day:%Y-%m-%d}", shift=shift_name, someone=t("STAFF"))
    return dict(places=places_open(session.config.roles, open_places), how=t(
        "(why: 'dutyctl {explain} {day} {shift}'; to fill it: 'dutyctl {override} {day} "
        "{shift} {someone}')", **commands))


def _nobody_at(session: Session, rules, moment, role: str | None, open_places=None,
               open_on_call=None) -> str:
    """Nobody on duty at `moment` though a roster covers its day: the places on site the
    roster leaves open then (大夜班 [缺1名保安], as `roster show` marks them), with the
    commands that say why and fill one; else that no shift (of `role`) runs then.
    `open_places`, `open_on_call`: `open_places_at`'s on site and on call when the caller has
    read them (None: read here)."""
    from dutyctl.roster.onduty import open_places_at

    at = f"{moment:%Y-%m-%d %H:%M}"
    tz = session.config.tz
    if open_places is None:
        open_places = open_places_at(session.workspace, rules, moment, tz, role)
    # none on site: an on-call place (备班) left open then is said, not "no shift runs"
    if open_places:
        open_on_call = None
    elif open_on_call is None:
        open_on_call = open_places_at(session.workspace, rules, moment, tz, role,
                                      on_call=True)
    if not open_places and not open_on_call:
        return t("nobody is on duty at {at} as {role}: no {role} shift runs then", at=at,
                 role=session.config.roles.name(role)) if role else t(
            "nobody is on duty at {at}: no shift runs then ('dutyctl {check}' lists the hours "
            "nobody covers)", at=at, check=said("roster", "check"))
    words = dict(at=at, **_open_words(session, open_places or open_on_call))
    if open_on_call and role:  # no shift of the role on site then; its on-call place is open
        return t("nobody is on duty at {at} as {role}: no {role} shift runs on site then, and "
                 "the roster leaves the on-call place {places} open, nobody at home to call in "
                 "{how}", role=session.config.roles.name(role), **words)
    if open_on_call:
        return t("nobody is on duty at {at}: no shift runs on site then, and the roster leaves "
                 "the on-call place {places} open, nobody at home to call in {how}", **words)
    if role:  # others may be on duty then: only the role's people are missing
        return t("nobody is on duty at {at} as {role}: the roster leaves {places} open {how}",
                 role=session.config.roles.name(role), **words)
    return t("nobody is on duty at {at}: the roster leaves {places} open {how}", **words)


def _say_shifts_unknown(session: Session, rules, first: date, last: date) -> None:
    """A line on stderr when the rosters of first..last hold places of a shift the rules no
    longer have (renamed since): `who`, `roster show`, `stats` and `export` show none of
    them (`who` said "nobody is on duty", stats a month without nights, with no word why)."""
    from dutyctl.roster.onduty import shifts_unknown

    try:
        unknown = shifts_unknown(session.workspace, rules, first, last)
    except DutyError:
        return  # a roster that cannot be read is said by the query itself
    if unknown:  # (echo shows ids another desk wrote on one line, as every line)
        echo(t("the roster holds places of shifts the rules no longer have ({shifts}): they "
               "are not shown here; 'dutyctl {check}' lists them (generate the roster again, "
               "or give the rules the shift back)", shifts=t(", ").join(unknown),
               check=said("roster", "check")), err=True)


def _kept_off_line(slot, rules) -> str:
    """`who`'s line for one rostered on a day of their leave, or after they left (before
    they start: `Rules.kept_off`), with the command that puts someone on the shift in their
    place, as typed in the screen's words."""
    from dutyctl.commandwords import said_option

    leave = rules.leave_on(slot.staff, slot.date)
    kind = (leave or tp("attendance", "on leave")) if leave is not None else \
        t("not employed that day")
    words = dict(name=rules.person(slot.staff), shift=slot.shift_name,
                 start=f"{slot.start:%H:%M}", kind=kind, override=said("roster", "override"),
                 day=f"{slot.date:%Y-%m-%d}", someone=t("STAFF"),
                 replaces=said_option("--replaces", "roster override"),
                 reason=said_option("--reason", "roster override"),
                 why=f'"{kind}"' if any(char.isspace() for char in kind) else kind)
    if leave is None:
        return t("not employed that day (active_from, active_until in the rules): {name} "
                 "({shift}, from {start}) is still on the roster: put someone on the shift "
                 "with 'dutyctl {override} {day} {shift} {someone} {replaces} {name} {reason} "
                 "{why}'", **words)
    return t("on leave that day: {name} ({shift}, from {start}) is still on the roster ({kind}): "
             "put someone on the shift with 'dutyctl {override} {day} {shift} {someone} "
             "{replaces} {name} {reason} {why}'", **words)


def _who_without_rules(session: Session, moment, role: str | None, fmt: str,
                       reason: str) -> None:
    """`who` when the roster cannot be read as slots (broken rules: no shift has times): the
    people the roster file puts on that day, by id where the rules give no name, and who is
    clocked in; one stderr line says why, the output says what is missing."""
    from dutyctl import notices
    from dutyctl.desk.withoutrules import present_without_rules
    from dutyctl.names import Names
    from dutyctl.output import day_label

    notices.warn(t("roster rules unreadable, shift times unknown: {reason}", reason=reason))
    rows = present_without_rules(session.workspace, moment, role)
    names = Names.of(session.workspace)
    day = moment.astimezone(session.config.tz).date()
    for row in rows:
        row["name"] = names.person(row["staff"])
        row["shift_name"] = names.shift(row["shift"])
    if fmt != "table":
        session.emit({"at": moment, "roster_unreadable": reason, "on_duty": None,
                      "on_call": None, "next_handover": None, "people": rows}, fmt,
                     WHO_UNRULED_COLUMNS, rows=rows)
    elif rows:
        echo(t("The roster rules could not be read: who is rostered on {day} and the day before "
               "(shift times unknown), and who is clocked in.", day=day_label(day)))
        tz = session.config.tz
        session.emit([{"role": session.config.roles.name(row["role"]) if row["role"] else "-",
                       "name": row["name"], "shift": row["shift_name"],
                       "rostered": (t("yes") if row["date"] == day
                                    else t("the day before") if row["date"] else t("no")),
                       # a fact, not "on duty": without a shift window none is judged
                       "clocked_in": t("clocked in {at}, not clocked out",
                                       at=f"{row['clocked_in'].astimezone(tz):%m-%d %H:%M}")
                       if row["clocked_in"] else ""} for row in rows],
                     "table", [("role", t("role")), ("name", t("name")), ("shift", t("shift")),
                               ("rostered", t("rostered")),
                               ("clocked_in", t("clock-in"))])
    if not rows:
        raise ProblemsFound([Problem("", None, t(
            "nobody is rostered on {day} or the day before in a roster that can be read, and "
            "nobody is clocked in at {at}", day=day_label(day), at=f"{moment:%Y-%m-%d %H:%M}"))],
            exit_code=EXIT_FINDINGS)


#: `who` when the rules cannot be read: a row per person rostered that day or clocked in
WHO_UNRULED_COLUMNS = [("date", N_("date")), ("role", N_("role")), ("staff", N_("staff")),
                       ("name", N_("name")), ("shift", N_("shift")),
                       ("shift_name", N_("shift name")), ("clocked_in", N_("clocked in at"))]


def _nobody_next(session: Session, at) -> str:
    """Nobody takes over at `at`: because no roster covers that day yet, when so (the
    roster to make next), else simply nobody."""
    from dutyctl.roster.rosterfile import generate_command, roster_covers

    day = at.astimezone(session.config.tz).date()
    if roster_covers(session.workspace, day):
        return t("nobody")
    return t("nobody: no roster covers that day yet (run '{command}')",
             command=generate_command(day))


def _called_out(session: Session, on_call: list[dict], moment) -> None:
    """Each on-call row's call-out under way at `moment` (`called_out_since`, None: at home):
    one started within the row's slot (one left unended the night before is not this one's)."""
    starts: dict[str, list] = {}
    if on_call:
        from dutyctl.desk.callout import callouts_between

        day = moment.astimezone(session.config.tz).date()
        for callout in callouts_between(session.store, day - timedelta(days=1), day):
            if callout.start <= moment and (callout.end is None or callout.end > moment):
                starts.setdefault(callout.staff, []).append(callout.start)
    for row in on_call:
        within = [start for start in starts.get(row["staff"], ()) if start >= row["from"]]
        row["called_out_since"] = (max(within).astimezone(session.config.tz) if within
                                   else None)


def _names(slots, rules) -> str:
    return t(", ").join(_with_shift(slot, rules) for slot in slots)


def _with_shift(slot, rules) -> str:
    """张伟 (白班); a shared name's id in the same brackets: 陈静 (zhaolei, 夜班)."""
    from dutyctl.safetext import one_line

    shared, shift = rules.shared_id(slot.staff), one_line(slot.shift_name)
    if shared:
        return t("{name} ({id}, {shift})", name=one_line(rules.name_of(slot.staff)),
                 id=shared, shift=shift)
    return t("{name} ({shift})", name=one_line(rules.person(slot.staff)), shift=shift)


WHO_COLUMNS = [("role", N_("role")), ("staff", N_("staff")), ("name", N_("name")),
               ("shift", N_("shift")), ("shift_name", N_("shift name")),
               ("from", N_("shift starts")), ("until", N_("shift ends"))]


def _on_shift(slot, rules) -> dict:
    """Who and which shift, the same field names in every command: ids beside names."""
    return {"staff": slot.staff, "name": rules.name_of(slot.staff), "shift": slot.shift_id,
            "shift_name": slot.shift_name}


def _handover_doc(handover, rules) -> dict | None:
    if handover is None:
        return None
    return {"at": handover.at,
            "leaving": [_on_shift(s, rules) for s in handover.leaving],
            "arriving": [_on_shift(s, rules) for s in handover.arriving]}


def register(app: typer.Typer) -> None:
    app.add_typer(roster_app, name="roster")
    app.command("who")(who)
