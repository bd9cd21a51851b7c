"""`check --changed` reads the rosters that changed, not one roster per month of history: on a
site two years old it read 24 roster files in full (4 of its 5 seconds) for one new call."""

from __future__ import annotations

from tests.conftest import Cli
from tests.test_check import a_site_beside_its_server, shared


def generated(cli: Cli, month: str) -> None:
    made = cli("roster", "generate", "--month", month, "--at", "2026-09-20 10:00")
    assert made.exit_code in (0, 1), made.stderr  # 1: places it could not fill, said


def test_check_changed_reads_the_rosters_git_says_changed(tmp_path):
    root, cli = a_site_beside_its_server(tmp_path)
    for month in ("2026-10", "2026-11"):
        generated(cli, month)
    october, november = root / "rosters" / "2026-10.yaml", root / "rosters" / "2026-11.yaml"
    # an old mistake, already shared: a person the rules do not know
    october.write_text(october.read_text(encoding="utf-8").replace(
        "staff: sunli}", "staff: nobody-here}", 1), encoding="utf-8")
    shared(root, "rosters, one with an old mistake")
    assert "nobody-here" in cli("check").stdout
    assert cli("check", "--changed").exit_code == 0  # nothing changed since the upstream

    november.write_text(november.read_text(encoding="utf-8").replace(
        "staff: sunli}", "staff: someone-else}", 1), encoding="utf-8")
    result = cli("check", "--changed")
    assert result.exit_code == 1 and "someone-else" in result.stdout, result.stdout
    assert "nobody-here" not in result.stdout, result.stdout
    rules = root / "rosters" / "rules.yaml"  # every roster is checked against the rules
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# 备注\n", encoding="utf-8")
    both = cli("check", "--changed").stdout
    assert "someone-else" in both and "nobody-here" in both, both
