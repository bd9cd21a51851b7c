"""An auto-commit through git's plumbing (the folders on the way, not the work tree), and the
unusual states where it steps aside for `git add` + `git commit`: a merge under way, an
unborn branch, a detached HEAD, a user's own staged changes, HEAD moved meanwhile, several
writers at once."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from dutyctl import gitsync
from dutyctl.store import githead
from dutyctl.workspace import Workspace
from tests.conftest import Cli
from tests.helpers_foundation import call_flags, edit_in_place, git, identify

pytestmark = pytest.mark.auto_commit  # these tests are about git


def log_call(root: Path, at: str, room: str = "3-2-501") -> Path:
    done = Cli(root)(*call_flags(room=room), "--at", at)
    assert done.exit_code == 0, done.stderr
    return Path(Workspace(root).store.get(done.stdout.strip()).path)


def rel(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def files_of(root: Path, commit: str = "HEAD") -> list[str]:
    return git(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root",
               commit).split()


def staged(root: Path) -> list[str]:
    return git(root, "diff", "--cached", "--name-status").splitlines()


def record(root: Path, name: str) -> Path:
    path = root / "records" / "2026" / "10" / "12" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"id: {name}\n", encoding="utf-8")
    return path


def test_a_write_commits_the_file_alone_without_git_commit(workspace, monkeypatch):
    root = workspace.root
    ran = []
    real = gitsync.git
    monkeypatch.setattr(gitsync, "git", lambda where, *args, **kw: ran.append(args[0]) or real(
        where, *args, **kw))
    before = githead.head(root)
    path = log_call(root, "2026-10-12 09:30")
    assert "commit" not in ran and "add" not in ran and "commit-tree" in ran
    assert files_of(root) == [rel(root, path)]
    assert git(root, "rev-parse", "HEAD^") == before + "\n"
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "fsck", "--no-dangling", "--no-progress") == ""
    assert git(root, "log", "-1", "--format=%an|%cn|%s") == (
        "张伟|Desk|来电 " + path.name[:12] + " 3-2-501 咨询 — 张伟 (zhangwei)\n")
    assert git(root, "reflog", "-1", "--format=%gs").startswith("commit: 来电 ")


def test_every_git_of_a_plumbed_commit_holds_the_commit_lock(workspace, monkeypatch):
    """The commit lock's descriptor goes to every git child of a plumbed commit, the files'
    hashing and the trees' batch read as well: one outliving a killed dutyctl still holds
    it."""
    root = workspace.root
    inherited = []
    real = subprocess.run

    def run(command, *args, **kw):
        if command[:1] == ["git"]:
            inherited.append((command[3], tuple(kw.get("pass_fds") or ())))
        return real(command, *args, **kw)

    monkeypatch.setattr(gitsync.subprocess, "run", run)
    log_call(root, "2026-10-12 09:30")
    plumbing = [(name, fds) for name, fds in inherited if name in (
        "update-index", "hash-object", "cat-file", "mktree", "commit-tree", "update-ref")]
    assert {name for name, _ in plumbing} >= {"hash-object", "cat-file", "commit-tree",
                                               "update-ref"}, inherited
    assert all(fds for _, fds in plumbing), plumbing


def staged_and_committed(root: Path, path: Path) -> tuple[str, str]:
    """(the index's entry of a file, HEAD's): mode and blob each."""
    name = rel(root, path)
    index = git(root, "ls-files", "-s", "--", name).split()[:2]
    head = git(root, "ls-tree", "HEAD", "--", name).split()
    return " ".join(index), f"{head[0]} {head[2]}"


def asking_the_index(monkeypatch) -> list[tuple]:
    """Every git run's arguments, logged (whether `ls-files -s` asked the index)."""
    ran = []
    real = gitsync.git_bytes
    monkeypatch.setattr(gitsync, "git_bytes", lambda where, *args, **kw: ran.append(args) or
                        real(where, *args, **kw))
    return ran


def test_the_blob_hashed_without_the_index_is_the_one_staged(workspace, monkeypatch):
    """The file's blob comes from `git hash-object`, not from `ls-files -s`: the index and
    HEAD have the same one, through a clean filter of the work tree's .gitattributes too."""
    root = workspace.root
    ran = asking_the_index(monkeypatch)
    (root / ".gitattributes").write_text("records/** filter=shout\n", encoding="utf-8")
    git(root, "config", "filter.shout.clean", "tr a-z A-Z")
    git(root, "config", "filter.shout.smudge", "cat")
    git(root, "add", ".gitattributes")
    git(root, "commit", "-qm", "attributes")
    path = log_call(root, "2026-10-12 09:30")
    assert [args[0] for args in ran] == ["cat-file", "hash-object"]
    index, head = staged_and_committed(root, path)
    assert index == head and head.startswith("100644 ")
    assert b"ID: " in subprocess.run(["git", "-C", str(root), "cat-file", "blob",
                                      head.split()[1]], capture_output=True).stdout
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.mark.parametrize("doubt", ["mode", "attributes", "changed"])
def test_where_the_hash_may_not_be_the_indexs_the_index_is_asked(workspace, monkeypatch,
                                                                 doubt):
    """HEAD has the file executable and git keeps that mode (core.fileMode=false); a
    .gitattributes HEAD has is gone from the work tree (update-index reads the index's); the
    file changed between update-index and hash-object: `ls-files -s` says what was staged,
    and HEAD gets exactly that."""
    root = workspace.root
    path = log_call(root, "2026-10-12 09:30")
    name = rel(root, path)
    if doubt == "mode":
        git(root, "config", "core.fileMode", "false")
        git(root, "update-index", "--chmod=+x", "--", name)
        git(root, "commit", "-qm", "executable")
    elif doubt == "attributes":
        attributes = root / "records" / ".gitattributes"
        attributes.write_text("*.yaml filter=shout\n", encoding="utf-8")
        git(root, "config", "filter.shout.clean", "tr a-z A-Z")
        git(root, "config", "filter.shout.smudge", "cat")
        git(root, "add", str(attributes))
        git(root, "commit", "-qm", "attributes")
        attributes.unlink()  # the index and HEAD still have it
    ran = asking_the_index(monkeypatch)
    if doubt == "changed":
        real = gitsync._past_stale_lock

        def staged_then_changed(where, args, *rest, **kw):
            done = real(where, args, *rest, **kw)
            if args[0] == "update-index":
                time.sleep(0.01)
                path.write_text(path.read_text(encoding="utf-8") + "# later\n",
                                encoding="utf-8")
            return done

        monkeypatch.setattr(gitsync, "_past_stale_lock", staged_then_changed)
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    if doubt == "attributes":  # the blob without the filter is there too (mktree takes it)
        git(root, "hash-object", "-w", "--", name)
    assert gitsync.commit(root, [path], "edited", workspace.state_dir)
    assert "ls-files" in [args[1] if args[0].startswith("-") else args[0] for args in ran]
    index, head = staged_and_committed(root, path)
    assert index == head
    assert head.startswith("100755 " if doubt == "mode" else "100644 ")
    assert git(root, "status", "--porcelain", "--untracked-files=all") == {
        "mode": "", "attributes": " D records/.gitattributes\n", "changed": f" M {name}\n"}[doubt]


def test_a_users_staged_changes_stay_staged_and_out_of_the_commit(workspace):
    """Their edit of a committed record in the very day folder of the new one, and a new
    file of theirs: the commit has the new record alone, the index still has both."""
    root = workspace.root
    first = log_call(root, "2026-10-12 09:30")
    committed = first.read_text(encoding="utf-8")
    first.write_text(committed + "# 业主补充说明\n", encoding="utf-8")
    notes = root / "notes" / "plan.txt"
    notes.parent.mkdir()
    notes.write_text("排班草稿\n", encoding="utf-8")
    git(root, "add", "--", str(first), str(notes))
    first.write_text(committed + "# 又改了一次，未暂存\n", encoding="utf-8")  # unstaged on top

    second = log_call(root, "2026-10-12 09:40")
    assert second.parent == first.parent
    assert files_of(root) == [rel(root, second)]
    assert git(root, "show", f"HEAD:{rel(root, first)}") == committed
    assert staged(root) == ["A\tnotes/plan.txt", f"M\t{rel(root, first)}"]
    assert git(root, "show", f":{rel(root, first)}") == committed + "# 业主补充说明\n"
    assert first.read_text(encoding="utf-8") == committed + "# 又改了一次，未暂存\n"


def test_a_commit_made_meanwhile_is_never_overwritten(workspace, monkeypatch):
    """HEAD moved after the look (another program's commit): the branch does not move back
    over it; git commit makes ours on top."""
    root = workspace.root
    log_call(root, "2026-10-12 09:30")
    theirs = githead.head(root)
    stale = git(root, "rev-parse", "HEAD^").strip()
    monkeypatch.setattr(githead, "head", lambda where: stale)
    path = record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml")
    assert gitsync.commit(root, [path], "mine", workspace.state_dir)
    assert git(root, "rev-parse", "HEAD^").strip() == theirs
    assert files_of(root) == [rel(root, path)]
    assert git(root, "status", "--porcelain") == ""


def test_during_a_merge_nothing_is_committed_and_the_merge_stays(workspace):
    """A commit of one parent would end the merge as if the other side never was."""
    root = workspace.root
    log_call(root, "2026-10-12 09:30")
    git(root, "checkout", "-q", "-b", "other", "HEAD^")
    (root / "notes.txt").write_text("theirs\n", encoding="utf-8")
    git(root, "add", "notes.txt")
    git(root, "commit", "-qm", "theirs")
    git(root, "checkout", "-q", "main")
    (root / "notes.txt").write_text("ours\n", encoding="utf-8")
    git(root, "add", "notes.txt")
    git(root, "commit", "-qm", "ours")
    assert "CONFLICT" in git(root, "merge", "other", check=False)
    head = githead.head(root)
    path = record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml")
    assert gitsync._plumbed_commit(root, [str(path)], "mine", {}, ()) is None
    assert not gitsync.commit(root, [path], "mine", workspace.state_dir)
    assert githead.head(root) == head and gitsync.merging(root)
    assert rel(root, path) not in git(root, "ls-files")


def test_the_first_commit_of_an_unborn_branch(tmp_path):
    root = tmp_path / "site"
    git(tmp_path, "init", "-q", "--initial-branch=duty", str(root))
    identify(root)
    path = record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml")
    assert gitsync._plumbed_commit(root, [str(path)], "first", {}, ()) is None
    assert gitsync.commit(root, [path], "first", root / ".dutyctl")
    assert git(root, "rev-list", "--parents", "duty").split() == [githead.head(root)]
    assert files_of(root) == [rel(root, path)]
    assert git(root, "status", "--porcelain") == "?? .dutyctl/\n"


def test_a_detached_head_moves_and_no_branch_does(workspace):
    root = workspace.root
    log_call(root, "2026-10-12 09:30")
    main = githead.head(root)
    git(root, "checkout", "-q", "--detach")
    path = log_call(root, "2026-10-12 09:40")
    assert git(root, "rev-parse", "main").strip() == main
    assert git(root, "rev-parse", "HEAD^").strip() == main
    assert files_of(root) == [rel(root, path)]
    assert git(root, "symbolic-ref", "-q", "HEAD", check=False) == ""


def test_a_file_where_a_folder_goes_in_head_is_left_to_git_commit(workspace):
    root = workspace.root
    folder = root / "records" / "2026" / "10" / "12"
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder\n", encoding="utf-8")
    git(root, "add", str(folder))
    git(root, "commit", "-qm", "a file named like a day")
    folder.unlink()
    path = record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml")
    assert gitsync._plumbed_commit(root, [str(path)], "mine", {}, ()) is None


def test_a_file_committed_already_makes_no_commit(workspace):
    root = workspace.root
    path = log_call(root, "2026-10-12 09:30")
    head = githead.head(root)
    assert gitsync._plumbed_commit(root, [str(path)], "again", {}, ()) == gitsync.ALREADY
    assert githead.head(root) == head


def test_several_writers_at_once_lose_nothing(workspace, dutyctl_command):
    """Four terminals of one desk file a call each at the same moment: four commits in a
    line, each with its own record, nothing left staged or untracked."""
    root = workspace.root
    start = githead.head(root)
    runs = [subprocess.Popen([*dutyctl_command, "--root", str(root),
                              *call_flags(room=f"{number}-1-101"), "--at",
                              f"2026-10-12 09:3{number}"],
                             env={**os.environ, "DUTYCTL_USER": "zhangwei"},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for number in range(1, 5)]
    outputs = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, outputs
    assert all(err == "" for _, err in outputs), outputs
    commits = git(root, "rev-list", "--first-parent", f"{start}..HEAD").split()
    assert len(commits) == 4
    assert git(root, "rev-list", "--merges", f"{start}..HEAD") == ""
    committed = sorted(name for commit in commits for name in files_of(root, commit))
    assert len(committed) == 4 and all(out.strip()[:12] in " ".join(committed)
                                       for out, _ in outputs)
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


# -- the commit's look for leftovers on a big index: the folders changed since the last one ----

def aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


@pytest.fixture
def big_index(workspace, monkeypatch):
    """git's index counted as big (the look in two processes, and only where things changed);
    every git run's arguments logged."""
    monkeypatch.setattr(gitsync, "STATUS_INDEX_BYTES", 0)
    ran = []
    real = gitsync.git
    monkeypatch.setattr(gitsync, "git", lambda where, *args, **kw: ran.append(args) or real(
        where, *args, **kw))
    return workspace, ran


def looked_at(ran: list[tuple]) -> list[str]:
    """What the leftover look of the logged runs asked ls-files about."""
    return [" ".join(args[args.index("--") + 1:]) for args in ran if args[0] == "ls-files"]


def test_a_leftover_where_a_folder_changed_since_the_last_look_is_committed(big_index):
    workspace, ran = big_index
    root = workspace.root
    log_call(root, "2026-10-12 09:30")  # the first look: the whole of records/
    assert looked_at(ran) == ["records"]
    left = aged(record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml"), 3600)  # a crash's
    ran.clear()
    path = log_call(root, "2026-10-13 09:40")
    # the day folders changed (the leftover's, the new call's) and the folders above them
    # (a new day folder, the month's and year's mtimes the store moves) were read beside
    # HEAD's trees: the file HEAD lacks that the command did not write is asked by name
    assert looked_at(ran) == [f":(literal){rel(root, left)}"]
    assert rel(root, left) in files_of(root, "HEAD^")  # the leftover commit, then ours
    assert files_of(root) == [rel(root, path)]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_young_file_of_another_terminal_is_looked_at_until_it_is_committed(big_index):
    """Seen young (perhaps another terminal's, between its save and its commit), it is not
    committed then; the next look goes back to its folder, which changed before the look
    that saw it began."""
    workspace, ran = big_index
    root = workspace.root
    young = aged(record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml"), 10)
    aged(young.parent, 10)
    log_call(root, "2026-10-13 09:30")
    assert rel(root, young) not in git(root, "ls-files")
    aged(young, 3600)  # that terminal died: the file is a leftover now, its folder unchanged
    ran.clear()
    log_call(root, "2026-10-14 09:50")
    assert looked_at(ran) == [f":(literal){rel(root, young)}"]
    assert files_of(root, "HEAD^") == [rel(root, young)]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_write_whose_folders_hold_only_its_own_new_file_asks_git_nothing_for_the_look(
        big_index):
    """HEAD's trees (kept by the last commit) say the day folder holds nothing else new: no
    `ls-files`, no `diff --cached`, no `status`, and the index stays as git's status has it."""
    workspace, ran = big_index
    root = workspace.root
    log_call(root, "2026-10-12 09:30")
    ran.clear()
    second = log_call(root, "2026-10-12 09:40")
    third = log_call(root, "2026-10-13 08:00")  # a new day folder: no tree of it in HEAD
    verbs = [args[0] for args in ran]
    assert not {"ls-files", "diff", "status", "cat-file"} & set(verbs), verbs
    assert files_of(root, "HEAD^") == [rel(root, second)] and files_of(root) == [rel(root, third)]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "diff-files", "--name-only") == ""  # the index's stat data are the files'


def consistent(root: Path) -> None:
    """git's index as git itself would leave it: nothing untracked, unstaged or staged, each
    entry's stat data the file's (`diff-files` refreshes nothing), the index the tree of
    HEAD."""
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "diff-files", "--name-only") == ""
    assert git(root, "diff-index", "--cached", "--name-only", "HEAD") == ""
    assert git(root, "write-tree") == git(root, "rev-parse", "HEAD^{tree}")


def test_writes_on_a_big_index_leave_it_consistent_and_status_clean(big_index):
    """New records, an edit of one (a repair closed), a new day, a leftover: after each
    write git's index is HEAD's tree with the files' stat data; `check` finds nothing."""
    workspace, _ = big_index
    root = workspace.root
    cli = Cli(root)
    log_call(root, "2026-10-12 09:30")
    consistent(root)
    filed = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "厨房水管爆管，跑水", "--at", "2026-10-12 09:40")
    assert filed.exit_code == 0, filed.output
    consistent(root)
    repair = filed.stdout.strip().splitlines()[-1]
    closed = cli("repair", "close", repair, "--as", "invalid", "--reason", "x", "--at",
                 "2026-10-12 10:00")
    assert closed.exit_code == 0, closed.output
    consistent(root)
    checked = cli("check")
    assert checked.exit_code == 0, checked.output
    left = aged(record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml"), 3600)  # a crash's
    log_call(root, "2026-10-13 08:00")
    consistent(root)
    assert rel(root, left) in files_of(root, "HEAD^")
    assert git(root, "fsck", "--no-dangling", "--no-progress") == ""


@pytest.mark.parametrize("setting", [("index.version", "4"), ("core.splitIndex", "true")],
                         ids=["format-4", "split"])
def test_an_index_a_site_set_to_format_4_or_split_stays_so_and_consistent(big_index,
                                                                          setting):
    """What README, Performance, leaves to a site: the desk's writes keep git's index as set
    and leave it consistent."""
    workspace, _ = big_index
    root = workspace.root
    git(root, "config", *setting)
    git(root, "update-index", "--index-version" if setting[1] == "4" else "--split-index",
        *(["4"] if setting[1] == "4" else []))
    for at in ("2026-10-12 09:30", "2026-10-12 09:40", "2026-10-13 08:00"):
        log_call(root, at)
        consistent(root)
    if setting[1] == "4":
        assert (root / ".git" / "index").read_bytes()[4:8] == (4).to_bytes(4, "big")
    else:
        assert shared_index(root)


def test_the_look_beside_heads_trees_finds_what_git_finds(workspace):
    """Every sort of file in a changed folder: what HEAD's trees and the folder's listing say
    is new is what git's two looks say (the record-named files on disk), git asked by name
    only about those the command did not write, ignored ones left out by git."""
    root = workspace.root
    log_call(root, "2026-10-12 09:30")
    day = root / "records" / "2026" / "10" / "12"
    kept = [record(root, f"01M4PVR2MJDN04MAF9W87Q7SK{n}.yaml") for n in range(4)]
    git(root, "add", "records")
    git(root, "commit", "-qm", "earlier records")
    untracked = record(root, "01M4PVR2MJDN04MAF9W87Q7SMU.yaml")
    staged_new = record(root, "01M4PVR2MJDN04MAF9W87Q7SMS.yaml")
    ignored = record(root, "01M4PVR2MJDN04MAF9W87Q7SMI.yaml")
    own = record(root, "01M4PVR2MJDN04MAF9W87Q7SMO.yaml")
    (day / ".gitignore").write_text(f"{ignored.name}\n", encoding="utf-8")
    (day / ".01M4PVR2MJDN04MAF9W87Q7SMT.yaml.99.tmp").write_text("x", encoding="utf-8")
    git(root, "add", "--", str(staged_new))
    kept[0].write_text("edited in place\n", encoding="utf-8")
    kept[1].unlink()
    sub = day / "sub"
    sub.mkdir()
    (sub / "01M4PVR2MJDN04MAF9W87Q7SMB.yaml").write_text("below\n", encoding="utf-8")
    folders = ["records/2026/10/12", "records/2026/10", "records/2026"]
    head = githead.head(root)
    asked = []
    real = gitsync.git

    def logged(where, *args, **kw):
        asked.append(args)
        return real(where, *args, **kw)

    gitsync.git = logged
    try:
        beside = gitsync._new_beside_head(root, head, folders, [own], workspace.state_dir, ())
    finally:
        gitsync.git = real
    listed = gitsync._new_files_listed(root, tuple(f":(glob){folder}/*" for folder in folders))
    by_git = {name for name in listed if gitsync.ids.file_ids(name) and (root / name).exists()}
    assert beside == by_git == {rel(root, path) for path in (untracked, staged_new, own)}
    assert looked_at(asked) == [" ".join(sorted(
        f":(literal){rel(root, path)}" for path in (untracked, staged_new, ignored)))]


def test_after_someone_elses_git_the_whole_of_records_is_looked_at(big_index):
    """HEAD moved by another program (here a reset that leaves a record staged, as a command
    killed mid-commit does): a folder that changed long ago may hold a leftover."""
    workspace, ran = big_index
    root = workspace.root
    first = log_call(root, "2026-10-12 09:30")
    git(root, "reset", "-q", "--soft", "HEAD~1")
    aged(first, 3600)
    aged(first.parent, 3600)
    ran.clear()
    log_call(root, "2026-10-13 09:40")
    assert looked_at(ran) == ["records"]
    assert files_of(root, "HEAD^") == [rel(root, first)]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


# -- check --changed: git status of the workspace's folders ----------

def test_what_changed_is_every_sort_of_change_under_the_workspace_folders(
        workspace):
    root = workspace.root
    where = ["records", "rosters", "dutyctl.yaml"]

    def by_pathspec() -> list[str]:
        done = git(root, "status", "--porcelain", "-z", "--no-renames",
                   "--untracked-files=all", "--", *where)
        return sorted(entry[3:] for entry in done.split("\0") if len(entry) > 3)

    first = log_call(root, "2026-10-12 09:30")
    second = log_call(root, "2026-10-12 09:40")
    (root / "notes.txt").write_text("not the workspace's\n", encoding="utf-8")
    assert gitsync.changed_paths(root, where) == by_pathspec() == []
    # every sort of change: a new file in a folder it knows and in
    # a new one, an edit in place (no folder's mtime moves), a deletion, a staged file
    new_here = record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml")
    new_there = root / "records" / "2026" / "11" / "02" / "01M4SEN8QRGBH541A84BAXHP1M.yaml"
    new_there.parent.mkdir(parents=True)
    new_there.write_text("id: x\n", encoding="utf-8")
    edit_in_place(first, "recorded_by: zhangwei", "recorded_by: lina")
    second.unlink()
    roster = root / "rosters" / "2026-10.yaml"
    roster.write_text("month: 2026-10\n", encoding="utf-8")
    git(root, "add", str(roster))
    (root / "notes" / "more.txt").parent.mkdir()
    (root / "notes" / "more.txt").write_text("neither\n", encoding="utf-8")
    expected = sorted(rel(root, path) for path in (new_here, new_there, first, second, roster))
    assert by_pathspec() == expected
    assert sorted(gitsync.changed_paths(root, where)) == expected


def shared_index(root: Path) -> str:
    return git(root, "rev-parse", "--shared-index-path").strip()


def test_an_index_the_site_set_to_split_stays_split_and_is_not_taken_for_a_small_one(
        workspace):
    """core.splitIndex set (README: a site whose git tools all read it): the desk's commits
    keep the index split, and the leftover look knows the small index file is not a small
    repository (one `git status` of the whole work tree would cost years of records)."""
    root = workspace.root
    git(root, "config", "core.splitIndex", "true")
    first = log_call(root, "2026-10-12 09:30")
    assert shared_index(root)
    assert not gitsync._small_index(root)
    left = aged(record(root, "01M4PVR2MJDN04MAF9W87Q7SMD.yaml"), 3600)  # a crash's
    second = log_call(root, "2026-10-13 09:40")
    assert rel(root, left) in files_of(root, "HEAD^") and files_of(root) == [rel(root, second)]
    assert rel(root, first) in git(root, "ls-files")
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "fsck", "--no-dangling", "--no-progress") == ""
    assert shared_index(root)


def test_an_index_is_not_split_unless_the_site_says_so(workspace):
    root = workspace.root
    log_call(root, "2026-10-12 09:30")
    assert shared_index(root) == "" and gitsync._small_index(root)
