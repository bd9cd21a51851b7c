"""Delivering one message to one channel: the WeChat Work and DingTalk group robots
(HTTP POST of {"msgtype": "text", ...}, answered by {"errcode": 0, ...}) and a command that
reads the message on stdin (SMS gateways). urllib, hmac and subprocess are imported here
only, when something is sent.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from dutyctl.errors import os_reason
from dutyctl.messages import N_
from dutyctl.notify.outbox import why_said
from dutyctl.notify.settings import COMMAND, DINGTALK, Channel, shared_path
from dutyctl.store.plainfile import NotPlainFile, read_plain

WECHAT_MAX_BYTES = 2048  # the WeChat Work robot refuses a longer text
DINGTALK_MAX_BYTES = 18000  # DingTalk allows about 20,000
MAX_ANSWER_BYTES = 65536
MAX_SECRET_BYTES = 4096


class NotSent(Exception):
    """Why a message did not go out (it stays in the outbox): `why`, the English message
    (marked with N_) and its values, said in the language of whoever shows it (the outbox
    keeps `why`, never the words, as every data file: see outbox.why_said)."""

    def __init__(self, message: str, /, **values: object):
        self.why = [message, {name: value if isinstance(value, (int, float)) else str(value)
                              for name, value in values.items()}]
        super().__init__(message)

    def __str__(self) -> str:
        return why_said(self.why)


def secret(channel: Channel, key: str, root: Path | None = None) -> str:
    """The webhook URL or signing secret of a channel, from its environment variable or file.
    `root`: the workspace, where no secret file may lie (its git-ignored `.dutyctl/`
    included: a link or a forced add reaches it): any desk could commit one there, and make a desk send its own secrets (the
    signature of one) to a webhook that desk wrote."""
    env, path = getattr(channel, f"{key}_env"), getattr(channel, f"{key}_file")
    if env:
        value = os.environ.get(env, "").strip()
        if not value:
            raise NotSent(N_("the environment variable {name} is not set"), name=env)
        return value
    if root is not None and shared_path(path, root):
        raise NotSent(N_("{path} is inside the workspace, where any desk could write it: "
                         "keep it outside"), path=path)
    try:  # a FIFO named there would block the desk for ever: the bounded reader refuses it
        data, _ = read_plain(Path(path).expanduser(), MAX_SECRET_BYTES, links=True)
        value = data[:MAX_SECRET_BYTES].decode("utf-8").strip()
    except NotPlainFile as exc:
        from dutyctl.store.yamlio import not_a_file_reason

        raise NotSent(N_("cannot read {path}: {reason}"), path=path,
                      reason=not_a_file_reason(exc.mode)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NotSent(N_("cannot read {path}: {reason}"), path=path,
                      reason=os_reason(exc)) from None
    if not value:
        raise NotSent(N_("{path} is empty"), path=path)
    return value


def dingtalk_sign(secret_text: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(key=secret, "timestamp\\nsecret")),
    URL-encoded."""
    import base64
    import hashlib
    import hmac
    from urllib.parse import quote_plus

    digest = hmac.new(secret_text.encode("utf-8"),
                      f"{timestamp_ms}\n{secret_text}".encode("utf-8"), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def deliver(workspace, channel: Channel, text: str, timeout: float, event: str = "") -> None:
    """Send `text`; raise NotSent with the reason when it did not go out within `timeout`.
    A command runs only as this desk approved it (consent.runnable), never otherwise."""
    root = Path(workspace.root)
    if channel.type == COMMAND:
        from dutyctl.notify.consent import RUN_FOLDER, runnable

        refused, resolved = runnable(workspace, channel)
        if refused is not None:
            raise NotSent(refused[0], **refused[1])
        _run(channel, text, timeout, event, resolved, RUN_FOLDER)
        return
    url = secret(channel, "webhook", root)
    if channel.type == DINGTALK:
        if channel.secret_env or channel.secret_file:
            stamp = int(time.time() * 1000)
            joiner = "&" if "?" in url else "?"
            sign = dingtalk_sign(secret(channel, "secret", root), stamp)
            url += f"{joiner}timestamp={stamp}&sign={sign}"
        body = {"msgtype": "text", "text": {"content": _cut(text, DINGTALK_MAX_BYTES)}}
    else:
        body = {"msgtype": "text", "text": {"content": _cut(text, WECHAT_MAX_BYTES)}}
    _post(url, body, timeout)


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit - 3].decode("utf-8", "ignore") + "…"


def _post(url: str, body: dict, timeout: float) -> None:
    import http.client
    import json
    import socket
    import urllib.error
    import urllib.request

    if not url.startswith(("https://", "http://")):
        raise NotSent(N_("the webhook is not an http(s) URL"))
    try:
        request = urllib.request.Request(
            url, data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
        with urllib.request.urlopen(request, timeout=max(timeout, 0.05)) as answer:
            raw = answer.read(MAX_ANSWER_BYTES)
    except (ValueError, http.client.InvalidURL):  # http://[::1, a port of letters, 例子.测试,
        # a space: never its words, which may quote the URL and its key
        raise NotSent(N_("the webhook is not a valid URL")) from None
    except urllib.error.HTTPError as exc:
        raise NotSent(N_("the robot answered HTTP {status}"), status=exc.code) from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, OSError,
            http.client.HTTPException) as exc:  # the last: a server that speaks no HTTP
        reason = getattr(exc, "reason", None) or exc
        if isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason):
            raise NotSent(N_("no answer within {seconds:.1f} s"), seconds=timeout) from None
        raise _unreachable(reason) from None
    try:
        answer_data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise NotSent(N_("the robot's answer is not JSON")) from None
    code = answer_data.get("errcode") if isinstance(answer_data, dict) else None
    if code != 0:
        raise NotSent(N_("the robot refused it: errcode {code} {reason}"), code=code,
                      reason=str(answer_data.get("errmsg", ""))[:200]
                      if isinstance(answer_data, dict) else "")


def _unreachable(reason: object) -> NotSent:
    """Why the robot cannot be reached, in words a desk reads in its own language for the
    failures it meets (the system's own English, `[Errno 111] Connection refused`, else)."""
    import errno
    import socket
    import ssl

    code = getattr(reason, "errno", None)
    if isinstance(reason, socket.gaierror):
        return NotSent(N_("cannot reach the robot: its server's name is not found (check the "
                          "webhook's address and this computer's network)"))
    if isinstance(reason, ssl.SSLCertVerificationError):
        return NotSent(N_("cannot reach the robot: its certificate cannot be verified (check "
                          "the webhook's address and this computer's clock)"))
    if isinstance(reason, ConnectionRefusedError) or code == errno.ECONNREFUSED:
        return NotSent(N_("cannot reach the robot: nothing answers at that address (check "
                          "the webhook's address)"))
    if code in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return NotSent(N_("cannot reach the robot: this computer's network cannot reach it"))
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError)):
        return NotSent(N_("cannot reach the robot: the connection was cut"))
    return NotSent(N_("cannot reach the robot: {reason}"), reason=reason)


def _run(channel: Channel, text: str, timeout: float, event: str, program: str | None,
         folder: str) -> None:
    """Run the approved command: its program as approved (`program`, the real path), in
    `folder` (never the workspace, whose files any desk can change)."""
    import subprocess

    try:
        done = subprocess.run(list(channel.command), input=text.encode("utf-8"),
                              capture_output=True, timeout=max(timeout, 0.05),
                              executable=program, cwd=folder,
                              env={**os.environ, "PWD": folder, "DUTYCTL_NOTIFY_EVENT": event,
                                   "DUTYCTL_NOTIFY_CHANNEL": channel.name})
    except subprocess.TimeoutExpired:
        raise NotSent(N_("the command did not finish within {seconds:.1f} s"),
                      seconds=timeout) from None
    except OSError as exc:
        raise NotSent(N_("cannot run {command}: {reason}"), command=channel.command[0],
                      reason=os_reason(exc)) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if said:
            raise NotSent(N_("the command failed (exit {code}): {said}"), code=done.returncode,
                          said=said[-1][:200])
        raise NotSent(N_("the command failed (exit {code})"), code=done.returncode)
