"""The outbox: one JSON file per message waiting to go out, in the git-ignored state folder.

A message is queued (written atomically) before any attempt to send it, so nothing is lost
when the network, the robot or the process fails. Each carries a seal, its keyed digest under
this desk's key (`caches.seal`, the key kept where git never writes): a message file another
desk committed (`git add -f`) is never sent, whatever it says, only named as skipped.
Sending claims a message by renaming it into `sending/` (one rename wins, so two desks'
terminals or a flush and a desk never send the same file twice); a success deletes it, a failure puts it back with the reason. A claim
left by a killed process goes back to the queue after STALE_CLAIM.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from dutyctl.store.storage import write_atomic

OUTBOX = "outbox"
SENDING = "sending"
STALE_CLAIM = 600  # seconds: far beyond any send's timeout
MAX_MESSAGE_BYTES = 64 * 1024  # a file bigger than this is no message of ours


@dataclass(frozen=True)
class Message:
    id: str  # unique per channel: the file is <id>.<channel>.json
    channel: str
    event: str
    text: str
    created: str  # ISO 8601
    attempts: int = 0
    #: why the last attempt failed: [English message, its values] (send.NotSent.why), said
    #: when shown (`reason`); a text when queued by an older dutyctl
    error: list | str | None = None
    #: the text's first line without the site's tag (None: queued by an older dutyctl)
    headline: str | None = None
    #: the keyed digest of the rest under this desk's key (`sealed`); None where no key can
    #: be kept (GIT_DIR set: `caches.workspace_key`)
    seal: str | None = None
    #: the record it is about (an announcement's: `notify drop` takes a record's messages);
    #: an alert's id begins with it already
    record: str | None = None

    @property
    def subject(self) -> str:
        """What it is about: the record an announcement names, else the alert's subject (the
        record id or day-shift-staff before its key's first dot)."""
        return self.record or self.id.split(".", 1)[0]

    def is_about(self, ref: str) -> bool:
        """The message is about the record `ref` (an id or its prefix, upper case) or is the
        message of that id."""
        return self.id.upper().startswith(ref) or self.subject.upper().startswith(ref)

    @property
    def about(self) -> str:
        """What the message is about, as a screen lists it: its headline."""
        if self.headline is not None:
            return self.headline
        return self.text.splitlines()[0] if self.text else ""

    @property
    def reason(self) -> str | None:
        """Why the last attempt failed, in the language of this command."""
        return None if self.error is None else why_said(self.error)

    @property
    def file_name(self) -> str:
        return f"{self.id}.{self.channel}.json"

    def failed(self, why: list) -> "Message":
        return replace(self, attempts=self.attempts + 1, error=why)

    def sealed(self, key: bytes | None) -> "Message":
        """The message with its seal under `key` (none without a key)."""
        return replace(self, seal=_seal_of(self, key))


def _seal_of(message: Message, key: bytes | None) -> str | None:
    if key is None:
        return None
    from dutyctl.caches import seal

    # a message queued before `record` was kept is sealed as it was (without the field)
    content = {name: value for name, value in asdict(message).items()
               if name != "seal" and not (name == "record" and value is None)}
    return seal(key, json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def why_said(why: list | str) -> str:
    """A reason kept as [English message, its values] said in the current language (a text
    of an older dutyctl as it is)."""
    if isinstance(why, str):
        return why
    import re
    import string

    from dutyctl.messages import gettext

    message, values = why
    template = gettext(message)
    # the values by name, with a precision at most (`{seconds:.1f}`): a field of the file's
    # own making ({x:>3000000000}, {x.__class__}) is said as written, never evaluated
    try:
        if any(conversion or (name is not None and (
                name not in values or not re.fullmatch(r"(\.\d)?[df]?", spec)))
               for _, name, spec, conversion in string.Formatter().parse(template)):
            return template
        return template.format(**values)
    except (ValueError, TypeError):  # a precision for a text
        return template


def _is_why(why: object) -> bool:
    """Whether an outbox file's `error` is one why_said can say (the file may be damaged)."""
    if why is None or isinstance(why, str):
        return True
    if not (isinstance(why, list) and len(why) == 2 and isinstance(why[0], str)
            and isinstance(why[1], dict)):
        return False
    try:
        why_said(why)
    except (LookupError, ValueError, AttributeError, TypeError):
        return False
    return True


class Outbox:
    def __init__(self, state_dir: Path):
        self.dir = Path(state_dir) / OUTBOX
        self.claims = self.dir / SENDING

    def put(self, message: Message) -> None:
        from dutyctl.caches import workspace_key

        sealed = message.sealed(workspace_key(self.dir.parent, create=True))
        write_atomic(self.dir / message.file_name,
                     json.dumps(asdict(sealed), ensure_ascii=False, indent=1) + "\n")

    def waiting(self) -> list[Message]:
        """Every queued message, oldest first; a file that is no message is left alone, one
        this desk did not seal is named as skipped (dutyctl.notices), never sent."""
        from dutyctl.caches import workspace_key

        self.release_stale()
        # made here if need be: a desk without a key yet must not take an unsealed message
        # for its own (and seal it on a failed try)
        key = workspace_key(self.dir.parent, create=True)
        found = []
        for path in self._files(self.dir):
            message = _read(path)
            if message is None:
                continue
            if message.seal != _seal_of(message, key):
                _not_ours(path)
                continue
            found.append(message)
        return sorted(found, key=lambda message: (message.created, message.id))

    def claim(self, message: Message) -> bool:
        """Take the message for sending; False when another process took it first."""
        self.claims.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(self.dir / message.file_name, self.claims / message.file_name)
        except FileNotFoundError:
            return False
        return True

    def done(self, message: Message) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.claims / message.file_name)

    def back(self, message: Message) -> None:
        """A failed attempt: the message, with its reason, waits again."""
        self.put(message)
        self.done(message)

    def drop(self, message: Message) -> bool:
        """Take a waiting message out for good (one nobody needs any more: a repair long
        done, a channel gone); False when it was no longer waiting (sent, or being sent)."""
        try:
            os.unlink(self.dir / message.file_name)
        except FileNotFoundError:
            return False
        return True

    def release_stale(self) -> None:
        now = time.time()
        for path in self._files(self.claims):
            with contextlib.suppress(OSError):
                if now - path.stat().st_ctime > STALE_CLAIM:  # a rename sets ctime
                    os.rename(path, self.dir / path.name)

    @staticmethod
    def _files(folder: Path) -> list[Path]:
        try:
            return [folder / name for name in os.listdir(folder)
                    if name.endswith(".json") and not name.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            return []


def _not_ours(path: Path) -> None:
    from dutyctl import notices
    from dutyctl.errors import Problem
    from dutyctl.messages import t

    notices.skipped(Problem(f".dutyctl/{OUTBOX}/{path.name}", None, t(
        "a message this desk did not queue (another desk may have committed it): never sent; "
        "delete it (git rm it if git tracks it)")))


def _read(path: Path) -> Message | None:
    from dutyctl.store.plainfile import read_plain  # a plain file: never a link to a FIFO

    try:
        data = json.loads(read_plain(path, MAX_MESSAGE_BYTES)[0].decode("utf-8"))
        message = Message(**data)
    except (OSError, ValueError, TypeError, RecursionError):  # (JSON nested 50,000 deep)
        return None
    fields_ok = all(isinstance(getattr(message, key), str)
                    for key in ("id", "channel", "event", "text", "created"))
    fields_ok = fields_ok and all(isinstance(getattr(message, key), (str, type(None)))
                                  for key in ("headline", "seal", "record"))
    fields_ok = fields_ok and _is_why(message.error)
    if not fields_ok or path.name != message.file_name:
        return None
    return message
