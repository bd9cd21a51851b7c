"""init and check: creating a workspace and validating everything in it."""

from __future__ import annotations

from pathlib import Path

import typer

from dutyctl.cli import options
from dutyctl.cli.session import Session, echo
from dutyctl.messages import t


def init(target: Path = typer.Argument(Path("."), metavar="DIR",
                                       help="Folder for the new workspace.")) -> None:
    """Create a workspace from the bundled templates; never overwrites a file."""
    from dutyctl.workspace import init_workspace

    created, kept = init_workspace(target)
    for path in created:
        echo(t("created {path}", path=path))
    for path in kept:
        echo(t("kept    {path} (exists)", path=path))
    echo(t("""
next steps:
  cd {folder}
  edit dutyctl.yaml (site name, time zone, departments, categories, time limits)
  edit rosters/rules.yaml (staff, shifts, leave)
  dutyctl check                                 # every problem at once, as file:line
  dutyctl roster generate                       # next month's duty roster
  dutyctl who                                   # who is on duty now
  export DUTYCTL_USER=<your staff id>           # then: dutyctl clock in
  dutyctl --help                                # every command""",
           folder=target))


def check(ctx: typer.Context, fmt: str = options.FORMAT) -> None:
    """Validate config, rules, rosters and every record; exit 1 when anything is wrong."""
    from dutyctl.check import check_workspace

    session: Session = ctx.obj
    problems = check_workspace(session.workspace)
    session.report_problems(problems, fmt)


def sync(ctx: typer.Context,
         remote: str = typer.Option("origin", "--remote", metavar="NAME",
                                    help="The git remote shared by the desks.")) -> None:
    """Fetch from the shared repository, merge (never rebase), check, push: one line per
    outcome. Exit 1 on a conflict or when check fails (nothing pushed); safe from cron."""
    from dutyctl.sync import sync as run

    session: Session = ctx.obj
    outcome, branch = run(session.workspace, remote)
    echo(outcome.line(remote, branch))


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("check")(check)
    app.command("sync")(sync)
