"""Auto-commit: every command that writes commits exactly the files it wrote, authored by the
staff member who acted (the desk's own git identity, if any, is the committer)."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import time
from pathlib import Path
from typing import Iterable

from dutyctl import notices
from dutyctl.errors import EnvironmentFailure, os_reason
from dutyctl.frozen import frozen
from dutyctl.messages import t, tn
from dutyctl.store import githead, ids
from dutyctl.store.plainfile import open_own, read_plain
from dutyctl.store.storage import LOCK_NOTICE, exclusive

FALLBACK_NAME, FALLBACK_EMAIL = "dutyctl", "dutyctl@localhost"
PLACEHOLDER_DOMAIN = "dutyctl.invalid"  # RFC 2606: never a real mailbox
# every git call: no pager, no prompt, no editor, no hooks' or desk's settings that change
# what a merge or commit does (a cron job has no one to answer)
GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true", "GIT_PAGER": "cat",
           "GIT_ASKPASS": "", "SSH_ASKPASS": "", "LC_ALL": "C"}


@frozen  # not a dataclass: `dataclasses` imports `inspect`, 5 ms of every auto-commit
class Author:
    """Who a commit says did it: a staff member (name, id) with a mail address."""

    staff_id: str
    name: str
    email: str

    @classmethod
    def of_staff(cls, staff_id: str, name: str | None, domain: str | None) -> "Author":
        return cls(staff_id, _ident(name) or staff_id,
                   f"{staff_id}@{domain or PLACEHOLDER_DOMAIN}")

    def label(self) -> str:
        """How a commit message names the staff member."""
        return self.staff_id if self.name == self.staff_id else f"{self.name} ({self.staff_id})"


def _ident(name: str | None) -> str | None:
    """A name from the rules (another desk may have written it) as a git identity takes it:
    control characters shown as escapes, no line break, no <> (git's own delimiters)."""
    if not name:
        return name
    from dutyctl.output import visible

    return " ".join(visible(name).replace("<", "").replace(">", "").split())


GIT_LOCK_WAIT = 60.0  # seconds a git lock held by a running git process is waited for
STALE_LOCK_AGE = 10.0  # seconds: younger locks may belong to a git process just starting
HEAL_AFTER = 30.0  # seconds: a younger uncommitted record may be another terminal's, mid-write
#: seconds a file's time may run ahead of this clock (a file server's) and still be a save
#: of a moment ago; further ahead, a clock put back or a copy: left over
FUTURE_SLACK = 60.0


def git(root: Path, *args: str, env: dict | None = None, timeout: float | None = None,
        keep_open: tuple[int, ...] = (), detached: bool = False,
        stdin: str | None = None) -> subprocess.CompletedProcess:
    """stdin: what git reads (else nothing). keep_open: file descriptors the git child inherits (the commit lock: a git outliving a
    killed dutyctl keeps holding it, so no other commit starts under its feet).
    detached: for a git that writes much (a merge): its output goes to temporary files, not
    pipes, and it runs in a session of its own, so it finishes what it began when dutyctl is
    killed or Ctrl-C'd meanwhile (printing to a pipe nobody reads, git dies of SIGPIPE half
    way: the working tree written, the merge never recorded)."""
    environment = {**os.environ, **GIT_ENV, **(env or {})}
    if any("\0" in value for value in (*args, *environment.values())):  # no process takes one
        args = tuple(value.replace("\0", "\\0") for value in args)
        environment = {key: value.replace("\0", "\\0") for key, value in environment.items()}
    try:
        if detached:
            return _git_detached(["git", "-C", str(root), *args], environment, timeout,
                                 keep_open)
        # git's names and messages are UTF-8 bytes, whatever the locale's encoding (cp936 on
        # a Chinese Windows would turn a commit message fed on stdin into mojibake); a name
        # in other bytes goes back and forth unchanged (surrogateescape)
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              encoding="utf-8", errors="surrogateescape",
                              env=environment, input=stdin,
                              stdin=subprocess.DEVNULL if stdin is None else None,
                              timeout=timeout, pass_fds=keep_open)
    except OSError as exc:  # no git on this machine: the records are saved all the same
        return subprocess.CompletedProcess(["git", *args], 127, "", f"git: {os_reason(exc)}")
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(["git", *args], 124, "", t("git: timed out"))


def _git_detached(command: list[str], environment: dict, timeout: float | None,
                  keep_open: tuple[int, ...]) -> subprocess.CompletedProcess:
    """git.detached: output to unnamed temporary files, read back once git is done."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        done = subprocess.run(command, stdout=out, stderr=err, env=environment,
                              stdin=subprocess.DEVNULL, timeout=timeout, pass_fds=keep_open,
                              start_new_session=True)
        said = []
        for file in (out, err):
            file.seek(0)
            said.append(file.read(1 << 20).decode("utf-8", "replace").replace("\r\n", "\n"))
    return subprocess.CompletedProcess(command, done.returncode, said[0], said[1])


def identity_env(root: Path, author: Author | None, cache_dir: Path | None = None) -> dict:
    """The staff member as author; the desk's git identity as committer, else 'dutyctl'.
    cache_dir: `Workspace.cache_dir`, which keeps whether the desk has an identity (None:
    git is asked every time)."""
    env = {}
    if not desk_has_identity(root, cache_dir):
        env.update(GIT_COMMITTER_NAME=FALLBACK_NAME, GIT_COMMITTER_EMAIL=FALLBACK_EMAIL,
                   GIT_AUTHOR_NAME=FALLBACK_NAME, GIT_AUTHOR_EMAIL=FALLBACK_EMAIL)
    if author is not None:
        env.update(GIT_AUTHOR_NAME=author.name, GIT_AUTHOR_EMAIL=author.email)
    return env


IDENTITY_CACHE = "git-identity.marshal"
CONFIG_READ_LIMIT = 1 << 20  # bytes: a bigger git config is asked about every time
YES, NO, ASK = "yes", "no", "ask"  # what the cache keeps; ASK: an `include` may bring it
# a file whose time has a fraction of a second is on a file system whose clock does (ext4,
# xfs, btrfs, tmpfs, APFS, NTFS: a tick of at most a few ms, exFAT's 10 ms): its next edit
# gets another time once this has passed
RACY_FINE_SECONDS = 0.1


def desk_has_identity(root: Path, cache_dir: Path | None) -> bool:
    """`git config user.email` gives one. Asked once per change of git's config files (their
    stat and the GIT_* variables are the cache's stamp), not once per commit; every time
    when a config file includes another one (whose changes the stamp would not see)."""
    stamp = _config_stamp(root) if cache_dir is not None else None
    if stamp is None:
        return _has_email(root)
    from dutyctl.yamlcache import CACHE_FOLDER, read_stamped, workspace_key, write_stamped

    cache = cache_dir / CACHE_FOLDER / IDENTITY_CACHE
    known = read_stamped(cache, stamp, workspace_key(cache_dir))
    if known not in (YES, NO, ASK):
        known = ASK if _may_include(stamp) else YES if _has_email(root) else NO
        if not _just_changed(stamp):
            write_stamped(cache, stamp, known, workspace_key(cache_dir, create=True))
    return _has_email(root) if known == ASK else known == YES


def _has_email(root: Path) -> bool:
    return bool(git(root, "config", "user.email").stdout.strip())


def _git_program() -> str | None:
    """git as PATH finds it: shutil.which without importing shutil (and the compression
    modules it loads, 2-3 ms of every auto-commit), except where PATHEXT matters."""
    if os.name == "nt":
        import shutil

        return shutil.which("git")
    for folder in os.get_exec_path():
        candidate = os.path.join(folder, "git")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _config_stamp(root: Path) -> tuple | None:
    """The state of everything `git config user.email` reads in root; None when root's git
    folder is not plainly known (githead.git_dir: GIT_DIR set, a workspace in a folder of a
    bigger repository)."""
    env = os.environ
    folder = githead.git_dir(root)
    if folder is None:
        return None
    files = [githead.common_dir(folder) / "config", folder / "config.worktree"]
    if env.get("GIT_CONFIG"):  # `git config` reads this file alone
        files.append(Path(env["GIT_CONFIG"]))
    files += _global_files(env)
    program = _git_program()  # the system file is under git's own prefix (or /etc)
    files += [Path(env.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig"),
              Path(env.get("PROGRAMDATA") or "/", "Git", "config")]
    if program:
        files.append(Path(program).parent.parent / "etc" / "gitconfig")
    seen = []
    for path in files:
        try:
            info = os.stat(path)
            seen.append((str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                         info.st_ino, info.st_dev))
        except FileNotFoundError:
            seen.append((str(path),))
        except OSError:
            return None
    variables = sorted((name, value) for name, value in env.items()
                       if name.startswith("GIT_") or name in ("HOME", "XDG_CONFIG_HOME",
                                                              "USERPROFILE"))
    return (1, program, tuple(variables), tuple(seen))


def _global_files(env) -> list[Path]:
    """The user's config files: the one GIT_CONFIG_GLOBAL names, else XDG's and ~/.gitconfig
    (XDG's is read with HOME unset too)."""
    if "GIT_CONFIG_GLOBAL" in env:
        return [Path(env["GIT_CONFIG_GLOBAL"])]
    home = env.get("HOME") or env.get("USERPROFILE")
    xdg = env.get("XDG_CONFIG_HOME") or (home and os.path.join(home, ".config"))
    return ([Path(xdg, "git", "config")] if xdg else []) + (
        [Path(home, ".gitconfig")] if home else [])


def _just_changed(stamp: tuple) -> bool:
    """A config file changed within yamlcache.RACY_SECONDS (RACY_FINE_SECONDS when its time
    has a fraction of a second: a fine clock): the file system's clock could give its next
    edit the same stamp (git's "racy" files), so the answer is not kept
    (`yamlcache.just_changed`)."""
    from dutyctl.yamlcache import just_changed

    now = time.time_ns()
    return any(found and just_changed(found[1], now, RACY_FINE_SECONDS)
               for _, *found in stamp[3])


def _may_include(stamp: tuple) -> bool:
    """A config file of the stamp (or a -c/GIT_CONFIG_* setting) names another file."""
    if any("include" in value.lower() for _, value in stamp[2]):
        return True
    for path, *found in stamp[3]:
        if found:
            try:
                with open(path, "rb") as handle:
                    text = handle.read(CONFIG_READ_LIMIT + 1)
            except OSError:
                return True
            if len(text) > CONFIG_READ_LIMIT or b"include" in text.lower():
                return True
    return False


def commit(root: Path, paths: list[Path], message: str, lock_dir: Path | None,
           author: Author | None = None, stamped: bool = True,
           language: str | None = None, cache_dir: Path | None = None) -> bool:
    """Commit `paths` alone, after any record files an earlier command saved but never
    committed (a crash, a full disk). False (with one warning line) when it could not: the
    next command commits them. lock_dir None: nobody else can be writing yet (a workspace
    being created). stamped: every record file among `paths` moved its month's and year's
    folder mtimes (Store._written), so the index finds it without asking git; only then is
    a commit that only added files noted for the index (githead.note_if_added_only).
    language: the commit messages' (messages.commit_language), for the one this writes itself
    (record files an earlier command left uncommitted); None: the current one.
    cache_dir: `Workspace.cache_dir`, where whether the desk has a git identity is kept
    (None: git is asked); lock_dir is the state folder itself, whose lock refuses clearly."""
    if not paths:
        return True
    # a step's path as a record read back gives it (Event.path) is the workspace's, not the
    # current folder's: `备班 出勤 --突发` run from outside the workspace (--root)
    paths = [Path(path) if Path(path).is_absolute() else root / path for path in paths]
    if lock_dir is None:
        return _add_and_commit(root, paths, message, identity_env(root, author)) is not None
    env = identity_env(root, author, cache_dir)  # outside the lock, which other desks wait on
    if author is not None:
        message = f"{message} — {author.label()}"
    # several terminals at one desk: git's own index.lock would make concurrent commits fail
    try:
        with exclusive(lock_dir / "git.lock", wait=GIT_LOCK_WAIT) as lock:
            keep = lock.keep
            if merging(root):
                return _leave_for_after_the_merge()
            if rebasing(root):
                return _leave_for_after_the_rebase()
            looked_at = _look_begins(lock_dir)
            read: dict = {}  # HEAD's trees, read once for the look and the commit
            new = _new_since_the_last_look(root, lock_dir, paths, keep, read)
            _commit_leftovers(root, paths, new, keep, cache_dir, language)
            noting = stamped and new is not None and _only_new(root, paths, new)
            start = githead.head(root) if noting else None
            index_before = githead.index_stamp(root) if noting else None
            made = _add_and_commit(root, paths, message, env, keep, lock_dir, read)
            if made is None:
                return False
            if noting and made is MADE:
                githead.note_if_added_only(root, lock_dir, start, index_before)
            if new is not None:
                _note_the_look(root, lock_dir, min(looked_at, _oldest_other(root, new, paths)))
            return True
    except EnvironmentFailure as exc:  # e.g. .dutyctl is a file: no lock, so no commit
        return _warn(str(exc))


def _leave_for_after_the_merge() -> bool:
    """While someone settles a conflict by hand (a merge under way), git commits nothing but
    the merge, and staging the record for it would lose it if the merge is aborted (`git
    merge --abort` deletes the new files it had staged). So the record is left untracked: an
    abort leaves it be, and the first dutyctl command or sync after the merge commits it as a
    leftover (_commit_leftovers). The desk is told so in one line (not git's "cannot do a
    partial commit during a merge")."""
    notices.warn(t("dutyctl: a merge is under way in this workspace (git pull stopped at a "
                   "conflict): the record is saved, and the first dutyctl command or sync "
                   "after the merge (git commit, or git merge --abort) commits it"))
    return False


def _leave_for_after_the_rebase() -> bool:
    """As during a merge: while `git pull --rebase` is stopped at a conflict, HEAD is
    detached and a commit made there is dropped by `git rebase --abort` (a call logged then
    vanished, its file deleted). The record is left untracked, and the first dutyctl command
    or sync after the rebase commits it (_commit_leftovers)."""
    notices.warn(t("dutyctl: a git rebase is under way in this workspace (git pull --rebase "
                   "stopped at a conflict): the record is saved, and the first dutyctl command "
                   "or sync after it (git rebase --abort) commits it"))
    return False


def commit_left_over(root: Path, lock_dir: Path, cache_dir: Path | None = None,
                     language: str | None = None, at_once: bool = False,
                     alerts: str | None = None) -> bool:
    """Commit the record files earlier commands saved but never committed (a crash; a record
    saved while a merge was under way), and the alerts a stopped watch left, as a command's
    commit does first: `sync` calls it before it checks the workspace, which would otherwise
    refuse them. True when they are committed now, by it or, waited for, by the commands
    that saved them (the check that refused them is then stale: 13 records of a burst of
    writes were said as problems to fix, none left); none left over: False. Nothing while a
    merge is under way; a failure is one warning line. `at_once` (sync, the git lock free): the young ones saved before a merge
    commit HEAD is are committed too (a record saved while a merge was settled by hand, that
    merge committed, sync run at once); a young one saved since may be another terminal's
    between its save and its own commit (a command saves before it takes the lock), so it
    waits for HEAL_AFTER as ever. `alerts`: the deadline watch's folder (notify.ALERTS_DIR),
    whose files left over are committed too."""
    from dutyctl.store.storage import try_exclusive

    since_merge = _since_the_merge(root) if at_once else HEAL_AFTER
    waited = _wait_for_young_records(root, since_merge) if at_once else None
    try:
        free = try_exclusive(lock_dir / "git.lock") if at_once else None
        older_than = since_merge if free is not None else HEAL_AFTER
        with free if free is not None else exclusive(lock_dir / "git.lock",
                                                     wait=GIT_LOCK_WAIT) as lock:
            if merging(root) or rebasing(root):
                return False
            new = _new_under_records(root)
            records = _commit_leftovers(root, [], new, lock.keep, cache_dir, language,
                                        older_than, (waited or set()) & (new or set()))
            raised = alerts is not None and _commit_alerts_left(root, alerts, lock.keep,
                                                                cache_dir, language)
            # records waited for were committed meanwhile by the commands that saved them
            return records or raised or waited is not None
    except EnvironmentFailure as exc:
        _warn(str(exc))
        return False


def alerts_left_over(root: Path, folder: str) -> list[str]:
    """The deadline watch's alert files (under `folder`, relative to root) saved HEAL_AFTER
    seconds ago or more and never committed: a watch stopped between its write and its
    commit (a kill, a cron timeout), or run while a pull stopped at a conflict. `check`
    calls them not shared, so every later sync refused to push until someone ran `git add`;
    and deleting them, as it suggests, pages everyone again."""
    if merging(root) or rebasing(root):
        return []  # what the merge staged is another desk's, committed with the merge
    return _alerts_older(root, folder)


def _alerts_older(root: Path, folder: str) -> list[str]:
    """alerts_left_over once no merge or rebase is known to be under way."""
    found = _new_files_listed(root, (folder,))  # named from root, a subfolder of its repo too
    if found is None:
        return []
    return _records_older(root, found, HEAL_AFTER, named=lambda name: name.endswith(".yaml"))


def _commit_alerts_left(root: Path, folder: str, keep: tuple[int, ...],
                        cache_dir: Path | None, language: str | None) -> bool:
    """Commit alerts_left_over, alone, with the git lock held (`keep`) and no merge or rebase
    under way (commit_left_over looked); True when some were."""
    left = _alerts_older(root, folder)
    if not left:
        return False
    from dutyctl.messages import speaking

    with speaking(language):
        message = tn("dutyctl notify watch: {count} alert left uncommitted earlier",
                     "dutyctl notify watch: {count} alerts left uncommitted earlier", len(left))
    made = _add_and_commit(root, [root / name for name in left], message,
                           identity_env(root, None, cache_dir), keep)
    return made is not None


def _wait_for_young_records(root: Path, older_than: float) -> set[str] | None:
    """Wait (saying so once) until the record files saved less than `older_than` seconds ago
    and not committed are committed by the command that saved them, or are old enough to be
    left over: sync, run seconds after a command was interrupted between its save and its
    commit, refused the record as not shared (`check`'s problem) where a wait of at most
    HEAL_AFTER lets it commit and send it. None when there was none to wait for; else those
    still not committed after the wait (none: their commands committed them)."""
    new = _new_under_records(root) or set()
    now = time.time()
    # a time far ahead of the clock (a clock put back, a copy keeping its times) is no
    # command's save a moment ago: left over (_records_older), never waited for; a little
    # ahead (a file server's clock) is one
    young = {name: max(0.0, now - info.st_mtime) for name, info in _record_stats(root, new)
             if -FUTURE_SLACK <= now - info.st_mtime < older_than}
    if not young:
        return None
    wait = older_than - min(young.values())
    notices.warn(tn("dutyctl: a record saved {seconds} s ago is not committed yet: waiting "
                    "{wait} s for the command that saved it, then the sync goes on with it",
                    "dutyctl: {count} records saved in the last {seconds} s are not committed "
                    "yet: waiting {wait} s for the commands that saved them, then the sync goes "
                    "on with them",
                    len(young), seconds=round(max(young.values())), wait=round(wait + 0.5)))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        if not young.keys() & (_new_under_records(root) or set()):
            return set()
    return set(young)  # waited for in vain: left over, whatever their time says


def commit_staged_records(root: Path, keep: tuple[int, ...], cache_dir: Path | None = None,
                          language: str | None = None) -> bool:
    """Commit the new record files git has staged (a command's `git add` done, its `git
    commit` failed: an index.lock another program held, a kill), as a leftover commit; True
    when some were committed and nothing is staged any more. Only with the git lock held
    (`keep`): no dutyctl command is between its add and its commit then, so every staged
    record is left over."""
    added = git(root, "diff", "--cached", "--name-only", "--relative", "--diff-filter=A", "-z",
                "--", "records")
    if added.returncode != 0 or not added.stdout.strip("\0"):
        return False
    if not _commit_leftovers(root, [], set(added.stdout.split("\0")), keep, cache_dir,
                             language, 0.0):
        return False
    return git(root, "diff", "--cached", "--quiet").returncode == 0


def _since_the_merge(root: Path) -> float:
    """How old a record must be to count as left over when HEAD is a merge commit: saved
    before that commit (its age, at most HEAL_AFTER); HEAL_AFTER when HEAD is no merge."""
    shown = git(root, "log", "-1", "--format=%ct %P", "HEAD")
    fields = shown.stdout.split() if shown.returncode == 0 else []
    if len(fields) < 3 or not fields[0].isdigit():  # not a merge: a time and two parents
        return HEAL_AFTER
    # a commit's time is in whole seconds: a record saved within its second counts as before
    return min(HEAL_AFTER, max(0.0, time.time() - int(fields[0]) - 1))


def _absolute(path: Path | str) -> str:
    return str(Path(path).resolve())


def _only_new(root: Path, paths: list[Path], new: set[str]) -> bool:
    """Every one of `paths` under records/ is a file git did not have: committing them only
    adds files (what the index needs no `git diff` for)."""
    top = root.resolve()
    for path in paths:
        try:
            name = Path(path).resolve().relative_to(top).as_posix()
        except ValueError:
            return False
        if name.startswith("records/") and name not in new:
            return False
    return True


NOTHING_TO_COMMIT = ("nothing to commit", "nothing added to commit", "no changes added to commit")
MADE, ALREADY = "made", "already"  # _add_and_commit: a commit made, or none needed
GAVE_UP = "gave up"  # _plumbed_commit: git's index lock stayed taken (said so)


def _add_and_commit(root: Path, paths: list[Path], message: str, env: dict,
                    keep: tuple[int, ...] = (), state_dir: Path | None = None,
                    read: dict | None = None) -> str | None:
    """Commit these paths alone, through git's plumbing (`_plumbed_commit`), else by `git add`
    and `git commit` in an unusual state of git: MADE, ALREADY (committed already, by a
    command that found them left over, or by someone's `git commit -a`), None (failed, with
    a warning). Git's index lock, when it is in the way, is cleared (stale) or waited for
    (live) before one more try. The message names what files another desk wrote name (a
    staff member, a category): its control and bidi characters are written visibly escaped
    (safetext.one_line), as `git log` would print them raw; so are its line breaks and tabs,
    as every message dutyctl writes is one subject line (a name's line break would start a
    body or a forged trailer such as `Signed-off-by:`). state_dir: where the trees of this
    desk's last commit are kept (_kept_trees), None: not kept; read: HEAD's trees read
    already (_head_trees)."""
    from dutyctl.safetext import one_line

    message = one_line(message)
    names = [_absolute(path) for path in paths]  # git -C root: no relative paths
    plumbed = _plumbed_commit(root, names, message, env, keep, state_dir, read)
    if plumbed is not None:
        return None if plumbed is GAVE_UP else plumbed
    added = _past_stale_lock(root, ("add", "--", *names), "index.lock", keep=keep)
    if added is None:
        return None
    if added.returncode != 0:
        return _warn(added.stderr) or None
    commit = ("commit", "-q", "--no-verify", "-m", message, "--", *names)
    # HEAD's or the branch's lock, left stale
    done = _past_stale_lock(root, commit, ".lock", env=env, keep=keep)
    if done is None:
        return None
    if done.returncode != 0:
        output = done.stderr + done.stdout
        if any(words in output for words in NOTHING_TO_COMMIT):
            return ALREADY
        return _warn(output) or None
    return MADE


def _past_stale_lock(root: Path, args: tuple[str, ...], lock: str, env: dict | None = None,
                     keep: tuple[int, ...] = ()) -> subprocess.CompletedProcess | None:
    """git `args`, run once more where it failed on a `lock` file (`index_lock_free` removes a
    stale one, waits for a live one): its result, or None where the lock stayed taken."""
    result = git(root, *args, env=env, keep_open=keep)
    if result.returncode != 0 and lock in result.stderr:
        if not index_lock_free(root):
            return None
        result = git(root, *args, env=env, keep_open=keep)
    return result


# -- committing through git's plumbing ----------------------------------------------------

# `git commit -- FILE` costs the whole work tree (it stats every tracked file and writes git's
# index twice: 0.9 s on 3 years of records); a commit that adds a few files to HEAD's tree
# costs the folders on their way: their trees are read (cat-file), rebuilt (mktree) and
# committed (commit-tree), and the branch moves from the commit the new one is made on
# (update-ref with the old value: a commit someone else made meanwhile is never overwritten).
# Anything unusual (see _plain_head) takes `git add` + `git commit -- FILE` as before.
UNUSUAL_STATES = ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG",
                  "rebase-merge", "rebase-apply", "sequencer")
FOLDER = "40000"
KINDS = {FOLDER: "tree", "160000": "commit"}  # the object a mode names (else a blob)
LOOSE_OBJECTS_LOOK = 27  # in objects/17: git's own gc --auto estimate (6,700 / 256)


def _plumbed_commit(root: Path, names: list[str], message: str, env: dict,
                    keep: tuple[int, ...], state_dir: Path | None = None,
                    read: dict | None = None) -> str | None:
    """Commit `names` (absolute paths of files in root) on HEAD without `git commit`: MADE,
    ALREADY (HEAD has them as they are), GAVE_UP (git's index lock stayed taken: warned), or
    None when this way does not apply (an unusual state, a step git refused) and `git add` +
    `git commit` should do it. Only the files named change in git's index, each staged
    first as `git add` does (a crash before the branch moves leaves them staged as new: a
    leftover the next command commits), so what the user staged stays staged and out of the
    commit."""
    plain = _plain_head(root, names)
    if plain is None:
        return None
    old, relative = plain
    try:
        made = _commit_object(root, old, relative, message, env, keep, state_dir, read)
    except UnicodeEncodeError:  # a name no tree entry can hold as text: git add does it
        return None
    if made in (None, GAVE_UP, ALREADY):
        return made
    subject = _cleaned(message)
    update = ("update-ref", "-m", f"commit: {subject.splitlines()[0]}", "HEAD", made, old)
    moved = _past_stale_lock(root, update, ".lock", keep=keep)
    if moved is None:
        return GAVE_UP
    if moved.returncode != 0:  # HEAD moved meanwhile: git commit makes it on the new one
        return None
    _collect_garbage_now_and_then(root)
    return MADE


def _commit_object(root: Path, old: str, relative: list[str], message: str, env: dict,
                   keep: tuple[int, ...], state_dir: Path | None = None,
                   read: dict | None = None) -> str | None:
    """_plumbed_commit's steps before the branch moves: the files staged, their folders'
    trees made, the commit object on `old` written; its id, else GAVE_UP, ALREADY or None
    (as _plumbed_commit). UnicodeEncodeError: a name that cannot be encoded on the way."""
    before = _file_stamps(root, relative)
    added = _past_stale_lock(root, ("update-index", "--add", "--", *relative), "index.lock",
                             keep=keep)
    if added is None:  # said so: waited for as long as git add would be
        return GAVE_UP
    if added.returncode != 0:
        return None
    folders = _with_parents({name.rpartition("/")[0] for name in relative})
    trees = _head_trees(root, old, folders, state_dir, keep, read)
    if trees is None:
        return None
    blobs = (_hashed_as_staged(root, relative, before, folders, trees, len(old), keep)
             or _staged_as(root, relative, len(old), keep))
    if blobs is None:
        return None
    tree = _new_tree(root, old, blobs, folders, trees, keep, state_dir)
    if tree is None or tree == ALREADY:
        return tree
    made = git(root, "commit-tree", tree, "-p", old, env=env, keep_open=keep,
               stdin=_cleaned(message) + "\n").stdout.strip()
    return made if len(made) == len(old) else None


# What update-index staged, known without `ls-files -s` (which reads git's whole index again:
# 0.05 s on 3 years): `git hash-object` of the same files (no index read) gives the blobs
# update-index made of them when no file changed in between (its inode, size, mtime and
# ctime the same before update-index and after hash-object: git's own test of a file
# unchanged), both taking the same attributes (the work tree's .gitattributes, info/
# attributes, core.attributesFile, core.autocrlf); and the mode, 100644 for a file that is
# not executable, unless git keeps an existing entry's (core.fileMode=false). So the index is
# asked when HEAD has one of the files in another mode, or a .gitattributes on their way that
# the work tree lacks (update-index would read the index's copy of it). What HEAD's trees do
# not tell: a mode or a .gitattributes someone staged and never committed. hash-object does
# not write the blob: mktree refuses an entry whose object is missing, so a blob update-index
# did not make (a filter it applied, this did not) is mostly caught there too (git add does it).
HASHED_MODE = "100644"


def _file_stamps(root: Path, relative: list[str]) -> list[tuple] | None:
    """(inode, size, mtime, ctime) of each file; None when one cannot be read."""
    try:
        return [(info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
                for info in (os.lstat(root / name) for name in relative)]
    except OSError:
        return None


def _hashed_as_staged(root: Path, relative: list[str], before: list[tuple] | None,
                      folders: list[str], trees: dict, length: int,
                      keep: tuple[int, ...]) -> dict[str, tuple[str, str]] | None:
    """_staged_as's answer from `git hash-object` of the files (see above); None when it
    may not be the index's (then the index is asked). `folders`: those on their way
    (_with_parents), `trees`: HEAD's trees of them (_head_trees)."""
    if before is None:
        return None
    for name in relative:
        folder, _, leaf = name.rpartition("/")
        head_entry = trees[folder].get(leaf.encode())
        if head_entry is not None and head_entry[0] != HASHED_MODE:
            return None
    for folder in folders:
        if (b".gitattributes" in trees[folder]
                and not os.path.lexists(root / folder / ".gitattributes")):
            return None
    hashed = git_bytes(root, "hash-object", "--", *relative, timeout=GIT_LOCK_WAIT,
                       keep_open=keep)
    if hashed is None or _file_stamps(root, relative) != before:
        return None
    hashed_ids = hashed.decode("ascii", "replace").split()
    if len(hashed_ids) != len(relative) or any(len(oid) != length for oid in hashed_ids):
        return None
    return {name: (HASHED_MODE, oid) for name, oid in zip(relative, hashed_ids)}


def _staged_as(root: Path, relative: list[str], length: int,
               keep: tuple[int, ...] = ()) -> dict[str, tuple[str, str]] | None:
    """{name: (mode, blob)} of `relative` as git's index has them now (update-index just
    staged them): the tree gets what the index has, so HEAD and the index agree on each file
    (its mode kept, as core.fileMode=false keeps 100755; the content git hashed once, even if
    the file changed since). None: git could not tell, or one is not staged plainly."""
    listed = git_bytes(root, "--literal-pathspecs", "ls-files", "-s", "-z", "--", *relative,
                       timeout=GIT_LOCK_WAIT, keep_open=keep)
    if listed is None:
        return None
    wanted, found = {os.fsencode(name): name for name in relative}, {}
    for entry in listed.split(b"\0"):
        info, _, name = entry.partition(b"\t")
        fields = info.split(b" ")
        if name not in wanted:
            continue
        if (len(fields) != 3 or fields[2] != b"0" or fields[0] not in (b"100644", b"100755")
                or len(fields[1]) != length or wanted[name] in found):
            return None
        found[wanted[name]] = (fields[0].decode("ascii"), fields[1].decode("ascii"))
    return found if len(found) == len(relative) else None


def _plain_head(root: Path, names: list[str]) -> tuple[str, list[str]] | None:
    """(HEAD's commit, the names relative to root) when root is its repository's top, HEAD is
    on a branch with a commit, no merge, cherry-pick, revert, rebase or bisect is under way,
    and every name is a plain file of root, not executable; else None. (`names` are resolved
    already, _absolute: a symbolic link a caller names is committed as the file it leads to,
    as `git add` of the resolved path did before; dutyctl never writes a link.)"""
    folder = githead.git_dir(root)
    if folder is None or githead.branch(root) is None:  # detached, or not plainly known
        return None
    old = githead.head(root)  # None: an unborn branch (the first commit)
    if old is None or any(os.path.lexists(folder / state) for state in UNUSUAL_STATES):
        return None
    top, relative = root.resolve(), []
    for name in names:
        try:
            info = os.lstat(name)
            part = Path(name).relative_to(top).as_posix()
        except (OSError, ValueError):
            return None
        if (not stat.S_ISREG(info.st_mode) or info.st_mode & 0o111 or "\n" in part
                or part.startswith(('"', ".git/")) or part == ".git"):
            return None
        relative.append(part)
    return old, relative


def _with_parents(folders: Iterable[str]) -> list[str]:
    """The `folders` (relative to root, "" its top) and every folder above them, the deepest
    first: the folders on the way to what a commit changes, whose trees it makes anew (a
    folder's tree id goes in its parent's)."""
    found = {""}
    for folder in folders:
        parts = folder.split("/") if folder else []
        found.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return sorted(found, key=lambda folder: (-len(folder.split("/")) if folder else 0, folder))


def _head_trees(root: Path, old: str, folders: list[str], state_dir: Path | None,
                keep: tuple[int, ...], read: dict | None = None) -> dict | None:
    """Commit `old`'s trees of `folders` (_trees' answer), each folder's entries to read,
    not change (`_new_tree` changes copies): from `read` when it holds them all for `old`
    (the look for leftovers and the commit ask the same folders of the same HEAD), else
    kept by the desk's last commit (_kept_trees, with `state_dir`), else one `git cat-file
    --batch`; kept in `read` for the rest of the commit. None: git could not tell (as
    _trees)."""
    known = read.get(old) if read is not None else None
    if known is None or not known.keys() >= set(folders):
        known = (_kept_trees(root, old, folders, state_dir) if state_dir is not None
                 else None) or _trees(root, old, folders, keep)
        if known is None:
            return None
        if read is not None:
            read.clear()
            read[old] = known
    return {**{folder: known[folder] for folder in folders}, ALREADY: known[ALREADY]}


def _new_tree(root: Path, old: str, blobs: dict[str, tuple[str, str]], folders: list[str],
              trees: dict, keep: tuple[int, ...], state_dir: Path | None = None) -> str | None:
    """The tree of `old` with `blobs` (relative name: (mode, blob id)) in it, written by
    mktree; ALREADY when that is old's tree itself; None when git could not tell or did not
    agree. `folders`: those on the blobs' way, the deepest first; `trees`: old's trees of
    them (_head_trees), copied here to be changed. state_dir: the folders' new trees are
    kept there for the next commit, which is made on this one's (_kept_trees)."""
    old_tree = trees.get(ALREADY)
    trees = {folder: dict(trees[folder]) for folder in folders}
    for name, entry in blobs.items():
        folder, _, leaf = name.rpartition("/")
        trees[folder][leaf.encode()] = entry
    written, bodies, batch = {}, {}, []
    for folder in folders:  # the deepest first: a folder's id is in its parent's tree
        entries = trees[folder]
        bodies[folder] = _tree_body(entries)
        written[folder] = _tree_id(bodies[folder], old)
        try:
            batch.append("".join(f"{mode} {KINDS.get(mode, 'blob')} {oid}\t{leaf.decode()}\0"
                                 for leaf, (mode, oid) in entries.items()) + "\0")
        except UnicodeDecodeError:
            return None  # a name git keeps in bytes that are no UTF-8: git commit does it
        if folder:
            parent, _, leaf = folder.rpartition("/")
            trees[parent][leaf.encode()] = (FOLDER, written[folder])
    if written[""] == old_tree:
        return ALREADY
    made = git(root, "mktree", "-z", "--batch", stdin="".join(batch), keep_open=keep)
    if made.returncode != 0 or made.stdout.split() != [written[f] for f in folders]:
        return None  # git hashes otherwise: let git commit do it
    if state_dir is not None:
        _keep_trees(state_dir, bodies)
    return written[""]


# The trees a plumbed commit made, kept for the next one: made on that commit, it needs the
# same folders' trees (the same day's, its month's and year's, records/, the top), which
# then come without `git cat-file`. The file is the state folder's, yet it may come from
# anywhere (a merge, a damaged disk): it holds each folder's tree as git's own bytes, read
# with a bound and parsed by hand; each is hashed again and must be the one its parent
# names, up to the tree of the commit HEAD is (read from its loose object), before it is
# parsed (_tree_entries): a kept file that does not match is never used, and none can
# make a commit fail.
# in the state folder: KEPT_HEADER, then per folder its name (UTF-8), NUL, the size of its
# tree in ASCII digits, a line break, and the tree object's body as git hashes it
KEPT_TREES = "commit-trees"
KEPT_HEADER = b"dutyctl commit trees 1\n"
KEPT_LIMIT = 1 << 20  # bytes: bigger trees are not kept (git is asked)


def _keep_trees(state_dir: Path, bodies: dict[str, bytes]) -> None:
    """The trees of these folders (folder: a tree object's body) kept for _kept_trees."""
    from dutyctl.caches import write_whole

    try:
        data = KEPT_HEADER + b"".join(b"%s\0%d\n%s" % (folder.encode(), len(body), body)
                                      for folder, body in bodies.items())
    except UnicodeEncodeError:
        data = b""
    if not data or len(data) > KEPT_LIMIT:
        with contextlib.suppress(OSError):
            (state_dir / KEPT_TREES).unlink()
        return
    write_whole(state_dir / KEPT_TREES, data)


def _kept_bodies(path: Path) -> dict[str, bytes] | None:
    """The trees _keep_trees kept in `path` (folder: a tree object's body, not checked yet);
    None when it is missing, too big, no plain file (the bounded reader: a link or FIFO is
    never opened) or not in that form: any of these only means asking git, as for a cache."""
    from dutyctl.store.plainfile import read_plain

    try:
        data = read_plain(path, KEPT_LIMIT)[0]
    except OSError:
        return None
    if len(data) > KEPT_LIMIT or not data.startswith(KEPT_HEADER):
        return None
    bodies, at = {}, len(KEPT_HEADER)
    while at < len(data):
        nul = data.find(b"\0", at)
        end = data.find(b"\n", nul + 1) if nul >= 0 else -1
        size = data[nul + 1:end]
        if end < 0 or not size.isdigit() or len(size) > 9 or end + 1 + int(size) > len(data):
            return None
        try:
            bodies[data[at:nul].decode("utf-8")] = data[end + 1:end + 1 + int(size)]
        except UnicodeDecodeError:
            return None
        at = end + 1 + int(size)
    return bodies


def _kept_trees(root: Path, old: str, folders: list[str], state_dir: Path) -> dict | None:
    """_trees' answer from the trees kept by the commit `old` was made by (_keep_trees);
    None when they are not old's or lack a folder asked (then git is asked)."""
    tree = githead.tree_of(root, old)
    if tree is None:
        return None
    kept = _kept_bodies(state_dir / KEPT_TREES)
    if kept is None:
        return None
    found = {ALREADY: tree}
    for folder in sorted(set(folders) | {""}, key=lambda name: name.count("/") if name else -1):
        parent, _, leaf = folder.rpartition("/")
        if folder and parent not in found:
            return None
        named = (FOLDER, tree) if not folder else found[parent].get(leaf.encode())
        if named is None:
            found[folder] = {}  # not in old: a new folder
            continue
        body = kept.get(folder)
        if named[0] != FOLDER or body is None or _tree_id(body, old) != named[1]:
            return None  # a file where a folder goes (git says so too), not kept, not this
        try:
            found[folder] = _tree_entries(body, len(old) // 2)
        except ValueError:
            return None
    return {name: found[name] for name in (*folders, ALREADY)}


def _tree_body(entries: dict[bytes, tuple[str, str]]) -> bytes:
    """The body of the tree object with these entries (name: (mode, id)), in git's order."""
    return b"".join(mode.encode() + b" " + leaf + b"\0" + bytes.fromhex(oid)
                    for leaf, (mode, oid) in sorted(entries.items(), key=_tree_order))


def _tree_id(body: bytes, old: str) -> str:
    """The id git gives the tree with this body, in the repository of commit `old`: SHA-1 or
    SHA-256 by the length of its id."""
    import hashlib

    algorithm = hashlib.sha1 if len(old) == 40 else hashlib.sha256
    return algorithm(b"tree %d\0" % len(body) + body).hexdigest()


def _tree_entries(body: bytes, size: int) -> dict[bytes, tuple[str, str]]:
    """The entries (name: (mode, id)) of a tree object's body, ids of `size` bytes;
    ValueError when it is not one."""
    entries, place = {}, 0
    while place < len(body):
        space, nul = body.index(b" ", place), body.index(b"\0", place)
        if not space < nul or nul + 1 + size > len(body):
            raise ValueError("not a tree")
        mode = body[place:space].decode("ascii")
        entries[body[space + 1:nul]] = (mode, body[nul + 1:nul + 1 + size].hex())
        place = nul + 1 + size
    return entries


def _tree_order(entry: tuple[bytes, tuple[str, str]]) -> bytes:
    """git's order of a tree's entries: by name, a folder's as if it ended in '/'."""
    leaf, (mode, _) = entry
    return leaf + b"/" if mode == FOLDER else leaf


def _trees(root: Path, old: str, folders: list[str],
           keep: tuple[int, ...]) -> dict | None:
    """{folder: {name: (mode, id)}} of commit `old` (a folder it lacks: empty), in one
    `git cat-file --batch`; under the key ALREADY old's own tree id. None: git could not
    tell, or one of the folders is a file there."""
    asked = [f"{old}^{{tree}}" if not folder else f"{old}:{folder}" for folder in folders]
    done = git_bytes(root, "cat-file", "--batch", timeout=GIT_LOCK_WAIT, keep_open=keep,
                     stdin="".join(line + "\n" for line in asked).encode())
    if done is None:
        return None
    trees, at, size = {}, 0, len(old) // 2
    for folder in folders:
        end = done.find(b"\n", at)
        header = done[at:end].split(b" ")
        if header[-1] == b"missing" and folder:
            trees[folder], at = {}, end + 1
            continue
        if len(header) != 3 or header[1] != b"tree" or not header[2].isdigit():
            return None
        body = done[end + 1:end + 1 + int(header[2])]
        at = end + 2 + int(header[2])
        try:
            trees[folder] = _tree_entries(body, size)
        except ValueError:
            return None
        if not folder:
            trees[ALREADY] = header[0].decode("ascii")
    for folder in folders:
        if folder:
            parent, _, leaf = folder.rpartition("/")
            mode = trees[parent].get(leaf.encode(), (FOLDER,))[0]
            if mode != FOLDER:
                return None  # a file where a folder goes
    return trees


def _cleaned(message: str) -> str:
    """A commit message as `git commit -m` keeps it: no trailing spaces, no blank lines at
    either end or twice."""
    lines, blank = [], False
    for line in message.replace("\0", "\\0").splitlines():
        line = line.rstrip()
        if line or (lines and not blank):
            lines.append(line)
        blank = not line
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) or "dutyctl"


def _collect_garbage_now_and_then(root: Path) -> None:
    """What `git commit` does after each commit (git gc --auto), only when git's own estimate
    of the loose objects would have it pack them: every auto-commit leaves a few."""
    folder = githead.git_dir(root)
    try:
        loose = len(os.listdir(githead.common_dir(folder) / "objects" / "17"))
    except (OSError, TypeError):
        return
    if loose > LOOSE_OBJECTS_LOOK:
        git(root, "gc", "--auto", "--quiet")


# -- healing what a crash left behind ------------------------------------------------------

def uncommitted_records(root: Path, older_than: float = 0.0) -> list[str] | None:
    """Record and event files under records/ saved but never committed (untracked, or added
    and not committed), relative to root; None outside a git repository. Changed or deleted
    committed files are not among them: those are someone's edit, not a crash's leftover."""
    names = _new_under_records(root)
    return None if names is None else _records_older(root, names, older_than)


def committed_file(root: Path, name: str, limit: int) -> bytes | None:
    """The bytes of `name` (relative to root) as HEAD has it; None when HEAD has no such file,
    it is bigger than `limit` bytes, or git cannot tell."""
    return blob(root, f"HEAD:./{name}", limit)


def blob(root: Path, spec: str, limit: int) -> bytes | None:
    """The bytes of the blob git names `spec` (HEAD:./a.yaml, :2:a.yaml, a commit's file);
    None when there is none, it is bigger than `limit` bytes (asked before it is read: a
    blob is another desk's file), or git cannot tell."""
    size = git(root, "cat-file", "-s", spec)
    if size.returncode != 0 or not size.stdout.strip().isdigit() or int(size.stdout) > limit:
        return None
    found = git_bytes(root, "cat-file", "blob", spec, timeout=GIT_LOCK_WAIT)
    return found[:limit] if found is not None else None


def git_bytes(root: Path, *args: str, timeout: float, stdin: bytes | None = None,
              keep_open: tuple[int, ...] = ()) -> bytes | None:
    """What `git ARGS` prints, as bytes (`git` reads text, which would turn CRLF line ends into
    LF: a blob is kept byte for byte); None when git fails or cannot run. stdin: what git
    reads (else nothing); keep_open: as git's."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              env={**os.environ, **GIT_ENV}, input=stdin,
                              stdin=subprocess.DEVNULL if stdin is None else None,
                              timeout=timeout, pass_fds=keep_open)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def top_folder(root: Path) -> Path | None:
    """The top folder of root's repository (git asked only when root's own git folder is not
    plainly known); None outside a repository."""
    found = _git_dir_and_top(root)
    return Path(found[1]) if len(found) == 2 else None


def merging(root: Path) -> bool:
    """A merge is under way (MERGE_HEAD: `git pull` stopped at a conflict, not yet committed):
    the files it staged as new are the other desks' records, not a crash's leftovers."""
    folder = githead.git_dir(root)
    if folder is None:
        done = git(root, "rev-parse", "-q", "--verify", "MERGE_HEAD")
        return done.returncode == 0
    return (folder / "MERGE_HEAD").is_file()


def rebasing(root: Path) -> bool:
    """A rebase is under way (`git pull --rebase` stopped at a conflict): HEAD is detached
    until it is continued or aborted."""
    found = _git_dir_and_top(root)
    if not found:
        return False
    folder = Path(found[0])
    return (folder / "rebase-merge").is_dir() or (folder / "rebase-apply").is_dir()


def rebase_under_way() -> str:
    """What sync and check say while a rebase is under way (sync named in the user's words)."""
    from dutyctl.commandwords import said

    return t("a git rebase is under way in this workspace (git pull --rebase stopped at a "
             "conflict): nothing can be synced. Give it up with git rebase --abort (dutyctl "
             "{sync} merges, it never rebases), then dutyctl {sync}", sync=said("sync"))


def conflicted(root: Path) -> list[str]:
    """The files a merge under way left in conflict (relative to the repository's top; -z: a
    path git would otherwise quote and escape, such as Chinese ids in alert names)."""
    return git(root, "diff", "-z", "--name-only", "--diff-filter=U").stdout.split("\0")[:-1]


def unshared(root: Path) -> tuple[list[str], list[str]] | None:
    """What `check` reports as not shared: (record files saved but never committed, other
    files git does not track), relative to root; None outside a git repository. One `git
    status` of the whole workspace on a small index. While a merge is under way, the files it
    staged are not among them (they came from another desk, and the merge's commit takes
    them)."""
    if not _small_index(root):
        records = uncommitted_records(root)
        others = untracked(root)
        if records is None or others is None:
            return None
        if merging(root):
            records = [name for name in records if name in set(others)]
        return records, [name for name in others if name not in records]
    found = _status_new(root, ".")
    if found is None:
        return None
    untracked_names, added = found
    if merging(root):
        added = set()
    records = _records_older(root, {name for name in untracked_names | added
                                    if name.startswith("records/")}, 0.0)
    return records, sorted(untracked_names - set(records) - {""})


def in_head(root: Path, names: list[str]) -> set[str]:
    """Of `names` (relative to root), those the last commit has: a file git's index lacks
    but HEAD has was taken out of the index (`git rm --cached`), not saved and never
    committed. Asked by name, a few hundred at a time."""
    found: set[str] = set()
    for start in range(0, len(names), NAMES_PER_CALL):
        done = git(root, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--",
                   *names[start:start + NAMES_PER_CALL])
        if done.returncode == 0:
            found.update(name for name in done.stdout.split("\0") if name)
    return found & set(names)


NAMES_PER_CALL = 200  # paths on one git command line: 200 step files' paths of about 80
# characters stay within Windows' 32,767


def refusal(root: Path) -> str | None:
    """Why git refuses a workspace that is a git repository (`.git` there), in the desk's
    words; None when git reads it, or it is none. The one git says most (a folder another
    user account owns: "dubious ownership") with what to do; another as git says it."""
    if githead.git_dir(root) is None:
        return None
    done = git(root, "rev-parse", "--git-dir")
    if done.returncode == 0:
        return None
    said = next((line.removeprefix("fatal: ").strip() for line in done.stderr.splitlines()
                 if line.strip()), "")
    if "dubious ownership" in said:
        import shlex

        return t("git refuses the workspace: its folder belongs to another user account "
                 "(dubious ownership); run dutyctl as that account, or tell git the folder is "
                 "safe: git config --global --add safe.directory {root}",
                 root=shlex.quote(str(root)))
    return t("git refuses the workspace: {reason}", reason=said or done.returncode)


def changed_paths(root: Path, where: list[str]) -> list[str] | None:
    """The files under `where` (folders and files relative to root) git says are not
    committed as they are (staged, unstaged, untracked, deleted), as git names them; None:
    not a git repository. Not through git's untracked cache: with the second-grained folder
    times of a git built without USE_NSEC it missed a record written in the second the cache
    was kept (tests/test_commit_plumbing.py, under load)."""
    done = git(root, "status", "--porcelain", "-z", "--no-renames",
               "--untracked-files=all", "--", *where)
    if done.returncode != 0:
        return None
    return [entry[3:] for entry in done.stdout.split("\0") if len(entry) > 3]


def _records_older(root: Path, names: set[str], older_than: float,
                   named=ids.file_ids) -> list[str]:
    """The record files among `names` (relative to root) older than `older_than` seconds; not
    an empty one: dutyctl writes a record whole (a temporary file renamed), so an empty file
    is what a program killed mid-write left (git on a full disk), never committed as a record
    (`check` names it). `named`: what a file's name must say (`_record_stats`)."""
    now = time.time()
    return sorted(name for name, info in _record_stats(root, names, named)
                  if (now - info.st_mtime >= older_than or info.st_mtime > now + FUTURE_SLACK)
                  and info.st_size > 0)


def _record_stats(root: Path, names: set[str], named=ids.file_ids):
    """(name, its lstat) of the regular record files among `names` (relative to root), those
    `named(name)` reads (a record's or step's file name, by default)."""
    for name in names - {""}:
        if not named(name):
            continue  # a temp file of a write in progress, or junk `check` reports
        try:
            info = os.lstat(root / name)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            yield name, info


# Up to this size of git's index (about 1,000 tracked files) one `git status` finds both kinds
# of new files faster than `ls-files` + `diff --cached`; above it, the stat status makes of
# every tracked file costs more than the second process (benchmarks/commit_bench.py)
STATUS_INDEX_BYTES = 128 * 1024
UNMERGED_ADDED = ("AA", "AU")  # a merge conflict, not a file this desk saved


def _small_index(root: Path) -> bool:
    """root is its work tree's top (status names paths from there) with a small index."""
    stamp = githead.index_stamp(root)
    return (stamp is not None and stamp[1] <= STATUS_INDEX_BYTES
            and not githead.index_split(root))


def _new_under_records(root: Path) -> set[str] | None:
    """Files under records/ git does not track or has staged as new (relative to root)."""
    if not _small_index(root):
        return _new_files_listed(root)
    found = _status_new(root, "records")
    return None if found is None else found[0] | found[1]


def _status_new(root: Path, where: str) -> tuple[set[str], set[str]] | None:
    """(untracked files, files staged as new) under `where`, in one `git status` (no
    optional locks: it never takes git's index lock from a command working meanwhile)."""
    done = git(root, "--no-optional-locks", "status", "--porcelain=v1", "-z", "--renames",
               "--untracked-files=all", "--", where)
    if done.returncode != 0:
        return None
    untracked_names, added = set(), set()
    entries = iter(done.stdout.split("\0"))
    for entry in entries:
        code, name = entry[:2], entry[3:]
        if code[:1] in ("R", "C"):
            next(entries, None)  # the path it came from: a rename is someone's edit
        if code == "??":
            untracked_names.add(name)
        elif code[:1] == "A" and code not in UNMERGED_ADDED:
            added.add(name)
    return untracked_names, added


def _new_files_listed(root: Path, where: tuple[str, ...] = ("records",)) -> set[str] | None:
    """_new_under_records in two cheaper looks for a big index: untracked, then staged
    (`where`: pathspecs, records/ by default)."""
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *where)
    if untracked.returncode != 0:
        return None
    added = git(root, "diff", "--cached", "--name-only", "--relative", "--find-renames",
                "--diff-filter=A", "-z", "--", *where).stdout
    return {*untracked.stdout.split("\0"), *added.split("\0")}


# -- the commit's look for leftovers: the folders changed since the last one ----------------

# A big index's two looks (ls-files --others, diff --cached) cost every file under records/
# (0.2-0.6 s on 3 years). Between two commits of this desk's own, with nobody else's git in
# between (HEAD and git's index file as the last commit left them), a record file can only
# have come where a folder's mtime moved since: the look is of those folders alone.
LAST_LOOK = "leftover-look"  # in the state folder: "NANOSECONDS HEAD INDEX-STAMP"
MOST_FOLDERS = 64  # changed folders looked at one by one; more: the whole of records/


def _new_since_the_last_look(root: Path, state_dir: Path, own: list[Path] = (),
                             keep: tuple[int, ...] = (),
                             read: dict | None = None) -> set[str] | None:
    """_new_under_records, looking only at the folders under records/ changed since the last
    commit's look (_note_the_look) when HEAD and git's index are as that commit left them and
    the index is big; the whole of records/ otherwise. `own`: the files the command commits
    (_new_beside_head's answer for them needs no git); `read`: HEAD's trees read on the
    way are kept there for the commit (_head_trees)."""
    if _small_index(root):
        return _new_under_records(root)
    noted = _last_look(state_dir)
    if (noted is None or noted[1] != githead.head(root)
            or noted[2] != githead.index_stamp(root)):
        return _new_under_records(root)
    from dutyctl.yamlcache import RACY_SECONDS  # a folder stamped within a tick of the look

    found = _folders_changed_since(root, noted[0] - RACY_SECONDS * 10**9)
    if found is None or len(found[0]) + len(found[1]) > MOST_FOLDERS:
        return _new_under_records(root)
    changed, moved = found
    if not changed and not moved:
        return set()
    if not moved:
        beside = _new_beside_head(root, noted[1], changed, own, state_dir, keep, read)
        if beside is not None:
            return beside
    return _new_files_listed(root, (*(f":(glob){_glob_escaped(folder)}/*" for folder in changed),
                                    *(f":(glob){_glob_escaped(folder)}/**" for folder in moved)))


# The look above, with git's index as the desk's last commit left it, in HEAD's trees of the
# changed folders rather than in git's index: a file of such a folder that HEAD has is neither
# untracked nor staged as new (but one someone took out of git's index, `git rm --cached`,
# less than HEAL_AFTER before a whole look, is not looked at again here: `check` names it,
# and sync's whole look commits it); one HEAD lacks is new, untracked or staged. The
# files the command itself wrote need no more; any other (a leftover, another terminal's
# record between its save and its commit) is asked of git by name, which also says whether
# git ignores it. `ls-files --others` and `diff --cached` each read the whole index (0.05 s
# on 3 years), and the first walked the year's folder besides (its glob names the year's
# and month's folders the store stamps: 0.13 s on 3 years).
MOST_ASKED = 512  # other new files asked of git by name; more: by their folders' globs


def _new_beside_head(root: Path, head: str, changed: list[str], own: list[Path],
                     state_dir: Path, keep: tuple[int, ...],
                     read: dict | None = None) -> set[str] | None:
    """_new_since_the_last_look's answer for the `changed` folders (files directly in them)
    from HEAD's trees (_head_trees: kept by the last commit, else one `git cat-file
    --batch`) and the folders' listings; None when they cannot be read (then git's index is
    asked)."""
    on_disk = {}
    for folder in changed:
        try:
            with os.scandir(root / folder) as entries:
                names = [entry.name for entry in entries
                         if not entry.is_dir(follow_symlinks=False)]
        except FileNotFoundError:
            continue  # gone meanwhile: nothing in it
        except OSError:
            return None
        if names:
            on_disk[folder] = names
    if not on_disk:
        return set()
    try:
        trees = _head_trees(root, head, _with_parents(on_disk), state_dir, keep, read)
    except UnicodeEncodeError:  # a folder's name in bytes that are no UTF-8: git's look
        return None
    if trees is None:
        return None
    mine, new, others = set(map(_absolute, own)), set(), []
    for folder, names in on_disk.items():
        for name in names:
            entry = trees[folder].get(os.fsencode(name))
            if entry is not None and entry[0] != FOLDER:
                continue  # HEAD has it: neither untracked nor staged as new
            path = f"{folder}/{name}"
            if _absolute(root / path) in mine:
                new.add(path)
            elif ids.file_ids(path) is not None:  # else junk: never a leftover
                others.append(path)
    if len(others) > MOST_ASKED:
        return None
    if others:
        found = _new_files_listed(root, tuple(f":(literal){path}" for path in sorted(others)))
        if found is None:
            return None
        new |= found - {""}
    return new


def _folders_changed_since(root: Path, since: int) -> tuple[list[str], list[str]] | None:
    """(the folders under records/, itself included, whose mtime is `since` (ns) or later;
    those whose ctime alone is: moved in from elsewhere with their old mtimes, or their mtime
    put back by a copy or a backup tool, looked at with all they hold), relative to root;
    None when one cannot be read. A folder is listed only when it changed or may hold
    folders (a link count other than 2: a day folder of plain files has 2, on a file system
    where records/'s own count says the counts are true), so years of day folders cost a stat
    each."""
    changed, moved = [], []
    top = root / "records"
    try:
        info = os.stat(top)
        with os.scandir(top) as entries:
            below = [(Path(entry.path), entry.stat(follow_symlinks=False)) for entry in entries
                     if entry.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return changed, moved  # nothing saved yet
    except OSError:
        return None
    counted = info.st_nlink == len(below) + 2  # not so on CIFS, some FUSE, btrfs: scan all
    if info.st_mtime_ns < since <= info.st_ctime_ns:
        return changed, ["records"]
    if info.st_mtime_ns >= since:
        changed.append("records")
    folders = below
    while folders:
        folder, info = folders.pop()
        try:
            if info.st_mtime_ns < since <= info.st_ctime_ns:
                moved.append(folder.relative_to(root).as_posix())
                continue  # what it holds is looked at whole
            if info.st_mtime_ns < since and info.st_nlink == 2 and counted:
                continue
            if info.st_mtime_ns >= since:
                changed.append(folder.relative_to(root).as_posix())
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((Path(entry.path), entry.stat(follow_symlinks=False)))
        except FileNotFoundError:
            continue  # gone meanwhile
        except OSError:
            return None
    return changed, moved


def _look_begins(state_dir: Path) -> int:
    """Now (ns) by the clock of the file system records are on (a file server's may differ
    from this machine's): the mtime of a file written in the state folder; this machine's
    clock when it cannot be written."""
    path = state_dir / f".{LAST_LOOK}.now"
    try:
        with open_own(path) as handle:
            handle.write(b"\n")
            return os.fstat(handle.fileno()).st_mtime_ns
    except OSError:
        return time.time_ns()


def _glob_escaped(name: str) -> str:
    """A folder's name as a :(glob) pathspec matches it literally."""
    return "".join("\\" + char if char in "*?[]\\" else char for char in name)


def _oldest_other(root: Path, new: set[str], own: list[Path]) -> int:
    """The mtime (ns) of the oldest record file among `new` that is not one of `own`: one
    young enough to be another terminal's, mid-write, or a leftover whose commit failed, is
    looked at again next time (the next look goes back to it). A far future without any."""
    mine, oldest = set(map(_absolute, own)), 1 << 62
    for name in new - {""}:
        if ids.file_ids(name) is None or _absolute(root / name) in mine:
            continue
        try:
            oldest = min(oldest, os.lstat(root / name).st_mtime_ns)
        except OSError:
            continue
    return oldest


def _last_look(state_dir: Path) -> tuple[int, str, list[int]] | None:
    try:
        text = read_plain(state_dir / LAST_LOOK, 400)[0].decode("ascii", "replace")
        moment, head, index = text.split()
        return int(moment), head, [int(number) for number in index.split(",")]
    except (OSError, ValueError):
        return None


def _note_the_look(root: Path, state_dir: Path, looked_at: int) -> None:
    """After a commit (the git lock held): the look began at `looked_at` (ns) and left nothing
    behind older than that, on HEAD and git's index as they are now."""
    head, index = githead.head(root), githead.index_stamp(root)
    path = state_dir / LAST_LOOK
    if head is None or index is None:
        with contextlib.suppress(OSError):
            path.unlink()
        return
    temporary = path.with_name(f".{LAST_LOOK}.{os.getpid()}.tmp")
    try:
        with open_own(temporary) as handle:
            handle.write(f"{looked_at} {head} {','.join(map(str, index))}\n".encode())
        os.replace(temporary, path)
    except OSError:  # the next commit looks at the whole of records/
        with contextlib.suppress(OSError):
            temporary.unlink()
        return
    from dutyctl.store.plainfile import clear_stale_temporaries

    clear_stale_temporaries(path)


def _commit_leftovers(root: Path, own: list[Path], new: set[str] | None,
                      keep: tuple[int, ...], cache_dir: Path | None,
                      language: str | None = None, older_than: float = HEAL_AFTER,
                      waited: set[str] = frozenset()) -> bool:
    """Commit, alone and under the desk's own identity, the record files a crashed command
    saved but never committed (`new`: the files under records/ git does not have), those
    saved `older_than` seconds ago or more, and those `waited` for that their command never
    committed; True when there were any and they are committed now. A failure here does not
    stop the command's own commit."""
    mine = set(map(_absolute, own))
    older = _records_older(root, new or set(), older_than)
    given_up = [name for name, info in _record_stats(root, set(waited)) if info.st_size > 0]
    leftovers = [name for name in sorted({*older, *given_up})
                 if _absolute(root / name) not in mine]
    if not leftovers:
        return False
    from dutyctl.messages import speaking

    with speaking(language):
        message = tn("dutyctl: commit {count} record file left uncommitted earlier",
                     "dutyctl: commit {count} record files left uncommitted earlier",
                     len(leftovers))
    # never noted as only adding files: a leftover (a crash before Store._written, a copy by
    # hand) moved no month's mtime, so the index learns of it from git's diff alone
    made = _add_and_commit(root, [root / name for name in leftovers], message,
                           identity_env(root, None, cache_dir), keep)
    if made is not None:
        notices.warn(tn("dutyctl: also committed {count} record file left uncommitted by an "
                        "earlier command", "dutyctl: also committed {count} record files left "
                        "uncommitted by an earlier command", len(leftovers)))
    return made is not None


# -- git's own lock ------------------------------------------------------------------------

@frozen
class GitLock:
    """git's index.lock: who may hold it and for how long it has been there."""

    path: Path
    age: float  # seconds since it was made
    live: bool  # a git process is running in this repository (it may be the holder)


def index_lock(root: Path) -> GitLock | None:
    """A git lock of root's repository that a commit needs free, if one is there: its index
    lock, or the lock of HEAD, of its branch or of packed-refs (a git killed while moving
    the branch, as an interrupted command can be, leaves HEAD.lock: every commit then fails
    with "cannot lock ref 'HEAD'")."""
    lines = _git_dir_and_top(root)
    if not lines:
        return None
    folder = Path(lines[0])
    branch = githead.branch(root)
    names = ["index.lock", "HEAD.lock", "packed-refs.lock",
             *([f"refs/heads/{branch}.lock"] if branch else [])]
    for name in names:
        path = folder / name
        try:
            age = time.time() - os.lstat(path).st_mtime
        except OSError:
            continue
        return GitLock(path, age, _git_running_in([Path(line) for line in lines]))
    return None


def _git_dir_and_top(root: Path) -> list[str]:
    """[git folder, top folder] of root's repository (git asked only when its git folder is
    not plainly known: githead.git_dir); [] outside a repository."""
    top = root.resolve()
    if (folder := githead.git_dir(top)) is not None:
        return [str(folder.resolve()), str(top)]
    found = git(root, "rev-parse", "--absolute-git-dir", "--show-toplevel")
    return found.stdout.splitlines() if found.returncode == 0 else []


def _git_running_in(places: list[Path]) -> bool:
    """A git process (any user's we may see) works in one of `places`. Without /proc (not
    Linux) nobody can tell: assume one does, so a lock is never removed under its holder."""
    proc = Path("/proc")
    if not (proc / "self" / "cwd").exists():
        return True
    inside = [str(place) for place in places]
    for entry in os.scandir(proc):
        if not entry.name.isdigit():
            continue
        try:
            if not (proc / entry.name / "comm").read_text().startswith("git"):
                continue
            cwd = os.readlink(proc / entry.name / "cwd")
        except OSError:
            continue  # gone meanwhile, or another user's
        if any(cwd == place or cwd.startswith(place + "/") for place in inside):
            return True
    return False


def stale(lock: GitLock) -> bool:
    """Left by a git process that is no longer running: safe to remove."""
    return not lock.live and lock.age >= STALE_LOCK_AGE


def index_lock_free(root: Path) -> bool:
    """git's index lock is free: a stale one removed, a live one waited for (saying so once,
    for at most GIT_LOCK_WAIT seconds). False (with a warning) when it stayed taken."""
    start, told = time.monotonic(), False
    notice = min(LOCK_NOTICE, GIT_LOCK_WAIT / 2)  # a `git status` elsewhere holds it for ms
    while (lock := index_lock(root)) is not None:
        if stale(lock):
            with contextlib.suppress(FileNotFoundError):
                lock.path.unlink()
            notices.warn(t("dutyctl: removed a stale git lock left by a git process that is no "
                           "longer running: {path}", path=lock.path))
            continue
        waited = time.monotonic() - start
        if waited > notice and not told:  # said before giving up, however slow the machine
            told = True
            notices.warn(t("dutyctl: waiting for another git process in this workspace to "
                           "finish (up to {seconds} s)", seconds=round(GIT_LOCK_WAIT)))
        if waited > GIT_LOCK_WAIT:
            return _warn(t("{path} is held by a running git process (for {seconds} s): the "
                           "next command commits these records", path=lock.path,
                           seconds=round(lock.age)))
        time.sleep(0.1)
    return True


def has_commits(root: Path) -> bool:
    return git(root, "rev-parse", "-q", "--verify", "HEAD").returncode == 0


def untracked(root: Path) -> list[str] | None:
    """Workspace files git does not track and does not ignore (relative to root); None when
    the workspace is not in a git repository."""
    found = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    if found.returncode != 0:
        return None
    return sorted(name for name in found.stdout.split("\0") if name)


def _warn(output: str) -> bool:
    """The commit failed: `output`, dutyctl's own words (an EnvironmentFailure's), or git's
    (run with LC_ALL=C, always English), which `git_failure` says in the screen's language."""
    if "not a git repository" in output:
        notices.warn(t("dutyctl: not a git repository: records saved but not committed "
                       "(git init, or set git.auto_commit: false)"))
    else:
        notices.warn(t("dutyctl: git commit failed, records saved but not committed: {reason}",
                       reason=git_failure(output)))
    return False


#: git's words (LC_ALL=C) when it does not know who commits
_NO_IDENTITY = ("Author identity unknown", "Committer identity unknown",
                "Please tell me who you are", "unable to auto-detect email address",
                "empty ident name")


def git_failure(output: str) -> str:
    """Why a git command failed, as the desk reads it: the few common failures said in the
    screen's language (another git holding the index's lock, nothing to commit, no identity),
    any other git's own first line after `git said:` (git 说：), its words being what helps
    there; dutyctl's own words (not git's) as they are."""
    text = output.strip()
    _, _, locked = text.partition("Unable to create '")
    if locked and "': File exists" in locked:
        return t("another git process holds {path}, or one that stopped left it behind "
                 "(remove it once no git is running)", path=locked.split("': File exists")[0])
    if any(words in text for words in NOTHING_TO_COMMIT):
        return t("git found nothing to commit")
    if any(words in text for words in _NO_IDENTITY):
        return t("git does not know who is committing: set it with git config user.name NAME "
                 "and git config user.email ADDRESS")
    first = (text.splitlines() or ["?"])[0]
    if first.startswith(("fatal:", "error:", "warning:", "hint:")):
        return t("git said: {words}", words=first)
    return first
