"""A resident registered on two desks (one resident of two entries) who moves out: the number is
free at that room again, and filed again on two desks it is one resident once more."""

from __future__ import annotations

import pytest

from dutyctl import callers
from dutyctl.check import check_workspace
from dutyctl.errors import Refused
from dutyctl.kinds.resident import ACTIVE, KIND, MOVED_OUT
from tests.test_residents_filed_twice import PHONE, at, registered_on_two_desks

PERSON = {"name": "王芳", "room": "5-1-1202", "phone": PHONE}


@pytest.mark.parametrize("which", [0, 1])
def test_a_resident_filed_twice_and_moved_out_can_be_registered_again(workspace, clock, which):
    """Moving out either entry ends the resident: every entry of them is ended (the other one
    stayed registered, so the number could never be filed at that room again), no 'filed twice'
    finding stays for a resident who left, and a new resident with the number is taken."""
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    entries = registered_on_two_desks(store, night_name="刘女士")
    callers.move_out(store, store.get(entries[which].id), note=None, at=at(11), by="zhangwei")
    assert [store.get(entry.id).status for entry in entries] == [MOVED_OUT, MOVED_OUT]
    assert callers.register(store).residents == []
    assert check_workspace(workspace) == []
    made = callers.add(store, dict(PERSON), note=None, at=at(12), by="zhangwei")
    (resident,) = callers.register(store).residents
    assert resident.source.id == made.id and resident.status == ACTIVE


def test_a_group_moved_out_on_one_entry_refuses_edit_and_add_by_the_group(workspace, clock):
    """What a merge leaves: one desk moved out its own entry, the other entry untouched. The
    resident is gone: a new filing is taken, correcting or moving out the old one is refused."""
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    front, night = registered_on_two_desks(store)
    store.append(store.get(night.id), "move-out", at=at(10), by="lina")  # the other desk's
    assert callers.register(store).residents == []
    with pytest.raises(Refused):
        callers.move_out(store, store.get(front.id), note=None, at=at(11), by="zhangwei")
    with pytest.raises(Refused):
        callers.edit(store, store.get(front.id), {"name": "王芳"}, note=None, at=at(11),
                     by="zhangwei")
    callers.add(store, dict(PERSON), note=None, at=at(12), by="zhangwei")
    assert [one.person["name"] for one in callers.register(store).residents] == ["王芳"]


def test_a_number_filed_again_on_two_desks_after_a_move_out_is_one_resident(workspace, clock):
    """After a move-out, both desks (not synced) register the new resident of the number: one
    resident, and two names are said by check (it listed two residents and said nothing)."""
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    (old,) = [callers.add(store, {"name": "刘敏", "room": "5-1-1202", "phone": PHONE},
                          note=None, at=at(8), by="zhangwei")]
    callers.move_out(store, old, note=None, at=at(9), by="zhangwei")
    first, second = [store.create(KIND, {"resident": {"name": name, "room": "5-1-1202",
                                                      "phone": PHONE}}, at=when, by=by)
                     for name, when, by in (("王芳", at(10), "zhangwei"),
                                            ("王女士", at(10, 5), "lina"))]
    (resident,) = callers.register(store).residents
    assert resident.source.id == first.id
    (finding,) = check_workspace(workspace)
    assert "王芳" in finding.message and "王女士" in finding.message
    assert finding.path == workspace.relative(second.path)


@pytest.mark.auto_commit
def test_moving_out_a_resident_filed_twice_commits_both_ends(workspace, cli, clock):
    """`住户 迁出` ends both entries and commits both events (nothing left uncommitted)."""
    from tests.helpers_foundation import git

    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    front, night = registered_on_two_desks(store)
    git(workspace.root, "add", "-A")
    git(workspace.root, "-c", "user.name=x", "-c", "user.email=x@example.com", "commit",
        "-qm", "两个值班台")
    done = cli("--lang", "zh_CN", "住户", "迁出", night.short_id, "--at", "2026-10-12 11:00")
    assert done.exit_code == 0, done.stderr
    assert [store.get(entry.id).status for entry in (front, night)] == [MOVED_OUT, MOVED_OUT]
    assert git(workspace.root, "status", "--porcelain") == ""
    again = cli("--lang", "zh_CN", "住户", "迁出", night.short_id, "--at", "2026-10-12 11:30")
    assert again.exit_code == 2 and "已迁出" in again.stderr, (again.stdout, again.stderr)
    assert git(workspace.root, "status", "--porcelain") == ""  # moving out twice wrote nothing


def test_an_entry_moved_out_is_not_moved_out_again(workspace, clock):
    """One desk's own entry, moved out: a second move-out is refused (it said "move-out
    recorded" and wrote nothing)."""
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    entry = callers.add(store, dict(PERSON), note=None, at=at(9), by="zhangwei")
    ended, _ = callers.move_out(store, entry, note=None, at=at(10), by="zhangwei")
    with pytest.raises(Refused):
        callers.move_out(store, store.get(ended.id), note=None, at=at(11), by="zhangwei")
