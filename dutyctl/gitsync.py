"""Auto-commit: every command that writes commits exactly the files it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dutyctl.errors import EnvironmentFailure
from dutyctl.messages import t
from dutyctl.storage import exclusive

FALLBACK_IDENTITY = {"GIT_AUTHOR_NAME": "dutyctl", "GIT_AUTHOR_EMAIL": "dutyctl@localhost",
                     "GIT_COMMITTER_NAME": "dutyctl", "GIT_COMMITTER_EMAIL": "dutyctl@localhost"}


def _git(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              env=env)
    except OSError as exc:  # no git on this machine: the records are saved all the same
        return subprocess.CompletedProcess(["git", *args], 127, "", f"git: {exc.strerror}")


def _identity_env(root: Path) -> dict | None:
    """Use the desk's git identity; only where none is set, commit as 'dutyctl'."""
    if _git(root, "config", "user.email").stdout.strip():
        return None
    return {**os.environ, **FALLBACK_IDENTITY}


def commit(root: Path, paths: list[Path], message: str, lock_dir: Path) -> bool:
    """Commit `paths` alone. False (with one warning line) when it could not."""
    if not paths:
        return True
    identity = _identity_env(root)  # read-only: outside the lock, which other desks wait on
    # several terminals at one desk: git's own index.lock would make concurrent commits fail
    try:
        with exclusive(lock_dir / "git.lock"):
            return _add_and_commit(root, paths, message, identity)
    except EnvironmentFailure as exc:  # e.g. .dutyctl is a file: no lock, so no commit
        return _warn(str(exc))


def _add_and_commit(root: Path, paths: list[Path], message: str, identity: dict | None) -> bool:
    names = [str(path) for path in paths]
    added = _git(root, "add", "--", *names)
    if added.returncode != 0:
        return _warn(added.stderr)
    done = _git(root, "commit", "-q", "--no-verify", "-m", message, "--", *names, env=identity)
    if done.returncode != 0:
        return _warn(done.stderr or done.stdout)
    return True


def _warn(output: str) -> bool:
    if "not a git repository" in output:
        print(t("dutyctl: not a git repository: records saved but not committed "
                "(git init, or set git.auto_commit: false)"), file=sys.stderr)
    else:
        first = (output.strip().splitlines() or ["?"])[0]
        print(t("dutyctl: git commit failed, records saved but not committed: {reason}",
                reason=first), file=sys.stderr)
    return False
