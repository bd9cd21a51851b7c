"""How late a deadline is, counted as its limit is defined: a limit in working days on the
business-hours clock is late by business hours of working days (told in working days), not by
calendar hours; a limit round the clock by every moment."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from dutyctl.tickets.clock import counted_between
from dutyctl.tickets.deadlines import span, ticket_deadlines
from dutyctl.tickets.deadlines import Deadline
from tests.test_tickets_deadlines import GENERAL, ROUND_THE_CLOCK, _repair, at, business

ROOM = ["--name", "张三", "--room", "3-2-501", "--phone", "13812345678"]
H = timedelta(hours=1)


def test_business_lateness_counts_only_business_hours_of_working_days():
    # Wednesday 11-11 09:00 to Monday 11-16 09:00: 8.5 + 9 + 9 + 0.5 business hours
    assert counted_between(at("2026-11-11 09:00"), at("2026-11-16 09:00"), True,
                           business()) == 27 * H
    assert counted_between(at("2026-11-11 09:00"), at("2026-11-16 09:00"), False,
                           ROUND_THE_CLOCK) == 5 * 24 * H
    # whole working days round the clock: the weekend does not count
    assert counted_between(at("2026-11-13 09:00"), at("2026-11-16 09:00"), True,
                           ROUND_THE_CLOCK) == 24 * H
    assert counted_between(at("2026-11-16 09:00"), at("2026-11-13 09:00"), True,
                           business()) == timedelta(0)


def test_a_hold_after_the_due_time_is_not_counted_late():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 09:10", "dispatch"),
                     ("2026-11-05 10:00", "hold"), ("2026-11-05 12:00", "resume"))
    judged = at("2026-11-05 15:00")
    complete = ticket_deadlines(repair, GENERAL, business(), judged)[2]
    assert complete.due == at("2026-11-05 09:00")
    assert complete.late_by(judged) == 4 * H  # 09:00-15:00 less the two hours on hold
    assert complete.late_text(judged) == "4h"


def test_business_hours_lateness_of_an_hours_limit_is_told_in_working_days():
    """A 2 h respond limit on the business-hours clock, overdue for a week: its lateness is
    business hours (46 of them), told in working days, never as 24-hour days (1d22h)."""
    repair = _repair("2026-11-02 09:00")
    judged = at("2026-11-09 12:00")  # 11-02 11:00-17:30, four whole days, 08:30-12:00
    respond = ticket_deadlines(repair, GENERAL, business(), judged)[0]
    assert respond.due == at("2026-11-02 11:00") and respond.late_by(judged) == 46 * H
    assert respond.late_text(judged) == "5wd1h"
    assert respond.late_text(at("2026-11-02 15:00")) == "4h"  # under a day: hours
    # round the clock, an hours limit is late by calendar time, in 24-hour days
    round_the_clock = ticket_deadlines(repair, GENERAL, ROUND_THE_CLOCK, judged)[0]
    assert round_the_clock.late_text(judged) == "7d1h"


def test_lateness_past_the_calendar_is_calendar_time_told_in_24_hour_days():
    """A calendar pinned to 2025-2026: lateness reaching 2027 cannot be counted in business
    hours, so it is calendar time, told in 24-hour days, not 9-hour working days (29wd3h)."""
    from datetime import time

    from dutyctl.tickets.clock import BUSINESS, Clock
    from tests.test_tickets_deadlines import TZ

    pinned = Clock(BUSINESS, TZ, lambda day: day.weekday() < 5, lambda year: year <= 2026,
                   time(8, 30), time(17, 30))
    repair = _repair("2026-12-21 09:00")
    judged = at("2027-01-08 09:00")
    complete = ticket_deadlines(repair, GENERAL, pinned, judged)[2]
    assert complete.due == at("2026-12-24 09:00") and complete.working_day() == 9 * H
    assert complete.late_by(judged) == 15 * 24 * H
    assert complete.late_text(judged) == "15d"
    assert complete.late_text(at("2026-12-28 09:00")) == "2wd"  # within the calendar


def test_span_in_working_days():
    assert span(27 * H, 9 * H) == "3wd"
    assert span(29 * H, 9 * H) == "3wd2h"
    assert span(5 * H, 9 * H) == "5h"


def test_reports_and_show_count_a_working_day_limit_in_working_days(cli, clock):
    clock.set("2026-11-16T09:00:00+08:00")
    filed = cli("complaint", "file", *ROOM, "--category", "noise", "--urgency", "general",
                "--content", "楼上装修噪音扰民", "--at", "2026-11-02 09:00")
    assert filed.exit_code == 0, filed.output
    ticket = filed.stdout.strip().splitlines()[-1]
    handled = cli("complaint", "handle", ticket, "--action", "上门劝说", "--at",
                  "2026-11-02 09:30", "--staff", "zhangwei")
    assert handled.exit_code == 0, handled.output
    # 7 working days of business hours: due Wednesday 11-11 09:00; five calendar days late
    # on Monday 11-16 09:00, but three working days (27 business hours)
    report = json.loads(cli("report", "daily", "--date", "2026-11-16", "--format", "json").stdout)
    (item,) = report["complaints"]["overdue_items"]
    assert (item["overdue_minutes"], item["working_day_minutes"]) == (27 * 60, 9 * 60), item
    text = cli("report", "daily", "--date", "2026-11-16").stdout
    assert "3wd" in text and "5d" not in text, text
    assert "3个工作日" in cli("--lang", "zh_CN", "report", "daily", "--date", "2026-11-16").stdout
    shown = cli("show", ticket).stdout
    assert "overdue by 3wd" in shown, shown


def test_an_overdue_notification_says_the_lateness_as_the_limit_counts_it(cli, clock,
                                                                          workspace):
    from datetime import datetime

    from dutyctl.notify.texts import Texts
    from dutyctl.tickets.deadlines import load_book
    from dutyctl.timeutil import zone

    clock.set("2026-11-16T09:00:00+08:00")
    filed = cli("complaint", "file", *ROOM, "--category", "noise", "--urgency", "general",
                "--content", "楼上装修噪音扰民", "--at", "2026-11-02 09:00")
    assert filed.exit_code == 0, filed.output
    record = workspace.store.get(filed.stdout.strip().splitlines()[-1])
    late = datetime(2026, 11, 16, 9, tzinfo=zone("Asia/Shanghai"))
    deadline = load_book(workspace).next_due(record, late)
    text = Texts(workspace).deadline(record, deadline, True, late).text
    # not handled: respond (2 working days) was due Wednesday 11-04 09:00; eight working days
    # of business hours late on Monday 11-16 09:00 (twelve calendar days), in the site's words
    assert "（超时 8个工作日）" in text, text


def _walked(start, end, working_days, clock, pauses=()):
    """The counted time walked day by day (what counted_between computes in a few steps)."""
    from dutyctl.tickets.clock import without_pauses

    total = timedelta(0)
    for window in clock.windows(start, working_days):
        if window[0] >= end:
            break
        for part_start, part_end in without_pauses(window, sorted(pauses)):
            total += max(timedelta(0), min(part_end, end) - part_start)
    return total


def test_lateness_over_months_and_years_is_the_day_by_day_count():
    import random

    clocks = [(business(), True), (business(), False), (ROUND_THE_CLOCK, True),
              (ROUND_THE_CLOCK, False)]
    picked = random.Random(7)
    first = at("2025-01-01 00:00")
    for _ in range(400):
        start = first + timedelta(minutes=picked.randrange(0, 60 * 24 * 480))  # 2025-2026
        end = start + timedelta(minutes=picked.randrange(-60, 60 * 24 * picked.choice(
            (1, 5, 60, 200))))
        clock, working_days = picked.choice(clocks)
        pauses = []
        if picked.random() < 0.3:
            held = start + timedelta(minutes=picked.randrange(-600, 4000))
            pauses = [(held, held + timedelta(minutes=picked.randrange(1, 6000)))]
        assert counted_between(start, end, working_days, clock, pauses) == _walked(
            start, end, working_days, clock, pauses), (start, end, working_days, pauses)


# -- what is left and what was to spare, counted as the limit is ------------------------------

def test_time_left_and_to_spare_count_business_hours_of_working_days():
    from dutyctl.tickets.deadlines import describe

    # filed Friday 11-13 16:30: respond (2 business hours) due Monday 09:30, arrive (1wd)
    # Monday 16:30, complete (3wd = 27 business hours) Wednesday 11-18 16:30
    friday = at("2026-11-13 17:00")
    respond, arrive, complete = ticket_deadlines(_repair("2026-11-13 16:30"), GENERAL,
                                                 business(), friday)
    assert (respond.due, complete.due) == (at("2026-11-16 09:30"), at("2026-11-18 16:30"))
    # Friday 17:00-17:30 and Monday 08:30-09:30, not the two days and a half of the calendar
    assert respond.left_at(friday) == 90 * timedelta(minutes=1)
    assert describe(respond, friday) == "due in 1h30m"
    # 26.5 business hours: two working days of nine hours and eight hours
    assert describe(complete, friday) == "due in 2wd8h"
    handled = _repair("2026-11-13 16:30", ("2026-11-16 08:45", "dispatch"),
                      ("2026-11-16 09:00", "arrive"), ("2026-11-16 12:00", "done"))
    respond, arrive, complete = ticket_deadlines(handled, GENERAL, business(),
                                                 at("2026-11-20 09:00"))
    assert describe(respond, friday) == "met (45m to spare)"
    assert describe(arrive, friday) == "met (7h30m to spare)"
    # Monday 12:00-17:30, Tuesday, Wednesday 08:30-16:30: 22.5 business hours
    assert describe(complete, friday) == "met (2wd4h to spare)"
    # a hold between the step and the due time does not count as time to spare
    held = _repair("2026-11-13 16:30", ("2026-11-16 08:45", "dispatch"),
                   ("2026-11-16 09:00", "hold"), ("2026-11-16 14:00", "resume"),
                   ("2026-11-16 15:00", "arrive"))
    arrive = ticket_deadlines(held, GENERAL, business(), at("2026-11-20 09:00"))[1]
    assert arrive.due == at("2026-11-17 12:30") and describe(arrive, friday) == (
        "met (6h30m to spare)")


def test_a_round_the_clock_limit_left_counts_every_moment_and_a_callback_the_calendar():
    urgent = {"respond": (30 * timedelta(minutes=1), False), "complete": (timedelta(days=1), True)}
    repair = _repair("2026-11-13 16:30")
    friday = at("2026-11-13 16:40")
    respond, complete = ticket_deadlines(repair, urgent, ROUND_THE_CLOCK, friday)
    assert respond.left_text(friday) == "20m"
    # one working day round the clock: Friday 16:30 to Monday 16:30, the weekend not counted
    assert complete.due == at("2026-11-16 16:30") and complete.left_text(friday) == "23h50m"
    callback = Deadline("callback", at("2026-11-16 16:30"), None)
    assert callback.left_text(friday) == "2d23h"


def _file_friday_complaint(cli, clock) -> str:
    clock.set("2026-11-13T17:00:00+08:00")
    filed = cli("complaint", "file", *ROOM, "--category", "noise", "--urgency", "general",
                "--content", "楼上装修噪音扰民", "--at", "2026-11-13 16:30")
    assert filed.exit_code == 0, filed.output
    return filed.stdout.strip().splitlines()[-1]


def test_show_list_and_notification_say_what_is_left_in_working_days(cli, clock, workspace):
    from dutyctl.notify.texts import Texts
    from dutyctl.tickets.deadlines import load_book
    from dutyctl.timeutil import zone

    ticket = _file_friday_complaint(cli, clock)
    # respond: 2 working days of business hours from Friday 16:30, due Tuesday 11-17 16:30;
    # on Friday 17:00 one working day and eight and a half hours are left (calendar: 3d23h)
    shown = cli("show", ticket).stdout
    assert "due in 1wd8h" in shown and "3d" not in shown, shown
    assert "还剩 1个工作日8小时" in cli("--lang", "zh_CN", "show", ticket).stdout
    listed = cli("--lang", "zh_CN", "list", "--open", env={"COLUMNS": "200"}).stdout
    assert "响应 11-17 16:30（还剩 1个工作日8小时）" in listed, listed
    record = workspace.store.get(ticket)
    friday = datetime(2026, 11, 13, 17, tzinfo=zone("Asia/Shanghai"))
    deadline = load_book(workspace).next_due(record, friday)
    text = Texts(workspace).deadline(record, deadline, False, friday).text
    assert "（还剩 1个工作日8小时）" in text, text
    # handled Monday 09:00: 16.5 business hours before the due time were to spare
    clock.set("2026-11-20T09:00:00+08:00")
    handled = cli("complaint", "handle", ticket, "--action", "上门劝说", "--at",
                  "2026-11-16 09:00", "--staff", "zhangwei")
    assert handled.exit_code == 0, handled.output
    assert "met (1wd7h to spare)" in cli("show", ticket).stdout
    assert "按时（提前 1个工作日7小时）" in cli("--lang", "zh_CN", "show", ticket).stdout


def test_a_window_in_days_counts_them_as_each_deadline_tells_its_own(cli, clock):
    """On Friday 17:00 the complaint shows "1wd8h left" (17.5 business hours, 3d23h of the
    calendar): a clerk asking for what is due within a day must not get it (it was 24
    business hours, nearly three working days), within two days must. A repair round the
    clock counts 24-hour days."""
    ticket = _file_friday_complaint(cli, clock)
    night = cli("repair", "file", *ROOM, "--category", "drains", "--urgency", "urgent",
                "--content", "水管爆裂", "--at", "2026-11-13 16:50")
    assert night.exit_code == 0, night.output
    repair = night.stdout.strip().splitlines()[-1]

    def listed(window: str) -> set[str]:
        shown = cli("list", "--due-within", window, "--format", "json")
        assert shown.exit_code == 0, shown.output
        return {row["id"] for row in json.loads(shown.stdout)}

    for short in ("1d", "1天", "1wd", "1个工作日", "一个工作日", "1天半"):  # 9, 13.5 h
        assert ticket not in listed(short), short
    for two_days in ("2d", "两天", "2个工作日"):
        assert ticket in listed(two_days), two_days
    assert ticket in listed("18h") and ticket not in listed("17h")  # 17.5 business hours
    assert repair in listed("1天") and repair not in listed("10分钟")
    # the option's help says so, in a line (`列表 --帮助`)
    helped = cli("--lang", "zh_CN", "列表", "--帮助")
    assert "1天即1个工作日" in "".join(helped.stdout.split())
    assert "one working day on a business-hours deadline" in " ".join(
        cli("--lang", "en", "list", "--help").stdout.split())


def test_a_report_tells_lateness_past_the_calendar_in_24_hour_days():
    """A report's overdue item says its lateness as `late_text` does: past the calendar's last
    year (pinned to 2026) it is calendar time, so no working day to tell it in (15d, not
    40wd); within the calendar, in working days."""
    from datetime import time

    from dutyctl.reports.figures import open_item
    from dutyctl.reports.layout import duration
    from dutyctl.reports.period import Period
    from dutyctl.tickets.clock import BUSINESS, Clock
    from tests.test_tickets_deadlines import TZ

    pinned = Clock(BUSINESS, TZ, lambda day: day.weekday() < 5, lambda year: year <= 2026,
                   time(8, 30), time(17, 30))
    repair = _repair("2026-12-21 09:00", ("2026-12-21 09:10", "dispatch"),
                     ("2026-12-21 10:00", "arrive"))

    def item_at(judged):
        period = Period("daily", judged.date(), judged.date(), TZ)
        item = open_item(repair, lambda record: ticket_deadlines(record, GENERAL, pinned,
                                                                 judged), period, judged)
        assert item["next_deadline"] == "complete", item
        return item, duration(item["overdue_minutes"], item["working_day_minutes"])

    past, told = item_at(at("2027-01-08 09:00"))
    assert (past["overdue_minutes"], past["working_day_minutes"]) == (15 * 24 * 60, None), past
    assert told == "15d"
    within, told = item_at(at("2026-12-28 09:00"))
    assert (within["overdue_minutes"], within["working_day_minutes"]) == (18 * 60, 9 * 60)
    assert told == "2wd"


def test_an_item_due_at_closing_is_overdue_all_evening_and_says_why_not_0m(cli, clock):
    """A 2 h business-hours respond limit filed at 15:30 is due at 17:30: overdue at 18:00,
    late by no business minute yet. The daily report, `show` and the data agree it is overdue
    and say why nothing is counted (was "overdue by 0m", 超时 0分钟); next morning the
    business minutes count."""
    clock.set("2026-11-04T18:00:00+08:00")
    filed = cli("repair", "file", *ROOM, "--category", "water-electric", "--urgency",
                "general", "--content", "厨房灯不亮", "--at", "2026-11-04 15:30")
    assert filed.exit_code == 0, filed.output
    ticket = filed.stdout.strip().splitlines()[-1]
    report = json.loads(cli("report", "daily", "--date", "2026-11-04", "--format",
                            "json").stdout)
    (item,) = report["repairs"]["overdue_items"]
    assert item["overdue"] and item["overdue_minutes"] == 0, item
    text = cli("report", "daily", "--date", "2026-11-04").stdout
    assert "due after hours" in text and " 0m " not in text, text
    zh = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-11-04").stdout
    assert "下班后到期，上班后计时" in zh and "0分钟" not in zh, zh
    shown = cli("show", ticket).stdout
    assert "overdue (due after hours)" in shown, shown
    assert "overdue by 0m" not in shown, shown
    clock.set("2026-11-05T09:00:00+08:00")  # business hours from 08:30
    assert "overdue by 30m" in cli("show", ticket).stdout


def test_lateness_under_a_counted_minute_says_why():
    from dutyctl.tickets.deadlines import late_span

    assert late_span(timedelta(0)) == "due after hours"
    assert late_span(timedelta(0), None, on_hold=True) == "not yet counted: on hold"
    assert late_span(timedelta(seconds=20)) == "under 1m"
    assert late_span(2 * H) == "2h"


def test_a_deadline_met_or_closed_after_hours_says_it_missed_without_a_count_of_0m():
    """Respond due 17:30 on business hours, met at 17:50: missed, by no counted minute. It said
    "missed (late by 0m)", then, with the overdue wording, "late by due after hours"
    for a deadline that is over."""
    from dutyctl.tickets.deadlines import describe

    repair = _repair("2026-11-04 15:30", ("2026-11-04 17:50", "dispatch"))
    judged = at("2026-11-05 09:00")
    respond = ticket_deadlines(repair, GENERAL, business(), judged)[0]
    assert respond.due == at("2026-11-04 17:30")
    assert describe(respond, judged) == "missed (past its due time by less than a counted minute)"
    late = _repair("2026-11-04 09:00", ("2026-11-04 11:20", "dispatch"))
    assert describe(ticket_deadlines(late, GENERAL, business(), judged)[0],
                    judged) == "missed (late by 20m)"


def test_an_overdue_notification_due_at_closing_says_why_nothing_is_counted(cli, clock,
                                                                            workspace):
    """The watcher's overdue line just after 17:30 (a 2 h business-hours respond limit filed at
    15:30): the reason stands in the brackets, not "超时 下班后到期，上班后计时"."""
    from dutyctl.notify.texts import Texts
    from dutyctl.tickets.deadlines import load_book

    clock.set("2026-11-04T17:40:00+08:00")
    filed = cli("repair", "file", *ROOM, "--category", "water-electric", "--urgency",
                "general", "--content", "厨房灯不亮", "--at", "2026-11-04 15:30")
    assert filed.exit_code == 0, filed.output
    record = workspace.store.get(filed.stdout.strip().splitlines()[-1])
    after_closing = at("2026-11-04 17:40")
    deadline = load_book(workspace).next_due(record, after_closing)
    text = Texts(workspace).deadline(record, deadline, True, after_closing).text
    assert "（下班后到期，上班后计时）" in text and "超时 非工作时间" not in text, text


def test_a_calendar_without_a_working_day_for_years_says_so_in_the_site_s_days():
    """Extra holidays covering ten years: the deadline search gives up with the day it began
    (the site's date, not a UTC timestamp) and where to look."""
    from datetime import time

    from dutyctl.errors import InputError
    from dutyctl.tickets.clock import BUSINESS, Clock
    from tests.test_tickets_deadlines import TZ

    never = Clock(BUSINESS, TZ, lambda day: False, lambda year: True, time(8, 30), time(17, 30))
    with pytest.raises(InputError) as raised:
        list(never.windows(at("2026-12-21 23:30")))
    assert str(raised.value) == (
        "no working day in 3660 days after 2026-12-21: the rules' calendar.extra_holidays "
        "leave none (check its ranges)")
