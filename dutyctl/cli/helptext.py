"""Help screens in the user's language.

Typer builds the Click objects from English `help=` strings and docstrings (the message ids,
extracted by `tools/i18n.py`); they are translated here, when a help screen is drawn, so
nothing is translated for a command that only runs. Typer's own few words go through its
`gettext` hook; the words Typer and Click print without one are marked below.
"""

from __future__ import annotations

import inspect

from dutyctl.messages import N_, gettext

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
)


def hook_typer() -> None:
    """Typer's `_()` calls (section titles, `[default: …]`) go through our catalogue."""
    import typer.core

    typer.core._ = gettext


def follow_site_language(ctx) -> None:
    """A help screen is drawn before any configuration is read: take `site.language` from the
    workspace's dutyctl.yaml (cheaply) so that help speaks as the rest of the workspace does."""
    from dutyctl import messages
    from dutyctl.workspace import site_language_hint

    root = ctx.find_root().params.get("root")
    messages.set_site_language(messages.normalise(site_language_hint(root)))


def short_help(text: str) -> str:
    """The first sentence of a help text, for the list of commands (Chinese has no spaces for
    Click to cut at)."""
    first = inspect.cleandoc(text).partition("\f")[0].split("\n\n")[0].replace("\n", " ")
    for stop in ("。", ". ", "："):
        if stop in first:
            return first.split(stop)[0] + ("。" if stop == "。" else "")
    return first.rstrip(".")


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
