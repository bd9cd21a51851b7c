"""`rosters/rules.yaml`: shifts, staff, hard limits, fairness goals and fixed rotations.

Parsing collects every problem as `path:line: message` (through `dutyctl.schema.Fields`) and
still returns the best rules it could read, so the duty API keeps working on a file with one
bad leave date while `dutyctl check` and `roster generate` refuse it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from dutyctl.errors import Problem, ProblemsFound, by_file
from dutyctl.choices import describe, matches, near, split_list, staff_guesses, with_guesses
from dutyctl.frozen import field, frozen, replace
from dutyctl.messages import NP_, pgettext, t, tn
from dutyctl.rulesfile import read_rules_file, rules_path
from dutyctl import ruleids as ids, ruleskeys
from dutyctl.roster.coverage import DAY_END, Coverage, parse_range
from dutyctl.schema import Fields, full_width_colon, misread
from dutyctl.timeutil import half_width, iana, parse_clock, spoken_clock
from dutyctl.sitecalendar import (SiteCalendar, date_field, listed_days, no_year,
                                 parse_calendar, read_date)

METRICS = ("hours", "nights", "weekends", "holidays", "on_call")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_KINDS = ("daily", "workdays", "restdays")
OFF = "rest"  # a rest step in a rotation pattern ("off" would be read by YAML 1.1 as false)
RRULE_ANCHOR = date(2000, 1, 3)  # a Monday: where an RRULE without DTSTART starts counting
DEFAULT_PREFERENCE_WEIGHT = 3.0


@frozen
class Limits:
    """Hard limits: the site's defaults, which one person's contract may change."""

    min_rest_hours: float = 12.0
    max_consecutive_days: int = 6
    max_nights_in_a_row: int = 3
    max_hours_per_week: float = 48.0
    #: (fte, the site's max_hours_per_week) when max_hours_per_week is a part-timer's share of
    #: the site's (_own_limits), so a screen can say where a limit the rules never wrote
    #: comes from; None when it is the site's or the person's own
    weekly_share: tuple[float, float] | None = field(default=None, compare=False)


LIMIT_FIELDS = ("min_rest_hours", "max_consecutive_days", "max_nights_in_a_row",
                "max_hours_per_week")

#: The key a roster file's `blocked` gives a holder of the role whom no rule kept from an open
#: place: the generator left it open (`State.blocked_reason`; "busy" since the first files)
LEFT_OPEN = "busy"
#: ... and a holder who already holds another seat of the same shift that day: an overlap
#: with their own place there, which "overlapping shifts" said as if with another shift
ON_THIS_SHIFT = "on_shift"
#: Each hard rule by its key (the YAML key of a limit or of a staff field, or the check's own
#: name) and the short label screens name it by. Files and json/yaml/csv keep the key.
RULE_LABELS = {
    "overlap": NP_("rule", "overlapping shifts"),
    "min_rest_hours": NP_("rule", "too little rest"),
    "max_consecutive_days": NP_("rule", "too many days in a row"),
    "max_nights_in_a_row": NP_("rule", "too many nights in a row"),
    "max_hours_per_week": NP_("rule", "weekly hours used up"),
    "roles": NP_("rule", "wrong role"),
    "leave": NP_("rule", "on leave"),
    "active": NP_("rule", "not employed"),
    LEFT_OPEN: NP_("rule", "no rule broken, left open"),
    ON_THIS_SHIFT: NP_("rule", "already on this shift"),
}
#: The rules a supervisor may change under their own key in rules.yaml.
RULES_FILE_KEYS = (*LIMIT_FIELDS, "roles", "leave")


def rule_label(key: str) -> str:
    """The rule `key` as screens name it (休息不足); an unknown key (a newer dutyctl's, in a
    roster file) as written."""
    return pgettext(*RULE_LABELS[key]) if key in RULE_LABELS else key


def rule_key(key: str) -> str:
    """A rules.yaml key as the screen's language writes it: 最少休息小时 for min_rest_hours on a
    Chinese screen (the manual's word, read as the English key in either file), else the key."""
    from dutyctl.messages import current_language

    if not current_language().startswith("zh"):
        return key
    return ruleskeys.first_words(ruleskeys.STAFF).get(key, key)  # 最少休息小时, 岗位, 请假


#: The rules set by other keys of rules.yaml than their own: not employed by a staff
#: member's active_from and active_until (入职日期/离职日期).
RULES_SET_BY = {"active": ("active_from", "active_until")}


def rule_file_key(key: str) -> str:
    """The rules.yaml key that sets rule `key` as the screen's language writes it (rule_key:
    最少休息小时, 岗位; 入职日期/离职日期 for not employed): where a supervisor changes it;
    "" for a check no key sets (overlapping shifts, a place left open that no rule kept
    anyone from)."""
    if key in RULES_FILE_KEYS:
        return rule_key(key)
    return "/".join(rule_key(field) for field in RULES_SET_BY.get(key, ()))


def rule_break(key: str, detail: str) -> str:
    """A finding's words for a break of rule `key`: its label, the rules.yaml key in brackets
    when the file has one (where a supervisor would change it), then `detail`."""
    written = rule_file_key(key)
    if written and written != rule_label(key):  # not 请假（请假）
        return t("{rule} ({key}): {detail}", rule=rule_label(key), key=written, detail=detail)
    return t("{rule}: {detail}", rule=rule_label(key), detail=detail)


@frozen
class Shift:
    id: str
    name: str
    start: time
    end: time  # at or before start: the shift ends the next day
    days: str  # daily | workdays | restdays | rrule
    rrule: str | None
    anchor: date  # where an RRULE starts counting
    need: tuple[tuple[str, int], ...]  # (role, headcount) in file order
    night: bool
    line: int = 0
    on_call: bool = False  # 备班: reachable at home, not at the desk; its own count and rest rule
    days_written: str = field(default="", compare=False)  # as the rules say it (每周一、三、五)

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(role for role, _ in self.need)

    def headcount(self, role: str) -> int:
        return dict(self.need).get(role, 0)

    def occurs(self, day: date, calendar: SiteCalendar) -> bool:
        if self.days == "daily":
            return True
        if self.days == "workdays":
            return calendar.is_working_day(day)
        if self.days == "restdays":
            return calendar.is_rest_day(day)
        return day in _rrule_days(self.rrule, self.anchor, day.year)


@lru_cache(maxsize=256)
def _rrule_days(rule: str, anchor: date, year: int) -> frozenset[date]:
    """The days of `year` an RRULE falls on (cached per year: callers ask day by day)."""
    from dateutil.rrule import rrulestr

    schedule = rrulestr(rule, dtstart=datetime.combine(anchor, time(0)), ignoretz=True)
    first, last = datetime(year, 1, 1), datetime(year, 12, 31, 23, 59)
    return frozenset(moment.date() for moment in schedule.between(first, last, inc=True))


_EXRULE = re.compile(r"^\s*EXRULE", re.IGNORECASE | re.MULTILINE)
_FINER_THAN_DAYS = re.compile(r"FREQ\s*=\s*(HOURLY|MINUTELY|SECONDLY)|BY(HOUR|MINUTE|SECOND)\s*=",
                              re.IGNORECASE)


def check_rrule(rule: str, anchor: date) -> str | None:
    from dateutil.rrule import rrulestr

    from dutyctl.recurrence import (LOOK_AHEAD_YEARS, Unlistable, bad_interval, first_due,
                                    unlistable_rule)

    if _FINER_THAN_DAYS.search(rule):  # FREQ=SECONDLY: a year of it would take hours to list
        return t("a shift's days repeat by the day at the finest: FREQ=DAILY, WEEKLY, MONTHLY "
                 "or YEARLY, without BYHOUR, BYMINUTE or BYSECOND")
    if bad_interval(rule):
        return t("INTERVAL must be a whole number of 1 or more")
    if _EXRULE.search(rule):  # one that leaves out every day makes dateutil search to 9999
        return t("EXRULE is not allowed (RFC 5545 has dropped it): list the days to leave out "
                 "with EXDATE")
    start = datetime.combine(anchor, time(0))
    try:
        schedule = rrulestr(rule, dtstart=start, ignoretz=True)
    except (ValueError, TypeError) as exc:
        return t("not an RRULE ({reason}); expected daily, workdays, restdays or an RRULE such "
                 "as \"FREQ=WEEKLY;BYDAY=MO,WE,FR\"", reason=exc)
    # no day fits (30 February): listing a year of it would search to the year 9999
    try:
        fits, reached = first_due(schedule, start)
    except Unlistable:
        return unlistable_rule()
    if fits is None:
        return t("no day in the {years} years from its anchor ({anchor}) fits the rule",
                 years=LOOK_AHEAD_YEARS, anchor=anchor.isoformat())
    if not reached:
        return t("its UNTIL or COUNT ends it before its first day ({day}): the shift never "
                 "runs", day=fits.date().isoformat())
    return None


def shift_bounds(day: date, shift: Shift, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, shift.start, tzinfo=tz)
    end_day = day + timedelta(days=1) if shift.crosses_midnight else day
    return start, datetime.combine(end_day, shift.end, tzinfo=tz)


@frozen
class Preference:
    """One item of `avoid` or `prefer`: a shift id, a weekday, a date, weekends or holidays."""

    kind: str  # shift | weekday | date | weekends | holidays
    value: Any
    text: str

    def matches(self, day: date, shift_id: str, weekend: bool, holiday: bool) -> bool:
        if self.kind == "shift":
            return shift_id == self.value
        if self.kind == "weekday":
            return day.weekday() == self.value
        if self.kind == "date":
            return day == self.value
        if self.kind == "weekends":
            return weekend
        return holiday


@frozen
class Staff:
    id: str
    name: str
    roles: tuple[str, ...]
    leave: frozenset[date]
    active_from: date | None
    active_until: date | None
    fte: float
    limits: Limits
    avoid: tuple[Preference, ...] = ()
    prefer: tuple[Preference, ...] = ()
    line: int = 0
    #: the leave days whose entry gives its kind (`reason: 病假`), with it
    leave_kinds: tuple[tuple[date, str], ...] = ()

    def is_active(self, day: date) -> bool:
        return ((self.active_from is None or day >= self.active_from)
                and (self.active_until is None or day <= self.active_until))

    def leave_kind(self, day: date) -> str | None:
        """The kind of leave the rules give for `day` (年假, 病假), None when they give none."""
        return dict(self.leave_kinds).get(day)

    def leave_said(self, day: date) -> str:
        """A leave day in words: its kind when the rules give one (当天病假), else that the
        rules list it (never 请假 again beside the rule's own name, 请假)."""
        kind = self.leave_kind(day)
        return t("{kind} that day", kind=kind) if kind else t("the rules list that day as leave")

    def unavailable_reason(self, day: date) -> str | None:
        """'leave' or 'active' (outside active_from/active_until), None when available."""
        if not self.is_active(day):
            return "active"
        if day in self.leave:
            return "leave"
        return None


@frozen
class Rotation:
    """A fixed cycle over teams. It advances one step per occurrence (GoAlert #55): without a
    pattern, per slot of its shifts that actually occurs; with one, per day on which one of
    its shifts occurs. Never per calendar day, so a workdays-only shift reaches everyone."""

    id: str
    shifts: tuple[str, ...]
    teams: tuple[tuple[str, ...], ...]
    pattern: tuple[str, ...] | None
    offsets: tuple[int, ...]
    start: date
    line: int = 0


@frozen
class Rules:
    path: str
    timezone_name: str | None
    calendar: SiteCalendar
    shifts: tuple[Shift, ...]
    staff: tuple[Staff, ...]
    limits: Limits
    fairness: Mapping[str, float]
    preference_weight: float
    rotations: tuple[Rotation, ...] = ()
    sha256: str = ""
    shift_by_id: Mapping[str, Shift] = field(default_factory=dict, compare=False)
    staff_by_id: Mapping[str, Staff] = field(default_factory=dict, compare=False)
    coverage: Coverage = field(default_factory=Coverage)  # hours someone must be on duty

    def shift(self, shift_id: str) -> Shift | None:
        return self.shift_by_id.get(shift_id)

    def leave_on(self, staff_id: str, day: date) -> str | None:
        """The kind of leave the rules give `staff_id` on `day` (病假; "" for leave of no
        kind given), None when they list no leave for them that day."""
        member = self.member(staff_id)
        if member is None or day not in member.leave:
            return None
        return member.leave_kind(day) or ""

    def member(self, staff_id: str) -> Staff | None:
        return self.staff_by_id.get(staff_id)

    def kept_off(self, staff_id: str, day: date) -> bool:
        """Do the rules keep `staff_id` from work on `day` (leave, or before active_from or
        after active_until), whatever a roster made before says? Not someone the rules no
        longer name: `roster check` says that of each place they hold."""
        member = self.member(staff_id)
        return member is not None and member.unavailable_reason(day) is not None

    def name_of(self, staff_id: str | None) -> str:
        member = self.staff_by_id.get(staff_id) if staff_id else None
        return member.name if member else (staff_id or "")

    def person(self, staff_id: str | None) -> str:
        """李娜: a person in a finding, an explanation or a roster screen, by name; with the id
        only when another member bears the same name (names.Names.person)."""
        return self._names.short_person(staff_id) or ""

    def shared_id(self, staff_id: str | None) -> str | None:
        """The id shown beside the name only when another member bears it: a line that
        already brackets a detail after the name puts it inside (陈静 (zhaolei, 夜班))."""
        return self._names.shared_id(staff_id)

    @cached_property
    def _names(self):
        from dutyctl.names import Names

        return Names(None, {member.id: member.name for member in self.staff})


# --- small field readers ------------------------------------------------------------------

def _not_a_role(role: Any, known: Mapping[str, str]) -> str:
    """Why `role` is no role of dutyctl.yaml, saying what to write instead."""
    several = split_list(str(role))
    if len(several) > 1 and all(part in known for part in several):
        return t("'{value}' is several roles: separate them with a half-width comma ','",
                 value=role)
    refusal = misread(t("no role '{role}' in dutyctl.yaml roles (known: {known})", role=role,
                        known=describe(known)), role)  # “客服专员”: Chinese quotes said
    return with_guesses(refusal, known, near(role, known, one_off=True)) if isinstance(role, str) else refusal


def _role_id(fields: Fields, key: str, role: Any, known: Mapping[str, str] | None) -> str | None:
    """The id of a role written by its id or by its name in dutyctl.yaml (客服专员: the word a
    supervisor writes); None, and a problem at `key`, when it is neither."""
    if known is None or role in known:
        return str(role)
    named = matches(role, known, partial=False) if isinstance(role, str) else []
    if len(named) == 1:
        return named[0]
    fields.problem(key, t("'{value}' could be any of: {candidates}; give the id", value=role,
                          candidates=describe(known, named)) if named
                   else _not_a_role(role, known))
    return None


def _role_said(role: str, known: Mapping[str, str] | None) -> str:
    """A role as the rules' reader knows it: 保安（guard）, the id alone without a name."""
    name = known.get(role) if known else None
    return t("{name} ({id})", name=name, id=role) if name and name != role else role


# The words a supervisor writes for the rules' values (周末 for weekends, 工作日 for workdays),
# taken as those values; the keys' words are `dutyctl.ruleskeys`.
_WEEKDAY_WORDS = {f"{prefix}{day}": key for prefix in ("周", "星期", "礼拜")
                  for day, key in zip(("一", "二", "三", "四", "五", "六", "日"), WEEKDAYS)}
_WEEKDAY_WORDS.update({"周天": "sun", "星期天": "sun", "礼拜天": "sun"})
_DAY_KIND_WORDS = {"每天": "daily", "每日": "daily", "天天": "daily", "全天": "daily",
                   "工作日": "workdays", "上班日": "workdays", "每个工作日": "workdays",
                   "每工作日": "workdays", "休息日": "restdays", "每个休息日": "restdays",
                   "周末和节假日": "restdays", "节假日和周末": "restdays"}
_PREFERENCE_WORDS = {**_WEEKDAY_WORDS, "周末": "weekends", "周末班": "weekends",
                     "双休日": "weekends", "节假日": "holidays", "节假日班": "holidays",
                     "假日": "holidays", "法定节假日": "holidays"}
# every word a wish may use for a day that is no shift (`_may_name_unread`)
_PREFERENCE_NAMES = (*WEEKDAYS, "weekends", "holidays", *_PREFERENCE_WORDS)
_REST_WORDS = {"休息": OFF, "休": OFF, "休班": OFF, "轮休": OFF}


_UNUSABLE_ID = {
    "shifts": lambda value, why: t("'{value}' cannot be a shift id: {why}. An id is letters of "
                                   "any script and digits, with - _ . between them, such as "
                                   "白班 or night-oncall", value=value, why=why),
    "staff": lambda value, why: t("'{value}' cannot be a staff id: {why}. An id is letters of "
                                  "any script and digits, with - _ . between them, such as 张伟 "
                                  "or zhangwei", value=value, why=why),
    "rotations": lambda value, why: t("'{value}' cannot be a rotation id: {why}. An id is "
                                      "letters of any script and digits, with - _ . between "
                                      "them, such as 前台轮班 or front-desk", value=value,
                                      why=why)}
# an entry without an id line goes by its name, when the name can be one; a name that only
# holds a space (刘 洋) is most likely a slip: writing it without comes first
_NAME_SPACED = {
    "shifts": lambda value, fixed: t("the name '{value}' cannot stand for the shift's id: it "
                                     "holds a space. Write the name as {fixed}; only if it must "
                                     "keep the space, add an id line, such as id: {fixed}",
                                     value=value, fixed=fixed),
    "staff": lambda value, fixed: t("the name '{value}' cannot stand for the staff member's id: "
                                    "it holds a space. Write the name as {fixed}; only if it "
                                    "must keep the space, add an id line, such as id: {fixed}",
                                    value=value, fixed=fixed)}
# a name with full-width or look-alike characters (高峰１): its `why` says how to write it
_NAME_RESPELLED = {
    "shifts": lambda value, why: t("the name '{value}' cannot stand for the shift's id: {why}",
                                   value=value, why=why),
    "staff": lambda value, why: t("the name '{value}' cannot stand for the staff member's id: "
                                  "{why}", value=value, why=why)}
_NAME_NOT_USABLE = {
    "shifts": lambda value, why: t("the name '{value}' cannot stand for the shift's id: {why}. "
                                   "Add an id line, such as id: 白班 or id: night", value=value,
                                   why=why),
    "staff": lambda value, why: t("the name '{value}' cannot stand for the staff member's id: "
                                  "{why}. Add an id line, such as id: 张伟 or id: zhangwei",
                                  value=value, why=why)}
_NO_ID_NOR_NAME = {  # the keys as the file writes them: name, or 姓名 / 名称
    "shifts": lambda name, id: t("is required: the shift's name ({name}: 白班), or an {id} line "
                                 "when the name cannot be its id", name=name, id=id),
    "staff": lambda name, id: t("is required: the staff member's name ({name}: 张伟), or an {id} "
                                "line when two people share a name", name=name, id=id)}
_NAME_TAKEN = {  # `key`: the id key as the file writes it (id, or 编号)
    "shifts": lambda id, first, key: t("'{id}' is already the id of the shift on line {first}: "
                                       "give each of the two its own {key} line, such as "
                                       "{key}: {id}1 and {key}: {id}2", id=id, first=first,
                                       key=key),
    "staff": lambda id, first, key: t("'{id}' is already the id of the staff member on line "
                                      "{first}: when two people share a name, give each its own "
                                      "{key} line, such as {key}: {id}1 and {key}: {id}2; the "
                                      "rosters written so far name the first '{id}': to keep "
                                      "them, give the newcomer another name instead (such as "
                                      "{id}2)", id=id, first=first, key=key),
    "rotations": lambda id, first, key: t("'{id}' is already the id of the rotation on line "
                                          "{first}: give each of the two its own {key} line, "
                                          "such as {key}: {id}1 and {key}: {id}2", id=id,
                                          first=first, key=key)}
# one entry's id the name of another: typed (夜班, 张伟), it could only ever mean the first
_ID_AND_NAME = {
    "shifts": lambda value, first, key: t("'{value}' names both the shift on line {first} and "
                                          "this one (as an id or a name): typed, it could mean "
                                          "either; give each its own {key} line, such as "
                                          "{key}: {value}1 and {key}: {value}2", value=value,
                                          first=first, key=key),
    "staff": lambda value, first, key: t("'{value}' names both the staff member on line {first} "
                                         "and this one (as an id or a name): typed, it could "
                                         "mean either; when two people share a name, give each "
                                         "its own {key} line, such as {key}: {value}1 and "
                                         "{key}: {value}2; the rosters written so far name the "
                                         "first '{value}': to keep them, give the newcomer "
                                         "another name instead (such as {value}2)",
                                         value=value, first=first, key=key)}
_DUPLICATE_ID = {
    "shifts": lambda id, first: t("duplicate shift id '{id}' (first on line {first})", id=id,
                                  first=first),
    "staff": lambda id, first: t("duplicate staff id '{id}' (first on line {first})", id=id,
                                 first=first),
    "rotations": lambda id, first: t("duplicate rotation id '{id}' (first on line {first})",
                                     id=id, first=first)}


def _id_named(value: Any, choices: Mapping[str, str]) -> str | None:
    """The id of the one entry of `choices` (id -> name) that `value` names by its name (夜班
    for night, 张伟 for zhangwei): the rules take a shift or a person by either; else None."""
    if not isinstance(value, str) or value in choices:
        return None
    found = matches(value, choices, partial=False)
    return found[0] if len(found) == 1 else None


def _no_such_member(value: str, staff: Mapping[str, str]) -> str:
    """Nobody is `value`; a name of the same sound (孙莉 for 孙丽) says whom it likely meant,
    as the desk's commands do (choices.staff_guesses): 李四 only looks near 李娜, and a wrong
    person named is worse than none. An id in letters (sunlii) is guessed by its spelling."""
    guesses = near(value, staff) if value.isascii() else staff_guesses(value, staff)
    return with_guesses(t("no staff member '{id}'", id=value), staff, guesses)


def _several_people(value: str, staff: Mapping[str, str]) -> str | None:
    """`陈静，孙丽，赵磊` (a full-width comma): several people written as one, said so."""
    parts = split_list(value)
    if len(parts) > 1 and all((_id_named(part, staff) or part) in staff for part in parts):
        return t("'{value}' is several people: separate them with a half-width comma ','",
                 value=value)
    return None


def _several_named(value: Any, choices: Mapping[str, str]) -> str | None:
    """The refusal of a name several entries share (two people named 张伟): give the id."""
    found = matches(value, choices, partial=False) if isinstance(value, str) else []
    return t("'{value}' could be any of: {candidates}; give the id", value=value,
             candidates=describe(choices, found)) if len(found) > 1 else None


def _identifier(fields: Fields, key: str, section: str) -> str | None:
    """The id of an entry of `section` (ids.why_not_id says what one may be); for staff and
    shifts without an id line, the entry's name (张伟, 夜间备班: no pinyin needed)."""
    if section in _NAME_NOT_USABLE and not fields.has(key):
        if not fields.has("name"):
            fields.problem("name", _NO_ID_NOR_NAME[section](fields.label("name"),
                                                            fields.label("id")))
            return None
        value = fields.raw("name")
        if not isinstance(value, str) or not value.strip():
            return None  # the name's own check says what is wrong with it
        why = ids.why_not_id(value)
        if why:
            fixed = ids.respelled(value)
            if fixed is not None and any(char.isspace() for char in value):
                fields.problem("name", _NAME_SPACED[section](value, fixed))
            elif fixed is not None:  # `why` says to write it as `fixed`
                fields.problem("name", _NAME_RESPELLED[section](value, why))
            else:
                fields.problem("name", _NAME_NOT_USABLE[section](value, why))
            return None
        return value
    value = fields.text(key)
    why = ids.why_not_id(value) if value is not None else None
    if why:
        fields.problem(key, _UNUSABLE_ID[section](value, why))
        return None
    return value


# Bounds of what a rule may say (a rules file may come from another desk): a run longer than
# a year or a headcount of a billion would have every roster command read years of rosters
# or build a billion places before saying anything.
MAX_RUN_DAYS = 366
MAX_HEADCOUNT = 1000
MAX_ENTRIES = 5000  # of shifts, staff or rotations: a center's whole list is a few hundred
WEEK_HOURS = 168


def _hours(fields: Fields, key: str, default: float) -> float:
    value = fields.number(key, required=False, default=default)
    if value is not None and value < 0:
        fields.problem(key, t("must not be negative"))
        return default
    if value is not None and not value <= WEEK_HOURS:  # NaN and infinity too
        fields.problem(key, t("must be at most {maximum}", maximum=WEEK_HOURS))
        return default
    return default if value is None else value


def _limits(fields: Fields | None, base: Limits) -> Limits:
    if fields is None:
        return base
    return Limits(
        min_rest_hours=_hours(fields, "min_rest_hours", base.min_rest_hours),
        max_consecutive_days=fields.integer("max_consecutive_days", False, 1,
                                            base.max_consecutive_days, MAX_RUN_DAYS),
        max_nights_in_a_row=fields.integer("max_nights_in_a_row", False, 0,
                                           base.max_nights_in_a_row, MAX_RUN_DAYS),
        max_hours_per_week=_hours(fields, "max_hours_per_week", base.max_hours_per_week),
    )


def _own_limits(fields: Fields, base: Limits, fte: float) -> Limits:
    """A person's limits: the site's where they set none, but a part-time contract (fte under
    1) without its own `max_hours_per_week` works that share of the site's weekly hours (a
    half-time clerk 24 of 48 h, the 24 h a week Chinese law allows 非全日制用工; a short-staffed
    month gave her a full-time load), and says so. An fte over 1 raises nothing."""
    limits = _limits(fields, base)
    if fte >= 1 or fields.has("max_hours_per_week"):
        return limits
    return replace(limits, max_hours_per_week=base.max_hours_per_week * fte,
                   weekly_share=(fte, base.max_hours_per_week))


def _overlaps_small_hours(start: time, end: time) -> bool:
    """Default for `night`: the shift covers part of 00:00-05:00."""
    if end <= start:  # crosses midnight: covers the small hours unless it ends at 00:00
        return end > time(0) or end == start  # 00:00 to 00:00: the whole day, small hours too
    return start < time(5)


def _every(rule: str) -> str | None:
    """The rule meant where 每 was left out (周一至周五, 周一、三、五, 星期六): 每 and the rule,
    when that reads as one."""
    from dutyctl.recurrence import rrule_of

    typed = half_width(rule).strip()
    if not typed.startswith(("周", "星期")):
        return None
    return "每" + typed if rrule_of("每" + typed) else None


def _counts_from_a_day(rule: str) -> bool:
    """Whether an RRULE's days depend on where it starts counting: every other day or week
    (INTERVAL), or 每周 / 每月 / 每年 naming no day (the start's weekday or date)."""
    return "INTERVAL=" in rule or (";BY" not in rule and not rule.startswith("FREQ=DAILY"))


def _days(fields: Fields, anchor: date) -> tuple[str, str | None]:
    value = fields.raw("days", "daily")
    if value in DAY_KINDS:
        return value, None
    if not isinstance(value, str) or not value.strip():
        fields.problem("days", misread(t("expected daily, workdays, restdays or an RRULE"), value))
        return "daily", None
    rule = value.strip()
    kind = _DAY_KIND_WORDS.get(half_width(rule).strip())
    if kind is not None:  # 每天, 工作日, 休息日: the supervisor's words for the kinds
        return kind, None
    if "FREQ=" not in rule.upper():
        from dutyctl.recurrence import from_start, rrule_of

        said = rrule_of(rule)  # 每周一、三、五, 每两天
        if said and _counts_from_a_day(said) and not fields.has("anchor"):
            fields.problem("days", t("'{value}' counts from a day it does not name: add the day "
                                     "its first shift falls on, such as anchor: \"2026-12-01\", "
                                     "or name the days (每周一、三、五, 每月1日)", value=rule))
            return "daily", None
        rule = from_start(said, anchor) if said else rule
    meant = _every(rule) if "FREQ=" not in rule.upper() else None
    if meant:  # 周一至周五: 每周一至周五 meant
        fields.problem("days", t("for '{value}' write {key}", value=rule, key=meant))
        return "daily", None
    if "FREQ=" not in rule.upper():
        fields.problem("days", t("'{value}' is none of 每天 (daily), 工作日 (workdays), 休息日 "
                                 "(restdays), a rule such as 每周一、三、五, or an RRULE such as "
                                 "\"FREQ=WEEKLY;BYDAY=MO,WE,FR\"", value=rule))
        return "daily", None
    error = check_rrule(rule, anchor)
    if error:
        fields.problem("days", error)
        return "daily", None
    return "rrule", rule


def _need(fields: Fields | None, known_roles: Iterable[str] | None) -> tuple[tuple[str, int], ...]:
    if fields is None:
        return ()
    need = []
    said = len(fields.problems)  # a count already refused (１, 一) is that line's one problem
    for role in fields.data:
        if isinstance(role, str) and "\uff1a" in role and fields.raw(role) is None:
            # `{客服专员： 1}`: one key with no value to YAML; the colon said, not "required"
            fields.problem(role, full_width_colon(role))
            continue
        count = fields.integer(role, minimum=0, maximum=MAX_HEADCOUNT)
        role_id = _role_id(fields, role, role, known_roles)
        if role_id and any(taken == role_id for taken, _ in need):
            fields.problem(role, t("'{value}' is the role {id}, already listed", value=role,
                                   id=role_id))
        elif role_id and count:
            need.append((role_id, count))
    if not need and fields.ok and len(fields.problems) == said:
        fields.problem(None, t("needs at least one role with a headcount of 1 or more"))
    return tuple(need)


def _shift(fields: Fields, known_roles) -> Shift | None:
    fields.unknown(("id", "name", "start", "end", "days", "anchor", "need", "night", "on_call"),
                   ruleskeys.SHIFT)
    shift_id = _identifier(fields, "id", "shifts")
    name = fields.text("name", required=False, default=shift_id)
    for key, said in (("id", shift_id), ("name", name)):
        if said == OFF or said in _REST_WORDS:  # a rotation's pattern says rest with them
            fields.problem(key, t("'{off}' is reserved for rest steps in rotation patterns",
                                  off=said))
            break
    start = _shift_clock(fields, "start")
    end = _shift_clock(fields, "end", start)
    anchor = date_field(fields, "anchor") or RRULE_ANCHOR
    days, rrule = _days(fields, anchor)
    need = _need(fields.mapping("need"), known_roles)
    if shift_id is None or start is None or end is None:
        return None
    night = fields.boolean("night", _overlaps_small_hours(start, end))
    on_call = fields.boolean("on_call", False)
    written = fields.raw("days")
    return Shift(shift_id, name or shift_id, start, end, days, rrule, anchor, need, night,
                 fields.line, on_call, written.strip() if isinstance(written, str) else "")


def _shift_clock(fields: Fields, key: str, start: time | None = None) -> time | None:
    """A shift's start or end (`start`: the shift's, for its end); an end of "24:00" is
    midnight (the shift ends as the next day begins), a start of "24:00" is refused saying to
    write "00:00"."""
    value = fields.raw(key)
    if isinstance(value, str) and half_width(value).strip() in ("24:00", "24:00:00"):
        if key == "end":
            return time(0)
        fields.problem(key, t('24:00 is the end of a day: a shift that starts at midnight '
                              'starts at "00:00"'))
        return None
    slip = _clock_slip(value, key, start)
    if slip:
        fields.problem(key, slip)
        return None
    return fields.clock(key)


_NEXT_DAY = re.compile(r"^(?:次日|第二天|翌日|隔天|次晨|明天|明早|next day)\s*(.+)$", re.IGNORECASE)


def _clock_slip(value: Any, key: str, start: time | None) -> str | None:
    """How to write a shift's time (`key`: start or end; `start`: the shift's, for its end)
    typed as its whole span ("21:00-08:00") or with the next day said ("次日08:00"), a night
    shift's usual slips; None for anything else."""
    if not isinstance(value, str):
        return None
    typed = half_width(value).strip()
    span = parse_range(typed)
    if span is not None:
        return t('"{typed}" is a start and an end: write them on two lines, start: "{start}" '
                 'and end: "{end}" (an end not after the start is on the next day)',
                 typed=value.strip(), start=f"{span[0]:%H:%M}",
                 end="24:00" if span[1] == DAY_END else f"{span[1]:%H:%M}")
    next_day = _NEXT_DAY.match(typed)
    clock = next_day and (parse_clock(next_day[1]) or spoken_clock(next_day[1]))
    if not clock:
        return None
    if key == "start":
        return t('"{typed}": a shift starts on its own day: write the time alone, "{clock}"',
                 typed=value.strip(), clock=f"{clock:%H:%M}")
    if start is not None and clock > start:  # written alone it would end the same day
        return t('"{typed}": a shift lasts at most 24 hours; its end is on the next day only '
                 'when it is not after its start ({start})', typed=value.strip(),
                 start=f"{start:%H:%M}")
    return t('"{typed}": write the time alone, "{clock}": an end not after the start is '
             'on the next day', typed=value.strip(), clock=f"{clock:%H:%M}")


def _preferences(fields: Fields, key: str, shift_names: Mapping[str, str],
                 unread: frozenset[str] | None = frozenset()) -> tuple[Preference, ...]:
    found = []
    for index, item, line in fields.items(key, required=False):
        day = read_date(item) if not isinstance(item, str) or item[:1].isdigit() else None
        text = str(item).strip() if isinstance(item, str) else ""
        text = text if text in shift_names else text.lower()  # an id as written (A班), or mon
        if text not in shift_names:  # 周末, 周六, 节假日; a shift by its name (夜班)
            word, named = _PREFERENCE_WORDS.get(half_width(text)), _id_named(text, shift_names)
            if word and named:
                fields.problem(f"{key}[{index}]", t(
                    "'{value}' is both the name of the shift {id} and the word for {word}: write "
                    "{id} or {word}", value=text, id=named, word=word), line)
                continue
            text = word or named or text
        if day is not None:
            found.append(Preference("date", day, day.isoformat()))
        elif text in shift_names:
            found.append(Preference("shift", text, text))
        elif text in WEEKDAYS:
            found.append(Preference("weekday", WEEKDAYS.index(text), text))
        elif text in ("weekends", "holidays"):
            found.append(Preference(text, None, text))
        elif isinstance(item, str) and _may_name_unread(item.strip(), unread):
            continue  # a shift whose own entry could not be read: said there, not twice
        else:
            refusal = misread(t(
                "expected a shift ({shifts}), a weekday (周一..周日, mon..sun), a date, 周末 "
                "(weekends) or 节假日 (holidays)", shifts=describe(shift_names)) if shift_names
                else t("expected a weekday (周一..周日, mon..sun), a date, 周末 (weekends) or "
                       "节假日 (holidays)"), item)
            if isinstance(item, str):  # 夜斑 for 夜班
                refusal = with_guesses(refusal, shift_names, near(item, shift_names, one_off=True))
            fields.problem(f"{key}[{index}]", _several_named(item, shift_names)
                           or _several_preferences(item, shift_names) or no_year(item)
                           or refusal, line)
    return tuple(found)


def _several_preferences(item: Any, shift_names: Mapping[str, str]) -> str | None:
    """`夜间备班，周末` (a Chinese comma: one item to YAML) when each part is one: say so, as
    for roles, not that the whole is no shift or day."""
    parts = split_list(item) if isinstance(item, str) else []
    if len(parts) < 2:
        return None

    def known(part: str) -> bool:
        return (part in shift_names or part.lower() in WEEKDAYS
                or part.lower() in ("weekends", "holidays")
                or _PREFERENCE_WORDS.get(half_width(part)) is not None
                or _id_named(part, shift_names) is not None
                or (part[:1].isdigit() and read_date(part) is not None))

    if not all(known(part) for part in parts):
        return None
    return t("'{value}' is several: separate them with a half-width comma ','", value=item)


def _staff(fields: Fields, base: Limits, known_roles, shift_names: Mapping[str, str],
           unread_shifts: frozenset[str] | None = frozenset()) -> Staff | None:
    fields.unknown(("id", "name", "roles", "leave", "active_from", "active_until", "fte",
                    *LIMIT_FIELDS, "avoid", "prefer"), ruleskeys.STAFF)
    staff_id = _identifier(fields, "id", "staff")
    name = fields.text("name", required=False, default=staff_id)
    roles = list(dict.fromkeys(role_id for role in fields.text_list("roles", required=True)
                               if (role_id := _role_id(fields, "roles", role, known_roles))))
    fte = fields.number("fte", required=False, default=1.0)
    if fte is not None and not 0 < fte <= 2:
        fields.problem("fte", t("expected a share of a full-time contract between 0 and 2 "
                                "(1 = full time, 0.5 = half time)"))
        fte = 1.0
    first, last = date_field(fields, "active_from"), date_field(fields, "active_until")
    if first and last and last < first:
        from dutyctl.output import day_label

        fields.problem("active_until", t("{last} is before active_from {first}: active_from is "
                                         "the first day at work, active_until the last",
                                         last=day_label(last), first=day_label(first)))
    leave = listed_days(fields, "leave")
    member = Staff(
        id=staff_id or "", name=name or staff_id or "", roles=tuple(roles),
        leave=frozenset(leave), active_from=first, active_until=last,
        leave_kinds=tuple(sorted((day, kind) for day, kind in leave.items() if kind)),
        fte=fte or 1.0,
        limits=_own_limits(fields, base, fte or 1.0),
        avoid=_preferences(fields, "avoid", shift_names, unread_shifts),
        prefer=_preferences(fields, "prefer", shift_names, unread_shifts), line=fields.line)
    return member if staff_id else None


def _fairness(top: Fields) -> dict[str, float]:
    if "fairness" not in top.data:
        return dict.fromkeys(METRICS, 1.0)  # every metric, weighed alike
    value = top.raw("fairness")
    weights: dict[str, float] = {}
    if isinstance(value, list):
        for index, metric, line in top.items("fairness"):  # an empty item said there
            if isinstance(metric, str):
                metric = ruleskeys.METRICS.get(half_width(metric).strip(), metric)  # 工时, 夜班
            if metric in METRICS:
                weights[metric] = 1.0
            else:
                top.problem(f"fairness[{index}]", _no_metric(metric), line)
    elif isinstance(value, dict):
        section = top.mapping("fairness")
        section.unknown(METRICS, ruleskeys.METRICS)
        for metric in METRICS:
            weight = section.number(metric, required=False)
            if weight is not None:
                if weight < 0:
                    section.problem(metric, t("must not be negative"))
                else:
                    weights[metric] = weight
    else:
        top.problem("fairness", t("expected a list of metrics ({metrics}) or a mapping of "
                                  "metric to weight", metrics=_metrics_listed()))
    return weights


def _metrics_listed() -> str:
    """The fairness metrics as a refusal lists them: each by its word (工时 (hours))."""
    from dutyctl.choices import shown

    first_word = ruleskeys.first_words(ruleskeys.METRICS)
    return t(", ").join(shown(key, first_word.get(key, key)) for key in METRICS)


def _no_metric(value: Any) -> str:
    """The refusal of a `fairness` entry that names no metric: two joined by a full-width
    comma (工时，夜班) said so, a slip (夜半) with its guess."""
    from dutyctl.choices import several_entries, several_in_one

    if several_in_one(value):
        return several_entries(value)
    first_word = ruleskeys.first_words(ruleskeys.METRICS)  # 工时 (hours)
    refusal = t("expected one of: {metrics}", metrics=_metrics_listed())
    words = {key: first_word.get(key, key) for key in METRICS}
    return with_guesses(refusal, words, near(value, words)) if isinstance(value, str) \
        else refusal


def _rotation(fields: Fields, shifts: Mapping[str, Shift], staff_ids: Mapping[str, str],
              taken: dict[str, str], unread_shifts: frozenset[str] | None = frozenset(),
              unread_staff: frozenset[str] | None = frozenset(),
              roles_of: Mapping[str, tuple[str, ...]] | None = None,
              role_names: Mapping[str, str] | None = None) -> Rotation | None:
    """A rotation; `unread_shifts`, `unread_staff`: the ids and names of shifts and staff
    whose own entry could not be read (`_unread`; its problem is said there): naming one is
    no second problem. `roles_of`: each member's roles, none of which the rotation's shifts
    may lack (a 维修工 in the 前台 rotation: only generate said it, each day it came)."""
    fields.unknown(("id", "name", "shifts", "members", "teams", "pattern", "offsets", "start"),
                   ruleskeys.ROTATION)
    # `name: 前台轮班` without an id line is its id, as a shift's or a person's name is
    rotation_id = _identifier(fields, "name" if fields.has("name") and not fields.has("id")
                              else "id", "rotations")
    shift_names = {shift.id: shift.name for shift in shifts.values()}
    shift_list = [_id_named(shift, shift_names) or shift
                  for shift in fields.text_list("shifts", required=True)]
    for shift_id in shift_list:
        if shift_id not in shifts and (unread_shifts is None or shift_id in unread_shifts):
            continue
        if shift_id not in shifts:  # 前抬 for 前台: the slip said, as in `avoid`
            fields.problem("shifts", _several_named(shift_id, shift_names) or with_guesses(
                t("no shift '{id}'; choose one of: {choices}", id=shift_id,
                  choices=t(", ").join(shift_names.values())),
                shift_names, near(shift_id, shift_names), builtin=True))
        elif shift_id in taken:
            fields.problem("shifts", t("shift '{id}' is already staffed by rotation '{other}'",
                                       id=shift_id, other=taken[shift_id]))
        else:
            taken[shift_id] = rotation_id or ""
    teams: list[tuple[str, ...]] = []
    if fields.has("members") == fields.has("teams"):
        fields.problem(None, t("give either members (one person per step) or teams "
                               "(lists of people)"))
    for member in fields.text_list("members"):
        teams.append((member,))
    for index, item, line in fields.items("teams", required=False):
        if isinstance(item, list) and item and all(isinstance(m, str) for m in item):
            teams.append(tuple(item))
        else:
            fields.problem(f"teams[{index}]", t("expected a list of staff ids"), line)
    teams = [tuple(_id_named(member, staff_ids) or member for member in team) for team in teams]
    for team in teams:
        for member in team:
            if member not in staff_ids and unread_staff is not None \
                    and member not in unread_staff:
                fields.problem("teams" if fields.has("teams") else "members",
                               _several_named(member, staff_ids)
                               or _several_people(member, staff_ids)
                               or _no_such_member(member, staff_ids))
    needed = {role for shift_id in shift_list if shift_id in shifts
              for role in shifts[shift_id].roles}
    for member in dict.fromkeys(member for team in teams for member in team):
        if roles_of and needed and member in roles_of and not needed & set(roles_of[member]):
            fields.problem("teams" if fields.has("teams") else "members", t(
                "{name} has none of the roles this rotation's shifts need ({roles})",
                name=staff_ids.get(member, member),
                roles=t(", ").join(sorted((role_names or {}).get(role, role)
                                          for role in needed))))
    pattern = None
    if fields.has("pattern"):
        own = {shift: shift_names[shift] for shift in shift_list if shift in shift_names}
        pattern = tuple(_REST_WORDS.get(half_width(step).strip()) or _id_named(step, own) or step
                        for step in fields.text_list("pattern"))  # 休息, 夜班: the words said
        if pattern and all(step == OFF for step in pattern):
            fields.problem("pattern", t("only rest steps: a pattern needs at least one shift"))
        mistyped = any(shift not in shifts for shift in shift_list)
        for step in pattern:
            if mistyped and (step in shifts or _id_named(step, shift_names)):
                continue  # 前台 here, 前抬 in `shifts`: that line says the typo, once
            if step != OFF and step not in shift_list:
                fields.problem("pattern", _several_named(step, own) or t(
                    "'{step}' is neither '{off}' (休息) nor one of this rotation's shifts",
                    step=step, off=OFF))
    offsets = _offsets(fields, len(teams), len(pattern) if pattern else len(teams))
    start = date_field(fields, "start", required=True)
    if not rotation_id or not teams or start is None:
        return None
    return Rotation(rotation_id, tuple(shift_list), tuple(teams), pattern or None, offsets, start,
                    fields.line)


def _offsets(fields: Fields, team_count: int, cycle: int) -> tuple[int, ...]:
    """Where each team starts in the cycle: given, or spread evenly."""
    if fields.has("offsets"):
        values = []
        for index, item, line in fields.items("offsets"):
            if isinstance(item, int) and not isinstance(item, bool) and item >= 0:
                values.append(item)
            else:
                fields.problem(f"offsets[{index}]", t("expected a whole number"), line)
        if len(values) != team_count:
            fields.problem("offsets", t("expected one offset per team ({count})",
                                        count=team_count))
        return tuple(values) if len(values) == team_count else ()
    if not fields.has("pattern"):
        return tuple(range(team_count))
    if team_count and cycle % team_count:
        fields.problem("pattern", t("{length} steps cannot be spread evenly over {teams} teams: "
                                    "give offsets", length=cycle, teams=team_count))
    return tuple(index * (cycle // team_count) for index in range(team_count)) if team_count \
        else ()


def parse_rules(data: Any, path: str,
                known_roles: Mapping[str, str] | Iterable[str] | None = None,
                site_timezone: str | None = None, sha256: str = "") -> tuple[Rules, list[Problem]]:
    """The rules and every problem found in them (the rules are best effort when there are);
    `known_roles`: the roles of dutyctl.yaml (id -> name, or bare ids)."""
    problems: list[Problem] = []
    top = Fields(ruleskeys.canonical(data), path, problems)
    misplaced = _misplaced(top)
    top.unknown(("timezone", "calendar", "shifts", "staff", "constraints", "fairness",
                 "preference_weight", "rotations", "coverage", *misplaced), ruleskeys.TOP)
    if known_roles is not None and not isinstance(known_roles, Mapping):
        known_roles = {role: role for role in known_roles}
    typed_zone = top.text("timezone", required=False)
    tz_name = iana(typed_zone) if typed_zone else typed_zone  # 北京时间: Asia/Shanghai
    if tz_name and site_timezone and tz_name != iana(site_timezone):
        top.problem("timezone", t("'{rules}' differs from the site time zone '{site}' in "
                                  "dutyctl.yaml: shifts are wall-clock times in the site zone",
                                  rules=typed_zone.strip(), site=site_timezone))
    calendar = parse_calendar(top.mapping("calendar", required=False), top.label("calendar"))
    constraints = top.mapping("constraints", required=False)
    if constraints is not None:
        constraints.unknown(LIMIT_FIELDS, ruleskeys.LIMITS)
    limits = _limits(constraints, Limits())
    shifts = _unique(top, "shifts", lambda f: _shift(f, known_roles))
    shift_names = {shift.id: shift.name for shift in shifts}
    shift_roles = {role for shift in shifts for role in shift.roles}
    unread_shifts = _unread(top, "shifts", shift_names)
    staff = _unique(top, "staff", lambda f: _staff(f, limits, known_roles, shift_names,
                                                   unread_shifts))
    staff_ids = {member.id: member.name for member in staff}  # id -> name
    shift_map = {shift.id: shift for shift in shifts}
    taken: dict[str, str] = {}
    unread_staff = _unread(top, "staff", staff_ids)
    for key, (section, _) in misplaced.items():
        if section == "staff" and unread_staff is not None:
            _people_named(top, key, staff_ids, unread_staff)
    rotations = _unique(top, "rotations", lambda f: _rotation(
        f, shift_map, staff_ids, taken, unread_shifts, unread_staff,
        {member.id: member.roles for member in staff}, known_roles), required=False)
    preference_weight = top.number("preference_weight", required=False,
                                   default=DEFAULT_PREFERENCE_WEIGHT)
    if preference_weight is not None and preference_weight < 0:  # avoid read as prefer
        top.problem("preference_weight", t("must not be negative"))
        preference_weight = DEFAULT_PREFERENCE_WEIGHT
    # a staff section not read: who has which role is not known
    for role in sorted(shift_roles - {role for member in staff for role in member.roles}
                       if unread_staff is not None else ()):
        top.problem("staff", t("nobody has the role {role} that shifts need: add it to "
                               "someone's roles, or take it out of the shifts' need",
                               role=_role_said(role, known_roles)))
    rules = Rules(path, tz_name, calendar, tuple(shifts), tuple(staff), limits, MappingProxyType(
        _fairness(top)), preference_weight if preference_weight is not None
        else DEFAULT_PREFERENCE_WEIGHT, tuple(rotations), sha256,
        MappingProxyType(shift_map), MappingProxyType({member.id: member for member in staff}),
        _coverage(top, known_roles))
    # read in the order the parts depend on (限制 before 员工): said in the file's order
    return rules, by_file(problems)


#: the sections whose keys a supervisor may write at the top of the file by mistake, in the
#: order a key of two is taken for the first (姓名 is a staff member's, 最少休息小时 限制's)
_SECTIONS = (("calendar", ruleskeys.CALENDAR), ("constraints", ruleskeys.LIMITS),
             ("staff", ruleskeys.STAFF), ("shifts", ruleskeys.SHIFT),
             ("coverage", ruleskeys.COVERAGE))


@lru_cache(maxsize=1)
def _section_keys() -> dict[str, tuple[str, str]]:
    """A key of a section, as a word (请假) or the key itself (leave) -> (section, key)."""
    found: dict[str, tuple[str, str]] = {}
    for section, words in _SECTIONS:
        for word, key in (*words.items(), *((key, key) for key in words.values())):
            found.setdefault(word, (section, key))
    return found


def _misplaced(top: Fields) -> dict[Any, tuple[str, str]]:
    """The keys at the top of the file that belong inside a section (请假 or leave: a staff
    member's; 最少休息小时: 限制's; 本地节假日: 日历's), each told where it goes rather than
    that it is an unknown field: key as written -> (section, its key there)."""
    found = {}
    for key in top.data:
        meant = _section_keys().get(half_width(key).strip()) if isinstance(key, str) else None
        if meant is None:
            continue
        found[key] = meant
        if key.isascii():  # said in the words the file is written in
            section, name = meant[0], "name"
        else:
            section = ruleskeys.first_words(ruleskeys.TOP)[meant[0]]
            name = ruleskeys.first_words(ruleskeys.STAFF if meant[0] == "staff"
                                         else ruleskeys.SHIFT)["name"]
        if meant[0] == "staff":
            told = t("each staff member's own: write it under {section}, below that person's "
                     "{name} line", section=section, name=name)
        elif meant[0] == "shifts":
            told = t("each shift's own: write it under {section}, below that shift's {name} "
                     "line", section=section, name=name)
        elif meant[0] == "constraints":
            told = t("write it under {section} (for everyone), or under a staff member (for "
                     "that person alone)", section=section)
        else:
            told = t("write it under {section}", section=section)
        top.problem(key, told)
    return found


#: the keys an entry names its person with: a staff member's name (姓名, 名字: `ruleskeys.STAFF`'s
#: words for it), else the person (员工)
_NAME_WORDS = (*(word for word, key in ruleskeys.STAFF.items() if key == "name"), "name",
               "员工", "staff")


def _people_named(top: Fields, key: Any, staff_ids: Mapping[str, str],
                  unread_staff: frozenset[str]) -> None:
    """A staff member's key written at the top as a list of people's entries (请假: - {姓名:
    李四, 从: …}): each person nobody is said at the entry's line, as a rotation's are; one
    whose staff entry could not be read (its own problem says why) is not refused again."""
    entries = top.raw(key)
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        named = next((entry.get(word).strip() for word in _NAME_WORDS
                      if isinstance(entry, dict) and isinstance(entry.get(word), str)), None)
        if named is None or named in staff_ids or named in unread_staff \
                or _id_named(named, staff_ids):
            continue
        top.problem(f"{key}[{index}]", _several_named(named, staff_ids)
                    or _several_people(named, staff_ids) or _no_such_member(named, staff_ids),
                    getattr(entry, "line", None))


#: what a supervisor writes for around the clock (值守 时段: 全天)
_ALL_DAY = frozenset({"全天", "全天候", "整天", "全日", "24小时", "二十四小时", "24h",
                      "all day", "24 hours"})


def _all_day(value: Any) -> bool:
    return isinstance(value, str) and half_width(value).strip().casefold() in _ALL_DAY


def _coverage(top: Fields, known_roles) -> Coverage:
    """`coverage:` hours someone must be on duty (default: around the clock, any role)."""
    fields = top.mapping("coverage", required=False)
    if fields is None:
        return Coverage()
    fields.unknown(("hours", "roles"), ruleskeys.COVERAGE)
    hours = []
    if _all_day(fields.raw("hours")):  # 时段: 全天: not "write [全天]", no range either
        fields.problem("hours", t('expected a list of ranges: for the whole day write '
                                  '["00:00-24:00"]'))
        hours.append(Coverage().hours[0])  # meant as the default: around the clock
    for index, item, line in fields.items("hours", required=True) if not hours else ():
        span = parse_range(item)
        if span is None and _all_day(item):
            fields.problem(f"hours[{index}]", t('for the whole day write "00:00-24:00"'), line)
        elif span is None:
            fields.problem(f"hours[{index}]", misread(t('expected a range like "08:00-20:00" or '
                                                '"00:00-24:00"'), item), line)
        else:
            hours.append(span)
    roles = list(dict.fromkeys(role_id for role in fields.text_list("roles")
                               if (role_id := _role_id(fields, "roles", role, known_roles))))\
        if fields.has("roles") else None
    return Coverage(tuple(hours), tuple(roles) if roles is not None else None, top.line_of(
        "coverage"))


def _too_long(top: Fields, key: str) -> bool:
    """Whether the list under `key` is longer than any center's (MAX_ENTRIES)."""
    entries = top.raw(key)
    return isinstance(entries, list) and len(entries) > MAX_ENTRIES


def _unread(top: Fields, key: str, read: Mapping[str, str]) -> frozenset[str] | None:
    """The ids and names written in the entries of `key` (shifts, staff) that could not be
    read (a start written 8点半): their own problem says why, and a reference to one (a
    rotation of 前台) is not refused a second time as naming no such entry. None where no
    entry of the section was read (missing, empty, too long, `shifts: "23:59"`, `shifts:
    [night]`): its problem says so, and any name may be one of its entries."""
    if not read:
        return None
    written = {value.strip() for entry in top.raw(key)
               for value in ((entry.get("id"), entry.get("name")) if isinstance(entry, dict)
                             else (entry,)) if isinstance(value, str)}
    return frozenset(written - set(read) - set(read.values()))


def _may_name_unread(text: str, unread: frozenset[str] | None) -> bool:
    """Whether a wish's `text` may name a shift not read (`_unread`): one whose entry could
    not be read; where no shift was read, any word but a date or a slip of a weekday, 周末 or
    节假日 (周未, weekend, sunday: still refused, whatever the shifts)."""
    if unread is not None:
        return text in unread
    from dutyctl.words import near_words

    return not text[:1].isdigit() and not near_words(text.lower(), _PREFERENCE_NAMES)


def _unique(top: Fields, key: str, parse, required: bool = True) -> list:
    """Parse each item of a list section; ids must be unique. A list longer than any center's
    (MAX_ENTRIES) is one problem, not read: checking each of its entries would keep every
    desk waiting seconds on a file another desk may have sent."""
    found, seen, named = [], {}, {}  # id -> line; name -> line, of names that are no id
    ids = {}  # id case-folded -> line (named too is case-folded)
    if _too_long(top, key):
        count = len(top.raw(key))
        top.problem(key, tn("{entries} entry: a rules file lists at most {most}; the list is "
                            "not read", "{entries} entries: a rules file lists at most {most}; "
                            "the list is not read", count, entries=f"{count:,}",
                            most=f"{MAX_ENTRIES:,}"))
        return found
    for index, item, line in top.items(key, required=required):
        fields = Fields(item, top.path, top.problems, line, top.inside(f"{key}[{index}]"))
        parsed = parse(fields) if fields.ok else None
        if parsed is None:
            continue
        id_key = "id" if fields.has("id") or key not in _NAME_TAKEN else "name"
        if parsed.id in seen:
            if id_key == "id":
                fields.problem("id", _DUPLICATE_ID[key](parsed.id, seen[parsed.id]))
            else:  # the name stands for the id: say it where it is written
                fields.problem("name", _NAME_TAKEN[key](parsed.id, seen[parsed.id],
                                                        fields.label("id")))
            continue
        if key in _ID_AND_NAME:
            # case-folded, as a typed word is matched (choices.matches): ZhangWei is zhangwei
            name = parsed.name if parsed.name != parsed.id else None
            folded = name.casefold() if name is not None else None
            id_folded = parsed.id.casefold()
            said_id = fields.label("id")
            if folded in ids:
                fields.problem("name", _ID_AND_NAME[key](name, ids[folded], said_id))
            elif id_folded in named:
                fields.problem(id_key, _ID_AND_NAME[key](parsed.id, named[id_folded], said_id))
            elif id_folded in ids:  # lina and LiNa: two ids that one typed word reaches
                fields.problem(id_key, _ID_AND_NAME[key](parsed.id, ids[id_folded], said_id))
            if name is not None:
                named.setdefault(folded, line)
            ids.setdefault(id_folded, line)
        seen[parsed.id] = line
        found.append(parsed)
    if required and top.raw(key) == []:
        top.problem(key, t("needs at least one entry"))
    return found


def read_rules(workspace, config=None) -> tuple[Rules, list[Problem]]:
    """Best-effort rules of a workspace and every problem (a missing file is one problem)."""
    from dutyctl.store import yamlio
    from dutyctl.errors import DutyError

    label = workspace.relative(rules_path(workspace))
    catalogue = None
    if config is None:
        try:
            config = workspace.config
        except DutyError:  # unusable as a whole (an unknown time zone): its roles, if readable
            config, catalogue = None, workspace.config_role_names()
    catalogue = config.roles if config is not None else catalogue
    roles = dict(catalogue.names) if catalogue is not None and catalogue.names else None
    site_zone = config.timezone_name if config is not None else None
    try:
        digest, data, label = read_rules_file(workspace)
    except yamlio.MissingFile:
        return _empty_rules(label), [Problem(label, None, t("no roster rules: create this file "
                                                            "(see the README, Duty rosters)"))]
    except DutyError as exc:
        return _empty_rules(label), [Problem(label, exc.problem.line, exc.problem.message)]
    return parse_rules(data, label, roles, site_zone, digest)


def _empty_rules(label: str) -> Rules:
    return Rules(label, None, SiteCalendar(), (), (), Limits(), MappingProxyType({}),
                 DEFAULT_PREFERENCE_WEIGHT)


def load_rules(workspace, config=None) -> Rules:
    """The rules, or ProblemsFound listing every problem: for commands that plan rosters."""
    rules, problems = read_rules(workspace, config)
    if problems:
        raise ProblemsFound(problems)
    return rules
