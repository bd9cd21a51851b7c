"""Site config: the bundled sample is valid, every problem is reported at once as path:line."""

from __future__ import annotations

from datetime import time, timedelta
from importlib import resources
from pathlib import Path

import pytest

from dutyctl.store import yamlio
from dutyctl.config import load_config, parse_config
from dutyctl.errors import ProblemsFound

TEMPLATE = resources.files("dutyctl") / "templates" / "dutyctl.yaml"
REPO_CONFIG = Path(__file__).resolve().parent.parent / "dutyctl.yaml"


def template_text() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def edited(*replacements: tuple[str, str]) -> str:
    text = template_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def problems_of(text: str) -> list[str]:
    _, problems = parse_config(yamlio.loads(text, "dutyctl.yaml"), "dutyctl.yaml")
    return [str(problem) for problem in problems]


def test_bundled_template_is_valid():
    config, problems = parse_config(yamlio.loads(template_text(), "t"), "t")
    assert problems == []
    assert config.timezone_name == "Asia/Shanghai"
    assert str(config.tz) == "Asia/Shanghai"
    assert config.categories["call"].default == "consultation"
    assert "fee" in config.categories["call"]
    assert config.categories["complaint"].default in config.categories["complaint"]
    assert config.categories["repair"].default in config.categories["repair"]
    assert config.business_start == time(8, 30) and config.business_end == time(17, 30)
    assert config.urgency["repair"].classes["emergency"].limits["arrive"] == (
        timedelta(minutes=30), False)
    assert config.urgency["repair"].classes["general"].limits["complete"] == (
        timedelta(days=3), True)
    assert config.departments["water-company"].outside
    assert config.mask_phone and config.auto_commit


def test_an_urgency_class_is_looked_up_by_kind_and_id():
    config, _ = parse_config(yamlio.loads(template_text(), "t"), "t")
    assert config.urgency_class("repair", "emergency") is \
        config.urgency["repair"].classes["emergency"]
    assert config.urgency_class("repair", "urgentt") is None  # an id the kind lacks
    assert config.urgency_class("repair", None) is None  # a record without one
    assert config.urgency_class("call", "emergency") is None  # a kind without classes


def test_repository_config_matches_the_template_but_for_auto_commit():
    repo = REPO_CONFIG.read_text(encoding="utf-8").splitlines()
    template = template_text().splitlines()
    differing = [(mine, theirs) for mine, theirs in zip(repo, template) if mine != theirs]
    assert len(repo) == len(template)
    assert len(differing) == 1 and "auto_commit: false" in differing[0][0]
    assert load_config(REPO_CONFIG).auto_commit is False


def test_an_urgency_clock_is_written_in_the_supervisor_s_words(monkeypatch):
    """`clock: 工作时间` is business hours and `clock: 全天` round the clock, as the ids are;
    a word of neither is refused naming both ways to write each."""
    text = edited(("clock: business, respond: 2h, arrive: 1wd",
                   "clock: 工作时间, respond: 2小时, arrive: 1个工作日"),
                  ("clock: 24x7, respond: 15m", "clock: 全天, respond: 15分钟"),
                  ("urgent: {name: 紧急, clock: 24x7, respond: 2h",
                   "urgent: {name: 紧急, clock: 办公时间, respond: 2h"))
    config, problems = parse_config(yamlio.loads(text, "t"), "t")
    assert problems == []
    assert config.urgency["repair"].classes["general"].clock == "business"
    assert config.urgency["repair"].classes["emergency"].clock == "24x7"
    assert config.urgency["complaint"].classes["urgent"].clock == "business"
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    wrong = edited(("clock: business, respond: 2h", "clock: 上班时间, respond: 2h"))
    assert problems_of(wrong) == [
        f"dutyctl.yaml:{line_of(wrong, '上班时间')}: urgency.repair.classes.general.clock: "
        "“上班时间”不在可选值中：全天（24x7）、工作时间（business）"]


def test_unknown_time_zone_is_an_error_not_utc():
    text = edited(("timezone: Asia/Shanghai", "timezone: Mars/Olympus"))
    config, problems = parse_config(yamlio.loads(text, "dutyctl.yaml"), "dutyctl.yaml")
    assert config is None
    assert [str(p) for p in problems] == [
        "dutyctl.yaml:4: site.timezone: unknown time zone 'Mars/Olympus' "
        "(expected an IANA name such as Asia/Shanghai)"]


def test_time_zone_defaults_to_shanghai():
    text = edited(("  timezone: Asia/Shanghai          # IANA 时区名；未知时区会报错\n",
                   ""))
    config, problems = parse_config(yamlio.loads(text, "c"), "c")
    assert problems == [] and str(config.tz) == "Asia/Shanghai"


def test_unknown_default_category_is_an_error():
    text = edited(("default: consultation", "default: weather"))
    assert problems_of(text) == [
        f"dutyctl.yaml:{line_of(text, 'default: weather')}: categories.call.default: 'weather' "
        "is not one of: 咨询 (consultation), 物业费咨询 (fee), 投诉 (complaint), 报修 (repair), "
        "紧急情况 (emergency), 建议 (suggestion), 其他 (other)"]


def test_every_problem_is_reported_at_once_with_its_line():
    text = edited(("timezone: Asia/Shanghai", "timezone: Nowhere/City"),
                  ("hotline: \"0571-88886666\"", "hotline: 13812345678"),
                  ("  service: 客服专员", "  service: no"),
                  ("default: consultation", "default: weather"),
                  ('business_hours: {start: "08:30", end: "17:30"}',
                   'business_hours: {start: 9:00, end: "17:30"}'),
                  ("  grace_minutes: 5 ", "  grace_minutes: soon "),
                  ("privacy:\n", "privacy:\n  mask_phones: true\n"))
    found = problems_of(text)
    expected_lines = [line_of(text, fragment) for fragment in (
        "timezone: Nowhere", "hotline: 138", "service: no", "default: weather", "start: 9:00",
        "grace_minutes: soon", "mask_phones")]
    assert len(found) == 7
    assert sorted(int(p.split(":")[1]) for p in found) == sorted(expected_lines)
    joined = "\n".join(found)
    assert "site.hotline: expected a phone number" in joined
    assert "roles.service: expected the display name of this role (YAML read an unquoted" in joined
    # the time it read, not an example: 9:00 unquoted is the number 9 * 60
    assert 'business_hours.start: YAML read 9:00 as the number 540: write "09:00" (in quotes)' \
        in joined
    assert "attendance.grace_minutes: expected a whole number" in joined
    assert "privacy.mask_phones: for 'mask_phones' write mask_phone" in joined


def test_load_config_raises_every_problem(tmp_path):
    path = tmp_path / "dutyctl.yaml"
    path.write_text(edited(("timezone: Asia/Shanghai", "timezone: Mars/Olympus"),
                           ("default: consultation", "default: weather")), encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        load_config(path)
    assert caught.value.exit_code == 2
    assert [p.line for p in caught.value.problems] == [4, line_of(path.read_text(), "weather")]


@pytest.mark.parametrize("old,new", [
    ("  service: {name: 客服中心}", "  service:"),
    ("  callback:\n    default: general\n    classes:\n      general: {name: 回电, clock: 24x7, "
     "complete: 24h}", "  callback:"),
    ("      general: {name: 回电, clock: 24x7, complete: 24h}", "      general:"),
    ("  fire:\n    name: 火灾", "  fire: 火灾\n  fire2:\n    name: 火灾"),
    ("  service: {name: 客服中心}", "  service: 客服中心"),
])
def test_empty_or_scalar_sections_are_problems_not_crashes(old, new):
    found = problems_of(edited((old, new)))
    assert found and all(problem.startswith("dutyctl.yaml:") for problem in found)


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_config_that_is_not_a_mapping(text):
    config, problems = parse_config(yamlio.loads(text, "c"), "c")
    assert problems and "site: is required" in "\n".join(str(p) for p in problems)


def test_a_section_that_is_not_a_mapping_is_one_problem():
    """`business_hours: 8:30-17:30` is one mistake: not also a start and an end missing."""
    text = edited(('business_hours: {start: "08:30", end: "17:30"}',
                   "business_hours: 8:30-17:30"))
    assert problems_of(text) == [f"dutyctl.yaml:{line_of(text, 'business_hours:')}: "
                                 "business_hours: expected fields written as 'key: value', "
                                 "one a line, not '8:30-17:30'"]


def test_urgency_keywords_must_name_a_class():
    text = edited(("      urgent: [停水", "      urgentt: [停水"))
    assert any("no urgency class 'urgentt'" in problem for problem in problems_of(text))


def test_emergency_must_notify_known_departments():
    text = edited(("notify: [engineering, water-company]", "notify: [engineering, plumbers]"))
    assert any("no department 'plumbers'; choose one of: 客服中心 (service), 工程部 (engineering)"
               in problem for problem in problems_of(text))


def test_a_reference_in_the_site_file_may_name_what_it_means():
    """A supervisor writes the names the desk shows (客服专员, 咨询, 一般, 自来水公司), not
    the ids behind them: each is read as its id."""
    text = edited(("desk: {clerk_role: service, dispatch_role: technician}",
                   "desk: {clerk_role: 客服专员, dispatch_role: 维修工}"),
                  ("    default: consultation", "    default: 咨询"),
                  ("notify: [engineering, water-company]", "notify: [工程部, 自来水公司]"))
    text = text.replace("  repair:\n    default: general", "  repair:\n    default: 一般", 1)
    config, problems = parse_config(yamlio.loads(text, "dutyctl.yaml"), "dutyctl.yaml")
    assert problems == []
    assert (config.clerk_role, config.dispatch_role) == ("service", "technician")
    assert config.categories["call"].default == "consultation"
    assert config.urgency["repair"].default == "general"
    assert config.emergencies["water-outage"].notify == ("engineering", "water-company")


def test_a_name_nobody_has_is_refused_with_every_name_and_id():
    from dutyctl import messages

    text = edited(("desk: {clerk_role: service,", "desk: {clerk_role: 客服,"))
    with messages.speaking("zh_CN"):
        problems = problems_of(text)
    assert problems == [f"dutyctl.yaml:{line_of(text, 'desk: {')}: desk.clerk_role: “客服”不在"
                        "可选值中：客服专员（service）、客服主管（supervisor）、维修工（technician）、"
                        "保安（guard）、保洁（cleaner）"]


@pytest.mark.parametrize("old, new, at, said", [
    ("  finance: {name: 财务部}", "  finance: {name: 工程部}", "  finance:", "departments.finance: "
     "'工程部' is also the name of 'engineering'"),
    ("      fee: 物业费咨询", "      fee: 咨询", "      fee:", "categories.call.choices.fee: '咨询' "
     "is also the name of 'consultation'"),
    ("  cleaner: 保洁", "  cleaner: 保安", "  cleaner:", "roles.cleaner: '保安' is also the name "
     "of 'guard'"),
    ("      urgent: {name: 紧急, clock: 24x7, respond: 30m", "      urgent: {name: 一般, clock: "
     "24x7, respond: 30m", "      general: {name: 一般, clock: business, respond: 2h",
     "urgency.repair.classes.general: '一般' is also the name of 'urgent'"),
    ("    name: 停电\n", "    name: 停水\n", "  power-outage:\n    name: 停水",
     "emergencies.power-outage: '停水' "
     "is also the name of 'water-outage'")])
def test_two_entries_of_one_list_may_not_share_a_name(old, new, at, said):
    """`--to 工程部` could mean either: the second one is a problem at its line."""
    text = edited((old, new))
    assert problems_of(text) == [f"dutyctl.yaml:{line_of(text, at)}: {said}: give each its "
                                 "own name, or a word typed at the desk could mean either"]


@pytest.mark.parametrize("old, new, at, said", [
    ("  finance: {name: 财务部}", "  finance: {name: engineering}", "  finance:",
     "departments.finance: 'engineering' is the id of 工程部 (engineering)"),
    ("  finance: {name: 财务部}", "  finance: {name: Engineering}", "  finance:",
     "departments.finance: 'Engineering' is the id of 工程部 (engineering)"),
    ("      fee: 物业费咨询", "      fee: consultation", "      fee:",
     "categories.call.choices.fee: 'consultation' is the id of 咨询 (consultation)"),
    ("  cleaner: 保洁", "  cleaner: guard", "  cleaner:",
     "roles.cleaner: 'guard' is the id of 保安 (guard)"),
    ("      urgent: {name: 紧急, clock: 24x7, respond: 30m", "      urgent: {name: general, "
     "clock: 24x7, respond: 30m", "      urgent:",
     "urgency.repair.classes.urgent: 'general' is the id of 一般 (general)")])
def test_a_name_may_not_be_another_entrys_id(old, new, at, said):
    """`--to engineering` would name the id's entry, never the one that shows that name."""
    text = edited((old, new))
    assert problems_of(text) == [f"dutyctl.yaml:{line_of(text, at)}: {said}: give this entry "
                                 "another name, or a word typed at the desk could mean either"]


def test_a_name_that_is_its_own_id_is_no_problem():
    text = edited(("  finance: {name: 财务部}", "  finance: {name: finance}"))
    assert problems_of(text) == []


def test_a_name_that_is_another_entrys_id_is_said_in_chinese():
    from dutyctl import messages

    text = edited(("  finance: {name: 财务部}", "  finance: {name: engineering}"))
    with messages.speaking("zh_CN"):
        assert problems_of(text) == [
            f"dutyctl.yaml:{line_of(text, '  finance:')}: departments.finance: “engineering”是"
            "工程部（engineering）的编号：请另起一个名称，否则在值班台输入这个词时分不清指哪一个"]


# -- through the command line: a normal command exits 2, `check` exits 1 ---------------------

CONFIG_TRAPS = {
    "unquoted time": (('business_hours: {start: "08:30"', "business_hours: {start: 9:00"),
                      "business_hours.start: YAML read 9:00 as the number 540: write \"09:00\""),
    "unquoted phone": (('hotline: "0571-88886666"', "hotline: 13812345678"),
                       "site.hotline: expected a phone number"),
    "no as text": (("  service: 客服专员", "  service: no"),
                   "roles.service: expected the display name of this role (YAML read an "
                   "unquoted yes/no/on/off as False)"),
    "off as text": (("  name: 阳光花园小区物业客户服务中心", "  name: off"),
                    "site.name: expected text (YAML read an unquoted yes/no/on/off as False)"),
    "duplicate key": (("  hotline: \"0571-88886666\"",
                       "  hotline: \"0571-88886666\"\n  name: 重复"),
                      "duplicate key 'name' (first on line 3)"),
    "conflict marker": (("roles:\n", "<<<<<<< HEAD\nroles:\n"),
                        "git conflict marker: resolve the merge first"),
}


def break_config(workspace, old: str, new: str) -> int:
    text = workspace.config_path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    workspace.config_path.write_text(text, encoding="utf-8")
    changed = [number for number, (a, b) in enumerate(
        zip(text.splitlines(), template_text().splitlines()), 1) if a != b]
    return changed[0]


@pytest.mark.parametrize("trap", list(CONFIG_TRAPS))
def test_config_trap_stops_a_normal_command_with_exit_2(workspace, cli, trap):
    (old, new), message = CONFIG_TRAPS[trap]
    line = break_config(workspace, old, new)
    result = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--summary", "咨询")
    assert result.exit_code == 2
    assert f"dutyctl.yaml:{line}: " in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not list(workspace.records_dir.rglob("*.yaml"))


@pytest.mark.parametrize("trap", list(CONFIG_TRAPS))
def test_config_trap_is_found_by_check_with_exit_1(workspace, cli, trap):
    (old, new), message = CONFIG_TRAPS[trap]
    line = break_config(workspace, old, new)
    result = cli("check")
    assert result.exit_code == 1
    assert f"dutyctl.yaml:{line}: {message}" in result.stdout


@pytest.mark.parametrize("typed, length, working", [
    ("30分钟", timedelta(minutes=30), False), ("15分", timedelta(minutes=15), False),
    ("2小时", timedelta(hours=2), False), ("两个小时", timedelta(hours=2), False),
    ("十五分钟", timedelta(minutes=15), False), ("二十四小时", timedelta(hours=24), False),
    ("半小时", timedelta(minutes=30), False), ("１.５小时", timedelta(minutes=90), False),
    ("3天", timedelta(days=3), False), ("7个工作日", timedelta(days=7), True),
    ("3 工作日", timedelta(days=3), True), ("7wd", timedelta(days=7), True),
    ("一个半小时", timedelta(minutes=90), False), ("1个半小时", timedelta(minutes=90), False),
    ("两个半小时", timedelta(minutes=150), False), ("一小时半", timedelta(minutes=90), False),
    ("1.5小时", timedelta(minutes=90), False), ("两个工作日", timedelta(days=2), True),
    ("一个半工作日", timedelta(hours=36), True), ("半个工作日", timedelta(hours=12), True),
    ("1天半", timedelta(hours=36), False), ("一天半", timedelta(hours=36), False),
    ("十二小时", timedelta(hours=12), False)])
def test_a_limit_is_written_as_a_supervisor_writes_it_in_chinese(typed, length, working):
    """A supervisor writes 时限 as 2小时 or 3个工作日, not 2h or 3wd."""
    text = edited(("complete: 24h", f"complete: {typed}"))
    config, problems = parse_config(yamlio.loads(text, "dutyctl.yaml"), "dutyctl.yaml")
    assert problems == []
    assert config.urgency["repair"].classes["emergency"].limits["complete"] == (length, working)


@pytest.mark.parametrize("typed", ["十十小时", "一二三天", "2 hours", "两", "两个天", "1.5天半",
                                   "一半小时", "2h半", "两个工作日半", "半分钟"])
def test_a_duration_not_understood_is_one_problem_with_chinese_examples(typed):
    from dutyctl import messages

    text = edited(("complete: 24h", f"complete: {typed}"))
    with messages.speaking("zh_CN"):
        problems = problems_of(text)
    assert problems == [f"dutyctl.yaml:{line_of(text, 'complete: ' + typed)}: "
                        "urgency.repair.classes.emergency.complete: 应为时长，如 30分钟、2小时、"
                        "3天、7个工作日（也可写 30m、2h、3d、7wd）"]


@pytest.mark.parametrize("typed", ["半天", "半日", "半 天"])
def test_half_a_day_reads_two_ways_and_says_how_to_write_either(typed):
    """半天 as a time limit: 12 hours, or a morning's work (half a working day)? Refused with
    both spellings, which are each taken (see above)."""
    from dutyctl import messages

    text = edited(("complete: 24h", f"complete: {typed}"))
    with messages.speaking("zh_CN"):
        problems = problems_of(text)
    assert problems == [f"dutyctl.yaml:{line_of(text, 'complete: ' + typed)}: "
                        f"urgency.repair.classes.emergency.complete: “{typed}”可以指 12 小时，"
                        "也可以指半个工作日：请写“12小时”或“半个工作日”（也可写 12h、0.5wd）"]


# -- a key not known: what was written and what to write instead ------------------------------

def _unknown(text: str, allowed, words=None) -> list[str]:
    from dutyctl.schema import Fields

    problems: list = []
    Fields(yamlio.loads(text, "rules.yaml"), "rules.yaml", problems, 1, "fairness.").unknown(
        allowed, words)
    return [f"{problem.line}: {problem.message}" for problem in problems]


def test_an_unknown_key_says_what_was_written_and_what_to_write_instead():
    """One form for every section: a word of the section's own (夜班, typed in full width
    too) or a near spelling names the key to write; the fairness weights say it this way."""
    from dutyctl.roster.rules import METRICS
    from dutyctl.ruleskeys import METRICS as _METRIC_WORDS

    said = _unknown("hours: 1\n夜班: 2\nｎｉｇｈｔｓ: 1\nnight: 1\nluck: 3\n", METRICS,
                   _METRIC_WORDS)
    assert said == ["2: fairness.夜班: for '夜班' write nights",
                    "3: fairness.ｎｉｇｈｔｓ: for 'ｎｉｇｈｔｓ' write nights",
                    "4: fairness.night: for 'night' write nights",
                    f"5: fairness.luck: unknown field (expected one of: {', '.join(METRICS)})"]


def test_an_unknown_key_is_said_in_chinese():
    from dutyctl import messages

    with messages.speaking("zh_CN"):
        said = _unknown("请假: [\"2026-12-24\"]\n", ("id", "name", "leave"), {"请假": "leave"})
    assert said == ["1: fairness.请假: “请假”请写成 leave"]


def test_the_fields_and_values_a_chinese_problem_lists_are_joined_in_chinese():
    from dutyctl import messages
    from dutyctl.schema import Fields
    from dutyctl.store import yamlio

    with messages.speaking("zh_CN"):
        said = _unknown("luck: 3\n", ("hours", "nights"), {})
        problems = []
        Fields(yamlio.loads("mode: fast\n", "rules.yaml"), "rules.yaml", problems).text(
            "mode", choices=("slow", "steady"))
    assert said == ["1: fairness.luck: 未知字段（可选：hours、nights）"]
    assert problems[0].message.endswith("slow、steady"), problems[0].message


@pytest.mark.parametrize("refused", [False, True])
def test_check_and_config_read_dutyctl_yaml_once(workspace, monkeypatch, refused):
    """`check` read dutyctl.yaml for its own look and again for Workspace.config, and a refused
    file was read and parsed again by each reader of `config`: one reading serves them all."""
    from dutyctl import yamlcache
    from dutyctl.check import check_workspace
    from dutyctl.workspace import Workspace

    if refused:
        break_config(workspace, "  name: 阳光花园小区物业客户服务中心", "  name: off")
    reads = []
    load_cached = yamlcache.load_cached

    def counted(path, *rest):
        if path == workspace.config_path:
            reads.append(path)
        return load_cached(path, *rest)

    monkeypatch.setattr(yamlcache, "load_cached", counted)
    checked = Workspace(workspace.root)
    said = " ".join(str(problem) for problem in check_workspace(checked))
    assert ("site.name: expected text" in said) is refused
    for _ in range(2):
        if refused:
            with pytest.raises(ProblemsFound, match="site.name: expected text"):
                checked.config
        else:
            assert checked.config.name == "阳光花园小区物业客户服务中心"
    assert reads == [workspace.config_path]
