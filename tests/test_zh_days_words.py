"""Chinese screens, the last leftovers: roster refusals name days as findings do (12月11日 周五),
a shared name's id in full-width brackets, `list --status` by the word the screen shows, Chinese
lines for a number below its least, and help that keeps a quoted example on one line."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.test_roster_cli import december  # noqa: F401  (fixture)

__all__ = ["december"]  # fixtures pytest finds here by name
from tests.helpers_desk import ok_text as ok

ZH = {"DUTYCTL_LANG": "zh_CN"}
ISO_DAY = re.compile(r"\b\d{4}-\d\d-\d\d\b")


# -- 1. roster refusals name the day as the findings do ----------------------------------------

def _night_holder(roster, day):
    return next(a.staff for a in roster.assignments if a.day == day and a.shift == "night")


@pytest.mark.parametrize("env,said", [
    (ZH, "前台在 12月13日 周日 不开班"), ({}, "the 前台 shift does not run on Sun 12-13")])
def test_a_shift_that_does_not_run_names_the_day_in_words(december, cli, env, said):
    """The front desk shift runs on working days only: override and explain say so with the
    day as a finding says it, not 2026-12-13."""
    for command in (("override", "2026-12-13", "前台", "李娜", "--reason", "顶班"),
                    ("explain", "2026-12-13", "前台")):
        refused = cli("roster", *command, env=env)
        assert refused.exit_code == 2, refused.stderr
        assert said in refused.stderr and not ISO_DAY.search(refused.stderr), refused.stderr


def test_override_and_swap_refusals_name_days_in_words(december, cli):
    day = "2026-12-03"
    holder = _night_holder(december, date(2026, 12, 3))
    other = next(member for member in ("lina", "zhangwei", "chenjing", "sunli")
                 if member != holder)
    again = cli("roster", "override", day, "night", holder, "--reason", "x", env=ZH)
    assert again.exit_code == 2 and "12月3日 周四 夜班" in again.stderr, again.stderr
    missing = cli("roster", "swap", day, "night", other, "2026-12-04", "night", holder,
                  "--reason", "x", env=ZH)
    assert missing.exit_code == 2 and "不在 12月3日 周四 夜班" in missing.stderr, missing.stderr
    uncovered = cli("roster", "override", "2027-03-01", "night", "lina", "--reason", "x",
                    env=ZH)
    assert uncovered.exit_code == 2
    assert "没有排班表覆盖 2027年3月1日 周一" in uncovered.stderr, uncovered.stderr
    for result in (again, missing, uncovered):
        assert not ISO_DAY.search(result.stderr), result.stderr


# -- 2. a shared name's id in the brackets of the screen's language ------------------------------

def test_a_shared_name_and_a_choice_take_full_width_brackets_in_chinese(monkeypatch):
    from dutyctl import choices
    from dutyctl.names import Names

    names = Names(None, {"chenjing": "陈静", "chenjing2": "陈静", "lina": "李娜"})
    for lang, shared, choice in (("en", "陈静 (chenjing2)", "咨询 (consultation)"),
                                 ("zh_CN", "陈静（chenjing2）", "咨询（consultation）")):
        monkeypatch.setenv("DUTYCTL_LANG", lang)
        assert (names.person("chenjing2"), names.person("lina")) == (shared, "李娜")
        assert choices.shown("consultation", "咨询") == choice


# -- 3. a status word lists the records the screens show with it --------------------------------

def test_a_status_word_lists_what_the_screens_show_with_it_and_the_id_every_kind(cli):
    """待处理 is an open complaint's word; an open repair reads 待派工 and an open emergency
    处置中, so `--status 待处理` lists neither; `open` (the id) and `--open` list them all."""
    from tests.test_tickets_cli import RESIDENT

    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "噪音", "--content", "噪音",
                       "--at", "2026-10-12 09:00"))
    repair = ok(cli("repair", "file", *RESIDENT, "--category", "水电", "--content", "水龙头滴水",
                    "--at", "2026-10-12 09:10"))
    emergency = ok(cli("emergency", "open", "--type", "停电", "--where", "3号楼",
                       "--content", "停电", "--at", "2026-10-12 09:20")).splitlines()[0]
    closed = ok(cli("emergency", "open", "--type", "停电", "--where", "2号楼",
                    "--content", "停电", "--at", "2026-10-12 09:30")).splitlines()[0]
    ok(cli("emergency", "close", closed, "--summary", "已恢复", "--at", "2026-10-12 10:00"))

    def listed(*args: str) -> set[str]:
        shown = ok(cli("list", *args, "--as-of", "2026-10-12 11:00", env=ZH))
        return {record for record in (complaint, repair, emergency, closed)
                if record[:12] in shown}

    assert listed("--status", "待处理") == {complaint}
    assert listed("--status", "待派工") == {repair}
    assert listed("--status", "处置中") == {emergency}
    assert listed("--status", "已处置") == {closed}
    assert listed("--status", "已关闭") == set()  # a closed emergency reads 已处置
    assert listed("--status", "open") == {complaint, repair, emergency}
    assert listed("--open") == {complaint, repair, emergency}
    assert listed("--kind", "报修", "--status", "待处理") == {repair}  # the kind says which
    english = ok(cli("list", "--status", "open", "--as-of", "2026-10-12 11:00"))
    assert all(record[:12] in english for record in (complaint, repair, emergency))
    shown = ok(cli("list", "--help", env=ZH))
    assert "只列出屏幕上显示为该词的记录" in "".join(shown.split()) and "--open" in shown


# -- 6. help keeps a quoted example on one line -------------------------------------------------

QUOTED_EXAMPLE = re.compile(r"'[^'\n]*'")


def test_help_never_splits_a_quoted_example(cli):
    """--at's examples ('昨天 22:00', '2026-11-20 09:10') each stay on one line at any width,
    and no line ends with an opening bracket or quote."""
    from dutyctl.cli.helptext import wrap_text

    text = "发生时间，按小区时区（'09:30'、'昨天 22:00'、'2026-11-20 09:10'）。默认：现在。"
    for width in range(24, 80):
        lines = wrap_text(text, width, "  ", "  ").splitlines()
        assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert line.count("'") % 2 == 0, (width, lines)
            assert not line.endswith(("（", "'")), (width, lines)
    for columns in ("60", "70", "80"):
        shown = ok(cli("log", "call", "--help", env={**ZH, "COLUMNS": columns}))
        at = shown.split("--at 时间", 1)[1].split("--staff", 1)[0]
        examples = QUOTED_EXAMPLE.findall(" ".join(at.split()))
        assert "'昨天 22:00'" in examples and "'2026-11-20 09:10'" in examples, (columns, at)
        assert all(line.count("'") % 2 == 0 for line in at.splitlines()), (columns, at)
    english = ok(cli("log", "note", "--help", env={"COLUMNS": "80"}))  # Click's wrap split it
    at = english.split("--at TIME", 1)[1].split("--staff", 1)[0]
    assert "'yesterday 22:00'" in at and all(line.count("'") % 2 == 0
                                            for line in at.splitlines()), at


OPENERS = ("(", "[", "（", "《", "「", "『", "“")
CLOSERS = (")", "]", ",", ".", ";", ":", "）", "》", "」", "』", "”", "，", "。", "、", "；", "：")


def test_no_help_line_ends_with_an_opener_or_starts_with_a_closer(cli, monkeypatch):
    """English help split "('09:30'" from the ", 'yesterday 22:00'" after it; no screen's
    line ends with an opening bracket or starts with a comma or a closing one, in English
    and Chinese, at 60 and 80 columns (Click draws help 2 narrower: 58 and 78)."""
    from dutyctl.cli.program import app
    from tests.test_zh_polish import _leaf_commands

    def help_of(words, lang, width) -> str:  # CliRunner alone would draw at 80, whatever COLUMNS
        monkeypatch.setenv("DUTYCTL_LANG", lang)
        shown = cli.runner.invoke(app, ["--root", str(cli.root), *words, "--help"],
                                  terminal_width=width)
        assert shown.exit_code == 0, (words, shown.stderr)
        return shown.stdout

    for words in [(), *_leaf_commands()]:
        for lang in ("en", "zh_CN"):
            for width in (58, 78):
                for line in help_of(words, lang, width).splitlines():
                    assert not line.rstrip().endswith(OPENERS), (words, lang, width, line)
                    assert not line.strip().startswith(CLOSERS), (words, lang, width, line)
    at = help_of(("log", "call"), "en", 78).split("--at TIME", 1)[1].split("--staff", 1)[0]
    assert "('09:30', 'yesterday 22:00', ISO 8601)" in " ".join(at.split()), at


def test_an_apostrophe_opens_no_quote_and_a_long_quotation_still_wraps():
    from dutyctl.output import wrap
    from dutyctl.textwidth import display_width

    said = "the site's zone 陈静 isn't here; " * 3
    assert all(display_width(line) <= 20 for line in wrap(said, 20))
    long = "“" + "很长的引文" * 8 + "”"
    assert all(display_width(line) <= 20 for line in wrap(long, 20))


# -- 7. a report names its days as the roster screens do ----------------------------------------

def test_a_reports_period_and_on_call_days_read_as_days_not_iso(december, cli, clock):
    """The subtitle says the period 2026年12月5日 (the title already does), the on-call table
    12月5日 周六; English keeps 2026-12-05 in the subtitle."""
    clock.set("2026-12-07T09:00:00+08:00")
    report = ok(cli("report", "daily", "--date", "2026-12-05", env=ZH))
    assert report.splitlines()[1].startswith("2026年12月5日（北京时间），完整"), report
    on_call = report.split("备班（在家待命）", 1)[1].split("\n\n", 1)[0]
    assert "12月5日 周六" in on_call and not ISO_DAY.search(on_call), on_call
    weekly = ok(cli("report", "weekly", "--week", "2026-W49", env=ZH))
    assert weekly.splitlines()[1].startswith("2026年11月30日 – 2026年12月6日（"), weekly
    english = ok(cli("report", "daily", "--date", "2026-12-05"))
    assert english.splitlines()[1].startswith("2026-12-05 (Asia/Shanghai), complete"), english
    assert "Sat 12-05" in english.split("On call (at home)", 1)[1], english


def test_a_reviews_trend_per_day_names_its_days_in_words(december, cli, clock):
    clock.set("2026-12-14T09:00:00+08:00")
    weekly = ok(cli("report", "weekly", "--week", "2026-W49", env=ZH))
    trend = weekly.split("每日趋势", 1)[1].split("\n\n\n", 1)[0]
    assert "11月30日 周一" in trend and "12月6日 周日" in trend, trend
    assert not ISO_DAY.search(trend), trend


def test_a_search_shows_the_text_as_written_full_width_comma_and_all(cli):
    """Matching folds full-width forms (３-２-５０１ finds 3-2-501); the snippet shows the
    text as the clerk wrote it, its ，not turned into an ASCII comma."""
    from tests.test_tickets_cli import RESIDENT

    ok(cli("log", "call", *RESIDENT, "--summary", "问快递柜位置，需查询后答复",
           "--at", "2026-10-12 09:00"))
    shown = ok(cli("search", "快递", env=ZH))
    assert "问快递柜位置，需查询后" in shown and "位置," not in shown, shown


def test_roster_show_takes_its_row_layout_in_words(december, cli):
    by_person = cli("roster", "show", "--month", "2026-12", "--by", "人员", env=ZH)
    assert by_person.exit_code == 0 and by_person.stdout.split()[0] == "姓名", by_person.stderr
    assert ok(cli("roster", "show", "--month", "2026-12", "--by", "按日期", env=ZH)).startswith(
        "日期")
    # the English help names 按日期 and 按人员 too: typed on an English screen
    assert cli("roster", "show", "--month", "2026-12", "--by", "按人员").exit_code == 0
    refused = cli("roster", "show", "--month", "2026-12", "--by", "x", env=ZH)
    assert refused.exit_code == 2
    assert "可选：按日期（date）、按人员（staff）" in refused.stderr, refused.stderr


def test_who_names_the_role_nobody_holds_in_words(cli):
    nobody = cli("who", "--at", "2027-05-01 10:00", "--role", "维修工", env=ZH)
    assert nobody.exit_code == 1
    assert "没有 维修工 岗位的人值班" in nobody.stderr + nobody.stdout, nobody.stderr
    assert "technician" not in nobody.stderr + nobody.stdout


def test_explain_of_an_unknown_shift_lists_the_shifts_by_name(december, workspace, monkeypatch):
    from dutyctl.errors import NotFound
    from dutyctl.roster.explain import explain

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with pytest.raises(NotFound) as refused:
        explain(workspace, date(2026, 12, 5), "nope")
    assert "夜班（night）" in str(refused.value) and "、" in str(refused.value), refused.value


def test_a_callback_attempt_after_the_deadline_says_it_is_overdue(cli):
    from tests.test_tickets_cli import RESIDENT

    call = ok(cli("log", "call", *RESIDENT, "--summary", "发票什么时候开", "--callback-by",
                  "2026-10-12 12:00", "--at", "2026-10-12 09:00"))
    early = ok(cli("callback", "attempt", call, "--result", "占线", "--at", "2026-10-12 10:00",
                   env=ZH))
    assert "已记录第 1 次回电尝试，仍需在 2026-10-12 12:00 前回电" in early, early
    late = ok(cli("callback", "attempt", call, "--result", "无人接听",
                  "--at", "2026-10-12 13:00", env=ZH))
    assert "已记录第 2 次回电尝试；回电时限 2026-10-12 12:00 已过，已超时" in late, late
    english = ok(cli("callback", "attempt", call, "--result", "busy", "--at", "2026-10-12 14:00"))
    assert "the callback was due 2026-10-12 12:00 and is overdue" in english, english


def test_no_roster_for_the_month_names_its_days_in_words(cli):
    shown = cli("roster", "show", "--month", "2027-03", env=ZH)
    assert shown.exit_code == 2
    assert "没有覆盖 2027年3月1日至2027年3月31日 的排班表" in shown.stderr, shown.stderr
