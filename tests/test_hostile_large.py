"""A large record or step file another desk wrote, within the size cap and unreadable, costs
the desk once: a record file is held to what a form may hold (a few dozen keys in any
mapping, MAX_RECORD_NODES values), counted on the parser's events before anything is built,
and what a large one said is kept (store.verdicts), so the next command says it again
without parsing it. One file of 100,000 unknown keys (1.4 MB) had made every `list` take 3 s
of CPU and 140 MB; at the 4 MB cap 8 s."""

from __future__ import annotations

import pytest

from dutyctl import yamlfull, yamlnodes
from dutyctl.errors import InputError
from dutyctl.store import fastyaml, yamlio
from dutyctl.store.verdicts import REMEMBERED_BYTES
from tests.helpers_foundation import record_files
from tests.test_hostile_text import log

KEYS = yamlnodes.MAX_RECORD_KEYS


def keys_text(count: int, indent: str = "") -> str:
    return "".join(f"{indent}key_{number}: v\n" for number in range(count))


@pytest.mark.parametrize("text, line", [
    ("id: x\n" + keys_text(KEYS + 5), KEYS + 1),  # the key past the cap, where it is written
    ("id: x\nresident:\n" + keys_text(KEYS + 5, "  "), KEYS + 3),
    ("id: x\nresident: {" + ", ".join(f"k{n}: v" for n in range(KEYS + 5)) + "}\n", 2),
])
def test_a_mapping_past_a_records_keys_is_refused_at_the_key(text, line):
    for loads in (fastyaml.loads, lambda text, path: yamlio.loads(text, path, record=True)):
        with pytest.raises(InputError) as refused:
            loads(text, "r.yaml")
        assert str(refused.value) == (f"r.yaml:{line}: more than {KEYS} keys in one mapping (a "
                                      "record or step has a few dozen): refused")
    assert len(yamlio.loads(text, "rules.yaml")) >= 2  # any other file: no such cap
    assert len(fastyaml.loads("id: x\n" + keys_text(KEYS - 1), "r.yaml")) == KEYS  # at the cap


def test_a_record_with_many_colons_and_commas_is_parsed_once(monkeypatch):
    """The key cap's pre-filter counted `:,?` over the whole file: a record the full parser
    reads (a flow mapping) with a hundred times and commas in its text was parsed a second
    time, event by event, for mappings of a few keys. A mapping past the cap is still said
    where the parser meets it, before a failure further on."""
    counted = []  # the event passes: the loader `_count_values` reads the events with
    real = yamlfull._BaseLoader
    monkeypatch.setattr(yamlfull, "_BaseLoader", lambda text: (counted.append(text),
                                                               real(text))[1])
    notes = ", ".join(f"{hour:02d}:30 巡查" for hour in range(24)) * 3
    text = f"id: x\nslot: {{shift: day, end: '20:00'}}\nnote: '{notes}'\n"
    assert sum(map(text.count, ":,?")) > KEYS
    assert fastyaml.loads(text, "r.yaml")["slot"] == {"shift": "day", "end": "20:00"}
    assert counted == []
    broken = "id: x\n" + keys_text(KEYS + 5) + "bad: [\n"
    with pytest.raises(InputError) as refused:
        fastyaml.loads(broken, "r.yaml")
    assert str(refused.value) == (f"r.yaml:{KEYS + 1}: more than {KEYS} keys in one mapping "
                                  "(a record or step has a few dozen): refused")


@pytest.mark.parametrize("text, line", [
    ("{" + "a," * 7000 + "}", 1),  # 14 kB, 7,000 keys: the review's 234 ms composed whole
    ("{" + ", ".join(f"k{n}: 1" for n in range(5000)) + "}", 1),
    ("id: x\n" + keys_text(KEYS + 300), KEYS + 1),
])
def test_a_long_record_that_could_hold_too_many_keys_is_counted_before_it_is_built(
        monkeypatch, text, line):
    """A record under MAX_RECORD_NODES characters with 100+ `:,?` was composed whole before
    its keys were counted: thousands of nodes built for a file refused at its 101st key.
    Only a short one (COMPOSED_FIRST_CHARS) is built first; the refusal is the same."""
    def composed(loader):
        raise AssertionError("the nodes were composed")

    assert 2048 < len(text) < yamlnodes.MAX_RECORD_NODES // 2  # not counted for its length
    monkeypatch.setattr(yamlfull._Loader, "get_single_node", composed)
    with pytest.raises(InputError) as refused:
        fastyaml.loads(text, "r.yaml")
    assert str(refused.value) == (f"r.yaml:{line}: more than {KEYS} keys in one mapping (a "
                                  "record or step has a few dozen): refused")


def test_a_record_past_its_values_is_refused_before_any_is_built(monkeypatch):
    def composed(loader):
        raise AssertionError("the nodes were composed")

    monkeypatch.setattr(yamlfull._Loader, "get_single_node", composed)
    text = "id: x\nitems:\n" + "- v\n" * yamlnodes.MAX_RECORD_NODES
    with pytest.raises(InputError) as refused:
        fastyaml.loads(text, "r.yaml")
    assert str(refused.value).startswith("r.yaml:99")  # among the last items counted
    assert str(refused.value).endswith(f": more than {yamlnodes.MAX_RECORD_NODES} values in "
                                       "one file: refused")


def test_any_file_is_held_to_its_values_without_an_alias(monkeypatch):
    """MAX_NODES was counted only where an alias could expand a file: 4 MB of `[a,a,a...`
    are two million values, built whole."""
    monkeypatch.setattr(yamlfull, "MAX_NODES", 1000)
    with pytest.raises(InputError, match=r"^x.yaml:1: more than 1000 values in one file"):
        yamlio.loads("[" + ",".join(["a"] * 1500) + "]\n", "x.yaml")
    assert len(yamlio.loads("[" + ",".join(["a"] * 900) + "]\n", "x.yaml")) == 900


def large_bad_record(cli, workspace, shape: str) -> tuple[str, str]:
    """A logged call made a large file that cannot be read: (its path, what list says of it)."""
    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if shape == "keys":  # the review's file: 100,000 unknown keys, 1.4 MB
        path.write_text(text + keys_text(100_000), encoding="utf-8")
        past = KEYS - len(yamlio.loads(text)) + 1  # the first key past the cap
        said = f":{lines + past}: more than {KEYS} keys in one mapping"
    elif shape == "list":  # YAML reads it, the record does not: a list no call has
        path.write_text(text + "items:\n" + "- value\n" * 20_000, encoding="utf-8")
        said = f":{lines + 1}: items: unknown field"
    else:  # problems past a file's cap: the line standing for the rest is kept too
        comments = ("# " + "x" * 100 + "\n") * 200
        path.write_text(text + keys_text(80) + comments, encoding="utf-8")
        said = f": ... and {80 - 20} more problems in this file"
    assert path.stat().st_size >= REMEMBERED_BYTES
    return str(path.relative_to(workspace.root)), said


@pytest.mark.parametrize("shape", ["keys", "list", "many"])
def test_a_large_unreadable_record_is_parsed_once_not_by_every_command(cli, workspace,
                                                                         monkeypatch, shape):
    path, said = large_bad_record(cli, workspace, shape)
    parsed = []
    loads = fastyaml.loads
    monkeypatch.setattr(fastyaml, "loads", lambda text, where="<text>": (
        parsed.append(str(where)) if str(where).endswith(path) else None) or loads(text, where))
    for args in (["list"], ["list"], ["search", "漏水"], ["check"], ["list", "--open"]):
        result = cli(*args)
        assert result.exit_code == (1 if args == ["check"] else 0), result.stderr
        assert f"{path}{said}" in result.stdout + result.stderr, args
    assert len(parsed) == 1, parsed


def test_what_a_large_file_said_is_not_kept_past_a_change_of_the_file_or_language(
        cli, workspace, monkeypatch):
    """The verdict stands for the file as it was, said in one language: a hand edit that
    mends it makes the record readable at once."""
    record_id = log(cli)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    comments = ("# " + "x" * 100 + "\n") * 700  # a hand edit's: read by the full parser
    path.write_text(path.read_text(encoding="utf-8") + "junk: x\n" + comments, encoding="utf-8")
    parsed = []
    loads = fastyaml.loads
    monkeypatch.setattr(fastyaml, "loads", lambda text, where="<text>": (
        parsed.append(where) if str(where).endswith(path.name) else None) or loads(text, where))
    for language, words in (("en", "junk: unknown field"), ("en", "junk: unknown field"),
                            ("zh_CN", "junk: 未知字段"), ("zh_CN", "junk: 未知字段")):
        listed = cli("list", env={"DUTYCTL_LANG": language})
        assert record_id[:12] not in listed.stdout and words in listed.stderr, listed.stderr
    assert len(parsed) == 2  # once in each language
    path.write_text(path.read_text(encoding="utf-8").replace("junk: x\n", ""), encoding="utf-8")
    listed = cli("list")
    assert record_id[:12] in listed.stdout and not listed.stderr, listed.stderr
    assert len(parsed) == 3


def test_a_verdict_is_kept_for_what_the_store_reads_against(tmp_path):
    """The site's configuration and time zone (a record filed at 09:30 in Beijing is of the
    day before in New York: not in its dated folder) are part of what a verdict is for."""
    from dutyctl.store.verdicts import Verdicts

    big = tmp_path / "records" / "big.yaml"
    big.parent.mkdir()
    big.write_bytes(b"#" * REMEMBERED_BYTES)
    info = big.stat()
    (tmp_path / ".git").mkdir()  # the workspace's key is kept in its git folder
    kept = Verdicts(tmp_path / ".dutyctl", ("config", "Asia/Shanghai"))
    said = [(3, "wrong", None), (None, "... and 5 more", {"rule": "more-problems", "count": 5})]
    kept.remember(str(big), "records/big.yaml", info, said, info.st_mtime_ns + 10 * 10**9)
    assert kept.recall(str(big), "records/big.yaml", info) == said
    other = Verdicts(tmp_path / ".dutyctl", ("config", "America/New_York"))
    assert other.recall(str(big), "records/big.yaml", info) is None
    big.write_bytes(b"#" * (REMEMBERED_BYTES + 1))
    assert kept.recall(str(big), "records/big.yaml", big.stat()) is None


def test_a_verdict_is_not_kept_for_a_file_changed_within_a_coarse_clocks_tick(tmp_path):
    """A large unreadable record rewritten in place within the tick of a FAT disk's or a
    share's clock (whole seconds), with the same size, keeps its stamp: its verdict was
    said again for what the file no longer says. One whose time is that recent is not
    remembered; one older than the tick is. Times set by hand (os.utime), the reader's clock
    too."""
    import os

    from dutyctl.store.verdicts import Verdicts

    big = tmp_path / "records" / "big.yaml"
    big.parent.mkdir()
    big.write_bytes(b"#" * REMEMBERED_BYTES)
    (tmp_path / ".git").mkdir()  # the workspace's key is kept in its git folder
    kept = Verdicts(tmp_path / ".dutyctl", ("config", "Asia/Shanghai"))
    said = [(3, "wrong", None)]
    tick = 1_796_000_000 * 10**9  # a whole second: the clock's last tick, read half a second on
    for changed, remembered in ((tick, False), (tick - 10 * 10**9, True)):
        os.utime(big, ns=(changed, changed))
        info = big.stat()
        assert kept.recall(str(big), "records/big.yaml", info) is None  # then it is parsed
        kept.remember(str(big), "records/big.yaml", info, said, tick + 5 * 10**8)
        assert (kept.recall(str(big), "records/big.yaml", info) == said) is remembered


@pytest.mark.parametrize("build", [False, True])
def test_a_verdict_is_judged_by_the_clock_before_the_file_was_read(workspace, monkeypatch,
                                                                    build):
    """The store (`load_day`) and an index build (`_day_rows`, which reads a whole day
    folder before it parses a file) take the clock before they read: one taken after a slow
    reading (two seconds, on a clock set by hand) called a file of a coarse clock's last
    tick settled, and its verdict would be said again after a same-size rewrite in that
    tick. A file older than the tick is remembered."""
    import os
    import time
    from types import SimpleNamespace

    from dutyctl.store import index, recordstore, verdicts
    from tests.test_store import file_call

    record = file_call(workspace)
    (path,) = [path for path in record_files(workspace.root) if path.stem == record.id]
    path.write_text(path.read_text(encoding="utf-8") + "junk: x\n" + ("# " + "x" * 100 + "\n")
                    * 200, encoding="utf-8")
    tick = 1_796_000_000 * 10**9  # a whole second: the clock's last tick, read half a second on
    now = [0]
    clock = SimpleNamespace(time_ns=lambda: now[0], monotonic=time.monotonic)
    for module in (recordstore, index, verdicts):
        monkeypatch.setattr(module, "time", clock, raising=False)
    for name in ("read_with_stat", "read_listed"):  # reading takes two seconds
        real = getattr(yamlio, name)
        monkeypatch.setattr(yamlio, name, lambda *args, real=real: (
            now.__setitem__(0, now[0] + 2 * 10**9), real(*args))[1])
    store = workspace.store
    kept = store.kept_in / "parsed"
    day = record.created_at.astimezone(store.tz).date()
    for changed, remembered in ((tick, False), (tick - 10 * 10**9, True)):
        os.utime(path, ns=(changed, changed))
        now[0] = tick + 5 * 10**8
        if build:
            monkeypatch.setattr(index, "_reading", store)
            problems = index._day_rows(day.isoformat())[3]
        else:
            problems = []
            store.load_day(day, problems)
        assert problems
        assert bool(list(kept.glob("*.verdict"))) is remembered
