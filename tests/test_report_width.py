"""The text format within 100 columns (a cron mail does not wrap), measured by display width
(a Chinese character is two), in English and Chinese; ids stay whole."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dutyctl.output import wrap
from dutyctl.textwidth import display_width
from dutyctl.reports.render import TEXT_WIDTH
from tests.conftest import Cli

REPO = Path(__file__).resolve().parent.parent
PERIODS = (("daily", "--date", "2026-11-01"), ("weekly", "--week", "2026-W44"),
           ("monthly", "--month", "2026-10"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(REPO / "examples" / "demo", root)
    return root


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("kind, option, value", PERIODS)
def test_every_line_fits_in_100_columns_and_ids_stay_whole(demo, language, kind, option, value):
    cli = Cli(demo)
    result = cli("--lang", language, "report", kind, option, value)
    assert result.exit_code == 0, result.stderr
    widths = [display_width(line) for line in result.stdout.splitlines()]
    assert max(widths) <= TEXT_WIDTH, max(widths)
    assert max(widths) > 80  # the tables are still used, not cut to nothing
    data = json.loads(cli("report", kind, option, value, "--format", "json").stdout)
    shown = [item["id"] for kind_ in ("complaints", "repairs")
             for item in data[kind_]["oldest_open"] + data[kind_]["overdue_items"]]
    assert shown and all(item in result.stdout for item in shown)


def test_long_lines_wrap_by_display_width():
    sentence = "Wall-clock time from filing to the first response and to the resolution, " * 3
    lines = wrap(sentence.strip(), 40)
    assert all(display_width(line) <= 40 for line in lines)
    assert " ".join(lines).split() == sentence.split()
    chinese = "从登记到首次响应、到办结所经过的时间，只统计本期内的响应与办结。" * 3
    lines = wrap(chinese, 30)
    assert all(display_width(line) <= 30 for line in lines) and "".join(lines) == chinese
    assert wrap("repairs dispatched to", 10, at_spaces_only=True) == ["repairs", "dispatched", "to"]
    assert wrap("派工次数", 2, at_spaces_only=True) == ["派工次数"]
