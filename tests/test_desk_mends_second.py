"""The reviewer's second reading of the desk's mends, each as a clerk meets it: refusals of a
part of the day after hours that suggested a time already past, English `today` without the
tomorrow's words, a group's help word after --语言, names typed with full-width digits or
letters, other middle dots, a pasted bullet or a dot at the end."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from tests.conftest import run_dutyctl
from tests.helpers_desk import ok

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


@pytest.mark.parametrize("typed,same", [("张伟２", "张伟2"), ("ＬｉＮａ", "LiNa"),
                                        ("阿依‧买买提", "阿依·买买提"),
                                        ("阿依∙买买提", "阿依·买买提")])
def test_a_name_typed_full_width_or_with_another_dot_is_one_person(no_rules, typed, same):
    """Without a staff list 张伟２ and 张伟2, ＬｉＮａ and LiNa were two people; ‧ and ∙
    were not taken for the middle dot."""
    assert people.resolve_staff(no_rules, typed) == same
    assert people.resolve_staff_list(no_rules, [typed, same]) == [same]


@pytest.mark.parametrize("typed", ["•", "·", " ", "• ", "、"])
def test_a_bullet_or_blank_alone_where_a_person_goes_is_refused_as_empty(cli, workspace, typed,
                                                                         dutyctl_forked):
    """`--staff •` was looked up as the name `•` (no staff member '•'; without a staff list,
    "ends with a middle dot … ()"): nothing is left of it once the bullet is off, so it is
    refused as `--staff ""` is, wherever a person goes and in the quick `log call` too."""
    for words, said in ((("签到", "--操作人", typed), "缺少 --操作人：给出的值为空"),
                        (("交接班", "--操作人", "张伟", "--接班人", typed),
                         "缺少 --接班人：给出的值为空"),
                        (("clock", "in", "--staff", typed), "missing --staff: the value given "
                                                            "is empty")):
        refused = cli(*words, "--at", "2026-10-12 09:00",
                      env=ZH if words[0] != "clock" else {"DUTYCTL_LANG": "en"})
        assert refused.exit_code == 2 and said in refused.stderr, refused.stderr
    call = run_dutyctl(dutyctl_forked, "--lang", "zh_CN", "来电", "--姓名", "张三", "--房号",
                       "3-2-501", "--电话", "13812345678", "--摘要", "咨询", "--操作人", typed,
                       root=workspace.root)
    assert call.returncode == 2 and "缺少 --操作人：给出的值为空" in call.stderr, call.stderr


@pytest.mark.parametrize("typed", ["•李娜", "· 李娜", "・李娜"])
def test_a_pasted_bullet_before_a_name_is_no_part_of_it(no_rules, typed):
    assert people.resolve_staff(no_rules, typed) == "李娜"
    assert people.resolve_staff_list(no_rules, ["赵磊、" + typed]) == ["赵磊", "李娜"]


def test_a_pasted_bullet_before_a_name_in_the_staff_list_finds_the_person(workspace):
    """With a staff list, •李娜 found no one."""
    assert people.resolve_staff(workspace, "•李娜") == people.resolve_staff(workspace, "李娜")


@pytest.mark.parametrize("typed,bare", [("李娜•", "李娜"), ("阿依·", "阿依")])
def test_a_dot_at_the_end_of_a_name_is_refused(no_rules, typed, bare):
    with pytest.raises(InputError, match=f"ends with a middle dot.*without the dot \\({bare}\\)"):
        people.resolve_staff(no_rules, typed)


def test_a_dot_between_two_names_stays_one_name(no_rules):
    """张伟·李娜 may be two people or one (阿依·买买提): no staff list tells, kept as typed."""
    assert people.resolve_staff(no_rules, "张伟·李娜") == "张伟·李娜"


def test_a_staff_name_with_a_bullet_is_told_to_write_the_middle_dot(cli, workspace, clock):
    """`排班 检查` told 买买提•艾力 to add an id line, with 张伟2 as its example."""
    assert ruleids.why_not_id("买买提•艾力") == "it holds the dot '•': write · instead (买买提·艾力)"
    assert ruleids.respelled("买买提•艾力") == "买买提·艾力"
    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "staff:\n", "staff:\n  - name: 买买提•艾力\n", 1), encoding="utf-8")
    checked = cli("排班", "检查", env=ZH)
    said = checked.stdout + checked.stderr
    assert "买买提·艾力" in said and "张伟2" not in said, said


CALL = ("来电", "--姓名", "张三", "--房号", "3-2-501", "--电话", "13812345678", "--摘要", "x",
        "--操作人", "陈静")


@pytest.mark.parametrize("typed", ["周五前", "周五", "周五下班前"])
def test_a_weekday_typed_on_that_day_after_its_time_says_it_is_next_weeks(cli, workspace,
                                                                         typed):
    """周五前 typed on Friday 2026-10-16 at 18:00 became the next Friday without a word."""
    made = ok(cli(*CALL, "--回电期限", typed, "--时间", "2026-10-16 18:00", env=ZH))
    assert (f"“{typed}”写于 2026-10-16 18:00，今天的这个时间已过，按下周算，即 "
            "2026-10-23 17:30") in made.stderr, made.stderr


def test_a_weekday_typed_on_that_day_before_its_time_has_no_note(cli, workspace):
    made = ok(cli(*CALL, "--回电期限", "周五前", "--时间", "2026-10-16 10:00", env=ZH))
    assert "2026-10-16 17:30" in made.stderr and "下周" not in made.stderr, made.stderr


@pytest.mark.parametrize("typed,words", [("本周五前", "下周五前"), ("这周五", "下周五"),
                                         ("本周一下班前", "下周一下班前")])
def test_this_weeks_weekday_gone_by_says_how_to_write_next_weeks(cli, workspace, typed, words):
    """本周五前 on a Friday evening was refused with no hint."""
    refused = cli(*CALL, "--回电期限", typed, "--时间", "2026-10-16 18:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert refused.stderr.strip().endswith(f'如果是下周，请写 --回电期限 "{words}"'), \
        refused.stderr


