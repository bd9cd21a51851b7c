"""The site configuration `dutyctl.yaml`, validated with every problem reported at once."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from dutyctl import configkeys, timeutil
from dutyctl.errors import DutyError, Problem, ProblemsFound
from dutyctl.frozen import field, frozen
from dutyctl.messages import N_, gettext, t
from dutyctl.records import LIMITS
from dutyctl.rooms import RoomScheme, parse_scheme
from dutyctl.schema import Fields, misread

CONFIG_FILE = "dutyctl.yaml"
CLOCKS = ("24x7", "business")
#: a clock as a supervisor writes it in dutyctl.yaml (`clock: 全天`, `clock: 工作时间`), besides
#: its id (a refusal lists each id with its first word)
CLOCK_WORDS = {"全天": "24x7", "全天候": "24x7", "24小时": "24x7", "7x24": "24x7",
               "工作时间": "business", "办公时间": "business"}
MAX_MINUTES = 24 * 60  # attendance margins: past a day they mean nothing (and overflow)
RECURRING_KEYS = ("name", "where", "category", "urgency", "rule", "start", "at")
# maintenance repeats at most daily; the time of day comes from `at`, the first day from `start`
RRULE_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
RRULE_FORBIDDEN = ("DTSTART", "BYHOUR", "BYMINUTE", "BYSECOND")
DEFAULT_CLERK_ROLE, DEFAULT_DISPATCH_ROLE = "service", "technician"
#: the desk's roles when `desk:` names none: the role of the default id, else the role whose
#: id or name is the Chinese word (a site whose ids are its names: 客服专员, 维修工)
DESK_ROLE_WORDS = {DEFAULT_CLERK_ROLE: "客服专员", DEFAULT_DISPATCH_ROLE: "维修工"}
ROLE_NAME_EXPECTED = N_("expected the display name of this role")
#: an entry of each catalogue as the mapping writes it, and a second name: the refusals' examples
ROLE_EXAMPLE = ("service", "客服专员", "维修工")
CATEGORY_EXAMPLE = ("fee", "物业费咨询", "停车咨询")
CHECKLIST_EXAMPLE = ("phone", "值班电话畅通", "电脑正常")
#: the problem of `roles: []`: the desk finds its clerk by role
NO_ROLE = N_("lists no role: the desk would have no clerk; list them, like [客服专员, 维修工]")


@frozen
class Catalogue:
    """Ids with display names and a default: categories, departments, roles."""

    names: Mapping[str, str]
    default: str | None = None

    def __contains__(self, key: str) -> bool:
        return key in self.names

    def name(self, key: str) -> str:
        return self.names.get(key, key)


@frozen
class UrgencyClass:
    id: str
    name: str
    clock: str  # "24x7" or "business"
    limits: Mapping[str, tuple[timedelta, bool]]  # respond / arrive / complete -> (length, wd)


@frozen
class UrgencyScheme:
    default: str
    classes: Mapping[str, UrgencyClass]
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@frozen
class Department:
    id: str
    name: str
    outside: bool = False
    phone: str | None = None


@frozen
class EmergencyType:
    id: str
    name: str
    steps: tuple[str, ...]
    notify: tuple[str, ...]


@frozen
class RecurringJob:
    """Recurring maintenance (周期性维护): one repair per occurrence of `rule`, from `start`
    at the wall-clock time `at` in the site zone."""

    id: str
    name: str
    where: str
    category: str
    urgency: str
    rule: str
    start: date
    at: time
    rule_line: int = 0
    #: where a problem of `rule` is told: recurring.<id>.rule as the file writes it (定期维保.…)
    rule_label: str = field(default="", compare=False)

    def occurrences(self, tz: tzinfo) -> Iterator[datetime]:
        """Every occurrence in time order (unbounded: the caller stops). Counted on naive
        wall-clock times, so `at` stays 09:00 local and an RRULE UNTIL needs no zone."""
        from dateutil.rrule import rrulestr  # ~5 ms: only commands that need it pay

        rule = rrulestr(self.rule, dtstart=datetime.combine(self.start, self.at),
                        ignoretz=True)
        for moment in rule:
            yield moment.replace(tzinfo=tz)


@frozen
class Targets:
    """Shares a report marks when missed (fractions). Defaults: CPMA level 1 (满意率 at least
    80 %, a return visit after every completed repair and complaint) and a common company
    target of 90 % on time for every urgency class and step (CPMA sets the limits, such as
    急修 on site within 30 minutes, not a share)."""

    satisfied_share: float = 0.8
    visit_rate: float = 1.0
    on_time: float = 0.9
    on_time_by_class: Mapping[str, float] = field(default_factory=dict)  # "repair.emergency.arrive"

    def on_time_for(self, kind: str, urgency: str, limit: str) -> float:
        return self.on_time_by_class.get(f"{kind}.{urgency}.{limit}", self.on_time)


@frozen
class SiteConfig:
    path: str
    name: str
    timezone_name: str
    tz: tzinfo
    hotline: str | None
    departments: Mapping[str, Department]
    roles: Catalogue
    categories: Mapping[str, Catalogue]
    business_start: time
    business_end: time
    urgency: Mapping[str, UrgencyScheme]
    checklist: Catalogue
    grace_minutes: int
    arrive_early_minutes: int
    mask_phone: bool
    auto_commit: bool
    emergencies: Mapping[str, EmergencyType]
    clock_in_window_minutes: int = 120  # a clock-in this long before a shift counts for it
    recurring: Mapping[str, RecurringJob] = field(default_factory=dict)
    email_domain: str | None = None  # commit authors: <staff id>@<this domain>
    targets: Targets = field(default_factory=Targets)
    rooms: "RoomScheme | None" = None  # the address scheme (dutyctl.rooms); None: free text
    language: str | None = None  # site.language, normalised: what notifications speak
    notify: Any = None  # dutyctl.notify.settings.NotifySettings; None: no `notify:` section
    #: the `desk:` section: whose role answers the desk (acts when nobody is named), and
    #: whose role a repair goes to when `repair dispatch` names nobody
    clerk_role: str = DEFAULT_CLERK_ROLE
    dispatch_role: str = DEFAULT_DISPATCH_ROLE

    def urgency_class(self, kind: str, class_id: str | None) -> UrgencyClass | None:
        """The configured urgency class `class_id` of a kind (`urgency:` in dutyctl.yaml),
        or None: the one lookup deadlines, names, reports and dispatch share."""
        scheme = self.urgency.get(kind)
        return scheme.classes.get(class_id) if scheme and class_id else None

    def urgency_rank(self, kind: str, class_id: str | None) -> int:
        """How urgent a record of `kind` in the urgency class `class_id` (None: the kind's
        default) is, for the lists that put the most urgent first: 0 an emergency repair
        (急修), 1 a class timed round the clock (紧急, a callback), 2 one timed in working
        hours or not configured."""
        from dutyctl.kinds.repair import KIND as REPAIR

        if kind == REPAIR and class_id in self.emergency_repair_classes():
            return 0
        scheme = self.urgency.get(kind)
        chosen = self.urgency_class(kind, class_id or (scheme.default if scheme else None))
        return 1 if chosen is not None and chosen.clock == CLOCKS[0] else 2

    def emergency_repair_classes(self) -> tuple[str, ...]:
        """The repair urgency classes of 急修 (on site within minutes) of this site: what the
        reports watch and `notify` announces by default (module `emergency_repair_classes`)."""
        from dutyctl.kinds.repair import KIND as REPAIR

        scheme = self.urgency.get(REPAIR)
        return emergency_repair_classes(scheme.classes if scheme else None)


#: the id of the repair urgency class of 急修 on a site that has no class whose id or name is
#: 急修 (`emergency_repair_classes`), and with no repair urgency scheme at all
EMERGENCY_REPAIR_CLASS = "emergency"
#: the word of 急修: a site writing its ids in Chinese has the class 急修, an English one names
#: its class `emergency: {name: 急修}`
EMERGENCY_REPAIR_WORD = "急修"


def emergency_repair_classes(classes: Mapping[str, UrgencyClass] | None) -> tuple[str, ...]:
    """The id of the repair urgency class of 急修 in `classes` (the repair scheme's), as a tuple
    of one, or none: the class whose id is 急修, else the one named 急修 (`choices.matches`, id
    first, then name), else `emergency`; no scheme: `emergency`. One answer for the reports'
    emergency repairs nobody has reached, the portfolio's on-site rate, and the classes
    `notify` announces when it names none."""
    if classes is None:
        return (EMERGENCY_REPAIR_CLASS,)
    from dutyctl.choices import matches

    named = matches(EMERGENCY_REPAIR_WORD, _class_names(classes), partial=False)
    if named:
        return tuple(named[:1])
    return (EMERGENCY_REPAIR_CLASS,) if EMERGENCY_REPAIR_CLASS in classes else ()


def _catalogue_at(parent: Fields, key: str, wrong_name: str, example: tuple[str, ...],
                  required: bool = True, empty: str | None = None) -> Catalogue:
    """The catalogue under `key` of `parent`: a mapping id -> display name, or a list of
    names, each its own id (`roles: [客服专员, 维修工]`: a name that would only repeat its id
    is not written twice; a name in English is an id the desk would see, so it takes the
    mapping's form). Every problem at its line, as the mapping's are. `example`: an entry as
    the mapping writes it and a second name (service, 客服专员, 维修工), said in the refusals; `empty` (marked with N_):
    the problem of a list or mapping with nothing in it (None: it may be empty)."""
    listed = parent.raw(key)
    if listed is not None and not isinstance(listed, (list, Mapping)):
        from dutyctl.choices import split_list
        from dutyctl.schema import wide_brackets, wide_list

        inside = wide_brackets(listed) if isinstance(listed, str) else None
        typed = ", ".join(split_list(listed)) if isinstance(listed, str) else ""
        parent.problem(key, wide_list(inside) if inside is not None else
                       t("expected a list: write [{value}], or one id: name a line",
                         value=typed) if typed else
                       t("expected a list [{names}] or one id: name a line (like {id}: {name})",
                         names=", ".join(example[1:]), id=example[0], name=example[1]))
        return Catalogue(MappingProxyType({}))
    if isinstance(listed, list):
        catalogue = _catalogue_list(parent, key, wrong_name, example, required)
    else:
        catalogue = _catalogue(parent.mapping(key, required), wrong_name)
    if empty and listed is not None and not listed:
        parent.problem(key, gettext(empty))
    return catalogue


def _catalogue_list(parent: Fields, key: str, wrong_name: str, example: tuple[str, ...],
                    required: bool) -> Catalogue:
    """The list form of `_catalogue_at`: each name stripped, and told apart from the others as
    the mapping's are (`_one_name_each`: ignoring case and spaces)."""
    from dutyctl.choices import several_entries, several_in_one, split_list

    names: dict[str, str] = {}
    folded: dict[str, str] = {}
    for index, item, line in parent.items(key, required):
        name = item.strip() if isinstance(item, str) else ""
        if not name:
            parent.problem(f"{key}[{index}]", misread(gettext(wrong_name), item), line)
        elif several_in_one(name):  # said, and read as meant: no problem follows of it
            parent.problem(f"{key}[{index}]", several_entries(name), line)
            for part in split_list(name, "，"):
                names.setdefault(part, part)
                folded.setdefault(part.casefold(), part)
        elif name.casefold() in folded:
            first = folded[name.casefold()]
            parent.problem(f"{key}[{index}]", t("'{name}' is already in the list: keep one",
                                                 name=name) if first == name else
                           t("'{name}' is already in the list as '{first}': keep one",
                             name=name, first=first), line)
        elif name.isascii():
            parent.problem(f"{key}[{index}]", t(
                "'{name}' is an id in English, which the desk would see: write the entries as "
                "id: name with the Chinese name (like {id}: {example})", name=name,
                id=example[0], example=example[1]), line)
        else:
            names[name] = folded[name.casefold()] = name
    return Catalogue(MappingProxyType(names))


def _entry_name(fields: Fields, entry_id: str, example: str) -> str:
    """An entry's `name` (departments, emergencies, recurring jobs): it may be left out when
    the id is Chinese, which is then its name; an id in English needs one, or the desk would
    see the id."""
    if entry_id.isascii() and not fields.has("name"):
        fields.problem("name", t("is required for an id in English: add the Chinese name the "
                                 "desk sees (like name: {example})", example=example))
    return fields.text("name", required=False) or entry_id

def _catalogue_ids(value: Any) -> dict[str, str] | None:
    """id -> name of a catalogue as the file writes it (a mapping, or a list of names that
    are their ids), whatever its names' problems; None when it is neither."""
    if isinstance(value, Mapping) and value:
        return {str(key): str(name) for key, name in value.items()}
    if isinstance(value, list) and value:
        from dutyctl.choices import split_list

        return {part: part for item in value if isinstance(item, str)  # 客服专员，维修工: two
                for part in split_list(item, "，")}
    return None


def _catalogue(fields: Fields | None, wrong_name: str) -> Catalogue:
    """A mapping id -> display name (text); `wrong_name` (marked with N_) is the problem
    said of a name that is not text."""
    names = {}
    if fields is None:
        return Catalogue(MappingProxyType(names))
    for key, value in fields.data.items():
        if isinstance(value, str) and value.strip():
            names[str(key)] = value
        else:
            fields.problem(key, misread(gettext(wrong_name), value))
    _one_name_each(fields, names)
    return Catalogue(MappingProxyType(names))


def _one_name_each(fields: Fields | None, names: Mapping[str, str]) -> None:
    """A problem, at its key, for each entry of `fields` (id -> display name in `names`) whose
    name an earlier entry has, or another entry has as its id (`finance: {name: engineering}`
    beside `engineering: {name: 工程部}`): typed at the desk (`--to 工程部`, `--to
    engineering`), it could mean either."""
    from dutyctl.choices import shown

    ids = {str(entry_id).casefold(): entry_id for entry_id in names}
    first: dict[str, str] = {}
    for entry_id, name in names.items():
        folded = name.strip().casefold()
        other_id = ids.get(folded)
        if fields is None:
            return
        if folded in first:
            fields.problem(entry_id, t("'{name}' is also the name of '{other}': give each its "
                                       "own name, or a word typed at the desk could mean either",
                                       name=name, other=first[folded]))
            continue
        first[folded] = entry_id
        if other_id is not None and other_id != entry_id:
            fields.problem(entry_id, t("'{name}' is the id of {other}: give this entry another "
                                       "name, or a word typed at the desk could mean either",
                                       name=name, other=shown(other_id, names[other_id])))


def _entries(fields: Fields | None) -> Iterator[tuple[str, Fields]]:
    """(id, fields) for each entry of a section that is a mapping; the others are problems."""
    if fields is None:
        return
    for key in fields.data:
        sub = fields.mapping(key)
        if sub is not None and sub.ok:
            yield str(key), sub


#: the catalogue of a kind `categories:` does not list (check reports the kind missing)
NO_CHOICES = Catalogue(MappingProxyType({}))


def _categories(fields: Fields | None) -> dict[str, Catalogue]:
    """The `categories:` entries the file has, as `_urgency` reads `urgency:`: which kinds
    must or may have one is the kind registry's, asked by `check` (category_kind_problems)
    rather than by every command reading the config (it imports every kind module)."""
    result = {}
    for kind, section in _entries(fields):
        section.unknown(("default", "choices"), configkeys.CATEGORY)
        choices = _catalogue_at(section, "choices",
                                N_("expected the display name of this category"),
                                CATEGORY_EXAMPLE)
        default = section.text("default", choices=dict(choices.names) or None)
        result[kind] = Catalogue(choices.names, default)
    return result


def category_kind_problems(data: object, path: str) -> list[Problem]:
    """`categories:` against the kind registry: a kind with categories the file leaves
    out, an entry naming a kind that has none (`dutyctl check`; imports every kind)."""
    from dutyctl.records import categorized_kinds

    found: list[Problem] = []
    data = configkeys.canonical(data)
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        return found  # parse_config says what is wrong with the file or the section
    section = Fields(data, path, found).mapping("categories")
    kinds = categorized_kinds()
    for kind in kinds:
        section.mapping(kind)
    section.unknown(kinds, configkeys.KINDS)
    return found


def _urgency_class(class_id: str, fields: Fields) -> UrgencyClass:
    fields.unknown(("name", "clock", *LIMITS), configkeys.URGENCY_CLASS)
    limits = {}
    for limit in LIMITS:
        if fields.has(limit) and (parsed := fields.duration(limit)):
            if parsed[0] <= timedelta(0):
                fields.problem(limit, t("must be longer than 0: every ticket would be late "
                                        "the moment it is filed"))
                continue
            limits[limit] = parsed
    written = fields.raw("clock")
    said = CLOCK_WORDS.get(timeutil.half_width(written).strip()) if isinstance(written, str) \
        else None
    clock = said or fields.text("clock", default="24x7",
                                choices={"24x7": "全天", "business": "工作时间"}) or "24x7"
    return UrgencyClass(class_id, fields.text("name", required=False) or class_id, clock,
                        MappingProxyType(limits))


def _class_names(classes: Mapping[str, UrgencyClass]) -> dict[str, str]:
    """id -> name of urgency classes: a default or a job's urgency may be written by name."""
    return {class_id: urgency.name for class_id, urgency in classes.items()}


def _urgency(fields: Fields | None) -> dict[str, UrgencyScheme]:
    schemes = {}
    for kind, section in _entries(fields):
        section.unknown(("default", "classes", "keywords"), configkeys.URGENCY)
        listed = section.mapping("classes")
        classes = {class_id: _urgency_class(class_id, sub)
                   for class_id, sub in _entries(listed)}
        _one_name_each(listed, _class_names(classes))
        default = section.text("default", choices=_class_names(classes) or None)
        keywords = {}
        if (words := section.mapping("keywords", required=False)) is not None:
            for class_id in words.data:
                if class_id not in classes:
                    words.problem(class_id, t("no urgency class '{id}'", id=class_id))
                # 电梯＋困在 (a Chinese input method's plus), 燃气 + 泄漏: the words joined as
                # `suggest_urgency` reads them, else one never matches
                joined = tuple("+".join(part.strip() for part in
                                        timeutil.half_width(word).split("+"))
                               for word in words.text_list(class_id))
                for word in joined:  # 电梯+ would be any text naming 电梯
                    if "+" in word and not all(word.split("+")):
                        words.problem(class_id, t("'{word}': a word on each side of '+'",
                                                  word=word))
                keywords[str(class_id)] = tuple(word for word in joined if all(word.split("+")))
        schemes[kind] = UrgencyScheme(default or "", MappingProxyType(classes),
                                      MappingProxyType(keywords))
    return schemes


def _departments(fields: Fields | None) -> dict[str, Department]:
    result = {}
    for dept_id, sub in _entries(fields):
        sub.unknown(("name", "outside", "phone"), configkeys.DEPARTMENT)
        result[dept_id] = Department(dept_id, _entry_name(sub, dept_id, "工程部"),
                                     sub.boolean("outside", False),
                                     sub.phone("phone", required=False))
    _one_name_each(fields, {key: dept.name for key, dept in result.items()})
    return result


def _department_id(fields: Fields, typed: str, departments: Mapping[str, Department]) -> str:
    """A department of an emergency's `notify:` by id or by name (供电公司)."""
    from dutyctl.choices import describe, matches

    names = {key: dept.name for key, dept in departments.items()}
    found = matches(typed, names, partial=False)
    if not found:  # several: two departments of one name, a problem of `departments:`
        fields.problem("notify", t("no department '{id}'; choose one of: {choices}",
                                   id=typed, choices=describe(names)))
        return typed
    return found[0]


def _emergencies(fields: Fields | None, departments: Mapping[str, Department]) -> dict:
    result = {}
    for type_id, sub in _entries(fields):
        sub.unknown(("name", "steps", "notify"), configkeys.EMERGENCY)
        notify = [_department_id(sub, dept, departments) for dept in sub.text_list("notify")]
        result[type_id] = EmergencyType(type_id, _entry_name(sub, type_id, "停电"),
                                        tuple(sub.text_list("steps", required=True)),
                                        tuple(notify))
    _one_name_each(fields, {key: kind.name for key, kind in result.items()})
    return result


def rrule_shape_problem(rule: str) -> str | None:
    """What is wrong with the parts of an RRULE, without dateutil (cheap enough for every
    command); the values are checked by rrule_problem."""
    text = rule.strip()
    if "\n" in text:
        return t("one RRULE line only (no EXDATE, RDATE or DTSTART lines)")
    text = text[len("RRULE:"):] if text.upper().startswith("RRULE:") else text
    parts = [part.partition("=") for part in text.split(";") if part.strip()]
    keys = [key.strip().upper() for key, _, _ in parts]
    if not parts or any(not sep for _, sep, _ in parts):
        return t('expected an RRULE such as "FREQ=MONTHLY;BYMONTHDAY=1"')
    values = {key.strip().upper(): value.strip().upper() for key, _, value in parts}
    if values.get("FREQ") not in RRULE_FREQUENCIES:
        return t("FREQ must be one of {choices}", choices=", ".join(RRULE_FREQUENCIES))
    from dutyctl.recurrence import bad_interval

    if bad_interval(text):
        return t("INTERVAL must be a whole number of 1 or more")
    forbidden = [key for key in keys if key in RRULE_FORBIDDEN]
    if forbidden:
        return t("{keys} not allowed: the first day comes from start, the time from at",
                 keys=", ".join(forbidden))
    return None


def rrule_problem(job: RecurringJob) -> str | None:
    """dateutil's verdict on a job's RRULE, then whether it ever falls due (imports dateutil:
    `check` and `repair schedule` call it, not every command)."""
    from dateutil.rrule import rrulestr

    start = datetime.combine(job.start, job.at)
    try:
        rule = rrulestr(job.rule, dtstart=start, ignoretz=True)
    except (ValueError, TypeError) as exc:
        return t('not a valid RRULE ({reason}); expected e.g. "FREQ=MONTHLY;BYMONTHDAY=1"',
                 reason=_rrule_reason(exc))
    return _never_due(rule, start)


def _rrule_reason(exc: Exception) -> str:
    """dateutil's English reason for refusing an RRULE, in the desk's words: the part whose
    value it does not take (invalid 'BYDAY': MOO), the part it does not know, a rule without
    its FREQ; else as dateutil says it."""
    import re

    said = str(exc)
    if found := re.fullmatch(r"invalid '([\w-]+)': (.+)", said):
        return t("{part} cannot be {value}", part=found[1], value=found[2])
    if found := re.fullmatch(r"invalid '([\w-]+)': ", said):
        return t("{part} has no value", part=found[1])
    if found := re.fullmatch(r"unknown parameter '([\w-]+)'", said):
        return t("no part named {part}", part=found[1])
    if found := re.fullmatch(r"(\w+) must be in (-?\d+)\.\.(-?\d+)", said):
        return t("{part} must be from {low} to {high}", part=f"BY{found[1].upper()}",
                 low=found[2], high=found[3])
    if found := re.match(r"(by\w+) must be between (\d+) and (\d+)", said):
        return t("{part} must be from {low} to {high}, or from -{high} to -{low} counted from "
                 "the end", part=found[1].upper(), low=found[2], high=found[3])
    if "values to unpack" in said:  # a part without its '=', a ';' too many, full-width
        return t("each part is written NAME=VALUE, the parts separated by a half-width ';'")
    if "freq" in said:
        return t("FREQ is missing")
    return said


def _never_due(rule, start: datetime) -> str | None:
    """Why `rule` from `start` never falls due: no day within the look-ahead fits it
    (BYMONTH=2;BYMONTHDAY=30), or its UNTIL or COUNT ends it before its first day."""
    from dutyctl.recurrence import LOOK_AHEAD_YEARS, Unlistable, first_due, unlistable_rule

    try:
        fits, reached = first_due(rule, start)
    except Unlistable:
        return unlistable_rule()
    if fits is None:
        return t("no day in the {years} years from start ({start}) fits the rule",
                 years=LOOK_AHEAD_YEARS, start=start.date().isoformat())
    if not reached:
        return t("its UNTIL or COUNT ends it before its first day ({day}): it never falls due",
                 day=fits.date().isoformat())
    return None


def recurring_rule_problems(config: SiteConfig) -> list[Problem]:
    """recurring.<id>.rule: every RRULE dateutil refuses, as path:line."""
    found = []
    for job in config.recurring.values():
        message = rrule_problem(job)
        if message:
            found.append(Problem(config.path, job.rule_line,
                                 f"{job.rule_label or f'recurring.{job.id}.rule'}: "
                                 f"{message}"))
    return found


def _day(fields: Fields, key: str) -> date | None:
    """A quoted "2026-11-01" or an unquoted YAML date (nothing lost); never a datetime."""
    value = fields.raw(key)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    if value is None:
        fields.problem(key, t("is required"))
    else:
        fields.problem(key, misread(t('expected a date like "2026-11-01"'), value))
    return None


def _recurring(fields: Fields | None, categories: Mapping[str, Catalogue],
               urgency: Mapping[str, UrgencyScheme]) -> dict[str, RecurringJob]:
    from dutyctl.kinds.repair import KIND as REPAIR

    jobs = {}
    choices = dict(categories.get(REPAIR, NO_CHOICES).names) or None
    scheme = urgency.get(REPAIR)
    for job_id, sub in _entries(fields):
        sub.unknown(RECURRING_KEYS, configkeys.RECURRING)
        name, where = _entry_name(sub, job_id, "消防设施月检"), sub.room("where")
        category = sub.text("category", choices=choices)
        level = sub.text("urgency", required=False,
                         choices=_class_names(scheme.classes) if scheme else None)
        level = level or (scheme.default if scheme else None)
        if not level and not sub.has("urgency"):
            sub.problem("urgency", t("is required: dutyctl.yaml has no repair urgency default"))
        rule = _rule(sub)
        start, at = _day(sub, "start"), sub.clock("at")
        if rule and start and "=" not in (sub.raw("rule") or ""):  # Chinese: its day from start
            from dutyctl.recurrence import from_start

            rule = from_start(rule, start)
        if None not in (name, where, category, level, rule, start, at):
            jobs[job_id] = RecurringJob(job_id, name, where, category, level, rule, start, at,
                                        sub.line_of("rule"), sub.where + sub.label("rule"))
    return jobs


def _rule(fields: Fields) -> str | None:
    """A job's `rule`: in Chinese (每周一, 每月15日, 每季度15日: `recurrence.rrule_of`) or an
    RRULE; None (and a problem) when it is neither."""
    rule = fields.text("rule")
    if not rule:
        return None
    if "=" not in rule:  # not an RRULE's KEY=VALUE
        from dutyctl.recurrence import ambiguous_month, rrule_of, working_day_form

        named = ambiguous_month(rule) if (meant := rrule_of(rule)) is None else None
        if named and not all(rrule_of(form) for form in (
                f"每年{named[0]}月{named[1] or '1日'}", f"每{named[0]}个月{named[1]}")):
            named = None  # suggested only in forms that are taken: else the examples
        if named:
            month, day = named
            fields.problem("rule", t("'{rule}' reads two ways: write 每年{month}月{day} for "
                                     "once a year in that month, or 每{month}个月{days} for "
                                     "every {month} months", rule=rule.strip(), month=month,
                                     day=day or "1日", days=day))
        elif meant is None and (weekdays := working_day_form(rule)):
            fields.problem("rule", t("'{rule}': working days move with the holidays and "
                                     "make-up days, which a rule cannot know; write {meant} "
                                     "(Monday to Friday)", rule=rule.strip(), meant=weekdays))
        elif meant is None:
            fields.problem("rule", t('expected a rule such as 每天, 每周一, 每周一至周五, 每月15日, '
                                     '每月最后一个周五, 每季度15日 or 每年3月1日 (or an RRULE such '
                                     'as "FREQ=MONTHLY;BYMONTHDAY=1")'))
        return meant
    if shape := rrule_shape_problem(rule):
        fields.problem("rule", shape)
    return rule


def _share(fields: Fields, key: str, default: float) -> float:
    """A target share written "80%" (or 80): a fraction, 0 to 1."""
    value = fields.raw(key)
    if value is None:
        return default
    text = value.strip().removesuffix("%").strip() if isinstance(value, str) else value
    try:
        number = float(text) if not isinstance(text, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 <= number <= 100:
        fields.problem(key, t('expected a share from 0% to 100%, like "80%"'))
        return default
    return round(number / 100, 4)


def _targets(fields: Fields | None, urgency: Mapping[str, UrgencyScheme]) -> Targets:
    if fields is None:
        return Targets()
    fields.unknown(("satisfied_share", "visit_rate", "on_time"), configkeys.TARGETS)
    defaults = Targets()
    by_class: dict[str, float] = {}
    on_time = defaults.on_time
    if isinstance(fields.raw("on_time"), dict):
        section = fields.mapping("on_time")
        on_time = _share(section, "default", defaults.on_time)
        for key in section.data:
            if key == "default":
                continue
            kind, _, rest = str(key).partition(".")
            class_id, _, limit = rest.partition(".")
            scheme = urgency.get(kind)
            known = scheme and class_id in scheme.classes and \
                limit in scheme.classes[class_id].limits
            if not known:
                section.problem(key, t('expected default or kind.class.step with a time limit '
                                       'in urgency:, like "repair.emergency.arrive"'))
                continue
            by_class[str(key)] = _share(section, key, on_time)
    else:
        on_time = _share(fields, "on_time", defaults.on_time)
    return Targets(_share(fields, "satisfied_share", defaults.satisfied_share),
                   _share(fields, "visit_rate", defaults.visit_rate), on_time,
                   MappingProxyType(by_class))


def _email_domain(git: Fields | None) -> str | None:
    domain = git.text("email_domain", required=False) if git else None
    if domain and not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", domain.strip()):
        git.problem("email_domain", t("expected a mail domain like \"wuye.example.cn\""))
        return None
    return domain.strip() if domain else None


def _notify(fields: Fields | None, urgency: Mapping[str, UrgencyScheme]):
    """The `notify:` section; None without one (its module, ~2 ms, is not even imported)."""
    if fields is None:
        return None
    from dutyctl.kinds.repair import KIND as REPAIR
    from dutyctl.notify.settings import parse_notify

    scheme = urgency.get(REPAIR)
    classes = scheme.classes if scheme else None
    return parse_notify(fields, _class_names(classes) if classes is not None else None,
                        emergency_repair_classes(classes))


def _site_language(site: Fields) -> str | None:
    """`site.language` takes effect at once, so the rest of the file's problems read in it."""
    from dutyctl import messages

    code = site.text("language", required=False)
    language = messages.normalise(code)
    if code and language is None:
        site.problem("language", t('unknown language "{code}"; choose one of: en, zh_CN',
                                   code=code))
    messages.set_site_language(language)
    return language


def _desk_roles(desk: Fields | None, roles: Any) -> tuple[str, str]:
    """The `desk:` section's clerk_role and dispatch_role: ids of `roles:` (a role whose name
    is wrong is still a role: one problem, not two). The defaults: service and technician;
    where `roles:` has no such id, the role whose id or name is 客服专员 (维修工) when there is
    one (`DESK_ROLE_WORDS`: a Chinese site's `岗位: [客服专员, 维修工]`), else service
    (technician) all the same."""
    ids = _catalogue_ids(roles)
    clerk, dispatch = (_default_role(ids, role) for role in (DEFAULT_CLERK_ROLE,
                                                             DEFAULT_DISPATCH_ROLE))
    if desk is None:
        return clerk, dispatch
    desk.unknown(("clerk_role", "dispatch_role"), configkeys.DESK)
    return (desk.text("clerk_role", required=False, default=clerk, choices=ids),
            desk.text("dispatch_role", required=False, default=dispatch, choices=ids))


def _default_role(ids: Mapping[str, str] | None, role: str) -> str:
    """`role` (service, technician) when `roles:` has it, else the role whose id or name is its
    Chinese word (客服专员, 维修工), else `role` all the same."""
    if ids and role not in ids:
        from dutyctl.choices import matches

        return next(iter(matches(DESK_ROLE_WORDS[role], ids, partial=False)), role)
    return role


#: dutyctl.yaml's sections, and the keys of the small ones (each read with its Chinese words)
TOP_KEYS = ("site", "departments", "roles", "categories", "business_hours", "urgency",
            "checklist", "attendance", "privacy", "git", "emergencies", "recurring", "rooms",
            "targets", "notify", "desk")
SITE_KEYS = ("name", "timezone", "hotline", "language")
HOURS_KEYS = ("start", "end")
ATTENDANCE_KEYS = ("grace_minutes", "arrive_early_minutes", "clock_in_window_minutes")
PRIVACY_KEYS = ("mask_phone",)
GIT_KEYS = ("auto_commit", "email_domain")
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_HOURS = (time(8, 30), time(17, 30))


def parse_config(data: object, path: str) -> tuple[SiteConfig | None, list[Problem]]:
    """The config and every problem found in it (config is None when unusable). The sections
    are read in the order their problems are listed (`check` names the first ones first)."""
    problems: list[Problem] = []
    top = Fields(configkeys.canonical(data), path, problems)
    top.unknown(TOP_KEYS, configkeys.TOP)
    name, tz_name, tz, hotline, language = _site(top.mapping("site"))
    hours = top.mapping("business_hours", required=False)
    start, end = _business_hours(hours)
    attendance = top.mapping("attendance", required=False)
    privacy = top.mapping("privacy", required=False)
    git = top.mapping("git", required=False)
    departments = _departments(top.mapping("departments"))
    categories = _categories(top.mapping("categories"))
    urgency = _urgency(top.mapping("urgency", required=False))
    roles = _catalogue_at(top, "roles", ROLE_NAME_EXPECTED, ROLE_EXAMPLE, empty=NO_ROLE)
    clerk_role, dispatch_role = _desk_roles(top.mapping("desk", required=False),
                                            top.raw("roles"))
    config = SiteConfig(
        path=path,
        name=name,
        timezone_name=tz_name,
        tz=tz,
        hotline=hotline,
        departments=MappingProxyType(departments),
        roles=roles,
        categories=MappingProxyType(categories),
        business_start=start,
        business_end=end,
        urgency=MappingProxyType(urgency),
        checklist=_catalogue_at(top, "checklist",
                                N_("expected the display name of this checklist item"),
                                CHECKLIST_EXAMPLE, required=False),
        grace_minutes=_minutes(attendance, "grace_minutes", 5),
        arrive_early_minutes=_minutes(attendance, "arrive_early_minutes", 15),
        mask_phone=privacy.boolean("mask_phone", True) if privacy else True,
        auto_commit=git.boolean("auto_commit", True) if git else True,
        email_domain=_email_domain(git),
        emergencies=MappingProxyType(_emergencies(top.mapping("emergencies", required=False),
                                                  departments)),
        clock_in_window_minutes=_minutes(attendance, "clock_in_window_minutes", 120),
        recurring=MappingProxyType(_recurring(top.mapping("recurring", required=False),
                                              categories, urgency)),
        targets=_targets(top.mapping("targets", required=False), urgency),
        rooms=parse_scheme(top.mapping("rooms", required=False)),
        language=language,
        notify=_notify(top.mapping("notify", required=False), urgency),
        clerk_role=clerk_role,
        dispatch_role=dispatch_role,
    )
    _minutes_within_a_day(attendance)
    # a misspelt key (auto_comit: false) must not be silently ignored
    for section, allowed, words in ((hours, HOURS_KEYS, configkeys.HOURS),
                                    (attendance, ATTENDANCE_KEYS, configkeys.ATTENDANCE),
                                    (privacy, PRIVACY_KEYS, configkeys.PRIVACY),
                                    (git, GIT_KEYS, configkeys.GIT)):
        if section:
            section.unknown(allowed, words)
    return (None if tz is None else config), problems


def _site(site: Fields | None) -> tuple[str, str, tzinfo | None, str | None, str | None]:
    """`site:`'s name, time zone (its name and the zone: None when unknown, which makes the
    config unusable), hotline and language."""
    if not site:
        return "", DEFAULT_TIMEZONE, None, None, None
    site.unknown(SITE_KEYS, configkeys.SITE)
    language = _site_language(site)
    name = site.text("name")
    tz_name = timeutil.iana(site.text("timezone", required=False, default=DEFAULT_TIMEZONE))
    hotline = site.phone("hotline", required=False)
    tz = None
    try:
        tz = timeutil.zone(tz_name)
    except DutyError as exc:
        site.problem("timezone", exc.problem.message)
    return name or "", tz_name or DEFAULT_TIMEZONE, tz, hotline, language


def _business_hours(hours: Fields | None) -> tuple[time, time]:
    """`business_hours:` start and end, within one day (a wrong one: the default's)."""
    if not hours:
        return DEFAULT_HOURS
    start, end = hours.clock("start"), hours.clock("end")
    if start and end and end <= start:
        hours.problem("end", t("must be after start: business hours lie within one day"))
    return start or DEFAULT_HOURS[0], end or DEFAULT_HOURS[1]


def _minutes(attendance: Fields | None, key: str, default: int) -> int:
    """A count of minutes of the attendance section (0 or more), `default` without it."""
    return attendance.integer(key, False, 0, default) if attendance else default


def _minutes_within_a_day(attendance: Fields | None) -> None:
    """A problem for each count of minutes of the attendance section (grace_minutes, ...)
    over a day (MAX_MINUTES): past a day a margin means nothing, a slip, never a rule."""
    for key in ATTENDANCE_KEYS if attendance else ():
        value = attendance.raw(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_MINUTES:
            attendance.problem(key, t("at most {limit} (a day)", limit=MAX_MINUTES))


def role_names(data: object, label: str) -> Catalogue | None:
    """The roles' names of a dutyctl.yaml (`data` as loaded) that is not usable as a whole (an
    unknown time zone): `check`, which reports its problems, still names roles by them."""
    unsaid: list[Problem] = []  # parse_config's to say
    return _catalogue_at(Fields(configkeys.canonical(data), label, unsaid), "roles",
                         ROLE_NAME_EXPECTED, ROLE_EXAMPLE)


def load_config(path: Path, label: str | None = None,
                cache_dir: Path | None = None) -> SiteConfig:
    """Load and validate; raise ProblemsFound listing every problem as `label:line`. With the
    workspace's `cache_dir`, the parsed file is cached there (dutyctl.yamlcache)."""
    from dutyctl.yamlcache import load_cached

    label = label or str(path)
    return usable_config(*parse_config(load_cached(path, label, cache_dir), label), label)


def usable_config(config: SiteConfig | None, problems: list[Problem], label: str) -> SiteConfig:
    """What parse_config made of the file `label`, if usable; else ProblemsFound listing
    every problem."""
    if problems or config is None:
        raise ProblemsFound(problems or [Problem(label, None, t("unusable configuration"))])
    return config
