"""The tables of words for statuses and actions, as people read and type them (a kind's word
is in its KindSpec: `records.kind_word`).

Records keep the ids (`closed`); screens show `word(...)` translated (已关闭), and every filter
accepts the id, the English word or the translated one (`list --status 已关闭`). A word's msgid
has a context (msgctxt, marked with NP_): "closed" as a status and as a column header translate
differently.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from dutyctl.messages import NP_, gettext, pgettext

STATUSES = {
    "open": NP_("status", "open"), "handling": NP_("status", "handling"),
    "transferred": NP_("status", "transferred"), "resolved": NP_("status", "resolved"),
    "closed": NP_("status", "closed"), "dispatched": NP_("status", "dispatched"),
    "on-site": NP_("status", "on-site"),
    "on-hold": NP_("status", "on-hold"), "done": NP_("status", "done"),
    "answered": NP_("status", "answered"), "awaiting-callback": NP_("status", "awaiting-callback"),
    "called-back": NP_("status", "called-back"), "on-duty": NP_("status", "on-duty"),
    "off-duty": NP_("status", "off-duty"), "pending": NP_("status", "pending"),
    "accepted": NP_("status", "accepted"), "ok": NP_("status", "ok"),
    "problems": NP_("status", "problems"), "fixed": NP_("status", "fixed"),
    "logged": NP_("status", "logged"),
    "called-out": NP_("status", "called-out"), "ended": NP_("status", "ended"),
    "active": NP_("status", "active"), "moved-out": NP_("status", "moved-out"),
    "cancelled": NP_("status", "cancelled"), "voided": NP_("status", "voided"),
    "replaced": NP_("status", "replaced"),
    # a duty whose shift is long over without a clock-out (views.status_at): shown, not stored
    "not-clocked-out": NP_("status", "not clocked out"),
}
#: A kind's own word for a status where the shared one reads wrong for its lifecycle: an
#: emergency in progress is 处置中 and then 已处置, a repair waits for dispatch (待派工), a
#: readiness problem for its fix (待修复). The msgctxt names the kind.
KIND_STATUSES = {
    "emergency": {"open": NP_("emergency status", "open"),
                  "closed": NP_("emergency status", "closed")},
    "repair": {"open": NP_("repair status", "open")},
    "readiness-problem": {"open": NP_("readiness problem status", "open")},
}
#: The named groups of statuses a status filter takes (queries.STATUS_GROUPS: which statuses
#: of which kinds): records waiting for the return visit (a complaint resolved, a repair done).
STATUS_GROUPS = {"awaiting-visit": NP_("status", "awaiting-visit")}
STATUS_GROUP_TYPED = {"awaiting-visit": ("待回访", "未回访", "等回访", "awaiting visit")}
#: Words the desk types for statuses besides the shown ones (accepted, never stored): the
#: field's words (domain notes) and the words earlier versions showed.
STATUS_TYPED = {"transferred": ("已转办",), "resolved": ("已解决",), "on-hold": ("挂起",),
                "done": ("已完成",), "on-site": ("维修中", "已到现场"),
                "open": ("进行中", "待派单"), "cancelled": ("已撤销",),
                # a duty as its steps are called (签到, 签退): 已签退 was no status at all
                "off-duty": ("已签退",), "on-duty": ("已签到",)}
#: ... and those one kind's desk types for its own status: a ticket is closed by its return
#: visit alone (a close without one is 已取消), so 已回访 is a closed complaint or repair,
#: never a closed emergency (it was answered "did you mean 待回访?", its opposite)
KIND_STATUS_TYPED = {"complaint": {"closed": ("已回访",)}, "repair": {"closed": ("已回访",)}}

ACTIONS = {
    "filed": NP_("action", "filed"), "note": NP_("action", "note"), "link": NP_("action", "link"),
    "callback-done": NP_("action", "callback-done"), "handle": NP_("action", "handle"),
    "transfer": NP_("action", "transfer"), "resolve": NP_("action", "resolve"),
    "visit": NP_("action", "visit"), "dispatch": NP_("action", "dispatch"),
    "arrive": NP_("action", "arrive"), "eta": NP_("action", "eta"), "hold": NP_("action", "hold"),
    "resume": NP_("action", "resume"), "done": NP_("action", "done"),
    "close": NP_("action", "close"), "reopen": NP_("action", "reopen"),
    "reclassify": NP_("action", "reclassify"), "reschedule": NP_("action", "reschedule"),
    "log": NP_("action", "log"), "accept": NP_("action", "accept"),
    "clock-out": NP_("action", "clock-out"), "fix": NP_("action", "fix"),
    "recheck": NP_("action", "recheck"), "settle": NP_("action", "settle"),
    "end": NP_("action", "end"),
    "callback-attempt": NP_("action", "callback-attempt"),
    "visit-attempt": NP_("action", "visit-attempt"),
    "edit": NP_("action", "edit"), "move-out": NP_("action", "move-out"),
    "erase-phone": NP_("action", "erase-phone"),
    "replace": NP_("action", "replace"),
    "restore": NP_("action", "restore"),  # a settle step undoing a void (never stored)
}


#: A deadline's state (tickets.deadlines: MET, MISSED ...) as a sheet's cell says it
#: (`due.state`; data keeps the id).
DEADLINE_STATES = {
    "met": NP_("deadline state", "met"), "missed": NP_("deadline state", "missed"),
    "overdue": NP_("deadline state", "overdue"), "pending": NP_("deadline state", "pending"),
    "unknown": NP_("deadline state", "unknown"),
    "not_applicable": NP_("deadline state", "not applicable"),
}
#: An attendance outcome of a rostered shift (desk/attendance.py).
ATTENDANCE = {
    "on-time": NP_("attendance", "on time"), "late": NP_("attendance", "late"),
    "absent": NP_("attendance", "absent"), "upcoming": NP_("attendance", "upcoming"),
    "on-leave": NP_("attendance", "on leave"),
    "unrostered": NP_("attendance", "unrostered"),
    "unknown": NP_("attendance", "not compared"),
    "call-out": NP_("attendance", "call-out"),
}


#: How a callback attempt ended (`callback attempt --result`).
ATTEMPT_RESULTS = {"no-answer": NP_("attempt", "no-answer"), "busy": NP_("attempt", "busy"),
                   "wrong-number": NP_("attempt", "wrong-number")}
#: Words the desk types for them whatever the language of the screens (accepted, never stored).
ATTEMPT_TYPED = {"no-answer": ("无人接听", "没人接", "未接通", "关机", "无法接通"),
                 "busy": ("占线", "忙音"),
                 "wrong-number": ("号码错误", "打错了", "空号")}


#: Why a ticket closed without a result (`complaint/repair close --as`, kinds.complaint).
CLOSED_AS = {"duplicate": NP_("closed as", "duplicate"),
             "withdrawn": NP_("closed as", "withdrawn"), "invalid": NP_("closed as", "invalid")}
CLOSED_AS_TYPED = {"duplicate": ("重复", "重复登记", "重复单"), "withdrawn": ("撤回", "住户撤回", "撤销"),
                   "invalid": ("无效",)}


#: The types of a duty log entry (`dutyctl log note --type`, kinds.entry.TYPES).
ENTRY_TYPES = {"note": NP_("entry", "note"), "patrol": NP_("entry", "patrol"),
               "visitor": NP_("entry", "visitor"), "key": NP_("entry", "key"),
               "delivery": NP_("entry", "delivery"), "notice": NP_("entry", "notice")}
ENTRY_TYPED = {"note": ("记事", "备注"), "patrol": ("巡查", "巡逻"), "visitor": ("来访", "访客"),
               "key": ("钥匙", "借钥匙"), "delivery": ("快递", "包裹"), "notice": ("通知", "公告")}


def _english(word: str | tuple[str, str]) -> str:
    return word[1] if isinstance(word, tuple) else word


def translated(word: str | tuple[str, str]) -> str:
    """A word marked N_("word") or NP_("context", "word"), in the language of the screens."""
    return pgettext(*word) if isinstance(word, tuple) else gettext(word)


def _word(table: Mapping[str, str | tuple[str, str]], key: str) -> str:
    return translated(table[key]) if key in table else key


def status_word(status: str, kind: str | None = None) -> str:
    """The status as people read it, in the words of the record's kind when it has its own
    (an open emergency is 处置中, an open complaint 待处理)."""
    own = KIND_STATUSES.get(kind, {})
    return translated(own[status]) if status in own else _word(STATUSES, status)


def kinds_of_status_word(typed: str, status: str,
                         kinds: Iterable[str]) -> tuple[str, ...] | None:
    """The kinds among `kinds` whose screens show `status` as the word typed: 处置中 is an open
    emergency, 待处理 an open complaint (never an open repair, shown 待派工), 已关闭 a closed
    complaint or repair (never an emergency, shown 已处置); part of a word, the kinds whose
    word holds it (待派: repairs, 已关: not emergencies). None (every kind) for the id, the
    English word or a word typed for every kind (进行中)."""
    said = typed.strip().casefold()
    if said in (word.casefold() for word in
                (status, _english(STATUSES.get(status, status)), *STATUS_TYPED.get(status, ()))):
        return None
    kinds = list(kinds)
    shown = tuple(kind for kind in kinds if status_word(status, kind).casefold() == said
                  or said in KIND_STATUS_TYPED.get(kind, {}).get(status, ()))
    return shown or tuple(kind for kind in kinds
                          if said in status_word(status, kind).casefold()) or None


def status_choices(statuses: Iterable[str], kinds: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For `choices.resolve` (list --status): each status with its shared word shown, and
    every kind's own word for it (处置中, 待派工), its English word and the typed ones
    accepted; for one kind, its own word is the one shown (a refusal lists 待派工 (open) for
    repairs, as their screens say it)."""
    found = choices(STATUSES, statuses, STATUS_TYPED)
    kinds = list(kinds)
    for kind in kinds:
        for status, word in KIND_STATUSES.get(kind, {}).items():
            if status in found:
                own = translated(word)
                found[status] = tuple(dict.fromkeys(
                    (own, *found[status]) if len(kinds) == 1 else (*found[status], own)))
        for status, typed in KIND_STATUS_TYPED.get(kind, {}).items():
            if status in found:
                found[status] = tuple(dict.fromkeys((*found[status], *typed)))
    return found


def status_words_shown(kinds: Mapping[str, Iterable[str]], groups: Iterable[str]) -> list[str]:
    """Every word a screen shows for a status of these kinds (kind -> its statuses), each
    kind's own (待派工, 处置中) beside the shared ones, then the groups': what a status filter's
    refusal lists."""
    shown = [status_word(status, kind) for kind, statuses in kinds.items()
             for status in sorted(statuses)]
    return list(dict.fromkeys([*shown, *(_word(STATUS_GROUPS, group) for group in groups)]))


def status_group_choices(groups: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For `choices.resolve` (list --status): each named group of statuses with its word."""
    return choices(STATUS_GROUPS, groups, STATUS_GROUP_TYPED)


def action_word(action: str) -> str:
    return _word(ACTIONS, action)


def attendance_word(result: str) -> str:
    return _word(ATTENDANCE, result)


def deadline_state_word(state: str) -> str:
    """`overdue` → 已超时 (the id when unknown)."""
    return _word(DEADLINE_STATES, state)


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


def closed_as_word(reason: str) -> str:
    return _word(CLOSED_AS, reason)


# -- a word mistyped ---------------------------------------------------------------------------

def near_words(typed: str, words: Sequence[str], n: int = 3) -> list[str]:
    """The words a mistyped one was likely meant as, closest first: for a word typed in
    Chinese, two characters with one right is already a likely slip (噪声 -> 噪音, 保修 ->
    报修, the input method's neighbour); an English one must be closer (repiar -> repair).
    Empty when nothing is close. Command words (commandwords.near_names) and choices
    (choices.near) alike."""
    import difflib

    word = typed.strip()
    if not word or not words or n < 1:  # nothing to be near (rules whose shifts are unread)
        return []
    cutoff = 0.6 if word.isascii() else 0.5
    return difflib.get_close_matches(word, list(words), n=n, cutoff=cutoff)


def fewest_edits(typed: str, words: Sequence[str]) -> list[str]:
    """Of the words a mistyped one is near (near_words, closest first), those fewest edits
    from it, as choices.near's rule guesses: one word only when it is strictly nearer than
    every other (repiar is one swap from repair, three from report: repair alone), every word
    as near when several are (报袖 is one change from 报修 and from 报表: both), in their
    order. Command words (commandwords.near_names)."""
    folded = typed.strip().casefold()
    counts = {word: edits(folded, word.strip().casefold()) for word in words}
    fewest = min(counts.values(), default=0)
    return [word for word in words if counts[word] == fewest]


def edits(typed: str, word: str, swaps: bool = True) -> int:
    """How many characters added, dropped, changed or two neighbours swapped (repiar) turn
    `typed` into `word`: the edit distance (without `swaps`: a swap counts as two changes)."""
    before: list[int] = []
    row = list(range(len(word) + 1))
    for i, a in enumerate(typed, 1):
        earlier, before, row = before, row, [i] + [0] * len(word)
        for j, b in enumerate(word, 1):
            row[j] = min(before[j] + 1, row[j - 1] + 1, before[j - 1] + (a != b))
            if swaps and i > 1 and j > 1 and a == word[j - 2] and typed[i - 2] == b:
                row[j] = min(row[j], earlier[j - 2] + 1)
    return row[-1]
