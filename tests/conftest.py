"""Shared fixtures: a fresh workspace per test, the CLI through CliRunner, the installed binary."""

from __future__ import annotations

import functools
import gc
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import typer.testing
import typer.utils
from typer.testing import CliRunner

from dutyctl import caches, messages, sitecalendar, timeutil, yamlcache
from dutyctl import workspace as workspace_module
from dutyctl.cli import app
from dutyctl.workspace import Workspace, init_workspace
from tests import holiday_data
from tests.entrypoint import stop_zygote, undone_in_forks

REAL_OFFICIAL_CALENDAR = sitecalendar.official_calendar


def _shifted_now() -> None:
    """Opt-in, for a date-proofing run: DUTYCTL_TEST_SHIFT_NOW=2031-03-14 (a date: the real
    time of day on that day in Shanghai; or an instant with its offset) moves the real clock
    (timeutil.system_clock: what a test without the `clock` fixture gets) there, in this
    process, its forks and every process it starts with this environment (tests/fixed_clock
    on PYTHONPATH). A test that passes only on the day it was written fails then. Never set
    by default: the suite's own runs read the real clock."""
    value = os.environ.get("DUTYCTL_TEST_SHIFT_NOW")
    if not value:
        return
    from tests import entrypoint

    if value[0] not in "+-":  # once, in the first process: its children get the offset
        target = datetime.fromisoformat(value)
        if target.tzinfo is None:  # a date (or a naive time): the same time of day there
            from zoneinfo import ZoneInfo

            here = datetime.now(ZoneInfo("Asia/Shanghai"))
            seconds = (target.date() - here.date()).days * 86400
        else:
            seconds = (target - datetime.now(timezone.utc)).total_seconds()
        value = f"{seconds:+.0f}"
    paths = [entrypoint.FIXED_CLOCK, *filter(None, os.environ.get("PYTHONPATH", "").split(
        os.pathsep))]
    for environment in (os.environ, entrypoint._STARTING_ENVIRONMENT):  # the zygote's too
        environment["DUTYCTL_TEST_SHIFT_NOW"] = value
        environment["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    import runpy

    runpy.run_path(os.path.join(entrypoint.FIXED_CLOCK, "sitecustomize.py"))


_shifted_now()

# Writes here do not wait for the disk (dutyctl.store.storage.durable): the suite's thousands
# of throw-away workspaces need no power-cut safety, and on a busy disk the fsyncs were most of
# its wall time. Set for the whole session, so the installed `dutyctl` and git children
# inherit it; tests/test_store.py shows that writes do wait without it.
os.environ.setdefault("DUTYCTL_NO_FSYNC", "1")  # DUTYCTL_NO_FSYNC=0 to time the suite with them


SCRATCH_FREE_MIN = 1 << 30  # bytes: a container's small /dev/shm (64 MB) would fill up


def _scratch_in_memory() -> None:
    """Test folders (tmp_path) in /dev/shm, a tmpfs, where there is a roomy one and $TMPDIR
    does not name another place: every test's workspace is made and removed (about 30
    folders), and on a busy disk each folder removed cost about a millisecond of waiting."""
    shm = "/dev/shm"
    if "TMPDIR" in os.environ or not os.access(shm, os.W_OK | os.X_OK):
        return
    space = os.statvfs(shm)
    # noexec (Docker's default mount): the tests' git hooks and stand-in programs must run
    if space.f_flag & os.ST_NOEXEC:
        return
    if space.f_bavail * space.f_frsize >= SCRATCH_FREE_MIN:
        os.environ["TMPDIR"] = shm  # the xdist workers and every child inherit it
        tempfile.tempdir = None  # tempfile.gettempdir() looks again


_scratch_in_memory()

# The groups (the tests of a module run on one worker, see pytest_xdist_make_scheduler) start
# first, the biggest first (pytest-xdist's `loadscopereorder`); then the tests of these modules
# (seconds each, most of them through the installed binary or a browser, or the solver on a
# year) before the rest, so that neither pytest-xdist worker is left finishing one of them
# alone at the end.
LONG_FIRST = ("test_multidesk.py", "test_roster_fairness.py", "test_readme_zh.py",
              "test_zh_shift.py", "test_report_browser.py", "test_index.py", "test_readme.py",
              "test_completion.py", "test_self_heal.py", "test_concurrency.py")


def pytest_collection_modifyitems(config, items):
    """Scheduling only: the long modules first (see pytest_xdist_make_scheduler); on a
    pytest-xdist worker, the groups of tests that share one worker told to the controller."""
    rank = {name: place for place, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable
    folder = getattr(config, "workerinput", {}).get(GROUPS_FOLDER)
    if folder is not None:
        _write_groups(Path(folder) / f"{config.workerinput['workerid']}.json", items)


_FROZEN_AT = pytest.StashKey[str]()  # the module whose first test froze the heap last


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the first test of each module: the garbage collected, then what is left alive
    (the modules, pytest's items and fixture definitions, the caches: most of a worker's
    heap, which only grows) left out of Python's later collections. Every full collection
    walked all of it again: 9.6 s of the two workers' CPU in one run (13.7 s for all
    collections, timed with gc.callbacks under load; 11.3 s freezing once, after collection).
    What a test makes is collected as before; an object frozen here and dropped later is freed
    as soon as nothing refers to it (only a cycle of such objects stays, until the worker
    ends)."""
    module = item.nodeid.split("::", 1)[0]
    if item.session.stash.get(_FROZEN_AT, None) != module:
        item.session.stash[_FROZEN_AT] = module
        gc.collect()
        gc.freeze()


# Where the workers write which tests share a worker (nodeid -> group), for the controller
GROUPS_FOLDER = "dutyctl_shared_groups"
_GROUPS = pytest.StashKey[Path]()  # that folder, on the controller


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """On the controller, before a worker starts: the folder it writes its groups to."""
    config = node.config
    if _GROUPS not in config.stash:
        config.stash[_GROUPS] = Path(tempfile.mkdtemp(prefix="dutyctl-groups-"))
    node.workerinput[GROUPS_FOLDER] = str(config.stash[_GROUPS])


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config):
    if _GROUPS in config.stash:
        shutil.rmtree(config.stash[_GROUPS], ignore_errors=True)
    stop_zygote()  # tests/entrypoint.py: the process the forks are made by
    if hasattr(config, "workerinput") and "coverage" not in sys.modules:
        _worker_leaves_at_once()


def _worker_leaves_at_once() -> None:
    """A pytest-xdist worker ends here, its report sent: it has told the controller it
    finished (with its results) and torn its fixtures down, and the controller waits for it
    to exit before ending the run. Python's own ending of a process that ran every test
    module (plugins' unconfigure, a garbage collection of the whole heap, freeing it) took
    1-1.5 s per worker at the end of each run, with nothing left to run beside it. Not
    under coverage, which writes its data as the process ends."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` as meant: the tests of a module with a module-scoped fixture on one
    worker (it builds the fixture once), every other test on whichever worker is free.
    pytest-xdist 3.8's own groups do nothing under pytest 9.2 (it renames a grouped test's
    `_nodeid`, which pytest no longer reads: pytest-xdist#1386). Only the workers collect, so
    each writes its tests' groups (_write_groups, from pytest's fixture definitions) before
    it reports its collection; the controller schedules once every collection is in, reading
    them then. The modules that walk the package's syntax trees (tests/sources.py, half a
    second to parse once per process) share one worker too."""
    import json

    from xdist.scheduler import LoadScopeScheduling

    # LoadScopeScheduling's private members (assigned_work, workqueue, _reschedule ...) are
    # used below: pyproject pins pytest-xdist to the 3.x it was written against (>=3.8)
    class SharedFixtureModules(LoadScopeScheduling):
        @functools.cached_property
        def groups(self) -> dict[str, str]:
            folder = config.stash.get(_GROUPS, None)
            found = {}
            for path in sorted(folder.glob("*.json")) if folder else ():
                found.update(json.loads(path.read_text(encoding="utf-8")))
            return found

        def _split_scope(self, nodeid: str) -> str:
            return self.groups.get(nodeid, nodeid)

        # The tests a worker has yet to run, counted as they are given and reported: the
        # scheduler's own count walks every unit the worker was ever given at each report
        # (3,600 reports, nearly as many units of one test: 2.3 million steps, a second or
        # two of the controller's CPU), and finds each test's place in the collection by a
        # search of the list.
        def __init__(self, *args) -> None:
            super().__init__(*args)
            self._places: dict = {}  # node -> nodeid -> its index in the node's collection

        def add_node(self, node) -> None:
            super().add_node(node)
            self.assigned_work[node] = _Workload()

        def _pending_of(self, workload) -> int:
            if isinstance(workload, _Workload):
                return workload.pending
            return super()._pending_of(workload)

        def mark_test_complete(self, node, item_index: int, duration: float = 0) -> None:
            nodeid = self.registered_collections[node][item_index]
            unit = self.assigned_work[node][self._split_scope(nodeid)]
            if not unit[nodeid]:
                unit[nodeid] = True
                self.assigned_work[node].pending -= 1
            self._reschedule(node)

        def _assign_work_unit(self, node) -> None:
            scope, unit = self.workqueue.popitem(last=False)
            workload = self.assigned_work.setdefault(node, _Workload())
            workload[scope] = unit
            places = self._places.get(node)
            if places is None:
                collection = self.registered_collections[node]
                places = self._places[node] = {
                    nodeid: place for place, nodeid in reversed(list(enumerate(collection)))}
            waiting = [places[nodeid] for nodeid, completed in unit.items() if not completed]
            workload.pending += len(waiting)
            node.send_runtest_some(waiting)

    return SharedFixtureModules(config, log)


class _Workload(dict):
    """A worker's units of work (scope -> nodeid -> done), as pytest-xdist keeps them, with
    the count of its tests not done yet."""

    pending = 0


def _write_groups(path: Path, items) -> None:
    """The groups of the tests that share a worker, written whole (atomically)."""
    import json

    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(shared_groups(items)), encoding="utf-8")
    partial.replace(path)


def shared_groups(items) -> dict[str, str]:
    """nodeid -> group of each test that runs on one worker with the rest of its group:
    every test of a module where some test uses a fixture built once per module (pytest's
    fixture definitions say which), and the tests that walk the package's syntax trees."""
    modules = {str(item.path) for item in items if _uses_a_module_fixture(item)}
    groups = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and _walks_sources(module):
            groups[item.nodeid] = "tests/sources.py"
        elif str(item.path) in modules:
            groups[item.nodeid] = str(item.path)
    return groups


def _uses_a_module_fixture(item) -> bool:
    """The test asks (itself or through other fixtures) for a module-scoped fixture."""
    fixtures = getattr(item, "_fixtureinfo", None)
    definitions = fixtures.name2fixturedefs.values() if fixtures is not None else ()
    return any(chain and chain[-1].scope == "module" for chain in definitions)


@functools.cache
def _walks_sources(module) -> bool:
    """The module uses tests/sources.py (its syntax trees of the package)."""
    return any(getattr(value, "__module__", None) == "tests.sources"
               for value in vars(module).values())


@pytest.fixture(autouse=True)
def _own_holiday_data(monkeypatch):
    """China's calendar comes from tests/holiday_data.py (2025-2026), not from the installed
    `holidays` package: its next release cannot change what a test expects. Tests about the
    package itself ask for `installed_holidays`."""
    real = sitecalendar.official_calendar
    monkeypatch.setattr(sitecalendar, "official_calendar",
                        lambda country: holiday_data.china() if country == "CN" else real(country))


@pytest.fixture
def installed_holidays(monkeypatch, tmp_path):
    """The installed package's calendar, through an empty cache of its own (a test may change
    the package's data in place, which a cache keyed on its files would not notice)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sitecalendar, "official_calendar", REAL_OFFICIAL_CALENDAR)


class _LanguageAwareMonkeyPatch(pytest.MonkeyPatch):
    """dutyctl chooses its language once per command line; a test that switches it through
    the environment (`monkeypatch.setenv("DUTYCTL_LANG", ...)`) has it chosen again."""

    def setenv(self, name, value, prepend=None):
        super().setenv(name, value, prepend)
        messages.forget_language()

    def delenv(self, name, raising=True):
        super().delenv(name, raising)
        messages.forget_language()

    def undo(self):
        super().undo()
        messages.forget_language()


@pytest.fixture
def monkeypatch():
    """pytest's own, telling dutyctl.messages when the environment changes."""
    with undone_in_forks(_LanguageAwareMonkeyPatch()) as patch:  # a fork is a new process
        yield patch
        patch.undo()


@pytest.fixture(scope="session")
def _user_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("user-cache")


@pytest.fixture(scope="session")
def _user_configs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("user-configs")


_CONFIG_NUMBERS = itertools.count()


@pytest.fixture
def _user_config(_user_configs) -> Path:
    """Each test's own config folder (not made until written: notify approvals), so no test
    sees another's approvals or a file another left damaged."""
    return _user_configs / str(next(_CONFIG_NUMBERS))


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch, _user_cache, _user_config):
    """Tests never see the developer's own workspace, identity or terminal width (tables
    fit $COLUMNS: a wide one unless a test sets its own)."""
    for name in ("DUTYCTL_ROOT", "DUTYCTL_USER", "DUTYCTL_DEBUG", "LC_ALL", "LC_MESSAGES",
                 "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    # Workspaces speak Chinese (site.language); tests read English unless they ask otherwise.
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("XDG_CACHE_HOME", str(_user_cache))  # never the developer's ~/.cache
    monkeypatch.setenv("XDG_CONFIG_HOME", str(_user_config))  # nor ~/.config (approvals)
    messages.start_invocation(None)  # a `--lang` of the previous test's last command is gone


def auto_commit_off(root: Path) -> None:
    """A git commit per write costs ~30 ms of git: only the tests about git pay it."""
    config = root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("auto_commit: true", "auto_commit: false", 1), encoding="utf-8")


# The hand-edited files a command parses first (dutyctl.yamlcache keeps them parsed in .dutyctl).
HAND_EDITED = ("dutyctl.yaml", "rosters/rules.yaml")


def init_as_template(root: Path, language: str | None = None) -> None:
    """`init_workspace` keeping the template's own recurring starts (2026-11-01 …), not the
    day the suite runs: `init` dates them from its clock (tested in test_init_chinese), the
    tests that file recurring repairs from the template's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workspace_module, "recurring_from_today", lambda text: text)
        init_workspace(root, language)


@pytest.fixture(scope="session")
def _new_workspace(tmp_path_factory) -> Path:
    """One workspace made by `init` (its files and its first commit) for every test to copy:
    `init` costs three git runs, a copy none. Git's sample hooks are left out (inert)."""
    root = tmp_path_factory.mktemp("template") / "site"
    init_as_template(root)
    for sample in (root / ".git" / "hooks").glob("*.sample"):
        sample.unlink()
    _parse_hand_edited(root)
    return root


@pytest.fixture(scope="session")
def _quiet_workspace(tmp_path_factory, _new_workspace) -> Path:
    """The template with auto-commit off, what most tests copy."""
    root = tmp_path_factory.mktemp("template-quiet") / "site"
    new_workspace(root, _new_workspace)
    auto_commit_off(root)
    _parse_hand_edited(root)
    return root


@pytest.fixture(scope="session")
def _committing_workspace(tmp_path_factory, _new_workspace) -> Path:
    """The template (auto-commit on, as `init` makes it) with a git identity, what the tests
    marked `auto_commit` copy."""
    root = tmp_path_factory.mktemp("template-committing") / "site"
    new_workspace(root, _new_workspace)
    for key, value in (("user.email", "desk@example.com"), ("user.name", "Desk")):
        subprocess.run(["git", "-C", str(root), "config", key, value], check=True)
    return root


def _parse_hand_edited(root: Path) -> None:
    for name in HAND_EDITED:
        yamlcache.load_with_digest(root / name, None, root / ".dutyctl")


def new_workspace(root: Path, template: Path) -> None:
    """A copy of the template workspace (tests about `init` itself call init_workspace). The
    template's parsed copies of its hand-edited files come along, stamped for the copy's own
    files (byte for byte the template's): a test's first command reads them from the cache, as
    a desk's commands do, instead of parsing them again (~5 ms of PyYAML a test). A test that
    edits one of them changes its stamp (size, times, inode), and it is parsed afresh. Folders
    keep the template's times too, as copytree's copystat kept them (the commit code reads
    folder modification times): set last, deepest first, once nothing more is written in them."""
    folders, files, parsed_copies = _template_contents(template)
    for folder, mode, _times in folders:  # parents first (os.walk's order)
        path = os.path.join(root, folder)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
    for relative, data, mode, times in files:
        path = os.path.join(root, relative)
        if mode is None:  # a link, as copytree(symlinks=True) copies it
            os.symlink(data, path)
            continue
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            left = memoryview(data)
            while left:
                left = left[os.write(fd, left):]
            os.fchmod(fd, mode)  # the umask does not narrow it (copy2 copies the mode)
        finally:
            os.close(fd)
        os.utime(path, ns=times)  # as copy2: the template's access and modification times
    for name, parsed in parsed_copies.items():
        stamp, cache = yamlcache._cache_of(root / name, root / ".dutyctl")
        if cache is not None:
            yamlcache.write_stamped(cache, stamp, parsed,
                                    yamlcache.workspace_key(root / ".dutyctl", create=True))
    for folder, _mode, times in reversed(folders):  # a child's times before its parent's
        os.utime(os.path.join(root, folder), ns=times)


@functools.cache
def _template_contents(template: Path) -> tuple[list, list, dict]:
    """A template workspace read once per process (templates are never changed once made):
    its folders, its files (bytes, mode, times; links as their targets) without `.dutyctl`,
    and the parsed copies of its hand-edited files. Writing these out is a quarter of
    shutil.copytree's work per test (no stat, open and read of each source file, no copystat:
    about 2 ms of CPU a workspace, thousands of workspaces a run)."""
    folders, files = [], []
    for folder, subfolders, names in os.walk(template):
        linked = [name for name in subfolders if os.path.islink(os.path.join(folder, name))]
        subfolders[:] = sorted(name for name in subfolders
                               if name != ".dutyctl" and name not in linked)
        relative = os.path.relpath(folder, template)
        info = os.stat(folder)
        folders.append((relative, info.st_mode & 0o7777, (info.st_atime_ns, info.st_mtime_ns)))
        for name in sorted(names + linked):
            if name == ".dutyctl":  # a file or a link by that name: left out too
                continue
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if os.path.islink(path):
                files.append((os.path.join(relative, name), os.readlink(path), None, None))
                continue
            with open(path, "rb") as handle:
                files.append((os.path.join(relative, name), handle.read(),
                              info.st_mode & 0o7777, (info.st_atime_ns, info.st_mtime_ns)))
    parsed_copies = {}
    for name in HAND_EDITED:
        stamp, cache = yamlcache._cache_of(template / name, template / ".dutyctl")
        parsed = yamlcache.read_stamped(cache, stamp, yamlcache.workspace_key(
            template / ".dutyctl")) if cache is not None else None
        if parsed is not None:
            parsed_copies[name] = parsed
    return folders, files, parsed_copies


def _file_state(path: Path) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


# the few newest: one test's workspace(s); registered, so a fork standing in for the installed
# program starts without them (dutyctl.caches.forget_all), as a new process would
_CONFIGS: dict[tuple, object] = caches.process_cache({})


def _config_once(self: Workspace, _parse=Workspace.parsed_config) -> tuple:
    """dutyctl.yaml parsed once per test, not at each of its commands (1–4 ms each, a tenth
    of a small command's CPU): a command gets the SiteConfig the previous one got (frozen
    values) while the file and its parsed copy in `.dutyctl` (dutyctl.yamlcache) are as they
    were then, to the nanosecond, and parsing's one side effect (site.language) again. What
    parse_config makes of a file it accepts does not depend on the language (its words are
    in its problems only). Any edit of either file goes through dutyctl's own parsing and
    cache, as do a first command, a refusal and every test that asks for load_config."""
    path, cache_dir = self.config_path, self.cache_dir
    if cache_dir is None or "_parsed_config" in self.__dict__:  # no parsed copy beside it:
        return _parse(self)  # dutyctl parses each time, so do we; or this command's again
    cached = yamlcache._cache_of(path, cache_dir)[1]
    key = (os.fspath(path), os.fspath(cache_dir), _file_state(path),
           _file_state(cached) if cached is not None else None)
    if key in _CONFIGS:
        config = _CONFIGS[key]
        messages.set_site_language(config.language)
        self.__dict__["_parsed_config"] = (config, [])
        return config, []
    config, problems = _parse(self)
    after = (*key[:2], _file_state(path), _file_state(cached) if cached is not None else None)
    if config is not None and not problems and after[2] == key[2]:  # not changed while read
        if len(_CONFIGS) >= 8:
            _CONFIGS.clear()
        _CONFIGS[after] = config
    return config, problems


Workspace.parsed_config = _config_once


@pytest.fixture
def workspace(tmp_path: Path, request) -> Workspace:
    """A new workspace as `init` makes it, auto-commit off; tests marked `auto_commit` get it
    on (as `init` makes it) and a git identity."""
    root = tmp_path / "site"
    committing = request.node.get_closest_marker("auto_commit") is not None
    template = "_committing_workspace" if committing else "_quiet_workspace"
    new_workspace(root, request.getfixturevalue(template))
    return Workspace(root)


class FixedClock:
    """The instant every command takes as "now" (timeutil.clock), set by the test."""

    def __init__(self):
        self.instant = datetime(2026, 10, 12, 9, 30, tzinfo=timezone(timedelta(hours=8)))

    def set(self, iso: str) -> datetime:
        self.instant = datetime.fromisoformat(iso)
        return self.instant

    def __call__(self) -> datetime:
        return self.instant


@pytest.fixture
def clock(monkeypatch) -> FixedClock:
    """Commands run at a fixed instant (default 2026-10-12 09:30 in Shanghai), whatever the
    real date and time: no test may depend on the day it runs."""
    fixed = FixedClock()
    monkeypatch.setattr(timeutil, "clock", fixed)
    return fixed


@functools.cache
def _click_root():
    import typer.main

    return typer.main.get_command(app)


def _converted_once(program, _convert=typer.testing._get_command):
    """dutyctl's root group converted to Click once per process, not at every CliRunner call
    (~1 ms a call). Its commands are not kept: each call converts the one that runs, as a
    process of the installed program does (help translated in place, a kind registered by a
    test, a monkeypatched module: nothing converted survives into the next call)."""
    if program is not app:
        return _convert(program)
    root = _click_root()
    root.commands.clear()
    return root


# A private name, on purpose: Typer (<0.29) has no public way to the same effect. Its
# CliRunner.invoke takes only a Typer app and converts it through the name typer.testing
# imported (`from typer.main import get_command as _get_command`), so patching the public
# typer.main.get_command changes nothing there. Building the Click group once with
# typer.main.get_command and handing it to a Click CliRunner is not open either: Typer
# vendors Click (typer._click, private too; no `click` is installed), and a separate Click's
# runner would isolate that Click's termui and formatting, not the vendored ones dutyctl
# prompts and draws help with. Copying
# Typer's invoke (60 lines) would be the one other way. If Typer renames the name, the
# default argument above fails at import: the patch never goes silently stale.
typer.testing._get_command = _converted_once


class _SignaturesOnce:
    """What Typer reads of a command's function to convert it (typer.utils
    get_params_from_function: `inspect.signature(func, eval_str=True)` and `get_type_hints`,
    which evaluate the string annotations of `from __future__ import annotations` again),
    read once per function and process: a test's CliRunner call converts the command it runs
    (see _converted_once), and that reading was about half of each conversion. Both results
    are immutable (inspect.Signature) or handed out as a copy (the hints); everything Typer
    builds from them (its ParameterInfo copies, the Click objects) is built afresh at each
    call, as before. Private names again, for the reason given above."""

    def __init__(self, inspect_module, get_type_hints):
        self._inspect, self._hints = inspect_module, get_type_hints
        self._signatures: dict = {}
        self._type_hints: dict = {}

    def __getattr__(self, name):  # the rest of `inspect`, as it is
        return getattr(self._inspect, name)

    def signature(self, func, **options):
        key = (func, tuple(sorted(options.items())))
        try:
            if key in self._signatures:
                return self._signatures[key]
        except TypeError:  # an unhashable callable: read each time
            return self._inspect.signature(func, **options)
        else:
            self._signatures[key] = self._inspect.signature(func, **options)
        return self._signatures[key]

    def get_type_hints(self, func, *args, **kwargs):
        try:
            known = not (args or kwargs) and func in self._type_hints
        except TypeError:
            return self._hints(func, *args, **kwargs)
        if args or kwargs:
            return self._hints(func, *args, **kwargs)
        if not known:
            self._type_hints[func] = self._hints(func)
        return dict(self._type_hints[func])


_signatures_once = _SignaturesOnce(typer.utils.inspect, typer.utils.get_type_hints)
typer.utils.inspect = _signatures_once
typer.utils.get_type_hints = _signatures_once.get_type_hints


class Cli:
    """Runs `dutyctl --root <workspace> ...` in-process and keeps stdout and stderr apart."""

    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str | None = "zhangwei", input: str | None = None,
                 env: dict | None = None):
        environment = {"DUTYCTL_USER": user} if user else {}
        environment.update(env or {})
        try:
            return self.runner.invoke(app, ["--root", str(self.root), *args], input=input,
                                      env=environment)
        finally:
            messages.forget_language()  # `env` was the command's only: the test's is back


@pytest.fixture
def pinyin_table(monkeypatch) -> dict[str, list[str]]:
    """pypinyin stood in for (`dutyctl.sounds._pinyin`, in this process: the `cli` fixture's
    commands too) by the readings the test gives, toneless, the usual one first: the sounds
    rule tested apart from what a pypinyin release says of a character."""
    from dutyctl import sounds

    given: dict[str, list[str]] = {}

    def pinyin(text, style, heteronym, errors):
        return [given.get(char, [""]) for char in text]  # "": what no name reads

    monkeypatch.setattr(sounds, "_pinyin", lambda: (pinyin, None))
    sounds.readings.cache_clear()
    yield given
    sounds.readings.cache_clear()


@pytest.fixture
def october_desk(workspace, clock) -> Workspace:
    """The workspace with the desk tests' October roster (tests.helpers_desk.OCTOBER: 张伟's
    day and 李娜's night of the 5th, 孙丽's day and 张伟's night of the 6th), the clock fixed at
    its default (2026-10-12 09:30, after them: their steps are written with --at)."""
    from tests.helpers_desk import october_site

    october_site(workspace.root)
    return workspace


@pytest.fixture
def cli(workspace: Workspace) -> Cli:
    return Cli(workspace.root)


@pytest.fixture(scope="session")
def dutyctl_command() -> list[str]:
    """The installed console script (falls back to `python -m dutyctl` beside this Python)."""
    script = Path(sys.executable).with_name("dutyctl")
    if script.exists():
        return [str(script)]
    found = shutil.which("dutyctl")
    return [found] if found else [sys.executable, "-m", "dutyctl"]


class Forked(list):
    """`dutyctl` through the console script's entry point in a fork of the test process
    (tests/entrypoint.py): a command's own process without Python's start and imports each
    time. The tests of what only a new process shows (imports, the interpreter, a bare
    environment) and one key flow per area use the installed binary."""


@pytest.fixture(scope="session")
def dutyctl_forked() -> Forked:
    return Forked(["dutyctl"])


def run_dutyctl(command: list[str], *args: str, root: Path, user: str = "zhangwei",
                **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DUTYCTL_USER": user}
    env.pop("DUTYCTL_ROOT", None)
    if isinstance(command, Forked):
        from tests.entrypoint import run_forked

        return run_forked(["--root", str(root), *args], env=env,
                          cwd=kwargs.pop("cwd", None) or os.getcwd(), **kwargs)
    return subprocess.run([*command, "--root", str(root), *args], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, **kwargs)


@pytest.fixture
def no_rules(workspace):
    """The workspace without a staff list (rosters/rules.yaml removed): names as typed."""
    (workspace.root / "rosters" / "rules.yaml").unlink()
    return workspace
