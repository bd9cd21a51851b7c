"""A phone number typed into a record's text is masked as the phone field is, wherever the
text is shown: a clerk writes the number to call back into the summary, and every screen,
export and report showed it whole (the manual says numbers are masked in every format)."""

from __future__ import annotations

import json

import pytest

from dutyctl.schema import phones_masked
from tests.helpers_desk import october_site
from tests.helpers_foundation import call_flags

SON = "13987654321"
SON_MASKED = "139****4321"


@pytest.mark.parametrize("text, shown", [
    (f"请回电到儿子手机 {SON}", f"请回电到儿子手机 {SON_MASKED}"),
    ("儿子 139 8765 4321 晚上在家", f"儿子 {SON_MASKED} 晚上在家"),
    ("座机 0571-88886666", "座机 0571-****6666"),
    ("+86 13987654321", SON_MASKED),
    ("3-2-501 厨房漏水，12-12-1202 也漏", "3-2-501 厨房漏水，12-12-1202 也漏"),  # rooms
    ("预计2026-10-13 10:00前完工", "预计2026-10-13 10:00前完工"),  # a date, then its time
    ("编号 1234567890123456789", "编号 1234567890123456789"),  # longer than any phone
    ("共 3 次，20 分钟", "共 3 次，20 分钟"),
    # a room, a time or a count beside a number, and the forms a clerk writes it in
    ("3-2-501 13812345678 漏水", "3-2-501 138****5678 漏水"),
    ("请回电 13812345678 2次未接", "请回电 138****5678 2次未接"),
    ("10:00 13812345678", "10:00 138****5678"),
    ("3-2-501 3-2-502", "3-2-501 3-2-502"),
    ("138.1234.5678、138—1234—5678", "138****5678、138****5678"),
    # what is no phone: an id, a long number, an amount, a span, a date of eight digits
    ("单号 SF1234567890123，记录 01M4P5C4H1234567", "单号 SF1234567890123，记录 01M4P5C4H1234567"),
    ("1000-1200 共 1234567.89 元，20261013", "1000-1200 共 1234567.89 元，20261013"),
])
def test_a_number_in_text_is_masked_and_rooms_and_dates_are_not(text, shown):
    assert phones_masked(text) == shown


def test_every_screen_export_and_report_masks_a_number_in_the_text(cli, workspace, clock):
    october_site(workspace.root)
    clock.set("2026-10-05T21:00:00+08:00")
    made = cli(*call_flags("张三", "3-2-501", "13812345678", f"请回电到儿子手机 {SON}",
                           "--callback-by", "2026-10-05 20:00", "--staff", "zhangwei",
                           "--at", "2026-10-05 09:00"))
    assert made.exit_code == 0, made.stderr
    record_id = made.stdout.strip()
    handed = cli("handover", "--staff", "zhangwei", "--to", "lina", "--note",
                 f"张三的儿子 {SON} 晚上回电", "--at", "2026-10-05 19:50")
    assert handed.exit_code == 0, handed.stderr
    handover_id = handed.stdout.split()[0]
    outputs = {
        "list": cli("list", "--all"), "list csv": cli("list", "--all", "-f", "csv"),
        "list json": cli("list", "--all", "-f", "json"),
        "show": cli("show", record_id), "show json": cli("show", record_id, "-f", "json"),
        "search": cli("search", "1398765"), "callbacks": cli("callback", "list", "--wide"),
        "handover": handed, "handover show": cli("handover", "show", handover_id),
        "handover json": cli("handover", "show", handover_id, "-f", "json"),
        "daily": cli("report", "daily", "--date", "2026-10-05"),
        "daily json": cli("report", "daily", "--date", "2026-10-05", "-f", "json"),
        "again": cli(*call_flags("张三", "3-2-501", "13812345678", "再问", "--at",
                                 "2026-10-05 20:30")),
    }
    for name, result in outputs.items():
        assert result.exit_code in (0, 1), (name, result.stderr)  # a report's overdue: 1
        said = result.stdout + result.stderr
        assert SON not in said, name
    for name in ("list csv", "list json", "show", "show json", "search", "callbacks",
                 "handover", "handover json", "daily", "daily json", "again"):
        said = outputs[name].stdout + outputs[name].stderr
        assert SON_MASKED in said, (name, said)
    # the note the handover carries, and the number shown whole when asked
    assert f"张三的儿子 {SON_MASKED} 晚上回电" in outputs["handover show"].stdout
    shown = json.loads(cli("list", "--all", "-f", "json", "--show-phone").stdout)
    assert any(SON in row["text"] for row in shown)


@pytest.mark.parametrize("typed, digits", [
    ("0571—88886666", "057188886666"),  # an input method's dash
    ("(0571)88886666", "057188886666"),  # the area code in brackets
    ("138.1234.5678", "13812345678"),
    ("１３８－１２３４－５６７８", "13812345678"),
])
def test_a_number_written_as_clerks_write_it_is_taken_at_filing_as_caller_takes_it(
        cli, workspace, clock, typed, digits):
    """`来电人` took `0571—88886666` (an input method's dash), `(0571)88886666` and
    `138.1234.5678`; filing refused them as no phone number."""
    from dutyctl.schema import phone_digits

    made = cli(*call_flags("王五", "3-1-101", typed, "问物业费", "--at", "2026-10-12 09:00"))
    assert made.exit_code == 0, made.stderr
    shown = json.loads(cli("show", made.stdout.strip(), "-f", "json", "--show-phone").stdout)
    assert phone_digits(shown["resident"]["phone"]) == digits
    found = cli("caller", typed, "-f", "json")
    assert found.exit_code == 0, found.stderr
    assert made.stdout.strip() in found.stdout


def test_search_reads_a_room_as_residents_write_it_and_says_why_digits_find_nothing(
        cli, workspace, clock):
    """`查找 3栋2单元501室` found nothing where `查找 3-2-501` found the records at that room
    (every other command reads a room in any spelling); a text that writes the room so is
    still found by it. Digits alone (a phone) find nothing, and the line says where phones are
    looked up instead of a bare "no record matches"."""
    at_room = cli(*call_flags("张三", "3-2-501", "13812345678", "问物业费", "--at",
                              "2026-10-12 09:00")).stdout.strip()
    about = cli(*call_flags("李四", "3-2-401", "13812345679", "楼上3栋2单元501室漏水",
                            "--at", "2026-10-12 09:05")).stdout.strip()
    found = json.loads(cli("search", "3栋2单元501室", "-f", "json").stdout)
    assert sorted(row["id"] for row in found) == sorted([at_room, about])
    dated = cli(*call_flags("王五", "2-1-301", "13812345670", "约好2026-10-14上门修", "--at",
                            "2026-10-12 09:10")).stdout.strip()
    # a date is no room nor phone: searched as typed, the text that has it found once
    assert [row["id"] for row in json.loads(cli("search", "2026-10-14", "-f", "json").stdout)
            ] == [dated]
    digits = cli("search", "5678")
    assert digits.exit_code == 0
    assert "phone numbers are not searched" in digits.stdout + digits.stderr


def test_a_number_in_a_steps_own_text_is_masked_in_show_json(cli, workspace, clock):
    """`--told-resident "…13911112222"` was whole in `show -f json` (the table masked it)."""
    filed = cli("complaint", "file", "--name", "王五", "--room", "2-1-301", "--phone",
                "13800000002", "--category", "noise", "--content", "楼上装修噪音", "--at",
                "2026-10-12 09:00")
    record_id = filed.stdout.strip()
    moved = cli("complaint", "transfer", record_id, "--to", "engineering", "--reason", "设备",
                "--told-resident", "已告知，工程部会打 13911112222 联系", "--at",
                "2026-10-12 09:10")
    assert moved.exit_code == 0, moved.stderr
    for fmt in ("json", "yaml"):
        shown = cli("show", record_id, "-f", fmt).stdout
        assert "13911112222" not in shown and "139****2222" in shown, shown


@pytest.mark.parametrize("written, said", [
    ("13911112222\n", "expected fields written as 'key: value', one a line, not "
                      "'139****2222'"),
    ("电话：13911112222\n", "'电话：139****2222': a full-width colon"),
])
def test_a_record_file_of_one_line_is_quoted_with_its_number_masked(cli, workspace, written,
                                                                   said):
    """`check` quotes what a file of one line says: the number stood whole in the problem
    (and in the "skipped:" line every command prints about the file)."""
    odd = workspace.root / "records" / "2026" / "10" / "07" / "01AAAAAAAAAAAAAAAAAAAAAAAA.yaml"
    odd.parent.mkdir(parents=True, exist_ok=True)
    odd.write_text(written, encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 1
    assert "13911112222" not in checked.stdout + checked.stderr
    assert said in checked.stdout, checked.stdout


@pytest.mark.parametrize("field, said", [
    ("category: fee", "category: '139****2222' is not a call category of this site"),
    ("kind: call", "kind: '139****2222' is not one of"),
    ("phone: '13812345678'", "Chinese quotation marks around it"),
])
def test_a_value_not_among_the_choices_is_quoted_with_its_number_masked(cli, workspace,
                                                                       clock, field, said):
    """A record's category or kind written as a number (pasted into the wrong field)."""
    filed = cli(*call_flags(), "--category", "fee", "--at", "2026-10-12 09:00").stdout.strip()
    (path,) = (workspace.root / "records").rglob(f"{filed}.yaml")
    text = path.read_text(encoding="utf-8")
    key = field.split(":")[0]
    value = "“13911112222”" if key == "phone" else "'13911112222'"
    path.write_text(text.replace(field, f"{key}: {value}"), encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 1
    assert "13911112222" not in checked.stdout + checked.stderr
    assert said in checked.stdout, checked.stdout
