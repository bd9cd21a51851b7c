"""`dutyctl sync`: fetch, merge (never rebase), check, push. Safe from cron on every desk.

Nothing depends on the desk's git configuration: every setting a merge or push reads is given
on the command line, no editor or prompt is ever started, and a sync already running makes a
second one stop at once instead of waiting.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from dutyctl import notices
from dutyctl.errors import EXIT_FINDINGS, DutyError, EnvironmentFailure, InputError, Problem
from dutyctl.gitsync import blob, changed_paths, conflicted as conflicted_files, git, \
    identity_env, index_lock_free, merging, rebase_under_way, rebasing, top_folder
from dutyctl.messages import N_, gettext, t, tn
from dutyctl.store import githead, ids
from dutyctl.store.storage import exclusive, try_exclusive, write_atomic

NETWORK_TIMEOUT = 120  # seconds for one fetch or push: cron must never pile up
PUSH_ATTEMPTS = 3  # another desk pushing between our fetch and push: fetch and merge again
# the tickets a merge brings that the desks must sort out, said one line each up to this many;
# the rest in one line of counts (a desk back after a day offline; check lists every one)
TICKET_NEWS_SHOWN = 5
# the roster changes a merge brings (overrides, swaps, new months), said one line each up to
# this many; the rest in one counting line (a desk back after days offline)
ROSTER_NEWS_SHOWN = 5
# the settings that change what `git merge` does, pinned so no local or global config matters
MERGE_SETTINGS = ("-c", "merge.ff=true", "-c", "merge.conflictStyle=merge",
                  "-c", "commit.gpgSign=false", "-c", "core.hooksPath=/dev/null",
                  "-c", "merge.renames=false", "-c", "core.autocrlf=false")
UP_TO_DATE, MERGED, PUSHED, BUSY = "up-to-date", "merged", "pushed", "busy"


@dataclass(frozen=True)
class Outcome:
    state: str
    records: int = 0  # records added, changed or removed by the merge
    pushed: int = 0  # commits sent

    def line(self, remote: str, branch: str) -> str:
        where = f"{remote}/{branch}"
        if self.state == BUSY:
            return t("another sync is running in this workspace: nothing done")
        if self.state == UP_TO_DATE:
            return t("up to date with {remote}", remote=where)
        if self.state == MERGED and self.pushed:
            return t("merged {count} record(s) from {remote}, pushed {commits} commit(s)",
                     count=self.records, remote=where, commits=self.pushed)
        if self.state == MERGED:
            return t("merged {count} record(s) from {remote}", count=self.records, remote=where)
        return t("pushed {commits} commit(s) to {remote}", commits=self.pushed, remote=where)


class SyncConflict(DutyError):
    """The two histories change the same file: nothing was merged, what to do is said."""

    exit_code = EXIT_FINDINGS


class CheckFailed(DutyError):
    """The merged workspace fails `check`: merged here, not pushed."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


def sync(workspace, remote: str = "origin") -> tuple[Outcome, str]:
    """One sync; returns the outcome and the branch. Refuses (SyncConflict, CheckFailed,
    EnvironmentFailure) with nothing pushed."""
    root = workspace.root
    branch = _branch(root)
    if not githead.has_remote(root, remote):
        _refuse_without_remote(root, remote)
    lock = try_exclusive(workspace.state_dir / "sync.lock")
    if lock is None:
        return Outcome(BUSY), branch
    with lock:
        outcome = _sync(workspace, remote, branch)
    _say_settings_not_shared(workspace)
    return outcome, branch


def _say_settings_not_shared(workspace) -> None:
    """dutyctl.yaml, the rules and the rosters, edited on this desk and not committed, are
    not in what the sync sent: said, or they pass for shared (the other desks' rules lack the
    new staff; a roster a `roster generate` interrupted before its commit left here has
    the desks name different people on duty, `check` clean on both)."""
    for name in edited_here(workspace, [workspace.config_path, workspace.rosters_dir]):
        notices.warn(t("{file}: edited on this desk and not committed, so not sent: the other "
                       "desks do not have these edits (git commit {file} shares them at the next "
                       "sync)", file=name))


def edited_here(workspace, paths: list[Path]) -> list[str]:
    """The files among `paths` (files or folders of the workspace) git would commit as they
    are now, named from the workspace: edited since the last commit, staged or not, or never
    committed."""
    said = changed_paths(workspace.root, [str(path) for path in paths]) or []
    names = [workspace.relative(path).replace(os.sep, "/") for path in paths]
    found = []
    for entry in said:  # git names them from the repository's top, which may be above
        for name in names:
            if entry == name or entry.endswith("/" + name):
                found.append(name)
            elif (at := ("/" + entry).rfind("/" + name + "/")) >= 0:
                found.append(entry[at:])
    return list(dict.fromkeys(found))


def _refuse_without_remote(root: Path, remote: str) -> None:
    """InputError when git knows no remote of that name (asked of git: the repository's own
    config did not name it, githead.has_remote)."""
    if git(root, "remote", "get-url", remote).returncode != 0:
        raise InputError(t("no git remote '{remote}': add the shared repository with 'git "
                           "remote add {remote} URL'", remote=remote))


def _commit_staged_records(workspace, keep: tuple[int, ...]) -> bool:
    """The new records a dutyctl command staged and could not commit (its `git add` done, its
    `git commit` failed), committed (gitsync.commit_staged_records; the git lock held): True
    when nothing is staged any more. Not on a site that commits by hand (a person staged them)."""
    from dutyctl import gitsync

    language = _committing_language(workspace)
    return language is not None and gitsync.commit_staged_records(
        workspace.root, keep, workspace.cache_dir, language)


def _commit_left_over(workspace) -> bool:
    """Records saved but never committed (a crash; a record saved while a merge was settled
    by hand), committed as the next command would, those saved a moment ago too when no
    dutyctl command is committing (gitsync.commit_left_over, at_once): True only when some
    were committed now, by it or by the commands it waited for (the check refused them; else
    its refusal stands, checked once).
    Asked only when the check refused something, so a sync with nothing left over runs no
    more git. Not on a site that commits by hand, nor with a dutyctl.yaml that does not load
    (the check says why)."""
    from dutyctl import gitsync
    from dutyctl.notify import ALERTS_DIR

    language = _committing_language(workspace)
    return language is not None and gitsync.commit_left_over(
        workspace.root, workspace.state_dir, workspace.cache_dir, language, at_once=True,
        alerts=ALERTS_DIR)


def _committing_language(workspace) -> str | None:
    """The language of the commits dutyctl makes here; None on a site that commits by hand
    or whose dutyctl.yaml does not load."""
    from dutyctl.messages import commit_language

    try:
        config = workspace.config
    except DutyError:
        return None
    return commit_language(config.language) if config.auto_commit else None


def _sync(workspace, remote: str, branch: str) -> Outcome:
    root = workspace.root
    merged_records, merged = 0, False
    told: set = set()  # the roster changes a clash line has said already
    if not merging(root):  # a note a killed sync left, its merge gone since: never trusted
        _own_merge_note(workspace).unlink(missing_ok=True)
    elif not _undo_own_merge(workspace):
        # `git pull` stopped at a conflict here: settled or refused, never aborted
        start = _head(root)
        merged_records, merged = _finish_hand_merge(workspace, remote, branch, told), True
        _say_news(workspace, start, told)
    left = None if merged else _news_left(workspace)
    if left is not None:  # a sync killed after its merge: what the merge brought, said now
        merged_records += _say_news(workspace, left[0], told, upto=left[1])[0].records_count()
        merged = True
    _news_note(workspace).unlink(missing_ok=True)
    # whether git sees other parents than the commits name: asked once (no sync changes it)
    replaced = githead.history_replaced(root)
    for _ in range(PUSH_ATTEMPTS):
        theirs = _fetch(root, remote, branch)
        outgoing, incoming = _ahead_behind(root, theirs, replaced)
        counted = {githead.head(root): outgoing}  # HEAD's to push: counted on from it
        brought = None
        if incoming:
            rules_brought = _refuse_what_breaks_desks(workspace, theirs, remote)
            start = _head(root)
            write_atomic(_news_note(workspace), f"{start} {theirs}\n", rewritten=True)
            try:
                onto = _merge(workspace, theirs, remote, branch, told, rules_brought)
            except DutyError:  # refused or stopped at a conflict: a hand merge says its news
                _news_note(workspace).unlink(missing_ok=True)
                raise
            merged = True
            news = _say_news(workspace, start, told)
            _news_note(workspace).unlink(missing_ok=True)
            brought = news[-1]  # up to HEAD now: what the check reads
            merged_records += (news[0].records_count() if onto == start
                               else _records_changed(root, onto))
            outgoing = _outgoing(root, theirs, counted, replaced)
        if _refuse_if_check_fails(workspace, brought, replaced, theirs, remote):
            # left-overs committed: pushed
            outgoing = _outgoing(root, theirs, counted, replaced)
        if not outgoing:
            return Outcome(MERGED if merged else UP_TO_DATE, merged_records)
        pushed = git(root, "push", "--quiet", "--no-verify", remote, f"HEAD:refs/heads/{branch}",
                     timeout=NETWORK_TIMEOUT)
        if pushed.returncode == 0:
            return Outcome(MERGED if merged else PUSHED, merged_records, outgoing)
        refused = _refused_by_server(pushed.stderr)
        if refused is not None:  # a hook, a protected branch: trying again changes nothing
            raise EnvironmentFailure(t(
                "{remote} refused the push: {reason}. Nothing was lost: this desk's records "
                "stay here and go with the first sync after the shared repository takes them "
                "again (ask whoever runs it)", remote=remote, reason=refused))
        if "rejected" not in pushed.stderr and "fetch first" not in pushed.stderr:
            raise EnvironmentFailure(t("git push to {remote} failed: {reason}. Nothing was "
                                       "lost: this desk's records stay here and go with the "
                                       "next sync that reaches it", remote=remote,
                                       reason=_git_failure(pushed.stderr)))
    raise EnvironmentFailure(t("{remote} kept changing while pushing: run sync again",
                               remote=remote))


# what git's "[remote rejected]" says when another desk's push moved the branch meanwhile (two
# desks pushing at once): fetch, merge and push again, as for a "fetch first"
BRANCH_MOVED = ("cannot lock ref", "but expected", "failed to update ref", "incorrect old value")


def _refused_by_server(said: str) -> str | None:
    """What the server said when it refused a push itself (git's "[remote rejected]": a hook,
    a protected branch), made safe and short, git's own fixed reasons in the desk's words;
    None when it did not (pushed, or the branch moved on: fetch and merge again)."""
    from dutyctl.output import visible
    from dutyctl.textwidth import shorten

    lines = said.splitlines()
    declined = [line for line in lines if "[remote rejected]" in line]
    if not declined or any(words in said for words in BRANCH_MOVED):
        return None
    why = declined[0].rsplit("(", 1)[-1].rstrip(")").strip()
    known = _server_reason(why)
    told = [line[len("remote:"):].strip() for line in lines if line.startswith("remote:")]
    told = [line for line in told if line]
    if known is not None and (not told or "hook declined" not in why):
        return known  # git's own words (English, and many lines for a checked-out branch)
    reason = "; ".join(told) if told else why
    return shorten(visible(reason), 200)  # in screen columns: a Chinese hook's words too


def _server_reason(why: str) -> str | None:
    """git's fixed reason for refusing a push, as the desk reads it; None for another one."""
    if "hook declined" in why:
        return t("the shared repository's hook turned it down")
    if "checked out" in why:
        return t("the shared repository has this branch checked out (it must be a bare "
                 "repository: git init --bare)")
    if "shallow update not allowed" in why:
        return t("this desk's copy of the history is shallow and the shared repository "
                 "takes no shallow pushes (git fetch --unshallow, then sync)")
    return None


def _branch(root: Path) -> str:
    branch = githead.branch(root)
    if branch is not None and githead.head(root) is not None:
        return branch
    found = git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if found.returncode != 0:
        if "not a git repository" in found.stderr:
            raise InputError(t("the workspace is not in a git repository: nothing to sync"))
        if rebasing(root):
            raise SyncConflict(rebase_under_way())
        raise InputError(t("the workspace is not on a branch (detached HEAD): check out its "
                           "branch, then sync"))
    if git(root, "rev-parse", "-q", "--verify", "HEAD").returncode != 0:
        raise InputError(t("the workspace has no commit yet: run 'dutyctl init' in it"))
    return found.stdout.strip()


def _fetch(root: Path, remote: str, branch: str) -> str | None:
    """The commit the remote's branch is at, or None when the remote has no such branch."""
    fetched = git(root, "fetch", "--quiet", "--no-tags", remote, branch, timeout=NETWORK_TIMEOUT)
    if fetched.returncode != 0:
        if "couldn't find remote ref" in fetched.stderr:
            return None  # an empty shared repository: the first push creates the branch
        raise EnvironmentFailure(t("git fetch from {remote} failed: {reason}. Nothing was lost: "
                                   "this desk's records stay here and go with the next sync "
                                   "that reaches it", remote=remote,
                                   reason=_git_failure(fetched.stderr)))
    return githead.fetched(root) or git(root, "rev-parse", "FETCH_HEAD").stdout.strip()


def _ahead_behind(root: Path, theirs: str | None, replaced: bool) -> tuple[int, int]:
    """(commits HEAD has that `theirs` has not, and the other way round): read from the
    commits themselves when plainly known (githead.ahead_behind: the same, new, or a few
    loose commits apart; `replaced`: githead.history_replaced), else in one rev-list."""
    if not theirs:  # nothing on the remote yet: everything is ahead
        done = git(root, "rev-list", "--count", "HEAD")
        return (int(done.stdout.strip() or 0) if done.returncode == 0 else 0), 0
    head = githead.head(root)
    known = githead.ahead_behind(root, head, theirs, replaced) if head else None
    if known is not None:
        return known
    done = git(root, "rev-list", "--left-right", "--count", f"HEAD...{theirs}")
    counts = done.stdout.split()
    if done.returncode != 0 or len(counts) != 2:
        return 0, 0
    return int(counts[0]), int(counts[1])


def _outgoing(root: Path, theirs: str | None, counted: dict[str, int], replaced: bool) -> int:
    """The commits HEAD has that `theirs` has not, after a merge of `theirs` or a commit of
    left-overs: from the commits themselves when HEAD comes down in a straight line of loose
    commits to `theirs`, to a commit whose count is `counted`, or to sync's own merge of
    `theirs` onto one (itself and what its first parent had); else from git (also where git
    sees other parents than the commits name: `replaced`, githead.history_replaced's)."""
    commit, steps, objects = githead.head(root), 0, githead.objects_dir(root)
    if replaced:
        commit = None
    while theirs and commit and steps < githead.WALKED:
        if commit == theirs:
            return steps
        if commit in counted:
            return steps + counted[commit]
        above = githead.parents(root, commit, objects)
        if above is None:
            break
        if len(above) == 2 and above[1] == theirs and above[0] in counted:
            return steps + 1 + counted[above[0]]
        if len(above) != 1:
            break
        commit, steps = above[0], steps + 1
    return _ahead_behind(root, theirs, replaced)[0]


def _refuse_what_breaks_desks(workspace, theirs: str, remote: str) -> bool:
    """Nothing merged from a commit that would stop this desk, asked in one git run (what
    it changes of either, against HEAD):
    - one that tracks `.dutyctl` (another desk's `git add -f` of its own folder, or a link
      in its place): git would put it over this desk's own folder, its outbox of messages
      not yet sent, its index and locks, and a link there left nothing committable;
    - one whose dutyctl.yaml no command can use (a YAML mistake pushed by hand, conflict
      markers): merged, it stopped every desk that synced, no call logged until someone
      put it right; this desk works on with its own.
    Each said with what the desk that made it does. True when the commit changes the roster
    rules (the merge is then looked at: `_undo_a_merge_that_breaks_the_rules`)."""
    from dutyctl.commandwords import said
    from dutyctl.config import CONFIG_FILE
    from dutyctl.rulesfile import rules_path

    top = top_folder(workspace.root)
    if top is None:
        return False
    config = workspace.config_path.resolve().relative_to(top.resolve()).as_posix()
    state = workspace.state_dir.resolve().relative_to(top.resolve()).as_posix()
    rules = rules_path(workspace).resolve().relative_to(top.resolve()).as_posix()
    # pathspecs from the repository's top (`:(top)`): a workspace in a subfolder of it runs
    # git there, where plain ones would be read from that folder and match nothing
    changed = git(workspace.root, "diff-tree", "-r", "-z", "--no-renames", "HEAD", theirs,
                  "--", f":(top){state}", f":(top){config}", f":(top){rules}")
    fields = changed.stdout.split("\0") if changed.returncode == 0 else []
    brought = {path for line, path in zip(fields[::2], fields[1::2])
               if not line.split(" ")[1:2] == ["000000"]}  # added or changed, not deleted
    if any(path == state or path.startswith(state + "/") for path in brought):
        raise EnvironmentFailure(t(
            "{remote} holds .dutyctl, each desk's own folder (a desk committed it with git add "
            "-f): nothing merged, so it cannot replace this desk's (its messages not yet sent, "
            "its index). At the desk that added it: git rm -r --cached .dutyctl, git commit, "
            "dutyctl {sync}; then dutyctl {sync} here", remote=remote, sync=said("sync")))
    problem = _unusable_config(workspace.root, f"{theirs}:{config}") if config in brought \
        else None
    if problem is not None:
        raise EnvironmentFailure(t(
            "{remote} has a {config} no command can use ({problem}): nothing merged, so this "
            "desk works on with its own. At the desk that changed it: correct it, dutyctl "
            "{check}, git commit, dutyctl {sync}; then dutyctl {sync} here", remote=remote,
            config=CONFIG_FILE, problem=problem, check=said("check"), sync=said("sync")))
    return rules in brought


def _undo_a_merge_that_breaks_the_rules(workspace, before: str, theirs: str, remote: str,
                                        branch: str) -> None:
    """Two sound edits of rosters/rules.yaml that git merges into rules no command reads (each
    desk added a staff id 'xiaoming' for another person): the merge is undone (this desk's
    HEAD as before it, its own changes kept) and said, nothing pushed. Merged, every roster
    command stopped at the rules, and the desk's records were held back by the check. Called
    with the git lock held (`_merge`): a record a command commits meanwhile waits, never
    reset away with the merge."""
    from dutyctl.rulesfile import rules_path

    root = workspace.root
    top = top_folder(root)
    if top is None or _head(root) == before:
        return
    path = rules_path(workspace).resolve().relative_to(top.resolve()).as_posix()
    problem = _rules_problem(workspace, f"HEAD:{path}")
    if problem is None or _rules_problem(workspace, f"{before}:{path}") is not None \
            or _rules_problem(workspace, f"{theirs}:{path}") is not None:
        return  # sound, or broken on one side already: the check says so
    if git(root, "reset", "--quiet", "--keep", before).returncode != 0:
        return  # changes here in the way: the merge stays, and the check says what is wrong
    raise SyncConflict(t(
        "merging {remote}'s {rules} with this desk's makes rules no command can read "
        "({problem}): nothing was merged or pushed. Settle it by hand: git pull --no-rebase "
        "{name} {branch}, correct {rules}, dutyctl check, git commit, then dutyctl sync",
        remote=f"{remote}/{branch}", rules=path, problem=problem, name=remote, branch=branch))


def _rules_problem(workspace, spec: str) -> Problem | None:
    """The first problem of the roster rules git holds at `spec`, None when there is none
    (or no such file there)."""
    from dutyctl.roster.rules import parse_rules
    from dutyctl.store.yamlio import loads

    text = _git_show(workspace.root, spec)
    if text is None:
        return None
    try:
        config = workspace.config
        roles = dict(config.roles.names) if config.roles.names else None
        _, problems = parse_rules(loads(text, "rosters/rules.yaml"), "rosters/rules.yaml",
                                  roles, config.timezone_name)
    except DutyError as exc:
        return exc.problem
    return problems[0] if problems else None


def _unusable_config(root: Path, spec: str) -> Problem | None:
    """The first problem that keeps the dutyctl.yaml git holds at `spec` from use, if any."""
    from dutyctl.config import CONFIG_FILE, parse_config, usable_config
    from dutyctl.store.yamlio import MAX_FILE_BYTES, decode, loads

    found = blob(root, spec, MAX_FILE_BYTES)
    try:
        if found is None:
            raise InputError(t("larger than any workspace file may be, or git cannot read it"),
                             path=CONFIG_FILE)
        text = decode(found, CONFIG_FILE)  # not UTF-8: said as any file is (yamlio.not_utf8)
        usable_config(*parse_config(loads(text, CONFIG_FILE), CONFIG_FILE), CONFIG_FILE)
    except DutyError as exc:
        return (getattr(exc, "problems", None) or [exc.problem])[0]
    return None


def _merge(workspace, theirs: str, remote: str, branch: str, told: set,
           rules_brought: bool = False) -> str:
    """Merge `theirs` (the git lock held: no auto-commit lands mid-merge); the commit it was
    merged onto (HEAD before, or after records left staged were committed first). A note in
    .dutyctl names the commit while it is merged: a sync killed mid-merge is told from a
    merge begun by hand (_undo_own_merge)."""
    root = workspace.root
    before = _head(root)
    message = _merge_message(root, remote, branch)
    with exclusive(workspace.state_dir / "git.lock") as lock:
        index_lock_free(root)  # a stale one cleared, a live one waited for; else merge says
        own = _own_merge_note(workspace)
        write_atomic(own, _merge_note(theirs, before), rewritten=True)
        try:
            before = _run_merge(workspace, theirs, before, remote, branch, message, lock, told)
        except DutyError:  # merged or aborted: the note goes (a kill or Ctrl-C leaves it);
            if not merging(root):  # an abort that failed leaves it, for the next sync to undo
                own.unlink(missing_ok=True)
            raise
        own.unlink(missing_ok=True)
        if rules_brought:  # the lock still held: no record a command commits meanwhile is lost
            _undo_a_merge_that_breaks_the_rules(workspace, before, theirs, remote, branch)
    return before


def _run_merge(workspace, theirs: str, before: str, remote: str, branch: str, message: str,
               lock, told: set) -> str:
    """`git merge` onto `before` (HEAD); its conflicts in roster files both desks only added
    overrides to settled and committed; else the merge aborted and refused. The commit it
    merged onto: HEAD after records left staged were committed first."""
    root = workspace.root
    merged = git(root, *MERGE_SETTINGS, "merge", "--no-edit", "--no-verify", "-m", message,
                 theirs, env=identity_env(root, None, workspace.cache_dir),
                 keep_open=lock.keep, detached=True)
    if merged.returncode != 0 and UNRELATED in merged.stderr + merged.stdout:
        raise SyncConflict(t(  # refused before writing anything
            "{remote} shares no history with this desk: nothing was merged or pushed. Either "
            "{name} is not this site's shared repository (git remote -v shows where it "
            "points), or someone rewrote it and pushed with force: then ask them to push the "
            "old history back, or clone the shared repository anew and copy this desk's "
            "records it lacks into the clone", remote=f"{remote}/{branch}", name=remote))
    if merged.returncode != 0 and not merging(root) and not _refused_to_start(merged):
        _put_back_what_git_wrote(root, before, theirs, lock.keep)
        raise EnvironmentFailure(t(
            "git merge failed while writing the other desks' files ({reason}): what it wrote "
            "is taken back, nothing was merged or pushed; sync again once that is mended "
            "(a full disk: free some space)", reason=_last_line(merged.stderr or merged.stdout)))
    if merged.returncode != 0:
        conflicted = conflicted_files(root)
        # as git left it: a later sync aborts this merge only while it is still so
        write_atomic(_own_merge_note(workspace), _merge_note(theirs, before, root, conflicted))
        # roster files both desks only added overrides to are merged here, then committed;
        # a Ctrl-C waits until what is written is staged and noted as sync's own: between
        # the two the merge looked begun by hand, sync would not abort it, and an abort by
        # hand lost a roster change made meanwhile
        with _interrupts_held():
            said = _settle_rosters(workspace, conflicted, f"{remote}/{branch}", lock.keep,
                                   told)
            if _rosters_only(workspace, conflicted):  # what it wrote and staged: sync's own
                write_atomic(_own_merge_note(workspace), _merge_note(theirs, before, root))
        if said is not None and _commit_merge(workspace, message, lock.keep):
            for line in said:
                notices.warn(line)
            return before
        if not conflicted:
            in_the_way = _changed_here_and_there(root, theirs)
            if in_the_way:  # git refused to start: nothing to abort
                raise SyncConflict(t(
                    "{files}: changed at this desk and not committed, and changed on "
                    "{remote} too: nothing was merged or pushed. Commit those changes (git "
                    "add, git commit) or undo them, then dutyctl sync",
                    files=t(", ").join(in_the_way), remote=f"{remote}/{branch}"))
            staged = git(root, "diff", "-z", "--cached", "--name-only", "--no-renames"
                         ).stdout.split("\0")[:-1]
            if staged and not merging(root) and _commit_staged_records(workspace, lock.keep):
                # records a command staged and never committed: committed, merged again
                now = _head(root)
                write_atomic(_own_merge_note(workspace), _merge_note(theirs, now))
                return _run_merge(workspace, theirs, now, remote, branch, message, lock, told)
            if staged and not merging(root):  # git merges nothing over a half-made commit
                staged = git(root, "diff", "-z", "--cached", "--name-only", "--no-renames"
                             ).stdout.split("\0")[:-1]  # without the records committed now
                raise SyncConflict(t(
                    "{files}: added at this desk (git add) and not committed: nothing was "
                    "merged or pushed. Commit those changes (git commit) or undo them (git "
                    "restore --staged), then dutyctl sync", files=t(", ").join(staged)))
        git(root, "merge", "--abort", keep_open=lock.keep, detached=True)
        if merging(root):  # the abort failed: the merge as it is now stays sync's own
            write_atomic(_own_merge_note(workspace), _merge_note(theirs, before, root))
        if not conflicted:
            raise EnvironmentFailure(t("git merge failed: {reason}", reason=_last_line(
                merged.stderr or merged.stdout)))
        raise SyncConflict(t(
            "conflict: both sides changed {files}; nothing was merged or pushed. Settle it "
            "by hand: git pull --no-rebase {remote} {branch}, edit those files, dutyctl "
            "check, git commit, then dutyctl sync", files=t(", ").join(conflicted),
            remote=remote, branch=branch))
    return before


@contextmanager
def _interrupts_held():
    """Ctrl-C (SIGINT) held back until the block is over, then raised: a few steps that must
    happen all or none. In the main thread only (a signal handler may be set nowhere else)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


OWN_MERGE = "sync-merge"  # in .dutyctl: the commit sync is merging, while it merges


def _own_merge_note(workspace) -> Path:
    return workspace.state_dir / OWN_MERGE


NO_FINGERPRINT = "-"


def _merge_note(theirs: str, before: str, root: Path | None = None,
                conflicted: list[str] | None = None) -> str:
    """The note's text: the commit merged, the fingerprint of the merge as it is now (root
    given; else "-": git has not returned yet) and HEAD before the merge. `conflicted`: the
    files in conflict now, when known."""
    fingerprint = (_merge_fingerprint(root, conflicted) if root is not None
                   else NO_FINGERPRINT)
    return f"{theirs}\n{fingerprint}\n{before}\n"


def _undo_own_merge(workspace) -> bool:
    """A merge sync itself began and never finished (killed: a reboot, a timeout; git dies
    with its output pipe before its commit): nothing in it is anyone's hand work, so it is
    aborted, and this sync merges again. True when it was one and is gone: git's MERGE_HEAD
    the commit the note names, and the merge untouched since (the fingerprint the note keeps
    of it as git left it; without one, killed before git returned, the index exactly git's
    own clean merge of the two). A merge begun or touched by hand is left alone (False): a
    note left over from a killed sync must never make a conflict someone settled by hand
    (git merge --abort, git pull, the files edited and added) be thrown away."""
    root = workspace.root
    own = _own_merge_note(workspace)
    try:
        noted = own.read_text(encoding="utf-8", errors="replace")[:300].split()
    except OSError:
        return False
    with exclusive(workspace.state_dir / "git.lock") as lock:
        head = git(root, "rev-parse", "-q", "--verify", "MERGE_HEAD").stdout.strip()
        if not head:  # no merge under way: the note is stale
            own.unlink(missing_ok=True)
            return True
        fingerprint = [found for found in noted[1:2] if found != NO_FINGERPRINT]
        if not noted or head != noted[0] or not _untouched(root, head, fingerprint):
            return False
        if len(noted) > 2 and noted[2] != _head(root):  # committed or reset since: not ours
            return False
        git(root, "merge", "--abort", keep_open=lock.keep, detached=True)
        if merging(root):
            return False
        own.unlink(missing_ok=True)
    return True


def _merge_fingerprint(root: Path, conflicted: list[str] | None = None) -> str:
    """What a merge under way is now: git's index (every stage of every file) and the
    content of each conflicted file (`conflicted`: those files, when known). Any hand work
    on the merge (a file edited, added, checked out from one side) changes it."""
    import hashlib

    from dutyctl.store.yamlio import read_bytes

    digest = hashlib.sha256(git(root, "ls-files", "-s", "-z").stdout.encode("utf-8",
                                                                          "surrogateescape"))
    top = top_folder(root) or root
    for name in conflicted_files(root) if conflicted is None else conflicted:
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        try:  # bounded, never through a link (a conflicted file came from the other desk)
            digest.update(hashlib.sha256(read_bytes(top / name)).digest())
        except (OSError, DutyError):
            digest.update(b"-")
    return digest.hexdigest()


def _untouched(root: Path, theirs: str, fingerprint: list[str]) -> bool:
    """The merge under way is as sync's own `git merge` left it: its fingerprint the noted
    one; with none noted (sync was killed before git returned), no conflict and the index
    git's own merge of HEAD and `theirs` (a hand-settled conflict differs from it)."""
    if fingerprint:
        return _merge_fingerprint(root) == fingerprint[0]
    if conflicted_files(root):
        return _as_merge_tree_left_it(root, theirs)
    staged = git(root, "write-tree")
    merged = git(root, *MERGE_SETTINGS, "merge-tree", "--write-tree", "HEAD", theirs)
    return (staged.returncode == 0 and merged.returncode == 0
            and staged.stdout.strip() == (merged.stdout.split() or [""])[0])


def _as_merge_tree_left_it(root: Path, theirs: str) -> bool:
    """A conflicted merge under way is exactly git's own merge of HEAD and `theirs` (`git
    merge-tree --write-tree`, labelled as sync's merge labels it): every index entry and stage
    the same, each conflicted file's content the one git wrote (its markers in). Any hand work
    (a file edited, added, checked out from one side) differs."""
    top = top_folder(root) or root
    merged = git(top, *MERGE_SETTINGS, "merge-tree", "-z", "--write-tree", "HEAD", theirs)
    if merged.returncode != 1:  # 1: conflicts, as the index says; else not this merge
        return False
    parts = merged.stdout.split("\0")
    tree, stages = parts[0], []
    for entry in parts[1:]:
        if not entry:
            break
        stages.append(entry)  # "mode object stage\tpath"
    conflicted = {entry.split("\t", 1)[-1] for entry in stages}
    listed = git(top, "ls-tree", "-r", "-z", "--full-tree", tree)
    if listed.returncode != 0:
        return False
    expected, blobs = set(stages), {}
    for entry in listed.stdout.split("\0")[:-1]:
        info, path = entry.split("\t", 1)
        mode, _, blob = info.split(" ")
        blobs[path] = blob
        if path not in conflicted:
            expected.add(f"{mode} {blob} 0\t{path}")
    index = git(top, "ls-files", "-s", "-z", "--full-name")
    if index.returncode != 0 or set(index.stdout.split("\0")[:-1]) != expected:
        return False
    for path in sorted(conflicted):
        there = (top / path).is_file()
        if path not in blobs or not there:
            if there or (top / path).is_symlink() or path in blobs:
                return False
            continue
        written = git(top, "-c", "core.autocrlf=false", "hash-object", "--",
                      path)
        if written.returncode != 0 or written.stdout.strip() != blobs[path]:
            return False
    return True


#: what git says when the two histories share no commit (git speaks English here: gitsync.git)
UNRELATED = "refusing to merge unrelated histories"
#: what git says when it refuses to start a merge (this desk's own changes in the way)
MERGE_REFUSED = ("would be overwritten by merge", "untracked working tree files would be",
                 "not possible because you have unmerged files", "You have not concluded",
                 "Please commit your changes or stash them")


def _refused_to_start(merged) -> bool:
    """git refused the merge before writing anything: what is in the way is this desk's."""
    said = merged.stderr + merged.stdout
    return any(words in said for words in MERGE_REFUSED)


def _put_back_what_git_wrote(root: Path, before: str, theirs: str, keep: tuple[int, ...]
                             ) -> None:
    """git merge died while writing the work tree (a full disk, a kill) before it recorded
    the merge (no MERGE_HEAD, HEAD unmoved): the other desks' files it wrote, whole or cut to
    0 bytes, were left, `check` called them this desk's records never committed and the next
    command committed them under the clerk's name. git refuses to start a merge over this
    desk's uncommitted changes to any of them, so each is put back as HEAD has it: deleted
    when HEAD has none, else checked out again."""
    base = git(root, "merge-base", before, theirs).stdout.strip()
    if not base:
        return
    # what the merge writes: the other side's changes since the common commit (this desk's
    # own since then, committed or not, are no file of the merge's)
    changed = git(root, "diff", "-z", "--name-status", "--no-renames", base, theirs)
    if changed.returncode != 0:
        return
    fields = changed.stdout.split("\0")[:-1]
    names = fields[1::2]
    kept = git(root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", before, "--",
               *(f":(top,literal){name}" for name in names))
    in_head = set(kept.stdout.split("\0")) if kept.returncode == 0 else set(names)
    top = top_folder(root)
    for name in names:
        path = (top or root) / name
        if name not in in_head and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)  # HEAD has none: the merge's alone
    others = [name for name in names if name in in_head]
    if others:
        git(root, "checkout", before, "--", *(f":(top,literal){name}" for name in others),
            keep_open=keep)


def _changed_here_and_there(root: Path, theirs: str) -> list[str]:
    """The files this desk changed and did not commit (or does not track) that the other side
    changed too: what stops `git merge` before it starts ("would be overwritten by merge")."""
    base = git(root, "merge-base", "HEAD", theirs).stdout.strip()
    if not base:
        return []
    incoming = set(git(root, "diff", "-z", "--name-only", "--no-renames", base, theirs
                       ).stdout.split("\0")[:-1])
    return sorted(incoming & set(changed_paths(root, []) or []))


def _finish_hand_merge(workspace, remote: str, branch: str, told: set) -> int:
    """A merge someone started (`git pull` stopped at a conflict) and has not committed. Never
    aborted here: it may hold files settled by hand. When git's only conflicts are roster files
    still as git left them (its markers in) that both desks merely added overrides to, they are
    settled and the merge committed, as sync's own merge would (the number of records it
    brought); else SyncConflict, saying what is left to do, with nothing touched."""
    root = workspace.root
    before = _head(root)
    where = f"{remote}/{branch}"
    with exclusive(workspace.state_dir / "git.lock") as lock:
        if not merging(root):
            return 0  # committed meanwhile: a merge like any other, pushed by the caller
        conflicted = conflicted_files(root)
        top = top_folder(root) or root
        if conflicted and all(_as_git_left_it(top / name) for name in conflicted):
            said = _settle_rosters(workspace, conflicted, where, lock.keep, told)
            if said is not None and _commit_merge(workspace, _merge_message(root, remote, branch),
                                                  lock.keep):
                for line in said:
                    notices.warn(line)
                return _records_changed(root, before)
            conflicted = conflicted_files(root)
    if conflicted:
        raise SyncConflict(t(
            "a merge is under way in this workspace (git pull stopped at a conflict): {files} "
            "still in conflict; nothing was synced. Edit those files, git add them, dutyctl "
            "check, git commit, then dutyctl sync (to give the merge up: git merge --abort)",
            files=t(", ").join(conflicted)))
    raise SyncConflict(t(
        "a merge is under way in this workspace, its conflicts settled but not committed yet: "
        "nothing was synced. Run dutyctl check, git commit, then dutyctl sync (to give the "
        "merge up: git merge --abort)"))


def _as_git_left_it(path: Path) -> bool:
    """A conflicted file as git wrote it, its conflict markers still in (nobody has settled
    it by hand yet)."""
    from dutyctl.store.yamlio import find_conflict_marker, read_bytes

    try:  # bounded, never through a link, as every file of the other desk's is read
        text = read_bytes(path).decode("utf-8", errors="replace")
    except (OSError, DutyError):
        return False
    return find_conflict_marker(text) is not None


def _merge_message(root: Path, remote: str, branch: str) -> str:
    """The merge commit's message in the site's language, read from the file's text: a desk
    whose dutyctl.yaml is broken (it may have come through git) must still merge in the fix."""
    from dutyctl.messages import commit_language, speaking
    from dutyctl.workspace import site_language_hint

    with speaking(commit_language(site_language_hint(str(root)))):
        return t("dutyctl sync: merge {remote}/{branch}", remote=remote, branch=branch)


def _head(root: Path) -> str:
    return githead.head(root) or git(root, "rev-parse", "HEAD").stdout.strip()


def _carry_acceptances(fresh, brought: _Brought) -> None:
    """A handover accepted on one desk that another desk had replaced meanwhile (the merge
    `brought` the one's step or the other's): the acceptance is carried to the
    replacement (desk.handover.carry_acceptances), committed, and said one line each (at most
    TICKET_NEWS_SHOWN, then one counting line). Not on a site that commits by hand. `fresh`:
    the workspace as merged."""
    root = fresh.root
    stepped = [record_id for record_id, step in brought.records_added() if step]
    if not stepped:
        return
    language = _committing_language(fresh)
    if language is None:
        return
    from dutyctl import gitsync
    from dutyctl.commandwords import said
    from dutyctl.desk.handover import carry_acceptances
    from dutyctl.kinds.handover import INSTEAD_OF
    from dutyctl.messages import speaking
    from dutyctl.names import Names
    from dutyctl.output import visible
    from dutyctl.timeutil import local_time

    try:
        store, names, tz = fresh.store, Names.of(fresh), fresh.config.tz
        carried, withheld = carry_acceptances(store, stepped)
    except DutyError:
        return  # check says what does not load
    _say_acceptances_withheld(withheld, names, tz)
    if not carried:
        return
    with speaking(language):
        message = tn("handover: {count} acceptance of a replaced handover carried to its "
                     "replacement", "handover: {count} acceptances of replaced handovers "
                     "carried to their replacements", sum(len(steps) for *_, steps in carried))
    gitsync.commit(root, [Path(step.path) for *_, steps in carried for step in steps], message,
                   fresh.state_dir, language=language, cache_dir=fresh.cache_dir)
    for earlier, later, steps in carried[:TICKET_NEWS_SHOWN]:
        notices.warn(visible(t(
            "brought by the sync: {staff} accepted handover {earlier} at {at}, which handover "
            "{later} had replaced: the acceptance counts for {later}, which no longer waits for "
            "them (what it says: dutyctl {command} {later})",
            staff=names.people([step.data.get(INSTEAD_OF) or step.by for step in steps]),
            earlier=earlier.short_id, later=later.short_id,
            at=local_time(min(_signed_at(earlier, step) for step in steps), tz),
            command=said("handover", "show"))))
    if len(carried) > TICKET_NEWS_SHOWN:
        notices.warn(tn("brought by the sync: {count} more handover accepted after it was "
                        "replaced, its acceptance carried the same way: dutyctl {command} lists "
                        "those still waiting",
                        "brought by the sync: {count} more handovers accepted after they were "
                        "replaced, their acceptances carried the same way: dutyctl {command} "
                        "lists those still waiting", len(carried) - TICKET_NEWS_SHOWN,
                        command=said("handover", "pending")))


def _say_acceptances_withheld(withheld, names, tz) -> None:
    """One line for each replaced handover accepted after it was replaced whose replacement
    adds something (an item, a note) to it, or whose history refused the carried step: the
    acceptance is not carried, they still have to accept the replacement (at most
    TICKET_NEWS_SHOWN, then one counting line)."""
    from dutyctl.commandwords import said
    from dutyctl.desk.handover import signatures
    from dutyctl.output import visible
    from dutyctl.timeutil import local_time

    for earlier, later, people, refused in withheld[:TICKET_NEWS_SHOWN]:
        said_as = dict(staff=names.people(people), earlier=earlier.short_id,
                       later=later.short_id,
                       at=local_time(min(signatures(earlier)[person].at for person in people),
                                     tz),
                       show=said("handover", "show"), accept=said("handover", "accept"))
        if refused is None:
            notices.warn(visible(t(
                "brought by the sync: {staff} accepted handover {earlier} at {at}, which "
                "handover {later} had replaced; {later} adds something to it, so they still "
                "have to accept {later}: dutyctl {show} {later}, then dutyctl {accept}",
                **said_as)))
        else:  # its history refused the carried step (edited by hand): said, not dropped
            notices.warn(visible(t(
                "brought by the sync: {staff} accepted handover {earlier} at {at}, which "
                "handover {later} had replaced; the acceptance could not be carried to "
                "{later} ({why}), so they still have to accept {later}: dutyctl {show} "
                "{later}, then dutyctl {accept}", why=refused, **said_as)))
    rest = withheld[TICKET_NEWS_SHOWN:]  # counted by why each was withheld
    adding = sum(refused is None for *_, refused in rest)
    if adding:
        notices.warn(tn("brought by the sync: {count} more handover accepted after it was "
                        "replaced by one that adds something: dutyctl {command} lists those "
                        "still waiting",
                        "brought by the sync: {count} more handovers accepted after they were "
                        "replaced by ones that add something: dutyctl {command} lists those "
                        "still waiting", adding, command=said("handover", "pending")))
    if len(rest) > adding:
        notices.warn(tn("brought by the sync: {count} more handover accepted after it was "
                        "replaced, whose acceptance could not be carried to its replacement: "
                        "dutyctl {command} lists those still waiting",
                        "brought by the sync: {count} more handovers accepted after they were "
                        "replaced, whose acceptances could not be carried to their "
                        "replacements: dutyctl {command} lists those still waiting",
                        len(rest) - adding, command=said("handover", "pending")))


def _signed_at(earlier, step):
    """When the signature a carried step stands for was given on `earlier`."""
    from dutyctl.desk.handover import signatures
    from dutyctl.kinds.handover import INSTEAD_OF

    signed = signatures(earlier).get(step.data.get(INSTEAD_OF) or step.by)
    return signed.at if signed is not None else step.at


def _say_settings_news(workspace, brought: _Brought, upto: str | None = None) -> None:
    """dutyctl.yaml and the roster rules as a merge (`brought`) changed them, one line
    each on stderr: the record count says nothing of them, and a clerk told "merged 0
    records" never learnt that the other desk changed the hotline, a deadline or the staff."""
    from dutyctl.rulesfile import RULES_FILE

    changed = brought.among([workspace.relative(workspace.config_path),
                             workspace.relative(workspace.rosters_dir / RULES_FILE)])
    top = brought.top or workspace.root
    # up to the merge a killed sync made (`upto`), not HEAD: this desk's changes since are
    # not the sync's
    until = upto[:10] if upto else "HEAD"
    for name in changed:
        label = workspace.relative(top / name)
        # the range, not `git log -p -1`: a merge of both desks' changes shows no diff there
        notices.warn(t("{file}: brought by the sync: changed on another desk (git diff {since} "
                       "{until} -- {file} shows what changed)", file=label,
                       since=brought.before[:10], until=until))


NEWS_FROM = "sync-news"  # in .dutyctl: HEAD before a merge and the commit merged, until said
NEWS_NOTE_BYTES = 256  # two commit ids (sha-256's too) and their separators, with room


def _news_note(workspace) -> Path:
    return workspace.state_dir / NEWS_FROM


def _news_left(workspace) -> tuple[str, str] | None:
    """(HEAD before, the merge) of a sync killed after its merge and before it said what the
    merge brought (the note written before merging, removed once said): its news — another
    desk's dispatch of the same repair, a roster change, an acceptance to carry to the
    handover that replaced it — were never said nor done, and the next sync, finding nothing
    to merge, said only `pushed`. None: no such note, or its merge was never made (killed
    before it, or undone since). A note that is not two commit ids (too large, not a plain
    file, anything else: `--output=…` would reach git as an option) is ignored (and removed
    by _sync, as every note once read)."""
    from dutyctl.store.plainfile import read_plain  # a plain file: never a link to a FIFO

    try:
        text = read_plain(_news_note(workspace), NEWS_NOTE_BYTES)[0]
    except OSError:  # none, or no plain file
        return None
    tokens = text.decode("ascii", errors="replace").split()
    if len(text) > NEWS_NOTE_BYTES or len(tokens) != 2 or not all(map(githead.commit_id, tokens)):
        return None  # _sync removes the note
    before, theirs = tokens
    listed = git(workspace.root, "rev-list", "--first-parent", "--parents", f"{before}..HEAD")
    if listed.returncode != 0:
        return None
    for line in listed.stdout.splitlines():
        commit, *parents = line.split()
        if commit == theirs or theirs in parents[1:]:  # a fast-forward to it, or its merge
            return before, commit
    return None


def _say_news(workspace, before: str, told: set, upto: str | None = None
              ) -> tuple[_Brought, _Brought]:
    """What a merge (since `before`) brought, said from the workspace as merged (its
    dutyctl.yaml and rules read once, by whichever news needs them first; the files it changed
    asked of git once, _Brought, and again only when carried acceptances were committed); an
    acceptance of a replaced handover it brought is carried to the replacement first
    (_carry_acceptances). Returns what the merge brought, and what came since `before` up
    to HEAD now (the same unless acceptances were carried)."""
    from dutyctl.workspace import Workspace

    root = workspace.root
    head = upto or _head(root)
    merged = brought = _Brought(workspace, before, head)
    _say_settings_news(workspace, brought, upto)
    fresh = Workspace(root)  # as merged: the config and rules may have come with it
    _carry_acceptances(fresh, brought)
    if upto is None and (now := _head(root)) != head:  # their steps count as brought too
        brought = _Brought(workspace, before, now)
    _say_roster_news(workspace, fresh, brought, told, upto)
    _say_ticket_news(workspace, fresh, brought)
    return merged, brought


class _Brought:
    """The files a merge (since `before`, up to `head`) changed in the workspace, from one
    `git diff` for every kind of news: their names as git says them, from the repository's
    top, with git's letter for the change (A: added)."""

    def __init__(self, workspace, before: str, head: str):
        root = workspace.root
        self.before, self.head = before, head
        self.top = top_folder(root)
        self.rosters = workspace.rosters_dir.resolve()
        # the records' folder relative to the workspace, as git separates names: records/
        self.records = workspace.records_dir.relative_to(root).as_posix() + "/"
        self.changes: dict[str, str] = {}
        self.here = ""  # the workspace's folder in the repository, as a prefix
        if self.top is None or head == before:
            return
        top, inside = Path(self.top).resolve(), Path(root).resolve()
        here = (inside.relative_to(top).as_posix() if inside.is_relative_to(top) else
                git(root, "rev-parse", "--show-prefix").stdout.strip().rstrip("/") or ".")
        self.here = "" if here == "." else f"{here}/"
        paths = ["."]
        if self.rosters.is_relative_to(top) and not self.rosters.is_relative_to(top / here):
            paths.append(str(self.rosters))  # a link to another folder of the repository
        found = git(root, "diff", "-z", "--name-status", "--no-renames", before, head, "--",
                    *paths).stdout.split("\0")[:-1]
        self.changes = dict(zip(found[1::2], found[0::2]))

    def among(self, files: list[str]) -> list[str]:
        """Which of `files` (relative to the workspace) changed, as git names them."""
        wanted = {self.here + Path(name).as_posix() for name in files}  # git's separator
        return [name for name in self.changes if name in wanted]

    def rosters_changed(self) -> list[str]:
        """The roster files changed (rosterfile.is_roster_file), as git names them."""
        from dutyctl.roster.rosterfile import is_roster_file

        if self.top is None or not self.changes:
            return []
        top = Path(self.top).resolve()
        if not self.rosters.is_relative_to(top):
            return []
        folder = f"{self.rosters.relative_to(top).as_posix()}/"
        return [name for name in self.changes if name.startswith(folder)
                and is_roster_file(self.top / name, self.rosters)]

    def records_count(self) -> int:
        """The records with a file changed (added, changed or removed), as _records_counted
        counts them."""
        folder = self.here + self.records
        return _records_counted(name for name in self.changes if name.startswith(folder))

    def under(self, folders: list[str], files: list[str]) -> list[str] | None:
        """The files changed in `folders` or among `files` (relative to the workspace), as
        git names them (`git diff -- FOLDERS FILES` would); None when one is outside the
        workspace (a link to another folder)."""
        if self.top is None:
            return None
        if any(name.startswith("../") or name.startswith("/") for name in (*folders, *files)):
            return None
        prefixes = tuple(f"{self.here}{folder.rstrip('/')}/" for folder in folders)
        exact = {self.here + name for name in files}
        return [name for name in self.changes if name.startswith(prefixes) or name in exact]

    def records_added(self) -> list[tuple[str, str | None]]:
        """(record id, step id or None for the record's own file) of each record file
        added."""
        folder = self.here + self.records
        return [found for name, change in self.changes.items()
                if change == "A" and name.startswith(folder)
                for found in (ids.file_ids(name),) if found is not None]


def _not_a_roster(problems: list) -> bool:
    """Whether the problems roster_from_text found in a file under rosters/ say it plainly
    holds something else (a record another desk saved there: records.another_kind), its
    one "not a roster" line (by its finding's rule, in any language)."""
    from dutyctl.roster.rosterfile import NOT_A_ROSTER

    return bool(problems) and (problems[0].finding or {}).get("rule") == NOT_A_ROSTER


def _say_roster_news(workspace, fresh, brought: _Brought, told: set,
                     upto: str | None = None) -> None:
    """Each roster change a merge brought, one line on stderr as the desk
    reads it: an override or swap of the other desk (12月15日 周二 夜班 客服专员：张伟 -> 李娜,
    and who recorded it), a new month's roster, a month generated again. The clerk whose own
    override a later one of the other desk replaced learns it here; the record count says
    nothing of rosters. A change a clash line has said (`told`: (file, override)) is not said
    again. `fresh`: the workspace as merged. `upto`: the merge a killed sync made, each
    roster read as it left it (this desk's changes since are not the sync's), not on disk."""
    changed = brought.rosters_changed()
    if not changed:
        return
    root, top_dir, before = workspace.root, brought.top, brought.before
    from dutyctl.output import day_label, visible
    from dutyctl.roster.rosterfile import roster_from_text
    from dutyctl.store.yamlio import read_text

    try:
        from dutyctl.roster.rules import load_rules

        rules, roles = load_rules(fresh), fresh.config.roles
    except DutyError:
        rules = roles = None
    news = []  # one line each change, said up to ROSTER_NEWS_SHOWN
    for name in changed:
        path = top_dir / name
        label = workspace.relative(path)
        if upto is not None:
            text = _blob_at(root, upto, name)
            if text is None:
                continue  # removed by that merge
        elif not path.is_file():
            continue  # removed: check says what is missing where it matters
        try:  # another desk's file: bounded, never through a link (yamlio.read_text)
            if upto is None:
                text = read_text(path, label)
            after, found = roster_from_text(text, label)
        except DutyError:  # said below as changed; check says what is wrong
            after, found = None, []
        old = _blob_at(root, before, name)
        if old is None:
            if after is None and _not_a_roster(found):
                continue  # a record saved into rosters/: no roster came; check says what
            news.append(t("{file}: a new roster came with the sync", file=label))
            continue
        earlier = roster_from_text(old, label)[0]
        if after is None or earlier is None or rules is None or (
                earlier.assignments != after.assignments):
            news.append(t("{file}: the roster was changed on another desk (dutyctl roster show "
                          "shows it)", file=label))
            continue
        for entry in after.overrides:
            if entry in earlier.overrides or (label, entry) in told:
                continue
            shift = rules.shift(entry.shift)
            news.append(visible(t(
                "{file}: brought by the sync: {day} {shift} {role}: {old} -> {new} (recorded by "
                "{by})", file=label, day=day_label(entry.day),
                shift=shift.name if shift else entry.shift,
                role=roles.name(entry.role) if entry.role else "",
                old=rules.person(entry.replaces) if entry.replaces else t("unfilled"),
                new=rules.person(entry.staff), by=rules.person(entry.by))))
    for line in news[:ROSTER_NEWS_SHOWN]:
        notices.warn(line)
    if len(news) > ROSTER_NEWS_SHOWN:
        from dutyctl.commandwords import said

        notices.warn(tn("brought by the sync: {count} more roster change, not said here: "
                        "dutyctl {show} shows the roster as it is now",
                        "brought by the sync: {count} more roster changes, not said here: "
                        "dutyctl {show} shows the roster as it is now",
                        len(news) - ROSTER_NEWS_SHOWN, show=said("roster", "show")))


def _say_ticket_news(workspace, fresh, brought: _Brought) -> None:
    """What a merge brought that two desks must sort out, one line each on
    stderr: a repair the desks dispatched to different technicians without either knowing of
    the other's (a dispatch of the conflict came with the merge), and two tickets, one filed
    here and one brought, that look like one matter filed twice (tickets.twins). At most
    TICKET_NEWS_SHOWN lines, then one line counting the rest (a desk back from a day offline
    would get a screenful). `check`, `show` and the handover keep saying the first, `check`
    the second, until settled. `fresh`: the workspace as merged."""
    added = brought.records_added()
    if not added:
        return
    from dutyctl.check import assignment_conflict_text
    from dutyctl.names import Names
    from dutyctl.output import visible
    from dutyctl.records import assignment_conflict

    try:
        names, tz, store = Names.of(fresh), fresh.config.tz, fresh.store
    except DutyError:
        return  # a dutyctl.yaml that does not load: check says why

    def read(record_id: str):
        try:
            return store.get(record_id)
        except DutyError:
            return None

    steps = {}  # record id -> the ids of its steps the merge brought
    for record_id, event_id in added:
        if event_id:
            steps.setdefault(record_id, set()).add(event_id)
    sent = []  # a ticket sent two ways: to two technicians, or to two departments
    for record_id, event_ids in steps.items():
        record = read(record_id)
        current = assignment_conflict(record) if record is not None else ()
        if current and any(event.id in event_ids for event in current):
            sent.append(assignment_conflict_text(record, current, tz, names))
    _say_step_clashes(steps, read)
    twins = _twins_brought(store, {record_id for record_id, event_id in added
                                   if not event_id}, tz, names)
    news = [*sent, *twins]
    for line in news[:TICKET_NEWS_SHOWN]:
        notices.warn(visible(t("brought by the sync: {news}", news=line)))
    if len(news) > TICKET_NEWS_SHOWN:
        left = len(news) - TICKET_NEWS_SHOWN
        unsaid_sent = max(0, len(sent) - TICKET_NEWS_SHOWN)
        counts = [*([tn("{count} ticket sent two ways", "{count} tickets sent two ways",
                        unsaid_sent)] if unsaid_sent else []),
                  *([tn("{count} pair that looks like one matter filed twice",
                        "{count} pairs that look like one matter filed twice",
                        left - unsaid_sent)]
                    if left - unsaid_sent else [])]
        from dutyctl.commandwords import said

        notices.warn(tn("brought by the sync: {count} more like this, not said here ({counts}): "
                        "dutyctl {check} lists every one",
                        "brought by the sync: {count} more like these, not said here ({counts}): "
                        "dutyctl {check} lists every one", left,
                        counts=t(", ").join(counts), check=said("check")))


def _say_step_clashes(steps: dict, read) -> None:
    """The steps a merge brought that clash with a step of this desk on the same record (two
    desks acted on it without syncing: records.clashing_steps), said in one line with the
    command that says how to settle each. `steps`: record id -> the ids of its steps the
    merge brought; `read`: a record by id, None when unreadable."""
    from dutyctl.commandwords import said
    from dutyctl.records import clashing_steps

    clashes = 0
    for record_id, event_ids in steps.items():
        record = read(record_id)
        if record is not None:
            clashes += sum(1 for clash in clashing_steps(record)
                           if {clash.event.id, clash.after.id if clash.after else None}
                           & event_ids)
    if clashes:
        notices.warn(tn("brought by the sync: {count} step that clashes with another desk's "
                        "(two desks acted on one record without syncing; it counts for nothing "
                        "until a supervisor settles it): dutyctl {check} says how",
                        "brought by the sync: {count} steps that clash with another desk's "
                        "(two desks acted on one record without syncing; they count for nothing "
                        "until a supervisor settles them): dutyctl {check} says how", clashes,
                        check=said("check")))


def _twins_brought(store, brought: set, tz, names) -> list[str]:
    """Each ticket the merge brought that looks like one matter with a ticket this desk had
    (tickets.twins): the pair in one line, with the command closing one as a duplicate."""
    from dutyctl.queries import is_open
    from dutyctl.records import ticket_kinds
    from dutyctl.tickets.twins import WINDOW, pairs_between, twin_of, twin_text

    if not brought:
        return []
    moments = [ids.time_range(record_id)[0] for record_id in brought
               if ids.normalize(record_id) == record_id]
    if not moments:
        return []
    scan = store.scan((min(moments) - WINDOW - timedelta(days=1)).astimezone(tz).date(),
                      (max(moments) + WINDOW + timedelta(days=1)).astimezone(tz).date(),
                      ticket_kinds())
    # open ones only, as check compares them: a ticket closed (a duplicate closed already,
    # or the matter done) is no pair to close
    twins = [twin for twin in map(twin_of, filter(is_open, scan.records)) if twin is not None]
    came = [twin for twin in twins if twin.id in brought]
    if not came:
        return []
    had = [twin for twin in twins if twin.id not in brought]
    return [twin_text(earlier, later, tz, names) for earlier, later in pairs_between(had, came)]


def _blob_at(root: Path, commit: str, name: str) -> str | None:
    """The text of `name` (relative to the repository's top) at `commit`; None without it."""
    return _git_show(root, f"{commit}:{name}")


def _records_changed(root: Path, before: str) -> int:
    """The records with a file changed since `before`, as _records_counted counts them."""
    return _records_counted(git(root, "diff", "-z", "--name-only", "--no-renames",
                                f"{before}..HEAD", "--", "records").stdout.split("\0")[:-1])


def _records_counted(names) -> int:
    """The records with a file among `names` (a diff's, made with --no-renames): each record
    once, however many of its files changed. dutyctl never renames a record's file, so no
    rename is looked for: a record removed and a similar one added are two records."""
    return len({found[0] for found in map(ids.file_ids, names) if found is not None})


def _settle_rosters(workspace, conflicted: list[str], where: str,
                    keep: tuple[int, ...], told: set) -> list[str] | None:
    """Settle a merge whose only conflicts are roster files both sides merely added overrides
    to (dutyctl.roster.merging): each written with both sides' overrides and staged. The lines
    to say (one per place both desks changed), or None when anything stays conflicted (the
    caller aborts the merge: the files written here go with it).

    Done here rather than by a git merge driver: a driver must be configured in every clone
    (.git/config is not shared, cron desks have none), and it could neither read the merged
    rules to recompute the stats nor say the clashes in the desk's language. `where`: the
    other side (origin/main), as the lines name it; `told` gets the (file, override) of each
    clash said."""
    from dutyctl.messages import commit_language
    from dutyctl.roster.merging import settle
    from dutyctl.roster.rules import load_rules
    from dutyctl.workspace import Workspace, site_language_hint

    root = workspace.root
    if not _rosters_only(workspace, conflicted):
        return None  # the rules, the config, anything but a roster: a person settles it
    top_dir = top_folder(root)
    paths = [top_dir / name for name in conflicted]
    try:
        fresh = Workspace(root)  # as merged: the rules may have come with the merge
        rules = load_rules(fresh)
    except DutyError:
        return None
    language = commit_language(site_language_hint(str(root)))
    said, texts = [], []
    # a `roster override` typed meanwhile at this desk waits: it must not write under the merge
    with exclusive(workspace.state_dir / "roster.lock"):
        for name, path in zip(conflicted, paths):
            mine, other = _blob(root, 2, name), _blob(root, 3, name)
            if mine is None or other is None:
                return None  # deleted on one side, or not text
            label = workspace.relative(path)
            try:
                done = settle(fresh, rules, label, _blob(root, 1, name), mine, other,
                              language)
            except DutyError:
                return None
            if done is None:
                return None
            texts.append((path, done[0]))
            said += [_clash_line(label, rules, clash, where) for clash in done[1]]
            told.update((label, clash.later) for clash in done[1])  # said: no news line
        # written only once every file settles: a merge begun by hand (git pull) is left as
        # git left it when one does not
        try:
            for path, text in texts:
                write_atomic(path, text)
        except OSError:
            return None
        if git(root, "add", "--", *map(str, paths), keep_open=keep).returncode != 0:
            return None
    return said  # every conflicted file was one of these, now added


def _rosters_only(workspace, conflicted: list[str]) -> bool:
    """Every conflicted file is a roster month's (the only conflicts sync settles itself)."""
    from dutyctl.roster.rosterfile import is_roster_file

    top_dir = top_folder(workspace.root)
    if not conflicted or top_dir is None:
        return False
    rosters = workspace.rosters_dir.resolve()
    return all(is_roster_file(top_dir / name, rosters) for name in conflicted)


def _blob(root: Path, stage: int, name: str) -> str | None:
    """The text of one side of a conflicted file (1: the merge base, 2: ours, 3: theirs) as
    git keeps it, byte for byte; None when that side has none."""
    return _git_show(root, f":{stage}:{name}")


def _git_show(root: Path, spec: str) -> str | None:
    """`git show SPEC`, its bytes decoded as written (a merged roster keeps them); None when
    git has no such blob, it is over the size any workspace file may have, or no UTF-8 text."""
    from dutyctl.store.yamlio import MAX_FILE_BYTES

    found = blob(root, spec, MAX_FILE_BYTES)
    try:
        return found.decode("utf-8") if found is not None else None
    except UnicodeDecodeError:
        return None


def _commit_merge(workspace, message: str, keep: tuple[int, ...]) -> bool:
    done = git(workspace.root, *MERGE_SETTINGS, "commit", "-q", "--no-verify", "-m", message,
               env=identity_env(workspace.root, None, workspace.cache_dir), keep_open=keep,
               detached=True)
    return done.returncode == 0


def _clash_line(label: str, rules, clash, where: str) -> str:
    """One line on a place both desks changed: the day, the shift, who each desk put there
    (and who recorded it), and that the later one holds it."""
    from dutyctl.output import day_label, visible
    from dutyctl.roster.merging import OURS

    later, earlier = clash.later, clash.earlier
    shift = rules.shift(later.shift)
    # names, ids and the remote's name come from the other desk's files: the line made safe
    words = dict(file=label, day=day_label(later.day),
                 shift=shift.name if shift is not None else later.shift,
                 earlier=rules.person(earlier.staff), earlier_by=rules.person(earlier.by),
                 later=rules.person(later.staff), later_by=rules.person(later.by),
                 remote=where)
    if clash.later_side == OURS:
        return visible(t("{file}: both desks changed {day} {shift}: {earlier} was put there on {remote} "
                 "(recorded by {earlier_by}), {later} at this desk (recorded by {later_by}); "
                 "both kept in time order, so {later}, recorded later, takes the place",
                 **words))
    return visible(t("{file}: both desks changed {day} {shift}: {earlier} was put there at "
                     "this desk (recorded by {earlier_by}), {later} on {remote} (recorded by "
                     "{later_by}); both kept in time order, so {later}, recorded later, takes "
                     "the place", **words))


CHECKED = "sync-checked"  # in the state folder: the commit the last passing check ended at


def _checked_at(workspace) -> str | None:
    """The commit at which a sync's check last passed on this desk (None: never, or the note
    is unreadable)."""
    from dutyctl.store.plainfile import read_plain  # a plain file: never a link to a FIFO

    try:
        text = read_plain(workspace.state_dir / CHECKED, 128)[0].decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None
    return githead.commit_id(text)


#: months of records from which a first check is said to take a while
LONG_HISTORY_MONTHS = 6


def _say_the_whole_history_checked(workspace) -> None:
    """No sync passed its check on this desk yet (a new clone, `.dutyctl` deleted, or every
    sync since refused): its check reads every record, on years of history minutes a cron
    sync seemed to hang for, unsaid; said when there are more than LONG_HISTORY_MONTHS
    months of records (the month folders `Store.days` would walk)."""
    try:
        months = {day.strftime("%Y-%m") for day in workspace.store.days()}
    except (DutyError, OSError):
        return
    if len(months) > LONG_HISTORY_MONTHS:
        notices.warn(t("dutyctl: no sync has passed its check on this desk yet (a new clone, "
                       ".dutyctl deleted, or a refusal since): every record is checked, which "
                       "takes a while on years of history; once one passes, syncs check what "
                       "changed"))


def _changed_since_shared(workspace, brought: _Brought | None,
                          replaced: bool) -> tuple[set | None, set | None]:
    """(days, rosters) for `check_workspace`: what entered HEAD since the commit a sync's check
    last passed at on this desk (the desk's own commits, what merges brought, a plain `git
    pull` too), so that the check costs the change, not the history; record files never
    committed are named by the check itself and read once committed (`_refuse_if_check_fails`).
    A refused sync moves nothing: the next one checks the same files again, however the
    history moved meanwhile. (None, None): everything (a desk that never passed a check, a
    new clone's first sync, a HEAD that does not descend from that commit, or git cannot
    tell). `brought`: what this sync's merge brought, the same `git diff` when it began at
    that commit and ends at HEAD. `replaced`: githead.history_replaced, as the sync asked it."""
    from dutyctl.check import changed_days, changed_rosters

    root = workspace.root
    checked = _checked_at(workspace)
    if checked is None:
        _say_the_whole_history_checked(workspace)
        return None, None
    head = _head(root)
    if checked == head:
        return set(), set()  # nothing entered since: no commit to look into
    where = ["records", workspace.relative(workspace.rosters_dir),
             workspace.relative(workspace.config_path)]
    paths = (brought.under(where[:2], where[2:])
             if brought is not None and (brought.before, brought.head) == (checked, head)
             else None)
    if paths is None:
        descends = githead.descends(root, head, checked, replaced) if head else None
        if descends is False or (descends is None and git(
                root, "merge-base", "--is-ancestor", checked, "HEAD").returncode != 0):
            return None, None
        since = git(root, "diff", "--name-only", "-z", "--no-renames", checked, "HEAD",
                    "--", *where)
        if since.returncode != 0:
            return None, None
        paths = [name for name in since.stdout.split("\0") if name]
    return changed_days(workspace, paths), changed_rosters(workspace, paths)


def _refuse_if_check_fails(workspace, brought: _Brought | None, replaced: bool,
                           theirs: str | None = None, remote: str = "origin") -> bool:
    """Refuse (CheckFailed) a workspace with broken files among what it would push or just
    merged (`_changed_since_shared`); True when records a command left uncommitted were
    committed on the way (`_commit_left_over`). `replaced`: githead.history_replaced as the
    sync asked it once. A broken file as `theirs` (the shared branch) has it already is
    another desk's: said, never holding back this desk's records (every desk's sync
    refused until someone mended it)."""
    from dutyctl.check import check_workspace, roster_findings
    from dutyctl.workspace import Workspace

    # fresh: the merge changed files. Steps of two desks that clash are pushed all the same:
    # every desk must see them to settle them (check reports them everywhere); so are a
    # roster's findings (a short-staffed month's unfilled places, a forced override): no file
    # is broken, and a short-staffed site would otherwise never share a record again. The
    # check runs once; only a refusal adds the roster's findings it left out, so that its
    # count is the one `check` says
    fresh = Workspace(workspace.root)
    days, rosters = _changed_since_shared(fresh, brought, replaced)
    problems = check_workspace(fresh, findings=False, days=days, rosters=rosters)
    broken = [problem for problem in problems if problem.breaks_a_file]
    committed = bool(broken) and _commit_left_over(fresh)
    if committed:  # then checked again, as committed, with the days of the files it named
        if days is not None:
            from datetime import date

            from dutyctl.store.index import days_of_paths

            days = days | {date.fromisoformat(day)
                           for day in days_of_paths(problem.listed for problem in problems)}
        fresh = Workspace(workspace.root)
        problems = check_workspace(fresh, findings=False, days=days, rosters=rosters)
        broken = [problem for problem in problems if problem.breaks_a_file]
    if broken and theirs:
        broken = _not_yet_shared(workspace, broken, theirs, remote)
    if not broken:
        head = _head(workspace.root)
        if head:  # what the next sync's check starts from
            write_atomic(workspace.state_dir / CHECKED, head + "\n", rewritten=True)
        return committed
    problems = list(dict.fromkeys(problems + roster_findings(fresh)))  # as check dedupes
    if len(broken) == len(problems):
        raise CheckFailed(tn("{count} problem found by dutyctl check: nothing pushed; fix it "
                             "(dutyctl check lists it), then sync again",
                             "{count} problems found by dutyctl check: nothing pushed; fix "
                             "them (dutyctl check lists them), then sync again",
                             len(problems)), broken)
    raise CheckFailed(tn("{count} problem found by dutyctl check, {broken} of them in broken "
                         "files: nothing pushed; fix those (dutyctl check lists them), then "
                         "sync again",
                         "{count} problems found by dutyctl check, {broken} of them in broken "
                         "files: nothing pushed; fix those (dutyctl check lists them), then "
                         "sync again", len(problems), broken=len(broken)), broken)


def _not_yet_shared(workspace, broken: list[Problem], theirs: str, remote: str
                    ) -> list[Problem]:
    """The broken files' problems but those of files `theirs` has as this desk's work tree
    has them (came from another desk: pushing changes nothing of them), which are said, one
    line each. Only a file: a folder this desk cannot read holds its own records too."""
    names = sorted({problem.path.replace(os.sep, "/") for problem in broken if problem.path})
    specs = [f":(literal){name}" for name in names]
    # the work tree against theirs: an edit made here, committed or not, is this desk's
    differ = git(workspace.root, "diff", "-z", "--name-only", "--no-renames", "--relative",
                 theirs, "--", *specs)
    there = git(workspace.root, "ls-tree", "-z", theirs, "--", *specs)
    if differ.returncode != 0 or there.returncode != 0:
        return broken
    changed = set(filter(None, differ.stdout.split("\0")))
    blobs = {entry.split("\t", 1)[1] for entry in there.stdout.split("\0")
             if "\t" in entry and entry.split(None, 2)[1] == "blob"}
    theirs_too = {name for name in names if name in blobs and name not in changed}
    shared = [problem for problem in broken
              if problem.path.replace(os.sep, "/") in theirs_too]
    if shared:  # by name: a record's own line is the `skipped:` one the check said
        from dutyctl.output import visible

        files = list(dict.fromkeys(visible(problem.path) for problem in shared))
        notices.warn(tn("{files}: broken as {remote} has it (another desk's): dutyctl check "
                        "lists it; it does not hold back this desk's records",
                        "{files}: broken as {remote} has them (another desk's): dutyctl check "
                        "lists them; they do not hold back this desk's records", len(files),
                        files=t(", ").join(files), remote=remote))
    return [problem for problem in broken if problem not in shared]


def _last_line(text: str) -> str:
    return (text.strip().splitlines() or ["?"])[-1]


#: what git says when the shared repository cannot be reached, and what it means for the desk:
#: over ssh, a file path or git://, and over http(s) (a Gitea or GitLab project), where git
#: says curl's words (`Could not resolve host:`, `Couldn't connect to server`, `repository
#: '…' not found`, `could not read Username`: no password saved, and sync never prompts).
#: This computer's proxy first: curl's line about it also holds the words of a server not
#: reached (`Failed to connect to proxy …: Couldn't connect to server`).
_UNREACHABLE = (
    (r"Failed to connect to proxy|Could not resolve proxy|Received HTTP code 407 from proxy|"
     r"CONNECT tunnel failed",
     N_("this computer's proxy could not be reached or refused the connection (check this "
        "computer's proxy settings)")),
    (r"Could not resolve host", N_("the server's name is not known (no network, or the "
                                   "address is mistyped)")),
    (r"does not appear to be a git repository|repository '[^']*' not found",
     N_("no shared repository at that address")),
    (r"The requested URL returned error: 403",
     N_("this desk's user has no access to that repository (ask whoever runs the server)")),
    (r"Permission denied|Authentication failed",
     N_("the server refused this desk's key or password")),
    (r"could not read (Username|Password)",
     N_("the server asks for a user name and password, and this desk has none saved: save "
        "them once with a git credential helper")),
    (r"SSL certificate problem|server certificate verification failed",
     N_("this computer does not trust the server's certificate (ask whoever runs the "
        "server)")),
    (r"Connection timed out|Operation timed out|Timed out",
     N_("the server did not answer (no network, or it is down)")),
    (r"Connection refused",
     N_("the server refused the connection (it is down)")),
    (r"Couldn't connect to server",
     N_("could not connect to the server (no network, or the server is down)")),
    (r"remote end hung up|Connection reset|Empty reply from server",
     N_("the connection was cut off")),
)


def _git_failure(text: str) -> str:
    """Why git could not reach the shared repository: in words where git's line is a known
    one, then git's own first line (its last, "and the repository exists.", says nothing);
    an unknown one after `git said:` (git 说：), as `gitsync.git_failure` says it."""
    import re

    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0].removeprefix("fatal: ") if lines else "?"
    said = next((gettext(meaning) for known, meaning in _UNREACHABLE
                 if re.search(known, text)), None)
    return t("{meaning} (git: {line})", meaning=said, line=first) if said else \
        t("git said: {words}", words=first)
