"""What every command needs: the workspace, the clock, who acts, output and git."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Sequence

from dutyctl.errors import DutyError, InputError, NotFound, os_reason
from dutyctl.messages import N_, gettext, t, tn


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """A line on stdout (stderr with err) through the one sanitizer: text from files (names,
    notes, keys in error messages) never puts a control or bidi character raw on the
    terminal. What typer.echo does with text, without importing Typer (dutyctl/cli/quick.py):
    the sanitizer leaves no escape sequence for it to strip."""
    from dutyctl.output import visible

    write_out(visible(str(message)) + ("\n" if nl else ""), err)


#: What a command prints on stdout while its listing goes to --output FILE (Session.output):
#: the file gets all of it, as the screen would have (`roster stats`' two tables, `show`'s
#: lines and tables), written once the command is done (Session.output_written). The file
#: held only the last table, the rest was on the screen. None: stdout is the screen's.
_LISTING: list[str] | None = None


def write_out(text: str, err: bool = False) -> None:
    """Text made safe already (a report, keeping its colours) on stdout (stderr with err),
    in the stream's encoding; a character that cannot say (a GBK console's `ñ` or ✗ in a
    report, which ended in 'unexpected error') comes out as a stand-in (`console_bytes`).
    Stdout's text while --output FILE is given: kept for the file."""
    if not err and _LISTING is not None:
        _LISTING.append(text)
        return
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console at all (pythonw): as typer.echo, say nothing
        return
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            stream.flush()
            from dutyctl.safetext import console_bytes

            stream.buffer.write(console_bytes(text, stream.encoding))
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        if not output_lost_after_saving(exc, stream):
            raise


#: why stdout could not take what a command printed after it had saved a record (`>>
#: calls.log` on a full disk): said once, when the command ends (`say_output_lost`)
OUTPUT_LOST: list[str] = []


def _saved() -> list:
    """What this command saved so far (`recordstore.SAVED`; not imported: nothing)."""
    store = sys.modules.get("dutyctl.store.recordstore")
    return store.SAVED if store is not None else []


def output_lost_after_saving(exc: OSError, stream=None) -> bool:
    """stdout (or stderr: `stream`) refused what a command printed (a full disk) after it
    saved a record: the rest goes to the null device, as for a stream closed at the start,
    and the command does the rest of its work; its end names what it saved
    (`say_output_lost`), since "No space left on device" and exit 3 read as nothing done,
    and the call was entered again. With stderr on the same full disk (`>> calls.log 2>&1`)
    that line is lost too, and the command still ends as saved (exit 0), not in Python's
    "lost sys.stderr" (exit 1). False (the error stands) when nothing was saved: a report's
    output is all it does."""
    if not _saved():
        return False
    stream = sys.stdout if stream is None else stream
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
        stream.flush()  # what it held, to nowhere: no later flush tries again
    except (OSError, ValueError, AttributeError):
        pass
    if stream is sys.stdout:
        OUTPUT_LOST.append(os_reason(exc))
    return True


def say_saved_before(code: int) -> int:
    """A command failing on the machine's side (exit 3: a full disk at its second file) after
    it saved a record: one more line names what was saved, which "No space left on device"
    alone read as nothing done (a call entered again). Not for an erasure part-way, whose
    line says to run it again. `code`, as it was."""
    from dutyctl.errors import EXIT_ENVIRONMENT

    saved = _saved()
    if code != EXIT_ENVIRONMENT or not saved:
        return code
    from dutyctl.store.recordstore import ERASING

    if all(action != ERASING for *_, action in saved):
        echo(t("dutyctl: saved before this failure: {saved} (do not enter it again)",
               saved=saved_words(saved)), err=True)
    return code


def say_output_lost() -> None:
    """The one line for output lost after saving (`OUTPUT_LOST`, the command's writes' or the
    last flush's, launcher._output_lost): what was saved, by kind and id, so it is not
    entered again."""
    if not OUTPUT_LOST:
        return
    reason = OUTPUT_LOST[0]
    OUTPUT_LOST.clear()
    echo(t("dutyctl: saved {saved} (do not enter it again), but what the command printed "
           "could not be written: {reason}", saved=saved_words(_saved()), reason=reason),
         err=True)


def unexpected(exc: BaseException, workspace=None) -> tuple[str, int]:
    """What the user sees when the core did not expect a failure: one line, never a trace.
    `workspace`: the one the command found, if any (its files are named from its root)."""
    from dutyctl.errors import EXIT_ENVIRONMENT

    if isinstance(exc, OSError):
        reason = os_reason(exc)
        said = (t("{path}: {reason}", path=_named(exc.filename, workspace), reason=reason)
                if exc.filename else str(reason))
        return said, EXIT_ENVIRONMENT
    return (t("dutyctl: unexpected error ({kind}: {reason}); DUTYCTL_DEBUG=1 shows where",
              kind=type(exc).__name__, reason=exc), EXIT_ENVIRONMENT)


def _named(filename: str | bytes | int, workspace) -> str:
    """A failing file as problems name theirs: from the workspace root when it lies in the
    workspace the command found (`records/2026/10/05`, not the desk's whole folder path)."""
    from dutyctl.errors import shown_path

    name = os.fsdecode(filename) if not isinstance(filename, int) else str(filename)
    if workspace is not None and os.path.isabs(name):
        try:
            name = workspace.relative(name)
        except (OSError, RuntimeError):  # a folder above it refuses too, or a link loop
            pass
    return shown_path(name)


def _found(session: "Session | None"):
    """The workspace the command found, without looking for one now (it may be what failed)."""
    return session.__dict__.get("workspace") if session is not None else None


def _stdout_gone() -> bool:
    """stdout is a pipe whose reader has left (poll says so: an error on its end), not some
    other pipe the command wrote to (stderr's, a FIFO given as --output)."""
    try:
        import select

        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
    except (AttributeError, OSError, ValueError):  # no poll (Windows) or no stdout file
        return True  # as before: a broken pipe is most likely stdout's
    return any(event & select.POLLERR for _, event in poller.poll(0))


def reader_gone() -> int:
    """The reader of stdout went away (`dutyctl list | head`): nothing more is said, as git and
    coreutils do; what the command saved stays saved. stdout now goes nowhere, so the flush at
    exit raises no second error."""
    from dutyctl.errors import EXIT_READER_GONE

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no stdout file to replace: nothing to flush
        pass
    return EXIT_READER_GONE


def interrupted() -> int:
    """Ctrl-C: one line said (what was saved before it stays: files are written whole), and
    the exit code for it."""
    from dutyctl.errors import EXIT_INTERRUPTED
    from dutyctl.messages import t

    store = sys.modules.get("dutyctl.store.recordstore")  # not imported: nothing saved
    erasing = [record_id for _, record_id, action in (store.SAVED if store else ())
               if action == store.ERASING]  # files rewritten part-way
    if erasing:
        sys.stderr.write(t("dutyctl: interrupted while erasing the number of {id}: run the "
                           "same command again to finish", id=erasing[-1][:12]) + "\n")
        return EXIT_INTERRUPTED
    saved = saved_words(store.SAVED) if store is not None and store.SAVED else None
    sys.stderr.write((t("dutyctl: interrupted after saving {saved} (do not enter it again); "
                        "nothing more was written", saved=saved) if saved else
                      t("dutyctl: interrupted, nothing more was written")) + "\n")
    return EXIT_INTERRUPTED


def forget_saved() -> None:
    """A command starts with nothing saved (one process runs several: tests, a shell)."""
    store = sys.modules.get("dutyctl.store.recordstore")
    if store is not None:
        store.SAVED.clear()
    OUTPUT_LOST.clear()


def saved_words(saved: list[tuple[str, str, str | None]]) -> str:
    """What a command saved, in words: `来电 01M8VYFZ620T`, `报修 01M8VYHT8V5S 的派工`."""
    from dutyctl.messages import t
    from dutyctl.records import kind_word
    from dutyctl.words import action_word

    return t(", ").join(
        f"{kind_word(kind)} {record_id[:12]}" if action is None else
        t("the {action} step of {kind} {id}", action=action_word(action),
          kind=kind_word(kind), id=record_id[:12])
        for kind, record_id, action in saved)


#: options a command asks for at a terminal when they are missing (and refuses without in a
#: script): a hint's command line names them as it names the required ones
ASKED_WHEN_MISSING = ("reason", "satisfaction")
SKIPPED_SAID = 20  # files a command says in `skipped:` lines; the rest are counted in one


def whole_step(exc):
    """A refusal naming the step to take first (errors.RefusedStep) with that step's whole
    command line in the user's language: the options its command needs, each with `...` for
    the value (`dutyctl complaint resolve 01M8 --result ...`, `dutyctl 投诉 办结 01M8 --结果
    ...`), so that the line runs once they are filled in; any other error as it is."""
    from dutyctl.errors import RefusedStep

    if not isinstance(exc, RefusedStep):
        return exc
    from typer._click.globals import get_current_context

    kind, action, record_id = exc.step
    context = get_current_context(silent=True)
    if context is None:
        return exc
    root = context.find_root()
    try:
        group = root.command.get_command(root, kind)
        command = group.get_command(root, action) if group is not None else None
    except Exception:  # noqa: BLE001 - the hint as the core wrote it rather than none
        command = None
    if command is None:
        return exc
    from dutyctl.cli.optionwords import option_name
    from dutyctl.commandwords import said

    words = ["dutyctl", said(kind, action), record_id]
    for param in command.params:
        if param.param_type_name == "option" and (param.required
                                                  or param.name in ASKED_WHEN_MISSING):
            words += [option_name(param, None), "..."]
    return exc.with_command(" ".join(words))


def reported(flow: Callable[[], Any], naming: Callable[[str], str],
             session_of: Callable[[], "Session | None"],
             passing: tuple[type[BaseException], ...] = ()) -> tuple[Any, int | None]:
    """Runs a command's flow as both front ends do (DutyGroup.invoke, the quick `log call`):
    (its result, None), or (None, the exit code) when it failed — a core error said with its
    values named as the user typed them (`naming`), anything unexpected in one line, never a
    traceback (unless DUTYCTL_DEBUG). Notices are heard meanwhile; afterwards the skipped
    files are said and the index closed. `session_of()`: the command's Session once it exists
    (a Typer group's callback makes it inside the flow); `passing`: exceptions that are not
    failures (Typer's exits and usage errors), raised on."""
    from dutyctl import notices
    from dutyctl.errors import DutyError, FindingsSaid

    def hear(notice) -> None:
        session = session_of()
        if session is not None:
            session.hear(notice)
        elif notice.problem is None:
            echo(notice.text, err=True)

    try:
        with notices.listening(hear):
            done = flow()
            session = session_of()
            if session is not None:
                session.output_written()
            return done, None
    except DutyError as exc:
        if os.environ.get("DUTYCTL_DEBUG"):
            raise
        session = session_of()
        if session is not None and isinstance(exc, FindingsSaid):  # a check's findings:
            try:  # written to the file, as said on the screen, then exit 1
                session.output_written()
            except DutyError as worse:
                exc = worse
        if session is not None:
            return None, say_saved_before(session.failed(exc, naming))
        for line in str(whole_step(exc).naming(naming)).splitlines():
            echo(line, err=True)
        return None, say_saved_before(exc.exit_code)
    except passing:
        raise
    except BrokenPipeError as exc:
        if _stdout_gone():
            return None, reader_gone()
        if os.environ.get("DUTYCTL_DEBUG"):
            raise
        line, code = unexpected(exc, _found(session_of()))  # a FIFO, stderr's reader
        echo(line, err=True)
        return None, say_saved_before(code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("DUTYCTL_DEBUG"):
            raise
        line, code = unexpected(exc, _found(session_of()))
        echo(line, err=True)
        return None, say_saved_before(code)
    finally:
        session = session_of()
        if session is not None:
            session.report_skipped(last=True)
            session.close()
        say_output_lost()


def places_open(roles, open_places) -> str:
    """Places a roster leaves open (`onduty.open_places_at`'s counter) as `roster show`
    marks them, `roles` naming each role: 大夜班 [缺1名保安], 维修备班 [缺2名维修工]."""
    return t(", ").join(t("{shift} {missing}", shift=name, missing=tn(
        "[{count} {role} missing]", "[{count} {role} missing]", count, role=roles.name(role)))
        for (_, name, role), count in open_places.items())


def ask(text: str, check: Callable[[str], Any] | None = None, **options: Any):
    """typer.prompt on stderr (stdout carries only the ids a command prints) through the one
    sanitizer: a prompt names people and checklist items from files another desk wrote. A
    default is shown here, sanitized too; the value given back is the default itself.
    `check`: raises a DutyError for an answer that cannot be used (a room the site has not):
    its line is said and the same question asked again, so the answers already given to a
    form's other questions are not lost to one slip. Without a default an answer is needed:
    an empty line is said so and asked again."""
    import typer

    from dutyctl.errors import DutyError
    from dutyctl.output import visible

    default = options.get("default")
    if options.pop("show_default", True) and default not in (None, ""):
        text = f"{text} [{default}]"
    # 住户姓名：, ending in a space as Click's own does: Click echoes the last character of a
    # prompt through input(), to stdout, which carries only the ids a command prints
    options.setdefault("prompt_suffix", t(": "))
    required = "default" not in options
    if required:  # Click asks again in silence for an empty line: said why
        options["default"] = ""
    while True:
        answer = typer.prompt(visible(text), err=True, show_default=False, **options)
        if required and not str(answer).strip():
            echo(t("an answer is needed here"), err=True)
            continue
        if check is None:
            return answer
        try:
            check(answer)
        except DutyError as refused:
            echo(str(refused), err=True)
            continue
        return answer


def room_answer(rooms, home: bool = False) -> Callable[[str], Any]:
    """A `check` for `ask`: the room typed is one the site has (its scheme's refusal with the
    nearest room otherwise; `home`: a room, not a place)."""
    from dutyctl.rooms import canonical

    return lambda answer: canonical(rooms, answer, home)


def phone_answer(answer: str) -> None:
    """A `check` for `ask`: a whole phone number (schema.phone_problem)."""
    from dutyctl.errors import InputError
    from dutyctl.schema import phone_problem

    problem = phone_problem(answer)
    if problem is not None:
        raise InputError(t("'{phone}': {problem}", phone=answer.strip(), problem=problem))


#: answers to a yes-or-no question as a clerk types them, besides y and n
YES_WORDS = frozenset(("y", "yes", "是", "是的", "好", "好的", "对", "要", "行", "可以", "确定",
                       "确认", "嗯"))
NO_WORDS = frozenset(("n", "no", "否", "不", "不要", "不用", "不是", "不了", "不行", "不对", "取消",
                      "算了"))


def confirm(text: str, default: bool) -> bool:
    """A yes-or-no question on stderr, as `ask` asks: y or n, or the word a clerk types (是,
    好, 否, 不要; full-width letters too); an empty line is `default`; anything else is said
    and asked again (Click's own said "Error: invalid input" in English)."""
    import unicodedata

    answer: list[bool] = []

    def check(typed: str) -> None:
        word = unicodedata.normalize("NFKC", typed).strip().rstrip("。.!！").casefold()
        if not word:
            answer.append(default)
        elif word in YES_WORDS or word in NO_WORDS:
            answer.append(word in YES_WORDS)
        else:
            raise InputError(t("answer yes or no (y or n)"))

    ask(t("{question} [Y/n]", question=text) if default else t("{question} [y/N]", question=text),
        check, default="", show_default=False)
    return answer[-1]


def interactive() -> bool:
    """Prompts only at a terminal: without a TTY no command ever waits for input."""
    return sys.stdin.isatty()



def refuse_binary_terminal(output) -> None:
    """A binary format (xlsx) with no --output onto a terminal: refused, before any work."""
    if output is None and sys.stdout.isatty():
        raise InputError(t("xlsx is a binary file: give --output FILE (or redirect the "
                           "output to a file)"))

def user_named() -> str | None:
    """$DUTYCTL_USER, who this computer records steps as: None when unset or set empty;
    refused (one line, exit 2) when it holds only what names nobody (`•`, spaces:
    people.names_nobody), as `--staff •` is refused as empty, never looked up as a name."""
    value = os.environ.get("DUTYCTL_USER")
    if not value:
        return None
    _refuse_user_encoding(value)
    from dutyctl.people import names_nobody

    if names_nobody(value):
        from dutyctl.output import visible

        raise InputError(t("DUTYCTL_USER is empty ('{value}'): set it to the name or staff id "
                           "this computer records steps as, or pass {staff} NAME",
                           value=visible(value), staff=_said_staff()))
    return value


def _refuse_user_encoding(value: str) -> None:
    """$DUTYCTL_USER set in another encoding than the locale's, refused in one line saying
    the name meant: GBK bytes under a UTF-8 locale (kept by Python as surrogates, shown as
    `\\udcb3¾\\udcb2` in "no staff" before), or UTF-8 under a GBK locale (陈静 read 闄堥潤),
    as a command line's arguments are (`folding.typed_in_utf8`, the launcher's)."""
    from dutyctl.folding import locale_said, not_decoded, typed_in_utf8

    if not_decoded(value):
        try:
            meant = value.encode("utf-8", "surrogateescape").decode("gbk")
        except UnicodeError:
            meant = None
        if meant is None or not meant.isprintable():
            raise InputError(t("DUTYCTL_USER is not UTF-8 text (it was set in another "
                               "encoding, such as GBK): set it again in a UTF-8 terminal, or "
                               "pass {staff} NAME", staff=_said_staff()))
        raise InputError(t("DUTYCTL_USER was set in GBK ({name}), not UTF-8: set it again in a "
                           "UTF-8 terminal (export DUTYCTL_USER={name}), or pass {staff} {name}",
                           name=meant, staff=_said_staff()))
    meant = typed_in_utf8(value)
    if meant is not None:
        raise InputError(t("DUTYCTL_USER was set in UTF-8 ({name}), but the locale says "
                           "{encoding} (LANG={lang}): set LANG to a UTF-8 locale (zh_CN.UTF-8), "
                           "or set DUTYCTL_USER again in a {encoding} terminal",
                           name=meant, encoding=sys.getfilesystemencoding().upper(),
                           lang=locale_said()))


def _said_staff() -> str:
    from dutyctl.commandwords import said_option

    return said_option("--staff")


def _from_user_env(refused: DutyError) -> DutyError:
    """A refusal of the name $DUTYCTL_USER gives (nothing typed names the person): the same,
    saying where the name came from and where to mend it."""
    if type(refused) not in (InputError, NotFound):
        return refused
    return type(refused)(t("{problem} (the name comes from DUTYCTL_USER, who this computer "
                           "records steps as: set it to the right name)", problem=str(refused)))


class Session:
    def __init__(self, root: str | None):
        self.root_option = root
        self.skipped_shown: set = set()
        self.skipped_files: set = set()  # the files said in `skipped:` lines
        self.skipped_unsaid: set = set()  # files past SKIPPED_SAID: counted, said at the end
        self.skipped_heard: list = []  # files the core read around (dutyctl.notices.skipped)
        self.acting: str | None = None  # the staff member this command acts for, once known
        self.user_moment: datetime | None = None  # $DUTYCTL_USER named the actor: at this --at
        self._output: Path | None = None  # --output FILE of a listing (where xlsx is written)
        self._binary = False  # a workbook written to it (write_binary)

    @cached_property
    def workspace(self):
        from dutyctl.workspace import find_workspace

        return find_workspace(self.root_option)

    @cached_property
    def names(self):
        """The workspace's people, roles and shifts as screens show them, read once a command."""
        from dutyctl.names import Names

        return Names.of(self.workspace)

    @property
    def output(self) -> Path | None:
        """--output FILE of a listing: what the command prints on stdout goes there (_LISTING),
        written whole when it is done (output_written), or the workbook it writes."""
        return self._output

    @output.setter
    def output(self, path: Path | None) -> None:
        global _LISTING
        self._output = path
        _LISTING = [] if path is not None else None

    def output_written(self) -> None:
        """The text a command printed for --output FILE, written to it at once (its name said
        on stderr); after a workbook was written there, on stdout as it came."""
        global _LISTING
        listing, _LISTING = _LISTING, None
        if self._output is None or listing is None:
            return
        if self._binary:
            write_out("".join(listing))
        else:  # nothing to list written too: a file kept from the day before would be read
            self.write_output(self._output, "".join(listing).encode("utf-8"))
            echo(str(self._output), err=True)

    def close(self) -> None:
        """At the end of the command: the record index's connection, kept open between the
        command's questions, is closed (it would hold its lock until garbage collection);
        a listing for --output FILE not written by then (the command failed) is dropped."""
        global _LISTING
        _LISTING = None
        workspace = self.__dict__.get("workspace")
        store = workspace.__dict__.get("store") if workspace is not None else None
        if store is not None:
            store.close()

    @property
    def config(self):
        return self.workspace.config

    @property
    def store(self):
        store = self.workspace.store
        store.progress = store.progress or progress_bar()
        store.one_command = True  # closed at the end of the command (close below)
        return store

    def now(self) -> datetime:
        from dutyctl import timeutil

        return timeutil.now(self.config.tz)

    def reckoned_from(self, text: str | None) -> datetime:
        """The moment this month, today and a date without its year are reckoned from
        (options.MONTH_OF, `--at`): as typed, a day alone its first minute (2027-01-05 is
        January, even ahead of today: the supervisor looks at a month to come), else now."""
        from dutyctl import timeutil

        return self.now() if text is None else timeutil.parse_when(text, self.config.tz,
                                                                    self.now())

    def when(self, text: str | None) -> datetime:
        """--at TIME in the site zone, or now; a day without a time of day is refused
        (timeutil.parse_instant)."""
        from dutyctl import timeutil

        if text is None:
            return self.now()
        moment = timeutil.parse_instant(text, self.config.tz, self.now())
        if note := timeutil.night_of_the_day_note(text, self.config.tz, moment):
            from dutyctl import notices

            notices.warn(note)
        return moment

    def as_of(self, text: str | None) -> datetime:
        """--as-of TIME in the site zone, or now; a day alone is the end of that day
        (timeutil.parse_as_of)."""
        from dutyctl import timeutil

        if text is None:
            return self.now()
        return timeutil.parse_as_of(text, self.config.tz, self.now())

    def happened(self, text: str | None) -> datetime:
        """--at of something being recorded: it has happened, so it is not in the future."""
        from dutyctl import timeutil

        moment = self.when(text)
        timeutil.refuse_future(moment, self.now(), text)
        return moment

    def actor(self, staff: str | None, at: datetime) -> str:
        """Who acts: --staff, else $DUTYCTL_USER, else the person on duty per the roster.
        The first one resolved is the command's author (a later one is e.g. handover --to)."""
        from dutyctl.desk.rostered import resolve_actor

        from_env = None if staff else user_named()
        try:
            person = resolve_actor(self.workspace, staff or from_env, at)
        except (InputError, NotFound) as refused:
            if not from_env:
                raise
            raise _from_user_env(refused) from None
        if not staff and not self.acting and from_env:
            self.user_moment = at  # asked once the step is written (commit)
        self.acting = self.acting or person
        return person

    def take_user_moment(self) -> datetime | None:
        """The moment of this command's step when $DUTYCTL_USER named its actor, taken: the
        question of a $DUTYCTL_USER left set at the desk is asked once (None after, and when
        --staff or nobody named the actor)."""
        at, self.user_moment = self.user_moment, None
        return at if self.acting is not None else None

    def gone_home(self, at: datetime):
        """`desk.sessions.gone_home` of the actor at `at`: (their last duty, who is on duty
        instead) when they clocked out and went home while others are on duty, else None."""
        from dutyctl.desk.sessions import gone_home

        return gone_home(self.store, self.acting, at)

    def take_gone_home(self):
        """$DUTYCTL_USER named the actor of this command, someone who clocked out and went home
        while others are on duty now (the day clerk's, left set at the desk the night clerk
        took over): (that duty, who is on duty instead), taken once (None after); else None.
        `commit` asks it once the step is written (a refused command reads nothing more); a
        clock-out asks before it writes, as its own duty would count otherwise. A clock-in
        and an acceptance take the moment themselves (`take_user_moment`): theirs is another
        question (`ShiftDesk.back_soon`)."""
        at = self.take_user_moment()
        return None if at is None else self.gone_home(at)

    def _left_set(self, duty) -> dict:
        """What each line about a $DUTYCTL_USER left set says of the person's own duty: who,
        when they clocked out, and the option that names someone else."""
        from dutyctl import timeutil

        return {"staff": self.names.person(duty.staff), "option": _said_staff(),
                "end": timeutil.local_time(duty.end, self.config.tz)}

    def say_left_set(self, found) -> None:
        """One line on stderr for what `take_gone_home` found: recorded as $DUTYCTL_USER's
        person, and how to record it as someone else."""
        duty, here = found
        echo(t("{staff} ($DUTYCTL_USER) clocked out at {end} and {here} is on duty: recorded "
               "as {staff}; if someone else is acting, pass {option} NAME or set "
               "DUTYCTL_USER", here=t(", ").join(self.names.person(other) for other in here),
               **self._left_set(duty)), err=True)

    def say_back_soon(self, duty, at: datetime) -> None:
        """One line on stderr for a clock-in `ShiftDesk.back_soon` found too soon after the
        person's own clock-out: clocked in as $DUTYCTL_USER's person, and how to clock in
        someone else."""
        from dutyctl import timeutil

        hours, minutes = divmod(int(timeutil.elapsed(duty.end, at).total_seconds() // 60), 60)
        echo(t("{staff} ($DUTYCTL_USER) clocked out at {end}, only {hours}h{minutes:02d} before "
               "this clock-in, which is for no shift of theirs: clocked in as {staff}; if "
               "someone else is clocking in, pass {option} NAME or set DUTYCTL_USER",
               hours=hours, minutes=minutes, **self._left_set(duty)), err=True)

    @staticmethod
    def need(value: str | None, flag: str, label: str) -> str:
        """A required value: prompt at a terminal (on stderr: stdout carries only results),
        else say which flag is missing."""
        return Session.need_all((value, flag, label))[0]

    @staticmethod
    def need_all(*wanted: tuple) -> list[str]:
        """Several required values (value, flag, label[, check]): without a terminal, every
        missing flag is named in one line before anything is asked or written, as the user
        would type it (`--电话` in Chinese). `flag`: the option's English long name
        (`--phone`), or the name of its parameter where that differs (`type_id` for --type).
        `check`: an answer it refuses is asked again (`ask`); values given on the command
        line are checked by the command, as ever."""
        missing = [(flag, label) for value, flag, label, *_ in wanted
                   if value is None or not value.strip()]
        if missing and not interactive():
            def parameter(flag: str) -> str:
                return flag[2:].replace("-", "_") if flag.startswith("--") else flag

            raise InputError(lambda name: t("missing {flags}", flags=t(", ").join(
                t("{flag} ({label})", flag=name(parameter(flag)), label=label)
                for flag, label in missing)))
        return [value if value is not None and value.strip() else ask(label, *check)
                for value, flag, label, *check in wanted]

    def step_on(self, record_id: str, at: str | None, staff: str | None,
                kinds: tuple[str, ...] = (), closed: bool = False):
        """The record, when and who: everything a recording step on a record needs. `kinds`:
        the record kinds the command steps (its kind module's `KIND`: `repair arrive` gives
        ("repair",), `callback done` ("call",)), whose open records may be typed as their
        room, phone or name when one answers (tickets.find); none (`settle`): any record, by
        id. Each command says its kinds: the word its group was typed as (报修) says none.
        `closed` (`reopen`): a room or phone names the newest closed record of `kinds`."""
        if kinds:
            from dutyctl.tickets.find import record_named

            record = record_named(self.store, self.config, record_id, kinds, closed)
        else:
            record = self.store.get(record_id)
        moment = self.after_other_clock(record, self.happened(at), typed=at)
        return record, moment, self.actor(staff, moment)

    def after_other_clock(self, record, moment: datetime, typed: str | None = None
                          ) -> datetime:
        """A step taken now (no --at) on a record another desk filed or stepped a few minutes
        "later" by its own clock (the desks' clocks apart): recorded at that record's latest
        moment, said with the clocks to set right. Refused, the desk could not dispatch an
        emergency repair until its clock caught up, and `--at` that time was refused as
        ahead of this desk's clock. `typed` (the --at given): a time typed to the minute of
        that latest moment (the minute a refusal or `show` names, 03:54 for 03:54:20) is that
        moment, not "before it"; any other typed time — one typed with its seconds (03:54:15)
        too — is left to the step's own checks, never moved."""
        from dutyctl.records import last_work_step
        from dutyctl.timeutil import CLOCK_SKEW, local_time

        step = last_work_step(record)  # a settle made later by another desk is none (as there)
        latest = max(record.created_at, step.at) if step else record.created_at
        if not moment < latest:
            return moment
        if typed is not None:
            return latest if _to_the_minute(typed, moment) and \
                _minute(moment) == _minute(latest) else moment
        minutes = max(1, round((latest - moment).total_seconds() / 60))
        if latest > moment + CLOCK_SKEW:  # no step typed with a time: the clock is wrong
            from dutyctl.errors import InputError

            raise InputError(lambda name: t(
                "{id}'s latest entry is at {at}, {minutes} minutes after this computer's clock "
                "({now}): set this computer's clock right, or give the time with {at_option}",
                id=record.short_id, at=local_time(latest, self.config.tz), minutes=minutes,
                now=local_time(moment, self.config.tz), at_option=name("at")))
        echo(tn("this desk's clock is {minutes} minute behind {id}'s latest entry ({at}, "
                "another desk's clock): the step is recorded at {at}; set this computer's "
                "clock right",
                "this desk's clock is {minutes} minutes behind {id}'s latest entry ({at}, "
                "another desk's clock): the step is recorded at {at}; set this computer's "
                "clock right", minutes, minutes=minutes, id=record.short_id,
                at=local_time(latest, self.config.tz)), err=True)
        return latest

    def recorded(self, record, message: str = "", written: Sequence[Path | str] = ()) -> None:
        """Commit the step just written (`written`, else the record's last event) and say
        `message`, else what the record is now."""
        from dutyctl.records import kind_word
        from dutyctl.words import action_word, status_word

        event = record.events[-1]
        self.commit(list(written) or [event.path], lambda: t(
            "{kind} {id}: {action}", kind=kind_word(record.kind), id=record.short_id,
            action=action_word(event.action)))
        echo(message or t("{id} {action} recorded, now {status}", id=record.short_id,
                          action=action_word(event.action),
                          status=status_word(record.status, record.kind)))

    def resident(self, name: str | None, room: str | None, phone: str | None, label: str,
                 room_label: str | None = None, home: bool = False) -> dict:
        """A resident typed as --name/--room/--phone (prompted for when missing), checked
        (`home`: the register's, whose room is where they live)."""
        return self.resident_and(name, room, phone, label, room_label=room_label, home=home)[0]

    def resident_and(self, name: str | None, room: str | None, phone: str | None, label: str,
                     *more: tuple[str | None, str, str], room_label: str | None = None,
                     home: bool = False) -> tuple[dict, list[str]]:
        """(the resident, the values of `more`): a form's resident (--name/--room/--phone,
        `label` the name's prompt) and the required values after it (`more`, as `need_all`
        takes them: a complaint's --content): every missing one asked in one round, in form
        order (without a terminal, all named in one line), before any of them is checked."""
        from dutyctl.residents import resident, validate_resident

        name, room, phone, *values = self.need_all(
            (name, "--name", label),
            (room, "--room", room_label or t("room or place, e.g. 3-2-501 or 3号楼电梯"),
             room_answer(self.config.rooms, home)),
            (phone, "--phone", t("phone"), phone_answer), *more)
        return validate_resident(resident(name, room, phone), self.config.rooms,
                                 home=home), values

    def commit(self, paths: Sequence[Path | str], message: str | Callable[[], str]) -> bool:
        """Commit `paths` (auto_commit); whether it did. `message`: the commit's, a callable
        that says it in the current language (t(...)): it is said in the site's language
        (site.language, else English), whatever this screen's --lang, as the desks share the
        history."""
        found = self.take_gone_home()
        if found is not None:
            self.say_left_set(found)
        if not self.config.auto_commit:
            return False
        from dutyctl import gitsync
        from dutyctl.messages import commit_language, speaking

        language = commit_language(self.config.language)
        with speaking(language):
            text = message() if callable(message) else message
        store = self.workspace.__dict__.get("store")
        return gitsync.commit(self.workspace.root, [Path(path) for path in paths], text,
                              self.workspace.state_dir, self._author(),
                              stamped=not (store is not None and store.unstamped),
                              language=language, cache_dir=self.workspace.cache_dir)

    def _author(self):
        """The acting staff member as the commit's author (None: nobody named, e.g. a roster
        generated without --staff)."""
        if self.acting is None:
            return None
        from dutyctl import gitsync
        from dutyctl.people import known_staff  # rules a slip broke: as last committed

        names = known_staff(self.workspace) or {}
        return gitsync.Author.of_staff(self.acting, names.get(self.acting),
                                       self.config.email_domain)

    def hear(self, notice) -> None:
        """The core's side channel (dutyctl.notices) during the command: a warning is said on
        stderr at once; a skipped file waits for the command's `skipped:` lines."""
        if notice.problem is None:
            echo(notice.text, err=True)
        else:
            self.skipped_heard.append(notice.problem)

    def failed(self, exc, naming) -> int:
        """A core error (dutyctl.errors) said on stderr, its values named as the user typed
        them (`naming`: the CLI's options); the files it is about are not listed again as
        skipped. Its exit code."""
        exc = whole_step(exc).naming(naming)
        self.skipped_shown.update(getattr(exc, "problems", None) or [exc.problem])
        self.report_skipped()
        for line in str(exc).splitlines():
            echo(line, err=True)
        return exc.exit_code

    def report_skipped(self, problems: Sequence = (), *, last: bool = False) -> None:
        """One 'skipped: path:line: ...' line per unreadable file, each once per command: the
        ones given and those the core read around (heard through dutyctl.notices). Past
        SKIPPED_SAID files the rest are counted, said in one line at the command's end
        (`last`): thousands of broken files from another desk must not bury every answer."""
        for problem in [*problems, *self.skipped_heard]:
            if problem in self.skipped_shown:
                continue
            self.skipped_shown.add(problem)
            if problem.path in self.skipped_files or len(self.skipped_files) < SKIPPED_SAID:
                self.skipped_files.add(problem.path)  # (a file says its own few problems)
                echo(t("skipped: {problem}", problem=problem), err=True)
            else:
                self.skipped_unsaid.add(problem.path)
        if last and self.skipped_unsaid:
            from dutyctl.commandwords import said

            echo(tn("skipped: {count} more file that cannot be read ('dutyctl {check}' lists "
                    "every one)", "skipped: {count} more files that cannot be read ('dutyctl "
                    "{check}' lists every one)", len(self.skipped_unsaid),
                    check=said("check")), err=True)
            self.skipped_unsaid.clear()

    def emit(self, data: Any, fmt: str, columns: Sequence[tuple[str, str]] | None = None,
             empty: str | None = None, rows: list[dict] | None = None, wide: bool = False,
             optional: Sequence[str] = (), totals: Sequence[str] = (),
             period: str | None = None, say_left_out: bool = False,
             whole: Sequence[str] = ()) -> None:
        """Rows or a document in `fmt` on stdout; `rows`: the entities of a document that its
        CSV lists one per row. An empty listing stays valid data in json/yaml/csv; in a table
        it says so on stderr (`empty`, "" for silence when the command says it another way).
        A table fits the terminal (output.terminal_width) unless `wide`, leaving out the
        `optional` columns in that order when it cannot fit otherwise. With --output
        (Session.output) every format goes to that file; `totals`: columns its sheet sums with
        a formula; `period`: what the figures cover (2026年11月), in the sheet's name and its
        printed header, as a page handed to payroll must say. `say_left_out`: a line on
        stderr names the `optional` columns the terminal had no room for (figures a payroll
        clerk would otherwise not know are there). `whole`: columns a table keeps
        whole (output.table)."""
        from dutyctl import output

        if fmt not in output.FORMATS:
            raise InputError(t("unknown format '{fmt}' (expected one of: {formats})", fmt=fmt,
                               formats=output.formats_said(output.FORMATS)))
        if fmt == "table" and isinstance(data, list) and not data:
            if empty != "":
                echo(empty or t("nothing to list"), err=True)
            return
        if fmt == "table" and columns:  # headers are marked with N_ where defined; csv keeps keys
            columns = [(key, gettext(header)) for key, header in columns]
        if fmt == "xlsx":
            self.emit_workbook(data, columns, rows, totals, period=period)
            return
        words = self.csv_words() if fmt == "csv" else None
        if self.output is not None:  # a file: every column, written whole or not at all
            write_out(output.render(data, fmt, columns, rows, None, optional, words))
            return
        width = None if wide or fmt != "table" else output.terminal_width()
        left_out: list[str] = []
        echo(output.render(data, fmt, columns, rows, width, optional, words, left_out, whole),
             nl=False)
        if say_left_out and left_out:
            echo(t("not shown for want of room: {columns} (a wider window, or -f csv or -f "
                   "xlsx, shows them)", columns=t(", ").join(left_out)), err=True)

    def csv_words(self):
        """How this desk's CSV says its cells: None in English (the ids, as always); in
        another language its kinds, states and labels as the Excel sheet says them
        (cli.cellwords.csv_words), json and yaml keeping the ids for scripts."""
        from dutyctl.messages import ENGLISH, current_language

        if current_language() == ENGLISH:
            return None
        from dutyctl.cli.cellwords import csv_words

        return csv_words(self.names_if_any())

    def names_if_any(self):
        """The workspace's Names (dutyctl.names), None without a workspace to name from."""
        from dutyctl.errors import DutyError

        try:
            return self.names
        except DutyError:
            return None

    def emit_workbook(self, data: Any, columns, rows: list[dict] | None,
                      totals: Sequence[str] = (), more: Sequence[tuple] = (),
                      period: str | None = None) -> None:
        """A listing as an Excel sheet, headed by the translated column titles, its id cells
        in the words of the command's table, an id column beside its words left out
        (cli.cellwords; CSV and json keep the ids). `more`: (title, rows, columns) of further
        sheets (`roster stats`' spreads)."""
        from dutyctl import xlsx
        from dutyctl.cli.cellwords import cell_words, sheet_columns

        if rows is None:
            rows = data if isinstance(data, list) else [data]
        columns = sheet_columns(columns or [(key, None) for key in (rows[0] if rows else {})])
        # a column without a title of its own is titled by the sheet (output.column_label)
        labelled = [(key, gettext(header) if header else None) for key, header in columns]
        title = xlsx.sheet_title(self.command_title())
        if period:
            title = t("{title} {period}", title=title, period=period)
        # no workspace to name people from: kinds and statuses still in words
        self.write_binary(xlsx.rows_workbook(rows, labelled, title, totals,
                                             cell_words(self.names_if_any()),
                                             self._printed_as, more))

    def _printed_as(self, title: str) -> str:
        """A listing's printed pages are headed with the site and the sheet (考勤, 排班统计):
        a page of figures says whose and what they are."""
        try:
            site = self.config.name
        except DutyError:
            return title
        return t("{site} — {title}", site=site, title=title) if site else title

    def command_title(self) -> str:
        """The command as the sheet's name: `roster stats`, `attendance`, also when typed in
        Chinese (`住户 列表` is `resident list`: its sheet is 住户登记, not the words typed)."""
        from typer._click.globals import get_current_context

        from dutyctl.commandwords import english

        context = get_current_context(silent=True)
        path = context.command_path.split()[1:] if context is not None else []
        return " ".join(english([part for part in path if not part.startswith("-")])) \
            or "dutyctl"

    def check_output(self, path: Path, others: Sequence = ()) -> None:
        """--output FILE, before anything is written: not one of the workspace's own files
        (`list -o dutyctl.yaml` would have replaced the settings, `-o rosters/rules.yaml` the
        rules, a record's file a record git may not hold), nor one of the `others` (the
        sites a portfolio review reads)."""
        try:
            workspaces = [self.workspace, *others]
        except DutyError:  # no workspace here: none of its files to overwrite
            workspaces = list(others)
        if any(workspace.owns(path) for workspace in workspaces):
            raise InputError(t("a file of the workspace itself (its settings, rosters or "
                               "records): write the output to another file; nothing written"),
                             path=path)

    def write_output(self, path: Path, data: str | bytes) -> None:
        """--output FILE written (storage.write_output), once check_output allows it."""
        from dutyctl.store.storage import write_output

        self.check_output(path)
        write_output(path, data)

    def write_binary(self, data: bytes) -> None:
        """Bytes to --output FILE (saying its name on stderr), or a binary format to stdout
        when that is a file or a pipe; never onto a terminal."""
        if self.output is not None:
            self.write_output(self.output, data)
            self._binary = True
            echo(str(self.output), err=True)
            return
        refuse_binary_terminal(None)
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            raise InputError(t("xlsx is a binary file: give --output FILE"))
        stream.write(data)
        stream.flush()

    def report_problems(self, problems: Sequence[Any], fmt: str) -> None:
        """Findings of a check: one `path:line: message` per line; exit 1 when there are any."""
        from dutyctl.errors import FindingsSaid, cap_problems, problem_count

        problems = list(problems)
        cap_problems(problems)  # one broken file must not flood the screen or bury the others
        self.skipped_shown.update(problems)  # a finding is not said again as 'skipped:'
        if fmt == "table":
            for problem in problems:
                echo(str(problem))
            count = problem_count(problems)
            echo(tn("{count} problem", "{count} problems", count) if problems
                 else t("all good"), err=True)
        else:
            rows = [{"path": p.path, "line": p.line, "message": p.message} for p in problems]
            for row, problem in zip(rows, problems):  # roster findings carry their figures
                if getattr(problem, "finding", None):
                    row["finding"] = problem.finding
            self.emit(rows, fmt, [("path", N_("file")), ("line", N_("line")),
                                  ("message", N_("message"))])
        if problems:
            raise FindingsSaid()

    def show_phone(self, flag: bool) -> bool:
        return flag or not self.config.mask_phone


def progress_bar(stream=None):
    """A one-line progress bar for a long index build, on stderr (or `stream`) when it is a
    terminal; None into a pipe or a file."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None

    def show(done: int, total: int, day: str) -> None:
        width = 30
        filled = width * done // total
        stream.write("\r" + t("indexing the records [{bar}] {done}/{total} days ({day})",
                               bar="#" * filled + "." * (width - filled), done=done,
                               total=total, day=day))
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def _to_the_minute(typed: str, moment: datetime) -> bool:
    """Whether a time was typed to the minute (10:20, 10点20分), not with its seconds
    (10:20:15, 10:20:00, 10点20分15秒)."""
    import re

    return moment.second == 0 and moment.microsecond == 0 and not re.search(
        r"\d[:：]\d{1,2}[:：]\d|秒", typed)


def _minute(moment: datetime) -> datetime:
    """The minute a moment falls in, as a time typed to the minute names it."""
    return moment.astimezone(timezone.utc).replace(second=0, microsecond=0)
