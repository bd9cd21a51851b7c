"""A value typed for a record or a resident that names several is refused listing them the one
way (`choices.several`: the first few, then how many more), whether it names open records
(tickets.find) or residents (callers); a phone number is recognised the one way too
(`schema.phone_typed`)."""

from __future__ import annotations

from dutyctl import choices
from dutyctl.schema import phone_typed


def test_records_and_residents_named_several_times_are_listed_alike(cli, clock, monkeypatch):
    clock.set("2026-11-20T12:00:00+08:00")
    monkeypatch.setattr(choices, "SEVERAL_SHOWN", 2)
    for number, phone in enumerate(("13812345678", "13912345678", "13712345678")):
        filed = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone", phone,
                    "--content", f"水管漏水{number}", "--at", f"2026-11-20 09:0{number}")
        assert filed.exit_code == 0, filed.output
        added = cli("resident", "add", "--name", "张三", "--room", f"3-2-50{number + 1}",
                    "--phone", phone)
        assert added.exit_code == 0, added.output
    records = cli("repair", "arrive", "3-2-501")
    assert records.exit_code == 2
    assert "names 3 open records: " in records.stderr and "and 1 more;" in records.stderr, (
        records.stderr)
    residents = cli("resident", "edit", "张三", "--note", "业主")
    assert residents.exit_code == 2
    assert "names 5 residents: " in residents.stderr and "and 3 more;" in residents.stderr, (
        residents.stderr)
    assert "另有 1 项未列出" in cli("--lang", "zh_CN", "repair", "arrive", "3-2-501").stderr


def test_a_phone_is_recognised_as_typed_at_the_desk():
    assert phone_typed("138 1234 5678") and phone_typed("１３８１２３４５６７８")
    assert phone_typed("+86 138-1234-5678")
    assert not phone_typed("3-2-501") and not phone_typed("张三") and not phone_typed("110")
