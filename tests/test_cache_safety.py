"""No content of a cache file can hurt a command. The caches (the parsed dutyctl.yaml, rules and
rosters, the git identity, the compiled .mo, the holiday calendar) are marshal dumps, and
marshal trusts counts: `(\\xff\\xff\\xff\\x7f` asks for a 16 GB tuple. Another desk can commit
files into the git-ignored `.dutyctl` (a merge writes them), a disk can damage them: each file
carries a digest under this desk's own key (dutyctl.caches), checked before marshal reads it.

The commands run in a process of their own, its memory bounded (a 16 GB allocation fails
instead of swapping) and watched: marshal handed a planted file's bytes ends it (exit 99),
whatever the machine's memory would have made of them."""

from __future__ import annotations

import importlib.util
import marshal
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dutyctl import caches, messages, yamlcache
from dutyctl.roster.rosterfile import read_roster
from tests.helpers_desk import october_site
from tests.helpers_foundation import call_flags, git, memory_bound, without_waiting_on

HUGE_TUPLE = b"(\xff\xff\xff\x7f"  # marshal: a tuple of 2**31 - 1 items
PLANTED = "DUTYCTL_TEST_PLANTED"
GUARDED = f"""
import os, sys
with open(os.environ.pop({PLANTED!r}), encoding="ascii") as listing:
    planted = [bytes.fromhex(line) for line in listing]

def watch(event, args):
    if event in ("marshal.loads", "marshal.load") and len(args[0]) >= 5 and any(
            whole.endswith(args[0]) for whole in planted):
        os.write(2, b"marshal was handed a planted file\\n")
        os._exit(99)

sys.addaudithook(watch)
"""
COMMAND = GUARDED + "sys.argv[0] = 'dutyctl'\nfrom dutyctl.launcher import run\nrun()\n"
WHO_AT = ("--lang", "zh_CN", "who", "--at", "2026-10-05 10:00")
HOLIDAY_PROBE = GUARDED + (
    "from datetime import date\nfrom dutyctl.sitecalendar import SiteCalendar\n"
    "print(SiteCalendar().is_working_day(date(2026, 10, 10)))\n")


def guarded(args: list[str], env: dict, planted: list[bytes], probe: str = COMMAND):
    """`python -c probe args` (the dutyctl program by default), memory bounded and watched."""
    listing = Path(env["PYTHONPYCACHEPREFIX"]).parent / "planted.txt"
    listing.write_text("".join(f"{data.hex()}\n" for data in planted), encoding="ascii")
    env = {**env, PLANTED: str(listing)}
    return subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, preexec_fn=memory_bound, timeout=300)


def environment(tmp_path: Path) -> dict:
    env = {**os.environ, "DUTYCTL_USER": "zhangwei",
           "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}  # the .mo's copy kept here
    env.pop("DUTYCTL_ROOT", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@pytest.fixture(scope="module")
def _bytecode(tmp_path_factory) -> Path:
    """The byte code this process has of the modules it imported (dutyctl's, Typer's,
    PyYAML's...), laid out as under PYTHONPYCACHEPREFIX: each test's own prefix (where the
    catalogue's parsed copy is kept) starts with it, as after an install. Its first process
    compiled every module from source (about 0.8 s of CPU a test, and each process of the
    holiday test where byte code is not written). Only .pyc files: the catalogue's copy and
    its key are each test's own, made by its own commands; a module missing here is compiled
    by the command that imports it, as before."""
    compiled = tmp_path_factory.mktemp("bytecode")
    found = {getattr(module, "__cached__", None) for module in list(sys.modules.values())}
    # the package behind the holiday probe (this process's own calendar is the suite's)
    holidays = importlib.util.find_spec("holidays")
    for folder in (holidays.submodule_search_locations or []) if holidays else []:
        found.update(map(str, Path(folder).rglob(f"*.{sys.implementation.cache_tag}.pyc")))
    for cached in filter(None, found):
        beside = os.path.dirname(os.path.abspath(cached))  # the source's own __pycache__
        if os.path.basename(beside) != "__pycache__" or not os.path.isfile(cached):
            continue
        target = compiled / os.path.dirname(beside).lstrip(os.sep) / os.path.basename(cached)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
    return compiled


@pytest.fixture
def warm_pycache(tmp_path, _bytecode) -> Path:
    """tmp_path/pycache (environment's PYTHONPYCACHEPREFIX) holding the module's byte code."""
    folder = tmp_path / "pycache"
    shutil.copytree(_bytecode, folder, copy_function=os.link)  # Python replaces a .pyc, never
    return folder  # writes into one


def compiled_mo(tmp_path: Path) -> Path:
    (found,) = (tmp_path / "pycache").rglob(f"{messages.DOMAIN}.mo.*.marshal")
    return found


def workspace_caches(root: Path) -> dict[str, Path]:
    """The workspace's cache files by their source's name (dutyctl.yaml, rules.yaml,
    2026-10.yaml, git-identity.marshal)."""
    folder = root / ".dutyctl" / yamlcache.CACHE_FOLDER
    return {path.name.split(".marshal")[0].rsplit(".", 1)[0] if path.name.count(".") > 1
            else path.name: path for path in folder.iterdir()}


def desk(workspace, tmp_path: Path) -> tuple[dict, list[str]]:
    """The October desk, its caches made by one `who` and one `log call`: (environment,
    what `who` says)."""
    october_site(workspace.root)
    git(workspace.root, "add", "-A")
    git(workspace.root, "commit", "-q", "-m", "October")
    env = environment(tmp_path)
    for args in (WHO_AT, (*call_flags(room="1-1-101"), "--at", "2026-10-05 10:05")):
        done = guarded(["--root", str(workspace.root), *args], env, [])
        assert done.returncode == 0, done.stderr
    said = guarded(["--root", str(workspace.root), *WHO_AT], env, []).stdout
    assert "张伟" in said and "客服专员" in said
    assert set(workspace_caches(workspace.root)) == {
        "dutyctl.yaml", "rules.yaml", "2026-10.yaml", "git-identity.marshal"}
    compiled_mo(tmp_path)
    return env, said


def still_right(workspace, env: dict, planted: list[bytes], said: str, room: str) -> None:
    """`who` says what it said, and a call is written and committed by the desk's identity."""
    root = workspace.root
    done = guarded(["--root", str(root), *WHO_AT], env, planted)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == said
    done = guarded(["--root", str(root), *call_flags(room=room), "--at", "2026-10-05 10:30"],
                   env, planted)
    assert (done.returncode, done.stderr) == (0, "")
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--format=%ce").strip() == "desk@example.com"


@pytest.mark.auto_commit
def test_a_huge_count_in_any_cache_file_never_reaches_marshal(workspace, tmp_path,
                                                              warm_pycache):
    env, said = desk(workspace, tmp_path)
    files = [*workspace_caches(workspace.root).values(), compiled_mo(tmp_path)]
    for path in files:
        path.write_bytes(HUGE_TUPLE)
    still_right(workspace, env, [HUGE_TUPLE], said, "1-1-102")
    for path in files:  # made anew, and used
        assert path.read_bytes().startswith(caches.MAGIC)


def other_desk(workspace, tmp_path: Path) -> dict[str, object]:
    """What another desk's caches hold, read with its own key: the same files, but 张伟 is
    赵六 there, the service role 前台 and 李娜 has the day of the 5th; no git identity."""
    other = tmp_path / "other"
    for name in ("dutyctl.yaml", "rosters/rules.yaml", "rosters/2026-10.yaml"):
        text = (workspace.root / name).read_text(encoding="utf-8")
        text = text.replace("张伟", "赵六").replace("service: 客服专员", "service: 前台")
        if name.endswith("2026-10.yaml"):
            text = text.replace("shift: day, role: service, staff: zhangwei",
                                "shift: day, role: service, staff: lina", 1)
        (other / name).parent.mkdir(parents=True, exist_ok=True)
        (other / name).write_text(text, encoding="utf-8")
        if name.endswith("2026-10.yaml"):  # kept as a roster keeps it (its assignments apart)
            read_roster(other / name, name, other / ".dutyctl")
        else:
            yamlcache.load_cached(other / name, name, other / ".dutyctl")
    key = caches.workspace_key(other / ".dutyctl")
    found = {name: caches.read_marshalled(path, key)[1]
             for name, path in workspace_caches(other).items()}
    found["git-identity.marshal"] = "no"
    return found


@pytest.mark.auto_commit
def test_a_cache_made_by_another_desk_never_changes_what_a_command_says(workspace, tmp_path,
                                                                        warm_pycache):
    """Another desk's parsed files, stamped for this desk's own files (a stamp is only sizes,
    times and inodes), in the format of the dutyctl before the digests and in today's under
    that desk's key; the catalogue's copy with every message forged: all read afresh."""
    env, said = desk(workspace, tmp_path)
    theirs = other_desk(workspace, tmp_path)
    key = caches.workspace_key(workspace.state_dir)
    ours = {path: caches.read_marshalled(path, key)
            for path in workspace_caches(workspace.root).values()}
    mo = compiled_mo(tmp_path)
    stamp, catalog, headers, charset = caches.read_marshalled(mo, caches.cache_key(mo.parent))
    forged = {msgid: "伪造" for msgid in catalog}
    other_key = caches.workspace_key(tmp_path / "other" / ".dutyctl")
    assert other_key not in (None, key)
    for layout, room in (("before digests", "1-1-103"), ("another key", "1-1-104")):
        planted = []
        contents = {path: (ours[path][0], theirs[name])
                    for name, path in workspace_caches(workspace.root).items()}
        contents[mo] = (stamp, forged, headers, charset)
        for path, payload in contents.items():
            if layout == "before digests":
                data = marshal.dumps(payload)
            else:
                caches.write_marshalled(path, payload, other_key)
                data = path.read_bytes()
            path.write_bytes(data)
            planted.append(data)
        still_right(workspace, env, planted, said, room)


def test_a_huge_count_or_another_calendar_in_the_holiday_cache_changes_nothing(tmp_path,
                                                                              warm_pycache):
    probe = HOLIDAY_PROBE
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    first = guarded([], env, [], probe)
    assert first.returncode == 0, first.stderr
    # 2026-10-10, a Saturday, is worked in the National Day's swap: the forged calendar below
    # (no working days) would answer False, so an answer unchanged means it was not read
    assert first.stdout == "True\n"
    (cache,) = (tmp_path / "cache" / "dutyctl").glob("*.marshal")
    stamp, (years, names, workdays) = caches.read_marshalled(
        cache, caches.cache_key(cache.parent))
    assert workdays  # the package's calendar has weekend working days
    for data in (HUGE_TUPLE, marshal.dumps((stamp, (years, names, [])))):
        cache.write_bytes(data)
        done = guarded([], env, [data], probe)
        assert (done.returncode, done.stderr, done.stdout) == (0, "", first.stdout)


def test_a_key_is_made_once_where_git_never_writes(tmp_path, monkeypatch):
    """In the git folder (a linked worktree's: the main one's), else (no git) the state folder,
    whoever the user; a damaged key is made anew; a git folder that is not plainly known or
    a damaged path to it: nothing is cached."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    main = tmp_path / "main"
    main.mkdir()
    subprocess.run(["git", "init", "-q", str(main)], check=True)
    subprocess.run(["git", "-C", str(main), "commit", "-q", "--allow-empty", "-m", "x",
                    "--author", "A <a@example.com>"], check=True,
                   env={**os.environ, "GIT_COMMITTER_NAME": "A",
                        "GIT_COMMITTER_EMAIL": "a@example.com"})
    linked = tmp_path / "linked"
    subprocess.run(["git", "-C", str(main), "worktree", "add", "-q", str(linked)], check=True)
    key = caches.workspace_key(main / ".dutyctl", create=True)
    assert (main / ".git" / caches.KEY_FILE).read_bytes() == key
    caches._KEYS.clear()
    assert caches.workspace_key(linked / ".dutyctl") == key
    assert not (linked / ".dutyctl").exists()
    plain = tmp_path / "plain"
    (plain / ".dutyctl").mkdir(parents=True)
    made = caches.workspace_key(plain / ".dutyctl", create=True)
    kept = plain / ".dutyctl" / caches.KEY_FILE
    assert kept.read_bytes()[:caches.KEY_BYTES] == made and made != key
    assert not (tmp_path / "user-cache" / "dutyctl" / caches.KEY_FILE).exists()
    caches._KEYS.clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert caches.workspace_key(plain / ".dutyctl", create=True) == made  # one per folder
    kept.write_bytes(b"short")
    caches._KEYS.clear()
    assert caches.workspace_key(plain / ".dutyctl") is None
    again = caches.workspace_key(plain / ".dutyctl", create=True)
    assert len(again) == caches.KEY_BYTES and again != made
    worktree_of = main / ".git" / "worktrees" / "linked" / "commondir"
    worktree_of.write_bytes(b"../..\0x\n")  # damaged: git's folder not plainly known
    caches._KEYS.clear()
    assert caches.workspace_key(linked / ".dutyctl", create=True) is None
    shutil.rmtree(main / ".git")
    (main / ".git").write_text("gitdir: nowhere\n", encoding="utf-8")
    caches._KEYS.clear()
    assert caches.workspace_key(main / ".dutyctl", create=True) is None


def test_a_workspace_without_git_takes_the_key_its_user_had_before(tmp_path, monkeypatch):
    """Where a workspace without git kept its key before, in the user's cache folder: the
    first key of its state folder is that one (what was sealed under it, a message queued
    and not sent yet, stays this desk's), and whoever comes next finds it there."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-a"))
    before = caches.cache_key(caches.user_cache_dir(), create=True)
    state = tmp_path / "plain" / ".dutyctl"
    caches._KEYS.clear()
    assert caches.workspace_key(state) is None  # none made when only read
    assert caches.workspace_key(state, create=True) == before
    assert (state / caches.KEY_FILE).read_bytes()[:caches.KEY_BYTES] == before
    caches._KEYS.clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-b"))
    caches.cache_key(caches.user_cache_dir(), create=True)  # user b's own, from before
    caches._KEYS.clear()
    assert caches.workspace_key(state, create=True) == before


def test_a_key_that_came_into_a_workspace_without_git_is_never_taken(tmp_path, monkeypatch):
    """The key of a workspace without git is kept in its state folder, where a key also
    comes with a copy of another desk's folder (a zip, a file-sync tool) or from a checkout of
    a repository elsewhere that another desk's `git add -f` reached: such a key is another
    folder's, never taken (what was sealed under it would be trusted: its index, its queued
    messages, sent again from here); one of this folder's is made in its place."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    theirs = tmp_path / "their-desk" / ".dutyctl"
    their_key = caches.workspace_key(theirs, create=True)
    copy = tmp_path / "copy"
    shutil.copytree(theirs.parent, copy)  # their folder, .dutyctl and all
    caches._KEYS.clear()
    assert caches.workspace_key(copy / ".dutyctl") is None
    ours = caches.workspace_key(copy / ".dutyctl", create=True)
    assert ours not in (None, their_key)
    assert (copy / ".dutyctl" / caches.KEY_FILE).read_bytes()[:caches.KEY_BYTES] == ours
    caches._KEYS.clear()
    assert caches.workspace_key(copy / ".dutyctl") == ours  # kept, and taken next time
    assert caches.workspace_key(theirs) == their_key  # theirs still theirs
    plain = tmp_path / "plain" / ".dutyctl"
    plain.mkdir(parents=True)
    # a key as a .git folder keeps one; their desk's own key file, written into this folder
    for planted in (b"k" * caches.KEY_BYTES, (theirs / caches.KEY_FILE).read_bytes()):
        (plain / caches.KEY_FILE).write_bytes(planted)
        caches._KEYS.clear()
        made = caches.workspace_key(plain, create=True)
        assert made not in (None, their_key, planted[:caches.KEY_BYTES])
        (plain / caches.KEY_FILE).unlink()


def test_a_workspace_without_git_keeps_its_key_when_its_disk_is_mounted_again(tmp_path,
                                                                               monkeypatch):
    """A USB stick or a network share mounted again gives its folders another device number
    (st_dev) and keeps their inodes: the key of a workspace without git on it is still the
    folder's (its index was rebuilt, its queued messages named again and not sent, as if the
    folder were a copy). A key marked with the device and inode (a dutyctl before) is taken,
    marked anew, and kept past the next remount too. A key taken once in a process is
    taken again without a stat. (A disk whose file system has an id of its own, statvfs's
    f_fsid: ext4, btrfs, NTFS, an SMB share.)"""
    from types import SimpleNamespace

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    state = tmp_path / "stick" / ".dutyctl"

    def statvfs(path, real=getattr(os, "statvfs", None)):  # the disk's own id, kept
        return SimpleNamespace(f_fsid=7) if os.fspath(path) == os.fspath(state) else real(path)

    monkeypatch.setattr(caches.os, "statvfs", statvfs, raising=False)
    made = caches.workspace_key(state, create=True)
    real, mounts, stated = os.stat, [0], []

    def stat(path, *args, **kwargs):  # the state folder as a remount shows it
        info = real(path, *args, **kwargs)
        if os.fspath(path) != os.fspath(state):
            return info
        stated.append(path)
        return os.stat_result((*info[:2], info.st_dev + mounts[0], *info[3:10]))

    monkeypatch.setattr(caches.os, "stat", stat)
    for mounts[0] in (1, 2):
        caches._KEYS.clear()
        assert caches.workspace_key(state) == made
        assert caches.workspace_key(state, create=True) == made
    assert len(stated) == 2  # once a process: then known
    info = real(state)
    before = made + caches._digest(made, f"{info.st_dev}:{info.st_ino}".encode(),
                                   caches._MARK_PERSON)
    (state / caches.KEY_FILE).write_bytes(before)
    for mounts[0] in (0, 3):
        caches._KEYS.clear()
        assert caches.workspace_key(state) == made
    assert (state / caches.KEY_FILE).read_bytes() != before  # marked anew


@pytest.mark.parametrize("disks", ["own id", "no id", "no statvfs"])
def test_a_copy_on_another_disk_given_the_same_inode_never_takes_the_key(tmp_path, monkeypatch,
                                                                         disks):
    """A copy of a workspace without git, .dutyctl and all, on another disk (a second USB
    stick, a backup disk), whose file system numbered its state folder as the original's is
    (FAT and NTFS number a folder by where it lies): not the original's folder, so it never
    takes its key (it would trust its index and send its queued messages again). Told by the
    file system's own id (statvfs f_fsid), else (none: 0, or no statvfs, Windows) by the
    device. Stat and statvfs as each disk shows them."""
    import types

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    original, copy = tmp_path / "stick-a" / ".dutyctl", tmp_path / "stick-b" / ".dutyctl"
    copy.mkdir(parents=True)
    real_stat, real_statvfs = os.stat, getattr(os, "statvfs", None)
    inode = real_stat(tmp_path).st_ino  # one number for both folders
    disk = {os.fspath(original): 1, os.fspath(copy): 2}

    def stat(path, *args, **kwargs):
        info = real_stat(path, *args, **kwargs)
        if os.fspath(path) not in disk:
            return info
        return os.stat_result((info.st_mode, inode, disk[os.fspath(path)], *info[3:10]))

    def statvfs(path):
        if os.fspath(path) not in disk:
            return real_statvfs(path)
        return types.SimpleNamespace(f_fsid=100 + disk[os.fspath(path)]
                                     if disks == "own id" else 0)

    monkeypatch.setattr(caches.os, "stat", stat)
    if disks == "no statvfs":
        monkeypatch.delattr(caches.os, "statvfs", raising=False)
    else:
        monkeypatch.setattr(caches.os, "statvfs", statvfs, raising=False)
    theirs = caches.workspace_key(original, create=True)
    (copy / caches.KEY_FILE).write_bytes((original / caches.KEY_FILE).read_bytes())
    caches._KEYS.clear()
    assert caches.workspace_key(copy) is None
    ours = caches.workspace_key(copy, create=True)
    assert ours not in (None, theirs)
    caches._KEYS.clear()
    assert caches.workspace_key(original) == theirs  # the original's still its own


def test_a_key_is_written_as_every_cache_file_is(tmp_path, monkeypatch):
    """A key made is written by the one whole-file writer of the caches (write_whole), which
    _new_key repeated: where another command made one first, that one is kept and taken; a
    damaged one is replaced; a folder that cannot be written keeps none."""
    written = []
    write_whole = caches.write_whole
    monkeypatch.setattr(caches, "write_whole", lambda path, data, *replace: written.append(
        path) or write_whole(path, data, *replace))
    path = tmp_path / "keys" / caches.KEY_FILE
    first, second = b"a" * caches.KEY_BYTES, b"b" * caches.KEY_BYTES
    assert caches._new_key(path, first, replace=False) == first
    assert caches._new_key(path, second, replace=False) == first  # made first: kept
    assert path.read_bytes() == first
    assert caches._new_key(path, second, replace=True) == second
    assert path.read_bytes() == second
    assert written == [path] * 3
    assert sorted(os.listdir(path.parent)) == [caches.KEY_FILE]  # no temporary file left
    (tmp_path / "file").write_bytes(b"")
    assert caches._new_key(tmp_path / "file" / caches.KEY_FILE, first, replace=False) is None


def test_without_hard_links_a_key_found_there_is_not_taken(tmp_path, monkeypatch):
    """Where the file system has no hard links, a key is created by a rename, which is no
    atomic create: the key found there may be replaced by another command's a moment later,
    so none is taken and nothing cached by this command (the next one reads the key)."""
    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "keys" / caches.KEY_FILE
    first, second = b"a" * caches.KEY_BYTES, b"b" * caches.KEY_BYTES
    assert caches._new_key(path, first, replace=False) == first  # none there: renamed in
    assert caches._new_key(path, second, replace=False) is None
    assert path.read_bytes() == first
    assert sorted(os.listdir(path.parent)) == [caches.KEY_FILE]


@pytest.mark.parametrize("kind", ["fifo", "link to a fifo", "link to /dev/zero"])
def test_a_cache_file_that_is_no_plain_file_is_never_waited_on(tmp_path, kind):
    """git carries symbolic links into `.dutyctl` too: a cache that is one (to a FIFO, which
    would block for ever, or to /dev/zero) or a FIFO is not read, the file is parsed."""
    probe = (
        "import sys\nfrom pathlib import Path\nfrom dutyctl import yamlcache\n"
        "path, state = Path(sys.argv[1]), Path(sys.argv[2])\n"
        "print(yamlcache.load_cached(path, None, state))\n")
    path, state = tmp_path / "f.yaml", tmp_path / ".dutyctl"
    path.write_text("a: 1\n", encoding="utf-8")
    yamlcache.load_cached(path, None, state)
    (cache,) = (state / yamlcache.CACHE_FOLDER).iterdir()
    cache.unlink()
    if kind == "fifo":
        os.mkfifo(cache)
    else:
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        cache.symlink_to(fifo if kind == "link to a fifo" else Path("/dev/zero"))
    done = subprocess.run([sys.executable, "-c", probe, str(path), str(state)],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "{'a': 1}\n")


def test_a_cache_or_key_that_is_no_plain_file_is_never_opened(tmp_path, monkeypatch):
    """The caches read with the bounded reader every workspace file is read with
    (`plainfile.read_plain`): a FIFO, a link or a device where a cache or the key belongs is
    refused on its lstat, never opened (opening a device may already do something)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "keys").mkdir()
    os.mkfifo(tmp_path / "keys" / caches.KEY_FILE)
    (tmp_path / "zero").symlink_to("/dev/zero")
    opened = []
    real_open = os.open
    # any keyword passed on (Python 3.13's rmtree of tmp_path opens with dir_fd=)
    monkeypatch.setattr(os, "open", lambda path, *args, **keywords: opened.append(str(path))
                        or real_open(path, *args, **keywords))
    fifos = [fifo, tmp_path / "keys" / caches.KEY_FILE]
    for path in (fifo, tmp_path / "zero", Path("/dev/null")):
        with pytest.raises(OSError):
            without_waiting_on(fifos, lambda: caches.read_marshalled(
                path, b"k" * caches.KEY_BYTES))
    caches._KEYS.clear()
    assert without_waiting_on(fifos, lambda: caches.cache_key(tmp_path / "keys")) is None
    assert opened == []


def test_two_users_of_one_workspace_without_git_keep_each_others_index_and_caches(
        cli, workspace, tmp_path, clock):
    """A workspace without git, one folder two OS accounts work in: the key was each user's
    (their cache folder), so each took the other's record index for another desk's and built
    it again, and parsed every file again, at every switch. The key is the folder's now."""
    import sqlite3

    shutil.rmtree(workspace.root / ".git")
    users = [{"XDG_CACHE_HOME": str(tmp_path / name)} for name in ("user-a", "user-b")]

    def run(user: dict, *args: str) -> None:
        caches.forget_all()  # each command a process of its own, as a desk's are
        result = cli(*args, env=user)
        assert result.exit_code == 0, result.stderr

    run(users[0], "log", "call", "--name", "张三", "--room", "3-2-501", "--phone",
        "13812345678", "--summary", "物业费", "--at", "2026-10-12 09:00")
    run(users[0], "list", "--all")
    state = workspace.root / ".dutyctl"
    with sqlite3.connect(state / "index.sqlite3") as db:
        db.execute("INSERT INTO meta VALUES ('test-mark', 'kept')")
    db.close()
    parsed = {path: path.stat().st_mtime_ns for path in (state / "parsed").iterdir()}
    assert parsed
    for user in (users[1], users[0], users[1]):
        run(user, "list", "--all")
        run(user, "report", "daily", "--date", "2026-10-12")
    with sqlite3.connect(state / "index.sqlite3") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'test-mark'").fetchone() == (
            "kept",)
    db.close()
    assert {path: path.stat().st_mtime_ns for path in (state / "parsed").iterdir()} == parsed
    assert (state / caches.KEY_FILE).is_file()
    assert not any((tmp_path / name / "dutyctl" / caches.KEY_FILE).exists()
                   for name in ("user-a", "user-b"))


def test_a_process_that_outlives_its_state_folder_takes_the_key_made_there_now(tmp_path,
                                                                                monkeypatch):
    """A workspace without git whose `.dutyctl` is removed and made again while a process
    (a watch, a long command) runs: its next cache or seal is under the key the new folder
    has (made then, or another command's), never the one it read from the folder gone."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # no key from before
    state = tmp_path / "plain" / ".dutyctl"
    first = caches.workspace_key(state, create=True)
    shutil.rmtree(state)
    assert caches.workspace_key(state) is None  # none there now, and none made when read
    state.mkdir()
    made = caches.workspace_key(state, create=True)
    assert made not in (None, first)
    assert (state / caches.KEY_FILE).read_bytes()[:caches.KEY_BYTES] == made
    # the folder made again by another command, with its key: this process takes that one
    ours = dict(caches._KEYS), dict(caches._KEY_FILES)
    shutil.rmtree(state)
    caches.forget_all()  # the other command's process
    theirs = caches.workspace_key(state, create=True)
    caches.forget_all()
    caches._KEYS.update(ours[0])
    caches._KEY_FILES.update(ours[1])
    assert caches.workspace_key(state) == theirs != made
