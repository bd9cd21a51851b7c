"""One channel for what the core says on the side (dutyctl.notices): warnings and skipped files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dutyctl import gitsync, notices
from dutyctl.errors import Problem
from tests.sources import syntax_tree

PACKAGE = Path(__file__).resolve().parent.parent / "dutyctl"


def test_a_listener_hears_warnings_and_skipped_files_in_order(capsys):
    heard = []
    with notices.listening(heard.append):
        notices.warn("roster unreadable")
        notices.skipped(Problem("records/x.yaml", 3, "bad"))
    assert [(n.text, n.problem) for n in heard] == [
        ("roster unreadable", None),
        ("records/x.yaml:3: bad", Problem("records/x.yaml", 3, "bad"))]
    assert capsys.readouterr().err == ""


def test_without_a_listener_warnings_go_to_stderr_and_skipped_files_wait(capsys):
    notices.drain_skipped()
    notices.warn("git commit failed")
    notices.skipped(Problem("a.yaml", None, "bad"))
    notices.skipped(Problem("a.yaml", None, "bad"))
    assert capsys.readouterr().err == "git commit failed\n"
    assert notices.drain_skipped() == [Problem("a.yaml", None, "bad")]
    assert notices.drain_skipped() == []


def test_the_store_tells_the_channel_what_it_read_around(workspace):
    misplaced = workspace.root / "records" / "2026" / "notadate"
    misplaced.mkdir(parents=True)
    heard = []
    with notices.listening(heard.append):
        workspace.store.scan()
        workspace.store.scan()  # each file once
    assert [n.problem.path for n in heard] == ["records/2026/notadate"]


@pytest.mark.auto_commit
def test_a_core_warning_reaches_the_command_line_on_stderr(cli, monkeypatch):
    monkeypatch.setattr(gitsync, "_add_and_commit",
                        lambda *args, **kwargs: gitsync._warn("fatal: disk on \x1b[31mfire"))
    said = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", "物业费", "--at", "2026-10-05 09:00")
    assert said.exit_code == 0, said.stderr
    lines = said.stderr.splitlines()
    assert any(line.startswith("dutyctl: git commit failed, records saved but not committed: "
                               "git said: fatal: disk on") for line in lines), said.stderr
    assert "\x1b" not in said.stderr  # said through the CLI's echo, which shows text safely


def test_no_core_module_prints():
    printing = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                if "cli" not in path.relative_to(PACKAGE).parts and path.name != "notices.py"
                and any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "print"
                        for node in ast.walk(syntax_tree(path)))]
    assert printing == []
