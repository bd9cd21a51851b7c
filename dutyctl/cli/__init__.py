"""The command line: parse, call the core, format. Errors become one stderr line here."""

from __future__ import annotations

import os
import sys

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError  # vendored in 0.28
from typer.core import TyperGroup

from dutyctl.errors import EXIT_USAGE, DutyError
from dutyctl.messages import t


class DutyGroup(TyperGroup):
    """Turns the core's errors and click's usage errors into one line and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DutyError as exc:
            if os.environ.get("DUTYCTL_DEBUG"):
                raise
            for line in str(exc).splitlines():
                typer.echo(line, err=True)
            raise typer.Exit(exc.exit_code) from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(args, prog_name or "dutyctl", complete_var,
                                  standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:
            if not standalone_mode:
                raise
            exc.show()
            sys.exit(EXIT_USAGE)
        except ClickException as exc:
            if not standalone_mode:
                raise
            where = exc.ctx.command_path if getattr(exc, "ctx", None) else "dutyctl"
            typer.echo(t("{where}: {message} (see '{where} --help')", where=where,
                         message=exc.format_message()), err=True)
            sys.exit(exc.exit_code if exc.exit_code else EXIT_USAGE)
        except (typer.Abort, KeyboardInterrupt):
            if not standalone_mode:
                raise
            typer.echo(t("dutyctl: interrupted, nothing more was written"), err=True)
            sys.exit(130)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(cls=DutyGroup, no_args_is_help=True, rich_markup_mode=None,
                  add_completion=True, pretty_exceptions_enable=False,
                  help="dutyctl: the duty system of a property service center "
                       "(小区物业客户服务中心值班制度).")


@app.callback()
def _root(
    ctx: typer.Context,
    root: str = typer.Option(None, "--root", metavar="DIR",
                             help="Workspace folder (default: $DUTYCTL_ROOT, else the nearest "
                                  "folder upwards holding dutyctl.yaml)."),
) -> None:
    from dutyctl.cli.session import Session

    ctx.obj = Session(root)


def _register() -> None:
    """Every module of this package with a `register(app)` adds its commands."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        commands = importlib.import_module(f"{__name__}.{module.name}")
        if hasattr(commands, "register"):
            commands.register(app)


_register()


def main() -> None:
    app(prog_name="dutyctl")
