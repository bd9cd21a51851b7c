"""The reviewer's findings on the desk's leftovers, each as a clerk meets it: refusals after
business hours that suggested a deadline already past, the small hours' note for every 明天
word, 下班前 after hours with tomorrow's words, names typed in full-width letters or with
another middle dot."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from dutyctl import choices, people
from dutyctl.errors import InputError
from dutyctl.timeutil import parse_deadline

from tests.helpers_desk import ok, printed_ids, record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}
STAFF = ("--操作人", "陈静")
CALL = ("来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222", "--摘要",
        "问快递柜位置", *STAFF)
LATE = (2026, 10, 12, 23, 0)


@pytest.mark.parametrize("typed,said", [
    ("明天前", "'明天前' reads two ways, by the end of today (already past) or by the end of "
              "tomorrow: write 明天下班前 (17:30 tomorrow), or the time"),
    ("今天前", "'今天前' is already past: a deadline lies ahead; write 明天下班前 (17:30 "
              "tomorrow)"),
    ("前天前", "'前天前' is already past: a deadline lies ahead; write 明天下班前 (17:30 "
              "tomorrow)"),
])
def test_after_business_hours_a_day_before_never_suggests_todays_end(workspace, typed, said):
    """At 23:00 明天前, 今天前, 前天前 suggested 今天下班前 (today 17:30), already past."""
    tz = workspace.config.tz
    with pytest.raises(InputError) as refused:
        parse_deadline(typed, tz, datetime(*LATE, tzinfo=tz), time(17, 30))
    assert said in str(refused.value)
    assert "今天下班前" not in str(refused.value)


def test_after_business_hours_the_day_after_tomorrow_before_still_names_both(workspace):
    """后天前 at 23:00: tomorrow's end is ahead, both readings stay."""
    tz = workspace.config.tz
    with pytest.raises(InputError) as refused:
        parse_deadline("后天前", tz, datetime(*LATE, tzinfo=tz), time(17, 30))
    assert ("write 明天下班前 (17:30 tomorrow) or 后天下班前 (17:30 the day after tomorrow)"
            in str(refused.value))


def test_after_business_hours_tomorrow_before_is_one_chinese_line_and_nothing_written(
        cli, workspace):
    files = record_files(workspace.root)
    refused = cli(*CALL, "--回电期限", "明天前", "--时间", "2026-10-12 23:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "今天下班前" not in refused.stderr and "明天下班前" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert record_files(workspace.root) == files


@pytest.mark.parametrize("typed,tomorrow", [("下班前", "明天下班前"), ("今天下班前", "明天下班前"),
                                            ("下午下班前", "明天下午下班前")])
def test_off_work_after_business_hours_says_how_to_write_tomorrows(cli, workspace, typed,
                                                                  tomorrow):
    """下班前 at 23:00 was refused with no hint while 下午下班前 had 明天下午下班前."""
    refused = cli(*CALL, "--回电期限", typed, "--时间", "2026-10-12 23:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert f"如果是明天，请写 --回电期限 \"{tomorrow}\"" in refused.stderr
    made = ok(cli(*CALL, "--回电期限", tomorrow, "--时间", "2026-10-12 23:00", env=ZH))
    assert workspace.store.get(printed_ids(made.stdout)[0]).get("callback_by") \
        == "2026-10-13T17:30:00+08:00"


@pytest.mark.parametrize("typed,due,other", [
    ("明天下午下班前", "2026-10-13 17:30", "10月12日下午下班前"),
    ("明天下午", "2026-10-13 18:00", "10月12日下午"),
    ("明天下午3点", "2026-10-13 15:00", "10月12日下午3点"),
    ("明天下班前", "2026-10-13 17:30", "10月12日下班前"),
])
def test_every_tomorrow_word_typed_in_the_small_hours_gets_the_note(cli, workspace, typed,
                                                                    due, other):
    """At 02:00 明天下班前 had the note, 明天下午下班前 and 明天下午 had none; the afternoon's is
    told as the day after this night (not its morning), and the words it gives are read as
    this day's."""
    made = ok(cli(*CALL, "--回电期限", typed, "--时间", "2026-10-12 02:00", env=ZH))
    assert (f"“{typed}”写于 2026-10-12 02:00（凌晨），按日历上的明天算，即 {due}；"
            f"如果指的是这一夜过后的白天，请写 \"{other}\"") in made.stderr
    meant = ok(cli(*CALL, "--回电期限", other, "--时间", "2026-10-12 02:01", env=ZH))
    assert workspace.store.get(printed_ids(meant.stdout)[0]).get("callback_by") \
        == due.replace("2026-10-13 ", "2026-10-12T") + ":00+08:00"


def test_tomorrow_at_a_clock_hour_in_the_small_hours_gets_the_note_too(cli, workspace):
    """明天8点 at 00:30 was taken as the calendar's tomorrow without a word, where 明天早上8点
    had the note: a clerk who has not slept says either of this morning."""
    made = ok(cli(*CALL, "--回电期限", "明天8点", "--时间", "2026-10-12 00:30", env=ZH))
    assert workspace.store.get(printed_ids(made.stdout)[0]).get("callback_by") \
        == "2026-10-13T08:00:00+08:00"
    assert ("“明天8点”写于 2026-10-12 00:30（凌晨），按日历上的明天算，即 2026-10-13 08:00；"
            "如果指的是这一夜过后的早上，请写 \"10月12日8点\"") in made.stderr


def test_tomorrow_at_a_small_hour_in_the_small_hours_is_told_as_this_night(cli, workspace):
    """明天3点 at 00:30 was told "for the morning after this night write 10月12日3点": 03:00
    is still this night, and the note says so; the words it gives read as this night's."""
    made = ok(cli(*CALL, "--回电期限", "明天3点", "--时间", "2026-10-12 00:30", env=ZH))
    assert ("“明天3点”写于 2026-10-12 00:30（凌晨），按日历上的明天算，即 2026-10-13 03:00；"
            "如果指的是今夜的这个钟点，请写 \"10月12日3点\"") in made.stderr
    meant = ok(cli(*CALL, "--回电期限", "10月12日3点", "--时间", "2026-10-12 00:31", env=ZH))
    assert workspace.store.get(printed_ids(meant.stdout)[0]).get("callback_by") \
        == "2026-10-12T03:00:00+08:00"


@pytest.mark.parametrize("typed", ["张伟ＺＨＡＮＧ", "张伟 ＺＨＡＮＧ"])
def test_chinese_and_full_width_letters_are_refused_as_mixed(no_rules, typed):
    """张伟ＺＨＡＮＧ (a Chinese input method in full-width mode) was taken as a name."""
    for resolve in (people.resolve_staff, lambda ws, named: people.resolve_staff_list(ws, [named])):
        with pytest.raises(InputError, match="mixes Chinese characters and letters"):
            resolve(no_rules, typed)


@pytest.mark.parametrize("typed,several", [("张伟Zhang", False), ("张伟 Zhang", False),
                                           ("张伟 Zhang", True)])
def test_the_mixed_name_refusal_is_true_with_a_space_too(no_rules, typed, several):
    """张伟 Zhang was told its characters and letters run together."""
    with pytest.raises(InputError) as refused:
        if several:
            people.resolve_staff_list(no_rules, [typed])
        else:
            people.resolve_staff(no_rules, typed)
    said = str(refused.value)
    assert said.startswith(f"'{typed}' mixes Chinese characters and letters: write one "
                           "person's name one way (张伟 or Zhang Wei)")
    assert "together" not in said
    assert ("several people separated by 、" in said) == several


@pytest.mark.parametrize("typed", ["张伟Ｚｈａｎｇ", "张伟Zhang", "张伟 Zhang", "•张伟Zhang"])
def test_the_mixed_name_refusal_is_one_with_a_staff_list_or_without(workspace, typed):
    """With a staff list 张伟Ｚｈａｎｇ was `no staff member`, without one the mixed-name refusal:
    one message on both paths, for one person and for one of a list."""
    def said(resolve) -> str:
        with pytest.raises(InputError) as refused:
            resolve()
        return str(refused.value)

    def both(resolve) -> tuple[str, str]:
        listed = said(lambda: resolve(workspace))
        rules = workspace.root / "rosters" / "rules.yaml"
        kept = rules.read_bytes()
        rules.unlink()
        try:
            assert people.resolve_staff(workspace, "张三") == "张三"  # no list: as typed
            return listed, said(lambda: resolve(workspace))
        finally:
            rules.write_bytes(kept)

    one, alone = both(lambda ws: people.resolve_staff(ws, typed))
    assert one == alone and "mixes Chinese characters and letters" in one, one
    several, without = both(lambda ws: people.resolve_staff_list(ws, ["李娜、" + typed]))
    assert several == without and "several people separated by 、" in several, several
    assert people.resolve_staff(workspace, "张伟") == "zhangwei"  # a name on the list, as ever


def test_the_mixed_name_refusal_in_chinese(cli, no_rules):
    refused = cli("交接班", "--接班人", "张伟 Zhang", "--操作人", "孙丽", "--时间",
                  "2026-10-05 19:40", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "连在一起" not in refused.stderr
    assert "“张伟 Zhang”里既有汉字又有字母：一个人的姓名请只用一种写法（张伟 或 Zhang Wei）" in \
        refused.stderr, refused.stderr


@pytest.mark.parametrize("typed", ["阿依・买买提", "阿依·买买提", "阿依•买买提", "阿依･买买提"])
def test_a_name_typed_with_another_middle_dot_is_the_same_person(no_rules, typed):
    """阿依・买买提 (katakana middle dot, as some input methods type it) and 阿依·买买提 were two
    people: without a staff list they were recorded apart, with one ・ found no one."""
    assert people.resolve_staff(no_rules, typed) == "阿依·买买提"
    assert people.resolve_staff_list(no_rules, [typed, "阿依·买买提"]) == ["阿依·买买提"]
    assert choices.resolve_staff(typed, {"ayi": "阿依·买买提"}, "rosters/rules.yaml") == "ayi"
    assert choices.resolve_staff("阿依·买买提", {"ayi": typed}, "rosters/rules.yaml") == "ayi"


def test_no_handover_on_a_site_without_a_roster_says_so_and_what_became_of_the_reason(
        cli, no_rules):
    """`签退 --不交接 --原因 X` with no rosters/rules.yaml talked of the roster (排班表) and said
    nothing of the reason, which was recorded."""
    ok(cli("签到", "--操作人", "张伟", "--时间", "2026-10-05 08:00", env=ZH))
    out = ok(cli("签退", "--操作人", "张伟", "--时间", "2026-10-05 18:00", "--不交接", "--原因",
                 "无人接班", env=ZH))
    assert ("不必写 --不交接：本处没有排班表（rosters/rules.yaml），没有应接班的人，无须交接；"
            "已签退；所填原因已随签退记录") in out.stderr
    assert "排班表上" not in out.stderr
    duty = no_rules.store.get(printed_ids(out.stdout)[0])
    assert duty.events[-1].data["no_handover_reason"] == "无人接班"


def test_no_handover_with_a_reason_after_the_handover_says_the_reason_is_not_kept(cli, october_desk):
    ok(cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55"))
    written = ok(cli("handover", "--staff", "zhangwei", "--to", "lina", "--at",
                     "2026-10-05 19:45")).stdout.strip()
    out = ok(cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00",
                 "--no-handover", "--reason", "told lina"))
    assert (f"--no-handover not needed: handover {written[:12]} was written for this duty; "
            "clocked out; the reason given is not recorded: the handover is") in out.stderr
    data = october_desk.store.get(printed_ids(out.stdout)[0]).events[-1].data
    assert data["handover"] == written and "no_handover_reason" not in data


def test_no_handover_where_a_colleague_handed_over_is_one_line_about_that_handover(cli, october_desk):
    """王强, helping 张伟's shift, clocking out with --不交接 was told twice about 张伟's
    handover: once as not needed, once as the shift's handover."""
    ok(cli("签到", "--操作人", "张伟", "--时间", "2026-10-05 07:50"))
    ok(cli("签到", "--操作人", "王强", "--时间", "2026-10-05 08:05"))
    handover = printed_ids(ok(cli("交接班", "--操作人", "张伟", "--时间",
                                  "2026-10-05 19:40")).stdout)[0]
    out = ok(cli("签退", "--操作人", "王强", "--时间", "2026-10-05 20:02", "--不交接", env=ZH))
    said = [line for line in out.stderr.splitlines() if handover[:12] in line]
    assert len(said) == 1, out.stderr
    assert said[0].startswith("不必写 --不交接：本班交接已由张伟写好：交接班记录 ")
    assert said[0].endswith("；已签退")
    plain = ok(cli("签退", "--操作人", "张伟", "--时间", "2026-10-05 20:03", env=ZH))
    assert "不必写" not in plain.stderr


def test_people_split_on_slashes_and_semicolons_other_lists_only_on_commas():
    """One splitter (choices.split_list); a person's list takes / and ; too, a list of
    statuses, roles or report words does not: a site's label may hold a /."""
    assert people.split_names("张伟/李娜；王强、赵磊") == ["张伟", "李娜", "王强", "赵磊"]
    assert choices.split_list("水电/维修，保安、客服") == ["水电/维修", "保安", "客服"]


@pytest.mark.parametrize("typed, other, due", [
    ("tomorrow 8:00", "2026-10-12 8:00", "2026-10-12T08:00:00+08:00"),
    ("tomorrow", "2026-10-12", "2026-10-12T17:30:00+08:00"),
])
def test_tomorrow_in_english_in_the_small_hours_is_told_in_words_it_reads(cli, workspace, typed,
                                                                         other, due):
    """`tomorrow 8:00` at 00:30 on an English screen was told to write "10月12日8:00": the
    date written out instead, which reads as this morning's (or this day's)."""
    made = ok(cli(*CALL, "--callback-by", typed, "--at", "2026-10-12 00:30"))
    assert f'for the morning after this night write "{other}"' in made.stderr or (
        f'for the day after this night write "{other}"' in made.stderr), made.stderr
    meant = ok(cli(*CALL, "--callback-by", other, "--at", "2026-10-12 00:31"))
    assert workspace.store.get(printed_ids(meant.stdout)[0]).get("callback_by") == due
