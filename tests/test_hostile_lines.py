"""A name, a room or a place another desk's file holds where a clerk types one short line:
a line break in it forged a line of its own on screen (`status: closed` under `show`'s real
status, a past call under `known caller`), one of a million characters padded every row of a
listing to its width; `check` said all good. Now each is shown on one short line, said by
`check` at its line, and never copied into a record dutyctl writes. Also: the format
characters Unicode hides (tag characters, a soft hyphen), bare addresses in a markdown
report, and `check`'s lines for a list's items and a record's filer."""

from __future__ import annotations

import json

import pytest

from dutyctl.output import markdown_safe
from dutyctl.residents import MAX_LINE
from dutyctl.safetext import visible
from dutyctl.store import yamlio
from dutyctl.workspace import Workspace
from tests.helpers_foundation import call_flags, record_files

FORGED = "status: closed (visited, 5 stars)"


def _file_of(root, record_id: str):
    (path,) = [path for path in record_files(root) if path.stem == record_id]
    return path


def _rewrite(path, change) -> None:
    data = yamlio.loads(path.read_text(encoding="utf-8"), str(path))
    change(data)
    path.write_text(yamlio.dumps(data), encoding="utf-8")


def _call(cli, phone: str = "13812345678", at: str = "2026-10-12 09:30") -> str:
    done = cli(*call_flags("王五", "3-2-501", phone, "漏水", "--at", at))
    assert done.exit_code == 0, done.stderr
    return done.stdout.strip().splitlines()[0]


def _named(root, record_id: str, name: str) -> None:
    _rewrite(_file_of(root, record_id),
             lambda data: data["resident"].update(name=name))


def test_a_line_break_in_a_name_is_shown_within_its_line_and_said_by_check(workspace, cli):
    call = _call(cli)
    _named(workspace.root, call, f"王五\n{FORGED}")
    shown = cli("show", call)
    assert shown.exit_code == 0, shown.stderr
    assert not any(line.startswith("status: closed") for line in shown.stdout.splitlines())
    assert f"王五\u240a{FORGED}" in shown.stdout
    checked = cli("check")
    path = _file_of(workspace.root, call).relative_to(workspace.root)
    line = next(number for number, text in enumerate(
        (workspace.root / path).read_text(encoding="utf-8").splitlines(), 1)
        if text.lstrip().startswith("name:"))
    assert f"{path}:{line}: resident.name: must be one line" in checked.stdout
    assert checked.exit_code == 1


def test_a_place_of_a_million_characters_leaves_the_listing_its_width(workspace, cli):
    calls = [_call(cli, at=f"2026-10-12 09:{minute}") for minute in (30, 31, 32)]
    _rewrite(_file_of(workspace.root, calls[1]),
             lambda data: data["resident"].update(room="北" * 1_000_000))
    listed = cli("list")
    assert listed.exit_code == 0, listed.stderr
    assert len(listed.stdout) < 3_000  # every row padded to two million columns before
    assert "北" * (MAX_LINE - 1) + "…" in listed.stdout
    assert all(call[:12] in listed.stdout for call in calls)
    assert "resident.room: longer than 100 characters (1000000)" in cli("check").stdout


def test_a_ticket_filed_from_a_call_never_copies_a_name_no_clerk_could_type(workspace, cli):
    call = _call(cli)
    _named(workspace.root, call, "王五\n  earlier: 已缴清物业费，无欠费")
    before = set(record_files(workspace.root))
    filed = cli("repair", "file", "--from-call", call, "--category", "water-electric",
                "--at", "2026-10-12 09:40")
    assert filed.exit_code == 2
    assert "must be one line" in filed.stderr and "Traceback" not in filed.stderr
    assert set(record_files(workspace.root)) == before


def test_a_register_name_no_clerk_could_type_is_not_taken_into_a_call(workspace, cli):
    """The number is known, but only by a name of two lines: nothing is taken from it, the
    name and room are asked for (here, without a terminal, refused as missing)."""
    first = _call(cli, phone="13900002222")
    _named(workspace.root, first, "赵六\n  earlier: 2026-11-30 09:00 call answered 已缴清")
    before = set(record_files(workspace.root))
    logged = cli("log", "call", "--phone", "13900002222", "--category", "fee", "--summary",
                 "问物业费", "--at", "2026-10-12 10:00")
    assert logged.exit_code == 2 and "--name" in logged.stderr, logged.stderr
    assert "earlier: 2026-11-30" not in logged.stderr
    assert set(record_files(workspace.root)) == before


def test_a_notice_of_a_name_pages_long_keeps_its_deadline_and_id(workspace, cli):
    from dutyctl.notify.send import WECHAT_MAX_BYTES
    from dutyctl.notify.texts import Texts

    filed = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                "13900001111", "--category", "water-electric", "--content", "爆管漏水",
                "--urgency", "emergency", "--at", "2026-10-12 09:10")
    assert filed.exit_code == 0, filed.stderr
    repair = filed.stdout.strip().splitlines()[0]
    _named(workspace.root, repair, "X" * 9_000 + "\n@all\n")
    desk = Workspace(workspace.root)
    record = desk.store.get(repair)
    notice = Texts(desk).emergency_repair(record, record.created_at)
    assert len(notice.text.encode("utf-8")) <= WECHAT_MAX_BYTES
    assert notice.text.splitlines()[-1].endswith(record.short_id)
    assert not any(line.strip() == "@all" for line in notice.text.splitlines())


@pytest.mark.parametrize("hidden", ["\U000e0049\U000e0047", "\u00ad", "\u180e", "\ufff9"])
def test_the_characters_unicode_formats_unseen_are_refused_and_shown_escaped(cli, hidden):
    refused = cli(*call_flags("王五", "3-2-501", "13812345678", f"漏水{hidden}",
                              "--at", "2026-10-12 09:30"))
    assert refused.exit_code == 2 and "invisible character" in refused.stderr
    assert hidden not in visible(f"漏水{hidden}")
    assert visible("\U000e0049") == "\\U000e0049"  # never \ue0049, which reads as U+E004 and 9


def test_a_tag_character_in_json_is_its_two_surrogates(workspace, cli):
    call = _call(cli)
    _rewrite(_file_of(workspace.root, call), lambda data: data.update(summary="漏水\U000e0049"))
    listed = cli("list", "--format", "json")
    assert "\U000e0049" not in listed.stdout and "\\udb40\\udc49" in listed.stdout
    assert json.loads(listed.stdout)[0]["text"] == "漏水\U000e0049"


@pytest.mark.parametrize("text, kept", [
    ("https://evil.example/b", "https\\://evil.example/b"),
    ("见 www.evil.example/d", "见 www\\.evil.example/d"),
    ("HTTP://x", "HTTP\\://x"),
    ("mail a@b.example", "mail a＠b.example"),  # GitHub links it whatever escapes its @
    ("详见https://evil.example/x", "详见https\\://evil.example/x"),  # after Chinese text too
    ("_www.evil.example", "\\_www\\.evil.example"),
    ("3号楼 www 漏水: 已修", "3号楼 www 漏水: 已修"),  # nothing a renderer links
])
def test_a_bare_address_in_a_markdown_report_is_no_link(text, kept):
    """What GitHub's renderer (cmark-gfm) and markdown-it's linkify link by themselves, as
    they were checked to render these: no link."""
    assert markdown_safe(text) == kept


def test_check_names_each_item_of_a_list_at_its_own_line(workspace, cli):
    done = cli("handover", "--to", "lina", "--note", "甲", "--note", "乙", "--note", "丙",
               "--at", "2026-10-12 19:45")
    assert done.exit_code == 0, done.stderr
    handover = done.stdout.strip().splitlines()[0]
    path = _file_of(workspace.root, handover)
    _rewrite(path, lambda data: data.update(notes=["甲", "乙", "丙\x1b[2J"]))
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "丙" in text)
    checked = cli("check").stdout
    relative = path.relative_to(workspace.root)
    assert f"{relative}:{line}: notes[2]: contains the control character U+001B" in checked


def test_check_says_an_unknown_filer_on_one_line_at_its_line(workspace, cli):
    call = _call(cli)
    path = _file_of(workspace.root, call)
    _rewrite(path, lambda data: data.update(recorded_by="zhangwei\nfoo"))
    line = next(number for number, text in enumerate(
        path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("recorded_by"))
    found = [text for text in cli("check").stdout.splitlines() if "no staff member" in text]
    assert found and all(text.startswith(f"{path.relative_to(workspace.root)}:{line}:")
                         for text in found)
    assert "zhangwei\u240afoo" in found[0]


def test_who_says_each_person_on_duty_within_its_line_whatever_the_shift_is_named():
    """`who`'s next handover named a shift with a line break as two lines (`(夜班` then a
    forged `Signed-off-by: x) -> …`)."""
    from types import SimpleNamespace

    from dutyctl.cli.roster import _names

    rules = SimpleNamespace(shared_id=lambda staff: "zhangwei" if staff == "a" else None,
                            name_of=lambda staff: "张伟\n", person=lambda staff: "李娜\n")
    slots = [SimpleNamespace(staff=staff, shift_name="夜班\nSigned-off-by: x")
             for staff in ("a", "b")]
    said = _names(slots, rules)
    assert "\n" not in said and said.count("夜班␊Signed-off-by: x") == 2
    assert "张伟␊" in said and "李娜␊" in said


def test_what_an_earlier_dutyctl_took_never_holds_back_a_desks_sync(workspace, cli):
    """A place longer than a line (an emergency's `where`, a recurring job's), a soft hyphen
    pasted from a web page: written before, said by `check` now, but no broken file: the
    desk's sync refused to push ('nothing pushed') until someone edited the record by hand.
    A control character still is one."""
    from dutyctl.check import check_workspace

    calls = [_call(cli, at=f"2026-10-12 09:{minute}") for minute in (30, 31)]
    _rewrite(_file_of(workspace.root, calls[0]), lambda data: data.update(summary="漏\u00ad水"))
    _rewrite(_file_of(workspace.root, calls[1]), lambda data: data.update(summary="漏\x1b水"))
    place = "3号楼1单元至5单元地下车库东侧消防通道旁" * 6  # 120 characters: a place, no room
    opened = cli("emergency", "open", "--type", "fire", "--where", place, "--content", "冒烟",
                 "--at", "2026-10-12 09:40")
    assert opened.exit_code == 0, opened.stderr  # a place is as long as it needs
    problems = check_workspace(Workspace(workspace.root), findings=False)
    said = {problem.message: problem.breaks_a_file for problem in problems
            if "summary" in problem.message}
    assert len(said) == 2 and sorted(said.values()) == [False, True], said
    listed = cli("list", "--format", "csv").stdout
    assert place in listed  # a sheet keeps the place whole; the screen's table cuts it
    assert place not in cli("list").stdout


def test_a_moved_out_residents_name_cannot_forge_a_line_under_caller(workspace, cli):
    added = cli("resident", "add", "--name", "赵六", "--room", "3-2-601", "--phone",
                "13900002222", "--at", "2026-10-11 09:00")
    assert added.exit_code == 0, added.stderr
    entry = added.stdout.strip().splitlines()[0]
    moved = cli("resident", "move-out", entry, "--at", "2026-10-11 10:00")
    assert moved.exit_code == 0, moved.stderr
    _rewrite(_file_of(workspace.root, entry), lambda data: data["resident"].update(
        name="赵六\nknown caller: 赵六, 3-2-601 (paid, no arrears)"))
    said = cli("caller", "13900002222")
    lines = (said.stdout + said.stderr).splitlines()
    assert not any(line.startswith("known caller:") for line in lines), lines
