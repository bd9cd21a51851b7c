"""One resident corrected on two desks before they synced (住户 修改 on both, then 同步): the
register keeps one line, the later correction counts, and the clash is said — by `check`
with both values and how to settle it, under `resident list` and `caller`, in `show` — until
a supervisor's `settle` sets one of the two corrections aside."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from dutyctl import callers
from dutyctl.check import check_workspace
from dutyctl.kinds.resident import EDIT, KIND
from dutyctl.records import SETTLE
from dutyctl.residents import person_of
from dutyctl.tickets import lifecycle
from dutyctl.timeutil import zone
from tests.conftest import Cli
from tests.helpers_desk import ok_text as ok
from tests.test_sync import clone, file_remote, first_desk, no_git_config, sync  # noqa: F401

__all__ = ["file_remote", "no_git_config"]  # fixtures pytest finds here by name

TZ = zone("Asia/Shanghai")
PHONE, FRONT_PHONE, NIGHT_PHONE = "13812345678", "13900001111", "13700002222"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, 12, hour, minute, tzinfo=TZ)


# -- the core ---------------------------------------------------------------------------------

def two_desks_corrected(store, *, front_at=at(10), night_at=at(11), phones=(FRONT_PHONE,
                                                                          NIGHT_PHONE)):
    """What a merge of two desks leaves: each made an entry of the same call and corrected the
    phone its own way (as `callers.edit` writes them, neither desk seeing the other's)."""
    call = store.create("call", {"resident": {"name": "张三", "room": "3-2-501",
                                              "phone": PHONE},
                                 "summary": "物业费", "category": "fee"}, at=at(9), by="zhangwei")
    made = []
    for when, phone, by in ((front_at, phones[0], "zhangwei"), (night_at, phones[1], "lina")):
        entry = store.create(KIND, {"resident": dict(call.fields["resident"]), "source": call.id},
                             at=when, by=by)
        made.append(store.append(entry, EDIT, at=when, by=by,
                                 data={"resident": {"phone": phone}}))
    return call, made


def test_two_numbers_that_mask_alike_are_told_how_to_tell_apart(workspace, clock):
    """13911110000 and 13922220000 both read 139****0000: `check` offered to keep 139****0000
    or 139****0000, and had no --show-phone."""
    clock.set("2026-10-12T18:00:00+08:00")
    two_desks_corrected(workspace.store, phones=("13911110000", "13922220000"))
    (problem,) = [problem for problem in check_workspace(workspace)
                  if "139****0000" in problem.message]
    assert "(both numbers look alike masked: 'dutyctl show " in problem.message
    assert problem.message.endswith(" --show-phone' tells them apart)"), problem.message


def test_two_desks_entries_of_one_resident_are_one_line_the_later_correction_counting(
        workspace, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    _, (front, night) = two_desks_corrected(store)
    (resident,) = callers.register(store).residents
    assert resident.person["phone"] == NIGHT_PHONE and resident.source.id == front.id
    (clash,) = resident.clashes
    assert (clash.field, clash.value, clash.other_value) == ("phone", NIGHT_PHONE, FRONT_PHONE)
    # the number either desk typed finds them (a call may come from the other desk's number)
    for phone in (FRONT_PHONE, NIGHT_PHONE):
        assert [one.source.id for one in callers.register(store, phone=phone).residents] == [
            front.id]
    (finding,) = [problem for problem in check_workspace(workspace)
                  if "corrected" in problem.message]
    assert not finding.breaks_a_file
    assert finding.path == workspace.relative(night.events[-1].path)
    assert "137****2222" in finding.message and "139****1111" in finding.message
    step = front.events[-1].id
    assert f"dutyctl settle {front.short_id} --event {step[:14]} --reason" in finding.message
    assert f"--event {step}" not in finding.message


def test_of_two_corrections_at_one_moment_the_later_id_counts(workspace, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    _, made = two_desks_corrected(workspace.store, front_at=at(10), night_at=at(10))
    later = max(made, key=lambda entry: entry.events[-1].id)
    (resident,) = callers.register(workspace.store).residents
    assert resident.person["phone"] == person_of(later)["phone"]


@pytest.mark.parametrize("keep", [FRONT_PHONE, NIGHT_PHONE])
def test_settling_sets_one_correction_aside_and_the_clash_is_gone(workspace, clock, keep):
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    _, (front, night) = two_desks_corrected(store)
    (clash,) = callers.register(store).residents[0].clashes
    aside = clash.later if keep == FRONT_PHONE else clash.earlier
    settled = lifecycle.settle(store, front, aside.id[:12], "电话核实", at=at(12), by="chenjing",
                               person=str)
    assert settled.events[-1].action == SETTLE  # on the entry that holds the step
    assert any(event.id == aside.id for event in settled.events)
    (resident,) = callers.register(store).residents
    assert resident.person["phone"] == keep and resident.clashes == ()
    assert not [problem for problem in check_workspace(workspace)]
    # the number set aside was never theirs: no "changed to" from it, no former number
    dropped = NIGHT_PHONE if keep == FRONT_PHONE else FRONT_PHONE
    assert callers.renumbered(store, dropped) == ()
    assert dropped not in {phone for phone, _ in callers.former_numbers([resident], keep)}


def test_one_desk_correcting_a_caller_twice_corrects_one_entry(workspace, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    call = store.create("call", {"resident": {"name": "张三", "room": "3-2-501",
                                              "phone": PHONE},
                                 "summary": "物业费", "category": "fee"}, at=at(9), by="zhangwei")
    first, _ = callers.edit(store, call, {"phone": FRONT_PHONE}, note=None, at=at(10),
                            by="zhangwei")
    again, written = callers.edit(store, store.get(call.id), {"phone": NIGHT_PHONE}, note=None,
                                  at=at(11), by="zhangwei")
    assert again.id == first.id and len(written) == 1
    (resident,) = callers.register(store).residents
    assert resident.person["phone"] == NIGHT_PHONE and resident.clashes == ()


# -- two desks through sync -------------------------------------------------------------------

@pytest.mark.auto_commit
def test_resident_edited_on_two_desks_then_synced_is_one_line_and_the_clash_is_said(
        tmp_path, file_remote, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    front = first_desk(tmp_path, file_remote)
    ok(Cli(front)("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", PHONE,
                  "--summary", "物业费", "--at", "2026-10-12 09:00"))
    ok(sync(front))
    night = clone(tmp_path, file_remote, "night-desk")
    ok(Cli(front)("--lang", "zh_CN", "住户", "修改", "张三", "--电话", FRONT_PHONE,
                  "--时间", "2026-10-12 10:00"))
    ok(Cli(night)("--lang", "zh_CN", "住户", "修改", "张三", "--电话", NIGHT_PHONE,
                  "--时间", "2026-10-12 11:00", user="lina"))
    ok(sync(front))
    ok(sync(night))  # pushed all the same: every desk must see it to settle it
    ok(sync(front))
    for desk in (front, night):
        (row,) = json.loads(ok(Cli(desk)("resident", "list", "-f", "json")))
        assert row["phone"] == "137****2222"  # the later correction
        assert "139****1111" in row["conflict"][0]
        checked = Cli(desk)("--lang", "zh_CN", "检查")
        assert checked.exit_code == 1, checked.stdout
        (line,) = checked.stdout.splitlines()
        assert "137****2222" in line and "139****1111" in line and "李娜" in line
        # the earlier correction first (was: the later one, "又被" the earlier, then "以较晚的")
        assert re.search(r"先被 \S+ 于 2026-10-12 10:00 改为 139\*{4}1111（.*），后被 李娜 于 "
                         r"2026-10-12 11:00 改为 137\*{4}2222：.*以较晚的 137\*{4}2222 为准",
                         line), line
        # each way out a whole command a clerk can copy
        assert re.search(r"保留 137\*{4}2222：dutyctl 作废 (\S+) --步骤 \S+ --原因 原因；"
                         r"保留 139\*{4}1111：dutyctl 作废 \1 --步骤 \S+ --原因 原因$", line), line
        said = Cli(desk)("check").stdout
        assert re.search(r"corrected first to 139\*{4}1111 by \S+ at 2026-10-12 10:00 \(.*\), "
                         r"then to 137\*{4}2222 by 李娜 at 2026-10-12 11:00", said), said
    seen = Cli(night)("--lang", "zh_CN", "来电人", FRONT_PHONE)
    assert "137****2222" in seen.stdout and "139****1111" in seen.stderr
    entry, keep = re.search(r"to keep 137\S+, dutyctl settle (\S+) --event (\S+) --reason TEXT",
                            Cli(night)("check").stdout).groups()
    assert "139****1111" in ok(Cli(night)("show", entry))  # the conflict, in `show` too
    shown = ok(Cli(night)("show", entry, "--show-phone"))  # whole, as the record's phone is
    assert "13900001111" in shown and "139****1111" not in shown, shown
    ok(Cli(night)("settle", entry, "--event", keep, "--reason", "电话核实",
                  "--at", "2026-10-12 12:00", user="chenjing"))
    ok(sync(night))
    ok(sync(front))
    for desk in (front, night):
        assert Cli(desk)("check").exit_code == 0
        (row,) = json.loads(ok(Cli(desk)("resident", "list", "-f", "json")))
        assert row["phone"] == "137****2222" and "conflict" not in row


def test_the_installed_dutyctl_says_the_clash_and_settles_it(workspace, dutyctl_command,
                                                              monkeypatch):
    from tests.conftest import run_dutyctl
    from tests.entrypoint import FIXED_CLOCK

    monkeypatch.setenv("DUTYCTL_TEST_NOW", "2026-10-12T18:00:00+08:00")  # never today's date
    monkeypatch.setenv("PYTHONPATH", FIXED_CLOCK)
    _, (front, _night) = two_desks_corrected(workspace.store)
    checked = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "检查", root=workspace.root)
    assert checked.returncode == 1, checked.stderr
    assert "两个值班台未同步就各自修改" in checked.stdout and "139****1111" in checked.stdout
    settled = run_dutyctl(dutyctl_command, "--lang", "zh_CN", "作废", front.short_id,
                          "--步骤", front.events[-1].id, "--原因", "已电话核实",
                          "--时间", "2026-10-12 12:00", root=workspace.root)
    assert settled.returncode == 0, settled.stderr
    assert run_dutyctl(dutyctl_command, "check", root=workspace.root).returncode == 0
    listed = run_dutyctl(dutyctl_command, "resident", "list", "-f", "json", root=workspace.root)
    (row,) = json.loads(listed.stdout)
    assert row["phone"] == "137****2222" and "conflict" not in row


def test_check_finds_the_clash_across_day_folders_read_by_workers(workspace, clock):
    """The two entries filed on days far apart, among enough day folders for `check` to read
    them in worker processes: the entries of every day are gathered before they are judged."""
    from datetime import timedelta

    from dutyctl.store.storage import PARALLEL_MIN_ITEMS

    clock.set("2026-12-31T18:00:00+08:00")
    store = workspace.store
    for day in range(PARALLEL_MIN_ITEMS + 5):
        store.create("call", {"resident": {"name": "李四", "room": "5-1-101",
                                           "phone": "13600000000"},
                              "summary": "问路", "category": "fee"},
                     at=at(8) + timedelta(days=day), by="zhangwei")
    two_desks_corrected(store, front_at=at(10), night_at=at(11) + timedelta(days=40))
    (finding,) = [problem for problem in check_workspace(workspace)
                  if "corrected" in problem.message]
    assert "137****2222" in finding.message and "139****1111" in finding.message


def test_the_clash_names_the_settle_command_as_the_command_word_table_says(
        workspace, clock, monkeypatch):
    """The resident's clash wrote `dutyctl settle … --event … --reason` into its message (作废
    --步骤 --原因 in the Chinese one), where a step's clash (`check.clash_text`) asks the
    command-word table: a word the table changes was never followed. It asks the table too."""
    from dutyctl import commandwords, messages

    clock.set("2026-10-12T18:00:00+08:00")
    two_desks_corrected(workspace.store)
    monkeypatch.setattr(commandwords, "chinese_words",
                        lambda path: ("撤销",) if tuple(path) == ("settle",) else path)
    monkeypatch.setattr(commandwords, "option_words",
                        lambda command="": {"--event": "--步", "--reason": "--缘由"})
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.start_invocation(None)
    try:
        (line,) = [problem.message for problem in check_workspace(workspace)
                   if "139****1111" in problem.message]
    finally:  # the next test in this process reads English again
        monkeypatch.setenv("DUTYCTL_LANG", "en")
        messages.start_invocation(None)
    assert re.search(r"保留 137\*{4}2222：dutyctl 撤销 (\S+) --步 \S+ --缘由 原因；"
                     r"保留 139\*{4}1111：dutyctl 撤销 \1 --步 \S+ --缘由 原因$", line), line


def test_the_register_s_clash_note_names_check_as_the_command_word_table_says(
        workspace, clock, monkeypatch):
    """The note under the register (`callers.edit_clash_note`) wrote `dutyctl check says how`
    (`dutyctl 检查` in its translation), where `check.clash_text` asks the command-word table:
    a word the table changes was never followed. It asks the table too."""
    from dutyctl import commandwords, messages
    from dutyctl.names import Names

    clock.set("2026-10-12T18:00:00+08:00")
    two_desks_corrected(workspace.store)
    monkeypatch.setattr(commandwords, "chinese_words",
                        lambda path: ("核查",) if tuple(path) == ("check",) else path)
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.start_invocation(None)
    try:
        (resident,) = [one for one in callers.register(workspace.store).residents
                       if one.clashes]
        (note,) = [callers.edit_clash_note(clash, resident, TZ,
                                           Names.of(workspace)) for clash in resident.clashes]
    finally:  # the next test in this process reads English again
        monkeypatch.setenv("DUTYCTL_LANG", "en")
        messages.start_invocation(None)
    assert note.endswith("（处理方法见 dutyctl 核查）"), note
    english = callers.edit_clash_note(resident.clashes[0], resident, TZ,
                                      Names.of(workspace))
    assert english.endswith("(dutyctl check says how)"), english


def test_two_desks_entries_of_a_landline_in_its_two_spellings_are_one_resident(workspace):
    """The register's identity of a person (`callers._pair`) compared phones digit for digit,
    86 kept: 张三 registered at 3-2-501 on one desk as `0571 8888 6666` and on the other as
    `+86 571-88886666` (no call between them) stayed two residents, one line each, where
    find, twins, the handover and the index take them for one number
    (`schema.same_number`)."""
    made = [workspace.store.create(KIND, {"resident": {"name": "张三", "room": "3-2-501",
                                                       "phone": phone}}, at=at(hour), by=by)
            for phone, hour, by in (("0571 8888 6666", 10, "zhangwei"),
                                    ("+86 571-88886666", 11, "lina"))]
    assert [[entry.id for entry in group] for group in callers.same_resident(made)] == [
        [entry.id for entry in made]]
