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
