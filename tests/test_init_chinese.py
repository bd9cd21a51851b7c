"""`dutyctl 初始化` writes a workspace that is Chinese from its first key to its last: the
templates of templates/zh_CN/ (keys and ids in Chinese, each id its name) read to the same
site and make the same roster as the English ones, and a whole desk day runs on them."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from fnmatch import fnmatch
from itertools import islice
from pathlib import Path

import pytest

from dutyctl.config import parse_config
from dutyctl.roster.generate import generate
from dutyctl.roster.rules import load_rules
from dutyctl.store import yamlio
from dutyctl.workspace import (TEMPLATES, Workspace, init_workspace, recurring_from_today,
                               template_text)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dutyctl"

#: the English words the Chinese files may hold: names of things that have no Chinese form (a
#: time zone, a country code, file, package and program names) — never an id or a key
ALLOWED_ASCII = {"Asia", "Shanghai", "CN", "zh_CN", "en", "IANA", "DUTYCTL_LANG", "dutyctl",
                 "yaml", "README", "zh", "md", "rosters", "rules", "YAML", "ISO", "holidays",
                 "wuye", "example", "cn", "invalid", "B2", "A"}


def _config(language: str | None):
    config, problems = parse_config(yamlio.loads(template_text("dutyctl.yaml", language),
                                                 "dutyctl.yaml"), "dutyctl.yaml")
    assert problems == [] and config is not None
    return config


def _by_name(config) -> dict:
    """The site with every id said by its name (the English template's `water-company` and
    the Chinese one's 自来水公司, whose name is its id, compare alike)."""
    department = {key: dept.name for key, dept in config.departments.items()}
    category = {kind: dict(catalogue.names) for kind, catalogue in config.categories.items()}
    level = {kind: {key: c.name for key, c in scheme.classes.items()}
             for kind, scheme in config.urgency.items()}
    on_time = {}
    for key, share in config.targets.on_time_by_class.items():
        kind, class_id, step = key.split(".")
        on_time[(kind, level[kind][class_id], step)] = share
    return {
        "site": (config.name, config.timezone_name, config.hotline, config.language,
                 config.business_start, config.business_end),
        "departments": [(dept.name, dept.outside, dept.phone)
                        for dept in config.departments.values()],
        "roles": list(config.roles.names.values()),
        "desk": (config.roles.name(config.clerk_role), config.roles.name(config.dispatch_role)),
        "categories": {kind: (list(names.values()), names[config.categories[kind].default])
                       for kind, names in category.items()},
        "urgency": {kind: (level[kind][scheme.default],
                           [(c.name, c.clock, dict(c.limits)) for c in scheme.classes.values()],
                           {level[kind][key]: words for key, words in scheme.keywords.items()})
                    for kind, scheme in config.urgency.items()},
        "emergency repairs": [level["repair"][key] for key in config.emergency_repair_classes()],
        "checklist": list(config.checklist.names.values()),
        "emergencies": [(kind.name, kind.steps, [department[key] for key in kind.notify])
                        for kind in config.emergencies.values()],
        "recurring": [(job.name, job.where, category["repair"][job.category],
                       level["repair"][job.urgency],
                       list(islice(job.occurrences(config.tz), 12)))
                      for job in config.recurring.values()],
        "targets": (config.targets.satisfied_share, config.targets.visit_rate,
                    config.targets.on_time, on_time),
        "rest": (config.grace_minutes, config.arrive_early_minutes,
                 config.clock_in_window_minutes, config.mask_phone, config.auto_commit,
                 config.email_domain, config.rooms, config.notify),
    }


def _ids_and_names(config) -> list[tuple[str, str]]:
    """(id, name) of every entry the site names: departments, roles, categories, urgency
    classes, checklist items, emergencies, recurring jobs."""
    pairs = [(key, dept.name) for key, dept in config.departments.items()]
    pairs += list(config.roles.names.items()) + list(config.checklist.names.items())
    for catalogue in config.categories.values():
        pairs += list(catalogue.names.items())
    for scheme in config.urgency.values():
        pairs += [(key, c.name) for key, c in scheme.classes.items()]
    pairs += [(key, kind.name) for key, kind in config.emergencies.items()]
    pairs += [(key, job.name) for key, job in config.recurring.items()]
    return pairs


def test_the_chinese_config_template_is_the_english_one_with_its_names_as_ids():
    english, chinese = _config(None), _config("zh_CN")
    assert _by_name(chinese) == _by_name(english)
    pairs = _ids_and_names(chinese)
    assert len(pairs) == len(_ids_and_names(english)) > 50
    assert [(key, name) for key, name in pairs if key != name] == []
    # the English template's ids are English, or the comparison proved nothing
    assert "water-company" in english.departments and "自来水公司" in chinese.departments


@pytest.mark.parametrize("source", [name for name in TEMPLATES if name.endswith(".yaml")])
def test_the_chinese_templates_hold_no_english_key_or_id(source):
    text = template_text(source, "zh_CN")
    assert text != template_text(source, None)
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", text))
    assert words <= ALLOWED_ASCII, sorted(words - ALLOWED_ASCII)
    keys = [key for line in text.splitlines() if not line.lstrip().startswith("#")
            for key in re.findall(r"([^\s{},\[\]:#\"-][^{},\[\]:#\"]*):\s", line)]
    assert keys and [key for key in keys if key.strip().isascii()] == [], keys


def _rules_by_name(workspace: Workspace):
    rules, roles = load_rules(workspace), workspace.config.roles
    shift = {s.id: s.name for s in rules.shifts}
    staff = {m.id: m.name for m in rules.staff}

    def preferences(said):
        return sorted((p.kind, shift.get(p.value, staff.get(p.value, p.value))) for p in said)

    shifts = [(s.name, s.start, s.end, s.days, s.rrule, [(roles.name(r), n) for r, n in s.need],
               s.on_call, s.night) for s in rules.shifts]
    members = [(m.name, [roles.name(r) for r in m.roles], sorted(m.leave), m.active_from,
                m.active_until, m.fte, m.limits, preferences(m.avoid), preferences(m.prefer))
               for m in rules.staff]
    return (shifts, members, rules.limits, dict(rules.fairness), rules.preference_weight,
            rules.coverage.hours, rules.coverage.roles, rules.calendar), shift, staff


def _roster_by_name(workspace: Workspace, shift: dict, staff: dict) -> list:
    made = generate(workspace, date(2026, 12, 1), date(2026, 12, 31))
    assert made.roster.unfilled == () and made.shortages == ()
    role = workspace.config.roles.name
    return [(a.day, shift[a.shift], role(a.role), staff[a.staff])
            for a in made.roster.assignments]


def test_the_chinese_rules_template_makes_the_english_ones_roster(tmp_path):
    init_workspace(tmp_path / "en")
    init_workspace(tmp_path / "zh", "zh_CN")
    english, chinese = Workspace(tmp_path / "en"), Workspace(tmp_path / "zh")
    english_rules, shift_en, staff_en = _rules_by_name(english)
    chinese_rules, shift_zh, staff_zh = _rules_by_name(chinese)
    assert chinese_rules == english_rules
    assert all(key == name for key, name in {**shift_zh, **staff_zh}.items())
    assert "zhangwei" in staff_en and "张伟" in staff_zh
    assert _roster_by_name(chinese, shift_zh, staff_zh) == \
        _roster_by_name(english, shift_en, staff_en)


def test_the_package_data_holds_every_template():
    """setuptools installs what `package-data` matches: every file of templates/ must be."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    patterns = re.findall(r'"([^"]+)"', re.search(r"^dutyctl = \[(.*)\]$", text, re.M)[1])
    files = [path.relative_to(PACKAGE).as_posix()
             for path in (PACKAGE / "templates").rglob("*") if path.is_file()]
    assert "templates/zh_CN/rosters/rules.yaml" in files
    assert [name for name in files if not any(fnmatch(name, p) and name.count("/") ==
                                              p.count("/") for p in patterns)] == []


# -- init picks the templates of the language it speaks ----------------------------------


def _written(root: Path) -> tuple[str, str]:
    return ((root / "dutyctl.yaml").read_text(encoding="utf-8"),
            (root / "rosters" / "rules.yaml").read_text(encoding="utf-8"))


def test_init_writes_the_files_in_the_language_it_speaks(tmp_path, monkeypatch, clock):
    from typer.testing import CliRunner

    from dutyctl.cli.program import app

    chinese = (recurring_from_today(template_text("dutyctl.yaml", "zh_CN")),
               template_text("rosters/rules.yaml", "zh_CN"))
    english = (recurring_from_today(template_text("dutyctl.yaml")),
               template_text("rosters/rules.yaml"))
    monkeypatch.chdir(tmp_path)  # outside any workspace: no site language
    for args, expected in ((["--lang", "zh_CN", "init", "a"], chinese),
                           (["--语言", "en", "初始化", "b"], english),
                           (["init", "c"], english)):  # DUTYCTL_LANG=en, as every test
        done = CliRunner().invoke(app, args)
        assert done.exit_code == 0, done.output
        assert _written(tmp_path / args[-1]) == expected, args
    monkeypatch.delenv("DUTYCTL_LANG")  # typed in Chinese on a machine that names no language
    monkeypatch.setenv("LC_ALL", "C")
    done = CliRunner().invoke(app, ["初始化", "d"])
    assert done.exit_code == 0, done.output
    assert _written(tmp_path / "d") == chinese
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # `init` on a Chinese machine: Chinese
    monkeypatch.delenv("LC_ALL")
    assert CliRunner().invoke(app, ["init", "e"]).exit_code == 0
    assert _written(tmp_path / "e") == chinese


@pytest.mark.parametrize("language", [None, "zh_CN"])
def test_a_new_sites_recurring_jobs_start_the_day_it_is_made(tmp_path, clock, language):
    """Not the template's 2026-11-01: a site made on 12-01 would file a month of overdue
    inspections at its first `repair schedule`. A job whose time today is still to come
    starts today, one whose time has passed tomorrow."""
    from tests.conftest import Cli

    clock.set("2026-12-01T09:30:00+08:00")
    init_workspace(tmp_path / "new", language)
    config = Workspace(tmp_path / "new").config
    starts = {job.at.strftime("%H:%M"): job.start for job in config.recurring.values()}
    assert starts == {"08:30": date(2026, 12, 2), "09:00": date(2026, 12, 2),
                      "10:00": date(2026, 12, 1)}
    clock.set("2026-12-01T12:00:00+08:00")
    done = Cli(tmp_path / "new")("repair", "schedule", "--dry-run")
    assert done.exit_code == 0, done.output
    assert "would file 0 recurring repairs up to" in done.output, done.output
    clock.set("2026-12-07T12:00:00+08:00")  # the first Monday since: the pump check is due
    due = Cli(tmp_path / "new")("repair", "schedule", "--dry-run")
    assert "would file 1 recurring repair up to" in due.output, due.output


# -- a desk day on the Chinese site, through the installed program ------------------------


#: ids of the English template a screen of the Chinese site must never show
ENGLISH_IDS = ("zhangwei", "chenjing", "wangqiang", "service", "technician", "consultation",
               "residents-committee", "power-outage", "water-electric", "emergency", "general",
               "facilities", "night-oncall", "printer")


def test_a_desk_day_on_the_chinese_site_through_the_installed_program(tmp_path,
                                                                       dutyctl_command):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DUTYCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "DUTYCTL_ROOT")}
    env["LC_ALL"] = "C"
    # "now" the evening of the Monday after the desk day, whatever day the test runs (a time
    # given with --时间 must not lie ahead of it): the installed program's clock pinned
    from tests.entrypoint import FIXED_CLOCK

    env["PYTHONPATH"] = os.pathsep.join(filter(None, (FIXED_CLOCK, env.get("PYTHONPATH"))))
    env["DUTYCTL_TEST_NOW"] = "2026-11-23T18:00:00+08:00"
    made = subprocess.run([*dutyctl_command, "初始化", "站"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8")
    assert made.returncode == 0, made.stderr
    root = tmp_path / "站"
    for key, value in (("user.email", "desk@example.com"), ("user.name", "Desk")):
        subprocess.run(["git", "-C", str(root), "config", key, value], check=True)
    # the recurring jobs start the day `初始化` ran: back to the template's November for a
    # desk day in November whatever day the test runs
    (root / "dutyctl.yaml").write_text(template_text("dutyctl.yaml", "zh_CN"), encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "commit", "-qam", "November"], check=True)
    said: list[str] = []

    def run(*args: str, user: str = "陈静") -> str:
        done = subprocess.run([*dutyctl_command, "--工作区", str(root), *args], cwd=tmp_path,
                              env={**env, "DUTYCTL_USER": user}, capture_output=True,
                              text=True, encoding="utf-8", stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        said.append(done.stdout + done.stderr)
        return done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""

    run("排班", "生成", "--月份", "2026-11", "--时间", "2026-10-20 10:00")
    run("排班", "生成", "--月份", "2026-12", "--时间", "2026-11-20 10:00")
    assert "rosters/2026-12.yaml" in said[-1] and "缺" not in said[-1]
    run("签到", "--时间", "2026-11-20 07:50")
    run("备勤", "--正常", "全部", "--问题", "打印机", "--备注", "卡纸", "--时间", "2026-11-20 07:55")
    run("来电", "--姓名", "张三", "--房号", "3-2-501", "--电话", "13812345678", "--类别",
        "物业费咨询", "--摘要", "物业费怎么交", "--时间", "2026-11-20 09:10")
    complaint = run("投诉", "登记", "--姓名", "王五", "--房号", "6-2-801", "--电话", "13600003333",
                    "--类别", "噪音", "--内容", "楼上深夜装修噪音扰民", "--时间", "2026-11-20 10:00")
    run("投诉", "转交", complaint, "--转给", "居委会", "--原因", "邻里纠纷", "--答复",
        "已转居委会协调", "--时间", "2026-11-20 10:20")
    assert "社区居委会" in said[-1]
    repair = run("报修", "登记", "--姓名", "李四", "--房号", "5-1-1202", "--电话", "13900001111",
                 "--类别", "水电", "--内容", "厨房水管爆管，跑水", "--时间", "2026-11-20 11:00")
    assert "急修" in said[-1]  # the keyword's class, by its id that is its name
    run("报修", "派工", repair, "--派给", "王强", "--时间", "2026-11-20 11:05")
    run("报修", "完工", repair, "--结果", "更换三通", "--时间", "2026-11-20 12:30")
    run("报修", "回访", repair, "--满意度", "5", "--时间", "2026-11-20 15:00")
    run("突发", "开启", "--类型", "停电", "--地点", "3号楼", "--内容", "3号楼整栋停电",
        "--时间", "2026-11-20 16:00")
    assert "联系工程部查明原因" in said[-1] and "供电公司" in said[-1]
    run("报修", "登记", "--姓名", "李四", "--房号", "5-1-1202", "--电话", "13900001111",
        "--类别", "电梯", "--内容", "电梯困人", "--时间", "2026-11-20 17:00")
    run("报修", "定期", "--时间", "2026-11-23 10:30")
    assert "周期性报修 6 条" in said[-1]
    run("交接班", "--接班人", "张伟", "--备注", "钥匙在抽屉", "--时间", "2026-11-20 19:40")
    run("接班", "--时间", "2026-11-20 19:50", user="张伟")
    run("日报", "--日期", "2026-11-20")
    assert "1 项急修尚未到场" in said[-1]  # 急修 is the class whose id is its name
    run("检查")
    for text in said:
        assert not [word for word in ENGLISH_IDS if re.search(rf"\b{word}\b", text)], text
    log = subprocess.run(["git", "-C", str(root), "log", "--format=%an <%ae>|%s"],
                         capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert "陈静 <陈静@dutyctl.invalid>|投诉 " in log  # the staff id as git keeps it
    by_author = subprocess.run(["git", "-C", str(root), "log", "--author=张伟", "--format=%s"],
                               capture_output=True, text=True, encoding="utf-8").stdout
    assert by_author.startswith("交接班 ") and "接班确认" in by_author


# -- a name that is its id is written once ---------------------------------------------------


def _said(text: str) -> tuple:
    config, problems = parse_config(yamlio.loads(text, "dutyctl.yaml"), "dutyctl.yaml")
    return config, [f"{p.path}:{p.line}: {p.message}" for p in problems]


def _line(text: str, fragment: str, nth: int = 0) -> int:
    return [n for n, line in enumerate(text.splitlines(), 1) if fragment in line][nth]


def test_a_catalogue_may_be_a_list_of_names_checked_on_their_lines():
    base = template_text("dutyctl.yaml", "zh_CN")
    text = base.replace("岗位: [客服专员, 客服主管, 维修工, 保安, 保洁]",
                        "岗位:\n  - 客服专员\n  - 维修工\n  - 客服专员\n  - [保安]\n  - 保洁")
    config, said = _said(text)
    assert said == [
        f"dutyctl.yaml:{_line(text, '  - 客服专员', 1)}: 岗位 #3: '客服专员' is already in the "
        "list: keep one",
        f"dutyctl.yaml:{_line(text, '  - [保安]')}: 岗位 #4: expected the display name of this "
        "role (YAML read a list here)"], said
    assert list(config.roles.names) == ["客服专员", "维修工", "保洁"]
    # the desk's roles are the list's: a role it lacks is refused, listing them
    text = base.replace("接待岗位: 客服专员", "接待岗位: 门卫")
    _, said = _said(text)
    assert said == [f"dutyctl.yaml:{_line(text, '门卫')}: 值班台.接待岗位: '门卫' is not one of: "
                    "客服专员, 客服主管, 维修工, 保安, 保洁"], said
    # an English file may list its names too
    english = template_text("dutyctl.yaml").replace(
        "checklist:\n  phone: 值班电话畅通\n", "checklist: [值班电话畅通]\nunused:\n  phone: 值班电话畅通\n")
    english = re.sub(r"unused:\n(  \w+: .*\n)+", "", english)
    config, said = _said(english)
    assert said == [] and dict(config.checklist.names) == {"值班电话畅通": "值班电话畅通"}


def test_an_entry_without_a_name_is_named_by_its_id():
    base = template_text("dutyctl.yaml", "zh_CN")
    config, said = _said(base)
    assert said == []
    assert config.departments["工程部"].name == "工程部"
    assert config.emergencies["停电"].name == "停电"
    assert config.urgency["repair"].classes["急修"].name == "急修"
    assert config.recurring["二次供水水泵周检"].name == "二次供水水泵周检"
    text = base.replace("  工程部: {}", "  工程部: {名称: 3}")
    _, said = _said(text)
    assert said == [f"dutyctl.yaml:{_line(text, '工程部: {名称: 3}')}: 部门.工程部.名称: expected "
                    "text (YAML read it as the number 3: put it in quotes)"], said


def test_the_emergency_repair_class_is_found_by_its_id_or_its_name():
    """急修: `emergency` in the English template, 急修 (its name as id) in the Chinese one; the
    daily summary's emergency repairs nobody reached and notify's default follow it."""
    assert _config(None).emergency_repair_classes() == ("emergency",)
    assert _config("zh_CN").emergency_repair_classes() == ("急修",)
    text = template_text("dutyctl.yaml", "zh_CN") + "通知:\n  提前提醒: 30分钟\n"
    config, said = _said(text)
    assert said == [] and config.notify.emergency_repair == ("急修",)
    config, _ = _said(text.replace("急修: {计时", "加急: {计时").replace("急修: [爆管", "加急: [爆管"))
    assert config.emergency_repair_classes() == () and config.notify.emergency_repair == ()


def test_without_a_desk_section_a_chinese_site_answers_with_its_clerks_and_technicians():
    """`值班台:` left out: the desk's roles are service and technician by id, or, on a site
    whose ids are its names, 客服专员 and 维修工 (a role that does not exist would leave
    every command without its clerk)."""
    text = re.sub(r"(?m)^值班台: .*\n", "", template_text("dutyctl.yaml", "zh_CN"))
    config, said = _said(text)
    assert said == [] and (config.clerk_role, config.dispatch_role) == ("客服专员", "维修工")
    config, said = _said(text.replace("岗位: [客服专员, 客服主管, 维修工, 保安, 保洁]",
                                      "岗位: {kefu: 客服专员, weixiu: 维修工}"))
    assert said == [] and (config.clerk_role, config.dispatch_role) == ("kefu", "weixiu")
    english = re.sub(r"(?m)^desk: .*\n", "", template_text("dutyctl.yaml"))
    config, said = _said(english)
    assert said == [] and (config.clerk_role, config.dispatch_role) == ("service", "technician")
    config, said = _said(text.replace("岗位: [客服专员, 客服主管, 维修工, 保安, 保洁]", "岗位: [保安]"))
    assert (config.clerk_role, config.dispatch_role) == ("service", "technician")


def test_a_shift_ending_while_others_stay_on_is_no_handover_to_nobody(tmp_path, clock):
    """前台 ends 17:30 while 白班 goes on to 20:00: `谁值班` says 张伟（前台）下班 and the next
    real handover (20:00, 白班 → 夜班), not `17:30：张伟（前台） → 无人`."""
    from tests.conftest import Cli

    clock.set("2026-11-20T10:00:00+08:00")
    init_workspace(tmp_path / "new", "zh_CN")
    run = Cli(tmp_path / "new")
    assert run("排班", "生成", "--月份", "2026-12").exit_code == 0
    who = run("谁值班", "--时间", "2026-12-02 10:00", env={"DUTYCTL_LANG": "zh_CN"})
    assert who.exit_code == 0, who.stderr
    assert re.search(r"^2026-12-02 17:30：\S+（前台）下班$", who.stdout, re.M), who.stdout
    assert re.search(r"^下次交接班 2026-12-02 20:00：\S+（白班）.* → \S+（夜班）", who.stdout,
                     re.M), who.stdout
    assert "无人" not in who.stdout, who.stdout
    later = run("谁值班", "--时间", "2026-12-02 18:00", env={"DUTYCTL_LANG": "zh_CN"}).stdout
    assert "下班" not in later and "下次交接班 2026-12-02 20:00：" in later, later
    morning = run("谁值班", "--时间", "2026-12-02 08:15", env={"DUTYCTL_LANG": "zh_CN"}).stdout
    # 前台 comes on at 08:30 while 白班 is on: no handover from nobody; each moment said
    assert re.search(r"^2026-12-02 08:30：\S+（前台）上班$", morning, re.M), morning
    assert re.search(r"^2026-12-02 17:30：\S+（前台）下班$", morning, re.M), morning
    assert "下次交接班 2026-12-02 20:00：" in morning and "无人" not in morning, morning


def test_a_call_files_its_ticket_on_a_site_whose_categories_are_chinese(tmp_path, clock):
    """`来电 --类别 报修 --转工单` where the call category's id is 报修 (not `repair`): the
    repair is filed and the call keeps its own category; a category that files nothing is
    refused naming the ones that do, in the site's words."""
    from tests.conftest import Cli

    clock.set("2026-11-30T10:30:00+08:00")
    init_workspace(tmp_path / "new", "zh_CN")
    run = Cli(tmp_path / "new")
    person = ("--姓名", "李四", "--房号", "5-1-1202", "--电话", "13900001111", "--操作人", "张伟")
    filed = run("来电", *person, "--类别", "报修", "--摘要", "水管漏了", "--转工单",
                "--时间", "2026-11-30 10:00")
    assert filed.exit_code == 0, filed.stderr
    call_id, ticket_id = filed.stdout.split()
    store = Workspace(tmp_path / "new").store
    assert store.get(call_id).get("category") == "报修"
    assert store.get(ticket_id).kind == "repair"
    complaint = run("来电", *person, "--类别", "投诉", "--摘要", "楼上噪音", "--转工单",
                    "--时间", "2026-11-30 10:05")
    assert store.get(complaint.stdout.split()[1]).kind == "complaint"
    refused = run("来电", *person, "--类别", "咨询", "--摘要", "问路", "--转工单",
                  "--时间", "2026-11-30 10:10", env={"DUTYCTL_LANG": "zh_CN"})
    assert refused.exit_code == 2
    assert refused.stderr.strip().endswith("--转工单 要求来电类别为 投诉 或 报修，而不是“咨询”")
    hinted = run("来电", *person, "--类别", "报修", "--摘要", "又漏了", "--时间", "2026-11-30 10:15",
                 env={"DUTYCTL_LANG": "zh_CN"})
    assert hinted.exit_code == 0 and "这通来电还没有登记报修：dutyctl 报修 登记 --来电 " in hinted.stderr, hinted.stderr
