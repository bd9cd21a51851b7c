"""Staff and shifts written in Chinese in rosters/rules.yaml: `id: 张伟`, `id: 夜间备班`, or no id
line at all (the name is the id). What an id may be (dutyctl.ruleids), hostile ids refused
on their line, the roster file read alike by its fast reader and by YAML, and a supervisor's
whole month with such rules: generate, check, show, swap, override, who, clock in, export."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from dutyctl.ruleids import MAX_ID, is_id, plain, why_not_id
from dutyctl.roster.rosterfile import (Assignment, Gap, Override, Roster, dump_roster,
                                       parse_roster, read_roster, split_roster)
from dutyctl.store import yamlio
from dutyctl.timeutil import zone
from tests.conftest import run_dutyctl
from tests.helpers_roster import DAY, ONE, edit_rules, parse, problems_of, rules_text

ZH = {"DUTYCTL_LANG": "zh_CN"}
SHANGHAI = zone("Asia/Shanghai")
SHIFTS = {"day": "白班", "night": "夜班", "night-oncall": "夜间备班", "office": "前台"}
STAFF = {"zhangwei": "张伟", "lina": "李娜", "wangqiang": "王强", "liuyang": "刘洋",
         "chenjing": "陈静", "zhaolei": "赵磊", "sunli": "孙丽", "gaofeng": "高峰"}


# -- the rule ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["张伟", "白班", "夜间备班", "买买提·艾力", "zhangwei",
                                   "night-oncall", "007", "A班", "张伟2", "ソウタ", "สมชาย"])
def test_letters_of_any_script_and_digits_make_an_id(value):
    assert why_not_id(value) is None and is_id(value)


@pytest.mark.parametrize("value, why", [
    ("张 伟", "it holds a space"), ("张\u3000伟", "it holds a space"),
    ("张伟:", "it holds the character ':'"), ("'张伟'", "it holds the character '''"),
    ('"白班"', "it holds the character '\"'"), ("白班#1", "it holds the character '#'"),
    ("张伟\x1b[2J", "it holds the control character U+001B"),
    ("张伟\t", "it holds the control character U+0009"),
    ("张\u202e伟", "it holds the invisible character U+202E"),
    ("张\u2066伟", "it holds the invisible character U+2066"),
    ("张\u200b伟", "it holds the invisible character U+200B"),
    ("张\u200d伟", "it holds the invisible character U+200D"),
    ("张伟\ufeff", "it holds the invisible character U+FEFF"),
    ("张伟１", "it holds full-width or look-alike characters: write 张伟1"),
    ("ｚｈａｎｇｗｅｉ", "write zhangwei"),
    ("-白班", "it must start with a letter or a digit"), (".白班", "start with a letter"),
    ("张" * (MAX_ID + 1), f"it is longer than {MAX_ID} characters"), ("", "it is empty"),
    ("😀", "it holds the character"),
])
def test_what_cannot_be_an_id_says_why(value, why):
    assert why in (why_not_id(value) or ""), why_not_id(value)
    assert not is_id(value)


def test_ids_are_used_exactly_as_written():
    rules = parse(rules_text(DAY.replace("id: day", "id: 白班"), "- {id: 张伟, roles: [service]}\n"))
    assert [shift.id for shift in rules.shifts] == ["白班"] and rules.shift("白班").name == "白班"
    assert rules.member("张伟").name == "张伟" and rules.person("张伟") == "张伟"


@pytest.mark.parametrize("text", ["张伟", "夜间备班", "A班", "买买提·艾力", "zhangwei",
                                  "night-oncall", "张伟2", "สมชาย", "1号岗", "2班", "٣张"])
def test_an_id_written_plain_is_read_back_by_yaml_as_itself(text):
    assert plain(text)
    assert yamlio.loads(f"a: {{x: {text}}}\n", "t")["a"]["x"] == text


@pytest.mark.parametrize("text", ["007", "yes", "Off", "null", "1.5", "2026-12-01", "-a", "张 伟",
                                  "张伟:"])
def test_a_text_yaml_would_read_otherwise_is_not_plain(text):
    assert not plain(text)


# -- rules without ids and hostile ids, on their line -------------------------------------------

def test_entries_without_an_id_go_by_their_name_and_a_second_alike_is_refused():
    shifts = DAY.replace("- id: day\n  name: 白班", "- name: 白班")
    rules = parse(rules_text(shifts, "- {name: 张伟, roles: [service]}\n- {name: 李娜, "
                                     "roles: [service], avoid: [白班]}\n"))
    assert [s.id for s in rules.shifts] == ["白班"]
    assert [m.id for m in rules.staff] == ["张伟", "李娜"]
    assert rules.member("李娜").avoid[0].value == "白班"
    doubled = problems_of(rules_text(shifts, "- {id: 张伟, roles: [service]}\n"
                                             "- {name: 张伟, roles: [service]}\n"))
    assert len(doubled) == 1 and doubled[0].startswith("rules.yaml:10: staff[1].name: '张伟' is "
                                                       "already the id of the staff member on "
                                                       "line 9"), doubled
    assert "id: 张伟2" in doubled[0]
    spaced = problems_of(rules_text(shifts, "- {name: 张 伟, roles: [service]}\n" + ONE))
    assert spaced == ["rules.yaml:9: staff[0].name: the name '张 伟' cannot stand for the staff "
                      "member's id: it holds a space. Write the name as 张伟; only if it must "
                      "keep the space, add an id line, such as id: 张伟"], spaced
    shift_twice = problems_of(rules_text(shifts + "- {name: 白班, start: \"20:00\", end: "
                                                  "\"08:00\", need: {service: 1}}\n", ONE))
    assert len(shift_twice) == 1 and "shifts[1].name: '白班' is already the id of the shift on " \
        "line 3" in shift_twice[0] and "id: 白班2" in shift_twice[0], shift_twice


@pytest.mark.parametrize("name, english, chinese", [
    ("刘 洋", "it holds a space. Write the name as 刘洋; only if it must keep the space, add an "
              "id line, such as id: 刘洋",
     "但它含有空格。请把姓名写成 刘洋（去掉空格）；确需保留空格时，再加一行 编号，例如 编号: 刘洋"),
    ("高峰１", "it holds full-width or look-alike characters: write 高峰1",
     "但它含有全角或形近字符，请改写为 高峰1"),
])
def test_a_name_that_cannot_be_an_id_gets_one_clear_advice(name, english, chinese,
                                                            monkeypatch):
    """A name with a space is a slip first (write it without); a full-width one is written
    plainly, and nothing else is asked of it (no id line besides)."""
    from dutyctl import messages

    shifts = DAY.replace("- id: day\n  name: 白班", "- name: 白班")
    text = rules_text(shifts, f"- {{name: {name}, roles: [service]}}\n" + ONE)
    said = problems_of(text)
    assert said == [f"rules.yaml:9: staff[0].name: the name '{name}' cannot stand for the staff "
                    f"member's id: {english}"], said
    assert ("add an id line" in said[0]) == (" " in name)  # 高峰１: no id line besides
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    messages.start_invocation(None)
    try:
        shown = problems_of(text)
    finally:
        monkeypatch.delenv("DUTYCTL_LANG")
        messages.start_invocation(None)
    assert shown == [f"rules.yaml:9: staff[0].name: 没写 编号 时以姓名“{name}”作员工编号，{chinese}"], \
        shown


def test_two_people_of_one_name_need_an_id_each_or_typing_the_name_would_pick_one():
    """张伟 the id of one and the name of another: `--staff 张伟` could only ever reach the
    first, so the rules refuse it; with an id each, the name typed is ambiguous and says so."""
    first_by_name = "- {name: 张伟, roles: [service]}\n- {id: 张伟2, name: 张伟, roles: [service]}\n"
    second_by_name = "- {id: zw, name: 张伟, roles: [service]}\n- {name: 张伟, roles: [service]}\n"
    for staff, key in ((first_by_name, "name"), (second_by_name, "name")):
        said = problems_of(rules_text(DAY, staff))
        assert said == [f"rules.yaml:11: staff[1].{key}: '张伟' names both the staff member on "
                        "line 10 and this one (as an id or a name): typed, it could mean either; "
                        "when two people share a name, give each its own id line, such as "
                        "id: 张伟1 and id: 张伟2; the rosters written so far name the first "
                        "'张伟': to keep them, give the newcomer another name instead (such as "
                        "张伟2)"], said
    shifts = DAY + DAY.replace("id: day", "id: 白班").replace("name: 白班", "name: 早班")
    said = problems_of(rules_text(shifts, ONE))
    assert len(said) == 1 and said[0].startswith("rules.yaml:8: shifts[1].id: '白班' names both "
                                                 "the shift on line 3"), said
    each = parse(rules_text(DAY, "- {id: 张伟1, name: 张伟, roles: [service]}\n"
                                 "- {id: 张伟2, name: 张伟, roles: [service]}\n"))
    assert each.person("张伟1") == "张伟 (张伟1)"  # told apart on every screen
    from dutyctl.choices import staff_of
    from dutyctl.errors import NotFound

    with pytest.raises(NotFound, match="more than one staff member"):
        staff_of(each, "张伟")
    assert staff_of(each, "张伟2") == "张伟2"
    assert staff_of(each, "张伟２") == staff_of(each, "张伟 ２") == "张伟2"  # full-width mode


HOSTILE = [("'张 伟'", "it holds a space", "含有空格"),
           ('"张伟\\u202e"', "invisible character U+202E", "含有不可见字符 U+202E"),
           ('"张伟\\u200b"', "invisible character U+200B", "含有不可见字符 U+200B"),
           ('"张伟\\x1b"', "control character U+001B", "含有控制字符 U+001B"),
           ("'张伟:'", "it holds the character ':'", "含有字符“:”"),
           ("\"'张伟'\"", "it holds the character '''", "含有字符“'”"),
           ("张伟１", "write 张伟1", "含有全角或形近字符，请改写为 张伟1"),
           ("张" * (MAX_ID + 1), "longer than 40 characters", "超过 40 个字符")]


@pytest.mark.parametrize("written, english, chinese", HOSTILE,
                         ids=["space", "bidi", "zero-width", "control", "colon", "quotes",
                              "full-width", "overlong"])
def test_a_hostile_staff_id_is_refused_on_its_line_in_both_languages(workspace, cli, written,
                                                                    english, chinese):
    line = edit_rules(workspace, "  - id: gaofeng", f"  - id: {written}")
    said = cli("check")
    assert said.exit_code == 1
    found = [row for row in said.stdout.splitlines()
             if row.startswith(f"rosters/rules.yaml:{line}: staff[7].id: '")]
    assert len(found) == 1 and english in found[0] and "such as 张伟 or zhangwei" in found[0], \
        said.stdout
    assert "\x1b" not in said.stdout and "\u202e" not in said.stdout  # shown escaped
    zh = cli("check", env=ZH).stdout
    assert f"rosters/rules.yaml:{line}: staff[7].id: “" in zh and f"不能用作员工编号：{chinese}" \
        in zh and "例如 张伟 或 张伟2" in zh, zh
    refused = cli("roster", "generate", "--month", "2026-12", env=ZH)
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr
    assert not (workspace.rosters_dir / "2026-12.yaml").exists()


def test_a_hostile_shift_id_and_rotation_id_say_their_own_sentence(workspace, cli):
    line = edit_rules(workspace, "  - id: office", "  - id: '前 台'")
    rotation = "rotations:\n  - {id: '前台 轮班', shifts: [day], members: [lina], " \
               "start: \"2026-12-01\"}\n"
    (workspace.rosters_dir / "rules.yaml").write_text(
        (workspace.rosters_dir / "rules.yaml").read_text("utf-8") + rotation, "utf-8")
    zh = cli("check", env=ZH).stdout
    assert f"rosters/rules.yaml:{line}: shifts[3].id: “前 台”不能用作班次编号：含有空格。" in zh
    assert "rotations[0].id: “前台 轮班”不能用作固定轮班编号：含有空格。" in zh


# -- roster files with Chinese ids: the fast reader and YAML agree ------------------------------

def _chinese_roster() -> Roster:
    days = [date(2026, 12, 1), date(2026, 12, 2)]
    assignments = tuple(Assignment(day, shift, "service", staff)
                        for day in days for shift, staff in (("白班", "张伟"), ("夜间备班", "买买提·艾力"),
                                                             ("前台", "A班长"), ("night", "lina")))
    overrides = (Override(days[0], "白班", "service", "李娜", "张伟", "swap", "家里有事", "张伟",
                          datetime(2026, 11, 30, 9, tzinfo=SHANGHAI)),)
    gaps = (Gap(days[1], "夜班", "service", "", 0, (("张伟", "max_hours_per_week"),
                                                   ("李娜", "leave"))),)
    return Roster(days[0], days[-1], {"seed": 0}, assignments, overrides, gaps,
                  {"staff": {"张伟": {"shifts": 2}, "买买提·艾力": {"shifts": 2}}})


def _by_yaml(text: str) -> Roster:
    roster, problems = parse_roster(yamlio.loads(text, "r.yaml"), "r.yaml")
    assert problems == [], problems
    return roster


def test_a_roster_of_chinese_ids_is_read_alike_by_the_fast_reader_and_by_yaml():
    text = dump_roster(_chinese_roster())
    assert '  - {date: "2026-12-01", shift: 白班, role: service, staff: 张伟}' in text
    assert "shift: 夜间备班, role: service, staff: 买买提·艾力}" in text
    assert "blocked: {张伟: max_hours_per_week, 李娜: leave}" in text
    assert "\n    张伟: {shifts: 2}\n" in text
    fast = split_roster(text)
    assert fast is not None and fast[2] is not None  # both sections read line by line
    rest, assignments, gaps = fast
    slow = _by_yaml(text)
    assert assignments == slow.assignments == _chinese_roster().assignments
    assert gaps == slow.unfilled == _chinese_roster().unfilled
    assert [a.line for a in assignments] == [a.line for a in slow.assignments]
    both = parse_roster(yamlio.loads(rest, "r.yaml"), "r.yaml", None, assignments, gaps)[0]
    assert both == slow and slow.overrides == _chinese_roster().overrides
    assert dump_roster(slow) == text  # and written again byte for byte


@pytest.mark.parametrize("staff", ["007", "yes", "n"])
def test_an_id_that_needs_quotes_is_quoted_and_left_to_yaml(staff):
    roster = _chinese_roster()
    roster = Roster(roster.first, roster.last, {}, (Assignment(roster.first, "白班", "service",
                                                               staff),), (),
                    (Gap(roster.first, "夜班", "service", "", 0, ((staff, "leave"),)),))
    text = dump_roster(roster)
    assert f'staff: "{staff}"}}' in text and f'blocked: {{"{staff}": leave}}' in text
    assert split_roster(text) is None  # the fast reader never guesses
    slow = _by_yaml(text)
    assert slow.assignments[0].staff == staff and slow.unfilled[0].blocked == ((staff, "leave"),)


def test_a_digit_first_chinese_id_is_written_plain_and_read_fast():
    roster = _chinese_roster()
    roster = Roster(roster.first, roster.last, {}, (Assignment(roster.first, "1号岗", "service",
                                                               "2班张伟"),), (), ())
    text = dump_roster(roster)
    assert "shift: 1号岗" in text and "staff: 2班张伟}" in text
    assert split_roster(text) is not None  # the fast reader takes it
    assert _by_yaml(text).assignments[0].shift == "1号岗"


def test_a_hand_quoted_chinese_id_is_left_to_yaml():
    text = dump_roster(_chinese_roster()).replace("staff: 张伟}", 'staff: "张伟"}', 1)
    assert split_roster(text) is None
    assert _by_yaml(text).assignments == _chinese_roster().assignments


# -- a supervisor's month with rules written only in Chinese -----------------------------------

def _without_ids(text: str) -> str:
    """The bundled rules with no id line: each entry goes by its name."""
    text = re.sub(r"(?m)^  - id: \S+\n    name: (\S+)\n", r"  - name: \1\n", text)
    return text.replace("avoid: [night]", "avoid: [夜班]")


def _chinese_ids(text: str) -> str:
    """The bundled rules with each id written in Chinese and the name left out."""
    text = re.sub(r"(?m)^  - id: \S+\n    name: (\S+)\n", r"  - id: \1\n", text)
    return text.replace("avoid: [night]", "avoid: [夜班]")


@pytest.fixture(params=[_without_ids, _chinese_ids], ids=["no-ids", "chinese-ids"])
def chinese_site(request, workspace, clock):
    clock.set("2026-12-20T12:00:00+08:00")  # a day of the month the journey looks at
    path = workspace.rosters_dir / "rules.yaml"
    text = request.param(path.read_text("utf-8"))
    assert not re.search(r"(?m)^  - id: [a-z]", text) and "zhangwei" not in text
    path.write_text(text, "utf-8")
    return workspace


@pytest.fixture
def cli(workspace):
    """The desk's user is 张伟 (DUTYCTL_USER): the rules know nobody called zhangwei."""
    from tests.conftest import Cli

    runner = Cli(workspace.root)
    return lambda *args, user="张伟", **kwargs: runner(*args, user=user, **kwargs)


def _roster(workspace) -> Roster:
    roster, problems = read_roster(workspace.rosters_dir / "2026-12.yaml", "2026-12")
    assert problems == []
    return roster


def test_a_month_with_rules_written_only_in_chinese(chinese_site, cli, dutyctl_forked):
    workspace = chinese_site
    generated = cli("roster", "generate", "--month", "2026-12", env=ZH)
    assert generated.exit_code == 0, generated.stderr
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text("utf-8")
    assert re.search(r'(?m)^  - \{date: "2026-12-01", shift: 白班, role: service, staff: '
                     r'(张伟|李娜|陈静|赵磊|孙丽)\}$', text), text[:600]
    assert not re.search(r"zhangwei|night-oncall|\bday\b", text)
    assert split_roster(text) is not None  # the fast reader takes every line
    december = _roster(workspace)
    assert december.assignments == _by_yaml(text).assignments
    assert {a.shift for a in december.assignments} == set(SHIFTS.values())
    assert {a.staff for a in december.assignments} == set(STAFF.values())
    for checking in (("roster", "check"), ("check",)):
        checked = cli(*checking, env=ZH)
        assert checked.exit_code == 0, checked.stdout + checked.stderr

    shown = cli("roster", "show", "--month", "2026-12", "--staff", "李娜", "--format", "json")
    rows = json.loads(shown.stdout)
    rows = rows if isinstance(rows, list) else next(v for v in rows.values()
                                                     if isinstance(v, list))
    assert rows and {row["staff"] for row in rows} == {"李娜"}

    day_one = [a for a in december.assignments if a.shift == "白班" and a.role == "service"]
    first = day_one[0]
    for second in (a for a in day_one if a.staff != first.staff):  # a swap no rule forbids
        swapped = cli("roster", "swap", str(first.day), "白班", first.staff, str(second.day),
                      "白班", second.staff, "--reason", "家里有事", "--at", "2026-11-30 09:00",
                      env=ZH)
        if swapped.exit_code == 0:
            break
    assert swapped.exit_code == 0, swapped.stderr
    assert f"白班 客服专员：{first.staff} → {second.staff}" in swapped.stdout

    night = next(a for a in december.assignments if a.day == date(2026, 12, 3)
                 and a.shift == "夜班")
    for stand_in in (name for name in STAFF.values() if name != night.staff):
        changed = cli("roster", "override", "2026-12-03", "夜班", stand_in, "--replaces",
                      night.staff, "--reason", "病假", "--at", "2026-11-30 10:00", env=ZH)
        if changed.exit_code == 0:
            break
    assert changed.exit_code == 0, changed.stderr
    text = path.read_text("utf-8")
    assert (f'  - {{date: "2026-12-03", shift: 夜班, role: service, staff: {stand_in}, '
            f'replaces: {night.staff}, kind: override, reason: "病假", by: "张伟"') in text
    overrides = _roster(workspace).overrides
    assert [(o.kind, o.staff, o.replaces, o.by) for o in overrides] == [
        ("swap", second.staff, first.staff, "张伟"), ("swap", first.staff, second.staff, "张伟"),
        ("override", stand_in, night.staff, "张伟")]
    checked = cli("roster", "check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr

    who = json.loads(cli("who", "--at", "2026-12-04 02:00", "--format", "json").stdout)
    assert [(row["staff"], row["shift"]) for row in who["on_duty"]] == [(stand_in, "夜班")]
    assert [row["shift"] for row in who["on_call"]] == ["夜间备班"]

    on_day_one = next(a for a in _roster(workspace).assignments if a.day == date(2026, 12, 2)
                      and a.shift == "白班" and a.role == "technician")
    clocked = cli("clock", "in", "--staff", on_day_one.staff, "--at", "2026-12-02 07:55", env=ZH)
    assert clocked.exit_code == 0, clocked.stderr
    assert f"{on_day_one.staff} 于 2026-12-02 07:55 签到：白班 2026-12-02 08:00–20:00（维修工）" \
        "按时到岗" in clocked.stderr
    record = workspace.store.get(clocked.stdout.split()[0])
    assert record.get("staff") == on_day_one.staff and record.get("slot")["shift"] == "白班"

    calendar = cli("roster", "export", "--format", "ics", "--staff", "李娜")
    assert calendar.exit_code == 0, calendar.stderr
    import icalendar

    events = list(icalendar.Calendar.from_ical(calendar.stdout).walk("VEVENT"))
    mine = [a for a in december.assignments if a.staff == "李娜"]
    assert len(events) >= len(mine) - 1 > 0
    assert all(str(event["uid"]).isascii() for event in events)  # 白班 percent-encoded
    assert any("李娜" in str(event["summary"]) and "白班" in str(event["summary"])
               for event in events)

    # the key flow once through the installed program
    done = run_dutyctl(dutyctl_forked, "--lang", "zh_CN", "who", "--at", "2026-12-04 02:00",
                       root=workspace.root, user="张伟")
    assert done.returncode == 0, done.stderr
    assert stand_in in done.stdout and "夜班" in done.stdout
    done = run_dutyctl(dutyctl_forked, "roster", "check", root=workspace.root, user="张伟")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_desk_counts_and_offers_staff_by_their_chinese_ids(chinese_site, cli):
    from dutyctl import lookups

    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    december = _roster(chinese_site)
    offered = dict(lookups.offered("staff", [], str(chinese_site.root), "李"))
    assert offered == {"李娜": "李娜"}
    stats = json.loads(cli("roster", "stats", "--month", "2026-12", "--format", "json").stdout)
    assert "李娜" in json.dumps(stats, ensure_ascii=False)
    explained = cli("roster", "explain", "2026-12-05", "夜班", env=ZH)
    assert explained.exit_code == 0, explained.stderr
    assert "12月5日 周六 夜班 客服专员" in explained.stdout
    on_call = next(a for a in december.assignments if a.day == date(2026, 12, 1)
                   and a.shift == "夜间备班")
    started = cli("callout", "start", on_call.staff, "--note", "电梯困人", "--at",
                  "2026-12-01 23:00", env=ZH)
    assert started.exit_code == 0, started.stderr
    ended = cli("callout", "end", on_call.staff, "--at", "2026-12-02 00:30", env=ZH)
    assert ended.exit_code == 0, ended.stderr
    attendance = json.loads(cli("attendance", "--month", "2026-12", "--format", "json").stdout)
    text = json.dumps(attendance, ensure_ascii=False)
    assert f'"staff": "{on_call.staff}"' in text and "zhangwei" not in text
    handed = cli("handover", "--staff", "李娜", "--to", "孙丽", "--at", "2026-12-01 19:50")
    assert handed.exit_code == 0, handed.stderr
    pending = cli("handover", "pending", "--format", "json").stdout
    assert "孙丽" in pending and "李娜" in pending
    report = cli("report", "daily", "--date", "2026-12-01", "--format", "json")
    assert report.exit_code in (0, 1), report.stderr  # 1: something needs attention
    said = report.stdout
    assert "孙丽" in said and "zhangwei" not in said and "Traceback" not in report.stderr
    checked = cli("check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    sheet = chinese_site.root / "roster.xlsx"
    exported = cli("roster", "export", "--format", "xlsx", "--output", str(sheet))
    assert exported.exit_code == 0 and sheet.stat().st_size > 0, exported.stderr


def test_attendance_lists_people_in_the_rules_order_not_by_character_codes(chinese_site, cli):
    """With Chinese ids, sorting by id is by character code (刘洋 吴昊 周敏 … 高峰), an order no
    supervisor reads by: `考勤` and the monthly report's people follow the rules' order, as
    `排班 统计` and the roster's sheet do."""
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    ordered = list(STAFF.values())  # the rules' order: 张伟 李娜 王强 刘洋 陈静 赵磊 孙丽 高峰
    assert sorted(ordered) != ordered
    rows = json.loads(cli("attendance", "--month", "2026-12", "--format", "json").stdout)
    assert [row["staff"] for row in rows] == ordered
    table = cli("attendance", "--month", "2026-12", env=ZH).stdout.splitlines()[2:]
    assert [line.split()[0] for line in table] == ordered
    report = json.loads(cli("report", "monthly", "--month", "2026-12", "--format", "json").stdout)
    assert [row["staff"] for row in report["attendance"]["people"]] == ordered


def test_two_absences_of_one_day_are_two_alerts_with_chinese_ids():
    """An alert's file is its memory of having been raised: 白班-张伟 and 夜班-李娜 must not
    share one (a second absence would never be said); ASCII ids keep their file names."""
    from dutyctl.notify.watch import Alert

    def key(subject: str) -> str:
        return Alert(subject, "clock-in", "absent", date(2026, 12, 1), "absence",
                     lambda: None).key

    assert key("2026-12-01-白班-张伟") == "2026-12-01-白班-张伟.clock-in.absent"
    assert key("2026-12-01-白班-张伟") != key("2026-12-01-夜班-李娜")
    assert key("2026-12-01-night-x-zhang wei/") == "2026-12-01-night-x-zhang_wei_.clock-in.absent"
    # what an id may hold stays, so two ids never share a file
    assert key("2026-12-01-白班-a.b") != key("2026-12-01-白班-a_b")
    assert key("2026-12-01-白班-买买提·艾力") != key("2026-12-01-白班-买买提_艾力")
    assert key("2026-12-01-白班-สมชาย") != key("2026-12-01-白班-สมชาย".replace("ม", "_"))
    long_one, long_two = key("2026-12-01-" + "长" * 80 + "-甲"), key("2026-12-01-" + "长" * 80 + "-乙")
    assert long_one != long_two and max(len(long_one.encode()), len(long_two.encode())) <= 200


def test_a_report_keeps_whole_the_chinese_id_that_tells_two_namesakes_apart():
    from dutyctl.reports.render import NAMED

    assert NAMED.search("张伟（张伟1）") and NAMED.search("张伟 (张伟2), 李娜")
    assert NAMED.search("陈静 (chenjing2)") and not NAMED.search("陈静（备注 很长）")


def test_an_id_and_another_entry_s_name_differing_only_in_case_could_mean_either():
    """`--staff ZhangWei` is matched case-folded (choices.matches): lina named ZhangWei beside
    the id zhangwei could mean either, so the rules refuse it, whichever comes first."""
    id_first = ("- {id: zhangwei, name: 张伟, roles: [service]}\n"
                "- {id: lina, name: ZhangWei, roles: [service]}\n")
    said = problems_of(rules_text(DAY, id_first))
    assert said == ["rules.yaml:11: staff[1].name: 'ZhangWei' names both the staff member on "
                    "line 10 and this one (as an id or a name): typed, it could mean either; "
                    "when two people share a name, give each its own id line, such as "
                    "id: ZhangWei1 and id: ZhangWei2; the rosters written so far name the "
                    "first 'ZhangWei': to keep them, give the newcomer another name instead "
                    "(such as ZhangWei2)"], said
    name_first = ("- {id: lina, name: ZhangWei, roles: [service]}\n"
                  "- {id: zhangwei, name: 张伟, roles: [service]}\n")
    said = problems_of(rules_text(DAY, name_first))
    assert len(said) == 1 and said[0].startswith("rules.yaml:11: staff[1].id: 'zhangwei' names "
                                                 "both the staff member on line 10"), said
    # one's own name differing from its id only in case is no clash
    assert problems_of(rules_text(DAY, "- {id: zhangwei, name: ZhangWei, roles: [service]}\n"
                                       "- {id: lina, name: 李娜, roles: [service]}\n")) == []


def test_two_ids_differing_only_in_case_could_mean_either():
    """`--staff LINA` reaches lina and LiNa alike: the second id is refused at its line."""
    said = problems_of(rules_text(DAY, "- {id: lina, name: 李娜, roles: [service]}\n"
                                       "- {id: LiNa, name: 李娜二, roles: [service]}\n"))
    assert len(said) == 1 and said[0].startswith(
        "rules.yaml:11: staff[1].id: 'LiNa' names both the staff member on line 10"), said
