"""The Chinese walks' site (tests/test_zh_month.py, test_zh_desk_memory.py,
test_zh_desk_leftovers.py, test_zh_supervisor_walk.py): a site made by `dutyctl 初始化`, the
system's Chinese a command runs under, and the reading of a screen for English left on it."""

from __future__ import annotations

import re

import pytest

from dutyctl.workspace import init_workspace
from tests.conftest import Cli
from tests.test_zh_help_words import IDS, NAMES

#: a Chinese system: LANG zh_CN, no DUTYCTL_LANG of the test run's own
ZH = {"DUTYCTL_LANG": None, "LANG": "zh_CN.UTF-8"}


def chinese_site(tmp_path, clock, language: str | None = None) -> Cli:
    """A site as `dutyctl 初始化` writes it in Chinese, the clock at 2026-11-20 10:00 (its
    staff named 陈静, 王强…, its keys Chinese); `language`: the site's 语言 written instead of
    zh_CN (中文, as a supervisor writes it)."""
    clock.set("2026-11-20T10:00:00+08:00")
    root = tmp_path / "站"
    init_workspace(root, "zh_CN")
    if language is not None:
        config = root / "dutyctl.yaml"
        text = config.read_text(encoding="utf-8")
        assert "  语言: zh_CN" in text
        config.write_text(text.replace("  语言: zh_CN", f"  语言: {language}", 1), encoding="utf-8")
    return Cli(root)


@pytest.fixture
def site(tmp_path, clock) -> Cli:
    """The Chinese site, its language zh_CN as `初始化` wrote it."""
    return chinese_site(tmp_path, clock)


def said(site, *args, user="陈静", env=None):
    """A command run at the Chinese site, in the system's Chinese (`env`: more of it)."""
    return site(*args, user=user, env={**ZH, **(env or {})})


#: what may stand in Latin letters on a Chinese desk's screens besides ids: the names the
#: help sweep allows (formats, files, variables, ids shown beside their word), and the names
#: of things a clerk types or reads as they are (a command to copy, the manual, encodings)
ALLOWED = {*NAMES, *IDS, "export", "git", "README.zh-CN.md", "GBK", "UTF-8"}
#: a record id, whole or its first 12 characters (ULIDs: Crockford's base32, upper case)
RECORD_ID = r"\b0[0-9A-HJKMNP-TV-Z]{11}(?:[0-9A-HJKMNP-TV-Z]{14})?\b"


def english_in(text: str) -> list[str]:
    """The Latin-letter words of `text` a Chinese clerk would have to read: not record ids,
    options typed (`--操作人`, `-f`), paths of the workspace's files, nor ALLOWED."""
    text = re.sub(RECORD_ID, " ", text)
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)
    text = re.sub(r"(?:records|rosters|alerts)/\S+", " ", text)
    return [word for word in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]", text)
            if word not in ALLOWED]


def typed_by(args) -> set[str]:
    """The words a command line typed (an id `zzz` echoed back), and CliRunner's name for
    the program in a usage error (`root 签到：…`, the installed one's `dutyctl`)."""
    return {"root", *(word for arg in args for word in re.findall(r"[A-Za-z]\w*", arg))}


#: 周保安's 请假 line: on leave all February 2027
ON_LEAVE_IN_FEBRUARY = '    请假: [{从: "2027-02-01", 到: "2027-02-28", 原因: 探亲假}]\n'


def rostered_with_a_guard(site, clock, rules: str, place: str, headcount: int = 1,
                          leave: str = ""):
    """`rules` (the supervisor walk's) with the place `place` (a shift's 名称) wanting
    `headcount` 保安 and 周保安 the one 保安 (`leave`: his 请假 line), written and rostered
    2027-02-01..10 by 张伟 on 2027-01-20: the `排班 生成` run."""
    clock.set("2027-01-20T10:00:00+08:00")
    shift = re.compile(rf"(  - 名称: {place}\n(?:    .*\n)*?    人数: )\{{[^}}\n]*\}}")
    rules, places = shift.subn(rf"\g<1>{{保安: {headcount}}}", rules, 1)
    rules, guards = re.subn(r"(?m)^  - 姓名: 吴敏$", f"  - 姓名: 周保安\n    岗位: [保安]\n{leave}"
                            "  - 姓名: 吴敏", rules, 1)
    assert (places, guards, rules.count("保安")) == (1, 1, 3)  # the place, the name, the role
    (site.root / "rosters" / "rules.yaml").write_text(rules, encoding="utf-8")
    return said(site, "排班", "生成", "--从", "2027-02-01", "--到", "2027-02-10", user="张伟")
