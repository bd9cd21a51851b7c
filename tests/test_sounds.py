"""A staff name typed in another character of the same sound (王墙 for 王强, 陈晶 for 陈静:
the input method's slip) is refused with the name it may have meant; a name that only looks
near (李南 for 李娜) is given no guess."""

from __future__ import annotations

import os

import pytest

from dutyctl import sounds
from dutyctl.choices import resolve_staff
from dutyctl.errors import NotFound

STAFF = {"wangqiang": "王强", "lina": "李娜", "chenjing": "陈静", "zengqiang": "曾强",
         "linan": "李南", "zhangwei": "张伟", "zhangwei2": "章伟"}


def test_the_typed_character_must_sound_as_the_names_usual_reading(pinyin_table):
    pinyin_table.update({"李": ["li"], "娜": ["na", "nuo"], "那": ["na", "nei"], "南": ["nan", "na"],
                  "纳": ["na"], "曾": ["ceng", "zeng"], "增": ["zeng"], "强": ["qiang"]})
    names = {"lina": "李娜", "linan": "李南", "zengqiang": "曾强"}
    assert sounds.sounding_alike("李那", names) == ["lina"]
    assert sounds.sounding_alike("李纳", names) == ["lina"]  # not 李南: na is not how 南 is read
    assert sounds.sounding_alike("李南", names) == []  # 南 is read nan, 娜 na
    assert sounds.sounding_alike("增强", names) == ["zengqiang"]  # 曾 as a surname: zeng
    assert sounds.sounding_alike("李娜", names) == []  # the name itself: nothing to guess
    assert sounds.sounding_alike("李 那", names) == ["lina"]


def test_only_names_of_as_many_characters_all_with_a_reading(pinyin_table):
    pinyin_table.update({"李": ["li"], "娜": ["na"], "那": ["na"]})
    assert sounds.sounding_alike("李那那", {"lina": "李娜"}) == []
    assert sounds.sounding_alike("李", {"li": "李"}) == []  # a surname alone: said otherwise
    assert sounds.sounding_alike("李2", {"lina": "李娜"}) == []
    assert sounds.sounding_alike("Lina", {"lina": "李娜"}) == []


def test_the_installed_pypinyin_hears_a_slip_and_leaves_the_environment_alone():
    """The one test against the installed pypinyin, on characters of a single reading in it
    (陈 chen, 晶 jing, 静 jing, 李 li, 穆 mu): the rule itself is tested on given readings."""
    before = dict(os.environ)
    sounds.readings.cache_clear()
    assert sounds.readings("陈晶") == (("chen",), ("jing",))
    assert dict(os.environ) == before
    assert sounds.sounding_alike("陈晶", STAFF) == ["chenjing"]
    assert sounds.sounding_alike("李穆", STAFF) == []


def test_names_of_the_same_sound_are_all_said(pinyin_table):
    pinyin_table.update({"王": ["wang", "yu"], "墙": ["qiang"], "强": ["qiang", "jiang"],
                         "张": ["zhang"], "章": ["zhang"], "伟": ["wei"], "维": ["wei"],
                         "陈": ["chen"], "晶": ["jing"], "静": ["jing"]})
    assert sounds.sounding_alike("王墙", STAFF) == ["wangqiang"]
    assert sounds.sounding_alike("陈晶", STAFF) == ["chenjing"]
    assert sounds.sounding_alike("张维", STAFF) == ["zhangwei", "zhangwei2"]


def test_the_refusal_says_the_name_of_the_same_sound(pinyin_table):
    pinyin_table.update({"王": ["wang"], "强": ["qiang"], "墙": ["qiang"], "乔": ["qiao"]})
    with pytest.raises(NotFound, match="did you mean 王强"):
        resolve_staff("王墙", STAFF, "rosters/rules.yaml")
    with pytest.raises(NotFound) as refused:
        resolve_staff("王乔", STAFF, "rosters/rules.yaml")
    assert "?" not in str(refused.value) and "？" not in str(refused.value)


def test_a_chinese_desk_dispatching_to_a_name_of_the_same_sound_is_told_whom(
        cli, clock, pinyin_table):
    pinyin_table.update({"王": ["wang", "yu"], "墙": ["qiang"], "强": ["qiang", "jiang"],
                         "李": ["li"], "南": ["nan", "na"], "娜": ["na", "nuo"]})
    zh = {"DUTYCTL_LANG": "zh_CN"}
    filed = cli("报修", "登记", "--姓名", "李四", "--房号", "5-1-1202", "--电话", "13900001111",
                "--内容", "厨房灯不亮", "--时间", "2026-10-12 09:00", env=zh)
    assert filed.exit_code == 0, filed.stderr
    repair = filed.stdout.strip()
    refused = cli("报修", "派工", repair, "--派给", "王墙", "--时间", "2026-10-12 09:05", env=zh)
    assert refused.exit_code == 2
    assert refused.stderr.strip().endswith("是不是要输入 王强？"), refused.stderr
    unheard = cli("报修", "派工", repair, "--派给", "李南", "--时间", "2026-10-12 09:05", env=zh)
    assert unheard.exit_code == 2 and "是不是" not in unheard.stderr
