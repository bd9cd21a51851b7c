"""Outputs made from files another desk wrote: the roster workbook with a shift name holding
control characters, commit messages made from names in the rules and labels in dutyctl.yaml,
and a record index damaged (or made by something else) past its first pages."""

from __future__ import annotations

import sqlite3
import subprocess

import openpyxl
import pytest

from tests.helpers_desk import october_site
from tests.test_hostile_text import RAW, assert_clean, log

ESCAPES = "\\e]0;x\\a\\u202e"  # as YAML writes them in double quotes: OSC title, BEL, RLO


def test_a_shift_name_with_control_characters_still_exports_the_roster_workbook(
        cli, workspace, tmp_path):
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("name: 白班", f'name: "白班{ESCAPES}"'), encoding="utf-8")
    target = tmp_path / "roster.xlsx"
    result = cli("roster", "export", "--format", "xlsx", "--month", "2026-10", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    grid = openpyxl.load_workbook(target).worksheets[0]
    cells = [cell.value for row in grid.iter_rows() for cell in row if cell.value]
    shown = "白班␛]0;x␇\\u202e"
    assert shown in cells  # a day 张伟 worked, as the cell shows it
    totals = [value for value in cells if str(value).startswith("=COUNTIF")]
    assert totals and all(not RAW.search(value) for value in totals)
    assert any(f'"*{shown}*"' in value for value in totals)  # counts the cells as they read


def git_messages(root) -> str:
    return subprocess.run(["git", "-C", str(root), "log", "--format=%an%n%B"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.auto_commit
def test_commit_messages_show_names_and_labels_from_shared_files_escaped(cli, workspace):
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("name: 张伟", f'name: "张伟{ESCAPES}"'), encoding="utf-8")
    config = workspace.root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("consultation: 咨询", f'consultation: "咨询{ESCAPES}"', 1),
                      encoding="utf-8")
    subprocess.run(["git", "-C", str(workspace.root), "commit", "-qam", "shared files"],
                   check=True)
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    log(cli, "--category", "consultation")
    messages = git_messages(workspace.root)
    assert "张伟␛]0;x␇\\u202e" in messages and "咨询␛]0;x␇\\u202e" in messages
    assert_clean(messages.replace("\n", " "))


def test_an_index_damaged_past_its_first_pages_is_built_again_not_a_stop(cli, workspace):
    record_id = log(cli)
    assert cli("list").exit_code == 0  # the index is built
    (index,) = workspace.root.glob(".dutyctl/index.sqlite3")
    db = sqlite3.connect(index)  # a table the version and folder checks never look at
    db.executescript("DROP TABLE records; CREATE TABLE records (x);")
    db.close()
    for args in (["list"], ["search", "漏水"], ["show", record_id]):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert record_id[:12] in result.stdout
