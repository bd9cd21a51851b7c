"""`dutyctl log call` with every value given, run before Typer is imported.

The clerk types `log call` while the resident is still on the line; importing Typer (and the
Click it ships) is most of a command's start. A plain, complete command line — the global
`--root`/`--lang`, then `log call` with each of its options at most once, every value
non-empty and not looking like an option — is parsed here from `CALL_OPTIONS` and runs the
very flow the Typer command runs (`dutyctl.cli.calls.log_call`). Anything else — `--help`,
a value missing (a prompt), an unknown or repeated option, `--`, an argument, `--version` —
returns None, and Typer parses the line as it always does, errors and help included.

`CALL_OPTIONS` is the Typer command's own declaration written out: a test compares it with
the command Typer builds, and a property test gives both parsers the same command lines.
"""

from __future__ import annotations

import sys

from dutyctl.commandwords import TOP, english, hidden_names, option_words

COMMAND = ("log", "call")
# the Chinese command words that may lead to it (来电, 登记 来电): dutyctl/commandwords.py
CHINESE = tuple(word for word, path in TOP.items() if path[0] == COMMAND[0])
GLOBAL_OPTIONS = {"--root": "root", "--lang": "lang"}  # the group's options taking a value
# `log call`'s options: option -> (parameter, takes a value); the rest of Typer's defaults
# are None for a value and False for a flag
CALL_OPTIONS = {
    "--name": ("name", True), "--room": ("room", True), "--phone": ("phone", True),
    "--category": ("category", True), "--summary": ("summary", True),
    "--callback-by": ("callback_by", True), "--file-ticket": ("file_ticket", False),
    "--ticket-category": ("ticket_category", True), "--urgency": ("urgency", True),
    "--at": ("at", True), "--staff": ("staff", True),
}
# and by their Chinese names (`--房号` is `--room`, `--语言` is `--lang`): dutyctl/commandwords.py
CALL_NAMES = {**CALL_OPTIONS, **{chinese: CALL_OPTIONS[option] for option, chinese
                                 in option_words(" ".join(COMMAND)).items()
                                 if option in CALL_OPTIONS},
              **{name: CALL_OPTIONS[option] for option, names
                 in hidden_names(" ".join(COMMAND)).items() if option in CALL_OPTIONS
                 for name in names}}
GLOBAL_NAMES = {**GLOBAL_OPTIONS, **{chinese: GLOBAL_OPTIONS[option] for option, chinese
                                     in option_words("").items() if option in GLOBAL_OPTIONS}}
# without these the flow would prompt (at a terminal) or refuse: Typer's path says so
REQUIRED = ("name", "room", "phone", "summary")


def parse(args: list[str]) -> tuple[dict, dict] | None:
    """({root, lang} given before the command, {parameter: value} of `log call`) for a
    command line this module runs; None for any other."""
    parsed = parse_naming(args)
    return None if parsed is None else parsed[:2]


def parse_naming(args: list[str]) -> tuple[dict, dict, dict] | None:
    """What `parse` gives, and {parameter: the option name it was typed by} (`--房号`); text
    pasted with Windows line ends read as Typer's path reads it (DutyGroup.main)."""
    from dutyctl.commandwords import words_apart
    from dutyctl.folding import plain_line_ends, unquoted

    args = words_apart([plain_line_ends(arg) for arg in args])
    if any(unquoted(arg) != arg for arg in args):
        return None  # “李四”: Typer's path reads the value without its quotation marks
    typed: dict = {}
    found = _options(args, GLOBAL_NAMES, stop=(COMMAND[0], *CHINESE), typed=typed)
    if found is None:
        return None
    given, rest = found
    rest = english(rest)  # `来电`, `登记 来电`: the command's Chinese names
    if rest[:2] != list(COMMAND):
        return None
    found = _options(rest[2:], CALL_NAMES, stop=(), typed=typed)
    if found is None or found[1]:
        return None
    values = {parameter: (None if takes else False) for parameter, takes in CALL_OPTIONS.values()}
    values.update(found[0])
    if any(not (values[name] or "").strip() for name in REQUIRED):
        return None
    return given, values, typed


def _options(args: list[str], table: dict, stop: tuple[str, ...],
             typed: dict) -> tuple[dict, list] | None:
    """The options of `table` at the start of args, each once ({parameter: value}, and in
    `typed` the name each was given by), and the words from the first of `stop` on; None for
    anything Typer should judge."""
    found: dict = {}
    index = 0
    while index < len(args) and args[index] not in stop:
        option, equals, attached = args[index].partition("=")
        entry = table.get(option)
        if entry is None:
            return None
        parameter, takes_value = entry if isinstance(entry, tuple) else (entry, True)
        if parameter in found:
            return None
        typed[parameter] = option
        if not takes_value:
            if equals:
                return None
            found[parameter] = True
            index += 1
            continue
        if equals:
            value = attached
        elif index + 1 < len(args):
            value = args[index + 1]
            index += 1
        else:
            return None
        if not value or value.startswith("-"):
            return None
        if parameter == "staff":
            from dutyctl.people import names_nobody

            if names_nobody(value):
                return None  # Typer says what is wrong (`--staff •`: empty, as `--staff ""`)
        found[parameter] = value
        index += 1
    return found, args[index:]


def run(args: list[str]) -> int | None:
    """Runs a plain `log call` command line: its exit code; None when Typer should."""
    parsed = parse_naming(args)
    if parsed is None:
        return None
    given, values, typed = parsed
    from dutyctl import messages

    language = given.get("lang")
    if language is not None and messages.normalise(language) is None:
        return None  # Typer names the unknown language
    messages.start_invocation(None)
    from dutyctl.workspace import site_language_hint

    messages.set_site_language(messages.normalise(site_language_hint(given.get("root"))))
    messages.set_option_language(language)
    if any(not word.isascii() for word in (*typed.values(), *(arg for arg in args
                                                             if arg in CHINESE))):
        # typed in Chinese (来电, --姓名): said in Chinese where the site's language is not
        # known (no workspace, a dutyctl.yaml not UTF-8), as on Typer's path
        messages.set_typed_language("zh_CN")
    return _run_reporting(given.get("root"), values, typed)


def _run_reporting(root: str | None, values: dict, typed: dict) -> int:
    """The flow, its errors said as DutyGroup.invoke and DutyGroup.main say them."""
    from dutyctl.cli.calls import log_call
    from dutyctl.cli.session import Session, forget_saved, reported

    forget_saved()
    session = Session(root)
    try:
        _, code = reported(lambda: log_call(session, **values),
                           lambda value: _naming(value, typed), lambda: session)
    except KeyboardInterrupt:
        from dutyctl.cli.session import interrupted

        return interrupted()  # as DutyGroup.main says it
    return code or 0


def _naming(value: str, typed: dict) -> str:
    """The option giving a value a core error speaks of, as cli.option_naming finds it: by the
    name it was typed by, else by its long name in the user's language; a field inside
    another (`resident.name`) by the option of its own name."""
    value = next((key for key in (value, value.rsplit(".", 1)[-1]) if key in typed), value)
    if value in typed:
        return typed[value]
    options = {parameter: option for option, (parameter, _) in CALL_OPTIONS.items()}
    options.update({parameter: option for option, parameter in GLOBAL_OPTIONS.items()})
    value = next((key for key in (value, value.rsplit(".", 1)[-1]) if key in options), value)
    option = options.get(value, "--" + value.replace("_", "-"))
    from dutyctl import messages

    if messages.current_language() == "zh_CN":
        return option_words(" ".join(COMMAND) if option not in GLOBAL_OPTIONS else "").get(
            option, option)
    return option


def main(args: list[str] | None = None) -> bool:
    """Runs the command line when it is a plain `log call` (exits with its code); False when
    it is not (nothing was done)."""
    code = run(sys.argv[1:] if args is None else args)
    if code is None:
        return False
    sys.exit(code)
