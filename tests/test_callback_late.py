"""A callback made after the time promised to the resident says so at once, in one line
(how late, counted as the promise is: calendar time), and reports count it late; one made in
time says what it always said."""

from __future__ import annotations

import json

from tests.helpers_desk import ok_text as ok

ZH = ("--lang", "zh_CN")
CALLER = ("--姓名", "王五", "--房号", "3-2-501", "--电话", "13800002222")


def promised(cli, summary: str) -> str:
    return ok(cli(*ZH, "来电", *CALLER, "--摘要", summary, "--回电期限", "2026-11-20 15:00",
                  "--时间", "2026-11-20 13:00")).splitlines()[0]


def test_a_late_callback_says_how_late_and_counts_late(cli, clock):
    clock.set("2026-11-22T09:00:00+08:00")
    in_time, late, days_late = (promised(cli, "咨询物业费"), promised(cli, "咨询停车"),
                                promised(cli, "咨询装修"))
    said = ok(cli(*ZH, "回电", "已回电", in_time, "--结果", "已告知", "--时间",
                  "2026-11-20 14:50"))
    assert said == f"{in_time[:12]} 已记录回电，当前状态：已回电"
    said = ok(cli(*ZH, "回电", "已回电", late, "--结果", "已告知", "--时间", "2026-11-20 17:30"))
    assert said == (f"{late[:12]} 已记录回电，比答应住户的 2026-11-20 15:00 晚了 2小时30分，"
                    "计为超时回电")
    said = ok(cli("callback", "done", days_late, "--result", "told", "--at",
                  "2026-11-21 17:10"))
    assert said == (f"{days_late[:12]}: callback recorded 1d2h after the time promised to the "
                    "resident (2026-11-20 15:00): it counts as late")
    report = json.loads(ok(cli("report", "daily", "--date", "2026-11-20", "--format", "json")))
    callbacks = report["calls"]["callbacks"]
    assert (callbacks["promised"], callbacks["kept"], callbacks["late"]) == (3, 1, 1), callbacks
    shown = json.loads(ok(cli("show", late, "--format", "json")))
    assert [row["state"] for row in shown["deadlines"]] == ["missed"]
