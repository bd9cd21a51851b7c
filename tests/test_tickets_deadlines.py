"""The deadline engine as pure functions: clocks, calendars, holds, states."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import MappingProxyType

import pytest

from dutyctl.records import Event, Record
from dutyctl.sitecalendar import SiteCalendar
from dutyctl.tickets.clock import (BUSINESS, TWENTY_FOUR_SEVEN, CalendarGap, Clock, add_counted,
                                   without_pauses)
from dutyctl.tickets.deadlines import (MET, MISSED, OVERDUE, PENDING, Deadline, describe,
                                       hold_spans, span, ticket_deadlines)
from dutyctl.timeutil import zone

TZ = zone("Asia/Shanghai")
CN = SiteCalendar()
H = timedelta(hours=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def business(calendar: SiteCalendar = CN) -> Clock:
    return Clock(BUSINESS, TZ, calendar.is_working_day, calendar.covers, time(8, 30),
                 time(17, 30))


ROUND_THE_CLOCK = Clock(TWENTY_FOUR_SEVEN, TZ, CN.is_working_day, CN.covers)


# -- 24x7 -------------------------------------------------------------------------------------

def test_emergency_arrival_at_two_in_the_morning_is_not_pushed_to_office_hours():
    assert add_counted(at("2026-10-09 01:30"), timedelta(minutes=30), False,
                       ROUND_THE_CLOCK) == at("2026-10-09 02:00")


def test_24x7_runs_through_a_holiday_weekend():
    assert add_counted(at("2026-10-02 23:00"), 24 * H, False,
                       ROUND_THE_CLOCK) == at("2026-10-03 23:00")


def test_24x7_working_days_skip_rest_days_and_count_the_make_up_saturday():
    # Friday 10-09 10:00 + 1wd: Saturday 10-10 is a 调休 working day
    assert add_counted(at("2026-10-09 10:00"), timedelta(days=1), True,
                       ROUND_THE_CLOCK) == at("2026-10-10 10:00")
    # Saturday 10-10 10:00 + 1wd: Sunday is off, so Monday 10:00
    assert add_counted(at("2026-10-10 10:00"), timedelta(days=1), True,
                       ROUND_THE_CLOCK) == at("2026-10-12 10:00")


def test_24x7_arithmetic_is_exact_across_a_daylight_saving_change():
    new_york = zone("America/New_York")
    clock = Clock(TWENTY_FOUR_SEVEN, new_york)
    start = datetime(2026, 3, 8, 1, 0, tzinfo=new_york)  # clocks jump 02:00 -> 03:00
    due = add_counted(start, 2 * H, False, clock)
    assert due == datetime(2026, 3, 8, 4, 0, tzinfo=new_york)
    assert due.timestamp() - start.timestamp() == 2 * 3600


# -- business hours on the site calendar ------------------------------------------------------

def test_business_hours_cross_an_ordinary_weekend():
    # Friday 10-16 16:30, 2 business hours: 1 h on Friday, 1 h on Monday
    assert add_counted(at("2026-10-16 16:30"), 2 * H, False, business()) == at("2026-10-19 09:30")


def test_business_hours_use_the_make_up_working_saturday():
    filed = at("2026-10-09 16:30")  # Friday after the National Day holiday
    assert add_counted(filed, 2 * H, False, business()) == at("2026-10-10 09:30")
    assert add_counted(filed, timedelta(days=1), True, business()) == at("2026-10-10 16:30")
    # 3 working days = 27 business hours: Fri 1 h, Sat 9 h, (Sun off), Mon 9 h, Tue 8 h
    assert add_counted(filed, timedelta(days=3), True, business()) == at("2026-10-13 16:30")


def test_business_hours_skip_the_national_day_holiday():
    # Wednesday 09-30 16:30: one hour left that day, 10-01..10-07 are holidays
    assert add_counted(at("2026-09-30 16:30"), 2 * H, False, business()) == at("2026-10-08 09:30")


def test_filed_outside_business_hours_starts_counting_at_opening():
    assert add_counted(at("2026-10-12 22:00"), 2 * H, False, business()) == at("2026-10-13 10:30")
    assert add_counted(at("2026-10-12 06:00"), 2 * H, False, business()) == at("2026-10-12 10:30")


def test_deadline_exactly_at_closing_time_stays_on_that_day():
    assert add_counted(at("2026-10-12 15:30"), 2 * H, False, business()) == at("2026-10-12 17:30")


def test_local_holidays_and_workdays_from_the_rules_count():
    calendar = SiteCalendar(extra_holidays=frozenset({date(2026, 10, 13)}),
                            extra_workdays=frozenset({date(2026, 10, 11)}))
    # Sunday 10-11 made a working day, Tuesday 10-13 a local holiday
    assert add_counted(at("2026-10-10 17:00"), H, False, business(calendar)) == at(
        "2026-10-11 09:00")
    assert add_counted(at("2026-10-12 17:00"), H, False, business(calendar)) == at(
        "2026-10-14 09:00")


def test_a_year_without_official_calendar_data_is_refused_not_guessed():
    with pytest.raises(CalendarGap, match="2027"):
        add_counted(at("2026-12-30 09:00"), timedelta(days=7), True, business())
    listed = SiteCalendar(extra_holidays=frozenset({date(2027, 1, 1)}))
    due = add_counted(at("2026-12-31 17:00"), H, False, business(listed))
    assert due.date() > date(2027, 1, 1)


# -- holds ------------------------------------------------------------------------------------

def test_hold_in_business_hours_shifts_the_deadline_by_the_business_time_held():
    filed = at("2026-11-02 09:00")  # Monday; 3wd -> Thursday 09:00
    assert add_counted(filed, timedelta(days=3), True, business()) == at("2026-11-05 09:00")
    hold = (at("2026-11-03 10:00"), at("2026-11-04 10:00"))  # 9 business hours: a working day later
    assert add_counted(filed, timedelta(days=3), True, business(), [hold]) == at(
        "2026-11-06 09:00")


def test_hold_on_the_24x7_clock_shifts_by_its_length_and_a_later_hold_changes_nothing():
    filed = at("2026-10-09 01:30")
    assert add_counted(filed, 24 * H, False, ROUND_THE_CLOCK,
                       [(at("2026-10-09 02:10"), at("2026-10-09 05:10"))]) == at(
        "2026-10-10 04:30")
    assert add_counted(filed, timedelta(minutes=30), False, ROUND_THE_CLOCK,
                       [(at("2026-10-09 03:00"), at("2026-10-09 09:00"))]) == at(
        "2026-10-09 02:00")


def test_without_pauses_cuts_every_overlap():
    window = (at("2026-10-12 08:30"), at("2026-10-12 17:30"))
    parts = without_pauses(window, [(at("2026-10-12 07:00"), at("2026-10-12 09:00")),
                                    (at("2026-10-12 12:00"), at("2026-10-12 13:00"))])
    assert parts == [(at("2026-10-12 09:00"), at("2026-10-12 12:00")),
                     (at("2026-10-12 13:00"), at("2026-10-12 17:30"))]


# -- deadlines of a record --------------------------------------------------------------------

def _repair(filed: str, *steps: tuple[str, str]) -> Record:
    created = at(filed)
    events = tuple(Event(f"E{index}", "R", at(when), "wangqiang", action, None,
                         MappingProxyType({}))
                   for index, (when, action) in enumerate(steps))
    return Record("R", "repair", created, "zhangwei",
                  MappingProxyType({"urgency": "general"}), events)


GENERAL = {"respond": (2 * H, False), "arrive": (timedelta(days=1), True),
           "complete": (timedelta(days=3), True)}


def test_states_met_missed_overdue_pending():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 10:00", "dispatch"),
                     ("2026-11-03 12:00", "arrive"))
    found = {d.name: d for d in ticket_deadlines(repair, GENERAL, business(),
                                                  at("2026-11-04 09:00"))}
    assert found["respond"].state(at("2026-11-04 09:00")) == MET
    assert found["arrive"].due == at("2026-11-03 09:00")
    assert found["arrive"].state(at("2026-11-04 09:00")) == MISSED
    assert found["complete"].state(at("2026-11-04 09:00")) == PENDING
    assert found["complete"].state(at("2026-11-05 09:01")) == OVERDUE


def test_events_after_the_moment_judged_are_ignored():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 10:00", "dispatch"))
    early = ticket_deadlines(repair, GENERAL, business(), at("2026-11-02 09:30"))
    assert early[0].met_at is None


def test_an_unresumed_hold_keeps_pushing_the_deadline_to_the_moment_judged():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 09:30", "dispatch"),
                     ("2026-11-02 10:00", "hold"))
    judged = at("2026-11-20 10:00")
    complete = ticket_deadlines(repair, GENERAL, business(), judged)[-1]
    assert complete.due > judged
    assert hold_spans(repair.events, judged) == [(at("2026-11-02 10:00"), judged)]


def test_done_meets_arrival_when_no_arrival_was_recorded():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 09:10", "dispatch"),
                     ("2026-11-02 11:00", "done"))
    found = {d.name: d for d in ticket_deadlines(repair, GENERAL, business(),
                                                  at("2026-11-02 12:00"))}
    assert found["arrive"].met_at == at("2026-11-02 11:00")


def test_deadlines_judged_before_the_last_step_and_after_it_agree_with_the_events():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 09:10", "dispatch"),
                     ("2026-11-02 11:00", "arrive"), ("2026-11-02 12:00", "done"))
    before = {d.name: d.met_at for d in ticket_deadlines(repair, GENERAL, business(),
                                                           at("2026-11-02 11:30"))}
    after = {d.name: d.met_at for d in ticket_deadlines(repair, GENERAL, business(),
                                                          at("2026-11-02 12:30"))}
    assert before == {"respond": at("2026-11-02 09:10"), "arrive": at("2026-11-02 11:00"),
                      "complete": None}
    assert after == {**before, "complete": at("2026-11-02 12:00")}


def test_descriptions_are_short_and_exact():
    deadline = Deadline("respond", at("2026-10-12 10:00"), None)
    assert describe(deadline, at("2026-10-12 12:05")) == "overdue by 2h05m"
    assert describe(deadline, at("2026-10-12 09:15")) == "due in 45m"
    late = Deadline("respond", at("2026-10-12 10:00"), at("2026-10-14 11:00"))
    assert describe(late, at("2026-10-20 00:00")) == "missed (late by 2d1h)"
    assert span(timedelta(days=3)) == "3d"


def test_a_clock_copied_with_other_hours_counts_its_own_hours():
    """The day windows a clock caches are its own: a copy with other business hours
    (frozen.replace) does not answer with the windows of the clock it was copied from."""
    from datetime import timezone

    from dutyctl.frozen import replace

    monday = date(2026, 11, 2)
    early = Clock(BUSINESS, timezone.utc)
    assert early.day_window(monday)[0].time() == time(8, 30)
    late = replace(early, business_start=time(9))
    assert late.day_window(monday)[0].time() == time(9)
    assert early == replace(late, business_start=time(8, 30))
