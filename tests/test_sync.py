"""`dutyctl sync` between desks: a real git server process on 127.0.0.1 and a file remote, with
no git configuration at all (no identity, no pull.rebase, no global file)."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from dutyctl.check import check_workspace
from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli, init_as_template, run_dutyctl
from tests.helpers_foundation import call_flags, git, record_files, unreadable_folder


@pytest.fixture(autouse=True)
def no_git_config(monkeypatch, tmp_path):
    """Like a fresh desk: no global or system git config, so nothing hides a missing flag."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def git_server(tmp_path):
    """`git daemon` serving an empty shared repository, push enabled; its git:// URL."""
    base = tmp_path / "server"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(base / "site.git"))
    port = free_port()
    daemon = subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all",
                               "--enable=receive-pack", f"--base-path={base}",
                               "--listen=127.0.0.1", f"--port={port}", str(base)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or daemon.poll() is not None:
                    raise RuntimeError("git daemon did not start") from None
                time.sleep(0.05)
        yield f"git://127.0.0.1:{port}/site.git"
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


@pytest.fixture
def file_remote(tmp_path) -> str:
    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    return str(remote)


def first_desk(tmp_path: Path, url: str) -> Path:
    desk = tmp_path / "front-desk"
    init_as_template(desk)  # the template's recurring starts: a schedule files its November
    git(desk, "remote", "add", "origin", url)
    return desk


def clone(tmp_path: Path, url: str, name: str) -> Path:
    git(tmp_path, "clone", "-q", url, str(tmp_path / name))
    return tmp_path / name


def sync(desk: Path, *args: str):
    return Cli(desk)("sync", *args)


def call(desk: Path, room: str, at: str) -> str:
    made = Cli(desk)(*call_flags(room=room), "--at", at)
    assert made.exit_code == 0, made.stderr
    return made.stdout.strip()


def desks_each_with_a_call(tmp_path: Path, url: str, day: str = "2026-10-12"
                           ) -> tuple[Path, Path]:
    """(front, night): two desks of one shared repository, front's call (09:30 of `day`)
    shared, night's (09:40) not yet: night's next sync merges both."""
    front = first_desk(tmp_path, url)
    assert sync(front).exit_code == 0
    night = clone(tmp_path, url, "night-desk")
    call(front, "3-2-501", f"{day} 09:30")
    assert sync(front).exit_code == 0
    call(night, "5-1-1202", f"{day} 09:40")
    return front, night


def tree(desk: Path) -> list[str]:
    return [str(path.relative_to(desk)) for path in record_files(desk)]


@pytest.mark.parametrize("remote", ["git_server", "file_remote"])
def test_two_desks_share_through_sync(tmp_path, remote, request):
    url = request.getfixturevalue(remote)
    front = first_desk(tmp_path, url)
    first = sync(front)
    assert (first.exit_code, first.stdout) == (0, "pushed 1 commit(s) to origin/main\n")
    night = clone(tmp_path, url, "night-desk")
    call(front, "3-2-501", "2026-10-12 09:30")
    call(night, "5-1-1202", "2026-10-12 09:40")
    assert sync(front).stdout == "pushed 1 commit(s) to origin/main\n"
    # diverged: plain `git pull` on a desk without configuration refuses; sync merges
    merged = sync(night)
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout == "merged 1 record(s) from origin/main, pushed 2 commit(s)\n"
    again = sync(front)
    assert again.stdout == "merged 1 record(s) from origin/main\n"
    assert sync(front).stdout == "up to date with origin/main\n"
    assert tree(front) == tree(night) and len(tree(front)) == 2
    assert git(front, "rev-parse", "HEAD") == git(night, "rev-parse", "HEAD")
    assert git(night, "log", "-1", "--format=%s|%cn <%ce>") == (
        "dutyctl 同步：合并 origin/main|dutyctl <dutyctl@localhost>\n")
    assert git(night, "status", "--porcelain") == ""


def test_plain_git_pull_refuses_where_sync_merges(tmp_path, file_remote):
    _, night = desks_each_with_a_call(tmp_path, file_remote)
    pulled = subprocess.run(["git", "-C", str(night), "pull", "-q", "origin", "main"],
                            capture_output=True, text=True)
    assert pulled.returncode != 0 and "divergent branches" in pulled.stderr
    assert sync(night).exit_code == 0


def test_the_installed_binary_syncs_with_the_git_server(tmp_path, git_server, dutyctl_command):
    front = first_desk(tmp_path, git_server)
    done = run_dutyctl(dutyctl_command, "sync", root=front)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "pushed 1 commit(s) to origin/main\n", "")
    night = clone(tmp_path, git_server, "night-desk")
    checked = run_dutyctl(dutyctl_command, "check", root=night)
    assert checked.returncode == 0, checked.stdout


def renamed_on_both_desks(tmp_path: Path, url: str, *, front_call: bool = False
                          ) -> tuple[Path, Path]:
    """Two desks that both renamed the site (a dutyctl.yaml conflict): front's rename shared
    (after a call of its own, `front_call`), night's not synced yet."""
    front = first_desk(tmp_path, url)
    sync(front)
    night = clone(tmp_path, url, "night-desk")
    if front_call:
        call(front, "3-2-501", "2026-10-09 10:00")
    both_rename_the_site(front, night)
    assert sync(front).exit_code == 0
    return front, night


def fake_git(folder: Path, intercept: str) -> str:
    """A `git` first on PATH (a Python script in `folder`): `intercept`, Python run with
    `args` (its arguments) and `REAL` (the real git's path) at hand, may act and exit; any
    other call is the real git's. The PATH to run dutyctl with."""
    import shutil
    import sys
    import textwrap

    folder.mkdir()
    shim = folder / "git"
    shim.write_text(f"#!{sys.executable}\nimport os, signal, subprocess, sys, time\n"
                    f"REAL = {shutil.which('git')!r}\nargs = sys.argv[1:]\n"
                    f"{textwrap.dedent(intercept)}\nos.execv(REAL, [REAL] + args)\n",
                    encoding="utf-8")
    shim.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def both_rename_the_site(front: Path, night: Path) -> None:
    """Each desk commits its own site name in dutyctl.yaml: a conflict no desk can settle."""
    for desk, name in ((front, "前台"), (night, "夜班")):
        config = desk / "dutyctl.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "name: 阳光花园小区物业", f"name: 阳光花园{name}", 1), encoding="utf-8")
        git(desk, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", name)


def test_a_conflict_merges_nothing_and_says_what_to_do(tmp_path, file_remote):
    front, night = renamed_on_both_desks(tmp_path, file_remote)
    head = git(night, "rev-parse", "HEAD")
    result = sync(night)
    assert result.exit_code == 1
    assert result.stderr.startswith("conflict: both sides changed dutyctl.yaml; nothing was "
                                    "merged or pushed. Settle it by hand: git pull --no-rebase "
                                    "origin main")
    assert git(night, "rev-parse", "HEAD") == head
    assert git(night, "status", "--porcelain") == ""  # no half-done merge left behind


def test_a_workspace_that_fails_check_is_not_pushed(tmp_path, file_remote):
    front = first_desk(tmp_path, file_remote)
    sync(front)
    record_id = call(front, "3-2-501", "2026-10-12 09:30")
    (path,) = record_files(front)
    path.write_text(path.read_text(encoding="utf-8").replace(f"id: '{record_id}'", "id: 42"),
                    encoding="utf-8")
    git(front, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", "oops")
    remote_head = git(Path(file_remote), "rev-parse", "main")
    result = sync(front)
    assert result.exit_code == 1
    assert result.stderr == ("1 problem found by dutyctl check: nothing pushed; fix it "
                             "(dutyctl check lists it), then sync again\n")
    assert git(Path(file_remote), "rev-parse", "main") == remote_head


def test_a_sync_already_running_makes_the_next_one_skip(tmp_path, file_remote):
    front = first_desk(tmp_path, file_remote)
    lock = front / ".dutyctl" / "sync.lock"
    lock.parent.mkdir(exist_ok=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = sync(front)
    assert (result.exit_code, result.stdout) == (
        0, "another sync is running in this workspace: nothing done\n")
    assert git(Path(file_remote), "branch", "--list") == ""  # nothing was pushed


def test_without_a_remote_sync_says_how_to_add_one(tmp_path):
    desk = tmp_path / "desk"
    init_workspace(desk)
    result = sync(desk)
    assert (result.exit_code, result.stderr) == (
        2, "no git remote 'origin': add the shared repository with 'git remote add origin "
           "URL'\n")


def test_an_unreachable_server_is_an_environment_failure(tmp_path):
    desk = first_desk(tmp_path, f"git://127.0.0.1:{free_port()}/site.git")
    result = sync(desk)
    assert result.exit_code == 3
    assert result.stderr.startswith("git fetch from origin failed: ")
    assert "Traceback" not in result.stderr


def test_two_desks_filing_the_same_recurring_repairs_merge_as_one(tmp_path, file_remote):
    front = first_desk(tmp_path, file_remote)
    sync(front)
    night = clone(tmp_path, file_remote, "night-desk")
    for desk, user in ((front, "zhangwei"), (night, "lina")):
        filed = Cli(desk)("repair", "schedule", "--until", "2026-11-20", user=user)
        assert filed.exit_code == 0, filed.stderr
    assert tree(front) == tree(night) and tree(front)  # the same ids, the same files
    assert sync(front).exit_code == 0
    merged = sync(night)
    assert merged.exit_code == 0, merged.stderr
    # both sides filed the same files: nothing new came in, the merge commit goes out
    assert merged.stdout == "merged 0 record(s) from origin/main, pushed 2 commit(s)\n"
    assert sync(front).stdout == "merged 0 record(s) from origin/main\n"
    assert Cli(night)("check").exit_code == 0
    assert [path.read_bytes() for path in record_files(front)] == [
        path.read_bytes() for path in record_files(night)]
    # who ran it is the commit's author, on each desk
    authors = git(night, "log", "--no-merges", "--format=%an|%s").splitlines()
    assert sorted(authors) == ["dutyctl|dutyctl 初始化：新建工作区",
                               "张伟|周期性报修：登记截至 2026-11-20 的 5 条 — 张伟 (zhangwei)",
                               "李娜|周期性报修：登记截至 2026-11-20 的 5 条 — 李娜 (lina)"]



def a_step_clash_on_its_way(tmp_path, file_remote):
    """A complaint resolved and visited at the front desk (pushed) while the night desk,
    not synced, resolved it too: the night desk's next sync brings a step clash.
    (front, night, complaint id)."""
    front = first_desk(tmp_path, file_remote)
    made = Cli(front)("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                      "13812345678", "--content", "楼道灯不亮", "--at", "2026-10-12 09:00")
    complaint = made.stdout.strip()
    assert sync(front).exit_code == 0
    night = clone(tmp_path, file_remote, "night-desk")
    for args in (("resolve", complaint, "--result", "已换灯泡", "--at", "2026-10-12 10:00"),
                 ("visit", complaint, "--satisfaction", "5", "--at", "2026-10-12 11:00")):
        assert Cli(front)("complaint", *args).exit_code == 0
    late = Cli(night)("complaint", "resolve", complaint, "--result", "已报修",
                      "--at", "2026-10-12 12:00", user="lina")
    assert late.exit_code == 0, late.stderr
    assert sync(front).exit_code == 0
    return front, night, complaint

def test_steps_of_two_desks_that_clash_are_reported_never_a_silent_reopening(tmp_path,
                                                                             file_remote):
    front, night, complaint = a_step_clash_on_its_way(tmp_path, file_remote)
    merged = sync(night)  # pushed all the same: every desk must see it to settle it
    assert merged.exit_code == 0, merged.stderr
    record = Cli(night)("show", complaint, "--format", "json")
    assert '"status": "closed"' in record.stdout  # not "resolved" again
    assert '"conflict": [' in record.stdout and "resolve by 李娜" in record.stdout
    assert "conflict" in Cli(night)("show", complaint).stdout
    checked = Cli(night)("check")
    assert checked.exit_code == 1, checked.stderr
    (line,) = checked.stdout.splitlines()
    events = {event.action: event for event in
              __import__("dutyctl.workspace").workspace.Workspace(night).store.get(
                  complaint).events}
    late_event, visit = events["resolve"], events["visit"]
    assert line.startswith(f"{late_event.path}:1: resolve by 李娜 at 2026-10-12 12:00 "
                           f"conflicts with visit by 张伟 at 2026-10-12 11:00 "
                           f"({visit.path}:1), which had made")
    # the supervisor reading the day's report, not `check`, learns of it there too
    report = Cli(night)("--lang", "zh_CN", "日报", "--日期", "2026-10-12").stdout
    assert "1 个处理步骤与另一值班台的步骤冲突：主管处理之前不生效" in report
    assert f"{late_event.id[:12]}" in report and "张伟 10-12 11:00 回访" in report
    data = json.loads(Cli(night)("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    (clashes,) = [entry["items"] for entry in data["attention"] if entry["group"] == "clashes"]
    assert [(item["action"], item["by"], item["other_action"]) for item in clashes] == [
        ("resolve", "lina", "visit")]
    settled = Cli(night)("settle", complaint, "--event", late_event.id, "--reason", "夜班未同步",
                         "--at", "2026-10-12 13:00", user="zhangwei")
    assert settled.exit_code == 0, settled.stderr
    assert "步骤冲突" not in Cli(night)("--lang", "zh_CN", "日报", "--日期", "2026-10-12").stdout


def test_an_event_with_a_bad_payload_is_a_problem(tmp_path, file_remote):
    front = first_desk(tmp_path, file_remote)
    cli = Cli(front)
    complaint = cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                    "13812345678", "--content", "楼道灯不亮", "--at", "2026-10-12 09:00"
                    ).stdout.strip()
    cli("complaint", "resolve", complaint, "--result", "已换灯泡", "--at", "2026-10-12 10:00")
    cli("complaint", "visit", complaint, "--satisfaction", "4", "--at", "2026-10-12 11:00")
    visit = next(path for path in record_files(front)
                 if "satisfaction" in path.read_text(encoding="utf-8"))
    visit.write_text(visit.read_text(encoding="utf-8").replace("satisfaction: 4",
                                                               "satisfaction: five"),
                     encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 1
    relative = visit.relative_to(front)
    assert f"{relative}:7: satisfaction: expected a whole number" in checked.stdout


def short_staffed_october(desk: Path):
    """A shift of the rules needing three of the service role, not one: October 2026 made with
    unfilled places (findings that break no file). The generate's result."""
    rules = desk / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "    need:\n      service: 1\n    # night: true", "    need:\n      service: 3\n"
        "    # night: true", 1), encoding="utf-8")
    return Cli(desk)("roster", "generate", "--month", "2026-10", "--at", "2026-09-26 10:00")


def test_a_short_staffed_roster_or_a_forced_override_does_not_stop_the_desk_syncing(
        tmp_path, file_remote):
    """Unfilled places (a short-staffed month) and an override recorded with --force are
    findings `check` keeps listing, not broken files: the desk's records still reach the
    others. A roster git cannot even read is still refused."""
    front = first_desk(tmp_path, file_remote)
    made = short_staffed_october(front)
    assert made.exit_code == 1 and "rosters/2026-10.yaml" in made.stderr  # unfilled places
    forced = Cli(front)("roster", "override", "2026-10-20", "night", "lina", "--reason", "顶班",
                        "--force", "--staff", "zhangwei")
    assert forced.exit_code == 0, forced.stderr
    # the rules edited to need 3 went with the roster made from them (roster generate)
    assert git(front, "status", "--porcelain") == ""
    call(front, "3-2-501", "2026-10-12 09:30")
    assert Cli(front)("check").exit_code == 1
    result = sync(front)
    assert result.exit_code == 0, result.stderr
    assert git(Path(file_remote), "rev-parse", "main") == git(front, "rev-parse", "HEAD")
    roster = front / "rosters" / "2026-10.yaml"
    roster.write_text("<<<<<<< HEAD\n" + roster.read_text(encoding="utf-8"), encoding="utf-8")
    git(front, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", "oops")
    broken = sync(front)
    assert broken.exit_code == 1 and "nothing pushed" in broken.stderr


def test_a_step_naming_someone_the_other_desk_took_out_of_the_rules_still_syncs(
        tmp_path, file_remote):
    """高峰 left: one desk took him out of the rules while the other dispatched a repair to
    him. Every later sync of that desk was refused ("broken files"), its burst-pipe repair
    kept off the server, until someone put him back. The step is sound: `check` names him,
    the records go."""
    front, night = desks_each_with_a_call(tmp_path, file_remote)
    repair = Cli(front)("repair", "file", "--name", "钱七", "--room", "6-2-801", "--phone",
                        "13500007777", "--content", "水管爆了", "--at", "2026-10-12 10:00")
    assert repair.exit_code == 0, repair.stderr
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0
    rules = front / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    gone = "  - id: gaofeng\n    name: 高峰\n    roles: [technician]\n"
    assert gone in text
    rules.write_text(text.replace(gone, ""), encoding="utf-8")
    git(front, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", "高峰离职")
    assert sync(front).exit_code == 0
    sent = Cli(night)("repair", "dispatch", repair.stdout.strip(), "--to", "gaofeng", "--at",
                      "2026-10-12 10:05")
    assert sent.exit_code == 0, sent.stderr
    merged = sync(night)
    assert merged.exit_code == 0, merged.stderr
    assert git(Path(file_remote), "rev-parse", "main") == git(night, "rev-parse", "HEAD")
    checked = Cli(night)("check")
    assert checked.exit_code == 1
    assert "no staff member 'gaofeng' in the rules (taken out since?)" in checked.stdout


def test_sync_counts_the_problems_check_counts(tmp_path, file_remote, monkeypatch, clock):
    """A short-staffed month (findings that break no file) and a broken record file: sync
    refuses for the broken file, and says as many problems as `check` lists, not fewer;
    checking the workspace once (each record file read once), the roster's findings added."""
    front = first_desk(tmp_path, file_remote)
    made = short_staffed_october(front)
    assert made.exit_code == 1  # unfilled places
    record_id = call(front, "3-2-501", "2026-10-12 09:30")
    (path,) = record_files(front)
    path.write_text(path.read_text(encoding="utf-8").replace(f"id: '{record_id}'", "id: 42"),
                    encoding="utf-8")
    git(front, "add", "-A")
    git(front, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "oops")
    checked = Cli(front)("check")
    counted = int(checked.stderr.splitlines()[-1].split()[0])  # under the warnings
    assert checked.exit_code == 1 and counted == len(checked.stdout.splitlines()) > 1
    from dutyctl import check
    from dutyctl.store.recordstore import Store

    checks, days_read = [], []
    monkeypatch.setattr(check, "check_workspace", lambda *args, **kwargs: checks.append(kwargs)
                        or check_workspace(*args, **kwargs))
    load_day = Store.load_day
    monkeypatch.setattr(Store, "load_day", lambda store, day, *args: days_read.append(day)
                        or load_day(store, day, *args))
    refused = sync(front)
    assert refused.exit_code == 1
    assert refused.stderr == (f"{counted} problems found by dutyctl check, 1 of them in "
                              "broken files: nothing pushed; fix those (dutyctl check lists "
                              "them), then sync again\n")
    assert len(checks) == 1 and days_read == [date(2026, 10, 12)]  # once
    monkeypatch.undo()
    assert git(Path(file_remote), "branch", "--list") == ""  # nothing was pushed
    full = check_workspace(Workspace(front))
    assert len(full) == counted
    looked = check_workspace(Workspace(front), findings=False)  # sync's look
    findings = check.roster_findings(Workspace(front))
    assert findings and not any(problem.breaks_a_file for problem in findings)
    assert sorted(looked + findings, key=str) == sorted(full, key=str)


def test_a_conflict_in_a_file_of_chinese_name_names_it_as_written(tmp_path, file_remote):
    """git quotes and escapes such paths (\\347\\231\\275...) unless asked for them whole."""
    front = first_desk(tmp_path, file_remote)
    note = front / "交接备忘.txt"
    note.write_text("初稿\n", encoding="utf-8")
    git(front, "add", "交接备忘.txt")
    git(front, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "备忘")
    sync(front)
    night = clone(tmp_path, file_remote, "night-desk")
    for desk, text in ((front, "前台改\n"), (night, "夜班改\n")):
        (desk / "交接备忘.txt").write_text(text, encoding="utf-8")
        git(desk, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", text)
    assert sync(front).exit_code == 0
    result = sync(night)
    assert result.exit_code == 1
    assert result.stderr.startswith("conflict: both sides changed 交接备忘.txt; nothing was"), \
        result.stderr


def test_a_desk_with_a_broken_dutyctl_yaml_still_merges_the_fix(tmp_path, file_remote):
    """The merge commit's message is said in the site's language, read from the file's text:
    loading the whole (broken) config for it stopped sync before the merge."""
    front = first_desk(tmp_path, file_remote)
    sync(front)
    night = clone(tmp_path, file_remote, "night-desk")
    call(front, "3-2-501", "2026-10-12 09:30")
    assert sync(front).exit_code == 0
    config = night / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "site: [broken\n", encoding="utf-8")
    git(night, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", "oops")
    result = sync(night)
    assert result.exit_code == 1, result.stderr  # merged, then nothing pushed (check fails)
    assert len(record_files(night)) == 1  # front's call came in
    assert "nothing pushed" in result.stderr


def test_check_while_settling_a_conflict_does_not_call_the_merged_records_lost(tmp_path,
                                                                               file_remote):
    """The README's way out of a conflict: `git pull --no-rebase`, fix the file, `dutyctl
    检查`, commit. The check in the middle must not say the other desk's records, staged by the
    merge, were 'saved but never committed (an interrupted command or a full disk)'."""
    front, night = settling_a_conflict(tmp_path, file_remote)
    git(night, "checkout", "--theirs", "dutyctl.yaml")
    git(night, "add", "dutyctl.yaml")
    checked = Cli(night)("--lang", "zh_CN", "检查")
    assert "从未提交" not in checked.stderr + checked.stdout
    assert "never committed" not in Cli(night)("check").stdout
    # a record this desk itself left uncommitted is still said
    leftover = night / "records" / "2026" / "10" / "09" / "01M3XXXXXXXXXXXXXXXXXXXXXX.yaml"
    leftover.write_text((next((front / "records").rglob("*.yaml"))).read_text(
        encoding="utf-8"), encoding="utf-8")
    assert "01M3XXXXXXXXXXXXXXXXXXXXXX.yaml: saved but never committed" in Cli(night)(
        "check").stdout
    leftover.unlink()
    # the desk goes on meanwhile: a call is saved (not staged: an aborted merge would delete
    # it), said in one line
    made = Cli(night)("--lang", "zh_CN", *call_flags(room="2-1-302"), "--at", "2026-10-09 11:00")
    assert made.exit_code == 0
    assert "本工作区正在手工合并" in made.stderr and "partial commit" not in made.stderr
    saved, = saved_during_the_merge(night, made.stdout.strip())
    git(night, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "合并")
    age(saved)
    assert sync(night).exit_code == 0  # commits it first, then pushes it with the merge
    assert git(night, "status", "--porcelain") == ""
    assert git(night, "log", "-1", "--format=%s").startswith("dutyctl：补提交")


def test_sync_right_after_a_merge_settled_by_hand_shares_the_record_saved_meanwhile(
        tmp_path, file_remote):
    """The usual way: a call saved while the conflict was open, `git commit` of the merge,
    `dutyctl 同步` at once. The record is seconds old (younger than gitsync.HEAL_AFTER), yet it
    was saved before the merge commit HEAD is and no dutyctl command is committing (the git
    lock is free): sync commits it and pushes, instead of refusing it as a broken file."""
    front, night = settling_a_conflict(tmp_path, file_remote)
    git(night, "checkout", "--theirs", "dutyctl.yaml")
    git(night, "add", "dutyctl.yaml")
    made = Cli(night)(*call_flags(room="2-1-302"), "--at", "2026-10-09 11:00")
    assert made.exit_code == 0, made.stderr
    saved, = saved_during_the_merge(night, made.stdout.strip())
    git(night, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "合并")
    done = sync(night)
    assert done.exit_code == 0, done.stderr
    assert "nothing pushed" not in done.stderr
    assert git(night, "status", "--porcelain") == ""
    assert sync(front).exit_code == 0
    assert (front / saved.relative_to(night)).is_file()


def young_record(tmp_path: Path) -> tuple[Path, Workspace, Path]:
    """A workspace with a record saved a moment ago and not committed."""
    root = tmp_path / "site"
    init_workspace(root)
    young = root / "records" / "2026" / "10" / "09" / "01M3XXXXXXXXXXXXXXXXXXXXXX.yaml"
    young.parent.mkdir(parents=True)
    young.write_text("id: 01M3XXXXXXXXXXXXXXXXXXXXXX\n", encoding="utf-8")
    return root, Workspace(root), young


def test_a_young_record_another_command_is_committing_is_left_to_it(tmp_path, monkeypatch,
                                                                     capsys):
    """A command saves its record before it takes the git lock, so a young record not saved
    before a merge commit may be another terminal's, about to be committed (review H): sync
    waits for that command (saying so), and commits nothing of it itself."""
    import threading

    from dutyctl import gitsync

    monkeypatch.setattr(gitsync, "HEAL_AFTER", 20.0)
    root, workspace, young = young_record(tmp_path)

    def its_own_commit():
        git(root, "add", str(young))
        git(root, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm",
            "来电 — 李娜")

    threading.Timer(0.5, its_own_commit).start()
    started = time.monotonic()
    # True: committed meanwhile, so the check that refused it is asked again (it was said
    # as a problem to fix, sync refused, and `check` at once found nothing)
    assert gitsync.commit_left_over(root, workspace.state_dir, at_once=True) is True
    assert time.monotonic() - started < 10  # not the whole HEAL_AFTER
    assert git(root, "log", "-1", "--format=%s").strip() == "来电 — 李娜"
    assert "waiting 20 s for the command that saved it" in capsys.readouterr().err


def test_sync_right_after_an_interrupted_command_waits_then_sends_its_record(tmp_path,
                                                                            monkeypatch,
                                                                            capsys):
    """A command interrupted between its save and its commit, `sync` at once: the record was
    refused as not shared (check's problem: "fix it, then sync again"), though sync commits it
    30 s later. Sync waits until the record is HEAL_AFTER old, then commits it as left over."""
    from dutyctl import gitsync

    monkeypatch.setattr(gitsync, "HEAL_AFTER", 1.0)
    root, workspace, young = young_record(tmp_path)
    started = time.monotonic()
    assert gitsync.commit_left_over(root, workspace.state_dir, at_once=True) is True
    assert time.monotonic() - started >= 0.9
    assert git(root, "status", "--porcelain", "--", "records") == ""
    assert "not committed yet: waiting 1 s" in capsys.readouterr().err


def test_a_young_record_is_left_while_a_command_holds_the_lock(tmp_path):
    """Not at once (a command's own commit): a young record is left to the terminal that
    saved it; once older than HEAL_AFTER it is a left-over, committed."""
    from dutyctl import gitsync

    root, workspace, young = young_record(tmp_path)
    assert gitsync.commit_left_over(root, workspace.state_dir) is False
    assert git(root, "status", "--porcelain", "--", "records").startswith("??")
    then = time.time() - gitsync.HEAL_AFTER - 1
    os.utime(young, (then, then))
    assert gitsync.commit_left_over(root, workspace.state_dir, at_once=True) is True
    assert git(root, "status", "--porcelain", "--", "records") == ""


def settling_a_conflict(tmp_path: Path, url: str) -> tuple[Path, Path]:
    """Both desks changed dutyctl.yaml; the night desk's `git pull` stopped at the conflict
    (the merge under way), and front's call came in with it."""
    front, night = renamed_on_both_desks(tmp_path, url, front_call=True)
    assert sync(night).exit_code == 1
    subprocess.run(["git", "-C", str(night), "-c", "user.name=x", "-c",
                    "user.email=x@example.com", "pull", "-q", "--no-rebase", "origin", "main"],
                   capture_output=True)
    assert (night / ".git" / "MERGE_HEAD").is_file()
    return front, night


def saved_during_the_merge(desk: Path, record_id: str) -> list[Path]:
    """The record's file, left untracked by the command that saved it."""
    found = [path for path in (desk / "records").rglob(f"{record_id}.yaml")]
    assert found and git(desk, "status", "--porcelain", "--", str(found[0])).startswith("??")
    return found


def age(path: Path) -> None:
    """Older than gitsync.HEAL_AFTER: no command of another terminal is about to commit it."""
    then = time.time() - 3600
    os.utime(path, (then, then))


def test_a_record_saved_while_settling_a_conflict_survives_the_merge_being_aborted(
        tmp_path, file_remote):
    """`git merge --abort` deletes the new files the merge had staged: a record saved meanwhile
    must not be among them. The next command commits it, alone, as a leftover."""
    front, night = settling_a_conflict(tmp_path, file_remote)
    git(night, "checkout", "--theirs", "dutyctl.yaml")  # half settled, then given up
    made = Cli(night)(*call_flags(room="2-1-302"), "--at", "2026-10-09 11:00")
    assert made.exit_code == 0, made.stderr
    assert "a merge is under way" in made.stderr
    saved, = saved_during_the_merge(night, made.stdout.strip())
    git(night, "merge", "--abort")
    assert saved.is_file()
    age(saved)
    again = Cli(night)(*call_flags(room="2-1-303"), "--at", "2026-10-09 11:30")
    assert again.exit_code == 0, again.stderr
    assert "also committed 1 record file left uncommitted" in again.stderr
    assert git(night, "status", "--porcelain") == ""
    assert git(night, "log", "-1", "--skip=1", "--name-only", "--format=").strip() == \
        saved.relative_to(night).as_posix()


def october_at_both_desks(tmp_path: Path, url: str) -> tuple[Path, Path]:
    """The first desk generates October 2026 and shares it; the second clones it."""
    front = first_desk(tmp_path, url)
    made = Cli(front)("roster", "generate", "--month", "2026-10", "--at", "2026-09-26 10:00")
    assert made.exit_code == 0, made.stderr
    assert sync(front).exit_code == 0
    return front, clone(tmp_path, url, "night-desk")


def override(desk: Path, *args: str, user: str = "zhangwei") -> None:
    done = Cli(desk)("roster", "override", *args, user=user)
    assert done.exit_code == 0, done.stderr


def both_desks_settled(front: Path, night: Path) -> None:
    """After the night desk's sync settled the October roster: nothing left over there, both
    desks' overrides kept, and the front desk at the same commit after its own sync."""
    assert git(night, "status", "--porcelain") == ""
    assert overrides_of(night) == [("2026-10-27", "chenjing", "sunli"),
                                   ("2026-10-26", "sunli", "chenjing")]
    assert sync(front).exit_code == 0
    assert git(front, "rev-parse", "HEAD") == git(night, "rev-parse", "HEAD")


def overrides_of(desk: Path) -> list[tuple[str, str, str]]:
    from dutyctl.roster.rosterfile import read_roster

    roster, problems = read_roster(desk / "rosters" / "2026-10.yaml", "october")
    assert problems == []
    return [(o.day.isoformat(), o.staff, o.replaces) for o in roster.overrides]


def test_two_desks_changing_one_months_roster_merge_through_sync(tmp_path, file_remote):
    """Each desk records a roster override (and a call) in October: sync merges both desks'
    overrides into the one roster file, in the order they were recorded, instead of stopping
    at git's conflict in rosters/2026-10.yaml with nothing merged."""
    front, night = october_at_both_desks(tmp_path, file_remote)
    override(front, "2026-10-26", "night", "sunli", "--reason", "病假", "--at", "2026-10-12 09:20")
    override(night, "2026-10-27", "night", "chenjing", "--reason", "家中有事",
             "--at", "2026-10-12 09:10", user="lina")
    call(front, "3-2-501", "2026-10-12 09:30")
    call(night, "5-1-1202", "2026-10-12 09:40")
    assert sync(front).exit_code == 0
    merged = sync(night)
    # the front desk's change the merge brought is said (the record count says no roster's)
    assert (merged.exit_code, merged.stderr) == (0, "rosters/2026-10.yaml: brought by the sync: "
                                                 "Mon 10-26 夜班 客服专员: 陈静 -> 孙丽 "
                                                 "(recorded by 张伟)\n")
    assert merged.stdout == "merged 1 record(s) from origin/main, pushed 3 commit(s)\n"
    assert sync(front).stdout == "merged 1 record(s) from origin/main\n"
    assert git(front, "rev-parse", "HEAD") == git(night, "rev-parse", "HEAD")
    assert git(night, "status", "--porcelain") == ""
    assert overrides_of(night) == [("2026-10-27", "chenjing", "sunli"),
                                   ("2026-10-26", "sunli", "chenjing")]
    # written as dutyctl writes it (the site's header, the stats of both changes), and sound
    roster = (night / "rosters" / "2026-10.yaml").read_text(encoding="utf-8")
    assert roster.startswith("# 值班排班表 2026-10-01 至 2026-10-31") and "<<<<<<<" not in roster
    checked = Cli(night)("roster", "check", "2026-10")
    assert checked.exit_code == 0, checked.stdout
    assert Cli(night)("check").exit_code == 0
    # the same month typed at one desk in that order gives the very same file
    alone = clone(tmp_path, file_remote, "alone")
    first = git(night, "log", "-1", "--format=%H", "--grep=家中有事").strip()
    git(alone, "checkout", "-q", f"{first}~1", "--", "rosters/2026-10.yaml")  # as generated
    override(alone, "2026-10-27", "night", "chenjing", "--reason", "家中有事",
             "--at", "2026-10-12 09:10", user="lina")
    override(alone, "2026-10-26", "night", "sunli", "--reason", "病假", "--at", "2026-10-12 09:20")
    assert (alone / "rosters" / "2026-10.yaml").read_text(encoding="utf-8") == roster


def test_two_desks_changing_the_same_place_keep_both_and_say_so(tmp_path, file_remote,
                                                                dutyctl_command):
    """Both desks put someone in 张伟's day place on 10-28: both overrides are kept in the order
    they were recorded, the later one takes the place, and sync (the installed binary) says so
    in one line."""
    front, night = october_at_both_desks(tmp_path, file_remote)
    override(front, "2026-10-28", "day", "chenjing", "--reason", "调班",
             "--at", "2026-10-12 09:30")
    override(night, "2026-10-28", "day", "zhaolei", "--replaces", "zhangwei", "--reason", "顶班",
             "--force", "--at", "2026-10-12 09:25", user="lina")
    assert sync(front).exit_code == 0
    merged = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "sync", root=night)
    assert (merged.returncode, merged.stdout) == (0, "已从 origin/main 合并 0 条记录，推送 2 个提交\n")
    assert merged.stderr == (
        "rosters/2026-10.yaml：10月28日 周三 白班 两个值班台都改了：本值班台记录由 赵磊 顶上"
        "（李娜 记录），origin/main 上记录由 陈静 顶上（张伟 记录）；两条都按记录时间保留，"
        "后记录的 陈静 生效\n")
    assert overrides_of(night) == [("2026-10-28", "zhaolei", "zhangwei"),
                                   ("2026-10-28", "chenjing", "zhaolei")]
    shown = Cli(night)("roster", "show", "--from", "2026-10-28", "--to", "2026-10-28")
    assert "Wed 10-28  陈静* 高峰 " in shown.stdout  # the day shift: 陈静 holds the place
    assert sync(front).exit_code == 0
    assert git(front, "rev-parse", "HEAD") == git(night, "rev-parse", "HEAD")


def stays_a_conflict(front: Path, night: Path, files: str) -> None:
    """front syncs first; night's sync then stops at the conflict in `files`, its HEAD and
    working tree as they were: nothing merged, nothing pushed."""
    assert sync(front).exit_code == 0
    head = git(night, "rev-parse", "HEAD")
    result = sync(night)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"conflict: both sides changed {files}; nothing was merged "
                                    "or pushed"), result.stderr
    assert git(night, "rev-parse", "HEAD") == head
    assert git(night, "status", "--porcelain") == ""


def test_a_roster_both_desks_regenerated_stays_a_conflict(tmp_path, file_remote):
    front, night = october_at_both_desks(tmp_path, file_remote)
    for desk, seed in ((front, "1"), (night, "2")):
        made = Cli(desk)("roster", "generate", "--month", "2026-10", "--seed", seed, "--force",
                         "--at", "2026-09-27 10:00")
        assert made.exit_code in (0, 1), made.stderr
    stays_a_conflict(front, night, "rosters/2026-10.yaml")


def test_a_roster_merged_beside_another_conflict_is_left_as_it_was(tmp_path, file_remote):
    """Overrides both desks added, and dutyctl.yaml both changed: nothing is merged (the roster
    file written for the merge goes with the aborted merge), both files named."""
    front, night = october_at_both_desks(tmp_path, file_remote)
    override(front, "2026-10-26", "night", "sunli", "--reason", "病假", "--at", "2026-10-12 09:20")
    override(night, "2026-10-27", "night", "chenjing", "--reason", "家中有事",
             "--at", "2026-10-12 09:10", user="lina")
    both_rename_the_site(front, night)
    stays_a_conflict(front, night, "dutyctl.yaml, rosters/2026-10.yaml")
    assert overrides_of(night) == [("2026-10-27", "chenjing", "sunli")]


def test_a_record_left_uncommitted_is_committed_and_pushed_by_sync(tmp_path, file_remote):
    """A record a command saved but never committed (a crash), and nothing else to push: sync
    commits it, as the next command would, and pushes that commit (it was counted before)."""
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    record_id = call(front, "3-2-501", "2026-10-12 09:30")
    saved, = [path for path in (front / "records").rglob(f"{record_id}.yaml")]
    git(front, "reset", "-q", "--soft", "HEAD~1")  # as if the commit never came
    git(front, "rm", "-q", "--cached", str(saved))
    age(saved)
    pushed = sync(front)
    assert (pushed.exit_code, pushed.stdout) == (0, "pushed 1 commit(s) to origin/main\n"), \
        pushed.output
    assert git(front, "rev-parse", "HEAD") == git(front, "rev-parse", "origin/main")
    assert git(front, "status", "--porcelain") == ""



def test_a_sync_that_merges_reads_the_merged_config_once_per_workspace(tmp_path, file_remote,
                                                                        monkeypatch):
    """What a merge brought (a roster override, a record) is said from one reading of the
    merged workspace's dutyctl.yaml: the roster's news and the records' news share it; the
    check after them reads it once more, in a workspace of its own (two readings in all)."""
    from dutyctl.workspace import Workspace

    front, night = october_at_both_desks(tmp_path, file_remote)
    override(front, "2026-10-26", "night", "sunli", "--reason", "病假", "--at", "2026-10-12 09:20")
    call(front, "3-2-501", "2026-10-12 09:30")
    call(night, "5-1-1202", "2026-10-12 09:40")
    assert sync(front).exit_code == 0
    loads = []
    parsed_config = Workspace.parsed_config

    def counted(workspace):
        if "_parsed_config" not in workspace.__dict__:  # a workspace's first reading
            loads.append(workspace.root)
        return parsed_config(workspace)

    monkeypatch.setattr(Workspace, "parsed_config", counted)
    merged = sync(night)
    assert (merged.exit_code, merged.stderr) == (0, "rosters/2026-10.yaml: brought by the sync: "
                                                 "Mon 10-26 夜班 客服专员: 陈静 -> 孙丽 "
                                                 "(recorded by 张伟)\n")
    assert merged.stdout == "merged 1 record(s) from origin/main, pushed 2 commit(s)\n"
    # the news's one, and the check's after them (a workspace of its own: the news may commit)
    assert len(loads) == 2


def test_a_sync_asks_once_whether_git_sees_other_parents(tmp_path, file_remote, monkeypatch):
    """Whether the commits' walks are git's (githead.history_replaced: grafts, replace refs,
    a shallow boundary) was asked by each walk of a sync: the count before and after its
    merge, the check's look at what changed (two or three times); no sync changes it."""
    from dutyctl.store import githead

    front, night = october_at_both_desks(tmp_path, file_remote)
    asked = []
    replaced = githead.history_replaced
    monkeypatch.setattr(githead, "history_replaced",
                        lambda root: asked.append(root) or replaced(root))
    for at, desk in enumerate((front, night, front)):
        call(desk, f"3-2-50{at}", f"2026-10-12 09:3{at}")
        asked.clear()
        done = sync(desk)
        assert done.exit_code == 0, done.stderr
        assert asked == [desk], (done.stdout, asked)
    assert done.stdout.startswith("merged 1 record(s) from origin/main, pushed 2 commit(s)")


@pytest.mark.parametrize("address, meaning", [
    ("/nonexistent/site.git", "no shared repository at that address"),
    ("connection-refused", "the server refused the connection (it is down)"),
])
def test_why_the_server_cannot_be_reached_is_said_in_words(tmp_path, address, meaning,
                                                            monkeypatch):
    """git's last line ("and the repository exists.") was all the desk was told: now what
    it means, git's first line, and that nothing was lost, in the desk's language."""
    url = f"git://127.0.0.1:{free_port()}/site.git" if address == "connection-refused" \
        else address
    desk = first_desk(tmp_path, url)
    result = sync(desk)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"git fetch from origin failed: {meaning} (git: "), \
        result.stderr
    assert "and the repository exists" not in result.stderr
    assert result.stderr.rstrip().endswith("Nothing was lost: this desk's records stay here "
                                           "and go with the next sync that reaches it")


def test_the_rules_a_roster_was_made_from_go_with_it(tmp_path, file_remote):
    """A supervisor edits the rules (a new name) and generates: the roster's commit carries
    the edited rules, so the other desk's check is clean after its sync (it listed every place
    of the new staff member, and its hint to generate again would have used the old rules).
    An edit not committed is said at the sync, as not sent."""
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    night = clone(tmp_path, file_remote, "night-desk")
    rules = front / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("name: 高峰", "name: 吴刚"),
                     encoding="utf-8")
    made = Cli(front)("roster", "generate", "--month", "2026-11", "--at", "2026-10-20 10:00")
    assert made.exit_code in (0, 1), made.stderr
    assert "rosters/rules.yaml (edited) is committed with the roster" in made.stderr
    assert git(front, "status", "--porcelain") == ""
    assert "连同为此修改的排班规则" in git(front, "log", "-1", "--format=%s")  # the site speaks Chinese
    assert sync(front).exit_code == 0
    assert sync(night).exit_code == 0
    assert "吴刚" in (night / "rosters" / "rules.yaml").read_text(encoding="utf-8")
    assert [problem for problem in check_workspace(Workspace(night))
            if "吴刚" in problem.message] == []
    config = night / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# 新的说明\n", encoding="utf-8")
    said = sync(night)
    assert said.exit_code == 0
    assert ("dutyctl.yaml: edited on this desk and not committed, so not sent" in said.stderr)
    assert "rules.yaml" not in said.stderr


def test_a_roster_whose_generate_was_cut_short_is_committed_or_said(tmp_path, file_remote,
                                                                   dutyctl_command):
    """`roster generate … 2>&1 | head -1` (the reader gone at its first line, exit 141) left
    the roster it replaced written and never committed: the desks named different people on
    duty with `check` clean on both and `sync` "up to date". The roster is committed before a
    word is said; one left uncommitted anyway (a kill between its write and its commit) is
    said by `sync` as not sent."""
    front = first_desk(tmp_path, file_remote)
    made = Cli(front)("roster", "generate", "--month", "2026-11", "--at", "2026-10-20 10:00")
    assert made.exit_code in (0, 1), made.stderr
    assert sync(front).exit_code == 0
    before = git(front, "rev-parse", "HEAD")
    env = {**os.environ, "DUTYCTL_LANG": "en"}
    cut = subprocess.run(
        f"{' '.join(dutyctl_command)} roster generate --month 2026-11 --at '2026-10-20 10:00' "
        "--seed 3 --force 2>&1 | head -c 1", shell=True, cwd=front, env=env,
        capture_output=True)
    assert cut.returncode == 0
    assert git(front, "status", "--porcelain", "--", "rosters") == ""
    assert git(front, "rev-parse", "HEAD") != before  # its commit made
    git(front, "reset", "-q", "HEAD~1")  # as a kill between its write and its commit
    said = sync(front)
    assert said.exit_code == 0, said.stderr
    assert ("rosters/2026-11.yaml: edited on this desk and not committed, so not sent"
            in said.stderr)


def test_a_merge_git_died_in_takes_back_the_files_it_wrote(tmp_path, file_remote,
                                                           monkeypatch):
    """A full disk during the merge: git wrote some of the other desk's records (one cut to
    0 bytes) and died before recording the merge. They were left: `check` called them this
    desk's records never committed, and the next command committed the empty files under
    the clerk's name. They are taken back; the next sync merges them whole."""
    from dutyctl import sync as sync_module

    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    night = clone(tmp_path, file_remote, "night-desk")
    brought = [call(front, room, at) for room, at in (("3-2-501", "2026-10-12 09:30"),
                                                      ("5-1-1202", "2026-10-12 09:31"))]
    assert sync(front).exit_code == 0
    call(night, "2-1-302", "2026-10-12 09:40")
    real_git = sync_module.git

    def dying(root, *args, **kwargs):
        if "merge" in args and "--no-edit" in args:  # git writes two files, then the disk fills
            theirs = args[-1]
            for number, record_id in enumerate(brought):
                name = real_git(root, "ls-tree", "-r", "--name-only", theirs).stdout.split()
                path = next(root / one for one in name if record_id in one)
                path.parent.mkdir(parents=True, exist_ok=True)
                text = real_git(root, "show", f"{theirs}:{path.relative_to(root)}").stdout
                path.write_text("" if number else text, encoding="utf-8")
            return subprocess.CompletedProcess(args, 128, "", "error: unable to write file "
                                               "records/x.yaml: No space left on device\n")
        return real_git(root, *args, **kwargs)

    monkeypatch.setattr(sync_module, "git", dying)
    # the night desk's own edit of dutyctl.yaml, committed and not yet pushed, then edited on
    config = night / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# 夜班改的\n", encoding="utf-8")
    git(night, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", "改")
    config.write_text(config.read_text(encoding="utf-8") + "# 还没提交\n", encoding="utf-8")
    failed = sync(night)
    assert "# 还没提交" in config.read_text(encoding="utf-8")  # no file of the merge's
    config.write_text(config.read_text(encoding="utf-8").replace("# 还没提交\n", ""),
                      encoding="utf-8")
    assert failed.exit_code == 3, failed.stderr
    assert "what it wrote is taken back" in failed.stderr
    assert git(night, "status", "--porcelain", "--untracked-files=all", "--", "records") == ""
    assert len(record_files(night)) == 1  # its own call alone
    monkeypatch.setattr(sync_module, "git", real_git)
    assert Cli(night)("check").exit_code == 0
    merged = sync(night)
    assert merged.exit_code == 0, merged.stderr
    assert len(record_files(night)) == 3
    assert all(path.stat().st_size > 0 for path in record_files(night))


def test_an_empty_record_file_is_never_committed_as_a_leftover(tmp_path):
    """dutyctl writes a record whole: an empty file under records/ is what a program killed
    mid-write left (git on a full disk), and it was committed under the desk's name as one
    of its own records left over."""
    from dutyctl import gitsync

    root, workspace, young = young_record(tmp_path)
    empty = young.with_name("01M3YYYYYYYYYYYYYYYYYYYYYY.yaml")
    empty.write_text("", encoding="utf-8")
    then = time.time() - gitsync.HEAL_AFTER - 1
    for path in (young, empty):
        os.utime(path, (then, then))
    assert gitsync.commit_left_over(root, workspace.state_dir) is True
    assert git(root, "status", "--porcelain", "--untracked-files=all", "--", "records") == (
        f"?? {empty.relative_to(root).as_posix()}\n")
    said = Cli(root)("check").stdout
    assert (f"{empty.relative_to(root).as_posix()}: empty, and not tracked by git: what a "
            "program stopped while writing it left (a full disk); delete it") in said


def night_pushes_by_hand(tmp_path: Path, url: str, text: str) -> tuple[Path, Path]:
    """(front, night): front's first sync made, then night commits a record file holding
    `text` (01M3ZZZZ… of 2026-10-12) by hand and pushes it."""
    front = first_desk(tmp_path, url)
    assert sync(front).exit_code == 0
    night = clone(tmp_path, url, "night-desk")
    bad = night / "records" / "2026" / "10" / "12" / "01M3ZZZZZZZZZZZZZZZZZZZZZZ.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text(text, encoding="utf-8")
    git(night, "add", str(bad))
    git(night, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "手工")
    git(night, "push", "-q", "origin", "HEAD:main")
    return front, night


def test_a_broken_file_another_desk_pushed_does_not_hold_back_this_desks_records(
        tmp_path, file_remote):
    """Night pushed a broken record by hand: every desk's sync refused to push its own calls
    until someone mended night's file, though pushing changed nothing of it. Said as the
    shared branch has it; this desk's records go. A broken file of this desk's own still
    holds the push back."""
    front, night = night_pushes_by_hand(tmp_path, file_remote, "id: [broken\n")
    mine = call(front, "3-2-501", "2026-10-12 09:30")
    shared = sync(front)
    assert shared.exit_code == 0, shared.stderr
    assert "01M3ZZZZZZZZZZZZZZZZZZZZZZ.yaml" in shared.stderr
    assert "broken as origin has it (another desk's)" in shared.stderr
    assert git(Path(file_remote), "rev-parse", "main") == git(front, "rev-parse", "HEAD")
    assert sync(night).exit_code == 0
    assert any(mine in path.name for path in record_files(night))
    # a shared record broken by hand here, not committed: this desk's, never "another desk's"
    (theirs_now,) = [path for path in record_files(night) if mine in path.name]
    theirs_now.write_text("id: [broken here\n", encoding="utf-8")
    call(night, "5-1-1202", "2026-10-12 10:00")
    edited = sync(night)
    assert edited.exit_code == 1 and "nothing pushed" in edited.stderr, edited.stderr
    assert f"{mine}.yaml" not in "".join(line for line in edited.stderr.splitlines()
                                         if "another desk's" in line)
    git(night, "checkout", "--", str(theirs_now))
    own = front / "records" / "2026" / "10" / "12" / "01M3YYYYYYYYYYYYYYYYYYYYYY.yaml"
    own.write_text("id: [broken too\n", encoding="utf-8")
    git(front, "add", str(own))
    git(front, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "手工")
    refused = sync(front)
    assert refused.exit_code == 1 and "nothing pushed" in refused.stderr


def test_a_refused_record_of_another_shape_another_desk_pushed_is_named_not_a_crash(
        tmp_path, file_remote):
    """Night pushed a record by hand with no created_at and `links: 5`: every other desk's
    sync read it again for its other problems (check.half_read_records), met a number where
    ids go and ended with the unexpected error (exit 3), at each try, until someone mended
    the file. Now it is named as the shared branch has it, and this desk's records go."""
    front, _ = night_pushes_by_hand(tmp_path, file_remote, "kind: call\nlinks: 5\n")
    call(front, "3-2-501", "2026-10-12 09:30")
    shared = sync(front)
    assert shared.exit_code == 0, shared.stderr
    assert "01M3ZZZZZZZZZZZZZZZZZZZZZZ.yaml" in shared.stderr
    assert "unexpected error" not in shared.stderr
    assert git(Path(file_remote), "rev-parse", "main") == git(front, "rev-parse", "HEAD")


def test_a_shared_history_rewritten_with_force_is_said_not_blamed_on_the_disk(
        tmp_path, file_remote):
    """Another desk replaced the shared branch by a history of its own (git push --force):
    sync said git failed writing the files and to free disk space, exit 3. Now it says the
    histories share nothing, its two causes (a remote that is another repository too) and
    what to do, exit 1, nothing merged or pushed."""
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    night = clone(tmp_path, file_remote, "night-desk")
    git(night, "checkout", "-q", "--orphan", "anew")
    git(night, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "重来")
    git(night, "push", "-q", "--force", "origin", "anew:main")
    pushed = git(Path(file_remote), "rev-parse", "main")
    call(front, "3-2-501", "2026-10-12 09:30")
    refused = sync(front)
    assert refused.exit_code == 1, refused.stderr
    assert refused.stderr.splitlines()[-1] == (
        "origin/main shares no history with this desk: nothing was merged or pushed. Either "
        "origin is not this site's shared repository (git remote -v shows where it points), "
        "or someone rewrote it and pushed with force: then ask them to push the old history "
        "back, or clone the shared repository anew and copy this desk's records it lacks into "
        "the clone")
    assert git(Path(file_remote), "rev-parse", "main") == pushed


def test_a_record_dated_ahead_of_the_clock_is_never_waited_for(tmp_path):
    """A record whose time is a day ahead (the desk's clock put back since, a copy keeping
    its times) made sync wait 86,430 s for "the command that saved it", holding the sync
    lock: it is left over, committed at once."""
    from dutyctl import gitsync

    root, workspace, young = young_record(tmp_path)
    ahead = time.time() + 86400
    os.utime(young, (ahead, ahead))
    started = time.monotonic()
    assert gitsync.commit_left_over(root, workspace.state_dir, at_once=True) is True
    assert time.monotonic() - started < 5
    assert git(root, "status", "--porcelain", "--", "records") == ""


def test_a_day_folder_this_desk_cannot_read_still_holds_back_the_push(tmp_path, file_remote,
                                                                      monkeypatch):
    """The shared branch has the folder too, but it holds this desk's own records the check
    could not read: never waved through as another desk's file."""
    _, night = desks_each_with_a_call(tmp_path, file_remote)
    unreadable_folder(monkeypatch, night / "records" / "2026" / "10" / "12")
    refused = sync(night)
    assert refused.exit_code == 1 and "nothing pushed" in refused.stderr, refused.stderr
    assert "another desk's" not in refused.stderr


def test_a_killed_writes_temporary_file_of_sync_checked_is_cleared(tmp_path, file_remote):
    """`.sync-checked.<hex>.tmp` a killed sync left stayed for ever beside the file written
    again at every sync: cleared once it is older than a write takes."""
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    stale = front / ".dutyctl" / ".sync-checked.a1b2c3d4e5f6.tmp"
    stale.write_text("half", encoding="utf-8")
    then = time.time() - 3600
    os.utime(stale, (then, then))
    call(front, "3-2-501", "2026-10-12 09:30")
    assert sync(front).exit_code == 0
    assert not stale.exists()


def test_a_record_a_little_ahead_of_the_clock_is_waited_for_then_committed(tmp_path,
                                                                           monkeypatch):
    """A record dated 30 s ahead (a file server's clock) was neither waited for nor left
    over: sync refused it as not tracked. It is waited for as a save of a moment ago, then
    committed."""
    from dutyctl import gitsync

    monkeypatch.setattr(gitsync, "HEAL_AFTER", 1.0)
    root, workspace, young = young_record(tmp_path)
    ahead = time.time() + 30
    os.utime(young, (ahead, ahead))
    assert gitsync.commit_left_over(root, workspace.state_dir, at_once=True) is True
    assert git(root, "status", "--porcelain", "--", "records") == ""


def test_a_first_sync_on_a_long_history_says_it_checks_everything_once(tmp_path,
                                                                       file_remote):
    """After `.dutyctl` was deleted, the next sync reread three years silently (13-23 s on
    the walk's history): with more than half a year of records it says why it takes a
    while; a small site's first sync says nothing of it."""
    import shutil

    front = first_desk(tmp_path, file_remote)
    assert "no sync has passed its check" not in sync(front).stderr
    for month in range(1, 9):
        folder = front / "records" / "2026" / f"{month:02d}" / "01"
        folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(front / ".dutyctl")
    assert "no sync has passed its check" in sync(front).stderr


@pytest.mark.auto_commit
def test_a_new_hire_put_on_a_shift_goes_to_the_other_desks_with_the_rules_naming_her(
        tmp_path, file_remote):
    """A supervisor adds 吴敏 to the rules and puts her on a shift (`排班 顶班`): the roster
    was committed alone, the other desks' rules lacking her (their sign-ins refused, `who`
    naming an id). The rules edited go with the change, as with `roster generate`."""
    front = first_desk(tmp_path, file_remote)
    made = Cli(front)("roster", "generate", "--month", "2026-10", "--at", "2026-09-26 10:00")
    assert made.exit_code in (0, 1), made.stderr
    rules = front / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "staff:\n", "staff:\n  - {id: wumin, name: 吴敏, roles: [service]}\n", 1),
        encoding="utf-8")
    put = Cli(front)("roster", "override", "2026-10-20", "night", "wumin", "--reason", "新员工",
                     "--force", "--staff", "zhangwei")
    assert put.exit_code == 0, put.stderr
    assert git(front, "status", "--porcelain") == ""
    changed = git(front, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["rosters/2026-10.yaml", "rosters/rules.yaml"]


def test_a_ctrl_c_while_sync_settles_a_roster_waits_and_the_next_sync_finishes(
        tmp_path, file_remote, monkeypatch):
    """Ctrl-C between writing the merged roster and staging it left a merge that looked
    begun by hand: sync would not finish it and offered `git merge --abort`, which then lost
    a roster change made meanwhile (the change was even promised to be committed after the
    merge). The Ctrl-C now waits until the roster is staged and noted as sync's own; the
    next sync finishes, and a roster change is refused while a merge is under way."""
    import signal

    from dutyctl import sync as sync_module

    front, night = october_at_both_desks(tmp_path, file_remote)
    override(front, "2026-10-26", "night", "sunli", "--reason", "病假", "--at", "2026-10-12 09:20")
    override(night, "2026-10-27", "night", "chenjing", "--reason", "家中有事",
             "--at", "2026-10-12 09:10", user="lina")
    assert sync(front).exit_code == 0
    written = sync_module.write_atomic

    def write_then_interrupted(path, text, *args, **kwargs):
        written(path, text, *args, **kwargs)
        if str(path).endswith("2026-10.yaml"):  # a Ctrl-C right after the roster's write
            os.kill(os.getpid(), signal.SIGINT)

    with monkeypatch.context() as patched:
        patched.setattr(sync_module, "write_atomic", write_then_interrupted)
        cut = sync(night)
    assert cut.exit_code == 130, cut.stderr  # interrupted, after the block
    assert "UU" not in git(night, "status", "--porcelain")  # staged: no file in conflict
    refused = Cli(night)("roster", "override", "2026-10-20", "night", "lina", "--reason",
                         "顶班", "--force", user="zhangwei")
    assert refused.exit_code == 2 and "a merge is under way" in refused.stderr, refused.stderr
    finished = sync(night)
    assert finished.exit_code == 0, finished.stderr
    both_desks_settled(front, night)


def test_two_sound_rules_edits_that_merge_into_unreadable_rules_are_not_merged(tmp_path,
                                                                               file_remote):
    """Each desk added a staff member of id xiaoming (小明, 肖明): each file sound, git merged
    them into rules with the id twice. The merge was committed, every roster command stopped
    at the rules and the desk's records were held back. Now nothing is merged, and said."""
    front, night = desks_each_with_a_call(tmp_path, file_remote)
    identity = ("-c", "user.name=x", "-c", "user.email=x@example.com")
    for desk, person in ((front, "    name: 小明\n    roles: [service]\n"),
                         (night, "    name: 肖明\n    roles: [technician]\n")):
        rules = desk / "rosters" / "rules.yaml"
        text = rules.read_text(encoding="utf-8")
        anchor = "  - id: gaofeng\n" if desk is front else "  - id: wangqiang\n"
        rules.write_text(text.replace(anchor, "  - id: xiaoming\n" + person + anchor, 1),
                         encoding="utf-8")
        git(desk, *identity, "commit", "-qam", "新员工")
        assert Cli(desk)("check").exit_code == 0
    assert sync(front).exit_code == 0
    head = git(night, "rev-parse", "HEAD")
    refused = sync(night)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("merging origin/main's rosters/rules.yaml with this desk's "
                                     "makes rules no command can read ("), refused.stderr
    assert "duplicate staff id 'xiaoming'" in refused.stderr
    assert git(night, "rev-parse", "HEAD") == head and git(night, "status", "--porcelain") == ""
    assert Cli(night)("who", "--at", "2026-10-12 10:00").exit_code != 2


def test_both_desks_taking_the_same_step_is_no_clash(tmp_path, file_remote):
    """Both desks typed the command the sync offered (the twin closed as a duplicate of the
    one kept): `check` asked a supervisor to settle one decision made twice. The same action
    with the same data repeats it: counted once, no clash. A different one still clashes."""
    front, night = desks_each_with_a_call(tmp_path, file_remote)
    filed = [Cli(front)("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                        "13900002222", "--content", content, "--at", at).stdout.strip()
             for content, at in (("门锁坏了", "2026-10-12 10:00"),
                                 ("门锁坏了打不开", "2026-10-12 10:10"))]
    kept, twin = filed
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0
    for desk, at in ((front, "2026-10-12 10:20"), (night, "2026-10-12 10:21")):
        closed = Cli(desk)("repair", "close", twin, "--as", "duplicate", "--of", kept,
                           "--reason", "重复", "--at", at)
        assert closed.exit_code == 0, closed.stderr
    Cli(night)("repair", "close", kept, "--as", "withdrawn", "--reason", "住户撤回", "--at",
               "2026-10-12 10:22")
    Cli(front)("repair", "dispatch", kept, "--to", "wangqiang", "--at", "2026-10-12 10:23")
    assert sync(front).exit_code == 0
    assert sync(night).exit_code == 0
    checked = Cli(night)("check")
    assert twin[:12] not in checked.stdout, checked.stdout  # the same close twice
    assert kept[:12] in checked.stdout  # withdrawn here, dispatched there: a clash still


def test_two_tickets_closed_as_each_others_duplicate_on_two_desks_are_said(tmp_path,
                                                                           file_remote):
    """Each desk, before syncing, closed the other twin as the duplicate: both cancelled, the
    matter had no ticket and `check` said all good."""
    front, night = desks_each_with_a_call(tmp_path, file_remote)
    first, second = [Cli(front)("repair", "file", "--name", "李四", "--room", "5-1-1202",
                                "--phone", "13900002222", "--content", content, "--at",
                                at).stdout.strip()
                     for content, at in (("门锁坏了", "2026-10-12 10:00"),
                                         ("门锁坏了打不开", "2026-10-12 10:10"))]
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0
    for desk, closed, kept in ((front, first, second), (night, second, first)):
        done = Cli(desk)("repair", "close", closed, "--as", "duplicate", "--of", kept,
                         "--reason", "重复", "--at", "2026-10-12 10:20")
        assert done.exit_code == 0, done.stderr
    assert sync(front).exit_code == 0 and sync(night).exit_code == 0
    checked = Cli(night)("check")
    assert checked.exit_code == 1
    lines = [line for line in checked.stdout.splitlines() if "no ticket of the matter" in line]
    assert len(lines) == 2 and any(first[:12] in line for line in lines), checked.stdout



def test_sync_commits_and_pushes_the_alerts_a_stopped_watch_left(tmp_path, file_remote):
    """A `notify watch` killed between its writes and its commit left its alert files: every
    later sync said them not shared and pushed nothing until someone ran git add."""
    desk = first_desk(tmp_path, file_remote)
    assert sync(desk).exit_code == 0
    alert = desk / "alerts" / "2026" / "10" / "12" / "01M4PSZA9MGG.arrive.missed.yaml"
    alert.parent.mkdir(parents=True)
    alert.write_text("subject: 01M4PSZA9MGG\nwhat: arrive\nalert: missed\n", encoding="utf-8")
    os.utime(alert, (time.time() - 120, time.time() - 120))
    done = sync(desk)
    assert done.exit_code == 0, done.stderr
    assert git(desk, "status", "--porcelain", "--", "alerts") == ""
    assert "alerts/2026/10/12/01M4PSZA9MGG.arrive.missed.yaml" in git(
        desk, "ls-tree", "-r", "--name-only", "origin/main")
