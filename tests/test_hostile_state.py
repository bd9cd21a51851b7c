"""Folders inside the state folder `.dutyctl/` as another desk's commit (`git add -f`, then a
`git pull`) can leave them: the parsed copies' folder `parsed/`, the outbox and its
`sending/` as symbolic links to a folder elsewhere. dutyctl writes none of its own files
through them, as it writes no lock, index or `.dutyctl` through a link; and a record index
made by another desk is not taken for this desk's own."""

from __future__ import annotations

import json
import sqlite3

from dutyctl import caches
from tests.helpers_foundation import call_flags, record_files

LINK_SAID = "a symbolic link: dutyctl does not write through it (replace it by a folder)"
NOTIFY = """
notify:
  channels:
    sms: {type: command, command: [/bin/false]}
  rules:
    emergency-opened: [sms]
"""


def linked_outside(workspace, tmp_path, name: str):
    """`.dutyctl/<name>` as a link to an empty folder outside the workspace; that folder."""
    import shutil

    outside = tmp_path / "outside"
    outside.mkdir()
    inside = workspace.root / ".dutyctl" / name
    inside.parent.mkdir(parents=True, exist_ok=True)
    if inside.is_dir() and not inside.is_symlink():
        shutil.rmtree(inside)
    inside.symlink_to(outside, target_is_directory=True)
    return outside


def test_a_cache_is_never_written_into_a_folder_linked_elsewhere(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "parsed").symlink_to(outside, target_is_directory=True)
    written = caches.write_whole(tmp_path / "parsed" / "rules.yaml.1.marshal", b"x")
    assert written == caches.NOT_WRITTEN
    assert list(outside.iterdir()) == []


def test_a_parsed_folder_linked_outside_takes_no_parsed_copy(cli, workspace, tmp_path):
    """The parsed copies of dutyctl.yaml, the rules and the rosters were written through the
    link into the folder it names; now they are not kept (the files are read each time), and
    every command answers as before."""
    log = cli(*call_flags("张三", "3-2-501", "13812345678", "漏水", "--at", "2026-10-12 09:30"))
    assert log.exit_code == 0, log.stderr
    outside = linked_outside(workspace, tmp_path, "parsed")
    (workspace.root / "dutyctl.yaml").write_text(
        (workspace.root / "dutyctl.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for args in (("list",), ("who", "--at", "2026-10-12 09:30"), ("check",)):
        result = cli(*args)
        assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, result.output
    assert list(outside.iterdir()) == []
    assert "漏水" in cli("list").stdout


def with_notify(workspace) -> None:
    path = workspace.root / "dutyctl.yaml"
    path.write_text(path.read_text(encoding="utf-8") + NOTIFY, encoding="utf-8")


def open_emergency(cli):
    return cli("emergency", "open", "--type", "fire", "--where", "3号楼大堂", "--content",
               "3楼冒烟", "--at", "2026-10-12 09:00")


def test_an_outbox_linked_outside_queues_nothing_through_it(cli, workspace, tmp_path):
    """An emergency's message (the record's text, a resident's words) was written into the
    folder the link names, and `sending/` made there. Now the emergency is recorded all the
    same, its message said as not queued, naming the link; `notify flush` and `watch` stop
    there (exit 3), as at a `.dutyctl` that is a link."""
    with_notify(workspace)
    outside = linked_outside(workspace, tmp_path, "outbox")
    opened = open_emergency(cli)
    assert opened.exit_code == 0, opened.output
    record_id = opened.stdout.splitlines()[0]
    assert any(path.stem == record_id for path in record_files(workspace.root))
    assert f".dutyctl/outbox: {LINK_SAID}" in opened.stderr, opened.stderr
    assert "Traceback" not in opened.stderr
    for args in (("notify", "flush"), ("notify", "watch", "--at", "2026-10-12 09:30"),
                 ("notify", "outbox")):
        result = cli(*args)
        assert result.exit_code == 3, (args, result.output)
        assert result.stderr.splitlines() == [
            f"{workspace.root / '.dutyctl' / 'outbox'}: {LINK_SAID}"], result.stderr
    assert list(outside.iterdir()) == []


def test_a_sending_folder_linked_outside_takes_no_message_out_of_the_outbox(cli, workspace,
                                                                            tmp_path):
    """`sending/` (where a message is claimed by a rename) as such a link: a flush renamed the
    message into the folder outside. Now the flush stops (exit 3) naming the link, and the
    message stays in the outbox."""
    with_notify(workspace)
    assert open_emergency(cli).exit_code == 0
    box = workspace.root / ".dutyctl" / "outbox"
    queued = sorted(path.name for path in box.glob("*.json"))
    assert len(queued) == 1
    outside = linked_outside(workspace, tmp_path, "outbox/sending")
    flushed = cli("notify", "flush")
    assert flushed.exit_code == 3, flushed.output
    assert flushed.stderr.splitlines() == [f"{box / 'sending'}: {LINK_SAID}"]
    assert sorted(path.name for path in box.glob("*.json")) == queued
    assert list(outside.iterdir()) == []


def test_a_record_index_another_desk_made_is_made_anew(cli, workspace):
    """An index another desk committed (`git add -f`) where this one's belongs, made at the same
    path (every desk's workspace in /srv/duty): its rows were taken as this desk's, a record
    no file holds listed and found by `search`, whatever the folders' files said. Now an
    index not sealed under this desk's key is built again from the files."""
    logged = cli(*call_flags("张三", "3-2-501", "13812345678", "漏水", "--at", "2026-10-12 09:30"))
    assert logged.exit_code == 0, logged.stderr
    assert cli("list").exit_code == 0  # the index made
    index = workspace.root / ".dutyctl" / "index.sqlite3"
    db = sqlite3.connect(index)
    with db:
        row = list(db.execute("SELECT * FROM records").fetchone())
        doc = json.loads(row[11])
        phantom = doc[0][:10] + "ZZ" + doc[0][12:]
        doc[0] = phantom
        doc[4] = {**doc[4], "summary": "幽灵来电"}
        row[0], row[1], row[11] = row[0] + 1, phantom, json.dumps(doc, ensure_ascii=False)
        db.execute(f"INSERT INTO records VALUES ({','.join('?' * len(row))})", row)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('desk', ?)", ("0" * 32,))
    db.close()
    for args in (("list",), ("search", "幽灵"), ("list", "--all", "--format", "json")):
        result = cli(*args)
        assert phantom[:12] not in result.stdout and "幽灵" not in result.stdout, (args, result)
    assert "漏水" in cli("list").stdout
    db = sqlite3.connect(index)
    try:
        (desk,) = db.execute("SELECT value FROM meta WHERE key = 'desk'").fetchone()
        assert db.execute("SELECT id FROM records WHERE id = ?", (phantom,)).fetchall() == []
    finally:
        db.close()
    assert desk != "0" * 32  # this desk's own seal, kept for the next command
