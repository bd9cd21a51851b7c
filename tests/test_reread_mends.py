"""Mends after a reviewer's re-read: each test fails without its mend."""

from __future__ import annotations

import pytest

from tests.helpers_desk import october_site

ZH = {"DUTYCTL_LANG": "zh_CN"}


def test_roster_generate_with_staff_does_not_read_dutyctl_user(cli, workspace, clock):
    """`--staff` names who generates: a $DUTYCTL_USER naming nobody (`•`) is not read, as on
    every command taking --staff."""
    october_site(workspace.root)
    done = cli("roster", "generate", "--month", "2026-11", "--staff", "lina", user="•")
    assert done.exit_code == 1, done.stderr  # generated, places left unfilled (exit 1)
    assert "DUTYCTL_USER" not in done.stderr, done.stderr
    refused = cli("roster", "generate", "--month", "2026-11", "--force", user="•")
    assert refused.exit_code == 2 and "DUTYCTL_USER" in refused.stderr, refused.stderr


def test_back_soon_takes_the_rules_rest_when_rules_yaml_has_a_problem(cli, workspace, clock):
    """rules.yaml with a problem elsewhere (an unknown shift in the roster's rules): the rest
    between duties is still the rules' 12 hours (less the 2-hour window), not 8: 张伟 back
    9 hours after his clock-out is said."""
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    clock.set("2026-12-02T12:00:00+08:00")
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-12-01 07:55").exit_code == 0
    assert cli("clock", "out", "--staff", "zhangwei", "--at", "2026-12-01 20:00",
               "--no-handover", "--reason", "补记").exit_code == 0
    clocked = cli("签到", "--时间", "2026-12-02 05:00", user="张伟", env=ZH)
    assert clocked.exit_code == 0, clocked.stderr
    assert "张伟（$DUTYCTL_USER）于 2026-12-01 20:00 签退，距此次签到仅 9小时00分" in clocked.stderr, \
        clocked.stderr


def test_back_soon_is_not_said_when_the_roster_cannot_be_read(cli, workspace, clock):
    """The roster unreadable (verdict unknown): whether the clock-in is for a shift of 张伟's
    is not known, so it is not said to be for none of his."""
    roster = october_site(workspace.root)
    clock.set("2026-10-07T06:00:00+08:00")
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    assert cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00",
               "--no-handover", "--reason", "补记").exit_code == 0
    roster.write_text("period: [unclosed\n", encoding="utf-8")
    clocked = cli("签到", "--时间", "2026-10-05 20:10", user="张伟", env=ZH)
    assert clocked.exit_code == 0, clocked.stderr
    assert "排班表" in clocked.stderr and "DUTYCTL_USER" not in clocked.stderr, clocked.stderr


@pytest.mark.parametrize("tagged", ["!!int [1]", "!!int {a: 1}"])
def test_an_int_tag_on_a_list_in_dutyctl_yaml_is_a_located_error(cli, workspace, tagged):
    """`!!int [1]` in dutyctl.yaml stopped every command with a traceback ('list' object has
    no attribute 'strip'): one line at its place, as `!!int abc` is."""
    config = workspace.root / "dutyctl.yaml"
    lines = config.read_text(encoding="utf-8").count("\n") + 2
    config.write_text(config.read_text(encoding="utf-8") + f"\nextra_tagged: {tagged}\n",
                      encoding="utf-8")
    refused = cli("list")
    assert refused.exception is None or isinstance(refused.exception, SystemExit), \
        refused.exception
    assert refused.exit_code == 2, (refused.exit_code, refused.stderr)
    assert refused.stderr.startswith(f"dutyctl.yaml:{lines}:"), refused.stderr
    assert len(refused.stderr.splitlines()) == 1 and "strip" not in refused.stderr


def test_notify_allow_refuses_a_program_that_does_not_exist(workspace, cli, tmp_path):
    """A command channel whose program is nowhere: nothing to approve (before, approved, and
    whatever was installed there later ran unchecked by anyone)."""
    from dutyctl.notify.consent import approvals

    missing = tmp_path / "no-such-folder" / "send-sms"
    with (workspace.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\nnotify:\n  channels:\n    sms:\n      type: command\n"
                     f"      command: [\"{missing}\", \"--to\", \"13812345678\"]\n")
    refused = cli("notify", "allow", "sms", "--yes")
    assert refused.exit_code == 2, (refused.exit_code, refused.stderr)
    assert "the program of channel sms was not found" in refused.stderr, refused.stderr
    assert "sms" not in approvals(workspace)
    missing.parent.mkdir()
    missing.write_text("#!/bin/sh\n", encoding="utf-8")
    missing.chmod(0o755)
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0


@pytest.mark.parametrize(("typed", "group", "meant"), [
    ("hlep", None, "help"), ("帮主", None, "帮助"), ("hlep", "repair", "help"),
    ("帮租", "repair", "帮助")])
def test_a_mistyped_help_word_is_guessed_as_help(typed, group, meant):
    from dutyctl.commandwords import near_names

    assert near_names(typed, group) == [meant]


def test_dutyctl_hlep_suggests_help(cli):
    refused = cli("hlep")
    assert refused.exit_code == 2 and "did you mean help?" in refused.stderr, refused.stderr
