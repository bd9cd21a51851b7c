"""The Typer program (dutyctl.cli re-exports it): parse, call the core, format. Errors become
one stderr line here.

Commands load lazily: the top-level help and completion read the static table in
`dutyctl/commands.py`; only the command that runs has its module imported and converted
to Click by Typer (a run converts one command, not all of them).
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import typer
# typer 0.28 ships its own copy of Click as `typer._click` and no longer depends on `click`:
# the errors it raises and the classes it builds are that copy's, and typer re-exports none of
# these, so this is the only place to import them from (a plain `click`, when installed, is
# another package whose UsageError typer never raises).
from typer._click.core import ParameterSource
from typer._click.exceptions import (ClickException, MissingParameter, NoArgsIsHelpError,
                                     UsageError)
from typer.core import TyperCommand, TyperGroup

from dutyctl import messages
from dutyctl.cli import helptext, optionwords
from dutyctl.commands import COMMANDS
from dutyctl.commandwords import words_apart
from dutyctl.cli.session import Session, echo, reported
from dutyctl.errors import EXIT_USAGE
from dutyctl.folding import plain_line_ends, unquoted
from dutyctl.messages import t


INNERMOST = "dutyctl.innermost"  # ctx.meta key (meta is shared by a command line's contexts)
OUTPUT_GIVEN = "dutyctl.output"  # ctx.meta key: the offered --output FILE as typed
TICKETS_MODULE = "tickets"  # the module of dutyctl.cli that gives a ticket kind its commands


def dashes_typed_wide(args: list[str], params) -> list[str]:
    """`——全部`, `－－房号=3-2-501` read as `--全部`, `--房号=3-2-501` where that names an
    option of the command; a value (the word after an option that takes one) is left as it is."""
    from dutyctl.commandwords import WIDE_DASHES

    if not any(arg.startswith(WIDE_DASHES) for arg in args):
        return args
    takes_value = {name: not (param.is_flag or param.count) for param in params
                   if param.param_type_name == "option"
                   for name in (*param.opts, *param.secondary_opts)}
    fixed, value_next = [], False
    for index, arg in enumerate(args):
        if arg == "--" and not value_next:
            return fixed + args[index:]
        wide = next((dash for dash in WIDE_DASHES if arg.startswith(dash)), None)
        if wide and not value_next:
            name, equals, value = ("--" + arg[len(wide):]).partition("=")
            if name in takes_value:
                arg = name + equals + value
        fixed.append(arg)
        value_next = not value_next and takes_value.get(arg, False)
    return fixed


def _options_missing(command, ctx, args: list[str]) -> list:
    """Every required option `args` leaves out, in the command's order: Click stops at the
    first (`缺少 --转给`, then `缺少 --原因` on the next try); the refusal names them all in one
    line (`缺少 --转给（…）、--原因（…）`), as `Session.need_all` does. The line is read again
    as Click reads it (its parser, each option's environment variable and default), nothing
    processed: no callback runs."""
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    except UsageError:
        return []
    missing = []
    for param in command.get_params(ctx):
        if param.param_type_name != "option" or not param.required:
            continue
        try:
            value, _ = param.consume_value(ctx, opts)
            if param.value_is_missing(param.type_cast_value(ctx, value)):
                missing.append(param)
        except (UsageError, ValueError, TypeError):
            continue  # given, but refused: said once the first missing one is given
    return missing


class CheckedParsing:
    """Parsing shared by every command. An empty value typed on the command line (`--at ""`,
    `--month ""`) is a mistake, never a silent "use the default": scripts that pass an unset
    variable must fail, not guess. A usage error names the command it is about."""

    def parse_args(self, ctx, args):
        typed = dashes_typed_wide(args, self.get_params(ctx))
        try:
            rest = super().parse_args(ctx, list(typed))
        except UsageError as exc:
            if exc.ctx is None:  # "Option '-f' requires an argument" comes without one
                exc.ctx, exc.cmd = ctx, ctx.command
            if isinstance(exc, MissingParameter) and getattr(exc.param, "opts", None) \
                    and exc.param.param_type_name == "option":
                missing = _options_missing(self, ctx, typed)
                exc.missing = missing if exc.param in missing else [exc.param, *missing]
            raise
        _quotes_taken_off(self, ctx)
        for param in self.get_params(ctx):
            value = ctx.params.get(param.name)
            values = value if isinstance(value, (list, tuple)) else (value,)
            if (ctx.get_parameter_source(param.name) == ParameterSource.COMMANDLINE
                    and any(_empty(param, item) for item in values)):
                if param.param_type_name == "option" and not _written(param):
                    raise _left_empty(param, ctx)
                if param.param_type_name == "option":  # --内容 "": no default stands in
                    raise UsageError(t("missing {flag}: the value given is empty: write what "
                                       "it is (it cannot be left blank)",
                                       flag=optionwords.option_name(param, ctx)), ctx=ctx)
                raise UsageError(t("missing {name}: the value given is empty",
                                   name=helptext.argument_name(param, ctx)), ctx=ctx)
        _format_of_output(self, ctx)
        return rest

    def make_parser(self, ctx):
        parser = super().make_parser(ctx)
        optionwords.remember_typed(parser, ctx)  # an error names an option as it was typed
        return parser

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            optionwords.name_params([option], "")  # --help, --帮助
        return option

    def invoke(self, ctx):
        ctx.meta[INNERMOST] = ctx  # the command that runs: its options name an error's values
        return super().invoke(ctx)

    def format_help(self, ctx, formatter):
        """Help in the user's language: this command, its options (by the names of that
        language) and its subcommands' lines."""
        helptext.translate(self, ctx)
        for name in getattr(self, "commands", {}):
            helptext.translate(self.get_command(ctx, name), ctx)
        with optionwords.names_shown([*self.params, self.get_help_option(ctx)]):
            super().format_help(ctx, formatter)

    def shell_complete(self, ctx, incomplete):
        return optionwords.offered(super().shell_complete(ctx, incomplete), incomplete,
                                   self.get_params(ctx))

    def format_usage(self, ctx, formatter):
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("Usage: "))


#: the format a file's name asks for (`-o 考勤.xlsx`): none for a name that asks none (.txt)
FORMAT_OF_SUFFIX = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".yaml": "yaml",
                    ".yml": "yaml", ".html": "html", ".htm": "html", ".md": "markdown",
                    ".ics": "ics"}
#: a file's name asking a format dutyctl writes for no command (`-o 日报.pdf`): the text it
#: would have written under that name no program opens as such, so it is refused
UNWRITTEN_SUFFIXES = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".wps": "WPS",
                      ".rtf": "RTF", ".odt": "OpenDocument", ".xls": "Excel 97-2003",
                      ".et": "WPS", ".ods": "OpenDocument", ".ppt": "PowerPoint",
                      ".pptx": "PowerPoint", ".dps": "WPS", ".png": "PNG", ".jpg": "JPEG",
                      ".jpeg": "JPEG", ".gif": "GIF", ".bmp": "BMP", ".zip": "ZIP",
                      ".rar": "RAR", ".7z": "7z"}


def _format_of_output(command, ctx) -> None:
    """--output FILE without --format writes the format its name asks for (`-o 考勤.xlsx`: a
    workbook, not the screen's table under that name, which Excel refuses to open); one
    --format the name contradicts (`-f xlsx -o 日报.html`), or a name asking a format the
    command has not, is refused before anything is written."""
    param = next((p for p in command.get_params(ctx) if "--format" in getattr(p, "opts", ())),
                 None)
    output = ctx.params.get("output") or ctx.meta.get(OUTPUT_GIVEN)
    if param is None or not output:
        return
    suffix = Path(str(output)).suffix.lower()
    wanted = FORMAT_OF_SUFFIX.get(suffix)
    given = ctx.params.get(param.name)
    if suffix not in UNWRITTEN_SUFFIXES and (wanted is None or wanted == given):
        return
    if hasattr(ctx.obj, "check_output"):  # the workspace's own file is the worse mistake
        ctx.obj.check_output(Path(str(output)))
    flag, name = optionwords.option_name(param, ctx), Path(str(output)).name
    if suffix in UNWRITTEN_SUFFIXES:
        raise UsageError(t("{file} is a name for a file in {kind} format, which dutyctl does "
                           "not write: name it for a format of {flag} ({suffixes})",
                           file=name, kind=UNWRITTEN_SUFFIXES[suffix], flag=flag,
                           suffixes=t(", ").join(_suffixes_written(param, ctx))), ctx=ctx)
    if ctx.get_parameter_source(param.name) == ParameterSource.COMMANDLINE:
        raise UsageError(t("{file} is a name for {wanted} but {flag} is {given}: write {flag} "
                           "{wanted}, or another file name", file=name, wanted=wanted,
                           flag=flag, given=given), ctx=ctx)
    try:
        ctx.params[param.name] = param.process_value(ctx, wanted)
    except typer.BadParameter:
        raise UsageError(t("{file} is a name for {wanted}, which this command does not write: "
                           "give {flag} and a file name that fits it", file=name,
                           wanted=wanted, flag=flag), ctx=ctx) from None


def _suffixes_written(param, ctx) -> list[str]:
    """The names the command's formats are written under (`-o` without `--format`): `.txt`
    for its text when that is what it writes by default (a table, a report), then a suffix
    for each format its `--format` takes (`roster export`: .ics, .csv, .xlsx)."""
    taken = [] if param.default in FORMAT_OF_SUFFIX.values() else [".txt"]
    for suffix, wanted in FORMAT_OF_SUFFIX.items():
        if wanted in (FORMAT_OF_SUFFIX.get(known) for known in taken):
            continue  # .yml, .htm: one name per format
        try:
            param.process_value(ctx, wanted)
        except typer.BadParameter:
            continue
        taken.append(suffix)
    return taken


def _left_empty(param, ctx) -> UsageError:
    """An option typed with an empty value. "Leave it out to use its default" only where it
    has one (`--at`: now, `--staff`: $DUTYCTL_USER, `-f`: a table), which its help says:
    `emergency open --where ""` was told so, and left out it is asked for or refused."""
    flag = optionwords.option_name(param, ctx)
    if not _has_default(param):
        return UsageError(t("missing {flag}: the value given is empty", flag=flag), ctx=ctx)
    return UsageError(t("missing {flag}: the value given is empty (leave the option out to "
                        "use its default)", flag=flag), ctx=ctx)


#: the metavars of a moment or a period, which a command left without it reckons from now
#: (`--month`: this month or the next, `--date`: today)
PERIOD_METAVARS = ("TIME", "DATE", "DAY", "WEEK", "MONTH", "YYYY-MM")


def _has_default(param) -> bool:
    """Whether leaving `param` out gives it a value: a default of its own, one its help
    names (the English help, as written: "Default: now."), or a moment or period's."""
    return (param.default not in (None, (), []) or "default" in (param.help or "").lower()
            or param.metavar in PERIOD_METAVARS)


def _empty(param, value) -> bool:
    """A value typed empty: "", or for a person (`--staff`, handover `--to`: values.value_kind
    "staff", as completion takes them) one that names nobody once bullets and spaces are off
    (`•`, ` `: people.names_nobody; a DUTYCTL_USER so: session.user_named)."""
    if value == "":
        return True
    if param.metavar == "FILE" and isinstance(value, (str, Path)) and not str(value).strip():
        return True  # -o "  ": no file is named so
    from dutyctl.cli.values import value_kind

    if not isinstance(value, str) or value_kind(param) != "staff":
        return False
    from dutyctl.people import names_nobody

    return names_nobody(value)


#: options whose value is what the clerk writes (the content, a note, the resident's name):
#: left out, nothing stands in for it; given empty, it is asked for, not said to default
WRITTEN_OPTIONS = ("--content", "--summary", "--note", "--reason", "--result", "--action",
                   "--told-resident", "--name", "--room", "--phone")


def _written(param) -> bool:
    return any(name in WRITTEN_OPTIONS for name in param.opts)


def _quotes_taken_off(command, ctx) -> None:
    """Each value typed on the command line wrapped whole in a Chinese input method's
    quotation marks (“3-2-501”) is read without them, as the shell reads "…"
    (`folding.unquoted`): a room so typed found nothing, a name was stored with them."""
    for param in command.get_params(ctx):
        if ctx.get_parameter_source(param.name) != ParameterSource.COMMANDLINE:
            continue
        value = ctx.params.get(param.name)
        if isinstance(value, (list, tuple)):
            ctx.params[param.name] = type(value)(unquoted(item) for item in value)
        elif isinstance(value, str):
            ctx.params[param.name] = unquoted(value)


class DutyCommand(CheckedParsing, TyperCommand):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_output(self)
        typed_formats(self)
        complete_values(self)

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, help_asked(self, ctx, args))


#: the metavars of an argument that is a text (a note's content, the words searched for):
#: `帮助` there is the text itself (`dutyctl 记事 帮助` is a note that says 帮助)
TEXT_ARGUMENTS = ("CONTENT", "WORDS...")


def help_asked(command, ctx, args: list[str]) -> list[str]:
    """`dutyctl 来电 帮助`, `dutyctl 报修 派工 帮助`, `dutyctl 来电 help`: `帮助` or `help`
    (commandwords.HELP_WORDS) as the only word after a command is that command's
    `--help`, as it is after a group (`dutyctl 报修 帮助`), not an id or an extra argument (a text stays the text: TEXT_ARGUMENTS);
    options may follow it, `--语言 en` among them (the help's language, as after `dutyctl
    帮助`). So may `--语言 en` beside `--帮助` (`--help`), before or after it: `dutyctl 来电
    --帮助 --语言 en` is the help in English, not an unknown option."""
    from dutyctl.commandwords import HELP_WORDS

    if not args or ctx.resilient_parsing:
        return args
    typed = args[:args.index("--")] if "--" in args else args
    if _help_option_in(command, ctx, typed):
        return _language_after_help(ctx, typed) + args[len(typed):]
    if args[0] not in HELP_WORDS:
        return args
    first = next((param for param in command.params if param.param_type_name == "argument"),
                 None)
    if first is not None and first.metavar in TEXT_ARGUMENTS:
        return args
    rest = _language_after_help(ctx, args[1:])
    return ["--help", *rest] if all(arg.startswith("-") for arg in rest) else args


def _help_option_in(command, ctx, typed: list[str]) -> bool:
    """Whether `typed` holds the command's own --help (--帮助)."""
    helping = command.get_help_option(ctx)
    return helping is not None and any(arg in helping.opts for arg in typed)


def group_help_asked(group, ctx, args: list[str]) -> list[str]:
    """`dutyctl 报修 --帮助 --语言 en`: --语言 beside a group's --帮助 (among the options
    before its subcommand's word) is the help's language, as after a command (help_asked);
    so is --语言 before the subcommand's word when the help asked for is the subcommand's
    (`dutyctl 报修 --语言 en 登记 --帮助`, `... 登记 帮助`), as `报修 登记 --语言 en --帮助` is;
    and before the group's own help word (`dutyctl 报修 --语言 en 帮助`, `报修 --lang en
    help`)."""
    from dutyctl.commandwords import HELP_WORDS

    if ctx.resilient_parsing:
        return args
    languages, count = _language_names(ctx), 0
    while count < len(args) and args[count].startswith("-"):
        count += 2 if args[count] in languages else 1  # --语言 en: its value too
    rest = args[count:args.index("--")] if "--" in args[count:] else args[count:]
    if not (_help_option_in(group, ctx, args[:count]) or _help_option_in(group, ctx, rest)
            or any(word in HELP_WORDS for word in rest[:2])):
        return args
    return _language_after_help(ctx, args[:count]) + args[count:]


def offer_output(command) -> None:
    """Every listing with --format takes --output FILE (where `-f xlsx`, a binary file, is
    written), unless it has its own: one option for the one output layer."""
    from typer.core import TyperOption

    taken = {name for param in command.params for name in getattr(param, "opts", ())}
    if "--format" in taken and "--output" not in taken:
        names = ["--output"] + (["-o"] if "-o" not in taken else [])
        command.params.append(TyperOption(
            param_decls=["output", *names], metavar="FILE", default=None, expose_value=False,
            callback=_remember_output,
            help="Write the listing to FILE (needed for -f xlsx at a terminal)."))


def _remember_output(ctx, param, value) -> None:
    """The offered --output, which no command takes as a value: kept on the session, an
    empty name refused here (the check of `parse_args` sees only the values it is given)."""
    if value is not None and not value.strip():
        raise _left_empty(param, ctx)
    if value is not None:
        ctx.meta[OUTPUT_GIVEN] = value  # the format its name asks for (_format_of_output)
    if value is not None and ctx.obj is not None:
        ctx.obj.output = Path(value)


class DutySubgroup(CheckedParsing, TyperGroup):
    """A group whose subcommands are converted to Click when one is asked for (`log call`
    converts `call`, not the other six `log` commands)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending: dict = {}  # name -> Typer's info of a subcommand not converted yet
        complete_values(self)

    def list_commands(self, ctx):
        return [*self.commands, *(name for name in self.pending if name not in self.commands)]

    def get_command(self, ctx, name):
        if name in self.pending and name not in self.commands:
            self.commands[name] = _converted(self.pending.pop(name), f"{self.name} {name}")
        return super().get_command(ctx, name)

    def format_help(self, ctx, formatter):
        for name in list(self.pending):  # the help lists them all
            self.get_command(ctx, name)
        super().format_help(ctx, formatter)

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, group_help_asked(self, ctx, args))

    def resolve_command(self, ctx, args):
        return by_word(self, ctx, args, self.name) or super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter):
        commands = [(name, command) for name in self.list_commands(ctx)
                    if (command := self.get_command(ctx, name)) is not None
                    and not command.hidden]
        write_commands(formatter, [(name, command.get_short_help_str(formatter.width))
                                   for name, command in commands], self.name)

    def shell_complete(self, ctx, incomplete):
        """Subcommand names (English or Chinese) from the table; options as Click does."""
        return names_completed(self, ctx, incomplete, self.name)


def names_completed(group, ctx, incomplete: str, name: str | None) -> list:
    """Completion under a group: the names the launcher offers (commandwords.names_offered,
    so that the two answer alike), then the options."""
    from typer._click.shell_completion import CompletionItem

    from dutyctl.commandwords import help_of, names_offered

    names = [CompletionItem(word, help=helptext.short_help(messages.gettext(help_of(path))))
             for word, path in names_offered(incomplete, name, optionwords.in_chinese())]
    options = super(TyperGroup, group).shell_complete(ctx, incomplete)
    return names + optionwords.offered(options, incomplete, group.get_params(ctx))


def by_word(group, ctx, args, name: str | None):
    """(word, command, rest) for a command line whose first word is a command's Chinese name
    under `group` (`dutyctl 来电`, `dutyctl 投诉 登记`: dutyctl/commandwords.py), else None.
    The command runs under the word typed: its usage line and errors say `dutyctl 来电`."""
    from dutyctl.commandwords import HELP_WORDS, words_of

    if args and args[0] in HELP_WORDS:
        return asked_for_help(group, ctx, args[1:])
    path = words_of(name).get(args[0]) if args else None
    if path is None:
        unknown_word(group, ctx, args, name)
        return None
    command = group
    for step in path:
        command = command.get_command(ctx, step)
    return args[0], command, args[1:]


def asked_for_help(group, ctx, rest: list[str]):
    """`帮助` or `help` in a command's place (commandwords.HELP_WORDS): alone (`dutyctl 帮助`,
    `dutyctl 报修 help`), the help of this group; followed by a command (`dutyctl 帮助 报修 派工`), that
    command's help, as `--help` after it would show."""
    if ctx.resilient_parsing:  # completing: never print a help screen into the shell
        return None
    rest = _language_after_help(ctx, rest)
    if not rest or rest[0].startswith("-"):
        typer.echo(ctx.get_help(), color=ctx.color)
        ctx.exit(0)
    return group.resolve_command(ctx, [*rest, "--help"])


def _language_after_help(ctx, rest: list[str]) -> list[str]:
    """`dutyctl 帮助 --语言 en` (`--lang en`, `--lang=en`, before or after a command's words):
    the language asked for is the help's, as before the command word; the rest without it."""
    names = _language_names(ctx)
    kept, chosen, words = [], None, iter(rest)
    for word in words:
        name, equals, value = word.partition("=")
        if name in names:
            chosen = value if equals else next(words, None)
            if chosen is None:
                raise UsageError(t("option {option} needs a value", option=name), ctx=ctx)
        else:
            kept.append(word)
    if chosen is not None:
        if not chosen.strip():  # `帮助 --语言 ""`: as --语言 "" anywhere else
            root = ctx.find_root()
            raise _left_empty(next(param for param in root.command.params
                                   if param.name == "lang"), root)
        if messages.normalise(chosen) is None:
            raise UsageError(t('unknown language "{code}"; choose one of: en, zh_CN',
                               code=chosen), ctx=ctx)
        messages.set_option_language(chosen)
    return kept


def _language_first(group, ctx, args: list[str]) -> list[str]:
    """The program's --lang (--语言) among its options before the command word, put first:
    Click takes eager options in the order typed, so `dutyctl --help --lang zz` (`--version
    --lang zz`) showed the help and never read the language, where `--lang zz --help` is
    refused. Now every unknown language is refused alike, wherever --lang is given. A
    --lang last, without its value (`dutyctl --help --lang`), stays where it is: put first,
    it took --help for its value (`未知语言“--help”`) where Click says it needs one."""
    if ctx.resilient_parsing:
        return args
    args = dashes_typed_wide(args, group.get_params(ctx))
    languages = _language_names(ctx)
    takes_value = {name for param in group.get_params(ctx) if not getattr(param, "is_flag", True)
                   for name in param.opts}
    chosen, kept, count = [], [], 0
    while count < len(args) and args[count].startswith("-") and args[count] != "--":
        word = args[count]
        name = word.partition("=")[0]
        taken = args[count:count + (2 if word in takes_value else 1)]
        if name in languages and len(taken) == 1 and word in takes_value:  # no value: left
            kept.extend(taken)  # where it is, Click says it needs one (not --help as its value)
        else:
            (chosen if name in languages else kept).extend(taken)
        count += len(taken)
    return [*chosen, *kept, *args[count:]] if chosen else args


def _language_names(ctx) -> tuple[str, ...]:
    """The names of the program's --lang (--语言)."""
    root = ctx.find_root().command
    return tuple(next((param.opts for param in root.params if param.name == "lang"), ()))


def unknown_word(group, ctx, args, name: str | None) -> None:
    """A first word that names no command under `group` but is close to one (保修 for 报修,
    完功 for 完工, repiar for repair): refused with the names it was likely meant as, where
    Click would only say there is no such command."""
    from dutyctl.choices import either
    from dutyctl.commandwords import near_names

    word = args[0] if args else ""
    if ctx.resilient_parsing:  # completing: a refusal would be printed into the shell
        return
    if not word or word.startswith("-") or group.get_command(ctx, word) is not None:
        return
    if name is None and word.strip() in LEAVE_WORDS:  # 请假: kept in the rules, no command
        raise UsageError(t("no command '{word}': {where}", word=word,
                           where=_leave_is_in_the_rules()), ctx=ctx)
    near = near_names(word, name)
    if near:
        raise UsageError(t("no command '{word}': did you mean {names}?", word=word,
                           names=either(near)), ctx=ctx)
    if word.strip().lower() in LIST_WORDS and name in KIND_OF_GROUP:  # `报修 列表`
        raise UsageError(t("no command '{word}': {where}", word=word,
                           where=_listed_by_list(KIND_OF_GROUP[name])), ctx=ctx)
    if name == "notify":  # `通知 明天停水`: the duty log's 通知 is a notice, typed 公告
        raise UsageError(t("no command '{word}': {where}", word=word,
                           where=_notice_is_a_log_entry(args)), ctx=ctx)


#: What a clerk types under a record kind's group to see its records (`报修 列表`)
LIST_WORDS = ("列表", "列出", "清单", "list", "ls")
#: The groups of one record kind with no list of their own: `list --kind` lists them
KIND_OF_GROUP = {"complaint": "complaint", "repair": "repair", "emergency": "emergency",
                 "handover": "handover", "checklist": "readiness", "callout": "callout"}


def _listed_by_list(kind: str) -> str:
    """Where a kind's records are listed: `list --kind` with its word (报修), as typed."""
    from dutyctl.commandwords import said, said_option
    from dutyctl.records import kind_word

    return t("records of every kind are listed by 'dutyctl {list} {kind_option} {kind}' "
             "(add {open_option} for the open ones)", list=said("list"),
             kind_option=said_option("--kind", "list"), kind=kind_word(kind),
             open_option=said_option("--open", "list"))


def _notice_is_a_log_entry(args: list[str]) -> str:
    """`通知` names the group robots' alerts; a notice for the duty log (值班记录·通知:
    停水、停电) is `公告`: the line to type, with the words and options typed."""
    from itertools import takewhile

    from dutyctl.commandwords import said

    # the words before the first option are the notice's (通知 明天 停水: "明天 停水")
    words = len(list(takewhile(lambda arg: not arg.startswith("-"), args)))
    typed = " ".join([f'"{" ".join(args[:words])}"', *(
        f'"{arg}"' if not arg or " " in arg else arg for arg in args[words:])])
    return t("a notice for the duty log is written 'dutyctl {notice} {typed}'; "
             "'dutyctl {notify}' is for the alerts sent to group robots",
             notice=said("log", "notice"), typed=typed, notify=said("notify"))


#: What a supervisor first types for what the rules file keeps: leave
LEAVE_WORDS = frozenset({"请假", "休假", "假期", "leave"})


def _leave_is_in_the_rules() -> str:
    from dutyctl.commandwords import said

    return t("leave is written in rosters/rules.yaml under the staff member's leave, as "
             "[\"2026-12-24\", {{from: \"2026-12-10\", to: \"2026-12-12\"}}]; then "
             "'dutyctl {generate}' for a month not begun, 'dutyctl {explain}' and 'dutyctl "
             "{override}' for the days already planned", generate=said("roster", "generate"),
             explain=said("roster", "explain"), override=said("roster", "override"))


def write_commands(formatter, rows: list[tuple[str, str]], group: str | None) -> None:
    """A help screen's commands (name, one line of help). In Chinese each is named by its
    Chinese word first (`考勤, attendance`, as options are: `--房号, --room`), and below them
    the Chinese words that stand for a subcommand (来电: 登记 来电) or a second word (值班)."""
    from dutyctl.commandwords import chinese_path, shown_words, words_of

    chinese = messages.current_language() == "zh_CN"
    shown = shown_words(group) if chinese else {}
    with formatter.section(messages.gettext("Commands")):
        formatter.write_dl([(f"{shown[name]}, {name}" if name in shown else name, text)
                            for name, text in rows])
    others = {word: path for word, path in words_of(group).items()
              if chinese and shown.get(path[0]) != word}
    if others:
        with formatter.section(t("More Chinese command names")):
            formatter.write_dl([(word, chinese_path(path, group))
                                for word, path in others.items()])


def typed_formats(command) -> None:
    """Every --format takes the word a clerk uses (`-f 表格`, `-f 网页`, `-f Excel`) as the
    format's id, before the option's own check (`output.format_named`)."""
    for param in command.params:
        if "--format" in getattr(param, "opts", ()):
            param.callback = _format_reader(param.callback)


def _format_reader(checked):
    def read(ctx, param, value):
        from dutyctl.output import format_named

        named = format_named(value)
        if checked is None:
            return named
        try:
            return checked(ctx, param, named)
        except typer.BadParameter:
            if named == value:
                raise
            return checked(ctx, param, value)  # refused in the word typed (文本 for a listing)
    return read


def complete_values(command) -> None:
    """Shell completion of the values of every option that takes staff, categories, formats,
    record ids... (dutyctl/cli/values.py), unless the option brings its own."""
    from dutyctl.cli.values import completer_for

    for param in command.params:
        if getattr(param, "_custom_shell_complete", None) is None:
            param._custom_shell_complete = completer_for(param)


class DutyGroup(CheckedParsing, TyperGroup):
    """Turns the core's errors and click's usage errors into one line and an exit code; loads
    a top-level command only when it is asked for (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        optionwords.name_options(self, "")  # --root, --lang, --version: --工作区, --语言, --版本

    def get_params(self, ctx):
        optionwords.name_params(self.params, "")  # Typer adds --install-completion later
        return super().get_params(ctx)

    def list_commands(self, ctx):
        return list(COMMANDS)

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, _language_first(self, ctx, args))

    def get_command(self, ctx, name):
        if name not in self.commands and (name in COMMANDS or _ticket_kind(name)):
            self.commands[name] = load_command(name)
        return self.commands.get(name)

    def format_commands(self, ctx, formatter):
        """The list of commands from the table: nothing imported to draw it."""
        write_commands(formatter, [(name, helptext.short_help(messages.gettext(text)))
                                   for name, (_, text) in COMMANDS.items()], None)

    def resolve_command(self, ctx, args):
        return by_word(self, ctx, args, None) or super().resolve_command(ctx, args)

    def shell_complete(self, ctx, incomplete):
        """Command names (with their line of help) from the table; options as Click does."""
        return names_completed(self, ctx, incomplete, None)

    def invoke(self, ctx):
        try:
            result, code = reported(
                partial(super().invoke, ctx),
                lambda value: option_naming(ctx.meta.get(INNERMOST, ctx))(value),
                lambda: ctx.obj if isinstance(ctx.obj, Session) else None,
                passing=(ClickException, typer.Exit, typer.Abort))
        except KeyboardInterrupt:  # said as at a prompt (main), where Typer exits 130 unsaid
            raise typer.Abort() from None
        if code is not None:
            raise typer.Exit(code)
        return result

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        messages.start_invocation(None)
        given = words_apart([plain_line_ends(arg)
                             for arg in (sys.argv[1:] if args is None else args)])
        line = helptext.follow_site_language(given)  # the program's options first
        helptext.hook_typer()
        from dutyctl.commandwords import COMPLETION_FLAGS

        if any(arg.partition("=")[0] in COMPLETION_FLAGS for arg in given):
            from dutyctl.cli.completion import for_named_shell

            code = for_named_shell(given)  # Typer's flags would ignore the shell named
            if code is not None:
                if not standalone_mode:
                    return code
                sys.exit(code)
        given = line
        stdout = sys.stdout
        from dutyctl.cli.session import forget_saved

        forget_saved()
        try:
            # windows_expand_args off: Click would expand `*` in values on Windows, which the
            # shells never do elsewhere and the quick `log call` path (cli/quick.py) does not
            extra.setdefault("windows_expand_args", False)
            result = super().main(given, prog_name or "dutyctl", complete_var,
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
            echo(t("{where}: {message} (see '{where} --help')", where=where,
                         message=helptext.usage_error(exc)), err=True)
            sys.exit(exc.exit_code if exc.exit_code else EXIT_USAGE)
        except (typer.Abort, KeyboardInterrupt):
            if not standalone_mode:
                raise
            from dutyctl.cli.session import interrupted

            sys.exit(interrupted())
        except SystemExit:
            # Click's own answer to a reader gone before a command ran (`--help | head`): it
            # puts a wrapper that swallows the last flush in place of sys.stdout, then exits 1
            if sys.stdout is not stdout:
                from dutyctl.cli.session import reader_gone

                sys.exit(reader_gone())
            raise
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(cls=DutyGroup, no_args_is_help=True, rich_markup_mode=None,
                  add_completion=True, pretty_exceptions_enable=False,
                  help="dutyctl: the duty system of a property service center "
                       "(小区物业客户服务中心值班制度).")


def _choose_language(ctx: typer.Context, param: typer.CallbackParam,
                     value: str | None) -> None:
    if value is not None and not value.strip():  # --lang "": as any option typed empty
        raise _left_empty(param, ctx)
    if value is not None and messages.normalise(value) is None:
        raise typer.BadParameter(t('unknown language "{code}"; choose one of: en, zh_CN',
                                   code=value))
    messages.set_option_language(value)


def _show_version(value: bool) -> None:
    if value:
        from dutyctl import __version__

        echo(f"dutyctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    root: str = typer.Option(None, "--root", metavar="DIR",
                             help="Workspace folder (default: $DUTYCTL_ROOT, else the nearest "
                                  "folder upwards holding dutyctl.yaml)."),
    lang: str = typer.Option(None, "--lang", metavar="LANG", is_eager=True,
                             callback=_choose_language, expose_value=False,
                             help="Language of messages: zh_CN or en (default: $DUTYCTL_LANG, "
                                  "else site.language in dutyctl.yaml, else the POSIX locale)."),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                 expose_value=False, help="Print dutyctl's version and exit."),
) -> None:
    ctx.obj = Session(root)


def _module_app(module: str, name: str | None = None) -> typer.Typer:
    """A Typer app with the commands of one module of this package (its `register(app)`);
    `name`: the command about to run, of which the tickets module builds only that one
    (a ticket kind's group imports its kind module, every kind's imports them all)."""
    import importlib

    scratch = typer.Typer()
    register = importlib.import_module(f"{__package__}.{module}").register
    if module == TICKETS_MODULE and name is not None:
        register(scratch, only=name)
    else:
        register(scratch)
    _use_duty_classes(scratch)
    return scratch


def _ticket_kind(name: str) -> bool:
    """A ticket kind not in the table (its module added after the table was generated, or
    registered by a test): `cli/tickets.py` gives it its commands."""
    from dutyctl.records import declares

    return declares(name, "ticket")


def load_command(name: str):
    """The Click command of a top-level command: its module imported, only it converted (a
    group without its subcommands, each converted when it is asked for)."""
    module = COMMANDS[name][0] if name in COMMANDS else TICKETS_MODULE
    scratch = _module_app(module, name)
    for info in [*scratch.registered_commands, *scratch.registered_groups]:
        if _name_of(info) == name:
            return _converted(info, name)
    raise LookupError(f"dutyctl.cli.{module} registers no command {name!r}")


def _name_of(info) -> str:
    from typer.main import get_command_name

    if getattr(info, "typer_instance", None) is not None:
        return info.name
    return info.name or get_command_name(info.callback.__name__)


def _converted(info, path: str):
    """Typer's Click object for one command (`path`: its English words), or for a group with
    its subcommands pending; its options take their Chinese names too (cli/optionwords.py)."""
    command = _typer_converted(info)
    optionwords.name_options(command, path)
    return command


def _typer_converted(info):
    import copy

    from typer.main import get_command_from_info, get_group_from_info

    if getattr(info, "typer_instance", None) is None:
        return get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)
    inner = info.typer_instance
    empty = copy.copy(info)
    empty.typer_instance = copy.copy(inner)
    empty.typer_instance.registered_commands, empty.typer_instance.registered_groups = [], []
    group = get_group_from_info(empty, pretty_exceptions_short=True, rich_markup_mode=None,
                                suggest_commands=True)
    group.pending = {_name_of(sub): sub
                     for sub in [*inner.registered_commands, *inner.registered_groups]}
    return group


def every_command() -> dict:
    """Every top-level command as Typer builds it from every module with a `register(app)`:
    name -> (module, Click command). For tests and tools/command_table.py, never at run time."""
    import importlib
    import pkgutil

    from typer.main import get_group

    found = {}
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        if hasattr(importlib.import_module(f"{__package__}.{module.name}"), "register"):
            group = get_group(_module_app(module.name))
            found.update({name: (module.name, command)
                          for name, command in group.commands.items()})
    for name, (_, command) in found.items():
        _name_every_option(command, name)
    return found


def _name_every_option(command, path: str) -> None:
    optionwords.name_options(command, path)
    for name, sub in getattr(command, "commands", {}).items():
        _name_every_option(sub, f"{path} {name}")


def _use_duty_classes(typer_app: typer.Typer) -> None:
    """Every command and sub-group gets the shared checks of CheckedParsing."""
    for command in typer_app.registered_commands:
        if command.cls in (None, TyperCommand):
            command.cls = DutyCommand
    for group in typer_app.registered_groups:
        group.cls = DutySubgroup
        _use_duty_classes(group.typer_instance)


def option_naming(ctx):
    """The one mapping from the values a core error speaks of to what the user typed: the
    option giving the value (`reason` -> `--reason`, `eta` -> `--by`) or the argument's
    metavar (`text` -> `TEXT`), looked up in this command, then in the groups above it; a
    field inside another (`resident.name`) by the option of its own name (`--name`)."""
    def name(value: str) -> str:
        for key in dict.fromkeys((value, value.rsplit(".", 1)[-1])):
            for context in _contexts(ctx):
                for param in context.command.params:
                    if param.name == key:
                        if param.param_type_name != "option":
                            return helptext.argument_name(param, context)
                        return optionwords.option_name(param, context)
        return "--" + value.replace("_", "-")
    return name


def _contexts(ctx):
    while ctx is not None:
        yield ctx
        ctx = ctx.parent


def main() -> None:
    app(prog_name="dutyctl")
