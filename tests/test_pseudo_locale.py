"""A pseudo-locale: every catalogue message with its letters made full-width (ａｂｃ). Whatever
ASCII word is left on screen did not go through the catalogue: only names of commands, data
(staff ids beside their names) and a few values people type may remain."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutyctl import messages
from tests.sources import extracted

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"
WORD = re.compile(r"(?<![-\w$./<'])[A-Za-z][a-z]{2,}(?![\w./>'])")
TYPED_VALUES = {"all", "origin", "table", "text", "ics", "date", "root",
                "folder", "period"}  # typed values, CliRunner; {folder}: a --link pattern


def full_width(text: str) -> str:
    return "".join(part if part.startswith("{") else
                   "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c
                           for c in part)
                   for part in re.split(r"(\{[^{}]*\})", text))


@pytest.fixture(scope="module")
def pseudo_catalogue() -> bytes:
    """The compiled pseudo-locale catalogue (extracted from the sources once for the module)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="zh_CN", fuzzy=False)
    for message in extracted():  # the messages the other source checks extracted already
        if message.id:
            catalog.add(message.id, context=message.context,
                        string=(tuple(full_width(x) for x in message.id)
                                if isinstance(message.id, tuple) else full_width(message.id)))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


@pytest.fixture
def pseudo(monkeypatch, tmp_path, pseudo_catalogue):
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "dutyctl.mo").write_bytes(pseudo_catalogue)
    monkeypatch.setattr(messages, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(messages, "_loaded", {})
    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo)
    return demo


def english_left(args, root) -> set[str]:
    from dutyctl.cli import app

    result = CliRunner().invoke(app, ["--lang", "zh_CN", "--root", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return set(WORD.findall(result.stdout + result.stderr))


def test_no_literal_english_in_help_screens(pseudo):
    from dutyctl.commands import COMMANDS

    allowed = set(TYPED_VALUES)
    left = english_left(["--help"], pseudo)
    for name in COMMANDS:
        shown = english_left([name, "--help"], pseudo)
        allowed |= set(name.split())
        left |= shown
    from dutyctl.cli import app
    from typer.main import get_command

    group = get_command(app)
    for name in COMMANDS:
        command = group.get_command(None, name)
        # a sub-command's name is typed as it is, each part of move-out too
        subs = command.list_commands(None) if hasattr(command, "list_commands") else ()
        allowed |= {part for sub in subs for part in (sub, *sub.split("-"))}
        for sub in subs:
            left |= english_left([name, sub, "--help"], pseudo)
    assert left - allowed == set()


def test_no_literal_english_in_reports_and_listings(pseudo):
    from dutyctl.people import staff_ids
    from dutyctl.workspace import Workspace

    staff = set(staff_ids(Workspace(pseudo)) or ())
    left = set()
    for args in (("report", "daily", "--date", "2026-11-20"),
                 ("report", "weekly", "--week", "2026-W47"), ("list", "--open"),
                 ("who", "--at", "2026-11-20 10:00"), ("roster", "show", "--month", "2026-11"),
                 ("attendance", "--month", "2026-11"), ("callback", "list"),
                 ("handover", "pending"), ("search", "漏水")):
        left |= english_left(args, pseudo)
    assert left - staff - TYPED_VALUES == set()
