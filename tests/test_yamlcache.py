"""The parsed-file cache (dutyctl.yamlcache): the files stay the only truth, whatever happens
to them or to the cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone

import pytest

from dutyctl import yamlcache
from dutyctl.store import yamlio
from dutyctl.errors import InputError
from dutyctl.people import staff_ids

TEXT = ("# a hand-written file\nname: 阳光花园\nstaff:\n  - {id: zhangwei, name: 张伟}\n"
        "start: 2026-01-05\nwhen: 2026-01-05 09:00:00+08:00\nempty: {}\nnone: ~\n")


def cached(path, state):
    return yamlcache.load_cached(path, "f.yaml", state)


def test_the_cache_gives_what_the_parser_gives_lines_included(tmp_path):
    path, state = tmp_path / "f.yaml", tmp_path / ".dutyctl"
    path.write_text(TEXT, encoding="utf-8")
    expected = yamlio.load(path, "f.yaml")
    first, second = cached(path, state), cached(path, state)  # parsed, then from the cache
    assert list((state / "parsed").iterdir())
    for found in (first, second):
        assert found == expected
        assert found.lines == expected.lines and found.line == expected.line
        assert found["staff"].lines == expected["staff"].lines
        assert found["staff"][0].lines == expected["staff"][0].lines
        assert found["start"] == date(2026, 1, 5)
        assert found["when"] == datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)


def edit_same_size_same_mtime(path):
    """The hardest edit to notice: same size, and the modification time put back."""
    before = os.stat(path)
    path.write_text(path.read_text(encoding="utf-8").replace("张伟", "陈静"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size


@pytest.mark.parametrize("edit", ["rewrite", "same size and mtime", "replaced by another file"])
def test_any_edit_is_read_afresh(tmp_path, edit):
    path, state = tmp_path / "f.yaml", tmp_path / ".dutyctl"
    path.write_text(TEXT, encoding="utf-8")
    assert cached(path, state)["staff"][0]["name"] == "张伟"
    if edit == "rewrite":
        path.write_text(TEXT.replace("张伟", "陈静伟"), encoding="utf-8")
    elif edit == "same size and mtime":
        edit_same_size_same_mtime(path)
    else:  # an editor saving through a new file, or a git checkout
        other = tmp_path / "new.yaml"
        other.write_text(TEXT.replace("张伟", "陈静"), encoding="utf-8")
        os.replace(other, path)
    assert cached(path, state)["staff"][0]["name"] in ("陈静", "陈静伟")


def _fat_stamp(path):
    """file_stamp as a FAT disk or a share with a clock of whole seconds gives it: no change
    time finer than the modification time (Linux fills a vfat file's ctime with its mtime)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (yamlcache.FORMAT, sys.version_info[:2], os.fspath(path), info.st_size,
            info.st_mtime_ns, info.st_mtime_ns, info.st_ino, info.st_dev)


def test_an_edit_within_a_coarse_clocks_tick_is_read_afresh(tmp_path, monkeypatch):
    """On FAT (a 2 s clock) or a share with a 1 s one, a file rewritten in place within the
    tick it was read in, with the same size, keeps its whole stamp: its parsed copy was
    served stale. A file whose time (whole seconds) is that recent is read, never kept; one
    older than the tick is kept as before. Times and the clock set by hand."""
    from types import SimpleNamespace

    monkeypatch.setattr(yamlcache, "file_stamp", _fat_stamp)
    path, state = tmp_path / "f.yaml", tmp_path / ".dutyctl"
    path.write_text(TEXT, encoding="utf-8")
    tick = 1_796_000_000 * 10**9  # a whole second: the clock's last tick, read half a second on
    monkeypatch.setattr(yamlcache, "time", SimpleNamespace(time_ns=lambda: tick + 5 * 10**8))
    os.utime(path, ns=(tick, tick))
    assert cached(path, state)["staff"][0]["name"] == "张伟"
    assert not (state / "parsed").exists() or not list((state / "parsed").iterdir())
    edit_same_size_same_mtime(path)  # in the same tick: size and time as they were
    assert cached(path, state)["staff"][0]["name"] == "陈静"
    old = tick - 10 * 10**9  # the tick long past: kept, and found again
    os.utime(path, ns=(old, old))
    assert cached(path, state)["staff"][0]["name"] == "陈静"
    assert len(list((state / "parsed").iterdir())) == 1
    assert cached(path, state)["staff"][0]["name"] == "陈静"
    # a time with a fraction is a fine clock's (ext4, NTFS): kept at once, as before
    assert not yamlcache.just_changed(tick + 1, tick + 2 * 10**6)
    assert yamlcache.just_changed(tick, tick + 1999 * 10**6)
    assert not yamlcache.just_changed(tick, tick + 2 * 10**9)
    assert yamlcache.just_changed(tick + 5 * 10**9 + 1, tick)  # ahead of this desk's clock
    # a folder's stamp (the record index's): a fine time too is racy for the coarse tick
    assert yamlcache.just_changed(tick + 1, tick + 1999 * 10**6, None)
    assert not yamlcache.just_changed(tick + 1, tick + 2 * 10**9 + 1, None)


@pytest.mark.parametrize("fat", [True, False])
def test_a_file_dated_far_ahead_of_the_clock_is_kept(tmp_path, monkeypatch, fat):
    """A file whose time is hours ahead of this desk's clock (a FAT stick written 8 h ahead,
    a zip from a machine ahead) was taken as just written and never kept: parsed again by
    every command. Only a time a little ahead (AHEAD_SECONDS) is just now."""
    import time

    if fat:
        monkeypatch.setattr(yamlcache, "file_stamp", _fat_stamp)
    path, state = tmp_path / "f.yaml", tmp_path / ".dutyctl"
    path.write_text(TEXT, encoding="utf-8")
    ahead = (time.time_ns() // 10**9 + 8 * 3600) * 10**9
    os.utime(path, ns=(ahead, ahead))
    assert cached(path, state)["staff"][0]["name"] == "张伟"
    assert len(list((state / "parsed").iterdir())) == 1
    parsed = []
    monkeypatch.setattr(yamlcache, "loads", lambda *args: parsed.append(args))
    assert cached(path, state)["staff"][0]["name"] == "张伟"  # from the copy kept
    assert parsed == []
    now = time.time_ns()
    assert not yamlcache.just_changed(now + 8 * 3600 * 10**9, now)
    assert yamlcache.just_changed(now + yamlcache.AHEAD_SECONDS * 10**9, now)
    assert yamlcache.just_changed(now + 10**9, now, 0.002)  # a share a second ahead: just now


def test_a_broken_file_raises_as_before_and_a_fixed_one_is_read(tmp_path):
    path, state = tmp_path / "f.yaml", tmp_path / ".dutyctl"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            cached(path, state)
        assert caught.value.problem.line == 2
    path.write_text("a: 3\n", encoding="utf-8")
    assert cached(path, state) == {"a": 3}
    path.unlink()
    with pytest.raises(yamlio.MissingFile):
        cached(path, state)


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "marshal of another shape"])
def test_a_damaged_cache_means_parsing_again(tmp_path, damage):
    import marshal

    path, state = tmp_path / "f.yaml", tmp_path / ".dutyctl"
    path.write_text(TEXT, encoding="utf-8")
    cached(path, state)
    (cache,) = (state / "parsed").iterdir()
    cache.write_bytes(marshal.dumps(("x", 1)) if isinstance(damage, str) else damage)
    assert cached(path, state) == yamlio.load(path)


def test_a_state_folder_that_cannot_be_written_only_costs_time(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(TEXT, encoding="utf-8")
    blocker = tmp_path / "state-is-a-file"
    blocker.write_text("", encoding="utf-8")
    assert cached(path, blocker) == yamlio.load(path)


def test_a_failed_cache_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    """A disk that fills up halfway through the copy: the source is read, nothing is left."""
    path = tmp_path / "f.yaml"
    path.write_text(TEXT, encoding="utf-8")
    state = tmp_path / "state"

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(yamlcache.os, "replace", full_disk)
    assert cached(path, state) == yamlio.load(path)
    assert list((state / "parsed").iterdir()) == []


def test_staff_names_follow_an_edit_of_the_rules(workspace):
    rules = workspace.rosters_dir / "rules.yaml"
    assert staff_ids(workspace)["zhangwei"] == "张伟"
    edit_same_size_same_mtime(rules)
    assert staff_ids(workspace)["zhangwei"] == "陈静"


def test_the_rules_are_read_once_per_edit_however_often_a_command_asks(workspace, monkeypatch):
    """Staff names, shift names, the calendar and the roster rules each ask for the rules
    file: read (from its parsed copy) once while it stays as it is, afresh after an edit."""
    from dutyctl.people import shift_names
    from dutyctl.roster.rules import read_rules
    from dutyctl.sitecalendar import load_site_calendar

    reads, load = [], yamlcache.load_with_digest
    monkeypatch.setattr(yamlcache, "load_with_digest",
                        lambda path, *rest: (reads.append(path.name), load(path, *rest))[1])

    def rules_reads():
        return reads.count("rules.yaml")

    assert staff_ids(workspace)["zhangwei"] == "张伟"
    shift_names(workspace), load_site_calendar(workspace), read_rules(workspace)
    assert staff_ids(workspace)["zhangwei"] == "张伟" and rules_reads() == 1
    edit_same_size_same_mtime(workspace.rosters_dir / "rules.yaml")
    assert staff_ids(workspace)["zhangwei"] == "陈静"
    assert read_rules(workspace)[0].staff_by_id["zhangwei"].name == "陈静"
    assert rules_reads() == 2


def test_a_command_reads_config_and_rules_without_pyyaml_once_cached(workspace):
    shutil.rmtree(workspace.state_dir / "parsed")  # never parsed (the test's copy comes parsed)
    probe = ("import sys\nfrom dutyctl.workspace import Workspace\nfrom dutyctl.people import "
             "staff_ids\nw = Workspace(__import__('pathlib').Path(sys.argv[1]))\n"
             "print(w.config.name, staff_ids(w)['zhangwei'], 'yaml' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe, str(workspace.root)], check=True,
                           capture_output=True, text=True).stdout.split() for _ in range(2)]
    assert runs[0][:2] == runs[1][:2] == [workspace.config.name, "张伟"]
    assert runs[0][2] == "True" and runs[1][2] == "False"


def test_check_reads_dutyctl_yaml_from_its_parsed_copy_and_an_edit_afresh(cli, monkeypatch):
    """`check` reads dutyctl.yaml as every command does (once per edit), and still says what
    an edit broke."""
    from dutyctl import yamlfull

    parsed, parse = [], yamlfull.parse
    monkeypatch.setattr(yamlfull, "parse", lambda text, path, *rest: (
        parsed.append(str(path)), parse(text, path, *rest))[1])
    assert cli("check").exit_code == 0  # the test's copy comes parsed
    assert not [path for path in parsed if path.endswith("dutyctl.yaml")]
    config = cli.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "bogus: [\n", encoding="utf-8")
    broken = cli("check")
    assert broken.exit_code == 1 and "dutyctl.yaml:" in broken.stdout
    assert [path for path in parsed if path.endswith("dutyctl.yaml")]  # read afresh


def test_check_reads_a_roster_once_per_edit(cli, monkeypatch):
    """`check` reads a roster file through its parsed copy, as `who` does: a second check
    parses nothing of it, an edited file is read afresh (and its problem said)."""
    from dutyctl import yamlfull

    assert cli("roster", "generate", "--month", "2026-11").exit_code == 0
    assert cli("check").exit_code == 0
    parsed, parse = [], yamlfull.parse
    monkeypatch.setattr(yamlfull, "parse", lambda text, path, *rest: (
        parsed.append(str(path)), parse(text, path, *rest))[1])
    assert cli("check").exit_code == 0
    assert not [path for path in parsed if path.endswith("2026-11.yaml")]
    roster = cli.root / "rosters" / "2026-11.yaml"
    roster.write_text(roster.read_text(encoding="utf-8").replace("period:", "period: [", 1),
                      encoding="utf-8")
    broken = cli("check")
    assert broken.exit_code == 1 and "rosters/2026-11.yaml:" in broken.stdout
    assert [path for path in parsed if path.endswith("2026-11.yaml")]


ROSTER = """# Duty roster
period: {from: "2026-11-01", to: "2026-11-30"}
generated: {at: "2026-10-25T09:00:00+08:00", by: zhangwei, seed: 0}
assignments:
  - {date: "2026-11-01", shift: day, role: service, staff: zhangwei}
  - {date: "2026-11-01", shift: night, role: service, staff: lina}
overrides:
  - {date: "2026-11-01", shift: day, role: service, staff: chenjing, replaces: zhangwei, kind: override, reason: 病假, by: lina, at: "2026-10-31T18:00:00+08:00"}
unfilled: []
stats: {}
"""


def test_a_roster_is_read_the_same_from_the_cache_and_follows_an_edit(tmp_path):
    from dutyctl.roster.rosterfile import read_roster

    folder, state = tmp_path / "rosters", tmp_path / ".dutyctl"
    folder.mkdir()
    path = folder / "2026-11.yaml"
    path.write_text(ROSTER, encoding="utf-8")
    expected = read_roster(path, "rosters/2026-11.yaml")  # no state folder: YAML each time
    first = read_roster(path, "rosters/2026-11.yaml", state)
    second = read_roster(path, "rosters/2026-11.yaml", state)  # from the cache
    assert list((state / "parsed").iterdir())
    for roster, problems in (first, second):
        assert problems == expected[1] == []
        assert roster == expected[0]
        assert [(a.staff, a.line) for a in roster.assignments] == [("zhangwei", 5), ("lina", 6)]
        assert roster.overrides[0].staff == "chenjing" and roster.overrides[0].line == 8
    path.write_text(ROSTER.replace("staff: lina}", "staff: sunli}"), encoding="utf-8")
    assert read_roster(path, "rosters/2026-11.yaml", state)[0].assignments[1].staff == "sunli"
    bad = ROSTER.replace('  - {date: "2026-11-01", shift: night', "  - {date: bad, shift: night")
    path.write_text(bad, encoding="utf-8")  # off the fast path: the whole file through YAML
    roster, problems = read_roster(path, "rosters/2026-11.yaml", state)
    assert roster.assignments[0].staff == "zhangwei" and problems


def test_who_reads_the_roster_without_pyyaml_once_cached(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-11").exit_code == 0
    probe = ("import sys\nfrom datetime import datetime\nfrom zoneinfo import ZoneInfo\n"
             "from dutyctl.workspace import Workspace\nfrom dutyctl.roster.onduty import "
             "slots_at\nw = Workspace(__import__('pathlib').Path(sys.argv[1]))\n"
             "at = datetime(2026, 11, 7, 21, tzinfo=ZoneInfo('Asia/Shanghai'))\n"
             "print(','.join(slot.staff for slot in slots_at(w, at)), 'yaml' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe, str(workspace.root)], check=True,
                           capture_output=True, text=True).stdout.split() for _ in range(3)]
    assert runs[0][0] == runs[2][0] and runs[0][0]
    assert runs[2][1] == "False"


@pytest.mark.parametrize("second", [
    "text", [("2026-11-01", "day", "service", "zhangwei")],
    [("2026-11-01", "day", "service", None, 5)], [("2026-11-01", "day", "service", "x", "5")],
    [(20261101, "day", "service", "zhangwei", 5)], [("2026-13-01", "day", "service", "x", 5)],
    [None], {"2026-11-01": "zhangwei"},
    ([("2026-11-01", "day", "service", "zhangwei", 5)], "unfilled"),
    ([], [("2026-11-01", "day", "service", 7, [["lina", "rest"], ["x"]])]),
    ([], [("2026-11-01", "day", "service", 7, [["lina", 3]])])])
def test_a_cached_roster_of_another_shape_is_read_again_from_the_file(tmp_path, second):
    """The cache's stamp matches the file, its second part (the assignments and unfilled
    places) does not have the shape they are kept in: the roster comes from the file, and the
    cache is made anew."""
    from dutyctl.caches import read_marshalled, write_marshalled
    from dutyctl.roster.rosterfile import read_roster

    folder, state = tmp_path / "rosters", tmp_path / ".dutyctl"
    folder.mkdir()
    path = folder / "2026-11.yaml"
    path.write_text(ROSTER, encoding="utf-8")
    expected = read_roster(path, "rosters/2026-11.yaml", state)
    (cache,) = (state / "parsed").iterdir()
    key = yamlcache.workspace_key(state)  # written by this desk: only its shape is wrong
    stamp, (encoded, _) = read_marshalled(cache, key)
    write_marshalled(cache, (stamp, (encoded, second)), key)
    assert read_roster(path, "rosters/2026-11.yaml", state) == expected
    assert expected[0].assignments[1].staff == "lina"
    assert read_marshalled(cache, key)[1][1] == ([
        ("2026-11-01", "day", "service", "zhangwei", 5),
        ("2026-11-01", "night", "service", "lina", 6)], None)
