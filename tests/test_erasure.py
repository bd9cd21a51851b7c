"""A resident's phone number erased from every record (个人信息保护法): a tenant who moved out
asks for it. Was: no command; blanking the phone refused; the number stayed whole in the
register, their calls, a delivery note and the handover's copy of it."""

from __future__ import annotations

import pytest

from dutyctl import records
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import git

ZH = {"DUTYCTL_LANG": "zh_CN"}


def whole_number_in(root, digits: str = "13600002222") -> list[str]:
    """The record files holding the number whole, however it was typed."""
    found = []
    for path in sorted((root / "records").rglob("*.yaml")):
        text = "".join(char for char in path.read_text(encoding="utf-8") if char.isdigit())
        if digits in text:
            found.append(str(path.relative_to(root)))
    return found


@pytest.fixture
def moved_out(workspace, cli, clock):
    """陈小红 registered, a delivery note and a call with her number (typed two ways), a
    handover whose note copies it, then her move-out."""
    clock.set("2026-10-09T09:00:00+08:00")
    entry = ok(cli("resident", "add", "--name", "陈小红", "--room", "5-1-1202", "--phone",
                   "13600002222", "--note", "租户", "--at", "2026-10-05 08:16"))
    ok(cli("log", "delivery", "顺丰快递一件代收，收件人陈小红 5-1-1202，电话13600002222",
           "--at", "2026-10-05 13:00"))
    ok(cli("log", "call", "--phone", "+86 136 0000 2222", "--summary", "问快递何时可取",
           "--at", "2026-10-05 14:40"))
    ok(cli("log", "call", "--name", "王五", "--room", "3-2-501", "--phone", "13812345678",
           "--summary", "问物业费", "--at", "2026-10-05 15:00"))  # another resident: untouched
    handed = cli("handover", "--to", "lina", "--note", "陈小红快递已代收，电话 136 0000 2222",
                 "--at", "2026-10-05 19:55")
    assert handed.exit_code == 0, handed.stderr
    ok(cli("resident", "move-out", entry, "--note", "退租", "--at", "2026-10-07 09:00"))
    return entry


@pytest.mark.auto_commit
def test_a_residents_number_is_erased_from_every_record_and_committed(workspace, cli, moved_out):
    root = workspace.root
    assert len(whole_number_in(root)) == 4  # entry, delivery, call, handover
    erased = cli("--lang", "zh_CN", "resident", "erase-phone", "陈小红", "--reason",
                 "本人要求删除", "--at", "2026-10-08 10:00")
    assert erased.exit_code == 0, erased.stderr
    assert erased.stdout.startswith("已从 4 个文件中抹除 136****2222（已提交）。git 历史中仍保留"), \
        erased.stdout
    assert whole_number_in(root) == []
    assert whole_number_in(root, "13812345678")  # nobody else's number touched
    assert git(root, "status", "--porcelain") == ""
    assert "电话号码已抹除（4 个文件）" in git(root, "log", "-1", "--format=%s")
    assert "13600002222" not in git(root, "log", "-1", "--format=%B")
    # what the desk sees is what it saw (masked), and the number finds nobody now
    assert cli("check").exit_code == 0
    assert "问快递何时可取" not in cli("caller", "13600002222").stdout
    assert "136****2222" in cli("list", "--all").stdout
    shown = cli("--lang", "zh_CN", "show", moved_out).stdout
    assert "抹除电话" in shown and "本人要求删除（改动文件数：4）" in shown, shown
    again = cli("--lang", "zh_CN", "resident", "erase-phone", moved_out, "--reason", "再来一次")
    assert again.exit_code == 2 and "已没有可抹除的电话号码" in again.stderr


def test_an_erase_needs_its_reason_and_writes_nothing_without(workspace, cli, moved_out):
    before = whole_number_in(workspace.root)
    refused = cli("resident", "erase-phone", moved_out)
    assert refused.exit_code == 2
    assert whole_number_in(workspace.root) == before


def test_an_older_desk_is_told_the_erased_files_are_newer(workspace, cli, moved_out,
                                                          monkeypatch):
    """A desk still on a dutyctl that refuses a masked number says its files were written
    by a newer dutyctl, not that they are broken."""
    ok(cli("resident", "erase-phone", moved_out, "--reason", "本人要求删除",
           "--at", "2026-10-08 10:00"))
    monkeypatch.setattr(records, "SCHEMA_VERSION", 2)
    checked = cli("check")
    assert "written by a newer dutyctl (schema 3)" in checked.stdout, checked.stdout


def test_a_number_registered_now_to_someone_else_is_not_erased(workspace, cli, clock):
    """The flat's landline, now the new tenant's: erasing the old tenant masked the new
    one's register entry and calls too (`caller` no longer found them)."""
    clock.set("2026-10-09T09:00:00+08:00")
    old = ok(cli("resident", "add", "--name", "陈小红", "--room", "5-1-1202", "--phone",
                 "0571-88886666", "--at", "2026-10-05 08:16"))
    ok(cli("resident", "move-out", old, "--note", "退租", "--at", "2026-10-06 09:00"))
    ok(cli("resident", "add", "--name", "陈大明", "--room", "5-1-1202", "--phone",
           "0571-88886666", "--at", "2026-10-07 08:20"))
    before = whole_number_in(workspace.root, "057188886666")
    refused = cli("--lang", "zh_CN", "resident", "erase-phone", old, "--reason", "本人要求删除")
    assert refused.exit_code == 2
    assert "0571-****6666 现在登记给 5-1-1202 的 陈大明" in refused.stderr, refused.stderr
    assert whole_number_in(workspace.root, "057188886666") == before


def test_an_unreadable_file_that_may_hold_the_number_stops_the_erase_before_any_write(
        workspace, cli, clock):
    """A file another desk saved in GBK made the erase stop halfway (files rewritten, no step,
    no commit), and a second run said there was no number left to erase."""
    clock.set("2026-10-09T09:00:00+08:00")
    entry = ok(cli("resident", "add", "--name", "陈小红", "--room", "5-1-1202", "--phone",
                   "13600002222", "--at", "2026-10-05 08:16"))
    call = ok(cli("log", "call", "--phone", "13600002222", "--summary", "再问快递",
                  "--at", "2026-10-07 14:40"))
    folder = next(path.parent for path in (workspace.root / "records").rglob(f"{call}.yaml"))
    broken = folder / "01AAAAAAAAAAAAAAAAAAAAAAAA.yaml"
    broken.write_bytes("summary: 电话13600002222\n".encode("gbk"))
    refused = cli("--lang", "zh_CN", "resident", "erase-phone", entry, "--reason", "本人要求")
    assert refused.exit_code == 2 and "01AAAAAAAAAAAAAAAAAAAAAAAA.yaml 可能含有这个号码" in \
        refused.stderr, refused.stderr
    assert not [path for path in (workspace.root / "records").rglob("*.yaml")
                if b"****" in path.read_bytes()]
    broken.unlink()
    again = cli("resident", "erase-phone", entry, "--reason", "本人要求")
    assert again.exit_code == 0, again.stderr
    assert whole_number_in(workspace.root) == []


def test_every_copy_of_the_number_is_erased_however_written(workspace, cli, clock):
    """电话:13600002222 (a half-width colon) stood whole in lists and after an erase; a number
    in full-width digits was passed over by the erase."""
    clock.set("2026-10-09T09:00:00+08:00")
    entry = ok(cli("resident", "add", "--name", "陈小红", "--room", "5-1-1202", "--phone",
                   "13600002222", "--at", "2026-10-05 08:16"))
    ok(cli("log", "delivery", "顺丰快递，收件人陈小红，电话:13600002222", "--at", "2026-10-05 13:00"))
    ok(cli("log", "delivery", "京东快递，电话１３６００００２２２２", "--at", "2026-10-05 13:10"))
    assert "13600002222" not in cli("list", "--all").stdout
    erased = cli("resident", "erase-phone", entry, "--reason", "本人要求",
                 "--at", "2026-10-08 10:00")
    assert erased.exit_code == 0, erased.stderr
    assert "from 3 files" in erased.stdout and "not committed (git.auto_commit is off)" in \
        erased.stdout, erased.stdout
    from dutyctl.timeutil import half_width

    for path in (workspace.root / "records").rglob("*.yaml"):
        digits = "".join(char for char in half_width(path.read_text(encoding="utf-8"))
                         if char.isdigit())
        assert "13600002222" not in digits, path
