"""This desk's consent to the command of a `type: command` channel.

dutyctl.yaml comes to every desk through git, so a channel's `command: [...]` is what any desk
wrote there; running it on every desk would let one desk run anything on the others. A desk
runs a command only once this user approved that exact command (`dutyctl notify allow
CHANNEL`). Nothing in the workspace can be trusted for that, its state folder included (`git
add -f` carries a file of `.dutyctl/`, and a committed link can stand for the folder itself):

- approvals live outside the workspace, in the user's config folder
  (`$XDG_CONFIG_HOME/dutyctl/notify-allowed.json`, else `~/.config/dutyctl/`), keyed by the
  workspace's real path, the channel and a fingerprint of the argv and the resolved program;
- the program and every path an argument names must lie outside the workspace (after links
  are followed, and as written): a program or file there is whatever another desk pushed;
- the command runs in `/`, never in the workspace (`python3 -m x` would import from there).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from dutyctl.messages import N_
from dutyctl.notify.settings import shared_path

ALLOWED = "notify-allowed.json"
MAX_ALLOWED_BYTES = 1024 * 1024
MAX_SHOWN = 300  # terminal columns of a command said in a one-line message
RUN_FOLDER = "/"  # where a command runs: never the workspace

NOT_APPROVED = N_("the command of channel {name} is not approved on this desk ({command}): "
                  "check it, then approve it with dutyctl notify allow {name}")
CHANGED = N_("the command of channel {name} changed since this desk approved it (now "
             "{command}): check it, then approve it again with dutyctl notify allow {name}")
NOT_FOUND = N_("the program of channel {name} was not found ({command}): install it, or "
               "correct the command in dutyctl.yaml")
INSIDE = N_("the command of channel {name} uses {path}, inside the workspace: the program "
            "and the files it reads must live outside the workspace, which other desks can "
            "change")


def shown(argv, limit: int | None = MAX_SHOWN) -> str:
    """A command as a message shows it: shell-quoted, control characters escaped, cut at
    `limit` terminal columns (a Chinese character is two; None: whole, as `notify allow`
    asks about it)."""
    from dutyctl.output import visible
    from dutyctl.textwidth import shorten

    text = visible(shlex.join(str(argument) for argument in argv))
    return text if limit is None else shorten(text, limit)


def config_folder() -> Path:
    """The user's dutyctl config folder: $XDG_CONFIG_HOME/dutyctl, else ~/.config/dutyctl."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "dutyctl"


def approvals_path() -> Path:
    return config_folder() / ALLOWED


def _written_as_path(name: str) -> bool:
    return "/" in name or os.sep in name


def _as_run(name: str) -> str | None:
    """The program name `name` stands for as the command runs it: a path as written, a bare
    name found through PATH (made absolute: a "." in PATH is where dutyctl runs); None when
    PATH has none."""
    if _written_as_path(name):
        return name
    found = shutil.which(name)
    return os.path.abspath(found) if found else None


@dataclass(frozen=True)
class Found:
    """The program of a command, looked up once (PATH searched for a bare name) for every
    check of it and for running it: what is checked is what runs. `as_run`: the name as the
    command runs it (_as_run); `real`: its real path, None when there is none."""

    as_run: str | None
    real: str | None


def lookup(argv) -> Found:
    """The program `argv` runs, looked up now (see Found)."""
    name = _as_run(str(argv[0])) if argv and str(argv[0]) else None
    if name is None:
        return Found(None, None)
    path = os.path.join(RUN_FOLDER, name)
    return Found(name, os.path.realpath(path) if os.path.isfile(path) else None)


def _named_paths(argument: str) -> list[str]:
    """What an argument may name: itself, the values after each `=` (`--config=x`,
    `PYTHONPATH=x` for `env`) split at `:` as search paths are, a short option's rest
    (`-ctools/x`), and the words of a shell line (`sh -c "python3 tools/x.py"`)."""
    found = [argument]
    for value in argument.split("=")[1:]:
        found += [value, *value.split(":")]
    if argument.startswith("-") and not argument.startswith("--") and len(argument) > 2:
        found.append(argument[2:])
    if any(char.isspace() for char in argument):
        try:
            words = shlex.split(argument)
        except ValueError:
            words = argument.split()
        for word in words:
            found += _named_paths(word) if word != argument else [word]
    return [text for text in found if text]


def _workspace_path(argv, root, found: Found) -> str | None:
    """The first program or argument that lies in the workspace: written under it, an
    existing path whose links lead there, or a relative path the workspace holds; or any
    argument that spells the workspace's own path inside it. `found`: the program, looked
    up (lookup)."""
    spelled = re.compile("|".join(re.escape(folder) + r"(?=$|/|:|;|\s|['\"])" for folder in
                                  sorted({str(root), os.path.realpath(root)})))
    for argument in argv:
        if spelled.search(str(argument)):
            return str(argument)
    for index, argument in enumerate(argv):
        for text in _named_paths(str(argument)):
            if index == 0 and (text := found.as_run if text == str(argument)
                               else _as_run(text)) is None:
                continue
            if "\0" in text:
                continue
            absolute = os.path.join(RUN_FOLDER, os.path.expanduser(text))
            named = os.path.isabs(text) or os.path.lexists(absolute)
            if named and shared_path(text, root, RUN_FOLDER):
                return str(argument)
            if not os.path.isabs(text) and os.path.lexists(os.path.join(root, text)):
                return str(argument)  # meant from the workspace: `tools/sms`, `conf/sms.ini`
    return None


def pinned_program(argv, found: Found) -> str | None:
    """The real path of a program written as a path (`/usr/local/bin/sms`): a link of it
    retargeted is a change; a bare name (`python3`) is found through PATH, which differs
    between the desk's shell and cron, so only its name is pinned (None). `found`: the
    program, looked up (lookup)."""
    return found.real if argv and _written_as_path(str(argv[0])) else None


def fingerprint(argv, resolved: str | None) -> str:
    """What an approval holds: the argv and the real path of a program written as a path
    (pinned_program)."""
    data = json.dumps([[str(argument) for argument in argv], resolved], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _read(for_writing: bool = False) -> dict:
    """The user's approvals: {workspace real path: {channel: entry}}; nothing from a
    damaged file, which `for_writing` refuses (writing over it would lose every other
    workspace's and channel's approval)."""
    path = approvals_path()
    try:
        with path.open("rb") as handle:
            data = json.loads(handle.read(MAX_ALLOWED_BYTES + 1).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        return data
    if for_writing:
        from dutyctl.errors import EnvironmentFailure
        from dutyctl.messages import t

        raise EnvironmentFailure(t("the approvals of this desk's commands cannot be read: "
                                   "move the file aside (its approvals are then given again)"),
                                 path=path)
    return {}


def approvals(workspace) -> dict[str, dict]:
    """channel name -> {"command": [...], "program": ..., "fingerprint": ...} of this
    workspace."""
    found = _read().get(os.path.realpath(workspace.root))
    if not isinstance(found, dict):
        return {}
    return {name: entry for name, entry in found.items()
            if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)}


def unsafe(workspace, channel, found: Found) -> list | None:
    """Why the command of `channel` can never run, whoever approves it (a NotSent's `why`),
    else None: a program or file of the workspace. `found`: its program, looked up."""
    if found.real is not None and shared_path(found.real, workspace.root, RUN_FOLDER):
        return _inside(channel, found.real)  # where the lookup led: a PATH entry, a link
    if (path := _workspace_path(channel.command, workspace.root, found)) is None:
        return None
    return _inside(channel, path)


def _inside(channel, path: str) -> list:
    """The refusal of `channel`'s command for its program or file `path` in the workspace."""
    return [INSIDE, {"name": channel.name, "path": shown([path])}]


def refusal(workspace, channel, known: dict | None = None,
            found: Found | None = None) -> list | None:
    """Why the command of `channel` may not run on this desk (a NotSent's `why`: the message
    and its values), None when it is safe and this desk approved it as it is now. `known`:
    approvals() read once for several channels; `found`: its program, looked up already
    (else looked up here)."""
    found = lookup(channel.command) if found is None else found
    return unsafe(workspace, channel, found) or unapproved(workspace, channel, found, known)


def unapproved(workspace, channel, found: Found, known: dict | None = None) -> list | None:
    """The part of `refusal` after `unsafe`: not approved on this desk, or changed since."""
    known = approvals(workspace) if known is None else known
    entry = known.get(channel.name)
    values = {"name": channel.name, "command": shown(channel.command)}
    if entry is None:
        return [NOT_APPROVED, values]
    if entry["fingerprint"] != fingerprint(channel.command,
                                           pinned_program(channel.command, found)):
        return [CHANGED, values]
    return None


def runnable(workspace, channel) -> tuple[list | None, str | None]:
    """For running the command of `channel`: why it may not run (refusal), and the real path
    of its program, looked up once for both: the program the checks looked at is the one
    run. A program not found (`real` None) is refused: the run would look it up again,
    through PATH, and what it found nobody checked."""
    found = lookup(channel.command)
    refused = refusal(workspace, channel, None, found)
    if refused is None and found.real is None:
        refused = not_found(channel)
    return refused, found.real


def not_found(channel) -> list:
    """The refusal of a command whose program the lookup did not find."""
    return [NOT_FOUND, {"name": channel.name, "command": shown(channel.command)}]


def allow(workspace, channel, found: Found) -> None:
    """Approve the command of `channel` as it is now, for this workspace (the caller made
    sure unsafe() has nothing to say of `found`, its program looked up)."""
    from dutyctl.store.storage import write_atomic

    data = _read(for_writing=True)
    root = os.path.realpath(workspace.root)
    mine = data.get(root) if isinstance(data.get(root), dict) else {}
    resolved = pinned_program(channel.command, found)
    # only the fingerprint is compared; the command and program are for a person reading
    mine[channel.name] = {"command": [str(argument) for argument in channel.command],
                          "program": resolved,
                          "fingerprint": fingerprint(channel.command, resolved)}
    data[root] = mine
    path = approvals_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        from dutyctl.errors import EnvironmentFailure, os_reason
        from dutyctl.messages import t

        raise EnvironmentFailure(t("cannot write: {reason}", reason=os_reason(exc)),
                                 path=path.parent) from None
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n", private=True)
