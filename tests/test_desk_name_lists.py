"""Names typed as clerks type them: separated by / ; ； 、 ， (several people), spaced out
character by character (王 芳 李 娜: one person or two?), Chinese and letters run together."""

from __future__ import annotations

import pytest

from dutyctl import people
from dutyctl.errors import InputError
from tests.helpers_desk import ok, printed_ids, record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}


@pytest.mark.parametrize("typed", ["张伟/李娜", "张伟／李娜", "张伟;李娜", "张伟；李娜", "张伟、李娜",
                                   "张伟，李娜", "张伟 / 李娜"])
def test_without_a_staff_list_separated_names_are_several_people(no_rules, typed):
    """`张伟/李娜`, `赵磊;刘洋` were one person of that name."""
    assert people.resolve_staff_list(no_rules, [typed]) == ["张伟", "李娜"]


def test_with_a_staff_list_separated_names_are_looked_up_each(workspace):
    assert people.resolve_staff_list(workspace, ["赵磊/刘洋；李娜"]) == ["zhaolei", "liuyang",
                                                                        "lina"]


@pytest.mark.parametrize("typed", ["张伟/李娜", "赵磊;刘洋", "李娜，王强"])
def test_separated_names_where_one_person_goes_are_refused(no_rules, workspace, typed):
    with pytest.raises(InputError, match=f"'{typed}' names several people: write one person"):
        people.resolve_staff(no_rules, typed)


@pytest.mark.parametrize("typed", ["王 芳 李 娜", "张 伟 李 娜 王"])
def test_characters_spaced_beyond_one_name_are_asked_never_joined(no_rules, typed):
    """`王 芳 李 娜` was one person, 王芳李娜: it may be 王芳 and 李娜."""
    with pytest.raises(InputError, match="one person or several?.*separated by 、"):
        people.resolve_staff_list(no_rules, [typed])
    with pytest.raises(InputError, match="is not one person's name"):
        people.resolve_staff(no_rules, typed)
    assert people.resolve_staff(no_rules, "王 小 明") == "王小明"  # three: one name still


def test_chinese_and_letters_run_together_are_refused(no_rules):
    """`张伟Zhang` was kept as one person's name."""
    for resolve in (people.resolve_staff, lambda ws, named: people.resolve_staff_list(ws, [named])):
        with pytest.raises(InputError, match="'张伟Zhang' mixes Chinese characters and letters"):
            resolve(no_rules, "张伟Zhang")
    assert people.resolve_staff(no_rules, "张伟2") == "张伟2"  # an id of two 张伟 stays
    assert people.resolve_staff(no_rules, "Zhang Wei") == "Zhang Wei"


def test_the_desk_hands_over_to_a_slashed_list_and_refuses_spaced_characters(cli, no_rules):
    made = ok(cli("交接班", "--接班人", "张伟/李娜", "--操作人", "孙丽",
                  "--时间", "2026-10-05 19:40", env=ZH))
    assert list(no_rules.store.get(printed_ids(made.stdout)[0]).get("to")) == ["张伟", "李娜"]
    files = record_files(no_rules.root)
    refused = cli("交接班", "--接班人", "王 芳 李 娜", "--操作人", "孙丽",
                  "--时间", "2026-10-05 19:41", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert refused.stderr.strip() == (
        "“王 芳 李 娜”是一个人还是几个人？rosters/rules.yaml 里没有员工名单可查：几个人请用“、”隔开"
        "（赵磊、刘洋），一个人的姓名请不要加空格")
    one = cli("记事", "电梯正常", "--操作人", "赵磊;刘洋", "--时间", "2026-10-05 19:42", env=ZH)
    assert one.exit_code == 2 and "“赵磊;刘洋”是几个人：这里只写一个人的姓名" in one.stderr, one.stderr
    assert record_files(no_rules.root) == files


def test_a_list_reads_the_staff_list_once(monkeypatch, workspace):
    """`_one_or_spaced` read rosters/rules.yaml again for every name of a list."""
    reads = []
    real = people.staff_in_rules
    monkeypatch.setattr(people, "staff_in_rules", lambda ws: reads.append(1) or real(ws))
    assert people.resolve_staff_list(workspace, ["赵磊、刘洋、李娜 王强"]) == [
        "zhaolei", "liuyang", "lina", "wangqiang"]
    assert len(reads) == 1


def test_a_name_and_an_id_spaced_are_two_people_with_a_staff_list(cli, workspace, clock):
    """`李娜 wangqiang` (a name, a space, an id) was refused as mixing characters and letters
    once 张伟Zhang was: its parts are tried first, and it is 李娜 and 王强 again. Only a part
    that names no one (张伟 Zhang) makes it the refusal of a mixed name; as the one person of
    --操作人 it is two people."""
    made = ok(cli("交接班", "--接班人", "李娜 wangqiang", "--操作人", "孙丽",
                  "--时间", "2026-10-05 19:40", env=ZH))
    assert list(workspace.store.get(printed_ids(made.stdout)[0]).get("to")) == [
        "lina", "wangqiang"]
    for typed, refusal in (("张伟 Zhang", "'张伟 Zhang' mixes Chinese characters and letters"),
                           ("张伟Zhang", "'张伟Zhang' mixes Chinese characters and letters")):
        with pytest.raises(InputError, match=refusal):
            people.resolve_staff_list(workspace, [typed])
    with pytest.raises(InputError, match="'李娜 wangqiang' names several people"):
        people.resolve_staff(workspace, "李娜 wangqiang")
