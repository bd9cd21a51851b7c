"""Every help screen of a workspace made by `dutyctl 初始化` (site language 中文, no
DUTYCTL_LANG) in words a duty clerk reads: no English word left but the names of things that
have none (file formats, files and folders, environment variables) and the ids a screen
offers beside their Chinese word; cron, git and shell said in Chinese with the name beside.
Also `来电 --帮助` naming --内容, and 未签退 in the status lists of `列表 --状态` refusals."""

from __future__ import annotations

import re

import pytest

from dutyctl.workspace import init_workspace
from tests.conftest import Cli

#: names of things with no Chinese form a clerk is shown (formats, files, folders, programs,
#: environment variables, a git remote's default name)
NAMES = {"dutyctl", "dutyctl.yaml", "rules.yaml", "rosters", "yaml", "alerts", "srv",
         "reports", "md", "html", "text", "markdown", "json", "csv", "CSV", "xlsx", "Excel",
         "ics", "iCalendar", "table", "DUTYCTL_USER", "DUTYCTL_ROOT", "DUTYCTL_LANG",
         "COLUMNS", "zh_CN", "en", "origin"}
#: ids a help offers beside their Chinese word, in both languages (报表 --失败条件, 记事
#: --类型, --关闭方式, 回电 未接通 --结果, 排班 查看 --按, 列表 --将到期 30m, a YAML key)
IDS = {"emergency", "overdue", "absent", "unaccepted", "unfilled", "readiness",
       "dissatisfied", "target", "note", "patrol", "visitor", "key", "delivery", "notice",
       "duplicate", "withdrawn", "invalid", "no-answer", "busy", "wrong-number", "date",
       "staff", "open", "m", "h", "d", "notify.channels", "folder", "period"}
#: a tool's name said in Chinese first: only so is the name itself shown
EXPLAINED = ("定时任务（cron）", "版本库（git）", "命令行（shell）")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]")


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand, by its English words."""
    from typer._click import Context
    from typer.main import get_command

    from dutyctl.cli import app

    paths: list[tuple[str, ...]] = [()]

    def walk(command, path):
        if not hasattr(command, "list_commands"):
            return
        context = Context(command)
        for name in command.list_commands(context):
            paths.append((*path, name))
            walk(command.get_command(context, name), (*path, name))

    walk(get_command(app), ())
    return paths


def latin_words(screen: str) -> list[str]:
    """The English words of a help screen a clerk would have to read: not the options' names
    (`--房号, --room`), a command's English name beside its Chinese one (`来电, call`), the
    names, ids and explained tools above."""
    text = re.sub(r"^用法：\S+", "", screen)  # the program's name (CliRunner's: root)
    text = re.sub(r"(?m)^(\s+\S+), [a-z][a-z\-]*(?=\s)", r"\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])--?[A-Za-z][A-Za-z\-]*", " ", text)
    text = re.sub(r"\b\d{4}-W\d{2}\b", " ", text)  # a week as ISO writes it, 2026年第48周 beside
    text = re.sub(r"\n\s*", "", text)  # a phrase wrapped onto the next line read whole
    for phrase in EXPLAINED:
        text = text.replace(phrase, " ")
    return [word for word in WORD.findall(text) if word not in NAMES | IDS]


@pytest.fixture
def chinese_site(tmp_path):
    root = tmp_path / "站"
    init_workspace(root, "zh_CN")
    config = root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  语言: zh_CN" in text
    config.write_text(text.replace("  语言: zh_CN", "  语言: 中文", 1), encoding="utf-8")
    return Cli(root)


def test_every_help_screen_of_a_chinese_site_is_in_chinese(chinese_site):
    """`备勤 --帮助` said 全部（或 all）, `排班 导出` 带 BOM 的 CSV, `检查 --有改动` a pre-commit
    钩子, and more: 第 n 个 --备注, 迟到 N 分钟, 中文词或英文 id, cron, git and shell unexplained."""
    from dutyctl.commandwords import chinese_words

    found = {}
    for path in command_paths():
        words = chinese_words(path) if path else ()
        shown = chinese_site(*words, "--帮助", env={"DUTYCTL_LANG": None,
                                                   "LANG": "zh_CN.UTF-8"})
        assert shown.exit_code == 0, (words, shown.stderr)
        assert shown.stdout.startswith("用法："), shown.stdout
        english = latin_words(shown.stdout)
        if english:
            found[" ".join(words) or "dutyctl"] = english
    assert found == {}


def test_the_words_seen_here_are_the_ones_fixed(chinese_site):
    """The screens the sweep above reads, as a clerk meets them."""
    def shown(*words):  # the screen's lines joined: a phrase wrapped is found whole
        said = chinese_site(*words, "--帮助", env={"DUTYCTL_LANG": None}).stdout
        return re.sub(r"\n\s*", "", said)

    checklist = shown("备勤")
    assert "写“全部”表示" in checklist and "all" not in checklist
    export = shown("排班", "导出")
    assert "BOM" not in export and "可直接用 Excel 打开" in export
    check = shown("检查")
    assert "pre-commit" not in check and "版本库（git）" in check


def test_a_calls_help_names_the_content_option_it_takes(chinese_site):
    """`来电 --内容` is taken (the word 投诉 and 报修 take for their text), errors name it
    (`缺少 --内容`, `是否想用：--内容`), yet `来电 --帮助` said nothing of it."""
    shown = chinese_site("来电", "--帮助", env={"DUTYCTL_LANG": None}).stdout
    entry = shown.split("  --摘要, --summary", 1)[1].split("\n  --", 1)[0]
    assert "也可写 --内容" in entry, shown
    assert "--内容," not in shown  # a name taken, not a second option of its own
    english = chinese_site("--语言", "en", "来电", "--帮助").stdout
    assert "--内容" not in english and "--content" not in english


def test_not_clocked_out_is_listed_with_the_duties_statuses_only(chinese_site):
    """未签退 is a duty's status as `列表` judges it: offered where duties are among the kinds
    asked about (the refusal of an unknown --状态 left it out, while it lists the duties left
    open), never among a ticket kind's statuses."""
    def refused(*words):
        said = chinese_site("列表", *words, env={"DUTYCTL_LANG": None})
        assert said.exit_code == 2, said.stdout
        return said.stderr

    assert "可选：已下班、在岗、未签退\n" in refused("--种类", "值班", "--状态", "xyz")
    assert "、在岗、未签退、" in refused("--状态", "xyz")
    for kind in ("报修", "投诉", "来电", "突发事件"):
        assert "未签退" not in refused("--种类", kind, "--状态", "xyz"), kind


@pytest.mark.parametrize("typed", ["未签退,在岗", "已派工，未签退", "not-clocked-out,on-duty"])
def test_not_clocked_out_among_other_statuses_is_told_to_stand_alone(chinese_site, typed):
    """It was refused as no status at all (没有名为“未签退”的状态), the list beside it
    without it, though `--状态 未签退` alone lists the duties left open."""
    said = chinese_site("列表", "--状态", typed, env={"DUTYCTL_LANG": None})
    assert said.exit_code == 2
    assert "要单独写，不能与其他状态一起写（--状态 " in said.stderr, said.stderr
    assert "没有名为" not in said.stderr


def test_a_kind_without_categories_or_a_log_type_beside_not_clocked_out_is_said_so(
        chinese_site):
    """`列表 --种类 值班 --类别 噪音` said dutyctl.yaml configures no category (it configures
    the complaints' and repairs'); `--状态 未签退 --种类 巡查` refused 巡查 as no kind, though
    `--种类 巡查` lists the duty log's rounds."""
    def refused(*words):
        said = chinese_site("列表", *words, env={"DUTYCTL_LANG": None})
        assert said.exit_code == 2, said.stdout
        return said.stderr.strip()

    assert refused("--种类", "值班", "--类别", "噪音") == "值班记录没有类别：请去掉 --类别"
    assert refused("--状态", "未签退", "--类别", "噪音") == "值班记录没有类别：请去掉 --类别"
    assert refused("--状态", "未签退", "--种类", "巡查").startswith("未签退 是值班记录的状态")
    assert chinese_site("列表", "--种类", "投诉", "--类别", "噪音",
                        env={"DUTYCTL_LANG": None}).exit_code == 0
