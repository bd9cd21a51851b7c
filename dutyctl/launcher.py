"""The `dutyctl` program: shell completion answered before Typer is loaded.

Every TAB runs the whole program, so a command name (`dutyctl r<TAB>`), an option's value
(`--staff <TAB>`, `--category f<TAB>`) and a record id (`repair done <TAB>`) are answered here
from the static tables (dutyctl/commands.py, dutyctl/completiontable.py) and the lookups of
dutyctl/lookups.py, without importing Typer or any command module, in the output formats of
Typer's completion scripts (bash, zsh, fish). Everything else — subcommand and option names,
files — goes to the CLI (dutyctl.cli), which loads only the command being completed.
A plain `log call` command line runs before Typer loads too (dutyctl/cli/quick.py).
"""

from __future__ import annotations

import os
import stat
import sys

COMPLETE_VAR = "_DUTYCTL_COMPLETE"
CONFIG_FILE = "dutyctl.yaml"


def main() -> None:
    _closed_streams_to_nowhere()
    _whole_writes()
    _stand_ins_on_console()
    try:
        _refuse_undecodable(sys.argv[1:])
        if answer_completion(os.environ):
            return _last_flush()
        import dutyctl.cli.quick as quick

        if not quick.main():  # a plain `log call` runs (and exits) there, before Typer loads
            from dutyctl.cli import main as run

            run()
    except KeyboardInterrupt:  # before a command's own care (Ctrl-C while Python imports it)
        _speak_the_sites_language()
        from dutyctl.cli.session import interrupted

        raise SystemExit(interrupted()) from None
    except BrokenPipeError:  # a completion answer, or anything else before a command's own care
        from dutyctl.cli.session import reader_gone

        raise SystemExit(reader_gone()) from None
    except SystemExit as leaving:
        _last_flush(keep=leaving.code)
        raise
    except OSError as exc:  # before a command's own care (--help onto a full disk): stdout's,
        if not _stdout_fails():  # said as such; any other is no output's
            raise
        _output_lost(exc, None)
    _last_flush()


def _stdout_fails() -> bool:
    """Whether stdout cannot take what it holds (a full disk under `> file`)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError:
        return True
    return False


def _speak_the_sites_language() -> None:
    """A line said before any command read its workspace (a refusal, an interrupt): in the
    language of the site's dutyctl.yaml (`--root` as typed), or of the words typed (`来电`),
    as the command would have said it."""
    from dutyctl.cli.helptext import follow_site_language

    follow_site_language(sys.argv[1:])


def _refuse_undecodable(args: list[str]) -> None:
    """Exit 2 with one line when an argument is not UTF-8 (a terminal sending GBK): Python
    keeps its bytes as surrogates, which no file can be written with, and the command ended
    in "unexpected error" at its first write, nothing written. Under a locale of another
    encoding (LANG=zh_CN.GBK on an old server) a UTF-8 terminal's 张三 was read as GBK, 寮犱笁,
    and stored so: an argument whose bytes are UTF-8 Chinese text read otherwise is refused
    too (`folding.typed_in_utf8`), in UTF-8, the terminal's own."""
    for number, arg in enumerate(args, 1):
        if arg.isascii():
            continue
        from dutyctl.folding import locale_said, not_decoded, typed_in_utf8

        typed = typed_in_utf8(arg)
        if typed is None and not not_decoded(arg):
            continue
        from dutyctl.messages import t

        if typed is not None:
            from dutyctl.safetext import short_line

            _refused(lambda: t(
                "argument {number} was typed as UTF-8 ({text}), but the locale says "
                "{encoding} (LANG={lang}): set LANG to a UTF-8 locale (zh_CN.UTF-8), or "
                "the terminal to {encoding}, and type it again; nothing was written",
                number=number, text=short_line(typed),
                encoding=sys.getfilesystemencoding().upper(),
                lang=locale_said()), in_utf8=True)
        _refused(lambda: t("argument {number} is not UTF-8 text (the terminal sends "
                           "another encoding, such as GBK): set the terminal to UTF-8 "
                           "and type it again; nothing was written", number=number))


def _refused(said, in_utf8: bool = False) -> None:
    """Exit 2 with one line on stderr, before any command ran (nothing written): `said()`,
    asked once the line's language is the site's (`_speak_the_sites_language`). `in_utf8`:
    written as UTF-8 whatever the locale (`_say_in_utf8`: a terminal known to speak it)."""
    from dutyctl.errors import EXIT_USAGE

    _speak_the_sites_language()
    line = said() + "\n"
    if in_utf8:
        _say_in_utf8(line)
    else:
        sys.stderr.write(line)
    raise SystemExit(EXIT_USAGE)


def _say_in_utf8(text: str) -> None:
    """A line on stderr in UTF-8, for a terminal known to speak it whatever the locale."""
    try:
        sys.stderr.flush()
        sys.stderr.buffer.write(text.encode("utf-8", "replace"))
        sys.stderr.buffer.flush()
    except AttributeError:  # a stderr without bytes beneath (a test's)
        sys.stderr.write(text)


def run() -> None:
    """The installed program ([project.scripts], `python -m dutyctl`): `main()`, then the
    process ends at once with its exit status, its output flushed, without the interpreter's
    teardown of every module and object it loaded (10-15 ms: as long as a command takes after
    its imports). Only when nothing waits for that teardown: no exit handler (atexit), no
    other thread, no profiler; a code that is not a number (a message), a flush that fails or anything
    unexpected ends the way any Python program ends. dutyctl itself leaves nothing open: its
    files are written whole and closed, its git runs waited for, the index closed."""
    try:
        main()
        code = None
    except SystemExit as leaving:
        code = leaving.code
    status = 0 if code is None else code
    if type(status) is not int or not 0 <= status <= 255 or not _nothing_waits():
        # a message, or a code outside what every system passes through (Windows takes any)
        raise SystemExit(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:  # noqa: BLE001 - as Python would report it at exit
        raise SystemExit(code) from None
    os._exit(status)


def _nothing_waits() -> bool:
    """No exit handler is registered, no other thread runs (the interpreter's teardown would
    run them, and wait for a thread that is not a daemon) and no profiler or tracer watches
    (`python -m cProfile -m dutyctl` writes its figures at the end; from Python 3.12 a
    profiler, debugger or coverage tool may watch through `sys.monitoring` instead)."""
    import atexit

    handlers = getattr(atexit, "_ncallbacks", None)
    if handlers is None or handlers() or sys.getprofile() is not None \
            or sys.gettrace() is not None or _monitored():
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() <= 1


MONITORING_TOOLS = 6  # sys.monitoring's tool ids: 0-5 (PEP 669)


def _monitored() -> bool:
    """Whether a tool watches through `sys.monitoring` (Python 3.12 and later)."""
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(
        monitoring.get_tool(tool) is not None for tool in range(MONITORING_TOOLS))


def _closed_streams_to_nowhere() -> None:
    """A standard stream closed by whoever started the program (cron's `2>&-`, `>&-`):
    Python leaves it None, and the command's first word to it failed (exit 3, the call not
    saved; "unexpected error" for a closed stdout). Each gets the null device instead, at its
    own descriptor (the lowest free one: a git child inherits it there too), so the command
    does its work and says it to nobody, as `2>/dev/null` would."""
    names = ("stdin", "stdout", "stderr")
    for fd, name in enumerate(names):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        if os.open(os.devnull, os.O_RDWR) != fd:  # an earlier one is free after all
            continue
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8",
                                    closefd=False))


def _whole_writes() -> None:
    """stdout writes each text whole, or raises BrokenPipeError. Under PYTHONUNBUFFERED (or
    `python -u`) sys.stdout writes straight to the file, and a write cut short (the reader of
    a pipe left mid-write: `dutyctl list --all | head -1`) is dropped without an error: the
    rest lost and exit 0, where a reader that left always means 141. A buffered writer
    finishes a short write or raises; flushed at every line, it stays as unbuffered."""
    import io

    stream = sys.stdout
    if stream is None or not isinstance(getattr(stream, "buffer", None), io.FileIO):
        return
    encoding, errors = stream.encoding, stream.errors
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(stream.detach()), encoding=encoding,
                                  errors=errors, newline=None if os.name == "nt" else "\n",
                                  line_buffering=True, write_through=True)


def _stand_ins_on_console() -> None:
    """stdout and stderr on a console in an encoding that is no UTF (a GBK console:
    LANG=zh_CN.GBK, PYTHONIOENCODING=gbk) write a character it lacks as a stand-in
    (`safetext.stand_in`: `Muñoz` as `Mu?oz`, ✗ as ×): stdout fell back to UTF-8 for the
    whole text, all of it mojibake on that console, and stderr wrote `\\xf1`. Every writer,
    Click's help too. A pipe or a file is no console: its data is never changed
    (`_console_writing`)."""
    streams = [stream for stream in (sys.stdout, sys.stderr)
               if callable(getattr(stream, "reconfigure", None))]
    for stream in streams:
        how = _console_writing(stream)
        if how:
            stream.reconfigure(**how)


#: the encodings whose bytes GB18030 writes alike, every character they have: a stream in one
#: that is not a console gets GB18030, which has every character
_GB_FAMILY = ("gbk", "gb2312")


def _console_writing(stream) -> dict[str, str] | None:
    """How `stream` is to be written (the arguments of its `reconfigure`), None as it is. A
    terminal in an encoding that is no UTF: a character it lacks as a stand-in (STAND_IN).
    A pipe or a file in GBK (`PYTHONIOENCODING=gbk dutyctl list -f json | iconv …`) is data,
    never changed: in GB18030, GBK's own bytes for all GBK has and the rest too (`Muñoz`, ✗,
    each read back as written), where a stand-in turned them into `Mu?oz` and ×, silently.
    A pipe or a file in another encoding (Big5, Latin-1) is left as it is (what `write_out`
    cannot say in it comes as a stand-in, `safetext.console_bytes`)."""
    import codecs

    try:
        name = codecs.lookup(stream.encoding).name
    except (LookupError, TypeError):
        return None
    if name.startswith(("utf", "ascii")):
        return None
    try:
        terminal = stream.isatty()
    except (OSError, ValueError):
        terminal = False
    if terminal:
        from dutyctl.safetext import STAND_IN, stand_in

        codecs.register_error(STAND_IN, stand_in)
        return {"errors": STAND_IN}
    if name in _GB_FAMILY:
        return {"encoding": "gb18030"}
    return None


def _last_flush(keep: object = None) -> None:
    """What is still buffered for stdout, written now: a reader that left (`| head`) is then
    one quiet exit code, not Python's 'Exception ignored ... BrokenPipeError' at exit. A
    command already failing (`keep`: its exit code) keeps its own code."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        from dutyctl.cli.session import reader_gone

        code = reader_gone()
        if not keep:
            raise SystemExit(code) from None
    except OSError as exc:  # stdout a file on a full disk: one line, never a traceback
        _output_lost(exc, keep)


def _output_lost(exc: OSError, keep: object) -> None:
    """stdout could not take what is left (`> /tmp/daily.txt` on a full disk): what it holds
    goes to the null device, so no later flush tries again (Python's own at exit printed
    'Exception ignored'), and the command ends with exit 3 and one line, unless it failed
    so already (a full disk said by it): what it printed is lost, whatever it found. A
    command that saved a record first says so instead (cli.session.say_output_lost) and
    keeps its own exit code: the record is there, and must not be entered again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    from dutyctl.errors import EXIT_ENVIRONMENT, os_reason

    session = sys.modules.get("dutyctl.cli.session")
    if session is not None and session.output_lost_after_saving(exc):
        session.say_output_lost()
        return
    if keep == EXIT_ENVIRONMENT:
        return
    from dutyctl.messages import t

    sys.stderr.write(t("dutyctl: the output could not be written: {reason}",
                       reason=os_reason(exc)) + "\n")
    raise SystemExit(EXIT_ENVIRONMENT) from None


def completion_words(environ) -> tuple[list[str], str] | None:
    """(words before the cursor, the word being typed) as Typer's completion scripts pass
    them; None for a shell Typer's scripts handle differently (PowerShell)."""
    shell = environ.get(COMPLETE_VAR, "").removeprefix("complete_")
    if not shell:
        return None
    import shlex

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


def answer_completion(environ) -> bool:
    """Prints what completes the word being typed; False when this is no completion, or one
    these tables do not answer (Typer answers then)."""
    found = completion_words(environ)
    if found is None:
        return False
    from dutyctl.commandwords import group_named, program_options

    before, typed = found
    options, words = program_options(before)  # --root, --lang: before or after the command
    if words is None:
        return False
    if typed.startswith("-") and len(words) < 2:
        items = None if not words else _values(words, typed, options.get("--root"))
    elif not words or len(words) == 1 and group_named(words[0]):
        items = _command_names(typed, options, group_named(words[0]) if words else None)
    else:
        from dutyctl import messages

        # its --lang (then the site's, read by the lookup): values are offered by name in Chinese
        messages.start_invocation(messages.normalise(options.get("--lang")))
        items = _values(words, typed, options.get("--root"))
    if items is None:
        return False
    shell = environ[COMPLETE_VAR].removeprefix("complete_")
    sys.stdout.write(_formatted(shell, items, environ) + "\n")  # as Typer's click.echo
    sys.stdout.flush()
    return True


def _command_names(typed: str, options: dict, group: str | None) -> list[tuple[str, str]]:
    """The command (under `group`: subcommand) names that complete `typed`, with their line of
    help (commandwords.names_offered)."""
    from dutyctl import messages
    from dutyctl.commandwords import help_of, names_offered

    messages.start_invocation(messages.normalise(options.get("--lang")))
    messages.set_site_language(messages.normalise(_site_language(options.get("--root"))))
    chinese = messages.current_language() == "zh_CN"
    return [(name, messages.short_help(messages.gettext(help_of(path))))
            for name, path in names_offered(typed, group, chinese)]


def _values(words: list[str], typed: str, root: str | None) -> list[tuple] | None:
    """The values offered for the word being typed after `words` (the command and what
    follows it): an option's value or a record id; None when the table does not say."""
    from dutyctl.completiontable import COMPLETION

    if not " ".join(words[:2]).isascii():  # a command by its Chinese name (来电, log 来电)
        from dutyctl.commandwords import english

        words = english(words)
    name = " ".join(words[:2]) if " ".join(words[:2]) in COMPLETION else words[0]
    if name not in COMPLETION:
        return None  # a group's subcommand being typed, or an unknown command
    takes_value, arguments = COMPLETION[name]
    given, expecting = 0, None
    for word in words[len(name.split()):]:
        if expecting is not None:
            expecting = None  # the value of the option before it
        elif word == "--":
            return None  # arguments only from here: Click decides
        elif word.startswith("-") and word != "-":
            # every option taking a value is in the table: anything else is a flag, or an
            # option with its value attached (--at=9:00, -fjson)
            expecting = word if word in takes_value else None
        else:
            given += 1
    if expecting is not None:
        lookup = takes_value[expecting]
    elif typed.startswith("-"):
        return None  # an option's name: Click lists them with their help
    else:
        lookup = arguments[given] if given < len(arguments) else None
    if lookup is None:
        return None
    from dutyctl.lookups import offered

    return offered(lookup, words[:len(name.split())], root, typed)


def _site_language(root: str | None) -> str | None:
    """site.language of the workspace (--root, $DUTYCTL_ROOT, else upwards from here)."""
    from dutyctl.configkeys import language_in_file
    from dutyctl.store.plainfile import NotPlainFile

    chosen = root or os.environ.get("DUTYCTL_ROOT")
    here = os.path.abspath(chosen or os.getcwd())
    folders = [here] if chosen else [here, *_parents(here)]
    for folder in folders:
        try:  # as site_language_hint: no link followed, no FIFO opened
            return language_in_file(os.path.join(folder, CONFIG_FILE))
        except NotPlainFile as exc:  # a link marks the workspace, as workspace._marks_workspace
            if stat.S_ISLNK(exc.mode):
                return None
            continue
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            return None  # the workspace is here, its dutyctl.yaml unreadable
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
        lines = "\n".join(f'"{escape(name)}":"{escape(text)}"' if text else f'"{escape(name)}"'
                           for name, text in items)
        return f"_arguments '*: :(({lines}))'"
    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    if action == "is-args":
        sys.exit(0 if items else 1)
    if action == "get-args" and items:
        return "\n".join(f"{name}\t{' '.join(text.split())}" if text else name
                         for name, text in items)
    return ""
