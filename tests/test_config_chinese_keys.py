"""dutyctl.yaml written with Chinese keys (站点, 部门, 时限 …), as the Chinese manual
(README.zh-CN.md, "站点配置") shows it: read as the English keys are, told as typed."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from dutyctl import configkeys, messages
from dutyctl.check import check_config
from dutyctl.config import load_config, parse_config, recurring_rule_problems
from dutyctl.frozen import replace
from dutyctl.store import yamlio
from dutyctl.workspace import Workspace, template_text
from tests.conftest import run_dutyctl
from tests.helpers_foundation import call_flags

ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT / "README.zh-CN.md"

#: the manual's second block (rooms, per-step target, notify) with the English keys
ENGLISH_EXTRAS = """\
rooms:
  buildings:
    "3": {units: 2, floors: 6, rooms_per_floor: 2}
    "A": {floors: 3, rooms_per_floor: 4}
  places: [3号楼电梯, 地下车库B2, 地下泵房, 商铺1-05]
targets:
  satisfied_share: 80%
  visit_rate: 100%
  on_time:
    default: 90%
    repair.急修.arrive: 95%
notify:
  channels:
    客服群: {type: wechat-work, webhook_env: DUTYCTL_WECHAT_WEBHOOK}
    主管群:
      type: dingtalk
      webhook_file: /etc/dutyctl/dingtalk-webhook
      secret_file: /etc/dutyctl/dingtalk-secret
    短信: {type: command, command: [/usr/local/bin/send-sms, "13800000000"]}
  rules:
    emergency-opened: [客服群, 主管群, 短信]
    deadline-missed: [主管群]
    absence: [主管群]
  warn_before: 30m
  handover_within: 30m
  emergency_repair: [急修]
"""


def _section() -> str:
    section = MANUAL.read_text(encoding="utf-8").split("### 站点配置", 1)[1]
    return re.split(r"\n##+ ", section, maxsplit=1)[0]


def _manual_blocks() -> list[str]:
    """The YAML blocks of the manual's site configuration section."""
    return re.findall(r"```yaml\n(.*?)```", _section(), re.S)


def _parsed(text: str, path: str = "dutyctl.yaml"):
    config, problems = parse_config(yamlio.loads(text, path), path)
    return config, [f"{p.path}:{p.line}: {p.message}" for p in problems]


def _without_lines(config):
    """Only the lines differ between two spellings of one file (a job's `rule` line, a
    channel's line)."""
    jobs = {key: replace(job, rule_line=0) for key, job in config.recurring.items()}
    notify = config.notify and dataclasses.replace(config.notify, channels={
        key: dataclasses.replace(channel, line=0)
        for key, channel in config.notify.channels.items()})
    return replace(config, recurring=jobs, notify=notify)


def _line_of(text: str, fragment: str) -> int:
    (number,) = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return number


def test_the_manuals_chinese_config_is_what_init_writes(workspace):
    """The manual's file is the Chinese template (`dutyctl 初始化`), its whole-line comments
    left out; test_init_chinese shows the template is the English one with its names as ids."""
    whole, _ = _manual_blocks()
    written, said = _parsed(template_text("dutyctl.yaml", "zh_CN"))
    assert said == []
    workspace.config_path.write_text(whole, encoding="utf-8")
    for _ in range(2):  # parsed, then from the parsed copy kept in .dutyctl
        chinese = load_config(workspace.config_path, "dutyctl.yaml", workspace.cache_dir)
        assert _without_lines(chinese) == _without_lines(written)
    assert chinese.recurring["生活水箱季度清洗消毒"].rule_line == _line_of(whole, "每季度15日")
    assert workspace.config_role_names() == written.roles  # `check` on an unusable file
    assert list(written.roles.names) == ["客服专员", "客服主管", "维修工", "保安", "保洁"]


def test_the_manuals_optional_sections_read_as_their_english_twin():
    whole, extras = _manual_blocks()
    english_text = whole.split("\n目标:")[0]  # its ids: 急修 is the class of 报修.急修.到场
    english, said = _parsed(english_text + "\n" + ENGLISH_EXTRAS)
    assert said == []
    chinese_text = whole.split("\n目标:")[0] + "\n" + extras
    chinese, said = _parsed(chinese_text)
    assert said == []
    assert chinese.rooms.resolve("3号楼2单元602") == "3-2-602"
    assert chinese.targets.on_time_by_class == {"repair.急修.arrive": 0.95}
    assert chinese.notify.emergency_repair == ("急修",)
    assert chinese.notify.channels["主管群"].secret_file == "/etc/dutyctl/dingtalk-secret"
    assert _without_lines(chinese) == _without_lines(english)


def test_a_problem_is_told_at_the_key_as_typed_on_its_line():
    whole, _ = _manual_blocks()
    text = (whole.replace("到场: 30分钟", "到场: 很快")
            .replace("迟到宽限分钟: 5", "迟到宽限分钟: 5000")
            .replace("隐藏电话: 是", "隐藏电话: 也许")
            .replace('规则: 每周一', '规则: "FREQ=WEEKLY;BYDAY=XX"'))
    config, said = _parsed(text)
    arrive = _line_of(text, "到场: 很快")
    assert any(line.startswith(f"dutyctl.yaml:{arrive}: 时限.报修.等级.急修.到场: ")
               for line in said), said
    assert any(line.startswith(f"dutyctl.yaml:{_line_of(text, '5000')}: 考勤.迟到宽限分钟: ")
               for line in said), said
    assert any(line.startswith(f"dutyctl.yaml:{_line_of(text, '也许')}: 隐私.隐藏电话: ")
               for line in said), said
    config, _ = _parsed(text.replace("到场: 很快", "到场: 30分钟").replace("5000", "5")
                        .replace("也许", "是"))
    (rule,) = recurring_rule_problems(config)
    assert (rule.line, rule.message.split(":")[0]) == (_line_of(text, "BYDAY=XX"),
                                                       "定期维保.二次供水水泵周检.规则")


def test_the_manuals_example_problem_is_what_is_said():
    whole, _ = _manual_blocks()
    example = re.search(r"例如 `(dutyctl\.yaml:\d+: [^……`]+)", _section()).group(1)
    with messages.speaking("zh_CN"):
        _, said = _parsed(whole.replace("到场: 30分钟", "到场: 很快"))
    assert any(line.startswith(example) for line in said), (example, said)


def test_a_key_written_in_both_languages_is_refused_on_its_line():
    whole, _ = _manual_blocks()
    text = re.sub(r"(  迟到宽限分钟: 5[^\n]*\n)", r"\1  grace_minutes: 6\n", whole).replace(
        '外部: 是, 电话: "96390"}', '外部: 是, 电话: "96390", 外部单位: 否}')
    _, said = _parsed(text)
    assert f"dutyctl.yaml:{_line_of(text, '迟到宽限分钟')}: 考勤.迟到宽限分钟: '迟到宽限分钟' " \
           "is grace_minutes again, already written: keep one of the two" in said, said
    assert f"dutyctl.yaml:{_line_of(text, '外部单位')}: 部门.自来水公司.外部单位: '外部单位' is " \
           "外部 again, already written: keep one of the two" in said, said
    assert len(said) == 2, said
    with messages.speaking("zh_CN"):
        _, said = _parsed(text)
    assert f"dutyctl.yaml:{_line_of(text, '迟到宽限分钟')}: 考勤.迟到宽限分钟: “迟到宽限分钟”" \
           "与已写的 grace_minutes 是同一个键：请删去其中一个" in said, said


def test_renaming_keeps_lines_and_order_and_leaves_ids_alone():
    data = yamlio.loads("站点: {名称: 阳光花园, 时区: Asia/Shanghai}\n部门:\n  名称:\n"
                        "    名称: 名称部\n    外部: 否\n", "dutyctl.yaml")
    once = configkeys.canonical(data)
    assert list(once) == ["site", "departments"] and {key: once.said[key] for key in once} == {
        "site": "站点", "departments": "部门"}
    assert list(once["departments"]) == ["名称"]  # a department whose id is 名称 keeps it
    assert list(once["departments"]["名称"]) == ["name", "outside"]
    assert once["departments"]["名称"].lines["outside"] == 5
    site = once["site"]
    assert configkeys.canonical(once) == once and {key: site.said[key] for key in site} == {
        "name": "名称", "timezone": "时区"}
    english = yamlio.loads((ROOT / "dutyctl.yaml").read_text(encoding="utf-8"), "dutyctl.yaml")
    assert configkeys.canonical(english) == yamlio.loads(
        (ROOT / "dutyctl.yaml").read_text(encoding="utf-8"), "dutyctl.yaml")
    assert not english.said


def test_every_word_of_the_manuals_table_is_read_as_its_key():
    rows = re.findall(r"^\| ([^|]+) \| `(\w+)` \| ([^|]+) \|([^|]*)\|$", _section(), re.M)
    assert len(rows) >= 19
    under = {"site": configkeys.SITE, "departments": configkeys.DEPARTMENT,
             "desk": configkeys.DESK, "categories": configkeys.CATEGORY,
             "business_hours": configkeys.HOURS, "urgency": configkeys.URGENCY,
             "classes": configkeys.URGENCY_CLASS, "targets": configkeys.TARGETS,
             "attendance": configkeys.ATTENDANCE, "privacy": configkeys.PRIVACY,
             "git": configkeys.GIT, "emergencies": configkeys.EMERGENCY,
             "recurring": configkeys.RECURRING, "rooms": configkeys.ROOMS,
             "buildings": configkeys.BUILDING, "notify": configkeys.NOTIFY,
             "channels": configkeys.CHANNEL}
    parents = {"classes": configkeys.URGENCY, "buildings": configkeys.ROOMS,
               "channels": configkeys.NOTIFY}
    for word, key, words, keys in rows:
        word = word.split("（")[0].strip()
        assert parents.get(key, configkeys.TOP)[word] == key, word
        if not keys.strip():
            continue
        typed = re.findall(r"[\u4e00-\u9fff]+", words.split("（")[0].split("：")[-1])
        meant = re.findall(r"`(\w+)`", keys.split("（")[0])
        assert [under[key][one] for one in typed] == meant, (word, typed)


def test_the_site_language_is_found_under_chinese_keys():
    assert configkeys.language_in_config("站点:\n  名称: 阳光花园\n  语言: en\n部门: {}\n") == "en"
    assert configkeys.language_in_config("site:\n  界面语言: zh_CN\n") == "zh_CN"
    assert configkeys.language_in_config("部门:\n  语言: en\n") is None


def _chinese_rules(workspace) -> None:
    """The rules `初始化` writes beside the manual's file: its roles are 客服专员, 维修工."""
    (workspace.rosters_dir / "rules.yaml").write_text(
        template_text("rosters/rules.yaml", "zh_CN"), encoding="utf-8")


def test_a_desk_command_on_a_chinese_keyed_config(workspace, cli, clock):
    whole, _ = _manual_blocks()
    workspace.config_path.write_text(whole, encoding="utf-8")
    _chinese_rules(workspace)
    result = cli(*call_flags("张三", "3-2-501", "13812345678", "物业费怎么交"), user="张伟")
    assert result.exit_code == 0, result.stderr
    record = Workspace(workspace.root).store.get(result.stdout.strip())
    assert record.fields["category"] == "咨询"  # 类别.来电.默认: 咨询
    # a read-only command leaves out a broken section, named as the file writes it
    workspace.config_path.write_text(whole.replace("迟到宽限分钟: 5", "迟到宽限分钟: 很多"),
                                     encoding="utf-8")
    shown = cli("who", user="张伟")  # no roster yet: nobody on duty (exit 1), not refused (2)
    assert shown.exit_code == 1 and "nobody is on duty" in shown.stderr, shown.stderr
    grace = _line_of(whole, "迟到宽限分钟: 5")
    assert shown.stderr.startswith("dutyctl.yaml: 考勤 not used, their defaults apply: "
                                   f"dutyctl.yaml:{grace}: 考勤.迟到宽限分钟: "), shown.stderr
    refused = cli(*call_flags("张三", "3-2-501", "13812345678", "x"), user="张伟")
    assert refused.exit_code == 2 and "考勤.迟到宽限分钟: " in refused.stderr, refused.stderr


def test_a_chinese_keyed_config_through_the_installed_program(workspace, dutyctl_command):
    whole, _ = _manual_blocks()
    workspace.config_path.write_text(whole.replace("语言: zh_CN", "语言: en"), encoding="utf-8")
    _chinese_rules(workspace)
    logged = run_dutyctl(dutyctl_command, "来电", "--姓名", "张三", "--房号", "3-2-501",
                         "--电话", "13812345678", "--摘要", "电梯困人", "--类别", "紧急情况",
                         "--时间", "2026-10-12 09:30", root=workspace.root, user="张伟")
    assert logged.returncode == 0, logged.stderr
    problems = []
    assert check_config(Workspace(workspace.root), problems) is not None and problems == []
    broken = whole.replace("到场: 30分钟", "到场: 很快")
    workspace.config_path.write_text(broken, encoding="utf-8")
    refused = run_dutyctl(dutyctl_command, "检查", root=workspace.root, user="张伟")
    assert refused.returncode != 0
    assert f"dutyctl.yaml:{_line_of(broken, '很快')}: 时限.报修.等级.急修.到场: " in \
        refused.stdout + refused.stderr, refused


def test_an_unknown_chinese_key_is_shown_the_chinese_keys():
    text = "站点: {地址: 阳光花园, 时区: Asia/Shanghai}\n部门: {}\n岗位: {}\n类别: {}\n"
    with messages.speaking("zh_CN"):
        _, said = _parsed(text)
        assert "dutyctl.yaml:1: 站点.地址: 未知字段（可选：名称、时区、热线、语言）" in said, said
        _, said = _parsed(text.replace("地址", "名城"))  # 名称 as the input method offers it
    assert "dutyctl.yaml:1: 站点.名城: “名城”请写成 名称" in said, said
    text = text.replace("地址", "名城")
    _, said = _parsed(text.replace("名城", "nmae"))  # typed in English: told in English
    assert "dutyctl.yaml:1: 站点.nmae: unknown field (expected one of: name, timezone, hotline, " \
           "language)" in said, said


def test_a_missing_key_of_a_section_written_in_chinese_is_named_in_chinese():
    from dutyctl import messages
    from dutyctl.config import parse_config

    text = (ROOT / "dutyctl.yaml").read_text(encoding="utf-8").replace("site:", "old_site:", 1)
    with messages.speaking("zh_CN"):
        _, problems = parse_config(yamlio.loads("站点: {时区: Asia/Shanghai}\n" + text,
                                                "dutyctl.yaml"), "dutyctl.yaml")
    assert "dutyctl.yaml:1: 站点.名称: 必须填写" in [str(problem) for problem in problems]


def test_a_slip_in_a_chinese_key_names_the_key_meant_as_the_manual_writes_it():
    whole, _ = _manual_blocks()
    text = (whole.replace("目标:\n", "目票:\n", 1).replace("迟到宽限分钟: 5", "迟到宽限: 5"))
    with messages.speaking("zh_CN"):
        _, said = _parsed(text)
    assert any(line.endswith(": 目票: “目票”请写成 目标") for line in said), said
    assert f"dutyctl.yaml:{_line_of(text, '迟到宽限: 5')}: 考勤.迟到宽限: “迟到宽限”请写成 " \
           "迟到宽限分钟" in said, said


def test_a_missing_key_beside_a_chinese_slip_is_named_in_chinese():
    """站点: {名城: …} with the other keys in English: the slip is told the key meant, and the
    key it lacks is named as the manual writes it (review G)."""
    from dutyctl import messages
    from dutyctl.config import parse_config

    text = (ROOT / "dutyctl.yaml").read_text(encoding="utf-8").replace("site:", "站点:", 1)
    text = text.replace("name: 阳光花园小区物业", "名城: 阳光花园小区物业", 1)
    with messages.speaking("zh_CN"):
        _, problems = parse_config(yamlio.loads(text, "dutyctl.yaml"), "dutyctl.yaml")
    said = [problem.message for problem in problems]
    assert "站点.名称: 必须填写" in said, said
    assert not any(".name" in line for line in said), said


def test_the_manuals_recurring_job_example_is_the_templates_job_in_chinese_keys():
    """The example of "周期性维保（`报修 定期`）" is written in the keys and ids a Chinese site's
    file has (定期维保, 地点, 规则 …), and reads as the template's own pump check."""
    section = MANUAL.read_text(encoding="utf-8").split("### 周期性维保（", 1)[1]
    (block,) = re.findall(r"```yaml\n(.*?)```", re.split(r"\n##+ ", section, maxsplit=1)[0],
                          re.S)
    assert re.search(r"^定期维保:", block, re.M) and not re.search(r"^\s*[a-z_]+:", block, re.M)
    template = template_text("dutyctl.yaml", "zh_CN")
    text = template.split("\n定期维保:", 1)[0] + "\n" + block
    config, said = _parsed(text)
    assert said == []
    (job,) = config.recurring.values()
    (twin,) = [other for other in _parsed(template)[0].recurring.values()
               if other.name == job.name]
    assert replace(job, rule_line=0) == replace(twin, rule_line=0)


def test_the_manuals_notifications_are_told_in_chinese_and_its_example_reads():
    """The Chinese manual sent its readers to the English one ("完整说明见英文手册") for the
    channels, the events, the outbox and its commands: told in Chinese now, and its example
    `通知:` section is one a Chinese-keyed dutyctl.yaml reads, every event routed."""
    from datetime import timedelta

    from dutyctl.notify.settings import EVENTS

    section = MANUAL.read_text(encoding="utf-8").split("### 通知：", 1)[1]
    section = re.split(r"\n### ", section, maxsplit=1)[0]
    assert "英文手册" not in section and "README.md" not in section
    for said in ("待发箱", "通知 发送", "通知 待发", "通知 丢弃", "通知 测试", "通知 允许", "至少一次",
                 "DUTYCTL_NOTIFY_EVENT", "errcode", "加签", "补登"):
        assert said in section, said
    (example,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    config, said = _parsed(template_text("dutyctl.yaml", "zh_CN") + "\n" + example)
    assert said == []
    assert set(config.notify.rules) == set(EVENTS)
    assert config.notify.warn_before == config.notify.handover_within == timedelta(minutes=30)
    assert config.notify.emergency_repair == ("急修",)
    assert config.notify.channels["短信"].command == ("/usr/local/bin/send-sms", "13800000000")
