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

The forks are made by a small process of the test process's own (`_Zygote`: the suite's and
dutyctl's modules imported, none of a long-running test process's heap, whose size a fork pays
for); a test's own function run in a fork (`entry`, a closure) is forked from the test process.
A fork is made as fresh as is cheap: the test's monkeypatches are undone in it (the clock,
the suite's holiday data, whatever the test replaced), the caches dutyctl's modules keep for a
process are emptied (dutyctl.caches), the language is chosen anew. What it cannot shed: every
dutyctl module is imported already (`warm_up`), so a command that would work only thanks to
another module's import side effect (a kind registered on import) would pass here and fail
installed; tests/test_entrypoint.py therefore also runs a manual block per area through the
installed program or forked from a cold parent, a Python that imported nothing of dutyctl
(`run_shell_cold`).

`run_forked` gives the fork stdin /dev/null and captures stdout and stderr. `run_shell` runs a
script in bash where `dutyctl` is such a fork on the standard streams of the bash process
running it: bash itself does the quoting, variables, `$(...)`, redirections and pipes of a
manual's command lines. The fork gets bash's own descriptors 0-2 (pidfd_getfd, Linux 5.6),
the same open files as a child of bash shares: after `{ dutyctl --version; echo AFTER; } > f`
bash writes on at the offset where the command stopped. Where the kernel lacks pidfd_getfd,
bash runs the installed program instead. One request at a time: a `dutyctl ... &` in a
script runs to its end before bash's next `dutyctl` starts, and a script where a background
`dutyctl` waits on a later one (a pipe read by a later command, a fifo) hangs until the timeout.

What a fork cannot show, a real process must (the tests through the installed binary keep
that): what a command imports (tests/test_startup.py), the console script itself, the
interpreter's start. tests/test_entrypoint.py shows that forks and the installed binary say
the same, byte for byte, on manual blocks.
"""

from __future__ import annotations

import gc
import io
import json
import os
import ctypes
import pickle
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

PROGRAM = "dutyctl"
TIMEOUT = 600  # seconds: a command, or a script, that hangs fails its test
SYS_PIDFD_GETFD = 438  # the same number on every Linux architecture


def installed_program() -> str:
    """The console script's path (a real process's sys.argv[0])."""
    script = Path(sys.executable).with_name(PROGRAM)
    return str(script) if script.exists() else (shutil.which(PROGRAM) or PROGRAM)


def run_forked(args: list[str], *, env: dict[str, str], cwd: str | Path, text: bool = True,
               entry=None) -> subprocess.CompletedProcess:
    """What `dutyctl ARGS` prints and exits with, run as the console script runs it, in a fork
    given exactly `env` and `cwd` (stdout and stderr as subprocess.run(text=...) gives them).
    `entry` replaces the launcher (a test comparing it with the CLI's own main)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            open(os.devnull, "rb") as nothing:
        code = run_in_fork(list(args), dict(env), str(cwd),
                           streams=(nothing.fileno(), out.fileno(), err.fileno()), entry=entry)
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


def run_in_fork(args: list[str], env: dict, cwd: str, *, streams: tuple[int, int, int],
                entry=None, timeout: int = TIMEOUT, warm: bool = True) -> int:
    """The exit code of `dutyctl ARGS` run in a fork with the descriptors `streams` as its
    stdin, stdout and stderr; a fork still running after `timeout` seconds is ended by
    SIGALRM (exit code -14). Not `warm`: dutyctl's modules are imported by the fork, each time
    (a cold parent's, `run_shell_cold`)."""
    if warm and _forks_from_a_zygote() and (entry is None or _picklable(entry)):
        return _ZYGOTE.run(args, env, cwd, streams, timeout, entry)
    if warm:
        warm_up()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the command's process: never returns
        # first, before anything allocates: the fork's collections leave the parent's
        # objects alone (no copy-on-write), and the parent keeps its own freeze (conftest)
        gc.freeze()
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(timeout)
        _child(args, env, cwd, streams, entry)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _picklable(entry) -> bool:
    """An entry the zygote can be sent (a module's function, a partial of one); not a closure."""
    try:
        pickle.dumps(entry)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def _forks_from_a_zygote() -> bool:
    """Under pytest (a test process, not a zygote or a cold parent), on Linux."""
    return (hasattr(os, "fork") and hasattr(socket, "send_fds") and "pytest" in sys.modules
            and not _IN_ZYGOTE)


_IN_ZYGOTE: list[bool] = []
# the environment the zygote starts with: the test process's at its start (imported by
# conftest), never what the test that first forks has set (a fork gets its own `env` anyway)
_STARTING_ENVIRONMENT = dict(os.environ)


class _Zygote:
    """The forks of a test process made by a small process of its own (started at the first
    fork, ended with the test process): the test suite's modules, dutyctl's and pytest's, as
    a fork of the test process would have them (tests/conftest.py imported, every dutyctl
    module imported, Typer's reading of every command's signature done), without the heap a
    test process grows over hundreds of tests (a quarter of a gigabyte): a fork's own cost
    (copying the page tables, then copy-on-write faults and tearing them down) grows with
    that heap, ~30-40 ms of CPU a fork against a few. What the test set up (its patches, its
    filled caches) was never in it, as in a new process. One request at a time: the command
    line, its environment and folder, its timeout, the entry when not the launcher (a module's
    function: a closure stays with a fork of the test process), its descriptors 0-2
    (SCM_RIGHTS); the answer is its exit code."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._process: subprocess.Popen | None = None
        self._owner = 0

    def _start(self) -> socket.socket:
        if self._sock is not None and self._owner == os.getpid():
            if self._process.poll() is None:
                return self._sock
            self._sock.close()  # it ended (its reason on stderr): a new one
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        root = str(Path(__file__).resolve().parent.parent)
        code = (f"import sys; sys.path[0] = {root!r}; import tests.entrypoint as e; "
                f"e._serve_zygote({theirs.fileno()})")
        with open(os.devnull, "rb") as nothing:
            self._process = subprocess.Popen([sys.executable, "-c", code], cwd=root,
                                             env=_STARTING_ENVIRONMENT, pass_fds=(theirs.fileno(),),
                                             stdin=nothing, stdout=subprocess.DEVNULL)
        # its stderr is the test process's: a zygote that cannot start or read a request
        # says why there
        theirs.close()
        self._sock, self._owner = ours, os.getpid()
        return ours

    def run(self, args: list[str], env: dict, cwd: str, streams: tuple[int, int, int],
            timeout: int, entry=None) -> int:
        request = pickle.dumps({"args": args, "env": env, "cwd": cwd, "timeout": timeout,
                                "entry": entry})
        with self._lock:
            sock = self._start()
            socket.send_fds(sock, [len(request).to_bytes(8, "big") + request], list(streams))
            answer = _read_exactly(sock, 4)
        if len(answer) < 4:
            raise RuntimeError("the fork server ended")
        return int.from_bytes(answer, "big", signed=True)


    def stop(self) -> None:
        """Ended and waited for (its CPU and its forks' counted as this process's children)."""
        if self._sock is not None and self._owner == os.getpid():
            self._sock.close()
            self._process.wait()
        self._sock = None


_ZYGOTE = _Zygote()
stop_zygote = _ZYGOTE.stop


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _serve_zygote(fd: int) -> None:
    """The zygote's side (see _Zygote): made ready once, then a fork per request."""
    _IN_ZYGOTE.append(True)
    sock = socket.socket(fileno=fd)
    import typer.main

    from dutyctl.cli import app
    from tests import conftest

    assert conftest.Workspace.parsed_config is conftest._config_once  # its patches, as
    # in a test process

    warm_up()
    typer.main.get_command(app)  # every command's signature read once (conftest)
    gc.collect()
    gc.freeze()
    while True:
        size, fds, _, _ = socket.recv_fds(sock, 8, 3)
        if not size:
            os._exit(0)  # the test process ended
        if len(size) < 8:
            size += _read_exactly(sock, 8 - len(size))
        request = _read_exactly(sock, int.from_bytes(size, "big"))
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            sock.close()
            # read in the fork: an entry's module imported there, never into the zygote
            # (the next fork as fresh), and one it cannot import fails that command alone
            try:
                request = pickle.loads(request)
            except BaseException:  # noqa: BLE001 - said on the command's stderr, never a
                os.dup2(fds[2], 2)  # second zygote
                traceback.print_exc()
                os._exit(70)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(request["timeout"])
            _child(request["args"], request["env"], request["cwd"], tuple(fds),
                   request["entry"])
        for received in fds:
            os.close(received)
        _, status = os.waitpid(pid, 0)
        sock.sendall(os.waitstatus_to_exitcode(status).to_bytes(4, "big", signed=True))


def _child(args: list[str], env: dict, cwd: str, streams, entry) -> None:
    code = 70
    try:
        _standard_streams(streams)
        code = _run(args, env, cwd, entry)
    except BaseException:  # noqa: BLE001 - whatever happens, this process must not go on
        try:
            traceback.print_exc()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)  # neither pytest's exit handlers nor its buffers: the command's only


def _standard_streams(streams: tuple[int, int, int]) -> None:
    """Descriptors 0, 1 and 2 of this process: the open files of `streams`."""
    for fd, source in enumerate(streams):
        os.dup2(source, fd)
    for source in set(streams) - {0, 1, 2}:
        os.close(source)


def _run(args: list[str], env: dict, cwd: str, entry) -> int:
    _as_a_new_process()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    if env.get("DUTYCTL_TEST_NOW") and FIXED_CLOCK in env.get("PYTHONPATH", "").split(os.pathsep):
        _pin_clock()  # what tests/fixed_clock does in a new process
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


_PATCHES: list = []  # the running test's monkeypatches (tests/conftest.py)


@contextmanager
def undone_in_forks(patch):
    """`patch` (a pytest MonkeyPatch) undone in every fork made inside the block."""
    _PATCHES.append(patch)
    try:
        yield patch
    finally:
        _PATCHES.remove(patch)


# a new `dutyctl` process with this folder on PYTHONPATH and $DUTYCTL_TEST_NOW set takes that
# instant as "now" (tests/fixed_clock/sitecustomize.py); a fork given the same does the same
FIXED_CLOCK = str(Path(__file__).with_name("fixed_clock"))


def _pin_clock() -> None:
    """tests/fixed_clock/sitecustomize.py run in the fork, as a new process runs it at start
    (it reads $DUTYCTL_TEST_NOW, set by then)."""
    import runpy

    runpy.run_path(os.path.join(FIXED_CLOCK, "sitecustomize.py"))


def _as_a_new_process() -> None:
    """Undo what the test process set up that a new `dutyctl` process would not have: what the
    test replaced (a clock, the suite's holiday data), the caches filled by earlier work, a
    language chosen from the test's environment."""
    for patch in reversed(_PATCHES):
        patch.undo()
    if "dutyctl.caches" in sys.modules:  # a cold parent has imported neither
        sys.modules["dutyctl.caches"].forget_all()
    if "dutyctl.messages" in sys.modules:
        sys.modules["dutyctl.messages"].start_invocation(None)


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
    """Whether `run_shell` can fork its commands onto bash's own descriptors (a fork and
    pidfd_getfd: Linux 5.6); else the installed program runs them."""
    if not _getfd_works:
        probe = os.open(os.devnull, os.O_RDONLY)
        try:
            os.close(_descriptors_of(os.getpid(), (probe,))[0])
            _getfd_works.append(True)
        except (AttributeError, OSError):
            _getfd_works.append(False)
        finally:
            os.close(probe)
    return hasattr(os, "fork") and _getfd_works[0]


_getfd_works: list[bool] = []


def _descriptors_of(pid: int, fds: tuple[int, ...]) -> list[int]:
    """Copies of the descriptors `fds` of the process `pid`: the same open files, sharing
    their offsets, as a child of that process inherits (pidfd_getfd, Linux 5.6)."""
    pidfd = os.pidfd_open(pid)
    syscall = ctypes.CDLL(None, use_errno=True).syscall
    copies: list[int] = []
    try:
        for fd in fds:
            copy = syscall(ctypes.c_long(SYS_PIDFD_GETFD), ctypes.c_int(pidfd), ctypes.c_int(fd),
                           ctypes.c_uint(0))
            if copy < 0:
                error = ctypes.get_errno()
                raise OSError(error, f"pidfd_getfd({pid}, {fd}): {os.strerror(error)}")
            copies.append(copy)
    except BaseException:
        for copy in copies:
            os.close(copy)
        raise
    finally:
        os.close(pidfd)
    return copies


def run_shell(script: str, *, env: dict[str, str], cwd: str | Path, timeout: int = TIMEOUT,
              warm: bool = True) -> subprocess.CompletedProcess:
    """Runs `script` in bash (stdin /dev/null) where each `dutyctl` command is run through the
    entry point in a fork of this process, on the standard streams of the bash process that
    runs it (a file, a pipe, `$(...)`); bash's exit code, stdout and stderr. Not `warm`: the
    forks import dutyctl themselves (see run_in_fork)."""
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
                streams = _descriptors_of(pid, (0, 1, 2))
                try:
                    code = run_in_fork(args, command_env, folder, streams=tuple(streams),
                                       warm=warm)
                finally:
                    for fd in streams:
                        os.close(fd)
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


def run_shell_cold(script: str, *, env: dict[str, str], cwd: str | Path,
                   timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """`run_shell` from a cold parent: a new Python that imports this module and nothing of
    dutyctl, so each fork imports what its command needs, as the installed program does."""
    request = json.dumps({"script": script, "env": env, "cwd": str(cwd), "timeout": timeout})
    done = subprocess.run([sys.executable, "-c", "import tests.entrypoint as e; e._serve_cold()"],
                          input=request, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=timeout)
    answer = json.loads(done.stdout)
    return subprocess.CompletedProcess(["bash", "-c", script], answer["returncode"],
                                       answer["stdout"], answer["stderr"])


def _serve_cold() -> None:
    """run_shell_cold's side: the request on stdin, the answer as JSON on stdout."""
    request = json.load(sys.stdin)
    assert not any(name.startswith("dutyctl") for name in sys.modules), "not a cold parent"
    shell = run_shell(request["script"], env=request["env"], cwd=request["cwd"],
                      timeout=request["timeout"], warm=False)
    json.dump({"returncode": shell.returncode, "stdout": shell.stdout, "stderr": shell.stderr},
              sys.stdout)


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
