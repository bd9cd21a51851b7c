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


def test_a_record_with_a_number_of_thousands_of_digits_stops_no_command(cli, workspace):
    spoiled, kept = log(cli), log(cli, summary="停电")
    path = hand_edit(workspace, spoiled, "schema: 1", "schema: 1" + "0" * 100_000)
    for args in (["list"], ["search", "停电"], ["check"]):
        result = cli(*args, env={"DUTYCTL_LANG": "zh_CN"})
        assert result.exit_code == (1 if args == ["check"] else 0), result.stderr
        said = result.stdout + result.stderr
        assert f"{path}:3: 数字过大" in said
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
