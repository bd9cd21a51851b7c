"""A long place (up to the 100 characters a room may have) is never cut on a desk's screens: a
clerk sends someone there. `list`, `search` and `repair schedule` keep it whole however narrow
the terminal (other columns give way; --wide keeps every column), and `show` says it whole."""

from __future__ import annotations

PLACE = "地下车库B2层东侧消防通道旁边的配电间门口往北十米处的公共照明配电箱"


def test_a_long_place_is_whole_in_list_search_and_show(cli, clock, monkeypatch):
    clock.set("2026-11-20T12:00:00+08:00")
    filed = cli("repair", "file", "--name", "张三", "--room", PLACE, "--phone", "13812345678",
                "--content", "通道灯坏了，整条通道很暗，需要尽快更换灯管", "--at",
                "2026-11-20 09:00")
    assert filed.exit_code == 0, filed.output
    ticket = filed.stdout.strip().splitlines()[-1]
    monkeypatch.setenv("COLUMNS", "60")
    for command in (("list",), ("--lang", "zh_CN", "list"), ("search", "灯管")):
        shown = cli(*command)
        assert shown.exit_code == 0, shown.output
        assert PLACE in shown.stdout, (command, shown.stdout)
    assert PLACE in cli("show", ticket).stdout


def test_a_long_place_of_a_recurring_job_is_whole_in_repair_schedule(cli, clock, workspace,
                                                                     monkeypatch):
    clock.set("2026-11-20T12:00:00+08:00")
    config = workspace.root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert "    where: 地下泵房\n" in text
    config.write_text(text.replace("    where: 地下泵房\n", f"    where: {PLACE}\n"),
                      encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "60")
    shown = cli("repair", "schedule", "--dry-run", "--until", "2026-11-20")
    assert shown.exit_code == 0, shown.output
    assert PLACE in shown.stdout, shown.stdout
