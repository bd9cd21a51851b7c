"""What a Chinese clerk meets at the desk when a command is typed wrong: every refusal names
what was typed in Chinese (an empty argument, a number copied from the screen, a file from
another desk that YAML cannot read), and the help lists the words the program accepts."""

from __future__ import annotations

import os
import re

ZH = {"DUTYCTL_LANG": "zh_CN"}
ENGLISH_WORD = re.compile(r"\b[A-Za-z][A-Za-z_-]{3,}\b")


def refused(result) -> str:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr.strip()


def test_an_empty_argument_is_named_as_its_help_names_it(workspace, cli):
    for args, word in ((("log", "patrol", ""), "内容"), (("caller", ""), "电话号码"),
                       (("roster", "explain", "2026-10-05", ""), "班次")):
        said = refused(cli(*args, env=ZH))
        assert f"缺少参数“{word}”" in said, said
        assert not re.search(r"\b[A-Z]{2,}\b", said), said  # no CONTENT, PHONE, SHIFT
    said = refused(cli("caller", ""))
    assert "missing PHONE: the value given is empty" in said


def test_a_core_refusal_names_the_argument_in_chinese(workspace, cli):
    said = refused(cli("log", "note", "   ", env=ZH))
    assert said.startswith("内容") and "CONTENT" not in said, said


def test_a_masked_number_copied_from_the_screen_is_refused_with_what_to_do(workspace, cli):
    for args in (("caller", "138****5678"), ("resident", "list", "--phone", "138＊＊＊＊5678")):
        said = refused(cli(*args, env=ZH))
        assert "打了码" in said and "完整号码" in said, said
        assert "不在住户登记中" not in said
    said = refused(cli("caller", "138****5678"))
    assert "masked number" in said


def test_a_broken_file_from_another_desk_is_explained_in_chinese(workspace, cli):
    folder = workspace.root / "records" / "2026" / "10" / "05"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text, words in (("a.yaml", "id: [broken\n", "方括号"),
                              ("b.yaml", "id: {kind: call\n", "花括号"),
                              ("c.yaml", 'note: "C:\\q"\n', "反斜杠"),
                              ("d.yaml", "note: *nope\n", "别名")):
        (folder / name).write_text(text, encoding="utf-8")
        checked = cli("check", env=ZH)
        assert checked.exit_code == 1
        line = next(line for line in checked.stdout.splitlines() if name in line)
        assert words in line and "did not find" not in line and "found" not in line, line
        (folder / name).unlink()


def test_the_help_offers_the_chinese_words_first_and_every_kind(workspace, cli):
    note = cli("log", "note", "--help", env=ZH).stdout
    assert "记事、巡查、来访、钥匙、快递或通知" in note
    listed = " ".join(cli("list", "--help", env=ZH).stdout.split())
    for word in ("备班出勤", "值班记录", "住户"):
        assert word in listed
    generate = cli("roster", "generate", "--help", env=ZH).stdout
    assert "<period>" not in generate and "rosters/2026-12.yaml" in " ".join(generate.split())


def test_a_channel_that_cannot_run_says_why_in_chinese(workspace, cli, tmp_path):
    config = workspace.root / "dutyctl.yaml"
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings + "\nnotify:\n  channels:\n"
                      "    sms: {type: command, command: [no-such-sms]}\n", encoding="utf-8")
    refused = cli("notify", "allow", "sms", "--yes", env=ZH)  # nothing to approve
    assert refused.exit_code == 2, refused.stderr
    assert "找不到渠道 sms 的命令所用的程序" in refused.stderr, refused.stderr
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "no-such-sms").write_text("#!/bin/sh\n", encoding="utf-8")
    (tools / "no-such-sms").chmod(0o755)
    found_there = {"PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    assert cli("notify", "allow", "sms", "--yes", env=found_there).exit_code == 0
    sent = cli("notify", "test", "sms", env=ZH)  # not on this PATH: refused before any run
    assert sent.exit_code == 3
    assert "找不到渠道 sms 的命令所用的程序" in sent.stdout + sent.stderr, sent.stdout + sent.stderr
    english = cli("notify", "test", "sms")
    assert "the program of channel sms was not found" in english.stdout + english.stderr
    missing = tmp_path / "no-such-sms"
    config.write_text(settings + "\nnotify:\n  channels:\n"
                      f"    sms: {{type: command, command: ['{missing}']}}\n", encoding="utf-8")
    missing.write_text("echo sent\n", encoding="utf-8")  # there, but not executable: the
    missing.chmod(0o644)                                   # system's refusal, in Chinese
    assert cli("notify", "allow", "sms", "--yes").exit_code == 0
    sent = cli("notify", "test", "sms", env=ZH)
    assert sent.exit_code == 3
    assert "没有权限" in sent.stdout + sent.stderr, sent.stdout + sent.stderr
    assert "Permission denied" not in sent.stdout + sent.stderr
    english = cli("notify", "test", "sms")
    assert "Permission denied" in english.stdout + english.stderr


def test_a_building_the_scheme_lacks_reads_as_it_was_typed(workspace, cli):
    from tests.test_rooms import with_scheme

    with_scheme(workspace.root)  # buildings 3, 12 and A: no building 4
    for where in ("4号楼", "3号楼"):
        done = cli("log", "patrol", f"{where}消防通道畅通", "--where", where, "--at",
                   "2026-10-05 09:00", env=ZH)
        assert done.exit_code == 0, done.stderr
    listed = cli("list", "--kind", "值班记录", env=ZH).stdout
    for where in ("4号楼", "3号楼"):
        row = next(line for line in listed.splitlines() if f"{where}消防" in line)
        assert f" {where} " in row, row  # was a bare 4 in the room column


def test_check_says_a_broken_file_once(workspace, cli):
    folder = workspace.root / "records" / "2026" / "10" / "05"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.yaml").write_text("id: [broken\n", encoding="utf-8")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    said = (checked.stdout + checked.stderr).splitlines()
    assert len([line for line in said if "方括号" in line]) == 1, said
    assert not any(line.startswith("已跳过") for line in said), said
    listed = cli("list", env=ZH)  # a listing still says what it left out
    assert any(line.startswith("已跳过") for line in listed.stderr.splitlines())


def test_a_roster_sheet_names_each_role_as_the_desk_does(cli, workspace, tmp_path):
    import openpyxl

    from dutyctl.roster.generate import generate
    from datetime import date

    generate(workspace, date(2026, 10, 1), date(2026, 10, 31))
    for args in (("roster", "export"), ("roster", "show")):
        target = tmp_path / f"{args[1]}.xlsx"
        done = cli(*args, "-f", "xlsx", "--month", "2026-10", "-o", str(target), env=ZH)
        assert done.exit_code == 0, done.stderr
        book = openpyxl.load_workbook(target)
        sheet = book.worksheets[-1]  # the places, one per row
        titles = [cell.value for cell in sheet[1]]
        roles = {row[titles.index("岗位")] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert roles and roles <= {"客服专员", "维修工", "客服主管", "保安", "保洁"}, roles
