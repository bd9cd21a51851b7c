"""The record store: round trip, ids and prefixes, atomic writes, history as events."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dutyctl.store import ids, storage, yamlio
from dutyctl.errors import EnvironmentFailure, InputError, NotFound, Refused
from dutyctl.kinds.call import ANSWERED, AWAITING_CALLBACK, CALLED_BACK, log_call
from dutyctl.residents import resident

AT = datetime.fromisoformat("2026-11-25T10:15:00+08:00")


@pytest.fixture
def store(workspace):
    return workspace.store


def file_call(workspace, at=AT, callback_by=None, name="张三", room="3-2-501",
              summary="咨询物业费缴纳方式，问能否微信支付", category=None):
    return log_call(workspace.store, workspace.config,
                    resident=resident(name, room, "13812345678"), category=category,
                    summary=summary, callback_by=callback_by, at=at, by="zhangwei")


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


# -- round trip -----------------------------------------------------------------------------

def test_round_trip_keeps_chinese_text_and_every_field(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=2))
    text = Path(record.path).read_text(encoding="utf-8")
    assert "咨询物业费缴纳方式，问能否微信支付" in text and "张三" in text  # readable, not \u escapes
    again = store.get(record.id)
    assert again.id == record.id
    assert again.kind == "call"
    assert again.schema == 1
    assert again.created_at == AT
    assert again.created_at.utcoffset() == timedelta(hours=8)
    assert again.recorded_by == "zhangwei"
    assert dict(again.fields["resident"]) == {"name": "张三", "room": "3-2-501",
                                              "phone": "13812345678"}
    assert again.fields["summary"] == "咨询物业费缴纳方式，问能否微信支付"
    assert again.fields["category"] == "consultation"  # the site's default call category
    assert again.fields["callback_by"] == "2026-11-25T12:15:00+08:00"
    assert again.status == AWAITING_CALLBACK


def test_record_file_has_the_common_header(workspace):
    record = file_call(workspace)
    data = yamlio.load(Path(record.path))
    assert list(data)[:5] == ["id", "kind", "schema", "created_at", "recorded_by"]
    assert data["created_at"] == "2026-11-25T10:15:00+08:00"  # ISO 8601 with its UTC offset


def test_record_lives_in_the_folder_of_its_local_day(workspace):
    # 23:30 in Shanghai is still 15:30 UTC: the folder follows the site's day
    late = datetime.fromisoformat("2026-11-25T23:30:00+08:00")
    record = file_call(workspace, at=late)
    assert Path(record.path).parent == workspace.records_dir / "2026" / "11" / "25"
    early_utc = datetime.fromisoformat("2026-11-25T17:00:00+00:00")  # 01:00 on the 26th
    assert Path(file_call(workspace, at=early_utc).path).parent.name == "26"


def test_scan_reads_every_day_in_range_and_kind(workspace, store):
    days = [AT - timedelta(days=2), AT - timedelta(days=1), AT]
    made = [file_call(workspace, at=day) for day in days]
    assert [r.id for r in store.scan().records] == [r.id for r in made]
    middle = store.scan(since=days[1].date(), until=days[1].date()).records
    assert [r.id for r in middle] == [made[1].id]
    assert store.scan(kinds=("repair",)).records == []


def test_create_refuses_invalid_fields_and_writes_nothing(workspace, store):
    with pytest.raises(InputError):
        store.create("call", {"resident": {"name": "张三", "room": "1-1-1", "phone": "x"},
                              "category": "consultation", "summary": "s"},
                     at=AT, by="zhangwei")
    assert files_under(workspace.records_dir) == [".gitkeep"]


def test_unknown_category_is_refused(workspace):
    with pytest.raises(InputError, match="unknown call category 'weather'"):
        file_call(workspace, category="weather")


# -- ids ------------------------------------------------------------------------------------

def test_ids_sort_by_time():
    moments = [AT + timedelta(milliseconds=step) for step in (0, 1000, 59_000, 60_000, 86_400_000)]
    made = [ids.new_id(moment) for moment in moments]
    assert made == sorted(made)
    assert len(set(ids.new_id(AT) for _ in range(1000))) == 1000  # same moment, still unique
    assert all(len(made_id) == 26 and ids.normalize(made_id) == made_id for made_id in made)
    exact = [ids.new_id(AT + timedelta(milliseconds=step)) for step in (1, 2, 999)]
    assert exact == sorted(exact)  # milliseconds, when the moment has them, are kept


def test_a_file_name_says_its_record_and_step_or_nothing():
    """The one reading of a record file's name (sync's news and count, gitsync's left-over
    records): a record's own file, one of its steps, else no record file at all."""
    record = ids.new_id(AT)
    step = ids.new_id(AT, after=record)
    assert ids.file_ids(f"records/2026/10/12/{record}.yaml") == (record, None)
    assert ids.file_ids(f"{record}.{step}.yaml") == (record, step)
    for junk in (f".{record}.yaml", f"{record}.yaml.tmp", f"{record}.{step}.x.yaml",
                 "值班记录.yaml", "notes-for-night.yaml", f"{record}.txt", "yaml",
                 f"{record}..yaml", ".yaml", f"{record} (1).yaml"):
        assert ids.file_ids(junk) is None, junk
    # grouping a folder's files by record (the index), junk too: the same record for the
    # names file_ids reads, and for junk the record the store reads it as
    for name in (f"records/2026/10/12/{record}.yaml", f"{record}.{step}.yaml"):
        assert ids.record_of(name) == ids.file_ids(name)[0] == record
    assert ids.record_of(f"records/2026/10/12/{record}.{step}.x.yaml") == record
    assert ids.record_of("notes-for-night.yaml") == "notes-for-night"


def test_show_takes_no_junk_file_for_the_record_it_names(workspace):
    """A copy kept beside a record file under another name ("ID (1).yaml", a desk's file
    manager) is junk `check` reports: `show ID` still finds the record, not an ambiguity."""
    import shutil

    from tests.conftest import Cli

    record = Cli(workspace.root)("log", "call", "--name", "张三", "--room", "3-2-501",
                                 "--phone", "13812345678", "--summary", "快递柜在哪",
                                 "--at", "2026-10-12 09:00").stdout.strip()
    (path,) = workspace.root.glob(f"records/*/*/*/{record}.yaml")
    shutil.copy(path, path.with_name(f"{record} (1).yaml"))
    shown = Cli(workspace.root)("show", record[:12])
    assert shown.exit_code == 0 and record in shown.stdout, shown.stderr


def test_short_forms_of_one_second_rarely_collide():
    # whole-second moments (what the desk types) get random milliseconds: 1,000 records of the
    # same second would share many 12-character short forms with only two random characters
    shorts = {ids.short(ids.new_id(AT)) for _ in range(1000)}
    assert len(shorts) >= 995


def test_ids_of_one_second_follow_a_given_id():
    first = ids.new_id(AT)
    assert all(ids.new_id(AT, after=first) > first for _ in range(200))


def test_an_id_after_the_last_millisecond_of_a_day_stays_in_that_second():
    """A record filed after one at .999 of 23:59:59 keeps its second: the id names the time
    the record says and the dated folder it lives in, never the next second or day."""
    last = datetime(2026, 12, 31, 23, 59, 59, tzinfo=AT.tzinfo)
    chain = [ids._encode(int(last.timestamp()) * 1000 + 999, ids.TIME_LENGTH) + "0" * 16]
    for _ in range(50):
        chain.append(ids.new_id(last, after=chain[-1]))
    assert chain == sorted(chain) and len(set(chain)) == len(chain)
    assert {ids.moment_of(made).replace(microsecond=0) for made in chain} == {last}
    highest = chain[0][:ids.TIME_LENGTH] + "Z" * 16  # the second is full: the next millisecond
    assert ids.new_id(last, after=highest) > highest
    earlier = ids._encode(int(last.timestamp()) * 1000 + 990, ids.TIME_LENGTH) + "Z" * 16
    assert all(ids.moment_of(ids.new_id(last, after=earlier)).replace(microsecond=0) == last
               for _ in range(100))


def test_an_id_after_one_at_the_last_millisecond_of_its_second_shows_other_characters():
    """A call at .999 of its second and the ticket it files: the ticket's id keeps that
    millisecond (its second), and the two random characters of the short form people type
    go one up, so each is named by its 12 characters (they were the same nearly always: a
    larger random part below them). A chain of them stays in its second, in order."""
    last = datetime(2026, 11, 4, 9, 0, 0, tzinfo=AT.tzinfo)
    head = ids._encode(int(last.timestamp()) * 1000 + 999, ids.TIME_LENGTH)
    for _ in range(200):
        # the top bit left 0: the short form's characters never at their highest ("ZZ",
        # where the next id keeps them: the last case below)
        call = head + ids._encode(int.from_bytes(os.urandom(10), "big") >> 1, 16)
        ticket = ids.new_id(last, after=call)
        assert ticket > call and ticket[:ids.TIME_LENGTH] == head
        assert ids.short(ticket) != ids.short(call), (call, ticket)
    chain = [head + "0" * 16]
    for _ in range(50):
        chain.append(ids.new_id(last, after=chain[-1]))
    assert chain == sorted(chain) and len({ids.short(made) for made in chain}) == len(chain)
    # the short form's characters already at their highest: the same millisecond still, a
    # larger random part below them (the same 12 characters: 1 such id in 1,024)
    highest_shown = head + "ZZ" + "0" * 14
    made = ids.new_id(last, after=highest_shown)
    assert made > highest_shown and made[:ids.TIME_LENGTH] == head


def test_ids_name_their_moment():
    assert ids.moment_of(ids.new_id(AT)).replace(microsecond=0) == AT


def test_short_form_is_a_prefix():
    record_id = ids.new_id(AT)
    assert ids.short(record_id) == record_id[:12]


def test_normalize_accepts_lower_case_and_look_alikes():
    assert ids.normalize(" 01jd9x ") == "01JD9X"
    assert ids.normalize("0ljo") == "01J0"
    assert ids.normalize("not-an-id") is None
    assert ids.normalize("Z") is None  # no id starts above 7 (48 bits of time)
    # typed in a Chinese input method's full-width mode, a full-width space around it
    assert ids.normalize("\u3000０１ｊｄ９Ｘ\u3000") == "01JD9X"


def test_show_finds_a_record_by_a_full_width_prefix(workspace, cli):
    filed = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                "--summary", "物业费", "--at", "2026-10-05 09:00")
    record_id = filed.stdout.strip()
    typed = record_id[:12].translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})
    shown = cli("show", typed)
    assert shown.exit_code == 0 and record_id in shown.stdout, shown.stderr


def test_get_by_any_unambiguous_prefix(workspace, store):
    record = file_call(workspace)
    file_call(workspace, at=AT + timedelta(days=365))  # another id, a different time part
    for length in (5, 8, 12, 20, 26):
        assert store.get(record.id[:length]).id == record.id
    assert store.get(record.id[:12].lower()).id == record.id


def test_ambiguous_prefix_lists_the_candidates(workspace, store):
    first, second = file_call(workspace), file_call(workspace)  # same second: shared head
    shared = os.path.commonprefix([first.id, second.id])
    assert len(shared) >= 6
    with pytest.raises(InputError) as caught:
        store.get(shared)
    message = str(caught.value)
    assert "ambiguous" in message
    assert first.short_id in message and second.short_id in message


def test_a_prefix_matching_years_of_records_stops_looking_and_asks_for_more(
        workspace, store, monkeypatch):
    """`show 0` on years of history: the first folders name enough candidates; the rest are
    not listed (was: every day folder of every year read to count them)."""
    for offset in range(400):  # a record a day: files named as the store names them
        moment = AT - timedelta(days=offset)
        path = store.record_path(ids.new_id(moment), moment)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kind: call\n", encoding="utf-8")
    listed = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda folder: listed.append(folder) or
                        real_listdir(folder))
    with pytest.raises(InputError) as caught:
        store.get("0")
    message = str(caught.value)
    assert "matches more than 100 records" in message and "type more of the id" in message
    assert len(listed) <= 110  # the day folders read: about a hundred, not all 400


def test_unknown_or_malformed_prefix(workspace, store):
    file_call(workspace)
    with pytest.raises(NotFound):
        store.get("7ZZZZZZZ")
    with pytest.raises(InputError):
        store.get("no-such-thing!")
    with pytest.raises(InputError):
        store.get("Z")


def test_event_files_are_not_candidates_for_a_prefix(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=1))
    store.append(record, "note", at=AT + timedelta(minutes=1), by="lina", note="已留言")
    assert store.get(record.id[:12]).id == record.id


# -- atomic writes --------------------------------------------------------------------------

def _failing_replace(monkeypatch, error: BaseException) -> None:
    def replace(source, target):
        raise error
    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"),
                                   KeyboardInterrupt()])
def test_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch, error):
    target = tmp_path / "day" / "file.yaml"
    storage.write_atomic(target, "old: 1\n")
    _failing_replace(monkeypatch, error)
    with pytest.raises((EnvironmentFailure, KeyboardInterrupt)):
        storage.write_atomic(target, "new: 2\n")
    assert target.read_text() == "old: 1\n"
    assert os.listdir(target.parent) == ["file.yaml"]


def test_interrupted_create_leaves_no_record(workspace, store, monkeypatch):
    file_call(workspace)
    before = files_under(workspace.records_dir)
    _failing_replace(monkeypatch, OSError(5, "Input/output error"))
    with pytest.raises(EnvironmentFailure):
        file_call(workspace)
    assert files_under(workspace.records_dir) == before
    assert not any(path.name.endswith(".tmp") for path in workspace.records_dir.rglob("*"))


def test_interrupted_event_leaves_the_history_as_it_was(workspace, store, monkeypatch):
    record = file_call(workspace, callback_by=AT + timedelta(hours=1))
    before = files_under(workspace.records_dir)
    _failing_replace(monkeypatch, OSError(5, "Input/output error"))
    with pytest.raises(EnvironmentFailure):
        store.append(record, "callback-done", at=AT + timedelta(minutes=30), by="lina")
    monkeypatch.undo()
    assert files_under(workspace.records_dir) == before
    assert store.get(record.id).status == AWAITING_CALLBACK


def test_write_error_names_the_file(tmp_path, monkeypatch):
    _failing_replace(monkeypatch, OSError(28, "No space left on device"))
    with pytest.raises(EnvironmentFailure) as caught:
        storage.write_atomic(tmp_path / "x.yaml", "a: 1\n")
    assert caught.value.exit_code == 3
    assert "x.yaml" in str(caught.value) and "No space left" in str(caught.value)


# -- history as events ----------------------------------------------------------------------

def test_events_derive_the_status(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=2))
    assert record.status == AWAITING_CALLBACK
    noted = store.append(record, "note", at=AT + timedelta(minutes=5), by="lina",
                         note="业主电话未接通")
    assert noted.status == AWAITING_CALLBACK
    done = store.append(noted, "callback-done", at=AT + timedelta(hours=1), by="zhangwei",
                        note="已回电说明缴费方式")
    assert done.status == CALLED_BACK
    again = store.get(record.id)
    assert again.status == CALLED_BACK
    assert [(e.action, e.by, e.note) for e in again.events] == [
        ("note", "lina", "业主电话未接通"), ("callback-done", "zhangwei", "已回电说明缴费方式")]
    assert again.events[1].at == AT + timedelta(hours=1)


def test_events_never_rewrite_the_record_file(workspace, store, monkeypatch):
    record = file_call(workspace, callback_by=AT + timedelta(hours=2))
    path = Path(record.path)
    content, stamp = path.read_bytes(), path.stat().st_mtime_ns
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace",
                        lambda source, target: (replaced.append(Path(target)),
                                                real_replace(source, target)))
    updated = store.append(record, "callback-done", at=AT + timedelta(hours=1), by="lina")
    assert replaced == [Path(updated.events[-1].path)]
    assert replaced[0] != path and replaced[0].parent == path.parent
    assert replaced[0].name.startswith(record.id + ".")
    assert path.read_bytes() == content and path.stat().st_mtime_ns == stamp


def test_refused_transition_writes_nothing(workspace, store):
    answered = file_call(workspace)  # no callback promised: answered at once
    assert answered.status == ANSWERED
    before = files_under(workspace.records_dir)
    with pytest.raises(Refused) as caught:
        store.append(answered, "callback-done", at=AT + timedelta(minutes=1), by="lina")
    assert "answered" in str(caught.value)
    assert files_under(workspace.records_dir) == before


def test_second_callback_done_is_refused(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=2))
    done = store.append(record, "callback-done", at=AT + timedelta(hours=1), by="lina")
    with pytest.raises(Refused):
        store.append(store.get(done.id), "callback-done", at=AT + timedelta(hours=1), by="lina")


def test_unknown_action_is_refused(workspace, store):
    record = file_call(workspace)
    with pytest.raises(Refused, match="no action 'close'"):
        store.append(record, "close", at=AT + timedelta(minutes=1), by="lina")


def test_event_before_the_record_is_refused(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=2))
    before = files_under(workspace.records_dir)
    with pytest.raises(InputError):
        store.append(record, "note", at=AT - timedelta(minutes=1), by="lina")
    assert files_under(workspace.records_dir) == before


def test_event_without_its_record_is_a_problem(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=2))
    event = store.append(record, "note", at=AT + timedelta(minutes=1), by="lina").events[0]
    Path(record.path).unlink()
    scan = store.scan()
    assert scan.records == []
    assert [p.path for p in scan.problems] == [store.relative(event.path)]
    assert "does not exist" in scan.problems[0].message


def test_record_file_quotes_times_rooms_and_phones(workspace):
    record = file_call(workspace, room="B-301", callback_by=AT + timedelta(hours=1))
    text = Path(record.path).read_text(encoding="utf-8")
    for line in ("created_at: '2026-11-25T10:15:00+08:00'", "  room: 'B-301'",
                 "  phone: '13812345678'", "callback_by: '2026-11-25T11:15:00+08:00'",
                 f"id: '{record.id}'"):
        assert line in text.splitlines(), (line, text)


def test_events_of_one_second_keep_the_order_they_were_written(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=1))
    later = AT + timedelta(minutes=5)
    for step in range(20):  # the same typed second each time: order must not be left to chance
        record = store.append(record, "note", at=later, by="lina", note=f"第{step}次")
    record = store.append(record, "callback-done", at=later, by="lina", note="已回电")
    reread = store.get(record.id)
    assert [event.note for event in reread.events] == [f"第{step}次" for step in range(20)] + ["已回电"]
    assert reread.status == "called-back"


def test_an_event_before_the_latest_one_is_refused(workspace, store):
    record = file_call(workspace, callback_by=AT + timedelta(hours=1))
    record = store.append(record, "note", at=AT + timedelta(minutes=30), by="lina", note="已留言")
    before = files_under(workspace.records_dir)
    with pytest.raises(InputError, match="later event"):
        store.append(record, "callback-done", at=AT + timedelta(minutes=10), by="lina")
    assert files_under(workspace.records_dir) == before


# -- the day folders the index stamps ---------------------------------------------------------

@pytest.mark.parametrize("odd", [None, "link", "no-date", "file-named-as-day", "february-30",
                                 "hidden", "plain-file"])
def test_day_stamps_name_the_folders_days_yields_and_report_the_same(workspace, odd):
    """The index's one-scandir-per-month walk finds exactly the day folders of days(), with
    their mtimes, and says what is odd in a month just as days() does."""
    from dutyctl.store.recordstore import Store

    root = workspace.records_dir
    for day in ("2026/01/30", "2026/02/01", "2026/02/28", "2025/12/31"):
        (root / day).mkdir(parents=True)
    month = root / "2026" / "02"
    if odd == "link":
        (month / "03").symlink_to(month / "01")
    elif odd == "no-date":
        (month / "misc").mkdir()
    elif odd == "file-named-as-day":
        (month / "05").write_text("x", encoding="utf-8")
    elif odd == "february-30":
        (month / "30").mkdir()
    elif odd == "hidden":
        (month / ".trash").mkdir()
    elif odd == "plain-file":
        (month / "notes.txt").write_text("x", encoding="utf-8")

    def fresh() -> Store:
        return Store(root, workspace.config.tz, workspace.config)

    walked, listed = fresh(), fresh()
    stamps = walked.day_stamps().days
    days = list(listed.days())
    assert [key for key, _ in stamps] == [day.isoformat() for day in days]
    assert [stamp for _, stamp in stamps] == [listed.day_dir(day).stat().st_mtime_ns
                                              for day in days]
    assert walked.skipped == listed.skipped
    assert bool(walked.skipped) == (odd in ("link", "no-date", "file-named-as-day",
                                            "february-30"))
    assert "2026-02-28" in dict(stamps) and "2025-12-31" in dict(stamps)


# -- durability -----------------------------------------------------------------------------


def _inodes_synced(monkeypatch) -> list[int]:
    synced = []
    real = os.fsync

    def fsync(fd):
        synced.append(os.fstat(fd).st_ino)
        real(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    return synced


def test_a_record_and_its_folder_are_on_disk_before_the_write_returns(workspace, store,
                                                                     monkeypatch):
    """At a desk every write waits for the disk (a call survives a power cut); only the test
    suite's DUTYCTL_NO_FSYNC (tests/conftest.py) skips that."""
    monkeypatch.delenv(storage.NO_FSYNC)
    synced = _inodes_synced(monkeypatch)
    record = file_call(workspace)
    assert Path(record.path).stat().st_ino in synced
    assert Path(record.path).parent.stat().st_ino in synced
    store.index.refresh()
    assert store.index._connect().execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL


def test_the_suites_switch_skips_only_the_wait_for_the_disk(workspace, store, monkeypatch):
    monkeypatch.setenv(storage.NO_FSYNC, "1")
    synced = _inodes_synced(monkeypatch)
    record = file_call(workspace)
    assert synced == [] and Path(record.path).is_file()
    assert store.index._connect().execute("PRAGMA synchronous").fetchone() == (0,)  # OFF


def test_the_suites_switch_counts_only_under_pytest(workspace, monkeypatch):
    """DUTYCTL_NO_FSYNC copied into a desk's shell must not cost a record on a power cut."""
    monkeypatch.setenv(storage.NO_FSYNC, "1")
    monkeypatch.delenv(storage.UNDER_PYTEST)
    synced = _inodes_synced(monkeypatch)
    record = file_call(workspace)
    assert Path(record.path).stat().st_ino in synced


def test_a_record_file_name_is_read_from_a_windows_path(monkeypatch):
    """The store builds paths with `os.sep`: on Windows `records\\2026\\12\\01\\ID.yaml`, whose
    record the index and `check` read by the last part, as on POSIX."""
    import os

    from dutyctl.store import ids
    monkeypatch.setattr(os, "sep", "\\")
    record = "01M4PVR2MJDN04MAF9W87Q7SMD"
    path = f"C:\\ws\\records\\2026\\12\\01\\{record}.01M4PW8J5S7SKF5M9ZDP7JD5GS.yaml"
    assert ids.record_of(path) == record
    assert ids.file_ids(path) == (record, "01M4PW8J5S7SKF5M9ZDP7JD5GS")
    assert ids.file_ids(f"records/2026/12/01/{record}.yaml") == (record, None)


def test_a_killed_writes_temporary_file_is_cleared_by_the_next_write(tmp_path):
    """`.NAME.PID.tmp` beside a state file, left by a process killed mid-write, stayed for
    ever (a later process of the same pid wrote over it): the next write of that file
    removes those older than a write ever takes; a young one (a write under way) stays."""
    import os
    import time

    from dutyctl.caches import write_whole

    target = tmp_path / "cache.bin"
    stale = tmp_path / ".cache.bin.31957.tmp"
    young = tmp_path / ".cache.bin.31958.tmp"
    other = tmp_path / ".another.31957.tmp"
    for path in (stale, young, other):
        path.write_bytes(b"half")
    then = time.time() - 3600
    for path in (stale, other):
        os.utime(path, (then, then))
    write_whole(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert not stale.exists() and young.exists() and other.exists()
