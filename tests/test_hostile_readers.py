"""Record files another desk wrote with values no form holds: a number of thousands of digits,
a kind that is a list. Each is one line at its file and line; the other records stay readable."""

from __future__ import annotations

import pytest

from dutyctl.errors import InputError
from dutyctl.store import fastyaml, yamlio
from tests.helpers_foundation import record_files
from tests.test_hostile_text import log


def hand_edit(workspace, record_id: str, old: str, new: str) -> str:
    """Replace `old` by `new` in the record's file; its path as check and list name it."""
    (path,) = [p for p in record_files(workspace.root) if p.stem == record_id]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path.relative_to(workspace.root))


@pytest.mark.parametrize("number", ["1" + "0" * 5000, "0x" + "f" * 5000, "1" + ":00" * 3000])
def test_a_number_of_thousands_of_digits_is_refused_at_its_line(number):
    for loads in (yamlio.loads, fastyaml.loads):
        with pytest.raises(InputError) as refused:
            loads(f"id: x\nnote: {number}\n", "r.yaml")
        assert str(refused.value).startswith("r.yaml:2: ")
        assert len(str(refused.value)) < 200


@pytest.mark.parametrize("text, said", [
    ("resident:\n  name: 王\n  phone: 138001380001380013800\n",
     "r.yaml:3: resident.phone: a number too large: if it is text, put it in quotes"),
    ("rooms:\n  - 1\n  - 0x1" + "0" * 16 + "\n", "r.yaml:3: rooms[1]: a number too large"),
    ("surprise: " + "9" * 30 + "\n", "r.yaml:1: surprise: a number too large"),  # unknown too
    ("minutes: " + "9" * 5000 + ".5\n", "r.yaml:1: minutes: a number too large")])  # not inf
def test_a_number_beyond_64_bits_names_its_field_and_keeps_the_hint(text, said):
    for loads in (yamlio.loads, fastyaml.loads):
        with pytest.raises(InputError) as refused:
            loads(text, "r.yaml")
        assert str(refused.value).startswith(said)
        assert str(refused.value).endswith("if it is text, put it in quotes")


@pytest.mark.parametrize("literal, value", [
    ("0b" + "1" * 64, 2**64 - 1), ("18446744073709551615", 2**64 - 1),
    ("0x" + "0" * 100 + "ff", 255), ("1" + "_" * 100, 1), ("-0x" + "f" * 16, -(2**64 - 1))])
def test_a_number_of_64_bits_however_written_is_read(literal, value):
    for loads in (yamlio.loads, fastyaml.loads):
        assert loads(f"n: {literal}\n", "r.yaml") == {"n": value}


def test_a_record_with_a_number_of_thousands_of_digits_stops_no_command(cli, workspace):
    spoiled, kept = log(cli), log(cli, summary="停电")
    path = hand_edit(workspace, spoiled, "schema: 1", "schema: 1" + "0" * 100_000)
    for args in (["list"], ["search", "停电"], ["check"]):
        result = cli(*args, env={"DUTYCTL_LANG": "zh_CN"})
        assert result.exit_code == (1 if args == ["check"] else 0), result.stderr
        said = result.stdout + result.stderr
        assert f"{path}:3: schema：数字过大：如果是文字，请加上引号" in said
        assert max(map(len, said.splitlines())) < 300
    assert kept[:12] in cli("list").stdout
    assert cli("show", kept).exit_code == 0


def test_a_kind_that_is_a_list_is_said_by_check_not_a_crash(cli, workspace):
    record_id = log(cli)
    path = hand_edit(workspace, record_id, "kind: call", "kind: [call]")
    result = cli("check", env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 1, result.stderr
    assert f"{path}:2: kind" in result.stdout + result.stderr


def test_a_step_of_an_action_its_kind_lacks_is_said_with_the_kind_in_words(cli, workspace):
    record_id = log(cli)
    (path,) = [p for p in record_files(workspace.root) if p.stem == record_id]
    step_id = record_id[:-1] + ("Y" if record_id[-1] == "Z" else "Z")
    step = path.with_name(f"{record_id}.{step_id}.yaml")
    step.write_text(f"id: '{step_id}'\nrecord: '{record_id}'\nschema: 1\n"
                    "at: '2026-10-12T09:40:00+08:00'\nby: zhangwei\naction: explode\n",
                    encoding="utf-8")
    result = cli("check", env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 1
    assert "来电没有操作“explode”" in result.stdout + result.stderr


def test_show_reads_around_a_step_file_another_desk_broke_and_says_it(cli, workspace):
    """A step file beside a record whose name its ids do not match, or a link, made `show`
    exit 2 with nothing shown: it shows the steps that can be read and says the file as
    `list` does (skipped, exit 0); a step on the record is still refused."""
    import json
    import os

    from tests.helpers_desk import resolved_complaint

    complaint = resolved_complaint(cli, "2026-10-12 09:00", "2026-10-12 09:40")
    (step,) = [path for path in record_files(workspace.root) if path.stem.startswith(
        complaint + ".")]
    copied = step.with_name(f"{complaint}.{complaint}.yaml")
    copied.write_bytes(step.read_bytes())  # its ids name another file
    escaped = step.with_name(f"{complaint}.\x1b[2J.yaml")
    escaped.write_bytes(step.read_bytes())
    step.with_name(f"{complaint}.01M4PVP7XCG2Y67V156CRHA9S8.yaml").symlink_to("/dev/zero")
    folder = str(step.parent.relative_to(workspace.root))
    shown = cli("show", complaint)
    assert shown.exit_code == 0, shown.stderr
    assert "已协调" in shown.stdout and "resolved" in shown.stdout  # the step read
    said = shown.stderr.splitlines()
    assert (f"skipped: {folder}/{copied.name}:1: record and id do not match the file name"
            in said), said
    assert f"skipped: {folder}/{complaint}.␛[2J.yaml:1: record and id do not match the file " \
           "name" in said, said
    assert any(line.startswith(f"skipped: {folder}/{complaint}.01M4PVP7XCG2Y67V156CRHA9S8.yaml:"
                               " a symbolic link") for line in said), said
    assert len(said) == 3 and "\x1b" not in shown.stderr
    as_json = cli("show", complaint, "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["status"] == "resolved"
    stepped = cli("complaint", "visit", complaint, "--satisfaction", "5")
    assert stepped.exit_code == 2 and copied.name in stepped.stderr
    assert len(os.listdir(step.parent)) == 5  # nothing written


def test_a_linked_record_beside_a_broken_step_file_is_shown_as_it_reads(cli, workspace):
    from tests.helpers_desk import resolved_complaint

    complaint = resolved_complaint(cli, "2026-10-12 09:00", "2026-10-12 09:40")
    call = log(cli)
    assert cli("link", call, complaint).exit_code == 0
    (step,) = [path for path in record_files(workspace.root)
               if path.stem.startswith(complaint + ".") and "已协调" in path.read_text("utf-8")]
    step.with_name(f"{complaint}.{complaint}.yaml").write_bytes(step.read_bytes())
    shown = cli("show", call)
    assert shown.exit_code == 0, shown.stderr
    (row,) = [line for line in shown.stdout.splitlines() if line.startswith(complaint[:12])]
    assert "resolved" in row and "not found" not in row, row
    assert f"{complaint}.{complaint}.yaml:1: record and id do not match" in shown.stderr
