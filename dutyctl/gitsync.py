"""Auto-commit: every command that writes commits exactly the files it wrote, authored by the
staff member who acted (the desk's own git identity, if any, is the committer)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from dutyctl.errors import EnvironmentFailure
from dutyctl.messages import t
from dutyctl.storage import exclusive

FALLBACK_NAME, FALLBACK_EMAIL = "dutyctl", "dutyctl@localhost"
PLACEHOLDER_DOMAIN = "dutyctl.invalid"  # RFC 2606: never a real mailbox
# every git call: no pager, no prompt, no editor, no hooks' or desk's settings that change
# what a merge or commit does (a cron job has no one to answer)
GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true", "GIT_PAGER": "cat",
           "GIT_ASKPASS": "", "SSH_ASKPASS": "", "LC_ALL": "C"}


@dataclass(frozen=True)
class Author:
    """Who a commit says did it: a staff member (name, id) with a mail address."""

    staff_id: str
    name: str
    email: str

    @classmethod
    def of_staff(cls, staff_id: str, name: str | None, domain: str | None) -> "Author":
        return cls(staff_id, name or staff_id, f"{staff_id}@{domain or PLACEHOLDER_DOMAIN}")

    def label(self) -> str:
        """How a commit message names the staff member."""
        return self.staff_id if self.name == self.staff_id else f"{self.name} ({self.staff_id})"


def git(root: Path, *args: str, env: dict | None = None,
        timeout: float | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              env={**os.environ, **GIT_ENV, **(env or {})},
                              stdin=subprocess.DEVNULL, timeout=timeout)
    except OSError as exc:  # no git on this machine: the records are saved all the same
        return subprocess.CompletedProcess(["git", *args], 127, "", f"git: {exc.strerror}")
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(["git", *args], 124, "", "git: timed out")


def identity_env(root: Path, author: Author | None) -> dict:
    """The staff member as author; the desk's git identity as committer, else 'dutyctl'."""
    env = {}
    if not git(root, "config", "user.email").stdout.strip():
        env.update(GIT_COMMITTER_NAME=FALLBACK_NAME, GIT_COMMITTER_EMAIL=FALLBACK_EMAIL,
                   GIT_AUTHOR_NAME=FALLBACK_NAME, GIT_AUTHOR_EMAIL=FALLBACK_EMAIL)
    if author is not None:
        env.update(GIT_AUTHOR_NAME=author.name, GIT_AUTHOR_EMAIL=author.email)
    return env


def commit(root: Path, paths: list[Path], message: str, lock_dir: Path | None,
           author: Author | None = None) -> bool:
    """Commit `paths` alone. False (with one warning line) when it could not. lock_dir None:
    nobody else can be writing yet (a workspace being created)."""
    if not paths:
        return True
    if lock_dir is None:
        return _add_and_commit(root, paths, message, identity_env(root, author))
    env = identity_env(root, author)  # read-only: outside the lock, which other desks wait on
    if author is not None:
        message = f"{message} — {author.label()}"
    # several terminals at one desk: git's own index.lock would make concurrent commits fail
    try:
        with exclusive(lock_dir / "git.lock"):
            return _add_and_commit(root, paths, message, env)
    except EnvironmentFailure as exc:  # e.g. .dutyctl is a file: no lock, so no commit
        return _warn(str(exc))


def _add_and_commit(root: Path, paths: list[Path], message: str, env: dict) -> bool:
    names = [str(Path(path).resolve()) for path in paths]  # git -C root: no relative paths
    added = git(root, "add", "--", *names)
    if added.returncode != 0:
        return _warn(added.stderr)
    done = git(root, "commit", "-q", "--no-verify", "-m", message, "--", *names, env=env)
    if done.returncode != 0:
        return _warn(done.stderr or done.stdout)
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
    if "not a git repository" in output:
        print(t("dutyctl: not a git repository: records saved but not committed "
                "(git init, or set git.auto_commit: false)"), file=sys.stderr)
    else:
        first = (output.strip().splitlines() or ["?"])[0]
        print(t("dutyctl: git commit failed, records saved but not committed: {reason}",
                reason=first), file=sys.stderr)
    return False
