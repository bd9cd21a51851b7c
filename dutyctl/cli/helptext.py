"""Help screens in the user's language.

Typer builds the Click objects from English `help=` strings and docstrings (the message ids,
extracted by `tools/i18n.py`); they are translated here, when a help screen is drawn, so
nothing is translated for a command that only runs. Typer's own few words go through its
`gettext` hook; the words Typer and Click print without one are marked below.
"""

from __future__ import annotations

import inspect

from dutyctl.messages import N_, NP_, gettext, join_lines, pgettext, short_help

# Printed by Typer/Click without gettext (or through Typer's hook): marked so they are extracted.
TYPER_WORDS = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
    N_("Usage: "), N_("Options"), N_("Commands"), N_("Arguments"), N_("default: {default}"),
    N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
    N_("Missing command."), N_("No such command {name!r}."),
    N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]..."),
)


def hook_typer() -> None:
    """Typer's `_()` calls (section titles, `[default: …]`) go through our catalogue, and help
    text is wrapped by display width (Click counts a Chinese character as one column and
    breaks lines only at spaces, which Chinese has none of)."""
    import typer.core
    from typer._click import formatting

    typer.core._ = gettext
    if not hasattr(typer.core, "_plain_default_string"):
        typer.core._plain_default_string = typer.core._get_default_string
        typer.core._get_default_string = _default_string
    if not hasattr(formatting, "_ascii_wrap_text"):
        formatting._ascii_wrap_text = formatting.wrap_text
        formatting.wrap_text = wrap_text
        formatting.term_len = _term_width  # aligns columns after `--staff 员工`, `用法：`
        formatting.HelpFormatter.write_heading = _write_heading


#: Defaults a help screen says in words (`[默认：记事]`, `[默认：表格（table）]`): the value
#: typed stays the id, the words are those the screen speaks.
FORMAT_WORDS = {"table": NP_("format", "table"), "text": NP_("format", "text")}
CURRENT_FOLDER = N_("the current folder")


def _default_string(param, **given) -> str:
    """Typer's `[default: …]` value, in words where the value is an id: a duty log entry's
    type (记事), roster rows (按日期), a format (表格（table）: the id is what is typed), the
    current folder; anything else as Typer says it."""
    import typer.core

    said = typer.core._plain_default_string(param, **given)
    flags = set(getattr(param, "opts", ()))
    if "--type" in flags:
        from dutyctl.words import ENTRY_TYPES, entry_word

        return entry_word(said) if said in ENTRY_TYPES else said
    if "--by" in flags and said == "date":
        return pgettext("rows", "by date")
    if "--format" in flags and said in FORMAT_WORDS:
        from dutyctl.choices import shown

        return shown(said, pgettext(*FORMAT_WORDS[said]))
    if said == "." and param.param_type_name == "argument":
        return gettext(CURRENT_FOLDER)
    return said


def _write_heading(formatter, heading: str) -> None:
    """`选项：`: a section title with the colon of the screen's language (Click adds ":")."""
    formatter.write(f"{'':>{formatter.current_indent}}"
                    f"{gettext('{heading}:').format(heading=heading)}\n")


def _term_width(text: str) -> int:
    from typer._click._compat import strip_ansi

    from dutyctl.textwidth import display_width

    return display_width(strip_ansi(text))


def wrap_text(text: str, width: int = 78, initial_indent: str = "",
              subsequent_indent: str = "", preserve_paragraphs: bool = False) -> str:
    """Click's wrap_text for text with Chinese in it: lines filled to `width` display columns,
    breaking between Chinese characters or at spaces, never before closing punctuation."""
    import re

    from typer._click import formatting

    from dutyctl.output import wrap

    if text.isascii() and not _spaced_quote(text):  # Click's own wrapping (hook_typer kept it)
        ascii_wrap = getattr(formatting, "_ascii_wrap_text", formatting.wrap_text)
        return ascii_wrap(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    # a usage line (after its `Usage:` prefix) breaks at spaces only: it lists placeholders
    usage = initial_indent.lstrip().startswith(gettext("Usage: ").strip())
    paragraphs = re.split(r"\n\s*\n", text) if preserve_paragraphs else [text]
    return "\n\n".join(
        "\n".join(wrap(join_lines(paragraph), width, initial_indent if not number else
                        subsequent_indent, subsequent_indent, at_spaces_only=usage))
        for number, paragraph in enumerate(paragraphs))


def _spaced_quote(text: str) -> bool:
    """Whether `text` quotes an example with a space in it ('yesterday 22:00'), which Click
    would break at that space."""
    from dutyctl.output import QUOTED_WIDTH, quoted_examples
    from dutyctl.textwidth import display_width

    return any(" " in found and display_width(found) <= QUOTED_WIDTH
               for found in quoted_examples(text))


def usage_error(exc) -> str:
    """Click's usage errors in the user's language (Click words them in English itself)."""
    from typer._click import exceptions as click_errors

    from dutyctl.messages import t

    hint = _hint(exc)
    if isinstance(exc, click_errors.NoSuchOption):
        possible = _possible_options(exc)
        if possible:
            return t("no such option: {option} (possible options: {options})",
                     option=exc.option_name, options=t(", ").join(possible))
        return t("no such option: {option}", option=exc.option_name)
    if isinstance(exc, click_errors.MissingParameter) and hint:
        if getattr(exc, "param_type", None) == "argument" or (
                exc.param is not None and exc.param.param_type_name == "argument"):
            return t("missing argument '{name}'", name=hint)
        if exc.param is not None and exc.param.opts:
            return missing_option(exc.param, exc.ctx, getattr(exc, "missing", ()))
        return t("missing option {name}", name=hint)
    if isinstance(exc, click_errors.BadOptionUsage):
        if "requires an argument" in exc.message:
            return t("option {option} needs a value", option=exc.option_name)
        if "does not take a value" in exc.message:
            return t("option {option} does not take a value", option=exc.option_name)
    if isinstance(exc, click_errors.BadParameter) and hint:
        return t("invalid value for {name}: {reason}", name=hint, reason=_reason(exc.message))
    if exc.message.startswith("Got unexpected extra argument"):
        arguments = exc.message.rpartition("(")[2].rstrip(")")
        if arguments.split()[0] in FILING_WORDS and exc.ctx is not None:
            # `来电 登记` as `报修 登记` is typed: the call is logged by `来电` itself
            return t("unexpected extra argument(s): {arguments} ('dutyctl {command}' records "
                     "it as it is: leave '{word}' out)", arguments=arguments,
                     command=" ".join(exc.ctx.command_path.split()[1:]),
                     word=arguments.split()[0])
        return t("unexpected extra argument(s): {arguments}", arguments=arguments)
    return exc.format_message()


def missing_option(param, ctx, others=()) -> str:
    """A required option left out, worded as dutyctl words the values it asks for
    (`Session.need_all`: `missing --reason (why it goes there)`, `缺少 --原因（转交原因）`), the
    option by the name it is known by in the user's language and what it is by its help,
    not Click's `Missing option '--reason'`. `others`: every required option left out, this
    one among them (program._options_missing), all named in the one line."""
    from dutyctl.messages import t

    return t("missing {flags}", flags=t(", ").join(
        _option_said(option, ctx) for option in (others or (param,))))


def _option_said(param, ctx) -> str:
    """A required option as `missing_option` names it: `--原因（转交原因）`."""
    from dutyctl.cli.optionwords import option_name
    from dutyctl.messages import t

    flag = option_name(param, ctx)
    help_text = getattr(param, "_msgid_help", None) or param.help
    label = gettext(help_text).strip() if help_text else ""
    if label.endswith(("。", ".")) and not label.endswith(".."):  # a sentence: a label here
        label = label[:-1]
    if label[1:2].islower():  # "Why it goes there." as need_all's labels: "why it goes there"
        label = label[0].lower() + label[1:]
    label = _without_aside(label)
    if label == flag.lstrip("-"):  # --处理情况（处理情况）: the name says it already
        label = ""
    return t("{flag} ({label})", flag=flag, label=label) if label else flag


def _without_aside(label: str) -> str:
    """A help as a label, without the aside that ends it (its examples, the option's older
    name: `转往的部门或外部单位（dutyctl.yaml 中的名称或编号，如 工程部、居委会）`), which in
    the parentheses of `missing --to (…)` nested one inside the other; the help says it."""
    if not label.endswith((")", "）")):
        return label
    depth = 0
    for index in range(len(label) - 1, -1, -1):
        depth += {")": 1, "）": 1, "(": -1, "（": -1}.get(label[index], 0)
        if depth == 0:
            return label[:index].rstrip(" ,，、:：") if index else label
    return label


#: the word that files a complaint or a repair (`报修 登记`), typed after a command that
#: records by itself (`来电`, `log call`)
FILING_WORDS = ("登记", "新建", "file")


#: Click's own reasons for a value it cannot read as a number, in English.
_NOT_A_NUMBER = r"'?(?P<value>.*?)'? is not a valid (?:int|integer|float)(?: range)?\.?"


def _reason(message: str) -> str:
    """Click's reason for a refused value, in the user's language when it is one we know."""
    import re

    from dutyctl.messages import t

    found = re.fullmatch(_NOT_A_NUMBER, message.strip())
    if found:
        return t("{value} is not a number", value=found["value"])
    return message


#: Options some commands spell differently (`list --as-of` where most commands take `--at`;
#: the why of a change is `--reason` on some commands, `--note` on others, and what was done
#: `--result` on the steps that finish a ticket (`报修 完工 --备注 …`); a place is `--room` or
#: `--where`): offered when the command has one, though Click's spelling match (difflib)
#: misses them.
KIN_OPTIONS = {"--at": ("--as-of",), "--as-of": ("--at",), "--reason": ("--note", "--result"),
               "--note": ("--reason", "--result"),
               # a duty log entry's place is --where (钥匙 --地点 3-2-501), a resident's --room
               "--room": ("--where",), "--where": ("--room",)}


def _possible_options(exc) -> list[str]:
    """Click's close spellings of a refused option among the command's own options, and its
    kin the command takes. Never --help: Click matches it too (it is in its parser), but a
    mistyped --staff or --at is not a wish for the help screen, which the line names anyway."""
    from dutyctl.cli.optionwords import CHINESE
    from dutyctl.commandwords import OPTIONS

    possible = set(exc.possibilities or ())
    command = exc.ctx.command if exc.ctx is not None else None
    if command is not None:
        taken = {name for param in command.params
                 for name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ()))}
        possible &= taken
        # a Chinese name's kin by their Chinese names (list --时间: --截至)
        chinese = {english: name for param in command.params
                   for english, name in getattr(param, CHINESE, {}).items()}
        english = {name: option for option, name in OPTIONS.items()}.get(exc.option_name)
        kin = KIN_OPTIONS.get(english or exc.option_name, ())
        possible.update(found for found in (chinese.get(name, name) if english else name
                                            for name in kin) if found in taken)
    return sorted(possible)


def _hint(exc) -> str | None:
    """The refused parameter as the user knows it: an option by the name it was typed by, else
    its long name in the user's language (`--房号`, `--room`: cli/optionwords.py), an argument
    by its placeholder in the user's language (编号, 日期), never by its Python name."""
    param = getattr(exc, "param", None)
    if param is not None and param.param_type_name == "argument":
        return argument_name(param, exc.ctx)
    if getattr(exc, "param_hint", None):
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if param is not None:
        from dutyctl.cli.optionwords import option_name

        return f"'{option_name(param, exc.ctx)}'" if param.opts else param.name
    return None


def follow_site_language(args) -> list[str]:
    """Messages are printed before any configuration is read (help screens, usage errors):
    take `site.language` from the workspace's dutyctl.yaml at once (cheaply), so that they
    speak as the rest of the workspace does. `args` is the command line (for `--root`); the
    answer is that line with the program's options first (`program_options_first`), as the
    command takes it: the line read once."""
    from dutyctl import messages
    from dutyctl.commandwords import program_options, program_options_first
    from dutyctl.workspace import site_language_hint

    args = list(args or ())
    line = program_options_first(args)
    options, words = program_options(line, moved=True)
    root, lang = options.get("--root"), options.get("--lang")
    command = words[0] if words else next((arg for arg in args if not arg.startswith("-")
                                           and arg not in options.values()), None)
    messages.set_site_language(messages.normalise(site_language_hint(root)))
    if lang and messages.normalise(lang):  # `--lang` before Typer reads it: completion flags
        messages.set_option_language(messages.normalise(lang))
    # a first word typed in Chinese (a command's word, 帮助, or a mistyped one: 报, 保修)
    if (command and not command.isascii()) or any(
            arg.startswith("-") and not arg.partition("=")[0].isascii() for arg in args):
        messages.set_typed_language("zh_CN")  # `dutyctl 初始化`, `dutyctl --帮助`, `--安装补全`
    return line


def translate(command, ctx) -> None:
    """Translate a Click command's help, short help and its parameters' help in place, once per
    language (the English original is kept as the id)."""
    _translate_attr(command, "help", cleaned=True)
    if command.short_help is None and getattr(command, "help", None):
        command.short_help = short_help(command.help)
    elif command.short_help:
        _translate_attr(command, "short_help")
    for param in (*command.params, command.get_help_option(ctx)):
        if param is not None:
            _translate_attr(param, "help")
    for param in command.params:
        _translate_metavar(param, ctx)
    _translate_attr(command, "options_metavar")
    if getattr(command, "subcommand_metavar", None):
        _translate_attr(command, "subcommand_metavar")


# The placeholders of usage lines (`--staff STAFF`); literal values such as `all` stay as typed.
METAVAR_WORDS = {
    "TEXT": N_("TEXT"), "NUMBER": N_("NUMBER"), "TIME": N_("TIME"), "DATE": N_("DATE"),
    "DAY": N_("DAY"), "WEEK": N_("WEEK"), "MONTH": N_("MONTH"), "DURATION": N_("DURATION"),
    "STAFF": N_("STAFF"), "SHIFT": N_("SHIFT"), "ITEM": N_("ITEM"), "ID": N_("ID"),
    "DEPARTMENT": N_("DEPARTMENT"), "TYPE": N_("TYPE"), "NAME": N_("NAME"), "WHY": N_("WHY"),
    "LIST": N_("LIST"), "FILE": N_("FILE"), "DIR": N_("DIR"), "FORMAT": N_("FORMAT"),
    "LANG": N_("LANG"), "COMMAND": N_("COMMAND"), "ROOM": N_("ROOM"), "PLACE": N_("PLACE"),
    "PHONE": N_("PHONE"), "CALL": N_("CALL"), "CHANNEL": N_("CHANNEL"), "EVENT": N_("EVENT"),
    "RESULT": N_("RESULT"), "NOTE": N_("NOTE"), "REASON": N_("REASON"), "KIND": N_("KIND"),
    "STATUS": N_("STATUS"), "CATEGORY": N_("CATEGORY"), "COUNT": N_("COUNT"),
    "SUMMARY": N_("SUMMARY"), "CONTENT": N_("CONTENT"), "URGENCY": N_("URGENCY"),
    "ROLE": N_("ROLE"), "ACTION": N_("ACTION"), "TOLD": N_("TOLD"),
    "MATERIALS": N_("MATERIALS"), "WORDS": N_("WORDS"), "SITE": N_("SITE"),
    "PATTERN": N_("PATTERN"), "PERSON": N_("PERSON"), "N": N_("N"),
    "ROWS": N_("ROWS"), "HEADCOUNT": N_("HEADCOUNT"),  # resident list --limit: people
    "OTHER": N_("OTHER"),  # link ID OTHER: the record it goes with
    "YYYY": N_("YYYY"), "MM": N_("MM"),  # --month YYYY-MM: 年-月
}
#: A literal value shown in a placeholder (`--ok ITEM|all`), as the screen's language types it
#: (`检查项|全部`): the value is taken in either language.
METAVAR_VALUES = {"all": NP_("a value typed for every item", "all")}
#: What goes in a parameter that has no metavar of its own, by its name: `--room ROOM`, not
#: `--room TEXT` (its type's word is the fallback).
NAMED_METAVARS = {
    "note": "NOTE", "reason": "REASON", "kind": "KIND", "status": "STATUS", "room": "ROOM",
    "category": "CATEGORY", "ticket_category": "CATEGORY", "limit": "COUNT", "recent": "COUNT",
    "name": "PERSON", "phone": "PHONE", "summary": "SUMMARY", "content": "CONTENT",
    "text": "CONTENT", "urgency": "URGENCY", "role": "ROLE", "action": "ACTION",
    "told_resident": "TOLD", "result": "RESULT", "materials": "MATERIALS", "where": "PLACE",
    "words": "WORDS", "fmt": "FORMAT",
}
_TYPE_METAVARS = {"text": "TEXT", "str": "TEXT", "integer": "NUMBER", "int": "NUMBER",
                  "float": "NUMBER"}


def argument_name(param, ctx) -> str:
    """An argument as its help names it, in the user's language (内容, not CONTENT)."""
    _translate_metavar(param, ctx)
    return param.human_readable_name


def _translate_metavar(param, ctx) -> None:
    """`STAFF1|ID...` → `员工1|编号...`: each known word translated, digits, brackets and
    separators kept. Typer's `<str>` for an option without a metavar becomes TEXT first."""
    import re

    original = getattr(param, "_msgid_metavar", None)
    if original is None:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            return
        original = param.metavar
        if original is None and param.name in NAMED_METAVARS:
            original = NAMED_METAVARS[param.name] + ("..." if param.nargs == -1 else "")
        elif original is None and param.param_type_name == "argument":
            original = param.name.upper()
        elif original is None:
            original = _TYPE_METAVARS.get(param.type.name)
        if original is None:
            return
        param._msgid_metavar = original
    param.metavar = re.sub(r"[A-Z]+|[a-z]+", lambda word: gettext(METAVAR_WORDS[word[0]])
                           if word[0] in METAVAR_WORDS else pgettext(*METAVAR_VALUES[word[0]])
                           if word[0] in METAVAR_VALUES else word[0], original)


def _translate_attr(owner, name: str, cleaned: bool = False) -> None:
    original = getattr(owner, f"_msgid_{name}", None)
    if original is None:
        original = getattr(owner, name, None)
        if not original:
            return
        if cleaned:
            original = inspect.cleandoc(original)
        setattr(owner, f"_msgid_{name}", original)
    setattr(owner, name, gettext(original))
