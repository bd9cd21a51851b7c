"""Ids typed by their Chinese label or name: the core resolver and every command that asks one."""

from __future__ import annotations

import json

import pytest

from dutyctl import choices, words
from dutyctl.errors import InputError, NotFound
from tests.helpers_foundation import call_flags, record_files
from tests.sources import PACKAGE, syntax_tree

CALL_CATEGORIES = {"consultation": "咨询", "fee": "物业费咨询", "other": "其他"}
UNKNOWN_CALL_CATEGORY = "unknown call category '{value}'; choose one of: {choices}"
UNKNOWN_STATUS = "unknown status '{value}'; choose one of: {choices}"
STAFF = {"chenjing": "陈静", "chenjing2": "陈静", "lina": "李娜", "zhangwei": "张伟"}


# -- the core ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,expected", [
    ("fee", "fee"), ("物业费咨询", "fee"), (" 咨询 ", "consultation"), ("FEE", "fee"),
    ("费咨询", "fee"),  # part of exactly one label
])
def test_resolve_by_id_label_or_unique_part(typed, expected):
    assert choices.resolve(typed, CALL_CATEGORIES, UNKNOWN_CALL_CATEGORY) == expected


def test_unknown_value_names_every_choice_with_label_and_id():
    with pytest.raises(InputError) as refused:
        choices.resolve("天气", CALL_CATEGORIES, UNKNOWN_CALL_CATEGORY)
    assert str(refused.value) == ("unknown call category '天气'; choose one of: 咨询 "
                                  "(consultation), 物业费咨询 (fee), 其他 (other)")


def test_a_slip_of_one_character_is_refused_with_the_choice_meant():
    """噪声 for 噪音 (the input method's neighbour), 停东 for 停车, fea for fee: the whole list,
    then the near one, as a mistyped command word is; nothing close, nothing suggested."""
    complaints = {"noise": "噪音", "pet": "宠物", "parking": "停车"}
    with pytest.raises(InputError) as refused:
        choices.resolve("噪声", complaints, UNKNOWN_CALL_CATEGORY)
    assert str(refused.value) == ("unknown call category '噪声'; choose one of: 噪音 (noise), "
                                  "宠物 (pet), 停车 (parking); did you mean 噪音 (noise)?")
    assert choices.near("停东", complaints) == ["parking"]
    assert choices.near("fea", CALL_CATEGORIES) == ["fee"]
    assert choices.near("天气", CALL_CATEGORIES) == []
    # among no choices at all (a rules file whose shifts were not read), nothing; the
    # one-character guess asked difflib for the 0 closest words, which it refuses
    assert choices.near("夜班", {}) == [] and choices.near("夜班", {}, one_off=True) == []


def test_a_mistyped_category_on_the_command_line_is_suggested_in_chinese(workspace, cli):
    refused = cli("--lang", "zh_CN", "投诉", "登记", "--姓名", "张三", "--房号", "3-2-501",
                  "--电话", "13812345678", "--类别", "噪声", "--内容", "楼上装修")
    assert refused.exit_code == 2
    assert "没有名为“噪声”的投诉类别；可选：" in refused.stderr
    assert refused.stderr.strip().endswith("；是不是要输入 噪音（noise）？"), refused.stderr
    assert record_files(workspace.root) == []


def test_dutyctls_own_words_are_listed_without_their_english_ids_and_the_desks_are_taken(
        workspace, cli):
    """A duty log type, a reason for closing and a callback's result are dutyctl's own words:
    a Chinese refusal lists 巡查, not 巡查（patrol）, as for kinds and statuses; 重复单 (the
    duplicate hint's own word) and 关机 (a phone switched off) are answers."""
    zh = ("--lang", "zh_CN")
    refused = cli(*zh, "记事", "--类型", "巡察", "x", "--at", "2026-10-12 09:00")
    assert refused.exit_code == 2 and "巡查、来访" in refused.stderr, refused.stderr
    assert "patrol" not in refused.stderr and "是不是要输入 巡查？" in refused.stderr
    filed = cli(*call_flags("张三", "3-2-501", "13812345678", "物业费"), "--callback-by",
                "2026-10-12 18:00", "--at", "2026-10-12 09:00")
    assert filed.exit_code == 0, filed.stderr
    call = filed.stdout.split()[0]
    wrong = cli(*zh, "回电", "未接通", call, "--结果", "没信号", "--at", "2026-10-12 09:30")
    assert wrong.exit_code == 2 and "无人接听、占线、号码错误" in wrong.stderr, wrong.stderr
    assert "no-answer" not in wrong.stderr
    off = cli(*zh, "回电", "未接通", call, "--结果", "关机", "--at", "2026-10-12 09:31")
    assert off.exit_code == 0, off.stderr
    repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--content", "门锁坏了", "--at", "2026-10-12 09:40").stdout.split()[-1]
    closing = cli(*zh, "报修", "关闭", repair, "--关闭方式", "重复单", "--原因", "x",
                  "--at", "2026-10-12 09:45")
    assert closing.exit_code == 2 and "--保留" in closing.stderr, closing.stderr  # understood


def test_a_colleague_addressed_as_the_desk_does_is_suggested_never_taken():
    """王师傅, 小王, 老张, 李工: how the desk names a colleague. Refused (who acts is never guessed
    from part of a name), but the refusal says whom it may mean instead of only the list."""
    staff = {"zhangwei": "张伟", "wangqiang": "王强", "wangfang": "王芳", "lina": "李娜"}
    for typed, meant in (("王师傅", "王强 (wangqiang) or 王芳 (wangfang)"),
                         ("小王", "王强 (wangqiang) or 王芳 (wangfang)"),
                         ("老张", "张伟 (zhangwei)"), ("李工", "李娜 (lina)")):
        with pytest.raises(NotFound) as refused:
            choices.resolve_staff(typed, staff, "rosters/rules.yaml")
        assert str(refused.value).endswith(f"; did you mean {meant}?"), str(refused.value)
    for typed in ("王", "赵师傅", "wang"):  # a bare surname, nobody of it, Latin: nothing said
        with pytest.raises(NotFound) as refused:
            choices.resolve_staff(typed, staff, "rosters/rules.yaml")
        assert "did you mean" not in str(refused.value), typed


def test_a_technician_called_wang_shifu_at_the_desk(workspace, cli):
    refused = cli("--lang", "zh_CN", "签到", "--操作人", "王师傅", "--时间", "2026-10-12 08:00")
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().endswith("；是不是要输入 王强？"), refused.stderr
    assert record_files(workspace.root) == []


def test_a_part_shared_by_several_labels_is_ambiguous():
    with pytest.raises(InputError) as refused:
        choices.resolve("咨询", {"a": "物业费咨询", "b": "装修咨询"},
                        UNKNOWN_CALL_CATEGORY)
    assert str(refused.value) == "'咨询' could be any of: 物业费咨询 (a), 装修咨询 (b); give the id"


def test_one_character_is_never_taken_as_part_of_a_label():
    with pytest.raises(InputError, match="unknown"):
        choices.resolve("费", CALL_CATEGORIES, UNKNOWN_CALL_CATEGORY)


def test_translated_and_english_words_both_name_a_status(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    statuses = words.choices(words.STATUSES, ["open", "closed"])
    assert choices.resolve("已关闭", statuses, UNKNOWN_STATUS) == "closed"
    assert choices.resolve("closed", statuses, UNKNOWN_STATUS) == "closed"
    with pytest.raises(InputError) as refused:
        choices.resolve("关门", statuses, UNKNOWN_STATUS)
    assert "已关闭（closed）" in str(refused.value)


def test_staff_by_id_or_exact_name():
    assert choices.resolve_staff("李娜", STAFF, "rules.yaml") == "lina"
    assert choices.resolve_staff("zhangwei", STAFF, "rules.yaml") == "zhangwei"


@pytest.mark.parametrize("typed", ["李 娜", "李　娜", " 李 娜 ", "zhang wei"])
def test_spaces_typed_inside_a_name_are_no_part_of_it(typed):
    expected = "zhangwei" if typed.startswith("zhang") else "lina"
    assert choices.resolve_staff(typed, STAFF, "rules.yaml") == expected


def test_a_name_with_spaces_taken_out_that_names_two_is_ambiguous():
    with pytest.raises(NotFound) as refused:
        choices.resolve_staff("陈 静", STAFF, "rules.yaml")
    assert "more than one staff member: 陈静 (chenjing), 陈静 (chenjing2)" in str(refused.value)
    spaced = {"chenjing": "陈静", "chenjing2": "陈 静"}
    assert choices.resolve_staff("陈 静", spaced, "rules.yaml") == "chenjing2"  # as written
    with pytest.raises(NotFound, match="more than one"):
        choices.resolve_staff("陈  静", spaced, "rules.yaml")


def test_a_staff_name_typed_with_a_space_on_the_command_line(cli, workspace):
    for typed in ("陈 静", "陈　静"):
        logged = cli("log", "note", "巡查正常", "--staff", typed, "--at", "2026-10-12 09:00")
        assert logged.exit_code == 0, logged.stderr
        assert workspace.store.get(logged.stdout.strip()).recorded_by == "chenjing"


def test_a_shared_name_lists_the_candidates():
    with pytest.raises(NotFound) as refused:
        choices.resolve_staff("陈静", STAFF, "rules.yaml")
    assert str(refused.value) == ("'陈静' is the name of more than one staff member: 陈静 "
                                  "(chenjing), 陈静 (chenjing2); give the id")


def test_an_unknown_or_partial_name_lists_everyone():
    for typed in ("王五", "李"):
        with pytest.raises(NotFound) as refused:
            choices.resolve_staff(typed, STAFF, "rules.yaml")
        assert f"no staff member '{typed}' in rules.yaml; choose one of: 陈静 (chenjing), " \
            in str(refused.value)


# -- through the command line ---------------------------------------------------------------------

def filed(cli, *args, **kwargs) -> str:
    result = cli(*args, **kwargs)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip().splitlines()[0]


def test_call_category_and_staff_by_chinese_name(workspace, cli):
    call = filed(cli, *call_flags("张三", "3-2-501", "13812345678", "物业费怎么交", "--category",
                                  "物业费咨询", "--staff", "陈静", "--at", "2026-10-12 09:30"))
    record = workspace.store.get(call)
    assert record.get("category") == "fee" and record.recorded_by == "chenjing"


def test_dutyctl_user_by_name(workspace, cli):
    call = filed(cli, *call_flags("张三", "3-2-501", "13812345678", "x", "--at",
                                  "2026-10-12 09:30"), user="李娜")
    assert workspace.store.get(call).recorded_by == "lina"


def test_repair_by_labels_and_dispatch_to_a_name(workspace, cli):
    repair = filed(cli, "repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                   "13900001111", "--content", "门锁坏了", "--category", "门窗", "--urgency", "急修",
                   "--at", "2026-10-12 09:00")
    dispatched = cli("--lang", "zh_CN", "repair", "dispatch", repair, "--to", "刘洋", "--at",
                     "2026-10-12 09:05")
    assert dispatched.exit_code == 0, dispatched.stderr
    assert "已派工给 刘洋\n" in dispatched.stdout  # the confirmation names the person
    record = workspace.store.get(repair)
    assert (record.get("category"), record.get("urgency")) == ("doors-windows", "emergency")
    assert record.events[0].data["to"] == "liuyang"
    # `show` says the repair was dispatched to the technician, not transferred
    step = cli("show", repair).stdout
    assert "dispatched to: 刘洋" in step and "liuyang" not in step
    chinese = cli("--lang", "zh_CN", "show", repair).stdout
    assert "派工给：刘洋" in chinese and "转给" not in chinese


def test_complaint_transfer_to_a_department_by_part_of_its_name(workspace, cli):
    complaint = filed(cli, "complaint", "file", "--name", "王五", "--room", "3-2-501", "--phone",
                      "13812345678", "--content", "楼上装修噪音", "--category", "噪音",
                      "--at", "2026-10-12 09:00")
    assert filed(cli, "complaint", "transfer", complaint, "--to", "居委会", "--reason", "邻里纠纷",
                 "--told-resident", "已告知", "--at", "2026-10-12 10:00")
    record = workspace.store.get(complaint)
    assert record.get("category") == "noise" and record.events[0].data["to"] == \
        "residents-committee"


def test_show_tells_each_step_in_words_with_names(workspace, cli):
    complaint = filed(cli, "complaint", "file", "--name", "王五", "--room", "3-2-501", "--phone",
                      "13812345678", "--content", "楼上装修噪音", "--category", "噪音",
                      "--staff", "陈静", "--at", "2026-10-12 09:00")
    filed(cli, "complaint", "transfer", complaint, "--to", "居委会", "--reason", "邻里纠纷",
          "--told-resident", "已告知", "--staff", "陈静", "--at", "2026-10-12 10:00")
    shown = cli("--lang", "zh_CN", "show", complaint).stdout
    step = next(line for line in shown.splitlines() if "邻里纠纷" in line)
    assert "陈静" in step and "转给：社区居委会" in step and "已告知住户：已告知" in step
    assert "residents-committee" not in shown and "chenjing " not in shown
    data = json.loads(cli("show", complaint, "--format", "json").stdout)
    assert data["history"][0]["to"] == "residents-committee"  # data keeps the ids


def test_callback_list_names_who_promised(workspace, cli):
    filed(cli, *call_flags("张三", "3-2-501", "13812345678", "发票", "--callback-by",
                           "2026-10-12 15:00", "--staff", "陈静", "--at", "2026-10-12 09:30"))
    table = cli("callback", "list", "--as-of", "2026-10-12 10:00").stdout
    assert "陈静" in table and "chenjing" not in table
    rows = json.loads(cli("callback", "list", "--as-of", "2026-10-12 10:00", "--format",
                          "json").stdout)
    assert rows[0]["by"] == "chenjing"


def test_emergency_type_by_name_keeps_the_id(workspace, cli):
    emergency = filed(cli, "emergency", "open", "--type", "停电", "--where", "3号楼",
                      "--at", "2026-10-12 21:00")
    assert workspace.store.get(emergency).get("type") == "power-outage"


def test_list_kind_and_status_by_their_chinese_words(workspace, cli):
    complaint = filed(cli, "complaint", "file", "--name", "王五", "--room", "3-2-501", "--phone",
                      "13812345678", "--content", "楼道堆物", "--at", "2026-10-12 09:00")
    filed(cli, *call_flags("张三", "3-2-501", "13812345678", "x", "--at", "2026-10-12 09:30"))
    for kind in ("投诉", "complaint"):
        listed = cli("list", "--kind", kind, "--status", "待处理", "--format", "json",
                     env={"DUTYCTL_LANG": "zh_CN"})
        assert listed.exit_code == 0, listed.stderr
        assert [row["id"] for row in json.loads(listed.stdout)] == [complaint]
    table = cli("list", "--kind", "投诉", env={"DUTYCTL_LANG": "zh_CN"})
    assert "投诉" in table.stdout and "待处理" in table.stdout  # words on screen, ids in files


def test_refusals_name_label_and_id_and_write_nothing(workspace, cli):
    bad = cli(*call_flags("张三", "3-2-501", "13812345678", "x", "--category", "天气"))
    assert bad.exit_code == 2
    assert "unknown call category '天气'; choose one of: 咨询 (consultation), 物业费咨询 (fee)" \
        in bad.stderr
    assert record_files(workspace.root) == []
    unknown = cli(*call_flags("张三", "3-2-501", "13812345678", "x"), user="王五")
    assert unknown.exit_code == 2 and "陈静 (chenjing)" in unknown.stderr
    status = cli("list", "--status", "关门", env={"DUTYCTL_LANG": "zh_CN"})
    assert status.exit_code == 2 and "已关闭、" in status.stderr
    assert "（closed）" not in status.stderr, status.stderr  # dutyctl's own ids: not in Chinese
    kind = cli("list", "--kind", "工单", env={"DUTYCTL_LANG": "zh_CN"})
    assert kind.exit_code == 2 and "可选：来电、备班出勤、投诉、" in kind.stderr, kind.stderr
    assert "call" not in kind.stderr, kind.stderr
    assert cli("list", "--kind", "call", env={"DUTYCTL_LANG": "zh_CN"}).exit_code == 0
    english = cli("list", "--kind", "job")
    assert "choose one of: call, callout, complaint," in english.stderr, english.stderr


def test_a_part_of_a_status_word_naming_two_names_their_words_not_ids(cli):
    """`列表 --状态 派工` (the clerk's shorthand) is part of 已派工 and of 待派工: the refusal
    said `已派工（dispatched）、待处理（open）；请填写编号`, an English id to type and, for 待派工,
    the word of another kind's open status."""
    for typed, meant in (("派工", "已派工、待派工"), ("备勤", "备勤检查、备勤问题")):
        option = "--kind" if typed == "备勤" else "--status"
        refused = cli("list", option, typed, env={"DUTYCTL_LANG": "zh_CN"})
        assert refused.exit_code == 2
        assert refused.stderr.strip() == f"“{typed}”可能指以下几项：{meant}；请写完整", \
            refused.stderr
    assert cli("list", "--status", "已派工", env={"DUTYCTL_LANG": "zh_CN"}).exit_code == 0


def test_roster_override_by_names(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    result = cli("roster", "override", "2026-12-05", "夜班", "李娜", "--reason", "调班",
                 "--role", "客服专员", "--force", "--at", "2026-11-29 10:00")
    assert result.exit_code == 0, result.stderr
    shown = cli("roster", "show", "--staff", "李娜", "--month", "2026-12", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert any(row["date"] == "2026-12-05" and row["shift"] == "night"  # data: ids, ISO
               and row["shift_name"] == "夜班" for row in json.loads(shown.stdout))
    roster = (workspace.root / "rosters" / "2026-12.yaml").read_text(encoding="utf-8")
    assert "staff: lina" in roster and "shift: night" in roster and "李娜" not in \
        roster.split("overrides:")[1]


# -- each list's refusal is its own whole sentence, in both languages ----------------------------

def _said(result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    return result.stderr


@pytest.mark.parametrize("args, english, chinese", [
    (("list", "--kind", "天气"), "unknown kind '天气'; choose one of: ",
     "没有名为“天气”的记录类型；可选："),
    (("list", "--kind", "call", "--status", "关门"), "unknown status '关门'; choose one of: ",
     "没有名为“关门”的状态；可选："),
    (("list", "--category", "天气"), "unknown category '天气'; choose one of: ",
     "没有名为“天气”的类别；可选："),
    (("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
      "--content", "x", "--urgency", "马上"),
     "unknown complaint urgency '马上'; choose one of: ", "投诉没有“马上”这一紧急程度；可选："),
    (("who", "--role", "水管工"), "unknown role '水管工'; choose one of: 客服专员 (service)",
     "没有名为“水管工”的岗位；可选：客服专员（service）"),
])
def test_a_refusal_reads_as_one_sentence_for_its_own_list(workspace, cli, args, english,
                                                          chinese):
    assert english in _said(cli(*args, env={"DUTYCTL_LANG": "en"}))
    assert chinese in _said(cli(*args, env={"DUTYCTL_LANG": "zh_CN"}))


def test_a_ticket_refused_two_ways_says_which_list(workspace, cli):
    complaint = filed(cli, "complaint", "file", "--name", "张三", "--room", "3-2-501",
                      "--phone", "13812345678", "--category", "noise", "--content", "楼上吵")
    for typed, english, chinese in [
            (("complaint", "transfer", complaint, "--to", "天上", "--reason", "x",
              "--told-resident", "y"), "unknown department '天上'; choose one of: 客服中心",
             "没有名为“天上”的部门；可选：客服中心"),
            (("complaint", "close", complaint, "--as", "垃圾", "--reason", "x"),
             "unknown reason for closing '垃圾'; choose one of: ",
             "没有“垃圾”这一关闭原因；可选：")]:
        assert english in _said(cli(*typed, env={"DUTYCTL_LANG": "en"}))
        assert chinese in _said(cli(*typed, env={"DUTYCTL_LANG": "zh_CN"}))


def test_an_empty_list_and_an_ambiguous_word_are_refused_in_whole_sentences(monkeypatch):
    from dutyctl.kinds.call import CALL

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with pytest.raises(InputError) as refused:
        choices.resolve("咨询", {"a": "物业费咨询", "b": "装修咨询"}, CALL.category)
    assert str(refused.value) == "“咨询”可能指以下多项：物业费咨询（a）、装修咨询（b）；请填写编号"
    with pytest.raises(InputError) as refused:
        choices.resolve("夜班", {}, "unknown shift '{value}'; choose one of: {choices}",
                        none="rosters/rules.yaml lists no shift, so '{value}' cannot be one")
    assert str(refused.value) == "rosters/rules.yaml 中没有配置任何班次，无法使用“夜班”"
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    with pytest.raises(InputError) as refused:
        choices.resolve("天气", {}, CALL.category)  # a list that gives no sentence of its own
    assert str(refused.value) == "there is nothing to choose from, so '天气' cannot be used"


def test_every_caller_gives_resolve_a_whole_sentence_not_a_translated_noun():
    """`resolve(value, choices, unknown)`: `unknown` is the list's own sentence marked N_()
    (or a name holding one), translated by resolve with its {value} and {choices}; a
    translated noun (t("shift"), the old way) would be said alone, as the whole refusal."""
    import ast

    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(syntax_tree(path)):
            if not (isinstance(node, ast.Call) and (
                    getattr(node.func, "id", None) == "resolve"
                    or (getattr(node.func, "attr", None) == "resolve"
                        and getattr(node.func.value, "id", None) == "choices"))):
                continue
            said = [*node.args[2:3], *(word.value for word in node.keywords
                                       if word.arg in ("unknown", "none"))]
            for message in said:
                if isinstance(message, ast.Call) and getattr(message.func, "id", "") != "N_":
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
                if isinstance(message, ast.Constant):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} (not marked N_)")
    assert found == []


@pytest.mark.parametrize("typed, expected", [
    ("门窗（doors-windows）", ["doors-windows"]), ("门窗 (doors-windows)", ["doors-windows"]),
    ("门窗(doors-windows)", ["doors-windows"]), ("管道下水（doors-windows）", []),
    ("门窗（drain）", []),
])
def test_a_choice_copied_back_as_shown_names_it(typed, expected):
    """A refusal lists 门窗（doors-windows） and asks "是不是要输入 门窗（doors-windows）？": typed
    back as shown it was refused, the suggestion naming what was just refused. A label and
    an id of two choices name neither."""
    categories = {"doors-windows": "门窗", "drains": "管道下水"}
    assert choices.matches(typed, categories, partial=False) == expected


def test_a_person_copied_back_as_shown_is_that_person(cli, workspace):
    from tests.helpers_desk import october_site

    october_site(workspace.root)
    done = cli("clock", "in", "--staff", "王强（wangqiang）", "--at", "2026-10-05 07:55")
    assert done.exit_code == 0, done.stderr
    assert workspace.store.get(done.stdout.split()[0]).get("staff") == "wangqiang"


def test_a_chinese_screen_lists_the_staff_by_name_and_ids_only_where_a_name_is_shared(
        monkeypatch):
    """`--派给 王师傅` listed 张伟（zhangwei）、李娜（lina）…: pinyin ids a clerk never types."""
    from dutyctl import messages

    staff = {"zhangwei": "张伟", "zhangwei2": "张伟", "wangqiang": "王强"}
    with messages.speaking("zh_CN"), pytest.raises(NotFound) as refused:
        choices.resolve_staff("赵六", staff, "rosters/rules.yaml")
    assert str(refused.value) == ("rosters/rules.yaml 中没有员工“赵六”；可选："
                                  "张伟（zhangwei）、张伟（zhangwei2）、王强")
    with pytest.raises(NotFound) as english:  # an English screen keeps every id
        choices.resolve_staff("赵六", staff, "rosters/rules.yaml")
    assert "王强 (wangqiang)" in str(english.value)


def test_a_guess_names_the_id_of_a_name_two_people_share():
    """`王墙` guessed `是不是要输入 王强或王强？` where two are called 王强 (the guess was told
    apart only among the guesses)."""
    from dutyctl import messages

    staff = {"wangqiang": "王强", "wangqiang2": "王强", "lina": "李娜"}
    with messages.speaking("zh_CN"), pytest.raises(NotFound) as refused:
        choices.resolve_staff("王师傅", staff, "rosters/rules.yaml")
    assert str(refused.value).endswith("是不是要输入 王强（wangqiang）或王强（wangqiang2）？"), \
        str(refused.value)


@pytest.mark.parametrize("typed, offered, guessed", [
    ("未关闭", {"closed": "已关闭", "open": "待处理"}, []),  # the opposite, never guessed
    ("没关闭", {"closed": "已关闭", "open": "待处理"}, []),
    ("not closed", {"closed": "closed", "open": "open"}, []),
    ("未派工", {"dispatched": "已派工", "new": "待派工"}, ["new"]),  # 待派工 says the same
    ("己关闭", {"closed": "已关闭", "open": "待处理"}, ["closed"]),  # a slip, still guessed
])
def test_a_guess_is_never_the_opposite_of_what_was_typed(typed, offered, guessed):
    """未关闭 one character from 已关闭 was guessed as it (`--status 未关闭`: "did you mean
    已关闭?", the records not meant); a word saying "not" of a choice is no slip of it."""
    assert choices.near(typed, offered) == guessed
