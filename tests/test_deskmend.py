"""Mends of a review of the desk's leftovers: a bullet alone where a person goes, everywhere
(roster generate --staff, DUTYCTL_USER); a typed YAML tag's bad value in the screen's words."""

from __future__ import annotations

import pytest

ZH = {"DUTYCTL_LANG": "zh_CN"}


@pytest.mark.parametrize("typed", ["•", " • "])
def test_roster_generate_refuses_a_bullet_alone_as_empty(cli, clock, typed):
    """`roster generate --staff •` (metavar ID, not STAFF) said no staff member '•'."""
    refused = cli("排班", "生成", "--操作人", typed, env=ZH)
    assert refused.exit_code == 2, refused.stderr
    assert "缺少 --操作人：给出的值为空" in refused.stderr and "没有员工" not in refused.stderr


@pytest.mark.parametrize("typed", ["•", " ", "・ "])
def test_a_user_set_to_a_bullet_alone_is_refused_as_empty_in_one_line(cli, clock, typed):
    """DUTYCTL_USER=• was looked up as the name '•' (没有员工“•”), DUTYCTL_USER=' ' asked for
    --操作人 at the desk: both are refused as empty, saying where to mend it, nothing written;
    a --操作人 typed still stands."""
    for words in (("签到",), ("来电", "--姓名", "张三", "--房号", "3-2-501", "--电话",
                              "13812345678", "--摘要", "咨询"), ("排班", "生成")):
        refused = cli(*words, "--时间", "2026-10-12 09:00", user=typed, env=ZH)
        assert refused.exit_code == 2, refused.stdout + refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("DUTYCTL_USER 的值为空（“"), lines
        assert not refused.stdout.strip()
    typed_staff = cli("签到", "--操作人", "张伟", "--时间", "2026-10-12 09:00", user=typed, env=ZH)
    assert typed_staff.exit_code == 0, typed_staff.stderr


def test_every_option_naming_a_staff_member_says_so_in_its_metavar():
    """The empty check knows a person's option by its metavar (STAFF…): `--staff` with
    metavar ID went around it. Every `--staff` and `--instead-of` has one (a `--to` is a
    person's or a date's)."""
    from tests.test_option_words import COMMAND_OBJECTS

    people = {"--staff", "--instead-of"}
    wrong = [(path, param.opts[0], param.metavar) for path, command in COMMAND_OBJECTS.items()
             for param in getattr(command, "params", ())
             if people & set(param.opts) and not (param.metavar or "").startswith("STAFF")]
    assert not wrong


def test_the_width_of_text_is_imported_from_textwidth_only():
    """output re-exported textwidth's names, and half the modules took them from there."""
    import re
    from pathlib import Path

    import dutyctl

    names = r"\b(ELLIPSIS|display_width|shorten)\b"
    package = Path(dutyctl.__file__).parent
    found = [str(path) for folder in (package, package.parent / "tests")
             for path in folder.rglob("*.py")
             if re.search(rf"from dutyctl\.output import [^\n]*{names}|output\.{names}",
                          path.read_text(encoding="utf-8"))]
    assert not found
