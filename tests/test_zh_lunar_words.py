"""The Spring Festival's days as time words: 腊月初一 … 腊月三十, 腊八, 小年, 除夕 (夜), 大年三十,
初一 … 初十 (大年初一, 正月初一), 正月十一 … 正月廿九, 元宵 (节), read wherever a day or a time is (`--时间`, `--日期`, `--从/--到`,
deadlines), each moved from year to year as the Spring Festival moves, never as the same month
and day; and the daily report of a holiday naming it in its header. Every "now" is pinned; the
Chinese calendar is dutyctl's own table (lunardays), the holidays the tests' (holiday_data)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dutyctl import lunardays, sitecalendar, timeutil
from dutyctl.errors import InputError
from tests.helpers_desk import ok_text as ok

TZ = ZoneInfo("Asia/Shanghai")
ZH = ("--lang", "zh_CN")
END = time(17, 30)


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=TZ)


def local(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def test_the_table_gives_each_years_first_day_and_its_eve():
    # a few years checked against the calendar as published (紫金山天文台, 香港天文台)
    assert [lunardays.new_year(year) for year in (1990, 2025, 2026, 2027, 2028, 2100)] == [
        date(1990, 1, 27), date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6),
        date(2028, 1, 26), date(2100, 2, 9)]
    # 2025's 腊月 has 29 days: 大年三十 is still 除夕, the day before 初一
    assert lunardays.day_in(2025, "大年三十") == lunardays.day_in(2025, "除夕") == date(2025, 1, 28)
    assert lunardays.day_in(2027, "元宵节") == lunardays.day_in(2027, "正月十五") == date(2027, 2, 20)
    with pytest.raises(ValueError):
        lunardays.new_year(2101)


def test_the_time_words_pattern_reads_every_word_of_the_table_and_no_other():
    """timeutil spells the words out (lunardays is imported only when one is typed)."""
    import re

    pattern = re.compile(timeutil._LUNAR_WORDS)
    assert all(pattern.fullmatch(word) for word in lunardays.OFFSETS if word != "大年")
    assert all(pattern.fullmatch(word) for word in lunardays.LA_DAYS)
    assert pattern.match("大年夜") and pattern.match("大年夜")[0] == "大年"  # only before 夜
    for word in ("大年初" + ten for ten in "一二三四五六七八九十"):
        assert word in lunardays.OFFSETS
    assert not any(pattern.fullmatch(word) for word in ("正月三十", "初十一", "大年", "正月",
                                                        "二月初二", "腊月", "冬月十五"))


@pytest.mark.parametrize("typed, meant", [
    ("除夕 21点", "2027-02-05 21:00"), ("大年三十晚上8点", "2027-02-05 20:00"),
    ("除夕夜11点", "2027-02-05 23:00"), ("除夕夜1点", "2027-02-06 01:00"),  # as 今夜1点
    ("大年夜11点", "2027-02-05 23:00"), ("大年夜 10点", "2027-02-05 22:00"),  # 除夕's night
    ("初一 上午10点", "2027-02-06 10:00"), ("大年初一10点", "2027-02-06 10:00"),
    ("正月初一 10:00", "2027-02-06 10:00"), ("初八 9点", "2027-02-13 09:00"),
    ("初十一点", "2027-02-15 01:00"), ("正月十五 19:00", "2027-02-20 19:00"),
    ("元宵节晚上7点", "2027-02-20 19:00"), ("2026年除夕 20:00", "2026-02-16 20:00"),
])
def test_a_spring_festival_day_with_a_time(typed, meant):
    """In January 2027, a few weeks before it: this year's Spring Festival."""
    assert local(timeutil.parse_when(typed, TZ, at("2027-01-20T10:00"))) == meant


def test_a_day_of_it_without_a_year_follows_the_rule_of_a_month_and_day():
    """Moved as that year's Spring Festival is, never as the same month and day: in December
    2026 a day looked back on is this year's (2026-02-17), a deadline the coming one (2027's);
    in June 2027 a deadline of 初八 is 2028's 初八 (2028-02-02, not 2028-02-13)."""
    december, june = at("2026-12-20T10:00"), at("2027-06-01T10:00")
    assert timeutil.parse_day("初一", TZ, december) == date(2026, 2, 17)
    assert timeutil.parse_day("除夕", TZ, december, coming=True) == date(2027, 2, 5)
    assert local(timeutil.parse_deadline("初八", TZ, december, END)) == "2027-02-13 17:30"
    assert local(timeutil.parse_deadline("初八", TZ, june, END)) == "2028-02-02 17:30"
    assert local(timeutil.parse_instant("除夕 21点", TZ, december)) == "2026-02-16 21:00"
    # a few days after it, a deadline of 初八 just gone stays past (a slip), as 2-13 would
    assert local(timeutil.parse_deadline("初八", TZ, at("2027-02-20T10:00"), END)) == \
        "2027-02-13 17:30"
    # a run over New Year: --从 12月28日 --到 初一 typed on 2 January is to 2027's 初一
    assert timeutil.parse_span("12月28日", "初一", TZ, at("2027-01-02T10:00")) == (
        date(2026, 12, 28), date(2027, 2, 6))


def test_a_roster_period_of_spring_festival_days_is_the_nearest_one():
    from dutyctl.roster.rosterfile import roster_period

    assert roster_period(None, "除夕", "初七", default="current", tz=TZ,
                         now=at("2026-12-20T10:00")) == (date(2027, 2, 5), date(2027, 2, 12))


@pytest.mark.parametrize("typed, said", [
    ("除夕", "'除夕' is a day without a time of day"),
    ("除夕夜", "'除夕夜' names a part of the day but not the time: write the time too, like "
              "除夕夜11点"),
    ("大年夜", "'大年夜' names a part of the day but not the time: write the time too, like "
              "大年夜11点"),
    ("2200年除夕 10点", "'2200年除夕': the Chinese calendar dutyctl knows runs from 1990 to "
                      "2100, not 2200"),
])
def test_what_cannot_be_a_moment_is_told_in_one_line(typed, said):
    with pytest.raises(InputError) as refused:
        timeutil.parse_instant(typed, TZ, at("2027-01-20T10:00"))
    assert said in str(refused.value)


@pytest.mark.parametrize("typed", ["正月三十", "初十一 9点", "二月初二", "冬月十五", "年初一"])
def test_a_day_of_the_chinese_calendar_not_read_is_told_as_such(typed):
    """Not the generic 'cannot read' (which offers 明天10点 … as if 正月十六 were a slip), nor
    any day: the days read, and to write the date itself."""
    for read in (lambda: timeutil.parse_day(typed, TZ, at("2027-01-20T10:00")),
                 lambda: timeutil.parse_deadline(typed, TZ, at("2027-01-20T10:00"), END)):
        with pytest.raises(InputError) as refused:
            read()
        assert ("dutyctl reads only 腊月's days (腊月初一 … 腊月三十, 腊八, 小年), 除夕, 初一 … "
                "初十, 正月十一 … 正月廿九 and 元宵") in str(refused.value)
    # a name or a note with such a word, or the start of a year, stays as it was
    assert timeutil.lunar_unknown("王初一") is timeutil.lunar_unknown("2027年初") is None


def test_a_day_not_read_is_one_line_in_chinese(cli, clock):
    clock.set("2027-01-20T10:00:00+08:00")
    refused = cli(*ZH, "谁值班", "--时间", "二月初二 10点")
    assert refused.exit_code == 2 and refused.stderr.strip() == (
        "“二月初二 10点”：农历的日子 dutyctl 只认腊月的日子（腊月初一至腊月三十、腊八、小年）、除夕、"
        "初一至初十、正月十一至正月廿九和元宵：请直接写公历日期"), refused.stderr


def test_a_year_beyond_the_table_is_told_not_guessed():
    with pytest.raises(InputError) as refused:
        timeutil.parse_day("初一", TZ, at("2150-06-01T10:00"))
    assert "not 2150" in str(refused.value)


def test_the_days_a_daily_report_names(monkeypatch):
    """The tests' official calendar (holiday_data): 2026's 春节 break, its 调休 rest day named
    by the holiday before it, a 补假 by its holiday; a working day none; a year without notice
    only what the rules list (a local 春节), never the package's guess."""
    calendar = sitecalendar.SiteCalendar()
    assert calendar.day_holiday(date(2026, 2, 16)) == "农历除夕"
    assert calendar.day_holiday(date(2026, 2, 17)) == "春节"
    assert calendar.day_holiday(date(2026, 2, 20)) == "春节"  # 休息日（由 2026-02-14 调休）
    assert calendar.day_holiday(date(2026, 10, 5)) == "国庆节"  # 国庆节（补假）
    assert calendar.day_holiday(date(2026, 10, 4)) == "国庆节"  # the Sunday inside the break
    assert calendar.day_holiday(date(2026, 2, 24)) is None
    assert calendar.day_holiday(date(2026, 2, 14)) is None  # the 调休 working Saturday
    from tests.test_rules_typed_in_chinese import package_guesses

    package_guesses(monkeypatch, {"2027-02-06": "春节", "2027-02-08": "春节"})
    listed = sitecalendar.SiteCalendar(extra_holidays=frozenset({date(2027, 2, 6)}),
                                       named=((date(2027, 2, 6), "春节"),))
    assert listed.day_holiday(date(2027, 2, 6)) == "春节"
    assert listed.day_holiday(date(2027, 2, 8)) is None


def test_the_sunday_before_the_eve_is_not_named_the_eve():
    """2026's break starts on Sunday 02-15 (腊月廿八), the day before 除夕: the report names it
    by the festival (春节), never 农历除夕, the name of 02-16 alone."""
    calendar = sitecalendar.SiteCalendar()
    assert calendar.day_holiday(date(2026, 2, 15)) == "春节"
    assert calendar.day_holiday(date(2026, 2, 16)) == "农历除夕"


def test_a_break_holding_two_holidays_is_named_by_both_as_the_notice_names_it():
    """2025's 国庆节、中秋节 (10-01..10-08, 中秋节 10-06): its rest days of no holiday of their
    own (the weekend, the 调休 days 10-07/08) are the break's, named by both; a holiday day
    keeps its own name; 春节 holding 除夕 is one holiday's break."""
    calendar = sitecalendar.SiteCalendar()
    for day in (4, 5, 7, 8):
        assert calendar.day_holiday(date(2025, 10, day)) == "国庆节、中秋节", day
    assert calendar.day_holiday(date(2025, 10, 1)) == "国庆节"
    assert calendar.day_holiday(date(2025, 10, 6)) == "中秋节"
    assert calendar.day_holiday(date(2026, 10, 4)) == "国庆节"
    assert calendar.day_holiday(date(2026, 2, 20)) == "春节"


def test_the_english_title_names_the_holiday_in_english(cli, clock, workspace):
    """The notice's holidays through gettext (国庆节、中秋节 as both names); a site's own
    holiday (a reason the rules give) as written; the Chinese title as the notice writes it."""
    clock.set("2026-12-21T10:00:00+08:00")
    english = ok(cli("report", "daily", "--date", "2025-10-08")).splitlines()[0]
    assert english.endswith("daily report Wed 2025-10-08 (National Day, Mid-Autumn Festival)")
    chinese = ok(cli(*ZH, "日报", "--日期", "2025-10-08")).splitlines()[0]
    assert chinese.endswith("2025年10月8日 周三 国庆节、中秋节 值班日报"), chinese
    data = json.loads(ok(cli("report", "daily", "--date", "2025-10-08", "--format", "json")))
    assert data["report"]["holiday"] == "国庆节、中秋节"
    assert ok(cli("report", "daily", "--date", "2026-01-01")).splitlines()[0].endswith(
        "(New Year's Day)")
    from tests.helpers_desk import RULES

    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(RULES + "calendar:\n  extra_holidays:\n"
                     '    - {from: "2026-11-18", to: "2026-11-18", reason: 小区业主节}\n',
                     encoding="utf-8")
    own = ok(cli("report", "daily", "--date", "2026-11-18")).splitlines()[0]
    assert own.endswith("(小区业主节)"), own


def test_the_desk_asks_in_its_own_words(cli, clock):
    """`谁值班 --时间 除夕`, `日报 --日期 初一`, a callback promised by 初八: read, each in the
    year the option's rule gives."""
    clock.set("2026-12-20T10:00:00+08:00")
    # who is on duty: the nearest 除夕 (2027's), as 2月5日 would be
    asked = cli(*ZH, "谁值班", "--时间", "除夕 22点")
    assert "2027-02-05 22:00" in asked.stdout + asked.stderr, asked.stdout + asked.stderr
    alone = cli(*ZH, "谁值班", "--时间", "除夕")
    assert alone.exit_code == 2 and "请把钟点也写上" in alone.stderr, alone.stderr
    assert "Traceback" not in alone.stderr and len(alone.stderr.strip().splitlines()) == 1
    small_hours = cli(*ZH, "谁值班", "--时间", "除夕夜1点")  # 初一's 01:00, said without a note
    assert "2027-02-06 01:00" in small_hours.stderr and "按这一天过后" not in small_hours.stderr, \
        small_hours.stderr
    night = cli(*ZH, "谁值班", "--时间", "除夕夜")
    assert night.exit_code == 2 and "除夕夜11点" in night.stderr, night.stderr
    # a callback promised by 初八: the coming one, at the end of business hours
    made = cli(*ZH, "来电", "--姓名", "王五", "--房号", "3-2-501", "--电话", "13800002222",
               "--摘要", "节后维修", "--回电期限", "初八", "--时间", "2026-12-20 09:00")
    assert made.exit_code == 0, made.stderr
    call = made.stdout.split()[0]
    shown = json.loads(ok(cli("show", call, "--format", "json")))
    assert shown["callback_by"].startswith("2027-02-13T17:30"), shown
    # the report of 初一: this year's (looked back on), a 春节 day named in its header
    clock.set("2026-12-21T10:00:00+08:00")
    report = ok(cli(*ZH, "日报", "--日期", "初一"))
    assert report.splitlines()[0].endswith("2026年2月17日 周二 春节 值班日报"), report[:200]
    data = json.loads(ok(cli("report", "daily", "--date", "初一", "--format", "json")))
    assert data["report"]["holiday"] == "春节"
    english = ok(cli("report", "daily", "--date", "2026-02-17"))
    assert english.splitlines()[0].endswith("daily report Tue 2026-02-17 (Spring Festival)"), \
        english[:200]
    working = ok(cli(*ZH, "日报", "--日期", "2026-02-24"))
    assert working.splitlines()[0].endswith("2026年2月24日 周二 值班日报")


def test_the_la_month_table_agrees_with_the_new_years():
    """Each 正月初一 less its 腊月's days (29 or 30) lands on a 腊月初一 that is the day after the
    11th month's end: consecutive 正月初一 are 353 to 385 days apart (12 or 13 months of 29 or
    30 days), and so are consecutive 腊月初一; no two 腊月 in a row both start a month of
    fewer than 29 days' distance from the one before."""
    years = range(lunardays.FIRST_YEAR, lunardays.LAST_YEAR + 1)
    assert {lunardays.la_month_days(year) for year in years} == {29, 30}
    firsts = [lunardays.new_year(year) - timedelta(days=lunardays.la_month_days(year))
              for year in years]
    for year, first in zip(years, firsts, strict=True):
        assert lunardays.day_in(year, "腊月初一") == first
        assert lunardays.day_in(year, "除夕") == first + timedelta(
            days=lunardays.la_month_days(year) - 1)
    for before, after in zip(firsts, firsts[1:]):
        assert 353 <= (after - before).days <= 385, (before, after)
    for year in years[1:]:
        apart = (lunardays.new_year(year) - lunardays.new_year(year - 1)).days
        assert 353 <= apart <= 385, year
    # a few checked against the calendar as published: 腊八 2027 is 2027-01-15, 2023's 腊月初一
    # 2022-12-23 (in December), 2025's 腊月 29 days, 2024's 30
    assert lunardays.day_in(2027, "腊八") == date(2027, 1, 15)
    assert lunardays.day_in(2023, "腊月初一") == date(2022, 12, 23)
    assert (lunardays.la_month_days(2025), lunardays.la_month_days(2024)) == (29, 30)
    with pytest.raises(ValueError):
        lunardays.la_month_days(2101)


@pytest.mark.parametrize("typed, meant", [
    ("腊八 9点", "2027-01-15 09:00"), ("腊八节上午9点", "2027-01-15 09:00"),
    ("腊月初八 9点", "2027-01-15 09:00"), ("小年 20:00", "2027-01-30 20:00"),
    ("腊月廿三 20:00", "2027-01-30 20:00"), ("腊月二十三 20:00", "2027-01-30 20:00"),
    ("腊月廿九 10点", "2027-02-05 10:00"), ("正月十六 10点", "2027-02-21 10:00"),
    ("正月二十 10点", "2027-02-25 10:00"), ("正月廿九 10点", "2027-03-06 10:00"),
    ("2024年腊月三十 10点", "2024-02-09 10:00"), ("2023年腊月初一 10点", "2022-12-23 10:00"),
])
def test_la_month_s_days_and_the_rest_of_zheng_month_are_read(typed, meant):
    """Refused as unread calendar days before: 腊月's (腊八, 小年 the northern 廿三) and 正月十六
    to 廿九. On 2027-02-20, in its Spring Festival: that one's days."""
    assert local(timeutil.parse_when(typed, TZ, at("2027-02-20T10:00"))) == meant


def test_la_month_s_thirtieth_is_refused_in_a_year_it_has_29_days():
    with pytest.raises(InputError) as refused:
        timeutil.parse_instant("腊月三十 10点", TZ, at("2027-01-10T10:00"))
    assert str(refused.value) == ("'腊月三十': the 腊月 before 2027's Spring Festival has 29 days, "
                                  "no 腊月三十: its last day, 除夕, is 腊月廿九 (2027-02-05)")


def test_a_la_month_day_without_a_year_moves_as_that_month_does():
    """腊月廿八 is 腊月廿八 in every year, whether its 腊月 has 29 days or 30 (not the same
    distance from 初一); a 腊月 day in December (2028's 腊月初一 is 2027-12-28) is the next
    Spring Festival's."""
    assert (lunardays.la_month_days(2029), lunardays.la_month_days(2030)) == (29, 30)
    assert timeutil.parse_day("腊月廿八", TZ, at("2029-03-01T10:00")) == date(2029, 2, 11)
    assert timeutil.parse_day("腊月廿八", TZ, at("2029-12-01T10:00"), coming=True) == date(
        2030, 1, 31)
    assert timeutil.parse_day("腊月初一", TZ, at("2027-12-20T10:00"), coming=True) == date(
        2027, 12, 28)


@pytest.mark.parametrize("typed, said", [
    ("腊月二十三点", "'腊月二十三点' may be 腊月二十 at 三点 or 腊月二十三 with its hour left out"),
    ("正月二十九点", "'正月二十九点' may be 正月二十 at 九点 or 正月二十九 with its hour left out"),
    ("2027年腊月二十三点半", "may be 2027年腊月二十 at 三点 or 2027年腊月二十三"),
    ("初十点", "'初十点': no hour is written between 初十 and the 点 after it"),
    ("正月十五点", "'正月十五点': no hour is written between 正月十五 and the 点 after it"),
    ("腊月廿三点", "'腊月廿三点': no hour is written between 腊月廿三 and the 点 after it"),
    ("大年三十点", "no hour is written between 大年三十 and the 点"),
])
def test_a_day_run_into_its_hour_two_ways_is_refused_not_read_as_another_day(typed, said):
    """腊月二十三点 was read as 腊月二十 at 03:00 (a week early); the numerals that split two
    ways, or leave no hour, are refused naming both readings, in every reading of a time."""
    for read in (lambda: timeutil.parse_when(typed, TZ, at("2027-01-10T10:00")),
                 lambda: timeutil.parse_deadline(typed + "前", TZ, at("2027-01-10T10:00"), END)):
        with pytest.raises(InputError) as refused:
            read()
        assert said in str(refused.value)


def test_a_day_run_into_its_hour_two_ways_is_one_line_in_chinese(cli, clock):
    """Refused on the screen in one line; numerals that split one way only are still read as
    a Chinese reader reads them (初十一点: 初十 at 1点, 初十一 being no day)."""
    for typed, meant in [("初一十点", "2027-02-06 10:00"), ("腊八十点", "2027-01-15 10:00"),
                         ("小年十点", "2027-01-30 10:00"), ("初十一点", "2027-02-15 01:00"),
                         ("腊月二十 三点", "2027-01-27 03:00"),
                         ("腊月二十三 3点", "2027-01-30 03:00"), ("除夕十点", "2027-02-05 10:00")]:
        assert local(timeutil.parse_when(typed, TZ, at("2027-02-01T10:00"))) == meant, typed
    clock.set("2027-01-10T10:00:00+08:00")
    refused = cli(*ZH, "谁值班", "--时间", "腊月二十三点")
    assert refused.exit_code == 2 and refused.stderr.strip() == (
        "“腊月二十三点”既可读作腊月二十的三点，也可读作腊月二十三而漏写了钟点：请在日子和时间之间"
        "空一格，如“腊月二十 三点”或“腊月二十三 9点”"), refused.stderr


def test_la_month_s_thirtieth_without_a_year_is_never_another_year_s_eve():
    """腊月三十 typed without its year was moved to other years as 除夕 is: on 2024-12-20 a
    deadline 腊月三十 was 2025-01-28, 腊月廿九 (2025's 腊月 has 29 days), read silently as
    another day; and on 2029-12-20 it was refused naming 2029's 腊月 though 2030's, ahead, has
    a 三十. It is 腊月三十 wherever it is, or none."""
    assert (lunardays.la_month_days(2024), lunardays.la_month_days(2025)) == (30, 29)
    assert (lunardays.la_month_days(2029), lunardays.la_month_days(2030)) == (29, 30)
    before = at("2024-12-20T10:00")
    assert timeutil.parse_deadline("除夕", TZ, before, END).date() == date(2025, 1, 28)
    # no 腊月三十 ahead: refused naming the coming 29-day 腊月, never 2025's 廿九 nor the
    # last 腊月三十, a deadline long gone
    with pytest.raises(InputError, match="2025's Spring Festival has 29 days.*2025-01-28"):
        timeutil.parse_deadline("腊月三十", TZ, before, END)
    with pytest.raises(InputError, match="29 days"):
        timeutil.parse_day("腊月三十", TZ, before, coming=True)
    assert timeutil.parse_day("腊月三十", TZ, at("2025-06-01T10:00")) == date(2024, 2, 9)
    assert local(timeutil.parse_deadline("腊月三十 10点", TZ, at("2029-12-20T10:00"), END)) == \
        "2030-02-02 10:00"
    assert timeutil.parse_day("腊月三十", TZ, at("2029-12-20T10:00"), coming=True) == date(
        2030, 2, 2)
    assert local(timeutil.parse_when("腊月三十 10点", TZ, at("2030-12-25T10:00"))) == \
        "2030-02-02 10:00"
    # a roster's day, the nearest one: 2024's 腊月三十 (2025's 腊月 has none), not 2025's 除夕
    from dutyctl.roster.rosterfile import nearest_year

    read = timeutil.parse_day("腊月三十", TZ, before)
    assert nearest_year("腊月三十", read, before.date()) == date(2024, 2, 9)
    assert timeutil.lunar_said("腊月三十") == "腊月三十" and not timeutil.lunar_said("12月5日")
