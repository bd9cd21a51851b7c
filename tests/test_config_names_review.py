"""What a review of the Chinese `初始化` found in dutyctl.yaml's names: 急修 is one repair class
(id 急修, else the class named 急修, else `emergency`) for every report and notify; the desk's
default roles are found as the desk finds a typed name; a catalogue's list checks its names as
the mapping does; only a Chinese id stands for its name; a catalogue that is not one says both
forms; a roles catalogue with nothing in it is refused."""

from __future__ import annotations

import inspect
import re

from dutyctl.config import EMERGENCY_REPAIR_CLASS, parse_config
from dutyctl.notify.settings import parse_notify
from dutyctl.reports.portfolio import rates
from dutyctl.store import yamlio
from dutyctl.workspace import template_text

ROLES = "岗位: [客服专员, 客服主管, 维修工, 保安, 保洁]"
CLASSES = ("      emergency: {name: 急修, clock: 24x7, respond: 15m, arrive: 30m, complete: 24h}\n"
           "      urgent: {name: 紧急, clock: 24x7, respond: 30m, arrive: 2h, complete: 1d}\n")


def _said(text: str) -> tuple:
    config, problems = parse_config(yamlio.loads(text, "dutyctl.yaml"), "dutyctl.yaml")
    return config, [f"{p.path}:{p.line}: {p.message}" for p in problems]


def _line(text: str, fragment: str, nth: int = 0) -> int:
    return [n for n, line in enumerate(text.splitlines(), 1) if fragment in line][nth]


def _english(classes: str) -> str:
    text = template_text("dutyctl.yaml")
    assert CLASSES in text
    text = text.replace(CLASSES, classes)
    return re.sub(r"(?m)^    keywords:.*\n(      .*\n)*", "", text)


# -- 1. 急修 is one class ------------------------------------------------------------------------

def test_the_emergency_repair_class_is_its_id_then_its_name_then_emergency():
    both = ("      emergency: {name: 特急, clock: 24x7, respond: 15m, arrive: 30m}\n"
            "      urgent: {name: 急修, clock: 24x7, respond: 30m, arrive: 2h}\n")
    config, said = _said(_english(both))
    assert said == [] and config.emergency_repair_classes() == ("urgent",)
    config, said = _said(_english(both).replace("urgent: {name: 急修", "急修: {name: 急修x"))
    assert said == [] and config.emergency_repair_classes() == ("急修",)
    config, said = _said(_english(both).replace("{name: 急修", "{name: 紧急"))
    assert said == [] and config.emergency_repair_classes() == (EMERGENCY_REPAIR_CLASS,)
    config, said = _said(_english(both).replace("emergency: {name: 特急", "fast: {name: 特急")
                         .replace("{name: 急修", "{name: 紧急"))
    assert said == [] and config.emergency_repair_classes() == ()
    # notify's default is that class, and its argument is always given
    config, said = _said(_english(both) + "notify:\n  warn_before: 30m\n")
    assert said == [] and config.notify.emergency_repair == ("urgent",)
    assert inspect.signature(parse_notify).parameters["emergency"].default \
        is inspect.Parameter.empty


def test_the_portfolio_rates_the_emergency_repair_class_the_summary_watches():
    both = ("      emergency: {name: 特急, clock: 24x7, respond: 15m, arrive: 30m}\n"
            "      urgent: {name: 急修, clock: 24x7, respond: 30m, arrive: 2h}\n")
    config, said = _said(_english(both))
    assert said == []
    rows = [{"kind": "repair", "urgency": urgency, "limit": "arrive", "rate": rate,
             "on_time": on_time, "late": 1 - on_time}
            for urgency, rate, on_time in (("emergency", 0.5, 0), ("urgent", 1.0, 1))]
    sections = {"compliance": {"overall": {"rate": 0.9, "target": 0.9, "on_time": 9, "late": 1},
                               "by_class": rows},
                "satisfaction": {"all": {"satisfied_share": 1.0, "satisfied_target": 0.8,
                                         "visit_rate": 1.0, "visit_target": 1.0, "visits": 2,
                                         "distribution": {"5": 2}, "visited": 2,
                                         "resolved": 2}}}
    arrive = rates(sections, config)["emergency_arrive_rate"]
    assert (arrive["value"], arrive["count"], arrive["of"]) == (1.0, 1, 1)
    assert config.emergency_repair_classes() == ("urgent",)  # the daily summary's


# -- 2. the desk's default roles ------------------------------------------------------------------

def test_the_default_desk_roles_are_found_as_a_typed_name_is():
    text = re.sub(r"(?m)^值班台: .*\n", "", template_text("dutyctl.yaml", "zh_CN"))
    config, said = _said(text.replace(ROLES, '岗位: {kefu: " 客服专员", weixiu: "维修工 "}'))
    assert said == [] and (config.clerk_role, config.dispatch_role) == ("kefu", "weixiu")


# -- 3. a list's names are told apart as the mapping's are ----------------------------------------

def test_a_list_refuses_a_name_twice_with_spaces_or_in_another_case():
    base = template_text("dutyctl.yaml", "zh_CN")
    text = base.replace(ROLES, '岗位:\n  - 维修工\n  - " 维修工"\n  - 客服专员')
    config, said = _said(text)
    second = _line(text, '  - " 维修工"')
    assert said == [f"dutyctl.yaml:{second}: 岗位 #2: '维修工' is already "
                    "in the list: keep one"], said
    assert list(config.roles.names) == ["维修工", "客服专员"]
    text = base.replace("备勤检查: [值班电话畅通,", "备勤检查:\n  - B2车库巡查\n  - b2车库巡查\n  - [值班电话畅通,")
    text = text.replace("  - [值班电话畅通, 电脑与登记系统正常", "  - 值班电话畅通\n  - 电脑与登记系统正常")
    text = re.sub(r"(?m)^(  - 电脑与登记系统正常), (.*)\]$",
                  lambda m: m[1] + "".join(f"\n  - {item}" for item in m[2].split(", ")), text)
    config, said = _said(text)
    assert said == [f"dutyctl.yaml:{_line(text, 'b2车库巡查')}: 备勤检查 #2: 'b2车库巡查' is "
                    "already in the list as 'B2车库巡查': keep one"], said
    # the names are kept stripped: the desk's roles find them
    config, said = _said(base.replace(ROLES, '岗位: [" 客服专员", "维修工 "]'))
    assert said == [] and list(config.roles.names) == ["客服专员", "维修工"]
    assert (config.clerk_role, config.dispatch_role) == ("客服专员", "维修工")


# -- 4. only a Chinese id is its own name ---------------------------------------------------------

def test_an_english_id_needs_its_chinese_name():
    base = template_text("dutyctl.yaml", "zh_CN")
    text = base.replace(ROLES, "岗位: [客服专员, service, 维修工]")
    _, said = _said(text)
    assert said == [f"dutyctl.yaml:{_line(text, '岗位:')}: 岗位 #2: 'service' is an id in "
                    "English, which the desk would see: write the entries as id: name with the "
                    "Chinese name (like service: 客服专员)"], said
    text = re.sub(r"(?m)^(    通知: .*)工程部", r"\1engineering", base.replace("  工程部: {}", "  engineering: {}"))
    _, said = _said(text)
    assert said == [f"dutyctl.yaml:{_line(text, 'engineering: {}')}: 部门.engineering.name: is "
                    "required for an id in English: add the Chinese name the desk sees (like "
                    "name: 工程部)"], said
    english = template_text("dutyctl.yaml").replace("  engineering: {name: 工程部}",
                                                    "  engineering: {}")
    _, said = _said(english)
    assert said == [f"dutyctl.yaml:{_line(english, 'engineering: {}')}: departments.engineering"
                    ".name: is required for an id in English: add the Chinese name the desk "
                    "sees (like name: 工程部)"], said


# -- 5. a catalogue that is not one says both forms -----------------------------------------------

def test_a_catalogue_written_as_text_or_a_number_says_the_list_and_the_mapping():
    base = template_text("dutyctl.yaml", "zh_CN")
    for written, told in (
            ("岗位: 客服专员", "expected a list: write [客服专员], or one id: name a line"),
            ("岗位: 客服专员，维修工", "expected a list: write [客服专员, 维修工], or one id: name a "
                                "line"),
            ("岗位: 5", "expected a list [客服专员, 维修工] or one id: name a line (like "
                      "service: 客服专员)")):
        text = base.replace(ROLES, written)
        _, said = _said(text)
        assert said == [f"dutyctl.yaml:{_line(text, '岗位:')}: 岗位: {told}"], said


# -- 8. notify names 急修 by name; a site lists at least one role ----------------------------------

def test_notify_names_the_emergency_repair_class_by_id_or_name():
    english = template_text("dutyctl.yaml") + "notify:\n  emergency_repair: [急修, urgent]\n"
    config, said = _said(english)
    assert said == [] and config.notify.emergency_repair == ("emergency", "urgent")
    text = english.replace("[急修, urgent]", "[加急]")
    _, said = _said(text)
    assert said == [f"dutyctl.yaml:{_line(text, '加急')}: notify.emergency_repair: no urgency "
                    "class '加急'"], said


def test_an_empty_roles_catalogue_is_refused_at_its_line():
    base = template_text("dutyctl.yaml", "zh_CN")
    for empty in ("[]", "{}"):
        text = base.replace(ROLES, f"岗位: {empty}")
        _, said = _said(text)
        assert f"dutyctl.yaml:{_line(text, '岗位:')}: 岗位: lists no role: the desk would have " \
               "no clerk; list them, like [客服专员, 维修工]" in said, said
