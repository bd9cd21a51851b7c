"""One resident registered on two desks before they synced (`住户 登记` of the same phone and
room on both): the register keeps one line, lookups find one resident, and when the two desks
wrote different names `check` says both and how a supervisor settles it."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from dutyctl import callers
from dutyctl.check import check_workspace
from dutyctl.errors import Refused
from dutyctl.kinds.resident import EDIT, KIND
from dutyctl.timeutil import zone
from tests.conftest import Cli
from tests.helpers_desk import ok_text as ok
from tests.test_sync import clone, file_remote, first_desk, no_git_config, sync  # noqa: F401

__all__ = ["file_remote", "no_git_config"]  # fixtures pytest finds here by name

TZ = zone("Asia/Shanghai")
PHONE = "13900001111"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, 12, hour, minute, tzinfo=TZ)


def registered_on_two_desks(store, front_name="刘敏", night_name="刘敏", phone=PHONE):
    """What a merge leaves: each desk filed an entry of the number (as `callers.add` writes
    one, neither desk seeing the other's)."""
    return [store.create(KIND, {"resident": {"name": name, "room": "5-1-1202", "phone": phone},
                                "note": note}, at=when, by=by)
            for name, note, when, by in ((front_name, "业主", at(9), "zhangwei"),
                                         (night_name, "租户", at(9, 2), "lina"))]


def test_one_number_registered_on_two_desks_is_one_resident(workspace, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    front, night = registered_on_two_desks(store)
    (resident,) = callers.register(store).residents
    assert resident.source.id == front.id and resident.person["name"] == "刘敏"
    (found,) = callers.register(store, phone=PHONE).residents
    assert found.source.id == front.id
    assert [one.source.id for one in callers.residents_called(store, "刘敏")] == [front.id]
    assert check_workspace(workspace) == []  # the same person: nothing to settle
    # a correction by either entry's id corrects the one resident
    callers.edit(store, store.get(night.id), {"phone": "13700002222"}, note=None, at=at(10),
                 by="lina")
    (resident,) = callers.register(store).residents
    assert resident.person["phone"] == "13700002222"
    # moving either out moves the resident out
    callers.move_out(store, store.get(front.id), note=None, at=at(11), by="zhangwei")
    assert callers.register(store).residents == []


def test_two_names_for_one_number_are_said_and_a_correction_settles_them(workspace, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    front, night = registered_on_two_desks(store, night_name="刘女士")
    (resident,) = callers.register(store).residents
    assert resident.person["name"] == "刘敏"  # the first filing, until settled
    (finding,) = check_workspace(workspace)
    assert not finding.breaks_a_file
    assert finding.path == workspace.relative(night.path)
    assert "刘敏" in finding.message and "刘女士" in finding.message
    assert "139****1111" in finding.message
    assert f"dutyctl resident edit {night.short_id} --name 刘敏" in finding.message
    assert f"dutyctl resident edit {front.short_id} --name 刘女士" in finding.message
    # the supervisor takes the other desk's name
    callers.edit(store, store.get(front.id), {"name": "刘女士"}, note=None, at=at(12),
                 by="chenjing")
    assert callers.register(store).residents[0].person["name"] == "刘女士"
    assert check_workspace(workspace) == []


def test_keeping_the_first_name_settles_it_too(workspace, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    front, night = registered_on_two_desks(store, night_name="刘女士")
    callers.edit(store, store.get(night.id), {"name": "刘敏"}, note=None, at=at(12),
                 by="chenjing")
    assert callers.register(store).residents[0].person["name"] == "刘敏"
    assert check_workspace(workspace) == []


def test_one_desk_still_refuses_a_number_registered_at_that_room(workspace, clock):
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    person = {"name": "刘敏", "room": "5-1-1202", "phone": PHONE}
    callers.add(store, person, note=None, at=at(9), by="zhangwei")
    with pytest.raises(Refused):
        callers.add(store, person, note=None, at=at(10), by="zhangwei")


def test_a_number_corrected_away_before_the_second_filing_is_someone_else(workspace, clock):
    """The first entry's phone was corrected to another number before the second filing of
    the old number: two residents (as one desk would have let it file)."""
    clock.set("2026-10-12T18:00:00+08:00")
    store = workspace.store
    first = store.create(KIND, {"resident": {"name": "刘敏", "room": "5-1-1202",
                                             "phone": PHONE}}, at=at(9), by="zhangwei")
    store.append(first, EDIT, at=at(9, 30), by="zhangwei",
                 data={"resident": {"phone": "13700002222"}})
    store.create(KIND, {"resident": {"name": "王磊", "room": "5-1-1202", "phone": PHONE}},
                 at=at(10), by="lina")
    assert sorted(one.person["name"] for one in callers.register(store).residents) == [
        "刘敏", "王磊"]
    assert check_workspace(workspace) == []


@pytest.mark.auto_commit
def test_two_desks_registering_one_number_then_syncing_list_it_once(tmp_path, file_remote,
                                                                     clock):
    clock.set("2026-10-12T18:00:00+08:00")
    front = first_desk(tmp_path, file_remote)
    ok(sync(front))
    night = clone(tmp_path, file_remote, "night-desk")
    for desk, name, when, user in ((front, "刘敏", "09:00", "zhangwei"),
                                   (night, "刘女士", "09:02", "lina")):
        ok(Cli(desk)("--lang", "zh_CN", "住户", "登记", "--姓名", name, "--房号", "5-1-1202",
                     "--电话", PHONE, "--时间", f"2026-10-12 {when}", user=user))
    ok(sync(front))
    ok(sync(night))
    ok(sync(front))
    for desk in (front, night):
        (row,) = json.loads(ok(Cli(desk)("resident", "list", "-f", "json")))
        assert row["name"] == "刘敏"
        checked = Cli(desk)("--lang", "zh_CN", "检查")
        assert checked.exit_code == 1
        (line,) = checked.stdout.splitlines()
        assert "两个值班台未同步时各登记了一次" in line and "刘女士" in line, line
        assert "dutyctl 住户 修改" in line, line


def test_check_and_the_review_name_the_same_residents_to_settle(cli, workspace, clock):
    """One answer (callers.to_settle): a phone corrected two ways and a number filed under
    two names are `check`'s findings and the weekly review's residents alike; a resident
    filed under two names who moved out since is in neither (nobody to call any more)."""
    from tests.test_residents_twodesks import two_desks_corrected

    store = workspace.store
    _, (_, corrected) = two_desks_corrected(store)
    _, second = registered_on_two_desks(store, "王五", "王武", phone="13600003333")
    gone, _ = registered_on_two_desks(store, "赵六", "赵陆", phone="13500004444")
    callers.move_out(store, store.get(gone.id), note=None, at=at(12), by="zhangwei")
    clock.set("2026-10-19T09:00:00+08:00")
    found = sorted(problem.path for problem in check_workspace(workspace))
    assert found == sorted([workspace.relative(corrected.events[-1].path),
                            workspace.relative(second.path)])
    review = json.loads(ok(cli("report", "weekly", "--week", "2026-W42", "-f", "json")))
    assert sorted((item["type"], item.get("event") or item.get("other_id"))
                  for item in review["resident_clashes"]) == [
        ("edit", corrected.events[-1].id), ("filed_twice", second.id)]
