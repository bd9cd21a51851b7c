"""Chinese time words in the shared time parser, relative to a fixed "now" (never today)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from dutyctl import timeutil
from dutyctl.errors import InputError
from tests.helpers_foundation import call_flags, record_files

SHANGHAI = timeutil.zone("Asia/Shanghai")
WEDNESDAY_2PM = datetime(2026, 11, 25, 14, 0, tzinfo=SHANGHAI)  # a Wednesday
END_OF_BUSINESS = time(17, 30)


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize("typed,expected", [
    ("明天10点", at("2026-11-26", "10:00")),
    ("十一月二十日下午3点", at("2026-11-20", "15:00")),
    ("下午3点", at("2026-11-25", "15:00")),
    ("今晚8点", at("2026-11-25", "20:00")),
    ("后天上午9:30", at("2026-11-27", "09:30")),
    ("10点半", at("2026-11-25", "10:30")),
    ("明早8点", at("2026-11-26", "08:00")),
    ("中午12点", at("2026-11-25", "12:00")),
    ("中午1点", at("2026-11-25", "13:00")),
    ("晚上9点", at("2026-11-25", "21:00")),
    ("晚上12点", at("2026-11-26", "00:00")),  # midnight ends the evening
    ("凌晨2点", at("2026-11-25", "02:00")),
    ("明天 十一点一刻", at("2026-11-26", "11:15")),
    ("明天下午3点45", at("2026-11-26", "15:45")),
    ("明天下午3点45分", at("2026-11-26", "15:45")),
    ("两点", at("2026-11-25", "02:00")),
    ("今天晚上7点", at("2026-11-25", "19:00")),
    ("12月5日 下午3点", at("2026-12-05", "15:00")),
    ("2027年1月4日9:00", at("2027-01-04", "09:00")),
    ("周一 9:00", at("2026-11-30", "09:00")),  # the next Monday
    ("周三 15:00", at("2026-11-25", "15:00")),  # today: still ahead
    ("星期三 9:00", at("2026-12-02", "09:00")),  # today's has passed: next week's
    ("周日10点", at("2026-11-29", "10:00")),
    ("下周三 9:00", at("2026-12-02", "09:00")),
    ("本周一 9:00", at("2026-11-23", "09:00")),
    ("friday 16:00", at("2026-11-27", "16:00")),
    # the forms accepted before stay
    ("17:00", at("2026-11-25", "17:00")),
    ("tomorrow 10:00", at("2026-11-26", "10:00")),
    ("2026-11-26 09:30", at("2026-11-26", "09:30")),
    ("2026-11-26T01:30:00+00:00", at("2026-11-26", "09:30")),
    ("今天", at("2026-11-25", "00:00")),
    ("昨天", at("2026-11-24", "00:00")),
])
def test_time_words(typed, expected):
    assert timeutil.parse_when(typed, SHANGHAI, WEDNESDAY_2PM) == expected


@pytest.mark.parametrize("typed,expected", [
    ("明天", at("2026-11-26", "17:30")),
    ("tomorrow", at("2026-11-26", "17:30")),
    ("2026-12-05", at("2026-12-05", "17:30")),
    ("后天", at("2026-11-27", "17:30")),
    ("周三", at("2026-11-25", "17:30")),  # today's end of business is still ahead
    ("周五", at("2026-11-27", "17:30")),
    ("明天10点", at("2026-11-26", "10:00")),  # a time given is kept
])
def test_a_day_alone_as_deadline_is_the_end_of_business(typed, expected):
    assert timeutil.parse_deadline(typed, SHANGHAI, WEDNESDAY_2PM, END_OF_BUSINESS) == expected


def test_a_bare_weekday_whose_end_of_business_passed_is_next_week():
    evening = datetime(2026, 11, 25, 18, 0, tzinfo=SHANGHAI)
    assert timeutil.parse_deadline("周三", SHANGHAI, evening, END_OF_BUSINESS) == \
        at("2026-12-02", "17:30")


@pytest.mark.parametrize("typed,expected", [
    ("1-3 10:00", at("2027-01-03", "10:00")), ("1月3日", at("2027-01-03", "17:30")),
    ("1/3", at("2027-01-03", "17:30")), ("12-31 9:00", at("2026-12-31", "09:00")),
    ("12-29 9:00", at("2026-12-29", "09:00")),  # a day just gone (a slip): said, not a year on
    ("2026年1月3日", at("2026-01-03", "17:30")),  # a year typed is kept
])
def test_a_deadline_without_its_year_is_its_coming_occurrence(typed, expected):
    """On 30 December a callback by '1-3 10:00' is early January of the coming year (was: 3
    January of the year ending, nearly a year gone)."""
    december = datetime(2026, 12, 30, 14, 0, tzinfo=SHANGHAI)
    assert timeutil.parse_deadline(typed, SHANGHAI, december, END_OF_BUSINESS) == expected
    # a moment that happened, or a listing's as-of, keeps the reference's year
    assert timeutil.parse_when("1-3 10:00", SHANGHAI, december) == at("2026-01-03", "10:00")


@pytest.mark.parametrize("typed,expected", [
    ("7月15日", at("2026-07-15", "17:30")), ("7-15", at("2026-07-15", "17:30")),
    ("7-15 10:00", at("2026-07-15", "10:00")), ("1-3 9:00", at("2026-01-03", "09:00")),
    ("12-30", at("2025-12-30", "17:30")),  # a day just gone (a slip): said, not a year on
    ("12-1", at("2025-12-01", "17:30")),  # 40 days gone, or 325 ahead: a slip, said as past
    ("11-5", at("2026-11-05", "17:30")),  # 299 days ahead: a deadline still
])
def test_a_deadline_without_its_year_lies_ahead_not_in_the_nearest_year(typed, expected):
    """On 10 January a callback by '7-15' is this July (was: July of the year gone, being
    nearer), a day a few days gone stays past."""
    january = datetime(2026, 1, 10, 9, 0, tzinfo=SHANGHAI)
    assert timeutil.parse_deadline(typed, SHANGHAI, january, END_OF_BUSINESS) == expected


@pytest.mark.parametrize("typed", ["明天下午", "今", "上午15点", "25点", "10点70", "soon",
                                   "13月1日", "周八 9:00", "0001-01-01 10:00"])
def test_unreadable_time_words_are_refused_with_examples(typed):
    with pytest.raises(InputError) as refused:
        timeutil.parse_when(typed, SHANGHAI, WEDNESDAY_2PM)
    assert typed in str(refused.value)


def test_the_examples_of_a_refusal_are_in_the_screens_words(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with pytest.raises(InputError) as refused:
        timeutil.parse_when("明天后", SHANGHAI, WEDNESDAY_2PM)
    said = str(refused.value)
    assert "“明天10点”、“下午3点”" in said and "tomorrow" not in said, said


@pytest.mark.parametrize("typed,expected", [
    ("明天", date(2026, 11, 26)), ("前天", date(2026, 11, 23)), ("后天", date(2026, 11, 27)),
    ("12月5日", date(2026, 12, 5)), ("周一", date(2026, 11, 23)), ("上周五", date(2026, 11, 20)),
    ("下周一", date(2026, 11, 30)), ("2026-11-01", date(2026, 11, 1)),
    ("yesterday", date(2026, 11, 24)),
    # the month and day in Chinese numerals, as a clerk says them (无法识别日期 before)
    ("十一月二十日", date(2026, 11, 20)), ("2026年十一月三日", date(2026, 11, 3)),
    ("11月二十四号", date(2026, 11, 24)), ("十月三十一日", date(2026, 10, 31)),
])
def test_day_words(typed, expected):
    assert timeutil.parse_day(typed, SHANGHAI, WEDNESDAY_2PM) == expected


def test_a_report_offers_no_day_to_come_as_an_example_of_a_date(cli, clock):
    """A report refuses 明天 (a day not begun), so the date it cannot read is not told to try
    it; a command that takes days to come (list --since) still offers it."""
    for typed in ("2026-02-30x", "32号", "abc", "12.3"):  # 12.3: told the clerk's 12月3日
        refused = cli("--lang", "zh_CN", "report", "daily", "--date", typed)
        assert refused.exit_code == 2, refused.stderr
        said = refused.stderr.strip()
        assert said == f"无法识别日期“{typed}”：可以写 2026-11-25、11月25日、今天或昨天", said
    assert "还没有开始" in cli("--lang", "zh_CN", "report", "daily", "--date", "明天").stderr
    assert "tomorrow" not in cli("--lang", "en", "report", "daily", "--date", "abc").stderr
    listed = cli("--lang", "zh_CN", "list", "--since", "abc")
    assert listed.stderr.strip() == "无法识别日期“abc”：可以写 2026-11-25、11月25日、今天、昨天或明天"
    with pytest.raises(InputError, match="(today or yesterday|今天或昨天)$"):
        timeutil.parse_day("abc", SHANGHAI, WEDNESDAY_2PM, ahead=False)


@pytest.mark.parametrize("typed", ["明天10点", "今", "soon"])
def test_a_day_with_a_time_or_nonsense_is_not_a_day(typed):
    with pytest.raises(InputError, match="cannot read the date"):
        timeutil.parse_day(typed, SHANGHAI, WEDNESDAY_2PM)


@pytest.mark.parametrize("typed,said", [
    ("2026-11-31", "“2026-11-31”：2026年11月只有 30 天，没有 31 日"),
    ("2026-02-30 09:00", "“2026-02-30”：2026年2月只有 28 天，没有 30 日"),
    ("2026-11-31T09:00", "“2026-11-31”：2026年11月只有 30 天，没有 31 日"),
    ("2026/2/29", "“2026/2/29”：2026年2月只有 28 天，没有 29 日"),
    ("2026年2月30日", "“2026年2月30日”：2026年2月只有 28 天，没有 30 日"),
    ("2月30日 10点", "“2月30日”：2026年2月只有 28 天，没有 30 日"),
    ("2026-13-01", "“2026-13-01”：没有 13 月，月份只能是 1 到 12"),
    ("13月1日", "“13月1日”：没有 13 月，月份只能是 1 到 12"),
])
def test_an_impossible_date_says_the_month_has_no_such_day(monkeypatch, typed, said):
    """2026-11-31 is a typo of a real day: say which part is impossible, not that the words
    cannot be read."""
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with pytest.raises(InputError) as refused:
        timeutil.parse_when(typed, SHANGHAI, WEDNESDAY_2PM)
    assert str(refused.value) == said
    if ":" not in typed and "点" not in typed:
        with pytest.raises(InputError) as refused:
            timeutil.parse_day(typed, SHANGHAI, WEDNESDAY_2PM)
        assert str(refused.value) == said
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    with pytest.raises(InputError, match="has only|no month"):
        timeutil.parse_when(typed, SHANGHAI, WEDNESDAY_2PM)


@pytest.mark.parametrize("typed,said", [
    ("25:00", "“25:00”：没有 25 点，小时只能是 0 到 23（半夜十二点写第二天的 0:00）"),
    ("明天25点", "“明天25点”：没有 25 点，小时只能是 0 到 23（半夜十二点写第二天的 0:00）"),
    ("明天二十五点", "“明天二十五点”：没有 25 点，小时只能是 0 到 23（半夜十二点写第二天的 0:00）"),
    ("2026-11-26 24:30", "“2026-11-26 24:30”：没有 24 点，小时只能是 0 到 23（半夜十二点写第二天的 0:00）"),
    ("2026-11-26T25:00", "“2026-11-26T25:00”：没有 25 点，小时只能是 0 到 23（半夜十二点写第二天的 0:00）"),
    ("09:61", "“09:61”：没有 61 分，分钟只能是 0 到 59"),
])
def test_an_impossible_time_of_day_says_which_part(monkeypatch, typed, said):
    """25:00 was told only "无法识别时间" with examples, where an impossible date says what is
    impossible about it (没有 13 月)."""
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with pytest.raises(InputError) as refused:
        timeutil.parse_when(typed, SHANGHAI, WEDNESDAY_2PM)
    assert str(refused.value) == said
    assert timeutil.no_such_clock("23:59") is None and timeutil.no_such_clock("明天") is None


@pytest.mark.parametrize("written,said", [
    ("2026-11-02T25:00:00+08:00", "“2026-11-02T25:00:00+08:00”：没有 25 点，小时只能是 0 到 23"),
    ("2026-11-02T09:61:00+08:00", "“2026-11-02T09:61:00+08:00”：没有 61 分，分钟只能是 0 到 59"),
    ("2026-02-30T09:00:00+08:00", "“2026-02-30”：2026年2月只有 28 天，没有 30 日"),
])
def test_an_impossible_time_in_a_record_file_says_which_part(monkeypatch, written, said):
    """A hand-edited record's 2026-11-02T25:00:00+08:00 was told only "应为带 UTC 时差的 ISO
    8601 时间", where --at 25:00 is told 没有 25 点."""
    from dutyctl.schema import check_timestamp

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert check_timestamp(written).startswith(said)
    assert check_timestamp("2026-11-02T23:59:00+08:00") is None
    assert check_timestamp("2026-11-02T09:00:00").startswith("应为带 UTC 时差的 ISO 8601 时间")


def test_a_leap_day_is_a_day_and_impossible_days_in_files_are_named():
    assert timeutil.parse_day("2028-02-29", SHANGHAI, WEDNESDAY_2PM) == date(2028, 2, 29)
    assert timeutil.no_such_day("2028-02-29") is None
    assert timeutil.no_such_day("明天") is None
    assert "has only 28 days, there is no day 29" in timeutil.no_such_day("2026年2月29日")
    assert timeutil.written_date("2026-02-29") is None


# -- through the command line ------------------------------------------------------------------

@pytest.mark.parametrize("typed,due", [
    ("明天", "2026-10-13T17:30:00+08:00"),
    ("tomorrow", "2026-10-13T17:30:00+08:00"),
    ("2026-10-14", "2026-10-14T17:30:00+08:00"),
    ("下午3点", "2026-10-12T15:00:00+08:00"),
    ("明天10点半", "2026-10-13T10:30:00+08:00"),
])
def test_callback_by_words_are_echoed_back(workspace, cli, typed, due):
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "物业费怎么交",
                             "--at", "2026-10-12 09:30", "--callback-by", typed))
    assert result.exit_code == 0, result.stderr
    record = workspace.store.get(result.stdout.strip())
    assert record.get("callback_by") == due
    shown = datetime.fromisoformat(due).strftime("%Y-%m-%d %H:%M")
    assert f"callback due {shown}" in result.stderr


def test_repair_eta_day_alone_is_end_of_business_and_echoed(workspace, cli):
    filed = cli("repair", "file", "--name", "李四", "--room", "3-2-501", "--phone", "13812345678",
                "--content", "门锁坏了", "--at", "2026-10-12 09:00")
    assert filed.exit_code == 0, filed.stderr
    repair = filed.stdout.strip()
    result = cli("repair", "eta", repair, "--by", "明天", "--at", "2026-10-12 10:00")
    assert result.exit_code == 0, result.stderr
    assert "2026-10-13 17:30" in result.stdout
    (event,) = workspace.store.get(repair).events
    assert event.data["eta"] == "2026-10-13T17:30:00+08:00"


def test_unreadable_callback_words_write_nothing(workspace, cli):
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "2026-10-12 09:30",
                             "--callback-by", "明天半夜"))
    assert result.exit_code == 2 and "明天半夜" in result.stderr
    assert record_files(workspace.root) == []


def test_at_an_impossible_date_writes_nothing_and_says_why(workspace, cli):
    result = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", "x",
                                               "--at", "2026-11-31 09:00"))
    assert result.exit_code == 2 and record_files(workspace.root) == []
    assert "“2026-11-31”：2026年11月只有 30 天，没有 31 日" in result.stderr, result.stderr
    assert "无法识别" not in result.stderr


@pytest.mark.parametrize("typed,expected", [
    ("２０：３０", at("2026-11-25", "20:30")),
    ("2026-11-10 ２０：３０", at("2026-11-10", "20:30")),
    ("２０２６-１１-１０　２０:３０", at("2026-11-10", "20:30")),
    ("明天　１０点半", at("2026-11-26", "10:30")),
])
def test_full_width_digits_colons_and_spaces_read_as_typed_in_half_width(typed, expected):
    """What a Chinese input method in full-width mode types is the same time."""
    assert timeutil.parse_when(typed, SHANGHAI, WEDNESDAY_2PM) == expected


def test_full_width_dates_and_months_read_as_half_width():
    assert timeutil.parse_day("２０２６-１１-２０", SHANGHAI, WEDNESDAY_2PM) == date(2026, 11, 20)
    assert timeutil.parse_month("２０２６年１２月") == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_night_call_promised_for_8_says_how_to_write_tomorrow_morning(workspace, cli):
    """--callback-by 8:00 typed at 23:50 is today's 08:00, before the call: refused, the
    refusal saying how to promise tomorrow's (a time alone may be a typo for a later one)."""
    flags = call_flags("张三", "3-2-501", "13812345678", "问停车", "--at", "2026-10-11 23:50")
    result = cli("--lang", "zh_CN", *flags, "--callback-by", "８:００")
    assert result.exit_code == 2 and record_files(workspace.root) == []
    assert result.stderr.strip() == ('--callback-by 2026-10-11 08:00 不晚于来电时间'
                                     '（2026-10-11 23:50）：如果是明天，请写 '
                                     '--callback-by "明天 08:00"')
    written = cli(*flags, "--callback-by", "明天 08:00")
    assert written.exit_code == 0, written.stderr
    assert workspace.store.get(written.stdout.strip()).get("callback_by") == \
        "2026-10-12T08:00:00+08:00"
    days_before = cli(*flags, "--callback-by", "2026-10-10 08:00")
    assert days_before.exit_code == 2 and "tomorrow" not in days_before.stderr


@pytest.mark.parametrize("typed", ["2026-10-11 08:00", "今天 8:00", "今天上午8点", "10月11日 8:00"])
def test_a_callback_typed_with_its_day_is_not_taken_for_tomorrows(workspace, cli, typed):
    """The tomorrow hint is for a time of day alone: one typed with its day (today's, passed)
    meant that day, and the refusal says only that it is not after the call."""
    flags = call_flags("张三", "3-2-501", "13812345678", "问停车", "--at", "2026-10-11 23:50")
    result = cli("--lang", "zh_CN", *flags, "--callback-by", typed)
    assert result.exit_code == 2 and record_files(workspace.root) == []
    assert result.stderr.strip() == ('--callback-by 2026-10-11 08:00 不晚于来电时间'
                                     '（2026-10-11 23:50）')


def test_a_call_filed_with_its_ticket_hints_tomorrow_only_for_a_time_alone(workspace, cli):
    flags = call_flags("张三", "3-2-501", "13812345678", "门锁坏了", "--category", "repair",
                       "--file-ticket", "--at", "2026-10-11 23:50")
    alone = cli(*flags, "--callback-by", "8:00")
    assert alone.exit_code == 2 and 'write --callback-by "tomorrow 08:00"' in alone.stderr
    dated = cli(*flags, "--callback-by", "2026-10-11 08:00")
    assert dated.exit_code == 2 and "is not after the call" in dated.stderr
    assert "tomorrow" not in dated.stderr and record_files(workspace.root) == []


@pytest.mark.parametrize("typed,hinted", [
    ("8:00", True), ("上午8点", True), ("８：００", True), (None, False),
    ("今天 8:00", False), ("2026-10-11 08:00", False), ("周日 8:00", False),
])
def test_the_core_hints_tomorrow_only_for_a_callback_typed_as_a_time_alone(workspace, typed,
                                                                          hinted):
    from dutyctl.kinds.call import log_call

    call_at = at("2026-10-11", "23:50")  # a Sunday
    with pytest.raises(InputError) as refused:
        log_call(workspace.store, workspace.config,
                 resident={"name": "张三", "room": "3-2-501", "phone": "13812345678"},
                 category=None, summary="问停车", callback_by=at("2026-10-11", "08:00"),
                 callback_typed=typed, at=call_at, by="zhangwei")
    said = str(refused.value)
    assert said.startswith("callback-by 2026-10-11 08:00 is not after the call (2026-10-11 23:50)")
    assert ('write callback-by "tomorrow 08:00"' in said) == hinted, said


def test_a_bare_time_later_today_says_how_to_record_last_nights(workspace, cli, clock):
    """After midnight a clerk typing --at 23:50 means last night's: the refusal says so."""
    clock.set("2026-10-12T00:30:00+08:00")
    result = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", "x",
                                               "--at", "23:50"))
    assert result.exit_code == 2 and record_files(workspace.root) == []
    assert result.stderr.strip() == ('2026-10-12 23:50 在将来（现在是 2026-10-12 00:30）：'
                                     '如果是昨天的事，请写 --at "昨天 23:50"')
    written = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "昨天 23:50"))
    assert written.exit_code == 0, written.stderr
    far = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "2026-10-13 09:00"))
    assert "yesterday" not in far.stderr and "in the future" in far.stderr


# -- a day jotted 12-5, and a day alone where a moment is asked --------------------------------

@pytest.mark.parametrize("typed,expected", [
    ("12-5", date(2026, 12, 5)), ("12/5", date(2026, 12, 5)), ("1-05", date(2026, 1, 5)),
    ("１２-５", date(2026, 12, 5)), ("2026-12-05", date(2026, 12, 5)),
])
def test_a_month_and_day_jotted_with_a_hyphen_or_slash_is_that_day(typed, expected):
    """12-5 and 12/5 are 12月5日 as a clerk jots it (this year, like 12月5日)."""
    assert timeutil.parse_day(typed, SHANGHAI, WEDNESDAY_2PM) == expected
    assert timeutil.parse_when(f"{typed} 下午3点", SHANGHAI, WEDNESDAY_2PM) == \
        datetime.combine(expected, time(15), SHANGHAI)


@pytest.mark.parametrize("typed", ["3-2-501", "12-5-12-10", "12.5", "12-5-", "123-5"])
def test_a_room_a_range_or_a_dotted_day_is_not_read_as_a_day(typed):
    with pytest.raises(InputError, match="cannot read"):
        timeutil.parse_when(typed, SHANGHAI, WEDNESDAY_2PM)
    with pytest.raises(InputError, match="cannot read"):
        timeutil.parse_day(typed, SHANGHAI, WEDNESDAY_2PM)


def test_an_impossible_jotted_day_says_why():
    with pytest.raises(InputError, match="2026-11 has only 30 days, there is no day 31"):
        timeutil.parse_day("11-31", SHANGHAI, WEDNESDAY_2PM)


def test_a_jotted_day_with_a_time_is_not_a_bare_clock():
    assert not timeutil.bare_clock("12-5 23:50") and timeutil.bare_clock("23:50")


def test_a_roster_day_jotted_without_its_year_is_the_nearest_one():
    """排班 顶班 1-5 in late December is the coming 1月5日, as 1月5日 is."""
    from dutyctl.roster.rosterfile import nearest_year

    assert nearest_year("1-5", date(2026, 1, 5), date(2026, 12, 28)) == date(2027, 1, 5)
    assert nearest_year("1/5", date(2026, 1, 5), date(2026, 12, 28)) == date(2027, 1, 5)


@pytest.mark.parametrize("typed", ["11月17日", "明天", "2026-11-17", "11-17", "周一"])
def test_an_instant_given_as_a_day_alone_is_refused_with_the_time_to_add(typed):
    """--at 11月17日 is no moment: not silently 00:00 (a call logged at midnight, the night
    shift answering `who`); the refusal shows the day with a time."""
    with pytest.raises(InputError) as refused:
        timeutil.parse_instant(typed, SHANGHAI, WEDNESDAY_2PM)
    assert str(refused.value) == (f"'{typed}' is a day without a time of day: write the time "
                                  f"too, like at \"{typed} 09:00\"")
    assert timeutil.parse_instant(f"{typed} 9:00", SHANGHAI, WEDNESDAY_2PM).hour == 9


def test_as_of_a_day_alone_is_the_end_of_that_day_or_now():
    assert timeutil.parse_as_of("11月17日", SHANGHAI, WEDNESDAY_2PM) == \
        datetime(2026, 11, 17, 23, 59, 59, tzinfo=SHANGHAI)
    assert timeutil.parse_as_of("今天", SHANGHAI, WEDNESDAY_2PM) == WEDNESDAY_2PM
    assert timeutil.parse_as_of("昨天 9:00", SHANGHAI, WEDNESDAY_2PM) == at("2026-11-24", "09:00")


def test_the_command_line_refuses_at_a_day_alone_naming_the_option_typed(workspace, cli, clock):
    """At the `clock` fixture's 2026-10-12: 10-11 is 2026-10-11, a day gone."""
    refused = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", "x",
                                                "--at", "2026-10-11"))
    assert refused.exit_code == 2 and record_files(workspace.root) == []
    assert refused.stderr.strip() == ('“2026-10-11”只有日期，没有钟点：请把钟点也写上，'
                                      '例如 --at "2026-10-11 09:00"'), refused.stderr
    who = cli("--lang", "zh_CN", "值班", "--时间", "11月17日")
    assert who.exit_code == 2
    assert who.stderr.strip().endswith('例如 --时间 "11月17日 09:00"'), who.stderr
    written = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "10-11 9:00"))
    assert written.exit_code == 0, written.stderr
    assert workspace.store.get(written.stdout.strip()).created_at == at("2026-10-11", "09:00")


def test_list_as_of_a_day_alone_takes_that_whole_day(workspace, cli, clock):
    """At the `clock` fixture's 2026-10-12: 10-11 and 10-10 are days of 2026."""
    logged = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--at", "2026-10-11 21:00"))
    assert logged.exit_code == 0, logged.stderr
    import json

    listed = cli("list", "--as-of", "10-11", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    assert [row["id"] for row in json.loads(listed.stdout)] == [logged.stdout.strip()]
    assert json.loads(cli("list", "--as-of", "10-10", "-f", "json").stdout) == []


# -- a day typed without its year, looked back on across New Year ------------------------------

NEW_YEAR_1AM = datetime(2027, 1, 1, 1, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("typed,expected", [
    ("12月31日 23:50", at("2026-12-31", "23:50")),  # the night just gone, not a year ahead
    ("12-31 23:50", at("2026-12-31", "23:50")),
    ("12月30日 晚上12点", at("2026-12-31", "00:00")),
    ("1月1日 00:30", at("2027-01-01", "00:30")),
    ("1月5日 09:00", at("2027-01-05", "09:00")),  # days ahead: a slip, said as not yet
    ("3月1日 09:00", at("2026-03-01", "09:00")),  # far ahead this year: last year's
    ("2027年12月31日 23:50", at("2027-12-31", "23:50")),  # a year typed is kept
])
def test_a_moment_typed_without_its_year_is_the_latest_one_after_new_year(typed, expected):
    """At 01:00 on 1 January, --at "12月31日 23:50" is the last minutes of the year gone (was:
    31 December of the year just begun, refused as a year in the future)."""
    assert timeutil.parse_instant(typed, SHANGHAI, NEW_YEAR_1AM) == expected
    assert timeutil.parse_as_of(typed, SHANGHAI, NEW_YEAR_1AM) == expected


@pytest.mark.parametrize("typed,expected", [
    ("12月31日", date(2026, 12, 31)), ("12-28", date(2026, 12, 28)),
    ("1月1日", date(2027, 1, 1)), ("1月20日", date(2027, 1, 20)),
    ("11月5日", date(2026, 11, 5))])
def test_a_day_typed_without_its_year_is_the_latest_one_after_new_year(typed, expected):
    """A report's --date, a listing's --since on 2 January: 12月31日 is two days ago."""
    assert timeutil.parse_day(typed, SHANGHAI, NEW_YEAR_1AM + timedelta(days=1)) == expected


def test_a_day_typed_without_its_year_in_december_stays_this_year():
    """A day a little ahead is said as not yet (never a year back); January is this year's."""
    december = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    assert timeutil.parse_day("12月2日", SHANGHAI, december) == date(2026, 12, 2)
    assert timeutil.parse_day("1月2日", SHANGHAI, december) == date(2026, 1, 2)
    assert timeutil.parse_instant("12月25日 9:00", SHANGHAI, december) == \
        at("2026-12-25", "09:00")


def test_a_day_typed_without_its_year_on_new_years_eve_is_never_a_year_back():
    """At 23:58 on 31 December, 1月1日0点5分 is seven minutes ahead (was: last 1 January,
    accepted silently); a day alone, looked back on, stays this year's: on 30 December
    `--since 1月1日` is the year's first day (a year-end summary), not the coming one."""
    eve = datetime(2026, 12, 31, 23, 58, tzinfo=SHANGHAI)
    assert timeutil.parse_instant("1月1日0点5分", SHANGHAI, eve) == at("2027-01-01", "00:05")
    assert timeutil.parse_day("1月2日", SHANGHAI, eve) == date(2026, 1, 2)
    assert timeutil.parse_day("1月20日", SHANGHAI, eve) == date(2026, 1, 20)
    december = datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI)
    assert timeutil.parse_span("1月1日", "12月30日", SHANGHAI, december) == \
        (date(2026, 1, 1), date(2026, 12, 30))
    assert timeutil.parse_as_of("1月2日", SHANGHAI, december).date() == date(2026, 1, 2)


def test_after_new_year_the_desk_records_and_lists_the_night_gone_without_its_year(
        workspace, cli, clock):
    """At 01:00 on New Year's Day a clerk records the 23:50 call as 12月31日 23:50 and finds
    it with --since 12-31 and the daily report of 12月31日."""
    import json

    clock.set("2027-01-01T01:00:00+08:00")
    logged = cli(*call_flags("张三", "3-2-501", "13812345678", "跨年烟花噪音",
                             "--at", "12月31日 23:50"))
    assert logged.exit_code == 0, logged.stderr
    record = workspace.store.get(logged.stdout.strip())
    assert record.created_at == at("2026-12-31", "23:50")
    clock.set("2027-01-02T09:00:00+08:00")
    listed = cli("list", "--since", "12-31", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    assert [row["id"] for row in json.loads(listed.stdout)] == [record.id]
    daily = cli("report", "daily", "--date", "12月31日", "-f", "json")
    assert daily.exit_code == 0, daily.stderr
    assert json.loads(daily.stdout)["report"]["period"] == "2026-12-31"


def test_a_span_typed_without_years_runs_over_new_year():
    """--since 12月28日 --until 1月3日 on 30 December: the end is the coming 3 January."""
    december = datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI)
    assert timeutil.parse_span("12月28日", "1月3日", SHANGHAI, december) == \
        (date(2026, 12, 28), date(2027, 1, 3))
    assert timeutil.parse_span("12-28", "1-3", SHANGHAI, december) == \
        (date(2026, 12, 28), date(2027, 1, 3))
    assert timeutil.parse_span("11月1日", "11月30日", SHANGHAI, december) == \
        (date(2026, 11, 1), date(2026, 11, 30))
    assert timeutil.parse_span(None, "1月3日", SHANGHAI, december) == (None, date(2026, 1, 3))
    # a year typed is kept, so a backwards span is still said to be one
    assert timeutil.parse_span("12月28日", "2026-01-03", SHANGHAI, december) == \
        (date(2026, 12, 28), date(2026, 1, 3))
    # two days typed the wrong way round stay so (refused), never the eleven months after
    assert timeutil.parse_span("11月25日", "11月20日", SHANGHAI, december) == \
        (date(2026, 11, 25), date(2026, 11, 20))
    assert timeutil.parse_span("12月5日", "12月3日", SHANGHAI, december) == \
        (date(2026, 12, 5), date(2026, 12, 3))
    assert timeutil.parse_span("10月1日", "3月31日", SHANGHAI, december) == \
        (date(2026, 10, 1), date(2027, 3, 31))  # half a year over New Year: carried


@pytest.mark.parametrize("first, last, expected", [
    ("2026年除夕", "初三", (date(2026, 2, 16), date(2026, 2, 19))),
    ("2026-02-16", "2月19日", (date(2026, 2, 16), date(2026, 2, 19))),
    ("2025-12-01", "12月5日", (date(2025, 12, 1), date(2025, 12, 5))),
    ("12月20日", "1月5日", (date(2026, 12, 20), date(2027, 1, 5))),
    ("2026-01-01", "12月31日", (date(2026, 1, 1), date(2026, 12, 31))),  # as read: a year
])
def test_an_end_typed_without_its_year_is_the_starts_next_such_day(first, last, expected):
    """`排班 查看 --从 2026年除夕 --到 初三` in December 2026 ran to 2027's 初三 (the end
    read alone is the nearest, a year after the start): only an end read before the start
    was carried to the start's next such day, so a year of rosters was shown."""
    from dutyctl.roster.rosterfile import CURRENT, roster_period

    december = datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI)
    assert roster_period(None, first, last, default=CURRENT, tz=SHANGHAI,
                         now=december) == expected
    assert timeutil.parse_span(first, last, SHANGHAI, december) == expected


def test_list_and_search_take_a_span_over_new_year(workspace, cli, clock):
    import json

    clock.set("2026-12-31T10:00:00+08:00")
    logged = cli(*call_flags("张三", "3-2-501", "13812345678", "楼道灯不亮",
                             "--at", "2026-12-30 09:00"))
    assert logged.exit_code == 0, logged.stderr
    listed = cli("list", "--since", "12月28日", "--until", "1月3日", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    assert [row["id"] for row in json.loads(listed.stdout)] == [logged.stdout.strip()]
    found = cli("search", "楼道灯", "--since", "12-28", "--until", "1-3")
    assert found.exit_code == 0, found.stderr
    assert logged.stdout.strip()[:12] in found.stdout


# -- the small hours of a night: 夜里2点, 昨晚1点 ----------------------------------------------

MORNING_AFTER = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("typed,expected", [
    ("夜里1点", at("2026-12-01", "01:00")),  # the night just gone, not 13:00
    ("半夜2点", at("2026-12-01", "02:00")),
    ("深夜1点半", at("2026-12-01", "01:30")),
    ("夜间3点", at("2026-12-01", "03:00")),
    ("晚上1点", at("2026-12-01", "01:00")),
    ("昨晚1点", at("2026-12-01", "01:00")),  # last night's 1 a.m. is this morning's
    ("昨天夜里2点", at("2026-12-01", "02:00")),
    ("昨晚23点", at("2026-11-30", "23:00")),
    ("昨晚11点", at("2026-11-30", "23:00")),
    ("夜里11点", at("2026-12-01", "23:00")),
    ("晚上5点", at("2026-12-01", "17:00")),  # an evening hour stays one
    ("傍晚5点", at("2026-12-01", "17:00")),
    ("半夜12点", at("2026-12-02", "00:00")),
    ("今晚2点", at("2026-12-02", "02:00")),  # tonight's 2 a.m. is tomorrow's
    ("今晚8点", at("2026-12-01", "20:00")),
])
def test_the_small_hours_of_a_night_are_after_midnight(typed, expected):
    assert timeutil.parse_when(typed, SHANGHAI, MORNING_AFTER) == expected


@pytest.mark.parametrize("typed,own", [
    ("2026-11-26 夜里2点", "2026-11-26 凌晨2点"),
    ("11月26日 半夜2点半", "11月26日 凌晨2点半"),
    ("11-26 夜里2:30", "11-26 凌晨2:30"),
    ("2026-11-26 凌晨2点", None),  # the date's own 02:00
    ("今晚2点", None),  # whose night it is is said
    ("2026-11-26 夜里11点", None),  # an evening hour: that day's
    ("2026-11-26 夜里0点", None),  # the midnight that ends the day
    ("2026-11-26 晚上12点", None),  # likewise: 凌晨12点 would be refused as ambiguous
    ("2026-11-26 半夜12点", None),
    ("2026-11-26 晚上12:00", None),
])
def test_a_written_date_then_the_small_hours_of_its_night_is_said(typed, own):
    """2026-11-26 夜里2点 is the night after the 26th, the 27th's 02:00, as 今晚2点 is: a clerk
    catching up may mean the 26th's 02:00, and it was taken without a word; the note says
    how it was read and how to write the date's own (凌晨2点), which reads so."""
    moment = timeutil.parse_instant(typed, SHANGHAI, MORNING_AFTER)
    note = timeutil.night_of_the_day_note(typed, SHANGHAI, moment)
    if own is None:
        assert note is None, note
        return
    assert moment.date() == date(2026, 11, 27), moment
    meant = timeutil.parse_instant(own, SHANGHAI, MORNING_AFTER)
    assert meant == moment - timedelta(days=1) and f'write "{own}"' in note, note
    assert timeutil.night_of_the_day_note(own, SHANGHAI, meant) is None


def test_the_night_of_a_written_date_is_said_at_the_desk(workspace, cli, clock):
    clock.set("2026-10-12T09:00:00+08:00")
    result = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", "漏水",
                                               "--at", "2026-10-11 夜里2点"))
    assert result.exit_code == 0, result.stderr
    assert ("“2026-10-11 夜里2点”按这一天过后的夜里算，即 2026-10-12 02:00；如果指的是 "
            "2026-10-11 02:00，请写 \"2026-10-11 凌晨2点\"") in result.stderr
    assert "2026-10-12 02:00" in cli("show", result.stdout.split()[0]).stdout


def test_a_night_clerk_backdating_last_nights_1am_records_it_then(workspace, cli, clock):
    """夜里1点 typed at 05:10 is 01:00 of the night just gone: not refused as 13:00 ahead,
    and 昨晚1点 typed the next morning is not recorded silently at yesterday 13:00."""
    clock.set("2026-10-12T05:10:00+08:00")
    for typed in ("夜里1点", "昨晚1点"):
        result = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", typed,
                                                   "--at", typed))
        assert result.exit_code == 0, result.stderr
        shown = cli("show", result.stdout.split()[0])
        assert "2026-10-12 01:00" in shown.stdout, shown.stdout


@pytest.mark.parametrize("typed", ["晚上12点", "半夜12点", "夜里12点"])
def test_midnight_typed_after_it_says_todays_midnight_not_yesterdays(workspace, cli, clock,
                                                                     typed):
    """晚上12点 typed at 00:30 reads as the midnight ahead; the hint is today's 00:00 (the
    midnight just gone), not yesterday's 00:00, a day too early."""
    clock.set("2026-10-12T00:30:00+08:00")
    result = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", "x",
                                               "--at", typed))
    assert result.exit_code == 2 and record_files(workspace.root) == []
    assert result.stderr.strip() == ('2026-10-13 00:00 在将来（现在是 2026-10-12 00:30）：'
                                     '如果是刚过去的午夜，请写 --at "今天 00:00"')
    clock.set("2026-10-12T23:50:00+08:00")
    late = cli("--lang", "zh_CN", *call_flags("张三", "3-2-501", "13812345678", "x",
                                             "--at", typed))
    assert late.exit_code == 2 and "昨天" not in late.stderr and "今天" not in late.stderr


# -- night words: 0点 as 12点, 凌晨12点 refused, 夜 forms, 昨晚1点 just after midnight --------

EVENING = datetime(2026, 11, 30, 21, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("typed,expected", [
    ("晚上0点", at("2026-12-01", "00:00")),  # as 晚上12点: the midnight that ends today
    ("夜里0点", at("2026-12-01", "00:00")),
    ("晚上12点", at("2026-12-01", "00:00")),
    ("今晚0点", at("2026-12-01", "00:00")),
    ("昨夜1点", at("2026-11-30", "01:00")),  # the night of yesterday: this morning
    ("今夜1点", at("2026-12-01", "01:00")),
    ("前晚1点", at("2026-11-29", "01:00")),  # the night of the day before yesterday
    ("前夜11点", at("2026-11-28", "23:00")),
])
def test_night_words_read_alike(typed, expected):
    assert timeutil.parse_instant(typed, SHANGHAI, EVENING) == expected


def test_midnight_called_the_small_hours_12_oclock_is_refused_as_ambiguous():
    with pytest.raises(InputError, match="may be midnight or noon"):
        timeutil.parse_instant("凌晨12点", SHANGHAI, EVENING)


def test_last_nights_1am_typed_half_an_hour_after_midnight_says_how_to_write_it(cli, clock):
    """At 00:30, 昨晚1点 is the 01:00 half an hour ahead: the refusal says 昨天 01:00."""
    clock.set("2026-12-01T00:30:00+08:00")
    said = cli("--lang", "zh_CN", *call_flags(), "--at", "昨晚1点")
    assert said.exit_code == 2
    assert said.stderr.endswith("请写 --at \"昨天 01:00\"\n"), said.stderr


def test_tonights_small_hour_typed_in_the_evening_is_not_told_yesterday(cli, clock):
    """At 22:00, 今夜1点 is three hours ahead: refused as ahead, with no "yesterday" hint (it
    pointed 21 hours back)."""
    clock.set("2026-11-20T22:00:00+08:00")
    said = cli("--lang", "zh_CN", *call_flags(), "--at", "今夜1点")
    assert said.exit_code == 2 and "昨天" not in said.stderr, said.stderr
