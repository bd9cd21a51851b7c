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
    assert "pass <no_handover> <reason> TEXT" in named and "李娜 (lina)" in named
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


def test_a_handover_written_during_the_duty_meets_the_rule(desk):
    clocked_in(desk)
    written = desk.write_handover("zhangwei", ["lina"], [], at("19:50"))
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
    with pytest.raises(Refused, match="zhangwei is not clocked in"):
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
        record = desk.write_handover("zhangwei", ["lina"], [], at(when))
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
    written = desk.write_handover("zhangwei", ["lina", "sunli"], [], at("19:50"))
    with pytest.raises(Refused, match=r"not 王强 \(wangqiang\)"):
        desk.acceptance("wangqiang", at("20:00"), written.short_id)
    with pytest.raises(NotFound, match="no handover waits for wangqiang"):
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
    assert said == ["zhangwei is on duty since 2026-10-05 07:55: not clocked in again"]


def test_a_broken_roster_is_said_on_the_notices_channel(desk):
    (desk.workspace.root / "rosters" / "rules.yaml").write_text("shifts: [", encoding="utf-8")
    said, listening = heard()
    with listening:
        clocked_in(desk)
        plan = desk.plan_clock_out("zhangwei", at("20:05"))
    assert not plan.needs_handover and not plan.verdict.known
    assert len(said) == 2 and all(text.startswith("roster unreadable, not compared with it: ")
                                  for text in said)


def test_clock_in_starts_the_duty_and_names_the_handovers_waiting(desk):
    clocked_in(desk)
    written = desk.write_handover("zhangwei", ["lina"], [], at("19:50"))
    done = desk.clock_in("lina", at("19:55"), note="提前到岗")
    assert done.duty.get("staff") == "lina" and done.duty.get("note") == "提前到岗"
    assert done.verdict.verdict == "on-time" and done.verdict.slot is not None
    assert [record.id for record in done.waiting] == [written.id]
    assert done.paths == [done.duty.path]
    assert clocking.open_duty(desk.store, "lina").id == done.duty.id

    before = record_files(desk.workspace.root)
    with pytest.raises(Refused, match="lina is already clocked in since 2026-10-05 19:55"):
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
