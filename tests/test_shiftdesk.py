"""The shift desk's workflows in the core (dutyctl.desk.shiftdesk), called directly: clock out
with its handover rule, the written handover with its callbacks, the acceptance, and the
warnings said on dutyctl.notices."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dutyctl import notices
from dutyctl.desk import clocking
from dutyctl.desk.shiftdesk import ShiftDesk
from dutyctl.errors import InputError, NotFound, Refused
from dutyctl.kinds.call import log_call
from dutyctl.tickets.deadlines import waiting_callbacks
from dutyctl.tickets.lifecycle import callback_done
from tests.helpers_desk import october_site, record_files

CST = timezone(timedelta(hours=8))
RESIDENT = {"name": "张三", "room": "3-2-501", "phone": "13812345678"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-10-05T{text}:00").replace(tzinfo=CST)


@pytest.fixture
def desk(workspace):
    october_site(workspace.root)  # 10-05: zhangwei 08:00-20:00, then lina 20:00-08:00
    return ShiftDesk(workspace)


def clocked_in(desk, staff="zhangwei", when="07:55"):
    record, _ = clocking.clock_in(desk.workspace, staff, at(when))
    return record


def heard():
    said = []
    return said, notices.listening(lambda notice: said.append(notice.text))


def test_leaving_when_someone_takes_over_needs_a_handover_or_a_reason(desk):
    clocked_in(desk)
    plan = desk.plan_clock_out("zhangwei", at("20:05"))
    assert plan.needs_handover and plan.successors == ["lina"]
    before = record_files(desk.workspace.root)
    with pytest.raises(InputError) as refused:
        desk.clock_out(plan)
    assert "takes over" in str(refused.value)
    assert "pass no-handover reason TEXT" in str(refused.value)  # values, not flags
    named = str(refused.value.naming(lambda value: f"<{value}>"))
    assert "pass <no_handover> <reason> TEXT" in named and "李娜" in named
    assert record_files(desk.workspace.root) == before  # nothing written

    with pytest.raises(InputError, match="needs at least one incoming person"):
        desk.clock_out(plan, handover_to=[])  # a handover to nobody is no handover
    assert record_files(desk.workspace.root) == before

    done = desk.clock_out(plan, no_handover_reason="交接人未到")
    assert done.handover is None
    event = done.duty.events[-1]
    assert event.action == "clock-out" and event.data["no_handover_reason"] == "交接人未到"
    assert done.paths == [event.path]
    assert clocking.open_duty(desk.store, "zhangwei") is None


def test_clock_out_writes_the_handover_first_and_links_it(desk):
    clocked_in(desk)
    plan = desk.plan_clock_out("zhangwei", at("20:05"))
    done = desk.clock_out(plan, handover_to=["lina"], notes=["钥匙在抽屉", " "])
    assert done.handover.get("from") == "zhangwei" and done.handover.get("to") == ["lina"]
    assert done.handover.get("duty") == done.duty.id
    assert done.handover.get("notes") == ["钥匙在抽屉"]
    assert done.duty.events[-1].data["handover"] == done.handover.id
    assert done.paths == [done.handover.path, done.duty.events[-1].path]


def test_clock_out_hands_over_with_the_duty_it_has(desk, monkeypatch):
    clocked_in(desk)
    plan = desk.plan_clock_out("zhangwei", at("20:05"))
    looked_up = []
    monkeypatch.setattr(clocking, "open_duty", lambda *args: looked_up.append(args))
    done = desk.clock_out(plan, handover_to=["lina"])
    assert looked_up == []  # the plan's duty, not a second look at the store
    assert done.handover.get("duty") == plan.duty.id


def test_the_handover_command_looks_the_duty_up_once(cli, desk, monkeypatch):
    clocked_in(desk)
    looked_up = []
    real = clocking.open_duty
    monkeypatch.setattr(clocking, "open_duty",
                        lambda *args: looked_up.append(args[1]) or real(*args))
    result = cli("handover", "--staff", "zhangwei", "--at", "2026-10-05 19:50")
    assert result.exit_code == 0, result.stderr
    assert looked_up == ["zhangwei"]
    (written,) = [word for word in result.stdout.split() if len(word) == 26]
    assert desk.store.get(written).get("to") == ["lina"]  # rostered next, found once


def test_a_clock_out_event_declares_its_data(desk):
    from dutyctl.records import parse_event

    clocked_in(desk)
    event = desk.clock_out(desk.plan_clock_out("zhangwei", at("19:00")),
                           no_handover_reason="交接人未到").duty.events[-1]
    data = {"id": event.id, "record": event.record_id, "schema": 1,
            "at": "2026-10-05T19:00:00+08:00", "by": "zhangwei", "action": "clock-out",
            **event.data}
    assert parse_event(data, "e.yaml", []) is not None  # what clock out writes is read back
    for bad in ({"left_early_minutes": "一小时"}, {"slot_end": "tonight"},
                {"handover": ["x"]}, {"left_early": 60}):
        problems = []
        assert parse_event({**data, **bad}, "e.yaml", problems) is None, bad
        assert [problem.message for problem in problems if next(iter(bad)) in problem.message]


def test_a_handover_written_during_the_duty_meets_the_rule(desk):
    clocked_in(desk)
    written = desk.write_handover("zhangwei", ["lina"], [], at("19:50")).record
    plan = desk.plan_clock_out("zhangwei", at("20:05"))
    assert not plan.needs_handover and plan.handover.id == written.id
    done = desk.clock_out(plan)
    assert done.duty.events[-1].data["handover"] == written.id and done.handover is None


def test_nobody_taking_over_needs_no_handover(desk):
    clocked_in(desk, "sunli", "23:00")  # not rostered: nobody relieves her
    plan = desk.plan_clock_out("sunli", at("23:30"))
    assert not plan.needs_handover
    assert "handover" not in desk.clock_out(plan).duty.events[-1].data


def test_clock_out_refusals_before_anything_is_written(desk):
    with pytest.raises(Refused, match=r"张伟 is not clocked in"):
        desk.plan_clock_out("zhangwei", at("20:00"))
    clocked_in(desk)
    with pytest.raises(InputError, match="before the clock-in 2026-10-05 07:55"):
        desk.plan_clock_out("zhangwei", at("07:00"))


def test_the_handover_carries_exactly_the_callbacks_the_one_query_finds(desk):
    store, config = desk.store, desk.config
    waiting = log_call(store, config, resident=RESIDENT, category=None, summary="物业费发票",
                       callback_by=at("18:00"), at=at("11:00"), by="zhangwei")
    sooner = log_call(store, config, resident=RESIDENT, category=None, summary="门禁卡",
                      callback_by=at("15:00"), at=at("11:30"), by="zhangwei")
    called = log_call(store, config, resident=RESIDENT, category=None, summary="停车",
                      callback_by=at("16:00"), at=at("12:00"), by="zhangwei")
    callback_done(store, called, "已告知", at=at("13:00"), by="zhangwei")
    log_call(store, config, resident=RESIDENT, category=None, summary="咨询", at=at("12:30"),
             by="zhangwei")  # no callback promised

    def callbacks_carried(when):
        record = desk.write_handover("zhangwei", ["lina"], [], at(when)).record
        calls = [(item["record"], item["due"]) for item in record.get("items")
                 if item["kind"] == "call"]
        found, _ = waiting_callbacks(store, at(when))
        assert calls == [(call.id, deadline.due.isoformat()) for call, deadline in found]
        return [call for call, _ in calls]

    assert callbacks_carried("19:00") == [sooner.id, waiting.id]  # soonest due first
    # as it stood at 12:45 (written with an earlier moment): the 13:00 callback still owed
    assert callbacks_carried("12:45") == [sooner.id, called.id, waiting.id]


def test_accepting_checks_first_then_signs_and_may_clock_in(desk):
    clocked_in(desk)
    written = desk.write_handover("zhangwei", ["lina", "sunli"], [], at("19:50")).record
    with pytest.raises(Refused, match=r"not 王强"):
        desk.acceptance("wangqiang", at("20:00"), written.short_id)
    with pytest.raises(NotFound, match=r"no handover waits for 王强"):
        desk.acceptance("wangqiang", at("20:00"))

    acceptance = desk.acceptance("lina", at("19:58"))  # the only one waiting for her
    assert acceptance.handover.id == written.id and acceptance.on_duty is None
    done = desk.accept(acceptance, clock_in=True)
    assert done.duty.get("staff") == "lina" and done.verdict.verdict == "on-time"
    assert done.handover.events[-1].data == {"duty": done.duty.id}
    assert done.paths == [done.duty.path, done.handover.events[-1].path]

    for_her = desk.acceptance("zhangwei", at("20:01"), written.id, instead_of="孙丽")
    assert for_her.instead_of == "sunli" and for_her.on_duty is not None
    said, listening = heard()
    with listening:
        signed = desk.accept(for_her, clock_in=True)  # on duty already: said, not clocked in
    assert signed.duty is None and signed.handover.status == "accepted"
    assert said == ["张伟 is on duty since 2026-10-05 07:55: not clocked in again"]


def test_accepting_with_clock_in_clocks_in_through_the_desk(desk, monkeypatch):
    clocked_in(desk)
    desk.write_handover("zhangwei", ["lina"], [], at("19:50"))
    through_the_desk = []
    real = desk.clock_in
    monkeypatch.setattr(desk, "clock_in", lambda staff, when, note=None: (
        through_the_desk.append((staff, when)) or real(staff, when, note)))
    done = desk.accept(desk.acceptance("lina", at("19:58")), clock_in=True)
    assert through_the_desk == [("lina", at("19:58"))]
    assert done.handover.events[-1].data == {"duty": done.duty.id}
    assert done.verdict.verdict == "on-time"


def test_the_signature_rechecks_with_names_and_local_times(desk):
    from dutyctl.desk import handover

    clocked_in(desk)
    written = desk.write_handover("zhangwei", ["lina"], [], at("19:50")).record
    acceptance = desk.acceptance("lina", at("19:58"))
    desk.accept(acceptance)  # another desk signs first: the acceptance checked is stale now
    with pytest.raises(Refused) as refused:
        handover.accept_handover(desk.store, desk.store.get(written.id), by="lina",
                                 at=at("19:59"), names=desk.names)
    assert str(refused.value) == (f"李娜 already accepted handover {written.short_id} "
                                  "(at 2026-10-05 19:58): each person accepts once")
    with pytest.raises(Refused, match=r"is for 李娜, not 孙丽"):
        handover.accept_handover(desk.store, written, by="sunli", at=at("19:59"),
                                 names=desk.names)


def test_a_broken_roster_is_said_on_the_notices_channel(desk):
    (desk.workspace.root / "rosters" / "rules.yaml").write_text("shifts: [", encoding="utf-8")
    said, listening = heard()
    with listening:
        clocked_in(desk)
        plan = desk.plan_clock_out("zhangwei", at("20:05"))
    assert not plan.needs_handover and not plan.verdict.known
    assert len(said) == 2 and all(text.startswith("roster rules unreadable, not compared with the roster: ")
                                  for text in said)


def test_clock_in_starts_the_duty_and_names_the_handovers_waiting(desk):
    clocked_in(desk)
    written = desk.write_handover("zhangwei", ["lina"], [], at("19:50")).record
    done = desk.clock_in("lina", at("19:55"), note="提前到岗")
    assert done.duty.get("staff") == "lina" and done.duty.get("note") == "提前到岗"
    assert done.verdict.verdict == "on-time" and done.verdict.slot is not None
    assert [record.id for record in done.waiting] == [written.id]
    assert done.paths == [done.duty.path]
    assert clocking.open_duty(desk.store, "lina").id == done.duty.id

    before = record_files(desk.workspace.root)
    with pytest.raises(Refused, match=r"李娜 is already clocked in since 2026-10-05 19:55"):
        desk.clock_in("lina", at("20:10"))
    assert record_files(desk.workspace.root) == before  # nothing written
    assert desk.clock_in("sunli", at("23:00")).waiting == ()  # nothing waits for her


def test_the_handover_goes_to_the_people_chosen_else_the_next_shift(desk):
    assert desk.recipients("zhangwei", at("19:45")) == ["lina"]  # rostered next
    assert desk.recipients("zhangwei", at("19:45"), ["sunli", "wangqiang"]) == [
        "sunli", "wangqiang"]
    after_the_roster = datetime(2026, 11, 15, 10, 0, tzinfo=CST)
    with pytest.raises(InputError) as refused:
        desk.recipients("zhangwei", after_the_roster)  # nobody rostered next
    assert str(refused.value) == ("nobody is rostered on the next shift: name the incoming "
                                  "people with to STAFF")  # the value, not the flag
    named = str(refused.value.naming(lambda value: f"<{value}>"))
    assert named.endswith("with <to> STAFF")
    with pytest.raises(InputError, match="nobody is rostered"):
        desk.recipients("zhangwei", at("19:45"), [])  # chosen: nobody
