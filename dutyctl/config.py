"""The site configuration `dutyctl.yaml`, validated with every problem reported at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Iterator, Mapping

from dutyctl import timeutil, yamlio
from dutyctl.errors import DutyError, Problem, ProblemsFound
from dutyctl.messages import t
from dutyctl.schema import Fields, yaml_misread

CONFIG_FILE = "dutyctl.yaml"
TICKET_KINDS = ("call", "complaint", "repair")
CLOCKS = ("24x7", "business")
MAX_MINUTES = 24 * 60  # attendance margins: past a day they mean nothing (and overflow)


@dataclass(frozen=True)
class Catalogue:
    """Ids with display names and a default: categories, departments, roles."""

    names: Mapping[str, str]
    default: str | None = None

    def __contains__(self, key: str) -> bool:
        return key in self.names

    def name(self, key: str) -> str:
        return self.names.get(key, key)


@dataclass(frozen=True)
class UrgencyClass:
    id: str
    name: str
    clock: str  # "24x7" or "business"
    limits: Mapping[str, tuple[timedelta, bool]]  # respond / arrive / complete -> (length, wd)


@dataclass(frozen=True)
class UrgencyScheme:
    default: str
    classes: Mapping[str, UrgencyClass]
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    outside: bool = False
    phone: str | None = None


@dataclass(frozen=True)
class EmergencyType:
    id: str
    name: str
    steps: tuple[str, ...]
    notify: tuple[str, ...]


@dataclass(frozen=True)
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


def _catalogue(fields: Fields | None, key_hint: str) -> Catalogue:
    """A mapping id -> display name (text)."""
    names = {}
    if fields is None:
        return Catalogue(MappingProxyType(names))
    for key, value in fields.data.items():
        if isinstance(value, str) and value.strip():
            names[str(key)] = value
        else:
            fields.problem(key, t("expected the display name of this {what}", what=key_hint)
                           + yaml_misread(value))
    return Catalogue(MappingProxyType(names))


def _entries(fields: Fields | None) -> Iterator[tuple[str, Fields]]:
    """(id, fields) for each entry of a section that is a mapping; the others are problems."""
    if fields is None:
        return
    for key in fields.data:
        sub = fields.mapping(key)
        if sub is not None and sub.ok:
            yield str(key), sub


def _categories(fields: Fields | None) -> dict[str, Catalogue]:
    result = {}
    for kind in TICKET_KINDS:
        section = fields.mapping(kind) if fields else None
        if section is None:
            result[kind] = Catalogue(MappingProxyType({}))
            continue
        section.unknown(("default", "choices"))
        choices = _catalogue(section.mapping("choices"), "category")
        default = section.text("default", choices=list(choices.names) or None)
        result[kind] = Catalogue(choices.names, default)
    return result


def _urgency_class(class_id: str, fields: Fields) -> UrgencyClass:
    fields.unknown(("name", "clock", "respond", "arrive", "complete"))
    limits = {}
    for limit in ("respond", "arrive", "complete"):
        if fields.has(limit) and (parsed := fields.duration(limit)):
            if parsed[0] <= timedelta(0):
                fields.problem(limit, t("must be longer than 0: every ticket would be late "
                                        "the moment it is filed"))
                continue
            limits[limit] = parsed
    return UrgencyClass(class_id, fields.text("name", default=class_id) or class_id,
                        fields.text("clock", default="24x7", choices=CLOCKS) or "24x7",
                        MappingProxyType(limits))


def _urgency(fields: Fields | None) -> dict[str, UrgencyScheme]:
    schemes = {}
    for kind, section in _entries(fields):
        section.unknown(("default", "classes", "keywords"))
        classes = {class_id: _urgency_class(class_id, sub)
                   for class_id, sub in _entries(section.mapping("classes"))}
        default = section.text("default", choices=list(classes) or None)
        keywords = {}
        if (words := section.mapping("keywords", required=False)) is not None:
            for class_id in words.data:
                if class_id not in classes:
                    words.problem(class_id, t("no urgency class '{id}'", id=class_id))
                keywords[str(class_id)] = tuple(words.text_list(class_id))
        schemes[kind] = UrgencyScheme(default or "", MappingProxyType(classes),
                                      MappingProxyType(keywords))
    return schemes


def _departments(fields: Fields | None) -> dict[str, Department]:
    result = {}
    for dept_id, sub in _entries(fields):
        sub.unknown(("name", "outside", "phone"))
        result[dept_id] = Department(dept_id, sub.text("name") or dept_id,
                                     sub.boolean("outside", False),
                                     sub.phone("phone", required=False))
    return result


def _emergencies(fields: Fields | None, departments: Mapping[str, Department]) -> dict:
    result = {}
    for type_id, sub in _entries(fields):
        sub.unknown(("name", "steps", "notify"))
        notify = sub.text_list("notify")
        for dept in notify:
            if dept not in departments:
                sub.problem("notify", t("no department '{id}'", id=dept))
        result[type_id] = EmergencyType(type_id, sub.text("name") or type_id,
                                        tuple(sub.text_list("steps", required=True)),
                                        tuple(notify))
    return result


def parse_config(data: object, path: str) -> tuple[SiteConfig | None, list[Problem]]:
    """The config and every problem found in it (config is None when unusable)."""
    problems: list[Problem] = []
    top = Fields(data, path, problems)
    top.unknown(("site", "departments", "roles", "categories", "business_hours", "urgency",
                 "checklist", "attendance", "privacy", "git", "emergencies"))
    site = top.mapping("site")
    tz = None
    name = tz_name = hotline = None
    if site:
        site.unknown(("name", "timezone", "hotline"))
        name = site.text("name")
        tz_name = site.text("timezone", required=False, default="Asia/Shanghai")
        hotline = site.phone("hotline", required=False)
        try:
            tz = timeutil.zone(tz_name)
        except DutyError as exc:
            site.problem("timezone", exc.problem.message)
    hours = top.mapping("business_hours", required=False)
    start = hours.clock("start") if hours else time(8, 30)
    end = hours.clock("end") if hours else time(17, 30)
    if hours and start and end and end <= start:
        hours.problem("end", t("must be after start: business hours lie within one day"))
    attendance = top.mapping("attendance", required=False)
    privacy = top.mapping("privacy", required=False)
    git = top.mapping("git", required=False)
    departments = _departments(top.mapping("departments"))
    config = SiteConfig(
        path=path,
        name=name or "",
        timezone_name=tz_name or "Asia/Shanghai",
        tz=tz,
        hotline=hotline,
        departments=MappingProxyType(departments),
        roles=_catalogue(top.mapping("roles"), "role"),
        categories=MappingProxyType(_categories(top.mapping("categories"))),
        business_start=start or time(8, 30),
        business_end=end or time(17, 30),
        urgency=MappingProxyType(_urgency(top.mapping("urgency", required=False))),
        checklist=_catalogue(top.mapping("checklist", required=False), "checklist item"),
        grace_minutes=(attendance.integer("grace_minutes", False, 0, 5) if attendance else 5),
        arrive_early_minutes=(attendance.integer("arrive_early_minutes", False, 0, 15)
                              if attendance else 15),
        mask_phone=privacy.boolean("mask_phone", True) if privacy else True,
        auto_commit=git.boolean("auto_commit", True) if git else True,
        emergencies=MappingProxyType(_emergencies(top.mapping("emergencies", required=False),
                                                  departments)),
        clock_in_window_minutes=(attendance.integer("clock_in_window_minutes", False, 0, 120)
                                 if attendance else 120),
    )
    if attendance:
        for key in ("grace_minutes", "arrive_early_minutes", "clock_in_window_minutes"):
            value = attendance.raw(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_MINUTES:
                attendance.problem(key, t("at most {limit} (a day)", limit=MAX_MINUTES))
    # a misspelt key (auto_comit: false) must not be silently ignored
    for section, allowed in ((hours, ("start", "end")),
                             (attendance, ("grace_minutes", "arrive_early_minutes",
                                           "clock_in_window_minutes")),
                             (privacy, ("mask_phone",)), (git, ("auto_commit",))):
        if section:
            section.unknown(allowed)
    return (None if tz is None else config), problems


def load_config(path: Path, label: str | None = None) -> SiteConfig:
    """Load and validate; raise ProblemsFound listing every problem as `label:line`."""
    label = label or str(path)
    config, problems = parse_config(yamlio.load(path, label), label)
    if problems or config is None:
        raise ProblemsFound(problems or [Problem(label, None, t("unusable configuration"))])
    return config
