"""The one error family of the core. The CLI turns each into one stderr line and an exit code."""

from __future__ import annotations

import copy
import os
import re
from dutyctl.frozen import field, frozen, set_fields
from typing import Callable, Iterable

#: How an error names the values it speaks of: value name -> the words shown for it.
Naming = Callable[[str], str]
#: A message about values, written once for any naming (`lambda name: t("{value} ...",
#: value=name("reason"))`): the core names a value by itself, the CLI by the option giving it.
Phrase = Callable[[Naming], str]


def own_name(value: str) -> str:
    """The core's name of a value: its own (`reason`, `callback_by` as `callback-by`)."""
    return value.replace("_", "-")

EXIT_OK = 0
EXIT_FINDINGS = 1  # check problems, unfilled slots, overdue items asked for with --fail-on
EXIT_USAGE = 2  # bad usage or bad input: nothing was written
EXIT_ENVIRONMENT = 3  # the machine refused: disk, permissions, git
EXIT_INTERRUPTED = 130  # Ctrl-C: what was saved before it stays saved
EXIT_READER_GONE = 141  # stdout's reader left (`| head`): the shell's code for SIGPIPE

MAX_MESSAGE = 1_000  # characters of a problem's message about a file, at most


@frozen(order=True)
class Problem:
    """One finding about a file, located as precisely as we know."""

    path: str
    line: int | None
    message: str
    #: the finding as data for the machine formats (`rule` and its figures), when it has some
    finding: dict | None = field(default=None, compare=False)
    #: False for what breaks no file (two desks' steps that clash, a readable roster's
    #: findings): `sync` pushes it all the same, so that every desk sees it
    breaks_a_file: bool = field(default=True, compare=False)
    #: the path as given (bytes no UTF-8 as listed, surrogates), which `path` shows
    #: (shown_path): set once, so a Problem made from another's (frozen.replace keeps it,
    #: `Problem(..., listed=other.listed)`) shows its file as it did, never quoted again.
    #: What finds the file by its path (the record index) reads this one
    listed: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.listed is None:
            set_fields(self, listed=self.path, path=shown_path(self.path))
        # a value quoted from a file another desk wrote (an id of 200,000 characters) is cut
        # in its middle: the line stays one line, and keeps what it says of the value. Only
        # a file's problem: an error about what was typed lists every choice it has
        if self.path and len(self.message) > MAX_MESSAGE:
            half = (MAX_MESSAGE - 1) // 2
            set_fields(self, message=self.message[:half] + "…" + self.message[-half:])

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}" if self.path else self.message


def _quotes_backslash(name: str) -> bool:
    """Whether a backslash in `name` is a reason to quote it: not on Windows, where a path
    is made with it (Workspace.relative, Store.relative)."""
    return "\\" in name and os.sep != "\\"


def shown_path(path: str) -> str:
    """A path as a problem shows it: a file name another desk chose (bytes no UTF-8, a
    backslash that is no path separator, a line break, ESC) is said on one line, visibly and
    unambiguously (text_name, then safetext.one_line): it cannot start a line of its own or
    move the cursor."""
    if path.isprintable() and not _quotes_backslash(path):
        return path
    from dutyctl.safetext import one_line

    return one_line(text_name(path))


def undecodable_name(name: str) -> bool:
    """Whether a listed file name (os.listdir keeps bytes that are no UTF-8 as surrogates)
    holds such bytes: no record or step is named so (ids are ASCII)."""
    try:
        name.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def text_name(name: str) -> str:
    """A file name or path as listed made text that says it unambiguously: one holding a
    backslash (but a Windows path's separators) or bytes that are no UTF-8 is put in double
    quotes, a backslash or double quote in it escaped by a backslash and each such byte
    written as \\xNN in hex (a name that holds the four characters `\\x9b` is not one with
    the byte 9b); every other character is kept. Like git's C-style quoting, not the same:
    git writes a byte in octal and, with core.quotePath, quotes any non-ASCII name.
    Text, so that a problem naming it can be printed, stored in the index (SQLite takes no
    surrogate) and written as JSON."""
    if not _quotes_backslash(name) and not undecodable_name(name):
        return name  # on Windows a backslash is the separator a path is made with
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.encode("utf-8", "surrogateescape").decode("utf-8",
                                                                  "backslashreplace") + '"'


_QUOTED = re.compile(r'\\(?:x([0-9a-f]{2})|(.))')


def listed_name(shown: str) -> str:
    """The name text_name shows as `shown`, as listed (a byte that is no UTF-8 as its
    surrogate): a shown name holds a backslash only when text_name quoted it."""
    if not (shown.startswith('"') and "\\" in shown):
        return shown
    return _QUOTED.sub(lambda found: chr(0xDC00 + int(found[1], 16)) if found[1] else found[2],
                       shown[1:-1])


class DutyError(Exception):
    """Base of every error the core raises for a user mistake or a refused action."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str | Phrase, *, path: str | None = None,
                 line: int | None = None):
        self.phrase = message if callable(message) else None
        text = message(own_name) if callable(message) else message
        super().__init__(text)
        self.problem = Problem(str(path) if path else "", line, text)

    def naming(self, name: Naming) -> DutyError:
        """This error with the values it speaks of named by `name` (the CLI: the option that
        gives each); itself when it speaks of no value."""
        if self.phrase is None:
            return self
        named = copy.copy(self)
        text = self.phrase(name)
        named.args = (text,)
        named.problem = Problem(self.problem.listed, self.problem.line, text)
        return named

    def __str__(self) -> str:
        return str(self.problem)


class InputError(DutyError):
    """A file or a value given by the user cannot be used."""


class NotFound(DutyError):
    """An id, staff member or file that does not exist."""


class Refused(DutyError):
    """An action that the current state does not allow (closing a closed ticket, ...)."""


class RefusedStep(Refused):
    """A step the record's status does not allow, naming the step to take first: `step` is
    (kind, action, record id) and `message(command)` the refusal ending in that step's command
    line, `dutyctl KIND ACTION ID` as the core knows it (in the user's language: `dutyctl 报修
    派工 ID`); the CLI writes it whole, with the options that command needs (`with_command`)."""

    def __init__(self, message: Callable[[str], str], step: tuple[str, str, str]):
        from dutyctl.commandwords import said

        self.step, self.message = step, message
        kind, action, record_id = step
        super().__init__(message(" ".join(("dutyctl", said(kind, action), record_id))))

    def with_command(self, command: str) -> RefusedStep:
        """The same refusal naming `command` as the step to take first."""
        return RefusedStep(lambda _: self.message(command), self.step)


class FindingsSaid(DutyError):
    """What the command found is on the screen already (a check's problems, the alerts a
    report's --fail-on watches, messages still waiting), or a question was answered no: exit
    1 and nothing more said, through the one place every exit code is decided."""

    exit_code = EXIT_FINDINGS

    def __init__(self) -> None:
        super().__init__("")


class EnvironmentFailure(DutyError):
    """The machine, not the user, failed: disk full, permission denied, git broken."""

    exit_code = EXIT_ENVIRONMENT


class ProblemsFound(DutyError):
    """Several problems at once (validation collects every error instead of stopping)."""

    def __init__(self, problems: list[Problem], exit_code: int = EXIT_USAGE):
        if exit_code == EXIT_USAGE:  # findings (exit 1: unfilled places...) are all said
            problems = by_file(problems)  # a rules file of 100,000 broken entries: a screenful
        else:
            problems = sorted(problems, key=lambda p: (p.path, p.line or 0))
        self.problems = problems
        self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


MAX_PROBLEMS_PER_FILE = 20  # one broken file must not flood the screen or bury the others


def cap_problems(problems: list[Problem], start: int = 0) -> None:
    """Keep the first MAX_PROBLEMS_PER_FILE problems of each file among problems[start:];
    the rest of a file becomes one 'and N more problems' line, right after its last one kept
    (in place, linear time; a list capped already stays as it is). What breaks no file (a
    short month's unfilled places) is findings, all kept."""
    totals: dict[str, int] = {}
    for problem in problems[start:]:
        if problem.breaks_a_file:
            more = (problem.finding or {}).get("rule") == MORE_PROBLEMS
            totals[problem.path] = (totals.get(problem.path, 0)
                                    + (problem.finding["count"] if more else 1))
    if all(total <= MAX_PROBLEMS_PER_FILE for total in totals.values()):
        return
    counts: dict[str, int] = {}
    kept = []
    for problem in problems[start:]:
        if not problem.breaks_a_file:
            kept.append(problem)
            continue
        if (problem.finding or {}).get("rule") == MORE_PROBLEMS:
            continue  # said again below, with the count of all
        path = problem.path
        counts[path] = counts.get(path, 0) + 1
        if counts[path] <= MAX_PROBLEMS_PER_FILE:
            kept.append(problem)
        if counts[path] == MAX_PROBLEMS_PER_FILE:
            left = totals[path] - MAX_PROBLEMS_PER_FILE
            if left:
                kept.append(more_problems(problem.listed, left))
    problems[start:] = kept


MORE_PROBLEMS = "more-problems"  # the `rule` of the line standing for a file's problems left out


def more_problems(path: str, count: int, line: int | None = None) -> Problem:
    """The line standing for `count` problems of a file left out (cap_problems counts it as
    that many, and says it again without a line); a reader may give it instead of problems
    past the cap it need not word, at the `line` they begin (`said_enough` reads it)."""
    from dutyctl.messages import tn

    return Problem(path, line, tn("... and {count} more problem in this file",
                                  "... and {count} more problems in this file", count),
                   {"rule": MORE_PROBLEMS, "count": count})


def by_file(problems: Iterable[Problem]) -> list[Problem]:
    """Problems as a refusal or a report says them: by file and line, each file's capped by
    cap_problems, the one rule. A list merged from several reads, each capped while reading
    (the memory bound on a hostile file), is capped again as one: its 'and N more' line,
    which sorting would put first (it has no line), goes back after the file's last problem
    kept, counting every problem left out."""
    found = sorted(problems, key=lambda p: (p.path, p.line or 0))
    cap_problems(found)
    return found


def said_enough(problems: list[Problem], path: str, line: int) -> bool:
    """Whether the last MAX_PROBLEMS_PER_FILE problems of `problems` are all of the file
    `path` and at or before `line` (an 'and N more' line this gave counts at the line its
    problems began, standing behind 20 before it): problems of the file from `line` on would
    be sorted past the cap, so a reader need not word them, only count them
    (`more_problems`). A look at the list's tail only, so a file of 5,000 mappings, each with
    its own unknown keys, stays linear (it cost 10 s of spelling guesses, 120,000 problems
    of which 20 were shown); where the file's sections are read in another order than
    written, the keys are worded as before."""
    recent = problems[-MAX_PROBLEMS_PER_FILE:]
    return len(recent) == MAX_PROBLEMS_PER_FILE and all(
        problem.listed == path and problem.breaks_a_file and problem.line is not None
        and problem.line <= line for problem in recent)


def problem_count(problems: list[Problem]) -> int:
    """How many problems these are, counting those a capped file left out."""
    return sum(problem.finding["count"] if (problem.finding or {}).get("rule") == MORE_PROBLEMS
               else 1 for problem in problems)


def first_problem(exc: BaseException) -> str:
    """What one line can say of an error: its first problem (`path:line: message`) and how
    many more there are, for a command that goes on without what the error broke."""
    problems = list(getattr(exc, "problems", None) or
                    ([exc.problem] if isinstance(exc, DutyError) else []))
    if not problems:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    more = problem_count(problems) - 1
    if not more:
        return str(problems[0])
    from dutyctl.messages import tn

    return tn("{problem} (and {count} more problem)", "{problem} (and {count} more problems)",
              more, problem=str(problems[0]))


def os_reason(exc: BaseException) -> str:
    """Why the system refused, in the user's language: the C library's English
    ("No such file or directory", the msgids below) translated for the failures a desk
    meets; its own words otherwise, and always in English."""
    import errno

    from dutyctl.messages import N_, gettext

    said = str(getattr(exc, "strerror", None) or exc)
    words = {  # by name: not every system has every code (Windows lacks some)
        getattr(errno, code, None): text for code, text in (
            ("ENOENT", N_("No such file or directory")),
            ("EACCES", N_("Permission denied")),
            ("EPERM", N_("Operation not permitted")),
            ("ENOSPC", N_("No space left on device")),
            ("EDQUOT", N_("Disk quota exceeded")),
            ("EROFS", N_("Read-only file system")),
            ("EISDIR", N_("Is a directory")),
            ("ENOTDIR", N_("Not a directory")),
            ("EEXIST", N_("File exists")),
            ("ENAMETOOLONG", N_("File name too long")),
            ("EIO", N_("Input/output error")),
            ("ENOEXEC", N_("Exec format error")))}
    words.pop(None, None)
    english = words.get(getattr(exc, "errno", None))
    translated = gettext(english) if english else english
    return translated if translated != english else said
