"""Options shared by many commands, defined once."""

from __future__ import annotations

import typer

from dutyctl.messages import t

NEWEST_SHOWN = 50  # the most recent records a table shows unless --limit/--all say otherwise
AT = typer.Option(None, "--at", metavar="TIME",
                  help="When it happened, in the site time zone ('09:30', 'yesterday 22:00', "
                       "ISO 8601). Default: now.")
#: `roster show/stats/export`, `attendance`: the moment the month words are reckoned from
#: (Session.reckoned_from)
MONTH_OF = typer.Option(None, "--at", metavar="TIME",
                        help="The day 'this month' and a month without its year (1月) are "
                             "reckoned from (a day, or a day and time). Default: now.")
STAFF = typer.Option(None, "--staff", metavar="STAFF",
                     help="Who acts, by staff id or name (chenjing or 陈静). Default: "
                          "$DUTYCTL_USER, else the person on duty.")
# clock, checklist and handover: who is at the desk is never guessed from the roster
STAFF_NAMED = typer.Option(None, "--staff", metavar="STAFF",
                           help="Who acts, by staff id or name (chenjing or 陈静). Default: "
                                "$DUTYCTL_USER, else asked (never taken from the roster).")


def _known_format(value: str) -> str:
    """Checked while parsing, before the command runs: a bad --format never leaves a
    record written behind it (emergency open prints its procedure in that format)."""
    from dutyctl.output import FORMATS

    return format_among(value, FORMATS)


def format_among(value: str, formats) -> str:
    """`value` when it is one of `formats`, else the refusal listing them: a --format
    option's callback, so that a word typed for a format (`-f 表格`) is refused as typed
    (cli/program.typed_formats), not as the id it stands for."""
    from dutyctl.output import formats_said

    if value not in formats:
        raise typer.BadParameter(t("unknown format '{fmt}' (expected one of: {formats})",
                                   fmt=value, formats=formats_said(formats)))
    return value


FORMAT = typer.Option("table", "--format", "-f", metavar="FORMAT", callback=_known_format,
                      help="Output: table, json, yaml, csv or xlsx (Excel, with --output FILE).")
AS_OF = typer.Option(None, "--as-of", metavar="TIME",
                     help="Everything as it stood at this time: records filed later left out, "
                          "later events ignored for status, history and deadlines "
                          "(default: now).")
SHOW_PHONE = typer.Option(False, "--show-phone",
                          help="Show full phone numbers (masked by default).")
NAME = typer.Option(None, "--name", help="The resident's name.")
ROOM = typer.Option(None, "--room", help="Room like 3-2-501 (building-unit-room) or a place.")
PHONE = typer.Option(None, "--phone", help="The resident's phone number.")
WIDE = typer.Option(False, "--wide", help="Table: every column and whole texts, however wide "
                                           "(default: fit $COLUMNS, else the terminal, else "
                                           "100 columns).")


def newest_shown(limit: int | None, every: bool, on_screen: bool) -> int | None:
    """How many of the newest records (or residents) to show (None: all): --limit N, --all,
    else the screen's default; machine formats and --output keep every one unless --limit."""
    from dutyctl.errors import InputError

    if limit is not None and every:
        raise InputError(lambda name: t("{every} and {limit} cannot be used together",
                                        every=name("every"), limit=name("limit")))
    if limit is not None and limit < 0:
        raise InputError(lambda name: t("{limit} must be 0 (all) or more, not {value}",
                                        limit=name("limit"), value=limit))
    if every or limit == 0:
        return None
    if limit is not None:
        return limit
    return NEWEST_SHOWN if on_screen else None
