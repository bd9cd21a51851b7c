"""This desk's consent to the command of a `type: command` channel.

dutyctl.yaml comes to every desk through git, so a channel's `command: [...]` is what any desk
wrote there; running it on every desk would let one desk run anything on the others. A desk
runs a command only once it approved that exact command here (`dutyctl notify allow CHANNEL`):
the approval is kept in the desk's own state folder (`.dutyctl/notify-allowed.json`,
git-ignored, never shared) as the command's fingerprint: its arguments, and the content of
any file of the workspace it names (a script shared through git could be changed by any desk).
A different program, argument or script after a sync is no longer approved.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
from pathlib import Path

from dutyctl.messages import N_

ALLOWED = "notify-allowed.json"
MAX_ALLOWED_BYTES = 256 * 1024
MAX_SHOWN = 300  # characters of a command said in a message
MAX_HASHED_BYTES = 16 * 1024 * 1024

NOT_APPROVED = N_("the command of channel {name} is not approved on this desk ({command}): "
                  "check it, then approve it with dutyctl notify allow {name}")
CHANGED = N_("the command of channel {name} changed since this desk approved it (now "
             "{command}): check it, then approve it again with dutyctl notify allow {name}")


def shown(argv) -> str:
    """A command as a message shows it: shell-quoted, sanitized, cut."""
    from dutyctl.output import visible

    text = visible(shlex.join(str(argument) for argument in argv))
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def _path(workspace) -> Path:
    return Path(workspace.state_dir) / ALLOWED


def _shared_files(argv, root: Path) -> dict[str, str]:
    """Each file of the workspace (shared through git; the state folder is not) an argument
    names, relative to the workspace or to the current folder: its resolved path -> the
    sha256 of its content."""
    from dutyctl.notify.settings import shared_path

    found = {}
    for index, argument in enumerate(argv):
        candidates = [Path(argument)] if os.path.isabs(argument) else [
            Path.cwd() / argument, root / argument]
        if index == 0 and "/" not in argument and os.sep not in argument:
            program = shutil.which(argument)
            candidates = [Path(program)] if program else []
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
                if not resolved.is_file() or not shared_path(str(resolved), root):
                    continue
                digest = hashlib.sha256()
                with resolved.open("rb") as handle:
                    digest.update(handle.read(MAX_HASHED_BYTES))
            except (OSError, ValueError):
                continue
            found[str(resolved)] = digest.hexdigest()  # whatever the folder dutyctl runs in
    return found


def fingerprint(argv, root: Path) -> str:
    """What an approval holds: the arguments and the workspace files they name."""
    data = json.dumps([list(argv), _shared_files(argv, root)], ensure_ascii=False,
                      sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _tracked(workspace, path: Path) -> bool:
    """Whether git tracks the approvals file: another desk committed it (`git add -f`), so it
    is no consent of this desk's."""
    from dutyctl import gitsync

    found = gitsync.git(workspace.root, "ls-files", "-z", "--", str(path))
    return found.returncode == 0 and bool(found.stdout.strip("\0"))


def approvals(workspace) -> dict[str, dict]:
    """channel name -> {"command": [...], "fingerprint": ...}; nothing from a damaged file, a
    link, or a file git tracks."""
    path = _path(workspace)
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        with path.open("rb") as handle:
            data = json.loads(handle.read(MAX_ALLOWED_BYTES + 1).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or _tracked(workspace, path):
        return {}
    return {name: entry for name, entry in data.items()
            if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)}


def refusal(workspace, channel, known: dict | None = None) -> list | None:
    """Why the command of `channel` may not run on this desk (a NotSent's `why`: the message
    and its values), None when this desk approved it as it is now. `known`: approvals()
    read once for several channels."""
    known = approvals(workspace) if known is None else known
    entry = known.get(channel.name)
    values = {"name": channel.name, "command": shown(channel.command)}
    if entry is None:
        return [NOT_APPROVED, values]
    if entry["fingerprint"] != fingerprint(channel.command, workspace.root):
        return [CHANGED, values]
    return None


def allow(workspace, channel) -> None:
    """Approve the command of `channel` as it is now, on this desk."""
    from dutyctl.store.storage import state_refusal, write_atomic

    path = _path(workspace)
    if blocked := state_refusal(path):
        raise blocked
    known = approvals(workspace)
    known[channel.name] = {"command": list(channel.command),
                           "fingerprint": fingerprint(channel.command, workspace.root)}
    write_atomic(path, json.dumps(known, ensure_ascii=False, indent=1) + "\n",
                 inside=workspace.root)
