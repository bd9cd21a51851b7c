"""Desk screens name people by name and items by label, with times as the desk reads them
(2026-10-05 19:50), in English and in Chinese; prompts are sanitized like every other line."""

from __future__ import annotations

import re

import pytest

from dutyctl.errors import InputError

from tests.helpers_desk import october_site, ok_text as ok, printed_ids, record_files

ZH = ("--lang", "zh_CN")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


@pytest.fixture
def site(workspace):
    october_site(workspace.root)  # 10-05: zhangwei 08:00-20:00, then lina 20:00-08:00
    return workspace


def refused(result, *said: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    for text in said:
        assert text in result.stderr, result.stderr
    assert not ISO_TIME.search(result.stderr), result.stderr


def at(hour_minute: str, day: str = "2026-10-05") -> tuple[str, str]:
    return ("--at", f"{day} {hour_minute}")


def hand_over(cli, sender="zhangwei", to="lina", when="19:50") -> str:
    return printed_ids(ok(cli("handover", "--staff", sender, "--to", to, "--note", "钥匙在抽屉",
                              *at(when))))[0]


@pytest.mark.parametrize("lang, said", [
    ((), "handover {id} from 张伟 waits for you"),
    (ZH, "张伟 的交接班 {id} 等你接班")])
def test_clocking_in_names_who_wrote_the_handover_waiting(cli, site, lang, said):
    written = site.store.get(hand_over(cli))
    clocked = cli(*lang, "clock", "in", "--staff", "lina", *at("19:55"))
    ok(clocked)
    assert said.format(id=written.short_id) in clocked.stderr


@pytest.mark.parametrize("lang, said", [
    ((), ["李娜 is not clocked in: nothing to clock out",
          "张伟 is already clocked in since 2026-10-05 07:55",
          "张伟 was already on duty at 2026-10-05 12:00",
          "张伟 cannot hand over to themselves",
          "and 孙丽 wrote no handover during this duty"]),
    (ZH, ["李娜 尚未签到：无需签退",
          "张伟 自 2026-10-05 07:55 起已签到",
          "张伟 在 2026-10-05 12:00 已在值班",
          "张伟 不能交接给自己",
          "孙丽 本次值班还没有写交接班记录"])])
def test_clocking_refusals_name_people(cli, site, lang, said):
    ok(cli("clock", "in", "--staff", "zhangwei", *at("07:55")))
    refused(cli(*lang, "clock", "out", "--staff", "lina", *at("10:00")), said[0])
    refused(cli(*lang, "clock", "in", "--staff", "zhangwei", *at("08:30")), said[1])
    ok(cli("clock", "out", "--staff", "zhangwei", "--no-handover", "--reason", "x",
           *at("20:00")))
    refused(cli(*lang, "clock", "in", "--staff", "zhangwei", *at("12:00")), said[2])
    refused(cli(*lang, "handover", "--staff", "zhangwei", "--to", "张伟", *at("19:00")),
            said[3])
    ok(cli("clock", "in", "--staff", "sunli", *at("07:55", "2026-10-06")))
    refused(cli(*lang, "clock", "out", "--staff", "sunli", *at("20:00", "2026-10-06")),
            said[4])


@pytest.mark.parametrize("lang, said", [
    ((), ["no handover waits for 王强", "is of kind duty, not handover",
          # accepted with --staff: the hint clocks in that person, not $DUTYCTL_USER
          "李娜 is not clocked in: dutyctl clock in --staff lina\n",
          "孙丽 is on duty since 2026-10-05 19:40: not clocked in again"]),
    (ZH, ["没有等待 王强 接班的交接", "是值班，不是交接班",
          "李娜 尚未签到：dutyctl 签到 --操作人 lina\n",
          "孙丽 自 2026-10-05 19:40 起已在岗：不再重复签到"])])
def test_accepting_names_people_and_kinds(cli, site, lang, said):
    duty = printed_ids(ok(cli("clock", "in", "--staff", "sunli", *at("19:40"))))[0]
    written = hand_over(cli, to="lina,sunli")
    refused(cli(*lang, "handover", "accept", "--staff", "wangqiang", *at("19:56")), said[0])
    refused(cli(*lang, "handover", "accept", duty, "--staff", "lina", *at("19:56")), said[1])
    accepted = cli(*lang, "handover", "accept", written, "--staff", "lina", "--no-clock-in",
                   *at("19:57"))
    assert said[2] in ok(accepted) + accepted.stderr
    again = cli(*lang, "handover", "accept", written, "--staff", "sunli", "--clock-in",
                *at("19:58"))
    assert said[3] in ok(again) + again.stderr


@pytest.mark.parametrize("lang, said", [
    ((), ["孙丽 is already called out since 2026-10-05 21:00",
          "王强 has no call-out under way"]),
    (ZH, ["孙丽 自 2026-10-05 21:00 起已在备班出勤中",
          "王强 没有进行中的备班出勤"])])
def test_call_out_refusals_name_people(cli, site, lang, said):
    started = cli(*lang, "callout", "start", "sunli", "--note", "电梯困人", *at("21:00"))
    end = "'dutyctl 备班 返回 孙丽'" if lang else "'dutyctl callout end 孙丽'"  # the command's name
    assert end in ok(started) + started.stderr  # typed by name
    refused(cli(*lang, "callout", "start", "孙丽", *at("21:30")), said[0])
    refused(cli(*lang, "callout", "end", "wangqiang", *at("21:30")), said[1])


@pytest.mark.parametrize("lang, said", [
    ((), ["打印机可用 answered ok but its problem", "fixed: 打印机可用 (",
          "no open problem for checklist item '打印机可用'", "is of kind duty, not readiness-problem"]),
    (ZH, ["打印机可用 回答正常，但其问题", "已修复：打印机可用（",
          "检查项“打印机可用”没有未解决的问题", "是值班，不是备勤问题"])])
def test_checklist_lines_name_items_by_label(cli, site, lang, said):
    ok(cli("checklist", "--staff", "zhangwei", "--ok", "all", "--problem", "printer",
           "--note", "卡纸", *at("08:10")))
    rechecked = cli(*lang, "checklist", "--staff", "lina", "--ok", "all", *at("20:10"))
    assert said[0] in ok(rechecked) + rechecked.stderr
    hint = cli("checklist", "--staff", "lina", "--ok", "all", *at("20:20")).stderr
    assert "stays open: dutyctl checklist fix 打印机可用 --note TEXT" in hint  # the label
    problems = cli(*lang, "checklist", "problems").stdout.splitlines()[2]
    assert "张伟" in problems and "打印机可用" in problems  # who found what, by name and label
    assert "zhangwei" not in problems and "printer" not in problems
    assert "zhangwei,卡纸" in cli("checklist", "problems", "-f", "csv").stdout  # data keeps ids
    fixed = cli(*lang, "checklist", "fix", "打印机可用", "--note", "换纸", "--staff", "lina",
                *at("20:30"))  # as the hint prints it
    assert said[1] in ok(fixed) + fixed.stderr
    refused(cli(*lang, "checklist", "fix", "printer", "--note", "x", "--staff", "lina",
                *at("20:40")), said[2])
    duty = printed_ids(ok(cli("clock", "in", "--staff", "lina", *at("19:55"))))[0]
    assert said[3] in cli(*lang, "checklist", "fix", duty, "--note", "x", *at("20:40")).stderr


# -- prompts: sanitized like every line, names not ids -----------------------------------------

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)


def test_a_hostile_name_in_a_prompt_is_shown_escaped(cli, site, terminal):
    rules = site.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "name: 李娜", 'name: "李娜\\e]0;pwned\\a\\r"'), encoding="utf-8")
    hand_over(cli)
    accepted = cli("handover", "accept", "--staff", "lina", *at("19:55"), input="n\n")
    ok(accepted)
    assert "clock 李娜␛]0;pwned␇␍ in now?" in accepted.stderr
    assert not RAW.search(accepted.stderr + accepted.stdout)


@pytest.mark.parametrize("typed, clocked", [("是\n", True), ("好的。\n", True), ("ｙ\n", True),
                                           ("随便\n不要\n", False), ("\n", True), ("否\n", False)])
def test_a_yes_or_no_question_takes_the_words_a_clerk_types(cli, site, terminal, typed, clocked):
    """`接班` asks whether to clock the relief in: 是, 好的, 否, 不要 are answers (Click's own
    question took y or n only and said "Error: invalid input" in English); anything else is
    said in the desk's language and asked again; an empty line is the default (yes here)."""
    hand_over(cli)
    accepted = cli(*ZH, "handover", "accept", "--staff", "lina", *at("19:55"), input=typed)
    printed = ok(accepted)
    assert "签到吗？（是/否，回车为是）" in accepted.stderr and "Error" not in accepted.stderr
    assert ("请回答是或否" in accepted.stderr) is typed.startswith("随便")
    assert (len(printed_ids(printed)) == 2) is clocked, printed


def test_a_hostile_checklist_label_in_a_prompt_is_shown_escaped(cli, site, terminal):
    config = site.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "printer: 打印机可用", 'printer: "打印机\\e[2J可用"'), encoding="utf-8")
    result = cli("checklist", "--staff", "zhangwei", "--ok", "phone", "--ok", "computer",
                 "--ok", "forms", "--ok", "workflows", *at("08:10"), input="ok\n")
    ok(result)
    assert "打印机␛[2J可用 [ok/problem] [ok]:" in result.stderr
    assert not RAW.search(result.stderr + result.stdout)


def test_the_handover_prompt_offers_the_successors_by_name(cli, site, terminal):
    ok(cli("clock", "in", "--staff", "zhangwei", *at("07:55")))
    written = cli("--lang", "zh_CN", "handover", "--staff", "zhangwei", *at("19:50"),
                  input="\n\n")
    (handover_id,) = printed_ids(ok(written))
    assert "交接给（多人用逗号分隔） [李娜]：" in written.stderr
    assert site.store.get(handover_id).get("to") == ["lina"]


def test_a_name_two_people_share_is_offered_as_the_id(cli, site, terminal):
    rules = site.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("name: 孙丽", "name: 李娜"),
                     encoding="utf-8")
    written = cli("handover", "--staff", "zhangwei", *at("19:50"), input="\n\n")
    (handover_id,) = printed_ids(ok(written))
    assert "[lina]:" in written.stderr
    assert site.store.get(handover_id).get("to") == ["lina"]
    assert record_files(site.root)  # written, not refused as ambiguous


def test_a_person_is_typed_by_name_unless_the_name_would_not_do(site):
    from dutyctl.names import Names

    names = Names(site.config, {"lina": "李娜", "sunli": "李娜", "wangqiang": "王强",
                                "gaofeng": "高 峰", "chenjing": "陈静,小陈", "liuyang": "lina",
                                "nobody": ""})
    assert names.typed("wangqiang") == "王强"
    assert [names.typed(staff) for staff in ("lina", "sunli")] == ["lina", "sunli"]  # shared
    assert names.typed("gaofeng") == "gaofeng" and names.typed("chenjing") == "chenjing"
    assert names.typed("liuyang") == "liuyang"  # "lina" would name lina, by id
    assert names.typed("nobody") == "nobody" and names.typed("unknown") == "unknown"


def test_a_name_the_staff_resolver_would_refuse_is_never_suggested(site):
    """A name with a control or invisible character (the resolver refuses it), one that
    starts with "-" (read as an option): the id is what to type."""
    from dutyctl.names import Names
    from dutyctl.people import resolve_staff

    names = Names(site.config, {"bell": "李\a娜", "bidi": "王\u202e强", "dash": "-高峰",
                                "ok": "赵六"})
    assert [names.typed(staff) for staff in ("bell", "bidi", "dash", "ok")] == [
        "bell", "bidi", "dash", "赵六"]
    with pytest.raises(InputError):
        resolve_staff(site, "李\a娜")


# -- two people with one name ------------------------------------------------------------------

def _rename(root, staff: str, name: str) -> None:
    import yaml

    path = root / "rosters" / "rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    for member in rules["staff"]:
        if member["id"] == staff:
            member["name"] = name
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")


def test_two_staff_of_one_name_are_told_apart_by_their_ids(cli, site):
    """Where a table shows names alone (the attendance summary, `checklist problems`' by),
    a name two staff share comes with the id; a name of one person stays alone."""
    from dutyctl.names import Names

    _rename(site.root, "wangqiang", "张伟")
    names = Names.of(site)
    assert [names.short_person(staff) for staff in ("zhangwei", "wangqiang", "lina", "x")] == [
        "张伟 (zhangwei)", "张伟 (wangqiang)", "李娜", "x"]
    ok(cli("clock", "in", "--staff", "zhangwei", *at("07:55")))
    ok(cli("checklist", "--staff", "zhangwei", "--ok", "all", "--problem", "printer",
           "--note", "卡纸", *at("08:10")))
    ok(cli("clock", "in", "--staff", "wangqiang", *at("10:00")))
    ok(cli("clock", "out", "--staff", "wangqiang", *at("14:00")))
    problems = ok(cli(*ZH, "checklist", "problems")).splitlines()[2]
    assert "张伟（zhangwei）" in problems  # Chinese brackets on a Chinese screen
    summary = ok(cli(*ZH, "attendance", "--month", "2026-10"))
    assert "张伟（zhangwei）" in summary and "张伟（wangqiang）" in summary
    assert "张伟 (zhangwei)" in ok(cli("attendance", "--month", "2026-10"))
    assert "李娜" in summary and "(lina)" not in summary



def _clock_in_and_report(cli) -> tuple[str, str]:
    """zhangwei clocks in (Chinese), lina never comes: what clock in said, the daily report."""
    clocked = cli(*ZH, "clock", "in", "--staff", "zhangwei", *at("07:55"))
    ok(clocked)
    return clocked.stderr, ok(cli(*ZH, "report", "daily", "--date", "2026-10-05"))


def test_clock_in_and_the_daily_report_name_a_person_alone(cli, site):
    """The desk's messages and the report's tables name a person as the roster screens do:
    the name alone, no id for a clerk to read past."""
    said, report = _clock_in_and_report(cli)
    assert said.startswith("张伟 于 2026-10-05 07:55 签到"), said
    absent = report.split("缺勤（已排班，未签到）", 1)[1]
    assert re.search(r"^李娜 +夜班 ", absent, re.M), absent
    assert "(zhangwei)" not in said + report and "(lina)" not in report


def test_two_staff_of_one_name_show_their_ids_at_the_desk_and_in_reports(cli, site):
    _rename(site.root, "lina", "张伟")
    said, report = _clock_in_and_report(cli)
    assert said.startswith("张伟（zhangwei） 于 2026-10-05 07:55 签到"), said
    absent = report.split("缺勤（已排班，未签到）", 1)[1]
    assert re.search(r"^张伟（lina） +夜班 ", absent, re.M), absent


@pytest.mark.parametrize("lang", [(), ZH])
def test_a_wide_report_table_keeps_the_id_of_a_shared_name(cli, site, lang):
    """The workload table is wider than a cron mail: shortening it must not cut the id that
    tells two 张伟 apart (it once dropped every "(id)" first, then cut names to "张伟 (zh…")."""
    _rename(site.root, "lina", "张伟")
    ok(cli("clock", "in", "--staff", "zhangwei", *at("07:55")))
    report = ok(cli(*lang, "report", "daily", "--date", "2026-10-05"))
    workload = report.split("Workload per person" if not lang else "每人工作量", 1)[1]
    opening, closing = ("（", "）") if lang else (" (", ")")
    for staff in ("zhangwei", "lina"):
        assert re.search(f"^张伟{re.escape(opening)}{staff}{re.escape(closing)} ", workload,
                         re.M), workload
