"""Folders inside the state folder `.dutyctl/` as another desk's commit (`git add -f`, then a
`git pull`) can leave them: the parsed copies' folder `parsed/`, the outbox and its
`sending/` as symbolic links to a folder elsewhere. dutyctl writes none of its own files
through them, as it writes no lock, index or `.dutyctl` through a link."""

from __future__ import annotations

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

