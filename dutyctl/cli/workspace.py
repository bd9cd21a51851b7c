"""init and check: creating a workspace and validating everything in it."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from dutyctl.cli import options
from dutyctl.cli.session import Session, echo
from dutyctl.messages import t


def init(ctx: typer.Context,
         target: Path = typer.Argument(Path("."), metavar="DIR",
                                       help="Folder for the new workspace (--root's when "
                                            "given).")) -> None:
    """Create a workspace from the bundled templates; never overwrites a file."""
    from typer._click.core import ParameterSource

    from dutyctl.messages import current_language
    from dutyctl.workspace import init_workspace

    # `dutyctl --root /srv/site init` makes the site there, not in the folder the shell is in
    root = ctx.find_object(Session).root_option
    if root and ctx.get_parameter_source("target") is ParameterSource.DEFAULT:
        target = Path(root)
    # `--root=~/site`, `初始化 "~/site"` (no shell expands them; Windows' cmd never does): the
    # home folder's, as every other command reads --root, never a folder named ~ here
    target = target.expanduser()

    # the files in the language spoken here: `dutyctl 初始化` (or --lang zh_CN, a Chinese
    # locale) writes them in Chinese, keys and ids alike; `dutyctl init` in English, English
    created, kept = init_workspace(target, current_language())
    for path in created:
        echo(t("created {path}", path=path))
    for path in kept:
        echo(t("kept    {path} (exists)", path=path))
    # the way into the new folder is a shell command, no words: none when made here (no
    # `cd .` to puzzle over); quoted, to be copied as it is (a folder named "my site")
    into = [] if target.resolve() == Path.cwd().resolve() else [f"  cd {shlex.quote(str(target))}"]
    echo("\n".join(["", t("next steps:"), *into, t("""\
  edit dutyctl.yaml (site name, time zone, departments, categories, time limits)
  edit rosters/rules.yaml (staff, shifts, leave)
  dutyctl check                                 # every problem at once, as file:line
  dutyctl roster generate --month {month}       # this month's duty roster (then next month's)
  dutyctl who                                   # who is on duty now
  export DUTYCTL_USER=<your staff id>           # then: dutyctl clock in
  dutyctl --help                                # every command""", month=_this_month())]))
    _say_uncommitted(target, created)


def _this_month() -> str:
    """The month a new site starts its desk in, by the template's time zone: its roster is the
    first one wanted (the next month's alone would leave today with nobody on duty)."""
    from dutyctl.config import DEFAULT_TIMEZONE
    from dutyctl.timeutil import now, zone

    return f"{now(zone(DEFAULT_TIMEZONE)):%Y-%m}"


def _say_uncommitted(target: Path, created) -> None:
    """init commits nothing into an existing history: say so, or `check` would greet the new
    workspace with a problem for each of its files. Only its own files: a folder holding the
    supervisor's other files (说明.txt) was told to `git add .` them too."""
    from dutyctl import gitsync

    made = {Path(path).resolve() for path in created}
    left = [name for name in gitsync.untracked(target) or ()
            if (target / name).resolve() in made]
    if left:
        echo(t("\n{folder} is inside an existing git repository: its new files are not "
               "committed. Other desks see them once you run: git add {folder} && git commit",
               folder=target))


def check(ctx: typer.Context, fmt: str = options.FORMAT,
          since: str = typer.Option(None, "--since", metavar="DATE",
                                    help="Only the records filed from this date on (2026-11-01, "
                                         "yesterday), with the config, rules and rosters."),
          changed: bool = typer.Option(
              False, "--changed", help="Only the days whose record files git says changed: "
                                       "not committed yet, or committed but not pushed to the "
                                       "upstream branch (a fast pre-commit hook).")) -> None:
    """Validate config, rules, rosters and every record; exit 1 when anything is wrong."""
    from dutyctl.check import (changed_days, changed_files, changed_rosters, check_workspace,
                               shared_state, unapproved_commands)
    from dutyctl.errors import InputError

    session: Session = ctx.obj
    first = _day(session, since) if since else None
    days = rosters = None
    if changed:
        paths = changed_files(session.workspace)
        if paths is None:
            from dutyctl.errors import EnvironmentFailure
            from dutyctl.gitsync import refusal

            refused = refusal(session.workspace.root)  # a repository git will not read
            if refused:
                raise EnvironmentFailure(refused)
            raise InputError(t("--changed asks git what changed, but this workspace is not in a "
                               "git repository (run dutyctl check without it)"))
        days = changed_days(session.workspace, paths)
        rosters = changed_rosters(session.workspace, paths)
    warnings: list = []
    problems = check_workspace(session.workspace, since=first, days=days, rosters=rosters,
                               warnings=warnings)
    for warning in [*warnings, *shared_state(session.workspace),
                    *unapproved_commands(session.workspace)]:
        echo(t("warning: {problem}", problem=warning), err=True)
    session.report_problems(problems, fmt)


def _day(session: Session, text: str):
    """A day typed for `check`, read in the site's zone (DEFAULT_TIMEZONE while the config itself
    is what check must report on)."""
    from dutyctl import timeutil
    from dutyctl.config import DEFAULT_TIMEZONE
    from dutyctl.errors import DutyError

    try:
        tz = session.config.tz
    except DutyError:
        tz = timeutil.zone(DEFAULT_TIMEZONE)
    return timeutil.parse_day(text, tz, timeutil.now(tz))


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
