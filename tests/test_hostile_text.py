"""Text from files never reaches a terminal or a document raw: control and bidi characters are
shown escaped, CSV cells cannot start a formula, markdown cannot carry HTML; `check` reports
stored text dutyctl would refuse to write and the front door refuses such characters."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess

import pytest

from dutyctl import output
from tests.helpers_desk import october_site
from tests.helpers_foundation import call_flags, record_files

# OSC 52 (write the clipboard), OSC 0 (window title), clear screen, CR, backspace, RLO
HOSTILE = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J\rX\x08\u202e"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def log(cli, *extra: str, summary: str = "漏水") -> str:
    result = cli(*call_flags("张三", "3-2-501", "13812345678", summary, "--at",
                             "2026-10-12 09:30", *extra))
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip().splitlines()[0]


def poison(workspace, record_id: str, field: str = "summary") -> int:
    """Hand-edit the record's `field` to hold HOSTILE; the line of the edit."""
    (path,) = [p for p in record_files(workspace.root) if p.stem == record_id]
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [index for index, line in enumerate(lines) if line.startswith(f"{field}:")]
    escaped = HOSTILE.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    lines[number] = f'{field}: "漏水{escaped}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def assert_clean(text: str) -> None:
    assert not RAW.search(text), repr(RAW.search(text)[0])


@pytest.mark.parametrize("args", [
    ["list"], ["list", "--format", "csv"], ["list", "--format", "json"],
    ["list", "--format", "yaml"], ["search", "漏水"], ["callback", "list"],
    ["report", "daily", "--date", "2026-10-12"],
    ["report", "daily", "--date", "2026-10-12", "--format", "markdown"],
    ["report", "daily", "--date", "2026-10-12", "--format", "html"],
    ["report", "daily", "--date", "2026-10-12", "--format", "json"],
    ["report", "weekly", "--week", "2026-10-12", "--format", "json"],
])
def test_escape_sequences_in_a_record_never_reach_the_output_raw(cli, workspace, args):
    record_id = log(cli, "--callback-by", "17:00")
    poison(workspace, record_id)
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout)
    assert_clean(result.stderr)


def test_show_prints_the_escapes_visibly(cli, workspace):
    record_id = log(cli)
    poison(workspace, record_id)
    result = cli("show", record_id)
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout)
    assert "漏水␛]52;c;" in result.stdout and "\\u202e" in result.stdout


def test_who_shows_names_from_the_rules_file_escaped(cli, workspace):
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("name: 张伟", 'name: "张伟\\e]0;x\\a\\r"'), encoding="utf-8")
    result = cli("who", "--at", "2026-10-05 10:00")
    assert result.exit_code == 0, result.stderr
    assert "张伟␛]0;x␇␍" in result.stdout
    assert_clean(result.stdout)


def test_a_truncated_cell_never_leaves_an_escape_open(cli, workspace):
    record_id = log(cli)
    (path,) = [p for p in record_files(workspace.root) if p.stem == record_id]
    text = path.read_text(encoding="utf-8")
    long = 'summary: "' + "长" * 20 + "\\e]0;" + "x" * 200 + '"'
    path.write_text(re.sub(r"summary: .*", lambda _: long, text), encoding="utf-8")
    result = cli("list", env={"COLUMNS": "100"})   # the table is made to fit: the text is cut
    assert_clean(result.stdout)
    assert "…" in result.stdout


def test_csv_cells_never_start_a_formula(cli, workspace):
    log(cli, summary="=HYPERLINK(\"http://x\")")
    log(cli, summary="@SUM(A1)")
    result = cli("list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    summaries = sorted(row["text"] for row in rows)
    assert summaries == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)"]


def test_markdown_report_carries_no_raw_html_typed_at_the_front_door(cli, workspace):
    log(cli, "--callback-by", "17:00", summary="<img src=x onerror=alert(1)> *急*")
    result = cli("report", "daily", "--date", "2026-10-12", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"(?<!\\)<", result.stdout)  # every < escaped: no HTML tag
    assert "\\<img src=x onerror=alert(1)\\> \\*急\\*" in result.stdout


def test_check_reports_stored_text_dutyctl_would_refuse(cli, workspace):
    record_id = log(cli)
    line = poison(workspace, record_id)
    result = cli("check")
    assert result.exit_code == 1
    (path,) = [p for p in record_files(workspace.root) if p.stem == record_id]
    where = f"{path.relative_to(workspace.root)}:{line}: summary: contains the control character"
    assert where in result.stdout


@pytest.mark.parametrize("character", ["\u202e", "\u200b", "\u2028", "\u2066", "\ufeff"])
def test_front_door_refuses_bidi_zero_width_and_separators(cli, workspace, character):
    result = cli(*call_flags("张三", "3-2-501", "13812345678", f"漏{character}水"))
    assert result.exit_code == 2
    assert f"U+{ord(character):04X}" in result.stderr
    assert record_files(workspace.root) == []


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_an_actor_with_control_characters_is_refused_without_a_rules_file(cli, workspace, how):
    (workspace.root / "rosters" / "rules.yaml").unlink()
    name = "zhang\x1b[2Jwei"
    if how == "flag":
        result = cli(*call_flags(), "--staff", name)
    else:
        result = cli(*call_flags(), user=name)
    assert result.exit_code == 2
    assert "staff id: contains the control character U+001B" in result.stderr
    assert record_files(workspace.root) == []


def test_the_sanitizer_keeps_text_readable():
    assert output.visible("a\x1bb\r\u202ec\n\td") == "a␛b␍\\u202ec\n\td"
    assert output.visible("\ufeffdate,staff") == "\ufeffdate,staff"
    assert output.spreadsheet_safe("-1") == "'-1" and output.spreadsheet_safe("1-2") == "1-2"
    assert output.markdown_safe("a|b <i>") == "a\\|b \\<i\\>"


def test_one_bad_open_record_never_blocks_the_handover(cli, workspace, clock):
    """A record another desk wrote with a control character in its text stays in the
    handover, the character shown as its visible escape (as every screen shows it): it was
    left out, said only on stderr, and the next shift never heard of the open matter."""
    clock.set("2026-10-12T20:00:00+08:00")
    october_site(workspace.root)
    at = ("--staff", "zhangwei", "--at")
    bad = log(cli, "--callback-by", "2026-10-12 18:00")
    good = cli(*call_flags("李四", "1-1-101", "13912345678", "门禁卡", "--callback-by",
                           "2026-10-12 17:00", *at, "2026-10-12 09:40"))
    good_id = good.stdout.split()[0]
    poison(workspace, bad)
    result = cli("handover", "--staff", "zhangwei", "--to", "lina", "--at", "2026-10-12 19:50")
    assert result.exit_code == 0, result.stderr
    assert "skipped" not in result.stderr and "left out" not in result.stderr
    handover_id = result.stdout.split()[0]
    items = workspace.store.get(handover_id).get("items")
    assert [item["record"] for item in items] == [good_id, bad]
    assert items[1]["text"].startswith("漏水") and "␛" in items[1]["text"]
    assert_clean(items[1]["text"])
    shown = cli("handover", "show", handover_id)
    assert shown.exit_code == 0 and bad[:12] in shown.stdout and "␛" in shown.stdout
    assert_clean(shown.stdout)


def test_an_argument_the_terminal_sent_in_gbk_is_refused_in_one_line(workspace, monkeypatch,
                                                                     dutyctl_command):
    """A terminal set to GBK sends bytes that are no UTF-8: Python keeps them as surrogates,
    and the call ended in "unexpected error" (exit 3) at its first write. Now exit 2, one
    line naming the argument, in the site's language (it was English before the site's was
    read); nothing written."""
    from tests.conftest import run_dutyctl

    monkeypatch.delenv("DUTYCTL_LANG", raising=False)
    monkeypatch.setenv("LANG", "C")
    # the workspace's dutyctl.yaml says `language: zh_CN` (the template's)
    gbk = "王五".encode("gbk").decode("utf-8", "surrogateescape")  # as Python reads argv
    done = run_dutyctl(dutyctl_command, "来电", "--姓名", gbk, "--房号", "3-1-101", "--电话",
                       "13811110002", "--摘要", "问物业费", root=workspace.root)
    assert done.returncode == 2, done.stderr
    assert done.stderr == ("第 5 个参数不是 UTF-8 文本（终端用的是别的编码，如 GBK）：请把终端"
                           "设为 UTF-8 后重新输入；未写入任何内容\n")
    assert not list((workspace.root / "records").rglob("*.yaml"))


@pytest.mark.parametrize("command", [("来电", "--摘要", "问物业费"),
                                     ("投诉", "登记", "--类别", "噪音", "--内容", "楼上噪音")])
def test_a_control_character_in_a_callers_name_is_said_by_the_option_typed(cli, workspace,
                                                                          command):
    """The caller's name is the record's `resident.name`: the refusal said
    `--resident.name：含有控制字符`, an option that does not exist; now the one typed."""
    result = cli(*command, "--姓名", "王\x1b[31m红", "--房号", "3-1-101", "--电话",
                 "13811110002", env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 2
    assert result.stderr == "--姓名：含有控制字符 U+001B\n"
    assert record_files(workspace.root) == []


def test_an_argument_typed_in_utf8_under_a_gbk_locale_is_refused_not_stored_garbled(
        monkeypatch, capsys):
    """Under LANG=zh_CN.GBK (an old server) a UTF-8 terminal's 张三 was read as GBK, 寮犱笁,
    and stored so in the record: no surrogate told. Refused in one line that says what was
    typed, in UTF-8; a GBK terminal's own text (read right) goes on."""
    import sys

    from dutyctl import launcher, messages

    monkeypatch.setenv("DUTYCTL_LANG", "en")
    monkeypatch.setattr(sys, "getfilesystemencoding", lambda: "gbk")
    monkeypatch.setenv("LANG", "zh_CN.GBK")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    messages.forget_language()
    garbled = "张三".encode("utf-8").decode("gbk", "surrogateescape")
    assert garbled == "寮犱笁"  # what Python made of the bytes: no surrogate in it
    with pytest.raises(SystemExit) as leaving:
        launcher._refuse_undecodable(["log", "call", "--name", garbled])
    assert leaving.value.code == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and said.startswith("argument 4 was typed as UTF-8 (张三), "
                                                     "but the locale says GBK (LANG=zh_CN.GBK)")
    launcher._refuse_undecodable(["log", "call", "--name", "王五", "--summary", "问物业费"])
    launcher._refuse_undecodable(["--summary", "Müller café"])  # Latin, not Chinese: as read
    # a GBK terminal's names whose bytes are UTF-8 too, read 갺췼 and 丰尡: the locale's
    # reading holds the everyday characters, and it stands (臧红芳 was refused, in UTF-8)
    for name in ("臧红芳", "涓板啊"):
        assert name.encode("gbk").decode("utf-8")  # UTF-8 as well
        launcher._refuse_undecodable(["log", "call", "--name", name])
    messages.forget_language()


def test_the_installed_dutyctl_under_a_gbk_locale_refuses_utf8_arguments(workspace, tmp_path,
                                                                         dutyctl_command):
    """The same through the program, under a real zh_CN.GBK locale (made for the test when
    the system has its sources)."""
    import shutil

    if shutil.which("localedef") is None:
        pytest.skip("no localedef")
    (tmp_path / "locale").mkdir()
    made = subprocess.run(["localedef", "-i", "zh_CN", "-f", "GBK",
                           str(tmp_path / "locale" / "zh_CN.GBK")], capture_output=True)
    if not (tmp_path / "locale" / "zh_CN.GBK").exists():
        pytest.skip(f"no zh_CN.GBK locale: {made.stderr!r}")
    env = {**os.environ, "LOCPATH": str(tmp_path / "locale"), "LANG": "zh_CN.GBK",
           "DUTYCTL_USER": "zhangwei", "DUTYCTL_LANG": "en"}
    env.pop("LC_ALL", None)
    env.pop("LC_CTYPE", None)
    line = [*map(os.fsencode, dutyctl_command), b"--root", os.fsencode(workspace.root), b"log",
            b"call", b"--room", b"3-2-501", b"--phone", b"13812345678", b"--category", b"fee",
            b"--summary", b"fee", b"--name"]
    typed = subprocess.run([*line, "张三".encode("utf-8")], capture_output=True, env=env,
                           stdin=subprocess.DEVNULL)
    assert typed.returncode == 2, typed.stderr
    assert "(张三)" in typed.stderr.decode("utf-8") and typed.stderr.count(b"\n") == 1
    assert not list((workspace.root / "records").rglob("*.yaml"))
    gbk = subprocess.run([*line, "张三".encode("gbk")], capture_output=True, env=env,
                         stdin=subprocess.DEVNULL)
    assert gbk.returncode == 0, gbk.stderr.decode("gbk", "replace")
    (record,) = (workspace.root / "records").rglob("*.yaml")
    assert "张三" in record.read_text(encoding="utf-8")
