"""Options by their Chinese names (dutyctl/commandwords.py OPTIONS, cli/optionwords.py):
`dutyctl 来电 --房号 3-2-501` is `dutyctl log call --room 3-2-501`, under English and Chinese
command names alike; help, errors and completion speak of them in the user's language."""

from __future__ import annotations

import json

import pytest

from dutyctl.commands import COMMANDS
from dutyctl.commandwords import OPTIONS, OPTIONS_OF, option_words
from dutyctl.completiontable import COMPLETION
from tests.conftest import run_dutyctl
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import record_files

ZH = ("--lang", "zh_CN")
EN = ("--lang", "en")
CALL_ZH = ("--姓名", "张三", "--房号", "3-2-501", "--电话", "13812345678", "--摘要", "物业费怎么交")


def _every_command() -> dict:
    """English command words ("" for the options before any command) -> its Click command,
    each runnable command and each group, as the program converts them."""
    from typer.main import get_command

    from dutyctl.cli import app, every_command

    found = {"": get_command(app)}

    def add(path, command):
        found[path] = command
        for name, sub in getattr(command, "commands", {}).items():
            add(f"{path} {name}", sub)

    for name, (_, command) in every_command().items():
        add(name, command)
    return found


COMMAND_OBJECTS = _every_command()


def _long_options(command) -> list[tuple[str, str]]:
    """(English long option, its Chinese name or None) of each option of a command."""
    from dutyctl.cli.optionwords import CHINESE, ENGLISH

    from typer._click.core import Context

    pairs = []
    # Typer's --install-completion is added to the top level after the group was made: it is
    # named when the group lists its parameters
    command.get_params(Context(command))
    for param in command.params:
        if param.param_type_name != "option":
            continue
        opts, secondary = getattr(param, ENGLISH, (param.opts, param.secondary_opts))
        named = getattr(param, CHINESE, {})
        pairs += [(name, named.get(name)) for name in (*opts, *secondary) if name.startswith("--")]
    return pairs


# -- the table ---------------------------------------------------------------------------------

def test_the_table_names_options_that_exist():
    every_english = {name for command in COMMAND_OBJECTS.values()
                     for name, _ in _long_options(command)} | {"--help"}
    assert set(OPTIONS) <= every_english
    for path, named in OPTIONS_OF.items():
        assert path in COMMAND_OBJECTS, path
        assert path.split()[0] in COMMANDS
        own = {name for name, _ in _long_options(COMMAND_OBJECTS[path])}
        assert set(named) <= own, (path, set(named) - own)


@pytest.mark.parametrize("path", sorted(COMMAND_OBJECTS))
def test_every_option_of_every_command_has_one_chinese_name_of_its_own(path):
    command = COMMAND_OBJECTS[path]
    pairs = _long_options(command)
    missing = [name for name, chinese in pairs if chinese is None]
    assert missing == [], f"{path or 'dutyctl'}: add to commandwords.OPTIONS: {missing}"
    chinese = [name for _, name in pairs if name]
    assert len(chinese) == len(set(chinese)), f"{path}: two options share a name: {chinese}"
    english = {name for name, _ in pairs}
    for name in chinese:
        assert name.startswith("--") and not name[2:].isascii() and name not in english
    every_english = {name for command in COMMAND_OBJECTS.values()
                     for name, _ in _long_options(command)}
    assert not set(chinese) & every_english
    # the parser takes each, the help option's --帮助 too
    opts = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    assert set(chinese) <= opts
    assert "--帮助" in command.get_help_option(_context(command)).opts


def _context(command):
    from typer._click.core import Context

    return Context(command)


def test_the_completion_table_and_the_launcher_know_the_chinese_names():
    assert COMPLETION["log call"][0]["--房号"] is None
    assert COMPLETION["log call"][0]["--类别"] == COMPLETION["log call"][0]["--category"]
    assert COMPLETION["roster generate"][0]["--月份"] is None
    assert COMPLETION["repair dispatch"][0]["--派给"] == "staff"
    from dutyctl.commandwords import program_options

    # the one reading of the program's options knows the names option_words gives them
    root, lang = (option_words("")[english] for english in ("--root", "--lang"))
    assert (root, lang) != ("--root", "--lang")
    assert program_options([root, "/x", f"{lang}=en", "谁值班"]) == (
        {"--root": "/x", "--lang": "en"}, ["谁值班"])


def test_the_same_word_for_the_same_option_across_commands():
    assert option_words("log call")["--room"] == option_words("complaint file")["--room"] \
        == "--房号"
    assert option_words("roster generate")["--to"] == "--到" == option_words("list")["--until"]
    assert option_words("repair dispatch")["--to"] == "--派给"
    assert option_words("handover")["--to"] == "--接班人"


# -- command lines -----------------------------------------------------------------------------

def test_a_call_logged_with_chinese_options_is_the_call_the_english_ones_log(cli):
    chinese = ok(cli("来电", *CALL_ZH, "--类别=fee", "--时间", "2026-10-12 09:00"))
    english = ok(cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone",
                     "13812345678", "--summary", "物业费怎么交", "--category", "fee",
                     "--at", "2026-10-12 09:00"))
    shown = [json.loads(ok(cli("show", record, "--格式", "json"))) for record in (chinese,
                                                                              english)]
    for record in shown:
        record.pop("id"), record.pop("path", None), record.pop("history", None)
    assert shown[0] == shown[1]
    assert shown[0]["resident"]["room"] == "3-2-501" and shown[0]["category"] == "fee"
    mixed = ok(cli("log", "call", *CALL_ZH, "--at", "2026-10-12 09:05", "--操作人", "lina"))
    assert json.loads(ok(cli("show", mixed, "-f", "json")))["recorded_by"] == "lina"


def test_a_complaint_and_a_repair_go_their_way_with_chinese_options(cli):
    complaint = ok(cli("投诉", "登记", "--姓名", "张三", "--房号", "3-2-501", "--电话",
                       "13812345678", "--类别", "噪音", "--内容", "楼上装修噪音",
                       "--时间", "2026-10-12 09:10"))
    ok(cli("complaint", "handle", complaint, "--处理情况", "已上门劝导",
           "--时间", "2026-10-12 09:30"))
    handled = json.loads(ok(cli("show", complaint, "-f", "json")))
    assert handled["status"] == "handling" and handled["category"] == "noise"
    repair = ok(cli("报修", "登记", "--姓名", "李四", "--房号", "5-1-1202", "--电话",
                    "13900001111", "--类别", "water-electric", "--内容", "厨房灯不亮",
                    "--时间", "2026-10-12 09:00"))
    ok(cli("报修", "派工", repair, "--派给", "wangqiang", "--时间", "2026-10-12 09:30"))
    dispatched = json.loads(ok(cli("show", repair, "--格式", "json")))
    assert dispatched["status"] == "dispatched"
    assert dispatched["history"][-1]["to"] == "wangqiang"


def test_a_roster_generated_and_a_report_asked_for_with_chinese_options(cli, workspace):
    assert ok(cli("排班", "生成", "--月份", "2026-12")) == "rosters/2026-12.yaml"
    assert (workspace.rosters_dir / "2026-12.yaml").exists()
    ok(cli("来电", *CALL_ZH, "--时间", "2026-10-12 09:00"))
    report = json.loads(ok(cli("report", "daily", "--日期", "2026-10-12", "--格式", "json")))
    english = json.loads(ok(cli("report", "daily", "--date", "2026-10-12", "--format", "json")))
    assert report == english
    html = ok(cli(*ZH, "日报", "--日期=2026-10-12", "--格式", "网页"))
    assert html.startswith("<!DOCTYPE html>") or "<html" in html


def test_the_installed_program_takes_chinese_options(workspace, dutyctl_command):
    """On the quick path of `log call` (before Typer loads) and through Typer alike."""
    logged = run_dutyctl(dutyctl_command, "--语言", "zh_CN", "来电", *CALL_ZH,
                         "--时间=2026-10-12 09:00", root=workspace.root)
    assert logged.returncode == 0, logged.stderr
    record = logged.stdout.strip()
    shown = run_dutyctl(dutyctl_command, "查看", record, "--格式", "json", "--显示电话",
                        root=workspace.root)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["resident"]["phone"] == "13812345678"
    refused = run_dutyctl(dutyctl_command, "--语言", "zh_CN", "来电", "--姓名", "张三",
                          "--房号", "3-2-501", "--电话", "1381234", "--摘要", "x",
                          "--时间", "2026-10-12 09:00", root=workspace.root)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("--电话 '1381234'")
    assert len(record_files(workspace.root)) == 1


# -- help, errors, completion ------------------------------------------------------------------

def test_chinese_help_shows_the_chinese_names_and_english_help_the_english_ones(cli):
    chinese = ok(cli(*ZH, "来电", "--帮助"))
    assert "--房号, --room 房号" in chinese and "--帮助, --help" in chinese
    assert "--操作人, --staff" in chinese
    same = ok(cli(*ZH, "log", "call", "--help"))
    assert same.splitlines()[1:] == chinese.splitlines()[1:]
    english = ok(cli(*EN, "log", "call", "--help"))
    assert "--room ROOM" in english and "房号" not in english.split("Options:")[1].split(
        "Room like")[0]
    assert not any(name in english for name in ("--姓名", "--电话", "--帮助", "--操作人"))
    flags = ok(cli(*ZH, "handover", "accept", "--help"))
    assert "--签到, --clock-in / --不签到, --no-clock-in" in flags
    top = ok(cli(*ZH, "--help"))
    assert "--工作区, --root" in top and "--语言, --lang" in top


@pytest.mark.parametrize(("lang", "typed", "named"), [
    (ZH, "--格式", "'--格式'"), (EN, "--格式", "'--格式'"), (ZH, "--format", "'--format'"),
    (EN, "-f", "'-f'")])
def test_a_bad_value_is_refused_in_one_line_naming_the_option_as_typed(cli, lang, typed, named):
    refused = cli(*lang, "list", typed, "bogus")
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1
    assert named in refused.stderr and "bogus" in refused.stderr
    assert " / " not in refused.stderr


def test_an_option_not_typed_is_named_in_the_user_s_language(cli):
    empty = cli(*ZH, "投诉", "受理", "X", "--处理情况", "")
    assert empty.exit_code == 2 and "--处理情况" in empty.stderr and "--action" not in empty.stderr
    number = cli(*ZH, "列表", "--最多", "x")
    assert number.exit_code == 2 and "'--最多'" in number.stderr
    # a core error naming a value given by no option typed: the name of the screen's language
    nobody = cli(*ZH, "记事", "水管", "--时间", "2026-10-12 09:00", user=None)
    assert nobody.exit_code == 2 and "--操作人" in nobody.stderr and "--staff" not in nobody.stderr
    english = cli(*EN, "记事", "水管", "--时间", "2026-10-12 09:00", user=None)
    assert english.exit_code == 2 and "--staff" in english.stderr
    emergency = cli("emergency", "open", "--type", "elevator-entrapment", "--where",
                    "3号楼电梯", "--at", "2026-10-10 02:00").stdout.splitlines()[0]
    closed = cli(*ZH, "突发", "关闭", emergency, "--结果", " ", "--时间", "2026-10-10 02:30")
    assert closed.exit_code == 2 and closed.stderr.startswith("--结果 ")


def test_options_left_out_are_named_as_the_clerk_types_them(cli, workspace, dutyctl_command):
    """A required value left out (no terminal to ask at) is named by the option's Chinese name
    on a Chinese screen: the clerk who typed `--姓名` is told to add `--房号`, not `--room`."""
    call = cli(*ZH, "来电", "--姓名", "张三", "--摘要", "问", "--时间", "2026-10-12 09:00")
    assert call.exit_code == 2 and call.stderr.startswith("缺少 --房号（") and "--电话（" in call.stderr
    assert "--room" not in call.stderr and "--phone" not in call.stderr
    english = cli(*EN, "log", "call", "--name", "张三", "--summary", "x", "--at",
                  "2026-10-12 09:00")
    assert english.exit_code == 2 and "missing --room (" in english.stderr
    typed = cli(*ZH, "complaint", "file", "--name", "张三", "--room", "3-2-501", "--at",
                "2026-10-12 09:00")
    assert typed.exit_code == 2 and "--电话（" in typed.stderr and "--phone" not in typed.stderr
    kind = cli(*ZH, "突发", "开启", "--地点", "3号楼", "--时间", "2026-10-12 09:00")
    assert kind.exit_code == 2 and kind.stderr.startswith("缺少 --类型（") and "--type" not in kind.stderr
    # the quick path of the installed program (`来电`) says it alike
    before = record_files(workspace.root)
    installed = run_dutyctl(dutyctl_command, *ZH, "来电", "--姓名", "张三", "--摘要", "问",
                            "--时间", "2026-10-12 09:00", root=workspace.root)
    assert installed.returncode == 2 and installed.stderr.startswith("缺少 --房号（")
    assert "Traceback" not in installed.stderr and record_files(workspace.root) == before


def test_completion_offers_the_names_of_the_screen_s_language(cli, monkeypatch):
    def completed(*words: str, lang=ZH) -> list[str]:
        from typer.main import get_command

        from dutyctl import messages
        from dutyctl.cli import app
        from typer._click.shell_completion import _resolve_context, _resolve_incomplete

        messages.start_invocation(lang[1])
        args = ["--root", str(cli.root), *lang, *words[:-1]]
        ctx = _resolve_context(get_command(app), {}, "dutyctl", args)
        command, incomplete = _resolve_incomplete(ctx, args, words[-1])
        return [item.value for item in command.shell_complete(ctx, incomplete)]

    chinese = completed("log", "call", "--")
    assert "--房号" in chinese and "--room" not in chinese
    english = completed("log", "call", "--", lang=EN)
    assert "--room" in english and "--房号" not in english
    assert completed("log", "call", "--房") == ["--房号"]
    assert completed("log", "call", "--ro", lang=ZH) == ["--room"]
    assert "--版本" in completed("--") and "--version" not in completed("--")
    assert "--version" in completed("--", lang=EN)


def test_the_launcher_completes_values_after_chinese_names(workspace, monkeypatch, capsys):
    from dutyctl.launcher import answer_completion

    environ = {"_DUTYCTL_COMPLETE": "complete_bash", "COMP_WORDS":
               f"dutyctl --工作区 {workspace.root} 来电 --类别 ", "COMP_CWORD": "5"}
    assert answer_completion(environ)
    offered = capsys.readouterr().out.split()
    assert "fee" in offered and "water-electric" not in offered  # a call's, not a repair's


def test_typer_completes_values_of_the_command_a_chinese_word_names(workspace):
    """Typer runs `报修 登记` under the words typed: its completion asks for the command's
    own names (cli/values.command_words), so a repair's categories, not every kind's."""
    from typer.testing import CliRunner

    from dutyctl.cli import app

    env = {"_DUTYCTL_COMPLETE": "complete_bash", "COMP_CWORD": "6",
           "COMP_WORDS": f"dutyctl --工作区 {workspace.root} 报修 登记 --类别 "}
    offered = CliRunner().invoke(app, [], env=env, prog_name="dutyctl").stdout.split()
    assert "water-electric" in offered and "fee" not in offered


def test_help_text_never_breaks_an_option_s_chinese_name(cli):
    from dutyctl.output import wrap

    assert wrap("表格默认显示最新的 50 条；json、yaml、csv、xlsx 和 --输出 保留全部记录。", 40) == [
        "表格默认显示最新的 50 条；json、yaml、", "csv、xlsx 和 --输出 保留全部记录。"]
    for width in range(44, 49):
        assert "--输出" in "\n".join(wrap("只显示最新的若干条记录（0：全部显示）。表格默认显示最新的 "
                                          "50 条；json、yaml、csv、xlsx 和 --输出 保留全部记录。",
                                          width))
    for columns in ("60", "80", "100"):
        shown = ok(cli(*ZH, "list", "--help", env={"COLUMNS": columns}))
        for line in shown.splitlines():
            assert not line.rstrip().endswith(("--输", "--最", "--未")), (columns, line)


def test_a_mistyped_chinese_option_is_offered_its_kin_by_their_chinese_names(cli):
    wrong = cli(*ZH, "列表", "--时间", "x")
    assert wrong.exit_code == 2 and "--截至" in wrong.stderr and "--as-of" not in wrong.stderr
    resumed = cli(*ZH, "投诉", "恢复", "X", "--原因", "x")
    assert "（是否想用：--备注）" in resumed.stderr
    english = cli(*EN, "complaint", "resume", "X", "--reason", "x")
    assert "(possible options: --note)" in english.stderr
    # a key left by a resident: the duty log's place is --地点, the clerk types --房号
    key = cli(*ZH, "钥匙", "业主寄存钥匙一把", "--房号", "3-2-501")
    assert key.exit_code == 2 and "没有选项 --房号（是否想用：--地点）" in key.stderr
    call = cli(*ZH, "来电", "--地点", "3-2-501")
    assert call.exit_code == 2 and "没有选项 --地点（是否想用：--房号）" in call.stderr


# -- the command lines the Chinese messages suggest ----------------------------------------------

def _chinese_messages() -> list[tuple[str, str]]:
    """(message id, its Chinese text) of every message of the zh_CN catalogue, each plural
    form on its own."""
    from babel.messages.pofile import read_po

    from dutyctl import messages

    po = messages.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "dutyctl.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(key, text) for text in texts if text]
    return found


CHINESE_MESSAGES = _chinese_messages()
# a command line in a message: `dutyctl` and its words, up to a quote, bracket or punctuation
SUGGESTED = r"dutyctl((?: +[^\s'’“”（）()，；：\"]+)+)"
# git's own options: in the line that settles a conflict by hand, and in the one saying a
# record saved meanwhile is committed after the merge (git commit, or git merge --abort)
NOT_OURS = {"--no-rebase", "--abort", "--bare", "--unshallow", "--staged", "--rebase",
            "--cached", "--global", "--add"}  # git's own (git rm --cached: a file of
# .dutyctl/ git tracks; git config --global --add safe.directory: a folder another account owns)


def _suggested_lines() -> list[tuple[str, list[str]]]:
    import re

    return [(key, match.group(1).split()) for key, text in CHINESE_MESSAGES  # "值" one value
            for match in re.finditer(SUGGESTED, re.sub(r'"[^"\n]*"', "值", text))]


def test_the_chinese_messages_name_no_option_by_its_english_name():
    import re

    english = [(key, text) for key, text in CHINESE_MESSAGES
               if set(re.findall(r"--[a-z][a-z-]*", text)) - NOT_OURS]
    assert english == []


def test_every_command_line_a_chinese_message_suggests_runs_as_written():
    """Each `dutyctl …` line of the Chinese catalogue names a command by its Chinese words
    and gives it options it has, by their Chinese names (a `{placeholder}` in the command's
    place: the code gives the command in the user's language, commandwords.said)."""
    import re

    from dutyctl.commandwords import TOP, english

    lines = _suggested_lines()
    checked = 0
    for key, words in lines:
        first = words[0]
        if first.startswith("{"):
            continue  # the command comes from the code: see the tests of said()
        if first.startswith("--"):
            path, named = "", words
        elif first.isascii():
            raise AssertionError(f"an English command in a Chinese message: {words} ({key!r})")
        elif first not in TOP:
            continue  # prose: `下一条会提交的 dutyctl 命令`
        else:
            named = english(words)
            path = max((" ".join(named[:end]) for end in range(1, len(named) + 1)
                        if " ".join(named[:end]) in COMMAND_OBJECTS), key=len)
            assert not any(re.fullmatch("[a-z][a-z-]*", word) for word in words[:2]), \
                f"an English command in a Chinese message: {words} ({key!r})"
        command = COMMAND_OBJECTS[path]
        chinese = {name for _, name in _long_options(command) if name} | {"--帮助"}
        for word in words:
            if word.startswith("--"):
                assert word in chinese, f"{path or 'dutyctl'} has no option {word} ({key!r})"
        # and Click's parser takes it: each option known, with its value (`{id}` for one)
        given = [word for word in named[len(path.split()):] if word != "--帮助"]
        command.make_parser(_context(command)).parse_args(given)
        checked += 1
    assert checked > 20


def test_the_chinese_messages_name_no_command_by_its_english_name():
    """A command quoted ('报修 派工'), a group's subcommands listed (子命令：接班、待接班), a
    command to run again: by their Chinese words in Chinese (`dutyctl` lines: see above)."""
    import re

    from dutyctl.commands import SUBCOMMANDS

    found = []
    for key, text in CHINESE_MESSAGES:
        for match in re.finditer(r"'([a-z-]+)(?: ([a-z-]+))?[ ']", text):
            group, sub = match.groups()
            if group in COMMANDS and (sub is None or sub in SUBCOMMANDS.get(group, {})):
                found.append((match.group(0), key))
        found += [(match.group(0), key)
                  for match in re.finditer(r"(?:子命令：|运行一次 )(?!dutyctl )[a-z]+", text)]
    assert found == []


def test_options_typed_with_a_chinese_input_method_s_dashes_are_read(cli):
    """`——全部` (two long dashes) or `－－最多=1` (full-width hyphens) is what a Chinese input
    method gives for `--`: read as the option it names; a value stays as it was typed."""
    for dashes in ("--", "——", "－－", "—"):
        result = cli("log", "note", "巡查正常", "--staff", "zhangwei", "--at",
                     "2026-10-12 09:00", f"{dashes}地点", "3号楼")
        assert result.exit_code == 0, result.stderr
    noted = cli("log", "note", "——会议纪要", "--staff", "zhangwei", "--at", "2026-10-12 09:10")
    assert noted.exit_code == 0, noted.stderr
    listed = cli("list", "——全部", "－－格式=json")
    assert listed.exit_code == 0, listed.stderr
    import json
    records = json.loads(listed.stdout)
    places = [record["room"] for record in records[:4]]
    assert places[0] is not None and places == places[:1] * 4  # as typed with "--"
    assert records[4]["text"] == "——会议纪要"  # an argument, not an option


def test_a_format_refused_lists_the_formats_as_a_clerk_types_them(cli):
    said = cli("--lang", "zh_CN", "列表", "--格式", "文本")
    assert said.exit_code == 2
    assert "可选：表格（table）、json、yaml、csv、Excel（xlsx）" in said.stderr, said.stderr
    report = cli("--lang", "zh_CN", "日报", "--格式", "表格", "--日期", "2026-10-11")
    assert report.exit_code == 2 and "文本（text）、markdown、json、网页（html）" in report.stderr
    english = cli("list", "--format", "txt")
    assert "(expected one of: table, json, yaml, csv, xlsx)" in english.stderr


# -- --open: every record not yet closed, by the name that says so -------------------------------

def test_open_is_named_not_closed_and_its_former_name_still_lists_the_same(cli):
    """`列表 --未关闭` lists a repair done and waiting for its return visit (已完工): it is not
    closed, though it is resolved, so its name is not 未办结 (the monthly report's 仍未结
    leaves it out). `--未办结`, the name it had, lists the same, shown nowhere."""
    repair = ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                    "13812345678", "--content", "厨房水龙头漏水", "--at", "2026-10-12 08:00"))
    ok(cli("repair", "dispatch", repair, "--to", "王强", "--at", "2026-10-12 08:05"))
    ok(cli("repair", "arrive", repair, "--at", "2026-10-12 08:20"))
    ok(cli("repair", "done", repair, "--result", "换阀芯", "--at", "2026-10-12 08:40"))
    listed = json.loads(ok(cli(*ZH, "列表", "--未关闭", "-f", "json")))
    assert [(item["id"], item["status"]) for item in listed] == [(repair, "done")]
    assert json.loads(ok(cli(*ZH, "列表", "--未办结", "-f", "json"))) == listed
    shown = ok(cli(*ZH, "list", "--help"))
    assert "--未关闭, --open" in shown and "未办结" not in shown
    assert option_words("list")["--open"] == "--未关闭"
    from typer.main import get_command
    from typer._click.shell_completion import _resolve_context, _resolve_incomplete

    from dutyctl.cli import app

    args = ["--root", str(cli.root), *ZH, "list"]
    ctx = _resolve_context(get_command(app), {}, "dutyctl", args)
    command, incomplete = _resolve_incomplete(ctx, args, "--未")
    assert [item.value for item in command.shell_complete(ctx, incomplete)] == ["--未关闭"]


def test_not_closed_typed_as_a_status_is_told_the_option(workspace, cli):
    """`列表 --状态 未关闭` was refused with every status and "是不是要输入 已关闭？", the
    records not meant: 未关闭 is the option --未关闭 (and 未办结 its former name)."""
    for typed in ("未关闭", "未办结"):
        refused = cli("--lang", "zh_CN", "列表", "--状态", typed)
        assert refused.exit_code == 2, refused.stderr
        assert "--未关闭" in refused.stderr and "已关闭？" not in refused.stderr, refused.stderr
        assert refused.stderr.count("\n") == 1, refused.stderr
    english = cli("--lang", "en", "list", "--status", "not closed")
    assert english.exit_code == 2 and "did you mean closed" not in english.stderr, \
        english.stderr


def test_a_call_takes_the_word_tickets_take_for_their_text(workspace, cli, dutyctl_forked):
    """`来电 --内容`: 投诉 and 报修 take --内容 for what the resident said, so a clerk types it
    for a call too; it is the call's --摘要 (--summary), on the quick path as through Typer,
    never shown as a name of its own in help (the line of --摘要 says it is taken)."""
    from tests.conftest import run_dutyctl

    typed = ("--房号", "3-2-501", "--电话", "13812345678", "--姓名", "张三", "--内容", "问停车",
             "--时间", "2026-10-12 09:00")
    through_typer = cli("--lang", "zh_CN", "来电", *typed)
    assert through_typer.exit_code == 0, through_typer.stderr
    quick = run_dutyctl(dutyctl_forked, "来电", *typed, root=workspace.root)
    assert quick.returncode == 0, quick.stderr
    for made in (through_typer.stdout, quick.stdout):
        assert workspace.store.get(made.strip()).get("summary") == "问停车"
    helped = cli("--lang", "zh_CN", "来电", "--帮助")
    assert helped.exit_code == 0 and "--摘要" in helped.stdout, helped.stderr
    # no name of its own in the names' column: the line of --摘要 says it is taken
    assert "--内容," not in helped.stdout and "也可写 --内容" in helped.stdout, helped.stdout
    refused = cli("--lang", "zh_CN", "突发", "关闭", "--内容", "x")
    assert refused.exit_code == 2 and "--内容" in refused.stderr  # only the call takes it
    # in English likewise: complaint and repair take --content, and so does log call
    english = cli("--lang", "en", "log", "call", "--room", "3-2-501", "--phone", "13812345678",
                  "--name", "张三", "--content", "asks about parking", "--at", "2026-10-12 09:30")
    assert english.exit_code == 0, english.stderr
    assert workspace.store.get(english.stdout.strip()).get("summary") == "asks about parking"


def test_a_name_taken_on_one_command_is_hidden_there_only(workspace, dutyctl_forked):
    """`--内容` is taken, never offered, on the call; on 投诉 登记 it is the option's own name,
    offered (review: hiding every taken name everywhere hid it there too)."""
    from tests.test_completion import tab

    assert tab(dutyctl_forked, workspace.root, "--lang zh_CN 投诉 登记 --内") == ["--内容"]
    assert tab(dutyctl_forked, workspace.root, "--lang zh_CN 来电 --内") == []
    assert tab(dutyctl_forked, workspace.root, "--lang zh_CN 列表 --未") == ["--未关闭"]
