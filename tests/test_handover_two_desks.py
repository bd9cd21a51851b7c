"""Handovers written again for one shift change on two desks that share one workspace through
a bare git repository (`dutyctl sync`): an acceptance given on the desk that had not heard of
the replacement counts for the replacement, once; every recipient of a handover closed as
replaced when its replacement was accepted sees what it lists that the replacement lacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli
from tests.helpers_desk import ok, printed_ids
from tests.helpers_foundation import git

ZH = ("--lang", "zh_CN")


@pytest.fixture
def desks(tmp_path) -> tuple[Cli, Cli, Path, Path]:
    """Two desks (the front desk and the office) behind one bare repository, both up to date."""
    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    front = tmp_path / "front-desk"
    init_workspace(front)
    git(front, "remote", "add", "origin", str(remote))
    ok(Cli(front)("sync"))
    office = tmp_path / "office-desk"
    git(tmp_path, "clone", "-q", str(remote), str(office))
    return Cli(front), Cli(office), front, office


def write(desk: Cli, to: str, when: str, *notes: str, user: str = "zhangwei") -> str:
    made = ok(desk(*ZH, "交接班", "--接班人", to, "--时间", when,
                   *(arg for note in notes for arg in ("--备注", note)), user=user))
    return printed_ids(made.stdout)[0]


def pending(desk: Cli) -> list[dict]:
    return json.loads(ok(desk("handover", "pending", "-f", "json")).stdout)


def daily(desk: Cli) -> dict:
    report = ok(desk("report", "daily", "--date", "2026-10-05", "-f", "json")).stdout
    return json.loads(report)["handovers"]


def counted_once_and_checked_quiet(desk: Cli) -> None:
    """One shift change, written once and accepted once in the daily report, nothing left
    unaccepted, and `check` finds nothing wrong with the records."""
    handovers = daily(desk)
    assert (handovers["written"], handovers["accepted"], handovers["unaccepted"]) == (
        1, 1, []), handovers
    checked = desk("check")
    assert "records/" not in checked.stdout + checked.stderr


def test_an_acceptance_of_the_replaced_handover_counts_for_the_replacement(desks):
    """张伟 writes H1 to 李娜 at the front desk and syncs; at the office, H2 (written again,
    adding nothing) replaces it; 李娜, at the front desk before its next sync, accepts H1. After
    the syncs H2 no longer waits, 李娜's plain 接班 finds nothing to sign, and the daily
    report counts one handover written and accepted."""
    front, office, front_root, office_root = desks
    first = write(front, "李娜", "2026-10-05 19:50", "3号楼电梯异响")
    ok(front("sync"))
    ok(office("sync"))
    second = write(office, "李娜", "2026-10-05 19:58")  # written again, adding nothing
    assert [row["id"] for row in pending(office)] == [second]
    ok(front(*ZH, "接班", "--时间", "2026-10-05 19:59", user="lina"))  # H1, not heard of H2
    ok(office("sync"))
    synced = ok(front(*ZH, "sync"))
    said = synced.stderr
    assert f"李娜 2026-10-05 19:59 确认了交接 {first[:12]}" in said, said
    assert f"交接班 查看 {second[:12]}" in said, said
    ok(office("sync"))
    for desk, root in ((front, front_root), (office, office_root)):
        assert pending(desk) == [], root
        later = Workspace(root).store.get(second)
        assert later.status == "accepted", root
        again = desk(*ZH, "接班", "--时间", "2026-10-05 20:05", user="lina")
        assert again.exit_code == 2 and "没有其他等待其接班的交接" in again.stderr, again.stderr
        shown = ok(desk(*ZH, "交接班", "查看", second)).stdout
        assert f"李娜（2026-10-05 19:59，在被本次交接替代的交接 {first[:12]} 上确认）" in shown, shown
        counted_once_and_checked_quiet(desk)
    # both desks hold the same history: the carried step is one file
    assert git(front_root, "rev-parse", "HEAD") == git(office_root, "rev-parse", "HEAD")


def test_a_wider_replacement_still_waits_for_those_who_did_not_accept(desks):
    """H1 to 李娜; H2 (the office) to 李娜 and 孙丽; 李娜 accepted H1: H2 waits for 孙丽
    only, and counts once when she accepts. Here the front desk syncs its acceptance first:
    the office's sync, bringing it, carries it."""
    front, office, *_ = desks
    write(front, "李娜", "2026-10-05 19:50", "3号楼电梯异响")
    ok(front("sync"))
    ok(office("sync"))
    second = write(office, "李娜,孙丽", "2026-10-05 19:58")
    ok(front("handover", "accept", "--at", "2026-10-05 19:59", user="lina"))
    ok(front("sync"))
    synced = ok(office("sync"))
    assert "the acceptance counts for" in synced.stderr, synced.stderr
    assert [(row["id"], row["waiting"]) for row in pending(office)] == [(second, ["sunli"])]
    ok(front("sync"))
    assert [(row["id"], row["waiting"]) for row in pending(front)] == [(second, ["sunli"])]
    ok(front("handover", "accept", "--at", "2026-10-05 20:10", user="sunli"))
    handovers = daily(front)
    assert (handovers["written"], handovers["accepted"], handovers["unaccepted"]) == (1, 1, [])


def test_an_acceptance_is_carried_before_a_later_acceptance_of_the_replacement(desks):
    """H1 to 李娜 (the front desk); H2 (the office, 19:58, adding nothing) to 李娜 and 孙丽;
    李娜 accepts H1 at the front desk at 19:59, 孙丽 accepts H2 at the office at 20:05. The
    carried step keeps 19:59 (the time both desks agree on) and takes its place before
    孙丽's: H2 is accepted on both desks, the daily report counts it once, check is quiet."""
    front, office, front_root, office_root = desks
    first = write(front, "李娜", "2026-10-05 19:50", "3号楼电梯异响")
    ok(front("sync"))
    ok(office("sync"))
    second = write(office, "李娜,孙丽", "2026-10-05 19:58")
    ok(front("handover", "accept", "--at", "2026-10-05 19:59", user="lina"))
    ok(office("handover", "accept", "--at", "2026-10-05 20:05", user="sunli"))
    ok(office("sync"))
    synced = ok(front(*ZH, "sync"))
    assert f"李娜 2026-10-05 19:59 确认了交接 {first[:12]}" in synced.stderr, synced.stderr
    ok(office("sync"))
    for desk, root in ((front, front_root), (office, office_root)):
        assert pending(desk) == [], root
        later = Workspace(root).store.get(second)
        assert later.status == "accepted", root
        assert [(event.by, event.at.strftime("%H:%M")) for event in later.events] == [
            ("lina", "19:59"), ("sunli", "20:05")], root
        counted_once_and_checked_quiet(desk)
    assert git(front_root, "rev-parse", "HEAD") == git(office_root, "rev-parse", "HEAD")


def test_every_recipient_of_a_handover_closed_as_replaced_sees_what_the_replacement_lacks(
        desks):
    """张伟 writes H1 (to 李娜 and 孙丽, 3号楼电梯异响) at the front desk and H2 (the same
    people, 前台钥匙在抽屉) at the office before either syncs: both wait. 李娜 accepts H2
    at the front desk, which closes H1 as replaced and shows her H1's note; 孙丽, accepting
    H2 at the office after the sync, is shown it as well."""
    front, office, *_ = desks
    first = write(front, "李娜,孙丽", "2026-10-05 19:50", "3号楼电梯异响")
    second = write(office, "李娜,孙丽", "2026-10-05 19:58", "前台钥匙在抽屉")
    ok(office("sync"))
    ok(front("sync"))
    ok(office("sync"))
    assert [row["id"] for row in pending(front)] == [first, second]
    clerk = ok(front(*ZH, "接班", "--时间", "2026-10-05 20:00", user="lina"))
    assert printed_ids(clerk.stdout)[0] == second
    assert f"交接 {first[:12]} 已由本次交接替代" in clerk.stderr, clerk.stderr
    assert "3号楼电梯异响" in clerk.stderr
    ok(front("sync"))
    ok(office("sync"))
    other = ok(office(*ZH, "接班", "--时间", "2026-10-05 20:05", user="sunli"))
    assert printed_ids(other.stdout)[0] == second
    assert f"交接 {first[:12]} 已由本次交接替代" in other.stderr, other.stderr
    assert "3号楼电梯异响" in other.stderr, other.stderr
    handovers = daily(office)
    assert (handovers["written"], handovers["accepted"], handovers["unaccepted"]) == (1, 1, [])


def test_the_installed_dutyctl_carries_the_acceptance_through_sync(tmp_path, dutyctl_command,
                                                                    monkeypatch):
    """The same flow as the first test through the console script, each desk run from
    elsewhere (the repository's path, not the working directory, is what git is given)."""
    from tests.conftest import run_dutyctl
    from tests.entrypoint import FIXED_CLOCK

    monkeypatch.setenv("DUTYCTL_TEST_NOW", "2026-10-06T09:00:00+08:00")  # never today's date
    monkeypatch.setenv("PYTHONPATH", FIXED_CLOCK)

    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    front, office = tmp_path / "front-desk", tmp_path / "office-desk"
    init_workspace(front)
    git(front, "remote", "add", "origin", str(remote))

    def run(root: Path, *args: str, user: str = "zhangwei") -> str:
        done = run_dutyctl(dutyctl_command, "--lang", "zh_CN", *args, root=root, user=user,
                           cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout + done.stderr

    run(front, "sync")
    git(tmp_path, "clone", "-q", str(remote), str(office))
    run(front, "交接班", "--接班人", "李娜", "--时间", "2026-10-05 19:50", "--备注", "3号楼电梯异响")
    run(front, "sync")
    run(office, "sync")
    said = run(office, "交接班", "--接班人", "李娜", "--时间", "2026-10-05 19:58")
    assert "本次交接替代" in said and "提交失败" not in said, said
    run(front, "接班", "--时间", "2026-10-05 19:59", user="lina")
    run(office, "sync")
    assert "算作对" in run(front, "sync")
    run(office, "sync")
    for root in (front, office):
        waiting = run_dutyctl(dutyctl_command, "handover", "pending", "-f", "json", root=root)
        assert json.loads(waiting.stdout) == [], root


def test_a_replacement_that_adds_a_note_still_waits_for_who_accepted_the_replaced_one(desks):
    """H2 exists because a note was forgotten (前台钥匙在抽屉): 李娜, accepting H1 at the front
    desk, never saw it. The sync does not carry her acceptance: it says she still has to
    accept H2, which adds something; H2 waits for her, and the daily report counts the shift
    change once (H1, replaced, is not counted; H2 waits)."""
    front, office, front_root, office_root = desks
    first = write(front, "李娜", "2026-10-05 19:50", "3号楼电梯异响")
    ok(front("sync"))
    ok(office("sync"))
    second = write(office, "李娜", "2026-10-05 19:58", "前台钥匙在抽屉")
    ok(front(*ZH, "接班", "--时间", "2026-10-05 19:59", user="lina"))
    ok(office("sync"))
    said = ok(front(*ZH, "sync")).stderr
    assert f"李娜 2026-10-05 19:59 确认了交接 {first[:12]}" in said, said
    assert "仍需确认" in said and f"交接班 查看 {second[:12]}" in said and "接班" in said, said
    ok(office("sync"))
    for desk, root in ((front, front_root), (office, office_root)):
        assert [(row["id"], row["waiting"]) for row in pending(desk)] == [(second, ["lina"])]
        assert Workspace(root).store.get(second).status == "pending", root
        handovers = daily(desk)
        assert (handovers["written"], handovers["accepted"]) == (1, 0), handovers
        assert [row["id"] for row in handovers["unaccepted"]] == [second[:12]], handovers
    taken = ok(front(*ZH, "接班", "--时间", "2026-10-05 20:05", user="lina"))
    assert printed_ids(taken.stdout)[0] == second
    assert (daily(front)["written"], daily(front)["accepted"]) == (1, 1)


def test_a_replace_step_that_clashed_with_an_earlier_acceptance_replaced_nothing(desks):
    """李娜 accepts H1 at the front desk at 19:57; the office, not synced, writes H2 at 19:58
    replacing it. The replace step clashes with the acceptance before it and does not count:
    H1 stands accepted, nothing is carried, H2 waits for 李娜 as any handover does."""
    front, office, front_root, office_root = desks
    first = write(front, "李娜", "2026-10-05 19:50", "3号楼电梯异响")
    ok(front("sync"))
    ok(office("sync"))
    ok(front(*ZH, "接班", "--时间", "2026-10-05 19:57", user="lina"))
    second = write(office, "李娜", "2026-10-05 19:58")  # adds nothing: carried if it counted
    ok(office("sync"))
    said = ok(front(*ZH, "sync")).stderr
    assert first[:12] not in said and second[:12] not in said, said
    ok(office("sync"))
    for desk, root in ((front, front_root), (office, office_root)):
        store = Workspace(root).store
        assert store.get(first).status == "accepted", root
        assert store.get(second).status == "pending", root
        assert [(row["id"], row["waiting"]) for row in pending(desk)] == [(second, ["lina"])]
        handovers = daily(desk)
        assert (handovers["written"], handovers["accepted"]) == (2, 1), handovers
    assert git(front_root, "rev-parse", "HEAD") == git(office_root, "rev-parse", "HEAD")


def test_replacing_a_handover_with_a_later_step_is_refused_before_anything_is_written(desks):
    """`交接班 --替代 H1 --时间` before a step H1 already has: refused, and no H2 is left on
    disk (nor committed)."""
    front, _, front_root, _ = desks
    first = write(front, "李娜", "2026-10-05 19:50")
    store = Workspace(front_root).store
    store.append(store.get(first), "note", at=store.get(first).created_at.replace(minute=56),
                 by="zhangwei", note="钥匙在抽屉")
    refused = front(*ZH, "交接班", "--接班人", "孙丽", "--替代", first, "--时间",
                    "2026-10-05 19:52")
    assert refused.exit_code != 0 and first[:12] in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert [row["id"] for row in pending(front)] == [first]
    assert list((front_root / "records").rglob("*.yaml")) == list(
        (front_root / "records").rglob(f"{first}*.yaml"))


def test_a_carried_acceptance_signed_for_someone_names_who_signed(desks):
    """孙丽 accepts H1 instead of 李娜 (代签) at the front desk after the office's H2, adding
    nothing, replaced it: H2 shows 李娜's acceptance carried, signed by 孙丽 on H1."""
    front, office, *_ = desks
    first = write(front, "李娜", "2026-10-05 19:50", "3号楼电梯异响")
    ok(front("sync"))
    ok(office("sync"))
    second = write(office, "李娜", "2026-10-05 19:58")
    ok(front(*ZH, "接班", first, "--代签", "李娜", "--时间", "2026-10-05 19:59", user="sunli"))
    ok(office("sync"))
    ok(front("sync"))
    shown = ok(front(*ZH, "交接班", "查看", second)).stdout
    assert (f"李娜（2026-10-05 19:59，由 孙丽 代签，在被本次交接替代的交接 {first[:12]} 上确认）"
            in shown), shown
