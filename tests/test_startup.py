"""Only what runs is loaded: the static command table, and what a command imports.

Startup time itself is measured by benchmarks/startup.py, never here; these tests check the
structure that makes it fast (which modules a run imports) and the table's accuracy.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

import pytest

from dutyctl.cli import every_command
from dutyctl.commands import COMMANDS
from tests.conftest import Cli
from tests.helpers_foundation import call_flags

REGENERATE = "out of date: run `python tools/command_table.py`"

# Runs the CLI in a fresh interpreter and prints which modules the run imported.
PROBE = """
import json, sys
from dutyctl.cli import app
try:
    app(sys.argv[1:], prog_name="dutyctl")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*args: str, env: dict | None = None) -> tuple[set[str], str]:
    environment = {**os.environ, "DUTYCTL_USER": "zhangwei", **(env or {})}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=environment, stdin=subprocess.DEVNULL)
    return set(json.loads(done.stderr.splitlines()[-1])), done.stdout


def command_modules(modules: set[str]) -> set[str]:
    return {name.rsplit(".", 1)[1] for name in modules
            if name.startswith("dutyctl.cli.") and name.rsplit(".", 1)[1] in
            {module for module, _ in COMMANDS.values()}}


def test_the_command_table_matches_the_commands():
    real = every_command()
    assert list(COMMANDS) == list(real), REGENERATE
    for name, (module, command) in real.items():
        assert COMMANDS[name][0] == module, f"{name}: {REGENERATE}"
        assert COMMANDS[name][1] == inspect.cleandoc(command.help), f"{name}: {REGENERATE}"


def test_the_completion_table_matches_the_commands():
    from dutyctl.completiontable import COMPLETION
    from tools.command_table import completion_entries

    real = {words: (values, arguments) for words, values, arguments in completion_entries()}
    assert COMPLETION == real, REGENERATE
    assert COMPLETION["log call"][0]["--staff"] == "staff"
    assert COMPLETION["repair done"][1] == ("open_records",)


def test_top_level_help_and_completion_import_no_command_module(workspace):
    modules, help_screen = imported_by("--help")
    assert command_modules(modules) == set()
    for name in COMMANDS:
        assert f"  {name}" in help_screen
    assert "Record what happens at the desk" in help_screen
    modules, offered = imported_by(env={"_DUTYCTL_COMPLETE": "complete_bash",
                                        "COMP_WORDS": "dutyctl r", "COMP_CWORD": "1"})
    assert command_modules(modules) == set()
    assert offered.split() == ["report", "room", "resident", "roster", "restore", "repair"]


def test_a_command_imports_its_own_module_only(workspace):
    modules, printed = imported_by("--root", str(workspace.root), *call_flags())
    assert len(printed.strip()) == 26  # the call was filed
    assert command_modules(modules) == {"records"}
    modules, offered = imported_by(env={"_DUTYCTL_COMPLETE": "complete_bash",
                                        "COMP_WORDS": "dutyctl clock ", "COMP_CWORD": "2"})
    assert command_modules(modules) == {"desk"}
    assert set(offered.split()) >= {"in", "out", "status"}


@pytest.mark.parametrize("command", [("emergency", "--help"), ("settle", "--help"),
                                     ("repair", "--help")])
def test_a_tickets_command_imports_no_other_kind_than_its_own(workspace, command):
    """The tickets module builds only the command that runs: not a group per ticket kind,
    which would import every kind module (the registry's discovery)."""
    modules, shown = imported_by("--root", str(workspace.root), *command)
    assert shown.startswith(f"Usage: dutyctl {command[0]} ")
    kinds = {name.rsplit(".", 1)[1] for name in modules if name.startswith("dutyctl.kinds.")}
    assert kinds == {"complaint", "repair"}  # the actions its step commands are named after


LAUNCH = """
import sys
from dutyctl.launcher import main
main()
print("typer" in sys.modules, file=sys.stderr)
"""


def complete(env: dict, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LAUNCH], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **env}, stdin=subprocess.DEVNULL)


def test_a_command_name_is_completed_without_loading_typer(workspace):
    done = complete({"_DUTYCTL_COMPLETE": "complete_bash", "COMP_WORDS": "dutyctl r",
                     "COMP_CWORD": "1", "DUTYCTL_LANG": "en"}, workspace.root)
    assert done.stdout.split() == ["report", "room", "resident", "roster", "restore", "repair"]
    assert done.stderr.strip() == "False"  # Typer was never imported
    zsh = complete({"_DUTYCTL_COMPLETE": "complete_zsh", "DUTYCTL_LANG": "en",
                    "_TYPER_COMPLETE_ARGS": f"dutyctl --root {workspace.root} cl"}, "/")
    assert zsh.stdout == ("_arguments '*: :((\"clock\":\"Duty registration (值班登记)\\\\: "
                          "clock in and out against the roster\"))'\n")  # as Typer echoes it


def test_completion_help_follows_the_site_language(workspace):
    config = workspace.config_path.read_text(encoding="utf-8")
    assert "language: zh_CN" in config  # as `init` makes it
    environment = {name: value for name, value in os.environ.items() if name != "DUTYCTL_LANG"}
    fish = subprocess.run([sys.executable, "-c", LAUNCH], capture_output=True, text=True,
                          cwd=workspace.root, stdin=subprocess.DEVNULL, env={
                              **environment, "_DUTYCTL_COMPLETE": "complete_fish",
                              "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                              "_TYPER_COMPLETE_ARGS": "dutyctl lo"})
    name, text = fish.stdout.rstrip("\n").split("\t")
    assert name == "log" and text != "Record what happens at the desk"
    assert text == messages_in("zh_CN", "Record what happens at the desk.")


LOADED = """
import sys
from dutyctl.launcher import main
main()
print(sorted(name for name in sys.modules if name == "typer" or name == "yaml"
             or name.startswith("dutyctl.cli")), file=sys.stderr)
"""


def tab_words(root, line: str) -> dict:
    words = ["dutyctl", "--root", str(root), *line.split()] + ([""] if line.endswith(" ") else [])
    return {"_DUTYCTL_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(words),
            "COMP_CWORD": str(len(words) - 1)}


@pytest.mark.parametrize("line", ["log call --staff ", "repair done ", "list --format j",
                                  "log call --name 张三 --category f"])
def test_option_values_and_record_ids_are_completed_without_typer(workspace, line):
    from dutyctl.people import staff_ids

    assert workspace.config and staff_ids(workspace)  # config and rules parsed once, as by
    # any earlier command: PyYAML is not needed after that
    done = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True,
                          env={**os.environ, **tab_words(workspace.root, line)},
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stderr)) <= {"dutyctl.kinds.repair", "dutyctl.kinds.complaint"}
    # the kind `recurring:` jobs are filed as (and the ticket kind it builds on), no other;
    # no Typer, no command module, no PyYAML
    if "--staff" in line or "--format" in line or "--category" in line:
        assert done.stdout.split()


def test_anything_but_a_command_name_is_completed_by_the_cli(workspace):
    done = complete({"_DUTYCTL_COMPLETE": "complete_bash", "COMP_WORDS": "dutyctl log ",
                     "COMP_CWORD": "2"}, workspace.root)
    assert done.stdout.split() == ["call", "note", "patrol", "visitor", "key", "delivery",
                                   "notice"]  # the log group, loaded by the CLI


def messages_in(language: str, text: str) -> str:
    from dutyctl import messages

    messages.start_invocation(language)
    try:
        return messages.gettext(text)
    finally:
        messages.start_invocation(None)


def test_a_group_converts_only_the_subcommand_that_runs():
    from dutyctl.cli import load_command

    group = load_command("log")
    assert group.commands == {} and {"call", "note", "patrol"} <= set(group.pending)
    names = group.list_commands(None)
    assert names[:2] == ["call", "note"]  # the order they are written in
    assert group.get_command(None, "call").name == "call"
    assert list(group.commands) == ["call"] and "call" not in group.pending
    assert group.list_commands(None) == names
    assert group.get_command(None, "nope") is None


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_report_draws_its_tables_without_tabulate(tmp_path, language):
    """A report's text tables (one-line cells) and its marks (—, ▲, …) are measured and
    drawn without importing tabulate or wcwidth (30-50 ms of each report)."""
    import shutil

    site = tmp_path / "demo"
    shutil.copytree(os.path.join(os.path.dirname(__file__), "..", "examples", "demo"), site)
    modules, printed = imported_by("--root", str(site), "report", "monthly", "--month",
                                   "2026-10", env={"DUTYCTL_LANG": language})
    assert "------" in printed and "—" in printed  # tables were drawn, the title measured
    assert not modules & {"tabulate", "wcwidth"}



CONFIG_ONLY = """
import json, sys
from pathlib import Path
from dutyctl.config import load_config
config = load_config(Path(sys.argv[1]))
assert config.categories["call"].names and config.recurring
print(json.dumps(sorted(name for name in sys.modules if name.startswith("dutyctl.kinds."))),
      file=sys.stderr)
"""


def test_reading_the_config_imports_no_kind_module(workspace):
    """dutyctl.yaml's `categories:` is read as the file has it; which kinds must have
    categories is the registry's, asked by `check` only (before: all ten kind modules)."""
    done = subprocess.run([sys.executable, "-c", CONFIG_ONLY, str(workspace.config_path)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stderr)) <= {"dutyctl.kinds.repair", "dutyctl.kinds.complaint"}
    # the kind `recurring:` jobs are filed as (and the ticket kind it builds on), no other


@pytest.mark.parametrize("command", [("clock", "in"), ("checklist",)])
def test_a_command_reading_the_config_imports_the_kinds_it_needs(workspace, command):
    modules, _ = imported_by("--root", str(workspace.root), *command)
    assert "dutyctl.config" in modules
    kinds = {name.rsplit(".", 1)[1] for name in modules if name.startswith("dutyctl.kinds.")}
    assert kinds and not kinds & {"callout", "emergency", "resident"}, kinds


def test_the_desk_commands_import_no_dataclasses(workspace):
    """`clock in`, `who`, `list`, `show` build their values (roster, rules, slots, verdicts,
    deadlines) as dutyctl.frozen classes: a dataclass compiles its methods at every start."""
    root = ("--root", str(workspace.root))
    at = ("--at", "2026-11-07 21:00")
    assert Cli(workspace.root)("roster", "generate", "--month", "2026-11").exit_code == 0
    modules, said = imported_by(*root, "clock", "in", "--staff", "zhangwei", *at)
    assert {"dutyctl.desk.shiftdesk", "dutyctl.roster.onduty"} <= modules
    assert "dataclasses" not in modules, said
    shown = workspace.store.scan().records[0].id
    for command in (("who", *at), ("list",), ("show", shown)):
        modules, said = imported_by(*root, *command)
        assert "dataclasses" not in modules, (command, said)
    assert "dutyctl.tickets.deadlines" in modules


# What the desk commands must not load before their first output or write: the full YAML
# parser (a parsed copy of each hand-edited file is current), the report and roster engines,
# git, OpenSSL's hashes, the workflows of other commands. Each test names what its command
# needed once and no longer does, so that a module-level import bringing one back fails here.
HEAVY = {"yaml", "dataclasses", "tabulate", "wcwidth", "dateutil", "hashlib", "_hashlib",
         "dutyctl.roster.solver", "dutyctl.roster.generate", "dutyctl.gitsync",
         "dutyctl.reports", "dutyctl.check", "dutyctl.lookups", "dutyctl.notify.settings"}
AT = ("--at", "2026-11-07 21:00")

# ... and whether the room-number patterns were compiled (dutyctl.patterns.lazy)
ROOMS_PROBE = PROBE.replace(
    "print(json.dumps(sorted(sys.modules)), file=sys.stderr)",
    "rooms = sys.modules.get('dutyctl.rooms')\n"
    "compiled = rooms is not None and 'fullmatch' in getattr(rooms._FULL, '__dict__',\n"
    "                                                        {'fullmatch': 're.compile'})\n"
    "print(json.dumps(sorted(sys.modules) + ['rooms compiled'] * compiled), file=sys.stderr)")


def desk_run(root, *args: str, again: bool = False) -> tuple[set[str], str]:
    """The modules a command imported and what it printed; `again`: its second run, when
    whatever the first keeps (the holiday calendar in the user's cache: the tests' own
    $XDG_CACHE_HOME starts empty) is there, as on a desk."""
    environment = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    if again:
        desk_run(root, *args)
    done = subprocess.run([sys.executable, "-c", ROOMS_PROBE, "--root", str(root), *args],
                          capture_output=True, text=True, env=environment,
                          stdin=subprocess.DEVNULL)
    return set(json.loads(done.stderr.splitlines()[-1])), done.stdout


@pytest.fixture(scope="module")
def desk_site(tmp_path_factory, _quiet_workspace):
    """A workspace with November's roster, a call that filed a repair (on 11-07, the day
    `who` looks at) and every hand-edited file parsed once, as at a desk."""
    from tests.conftest import new_workspace

    root = tmp_path_factory.mktemp("desk") / "site"
    new_workspace(root, _quiet_workspace)
    cli = Cli(root)
    assert cli("roster", "generate", "--month", "2026-11").exit_code == 0
    filed = cli(*call_flags(), "--category", "repair", "--file-ticket", "--at",
                "2026-11-07 20:00")
    assert filed.exit_code == 0, filed.output
    assert cli("who", *AT).exit_code == 0  # the parsed copies made
    return root, filed.stdout.split()[-1]


def test_who_loads_nothing_heavy(desk_site):
    root, _ = desk_site
    modules, shown = desk_run(root, "who", *AT)
    assert "next handover" in shown or "下次交接班" in shown
    assert not modules & HEAVY, modules & HEAVY
    assert "rooms compiled" not in modules  # no room number read
    assert "sqlite3" not in modules  # the call-outs of two days come from their folders


def test_list_loads_no_other_workflow(desk_site):
    root, filed = desk_site
    modules, shown = desk_run(root, "list", again=True)
    assert filed[:8] in shown
    assert not modules & HEAVY, modules & HEAVY
    # every kind module only for --kind or --status; the ticket steps only for --assigned
    assert not modules & {"dutyctl.tickets.lifecycle", "dutyctl.kinds.emergency",
                          "dutyctl.kinds.handover", "dutyctl.kinds.resident",
                          "dutyctl.cli.tickets"}  # the ticket commands' Typer objects
    assert "rooms compiled" not in modules
    modules, _ = desk_run(root, "list", "--kind", "repair")
    assert "dutyctl.kinds.emergency" in modules  # the kinds are all known when one is typed


def test_show_loads_no_check(desk_site):
    """`dutyctl.check` words clashing steps: imported only for a record that has them."""
    root, filed = desk_site
    modules, shown = desk_run(root, "show", filed, again=True)
    assert filed[:8] in shown
    assert not modules & HEAVY, modules & HEAVY
    assert not modules & {"dutyctl.tickets.lifecycle", "dutyctl.cli.tickets"}


def test_clock_in_loads_nothing_heavy(desk_site, tmp_path):
    """On a desk's workspace (its files parsed before) clock in needs no PyYAML; on a copy
    whose parsed files are not current it parses them, still without OpenSSL's hashes."""
    import shutil

    root, _ = desk_site
    used = tmp_path / "used"
    shutil.copytree(root, used)
    assert Cli(used)("who", *AT).exit_code == 0  # the copy's files parsed once
    modules, said = desk_run(used, "clock", "in", "--staff", "zhangwei", *AT)
    assert len(said.strip()) == 26, said  # the clock-in's id
    assert {"dutyctl.desk.shiftdesk", "dutyctl.roster.onduty"} <= modules
    assert not modules & HEAVY, modules & HEAVY
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh)  # another inode: every parsed copy is stale
    modules, said = desk_run(fresh, "clock", "in", "--staff", "zhangwei", *AT)
    assert len(said.strip()) == 26, said
    assert "yaml" in modules  # parsed afresh
    assert not modules & (HEAVY - {"yaml"}), modules & HEAVY


def test_the_catalogue_is_parsed_once_and_kept_as_byte_code_is(tmp_path, monkeypatch):
    """The zh_CN catalogue's messages come from a kept copy while the .mo is unchanged (2 ms
    of parsing every translated command): the same translations, plural rule and headers."""
    import gettext
    import shutil

    from dutyctl import messages

    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    mo = folder / "dutyctl.mo"
    shutil.copy(messages.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "dutyctl.mo", mo)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)

    parsed = messages._catalogue(mo)
    assert type(parsed) is gettext.GNUTranslations
    kept = messages._compiled_path(mo)
    assert kept.parent == folder / "__pycache__" and kept.exists()
    again = messages._catalogue(mo)
    assert type(again) is not gettext.GNUTranslations  # from the kept copy
    assert isinstance(again, gettext.GNUTranslations)
    assert (again._catalog, again._info, again._charset) == (
        parsed._catalog, parsed._info, parsed._charset)
    assert [again.plural(n) for n in range(5)] == [parsed.plural(n) for n in range(5)]
    for text in ("all good", "Commands"):
        assert again.gettext(text) == parsed.gettext(text) != text
    assert again.pgettext("kind", "repair") == parsed.pgettext("kind", "repair") != "repair"
    assert (again.ngettext("{count} problem found", "{count} problems found", 3)
            == parsed.ngettext("{count} problem found", "{count} problems found", 3))

    info = mo.stat()  # another .mo (here: another time) is parsed afresh, and kept again
    os.utime(mo, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    assert type(messages._catalogue(mo)) is gettext.GNUTranslations
    assert type(messages._catalogue(mo)) is not gettext.GNUTranslations
    kept.write_bytes(b"damaged")  # anything unreadable only means parsing the .mo
    assert type(messages._catalogue(mo)) is gettext.GNUTranslations

    kept.unlink()  # a folder that cannot be written (a read-only install): parsed each time
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(PermissionError()))
        for _ in range(2):
            assert messages._catalogue(mo).gettext("all good") == parsed.gettext("all good")
    assert not kept.exists() and not list(kept.parent.glob(".*.tmp"))
    # PYTHONDONTWRITEBYTECODE: nothing written, as for byte code
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert type(messages._catalogue(mo)) is gettext.GNUTranslations and not kept.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "prefix"))
    messages._catalogue(mo)  # PYTHONPYCACHEPREFIX: kept under it, as byte code is
    assert messages._compiled_path(mo).is_relative_to(tmp_path / "prefix")
    assert messages._compiled_path(mo).exists() and not kept.exists()
    assert messages._catalogue(tmp_path / "missing.mo") is None


# The installed program's end (dutyctl.launcher.run): a probe whose object tells when the
# interpreter tears its modules down, and what else may be waiting for that.
ENDING = """
import os, sys

class Teardown:
    def __del__(self):
        os.write(2, b"torn down\\n")

kept = Teardown()
{setup}
import dutyctl.launcher as launcher
{main}
sys.argv = ["dutyctl", *sys.argv[1:]]
launcher.run()
"""


def ending(*args: str, setup: str = "", main: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", ENDING.format(setup=setup, main=main), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, "DUTYCTL_USER": "zhangwei"})


def test_the_program_ends_without_tearing_down_its_modules(desk_site):
    """10-15 ms of every command went to the interpreter's teardown after the command was
    done: the program flushes its output and ends with its own exit status."""
    root = str(desk_site[0])
    done = ending("--root", root, "list", "--format", "json")
    assert done.returncode == 0 and "torn down" not in done.stderr
    assert json.loads(done.stdout)  # written whole into the pipe
    nobody = ending("--root", root, "who", "--at", "2030-01-01 12:00")
    assert nobody.returncode == 1 and "nobody is on duty" in nobody.stderr
    assert "torn down" not in nobody.stderr
    wrong = ending("--root", root, "list", "--bogus")
    assert wrong.returncode == 2 and "--bogus" in wrong.stderr
    assert "torn down" not in wrong.stderr


@pytest.mark.parametrize("setup, said", [
    ("import atexit\natexit.register(os.write, 2, b'exit handler\\n')", "exit handler"),
    # the thread lives until the main thread has ended (a sleep could end before a loaded
    # machine's command did, and the program would rightly not wait for it)
    ("import threading\nthreading.Thread(target=lambda: (threading.main_thread().join(), "
     "os.write(2, b'thread finished\\n'))).start()", "thread finished"),
    ("import cProfile\nprofile = cProfile.Profile()\nprofile.enable()", "torn down")])
def test_the_program_ends_as_python_does_when_something_waits(desk_site, setup, said):
    """An exit handler, a thread still running (none of dutyctl's own) or a profiler
    (`python -m cProfile -m dutyctl` writes its figures at the end): the interpreter's usual
    end, which runs or waits for them."""
    done = ending("--root", str(desk_site[0]), "list", setup=setup)
    assert done.returncode == 0 and said in done.stderr and "torn down" in done.stderr


def test_a_tool_watching_through_sys_monitoring_is_waited_for(monkeypatch):
    """From Python 3.12 cProfile, a debugger or coverage registers with `sys.monitoring`
    and sets no profile function: the program still ends the usual way for them
    (`_nothing_waits`; faked here, so the test runs on 3.11 too; on 3.12 and later the
    cProfile case above runs it for real)."""
    from dutyctl import launcher

    tools = {}
    monkeypatch.setattr(sys, "monitoring", type("Monitoring", (), {
        "get_tool": staticmethod(tools.get)})(), raising=False)
    assert not launcher._monitored()
    tools[launcher.MONITORING_TOOLS - 1] = "a profiler"
    assert launcher._monitored()


def test_the_program_ends_as_python_does_for_a_message():
    """sys.exit("text"): Python prints the text and exits 1; run() leaves that to it."""
    done = ending(main="launcher.main = lambda: sys.exit('a message')")
    assert done.returncode == 1 and "a message" in done.stderr and "torn down" in done.stderr
    done = ending(main="launcher.main = lambda: sys.exit(3)")
    assert done.returncode == 3 and "torn down" not in done.stderr
    done = ending(main="launcher.main = lambda: sys.exit(300)")  # Windows would keep 300
    assert done.returncode == 300 % 256 and "torn down" in done.stderr
