"""report daily | weekly | monthly: summaries for supervisors and cron."""

from __future__ import annotations

from pathlib import Path

import typer

from dutyctl.cli.session import Session, echo
from dutyctl.messages import t

report_app = typer.Typer(help="Daily summary and weekly / monthly reviews (text, markdown, "
                              "json, html).", no_args_is_help=True)

FORMAT = typer.Option("text", "--format", "-f", metavar="FORMAT",
                      help="text, markdown, json or html (one self-contained file).")
OUTPUT = typer.Option(None, "--output", "-o", metavar="FILE",
                      help="Write the report to FILE (atomically) instead of stdout.")
FAIL_ON = typer.Option(None, "--fail-on", metavar="LIST",
                       help="Exit 1 when any of these exist (comma-separated): emergency, "
                            "overdue, absent, unaccepted, unfilled, readiness, dissatisfied.")


def _fail_on(text: str | None) -> list[str]:
    from dutyctl.errors import InputError
    from dutyctl.reports.build import ALERTS

    chosen = [word.strip() for word in (text or "").split(",") if word.strip()]
    unknown = [word for word in chosen if word not in ALERTS]
    if unknown:
        raise InputError(t("--fail-on: unknown '{words}' (expected some of: {choices})",
                           words=", ".join(unknown), choices=", ".join(ALERTS)))
    return chosen


def _colour(output: Path | None) -> bool:
    import os
    import sys

    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _share(path: Path) -> None:
    """A report is for reading: the usual file mode (the atomic temp file starts private)."""
    import os

    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _render(report, fmt: str, names, colour: bool) -> str:
    from dutyctl import __version__
    from dutyctl.reports import layout, render

    if fmt == "json":
        import json

        return json.dumps(report.data, ensure_ascii=False, indent=2) + "\n"
    document = layout.document(report.data, names)
    if fmt == "markdown":
        return render.markdown(document)
    if fmt == "html":
        return render.html(document, footer=f"dutyctl {__version__}")
    return render.text(document, colour)


def _latest_with_records(session: Session, chosen, resolve, now):
    """Without a date, a workspace with nothing recorded since the period began (an archive,
    the bundled demo) gets the latest period that has records, and a note saying so."""
    latest = max(session.store.days(until=chosen.last), default=None)
    if latest is None or latest >= chosen.first:
        return chosen
    earlier = resolve(latest.isoformat() if chosen.kind != "monthly" else f"{latest:%Y-%m}",
                      session.config.tz, now)
    echo(t("note: nothing recorded since {latest}: reporting {period}, the latest "
                 "period with records (name the period to choose another)",
                 latest=latest, period=earlier.label), err=True)
    return earlier


def _run(ctx: typer.Context, kind: str, when: str | None, fmt: str, output: Path | None,
         fail_on: str | None) -> None:
    from dutyctl.errors import EXIT_FINDINGS, InputError
    from dutyctl.reports import build, period, render
    from dutyctl.storage import write_atomic

    if fmt not in render.FORMATS:
        raise InputError(t("unknown format '{fmt}' (expected one of: {formats})", fmt=fmt,
                           formats=", ".join(render.FORMATS)))
    watched = _fail_on(fail_on)
    session: Session = ctx.obj
    tz, now = session.config.tz, session.now()
    resolve = {"daily": period.resolve_daily, "weekly": period.resolve_weekly,
               "monthly": period.resolve_monthly}[kind]
    chosen = resolve(when, tz, now)
    if when is None:
        chosen = _latest_with_records(session, chosen, resolve, now)
    report = (build.daily if kind == "daily" else build.review)(session.workspace, chosen, now)
    session.report_skipped(report.problems)
    from dutyctl.names import Names

    names = Names.of(session.workspace)
    text = _render(report, fmt, names, _colour(output))
    if output is None:
        typer.echo(text, nl=False)  # rendered safe: report colours stay
    else:
        write_atomic(output, text, make_folders=False)
        _share(output)
    found = [f"{key}={report.alerts[key]}" for key in watched if report.alerts[key]]
    if found:
        echo(t("--fail-on: {found}", found=", ".join(found)), err=True)
        raise typer.Exit(EXIT_FINDINGS)


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
    _run(ctx, "daily", day, fmt, output, fail_on)


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
    _run(ctx, "weekly", week, fmt, output, fail_on)


@report_app.command("monthly")
def monthly(
    ctx: typer.Context,
    month: str = typer.Option(None, "--month", metavar="MONTH",
                              help="this, last or 2026-11 (default this)."),
    fmt: str = FORMAT,
    output: Path = OUTPUT,
    fail_on: str = FAIL_ON,
) -> None:
    """One month: the weekly review's figures over the month, compared with the month
    before."""
    _run(ctx, "monthly", month, fmt, output, fail_on)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
