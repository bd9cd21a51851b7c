"""Commands by their Chinese names (dutyctl/commandwords.py): `dutyctl 来电` is `dutyctl log
call`, `dutyctl 投诉 登记` is `dutyctl complaint file`."""

from __future__ import annotations

import json

import pytest

from dutyctl.commandwords import SUB, TOP, english
from dutyctl.commands import COMMANDS
from tests.conftest import Cli, run_dutyctl
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import call_flags, record_files
from tests.test_tickets_cli import RESIDENT

ZH = ("--lang", "zh_CN")
CALL = call_flags()[2:]  # its options


def _command(path):
    from typer.main import get_command

    from dutyctl.cli import app

    command = get_command(app)
    for name in path:
        command = command.get_command(None, name)
        assert command is not None, path
    return command


@pytest.mark.parametrize("word", sorted(TOP))
def test_every_chinese_name_stands_for_a_command(word):
    _command(TOP[word])
    assert word not in COMMANDS  # no English name is taken for a Chinese one


@pytest.mark.parametrize("group", sorted(SUB))
def test_every_chinese_subcommand_stands_for_one_of_its_group(group):
    assert set(SUB[group].values()) <= set(_command((group,)).list_commands(None))


def test_a_command_line_s_words_in_english():
    assert english(["来电", "--name", "签到"]) == ["log", "call", "--name", "签到"]
    assert english(["投诉", "登记", "--content", "受理"]) == ["complaint", "file", "--content",
                                                           "受理"]
    assert english(["登记", "来电"]) == ["log", "call"]
    assert english(["排班", "--help"]) == ["roster", "--help"]
    assert english(["list", "投诉"]) == ["list", "投诉"]  # an English command is left alone


def test_a_call_logged_by_its_chinese_name_is_the_call_log_call_writes(cli, workspace):
    logged = ok(cli("来电", *CALL, "--at", "2026-10-12 09:00"))
    shown = json.loads(ok(cli("show", logged, "--format", "json")))
    assert shown["kind"] == "call" and shown["resident"]["name"] == "张三"
    complaint = ok(cli("投诉", "登记", *RESIDENT, "--category", "噪音", "--content",
                       "楼上装修噪音", "--at", "2026-10-12 09:10"))
    ok(cli("投诉", "受理", complaint, "--action", "已上门劝导", "--at", "2026-10-12 09:30"))
    assert json.loads(ok(cli("show", complaint, "-f", "json")))["status"] == "handling"


def test_the_chinese_name_is_what_its_usage_and_errors_say(cli):
    usage = cli(*ZH, "投诉", "登记", "--help")
    assert usage.exit_code == 0 and " 投诉 登记 [选项]" in usage.stdout.splitlines()[0]
    wrong = cli(*ZH, "投诉", "登记", "--bogus")
    assert wrong.exit_code == 2
    assert wrong.stderr.strip().endswith(" 投诉 登记：没有选项 --bogus（见 'root 投诉 登记 --帮助'）")


def _command_rows(screen: str) -> list[str]:
    """The names of a help screen's command list, as written (`考勤, attendance`)."""
    listed = screen.split("命令：\n" if "命令：\n" in screen else "Commands:\n")[1]
    return [line.strip().split("  ")[0] for line in listed.split("\n\n")[0].splitlines()
            if line.startswith("  ") and not line.startswith("   ")]


def test_a_chinese_help_names_each_command_in_chinese_first_and_an_english_one_does_not(cli):
    """The list of commands a Chinese clerk reads: 考勤 before attendance, as its options put
    --房号 before --room; the words that stand for a subcommand (来电) or are a second name
    (值班) follow in a section of their own."""
    top = ok(cli(*ZH, "--help"))
    rows = _command_rows(top)
    assert rows[0] == "考勤, attendance" and "谁值班, who" in rows and "登记, log" in rows
    assert all(", " in row for row in rows)  # every top-level command has a Chinese name
    others = top.split("其他中文命令（与右边的命令相同）：")[1]
    assert "  来电      登记 来电" in others and "  值班      谁值班" in others
    assert "  换班      排班 换班" in others and "log" not in others  # Chinese on both sides
    listed = [line.split()[0] for line in others.strip().splitlines()]
    assert "谁值班" not in listed and "考勤" not in listed  # each word shown once
    group = ok(cli(*ZH, "排班", "--help"))
    assert "生成, generate" in _command_rows(group)
    # a second word of a group's subcommand is named in Chinese too, not `解释  explain`
    assert group.split("其他中文命令（与右边的命令相同）：")[1].split() == ["解释", "说明"]
    english = ok(cli("--lang", "en", "--help"))
    assert _command_rows(english)[0] == "attendance" and "中文" not in english
    assert "Chinese command" not in ok(cli("--lang", "en", "roster", "--help"))


def test_completion_is_installed_or_shown_by_its_chinese_flags(cli, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    shown = cli(*ZH, "--显示补全", "fish")
    assert shown.exit_code == 0 and "complete --command dutyctl" in shown.stdout
    refused = cli(*ZH, "--安装补全", "tcsh")
    assert refused.exit_code == 2 and "--安装补全" in refused.stderr and "tcsh" in refused.stderr
    assert list(home.iterdir()) == []
    assert "--安装补全, --install-completion" in ok(cli(*ZH, "--help"))


def test_the_bare_completion_flag_installs_for_the_current_shell_in_the_screen_s_words(
        cli, tmp_path, monkeypatch):
    """`--安装补全` with no shell named: the current shell, as Typer's flag, but said in
    Chinese (Typer's own words are English); `--lang` before it is heeded."""
    import typer._completion_shared

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(typer._completion_shared, "_get_shell_name", lambda: "bash")
    monkeypatch.delenv("DUTYCTL_LANG")  # the workspace's own language: Chinese
    done = cli("--安装补全")
    assert done.exit_code == 0 and done.stdout.startswith("bash 命令补全已安装到 "), done.stdout
    assert (home / ".bash_completions" / "dutyctl.sh").is_file()
    english = cli("--lang", "en", "--install-completion")
    assert english.stdout.startswith("bash completion installed in "), english.stdout
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    chinese = cli("--lang", "zh_CN", "--install-completion")
    assert chinese.stdout.startswith("bash 命令补全已安装到 "), chinese.stdout


def test_the_installed_program_logs_a_call_by_its_chinese_name(workspace, dutyctl_command):
    """The quick path (cli/quick.py, before Typer loads) takes `来电` as it takes `log call`."""
    from dutyctl.cli import quick

    assert quick.parse(["来电", *CALL]) == quick.parse(["log", "call", *CALL])
    logged = run_dutyctl(dutyctl_command, "来电", *CALL, "--at", "2026-10-12 09:00",
                         root=workspace.root)
    assert logged.returncode == 0, logged.stderr
    assert len(record_files(workspace.root)) == 1
    signed = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "签到", "--at", "2026-10-12 07:50",
                         root=workspace.root)
    assert "Traceback" not in signed.stderr and "签到" in signed.stderr


def test_a_message_names_a_command_in_the_user_s_language(monkeypatch):
    from dutyctl import messages
    from dutyctl.commandwords import chinese_words, said

    assert chinese_words(("complaint", "file")) == ("投诉", "登记")
    assert chinese_words(("log", "call")) == ("来电",)  # one word where one names it whole
    assert chinese_words(("report", "monthly")) == ("月报",)
    assert chinese_words(("list",)) == ("列表",)
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.start_invocation(None)
    assert said("repair", "reopen") == "报修 重开"
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    messages.start_invocation(None)
    assert said("repair", "reopen") == "repair reopen"


def test_every_command_a_message_may_name_has_chinese_words():
    """said() is given a ticket kind's steps, `list` and the reports: each has its words."""
    from dutyctl.commands import SUBCOMMANDS
    from dutyctl.commandwords import chinese_words

    for group in ("complaint", "repair", "report", "roster", "callout", "checklist"):
        for name in SUBCOMMANDS[group]:
            words = chinese_words((group, name))
            assert all(not word.isascii() for word in words), (group, name, words)


def test_a_mistyped_command_word_is_refused_with_the_word_it_was_likely_meant_as(cli,
                                                                                  workspace):
    """3 a.m.: the input method gives 保修 for 报修, a slip gives 完功 for 完工; the refusal
    names the command meant (nothing is written), in the words the clerk types."""
    homophone = cli(*ZH, "保修", "登记", *CALL)
    assert homophone.exit_code == 2
    assert "没有命令“保修”：是不是要输入 报修？" in homophone.stderr
    slip = cli(*ZH, "报修", "完功", "01M8")
    assert slip.exit_code == 2 and "是不是要输入 完工？" in slip.stderr
    assert "是不是要输入 交接班？" in cli(*ZH, "交界班").stderr
    english = cli("--lang", "en", "repair", "dispach")
    assert english.exit_code == 2 and "did you mean dispatch?" in english.stderr
    # a group's subcommand typed at the top level is offered whole, in the clerk's words
    alone = cli(*ZH, "完功", "01M8")
    assert alone.exit_code == 2 and "没有命令“完功”：是不是要输入 报修 完工？" in alone.stderr
    assert "did you mean repair arrive?" in cli("--lang", "en", "arive").stderr
    # one guess only when it is strictly fewest edits away (choices.near's rule): repiar is
    # one swap from repair, three from report (it was "repair 或 report")
    assert "是不是要输入 repair？" in cli(*ZH, "repiar").stderr
    # as near as each other: both, Latin words spaced around 或
    assert "是不是要输入 show 或 who？" in cli(*ZH, "sho").stderr
    # a Chinese slip guessed in Chinese, the nearest words only (it was 月报、日报或报表,
    # without 报修): in any language of the screens, as typed
    assert "没有命令“报袖”：是不是要输入 报表或报修？" in cli(*ZH, "报袖").stderr
    assert "did you mean 报表 or 报修?" in cli("--lang", "en", "报袖").stderr
    # a group's subcommand as near as a command, or nearer: weighed alike (it was search)
    assert "did you mean repair dispatch?" in cli("--lang", "en", "dispach").stderr
    nothing_close = cli(*ZH, "xyz")
    assert nothing_close.exit_code == 2 and "是不是" not in nothing_close.stderr
    assert record_files(workspace.root) == []


def test_a_supervisor_asking_the_roster_to_explain_a_slot_may_say_either_word(cli, workspace):
    """`排班 解释` is what a supervisor says as often as `排班 说明`: both explain a slot (it
    was refused as no command '解释', with no hint)."""
    assert cli("roster", "generate", "--month", "2026-12", "--at", "2026-11-20 10:00"
               ).exit_code == 0
    said = ok(cli(*ZH, "排班", "说明", "2026-12-05", "夜班"))
    assert ok(cli(*ZH, "排班", "解释", "2026-12-05", "夜班")) == said
    assert "12月5日 周六 夜班" in said


def test_help_asked_for_in_chinese_is_the_help(cli):
    """`dutyctl 帮助` (a Chinese user's first try) said there is no command '帮助'; followed by
    a command it is that command's help, and in a group's place the group's help."""
    top = cli(*ZH, "帮助")
    assert top.exit_code == 0 and top.stdout == cli(*ZH, "--帮助").stdout, top.stderr
    assert top.stdout.startswith("用法：root [选项] 命令")
    for asked, same in ((("帮助", "报修", "派工"), ("报修", "派工", "--帮助")),
                        (("报修", "帮助"), ("报修", "--帮助")),
                        (("帮助", "来电"), ("来电", "--帮助"))):
        shown = cli(*ZH, *asked)
        assert shown.exit_code == 0, (asked, shown.stderr)
        assert shown.stdout == cli(*ZH, *same).stdout, asked
    # where a text goes, 帮助 is the text: a note that says 帮助
    note = ok(cli(*ZH, "记事", "帮助", "--at", "2026-10-12 09:00"))
    assert json.loads(ok(cli("show", note, "-f", "json")))["content"] == "帮助"


@pytest.mark.parametrize("word", ["检查单", "备勤检查"])
def test_the_checklist_by_the_words_a_clerk_says(cli, word):
    """检查单 (what a clerk calls the readiness checklist) was taken for 检查 (the workspace
    check) by the 'did you mean'; the checklist runs by it."""
    from dutyctl.kinds.readiness import KIND

    run = ok(cli(*ZH, word, "--正常", "全部", "--at", "2026-10-12 07:55"))
    assert json.loads(ok(cli("show", run, "-f", "json")))["kind"] == KIND


def test_one_chinese_character_lists_every_command_that_holds_it(cli, monkeypatch, tmp_path):
    """`dutyctl 报` guessed 月报、日报或报表 (three far-off slips, without 报修): a character typed
    in Chinese lists every command word holding it, those it begins first, the shorter before
    the longer, one word for each command; a group's subcommand only where no command has it.
    A first word typed in Chinese is answered in Chinese even where no workspace says so."""
    from dutyctl.commandwords import near_names

    assert near_names("报", None) == ["报表", "报修", "日报", "周报", "月报"]
    assert near_names("检", None) == ["检查", "检查单"]  # 备勤检查 is 检查单's command
    assert near_names("值", None) == ["值班"]  # never 谁值班 beside it: the same command
    assert near_names("完", None) == ["报修 完工"] and near_names("查", "roster") == [
        "查看", "检查"]
    assert near_names("报袖", None) == ["报表", "报修"]  # a slip: the nearest, as before
    refused = cli(*ZH, "报")
    assert refused.exit_code == 2
    assert "没有命令“报”：是不是要输入 报表、报修、日报、周报或月报？" in refused.stderr
    monkeypatch.delenv("DUTYCTL_LANG")  # no workspace, no language chosen: it was English
    alone = Cli(tmp_path)("报")
    assert alone.exit_code == 2 and "是不是要输入 报表、报修" in alone.stderr, alone.stderr


def test_a_far_off_english_word_gets_no_guess(cli):
    """An English word is guessed only when it is a slip (at most two edits, fewer than half
    its letters): `报修 list` was "did you mean visit?", `ticket` "log notice or notify
    test"; sho, repiar and dispach are still guessed."""
    from dutyctl.commandwords import near_names

    assert near_names("list", "repair") == [] and near_names("ticket", None) == []
    assert near_names("sho", None) == ["show", "who"] and near_names("dispatc", "repair") == [
        "dispatch"]
    far = cli(*ZH, "报修", "list")
    assert far.exit_code == 2 and "是不是" not in far.stderr and "visit" not in far.stderr
    assert "did you mean" not in cli("--lang", "en", "ticket").stderr
    # a group without commands (or a Chinese word under one without Chinese words): no guess,
    # never a ValueError from difflib's n=0
    assert near_names("abc", "no-such-group") == near_names("保修", "no-such-group") == []


@pytest.mark.parametrize("typed, meant", [
    (("报修", "挂起"), "暂停"), (("报修", "取消"), "关闭"), (("投诉", "完成"), "办结"),
    (("备班", "结束"), "返回"), (("突发", "结束"), "关闭"), (("打卡", "下班"), "签退")])
def test_a_desks_own_word_for_a_command_is_offered_the_command(cli, typed, meant):
    """`报修 挂起` (the word `列表 --状态 挂起` takes) was "no command 挂起" with no hint: the
    desk's words for a command (DESK_WORDS) are offered it, as a slip is."""
    refused = cli(*ZH, *typed)
    assert refused.exit_code == 2
    assert f"没有命令“{typed[1]}”：是不是要输入 {meant}？" in refused.stderr, refused.stderr
    from dutyctl.commandwords import DESK_WORDS, words_of

    for group, words in DESK_WORDS.items():  # each word stands for a command of its group
        assert set(words.values()) <= set(words_of(group)), group


def test_command_words_typed_with_a_full_width_space_are_the_words(cli, workspace):
    """`报修　登记` typed in a Chinese input method's full-width mode reached the program as one
    word: "no command 报修　登记" with a guess the other way round; `签到　--时间` had no hint."""
    shown = cli("报修\u3000登记", "--help")
    assert shown.exit_code == 0 and "报修 登记" in shown.stdout, shown.stderr
    clocked = cli("签到\u3000--时间", "2026-10-12 07:55", "--staff", "zhangwei")
    assert clocked.exit_code == 0, clocked.stderr
    called = cli("来电\u3000--姓名", "张三", "--房号", "3-2-501", "--电话", "13812345678",
                 "--摘要", "物业费", "--时间", "2026-10-12 09:00")  # the quick path
    assert called.exit_code == 0, called.stderr
    word = cli("漏水\u3000登记")  # not a command: left as typed, refused as ever
    assert word.exit_code == 2 and "no command '漏水\u3000登记'" in word.stderr, word.stderr
