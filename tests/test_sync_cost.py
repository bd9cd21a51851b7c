"""`dutyctl sync` checks what entered the desk's history since its last passing check, not the
whole history: the day folders changed since that commit, and those not committed yet. A
desk's first sync reads everything once; a refused sync moves nothing, so the next one reads
the same files again. Broken files among what it pushes or merges still stop it, and so does
a record file copied into another day folder."""

from __future__ import annotations

from datetime import date

import pytest

from dutyctl import check
from dutyctl.workspace import Workspace
from tests.helpers_foundation import git
from tests.test_sync import call, clone, file_remote, first_desk, no_git_config, sync  # noqa: F401

__all__ = ["file_remote", "no_git_config"]  # fixtures pytest finds here by name

IDENTITY = ("-c", "user.name=Hand", "-c", "user.email=hand@example.invalid")
OLD_DAYS = ["2026-09-02", "2026-09-15", "2026-10-03", "2026-10-08"]


def broken_by_hand(desk, record_id: str) -> None:
    """The record's file made unreadable and committed by hand (no dutyctl check on the way)."""
    (path,) = (desk / "records").rglob(f"{record_id}.yaml")
    path.write_text(path.read_text(encoding="utf-8") + "room: [\n", encoding="utf-8")
    git(desk, *IDENTITY, "commit", "-qam", "hand edit")


@pytest.fixture
def read_days(monkeypatch) -> list:
    """Every day folder a check reads, in order."""
    days: list = []
    each_day = check._each_day

    def counting(chosen):
        days.extend(chosen)
        return each_day(chosen)

    monkeypatch.setattr(check, "_each_day", counting)
    return days


@pytest.fixture
def desks(tmp_path, file_remote):
    """Two desks sharing a history of four days, all pushed."""
    front = first_desk(tmp_path, file_remote)
    for day in OLD_DAYS:
        call(front, "3-2-501", f"{day} 09:30")
    assert sync(front).exit_code == 0
    night = clone(tmp_path, file_remote, "night-desk")
    assert sync(night).exit_code == 0  # a new desk's first sync reads everything, once
    return front, night


def test_a_new_desks_first_sync_reads_everything_and_finds_a_broken_file(tmp_path, file_remote,
                                                                         read_days):
    """A desk cloned from a server that carries a broken file (pushed by plain git) is told at
    its first sync, not only "up to date": nothing of the history was checked on this desk.
    The file is the server's as it is: said, holding nothing back."""
    front = first_desk(tmp_path, file_remote)
    for day in OLD_DAYS:
        made = call(front, "3-2-501", f"{day} 09:30")
    broken_by_hand(front, made)
    git(front, "push", "-q", "origin", "main")  # plain git: no check on the way
    night = clone(tmp_path, file_remote, "night-desk")
    read_days.clear()
    told = sync(night)
    assert told.exit_code == 0, told.stderr
    assert f"{made}.yaml" in told.stderr and "broken as origin has it (another desk's)" in told.stderr
    assert {str(day) for day in read_days} >= set(OLD_DAYS)


def test_sync_reads_only_the_days_it_pushes_or_merges(desks, read_days):
    front, night = desks
    call(front, "3-2-501", "2026-10-12 09:30")
    read_days.clear()
    pushed = sync(front)
    assert pushed.stdout == "pushed 1 commit(s) to origin/main\n", pushed.stderr
    assert [str(day) for day in read_days] == ["2026-10-12"]
    call(night, "5-1-1202", "2026-10-20 10:00")
    read_days.clear()
    merged = sync(night)
    assert merged.exit_code == 0, merged.stderr
    assert sorted(map(str, read_days)) == ["2026-10-12", "2026-10-20"]  # brought and pushed
    read_days.clear()
    assert sync(night).stdout == "up to date with origin/main\n"
    assert read_days == []


def test_a_broken_file_it_would_push_still_stops_it(desks):
    front, _ = desks
    made = call(front, "3-2-501", "2026-10-12 09:30")
    broken_by_hand(front, made)
    refused = sync(front)
    assert refused.exit_code == 1 and "nothing pushed" in refused.stderr
    assert git(front, "rev-list", "--count", "origin/main..HEAD").strip() != "0"


def test_a_broken_file_the_merge_brings_is_said_and_this_desks_records_go(desks):
    """It stopped the push, on every desk, until someone mended another desk's file: said
    as the server has it, and this desk's own records are pushed."""
    front, night = desks
    made = call(front, "3-2-501", "2026-10-12 09:30")
    broken_by_hand(front, made)
    git(front, "push", "-q", "origin", "main")  # plain git: no check on the way
    call(night, "5-1-1202", "2026-10-20 10:00")
    pushed = sync(night)
    assert pushed.exit_code == 0, pushed.stderr
    assert f"{made}.yaml" in pushed.stderr and "does not hold back" in pushed.stderr
    assert git(night, "rev-parse", "origin/main") == git(night, "rev-parse", "HEAD")


def test_a_record_copied_into_another_day_is_found_without_reading_its_own_day(desks,
                                                                           read_days):
    front, _ = desks
    (original,) = [path for path in (front / "records").rglob("*.yaml")
                   if "2026/09/02" in path.as_posix() and path.name.count(".") == 1]
    copy = front / "records" / "2026" / "10" / "21" / original.name
    copy.parent.mkdir(parents=True)
    text = original.read_text(encoding="utf-8")  # its time moved too: only the id is a twin
    copy.write_text(text.replace("2026-09-02T", "2026-10-21T"), encoding="utf-8")
    git(front, "add", "records")
    git(front, *IDENTITY, "commit", "-qm", "a copy")
    read_days.clear()
    refused = sync(front)
    assert refused.exit_code == 1 and "nothing pushed" in refused.stderr
    assert "1 problem found" in refused.stderr  # the copy, the one problem there is
    assert date(2026, 9, 2) not in read_days
    found = [str(problem) for problem in check.check_workspace(Workspace(front),
                                                               days={date(2026, 10, 21)})]
    assert any(original.name[:-5] in line and "2026/10/21" in line for line in found), found


def test_a_broken_file_never_committed_in_an_old_day_stops_it(desks):
    front, _ = desks
    (old,) = [path for path in (front / "records").rglob("*.yaml")
              if "2026/09/15" in path.as_posix() and path.name.count(".") == 1]
    left = old.with_name(old.name[:-5] + ".01.yaml")  # an event file a killed command left
    left.write_text("id: [\n", encoding="utf-8")
    refused = sync(front)
    assert refused.exit_code == 1 and "nothing pushed" in refused.stderr
