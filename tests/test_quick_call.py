"""A plain `log call` runs before Typer loads (dutyctl/cli/quick.py): it must take exactly the
values Typer's parse takes, write the same files and say the same things; anything else goes
to Typer."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typer._click.types import StringParamType

from dutyctl import messages
from dutyctl.cli import app, load_command, quick
from dutyctl.commandwords import hidden_names, option_words
from tests.conftest import run_dutyctl
from tests.helpers_foundation import call_flags, record_files

AT = "2026-10-12 09:00"
ID = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{26}\b")
SOME_ID = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{12,26}\b")  # ids, and their short form


def typer_call_command():
    return load_command("log").get_command(None, "call")


def test_the_table_is_the_typer_command_s_own_declaration():
    command = typer_call_command()
    declared = {}
    chinese, hidden = option_words("log call"), hidden_names("log call")
    for param in command.params:
        assert param.param_type_name == "option"
        # one English name each and its Chinese one (and a name taken, never shown: 来电
        # --内容), no short or secondary (--no-...) name
        option, its_chinese, *taken = param.opts
        assert its_chinese == chinese[option] and quick.CALL_NAMES[its_chinese] == \
            quick.CALL_OPTIONS[option]
        assert tuple(taken) == hidden.get(option, ())
        assert all(quick.CALL_NAMES[name] == quick.CALL_OPTIONS[option] for name in taken)
        assert not param.secondary_opts and not param.multiple and param.nargs == 1
        assert not param.required and param.callback is None and param.envvar is None
        assert param.default == (False if param.is_flag else None)
        assert param.is_flag or isinstance(param.type, StringParamType)  # taken as typed
        declared[option] = (param.name, not param.is_flag)
    assert declared == quick.CALL_OPTIONS
    assert len(quick.CALL_NAMES) == 2 * len(quick.CALL_OPTIONS) + sum(
        len(names) for option, names in hidden.items() if option in quick.CALL_OPTIONS)
    group_values = {param.opts[0]: param.name for param in app_group().params
                    if param.param_type_name == "option" and not param.is_flag}
    assert group_values == quick.GLOBAL_OPTIONS
    assert {name: param.name for param in app_group().params
            if param.param_type_name == "option" and not param.is_flag
            for name in param.opts} == quick.GLOBAL_NAMES


def app_group():
    from typer.main import get_group

    return get_group(app)


# -- the same values as Typer's parse, for any command line the quick path takes ----------

PLAIN = st.one_of(st.sampled_from(["张三", "3-2-501", "13812345678", "fee", "物业费咨询",
                                   "2026-10-12 09:00", "zhangwei", "a=b", "=", "log", "call",
                                   "明天 10:00", "a -b"]),
                  st.text(min_size=1, max_size=6))
ODD = st.sampled_from([" ", "", "-x", "--name", "--help", "-", "--"])
OPTION_NAMES = st.sampled_from([*quick.CALL_NAMES, "--help", "--version", "--bogus", "-n",
                                "--", "--root", "--lang", "--file-ticket=1", "--帮助", "--语言"])


# the strategies command_lines draws from, made once (one made per draw is validated anew
# each time: most of the test's time went there)
GLOBALS_ORDER = st.permutations(["--root", "--lang"])
GLOBAL_VALUE = st.sampled_from(["SITE", "en", "zh_CN"])
ODD_GLOBAL_VALUE = st.sampled_from(["xx", "", "-", "log"])
COMMAND = st.sampled_from([["log", "call"]] * 20 + [["log", "note"], ["call"], ["log"]])
SOME_OPTIONS = st.lists(st.sampled_from(list(quick.CALL_OPTIONS)), unique=True)
ANY_WORD = OPTION_NAMES | ODD | PLAIN
CALL_CHINESE = option_words("log call")


@st.composite
def command_lines(draw):
    """Mostly lines the quick path takes (each option once, in any order, `=` or not), some
    with one odd word put in anywhere."""
    words = []
    for option in draw(GLOBALS_ORDER):
        if draw(st.booleans()):
            option = {"--root": "--工作区", "--lang": "--语言"}[option] if draw(
                st.integers(0, 3)) == 0 else option
            value = draw(GLOBAL_VALUE if draw(st.integers(0, 9)) else ODD_GLOBAL_VALUE)
            words += [f"{option}={value}"] if draw(st.booleans()) else [option, value]
    words += draw(COMMAND)
    chosen = draw(SOME_OPTIONS)
    chosen += [option for option in ("--name", "--room", "--phone", "--summary")
               if option not in chosen and draw(st.integers(0, 29))]
    for option in draw(st.permutations(chosen)):
        named = option
        if draw(st.integers(0, 2)) == 0:  # by its Chinese name (--房号)
            named = CALL_CHINESE[option]
        if quick.CALL_OPTIONS[option][1]:
            value = draw(ODD if not draw(st.integers(0, 19)) else PLAIN)
            words += [f"{named}={value}"] if draw(st.booleans()) else [named, value]
        else:
            words.append(named)
    if not draw(st.integers(0, 4)):
        words.insert(draw(st.integers(0, len(words))), draw(ANY_WORD))
    return words


def typer_values(argv, monkeypatch, root):
    """What Typer's parse hands the flow for argv (None: it never reached it)."""
    from typer.testing import CliRunner

    seen = {}

    def flow(session, **values):
        seen.update(values, root=session.root_option, lang=messages._chosen["option"])

    monkeypatch.setattr("dutyctl.cli.calls.log_call", flow)
    argv = [word.replace("SITE", str(root)) for word in argv]
    result = CliRunner().invoke(app, argv, catch_exceptions=False)
    return seen if result.exit_code == 0 and seen else None


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=command_lines())
def test_a_line_the_quick_path_takes_is_parsed_as_typer_parses_it(argv, monkeypatch, tmp_path):
    parsed = quick.parse([word.replace("SITE", str(tmp_path)) for word in argv])
    if parsed is None:
        return  # Typer's: help, usage errors and prompts stay its own
    given_globals, values = parsed
    if given_globals.get("lang") is not None and messages.normalise(given_globals["lang"]) is None:
        return  # run() hands it to Typer, which names the unknown language
    expected = typer_values(argv, monkeypatch, tmp_path)
    assert expected is not None, argv
    assert {**values, "root": given_globals.get("root"),
            "lang": given_globals.get("lang")} == expected


@pytest.mark.parametrize("argv", [
    ["log", "call", "--help"],
    ["log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "1"],  # a prompt, or missing
    ["log", "call", *call_flags()[2:], "--name", "李四"],  # repeated: Typer takes the last
    ["log", "call", *call_flags()[2:], "extra"],
    ["log", "call", *call_flags()[2:], "--at", ""],
    ["log", "call", *call_flags()[2:], "--staff", "--at"],  # Typer takes '--at' as the staff
    ["log", "call", *call_flags()[2:], "--file-ticket=yes"],
    ["--version", "log", "call", *call_flags()[2:]],
    ["log", "call", "--summary", " ", *call_flags()[2:8]],
])
def test_anything_unusual_is_left_to_typer(argv):
    assert quick.parse(argv) is None


# -- the same files and the same words --------------------------------------------------------

LINES = [
    call_flags(),
    call_flags("李四", "5-1-1202", "13900001111", "水管漏了", "--category", "repair"),
    call_flags("李四", "5-1-1202", "13900001111", "水管漏了", "--category=repair",
               "--file-ticket", "--urgency", "emergency"),
    call_flags(*["王五", "1-1-101", "13700000000", "问停水"], "--callback-by", "17:00",
               "--staff", "李娜"),
    call_flags("x", "3-2-501", "13812345678", "s", "--staff", "nobody"),  # refused: no such staff
    call_flags("x", "99-9-999", "13812345678", "s"),  # a room the site does not have
    call_flags("x", "3-2-501", "13812345678", "s", "--category", "nothing"),
    call_flags("x", "3-2-501", "13812345678", "s", "--at", "2099-01-01 09:00"),  # the future
    call_flags("x", "3-2-501", "13812345678", "s", "--ticket-category", "leak"),  # no --file-ticket
    # a callback passed: a time alone is hinted as tomorrow's, one with its day is not
    call_flags("x", "3-2-501", "13812345678", "s", "--callback-by", "8:00"),
    call_flags("x", "3-2-501", "13812345678", "s", "--callback-by", "今天 8:00"),
    call_flags("x", "3-2-501", "13812345678", "s", "--callback-by", "8:00", "--file-ticket",
               "--category", "repair"),
    call_flags("x", "3-2-501", "13812345678", "s", "--callback-by", "2026-10-12 08:00",
               "--file-ticket", "--category", "repair"),
    # by the options' Chinese names: a refusal names the option as it was typed
    ["--lang", "zh_CN", "log", "call", "--姓名", "x", "--房号", "3-2-501", "--电话", "1381234",
     "--摘要", "s"],
    ["--语言", "en", "来电", "--姓名", "x", "--房号=3-2-501", "--phone", "1381234", "--摘要", "s"],
    ["--lang", "zh_CN", "log", "call", "--姓名", "x", "--房号", "3-2-501", "--电话",
     "13812345678", "--摘要", "s", "--工单类别", "leak"],
]


def normalised(text: str) -> str:
    return SOME_ID.sub("ID", text)


def written(root) -> list[str]:
    return sorted(normalised(path.read_text(encoding="utf-8")) for path in record_files(root))


@pytest.mark.parametrize("line", LINES, ids=lambda line: " ".join(line[2:])[:60])
def test_the_quick_path_writes_and_says_what_typer_does(line, workspace, tmp_path, capsys,
                                                        monkeypatch, clock):
    import shutil

    from typer.testing import CliRunner

    other = tmp_path / "other"
    shutil.copytree(workspace.root, other, symlinks=True)
    argv = [*line, *([] if "--at" in line else ["--at", AT])]
    monkeypatch.setenv("DUTYCTL_USER", "zhangwei")
    with pytest.raises(SystemExit) as exited:
        assert quick.main(["--root", str(workspace.root), *argv])
    quick_out = capsys.readouterr()
    by_typer = CliRunner().invoke(app, ["--root", str(other), *argv])
    assert exited.value.code == by_typer.exit_code
    assert normalised(quick_out.out) == normalised(by_typer.stdout)
    assert normalised(quick_out.err) == normalised(by_typer.stderr)
    assert written(workspace.root) == written(other)


# -- the installed program ---------------------------------------------------------------------

PROBE = """
import sys
from dutyctl.launcher import main
try:
    main()
finally:  # the modules a plain call needs none of (inspect: 5 ms, through dataclasses or
    # pkgutil; shutil: 2-3 ms with the compression modules it loads)
    print(sorted(set(sys.modules) & {"typer", "inspect", "dataclasses", "pkgutil", "shutil"}),
          file=sys.stderr)
"""


def probe(root, *args):
    env_args = ["--root", str(root), *args]
    return subprocess.run([sys.executable, "-c", PROBE, *env_args], capture_output=True,
                          text=True, env={**__import__("os").environ, "DUTYCTL_USER": "zhangwei"},
                          stdin=subprocess.DEVNULL)


def test_the_program_files_a_plain_call_without_importing_typer(workspace):
    done = probe(workspace.root, *call_flags(), "--at", AT)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "[]"
    assert ID.fullmatch(done.stdout.strip())
    assert len(record_files(workspace.root)) == 1
    filed = probe(workspace.root, *call_flags("李四", "5-1-1202", "13900001111", "水管漏了",
                                               "--category", "repair", "--file-ticket",
                                               "--urgency", "emergency"), "--at", AT)
    assert filed.returncode == 0, filed.stderr
    assert "typer" not in filed.stderr.splitlines()[-1]
    assert [ID.fullmatch(line) is not None for line in filed.stdout.split()] == [True, True]


@pytest.mark.auto_commit
def test_an_auto_committed_plain_call_imports_nothing_it_does_not_need(workspace):
    """As `init` makes a workspace: the call is committed, the desk's identity looked up."""
    for _ in range(2):  # the identity asked of git, then the answer kept
        done = probe(workspace.root, *call_flags(), "--at", AT)
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines()[-1] == "[]"
    assert len(record_files(workspace.root)) == 2


def test_the_program_leaves_help_and_usage_errors_to_typer(workspace):
    helped = probe(workspace.root, "log", "call", "--help")
    assert helped.returncode == 0 and "--callback-by" in helped.stdout
    assert "'typer'" in helped.stderr.splitlines()[-1]
    missing = probe(workspace.root, *call_flags()[:-2])  # no --summary, no terminal
    assert missing.returncode == 2 and "--summary" in missing.stderr
    assert "'typer'" in missing.stderr.splitlines()[-1]
    assert record_files(workspace.root) == []


def test_the_installed_binary_refuses_in_one_line_on_the_quick_path(dutyctl_command, workspace):
    done = run_dutyctl(dutyctl_command, *call_flags(), "--staff", "nobody", root=workspace.root)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "nobody" in done.stderr and record_files(workspace.root) == []
