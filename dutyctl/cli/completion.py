"""`--install-completion SHELL` and `--show-completion SHELL` for the shell named.

Typer's own flags take no value: `dutyctl --install-completion zsh` ignored the `zsh` and
silently installed completion for the shell it detected (bash, say). Here a shell named after
either flag wins, and a shell Typer cannot complete is refused; the bare flags take the current
shell, as Typer's do, and say what they did in the user's language (Typer's own words are
English)."""

from __future__ import annotations

import typer

from dutyctl.commandwords import COMPLETION_FLAGS as FLAGS  # as typed -> the English one
from dutyctl.errors import EXIT_USAGE
from dutyctl.messages import t

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
PROG = "dutyctl"


def _named_shell(args: list[str]) -> tuple[str, str] | None:
    """(flag as typed, shell named after it) when the command line names one."""
    for index, arg in enumerate(args):
        flag, _, value = arg.partition("=")
        if flag not in FLAGS:
            continue
        if not value and index + 1 < len(args) and not args[index + 1].startswith("-"):
            value = args[index + 1]
        value = value or _current_shell()
        return (flag, value) if value else None
    return None


def _current_shell() -> str | None:
    """The shell this runs under, as Typer's bare flags find it (None: not found, and Typer
    says so itself)."""
    from typer._completion_shared import _get_shell_name

    return _get_shell_name()


def for_named_shell(args: list[str]) -> int | None:
    """Install or show completion for the shell named on the command line: the exit code, or
    None when no shell is named (Typer then handles the flags)."""
    named = _named_shell(args)
    if named is None:
        return None
    flag, shell = named
    if shell not in SHELLS:
        typer.echo(t("dutyctl: {flag}: unknown shell '{shell}' (expected one of: {shells})",
                     flag=flag, shell=shell, shells=t(", ").join(SHELLS)), err=True)
        return EXIT_USAGE
    from typer._completion_shared import get_completion_script, install

    if FLAGS[flag] == "--show-completion":
        typer.echo(get_completion_script(prog_name=PROG, complete_var="_DUTYCTL_COMPLETE",
                                         shell=shell))
        return 0
    shell, path = install(shell=shell, prog_name=PROG)
    typer.echo(t("{shell} completion installed in {path}", shell=shell, path=path))
    typer.echo(t("Completion will take effect once you restart the terminal"))
    return 0
