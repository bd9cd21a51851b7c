"""A handover to several people (a day shift has a clerk and a technician): each accepts for
themselves, and the handover is accepted when the last of them has (issue 15)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from dutyctl import queries

from dutyctl.store import ids
from dutyctl.check import check_workspace
from dutyctl.kinds.handover import ACCEPTED, HANDOVER, PENDING
from dutyctl.records import Event, Record
from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli, run_dutyctl
from tests.helpers_desk import ok, printed_ids, record_files, write_desk_rules, write_roster
from tests.helpers_foundation import git

CST = timezone(timedelta(hours=8))
# 10-05: zhangwei day, lina night; 10-06 day: sunli (clerk) and wangqiang (technician)
ROSTER = [("2026-10-05", "day", "zhangwei"), ("2026-10-05", "night", "lina"),
          ("2026-10-06", "day", "sunli"), ("2026-10-06", "day", "wangqiang", "technician"),
          ("2026-10-06", "night", "zhangwei")]


def two_person_site(root: Path) -> Path:
    write_desk_rules(root)
    return write_roster(root, "2026-10-01", "2026-10-31", ROSTER)


@pytest.fixture
def site(workspace):
    two_person_site(workspace.root)
    return workspace


def written(result) -> str:
    return printed_ids(ok(result).stdout)[0]


def at(hour: int, minute: int = 0, day: int = 6) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=CST)


# -- the kind itself: one transitions table decides status and closed_at -----------------------

def handover(to, *accepts) -> Record:
    """A handover with accept events (by, minute after 08:00, instead_of or None)."""
    events = tuple(Event(f"E{n}", "H", at(8, minute), by, "accept",
                         data={"instead_of": instead} if instead else {})
                   for n, (by, minute, instead) in enumerate(accepts))
    return Record("H", "handover", at(7, 50), "lina", {"from": "lina", "to": to}, events)


def test_accepted_only_when_the_last_named_person_has_accepted():
    none = handover(["sunli", "wangqiang"])
    one = handover(["sunli", "wangqiang"], ("sunli", 1, None))
    both = handover(["sunli", "wangqiang"], ("sunli", 1, None), ("wangqiang", 7, None))
    assert [record.status for record in (none, one, both)] == [PENDING, PENDING, ACCEPTED]
    assert queries.closed_at(one) is None
    assert queries.closed_at(both) == at(8, 7)  # the last signature, not the first
    assert queries.is_open(one) and not queries.is_open(both)
    assert ACCEPTED in HANDOVER.statuses()


def test_one_recipient_as_old_files_wrote_it_and_signatures_that_count_for_nobody():
    assert handover("sunli", ("sunli", 3, None)).status == ACCEPTED  # `to: sunli`, no list
    twice = handover(["sunli", "wangqiang"], ("sunli", 1, None), ("sunli", 2, None))
    stranger = handover(["sunli", "wangqiang"], ("sunli", 1, None), ("zhangwei", 2, None))
    assert (twice.status, stranger.status) == (PENDING, PENDING)
    stood_in = handover(["sunli", "wangqiang"], ("sunli", 1, None),
                        ("zhangwei", 9, "wangqiang"))
    assert stood_in.status == ACCEPTED and queries.closed_at(stood_in) == at(8, 9)


# -- writing: everyone on the next shift by default, or as named ------------------------------

def test_the_default_recipients_are_everyone_on_the_next_shift(cli, site):
    ok(cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 19:55"))
    made = ok(cli("handover", "--staff", "lina", "--note", "钥匙在抽屉",
                  "--at", "2026-10-06 07:45"))
    record = site.store.get(printed_ids(made.stdout)[0])
    assert list(record.get("to")) == ["sunli", "wangqiang"]  # clerk and technician
    assert "-> 孙丽, 王强" in made.stderr


@pytest.mark.parametrize("to", [("--to", "sunli", "--to", "wangqiang"),
                                ("--to", "sunli,wangqiang"), ("--to", "孙丽，王强"),
                                ("--to", "孙丽、王强", "--to", "sunli")])
def test_several_recipients_by_id_or_name_repeated_or_listed(cli, site, to):
    made = cli("handover", "--staff", "lina", *to, "--at", "2026-10-06 07:45")
    assert list(site.store.get(written(made)).get("to")) == ["sunli", "wangqiang"]


def test_refusals_name_the_problem_and_write_nothing(cli, site):
    files = record_files(site.root)
    unknown = cli("handover", "--staff", "lina", "--to", "sunli,ghost",
                  "--at", "2026-10-06 07:45")
    assert unknown.exit_code == 2 and "ghost" in unknown.stderr
    itself = cli("handover", "--staff", "lina", "--to", "sunli,lina", "--at", "2026-10-06 07:45")
    assert itself.exit_code == 2 and "themselves" in itself.stderr
    nobody = cli("handover", "--staff", "lina", "--at", "2026-10-20 07:45")  # no roster then
    assert nobody.exit_code == 2 and "--to" in nobody.stderr
    assert record_files(site.root) == files


# -- accepting: each for themselves ------------------------------------------------------------

def test_each_accepts_for_themselves_and_the_last_completes_it(cli, site):
    handover_id = written(cli("handover", "--staff", "lina", "--at", "2026-10-06 07:45"))

    first = ok(cli("handover", "accept", "--staff", "sunli", "--at", "2026-10-06 07:52"))
    assert first.stdout.split()[0] == handover_id
    assert "still waiting for 王强" in first.stderr
    record = site.store.get(handover_id)
    assert (record.status, queries.closed_at(record)) == (PENDING, None)
    pending = json.loads(ok(cli("handover", "pending", "--format", "json")).stdout)
    assert [(row["to"], row["accepted"], row["waiting"]) for row in pending] == [
        (["sunli", "wangqiang"], ["sunli"], ["wangqiang"])]
    table = ok(cli("handover", "pending")).stdout
    assert "孙丽" in table and "王强" in table and "sunli" not in table  # names, not ids
    shown = ok(cli("handover", "show", handover_id)).stdout
    assert "accepted by 孙丽 at 2026-10-06 07:52; still waiting for 王强" \
        in shown
    assert ok(cli("list", "--open", "--kind", "handover", "--format", "json")).stdout.count(
        handover_id) == 1  # the index says open
    waiting = json.loads(ok(cli("handover", "pending", "--to", "王强", "--format",
                                "json")).stdout)
    assert [row["id"] for row in waiting] == [handover_id]
    assert json.loads(ok(cli("handover", "pending", "--to", "sunli", "--format",
                             "json")).stdout) == []

    files = record_files(site.root)
    again = cli("handover", "accept", handover_id, "--staff", "sunli", "--at", "2026-10-06 07:53")
    assert again.exit_code == 2 and "孙丽 already accepted handover" in again.stderr
    assert "(at 2026-10-06 07:52)" in again.stderr
    stranger = cli("handover", "accept", handover_id, "--staff", "zhangwei",
                   "--at", "2026-10-06 07:53")
    assert stranger.exit_code == 2 and (
        "is for 孙丽, 王强, not 张伟" in stranger.stderr)
    assert record_files(site.root) == files

    last = ok(cli("handover", "accept", "--staff", "wangqiang", "--at", "2026-10-06 08:05"))
    assert "accepted by everyone" in last.stderr
    record = site.store.get(handover_id)
    assert (record.status, queries.closed_at(record)) == (ACCEPTED, at(8, 5))
    assert [(event.by, event.action) for event in record.events] == [
        ("sunli", "accept"), ("wangqiang", "accept")]
    assert json.loads(ok(cli("handover", "pending", "--format", "json")).stdout) == []
    assert handover_id not in ok(cli("list", "--open", "--kind", "handover")).stdout
    document = json.loads(ok(cli("handover", "show", handover_id, "--format", "json")).stdout)
    assert [row["staff"] for row in document["acceptances"]] == ["sunli", "wangqiang"]
    assert document["waiting"] == [] and document["accepted"].startswith("2026-10-06T08:05")


def test_someone_accepting_instead_of_an_absent_person(cli, site):
    handover_id = written(cli("handover", "--staff", "lina", "--at", "2026-10-06 07:45"))
    ok(cli("handover", "accept", "--staff", "sunli", "--at", "2026-10-06 07:52"))
    for_self = cli("handover", "accept", handover_id, "--staff", "sunli",
                   "--instead-of", "sunli", "--at", "2026-10-06 07:53")
    assert for_self.exit_code == 2
    stood_in = ok(cli("handover", "accept", "--staff", "zhangwei", "--instead-of", "王强",
                      "--at", "2026-10-06 08:10"))
    assert stood_in.stdout.split()[0] == handover_id  # the one waiting for 王强
    event = site.store.get(handover_id).events[-1]
    assert (event.by, event.data["instead_of"]) == ("zhangwei", "wangqiang")
    assert site.store.get(handover_id).status == ACCEPTED
    shown = ok(cli("handover", "show", handover_id)).stdout
    assert "王强 at 2026-10-06 08:10 (by 张伟 instead)" in shown
    history = ok(cli("show", handover_id)).stdout
    assert "accepted for: 王强" in history and "instead_of" not in history


def test_clock_in_names_the_handover_waiting_only_for_those_still_to_accept(cli, site):
    handover_id = written(cli("handover", "--staff", "lina", "--at", "2026-10-06 07:45"))
    ok(cli("handover", "accept", "--staff", "sunli", "--at", "2026-10-06 07:50"))
    technician = ok(cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-06 07:55"))
    assert handover_id[:8] in technician.stderr and "waits for you" in technician.stderr
    clerk_again = ok(cli("clock", "in", "--staff", "sunli", "--at", "2026-10-06 07:56"))
    assert "waits for you" not in clerk_again.stderr


def test_a_clock_in_recorded_late_names_no_handover_written_after_it(cli, site):
    """The day clerk's clock-in, typed later with --at 07:40, came before the night's
    handover of 07:45: it cannot have been waiting for them then."""
    written(cli("handover", "--staff", "lina", "--at", "2026-10-06 07:45"))
    earlier = ok(cli("clock", "in", "--staff", "sunli", "--at", "2026-10-06 07:40"))
    assert "waits for you" not in earlier.stderr


def test_clock_out_asks_for_a_handover_to_the_whole_next_shift(cli, site, monkeypatch):
    ok(cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 19:55"))
    refused = cli("clock", "out", "--staff", "lina", "--at", "2026-10-06 08:00")
    assert refused.exit_code == 2
    assert "孙丽, 王强 take over" in refused.stderr
    assert "dutyctl handover --to 孙丽,王强" in refused.stderr
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    # write it now? yes; to whom? (default: both); no notes
    result = ok(cli("clock", "out", "--staff", "lina", "--at", "2026-10-06 08:00",
                    input="y\n\n\n"))
    duty_id, handover_id = printed_ids(result.stdout)
    assert list(site.store.get(handover_id).get("to")) == ["sunli", "wangqiang"]
    assert site.store.get(duty_id).events[-1].data["handover"] == handover_id


def test_chinese_output_says_who_has_and_has_not_accepted(cli, site):
    handover_id = written(cli("handover", "--staff", "lina", "--at", "2026-10-06 07:45"))
    accepted = ok(cli("--lang", "zh_CN", "handover", "accept", "--staff", "sunli",
                      "--at", "2026-10-06 07:50"))
    assert "已接班确认：孙丽（2026-10-06 07:50）；尚未确认：王强" \
        in accepted.stderr
    shown = ok(cli("--lang", "zh_CN", "handover", "show", handover_id)).stdout
    assert "接班人：孙丽、王强" in shown
    assert "尚未确认：王强" in shown and "accepted" not in shown
    again = cli("--lang", "zh_CN", "handover", "accept", handover_id, "--staff", "sunli",
                "--at", "2026-10-06 07:51")
    assert again.exit_code == 2 and "已确认过交接" in again.stderr


# -- check: the file format ------------------------------------------------------------------

OLD_ID = ids.derived_id(at(7, 45), "an older desk's handover")


def handover_file(workspace: Workspace, to_line: str) -> Path:
    folder = workspace.root / "records" / "2026" / "10" / "06"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{OLD_ID}.yaml"
    path.write_text(f"id: {OLD_ID}\nkind: handover\nschema: 1\n"
                    "created_at: '2026-10-06T07:45:00+08:00'\nrecorded_by: lina\nfrom: lina\n"
                    f"{to_line}items: []\nnotes: []\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("to_line, message", [
    ("to: []\n", "to: names nobody"),
    ("to: [sunli, ghost]\n", "no staff member 'ghost'"),
    ("to: ghost\n", "no staff member 'ghost'"),
    ("to:\n  - sunli\n  - 3\n", "to[1]: expected text"),
])
def test_check_refuses_an_empty_list_and_unknown_staff_at_their_line(cli, site, to_line,
                                                                      message):
    path = handover_file(site, to_line)
    checked = cli("check")
    relative = path.relative_to(site.root)
    assert checked.exit_code != 0
    assert any(line.startswith(f"{relative}:") and message in line
               for line in checked.stdout.splitlines()), checked.stdout
    line = next(line for line in checked.stdout.splitlines() if message in line)
    assert int(line.split(":")[1]) >= 6  # the line of `to` (or its item), not the file's first


def test_a_one_person_file_written_before_lists_is_read_checked_and_accepted(cli, site):
    handover_file(site, "to: sunli\n")
    assert [str(problem) for problem in check_workspace(site)
            if "records/" in str(problem)] == []
    accepted = ok(cli("handover", "accept", "--staff", "sunli", "--at", "2026-10-06 07:50"))
    assert "accepted by everyone" in accepted.stderr
    assert site.store.get(OLD_ID).status == ACCEPTED


# -- reports and alerts: a partly accepted handover is still waiting ------------------------------

def test_reports_count_a_partly_accepted_handover_as_unaccepted_naming_who_is_missing(cli, site):
    handover_id = written(cli("handover", "--staff", "lina", "--at", "2026-10-06 07:45"))
    ok(cli("handover", "accept", "--staff", "sunli", "--at", "2026-10-06 07:50"))
    daily = ("report", "daily", "--date", "2026-10-06")
    report = json.loads(ok(cli(*daily, "--format", "json")).stdout)
    handovers = report["handovers"]
    assert (handovers["written"], handovers["accepted"]) == (1, 0)
    assert [(row["id"], row["waiting"]) for row in handovers["unaccepted"]] == [
        (handover_id[:len(row["id"])], ["wangqiang"]) for row in handovers["unaccepted"]]
    text = ok(cli(*daily)).stdout
    rows = [line for line in text.splitlines() if handover_id[:8] in line]
    assert rows and all("王强" in row for row in rows)  # the one not accepted yet, named
    assert any("孙丽" in row for row in rows)  # among those it is for
    ok(cli("handover", "accept", "--staff", "wangqiang", "--at", "2026-10-06 08:10"))
    handovers = json.loads(ok(cli(*daily, "--format", "json")).stdout)["handovers"]
    assert (handovers["accepted"], handovers["unaccepted"]) == (1, [])


# -- two desks, each accepting for themselves, syncing through git ------------------------------

def test_two_desks_each_accept_for_themselves_and_end_with_a_complete_handover(tmp_path):
    remote = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    front = tmp_path / "front-desk"
    init_workspace(front)  # its staff list names 孙丽 and 王强
    git(front, "remote", "add", "origin", str(remote))
    front_desk = Cli(front)
    handover_id = written(front_desk("handover", "--to", "孙丽,王强", "--note", "钥匙在抽屉",
                                     "--at", "2026-10-06 07:45", user="lina"))
    ok(front_desk("sync"))
    workshop = tmp_path / "workshop-desk"
    git(tmp_path, "clone", "-q", str(remote), str(workshop))
    workshop_desk = Cli(workshop)

    # each desk accepts for its own person before hearing from the other
    ok(front_desk("handover", "accept", "--at", "2026-10-06 07:52", user="sunli"))
    technician = ok(workshop_desk("handover", "accept", "--at", "2026-10-06 08:05",
                                  user="wangqiang"))
    assert "still waiting for 孙丽" in technician.stderr  # not synced yet
    ok(front_desk("sync"))
    ok(workshop_desk("sync"))
    ok(front_desk("sync"))

    for root in (front, workshop):
        record = Workspace(root).store.get(handover_id)
        assert (record.status, queries.closed_at(record)) == (ACCEPTED, at(8, 5)), root
        assert sorted(event.by for event in record.events) == ["sunli", "wangqiang"]
        assert [problem for problem in check_workspace(Workspace(root))
                if "records/" in str(problem)] == []  # no clash to settle
        shown = ok(Cli(root)("handover", "show", handover_id)).stdout
        assert "accepted by everyone" in shown
        assert json.loads(ok(Cli(root)("handover", "pending", "--format", "json")).stdout) == []


# -- through the console script's entry point (tests/entrypoint.py) --------------------------------

def test_a_handover_accepted_by_two_people_through_the_entry_point(workspace, dutyctl_forked):
    two_person_site(workspace.root)

    def run(*args, user):
        return run_dutyctl(dutyctl_forked, *args, root=workspace.root, user=user)

    assert run("clock", "in", "--at", "2026-10-05 19:55", user="lina").returncode == 0
    refused = run("clock", "out", "--at", "2026-10-06 08:00", user="lina")  # no TTY
    assert refused.returncode == 2 and "--to 孙丽,王强" in refused.stderr
    made = run("handover", "--note", "3号楼电梯异响", "--at", "2026-10-06 07:50", user="lina")
    assert made.returncode == 0, made.stderr
    handover_id = made.stdout.strip()
    assert run("clock", "out", "--at", "2026-10-06 08:00", user="lina").returncode == 0
    clerk = run("handover", "accept", "--clock-in", "--at", "2026-10-06 07:55", user="sunli")
    assert clerk.returncode == 0, clerk.stderr
    assert "still waiting for 王强" in clerk.stderr
    pending = run("handover", "pending", "--format", "json", user="sunli")
    assert [row["waiting"] for row in json.loads(pending.stdout)] == [["wangqiang"]]
    twice = run("handover", "accept", handover_id, "--at", "2026-10-06 07:58", user="sunli")
    assert twice.returncode == 2 and "already accepted" in twice.stderr
    assert "Traceback" not in twice.stderr
    technician = run("handover", "accept", "--at", "2026-10-06 08:02", user="wangqiang")
    assert technician.returncode == 0, technician.stderr
    assert "accepted by everyone" in technician.stderr
    shown = run("handover", "show", handover_id, "--format", "json", user="sunli")
    document = json.loads(shown.stdout)
    assert (document["status"], document["waiting"]) == ("accepted", [])
    assert [row["staff"] for row in document["acceptances"]] == ["sunli", "wangqiang"]
    checked = run("check", user="sunli")
    assert "records/" not in checked.stdout, checked.stdout


def test_show_names_the_giver_and_every_recipient_not_their_ids(cli, site):
    handover_id = written(cli("handover", "--staff", "lina", "--at", "2026-10-06 07:45"))
    shown = ok(cli("show", handover_id)).stdout
    fields = dict(line.split(": ", 1) for line in shown.splitlines() if ": " in line)
    assert fields["handed over by"] == "李娜"
    assert fields["handed over to"] == "孙丽, 王强"


def test_names_people_lists_several_staff_by_name_each_once(site):
    from dutyctl.names import Names

    names = Names.of(Workspace(site.root))
    zhangwei, lina = names.person("zhangwei"), names.person("lina")
    assert zhangwei != "zhangwei"  # the rules give a name: the line shows it, not the id alone
    assert names.people(["zhangwei", "lina", "zhangwei"]) == f"{zhangwei}, {lina}"
    assert names.people("lina") == lina  # a handover's `to` in a file older than lists
    assert names.people(("zhangwei", "nobody")) == f"{zhangwei}, nobody"
    assert names.people(None) == ""
