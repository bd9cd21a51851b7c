"""Sync after a review: a note a killed sync left never throws away a conflict settled by hand;
two desks pushing at once retry instead of failing; git's refusals said in the desk's words; a
staged file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers_foundation import git
from tests.test_sync import call, file_remote, first_desk, no_git_config  # noqa: F401

__all__ = ["file_remote", "no_git_config"]  # fixtures pytest finds here by name
from tests.test_sync import settling_a_conflict, sync

SETTLED_BUT_NOT_COMMITTED = (
    "本工作区正在手工合并，冲突已解决但还没有提交：本次未同步任何内容。请运行 dutyctl 检查，"
    "再 git commit，然后 dutyctl 同步（放弃这次合并：git merge --abort）\n")


def settle_by_hand(desk: Path) -> str:
    config = desk / "dutyctl.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("<<<<<<<"))
    end = next(i for i, line in enumerate(lines) if line.startswith(">>>>>>>"))
    settled = "".join(lines[:start]) + "  name: 阳光花园前台和夜班\n" + "".join(lines[end + 1:])
    config.write_text(settled, encoding="utf-8")
    git(desk, "add", "dutyctl.yaml")
    return settled


def assert_hand_work_kept(desk: Path, settled: str) -> None:
    done = Cli(desk)("--lang", "zh_CN", "同步")
    assert done.exit_code == 1, done.stderr
    assert done.stderr == SETTLED_BUT_NOT_COMMITTED
    assert (desk / ".git" / "MERGE_HEAD").is_file()
    assert (desk / "dutyctl.yaml").read_text(encoding="utf-8") == settled


def test_a_note_left_by_a_killed_sync_never_aborts_a_merge_settled_by_hand(tmp_path,
                                                                         file_remote):
    """A sync killed mid-merge left its note naming the commit; the clerk gave that merge up,
    ran git pull (the same commit), settled dutyctl.yaml by hand and added it: sync took the
    merge for its own and aborted it, throwing the hand work away."""
    front, night = settling_a_conflict(tmp_path, file_remote)
    merging = git(night, "rev-parse", "MERGE_HEAD").strip()
    (night / ".dutyctl" / "sync-merge").write_text(merging + "\n", encoding="utf-8")
    assert_hand_work_kept(night, settle_by_hand(night))


def test_a_merge_of_sync_settled_by_hand_after_it_was_killed_is_kept(tmp_path, file_remote):
    """The note keeps the merge as git left it (its fingerprint): once touched by hand, it is
    the hand's."""
    from dutyctl.sync import _merge_fingerprint

    front, night = settling_a_conflict(tmp_path, file_remote)
    merging = git(night, "rev-parse", "MERGE_HEAD").strip()
    (night / ".dutyctl" / "sync-merge").write_text(
        f"{merging}\n{_merge_fingerprint(night)}\n", encoding="utf-8")
    assert_hand_work_kept(night, settle_by_hand(night))


def test_a_stale_note_goes_when_no_merge_is_under_way(tmp_path, file_remote):
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    note = front / ".dutyctl" / "sync-merge"
    note.write_text("0" * 40 + "\n", encoding="utf-8")
    assert sync(front).exit_code == 0
    assert not note.exists()


def hook(remote: str, script: str) -> None:
    path = Path(remote) / "hooks" / "pre-receive"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)


def test_two_desks_pushing_at_once_fetch_and_push_again(tmp_path, file_remote):
    """The other desk's push took the branch's lock first: git says "[remote rejected] ...
    cannot lock ref ... is at ... but expected ...". That is the branch moving on (fetch, merge,
    push again), never the server refusing (exit 3, no retry)."""
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    once = tmp_path / "once"
    hook(file_remote, f"if [ ! -e '{once}' ]; then touch '{once}'; echo \"error: cannot lock "
         "ref 'refs/heads/main': is at 1111 but expected 2222\" >&2; exit 1; fi\nexit 0\n")
    call(front, "3-2-501", "2026-10-09 10:00")
    done = Cli(front)("--lang", "zh_CN", "同步")
    assert done.exit_code == 0, done.stderr
    assert once.exists()
    assert git(front, "rev-parse", "HEAD") == git(Path(file_remote), "rev-parse", "main")


def test_git_own_reason_for_a_refused_push_is_said_in_the_desk_words(tmp_path, file_remote):
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    hook(file_remote, "exit 1\n")  # says nothing: git's "pre-receive hook declined"
    call(front, "3-2-501", "2026-10-09 10:00")
    done = Cli(front)("--lang", "zh_CN", "同步")
    assert done.exit_code == 3
    assert done.stderr.startswith("origin 拒绝了推送：共享仓库的钩子拒绝了这次推送。"), done.stderr


def test_a_staged_file_the_merge_does_not_touch_is_named(tmp_path, file_remote):
    """A file git-added and not committed stops git's merge ("Merge with strategy ort failed",
    which sync said in English, exit 3): sync names it and says what to do (exit 1)."""
    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    night = tmp_path / "night-desk"
    git(tmp_path, "clone", "-q", file_remote, str(night))
    call(front, "3-2-501", "2026-10-09 10:00")
    assert sync(front).exit_code == 0
    call(night, "5-1-1202", "2026-10-09 10:05")  # a merge of both, not a fast-forward
    (night / "备忘.txt").write_text("交班提醒\n", encoding="utf-8")
    git(night, "add", "备忘.txt")
    head = git(night, "rev-parse", "HEAD")
    done = Cli(night)("--lang", "zh_CN", "同步")
    assert done.exit_code == 1, done.stderr
    assert "备忘.txt" in done.stderr and "git commit" in done.stderr, done.stderr
    assert "strategy" not in done.stderr
    assert git(night, "rev-parse", "HEAD") == head
    assert git(night, "-c", "core.quotepath=false", "diff", "--cached", "--name-only") == (
        "备忘.txt\n")


def test_a_conflicted_merge_of_sync_untouched_since_it_was_killed_is_undone(tmp_path,
                                                                          file_remote):
    """Its note's fingerprint still the merge's: sync's own, aborted, merged again, and the
    conflict said as sync says it (nothing left half merged)."""
    from dutyctl.sync import _merge_fingerprint

    front, night = settling_a_conflict(tmp_path, file_remote)
    merging = git(night, "rev-parse", "MERGE_HEAD").strip()
    (night / ".dutyctl" / "sync-merge").write_text(
        f"{merging}\n{_merge_fingerprint(night)}\n", encoding="utf-8")
    done = sync(night)
    assert done.exit_code == 1
    assert done.stderr.startswith("conflict: both sides changed dutyctl.yaml"), done.stderr
    assert not (night / ".git" / "MERGE_HEAD").exists()
    assert not (night / ".dutyctl" / "sync-merge").exists()


def test_check_says_a_file_git_pull_stopped_at_once(tmp_path, file_remote):
    """The file git stopped at is said once, with what to do (it was said twice: that line and
    'git conflict marker: resolve the merge first')."""
    front, night = settling_a_conflict(tmp_path, file_remote)
    said = Cli(night)("check").stdout
    assert "dutyctl.yaml: git pull stopped here" in said, said
    assert "git conflict marker" not in said, said


def test_a_rebase_git_pull_stopped_at_is_named_with_how_to_give_it_up(tmp_path, file_remote):
    """`git pull --rebase` stopped at a conflict: sync said 'detached HEAD' (check out its
    branch: wrong advice) and check only the conflict marker. Both name the rebase and
    `git rebase --abort`; after it, sync says the conflict as usual."""
    import subprocess

    from tests.test_sync_handmerge import settling_a_conflict_at

    front, night = settling_a_conflict_at(tmp_path, file_remote)
    config = night / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "name: 阳光花园小区物业", "name: 阳光花园夜班", 1), encoding="utf-8")
    who = ["-c", "user.name=x", "-c", "user.email=x@example.com"]
    git(night, *who, "commit", "-qam", "夜班")
    subprocess.run(["git", "-C", str(night), *who, "pull", "-q", "--rebase", "origin", "main"],
                   capture_output=True)
    assert (night / ".git" / "rebase-merge").is_dir()
    done = Cli(night)("--lang", "zh_CN", "同步")
    assert done.exit_code == 1, done.stderr
    assert "git rebase --abort" in done.stderr and "HEAD" not in done.stderr, done.stderr
    said = Cli(night)("check").stdout
    assert ("dutyctl.yaml: a git rebase is under way in this workspace (git pull --rebase "
            "stopped at a conflict)") in said, said
    assert "git conflict marker" not in said
    git(night, "rebase", "--abort")
    assert sync(night).stderr.startswith("conflict: both sides changed dutyctl.yaml")


def test_a_call_logged_while_a_rebase_is_stopped_survives_its_abort(tmp_path, file_remote,
                                                                     clock):
    """While `git pull --rebase` is stopped at a conflict HEAD is detached: the call's commit
    went there and `git rebase --abort` dropped it, the file with it. The record is saved
    and left uncommitted, said in one line, as during a merge; the abort leaves it."""
    import subprocess

    from tests.test_sync import clone, first_desk

    front = first_desk(tmp_path, file_remote)
    sync(front)
    night = clone(tmp_path, file_remote, "night-desk")
    who = ["-c", "user.name=x", "-c", "user.email=x@example.com"]
    for desk, said in ((front, "# 前台\n"), (night, "# 夜班\n")):  # both change one line
        rules = desk / "rosters" / "rules.yaml"
        rules.write_text(rules.read_text(encoding="utf-8") + said, encoding="utf-8")
        git(desk, *who, "commit", "-qam", said)
    assert sync(front).exit_code == 0
    subprocess.run(["git", "-C", str(night), *who, "pull", "-q", "--rebase", "origin", "main"],
                   capture_output=True)
    assert (night / ".git" / "rebase-merge").is_dir()
    record_id = call(night, "4-2-204", "2026-10-12 09:00")
    (path,) = [p for p in (night / "records").rglob("*.yaml") if p.stem == record_id]
    git(night, "rebase", "--abort")
    assert path.is_file()
    assert Cli(night)("show", record_id).exit_code == 0


def test_a_dutyctl_folder_another_desk_committed_is_never_merged_over_this_desks(
        tmp_path, file_remote):
    """A desk that committed `.dutyctl` (here a link, `git add -f`): the merge put it over
    every other desk's own folder, its outbox of unsent messages gone and nothing
    committable after. Now nothing is merged, said with what the desk that added it does;
    once it is removed there, the sync merges."""
    from tests.test_sync import clone, first_desk

    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    outbox = front / ".dutyctl" / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / "01TEST.wecom.json").write_text("{}", encoding="utf-8")
    night = clone(tmp_path, file_remote, "night-desk")
    (night / ".dutyctl").symlink_to(tmp_path)
    who = ["-c", "user.name=x", "-c", "user.email=x@example.com"]
    git(night, "add", "-f", ".dutyctl")
    git(night, *who, "commit", "-qm", "link")
    git(night, "push", "-q", "origin", "main")
    head = git(front, "rev-parse", "HEAD")
    refused = sync(front)
    assert refused.exit_code == 3
    assert refused.stderr.startswith("origin holds .dutyctl, each desk's own folder"), \
        refused.stderr
    assert "git rm -r --cached .dutyctl" in refused.stderr
    assert (outbox / "01TEST.wecom.json").is_file() and not (front / ".dutyctl").is_symlink()
    assert git(front, "rev-parse", "HEAD") == head  # nothing merged
    git(night, "rm", "-q", "-r", "--cached", ".dutyctl")
    git(night, *who, "commit", "-qm", "unlink")
    git(night, "push", "-q", "origin", "main")
    assert sync(front).exit_code == 0
    assert (outbox / "01TEST.wecom.json").is_file() and not (front / ".dutyctl").is_symlink()


@pytest.mark.parametrize("saved_as", ["utf-8", "gbk"])
def test_a_dutyctl_yaml_no_command_can_use_is_not_merged(tmp_path, file_remote, clock,
                                                         saved_as):
    """A desk pushed a dutyctl.yaml with a YAML mistake by hand: merged, it stopped every
    desk that synced (no call could be logged). Nothing is merged, said with its line; the
    desk logs calls on; once put right there, the sync merges it. One saved as GBK (Notepad
    on that desk) was "not UTF-8 text, or larger than any workspace file may be": said as
    any file not in UTF-8 is, at its line, with what to do."""
    from tests.test_sync import clone, first_desk

    front = first_desk(tmp_path, file_remote)
    assert sync(front).exit_code == 0
    night = clone(tmp_path, file_remote, "night-desk")
    config = night / "dutyctl.yaml"
    good = config.read_text(encoding="utf-8")
    broken = good.replace("site:\n", "site:\n  hotline: new: 1\n", 1)  # YAML refuses it
    assert broken != good
    who = ["-c", "user.name=x", "-c", "user.email=x@example.com"]
    if saved_as == "gbk":
        broken = good  # as it was, but in the Windows code page
    for text, said in ((broken, "broken"), (good + "# fixed\n", "fix")):
        config.write_bytes(text.encode(saved_as if said == "broken" else "utf-8", "replace"))
        git(night, *who, "commit", "-qam", said)
        git(night, "push", "-q", "origin", "main")
        if said == "broken":
            refused = sync(front)
            assert refused.exit_code == 3
            assert refused.stderr.startswith("origin has a dutyctl.yaml no command can use "
                                             "(dutyctl.yaml:"), refused.stderr
            if saved_as == "gbk":
                assert ": not UTF-8 text: it was saved as GBK" in refused.stderr, \
                    refused.stderr
            assert "nothing merged" in refused.stderr
            call(front, "4-2-204", "2026-10-12 09:00")  # the desk works on
    assert sync(front).exit_code == 0
    assert (front / "dutyctl.yaml").read_text(encoding="utf-8").endswith("# fixed\n")


def test_the_guards_hold_for_a_workspace_in_a_subfolder_of_its_repository(tmp_path,
                                                                          file_remote):
    """git ran the guard's diff from the workspace's folder, where pathspecs written from the
    repository's top matched nothing: a `.dutyctl` committed under `site/` was merged."""
    from tests.conftest import init_as_template

    who = ["-c", "user.name=x", "-c", "user.email=x@example.com"]
    front = tmp_path / "front"
    git(tmp_path, "init", "-q", "--initial-branch=main", str(front))
    init_as_template(front / "site")  # its first commit in the repository above it
    assert not (front / "site" / ".git").exists()
    git(front, "add", "-A")
    git(front, *who, "commit", "-qm", "site", check=False)  # (nothing left to commit)
    git(front, "remote", "add", "origin", file_remote)
    assert sync(front / "site").exit_code == 0
    night = tmp_path / "night"
    git(tmp_path, "clone", "-q", file_remote, str(night))
    (night / "site" / ".dutyctl").symlink_to(tmp_path)
    git(night, "add", "-f", "site/.dutyctl")
    git(night, *who, "commit", "-qm", "link")
    git(night, "push", "-q", "origin", "main")
    refused = sync(front / "site")
    assert refused.exit_code == 3, refused.stderr
    assert refused.stderr.startswith("origin holds .dutyctl"), refused.stderr
    assert not (front / "site" / ".dutyctl").is_symlink()
