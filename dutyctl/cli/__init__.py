"""The command line: parse, call the core, format (the only layer that knows Typer).

The Typer program is dutyctl/cli/program.py; its names (`app`, `main`, `every_command`...)
are reached through this package, which imports it only when one is asked for, so that
the modules without Typer here (session, calls, announce, quick) load without it: a plain
`log call` runs before Typer is imported (dutyctl/cli/quick.py).
"""


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module("dutyctl.cli.program"), name)
