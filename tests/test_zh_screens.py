"""The screens of room, resident, roster override, callback, emergency and notify in Chinese:
people by name, kinds, statuses and actions by the glossary's words, rooms as residents know
them, local times, and no English word or id where a label belongs."""

from __future__ import annotations

import re

from tests.helpers_desk import ok_text as ok
from tests.test_tickets_cli import RESIDENT, file_complaint

ZH = ("--lang", "zh_CN")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str, *allowed: str) -> list[str]:
    """The English words of `text` outside record ids and the `allowed` words (commands,
    options a sentence names)."""
    text = re.sub(r"\b[0-9A-Z]{12,26}\b", "", text)
    return [word for word in ENGLISH_WORD.findall(text) if word not in allowed]


def test_handle_and_transfer_speak_the_glossary_words(cli, workspace):
    """受理 and 转交 (the glossary's words) in the step's line, the history and the status;
    the words earlier versions showed still filter a listing."""
    complaint = file_complaint(cli, "楼上装修噪音扰民", "2026-10-12 09:00")
    handled = ok(cli(*ZH, "complaint", "handle", complaint, "--action", "已上门劝导",
                     "--at", "2026-10-12 09:30"))
    assert "已记录受理" in handled and "处理中" in handled
    ok(cli("complaint", "transfer", complaint, "--to", "居委会", "--reason", "邻里纠纷",
           "--told-resident", "已转居委会", "--at", "2026-10-12 10:00"))
    history = ok(cli(*ZH, "show", complaint))
    assert "受理" in history and "转交" in history and "转办" not in history
    for typed in ("已转交", "已转办", "transferred"):
        listed = ok(cli(*ZH, "list", "--status", typed))
        assert complaint[:12] in listed and "已转交" in listed, typed
    for typed in ("挂起", "已完成", "已解决"):  # the field's words and an earlier version's
        assert cli(*ZH, "list", "--status", typed).exit_code == 0, typed
    assert cli(*ZH, "list", "--status", "已挂号").exit_code == 2


def test_a_step_its_status_does_not_allow_names_the_step_recorded(cli, workspace):
    """The refusal reads as a sentence whatever the step's word: 才能记录“回电”."""
    call = ok(cli("log", "call", *RESIDENT, "--summary", "物业费怎么交",
                  "--at", "2026-10-12 09:00"))
    result = cli(*ZH, "callback", "done", call, "--note", "已告知", "--at", "2026-10-12 10:00")
    assert result.exit_code == 2
    assert "当前为 已答复：只有在 待回电 状态下才能记录“回电”" in result.stderr
    assert not english_words(result.stderr), result.stderr


def test_an_unexpected_file_failure_is_one_message(monkeypatch):
    from dutyctl.cli.session import unexpected

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")  # the fixture has the language chosen again
    said, code = unexpected(PermissionError(13, "Permission denied", "records/x.yaml"))
    assert said == "records/x.yaml：没有权限" and code == 3  # not the C library's English
    assert unexpected(PermissionError(13, "Permission denied"))[0] == "没有权限"
    assert unexpected(OSError(28, "No space left on device"))[0] == "磁盘已满"
    assert unexpected(OSError(71, "Protocol error"))[0] == "Protocol error"  # rare: as said
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    assert unexpected(PermissionError(13, "Permission denied"))[0] == "Permission denied"


# -- rooms as residents know them ------------------------------------------------------------

ROOMS = """rooms:
  buildings:
    "3": {units: 2, floors: 6, rooms_per_floor: 2}
    "A": {floors: 3, rooms_per_floor: 4}
  places: [3号楼电梯, 地下泵房]
"""


def with_rooms(workspace) -> None:
    config = workspace.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + ROOMS, encoding="utf-8")


def test_a_building_or_unit_reads_as_residents_say_it(cli, workspace):
    """An emergency in the whole of building 3 is stored as `3` (so `list --room 3` finds it)
    and said 3号楼 on screen, never as a bare room number; data keeps the stored form."""
    with_rooms(workspace)
    opened = ok(cli(*ZH, "emergency", "open", "--type", "停电", "--where", "3号楼",
                    "--content", "整栋停电", "--at", "2026-10-12 16:00")).splitlines()[0]
    assert workspace.store.get(opened).get("where") == "3"
    listed = ok(cli(*ZH, "list", "--kind", "突发事件"))
    assert re.search(r"\s3号楼\s", listed), listed
    assert "地点：3号楼" in ok(cli(*ZH, "show", opened))
    history = ok(cli(*ZH, "room", "3"))
    assert re.search(r"突发事件\s+处置中\s+3号楼\s", history), history
    empty = cli(*ZH, "room", "3-2")
    assert "3号楼2单元 没有登记住户" in empty.stderr and "3号楼2单元 还没有来电或其他记录" in empty.stderr
    assert '"room": "3"' in ok(cli("room", "3", "-f", "json")).replace("'", '"')
    assert "building 3" in ok(cli("show", opened))


def test_a_register_correction_names_its_fields_in_words(cli, workspace):
    entry = ok(cli("resident", "add", *RESIDENT, "--note", "租户", "--at", "2026-10-12 09:00"))
    ok(cli("resident", "edit", entry, "--room", "3-2-502", "--phone", "13900001111",
           "--at", "2026-10-12 10:00"))
    shown = ok(cli(*ZH, "show", entry))
    assert "住户：姓名 张三、房号 3-2-502、电话 139****1111" in shown  # as corrected
    assert "房号：3-2-502" in shown and "电话：139****1111" in shown
    assert not english_words(shown.split("\n\n", 1)[1]), shown


# -- emergency and callback steps -------------------------------------------------------------

def test_an_emergency_opened_says_its_next_steps_with_its_own_id(cli, workspace):
    printed = ok(cli(*ZH, "emergency", "open", "--type", "停电", "--where", "3号楼",
                     "--content", "整栋停电", "--at", "2026-10-12 16:00")).splitlines()
    short = printed[0][:12]
    hint = printed[-1]
    assert f"dutyctl 突发 记录 {short} " in hint  # the commands by their Chinese names
    assert f"dutyctl 突发 关闭 {short} --结果" in hint
    assert not english_words(hint, "dutyctl"), hint
    missing = cli(*ZH, "emergency", "open", "--where", "3号楼", "--content", "x",
                  "--at", "2026-10-12 16:05")
    assert missing.exit_code == 2
    assert "缺少 --类型（类型，可选：停水（water-outage）、停电（power-outage）、" in missing.stderr
    nowhere = cli(*ZH, "emergency", "open", "--type", "停电", "--content", "x",
                  "--at", "2026-10-12 16:05")
    assert nowhere.exit_code == 2  # the place asked for with an example, as a repair's room is
    assert "缺少 --地点（发生地点，如 3号楼电梯、地下车库）" in nowhere.stderr
    refused = cli(*ZH, "emergency", "close", printed[0], "--summary", "x",
                  "--at", "2026-10-12 15:00")
    assert "处理步骤不能早于登记时间" in refused.stderr


def test_an_emergency_step_after_its_close_is_refused_in_words(cli, workspace):
    opened = ok(cli("emergency", "open", "--type", "fire", "--where", "地下泵房",
                    "--content", "冒烟", "--at", "2026-10-12 16:00")).splitlines()[0]
    ok(cli("emergency", "close", opened, "--summary", "已扑灭", "--at", "2026-10-12 17:00"))
    refused = cli(*ZH, "emergency", "log", opened, "已通知物业经理", "--at", "2026-10-12 17:10")
    assert refused.exit_code == 2
    assert "突发事件" in refused.stderr and "当前为 已处置：只有在 处置中 状态下" in refused.stderr
    assert "才能记录“进展”" in refused.stderr
    assert not english_words(refused.stderr), refused.stderr


def test_callback_attempt_help_and_refusal_lead_with_the_desks_words(cli, workspace):
    shown = ok(cli(*ZH, "callback", "attempt", "--help"))
    assert "--result 结果" in shown and "回电结果：无人接听、占线或号码错误" in shown
    call = ok(cli("log", "call", *RESIDENT, "--summary", "问快递柜", "--callback-by",
                  "2026-10-12 15:00", "--at", "2026-10-12 09:00"))
    wrong = cli(*ZH, "callback", "attempt", call, "--result", "没信号", "--at", "2026-10-12 10:00")
    assert wrong.exit_code == 2
    assert "无人接听、占线、号码错误" in wrong.stderr and "no-answer" not in wrong.stderr
    ok(cli("callback", "done", call, "--note", "已告知", "--at", "2026-10-12 11:00"))
    again = cli(*ZH, "callback", "attempt", call, "--result", "占线", "--at", "2026-10-12 12:00")
    assert "当前为 已回电：只有在 待回电 状态下才能记录“回电未接通”" in again.stderr


def test_the_desk_help_gives_chinese_time_words_and_placeholders(cli, workspace):
    for command in (("room",), ("callback", "done"), ("emergency", "open"),
                    ("notify", "test")):
        shown = ok(cli(*ZH, *command, "--help"))
        assert "yesterday" not in shown and "FILE" not in shown, command
        assert not re.search(r"\{[A-Z]+\}|--[a-z-]+ [A-Z]{3,}", shown), (command, shown)
    assert "昨天 22:00" in ok(cli(*ZH, "callback", "done", "--help"))
    assert "{房号}" in ok(cli(*ZH, "room", "--help"))


# -- notify -----------------------------------------------------------------------------------

from tests.test_notify import robot, site  # noqa: E402,F401  (fixtures)


def test_a_room_in_a_notification_is_not_masked_as_a_phone(site, cli):
    """3-2-501 and 12-2-1202 are rooms; the phone numbers beside them are masked."""
    from dutyctl.notify.texts import masked
    from dutyctl.schema import mask_phone

    assert masked("3-2-501 漏水") == "3-2-501 漏水"
    assert masked("12-2-1202，13812345678") == "12-2-1202，138****5678"
    assert masked("0571-88886666 或 8888666") == "0571-****6666 或 8****66"  # digits masked
    assert masked("12-12-1202 找 888-6666") == "12-12-1202 找 " + mask_phone("888-6666")
    assert mask_phone("888-6666") != "888-6666"
    assert masked("138-1234-5678") == mask_phone("138-1234-5678") != "138-1234-5678"
    workspace, sms_log = site
    ok(cli("emergency", "open", "--type", "fire", "--where", "3-2-501", "--content",
           "冒烟，住户13812345678报警", "--at", "09:00"))
    sent = sms_log.read_text(encoding="utf-8")
    assert "地点：3-2-501" in sent and "138****5678" in sent and "3****01" not in sent


def test_the_outbox_and_its_failures_speak_words_not_keys(site, cli, robot):
    workspace, sms_log = site
    robot.answers = {"wechat": ["refuse"], "dingtalk": ["refuse"]}
    sms_log.with_suffix(".fail").write_text("", encoding="utf-8")
    opened = ok(cli("emergency", "open", "--type", "fire", "--where", "3号楼", "--content",
                    "冒烟", "--at", "09:00")).splitlines()[0]
    listed = ok(cli(*ZH, "notify", "outbox"))
    assert "突发事件登记" in listed and "突发事件：火灾，地点：3号楼" in listed, listed
    assert "emergency-opened" not in listed and opened not in listed
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", listed), listed
    assert re.search(r"2026-10-12 09:\d\d", listed), listed
    data = ok(cli("notify", "outbox", "-f", "csv"))
    assert ",emergency-opened,2026-10-12T09:" in data  # data keeps the keys and ISO times
    flushed = cli(*ZH, "notify", "flush")
    assert flushed.exit_code == 1
    failed = [line for line in flushed.stderr.splitlines() if line.startswith("sms：")]
    assert failed == ["sms：未发出（命令执行失败（退出码 1）：gateway down）："
                      "突发事件：火灾，地点：3号楼（10-12 09:00 张伟 登记）"], flushed.stderr
    unknown = cli(*ZH, "notify", "test", "wechat")
    assert unknown.exit_code == 2
    assert "（现有渠道：office、bosses、sms）" in unknown.stderr


# -- roster override --------------------------------------------------------------------------

from tests.test_roster_cli import december  # noqa: E402,F401  (fixture)

__all__ = ["december", "robot", "site"]  # fixtures pytest finds here by name


def test_a_refused_override_names_each_rule_in_words(december, cli):
    """李娜 is on leave on 2026-12-11: the refusal says so in words (the rules.yaml key only in
    brackets), people by name, one full-width colon per line; forced, it is said the same."""
    refused = cli(*ZH, "roster", "override", "2026-12-11", "夜班", "李娜", "--reason", "顶班")
    assert refused.exit_code == 2
    assert "12月11日 周五 夜班 李娜：请假，排班规则里登记了这一天" in refused.stderr
    for line in refused.stderr.splitlines()[1:]:
        assert ": " not in line and line.count("：") == 1, line
        words = re.sub(r"\([a-z]+\)", "", line)  # a staff id
        assert not english_words(words), line  # a rule's key in Chinese too (最少休息小时)
    forced = cli(*ZH, "roster", "override", "2026-12-11", "夜班", "李娜", "--reason", "顶班",
                 "--force")
    assert forced.exit_code == 0
    assert "12月11日 周五 夜班 李娜：请假" in forced.stderr
    assert re.search(r"12月11日 周五 夜班 客服专员：\S+ → 李娜", forced.stdout), forced.stdout


def test_the_override_help_speaks_chinese(cli, workspace):
    shown = ok(cli(*ZH, "roster", "override", "--help"))
    assert "STAFF" not in shown and "ID" not in shown
    assert "--replaces 员工" in shown and "日期（2026-12-05、明天、12月5日）" in shown


def test_the_links_of_a_record_read_in_words(cli, workspace):
    """A call an emergency was opened from lists it by its kind and status words."""
    call = ok(cli("log", "call", *RESIDENT, "--summary", "电梯困人", "--at", "2026-10-12 09:00"))
    ok(cli("emergency", "open", "--type", "电梯困人", "--where", "3号楼电梯", "--from-call", call,
           "--at", "2026-10-12 09:05"))
    shown = ok(cli(*ZH, "show", call))
    links = shown.split("关联记录", 1)[1]
    assert "突发事件" in links and "处置中" in links, shown
    assert "emergency" not in links and "open" not in links, shown


def test_a_prompt_ends_with_the_languages_colon(workspace, monkeypatch):
    from dutyctl.cli import session

    asked = {}
    monkeypatch.setattr("typer.prompt", lambda text, **options: asked.update(
        text=text, suffix=options["prompt_suffix"]) or "张三")
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert session.ask("住户姓名") == "张三"
    assert asked == {"text": "住户姓名", "suffix": "： "}  # Click echoes the last character


def test_correcting_a_record_without_a_resident_says_so(cli, workspace):
    """An emergency nobody reported names no resident: the refusal says that, not that an
    empty room is no room."""
    opened = ok(cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--content", "停电",
                    "--at", "2026-10-12 16:00")).splitlines()[0]
    refused = cli(*ZH, "resident", "edit", opened, "--phone", "13900001111",
                  "--at", "2026-10-12 16:10")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == f"{opened[:12]} 没有写明住户的电话和房号", refused.stderr
    moved = cli(*ZH, "resident", "move-out", opened, "--at", "2026-10-12 16:10")
    assert moved.exit_code == 2 and "没有写明住户的电话和房号" in moved.stderr


def test_a_number_option_refused_in_words(cli, workspace):
    """`room --recent` takes 0 or more; a value that is no number, or below 0, is refused in
    the user's language (Click says `x>=0` and `is not a valid int` in English)."""
    for value, reason in (("-1", "-1 小于 0"), ("abc", "“abc”不是数字")):
        refused = cli(*ZH, "room", "3-2-501", "--recent", value)
        assert refused.exit_code == 2 and reason in refused.stderr, refused.stderr
        assert not english_words(refused.stderr.replace(value, ""), "root", "room", "recent",
                                 "help")
    assert "x>=0" not in ok(cli(*ZH, "room", "--help"))
    assert "“x”不是数字" in cli(*ZH, "list", "--limit", "x").stderr
    assert "abc is not a number" in cli("room", "3", "--recent", "abc").stderr


def test_lists_in_a_refusal_use_the_languages_separator(cli, workspace):
    first = ok(cli("log", "call", *RESIDENT, "--summary", "一", "--callback-by", "2026-10-12 15:00",
                   "--at", "2026-10-12 09:00"))
    ok(cli("log", "call", *RESIDENT, "--summary", "二", "--callback-by", "2026-10-12 15:00",
           "--at", "2026-10-12 09:01"))
    common = first[:4]
    ambiguous = cli(*ZH, "callback", "done", common, "--note", "x", "--at", "2026-10-12 10:00")
    assert ambiguous.exit_code == 2 and "、" in ambiguous.stderr, ambiguous.stderr
    wrong = cli(*ZH, "callback", "list", "-f", "xml")
    assert wrong.exit_code == 2 and "表格（table）、json、yaml" in wrong.stderr, wrong.stderr


def test_a_promised_callback_shows_by_label_and_local_time(cli, workspace):
    call = ok(cli("log", "call", *RESIDENT, "--summary", "问快递柜", "--callback-by",
                  "2026-10-12 15:00", "--at", "2026-10-12 09:00"))
    ok(cli("callback", "attempt", call, "--result", "busy", "--at", "2026-10-12 10:00"))
    shown = ok(cli(*ZH, "show", call))
    assert "回电时限：2026-10-12 15:00" in shown and "callback_by" not in shown, shown
    assert re.search(r"回电未接通\s+占线", shown), shown
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", shown), shown


def test_show_of_a_duty_and_a_handover_reads_in_words(cli, workspace, clock):
    """`show` of a clock-in and a handover: people by name, the verdict and the rostered shift
    in words and local time, a handover's items counted with the command that lists them."""
    ok(cli("roster", "generate", "--month", "2026-10"))
    clock.set("2026-10-12T07:50:00+08:00")
    clocked = cli(*ZH, "clock", "in", "--staff", "张伟", "--at", "2026-10-12 07:50")
    assert clocked.exit_code == 0, clocked.stderr
    duty = clocked.stdout.split()[0]
    shown = ok(cli(*ZH, "show", duty))
    assert "员工：张伟" in shown and "到岗情况：" in shown, shown
    head = shown.split("\n\n", 1)[0]
    assert not re.search(r"^[a-z_]+：", head, re.M), head  # no field by its key
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", head), head
    clock.set("2026-10-12T10:30:00+08:00")
    call = ok(cli("log", "call", *RESIDENT, "--summary", "问快递柜", "--callback-by",
                  "2026-10-12 15:00", "--at", "2026-10-12 09:00"))
    handover = ok(cli(*ZH, "handover", "--staff", "张伟", "--to", "李娜", "--note", "钥匙在抽屉",
                      "--at", "2026-10-12 10:00")).split()[0]
    shown = ok(cli(*ZH, "show", handover)).split("\n\n", 1)[0]
    assert "交班人：张伟" in shown and "接班人：李娜" in shown, shown
    assert f"未结事项：1 项（详见 dutyctl 交接班 查看 {handover[:12]}）" in shown, shown
    assert "备注：钥匙在抽屉" in shown and call not in shown, shown
    assert not re.search(r"^[a-z_]+：", shown, re.M), shown


def test_a_placeholder_copied_from_a_hint_is_refused_not_recorded(cli, workspace, clock):
    """The hints end their examples with `...` (`--原因 ...`); typed as shown it was taken as
    the reason, and `--地点 ...` as the place of an emergency."""
    clock.set("2026-10-12T18:00:00+08:00")
    opened = cli(*ZH, "突发", "开启", "--类型", "停电", "--地点", "...", "--内容", "x",
                 "--时间", "2026-10-12 16:00")
    assert opened.exit_code == 2 and not opened.stdout
    assert opened.stderr.strip() == "--地点 是“...”，这是示例里留着要填写的地方：请写上实际内容"
    filed = ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                   "13812345678", "--content", "漏水", "--at", "2026-10-12 16:01")).strip()
    closed = cli(*ZH, "报修", "关闭", filed, "--关闭方式", "住户撤回", "--原因", "…",
                 "--时间", "2026-10-12 16:02")
    assert closed.exit_code == 2 and "--原因 是“…”" in closed.stderr
    assert workspace.store.get(filed).status != "cancelled"
