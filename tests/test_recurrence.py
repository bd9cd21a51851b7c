"""A recurring job's rule written in Chinese (每周一, 每月15日, 每季度15日): the RRULE it means,
the days it falls on, and the site file and `repair schedule` taking it."""

from __future__ import annotations

import calendar
from datetime import date, time

import pytest

from dutyctl.config import RecurringJob
from dutyctl.recurrence import ambiguous_month, rrule_of
from dutyctl.timeutil import zone
from tests.helpers_desk import ok_text as ok
from tests.test_tickets_recurring import line_of, with_recurring


@pytest.mark.parametrize("typed, rrule", [
    ("每天", "FREQ=DAILY"), ("每日", "FREQ=DAILY"), ("每3天", "FREQ=DAILY;INTERVAL=3"),
    ("每两天", "FREQ=DAILY;INTERVAL=2"), ("每周", "FREQ=WEEKLY"),
    ("每周一", "FREQ=WEEKLY;BYDAY=MO"), ("每星期三", "FREQ=WEEKLY;BYDAY=WE"),
    ("每周一、三、五", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    ("每周一至周五", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("每周一到五", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("每两周周三", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
    ("每 2 周 周一、周四", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"),
    ("每月", "FREQ=MONTHLY"), ("每月15日", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("每月１号", "FREQ=MONTHLY;BYMONTHDAY=1"), ("每月1日、15日", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
    ("每月最后一天", "FREQ=MONTHLY;BYMONTHDAY=-1"), ("每月第一个周一", "FREQ=MONTHLY;BYDAY=1MO"),
    ("每月最后一个周五", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("每两个月10日", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10"),
    ("每季度15日", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
    ("每半年1日", "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1"), ("每年", "FREQ=YEARLY"),
    ("每年3月1日", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
    ("每年2月29日", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29,-1;BYSETPOS=1"),
    ("每年11月最后一天", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=-1"),
    ("每年3月第一个周一", "FREQ=YEARLY;BYMONTH=3;BYDAY=1MO"),
    ("每年6月1日、15日", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1,15"),
    ("每年十二月三十一日", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
    # as it is said, with 个 and 的
    ("每个月15号", "FREQ=MONTHLY;BYMONTHDAY=15"), ("每个星期一", "FREQ=WEEKLY;BYDAY=MO"),
    ("每个季度15日", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
    ("每季15日", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
    ("每年的3月1日", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
    # a day some months lack: that day, or the month's last day
    ("每月31日", "FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1"),
    ("每月30号", "FREQ=MONTHLY;BYMONTHDAY=30,-1;BYSETPOS=1"),
    ("每月二十九日", "FREQ=MONTHLY;BYMONTHDAY=29,-1;BYSETPOS=1"),
    ("每月1日、31日", "FREQ=MONTHLY;BYMONTHDAY=1,31,-1;BYSETPOS=1,2"),
    ("每月28日", "FREQ=MONTHLY;BYMONTHDAY=28"),
    ("每月月底", "FREQ=MONTHLY;BYMONTHDAY=-1"), ("每月底", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("每月月末", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("每季度最后一天", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"),
    # Chinese numerals wherever a number goes
    ("每两周", "FREQ=WEEKLY;INTERVAL=2"), ("每三个月", "FREQ=MONTHLY;INTERVAL=3"),
    ("每两月", "FREQ=MONTHLY;INTERVAL=2"), ("每十一个月1日", "FREQ=MONTHLY;INTERVAL=11;BYMONTHDAY=1"),
    ("每月十五日", "FREQ=MONTHLY;BYMONTHDAY=15"), ("每月一日、十五日", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
    ("每月第二个周三", "FREQ=MONTHLY;BYDAY=2WE"),
    ("每三个月十五号", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
    ("每年十一月十一日", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=11")])
def test_a_chinese_rule_means_its_rrule(typed, rrule):
    assert rrule_of(typed) == rrule


@pytest.mark.parametrize("typed", ["每月32日", "每周八", "每周五至一", "每两年", "每隔一天",
                                   "每月第一个工作日", "每月第六个周五", "每年13月1日",
                                   "FREQ=DAILY", "月初", "每0天", "每0周一", "每00月",
                                   "每年2月30日", "每年4月31日",
                                   # every November, or every 11 months? (see below)
                                   "每十一月", "每11月", "每3月15日", "每十二月1日", "每一月"])
def test_what_is_not_a_rule_is_none(typed):
    assert rrule_of(typed) is None


@pytest.mark.parametrize("typed, month, rest", [
    ("每十一月", 11, ""), ("每11月", 11, ""), ("每3月15日", 3, "15日"), ("每 十二 月1日", 12, "1日")])
def test_a_month_named_without_its_year_reads_two_ways(typed, month, rest):
    assert ambiguous_month(typed) == (month, rest)


@pytest.mark.parametrize("typed", ["每两月", "每三个月", "每13月", "每年11月1日", "每月15日",
                                   "每十一个月"])
def test_months_apart_or_a_month_of_the_year_are_no_puzzle(typed):
    assert ambiguous_month(typed) is None


def first_days(rule: str, start: date, count: int) -> list[date]:
    """The first `count` days a maintenance job on `rule` from `start` falls on."""
    job = RecurringJob("job", "抄表", "地下泵房", "facilities", "general", rule, start,
                       time(9, 0))
    found = job.occurrences(zone("Asia/Shanghai"))
    return [next(found).date() for _ in range(count)]


@pytest.mark.parametrize("day", [29, 30, 31])
def test_a_day_a_month_lacks_falls_on_its_last_day_all_year(day):
    """Over a leap year (2028): the day where the month has it, else the month's last day."""
    days = first_days(rrule_of(f"每月{day}日"), date(2028, 1, 1), 14)
    expected = [date(2028 + (month - 1) // 12, (month - 1) % 12 + 1,
                     min(day, calendar.monthrange(2028 + (month - 1) // 12,
                                                  (month - 1) % 12 + 1)[1]))
                for month in range(1, 15)]
    assert days == expected
    assert date(2028, 2, 29) in days and date(2029, 2, 28) in days
    assert (date(2028, 4, 30) in days) == (day >= 30)


@pytest.mark.parametrize("typed, start, days", [
    # 每月 from the 31st: the 31st, or the month's last day (not February skipped)
    ("每月", date(2027, 1, 31), ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]),
    ("每月", date(2027, 1, 29), ["2027-01-29", "2027-02-28", "2027-03-29", "2027-04-29"]),
    ("每季度", date(2026, 11, 30), ["2026-11-30", "2027-02-28", "2027-05-30"]),
    ("每月", date(2027, 1, 15), ["2027-01-15", "2027-02-15", "2027-03-15"]),
    # 29 February: 28 February in the years without it
    ("每年2月29日", date(2027, 1, 1), ["2027-02-28", "2028-02-29", "2029-02-28"]),
    ("每年", date(2028, 2, 29), ["2028-02-29", "2029-02-28", "2030-02-28"]),
    ("每年11月最后一天", date(2026, 1, 1), ["2026-11-30", "2027-11-30"]),
    ("每年3月第一个周一", date(2026, 1, 1), ["2026-03-02", "2027-03-01"])])
def test_a_rule_never_skips_a_month_or_year_lacking_its_day(typed, start, days):
    from dutyctl.recurrence import from_start

    assert [day.isoformat() for day in first_days(from_start(rrule_of(typed), start), start,
                                                  len(days))] == days


def test_the_site_file_keeps_a_start_on_the_31st_every_month(workspace, cli):
    with_recurring(workspace.root, """\
recurring:
  meters:
    name: 水表抄表
    where: 地下泵房
    category: water-electric
    rule: 每月
    start: "2027-01-31"
    at: "10:00"
""")
    plan = ok(cli("repair", "schedule", "--until", "2027-03-31", "--dry-run", "-f", "csv",
                  "--at", "2027-03-31 12:00"))
    assert [row.split(",")[0][:10] for row in plan.lstrip("\ufeff").splitlines()[1:]] == [
        "2027-01-31", "2027-02-28", "2027-03-31"]


def test_two_days_of_the_month_stay_two_when_one_is_missing():
    assert [day.isoformat() for day in first_days(rrule_of("每月1日、31日"), date(2027, 2, 1),
                                                  6)] == [
        "2027-02-01", "2027-02-28", "2027-03-01", "2027-03-31", "2027-04-01", "2027-04-30"]


@pytest.mark.parametrize("typed, days", [
    ("每月最后一个周五", ["2026-11-27", "2026-12-25", "2027-01-29"]),
    ("每季度15日", ["2026-11-15", "2027-02-15", "2027-05-15"]),
    ("每周一、三、五", ["2026-11-02", "2026-11-04", "2026-11-06"]),
    ("每月最后一天", ["2026-11-30", "2026-12-31", "2027-01-31"])])
def test_a_chinese_rule_falls_on_the_days_it_says(typed, days):
    assert [day.isoformat() for day in first_days(rrule_of(typed), date(2026, 11, 1),
                                                  len(days))] == days


def test_the_site_file_takes_a_chinese_rule_and_schedule_files_by_it(workspace, cli):
    with_recurring(workspace.root, """\
recurring:
  pumps:
    name: 二次供水水泵周检
    where: 地下泵房
    category: 水电
    rule: 每周一、四
    start: "2026-11-01"
    at: "10:00"
""")
    assert cli("check").exit_code == 0
    plan = ok(cli("repair", "schedule", "--until", "2026-11-12", "--dry-run", "-f", "csv",
                  "--at", "2026-11-12 12:00"))
    rows = plan.lstrip("\ufeff").splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == [
        f"2026-11-{day:02d}T10:00:00+08:00" for day in (2, 5, 9, 12)]


def pumps(rule: str) -> str:
    """A `recurring:` section of one job, the pumps' weekly check, by `rule` (as written)."""
    return f"""\
recurring:
  pumps:
    name: 二次供水水泵周检
    where: 地下泵房
    category: water-electric
    rule: {rule}
    start: "2026-11-01"
    at: "10:00"
"""


def test_a_rule_neither_chinese_nor_an_rrule_is_refused_with_examples(workspace, cli):
    text = with_recurring(workspace.root, pumps("每周一至周八"))
    checked = cli("--lang", "zh_CN", "check")
    assert checked.exit_code == 1
    assert (f"dutyctl.yaml:{line_of(text, 'rule: 每周一至周八')}: recurring.pumps.rule: 应写成"
            "“每天”“每周一”“每周一至周五”“每月15日”“每月最后一个周五”“每季度15日”或“每年3月1日”"
            "这样的规则") in checked.stdout


def test_a_rule_dateutil_cannot_list_is_a_problem_not_a_crash(workspace, cli):
    """A job's RRULE asking for a ninth Monday of the month: dateutil parses it, then its
    search fails (IndexError); `check` and `repair schedule` ended with the unexpected error
    (exit 3). Now the rule's line says why, as for a shift's days."""
    text = with_recurring(workspace.root, pumps('"FREQ=MONTHLY;BYDAY=+9MO"'))
    line = line_of(text, 'rule: "FREQ=MONTHLY')
    said = (f"dutyctl.yaml:{line}: recurring.pumps.rule: a day the rule "
            "asks for falls outside its month or year (a BYDAY such as +9MO, a BYEASTER outside "
            "-80..250 days): its days cannot be listed")
    checked = cli("check")
    assert checked.exit_code == 1 and said in checked.stdout.splitlines(), checked.output
    scheduled = cli("repair", "schedule", "--staff", "zhangwei")
    assert scheduled.exit_code == 2 and scheduled.stderr.splitlines() == [said], \
        scheduled.output


def test_an_rrule_that_would_never_move_on_is_refused():
    from dutyctl.config import rrule_shape_problem

    assert rrule_shape_problem("FREQ=WEEKLY;INTERVAL=0") == \
        "INTERVAL must be a whole number of 1 or more"
    assert rrule_shape_problem("FREQ=WEEKLY;INTERVAL=2") is None


def test_a_month_named_without_its_year_is_refused_with_both_readings(workspace, cli):
    text = with_recurring(workspace.root, """\
recurring:
  meters:
    name: 水表抄表
    where: 地下泵房
    category: water-electric
    rule: 每十一月
    start: "2026-11-01"
    at: "10:00"
""")
    checked = cli("--lang", "zh_CN", "check")
    assert checked.exit_code == 1
    assert (f"dutyctl.yaml:{line_of(text, 'rule: 每十一月')}: recurring.meters.rule: "
            "“每十一月”有两种理解：每年11月一次请写“每年11月1日”，每隔11个月一次请写“每11个月”"
            ) in checked.stdout


@pytest.mark.parametrize("typed, said", [
    # both forms suggested are taken
    ("每十一月最后一天", "write 每年11月最后一天 for once a year in that month, or "
                         "每11个月最后一天 for every 11 months"),
    ("每3月第一个周一", "write 每年3月第一个周一 for once a year in that month, or "
                       "每3个月第一个周一 for every 3 months"),
    # a rest no form takes: the examples, never a suggestion that would be refused in turn
    ("每3月上旬", "expected a rule such as 每天")])
def test_a_month_named_without_its_year_is_only_answered_with_forms_that_are_taken(
        workspace, cli, typed, said):
    from dutyctl.recurrence import ambiguous_month

    with_recurring(workspace.root, f"""\
recurring:
  meters:
    name: 水表抄表
    where: 地下泵房
    category: water-electric
    rule: {typed}
    start: "2026-11-01"
    at: "10:00"
""")
    checked = cli("check")
    assert checked.exit_code == 1 and said in checked.stdout, checked.stdout
    month, rest = ambiguous_month(typed)
    if "write" in said:
        assert rrule_of(f"每年{month}月{rest}") and rrule_of(f"每{month}个月{rest}")


@pytest.mark.parametrize("typed, rrule, days", [
    ("每月第一个周一至周五", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
     ["2026-11-02", "2026-12-01", "2027-01-01", "2027-02-01", "2027-03-01"]),
    ("每月最后一个周一到周五", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
     ["2026-11-30", "2026-12-31", "2027-01-29", "2027-02-26", "2027-03-31"]),
    ("每月第一个周六、日", "FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1",
     ["2026-11-01", "2026-12-05", "2027-01-02", "2027-02-06", "2027-03-06"]),
])
def test_the_first_or_last_of_several_weekdays_in_a_month(typed, rrule, days):
    """The English template's "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1" (the month's first
    day that is a Monday to Friday) said in Chinese, as the Chinese template says it."""
    assert rrule_of(typed) == rrule
    job = RecurringJob("j", "巡检", "泵房", "水电", "一般", rrule, date(2026, 11, 1), time(9, 0))
    occurrences = job.occurrences(zone("Asia/Shanghai"))
    assert [next(occurrences).date().isoformat() for _ in days] == days
    assert rrule_of("每月第一个周五至周一") is None  # a range that runs backwards


def test_a_working_day_is_refused_with_monday_to_friday(workspace, cli):
    """Working days move with the holidays and make-up days (调休), which a rule cannot know:
    `每月第一个工作日` is answered with the form that says what it can, 每月第一个周一至周五."""
    text = with_recurring(workspace.root, """\
recurring:
  fire:
    name: 消防设施月检
    where: 地下泵房
    category: water-electric
    rule: 每月第一个工作日
    start: "2026-11-01"
    at: "10:00"
""")
    checked = cli("--lang", "zh_CN", "check")
    assert checked.exit_code == 1
    assert (f"dutyctl.yaml:{line_of(text, 'rule: 每月第一个工作日')}: recurring.fire.rule: "
            "“每月第一个工作日”：工作日随节假日和调休变动，规则无从知道；请写成 每月第一个周一至周五"
            ) in checked.stdout, checked.stdout


@pytest.mark.parametrize("days, most", [("周一至周五", 23), ("周六、日", 10), ("周一、三", 10),
                                        ("周一", 5)])
def test_the_nth_of_several_weekdays_goes_as_far_as_a_month_has_them(days, most):
    """A month has each weekday four times and those of its last three days once more (周一至
    周五: 23, as in March 2027), so 每月第十个周一至周五 is a rule; one past that is not."""
    assert rrule_of(f"每月第{most}个{days}") is not None
    assert rrule_of(f"每月第{most + 1}个{days}") is None


def test_the_tenth_weekday_of_the_month_is_a_rule():
    assert rrule_of("每月第十个周一至周五") == "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=10"
