"""YAML in and out: line numbers, duplicate keys, conflict markers and the YAML 1.1 traps."""

from __future__ import annotations

from datetime import date, time

import pytest
import yaml

from dutyctl import yamlfull
from dutyctl.store import yamlio
from dutyctl.errors import InputError, Problem
from dutyctl.schema import Fields, mask_phone


def fields_of(text: str) -> tuple[Fields, list[Problem]]:
    problems: list[Problem] = []
    return Fields(yamlio.loads(text, "site.yaml"), "site.yaml", problems), problems


def test_uses_the_c_loader_and_dumper_when_present():
    if yaml.__with_libyaml__:
        assert issubclass(yamlfull._Loader, yaml.CSafeLoader)
        assert issubclass(yamlfull._Dumper, yaml.CSafeDumper)
    else:
        assert issubclass(yamlfull._Loader, yaml.SafeLoader)


def test_mappings_and_lists_keep_order_and_line_numbers():
    data = yamlio.loads("zeta: 1\nalpha:\n  - a\n  - b\nmid: {x: 1}\n", "f.yaml")
    assert list(data) == ["zeta", "alpha", "mid"]
    assert data.line == 1
    assert data.line_of("alpha") == 2  # a block value is located at its key
    assert data.line_of("mid") == 5
    assert data["alpha"].lines == [3, 4]
    assert data["mid"].line == 5


def test_duplicate_key_is_an_error_at_its_line():
    with pytest.raises(InputError) as caught:
        yamlio.loads("name: 张三\nroom: '1-1-101'\nname: 李四\n", "records/x.yaml")
    assert str(caught.value).startswith("records/x.yaml:3: ")
    assert "duplicate key 'name'" in str(caught.value)
    assert "first on line 1" in str(caught.value)


def test_nested_duplicate_key_is_found_too():
    with pytest.raises(InputError) as caught:
        yamlio.loads("resident:\n  name: a\n  phone: '1'\n  name: b\n", "r.yaml")
    assert caught.value.problem.line == 4


@pytest.mark.parametrize("marker", ["<<<<<<< HEAD", "=======", ">>>>>>> origin/main"])
def test_git_conflict_marker_is_an_error_at_its_line(marker):
    text = f"id: x\n{marker}\nkind: call\n"
    with pytest.raises(InputError) as caught:
        yamlio.loads(text, "r.yaml")
    assert str(caught.value).startswith("r.yaml:2: ")
    assert "conflict marker" in str(caught.value)


def test_syntax_error_is_located():
    with pytest.raises(InputError) as caught:
        yamlio.loads("a: 1\nb: [unclosed\nc: 2\n", "bad.yaml")
    assert caught.value.problem.path == "bad.yaml"
    assert caught.value.problem.line is not None


def test_load_of_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        yamlio.load(tmp_path / "absent.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: 张三\n".encode("gb18030"))
    with pytest.raises(InputError, match="not UTF-8"):
        yamlio.load(latin)


def test_dump_writes_chinese_as_is_and_keeps_order():
    text = yamlio.dumps({"summary": "物业费怎么交", "after": 1, "before": 2})
    assert "物业费怎么交" in text
    assert "\\u" not in text
    assert text.index("after") < text.index("before")


@pytest.mark.parametrize("key,value", [
    ("start", "09:00"), ("end", "18:30"), ("room", "0301"), ("room", "3-2-501"),
    ("room", "3号楼电梯"), ("room", "B-0301"), ("room", "东区3栋2单元"),
    ("phone", "13812345678"), ("phone", "+86 138 1234 5678"),
    ("phone", "0571-88886666"), ("at", "2026-11-26T09:00:00+08:00"),
])
def test_dump_quotes_times_rooms_and_phones(key, value):
    text = yamlio.dumps({key: value})
    assert text in (f"{key}: '{value}'\n", f'{key}: "{value}"\n')
    assert yamlio.loads(text) == {key: value}


@pytest.mark.parametrize("value", ["no", "off", "yes", "on", "null", "~", "true", "1e3", "0x1F",
                                   "多行\n文本\n"])
def test_dumped_strings_read_back_as_the_same_strings(value):
    assert yamlio.loads(yamlio.dumps({"v": value})) == {"v": value}


# -- the YAML 1.1 traps, read through the typed field accessors ---------------------------

def test_a_float_and_a_date_are_said_in_words_not_python_type_names():
    """`room: 3.501` was "YAML read it as float", a date "as date": Python's names."""
    from dutyctl.schema import misread

    assert misread("room: expected text", 3.501) == \
        "room: expected text (YAML read it as the number 3.501: put it in quotes)"
    assert misread("room: expected text", date(2026, 12, 4)) == \
        "room: expected text (YAML read it as a date or a time: put it in quotes)"


def test_unquoted_time_is_rejected_with_line():
    top, problems = fields_of("name: x\nstart: 9:00\n")
    assert top.clock("start") is None
    assert [str(p) for p in problems] == [
        'site.yaml:2: start: YAML read 9:00 as the number 540: write "09:00" (in quotes)']


def test_quoted_time_is_accepted():
    top, problems = fields_of("start: '09:00'\nend: \"18:30\"\n")
    assert (top.clock("start"), top.clock("end")) == (time(9, 0), time(18, 30))
    assert problems == []


def test_unquoted_room_with_leading_zero_is_rejected():
    top, problems = fields_of("room: 0301\n")
    assert top.room("room") is None
    assert problems[0].line == 1
    assert "193" in problems[0].message  # what YAML 1.1 made of it, so the user sees why


def test_unquoted_phone_is_rejected():
    top, problems = fields_of("a: 1\nphone: 13812345678\n")
    assert top.phone("phone") is None
    assert str(problems[0]).startswith("site.yaml:2: phone: expected a phone number")


@pytest.mark.parametrize("word", ["no", "off", "yes", "on"])
def test_unquoted_yes_no_as_text_is_rejected(word):
    top, problems = fields_of(f"name: {word}\n")
    assert top.text("name") is None
    assert str(problems[0]).startswith("site.yaml:1: name: expected text")
    assert "yes/no/on/off" in problems[0].message


@pytest.mark.parametrize("value", ["2026-11-26T09:00:00", "'2026-11-26T09:00:00'", "2026-11-26",
                                   "'9:00'"])
def test_timestamp_without_offset_is_rejected(value):
    top, problems = fields_of(f"x: 1\nat: {value}\n")
    assert top.timestamp("at") is None
    assert str(problems[0]).startswith("site.yaml:2: at: expected an ISO 8601 time with its UTC")


@pytest.mark.parametrize("value", ["2026-11-26T09:00:00+08:00", "'2026-11-26T09:00:00+08:00'"])
def test_timestamp_with_offset_is_accepted(value):
    top, problems = fields_of(f"at: {value}\n")
    assert top.timestamp("at").utcoffset().total_seconds() == 8 * 3600
    assert problems == []


def test_every_problem_of_a_mapping_is_collected():
    top, problems = fields_of("start: 9:00\nroom: 0301\nphone: 13812345678\nname: no\n")
    top.clock("start"), top.room("room"), top.phone("phone"), top.text("name"), top.text("gone")
    assert [p.line for p in problems] == [1, 2, 3, 4, 1]
    assert "gone: is required" in problems[-1].message


def test_nested_problems_name_their_path():
    top, problems = fields_of("resident:\n  name: 张三\n  room: 0301\n")
    top.mapping("resident").room("room")
    assert str(problems[0]).startswith("site.yaml:3: resident.room: ")


@pytest.mark.parametrize("phone,masked", [("13812345678", "138****5678"), ("96390", "9**90"),
                                          ("88886666", "8***6666"),
                                          ("1234", "****"),
                                          # the number's digits, however it was typed
                                          ("138-1234-5678", "138****5678"),
                                          ("+86 138 1234 5678", "138****5678"),
                                          ("０５７１-８８８８６６６６", "0571-****6666")])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_a_folder_where_a_file_should_be_is_an_input_error(tmp_path):
    folder = tmp_path / "record.yaml"
    folder.mkdir()
    with pytest.raises(InputError, match="cannot read"):
        yamlio.load(folder)


def test_values_pyyaml_cannot_construct_are_located_errors():
    with pytest.raises(InputError) as caught:
        yamlio.loads("name: 张三\nday: 2026-02-30\n", "rules.yaml")
    assert str(caught.value) == \
        "rules.yaml:2: '2026-02-30': 2026-02 has only 28 days, there is no day 30"
    with pytest.raises(InputError) as caught:
        yamlio.loads("a: 1\nb: !!int abc\n", "x.yaml")
    assert str(caught.value).startswith("x.yaml:2: cannot read 'abc'")


def test_a_chinese_value_not_read_is_quoted_cut_by_display_width():
    """`_cut` cut at 40 characters, 80 columns of Chinese, and Python's reason quoted the
    whole value again (`could not convert string to float: '…'`): both now stop at 40
    columns, the line a terminal's."""
    from dutyctl.textwidth import display_width

    text = "报修" + "楼道灯不亮" * 30
    with pytest.raises(InputError) as caught:
        yamlio.loads(f"a: 1\nb: !!float {text}\n", "x.yaml")
    said = str(caught.value)
    assert said.startswith("x.yaml:2: cannot read '报修楼道灯不亮"), said
    quoted = [part for part in said.split("'") if part.startswith("报修")]
    assert len(quoted) == 1 and all(display_width(part) <= 40 for part in quoted), said
    assert said.endswith(": not a value of !!float"), said  # not Python's, quoting it again
    assert all(part.endswith("…") for part in quoted) and display_width(said) < 160


@pytest.mark.parametrize("tag", ["!!bool", "!!timestamp"])
def test_a_tagged_value_pyyaml_cannot_look_up_is_a_located_error(tag):
    """`!!bool 报修` (a KeyError in PyYAML) and `!!timestamp x` (an AttributeError) stopped
    every command with an unexpected error: said at their line, as `!!int abc` is."""
    with pytest.raises(InputError) as caught:
        yamlio.loads(f"a: 1\nb: {tag} 报修楼道灯不亮\n", "x.yaml")
    assert str(caught.value) == f"x.yaml:2: cannot read '报修楼道灯不亮': not a value of {tag}"


@pytest.mark.parametrize("tagged", ["!!int abc", "!!float 报", "!!int 3.5"])
def test_a_tagged_value_python_cannot_convert_is_said_in_the_screens_words(cli, workspace,
                                                                          tagged):
    """`!!int abc`, `!!float 报` in dutyctl.yaml said Python's English reason (invalid literal
    for int() with base 10: 'abc') on a Chinese screen: now the translated one, as `!!bool 报`."""
    from dutyctl import messages

    with messages.speaking("zh_CN"), pytest.raises(InputError) as caught:
        yamlio.loads(f"a: 1\nb: {tagged}\n", "x.yaml")
    value, tag = tagged.split(" ")[1], tagged.split(" ")[0]
    assert str(caught.value) == f"x.yaml:2: 无法读取 {value!r}：不是 {tag} 能表示的值", str(caught.value)
    config = workspace.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nextra_tagged: {tagged}\n",
                      encoding="utf-8")
    refused = cli("列表", env={"DUTYCTL_LANG": "zh_CN"})
    assert refused.exit_code != 0 and f"不是 {tag} 能表示的值" in refused.stderr, refused.stderr
    assert "invalid literal" not in refused.stderr and "convert" not in refused.stderr


def test_a_number_below_an_hour_is_not_taken_for_a_time_yaml_read():
    """`start: 8` is the number 8, not 0:08 unquoted: it was said as `YAML read 0:08 as the
    number 8: write "00:08"`."""
    top, problems = fields_of("name: x\nstart: 8\n")
    assert top.clock("start") is None
    assert [str(p) for p in problems] == [
        'site.yaml:2: start: expected a time like "09:00" '
        "(YAML read it as the number 8: put it in quotes)"]


def test_an_empty_item_of_a_list_of_text_is_said_empty_not_no_text():
    """`roles:` with a `-` and nothing after it (a line left when one was deleted) was told
    "expected text", as a number is: it is an item left empty, said as an empty text is."""
    fields, problems = fields_of("roles:\n  - service\n  -\n  - 12\n")
    assert fields.text_list("roles") == ["service"]
    assert [(p.line, p.message) for p in problems] == [
        (3, "roles[1]: must not be empty"), (4, "roles[2]: expected text (YAML read it as the "
                                                "number 12: put it in quotes)")], problems
