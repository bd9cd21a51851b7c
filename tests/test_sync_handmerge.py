"""`dutyctl sync` (cron) while a desk's own `git pull` has stopped at a conflict: the merge under
way is never aborted (it may hold files settled by hand); a roster conflict git left as it was is
settled as sync's own merge settles it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers_foundation import git
from tests.test_sync import file_remote, no_git_config  # noqa: F401  (fixtures)

__all__ = ["file_remote", "no_git_config"]  # fixtures pytest finds here by name
from tests.test_sync import (both_desks_settled, october_at_both_desks, override,
                             settling_a_conflict, sync)


def pull(desk: Path) -> None:
    subprocess.run(["git", "-C", str(desk), "-c", "user.name=x", "-c",
                    "user.email=x@example.com", "pull", "-q", "--no-rebase", "origin", "main"],
                   capture_output=True)
    assert (desk / ".git" / "MERGE_HEAD").is_file()


def refused_in_chinese(desk: Path, said: str) -> None:
    """`同步` at `desk` refuses with the one line `said` (exit 1) and commits nothing."""
    head = git(desk, "rev-parse", "HEAD")
    done = Cli(desk)("--lang", "zh_CN", "同步")
    assert (done.exit_code, done.stderr) == (1, said + "\n"), done.stderr
    assert git(desk, "rev-parse", "HEAD") == head


def pulled_into_an_october_conflict(tmp_path: Path, url: str) -> tuple[Path, Path]:
    """Both desks added an override to October; the front desk synced, the night desk ran a
    plain `git pull`, which stopped at rosters/2026-10.yaml. (front, night)."""
    front, night = october_at_both_desks(tmp_path, url)
    override(front, "2026-10-26", "night", "sunli", "--reason", "病假", "--at", "2026-10-12 09:20")
    override(night, "2026-10-27", "night", "chenjing", "--reason", "家中有事",
             "--at", "2026-10-12 09:10", user="lina")
    assert sync(front).exit_code == 0
    pull(night)
    return front, night


def test_sync_never_aborts_a_merge_settled_by_hand_and_not_yet_committed(tmp_path,
                                                                         file_remote):
    """The clerk settled dutyctl.yaml by hand (a name of both) and git-added it; cron's sync
    comes before `git commit`: it refuses, saying what is left to do, and the settled file and
    the merge stay as they were (it ran `git merge --abort`: the hand work was lost)."""
    front, night = settling_a_conflict(tmp_path, file_remote)
    config = night / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("<<<<<<<"))
    end = next(i for i, line in enumerate(lines) if line.startswith(">>>>>>>"))
    settled = "".join(lines[:start]) + "  name: 阳光花园前台和夜班\n" + "".join(lines[end + 1:])
    config.write_text(settled, encoding="utf-8")
    git(night, "add", "dutyctl.yaml")
    refused_in_chinese(night, "本工作区正在手工合并，冲突已解决但还没有提交：本次未同步任何内容。"
                              "请运行 dutyctl 检查，再 git commit，然后 dutyctl 同步（放弃这次合并："
                              "git merge --abort）")
    assert (night / ".git" / "MERGE_HEAD").is_file()
    assert config.read_text(encoding="utf-8") == settled
    # the clerk commits; the next sync pushes the merge
    git(night, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qm", "合并")
    assert sync(night).exit_code == 0
    assert sync(front).exit_code == 0
    assert "阳光花园前台和夜班" in (front / "dutyctl.yaml").read_text(encoding="utf-8")


def test_sync_leaves_a_conflict_being_settled_by_hand_as_it_is(tmp_path, file_remote):
    """Half way: the file still in conflict (edited or not). Sync names it and touches nothing."""
    front, night = settling_a_conflict(tmp_path, file_remote)
    before = (night / "dutyctl.yaml").read_text(encoding="utf-8")
    done = sync(night)
    assert done.exit_code == 1
    assert done.stderr.startswith("a merge is under way in this workspace (git pull stopped at "
                                  "a conflict): dutyctl.yaml still in conflict; nothing was "
                                  "synced."), done.stderr
    assert (night / ".git" / "MERGE_HEAD").is_file()
    assert (night / "dutyctl.yaml").read_text(encoding="utf-8") == before
    assert git(night, "diff", "--name-only", "--diff-filter=U") == "dutyctl.yaml\n"


def test_sync_settles_a_roster_conflict_plain_git_pull_stopped_at(tmp_path, file_remote):
    """Both desks only added overrides to October; the night desk ran `git pull` instead of
    sync and git stopped at rosters/2026-10.yaml. Sync settles it as its own merge would and
    pushes."""
    front, night = pulled_into_an_october_conflict(tmp_path, file_remote)
    done = sync(night)
    assert done.exit_code == 0, done.stderr
    both_desks_settled(front, night)


def test_a_roster_conflict_edited_by_hand_is_left_to_the_hand(tmp_path, file_remote):
    """The supervisor is settling the roster by hand (git's markers gone, not added yet): sync
    does not overwrite the file with its own merge."""
    front, night = pulled_into_an_october_conflict(tmp_path, file_remote)
    roster = night / "rosters" / "2026-10.yaml"
    by_hand = git(night, "show", ":3:rosters/2026-10.yaml")  # theirs, kept by hand
    roster.write_text(by_hand, encoding="utf-8")
    done = sync(night)
    assert done.exit_code == 1
    assert "rosters/2026-10.yaml still in conflict" in done.stderr
    assert roster.read_text(encoding="utf-8") == by_hand
    assert (night / ".git" / "MERGE_HEAD").is_file()


def test_a_file_changed_here_and_not_committed_that_the_merge_brings_is_named(tmp_path,
                                                                              file_remote):
    """The supervisor is editing dutyctl.yaml (not committed); the other desk changed it too.
    git will not merge over it: sync names the file and says what to do, in the desk's words
    (it said git's English 'Aborting' as an environment failure, exit 3), and the edit stays."""
    front, night = settling_a_conflict_at(tmp_path, file_remote)
    editing = (night / "dutyctl.yaml").read_text(encoding="utf-8").replace(
        "阳光花园小区物业", "阳光花园物业", 1)
    (night / "dutyctl.yaml").write_text(editing, encoding="utf-8")
    refused_in_chinese(night, "dutyctl.yaml 在本值班台改过但还没有提交，origin/main 上也改了："
                              "未合并也未推送任何内容。请先提交这些改动（git add、git commit）"
                              "或撤销它们，再 dutyctl 同步")
    assert (night / "dutyctl.yaml").read_text(encoding="utf-8") == editing
    assert not (night / ".git" / "MERGE_HEAD").exists()


def settling_a_conflict_at(tmp_path: Path, url: str) -> tuple[Path, Path]:
    """front renamed the site in dutyctl.yaml and shared it; night has not synced since."""
    from tests.test_sync import clone, first_desk

    front = first_desk(tmp_path, url)
    sync(front)
    night = clone(tmp_path, url, "night-desk")
    config = front / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "name: 阳光花园小区物业", "name: 阳光花园前台", 1), encoding="utf-8")
    git(front, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-qam", "前台")
    assert sync(front).exit_code == 0
    return front, night


def git_that_dies_in_the_merge(folder: Path) -> dict:
    """A `git` first on PATH that, for sync's merge, merges without committing and then kills
    the dutyctl that ran it: what a cron sync killed mid-merge leaves (git, its output pipe
    gone, dies before its commit). The environment to run dutyctl with."""
    from tests.test_sync import fake_git

    return {"PATH": fake_git(folder, """
        if "merge" in args and "--no-edit" in args:
            subprocess.run([REAL] + ["--no-commit" if arg == "--no-edit" else arg
                                     for arg in args])
            os.kill(os.getppid(), signal.SIGKILL)
            sys.exit(1)
        """)}


def test_a_sync_killed_in_its_merge_is_finished_by_the_next_one(tmp_path, file_remote,
                                                                dutyctl_command, monkeypatch):
    """cron's sync killed while merging (a reboot, a timeout) leaves git's merge under way with
    nothing by hand in it: the next sync redoes it and pushes, and the desk's record saved
    meanwhile is shared too (it refused, taking the merge for one begun by hand, for ever)."""
    from tests.conftest import run_dutyctl
    from tests.test_sync import call, clone, first_desk

    front = first_desk(tmp_path, file_remote)
    sync(front)
    night = clone(tmp_path, file_remote, "night-desk")
    call(front, "3-2-501", "2026-10-09 10:00")
    assert sync(front).exit_code == 0
    call(night, "5-1-1202", "2026-10-09 10:05")
    with monkeypatch.context() as patched:
        patched.setenv("PATH", git_that_dies_in_the_merge(tmp_path / "shim")["PATH"])
        killed = run_dutyctl(dutyctl_command, "sync", root=night)
    assert killed.returncode == -9, killed.stderr
    assert (night / ".git" / "MERGE_HEAD").is_file()  # the merge half done
    meanwhile = call(night, "2-1-302", "2026-10-09 10:10")
    done = sync(night)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("merged 1 record(s) from origin/main, pushed"), done.stdout
    assert not (night / ".git" / "MERGE_HEAD").exists()
    assert git(night, "status", "--porcelain") == ""
    assert sync(front).exit_code == 0
    assert git(front, "rev-parse", "HEAD") == git(night, "rev-parse", "HEAD")
    assert list((front / "records").rglob(f"{meanwhile}.yaml"))


def test_a_push_the_server_refuses_is_said_with_its_reason_and_tried_once(tmp_path,
                                                                         file_remote):
    """The shared repository's hook refuses pushes (maintenance, a protected branch): sync says
    so with the server's own words, once (it tried three times and then said the remote 'kept
    changing', which it had not); the next sync after the server takes pushes sends them."""
    from tests.test_sync import call, first_desk

    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    tries = tmp_path / "tries"
    hook = Path(file_remote) / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\necho x >> '{tries}'\necho '仓库维护中，暂停推送' >&2\nexit 1\n",
                    encoding="utf-8")
    hook.chmod(0o755)
    call(front, "3-2-501", "2026-10-09 10:00")
    done = Cli(front)("--lang", "zh_CN", "同步")
    assert done.exit_code == 3
    assert done.stderr == (
        "origin 拒绝了推送：仓库维护中，暂停推送。没有丢失任何内容：本值班台的记录仍在本地，"
        "共享仓库恢复接收后，下一次同步会把它们推送上去（请联系管理共享仓库的人）\n")
    assert tries.read_text(encoding="utf-8") == "x\n"
    hook.unlink()
    assert sync(front).stdout == "pushed 1 commit(s) to origin/main\n"



def test_the_desk_whose_override_the_other_desk_replaced_is_told(tmp_path, file_remote):
    """Both desks put someone in one place; the night desk merges (and says the clash). The
    front desk then only fast-forwards: it is told the roster change it brought, naming who now
    holds the place (it said 'merged 0 record(s)' and nothing else: its clerk still thought
    their own choice stood). A new month's roster is said too."""
    front, night = october_at_both_desks(tmp_path, file_remote)
    override(front, "2026-10-28", "day", "chenjing", "--reason", "调班",
             "--at", "2026-10-12 09:20")
    override(night, "2026-10-28", "day", "zhaolei", "--replaces", "zhangwei", "--reason", "顶班",
             "--force", "--at", "2026-10-12 09:25", user="lina")
    assert sync(front).exit_code == 0
    assert sync(night).exit_code == 0
    told = Cli(front)("--lang", "zh_CN", "同步")
    assert told.exit_code == 0, told.stderr
    assert told.stdout == "已从 origin/main 合并 0 条记录\n"
    assert told.stderr == ("rosters/2026-10.yaml：同步带来的排班调整：10月28日 周三 白班 客服专员："
                           "陈静 → 赵磊（李娜 记录）\n")
    made = Cli(night)("roster", "generate", "--month", "2026-11", "--at", "2026-10-20 10:00")
    assert made.exit_code in (0, 1), made.stderr
    assert sync(night).exit_code == 0
    told = Cli(front)("--lang", "zh_CN", "同步")
    assert told.stderr == "rosters/2026-11.yaml：同步带来了新的排班表\n"


def test_check_says_what_to_do_where_git_pull_stopped(tmp_path, file_remote):
    """A desk ran plain `git pull` and git stopped: `check` names each conflicted file with what
    to do (it said only 'git conflict marker: resolve the merge first'): a roster month is
    merged by `dutyctl sync`; another file is settled by hand."""
    front, night = pulled_into_an_october_conflict(tmp_path, file_remote)
    checked = Cli(night)("--lang", "zh_CN", "检查")
    assert checked.exit_code == 1
    assert ("rosters/2026-10.yaml: git pull 在这里停下：两个值班台都改了这个月的排班表；运行 dutyctl "
            "同步，会把两个值班台追加的调整合在一起（合不了时会说明怎样手工解决）") in checked.stdout
    assert "git 冲突标记" not in checked.stdout  # the file is said once, not its markers too
    assert sync(night).exit_code == 0
    assert Cli(night)("check").exit_code == 0


def test_check_says_how_to_settle_another_file_git_pull_stopped_at(tmp_path, file_remote):
    front, night = settling_a_conflict(tmp_path, file_remote)
    said = Cli(night)("check").stdout
    assert ("dutyctl.yaml: git pull stopped here: both desks changed this file; keep the right "
            "lines (delete the <<<<<<< ======= >>>>>>> lines), git add it, dutyctl check, git "
            "commit, then dutyctl sync") in said, said
    git(night, "checkout", "--theirs", "dutyctl.yaml")
    git(night, "add", "dutyctl.yaml")
    assert "git pull stopped here" not in Cli(night)("check").stdout


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_file_git_stopped_at_is_said_once_whatever_its_readers_words(tmp_path, file_remote,
                                                                      monkeypatch, lang):
    """In English and in Chinese, the conflict marker of a file git stopped at is left out of
    `check` by where it stands in the file, never by its words: a reader that words it its
    own way (another wording of the translation) still leaves one line for the file."""
    from dutyctl.store import yamlio

    front, night = settling_a_conflict(tmp_path, file_remote)
    worded = yamlio.gettext
    monkeypatch.setattr(yamlio, "gettext", lambda text: "(" + worded(text) + ")")
    said = Cli(night)("--lang", lang, "check").stdout
    assert [line.split(":", 1)[0] for line in said.splitlines()
            if line.startswith("dutyctl.yaml")] == ["dutyctl.yaml"], said
    assert ("git pull stopped here" if lang == "en" else "git pull 在这里停下") in said, said


def test_what_to_do_where_git_stopped_names_the_commands_in_the_users_words(
        tmp_path, file_remote, monkeypatch):
    """`检查` where git pull stopped names sync and check as the Chinese interface calls them
    (commandwords), as every other hint does, not as words written into the sentence: a
    command given another Chinese name is named by it; so is sync during a rebase."""
    from dutyctl import commandwords, gitsync, messages

    front, night = settling_a_conflict(tmp_path, file_remote)
    monkeypatch.delitem(commandwords.TOP, "同步")
    monkeypatch.setitem(commandwords.TOP, "同步共享", ("sync",))
    said = Cli(night)("--lang", "zh_CN", "检查").stdout
    assert "git add，运行 dutyctl 检查，git commit，然后 dutyctl 同步共享（" in said, said
    with messages.speaking("zh_CN"):
        assert gitsync.rebase_under_way().endswith("再 dutyctl 同步共享")
    english = Cli(night)("check").stdout
    assert "git add it, dutyctl check, git commit, then dutyctl sync (" in english, english
