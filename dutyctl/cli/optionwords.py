"""Options by their Chinese names (`dutyctl 来电 --房号 3-2-501`, `--房号=3-2-501`): each
option of a command gets its name from dutyctl/commandwords.py (`option_words`) as a second
long name when the command is converted to Click, so Click parses either exactly alike.

A name it had before (commandwords.FORMER_NAMES: `--未办结`), or on one command the word
the other commands take (ALSO_TAKEN_OF: `来电 --内容`), is taken too, never shown.

Help shows the names of its language (`--房号, --room 房号` in Chinese, `--room ROOM` in
English); an error names an option as it was typed, else by its long name in the user's
language; completion of an option's name offers those of the screen's language (and any
name that starts with what was typed).
"""

from __future__ import annotations

from contextlib import contextmanager

from dutyctl import messages
from dutyctl.commandwords import hidden_names, option_words

ENGLISH = "_english_opts"  # a named option's own (opts, secondary_opts), as declared
CHINESE = "_chinese_opts"  # the names added: English long name -> Chinese
TAKEN = "_taken_opts"  # names taken but never shown (commandwords.hidden_names)
TYPED = "_typed_options"  # on a Click context: parameter name -> the option name typed


def name_options(command, path: str) -> None:
    """Adds the Chinese name of each option of `command` (`path`: its English words, "" for
    the options before any command) beside its English ones; once per option."""
    name_params(command.params, path)


def name_params(params, path: str) -> None:
    words, hidden = option_words(path), hidden_names(path)
    for param in params:
        name_option(param, words, hidden)


def name_option(param, words: dict[str, str],
                hidden: dict[str, tuple[str, ...]] | None = None) -> None:
    if param.param_type_name != "option" or hasattr(param, ENGLISH):
        return
    opts, secondary = list(param.opts), list(param.secondary_opts)
    chinese = {name: words[name] for name in (*opts, *secondary) if name in words}
    setattr(param, ENGLISH, (opts, secondary))
    setattr(param, CHINESE, chinese)
    taken = [former for name in opts for former in (hidden or {}).get(name, ()) if name in chinese]
    setattr(param, TAKEN, taken)
    param.opts = opts + [chinese[name] for name in opts if name in chinese] + taken
    param.secondary_opts = secondary + [chinese[name] for name in secondary if name in chinese]


def in_chinese() -> bool:
    return messages.current_language() == "zh_CN"


def shown_names(param, chinese: bool) -> tuple[list[str], list[str]]:
    """(opts, secondary_opts) as a help screen shows them: the English ones; in Chinese, each
    Chinese name before them."""
    opts, secondary = getattr(param, ENGLISH, (param.opts, param.secondary_opts))
    if not chinese:
        return list(opts), list(secondary)
    words = getattr(param, CHINESE, {})
    return ([words[name] for name in opts if name in words] + list(opts),
            [words[name] for name in secondary if name in words] + list(secondary))


@contextmanager
def names_shown(params):
    """The options' names as the screen's language shows them while a help screen is drawn
    (the parser keeps every name: the command may run again in the same process)."""
    chinese = in_chinese()
    kept = [(param, param.opts, param.secondary_opts) for param in params
            if param is not None and hasattr(param, ENGLISH)]
    try:
        for param, _, _ in kept:
            param.opts, param.secondary_opts = shown_names(param, chinese)
        yield
    finally:
        for param, opts, secondary in kept:
            param.opts, param.secondary_opts = opts, secondary


def option_name(param, ctx) -> str:
    """An option as an error names it: as it was typed on this command line, else its long
    name in the user's language (`--房号` in Chinese, `--room` in English)."""
    typed = getattr(ctx, TYPED, {}).get(param.name) if ctx is not None else None
    if typed:
        return typed
    opts, secondary = getattr(param, ENGLISH, (param.opts, param.secondary_opts))
    english = max(opts or secondary, key=len)
    if in_chinese():
        return getattr(param, CHINESE, {}).get(english, english)
    return english


def remember_typed(parser, ctx) -> None:
    """Has Click's parser note, on `ctx`, the name each option was given by (`--房号`,
    `--room`, `-f`): errors then name it so."""
    typed: dict[str, str] = {}
    setattr(ctx, TYPED, typed)
    parser._long_opt = _Noting(parser._long_opt, typed)
    parser._short_opt = _Noting(parser._short_opt, typed)


class _Noting(dict):
    """The parser's table of option names, noting each name it is asked for."""

    def __init__(self, table: dict, typed: dict) -> None:
        super().__init__(table)
        self.typed = typed

    def __getitem__(self, name):
        option = super().__getitem__(name)
        self.typed[option.dest] = name
        return option

    def get(self, name, default=None):
        return self[name] if name in self else default


def offered(items, incomplete: str, params):
    """Completion of an option's name: for a bare `-` or `--`, the long names of the screen's
    language (an English one where an option has no Chinese name) and the short ones; once
    something follows the dashes, every name starting with it. Each with its line of help in
    the screen's language (zsh and fish show it beside the name)."""
    for item in items:
        if item.help:
            item.help = messages.gettext(item.help)
    taken = {name for param in params for name in getattr(param, TAKEN, ())}
    items = [item for item in items if item.value not in taken]
    if incomplete.strip("-"):
        return items
    chinese = in_chinese()
    hidden = set()
    for param in params:
        words = getattr(param, CHINESE, {})
        hidden.update(words if chinese else words.values())
    return [item for item in items if item.value not in hidden]
