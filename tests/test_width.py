"""Listings fit the terminal: $COLUMNS, CJK counted double by wcwidth, `--wide` shows all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from wcwidth import wcswidth

from dutyctl import output, textwidth
from tests.helpers_foundation import call_flags

LONG = "楼上住户每天晚上十一点以后还在装修敲墙，已经连续一个星期，老人孩子都无法休息，请尽快处理"


def test_shorten_counts_a_chinese_character_as_two_columns():
    cut = textwidth.shorten(LONG, 11)
    assert cut == "楼上住户每…" and wcswidth(cut) == 11
    assert textwidth.shorten("漏水abc", 20) == "漏水abc"
    assert wcswidth(textwidth.shorten("a楼上", 4)) <= 4  # never half a character over


def test_fit_shortens_the_free_text_widest_first_and_keeps_ids_whole():
    rows = [{"id": "01M59VRHEGK3", "name": "张三", "text": LONG}]
    columns = [("id", "id"), ("name", "name"), ("text", "text")]
    lines = output.table(rows, columns, width=40).splitlines()
    assert max(wcswidth(line) for line in lines) <= 40
    assert lines[2].startswith("01M59VRHEGK3  张三") and lines[2].endswith("…")
    assert LONG in output.table(rows, columns)  # no width: everything


def test_optional_columns_go_before_the_text_is_cut_to_nothing():
    rows = [{"id": "01M59VRHEGK3", "by": "zhangwei", "text": LONG}]
    columns = [("id", "id"), ("by", "by"), ("text", "text")]
    fitted = output.table(rows, columns, width=36, optional=("by",))
    assert "zhangwei" not in fitted and "楼上住户" in fitted


def test_without_columns_or_terminal_the_width_is_100(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert output.terminal_width() == output.DEFAULT_WIDTH == 100  # pytest's stdout is no tty
    monkeypatch.setenv("COLUMNS", "72")
    assert output.terminal_width() == 72
    monkeypatch.setenv("COLUMNS", "wide")
    assert output.terminal_width() == 100


def test_list_fits_columns_and_wide_shows_everything(workspace, cli):
    for room in ("3-2-501", "12-1-1203"):
        result = cli(*call_flags("张三丰", room, "13812345678", LONG, "--at", "2026-10-12 09:30",
                                 "--callback-by", "明天"))
        assert result.exit_code == 0, result.stderr
    # (100 in English and 90 in Chinese were met by cutting the time: `callback …`, `回电 10-1…`)
    for columns, language in (("110", "en"), ("95", "zh_CN")):
        listed = cli("list", env={"COLUMNS": columns, "DUTYCTL_LANG": language})
        assert listed.exit_code == 0, listed.stderr
        lines = listed.stdout.splitlines()
        assert max(wcswidth(line) for line in lines) <= int(columns), listed.stdout
        rows = [line for line in lines if "张三丰" in line]
        assert len(rows) == 2 and all(wcswidth(row) > len(row) + 6 for row in rows)  # CJK: 2
        assert "…" in listed.stdout and "3-2-501" in listed.stdout
        assert all(row.endswith(" 10-13 17:30…") for row in rows), listed.stdout
    wide = cli("list", "--wide", env={"COLUMNS": "90"})
    assert LONG in wide.stdout and "张伟" in wide.stdout and "138****5678" in wide.stdout
    assert max(wcswidth(line) for line in wide.stdout.splitlines()) > 90
    waiting = cli("callback", "list", "--as-of", "2026-10-12 10:00", env={"COLUMNS": "100"})
    assert max(wcswidth(line) for line in waiting.stdout.splitlines()) <= 100


def test_a_deadline_keeps_its_time_whole_when_the_list_is_cut(workspace, cli):
    """The due column is cut after its deadline and time, never inside the time."""
    for room in ("3-2-501", "12-1-1203"):
        result = cli(*call_flags("张三丰", room, "13812345678", LONG, "--at", "2026-10-12 09:30",
                                 "--callback-by", "2026-10-13 10:00"))
        assert result.exit_code == 0, result.stderr
    for columns, language, due in (("100", "zh_CN", "回电 10-13 10:00"),
                                   ("112", "en", "callback 10-13 10:00")):
        listed = cli("list", "--open", "--as-of", "2026-10-12 10:00",
                     env={"COLUMNS": columns, "DUTYCTL_LANG": language})
        assert listed.exit_code == 0, listed.stderr
        rows = [line for line in listed.stdout.splitlines() if "张三丰" in line]
        assert len(rows) == 2 and all(row.endswith(due + "…") for row in rows), listed.stdout
        assert max(wcswidth(line) for line in listed.stdout.splitlines()) <= int(columns)
    row = {"id": "01M59VRHEGK3", "due": "回电 10-13 10:00", "text": LONG}  # no bracket: whole
    fitted = output.table([row], [("id", "id"), ("due", "due"), ("text", "text")], width=50)
    assert "回电 10-13 10:00" in fitted


def test_a_long_room_never_cuts_the_deadline_s_time(workspace, cli, clock):
    """A room kept whole can leave no room for the rest: the other columns are cut, the due
    column keeps its deadline and time whole, and a line too wide for them all wraps."""
    clock.set("2026-11-13T17:00:00+08:00")
    room = "阳光花园东区十二栋二单元一千二百零三室北侧阳台下面"  # 50 columns
    filed = cli("repair", "file", "--name", "张三丰", "--room", room, "--phone", "13812345678",
                "--content", LONG, "--urgency", "general", "--at", "2026-11-13 16:30")
    assert filed.exit_code == 0, filed.stderr
    for columns, language, head in (("100", "zh_CN", "响应 11-16 09:30"),
                                    ("80", "zh_CN", "响应 11-16 09:30"),
                                    ("120", "en", "respond 11-16 09:30"),
                                    ("100", "en", "respond 11-16 09:30")):
        listed = cli("list", env={"COLUMNS": columns, "DUTYCTL_LANG": language})
        assert listed.exit_code == 0, listed.stderr
        (row,) = [line for line in listed.stdout.splitlines() if "张三丰" in line]
        assert room in row and row.endswith(head + "…"), listed.stdout
    # wide enough for the room and the deadline: the table fits, what is left in brackets is
    # said whole (200 columns) or not at all (150), never `（还剩 1…`
    for columns, end in (("150", "响应 11-16 09:30…"), ("200", "响应 11-16 09:30（还剩 1小时30分）")):
        listed = cli("list", env={"COLUMNS": columns, "DUTYCTL_LANG": "zh_CN"})
        (row,) = [line for line in listed.stdout.splitlines() if "张三丰" in line]
        assert room in row and row.endswith(end) and "楼上住户" in row, listed.stdout
        assert max(wcswidth(line) for line in listed.stdout.splitlines()) <= int(columns)


def test_a_callback_s_time_and_state_are_never_cut(workspace, cli, clock):
    """callback list's promised time is a time (`2026-11-1…` was possible) and its state a
    length (`还剩 17…`): a narrow table cuts the text, not them."""
    clock.set("2026-11-13T17:00:00+08:00")
    room = "阳光花园东区十二栋二单元一千二百零三室北侧阳台下面"
    for name, where, at, by in (("张三丰", room, "2026-11-13 16:30", "2026-11-14 10:00"),
                                ("李四", "3-2-501", "2026-11-13 16:40", "2026-11-13 16:50")):
        result = cli(*call_flags(name, where, "13812345678", LONG, "--at", at,
                                 "--callback-by", by))
        assert result.exit_code == 0, result.stderr
    for columns, language, states in (("80", "zh_CN", ("还剩 17小时", "已超时 10分钟")),
                                      ("60", "en", ("due in 17h", "overdue by 10m"))):
        listed = cli("callback", "list", env={"COLUMNS": columns, "DUTYCTL_LANG": language})
        assert listed.exit_code == 0, listed.stderr
        text = listed.stdout
        assert "2026-11-14 10:00" in text and "2026-11-13 16:50" in text, text
        assert all(state in text for state in states), text
    row = {"deadline": "响应", "state": "按时（提前 1个工作日7小时）"}
    fitted = output.table([row, {"deadline": "完成", "state": "还剩 2个工作日7小时"}],
                          [("deadline", "deadline"), ("state", "state")], width=24)
    assert "按时…" in fitted and "还剩 2个工作日7小时" in fitted, fitted


def test_csv_and_json_are_never_shortened(workspace, cli):
    cli(*call_flags("张三", "3-2-501", "13812345678", LONG, "--at", "2026-10-12 09:30"))
    for fmt in ("csv", "json"):
        assert LONG in cli("list", "--format", fmt, env={"COLUMNS": "40"}).stdout


def test_widths_known_without_wcwidth_are_wcwidths_own():
    """display_width answers ASCII and Chinese without importing wcwidth (startup): for every
    character it answers itself, the answer is wcwidth's, alone and inside a text."""
    from wcwidth import wcswidth, wcwidth

    from dutyctl.textwidth import _NARROW, _WIDE, _char_width, display_width, shorten

    codes = [*range(0x20, 0x7F), *(code for low, high in _WIDE for code in range(low, high + 1)),
             *map(ord, _NARROW)]
    for code in codes:
        assert _char_width(chr(code)) == wcwidth(chr(code)), hex(code)
    for text in ("物业费怎么交", "3-2-501 漏水（急）", "水管漏了，业主很急。", "a\u0301b", "🙂 好",
                 "tab\there", "混合 text ～ ￥", "“已回访”—▲ 2…"):
        assert display_width(text) == (wcswidth(text) if wcswidth(text) >= 0 else len(text)), text
    assert shorten("物业费怎么交物业费怎么交", 9) == "物业费怎…"


ALPHABET = "ab Z9-:.漏水业主（）、，～￥"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=6), min_size=1, max_size=4).flatmap(
    lambda headers: st.tuples(st.just(headers), st.lists(
        st.lists(st.text(ALPHABET + "🙂\u0301", max_size=8), min_size=len(headers),
                 max_size=len(headers)), max_size=4))))
def test_tables_are_drawn_as_tabulate_draws_them(table):
    """output.table draws one-line texts itself (startup): exactly tabulate's "simple" table."""
    import tabulate

    headers, body = table
    tabulate.WIDE_CHARS_MODE = True
    expected = tabulate.tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True)
    drawn = output.simple_table(headers, body)
    assert drawn is None or drawn == expected
    if all(text == text.strip() for text in [*headers, *sum(body, [])]):
        assert drawn is not None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(ALPHABET, max_size=6), min_size=1, max_size=3),
                min_size=1, max_size=4).flatmap(
    lambda headers: st.tuples(
        st.just(["\n".join(lines) for lines in headers]),
        st.lists(st.lists(st.text(ALPHABET, max_size=8), min_size=len(headers),
                          max_size=len(headers)), max_size=4),
        st.lists(st.sampled_from(["left", "right"]), min_size=len(headers),
                 max_size=len(headers)),
        st.sampled_from([0, 2]))))
def test_report_tables_are_drawn_as_tabulate_draws_them(table):
    """A report's text tables (headers wrapped onto several lines, numbers to the right, no
    minimum padding) drawn without tabulate: exactly tabulate's "simple" table."""
    import tabulate

    headers, body, align, padding = table
    tabulate.WIDE_CHARS_MODE = True
    kept, tabulate.MIN_PADDING = tabulate.MIN_PADDING, padding
    try:
        expected = tabulate.tabulate(body, headers=headers, tablefmt="simple",
                                     disable_numparse=True, colalign=align)
    finally:
        tabulate.MIN_PADDING = kept
    drawn = output.simple_table(headers, body, padding=padding, align=align)
    assert drawn is None or drawn == expected
    lines = [line for header in headers for line in header.split("\n")]
    if all(text == text.strip() for text in [*headers, *lines, *sum(body, [])]) and (
            len(lines) == len(headers) or all(any(row) for row in body)):
        assert drawn is not None


def test_clock_times_last_seen_and_queued_times_are_never_cut(cli, workspace):
    """Attendance's clock-in/out, the register's last-seen and the outbox's queued times are
    times like any other: a narrow table cuts the text, never half a time (`11-10 1…`)."""
    ok = lambda result: result.exit_code == 0 or pytest.fail(result.stderr)  # noqa: E731
    ok(cli(*call_flags("张三", "3-2-501", "13812345678", LONG), "--at", "2026-10-12 09:00"))
    ok(cli("clock", "in", "--staff", "lina", "--at", "2026-10-12 10:00"))
    ok(cli("clock", "out", "--staff", "lina", "--no-handover", "--reason", "测试",
           "--at", "2026-10-12 11:00"))
    zh = {"DUTYCTL_LANG": "zh_CN", "COLUMNS": "60"}
    register = cli("resident", "list", env=zh).stdout
    assert "2026-10-12 09:00" in register, register
    detail = cli("attendance", "--month", "2026-10", "--staff", "lina", "--detail", env=zh)
    assert "10-12 10:00" in detail.stdout and "10-12 11:00" in detail.stdout, detail.stdout
    for key in ("clock_in", "clock_out", "seen", "created"):
        assert key in output.KEEP_WHOLE
