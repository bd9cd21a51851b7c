"""What a sync says it brought, bounded as a clerk reads it: the roster changes of a desk back
after days offline in at most ROSTER_NEWS_SHOWN lines and one counting line; a step that
clashes with this desk's in one line naming `检查` (which says how to settle each)."""

from __future__ import annotations

from tests import test_sync
from tests.conftest import Cli
from tests.test_sync import a_step_clash_on_its_way, october_at_both_desks, sync

# test_sync's fixtures, taken by name here (a plain name: no import a test's argument shadows)
file_remote, no_git_config = test_sync.file_remote, test_sync.no_git_config


def test_many_roster_changes_are_said_up_to_a_bound_then_counted(tmp_path, file_remote):
    from dutyctl.sync import ROSTER_NEWS_SHOWN

    front, night = october_at_both_desks(tmp_path, file_remote)
    changes = ROSTER_NEWS_SHOWN + 3
    assert changes <= 18  # October's nights from the 13th, one minute apart from 09:10
    for day in range(changes):  # whoever of them is free that night takes it over
        for staff in ("sunli", "chenjing", "lina"):
            done = Cli(front)("roster", "override", f"2026-10-{13 + day}", "night", staff,
                              "--reason", "病假", "--force", "--at", f"2026-10-12 09:{10 + day}")
            if done.exit_code == 0:
                break
        assert done.exit_code == 0, done.stderr
    assert sync(front).exit_code == 0
    merged = Cli(night)("--lang", "zh_CN", "sync", user="lina")
    assert merged.exit_code == 0, merged.stderr
    lines = merged.stderr.splitlines()
    told = [line for line in lines if "rosters/2026-10.yaml：同步带来" in line]
    assert len(told) == ROSTER_NEWS_SHOWN, merged.stderr
    assert lines[len(told)] == (f"同步带来：另有 {changes - ROSTER_NEWS_SHOWN} 处排班变动未逐条"
                                "列出：dutyctl 排班 查看 可查看当前排班"), merged.stderr
    assert len(lines) == ROSTER_NEWS_SHOWN + 1, merged.stderr


def test_a_step_that_clashes_is_said_by_the_sync_in_one_line(tmp_path, file_remote):
    front, night, _ = a_step_clash_on_its_way(tmp_path, file_remote)
    merged = Cli(night)("--lang", "zh_CN", "sync", user="lina")
    assert merged.exit_code == 0, merged.stderr
    assert merged.stderr == ("同步带来：1 个步骤与另一值班台的步骤冲突（两个值班台未同步就对同一"
                             "记录各自操作；冲突的步骤在主管处理前不算数）：处理方法见 dutyctl 检查\n")
    back = Cli(front)("--lang", "zh_CN", "sync")  # the other desk hears of it as well
    assert back.exit_code == 0 and "1 个步骤与另一值班台的步骤冲突" in back.stderr, back.stderr
    # said once: a later sync bringing something else does not say the old clash again
    other = Cli(night)("complaint", "file", "--name", "李四", "--room", "3-2-502", "--phone",
                       "13812345679", "--content", "门禁坏了", "--at", "2026-10-12 13:00",
                       user="lina")
    assert other.exit_code == 0, other.stderr
    assert sync(night).exit_code == 0
    again = Cli(front)("--lang", "zh_CN", "sync")
    assert again.exit_code == 0, again.stderr
    assert "合并 1 条记录" in again.stdout, again.stdout  # the other complaint came
    assert "冲突" not in again.stderr, again.stderr


def test_a_file_under_rosters_holding_something_else_is_known_by_its_rule_in_each_language(
        workspace, cli, monkeypatch):
    """A record (or the rules) saved under rosters/ brings no roster: the sync says nothing of
    it, knowing its one line by its finding's rule (`not-a-roster`), not by the start of the
    line's words in the language of the moment; `check -f json` gives that rule."""
    import json

    from dutyctl import messages, sync as sync_module
    from dutyctl.roster.rosterfile import NOT_A_ROSTER, roster_from_text

    record = ("id: 01M9920000000000000000000B\nkind: call\nschema: 1\n"
              "created_at: '2026-11-20T09:30:00+08:00'\nrecorded_by: zhangwei\n")
    rules = (workspace.root / "rosters" / "rules.yaml").read_text(encoding="utf-8")
    roster_like = "period: {start: 2026-12-01, end: 2026-12-31}\nassignments: x\n"
    def speak(language: str) -> None:
        monkeypatch.setenv("DUTYCTL_LANG", language)
        messages.forget_language()

    try:
        for language, asked_in in (("en", "zh_CN"), ("zh_CN", "en"), ("en", "en"),
                                   ("zh_CN", "zh_CN")):
            for text in (record, rules):
                speak(language)
                found = roster_from_text(text, "rosters/2026-12.yaml")[1]
                assert [problem.finding for problem in found] == [{"rule": NOT_A_ROSTER}]
                speak(asked_in)  # the line said in one language, known in another
                assert sync_module._not_a_roster(found), found
            speak(language)
            found = roster_from_text(roster_like, "rosters/2026-12.yaml")[1]
            speak(asked_in)
            assert found and not sync_module._not_a_roster(found), found
    finally:
        messages.forget_language()
    (workspace.root / "rosters" / "2026-12.yaml").write_text(record, encoding="utf-8")
    checked = cli("check", "-f", "json")
    said = [row for row in json.loads(checked.stdout) if row["path"] == "rosters/2026-12.yaml"]
    assert [row.get("finding") for row in said] == [{"rule": NOT_A_ROSTER}], checked.stdout


def test_a_file_under_records_holding_something_else_has_its_rule_too(workspace, cli):
    """The rules (or a roster) saved as a record: `check -f json` gives its one line the
    finding `not-a-record`, as a record under rosters/ has `not-a-roster`."""
    import json

    folder = workspace.records_dir / "2026" / "11" / "20"
    folder.mkdir(parents=True)
    stray = folder / "01M9920000000000000000000E.yaml"
    stray.write_bytes((workspace.root / "rosters" / "rules.yaml").read_bytes())
    (folder / "01M9920000000000000000000F.yaml").write_text(
        "period: {from: '2026-12-01', to: '2026-12-31'}\nassignments: []\n", encoding="utf-8")
    checked = cli("check", "-f", "json")
    said = [row for row in json.loads(checked.stdout) if row["path"].startswith("records/")]
    assert [(row["message"].split(":")[0], row.get("finding")) for row in said] == [
        ("not a record", {"rule": "not-a-record"})] * 2, checked.stdout
