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
    assert done.exit_code in (0, 1), done.stderr
    assert "DUTYCTL_USER" not in done.stderr, done.stderr
    refused = cli("roster", "generate", "--month", "2026-11", "--force", user="•")
    assert refused.exit_code == 2 and "DUTYCTL_USER" in refused.stderr, refused.stderr
