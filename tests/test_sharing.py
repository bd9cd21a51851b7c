"""A workspace shared between desks from its first minute: init commits, check sees untracked
files, recorded times are not in the future, commits name who acted, ICS UIDs name the slot."""

from __future__ import annotations

import pytest

from dutyctl.workspace import init_workspace
from tests.conftest import run_dutyctl
from tests.helpers_desk import october_site
from tests.helpers_foundation import call_flags, git, identify, record_files

TEMPLATE_FILES = [".gitignore", "dutyctl.yaml", "records/.gitkeep", "rosters/rules.yaml"]


# -- init commits its own files ---------------------------------------------------------------

def test_init_commits_the_workspace_so_a_clone_is_a_workspace(tmp_path, dutyctl_command):
    desk = tmp_path / "front-desk"
    made = run_dutyctl(dutyctl_command, "init", "front-desk", root=tmp_path, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert git(desk, "ls-files").split() == TEMPLATE_FILES
    assert git(desk, "status", "--porcelain") == ""
    assert git(desk, "symbolic-ref", "--short", "HEAD") == "main\n"
    clone = tmp_path / "night-desk"
    git(tmp_path, "clone", "-q", str(desk), str(clone))
    checked = run_dutyctl(dutyctl_command, "check", root=clone)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_init_in_a_repository_without_commits_commits_only_the_workspace(tmp_path):
    git(tmp_path, "init", "-q", str(tmp_path / "repo"))
    site = tmp_path / "repo" / "site"
    (tmp_path / "repo" / "private.txt").write_text("not ours\n", encoding="utf-8")
    init_workspace(site)
    assert git(site, "ls-files").split() == TEMPLATE_FILES
    assert "?? private.txt" in git(tmp_path / "repo", "status", "--porcelain")


def test_init_in_a_repository_with_history_leaves_committing_to_the_user(tmp_path):
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    identify(repo)
    (repo / "README").write_text("site docs\n", encoding="utf-8")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "docs")
    init_workspace(repo / "site")
    assert git(repo, "log", "--format=%s") == "docs\n"


@pytest.mark.auto_commit
def test_check_reports_workspace_files_git_does_not_track(workspace, cli):
    assert cli("check").exit_code == 0
    config = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(config.replace("auto_commit: true", "auto_commit: false"),
                                     encoding="utf-8")
    git(workspace.root, "commit", "-q", "-am", "commit by hand")
    assert cli(*call_flags(), "--at", "2026-10-12 09:30").exit_code == 0
    (record,) = record_files(workspace.root)
    workspace.config_path.write_text(config, encoding="utf-8")
    git(workspace.root, "commit", "-q", "-am", "auto-commit again")
    checked = cli("check")
    assert checked.exit_code == 1
    assert checked.stdout == (f"{record.relative_to(workspace.root)}: saved but never committed "
                              "(an interrupted command or a full disk): other desks do not have "
                              "it; the next dutyctl command that commits shares it\n")
    (workspace.root / "notes.txt").write_text("记事\n", encoding="utf-8")
    assert cli("check").stdout.startswith("notes.txt: not tracked by git: other desks do not have "
                                          "it (git add and commit it, or delete it)\n")
    (workspace.root / "notes.txt").unlink()
    git(workspace.root, "add", "records")
    git(workspace.root, "commit", "-q", "-m", "the missing call")
    # committed, then taken out of git's index by hand: not "never committed" (a commit by
    # hand now would delete it on every desk)
    git(workspace.root, "rm", "-q", "--cached", str(record))
    removed = cli("check")
    assert removed.exit_code == 1 and removed.stdout == (
        f"{record.relative_to(workspace.root)}: in the last commit, but taken out of git's "
        "index (git rm --cached): a commit now would delete it on every desk; git add it "
        "back\n"), removed.stdout
    git(workspace.root, "add", str(record))
    assert cli("check").exit_code == 0
    # the roster grid exported where the manual's example puts it: no "git add" advised, and
    # a workspace made now leaves it out of git altogether (its .gitignore)
    grid = workspace.root / "排班表-2026-12.xlsx"
    grid.write_bytes(b"PK")
    assert cli("check").exit_code == 0  # ignored by the template's .gitignore
    ignore = workspace.root / ".gitignore"
    ignore.write_text(ignore.read_text(encoding="utf-8").replace("*.xlsx\n", ""),
                      encoding="utf-8")  # a workspace made before it
    git(workspace.root, "commit", "-q", "-am", "an older .gitignore")
    said = cli("--lang", "zh_CN", "check").stdout
    assert said.startswith("排班表-2026-12.xlsx: 导出的文件或报表放在了工作区里：") and \
        "git add" not in said, said
    grid.unlink()


@pytest.mark.auto_commit
def test_backup_copies_and_system_files_are_not_advised_into_git(workspace, cli):
    """Notepad's `rules - 副本.yaml`, a `.bak`, Windows' Thumbs.db: `check` said "git add and
    commit it" (a second rules file for every desk) and called Thumbs.db half-written; a copy
    in rosters/ was also "not a roster file name". A workspace made now ignores them; one made
    before is told what they are."""
    root = workspace.root
    rules = root / "rosters" / "rules.yaml"
    copies = [root / "rosters" / "rules - 副本.yaml", root / "rosters" / "2026-12.yaml.bak",
              root / "Thumbs.db", root / "desktop.ini"]
    for path in copies:
        path.write_bytes(rules.read_bytes() if path.suffix in (".yaml", ".bak") else b"")
    assert cli("check").exit_code == 0  # the template's .gitignore leaves them out
    ignore = root / ".gitignore"
    text = ignore.read_text(encoding="utf-8")
    ignore.write_text(text[:text.index("# Windows")], encoding="utf-8")  # an older workspace
    git(root, "commit", "-q", "-am", "an older .gitignore")
    said = cli("--lang", "zh_CN", "check").stdout
    lines = said.splitlines()
    assert len(lines) == 4 and all("电脑留下的备份副本或系统文件" in line for line in lines), said
    assert "git add" not in said and "不是排班表文件名" not in said


# -- time that makes sense --------------------------------------------------------------------

@pytest.fixture
def december_third(clock):
    """Now is 2026-12-03 09:00 at the site, whatever the machine's clock says."""
    clock.set("2026-12-03T09:00:00+08:00")


@pytest.mark.parametrize("command", [
    ("clock", "in", "--staff", "zhangwei"),
    call_flags(),
    ("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
     "--content", "楼道灯不亮"),
    ("emergency", "open", "--type", "water-outage", "--where", "3号楼"),
    ("handover", "--staff", "zhangwei", "--to", "lina", "--note", "无"),
])
def test_recording_in_the_future_is_refused(workspace, cli, december_third, command):
    october_site(workspace.root)
    head = git(workspace.root, "rev-parse", "HEAD")
    result = cli(*command, "--at", "2026-12-25 08:00")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.strip() == ("2026-12-25 08:00 is in the future (now "
                                     "2026-12-03 09:00): record what has happened, at the "
                                     "time it happened")  # the desk's local time, not ISO
    chinese = cli(*command, "--at", "2026-12-25 08:00", env={"DUTYCTL_LANG": "zh_CN"})
    assert "2026-12-25 08:00 在将来（现在是 2026-12-03 09:00）" in chinese.stderr
    assert record_files(workspace.root) == []
    assert git(workspace.root, "rev-parse", "HEAD") == head


def test_a_clock_a_few_minutes_ahead_is_not_the_future(workspace, cli, december_third):
    assert cli(*call_flags(), "--at", "2026-12-03 09:04").exit_code == 0
    late = cli(*call_flags(), "--at", "2026-12-03 09:06")
    assert late.exit_code == 2 and "is in the future" in late.stderr


def test_promises_and_plans_still_name_future_times(workspace, cli, december_third):
    called = cli(*call_flags(), "--at", "2026-12-03 08:50", "--callback-by", "2026-12-06 10:00")
    assert called.exit_code == 0, called.stderr
    repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--content", "水龙头漏水", "--at", "2026-12-03 08:55")
    assert repair.exit_code == 0, repair.stderr
    repair_id = repair.stdout.strip()
    assert cli("repair", "dispatch", repair_id, "--to", "liuyang",
               "--at", "2026-12-03 08:56").exit_code == 0
    eta = cli("repair", "eta", repair_id, "--by", "2026-12-10 15:00", "--at", "2026-12-03 09:00")
    assert eta.exit_code == 0, eta.stderr
    generated = cli("roster", "generate", "--month", "2026-12")
    assert generated.exit_code == 0, generated.stderr
    moved = cli("roster", "override", "2026-12-20", "day", "zhaolei", "--reason", "调班",
                "--force", "--role", "service")
    assert moved.exit_code == 0, moved.stderr


# -- who did it -------------------------------------------------------------------------------

@pytest.mark.auto_commit
def test_commits_are_authored_by_the_acting_staff_member(workspace, cli):
    config = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(config.replace(
        "  # email_domain: wuye.example.cn", "  email_domain: wuye.example.cn"), encoding="utf-8")
    git(workspace.root, "commit", "-q", "-am", "mail domain")
    complaint = cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                    "13812345678", "--content", "楼道灯不亮", "--at", "2026-10-12 09:00",
                    user="lina")
    assert complaint.exit_code == 0, complaint.stderr
    record_id = complaint.stdout.strip()
    handled = cli("complaint", "handle", record_id, "--action", "已派人更换灯泡",
                  "--at", "2026-10-12 09:30", user="zhangwei")
    assert handled.exit_code == 0, handled.stderr
    log = git(workspace.root, "log", "-2", "--format=%an <%ae>|%cn <%ce>|%s").splitlines()
    assert log[0].startswith("张伟 <zhangwei@wuye.example.cn>|Desk <desk@example.com>|投诉 ")
    assert log[0].endswith("：受理 — 张伟 (zhangwei)")
    assert log[1].startswith("李娜 <lina@wuye.example.cn>|Desk <desk@example.com>|投诉 ")
    assert log[1].endswith(" — 李娜 (lina)")


def test_a_mail_domain_that_is_none_is_reported(workspace, cli):
    config = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(config.replace(
        "  # email_domain: wuye.example.cn", "  email_domain: not a domain"), encoding="utf-8")
    line = workspace.config_path.read_text(encoding="utf-8").splitlines().index(
        "  email_domain: not a domain   # 提交作者：<员工编号>@<域名>（未设置时为 @dutyctl.invalid）"
    ) + 1
    checked = cli("check")
    assert checked.exit_code == 1
    assert f"dutyctl.yaml:{line}: git.email_domain: expected a mail domain" in checked.stdout


# -- ICS UIDs name the slot -------------------------------------------------------------------

def _events(cli) -> dict[str, tuple[int, str]]:
    import icalendar

    result = cli("roster", "export", "--format", "ics", "--month", "2026-12")
    assert result.exit_code == 0, result.stderr
    return {str(event["uid"]): (int(event["sequence"]), str(event["description"]))
            for event in icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")}


def test_ics_uids_stay_when_the_person_changes_and_sequence_rises(workspace, cli, clock):
    # the regeneration below keeps the days the clock has begun: none, on 11-26
    clock.set("2026-11-26T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12", "--at", "2026-11-20 10:00",
               "--seed", "1").exit_code == 0
    before = _events(cli)
    night = next(description for uid, (_, description) in before.items()
                 if uid == "2026-12-03-night-service-0@dutyctl")
    names = {"sunli": "孙丽", "chenjing": "陈静", "zhaolei": "赵磊"}  # a phone shows names
    stand_in = next(s for s in names if names[s] not in night)
    changed = cli("roster", "override", "2026-12-03", "night", stand_in, "--reason", "病假",
                  "--force", "--at", "2026-11-25 18:00")
    assert changed.exit_code == 0, changed.stderr
    after = _events(cli)
    assert after.keys() == before.keys()  # every slot keeps its UID
    moved = "2026-12-03-night-service-0@dutyctl"
    assert names[stand_in] in after[moved][1]
    assert after[moved][0] > before[moved][0]
    assert {uid: seq for uid, (seq, _) in after.items() if uid != moved} == {
        uid: seq for uid, (seq, _) in before.items() if uid != moved}
    # a regeneration with another seed moves people: the same UIDs, never two events per slot
    assert cli("roster", "generate", "--month", "2026-12", "--at", "2026-11-26 10:00",
               "--seed", "7", "--force").exit_code == 0
    regenerated = _events(cli)
    assert regenerated.keys() == before.keys()
    assert all(regenerated[uid][0] > after[uid][0] for uid in regenerated)


def test_a_change_recorded_with_an_earlier_time_still_raises_the_sequence(workspace, cli,
                                                                         clock):
    """A change entered with `--at` the time it was agreed, before the roster's generation
    (or before a change written since): its SEQUENCE was that time's, lower than the one a
    phone had, which then kept the old person."""
    clock.set("2026-11-26T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12", "--at", "2026-11-20 10:00",
               "--seed", "1").exit_code == 0
    moved = "2026-12-03-night-service-0@dutyctl"
    sequences = [_events(cli)[moved][0]]
    names = {"sunli": "孙丽", "chenjing": "陈静", "zhaolei": "赵磊"}
    for at in ("2026-11-19 18:00", "2026-11-18 09:00"):  # each earlier than the last
        night = _events(cli)[moved][1]
        stand_in = next(s for s in names if names[s] not in night)
        changed = cli("roster", "override", "2026-12-03", "night", stand_in, "--reason",
                      "病假", "--force", "--at", at)
        assert changed.exit_code == 0, changed.stderr
        sequences.append(_events(cli)[moved][0])
        assert names[stand_in] in _events(cli)[moved][1]
    assert sequences == sorted(set(sequences)), sequences


# -- closing without the work, reopening ------------------------------------------------------

def _complaint(cli, content: str, at: str) -> str:
    made = cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
               "13812345678", "--content", content, "--at", at)
    assert made.exit_code == 0, made.stderr
    return made.stdout.strip()


def test_a_ticket_closed_as_duplicate_withdrawn_or_invalid_and_reopened(workspace, cli):
    kept = _complaint(cli, "楼上装修噪音", "2026-10-12 09:00")
    twin = _complaint(cli, "楼上装修太吵", "2026-10-12 09:10")
    no_of = cli("complaint", "close", twin, "--as", "duplicate", "--reason", "同一件事",
                "--at", "2026-10-12 09:20")
    assert (no_of.exit_code, no_of.stderr) == (2, "a duplicate names the ticket that is kept\n")
    wrong = cli("complaint", "close", twin, "--as", "spam", "--reason", "x",
                "--at", "2026-10-12 09:20")
    assert wrong.exit_code == 2 and "unknown reason for closing 'spam'" in wrong.stderr
    closed = cli("complaint", "close", twin, "--as", "duplicate", "--of", kept,
                 "--reason", "同一件事", "--at", "2026-10-12 09:20")
    assert closed.exit_code == 0, closed.stderr
    record = workspace.store.get(twin)
    assert record.status == "cancelled"
    assert dict(record.events[-1].data) == {"closed_as": "duplicate", "link": kept}
    # the kept one closed in turn as a duplicate of its twin: both gone, the matter lost
    each_other = cli("complaint", "close", kept, "--as", "duplicate", "--of", twin,
                     "--reason", "同一件事", "--at", "2026-10-12 09:25")
    assert each_other.exit_code == 2
    assert each_other.stderr == (f"{twin[:12]} is closed itself as a duplicate of {kept[:12]}: "
                                 "name the ticket that is kept\n")
    again = cli("complaint", "close", twin, "--as", "withdrawn", "--reason", "x",
                "--at", "2026-10-12 09:30")
    assert again.exit_code == 2 and "is cancelled" in again.stderr
    reopened = cli("complaint", "reopen", twin, "--reason", "住户说是另一户",
                   "--at", "2026-10-12 10:00")
    assert reopened.exit_code == 0, reopened.stderr
    assert workspace.store.get(twin).status == "open"
    withdrawn = cli("complaint", "close", twin, "--as", "withdrawn", "--reason", "住户撤回",
                    "--at", "2026-10-12 10:30")
    assert withdrawn.exit_code == 0 and workspace.store.get(twin).status == "cancelled"
    listed = cli("list", "--open", "--format", "json")
    assert twin not in listed.stdout
    assert cli("check").exit_code == 0
