"""Two desks, one record: two real clones of a real bare remote merge with plain `git pull`."""

from __future__ import annotations

import shlex
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from dutyctl import gitsync
from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli, run_dutyctl
from tests.helpers_foundation import call_flags, git, identify, record_files

pytestmark = pytest.mark.auto_commit  # these tests are about git


def new_call(root: Path, *extra: str, name: str = "张三", room: str = "3-2-501") -> str:
    result = Cli(root)(*call_flags(name, room, "13812345678", "咨询", *extra))
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def add_event(root: Path, record_id: str, action: str, minutes: int, by: str, note: str) -> Path:
    """What a later `callback-done`/`note` command does: one event file, committed alone."""
    workspace = Workspace(root)
    record = workspace.store.get(record_id)
    updated = workspace.store.append(record, action, at=record.created_at
                                     + timedelta(minutes=minutes), by=by, note=note)
    path = Path(updated.events[-1].path)
    assert gitsync.commit(root, [path], f"{action} {record.short_id}", workspace.state_dir)
    return path


def pull(root: Path) -> str:
    """Plain git: no merge driver, no configuration beyond the desk's identity."""
    done = git(root, "pull", "--no-rebase", "--no-edit", "origin", "main")
    assert "CONFLICT" not in done
    return done


def tree(root: Path) -> list[str]:
    return [str(path.relative_to(root)) for path in record_files(root)]


def test_two_clones_change_the_same_record_and_merge_cleanly(tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    desk_a = tmp_path / "desk-a"
    init_workspace(desk_a)
    identify(desk_a, "Desk A", "a@example.com")
    assert git(desk_a, "symbolic-ref", "HEAD") == "refs/heads/main\n"  # committed by init
    git(desk_a, "remote", "add", "origin", str(remote))
    shared = new_call(desk_a, "--at", "2026-10-12 09:30", "--callback-by", "17:00")
    git(desk_a, "push", "-q", "origin", "main")

    desk_b = tmp_path / "desk-b"
    git(tmp_path, "clone", "-q", str(remote), str(desk_b))
    identify(desk_b, "Desk B", "b@example.com")
    assert Workspace(desk_b).store.get(shared).status == "awaiting-callback"

    # both desks act on the same record, and both file new calls, without syncing
    done_event = add_event(desk_a, shared, "callback-done", 120, "zhangwei", "已回电")
    call_a = new_call(desk_a, "--at", "2026-10-12 10:00", name="李四", room="1-1-101")
    note_event = add_event(desk_b, shared, "note", 60, "lina", "业主要求下午回电")
    call_b = new_call(desk_b, "--at", "2026-10-12 10:00", name="王五", room="2-2-202")

    git(desk_a, "push", "-q", "origin", "main")
    pull(desk_b)
    git(desk_b, "push", "-q", "origin", "main")
    pull(desk_a)

    for desk in (desk_a, desk_b):
        assert git(desk, "status", "--porcelain", "--untracked-files=no") == ""
        files = tree(desk)
        assert str(done_event.relative_to(desk_a)) in files
        assert str(note_event.relative_to(desk_b)) in files
        store = Workspace(desk).store
        record = store.get(shared)
        assert record.status == "called-back"
        assert [(e.action, e.by, e.note) for e in record.events] == [
            ("note", "lina", "业主要求下午回电"), ("callback-done", "zhangwei", "已回电")]
        assert {r.id for r in store.scan().records} == {shared, call_a, call_b}
        checked = Cli(desk)("check")
        assert checked.exit_code == 0, checked.stdout
    assert tree(desk_a) == tree(desk_b)
    assert git(desk_a, "rev-parse", "HEAD") == git(desk_b, "rev-parse", "HEAD")


def test_commit_falls_back_to_a_dutyctl_identity(workspace, dutyctl_command, monkeypatch,
                                                 tmp_path):
    git(workspace.root, "config", "--unset", "user.email")
    git(workspace.root, "config", "--unset", "user.name")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    done = run_dutyctl(dutyctl_command, *call_flags(), root=workspace.root)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    # the staff member is the author; with no desk identity, 'dutyctl' commits it
    assert git(workspace.root, "log", "-1", "--format=%an <%ae> / %cn <%ce>") == (
        "张伟 <zhangwei@dutyctl.invalid> / dutyctl <dutyctl@localhost>\n")


def test_desk_identity_is_used_when_set(workspace, cli):
    assert cli(*call_flags()).exit_code == 0
    assert git(workspace.root, "log", "-1", "--format=%an <%ae> / %cn <%ce>") == (
        "张伟 <zhangwei@dutyctl.invalid> / Desk <desk@example.com>\n")


def test_check_as_a_pre_commit_hook_refuses_a_broken_record(workspace, cli, dutyctl_command):
    root = workspace.root
    result = cli(*call_flags())
    record_id = result.stdout.strip()
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\nexec {shlex.join(dutyctl_command)} check\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    (path,) = [p for p in record_files(root) if p.name == f"{record_id}.yaml"]
    path.write_text(path.read_text(encoding="utf-8").replace("'3-2-501'", "0301"),
                    encoding="utf-8")
    refused = subprocess.run(["git", "-C", str(root), "commit", "-q", "-am", "hand edit"],
                             capture_output=True, text=True)
    assert refused.returncode != 0
    assert f"{path.relative_to(root)}:8: resident.room: expected a room" in refused.stderr
    assert git(root, "status", "--porcelain", str(path)).startswith(" M")
    path.write_text(path.read_text(encoding="utf-8").replace("0301", "'3-2-502'"),
                    encoding="utf-8")
    git(root, "commit", "-q", "-am", "hand edit")
    assert git(root, "status", "--porcelain", str(path)) == ""


def test_without_git_installed_one_warning_and_the_record_is_kept(workspace, monkeypatch,
                                                                   tmp_path, capsys):
    path = workspace.records_dir / "note.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert gitsync.commit(workspace.root, [path], "note", workspace.state_dir) is False
    warning = capsys.readouterr().err.strip().splitlines()
    assert len(warning) == 1 and "records saved but not committed" in warning[0]
    assert path.read_text(encoding="utf-8") == "a: 1\n"


def test_without_git_installed_the_reason_is_in_the_desks_language(workspace, monkeypatch,
                                                                    tmp_path, capsys):
    from dutyctl import messages

    path = workspace.records_dir / "note.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    with messages.speaking("zh_CN"):
        assert gitsync.commit(workspace.root, [path], "note", workspace.state_dir) is False
    warning = capsys.readouterr().err.strip()
    assert "git: 文件或文件夹不存在" in warning, warning
    assert "No such file" not in warning
