"""dutyctl as cron runs it: stdout a file on a full disk, a locale that cannot say every
character of a report, --output onto a device, a pipe or a link, and the deadline watch's
alerts left uncommitted by a run that was stopped, which held back every later sync."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest



def _repair_left_waiting(cli) -> None:
    """A repair filed the day before and never answered: the day's on-time rate misses its
    target (✗ beside it)."""
    done = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
               "13900001111", "--category", "water-electric", "--content", "爆管漏水",
               "--at", "2026-10-11 09:00")
    assert done.exit_code == 0, done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_stdout_on_a_full_disk_is_one_line_and_exit_3(workspace, cli, dutyctl_command):
    """`dutyctl report daily > /tmp/daily.txt` on a full /tmp ended in a Python traceback
    and exit 120: the last flush at exit tried the same buffer again."""
    _repair_left_waiting(cli)
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    with open("/dev/full", "w") as full:
        done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "report",
                               "daily", "--date", "2026-10-11"], stdout=full,
                              stderr=subprocess.PIPE, text=True, env=env,
                              stdin=subprocess.DEVNULL)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    for asked in (["--help"], ["--version"]):  # before any command's own care
        with open("/dev/full", "w") as full:
            done = subprocess.run([*dutyctl_command, *asked], stdout=full,
                                  stderr=subprocess.PIPE, text=True, env=env,
                                  stdin=subprocess.DEVNULL)
        assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("command", [
    ("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
     "--category", "fee", "--summary", "物业费怎么交"),
    ("complaint", "file", "--name", "李四", "--room", "5-1-1202", "--phone", "13900001111",
     "--category", "noise", "--content", "楼上装修太吵")], ids=["quick", "typer"])
def test_a_record_saved_before_its_output_met_a_full_disk_is_said_saved(workspace, cli,
                                                                        dutyctl_command,
                                                                        command, clock):
    """`dutyctl log call … >> calls.log` on a full disk saved and committed the call, then
    said only "No space left on device" and exited 3: a cron script or a clerk entered it
    again, a second call. The line names what was saved, and the exit is 0 (its work done).
    At the clock fixture's instant (tests/fixed_clock): a complaint filed in a year the
    installed `holidays` has no notice of yet is told its deadlines are unknown, a line more."""
    from tests.entrypoint import FIXED_CLOCK

    env = {**os.environ, "DUTYCTL_USER": "zhangwei", "DUTYCTL_LANG": "en",
           "PYTHONPATH": FIXED_CLOCK, "DUTYCTL_TEST_NOW": clock().isoformat()}
    with open("/dev/full", "w") as full:
        done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), *command],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=env,
                              stdin=subprocess.DEVNULL)
    listed = cli("list", "--format", "json")
    records = json.loads(listed.stdout)
    assert len(records) == 1, listed.stdout
    said = done.stderr.strip().splitlines()
    assert done.returncode == 0, done.stderr
    assert len(said) == 1 and "Traceback" not in done.stderr, done.stderr
    assert records[0]["id"][:12] in said[0] and "do not enter it again" in said[0], said
    assert "No space left on device" in said[0], said


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_record_saved_with_stderr_on_the_full_disk_too_ends_as_saved(workspace, cli,
                                                                       dutyctl_command):
    """`log call … >> calls.log 2>&1` on a full disk: the line saying the call was saved
    could not be written either, and the command ended in Python's "lost sys.stderr",
    exit 1, read as nothing done. Nothing can be said; it ends as saved, exit 0."""
    env = {**os.environ, "DUTYCTL_USER": "zhangwei", "DUTYCTL_LANG": "en"}
    with open("/dev/full", "w") as full:
        done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "log", "call",
                               "--name", "李雷", "--room", "2-2-202", "--phone", "13700001111",
                               "--category", "fee", "--summary", "咨询"],
                              stdout=full, stderr=full, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0
    assert len(json.loads(cli("list", "--format", "json").stdout)) == 1


def test_a_failure_after_a_record_was_saved_names_the_record(workspace, cli, monkeypatch):
    """`log call --file-ticket` on a disk that filled up after the call's file: "records/…:
    No space left on device", exit 3, read as nothing done, and the call was entered again
    (a second call). A second line names the call saved."""
    import errno

    from dutyctl.store import recordstore

    written = []
    write = recordstore.write_atomic

    def write_until_full(path, *args, **kwargs):
        written.append(path)
        if len(written) > 1:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return write(path, *args, **kwargs)

    monkeypatch.setattr(recordstore, "write_atomic", write_until_full)
    done = cli("log", "call", "--name", "李四", "--room", "5-1-1202", "--phone", "13900001111",
               "--category", "repair", "--summary", "厨房漏水", "--file-ticket",
               env={"DUTYCTL_LANG": "en"})
    assert done.exit_code == 3, done.stderr
    call = written[0].name.split(".")[0]
    said = done.stderr.strip().splitlines()
    assert "No space left on device" in said[0], said
    assert said[-1] == (f"dutyctl: saved before this failure: call {call[:12]} (do not enter "
                        "it again)"), said


def test_a_report_in_a_locale_that_cannot_say_a_mark_is_written_whole(workspace, cli,
                                                                      dutyctl_command):
    """Under a GBK locale (a cron job on an old server) a report with a missed target (✗)
    ended in 'unexpected error (UnicodeEncodeError)', the report lost: written to a pipe or
    a file, it is in GB18030 (GBK's own bytes for all GBK has), ✗ kept, not made ×."""
    _repair_left_waiting(cli)
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "DUTYCTL_USER": "zhangwei"}
    done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "report", "daily",
                           "--date", "2026-10-11"], capture_output=True, env=env,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("gb18030")
    assert "✗" in text and "2026-10-11" in text.splitlines()[0]


def test_output_through_a_link_writes_the_file_it_names_and_keeps_the_link(workspace, cli,
                                                                            tmp_path):
    """`-o latest.html`, a link a web server serves, was replaced by a file of its own: the
    month's file it named kept last month's report."""
    month = tmp_path / "2026-10.txt"
    month.write_text("old", encoding="utf-8")
    latest = tmp_path / "latest.txt"
    latest.symlink_to(month)
    done = cli("report", "daily", "--date", "2026-10-11", "--output", str(latest))
    assert done.exit_code == 0, done.stderr
    assert latest.is_symlink() and "2026-10-11" in month.read_text(encoding="utf-8")


def test_output_onto_a_named_pipe_reaches_its_reader(workspace, cli, tmp_path):
    """A FIFO a reader waits on was replaced by a plain file: the reader got nothing."""
    import threading

    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    done = cli("report", "daily", "--date", "2026-10-11", "--output", str(pipe))
    assert done.exit_code == 0, done.stderr
    reader.join(timeout=10)
    assert received and "2026-10-11" in received[0].decode("utf-8")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_output_onto_a_link_to_a_device_writes_into_it(workspace, cli, tmp_path):
    """`-o /dev/stdout` (a link to the process's output) or a link to /dev/null: the device
    written into, the link left; a report is never put in a device's place."""
    null = tmp_path / "null"
    null.symlink_to(os.devnull)
    done = cli("list", "--format", "csv", "--output", str(null))
    assert done.exit_code == 0, done.stderr
    assert null.is_symlink() and stat.S_ISCHR(os.stat(null).st_mode)


@pytest.mark.auto_commit
def test_check_says_git_refuses_a_workspace_another_account_owns(workspace, cli, monkeypatch):
    """Run by another account (cron's), git refused the folder ('dubious ownership'): each
    command saved its record and warned, nothing was committed, and `check` said all good."""
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own knob for it
    checked = cli("check")
    assert checked.exit_code == 1
    (line,) = [text for text in checked.stdout.splitlines() if text.startswith(".git:")]
    assert "dubious ownership" in line and "safe.directory" in line
    assert str(workspace.root) in line
    changed = cli("check", "--changed")  # not "not in a git repository"
    assert changed.exit_code == 3 and "dubious ownership" in changed.stderr


def test_a_step_is_checked_against_the_steps_another_terminal_saved_meanwhile(workspace, cli):
    """Two terminals stepping one complaint at once each checked it as read before either
    step: both resolves were written (and a close and a transfer beside them), each clerk
    told the step was taken. The second is checked against the first, under the desk's step
    lock, and refused."""
    from dutyctl.errors import Refused
    from dutyctl.kinds.complaint import RESOLVE

    filed = cli("complaint", "file", "--name", "王五", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "楼道灯不亮", "--at", "2026-10-12 09:00")
    assert filed.exit_code == 0, filed.stderr
    store = workspace.store
    read = store.get(filed.stdout.strip())  # what both terminals read
    at = read.created_at.replace(hour=10)
    store.append(read, RESOLVE, at=at, by="zhangwei", note="已换灯泡")
    with pytest.raises(Refused):
        store.append(read, RESOLVE, at=at.replace(minute=5), by="lina", note="已报修")
    assert [event.action for event in store.get(read.id).events] == [RESOLVE]



def test_output_onto_dev_stdout_appends_to_the_log_it_is_sent_to(workspace, cli, tmp_path,
                                                                dutyctl_command):
    """`-o /dev/stdout >> daily.log`: /dev/stdout was followed to the log and the log
    replaced by the report (the earlier days lost); into a pipe, 'no such file'."""
    _repair_left_waiting(cli)
    log = tmp_path / "daily.log"
    log.write_text("LINE1 earlier\n", encoding="utf-8")
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    with open(log, "a", encoding="utf-8") as appended:
        done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "report",
                               "daily", "--date", "2026-10-11", "--output", "/dev/stdout"],
                              stdout=appended, stderr=subprocess.PIPE, text=True, env=env,
                              stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("LINE1 earlier\n") and "2026-10-11" in text
    piped = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "report",
                            "daily", "--date", "2026-10-11", "--output", "/dev/stdout"],
                           capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    assert piped.returncode == 0 and "2026-10-11" in piped.stdout, piped.stderr


def test_output_onto_a_named_pipe_nothing_reads_is_refused_not_waited_on(workspace, cli,
                                                                         tmp_path):
    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    done = cli("report", "daily", "--date", "2026-10-11", "--output", str(pipe))
    assert done.exit_code == 3 and "nothing reads" in done.stderr


def test_the_desks_own_last_commits_are_known_when_their_notes_are_long(tmp_path):
    """A desk of years writes 155-byte notes of its commits (nanosecond stamps, big sizes and
    inodes): the first 6,400 bytes read held 41 of the 64 kept, the newest never, so the
    command after every write looked at every month of the history again."""
    from dutyctl.store import githead

    state = tmp_path / "state"
    state.mkdir()
    stamp = [1_764_000_000_123_456_789, 78_643_200, 123_456_789_012, 4_096]
    ids = [f"{n:040x}" for n in range(githead.KEPT + 1)]
    lines = [f"{ids[n]} {ids[n + 1]} {','.join(map(str, stamp))} "
             f"{','.join(map(str, stamp))}" for n in range(githead.KEPT)]
    assert len(lines[-1]) > 150
    (state / githead.ADDED_ONLY).write_text("\n".join(lines) + "\n", encoding="ascii")
    steps = githead.added_only(state, ids[-2], ids[-1])  # the newest commit, noted last
    assert steps is not None and len(steps) == 1


def _while_another_terminal_steps(workspace, mine, theirs) -> list:
    """`mine(store)` run while another terminal holds the desk's step lock and, meanwhile,
    takes its own step (`theirs(store)`, written by a store without the lock): what mine
    returned or raised, once the lock is let go."""
    import threading

    from dutyctl.errors import DutyError
    from dutyctl.store.recordstore import STEP_LOCK, Store
    from dutyctl.store.storage import exclusive

    store, outcome = workspace.store, []

    def this_terminal():
        try:
            outcome.append(mine(store))
        except DutyError as refused:
            outcome.append(refused)

    with exclusive(workspace.state_dir / STEP_LOCK):
        waiting = threading.Thread(target=this_terminal)
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and not outcome  # it waits for the lock
        theirs(Store(store.dir, store.tz, store.config))
    waiting.join(timeout=10)
    return outcome


def test_a_step_waits_for_the_step_another_terminal_is_taking(workspace, cli):
    """The other terminal holds the desk's step lock while it checks and writes its step:
    this one waits, then sees that step and is refused (without the lock, both resolves were
    written, 30 runs in 30 of two processes started together)."""
    import threading

    from dutyctl.errors import Refused
    from dutyctl.kinds.complaint import RESOLVE
    from dutyctl.store.recordstore import STEP_LOCK, Store
    from dutyctl.store.storage import exclusive

    filed = cli("complaint", "file", "--name", "王五", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "楼道灯不亮", "--at", "2026-10-12 09:00")
    store = workspace.store
    read = store.get(filed.stdout.strip())  # what both terminals read
    at = read.created_at.replace(hour=10)
    outcome: list = []

    def this_terminal():
        try:
            outcome.append(store.append(read, RESOLVE, at=at.replace(minute=5), by="lina",
                                        note="已报修"))
        except Refused as refused:
            outcome.append(refused)

    with exclusive(workspace.state_dir / STEP_LOCK):  # the other terminal, mid-step
        waiting = threading.Thread(target=this_terminal)
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and not outcome  # it waits for the lock
        other = Store(store.dir, store.tz, store.config)  # its own step, written meanwhile
        other.append(read, RESOLVE, at=at, by="zhangwei", note="已换灯泡")
    waiting.join(timeout=10)
    assert outcome and isinstance(outcome[0], Refused)
    assert [event.by for event in store.get(read.id).events] == ["zhangwei"]


def test_one_person_accepting_a_handover_at_two_terminals_signs_once(workspace, cli):
    """李娜 at two terminals at once: both said accepted, two signatures were written."""
    from dutyctl.desk.handover import accept_handover
    from dutyctl.errors import Refused
    from dutyctl.names import Names

    done = cli("handover", "--to", "lina", "--to", "sunli", "--at", "2026-10-12 19:45")
    assert done.exit_code == 0, done.stderr
    read = workspace.store.get(done.stdout.strip().splitlines()[0])
    names = Names.of(workspace)
    at = read.created_at.replace(minute=50)

    def accept(store):
        return accept_handover(store, read, by="lina", at=at, names=names)

    outcome = _while_another_terminal_steps(workspace, accept, accept)
    assert outcome and isinstance(outcome[0], Refused), outcome
    assert [event.by for event in workspace.store.get(read.id).events] == ["lina"]


def test_one_step_set_aside_at_two_terminals_is_set_aside_once(workspace, cli):
    from dutyctl.errors import Refused
    from dutyctl.tickets.lifecycle import settle

    filed = cli("complaint", "file", "--name", "王五", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "楼道灯不亮", "--at", "2026-10-12 09:00")
    complaint = filed.stdout.strip()
    handled = cli("complaint", "handle", complaint, "--action", "已联系住户", "--at",
                  "2026-10-12 09:10")
    assert handled.exit_code == 0, handled.stderr
    read = workspace.store.get(complaint)
    step = read.events[-1].id

    def set_aside(store):
        return settle(store, read, step, "错记", at=read.events[-1].at.replace(minute=20),
                      by="zhangwei", person=str)

    outcome = _while_another_terminal_steps(workspace, set_aside, set_aside)
    assert outcome and isinstance(outcome[0], Refused), outcome
    assert [event.action for event in workspace.store.get(complaint).events] == [
        "handle", "settle"]


def test_one_call_voided_at_two_terminals_is_voided_once(workspace, cli):
    from dutyctl.errors import Refused
    from dutyctl.tickets.lifecycle import settle

    call = _logged_call(cli)
    read = workspace.store.get(call)

    def void(store):
        return settle(store, read, None, "打错了", at=read.created_at.replace(minute=40),
                      by="zhangwei", person=str)

    outcome = _while_another_terminal_steps(workspace, void, void)
    assert outcome and isinstance(outcome[0], Refused), outcome
    assert [event.action for event in workspace.store.get(call).events] == ["settle"]


def _logged_call(cli) -> str:
    done = cli("log", "call", "--name", "王五", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", "咨询物业费", "--at", "2026-10-12 09:30")
    assert done.exit_code == 0, done.stderr
    return done.stdout.strip().splitlines()[0]


def _on_a_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """`command` run with stdout and stderr on a terminal (a pty): its exit code and what
    the terminal got, read as GBK (strict: one byte of UTF-8 or GB18030's own fails)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        running = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave,
                                   stderr=slave, env=env)
    finally:
        os.close(slave)
    got = []
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program closed the terminal
                break
            if not chunk:
                break
            got.append(chunk)
    finally:
        os.close(master)
    return running.wait(timeout=60), b"".join(got).replace(b"\r\n", b"\n").decode("gbk")


def test_a_name_a_gbk_console_cannot_show_comes_out_as_a_stand_in(workspace, cli,
                                                                  dutyctl_command):
    """A record's `Muñoz` (ñ is not in GBK) on a terminal under PYTHONIOENCODING=gbk: the
    whole listing was written in UTF-8, every Chinese word of it mojibake on that console
    (and `José` as `Jos茅`), and an error's `ñ` on stderr as `\\xf1`. Now each in GBK,
    what GBK lacks as `?`."""
    record_id = cli("log", "note", "José 和 Muñoz 来访", "--staff", "zhangwei",
                    "--at", "2026-10-12 09:30").stdout.strip()
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "DUTYCTL_USER": "zhangwei",
           "DUTYCTL_LANG": "zh_CN", "COLUMNS": "200", "NO_COLOR": "1"}
    for command in (["list"], ["show", record_id]):
        code, text = _on_a_terminal([*dutyctl_command, "--root", str(workspace.root),
                                     *command], env)
        assert code == 0, text
        assert "José 和 Mu?oz 来访" in text and "值班记录" in text, text
    code, said = _on_a_terminal([*dutyctl_command, "--root", str(workspace.root), "show",
                                 "Muñoz-1"], env)
    assert code == 2 and "“Mu?oz-1”不是编号" in said and "Traceback" not in said, said


def test_a_gbk_pipe_gets_every_character_as_it_is(workspace, cli, dutyctl_command):
    """`PYTHONIOENCODING=gbk dutyctl list --all -f json | iconv …`: the console's stand-ins
    were written into a pipe too, `Muñoz ✗ •` as `Mu?oz × ·`, the data changed silently.
    A pipe (or a file) in GBK gets GB18030: GBK's own bytes for all GBK has, the rest kept."""
    cli("log", "note", "José 和 Muñoz ✗ • 来访", "--staff", "zhangwei", "--at", "2026-10-12 09:30")
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "DUTYCTL_USER": "zhangwei",
           "DUTYCTL_LANG": "zh_CN"}
    done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "list", "--all",
                           "-f", "json"], capture_output=True, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode("gb18030", "replace")
    assert "José 和 Muñoz ✗ • 来访" in done.stdout.decode("gb18030")
    assert "来访".encode("gbk") in done.stdout  # a GBK reader reads its Chinese as before
    done = subprocess.run([*dutyctl_command, "--root", str(workspace.root), "show",
                           "Muñoz-1"], capture_output=True, env=env, stdin=subprocess.DEVNULL)
    said = done.stderr.decode("gb18030")
    assert done.returncode == 2 and "“Muñoz-1”不是编号" in said and "Traceback" not in said


def test_console_bytes_says_what_the_console_lacks_by_a_stand_in():
    """What write_out falls back to where the stream is not the launcher's (a GBK stream):
    the whole text was UTF-8."""
    from dutyctl.safetext import console_bytes

    assert console_bytes("达标 ✗ Muñoz ✓", "gbk").decode("gbk") == "达标 × Mu?oz √"
    assert console_bytes("✓ ñ", "latin-1") == "? ñ".encode("latin-1")  # no √ in Latin-1
    assert console_bytes("张三", "ascii") == "张三".encode("utf-8")  # no locale: UTF-8 as before
