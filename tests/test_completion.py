"""Shell completion of option values (TAB after --staff, --category, --type, --format, an id)
as the shell's completion script asks the program for it: through the console script's entry
point in a fork (tests/entrypoint.py), and a real `dutyctl` process for one TAB per shell."""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import Forked, run_dutyctl
from tests.entrypoint import run_forked
from tests.helpers_foundation import call_flags


def tab(command, root, line: str, cwd=None) -> list[str]:
    """What bash is offered for `dutyctl --root ROOT <line>` (the cursor at its end), asked of
    `command` (the installed program, or Forked: the entry point in a fork)."""
    done = run_tab(command, completion_env(root, "bash", line), cwd=cwd)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.split()


def run_tab(command, env: dict, cwd=None, entry=None):
    """The program asked for a completion as the shell's script asks (no arguments, the line
    in the environment)."""
    environment = {**os.environ, **env}
    if isinstance(command, Forked):
        return run_forked([], env=environment, cwd=cwd or os.getcwd(), entry=entry)
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=cwd,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("line, offered", [
    ("log call --staff ", ["zhangwei", "lina", "wangqiang", "liuyang", "chenjing", "zhaolei",
                           "sunli", "gaofeng"]),
    ("handover --to l", ["lina", "liuyang"]),
    ("log call --staff 李", ["lina"]),  # a name typed: its id is offered
    ("log call --category f", ["fee"]),
    ("complaint file --category f", ["fees"]),
    ("repair file --category e", ["elevator"]),
    ("emergency open --type ", ["water-outage", "power-outage", "fire", "elevator-entrapment",
                                "gas-leak"]),
    ("complaint transfer X --to w", ["water-company"]),
    ("list --format ", ["table", "json", "yaml", "csv", "xlsx"]),
    # each command's own: a report's workbook too, roster export's calendar (it offered a
    # listing's `table`, which it refuses, and never ics)
    ("report daily --format ", ["text", "markdown", "json", "html", "xlsx"]),
    ("roster export --format ", ["ics", "csv", "xlsx"]),
])
def test_option_values_come_from_the_workspace(workspace, dutyctl_forked, line, offered):
    assert tab(dutyctl_forked, workspace.root, line) == offered


@pytest.mark.parametrize("line, offered", [
    ("--lang zh_CN 来电 --类别 ", ["咨询", "物业费咨询", "投诉", "报修", "紧急情况", "建议", "其他"]),
    ("--lang zh_CN log call --category 物", ["物业费咨询"]),
    ("--lang zh_CN 来电 --类别 f", ["fee"]),  # an id typed still completes
    ("--lang zh_CN 投诉 登记 --类别 噪", ["噪音"]),
    ("--lang zh_CN 来电 --操作人 ", ["张伟", "李娜", "王强", "刘洋", "陈静", "赵磊", "孙丽", "高峰"]),
    ("--lang zh_CN 交接班 --接班人 李", ["李娜"]),
    ("--lang zh_CN 交接班 --接班人 l", ["lina", "liuyang"]),
    ("--lang zh_CN 报修 登记 --紧急程度 ", ["急修", "紧急", "一般"]),
    ("--lang zh_CN 突发 开启 --类型 ", ["停水", "停电", "火灾", "电梯困人", "燃气泄漏"]),
    ("--lang zh_CN 投诉 转交 X --转给 工", ["工程部"]),
    ("--lang zh_CN 列表 --种类 报", ["报修"]),
    ("--lang zh_CN 列表 --格式 ", ["table", "json", "yaml", "csv", "xlsx"]),  # no names
    ("--lang en 来电 --类别 ", ["consultation", "fee", "complaint", "repair", "emergency",
                               "suggestion", "other"]),  # an English screen: the ids
])
def test_a_chinese_screen_is_offered_the_values_by_their_names(workspace, dutyctl_forked, line,
                                                                offered):
    assert tab(dutyctl_forked, workspace.root, line) == offered


def test_a_name_two_staff_share_is_offered_as_their_ids(workspace, monkeypatch):
    from dutyctl import lookups, messages

    monkeypatch.setattr(lookups, "LOOKUPS", {**lookups.LOOKUPS, "staff": lambda words, ws: [
        ("lina", "李娜"), ("lina2", "李娜"), ("wangqiang", "王强"), ("x", "王 强")]})
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.start_invocation(None)
    assert lookups.offered("staff", ["log", "call"], str(workspace.root), "") == [
        ("lina", "李娜"), ("lina2", "李娜"), ("王强", None), ("x", "王 强")]
    assert lookups.offered("staff", ["log", "call"], str(workspace.root), "w") == [
        ("wangqiang", "王强")]


def test_record_ids_offered_are_the_open_ones_of_the_commands_kind(workspace, dutyctl_forked):
    root = workspace.root
    answered = run_dutyctl(dutyctl_forked, *call_flags(), root=root).stdout.strip()
    filed = run_dutyctl(dutyctl_forked, *call_flags("李四", "5-1-1202", "13900001111", "水管漏了",
                                                     "--category", "repair", "--file-ticket"),
                        root=root).stdout.split()
    assert len(filed) == 2  # the call and its repair
    repair = filed[1]
    assert tab(dutyctl_forked, root, "repair done ") == [repair]
    assert answered not in tab(dutyctl_forked, root, "show ")  # answered: not open
    assert tab(dutyctl_forked, root, f"repair done {repair[:8]}") == [repair]


def _open_problem(command, root) -> None:
    """The printer found jammed at the morning checklist: a readiness problem left open."""
    done = run_dutyctl(command, "checklist", "--ok", "all", "--problem", "printer", "--note",
                       "卡纸", "--at", "2026-10-12 08:00", root=root)
    assert done.returncode == 0, done.stderr


def test_a_callback_offers_only_the_calls_awaiting_it(workspace, dutyctl_forked):
    root = workspace.root
    waiting = run_dutyctl(dutyctl_forked, *call_flags(
        "赵六", "2-1-302", "13700002222", "问快递柜位置", "--callback-by", "2026-10-12 15:00",
        "--at", "2026-10-12 09:40"), root=root).stdout.strip()
    run_dutyctl(dutyctl_forked, *call_flags(), root=root)  # answered there and then
    filed = run_dutyctl(dutyctl_forked, *call_flags("李四", "5-1-1202", "13900001111", "水管漏了",
                                                     "--category", "repair", "--file-ticket"),
                        root=root).stdout.split()
    assert len(filed) == 2 and waiting not in filed  # an open repair, not a callback
    for command in ("callback done ", "callback attempt ", "--lang zh_CN 回电 已回电 ",
                    "--lang zh_CN 回电 未接通 "):
        assert tab(dutyctl_forked, root, command) == [waiting], command


@pytest.mark.parametrize("line, offered", [
    ("checklist fix ", ["printer"]),
    ("--lang zh_CN 备勤 整改 ", ["打印机可用"]),
    ("--lang zh_CN 备勤 整改 打", ["打印机可用"]),
])
def test_checklist_fix_offers_the_open_problems(workspace, dutyctl_forked, line, offered):
    assert tab(dutyctl_forked, workspace.root, line) == []  # nothing open: nothing to fix
    _open_problem(dutyctl_forked, workspace.root)
    assert tab(dutyctl_forked, workspace.root, line) == offered


def test_an_item_with_two_open_problems_is_offered_as_their_ids(workspace, dutyctl_forked):
    """Two open problems of the printer (two desks each found it jammed): the item alone would
    be refused as ambiguous, so each problem's id is offered, with the item's label."""
    from datetime import datetime, timedelta, timezone

    _open_problem(dutyctl_forked, workspace.root)
    store = workspace.store
    first = store.open_records(("readiness-problem",)).records[0]
    second = store.create("readiness-problem", dict(first.fields), by="lina",
                          at=datetime(2026, 10, 12, 8, 5, tzinfo=timezone(timedelta(hours=8))))
    assert sorted(tab(dutyctl_forked, workspace.root, "checklist fix ")) == sorted(
        [first.id, second.id])


@pytest.mark.parametrize("line, offered", [
    ("roster override 2026-10-12 ", ["day", "night", "night-oncall", "office"]),
    ("roster explain 2026-10-12 n", ["night", "night-oncall"]),
    ("roster swap 2026-10-12 ", ["day", "night", "night-oncall", "office"]),
    ("--lang zh_CN 排班 顶班 2026-10-12 ", ["白班", "夜班", "夜间备班", "前台"]),
    ("--lang zh_CN 排班 说明 2026-10-12 夜", ["夜班", "夜间备班"]),
    ("--lang zh_CN 排班 说明 2026-10-12 n", ["night", "night-oncall"]),  # an id typed
])
def test_the_shift_of_a_roster_command_is_offered(workspace, dutyctl_forked, line, offered):
    assert tab(dutyctl_forked, workspace.root, line) == offered


@pytest.mark.parametrize("line, offered", [
    ("--lang zh_CN 报", ["报表", "报修"]),
    ("--lang zh_CN 排班 生", ["生成"]),
    ("--lang zh_CN 投诉 ", ["登记", "受理", "转交", "办结", "回访", "暂停", "恢复", "关闭", "重开",
                          "改级", "升级", "降级"]),
    ("--lang en complaint ", ["file", "handle", "transfer", "resolve", "visit", "hold", "resume",
                              "close", "reopen", "reclassify"]),
    ("--lang zh_CN roster ex", ["explain", "export"]),  # English typed: English names
    ("--lang en 排班 导", ["导出"]),  # Chinese typed: Chinese names, whatever the language
])
def test_command_names_complete_in_english_and_chinese(workspace, dutyctl_forked, line, offered):
    assert tab(dutyctl_forked, workspace.root, line) == offered


def test_nothing_typed_offers_the_names_of_the_screen_s_language(workspace, dutyctl_forked):
    chinese = tab(dutyctl_forked, workspace.root, "--lang zh_CN ")
    english = tab(dutyctl_forked, workspace.root, "--lang en ")
    assert {"来电", "排班", "投诉", "报修", "日报"} <= set(chinese)
    assert {"log", "roster", "complaint"} <= set(english) and all(map(str.isascii, english))
    assert "roster" not in chinese and "log" not in chinese  # named in Chinese already
    from dutyctl.commands import COMMANDS
    from dutyctl.commandwords import TOP
    unnamed = {name for name in COMMANDS if (name,) not in TOP.values()}
    assert unnamed <= set(chinese)  # a command without a Chinese word is still offered


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_an_option_s_line_of_help_is_in_the_screen_s_language(workspace, dutyctl_forked, shell):
    """zsh and fish show each option's help beside its name: in Chinese on a Chinese screen
    (`--房号` 房号，如 3-2-501……), as the command names' help already is."""
    def said(line: str) -> str:
        done = run_tab(dutyctl_forked, completion_env(workspace.root, shell, line))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        return done.stdout

    chinese = said("--lang zh_CN 来电 --房")
    assert "--房号" in chinese and "房号，如 3-2-501" in chinese and "Room like" not in chinese
    assert "住户电话" in said("--lang zh_CN 来电 --")
    assert "Room like 3-2-501" in said("--lang en log call --ro")


def test_outside_a_workspace_nothing_is_offered_and_nothing_fails(tmp_path, dutyctl_command):
    assert tab(dutyctl_command, tmp_path / "nowhere", "log call --staff ") == []


LINES = ["log call --staff ", "log call --staff 李", "log call --category f", "log call "
         "--name 张三 --room 3-2-501 --category ", "log call --at 9:00 --urgency ",
         "complaint file --category f", "repair file --urgency ", "emergency open --type ",
         "complaint transfer X --to w", "list --format ", "list -f ", "list --kind c",
         "report daily --format ", "repair done ", "show ", "show 01", "callback done ",
         "handover --to l", "list --open --format c", "who --at 9:00 ", "clock in --staff z",
         "报", "排班 ", "roster g", "--lang en log ", "投诉 登", "来电 --类别 ",
         "报修 登记 --类别 ", "报修 完工 ", "log 来电 --类别 ",
         # values by their Chinese names on a Chinese screen
         "--lang zh_CN 来电 --类别 ", "--lang zh_CN log call --category 物", "--lang zh_CN 来电 "
         "--类别 f", "--lang zh_CN 报修 派工 X --派给 ", "--lang zh_CN 报修 登记 --紧急程度 ",
         "--lang zh_CN 突发 开启 --类型 ", "--lang zh_CN 列表 --种类 ", "--lang zh_CN 投诉 转交 X "
         "--转给 工",
         # what a step takes: calls awaiting a callback, open problems, the roster's shifts
         "callback attempt ", "--lang zh_CN 回电 已回电 ", "checklist fix ",
         "--lang zh_CN 备勤 整改 ", "roster override 2026-10-12 ", "--lang zh_CN 排班 顶班 "
         "2026-10-12 ", "--lang zh_CN 排班 说明 2026-10-12 夜", "roster swap 2026-10-12 n"]
# the shells differ in how an answer is written (descriptions, nothing offered): bash asks
# every line, the others these
FORMATTED = ["log call --staff 李", "log call --category f", "repair done ", "show 01",
             "list --format ", "who --at 9:00 ", "--lang zh_CN 来电 --类别 ",
             "--lang zh_CN 来电 --类别 f"]


def completion_env(root, shell: str, line: str) -> dict:
    """What `shell`'s completion script sets for a TAB at the end of `dutyctl --root ROOT line`."""
    words = ["dutyctl", "--root", str(root), *line.split()]
    return {"_DUTYCTL_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": " ".join(words) + (" " if line.endswith(" ") else ""),
            "COMP_WORDS": " ".join(words + ([""] if line.endswith(" ") else [])),
            "COMP_CWORD": str(len(words) - (0 if line.endswith(" ") else 1))}


@pytest.mark.parametrize("shell, lines, probe_installed", [("bash", LINES, True),
                                                           ("zsh", FORMATTED, False),
                                                           ("fish", FORMATTED, False)])
def test_the_launcher_answers_as_the_cli_would(workspace, dutyctl_forked, dutyctl_command, shell,
                                               lines, probe_installed):
    """Every TAB the launcher answers itself gives exactly the CLI's (Typer's) answer: each
    asked of the program's entry point in a fork of its own, and all of them of the CLI's own
    main in one fork (the answers the launcher is held to); one TAB asked of the installed
    program too, in bash (a fork answers as a new process in every shell alike: the same
    launcher, the shell only chooses how the answer is written)."""
    root = workspace.root
    run_dutyctl(dutyctl_forked, *call_flags("李四", "5-1-1202", "13900001111", "水管漏了",
                                            "--category", "repair", "--file-ticket"), root=root)
    run_dutyctl(dutyctl_forked, *call_flags("赵六", "2-1-302", "13700002222", "问快递柜位置",
                                            "--callback-by", "2026-10-12 15:00", "--at",
                                            "2026-10-12 09:40"), root=root)
    _open_problem(dutyctl_forked, root)
    envs = [completion_env(root, shell, line) for line in lines]
    expected = typer_answers(envs)
    for line, env, typer_answer in zip(lines, envs, expected, strict=True):
        launched = run_tab(dutyctl_forked, env)
        assert [launched.stdout, launched.returncode] == typer_answer, line
    answered = sum(bool(stdout.strip()) for stdout, _ in expected)
    assert answered >= len(lines) * 2 // 3  # the CLI did answer
    if not probe_installed:
        return
    probe = completion_env(root, shell, "repair done ")
    installed, forked = run_tab(dutyctl_command, probe), run_tab(dutyctl_forked, probe)
    assert (installed.stdout, installed.returncode) == (forked.stdout, forked.returncode)
    assert installed.stdout.strip()  # the repair filed above is offered


def typer_answers(envs: list[dict]) -> list[list]:
    """[stdout, exit code] of the CLI's own main (Typer, no launcher) asked each TAB in turn,
    all in one fork, each as at a process's start (dutyctl's caches emptied, the language
    chosen anew, the TAB's variables set)."""
    keys = {name for env in envs for name in env}
    base = {name: value for name, value in os.environ.items() if name not in keys}
    done = run_forked([], env=base, cwd=os.getcwd(), entry=functools.partial(_answer_each,
                                                                           envs))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _answer_each(envs: list[dict]) -> None:
    """typer_answers' fork: each TAB asked of the CLI's own main in turn."""
    from dutyctl import caches, messages
    from dutyctl.cli import main as cli_main

    answers, real, start = [], sys.stdout, dict(os.environ)
    for env in envs:
        os.environ.clear()
        os.environ.update({**start, **env})  # no TAB's variables left for the next
        caches.forget_all()
        messages.start_invocation(None)
        sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        try:
            cli_main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (exc.code is not None)
        finally:
            sys.stdout.flush()
            answered, sys.stdout = sys.stdout.buffer.getvalue().decode("utf-8"), real
        answers.append([answered, code])
    print(json.dumps(answers))


def test_offered_text_from_another_desk_reaches_the_terminal_escaped(workspace, monkeypatch):
    from dutyctl import lookups

    monkeypatch.setitem(lookups.LOOKUPS, "open_records", lambda words, ws: [
        ("01ABC", "repair \x1b[2J漏水"), ("01BAD\x1b[2J", "repair 好")])
    offered = lookups.offered("open_records", [], str(workspace.root), "")
    assert offered == [("01ABC", "repair ␛[2J漏水")]  # the escape shown, never sent


def test_a_mistyped_command_word_completes_quietly(workspace, dutyctl_forked):
    """TAB after a word close to a command (repiar): the refusal that names the command meant
    is for a command line run, never printed into the shell while completing."""
    done = run_tab(dutyctl_forked, completion_env(workspace.root, "bash", "repiar --"))
    assert done.returncode == 0 and done.stderr == "" and "repair" not in done.stdout, done
