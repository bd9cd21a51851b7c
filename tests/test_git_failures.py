"""A failed auto-commit said in the screen's language: git runs with LC_ALL=C (its words always
English), and the `git 提交失败` line showed them after the Chinese (`fatal: Unable to create
…`). The common failures are said in the screen's language; any other keeps git's own first
line after `git 说：` (git said:)."""

from __future__ import annotations

import subprocess

import pytest

from dutyctl import gitsync, messages
from tests.helpers_foundation import call_flags

LOCKED = ("fatal: Unable to create '/srv/desk/.git/index.lock': File exists.\n\nAnother git "
          "process seems to be running in this repository, e.g.\nan editor opened by 'git "
          "commit'. Please make sure all processes\nare terminated then try again.\n")
NO_IDENTITY = ("Author identity unknown\n\n*** Please tell me who you are.\n\nRun\n\n  git "
               "config --global user.email \"you@example.com\"\n\nfatal: no email was given "
               "and auto-detection is disabled\n")
NOTHING = "On branch main\nnothing to commit, working tree clean\n"
OTHER = "error: insufficient permission for adding an object to repository database .git/objects\n"


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.start_invocation(None)
    yield
    monkeypatch.setenv("DUTYCTL_LANG", "en")  # the next test in this process reads English
    messages.start_invocation(None)


def test_the_common_failures_are_said_in_chinese(chinese):
    assert gitsync.git_failure(LOCKED) == ("另一个 git 进程正占用 /srv/desk/.git/index.lock，或是"
                                           "中途停止的 git 进程留下了它（确认没有 git 在运行后删除它）")
    assert gitsync.git_failure(NO_IDENTITY) == ("git 不知道提交人是谁：请用 git config user.name 姓名 "
                                                "和 git config user.email 邮箱 设置")
    assert gitsync.git_failure(NOTHING) == "git 认为没有需要提交的改动"
    assert gitsync.git_failure(OTHER) == ("git 说：error: insufficient permission for adding an "
                                          "object to repository database .git/objects")


def test_the_common_failures_in_english_and_dutyctl_s_own_words_as_they_are():
    assert gitsync.git_failure(LOCKED) == (
        "another git process holds /srv/desk/.git/index.lock, or one that stopped left it "
        "behind (remove it once no git is running)")
    assert gitsync.git_failure(NOTHING) == "git found nothing to commit"
    assert gitsync.git_failure(OTHER).startswith("git said: error: insufficient permission")
    assert gitsync.git_failure(".dutyctl: not a folder") == ".dutyctl: not a folder"


def test_git_s_own_words_are_read_in_its_c_locale(tmp_path):
    """The words matched are git's as it runs under dutyctl (LC_ALL=C, gitsync.GIT_ENV):
    a real index lock and a real commit of nothing."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f").write_text("x", encoding="utf-8")
    (tmp_path / ".git" / "index.lock").write_text("", encoding="utf-8")
    added = gitsync.git(tmp_path, "add", "f")
    assert added.returncode != 0
    assert gitsync.git_failure(added.stderr).startswith("another git process holds "), \
        added.stderr
    (tmp_path / ".git" / "index.lock").unlink()
    empty = gitsync.git(tmp_path, "-c", "user.name=x", "-c", "user.email=x@example.com",
                        "commit", "-q", "--allow-empty-message", "-m", "")
    assert gitsync.git_failure(empty.stdout + empty.stderr) == "git found nothing to commit"


@pytest.mark.auto_commit
def test_a_failed_commit_is_said_in_chinese_on_a_chinese_screen(cli, workspace, monkeypatch):
    """git refusing the commit for want of an identity: the line said `git 提交失败，记录已保存
    但未提交：Author identity unknown`; now all of it is Chinese, and says what to do."""
    real = gitsync._past_stale_lock

    def refused(root, args, lock, env=None, keep=()):
        if args[0] == "commit":
            return subprocess.CompletedProcess(["git", *args], 128, "", NO_IDENTITY)
        return real(root, args, lock, env=env, keep=keep)

    monkeypatch.setattr(gitsync, "_plumbed_commit", lambda *args, **kwargs: None)
    monkeypatch.setattr(gitsync, "_past_stale_lock", refused)
    said = cli("--lang", "zh_CN", *call_flags())
    assert said.exit_code == 0, said.stderr
    assert ("dutyctl：git 提交失败，记录已保存但未提交：git 不知道提交人是谁：请用 git config "
            "user.name 姓名 和 git config user.email 邮箱 设置") in said.stderr.splitlines(), \
        said.stderr
    assert "Author identity" not in said.stderr


def test_a_push_or_fetch_failure_git_alone_knows_is_said_as_git_s(chinese):
    """The sync's reason for a shared repository out of reach: a line it knows said in words
    with git's after; any other git's own after `git 说：`, as a commit's (was: bare)."""
    from dutyctl.sync import _git_failure

    assert _git_failure("fatal: protocol error: bad pack header\n") == \
        "git 说：protocol error: bad pack header"
