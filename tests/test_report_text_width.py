"""The text report fits a cron mail: every line within 100 columns (a Chinese character is two),
in Chinese and in English, on the bundled demo's busiest periods."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutyctl.output import display_width, wrap
from dutyctl.reports.blocks import Table
from dutyctl.reports.render import TEXT_WIDTH, _column_groups, _text_table

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    copy = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(DEMO, copy)
    return copy


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("period", [("daily", "--date", "2026-10-20"),
                                    ("weekly", "--week", "2026-W43"),
                                    ("monthly", "--month", "2026-10")])
def test_every_line_of_the_text_report_fits_100_columns(demo, language, period):
    from dutyctl.cli import app

    result = CliRunner().invoke(app, ["--root", str(demo), "--lang", language, "report",
                                      *period, "--format", "text"])
    assert result.exit_code in (0, 1), result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 100  # a whole review, not an error
    assert max(display_width(line) for line in lines) <= TEXT_WIDTH


def test_a_wide_table_is_cut_into_column_groups_led_by_its_first_column():
    headers = ["staff", *(f"figure {n}" for n in range(12))]
    table = Table(tuple(headers), (("陈静 (chenjing)", *map(str, range(12))),),
                  numeric=frozenset(range(1, 13)))
    shown = _text_table(table, width=60)
    assert max(display_width(line) for line in shown.splitlines()) <= 60
    parts = shown.split("\n\n")
    assert len(parts) > 1 and all(part.startswith("staff") for part in parts)
    assert all("陈静 (chenjing)" in part for part in parts)  # never shortened: it names the row
    assert _column_groups(["a", "b"], [["1", "2"]], 100) == [[0, 1]]


def test_wrapping_breaks_between_chinese_characters_never_before_closing_punctuation():
    lines = wrap("处理两个值班台未同步时各自记录、相互冲突的步骤：该步骤被作废，仍保留。", 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert not any(line[0] in "，。、：" for line in lines)
    assert "".join(lines) == "处理两个值班台未同步时各自记录、相互冲突的步骤：该步骤被作废，仍保留。"


def test_reports_name_shifts_and_roles_in_the_language_of_the_reader(demo):
    from dutyctl.cli import app

    shown = CliRunner().invoke(app, ["--root", str(demo), "--lang", "zh_CN", "report", "daily",
                                     "--date", "2026-10-20", "--format", "text"]).stdout
    assert "客服专员" in shown and "白班" in shown
    for role_or_shift_id in (" service ", " technician ", "(day)", "(night)", " night "):
        assert role_or_shift_id not in shown
