"""Settling two desks' clashing steps (issue 10): one table of transitions per kind decides
status, counted steps and `closed_at` alike; a supervisor's `settle` sets a clashing step aside
without deleting anything, and `check` stops reporting it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dutyctl import queries
from dutyctl.records import kinds
from dutyctl.workspace import Workspace
from tests.conftest import Cli
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import record_files

COMPLAINANT = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")


@pytest.fixture
def clashed(workspace, tmp_path):
    """The front desk resolved and visited a complaint (closed); the night desk, not synced,
    resolved it later; then the night desk's event file arrived (what a git merge does)."""
    front = workspace.root
    complaint = ok(Cli(front)("complaint", "file", *COMPLAINANT, "--content", "楼道灯不亮",
                              "--at", "2026-10-12 09:00"))
    night = tmp_path / "night"
    shutil.copytree(front, night)
    ok(Cli(front)("complaint", "resolve", complaint, "--result", "已换灯泡",
                  "--at", "2026-10-12 10:00"))
    ok(Cli(front)("complaint", "visit", complaint, "--satisfaction", "5",
                  "--at", "2026-10-12 11:00"))
    before = set(record_files(night))
    ok(Cli(night)("complaint", "resolve", complaint, "--result", "已报修",
                  "--at", "2026-10-12 12:00", user="lina"))
    (late,) = set(record_files(night)) - before
    shutil.copy(late, front / late.relative_to(night))
    return Workspace(front), complaint, late.relative_to(night)


def test_one_table_decides_status_counted_steps_and_closed_at(clashed):
    workspace, complaint, _ = clashed
    record = workspace.store.get(complaint)
    assert record.status == "closed"
    assert [event.action for event in record.events] == ["resolve", "visit", "resolve"]
    assert [event.action for event in record.counted_events] == ["resolve", "visit"]
    # closed when visited; the late resolve changed nothing (it used to blank closed_at)
    assert queries.closed_at(record).isoformat() == "2026-10-12T11:00:00+08:00"


def test_every_kind_allows_settle_in_its_own_table():
    for spec in kinds().values():
        assert spec.transitions["settle"] == (("*",), None), spec.name


def test_check_names_both_steps_and_the_settle_command(clashed):
    workspace, complaint, late = clashed
    event_id = late.name.split(".")[1]
    checked = Cli(workspace.root)("check")
    assert checked.exit_code == 1
    (line,) = checked.stdout.splitlines()
    # both steps as the desk reads them: names and the site's local time, no ids or ISO
    assert line.startswith(f"{late}:1: resolve by 李娜 at 2026-10-12 12:00 conflicts "
                           "with visit by 张伟 at 2026-10-12 11:00")
    # the step as every other hint gives it: 14 characters, a prefix --event takes
    assert f"dutyctl settle {complaint[:12]} --event {event_id[:14]} --reason TEXT" in line
    assert f"--event {event_id}" not in line  # (the path at the front is the file's)
    chinese = Cli(workspace.root)("check", env={"DUTYCTL_LANG": "zh_CN"})
    assert f"dutyctl 作废 {complaint[:12]} --步骤 {event_id[:14]} --原因" in chinese.stdout
    assert "办结" in chinese.stdout and "回访" in chinese.stdout and "已关闭" in chinese.stdout
    assert "lina" not in chinese.stdout and "closed" not in chinese.stdout
    assert "2026-10-12 12:00" in chinese.stdout and "T12:00" not in chinese.stdout
    assert "conflict" in Cli(workspace.root)("show", complaint).stdout


def test_settle_sets_the_step_aside_and_deletes_nothing(clashed):
    workspace, complaint, late = clashed
    root = workspace.root
    files = set(record_files(root))
    settled = Cli(root)("settle", complaint, "--event", str(late), "--reason",
                        "夜班未同步，前台已回访办结", "--at", "2026-10-12 13:00",
                        user="chenjing")
    assert settled.exit_code == 0, settled.stderr
    assert set(record_files(root)) > files  # one settle event more, nothing gone
    checked = Cli(root)("check")
    assert (checked.exit_code, checked.stdout) == (0, "")
    record = workspace.store.get(complaint)
    assert record.status == "closed"
    assert [event.action for event in record.events] == ["resolve", "visit", "resolve", "settle"]
    settle = record.events[-1]
    assert (settle.by, settle.note, settle.data["set_aside"]) == (
        "chenjing", "夜班未同步，前台已回访办结", late.name.split(".")[1])
    shown = Cli(root)("show", complaint, "--format", "json").stdout
    assert '"conflict"' not in shown and "settle" in shown
    # the late step was right after all: reopen with a reason and repeat it
    ok(Cli(root)("complaint", "reopen", complaint, "--reason", "住户说灯又坏了",
                 "--at", "2026-10-12 14:00"))
    ok(Cli(root)("complaint", "resolve", complaint, "--result", "已报修",
                 "--at", "2026-10-12 15:00"))
    assert workspace.store.get(complaint).status == "resolved"


@pytest.mark.parametrize("named", ["path", "file", "ID.STEP", "prefix"])
def test_settle_takes_the_step_by_its_file_or_id_as_typed(clashed, named):
    """`--event` names the step as check shows it (a path, a file name, `.yaml` left off) or
    by its id: the STEP of `ID.STEP.yaml` is the step, never the record's ID. It guards the
    refactor to ids.file_ids (the one reading of a record file's name): on these POSIX forms
    the hand-split it replaced read the same step, so it did not fail before the change."""
    workspace, complaint, late = clashed
    step = late.name.split(".")[1]
    typed = {"path": f" {late} ", "file": late.name, "ID.STEP": late.name[:-len(".yaml")],
             "prefix": step[:14].lower()}[named]
    ok(Cli(workspace.root)("settle", complaint, "--event", typed, "--reason", "夜班未同步",
                           "--at", "2026-10-12 13:00"))
    assert workspace.store.get(complaint).events[-1].data["set_aside"] == step


def test_settle_refuses_what_is_not_a_step_of_the_record(clashed, workspace):
    _, complaint, late = clashed
    root = workspace.root
    wrong = Cli(root)("settle", complaint, "--event", "01M0000000", "--reason", "x",
                      "--at", "2026-10-12 13:00")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith(f"'01M0000000' is not one step of {complaint[:12]}; "
                                   f"its steps: 2026-10-12 12:00 李娜's resolve "
                                   f"{late.name.split('.')[1][:14]}; ")
    chinese = Cli(root)("--lang", "zh_CN", "settle", complaint, "--event", "01M0000000",
                        "--reason", "x", "--at", "2026-10-12 13:00")
    steps = chinese.stderr.split("它的步骤：", 1)[1]  # joined as Chinese is: ；, never "; "
    assert "；" in steps and "; " not in steps, chinese.stderr
    other = ok(Cli(root)("complaint", "file", *COMPLAINANT, "--content", "电梯异响",
                         "--at", "2026-10-12 09:30"))
    none = Cli(root)("settle", other, "--reason", "x", "--at", "2026-10-12 13:00")
    assert (none.exit_code, none.stderr) == (
        2, f"{other[:12]} has no step to set aside: a complaint filed by mistake is closed as "
           f"invalid: 'dutyctl complaint close {other[:12]} --as invalid --reason ...'\n")
    # its own id named as the step: the same, never "its steps: " and nothing after it
    named = Cli(root)("settle", other, "--event", other, "--reason", "x", "--at",
                      "2026-10-12 13:00")
    assert (named.exit_code, named.stderr) == (2, none.stderr)
    chinese = Cli(root)("--lang", "zh_CN", "settle", other, "--reason", "x", "--at",
                        "2026-10-12 13:00")
    assert f"'dutyctl 投诉 关闭 {other[:12]} --关闭方式 无效 --原因 ...'" in chinese.stderr
    missing = Cli(root)("settle", complaint, "--event", late.name.split(".")[1],
                        "--at", "2026-10-12 13:00")
    assert missing.exit_code == 2 and "--reason" in missing.stderr
    assert len(workspace.store.get(complaint).events) == 3  # nothing written


def test_a_settle_naming_no_step_of_its_record_is_a_check_problem(clashed):
    workspace, complaint, late = clashed
    root = workspace.root
    ok(Cli(root)("settle", complaint, "--event", str(late), "--reason", "已核实",
                 "--at", "2026-10-12 13:00"))
    settle = Path(root, workspace.store.get(complaint).events[-1].path)
    text = settle.read_text(encoding="utf-8")
    settle.write_text(text.replace(late.name.split(".")[1], "01M0000000000000000000000Z"),
                      encoding="utf-8")
    # the line that names the step set aside (was: the file's first line)
    line = next(number for number, said in enumerate(text.splitlines(), 1)
                if late.name.split(".")[1] in said)
    checked = Cli(root)("check")
    assert checked.exit_code == 1
    assert (f"{settle.relative_to(root)}:{line}: sets aside 01M0000000000000000000000Z, which is "
            f"not a step of {complaint[:12]}") in checked.stdout
    assert "conflicts with" in checked.stdout  # the clash is back: nothing sets it aside


def test_in_chinese_show_names_the_conflict_and_the_step_set_aside(clashed):
    workspace, complaint, late = clashed
    root = workspace.root
    zh = {"DUTYCTL_LANG": "zh_CN"}
    before = Cli(root)("show", complaint, env=zh).stdout
    assert "\n冲突：" in before and "conflict" not in before, before
    ok(Cli(root)("settle", complaint, "--event", str(late), "--reason", "夜班未同步",
                 "--at", "2026-10-12 13:00", user="chenjing"))
    after = Cli(root)("show", complaint, env=zh).stdout
    late_id = late.name.split(".")[1]
    (late_row,) = [line for line in after.splitlines() if "已报修" in line]
    assert "办结（已作废）" in late_row, after
    assert f"作废的步骤：{late_id[:12]}" in after and late_id not in after
    assert "set_aside" not in after and "冲突：" not in after


def test_show_puts_each_conflicting_step_on_a_line_of_its_own(clashed):
    """Two steps that clash are two sentences, each on its line under 冲突：, not one line
    glued with an English comma."""
    workspace, complaint, _ = clashed
    night = workspace.root.parent / "night"
    before = set(record_files(night))
    ok(Cli(night)("complaint", "visit", complaint, "--satisfaction", "4",
                  "--at", "2026-10-12 12:30", user="lina"))
    (late,) = set(record_files(night)) - before
    shutil.copy(late, workspace.root / late.relative_to(night))
    shown = Cli(workspace.root)("show", complaint, env={"DUTYCTL_LANG": "zh_CN"}).stdout
    lines = shown.splitlines()
    start = lines.index("冲突：")
    clashes = [line for line in lines[start + 1:start + 3]]
    assert all(line.startswith("  李娜 于 2026-10-12 12:") for line in clashes), shown
    assert "冲突：李娜" not in shown and ", 李娜" not in shown


def test_check_and_the_daily_report_name_the_same_clashing_steps(clashed):
    """One answer (records.clashing_steps): the step `check` asks a supervisor to settle is
    the one the day's report lists under needs attention."""
    import json

    from dutyctl.records import clashing_steps

    workspace, complaint, late = clashed
    event_id = late.name.split(".")[1]
    record = workspace.store.get(complaint)
    assert [clash.event.id for clash in clashing_steps(record)] == [event_id]
    (problem,) = Cli(workspace.root)("check").stdout.splitlines()
    assert problem.startswith(f"{late}:1: ")
    daily = json.loads(ok(Cli(workspace.root)("report", "daily", "--date", "2026-10-12",
                                              "-f", "json")))
    (clashes,) = [entry["items"] for entry in daily["attention"]
                  if entry["group"] == "clashes"]
    assert [item["event"] for item in clashes] == [event_id]
    # the day's table names the step as check's settle line does: 14 characters, a prefix
    # `settle --event` takes (it showed 12)
    table = ok(Cli(workspace.root)("report", "daily", "--date", "2026-10-12"))
    assert f" {event_id[:14]} " in table and f"--event {event_id[:14]} " in problem, table


def test_a_step_of_an_action_its_kind_does_not_know_is_no_clash_to_settle_anywhere(clashed):
    """A complaint's step of a repair's action (a hand edit, another version's file): `check`
    says the kind has no such action, and no screen lists it among the clashing steps to
    settle: not `check`, not the day's report, not `show` (one answer: records.clashing_steps)."""
    import json

    from dutyctl.records import clashing_steps

    workspace, complaint, late = clashed
    path = workspace.root / late
    path.write_text(path.read_text(encoding="utf-8").replace("action: resolve", "action: arrive"),
                    encoding="utf-8")
    assert clashing_steps(workspace.store.get(complaint)) == []
    checked = Cli(workspace.root)("check").stdout
    assert "has no action 'arrive'" in checked and "conflicts with" not in checked
    daily = json.loads(ok(Cli(workspace.root)("report", "daily", "--date", "2026-10-12",
                                              "-f", "json")))
    assert [entry["items"] for entry in daily["attention"] if entry["group"] == "clashes"] == [[]]
    shown = Cli(workspace.root)("show", complaint)
    assert shown.exit_code == 0 and "conflict" not in shown.stdout, shown.stdout


@pytest.fixture
def sent_twice(workspace, tmp_path):
    """A repair two desks dispatched without syncing, 王强 at the front desk and 刘洋 at the
    night desk; then each desk had the other's step (what a sync does): front and night."""
    front = workspace.root
    repair = ok(Cli(front)("repair", "file", *COMPLAINANT, "--category", "water-electric",
                           "--content", "卫生间漏水", "--at", "2026-10-12 09:00"))
    night = tmp_path / "night"
    shutil.copytree(front, night)
    ok(Cli(front)("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-12 09:05"))
    ok(Cli(night)("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-10-12 09:07",
                  user="lina"))
    _sync(front, night)
    return front, night, repair


def _sync(*desks: Path) -> None:
    for one in desks:
        for other in desks:
            for path in record_files(one):
                there = other / path.relative_to(one)
                if not there.exists():
                    shutil.copy(path, there)


def test_a_conflict_settled_both_ways_on_two_desks_is_a_check_finding(sent_twice):
    """The front desk's supervisor kept 刘洋 (set 王强's dispatch aside), the night desk's
    kept 王强: after the sync both dispatches counted for nothing, the repair sent to nobody
    and its met response limit missed, and check said everything was fine."""
    front, night, repair = sent_twice
    steps = [event.id for event in Workspace(front).store.get(repair).events]
    ok(Cli(front)("settle", repair, "--event", steps[0], "--reason", "刘洋去了",
                  "--at", "2026-10-12 10:00", user="chenjing"))
    ok(Cli(night)("settle", repair, "--event", steps[1], "--reason", "王强去了",
                  "--at", "2026-10-12 10:05"))
    _sync(front, night)
    checked = Cli(front)("check")
    assert checked.exit_code == 1, checked.output
    (line,) = checked.stdout.splitlines()
    assert "settled both ways on desks that had not synced" in line, line
    assert "陈静" in line and "张伟" in line


@pytest.mark.parametrize("second_at", ["2026-10-12 10:05", "2026-10-12 09:59"])
def test_setting_aside_the_step_a_settle_kept_is_refused(sent_twice, second_at):
    """Dated after the settle saved, or before it (`--at` back in time: the two then sort
    the other way round, and the backdated one got through)."""
    front, _, repair = sent_twice
    steps = [event.id for event in Workspace(front).store.get(repair).events]
    ok(Cli(front)("settle", repair, "--event", steps[0], "--reason", "刘洋去了",
                  "--at", "2026-10-12 10:00", user="chenjing"))
    again = Cli(front)("settle", repair, "--event", steps[1], "--reason", "王强去了",
                       "--at", second_at)
    assert again.exit_code == 2, again.output
    (line,) = again.stderr.splitlines()
    assert "setting it aside too would leave neither counting" in line and "陈静" in line
    assert Workspace(front).store.get(repair).status == "dispatched"


def test_a_step_taken_now_is_not_moved_to_a_settle_another_desk_dated_later(clashed, clock):
    """A settle is no step of the work: a step may come before it (check_next_event), and a
    step taken now at a desk whose clock reads before the settle was moved to the settle's
    time, with a "this desk's clock is behind" line that was not so (records.last_work_step)."""
    workspace, complaint, late = clashed
    root = workspace.root
    clock.set("2026-10-12T13:05:00+08:00")  # the supervisor's desk
    ok(Cli(root)("settle", complaint, "--event", str(late), "--reason", "夜班未同步",
                 "--at", "2026-10-12 13:00", user="chenjing"))
    clock.set("2026-10-12T12:58:00+08:00")  # a desk whose clock reads before the settle
    reopened = Cli(root)("complaint", "reopen", complaint, "--reason", "住户说灯又坏了")
    assert reopened.exit_code == 0 and "behind" not in reopened.stderr, reopened.stderr
    (step,) = [event for event in workspace.store.get(complaint).events
               if event.action == "reopen"]
    assert step.at.isoformat() == "2026-10-12T12:58:00+08:00"
