"""The one callbacks question (tickets.deadlines.waiting_callbacks), asked of the core directly."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dutyctl.kinds.call import log_call
from dutyctl.tickets import lifecycle
from dutyctl.tickets.deadlines import waiting_callbacks

CST = timezone(timedelta(hours=8))
RESIDENT = {"name": "张三", "room": "3-2-501", "phone": "13812345678"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def test_waiting_callbacks_earliest_promise_first_due_only_and_as_it_stood(workspace):
    store, config = workspace.store, workspace.config

    def call(filed, due):
        return log_call(store, config, resident=RESIDENT, category=None, summary="物业费",
                        callback_by=at(due), at=at(filed), by="zhangwei")

    late = call("2026-10-05 09:00", "2026-10-05 18:00")
    soon = call("2026-10-05 09:10", "2026-10-05 11:00")
    made = call("2026-10-05 09:20", "2026-10-05 12:00")
    lifecycle.callback_done(store, made, "已回电", at=at("2026-10-05 10:30"), by="zhangwei")
    never = log_call(store, config, resident=RESIDENT, category=None, summary="咨询",
                     at=at("2026-10-05 09:30"), by="zhangwei")

    def ids(moment, **options):
        waiting, problems = waiting_callbacks(store, at(moment), **options)
        assert problems == []
        return [record.id for record, _ in waiting]

    assert ids("2026-10-05 12:00") == [soon.id, late.id]
    assert ids("2026-10-05 12:00", due_only=True) == [soon.id]
    # before the callback was made, the made one still waited
    assert ids("2026-10-05 10:00", as_it_stood=True) == [soon.id, made.id, late.id]
    assert never.id not in ids("2026-10-05 12:00")


def test_a_callback_promised_for_the_wrong_morning_is_put_right(cli, workspace, clock):
    """`--callback-by 明天上午` written at 04:50 is the next day's morning; the clerk meant this
    morning and could only void the call and log it again. `callback reschedule` puts the
    time right while it waits: the callback is due then, everywhere."""
    import json

    clock.set("2026-10-12T04:55:00+08:00")
    from tests.helpers_foundation import call_flags

    logged = cli(*call_flags("赵六", "4-2-201", "13900000011", "问停车位", "--callback-by",
                             "明天上午", "--at", "2026-10-12 04:50"))
    call = logged.stdout.strip()
    assert logged.exit_code == 0 and call, logged.stderr
    moved = cli("--lang", "zh_CN", "回电", "改期", call, "--by", "10月12日上午", "--note",
                "住户说今天上午")
    assert moved.exit_code == 0, moved.stderr
    assert moved.stdout.strip() == f"{call[:12]}：回电时限改为 2026-10-12 12:00"
    shown = json.loads(cli("show", call, "-f", "json").stdout)
    assert shown["deadlines"][0]["due"].startswith("2026-10-12T12:00")
    assert shown["history"][-1]["action"] == "reschedule"
    listed = json.loads(cli("callback", "list", "-f", "json").stdout)
    assert [row["callback_by"] for row in listed][0].startswith("2026-10-12T12:00")
    past = cli("callback", "reschedule", call, "--by", "2026-10-12 04:00")
    assert past.exit_code == 2  # not after the moment it is said
    assert cli("callback", "done", call, "--result", "已告知").exit_code == 0
    done = cli("callback", "reschedule", call, "--by", "2026-10-12 18:00")
    assert done.exit_code == 2  # made already: nothing to put right
