"""Every refusal that names a step to take first ("first resolve: dutyctl complaint resolve ID
--result ...") names a command line that runs: the options that command needs are in it, and
with its `...` filled in it is accepted."""

from __future__ import annotations

import re

import pytest

from tests.helpers_desk import RULES, write_roster

ROOM = ["--name", "张三", "--room", "3-2-501", "--phone", "13812345678"]
STEPS = {
    "complaint": {"handle": ["--action", "已处理"],
                  "transfer": ["--to", "engineering", "--reason", "属工程部", "--told-resident",
                               "已告知转工程部"],
                  "resolve": ["--result", "已解决"], "visit": ["--satisfaction", "5"],
                  "hold": ["--reason", "等业主回复"], "resume": [],
                  "close": ["--as", "invalid", "--reason", "误报"],
                  "reopen": ["--reason", "住户又来电"]},
    "repair": {"dispatch": ["--to", "wangqiang"], "arrive": [],
               "eta": ["--by", "2026-11-21 10:00"], "hold": ["--reason", "等配件"],
               "resume": [], "done": ["--result", "已修好"], "visit": ["--satisfaction", "5"],
               "close": ["--as", "invalid", "--reason", "误报"],
               "reopen": ["--reason", "住户又来电"]},
}
#: how to bring a new ticket to each status
PATHS = {
    "complaint": {"open": [], "handling": ["handle"], "transferred": ["transfer"],
                  "on-hold": ["hold"], "resolved": ["resolve"],
                  "closed": ["resolve", "visit"], "cancelled": ["close"]},
    "repair": {"open": [], "dispatched": ["dispatch"], "on-site": ["dispatch", "arrive"],
               "on-hold": ["dispatch", "hold"],
               "done": ["dispatch", "done"], "closed": ["dispatch", "done", "visit"],
               "cancelled": ["close"]},
}
HINT = re.compile(r"; first \S+: (dutyctl .*)$")


def _ticket(cli, kind: str, status: str) -> str:
    details = ["--category", "noise"] if kind == "complaint" else []
    filed = cli(kind, "file", *ROOM, *details, "--content", "楼上漏水")
    assert filed.exit_code == 0, filed.output
    ticket = filed.stdout.strip().splitlines()[-1]
    for step in PATHS[kind][status]:
        done = cli(kind, step, ticket, *STEPS[kind][step])
        assert done.exit_code == 0, (step, done.output)
    return ticket


def _filled(line: str) -> list[str]:
    words = line.split()[1:]  # without `dutyctl`
    return [("5" if words[index - 1] == "--satisfaction" else "补填") if word == "..." else word
            for index, word in enumerate(words)]


@pytest.mark.parametrize("kind", sorted(STEPS))
def test_every_next_step_hint_runs(cli, clock, workspace, kind):
    clock.set("2026-11-20T10:00:00+08:00")
    # a roster with a technician on duty: `repair dispatch ID` sends him
    (workspace.root / "rosters" / "rules.yaml").write_text(
        RULES.replace("need: {service: 1}}", "need: {service: 1, technician: 1}}", 1),
        encoding="utf-8")
    write_roster(workspace.root, "2026-11-01", "2026-11-30",
                 [("2026-11-20", "day", "zhangwei"), ("2026-11-20", "day", "wangqiang",
                                                      "technician")])
    hints = {}
    for status in PATHS[kind]:
        ticket = _ticket(cli, kind, status)
        for step, details in STEPS[kind].items():
            refused = cli(kind, step, ticket, *details)
            if refused.exit_code == 0:
                ticket = _ticket(cli, kind, status)  # a step that ran: a fresh one again
                continue
            found = HINT.search(refused.stderr.strip())
            if found:
                hints.setdefault((status, found.group(1).split()[2]), found.group(1))
    assert hints, "no refusal named a step to take first"
    for (status, _), line in sorted(hints.items()):
        ticket = _ticket(cli, kind, status)
        command = _filled(line.replace(line.split()[3], ticket))
        ran = cli(*command)
        assert ran.exit_code == 0, (status, line, ran.output)


def test_the_hint_names_the_options_its_command_needs(cli, clock):
    clock.set("2026-11-20T10:00:00+08:00")
    ticket = _ticket(cli, "complaint", "open")
    refused = cli("complaint", "visit", ticket, "--satisfaction", "5")
    assert refused.stderr.strip().endswith(
        f"first resolve: dutyctl complaint resolve {ticket[:12]} --result ..."), refused.stderr
    refused = cli("--lang", "zh_CN", "complaint", "resume", ticket)
    assert refused.stderr.strip().endswith(
        f"请先暂停：dutyctl 投诉 暂停 {ticket[:12]} --原因 ..."), refused.stderr


def test_a_chinese_hint_names_the_step_in_chinese_words_and_runs_as_written(cli, clock):
    clock.set("2026-11-20T10:00:00+08:00")
    ticket = _ticket(cli, "repair", "open")
    refused = cli("--lang", "zh_CN", "报修", "到场", ticket)
    line = refused.stderr.strip().rsplit("：", 1)[1]
    assert line == f"dutyctl 报修 派工 {ticket[:12]}", refused.stderr
    ticket = _ticket(cli, "complaint", "handling")
    refused = cli("--lang", "zh_CN", "投诉", "回访", ticket, "--满意度", "5")
    line = refused.stderr.strip().rsplit("：", 1)[1]
    assert line == f"dutyctl 投诉 办结 {ticket[:12]} --结果 ...", refused.stderr
    ran = cli("--lang", "zh_CN", *_filled(line))
    assert ran.exit_code == 0, ran.output
    assert cli("complaint", "visit", ticket, "--satisfaction", "5").exit_code == 0
