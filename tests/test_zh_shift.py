"""A whole shift in Chinese through the console script's entry point (each command in a fork,
tests/entrypoint.py): a clerk reads no English.

The workspace speaks zh_CN through `site.language` (as `init` makes it); nothing in the
environment asks for a language. Every message the catalogue holds must come out translated:
the test fails when the English text of any catalogue entry shows in the output.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import run_dutyctl
from tests.helpers_desk import october_site
from tests.sources import extracted


def english_fragments() -> list[re.Pattern]:
    """For each catalogue entry, the longest run of its English text between placeholders,
    when it is a phrase (two words or more) that data cannot plausibly contain."""
    patterns = []
    for message in extracted():
        if not message.id:
            continue
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            pieces = re.split(r"\{[^{}]*\}", msgid.replace("|", " "))
            longest = max((piece.strip(" .,:;()'\"") for piece in pieces), key=len)
            if len(re.findall(r"[A-Za-z]{2,}", longest)) >= 2 and len(longest) >= 10:
                patterns.append(re.compile(re.escape(longest)))
    return patterns


@pytest.fixture
def desk(workspace, dutyctl_forked, monkeypatch):
    monkeypatch.delenv("DUTYCTL_LANG")
    october_site(workspace.root)
    outputs = []

    def run(*args, user="zhangwei", ok=True):
        result = run_dutyctl(dutyctl_forked, *args, root=workspace.root, user=user)
        outputs.append(result.stdout + result.stderr)
        assert (result.returncode == 0) == ok, (args, result.stdout, result.stderr)
        return result

    run.outputs = outputs
    return run


def test_a_whole_shift_in_chinese(desk):
    said = desk("clock", "in", "--at", "2026-10-05 08:07").stderr
    assert "迟到 7 分钟" in said
    said = desk("checklist", "--ok", "all", "--problem", "printer", "--note", "卡纸",
                "--at", "2026-10-05 08:10").stderr
    assert "卡纸" in said
    desk("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
         "--category", "物业费咨询", "--summary", "物业费怎么交", "--at", "2026-10-05 09:00")
    complaint = desk("complaint", "file", "--name", "李四", "--room", "5-1-1202",
                     "--phone", "13900001111", "--content", "楼上装修噪音",
                     "--at", "2026-10-05 09:30").stdout.strip()
    desk("complaint", "transfer", complaint, "--to", "工程部", "--reason", "属工程部职责",
         "--told-resident", "已转工程部，两天内答复", "--at", "2026-10-05 09:40")
    repair = desk("repair", "file", "--name", "王五", "--room", "5-1-1203", "--phone",
                  "13900001112", "--content", "厨房水管爆管，跑水",
                  "--at", "2026-10-05 10:00").stdout.strip()
    desk("repair", "dispatch", repair, "--to", "王强", "--at", "2026-10-05 10:03")
    desk("repair", "arrive", repair, "--at", "2026-10-05 10:20")
    desk("repair", "done", repair, "--result", "更换水管", "--at", "2026-10-05 11:00")
    desk("repair", "visit", repair, "--satisfaction", "5", "--note", "满意",
         "--at", "2026-10-05 15:00")
    shown = desk("show", repair).stdout
    assert "状态：已关闭" in shown and "类型：报修" in shown and "紧急程度：急修" in shown
    assert "status:" not in shown and "closed" not in shown
    emergency = desk("emergency", "open", "--type", "停电", "--where", "3号楼",
                     "--content", "3号楼整栋停电", "--at", "2026-10-05 12:00").stdout
    assert "通知" in emergency
    emergency_id = re.search(r"\b01[0-9A-Z]{24}\b", emergency).group(0)
    desk("emergency", "log", emergency_id, "已通知供电公司", "--at", "2026-10-05 12:05")
    desk("emergency", "close", emergency_id, "--summary", "12:40 恢复供电",
         "--at", "2026-10-05 12:40")
    listed = desk("list", "--open", "--as-of", "2026-10-05 13:00").stdout
    assert "投诉" in listed and "编号" in listed and "服务态度" in listed or "转交" in listed
    assert not re.search(r"\b(open|handling|transferred|complaint|repair)\b", listed), listed
    desk("clock", "out", "--at", "2026-10-05 20:00", ok=False)        # a relief is rostered
    handover = desk("handover", "--to", "李娜", "--note", "钥匙在抽屉",
                    "--at", "2026-10-05 19:50")
    assert "钥匙在抽屉" in handover.stderr
    desk("clock", "out", "--at", "2026-10-05 20:00")
    desk("handover", "accept", "--clock-in", "--at", "2026-10-05 20:03", user="lina")
    desk("who", "--at", "2026-10-05 21:00")
    for fmt in ("text", "markdown", "html", "json"):
        report = desk("report", "daily", "--date", "2026-10-05", "--format", fmt).stdout
        if fmt == "json":
            json.loads(report)              # keys stay English: an API, not prose
        else:
            assert "值班日报" in report and "需要关注" in report
    desk("check", ok=False)     # the hand-written October roster leaves places unfilled

    output = "\n".join(desk.outputs)
    leaked = sorted({p.pattern for p in english_fragments() if p.search(output)})
    assert leaked == [], leaked
