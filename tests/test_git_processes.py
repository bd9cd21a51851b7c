"""What an auto-commit costs in git processes (issue 13), and that each saving keeps the
behaviour: the leftover check in one `git status` on a small index (two cheaper looks on a big
one, the same answer), the desk's identity asked once per change of git's config."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from dutyctl import gitsync
from dutyctl.workspace import init_workspace
from tests.conftest import Cli, run_dutyctl
from tests.helpers_foundation import call_flags, edit_in_place, git, without_waiting_on
from tests.test_self_heal import age

pytestmark = pytest.mark.auto_commit  # these tests are about git

SHIM = """\
#!/bin/sh
printf '%s\\n' "$*" >> "$GIT_LOG"
exec "$REAL_GIT" "$@"
"""


def git_verbs(log: Path) -> list[str]:
    """The git command of each logged run (`-C root`, `-c name=value` and global options left
    out)."""
    verbs = []
    for line in log.read_text(encoding="utf-8").splitlines():
        words = line.split()
        while words and words[0].startswith("-"):
            words = words[2:] if words[0] in ("-C", "-c") else words[1:]
        verbs.append(words[0])
    return verbs


@pytest.fixture
def logged_git(tmp_path, monkeypatch) -> Path:
    """Every git dutyctl starts (in this process or a child) logged in the returned file."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "git").write_text(SHIM, encoding="utf-8")
    (shim / "git").chmod(0o755)
    log = tmp_path / "git.log"
    log.write_text("", encoding="utf-8")
    monkeypatch.setenv("REAL_GIT", shutil.which("git"))
    monkeypatch.setenv("GIT_LOG", str(log))
    monkeypatch.setenv("PATH", f"{shim}:{os.environ['PATH']}")
    return log


def logged_call(root: Path, dutyctl_command: list[str], log: Path, at: str) -> list[str]:
    """The git runs of one `log call` through the installed program."""
    log.write_text("", encoding="utf-8")
    done = run_dutyctl(dutyctl_command, *call_flags(), "--at", at, root=root)
    assert done.returncode == 0, done.stderr
    verbs = git_verbs(log)
    assert git(root, "status", "--porcelain") == ""
    return verbs


PLUMBING = ["update-index", "cat-file", "hash-object", "mktree", "commit-tree", "update-ref"]
KEPT_PLUMBING = [verb for verb in PLUMBING if verb != "cat-file"]


def git_verbs_of_a_call(root: Path, log: Path, room: str, at: str) -> list[str]:
    """The git commands one `log call` (in process) ran, the log emptied before it."""
    log.write_text("", encoding="utf-8")
    done = Cli(root)(*call_flags(room=room), "--at", at)
    assert done.exit_code == 0, done.stderr
    return git_verbs(log)


def test_an_auto_committed_write_runs_no_git_that_walks_the_work_tree(workspace,
                                                                      dutyctl_command,
                                                                      logged_git):
    """Was five: config user.email, ls-files, diff --cached, add, commit; then status, add,
    commit (whose `commit -- FILE` stats every tracked file); now the leftover look and the
    plumbing, each costing the files written and their folders."""
    age(workspace.root / ".git" / "config")  # the desk's identity was set long ago
    first = logged_call(workspace.root, dutyctl_command, logged_git, "2026-10-12 09:30")
    assert first == ["config", "status", *PLUMBING]  # the identity, asked once
    second = logged_call(workspace.root, dutyctl_command, logged_git, "2026-10-12 09:40")
    # made on the desk's own last commit: its trees kept, no cat-file (was: 7 runs)
    assert second == ["status", *KEPT_PLUMBING]
    assert git(workspace.root, "log", "-1", "--format=%an / %cn <%ce>") == (
        "张伟 / Desk <desk@example.com>\n")


def test_kept_trees_are_used_only_while_they_are_heads(workspace, logged_git):
    """The trees the desk's last commit made are kept for the next one; trees that are not
    HEAD's (a commit by hand changed a file) or were changed in the file (each is hashed
    again) are never used: git is asked, and the commit holds every file."""
    root = workspace.root

    def call(room: str, at: str) -> list[str]:
        verbs = git_verbs_of_a_call(root, logged_git, room, at)
        assert git(root, "status", "--porcelain") == ""
        return verbs

    call("1-1-101", "2026-10-12 09:30")
    assert "cat-file" not in call("1-1-102", "2026-10-12 09:40")
    assert "cat-file" not in call("1-1-103", "2026-10-13 08:00")  # a new day: its folder new
    edit_in_place(next(root.joinpath("records").rglob("*.yaml")), "1-1-10", "1-1-20")
    git(root, "commit", "-qam", "by hand")
    assert "cat-file" in call("1-1-104", "2026-10-13 08:10")  # HEAD's trees are others
    kept = workspace.state_dir / gitsync.KEPT_TREES
    bodies = gitsync._kept_bodies(kept)
    day = "records/2026/10/13"
    entries = gitsync._tree_entries(bodies[day], 20)
    bodies[day] = gitsync._tree_body(dict(list(entries.items())[:1]))  # a file left out
    gitsync._keep_trees(workspace.state_dir, bodies)
    assert "cat-file" in call("1-1-105", "2026-10-13 08:20")
    assert len(git(root, "ls-tree", "--name-only", f"HEAD:{day}").split()) == 3
    committed = git(root, "ls-tree", "-r", "--name-only", "HEAD", "records").split()
    assert sorted(name for name in committed if name.endswith(".yaml")) == sorted(
        str(path.relative_to(root)) for path in root.joinpath("records").rglob("*.yaml"))


def test_head_s_trees_are_read_once_for_the_look_and_the_commit(workspace, logged_git,
                                                                monkeypatch):
    """On a big index the look for leftovers reads HEAD's trees of the folders changed, and
    the commit the same folders' trees again: without the trees the last commit kept (gone,
    or made by git commit), two `git cat-file` per write. One now, shared."""
    monkeypatch.setattr(gitsync, "STATUS_INDEX_BYTES", 0)
    root = workspace.root

    def call(room: str, at: str) -> list[str]:
        return git_verbs_of_a_call(root, logged_git, room, at)

    call("1-1-101", "2026-10-12 09:30")
    assert call("1-1-102", "2026-10-12 09:40") == KEPT_PLUMBING  # the look beside HEAD
    (workspace.state_dir / gitsync.KEPT_TREES).unlink()
    assert call("1-1-103", "2026-10-12 09:50") == ["cat-file", *KEPT_PLUMBING]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert len(git(root, "ls-tree", "--name-only", "HEAD:records/2026/10/12").split()) == 3


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_kept_trees_are_read_only_from_a_plain_file_within_their_limit(tmp_path):
    """The kept trees are read by the one bounded reader (plainfile.read_plain): a FIFO
    planted where they are kept is never opened (it would block), a link never followed (to
    a file that would be read whole: /dev/zero), a file over KEPT_LIMIT is not taken; each
    is only no kept trees, and git is asked."""
    kept = tmp_path / gitsync.KEPT_TREES
    gitsync._keep_trees(tmp_path, {"records": b"100644 a.yaml\0" + bytes(20)})
    assert gitsync._kept_bodies(kept) == {"records": b"100644 a.yaml\0" + bytes(20)}
    elsewhere = tmp_path / "elsewhere"
    kept.rename(elsewhere)
    kept.symlink_to(elsewhere)
    assert gitsync._kept_bodies(kept) is None
    kept.unlink()
    os.mkfifo(kept)
    assert without_waiting_on(kept, lambda: gitsync._kept_bodies(kept)) is None
    kept.unlink()
    kept.write_bytes(gitsync.KEPT_HEADER + b"records\0%d\n" % gitsync.KEPT_LIMIT
                     + bytes(gitsync.KEPT_LIMIT))
    assert gitsync._kept_bodies(kept) is None


# -- the leftover check: one git status, or two looks on a big index ----------------------------

def write(path: Path, text: str = "id: x\nkind: call\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def unmerged(root: Path, name: str) -> None:
    """`name` as a merge conflict leaves it: added on both sides (status `AA`)."""
    def fed(*args: str, text: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], input=text, text=True,
                              capture_output=True, check=True).stdout.strip()

    ours, theirs = (fed("hash-object", "-w", "--stdin", text=side) for side in ("a\n", "b\n"))
    fed("update-index", "--index-info",
        text=f"100644 {ours} 2\t{name}\n100644 {theirs} 3\t{name}\n")


@pytest.fixture
def leftovers_of_every_sort(workspace):
    """A workspace holding every sort of new, changed and odd file under records/; the names
    that are leftovers (old enough, new to git, a record's name)."""
    root = workspace.root
    day = root / "records" / "2026" / "10" / "12"
    committed = [write(day / f"01COMMITTED{n}.yaml", f"id: c{n}\nkind: call\nnote: {n}\n")
                 for n in range(4)]
    git(root, "add", "records")
    git(root, "commit", "-qm", "earlier records")
    untracked = write(day / "01UNTRACKED.yaml")
    staged = write(day / "01STAGED.yaml")
    changed_after = write(day / "01STAGEDTHENCHANGED.yaml")
    gone = write(day / "01STAGEDTHENDELETED.yaml")
    odd_folder = write(root / "records" / "2026" / "10" / "空格 folder" / "01ODDFOLDER.3.yaml")
    git(root, "add", "--", str(staged), str(changed_after), str(gone))
    changed_after.write_text("id: y\n", encoding="utf-8")
    gone.unlink()
    committed[0].write_text("edited by hand\n", encoding="utf-8")  # someone's edit
    committed[1].unlink()  # someone's deletion
    git(root, "mv", str(committed[2]), str(day / "01RENAMEDBYHAND.yaml"))  # someone's rename
    write(day / ".01TEMP.yaml.1234.tmp")  # a write in progress
    write(root / "records" / "notes.txt")  # junk check reports
    unmerged(root, "records/2026/10/12/01CONFLICT.yaml")
    for path in root.joinpath("records").rglob("*"):
        if path.is_file():
            age(path)
    young = write(day / "01YOUNG.yaml")  # another terminal's, mid-write
    return workspace, sorted(str(path.relative_to(root))
                             for path in (untracked, staged, changed_after, odd_folder)), young


@pytest.mark.parametrize("big_index", [False, True], ids=["one-status", "ls-files-and-diff"])
def test_the_leftover_check_finds_the_same_files_either_way(leftovers_of_every_sort,
                                                            monkeypatch, big_index):
    workspace, expected, young = leftovers_of_every_sort
    if big_index:
        monkeypatch.setattr(gitsync, "STATUS_INDEX_BYTES", 0)
    calls = []
    real = gitsync.git
    monkeypatch.setattr(gitsync, "git", lambda root, *args, **kw: calls.append(args) or real(
        root, *args, **kw))
    assert gitsync.uncommitted_records(workspace.root, gitsync.HEAL_AFTER) == expected
    assert len(calls) == (2 if big_index else 1)
    young_name = str(young.relative_to(workspace.root))
    assert young_name in gitsync.uncommitted_records(workspace.root)  # of any age


@pytest.mark.parametrize("big_index", [False, True], ids=["one-status", "three-looks"])
def test_check_reports_the_same_unshared_files_either_way(leftovers_of_every_sort,
                                                           monkeypatch, big_index):
    workspace, expected, young = leftovers_of_every_sort
    root = workspace.root
    write(root / "rosters" / "draft.yaml")
    write(root / "notes.txt")
    write(root / ".dutyctl" / "parsed" / "kept.marshal")  # ignored: never reported
    if big_index:
        monkeypatch.setattr(gitsync, "STATUS_INDEX_BYTES", 0)
    records, others = gitsync.unshared(root)
    assert records == sorted([*expected, str(young.relative_to(root))])
    assert others == ["notes.txt", "records/2026/10/12/.01TEMP.yaml.1234.tmp",
                      "records/notes.txt", "rosters/draft.yaml"]
    reported = Cli(root)("check").stdout
    for name in records:
        assert f"{name}: saved but never committed" in reported
    for name in others:
        assert f"{name}: not tracked by git" in reported


def test_a_workspace_in_a_folder_of_a_bigger_repository_names_leftovers_from_itself(tmp_path):
    """git status names paths from the repository's top: such a workspace takes the two
    looks, which name them from the workspace."""
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    site = repo / "site"
    init_workspace(site)
    assert not gitsync._small_index(site) and gitsync._small_index(repo)
    left = write(site / "records" / "2026" / "10" / "12" / "01LEFT.yaml")
    assert gitsync.uncommitted_records(site) == ["records/2026/10/12/01LEFT.yaml"]
    assert left.exists()


# -- the desk's identity: asked once per change of git's config ----------------------------------

IDENTITY = "[user]\n\tname = Front Desk\n\temail = front@desk.example\n"
SOURCES = ["repository", "home", "xdg", "global-variable", "system-variable", "environment",
           "include"]


@pytest.fixture
def without_identity(workspace, monkeypatch, tmp_path):
    """No identity anywhere git looks, every place it looks at under tmp_path, all set long
    ago."""
    root = workspace.root
    git(root, "config", "--unset", "user.email")
    git(root, "config", "--unset", "user.name")
    for name in [name for name in os.environ if name.startswith("GIT_")]:
        monkeypatch.delenv(name)
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(tmp_path / "system-gitconfig"))
    age(root / ".git" / "config")
    return workspace


@pytest.fixture
def asked(monkeypatch) -> list[Path]:
    """The roots `git config user.email` was run in."""
    runs = []
    real = gitsync._has_email
    monkeypatch.setattr(gitsync, "_has_email", lambda root: runs.append(root) or real(root))
    return runs


def give_identity(source: str, root: Path, tmp_path: Path, monkeypatch) -> None:
    if source == "repository":
        git(root, "config", "user.email", "front@desk.example")
        git(root, "config", "user.name", "Front Desk")
    elif source == "environment":
        for name, value in {"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "user.email",
                            "GIT_CONFIG_VALUE_0": "front@desk.example",
                            "GIT_CONFIG_KEY_1": "user.name",
                            "GIT_CONFIG_VALUE_1": "Front Desk"}.items():
            monkeypatch.setenv(name, value)
    else:
        write({"home": tmp_path / "home" / ".gitconfig",
               "xdg": tmp_path / "xdg" / "git" / "config",
               "global-variable": tmp_path / "global-gitconfig",
               "system-variable": tmp_path / "system-gitconfig",
               "include": tmp_path / "included-gitconfig"}[source], IDENTITY)


@pytest.mark.parametrize("source", SOURCES)
def test_an_identity_set_after_the_answer_was_kept_is_seen_by_the_next_commit(
        without_identity, asked, tmp_path, monkeypatch, source):
    root, state = without_identity.root, without_identity.state_dir
    if source == "global-variable":
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "global-gitconfig"))
    if source == "include":  # the repository's config names a file that is not there yet
        git(root, "config", "include.path", str(tmp_path / "included-gitconfig"))
        age(root / ".git" / "config")
    assert not gitsync.desk_has_identity(root, state)
    assert not gitsync.desk_has_identity(root, state)
    # kept after one question; a config that includes another file is asked every time
    assert len(asked) == (2 if source == "include" else 1)
    first = Cli(root)(*call_flags())
    assert first.exit_code == 0, first.stderr
    assert git(root, "log", "-1", "--format=%cn <%ce>") == "dutyctl <dutyctl@localhost>\n"

    give_identity(source, root, tmp_path, monkeypatch)
    assert gitsync.desk_has_identity(root, state)
    again = Cli(root)(*call_flags(room="1-1-101"))
    assert again.exit_code == 0, again.stderr
    assert git(root, "log", "-1", "--format=%an / %cn <%ce>") == (
        "张伟 / Front Desk <front@desk.example>\n")


@pytest.mark.parametrize("source", ["GIT_CONFIG", "xdg-without-home"])
def test_an_identity_in_a_file_named_by_a_variable_is_seen(without_identity, asked, tmp_path,
                                                          monkeypatch, source):
    """`git config` reads the file GIT_CONFIG names; $XDG_CONFIG_HOME/git/config is read
    with HOME unset too."""
    root, state = without_identity.root, without_identity.state_dir
    if source == "GIT_CONFIG":
        monkeypatch.setenv("GIT_CONFIG", str(tmp_path / "named-gitconfig"))
        where = tmp_path / "named-gitconfig"
    else:
        monkeypatch.delenv("HOME")
        where = tmp_path / "xdg" / "git" / "config"
    assert not gitsync.desk_has_identity(root, state)
    assert not gitsync.desk_has_identity(root, state)
    assert len(asked) == 1
    write(where, IDENTITY)
    assert gitsync.desk_has_identity(root, state)


def test_a_config_changed_just_now_is_asked_again_until_its_clock_cannot_hide_an_edit(
        without_identity, asked, monkeypatch):
    """A filesystem with a coarse clock could give an edit in the same second the same stamp:
    the answer is kept only once every config file is RACY_SECONDS old."""
    root, state = without_identity.root, without_identity.state_dir
    now = time.time_ns() // 10**9 * 10**9  # in whole seconds, as a coarse clock gives it
    monkeypatch.setattr(gitsync.time, "time_ns", lambda: now + 5 * 10**8)  # a loaded machine
    os.utime(root / ".git" / "config", ns=(now, now))
    assert not gitsync.desk_has_identity(root, state)
    assert not gitsync.desk_has_identity(root, state)
    assert len(asked) == 2
    age(root / ".git" / "config")
    for _ in range(3):
        assert not gitsync.desk_has_identity(root, state)
    assert len(asked) == 3


def test_a_fine_clock_makes_an_answer_kept_sooner(monkeypatch):
    """A config's time with a fraction of a second comes from a fine clock: its next edit
    gets another time within RACY_FINE_SECONDS, so the answer is kept after that (a new
    desk's first commits no longer ask git each time); a whole second stays racy for
    RACY_SECONDS."""
    now = 1_790_000_000_700_000_000  # a set clock: a loaded machine's pause changes nothing
    monkeypatch.setattr(gitsync.time, "time_ns", lambda: now)
    half_a_second_ago = now - 5 * 10**8

    def stamp(mtime: int) -> tuple:
        return (1, "git", (), (("config", 10, mtime, mtime, 1, 1), ("absent",)))

    fine = half_a_second_ago // 1000 * 1000 + 123  # microseconds and a fraction
    assert not gitsync._just_changed(stamp(fine))
    coarse = half_a_second_ago // 10**9 * 10**9
    assert gitsync._just_changed(stamp(coarse))
    assert gitsync._just_changed(stamp(now + 7))  # just now, fine or not


def test_without_a_state_folder_the_identity_is_asked(without_identity, asked):
    """`init`: nobody can keep the answer yet."""
    assert not gitsync.desk_has_identity(without_identity.root, None)
    assert not gitsync.desk_has_identity(without_identity.root, None)
    assert len(asked) == 2


# -- the index after the desk's own commits: no git diff ----------------------------------------

def test_the_index_runs_no_git_diff_after_the_desks_own_commits_yet_sees_a_hand_edit(
        workspace, monkeypatch):
    from dutyctl.store import githead, index

    root = workspace.root
    diffs = []
    real = index._git_changed_paths
    monkeypatch.setattr(index, "_git_changed_paths",
                        lambda *args: diffs.append(args[1:3]) or real(*args))

    def call(room: str, at: str) -> str:
        done = Cli(root)(*call_flags(room=room), "--at", at)
        assert done.exit_code == 0, done.stderr
        return done.stdout.split()[0][:12]  # as lists show it

    def listed(*args: str) -> str:
        done = Cli(root)("list", *args)
        assert done.exit_code == 0, done.stderr
        return done.stdout

    first = call("1-1-101", "2026-10-12 08:00")
    assert first in listed()  # the index built, at this HEAD
    second = call("3-2-501", "2026-10-12 09:00")
    third = call("5-1-1202", "2026-10-12 09:30")
    assert all(record in listed() for record in (first, second, third))
    assert diffs == []  # two commits that only added files: their folders' stamps tell

    # a hand edit in place, committed by hand, its folder's mtime kept: only git can tell
    path = next(root.joinpath("records").rglob(f"{second}*.yaml"))
    before_edit = githead.head(root)
    edit_in_place(path, "'3-2-501'", "'3-2-502'")
    git(root, "commit", "-q", "-am", "room corrected by hand")
    assert second in listed("--room", "3-2-502")
    assert len(diffs) == 1 and diffs[0][1] == githead.head(root)

    # a commit that another git slipped in before ours is never taken for ours
    noted = (workspace.state_dir / githead.ADDED_ONLY).read_text(encoding="ascii")
    stamp = githead.index_stamp(root)
    githead.note_if_added_only(root, workspace.state_dir, before_edit, stamp)  # HEAD's parent
    githead.note_if_added_only(root, workspace.state_dir, githead.head(root), stamp)  # none
    assert githead.added_only(workspace.state_dir, before_edit, githead.head(root)) == [
        (stamp, githead.index_stamp(root))]
    (workspace.state_dir / githead.ADDED_ONLY).write_text(noted, encoding="ascii")
    assert githead.added_only(workspace.state_dir, before_edit, githead.head(root)) is None


def test_a_merge_or_packed_commit_is_never_noted_as_the_desks_own(workspace):
    from dutyctl.store import githead

    root = workspace.root
    start = githead.head(root)
    git(root, "commit", "-q", "--allow-empty", "-m", "one")
    one = githead.head(root)
    assert githead.parent(root, one) == start
    git(root, "checkout", "-q", "-b", "side", start)
    git(root, "commit", "-q", "--allow-empty", "-m", "two")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-edit", "side")
    assert githead.parent(root, githead.head(root)) is None  # two parents
    git(root, "gc", "-q")
    assert githead.parent(root, one) is None  # packed: not plainly known


# -- sync and init ------------------------------------------------------------------------------

def test_sync_and_init_ask_git_only_what_files_do_not_say(tmp_path, logged_git):
    """HEAD, its branch and what a fetch brought are read from .git; one rev-list counts both
    ways. Was: init 5 git runs, a sync with nothing to do 11."""
    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    root = tmp_path / "front"
    logged_git.write_text("", encoding="utf-8")
    init_workspace(root)
    assert git_verbs(logged_git) == ["init", "config", "add", "commit"]
    git(root, "remote", "add", "origin", str(remote))
    pushed = Cli(root)("sync")
    assert pushed.exit_code == 0 and "pushed 1 commit(s)" in pushed.stdout, pushed.output
    made = Cli(root)(*call_flags())
    assert made.exit_code == 0, made.stderr
    assert Cli(root)("sync").stdout == "pushed 1 commit(s) to origin/main\n"

    logged_git.write_text("", encoding="utf-8")
    again = Cli(root)("sync")
    assert again.stdout == "up to date with origin/main\n", again.output
    # the fetch; check's one look for files git does not have; whether dutyctl.yaml or the
    # rules were edited and not committed (said: not sent). The remote is named in
    # .git/config, HEAD is what the fetch brought: no rev-list (was: remote, rev-list too)
    assert git_verbs(logged_git) == ["fetch", "status", "status"]


def test_a_sync_runs_only_the_git_its_work_needs(tmp_path, logged_git):
    """The git runs of each kind of sync, counted: a later change that adds one fails here.
    What the commits and the config say is read from .git (githead), what a merge brought is
    asked once (a diff for the news, the count and the check alike)."""
    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    front, night = tmp_path / "front", tmp_path / "night"
    init_workspace(front)
    git(front, "remote", "add", "origin", str(remote))
    assert Cli(front)("sync").exit_code == 0
    git(tmp_path, "clone", "-q", str(remote), str(night))
    for desk in (front, night):
        git(desk, "config", "user.email", "desk@example.com")
        git(desk, "config", "user.name", "Desk")
        age(desk / ".git" / "config")

    def synced(desk: Path, at: str | None = None, code: int = 0) -> list[str]:
        if at is not None:
            made = Cli(desk)(*call_flags(), "--at", at)
            assert made.exit_code == 0, made.stderr
        logged_git.write_text("", encoding="utf-8")
        done = Cli(desk)("sync")
        assert done.exit_code == code, done.output
        return git_verbs(logged_git)

    # the clone's first: nothing to do (the last status: settings edited and not committed)
    assert synced(night) == ["fetch", "status", "status"]
    # pushing: the fetch, what entered since the last check (the commits walked in .git)
    assert synced(front, "2026-10-12 09:30") == ["fetch", "diff", "status", "push", "status"]
    # pulling: what it would change of .dutyctl and dutyctl.yaml (one diff-tree: a commit
    # that would stop the desk is never merged), the merge's identity (asked once: kept),
    # the merge, one diff of what it brought
    assert synced(night) == ["fetch", "diff-tree", "config", "merge", "diff", "status",
                             "status"]
    assert synced(night) == ["fetch", "status", "status"]
    logged = Cli(front)(*call_flags(), "--at", "2026-10-12 10:00")
    assert logged.exit_code == 0, logged.output
    assert Cli(front)("sync").exit_code == 0
    # pulling and pushing: what it brought, and what entered since the last check
    assert synced(night, "2026-10-12 10:05") == ["fetch", "diff-tree", "merge", "diff", "diff",
                                                 "status", "push", "status"]
    assert Cli(front)("sync").exit_code == 0
    # a conflict: the merge, what is in conflict, the fingerprint of the merge, the abort
    record = sorted(front.joinpath("records").rglob("*.yaml"))[0].relative_to(front)
    for desk, text in ((front, "前台改的"), (night, "夜班改的")):  # both edit its summary
        edit_in_place(desk / record, "物业费怎么交", text)
        git(desk, "commit", "-qam", text)
    assert Cli(front)("sync").exit_code == 0
    assert synced(night, code=1) == ["fetch", "diff-tree", "merge", "diff", "ls-files",
                                     "merge"]
    assert git(night, "status", "--porcelain") == ""  # nothing of the merge left


def test_a_linked_worktree_is_read_like_a_plain_repository(tmp_path, monkeypatch):
    """Its `.git` file names git's folder (githead.git_dir): the leftover check takes git
    status's one look, and git's index lock is found without asking git."""
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "--initial-branch=main", str(repo))
    git(repo, "-c", "user.email=a@b.example", "-c", "user.name=A", "commit", "-q",
        "--allow-empty", "-m", "start")
    site = tmp_path / "site"
    git(repo, "worktree", "add", "-q", "-b", "site", str(site))
    init_workspace(site)
    assert (site / ".git").is_file() and gitsync._small_index(site)
    write(site / "records" / "2026" / "10" / "12" / "01LEFT.yaml")
    assert gitsync.uncommitted_records(site) == ["records/2026/10/12/01LEFT.yaml"]
    where = git(site, "rev-parse", "--absolute-git-dir", "--show-toplevel").splitlines()
    monkeypatch.setattr(gitsync, "git", lambda *args, **kwargs: pytest.fail("git asked"))
    assert gitsync._git_dir_and_top(site) == where


@pytest.mark.parametrize("where", ["shared", "worktree"])
def test_in_a_linked_worktree_the_identity_is_kept_and_its_configs_changes_seen(
        without_identity, asked, tmp_path, where):
    """The answer is kept for a linked worktree too, stamped by the repository's shared
    config and the worktree's own config.worktree."""
    root = without_identity.root
    if where == "worktree":
        git(root, "config", "extensions.worktreeConfig", "true")
    site = tmp_path / "linked"
    git(root, "worktree", "add", "-q", "-b", "linked", str(site))
    (site / ".dutyctl").mkdir(exist_ok=True)
    age(root / ".git" / "config")
    assert not gitsync.desk_has_identity(site, site / ".dutyctl")
    assert not gitsync.desk_has_identity(site, site / ".dutyctl")
    assert len(asked) == 1
    if where == "shared":
        git(root, "config", "user.email", "front@desk.example")
    else:
        git(site, "config", "--worktree", "user.email", "front@desk.example")
        assert not (root / ".git" / "config.worktree").exists()
    assert gitsync.desk_has_identity(site, site / ".dutyctl")
