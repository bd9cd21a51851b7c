"""`dutyctl 来电 --帮助 --语言 en`: the help of a command or group in the language asked for
beside its --帮助, as `来电 帮助 --语言 en` already was (was: refused, no option --语言)."""

from __future__ import annotations

import pytest

from tests.conftest import run_dutyctl
from tests.helpers_desk import record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}


@pytest.mark.parametrize("words,usage", [
    (("来电", "--帮助", "--语言", "en"), "Usage: root 来电 [OPTIONS]"),
    (("来电", "--语言", "en", "--帮助"), "Usage: root 来电 [OPTIONS]"),
    (("来电", "--help", "--lang=en"), "Usage: root 来电 [OPTIONS]"),
    (("报修", "派工", "--帮助", "--lang", "en"), "Usage: root 报修 派工 [OPTIONS]"),
    (("报修", "--帮助", "--语言", "en"), "Usage: root 报修 [OPTIONS] COMMAND"),
    (("报修", "--语言", "en", "--帮助"), "Usage: root 报修 [OPTIONS] COMMAND"),
    (("--语言", "en", "来电", "--帮助", "--语言", "zh_CN"), "用法：root 来电 [选项]"),
    (("报修", "--语言", "en", "登记", "--帮助"), "Usage: root 报修 登记 [OPTIONS]"),
    (("报修", "--语言=en", "登记", "--帮助"), "Usage: root 报修 登记 [OPTIONS]"),
    (("报修", "--lang", "en", "派工", "--help"), "Usage: root 报修 派工 [OPTIONS]"),
    (("报修", "--语言", "en", "登记", "帮助"), "Usage: root 报修 登记 [OPTIONS]"),
    (("报修", "登记", "--语言=en", "--帮助"), "Usage: root 报修 登记 [OPTIONS]"),
    (("报修", "--语言", "en", "帮助"), "Usage: root 报修 [OPTIONS]"),
    (("排班", "--语言", "en", "帮助"), "Usage: root 排班 [OPTIONS]"),
    (("报修", "--lang", "en", "--help"), "Usage: root 报修 [OPTIONS]"),
    (("报修", "help"), "用法：root 报修 [选项]"),
    (("报修", "--lang", "en", "help"), "Usage: root 报修 [OPTIONS]"),
    (("help",), "用法：root [选项]"),
    (("help", "报修", "派工"), "用法：root 报修 派工 [选项]"),
    (("repair", "help"), "用法：root repair [选项]"),
])
def test_help_beside_a_language_is_the_help_in_that_language(cli, workspace, words, usage):
    """Also `报修 --语言 en 帮助`, `报修 --语言 en 登记 --帮助` (both refused: no option --语言)
    and English `help` where a command or subcommand goes (`报修 --lang en help`, `dutyctl
    help`: "no such command"): both help words wherever one goes (commandwords.HELP_WORDS),
    the help in the language asked for, nothing written."""
    files = record_files(workspace.root)
    shown = cli(*words, env=ZH)
    assert shown.exit_code == 0, shown.stdout + shown.stderr
    assert shown.stdout.splitlines()[0].startswith(usage), shown.stdout
    assert record_files(workspace.root) == files


def test_a_language_without_help_is_the_language_of_the_command(cli, workspace):
    """--语言 after a command's words without --帮助 was refused (没有选项 --语言): it is the
    program's option wherever it is typed (commandwords.program_options_first)."""
    refused = cli("报修", "--语言", "en", env=ZH)
    assert refused.exit_code == 2 and "Usage: root 报修" in refused.stderr, refused.stderr
    refused = cli("报修", "--语言", "en", "登记", "--摘要", "x", env=ZH)  # a subcommand's too
    assert refused.exit_code == 2 and "no such option: --摘要" in refused.stderr, refused.stderr
    unknown = cli("来电", "--帮助", "--语言", "fr", env=ZH)
    assert unknown.exit_code == 2 and "未知语言“fr”" in unknown.stderr, unknown.stderr


@pytest.mark.parametrize("words", [
    ("--help", "--lang", "zz"), ("--帮助", "--语言=zz"), ("--version", "--lang", "zz"),
    ("--root", ".", "--help", "--lang", "zz"), ("--help", "——语言", "zz")])
def test_an_unknown_language_after_the_programs_help_is_refused(cli, workspace, words):
    """`dutyctl --help --lang zz` showed the help without a word on zz (Click takes eager
    options in the order typed: --help first, and it exits): refused as `--lang zz --help`
    is, the same line and exit code."""
    alone = cli("--lang", "zz", "list", env=ZH)
    assert alone.exit_code == 2 and "未知语言“zz”" in alone.stderr, alone.stderr
    refused = cli(*words, env=ZH)
    assert refused.exit_code == 2 and refused.stdout == "", refused.stdout
    assert refused.stderr.replace("--语言", "--lang") == alone.stderr, refused.stderr
    shown = cli("--help", "--lang", "en", env=ZH)
    assert shown.exit_code == 0 and shown.stdout.startswith("Usage:"), shown.stdout


@pytest.mark.parametrize("words", [("--help", "--lang"), ("--version", "--lang"),
                                   ("--帮助", "--语言"), ("--root", ".", "--help", "——语言")])
def test_the_programs_lang_without_its_value_after_help_says_it_needs_one(cli, workspace,
                                                                          words):
    """`dutyctl --help --lang`: the --lang put first took --help for its value, `未知语言
    “--help”`; it is left where it is, and Click says it needs a value, as `--lang` alone."""
    alone = cli("--lang", env=ZH)
    assert alone.exit_code == 2 and "选项 --lang 需要一个值" in alone.stderr, alone.stderr
    refused = cli(*words, env=ZH)
    assert refused.exit_code == 2 and refused.stdout == "", refused.stdout
    assert refused.stderr.replace("--语言", "--lang") == alone.stderr, refused.stderr


def test_the_installed_program_shows_a_commands_help_in_english(workspace, dutyctl_command):
    shown = run_dutyctl(dutyctl_command, "来电", "--帮助", "--语言", "en", root=workspace.root)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Usage: dutyctl 来电 [OPTIONS]"), shown.stdout


@pytest.mark.parametrize("words", [
    ("谁值班", "--help", "——工作区", "{en}"),
    ("谁值班", "--帮助", "－－工作区={en}"),
    ("--help", "——工作区", "{en}"),
    ("报修", "--工作区", "{en}", "登记", "--帮助"),
    ("--工作区", "{zh}", "--root", "{en}", "--help"),  # of one given twice, the later
])
def test_help_speaks_the_language_of_the_workspace_named_after_the_command(cli, workspace,
                                                                          tmp_path, words):
    """The help screen's language is the site's of the workspace the line names, wherever
    its --工作区 is typed, also with the dashes of an input method (`——工作区`): the same
    reading of the program's options as the command's (commandwords.program_options; the
    help read them apart and missed these)."""
    english = tmp_path / "en"
    english.mkdir()
    config = (workspace.root / "dutyctl.yaml").read_text(encoding="utf-8")
    assert "language: zh_CN" in config
    (english / "dutyctl.yaml").write_text(config.replace("language: zh_CN", "language: en", 1),
                                          encoding="utf-8")
    unset = {"DUTYCTL_LANG": None}  # the site's language, then, not the tests' own
    assert cli("谁值班", "--帮助", env=unset).stdout.startswith("用法：root ")
    shown = cli(*(word.format(en=english, zh=workspace.root) for word in words), env=unset)
    assert shown.exit_code == 0, shown.stdout + shown.stderr
    assert shown.stdout.startswith("Usage: root "), shown.stdout


def test_the_command_line_is_read_once_for_the_help_language_and_the_command(cli, workspace,
                                                                            monkeypatch):
    """The help screens' language (helptext.follow_site_language) and the command read one
    moving of the program's options after the command's words: `program_options_first` ran
    twice on every line, the second time over what the first had found."""
    from dutyctl import commandwords

    seen = []
    first = commandwords.program_options_first
    monkeypatch.setattr(commandwords, "program_options_first",
                        lambda args: seen.append(list(args)) or first(args))
    shown = cli("报修", "--语言", "en", "登记", "--帮助", env=ZH)
    assert shown.exit_code == 0, shown.stdout + shown.stderr
    assert shown.stdout.startswith("Usage: root 报修 登记 [OPTIONS]"), shown.stdout
    assert seen == [["--root", str(workspace.root), "报修", "--语言", "en", "登记", "--帮助"]]


@pytest.mark.parametrize("command, option", [
    (("repair", "close"), "--原因"), (("complaint", "close"), "--原因"),
    (("repair", "visit"), "--满意度"), (("complaint", "visit"), "--满意度")])
def test_an_option_asked_for_when_missing_is_marked_required_in_help(cli, workspace, command,
                                                                     option):
    """`报修 关闭 --原因` and `回访 --满意度` are refused without a value in a script
    (`缺少 --原因`), yet the help showed no [必填] beside them."""
    from dutyctl.commandwords import chinese_words

    shown = cli("--lang", "zh_CN", *chinese_words(command), "--帮助")
    assert shown.exit_code == 0, shown.stderr
    after = shown.stdout.split("  " + option + ",", 1)[1]
    entry = after.split("\n  --", 1)[0]  # up to the next option's line
    assert "[必填" in entry, shown.stdout


@pytest.mark.parametrize("word", ["请假", "leave"])
def test_leave_typed_as_a_command_says_where_leave_is_written(cli, workspace, word):
    """`dutyctl 请假 刘洋`, the first word a supervisor tries: "no such command" and nothing
    more. Where leave is written, and the commands that follow."""
    said = cli("--lang", "zh_CN", word, "刘洋")
    assert said.exit_code == 2
    assert "请假写在 rosters/rules.yaml 该员工的“请假”下" in said.stderr
    assert "'dutyctl 排班 生成'" in said.stderr
