"""Finding the workspace (--root, $DUTYCTL_ROOT, nearest ancestor) and `dutyctl init`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutyctl.cli import app
from dutyctl.errors import InputError
from dutyctl.workspace import find_workspace, init_workspace
from tests.helpers_foundation import record_files

CALL = ("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
        "--summary", "咨询")


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env={"DUTYCTL_USER": "zhangwei", **(env or {})})


# -- discovery ------------------------------------------------------------------------------

def test_root_option_chooses_the_workspace(workspace, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--root", str(workspace.root), *CALL)
    assert result.exit_code == 0, result.stderr
    assert len(record_files(workspace.root)) == 1


def test_environment_variable_chooses_the_workspace(workspace, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*CALL, env={"DUTYCTL_ROOT": str(workspace.root)})
    assert result.exit_code == 0, result.stderr
    assert len(record_files(workspace.root)) == 1


def test_root_option_wins_over_the_environment(workspace, tmp_path):
    other = tmp_path / "other"
    init_workspace(other)
    result = run("--root", str(other), *CALL, env={"DUTYCTL_ROOT": str(workspace.root)})
    assert result.exit_code == 0, result.stderr
    assert len(record_files(other)) == 1 and record_files(workspace.root) == []


def test_nearest_ancestor_holding_the_config_from_a_subfolder(workspace, monkeypatch):
    deep = workspace.root / "records" / "notes" / "more"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_workspace().root == workspace.root.resolve()
    result = run(*CALL)
    assert result.exit_code == 0, result.stderr
    assert len(record_files(workspace.root)) == 1


def test_nearest_ancestor_wins_over_an_outer_workspace(workspace, monkeypatch):
    inner = workspace.root / "branch-office"
    init_workspace(inner)
    monkeypatch.chdir(inner / "rosters")
    assert find_workspace().root == inner.resolve()


def test_outside_any_workspace_one_clear_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError):
        find_workspace()
    result = run(*CALL)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "not inside a dutyctl workspace" in lines[0] and "--root" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("how", ["option", "environment"])
def test_named_folder_without_config_is_exit_2(tmp_path, how):
    folder = tmp_path / "empty"
    folder.mkdir()
    args = ("--root", str(folder), "list") if how == "option" else ("list",)
    env = {"DUTYCTL_ROOT": str(folder)} if how == "environment" else {}
    result = run(*args, env=env)
    assert result.exit_code == 2
    said = f"{folder}: not a dutyctl workspace (no dutyctl.yaml in it)"
    if how == "environment":  # typed nowhere on the command line: where it came from is said
        said += " (the folder $DUTYCTL_ROOT names)"
    assert result.stderr.strip() == said


@pytest.mark.parametrize("how", ["nearest", "option"])
def test_a_config_linked_to_itself_is_said_not_taken_for_no_workspace(workspace, monkeypatch,
                                                                     how):
    """A dutyctl.yaml that is a symbolic link to itself read as "not a dutyctl workspace"
    (Path.is_file follows the link and finds nothing): it marks the workspace, and reading
    it says what is wrong, one line, exit 2."""
    config = workspace.root / "dutyctl.yaml"
    config.unlink()
    config.symlink_to("dutyctl.yaml")
    monkeypatch.chdir(workspace.root / "records")
    result = run(*(("--root", str(workspace.root)) if how == "option" else ()), "list")
    assert result.exit_code == 2
    assert result.stderr == ("dutyctl.yaml: a symbolic link that leads back to itself (a loop): "
                             "dutyctl follows no links in a workspace (put the real file "
                             "here)\n")


# -- init -----------------------------------------------------------------------------------

def test_init_creates_a_working_workspace_and_a_git_repository(tmp_path):
    target = tmp_path / "new-site"
    result = run("init", str(target))
    assert result.exit_code == 0, result.stderr
    for name in ("dutyctl.yaml", "rosters/rules.yaml", ".gitignore", "records/.gitkeep"):
        assert (target / name).is_file(), name
        assert str(target / name) in result.stdout
    assert (target / ".git").is_dir()
    assert ".dutyctl/" in (target / ".gitignore").read_text()
    assert run("--root", str(target), "check").exit_code == 0
    assert run("--root", str(target), *CALL).exit_code == 0


def test_init_inside_an_existing_repository_does_not_nest_one(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    target = tmp_path / "repo" / "site"
    init_workspace(target)
    assert (target / "dutyctl.yaml").is_file()
    assert not (target / ".git").exists()


def test_init_inside_a_history_says_its_files_wait_for_a_commit(tmp_path):
    """init commits nothing into an existing history; without a word `check` greeted the new
    workspace with one problem per file."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "notes.txt").write_text("x\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", "notes.txt"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qm", "first"], check=True)
    said = run("init", str(repo / "site"), env={"DUTYCTL_LANG": "zh_CN"})
    assert said.exit_code == 0, said.stderr
    assert said.stdout.rstrip().endswith(
        f"{repo / 'site'} 位于一个已有的 git 仓库中：新建的文件尚未提交。运行 git add "
        f"{repo / 'site'} && git commit 之后，其他值班台才能看到它们")
    fresh = run("init", str(tmp_path / "fresh"))
    assert fresh.exit_code == 0 and "git add" not in fresh.stdout


def test_init_beside_the_supervisors_own_files_does_not_ask_to_commit_them(tmp_path):
    """`git init`, a draft roster and notes in the folder, then init: its own files were
    committed, yet it said they were not and advised `git add .` (the supervisor's files
    with them, to every desk)."""
    folder = tmp_path / "site"
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / "说明.txt").write_text("x\n", encoding="utf-8")
    (folder / "排班草稿.xlsx").write_bytes(b"PK")
    said = run("init", str(folder), env={"DUTYCTL_LANG": "zh_CN"})
    assert said.exit_code == 0, said.stderr
    assert "git add" not in said.stdout and "尚未提交" not in said.stdout, said.stdout


def test_init_never_overwrites_an_existing_file(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "dutyctl.yaml").write_text("# mine\n", encoding="utf-8")
    (target / ".gitignore").write_text("secret/\n", encoding="utf-8")
    result = run("init", str(target))
    assert result.exit_code == 0, result.stderr
    assert (target / "dutyctl.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert (target / ".gitignore").read_text(encoding="utf-8") == "secret/\n"
    assert (target / "rosters" / "rules.yaml").is_file()
    assert "kept" in result.stdout and str(target / "dutyctl.yaml") in result.stdout
    rules = (target / "rosters" / "rules.yaml").read_text(encoding="utf-8")
    (target / "rosters" / "rules.yaml").write_text(rules + "# edited\n", encoding="utf-8")
    created, kept = init_workspace(target)
    assert created == []
    assert len(kept) == 4  # config, rules, .gitignore, records/.gitkeep
    assert (target / "rosters" / "rules.yaml").read_text(encoding="utf-8").endswith("# edited\n")


def test_init_on_a_file_or_an_impossible_place_is_one_line(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    result = run("init", str(a_file))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{a_file}: not a folder: cannot make a workspace here"
    blocked = run("init", str(a_file / "site"))
    assert blocked.exit_code in (2, 3) and "Traceback" not in blocked.stderr
    assert len(blocked.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("in_the_way, said", [
    ("dutyctl.yaml", "a folder of this name is in the way: init writes a file here"),
    ("rosters/rules.yaml", "a folder of this name is in the way: init writes a file here"),
    ("rosters", "a file of this name is in the way: init makes a folder here"),
])
def test_init_with_a_folder_or_file_in_the_way_writes_nothing(tmp_path, in_the_way, said):
    """A `dutyctl.yaml/` folder was kept "as it exists": the workspace had no config and
    the first commit failed on it, exit 0."""
    target = tmp_path / "site"
    blocker = target / in_the_way
    if in_the_way == "rosters":
        target.mkdir()
        blocker.write_text("x", encoding="utf-8")
    else:
        blocker.mkdir(parents=True)
    result = run("init", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{blocker}: {said}"
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == sorted(
        str(p) for p in [Path(in_the_way), *Path(in_the_way).parents] if str(p) != ".")


@pytest.mark.parametrize("in_the_way, make, said", [
    ("dutyctl.yaml", lambda path: path.symlink_to("/nonexistent-dutyctl"),
     "a link or other entry of this name is in the way: init writes a file here"),
    ("records", lambda path: path.symlink_to(path.parent.parent),
     "a link or other entry of this name is in the way: init makes a folder here"),
    ("dutyctl.yaml", lambda path: os.mkfifo(path),
     "a link or other entry of this name is in the way: init writes a file here"),
])
def test_init_with_a_link_or_a_pipe_in_the_way_writes_nothing(tmp_path, in_the_way, make,
                                                             said):
    """A broken link at dutyctl.yaml was kept "as it exists" (no config, exit 0); a link at
    records/ to another folder had init write .gitkeep outside the workspace."""
    target = tmp_path / "site"
    target.mkdir()
    make(target / in_the_way)
    result = run("init", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{target / in_the_way}: {said}"
    assert [p.name for p in target.iterdir()] == [in_the_way]
    assert not (tmp_path / ".gitkeep").exists()


def test_init_in_a_folder_reached_through_a_link_is_a_workspace(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "site").symlink_to(real)
    assert run("init", str(tmp_path / "site")).exit_code == 0
    assert (real / "dutyctl.yaml").is_file()


def test_init_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert (tmp_path / "dutyctl.yaml").is_file()


def test_a_workspace_named_by_its_settings_file_or_in_gbk_is_one_clear_line(tmp_path):
    """`--root …/dutyctl.yaml` said the file "is not a dutyctl workspace (no dutyctl.yaml in
    it)"; a DUTYCTL_ROOT holding a GBK folder name (a Samba share) ended in "unexpected error"
    (UnicodeEncodeError), where --root said it in a line."""
    site = tmp_path / "site"
    init_workspace(site)
    said = run("--root", str(site / "dutyctl.yaml"), "list", env={"DUTYCTL_LANG": "zh_CN"})
    assert said.exit_code == 2
    assert said.stderr == f"{site / 'dutyctl.yaml'}: 这是一个文件：请写它所在的文件夹（{site}）\n"
    gbk = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xd6\xb5\xb0\xe0")
    said = run("list", env={"DUTYCTL_ROOT": gbk, "DUTYCTL_LANG": "zh_CN"})
    assert said.exit_code == 2 and "意外错误" not in said.stderr
    assert said.stderr.startswith("DUTYCTL_ROOT 不是 UTF-8 文本（文件夹名是别的编码，如 GBK）"), \
        said.stderr
