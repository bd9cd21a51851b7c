"""A command channel runs only with this desk's consent: dutyctl.yaml comes from every desk
through git, so its `command: [...]` runs only as this desk approved it (`notify allow`), and
a command changed since (a program, an argument, a script of the workspace) is never run. A
webhook's or secret's file inside the workspace (which any desk can commit) is never read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dutyctl.notify.consent import ALLOWED, approvals, approvals_path
from dutyctl.notify.outbox import Outbox
from dutyctl.notify.send import NotSent, deliver
from dutyctl.notify.send import secret as secret_of
from dutyctl.workspace import Workspace
from tests.conftest import run_dutyctl
from tests.helpers_foundation import git, without_waiting_on

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
    assert list(approvals(Workspace(root))) == ["sms"]
    assert not (root / ".dutyctl" / ALLOWED).exists()  # the user's, outside the workspace
    assert approvals_path().stat().st_mode & 0o777 == 0o600
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


def test_a_script_of_the_workspace_is_refused_whoever_approves_it(workspace, cli, tmp_path,
                                                                  clock):
    """A script kept in the workspace is whatever another desk pushes: no approval makes it
    runnable (`notify allow` refuses it, in Chinese too)."""
    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    script = root / "sms.sh"
    script.write_text(MARKER_SCRIPT, encoding="utf-8")
    marker = tmp_path / "sent.txt"
    with (root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(sms_section(script, marker))
    refused = cli("notify", "allow", "sms", "--yes")
    assert refused.exit_code == 2, refused.stderr
    assert (f"the command of channel sms uses {script}, inside the workspace: the program and "
            "the files it reads must live outside the workspace") in refused.stderr
    assert approvals(Workspace(root)) == {}
    chinese = cli("--lang", "zh_CN", "通知", "允许", "sms", "--确认")
    assert chinese.exit_code == 2 and "工作区" in chinese.stderr, chinese.stderr
    open_fire(cli)
    assert not marker.exists()
    (kept,) = waiting(root)
    assert "inside the workspace" in kept.reason


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
    lines = (root / "dutyctl.yaml").read_text(encoding="utf-8").splitlines()
    typed = next(number for number, text in enumerate(lines) if text.strip() == "type: command")
    line = next(number for number in range(typed, -1, -1)  # the channel's key, above its block
                if lines[number].strip() == "sms:") + 1
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
    assert approvals(Workspace(root)) == {}
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    declined = cli("notify", "allow", "sms", input="n\n")
    assert declined.exit_code == 1 and approvals(Workspace(root)) == {}
    accepted = cli("notify", "allow", "sms", input="y\n")
    assert accepted.exit_code == 0 and list(approvals(Workspace(root))) == ["sms"]
    assert cli("notify", "allow", "nobody", "--yes").exit_code == 2


def bosses_channel(root: Path, webhook_file: Path, secret_file: Path, more: str = "") -> None:
    """A DingTalk channel `bosses` with its webhook and secret in files (`more`: further
    channels, YAML indented as channels are) added to the workspace's dutyctl.yaml."""
    with (root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"""
notify:
  channels:
    bosses:
      type: dingtalk
      webhook_file: "{webhook_file}"
      secret_file: "{secret_file}"
""" + more.lstrip("\n"))


def test_a_webhook_file_inside_the_workspace_is_never_read(workspace, tmp_path, clock):
    """Any desk can commit a file into the workspace: a webhook (or DingTalk secret) file
    there would let it choose where this desk posts, with the signature of its secret."""
    (workspace.root / "hook.txt").write_text("http://127.0.0.1:9/robot/send?x=1\n",
                                             encoding="utf-8")
    bosses_channel(workspace.root, workspace.root / "hook.txt", tmp_path / "secret")
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


# The reviewer's findings, each played in a workspace with a real git history: another desk
# commits (`git add -f` for what .gitignore keeps out) what this desk then has on disk.


@pytest.fixture
def outside(tmp_path):
    """A harmless program outside the workspace and the marker files it and a rogue script
    write: (program, marker, rogue marker)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    program = folder / "sms-client"
    program.write_text('#!/bin/sh\ncat > "$1"\n', encoding="utf-8")
    program.chmod(0o755)
    return program, tmp_path / "sent.txt", tmp_path / "pwned.txt"


def _channel(root: Path, command: str, extra: str = "") -> None:
    with (root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"""
notify:
  channels:
    sms:
      type: command
      command: {command}
{extra}  rules:
    emergency-opened: [sms]
""")


def _commit_forced(root: Path, *paths: str) -> None:
    """Another desk's commit of `paths`, .gitignore or not."""
    git(root, "add", "-f", *paths)
    git(root, "-c", "user.name=B", "-c", "user.email=b@example.org", "commit", "-qm", "B")


def _rogue(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho pwned > "{marker}"\n', encoding="utf-8")
    path.chmod(0o755)


def test_finding_1_a_workspace_link_retargeted_to_the_state_folder_never_runs(
        workspace, cli, outside, clock):
    """tools/sms -> an outside program, approved; another desk points it at
    ../.dutyctl/pwn.sh (force-added): the link in the workspace is refused from the start,
    and its new target would be too."""
    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    program, marker, pwned = outside
    (root / "tools").mkdir()
    (root / "tools" / "sms").symlink_to(program)
    _channel(root, f'[{root / "tools" / "sms"}, "{marker}"]')
    refused = cli("notify", "allow", "sms", "--yes")
    assert refused.exit_code == 2 and "inside the workspace" in refused.stderr
    _rogue(root / ".dutyctl" / "pwn.sh", pwned)
    (root / "tools" / "sms").unlink()
    (root / "tools" / "sms").symlink_to("../.dutyctl/pwn.sh")
    _commit_forced(root, "tools/sms", ".dutyctl/pwn.sh")
    assert cli("notify", "allow", "sms", "--yes").exit_code == 2
    assert cli("notify", "test", "sms").exit_code == 3
    change_command(root, f"[{root / 'tools' / 'sms'},", "[tools/sms,")  # as written from there
    assert "inside the workspace" in cli("notify", "allow", "sms", "--yes").stderr
    assert not pwned.exists() and not marker.exists()


def test_finding_1_an_approved_outside_program_retargeted_is_no_longer_approved(
        workspace, cli, outside, tmp_path, clock):
    """The fingerprint covers the program's real path: a link outside the workspace (say in
    /usr/local/bin) that comes to lead elsewhere is a different command."""
    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    program, marker, pwned = outside
    link = tmp_path / "bin" / "sms"
    link.parent.mkdir()
    link.symlink_to(program)
    _channel(root, f'[{link}, "{marker}"]')
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    assert cli("notify", "test", "sms").exit_code == 0 and marker.exists()
    _rogue(tmp_path / "elsewhere" / "pwn.sh", pwned)
    link.unlink()
    link.symlink_to(tmp_path / "elsewhere" / "pwn.sh")
    refused = cli("notify", "test", "sms")
    assert refused.exit_code == 3 and "changed since this desk approved it" in refused.stderr
    assert not pwned.exists()


def test_finding_2_a_webhook_file_in_the_state_folder_is_never_read(workspace, tmp_path):
    """A force-committed .dutyctl/hook.txt is another desk's choice of where this desk posts,
    signed with its secret: refused like any file of the workspace."""
    root = workspace.root
    (root / ".dutyctl").mkdir(exist_ok=True)
    (root / ".dutyctl" / "hook.txt").write_text("http://127.0.0.1:9/robot/send?x=1\n",
                                                encoding="utf-8")
    (tmp_path / "secret").write_text("SEC-of-this-desk\n", encoding="utf-8")
    _commit_forced(root, ".dutyctl/hook.txt")
    with (root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"""
notify:
  channels:
    bosses:
      type: dingtalk
      webhook_file: "{root / '.dutyctl' / 'hook.txt'}"
      secret_file: "{tmp_path / 'secret'}"
""")
    desk = Workspace(root)
    with pytest.raises(NotSent) as refused:
        deliver(desk, desk.config.notify.channels["bosses"], "text", 1.0)
    assert "is inside the workspace" in str(refused.value)


def test_finding_3_a_committed_state_folder_link_with_forged_approvals_approves_nothing(
        workspace, cli, outside, tmp_path, clock):
    """.dutyctl committed as a link to a folder holding a forged notify-allowed.json (the
    old fingerprint was public data): approvals are not in the workspace any more, and
    check warns of the link."""
    from dutyctl.notify.consent import fingerprint, lookup

    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    program, marker, _ = outside
    argv = [str(program), str(marker)]
    _channel(root, f'[{program}, "{marker}"]')
    forged = tmp_path / "forged"
    forged.mkdir()
    entry = {"command": argv, "fingerprint": fingerprint(argv, lookup(argv).real)}
    (forged / ALLOWED).write_text(json.dumps({"sms": entry, str(root.resolve()): {"sms": entry}}),
                                  encoding="utf-8")
    shutil.rmtree(root / ".dutyctl", ignore_errors=True)
    (root / ".dutyctl").symlink_to(forged)
    git(root, "add", "-f", ".dutyctl")
    refused = cli("notify", "test", "sms")
    assert refused.exit_code == 3 and "is not approved on this desk" in refused.stderr
    assert not marker.exists()
    checked = cli("check")
    assert "warning: .dutyctl: a symbolic link" in checked.stderr, checked.stderr


def test_finding_4_a_command_runs_outside_the_workspace_and_its_files_must_too(
        workspace, cli, outside, tmp_path, clock, monkeypatch):
    """`python3 -m smsgw` ran in the workspace, importing a committed smsgw.py; a
    `--config=conf/sms.ini` of the workspace changed unseen. The command now runs in /, and
    an argument naming a file of the workspace is refused."""
    import sys

    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    _, marker, pwned = outside
    (root / "smsgw.py").write_text(f"open({str(pwned)!r}, 'w').write('pwned')\n",
                                   encoding="utf-8")
    _commit_forced(root, "smsgw.py")
    _channel(root, f'[{sys.executable}, -m, smsgw, "{marker}"]')
    monkeypatch.chdir(root)  # where a clerk types dutyctl
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    assert cli("notify", "test", "sms").exit_code == 3  # no smsgw module outside
    assert not pwned.exists()
    (root / "conf").mkdir()
    (root / "conf" / "sms.ini").write_text("[gw]\n", encoding="utf-8")
    change_command(root, "smsgw,", "smsgw, --config=conf/sms.ini,")
    refused = cli("notify", "allow", "sms", "--yes")
    assert refused.exit_code == 2 and "inside the workspace" in refused.stderr
    assert "--config=conf/sms.ini" in refused.stderr
    change_command(root, "--config=conf/sms.ini", f"--config={root / 'conf' / 'sms.ini'}")
    assert "inside the workspace" in cli("notify", "allow", "sms", "--yes").stderr


def test_finding_5_a_committed_approvals_file_changes_nothing_and_allow_agrees_with_test(
        workspace, cli, outside, clock):
    """An approvals file force-committed into .dutyctl/ replaced this desk's on pull; now
    it is nobody's approval, and `allow`, `test` and `check` read the same approvals."""
    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    program, marker, _ = outside
    _channel(root, f'[{program}, "{marker}"]')
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    (root / ".dutyctl").mkdir(exist_ok=True)
    (root / ".dutyctl" / ALLOWED).write_text("{}\n", encoding="utf-8")
    _commit_forced(root, f".dutyctl/{ALLOWED}")
    again = cli("notify", "allow", "sms", "--yes")
    assert again.exit_code == 0 and "approved on this desk already" in again.stdout
    sent = cli("notify", "test", "sms")
    assert sent.exit_code == 0, sent.stderr
    checked = cli("check")
    assert f"warning: .dutyctl/{ALLOWED}: tracked by git" in checked.stderr, checked.stderr


def test_finding_6_allow_shows_the_whole_command_escaped(workspace, cli, outside, clock):
    """The prompt showed the command cut at 300 characters: what followed was approved
    unseen. It shows it whole (control characters escaped); one-line messages still cut."""
    root = workspace.root
    program, marker, _ = outside
    tail = "x" * 400 + "-END"
    _channel(root, f'[{program}, "{marker}", "{tail}", "a\\x1b[2Jb"]')
    asked = cli("notify", "allow", "sms", "--yes")
    assert asked.exit_code == 0, asked.stderr
    assert f"{tail} " in asked.stderr and "\x1b" not in asked.stderr  # no terminal escape
    assert "[2Jb" in asked.stderr
    change_command(root, "-END", "-END2")
    refused = cli("notify", "test", "sms")
    assert refused.exit_code == 3 and "-END2" not in refused.stderr  # cut in a one-liner


def test_a_chinese_command_is_cut_by_display_width_in_a_one_line_message(workspace, cli,
                                                                        outside, clock):
    """A command was cut at 300 characters: 600 columns of Chinese in a one-line refusal.
    It is cut at consent.MAX_SHOWN columns, as textwidth.shorten cuts every cell."""
    from dutyctl.notify.consent import MAX_SHOWN, shown
    from dutyctl.textwidth import display_width

    clock.set("2026-10-12T09:30:00+08:00")
    program, marker, _ = outside
    words = "楼道灯不亮请尽快派人维修" * 40
    # every column used; one left empty where the next character is two columns wide
    assert display_width(shown(["/tmp/a/prog", words])) == MAX_SHOWN
    assert display_width(shown(["/tmp/ab/prog", words])) == MAX_SHOWN - 1
    assert shown([program, words]).endswith("…") and words in shown([program, words], None)
    _channel(workspace.root, f'[{program}, "{marker}", "{words}"]')
    refused = cli("--lang", "zh_CN", "notify", "test", "sms")
    assert refused.exit_code == 3, refused.stderr
    (said,) = [line for line in refused.stderr.splitlines() if "楼道灯" in line]
    assert "…" in said and display_width(said) < MAX_SHOWN + 200, said


def test_approvals_are_kept_per_workspace_in_the_user_config_folder(
        workspace, cli, outside, tmp_path, monkeypatch):
    """XDG_CONFIG_HOME/dutyctl/notify-allowed.json, mode 600, keyed by the workspace's real
    path: the same dutyctl.yaml in another folder is not approved."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    root = workspace.root
    program, marker, _ = outside
    _channel(root, f'[{program}, "{marker}"]')
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    stored = tmp_path / "config" / "dutyctl" / ALLOWED
    assert stored.stat().st_mode & 0o777 == 0o600
    assert list(json.loads(stored.read_text(encoding="utf-8"))) == [str(root.resolve())]
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, symlinks=True)
    assert approvals(Workspace(copy)) == {}


@pytest.mark.parametrize("command", [
    '[env, "PYTHONPATH={root}/tools", python3, -m, evil]',   # a search path into the workspace
    '[/bin/sh, -c, "python3 {root}/tools/evil.py"]',          # a path inside a shell line
    '[/bin/sh, -c, "cd {root} && python3 tools/evil.py"]',
])
def test_a_command_that_spells_the_workspace_anywhere_is_never_approved(cli, workspace,
                                                                        clock, command):
    """Not only whole arguments and `--opt=value`: a `NAME=value`, a shell line's words —
    anything naming the workspace would let any desk change what runs without a new
    approval (tools/evil.py comes through git)."""
    clock.set("2026-10-12T09:30:00+08:00")
    root = workspace.root
    (root / "tools").mkdir()
    (root / "tools" / "evil.py").write_text("open('/tmp/never', 'w')\n", encoding="utf-8")
    _channel(root, command.format(root=root))
    refused = cli("notify", "allow", "sms", "--yes")
    assert refused.exit_code == 2 and "inside the workspace" in refused.stderr, refused.stderr
    assert approvals(Workspace(root)) == {}


def test_a_program_found_through_path_stays_approved_under_crons_path(cli, sms, tmp_path,
                                                                      monkeypatch):
    """A bare program name is found through PATH, which differs between the desk's shell and
    cron: approved in one, it still runs from the other (only a program written as a path
    is pinned to where it leads)."""
    root, script, marker = sms
    bin_a, bin_b = tmp_path / "a", tmp_path / "b"
    for folder in (bin_a, bin_b):  # the same client installed in two places
        folder.mkdir()
        shutil.copy("/bin/sh", folder / "send-sms")
    change_command(root, "command: [/bin/sh,", "command: [send-sms,")
    monkeypatch.setenv("PATH", f"{bin_a}:/usr/bin:/bin")
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    monkeypatch.setenv("PATH", f"{bin_b}:/usr/bin:/bin")  # cron's
    sent = cli("notify", "test", "sms")
    assert sent.exit_code == 0, sent.stderr
    assert marker.exists()


def test_a_damaged_approvals_file_is_not_written_over(cli, sms, tmp_path, monkeypatch):
    """Approving beside an unreadable approvals file would drop every other approval in it:
    refused in one line naming the file, the file left as it was."""
    path = approvals_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"/elsewhere": {"sms": ')  # cut short
    refused = cli("notify", "allow", "sms", "--yes")
    assert refused.exit_code == 3, refused.stderr
    (said,) = [line for line in refused.stderr.splitlines() if str(path) in line]
    assert said.startswith(str(path)) and "cannot be read" in said
    assert path.read_bytes() == b'{"/elsewhere": {"sms": '


def test_the_program_found_to_run_is_refused_when_it_lies_in_the_workspace(sms, cli,
                                                                          monkeypatch):
    """The program `deliver` runs is the one `consent.runnable` looked up; should that lookup
    land in the workspace (a PATH entry or link changed after the workspace check looked),
    it is refused there too: a program written as a bare name is pinned by name only, so
    its approval stands."""
    from dutyctl.notify import consent

    root, script, marker = sms
    change_command(root, "[/bin/sh,", "[sh,")
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    rogue = root / "sms.sh"
    rogue.write_text(MARKER_SCRIPT, encoding="utf-8")
    found = consent.lookup
    monkeypatch.setattr(consent, "lookup", lambda argv: consent.Found(
        str(rogue), str(rogue)) if argv and argv[0] == "sh" else found(argv))
    done = open_fire(cli)
    assert not marker.exists()
    (kept,) = waiting(root)
    assert str(rogue) in kept.reason and "sms" in done.stderr


def test_a_bare_program_name_is_looked_up_once_for_every_check_and_the_run(sms, cli,
                                                                           monkeypatch):
    """`runnable` looked the name up through PATH, then `unsafe` again; `notify allow` asked
    `unsafe`, then `refusal` (`unsafe` again), then pinned it: each lookup could find another
    file (a PATH folder changed between them). One lookup now serves every check and the
    program run (consent.lookup)."""
    from dutyctl.notify import consent

    root, _, marker = sms
    change_command(root, "[/bin/sh,", "[sh,")
    asked = []
    which = shutil.which
    monkeypatch.setattr(consent.shutil, "which", lambda name, *rest: asked.append(name)
                        or which(name, *rest))
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    assert asked == ["sh"]
    asked.clear()
    sent = cli("notify", "test", "sms")
    assert sent.exit_code == 0 and marker.exists(), sent.stderr
    assert asked == ["sh"]


def test_a_program_the_lookup_did_not_find_is_refused_not_looked_up_again_by_the_run(
        sms, cli, monkeypatch):
    """An approved bare name the lookup found nothing for (`real` None: PATH changed since the
    approval) ran all the same: `_run` got no program and the run searched PATH again, a second
    lookup nobody checked. It is refused, its message kept waiting, "not found"."""
    from dutyctl.notify import consent

    root, _, marker = sms
    change_command(root, "[/bin/sh,", "[sh,")
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    found = consent.lookup
    monkeypatch.setattr(consent, "lookup", lambda argv: consent.Found(None, None)
                        if argv and argv[0] == "sh" else found(argv))
    done = open_fire(cli)
    assert not marker.exists(), "the run looked sh up through PATH itself"
    (kept,) = waiting(root)
    assert "the program of channel sms was not found" in kept.reason, kept.reason
    assert "sms" in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_as_the_webhook_file_is_refused_without_waiting(workspace, tmp_path):
    """dutyctl.yaml comes from every desk: a FIFO it names outside the workspace would have
    blocked this desk's sending for ever (open waits for a writer). A link to a plain file,
    as an administrator may keep the secret, is still read; a folder is said once."""
    fifo = tmp_path / "hook.fifo"
    os.mkfifo(fifo)
    secret = tmp_path / "secret"
    secret.write_text("SEC-1\n", encoding="utf-8")
    (tmp_path / "secret-link").symlink_to(secret)
    (tmp_path / "hooks").mkdir()
    bosses_channel(workspace.root, fifo, tmp_path / "secret-link", f"""
    folder:
      type: wechat-work
      webhook_file: "{tmp_path / 'hooks'}"
""")
    desk = Workspace(workspace.root)
    channels = desk.config.notify.channels
    said = without_waiting_on(fifo, lambda: refusal(channels["bosses"], desk))
    assert "FIFO" in said and str(fifo) in said, said
    assert secret_of(channels["bosses"], "secret", desk.root) == "SEC-1"
    assert refusal(channels["folder"], desk).count("cannot read") == 1


def refusal(channel, desk) -> str:
    """Why the channel's webhook cannot be read, as said."""
    with pytest.raises(NotSent) as refused:
        secret_of(channel, "webhook", desk.root)
    return str(refused.value)
