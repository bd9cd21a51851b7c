"""report daily | weekly | monthly: summaries for supervisors and cron."""

from __future__ import annotations

from pathlib import Path

import typer

from dutyctl.cli.session import Session, echo, write_out
from dutyctl.messages import t
from dutyctl.reports.period import DAILY, MONTHLY, WEEKLY

report_app = typer.Typer(help="Daily summary and weekly / monthly reviews, as text, markdown, "
                              "json, html or xlsx (Excel).", no_args_is_help=True)


def _known_format(value: str) -> str:
    """Checked while parsing (options.format_among): `-f 表格` is refused as typed; Excel
    (`-f Excel`, `-f 电子表格`) is "xlsx"."""
    from dutyctl.cli.options import format_among
    from dutyctl.reports.render import TAKEN

    return format_among(value, TAKEN)


FORMAT = typer.Option("text", "--format", "-f", metavar="FORMAT", callback=_known_format,
                      help="text, markdown, json, html (one self-contained file) or xlsx "
                           "(Excel: a sheet per section, with --output FILE).")
OUTPUT = typer.Option(None, "--output", "-o", metavar="FILE",
                      help="Write the report to FILE (atomically) instead of stdout.")
FAIL_ON = typer.Option(None, "--fail-on", metavar="LIST",
                       help="Exit 1 when any of these exist (comma-separated): emergency, "
                            "overdue, absent, unaccepted, unfilled, readiness, dissatisfied.")


def _typed(ctx: typer.Context, value: str) -> str:
    """The option giving `value` as the user typed it (`--fail-on` or `--失败条件`)."""
    from dutyctl.cli.program import option_naming

    return option_naming(ctx)(value)


def _fail_on(text: str | None) -> list[str]:
    from dutyctl.reports.build import ALERT_WORDS

    return _words(text, ALERT_WORDS)


def _words(text: str | None, words: dict) -> list[str]:
    """The ids of the --fail-on words in `text`, each typed by id or by the word shown, whole
    (a cron line's word is exact: `over` is refused, naming the words, not taken for overdue)."""
    from dutyctl import choices, words as wording
    from dutyctl.errors import InputError

    known = wording.choices(words, words)
    found = []
    for word in choices.split_list(text or ""):
        ids = choices.matches(word, known, partial=False)
        if len(ids) != 1:  # the words differ: none is two
            said = choices.describe(known)
            raise InputError(lambda name, word=word: t(
                "unknown {option} word '{value}'; choose one of: {choices}",
                option=name("fail_on"), value=word, choices=said))
        found.append(ids[0])
    return found


def _say_found(found: list[tuple[str, int]], words: dict, option: str) -> None:
    """`--fail-on: overdue=1, absent=2` (`--失败条件：超时事项=1，缺勤=2`) on stderr, the option
    named as typed."""
    from dutyctl.words import translated

    echo(t("{option}: {found}", option=option, found=t(", ").join(
        f"{translated(words[word])}={count}" for word, count in found)), err=True)


def _say_unjudged(unjudged: list[str], words: dict, option: str,
                  unrostered: list[str] | None = None) -> None:
    """`--fail-on: absent, unfilled not judged: the roster rules cannot be read` (or: no
    roster covers the `unrostered` days, ISO dates) and `--fail-on: overdue not judged: some
    deadlines are unknown` on stderr."""
    from dutyctl.reports.build import DEADLINE_ALERTS, ROSTER_ALERTS
    from dutyctl.words import translated

    def named(group: tuple[str, ...]) -> str:
        return t(", ").join(translated(words[word]) for word in unjudged if word in group)

    if any(word in DEADLINE_ALERTS for word in unjudged):
        echo(t("{option}: {words} not judged: some deadlines are unknown", option=option,
               words=named(DEADLINE_ALERTS)), err=True)
    if any(word in ROSTER_ALERTS for word in unjudged) and unrostered:
        from datetime import date

        from dutyctl.roster.rosterfile import generate_command

        first, last = (date.fromisoformat(day) for day in (unrostered[0], unrostered[-1]))
        said = dict(option=option, words=named(ROSTER_ALERTS), first=first, last=last,
                    command=generate_command(first))
        echo(t("{option}: {words} not judged: no roster covers {first}, a day the desk recorded "
               "on; generate it: {command}", **said) if first == last else
             t("{option}: {words} not judged: no roster covers days the desk recorded on "
               "({first} to {last}); generate it: {command}", **said), err=True)
    elif any(word in ROSTER_ALERTS for word in unjudged):
        echo(t("{option}: {words} not judged: the roster rules cannot be read", option=option,
               words=named(ROSTER_ALERTS)), err=True)


def _colour(output: Path | None) -> bool:
    import os
    import sys

    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _render(data: dict, fmt: str, colour: bool, document_of) -> str | bytes:
    """A report's or review's data in one format (xlsx: the workbook's bytes); document_of(data)
    lays it out (not for json)."""
    from dutyctl import __version__
    from dutyctl.reports import render

    if fmt == "json":  # through the one output layer: text from files escaped as any JSON
        from dutyctl.output import render as as_format

        return as_format(data, fmt)
    if fmt == "xlsx":  # a workbook keeps every row (layout.SHOWN_OVERDUE: the pages)
        from dutyctl.reports.sheets import document_workbook

        return document_workbook(document_of(data, False))
    document = document_of(data, True)
    if fmt == "markdown":
        return render.markdown(document)
    if fmt == "html":
        return render.html(document, footer=f"dutyctl {__version__}")
    return render.text(document, colour)


def _render_report(report, fmt: str, names, colour: bool) -> str | bytes:
    from dutyctl.reports import layout

    return _render(report.data, fmt, colour,
                   lambda data, bounded: layout.document(data, names, bounded))


def _refuse_terminal(fmt: str, output: Path | None) -> None:
    """A workbook is binary: onto a terminal it is refused before anything is read."""
    from dutyctl.cli.session import refuse_binary_terminal

    if fmt == "xlsx":
        refuse_binary_terminal(output)


def _write(session: Session, rendered: str | bytes, output: Path | None) -> None:
    """The report to --output FILE (atomically, readable as any report, whatever its format:
    said nothing of, as a cron job expects) or to stdout; a workbook there only onto a file
    or a pipe (Session.write_binary)."""
    if output is not None:
        session.write_output(output, rendered)
    elif isinstance(rendered, bytes):
        session.write_binary(rendered)
    else:
        write_out(rendered)  # rendered safe: report colours stay


def _run(ctx: typer.Context, kind: str, when: str | None, fmt: str, output: Path | None,
         fail_on: str | None) -> None:
    from dutyctl.errors import FindingsSaid
    from dutyctl.reports import build, period
    from dutyctl.reports.build import ALERT_WORDS, DEADLINE_ALERTS, ROSTER_ALERTS

    watched = _fail_on(fail_on)
    _refuse_terminal(fmt, output)
    session: Session = ctx.obj
    session.workspace.config_despite_problems()  # a cron's summary must not vanish for a typo
    tz, now = session.config.tz, session.now()
    # session.store serves this one command: the report's two periods (through the same
    # workspace store) bring its index up to date once and keep one connection
    chosen = period.report_period(session.store, kind, when, tz, now)
    report = build.report(session.workspace, chosen, now)
    session.report_skipped(report.problems)
    from dutyctl.names import Names

    names = Names.of(session.workspace)
    _write(session, _render_report(report, fmt, names, _colour(output)), output)
    found = [(key, report.alerts[key]) for key in watched if report.alerts[key]]
    if found:
        _say_found(found, ALERT_WORDS, _typed(ctx, "fail_on"))
    said, unrostered = report.data["report"], report.data["coverage"]["days_not_judged"]
    unjudged = [key for key in watched
                if (key in ROSTER_ALERTS and (said.get("roster_unreadable") or unrostered))
                or (key in DEADLINE_ALERTS and said.get("deadlines_unknown") is not None)]
    if unjudged:  # a cron watching for absences must not take "could not tell" for "none"
        _say_unjudged(unjudged, ALERT_WORDS, _typed(ctx, "fail_on"),
                      None if said.get("roster_unreadable") else unrostered)
    if found or unjudged:
        raise FindingsSaid()


@report_app.command("daily")
def daily(
    ctx: typer.Context,
    day: str = typer.Option(None, "--date", metavar="DAY",
                            help="2026-11-25, today or yesterday (default today)."),
    fmt: str = FORMAT,
    output: Path = OUTPUT,
    fail_on: str = FAIL_ON,
) -> None:
    """One local day: calls, complaints, repairs, deadlines, emergencies, readiness,
    attendance, handovers and roster coverage."""
    _run(ctx, DAILY, day, fmt, output, fail_on)


@report_app.command("weekly")
def weekly(
    ctx: typer.Context,
    week: str = typer.Option(None, "--week", metavar="WEEK",
                             help="this, last, 2026-W48 or a date inside the week "
                                  "(default this). Weeks run Monday to Sunday."),
    fmt: str = FORMAT,
    output: Path = OUTPUT,
    fail_on: str = FAIL_ON,
) -> None:
    """One week: trends per day, category and person, timing, compliance, satisfaction,
    attendance, compared with the week before."""
    _run(ctx, WEEKLY, week, fmt, output, fail_on)


@report_app.command("monthly")
def monthly(
    ctx: typer.Context,
    month: str = typer.Option(None, "--month", metavar="MONTH",
                              help="this, last, 2026-11, 2026年11月, 11月 or 十一月 (default "
                                   "this)."),
    fmt: str = FORMAT,
    output: Path = OUTPUT,
    fail_on: str = FAIL_ON,
) -> None:
    """One month: the weekly review's figures over the month, compared with the month
    before."""
    _run(ctx, MONTHLY, month, fmt, output, fail_on)


def _site_report_writer(session: Session, fmt: str, folder: Path, owners: list):
    """Writes each site's own review in the portfolio's format (FOLDER-PERIOD.txt/md/json/
    html/xlsx) as --output writes a file (storage.write_output: through a link, into a device
    or a pipe that is read), never one of a workspace's own files (`owners`: the sites'; the
    one the command runs in is asked too)."""
    from dutyctl.names import Names
    from dutyctl.reports.portfolio import SiteReport
    from dutyctl.store.storage import write_output

    def write(report, workspace, path: Path) -> None:
        session.check_output(path, owners)
        write_output(path, _render_report(report, fmt, Names.of(workspace), False))

    return SiteReport(folder, write, {"text": "txt", "markdown": "md"}.get(fmt, fmt))


def _site_workspaces(listed: list) -> list:
    """The workspaces of the sites listed, those found (a site that is none is said as such
    when it is read): output must not go into any of their own files."""
    from dutyctl.errors import DutyError
    from dutyctl.workspace import find_workspace

    found = []
    for site in listed:
        try:
            found.append(find_workspace(str(site.path)))
        except (DutyError, OSError):
            continue
    return found


def _relative_links(data: dict, output: Path) -> None:
    """Site reports written with the review are linked from the review's own folder."""
    import os

    for row in data["sites"]:
        if row.get("report"):
            row["report"] = os.path.relpath(row["report"], output.parent)


@report_app.command("portfolio")
def portfolio(
    ctx: typer.Context,
    folders: list[str] = typer.Argument(None, metavar="[SITE]...",
                                        help="Workspace folders, one per site."),
    sites: Path = typer.Option(None, "--sites", metavar="FILE",
                               help="A file naming the site folders, one per line (# comments; "
                                    "relative to the file's folder)."),
    week: str = typer.Option(None, "--week", metavar="WEEK",
                             help="A weekly review: this, last, 2026-W48 or a date inside "
                                  "the week."),
    month: str = typer.Option(None, "--month", metavar="MONTH",
                              help="A monthly review: this, last, 2026-11, 2026年11月, 11月 "
                                   "or 十一月 (the default: last)."),
    fmt: str = FORMAT,
    output: Path = OUTPUT,
    site_reports: Path = typer.Option(None, "--site-reports", metavar="DIR",
                                      help="Also write each site's own review into DIR "
                                           "(FOLDER-PERIOD.html, ...) and link to it."),
    link: str = typer.Option(None, "--link", metavar="PATTERN",
                             help="Link each site to its own report at PATTERN, e.g. "
                                  "/srv/reports/{folder}/{period}.html."),
    fail_on: str = typer.Option(None, "--fail-on", metavar="LIST",
                                help="Exit 1 when any site has any of these (comma-separated): "
                                     "emergency, overdue, absent, unaccepted, unfilled, "
                                     "readiness, dissatisfied, target (a rate below its "
                                     "target)."),
) -> None:
    """One weekly or monthly review across many sites: each site's key rates against its
    own targets, the sites that miss, and links to each site's own report."""
    from dutyctl import messages, timeutil
    from dutyctl.cli.session import progress_bar
    from dutyctl.errors import FindingsSaid, InputError
    from dutyctl.reports import portfolio as core
    from dutyctl.reports import portfolio_layout
    from dutyctl.reports.period import review_period

    kind, when = review_period(week, month)
    _refuse_terminal(fmt, output)
    if site_reports is not None and link is not None:
        raise InputError(t("give --site-reports or --link, not both"))
    if site_reports is not None and not site_reports.is_dir():
        raise InputError(t("no such folder: {folder}", folder=site_reports))
    watched = _words(fail_on, core.FAIL_ON_WORDS)
    link = core.link_pattern(link)
    listed = core.sites_of(folders or [], sites)
    owners = _site_workspaces(listed)
    for path in filter(None, (output, site_reports)):  # before any site is read
        ctx.obj.check_output(path, owners)

    def opened(workspace) -> None:
        workspace.store.progress = progress_bar()

    language = messages.explicit_language() or next(
        filter(None, map(core.site_language, listed)), None)
    with messages.speaking(language):
        data = core.review(listed, kind, when, timeutil.now,
                           _site_report_writer(ctx.obj, fmt, site_reports, owners)
                           if site_reports else None,
                           link, opened)
        if site_reports is not None and output is not None:
            _relative_links(data, output)
        for row in data["sites"]:
            if row["status"] != core.OK:
                echo(t("site not read: {folder}: {reason}", folder=row["folder"],
                       reason=row["error"]), err=True)

        rendered = _render(data, fmt, _colour(output),
                           lambda data, bounded: portfolio_layout.document(data))
    _write(ctx.obj, rendered, output)
    found = core.failing(data, watched)
    if found:
        _say_found(found, core.FAIL_ON_WORDS, _typed(ctx, "fail_on"))
    if found or data["report"]["unreadable"]:
        raise FindingsSaid()


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
