"""`dutyctl check`: every problem of the workspace as path:line, exit 1; clean is exit 0."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers_foundation import call_flags, record_files


def log(cli, *extra: str) -> str:
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "物业费怎么交", *extra))
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def file_of(workspace, record_id: str) -> Path:
    (path,) = [p for p in record_files(workspace.root) if p.name == f"{record_id}.yaml"]
    return path


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` in the file; the line number of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    position = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:position].count("\n") + 1


def relative(workspace, path: Path) -> str:
    return str(path.relative_to(workspace.root))


def test_clean_workspace_exit_0(cli):
    log(cli, "--at", "2026-10-12 09:30", "--callback-by", "17:00")
    result = cli("check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "all good" in result.stderr
    as_json = cli("check", "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == []


def test_fresh_workspace_is_clean(cli):
    assert cli("check").exit_code == 0


def test_conflict_marker_duplicate_key_and_bad_timestamp_in_one_run(workspace, cli):
    conflicted, duplicated, mistimed = (log(cli, "--at", f"2026-10-1{day} 09:30")
                                        for day in (1, 2, 3))
    conflict_path = file_of(workspace, conflicted)
    conflict_line = edit(conflict_path, "summary: 物业费怎么交\n",
                         "<<<<<<< HEAD\nsummary: 物业费怎么交\n=======\nsummary: 物业费\n"
                         ">>>>>>> origin/main\n")
    duplicate_path = file_of(workspace, duplicated)
    text = duplicate_path.read_text(encoding="utf-8")
    duplicate_path.write_text(text + "category: fee\n", encoding="utf-8")
    duplicate_line = text.count("\n") + 1
    time_path = file_of(workspace, mistimed)
    time_line = edit(time_path, "created_at: '2026-10-13T09:30:00+08:00'",
                     "created_at: 2026-10-13 09:30")

    result = cli("check")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines == [
        f"{relative(workspace, conflict_path)}:{conflict_line}: git conflict marker: "
        "resolve the merge first",
        f"{relative(workspace, duplicate_path)}:{duplicate_line}: duplicate key 'category' "
        f"(first on line {duplicate_line - 2})",
        f"{relative(workspace, time_path)}:{time_line}: created_at: expected an ISO 8601 time "
        'with its UTC offset, like "2026-11-26T09:00:00+08:00"',
    ]
    assert "3 problems" in result.stderr

    as_json = cli("check", "--format", "json")
    assert as_json.exit_code == 1
    problems = json.loads(as_json.stdout)
    assert [(p["path"], p["line"]) for p in problems] == [
        (relative(workspace, conflict_path), conflict_line),
        (relative(workspace, duplicate_path), duplicate_line),
        (relative(workspace, time_path), time_line)]
    assert "conflict marker" in problems[0]["message"]


# The YAML 1.1 traps in a record: found by `check` (exit 1), refused by `show` (exit 2).
RECORD_TRAPS = {
    "0301 room": ("room: '3-2-501'", "room: 0301",
                  "resident.room: expected a room like \"3-2-501\" or a place like \"3号楼电梯\" "
                  "(YAML read it as the number 193: put it in quotes)"),
    "unquoted phone": ("phone: '13812345678'", "phone: 13812345678",
                       # masked as every screen masks a number (stderr goes to cron mail)
                       "resident.phone: expected a phone number like \"13812345678\" (YAML read "
                       "it as the number 138****5678: put it in quotes)"),
    # eight digits that could be a day are a landline in a phone field: masked all the same
    "unquoted landline like a day": ("phone: '13812345678'", "phone: 20261006",
                                     "resident.phone: expected a phone number like "
                                     "\"13812345678\" (YAML read it as the number 2***1006: "
                                     "put it in quotes)"),
    "landline like a day in Chinese quotes": ("phone: '13812345678'", "phone: “20261006”",
                                              "resident.phone: expected a phone number like "
                                              "\"13812345678\" (Chinese quotation marks "
                                              "around it: YAML quotes with half-width ones, "
                                              "\"2***1006\""),
    "no as a name": ("name: 张三", "name: no",
                     "resident.name: expected text (YAML read an unquoted yes/no/on/off as "
                     "False)"),
    "off as a summary": ("summary: 物业费怎么交", "summary: off",
                         "summary: expected text (YAML read an unquoted yes/no/on/off as False)"),
    "naive timestamp": ("created_at: '2026-10-12T09:30:00+08:00'",
                        "created_at: 2026-10-12T09:30:00",
                        "created_at: expected an ISO 8601 time with its UTC offset"),
    "unquoted 17:00": ("callback_by: '2026-10-12T17:00:00+08:00'", "callback_by: 17:00",
                       "callback_by: expected an ISO 8601 time with its UTC offset, like "
                       "\"2026-11-26T09:00:00+08:00\" (YAML read it as the number 1020"),
    # a required text left empty: said so, not that it is no text
    "empty summary": ("summary: 物业费怎么交", "summary: ''", "summary: must not be empty"),
    "blank name": ("name: 张三", "name: '   '", "resident.name: must not be empty"),
    # a hand-edited hour: said as --at says it, not only that it is no ISO 8601 time
    "hour 25": ("created_at: '2026-10-12T09:30:00+08:00'",
                "created_at: '2026-10-12T25:00:00+08:00'",
                "created_at: '2026-10-12T25:00:00+08:00': there is no hour 25 (hours run from 0 "
                "to 23; midnight is 0:00 of the next day)"),
    "day 31 of November": ("created_at: '2026-10-12T09:30:00+08:00'",
                           "created_at: '2026-11-31T09:30:00+08:00'",
                           "created_at: '2026-11-31': 2026-11 has only 30 days, there is no "
                           "day 31"),
    "duplicate key": ("category: consultation\n", "category: consultation\ncategory: fee\n",
                      "duplicate key 'category'"),
}


@pytest.mark.parametrize("trap", list(RECORD_TRAPS))
def test_record_trap_check_exit_1_show_exit_2(workspace, cli, trap):
    old, new, message = RECORD_TRAPS[trap]
    record_id = log(cli, "--at", "2026-10-12 09:30", "--callback-by", "17:00")
    path = file_of(workspace, record_id)
    line = edit(path, old, new) + (1 if trap == "duplicate key" else 0)
    where = f"{relative(workspace, path)}:{line}: "

    checked = cli("check")
    assert checked.exit_code == 1
    assert f"{where}{message}" in checked.stdout

    shown = cli("show", record_id)
    assert shown.exit_code == 2
    assert f"{where}{message}" in shown.stderr
    assert "Traceback" not in shown.stderr


def test_an_empty_summary_is_said_empty_in_chinese(workspace, cli):
    """`summary: ""` was told 应为文字 (expected text): it is text, only empty."""
    record_id = log(cli, "--at", "2026-10-12 09:30")
    path = file_of(workspace, record_id)
    line = edit(path, "summary: 物业费怎么交", "summary: \"\"")
    checked = cli("--lang", "zh_CN", "check")
    assert checked.exit_code == 1
    assert f"{relative(workspace, path)}:{line}: summary: 不能为空" in checked.stdout, \
        checked.stdout
    assert "应为文字" not in checked.stdout


def test_unknown_kind_and_bad_fields_are_all_reported(workspace, cli):
    first, second = log(cli, "--at", "2026-10-11 09:30"), log(cli, "--at", "2026-10-12 09:30")
    kind_line = edit(file_of(workspace, first), "kind: call", "kind: parcel")
    path = file_of(workspace, second)
    extra_line = edit(path, "summary:", "colour: red\nsummary:")
    third = file_of(workspace, log(cli, "--at", "2026-10-13 09:30"))
    category_line = edit(third, "category: consultation", "category: weather")
    out = cli("check").stdout
    assert f"{relative(workspace, file_of(workspace, first))}:{kind_line}: kind: 'parcel' is " \
           "not one of" in out
    assert f"{relative(workspace, third)}:{category_line}: category: 'weather' is not a call " \
           "category" in out
    assert f"{relative(workspace, path)}:{extra_line}: colour: unknown field" in out


@pytest.mark.parametrize("fields", [
    "kind: call\nlinks: 5", "kind: call\nlinks: [{a: 1}]", "kind: handover\nitems: 5",
    "kind: handover\nitems: [1]", "kind: handover\nduty: [1]", "kind: readiness\nresults: [1]",
    "kind: readiness\nresults: 5", "kind: callout\nrepair: {a: 1}",
    "kind: resident\nsource: [[1]]"])
def test_a_refused_record_of_any_shape_is_said_not_a_crash(workspace, cli, fields):
    """A record file another desk pushed, refused (no id, no created_at) and with a field of
    another shape: check reads a refused record's links and status again
    (half_read_records), and stopped at `unexpected error (TypeError: 'int' object is not
    iterable)`, exit 3, saying nothing of the file, and so did every desk's sync (test_sync).
    Now the file's problems are said, exit 1."""
    path = workspace.root / "records" / "2026" / "10" / "12" / "01M3ZZZZZZZZZZZZZZZZZZZZZZ.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fields + "\n", encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1, result.stderr
    assert "unexpected error" not in result.stdout + result.stderr
    assert "records/2026/10/12/01M3ZZZZZZZZZZZZZZZZZZZZZZ.yaml:1: id: is required" \
        in result.stdout.splitlines(), result.stdout


@pytest.mark.parametrize("value", ["[fee, other]", "{fee: 1}"])
def test_a_category_that_is_no_text_is_said_not_a_crash(workspace, cli, value):
    """check reads a refused record's fields again (half_read_records): a category that is a
    list or mapping was looked up among the site's categories, and check stopped at
    `unexpected error (TypeError: unhashable type …)`, exit 3, saying nothing of the files."""
    path = file_of(workspace, log(cli, "--at", "2026-10-12 09:30"))
    line = edit(path, "category: consultation", f"category: {value}")
    result = cli("check")
    assert result.exit_code == 1, result.stderr
    assert "unexpected error" not in result.stdout + result.stderr
    assert f"{relative(workspace, path)}:{line}: category: expected text" in result.stdout


def test_an_empty_category_is_said_once(workspace, cli):
    path = file_of(workspace, log(cli, "--at", "2026-10-12 09:30"))
    edit(path, "category: consultation", "category: ''")
    out = cli("check").stdout
    said = [line for line in out.splitlines() if "category" in line]
    assert len(said) == 1, said


def test_a_category_renamed_in_the_config_hides_no_record(workspace, cli):
    record_id = log(cli, "--at", "2026-10-12 09:30")
    config = workspace.root / "dutyctl.yaml"
    edit(config, "      consultation: 咨询", "      enquiry: 咨询")
    edit(config, "    default: consultation", "    default: enquiry")
    listed = cli("list", "--format", "json")
    assert listed.exit_code == 0 and [row["id"] for row in json.loads(listed.stdout)] == [record_id]
    assert cli("show", record_id).exit_code == 0
    out = cli("check").stdout  # still reported, so the supervisor can decide
    assert "category: 'consultation' is not a call category of this site" in out
    out = cli("check", env={"DUTYCTL_LANG": "zh_CN"}).stdout  # the kind in its word
    assert "category：“consultation”不是本小区的来电类别" in out, out


def test_broken_references_are_found(workspace, cli):
    record_id = log(cli, "--at", "2026-10-12 09:30", "--callback-by", "17:00")
    store = workspace.store
    record = store.get(record_id)
    event = store.append(record, "note", at=record.created_at + timedelta(minutes=5),
                         by="nobody-here").events[0]
    path = file_of(workspace, record_id)
    links = edit(path, "summary:", "links: ['01AAAAAAAAAAAAAAAAAAAAAAAA']\nsummary:")
    assert links > 1  # the field's own line, not the record's first (was: :1:)
    orphan = path.with_name(f"01M0000000AAAAAAAAAAAAAAAA.{event.id}.yaml")
    orphan.write_text(Path(event.path).read_text(encoding="utf-8").replace(
        record_id, "01M0000000AAAAAAAAAAAAAAAA"), encoding="utf-8")
    out = cli("check").stdout
    assert f"{relative(workspace, path)}:{links}: links to 01AAAAAAAAAAAAAAAAAAAAAAAA, which " \
           "does not exist" in out
    by = Path(event.path).read_text(encoding="utf-8").splitlines().index("by: nobody-here") + 1
    assert f"{relative(workspace, Path(event.path))}:{by}: no staff member 'nobody-here'" in out
    assert f"{relative(workspace, orphan)}:1: event of a record that does not exist here" in out


def test_a_broken_link_step_is_found_at_its_link_line(workspace, cli, clock):
    """A link added after the fact (a `link` step, its own file) to a record that does not
    exist is said at the step's `link:` line, not at the record's first line."""
    record_id = log(cli, "--at", "2026-10-12 09:30", "--callback-by", "17:00")
    record = workspace.store.get(record_id)
    event = workspace.store.append(record, "link", at=record.created_at + timedelta(minutes=5),
                                   by="zhangwei", data={"link": "01AAAAAAAAAAAAAAAAAAAAAAAA"}
                                   ).events[-1]
    line = Path(event.path).read_text(encoding="utf-8").splitlines().index(
        "link: '01AAAAAAAAAAAAAAAAAAAAAAAA'") + 1
    assert line > 1
    assert f"{relative(workspace, Path(event.path))}:{line}: links to " \
           "01AAAAAAAAAAAAAAAAAAAAAAAA, which does not exist" in cli("check").stdout


def test_unknown_event_action_and_desk_references_are_found(workspace, cli):
    record_id = log(cli, "--at", "2026-10-12 09:30", "--callback-by", "17:00")
    record = workspace.store.get(record_id)
    event = workspace.store.append(record, "note", at=record.created_at + timedelta(minutes=5),
                                   by="zhangwei").events[0]
    line = edit(Path(event.path), "action: note", "action: teleport")
    assert line > 1  # the action's own line, not the step file's first (was: :1:)
    checked = cli("checklist", "--ok", "all", "--problem", "printer", "--note", "卡纸",
                  "--at", "2026-10-12 08:10")
    assert checked.exit_code == 0, checked.stderr
    run_id = checked.stdout.strip()
    file_of(workspace, run_id).unlink()  # the checklist run the open problem points at
    out = cli("check").stdout
    assert f"{relative(workspace, Path(event.path))}:{line}: a call has no action " \
           "'teleport'" in out
    (problem,) = workspace.store.scan(kinds=("readiness-problem",)).records
    run_line = Path(problem.path).read_text(encoding="utf-8").splitlines().index(
        f"run: '{run_id}'") + 1
    assert run_line > 1  # the problem's `run:` line, not its first (was: :1:)
    assert f"{relative(workspace, Path(problem.path))}:{run_line}: links to {run_id}, which " \
           "does not exist" in out


def test_a_step_dated_before_its_record_is_found_at_its_time(workspace, cli):
    """A step file edited by hand (or merged) to a time before its record was filed was
    said nothing of; the desk itself refuses to write one."""
    record_id = log(cli, "--at", "2026-10-12 09:30", "--callback-by", "17:00")
    record = workspace.store.get(record_id)
    event = workspace.store.append(record, "note", at=record.created_at + timedelta(minutes=5),
                                   by="zhangwei").events[0]
    assert cli("check").exit_code == 0
    line = edit(Path(event.path), "T09:35:00", "T08:35:00")
    checked = cli("check", env={"DUTYCTL_LANG": "zh_CN"})
    assert checked.exit_code == 1, checked.stdout + checked.stderr
    assert (f"{relative(workspace, Path(event.path))}:{line}: 这一步记在 2026-10-12 08:35，"
            f"早于 {record_id[:12]} 的登记时间（2026-10-12 09:30）：处理步骤不能早于所属的记录"
            in checked.stdout), checked.stdout


def test_file_name_folder_and_leftover_problems(workspace, cli):
    moved_id = log(cli, "--at", "2026-10-12 09:30")
    renamed_id = log(cli, "--at", "2026-10-12 10:30")
    moved = file_of(workspace, moved_id)
    other_day = moved.parent.with_name("13")
    other_day.mkdir()
    moved.rename(other_day / moved.name)
    renamed = file_of(workspace, renamed_id)
    wrong_name = renamed.with_name("01M0000000BBBBBBBBBBBBBBBB.yaml")
    renamed.rename(wrong_name)
    leftover = renamed.parent / f".{renamed.name}.abc123.tmp"
    leftover.write_text("id: half", encoding="utf-8")
    out = cli("check").stdout
    assert f"{relative(workspace, other_day / moved.name)}:1: created_at is not in this dated " \
           "folder" in out
    assert f"{relative(workspace, wrong_name)}:1: id {renamed_id} does not match the file " \
           "name" in out
    assert f"{relative(workspace, leftover)}: leftover of an interrupted write" in out


def test_broken_config_is_reported_with_the_records(workspace, cli):
    record_id = log(cli, "--at", "2026-10-12 09:30")
    config_line = edit(workspace.config_path, "timezone: Asia/Shanghai", "timezone: Mars/Base")
    record_line = edit(file_of(workspace, record_id), "phone: '13812345678'", "phone: 138")
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    found = {(p["path"], p["line"]) for p in json.loads(result.stdout)}
    assert ("dutyctl.yaml", config_line) in found
    assert (relative(workspace, file_of(workspace, record_id)), record_line) in found


def test_duplicate_key_in_roster_rules_is_found(workspace, cli):
    rules = workspace.rosters_dir / "rules.yaml"
    line = edit(rules, "timezone: Asia/Shanghai\n", "timezone: Asia/Shanghai\ntimezone: UTC\n") + 1
    result = cli("check")
    assert result.exit_code == 1
    assert f"rosters/rules.yaml:{line}: duplicate key 'timezone'" in result.stdout


# -- check --since / --changed: a part of the records, the config and rosters always --------------

def test_check_since_reads_only_the_days_from_then_on(workspace, cli):
    old = log(cli, "--at", "2026-10-05 09:30")
    new = log(cli, "--at", "2026-10-12 09:30")
    edit(file_of(workspace, old), "recorded_by: zhangwei", "recorded_by: nobody-here")
    with file_of(workspace, new).open("a", encoding="utf-8") as handle:
        handle.write(f"links:\n- '{old}'\n- '01AAAAAAAAAAAAAAAAAAAAAAAA'\n")
    unknown = "no staff member 'nobody-here'"
    broken = "links to 01AAAAAAAAAAAAAAAAAAAAAAAA, which does not exist"
    everything = cli("check")
    assert everything.exit_code == 1 and unknown in everything.stdout
    assert broken in everything.stdout and f"links to {old}" not in everything.stdout
    recent = cli("check", "--since", "2026-10-10")
    assert recent.exit_code == 1
    # the older day is not read; a link into it counts, since its file is there
    assert unknown not in recent.stdout and f"links to {old}" not in recent.stdout
    assert broken in recent.stdout
    file_of(workspace, old).unlink()
    assert f"links to {old}, which does not exist" in cli("check", "--since", "2026-10-10").stdout
    assert cli("check", "--since", "2026-10-13").exit_code == 0


def test_check_since_still_checks_the_config(workspace, cli):
    log(cli, "--at", "2026-10-12 09:30")
    config = workspace.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "bogus_key: 1\n", encoding="utf-8")
    result = cli("check", "--since", "2026-10-13")
    assert result.exit_code == 1 and "dutyctl.yaml" in result.stdout


def a_site_beside_its_server(tmp_path):
    """A new site under git (an identity set) and an empty bare repository beside it: (root,
    cli); `shared(root, message)` commits everything and pushes it as the upstream."""
    from dutyctl.workspace import init_workspace
    from tests.conftest import Cli
    from tests.helpers_foundation import git, identify

    git(tmp_path, "init", "-q", "--bare", str(tmp_path / "shared.git"))
    root = tmp_path / "site"
    init_workspace(root)
    identify(root)
    return root, Cli(root)


def shared(root: Path, message: str) -> None:
    """Everything committed and pushed to the bare repository beside the site, as upstream."""
    from tests.helpers_foundation import git

    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    git(root, "remote", "add", "origin", str(root.parent / "shared.git"))
    git(root, "push", "-q", "-u", "origin", "HEAD")


def test_check_changed_reads_the_days_git_says_changed(tmp_path):
    from types import SimpleNamespace

    from tests.helpers_foundation import git

    root, cli = a_site_beside_its_server(tmp_path)
    workspace = SimpleNamespace(root=root)
    committed = log(cli, "--at", "2026-10-05 09:30", "--staff", "zhangwei")
    edit(file_of(workspace, committed), "recorded_by: zhangwei", "recorded_by: nobody-here")
    shared(root, "an old mistake, already shared")
    old_problem = "no staff member 'nobody-here'"
    assert old_problem in cli("check").stdout
    assert cli("check", "--changed").exit_code == 0  # nothing changed since the upstream

    fresh = log(cli, "--at", "2026-10-12 09:30", "--staff", "zhangwei")
    edit(file_of(workspace, fresh), "recorded_by: zhangwei", "recorded_by: someone-else")
    new_problem = "no staff member 'someone-else'"
    for step in ("untracked", "staged", "committed, not pushed"):
        if step == "staged":
            git(root, "add", "-A")
        elif step.startswith("committed"):
            git(root, "commit", "-q", "-m", "today's call")
        result = cli("check", "--changed")
        assert result.exit_code == 1, step
        assert new_problem in result.stdout and old_problem not in result.stdout, step
    git(root, "push", "-q", "origin", "HEAD")
    assert cli("check", "--changed").exit_code == 0


def test_check_changed_outside_git_says_so(workspace, cli):
    import shutil

    shutil.rmtree(workspace.root / ".git", ignore_errors=True)
    result = cli("check", "--changed")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "not in a git repository" in result.stderr
    chinese = cli("check", "--changed", env={"DUTYCTL_LANG": "zh_CN"})
    assert chinese.exit_code == 2 and "不在 git 仓库中" in chinese.stderr


def test_check_in_worker_processes_finds_what_one_process_finds(workspace, cli, monkeypatch):
    """Long histories are checked day by day in forked workers: the same problems, links to
    a later day included, and a broken link or bad staff on any day."""
    from dutyctl import check

    first, middle, last, broken = (log(cli, "--at", f"2026-10-{day} 09:30")
                                   for day in (10, 11, 12, 13))
    with file_of(workspace, first).open("a", encoding="utf-8") as handle:  # to a later day
        handle.write(f"links:\n- '{last}'\n- '01AAAAAAAAAAAAAAAAAAAAAAAA'\n")
    edit(file_of(workspace, middle), "recorded_by: zhangwei", "recorded_by: nobody-here")
    text = file_of(workspace, broken).read_text(encoding="utf-8")
    file_of(workspace, broken).write_text(text + "summary: again\n", encoding="utf-8")
    from dutyctl.store import storage

    monkeypatch.setattr(storage.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(storage, "PARALLEL_MIN_ITEMS", 10_000)
    here = check.check_workspace(workspace)
    monkeypatch.setattr(storage, "PARALLEL_MIN_ITEMS", 1)
    in_workers = check.check_workspace(workspace)
    assert in_workers == here
    messages = [problem.message for problem in in_workers]
    assert "links to 01AAAAAAAAAAAAAAAAAAAAAAAA, which does not exist" in messages
    assert not any(last in message for message in messages)
    assert "no staff member 'nobody-here' in the rules (taken out since?)" in messages
    assert any(problem.path.endswith(f"{broken}.yaml") for problem in in_workers)


def test_check_never_holds_the_whole_history(workspace, cli, monkeypatch):
    """check reads one day folder at a time: a full scan (every record in memory at once)
    would make its memory grow with years of history."""
    from dutyctl import check
    from dutyctl.store.recordstore import Store

    for day in (10, 11, 12):
        log(cli, "--at", f"2026-10-{day} 09:30")
    read = []
    load_day = Store.load_day

    def one_day(self, day, problems):
        read.append(day)
        return load_day(self, day, problems)

    def whole_history(*args, **kwargs):
        raise AssertionError("check read the whole history at once")

    monkeypatch.setattr(Store, "scan", whole_history)
    monkeypatch.setattr(Store, "load_day", one_day)
    assert check.check_workspace(workspace) == []
    assert [day.day for day in read] == [10, 11, 12]


def test_check_holds_categories_to_the_kinds_that_have_them(workspace, cli):
    """`categories:` is read as the file has it by every command (no kind module imported);
    check asks the kind registry: a categorized kind left out, an entry for no such kind."""
    config = workspace.root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert cli("check").exit_code == 0
    start = text.index("  complaint:\n", text.index("categories:"))
    end = text.index("  repair:\n", start)
    config.write_text(text[:start] + text[start:end].replace("  complaint:", "  complaints:")
                      + text[end:], encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert "categories.complaint: is required" in result.stdout
    assert "categories.complaints: for 'complaints' write complaint" in result.stdout  # meant
    assert cli("list").exit_code == 0  # other commands: a kind left out has no categories


def test_the_count_of_problems_is_said_in_the_singular_and_the_plural(cli, workspace):
    (workspace.root / "rosters" / "december.yaml").write_text("{}\n", encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "1 problem", result.stderr
    (workspace.root / "rosters" / "january.yaml").write_text("{}\n", encoding="utf-8")
    assert cli("check").stderr.splitlines()[-1] == "2 problems"
    assert cli("--lang", "zh_CN", "check").stderr.splitlines()[-1] == "2 个问题"


def test_an_unreadable_config_is_told_once_not_as_a_false_finding_on_every_roster_line(
        workspace, cli, clock):
    """Rules naming roles by name (客服专员) and a roster made from them: a key written twice in
    dutyctl.yaml leaves no site roles to read them by. The check says that one line, not that
    every person of the roster lacks their role."""
    from tests.helpers_roster import write_rules

    write_rules(workspace, "班次:\n  - {名称: 白班, 开始: \"08:00\", 结束: \"20:00\", 人数: {客服专员: 1}}\n"
                           "员工:\n  - {姓名: 张伟, 岗位: [客服专员]}\n  - {姓名: 李娜, 岗位: [客服专员]}\n"
                           "值守: {时段: []}\n")
    clock.set("2026-11-25 10:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    assert cli("check").exit_code == 0
    line = edit(workspace.config_path, "departments:\n", "departments:\n  finance: {name: 财务科}\n") + 1
    result = cli("check")
    assert result.exit_code == 1
    said = result.stdout.splitlines()
    assert said[0] == f"dutyctl.yaml:{line + 5}: duplicate key 'finance' (first on line {line})"
    assert not [one for one in said if "客服专员" in one or "roles" in one], said
    # an unknown time zone leaves the roles readable: the roster is checked by them, truly
    edit(workspace.config_path, "  finance: {name: 财务科}\n", "")
    edit(workspace.config_path, "timezone: Asia/Shanghai", "timezone: 北京时区")
    result = cli("check")
    assert result.exit_code == 1
    assert not [one for one in result.stdout.splitlines() if "roles" in one], result.stdout


def test_a_broken_config_is_parsed_once_per_check_and_said_in_one_line(workspace, cli,
                                                                       monkeypatch):
    """Every reader of dutyctl.yaml in one `check` (the check itself, the config, the rules'
    and the rosters' role names) read and parsed a file YAML cannot read again, failing each
    time (six times): the first failure is kept for the command (Workspace.config_yaml)."""
    from dutyctl import yamlcache

    parsed = []
    loads = yamlcache.loads
    monkeypatch.setattr(yamlcache, "loads", lambda text, where: parsed.append(str(where))
                        or loads(text, where))
    edit(workspace.config_path, "timezone: Asia/Shanghai", "timezone: [Asia/Shanghai")
    result = cli("check")
    assert result.exit_code == 1, result.stderr
    said = result.stdout.splitlines()
    assert re.fullmatch(r"dutyctl\.yaml:\d+: not valid YAML: .*", said[0]), said
    assert [one for one in said if "dutyctl.yaml" in one] == said[:1], said
    assert [where for where in parsed if where.endswith("dutyctl.yaml")] == ["dutyctl.yaml"]


def test_a_conflict_names_its_commands_as_the_command_table_does(workspace, monkeypatch):
    """The two desks' dispatches and a step that was not possible name the command to type
    with the command table's words (`报修 派工 … --派给`, `作废 … --步骤 … --原因`): the
    catalogue wrote them out, so a renamed option left the message naming the old one."""
    from datetime import datetime, timezone

    from dutyctl import commandwords, messages
    from dutyctl.check import assignment_conflict_text, clash_text
    from dutyctl.names import Names
    from dutyctl.records import Clash
    from dutyctl.tickets import lifecycle

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.forget_language()
    monkeypatch.setitem(commandwords.OPTIONS_OF["repair dispatch"], "--to", "--交给")
    monkeypatch.setitem(commandwords.OPTIONS, "--event", "--哪一步")
    try:
        at = datetime(2026, 10, 12, 1, 0, tzinfo=timezone.utc)
        repair = lifecycle.file_ticket(
            workspace.store, workspace.config, "repair",
            resident={"name": "张三", "room": "3-2-501", "phone": "13812345678"},
            category=None, content="卫生间漏水", urgency=None, at=at, by="zhangwei")
        repair, _, _ = lifecycle.dispatch(workspace, repair, "wangqiang",
                                          at=at + timedelta(minutes=5), by="zhangwei")
        names, tz = Names.of(workspace), workspace.config.tz
        dispatched = repair.events[-1]
        text = assignment_conflict_text(repair, [dispatched], tz, names)
        assert text.endswith(f"dutyctl 报修 派工 {repair.short_id} --交给 姓名"), text
        text = clash_text(repair, Clash(dispatched, None, "closed"), str, tz, names)
        assert f"dutyctl 作废 {repair.short_id} --哪一步 {dispatched.id[:14]} --原因 原因" in text, \
            text
    finally:
        messages.forget_language()


def test_a_dispatch_to_someone_the_rules_do_not_know_is_named_at_its_line(workspace, cli):
    """A dispatch step from another desk (or a hand edit) sending a repair to nobody the rules
    know: it passed check, and the repair sat with no one. Now it is said at the `to:` line."""
    filed = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "厨房水管漏水", "--at", "2026-10-12 09:30")
    assert filed.exit_code == 0, filed.output
    repair = filed.stdout.split()[0]
    dispatched = cli("repair", "dispatch", repair, "--to", "wangqiang", "--at",
                     "2026-10-12 09:40")
    assert dispatched.exit_code == 0, dispatched.output
    assert "no staff member" not in cli("check").stdout
    (step,) = [path for path in file_of(workspace, repair).parent.glob(f"{repair}.*.yaml")]
    line = edit(step, "to: wangqiang", "to: ghost")
    out = cli("check").stdout
    assert f"{relative(workspace, step)}:{line}: no staff member 'ghost'" in out


def test_a_duty_of_someone_the_rules_do_not_know_is_named_at_its_line(workspace, cli):
    """A clock-in file from another desk for `staff: ghost` passed check, and attendance
    counted a row for nobody. Now its `staff:` line is said, as a step's `by:` is."""
    clocked = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-12 07:55")
    assert clocked.exit_code == 0, clocked.output
    duty = clocked.stdout.split()[0]
    path = file_of(workspace, duty)
    line = edit(path, "staff: zhangwei", "staff: ghost")
    out = cli("check").stdout
    assert f"{relative(workspace, path)}:{line}: no staff member 'ghost'" in out, out


def test_an_impossible_time_in_a_record_file_is_quoted_on_one_line():
    """A record's time from another desk holding a line break and a forged `path:line:`
    after its impossible hour was quoted whole in the problem: `check` printed the forged
    line as a finding of its own."""
    from dutyctl.schema import check_timestamp

    said = check_timestamp("ok\nrecords/2026/10/12/X.yaml:3: fake 25:00")
    assert said is not None and "\n" not in said and "25" in said, said
