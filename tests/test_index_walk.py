"""The look before each question costs the newest months, not the history: an older month is
looked into only when its folder (or its year's) changed, which every dutyctl write makes
happen, or when git changed files: a pull's commits name them, a checkout without a commit
changes git's own index file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dutyctl import yamlcache
from dutyctl.store.recordstore import Store
from tests.conftest import Cli
from tests.helpers_foundation import git, identify, record_files
from tests.test_index import listed_ids, new_call

MONTHS = ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10")


@pytest.fixture
def settled(monkeypatch):
    """Folders changed just now count as settled (no clock tick to wait for)."""
    monkeypatch.setattr(yamlcache, "RACY_SECONDS", 0)


@pytest.fixture
def looked_into(monkeypatch) -> list[str]:
    """The months whose day folders the look before a question listed, in order."""
    months: list[str] = []
    real = Store._month_stamps
    monkeypatch.setattr(Store, "_month_stamps", lambda self, year, month: months.append(
        f"{year}-{month}") or real(self, year, month))
    return months


def _history(root: Path) -> dict[str, str]:
    """A call on the 10th of each month, the index built: {month: call id}."""
    made = {month: new_call(root, f"{month}-10 09:30", "--callback-by", "17:00")
            for month in MONTHS}
    assert listed_ids(root, "--open") == list(made.values())
    return made


@pytest.mark.parametrize("with_git", [True, False])
def test_the_look_lists_the_newest_two_months_only(workspace, settled, looked_into, with_git):
    if not with_git:
        shutil.rmtree(workspace.root / ".git")
    _history(workspace.root)
    looked_into.clear()
    assert len(listed_ids(workspace.root)) == len(MONTHS)
    assert looked_into == ["2026-09", "2026-10"]


def test_a_step_written_into_an_old_day_is_seen_at_once(workspace, settled, looked_into):
    root = workspace.root
    made = _history(root)
    done = Cli(root)("callback", "done", made["2026-05"], "--note", "已回电",
                     "--at", "2026-05-10 11:00")
    assert done.exit_code == 0, done.stderr
    looked_into.clear()
    assert listed_ids(root, "--open") == [made[month] for month in MONTHS[1:]]
    # (looked at twice: once more under the index lock, before reading what changed)
    assert sorted(set(looked_into)) == ["2026-05", "2026-09", "2026-10"]
    looked_into.clear()  # and once read, May is left alone again
    assert listed_ids(root, "--open") == [made[month] for month in MONTHS[1:]]
    assert looked_into == ["2026-09", "2026-10"]


def pushed_history(tmp_path: Path, desk_a: Path) -> tuple[Path, dict]:
    """Desk A with six calls (one a month) committed and pushed to a new bare remote."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    identify(desk_a)
    git(desk_a, "branch", "-M", "main")
    made = _history(desk_a)
    git(desk_a, "add", "-A")
    git(desk_a, "commit", "-q", "-m", "six calls")
    git(desk_a, "remote", "add", "origin", str(remote))
    git(desk_a, "push", "-q", "origin", "main")
    return remote, made


def test_a_file_pulled_into_an_old_day_folder_is_seen(tmp_path, workspace, settled):
    desk_a = workspace.root
    remote, made = pushed_history(tmp_path, desk_a)
    desk_b = tmp_path / "desk-b"
    git(tmp_path, "clone", "-q", str(remote), str(desk_b))
    identify(desk_b)
    assert listed_ids(desk_b, "--open") == list(made.values())  # desk B's index, settled
    assert listed_ids(desk_b, "--open") == list(made.values())

    done = Cli(desk_a)("callback", "done", made["2026-05"], "--note", "已回电",
                       "--at", "2026-05-10 11:00")
    assert done.exit_code == 0, done.stderr
    git(desk_a, "add", "-A")
    git(desk_a, "commit", "-q", "-m", "called back")
    git(desk_a, "push", "-q", "origin", "main")
    git(desk_b, "pull", "-q", "--no-rebase", "origin", "main")

    assert listed_ids(desk_b, "--open") == [made[month] for month in MONTHS[1:]]


def test_a_file_git_puts_back_without_a_commit_is_seen(workspace, settled):
    """`git checkout <branch> -- <file>` writes the file and git's index, HEAD stays."""
    root = workspace.root
    identify(root)
    made = _history(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "six calls")
    done = Cli(root)("callback", "done", made["2026-05"], "--note", "已回电",
                     "--at", "2026-05-10 11:00")
    assert done.exit_code == 0, done.stderr
    (event,) = [path for path in record_files(root) if path.name.count(".") == 2]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "called back")
    git(root, "branch", "called-back")
    git(root, "reset", "-q", "--hard", "HEAD~1")  # HEAD moves: its commits say what changed
    assert made["2026-05"] in listed_ids(root, "--open")

    git(root, "checkout", "called-back", "--", str(event.relative_to(root)))
    assert listed_ids(root, "--open") == [made[month] for month in MONTHS[1:]]


def test_a_day_folder_taken_out_of_an_old_month_and_put_back_is_seen(workspace, settled,
                                                                      tmp_path):
    """By hand, neither dutyctl nor git: the month's folder changed each time."""
    root = workspace.root
    made = _history(root)
    folder = root / "records" / "2026" / "06" / "10"
    shutil.move(folder, tmp_path / "aside")
    assert listed_ids(root, "--open") == [made[month] for month in MONTHS if month != "2026-06"]
    shutil.move(tmp_path / "aside", folder)
    assert listed_ids(root, "--open") == list(made.values())


def test_a_year_taken_out_and_put_back_is_seen(workspace, settled, tmp_path):
    root = workspace.root
    made = _history(root)
    old = new_call(root, "2025-03-10 09:30", "--callback-by", "17:00")
    assert listed_ids(root, "--open") == [old, *made.values()]
    shutil.move(root / "records" / "2025", tmp_path / "aside")
    assert listed_ids(root, "--open") == list(made.values())
    shutil.move(tmp_path / "aside", root / "records" / "2025")
    assert listed_ids(root, "--open") == [old, *made.values()]
