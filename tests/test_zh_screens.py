"""The screens of room, resident, roster override, callback, emergency and notify in Chinese:
people by name, kinds, statuses and actions by the glossary's words, rooms as residents know
them, local times, and no English word or id where a label belongs."""

from __future__ import annotations

import re

from tests.test_tickets_cli import RESIDENT, file_complaint, ok

ZH = ("--lang", "zh_CN")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str, *allowed: str) -> list[str]:
    """The English words of `text` outside record ids and the `allowed` words (commands,
    options a sentence names)."""
    text = re.sub(r"\b[0-9A-Z]{12,26}\b", "", text)
    return [word for word in ENGLISH_WORD.findall(text) if word not in allowed]


def test_handle_and_transfer_speak_the_glossary_words(cli, workspace):
    """受理 and 转交 (the glossary's words) in the step's line, the history and the status;
    the words earlier versions showed still filter a listing."""
    complaint = file_complaint(cli, "楼上装修噪音扰民", "2026-10-12 09:00")
    handled = ok(cli(*ZH, "complaint", "handle", complaint, "--action", "已上门劝导",
                     "--at", "2026-10-12 09:30"))
    assert "已记录受理" in handled and "处理中" in handled
    ok(cli("complaint", "transfer", complaint, "--to", "居委会", "--reason", "邻里纠纷",
           "--told-resident", "已转居委会", "--at", "2026-10-12 10:00"))
    history = ok(cli(*ZH, "show", complaint))
    assert "受理" in history and "转交" in history and "转办" not in history
    for typed in ("已转交", "已转办", "transferred"):
        listed = ok(cli(*ZH, "list", "--status", typed))
        assert complaint[:12] in listed and "已转交" in listed, typed


def test_a_step_its_status_does_not_allow_names_the_step_recorded(cli, workspace):
    """The refusal reads as a sentence whatever the step's word: 才能记录“回电”."""
    call = ok(cli("log", "call", *RESIDENT, "--summary", "物业费怎么交",
                  "--at", "2026-10-12 09:00"))
    result = cli(*ZH, "callback", "done", call, "--note", "已告知", "--at", "2026-10-12 10:00")
    assert result.exit_code == 2
    assert "当前为 已答复：只有在 待回电 状态下才能记录“回电”" in result.stderr
    assert not english_words(result.stderr), result.stderr


def test_an_unexpected_file_failure_is_one_message(monkeypatch):
    from dutyctl import messages
    from dutyctl.cli.session import unexpected

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.forget_language()
    said, code = unexpected(PermissionError(13, "Permission denied", "records/x.yaml"))
    assert said == "records/x.yaml：Permission denied" and code == 3
    assert unexpected(PermissionError(13, "Permission denied"))[0] == "Permission denied"
