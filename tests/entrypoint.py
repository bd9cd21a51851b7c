"""`dutyctl` command lines run through the console script's own entry point in a fork of the
test process, instead of a new Python process each.

A new `dutyctl` process spends about 0.1 s of CPU on Python's start and the imports before
the command does anything; a fork of this process, where everything is imported already,
a few milliseconds. The fork is what keeps such a run honest: each command starts from this
process's state as it was before the command (whatever a command changes — its language
choice, module caches, the environment, the working folder — dies with its fork, as with a
process), reads exactly the environment and working folder it is given, and has descriptors
0-2 of its own with fresh standard streams on them. It calls `dutyctl.launcher.main`, what
[project.scripts] names: completion answered before Typer, the quick `log call` path, Typer.

`run_forked` gives the fork stdin /dev/null and captures stdout and stderr. `run_shell` runs a
script in bash where `dutyctl` is such a fork on the standard streams of the bash process
running it: bash itself does the quoting, variables, `$(...)`, redirections and pipes of a
manual's command lines.

What a fork cannot show, a real process must (the tests through the installed binary keep
that): what a command imports (tests/test_startup.py), the console script itself, the
interpreter's start. tests/test_entrypoint.py shows that forks and the installed binary say
the same, byte for byte, on manual blocks.
"""

from __future__ import annotations

import gc
import io
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

PROGRAM = "dutyctl"
TIMEOUT = 600  # seconds: a command, or a script, that hangs fails its test


def installed_program() -> str:
    """The console script's path (a real process's sys.argv[0])."""
    script = Path(sys.executable).with_name(PROGRAM)
    return str(script) if script.exists() else (shutil.which(PROGRAM) or PROGRAM)


def run_forked(args: list[str], *, env: dict[str, str], cwd: str | Path, text: bool = True,
               entry=None) -> subprocess.CompletedProcess:
    """What `dutyctl ARGS` prints and exits with, run as the console script runs it, in a fork
    given exactly `env` and `cwd` (stdout and stderr as subprocess.run(text=...) gives them).
    `entry` replaces the launcher (a test comparing it with the CLI's own main)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        code = run_in_fork(list(args), dict(env), str(cwd), streams=(out.fileno(), err.fileno()),
                           entry=entry)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if text:
        stdout, stderr = _text(stdout), _text(stderr)
    return subprocess.CompletedProcess([PROGRAM, *args], code, stdout, stderr)


def _text(data: bytes) -> str:
    """As subprocess.run(text=True) reads it: UTF-8, universal newlines."""
    return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


_warm: list[bool] = []


def warm_up() -> None:
    """Every dutyctl module imported once in this process (not once per fork)."""
    if _warm:
        return
    import importlib
    import pkgutil

    import dutyctl

    for module in pkgutil.walk_packages(dutyctl.__path__, "dutyctl."):
        if not module.name.endswith("__main__"):  # `python -m dutyctl`: runs at import
            importlib.import_module(module.name)
    _warm.append(True)


def run_in_fork(args: list[str], env: dict, cwd: str, *, streams: tuple[int, int] = (),
                streams_of: int | None = None, entry=None, timeout: int = TIMEOUT) -> int:
    """The exit code of `dutyctl ARGS` run in a fork: stdin /dev/null and stdout, stderr to
    the descriptors `streams`, or on the standard streams of the process `streams_of`; a
    fork still running after `timeout` seconds is ended by SIGALRM (exit code -14)."""
    warm_up()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the fork's collections leave this process's objects alone (no copy-on-write)
    try:
        pid = os.fork()
        if pid == 0:  # the command's process: never returns
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(timeout)
            _child(args, env, cwd, streams, streams_of, entry)
    finally:
        gc.unfreeze()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _child(args: list[str], env: dict, cwd: str, streams, streams_of, entry) -> None:
    code = 70
    try:
        _standard_streams(streams, streams_of)
        code = _run(args, env, cwd, entry)
    except BaseException:  # noqa: BLE001 - whatever happens, this process must not go on
        try:
            traceback.print_exc()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)  # neither pytest's exit handlers nor its buffers: the command's only


def _standard_streams(streams: tuple[int, int], streams_of: int | None) -> None:
    """Descriptors 0, 1 and 2 of this process: /dev/null and `streams`, or the same files,
    pipes or terminal as the process `streams_of` has (a file appended to: it is where that
    process's own writes would go)."""
    if streams_of is None:
        opened = [os.open(os.devnull, os.O_RDONLY), *(os.dup(fd) for fd in streams)]
    else:
        opened = []
        for fd in range(3):
            path = f"/proc/{streams_of}/fd/{fd}"
            flags = os.O_RDONLY if fd == 0 else os.O_WRONLY
            if fd and stat.S_ISREG(os.stat(path).st_mode):
                flags |= os.O_APPEND
            opened.append(os.open(path, flags))
    for fd, source in enumerate(opened):
        os.dup2(source, fd)
        os.close(source)


def _run(args: list[str], env: dict, cwd: str, entry) -> int:
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    # the standard streams of a new Python process on these descriptors (UTF-8 mode, as under
    # the suite's C locale)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8",
        errors="surrogateescape")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8",
        errors="surrogateescape", line_buffering=os.isatty(1))
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8",
        errors="backslashreplace", line_buffering=True)
    sys.argv = [installed_program(), *args]
    _as_a_new_process()
    if entry is None:
        from dutyctl.launcher import main as entry
    try:
        entry()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:
        traceback.print_exc()
        code = 130
    except BaseException:  # noqa: BLE001 - as the interpreter reports an uncaught exception
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120  # as Python exits when stdout cannot be flushed at the end
    return code


def _exit_code(value) -> int:
    """The exit status of sys.exit(value), as the interpreter makes it."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    print(value, file=sys.stderr)
    return 1


def _as_a_new_process() -> None:
    """Undo what the test process set up that a new `dutyctl` process would not have: a
    language chosen from the test's environment, the suite's own holiday data, a test clock."""
    from dutyctl import messages, sitecalendar, timeutil
    from tests import conftest

    messages.start_invocation(None)
    sitecalendar.official_calendar = conftest.REAL_OFFICIAL_CALENDAR
    timeutil.clock = timeutil.system_clock


# bash's `dutyctl`: a request (the pid of the bash process running it, whose descriptors 0-2
# the command is to use, its folder, exported environment and arguments) to the test process,
# which runs it in a fork and answers the exit code. That process's own descriptors never
# point elsewhere meanwhile: the request is written by a subshell, the answer read with -u.
SHELL_FUNCTION = r"""
dutyctl() {
    local __pid=$BASHPID __code
    (
        for __name in $(compgen -e); do __env+=("$__name=${!__name}"); done
        printf '%s\0' "$__pid" "$PWD" "${#__env[@]}" "${__env[@]}" "$#" "$@" >&__REQUEST__
    )
    read -r -u __ANSWER__ __code || return 126
    return "$__code"
}
"""


def forking_shell() -> bool:
    """Whether `run_shell` can fork its commands (a fork, the descriptors of another process
    under /proc: Linux); else the installed program runs them."""
    return hasattr(os, "fork") and os.path.isdir(f"/proc/{os.getpid()}/fd")


def run_shell(script: str, *, env: dict[str, str], cwd: str | Path,
              timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """Runs `script` in bash (stdin /dev/null) where each `dutyctl` command is run through the
    entry point in a fork of this process, on the standard streams of the bash process that
    runs it (a file, a pipe, `$(...)`); bash's exit code, stdout and stderr."""
    if not forking_shell():
        return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True,
                              stdin=subprocess.DEVNULL, text=True, timeout=timeout)
    requests_read, requests = os.pipe()
    answers, answers_write = os.pipe()
    prelude = (SHELL_FUNCTION.replace("__REQUEST__", str(requests))
               .replace("__ANSWER__", str(answers)))
    with tempfile.TemporaryFile() as said, tempfile.TemporaryFile() as complained:
        try:
            shell = subprocess.Popen(["bash", "-c", prelude + script], cwd=cwd, env=env,
                                     stdin=subprocess.DEVNULL, stdout=said, stderr=complained,
                                     pass_fds=(requests, answers), start_new_session=True)
        finally:
            os.close(requests)
            os.close(answers)
        try:
            for pid, args, command_env, folder in _requests(requests_read, shell, timeout):
                code = run_in_fork(args, command_env, folder, streams_of=pid)
                os.write(answers_write, f"{code}\n".encode())
            shell.wait()
        finally:
            os.close(requests_read)
            os.close(answers_write)
            if shell.poll() is None:
                shell.kill()
                shell.wait()
        said.seek(0)
        complained.seek(0)
        return subprocess.CompletedProcess(["bash", "-c", script], shell.returncode,
                                           _text(said.read()), _text(complained.read()))


def _requests(incoming: int, shell: subprocess.Popen, timeout: int):
    """(pid, args, environment, folder) of each request bash writes, until bash is done; bash
    and what it started are ended when it is not done after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    fields: list[bytes] = []
    pending = b""
    while True:
        if not select.select([incoming], [], [], max(0, deadline - time.monotonic()))[0]:
            os.killpg(shell.pid, signal.SIGKILL)  # its own process group
            return
        chunk = os.read(incoming, 65536)
        if not chunk:
            break
        *complete, pending = (pending + chunk).split(b"\0")
        fields.extend(complete)
        while (request := _request(fields)) is not None:
            yield request
    if fields or pending:
        raise RuntimeError(f"a request cut short: {fields!r} {pending!r}")


def _request(fields: list[bytes]):
    """The first whole request in fields, taken out of them; None while it is incomplete."""
    if len(fields) < 3:
        return None
    count = int(fields[2])
    if len(fields) < 4 + count:
        return None
    arguments = int(fields[3 + count])
    end = 4 + count + arguments
    if len(fields) < end:
        return None
    pid, folder = int(fields[0]), os.fsdecode(fields[1])
    env = dict(os.fsdecode(pair).split("=", 1) for pair in fields[3:3 + count])
    args = [os.fsdecode(arg) for arg in fields[4 + count:end]]
    del fields[:end]
    return pid, args, env, folder
