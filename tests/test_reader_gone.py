"""The reader of stdout leaving early (`dutyctl list | head`): one quiet exit code, and what
the command saved stays saved. Through the installed program: pipes are the process's own."""

from __future__ import annotations

import os
import subprocess

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

