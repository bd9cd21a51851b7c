"""Files that arrive through git (another desk, a hand edit, a broken machine) are read with
bounds: no symlink, FIFO or device is opened, no alias bomb is expanded, one broken file
reports a bounded number of problems, and no write follows a symlink out of the workspace."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from dutyctl import errors

from dutyctl.store import yamlio
from dutyctl.errors import InputError
from dutyctl.workspace import Workspace
from tests.conftest import run_dutyctl
from tests.helpers_foundation import call_flags, record_files, without_waiting_on

ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def bomb_lines(indent: str = "") -> str:
    """The billion laughs as the value of key `bomb` (9**9 strings written out)."""
    lines = ["bomb:", '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(indent + line for line in lines) + "\n"


def log(cli, at: str = "2026-10-12 09:30", *extra: str) -> str:
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "漏水", "--at", at, *extra))
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip().splitlines()[0]


def day(root: Path, when: str = "2026/10/12") -> Path:
    return root / "records" / when


# -- the reader --------------------------------------------------------------------------------


def test_a_symlink_is_refused_without_being_followed(tmp_path):
    link = tmp_path / "record.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="symbolic link"):
        yamlio.load(link)


def test_a_fifo_and_a_device_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        without_waiting_on(fifo, lambda: yamlio.load(fifo))
    with pytest.raises(InputError, match="device"):
        yamlio.load(Path("/dev/zero"))


def test_a_file_over_the_size_cap_is_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 100 + b"\n")
    assert yamlio.read_bytes(big, limit=200)
    with pytest.raises(InputError, match="larger than"):
        yamlio.read_bytes(big, limit=50)


def test_an_alias_bomb_is_refused_before_it_is_expanded():
    with pytest.raises(InputError, match="aliases are expanded") as caught:
        yamlio.loads(ALIAS_BOMB, "x.yaml")
    assert caught.value.problem.line is not None


def test_an_alias_that_contains_itself_is_refused():
    with pytest.raises(InputError, match="refers to itself"):
        yamlio.loads("a: &x [1, *x]\n", "x.yaml")


@pytest.mark.parametrize("text", ["a: &x [1,*x]\n", "a: &x [1,\t*x]\n", 'a: &x {"k":*x}\n',
                                  "a: &x {?*x : 1}\n", "a: &x [1,\n*x]\n",
                                  "--- &x\n- *x\n", "a: &x [1, [*x]]\n"])
def test_an_alias_wherever_yaml_lets_one_start_is_walked(text):
    """The walk that refuses alias bombs is skipped only for a '*' after a word character
    (yamlfull._MAY_ALIAS): an alias after a comma, a tab, a ':' or a '?' in flow, or opening
    a node is still found."""
    with pytest.raises(InputError, match="refers to itself"):
        yamlio.loads(text, "x.yaml")


def test_a_masked_phone_number_in_a_comment_is_no_reason_to_walk_the_nodes(monkeypatch):
    """The template of dutyctl.yaml says `138****5678` in a comment: parsing it (every
    command after an edit, every `check`) needs no walk of the node graph for aliases."""
    from importlib import resources

    from dutyctl import yamlfull

    def walked(root):
        raise AssertionError("walked for aliases")

    monkeypatch.setattr(yamlfull, "_check_size", walked)
    text = resources.files("dutyctl").joinpath("templates/dutyctl.yaml").read_text("utf-8")
    assert "138****5678" in text
    assert yamlio.loads(text, "dutyctl.yaml")["site"]
    with pytest.raises(AssertionError, match="walked"):
        yamlio.loads("a: &x 1\nb: *x  # 138****5678\n", "x.yaml")


def test_ordinary_anchors_and_merge_keys_still_load():
    data = yamlio.loads("base: &base {start: '08:00'}\nday:\n  <<: *base\n  end: '20:00'\n")
    assert data["day"] == {"start": "08:00", "end": "20:00"}


def test_an_encoding_error_names_its_line(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("a: 1\nb: 2\nc: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        yamlio.load(path, "x.yaml")
    assert str(caught.value).startswith("x.yaml:3: not UTF-8 text")


# -- commands on a workspace with such files ----------------------------------------------------


@pytest.mark.parametrize("command", [("list",), ("check",), ("report", "daily", "--date",
                                                                  "2026-10-12")])
def test_a_record_named_symlink_to_dev_zero_or_a_fifo_never_hangs_a_command(
        cli, workspace, dutyctl_command, command):
    log(cli)
    folder = day(workspace.root)
    (folder / "01M0000000000000000000000A.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "01M0000000000000000000000B.yaml")
    done = run_dutyctl(dutyctl_command, *command, root=workspace.root, timeout=60)
    said = done.stdout + done.stderr
    assert "2026/10/12/01M0000000000000000000000A.yaml: a symbolic link" in said
    assert "2026/10/12/01M0000000000000000000000B.yaml: not a plain file" in said
    assert done.returncode == (1 if command == ("check",) else 0), said


@pytest.mark.parametrize("indexed_first", [False, True])
def test_a_dangling_record_link_or_one_to_itself_is_said_not_skipped_in_silence(
        cli, workspace, indexed_first):
    """A link that leads nowhere or to itself stat()s as an error: the index's listing left it
    out without a word, where a link to a file was said. Now both are said as skipped."""
    log(cli)
    if indexed_first:
        assert cli("list").exit_code == 0
    folder = day(workspace.root)
    (folder / "01M0000000000000000000000A.yaml").symlink_to(folder / "nowhere.yaml")
    (folder / "01M0000000000000000000000B.yaml").symlink_to("01M0000000000000000000000B.yaml")
    listed = cli("list")
    assert listed.exit_code == 0, listed.output
    for name in ("01M0000000000000000000000A", "01M0000000000000000000000B"):
        assert f"skipped: records/2026/10/12/{name}.yaml: a symbolic link" in listed.stderr


def test_thousands_of_broken_files_are_said_in_a_screenful_on_every_command(cli, workspace):
    """Every command said a `skipped:` line for each broken file another desk pushed: five
    thousand lines buried the answer. Twenty are said, the rest counted in one line."""
    from dutyctl.cli.session import SKIPPED_SAID

    record_id = log(cli)
    folder = day(workspace.root)
    for number in range(SKIPPED_SAID + 15):
        (folder / f"01M00000000000000000000{number:03d}.yaml").write_text("a: [\n",
                                                                        encoding="utf-8")
    listed = cli("list")
    assert listed.exit_code == 0 and record_id[:12] in listed.stdout, listed.output
    lines = listed.stderr.splitlines()
    assert len(lines) == SKIPPED_SAID + 1, lines
    assert all(line.startswith("skipped: records/2026/10/12/") for line in lines[:-1])
    assert lines[-1] == ("skipped: 15 more files that cannot be read ('dutyctl check' lists "
                         "every one)")
    check = cli("check")
    assert check.stdout.count("records/2026/10/12/01M0000000000000000000") == SKIPPED_SAID + 15


def test_check_reports_links_and_fifos_anywhere_in_the_shared_folders(cli, workspace):
    log(cli)
    (workspace.root / "rosters" / "2026-10.yaml").symlink_to("/etc/passwd")
    os.mkfifo(day(workspace.root) / "notes.txt")
    result = without_waiting_on(day(workspace.root) / "notes.txt", lambda: cli("check"))
    assert result.exit_code == 1
    assert "rosters/2026-10.yaml: a symbolic link" in result.stdout
    assert "records/2026/10/12/notes.txt: not a plain file" in result.stdout


@pytest.mark.parametrize("args", [("check",), ("roster", "check")])
def test_a_roster_linked_to_itself_is_said_beside_a_good_roster(cli, workspace, args, clock):
    """Checking a roster compares the other roster files with it by their real paths:
    Path.resolve raised RuntimeError ('Symlink loop') on a file linked to itself, and the
    check ended in 'unexpected error', exit 3, instead of naming the link; said once, though
    the good roster's check, which compares it with its neighbours, meets it too."""
    from tests.helpers_desk import october_site

    october_site(workspace.root)
    (workspace.root / "rosters" / "2026-11.yaml").symlink_to("2026-11.yaml")
    result = cli(*args)
    assert result.exit_code == 1, result.stderr
    assert "unexpected error" not in result.stdout + result.stderr
    assert result.stdout.count("rosters/2026-11.yaml: a symbolic link") == 1, result.stdout
    assert result.stderr == "1 problem\n"


@pytest.mark.parametrize("args", [("check",), ("roster", "check"),
                                  ("who", "--at", "2026-10-12 10:00")])
def test_a_roster_period_of_years_is_refused_at_its_line_unwalked(cli, workspace, args):
    """A roster from another desk whose period runs over years (1900-9998 made `check` grow
    without bound): refused at its line like a generation of that length, its days never
    walked."""
    from tests.helpers_desk import october_site

    roster = october_site(workspace.root)
    text = roster.read_text(encoding="utf-8")
    line = text[:text.index("period:")].count("\n") + 1
    roster.write_text(text.replace('to: "2026-10-31"', 'to: "2030-12-31"'), encoding="utf-8")
    result = cli(*args)
    assert result.exit_code in (1, 2), result.output
    said = f"rosters/2026-10.yaml:{line}: period.to: a roster covers at most 400 days"
    assert said in result.stdout + result.stderr


def test_a_roster_file_named_for_years_is_no_period(cli, workspace):
    """The same span in a file's name: no roster period, said as a name to change."""
    from tests.helpers_desk import october_site

    roster = october_site(workspace.root)
    text = roster.read_text(encoding="utf-8").replace('to: "2026-10-31"', 'to: "2030-12-31"')
    (roster.parent / "2026-10-01_2030-12-31.yaml").write_text(text, encoding="utf-8")
    roster.unlink()
    result = cli("roster", "check")
    assert result.exit_code == 1, result.output
    assert ("rosters/2026-10-01_2030-12-31.yaml: a roster covers at most 400 days: not a roster "
            "file name") in result.stdout


def test_an_alias_bomb_in_an_event_is_reported_and_show_stays_small(cli, workspace):
    record_id = log(cli, "2026-10-12 09:30", "--callback-by", "17:00")
    done = cli("callback", "done", record_id, "--note", "已回电", "--at", "2026-10-12 10:00")
    assert done.exit_code == 0, done.stderr
    (event,) = [path for path in record_files(workspace.root) if path.name.count(".") == 2]
    event.write_text(event.read_text(encoding="utf-8") + bomb_lines(), encoding="utf-8")
    check = cli("check")
    assert check.exit_code == 1
    assert f"{event.relative_to(workspace.root)}:" in check.stdout
    assert "aliases are expanded" in check.stdout
    search = cli("search", "漏水")
    assert "aliases are expanded" in search.stderr
    assert len(search.stdout) < 10_000


def test_an_alias_bomb_as_a_staff_name_blocks_neither_logging_nor_check(cli, workspace):
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("staff:\n", "staff:\n  - id: bomber\n    name:\n"
                                  + bomb_lines("      "), 1), encoding="utf-8")
    assert log(cli)
    check = cli("check")
    assert check.exit_code == 1
    assert "rosters/rules.yaml:" in check.stdout and "aliases are expanded" in check.stdout


def test_one_file_with_many_problems_reports_a_bounded_few(cli, workspace):
    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    path.write_text(path.read_text(encoding="utf-8")
                    + "".join(f"junk{number}: x\n" for number in range(80)), encoding="utf-8")
    listed = cli("list")
    assert listed.exit_code == 0
    lines = [line for line in listed.stderr.splitlines() if record_id in line]
    cap = errors.MAX_PROBLEMS_PER_FILE
    assert len(lines) == cap + 1
    assert lines[-1].endswith(f"and {80 - cap} more problems in this file")


@pytest.mark.parametrize("text", [
    "id: x\nkind: call\n" + "".join(f"junk{number}: x\n" for number in range(3000)),
    "site:\n" + "".join(f"  junk{number}: x\n" for number in range(3000)),
])
def test_keys_past_the_cap_are_counted_not_worded(text):
    """Each unknown key said gets a spelling guess (difflib): a record of 200,000 made-up keys
    (2 MB, under the size cap) kept every command of the desk busy for a minute of CPU, to
    word 199,980 problems the cap then dropped. Past the cap the keys are only counted."""
    from dutyctl.config import parse_config
    from dutyctl.records import parse_record

    problems: list = []
    data = yamlio.loads(text, "x.yaml")
    if "site" in data:
        problems += parse_config(data, "x.yaml")[1]
    else:
        parse_record(data, "x.yaml", None, problems)
    assert len(problems) < 2 * errors.MAX_PROBLEMS_PER_FILE
    count = errors.problem_count(problems)  # the 3,000 keys and what the file lacks
    assert count >= 3000
    said = errors.by_file(problems)
    assert said[-1].message == f"... and {count - errors.MAX_PROBLEMS_PER_FILE} more problems " \
                               "in this file"


def test_many_mappings_each_with_unknown_keys_are_worded_only_up_to_the_cap(
        cli, workspace, monkeypatch):
    """The cap on unknown keys is per mapping; a rules file of 1,000 shifts, each with 20
    keys of its own, is 24,000 problems (the keys and the fields each lacks): past the
    file's cap the keys are counted, not given a spelling guess each (5,000 shifts: 10 s of
    difflib for a 780 KB file, to show 20 problems). What `check` says is the same as when
    every key is worded: the first 20, then the rest counted."""
    import difflib

    rules = workspace.root / "rosters" / "rules.yaml"
    keys = ", ".join(f"k{number}: 1" for number in range(20))
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "shifts:\n", "shifts:\n" + f"  - {{{keys}}}\n" * 1000, 1), encoding="utf-8")
    guesses = []
    close_matches = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches",
                        lambda *args, **kwargs: guesses.append(args[0])
                        or close_matches(*args, **kwargs))
    check = cli("check")
    assert check.exit_code == 1 and len(guesses) < 3 * errors.MAX_PROBLEMS_PER_FILE, guesses
    said = [line for line in check.stdout.splitlines() if line.startswith("rosters/rules.yaml")]
    assert said[0].startswith("rosters/rules.yaml:12: shifts[0].k0: unknown field "), said[0]
    assert said[-1] == "rosters/rules.yaml: ... and 23980 more problems in this file", said[-1]

    monkeypatch.setattr(errors, "said_enough", lambda problems, path, line: False)
    every_key_worded = cli("check")
    assert len(guesses) > 20_000 and every_key_worded.stdout == check.stdout


def test_keys_worded_past_the_cap_are_those_a_file_writes_first(cli, workspace, monkeypatch):
    """The rules are read shifts first; where staff is written above them, the staff's
    unknown keys come first in the file and are among the 20 said, though read after 40
    shifts' problems: they are worded (the look at the list's tail sees later lines, also
    behind the lines that stand for the shifts' keys only counted)."""
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    shifts, staff = text.index("\nshifts:\n") + 1, text.index("\nstaff:\n") + 1
    after = text.rindex("\n", staff, text.index("\nconstraints:", staff)) + 1
    people = text[staff:after].replace("\n  - id: ", "\n  - qq: 1\n    id: ", 3)
    # shifts right but for one key each: only their unknown keys are problems, so the counted
    # ones' "and N more" lines fill the list's tail (they stand at their shift's line)
    odd = "".join(f'  - {{id: s{number}, start: "09:00", end: "10:00", need: {{service: 1}}, '
                  f'zz{number}: 1}}\n' for number in range(40))
    rules.write_text(text[:shifts] + people + text[shifts:staff].replace(
        "shifts:\n", "shifts:\n" + odd, 1) + text[after:], encoding="utf-8")
    check = cli("check")
    said = [line for line in check.stdout.splitlines() if ": staff[" in line]
    assert [line.split(": ")[1] for line in said] == ["staff[0].qq", "staff[1].qq",
                                                     "staff[2].qq"], check.stdout
    monkeypatch.setattr(errors, "said_enough", lambda problems, path, line: False)
    assert cli("check").stdout == check.stdout


@pytest.mark.parametrize("field", ["id", "kind"])
def test_a_huge_value_quoted_by_a_problem_is_cut_to_one_short_line(cli, workspace, field):
    """A problem quotes the value it refuses ('…' is not a dutyctl id): a value of 200,000
    characters was said whole, 600 kB of stderr per command for one bad file."""
    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    text = path.read_text(encoding="utf-8")
    lines = [f"{field}: '{'长' * 200_000}'" if line.startswith(f"{field}:") else line
             for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for result in (cli("list"), cli("check")):
        said = [line for line in (result.stdout + result.stderr).splitlines()
                if path.name in line]
        assert len(said) == 1 and f"{field}: '长长" in said[0], said
        assert len(said[0]) < 2 * errors.MAX_MESSAGE
        assert "…" in said[0]


def test_only_a_problem_about_a_file_is_cut_and_then_to_at_most_its_limit():
    """A refusal of what was typed lists every choice (60 staff on a site: 1,700
    characters), each of which the clerk may need: only a file's problem is cut."""
    choices = ", ".join(f"员工{n:03} (member{n:03})" for n in range(60))
    typed = errors.InputError(f"unknown staff 'nobody'; choose one of: {choices}")
    assert str(typed).endswith(choices)
    from_file = errors.Problem("records/2026/10/12/x.yaml", 3, "id: '" + "长" * 5000 + "'")
    assert len(from_file.message) <= errors.MAX_MESSAGE
    assert from_file.message.startswith("id: '长") and from_file.message.endswith("长'")


def test_a_day_folder_that_is_a_symlink_takes_no_record_out_of_the_workspace(
        cli, workspace, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (workspace.root / "records" / "2026" / "10").mkdir(parents=True)
    day(workspace.root).symlink_to(outside)
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "漏水", "--at",
                             "2026-10-12 09:30"))
    assert result.exit_code == 3
    assert "records/2026/10/12: a symbolic link" in result.stderr
    assert list(outside.iterdir()) == []
    check = cli("check")
    assert "records/2026/10/12: a symbolic link" in check.stdout


def test_records_in_an_impossible_dated_folder_are_reported(cli, workspace):
    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    impossible = workspace.root / "records" / "2026" / "13" / "01"
    impossible.mkdir(parents=True)
    path.rename(impossible / path.name)
    check = cli("check")
    assert check.exit_code == 1
    assert "records/2026/13: not a date" in check.stdout
    assert "records/2026/13: not a date" in cli("list").stderr


def test_a_file_name_with_a_line_break_is_said_on_one_line(cli, workspace):
    """A file name another desk chose could start a line of its own in check's output (a
    forged finding): its line break is shown as ␊."""
    log(cli)
    (day(workspace.root) / "forged\nx: all good.yaml").write_text("a: 1\n", encoding="utf-8")
    out = cli("check").stdout
    assert not any(line.startswith("x: all good") for line in out.splitlines()), out
    assert "forged\u240ax: all good.yaml" in out, out


def test_a_file_name_that_is_not_utf8_stops_no_command(cli, workspace):
    """os.listdir keeps a name's bytes that are no UTF-8 as surrogates, which SQLite refuses:
    the record index stopped on such a file (`unexpected error (UnicodeEncodeError …)`, exit
    3) and with it list, search, the reports and `caller`. No record is named so: the
    listings pass it over, and `check` names it quoted, with those bytes as \\xNN."""
    record_id = log(cli)
    folder = os.fsencode(day(workspace.root))
    for name in (b"\xff\xfe.yaml", record_id[:12].encode() + b"\x9b.yaml"):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write("a: 1\n")
    for args, said in ((["list"], record_id[:12]), (["search", "漏水"], record_id[:12]),
                       (["report", "daily", "--date", "2026-10-12"], "1 records read"),
                       (["show", record_id[:12]], f"id: {record_id}")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert said in result.stdout, (args, result.stdout)
    check = cli("check")
    assert check.exit_code == 1
    for shown in ("\\xff\\xfe.yaml", f"{record_id[:12]}\\x9b.yaml"):
        assert f'"records/2026/10/12/{shown}": the file name is not UTF-8 text' in check.stdout


def test_list_says_a_file_name_that_is_not_utf8_with_the_index_as_without(cli, workspace):
    """The index keeps no such name (SQLite takes no surrogate) but a problem row of the
    folder's listing: `list` says it skipped the file as the reading of the files does, in a
    folder the index builds, one it reads again, and no longer once the file is renamed."""
    record_id = log(cli)
    folder = os.fsencode(day(workspace.root))
    said = 'skipped: "records/2026/10/12/\\xff\\xfe.yaml": the file name is not UTF-8 text'
    assert cli("list").stderr == ""  # the index is built
    bad = os.path.join(folder, b"\xff\xfe.yaml")
    with open(bad, "w", encoding="utf-8") as handle:
        handle.write("a: 1\n")
    listed = cli("list")  # the folder read again
    assert record_id[:12] in listed.stdout and said in listed.stderr, listed.stderr
    (workspace.root / ".dutyctl" / "index.sqlite3").unlink()
    rebuilt = cli("list")  # a folder the index builds
    assert said in rebuilt.stderr, rebuilt.stderr
    os.rename(bad, os.path.join(folder, b"fixed.yaml"))
    assert "not UTF-8" not in cli("list").stderr


def test_a_name_holding_a_backslash_is_quoted_apart_from_one_holding_a_byte(cli, workspace,
                                                                           clock):
    """A file literally named `…\\x9b.yaml` printed as a name holding the byte 9b is shown
    (\\xNN): both are quoted (errors.text_name), the backslash escaped, so `check` tells
    them apart, and `list` (the record index) keeps saying the readable one's problem."""
    record_id = log(cli)
    folder = os.fsencode(day(workspace.root))
    for name in (record_id[:12].encode() + b"\x9b.yaml", record_id[:12].encode() + b"\\x9b.yaml"):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write("a: 1\n")
    check = cli("check")
    assert check.exit_code == 1
    assert f'"records/2026/10/12/{record_id[:12]}\\x9b.yaml": the file name' in check.stdout
    literal = f'"records/2026/10/12/{record_id[:12]}\\\\x9b.yaml":'
    assert literal in check.stdout, check.stdout
    assert check.stderr == "6 problems\n"  # the name's, and five of the readable file's
    for _ in range(2):  # the second reads the index's stored problems again
        listed = cli("list").stderr
        assert f"skipped: {literal}" in listed and "the file name is not" in listed, listed
    # stored under the id its file's name gives, which a refresh of that file deletes
    db = sqlite3.connect(workspace.root / ".dutyctl" / "index.sqlite3")
    try:
        assert (f"{record_id[:12]}\\x9b",) in db.execute("SELECT rid FROM problems").fetchall()
    finally:
        db.close()


def test_record_files_follow_the_umask_so_a_shared_group_can_read_them(cli, workspace):
    old = os.umask(0o002)
    try:
        record_id = log(cli)
    finally:
        os.umask(old)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_check_names_the_line_of_an_encoding_error(cli, workspace):
    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    path.write_bytes(path.read_bytes() + "extra: caf\xe9\n".encode("latin-1"))
    lines = path.read_bytes().count(b"\n")
    check = cli("check")
    assert f"{path.relative_to(workspace.root)}:{lines}: not UTF-8 text" in check.stdout


def test_show_cuts_a_field_longer_than_any_dutyctl_writes_and_says_so(cli, workspace):
    """A hand-edited category of 200,000 characters is printed up to the front door's limit
    of one field (MAX_TEXT), then said cut with its length; the machine formats keep it."""
    from dutyctl.schema import MAX_TEXT

    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("category: consultation", "category: " + "长" * 200_000),
                    encoding="utf-8")
    shown = cli("show", record_id)
    assert shown.exit_code == 0, shown.stderr
    (line,) = [line for line in shown.stdout.splitlines() if line.startswith("category: ")]
    assert line == "category: " + "长" * MAX_TEXT + "… (cut: 200000 characters in all)"
    assert "summary: 漏水" in shown.stdout
    as_json = cli("show", record_id, "--format", "json")
    assert "长" * 200_000 in as_json.stdout


def test_a_quoted_name_past_the_cap_is_quoted_once(cli, workspace):
    """A problem made from another's path (the 'and N more' line of a capped file, an error
    named for the CLI, a problem copied by frozen.replace, a portfolio site's) showed the
    quoted name quoted again: `"\\"records/…/w\\\\\\\\v.yaml\\"": … and 10 more problems`."""
    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    junk = "".join(f"junk{number}: x\n" for number in range(30))
    path.with_name("w\\v.yaml").write_text(path.read_text("utf-8") + junk, encoding="utf-8")
    path.unlink()
    shown = '"records/2026/10/12/w\\\\v.yaml"'
    for command in ("check", "list"):
        said = cli(command)
        lines = [line for line in (said.stdout + said.stderr).splitlines() if "w\\" in line]
        assert lines and all(f"{shown}:" in line for line in lines), lines
        assert lines[-1].endswith("more problems in this file"), lines
    paths = {row["path"] for row in json.loads(cli("check", "--format", "json").stdout)}
    assert shown in paths  # the path as shown, quotes included (README, hostile files)


def test_a_problem_made_again_shows_its_file_as_before():
    from dutyctl.frozen import replace

    problem = errors.Problem("a\\b.yaml", 3, "bad")
    assert problem.path == '"a\\\\b.yaml"'
    assert replace(problem, breaks_a_file=False).path == problem.path
    error = InputError(lambda name: f"bad {name('reason')}", path="a\\b.yaml")
    assert error.naming(lambda value: "--why").problem.path == problem.path
    assert errors.more_problems(problem.listed, 4).path == problem.path


def test_on_windows_the_path_separator_is_no_reason_to_quote(monkeypatch, workspace):
    """Workspace.relative and Store.relative join with os.sep: on Windows every problem's
    path holds backslashes, and quoting each (a backslash was a reason to) said every
    file of every problem quoted, its separators doubled."""
    monkeypatch.setattr(os, "sep", "\\")
    path = workspace.relative(f"{workspace.root}\\records\\2026\\10\\12\\a.yaml")
    assert path == "records\\2026\\10\\12\\a.yaml"
    assert errors.Problem(path, 1, "bad").path == path
    untext = errors.Problem("records\\2026\\10\\12\\\udcff.yaml", None, "bad")
    assert untext.path == '"records\\\\2026\\\\10\\\\12\\\\\\xff.yaml"'  # quoted for its byte
    assert errors.listed_name(untext.path) == untext.listed
    assert errors.listed_name(path) == path


@pytest.mark.parametrize("linked", [True, False])
def test_a_help_screen_never_opens_a_fifo_as_dutyctl_yaml(workspace, tmp_path, linked):
    """A linked dutyctl.yaml marks the workspace (reading it says what is wrong): the help
    screens' and completion's look for site.language read it with open(), which follows the
    link, and a FIFO there blocked the help screen for ever."""
    import subprocess
    import sys

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    config = workspace.root / "dutyctl.yaml"
    config.unlink()
    if linked:
        config.symlink_to(fifo)
    else:
        os.mkfifo(config)
    code = ("import sys; from dutyctl.launcher import _site_language; "
            "from dutyctl.workspace import site_language_hint; "
            "print(site_language_hint(sys.argv[1]), _site_language(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-c", code, str(workspace.root)], timeout=15,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.stdout == "None None\n", done.stderr


#: what a file name another desk chose may hold: bidi, zero-width, C0 and C1 controls, line
#: breaks, a backslash, a double quote, a control picture, bytes that are no UTF-8
HOSTILE = "\u202e\u200b\u2028\x1b\x9b\n\t\\\"\u241bax\udcff\udc9b"


def test_the_index_says_a_hostile_file_name_as_the_files_do(cli, workspace):
    """The index found the record of a stored problem row by working it back out of the
    path as shown (errors.listed_name), which undoes the quoting but not safetext's escapes:
    a file named `<id>\\u202e.yaml`, `<id>\\u200b.yaml`, `<id>\\x1b.yaml` or `<id>\\n.yaml`
    was said skipped by reading the files, and not at all by `list` with the index."""
    log(cli)
    folder = os.fsencode(day(workspace.root))
    stem = "01M0000000000000000000000C"

    def problems(with_index: bool) -> list[str]:
        store = Workspace(workspace.root).store
        try:
            found = store.index.query().problems if with_index else store.scan().problems
        finally:
            store.close()
        return sorted(map(str, found))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(alphabet=HOSTILE, min_size=1, max_size=4))
    @example("\u202e")
    @example("\u200b")
    @example("\x1b")
    @example("\n")
    @example("\\")
    def agree(tail: str) -> None:
        path = os.path.join(folder, os.fsencode(stem + tail + ".yaml"))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("a: 1\n")
        try:
            said = problems(with_index=False)
            assert said, tail
            assert problems(with_index=True) == said  # the folder read again
            (workspace.root / ".dutyctl" / "index.sqlite3").unlink()
            assert problems(with_index=True) == said  # the index built
        finally:
            os.unlink(path)

    agree()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=HOSTILE + "/.", max_size=12))
def test_a_name_made_text_is_given_back_as_listed(name):
    """What the index stores of a problem's path (text_name: SQLite takes no surrogate) is
    the path as listed again (listed_name), whatever the name holds."""
    assert errors.listed_name(errors.text_name(name)) == name
    assert not errors.undecodable_name(errors.text_name(name))


def test_a_second_roster_for_the_same_days_is_said_never_counted_twice(cli, workspace):
    """A copy of the month's roster under a range's name (another desk's commit): `who` listed
    everyone twice and `attendance` doubled every rostered shift and absence, with nothing
    said. Now both rosters are named, as for a roster that cannot be read."""
    from tests.helpers_desk import october_site

    roster = october_site(workspace.root)
    copy = roster.with_name("2026-10-01_2026-10-31.yaml")
    copy.write_text(roster.read_text(encoding="utf-8"), encoding="utf-8")
    said = ("rosters/2026-10.yaml: overlaps rosters/2026-10-01_2026-10-31.yaml: two rosters "
            "for the same days")
    for args in (("who", "--at", "2026-10-05 10:00"), ("attendance", "--month", "2026-10"),
                 ("report", "daily", "--date", "2026-10-05"), ("roster", "stats", "--month",
                                                                 "2026-10")):
        refused = cli(*args)
        assert refused.exit_code == 2 and said in refused.stderr.splitlines(), (args,
                                                                               refused.output)
        assert refused.stdout == ""
    check = cli("check")
    assert check.exit_code == 1 and said in check.stdout
    # the copy's own period is the month its name spells as a range: said as such, never
    # "the file name says 2026-10-01_2026-10-31 but period says 2026-10-01..2026-10-31"
    assert ("rosters/2026-10-01_2026-10-31.yaml:1: period: a whole month: its roster file is "
            "named 2026-10.yaml") in check.stdout, check.stdout


def test_a_roster_line_outside_its_period_is_said_with_its_year(cli, workspace):
    """A line dated 9999-12-31 in October's roster was said as `Fri 12-31 …: outside the
    roster period`, a day that reads as inside it; the year is said. A night shift on that day
    ended every command reading the roster in an OverflowError."""
    from tests.helpers_desk import october_site

    roster = october_site(workspace.root)
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text.replace('{date: "2026-10-31", shift: night',
                                   '{date: "9999-12-31", shift: night', 1), encoding="utf-8")
    checked = cli("roster", "check")
    assert checked.exit_code == 1, checked.output
    assert "Fri 9999-12-31" in checked.stdout and "outside the roster period" in checked.stdout
    # (its night shift would end after the last day there is): no command counts it
    for args in (("roster", "check"), ("check",), ("who", "--at", "2026-10-12 10:00"),
                 ("attendance", "--month", "2026-10"), ("roster", "stats", "--month", "2026-10")):
        done = cli(*args)
        assert "unexpected error" not in done.output and done.exit_code in (0, 1), (args,
                                                                                  done.output)
