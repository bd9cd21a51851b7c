"""Attendance against a hand-written roster: the pure core, then the monthly report command."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dutyctl.desk import attendance as core
from dutyctl.desk.attendance import DutySession
from dutyctl.desk.rostered import slots_between
from tests.helpers_desk import october_site, write_roster

TZ = ZoneInfo("Asia/Shanghai")
GRACE, WINDOW = timedelta(minutes=5), timedelta(minutes=120)
LATER = datetime(2026, 12, 1, tzinfo=TZ)  # "now" for reports: October is over


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def slots(workspace):
    october_site(workspace.root)
    return slots_between(workspace, at("2026-10-01 00:00"), at("2026-11-02 00:00"))


def test_roster_slots_cross_midnight(slots):
    night = [slot for slot in slots if slot.shift_id == "night" and slot.date == date(2026, 10, 5)]
    assert [(slot.staff, slot.start, slot.end) for slot in night] == [
        ("lina", at("2026-10-05 20:00"), at("2026-10-06 08:00"))]


@pytest.mark.parametrize("clock, verdict, late", [
    ("2026-10-05 06:00", core.ON_TIME, 0),      # the earliest the window allows
    ("2026-10-05 05:59", core.UNROSTERED, 0),   # before the window
    ("2026-10-05 08:05", core.ON_TIME, 0),      # within grace
    ("2026-10-05 08:06", core.LATE, 6),
    ("2026-10-05 19:59", core.LATE, 719),
])
def test_clock_in_verdicts_against_the_day_shift(slots, clock, verdict, late):
    judged = core.judge_clock_in(slots, "zhangwei", at(clock), GRACE, WINDOW)
    assert (judged.verdict, judged.late_minutes) == (verdict, late)


def test_late_for_a_night_shift_after_midnight(slots):
    judged = core.judge_clock_in(slots, "lina", at("2026-10-06 00:30"), GRACE, WINDOW)
    assert judged.verdict == core.LATE and judged.late_minutes == 270
    assert judged.slot.date == date(2026, 10, 5)


def test_unrostered_names_the_next_slot(slots):
    judged = core.judge_clock_in(slots, "sunli", at("2026-10-05 09:00"), GRACE, WINDOW)
    assert judged.verdict == core.UNROSTERED
    assert judged.next_slot.start == at("2026-10-06 08:00")


def test_clock_out_early_from_a_night_shift(slots):
    session = DutySession("x", "zhangwei", at("2026-10-06 19:58"), at("2026-10-07 06:30"))
    judged = core.judge_clock_out(slots, session, GRACE, WINDOW)
    assert judged.slot.shift_id == "night" and judged.early_minutes == 90
    in_grace = DutySession("x", "zhangwei", at("2026-10-06 19:58"), at("2026-10-07 07:56"))
    assert core.judge_clock_out(slots, in_grace, GRACE, WINDOW).early_minutes == 0


def test_relief_is_the_next_shift_not_a_colleague_already_there(slots):
    relief = core.relief_slots(slots, "zhangwei", since=at("2026-10-05 07:55"),
                               at=at("2026-10-05 20:00"), window=WINDOW,
                               own_slot=slots[0])
    assert [slot.staff for slot in relief] == ["lina"]
    unrostered = core.relief_slots(slots, "wangqiang", since=at("2026-10-06 10:00"),
                                   at=at("2026-10-06 12:00"), window=WINDOW)
    assert unrostered == []  # sunli's day shift began before wangqiang came


def october_sessions():
    return [
        DutySession("a", "zhangwei", at("2026-10-05 07:55"), at("2026-10-05 20:00")),
        DutySession("b", "lina", at("2026-10-05 20:12"), at("2026-10-06 08:00")),
        DutySession("c", "zhangwei", at("2026-10-06 19:58"), at("2026-10-07 06:30")),
        DutySession("d", "wangqiang", at("2026-10-06 10:00"), at("2026-10-06 14:00")),
        DutySession("e", "lina", at("2026-10-31 20:00"), at("2026-11-01 08:00")),
    ]


def test_month_report_per_person(slots):
    report = core.attendance_report(slots, october_sessions(), first=date(2026, 10, 1),
                                    last=date(2026, 10, 31), tz=TZ, grace=GRACE, window=WINDOW,
                                    now=LATER)
    people = {person.staff: person for person in report.people}
    assert set(people) == {"zhangwei", "lina", "sunli", "wangqiang"}
    zhang = people["zhangwei"]
    assert (zhang.rostered, zhang.attended, zhang.late, zhang.early_leaves,
            zhang.early_minutes, zhang.absent) == (2, 2, 0, 1, 90, 0)
    assert zhang.worked == timedelta(hours=12, minutes=5) + timedelta(hours=10, minutes=32)
    assert zhang.rostered_time == timedelta(hours=24)
    lina = people["lina"]
    assert (lina.rostered, lina.attended, lina.late, lina.late_minutes) == (2, 2, 1, 12)
    assert lina.worked == timedelta(hours=11, minutes=48) + timedelta(hours=12)
    sunli = people["sunli"]
    assert (sunli.rostered, sunli.attended, sunli.absent, sunli.worked) == (1, 0, 1, timedelta(0))
    wang = people["wangqiang"]
    assert (wang.rostered, wang.unrostered, wang.worked) == (0, 1, timedelta(hours=4))
    assert [session.record_id for session in report.unrostered] == ["d"]


def test_night_shift_on_the_last_day_belongs_to_its_month(slots):
    november = core.attendance_report(slots, october_sessions(), first=date(2026, 11, 1),
                                      last=date(2026, 11, 30), tz=TZ, grace=GRACE,
                                      window=WINDOW, now=LATER)
    assert november.people == ()


def test_absent_only_after_start_plus_grace(slots):
    sunli_day = next(slot for slot in slots if slot.staff == "sunli")
    before = core.slot_outcome(sunli_day, [], GRACE, WINDOW, at("2026-10-06 08:05"))
    after = core.slot_outcome(sunli_day, [], GRACE, WINDOW, at("2026-10-06 08:06"))
    assert (before.result, after.result) == (core.UPCOMING, core.ABSENT)


def test_one_session_over_two_back_to_back_shifts_attends_both(slots):
    day, night = (slot for slot in slots if slot.date == date(2026, 10, 6))
    double = DutySession("x", "sunli", at("2026-10-06 07:58"), at("2026-10-07 08:00"))
    doubled = type(night)(night.date, night.shift_id, night.shift_name, night.role, "sunli",
                          night.start, night.end)
    outcomes = [core.slot_outcome(slot, [double], GRACE, WINDOW, LATER) for slot in (day, doubled)]
    assert [outcome.result for outcome in outcomes] == [core.ON_TIME, core.ON_TIME]
    assert [outcome.early_minutes for outcome in outcomes] == [0, 0]


# -- through the CLI ----------------------------------------------------------------------------


def clock(cli, direction, staff, when, *extra):
    result = cli("clock", direction, "--staff", staff, "--at", when, *extra)
    assert result.exit_code == 0, result.stderr
    return result


def test_attendance_command_for_a_month(cli, workspace):
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    clock(cli, "out", "zhangwei", "2026-10-05 20:00", "--no-handover", "--reason", "测试")
    clock(cli, "in", "lina", "2026-10-05 20:12")
    clock(cli, "out", "lina", "2026-10-06 08:00", "--no-handover", "--reason", "测试")
    clock(cli, "in", "zhangwei", "2026-10-06 19:58")
    clock(cli, "out", "zhangwei", "2026-10-07 06:30")
    clock(cli, "in", "wangqiang", "2026-10-06 10:00")
    clock(cli, "out", "wangqiang", "2026-10-06 14:00")

    result = cli("attendance", "--month", "2026-10", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["staff"]: row for row in json.loads(result.stdout)}
    assert rows["zhangwei"]["name"] == "张伟"
    assert (rows["zhangwei"]["attended"], rows["zhangwei"]["early_leaves"],
            rows["zhangwei"]["early_minutes"]) == (2, 1, 90)
    assert rows["zhangwei"]["hours_worked"] == round((12 * 60 + 5 + 10 * 60 + 32) / 60, 2)
    assert (rows["lina"]["late"], rows["lina"]["late_minutes"]) == (1, 12)
    # lina's night of the 31st was never clocked: absent, and counted in October
    assert (rows["lina"]["rostered"], rows["lina"]["absent"]) == (2, 1)
    assert (rows["sunli"]["absent"], rows["sunli"]["hours_worked"]) == (1, 0)
    assert (rows["wangqiang"]["unrostered"], rows["wangqiang"]["hours_worked"]) == (1, 4)

    one = cli("attendance", "--month", "2026-10", "--staff", "lina", "--format", "csv")
    assert one.stdout.startswith("\ufeff")  # every CSV: Excel reads the Chinese right
    assert [line.split(",")[0] for line in one.stdout[1:].splitlines()] == ["staff", "lina"]

    detail = cli("attendance", "--month", "2026-10", "--detail", "--format", "json")
    rows = json.loads(detail.stdout)
    results = [(row["date"], row["staff"], row["result"]) for row in rows]
    assert ("2026-10-06", "sunli", "absent") in results
    assert ("2026-10-06", "wangqiang", "unrostered") in results
    assert ("2026-10-06", "zhangwei", "on-time") in results
    assert [row["left_early"] for row in rows if row["date"] == "2026-10-06"
            and row["staff"] == "zhangwei"] == [True]

    # the table is for people: names, shift names and the outcome in words, never ids
    table = cli("--lang", "zh_CN", "attendance", "--month", "2026-10", "--detail").stdout
    zhangwei_row = next(line for line in table.splitlines()
                        if line.startswith("10月6日 周二") and "张伟" in line)
    assert "按时，早退" in zhangwei_row and "zhangwei" not in table
    assert "on-time" not in table and "unrostered" not in table and "未排班" in table
    assert "2026-10-" not in table  # the day as the roster screens say it
    summary = cli("--lang", "zh_CN", "attendance", "--month", "2026-10").stdout
    assert "张伟" in summary and "zhangwei" not in summary  # the summary table too
    assert '"staff": "zhangwei"' in cli("attendance", "--month", "2026-10", "-f", "json").stdout


def test_attendance_refuses_unknown_staff_and_bad_month(cli, workspace):
    october_site(workspace.root)
    assert cli("attendance", "--staff", "nobody").exit_code == 2
    bad = cli("attendance", "--month", "2026-13")
    assert bad.exit_code == 2 and "2026-13" in bad.stderr


def test_attendance_takes_the_month_as_the_roster_commands_do(cli, workspace, request):
    """`dutyctl 考勤 --月份 10月` (or 上个月) is October, as `排班 查看 --月份 10月` is."""
    request.getfixturevalue("clock").set("2026-11-12T09:30:00+08:00")
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    whole = cli("attendance", "--month", "2026-10", "-f", "json").stdout
    for month in ("10月", "上个月", "2026年10月"):
        said = cli("--lang", "zh_CN", "考勤", "--月份", month, "-f", "json")
        assert said.exit_code == 0, said.stderr
        assert said.stdout == whole
    assert '"attended": 1' in whole


def test_attendance_reckons_its_month_from_at_as_the_roster_commands_do(cli, workspace,
                                                                         request):
    """`考勤 --时间 2026-10-20` is October (this month then), `--月份 上个月 --时间 2026-11-03`
    and `--月份 10月 --时间 2027-01-05` October too: `--at` as `排班 查看 --时间` takes it
    (options.MONTH_OF), the month words reckoned from it, not from today."""
    request.getfixturevalue("clock").set("2026-12-20T09:30:00+08:00")
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    whole = cli("attendance", "--month", "2026-10", "-f", "json").stdout
    assert '"attended": 1' in whole
    for words in (("--时间", "2026-10-20"), ("--月份", "上个月", "--时间", "2026-11-03"),
                  ("--月份", "本月", "--时间", "2026-10-31 23:00"),
                  ("--月份", "10月", "--时间", "2027-01-05")):
        said = cli("--lang", "zh_CN", "考勤", *words, "-f", "json")
        assert said.exit_code == 0, (words, said.stderr)
        assert said.stdout == whole, words
    assert cli("attendance", "--at", "2026-10-20", "-f", "json").stdout == whole
    assert cli("attendance", "-f", "json").stdout != whole  # December, without --at
    bad = cli("--lang", "zh_CN", "考勤", "--时间", "明年后")
    assert bad.exit_code == 2 and "明年后" in bad.stderr and "Traceback" not in bad.stderr


def test_a_forgotten_clock_out_attends_only_its_own_shift(slots):
    forgotten = DutySession("x", "lina", at("2026-10-05 19:55"))
    report = core.attendance_report(slots, [forgotten], first=date(2026, 10, 1),
                                    last=date(2026, 10, 31), tz=TZ, grace=GRACE, window=WINDOW,
                                    now=LATER)
    (lina,) = [person for person in report.people if person.staff == "lina"]
    assert (lina.attended, lina.absent, lina.open_sessions, lina.worked) == (
        1, 1, 1, timedelta(0))
    first = next(outcome for outcome in report.outcomes if outcome.slot.staff == "lina")
    assert first.on_duty and first.clock_out is None and first.early_minutes == 0


class _Counted(tuple):
    """A tuple that counts how often it is read through."""
    reads = 0

    def __iter__(self):
        type(self).reads += 1
        return super().__iter__()


def test_whether_a_clock_out_was_forgotten_is_one_set_not_a_scan_per_question(slots):
    """`AttendanceReport.forgot` went through every forgotten duty for each duty it was asked
    about; the answers are the same, by identity (a value equal to a forgotten duty is not
    it), with the forgotten ones read once."""
    sessions = [DutySession(f"x{day}", "lina", at(f"2026-10-{day:02d} 19:55"))
                for day in range(5, 25)]
    report = core.attendance_report(slots, sessions, first=date(2026, 10, 1),
                                    last=date(2026, 10, 31), tz=TZ, grace=GRACE, window=WINDOW,
                                    now=LATER)
    assert report.forgotten and all(report.forgot(session) for session in report.forgotten)
    assert not report.forgot(DutySession("x5", "lina", at("2026-10-05 19:55")))  # a copy
    counted = core.AttendanceReport(report.first, report.last, report.outcomes,
                                    report.unrostered, report.people, sessions=report.sessions,
                                    forgotten=_Counted(report.forgotten), at=report.at)
    _Counted.reads = 0
    answers = [counted.forgot(session) for session in report.sessions * 10]
    assert answers == [report.forgot(session) for session in report.sessions * 10]
    assert _Counted.reads <= 1


def test_a_duty_s_shift_start_is_read_as_its_end_is():
    """`left_open` read the start of the shift a duty was clocked in for by hand, beside
    `duty.shift_end`: one helper each."""
    from dutyctl.kinds import duty
    from dutyctl.records import Record

    clocked = Record(id="01M0000000000000000000000Z", kind="duty", created_at=at(
        "2026-10-05 07:55"), recorded_by="lina", fields={"staff": "lina", "slot": {
            "start": "2026-10-05T08:00:00+08:00", "end": "2026-10-05T20:00:00+08:00"}})
    assert duty.shift_start(clocked) == at("2026-10-05 08:00")
    assert duty.shift_end(clocked) == at("2026-10-05 20:00")
    unrostered = Record(id="01M0000000000000000000000Y", kind="duty",
                        created_at=at("2026-10-05 07:55"), recorded_by="lina",
                        fields={"staff": "lina"})
    assert duty.shift_start(unrostered) is None and duty.shift_end(unrostered) is None


def test_hours_across_the_autumn_dst_change_are_real_hours():
    from dutyctl.roster.onduty import Slot

    berlin = ZoneInfo("Europe/Berlin")
    night = Slot(date(2026, 10, 24), "night", "夜班", "service", "lina",
                 datetime(2026, 10, 24, 20, 0, tzinfo=berlin),
                 datetime(2026, 10, 25, 8, 0, tzinfo=berlin))  # 13 h: 02:00-03:00 twice
    session = DutySession("r1", "lina", datetime(2026, 10, 24, 19, 50, tzinfo=berlin),
                          datetime(2026, 10, 25, 7, 30, tzinfo=berlin))
    report = core.attendance_report([night], [session], first=date(2026, 10, 24),
                                    last=date(2026, 10, 24), tz=berlin,
                                    grace=timedelta(minutes=5), window=timedelta(hours=2),
                                    now=datetime(2026, 10, 26, tzinfo=berlin))
    (lina,) = report.people
    assert lina.rostered_time == timedelta(hours=13)
    assert lina.worked == timedelta(hours=12, minutes=40)
    (outcome,) = report.outcomes
    assert outcome.early_minutes == 30  # left 07:30 for an 08:00 end, not 90 wall-clock minutes


def test_a_clock_out_made_days_later_is_a_forgotten_one(slots):
    """张伟 clocked in for his day shift of the 5th and clocked out only after his night of
    the 6th (he came to it, was refused a clock-in, and clocked out at its end): the day
    shift is 'not clocked out' (no hours), the night absent, never 48 hours on time for both."""
    late_out = DutySession("x", "zhangwei", at("2026-10-05 07:55"), at("2026-10-07 08:02"))
    lina_late = DutySession("y", "lina", at("2026-10-05 19:55"), at("2026-10-08 09:00"))
    report = core.attendance_report(slots, [late_out, lina_late], first=date(2026, 10, 1),
                                    last=date(2026, 10, 31), tz=TZ, grace=GRACE, window=WINDOW,
                                    now=LATER)
    people = {person.staff: person for person in report.people}
    zhangwei, lina = people["zhangwei"], people["lina"]
    assert (zhangwei.attended, zhangwei.absent, zhangwei.open_sessions, zhangwei.worked) == (
        1, 1, 1, timedelta(0))
    # no later shift in between, but clocked out more than a day after the night ended
    assert (lina.open_sessions, lina.worked) == (1, timedelta(0))
    results = {(outcome.slot.staff, outcome.slot.date): outcome for outcome in report.outcomes}
    assert results["zhangwei", date(2026, 10, 5)].on_duty
    assert results["zhangwei", date(2026, 10, 6)].result == core.ABSENT


def test_a_double_shift_clocked_out_at_its_end_still_counts_whole():
    """The forgotten-clock-out rule leaves a real double shift alone (day then night, one
    session), and overtime a few hours past the end."""
    from dutyctl.roster.onduty import Slot

    day = Slot(date(2026, 10, 6), "day", "白班", "service", "sunli",
               at("2026-10-06 08:00"), at("2026-10-06 20:00"))
    night = Slot(date(2026, 10, 6), "night", "夜班", "service", "sunli",
                 at("2026-10-06 20:00"), at("2026-10-07 08:00"))
    double = DutySession("x", "sunli", at("2026-10-06 07:58"), at("2026-10-07 08:00"))
    overtime = DutySession("y", "sunli", at("2026-10-09 07:58"), at("2026-10-09 23:30"))
    day9 = Slot(date(2026, 10, 9), "day", "白班", "service", "sunli",
                at("2026-10-09 08:00"), at("2026-10-09 20:00"))
    report = core.attendance_report([day, night, day9], [double, overtime],
                                    first=date(2026, 10, 1), last=date(2026, 10, 31), tz=TZ,
                                    grace=GRACE, window=WINDOW, now=LATER)
    (sunli,) = report.people
    assert (sunli.attended, sunli.open_sessions) == (3, 0)
    assert sunli.worked == timedelta(hours=24, minutes=2) + timedelta(hours=15, minutes=32)


def test_a_duty_on_two_overlapping_shifts_is_forgotten_after_the_one_ending_last():
    """A person put on the 08:30-17:30 office shift inside their own 08:00-20:00 day shift
    (an override forced over the rules), clocked in at 07:55 and still there at 19:45: on
    duty, hours so far. Attendance took the shift starting last (the office) for the last
    one the duty attends and said its clock-out forgotten at 19:30, no hours, while the
    same duty was on the day shift until 20:00; the last is the one ending last."""
    from dutyctl.roster.onduty import Slot

    day = Slot(date(2026, 10, 6), "day", "白班", "service", "sunli",
               at("2026-10-06 08:00"), at("2026-10-06 20:00"))
    office = Slot(date(2026, 10, 6), "office", "前台", "service", "sunli",
                  at("2026-10-06 08:30"), at("2026-10-06 17:30"))
    duty = DutySession("x", "sunli", at("2026-10-06 07:55"))  # not clocked out yet

    def still_open(now):
        report = core.attendance_report([day, office], [duty], first=date(2026, 10, 6),
                                        last=date(2026, 10, 6), tz=TZ, grace=GRACE,
                                        window=WINDOW, now=now)
        return report, core.still_open(report)

    report, open_ = still_open(at("2026-10-06 19:45"))
    assert (open_.clock_outs_forgotten("sunli"), open_.on_duty("sunli")) == (0, 1)
    assert [o.on_duty for o in report.outcomes] == [True, True]
    report, open_ = still_open(at("2026-10-06 22:00"))
    assert [o.slot.shift_id for o in report.outcomes if o.forgotten] == ["day"]
    assert (open_.clock_outs_forgotten("sunli"), open_.on_duty("sunli")) == (1, 0)


def test_a_day_night_day_cover_clocked_out_at_its_end_counts_all_three():
    """One clock-in over three back-to-back shifts (a 36-hour cover): the next shift is
    reached from the end of the one before, not within a day of the clock-in, so all three
    are on time and 36 h 07 min worked, never 'not clocked out' with two absences. A gap of a
    day before the next shift still makes the same clock-out a forgotten one."""
    from dutyctl.roster.onduty import Slot

    def shift(day, shift_id, name, start, end):
        return Slot(date(2026, 10, day), shift_id, name, "service", "sunli", at(start), at(end))

    day = shift(6, "day", "白班", "2026-10-06 08:00", "2026-10-06 20:00")
    night = shift(6, "night", "夜班", "2026-10-06 20:00", "2026-10-07 08:00")
    day2 = shift(7, "day", "白班", "2026-10-07 08:00", "2026-10-07 20:00")
    cover = DutySession("x", "sunli", at("2026-10-06 07:58"), at("2026-10-07 20:05"))

    def report(slots):
        return core.attendance_report(slots, [cover], first=date(2026, 10, 1),
                                      last=date(2026, 10, 31), tz=TZ, grace=GRACE,
                                      window=WINDOW, now=LATER)

    covered = report([day, night, day2])
    (sunli,) = covered.people
    assert (sunli.attended, sunli.absent, sunli.open_sessions) == (3, 0, 0)
    assert sunli.worked == timedelta(hours=36, minutes=7)
    assert [outcome.result for outcome in covered.outcomes] == [core.ON_TIME] * 3
    verdict = core.judge_clock_out([day, night, day2], cover, GRACE, WINDOW)
    assert (verdict.slot, verdict.too_late) == (day2, False)
    # without the night between them, the second day shift is after a gap: forgotten
    gap = report([day, day2])
    (sunli,) = gap.people
    assert (sunli.attended, sunli.absent, sunli.open_sessions, sunli.worked) == (
        1, 1, 1, timedelta(0))
    verdict = core.judge_clock_out([day, day2], cover, GRACE, WINDOW)
    assert (verdict.slot, verdict.too_late) == (day, True)


def test_clock_in_over_a_duty_never_clocked_out_says_how_to_put_it_right(cli, workspace):
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    refused = cli("--lang", "zh_CN", "签到", "--操作人", "张伟", "--时间", "2026-10-06 19:55")
    assert refused.exit_code == 2
    assert "那一班 2026-10-05 20:00 就已结束" in refused.stderr
    assert "dutyctl 签退 --时间 \"2026-10-05 20:00\"" in refused.stderr
    clock(cli, "out", "zhangwei", "2026-10-05 20:00", "--no-handover", "--reason", "补记")
    clock(cli, "in", "zhangwei", "2026-10-06 19:55")


def test_a_clock_out_days_later_is_refused_naming_the_shift_end(cli, workspace):
    """签退 two days after the clock-in said 班次完成 with 48 hours, and asked for a handover
    to the crew of that later day, while 考勤 counted the duty never clocked out: the desk
    refuses it (nothing written, with or without a handover) and names the shift's end."""
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    for extra in ((), ("--不交接", "--原因", "补记")):
        refused = cli("--lang", "zh_CN", "签退", "--操作人", "张伟", "--时间",
                      "2026-10-07 08:02", *extra)
        assert refused.exit_code == 2, refused.stdout
        assert "班次完成" not in refused.stdout + refused.stderr
        assert "最后一班 2026-10-05 20:00 就已结束" in refused.stderr
        assert "考勤按未签退计算" in refused.stderr
        assert "dutyctl 签退 --时间 \"2026-10-05 20:00\"" in refused.stderr
    english = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-07 08:02")
    assert english.exit_code == 2
    assert "'dutyctl clock out --at \"2026-10-05 20:00\"'" in english.stderr
    rows = json.loads(cli("attendance", "--month", "2026-10", "--staff", "zhangwei",
                          "-f", "json").stdout)
    assert rows[0]["open"] == 1  # nothing written: still clocked in
    done = clock(cli, "out", "zhangwei", "2026-10-05 20:00", "--no-handover", "--reason", "补记")
    assert "after 12h05: shift done" in done.stderr, done.stderr
    # overtime a few hours past the end is no forgotten clock-out
    clock(cli, "in", "zhangwei", "2026-10-06 19:55")
    clock(cli, "out", "zhangwei", "2026-10-07 11:30", "--no-handover", "--reason", "加班")


def test_a_shift_never_clocked_out_is_not_on_duty_weeks_later_in_the_detail(cli, workspace,
                                                                           request):
    """`考勤 --明细` said 按时，在岗 for a night never clocked out six weeks before; the
    reports call it 未签退 (no clock-out). The detail says so too, the verdict never cut."""
    request.getfixturevalue("clock").set("2026-11-20T09:00:00+08:00")
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    rows = json.loads(cli("attendance", "--month", "2026-10", "--detail", "-f",
                          "json").stdout)
    (row,) = [row for row in rows if row["staff"] == "zhangwei" and row["date"] == "2026-10-05"]
    assert (row["on_duty"], row["no_clock_out"]) == (False, True)
    table = cli("--lang", "zh_CN", "考勤", "--月份", "2026-10", "--明细",
                env={"COLUMNS": "100"}).stdout
    line = next(line for line in table.splitlines() if line.startswith("10月5日 周一")
                and "张伟" in line)
    assert "按时，未签退" in line and "在岗" not in line
    # still on duty now: said so, not a forgotten clock-out
    request.getfixturevalue("clock").set("2026-10-05T12:00:00+08:00")
    now = json.loads(cli("attendance", "--month", "2026-10", "--detail", "-f", "json").stdout)
    (row,) = [row for row in now if row["staff"] == "zhangwei" and row["date"] == "2026-10-05"]
    assert (row["on_duty"], row["no_clock_out"]) == (True, False)


def test_the_summary_counts_a_shift_under_way_as_on_duty_with_its_hours_so_far(cli, workspace,
                                                                              request):
    """`考勤` counted a shift still under way as 未签退 with 0 hours, where its `--明细` said
    在岗 and 月报 8.5（当班中）: on duty now, its hours up to now; weeks later, no clock-out."""
    clock_at = request.getfixturevalue("clock")
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    clock_at.set("2026-10-05T16:25:00+08:00")
    (row,) = json.loads(cli("attendance", "--month", "2026-10", "--staff", "zhangwei", "-f",
                            "json").stdout)
    assert (row["on_duty"], row["open"], row["hours_worked"]) == (1, 0, 8.5)
    report = json.loads(cli("report", "monthly", "--month", "2026-10", "-f", "json").stdout)
    (mine,) = [person for person in report["attendance"]["people"]
               if person["staff"] == "zhangwei"]
    assert (mine["on_duty"], mine["not_clocked_out"], mine["hours_worked"]) == (1, 0, 8.5)
    table = cli("--lang", "zh_CN", "考勤", "--月份", "2026-10", "--员工", "张伟").stdout
    assert "在岗" in table.splitlines()[0] and "8.5" in table
    clock_at.set("2026-11-20T09:00:00+08:00")
    (row,) = json.loads(cli("attendance", "--month", "2026-10", "--staff", "zhangwei", "-f",
                            "json").stdout)
    assert (row["on_duty"], row["open"], row["hours_worked"]) == (0, 1, 0)


#: 李娜 alone, the day and night of 2025-10-31 and the day of 11-01
COVER = [("2025-10-31", "day", "lina"), ("2025-10-31", "night", "lina"),
         ("2025-11-01", "day", "lina")]


def test_a_cover_over_the_month_s_end_agrees_in_attendance_and_the_reports(workspace, clock):
    """李娜 covers the day and night of the 31st and the day of 11-01 on one clock-in: the
    desk takes the clock-out (no forgotten one); of the session's 36 h 07 min October has
    those up to the start of November's day shift (24 h 02 min), November that shift's
    (12 h 05 min), as each shift belongs to the month it starts in; the monthly reports say
    the same as `dutyctl attendance`."""
    from tests.conftest import Cli
    from tests.test_period_end_shifts import assert_agree, people

    write_roster(workspace.root, "2025-10-31", "2025-11-01", COVER, "2025-10-31_2025-11-01",
                 generated_at="2025-10-20T15:00:00+08:00", rules_sha256="x")
    clock.set("2025-11-10T09:00:00+08:00")
    cli = Cli(workspace.root)
    clock_ = lambda *args: cli("clock", *args, "--staff", "lina")  # noqa: E731
    assert clock_("in", "--at", "2025-10-31 07:58").exit_code == 0
    done = clock_("out", "--at", "2025-11-01 20:05", "--no-handover", "--reason", "交班")
    assert done.exit_code == 0, done.stderr
    assert "after 36h07: shift done" in done.stderr, done.stderr
    for month, attended, hours in (("2025-10", 2, 24.0), ("2025-11", 1, 12.1)):
        listed = json.loads(cli("attendance", "--month", month, "-f", "json").stdout)
        (lina,) = listed
        assert (lina["attended"], lina["absent"], lina["open"]) == (attended, 0, 0)
        assert round(lina["hours_worked"], 1) == hours
        report = json.loads(cli("report", "monthly", "--month", month, "-f",
                                "json").stdout)["attendance"]
        assert_agree(report, listed)
        assert people(report)["lina"]["not_clocked_out"] == 0


def test_the_detail_says_which_shifts_fell_on_a_statutory_holiday(cli, workspace):
    """Payroll pays holiday shifts apart: each detail row says whether its day (the day its
    shift starts) is in a statutory break, the site calendar's one definition the roster stats
    count holiday shifts by (SiteCalendar.in_statutory_break); the table names the break."""
    october_site(workspace.root)
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    clock(cli, "out", "zhangwei", "2026-10-05 20:00", "--no-handover", "--reason", "补记")
    clock(cli, "in", "sunli", "2026-10-12 09:00")  # not rostered, an ordinary Monday
    rows = json.loads(cli("attendance", "--month", "2026-10", "--detail", "-f",
                          "json").stdout)
    assert sorted({(row["date"], row["holiday"]) for row in rows}) == [
        ("2026-10-05", True), ("2026-10-06", True), ("2026-10-12", False),
        ("2026-10-31", False)]
    from dutyctl.roster.onduty import cached_rules
    from dutyctl.workspace import Workspace

    calendar = cached_rules(Workspace(workspace.root)).calendar
    assert all(row["holiday"] == calendar.in_statutory_break(date.fromisoformat(row["date"]))
               for row in rows)
    csv_text = cli("attendance", "--month", "2026-10", "--detail", "-f", "csv").stdout
    assert "holiday" in csv_text.splitlines()[0]
    table = cli("--lang", "zh_CN", "考勤", "--月份", "2026-10", "--明细",
                env={"COLUMNS": "160"}).stdout
    assert "节假日" in table.splitlines()[0]
    lines = table.splitlines()
    assert all("国庆节" in line for line in lines if line.startswith(("10月5日", "10月6日")))
    assert not any("国庆节" in line for line in lines if line.startswith(("10月12日", "10月31日")))


def test_an_unrostered_duty_clocked_out_days_later_is_a_forgotten_clock_out(slots):
    """wangqiang has no shift in October: clocked in at 09:00 and out two days later is no
    48-hour duty paid in full but a clock-out forgotten (`unrostered_too_long`, as the
    reports say of one still open); 23 hours unrostered still count."""
    forgotten = DutySession("x", "wangqiang", at("2026-10-10 09:00"), at("2026-10-12 09:00"))
    assert core.judge_clock_out(slots, forgotten, GRACE, WINDOW).too_late
    report = core.attendance_report(slots, [forgotten], first=date(2026, 10, 1),
                                    last=date(2026, 10, 31), tz=TZ, grace=GRACE,
                                    window=WINDOW, now=LATER)
    wangqiang = next(person for person in report.people if person.staff == "wangqiang")
    assert (wangqiang.unrostered, wangqiang.open_sessions, wangqiang.worked) == (1, 1, timedelta(0))
    long_day = DutySession("y", "wangqiang", at("2026-10-10 09:00"), at("2026-10-11 08:00"))
    assert not core.judge_clock_out(slots, long_day, GRACE, WINDOW).too_late
    report = core.attendance_report(slots, [long_day], first=date(2026, 10, 1),
                                    last=date(2026, 10, 31), tz=TZ, grace=GRACE,
                                    window=WINDOW, now=LATER)
    wangqiang = next(person for person in report.people if person.staff == "wangqiang")
    assert (wangqiang.open_sessions, wangqiang.worked) == (0, timedelta(hours=23))


def test_clocking_out_an_unrostered_duty_days_later_is_refused(cli, workspace):
    october_site(workspace.root)
    clock(cli, "in", "wangqiang", "2026-10-10 09:00")
    refused = cli("--lang", "zh_CN", "签退", "--操作人", "王强", "--时间", "2026-10-12 09:00",
                  "--不交接", "--原因", "测试")
    assert refused.exit_code == 2, refused.stdout
    assert "没有排班" in refused.stderr and "不计工时" in refused.stderr
    assert "dutyctl 签退 --时间 \"年-月-日 时:分\"" in refused.stderr
    clock(cli, "out", "wangqiang", "2026-10-10 21:00", "--no-handover", "--reason", "补记")


def test_the_detail_flags_an_unrostered_duty_left_open_over_a_day(cli, workspace, clock):
    """`attendance --detail` says of a duty with no shift, open more than a day, what the
    reports say: not clocked out (review: the detail's rule was a copy that left it out)."""
    october_site(workspace.root)
    clock.set("2026-10-12T09:00:00+08:00")
    clocked = cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-10 09:00")
    assert clocked.exit_code == 0, clocked.stderr  # 王强 has no shift that day
    detail = json.loads(cli("attendance", "--month", "2026-10", "--staff", "wangqiang",
                            "--detail", "-f", "json").stdout)
    (row,) = [row for row in detail if row["result"] == "unrostered"]
    assert row["no_clock_out"] is True, row


def test_a_clock_out_before_its_clock_in_counts_no_negative_hours(slots):
    """A duty file another desk edited by hand, its clock-out before its clock-in (`check`
    names that step): the person's hours are the other duties' alone, never less."""
    sessions = [*october_sessions(),
                DutySession("z", "wangqiang", at("2026-10-08 10:00"), at("2026-10-08 06:00"))]
    report = core.attendance_report(slots, sessions, first=date(2026, 10, 1),
                                    last=date(2026, 10, 31), tz=TZ, grace=GRACE, window=WINDOW,
                                    now=LATER)
    wang = {person.staff: person for person in report.people}["wangqiang"]
    assert wang.worked == timedelta(hours=4)


def test_attendance_counts_each_persons_on_call_duties(cli, workspace, clock):
    """A standby allowance is paid per night on call at home: attendance counted the
    call-outs (the nights someone was called in) but not the nights rostered on call."""
    import json

    clock.set("2026-11-05T09:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-10").exit_code in (0, 1)
    roster = json.loads(cli("roster", "show", "--month", "2026-10", "-f", "json").stdout)
    on_call = [place for place in roster if place["on_call"] and place["staff"]]
    assert on_call  # the template rosters a technician on call every night
    rows = json.loads(cli("attendance", "--month", "2026-10", "-f", "json").stdout)
    counted = {row["staff"]: row["on_call_duties"] for row in rows if row["on_call_duties"]}
    expected: dict = {}
    for place in on_call:
        expected[place["staff"]] = expected.get(place["staff"], 0) + 1
    assert counted == expected and sum(counted.values()) == 31
    (one,) = json.loads(cli("attendance", "--month", "2026-10", "--staff",
                            next(iter(expected)), "-f", "json").stdout)
    assert one["on_call_duties"] == expected[next(iter(expected))]


def test_a_handover_written_after_the_next_shift_began_goes_to_that_shift():
    """The night clerk writes the handover at 08:22, the day clerk (08:00) late: it went to
    the 08:30 office clerk, nearer the moment, and the day clerk's `handover accept` found
    nothing waiting for her."""
    from types import SimpleNamespace

    def slot(staff, shift, start, end, day="2026-11-24"):
        return SimpleNamespace(staff=staff, shift_id=shift, role="service", on_call=False,
                               date=date.fromisoformat(day), start=at(start), end=at(end))

    night = slot("zhangwei", "night", "2026-11-23 20:00", "2026-11-24 08:00", "2026-11-23")
    slots = [night, slot("chenjing", "day", "2026-11-24 08:00", "2026-11-24 20:00"),
             slot("zhaolei", "office", "2026-11-24 08:30", "2026-11-24 17:30")]
    for written in ("2026-11-24 07:50", "2026-11-24 08:22", "2026-11-24 08:40"):
        relief = core.relief_slots(slots, "zhangwei", since=at("2026-11-23 19:50"),
                                   at=at(written), window=WINDOW, own_slot=night)
        assert [s.staff for s in relief] == ["chenjing", "zhaolei"], written


def test_a_column_the_terminal_has_no_room_for_is_said(cli, workspace):
    """孙丽's 9.6 h cover was in no column at 100 columns: 未排班 was left out, unsaid."""
    october_site(workspace.root)
    clock(cli, "in", "wangqiang", "2026-10-12 10:30")
    clock(cli, "out", "wangqiang", "2026-10-12 20:05")

    def table(width: int):
        return cli("--lang", "zh_CN", "考勤", "--月份", "2026-10", env={"COLUMNS": str(width)})

    narrow, wide = table(60), table(200)
    assert "未排班" not in narrow.stdout.splitlines()[0] and "未排班" in wide.stdout.splitlines()[0]
    assert narrow.stderr.strip() == "屏幕太窄，未显示：未排班（把窗口拉宽，或用 -f csv、-f xlsx 可看到）"
    assert "屏幕太窄" not in wide.stdout + wide.stderr


CHAIN = [("2026-10-05", "day", "zhangwei"), ("2026-10-05", "night", "zhangwei"),
         ("2026-10-06", "day", "sunli")]


def write_chain_roster(root, rows=CHAIN) -> None:
    """The roster of 10-05..10-06 (`CHAIN`, or `rows`: (date, shift, staff), all service)."""
    write_roster(root, "2026-10-05", "2026-10-06", rows, name="2026-10-05_2026-10-06")


@pytest.fixture
def back_to_back(workspace):
    """张伟 rostered for 10-05's day and its night (连班), 孙丽 for 10-06's day."""
    from tests.helpers_desk import write_desk_rules

    write_desk_rules(workspace.root)
    write_chain_roster(workspace.root)
    return slots_between(workspace, at("2026-10-04 00:00"), at("2026-10-08 00:00"))


def chained_report(slots, now):
    duty = DutySession("x", "zhangwei", at("2026-10-05 07:55"))  # never clocked out
    report = core.attendance_report(slots, [duty], first=date(2026, 10, 5),
                                    last=date(2026, 10, 5), tz=TZ, grace=GRACE, window=WINDOW,
                                    now=now)
    mine = [outcome for outcome in report.outcomes if outcome.slot.staff == "zhangwei"]
    (person,) = [person for person in report.people if person.staff == "zhangwei"]
    return report, mine, person, core.still_open(report)


def test_a_duty_open_since_the_day_shift_is_on_duty_through_the_night_after_it(back_to_back):
    """连班 on one clock-in, still open at 23:00: `who` has him on duty; attendance had the
    day's clock-out forgotten, the night absent and no hours. The one chain
    (`attended_slots` at the moment): both shifts attended, on duty, hours so far."""
    report, (day, night), person, open_ = chained_report(back_to_back, at("2026-10-05 23:00"))
    assert [(o.result, o.on_duty) for o in (day, night)] == [(core.ON_TIME, True)] * 2
    assert not day.forgotten and not night.forgotten
    assert (person.attended, person.absent, person.late) == (2, 0, 0)
    assert open_.clock_outs_forgotten("zhangwei") == 0 and open_.on_duty("zhangwei") == 1
    assert open_.worked(person) == timedelta(hours=15, minutes=5)
    # the night after the clock-out window of the day's end, before it: the same
    _, (day, night), person, open_ = chained_report(back_to_back, at("2026-10-05 20:30"))
    assert (person.attended, person.absent, open_.on_duty("zhangwei")) == (2, 0, 1)


def test_the_chained_duty_s_clock_out_is_forgotten_after_the_night_s_end(back_to_back):
    """Still open at 10:30 the next morning: the night's clock-out is forgotten (its end and
    the window are past), no hours; the day shift stays attended, not a forgotten one too."""
    moment = at("2026-10-06 10:30")
    report, (day, night), person, open_ = chained_report(back_to_back, moment)
    assert (day.result, night.result) == (core.ON_TIME, core.ON_TIME)
    assert [o.slot for o in report.outcomes if o.forgotten] == [night.slot]
    assert (person.attended, person.absent) == (2, 0)
    assert open_.clock_outs_forgotten("zhangwei") == 1 and open_.on_duty("zhangwei") == 0
    assert open_.worked(person) == timedelta(0)


def test_a_duty_left_open_over_a_gap_does_not_attend_the_shift_after_it(workspace):
    """张伟 went home after the 08:00-17:30 office day without clocking out and never came
    to the 20:00 night: the night is absent and the day's clock-out forgotten, as before."""
    from tests.helpers_desk import write_desk_rules

    write_desk_rules(workspace.root)
    rules = workspace.rosters_dir / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "shifts:\n", 'shifts:\n  - {id: office, name: 行政班, start: "08:00", end: "17:30", '
        "days: daily, need: {service: 1}}\n"), encoding="utf-8")
    write_chain_roster(workspace.root, [("2026-10-05", "office", "zhangwei"), *CHAIN[1:]])
    slots = slots_between(workspace, at("2026-10-04 00:00"), at("2026-10-08 00:00"))
    moment = at("2026-10-05 23:00")
    report, (office, night), person, open_ = chained_report(slots, moment)
    assert (office.slot.shift_id, office.result, night.result) == ("office", core.ON_TIME,
                                                                   core.ABSENT)
    assert [o.slot for o in report.outcomes if o.forgotten] == [office.slot]
    assert (open_.clock_outs_forgotten("zhangwei"), open_.on_duty("zhangwei"),
            open_.worked(person)) == (1, 0, timedelta(0))


def test_attendance_and_the_reports_agree_with_who_on_a_day_and_night_on_one_clock_in(
        cli, workspace, back_to_back, request):
    """At 23:00 `who` had 张伟 on duty (连班 on his 07:55 clock-in) while `attendance` and
    the daily and monthly reports said his day's clock-out forgotten, his night absent and
    0 hours: all now say on duty, both shifts attended, 15.08 hours so far."""
    from tests.test_period_end_shifts import assert_agree, people

    clock_at = request.getfixturevalue("clock")
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    clock_at.set("2026-10-05T23:00:00+08:00")
    who = json.loads(cli("who", "-f", "json").stdout)["on_duty"]
    assert [(row["staff"], row["clocked_in"]) for row in who] == [("zhangwei", True)]
    listed = json.loads(cli("attendance", "--month", "2026-10", "-f", "json").stdout)
    (mine,) = [row for row in listed if row["staff"] == "zhangwei"]
    assert (mine["attended"], mine["absent"], mine["on_duty"], mine["open"],
            mine["hours_worked"]) == (2, 0, 1, 0, 15.08)
    rows = json.loads(cli("attendance", "--month", "2026-10", "--detail", "-f", "json").stdout)
    assert [(row["result"], row["on_duty"], row["no_clock_out"]) for row in rows
            if row["staff"] == "zhangwei"] == [("on-time", True, False)] * 2
    monthly = json.loads(cli("report", "monthly", "--month", "2026-10", "-f",
                             "json").stdout)["attendance"]
    assert_agree(monthly, listed)
    daily = people(json.loads(cli("report", "daily", "--date", "2026-10-05", "-f",
                                  "json").stdout)["attendance"])["zhangwei"]
    assert (daily["attended"], daily["absent"], daily["on_duty"], daily["not_clocked_out"],
            daily["hours_worked"]) == (2, 0, 1, 0, 15.08)


def test_the_desk_asks_the_chain_over_the_shifts_it_ran_through(cli, workspace, back_to_back,
                                                                 request):
    """`who`, a clock-in, a call-out and `clock status` were given the roster's slots of the
    moment alone: on a day, night and next day on one clock-in `who` lost 张伟 the next
    morning (the night between missing from the chain), a clock-in during the night told
    him to clock out at the day's end (cutting off the night he was working), and a call-out
    was filed for him on site. They read the roster back over the shifts a duty may have
    run through (`rostered.chain_slots`)."""
    write_chain_roster(workspace.root, [*CHAIN[:2], ("2026-10-06", "day", "zhangwei")])
    clock_at = request.getfixturevalue("clock")
    clock(cli, "in", "zhangwei", "2026-10-05 07:55")
    clock_at.set("2026-10-06T10:00:00+08:00")  # into the third shift, 26 hours on
    who = json.loads(cli("who", "-f", "json").stdout)["on_duty"]
    assert [(row["staff"], row["clocked_in"]) for row in who] == [("zhangwei", True)]
    (status,) = json.loads(cli("clock", "status", "-f", "json").stdout)
    assert status["left_open"] is False
    # list and show judge it by the same chain (they said 未签退 past the day shift)
    (listed,) = json.loads(cli("list", "--kind", "duty", "--open", "-f", "json").stdout)
    assert listed["status"] == "on-duty", listed
    shown = cli("--lang", "zh_CN", "查看", listed["id"])
    assert "在岗" in shown.stdout and "未签退" not in shown.stdout, shown.stdout
    assert json.loads(cli("list", "--status", "not-clocked-out", "-f", "json").stdout) == []
    clock_at.set("2026-10-06T22:30:00+08:00")  # the third shift over by the window: forgotten
    (listed,) = json.loads(cli("list", "--kind", "duty", "--open", "-f", "json").stdout)
    assert listed["status"] == "not-clocked-out", listed
    clock_at.set("2026-10-05T23:00:00+08:00")
    again = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 23:00")
    assert again.exit_code == 2 and "already clocked in" in again.stderr, again.stderr
    assert "Clock it out at its end first" not in again.stderr, again.stderr
    called = cli("callout", "start", "zhangwei", "--note", "停电", "--at", "2026-10-05 23:00")
    assert called.exit_code != 0 and "is on duty since" in called.stderr, called.stderr


def test_an_unrostered_duty_run_into_a_shift_is_judged_alike_everywhere(cli, workspace,
                                                                        back_to_back, request):
    """孙丽 clocked in at 23:00 on no shift of hers and ran into her 10-06 day shift: at
    22:30 that shift is over by the window, so `clock status`, `who` and attendance say her
    clock-out forgotten; `list` gave an unrostered duty its day and said 在岗 till 23:00, and
    `show -f json` said the stored status whatever the moment."""
    clock_at = request.getfixturevalue("clock")
    clock(cli, "in", "sunli", "2026-10-05 23:00")
    clock_at.set("2026-10-06T22:30:00+08:00")
    (status,) = json.loads(cli("clock", "status", "-f", "json").stdout)
    assert status["left_open"] is True
    (listed,) = json.loads(cli("list", "--kind", "duty", "--open", "-f", "json").stdout)
    assert listed["status"] == "not-clocked-out", listed
    assert json.loads(cli("show", listed["id"], "-f", "json").stdout)["status"] == \
        "not-clocked-out"
    clock_at.set("2026-10-06T12:00:00+08:00")  # on her shift: on duty in every format
    assert json.loads(cli("show", listed["id"], "-f", "json").stdout)["status"] == "on-duty"


def test_a_dispatch_goes_on_past_a_broken_roster_of_the_days_before(cli, workspace, clock):
    """The dispatch reads the roster back over the shifts a duty ran through: a September
    file broken after its month was over stopped every dispatch of 1-2 October (exit 2),
    where the moment's roster alone had sent the technician on site."""
    from dutyctl.records import assignee
    from tests.helpers_desk import ok, write_desk_rules, write_roster

    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [("2026-10-02", "day", "zhangwei"),
                  ("2026-10-02", "day", "wangqiang", "technician")])
    (workspace.rosters_dir / "2026-09.yaml").write_text("period: [\n", encoding="utf-8")
    clock.set("2026-10-02T07:50:00+08:00")
    ok(cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-02 07:50"))
    clock.set("2026-10-02T12:00:00+08:00")
    repair = ok(cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                    "13900001111", "--content", "卫生间天花板漏水", "--at",
                    "2026-10-02 11:50")).stdout.strip()
    sent = cli("repair", "dispatch", repair)
    assert sent.exit_code == 0, sent.stderr
    assert assignee(workspace.store.get(repair)) == "wangqiang"
