"""Shell completion of option values: which lookup of dutyctl/lookups.py an option takes is read
from the option itself (its flag and metavar), so every command gets it through DutyCommand
without a word in the command's own code. The launcher answers the same TABs from the table
tools/command_table.py writes from `value_kind` (dutyctl/commands.py), before Typer loads.
"""

from __future__ import annotations

from typing import Callable


def value_kind(param) -> str | None:
    """The lookup completing `param`'s values, or None (then the shell completes files)."""
    flags, metavar = set(param.opts), param.metavar
    if "--format" in flags:
        return "formats"
    if ("--staff" in flags or metavar in ("STAFF", "STAFF1", "STAFF2")
            or ("--to" in flags and metavar == "ID")):
        return "staff"
    if metavar == "DEPARTMENT":
        return "departments"
    if "--type" in flags:
        return "emergency_types"
    if "--category" in flags or "--ticket-category" in flags:
        return "categories"
    if "--urgency" in flags:
        return "urgency_classes"
    if "--kind" in flags:
        return "kinds"
    if metavar in ("SHIFT", "SHIFT1", "SHIFT2"):
        return "shifts"
    if param.param_type_name == "argument" and metavar == "ITEM|ID":
        return "open_problems"
    if param.param_type_name == "argument" and metavar == "ID":
        return "open_records"
    return None


def completer_for(param) -> Callable | None:
    kind = value_kind(param)
    return None if kind is None else _completer(kind)


def _completer(kind: str) -> Callable:
    def complete(ctx, param, incomplete: str):
        from typer._click.shell_completion import CompletionItem

        from dutyctl.lookups import offered  # only when completing: not on every command's start

        return [CompletionItem(value, help=text) for value, text in offered(
            kind, command_words(ctx), ctx.find_root().params.get("root"), incomplete)]
    return complete


def command_words(ctx) -> list[str]:
    """The command's own names below the program (`["repair", "file"]`), whatever words were
    typed for it (`报修 登记` runs it under those: its command_path says them)."""
    words = []
    while ctx.parent is not None:
        words.append(ctx.command.name)
        ctx = ctx.parent
    return words[::-1]
