"""Auto-commit messages speak the site's language (site.language, zh_CN in the template),
whatever a desk's --lang, and each names what it wrote by its id."""

from __future__ import annotations

import subprocess

import pytest

from tests.helpers_desk import october_site, printed_ids

RESIDENT = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")


def subjects(root) -> list[str]:
    done = subprocess.run(["git", "-C", str(root), "log", "--format=%s"], capture_output=True,
                          text=True, check=True)
    return done.stdout.splitlines()


@pytest.mark.auto_commit
def test_every_desk_commit_is_in_the_sites_language_with_its_id(cli, workspace):
    october_site(workspace.root)
    at = ("--staff", "zhangwei", "--at")
    made: list[tuple[str, str]] = []  # (id printed, what its commit says first)

    def run(expected: str, *args: str, stepped: str | None = None) -> str:
        result = cli("--lang", "en", *args)  # an English screen at a Chinese site
        assert result.exit_code == 0, (args, result.stderr)
        record_id = stepped or printed_ids(result.stdout)[0]
        made.append((record_id, expected))
        return record_id

    run("签到 张伟", "clock", "in", *at, "2026-10-05 07:55")
    run("备勤检查", "checklist", "--ok", "all", "--problem", "printer", "--note", "卡纸", *at,
        "2026-10-05 08:05")
    run("备勤问题", "checklist", "fix", "printer", "--note", "换了搓纸轮", *at,
        "2026-10-05 09:00")
    run("值班记录", "log", "patrol", "3号楼消防通道畅通", *at, "2026-10-05 09:10")
    complaint = run("投诉", "complaint", "file", *RESIDENT, "--category", "noise",
                    "--content", "楼上装修噪音", *at, "2026-10-05 09:20")
    run("投诉", "complaint", "handle", complaint, "--action", "已联系楼上住户", *at,
        "2026-10-05 09:30", stepped=complaint)
    run("突发事件", "emergency", "open", "--type", "fire", "--where", "垃圾站", "--content",
        "冒烟", *at, "2026-10-05 10:00")
    run("交接班", "handover", "--to", "lina", *at, "2026-10-05 19:45")
    run("交接班", "handover", "accept", "--staff", "lina", "--at", "2026-10-05 19:55")
    run("签退 张伟", "clock", "out", *at, "2026-10-05 20:05")
    said = subjects(workspace.root)
    for record_id, expected in made:  # each commit found by its record's id, not by position
        subject = next((line for line in said if record_id[:12] in line and
                        line.startswith(expected)), None)
        assert subject is not None, (record_id, expected, said)
        assert not any(word in subject.split() for word in (
            "call", "clock", "checklist", "handover", "log", "complaint", "emergency",
            "accepted", "by", "fixed")), subject


@pytest.mark.auto_commit
def test_a_roster_change_is_committed_as_the_screens_say_it(cli, workspace):
    october_site(workspace.root)
    done = cli("--lang", "en", "roster", "override", "2026-10-06", "day", "lina", "--replaces",
               "sunli", "--reason", "病假", "--force", "--staff", "zhangwei", "--at",
               "2026-10-01 09:00")
    assert done.exit_code == 0, done.stderr
    assert subjects(workspace.root)[0] == (
        "顶班：10月6日 周二 白班 客服专员：孙丽 → 李娜（病假） — 张伟 (zhangwei)")


@pytest.mark.auto_commit
def test_an_english_site_commits_in_english_whatever_a_desk_s_lang(cli, workspace):
    """The other way round: site.language en, a desk on --lang zh_CN; each commit found by
    its record's id, not by its place in the log."""
    config = workspace.root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert "language: zh_CN" in text
    config.write_text(text.replace("language: zh_CN", "language: en", 1), encoding="utf-8")
    subprocess.run(["git", "-C", str(workspace.root), "-c", "user.name=x", "-c",
                    "user.email=x@example.com", "commit", "-qam", "english site"], check=True)
    result = cli("--lang", "zh_CN", "log", "patrol", "3号楼消防通道畅通", "--staff",
                 "zhangwei", "--at", "2026-10-05 09:10")
    assert result.exit_code == 0, result.stderr
    record_id = printed_ids(result.stdout)[0]
    (subject,) = [line for line in subjects(workspace.root) if record_id[:12] in line]
    assert subject.startswith(f"patrol {record_id[:12]} logged"), subject


@pytest.mark.parametrize("site, desk, header", [
    ("zh_CN", "en", ["# 值班排班表 {first} 至 {last}，由 `dutyctl 排班 生成` 生成。",
                     "# 人工调整记在 overrides 下（用 `dutyctl 换班` / `dutyctl 顶班`）；",
                     "# 手工修改本文件后请运行 `dutyctl 排班 检查`。"]),
    ("en", "zh_CN", ["# Duty roster {first}..{last}, written by `dutyctl roster generate`.",
                     "# Manual changes go under overrides (`dutyctl roster swap` / "
                     "`dutyctl roster override`);",
                     "# after a hand edit run `dutyctl roster check`."]),
])
def test_a_roster_file_s_header_is_in_the_sites_language(cli, workspace, site, desk, header):
    """The comments atop a roster file (written by generate, rewritten by an override) speak
    the site's language with its command words, as its commits do, whatever a desk's --lang."""
    config = workspace.root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("language: zh_CN", f"language: {site}", 1), encoding="utf-8")
    october = october_site(workspace.root)
    changed = cli("--lang", desk, "roster", "override", "2026-10-06", "day", "lina",
                  "--replaces", "sunli", "--reason", "病假", "--force", "--staff", "zhangwei",
                  "--at", "2026-10-01 09:00")
    assert changed.exit_code == 0, changed.stderr
    assert october.read_text(encoding="utf-8").splitlines()[:3] == [
        line.format(first="2026-10-01", last="2026-10-31") for line in header]
    made = cli("--lang", desk, "roster", "generate", "--month", "2026-11", "--at",
               "2026-10-20 10:00")
    assert made.exit_code in (0, 1), made.stderr
    november = workspace.root / "rosters" / "2026-11.yaml"
    assert november.read_text(encoding="utf-8").splitlines()[:3] == [
        line.format(first="2026-11-01", last="2026-11-30") for line in header]


@pytest.mark.auto_commit
def test_a_place_in_a_commit_subject_is_named_as_the_screens_show_it(cli, workspace):
    """An emergency at 3号楼 was committed as `突发事件 … 停水 3`, the building by its stored
    key, where every screen says 3号楼 (`rooms.shown`); a repair filed for a building and a
    call from a caller registered at a building were the same."""
    october_site(workspace.root)
    at = ("--staff", "zhangwei", "--at")
    opened = cli("emergency", "open", "--type", "fire", "--where", "3号楼", "--content", "冒烟",
                 *at, "2026-10-05 10:00")
    assert opened.exit_code == 0, opened.stderr
    subject = subjects(workspace.root)[0]
    assert " 火灾 3号楼 — " in subject, subject
    called = cli("log", "call", "--name", "李四", "--room", "5", "--phone", "13812345679",
                 "--summary", "问停车", *at, "2026-10-05 10:10")
    assert called.exit_code == 0, called.stderr
    subject = subjects(workspace.root)[0]
    assert " 5号楼 " in subject and " 5 " not in subject, subject
