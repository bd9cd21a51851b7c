"""The one table of words for record kinds, statuses and actions, as people read and type them.

Records keep the ids (`closed`); screens show `word(...)` translated (已关闭), and every filter
accepts the id, the English word or the translated one (`list --status 已关闭`). A word's msgid
carries its context before a `|` (`status|closed`, as glib's Q_()): "closed" as a status and as
a column header translate differently; untranslated, the part after the `|` is shown.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from dutyctl.messages import N_, gettext

KINDS = {
    "call": N_("kind|call"), "complaint": N_("kind|complaint"), "repair": N_("kind|repair"),
    "emergency": N_("kind|emergency"), "duty": N_("kind|duty"),
    "handover": N_("kind|handover"), "readiness": N_("kind|readiness"),
    "readiness-problem": N_("kind|readiness-problem"), "log-entry": N_("kind|log-entry"),
    "callout": N_("kind|callout"), "resident": N_("kind|resident"),
}

STATUSES = {
    "open": N_("status|open"), "handling": N_("status|handling"),
    "transferred": N_("status|transferred"), "resolved": N_("status|resolved"),
    "closed": N_("status|closed"), "dispatched": N_("status|dispatched"),
    "on-hold": N_("status|on-hold"), "done": N_("status|done"),
    "answered": N_("status|answered"), "awaiting-callback": N_("status|awaiting-callback"),
    "called-back": N_("status|called-back"), "on-duty": N_("status|on-duty"),
    "off-duty": N_("status|off-duty"), "pending": N_("status|pending"),
    "accepted": N_("status|accepted"), "ok": N_("status|ok"),
    "problems": N_("status|problems"), "fixed": N_("status|fixed"),
    "logged": N_("status|logged"),
    "called-out": N_("status|called-out"), "ended": N_("status|ended"),
    "active": N_("status|active"), "moved-out": N_("status|moved-out"),
}

ACTIONS = {
    "filed": N_("action|filed"), "note": N_("action|note"), "link": N_("action|link"),
    "callback-done": N_("action|callback-done"), "handle": N_("action|handle"),
    "transfer": N_("action|transfer"), "resolve": N_("action|resolve"),
    "visit": N_("action|visit"), "dispatch": N_("action|dispatch"),
    "arrive": N_("action|arrive"), "eta": N_("action|eta"), "hold": N_("action|hold"),
    "resume": N_("action|resume"), "done": N_("action|done"), "close": N_("action|close"),
    "log": N_("action|log"), "accept": N_("action|accept"),
    "clock-out": N_("action|clock-out"), "fix": N_("action|fix"),
    "recheck": N_("action|recheck"), "settle": N_("action|settle"), "end": N_("action|end"),
    "callback-attempt": N_("action|callback-attempt"),
    "edit": N_("action|edit"), "move-out": N_("action|move-out"),
}


#: An attendance outcome of a rostered shift (desk/attendance.py).
ATTENDANCE = {
    "on-time": N_("attendance|on time"), "late": N_("attendance|late"),
    "absent": N_("attendance|absent"), "upcoming": N_("attendance|upcoming"),
    "unrostered": N_("attendance|unrostered"),
}


#: How a callback attempt ended (`callback attempt --result`).
ATTEMPT_RESULTS = {"no-answer": N_("attempt|no-answer"), "busy": N_("attempt|busy"),
                   "wrong-number": N_("attempt|wrong-number")}
#: Words the desk types for them whatever the language of the screens (accepted, never stored).
ATTEMPT_TYPED = {"no-answer": ("无人接听", "没人接", "未接通"), "busy": ("占线", "忙音"),
                 "wrong-number": ("号码错误", "打错了", "空号")}


#: The types of a duty log entry (`dutyctl log note --type`, kinds.entry.TYPES).
ENTRY_TYPES = {"note": N_("entry|note"), "patrol": N_("entry|patrol"),
               "visitor": N_("entry|visitor"), "key": N_("entry|key"),
               "delivery": N_("entry|delivery"), "notice": N_("entry|notice")}
ENTRY_TYPED = {"note": ("记事", "备注"), "patrol": ("巡查", "巡逻"), "visitor": ("来访", "访客"),
               "key": ("钥匙", "借钥匙"), "delivery": ("快递", "包裹"), "notice": ("通知", "公告")}


def _english(msgid: str) -> str:
    return msgid.partition("|")[2] or msgid


def _word(table: Mapping[str, str], key: str) -> str:
    if key not in table:
        return key
    text = gettext(table[key])
    return _english(text) if text == table[key] else text


def kind_word(kind: str) -> str:
    return _word(KINDS, kind)


def status_word(status: str) -> str:
    return _word(STATUSES, status)


def action_word(action: str) -> str:
    return _word(ACTIONS, action)


def attendance_word(result: str) -> str:
    return _word(ATTENDANCE, result)


def choices(table: Mapping[str, str], ids: Iterable[str],
            typed: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """For `choices.resolve`: each id with its translated word shown and its English word
    (and the words `typed` gives it) also accepted."""
    return {key: (_word(table, key), _english(table.get(key, key)),
                  *(typed or {}).get(key, ())) for key in ids}


def entry_word(entry_type: str) -> str:
    return _word(ENTRY_TYPES, entry_type)


def attempt_word(result: str) -> str:
    return _word(ATTEMPT_RESULTS, result)


#: What a refusal calls the choices of a kind's category and urgency ("unknown {what} ...").
CATEGORY_OF = {"call": N_("call category"), "complaint": N_("complaint category"),
               "repair": N_("repair category")}
URGENCY_OF = {"complaint": N_("complaint urgency"), "repair": N_("repair urgency"),
              "callback": N_("callback urgency")}


def category_of(kind: str) -> str:
    return _word(CATEGORY_OF, kind)


def urgency_of(kind: str) -> str:
    return _word(URGENCY_OF, kind)
