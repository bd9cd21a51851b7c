"""`--staff`'s help says what each command does without it: the desk's own commands (clock,
checklist, handover) never take the person from the roster, the others do."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("command", [("clock", "in"), ("clock", "out"), ("checklist",),
                                     ("handover",), ("handover", "accept")])
def test_the_desks_own_commands_say_the_person_is_asked_not_taken_from_the_roster(cli,
                                                                                  command):
    shown = cli(*command, "--help", user=None)
    assert shown.exit_code == 0, shown.stderr
    said = " ".join(shown.stdout.split())
    assert "never taken from the roster" in said and "else the person on duty" not in said


def test_a_recording_command_says_the_person_on_duty_is_the_default(cli):
    said = " ".join(cli("log", "call", "--help", user=None).stdout.split())
    assert "else the person on duty" in said
