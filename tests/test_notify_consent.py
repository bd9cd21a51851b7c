"""A command channel runs only with this desk's consent: dutyctl.yaml comes from every desk
through git, so its `command: [...]` runs only as this desk approved it (`notify allow`), and
a command changed since (a program, an argument, a script of the workspace) is never run. A
webhook's or secret's file inside the workspace (which any desk can commit) is never read."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyctl.notify.consent import ALLOWED
from dutyctl.notify.outbox import Outbox
from dutyctl.notify.send import NotSent, deliver
from dutyctl.workspace import Workspace
from tests.conftest import run_dutyctl
from tests.helpers_foundation import git

# a stand-in SMS client: the message on stdin, written to the marker file named by $1
MARKER_SCRIPT = 'cat > "$1"\n'


def sms_section(script: Path, marker: Path) -> str:
    return f"""
notify:
  channels:
    sms:
      type: command
      command: [/bin/sh, "{script}", "{marker}"]
  rules:
    emergency-opened: [sms]
"""


@pytest.fixture
def sms(workspace, tmp_path, clock):
    """A command channel `sms` that writes the message to a marker file outside the
    workspace; not approved on this desk yet."""
    clock.set("2026-10-12T09:30:00+08:00")
    tools = tmp_path / "tools"
    tools.mkdir()
    script = tools / "sms.sh"
    script.write_text(MARKER_SCRIPT, encoding="utf-8")
    marker = tmp_path / "sent.txt"
    with (workspace.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(sms_section(script, marker))
    return workspace.root, script, marker


def change_command(root: Path, old: str, new: str) -> None:
    """Another desk's edit of the channel's command, as a sync brings it."""
    config = root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def open_fire(cli, *options: str):
    done = cli(*options, "emergency", "open", "--type", "fire", "--where", "3号楼大堂",
               "--at", "09:00")
    assert done.exit_code == 0, done.stderr
    return done


def waiting(root: Path):
    return Outbox(root / ".dutyctl").waiting()


def test_a_command_not_approved_is_not_run_and_its_message_waits_naming_the_approval(sms, cli):
    root, _, marker = sms
    done = open_fire(cli)
    emergency_id = done.stdout.splitlines()[0]
    assert list((root / "records").rglob(f"{emergency_id}.yaml"))  # the record first, as ever
    assert not marker.exists()
    (kept,) = waiting(root)
    assert kept.channel == "sms" and kept.attempts == 1
    assert "is not approved on this desk" in kept.reason
    assert "dutyctl notify allow sms" in kept.reason and "/bin/sh" in kept.reason
    assert "dutyctl notify allow sms" in done.stderr and "Traceback" not in done.stderr
    flushed = cli("notify", "flush")
    assert flushed.exit_code == 1 and not marker.exists()
    assert "dutyctl notify allow sms" in flushed.stderr
    listed = cli("--lang", "zh_CN", "notify", "outbox")
    assert "dutyctl 通知 允许 sms" in listed.stdout, listed.stdout


def test_approval_runs_it_and_a_change_after_it_is_not_run(sms, cli):
    root, script, marker = sms
    approved = cli("notify", "allow", "sms", "--yes")
    assert approved.exit_code == 0, approved.stderr
    assert f"/bin/sh {script} {marker}" in approved.stderr  # the exact argv, shown
    assert (root / ".dutyctl" / ALLOWED).is_file()
    open_fire(cli)
    assert "突发事件" in marker.read_text(encoding="utf-8") and waiting(root) == []
    marker.unlink()
    # another desk pushes a different argument, then a different program
    change_command(root, f'"{marker}"]', f'"{marker}", "--also"]')
    done = open_fire(cli)
    assert not marker.exists()
    (kept,) = waiting(root)
    assert "changed since this desk approved it" in kept.reason
    assert "--also" in kept.reason and "dutyctl notify allow sms" in done.stderr
    change_command(root, "[/bin/sh,", "[/bin/bash,")
    assert cli("notify", "flush").exit_code == 1 and not marker.exists()
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    flushed = cli("notify", "flush")
    assert flushed.exit_code == 0, flushed.stderr
    assert marker.exists() and waiting(root) == []
    again = cli("notify", "allow", "sms", "--yes")
    assert again.exit_code == 0 and "approved on this desk already" in again.stdout


def test_a_script_of_the_workspace_changed_after_approval_is_not_run(workspace, cli, tmp_path,
                                                                     clock):
    """A script kept in the workspace comes through git too: the approval covers its
    content, not only its name."""
    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    script = root / "sms.sh"
    script.write_text(MARKER_SCRIPT, encoding="utf-8")
    marker = tmp_path / "sent.txt"
    with (root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(sms_section(script, marker))
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    script.write_text(MARKER_SCRIPT + 'echo pwned > "$1.pwned"\n', encoding="utf-8")
    open_fire(cli)
    assert not marker.exists() and not Path(f"{marker}.pwned").exists()
    (kept,) = waiting(root)
    assert "changed since this desk approved it" in kept.reason


def test_notify_test_refuses_an_unapproved_command_with_exit_3(sms, cli):
    _, _, marker = sms
    refused = cli("notify", "test", "sms")
    assert refused.exit_code == 3 and not marker.exists()
    assert "sms: not sent: the command of channel sms is not approved" in refused.stderr
    assert "dutyctl notify allow sms" in refused.stderr
    chinese = cli("--lang", "zh_CN", "通知", "测试", "sms")
    assert chinese.exit_code == 3 and "dutyctl 通知 允许 sms" in chinese.stderr, chinese.stderr
    assert cli("通知", "允许", "sms", "--确认").exit_code == 0
    sent = cli("notify", "test", "sms")
    assert sent.exit_code == 0 and sent.stdout.strip() == "sms: sent" and marker.exists()


def test_check_warns_of_a_command_not_approved_on_this_desk(sms, cli):
    root, _, _ = sms
    line = next(number for number, text in enumerate(
        (root / "dutyctl.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if text.strip() == "type: command")  # where the channel is said to be
    checked = cli("check")
    assert checked.exit_code == 0, checked.stdout  # a warning: no file is wrong
    assert (f"warning: dutyctl.yaml:{line}: the command of channel sms is not approved on "
            "this desk") in checked.stderr
    assert "dutyctl notify allow sms" in checked.stderr
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    assert "warning" not in cli("check").stderr
    change_command(root, "[/bin/sh,", "[/bin/bash,")
    assert "changed since this desk approved it" in cli("check").stderr


def test_allow_asks_at_a_terminal_and_refuses_without_one_or_yes(sms, cli, monkeypatch):
    root, _, _ = sms
    refused = cli("notify", "allow", "sms")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert not (root / ".dutyctl" / ALLOWED).exists()
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    declined = cli("notify", "allow", "sms", input="n\n")
    assert declined.exit_code == 1 and not (root / ".dutyctl" / ALLOWED).exists()
    accepted = cli("notify", "allow", "sms", input="y\n")
    assert accepted.exit_code == 0 and (root / ".dutyctl" / ALLOWED).is_file()
    assert cli("notify", "allow", "nobody", "--yes").exit_code == 2


def test_an_approval_another_desk_committed_is_no_approval(sms, cli):
    """`.dutyctl/` is git-ignored, but `git add -f` carries a file of it all the same: an
    approvals file git tracks is no consent of this desk's."""
    root, _, marker = sms
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    git(root, "add", "-f", f".dutyctl/{ALLOWED}")
    open_fire(cli)
    assert not marker.exists()
    (kept,) = waiting(root)
    assert "is not approved on this desk" in kept.reason


def test_a_webhook_file_inside_the_workspace_is_never_read(workspace, tmp_path, clock):
    """Any desk can commit a file into the workspace: a webhook (or DingTalk secret) file
    there would let it choose where this desk posts, with the signature of its secret."""
    (workspace.root / "hook.txt").write_text("http://127.0.0.1:9/robot/send?x=1\n",
                                             encoding="utf-8")
    with (workspace.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"""
notify:
  channels:
    bosses:
      type: dingtalk
      webhook_file: "{workspace.root / 'hook.txt'}"
      secret_file: "{tmp_path / 'secret'}"
""")
    desk = Workspace(workspace.root)
    with pytest.raises(NotSent) as refused:
        deliver(desk, desk.config.notify.channels["bosses"], "text", 1.0)
    assert "is inside the workspace" in str(refused.value)


def test_the_installed_program_flushes_only_an_approved_command(sms, cli, dutyctl_command):
    root, _, marker = sms
    open_fire(cli)
    done = run_dutyctl(dutyctl_command, "notify", "flush", root=root)
    assert done.returncode == 1 and not marker.exists()
    assert "dutyctl notify allow sms" in done.stderr
    approved = run_dutyctl(dutyctl_command, "notify", "allow", "sms", "--yes", root=root)
    assert approved.returncode == 0, approved.stderr
    done = run_dutyctl(dutyctl_command, "notify", "flush", root=root)
    assert done.returncode == 0, done.stderr
    assert marker.exists() and waiting(root) == []
