"""Another desk's files, as a git pull brings them, at a desk's everyday commands: YAML tags,
nesting thousands deep, control characters and bad bytes are said at their line in the
desk's language; a rules file of a hundred thousand broken entries prints a screenful; an
unreadable roster does not stop `check` from checking the rest; a record id held by files in
two day folders is found (a listing shows one of them, `show` neither)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from dutyctl import errors
from dutyctl.errors import InputError, Problem
from dutyctl.roster import rules as roster_rules
from dutyctl.rulesfile import MAX_RULES_BYTES
from dutyctl.store import yamlio
from tests.conftest import run_dutyctl
from tests.helpers_foundation import call_flags, record_files


def log(cli, at: str = "2026-10-12 09:30") -> str:
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "漏水", "--at", at))
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip().splitlines()[0]


def record_file(root, record_id: str):
    (path,) = [path for path in record_files(root) if path.stem == record_id]
    return path


# -- the reader --------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!binary aGk=",
                                 "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]",
                                 "!custom 3", "!<tag:example.com,2026:x> 3"])
def test_a_yaml_tag_dutyctl_never_writes_is_refused_at_its_line(tag):
    with pytest.raises(InputError) as raised:
        yamlio.loads(f"id: x\nnote: {tag}\n", "x.yaml")
    assert raised.value.problem.line == 2
    assert "is not read by dutyctl" in raised.value.problem.message


def test_the_plain_tags_still_load():
    assert yamlio.loads("a: !!str 3\nb: !!int '4'\nc: !!float 1\n", "x.yaml") == {
        "a": "3", "b": 4, "c": 1.0}


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: " + "[" * 10_000 + "]" * 10_000 + "\n", 2, "nested too deeply"),
    ("a: 1\n---\nb: 2\n", 2, "more than one document"),
    ("a: 1\nb: x\x1b[2Jy\n", 2, "a control character U+001B"),
    ("a: 1\nb: \"\\ud800\"\nc: \ud800\n", 3, "not UTF-8 text"),
])
def test_what_the_parser_says_in_english_is_said_in_words_at_its_line(text, line, words):
    with pytest.raises(InputError) as raised:
        yamlio.loads(text, "x.yaml")
    assert raised.value.problem.line == line
    assert words in raised.value.problem.message
    assert "\n" not in raised.value.problem.message


def _block_nesting(levels: int) -> str:
    return "a: 1\nb:\n" + "".join("  " * level + "- \n" for level in range(1, levels)) + \
        "  " * levels + "- x\n"


@pytest.mark.parametrize("text", [
    "a: 1\nb: " + "[" * 400 + "]" * 400 + "\n",  # libyaml takes it; Python's recursion did not
    "a: 1\nb: " + "{a: " * 400 + "1" + "}" * 400 + "\n",
    _block_nesting(400)])
def test_values_nested_hundreds_deep_are_refused_at_their_line_not_a_crash(text):
    """Nested 400 deep (within libyaml's thousand), every command reading the file ended in
    'unexpected error (RecursionError)', check and sync too."""
    with pytest.raises(InputError) as raised:
        yamlio.loads(text, "x.yaml")
    assert raised.value.problem.line is not None and raised.value.problem.line >= 2
    assert "nested too deeply (more than 64 levels)" in raised.value.problem.message


def test_a_value_nested_as_deep_as_a_file_may_be_still_loads():
    from dutyctl.yamlfull import MAX_DEPTH

    assert yamlio.loads("b: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n",
                        "x.yaml")["b"] is not None


def test_a_capped_list_of_problems_keeps_findings_and_stays_as_it_is():
    broken = [Problem("rules.yaml", number, "x") for number in range(1, 101)]
    findings = [Problem("2026-12.yaml", number, "unfilled", breaks_a_file=False)
                for number in range(1, 101)]
    problems = broken + findings
    errors.cap_problems(problems)
    cap = errors.MAX_PROBLEMS_PER_FILE
    assert problems[:cap] == broken[:cap]
    assert problems[cap].message.endswith(f"and {100 - cap} more problems in this file")
    assert problems[cap + 1:] == findings  # a short month's unfilled places: every one
    again = list(problems)
    errors.cap_problems(again)
    assert again == problems
    assert errors.problem_count(problems) == 200
    assert len(errors.ProblemsFound(broken).problems) == cap + 1
    # a refusal's findings (generate's unfilled places, exit 1) are every one said
    assert len(errors.ProblemsFound(broken, errors.EXIT_FINDINGS).problems) == 100


# -- the desk ----------------------------------------------------------------------------------


def test_bad_bytes_and_a_folder_for_a_file_are_said_in_chinese(cli, workspace):
    record_id = log(cli)
    path = record_file(workspace.root, record_id)
    path.write_bytes(path.read_bytes() + b"note: \xff\n")
    os.mkdir(path.with_name(f"{record_id}.01M0000000000000000000000E.yaml"))
    check = cli("--lang", "zh_CN", "check")
    assert check.exit_code == 1
    assert "不是 UTF-8：请另存为 UTF-8（记事本：“另存为”，编码选 UTF-8）" in check.stdout
    assert "字节" not in check.stdout  # the decoder's 无效的起始字节 is no clerk's word
    assert "无法读取：这是一个文件夹" in check.stdout
    assert "invalid" not in check.stdout and "directory" not in check.stdout


def test_a_python_tag_in_another_desks_rules_is_said_in_chinese(cli, workspace):
    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8")
                     + "x: !!python/object/apply:os.system ['touch pwned']\n", encoding="utf-8")
    export = cli("--lang", "zh_CN", "roster", "export", "--month", "2026-10")
    assert export.exit_code == 2
    assert "rosters/rules.yaml:" in export.stderr
    assert "dutyctl 不读取 YAML 标签 !!python/object/apply:os.system" in export.stderr
    # `who` only reads: it goes on without the rules, saying why in one line
    who = cli("--lang", "zh_CN", "who", "--at", "2026-10-12 09:30")
    said = [line for line in who.stderr.splitlines() if "rosters/rules.yaml:" in line]
    assert len(said) == 1 and "!!python/object/apply:os.system" in said[0]
    assert not (workspace.root / "pwned").exists()


@pytest.mark.parametrize("rules_text", ["- a\n- b\n", "staff: 3\n", "staff:\n  - 3\n"])
def test_rules_without_one_readable_staff_member_refuse_nobody_at_the_desk(
        cli, workspace, rules_text):
    (workspace.root / "rosters" / "rules.yaml").write_text(rules_text, encoding="utf-8")
    assert log(cli)  # zhangwei is refused by no list of nobody
    check = cli("check")
    assert check.exit_code == 1 and "rosters/rules.yaml:" in check.stdout


def _with_broken_staff(workspace, count: int) -> None:
    """`count` staff entries without roles before the template's own."""
    rules = workspace.root / "rosters" / "rules.yaml"
    broken = "".join(f"  - {{id: s{number}, name: n{number}}}\n" for number in range(count))
    rules.write_text(rules.read_text(encoding="utf-8").replace("staff:\n", "staff:\n" + broken, 1),
                     encoding="utf-8")


def test_a_rules_file_of_thousands_of_broken_entries_prints_a_screenful(cli, workspace):
    count = roster_rules.MAX_ENTRIES - 8  # the template's 8 staff: the list at its bound
    _with_broken_staff(workspace, count)
    cap = errors.MAX_PROBLEMS_PER_FILE
    export = cli("roster", "export", "--month", "2026-10")
    assert export.exit_code == 2
    assert len(export.stderr.splitlines()) == cap + 1
    assert export.stderr.splitlines()[-1].endswith(f"and {count - cap} more problems in this file")
    check = cli("check")
    assert check.exit_code == 1
    assert len(check.stdout.splitlines()) == cap + 1
    assert f"{count} problem" in check.stderr.replace(",", "")


def test_a_staff_list_longer_than_any_center_s_is_one_line_unread(cli, workspace):
    _with_broken_staff(workspace, roster_rules.MAX_ENTRIES - 7)
    export = cli("roster", "export", "--month", "2026-10")
    assert export.exit_code == 2
    staff_line = _line_of(workspace, "staff:")  # a list is located at its key
    assert export.stderr.splitlines() == [
        f"rosters/rules.yaml:{staff_line}: staff: {roster_rules.MAX_ENTRIES + 1:,} entries: a "
        f"rules file lists at most {roster_rules.MAX_ENTRIES:,}; the list is not read"]
    zh = cli("--lang", "zh_CN", "check")
    assert zh.exit_code == 1 and f"共 {roster_rules.MAX_ENTRIES + 1:,} 条" in zh.stdout


def test_a_rules_file_of_a_hundred_thousand_entries_is_refused_unparsed(cli, workspace):
    _with_broken_staff(workspace, 100_000)
    assert (workspace.root / "rosters" / "rules.yaml").stat().st_size > MAX_RULES_BYTES
    export = cli("roster", "export", "--month", "2026-10")
    assert export.exit_code == 2
    assert export.stderr.splitlines() == [
        f"rosters/rules.yaml: larger than {MAX_RULES_BYTES >> 20} MB: refused"]


def _line_of(workspace, text: str) -> int:
    lines = (workspace.root / "rosters" / "rules.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index(text) + 1


def test_an_unreadable_roster_does_not_stop_check_from_checking_the_rest(cli, workspace):
    for month in ("2026-10", "2026-11"):
        assert cli("roster", "generate", "--month", month).exit_code in (0, 1)
    record_id = log(cli)
    path = record_file(workspace.root, record_id)
    path.write_text(path.read_text(encoding="utf-8") + "summary: again\n", encoding="utf-8")
    october = workspace.root / "rosters" / "2026-10.yaml"
    october.unlink()
    october.symlink_to("/dev/zero")  # the neighbour November's check reads
    check = cli("check")
    assert check.exit_code == 1, check.stderr
    assert "rosters/2026-10.yaml: a symbolic link" in check.stdout
    assert f"{record_id}.yaml:" in check.stdout and "duplicate key 'summary'" in check.stdout
    roster_check = cli("roster", "check")
    assert roster_check.exit_code == 1
    assert "rosters/2026-10.yaml: a symbolic link" in roster_check.stdout


def _copy_to_the_next_day(root, record_id: str, content: str):
    """Another desk's record under this desk's id, filed in the next day's folder."""
    path = record_file(root, record_id)
    foreign = path.parent.parent / "13" / path.name
    foreign.parent.mkdir()
    shutil.copy(path, foreign)
    text = foreign.read_text(encoding="utf-8").replace("2026-10-12T", "2026-10-13T")
    foreign.write_text(text.replace("漏水", content), encoding="utf-8")
    return path.relative_to(root), foreign.relative_to(root)


def test_a_record_id_in_two_day_folders_is_found_by_check_and_named_by_show(cli, workspace):
    record_id = log(cli)
    own, foreign = _copy_to_the_next_day(workspace.root, record_id, "外来")
    check = cli("check")
    assert check.exit_code == 1
    (line,) = [line for line in check.stdout.splitlines() if record_id in line]
    assert line.startswith(f"{foreign}: record id {record_id} is also in {own}")
    show = cli("show", record_id)
    assert show.exit_code == 2
    assert f"record {record_id} is in more than one file: {own}, {foreign}" in show.stderr


def test_the_installed_check_finds_a_record_id_in_two_day_folders(cli, workspace,
                                                                 dutyctl_command):
    record_id = log(cli)
    own, foreign = _copy_to_the_next_day(workspace.root, record_id, "外来")
    done = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "check", root=workspace.root,
                       timeout=60)
    assert done.returncode == 1, done.stderr
    assert f"{foreign}: 编号 {record_id} 的记录还在 {own}" in done.stdout


def test_a_surrogate_escape_is_said_in_chinese():
    from dutyctl import messages

    messages.set_option_language("zh_CN")
    try:
        with pytest.raises(InputError) as raised:
            yamlio.loads('a: 1\nname: "\\ud800"\n', "x.yaml")
    finally:
        messages.set_option_language(None)
        messages.forget_language()
    assert raised.value.problem.line == 2
    assert "无效的 Unicode 转义码" in raised.value.problem.message


@pytest.mark.auto_commit
def test_a_staff_name_with_a_nul_and_git_delimiters_still_commits_the_call(cli, workspace):
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "name: 张伟\n" in text
    rules.write_text(text.replace("name: 张伟\n", 'name: "张\\0伟 <x@y>\\n"\n', 1),
                     encoding="utf-8")
    record_id = log(cli)
    done = subprocess.run(["git", "-C", str(workspace.root), "log", "-1", "--format=%an|%s"],
                          capture_output=True, text=True, check=True)
    author, subject = done.stdout.rstrip("\n").split("|")
    assert record_id[:12] in subject and "\0" not in done.stdout
    assert author.startswith("张") and "<" not in author and "伟" in author
    assert not subprocess.run(["git", "-C", str(workspace.root), "status", "--porcelain",
                               "records"], capture_output=True, text=True).stdout


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_time_at_the_end_of_the_calendar_is_refused_not_a_crash(moment):
    from dutyctl import schema, timeutil

    assert timeutil.from_iso(moment) is None
    assert "between the years 1900 and 9998" in schema.check_timestamp(moment)


def test_a_record_filed_in_the_year_9999_stops_neither_the_list_nor_the_handover(cli, workspace):
    record_id = log(cli)
    path = record_file(workspace.root, record_id)
    foreign = workspace.root / "records" / "9999" / "12" / "31" / "7ZZZZZZZZZAAAAAAAAAAAAAAAA.yaml"
    foreign.parent.mkdir(parents=True)
    text = path.read_text(encoding="utf-8").replace(record_id, "7ZZZZZZZZZAAAAAAAAAAAAAAAA")
    foreign.write_text(text.replace("2026-10-12T09:30:00+08:00", "9999-12-31T23:59:59-14:00"),
                       encoding="utf-8")
    listed = cli("list", "--open")
    assert listed.exit_code == 0, listed.stderr
    assert "created_at: a time between the years 1900 and 9998" in listed.stderr
    handover = cli("handover", "--to", "lina", "--at", "2026-10-12 19:45")
    assert handover.exit_code == 0, handover.stderr


@pytest.mark.parametrize("old, new, said", [
    ("max_consecutive_days: 6", "max_consecutive_days: 1000000000",
     "constraints.max_consecutive_days: must be at most 366"),
    ("max_nights_in_a_row: 3", "max_nights_in_a_row: 999999999999",
     "constraints.max_nights_in_a_row: must be at most 366"),
    ("min_rest_hours: 12", "min_rest_hours: 1.0e+300", "constraints.min_rest_hours: must be at most"),
    ("max_hours_per_week: 48", "max_hours_per_week: .nan",
     "constraints.max_hours_per_week: expected a number, not nan"),
    ("      service: 1\n      technician: 1", "      service: 1000000000\n      technician: 1",
     "need.service: must be at most 1000"),
])
def test_a_rule_beyond_any_site_is_refused_at_its_line_not_a_crash_or_a_hang(
        cli, workspace, old, new, said):
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 2
    check = cli("check")
    assert check.exit_code == 1, check.stderr
    assert "rosters/rules.yaml:" in check.stdout and said in check.stdout


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY;COUNT=100000000", "freq=hourly",
                                  "FREQ=DAILY;BYHOUR=0,1,2;BYMINUTE=0,30"])
def test_a_shift_repeating_finer_than_a_day_is_refused_before_it_is_listed(cli, workspace, rule):
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "days: daily  " in text
    rules.write_text(text.replace("days: daily  ", f'days: "{rule}"  ', 1), encoding="utf-8")
    export = cli("roster", "export", "--month", "2026-10")
    assert export.exit_code == 2
    assert "rosters/rules.yaml:" in export.stderr and "FREQ=DAILY, WEEKLY" in export.stderr


@pytest.mark.auto_commit
def test_a_file_named_dutyctl_where_the_state_folder_belongs_stops_no_reading(cli, workspace):
    """Another desk committed a file `.dutyctl`: reading goes on from the record files (no
    index), what must take a lock says which file is in the way, and `check` says to remove
    it (never to add it to git)."""
    record_id = log(cli)
    shutil.rmtree(workspace.root / ".dutyctl")
    (workspace.root / ".dutyctl").write_text("from another desk\n", encoding="utf-8")
    listed = cli("list")
    assert listed.exit_code == 0 and record_id[:12] in listed.stdout, listed.stderr
    assert cli("show", record_id).exit_code == 0
    before = record_files(workspace.root)
    clocked = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-12 09:40")
    assert clocked.exit_code == 3
    assert clocked.stderr.splitlines() == [
        f"{workspace.root / '.dutyctl'}: not a folder: cannot write desk.lock inside it"]
    assert record_files(workspace.root) == before
    check = cli("check")
    assert check.exit_code == 1
    assert (".dutyctl: a file or link where dutyctl keeps this desk's locks and caches, a "
            "folder never shared: no command can commit while it is there; delete or rename it"
            ) in check.stdout
    assert "git add" not in check.stdout


@pytest.mark.parametrize("how", ["committed file", "dangling link", "link to a folder"])
def test_a_dutyctl_that_is_no_folder_of_the_workspace_is_said_by_check(cli, workspace, tmp_path,
                                                                        how):
    """Tracked by git or not (a site committing by hand checks no tracking), a dangling link
    or one to a folder elsewhere: reading goes on, a lock is refused, check names it."""
    record_id = log(cli)
    state = workspace.root / ".dutyctl"
    shutil.rmtree(state)
    if how == "committed file":
        state.write_text("x\n", encoding="utf-8")
        subprocess.run(["git", "-C", str(workspace.root), "add", "-f", ".dutyctl"], check=True)
        subprocess.run(["git", "-C", str(workspace.root), "-c", "user.name=x", "-c",
                        "user.email=x@example.com", "commit", "-qm", "x"], check=True)
    elif how == "dangling link":
        state.symlink_to(tmp_path / "nowhere")
    else:
        (tmp_path / "elsewhere").mkdir()
        state.symlink_to(tmp_path / "elsewhere")
    assert record_id[:12] in cli("list").stdout
    clocked = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-12 09:40")
    assert clocked.exit_code == 3 and ".dutyctl" in clocked.stderr, clocked.stderr
    check = cli("check")
    assert check.exit_code == 1 and ".dutyctl: a file or link where dutyctl keeps" in check.stdout
    if how == "link to a folder":
        assert not any((tmp_path / "elsewhere").iterdir())  # nothing written through it


LINK_SAID = ("a symbolic link where dutyctl keeps a file of its own: it never writes through "
             "one; delete it (git rm it if git tracks it)")


def _lock_linked_outside(workspace, tmp_path, lock: str):
    outside = tmp_path / "outside.txt"
    outside.write_text("not the workspace's\n", encoding="utf-8")
    (workspace.root / ".dutyctl" / lock).unlink(missing_ok=True)
    (workspace.root / ".dutyctl" / lock).symlink_to(outside)
    return outside


def test_a_lock_linked_outside_the_workspace_is_refused_never_written_through(
        cli, workspace, tmp_path):
    """A symbolic link another desk committed (`git add -f`) where a lock belongs: taking the
    lock opened it to write and emptied the file it points to. Now the command is refused
    (exit 3, the link named), the file outside untouched, and `check` says to delete it."""
    log(cli)
    outside = _lock_linked_outside(workspace, tmp_path, "desk.lock")
    before = record_files(workspace.root)
    took = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-12 09:40")
    assert took.exit_code == 3, took.output
    assert took.stderr.splitlines() == [f"{workspace.root / '.dutyctl' / 'desk.lock'}: {LINK_SAID}"]
    assert outside.read_text(encoding="utf-8") == "not the workspace's\n"
    assert record_files(workspace.root) == before
    check = cli("check")
    assert check.exit_code == 1
    assert f".dutyctl/desk.lock: {LINK_SAID}" in check.stdout


@pytest.mark.auto_commit
def test_a_commit_lock_linked_outside_leaves_the_call_saved_and_uncommitted(cli, workspace,
                                                                             tmp_path):
    """The git lock as such a link: the call is kept (the desk never loses a step), the commit
    is not made and says why, the file outside untouched."""
    outside = _lock_linked_outside(workspace, tmp_path, "git.lock")
    logged = cli(*call_flags("张三", "3-2-501", "13812345678", "漏水", "--at", "2026-10-12 09:30"))
    assert logged.exit_code == 0, logged.output
    record_id = logged.stdout.split()[0]
    assert f"{workspace.root / '.dutyctl' / 'git.lock'}: {LINK_SAID}" in logged.stderr
    assert outside.read_text(encoding="utf-8") == "not the workspace's\n"
    assert record_file(workspace.root, record_id).is_file()


@pytest.mark.parametrize("journal", ["", "-wal", "-shm", "-journal"])
def test_an_index_linked_outside_the_workspace_is_made_anew_inside_it(cli, workspace, tmp_path,
                                                                       journal):
    """The record index (residents' numbers in it) or its journal as a link another desk
    committed: SQLite wrote through it. The link goes (never its target), the index is made
    where it belongs, and the questions are answered as before."""
    record_id = log(cli)
    state = workspace.root / ".dutyctl"
    for suffix in ("", "-wal", "-shm", "-journal"):
        (state / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    outside = tmp_path / "outside"
    (state / f"index.sqlite3{journal}").symlink_to(outside)
    listed = cli("list")
    assert listed.exit_code == 0 and record_id[:12] in listed.stdout, listed.output
    assert not outside.exists()
    assert not (state / f"index.sqlite3{journal}").is_symlink()
    assert (state / "index.sqlite3").is_file()


def test_a_folder_where_the_index_belongs_leaves_the_files_read_and_check_says_it(cli,
                                                                                  workspace):
    """A folder `.dutyctl/index.sqlite3` (committed by another desk): `list` stopped with
    exit 3 while `check` said all was well. Now the questions read the record files, and
    `check` names the folder."""
    record_id = log(cli)
    state = workspace.root / ".dutyctl"
    for suffix in ("", "-wal", "-shm"):
        (state / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    (state / "index.sqlite3").mkdir()
    (state / "index.sqlite3" / "x").write_text("x\n", encoding="utf-8")
    listed = cli("list")
    assert listed.exit_code == 0 and record_id[:12] in listed.stdout, listed.output
    assert cli("search", "水").exit_code in (0, 1)
    check = cli("check")
    assert check.exit_code == 1
    assert ".dutyctl/index.sqlite3: a folder where dutyctl keeps a file of its own" in (
        check.stdout)


@pytest.mark.auto_commit
def test_a_commit_writes_none_of_its_notes_through_a_link(cli, workspace, tmp_path):
    """The notes a commit keeps in the state folder (when its look at records/ began) are
    opened through no link either: the file outside keeps its words, the commit is made."""
    from dutyctl.gitsync import LAST_LOOK

    outside = _lock_linked_outside(workspace, tmp_path, f".{LAST_LOOK}.now")
    log(cli)
    assert outside.read_text(encoding="utf-8") == "not the workspace's\n"
    status = subprocess.run(["git", "-C", str(workspace.root), "status", "--porcelain",
                             "records"], capture_output=True, text=True, check=True)
    assert status.stdout == ""


def test_a_record_id_in_two_day_folders_takes_no_step_named_by_its_room(cli, workspace):
    """Named by its id such a record is refused; named by its room it took the step all the
    same, on whichever of the two files the index held."""
    filed = cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "噪音", "--at", "2026-10-12 09:30")
    assert filed.exit_code == 0, filed.output
    record_id = filed.stdout.split()[0]
    own, foreign = _copy_to_the_next_day(workspace.root, record_id, "外来")
    before = record_files(workspace.root)
    handled = cli("complaint", "handle", "3-2-501", "--action", "已联系", "--at",
                  "2026-10-13 10:00")
    assert handled.exit_code == 2, handled.output
    assert f"record {record_id} is in more than one file: {own}, {foreign}" in handled.stderr
    assert record_files(workspace.root) == before


def _handled_complaint(cli, workspace):
    """王五's complaint (1-1-101, 13700001111) filed at 09:30 and handled at 09:40: its id and
    the handle step's file."""
    filed = cli("complaint", "file", "--name", "王五", "--room", "1-1-101", "--phone",
                "13700001111", "--content", "噪音", "--at", "2026-10-12 09:30")
    assert filed.exit_code == 0, filed.output
    complaint = filed.stdout.split()[0]
    assert cli("complaint", "handle", complaint, "--action", "已联系", "--at",
               "2026-10-12 09:40").exit_code == 0
    (step,) = record_file(workspace.root, complaint).parent.glob(f"{complaint}.*.yaml")
    return complaint, step


def test_an_edit_step_beside_a_complaint_corrects_no_resident(cli, workspace):
    """An `edit` step file another desk put beside a complaint (check: a complaint has no
    action 'edit') rewrote the complainant's phone in the register and `caller`, while `show`
    kept the real one. A kind without such a step takes no correction."""
    complaint, step = _handled_complaint(cli, workspace)
    forged = step.with_name(f"{complaint}.01M4PVP84KHJ0000000000000Z.yaml")
    forged.write_text(step.read_text(encoding="utf-8").replace(
        step.stem.split(".")[1], "01M4PVP84KHJ0000000000000Z").replace(
        "action: handle", "action: edit").replace("note: 已联系",
                                                   "resident: {phone: '13999999999'}"),
        encoding="utf-8")
    assert "a complaint has no action 'edit'" in cli("check").stdout
    register = cli("resident", "list", "-f", "json", "--show-phone")
    assert "13999999999" not in register.stdout and "13700001111" in register.stdout, (
        register.output)
    assert "王五" in cli("caller", "13700001111").stdout


def test_a_step_dated_before_its_record_counts_for_nothing(cli, workspace):
    """A complaint's `handle` step hand-dated 1970 (check: a step cannot come before its
    record) counted as its response, met 20,000 days early, in `show` and the reports. It
    counts for nothing now, as a step set aside."""
    complaint, step = _handled_complaint(cli, workspace)
    text = step.read_text(encoding="utf-8")
    moment = next(line for line in text.splitlines() if line.startswith("at: "))
    step.write_text(text.replace(moment, "at: '1970-01-02T09:40:00+08:00'"), encoding="utf-8")
    assert "a step cannot come before its record" in cli("check").stdout
    shown = json.loads(cli("show", complaint, "-f", "json").stdout)
    assert shown["status"] == "open", shown["status"]
    respond = next(deadline for deadline in shown["deadlines"]
                   if deadline["deadline"] == "respond")
    assert respond["met_at"] is None, respond


def test_a_name_of_thousands_of_combining_marks_is_shown_cut_to_a_few(cli, workspace):
    """A caller's name of 5,000 combining marks (a file another desk committed) was printed
    whole: on a terminal the marks pile up over the lines around it. Shown, a run keeps its
    first few marks and says how many more, as an escape; the file keeps what it holds."""
    record = log(cli)
    path = record_file(workspace.root, record)
    flood = "张" + "\u0301" * 5000 + "三"
    path.write_text(path.read_text(encoding="utf-8").replace("张三", flood), encoding="utf-8")
    for command in (("resident", "list"), ("show", record), ("list",)):
        shown = cli(*command)
        assert shown.exit_code == 0, shown.output
        assert "\u0301" * 9 not in shown.stdout, command
        assert "张" + "\u0301" * 8 + "[4992×◌]三" in shown.stdout, (command, shown.stdout)
    assert flood in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("mark", ["\u0e49", "\u3099", "\u0670", "\u093c", "\U0001d167",
                                  "\u20dd"])
def test_combining_marks_of_every_script_are_cut_alike(mark):
    """Thai, Japanese, Arabic, Devanagari, musical and enclosing marks stack as accents do."""
    from dutyctl.safetext import visible

    assert visible("a" + mark * 50 + "b") == "a" + mark * 8 + "[42×◌]b"
    assert visible("a" + mark * 8 + "b") == "a" + mark * 8 + "b"


def test_a_record_file_deleted_by_hand_is_said_to_be_in_git_still(cli, workspace, clock):
    """`rm records/…/ID.yaml` at a desk: `show ID` said only "no record with id …", with no
    word that git still has the file and how to bring it back."""
    clock.set("2026-10-12T10:00:00+08:00")  # after the call: an id that could exist by now
    record = log(cli)
    path = record_file(workspace.root, record)
    subprocess.run(["git", "-C", str(workspace.root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(workspace.root), "commit", "-qm", "call"], check=True,
                   capture_output=True)
    path.unlink()
    shown = cli("show", record[:12])
    assert shown.exit_code != 0, shown.output
    relative = path.relative_to(workspace.root).as_posix()
    assert (f"no record with id {record[:12]}: its file {relative} was deleted at this desk "
            f"and git still has it (git checkout -- {relative} brings it back)") in shown.stderr
    assert "git still has it" not in cli("show", "01M4PVP84KHJ").stderr  # no such file at all
