"""The `notify:` section of dutyctl.yaml: channels, which events go where, and the timing.

A channel names where its secret lives (an environment variable or a file outside the
workspace), never the secret itself: dutyctl.yaml is shared with every desk through git, and
a webhook URL holds the robot's key.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Mapping

from dutyctl import configkeys
from dutyctl.messages import N_, gettext, t

WECHAT_WORK, DINGTALK, COMMAND = "wechat-work", "dingtalk", "command"
CHANNEL_TYPES = (WECHAT_WORK, DINGTALK, COMMAND)
# a channel type or an event by the words a supervisor writes in dutyctl.yaml (type: 企业微信,
# rules: {缺勤: [...]}), whatever the screen's language: the id is what is kept
TYPE_WORDS = {WECHAT_WORK: ("企业微信", "企业微信群", "企业微信机器人", "企业微信群机器人", "企微"),
              DINGTALK: ("钉钉", "钉钉群", "钉钉机器人", "钉钉群机器人"),
              COMMAND: ("命令", "短信")}

# the events a rule can route: kept by these ids (EVENT_ZH_WORDS below are taken for them)
EMERGENCY_OPENED = "emergency-opened"
EMERGENCY_CLOSED = "emergency-closed"
EMERGENCY_REPAIR = "emergency-repair-filed"
DEADLINE_SOON = "deadline-soon"
DEADLINE_MISSED = "deadline-missed"
HANDOVER_WAITING = "handover-not-accepted"
ABSENCE = "absence"
EVENTS = (EMERGENCY_OPENED, EMERGENCY_CLOSED, EMERGENCY_REPAIR, DEADLINE_SOON,
          DEADLINE_MISSED, HANDOVER_WAITING, ABSENCE)
#: The events in words, for the outbox on screen.
EVENT_WORDS = {EMERGENCY_OPENED: N_("emergency opened"), EMERGENCY_CLOSED: N_("emergency closed"),
               EMERGENCY_REPAIR: N_("emergency repair filed"), DEADLINE_SOON: N_("due soon"),
               DEADLINE_MISSED: N_("overdue"), HANDOVER_WAITING: N_("handover not accepted"),
               ABSENCE: N_("absence")}
EVENT_ZH_WORDS = {EMERGENCY_OPENED: ("突发事件登记", "突发事件"), EMERGENCY_CLOSED: ("突发事件关闭",),
                  EMERGENCY_REPAIR: ("登记急修", "急修登记", "急修"),
                  DEADLINE_SOON: ("即将超时",), DEADLINE_MISSED: ("已超时", "超时"),
                  HANDOVER_WAITING: ("交接班未确认", "未接班确认", "未确认交接"),
                  ABSENCE: ("缺勤",)}
def event_word(event: str) -> str:
    """A notify event as the screens say it (已超时); an event this version does not know (a
    message another desk queued) as it is."""
    return gettext(EVENT_WORDS[event]) if event in EVENT_WORDS else event


TYPE_LABELS = {WECHAT_WORK: N_("WeCom group robot"), DINGTALK: N_("DingTalk group robot"),
               COMMAND: N_("command")}


def _type_choices() -> dict[str, tuple[str, ...]]:
    """Each channel type: its label in the screen's language, then the words taken for it."""
    return {kind: (gettext(TYPE_LABELS[kind]), *TYPE_WORDS[kind]) for kind in CHANNEL_TYPES}


def _event_choices() -> dict[str, tuple[str, ...]]:
    return {event: (gettext(EVENT_WORDS[event]), *EVENT_ZH_WORDS[event]) for event in EVENTS}

CHANNEL_KEYS = ("type", "webhook_env", "webhook_file", "secret_env", "secret_file", "command")
SECTION_KEYS = ("channels", "rules", "warn_before", "handover_within", "emergency_repair")
# keys that would put a secret into the shared file
SECRET_KEYS = ("webhook", "url", "secret", "key", "token", "access_token", "password")
SECRET_ARGUMENT = re.compile(r"(key|token|secret|password|passwd)=\S", re.IGNORECASE)
SECRET_IN_GIT = N_("a secret written in dutyctl.yaml goes to every desk and stays in the git "
                   "history: name an environment variable ({env}) or a file outside the "
                   "workspace ({file}) instead")


@dataclass(frozen=True)
class Channel:
    name: str
    type: str
    webhook_env: str | None = None
    webhook_file: str | None = None
    secret_env: str | None = None
    secret_file: str | None = None
    command: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class NotifySettings:
    channels: Mapping[str, Channel] = field(default_factory=dict)
    rules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    warn_before: timedelta = timedelta(minutes=30)
    handover_within: timedelta = timedelta(minutes=30)
    emergency_repair: tuple[str, ...] = ()  # parse_notify: the section's, else the site's 急修

    def channels_for(self, event: str) -> list[Channel]:
        return [self.channels[name] for name in self.rules.get(event, ())
                if name in self.channels]


NO_NOTIFICATIONS = NotifySettings()


def parse_notify(fields, repair_classes, emergency) -> NotifySettings:
    """The section from its `Fields` (None: no section, nothing is sent); every problem goes
    to the fields' shared list with its line. `repair_classes`: the repair urgency classes,
    id -> name (None: no scheme), by which `emergency_repair` names them (id or name, 急修);
    `emergency`: the repair classes of 急修, what `emergency_repair` is when the section does
    not say (`config.emergency_repair_classes`)."""
    if fields is None:
        return NO_NOTIFICATIONS
    fields.unknown(SECTION_KEYS, configkeys.NOTIFY)
    channels = _channels(fields.mapping("channels", required=False))
    rules = _rules(fields.mapping("rules", required=False), channels)
    urgent = fields.text_list("emergency_repair") if fields.has("emergency_repair") else None
    if urgent and repair_classes is not None:
        from dutyctl.choices import matches

        named = [matches(level, repair_classes, partial=False) for level in urgent]
        for level, found in zip(urgent, named):
            if len(found) != 1:
                fields.problem("emergency_repair", t("no urgency class '{id}'", id=level))
        urgent = [found[0] for found in named if len(found) == 1]
    return NotifySettings(
        MappingProxyType(channels), MappingProxyType(rules),
        _length(fields, "warn_before", timedelta(minutes=30)),
        _length(fields, "handover_within", timedelta(minutes=30)),
        tuple(urgent) if urgent is not None else tuple(emergency))


def _length(fields, key: str, default: timedelta) -> timedelta:
    if not fields.has(key):
        return default
    parsed = fields.duration(key)
    if parsed is None:
        return default
    if parsed[1]:
        fields.problem(key, t('a length of time like "30m" or "2h" (not working days)'))
        return default
    if parsed[0] <= timedelta(0):
        fields.problem(key, t("must be longer than 0"))
        return default
    return parsed[0]


def _channels(fields) -> dict[str, Channel]:
    found = {}
    if fields is None:
        return found
    for name in fields.data:
        sub = fields.mapping(name)
        if sub is None or not sub.ok:
            continue
        for key in sub.data:
            if key in SECRET_KEYS:
                base = "secret" if key in ("secret", "password") else "webhook"
                sub.problem(key, gettext(SECRET_IN_GIT).format(
                    env=sub.label(f"{base}_env"), file=sub.label(f"{base}_file")))
        sub.unknown([*CHANNEL_KEYS, *SECRET_KEYS], configkeys.CHANNEL)
        kind = sub.text("type", choices=_type_choices())
        if kind is None:
            continue
        webhook_env, webhook_file = _secret_source(sub, "webhook", kind)
        secret_env, secret_file = _secret_source(sub, "secret", kind)
        found[str(name)] = Channel(str(name), kind, webhook_env, webhook_file, secret_env,
                                   secret_file, _command(sub, kind), fields.line_of(name))
    return found


def _secret_source(sub, key: str, kind: str) -> tuple[str | None, str | None]:
    """(env name, file path) of one secret; which ones a channel type needs and allows."""
    needed = (key == "webhook" and kind != COMMAND)
    allowed = needed or (key == "secret" and kind == DINGTALK)
    env = sub.text(f"{key}_env", required=False)
    path = sub.text(f"{key}_file", required=False)
    # the keys as the file writes them (地址变量, 地址文件 in a Chinese one), never the ids
    env_key, file_key = sub.label(f"{key}_env"), sub.label(f"{key}_file")
    if not allowed:
        for unwanted in (f"{key}_env", f"{key}_file"):
            if sub.has(unwanted):
                sub.problem(unwanted, t("a {type} channel has no {field}",
                                        type=_type_said(sub, kind), field=sub.label(unwanted)))
        return None, None
    if env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        sub.problem(f"{key}_env", t("expected the name of an environment variable, like "
                                    "DUTYCTL_WECHAT_WEBHOOK"))
        env = None
    if path and not Path(path).expanduser().is_absolute():
        sub.problem(f"{key}_file", t("expected an absolute path outside the workspace, like "
                                     "/etc/dutyctl/dingtalk-secret"))
        path = None
    if env and path:
        sub.problem(f"{key}_file", t("give {env} or {file}, not both", env=env_key,
                                     file=file_key))
    if needed and not env and not path and not sub.has(key):
        sub.problem(f"{key}_env", t("is required (or {file})", file=file_key))
    return env, path


def _type_said(sub, kind: str) -> str:
    """A channel's type as its file writes it (企业微信, wechat-work)."""
    typed = sub.raw("type")
    return typed.strip() if isinstance(typed, str) and typed.strip() else kind


def _command(sub, kind: str) -> tuple[str, ...]:
    if kind != COMMAND:
        if sub.has("command"):
            sub.problem("command", t("a {type} channel has no {field}",
                                     type=_type_said(sub, kind), field=sub.label("command")))
        return ()
    argv = sub.text_list("command", required=True)
    for index, argument in enumerate(argv):
        if SECRET_ARGUMENT.search(argument):
            sub.problem(f"command[{index}]", t("looks like a secret: let the command read it "
                                               "from its environment or its own file"))
    return tuple(argv)


def _rules(fields, channels: Mapping[str, Channel]) -> dict[str, tuple[str, ...]]:
    found = {}
    if fields is None:
        return found
    from dutyctl.choices import describe, matches

    choices = _event_choices()
    for key in fields.data:
        named = matches(str(key), choices, partial=False)
        if len(named) != 1:
            fields.problem(key, t("unknown event (expected one of: {events})",
                                  events=describe(choices)))
            continue
        event = named[0]
        if event in found:  # 突发事件登记 and emergency-opened both: one would be lost
            fields.problem(key, t("the event {event} is routed twice: write its channels on "
                                  "one line", event=describe(choices, [event])))
            continue
        names = fields.text_list(key, required=True)
        for name in names:
            if name not in channels:
                fields.problem(key, t("no channel '{name}' in notify.channels", name=name))
        found[event] = tuple(name for name in names if name in channels)
    return found


def secret_file_problems(settings: NotifySettings, root: Path, config_path: str) -> list:
    """A secret file inside the workspace would be shared through git (unless it lies in the
    git-ignored state folder): `check` reports it."""
    from dutyctl.errors import Problem

    found = []
    for channel in settings.channels.values():
        for path in (channel.webhook_file, channel.secret_file):
            if path and shared_path(path, root):
                found.append(Problem(config_path, channel.line, t(
                    "notify.channels.{name}: {path} is inside the workspace, where git would "
                    "share it: keep secrets outside it", name=channel.name, path=path)))
    return found


def shared_path(path: str, root, base: str | None = None) -> bool:
    """Whether `path` (from folder `base`, else the current one) lies in the workspace, which
    any desk can change through git: its state folder `.dutyctl/` too (`git add -f` carries a
    file of it; a committed link can stand for it), as written or once links are followed."""
    path = os.path.join(base or os.getcwd(), os.path.expanduser(path))
    real_root = os.path.realpath(root)
    folders = [real_root, os.path.abspath(root),
               os.path.realpath(os.path.join(real_root, ".dutyctl"))]
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return True
    written = os.path.normpath(path)
    return any(PurePath(written).is_relative_to(folder) or PurePath(real).is_relative_to(folder)
               for folder in folders)
