"""The reader of stdout leaving early (`dutyctl list | head`): one quiet exit code, and what
the command saved stays saved. Through the installed program: pipes are the process's own."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dutyctl.errors import EXIT_READER_GONE
from tests.helpers_desk import october_site, record_files


def run_into_closed_pipe(command: list[str], *args: str, root) -> subprocess.CompletedProcess:
    """stdout is a pipe whose reader has already gone: the first write fails with EPIPE."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run([*command, "--root", str(root), *args], stdout=writer,
                              stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                              env={**os.environ, "DUTYCTL_USER": "zhangwei"}, timeout=60)
    finally:
        os.close(writer)


def test_a_call_filed_before_its_reader_left_is_kept_and_nothing_is_said(workspace,
                                                                          dutyctl_command):
    october_site(workspace.root)
    done = run_into_closed_pipe(dutyctl_command, "log", "call", "--name", "张三", "--room",
                                "3-2-501", "--phone", "13812345678", "--summary", "物业费",
                                "--at", "2026-10-05 09:00", root=workspace.root)
    assert (done.returncode, done.stderr) == (EXIT_READER_GONE, "")
    assert len(record_files(workspace.root)) == 1


@pytest.mark.parametrize("args", [("--help",), ("roster", "--help"),
                                  ("roster", "show", "--month", "2026-10"),
                                  ("list", "--format", "json")])
def test_a_listing_or_help_whose_reader_left_ends_quietly(workspace, dutyctl_command, args):
    october_site(workspace.root)
    done = run_into_closed_pipe(dutyctl_command, *args, root=workspace.root)
    assert (done.returncode, done.stderr) == (EXIT_READER_GONE, "")


@pytest.mark.auto_commit
def test_a_forced_roster_change_is_committed_and_its_warning_said_before_the_reader_left(
        workspace, dutyctl_command):
    october_site(workspace.root)
    done = run_into_closed_pipe(dutyctl_command, "roster", "override", "2026-10-06", "day",
                                "zhangwei", "--reason", "换班", "--force",
                                "--at", "2026-10-01 10:00", root=workspace.root)
    assert done.returncode == EXIT_READER_GONE
    assert "forced past" in done.stderr  # the broken rest rule is still said
    status = subprocess.run(["git", "-C", str(workspace.root), "status", "--porcelain", "--",
                             "rosters/2026-10.yaml"], capture_output=True, text=True)
    assert status.stdout == ""  # committed: the other desks get the change



@pytest.mark.parametrize("unbuffered", [False, True])
def test_a_reader_leaving_in_the_middle_of_a_long_listing_is_141_and_quiet(
        workspace, dutyctl_command, unbuffered):
    """`dutyctl list --all | head -1`: the reader takes a little and leaves while the listing
    is still being written. The program stops there, says nothing, exits 141 — also under
    PYTHONUNBUFFERED (python -u), where a write cut short used to be dropped without an error
    and the program went on to exit 0, as if everything had been read."""
    import fcntl
    from datetime import datetime, timedelta

    from dutyctl.kinds.call import log_call
    from dutyctl.residents import resident

    first = datetime.fromisoformat("2026-10-01T08:00:00+08:00")
    for number in range(80):  # a listing of tens of kB, far more than the pipe holds
        log_call(workspace.store, workspace.config, category=None, callback_by=None,
                 resident=resident("张三", "3-2-501", "13812345678"), summary=f"咨询{number}",
                 at=first + timedelta(hours=number), by="zhangwei")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env.update({"DUTYCTL_USER": "zhangwei", **({"PYTHONUNBUFFERED": "1"} if unbuffered else {})})
    reader, writer = os.pipe()
    fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, 4096)  # the listing fills it many times over
    try:
        listing = subprocess.Popen(
            [*dutyctl_command, "--root", str(workspace.root), "list", "--all", "--format",
             "json"], stdout=writer, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    finally:
        os.close(writer)
    with open(reader, "rb", buffering=0) as pipe:
        assert pipe.read(1) == b"["  # the listing had begun; the reader leaves
    _, said = listing.communicate(timeout=60)
    assert (listing.returncode, said) == (EXIT_READER_GONE, b"")


@pytest.mark.parametrize("interruption", ["ctrl-c", "ctrl-c at a prompt"])
def test_a_command_interrupted_exits_130_with_nothing_written(cli, workspace, monkeypatch,
                                                              interruption):
    """Ctrl-C in the middle of a command (where Typer would exit 130 saying nothing), or at a
    prompt (the prompt's Abort): one line said and 130 either way, the literal code the
    README's table of exit codes documents (never errors.EXIT_INTERRUPTED compared with
    itself: a change of the constant must fail here)."""
    import typer

    from dutyctl.kinds import entry

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt if interruption == "ctrl-c" else typer.Abort()

    monkeypatch.setattr(entry, "log_entry", interrupted)
    result = cli("log", "note", "钥匙在抽屉", "--at", "2026-10-05 09:00")
    assert (result.exit_code, result.stderr) == (130, INTERRUPTED)
    assert record_files(workspace.root) == []


INTERRUPTED = "dutyctl: interrupted, nothing more was written\n"


def test_a_quick_call_interrupted_says_so(workspace, monkeypatch, capsys):
    """The plain `log call` path (cli/quick.py, before Typer loads) says the same line."""
    from dutyctl.cli import calls, quick

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(calls, "log_call", interrupted)
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    code = quick.run(["--root", str(workspace.root), "log", "call", "--name", "张三", "--room",
                      "3-2-501", "--phone", "13812345678", "--summary", "问物业费",
                      "--category", "fee", "--staff", "zhaolei", "--at", "2026-10-05 09:00"])
    assert (code, capsys.readouterr().err) == (130, INTERRUPTED)
    assert record_files(workspace.root) == []


def test_ctrl_c_while_python_imports_the_command_says_so_in_the_sites_language(
        workspace, monkeypatch, capsys):
    """Ctrl-C before any command's own care (Python still importing it) was a traceback:
    one line, in the language of the workspace's dutyctl.yaml, and 130."""
    from dutyctl import launcher
    from dutyctl.cli import quick

    def importing():
        raise KeyboardInterrupt

    monkeypatch.setattr(quick, "main", importing)
    monkeypatch.setattr(launcher.sys, "argv", ["dutyctl", "list"])
    monkeypatch.delenv("DUTYCTL_LANG", raising=False)
    monkeypatch.setenv("DUTYCTL_ROOT", str(workspace.root))
    # the workspace's dutyctl.yaml says `language: zh_CN` (the template's)
    with pytest.raises(SystemExit) as leaving:
        launcher.main()
    assert (leaving.value.code, capsys.readouterr().err) == (130, "dutyctl：已中断，未再写入任何内容\n")


def test_a_call_logged_with_stderr_closed_is_saved_and_its_id_said(workspace, dutyctl_command):
    """`… 2>&-` from cron: the first word to stderr failed, exit 3, and the call was not
    saved."""
    october_site(workspace.root)
    done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "log", "call",
                           "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                           "--summary", "物业费", "--at", "2026-10-05 09:00"],
                          stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                          preexec_fn=lambda: os.close(2), timeout=60,
                          env={**os.environ, "DUTYCTL_USER": "zhangwei"})
    assert done.returncode == 0 and len(done.stdout.strip()) == 26
    assert len(record_files(workspace.root)) == 1
    listed = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "report", "daily",
                             "--date", "2026-10-05"], stdout=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(2),
                            timeout=60)
    assert listed.returncode == 0 and "1 records read" in listed.stdout


def test_a_report_with_stdout_closed_is_no_unexpected_error(workspace, dutyctl_command):
    october_site(workspace.root)
    done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "report", "daily",
                           "--date", "2026-10-05"], stderr=subprocess.PIPE, text=True,
                          stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(1), timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.auto_commit
def test_an_interrupt_after_a_record_was_saved_names_it(workspace, monkeypatch, capsys,
                                                          clock):
    """Ctrl-C while the call was being committed: the screen said "nothing more was written"
    and no id, so the clerk typed the call again (three identical calls in a night); a
    dispatch likewise (six dispatch steps to one technician)."""
    from dutyctl import gitsync
    from dutyctl.cli import quick
    from tests.conftest import Cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    october_site(workspace.root)
    monkeypatch.setattr(gitsync, "commit", interrupted)
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    code = quick.run(["--root", str(workspace.root), "log", "call", "--name", "张三", "--room",
                      "3-2-501", "--phone", "13812345678", "--summary", "问物业费",
                      "--staff", "lina", "--at", "2026-10-05 09:00"])
    said = capsys.readouterr().err
    (saved,) = record_files(workspace.root)
    assert code == 130 and said == (f"dutyctl：已中断；中断前已保存 来电 {Path(saved).name[:12]}（不要重复"
                                    "登记），之后未再写入任何内容\n"), said
    repair = Cli(workspace.root)("repair", "file", "--name", "张三", "--room", "3-2-501",
                                "--phone", "13812345678", "--content", "卫生间漏水",
                                "--at", "2026-10-05 09:10", env={"DUTYCTL_LANG": "en"})
    assert repair.exit_code == 130
    assert "dutyctl: interrupted after saving repair" in repair.stderr, repair.stderr
    # the next command's interrupt says only its own: nothing of the earlier ones
    note = Cli(workspace.root)("log", "note", "钥匙在抽屉", "--at", "2026-10-05 09:20",
                              env={"DUTYCTL_LANG": "en"})
    assert note.exit_code == 130 and note.stderr.startswith(
        "dutyctl: interrupted after saving log-entry "), note.stderr
    assert "repair" not in note.stderr
