"""Rooms: the canonical form, the site's address scheme, refusals with a suggestion, and
`list --room` matching a building or unit through the index."""

from __future__ import annotations

from pathlib import Path

import json

import pytest

from dutyctl import queries, rooms

from dutyctl.store import yamlio
from dutyctl.config import parse_config
from dutyctl.errors import InputError
from dutyctl.rooms import normalise
from tests.conftest import run_dutyctl
from tests.helpers_foundation import call_flags, record_files

SCHEME = """
rooms:
  buildings:
    "3": {units: 2, floors: 6, rooms_per_floor: 2}
    "12": {units: 3, floors: 18, rooms_per_floor: 4}
    "A": {floors: 3, rooms_per_floor: 4}
  places: [3号楼电梯, 地下车库B2, 地下泵房, 商铺1-05]
"""


def with_scheme(root: Path, scheme: str = SCHEME) -> None:
    config = root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + scheme, encoding="utf-8")


def scheme_of(text: str = SCHEME) -> rooms.RoomScheme:
    config, problems = parse_config(yamlio.loads(
        Path("dutyctl/templates/dutyctl.yaml").read_text(encoding="utf-8") + text), "x.yaml")
    assert problems == []
    return config.rooms


@pytest.mark.parametrize("typed", ["3号楼2单元501", "3栋2单元501室", "3-2-501", "3幢2单元0501",
                                   "３－２－５０１", " 3 栋 2 单元 501 ", "3座2单元501号",
                                   "3#2-501", "3-2 501", "3-2\t501", "3 2 501"])
def test_every_spelling_of_a_room_becomes_one(typed):
    """(a blank between two digits separates parts: 3-2 501 was 3-2501, a room of building 3
    numbered 2501, said back as if typed so)"""
    assert normalise(typed) == "3-2-501"


@pytest.mark.parametrize("typed, canonical", [
    ("3号楼2单元", "3-2"), ("3栋", "3"), ("3栋电梯", "3号楼电梯"), ("A座1201", "A-1201"),
    ("a-301", "A-301"), ("地下车库B2", "地下车库B2"), ("商铺1-05", "商铺1-05"),
    ("全小区  消防栓", "全小区 消防栓"), ("12-3-1804", "12-3-1804")])
def test_units_buildings_and_places_have_one_spelling_too(typed, canonical):
    assert normalise(typed) == canonical


def test_the_scheme_knows_its_rooms_and_places():
    scheme = scheme_of()
    assert scheme.resolve("3栋2单元602室") == "3-2-602"
    assert scheme.resolve("A座304") == "A-304"
    assert scheme.resolve("3栋电梯") == "3号楼电梯"
    assert scheme.resolve(" 地下泵房 ") == "地下泵房"
    assert scheme.resolve("地下车库b2") == scheme.resolve("地下车库Ｂ２") == "地下车库B2"
    assert len(list(scheme.rooms())) == 2 * 6 * 2 + 3 * 18 * 4 + 3 * 4


@pytest.mark.parametrize("typed, suggestion", [
    ("3-2-503", "3-2-502"),      # no third room on a floor
    ("3-3-501", "3-2-501"),      # no unit 3
    ("3-2-701", "3-2-601"),      # no 7th floor
    ("A-305", "A-304"),
    ("13-3-1804", "12-3-1804"),  # no building 13: the closest one
    ("地下车库B3", "地下车库B2"),
])
def test_a_room_the_site_does_not_have_is_refused_with_the_nearest_one(typed, suggestion):
    with pytest.raises(InputError) as refused:
        scheme_of().resolve(typed)
    assert f"did you mean {suggestion}?" in str(refused.value)
    assert typed in str(refused.value)


@pytest.mark.parametrize("typed, meant", [
    ("3—2—501", "3-2-501"),       # the dash of a Chinese input method
    ("3–2–501", "3-2-501"),
    ("3/2/501", "3-2-501"),
    ("3.2.501", "3-2-501"),
    ("3-2-5O1", "3-2-501"),       # the letter O for a zero
    ("三号楼二单元501", "3-2-501"),  # Chinese numerals
    ("十二号楼三单元1804", "12-3-1804"),
])
def test_a_whole_room_typed_with_a_slip_is_that_room(typed, meant):
    """A whole room (building, unit, room) typed with a slip is the room meant, with a scheme
    and without one: stored, listed and found as it (without a scheme each spelling was a
    room of its own: four repairs of one window under four rooms, none under 3-2-501)."""
    assert scheme_of().resolve(typed) == meant
    assert rooms.normalise(typed) == meant == rooms.canonical(None, typed, home=True)


@pytest.mark.parametrize("typed", ["2026/12/04", "2026.1.5", "0571/88/123"])
def test_a_day_or_a_number_with_slashes_is_no_room(typed):
    """Undoing a slip reads a room of a short building part only: a day or a phone number's
    groups stay what was typed."""
    assert rooms.normalise(typed) == typed


@pytest.mark.parametrize("typed, meant", [
    ("3/2/701", "3-2-601"),       # a slip and a room the site has not: the nearest one
    ("3-2-50", "3-2-501"),        # a digit left out (was: 3-2-102, floor 0 brought up)
    ("3-2-5011", "3-2-501"),      # a digit typed twice
    ("A-30", "A-301"),
])
def test_a_clerk_s_slip_is_refused_with_the_room_meant(typed, meant):
    with pytest.raises(InputError) as refused:
        scheme_of().resolve(typed)
    assert f"did you mean {meant}?" in str(refused.value)
    assert typed in str(refused.value)


def test_a_room_with_nothing_near_says_how_a_room_is_written(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    for typed in ("9-1-101", "32501"):
        with pytest.raises(InputError) as refused:
            scheme_of().resolve(typed)
        assert str(refused.value) == (
            f"房号“{typed}”不在本小区的房号方案中（dutyctl.yaml 的 房号:）；请写成 楼-单元-房间，"
            "如 3-1-101，或写方案中列出的地点")


def test_a_scheme_of_places_only_names_its_places_for_a_room(monkeypatch, workspace, cli, clock):
    """A site whose scheme lists places and no building (`places:` alone): a room typed is
    refused with the places it has, not a made-up 3-2-501 to copy. Before, the nearest
    building was looked for among none and the call ended with the unexpected error (exit 3);
    nothing is written."""
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    scheme = scheme_of("rooms:\n  places: [地下泵房, 3号楼电梯]\n")
    for typed in ("3-2-501", "3号楼2单元501", "9-101"):
        with pytest.raises(InputError) as refused:
            scheme.resolve(typed)
        assert str(refused.value) == (
            f"房号“{typed}”不在本小区的房号方案中（dutyctl.yaml 的 房号:）：方案里没有楼栋，"
            "只列了地点：地下泵房、3号楼电梯")
    with pytest.raises(InputError) as refused:  # a place mistyped: the place meant
        scheme.resolve("地下泵方")
    assert str(refused.value).endswith("是不是 地下泵房？")
    # a scheme that lists nothing is none: rooms stay free text (every room was refused)
    assert scheme_of("rooms: {}\n") is None and scheme_of("rooms:\n  places: []\n") is None
    with_scheme(workspace.root, "rooms:\n  places: [地下泵房, 3号楼电梯]\n")
    result = cli(*call_flags(room="3-2-501"), "--at", "2026-10-12 09:00")
    assert result.exit_code == 2, result.output
    assert result.stderr == ("房号“3-2-501”不在本小区的房号方案中（dutyctl.yaml 的 房号:）：方案里"
                             "没有楼栋，只列了地点：地下泵房、3号楼电梯\n"), result.stderr
    assert record_files(workspace.root) == []
    assert cli(*call_flags(room="地下泵房"), "--at", "2026-10-12 09:10").exit_code == 0


@pytest.mark.parametrize("typed, said", [
    ("3号楼", "“3号楼”是整栋楼，不是房号：请写到具体房间，如 3-1-101"),
    ("3栋2单元", "“3栋2单元”是整个单元，不是房号：请写到具体房间，如 3-2-101"),
    ("A座", "“A座”是整栋楼，不是房号：请写到具体房间，如 A-101"),
])
def test_a_whole_building_or_unit_is_no_room(monkeypatch, typed, said):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with pytest.raises(InputError) as refused:
        scheme_of().resolve(typed)
    assert str(refused.value) == said
    assert scheme_of().resolve_area(typed) == normalise(typed)  # list --room 3号楼 still works


def test_a_resident_lives_in_a_room_never_at_a_place_of_the_site(workspace, cli, clock):
    with_scheme(workspace.root)
    zh = ("--lang", "zh_CN")
    added = cli(*zh, "resident", "add", "--name", "王五", "--room", "3号楼", "--phone",
                "13600003333", "--at", "2026-10-12 09:00")
    assert added.exit_code == 2 and record_files(workspace.root) == []
    assert added.stderr == "“3号楼”是整栋楼，不是房号：请写到具体房间，如 3-1-101\n"
    at_a_place = cli(*zh, "resident", "add", "--name", "王五", "--room", "3栋电梯", "--phone",
                     "13600003333", "--at", "2026-10-12 09:00")
    assert at_a_place.exit_code == 2 and record_files(workspace.root) == []
    assert at_a_place.stderr == ("“3栋电梯”是小区的公共部位，不是房号：住户要登记在所住的房间，"
                                 "如 3-1-101\n")
    entry = cli("resident", "add", "--name", "王五", "--room", "3-2-501", "--phone",
                "13600003333", "--at", "2026-10-12 09:00")
    assert entry.exit_code == 0, entry.stderr
    moved = cli("resident", "edit", entry.stdout.strip(), "--room", "地下泵房",
                "--at", "2026-10-12 09:10")
    assert moved.exit_code == 2 and "is a place of the site, not a room" in moved.stderr
    # a call about the lift is filed at the lift: a place is where something happens
    lift = cli(*call_flags(room="3栋电梯"), "--at", "2026-10-12 09:20")
    assert lift.exit_code == 0, lift.stderr


def test_check_judges_no_resident_by_a_building_the_scheme_could_not_read(workspace, cli,
                                                                         clock):
    from dutyctl.check import check_workspace
    from dutyctl.workspace import Workspace

    with_scheme(workspace.root)
    for number in range(1, 4):
        added = cli("resident", "add", "--name", f"住户{number}", "--room", f"3-1-{number}01",
                    "--phone", f"1360000000{number}", "--at", "2026-10-12 09:00")
        assert added.exit_code == 0, added.stderr
    config = workspace.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '"3": {units: 2, floors: 6,', '"3": {units: 2, floors: 六,'), encoding="utf-8")
    found = [str(problem) for problem in check_workspace(workspace)]
    assert len(found) == 1 and "rooms.buildings.3.floors" in found[0], found
    # the building read, a room it lacks is found again
    config.write_text(config.read_text(encoding="utf-8").replace("floors: 六,", "floors: 2,"),
                      encoding="utf-8")
    # a command's workspace reads dutyctl.yaml once: the next command's reads it as edited
    found = [str(problem) for problem in check_workspace(Workspace(workspace.root))]
    assert len(found) == 1 and "3-1-301" in found[0], found


def test_without_a_scheme_rooms_stay_free_text_but_normalised():
    assert rooms.canonical(None, "3栋2单元501室") == "3-2-501"
    assert rooms.canonical(None, "东门岗亭") == "东门岗亭"


def test_the_scheme_is_checked_at_path_and_line():
    text = ("\nrooms:\n  buildings:\n    \"3\": {units: 2, floors: six, rooms_per_floor: 2}\n"
            "    \"B-1\": {floors: 2, rooms_per_floor: 2}\n"
            "    \"5\": {floors: 2, rooms_per_floor: 120, lifts: 2}\n  place: []\n")
    base = Path("dutyctl/templates/dutyctl.yaml").read_text(encoding="utf-8")
    _, problems = parse_config(yamlio.loads(base + text), "dutyctl.yaml")
    first = base.count("\n") + 2
    found = {(problem.line, problem.message.split(":")[0]) for problem in problems}
    assert (first + 2, "rooms.buildings.3.floors") in found
    assert (first + 3, "rooms.buildings.B-1") in found
    assert (first + 4, "rooms.buildings.5.rooms_per_floor") in found
    assert (first + 4, "rooms.buildings.5.lifts") in found
    assert (first + 5, "rooms.place") in found


def test_check_reports_a_broken_scheme_with_its_line(workspace, cli):
    with_scheme(workspace.root, "\nrooms:\n  buildings:\n    \"3\": {units: two, floors: 6, "
                                "rooms_per_floor: 2}\n")
    result = cli("check")
    assert result.exit_code == 1
    line = (workspace.root / "dutyctl.yaml").read_text(encoding="utf-8").count("\n")
    assert f"dutyctl.yaml:{line}: rooms.buildings.3.units: expected a whole number" in result.stdout


# -- where rooms are typed ---------------------------------------------------------------------

def test_a_call_stores_the_canonical_room(workspace, cli, clock):
    with_scheme(workspace.root)
    result = cli(*call_flags(room="3栋2单元501室"), "--at", "2026-10-12 09:00")
    assert result.exit_code == 0, result.stderr
    (path,) = record_files(workspace.root)
    assert yamlio.load(path)["resident"]["room"] == "3-2-501"


@pytest.mark.parametrize("command", [
    call_flags(room="3-2-503"),
    ["complaint", "file", "--name", "张三", "--room", "3-2-503", "--phone", "13812345678",
     "--content", "楼上噪音"],
    ["repair", "file", "--name", "张三", "--room", "3-2-503", "--phone", "13812345678",
     "--content", "水管漏水"],
])
def test_a_room_not_in_the_scheme_is_refused_and_nothing_written(workspace, cli, clock, command):
    with_scheme(workspace.root)
    result = cli(*command, "--at", "2026-10-12 09:00")
    assert result.exit_code == 2
    assert "did you mean 3-2-502?" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert record_files(workspace.root) == []


def test_the_refusal_reads_in_chinese(workspace, cli, clock):
    with_scheme(workspace.root)
    result = cli(*call_flags(room="3-2-503"), "--at", "2026-10-12 09:00",
                 env={"DUTYCTL_LANG": "zh_CN"})
    assert result.exit_code == 2
    assert "3-2-502" in result.stderr and "房号" in result.stderr


def test_a_site_without_a_scheme_takes_any_place(workspace, cli, clock):
    result = cli(*call_flags(room="东门岗亭"), "--at", "2026-10-12 09:00")
    assert result.exit_code == 0, result.stderr


def test_an_emergency_where_is_a_place_of_the_scheme_or_free_text(workspace, cli, clock):
    with_scheme(workspace.root)
    for where in ("3栋电梯", "全小区"):
        result = cli("emergency", "open", "--type", "power-outage", "--where", where,
                     "--content", "停电", "--at", "2026-10-12 09:00")
        assert result.exit_code == 0, result.stderr
    wheres = sorted(yamlio.load(path)["where"] for path in record_files(workspace.root))
    assert wheres == ["3号楼电梯", "全小区"]


# -- list --room -------------------------------------------------------------------------------

def listed(cli, *args) -> list[str]:
    result = cli("list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    import json

    return sorted(row["room"] for row in json.loads(result.stdout))


def test_list_room_matches_a_room_in_any_spelling_or_a_building_or_unit(workspace, cli, clock):
    for room in ("3-2-501", "3栋1单元101室", "3栋电梯", "12-2-101", "3-20-101"):
        result = cli(*call_flags(room=room), "--at", "2026-10-12 09:00")
        assert result.exit_code == 0, result.stderr
    assert listed(cli, "--room", "3号楼2单元501") == ["3-2-501"]
    assert listed(cli, "--room", "3-2") == ["3-2-501"]
    assert listed(cli, "--room", "3栋") == ["3-1-101", "3-2-501", "3-20-101", "3号楼电梯"]
    assert listed(cli, "--room", "12") == ["12-2-101"]
    assert listed(cli, "--room", "1") == []


def test_list_room_finds_records_written_in_another_spelling(workspace, cli, clock):
    """A record written before the scheme (or by hand) keeps its spelling; the index stores
    the canonical one, so the room's history is whole."""
    result = cli(*call_flags(room="3-2-501"), "--at", "2026-10-12 09:00")
    assert result.exit_code == 0, result.stderr
    (path,) = record_files(workspace.root)
    path.write_text(path.read_text(encoding="utf-8").replace("'3-2-501'", "3栋2单元501室"),
                    encoding="utf-8")
    assert listed(cli, "--room", "3-2-501") == ["3栋2单元501室"]
    assert listed(cli, "--room", "3-2") == ["3栋2单元501室"]


def test_select_and_the_index_agree_on_room_matches(workspace, cli, clock):
    for room in ("3-2-501", "3-2-502", "3-1-101", "3号楼电梯", "4-2-501"):
        assert cli(*call_flags(room=room), "--at", "2026-10-12 09:00").exit_code == 0
    everything = workspace.store.scan().records
    for wanted in ("3", "3-2", "3-2-501", "4", "3号楼电梯"):
        by_files = {record.id for record in queries.select(everything, room=wanted)}
        by_index = {record.id for record in queries.find(workspace.store, room=wanted).records}
        assert by_files == by_index and by_files, wanted


def test_list_room_through_the_entry_point(workspace, dutyctl_forked):
    with_scheme(workspace.root)
    logged = run_dutyctl(dutyctl_forked, *call_flags(room="3号楼2单元501"), "--at",
                         "2026-10-12 09:00", root=workspace.root)
    assert logged.returncode == 0, logged.stderr
    refused = run_dutyctl(dutyctl_forked, *call_flags(room="3-2-701"), "--at",
                          "2026-10-12 09:00", root=workspace.root)
    assert refused.returncode == 2 and "3-2-601" in refused.stderr
    listing = run_dutyctl(dutyctl_forked, "list", "--room", "3-2", "--format", "csv",
                          root=workspace.root)
    assert listing.returncode == 0, listing.stderr
    assert "3-2-501" in listing.stdout and logged.stdout.strip() in listing.stdout


def test_a_room_near_one_of_the_scheme_is_told_in_chinese_only(monkeypatch):
    """The clerk who typed 3-1-111 is offered the room, with no English key in the sentence."""
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    with pytest.raises(InputError) as refused:
        scheme_of().resolve("3-1-111")
    said = str(refused.value)
    assert said.startswith("房号“3-1-111”不在本小区的房号方案中（dutyctl.yaml 的 房号:）；是不是 "), said
    assert "rooms" not in said


@pytest.mark.parametrize("typed, room, address", [
    ("3-2-501", True, True), ("3号楼2单元501", True, True), ("A座1201", True, True),
    ("3号楼2单元", False, True), ("3栋", False, True), ("3栋电梯", False, True),
    ("地下泵房", False, False), ("漏水", False, False), ("", False, False)])
def test_what_reads_as_a_room_and_as_an_address(typed, room, address):
    """is_room: a home (not a place, building or unit); reads_as_address: any form normalise
    gives (a place such as 地下泵房 only a scheme can tell from a word)."""
    assert rooms.is_room(typed) is room
    assert rooms.reads_as_address(typed) is address


def test_show_of_a_place_the_scheme_names_offers_the_room_command(workspace, cli):
    with_scheme(workspace.root)
    refused = cli("show", "地下泵房")
    assert refused.exit_code == 2 and "dutyctl room 地下泵房" in refused.stderr
    word = cli("show", "泵房漏水")
    assert word.exit_code == 2 and "dutyctl room" not in word.stderr


@pytest.mark.parametrize("typed, says", [
    ("9号楼电梯", "'9号楼电梯'"), ("漏水", "'漏水'"), ("3-2-5O1", "missing --name")])
def test_a_repair_with_no_reporter_is_checked_against_the_scheme(workspace, cli, typed, says):
    """A repair found on a round (no reporter) took any text as its place: a typo, a building
    the site lacks, the content typed into --room, filed at exit 0 with nobody to ask. The
    scheme refuses them as it does a reporter's room; a room mistyped asks for its reporter.
    A listed place is filed there."""
    with_scheme(workspace.root)
    refused = cli("repair", "file", "--room", typed, "--content", "水管坏了",
                  "--at", "2026-10-05 09:00")
    assert refused.exit_code == 2, refused.stdout
    assert says in refused.stderr and record_files(workspace.root) == []
    for place in ("地下泵房", "商铺1-05"):  # listed places, a digit and a dash in one too
        filed = cli("repair", "file", "--room", place, "--content", "水泵异响",
                    "--at", "2026-10-05 09:00")
        assert filed.exit_code == 0, filed.stderr
    call = cli(*call_flags("张三", "3-2-501", "13812345678", "水管坏了", "--category", "repair"),
               "--at", "2026-10-05 09:10")
    assert call.exit_code == 0, call.stderr
    wrong = cli("repair", "file", "--from-call", call.stdout.split()[0], "--room", "9号楼电梯",
                "--at", "2026-10-05 09:12")
    assert wrong.exit_code == 2, wrong.stdout
    assert "room '9号楼电梯' is not in this site's address scheme" in wrong.stderr, wrong.stderr


@pytest.mark.parametrize("place, mistyped", [
    ("B1-泵房", "3-2-5O1"), ("3号楼1-2层楼道灯", "3/2/501"), ("地下车库B2-105车位", "三号楼二单元501"),
    ("商铺1-05", "3号楼2单元5O1")])
def test_without_a_scheme_a_place_with_a_dash_is_a_place_and_a_mistyped_room_a_room(
        workspace, cli, place, mistyped):
    """No scheme to ask: a place written with a digit and a dash is filed with no reporter,
    while a room however mistyped (rooms.reads_as_room) asks for its reporter."""
    filed = cli("repair", "file", "--room", place, "--content", "灯不亮",
                "--at", "2026-10-05 09:00")
    assert filed.exit_code == 0, filed.stderr
    refused = cli("repair", "file", "--room", mistyped, "--content", "漏水",
                  "--at", "2026-10-05 09:00")
    assert refused.exit_code == 2 and "--name" in refused.stderr


def test_without_a_scheme_one_room_typed_three_ways_is_one_room(workspace, cli):
    """A site made by `init` has no scheme: 3/2/501, 3—2—501 and 三号楼二单元501 were three
    rooms, none of them 3-2-501's (`list --room 3-2-501` found none of the repairs); each is
    filed, listed and found as 3-2-501, whichever spelling is asked."""
    for number, typed in enumerate(("3/2/501", "3—2—501", "三号楼二单元501")):
        filed = cli("repair", "file", "--name", "张三", "--room", typed, "--phone",
                    f"1381234567{number}", "--content", "窗户关不严", "--category", "门窗",
                    "--at", f"2026-10-05 09:0{number}")
        assert filed.exit_code == 0, filed.stderr
    for asked in ("3-2-501", "3/2/501", "三号楼二单元501"):
        listed = json.loads(cli("list", "--room", asked, "-f", "json").stdout)
        assert [row["room"] for row in listed] == ["3-2-501"] * 3, (asked, listed)
