"""The `dutyctl` program: shell completion of a command name answered before Typer is loaded.

Every TAB runs the whole program, so `dutyctl r<TAB>` is answered here from the static table
(dutyctl/commands.py) without importing Typer or any command module, in the output formats of
Typer's completion scripts (bash, zsh, fish). Everything else — subcommands, options, option
values — goes to the CLI (dutyctl.cli), which loads only the command being completed.
"""

from __future__ import annotations

import os
import shlex
import sys

COMPLETE_VAR = "_DUTYCTL_COMPLETE"
GLOBAL_OPTIONS = ("--root", "--lang")  # the options before the command; both take a value
CONFIG_FILE = "dutyctl.yaml"


def main() -> None:
    if not answer_command_name(os.environ):
        from dutyctl.cli import main as run

        run()


def completion_words(environ) -> tuple[list[str], str] | None:
    """(words before the cursor, the word being typed) as Typer's completion scripts pass
    them; None for a shell Typer's scripts handle differently (PowerShell)."""
    shell = environ.get(COMPLETE_VAR, "").removeprefix("complete_")
    try:
        if shell == "bash":
            words = shlex.split(environ["COMP_WORDS"])
            cword = int(environ["COMP_CWORD"])
            return words[1:cword], (words[cword] if cword < len(words) else "")
        if shell in ("zsh", "fish"):
            line = environ.get("_TYPER_COMPLETE_ARGS", "")
            words = shlex.split(line)[1:]
            if words and not line.endswith(" "):
                return words[:-1], words[-1]
            return words, ""
    except (KeyError, ValueError):
        return None
    return None


def answer_command_name(environ) -> bool:
    """Prints the command names that complete the word being typed; False when this is not a
    completion of the command name (Typer answers then)."""
    found = completion_words(environ)
    if found is None:
        return False
    before, typed = found
    options = dict(zip(before[0::2], before[1::2]))
    if (len(before) % 2 or any(word not in GLOBAL_OPTIONS for word in before[0::2])
            or typed.startswith("-")):
        return False
    from dutyctl import messages
    from dutyctl.commands import COMMANDS, short_help

    messages.start_invocation(messages.normalise(options.get("--lang")))
    messages.set_site_language(messages.normalise(_site_language(options.get("--root"))))
    items = [(name, short_help(messages.gettext(text)))
             for name, (_, text) in COMMANDS.items() if name.startswith(typed)]
    shell = environ[COMPLETE_VAR].removeprefix("complete_")
    sys.stdout.write(_formatted(shell, items, environ))
    sys.stdout.flush()
    return True


def _site_language(root: str | None) -> str | None:
    """site.language of the workspace (--root, $DUTYCTL_ROOT, else upwards from here)."""
    from dutyctl.messages import language_in_config

    chosen = root or os.environ.get("DUTYCTL_ROOT")
    here = os.path.abspath(chosen or os.getcwd())
    folders = [here] if chosen else [here, *_parents(here)]
    for folder in folders:
        try:
            with open(os.path.join(folder, CONFIG_FILE), "rb") as handle:
                return language_in_config(handle.read(65536).decode("utf-8", "replace"))
        except OSError:
            continue
    return None


def _parents(path: str) -> list[str]:
    found = []
    while (parent := os.path.dirname(path)) != path:
        found.append(parent)
        path = parent
    return found


def _formatted(shell: str, items: list[tuple[str, str]], environ) -> str:
    """The output of typer._completion_classes for the same items."""
    if shell == "bash":
        return "\n".join(name for name, _ in items)
    if shell == "zsh":
        if not items:
            return "_files"

        def escape(text: str) -> str:
            return (text.replace('"', '""').replace("'", "''").replace("$", "\\$")
                    .replace("`", "\\`").replace(":", r"\\:"))
        lines = "\n".join(f'"{escape(name)}":"{escape(text)}"' for name, text in items)
        return f"_arguments '*: :(({lines}))'"
    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    if action == "is-args":
        sys.exit(0 if items else 1)
    if action == "get-args" and items:
        return "\n".join(f"{name}\t{' '.join(text.split())}" for name, text in items)
    return ""
