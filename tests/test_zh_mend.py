"""A reviewer's findings on the Chinese leftovers and the CLI's speed, mended: the program's
options after a command's words never take an option's value, `排班 检查 --月份` reads a
month, completion takes --工作区 after the command, 不在职's rules file keys, and the
cached rules and rosters speak the language of each command."""

from __future__ import annotations

import csv
import io
import json
import shlex

from dutyctl.commandwords import program_options_first
from tests.helpers_roster import edit_rules
from tests.test_completion import run_tab
from tests.helpers_desk import ok_text as ok

ZH = ("--lang", "zh_CN")
CALL = ("来电", "--姓名", "张三", "--房号", "3-2-501", "--电话", "13812345678")


def test_a_value_like_the_program_s_option_stays_the_value_of_the_option_before_it(cli):
    """`dutyctl 来电 … --摘要 --语言 --操作人 张伟` exited 2 (`'--语言' 的值无效：未知语言
    “--操作人”`): --语言 there is the summary, as it was before the program's options were
    taken after a command's words; which options take a value is the command's own."""
    logged = cli(*CALL, "--摘要", "--语言", "--操作人", "张伟")
    assert logged.exit_code == 0, logged.stderr
    call = json.loads(ok(cli("show", logged.stdout.strip(), "-f", "json")))
    assert call["summary"] == "--语言", call
    for args in (["who", "--at", "--lang", "en"], ["-f", "json", "who", "--lang", "en"],
                 ["log", "来电", "--summary", "--root", "--staff", "x"]):
        assert program_options_first(args) == args  # as typed: Click judges them
    assert program_options_first(["报修", "--语言", "en", "登记", "--内容", "--语言", "--语言",
                                  "zh_CN"]) == ["--语言", "en", "--语言", "zh_CN", "报修", "登记",
                                                "--内容", "--语言"]
    assert program_options_first(["roster", "check", "-f", "--lang", "--root=/x"]) == [
        "--root=/x", "roster", "check", "-f", "--lang"]


def test_roster_check_reads_its_month_as_a_month_never_as_a_file(cli, workspace):
    """`排班 检查 --月份 2026-13` said 没有排班表文件“2026-13”, and `--月份 rules.yaml`
    checked the rules file as a roster: the month is read as the other roster commands read
    it, and refused as they refuse it."""
    ok(cli("roster", "generate", "--month", "2026-12"))
    for month, said in (("2026-13", "“2026-13”：没有 13 月"), ("rules.yaml", "无法识别月份“rules.yaml”")):
        refused = cli(*ZH, "roster", "check", "--月份", month)
        assert refused.exit_code == 2, refused.stderr
        assert refused.stderr.startswith(said), refused.stderr
        assert not refused.stdout
    by_month = cli(*ZH, "roster", "check", "--月份", "12月", "--时间", "2026-11-20", "-f", "json")
    assert by_month.exit_code in (0, 1), by_month.stderr
    assert isinstance(json.loads(by_month.stdout), list)  # the roster was read
    assert by_month.stdout == cli(*ZH, "roster", "check", "2026-12", "-f", "json").stdout


def test_roster_check_by_month_never_reads_a_file_of_that_name_here(cli, workspace, tmp_path,
                                                                     monkeypatch):
    """`排班 检查 --月份 12月` with a file named 2026-12 in the current folder checked that
    file; a month given as --月份 names the workspace's roster only."""
    ok(cli("roster", "generate", "--month", "2026-12"))
    expected = cli(*ZH, "roster", "check", "--月份", "12月", "--时间", "2026-11-20", "-f", "json")
    assert expected.exit_code in (0, 1) and isinstance(json.loads(expected.stdout), list), (
        expected.stderr)
    here = tmp_path / "here"
    here.mkdir()
    (here / "2026-12").write_text("not: a roster\n", encoding="utf-8")
    monkeypatch.chdir(here)
    by_month = cli(*ZH, "roster", "check", "--月份", "12月", "--时间", "2026-11-20", "-f", "json")
    assert (by_month.exit_code, by_month.stdout) == (expected.exit_code, expected.stdout)
    assert "not" not in by_month.stderr, by_month.stderr


def test_the_program_s_options_in_wide_dashes_after_the_command(cli):
    """`dutyctl 谁值班 ——语言 en` said 没有选项 --语言 (an input method's dashes were read only
    by each command's own options, never the program's moved before the command)."""
    assert program_options_first(["谁值班", "——语言", "en"]) == ["--语言", "en", "谁值班"]
    assert program_options_first(["谁值班", "－－工作区=/x"]) == ["--工作区=/x", "谁值班"]
    assert program_options_first(["来电", "--摘要", "——语言"]) == ["来电", "--摘要", "——语言"]
    answered = cli("谁值班", "——语言", "en", "--at", "2026-11-20T10:00")  # no roster yet
    assert answered.exit_code == 1, answered.stderr
    assert answered.stderr.startswith("nobody is on duty at 2026-11-20 10:00"), answered.stderr


def _tab(command, root, words: list[str]) -> list[str]:
    """What bash is offered for `dutyctl <words> <TAB>` (no --root before the command)."""
    line = " ".join(shlex.quote(word) for word in ["dutyctl", *words, ""])
    done = run_tab(command, {"_DUTYCTL_COMPLETE": "complete_bash", "COMP_WORDS": line,
                                 "COMP_CWORD": str(len(words) + 1), "DUTYCTL_ROOT": ""},
                   cwd=str(root.parent))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.split()


def test_completion_takes_the_workspace_and_language_after_the_command(workspace,
                                                                        dutyctl_forked):
    """`dutyctl 来电 --工作区 /x/ws --操作人 <TAB>` offered files where `dutyctl --工作区 /x/ws
    来电 --操作人 <TAB>` offers the staff: the program's options are read after the command's
    words as the command line reads them (--语言 too)."""
    root = str(workspace.root)
    staff = _tab(dutyctl_forked, workspace.root, ["--工作区", root, "来电", "--操作人"])
    assert "zhangwei" in staff and "lina" in staff, staff
    assert _tab(dutyctl_forked, workspace.root, ["来电", "--工作区", root, "--操作人"]) == staff
    assert _tab(dutyctl_forked, workspace.root, ["来电", f"--root={root}", "--操作人"]) == staff
    named = _tab(dutyctl_forked, workspace.root, ["来电", "--工作区", root, "--语言", "zh_CN", "--操作人"])
    assert "张伟" in named and "李娜" in named, named


def test_not_employed_names_the_rules_file_keys_that_set_it(cli, workspace):
    """`排班 说明`'s Chinese CSV left 规则键 empty for 不在职, where the manual says 入职日期/
    离职日期 set it: the CSV and the findings give those keys (one helper for both)."""
    from dutyctl import messages
    from dutyctl.roster.rules import rule_file_key

    ok(cli("roster", "generate", "--month", "2026-12"))
    edit_rules(workspace, '    # active_until: "2027-06-30"', '    active_until: "2026-12-15"')
    rows = list(csv.DictReader(io.StringIO(ok(cli(*ZH, "roster", "explain", "2026-12-20",
                                                 "day", "-f", "csv")).lstrip("\ufeff"))))
    keys = {row["规则"]: row["规则键"] for row in rows if row["规则"]}
    assert keys.get("不在职") == "入职日期/离职日期", keys
    found = cli(*ZH, "roster", "check", "2026-12").stdout
    assert "高峰：不在职（入职日期/离职日期），在职至 2026年12月15日" in found, found
    english = cli("--lang", "en", "roster", "check", "2026-12").stdout
    assert "not employed (active_from/active_until)" in english, english
    messages.start_invocation("zh_CN")
    try:
        assert rule_file_key("min_rest_hours") == "最少休息小时"
        assert rule_file_key("overlap") == ""
    finally:
        messages.start_invocation(None)


def test_a_process_checking_in_two_languages_says_each_in_its_own(cli, workspace):
    """`--lang zh_CN roster check` then `--lang en roster check` in one process gave the
    English run the Chinese messages of the first reading (the cached roster), and so did
    what reads the cached rules (`who`)."""
    ok(cli("roster", "generate", "--month", "2026-12"))
    roster = workspace.rosters_dir / "2026-12.yaml"
    roster.write_text(roster.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    for args in (("2026-12",), ("--month", "2026-12"), ()):
        chinese = cli(*ZH, "roster", "check", *args)
        english = cli("--lang", "en", "roster", "check", *args)
        assert chinese.exit_code == english.exit_code == 1, (chinese.stderr, english.stderr)
        assert "bogus: 未知字段" in chinese.stdout, chinese.stdout
        assert "bogus: unknown field" in english.stdout, english.stdout
        assert "未知" not in english.stdout, english.stdout
    edit_rules(workspace, "constraints:", "bogus: 1\nconstraints:")
    chinese = cli(*ZH, "who", "--at", "2026-12-05 09:00")
    english = cli("--lang", "en", "who", "--at", "2026-12-05 09:00")
    assert "bogus: 未知字段" in chinese.stderr, chinese.stderr
    assert "bogus: unknown field" in english.stderr and "未知" not in english.stderr, \
        english.stderr


def test_a_line_without_the_program_s_options_after_the_command_reads_no_table():
    """Every command line passes through `program_options_first`: the usual one, with no
    --lang/--root after the command, is returned as typed without importing the completion
    table (the options that take a value are read only where something may move)."""
    import subprocess
    import sys

    probe = ("import sys; from dutyctl.commandwords import program_options_first as f;"
             "assert f(['who', '--at', '2026-11-20 10:00']) == ['who', '--at', '2026-11-20 10:00'];"
             "print('dutyctl.completiontable' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False", done.stderr
