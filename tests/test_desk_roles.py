"""Which role answers the desk and which takes repairs is configuration (`desk:` in
dutyctl.yaml), not the ids `service`/`technician` written into the code: a site whose roles
have other ids (Chinese ones too) gets the same behaviour."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

from dutyctl.config import DEFAULT_CLERK_ROLE, DEFAULT_DISPATCH_ROLE
from dutyctl.desk.rostered import on_duty
from dutyctl.desk.rostered import moment_and_chain
from dutyctl.tickets.lifecycle import technician_on_duty
from dutyctl.workspace import Workspace
from tests.helpers_desk import write_roster

CST = timezone(timedelta(hours=8))
NINE = datetime(2026, 10, 9, 9, 0, tzinfo=CST)
ROLES = "roles: {前台: 前台客服, 工程: 工程维修, service: 客服专员, technician: 维修工}\n"
DESK = "desk: {clerk_role: 前台, dispatch_role: 工程}\n"
RULES = """\
timezone: Asia/Shanghai
shifts:
  - {id: day, name: 白班, start: "08:00", end: "20:00", days: daily,
     need: {technician: 1, service: 1, 工程: 1, 前台: 1}}
staff:
  - {id: liuyang, name: 刘洋, roles: [technician]}
  - {id: zhangwei, name: 张伟, roles: [service]}
  - {id: wangqiang, name: 王强, roles: [工程]}
  - {id: lina, name: 李娜, roles: [前台]}
"""
# listed in the order the default roles would pick first: a technician, then a service clerk
DAY = [("2026-10-09", "day", "liuyang", "technician"), ("2026-10-09", "day", "zhangwei", "service"),
       ("2026-10-09", "day", "wangqiang", "工程"), ("2026-10-09", "day", "lina", "前台")]


def site(root, desk: str = DESK) -> Workspace:
    config = root / "dutyctl.yaml"
    text = re.sub(r"(?m)^desk: .*\n", "", config.read_text("utf-8"))  # the template's defaults
    text = re.sub(r"(?m)^roles:\n(?:  .*\n)+", lambda _: ROLES + desk, text)
    config.write_text(text, encoding="utf-8")
    (root / "rosters" / "rules.yaml").write_text(RULES, encoding="utf-8")
    write_roster(root, "2026-10-01", "2026-10-31", DAY)
    return Workspace(root)


def test_the_desk_and_dispatch_roles_come_from_the_desk_section(workspace):
    configured = site(workspace.root)
    assert (configured.config.clerk_role, configured.config.dispatch_role) == ("前台", "工程")
    assert on_duty(configured, NINE)[0] == "lina"
    assert technician_on_duty(configured, NINE, *moment_and_chain(configured, NINE)) == "wangqiang"


def test_without_a_desk_section_the_roles_are_service_and_technician(workspace):
    default = site(workspace.root, desk="")
    assert (DEFAULT_CLERK_ROLE, DEFAULT_DISPATCH_ROLE) == ("service", "technician")
    assert (default.config.clerk_role, default.config.dispatch_role) == ("service", "technician")
    assert on_duty(default, NINE)[0] == "zhangwei"
    assert technician_on_duty(default, NINE, *moment_and_chain(default, NINE)) == "liuyang"


def test_the_cli_records_the_configured_clerk_and_dispatches_to_the_configured_role(workspace,
                                                                                   cli):
    site(workspace.root)
    filed = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                "--summary", "物业费怎么交", "--at", "2026-10-09 09:00", user=None)
    assert filed.exit_code == 0, filed.stderr
    call = json.loads(cli("show", filed.stdout.split()[-1], "--format", "json").stdout)
    assert call["recorded_by"] == "lina"
    repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--content", "水管漏水", "--at", "2026-10-09 09:10")
    assert repair.exit_code == 0, repair.stderr
    repair_id = repair.stdout.split()[-1]
    sent = cli("repair", "dispatch", repair_id, "--at", "2026-10-09 09:15")
    assert sent.exit_code == 0, sent.stderr
    shown = json.loads(cli("show", repair_id, "--format", "json").stdout)
    assert shown["history"][0]["to"] == "wangqiang"


def test_a_desk_role_the_site_does_not_have_is_refused_at_its_line(workspace, cli):
    site(workspace.root, desk="desk: {clerk_role: 保安, dispatch_role: 工程}\n")
    result = cli("check")
    assert result.exit_code != 0
    line = next(number for number, text in enumerate(
        (workspace.root / "dutyctl.yaml").read_text("utf-8").splitlines(), 1)
        if text.startswith("desk:"))
    assert re.search(rf"dutyctl\.yaml:{line}: .*'保安' is not one of: 前台客服 \(前台\), "
                     r"工程维修 \(工程\), 客服专员 \(service\), 维修工 \(technician\)",
                     result.stderr + result.stdout)
    assert "Traceback" not in result.stderr


def test_dispatch_names_the_configured_role_when_nobody_has_it(workspace, cli):
    site(workspace.root)
    repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--content", "水管漏水", "--at", "2026-10-09 21:00")
    assert repair.exit_code == 0, repair.stderr
    repair_id = repair.stdout.split()[-1]
    night = ("repair", "dispatch", repair_id, "--at", "2026-10-09 21:05")
    refused = cli(*night)
    assert refused.exit_code == 2
    assert ("no roster has a 工程维修 on duty or on call at 2026-10-09 21:05: pass --to STAFF"
            in refused.stderr)  # the role's configured name, the desk's time
    assert "排班表中 2026-10-09 21:05 没有当班或备班的工程维修" in cli("--lang", "zh_CN", *night).stderr


def test_dispatch_reads_the_roster_once(workspace, cli, monkeypatch):
    from dutyctl.roster import onduty

    site(workspace.root)
    repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--content", "水管漏水", "--at", "2026-10-09 09:10")
    reads, real = [], onduty.rosters_between
    monkeypatch.setattr(onduty, "rosters_between",
                        lambda *args: reads.append(args) or real(*args))
    sent = cli("repair", "dispatch", repair.stdout.split()[-1], "--at", "2026-10-09 09:15")
    assert sent.exit_code == 0, sent.stderr
    assert sent.stdout.endswith("dispatched to 王强\n")  # the name alone: one 王强
    assert len(reads) == 1


TWO_TECHNICIANS = RULES.replace("technician: 1,", "technician: 2,") + (
    "  - {id: gaofeng, name: 高峰, roles: [technician]}\n")


def two_technicians_on_10_09(workspace, cli):
    """liuyang and gaofeng both on 2026-10-09's day shift; `dispatched(at)` files a repair at
    `at` and dispatches it without --to, giving the dispatch's result."""
    site(workspace.root, desk="")
    (workspace.root / "rosters" / "rules.yaml").write_text(TWO_TECHNICIANS, encoding="utf-8")
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 DAY + [("2026-10-09", "day", "gaofeng", "technician")])

    def dispatched(at: str):
        repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                     "13812345678", "--content", "水管漏水", "--at", at)
        assert repair.exit_code == 0, repair.stderr
        sent = cli("repair", "dispatch", repair.stdout.split()[-1], "--at", at)
        assert sent.exit_code == 0, sent.stderr
        return sent
    return dispatched


def test_dispatch_prefers_the_rostered_technician_who_clocked_in(workspace, cli):
    dispatched = two_technicians_on_10_09(workspace, cli)

    # nobody clocked in: the first rostered is sent all the same, and the desk is told
    sent = dispatched("2026-10-09 08:10")
    first = sent.stdout.split()[-1]
    assert first in ("刘洋", "高峰"), sent.stdout
    assert sent.stderr.splitlines() == [
        f"{first} is rostered on site at 2026-10-09 08:10 but has not clocked in: sent all the "
        "same, make sure they are there"], sent.stderr
    other = {"刘洋": "liuyang", "高峰": "gaofeng"}
    other.pop(first)
    (other_name, other_id), = other.items()
    clocked = cli("clock", "in", "--staff", other_id, "--at", "2026-10-09 08:20")
    assert clocked.exit_code == 0, clocked.stderr
    sent = dispatched("2026-10-09 08:30")
    assert sent.stdout.endswith(f"dispatched to {other_name}\n") and sent.stderr == "", (
        sent.stdout, sent.stderr)


def test_a_clock_out_forgotten_days_ago_is_not_someone_here_now(workspace, cli):
    """A technician clocked in on 10-07 and never out is not "clocked in" for 10-09's shift:
    the desk is warned about the first rostered instead of sending the stale one silently."""
    dispatched = two_technicians_on_10_09(workspace, cli)

    first = dispatched("2026-10-09 08:10").stdout.split()[-1]
    other_id = {"刘洋": "gaofeng", "高峰": "liuyang"}[first]
    stale = cli("clock", "in", "--staff", other_id, "--at", "2026-10-07 08:00")
    assert stale.exit_code == 0, stale.stderr
    sent = dispatched("2026-10-09 08:30")
    assert sent.stdout.endswith(f"dispatched to {first}\n"), sent.stdout
    assert "has not clocked in" in sent.stderr, sent.stderr
    # open, but its clock-out forgotten: nobody on site by it
    from dutyctl.desk.clocking import on_site_at, window
    from dutyctl.desk.rostered import chain_slots
    from dutyctl.timeutil import zone

    moment = datetime(2026, 10, 9, 8, 30, tzinfo=zone("Asia/Shanghai"))
    assert other_id in {record.get("staff") for record in
                        workspace.store.open_at(("duty",), moment).records}
    assert on_site_at(workspace.store, moment, window(workspace.config),
                      chain_slots(workspace, moment)) == set()


DOUBLE_SHIFT_RULES = """\
timezone: Asia/Shanghai
shifts:
  - {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {technician: 2}}
  - {id: night, name: 夜班, start: "20:00", end: "08:00", days: daily, need: {technician: 2}}
staff:
  - {id: liuyang, name: 刘洋, roles: [technician]}
  - {id: wangqiang, name: 王强, roles: [technician]}
  - {id: zhangwei, name: 张伟, roles: [service, supervisor]}
"""


def test_a_technician_on_the_night_of_a_double_shift_is_the_one_sent(workspace, cli, clock):
    """王强 clocked in at 07:55 for the day and stays on through the night (连班, one
    clock-in); 刘洋, rostered on the night too, never came. A dispatch at 23:00 asked the
    clock-ins for the night's slot alone: 王强 "not clocked in", 刘洋 sent with a warning to
    make sure he is there. It asks the one chain, as `who` does (王强 here, 刘洋 not)."""
    from tests.helpers_desk import ok

    (workspace.rosters_dir / "rules.yaml").write_text(DOUBLE_SHIFT_RULES, encoding="utf-8")
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [("2026-10-05", "day", "wangqiang", "technician"),
                  ("2026-10-05", "night", "liuyang", "technician"),
                  ("2026-10-05", "night", "wangqiang", "technician")])
    clock.set("2026-10-05T23:00:00+08:00")
    ok(cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-05 07:55"))
    repair = ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                    "13812345678", "--content", "水管漏水", "--at", "2026-10-05 22:55"))
    sent = cli("repair", "dispatch", repair.stdout.split()[-1])
    assert sent.exit_code == 0, sent.stderr
    assert sent.stdout.endswith("dispatched to 王强\n") and sent.stderr == "", (
        sent.stdout, sent.stderr)
    who = json.loads(ok(cli("who", "-f", "json")).stdout)["on_duty"]
    assert {row["staff"]: row["clocked_in"] for row in who} == {"liuyang": False,
                                                                 "wangqiang": True}
    # recorded the next morning, after he clocked out: the duty as it stood at 23:30
    clock.set("2026-10-06T09:00:00+08:00")
    ok(cli("clock", "out", "--staff", "wangqiang", "--at", "2026-10-06 08:05",
           "--no-handover", "--reason", "补记"))
    repair = ok(cli("repair", "file", "--name", "李四", "--room", "3-2-502", "--phone",
                    "13812345679", "--content", "灯不亮", "--at", "2026-10-05 23:25"))
    sent = cli("repair", "dispatch", repair.stdout.split()[-1], "--at", "2026-10-05 23:30")
    assert sent.stdout.endswith("dispatched to 王强\n") and sent.stderr == "", (
        sent.stdout, sent.stderr)


def test_who_and_a_dispatch_agree_on_a_duty_clocked_out_after_the_moment(workspace, cli, clock):
    """刘洋's clock-out is recorded for 12:00 (another desk's clock ahead; a clock-out filed
    later) and the moment asked is 11:00: his duty was open then. `who` read the duties open
    now (by their status: clocked out, not here) and a dispatch those open then (here): one
    screen said he had not clocked in while the dispatch sent him without a word. Both ask
    `desk.clocking.on_site_at` now; after 12:00 both see him gone."""
    from tests.helpers_desk import ok

    (workspace.rosters_dir / "rules.yaml").write_text(DOUBLE_SHIFT_RULES, encoding="utf-8")
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [("2026-10-05", "day", "liuyang", "technician")])
    clock.set("2026-10-05T12:00:00+08:00")
    ok(cli("clock", "in", "--staff", "liuyang", "--at", "2026-10-05 07:55"))
    ok(cli("clock", "out", "--staff", "liuyang", "--at", "2026-10-05 12:00",
           "--no-handover", "--reason", "外出"))

    def both_at(now: str) -> tuple[bool, str]:
        clock.set(now)
        who = json.loads(ok(cli("who", "-f", "json")).stdout)["on_duty"]
        repair = ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                        "13812345678", "--content", "水管漏水"))
        sent = ok(cli("repair", "dispatch", repair.stdout.split()[-1]))
        assert sent.stdout.endswith("dispatched to 刘洋\n"), sent.stdout
        return {row["staff"]: row["clocked_in"] for row in who}["liuyang"], sent.stderr

    here, warned = both_at("2026-10-05T11:00:00+08:00")
    assert (here, warned) == (True, ""), (here, warned)
    here, warned = both_at("2026-10-05T12:30:00+08:00")
    assert not here and "has not clocked in" in warned, (here, warned)
