"""Refused ticket steps speak the desk's words: kinds, statuses and actions by their labels and
times as the desk writes them (2026-10-12 09:00), never ids or ISO timestamps."""

from __future__ import annotations

import re

from tests.helpers_desk import ok_text as ok
from tests.test_tickets_cli import RESIDENT, file_complaint, file_repair, refused

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
ZH = ("--lang", "zh_CN")


def test_eta_refusal_shows_local_times(cli, workspace):
    repair = file_repair(cli, "水龙头滴水", "2026-10-12 09:00")
    refused(cli, workspace.root, "repair", "eta", repair, "--by", "2026-10-12 08:00",
            "--at", "2026-10-12 10:00",
            says="--by 2026-10-12 08:00 is not after the moment it was told (2026-10-12 10:00)")
    refused(cli, workspace.root, *ZH, "repair", "eta", repair, "--by", "2026-10-12 08:00",
            "--at", "2026-10-12 10:00",
            says="--by 2026-10-12 08:00 不晚于告知住户的时间（2026-10-12 10:00）")


def test_event_before_the_record_or_its_last_step_shows_local_times(cli, workspace):
    repair = file_repair(cli, "水龙头滴水", "2026-10-12 09:00")
    root = workspace.root
    refused(cli, root, *ZH, "repair", "dispatch", repair, "--to", "liuyang",
            "--at", "2026-10-12 08:00", says="登记于 2026-10-12 09:00：处理步骤不能早于登记时间")
    ok(cli("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-10-12 10:00"))
    refused(cli, root, "repair", "arrive", repair, "--at", "2026-10-12 09:30",
            says="already has a later event (dispatch at 2026-10-12 10:00)")
    refused(cli, root, *ZH, "repair", "arrive", repair, "--at", "2026-10-12 09:30",
            says="已有更晚的处理步骤（2026-10-12 10:00 的 派工）")


def test_wrong_kind_and_wrong_state_name_labels_not_ids(cli, workspace):
    repair = file_repair(cli, "水龙头滴水", "2026-10-12 09:00")
    complaint = file_complaint(cli, "楼上装修噪音扰民", "2026-10-12 09:00")
    root = workspace.root
    refused(cli, root, *ZH, "complaint", "resolve", repair, "--result", "x",
            "--at", "2026-10-12 10:00", says="是报修，不是投诉")
    refused(cli, root, *ZH, "repair", "eta", complaint, "--by", "2026-10-12 12:00",
            "--at", "2026-10-12 10:00", says="是投诉，不是报修")
    refused(cli, root, *ZH, "repair", "arrive", repair, "--at", "2026-10-12 10:00",
            says=f"报修 {repair[:12]} 当前为 待派工：只有在 已派工 状态下才能记录“到场”")
    result = cli(*ZH, "repair", "visit", repair, "--satisfaction", "5",
                 "--at", "2026-10-12 10:00")
    assert result.exit_code == 2
    assert not re.search(r"[A-Za-z]{3,}", result.stderr.replace(repair[:12], "")), result.stderr


def test_callback_promise_refusal_shows_local_times(cli, workspace):
    result = cli(*ZH, "log", "call", *RESIDENT, "--summary", "物业费发票",
                 "--callback-by", "2026-10-12 08:00", "--at", "2026-10-12 09:00")
    assert result.exit_code == 2
    assert "--callback-by 2026-10-12 08:00 不晚于来电时间（2026-10-12 09:00）" in result.stderr
    assert not ISO.search(result.stderr)

