"""Auto-commit: every command that writes commits exactly the files it wrote."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

from dutyctl.messages import t

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
    try:
        lock_dir.mkdir(parents=True, exist_ok=True)
        lock = open(lock_dir / "git.lock", "w")
    except OSError as exc:  # e.g. .dutyctl is a file: no lock, so no commit
        return _warn(f"{exc.filename or lock_dir}: {exc.strerror or exc}")
    # several terminals at one desk: git's own index.lock would make concurrent commits fail
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        names = [str(path) for path in paths]
        added = _git(root, "add", "--", *names)
        if added.returncode != 0:
            return _warn(added.stderr)
        done = _git(root, "commit", "-q", "--no-verify", "-m", message, "--", *names,
                    env=identity)
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
