"""A newcomer's first hour: --version, init's next steps, a crontab that runs under cron's bare
environment, benchmark scripts that explain themselves, bundled rosters that the bundled
rules reproduce, and shell completion for the shell asked for."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dutyctl.cli import app
from tests.conftest import Cli

REPO = Path(__file__).resolve().parent.parent


def test_version_prints_the_package_version(cli):
    declared = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(
        encoding="utf-8"), re.M)[1]
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"dutyctl {declared}\n"


def test_init_prints_next_steps(tmp_path, clock):
    """This month's roster first: a site set up on 12 October starts its desk that day (the
    next month's alone left it with nobody on duty, and in December it is refused until the
    new year's holidays are known)."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["init", str(tmp_path / "site")])
    assert result.exit_code == 0, result.stderr
    steps = result.stdout.split("next steps:", 1)[1]
    for step in (f"cd {tmp_path / 'site'}", "rosters/rules.yaml", "dutyctl check",
                 "dutyctl roster generate --month 2026-10 ", "DUTYCTL_USER"):
        assert step in steps


def test_init_in_the_current_folder_says_no_cd(tmp_path, monkeypatch):
    """`dutyctl 初始化` in the new site's empty folder: its next steps began with `cd .`."""
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.stderr
    steps = result.stdout.split("next steps:", 1)[1]
    assert "cd " not in steps and "dutyctl check" in steps and "rosters/rules.yaml" in steps


@pytest.mark.parametrize("args", [["--root", "site", "init"], ["init", "--root", "site"],
                                  ["--工作区", "site", "初始化"]])
def test_init_without_a_folder_makes_the_site_at_root(tmp_path, monkeypatch, args):
    """`dutyctl --root /srv/site init` made the site in the folder the shell was in (its
    argument's default), not at the --root it was given; a folder typed still wins."""
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site" / "dutyctl.yaml").is_file()
    assert not (tmp_path / "dutyctl.yaml").exists()
    assert CliRunner().invoke(app, ["--root", "site", "init", "other"]).exit_code == 0
    assert (tmp_path / "other" / "dutyctl.yaml").is_file()


@pytest.mark.parametrize("args", [["--工作区=~/site", "初始化"], ["初始化", "~/site"]])
def test_init_at_a_home_folder_no_shell_expanded_makes_it_where_the_commands_look(
        tmp_path, monkeypatch, args):
    """`dutyctl --root=~/site init` (no shell expands a ~ after `=`) and `dutyctl 初始化
    "~/site"` (quoted, or Windows' cmd, which expands no ~) made a folder named `~` in the
    current folder, where every other command, reading --root as `~/site` in the home folder,
    then found no such folder."""
    from typer.testing import CliRunner

    from dutyctl.workspace import find_workspace

    home, here = tmp_path / "home", tmp_path / "here"
    home.mkdir(), here.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)
    result = CliRunner().invoke(app, ["--lang", "zh_CN", *args])
    assert result.exit_code == 0, result.stderr
    assert (home / "site" / "dutyctl.yaml").is_file() and not (here / "~").exists()
    assert find_workspace("~/site").root == (home / "site").resolve()  # as --root is read
    assert f"cd {home / 'site'}" in result.stdout


@pytest.mark.parametrize("folder", ["my site", "物业 值班室", "it's"])
def test_inits_cd_line_can_be_copied_for_a_folder_with_a_space(tmp_path, monkeypatch, folder):
    """`dutyctl 初始化 "my site"` said `cd my site`: pasted, the shell went to `my`."""
    import shlex
    import subprocess

    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--lang", "zh_CN", "初始化", folder])
    assert result.exit_code == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.lstrip().startswith("cd ")]
    assert line == f"  cd {shlex.quote(folder)}"
    went = subprocess.run(["sh", "-c", f"{line.strip()} && pwd"], capture_output=True,
                          text=True, check=True)
    assert went.stdout.strip() == str((tmp_path / folder).resolve())


@pytest.mark.parametrize("command", [("init",), ("--lang", "zh_CN", "初始化")])
def test_inits_cd_line_is_data_whatever_the_translation_says(tmp_path, monkeypatch, command):
    """In English and in Chinese: the way into the new folder is said only when it is
    elsewhere, and never found by its words: a translation that words the steps its own way
    (here a note after each `cd`) changes nothing."""
    from typer.testing import CliRunner

    from dutyctl.cli import workspace as init_module

    translated = init_module.t
    monkeypatch.setattr(init_module, "t", lambda *args, **kwargs: "\n".join(
        line + "  # 进入新工作区" if line.lstrip().startswith("cd ") else line
        for line in translated(*args, **kwargs).split("\n")))
    monkeypatch.chdir(tmp_path)
    here = CliRunner().invoke(app, [*command, "."])
    elsewhere = CliRunner().invoke(app, [*command, "site"])
    assert here.exit_code == elsewhere.exit_code == 0, here.stderr + elsewhere.stderr
    edit = "编辑 dutyctl.yaml" if "初始化" in command else "edit dutyctl.yaml"
    for result in (here, elsewhere):
        assert result.stdout.count(edit) == 1
    assert "cd " not in here.stdout
    assert [line for line in elsewhere.stdout.splitlines() if "cd " in line] == ["  cd site"]


def _bundled_copy(target: Path) -> Path:
    target.mkdir()
    shutil.copy(REPO / "dutyctl.yaml", target / "dutyctl.yaml")
    for folder in ("rosters", "records"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def test_generating_the_bundled_rosters_again_changes_nothing(tmp_path):
    site = _bundled_copy(tmp_path / "site")
    before = {path.name: path.read_bytes() for path in (site / "rosters").glob("*.yaml")}
    cli = Cli(site)
    for month in ("2026-11", "2026-12"):
        result = cli("roster", "generate", "--month", month, "--at", "2027-01-15 10:00")
        assert result.exit_code == 0, result.stderr
        assert "is unchanged: nothing written" in result.stderr
    after = {path.name: path.read_bytes() for path in (site / "rosters").glob("*.yaml")}
    assert after == before
    # "unchanged" compares the plans; the files are also, byte for byte, what generate
    # writes: header comments in the site's language (zh_CN) and the rules' sha256 of now
    from dutyctl.roster.rosterfile import dump_roster, read_roster

    for month in ("2026-11", "2026-12"):
        path = site / "rosters" / f"{month}.yaml"
        roster, problems = read_roster(path, path.name)
        assert problems == [] and roster is not None, problems
        assert dump_roster(roster, "zh_CN").encode("utf-8") == path.read_bytes(), month
        assert "由 `dutyctl 排班 生成` 生成" in path.read_text(encoding="utf-8")


def test_a_roster_generated_from_other_rules_is_replaced(tmp_path):
    site = _bundled_copy(tmp_path / "site")
    rules = site / "rosters" / "rules.yaml"
    # a looser week (47 h packs the service week's 12 h and 9 h shifts to the last hour:
    # whether Sunday night fills then depends on the seed)
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "max_hours_per_week: 48", "max_hours_per_week: 50"), encoding="utf-8")
    # before the month: its days are all ahead (a later day would refuse changing its past)
    result = Cli(site)("roster", "generate", "--month", "2026-12", "--at", "2026-11-25 10:00")
    assert result.exit_code == 0 and "replaced rosters/2026-12.yaml" in result.stderr


def _crontab(text: str) -> tuple[dict, list[str]]:
    """The variables and the job commands of a crontab (cron's % rules applied)."""
    variables, jobs = {}, []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assignment = re.match(r"^([A-Z_]+)=(.*)$", line)
        if assignment:
            variables[assignment[1]] = assignment[2]
            continue
        fields = line.split(None, 5)
        assert len(fields) == 6, f"not a crontab job: {line}"
        jobs.append(fields[5].replace("\\%", "%"))
    return variables, jobs


# the jobs' yesterday, last week and last month: days the bundled rosters and rules cover
CRON_NOW = "2026-12-08T07:30:00+08:00"


def test_the_example_crontab_runs_in_crons_bare_environment(tmp_path):
    """Each job as written, in cron's environment, by the installed program: at CRON_NOW
    (tests/fixed_clock), whatever day the test runs."""
    variables, jobs = _crontab((REPO / "examples" / "crontab").read_text(encoding="utf-8"))
    assert "PATH" in variables and "DUTYCTL_ROOT" in variables and jobs
    site = _bundled_copy(tmp_path / "site")
    reports = tmp_path / "reports"
    reports.mkdir()
    installed = str(Path(sys.executable).parent)
    # cron's own environment: HOME, LOGNAME, SHELL and PATH=/usr/bin:/bin, then the file's
    env = {"HOME": str(tmp_path), "LOGNAME": "desk", "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(Path(__file__).with_name("fixed_clock")),
           "DUTYCTL_TEST_NOW": CRON_NOW}
    for name, value in variables.items():
        env[name] = (value.replace("/srv/dutyctl/.venv/bin", installed)
                     .replace("/srv/dutyctl/site", str(site)))
    for job in jobs:
        command = job.replace("/srv/reports", str(reports)).replace(
            "/tmp/dutyctl-daily.txt", str(tmp_path / "dutyctl-daily.txt"))
        done = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, cwd=tmp_path, timeout=300)
        assert done.returncode == 0, f"{job}\n{done.stderr}"
        assert "not found" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert any(path.suffix == ".html" for path in reports.iterdir())
    daily = (tmp_path / "dutyctl-daily.txt").read_text(encoding="utf-8")
    assert "2026年12月7日 周一 值班日报" in daily, daily  # yesterday of CRON_NOW


@pytest.mark.parametrize("script", sorted(path.name for path in (REPO / "benchmarks").glob(
    "*.py")))
def test_every_benchmark_script_explains_itself(script):
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), "--help"],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout and "Traceback" not in done.stderr


def test_the_suite_benchmark_lists_tests_that_exist():
    """benchmarks/suite_bench.py times these against the suite issue 13 was filed against: a
    renamed test must be renamed in the listing too, or the benchmark stops at pytest's "not
    found". A cheap early check: it reads function names, not parameter ids."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from suite_bench import same_test_ids
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    ids = same_test_ids()
    assert len(ids) == len(set(ids)) == 447
    sources = {}
    for node in ids:
        path, _, name = node.partition("::")
        function = name.partition("[")[0]
        if path not in sources:
            sources[path] = (REPO / path).read_text(encoding="utf-8")
        assert f"def {function}(" in sources[path], node


def _completion(dutyctl_command, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "SHELL": "/bin/bash"}
    return subprocess.run([*dutyctl_command, *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)


def test_completion_is_installed_for_the_shell_asked_for(tmp_path, dutyctl_command):
    home = tmp_path / "home"
    home.mkdir()
    done = _completion(dutyctl_command, home, "--install-completion", "zsh")
    assert done.returncode == 0, done.stderr
    assert "zsh completion installed" in done.stdout
    assert (home / ".zfunc" / "_dutyctl").is_file()
    assert not (home / ".bash_completions").exists()
    shown = _completion(dutyctl_command, home, "--show-completion", "fish")
    assert shown.returncode == 0 and "complete --command dutyctl" in shown.stdout


def test_completion_for_an_unknown_shell_is_refused(tmp_path, dutyctl_command):
    home = tmp_path / "home"
    home.mkdir()
    done = _completion(dutyctl_command, home, "--install-completion", "tcsh")
    assert done.returncode == 2
    assert "unknown shell 'tcsh'" in done.stderr
    assert list(home.iterdir()) == []
