"""Chinese screens, the last leftovers: roster refusals name days as findings do (12月11日 周五),
a shared name's id in full-width brackets, `list --status` by the word the screen shows, Chinese
lines for a number below its least, and help that keeps a quoted example on one line."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.test_roster_cli import december  # noqa: F401  (fixture)
from tests.test_tickets_cli import ok

ZH = {"DUTYCTL_LANG": "zh_CN"}
ISO_DAY = re.compile(r"\b\d{4}-\d\d-\d\d\b")


# -- 1. roster refusals name the day as the findings do ----------------------------------------

def _night_holder(roster, day):
    return next(a.staff for a in roster.assignments if a.day == day and a.shift == "night")


@pytest.mark.parametrize("env,said", [
    (ZH, "前台在 12月13日 周日 不开班"), ({}, "the 前台 shift does not run on Sun 12-13")])
def test_a_shift_that_does_not_run_names_the_day_in_words(december, cli, env, said):
    """The front desk shift runs on working days only: override and explain say so with the
    day as a finding says it, not 2026-12-13."""
    for command in (("override", "2026-12-13", "前台", "李娜", "--reason", "顶班"),
                    ("explain", "2026-12-13", "前台")):
        refused = cli("roster", *command, env=env)
        assert refused.exit_code == 2, refused.stderr
        assert said in refused.stderr and not ISO_DAY.search(refused.stderr), refused.stderr


def test_override_and_swap_refusals_name_days_in_words(december, cli):
    day = "2026-12-03"
    holder = _night_holder(december, date(2026, 12, 3))
    other = next(member for member in ("lina", "zhangwei", "chenjing", "sunli")
                 if member != holder)
    again = cli("roster", "override", day, "night", holder, "--reason", "x", env=ZH)
    assert again.exit_code == 2 and "12月3日 周四 夜班" in again.stderr, again.stderr
    missing = cli("roster", "swap", day, "night", other, "2026-12-04", "night", holder,
                  "--reason", "x", env=ZH)
    assert missing.exit_code == 2 and "不在 12月3日 周四 夜班" in missing.stderr, missing.stderr
    uncovered = cli("roster", "override", "2027-03-01", "night", "lina", "--reason", "x",
                    env=ZH)
    assert uncovered.exit_code == 2
    assert "没有排班表覆盖 2027年3月1日 周一" in uncovered.stderr, uncovered.stderr
    for result in (again, missing, uncovered):
        assert not ISO_DAY.search(result.stderr), result.stderr


# -- 2. a shared name's id in the brackets of the screen's language ------------------------------

def test_a_shared_name_and_a_choice_take_full_width_brackets_in_chinese(monkeypatch):
    from dutyctl import choices, messages
    from dutyctl.names import Names

    names = Names(None, {"chenjing": "陈静", "chenjing2": "陈静", "lina": "李娜"})
    for lang, shared, choice in (("en", "陈静 (chenjing2)", "咨询 (consultation)"),
                                 ("zh_CN", "陈静（chenjing2）", "咨询（consultation）")):
        monkeypatch.setenv("DUTYCTL_LANG", lang)
        messages.forget_language()
        assert (names.person("chenjing2"), names.person("lina")) == (shared, "李娜")
        assert choices.shown("consultation", "咨询") == choice
    messages.forget_language()
