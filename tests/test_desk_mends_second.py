"""The reviewer's second reading of the desk's mends, each as a clerk meets it: refusals of a
part of the day after hours that suggested a time already past, English `today` without the
tomorrow's words, a group's help word after --语言, names typed with full-width digits or
letters, other middle dots, a pasted bullet or a dot at the end."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest

from dutyctl import people, ruleids
from dutyctl.errors import InputError
from dutyctl.timeutil import parse_deadline, tomorrows_words

ZH = {"DUTYCTL_LANG": "zh_CN"}
LATE = (2026, 10, 14, 23, 0)


def refusal(workspace, typed: str, at=LATE) -> str:
    tz = workspace.config.tz
    with pytest.raises(InputError) as refused:
        parse_deadline(typed, tz, datetime(*at, tzinfo=tz), time(17, 30))
    return str(refused.value)


@pytest.mark.parametrize("typed,example", [("今晚下班前", "明天晚上8点前"),
                                           ("晚上下班前", "明天晚上8点前"),
                                           ("早上下班前", "明天早上9点前")])
def test_off_work_in_another_part_after_hours_suggests_only_what_is_ahead(workspace, typed,
                                                                         example):
    """今晚下班前 at 23:00 suggested 今天下班前 (17:30) and 今晚8点前, both past."""
    said = refusal(workspace, typed)
    assert "write 明天下班前 (17:30 tomorrow)" in said and f"like {example}" in said
    assert "今天下班前" not in said and "今晚8点" not in said and " 下班前" not in said


def test_off_work_in_another_part_during_the_day_still_suggests_todays(workspace):
    said = refusal(workspace, "今晚下班前", (2026, 10, 14, 9, 0))
    assert "write 今天下班前 for 17:30" in said and "like 今晚8点前" in said


@pytest.mark.parametrize("typed", ["今天上午前", "上午前"])
def test_before_the_morning_after_it_suggests_tomorrows(workspace, typed):
    """今天上午前 at 23:00 suggested 今天上午10点前."""
    said = refusal(workspace, typed)
    assert "like 明天上午10点前 (or 明天上午 alone: by 12:00)" in said


def test_before_the_morning_early_still_suggests_todays(workspace):
    said = refusal(workspace, "今天上午前", (2026, 10, 14, 8, 0))
    assert "like 今天上午10点前 (or 今天上午 alone: by 12:00)" in said


def test_english_today_passed_gets_tomorrows_words(cli, workspace):
    """`--回电期限 today` at 23:00 had no hint while 今天 had 明天."""
    assert tomorrows_words("today") == "tomorrow"
    assert tomorrows_words("Today") == "tomorrow"
    refused = cli("来电", "--姓名", "张三", "--房号", "3-2-501", "--电话", "13812345678",
                  "--摘要", "x", "--操作人", "陈静", "--回电期限", "today", "--时间",
                  "2026-10-14 23:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert refused.stderr.strip().endswith('请写 --回电期限 "tomorrow"'), refused.stderr


@pytest.mark.parametrize("words,usage", [
    (("报修", "--语言", "en", "帮助"), "Usage: root 报修 [OPTIONS]"),
    (("排班", "--语言", "en", "帮助"), "Usage: root 排班 [OPTIONS]"),
    (("报修", "--lang", "en", "--help"), "Usage: root 报修 [OPTIONS]"),
])
def test_a_language_before_the_groups_help_word_is_its_helps_language(cli, workspace, words,
                                                                      usage):
    """`报修 --语言 en 帮助` was refused (no option --语言) while `报修 --语言 en --帮助` worked."""
    shown = cli(*words, env=ZH)
    assert shown.exit_code == 0, shown.stdout + shown.stderr
    assert shown.stdout.splitlines()[0].startswith(usage), shown.stdout


def test_help_in_a_groups_subcommand_place_is_refused_with_or_without_a_language(cli,
                                                                                 workspace):
    """English `help` is no help word where a subcommand goes (commandwords.HELP_WORDS):
    `报修 --lang en help` is refused in English as `报修 help` is, saying there is no such
    command (it was refused for its --lang)."""
    for words, said in ((("报修", "help"), "没有命令 'help'"),
                        (("报修", "--lang", "en", "help"), "No such command 'help'")):
        refused = cli(*words, env=ZH)
        assert refused.exit_code == 2 and said in refused.stderr, refused.stderr

