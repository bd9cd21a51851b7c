"""File locks (storage.FileLock): flock where the system has fcntl, the filelock package
elsewhere (Windows); both are exercised here, the second by hiding fcntl."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dutyctl.store import storage
from dutyctl.errors import EnvironmentFailure


@pytest.fixture(params=["fcntl", "filelock"])
def backend(request, monkeypatch):
    if request.param == "filelock":
        monkeypatch.setattr(storage, "fcntl", None)
    return request.param


def test_one_holder_at_a_time_and_free_again_after(tmp_path, backend):
    path = tmp_path / "state" / "desk.lock"
    with storage.exclusive(path) as held:
        assert storage.try_exclusive(path) is None
        assert bool(held.keep) == (backend == "fcntl")  # a git child holds flock on after us
    again = storage.try_exclusive(path)
    assert again is not None
    again.close()


def test_a_lock_held_too_long_gives_up_with_a_clear_message(tmp_path, backend, capsys):
    path = tmp_path / "git.lock"
    with storage.exclusive(path):
        with pytest.raises(EnvironmentFailure) as caught:
            with storage.exclusive(path, wait=0.3):
                pass
    message = str(caught.value)
    assert message.startswith(f"{path}: another dutyctl command has held this lock for over")
    assert "end it, then try again" in message
    assert "waiting for another dutyctl command" in capsys.readouterr().err  # said once, first


def test_a_writer_stalled_past_the_wait_still_says_it_waited(tmp_path, monkeypatch, capsys):
    """A loaded machine can stall a writer past the whole wait before it first looks again:
    it still says it waited before it gives up (its clock jumps 10 s at the first look)."""
    path = tmp_path / "git.lock"
    held = storage.try_exclusive(path)
    ticks = iter([0.0, 10.0])
    monkeypatch.setattr(storage, "time", SimpleNamespace(monotonic=lambda: next(ticks),
                                                         sleep=lambda seconds: None))
    try:
        with pytest.raises(EnvironmentFailure, match="has held this lock for over 1 s"):
            with storage.exclusive(path, wait=1.0):
                pass
    finally:
        held.close()
    assert "waiting for another dutyctl command" in capsys.readouterr().err


def test_a_caller_that_will_not_wait_is_not_told_it_waits(tmp_path, capsys):
    """wait=0 (the record index asked by a writing command, which reads the files instead):
    no "waiting ... (up to 0 s)" line."""
    path = tmp_path / "index.lock"
    held = storage.try_exclusive(path)
    try:
        with pytest.raises(EnvironmentFailure):
            with storage.exclusive(path, wait=0):
                pass
    finally:
        held.close()
    assert capsys.readouterr().err == ""


def test_a_lock_file_that_cannot_be_made_is_an_environment_failure(tmp_path, backend):
    (tmp_path / "state").write_text("a file, not a folder")
    with pytest.raises(EnvironmentFailure, match="not a folder: cannot write x.lock inside it"):
        storage.FileLock(tmp_path / "state" / "x.lock")
    if backend == "fcntl":  # filelock opens its file when taking the lock, not before
        (tmp_path / "y.lock").mkdir()  # a folder where the lock file belongs
        with pytest.raises(EnvironmentFailure, match="cannot take the lock"):
            storage.FileLock(tmp_path / "y.lock")
