"""Several staff typed in one value with spaces between them (`--接班人 "赵磊 李四"`)."""

from __future__ import annotations

import pytest

from dutyctl.errors import DutyError

from tests.helpers_desk import record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}


def test_names_typed_with_a_space_refuse_the_part_that_names_no_one(cli, workspace):
    """`--接班人 "赵磊 李四"` said no staff “赵磊 李四”: when a part names someone, the refusal
    is the failing part's own (李四 unknown; 张伟 shared by two, with both ids); when no part
    does, the whole of what was typed is said."""
    from dutyctl.people import resolve_staff_list
    from tests.test_desk_names import _rename

    with pytest.raises(DutyError, match="'李四'") as unknown:
        resolve_staff_list(workspace, ["赵磊 李四"])
    assert "赵磊 李四" not in str(unknown.value)
    _rename(workspace.root, "wangqiang", "张伟")
    files = record_files(workspace.root)
    shared = cli("交接班", "--操作人", "李娜", "--接班人", "赵磊 张伟", "--时间",
                 "2026-10-06 07:45", env=ZH)
    assert shared.exit_code == 2, shared.stdout + shared.stderr
    assert "zhangwei" in shared.stderr and "wangqiang" in shared.stderr, shared.stderr
    assert "赵磊 张伟" not in shared.stderr, shared.stderr
    assert record_files(workspace.root) == files
    with pytest.raises(DutyError, match="'老李 老王'"):
        resolve_staff_list(workspace, ["老李 老王"])
