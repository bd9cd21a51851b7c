"""Outputs made from files another desk wrote: the roster workbook with a shift name holding
control characters, commit messages made from names in the rules and labels in dutyctl.yaml,
and a record index damaged (or made by something else) past its first pages."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import openpyxl
import pytest

from dutyctl.workspace import Workspace
from tests.helpers_desk import october_site
from tests.test_hostile_text import RAW, assert_clean, log

ESCAPES = "\\e]0;x\\a\\u202e"  # as YAML writes them in double quotes: OSC title, BEL, RLO


def test_a_shift_name_with_control_characters_still_exports_the_roster_workbook(
        cli, workspace, tmp_path):
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("name: 白班", f'name: "白班{ESCAPES}"'), encoding="utf-8")
    target = tmp_path / "roster.xlsx"
    result = cli("roster", "export", "--format", "xlsx", "--month", "2026-10", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    grid = openpyxl.load_workbook(target).worksheets[0]
    cells = [cell.value for row in grid.iter_rows() for cell in row if cell.value]
    shown = "白班␛]0;x␇\\u202e"
    assert shown in cells  # a day 张伟 worked, as the cell shows it
    totals = [value for value in cells if str(value).startswith("=COUNTIF")]
    assert totals and all(not RAW.search(value) for value in totals)
    assert any(f'"{shown}"' in value for value in totals)  # counts the cells as they read


def git_messages(root) -> str:
    return subprocess.run(["git", "-C", str(root), "log", "--format=%an%n%B"],
                          capture_output=True, text=True, check=True).stdout


def names_from_another_desk(workspace, added: str, shift: bool = False) -> str:
    """October's site with `added` (YAML double-quoted escapes) after 张伟's name in the rules,
    咨询's label in dutyctl.yaml and, with `shift`, 白班's name (said in the clock-in line),
    committed as a pull would bring them; the config's text before (its lines unchanged)."""
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    if shift:
        text = text.replace("name: 白班", f'name: "白班{added}"')
    rules.write_text(text.replace("name: 张伟", f'name: "张伟{added}"'), encoding="utf-8")
    config = workspace.root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("consultation: 咨询", f'consultation: "咨询{added}"', 1),
                      encoding="utf-8")
    subprocess.run(["git", "-C", str(workspace.root), "commit", "-qam", "shared files"],
                   check=True)
    return text


@pytest.mark.auto_commit
def test_commit_messages_show_names_and_labels_from_shared_files_escaped(cli, workspace):
    names_from_another_desk(workspace, ESCAPES)
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    log(cli, "--category", "consultation")
    messages = git_messages(workspace.root)
    assert "张伟␛]0;x␇\\u202e" in messages and "咨询␛]0;x␇\\u202e" in messages
    assert_clean(messages.replace("\n", " "))


def test_an_index_damaged_past_its_first_pages_is_built_again_not_a_stop(cli, workspace):
    record_id = log(cli)
    assert cli("list").exit_code == 0  # the index is built
    (index,) = workspace.root.glob(".dutyctl/index.sqlite3")
    db = sqlite3.connect(index)  # a table the version and folder checks never look at
    db.executescript("DROP TABLE records; CREATE TABLE records (x);")
    db.close()
    for args in (["list"], ["search", "漏水"], ["show", record_id]):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert record_id[:12] in result.stdout


def test_an_index_whose_meta_table_has_another_shape_is_built_again(cli, workspace):
    """The meta row the index writes as it opens is refused by a foreign meta table ("3
    columns but 2 values were supplied"): the file is another's, built again, not a stop."""
    record_id = log(cli)
    assert cli("list").exit_code == 0
    (index,) = workspace.root.glob(".dutyctl/index.sqlite3")
    index.unlink()
    db = sqlite3.connect(index)
    db.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT, extra TEXT)")
    db.commit()
    db.close()
    result = cli("list")
    assert result.exit_code == 0, result.stderr
    assert record_id[:12] in result.stdout


FORGED = "\\n\\nSigned-off-by: 主管 <boss@x>\\tx"  # as YAML writes them in double quotes


def git_trailers(root) -> str:
    return subprocess.run(["git", "-C", str(root), "log", "--format=%(trailers)"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.auto_commit
def test_a_line_break_in_a_name_forges_no_trailer_and_breaks_no_line(cli, workspace):
    text = names_from_another_desk(workspace, FORGED, shift=True)
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "张伟" in line]
    assert said and all("Signed-off-by" in line for line in said)  # the name on its line
    assert "张伟␊␊Signed-off-by: 主管 <boss@x>␉x" in said[0]
    assert "白班␊␊Signed-off-by" in result.stderr
    assert not any(line.startswith("Signed-off-by") for line in result.stderr.splitlines())
    log(cli, "--category", "consultation")
    assert git_trailers(workspace.root).strip() == ""
    messages = git_messages(workspace.root)
    assert "张伟␊␊Signed-off-by" in messages and "咨询␊␊Signed-off-by" in messages
    assert not any(line.startswith("Signed-off-by") for line in messages.splitlines())
    checked = cli("check")
    said = checked.stderr  # warnings: the exit code is the files' (a name breaks none)
    line = text.splitlines().index(next(row for row in text.splitlines()
                                        if "consultation: 咨询" in row)) + 1
    assert f"warning: dutyctl.yaml:{line}: " in said and "line break or tab" in said
    assert "warning: rosters/rules.yaml:" in said
    assert "staff[0].name: a line break or tab in a name or label" in said


def test_free_text_written_over_several_lines_is_no_warning(cli, workspace, clock):
    """An emergency's steps as YAML blocks (`- |`, a folded `- >` ends with a line break) and
    a leave's reason over two lines are the writer's: `check` stays quiet, exit 0; an escape
    sequence in them is still said."""
    text = workspace.config_path.read_text(encoding="utf-8")
    start = text.index("    steps: [", text.index("emergencies:"))
    end = text.index("\n", start) + 1
    blocks = ("    steps:\n      - |\n        联系工程部确认停水范围；\n        如为市政停水，询问恢复时间\n"
              "      - >\n        在业主群发布通知\n")
    workspace.config_path.write_text(text[:start] + blocks + text[end:], encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 0 and "warning" not in checked.stderr, checked.stderr
    workspace.config_path.write_text(text[:start] + "    steps: [\"联系\\e[2J工程部\"]\n"
                                     + text[end:], encoding="utf-8")
    checked = cli("check")
    assert "U+001B" in checked.stderr and "steps[0]" in checked.stderr, checked.stderr


def test_free_text_under_its_chinese_key_written_over_several_lines_is_no_warning(cli,
                                                                                   workspace,
                                                                                   clock):
    """The free text of a file written in Chinese is found by its keys as the file's readers
    take them (configkeys, ruleskeys): 处置步骤 and 事由 over several lines are the writer's,
    as steps and reason are; a name with a line break is still said, named as typed."""
    text = workspace.config_path.read_text(encoding="utf-8")
    start = text.index("    steps: [", text.index("emergencies:"))
    end = text.index("]", start) + 1
    workspace.config_path.write_text(text[:start] + '    处置步骤: ["联系工程部\\n确认停水范围"]'
                                     + text[end:], encoding="utf-8")
    rules = workspace.rosters_dir / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        '        to: "2026-12-12"\n', '        to: "2026-12-12"\n        事由: "探亲\\n两天"\n', 1
    ).replace("    name: 李娜", '    姓名: "李\\n娜"', 1), encoding="utf-8")
    checked = cli("check")
    warned = [line for line in checked.stderr.splitlines() if line.startswith("warning")]
    assert len(warned) == 1 and "staff[1].姓名: a line break or tab" in warned[0], warned


def built_index(cli, workspace):
    """The workspace's record index after `list` built it, and its file."""
    log(cli)
    assert cli("list").exit_code == 0
    (path,) = workspace.root.glob(".dutyctl/index.sqlite3")
    return Workspace(workspace.root).store.index, path


def index_refuses(monkeypatch, message: str) -> None:
    """Every use of the record index fails as SQLite says `message`."""
    from dutyctl.store.index import RecordIndex

    def refused(self, *args, **kwargs):
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(RecordIndex, "db", refused)


@pytest.mark.parametrize("error", [
    sqlite3.OperationalError("database or disk is full"),
    sqlite3.OperationalError("disk I/O error"),
    sqlite3.OperationalError("no such column: records.x"),  # the code's own mistake
    sqlite3.IntegrityError("UNIQUE constraint failed: records.id")])
def test_an_index_is_kept_for_an_error_that_is_no_damage(cli, workspace, error):
    index, path = built_index(cli, workspace)
    assert not index.recover(error)
    assert path.exists() and index.exists


@pytest.mark.parametrize("error", [sqlite3.DatabaseError("file is not a database"),
                                   sqlite3.DatabaseError("database disk image is malformed")])
def test_an_index_is_deleted_for_damage_once_per_command(cli, workspace, error):
    index, path = built_index(cli, workspace)
    assert index.recover(error)
    assert not path.exists()
    assert index.db() is not None and path.exists()  # built again
    assert not index.recover(error) and path.exists()  # damaged again at once: kept, said


def test_an_index_whose_table_another_program_made_is_deleted(cli, workspace):
    index, path = built_index(cli, workspace)
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE records; CREATE TABLE records (x);")
    db.close()
    assert index.recover(sqlite3.OperationalError("no such column: id"))
    assert not path.exists()


def test_a_full_disk_under_the_index_is_said_in_one_line_and_deletes_nothing(
        cli, workspace, monkeypatch):
    _, path = built_index(cli, workspace)

    expected = json.loads(cli("list", "-f", "json").stdout)
    index_refuses(monkeypatch, "database or disk is full")
    # every file can be read: the desk sees its records (it stopped with exit 3), said why
    assert json.loads(cli("list", "-f", "json").stdout) == expected != []
    result = cli("list")
    assert result.exit_code == 0, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "the disk is full" in line and "free some space" in line
    assert "read from the files" in line
    assert path.exists()
    chinese = cli("list", env={"DUTYCTL_LANG": "zh_CN"})  # SQLite's English said in Chinese
    (line,) = chinese.stderr.strip().splitlines()
    assert "记录索引无法使用：磁盘已满" in line and "database" not in line, line


def test_a_manual_change_is_said_on_one_line_whatever_the_names():
    """`roster override`/`swap` say each change on one line: a shift, role or person named
    with a line break in the shared rules is shown (␊), never a line of its own."""
    from datetime import date
    from types import SimpleNamespace

    from dutyctl.cli.roster import _change_line

    entry = SimpleNamespace(day=date(2026, 12, 15), shift="night", role="service",
                            replaces="zhangwei", staff="lina")
    rules = SimpleNamespace(shift=lambda _: SimpleNamespace(name="夜班\nSigned-off-by: x"),
                            person=lambda who: {"zhangwei": "张伟\n\n", "lina": "李娜\t"}[who])
    roles = SimpleNamespace(name=lambda _: "客服\n专员")
    said = _change_line(entry, rules, roles)
    assert "\n" not in said and "\t" not in said
    assert "夜班␊Signed-off-by" in said and "张伟␊␊" in said and "李娜␉" in said


def test_a_person_is_one_line_on_every_path_of_names_person():
    """Names.person made one line only of a name the rules give beside another id: an id the
    rules do not know (typed into a record on another desk) and the id shown beside a shared
    name went out with their line breaks."""
    from dutyctl.names import Names

    names = Names(None, {"zw1": "张伟", "zw2": "张伟", "lina": "李娜\nSigned-off-by: x"})
    assert names.person("陈静\nSigned-off-by: x") == "陈静␊Signed-off-by: x"
    assert "\n" not in names.person("lina") and "\n" not in names.person("zw1")
    shared = Names(None, {"a\nb": "张伟", "zw2": "张伟"}).person("a\nb")
    assert "\n" not in shared and "a␊b" in shared


def test_a_bidi_override_in_a_shared_name_is_said_as_invisible_not_control(cli, workspace):
    """`check` called U+202E in a rules name a control character, where a record's text says
    it is an invisible one (bidi); one wording for both now."""
    from tests.helpers_roster import edit_rules

    edit_rules(workspace, "name: 李娜", 'name: "李娜\\u202e"')
    said = cli("check").stderr
    assert ".name: contains the invisible character U+202E (bidi, zero-width, a line " \
           "separator or another format character)" in said, said


def test_a_line_break_in_the_site_s_name_keeps_a_report_s_title_on_one_line(cli, workspace):
    config = workspace.config_path
    text = config.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("  name:"))
    config.write_text(text.replace(name_line, '  name: "阳光\\n花园"', 1), encoding="utf-8")
    for fmt in ("text", "markdown"):
        report = cli("report", "daily", "--date", "2026-10-05", "-f", fmt)
        assert report.exit_code == 0, report.output
        assert "阳光␊花园 — daily report" in report.stdout.splitlines()[0], report.stdout[:200]


def test_a_problem_inside_a_records_resident_is_told_at_its_own_line(cli, workspace, clock):
    """A zero-width space in a call's resident.room (a block under `resident:`) was told at
    the line below `resident:` until a key kept its own line, then at `resident:` itself:
    at the `room:` line it is on."""
    filed = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                "--summary", "问物业费", "--at", "2026-10-12 09:00")
    assert filed.exit_code == 0, filed.stderr
    path = next(workspace.records_dir.rglob(f"{filed.stdout.strip()}.yaml"))
    text = path.read_text(encoding="utf-8")
    assert "resident:\n" in text, text  # written as a block
    assert "room: '3-2-501'" in text, text
    path.write_text(text.replace("room: '3-2-501'", 'room: "3-2-501\\u200b"'), encoding="utf-8")
    line = next(number for number, row in enumerate(path.read_text(encoding="utf-8")
                                                    .splitlines(), 1) if "room:" in row)
    checked = cli("check")
    said = checked.stdout + checked.stderr
    expected = f"{path.name}:{line}: resident.room: contains the invisible character U+200B"
    assert expected in said, said


@pytest.mark.parametrize("command", [("search", "物业费"), ("callback", "list"),
                                     ("handover", "pending"), ("list", "--open")])
def test_an_index_that_cannot_be_opened_leaves_the_answer_to_the_files(cli, workspace,
                                                                      monkeypatch, command,
                                                                      clock):
    """A read-only folder or another account's index file (SQLite: unable to open database
    file): every listing stopped with exit 3 and "delete it to start over", which cannot be
    done there. The answer comes from the files, said in one line."""
    # something for each to list: a call about 物业费 owing a callback, an open complaint,
    # a handover nobody accepted; both answers at one moment (a deadline's "due in")
    clock.set("2026-10-12T12:00:00+08:00")
    log(cli, "--callback-by", "2026-10-12 18:00", summary="物业费")
    for args in (("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                  "13812345678", "--category", "noise", "--content", "楼上噪音", "--at",
                  "2026-10-12 09:40"),
                 ("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-12 09:50")):
        assert cli(*args).exit_code == 0
    built_index(cli, workspace)
    expected = cli(*command)
    assert expected.exit_code == 0 and expected.stdout.strip(), expected.stderr
    index_refuses(monkeypatch, "unable to open database file")
    answered = cli(*command)
    assert answered.exit_code == expected.exit_code, answered.stderr
    assert answered.stdout == expected.stdout
    assert answered.stderr.count("read from the files") == 1


def test_a_report_that_asks_the_index_many_times_says_it_is_unusable_once(cli, workspace,
                                                                         monkeypatch):
    """`report daily` asks several questions: the line was said (and the index tried) at
    each, four times."""
    built_index(cli, workspace)
    index_refuses(monkeypatch, "unable to open database file")
    made = cli("report", "daily", "--date", "2026-10-05")
    assert made.exit_code == 0, made.stderr
    assert made.stderr.count("read from the files") == 1, made.stderr


def test_a_day_folder_that_cannot_be_read_is_one_problem_and_the_rest_is_checked(
        cli, workspace, monkeypatch):
    """A day folder this account may not read (permissions): `check` stopped at it with
    exit 3 and said nothing of the other files. It is one problem among the others."""
    from tests.helpers_foundation import call_flags, unreadable_folder

    for day in ("2026-10-05", "2026-10-06"):
        assert cli(*call_flags(), "--at", f"{day} 09:00").exit_code == 0
    broken = workspace.root / "records" / "2026" / "10" / "06" / "01M0BROKENBROKENBROKEN000.yaml"
    broken.write_text("id: [broken\n", encoding="utf-8")
    unreadable_folder(monkeypatch, workspace.root / "records" / "2026" / "10" / "05")
    checked = cli("check")
    assert checked.exit_code == 1, (checked.stdout, checked.stderr)
    assert "records/2026/10/05: cannot be read: permission denied" in checked.stdout.lower()
    assert "01M0BROKENBROKENBROKEN000.yaml" in checked.stdout
    listed = cli("list")  # the README: a command that must read the folder stops, naming it
    assert listed.exit_code == 3 and listed.stderr.count("\n") == 1, listed.stderr
    # named from the workspace root, as every problem names its file: not the desk's folders
    assert listed.stderr == "records/2026/10/05: Permission denied\n", listed.stderr
    said = cli("--lang", "zh_CN", "list")
    assert said.exit_code == 3 and said.stderr == "records/2026/10/05：没有权限\n", said.stderr


def test_a_file_saved_as_gbk_is_said_to_be_gbk(cli, workspace):
    """A dutyctl.yaml or record saved by a Chinese Windows editor in its default (GBK) was
    "not UTF-8 text (invalid start byte)" and no word of what to do."""
    record = workspace.root / "records" / "2026" / "10" / "05" / "01M0GBKGBKGBKGBKGBKGBKGBK0.yaml"
    record.parent.mkdir(parents=True)
    record.write_bytes("id: 01M0GBKGBKGBKGBKGBKGBKGBK0\nsummary: 物业费怎么交\n".encode("gbk"))
    listed = cli("list")
    assert "it was saved as GBK" in listed.stderr and "save it as UTF-8" in listed.stderr
    config = workspace.root / "dutyctl.yaml"
    config.write_bytes(config.read_text(encoding="utf-8").encode("gbk", "replace"))
    checked = cli("--lang", "zh_CN", "check")
    said = checked.stdout + checked.stderr
    assert "dutyctl.yaml:1: 文件是按 GBK 编码（中文 Windows 上记事本、Excel 的默认编码）保存的，不是 UTF-8：" \
        "请另存为 UTF-8（记事本：“另存为”，编码选 UTF-8）" in said, said
    assert "字节" not in said  # the decoder's words (无效的起始字节) are no clerk's


def test_a_text_over_several_lines_is_shown_under_its_label_never_as_a_line_of_its_own(
        cli, workspace):
    """A summary another desk wrote over two lines, its second a `path:line:` finding or a
    field of its own: `show` printed that line at the start of a line, where it read as one.
    Its later lines are indented under their label now."""
    from tests.helpers_foundation import record_files

    log(cli)
    (path,) = record_files(workspace.root)
    text = path.read_text(encoding="utf-8")
    start = text.index("summary:")
    end = text.index("\n", start)
    forged = "records/2026/10/12/x.yaml:3: 伪造的问题\n状态: 已办结"
    path.write_text(text[:start] + "summary: " + json.dumps("漏水\n" + forged, ensure_ascii=False)
                    + text[end:], encoding="utf-8")
    shown = cli("show", path.stem)
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert "  records/2026/10/12/x.yaml:3: 伪造的问题" in lines, shown.stdout
    assert "  状态: 已办结" in lines
    assert not any(line.startswith(("records/", "状态: 已办结")) for line in lines)
